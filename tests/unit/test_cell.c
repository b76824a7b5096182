/*
 * test_cell.c - unit tests for rendering values (render/cell.h) as text
 * and JSON, and for the human number formats of render/units.h.
 * The expected text forms of floats, timestamps, BC dates, blobs, intervals,
 * decimals and UUIDs were checked against DuckDB (build/tools/duckq).
 */
#include "testutil.h"

#include <float.h>
#include <math.h>

#include "base/buf.h"
#include "base/json.h"
#include "render/cell.h"
#include "render/units.h"

/* The text of v (static buffer), asserting success. */
static const char *text(pv_value v)
{
	static char out[4096];
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_err e;
	int rc = pv_cell_text(&v, &b, &e);
	if (rc)
		fail_msg("pv_cell_text: %s", e.msg);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	pv_buf_release(&b);
	return out;
}

static const char *json(pv_value v)
{
	static char out[4096];
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_json j;
	pv_json_init_buf(&j, &b, false);
	pv_err e;
	int rc = pv_cell_json(&v, &j, &e);
	if (rc)
		fail_msg("pv_cell_json: %s", e.msg);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	pv_buf_release(&b);
	return out;
}

static pv_value ival(pv_value_kind k, int64_t i)
{
	pv_value v = { .kind = k };
	v.i = i;
	return v;
}

static pv_value fval(double f)
{
	pv_value v = { .kind = PV_VAL_FLOAT };
	v.f = f;
	return v;
}

static pv_value bval(pv_value_kind k, const void *p, size_t n)
{
	pv_value v = { .kind = k };
	v.bytes.ptr = p;
	v.bytes.len = n;
	return v;
}

static pv_value ts(int64_t i, pv_time_unit u, bool utc)
{
	pv_value v = ival(PV_VAL_TIMESTAMP, i);
	v.unit = u;
	v.utc = utc;
	return v;
}

static pv_value tm(int64_t i, pv_time_unit u, bool utc)
{
	pv_value v = ival(PV_VAL_TIME, i);
	v.unit = u;
	v.utc = utc;
	return v;
}

static pv_value dec_i(int64_t i, int scale)
{
	pv_value v = ival(PV_VAL_DECIMAL, i);
	v.scale = scale;
	v.precision = 18;
	return v;
}

static pv_value dec_b(const uint8_t *p, size_t n, int scale)
{
	pv_value v = bval(PV_VAL_DECIMAL, p, n);
	v.dec_bytes = true;
	v.scale = scale;
	v.precision = 38;
	return v;
}

static pv_value interval(uint32_t months, uint32_t days, uint32_t millis)
{
	pv_value v = { .kind = PV_VAL_INTERVAL };
	v.interval.months = months;
	v.interval.days = days;
	v.interval.millis = millis;
	return v;
}

static void test_simple_kinds(void **state)
{
	pv_value null = { .kind = PV_VAL_NULL };
	assert_string_equal(text(null), "NULL");
	assert_string_equal(json(null), "null");
	pv_value b = { .kind = PV_VAL_BOOL, .b = true };
	assert_string_equal(text(b), "true");
	assert_string_equal(json(b), "true");
	b.b = false;
	assert_string_equal(text(b), "false");
	assert_string_equal(text(ival(PV_VAL_INT, INT64_MIN)), "-9223372036854775808");
	assert_string_equal(json(ival(PV_VAL_INT, INT64_MIN)), "-9223372036854775808");
	pv_value u = { .kind = PV_VAL_UINT, .u = UINT64_MAX };
	assert_string_equal(text(u), "18446744073709551615");
	assert_string_equal(json(u), "18446744073709551615");

	assert_string_equal(text(bval(PV_VAL_STRING, "héllo\n", 7)), "héllo\n");
	assert_string_equal(json(bval(PV_VAL_STRING, "a\"b\n", 4)), "\"a\\\"b\\n\"");

	static const uint8_t blob[] = { 0x00, 'a', 0xff, '\\', '\'', '"', ' ', '~', 0x7f };
	assert_string_equal(text(bval(PV_VAL_BINARY, blob, sizeof blob)),
	                    "\\x00a\\xFF\\x5C\\x27\\x22 ~\\x7F");
	assert_string_equal(json(bval(PV_VAL_BINARY, blob, 3)), "\"AGH/\"");
	assert_string_equal(text(bval(PV_VAL_BINARY, "", 0)), "");

	static const uint8_t uuid[16] = { 0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3,
		                          0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00 };
	assert_string_equal(text(bval(PV_VAL_UUID, uuid, 16)), "123e4567-e89b-12d3-a456-426614174000");
	assert_string_equal(json(bval(PV_VAL_UUID, uuid, 16)),
	                    "\"123e4567-e89b-12d3-a456-426614174000\"");
	assert_string_equal(text(bval(PV_VAL_UUID, uuid, 3)), "\\x12>E"); /* wrong length: a blob */

	static const uint8_t i96[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xab, 0xff };
	assert_string_equal(text(bval(PV_VAL_INT96RAW, i96, 12)), "00010203040506070809abff");
	pv_value bad = { .kind = (pv_value_kind)99 };
	pv_buf tb;
	pv_buf_init(&tb, 0);
	pv_err e;
	assert_int_equal(pv_cell_text(&bad, &tb, &e), PV_EINTERNAL);
	pv_buf_release(&tb);
}

