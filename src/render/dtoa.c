/*
 * dtoa.c - doubles and floats to text (render/dtoa.h): exact scaling in
 * 128-bit integers for the common range, the printf + strtod search it
 * replaces everywhere else. Includes only base and render.
 */
#include "render/dtoa.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digits.h"
#include "base/banned.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

#define P5(hi, lo) (((u128)(hi) << 64) | (u128)(lo))
static const u128 pow5[56] = {
	P5(0x0000000000000000u, 0x0000000000000001u), /* 5^0 */
	P5(0x0000000000000000u, 0x0000000000000005u), /* 5^1 */
	P5(0x0000000000000000u, 0x0000000000000019u), /* 5^2 */
	P5(0x0000000000000000u, 0x000000000000007du), /* 5^3 */
	P5(0x0000000000000000u, 0x0000000000000271u), /* 5^4 */
	P5(0x0000000000000000u, 0x0000000000000c35u), /* 5^5 */
	P5(0x0000000000000000u, 0x0000000000003d09u), /* 5^6 */
	P5(0x0000000000000000u, 0x000000000001312du), /* 5^7 */
	P5(0x0000000000000000u, 0x000000000005f5e1u), /* 5^8 */
	P5(0x0000000000000000u, 0x00000000001dcd65u), /* 5^9 */
	P5(0x0000000000000000u, 0x00000000009502f9u), /* 5^10 */
	P5(0x0000000000000000u, 0x0000000002e90eddu), /* 5^11 */
	P5(0x0000000000000000u, 0x000000000e8d4a51u), /* 5^12 */
	P5(0x0000000000000000u, 0x0000000048c27395u), /* 5^13 */
	P5(0x0000000000000000u, 0x000000016bcc41e9u), /* 5^14 */
	P5(0x0000000000000000u, 0x000000071afd498du), /* 5^15 */
	P5(0x0000000000000000u, 0x0000002386f26fc1u), /* 5^16 */
	P5(0x0000000000000000u, 0x000000b1a2bc2ec5u), /* 5^17 */
	P5(0x0000000000000000u, 0x000003782dace9d9u), /* 5^18 */
	P5(0x0000000000000000u, 0x00001158e460913du), /* 5^19 */
	P5(0x0000000000000000u, 0x000056bc75e2d631u), /* 5^20 */
	P5(0x0000000000000000u, 0x0001b1ae4d6e2ef5u), /* 5^21 */
	P5(0x0000000000000000u, 0x000878678326eac9u), /* 5^22 */
	P5(0x0000000000000000u, 0x002a5a058fc295edu), /* 5^23 */
	P5(0x0000000000000000u, 0x00d3c21bcecceda1u), /* 5^24 */
	P5(0x0000000000000000u, 0x0422ca8b0a00a425u), /* 5^25 */
	P5(0x0000000000000000u, 0x14adf4b7320334b9u), /* 5^26 */
	P5(0x0000000000000000u, 0x6765c793fa10079du), /* 5^27 */
	P5(0x0000000000000002u, 0x04fce5e3e2502611u), /* 5^28 */
	P5(0x000000000000000au, 0x18f07d736b90be55u), /* 5^29 */
	P5(0x0000000000000032u, 0x7cb2734119d3b7a9u), /* 5^30 */
	P5(0x00000000000000fcu, 0x6f7c40458122964du), /* 5^31 */
	P5(0x00000000000004eeu, 0x2d6d415b85acef81u), /* 5^32 */
	P5(0x00000000000018a6u, 0xe32246c99c60ad85u), /* 5^33 */
	P5(0x0000000000007b42u, 0x6fab61f00de36399u), /* 5^34 */
	P5(0x000000000002684cu, 0x2e58e9b04570f1fdu), /* 5^35 */
	P5(0x00000000000c097cu, 0xe7bc90715b34b9f1u), /* 5^36 */
	P5(0x00000000003c2f70u, 0x86aed236c807a1b5u), /* 5^37 */
	P5(0x00000000012ced32u, 0xa16a1b11e8262889u), /* 5^38 */
	P5(0x0000000005e0a1fdu, 0x2712875988becaadu), /* 5^39 */
	P5(0x000000001d6329f1u, 0xc35ca4bfabb9f561u), /* 5^40 */
	P5(0x0000000092efd1b8u, 0xd0cf37be5aa1cae5u), /* 5^41 */
	P5(0x00000002deaf189cu, 0x140c16b7c528f679u), /* 5^42 */
	P5(0x0000000e596b7b0cu, 0x643c7196d9ccd05du), /* 5^43 */
	P5(0x00000047bf19673du, 0xf52e37f2410011d1u), /* 5^44 */
	P5(0x00000166bb7f0435u, 0xc9e717bb45005915u), /* 5^45 */
	P5(0x00000701a97b150cu, 0xf18376a85901bd69u), /* 5^46 */
	P5(0x000023084f676940u, 0xb7915149bd08b30du), /* 5^47 */
	P5(0x0000af298d050e43u, 0x95d69670b12b7f41u), /* 5^48 */
	P5(0x00036bcfc1194751u, 0xed30f03375d97c45u), /* 5^49 */
	P5(0x00111b0ec57e6499u, 0xa1f4b1014d3f6d59u), /* 5^50 */
	P5(0x00558749db77f700u, 0x29c77506823d22bdu), /* 5^51 */
	P5(0x01aba4714957d300u, 0xd0e549208b31adb1u), /* 5^52 */
	P5(0x085a36366eb71f04u, 0x147a6da2b7f86475u), /* 5^53 */
	P5(0x29c30f1029939b14u, 0x6664242d97d9f649u), /* 5^54 */
	P5(0xd0cf4b50cfe20765u, 0xfff4b4e3f741cf6du), /* 5^55 */
};

