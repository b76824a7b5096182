/*
 * test_dtoa.c - render/dtoa.h's fast formatter against the printf +
 * strtod searches it replaced (kept in dtoa.c as the *_slow functions),
 * byte for byte: special values, zeros, subnormals, every power of two
 * and of ten with its neighbours, integers around 2^53, ties, the edges of
 * the exact range, and millions of random doubles and floats (bit
 * patterns, and values drawn in the range real data lives in). Every text
 * must also read back to its value.
 *
 * PARQVIEW_DTOA_RANDOM sets the random doubles (default 2,000,000; the
 * floats are half as many).
 */
#include "testutil.h"

#include <float.h>
#include <stdbool.h>
#include <math.h>

#include "render/dtoa.h"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	/* xorshift64*: fixed seed, so a failure repeats */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1du;
}

static long n_random(void)
{
	const char *s = getenv("PARQVIEW_DTOA_RANDOM");
	long n = s && *s ? strtol(s, NULL, 10) : 2000000;
	return n > 0 ? n : 2000000;
}

static long n_checked, n_failed;

/* Fails on the first few differences, with both texts. */
static void check_double(double v)
{
	if (!isfinite(v))
		return;
	char fast[PV_DTOA_MAX], slow[PV_DTOA_MAX];
	size_t nf = pv_dtoa_double(v, fast);
	pv_dtoa_double_slow(v, slow);
	n_checked++;
	bool ok = nf == strlen(fast) && strcmp(fast, slow) == 0 && strtod(fast, NULL) == v &&
		  signbit(strtod(fast, NULL)) == signbit(v);
	if (!ok && n_failed++ < 5)
		print_error("double %a: fast '%s', slow '%s'\n", v, fast, slow);
}

static void check_float(float f)
{
	if (!isfinite(f))
		return;
	double fast = pv_dtoa_float_short(f), slow = pv_dtoa_float_short_slow(f);
	n_checked++;
	/* the bits, so that -0.0 and 0.0 differ */
	bool ok = memcmp(&fast, &slow, sizeof fast) == 0 && (float)fast == f;
	if (!ok && n_failed++ < 5)
		print_error("float %a: fast %a, slow %a\n", (double)f, fast, slow);
	check_double(fast);
}

