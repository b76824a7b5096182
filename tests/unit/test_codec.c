/*
 * test_codec.c - unit tests for the codec layer: round trips of every codec
 * at several sizes, wrong page sizes, truncated and corrupted streams,
 * concatenated gzip members and zstd frames, the LZ4 framings built by
 * hand, a brotli stream built bit by bit, unsupported codecs, threads, and
 * every page of every corpus file decompressed to its header's size; and
 * every one of those decompressions done again through pv_codec_stream at
 * several feeding sizes, which must agree with the one-shot call.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include <lz4.h>
#include <lz4frame.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/pool.h"
#include "codec/codec.h"
#include "format/meta.h"
#include "io/source.h"
#include "read/pagewalk.h"
#include "read/pfile.h"

/* ------------------------------------------------------------------ helpers */

#define CANARY 0xa5
#define CANARY_LEN 64

/* Mixed data: text, long runs, a repeated phrase and noise, so every codec
 * has both matches and literals to deal with. */
static void fill_mixed(uint8_t *p, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i = 0;
	while (i < n) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		size_t run = 1 + x % 300;
		if (run > n - i)
			run = n - i;
		switch (x >> 29) {
		case 0:
		case 1:
			for (size_t k = 0; k < run; k++)
				p[i + k] = (uint8_t)("the quick brown fox jumps over the lazy dog "[k % 44]);
			break;
		case 2:
			memset(p + i, (int)(x >> 8), run);
			break;
		case 3:
			for (size_t k = 0; k < run; k++)
				p[i + k] = (uint8_t)('0' + (i + k) % 10);
			break;
		default:
			for (size_t k = 0; k < run; k++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				p[i + k] = (uint8_t)x;
			}
			break;
		}
		i += run;
	}
}

static uint8_t *mixed(size_t n, uint32_t seed)
{
	uint8_t *p = malloc(n ? n : 1);
	assert_non_null(p);
	fill_mixed(p, n, seed);
	return p;
}

/* A dst of n bytes followed by CANARY_LEN canary bytes. */
static uint8_t *guarded(size_t n)
{
	uint8_t *p = malloc(n + CANARY_LEN);
	assert_non_null(p);
	memset(p, 0, n);
	memset(p + n, CANARY, CANARY_LEN);
	return p;
}

static void assert_canary(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < CANARY_LEN; i++)
		assert_int_equal(p[n + i], CANARY);
}

/* A failure must come with its code and a one-line message. */
static void assert_failed(int rc, int code, const pv_err *e)
{
	assert_int_equal(rc, code);
	assert_int_equal(e->code, code);
	assert_true(e->msg[0] != '\0');
	assert_null(strchr(e->msg, '\n'));
}

static void put_u32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ------------------------------------------------------------------ streams */

/* Decompresses comp with a pv_codec_stream, feeding in_step input bytes
 * and taking out_step output bytes a call, into dst (want bytes). */
static int stream_decompress(int codec, const uint8_t *comp, size_t len, uint8_t *dst,
			     size_t want, size_t in_step, size_t out_step, pv_err *e)
{
	pv_codec_stream *s;
	int rc = pv_codec_stream_new(codec, len, want, &s, e);
	if (rc)
		return rc;
	size_t fed = 0, made = 0;
	int idle = 0;
	while (!pv_codec_stream_done(s)) {
		size_t in_n = len - fed < in_step ? len - fed : in_step;
		size_t out_n = want - made < out_step ? want - made : out_step;
		size_t used = 0, got = 0;
		rc = pv_codec_stream_next(s, comp ? comp + fed : NULL, in_n, &used,
					  dst ? dst + made : NULL, out_n, &got, e);
		if (rc)
			break;
		assert_true(used <= in_n);
		assert_true(got <= out_n);
		fed += used;
		made += got;
		assert_int_equal(pv_codec_stream_made(s), made);
		/* a call that gets nowhere must be followed by one that does
		 * or by an error: never a hang */
		idle = used || got ? 0 : idle + 1;
		assert_true(idle < 2);
	}
	if (!rc)
		assert_int_equal(made, want);
	pv_codec_stream_free(s);
	return rc;
}

/* The size messages, which a stream must give word for word. */
static bool size_message(const char *msg)
{
	return strstr(msg, "page decompresses to") || strstr(msg, "page has");
}

/* pv_codec_decompress, and a stream over the same bytes at several
 * feeding sizes, which must agree: the same code, the same size messages,
 * the same bytes on success. Returns the one-shot result. */
static int both_decompress(int codec, const uint8_t *comp, size_t len, uint8_t *dst, size_t want,
			   pv_err *e)
{
	int rc = pv_codec_decompress(codec, comp, len, dst, want, e);
	if (rc == PV_EUNSUPPORTED || rc == PV_ELIMIT)
		return rc;
	static const size_t steps[][2] = { { 1, 1 }, { 7, 13 }, { 4096, 1000 }, { SIZE_MAX, SIZE_MAX } };
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		/* one-byte steps over big pages would take long */
		if (k == 0 && (len > 5000 || want > 5000))
			continue;
		uint8_t *sdst = guarded(want);
		pv_err se;
		pv_err_clear(&se);
		int src2 = stream_decompress(codec, comp, len, sdst, want, steps[k][0], steps[k][1], &se);
		if (src2 != rc)
			print_message("# %s %zu -> %zu, steps %zu/%zu: one-shot %d '%s', stream %d '%s'\n",
				      pv_codec_name(codec), len, want, steps[k][0], steps[k][1], rc,
				      rc ? e->msg : "", src2, src2 ? se.msg : "");
		assert_int_equal(src2, rc);
		if (!rc)
			assert_memory_equal(sdst, dst, want);
		else if (size_message(e->msg))
			assert_string_equal(se.msg, e->msg);
		assert_canary(sdst, want);
		free(sdst);
	}
	return rc;
}

/* Compresses with codec into a fresh buffer (the test's way in). */
static void compress_new(int codec, int level, const uint8_t *src, size_t n, pv_buf *out)
{
	pv_err e;
	pv_buf_init(out, 0);
	int rc = pv_codec_compress(codec, level, src, n, out, &e);
	if (rc)
		print_message("# %s level %d, %zu bytes: %s\n", pv_codec_name(codec), level, n, e.msg);
	assert_int_equal(rc, 0);
}