static void test_floats(void **state)
{
	assert_string_equal(text(fval(1.0)), "1.0");
	assert_string_equal(text(fval(-2.0)), "-2.0");
	assert_string_equal(text(fval(0.0)), "0.0");
	assert_string_equal(text(fval(-0.0)), "-0.0");
	assert_string_equal(text(fval(0.1)), "0.1");
	assert_string_equal(text(fval(1.5)), "1.5");
	assert_string_equal(text(fval(1.0 / 3)), "0.3333333333333333");
	assert_string_equal(text(fval(123456789.0)), "123456789.0");
	assert_string_equal(text(fval(1e15)), "1000000000000000.0");
	assert_string_equal(text(fval(1e16)), "1e+16");
	assert_string_equal(text(fval(1.25e20)), "1.25e+20");
	assert_string_equal(text(fval(0.0001)), "0.0001");
	assert_string_equal(text(fval(0.00001)), "1e-05");
	assert_string_equal(text(fval(1.5e-7)), "1.5e-07");
	assert_string_equal(text(fval(DBL_MAX)), "1.7976931348623157e+308");
	assert_string_equal(text(fval(5e-324)), "5e-324");
	assert_string_equal(text(fval(0.1f)), "0.10000000149011612"); /* a float widened */
	assert_string_equal(text(fval(NAN)), "NaN");
	assert_string_equal(text(fval(INFINITY)), "inf");
	assert_string_equal(text(fval(-INFINITY)), "-inf");
	assert_string_equal(json(fval(2.5)), "2.5");
	assert_string_equal(json(fval(1e300)), "1e+300");
	assert_string_equal(json(fval(NAN)), "\"NaN\"");
	assert_string_equal(json(fval(-INFINITY)), "\"-Infinity\"");

	/* every printed double reads back exactly */
	double x = 1.0;
	for (int i = 0; i < 2000; i++) {
		x = x * 1.37 + 1e-3 / (i + 1);
		if (!isfinite(x))
			x = 1e-300 * i;
		const char *s = text(fval(x));
		assert_true(strtod(s, NULL) == x);
	}
}

