/*
 * codec_lz4.c - the deprecated Parquet LZ4 codec (id 5), which writers
 * filled with three different framings over the years: Hadoop's block
 * framing (parquet-mr), the LZ4 frame format, and one raw LZ4 block (older
 * Arrow C++). The bytes do not say which, so the decoder tries them in
 * order of how unambiguous they are, the way Arrow's reader does.
 * Includes only base and the codec layer's own headers.
 */
#include <lz4.h>
#include <lz4frame.h>

#include "codec/codec.h"
#include "codec/codec_internal.h"
#include "base/banned.h"

static uint32_t load_u32be(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Hadoop's BlockCompressorStream: blocks of [u32be uncompressed size]
 * then one or more [u32be compressed size][raw LZ4 block] until that many
 * bytes came out (parquet-mr splits large pages into several inner
 * blocks). True only when the whole input parses and yields exactly
 * dst_len bytes; dst may be scribbled on either way. */
static bool hadoop_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
	size_t in = 0, out = 0;
	while (in < src_len) {
		if (src_len - in < 4)
			return false;
		uint32_t raw = load_u32be(src + in);
		in += 4;
		if (raw > dst_len - out)
			return false;
		size_t block_end = out + raw;
		/* At least one inner block, even for raw == 0 (an empty block
		 * is one token byte); each costs 4 input bytes, so this ends. */
		do {
			if (src_len - in < 4)
				return false;
			uint32_t clen = load_u32be(src + in);
			in += 4;
			if (clen > src_len - in)
				return false;
			int got = LZ4_decompress_safe((const char *)src + in, (char *)dst + out, (int)clen,
						      (int)(block_end - out));
			if (got < 0)
				return false;
			in += clen;
			out += (size_t)got;
		} while (out < block_end);
	}
	return out == dst_len;
}

/* One or more LZ4 frames. LZ4F decodes straight into dst when the rest of
 * dst holds a whole block and otherwise buffers at most one block (4 MiB
 * at the format's largest block size). */
static int frame_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			pv_err *err)
{
	LZ4F_dctx *d;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
		return pv_err_set(err, PV_ENOMEM, "lz4: out of memory");
	size_t in = 0, out = 0, hint = 1;
	int rc = 0;
	while (in < src_len) {
		size_t n_in = src_len - in, n_out = dst_len - out;
		hint = LZ4F_decompress(d, dst + out, &n_out, src + in, &n_in, NULL);
		if (LZ4F_isError(hint)) {
			rc = pv_err_set(err, PV_ECORRUPT, "lz4: malformed frame (%s)",
					LZ4F_getErrorName(hint));
			break;
		}
		in += n_in;
		out += n_out;
		/* hint 0: a frame ended; another may follow. No progress at
		 * all means dst is full and the frame wants to write more. */
		if (n_in == 0 && n_out == 0) {
			rc = out == dst_len ? pv_codec_too_long(err, "lz4", dst_len)
					    : pv_err_set(err, PV_ECORRUPT, "lz4: malformed frame");
			break;
		}
	}
	if (!rc && hint != 0)
		rc = out == dst_len ? pv_codec_too_long(err, "lz4", dst_len)
				    : pv_err_set(err, PV_ECORRUPT, "lz4: truncated frame");
	if (!rc && out != dst_len)
		rc = pv_codec_mismatch(err, "lz4", out, dst_len);
	LZ4F_freeDecompressionContext(d);
	return rc;
}

int pv_codec_lz4_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			pv_err *err)
{
	/* Hadoop first, but only when its first block header is plausible:
	 * the sizes fit the output and the remaining input. */
	if (src_len >= 8 && load_u32be(src) <= dst_len && load_u32be(src + 4) <= src_len - 8 &&
	    hadoop_decode(src, src_len, dst, dst_len))
		return 0;
	if (src_len >= 4 && load_u32be(src) == 0x04224d18u)
		return frame_decode(src, src_len, dst, dst_len, err);
	int got = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
	if (got < 0)
		return pv_err_set(err, PV_ECORRUPT,
				  "lz4: neither hadoop-framed nor a raw block of at most %zu bytes",
				  dst_len);
	if ((size_t)got != dst_len)
		return pv_codec_mismatch(err, "lz4", (size_t)got, dst_len);
	return 0;
}