/* One raw LZ4 block of src (codec 5's raw form and the Hadoop blocks). */
static size_t lz4_block(const uint8_t *src, size_t n, uint8_t *out, size_t cap)
{
	int r = LZ4_compress_default((const char *)src, (char *)out, (int)n, (int)cap);
	assert_true(r > 0);
	return (size_t)r;
}

/* Hadoop framing: n_outer blocks, each split into n_inner LZ4 blocks. */
static size_t hadoop_frame(const uint8_t *src, size_t n, size_t n_outer, size_t n_inner,
			   uint8_t *out, size_t cap)
{
	size_t o = 0, at = 0;
	for (size_t b = 0; b < n_outer; b++) {
		size_t len = b + 1 == n_outer ? n - at : n / n_outer;
		assert_true(o + 4 <= cap);
		put_u32be(out + o, (uint32_t)len);
		o += 4;
		size_t done = 0;
		for (size_t k = 0; k < n_inner; k++) {
			size_t part = k + 1 == n_inner ? len - done : len / n_inner;
			size_t c = lz4_block(src + at + done, part, out + o + 4, cap - o - 4);
			put_u32be(out + o, (uint32_t)c);
			o += 4 + c;
			done += part;
		}
		at += len;
	}
	return o;
}

/* The codecs this build can write, with a level other than the default. */
typedef struct codec_case {
	int codec;
	int level;
} codec_case;

