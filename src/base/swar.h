/*
 * swar.h - eight bytes at a time in a 64-bit word ("SIMD within a
 * register"), for the scans the renderers run over every byte of their
 * output: is there a byte that needs quoting or escaping in these eight?
 *
 * Each test is exact about whether some byte matches (a borrow can only
 * mark bytes after a real match). Header only; includes only the C
 * library.
 */
#ifndef PV_SWAR_H
#define PV_SWAR_H

#include <stdint.h>
#include <string.h>

#define PV_SWAR_ONES UINT64_C(0x0101010101010101)
#define PV_SWAR_HIGHS (PV_SWAR_ONES * 0x80)

/* The eight bytes at p (any alignment). */
static inline uint64_t pv_swar_load(const void *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

/* Nonzero when a byte of x equals c. */
static inline uint64_t pv_swar_eq(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (PV_SWAR_ONES * c);
	return (y - PV_SWAR_ONES) & ~y & PV_SWAR_HIGHS;
}

/* Nonzero when a byte of x is below c (c <= 0x80). */
static inline uint64_t pv_swar_lt(uint64_t x, unsigned char c)
{
	return (x - PV_SWAR_ONES * c) & ~x & PV_SWAR_HIGHS;
}

/* Nonzero when a byte of x is 0x80 or above (not ASCII). */
static inline uint64_t pv_swar_high(uint64_t x)
{
	return x & PV_SWAR_HIGHS;
}

/* Nonzero when a byte of x is not printable ASCII (0x20..0x7e). */
static inline uint64_t pv_swar_unprintable(uint64_t x)
{
	return pv_swar_lt(x, 0x20) | pv_swar_eq(x, 0x7f) | pv_swar_high(x);
}

#endif
