/*
 * encoding.h - what every decoder of the encoding layer shares: the byte
 * array view and the output layout of each physical type. The decoders:
 * rle.h (RLE/bit-packing hybrid, BIT_PACKED levels), plain.h, dict.h,
 * delta.h (DELTA_*), bss.h (BYTE_STREAM_SPLIT), and decoder.h, which picks
 * one for a page's (encoding, physical type).
 *
 * The encoding layer turns DECOMPRESSED page bytes into typed arrays. It
 * knows nothing about pages, files or columns: callers hand it a byte range
 * and a value count. Output layout, the same for every decoder:
 *
 *   BOOLEAN               uint8_t per value, 0 or 1 (not bit-packed)
 *   INT32 / FLOAT         4 bytes per value, little-endian (int32_t, float)
 *   INT64 / DOUBLE        8 bytes per value, little-endian (int64_t, double)
 *   INT96                 12 bytes per value, as stored
 *   BYTE_ARRAY / FLBA     pv_bytes_view per value; each decoder says where
 *                         the bytes live (the input page, a dictionary, or
 *                         a caller-provided pv_buf)
 *
 * Every decoder is a small caller-owned struct: _init over (data, len, ...),
 * _get(n values into out), _skip(n values). Decoders never allocate per
 * value; those that allocate at all say so and have a _release. A decoder
 * is not thread-safe; distinct decoders may run on distinct threads, and a
 * finished pv_dict may be shared read-only. Errors are PV_ECORRUPT for bytes
 * that do not follow the format (messages name the encoding: "rle: ...",
 * "delta: ..."), PV_EINVAL for a caller asking for more values than it
 * declared at init; decoders whose count comes from the data (DELTA_*,
 * BYTE_STREAM_SPLIT) answer that with PV_ECORRUPT: page and stream disagree.
 * The input bytes are hostile: every read is bounds-checked and no count
 * from the data drives an allocation without a cap.
 * Includes only the C library; never io, codec or anything above encoding.
 */
#ifndef PV_ENCODING_H
#define PV_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "parqview's decoders copy little-endian Parquet values as they are: little-endian hosts only"
#endif

/* One byte array value: len bytes at ptr (ptr may be NULL when len is 0).
 * Never owns its bytes. */
typedef struct pv_bytes_view {
	const uint8_t *ptr;
	uint32_t len;
} pv_bytes_view;

/* Bytes one value takes in the layout above: 1 (BOOLEAN), 4, 8, 12
 * (INT96), sizeof(pv_bytes_view) (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY);
 * 0 for an unknown type. */
size_t pv_value_width(int physical_type);

/* Bytes one value takes in the file's PLAIN form, which is also the width
 * BYTE_STREAM_SPLIT splits: 4, 8, 12, type_length for FIXED_LEN_BYTE_ARRAY
 * (0 when negative); 0 for BOOLEAN (bits), BYTE_ARRAY (variable) and
 * unknown types. */
size_t pv_plain_width(int physical_type, int32_t type_length);

#endif