static const uint64_t pow10[20] = {
    1u,
    10u,
    100u,
    1000u,
    10000u,
    100000u,
    1000000u,
    10000000u,
    100000000u,
    1000000000u,
    10000000000u,
    100000000000u,
    1000000000000u,
    10000000000000u,
    100000000000000u,
    1000000000000000u,
    10000000000000000u,
    100000000000000000u,
    1000000000000000000u,
    10000000000000000000u,
};

/* 10^0 .. 10^22, all exact doubles */
static const double pow10_dbl[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Bounds that keep every product below in 128 bits: x's numerator, its
 * denominator, and how far (in units of x) a candidate may be from x
 * before it is out of reach without arithmetic (a gap of a normal double
 * is at most 22 units of a 17-digit x, of a normal float 120 units of a
 * 9-digit x). */
#define MAX_X_BITS 124
#define MAX_Y_BITS 116
#define MAX_UNITS 128

static int bitlen64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static int bitlen128(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);
	return hi ? 64 + bitlen64(hi) : bitlen64((uint64_t)x);
}

/* |v| = c * 2^q scaled by 10^m, exactly: x = v * 10^m = f + r / y. */
typedef struct scaled {
	uint64_t f;
	u128 r, y;
	u128 w;	     /* the gap from v up to the next value, scaled: w / y */
	bool closer; /* the gap below v is half the gap above (c a power of two) */
	bool even;   /* c even: a decimal exactly half a gap away reads back to v */
	int e;	     /* 10^e <= v < 10^(e+1) */
} scaled;

/* x = c * 5^m * 2^(q+m), or c * 2^(q+m) / 5^-m; false when out of range. */
static bool scale_by(uint64_t c, int q, int m, scaled *s)
{
	int m5 = m > 0 ? m : 0, j5 = m < 0 ? -m : 0, a = q + m;
	if (m5 >= 56 || j5 >= 56 || bitlen128(pow5[m5]) + bitlen64(c) > MAX_X_BITS)
		return false;
	u128 num = pow5[m5] * c, y = pow5[j5], w = pow5[m5];
	if (a >= 0) {
		if (bitlen128(num) + a > MAX_X_BITS || bitlen128(w) + a > MAX_X_BITS)
			return false;
		num <<= a;
		w <<= a;
	} else {
		if (bitlen128(y) - a > MAX_Y_BITS)
			return false;
		y <<= -a;
	}
	if (bitlen128(y) > MAX_Y_BITS)
		return false;
	u128 f;
	if (j5 == 0) {
		/* y is a power of two */
		f = num >> (a < 0 ? -a : 0);
		s->r = num & (y - 1);
	} else {
		f = num / y;
		s->r = num - f * y;
	}
	if (f >> 64)
		return false;
	s->f = (uint64_t)f;
	s->y = y;
	s->w = w;
	return true;
}

