/*
 * codec_stream.c - page bodies decompressed a piece at a time (codec.h's
 * pv_codec_stream): zstd, gzip and brotli through their libraries'
 * streaming calls, UNCOMPRESSED as a copy, and the codecs without a
 * streaming form gathered and decompressed whole. Sizes follow
 * pv_codec_decompress's rules and messages: exactly dst_len bytes from
 * exactly src_len bytes.
 * Includes only base, format and the codec headers; nothing above codec.
 */
#include <stdlib.h>
#include <string.h>

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "codec/codec.h"
#include "codec/codec_internal.h"
#include "base/banned.h"

struct pv_codec_stream {
	int codec;
	const char *name;
	size_t src_len, dst_len;
	size_t fed;          /* input consumed */
	size_t made;         /* output handed out */
	bool ended;          /* the codec's stream (frame, member) is complete */
	bool done;
	bool failed;
	ZSTD_DCtx *zstd;
	z_stream gz;
	bool gz_ready;
	BrotliDecoderState *brotli;
	/* the codecs decompressed whole */
	uint8_t *in_buf;
	uint8_t *out_buf;
	bool decoded;
};

bool pv_codec_stream_whole(int codec)
{
	return codec == PV_CODEC_SNAPPY || codec == PV_CODEC_LZ4 || codec == PV_CODEC_LZ4_RAW;
}

