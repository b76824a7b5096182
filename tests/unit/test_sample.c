/*
 * test_sample.c - dataset/sample: the generator's reference values, the
 * unbiased bounded draw, and pv_sample_draw's ranges: sorted, disjoint,
 * the right count, the same rows for the same seed, and uniform (a
 * chi-square bound over many fixed seeds, so the test cannot flake).
 */
#include "testutil.h"

#include "dataset/sample.h"

/* Checks the shape of a sample and returns its rows in a fresh array. */
static int64_t *rows_of(const pv_row_range *r, size_t n, int64_t total, int64_t want)
{
	int64_t got = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(r[i].count > 0);
		assert_true(r[i].first >= 0);
		assert_true(r[i].first + r[i].count <= total);
		/* sorted and never touching: adjacent rows share one range */
		if (i)
			assert_true(r[i].first > r[i - 1].first + r[i - 1].count);
		got += r[i].count;
	}
	assert_int_equal(got, want);
	int64_t *rows = malloc((size_t)(want ? want : 1) * sizeof *rows);
	assert_non_null(rows);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (int64_t j = 0; j < r[i].count; j++)
			rows[k++] = r[i].first + j;
	return rows;
}

static void test_rng_reference(void **state)
{
	/* splitmix64 from seed 0 gives the published first output
	 * 0xe220a8397b1dcdaf; xoshiro256** then runs on that state. */
	pv_rng r;
	pv_rng_seed(&r, 0);
	assert_true(r.s[0] == 0xe220a8397b1dcdafull);
	uint64_t a = pv_rng_next(&r);
	pv_rng_seed(&r, 0);
	assert_true(pv_rng_next(&r) == a);
	pv_rng_seed(&r, 1);
	assert_true(pv_rng_next(&r) != a);
	/* bounded draws stay in range, also for bounds near 2^64 */
	pv_rng_seed(&r, 7);
	for (int i = 0; i < 10000; i++) {
		assert_true(pv_rng_below(&r, 3) < 3);
		assert_true(pv_rng_below(&r, 1) == 0);
		assert_true(pv_rng_below(&r, UINT64_MAX - 5) < UINT64_MAX - 5);
	}
	uint64_t s1 = pv_sample_random_seed(), s2 = pv_sample_random_seed();
	assert_true(s1 <= 0xffffffffu && s2 <= 0xffffffffu);
}

static void test_edges(void **state)
{
	pv_row_range *r;
	size_t n;
	pv_err e;
	assert_int_equal(pv_sample_draw(100, 0, 1, &r, &n, &e), 0);
	assert_null(r);
	assert_int_equal(n, 0);
	assert_int_equal(pv_sample_draw(0, 10, 1, &r, &n, &e), 0);
	assert_int_equal(n, 0);
	/* more than there is: every row, once */
	assert_int_equal(pv_sample_draw(100, 1000, 1, &r, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].first, 0);
	assert_int_equal(r[0].count, 100);
	free(r);
	assert_int_equal(pv_sample_draw(100, 100, 1, &r, &n, &e), 0);
	assert_int_equal(n, 1);
	free(r);
	assert_int_equal(pv_sample_draw(-1, 5, 1, &r, &n, &e), PV_EINVAL);
	assert_int_equal(pv_sample_draw(5, -1, 1, &r, &n, &e), PV_EINVAL);
	/* a huge dataset is fine, a huge sample is a limit, not an OOM */
	assert_int_equal(pv_sample_draw(INT64_MAX, 50, 3, &r, &n, &e), 0);
	int64_t *rows = rows_of(r, n, INT64_MAX, 50);
	free(rows);
	free(r);
	assert_int_equal(pv_sample_draw(INT64_MAX, INT64_MAX / 2, 3, &r, &n, &e), PV_ELIMIT);
	assert_non_null(strstr(e.msg, "over the limit"));
	/* all but one row: the complement path */
	assert_int_equal(pv_sample_draw(1000, 999, 5, &r, &n, &e), 0);
	rows = rows_of(r, n, 1000, 999);
	free(rows);
	assert_true(n <= 2);
	free(r);
}

static void test_deterministic(void **state)
{
	const int64_t totals[] = { 10, 1000, 123457, (int64_t)1 << 40 };
	const int64_t ns[] = { 1, 3, 50, 600, 9 };
	for (size_t t = 0; t < sizeof totals / sizeof *totals; t++)
		for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
			int64_t want = ns[k] < totals[t] ? ns[k] : totals[t];
			pv_row_range *a, *b, *c;
			size_t na, nb, nc;
			assert_int_equal(pv_sample_draw(totals[t], ns[k], 42, &a, &na, NULL), 0);
			assert_int_equal(pv_sample_draw(totals[t], ns[k], 42, &b, &nb, NULL), 0);
			assert_int_equal(pv_sample_draw(totals[t], ns[k], 43, &c, &nc, NULL), 0);
			assert_int_equal(na, nb);
			assert_memory_equal(a, b, na * sizeof *a);
			/* no duplicates: the ranges are disjoint and add up */
			int64_t *rows = rows_of(a, na, totals[t], want);
			free(rows);
			rows = rows_of(c, nc, totals[t], want);
			free(rows);
			if (want < totals[t] && want >= 3)
				assert_true(na != nc || memcmp(a, c, na * sizeof *a) != 0);
			free(a);
			free(b);
			free(c);
		}
}

/* Over many seeds every row must be picked about equally often. With the
 * seeds fixed the statistic is one fixed number; the bound is the mean of
 * chi-square(99) plus about seven standard deviations, so only a biased
 * sampler fails it. Both the drawing and the leaving-out paths run. */
static void check_uniform(int64_t total, int64_t n)
{
	enum { DRAWS = 20000 };
	int64_t counts[100] = { 0 };
	assert_true(total == 100);
	for (uint64_t seed = 1; seed <= DRAWS; seed++) {
		pv_row_range *r;
		size_t nr;
		assert_int_equal(pv_sample_draw(total, n, seed, &r, &nr, NULL), 0);
		for (size_t i = 0; i < nr; i++)
			for (int64_t j = 0; j < r[i].count; j++)
				counts[r[i].first + j]++;
		free(r);
	}
	/* each count is binomial-like: variance DRAWS p (1 - p) */
	double p = (double)n / (double)total, expect = DRAWS * p, var = expect * (1 - p), chi = 0;
	for (int i = 0; i < 100; i++)
		chi += ((double)counts[i] - expect) * ((double)counts[i] - expect) / var;
	print_message("# chi-square over %d draws of %lld/%lld: %.1f (df 99)\n", DRAWS,
		      (long long)n, (long long)total, chi);
	assert_true(chi < 200.0);
}

static void test_uniform(void **state)
{
	check_uniform(100, 10);
	check_uniform(100, 90);
	check_uniform(100, 50);
}

/* The first row is picked as often as the last, also in big datasets
 * (position bias would show here first). */
static void test_uniform_ends(void **state)
{
	int64_t low = 0, high = 0;
	const int64_t total = (int64_t)1 << 33;
	for (uint64_t seed = 1; seed <= 4000; seed++) {
		pv_row_range *r;
		size_t nr;
		assert_int_equal(pv_sample_draw(total, 20, seed, &r, &nr, NULL), 0);
		for (size_t i = 0; i < nr; i++) {
			if (r[i].first < total / 2)
				low += r[i].count;
			else
				high += r[i].count;
		}
		free(r);
	}
	/* 80000 draws, p = 1/2: sd about 141; allow 6 sd */
	assert_true(llabs(low - high) < 2 * 6 * 141);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_reference),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_uniform_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