static double from_bits(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static float from_bits32(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* v and its neighbours, both signs. */
static void around(double v, int k)
{
	double lo = v, hi = v;
	check_double(v);
	check_double(-v);
	for (int i = 0; i < k; i++) {
		lo = nextafter(lo, -INFINITY);
		hi = nextafter(hi, INFINITY);
		check_double(lo);
		check_double(hi);
		check_double(-hi);
	}
}

static void test_known(void **state)
{
	char t[PV_DTOA_MAX];
	static const struct {
		double v;
		const char *text;
	} cases[] = {
	    {0.0, "0.0"},
	    {-0.0, "-0.0"},
	    {1.0, "1.0"},
	    {-2.5, "-2.5"},
	    {0.1, "0.1"},
	    {0.001, "0.001"},
	    {0.0001, "0.0001"},
	    {0.00001, "1e-05"},
	    {1e15, "1000000000000000.0"},
	    {1e16, "1e+16"},
	    {123456789012345680.0, "1.2345678901234568e+17"},
	    {85270.868, "85270.868"},
	    {1.5e-7, "1.5e-07"},
	    {1e100, "1e+100"},
	    {1e-100, "1e-100"},
	    {DBL_MAX, "1.7976931348623157e+308"},
	    {DBL_MIN, "2.2250738585072014e-308"},
	    {5e-324, "5e-324"},
	    {9007199254740993.0, "9007199254740992.0"},
	    {0x1p-24, "5.9604644775390625e-08"}, /* see dtoa.h: DuckDB shows 16 digits */
	    {1.0 / 3.0, "0.3333333333333333"},
	    {2.0 / 3.0, "0.6666666666666666"},
	    {0.3, "0.3"},
	    {100.0, "100.0"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = pv_dtoa_double(cases[i].v, t);
		assert_string_equal(t, cases[i].text);
		assert_int_equal(n, strlen(cases[i].text));
	}
	/* floats: the shortest decimal's double */
	assert_true(pv_dtoa_float_short(0.1f) == 0.1);
	assert_true(pv_dtoa_float_short(-3.4028235e38f) == -3.4028235e38);
	assert_true(pv_dtoa_float_short(1e-45f) == 1e-45);
	assert_true(pv_dtoa_float_short(16777216.0f) == 16777216.0);
	assert_true(isnan(pv_dtoa_float_short(NAN)));
	assert_true(pv_dtoa_float_short(-INFINITY) == -INFINITY);
	assert_true(signbit(pv_dtoa_float_short(-0.0f)));
}

static void test_edges(void **state)
{
	n_checked = n_failed = 0;
	/* zeros, subnormals, the least normal, the largest */
	around(0.0, 40);
	around(DBL_MIN, 40);
	around(DBL_MAX, 40);
	around(DBL_TRUE_MIN * 1000, 20);
	for (uint64_t m = 1; m < (UINT64_C(1) << 52); m = m * 3 + 1)
		check_double(from_bits(m));
	/* every power of two, where the gap below is half the gap above */
	for (int e = -1074; e <= 1023; e++)
		around(ldexp(1.0, e), 3);
	/* every power of ten strtod gives, and the decimal exponents' edges */
	for (int e = -325; e <= 308; e++) {
		char s[32];
		snprintf(s, sizeof s, "1e%d", e);
		around(strtod(s, NULL), 3);
		snprintf(s, sizeof s, "9.999999e%d", e);
		around(strtod(s, NULL), 2);
	}
	/* integers around 2^53 and other exact ones */
	for (int64_t i = -2000; i <= 2000; i++) {
		check_double((double)i);
		check_double((double)((INT64_C(1) << 53) + i));
		check_double((double)i / 8);
		check_double((double)i * 1e15);
	}
	/* ties at 15, 16 and 17 digits: values exactly half a unit apart */
	for (int k = 0; k < 200000; k++) {
		uint64_t d = next() % 100000000000000000u;
		check_double((double)d + 0.5);
		check_double(((double)d + 0.5) / 1024);
	}
	/* the edges of the exact range: 1e-14 .. 1e46 */
	for (int e = -16; e <= 48; e++)
		for (int k = 0; k < 2000; k++)
			check_double(ldexp((double)(next() >> 11), -53) * pow(10, e));
	/* floats: every exponent, its edges and random mantissas */
	for (uint32_t be = 0; be < 255; be++) {
		for (uint32_t m = 0; m < 16; m++) {
			check_float(from_bits32(be << 23 | m));
			check_float(from_bits32(be << 23 | (0x7fffff - m)));
		}
		for (int k = 0; k < 2000; k++)
			check_float(from_bits32(be << 23 | (uint32_t)(next() & 0x7fffff)));
	}
	print_message("edges: %ld values checked\n", n_checked);
	assert_int_equal(n_failed, 0);
}

static void test_random(void **state)
{
	n_checked = n_failed = 0;
	long n = n_random();
	for (long i = 0; i < n; i++) {
		uint64_t u = next();
		switch (i % 3) {
		case 0: /* any bit pattern */
			check_double(from_bits(u));
			break;
		case 1: /* an exponent where data usually lives, 1e-20 .. 1e50 */
			check_double(from_bits((u & ~(UINT64_C(0x7ff) << 52)) |
					       (UINT64_C(1023 - 66) + (u >> 52) % 230) << 52));
			break;
		default: /* a decimal of up to 12 digits, as data often holds */
			check_double((double)(int64_t)(u >> 24) / pow(10, (int)(u % 13)));
			break;
		}
	}
	for (long i = 0; i < n / 2; i++) {
		uint64_t u = next();
		if (i % 2)
			check_float(from_bits32((uint32_t)u));
		else
			check_float((float)((double)(int64_t)(u >> 40) / pow(10, (int)(u % 9))));
	}
	print_message("random: %ld values checked\n", n_checked);
	assert_int_equal(n_failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known),
	    cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
