/*
 * plain.h - the PLAIN encoding for every physical type.
 *
 * Stored forms: BOOLEAN bit-packed LSB-first; INT32/FLOAT 4 bytes, INT64/
 * DOUBLE 8, INT96 12, FIXED_LEN_BYTE_ARRAY type_length bytes, all
 * little-endian back to back; BYTE_ARRAY a 4-byte little-endian length then
 * the bytes. Output follows encoding.h: BOOLEAN one byte 0/1, fixed-width
 * types packed, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY as pv_bytes_view
 * pointing INTO the input (no copy). pv_plain_take hands out the stored
 * bytes of fixed-width values themselves, for callers that can adopt them.
 *
 * Fixed-width inputs are checked whole at init (n_values values must fit);
 * bytes after them are ignored. BYTE_ARRAY lengths are checked one by one.
 * Skipping moves a pointer, except for BYTE_ARRAY, where it walks the
 * lengths without copying anything. Not thread-safe; never allocates.
 * Includes base and encoding; never io, codec or anything above encoding.
 */
#ifndef PV_PLAIN_H
#define PV_PLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "encoding/encoding.h"

typedef struct pv_plain {
	const uint8_t *p;        /* next value (BOOLEAN: the byte holding it) */
	const uint8_t *end;
	int type;                /* pv_physical_type */
	size_t width;            /* stored bytes per value; 0 for BOOLEAN, BYTE_ARRAY */
	unsigned bit;            /* BOOLEAN: next bit of *p, 0..7 */
	int64_t n_values;
	int64_t n_left;
} pv_plain;

/* Starts decoding n_values values of physical_type (type_length for
 * FIXED_LEN_BYTE_ARRAY, ignored otherwise) from data[0, len), which must
 * outlive the decoder and every view it hands out. Errors: PV_EINVAL for
 * an unknown type or negative n_values; PV_ECORRUPT "plain: 100 INT32
 * values need 400 bytes, the page has 396", "plain: negative
 * fixed_len_byte_array length -1". */
int pv_plain_init(pv_plain *d, const uint8_t *data, size_t len, int physical_type,
		  int32_t type_length, int64_t n_values, pv_err *err);

/* Values still to read. */
static inline int64_t pv_plain_left(const pv_plain *d)
{
	return d->n_left;
}

/* Decodes the next n values into out, laid out as encoding.h says (out
 * holds n * pv_value_width(type) bytes). Errors: PV_EINVAL when n exceeds
 * pv_plain_left; PV_ECORRUPT "plain: byte array 7 of 9 bytes exceeds the 3
 * left", "plain: truncated length of byte array 7". */
int pv_plain_get(pv_plain *d, void *out, size_t n, pv_err *err);

/* Fixed-width types other than BOOLEAN: sets *out_ptr to the n stored
 * values (n * width bytes, unaligned, inside the input) and moves past
 * them. PV_EINVAL for BOOLEAN and BYTE_ARRAY or n past the end. */
int pv_plain_take(pv_plain *d, size_t n, const uint8_t **out_ptr, pv_err *err);

/* BYTE_ARRAY only: copies the bytes of the next values (at most n and
 * pv_plain_left) back to back into dst, and writes offsets[i + 1] =
 * offsets[i] + length for each (offsets[0] is the caller's; the caller
 * makes sure offsets[0] + room fits an int32). Stops, without error, at
 * the first value that does not lie wholly in the bytes at hand (a
 * truncated page, or a window that needs sliding) or does not fit in the
 * room left of dst's `room` bytes; *out_need then gets that value's
 * length when it was the room (0 when it was the input, or all n were
 * copied). Returns the values copied; *out_bytes gets their bytes. A
 * pv_plain_get of the value it stopped at names a truncation. For any
 * other type it copies nothing. The fused form of pv_plain_get and a copy
 * of each view: one pass over the lengths. */
size_t pv_plain_copy_binary(pv_plain *d, size_t n, uint8_t *dst, size_t room, int32_t *offsets,
			    size_t *out_bytes, size_t *out_need);

/* Moves past the next n values. Errors as pv_plain_get. */
int pv_plain_skip(pv_plain *d, size_t n, pv_err *err);

/* For a caller that streams the page through a window: the next value now
 * starts at p and the bytes at hand end at end (the same logical position,
 * its bytes moved or more of them decompressed). Views handed out before
 * point into the old bytes. */
void pv_plain_window(pv_plain *d, const uint8_t *p, const uint8_t *end);

/* How many of the next n values (at most pv_plain_left) lie wholly in the
 * bytes at hand; a byte array's length prefix is read to know. 0 when the
 * next one does not. Never fails: a get or skip of that many succeeds. */
size_t pv_plain_fit(const pv_plain *d, size_t n);

#endif
