/*
 * test_hll.c - analyze/hll: the estimate lies within the stated bound
 * (two standard errors, PV_HLL_BOUND) for most runs over several
 * cardinalities and seeds and never beyond three; merging sketches of
 * overlapping sets gives exactly the sketch of their union.
 */
#include "testutil.h"

#include <math.h>

#include "analyze/hll.h"

static uint64_t mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void test_error_bound(void **state)
{
	static const size_t sizes[] = { 10, 100, 1000, 10000, 30000, 50000, 100000, 1000000 };
	pv_hll *h = malloc(sizeof *h);
	assert_non_null(h);
	int runs = 0, within2 = 0;
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
		for (uint64_t seed = 1; seed <= 5; seed++) {
			pv_hll_init(h);
			uint64_t st = seed * 1000003;
			for (size_t i = 0; i < sizes[s]; i++) {
				/* distinct values, each hashed the way profiles do */
				uint64_t v = mix(&st);
				pv_hll_add(h, pv_hll_hash(&v, sizeof v));
			}
			double e = pv_hll_estimate(h);
			double rel = fabs(e - (double)sizes[s]) / (double)sizes[s];
			runs++;
			within2 += rel <= PV_HLL_BOUND;
			/* three standard errors: beyond it 0.3% of runs land */
			if (rel > 3 * PV_HLL_STDERR)
				fail_msg("n=%zu seed=%llu estimate %.0f (%.2f%%)", sizes[s],
					 (unsigned long long)seed, e, rel * 100);
		}
	/* two standard errors hold about 95% of runs */
	assert_true(within2 * 100 >= runs * 90);
	free(h);
}

static void test_duplicates_ignored(void **state)
{
	pv_hll *h = malloc(sizeof *h);
	assert_non_null(h);
	pv_hll_init(h);
	assert_true(pv_hll_estimate(h) == 0.0);
	for (int rep = 0; rep < 50; rep++)
		for (uint64_t v = 0; v < 1000; v++)
			pv_hll_add(h, pv_hll_hash_u64(v));
	double e = pv_hll_estimate(h);
	assert_true(fabs(e - 1000) <= 1000 * PV_HLL_BOUND);
	free(h);
}

static void test_merge_is_union(void **state)
{
	pv_hll *a = malloc(sizeof *a), *b = malloc(sizeof *b), *u = malloc(sizeof *u);
	assert_true(a && b && u);
	pv_hll_init(a);
	pv_hll_init(b);
	pv_hll_init(u);
	/* a: [0, 60000), b: [40000, 100000), overlapping */
	for (uint64_t v = 0; v < 100000; v++) {
		uint64_t h = pv_hll_hash(&v, sizeof v);
		if (v < 60000)
			pv_hll_add(a, h);
		if (v >= 40000)
			pv_hll_add(b, h);
		pv_hll_add(u, h);
	}
	pv_hll_merge(a, b);
	assert_memory_equal(a->reg, u->reg, PV_HLL_M);
	assert_true(pv_hll_estimate(a) == pv_hll_estimate(u));
	double e = pv_hll_estimate(a);
	assert_true(fabs(e - 100000) <= 100000 * PV_HLL_BOUND);
	free(a);
	free(b);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_bound),
		cmocka_unit_test(test_duplicates_ignored),
		cmocka_unit_test(test_merge_is_union),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
