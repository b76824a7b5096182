/*
 * rle.h - the RLE/bit-packing hybrid (levels, RLE booleans, dictionary
 * indices) and the deprecated BIT_PACKED levels encoding.
 *
 * The hybrid is a sequence of runs, each a ULEB128 header: an even header
 * h is an RLE run of h >> 1 copies of one value stored in ceil(width / 8)
 * little-endian bytes; an odd header is a bit-packed run of (h >> 1) groups
 * of 8 values, LSB-first, width bytes per group. Where it appears:
 *   - definition/repetition levels of v1 pages: 4-byte little-endian length
 *     prefix, then runs (pv_rle_init_prefixed);
 *   - levels of v2 pages: runs only, the byte length is in the page header
 *     (pv_rle_init);
 *   - RLE-encoded BOOLEAN values, v1 and v2: prefix, width 1
 *     (pv_rle_init_prefixed);
 *   - dictionary indices (RLE_DICTIONARY, PLAIN_DICTIONARY data pages): one
 *     byte of bit width (at most 32), then runs (pv_rle_init_dict).
 *
 * Leniency, where the values stay unambiguous: width 0 is accepted anywhere
 * and means every value is 0 (a one-entry dictionary, and writers that use
 * width 0 for a bigger one: bad_data/ARROW-GH-43605); runs of length 0 are
 * skipped; a run longer than the values the caller declared is cut short;
 * a bit-packed run whose bytes end early yields the values its bytes hold.
 * What is still corrupt: the runs ending before the declared count, a
 * truncated run header or RLE value, an RLE value wider than the width.
 *
 * Skipping never materialises values for RLE runs and advances bit-packed
 * runs by whole groups; only a partly skipped group is unpacked.
 * Includes base only; never io, codec or anything above encoding.
 */
#ifndef PV_RLE_H
#define PV_RLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* The widest hybrid values: dictionary indices are at most 32 bits. */
#define PV_RLE_MAX_WIDTH 32

typedef struct pv_rle {
	const uint8_t *p;        /* next run header */
	const uint8_t *end;      /* end of the hybrid data */
	unsigned width;          /* bits per value, 0..32 */
	int64_t n_values;        /* values declared at init */
	int64_t n_left;          /* values the caller may still read */
	/* the current run */
	int64_t run_left;        /* values left in it, buffered ones included */
	bool run_packed;         /* bit-packed (else RLE) */
	uint32_t run_value;      /* RLE value */
	const uint8_t *packed;   /* bit-packed: next group not yet unpacked */
	unsigned group_pos;      /* next value in group[]; 8 when empty */
	uint32_t group[8];       /* a partly consumed bit-packed group */
} pv_rle;

/* Starts decoding n_values values of the given width (0..32) from the
 * hybrid runs in data[0, len), with no length prefix (v2 levels). data must
 * outlive the decoder. Errors: PV_EINVAL for a width above 32 or a
 * negative n_values. Nothing is read until the first get or skip. */
int pv_rle_init(pv_rle *r, const uint8_t *data, size_t len, unsigned width, int64_t n_values,
		pv_err *err);

/* The same after a 4-byte little-endian length prefix (v1 levels, RLE
 * booleans). *out_consumed (may be NULL) gets 4 + the prefix: where the
 * next section of the page starts. Errors: PV_ECORRUPT "rle: length prefix
 * of 1000 bytes exceeds the 40 left" (or fewer than 4 bytes); as
 * pv_rle_init. */
int pv_rle_init_prefixed(pv_rle *r, const uint8_t *data, size_t len, unsigned width,
			 int64_t n_values, size_t *out_consumed, pv_err *err);

/* Dictionary indices: data[0] is the bit width, the runs follow to the end
 * of data. An empty data with n_values 0 is accepted. Errors: PV_ECORRUPT
 * "rle: dictionary index bit width 40 exceeds 32", or no width byte when
 * values are expected. */