/* Scales so that f has exactly n digits (n <= 18). */
static bool scale(uint64_t c, int q, int n, scaled *s)
{
	/* 2^e2 <= v < 2^(e2+1); e estimates floor(log10 v) within one */
	int e2 = q + bitlen64(c) - 1;
	int64_t t = (int64_t)e2 * 78913; /* log10(2) * 2^18, rounded down */
	int e = (int)(t >= 0 ? t >> 18 : -((-t + (1 << 18) - 1) >> 18));
	for (int tries = 0; tries < 4; tries++) {
		if (!scale_by(c, q, n - 1 - e, s))
			return false;
		if (s->f < pow10[n - 1])
			e--;
		else if (s->f >= pow10[n])
			e++;
		else {
			s->e = e;
			return true;
		}
	}
	return false;
}

/* Whether the decimal d (in units of x) reads back to v: it is within
 * half the gap above v, or half the gap below (ends included when c is
 * even), as strtod's rounding to nearest, ties to even, decides. */
static bool reads_back(const scaled *s, uint64_t d)
{
	int64_t units = (int64_t)(d - s->f);
	if (units > MAX_UNITS || units < -MAX_UNITS)
		return false;
	/* d * y - x * y, below 2^123 in magnitude */
	i128 diff = (i128)units * (i128)s->y - (i128)s->r;
	i128 w = (i128)s->w;
	if (diff >= 0)
		return s->even ? 2 * diff <= w : 2 * diff < w;
	i128 gap = s->closer ? w : 2 * w; /* against 4 * |diff| */
	return s->even ? -4 * diff <= gap : -4 * diff < gap;
}

/* x rounded to p of its n digits, to nearest, ties to even: the digits
 * in *out_q (10^p after a carry) and the decimal in units of x. */
static uint64_t round_to(const scaled *s, int n, int p, uint64_t *out_q)
{
	uint64_t t = pow10[n - p], q = s->f / t, rem = s->f % t;
	bool up;
	if (t == 1) {
		u128 r2 = 2 * s->r;
		up = r2 > s->y || (r2 == s->y && (q & 1));
	} else {
		uint64_t half = t / 2;
		up = rem > half || (rem == half && (s->r != 0 || (q & 1)));
	}
	q += up;
	*out_q = q;
	return q * t;
}

/* ---- doubles ---- */

/* The digits (no trailing zeros, NUL-terminated) and decimal exponent of
 * |v|, the printf + strtod way: the first precision that reads back. */
static void digits_slow(double v, char dig[24], size_t *out_nd, int *out_exp)
{
	/* any double with a decimal form of k <= 15 digits rounds to that form
	 * padded with zeros at 15 digits (DBL_DIG), and the zeros are trimmed
	 * below, so 15, 16 and 17 are the only precisions worth trying.
	 * Subnormals carry fewer bits, so for them every precision is tried. */
	char e[40];
	for (int p = fabs(v) < DBL_MIN ? 1 : 15; p <= 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e is "-d.ddde+XX": pull out the digits and the exponent */
	const char *s = e;
	size_t nd = 0;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && nd < 23)
			dig[nd++] = *s;
	*out_exp = *s == 'e' ? (int)strtol(s + 1, NULL, 10) : 0;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dig[nd] = '\0';
	*out_nd = nd;
}

/* The same, exactly, by scaling; false when v is out of range. */
static bool digits_fast(double v, char dig[24], size_t *out_nd, int *out_exp)
{
	uint64_t bits;
	memcpy(&bits, &v, 8);
	uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
	int be = (int)(bits >> 52 & 0x7ff);
	if (be == 0 || be == 0x7ff)
		return false;
	uint64_t c = frac | UINT64_C(1) << 52;
	scaled s;
	if (!scale(c, be - 1075, 17, &s))
		return false;
	s.closer = frac == 0 && be > 1;
	s.even = (c & 1) == 0;
	uint64_t q = 0;
	int p = 15;
	for (; p <= 17; p++)
		if (reads_back(&s, round_to(&s, 17, p, &q)))
			break;
	if (p > 17)
		return false; /* cannot happen: 17 digits always read back */
	int exp = s.e;
	if (q == pow10[p]) {
		q /= 10;
		exp++;
	}
	while (q % 10 == 0 && q >= 10)
		q /= 10;
	size_t nd = pv_digits_u64(q, dig);
	dig[nd] = '\0';
	*out_nd = nd;
	*out_exp = exp;
	return true;
}

