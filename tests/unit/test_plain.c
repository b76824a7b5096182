/*
 * test_plain.c - unit tests for PLAIN (every physical type: round trips
 * through an encoder that lives only here, skip-then-get, zero-copy take,
 * short and lying inputs) and for the decoder dispatch (RLE booleans,
 * encodings the spec does not define for a type, unknown encodings).
 */
#include "testutil.h"

#include "base/err.h"
#include "encoding/decoder.h"
#include "encoding/plain.h"
#include "format/meta.h"

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

static bool has(const pv_err *e, const char *s)
{
	if (!strstr(e->msg, s)) {
		print_error("message '%s' lacks '%s'\n", e->msg, s);
		return false;
	}
	return true;
}

/* A page of n random values of type t and what decoding must give:
 * expected output bytes (views are checked separately, as their pointers
 * differ), and for byte arrays the values themselves. */
typedef struct sample {
	uint8_t *page;
	size_t len;
	uint8_t *want;      /* fixed-width output; BOOLEAN 0/1 bytes */
	uint8_t **bytes;    /* BYTE_ARRAY / FLBA values */
	uint32_t *lens;
} sample;

static void make_sample(sample *s, int t, int32_t tl, size_t n)
{
	memset(s, 0, sizeof *s);
	size_t cap = 16 + n * 64, w = 0;
	s->page = calloc(cap, 1);
	switch (t) {
	case PV_TYPE_BOOLEAN:
		s->want = malloc(n + 1);
		for (size_t i = 0; i < n; i++) {
			s->want[i] = (uint8_t)below(2);
			if (s->want[i])
				s->page[i / 8] |= (uint8_t)(1u << (i % 8));
		}
		s->len = (n + 7) / 8;
		return;
	case PV_TYPE_BYTE_ARRAY:
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		s->bytes = malloc((n + 1) * sizeof *s->bytes);
		s->lens = malloc((n + 1) * sizeof *s->lens);
		for (size_t i = 0; i < n; i++) {
			uint32_t len = t == PV_TYPE_FIXED_LEN_BYTE_ARRAY ? (uint32_t)tl : (uint32_t)below(40);
			if (t == PV_TYPE_BYTE_ARRAY) {
				memcpy(s->page + s->len, &len, 4);
				s->len += 4;
			}
			s->bytes[i] = s->page + s->len;
			s->lens[i] = len;
			for (uint32_t k = 0; k < len; k++)
				s->page[s->len++] = (uint8_t)rnd();
		}
		return;
	default:
		w = pv_plain_width(t, tl);
		s->want = malloc(n * w + 1);
		for (size_t i = 0; i < n * w; i++)
			s->page[i] = s->want[i] = (uint8_t)rnd();
		s->len = n * w;
		return;
	}
}

static void free_sample(sample *s)
{
	free(s->page);
	free(s->want);
	free(s->bytes);
	free(s->lens);
}

/* out[0, m) against values [from, from + m) of s. */
static void check_out(const sample *s, int t, const void *out, size_t from, size_t m, size_t w)
{
	if (t == PV_TYPE_BYTE_ARRAY || t == PV_TYPE_FIXED_LEN_BYTE_ARRAY) {
		const pv_bytes_view *v = out;
		for (size_t i = 0; i < m; i++) {
			assert_int_equal(v[i].len, s->lens[from + i]);
			/* views point into the page itself */
			assert_ptr_equal(v[i].ptr, s->bytes[from + i]);
		}
	} else {
		assert_memory_equal(out, s->want + from * w, m * w);
	}
}

static const int all_types[] = { PV_TYPE_BOOLEAN, PV_TYPE_INT32, PV_TYPE_INT64, PV_TYPE_INT96,
				 PV_TYPE_FLOAT, PV_TYPE_DOUBLE, PV_TYPE_BYTE_ARRAY,
				 PV_TYPE_FIXED_LEN_BYTE_ARRAY };

