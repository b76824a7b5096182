/*
 * codec.c - Parquet page decompression and compression on top of the
 * system libraries (snappy, zlib, zstd, lz4, brotli), with the size rules
 * of codec.h: exactly dst_len bytes out, nothing written outside dst,
 * every stream checked to its last byte. The deprecated LZ4 codec's
 * framings live in codec_lz4.c. libsnappy is loaded on the first snappy
 * page (base/dynlib.h): it brings libstdc++, whose relocations cost every
 * start of the program about a millisecond, and most files are not snappy.
 * Includes only base, format and the codec headers; nothing above codec.
 */
#include "codec/codec.h"

#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <brotli/decode.h>
#include <lz4.h>
#include <lz4hc.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#ifdef PV_HAVE_BROTLIENC
#include <brotli/encode.h>
#endif

#include "base/dynlib.h"
#include "codec/codec_internal.h"
#include "base/banned.h"

/* Lowercase names for message prefixes ("snappy: ..."); pv_codec_name
 * gives the uppercase wire names. */
const char *const pv_codec_lower_names[8] = { "uncompressed", "snappy", "gzip", "lzo",
	"brotli", "lz4", "zstd", "lz4_raw" };

#define N_CODECS ((int)(sizeof pv_codec_lower_names / sizeof pv_codec_lower_names[0]))

int pv_codec_mismatch(pv_err *err, const char *name, size_t got, size_t want)
{
	return pv_err_set(err, PV_ECORRUPT, "%s: page decompresses to %zu bytes, header says %zu",
			  name, got, want);
}

int pv_codec_too_long(pv_err *err, const char *name, size_t want)
{
	return pv_err_set(err, PV_ECORRUPT,
			  "%s: page decompresses to more than %zu bytes, header says %zu", name, want,
			  want);
}

/* ------------------------------------------------------------------ snappy */

#define SNAPPY_SONAME "libsnappy.so.1"

#define PV_SNAPPY_FUNCS(X) \
	X(uncompressed_length) \
	X(uncompress) \
	X(max_compressed_length) \
	X(compress)

#define PV_SNAPPY_FIELD(name) __typeof__(snappy_##name) *name;
#define PV_SNAPPY_NAME(name) "snappy_" #name,
static struct {
	PV_SNAPPY_FUNCS(PV_SNAPPY_FIELD)
} snappy;
static const char *const snappy_names[] = { PV_SNAPPY_FUNCS(PV_SNAPPY_NAME) };
_Static_assert(sizeof snappy == sizeof snappy_names / sizeof snappy_names[0] * sizeof(void *),
	       "one pointer per name");
static pv_dynlib snappy_lib =
	PV_DYNLIB_INIT(SNAPPY_SONAME, "libsnappy1v5", "snappy pages", snappy_names, &snappy);

/* 0 once libsnappy is loaded; else its error, prefixed "snappy: ". */
static int snappy_ready(pv_err *err)
{
	pv_err e;
	int rc = pv_dynlib_load(&snappy_lib, &e);
	return rc ? pv_err_set(err, rc, "snappy: %s", e.msg) : 0;
}

/* ------------------------------------------------------------------ decoders */

static int decode_plain(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			pv_err *err)
{
	if (src_len != dst_len)
		return pv_err_set(err, PV_ECORRUPT, "uncompressed: page has %zu bytes, header says %zu",
				  src_len, dst_len);
	memcpy(dst, src, dst_len);
	return 0;
}

static int decode_snappy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			 pv_err *err)
{
	size_t want;
	/* The length prefix comes first, so a lie is caught before any work. */
	int rc = snappy_ready(err);
	if (rc)
		return rc;
	if (snappy.uncompressed_length((const char *)src, src_len, &want) != SNAPPY_OK)
		return pv_err_set(err, PV_ECORRUPT, "snappy: malformed length prefix");
	if (want != dst_len)
		return pv_codec_mismatch(err, "snappy", want, dst_len);
	size_t got = dst_len;
	if (snappy.uncompress((const char *)src, src_len, (char *)dst, &got) != SNAPPY_OK)
		return pv_err_set(err, PV_ECORRUPT, "snappy: malformed or truncated stream");
	if (got != dst_len)
		return pv_codec_mismatch(err, "snappy", got, dst_len);
	return 0;
}

