/*
 * digits.h - integers to decimal text without printf, for the hot paths
 * of the renderers and the JSON writer (a printf call costs more than the
 * digits themselves).
 *
 * Pure functions, thread-safe. Includes only base.
 */
#ifndef PV_DIGITS_H
#define PV_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/* Most bytes pv_digits_i64 writes ("-9223372036854775808"). */
#define PV_DIGITS_MAX 20

/* Writes the decimal digits of v to out (no NUL) and returns how many:
 * what "%" PRIu64 prints. */
size_t pv_digits_u64(uint64_t v, char out[PV_DIGITS_MAX]);

/* The same for a signed value, with a leading '-': what "%" PRId64
 * prints. */
size_t pv_digits_i64(int64_t v, char out[PV_DIGITS_MAX]);

/* Writes v zero-padded to at least width digits (width <= PV_DIGITS_MAX):
 * what "%0*" PRIu64 prints. Returns the length. */
size_t pv_digits_u64_pad(uint64_t v, int width, char out[PV_DIGITS_MAX]);

#endif