static void test_roundtrip(void **state)
{
	for (size_t ti = 0; ti < sizeof all_types / sizeof all_types[0]; ti++) {
		int t = all_types[ti];
		for (int seed = 0; seed < 30; seed++) {
			rng = (uint64_t)t * 1000 + (uint64_t)seed;
			int32_t tl = (int32_t)below(20);
			size_t n = below(4) == 0 ? below(9) : below(2000);
			sample s;
			make_sample(&s, t, tl, n);
			uint8_t *exact = malloc(s.len ? s.len : 1);
			memcpy(exact, s.page, s.len);
			/* views must point into what was decoded: rebase */
			if (s.bytes)
				for (size_t i = 0; i < n; i++)
					s.bytes[i] = exact + (s.bytes[i] - s.page);
			size_t w = pv_value_width(t);
			uint8_t *out = malloc(n * w + 1);
			pv_plain d;
			pv_err e;
			assert_int_equal(pv_plain_init(&d, exact, s.len, t, tl, (int64_t)n, &e), 0);
			size_t pos = 0;
			while (pos < n) {
				size_t m = 1 + below(below(2) ? 11 : 500);
				if (m > n - pos)
					m = n - pos;
				if (below(3) == 0) {
					assert_int_equal(pv_plain_skip(&d, m, &e), 0);
				} else {
					assert_int_equal(pv_plain_get(&d, out, m, &e), 0);
					check_out(&s, t, out, pos, m, w);
				}
				pos += m;
			}
			assert_int_equal(pv_plain_left(&d), 0);
			assert_int_equal(pv_plain_get(&d, out, 1, &e), PV_EINVAL);

			/* skip(k) then the rest, through the dispatcher */
			size_t k = below(n + 1);
			pv_decoder dec;
			assert_int_equal(pv_decoder_init(&dec, PV_ENC_PLAIN, t, tl, exact, s.len, (int64_t)n, NULL,
							 NULL, &e), 0);
			assert_int_equal(pv_decoder_skip(&dec, k, &e), 0);
			assert_int_equal(pv_decoder_get(&dec, out, n - k, &e), 0);
			check_out(&s, t, out, k, n - k, w);
			pv_decoder_release(&dec);

			free(out);
			free(exact);
			free_sample(&s);
		}
	}
}

/* Through a sliding window (pv_plain_fit, pv_plain_window): the page's
 * bytes come into a small buffer a piece at a time, as a streamed page's
 * do; gets and skips of what fits read the same values. */
/* Moves the window win, which holds page bytes [*base, *base + *have),
 * to start at the decoder's next value and adds 1 to 60 more bytes of
 * the page (there must be some). */
static void slide(const sample *s, pv_plain *d, uint8_t *win, size_t *base, size_t *have)
{
	size_t keep = *base + (size_t)(d->p - win);
	size_t kept = *base + *have - keep;
	memmove(win, win + (keep - *base), kept);
	size_t more = 1 + below(60);
	if (more > s->len - keep - kept)
		more = s->len - keep - kept;
	assert_true(more > 0);
	memcpy(win + kept, s->page + keep + kept, more);
	*base = keep;
	*have = kept + more;
	pv_plain_window(d, win, win + *have);
}

static void test_window(void **state)
{
	for (size_t ti = 0; ti < sizeof all_types / sizeof all_types[0]; ti++) {
		int t = all_types[ti];
		for (int seed = 0; seed < 30; seed++) {
			rng = (uint64_t)t * 3000 + (uint64_t)seed;
			int32_t tl = 1 + (int32_t)below(20);
			size_t n = 1 + below(1500);
			sample s;
			make_sample(&s, t, tl, n);
			size_t w = pv_value_width(t);
			uint8_t *out = malloc(n * w + 1);
			uint8_t *win = malloc(s.len + 1);
			size_t base = 0, have = below(s.len < 30 ? s.len + 1 : 30);
			memcpy(win, s.page, have);
			pv_plain d;
			pv_err e;
			assert_int_equal(pv_plain_init(&d, win, s.len, t, tl, (int64_t)n, &e), 0);
			pv_plain_window(&d, win, win + have);
			size_t pos = 0;
			while (pos < n) {
				size_t want = 1 + below(40);
				if (want > n - pos)
					want = n - pos;
				size_t m = pv_plain_fit(&d, want);
				assert_true(m <= want);
				if (m == 0) {
					slide(&s, &d, win, &base, &have);
					continue;
				}
				if (below(3) == 0) {
					assert_int_equal(pv_plain_skip(&d, m, &e), 0);
				} else {
					assert_int_equal(pv_plain_get(&d, out, m, &e), 0);
					if (s.bytes) {
						const pv_bytes_view *v = (const pv_bytes_view *)(void *)out;
						for (size_t i = 0; i < m; i++) {
							assert_int_equal(v[i].len, s.lens[pos + i]);
							assert_memory_equal(v[i].ptr, s.bytes[pos + i], v[i].len);
						}
					} else {
						assert_memory_equal(out, s.want + pos * w, m * w);
					}
				}
				pos += m;
			}
			free(win);
			free(out);
			free_sample(&s);
		}
	}
}

