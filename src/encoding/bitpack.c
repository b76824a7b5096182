/*
 * bitpack.c - width-specialised unpackers for LSB-first bit-packed groups.
 * Includes only the C library and its own header.
 */
#include "encoding/bitpack.h"

#include <string.h>

#include "base/banned.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* Spare bytes the fast path may read past a group: a value starting at bit
 * 7 of a byte still fits one 8-byte load for w <= 56; wider values take one
 * more byte. */
#define SLACK 16

static ALWAYS_INLINE void group32(const uint8_t *in, uint32_t *out, const unsigned w)
{
	const uint64_t mask = ((uint64_t)1 << w) - 1;
	_Pragma("GCC unroll 8")
	for (unsigned i = 0; i < 8; i++) {
		const unsigned off = i * w;
		out[i] = (uint32_t)((load64(in + off / 8) >> (off % 8)) & mask);
	}
}

static ALWAYS_INLINE void group64(const uint8_t *in, uint64_t *out, const unsigned w)
{
	const uint64_t mask = w == 64 ? ~(uint64_t)0 : ((uint64_t)1 << (w & 63)) - 1;
	_Pragma("GCC unroll 8")
	for (unsigned i = 0; i < 8; i++) {
		const unsigned off = i * w, s = off % 8;
		uint64_t v = load64(in + off / 8) >> s;
		if (w > 56 && s + w > 64)
			v |= (uint64_t)in[off / 8 + 8] << ((64 - s) & 63);
		out[i] = v & mask;
	}
}

/* Groups that have SLACK readable bytes after them go straight from the
 * input; the last few are copied into a zeroed buffer first, which is also
 * what makes a truncated final group read as zeros. */
#define RUN_BODY(GROUP, T)                                                          \
	size_t g = 0;                                                               \
	if (avail >= (size_t)w + SLACK) {                                           \
		size_t n_fast = (avail - SLACK) / w;                                \
		if (n_fast > n_groups)                                              \
			n_fast = n_groups;                                          \
		for (; g < n_fast; g++)                                             \
			GROUP(in + g * w, out + 8 * g, w);                          \
	}                                                                           \
	for (; g < n_groups; g++) {                                                 \
		uint8_t tmp[64 + SLACK] = { 0 };                                    \
		size_t off = g * w, k = 0;                                          \
		if (off < avail)                                                    \
			k = avail - off < w ? avail - off : w;                      \
		if (k)                                                              \
			memcpy(tmp, in + off, k);                                   \
		GROUP(tmp, out + 8 * g, w);                                         \
	}                                                                           \
	(void)sizeof(T)

static ALWAYS_INLINE void run32(const uint8_t *in, size_t avail, size_t n_groups, uint32_t *out,
				const unsigned w)
{
	RUN_BODY(group32, uint32_t);
}

static ALWAYS_INLINE void run64(const uint8_t *in, size_t avail, size_t n_groups, uint64_t *out,
				const unsigned w)
{
	RUN_BODY(group64, uint64_t);
}

#define C4(F, b) F(b) F(b + 1) F(b + 2) F(b + 3)
#define C16(F, b) C4(F, b) C4(F, b + 4) C4(F, b + 8) C4(F, b + 12)

void pv_unpack32(const uint8_t *in, size_t avail, size_t n_groups, unsigned width, uint32_t *out)
{
	if (n_groups == 0)
		return;
	switch (width) {
#define CASE32(W)                                       \
	case W:                                         \
		run32(in, avail, n_groups, out, W);     \
		return;
	C16(CASE32, 1)
	C16(CASE32, 17)
#undef CASE32
	default:
		/* width 0: every value is zero; wider than 32 is a caller bug the
		 * decoders rule out before they get here */
		memset(out, 0, n_groups * 8 * sizeof *out);
		return;
	}
}

void pv_unpack64(const uint8_t *in, size_t avail, size_t n_groups, unsigned width, uint64_t *out)
{
	if (n_groups == 0)
		return;
	switch (width) {
#define CASE64(W)                                       \
	case W:                                         \
		run64(in, avail, n_groups, out, W);     \
		return;
	C16(CASE64, 1)
	C16(CASE64, 17)
	C16(CASE64, 33)
	C16(CASE64, 49)
#undef CASE64
	default:
		memset(out, 0, n_groups * 8 * sizeof *out);
		return;
	}
}
