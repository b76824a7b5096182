/*
 * test_bss.c - unit tests for BYTE_STREAM_SPLIT: the spec's example,
 * round trips through a splitter that lives only here for widths 1..20
 * (4 and 8 take their own loops), skip-then-get, inexact lengths, and the
 * dispatcher's FIXED_LEN_BYTE_ARRAY views.
 */
#include "testutil.h"

#include "base/buf.h"
#include "base/err.h"
#include "encoding/bss.h"
#include "encoding/decoder.h"
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

/* The encoder: byte k of value i goes to k * n + i. */
static uint8_t *split(const uint8_t *v, size_t n, size_t w)
{
	uint8_t *out = malloc(n * w + 1);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < w; k++)
			out[k * n + i] = v[i * w + k];
	return out;
}

static void test_spec_example(void **state)
{
	const uint8_t enc[] = { 0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6 };
	const uint8_t want[] = { 0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6 };
	pv_bss d;
	pv_err e;
	uint8_t out[12];
	assert_int_equal(pv_bss_init(&d, enc, sizeof enc, 4, &e), 0);
	assert_int_equal(pv_bss_left(&d), 3);
	assert_int_equal(pv_bss_get(&d, out, 3, &e), 0);
	assert_memory_equal(out, want, 12);
	assert_int_equal(pv_bss_get(&d, out, 1, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "bss: asked for 1 values, the page holds 0 more"));

	/* the same bytes as FLOAT through the dispatcher */
	pv_decoder dec;
	float f[3];
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_FLOAT, 0, enc, sizeof enc,
					 3, NULL, NULL, &e), 0);
	assert_int_equal(pv_decoder_get(&dec, f, 3, &e), 0);
	assert_memory_equal(f, want, 12);
	pv_decoder_release(&dec);
}

static void test_roundtrip(void **state)
{
	for (size_t w = 1; w <= 20; w++) {
		for (int seed = 0; seed < 20; seed++) {
			rng = w * 100 + (uint64_t)seed;
			size_t n = below(4) == 0 ? below(4) : below(3000);
			uint8_t *v = malloc(n * w + 1);
			for (size_t i = 0; i < n * w; i++)
				v[i] = (uint8_t)rnd();
			uint8_t *enc = split(v, n, w);
			uint8_t *out = malloc(n * w + 1);
			pv_bss d;
			pv_err e;
			assert_int_equal(pv_bss_init(&d, enc, n * w, w, &e), 0);
			size_t pos = 0;
			while (pos < n) {
				size_t m = 1 + below(below(2) ? 10 : 800);
				if (m > n - pos)
					m = n - pos;
				if (below(3) == 0) {
					assert_int_equal(pv_bss_skip(&d, m, &e), 0);
				} else {
					assert_int_equal(pv_bss_get(&d, out, m, &e), 0);
					assert_memory_equal(out, v + pos * w, m * w);
				}
				pos += m;
			}
			assert_int_equal(pv_bss_left(&d), 0);

			/* skip(k) then the rest in one get */
			size_t k = below(n + 1);
			assert_int_equal(pv_bss_init(&d, enc, n * w, w, &e), 0);
			assert_int_equal(pv_bss_skip(&d, k, &e), 0);
			assert_int_equal(pv_bss_get(&d, out, n - k, &e), 0);
			if (n > k)
				assert_memory_equal(out, v + k * w, (n - k) * w);
			free(v);
			free(enc);
			free(out);
		}
	}
}

static void test_flba_views(void **state)
{
	rng = 5;
	size_t n = 300, w = 3;
	uint8_t *v = malloc(n * w);
	for (size_t i = 0; i < n * w; i++)
		v[i] = (uint8_t)rnd();
	uint8_t *enc = split(v, n, w);
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	pv_decoder dec;
	pv_err e;
	pv_bytes_view views[300];
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_FIXED_LEN_BYTE_ARRAY, 3, enc,
					 n * w, (int64_t)n, NULL, &scratch, &e), 0);
	assert_int_equal(pv_decoder_skip(&dec, 10, &e), 0);
	assert_int_equal(pv_decoder_get(&dec, views, 290, &e), 0);
	for (size_t i = 0; i < 290; i++) {
		assert_int_equal(views[i].len, 3);
		assert_memory_equal(views[i].ptr, v + (i + 10) * w, 3);
	}
	pv_decoder_release(&dec);

	/* no scratch, no FLBA; a small cap is a LIMIT error */
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_FIXED_LEN_BYTE_ARRAY, 3, enc,
					 n * w, (int64_t)n, NULL, NULL, &e), PV_EINVAL);
	pv_buf small;
	pv_buf_init(&small, 100);
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_FIXED_LEN_BYTE_ARRAY, 3, enc,
					 n * w, (int64_t)n, NULL, &small, &e), 0);
	assert_int_equal(pv_decoder_get(&dec, views, 200, &e), PV_ELIMIT);
	pv_decoder_release(&dec);
	pv_buf_release(&small);
	pv_buf_release(&scratch);
	free(v);
	free(enc);
}

static void test_corrupt(void **state)
{
	const uint8_t data[13] = { 0 };
	pv_bss d;
	pv_err e;
	assert_int_equal(pv_bss_init(&d, data, 13, 4, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "bss: 13 bytes are not a whole number of 4-byte values"));
	assert_int_equal(pv_bss_init(&d, data, 13, 0, &e), PV_EINVAL);
	assert_int_equal(pv_bss_init(&d, NULL, 0, 8, &e), 0);
	assert_int_equal(pv_bss_left(&d), 0);
	assert_int_equal(pv_bss_skip(&d, 1, &e), PV_ECORRUPT);

	/* the dispatcher: too few values for the page, types the spec leaves out */
	pv_decoder dec;
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_DOUBLE, 0, data, 8, 2, NULL,
					 NULL, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "bss: data holds 1 values, the page needs 2"));
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_INT96, 0, data, 12, 1, NULL,
					 NULL, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "encoding 'BYTE_STREAM_SPLIT' is not defined for 'INT96'"));
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_BOOLEAN, 0, data, 12, 1, NULL,
					 NULL, &e), PV_ECORRUPT);
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_BYTE_STREAM_SPLIT, PV_TYPE_INT32, 0, data, 12, 3, NULL,
					 NULL, &e), 0);
	int32_t out[3];
	assert_int_equal(pv_decoder_get(&dec, out, 3, &e), 0);
	assert_int_equal(pv_decoder_get(&dec, out, 1, &e), PV_EINVAL);
	pv_decoder_release(&dec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_flba_views),
		cmocka_unit_test(test_corrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
