/*
 * fuzz_encoding.c - libFuzzer target for the encoding layer. The first
 * byte picks the decoder (its value mod 12; what is left of it sizes a
 * dictionary page where one is needed), the second its parameter (bit
 * width, physical type, type length), the next two a value count / 4; the
 * rest is the input.
 * Everything is decoded with get() in chunks of pseudo-random size (seeded
 * from the input, so a run replays exactly) mixed with skip(); any failure
 * must come with its code and a message. Work is capped (MAX_VALUES per
 * input, a scratch buffer of SCRATCH_CAP bytes) so lying counts cost
 * nothing. Includes only the library's public headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "encoding/bss.h"
#include "encoding/decoder.h"
#include "encoding/delta.h"
#include "encoding/dict.h"
#include "encoding/plain.h"
#include "encoding/rle.h"
#include "format/meta.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_VALUES ((int64_t)1 << 18)
#define MAX_CHUNK 1000
#define SCRATCH_CAP ((size_t)16 << 20)

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A failure without a message, or with a code that is not its own, is a
 * bug the fuzzer should report. */
static void check(int rc, const pv_err *e)
{
	if (rc && (rc > 0 || !e->msg[0] || e->code != rc))
		abort();
}

static size_t chunk(int64_t left)
{
	size_t m = 1 + (size_t)(rnd() % (rnd() & 1 ? 9 : MAX_CHUNK));
	return (int64_t)m > left ? (size_t)left : m;
}

/* The output buffer: big enough for MAX_CHUNK values of any layout. */
static uint8_t out[MAX_CHUNK * 16 + 64];

static void run_rle(const uint8_t *in, size_t len, unsigned kind, unsigned param, int64_t n)
{
	pv_rle r;
	pv_err e;
	unsigned w = param % 33;
	int rc;
	pv_err_clear(&e);
	if (kind == 0)
		rc = pv_rle_init(&r, in, len, w, n, &e);
	else if (kind == 1)
		rc = pv_rle_init_prefixed(&r, in, len, w, n, NULL, &e);
	else
		rc = pv_rle_init_dict(&r, in, len, n, &e);
	check(rc, &e);
	while (!rc && pv_rle_left(&r) > 0) {
		size_t m = chunk(pv_rle_left(&r));
		size_t cnt;
		pv_err_clear(&e);
		switch (rnd() % 5) {
		case 0:
			rc = pv_rle_get_u32(&r, (uint32_t *)out, m, &e);
			break;
		case 1:
			rc = pv_rle_get_levels(&r, (int16_t *)out, m, (int16_t)(param * 37 % 32768), &e);
			break;
		case 2:
			rc = pv_rle_get_bool(&r, out, m, &e);
			if (rc == PV_EINVAL && r.width != 1)
				rc = 0;
			break;
		case 3:
			rc = pv_rle_skip(&r, m, &e);
			break;
		default:
			rc = pv_rle_skip_count(&r, m, (uint32_t)param % 4, &cnt, &e);
			if (!rc && cnt > m)
				abort();
			break;
		}
		check(rc, &e);
	}
}

static void run_bitpacked(const uint8_t *in, size_t len, unsigned param, int64_t n)
{
	pv_bitpacked b;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_bitpacked_init(&b, in, len, param % 17, n, NULL, &e);
	check(rc, &e);
	int64_t left = rc ? 0 : n;
	while (!rc && left > 0) {
		size_t m = chunk(left);
		pv_err_clear(&e);
		rc = rnd() & 1 ? pv_bitpacked_skip(&b, m, &e)
			       : pv_bitpacked_get_levels(&b, (int16_t *)out, m, 32767, &e);
		check(rc, &e);
		left -= (int64_t)m;
	}
}

static void run_delta(const uint8_t *in, size_t len, unsigned param)
{
	pv_delta d;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_delta_init(&d, in, len, &e);
	check(rc, &e);
	int64_t budget = MAX_VALUES;
	while (!rc && pv_delta_left(&d) > 0 && budget > 0) {
		size_t m = chunk(pv_delta_left(&d));
		pv_err_clear(&e);
		switch (rnd() % 3) {
		case 0:
			rc = pv_delta_get_i32(&d, (int32_t *)out, m, &e);
			break;
		case 1:
			rc = pv_delta_get_i64(&d, (int64_t *)out, m, &e);
			break;
		default:
			rc = pv_delta_skip(&d, m, &e);
			break;
		}
		check(rc, &e);
		budget -= (int64_t)m;
	}
	if (!rc && (param & 1) && pv_delta_left(&d) <= MAX_VALUES) {
		size_t end;
		pv_err_clear(&e);
		rc = pv_delta_finish(&d, &end, &e);
		check(rc, &e);
		if (!rc && end > len)
			abort();
	}
}

/* Any value decoder through the dispatcher. The dictionary, when the
 * encoding needs one, is PLAIN in the first dict_len bytes. */
