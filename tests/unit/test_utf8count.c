/*
 * test_utf8count.c - base/utf8count.h: pv_utf8_count equals a byte-by-byte
 * count of non-continuation bytes for every length from 0 to 600 at every
 * alignment, on ASCII, on mixed 1- to 4-byte characters and on random
 * (mostly invalid) bytes, and on a string long enough (over 255 blocks of
 * 16) that the byte lanes must be summed before they overflow.
 */
#include "testutil.h"

#include <stdlib.h>

#include "base/utf8count.h"

static int64_t naive(const unsigned char *s, size_t n)
{
	int64_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += (s[i] & 0xC0) != 0x80;
	return c;
}

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* buf[0..n): kind 0 ASCII, 1 UTF-8 characters of 1 to 4 bytes, 2 random. */
static void fill(unsigned char *buf, size_t n, int kind, uint64_t *rng)
{
	static const char *const chars[] = { "a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	size_t i = 0;
	while (i < n) {
		uint64_t r = next(rng);
		if (kind == 0) {
			buf[i++] = (unsigned char)(0x20 + r % 95);
		} else if (kind == 2) {
			buf[i++] = (unsigned char)r;
		} else {
			const char *c = chars[r % 4];
			for (size_t k = 0; c[k] && i < n; k++)
				buf[i++] = (unsigned char)c[k];
		}
	}
}

static void test_every_length(void **state)
{
	enum { MAX = 600, PAD = 16 };
	unsigned char *buf = malloc(MAX + PAD);
	assert_non_null(buf);
	uint64_t rng = 42;
	for (int kind = 0; kind < 3; kind++)
		for (size_t off = 0; off < PAD; off++)
			for (size_t n = 0; n <= MAX; n++) {
				fill(buf + off, n, kind, &rng);
				int64_t want = naive(buf + off, n), got = pv_utf8_count(buf + off, n);
				if (got != want)
					fail_msg("kind %d offset %zu length %zu: %lld, want %lld", kind, off,
						 n, (long long)got, (long long)want);
			}
	free(buf);
}

static void test_long(void **state)
{
	/* 300,007 bytes of continuation bytes only, then of 2-byte
	 * characters: the lanes would wrap without the periodic sums */
	size_t n = 300007;
	unsigned char *buf = malloc(n);
	assert_non_null(buf);
	memset(buf, 0x80, n);
	assert_int_equal(pv_utf8_count(buf, n), 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = i % 2 ? 0xA9 : 0xC3;
	assert_int_equal(pv_utf8_count(buf, n), (int64_t)(n + 1) / 2);
	uint64_t rng = 7;
	fill(buf, n, 1, &rng);
	assert_int_equal(pv_utf8_count(buf, n), naive(buf, n));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
