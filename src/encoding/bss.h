/*
 * bss.h - BYTE_STREAM_SPLIT for FLOAT, DOUBLE, INT32, INT64 and
 * FIXED_LEN_BYTE_ARRAY of any width.
 *
 * N values of K bytes are stored as K streams of N bytes: byte k of value
 * i is at k * N + i. There is no header: N = len / K, and len must be an
 * exact multiple of K. Output is the values' K bytes packed back to back
 * (for FIXED_LEN_BYTE_ARRAY too: the bytes of a value are not contiguous
 * in the input, so views cannot point into it). Widths 4 and 8 have their
 * own loops. Skipping moves an index. Never allocates; not thread-safe.
 * Includes base only; never io, codec or anything above encoding.
 */
#ifndef PV_BSS_H
#define PV_BSS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct pv_bss {
	const uint8_t *data;
	size_t width;            /* K: bytes per value */
	size_t n_values;         /* N */
	size_t pos;              /* values read so far */
} pv_bss;

/* Starts decoding width-byte values from data[0, len) (data must outlive
 * the decoder). Errors: PV_EINVAL for width 0; PV_ECORRUPT "bss: 13 bytes
 * are not a whole number of 4-byte values". */
int pv_bss_init(pv_bss *d, const uint8_t *data, size_t len, size_t width, pv_err *err);

/* Values still to read. */
static inline size_t pv_bss_left(const pv_bss *d)
{
	return d->n_values - d->pos;
}

/* Writes the next n values (n * width bytes) to out. Errors: PV_ECORRUPT
 * "bss: asked for 10 values, the page holds 7 more" (the page and the
 * stream disagree). */
int pv_bss_get(pv_bss *d, void *out, size_t n, pv_err *err);

/* Moves past n values. Errors as pv_bss_get. */
int pv_bss_skip(pv_bss *d, size_t n, pv_err *err);

#endif
