/*
 * delta.h - DELTA_BINARY_PACKED (INT32, INT64), DELTA_LENGTH_BYTE_ARRAY and
 * DELTA_BYTE_ARRAY (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
 *
 * DELTA_BINARY_PACKED: a header <block size> <miniblocks per block> <total
 * value count> <first value> (ULEB128, the last zigzag), then blocks of
 * <min delta (zigzag)> <one bit width byte per miniblock> <miniblocks>,
 * each miniblock holding block_size / n_miniblocks deltas bit-packed
 * LSB-first. Value i+1 = value i + min delta + packed delta, in uint64
 * arithmetic that wraps as the spec requires (INT32 output keeps the low 32
 * bits, which is the same as wrapping in 32 bits). The header's count caps
 * what the stream yields. Checked: block size a positive multiple of 128
 * (at most PV_DELTA_MAX_BLOCK), miniblock size a multiple of 32, bit
 * widths at most 64, miniblock bodies inside the data. Lenient: the bit
 * widths of miniblocks the last block does not need are ignored (the spec
 * says they may be garbage), and a final miniblock whose padding is cut
 * short is accepted when the values themselves are all there.
 *
 * DELTA_LENGTH_BYTE_ARRAY: the lengths as DELTA_BINARY_PACKED (INT32), then
 * the bytes back to back; views point INTO the input. DELTA_BYTE_ARRAY:
 * prefix lengths (DELTA_BINARY_PACKED), then the suffixes as
 * DELTA_LENGTH_BYTE_ARRAY; value i = the first prefix[i] bytes of value
 * i-1, then suffix i. Its values are rebuilt into a pv_buf the caller
 * provides (and caps).
 *
 * Skipping decodes deltas (it must know the last value) but stores none;
 * miniblocks of width 0 are skipped arithmetically. None of these decoders
 * allocates except pv_dba, which keeps a copy of the previous value (no
 * longer than the page). Not thread-safe.
 * Includes base and encoding; never io, codec or anything above encoding.
 */
#ifndef PV_DELTA_H
#define PV_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "encoding/encoding.h"

/* The largest block size accepted (writers use 128 to a few thousand). */
#define PV_DELTA_MAX_BLOCK ((uint64_t)1 << 24)

/* ------------------------------------------------------------------ DELTA_BINARY_PACKED */

typedef struct pv_delta {
	const uint8_t *start;    /* the header */
	const uint8_t *p;        /* next unread byte: a block header or a miniblock body */
	const uint8_t *end;
	uint32_t block_size;     /* deltas per block */
	uint32_t n_mini;         /* miniblocks per block */
	uint32_t mini_size;      /* deltas per miniblock */
	int64_t n_total;         /* values the header announces */
	int64_t n_left;          /* values not yet returned */
	uint64_t last;           /* the last value returned (the first value before that) */
	bool first_done;         /* the first value has been returned */
	/* the current block and miniblock */
	uint64_t min_delta;
	const uint8_t *widths;   /* the block's bit widths */
	uint32_t mini;           /* current miniblock within the block */
	int64_t block_index;     /* blocks read so far, for messages */
	bool in_block;
	const uint8_t *body;     /* next unread group of the current miniblock */
	const uint8_t *body_end;
	unsigned width;          /* its bit width */
	int64_t mini_left;       /* deltas left in it (buffered ones included) */
	unsigned group_pos;      /* next delta in group[]; 8 when empty */
	uint64_t group[8];       /* a partly consumed group of deltas */
} pv_delta;

/* Parses the header of the stream in data[0, len) (data must outlive the
 * decoder). Errors: PV_ECORRUPT "delta: truncated header", "delta: block
 * size 100 is not a positive multiple of 128", "delta: 3 miniblocks do not
 * divide a block of 128 into multiples of 32 values", "delta: block size
 * 2147483648 exceeds 16777216". */
int pv_delta_init(pv_delta *d, const uint8_t *data, size_t len, pv_err *err);

/* Values the stream still holds (the header count minus those read). */
static inline int64_t pv_delta_left(const pv_delta *d)
{
	return d->n_left;
}

/* Decodes the next n values. Errors: PV_ECORRUPT "delta: asked for 100
 * values, the stream holds 50" (the header is the authority, so asking
 * past it means the page and the stream disagree), "delta: miniblock bit
 * width 65 exceeds 64", "delta: miniblock 2 of block 3 needs 64 bytes, 10
 * left", "delta: truncated header of block 3". After an error, stop. */
int pv_delta_get_i32(pv_delta *d, int32_t *out, size_t n, pv_err *err);
int pv_delta_get_i64(pv_delta *d, int64_t *out, size_t n, pv_err *err);

/* Moves past n values. Errors as the getters. */
int pv_delta_skip(pv_delta *d, size_t n, pv_err *err);

