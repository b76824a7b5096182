/*
 * test_delta.c - unit tests for DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY
 * and DELTA_BYTE_ARRAY: the spec's example, round trips through an encoder
 * that lives only here (every miniblock width 0..64, INT32 and INT64,
 * wraparound, garbage padding and unused widths), skip-then-get against
 * get-everything, lying headers and corrupt lengths; and the corpus files
 * whose expected values sit next to them in *_expect.csv (their pages are
 * UNCOMPRESSED, so the page walk finds them and the decoders read them
 * directly).
 */
#include "testutil.h"

#include <inttypes.h>

#include "base/buf.h"
#include "base/err.h"
#include "encoding/decoder.h"
#include "encoding/delta.h"
#include "encoding/rle.h"
#include "format/meta.h"
#include "format/schema.h"
#include "io/source.h"
#include "read/pagewalk.h"
#include "read/pfile.h"

/* ------------------------------------------------------------------ helpers */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static uint64_t mask64(unsigned w)
{
	return w >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
}

typedef struct enc {
	uint8_t *b;
	size_t len, cap;
} enc;

static void put(enc *e, uint8_t c)
{
	if (e->len == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->b = realloc(e->b, e->cap);
		assert_non_null(e->b);
	}
	e->b[e->len++] = c;
}

static void put_bytes(enc *e, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(e, ((const uint8_t *)p)[i]);
}