static size_t writable(codec_case *out)
{
	static const codec_case all[] = {
		{ PV_CODEC_UNCOMPRESSED, 0 }, { PV_CODEC_SNAPPY, 0 }, { PV_CODEC_GZIP, 0 },
		{ PV_CODEC_GZIP, 1 },         { PV_CODEC_ZSTD, 0 },   { PV_CODEC_ZSTD, 19 },
		{ PV_CODEC_ZSTD, -5 },        { PV_CODEC_LZ4_RAW, 0 }, { PV_CODEC_LZ4_RAW, 9 },
		{ PV_CODEC_BROTLI, 0 },       { PV_CODEC_BROTLI, 3 },
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (pv_codec_can_compress(all[i].codec))
			out[n++] = all[i];
	return n;
}

/* Decompresses comp into a guarded buffer of want bytes and checks it
 * equals expect. */
static void check_decompress(int codec, const uint8_t *comp, size_t comp_len,
			     const uint8_t *expect, size_t want)
{
	pv_err e;
	uint8_t *dst = guarded(want);
	int rc = both_decompress(codec, comp, comp_len, dst, want, &e);
	if (rc)
		print_message("# %s, %zu bytes: %s\n", pv_codec_name(codec), want, e.msg);
	assert_int_equal(rc, 0);
	assert_memory_equal(dst, expect, want);
	assert_canary(dst, want);
	free(dst);
}

/* ------------------------------------------------------------------ round trips */

static const size_t sizes[] = { 0, 1, 2, 100, 4096, 65536 + 3, 1 << 20 };
#define N_SIZES (sizeof sizes / sizeof sizes[0])

static void test_roundtrip(void **state)
{
	codec_case cases[16];
	size_t n_cases = writable(cases);
	assert_true(n_cases >= 9);
	for (size_t s = 0; s < N_SIZES; s++) {
		uint8_t *data = mixed(sizes[s], (uint32_t)s);
		for (size_t c = 0; c < n_cases; c++) {
			pv_buf b;
			compress_new(cases[c].codec, cases[c].level, data, sizes[s], &b);
			if (cases[c].codec == PV_CODEC_UNCOMPRESSED)
				assert_int_equal(b.len, sizes[s]);
			/* Mixed data of a megabyte must really shrink. */
			if (cases[c].codec != PV_CODEC_UNCOMPRESSED && sizes[s] == (1 << 20))
				assert_true(b.len < sizes[s] * 3 / 4);
			check_decompress(cases[c].codec, (const uint8_t *)b.data, b.len, data, sizes[s]);
			pv_buf_release(&b);
		}
		free(data);
	}
}

/* The deprecated LZ4 codec: raw blocks and Hadoop framing at every size. */
static void test_lz4_roundtrip(void **state)
{
	for (size_t s = 0; s < N_SIZES; s++) {
		size_t n = sizes[s];
		uint8_t *data = mixed(n, (uint32_t)s + 100);
		size_t cap = (size_t)LZ4_compressBound((int)n) * 4 + 256;
		uint8_t *comp = malloc(cap);
		assert_non_null(comp);

		size_t len = lz4_block(data, n, comp, cap);
		check_decompress(PV_CODEC_LZ4, comp, len, data, n);
		check_decompress(PV_CODEC_LZ4_RAW, comp, len, data, n);

		len = hadoop_frame(data, n, 1, 1, comp, cap);
		check_decompress(PV_CODEC_LZ4, comp, len, data, n);
		if (n >= 3) {
			len = hadoop_frame(data, n, 3, 1, comp, cap);
			check_decompress(PV_CODEC_LZ4, comp, len, data, n);
			len = hadoop_frame(data, n, 2, 3, comp, cap);
			check_decompress(PV_CODEC_LZ4, comp, len, data, n);
		}

		LZ4F_preferences_t prefs;
		memset(&prefs, 0, sizeof prefs);
		prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
		prefs.frameInfo.blockSizeID = LZ4F_max64KB;
		size_t fcap = LZ4F_compressFrameBound(n, &prefs);
		uint8_t *frame = malloc(fcap * 2);
		assert_non_null(frame);
		size_t flen = LZ4F_compressFrame(frame, fcap, data, n, &prefs);
		assert_false(LZ4F_isError(flen));
		check_decompress(PV_CODEC_LZ4, frame, flen, data, n);
		/* Two frames one after the other make one page. */
		if (n >= 2) {
			size_t f1 = LZ4F_compressFrame(frame, fcap, data, n / 2, &prefs);
			assert_false(LZ4F_isError(f1));
			size_t f2 = LZ4F_compressFrame(frame + f1, fcap * 2 - f1, data + n / 2, n - n / 2,
						       &prefs);
			assert_false(LZ4F_isError(f2));
			check_decompress(PV_CODEC_LZ4, frame, f1 + f2, data, n);
		}
		free(frame);
		free(comp);
		free(data);
	}
}

/* ------------------------------------------------------------------ LZ4 framings */

static void test_lz4_hadoop_by_hand(void **state)
{
	/* Three outer blocks of 5, 0 and 4 bytes, the middle one an empty
	 * LZ4 block (its single token byte), the last in two inner blocks. */
	const char *text = "hellowxyz";
	uint8_t buf[256];
	size_t o = 0;
	uint8_t blk[64];
	size_t c;

	put_u32be(buf + o, 5);
	c = lz4_block((const uint8_t *)text, 5, blk, sizeof blk);
	put_u32be(buf + o + 4, (uint32_t)c);
	memcpy(buf + o + 8, blk, c);
	o += 8 + c;

	put_u32be(buf + o, 0);
	c = lz4_block((const uint8_t *)"", 0, blk, sizeof blk);
	assert_int_equal(c, 1);
	put_u32be(buf + o + 4, 1);
	memcpy(buf + o + 8, blk, 1);
	o += 9;

	put_u32be(buf + o, 4);
	o += 4;
	for (int k = 0; k < 2; k++) {
		c = lz4_block((const uint8_t *)text + 5 + 2 * k, 2, blk, sizeof blk);
		put_u32be(buf + o, (uint32_t)c);
		memcpy(buf + o + 4, blk, c);
		o += 4 + c;
	}
	check_decompress(PV_CODEC_LZ4, buf, o, (const uint8_t *)text, 9);

	pv_err e;
	uint8_t *dst = guarded(9);
	/* One byte short: neither framing fits, and nothing past dst moves. */
	assert_failed(both_decompress(PV_CODEC_LZ4, buf, o - 1, dst, 9, &e), PV_ECORRUPT, &e);
	assert_canary(dst, 9);
	/* A trailing partial header. */
	buf[o] = 0;
	assert_failed(both_decompress(PV_CODEC_LZ4, buf, o + 1, dst, 9, &e), PV_ECORRUPT, &e);
	assert_canary(dst, 9);
	/* The outer size says more than the page holds. */
	put_u32be(buf, 6);
	assert_failed(both_decompress(PV_CODEC_LZ4, buf, o, dst, 9, &e), PV_ECORRUPT, &e);
	assert_canary(dst, 9);
	free(dst);

	/* A raw block whose first bytes happen to look like a Hadoop header
	 * is still read as raw: 64 zero bytes compress to a block starting
	 * with small numbers. */
	uint8_t zeros[64] = { 0 };
	c = lz4_block(zeros, sizeof zeros, blk, sizeof blk);
	check_decompress(PV_CODEC_LZ4, blk, c, zeros, sizeof zeros);
}

/* ------------------------------------------------------------------ wrong sizes */

static void test_wrong_dst_len(void **state)
{
	const size_t n = 1000;
	uint8_t *data = mixed(n, 7);
	codec_case cases[16];
	size_t n_cases = writable(cases);
	for (size_t c = 0; c < n_cases; c++) {
		int codec = cases[c].codec;
		pv_buf b;
		compress_new(codec, cases[c].level, data, n, &b);
		const size_t lens[] = { 0, 1, n - 1, n + 1, 2 * n };
		for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
			pv_err e;
			uint8_t *dst = guarded(lens[k]);
			int rc = both_decompress(codec, (const uint8_t *)b.data, b.len, dst, lens[k], &e);
			if (rc != PV_ECORRUPT)
				print_message("# %s level %d dst_len %zu: rc %d\n", pv_codec_name(codec), cases[c].level, lens[k], rc);
			assert_failed(rc, PV_ECORRUPT, &e);
			assert_canary(dst, lens[k]);
			free(dst);
		}
		pv_buf_release(&b);
	}

	/* The messages name the codec and both sizes. */
	pv_buf b;
	pv_err e;
	uint8_t *dst = guarded(1024);
	compress_new(PV_CODEC_SNAPPY, 0, data, n, &b);
	both_decompress(PV_CODEC_SNAPPY, (const uint8_t *)b.data, b.len, dst, 1024, &e);
	assert_string_equal(e.msg, "snappy: page decompresses to 1000 bytes, header says 1024");
	pv_buf_release(&b);
	compress_new(PV_CODEC_GZIP, 0, data, n, &b);
	both_decompress(PV_CODEC_GZIP, (const uint8_t *)b.data, b.len, dst, 1024, &e);
	assert_string_equal(e.msg, "gzip: page decompresses to 1000 bytes, header says 1024");
	both_decompress(PV_CODEC_GZIP, (const uint8_t *)b.data, b.len, dst, 999, &e);
	assert_string_equal(e.msg, "gzip: page decompresses to more than 999 bytes, header says 999");
	pv_buf_release(&b);
	compress_new(PV_CODEC_ZSTD, 0, data, n, &b);
	both_decompress(PV_CODEC_ZSTD, (const uint8_t *)b.data, b.len, dst, 1024, &e);
	assert_string_equal(e.msg, "zstd: page decompresses to 1000 bytes, header says 1024");
	both_decompress(PV_CODEC_ZSTD, (const uint8_t *)b.data, b.len, dst, 999, &e);
	assert_string_equal(e.msg, "zstd: page decompresses to more than 999 bytes, header says 999");
	pv_buf_release(&b);
	compress_new(PV_CODEC_LZ4_RAW, 0, data, n, &b);
	both_decompress(PV_CODEC_LZ4_RAW, (const uint8_t *)b.data, b.len, dst, 1024, &e);
	assert_string_equal(e.msg, "lz4_raw: page decompresses to 1000 bytes, header says 1024");
	pv_buf_release(&b);
	both_decompress(PV_CODEC_UNCOMPRESSED, data, n, dst, 1024, &e);
	assert_string_equal(e.msg, "uncompressed: page has 1000 bytes, header says 1024");
	assert_canary(dst, 1024);
	free(dst);
	free(data);
}

/* ------------------------------------------------------------------ hostile input */

/* Truncations and bit flips of a valid stream: a clean error or (for the
 * codecs without checksums) some output of the right size, never a crash
 * or a write outside dst. */