/* pv_plain_copy_binary through a sliding window and a small, growing
 * destination: every value's bytes and offsets as the page holds them; it
 * stops at the window's edge (need 0) and at the room (need = the length),
 * never fails; then a truncated page stops it and pv_plain_get names the
 * truncation. Other types copy nothing. */
static void test_copy_binary(void **state)
{
	(void)state;
	for (int seed = 0; seed < 40; seed++) {
		rng = 77000 + (uint64_t)seed;
		size_t n = 1 + below(1500);
		sample s;
		make_sample(&s, PV_TYPE_BYTE_ARRAY, 0, n);
		size_t total = 0;
		for (size_t i = 0; i < n; i++)
			total += s.lens[i];
		uint8_t *dst = malloc(total + 1);
		int32_t *offs = calloc(n + 1, sizeof *offs);
		uint8_t *win = malloc(s.len + 1);
		size_t base = 0, have = below(s.len < 30 ? s.len + 1 : 30);
		memcpy(win, s.page, have);
		pv_plain d;
		pv_err e;
		assert_int_equal(pv_plain_init(&d, win, s.len, PV_TYPE_BYTE_ARRAY, 0, (int64_t)n, &e), 0);
		pv_plain_window(&d, win, win + have);
		size_t pos = 0, used = 0, room = below(50);
		while (pos < n) {
			size_t bytes, need;
			size_t want = 1 + below(40);
			size_t m = pv_plain_copy_binary(&d, want, dst + used, room - used, offs + pos, &bytes,
							&need);
			assert_true(m <= want);
			for (size_t i = 0; i < m; i++) {
				assert_int_equal(offs[pos + i + 1] - offs[pos + i], (int32_t)s.lens[pos + i]);
				assert_memory_equal(dst + offs[pos + i], s.bytes[pos + i], s.lens[pos + i]);
			}
			pos += m;
			used += bytes;
			assert_int_equal((size_t)offs[pos], used);
			assert_int_equal(pv_plain_left(&d), (int64_t)(n - pos));
			if (pos == n || m == want)
				continue;
			if (need > 0) {
				/* stopped at the room: the next value's length */
				assert_int_equal(need, s.lens[pos]);
				assert_true(need > room - used);
				room = used + need + below(100);
				if (room > total)
					room = total;
				continue;
			}
			/* stopped at the window's edge */
			slide(&s, &d, win, &base, &have);
		}
		assert_int_equal(used, total);
		/* a page cut inside its last value: copies the others, then stops */
		if (s.lens[n - 1] > 0) {
			assert_int_equal(pv_plain_init(&d, s.page, s.len - 1, PV_TYPE_BYTE_ARRAY, 0, (int64_t)n, &e),
					 0);
			size_t bytes, need;
			offs[0] = 0;
			assert_int_equal(pv_plain_copy_binary(&d, n, dst, total, offs, &bytes, &need), n - 1);
			assert_int_equal(need, 0);
			pv_bytes_view v;
			assert_int_equal(pv_plain_get(&d, &v, 1, &e), PV_ECORRUPT);
			assert_true(has(&e, "exceeds"));
		}
		free(win);
		free(offs);
		free(dst);
		free_sample(&s);
	}
	/* not BYTE_ARRAY: nothing */
	uint8_t page[8] = { 0 };
	int32_t offs[3] = { 0 };
	uint8_t dst[8];
	size_t bytes = 1, need = 1;
	pv_plain d;
	pv_err e;
	assert_int_equal(pv_plain_init(&d, page, sizeof page, PV_TYPE_INT32, 0, 2, &e), 0);
	assert_int_equal(pv_plain_copy_binary(&d, 2, dst, sizeof dst, offs, &bytes, &need), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(need, 0);
	assert_int_equal(pv_plain_left(&d), 2);
}

static void test_take(void **state)
{
	const uint8_t page[] = { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0 };
	pv_plain d;
	pv_err e;
	const uint8_t *p;
	assert_int_equal(pv_plain_init(&d, page, sizeof page, PV_TYPE_INT32, 0, 3, &e), 0);
	assert_int_equal(pv_plain_skip(&d, 1, &e), 0);
	assert_int_equal(pv_plain_take(&d, 2, &p, &e), 0);
	assert_ptr_equal(p, page + 4);
	assert_int_equal(pv_plain_take(&d, 1, &p, &e), PV_EINVAL);
	assert_int_equal(pv_plain_init(&d, page, sizeof page, PV_TYPE_BYTE_ARRAY, 0, 1, &e), 0);
	assert_int_equal(pv_plain_take(&d, 1, &p, &e), PV_EINVAL);
}

static void test_booleans(void **state)
{
	/* LSB first: 0b10110010, 0b00000001 */
	const uint8_t page[] = { 0xB2, 0x01 };
	const uint8_t want[] = { 0, 1, 0, 0, 1, 1, 0, 1, 1 };
	pv_plain d;
	pv_err e;
	uint8_t out[9];
	assert_int_equal(pv_plain_init(&d, page, sizeof page, PV_TYPE_BOOLEAN, 0, 9, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 3, &e), 0);
	assert_int_equal(pv_plain_skip(&d, 2, &e), 0);
	assert_int_equal(pv_plain_get(&d, out + 5, 4, &e), 0);
	assert_memory_equal(out, want, 3);
	assert_memory_equal(out + 5, want + 5, 4);
	assert_int_equal(pv_plain_init(&d, page, 1, PV_TYPE_BOOLEAN, 0, 9, &e), PV_ECORRUPT);
	assert_true(has(&e, "plain: 9 BOOLEAN values need 2 bytes, the page has 1"));
}

static void test_corrupt(void **state)
{
	pv_plain d;
	pv_err e;
	uint8_t out[64];
	const uint8_t short4[396] = { 0 };
	assert_int_equal(pv_plain_init(&d, short4, sizeof short4, PV_TYPE_INT32, 0, 100, &e), PV_ECORRUPT);
	assert_true(has(&e, "plain: 100 INT32 values need 400 bytes, the page has 396"));
	assert_int_equal(pv_plain_init(&d, short4, 10, PV_TYPE_INT64, 0, INT64_MAX, &e), PV_ECORRUPT);
	assert_int_equal(pv_plain_init(&d, short4, 10, PV_TYPE_FIXED_LEN_BYTE_ARRAY, -1, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "plain: negative fixed_len_byte_array length -1"));
	assert_int_equal(pv_plain_init(&d, short4, 10, 99, 0, 1, &e), PV_EINVAL);
	assert_int_equal(pv_plain_init(&d, short4, 10, PV_TYPE_INT32, 0, -1, &e), PV_EINVAL);

	/* a byte array longer than what is left; a length cut in half */
	const uint8_t ba[] = { 2, 0, 0, 0, 'h', 'i', 9, 0, 0, 0, 'a', 'b', 'c', 7, 0 };
	assert_int_equal(pv_plain_init(&d, ba, sizeof ba, PV_TYPE_BYTE_ARRAY, 0, 3, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 1, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 1, &e), PV_ECORRUPT);
	assert_true(has(&e, "plain: byte array 1 of 9 bytes exceeds the 5 left"));
	assert_int_equal(pv_plain_init(&d, ba, sizeof ba, PV_TYPE_BYTE_ARRAY, 0, 3, &e), 0);
	assert_int_equal(pv_plain_skip(&d, 2, &e), PV_ECORRUPT);
	const uint8_t ba2[] = { 1, 0, 0, 0, 'x', 7, 0 };
	assert_int_equal(pv_plain_init(&d, ba2, sizeof ba2, PV_TYPE_BYTE_ARRAY, 0, 2, &e), 0);
	assert_int_equal(pv_plain_skip(&d, 2, &e), PV_ECORRUPT);
	assert_true(has(&e, "plain: truncated length of byte array 1"));
	/* a huge length prefix near UINT32_MAX */
	const uint8_t ba3[] = { 0xff, 0xff, 0xff, 0xff, 'x' };
	assert_int_equal(pv_plain_init(&d, ba3, sizeof ba3, PV_TYPE_BYTE_ARRAY, 0, 1, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 1, &e), PV_ECORRUPT);

	/* empty pages */
	assert_int_equal(pv_plain_init(&d, NULL, 0, PV_TYPE_DOUBLE, 0, 0, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 0, &e), 0);
	assert_int_equal(pv_plain_init(&d, NULL, 0, PV_TYPE_BYTE_ARRAY, 0, 1, &e), 0);
	assert_int_equal(pv_plain_get(&d, out, 1, &e), PV_ECORRUPT);
	/* FLBA of length 0: every value is empty */
	assert_int_equal(pv_plain_init(&d, NULL, 0, PV_TYPE_FIXED_LEN_BYTE_ARRAY, 0, 3, &e), 0);
	pv_bytes_view v[3];
	assert_int_equal(pv_plain_get(&d, v, 3, &e), 0);
	assert_int_equal(v[2].len, 0);
}

static void test_dispatch(void **state)
{
	pv_decoder d;
	pv_err e;
	uint8_t data[16] = { 0 };
	/* RLE booleans: prefix 2, RLE run of 5 ones */
	const uint8_t rle[] = { 2, 0, 0, 0, 0x0A, 0x01 };
	uint8_t out[8];
	assert_int_equal(pv_decoder_init(&d, PV_ENC_RLE, PV_TYPE_BOOLEAN, 0, rle, sizeof rle, 5, NULL, NULL,
					 &e), 0);
	assert_int_equal(pv_decoder_skip(&d, 1, &e), 0);
	assert_int_equal(pv_decoder_get(&d, out, 4, &e), 0);
	assert_int_equal(out[0] + out[1] + out[2] + out[3], 4);
	assert_int_equal(pv_decoder_left(&d), 0);
	assert_int_equal(pv_decoder_skip(&d, 1, &e), PV_EINVAL);
	pv_decoder_release(&d);

	assert_int_equal(pv_decoder_init(&d, PV_ENC_RLE, PV_TYPE_INT32, 0, data, 16, 1, NULL, NULL, &e),
			 PV_ECORRUPT);
	assert_true(has(&e, "encoding 'RLE' is not defined for 'INT32'"));
	assert_int_equal(pv_decoder_init(&d, PV_ENC_DELTA_BINARY_PACKED, PV_TYPE_DOUBLE, 0, data, 16, 1, NULL,
					 NULL, &e), PV_ECORRUPT);
	assert_true(has(&e, "encoding 'DELTA_BINARY_PACKED' is not defined for 'DOUBLE'"));
	assert_int_equal(pv_decoder_init(&d, PV_ENC_DELTA_LENGTH_BYTE_ARRAY, PV_TYPE_INT32, 0, data, 16, 1,
					 NULL, NULL, &e), PV_ECORRUPT);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_DELTA_BYTE_ARRAY, PV_TYPE_INT64, 0, data, 16, 1, NULL,
					 NULL, &e), PV_ECORRUPT);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_DELTA_BYTE_ARRAY, PV_TYPE_BYTE_ARRAY, 0, data, 16, 1,
					 NULL, NULL, &e), PV_EINVAL);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_BIT_PACKED, PV_TYPE_INT32, 0, data, 16, 1, NULL, NULL, &e),
			 PV_ECORRUPT);
	assert_true(has(&e, "encoding 'BIT_PACKED' is for levels, not values"));
	assert_int_equal(pv_decoder_init(&d, 10, PV_TYPE_DOUBLE, 0, data, 16, 1, NULL, NULL, &e),
			 PV_EUNSUPPORTED);
	assert_true(has(&e, "unsupported encoding 10"));
	assert_int_equal(pv_decoder_init(&d, PV_ENC_GROUP_VAR_INT, PV_TYPE_INT32, 0, data, 16, 1, NULL, NULL,
					 &e), PV_EUNSUPPORTED);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_PLAIN, 42, 0, data, 16, 1, NULL, NULL, &e), PV_EINVAL);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_PLAIN, PV_TYPE_INT32, 0, data, 16, -2, NULL, NULL, &e),
			 PV_EINVAL);
	assert_int_equal(pv_decoder_init(&d, PV_ENC_RLE_DICTIONARY, PV_TYPE_INT32, 0, data, 16, 1, NULL, NULL,
					 &e), PV_ECORRUPT);
	assert_true(has(&e, "page is dictionary-encoded but the column chunk has no dictionary"));
	/* a failed init leaves a decoder that refuses work and releases */
	assert_int_equal(pv_decoder_get(&d, out, 1, &e), PV_EINVAL);
	pv_decoder_release(&d);
	pv_decoder_release(NULL);
	assert_int_equal(pv_value_width(PV_TYPE_INT96), 12);
	assert_int_equal(pv_value_width(PV_TYPE_BYTE_ARRAY), sizeof(pv_bytes_view));
	assert_int_equal(pv_value_width(-1), 0);
	assert_int_equal(pv_plain_width(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 7), 7);
	assert_int_equal(pv_plain_width(PV_TYPE_BOOLEAN, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_copy_binary),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
