/*
 * fuzz_codec.c - libFuzzer target for the codec layer. The first byte
 * picks the codec (id byte % 9, so 8 is an unknown id), the next four are
 * the little-endian page size the "header" claims (capped at 1 MiB), the
 * rest is the compressed page. Decompression must end in success or a
 * clean error with its message, and never touch bytes past dst; a page
 * that decompresses must survive a round trip through the codec's encoder
 * when the build has one. Includes only the library's public headers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "codec/codec.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DST ((uint32_t)1 << 20)
#define CANARY_LEN 32

/* A failure without a message is a bug the fuzzer should report. */
static void check(int rc, const pv_err *e)
{
	if (rc && (!e->msg[0] || e->code != rc))
		abort();
}

static void round_trip(int codec, const uint8_t *page, size_t n)
{
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	pv_err_clear(&e);
	int rc = pv_codec_compress(codec, 0, page, n, &b, &e);
	check(rc, &e);
	if (rc)
		abort(); /* any page that decoded must encode */
	uint8_t *back = malloc(n ? n : 1);
	if (!back)
		abort();
	pv_err_clear(&e);
	rc = pv_codec_decompress(codec, (const uint8_t *)b.data, b.len, back, n, &e);
	if (rc || (n && memcmp(back, page, n) != 0))
		abort();
	free(back);
	pv_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	int codec = data[0] % 9;
	uint32_t want = ((uint32_t)data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16 |
			 (uint32_t)data[4] << 24) % (MAX_DST + 1);
	const uint8_t *src = data + 5;
	size_t src_len = size - 5;

	uint8_t *dst = malloc((size_t)want + CANARY_LEN);
	if (!dst)
		abort();
	memset(dst + want, 0xa5, CANARY_LEN);
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_codec_decompress(codec, src_len ? src : NULL, src_len, dst, want, &e);
	check(rc, &e);
	for (size_t i = 0; i < CANARY_LEN; i++)
		if (dst[want + i] != 0xa5)
			abort();
	if (!rc && pv_codec_can_compress(codec))
		round_trip(codec, dst, want);
	free(dst);
	return 0;
}