static void test_decimals(void **state)
{
	assert_string_equal(text(dec_i(12340, 2)), "123.40");
	assert_string_equal(text(dec_i(-5, 2)), "-0.05");
	assert_string_equal(text(dec_i(5, 0)), "5");
	assert_string_equal(text(dec_i(0, 3)), "0.000");
	assert_string_equal(text(dec_i(-12345, 2)), "-123.45");
	assert_string_equal(text(dec_i(INT64_MIN, 4)), "-922337203685477.5808");
	assert_string_equal(text(dec_i(7, 10)), "0.0000000007");
	assert_string_equal(json(dec_i(-5, 2)), "\"-0.05\"");

	/* 38 nines in 16 bytes */
	static const uint8_t max38[16] = { 0x4b, 0x3b, 0x4c, 0xa8, 0x5a, 0x86, 0xc4, 0x7a,
		                           0x09, 0x8a, 0x22, 0x3f, 0xff, 0xff, 0xff, 0xff };
	assert_string_equal(text(dec_b(max38, 16, 0)), "99999999999999999999999999999999999999");
	assert_string_equal(text(dec_b(max38, 16, 2)), "999999999999999999999999999999999999.99");
	assert_string_equal(text(dec_b(max38, 16, 38)), "0.99999999999999999999999999999999999999");
	/* -2^127 */
	static const uint8_t min128[16] = { 0x80 };
	assert_string_equal(text(dec_b(min128, 16, 0)), "-170141183460469231731687303715884105728");
	/* -12345 sign-extended over 16 bytes */
	uint8_t neg[16];
	memset(neg, 0xff, sizeof neg);
	neg[14] = 0xcf;
	neg[15] = 0xc7;
	assert_string_equal(text(dec_b(neg, 16, 2)), "-123.45");
	assert_string_equal(text(dec_b(neg, 16, 6)), "-0.012345");
	static const uint8_t m1[1] = { 0xff }, z3[3] = { 0, 0, 0 }, n5[2] = { 0xff, 0xfb },
	                     p128[2] = { 0x00, 0x80 };
	assert_string_equal(text(dec_b(m1, 1, 0)), "-1");
	assert_string_equal(text(dec_b(z3, 3, 2)), "0.00");
	assert_string_equal(text(dec_b(z3, 0, 0)), "0");
	assert_string_equal(text(dec_b(n5, 2, 2)), "-0.05");
	assert_string_equal(text(dec_b(p128, 2, 1)), "12.8");
	assert_string_equal(json(dec_b(max38, 16, 2)), "\"999999999999999999999999999999999999.99\"");

	/* 2^256 - 1 as 33 bytes (a leading zero keeps it positive) */
	uint8_t big[33];
	memset(big, 0xff, sizeof big);
	big[0] = 0;
	assert_string_equal(text(dec_b(big, 33, 0)),
	                    "115792089237316195423570985008687907853269984665640564039457584007913129639935");

	/* caps and bad scales are errors, and JSON stays well formed */
	static uint8_t huge[PV_CELL_MAX_DECIMAL_BYTES + 1];
	pv_value h = dec_b(huge, sizeof huge, 0);
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_err e;
	assert_int_equal(pv_cell_text(&h, &b, &e), PV_ELIMIT);
	pv_value s = dec_i(1, -1);
	assert_int_equal(pv_cell_text(&s, &b, &e), PV_ECORRUPT);
	s.scale = 100000;
	assert_int_equal(pv_cell_text(&s, &b, &e), PV_ECORRUPT);
	pv_buf_reset(&b);
	pv_json j;
	pv_json_init_buf(&j, &b, false);
	pv_json_array_begin(&j);
	assert_int_equal(pv_cell_json(&h, &j, &e), PV_ELIMIT);
	pv_json_array_end(&j);
	assert_string_equal(b.data, "[null]");
	pv_buf_release(&b);

	/* the largest allowed decimal is fine (and quick) */
	static uint8_t most[PV_CELL_MAX_DECIMAL_BYTES];
	memset(most, 0x7f, 1);
	memset(most + 1, 0xff, sizeof most - 1);
	const char *t = text(dec_b(most, sizeof most, 0));
	assert_true(strlen(t) > 2400);
}