/* DuckDB's layout of the digits: fixed for -5 < exp < 16, else d.ddde±XX. */
static size_t layout(bool neg, const char *dig, size_t nd, int exp, char *t)
{
	size_t k = 0;
	if (neg)
		t[k++] = '-';
	if (exp > -5 && exp < 16) {
		if (exp < 0) {
			t[k++] = '0';
			t[k++] = '.';
			for (int i = 0; i < -exp - 1; i++)
				t[k++] = '0';
			memcpy(t + k, dig, nd);
			k += nd;
		} else {
			size_t ip = (size_t)exp + 1;
			for (size_t i = 0; i < ip; i++)
				t[k++] = i < nd ? dig[i] : '0';
			t[k++] = '.';
			if (nd > ip) {
				memcpy(t + k, dig + ip, nd - ip);
				k += nd - ip;
			} else {
				t[k++] = '0';
			}
		}
	} else {
		t[k++] = dig[0];
		if (nd > 1) {
			t[k++] = '.';
			memcpy(t + k, dig + 1, nd - 1);
			k += nd - 1;
		}
		t[k++] = 'e';
		t[k++] = exp < 0 ? '-' : '+';
		int a = exp < 0 ? -exp : exp; /* at most 324 */
		if (a >= 100)
			t[k++] = (char)('0' + a / 100);
		t[k++] = (char)('0' + a / 10 % 10);
		t[k++] = (char)('0' + a % 10);
	}
	t[k] = '\0';
	return k;
}

size_t pv_dtoa_double(double v, char out[PV_DTOA_MAX])
{
	char dig[24];
	size_t nd;
	int exp;
	if (v == 0) {
		dig[0] = '0';
		nd = 1;
		exp = 0;
	} else if (!digits_fast(v, dig, &nd, &exp)) {
		digits_slow(v, dig, &nd, &exp);
	}
	return layout(signbit(v), dig, nd, exp, out);
}

size_t pv_dtoa_double_slow(double v, char out[PV_DTOA_MAX])
{
	char dig[24];
	size_t nd;
	int exp;
	digits_slow(v, dig, &nd, &exp);
	return layout(signbit(v), dig, nd, exp, out);
}

/* ---- floats ---- */

/* The search for float32 the slow way: p digits of v by "%.*e", read
 * back with strtof. */
static bool float_reads_back(double v, int digits, double *out)
{
	char s[40];
	snprintf(s, sizeof s, "%.*e", digits - 1, v);
	*out = strtod(s, NULL);
	return strtof(s, NULL) == (float)v;
}

double pv_dtoa_float_short_slow(float f)
{
	if (!isfinite(f))
		return f;
	/* 9 digits always read back, and if p digits do, p + 1 do (nearly
	 * always: see dtoa.h): bisect for the fewest */
	int lo = 1, hi = 9;
	double best = f, d;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (float_reads_back(f, mid, &d))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (float_reads_back(f, lo, &d))
		best = d;
	return best;
}

double pv_dtoa_float_short(float f)
{
	uint32_t bits;
	memcpy(&bits, &f, 4);
	uint32_t frac = bits & 0x7fffff;
	int be = (int)(bits >> 23 & 0xff);
	if (be == 0xff || (be == 0 && frac == 0))
		return f; /* NaN, infinities, zeros */
	uint64_t c = frac | (uint64_t)1 << 23;
	scaled s;
	if (be == 0 || !scale(c, be - 150, 9, &s))
		return pv_dtoa_float_short_slow(f);
	s.closer = frac == 0 && be > 1;
	s.even = (c & 1) == 0;
	int lo = 1, hi = 9;
	uint64_t q;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (reads_back(&s, round_to(&s, 9, mid, &q)))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (!reads_back(&s, round_to(&s, 9, lo, &q)))
		return f;
	/* the double nearest q * 10^k: one correctly rounded operation on
	 * exact operands when |k| <= 22 (q < 2^53), else strtod */
	int k = s.e - (lo - 1);
	double d;
	if (k >= 0 && k <= 22) {
		d = (double)q * pow10_dbl[k];
	} else if (k < 0 && k >= -22) {
		d = (double)q / pow10_dbl[-k];
	} else {
		char t[48];
		size_t n = pv_digits_u64(q, t);
		t[n++] = 'e';
		n += pv_digits_i64(k, t + n);
		t[n] = '\0';
		d = strtod(t, NULL);
	}
	return signbit(f) ? -d : d;
}