static void hostile(int codec, const uint8_t *comp, size_t len, size_t want, bool checksummed)
{
	uint8_t *dst = guarded(want);
	uint8_t *copy = malloc(len + 1);
	assert_non_null(copy);
	pv_err e;
	/* Every shorter prefix fails: the page can no longer fill dst. */
	size_t step = len > 600 ? len / 300 : 1;
	for (size_t cut = 0; cut < len; cut += step) {
		memcpy(copy, comp, cut);
		int rc = both_decompress(codec, copy, cut, dst, want, &e);
		if (rc != PV_ECORRUPT)
			print_message("# %s cut at %zu of %zu: rc %d\n", pv_codec_name(codec), cut, len, rc);
		assert_failed(rc, PV_ECORRUPT, &e);
		assert_canary(dst, want);
	}
	/* A byte of garbage after the stream. */
	memcpy(copy, comp, len);
	copy[len] = 0x5a;
	assert_failed(both_decompress(codec, copy, len + 1, dst, want, &e), PV_ECORRUPT, &e);
	assert_canary(dst, want);
	/* Bit flips everywhere. */
	uint32_t x = 12345;
	size_t n_fail = 0, n_flips = 0;
	for (size_t pos = 0; pos < len; pos += step) {
		for (int bit = 0; bit < 8; bit += 3) {
			memcpy(copy, comp, len);
			x = x * 1103515245u + 12345u;
			copy[pos] ^= (uint8_t)(1u << ((bit + x) % 8));
			pv_err_clear(&e);
			int rc = both_decompress(codec, copy, len, dst, want, &e);
			n_flips++;
			if (rc) {
				assert_failed(rc, PV_ECORRUPT, &e);
				n_fail++;
			}
			assert_canary(dst, want);
		}
	}
	if (checksummed)
		assert_int_equal(n_fail, n_flips);
	free(copy);
	free(dst);
}

static void test_truncated_and_corrupt(void **state)
{
	const size_t n = 20000;
	uint8_t *data = mixed(n, 3);
	codec_case cases[16];
	size_t n_cases = writable(cases);
	for (size_t c = 0; c < n_cases; c++) {
		int codec = cases[c].codec;
		if (codec == PV_CODEC_UNCOMPRESSED)
			continue;
		pv_buf b;
		compress_new(codec, cases[c].level, data, n, &b);
		/* gzip carries a CRC-32 and zstd's frames a checksum when asked;
		 * Parquet's zstd has none, so only gzip is strict here. */
		hostile(codec, (const uint8_t *)b.data, b.len, n, codec == PV_CODEC_GZIP);
		pv_buf_release(&b);
	}
	/* The deprecated LZ4 codec, in both framings. */
	uint8_t *comp = malloc((size_t)LZ4_compressBound((int)n) + 64);
	assert_non_null(comp);
	size_t len = hadoop_frame(data, n, 2, 2, comp, (size_t)LZ4_compressBound((int)n) + 64);
	hostile(PV_CODEC_LZ4, comp, len, n, false);
	len = lz4_block(data, n, comp, (size_t)LZ4_compressBound((int)n));
	hostile(PV_CODEC_LZ4, comp, len, n, false);
	free(comp);

	/* Pure garbage for every codec, at a few claimed sizes. */
	uint8_t junk[512];
	fill_mixed(junk, sizeof junk, 99);
	for (int codec = 0; codec <= PV_CODEC_LZ4_RAW; codec++) {
		if (codec == PV_CODEC_LZO)
			continue;
		const size_t want[] = { 1, 512, 4096 };
		for (size_t k = 0; k < 3; k++) {
			pv_err e;
			uint8_t *dst = guarded(want[k]);
			int rc = both_decompress(codec, junk, sizeof junk, dst, want[k], &e);
			if (codec != PV_CODEC_UNCOMPRESSED || want[k] != sizeof junk)
				assert_failed(rc, PV_ECORRUPT, &e);
			assert_canary(dst, want[k]);
			free(dst);
		}
	}
	free(data);
}

/* A snappy stream whose length prefix lies is caught before decoding. */
static void test_snappy_prefix(void **state)
{
	pv_err e;
	uint8_t dst[16];
	const uint8_t bomb[] = { 0xff, 0xff, 0xff, 0xff, 0x07, 0x00 };
	assert_failed(both_decompress(PV_CODEC_SNAPPY, bomb, sizeof bomb, dst, sizeof dst, &e),
		      PV_ECORRUPT, &e);
	assert_string_equal(e.msg, "snappy: page decompresses to 2147483647 bytes, header says 16");
	const uint8_t bad_varint[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	assert_failed(both_decompress(PV_CODEC_SNAPPY, bad_varint, sizeof bad_varint, dst,
					  sizeof dst, &e),
		      PV_ECORRUPT, &e);
	assert_string_equal(e.msg, "snappy: malformed length prefix");
}

/* ------------------------------------------------------------------ gzip and zstd streams */

static size_t gzip_member(const uint8_t *src, size_t n, uint8_t *out, size_t cap, int window)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, window, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t len = cap - zs.avail_out;
	deflateEnd(&zs);
	return len;
}

static void test_gzip_members(void **state)
{
	const size_t n = 50000;
	uint8_t *data = mixed(n, 11);
	size_t cap = 2 * n + 1024;
	uint8_t *comp = malloc(cap);
	assert_non_null(comp);

	/* Two members, then three with an empty one between. */
	size_t a = gzip_member(data, 30000, comp, cap, 31);
	size_t b = gzip_member(data + 30000, n - 30000, comp + a, cap - a, 31);
	check_decompress(PV_CODEC_GZIP, comp, a + b, data, n);
	size_t z = gzip_member(data, 0, comp + a, cap - a, 31);
	b = gzip_member(data + 30000, n - 30000, comp + a + z, cap - a - z, 31);
	check_decompress(PV_CODEC_GZIP, comp, a + z + b, data, n);

	/* A second member that would overflow dst, and one cut short. */
	pv_err e;
	uint8_t *dst = guarded(30000);
	assert_failed(both_decompress(PV_CODEC_GZIP, comp, a + z + b, dst, 30000, &e),
		      PV_ECORRUPT, &e);
	assert_canary(dst, 30000);
	free(dst);
	dst = guarded(n);
	assert_failed(both_decompress(PV_CODEC_GZIP, comp, a + z + b - 3, dst, n, &e),
		      PV_ECORRUPT, &e);
	/* A zlib stream (what some old writers stored) is detected too. */
	size_t zl = gzip_member(data, n, comp, cap, 15);
	check_decompress(PV_CODEC_GZIP, comp, zl, data, n);
	/* Raw deflate without any header is not GZIP. */
	size_t raw = gzip_member(data, n, comp, cap, -15);
	assert_failed(both_decompress(PV_CODEC_GZIP, comp, raw, dst, n, &e), PV_ECORRUPT, &e);
	assert_canary(dst, n);
	free(dst);
	free(comp);
	free(data);
}