int pv_codec_zlib_error(int zrc, const z_stream *zs, pv_err *err)
{
	switch (zrc) {
	case Z_MEM_ERROR:
		return pv_err_set(err, PV_ENOMEM, "gzip: out of memory");
	case Z_NEED_DICT:
		return pv_err_set(err, PV_ECORRUPT, "gzip: stream needs a preset dictionary");
	case Z_DATA_ERROR:
		return pv_err_set(err, PV_ECORRUPT, "gzip: %s", zs->msg ? zs->msg : "malformed stream");
	case Z_BUF_ERROR:
		return pv_err_set(err, PV_ECORRUPT, "gzip: truncated stream");
	default:
		return pv_err_set(err, PV_EINTERNAL, "gzip: zlib error %d", zrc);
	}
}

static int decode_gzip(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
		       pv_err *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	/* 15 + 32: the largest window, and a gzip or zlib header detected. */
	int zrc = inflateInit2(&zs, 15 + 32);
	if (zrc != Z_OK)
		return pv_codec_zlib_error(zrc, &zs, err);
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)src_len;
	zs.next_out = dst;
	zs.avail_out = (uInt)dst_len;
	/* Once dst is full the stream gets one spare byte: if inflate writes
	 * it, the page is longer than its header says; if not, the stream
	 * may still end cleanly (trailer, empty final block, more members). */
	uint8_t spare;
	bool in_spare = false;
	int rc = 0;
	for (;;) {
		if (zs.avail_out == 0) {
			if (in_spare) {
				rc = pv_codec_too_long(err, "gzip", dst_len);
				break;
			}
			zs.next_out = &spare;
			zs.avail_out = 1;
			in_spare = true;
		}
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc == Z_OK)
			continue;
		if (zrc == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			/* Concatenated gzip members: each is a complete stream
			 * and their outputs join (RFC 1952, section 2.2). */
			zrc = inflateReset(&zs);
			if (zrc == Z_OK)
				continue;
		}
		if (zs.avail_out == 0 && in_spare) {
			rc = pv_codec_too_long(err, "gzip", dst_len);
			break;
		}
		rc = pv_codec_zlib_error(zrc, &zs, err);
		break;
	}
	if (!rc) {
		/* The last member may have ended right after filling the spare. */
		size_t got = in_spare ? dst_len + 1 - zs.avail_out : dst_len - zs.avail_out;
		if (got > dst_len)
			rc = pv_codec_too_long(err, "gzip", dst_len);
		else if (got != dst_len)
			rc = pv_codec_mismatch(err, "gzip", got, dst_len);
	}
	inflateEnd(&zs);
	return rc;
}

/* One zstd decompression context per thread, made on first use and freed
 * when the thread exits (the context is about 100 KiB to set up, pages can
 * be a few bytes). */
static pthread_once_t zstd_once = PTHREAD_ONCE_INIT;
static pthread_key_t zstd_key;
static bool zstd_key_ok;

static void zstd_dctx_destroy(void *p)
{
	ZSTD_freeDCtx(p);
}

static void zstd_key_create(void)
{
	zstd_key_ok = pthread_key_create(&zstd_key, zstd_dctx_destroy) == 0;
}

/* The thread's context; *out_owned says the caller must free it (when the
 * thread-specific slot is unavailable). NULL when out of memory. */
static ZSTD_DCtx *zstd_dctx_get(bool *out_owned)
{
	pthread_once(&zstd_once, zstd_key_create);
	*out_owned = false;
	ZSTD_DCtx *d = zstd_key_ok ? pthread_getspecific(zstd_key) : NULL;
	if (d)
		return d;
	d = ZSTD_createDCtx();
	if (d && !(zstd_key_ok && pthread_setspecific(zstd_key, d) == 0))
		*out_owned = true;
	return d;
}

