/*
 * test_kll.c - analyze/kll: every quantile's true rank lies within
 * PV_KLL_RANK_ERROR of the fraction asked for, over several input orders
 * and sizes; small inputs are exact; merged sketches keep the bound over
 * the union; restoring saved levels gives the same answers.
 */
#include "testutil.h"

#include <math.h>

#include "analyze/kll.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const double qs[] = { 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99 };
#define NQ (sizeof qs / sizeof *qs)

/* The values are a permutation of 0..n-1, so a value is its own rank. */
static void check_ranks(const pv_kll *k, size_t n, const char *what)
{
	double out[NQ];
	assert_int_equal(pv_kll_quantiles(k, qs, NQ, out), 0);
	for (size_t i = 0; i < NQ; i++) {
		double rank = (out[i] + 1) / (double)n;
		if (fabs(rank - qs[i]) > PV_KLL_RANK_ERROR)
			fail_msg("%s: n=%zu q=%.2f got %.0f (rank %.4f)", what, n, qs[i], out[i], rank);
	}
}

static void shuffle(double *v, size_t n, uint64_t seed)
{
	uint64_t s = seed | 1;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)(next(&s) % (i + 1));
		double t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void test_rank_error(void **state)
{
	static const size_t sizes[] = { 1000, 20000, 300000, 2000000 };
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
		size_t n = sizes[si];
		double *v = malloc(n * sizeof *v);
		assert_non_null(v);
		for (int order = 0; order < 4; order++) {
			for (size_t i = 0; i < n; i++)
				v[i] = order == 1 ? (double)(n - 1 - i) : (double)i;
			if (order >= 2)
				shuffle(v, n, (uint64_t)order * 7919 + n);
			pv_kll k;
			pv_kll_init(&k);
			for (size_t i = 0; i < n; i++)
				pv_kll_add(&k, v[i]);
			assert_true(k.n == n);
			assert_true(k.min == 0 && k.max == (double)(n - 1));
			/* memory stays bounded: about 3k items */
			assert_true(k.size <= 3 * PV_KLL_K + PV_KLL_MAX_LEVELS * 2);
			check_ranks(&k, n, order == 0 ? "ascending" : order == 1 ? "descending"
									: "shuffled");
			pv_kll_release(&k);
		}
		free(v);
	}
}

static void test_small_is_exact(void **state)
{
	pv_kll k;
	pv_kll_init(&k);
	double none[1];
	double q0 = 0.5;
	assert_int_equal(pv_kll_quantiles(&k, &q0, 1, none), 0);
	assert_true(isnan(none[0]));
	for (int i = 100; i >= 1; i--)
		pv_kll_add(&k, i);
	assert_true(pv_kll_exact(&k));
	double q[] = { 0, 0.25, 0.5, 0.99, 1 }, out[5];
	assert_int_equal(pv_kll_quantiles(&k, q, 5, out), 0);
	/* the smallest value whose rank reaches q*n, as quantile_disc */
	assert_true(out[0] == 1 && out[1] == 25 && out[2] == 50 && out[3] == 99 && out[4] == 100);
	assert_true(fabs(pv_kll_rank(&k, 30) - 0.30) < 1e-12);
	pv_kll_release(&k);
}

static void test_merge(void **state)
{
	size_t n = 500000, parts = 7;
	double *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)i;
	shuffle(v, n, 42);
	pv_kll all;
	pv_kll_init(&all);
	for (size_t p = 0; p < parts; p++) {
		pv_kll k;
		pv_kll_init(&k);
		for (size_t i = p * n / parts; i < (p + 1) * n / parts; i++)
			pv_kll_add(&k, v[i]);
		pv_kll_merge(&all, &k);
		pv_kll_release(&k);
	}
	assert_true(all.n == n);
	assert_true(all.min == 0 && all.max == (double)(n - 1));
	assert_false(pv_kll_exact(&all));
	check_ranks(&all, n, "merged");
	/* restore: the same levels give the same answers */
	pv_kll r;
	pv_kll_init(&r);
	for (size_t h = 0; h < all.n_levels; h++)
		assert_int_equal(pv_kll_restore_level(&r, h, all.lv[h].items, all.lv[h].len), 0);
	r.n = all.n;
	r.min = all.min;
	r.max = all.max;
	double a[NQ], b[NQ];
	assert_int_equal(pv_kll_quantiles(&all, qs, NQ, a), 0);
	assert_int_equal(pv_kll_quantiles(&r, qs, NQ, b), 0);
	assert_memory_equal(a, b, sizeof a);
	pv_kll_release(&r);
	pv_kll_release(&all);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_error),
		cmocka_unit_test(test_small_is_exact),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
