/*
 * hll.c - HyperLogLog: registers, merge and the estimator (hll.h). Must not
 * include anything above base.
 */
#include "analyze/hll.h"

#include <math.h>
#include <string.h>
#include <xxhash.h>

#include "base/banned.h"

void pv_hll_init(pv_hll *h)
{
	memset(h->reg, 0, sizeof h->reg);
}

uint64_t pv_hll_hash(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void pv_hll_merge(pv_hll *dst, const pv_hll *src)
{
	for (size_t i = 0; i < PV_HLL_M; i++)
		if (src->reg[i] > dst->reg[i])
			dst->reg[i] = src->reg[i];
}

/* Ertl, "New cardinality estimation algorithms for HyperLogLog sketches"
 * (2017), section 4: an estimator without the bias bump of the classic
 * one where linear counting hands over, from the register histogram. */
static double sigma(double x)
{
	if (x == 1.0)
		return INFINITY;
	double y = 1.0, z = x, prev;
	do {
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (z != prev);
	return z;
}

static double tau(double x)
{
	if (x == 0.0 || x == 1.0)
		return 0.0;
	double y = 1.0, z = 1.0 - x, prev;
	do {
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (z != prev);
	return z / 3.0;
}

double pv_hll_estimate(const pv_hll *h)
{
	enum { Q = 64 - PV_HLL_P };
	double count[Q + 2] = { 0 };
	for (size_t i = 0; i < PV_HLL_M; i++)
		count[h->reg[i] <= Q + 1 ? h->reg[i] : Q + 1] += 1.0;
	double m = (double)PV_HLL_M;
	double z = m * tau(1.0 - count[Q + 1] / m);
	for (int k = Q; k >= 1; k--)
		z = 0.5 * (z + count[k]);
	z += m * sigma(count[0] / m);
	if (isinf(z))
		return 0.0;
	return (0.5 / log(2.0)) * m * m / z;
}