static int decode_zstd(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
		       pv_err *err)
{
	bool owned;
	ZSTD_DCtx *d = zstd_dctx_get(&owned);
	if (!d)
		return pv_err_set(err, PV_ENOMEM, "zstd: out of memory");
	/* Single-shot decoding writes straight into dst (no window buffer)
	 * and walks every frame, skippable ones included. */
	size_t r = ZSTD_decompressDCtx(d, dst, dst_len, src, src_len);
	if (owned)
		ZSTD_freeDCtx(d);
	if (ZSTD_isError(r)) {
		switch (ZSTD_getErrorCode(r)) {
		case ZSTD_error_dstSize_tooSmall:
			return pv_codec_too_long(err, "zstd", dst_len);
		case ZSTD_error_memory_allocation:
			return pv_err_set(err, PV_ENOMEM, "zstd: out of memory");
		default:
			return pv_err_set(err, PV_ECORRUPT, "zstd: %s", ZSTD_getErrorName(r));
		}
	}
	if (r != dst_len)
		return pv_codec_mismatch(err, "zstd", r, dst_len);
	return 0;
}

/* "PADDING_1" -> "padding 1", for messages. */
static void brotli_reason(int code, char *out, size_t n)
{
	const char *s = BrotliDecoderErrorString((BrotliDecoderErrorCode)code);
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = s[i] == '_' ? ' ' : (char)tolower((unsigned char)s[i]);
	out[i] = '\0';
}

int pv_codec_brotli_error(int code, pv_err *err)
{
	char why[64];
	brotli_reason(code, why, sizeof why);
	if (code <= BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES &&
	    code >= BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES)
		return pv_err_set(err, PV_ENOMEM, "brotli: out of memory (%s)", why);
	return pv_err_set(err, PV_ECORRUPT, "brotli: malformed stream (%s)", why);
}

static int decode_brotli(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			 pv_err *err)
{
	BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "brotli: out of memory");
	size_t avail_in = src_len, avail_out = dst_len;
	const uint8_t *next_in = src;
	uint8_t *next_out = dst;
	/* The streaming call rather than BrotliDecoderDecompress, which folds
	 * "output too small", "input too short" and trailing bytes into one
	 * error or none. */
	BrotliDecoderResult r =
		BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
	int rc = 0;
	switch (r) {
	case BROTLI_DECODER_RESULT_SUCCESS:
		if (avail_in)
			rc = pv_err_set(err, PV_ECORRUPT, "brotli: %zu bytes after the end of the stream",
					avail_in);
		else if (avail_out)
			rc = pv_codec_mismatch(err, "brotli", dst_len - avail_out, dst_len);
		break;
	case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
		rc = pv_codec_too_long(err, "brotli", dst_len);
		break;
	case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
		rc = pv_err_set(err, PV_ECORRUPT, "brotli: truncated stream");
		break;
	default:
		rc = pv_codec_brotli_error(BrotliDecoderGetErrorCode(s), err);
		break;
	}
	BrotliDecoderDestroyInstance(s);
	return rc;
}

static int decode_lz4_raw(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
			  pv_err *err)
{
	int got = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
	/* LZ4 cannot tell a malformed block from one that needs more room. */
	if (got < 0)
		return pv_err_set(err, PV_ECORRUPT,
				  "lz4_raw: malformed block, or one longer than the %zu bytes the "
				  "header says",
				  dst_len);
	if ((size_t)got != dst_len)
		return pv_codec_mismatch(err, "lz4_raw", (size_t)got, dst_len);
	return 0;
}

int pv_codec_check(int codec, size_t src_len, size_t dst_len, pv_err *err)
{
	if (codec < 0 || codec >= N_CODECS)
		return pv_err_set(err, PV_EUNSUPPORTED, "unknown codec %d", codec);
	if (codec == PV_CODEC_LZO)
		return pv_err_set(err, PV_EUNSUPPORTED, "unsupported codec 'LZO'");
	if (src_len > PV_CODEC_MAX || dst_len > PV_CODEC_MAX)
		return pv_err_set(err, PV_ELIMIT, "%s: page of %zu bytes (%zu compressed) exceeds %zu",
				  pv_codec_lower_names[codec], dst_len, src_len, PV_CODEC_MAX);
	return 0;
}