int pv_codec_stream_new(int codec, size_t src_len, size_t dst_len, pv_codec_stream **out,
			pv_err *err)
{
	*out = NULL;
	int rc = pv_codec_check(codec, src_len, dst_len, err);
	if (rc)
		return rc;
	if (codec == PV_CODEC_UNCOMPRESSED && src_len != dst_len)
		return pv_err_set(err, PV_ECORRUPT, "uncompressed: page has %zu bytes, header says %zu",
				  src_len, dst_len);
	pv_codec_stream *s = calloc(1, sizeof *s);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	s->codec = codec;
	s->name = pv_codec_lower_names[codec];
	s->src_len = src_len;
	s->dst_len = dst_len;
	/* as in pv_codec_decompress: an empty page may store no bytes at all */
	s->done = src_len == 0 && dst_len == 0;
	if (codec == PV_CODEC_ZSTD) {
		/* no input at all is zero frames, which make an empty page */
		s->ended = true;
		s->zstd = ZSTD_createDCtx();
		if (!s->zstd)
			rc = pv_err_set(err, PV_ENOMEM, "zstd: out of memory");
	} else if (codec == PV_CODEC_GZIP) {
		int zrc = inflateInit2(&s->gz, 15 + 32);
		if (zrc != Z_OK)
			rc = pv_codec_zlib_error(zrc, &s->gz, err);
		else
			s->gz_ready = true;
	} else if (codec == PV_CODEC_BROTLI) {
		s->brotli = BrotliDecoderCreateInstance(NULL, NULL, NULL);
		if (!s->brotli)
			rc = pv_err_set(err, PV_ENOMEM, "brotli: out of memory");
	}
	if (rc) {
		pv_codec_stream_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void pv_codec_stream_free(pv_codec_stream *s)
{
	if (!s)
		return;
	ZSTD_freeDCtx(s->zstd);
	if (s->gz_ready)
		inflateEnd(&s->gz);
	if (s->brotli)
		BrotliDecoderDestroyInstance(s->brotli);
	free(s->in_buf);
	free(s->out_buf);
	free(s);
}

size_t pv_codec_stream_made(const pv_codec_stream *s)
{
	return s->made;
}

bool pv_codec_stream_done(const pv_codec_stream *s)
{
	return s->done;
}

/* After a step that consumed in_used and made out_made bytes: done when
 * every byte is in and out and the codec's stream ended; a step that got
 * nowhere with all input consumed is a short or truncated stream. */
static int settle(pv_codec_stream *s, size_t in_used, size_t out_made, const char *truncated,
		  pv_err *err)
{
	s->fed += in_used;
	s->made += out_made;
	if (s->fed == s->src_len && s->made == s->dst_len && s->ended) {
		s->done = true;
		return 0;
	}
	if (s->fed == s->src_len && in_used == 0 && out_made == 0) {
		if (s->ended)
			return pv_codec_mismatch(err, s->name, s->made, s->dst_len);
		return pv_err_set(err, PV_ECORRUPT, "%s", truncated);
	}
	return 0;
}

/* Each step gets out_len == 0 once dst_len bytes came out, and then
 * decodes into one spare byte: a byte there means the page is longer than
 * its header says. */

static int step_zstd(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
		     uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	uint8_t spare;
	ZSTD_inBuffer ib = { in, in_len, 0 };
	ZSTD_outBuffer ob = { out_len ? out : &spare, out_len ? out_len : 1, 0 };
	size_t r = ZSTD_decompressStream(s->zstd, &ob, &ib);
	if (ZSTD_isError(r)) {
		if (ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation)
			return pv_err_set(err, PV_ENOMEM, "zstd: out of memory");
		if (ZSTD_getErrorCode(r) == ZSTD_error_dstSize_tooSmall)
			return pv_codec_too_long(err, "zstd", s->dst_len);
		return pv_err_set(err, PV_ECORRUPT, "zstd: %s", ZSTD_getErrorName(r));
	}
	if (!out_len && ob.pos)
		return pv_codec_too_long(err, "zstd", s->dst_len);
	/* 0: a frame is complete and flushed; a next one may follow. A call
	 * that got nowhere says nothing new unless it returns 0. */
	if (ib.pos || ob.pos || r == 0)
		s->ended = r == 0;
	*in_used = ib.pos;
	*out_made = ob.pos;
	return settle(s, ib.pos, ob.pos, "zstd: truncated stream", err);
}

static int step_gzip(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
		     uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	uint8_t spare;
	z_stream *zs = &s->gz;
	if (s->ended && in_len > 0) {
		/* concatenated gzip members join, as in pv_codec_decompress */
		int zrc = inflateReset(zs);
		if (zrc != Z_OK)
			return pv_codec_zlib_error(zrc, zs, err);
		s->ended = false;
	}
	zs->next_in = (Bytef *)(uintptr_t)in;
	zs->avail_in = (uInt)in_len;
	zs->next_out = out_len ? out : &spare;
	zs->avail_out = out_len ? (uInt)out_len : 1;
	int zrc = Z_OK;
	if (!s->ended)
		zrc = inflate(zs, Z_NO_FLUSH);
	size_t used = in_len - zs->avail_in;
	size_t made = (out_len ? out_len : 1) - zs->avail_out;
	if (!out_len && made)
		return pv_codec_too_long(err, "gzip", s->dst_len);
	if (zrc == Z_STREAM_END)
		s->ended = true;
	else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
		return pv_codec_zlib_error(zrc, zs, err);
	*in_used = used;
	*out_made = made;
	return settle(s, used, made, "gzip: truncated stream", err);
}

static int step_brotli(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
		       uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	uint8_t spare;
	size_t avail_in = in_len, avail_out = out_len ? out_len : 1;
	const uint8_t *next_in = in ? in : &spare;
	uint8_t *next_out = out_len ? out : &spare;
	if (s->ended) {
		/* brotli has one stream; anything after it is garbage */
		if (s->src_len > s->fed)
			return pv_err_set(err, PV_ECORRUPT, "brotli: %zu bytes after the end of the stream",
					  s->src_len - s->fed);
		return settle(s, 0, 0, "brotli: truncated stream", err);
	}
	BrotliDecoderResult r = BrotliDecoderDecompressStream(s->brotli, &avail_in, &next_in,
							      &avail_out, &next_out, NULL);
	size_t used = in_len - avail_in;
	size_t made = (out_len ? out_len : 1) - avail_out;
	if (r == BROTLI_DECODER_RESULT_ERROR)
		return pv_codec_brotli_error(BrotliDecoderGetErrorCode(s->brotli), err);
	if (!out_len && made)
		return pv_codec_too_long(err, "brotli", s->dst_len);
	if (r == BROTLI_DECODER_RESULT_SUCCESS) {
		s->ended = true;
		if (s->src_len > s->fed + used)
			return pv_err_set(err, PV_ECORRUPT, "brotli: %zu bytes after the end of the stream",
					  s->src_len - s->fed - used);
	}
	*in_used = used;
	*out_made = made;
	return settle(s, used, made, "brotli: truncated stream", err);
}

static int step_copy(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
		     uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	size_t n = in_len < out_len ? in_len : out_len;
	if (n)
		memcpy(out, in, n);
	s->ended = true;
	*in_used = *out_made = n;
	return settle(s, n, n, "uncompressed: truncated page", err);
}

/* Snappy and LZ4: gather the whole input, decompress it whole, hand it out. */
static int step_whole(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
		      uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	if (!s->decoded) {
		if (!s->in_buf && !(s->in_buf = malloc(s->src_len ? s->src_len : 1)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		if (in_len)
			memcpy(s->in_buf + s->fed, in, in_len);
		s->fed += in_len;
		*in_used = in_len;
		if (s->fed < s->src_len)
			return 0;
		if (!(s->out_buf = malloc(s->dst_len ? s->dst_len : 1)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		int rc = pv_codec_decompress(s->codec, s->in_buf, s->src_len, s->out_buf, s->dst_len,
					     err);
		free(s->in_buf);
		s->in_buf = NULL;
		if (rc)
			return rc;
		s->decoded = true;
		s->ended = true;
	}
	size_t n = s->dst_len - s->made < out_len ? s->dst_len - s->made : out_len;
	if (n)
		memcpy(out, s->out_buf + s->made, n);
	s->made += n;
	*out_made = n;
	if (s->made == s->dst_len) {
		s->done = true;
		free(s->out_buf);
		s->out_buf = NULL;
	}
	return 0;
}

int pv_codec_stream_next(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
			 uint8_t *out, size_t out_len, size_t *out_made, pv_err *err)
{
	*in_used = 0;
	*out_made = 0;
	if (s->failed)
		return pv_err_set(err, PV_EINTERNAL, "%s: stream used after an error", s->name);
	if (s->done)
		return 0;
	if (in_len > s->src_len - s->fed)
		in_len = s->src_len - s->fed;
	if (out_len > s->dst_len - s->made)
		out_len = s->dst_len - s->made;
	int rc;
	switch (s->codec) {
	case PV_CODEC_ZSTD:
		rc = step_zstd(s, in, in_len, in_used, out, out_len, out_made, err);
		break;
	case PV_CODEC_GZIP:
		rc = step_gzip(s, in, in_len, in_used, out, out_len, out_made, err);
		break;
	case PV_CODEC_BROTLI:
		rc = step_brotli(s, in, in_len, in_used, out, out_len, out_made, err);
		break;
	case PV_CODEC_UNCOMPRESSED:
		rc = step_copy(s, in, in_len, in_used, out, out_len, out_made, err);
		break;
	default:
		rc = step_whole(s, in, in_len, in_used, out, out_len, out_made, err);
		break;
	}
	if (rc)
		s->failed = true;
	return rc;
}
