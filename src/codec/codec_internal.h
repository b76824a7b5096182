/*
 * codec_internal.h - what codec.c and codec_lz4.c share: the deprecated
 * LZ4 codec's decoder, the two size messages every codec gives, and the
 * library error messages the one-shot and streaming decoders share.
 * Private to src/codec; includes only base.
 */
#ifndef PV_CODEC_INTERNAL_H
#define PV_CODEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct z_stream_s;

/* Lowercase codec names by id, for message prefixes ("zstd: ..."). */
extern const char *const pv_codec_lower_names[8];

/* The checks every decompression starts with: PV_EUNSUPPORTED for LZO
 * and unknown ids, PV_ELIMIT for sizes above PV_CODEC_MAX. */
int pv_codec_check(int codec, size_t src_len, size_t dst_len, pv_err *err);

/* zlib's inflate result zrc as the error pv_codec_decompress gives for it
 * ("gzip: truncated stream", "gzip: incorrect header check"). */
int pv_codec_zlib_error(int zrc, const struct z_stream_s *zs, pv_err *err);

/* A brotli decoder error code as PV_ENOMEM or PV_ECORRUPT "brotli:
 * malformed stream (padding 1)". */
int pv_codec_brotli_error(int code, pv_err *err);

/* PV_ECORRUPT "NAME: page decompresses to GOT bytes, header says WANT". */
int pv_codec_mismatch(pv_err *err, const char *name, size_t got, size_t want);

/* PV_ECORRUPT "NAME: page decompresses to more than WANT bytes, ...". */
int pv_codec_too_long(pv_err *err, const char *name, size_t want);

/* Codec 5 (LZ4) in any of its framings, as codec.h describes. src and dst
 * are real pointers, both lengths at most PV_CODEC_MAX and not both 0. */
int pv_codec_lz4_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			pv_err *err);

#endif