int pv_codec_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
			size_t dst_len, pv_err *err)
{
	assert(src || !src_len);
	assert(dst || !dst_len);
	int rc = pv_codec_check(codec, src_len, dst_len, err);
	if (rc)
		return rc;
	/* A v2 page whose values take no bytes often stores none at all,
	 * not even an empty stream. */
	if (src_len == 0 && dst_len == 0)
		return 0;
	/* Libraries get real pointers even for empty ranges. */
	static const uint8_t no_input[1];
	uint8_t no_output[1];
	if (!src)
		src = no_input;
	if (!dst)
		dst = no_output;
	switch (codec) {
	case PV_CODEC_UNCOMPRESSED:
		return decode_plain(src, src_len, dst, dst_len, err);
	case PV_CODEC_SNAPPY:
		return decode_snappy(src, src_len, dst, dst_len, err);
	case PV_CODEC_GZIP:
		return decode_gzip(src, src_len, dst, dst_len, err);
	case PV_CODEC_BROTLI:
		return decode_brotli(src, src_len, dst, dst_len, err);
	case PV_CODEC_LZ4:
		return pv_codec_lz4_decode(src, src_len, dst, dst_len, err);
	case PV_CODEC_ZSTD:
		return decode_zstd(src, src_len, dst, dst_len, err);
	case PV_CODEC_LZ4_RAW:
		return decode_lz4_raw(src, src_len, dst, dst_len, err);
	default:
		return pv_err_set(err, PV_EINTERNAL, "codec %d has no decoder", codec);
	}
}

/* ------------------------------------------------------------------ encoders */

bool pv_codec_can_compress(int codec)
{
	switch (codec) {
	case PV_CODEC_UNCOMPRESSED:
	case PV_CODEC_SNAPPY:
	case PV_CODEC_GZIP:
	case PV_CODEC_ZSTD:
	case PV_CODEC_LZ4_RAW:
		return true;
#ifdef PV_HAVE_BROTLIENC
	case PV_CODEC_BROTLI:
		return true;
#endif
	default:
		return false;
	}
}

/* Makes room in out for bound bytes; *out_p is where they go. */
static int reserve(pv_buf *out, size_t bound, uint8_t **out_p, pv_err *err)
{
	int rc = pv_buf_reserve(out, bound, err);
	*out_p = rc ? NULL : (uint8_t *)out->data + out->len;
	return rc;
}

/* Commits n bytes written at the end of out. */
static void commit(pv_buf *out, size_t n)
{
	out->len += n;
	out->data[out->len] = '\0';
}

static int level_range(const char *name, int level, int lo, int hi, pv_err *err)
{
	if (level < lo || level > hi)
		return pv_err_set(err, PV_EINVAL, "%s: level %d is out of range %d..%d", name, level,
				  lo, hi);
	return 0;
}

static int encode_snappy(const uint8_t *src, size_t n, pv_buf *out, pv_err *err)
{
	int rc = snappy_ready(err);
	if (rc)
		return rc;
	size_t cap = snappy.max_compressed_length(n);
	uint8_t *p;
	rc = reserve(out, cap, &p, err);
	if (rc)
		return rc;
	if (snappy.compress((const char *)src, n, (char *)p, &cap) != SNAPPY_OK)
		return pv_err_set(err, PV_EINTERNAL, "snappy: compression failed");
	commit(out, cap);
	return 0;
}

static int encode_gzip(int level, const uint8_t *src, size_t n, pv_buf *out, pv_err *err)
{
	if (level != 0 && level_range("gzip", level, 1, 9, err))
		return PV_EINVAL;
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	/* 15 + 16: the largest window with a gzip wrapper, as Parquet says. */
	int zrc = deflateInit2(&zs, level ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			       Z_DEFAULT_STRATEGY);
	if (zrc != Z_OK)
		return zrc == Z_MEM_ERROR ? pv_err_set(err, PV_ENOMEM, "gzip: out of memory")
					  : pv_err_set(err, PV_EINTERNAL, "gzip: zlib error %d", zrc);
	size_t bound = deflateBound(&zs, (uLong)n);
	uint8_t *p;
	int rc = reserve(out, bound, &p, err);
	if (!rc) {
		zs.next_in = (Bytef *)(uintptr_t)src;
		zs.avail_in = (uInt)n;
		zs.next_out = p;
		zs.avail_out = (uInt)bound;
		zrc = deflate(&zs, Z_FINISH);
		if (zrc == Z_STREAM_END)
			commit(out, bound - zs.avail_out);
		else
			rc = pv_err_set(err, PV_EINTERNAL, "gzip: deflate returned %d", zrc);
	}
	deflateEnd(&zs);
	return rc;
}

