/*
 * checked.h - overflow-checked size arithmetic for allocations driven by
 * file contents. Header only; includes only the C library.
 */
#ifndef PV_CHECKED_H
#define PV_CHECKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* *out = a * b; false (and *out = SIZE_MAX) on overflow. */
static inline bool pv_mul_size(size_t a, size_t b, size_t *out)
{
	if (__builtin_mul_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return false;
	}
	return true;
}

/* *out = a + b; false (and *out = SIZE_MAX) on overflow. */
static inline bool pv_add_size(size_t a, size_t b, size_t *out)
{
	if (__builtin_add_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return false;
	}
	return true;
}

#endif