static void test_dates(void **state)
{
	assert_string_equal(text(ival(PV_VAL_DATE, 0)), "1970-01-01");
	assert_string_equal(text(ival(PV_VAL_DATE, -1)), "1969-12-31");
	assert_string_equal(text(ival(PV_VAL_DATE, 19783)), "2024-03-01");
	assert_string_equal(text(ival(PV_VAL_DATE, 19782)), "2024-02-29");
	assert_string_equal(text(ival(PV_VAL_DATE, -719162)), "0001-01-01");
	assert_string_equal(text(ival(PV_VAL_DATE, 2932896)), "9999-12-31");
	assert_string_equal(text(ival(PV_VAL_DATE, 2932897)), "10000-01-01");
	/* year 0 is 1 BC (a leap year), DuckDB style */
	assert_string_equal(text(ival(PV_VAL_DATE, -719163)), "0001-12-31 (BC)");
	assert_string_equal(text(ival(PV_VAL_DATE, -719162 - 366)), "0001-01-01 (BC)");
	assert_string_equal(text(ival(PV_VAL_DATE, -719162 - 367)), "0002-12-31 (BC)");
	assert_string_equal(json(ival(PV_VAL_DATE, 19783)), "\"2024-03-01\"");
	assert_string_equal(json(ival(PV_VAL_DATE, -719163)), "\"0000-12-31\"");
	assert_string_equal(json(ival(PV_VAL_DATE, -719162 - 367)), "\"-0001-12-31\"");
	assert_string_equal(json(ival(PV_VAL_DATE, 2932897)), "\"+10000-01-01\"");

	/* the extremes of int64 do not crash and stay well formed */
	const char *s = text(ival(PV_VAL_DATE, INT64_MAX));
	assert_non_null(strstr(s, "-"));
	assert_null(strstr(s, "(BC)"));
	s = text(ival(PV_VAL_DATE, INT64_MIN));
	assert_non_null(strstr(s, "(BC)"));
	json(ival(PV_VAL_DATE, INT64_MIN));
	json(ival(PV_VAL_DATE, INT64_MAX));

	/* day after day, 1600..2400: always the next calendar day */
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 1600, m = 1, d = 1;
	for (int64_t day = -135140; day < 157054; day++) {
		char want[48];
		snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
		const char *got = text(ival(PV_VAL_DATE, day));
		if (strcmp(got, want) != 0)
			fail_msg("day %lld: got %s, want %s", (long long)day, got, want);
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (++d > mdays[m - 1] + (m == 2 && leap)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(y, 2400);
}

static void test_timestamps(void **state)
{
	/* 2024-01-02 03:04:05 in every unit, with and without fractions */
	const int64_t s = 1704164645;
	assert_string_equal(text(ts(s * 1000000 + 123456, PV_UNIT_MICROS, false)),
	                    "2024-01-02 03:04:05.123456");
	assert_string_equal(text(ts(s * 1000000 + 120000, PV_UNIT_MICROS, false)),
	                    "2024-01-02 03:04:05.12");
	assert_string_equal(text(ts(s * 1000000, PV_UNIT_MICROS, false)), "2024-01-02 03:04:05");
	assert_string_equal(text(ts(s * 1000 + 7, PV_UNIT_MILLIS, false)), "2024-01-02 03:04:05.007");
	assert_string_equal(text(ts(s * 1000, PV_UNIT_MILLIS, false)), "2024-01-02 03:04:05");
	assert_string_equal(text(ts(s * 1000000000 + 123456789, PV_UNIT_NANOS, false)),
	                    "2024-01-02 03:04:05.123456789");
	assert_string_equal(text(ts(s * 1000000000 + 1, PV_UNIT_NANOS, false)),
	                    "2024-01-02 03:04:05.000000001");
	assert_string_equal(text(ts(s * 1000000 + 123456, PV_UNIT_MICROS, true)),
	                    "2024-01-02 03:04:05.123456+00");
	assert_string_equal(json(ts(s * 1000000 + 123456, PV_UNIT_MICROS, true)),
	                    "\"2024-01-02T03:04:05.123456Z\"");
	assert_string_equal(json(ts(s * 1000, PV_UNIT_MILLIS, false)), "\"2024-01-02T03:04:05\"");

	/* before 1970, with fractions: floor, not truncation */
	assert_string_equal(text(ts(-1, PV_UNIT_MICROS, false)), "1969-12-31 23:59:59.999999");
	assert_string_equal(text(ts(-1500, PV_UNIT_MILLIS, false)), "1969-12-31 23:59:58.5");
	assert_string_equal(text(ts(-1, PV_UNIT_NANOS, false)), "1969-12-31 23:59:59.999999999");
	assert_string_equal(text(ts(-86400000000LL, PV_UNIT_MICROS, false)), "1969-12-31 00:00:00");
	/* the far ends */
	assert_string_equal(text(ts(INT64_MIN, PV_UNIT_NANOS, false)), "1677-09-21 00:12:43.145224192");
	assert_string_equal(text(ts(INT64_MAX, PV_UNIT_NANOS, false)), "2262-04-11 23:47:16.854775807");
	assert_string_equal(text(ts(-62135596800LL * 1000000 - 1, PV_UNIT_MICROS, false)),
	                    "0001-12-31 (BC) 23:59:59.999999");
	assert_string_equal(json(ts(-62135596800LL * 1000000 - 1, PV_UNIT_MICROS, true)),
	                    "\"0000-12-31T23:59:59.999999Z\"");
	text(ts(INT64_MIN, PV_UNIT_MILLIS, true));
	text(ts(INT64_MAX, PV_UNIT_MILLIS, true));
}

static void test_times_and_intervals(void **state)
{
	assert_string_equal(text(tm(3723004, PV_UNIT_MILLIS, false)), "01:02:03.004");
	assert_string_equal(text(tm(3723004, PV_UNIT_MILLIS, true)), "01:02:03.004+00");
	assert_string_equal(text(tm(3723000000LL, PV_UNIT_MICROS, false)), "01:02:03");
	assert_string_equal(text(tm(86399999999999LL, PV_UNIT_NANOS, false)), "23:59:59.999999999");
	assert_string_equal(text(tm(86400000000LL, PV_UNIT_MICROS, false)), "24:00:00");
	assert_string_equal(text(tm(-1000, PV_UNIT_MILLIS, false)), "-00:00:01");
	text(tm(INT64_MIN, PV_UNIT_NANOS, false));
	assert_string_equal(json(tm(3723004, PV_UNIT_MILLIS, true)), "\"01:02:03.004Z\"");

	assert_string_equal(text(interval(14, 3, 4)), "1 year 2 months 3 days 00:00:00.004");
	assert_string_equal(text(interval(1, 1, 0)), "1 month 1 day");
	assert_string_equal(text(interval(24, 0, 0)), "2 years");
	assert_string_equal(text(interval(0, 0, 3600000)), "01:00:00");
	assert_string_equal(text(interval(0, 0, 0)), "00:00:00");
	assert_string_equal(text(interval(UINT32_MAX, UINT32_MAX, UINT32_MAX)),
	                    "357913941 years 3 months 4294967295 days 1193:02:47.295");
	assert_string_equal(json(interval(0, 2, 0)), "\"2 days\"");
}

static void test_base64(void **state)
{
	static const char *const want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
		                            "Zm9vYmFy" };
	for (size_t n = 0; n <= 6; n++) {
		pv_buf b;
		pv_buf_init(&b, 0);
		assert_int_equal(pv_cell_base64("foobar", n, &b, NULL), 0);
		assert_string_equal(b.data, want[n]);
		pv_buf_release(&b);
	}
	uint8_t all[20];
	for (int i = 0; i < 20; i++)
		all[i] = (uint8_t)i;
	assert_string_equal(json(bval(PV_VAL_BINARY, all, 20)), "\"AAECAwQFBgcICQoLDA0ODxAREhM=\"");
	static const uint8_t hi[3] = { 0xfb, 0xff, 0xfe };
	assert_string_equal(json(bval(PV_VAL_BINARY, hi, 3)), "\"+//+\"");
}

static void test_units(void **state)
{
	char b[PV_UNITS_BUF];
	assert_string_equal(pv_units_bytes(0, b, sizeof b), "0 B");
	assert_string_equal(pv_units_bytes(999, b, sizeof b), "999 B");
	assert_string_equal(pv_units_bytes(1023, b, sizeof b), "1023 B");
	assert_string_equal(pv_units_bytes(1024, b, sizeof b), "1.00 KiB");
	assert_string_equal(pv_units_bytes(1536, b, sizeof b), "1.50 KiB");
	assert_string_equal(pv_units_bytes(12897485, b, sizeof b), "12.3 MiB");
	assert_string_equal(pv_units_bytes(123LL << 20, b, sizeof b), "123 MiB");
	assert_string_equal(pv_units_bytes(1048575, b, sizeof b), "1.00 MiB");
	assert_string_equal(pv_units_bytes(1LL << 30, b, sizeof b), "1.00 GiB");
	assert_string_equal(pv_units_bytes(-2048, b, sizeof b), "-2.00 KiB");
	assert_string_equal(pv_units_bytes(INT64_MAX, b, sizeof b), "8.00 EiB");
	assert_string_equal(pv_units_bytes(INT64_MIN, b, sizeof b), "-8.00 EiB");
	assert_string_equal(pv_units_count(0, b, sizeof b), "0");
	assert_string_equal(pv_units_count(999, b, sizeof b), "999");
	assert_string_equal(pv_units_count(1000, b, sizeof b), "1,000");
	assert_string_equal(pv_units_count(1234567, b, sizeof b), "1,234,567");
	assert_string_equal(pv_units_count(-1000, b, sizeof b), "-1,000");
	assert_string_equal(pv_units_count(INT64_MIN, b, sizeof b), "-9,223,372,036,854,775,808");
	assert_string_equal(pv_units_ratio(321, 100, b, sizeof b), "3.21x");
	assert_string_equal(pv_units_ratio(1, 0, b, sizeof b), "-");
	assert_string_equal(pv_units_percent(123, 1000, b, sizeof b), "12.3%");
	assert_string_equal(pv_units_percent(1, 0, b, sizeof b), "-");
	char tiny[4];
	assert_string_equal(pv_units_count(1234567, tiny, sizeof tiny), "1,2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_kinds),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_times_and_intervals),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