/* Skips every value left and sets *out_len to the stream's length in bytes
 * from the header on: where the data after it (DELTA_LENGTH_BYTE_ARRAY's
 * bytes, DELTA_BYTE_ARRAY's suffixes) starts. Errors as the getters. */
int pv_delta_finish(pv_delta *d, size_t *out_len, pv_err *err);

/* ------------------------------------------------------------------ DELTA_LENGTH_BYTE_ARRAY */

typedef struct pv_dlba {
	pv_delta lengths;
	const uint8_t *bytes;    /* the next value's bytes */
	const uint8_t *bytes_end;/* end of the bytes the lengths account for */
	int64_t n_values;        /* the header's count */
} pv_dlba;

/* Parses the lengths stream and checks it whole (each length 0..INT32_MAX,
 * their sum within the bytes that follow), so get and skip cannot fail on
 * the data afterwards. This decodes the lengths once; get decodes them
 * again (no allocation either time). max_values is the most values the
 * page can hold (its num_values): a header claiming more is corrupt, which
 * also bounds the work of the check. Bytes after the last value are
 * ignored. Errors: PV_ECORRUPT "delta: header claims 500 values, the page
 * holds at most 100", "delta: negative length -4 of byte array 12",
 * "delta: byte arrays need 900 bytes, 700 follow the lengths" (or "need
 * more than the 800 bytes of the page", found before the lengths end), and
 * those of pv_delta_init / pv_delta_finish. */
int pv_dlba_init(pv_dlba *d, const uint8_t *data, size_t len, int64_t max_values, pv_err *err);

static inline int64_t pv_dlba_left(const pv_dlba *d)
{
	return d->lengths.n_left;
}

/* Views of the next n values, pointing into data. Errors: PV_ECORRUPT when
 * n exceeds pv_dlba_left ("delta: asked for ..."). */
int pv_dlba_get(pv_dlba *d, pv_bytes_view *out, size_t n, pv_err *err);

/* The offsets form: out_offsets[0..n] (n + 1 entries) are the next n
 * values' offsets relative to *out_data (out_offsets[0] == 0), so the bytes
 * of value i are (*out_data)[out_offsets[i], out_offsets[i + 1]), ready for
 * an Arrow binary array without copying. Errors as pv_dlba_get. */
int pv_dlba_get_offsets(pv_dlba *d, int64_t *out_offsets, size_t n, const uint8_t **out_data,
			pv_err *err);

int pv_dlba_skip(pv_dlba *d, size_t n, pv_err *err);

/* ------------------------------------------------------------------ DELTA_BYTE_ARRAY */

typedef struct pv_dba {
	pv_delta prefixes;
	pv_dlba suffixes;
	int32_t fixed_len;       /* FIXED_LEN_BYTE_ARRAY: every value's length; -1 otherwise */
	uint8_t *last;           /* the previous value (owned) */
	size_t last_len, last_cap;
	size_t max_len;          /* no value can be longer: the sum of the suffixes */
} pv_dba;

/* Parses both streams; the prefix count must equal the suffix count, and
 * neither may exceed max_values (as pv_dlba_init). fixed_len is the FIXED_LEN_BYTE_ARRAY length, or -1 for BYTE_ARRAY.
 * Release with pv_dba_release (also after a failed init). Errors:
 * PV_ECORRUPT "delta: 10 prefix lengths but 9 suffixes", "delta: negative
 * prefix length -1 of byte array 3", and those of pv_dlba_init. */
int pv_dba_init(pv_dba *d, const uint8_t *data, size_t len, int32_t fixed_len, int64_t max_values,
		pv_err *err);

/* Frees the previous-value copy. NULL allowed. */
void pv_dba_release(pv_dba *d);

static inline int64_t pv_dba_left(const pv_dba *d)
{
	return d->prefixes.n_left;
}

/* Rebuilds the next n values and appends them to out_buf (its cap bounds
 * the output: prefix sharing lets a small page expand a lot), setting
 * out[i] to views into out_buf->data. The views stay valid until out_buf
 * is changed again (the next get with the same buffer may move it: consume
 * or rebase the views first, or use one buffer per batch). Errors:
 * PV_ECORRUPT "delta: prefix length 7 of byte array 3 exceeds the previous
 * value's 5 bytes", "delta: byte array 3 is 5 bytes, not the fixed 4";
 * PV_ELIMIT at the buffer's cap; PV_ENOMEM; "delta: asked for ...". */
int pv_dba_get(pv_dba *d, pv_bytes_view *out, size_t n, pv_buf *out_buf, pv_err *err);

/* Moves past n values, rebuilding only the last one (in place, in the
 * decoder's own copy). Errors as pv_dba_get except PV_ELIMIT. */
int pv_dba_skip(pv_dba *d, size_t n, pv_err *err);

#endif
