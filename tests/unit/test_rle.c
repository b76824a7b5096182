/*
 * test_rle.c - unit tests for the RLE/bit-packing hybrid, BIT_PACKED levels
 * and the bit unpackers: the spec's examples, round trips through a small
 * encoder that lives only here (every width 0..32, many seeds, runs that
 * cross get() boundaries), skip-then-get against get-everything, width 0,
 * leniency and corrupt input.
 */
#include "testutil.h"

#include "base/err.h"
#include "encoding/bitpack.h"
#include "encoding/rle.h"

/* ------------------------------------------------------------------ helpers */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* splitmix64: deterministic for a seed */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static uint32_t mask_of(unsigned w)
{
	return w >= 32 ? 0xffffffffu : (1u << w) - 1;
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

static void put_uvarint(enc *e, uint64_t v)
{
	while (v >= 0x80) {
		put(e, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	put(e, (uint8_t)v);
}

/* LSB-first packing of n values (n a multiple of 8). */
static void put_packed(enc *e, const uint32_t *v, size_t n, unsigned w)
{
	size_t start = e->len;
	for (size_t i = 0; i < n * w / 8; i++)
		put(e, 0);
	size_t bit = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned b = 0; b < w; b++, bit++)
			if ((v[i] >> b) & 1)
				e->b[start + bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* A valid but randomly shaped hybrid encoding of v: RLE runs of random
 * length over repeats, bit-packed runs of 1-4 groups, the last group padded
 * with garbage the decoder must ignore. */
static void encode_hybrid(enc *e, const uint32_t *v, size_t n, unsigned w)
{
	size_t i = 0;
	while (i < n) {
		size_t rep = 1;
		while (i + rep < n && v[i + rep] == v[i])
			rep++;
		if ((rep >= 8 && below(4)) || below(8) == 0) {
			size_t len = rep >= 8 && below(2) ? rep : 1 + below(rep);
			put_uvarint(e, (uint64_t)len << 1);
			for (unsigned b = 0; b < (w + 7) / 8; b++)
				put(e, (uint8_t)(v[i] >> (8 * b)));
			i += len;
		} else {
			size_t groups = 1 + below(4);
			uint32_t tmp[32];
			for (size_t k = 0; k < groups * 8; k++)
				tmp[k] = i + k < n ? v[i + k] : (uint32_t)rnd() & mask_of(w);
			put_uvarint(e, (uint64_t)groups << 1 | 1);
			put_packed(e, tmp, groups * 8, w);
			i += groups * 8;
		}
	}
}

/* Values with runs and noise. */
static void gen_values(uint32_t *v, size_t n, unsigned w)
{
	size_t i = 0;
	while (i < n) {
		size_t len = 1 + below(below(3) ? 20 : 300);
		bool same = below(2);
		uint32_t x = (uint32_t)rnd() & mask_of(w);
		for (size_t k = 0; k < len && i < n; k++, i++)
			v[i] = same ? x : (uint32_t)rnd() & mask_of(w);
	}
	/* make sure the widest value appears now and then */
	if (n && below(2))
		v[below(n)] = mask_of(w);
}

static bool has(const pv_err *e, const char *s)
{
	if (!strstr(e->msg, s)) {
		print_error("message '%s' lacks '%s'\n", e->msg, s);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ tests */

static void test_spec_examples(void **state)
{
	/* Encodings.md: 0..7 at width 3, bit-packed LSB-first */
	const uint8_t hybrid[] = { 0x03, 0x88, 0xC6, 0xFA };
	pv_rle r;
	pv_err e;
	uint32_t out[8];
	assert_int_equal(pv_rle_init(&r, hybrid, sizeof hybrid, 3, 8, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 8, &e), 0);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(out[i], i);

	/* the same values in the deprecated MSB-first BIT_PACKED */
	const uint8_t old[] = { 0x05, 0x39, 0x77 };
	pv_bitpacked b;
	size_t used;
	int16_t lv[8];
	assert_int_equal(pv_bitpacked_init(&b, old, sizeof old, 3, 8, &used, &e), 0);
	assert_int_equal(used, 3);
	assert_int_equal(pv_bitpacked_get_levels(&b, lv, 3, 7, &e), 0);
	assert_int_equal(pv_bitpacked_skip(&b, 1, &e), 0);
	assert_int_equal(pv_bitpacked_get_levels(&b, lv + 4, 4, 7, &e), 0);
	for (int i = 0; i < 8; i++)
		if (i != 3)
			assert_int_equal(lv[i], i);
	assert_int_equal(pv_bitpacked_get_levels(&b, lv, 1, 7, &e), PV_EINVAL);

	/* an RLE run: 5 x value 0x0102 at width 9 (two value bytes) */
	const uint8_t rle[] = { 0x0A, 0x02, 0x01 };
	assert_int_equal(pv_rle_init(&r, rle, sizeof rle, 9, 5, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 5, &e), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(out[i], 0x102);
}

static void test_level_width(void **state)
{
	assert_int_equal(pv_level_width(0), 0);
	assert_int_equal(pv_level_width(1), 1);
	assert_int_equal(pv_level_width(2), 2);
	assert_int_equal(pv_level_width(3), 2);
	assert_int_equal(pv_level_width(4), 3);
	assert_int_equal(pv_level_width(32767), 15);
}

/* The unpackers against a plain bit reader, for every width, every group
 * count up to 40, and truncated inputs (missing bytes read as zero). */
static void test_unpack(void **state)
{
	rng = 1;
	uint8_t in[64 * 40];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)rnd();
	static uint64_t out64[8 * 40];
	static uint32_t out32[8 * 40];
	for (unsigned w = 0; w <= 64; w++) {
		for (size_t groups = 1; groups <= 40; groups += 1 + below(5)) {
			size_t bytes = groups * w;
			size_t avail = below(3) ? bytes : below(bytes + 1);
			/* copy to an exact-size heap block so ASan sees overreads */
			uint8_t *exact = malloc(avail ? avail : 1);
			memcpy(exact, in, avail);
			pv_unpack64(exact, avail, groups, w, out64);
			if (w <= 32)
				pv_unpack32(exact, avail, groups, w, out32);
			for (size_t i = 0; i < groups * 8; i++) {
				uint64_t want = 0;
				for (unsigned b = 0; b < w; b++) {
					size_t bit = i * w + b;
					if (bit / 8 < avail && ((in[bit / 8] >> (bit % 8)) & 1))
						want |= (uint64_t)1 << b;
				}
				assert_true(out64[i] == want);
				if (w <= 32)
					assert_true(out32[i] == (uint32_t)want);
			}
			free(exact);
		}
	}
}

/* Decodes everything in random chunk sizes and compares. */
static void check_decode(const uint8_t *data, size_t len, unsigned w, const uint32_t *want, size_t n)
{
	pv_rle r;
	pv_err e;
	assert_int_equal(pv_rle_init(&r, data, len, w, (int64_t)n, &e), 0);
	uint32_t *got = malloc((n + 1) * sizeof *got);
	size_t pos = 0;
	while (pos < n) {
		size_t k = 1 + below(below(2) ? 10 : 700);
		if (k > n - pos)
			k = n - pos;
		int rc = pv_rle_get_u32(&r, got + pos, k, &e);
		if (rc)
			fail_msg("width %u at %zu: %s", w, pos, e.msg);
		pos += k;
	}
	assert_memory_equal(got, want, n * sizeof *got);
	assert_int_equal(pv_rle_left(&r), 0);
	assert_int_equal(pv_rle_get_u32(&r, got, 1, &e), PV_EINVAL);
	free(got);
}

static void test_roundtrip(void **state)
{
	for (unsigned w = 0; w <= 32; w++) {
		for (int seed = 0; seed < 40; seed++) {
			rng = (uint64_t)w * 1000 + (uint64_t)seed;
			size_t n = below(5) == 0 ? below(10) : below(3000);
			uint32_t *v = malloc((n + 1) * sizeof *v);
			gen_values(v, n, w);
			enc e = { 0 };
			encode_hybrid(&e, v, n, w);
			check_decode(e.b, e.len, w, v, n);

			/* the dictionary-index form: width byte first */
			enc d = { 0 };
			put(&d, (uint8_t)w);
			for (size_t i = 0; i < e.len; i++)
				put(&d, e.b[i]);
			pv_rle r;
			pv_err err;
			assert_int_equal(pv_rle_init_dict(&r, d.b, d.len, (int64_t)n, &err), 0);
			uint32_t *got = malloc((n + 1) * sizeof *got);
			assert_int_equal(pv_rle_get_u32(&r, got, n, &err), 0);
			assert_memory_equal(got, v, n * sizeof *got);

			/* the v1 form: length prefix, then something else after it */
			enc p = { 0 };
			for (int i = 0; i < 4; i++)
				put(&p, (uint8_t)(e.len >> (8 * i)));
			for (size_t i = 0; i < e.len; i++)
				put(&p, e.b[i]);
			put(&p, 0xEE);
			size_t used;
			assert_int_equal(pv_rle_init_prefixed(&r, p.b, p.len, w, (int64_t)n, &used, &err), 0);
			assert_int_equal(used, e.len + 4);
			assert_int_equal(pv_rle_get_u32(&r, got, n, &err), 0);
			assert_memory_equal(got, v, n * sizeof *got);

			/* levels, when the width allows */
			if (w <= 15) {
				int16_t *lv = malloc((n + 1) * sizeof *lv);
				assert_int_equal(pv_rle_init(&r, e.b, e.len, w, (int64_t)n, &err), 0);
				assert_int_equal(pv_rle_get_levels(&r, lv, n, (int16_t)mask_of(w), &err), 0);
				for (size_t i = 0; i < n; i++)
					assert_int_equal(lv[i], v[i]);
				free(lv);
			}
			free(got);
			free(v);
			free(e.b);
			free(d.b);
			free(p.b);
		}
	}
}

/* Through a sliding window (pv_rle_fit, pv_rle_keep, pv_rle_window): the
 * bytes move to a small buffer a piece at a time, as a streamed page's do,
 * and random gets and skips of what fits must read the same values. */
static void test_window(void **state)
{
	for (unsigned w = 0; w <= 32; w += (w < 4 ? 1 : 7)) {
		for (int seed = 0; seed < 30; seed++) {
			rng = (uint64_t)w * 777 + (uint64_t)seed;
			size_t n = 1 + below(4000);
			uint32_t *v = malloc(n * sizeof *v);
			gen_values(v, n, w);
			enc e = { 0 };
			put(&e, (uint8_t)w);
			encode_hybrid(&e, v, n, w);
			/* the window holds copies of [base, base + have) of e.b */
			size_t cap = e.len, base = 0, have = 1 + below(e.len < 64 ? e.len : 64);
			uint8_t *win = malloc(cap);
			memcpy(win, e.b, have);
			pv_rle r;
			pv_err err;
			assert_int_equal(pv_rle_init_dict(&r, win, e.len, (int64_t)n, &err), 0);
			pv_rle_window(&r, pv_rle_keep(&r), win + have);
			uint32_t *got = malloc(n * sizeof *got);
			size_t at = 0;
			while (at < n) {
				size_t want = 1 + below(50);
				if (want > n - at)
					want = n - at;
				size_t m = pv_rle_fit(&r, want);
				assert_true(m <= want);
				if (m == 0) {
					/* slide to the first byte still needed, add more */
					size_t keep = base + (size_t)(pv_rle_keep(&r) - win);
					assert_true(keep >= base && keep <= base + have);
					size_t kept = base + have - keep;
					memmove(win, win + (keep - base), kept);
					size_t more = 1 + below(40);
					if (more > e.len - keep - kept)
						more = e.len - keep - kept;
					memcpy(win + kept, e.b + keep + kept, more);
					base = keep;
					have = kept + more;
					pv_rle_window(&r, win, win + have);
					assert_true(more > 0);
					continue;
				}
				if (below(3) == 0) {
					assert_int_equal(pv_rle_skip(&r, m, &err), 0);
				} else {
					assert_int_equal(pv_rle_get_u32(&r, got, m, &err), 0);
					assert_memory_equal(got, v + at, m * sizeof *got);
				}
				at += m;
			}
			free(got);
			free(win);
			free(v);
			free(e.b);
		}
	}
}

/* skip(k) then get(rest) must equal get(all) minus the first k, and random
 * interleavings of skip, skip_count and get must agree with the reference. */
static void test_skip(void **state)
{
	for (unsigned w = 0; w <= 32; w += (w < 4 ? 1 : 3)) {
		for (int seed = 0; seed < 30; seed++) {
			rng = 77 + (uint64_t)w * 100 + (uint64_t)seed;
			size_t n = 1 + below(4000);
			uint32_t *v = malloc(n * sizeof *v);
			gen_values(v, n, w);
			enc e = { 0 };
			encode_hybrid(&e, v, n, w);
			uint32_t *got = malloc(n * sizeof *got);
			pv_rle r;
			pv_err err;

			size_t k = below(n + 1);
			assert_int_equal(pv_rle_init(&r, e.b, e.len, w, (int64_t)n, &err), 0);
			assert_int_equal(pv_rle_skip(&r, k, &err), 0);
			assert_int_equal(pv_rle_get_u32(&r, got, n - k, &err), 0);
			assert_memory_equal(got, v + k, (n - k) * sizeof *got);

			assert_int_equal(pv_rle_init(&r, e.b, e.len, w, (int64_t)n, &err), 0);
			size_t pos = 0;
			while (pos < n) {
				size_t m = 1 + below(below(2) ? 12 : 500);
				if (m > n - pos)
					m = n - pos;
				switch (below(3)) {
				case 0:
					assert_int_equal(pv_rle_get_u32(&r, got, m, &err), 0);
					assert_memory_equal(got, v + pos, m * sizeof *got);
					break;
				case 1:
					assert_int_equal(pv_rle_skip(&r, m, &err), 0);
					break;
				default: {
					size_t cnt = 0, want = 0;
					uint32_t probe = v[pos + below(m)];
					for (size_t i = 0; i < m; i++)
						want += v[pos + i] == probe;
					assert_int_equal(pv_rle_skip_count(&r, m, probe, &cnt, &err), 0);
					assert_int_equal(cnt, want);
					break;
				}
				}
				pos += m;
			}
			assert_int_equal(pv_rle_left(&r), 0);
			free(v);
			free(got);
			free(e.b);
		}
	}
}

/* skip_count over long bit-packed runs, where widths 1, 2, 4 and 8 count
 * eight bytes at a time: counts from any position, over any length, of
 * values present, absent and too wide for the width, against a plain
 * count of the values. */
static void test_count_packed(void **state)
{
	static const unsigned widths[] = { 1, 2, 3, 4, 5, 8 };
	for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
		unsigned w = widths[wi];
		for (int seed = 0; seed < 40; seed++) {
			rng = 991 + (uint64_t)w * 1000 + (uint64_t)seed;
			size_t groups = 1 + below(seed < 20 ? 64 : 3000);
			size_t n = groups * 8;
			uint32_t *v = malloc(n * sizeof *v);
			/* mostly one value (levels are), some noise */
			uint32_t common = (uint32_t)rnd() & mask_of(w);
			for (size_t i = 0; i < n; i++)
				v[i] = below(4) ? common : (uint32_t)rnd() & mask_of(w);
			enc e = { 0 };
			put_uvarint(&e, (uint64_t)groups << 1 | 1);
			put_packed(&e, v, n, w);
			pv_rle r;
			pv_err err;
			for (int probe_kind = 0; probe_kind < 3; probe_kind++) {
				uint32_t probe = probe_kind == 0   ? common
						 : probe_kind == 1 ? v[below(n)]
								   : mask_of(w) + 1;
				assert_int_equal(pv_rle_init(&r, e.b, e.len, w, (int64_t)n, &err), 0);
				size_t pos = 0;
				while (pos < n) {
					size_t m = 1 + below(below(2) ? 40 : n);
					if (m > n - pos)
						m = n - pos;
					size_t cnt = 0, want = 0;
					for (size_t i = 0; i < m; i++)
						want += v[pos + i] == probe;
					assert_int_equal(pv_rle_skip_count(&r, m, probe, &cnt, &err), 0);
					assert_int_equal(cnt, want);
					pos += m;
				}
				assert_int_equal(pv_rle_left(&r), 0);
			}
			/* all at once, then a get after a count lands on the right value */
			assert_int_equal(pv_rle_init(&r, e.b, e.len, w, (int64_t)n, &err), 0);
			size_t k = below(n), cnt = 0, want = 0;
			for (size_t i = 0; i < k; i++)
				want += v[i] == common;
			assert_int_equal(pv_rle_skip_count(&r, k, common, &cnt, &err), 0);
			assert_int_equal(cnt, want);
			uint32_t got;
			assert_int_equal(pv_rle_get_u32(&r, &got, 1, &err), 0);
			assert_int_equal(got, v[k]);
			free(v);
			free(e.b);
		}
	}
}

static void test_booleans(void **state)
{
	/* prefix 3, then a bit-packed group of 1,0,1,1,0,0,0,1 and an RLE run
	 * of 4 ones */
	const uint8_t data[] = { 5, 0, 0, 0, 0x03, 0x8D, 0x08, 0x01, 0xFF };
	pv_rle r;
	pv_err e;
	uint8_t out[12];
	size_t used;
	assert_int_equal(pv_rle_init_prefixed(&r, data, sizeof data, 1, 12, &used, &e), 0);
	assert_int_equal(used, 9);
	assert_int_equal(pv_rle_get_bool(&r, out, 12, &e), 0);
	const uint8_t want[] = { 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1 };
	assert_memory_equal(out, want, 12);
	assert_int_equal(pv_rle_init(&r, data + 4, 5, 2, 4, &e), 0);
	assert_int_equal(pv_rle_get_bool(&r, out, 4, &e), PV_EINVAL);
}

static void test_width_zero(void **state)
{
	pv_rle r;
	pv_err e;
	uint32_t out[40];
	/* RLE run of 10 with no value bytes, then 2 bit-packed groups with no
	 * bytes at all */
	const uint8_t data[] = { 0x14, 0x05 };
	assert_int_equal(pv_rle_init(&r, data, sizeof data, 0, 26, &e), 0);
	memset(out, 0xff, sizeof out);
	assert_int_equal(pv_rle_get_u32(&r, out, 26, &e), 0);
	for (int i = 0; i < 26; i++)
		assert_int_equal(out[i], 0);

	/* dictionary indices with bit width 0 (bad_data/ARROW-GH-43605):
	 * every index is 0 */
	const uint8_t dict[] = { 0x00, 0x28 };
	assert_int_equal(pv_rle_init_dict(&r, dict, sizeof dict, 20, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 20, &e), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(out[i], 0);

	/* a huge width-0 run skips arithmetically */
	const uint8_t huge[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40 };
	assert_int_equal(pv_rle_init(&r, huge, sizeof huge, 0, (int64_t)1 << 40, &e), 0);
	assert_int_equal(pv_rle_skip(&r, (size_t)1 << 39, &e), 0);
	size_t cnt;
	assert_int_equal(pv_rle_skip_count(&r, ((size_t)1 << 39) - 5, 0, &cnt, &e), 0);
	assert_int_equal(cnt, ((size_t)1 << 39) - 5);
	assert_int_equal(pv_rle_get_u32(&r, out, 5, &e), 0);
	assert_int_equal(pv_rle_left(&r), 0);

	/* an empty page of dictionary indices */
	assert_int_equal(pv_rle_init_dict(&r, NULL, 0, 0, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 0, &e), 0);
}

static void test_lenient(void **state)
{
	pv_rle r;
	pv_err e;
	uint32_t out[100];
	/* a run of 1,000,000 copies of 3 where 100 are declared: cut short */
	const uint8_t big[] = { 0x80, 0x89, 0x7A, 0x03 };
	assert_int_equal(pv_rle_init(&r, big, sizeof big, 2, 100, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 100, &e), 0);
	assert_int_equal(out[99], 3);

	/* a zero-length RLE run and an empty bit-packed run are skipped */
	const uint8_t zero[] = { 0x00, 0x01, 0x01, 0x06, 0x02 };
	assert_int_equal(pv_rle_init(&r, zero, sizeof zero, 2, 3, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 3, &e), 0);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[2], 2);

	/* a bit-packed run claiming 4 groups of width 8 with 10 bytes left:
	 * its 10 values are readable, an 11th is not */
	uint8_t trunc[11] = { 0x09 };
	for (int i = 1; i < 11; i++)
		trunc[i] = (uint8_t)(i * 7);
	assert_int_equal(pv_rle_init(&r, trunc, sizeof trunc, 8, 11, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 10, &e), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(out[i], (i + 1) * 7);
	assert_int_equal(pv_rle_get_u32(&r, out, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: data ends after 10 of 11 values"));

	/* the same truncated run, skipped across the missing group */
	assert_int_equal(pv_rle_init(&r, trunc, sizeof trunc, 8, 10, &e), 0);
	assert_int_equal(pv_rle_skip(&r, 9, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 1, &e), 0);
	assert_int_equal(out[0], 70);
}

static void test_corrupt(void **state)
{
	pv_rle r;
	pv_err e;
	uint32_t out[16];
	int16_t lv[16];

	assert_int_equal(pv_rle_init(&r, NULL, 0, 3, 5, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: data ends after 0 of 5 values"));

	const uint8_t hdr[] = { 0x80 };
	assert_int_equal(pv_rle_init(&r, hdr, 1, 3, 5, &e), 0);
	assert_int_equal(pv_rle_skip(&r, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: truncated run header"));

	const uint8_t wide[] = { 0x04, 0x09 };
	assert_int_equal(pv_rle_init(&r, wide, 2, 3, 2, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: run value 9 does not fit in 3 bits"));

	const uint8_t noval[] = { 0x04, 0x09 };
	assert_int_equal(pv_rle_init(&r, noval, 1, 3, 2, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: truncated run value"));

	const uint8_t lvl[] = { 0x04, 0x03 };
	assert_int_equal(pv_rle_init(&r, lvl, 2, 2, 2, &e), 0);
	assert_int_equal(pv_rle_get_levels(&r, lv, 2, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: level 3 exceeds the maximum 2"));
	const uint8_t lvl2[] = { 0x03, 0x88, 0xC6, 0xFA };
	assert_int_equal(pv_rle_init(&r, lvl2, 4, 3, 8, &e), 0);
	assert_int_equal(pv_rle_get_levels(&r, lv, 8, 6, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: level 7 exceeds the maximum 6"));

	const uint8_t pre[] = { 0xE8, 0x03, 0, 0, 1, 2, 3 };
	assert_int_equal(pv_rle_init_prefixed(&r, pre, sizeof pre, 1, 1, NULL, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: length prefix of 1000 bytes exceeds the 3 left"));
	assert_int_equal(pv_rle_init_prefixed(&r, pre, 3, 1, 1, NULL, &e), PV_ECORRUPT);

	const uint8_t d33[] = { 33, 0x02, 0 };
	assert_int_equal(pv_rle_init_dict(&r, d33, sizeof d33, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "rle: dictionary index bit width 33 exceeds 32"));
	assert_int_equal(pv_rle_init_dict(&r, d33, 0, 1, &e), PV_ECORRUPT);

	assert_int_equal(pv_rle_init(&r, d33, 1, 33, 1, &e), PV_EINVAL);
	assert_int_equal(pv_rle_init(&r, d33, 1, 3, -1, &e), PV_EINVAL);

	const uint8_t two[] = { 0x04, 0x01 };
	assert_int_equal(pv_rle_init(&r, two, 2, 1, 2, &e), 0);
	assert_int_equal(pv_rle_get_u32(&r, out, 3, &e), PV_EINVAL);
	assert_true(has(&e, "rle: asked for 3 values, only 2 left"));

	/* BIT_PACKED: too short, too wide, level above the maximum */
	pv_bitpacked b;
	const uint8_t bp[] = { 0xFF, 0xFF };
	assert_int_equal(pv_bitpacked_init(&b, bp, 2, 2, 12, NULL, &e), PV_ECORRUPT);
	assert_true(has(&e, "bit_packed: 12 values of 2 bits need 3 bytes, 2 left"));
	assert_int_equal(pv_bitpacked_init(&b, bp, 2, 2, INT64_MAX, NULL, &e), PV_ECORRUPT);
	assert_int_equal(pv_bitpacked_init(&b, bp, 2, 17, 1, NULL, &e), PV_EINVAL);
	assert_int_equal(pv_bitpacked_init(&b, bp, 2, 2, 8, NULL, &e), 0);
	assert_int_equal(pv_bitpacked_get_levels(&b, lv, 8, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "bit_packed: level 3 exceeds the maximum 2"));
}

/* BIT_PACKED round trips at every level width, against an MSB-first
 * packer. */
static void test_bitpacked_roundtrip(void **state)
{
	for (unsigned w = 0; w <= 16; w++) {
		rng = 500 + w;
		size_t n = 1 + below(500);
		uint16_t *v = malloc(n * sizeof *v);
		size_t bytes = (n * w + 7) / 8;
		uint8_t *data = calloc(bytes + 1, 1);
		for (size_t i = 0; i < n; i++) {
			v[i] = (uint16_t)(rnd() & mask_of(w) & 0x7fff);
			for (unsigned b = 0; b < w; b++) {
				size_t bit = i * w + b;
				if ((v[i] >> (w - 1 - b)) & 1)
					data[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
			}
		}
		uint8_t *exact = malloc(bytes ? bytes : 1);
		memcpy(exact, data, bytes);
		pv_bitpacked bp;
		pv_err e;
		size_t used;
		assert_int_equal(pv_bitpacked_init(&bp, exact, bytes, w, (int64_t)n, &used, &e), 0);
		assert_int_equal(used, bytes);
		int16_t *lv = malloc(n * sizeof *lv);
		size_t k = below(n);
		assert_int_equal(pv_bitpacked_skip(&bp, k, &e), 0);
		int16_t max = (int16_t)(mask_of(w) & 0x7fff);
		assert_int_equal(pv_bitpacked_get_levels(&bp, lv, n - k, max, &e), 0);
		for (size_t i = k; i < n; i++)
			assert_int_equal(lv[i - k], v[i]);
		free(v);
		free(data);
		free(exact);
		free(lv);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_level_width),
		cmocka_unit_test(test_unpack),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_count_packed),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_width_zero),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_bitpacked_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
