/*
 * sample.h - uniform random samples of rows without replacement, as
 * sorted row ranges that dataset/scan.h can read with random access.
 *
 * The generator is xoshiro256** (Blackman and Vigna), its four words of
 * state filled by splitmix64 from the 64-bit seed, so a seed names one
 * stream on every platform. A sample of n rows out of n_total is drawn with
 * Floyd's algorithm (each subset of n rows equally likely) over a hash set;
 * when n is more than half of n_total the n_total - n rows to leave out are
 * drawn instead, so the work and memory are O(min(n, n_total - n)).
 * The same (n_total, n, seed) gives the same rows with this version of
 * parqview; a later version may change the algorithm (the README says so).
 * Includes only base and dataset.
 */
#ifndef PV_SAMPLE_H
#define PV_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "dataset/scan.h"

/* The most rows a sample may hold, or leave out, when it is not every row
 * (16 bytes per row of memory while drawing). */
#define PV_SAMPLE_MAX ((int64_t)1 << 24)

/* xoshiro256** state; caller-owned, no release needed. */
typedef struct pv_rng {
	uint64_t s[4];
} pv_rng;

/* Seeds r from seed through splitmix64 (so every seed, 0 included, works). */
void pv_rng_seed(pv_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t pv_rng_next(pv_rng *r);

/* A uniform integer in [0, bound) (bound > 0), without modulo bias:
 * draws that fall in the short last interval are rejected. */
uint64_t pv_rng_below(pv_rng *r, uint64_t bound);

/* A seed for when the user gave none: 32 bits from getrandom() (short, so
 * that the "seed: N" line is easy to retype), or from the clock and the
 * process id when getrandom fails. */
uint64_t pv_sample_random_seed(void);

/* Draws n of the rows [0, n_total) uniformly without replacement and
 * returns them as sorted, disjoint, non-adjacent ranges in *out (free()
 * it; NULL when there are none) and their number in *out_n. n >= n_total
 * gives the single range of every row; n == 0 or n_total == 0 gives none.
 * Errors: PV_EINVAL when n or n_total is negative; PV_ELIMIT "a sample of N
 * of M rows is over the limit of ..." when min(n, n_total - n) is over
 * PV_SAMPLE_MAX; PV_ENOMEM. Thread-safe (no shared state). */
int pv_sample_draw(int64_t n_total, int64_t n, uint64_t seed, pv_row_range **out, size_t *out_n,
                   pv_err *err);

#endif