static void put_uvarint(enc *e, uint64_t v)
{
	while (v >= 0x80) {
		put(e, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	put(e, (uint8_t)v);
}

static void put_zvarint(enc *e, int64_t v)
{
	put_uvarint(e, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static bool has(const pv_err *e, const char *s)
{
	if (!strstr(e->msg, s)) {
		print_error("message '%s' lacks '%s'\n", e->msg, s);
		return false;
	}
	return true;
}

/* Encoder flags: garbage in the last miniblock's padding bits, garbage bit
 * widths for miniblocks the last block does not use. */
enum { GARBAGE_PAD = 1, GARBAGE_WIDTHS = 2 };

/* DELTA_BINARY_PACKED of v[0, n) (INT32 when is32: arithmetic in 32 bits,
 * as writers do). count_override >= 0 replaces the header's count. */
static void encode_delta(enc *e, const int64_t *v, size_t n, uint32_t block, uint32_t n_mini,
			 bool is32, int flags, int64_t count_override)
{
	uint32_t mini = block / n_mini;
	put_uvarint(e, block);
	put_uvarint(e, n_mini);
	put_uvarint(e, count_override >= 0 ? (uint64_t)count_override : n);
	put_zvarint(e, n ? v[0] : 0);
	uint64_t *rel = malloc(block * sizeof *rel);
	for (size_t i = 1; i < n; i += block) {
		size_t k = n - i < block ? n - i : block;
		int64_t min = INT64_MAX;
		for (size_t j = 0; j < k; j++) {
			int64_t d = is32 ? (int32_t)((uint32_t)v[i + j] - (uint32_t)v[i + j - 1])
					 : (int64_t)((uint64_t)v[i + j] - (uint64_t)v[i + j - 1]);
			rel[j] = (uint64_t)d;
			if (d < min)
				min = d;
		}
		for (size_t j = 0; j < k; j++)
			rel[j] = is32 ? (uint32_t)((uint32_t)rel[j] - (uint32_t)min) : rel[j] - (uint64_t)min;
		put_zvarint(e, min);
		size_t used = (k + mini - 1) / mini;
		unsigned widths[64];
		for (size_t m = 0; m < n_mini; m++) {
			uint64_t max = 0;
			for (size_t j = m * mini; j < (m + 1) * mini && j < k; j++)
				max |= rel[j];
			widths[m] = max ? 64 - (unsigned)__builtin_clzll(max) : 0;
			put(e, m < used ? (uint8_t)widths[m]
					: (flags & GARBAGE_WIDTHS ? (uint8_t)rnd() : 0));
		}
		for (size_t m = 0; m < used; m++) {
			unsigned w = widths[m];
			size_t start = e->len;
			for (size_t b = 0; b < (size_t)mini * w / 8; b++)
				put(e, 0);
			size_t bit = 0;
			for (size_t j = m * mini; j < (m + 1) * mini; j++) {
				uint64_t x = j < k ? rel[j] : (flags & GARBAGE_PAD ? rnd() & mask64(w) : 0);
				for (unsigned b = 0; b < w; b++, bit++)
					if ((x >> b) & 1)
						e->b[start + bit / 8] |= (uint8_t)(1u << (bit % 8));
			}
		}
	}
	free(rel);
}

/* Values whose deltas (after the min) need up to w bits. */
static void gen_values(int64_t *v, size_t n, unsigned w, bool is32)
{
	uint64_t min = rnd();
	uint64_t x = rnd();
	for (size_t i = 0; i < n; i++) {
		if (i) {
			uint64_t r = below(7) == 0 ? mask64(w) : rnd() & mask64(w);
			x += min + r;
		}
		v[i] = is32 ? (int64_t)(int32_t)(uint32_t)x : (int64_t)x;
	}
}

static const uint32_t shapes[][2] = { { 128, 4 }, { 128, 1 }, { 256, 8 }, { 1024, 16 }, { 128, 2 } };

/* Decodes all of e with random chunk sizes (as INT32 or INT64) and
 * compares with v; checks finish() lands on the end. */
static void check_decode(const enc *e, const int64_t *v, size_t n, bool is32)
{
	pv_delta d;
	pv_err err;
	assert_int_equal(pv_delta_init(&d, e->b, e->len, &err), 0);
	assert_int_equal(pv_delta_left(&d), (int64_t)n);
	int64_t *got = malloc((n + 1) * sizeof *got);
	int32_t *got32 = malloc((n + 1) * sizeof *got32);
	size_t pos = 0;
	while (pos < n) {
		size_t k = 1 + below(below(2) ? 9 : 600);
		if (k > n - pos)
			k = n - pos;
		int rc = is32 ? pv_delta_get_i32(&d, got32 + pos, k, &err)
			      : pv_delta_get_i64(&d, got + pos, k, &err);
		if (rc)
			fail_msg("at %zu: %s", pos, err.msg);
		pos += k;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t g = is32 ? got32[i] : got[i];
		if (g != v[i])
			fail_msg("value %zu: got %" PRId64 ", want %" PRId64, i, g, v[i]);
	}
	assert_int_equal(pv_delta_get_i64(&d, got, 1, &err), PV_ECORRUPT);
	size_t len;
	assert_int_equal(pv_delta_finish(&d, &len, &err), 0);
	assert_int_equal(len, e->len);
	free(got);
	free(got32);
}

/* ------------------------------------------------------------------ DELTA_BINARY_PACKED */

static void test_spec_example(void **state)
{
	/* Encodings.md's example 2 (7, 5, 3, 1, 2, 3, 4, 5) with a legal block
	 * of 128 in 4 miniblocks: min delta -2, widths 2 then 3 unused ones
	 * holding garbage, one 32-value miniblock of 8 bytes */
	const uint8_t data[] = { 0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0xEE, 0xFF, 0x41,
				 0xC0, 0x3F, 0, 0, 0, 0, 0, 0 };
	pv_delta d;
	pv_err e;
	int64_t out[8];
	assert_int_equal(pv_delta_init(&d, data, sizeof data, &e), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 8, &e), 0);
	const int64_t want[] = { 7, 5, 3, 1, 2, 3, 4, 5 };
	assert_memory_equal(out, want, sizeof want);
	size_t len;
	assert_int_equal(pv_delta_finish(&d, &len, &e), 0);
	assert_int_equal(len, sizeof data);

	/* example 1 (1..5, all deltas 1: width 0, no body) */
	const uint8_t ex1[] = { 0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 0x00 };
	assert_int_equal(pv_delta_init(&d, ex1, sizeof ex1, &e), 0);
	assert_int_equal(pv_delta_skip(&d, 2, &e), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 3, &e), 0);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[2], 5);
	assert_int_equal(pv_delta_finish(&d, &len, &e), 0);
	assert_int_equal(len, sizeof ex1);

	/* no values, and one value: the header alone */
	const uint8_t one[] = { 0x80, 0x01, 0x04, 0x01, 0x7F };
	assert_int_equal(pv_delta_init(&d, one, sizeof one, &e), 0);
	int32_t o32;
	assert_int_equal(pv_delta_get_i32(&d, &o32, 1, &e), 0);
	assert_int_equal(o32, -64);
	assert_int_equal(pv_delta_finish(&d, &len, &e), 0);
	assert_int_equal(len, sizeof one);
	const uint8_t none[] = { 0x80, 0x01, 0x04, 0x00, 0x00 };
	assert_int_equal(pv_delta_init(&d, none, sizeof none, &e), 0);
	assert_int_equal(pv_delta_left(&d), 0);
	assert_int_equal(pv_delta_get_i32(&d, &o32, 0, &e), 0);
	assert_int_equal(pv_delta_finish(&d, &len, &e), 0);
	assert_int_equal(len, sizeof none);
}

static void test_roundtrip_widths(void **state)
{
	for (int is32 = 0; is32 <= 1; is32++) {
		for (unsigned w = 0; w <= (is32 ? 32u : 64u); w++) {
			for (int seed = 0; seed < 12; seed++) {
				rng = (uint64_t)is32 * 100000 + w * 100 + (uint64_t)seed;
				size_t n = below(4) == 0 ? below(40) : below(3000);
				const uint32_t *shape = shapes[below(sizeof shapes / sizeof shapes[0])];
				int64_t *v = malloc((n + 1) * sizeof *v);
				gen_values(v, n, w, is32);
				enc e = { 0 };
				encode_delta(&e, v, n, shape[0], shape[1], is32, (int)below(4), -1);
				uint8_t *exact = malloc(e.len);
				memcpy(exact, e.b, e.len);
				enc x = { exact, e.len, e.len };
				check_decode(&x, v, n, is32);
				free(exact);
				free(e.b);
				free(v);
			}
		}
	}
}

static void test_wraparound(void **state)
{
	const int64_t v64[] = { INT64_MAX, INT64_MIN, INT64_MAX, 0, -1, INT64_MIN, 1, INT64_MAX, INT64_MIN };
	enc e = { 0 };
	encode_delta(&e, v64, 9, 128, 4, false, 0, -1);
	check_decode(&e, v64, 9, false);
	/* the deltas need all 64 bits */
	assert_int_equal(e.b[e.len - 8 * 32 - 4], 64);
	free(e.b);

	const int64_t v32[] = { INT32_MAX, INT32_MIN, INT32_MAX, 0, -1, INT32_MIN, 1, INT32_MAX, 5 };
	enc f = { 0 };
	encode_delta(&f, v32, 9, 128, 4, true, 0, -1);
	check_decode(&f, v32, 9, true);
	free(f.b);
}

/* skip(k) then get(rest) equals get(all) minus k; random interleavings. */
static void test_skip(void **state)
{
	for (int seed = 0; seed < 300; seed++) {
		rng = 9000 + (uint64_t)seed;
		bool is32 = below(2);
		unsigned w = (unsigned)below(is32 ? 33 : 65);
		size_t n = 1 + below(5000);
		const uint32_t *shape = shapes[below(sizeof shapes / sizeof shapes[0])];
		int64_t *v = malloc(n * sizeof *v);
		gen_values(v, n, w, is32);
		enc e = { 0 };
		encode_delta(&e, v, n, shape[0], shape[1], is32, (int)below(4), -1);
		int64_t *got = malloc(n * sizeof *got);
		pv_delta d;
		pv_err err;

		size_t k = below(n + 1);
		assert_int_equal(pv_delta_init(&d, e.b, e.len, &err), 0);
		assert_int_equal(pv_delta_skip(&d, k, &err), 0);
		if (is32) {
			int32_t *g32 = malloc(n * sizeof *g32);
			assert_int_equal(pv_delta_get_i32(&d, g32, n - k, &err), 0);
			for (size_t i = k; i < n; i++)
				assert_true(g32[i - k] == v[i]);
			free(g32);
		} else {
			assert_int_equal(pv_delta_get_i64(&d, got, n - k, &err), 0);
			assert_memory_equal(got, v + k, (n - k) * sizeof *got);
		}

		assert_int_equal(pv_delta_init(&d, e.b, e.len, &err), 0);
		size_t pos = 0;
		while (pos < n) {
			size_t m = 1 + below(below(2) ? 10 : 700);
			if (m > n - pos)
				m = n - pos;
			if (below(2)) {
				assert_int_equal(pv_delta_skip(&d, m, &err), 0);
			} else {
				assert_int_equal(pv_delta_get_i64(&d, got, m, &err), 0);
				if (!is32)
					assert_memory_equal(got, v + pos, m * sizeof *got);
				else
					for (size_t i = 0; i < m; i++)
						assert_true((int32_t)got[i] == v[pos + i]);
			}
			pos += m;
		}
		free(v);
		free(got);
		free(e.b);
	}
}

static void test_bad_headers(void **state)
{
	pv_delta d;
	pv_err e;
	const uint8_t b100[] = { 100, 4, 10, 0 };
	assert_int_equal(pv_delta_init(&d, b100, sizeof b100, &e), PV_ECORRUPT);
	assert_true(has(&e, "delta: block size 100 is not a positive multiple of 128"));
	const uint8_t m3[] = { 0x80, 0x01, 3, 10, 0 };
	assert_int_equal(pv_delta_init(&d, m3, sizeof m3, &e), PV_ECORRUPT);
	assert_true(has(&e, "delta: 3 miniblocks do not divide a block of 128 into multiples of 32 values"));
	const uint8_t m8[] = { 0x80, 0x01, 8, 10, 0 };
	assert_int_equal(pv_delta_init(&d, m8, sizeof m8, &e), PV_ECORRUPT);
	const uint8_t m0[] = { 0x80, 0x01, 0, 10, 0 };
	assert_int_equal(pv_delta_init(&d, m0, sizeof m0, &e), PV_ECORRUPT);
	assert_int_equal(pv_delta_init(&d, m0, 4, &e), PV_ECORRUPT);
	assert_true(has(&e, "delta: truncated header"));
	const uint8_t huge[] = { 0x80, 0x80, 0x80, 0x80, 0x08, 1, 10, 0 };
	assert_int_equal(pv_delta_init(&d, huge, sizeof huge, &e), PV_ECORRUPT);
	assert_true(has(&e, "exceeds 16777216"));
	assert_int_equal(pv_delta_init(&d, NULL, 0, &e), PV_ECORRUPT);

	/* a used miniblock of width 65 */
	const uint8_t w65[] = { 0x80, 0x01, 0x04, 0x05, 0x00, 0x00, 65, 0, 0, 0 };
	assert_int_equal(pv_delta_init(&d, w65, sizeof w65, &e), 0);
	int64_t out[8];
	assert_int_equal(pv_delta_get_i64(&d, out, 1, &e), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "delta: miniblock bit width 65 exceeds 64"));

	/* a block header cut short */
	const uint8_t cut[] = { 0x80, 0x01, 0x04, 0x05, 0x00, 0x00, 0 };
	assert_int_equal(pv_delta_init(&d, cut, sizeof cut, &e), 0);
	assert_int_equal(pv_delta_skip(&d, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "delta: truncated header of block 0"));
}