static void run_decoder(const uint8_t *in, size_t len, int enc, int type, int32_t tl, int64_t n,
			size_t dict_len)
{
	pv_err e;
	pv_dict dict;
	pv_buf scratch;
	pv_buf_init(&scratch, SCRATCH_CAP);
	memset(&dict, 0, sizeof dict);
	bool have_dict = false;
	if (enc == PV_ENC_RLE_DICTIONARY || enc == PV_ENC_PLAIN_DICTIONARY) {
		if (dict_len > len)
			dict_len = len;
		pv_err_clear(&e);
		size_t w = pv_plain_width(type, tl);
		int64_t n_dict = (int64_t)(dict_len / (w ? w : 8));
		int rc = pv_dict_init(&dict, in, dict_len, type, tl, n_dict, &e);
		check(rc, &e);
		have_dict = rc == 0;
		in += dict_len;
		len -= dict_len;
	}
	pv_decoder d;
	pv_err_clear(&e);
	int rc = pv_decoder_init(&d, enc, type, tl, in, len, n, have_dict ? &dict : NULL, &scratch, &e);
	check(rc, &e);
	while (!rc && pv_decoder_left(&d) > 0) {
		size_t m = chunk(pv_decoder_left(&d));
		pv_err_clear(&e);
		if (rnd() % 4 == 0) {
			/* the fused PLAIN BYTE_ARRAY copy, into a room of at most
			 * `out`: what it copies must be the input's, and it must
			 * stop rather than fail */
			static int32_t offs[MAX_CHUNK + 1];
			size_t room = (size_t)(rnd() % sizeof out), bytes, need;
			int64_t before = pv_decoder_left(&d);
			size_t k = pv_decoder_copy_binary(&d, m < MAX_CHUNK ? m : MAX_CHUNK, out, room, offs,
							  &bytes, &need);
			if (bytes > room || (int64_t)k > before || pv_decoder_left(&d) != before - (int64_t)k ||
			    (size_t)offs[k] != bytes)
				abort();
			if (k == 0 && need == 0)
				rc = pv_decoder_get(&d, out, 1, &e);
		} else if (rnd() % 3 == 0) {
			rc = pv_decoder_skip(&d, m, &e);
		} else {
			rc = pv_decoder_get(&d, out, m, &e);
			/* views must lie inside the input, the dictionary page or
			 * the scratch buffer */
			if (!rc && d.width == sizeof(pv_bytes_view)) {
				const pv_bytes_view *v = (const pv_bytes_view *)out;
				for (size_t i = 0; i < m; i++) {
					const uint8_t *p = v[i].ptr;
					if (!v[i].len)
						continue;
					bool ok = (p >= in && p + v[i].len <= in + len) ||
						  (have_dict && p >= in - dict_len && p + v[i].len <= in) ||
						  (scratch.data && p >= (const uint8_t *)scratch.data &&
						   p + v[i].len <= (const uint8_t *)scratch.data + scratch.len);
					if (!ok)
						abort();
				}
			}
		}
		check(rc, &e);
		pv_buf_reset(&scratch);
	}
	pv_decoder_release(&d);
	pv_dict_release(&dict);
	pv_buf_release(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	unsigned kind = data[0], param = data[1];
	int64_t n = (int64_t)(data[2] | (unsigned)data[3] << 8) * 4;
	if (n > MAX_VALUES)
		n = MAX_VALUES;
	const uint8_t *in = data + 4;
	size_t len = size - 4;
	rng = 0x1234;
	for (size_t i = 0; i < size && i < 64; i++)
		rng = rng * 31 + data[i];
	rng ^= size;

	static const int types[] = { PV_TYPE_BOOLEAN, PV_TYPE_INT32, PV_TYPE_INT64, PV_TYPE_INT96,
				     PV_TYPE_FLOAT, PV_TYPE_DOUBLE, PV_TYPE_BYTE_ARRAY,
				     PV_TYPE_FIXED_LEN_BYTE_ARRAY };
	int type = types[param % 8];
	int32_t tl = (int32_t)(param >> 3);
	switch (kind % 12) {
	case 0:
	case 1:
	case 2:
		run_rle(in, len, kind % 12, param, n);
		break;
	case 3:
		run_bitpacked(in, len, param, n);
		break;
	case 4:
		run_decoder(in, len, PV_ENC_PLAIN, type, tl, n, 0);
		break;
	case 5:
		/* kind / 12 sizes the dictionary page and picks the enum */
		run_decoder(in, len, (kind / 12) & 1 ? PV_ENC_PLAIN_DICTIONARY : PV_ENC_RLE_DICTIONARY, type, tl,
			    n, (size_t)(kind / 12) * 16);
		break;
	case 6:
		run_delta(in, len, param);
		break;
	case 7:
		run_decoder(in, len, PV_ENC_DELTA_BINARY_PACKED, param & 1 ? PV_TYPE_INT64 : PV_TYPE_INT32, 0, n, 0);
		break;
	case 8:
		run_decoder(in, len, PV_ENC_DELTA_LENGTH_BYTE_ARRAY, PV_TYPE_BYTE_ARRAY, 0, n, 0);
		break;
	case 9:
		run_decoder(in, len, PV_ENC_DELTA_BYTE_ARRAY,
			    param & 1 ? PV_TYPE_FIXED_LEN_BYTE_ARRAY : PV_TYPE_BYTE_ARRAY, (int32_t)(param >> 1), n, 0);
		break;
	case 10: {
		pv_bss b;
		pv_err e;
		pv_err_clear(&e);
		int rc = pv_bss_init(&b, in, len, 1 + param % 16, &e);
		check(rc, &e);
		while (!rc && pv_bss_left(&b) > 0) {
			size_t m = chunk((int64_t)pv_bss_left(&b));
			pv_err_clear(&e);
			rc = rnd() & 1 ? pv_bss_skip(&b, m, &e) : pv_bss_get(&b, out, m, &e);
			check(rc, &e);
		}
		run_decoder(in, len, PV_ENC_BYTE_STREAM_SPLIT, type, tl, n, 0);
		break;
	}
	default:
		/* any encoding number, any type: the dispatcher must refuse or
		 * decode */
		run_decoder(in, len, (int)(param % 12), types[(kind >> 4) % 8], (int32_t)(kind >> 4), n,
			    (size_t)(param >> 4) * 8);
		break;
	}
	return 0;
}