static void test_zstd_frames(void **state)
{
	const size_t n = 70000;
	uint8_t *data = mixed(n, 13);
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	/* Frame, skippable frame, frame: one page of n bytes. */
	assert_int_equal(pv_codec_compress(PV_CODEC_ZSTD, 0, data, 1000, &b, &e), 0);
	const uint8_t skip[] = { 0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c' };
	assert_int_equal(pv_buf_append(&b, skip, sizeof skip, &e), 0);
	assert_int_equal(pv_codec_compress(PV_CODEC_ZSTD, 3, data + 1000, n - 1000, &b, &e), 0);
	check_decompress(PV_CODEC_ZSTD, (const uint8_t *)b.data, b.len, data, n);
	pv_buf_release(&b);
	free(data);
}

/* ------------------------------------------------------------------ brotli */

/* Bits written least significant first, as brotli reads them. */
typedef struct bits {
	uint8_t *p;
	size_t n_bits;
} bits;

static void put_bits(bits *w, uint32_t v, int n)
{
	for (int i = 0; i < n; i++, w->n_bits++) {
		if (w->n_bits % 8 == 0)
			w->p[w->n_bits / 8] = 0;
		if (v >> i & 1)
			w->p[w->n_bits / 8] |= (uint8_t)(1u << (w->n_bits % 8));
	}
}

static size_t align_bits(bits *w)
{
	while (w->n_bits % 8)
		put_bits(w, 0, 1);
	return w->n_bits / 8;
}

/* A brotli stream (RFC 7932) of uncompressed meta-blocks of at most 64 KiB
 * each, closed by an empty last meta-block. */
static size_t brotli_stored(const uint8_t *src, size_t n, uint8_t *out)
{
	bits w = { out, 0 };
	put_bits(&w, 0, 1); /* WBITS = 16 */
	for (size_t at = 0; at < n;) {
		size_t len = n - at < 65536 ? n - at : 65536;
		put_bits(&w, 0, 1);                   /* ISLAST */
		put_bits(&w, 0, 2);                   /* MNIBBLES = 4 */
		put_bits(&w, (uint32_t)(len - 1), 16); /* MLEN - 1 */
		put_bits(&w, 1, 1);                   /* ISUNCOMPRESSED */
		size_t o = align_bits(&w);
		memcpy(out + o, src + at, len);
		w.n_bits += len * 8;
		at += len;
	}
	put_bits(&w, 1, 1); /* ISLAST */
	put_bits(&w, 1, 1); /* ISLASTEMPTY */
	return align_bits(&w);
}

/* 60 lines of "row N: value N*N\n" at brotli quality 11 (made once with
 * libbrotlienc), for a real compressed stream without the encoder. */
static const uint8_t brotli_rows[] = {
	0x62, 0x87, 0x00, 0xbf, 0x71, 0xba, 0xa3, 0x36, 0x37, 0x45, 0x36, 0x6a, 0x90, 0x37, 0xb9,
	0xbb, 0x6e, 0x38, 0xfb, 0x5b, 0x02, 0x44, 0x26, 0x87, 0x6a, 0x4d, 0xc4, 0x3f, 0xec, 0x88,
	0x5b, 0x12, 0xf1, 0x23, 0x23, 0xa4, 0x0b, 0x44, 0x84, 0xaa, 0x52, 0xe1, 0x9a, 0x05, 0x08,
	0x70, 0xc2, 0xff, 0x3a, 0xfc, 0x7e, 0xe1, 0x2b, 0x5c, 0x8c, 0x96, 0x33, 0xab, 0xf1, 0xcd,
	0xc8, 0x8e, 0x36, 0x99, 0x49, 0xde, 0xb8, 0xb9, 0x89, 0xd3, 0x39, 0x3e, 0x84, 0x0f, 0x01,
	0xb0, 0x22, 0xaa, 0xcd, 0x34, 0xc5, 0x6d, 0xb2, 0x4a, 0x4b, 0xba, 0xe1, 0xf5, 0x9a, 0x73,
	0x64, 0x3a, 0xe1, 0x21, 0x68, 0x00, 0xd6, 0x44, 0x3d, 0x67, 0x5c, 0x15, 0xf7, 0x25, 0x6b,
	0xb4, 0xa4, 0x2f, 0x79, 0x3e, 0x95, 0xeb, 0x39, 0xdd, 0x67, 0x1e, 0x03, 0x0b, 0xc0, 0x86,
	0xd1, 0x8f, 0x90, 0x31, 0xe2, 0x8a, 0xe5, 0x86, 0x55, 0x5a, 0xa2, 0x1a, 0x9e, 0x93, 0x72,
	0xda, 0xa6, 0x7b, 0xc5, 0xd3, 0x30, 0x00, 0x34, 0x47, 0xe4, 0x8b, 0x19, 0xcf, 0xc5, 0x76,
	0x92, 0xbd, 0x04, 0x2d, 0x91, 0x0c, 0x4f, 0xa1, 0x9c, 0x03, 0xd3, 0x6d, 0xf0, 0x5c, 0xb8,
	0x00, 0x34, 0x20, 0xf2, 0xc1, 0x8c, 0x87, 0x62, 0xcb, 0x64, 0xaf, 0x81, 0x96, 0xc8, 0x09,
	0x4f, 0xb9, 0x9c, 0x13, 0xd3, 0xaf, 0x8f, 0x1f,
};

static void test_brotli(void **state)
{
	char text[2048];
	size_t n = 0;
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "row %d: value %d\n", i, i * i);
	assert_int_equal(n, 1084);
	check_decompress(PV_CODEC_BROTLI, brotli_rows, sizeof brotli_rows, (const uint8_t *)text, n);
	hostile(PV_CODEC_BROTLI, brotli_rows, sizeof brotli_rows, n, false);

	/* Stored meta-blocks at every size, a megabyte included. */
	for (size_t s = 0; s < N_SIZES; s++) {
		uint8_t *data = mixed(sizes[s], (uint32_t)s + 200);
		uint8_t *comp = malloc(sizes[s] + sizes[s] / 1000 + 64);
		assert_non_null(comp);
		size_t len = brotli_stored(data, sizes[s], comp);
		check_decompress(PV_CODEC_BROTLI, comp, len, data, sizes[s]);
		if (sizes[s] == 4096) {
			pv_err e;
			uint8_t *dst = guarded(4095);
			assert_failed(both_decompress(PV_CODEC_BROTLI, comp, len, dst, 4095, &e),
				      PV_ECORRUPT, &e);
			assert_string_equal(e.msg, "brotli: page decompresses to more than 4095 bytes, "
						   "header says 4095");
			assert_canary(dst, 4095);
			free(dst);
			dst = guarded(4097);
			assert_failed(both_decompress(PV_CODEC_BROTLI, comp, len, dst, 4097, &e),
				      PV_ECORRUPT, &e);
			assert_string_equal(e.msg, "brotli: page decompresses to 4096 bytes, header says 4097");
			free(dst);
		}
		free(comp);
		free(data);
	}
	/* A length in five nibbles whose top nibble is 0: malformed, named. */
	uint8_t bad[8];
	bits w = { bad, 0 };
	put_bits(&w, 0, 1);  /* WBITS = 16 */
	put_bits(&w, 0, 1);  /* ISLAST */
	put_bits(&w, 1, 2);  /* MNIBBLES = 5 */
	put_bits(&w, 7, 20); /* MLEN - 1 */
	put_bits(&w, 1, 1);  /* ISUNCOMPRESSED */
	size_t bad_len = align_bits(&w);
	pv_err e;
	uint8_t out[16];
	assert_failed(both_decompress(PV_CODEC_BROTLI, bad, bad_len, out, 8, &e), PV_ECORRUPT, &e);
	assert_string_equal(e.msg, "brotli: malformed stream (exuberant nibble)");

	if (!pv_codec_can_compress(PV_CODEC_BROTLI)) {
		pv_buf b;
		pv_buf_init(&b, 0);
		assert_failed(pv_codec_compress(PV_CODEC_BROTLI, 0, (const uint8_t *)text, n, &b, &e),
			      PV_EUNSUPPORTED, &e);
		assert_string_equal(e.msg, "compressing with codec 'BROTLI' is not supported");
		pv_buf_release(&b);
	}
}