/* A header claiming more values than the blocks hold. */
static void test_overclaim(void **state)
{
	rng = 4242;
	int64_t v[100];
	gen_values(v, 100, 9, false);
	enc e = { 0 };
	encode_delta(&e, v, 100, 128, 4, false, 0, 200);
	pv_delta d;
	pv_err err;
	int64_t out[200];
	assert_int_equal(pv_delta_init(&d, e.b, e.len, &err), 0);
	assert_int_equal(pv_delta_left(&d), 200);
	assert_int_equal(pv_delta_get_i64(&d, out, 100, &err), 0);
	assert_memory_equal(out, v, sizeof v);
	/* the last miniblock's padding reads as values; then the blocks end */
	assert_int_equal(pv_delta_get_i64(&d, out, 99, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: truncated header of block 1"));
	size_t len;
	assert_int_equal(pv_delta_init(&d, e.b, e.len, &err), 0);
	assert_int_equal(pv_delta_finish(&d, &len, &err), PV_ECORRUPT);

	/* the page asks for more than the header holds */
	enc f = { 0 };
	encode_delta(&f, v, 100, 128, 4, false, 0, -1);
	pv_decoder dec;
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_DELTA_BINARY_PACKED, PV_TYPE_INT64, 0, f.b, f.len,
					 150, NULL, NULL, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: header holds 100 values, the page needs 150"));
	pv_decoder_release(&dec);
	assert_int_equal(pv_delta_init(&d, f.b, f.len, &err), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 150, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: asked for 150 values, the stream holds 100"));
	free(e.b);
	free(f.b);
}

/* The last miniblock's padding may be cut; its values may not. */
static void test_short_padding(void **state)
{
	/* deltas alternate 2047 and 0: width 11 in both miniblocks; 36
	 * deltas fill miniblock 0 and leave 4 values (6 bytes) in miniblock 1,
	 * whose other 38 bytes are padding */
	int64_t v[37];
	v[0] = 0;
	for (int i = 1; i < 37; i++)
		v[i] = v[i - 1] + (i % 2 ? 2047 : 0);
	enc e = { 0 };
	encode_delta(&e, v, 37, 128, 4, false, 0, -1);
	assert_int_equal(e.b[e.len - 88 - 4], 11);
	size_t full = e.len, pad = 32 * 11 / 8 - (4 * 11 + 7) / 8;
	size_t cut = full - pad;
	pv_delta d;
	pv_err err;
	int64_t out[37];
	size_t len;
	assert_int_equal(pv_delta_init(&d, e.b, cut, &err), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 37, &err), 0);
	assert_memory_equal(out, v, sizeof v);
	assert_int_equal(pv_delta_finish(&d, &len, &err), 0);
	assert_int_equal(len, cut);
	assert_int_equal(pv_delta_init(&d, e.b, cut - 1, &err), 0);
	assert_int_equal(pv_delta_get_i64(&d, out, 37, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: miniblock 1 of block 0 needs 44 bytes, 5 left"));
	free(e.b);
}

/* ------------------------------------------------------------------ byte arrays */

static void encode_dlba(enc *e, char **s, size_t n, int flags)
{
	int64_t *len = calloc(n + 1, sizeof *len);
	for (size_t i = 0; i < n; i++)
		len[i] = (int64_t)strlen(s[i]);
	encode_delta(e, len, n, 128, 4, true, flags, -1);
	for (size_t i = 0; i < n; i++)
		put_bytes(e, s[i], strlen(s[i]));
	free(len);
}

static void encode_dba(enc *e, char **s, size_t n)
{
	int64_t *pre = calloc(n + 1, sizeof *pre);
	char **suf = malloc((n + 1) * sizeof *suf);
	for (size_t i = 0; i < n; i++) {
		size_t p = 0;
		if (i)
			while (s[i][p] && s[i][p] == s[i - 1][p])
				p++;
		/* sometimes share less than possible: still valid */
		if (p && below(4) == 0)
			p = below(p);
		pre[i] = (int64_t)p;
		suf[i] = s[i] + p;
	}
	encode_delta(e, pre, n, 128, 4, true, 0, -1);
	encode_dlba(e, suf, n, 0);
	free(pre);
	free(suf);
}

/* Sorted-ish strings sharing prefixes, some empty. */
static char **gen_strings(size_t n, size_t fixed)
{
	char **s = malloc((n + 1) * sizeof *s);
	for (size_t i = 0; i < n; i++) {
		size_t len = fixed ? fixed : below(5) == 0 ? 0 : 1 + below(below(8) ? 12 : 300);
		s[i] = malloc(len + 1);
		size_t keep = 0;
		if (i && len && below(3)) {
			keep = below(len + 1);
			size_t prev = strlen(s[i - 1]);
			if (keep > prev)
				keep = prev;
			memcpy(s[i], s[i - 1], keep);
		}
		for (size_t k = keep; k < len; k++)
			s[i][k] = (char)('a' + below(3));
		s[i][len] = '\0';
	}
	return s;
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

static void assert_view(pv_bytes_view v, const char *s)
{
	if (v.len != strlen(s) || (v.len && memcmp(v.ptr, s, v.len) != 0))
		fail_msg("got '%.*s', want '%s'", (int)v.len, v.len ? (const char *)v.ptr : "", s);
}

static void test_dlba(void **state)
{
	for (int seed = 0; seed < 60; seed++) {
		rng = 3000 + (uint64_t)seed;
		size_t n = below(3) == 0 ? below(5) : below(2000);
		char **s = gen_strings(n, 0);
		enc e = { 0 };
		encode_dlba(&e, s, n, (int)below(4));
		put(&e, 0x5A); /* trailing bytes are ignored */
		pv_dlba d;
		pv_err err;
		pv_bytes_view *v = malloc((n + 1) * sizeof *v);
		assert_int_equal(pv_dlba_init(&d, e.b, e.len, (int64_t)n, &err), 0);
		size_t k = below(n + 1);
		assert_int_equal(pv_dlba_skip(&d, k, &err), 0);
		size_t pos = k;
		while (pos < n) {
			size_t m = 1 + below(300);
			if (m > n - pos)
				m = n - pos;
			assert_int_equal(pv_dlba_get(&d, v, m, &err), 0);
			for (size_t i = 0; i < m; i++) {
				assert_view(v[i], s[pos + i]);
				/* views point into the input */
				assert_true(v[i].len == 0 || (v[i].ptr >= e.b && v[i].ptr < e.b + e.len));
			}
			pos += m;
		}
		assert_int_equal(pv_dlba_left(&d), 0);

		/* the offsets form */
		int64_t *off = malloc((n + 1) * sizeof *off);
		const uint8_t *base;
		assert_int_equal(pv_dlba_init(&d, e.b, e.len, (int64_t)n, &err), 0);
		assert_int_equal(pv_dlba_get_offsets(&d, off, n, &base, &err), 0);
		for (size_t i = 0; i < n; i++) {
			pv_bytes_view x = { base + off[i], (uint32_t)(off[i + 1] - off[i]) };
			assert_view(x, s[i]);
		}
		free(off);

		/* through the dispatcher, which checks the count */
		pv_decoder dec;
		assert_int_equal(pv_decoder_init(&dec, PV_ENC_DELTA_LENGTH_BYTE_ARRAY, PV_TYPE_BYTE_ARRAY, 0,
						 e.b, e.len, (int64_t)n, NULL, NULL, &err), 0);
		assert_int_equal(pv_decoder_get(&dec, v, n, &err), 0);
		for (size_t i = 0; i < n; i++)
			assert_view(v[i], s[i]);
		pv_decoder_release(&dec);
		if (n > 1) {
			assert_int_equal(pv_dlba_init(&d, e.b, e.len, (int64_t)n - 1, &err), PV_ECORRUPT);
			assert_true(has(&err, "the page holds at most"));
		}
		free(v);
		free(e.b);
		free_strings(s, n);
	}
}

static void test_dlba_corrupt(void **state)
{
	pv_dlba d;
	pv_err err;
	/* lengths 3, 4 but 5 bytes */
	int64_t len[] = { 3, 4 };
	enc e = { 0 };
	encode_delta(&e, len, 2, 128, 4, true, 0, -1);
	put_bytes(&e, "abcde", 5);
	assert_int_equal(pv_dlba_init(&d, e.b, e.len, 10, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: byte arrays need 7 bytes, 5 follow the lengths"));
	free(e.b);

	/* a negative length */
	int64_t neg[] = { 3, -4, 2 };
	enc f = { 0 };
	encode_delta(&f, neg, 3, 128, 4, true, 0, -1);
	put_bytes(&f, "abcdefghijkl", 12);
	assert_int_equal(pv_dlba_init(&d, f.b, f.len, 10, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: negative length -4 of byte array 1"));
	free(f.b);

	/* huge lengths stop the scan early */
	int64_t big[] = { INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX };
	enc g = { 0 };
	encode_delta(&g, big, 4, 128, 4, true, 0, -1);
	assert_int_equal(pv_dlba_init(&d, g.b, g.len, 10, &err), PV_ECORRUPT);
	free(g.b);

	/* a width-0 stream claiming 2^40 values is refused before any work */
	const uint8_t lots[] = { 0x80, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00, 0x00, 0x00 };
	assert_int_equal(pv_dlba_init(&d, lots, sizeof lots, 1000, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: header claims 1099511627776 values, the page holds at most 1000"));
}

static void test_dba(void **state)
{
	for (int seed = 0; seed < 60; seed++) {
		rng = 7000 + (uint64_t)seed;
		size_t fixed = below(3) == 0 ? 1 + below(20) : 0;
		size_t n = below(3) == 0 ? below(5) : below(2000);
		char **s = gen_strings(n, fixed);
		enc e = { 0 };
		encode_dba(&e, s, n);
		uint8_t *exact = malloc(e.len ? e.len : 1);
		memcpy(exact, e.b, e.len);
		pv_dba d;
		pv_err err;
		pv_buf buf;
		pv_buf_init(&buf, 0);
		pv_bytes_view *v = malloc((n + 1) * sizeof *v);
		int32_t fl = fixed ? (int32_t)fixed : -1;

		assert_int_equal(pv_dba_init(&d, exact, e.len, fl, (int64_t)n, &err), 0);
		size_t pos = 0;
		while (pos < n) {
			size_t m = 1 + below(below(2) ? 5 : 600);
			if (m > n - pos)
				m = n - pos;
			if (below(3) == 0) {
				assert_int_equal(pv_dba_skip(&d, m, &err), 0);
			} else {
				pv_buf_reset(&buf);
				int rc = pv_dba_get(&d, v, m, &buf, &err);
				if (rc)
					fail_msg("%s", err.msg);
				for (size_t i = 0; i < m; i++)
					assert_view(v[i], s[pos + i]);
			}
			pos += m;
		}
		assert_int_equal(pv_dba_left(&d), 0);
		pv_dba_release(&d);

		/* skip(k) then everything else in one get */
		size_t k = below(n + 1);
		assert_int_equal(pv_dba_init(&d, exact, e.len, fl, (int64_t)n, &err), 0);
		assert_int_equal(pv_dba_skip(&d, k, &err), 0);
		pv_buf_reset(&buf);
		assert_int_equal(pv_dba_get(&d, v, n - k, &buf, &err), 0);
		for (size_t i = k; i < n; i++)
			assert_view(v[i - k], s[i]);
		pv_dba_release(&d);

		/* through the dispatcher, FIXED_LEN_BYTE_ARRAY when fixed */
		pv_decoder dec;
		pv_buf_reset(&buf);
		assert_int_equal(pv_decoder_init(&dec, PV_ENC_DELTA_BYTE_ARRAY,
						 fixed ? PV_TYPE_FIXED_LEN_BYTE_ARRAY : PV_TYPE_BYTE_ARRAY, fl,
						 exact, e.len, (int64_t)n, NULL, &buf, &err), 0);
		assert_int_equal(pv_decoder_get(&dec, v, n, &err), 0);
		for (size_t i = 0; i < n; i++)
			assert_view(v[i], s[i]);
		pv_decoder_release(&dec);

		pv_buf_release(&buf);
		free(v);
		free(exact);
		free(e.b);
		free_strings(s, n);
	}
}

static void test_dba_corrupt(void **state)
{
	pv_dba d;
	pv_err err;
	pv_buf buf;
	pv_bytes_view v[4];
	pv_buf_init(&buf, 0);

	/* prefix 2 after a 1-byte value */
	int64_t pre[] = { 0, 2 };
	char *suf[] = { "a", "bc" };
	enc e = { 0 };
	encode_delta(&e, pre, 2, 128, 4, true, 0, -1);
	encode_dlba(&e, suf, 2, 0);
	assert_int_equal(pv_dba_init(&d, e.b, e.len, -1, 10, &err), 0);
	assert_int_equal(pv_dba_get(&d, v, 2, &buf, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: prefix length 2 of byte array 1 exceeds the previous value's 1 bytes"));
	pv_dba_release(&d);
	assert_int_equal(pv_dba_init(&d, e.b, e.len, -1, 10, &err), 0);
	assert_int_equal(pv_dba_skip(&d, 2, &err), PV_ECORRUPT);
	pv_dba_release(&d);
	/* a fixed length the values do not have */
	assert_int_equal(pv_dba_init(&d, e.b, e.len, 1, 10, &err), 0);
	assert_int_equal(pv_dba_skip(&d, 1, &err), 0);
	pv_dba_release(&d);
	int64_t pre2[] = { 0, 1 };
	enc f = { 0 };
	encode_delta(&f, pre2, 2, 128, 4, true, 0, -1);
	encode_dlba(&f, suf, 2, 0);
	assert_int_equal(pv_dba_init(&d, f.b, f.len, 1, 10, &err), 0);
	assert_int_equal(pv_dba_get(&d, v, 2, &buf, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: byte array 1 is 3 bytes, not the fixed 1"));
	pv_dba_release(&d);

	/* counts that disagree */
	int64_t pre3[] = { 0, 0, 0 };
	enc g = { 0 };
	encode_delta(&g, pre3, 3, 128, 4, true, 0, -1);
	encode_dlba(&g, suf, 2, 0);
	assert_int_equal(pv_dba_init(&d, g.b, g.len, -1, 10, &err), PV_ECORRUPT);
	assert_true(has(&err, "delta: 3 prefix lengths but 2 suffixes"));
	pv_dba_release(&d);

	/* prefix sharing that outgrows the caller's cap: a LIMIT error */
	size_t n = 1000;
	int64_t *p = malloc(n * sizeof *p);
	char **s = malloc(n * sizeof *s);
	char longv[201];
	memset(longv, 'x', 200);
	longv[200] = '\0';
	for (size_t i = 0; i < n; i++) {
		p[i] = i ? 200 : 0;
		s[i] = i ? "" : longv;
	}
	enc h = { 0 };
	encode_delta(&h, p, n, 128, 4, true, 0, -1);
	encode_dlba(&h, s, n, 0);
	pv_buf small;
	pv_buf_init(&small, 10000);
	pv_bytes_view *many = malloc(n * sizeof *many);
	assert_int_equal(pv_dba_init(&d, h.b, h.len, -1, (int64_t)n, &err), 0);
	assert_int_equal(pv_dba_get(&d, many, n, &small, &err), PV_ELIMIT);
	pv_dba_release(&d);
	/* skipping needs no buffer */
	assert_int_equal(pv_dba_init(&d, h.b, h.len, -1, (int64_t)n, &err), 0);
	assert_int_equal(pv_dba_skip(&d, n - 1, &err), 0);
	pv_buf_reset(&small);
	assert_int_equal(pv_dba_get(&d, many, 1, &small, &err), 0);
	assert_view(many[0], longv);
	pv_dba_release(&d);
	pv_dba_release(NULL);
	free(many);
	pv_buf_release(&small);
	free(p);
	free(s);
	free(h.b);
	free(e.b);
	free(f.b);
	free(g.b);
	pv_buf_release(&buf);
}

/* ------------------------------------------------------------------ corpus */

/* A cell of an expected-values CSV: NULL for an unquoted empty field. */
typedef struct csv {
	char ***rows;   /* rows[r][c] */
	size_t n_rows, n_cols;
} csv;

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void csv_load(csv *c, const char *path)
{
	char *s = read_all(path);
	if (!s)
		fail_msg("cannot read '%s' (set PARQVIEW_TESTDATA)", path);
	memset(c, 0, sizeof *c);
	size_t cap = 0;
	char *p = s;
	while (*p) {
		char **row = NULL;
		size_t n = 0;
		for (;;) {
			char *cell = NULL;
			if (*p == '"') {
				size_t len = 0;
				cell = malloc(strlen(p) + 1);
				for (p++; *p; p++) {
					if (*p == '"') {
						if (p[1] == '"') {
							cell[len++] = '"';
							p++;
							continue;
						}
						p++;
						break;
					}
					cell[len++] = *p;
				}
				cell[len] = '\0';
			} else {
				char *start = p;
				while (*p && *p != ',' && *p != '\n' && *p != '\r')
					p++;
				if (p > start)
					cell = strndup(start, (size_t)(p - start));
			}
			row = realloc(row, (n + 1) * sizeof *row);
			row[n++] = cell;
			if (*p == ',') {
				p++;
				continue;
			}
			while (*p == '\r' || *p == '\n')
				p++;
			break;
		}
		if (c->n_rows == cap) {
			cap = cap ? cap * 2 : 256;
			c->rows = realloc(c->rows, cap * sizeof *c->rows);
		}
		c->rows[c->n_rows++] = row;
		if (c->n_rows == 1)
			c->n_cols = n;
		else
			assert_int_equal(n, c->n_cols);
	}
	free(s);
}

static void csv_free(csv *c)
{
	for (size_t r = 0; r < c->n_rows; r++) {
		for (size_t k = 0; k < c->n_cols; k++)
			free(c->rows[r][k]);
		free(c->rows[r]);
	}
	free(c->rows);
}

/* Decodes one UNCOMPRESSED data page (v1 or v2) of a flat column and
 * checks each value (as text) against column col of the CSV, from row
 * *row on. */
static void check_page(const pv_page_info *pi, const uint8_t *page, size_t len,
		       const pv_schema_node *leaf, const csv *c, size_t col, size_t *row)
{
	pv_err err;
	int64_t n = pi->num_values;
	int16_t *def = calloc((size_t)n + 1, sizeof *def);
	size_t off = 0;
	int max_def = leaf->max_def;
	assert_int_equal(leaf->max_rep, 0);
	pv_rle r;
	if (pi->type == PV_PAGE_DATA_V2) {
		size_t rep_len = (size_t)pi->rep_levels_len, def_len = (size_t)pi->def_levels_len;
		assert_int_equal(rep_len, 0);
		if (max_def > 0) {
			assert_int_equal(pv_rle_init(&r, page + rep_len, def_len, pv_level_width(max_def), n,
						     &err), 0);
			assert_int_equal(pv_rle_get_levels(&r, def, (size_t)n, (int16_t)max_def, &err), 0);
		}
		off = rep_len + def_len;
	} else if (max_def > 0) {
		assert_int_equal(pi->def_level_encoding, PV_ENC_RLE);
		assert_int_equal(pv_rle_init_prefixed(&r, page, len, pv_level_width(max_def), n, &off, &err), 0);
		assert_int_equal(pv_rle_get_levels(&r, def, (size_t)n, (int16_t)max_def, &err), 0);
	}
	size_t n_present = 0;
	for (int64_t i = 0; i < n; i++)
		n_present += def[i] == max_def;
	const pv_schema_element *el = leaf->element;
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	pv_decoder dec;
	int rc = pv_decoder_init(&dec, pi->encoding, el->type, el->type_length, page + off, len - off,
				 (int64_t)n_present, NULL, &scratch, &err);
	if (rc)
		fail_msg("column '%s': %s", leaf->path, err.msg);
	uint8_t *vals = malloc((n_present + 1) * dec.width);
	/* half the pages skip a few values first, then read the rest */
	size_t skip = n_present && below(2) ? below(n_present) : 0;
	assert_int_equal(pv_decoder_skip(&dec, skip, &err), 0);
	rc = pv_decoder_get(&dec, vals + skip * dec.width, n_present - skip, &err);
	if (rc)
		fail_msg("column '%s': %s", leaf->path, err.msg);
	size_t k = 0;
	for (int64_t i = 0; i < n; i++, (*row)++) {
		assert_true(*row < c->n_rows);
		const char *want = c->rows[*row][col];
		if (def[i] != max_def) {
			if (want)
				fail_msg("column '%s' row %zu: got null, want '%s'", leaf->path, *row, want);
			continue;
		}
		size_t at = k++;
		if (at < skip)
			continue;
		char got[64];
		const char *g = got;
		switch (el->type) {
		case PV_TYPE_INT32: {
			int32_t x;
			memcpy(&x, vals + at * 4, 4);
			snprintf(got, sizeof got, "%d", x);
			break;
		}
		case PV_TYPE_INT64: {
			int64_t x;
			memcpy(&x, vals + at * 8, 8);
			snprintf(got, sizeof got, "%" PRId64, x);
			break;
		}
		default: {
			pv_bytes_view v;
			memcpy(&v, vals + at * sizeof v, sizeof v);
			if (!want || v.len != strlen(want) || memcmp(v.ptr, want, v.len) != 0)
				fail_msg("column '%s' row %zu: got '%.*s', want '%s'", leaf->path, *row,
					 (int)v.len, (const char *)v.ptr, want ? want : "(null)");
			g = NULL;
			break;
		}
		}
		if (g && (!want || strcmp(g, want) != 0))
			fail_msg("column '%s' row %zu: got '%s', want '%s'", leaf->path, *row, g,
				 want ? want : "(null)");
	}
	pv_decoder_release(&dec);
	pv_buf_release(&scratch);
	free(vals);
	free(def);
}

/* Every column of name.parquet against name_expect.csv (by position). */
static void check_corpus_file(const char *name)
{
	char path[1024], cpath[1024], rel[256];
	snprintf(rel, sizeof rel, "data/%s.parquet", name);
	pv_test_file(path, sizeof path, rel);
	snprintf(rel, sizeof rel, "data/%s_expect.csv", name);
	pv_test_file(cpath, sizeof cpath, rel);
	csv c;
	csv_load(&c, cpath);
	pv_source *src;
	pv_pfile *pf;
	pv_err err;
	if (pv_source_open(path, &src, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(pv_pfile_load(src, &pf, &err), 0);
	assert_int_equal(pf->schema->n_leaves, c.n_cols);
	size_t n_pages = 0;
	for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		for (size_t col = 0; col < rg->n_columns; col++) {
			const pv_column_chunk *cc = &rg->columns[col];
			const pv_schema_node *leaf = pf->schema->leaves[col];
			assert_int_equal(cc->meta_data.codec, PV_CODEC_UNCOMPRESSED);
			pv_pagewalk w;
			assert_int_equal(pv_pagewalk_open(&w, src, cc, leaf->max_rep, &err), 0);
			size_t row = 1; /* after the CSV header */
			for (;;) {
				pv_page_info pi;
				bool done;
				assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &err), 0);
				if (done)
					break;
				if (!pi.is_data)
					continue;
				size_t len = (size_t)pi.compressed_size;
				uint8_t *page = malloc(len ? len : 1);
				assert_int_equal(pv_source_read(src, pi.offset + (int64_t)pi.header_len, page, len,
								&err), 0);
				check_page(&pi, page, len, leaf, &c, col, &row);
				free(page);
				n_pages++;
			}
			assert_int_equal(row, c.n_rows);
			pv_pagewalk_release(&w);
		}
	}
	assert_true(n_pages >= c.n_cols);
	pv_pfile_free(pf);
	pv_source_close(src);
	csv_free(&c);
}

static void test_corpus_delta_binary_packed(void **state)
{
	rng = 1;
	check_corpus_file("delta_binary_packed");
}

static void test_corpus_delta_byte_array(void **state)
{
	rng = 2;
	check_corpus_file("delta_byte_array");
}

static void test_corpus_delta_required(void **state)
{
	rng = 3;
	check_corpus_file("delta_encoding_required_column");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_roundtrip_widths),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_overclaim),
		cmocka_unit_test(test_short_padding),
		cmocka_unit_test(test_dlba),
		cmocka_unit_test(test_dlba_corrupt),
		cmocka_unit_test(test_dba),
		cmocka_unit_test(test_dba_corrupt),
		cmocka_unit_test(test_corpus_delta_binary_packed),
		cmocka_unit_test(test_corpus_delta_byte_array),
		cmocka_unit_test(test_corpus_delta_required),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
