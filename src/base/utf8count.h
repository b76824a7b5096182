/*
 * utf8count.h - the number of UTF-8 characters in a byte string, counted
 * as the bytes that are not continuation bytes (10xxxxxx), which is what
 * DuckDB's length() and Python's len() give for valid UTF-8. Invalid
 * bytes count as they fall: a stray lead or ASCII byte is one character,
 * a stray continuation byte none.
 *
 * Sixteen bytes at a time with SSE2 (part of every x86-64): a signed
 * compare marks the continuation bytes (-128..-65 as int8), each mark
 * subtracts one from a byte lane, and every 255 blocks the lanes are
 * summed (psadbw) before they can overflow. Elsewhere eight bytes at a
 * time in a 64-bit word. Header only; includes only the C library.
 */
#ifndef PV_UTF8COUNT_H
#define PV_UTF8COUNT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Characters in s[0..n). */
static inline int64_t pv_utf8_count(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0, cont = 0;
#ifdef __SSE2__
	const __m128i lead_min = _mm_set1_epi8(-64); /* 0xC0: the first non-continuation */
	while (n - i >= 16) {
		size_t blocks = (n - i) / 16;
		if (blocks > 255)
			blocks = 255;
		__m128i acc = _mm_setzero_si128();
		for (size_t b = 0; b < blocks; b++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			acc = _mm_sub_epi8(acc, _mm_cmplt_epi8(v, lead_min));
		}
		__m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
		cont += (size_t)_mm_cvtsi128_si32(sum) +
			(size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
	}
#endif
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		/* bit 7 set and bit 6 clear; one bit per byte, summed into the
		 * top byte by the multiply */
		uint64_t m = (w & ~(w << 1) & UINT64_C(0x8080808080808080)) >> 7;
		cont += (size_t)((m * UINT64_C(0x0101010101010101)) >> 56);
	}
	for (; i < n; i++)
		cont += (s[i] & 0xC0) == 0x80;
	return (int64_t)(n - cont);
}

#endif