/* The stream's own rules: a never-ending caller gets an error, not a hang;
 * a failed stream stays failed; output never passes dst_len. */
static void test_stream_rules(void **state)
{
	pv_err e;
	pv_codec_stream *s;
	assert_failed(pv_codec_stream_new(PV_CODEC_LZO, 8, 8, &s, &e), PV_EUNSUPPORTED, &e);
	assert_null(s);
	assert_failed(pv_codec_stream_new(PV_CODEC_UNCOMPRESSED, 8, 9, &s, &e), PV_ECORRUPT, &e);
	assert_string_equal(e.msg, "uncompressed: page has 8 bytes, header says 9");
	assert_failed(pv_codec_stream_new(PV_CODEC_ZSTD, 8, PV_CODEC_MAX + 1, &s, &e), PV_ELIMIT, &e);
	pv_codec_stream_free(NULL);
	assert_true(pv_codec_stream_whole(PV_CODEC_SNAPPY));
	assert_false(pv_codec_stream_whole(PV_CODEC_ZSTD));

	const size_t n = 100000;
	uint8_t *data = mixed(n, 21);
	pv_buf b;
	compress_new(PV_CODEC_ZSTD, 0, data, n, &b);
	/* the first 100 bytes come from a small part of the input */
	assert_int_equal(pv_codec_stream_new(PV_CODEC_ZSTD, b.len, n, &s, &e), 0);
	uint8_t out[100];
	size_t used = 0, got = 0, fed = 0, made = 0;
	while (made < sizeof out) {
		assert_int_equal(pv_codec_stream_next(s, (const uint8_t *)b.data + fed,
						      b.len - fed < 512 ? b.len - fed : 512, &used,
						      out + made, sizeof out - made, &got, &e), 0);
		fed += used;
		made += got;
	}
	assert_memory_equal(out, data, sizeof out);
	assert_true(fed < b.len);
	assert_false(pv_codec_stream_done(s));
	pv_codec_stream_free(s);

	/* a stream told the page is shorter fails once it passes that size,
	 * and stays failed */
	assert_int_equal(pv_codec_stream_new(PV_CODEC_ZSTD, b.len, n - 1, &s, &e), 0);
	uint8_t *dst = guarded(n - 1);
	int rc = 0;
	fed = made = 0;
	while (!rc && !pv_codec_stream_done(s)) {
		rc = pv_codec_stream_next(s, (const uint8_t *)b.data + fed, b.len - fed, &used,
					  dst + made, n - 1 - made, &got, &e);
		fed += used;
		made += got;
	}
	assert_failed(rc, PV_ECORRUPT, &e);
	assert_string_equal(e.msg, "zstd: page decompresses to more than 99999 bytes, header says 99999");
	assert_canary(dst, n - 1);
	assert_failed(pv_codec_stream_next(s, NULL, 0, &used, NULL, 0, &got, &e), PV_EINTERNAL, &e);
	pv_codec_stream_free(s);
	free(dst);
	pv_buf_release(&b);
	free(data);
}

/* ------------------------------------------------------------------ edges */

