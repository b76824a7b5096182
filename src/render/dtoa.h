/*
 * dtoa.h - doubles and floats to text, fast, with exactly the output of
 * the printf + strtod searches they replace (render/cell.h promises the
 * forms, and its golden tests hold them byte for byte).
 *
 * The digits: for a double, the first of its 15-, 16- and 17-significant-
 * digit roundings (to nearest, ties to even, as "%.*e" rounds) that strtod
 * reads back to the same double; for a subnormal every precision from 1.
 * This is the shortest round-trip form except in rare ties at powers of
 * two, where a 16-digit form exists but the nearest 16-digit rounding does
 * not read back: 2^-24 is "5.9604644775390625e-08" here and
 * "5.960464477539063e-08" in DuckDB. Kept so that no output changes.
 *
 * How: |v| = c * 2^q is scaled exactly by a power of ten in 128-bit
 * integers (x = v * 10^m = X / Y with Y a power of 2 or of 5), so the
 * roundings and the read-back test (is the decimal within half a gap of v,
 * ends included when c is even) are exact integer comparisons. Values
 * outside the range where X and Y fit in 124 and 116 bits (doubles below
 * about 1e-14 or above 1e46, subnormals) take the printf + strtod search.
 *
 * Pure functions, thread-safe. Includes only base and render.
 */
#ifndef PV_DTOA_H
#define PV_DTOA_H

#include <stddef.h>

/* Bytes a pv_dtoa_double text may take, with its NUL. */
#define PV_DTOA_MAX 32

/* Writes the text of a finite double as render/cell.h shows it: fixed
 * notation for decimal exponents -5 < e < 16 with ".0" on integral
 * values ("1.0", "0.001", "-0.0"), else "1e+20", "1.5e-07" (two exponent
 * digits at least). NUL-terminated; returns the length. v must be finite. */
size_t pv_dtoa_double(double v, char out[PV_DTOA_MAX]);

/* The double of the shortest decimal that reads back to the float f (so
 * that pv_dtoa_double shows "0.1" for 0.1f): the digits are found by
 * bisection over 1..9 significant digits, each the "%.*e" rounding of f
 * tested with strtof, and the result is strtod of those digits. Non-finite
 * f is returned as it is. */
double pv_dtoa_float_short(float f);

/* The same bisection's digits the slow way (snprintf and strtod/strtof),
 * and pv_dtoa_double's; for tests that prove the fast paths equal. */
double pv_dtoa_float_short_slow(float f);
size_t pv_dtoa_double_slow(double v, char out[PV_DTOA_MAX]);

#endif