int pv_rle_init_dict(pv_rle *r, const uint8_t *data, size_t len, int64_t n_values, pv_err *err);

/* Values still to read. */
static inline int64_t pv_rle_left(const pv_rle *r)
{
	return r->n_left;
}

/* Decodes the next n values into out. Errors: PV_EINVAL when n exceeds
 * pv_rle_left; PV_ECORRUPT "rle: data ends after 37 of 100 values",
 * "rle: run value 9 does not fit in 3 bits", "rle: truncated run header".
 * After an error the decoder's position is unspecified; stop using it. */
int pv_rle_get_u32(pv_rle *r, uint32_t *out, size_t n, pv_err *err);

/* Levels: as pv_rle_get_u32 into int16_t, and every value must be at most
 * max_level (0..32767), else PV_ECORRUPT "rle: level 3 exceeds the
 * maximum 2". */
int pv_rle_get_levels(pv_rle *r, int16_t *out, size_t n, int16_t max_level, pv_err *err);

/* Booleans (width 1): one byte 0/1 per value. Errors as pv_rle_get_u32;
 * PV_EINVAL when the width is not 1. */
int pv_rle_get_bool(pv_rle *r, uint8_t *out, size_t n, pv_err *err);

/* Moves past the next n values without writing them. Errors as
 * pv_rle_get_u32. */
int pv_rle_skip(pv_rle *r, size_t n, pv_err *err);

/* Moves past the next n values and sets *out_count to how many of them
 * equal value (definition levels: how many skipped slots hold a value).
 * RLE runs are counted arithmetically, bit-packed runs of width 1, 2, 4
 * or 8 eight bytes at a time (popcount), other widths by unpacking.
 * Errors as pv_rle_get_u32. */
int pv_rle_skip_count(pv_rle *r, size_t n, uint32_t value, size_t *out_count, pv_err *err);

/* For a caller that streams the hybrid data through a window that slides
 * forward. The first byte the decoder still needs (the current bit-packed
 * run's next group, or the next run header). */
const uint8_t *pv_rle_keep(const pv_rle *r);

/* The bytes from pv_rle_keep moved to keep (or more of them arrived): the
 * decoder's positions follow, and the bytes at hand end at end. */
void pv_rle_window(pv_rle *r, const uint8_t *keep, const uint8_t *end);

/* How many of the next n values (at most pv_rle_left) can be decoded from
 * the bytes at hand: only runs whose header, value and packed groups lie
 * wholly in them count (a run cut by the window's end would look cut
 * short). 0 when the next run does not fit; never fails. */
size_t pv_rle_fit(const pv_rle *r, size_t n);

/* ------------------------------------------------------------------ BIT_PACKED */

/* The deprecated BIT_PACKED levels encoding: n_values values of width bits
 * packed back to back MSB-first, ceil(n_values * width / 8) bytes, with no
 * header. Slow path only (it is rare); not thread-safe. */
typedef struct pv_bitpacked {
	const uint8_t *data;
	unsigned width;          /* 0..16 */
	int64_t n_values;
	int64_t pos;             /* values read so far */
} pv_bitpacked;

/* Errors: PV_EINVAL for a width above 16 or negative n_values;
 * PV_ECORRUPT "bit_packed: 30 values of 2 bits need 8 bytes, 5 left".
 * *out_consumed (may be NULL) gets the byte length. */
int pv_bitpacked_init(pv_bitpacked *b, const uint8_t *data, size_t len, unsigned width,
		      int64_t n_values, size_t *out_consumed, pv_err *err);

/* As pv_rle_get_levels / pv_rle_skip. PV_EINVAL past n_values. */
int pv_bitpacked_get_levels(pv_bitpacked *b, int16_t *out, size_t n, int16_t max_level, pv_err *err);
int pv_bitpacked_skip(pv_bitpacked *b, size_t n, pv_err *err);

/* The bit width of levels up to max_level: 0 for 0, 1 for 1, 2 for 2..3, ... */
unsigned pv_level_width(int32_t max_level);

#endif