static void test_unsupported_and_limits(void **state)
{
	pv_err e;
	uint8_t src[8] = { 0 }, dst[8];
	assert_failed(both_decompress(PV_CODEC_LZO, src, 8, dst, 8, &e), PV_EUNSUPPORTED, &e);
	assert_string_equal(e.msg, "unsupported codec 'LZO'");
	assert_failed(both_decompress(9, src, 8, dst, 8, &e), PV_EUNSUPPORTED, &e);
	assert_string_equal(e.msg, "unknown codec 9");
	assert_failed(both_decompress(-1, src, 8, dst, 8, &e), PV_EUNSUPPORTED, &e);
	assert_string_equal(e.msg, "unknown codec -1");
	/* NULL err is fine. */
	assert_int_equal(both_decompress(PV_CODEC_LZO, src, 8, dst, 8, NULL), PV_EUNSUPPORTED);

	/* Sizes beyond a 32-bit page are refused before any byte is read. */
	assert_failed(both_decompress(PV_CODEC_ZSTD, src, PV_CODEC_MAX + 1, dst, 8, &e),
		      PV_ELIMIT, &e);
	assert_failed(both_decompress(PV_CODEC_SNAPPY, src, 8, dst, (size_t)1 << 40, &e),
		      PV_ELIMIT, &e);

	/* An empty page with no bytes is fine for every codec that exists;
	 * an empty input for a non-empty page is not. */
	for (int codec = 0; codec <= PV_CODEC_LZ4_RAW; codec++) {
		if (codec == PV_CODEC_LZO)
			continue;
		assert_int_equal(both_decompress(codec, NULL, 0, NULL, 0, &e), 0);
		assert_failed(both_decompress(codec, NULL, 0, dst, 8, &e), PV_ECORRUPT, &e);
	}

	pv_buf b;
	pv_buf_init(&b, 0);
	assert_failed(pv_codec_compress(PV_CODEC_LZO, 0, src, 8, &b, &e), PV_EUNSUPPORTED, &e);
	assert_failed(pv_codec_compress(PV_CODEC_LZ4, 0, src, 8, &b, &e), PV_EUNSUPPORTED, &e);
	assert_string_equal(e.msg,
			    "compressing with codec 'LZ4' is not supported (deprecated; write 'LZ4_RAW')");
	assert_failed(pv_codec_compress(8, 0, src, 8, &b, &e), PV_EUNSUPPORTED, &e);
	assert_string_equal(e.msg, "unknown codec 8");
	assert_failed(pv_codec_compress(PV_CODEC_GZIP, 10, src, 8, &b, &e), PV_EINVAL, &e);
	assert_string_equal(e.msg, "gzip: level 10 is out of range 1..9");
	assert_failed(pv_codec_compress(PV_CODEC_ZSTD, 23, src, 8, &b, &e), PV_EINVAL, &e);
	assert_failed(pv_codec_compress(PV_CODEC_LZ4_RAW, 13, src, 8, &b, &e), PV_EINVAL, &e);
	assert_failed(pv_codec_compress(PV_CODEC_SNAPPY, 0, src, PV_CODEC_MAX + 1, &b, &e),
		      PV_ELIMIT, &e);
	assert_int_equal(b.len, 0);
	pv_buf_release(&b);

	/* compress appends, and a full buffer leaves it as it was. */
	uint8_t *data = mixed(4096, 5);
	pv_buf_init(&b, 64);
	assert_int_equal(pv_buf_append(&b, "head", 4, &e), 0);
	assert_failed(pv_codec_compress(PV_CODEC_SNAPPY, 0, data, 4096, &b, &e), PV_ELIMIT, &e);
	assert_failed(pv_codec_compress(PV_CODEC_GZIP, 0, data, 4096, &b, &e), PV_ELIMIT, &e);
	assert_failed(pv_codec_compress(PV_CODEC_UNCOMPRESSED, 0, data, 4096, &b, &e), PV_ELIMIT, &e);
	assert_int_equal(b.len, 4);
	pv_buf_release(&b);
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "head", 4, &e), 0);
	assert_int_equal(pv_codec_compress(PV_CODEC_ZSTD, 0, data, 4096, &b, &e), 0);
	assert_memory_equal(b.data, "head", 4);
	check_decompress(PV_CODEC_ZSTD, (const uint8_t *)b.data + 4, b.len - 4, data, 4096);
	pv_buf_release(&b);
	free(data);
}

/* ------------------------------------------------------------------ threads */

typedef struct thread_ctx {
	atomic_int n_bad;
} thread_ctx;

static void thread_item(void *p, size_t i)
{
	thread_ctx *ctx = p;
	static const int codecs[] = { PV_CODEC_ZSTD, PV_CODEC_GZIP, PV_CODEC_SNAPPY, PV_CODEC_LZ4_RAW };
	int codec = codecs[i % 4];
	size_t n = 1000 + i * 37;
	uint8_t *data = malloc(n), *back = malloc(n);
	fill_mixed(data, n, (uint32_t)i);
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	if (!data || !back || pv_codec_compress(codec, 0, data, n, &b, &e) ||
	    pv_codec_decompress(codec, (const uint8_t *)b.data, b.len, back, n, &e) ||
	    memcmp(data, back, n) != 0)
		atomic_fetch_add(&ctx->n_bad, 1);
	pv_buf_release(&b);
	free(data);
	free(back);
}

static void test_threads(void **state)
{
	thread_ctx ctx;
	atomic_init(&ctx.n_bad, 0);
	assert_int_equal(pv_pool_for(8, 400, thread_item, &ctx), 0);
	assert_int_equal(atomic_load(&ctx.n_bad), 0);
}

/* ------------------------------------------------------------------ corpus */

typedef struct page_tally {
	size_t n_pages[8];     /* decompressed pages per codec */
	size_t n_v2_plain;     /* v2 pages stored uncompressed in a compressed chunk */
	size_t n_empty;        /* pages with no bytes to decompress at all */
	size_t n_failed_files; /* bad_data files whose pages failed cleanly */
} page_tally;

#define PAGE_CAP ((size_t)256 << 20)

/* Decompresses every page of every column chunk of path. With strict, any
 * error fails the test; otherwise it must only be a clean error. */