static int encode_zstd(int level, const uint8_t *src, size_t n, pv_buf *out, pv_err *err)
{
	if (level != 0 && level_range("zstd", level, ZSTD_minCLevel(), ZSTD_maxCLevel(), err))
		return PV_EINVAL;
	size_t bound = ZSTD_compressBound(n);
	uint8_t *p;
	int rc = reserve(out, bound, &p, err);
	if (rc)
		return rc;
	size_t r = ZSTD_compress(p, bound, src, n, level ? level : ZSTD_CLEVEL_DEFAULT);
	if (ZSTD_isError(r)) {
		if (ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation)
			return pv_err_set(err, PV_ENOMEM, "zstd: out of memory");
		return pv_err_set(err, PV_EINTERNAL, "zstd: %s", ZSTD_getErrorName(r));
	}
	commit(out, r);
	return 0;
}

static int encode_lz4_raw(int level, const uint8_t *src, size_t n, pv_buf *out, pv_err *err)
{
	if (level != 0 && level_range("lz4_raw", level, 1, LZ4HC_CLEVEL_MAX, err))
		return PV_EINVAL;
	int bound = LZ4_compressBound((int)n);
	if (bound <= 0)
		return pv_err_set(err, PV_ELIMIT, "lz4_raw: %zu bytes are too many for one block", n);
	uint8_t *p;
	int rc = reserve(out, (size_t)bound, &p, err);
	if (rc)
		return rc;
	int r = level ? LZ4_compress_HC((const char *)src, (char *)p, (int)n, bound, level)
		      : LZ4_compress_default((const char *)src, (char *)p, (int)n, bound);
	/* An empty input compresses to one token byte, so 0 is a failure. */
	if (r <= 0)
		return pv_err_set(err, PV_EINTERNAL, "lz4_raw: compression failed");
	commit(out, (size_t)r);
	return 0;
}

#ifdef PV_HAVE_BROTLIENC
static int encode_brotli(int level, const uint8_t *src, size_t n, pv_buf *out, pv_err *err)
{
	if (level != 0 && level_range("brotli", level, 1, BROTLI_MAX_QUALITY, err))
		return PV_EINVAL;
	size_t bound = BrotliEncoderMaxCompressedSize(n);
	if (bound == 0)
		return pv_err_set(err, PV_ELIMIT, "brotli: %zu bytes are too many", n);
	uint8_t *p;
	int rc = reserve(out, bound, &p, err);
	if (rc)
		return rc;
	size_t got = bound;
	/* Quality 8 by default: Arrow's choice, far faster than brotli's 11. */
	if (!BrotliEncoderCompress(level ? level : 8, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, n,
				   src, &got, p))
		return pv_err_set(err, PV_EINTERNAL, "brotli: compression failed");
	commit(out, got);
	return 0;
}
#endif

int pv_codec_compress(int codec, int level, const uint8_t *src, size_t n, pv_buf *out,
		      pv_err *err)
{
	assert(src || !n);
	assert(out);
	if (codec < 0 || codec >= N_CODECS)
		return pv_err_set(err, PV_EUNSUPPORTED, "unknown codec %d", codec);
	if (!pv_codec_can_compress(codec))
		return pv_err_set(err, PV_EUNSUPPORTED, "compressing with codec '%s' is not supported%s",
				  pv_codec_name(codec),
				  codec == PV_CODEC_LZ4 ? " (deprecated; write 'LZ4_RAW')" : "");
	if (n > PV_CODEC_MAX)
		return pv_err_set(err, PV_ELIMIT, "%s: input of %zu bytes exceeds %zu",
				  pv_codec_lower_names[codec], n, PV_CODEC_MAX);
	static const uint8_t no_input[1];
	if (!src)
		src = no_input;
	switch (codec) {
	case PV_CODEC_UNCOMPRESSED:
		return pv_buf_append(out, src, n, err);
	case PV_CODEC_SNAPPY:
		return encode_snappy(src, n, out, err);
	case PV_CODEC_GZIP:
		return encode_gzip(level, src, n, out, err);
	case PV_CODEC_ZSTD:
		return encode_zstd(level, src, n, out, err);
	case PV_CODEC_LZ4_RAW:
		return encode_lz4_raw(level, src, n, out, err);
#ifdef PV_HAVE_BROTLIENC
	case PV_CODEC_BROTLI:
		return encode_brotli(level, src, n, out, err);
#endif
	default:
		return pv_err_set(err, PV_EINTERNAL, "codec %d has no encoder", codec);
	}
}
