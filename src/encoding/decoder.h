/*
 * decoder.h - one interface over every value encoding: pick the decoder
 * for a page's (encoding, physical type), then get and skip values.
 *
 * This is what the read layer drives for the values section of a data page
 * (levels are rle.h's business). Output follows encoding.h for the
 * physical type: BOOLEAN bytes 0/1, packed 4/8/12-byte values, pv_bytes_view
 * for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY. Where views point:
 *   PLAIN, DELTA_LENGTH_BYTE_ARRAY     into the page bytes
 *   PLAIN_DICTIONARY, RLE_DICTIONARY   into the dictionary page bytes
 *   DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT (FIXED_LEN_BYTE_ARRAY)
 *                                      into scratch, a pv_buf the caller
 *                                      owns and caps; each get appends to
 *                                      it, so views stay valid until the
 *                                      caller resets it or a later get
 *                                      grows it
 * Encodings and types, as the spec pairs them:
 *   PLAIN                  every type
 *   RLE                    BOOLEAN (4-byte length prefix, width 1)
 *   PLAIN_DICTIONARY, RLE_DICTIONARY   every type; needs dict
 *   DELTA_BINARY_PACKED    INT32, INT64
 *   DELTA_LENGTH_BYTE_ARRAY   BYTE_ARRAY
 *   DELTA_BYTE_ARRAY       BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY; needs scratch
 *   BYTE_STREAM_SPLIT      INT32, INT64, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY
 *                          (needs scratch for the last)
 * Not thread-safe; a dictionary may be shared by decoders on many threads.
 * Includes base and encoding; never io, codec or anything above encoding
 * (it sees decompressed bytes, not files or pages).
 */
#ifndef PV_DECODER_H
#define PV_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "encoding/bss.h"
#include "encoding/delta.h"
#include "encoding/dict.h"
#include "encoding/encoding.h"
#include "encoding/plain.h"
#include "encoding/rle.h"

typedef struct pv_decoder {
	int encoding;            /* pv_encoding */
	int type;                /* pv_physical_type */
	size_t width;            /* output bytes per value: pv_value_width(type) */
	int64_t n_values;        /* declared at init */
	int64_t n_left;
	const pv_dict *dict;     /* borrowed */
	pv_buf *scratch;         /* borrowed */
	union {
		pv_plain plain;
		pv_rle rle;      /* RLE booleans, dictionary indices */
		pv_delta delta;
		pv_dlba dlba;
		pv_dba dba;
		pv_bss bss;
	} u;
} pv_decoder;

/* Starts decoding n_values values (the page's non-null values) of
 * physical_type (type_length for FIXED_LEN_BYTE_ARRAY) stored with
 * encoding in data[0, len). data, dict and scratch are borrowed and must
 * outlive the decoder (and the views it hands out). dict is required for
 * the dictionary encodings and must have the same physical type; scratch
 * where the table above says. Release with pv_decoder_release, also after
 * a failed init. Errors:
 *   PV_EUNSUPPORTED  an encoding this version does not know ("unsupported
 *                    encoding 10");
 *   PV_ECORRUPT      an encoding the spec does not define for the type
 *                    ("encoding 'DELTA_BINARY_PACKED' is not defined for
 *                    'DOUBLE'"), a dictionary-encoded page without a
 *                    dictionary, a stream holding fewer values than
 *                    n_values ("delta: header holds 50 values, the page
 *                    needs 100", "bss: data holds ..."), and each
 *                    decoder's own init errors;
 *   PV_EINVAL        negative n_values, no scratch where one is needed,
 *                    a dictionary of another type;
 *   PV_ENOMEM. */
int pv_decoder_init(pv_decoder *d, int encoding, int physical_type, int32_t type_length,
		    const uint8_t *data, size_t len, int64_t n_values, const pv_dict *dict,
		    pv_buf *scratch, pv_err *err);

/* Values still to read. */
static inline int64_t pv_decoder_left(const pv_decoder *d)
{
	return d->n_left;
}

/* Decodes the next n values into out (n * d->width bytes). Errors:
 * PV_EINVAL when n exceeds pv_decoder_left; the decoder's PV_ECORRUPT
 * errors; PV_ELIMIT when scratch reaches its cap; PV_ENOMEM. After an error
 * the decoder may only be released. */
int pv_decoder_get(pv_decoder *d, void *out, size_t n, pv_err *err);

/* PLAIN BYTE_ARRAY pages: pv_plain_copy_binary (the values' bytes copied
 * to dst with their offsets, stopping early without error); any other
 * encoding or type copies nothing (*out_need 0). */
size_t pv_decoder_copy_binary(pv_decoder *d, size_t n, uint8_t *dst, size_t room,
			      int32_t *offsets, size_t *out_bytes, size_t *out_need);

/* Moves past the next n values without producing them. Errors as
 * pv_decoder_get. */
int pv_decoder_skip(pv_decoder *d, size_t n, pv_err *err);

/* Frees what the decoder allocated (DELTA_BYTE_ARRAY's previous value).
 * NULL allowed. */
void pv_decoder_release(pv_decoder *d);

#endif