static int decompress_file(const char *path, bool strict, page_tally *t)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	assert_int_equal(pv_source_open(path, &src, &e), 0);
	int rc = pv_pfile_load(src, &pf, &e);
	if (rc) {
		if (strict)
			print_message("# %s: %s\n", path, e.msg);
		assert_false(strict);
		pv_source_close(src);
		return rc;
	}
	int file_rc = 0;
	for (size_t g = 0; g < pf->meta->n_row_groups && !file_rc; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		for (size_t c = 0; c < rg->n_columns && c < pf->schema->n_leaves && !file_rc; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			int codec = cc->meta_data.codec;
			pv_pagewalk w;
			rc = pv_pagewalk_open(&w, src, cc, pf->schema->leaves[c]->max_rep, &e);
			bool done = rc != 0;
			pv_page_info p;
			while (!done && !(rc = pv_pagewalk_next(&w, &p, &done, &e)) && !done) {
				size_t comp_len = (size_t)p.compressed_size;
				size_t want = (size_t)p.uncompressed_size;
				size_t skip = 0;
				int page_codec = codec;
				if (p.type == PV_PAGE_DATA_V2) {
					/* The levels lead the body uncompressed, and
					 * uncompressed_page_size counts them too. */
					size_t levels = (size_t)p.rep_levels_len + (size_t)p.def_levels_len;
					assert_true(p.rep_levels_len >= 0 && p.def_levels_len >= 0);
					assert_true(levels <= comp_len && levels <= want);
					skip = levels;
					comp_len -= levels;
					want -= levels;
					if (!p.is_compressed) {
						page_codec = PV_CODEC_UNCOMPRESSED;
						if (codec != PV_CODEC_UNCOMPRESSED)
							t->n_v2_plain++;
					}
				}
				if (want > PAGE_CAP) {
					rc = pv_err_set(&e, PV_ELIMIT, "page of %zu bytes", want);
					break;
				}
				uint8_t *body = malloc(comp_len + 1);
				uint8_t *dst = guarded(want);
				assert_non_null(body);
				rc = pv_source_read(src, p.offset + (int64_t)p.header_len + (int64_t)skip,
						    body, comp_len, &e);
				assert_int_equal(rc, 0);
				rc = both_decompress(page_codec, body, comp_len, dst, want, &e);
				if (comp_len == 0)
					t->n_empty++;
				assert_canary(dst, want);
				free(body);
				free(dst);
				if (rc) {
					pv_err_prefix(&e, "row group %zu column %zu page %lld", g, c,
						      (long long)p.index);
					break;
				}
				if (page_codec >= 0 && page_codec < 8)
					t->n_pages[page_codec]++;
			}
			pv_pagewalk_release(&w);
			if (rc) {
				if (strict)
					print_message("# %s: %s\n", path, e.msg);
				assert_false(strict);
				assert_true(e.code == rc && e.msg[0]);
				file_rc = rc;
			}
		}
	}
	pv_pfile_free(pf);
	pv_source_close(src);
	return file_rc;
}

/* fn on every *.parquet under dir (testutil's sorted list). */
static void each_parquet(const char *dir, void (*fn)(const char *, void *), void *arg)
{
	pv_test_files l = { 0 };
	pv_test_list_parquet(&l, dir);
	for (size_t i = 0; i < l.n; i++)
		fn(l.paths[i], arg);
	pv_test_files_free(&l);
}

static void strict_file(const char *path, void *arg)
{
	decompress_file(path, true, arg);
}

static void lenient_file(const char *path, void *arg)
{
	page_tally *t = arg;
	if (decompress_file(path, false, t) != 0)
		t->n_failed_files++;
}

/* The files the compression section of the corpus README names, each
 * with the codec its pages must use; files this corpus copy lacks are
 * skipped with a note. */
static void test_corpus_named(void **state)
{
	static const struct {
		const char *rel;
		int codec;
	} named[] = {
		{ "data/alltypes_plain.snappy.parquet", PV_CODEC_SNAPPY },
		{ "data/concatenated_gzip_members.parquet", PV_CODEC_GZIP },
		{ "data/lz4_raw_compressed.parquet", PV_CODEC_LZ4_RAW },
		{ "data/lz4_raw_compressed_larger.parquet", PV_CODEC_LZ4_RAW },
		{ "data/hadoop_lz4_compressed.parquet", PV_CODEC_LZ4 },
		{ "data/hadoop_lz4_compressed_larger.parquet", PV_CODEC_LZ4 },
		{ "data/non_hadoop_lz4_compressed.parquet", PV_CODEC_LZ4 },
		{ "data/large_string_map.brotli.parquet", PV_CODEC_BROTLI },
		{ "data/byte_stream_split.zstd.parquet", PV_CODEC_ZSTD },
		{ "data/datapage_v2.snappy.parquet", PV_CODEC_SNAPPY },
		{ "data/datapage_v2_empty_datapage.snappy.parquet", PV_CODEC_SNAPPY },
	};
	size_t n_found = 0;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		char path[1024];
		pv_test_file(path, sizeof path, named[i].rel);
		struct stat st;
		if (stat(path, &st) != 0) {
			print_message("# skipped %s: not in this corpus\n", named[i].rel);
			continue;
		}
		page_tally t;
		memset(&t, 0, sizeof t);
		assert_int_equal(decompress_file(path, true, &t), 0);
		assert_true(t.n_pages[named[i].codec] > 0);
		n_found++;
	}
	assert_true(n_found >= 8);
}

/* Every page of every good corpus file decompresses to its header's size;
 * the malformed files end in clean errors or decode. */
static void test_corpus_all(void **state)
{
	page_tally t;
	memset(&t, 0, sizeof t);
	char dir[1024];
	each_parquet(pv_test_file(dir, sizeof dir, "data"), strict_file, &t);
	each_parquet(pv_test_file(dir, sizeof dir, "variant"), strict_file, &t);
	each_parquet(pv_test_file(dir, sizeof dir, "shredded_variant"), strict_file, &t);
	each_parquet(pv_test_file(dir, sizeof dir, "bad_data"), lenient_file, &t);
	print_message("# pages:");
	for (int c = 0; c < 8; c++)
		if (t.n_pages[c])
			print_message(" %s %zu", pv_codec_name(c), t.n_pages[c]);
	print_message("; v2 pages stored plain %zu; empty pages %zu; bad_data files failing %zu\n",
		      t.n_v2_plain, t.n_empty, t.n_failed_files);
	assert_true(t.n_pages[PV_CODEC_UNCOMPRESSED] > 100);
	assert_true(t.n_pages[PV_CODEC_SNAPPY] > 50);
	assert_true(t.n_pages[PV_CODEC_GZIP] > 0);
	assert_true(t.n_pages[PV_CODEC_LZ4] > 0);
	assert_true(t.n_pages[PV_CODEC_ZSTD] > 0);
	assert_true(t.n_pages[PV_CODEC_LZ4_RAW] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_lz4_roundtrip),
		cmocka_unit_test(test_lz4_hadoop_by_hand),
		cmocka_unit_test(test_wrong_dst_len),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_snappy_prefix),
		cmocka_unit_test(test_gzip_members),
		cmocka_unit_test(test_zstd_frames),
		cmocka_unit_test(test_brotli),
		cmocka_unit_test(test_stream_rules),
		cmocka_unit_test(test_unsupported_and_limits),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_corpus_named),
		cmocka_unit_test(test_corpus_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
