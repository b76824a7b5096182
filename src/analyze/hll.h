/*
 * hll.h - HyperLogLog distinct-count sketch over 64-bit hashes.
 *
 * 2^14 one-byte registers (16 KiB). The estimate is the classic harmonic
 * mean with linear counting below 2.5 m (Flajolet et al. 2007); with
 * 64-bit hashes no large-range correction is needed. Its relative
 * standard error is 1.04 / sqrt(2^14) = 0.81%; PV_HLL_BOUND, the bound
 * parqview prints, is two standard errors (1.63%, about 95% of estimates
 * fall within it). Merging takes the register-wise maximum, so the merge
 * of sketches of A and B is exactly the sketch of A u B, in any order.
 * Callers hash values themselves (pv_hll_hash) so equal values give equal
 * hashes everywhere. Caller-owned struct; not thread-safe. Includes only
 * base and analyze.
 */
#ifndef PV_HLL_H
#define PV_HLL_H

#include <stddef.h>
#include <stdint.h>

#define PV_HLL_P 14
#define PV_HLL_M ((size_t)1 << PV_HLL_P)
/* One standard error, and the printed bound (two standard errors). */
#define PV_HLL_STDERR 0.008125
#define PV_HLL_BOUND 0.01625

typedef struct pv_hll {
	uint8_t reg[PV_HLL_M];
} pv_hll;

/* Empties h. */
void pv_hll_init(pv_hll *h);

/* The hash every sketch in analyze uses (XXH3, 64 bits). */
uint64_t pv_hll_hash(const void *p, size_t n);

/* The hash of one 64-bit value (the splitmix64 finaliser): what the
 * profiles use for fixed-width values, cheaper than hashing 8 bytes. */
static inline uint64_t pv_hll_hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	x ^= x >> 31;
	return x;
}

/* Adds a hashed value. */
static inline void pv_hll_add(pv_hll *h, uint64_t hash)
{
	size_t idx = (size_t)(hash >> (64 - PV_HLL_P));
	uint64_t rest = (hash << PV_HLL_P) | ((uint64_t)1 << (PV_HLL_P - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
	if (rank > h->reg[idx])
		h->reg[idx] = rank;
}

/* dst := dst u src. */
void pv_hll_merge(pv_hll *dst, const pv_hll *src);

/* The estimated number of distinct hashes added. */
double pv_hll_estimate(const pv_hll *h);

#endif
