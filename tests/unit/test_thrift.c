/*
 * test_thrift.c - the Thrift compact protocol reader and writer: every type
 * from hand-built bytes, field-id deltas and the long header form, unknown
 * field skipping, the caps (depth, list count, string length), sticky
 * errors and writer -> reader round trips.
 */
#include "testutil.h"

#include <math.h>

#include "base/arena.h"
#include "base/buf.h"
#include "format/thrift.h"

static void expect_field(pv_thrift_reader *r, int type, int16_t id)
{
	int t;
	int16_t i;
	assert_true(pv_thrift_field(r, &t, &i));
	assert_int_equal(t, type);
	assert_int_equal(i, id);
}

static void expect_stop(pv_thrift_reader *r)
{
	int t;
	int16_t i;
	assert_false(pv_thrift_field(r, &t, &i));
	assert_int_equal(pv_thrift_reader_status(r), PV_OK);
}

static void test_every_type(void **state)
{
	const uint8_t data[] = {
		0x13, 0x85,                               /* 1: i8 -123 */
		0x14, 0x03,                               /* 2: i16 -2 */
		0x15, 0xac, 0x02,                         /* 3: i32 150 */
		0x16, 0x01,                               /* 4: i64 -1 */
		0x17, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,       /* 5: double 1.5 */
		0x18, 0x03, 'a', 'b', 'c',                /* 6: binary "abc" */
		0x11,                                     /* 7: bool true */
		0x12,                                     /* 8: bool false */
		0x19, 0x35, 0x02, 0x04, 0x06,             /* 9: list<i32> {1,2,3} */
		0x1a, 0xf5, 0x14,                         /* 10: set<i32> of 20 zeros */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1b, 0x02, 0x58, 0x02, 0x01, 'x', 0x04, 0x00, /* 11: map<i32,binary> {1:"x",2:""} */
		0x1c, 0x15, 0x02, 0x00,                   /* 12: struct { 1: i32 1 } */
		0x05, 0xc8, 0x01, 0x0a,                   /* 100 (long form): i32 5 */
		0x1d, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, /* 101: uuid */
		0x00,
	};
	pv_err e;
	pv_thrift_reader r;
	pv_thrift_reader_init(&r, data, sizeof data, &e);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I8, 1);
	assert_int_equal(pv_thrift_read_i8(&r), -123);
	expect_field(&r, PV_THRIFT_I16, 2);
	assert_int_equal(pv_thrift_read_i16(&r), -2);
	expect_field(&r, PV_THRIFT_I32, 3);
	assert_int_equal(pv_thrift_read_i32(&r), 150);
	expect_field(&r, PV_THRIFT_I64, 4);
	assert_int_equal(pv_thrift_read_i64(&r), -1);
	expect_field(&r, PV_THRIFT_DOUBLE, 5);
	assert_true(pv_thrift_read_double(&r) == 1.5);
	expect_field(&r, PV_THRIFT_BINARY, 6);
	const uint8_t *p;
	size_t n;
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 3);
	expect_field(&r, PV_THRIFT_BOOL, 7);
	assert_true(pv_thrift_read_bool(&r));
	expect_field(&r, PV_THRIFT_BOOL, 8);
	assert_false(pv_thrift_read_bool(&r));
	expect_field(&r, PV_THRIFT_LIST, 9);
	int et, kt, vt;
	assert_true(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(et, PV_THRIFT_I32);
	assert_int_equal(n, 3);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(pv_thrift_read_i32(&r), i);
	expect_field(&r, PV_THRIFT_SET, 10);
	assert_true(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(n, 20);
	for (int i = 0; i < 20; i++)
		assert_int_equal(pv_thrift_read_i32(&r), 0);
	expect_field(&r, PV_THRIFT_MAP, 11);
	assert_true(pv_thrift_read_map(&r, &kt, &vt, &n));
	assert_int_equal(kt, PV_THRIFT_I32);
	assert_int_equal(vt, PV_THRIFT_BINARY);
	assert_int_equal(n, 2);
	assert_int_equal(pv_thrift_read_i32(&r), 1);
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(n, 1);
	assert_int_equal(pv_thrift_read_i32(&r), 2);
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(n, 0);
	expect_field(&r, PV_THRIFT_STRUCT, 12);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I32, 1);
	assert_int_equal(pv_thrift_read_i32(&r), 1);
	expect_stop(&r);
	pv_thrift_struct_end(&r);
	/* The delta base is restored after the nested struct: 100 uses the
	 * long form, then 101 is a delta of 1 from it. */
	expect_field(&r, PV_THRIFT_I32, 100);
	assert_int_equal(pv_thrift_read_i32(&r), 5);
	expect_field(&r, PV_THRIFT_UUID, 101);
	pv_thrift_skip(&r, PV_THRIFT_UUID);
	expect_stop(&r);
	pv_thrift_struct_end(&r);
	assert_int_equal(pv_thrift_reader_offset(&r), sizeof data);
}

static void test_bool_lists(void **state)
{
	/* Element type 1 (Java, C++) and 2 (the spec); values 1, 0 and 2. */
	const uint8_t a[] = { 0x31, 0x01, 0x00, 0x02 };
	const uint8_t b[] = { 0x22, 0x01, 0x02 };
	const uint8_t bad[] = { 0x11, 0x03 };
	pv_thrift_reader r;
	int et;
	size_t n;
	pv_thrift_reader_init(&r, a, sizeof a, NULL);
	assert_true(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(et, PV_THRIFT_BOOL);
	assert_int_equal(n, 3);
	assert_true(pv_thrift_read_bool(&r));
	assert_false(pv_thrift_read_bool(&r));
	assert_false(pv_thrift_read_bool(&r));
	assert_int_equal(pv_thrift_reader_status(&r), 0);
	pv_thrift_reader_init(&r, b, sizeof b, NULL);
	assert_true(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(et, PV_THRIFT_BOOL);
	assert_true(pv_thrift_read_bool(&r));
	assert_false(pv_thrift_read_bool(&r));
	pv_err e;
	pv_thrift_reader_init(&r, bad, sizeof bad, &e);
	assert_true(pv_thrift_read_list(&r, &et, &n));
	pv_thrift_read_bool(&r);
	assert_int_equal(pv_thrift_reader_status(&r), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "bool"));
}

static void test_negative_and_bad_ids(void **state)
{
	const uint8_t neg[] = { 0x05, 0x01, 0x00 }; /* long form, zigzag 1 = -1 */
	const uint8_t big[] = { 0x05, 0xfe, 0xff, 0x03, 0x00, 0x00 }; /* 32767 */
	const uint8_t over[] = { 0x05, 0xfe, 0xff, 0x03, 0x00, 0x15, 0x00 }; /* 32767, then +1 */
	const uint8_t badtype[] = { 0x1e, 0x00 };
	const uint8_t badstop[] = { 0x10 };
	pv_err e;
	pv_thrift_reader r;
	int t;
	int16_t id;

	pv_thrift_reader_init(&r, neg, sizeof neg, &e);
	pv_thrift_struct_begin(&r);
	assert_false(pv_thrift_field(&r, &t, &id));
	assert_int_equal(pv_thrift_reader_status(&r), PV_ECORRUPT);
	assert_string_equal(e.msg, "thrift field id -1 is negative");

	pv_thrift_reader_init(&r, big, sizeof big, &e);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I32, 32767);
	assert_int_equal(pv_thrift_read_i32(&r), 0);

	pv_thrift_reader_init(&r, over, sizeof over, &e);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I32, 32767);
	pv_thrift_read_i32(&r);
	assert_false(pv_thrift_field(&r, &t, &id));
	assert_int_equal(pv_thrift_reader_status(&r), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "out of range"));

	pv_thrift_reader_init(&r, badtype, sizeof badtype, &e);
	pv_thrift_struct_begin(&r);
	assert_false(pv_thrift_field(&r, &t, &id));
	assert_int_equal(pv_thrift_reader_status(&r), PV_ECORRUPT);
	assert_string_equal(e.msg, "thrift field 1 has unknown type 14");

	pv_thrift_reader_init(&r, badstop, sizeof badstop, &e);
	pv_thrift_struct_begin(&r);
	assert_false(pv_thrift_field(&r, &t, &id));
	assert_int_equal(pv_thrift_reader_status(&r), PV_ECORRUPT);
}

static void test_skip_unknown(void **state)
{
	/* struct { 1: i32 7; 5: struct { 1: list<struct{1: map<binary,list<i64>>}>;
	 *   2: bool; 3: double; 4: set<binary> }; 6: i32 9 } where the reader
	 * knows only 1 and 6. */
	const uint8_t data[] = {
		0x15, 0x0e,
		0x4c,
		  0x19, 0x1c,
		    0x1b, 0x01, 0x89, 0x01, 'k', 0x26, 0x02, 0x03, 0x00,
		  0x11,
		  0x17, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
		  0x1a, 0x28, 0x00, 0x01, 'z',
		  0x00,
		0x15, 0x12,
		0x00,
	};
	pv_thrift_reader r;
	pv_thrift_reader_init(&r, data, sizeof data, NULL);
	pv_thrift_struct_begin(&r);
	int t;
	int16_t id;
	int32_t a = 0, b = 0;
	while (pv_thrift_field(&r, &t, &id)) {
		if (id == 1 && t == PV_THRIFT_I32)
			a = pv_thrift_read_i32(&r);
		else if (id == 6 && t == PV_THRIFT_I32)
			b = pv_thrift_read_i32(&r);
		else
			pv_thrift_skip(&r, t);
	}
	pv_thrift_struct_end(&r);
	assert_int_equal(pv_thrift_reader_status(&r), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 9);
	assert_int_equal(pv_thrift_reader_offset(&r), sizeof data);
}

static void test_depth_bombs(void **state)
{
	/* 100 nested structs: field 1 of type struct, again and again. */
	uint8_t s[201];
	for (int i = 0; i < 100; i++)
		s[i] = 0x1c;
	memset(s + 100, 0, 101);
	pv_err e;
	pv_thrift_reader r;
	pv_thrift_reader_init(&r, s, sizeof s, &e);
	pv_thrift_skip(&r, PV_THRIFT_STRUCT);
	assert_int_equal(pv_thrift_reader_status(&r), PV_ELIMIT);
	assert_string_equal(e.msg, "thrift struct nested deeper than 64");

	/* 100 nested lists of one list each. */
	uint8_t l[101];
	for (int i = 0; i < 100; i++)
		l[i] = 0x19;
	l[100] = 0x00;
	pv_thrift_reader_init(&r, l, sizeof l, &e);
	pv_thrift_skip(&r, PV_THRIFT_LIST);
	assert_int_equal(pv_thrift_reader_status(&r), PV_ELIMIT);
	assert_non_null(strstr(e.msg, "nested deeper than 64"));

	/* 60 levels are fine. */
	uint8_t ok[121];
	for (int i = 0; i < 60; i++)
		ok[i] = 0x1c;
	memset(ok + 60, 0, 61);
	pv_thrift_reader_init(&r, ok, sizeof ok, &e);
	pv_thrift_skip(&r, PV_THRIFT_STRUCT);
	assert_int_equal(pv_thrift_reader_status(&r), 0);
	assert_int_equal(pv_thrift_reader_offset(&r), sizeof ok);
}

static void test_count_caps(void **state)
{
	pv_err e;
	pv_thrift_reader r;
	int et;
	size_t n;
	const uint8_t huge[] = { 0xf5, 0xff, 0xff, 0xff, 0xff, 0x0f };
	pv_thrift_reader_init(&r, huge, sizeof huge, &e);
	assert_false(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(e.code, PV_ELIMIT);
	assert_string_equal(e.msg, "thrift list of 4294967295 elements exceeds the cap of 16777216");
	assert_false(r.truncated);

	/* Under the cap but more elements than bytes: truncated. */
	const uint8_t many[] = { 0xf5, 0x80, 0x80, 0x04, 0x00, 0x00 };
	pv_thrift_reader_init(&r, many, sizeof many, &e);
	assert_false(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_true(r.truncated);

	const uint8_t bigmap[] = { 0xff, 0xff, 0xff, 0xff, 0x07, 0x55 };
	pv_thrift_reader_init(&r, bigmap, sizeof bigmap, &e);
	int kt, vt;
	assert_false(pv_thrift_read_map(&r, &kt, &vt, &n));
	assert_int_equal(e.code, PV_ELIMIT);

	const uint8_t longstr[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	const uint8_t *p;
	pv_thrift_reader_init(&r, longstr, sizeof longstr, &e);
	assert_false(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(e.code, PV_ELIMIT);
	assert_null(p);

	const uint8_t shortstr[] = { 0x10, 'a', 'b' };
	pv_thrift_reader_init(&r, shortstr, sizeof shortstr, &e);
	assert_false(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_true(r.truncated);
	assert_string_equal(e.msg, "thrift string of 16 bytes runs past the end of the data");

	/* An empty list may leave its element type 0. */
	const uint8_t empty[] = { 0x00 };
	pv_thrift_reader_init(&r, empty, sizeof empty, &e);
	assert_true(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(n, 0);

	const uint8_t badelem[] = { 0x10 };
	pv_thrift_reader_init(&r, badelem, sizeof badelem, &e);
	assert_false(pv_thrift_read_list(&r, &et, &n));
	assert_int_equal(e.code, PV_ECORRUPT);
}

static void test_varints_and_truncation(void **state)
{
	pv_err e;
	pv_thrift_reader r;
	/* Cut off inside a varint: truncated. */
	const uint8_t cut[] = { 0x80, 0x80 };
	pv_thrift_reader_init(&r, cut, sizeof cut, &e);
	pv_thrift_read_i64(&r);
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_true(r.truncated);

	/* Eleven continuation bytes: malformed, not truncated. */
	uint8_t longv[12];
	memset(longv, 0xff, sizeof longv);
	pv_thrift_reader_init(&r, longv, sizeof longv, &e);
	pv_thrift_read_i64(&r);
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_false(r.truncated);
	assert_non_null(strstr(e.msg, "malformed"));

	/* An i32 whose varint holds a 64-bit value. */
	const uint8_t wide[] = { 0x80, 0x80, 0x80, 0x80, 0x20 };
	pv_thrift_reader_init(&r, wide, sizeof wide, &e);
	pv_thrift_read_i32(&r);
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "i32"));

	/* A double with 3 bytes left. */
	const uint8_t d[] = { 1, 2, 3 };
	pv_thrift_reader_init(&r, d, sizeof d, &e);
	pv_thrift_read_double(&r);
	assert_true(r.truncated);

	/* Errors are sticky: later reads give zero and keep the first error. */
	int32_t v = pv_thrift_read_i32(&r);
	assert_int_equal(v, 0);
	assert_true(r.truncated);
	assert_non_null(strstr(e.msg, "double"));

	/* Structs ending early. */
	const uint8_t s[] = { 0x15, 0x02 };
	pv_thrift_reader_init(&r, s, sizeof s, &e);
	pv_thrift_skip(&r, PV_THRIFT_STRUCT);
	assert_int_equal(e.code, PV_ECORRUPT);
	assert_true(r.truncated);
}

static void test_round_trip(void **state)
{
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	pv_thrift_writer w;
	pv_thrift_writer_init(&w, &b, &e);
	pv_thrift_write_struct_begin(&w);
	pv_thrift_write_field(&w, PV_THRIFT_I8, 1);
	pv_thrift_write_i8(&w, INT8_MIN);
	pv_thrift_write_field(&w, PV_THRIFT_I16, 16);
	pv_thrift_write_i16(&w, INT16_MIN);
	pv_thrift_write_field_i32(&w, 17, INT32_MIN);
	pv_thrift_write_field_i64(&w, 300, INT64_MIN);
	pv_thrift_write_field_i64(&w, 301, INT64_MAX);
	pv_thrift_write_field(&w, PV_THRIFT_DOUBLE, 302);
	pv_thrift_write_double(&w, -INFINITY);
	pv_thrift_write_field_bool(&w, 303, true);
	pv_thrift_write_field_bool(&w, 304, false);
	pv_thrift_write_field_string(&w, 305, "");
	pv_thrift_write_field_binary(&w, 306, "a\0b", 3);
	for (int16_t id = 400; id < 403; id++) {
		size_t n = (size_t)(14 + id - 400); /* 14, 15, 16: both header forms */
		pv_thrift_write_field(&w, PV_THRIFT_LIST, id);
		pv_thrift_write_list_begin(&w, PV_THRIFT_BOOL, n);
		for (size_t i = 0; i < n; i++)
			pv_thrift_write_bool(&w, i % 3 == 0);
	}
	pv_thrift_write_field(&w, PV_THRIFT_MAP, 500);
	pv_thrift_write_map_begin(&w, PV_THRIFT_BINARY, PV_THRIFT_I32, 0);
	pv_thrift_write_field(&w, PV_THRIFT_MAP, 501);
	pv_thrift_write_map_begin(&w, PV_THRIFT_BINARY, PV_THRIFT_I32, 1);
	pv_thrift_write_string(&w, "k");
	pv_thrift_write_i32(&w, -7);
	pv_thrift_write_field(&w, PV_THRIFT_STRUCT, 502);
	pv_thrift_write_struct_begin(&w);
	pv_thrift_write_field_i32(&w, 32767, 42);
	pv_thrift_write_struct_end(&w);
	pv_thrift_write_field_i32(&w, 503, 1);
	pv_thrift_write_struct_end(&w);
	assert_int_equal(pv_thrift_writer_status(&w), 0);

	pv_thrift_reader r;
	pv_thrift_reader_init(&r, (const uint8_t *)b.data, b.len, &e);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I8, 1);
	assert_int_equal(pv_thrift_read_i8(&r), INT8_MIN);
	expect_field(&r, PV_THRIFT_I16, 16);
	assert_int_equal(pv_thrift_read_i16(&r), INT16_MIN);
	expect_field(&r, PV_THRIFT_I32, 17);
	assert_int_equal(pv_thrift_read_i32(&r), INT32_MIN);
	expect_field(&r, PV_THRIFT_I64, 300);
	assert_true(pv_thrift_read_i64(&r) == INT64_MIN);
	expect_field(&r, PV_THRIFT_I64, 301);
	assert_true(pv_thrift_read_i64(&r) == INT64_MAX);
	expect_field(&r, PV_THRIFT_DOUBLE, 302);
	assert_true(isinf(pv_thrift_read_double(&r)));
	expect_field(&r, PV_THRIFT_BOOL, 303);
	assert_true(pv_thrift_read_bool(&r));
	expect_field(&r, PV_THRIFT_BOOL, 304);
	assert_false(pv_thrift_read_bool(&r));
	const uint8_t *p;
	size_t n;
	expect_field(&r, PV_THRIFT_BINARY, 305);
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(n, 0);
	expect_field(&r, PV_THRIFT_BINARY, 306);
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(p, "a\0b", 3);
	for (int16_t id = 400; id < 403; id++) {
		int et;
		expect_field(&r, PV_THRIFT_LIST, id);
		assert_true(pv_thrift_read_list(&r, &et, &n));
		assert_int_equal(et, PV_THRIFT_BOOL);
		assert_int_equal(n, (size_t)(14 + id - 400));
		for (size_t i = 0; i < n; i++)
			assert_int_equal(pv_thrift_read_bool(&r), i % 3 == 0);
	}
	int kt, vt;
	expect_field(&r, PV_THRIFT_MAP, 500);
	assert_true(pv_thrift_read_map(&r, &kt, &vt, &n));
	assert_int_equal(n, 0);
	expect_field(&r, PV_THRIFT_MAP, 501);
	assert_true(pv_thrift_read_map(&r, &kt, &vt, &n));
	assert_int_equal(n, 1);
	assert_int_equal(kt, PV_THRIFT_BINARY);
	assert_int_equal(vt, PV_THRIFT_I32);
	assert_true(pv_thrift_read_binary(&r, &p, &n));
	assert_int_equal(pv_thrift_read_i32(&r), -7);
	expect_field(&r, PV_THRIFT_STRUCT, 502);
	pv_thrift_struct_begin(&r);
	expect_field(&r, PV_THRIFT_I32, 32767);
	assert_int_equal(pv_thrift_read_i32(&r), 42);
	expect_stop(&r);
	pv_thrift_struct_end(&r);
	expect_field(&r, PV_THRIFT_I32, 503);
	assert_int_equal(pv_thrift_read_i32(&r), 1);
	expect_stop(&r);
	pv_thrift_struct_end(&r);
	assert_int_equal(pv_thrift_reader_offset(&r), b.len);

	/* Deltas: 1 then 20 uses the long form; 20 then 21 the short one. */
	pv_buf_reset(&b);
	pv_thrift_writer_init(&w, &b, &e);
	pv_thrift_write_struct_begin(&w);
	pv_thrift_write_field_i32(&w, 1, 0);
	pv_thrift_write_field_i32(&w, 20, 0);
	pv_thrift_write_field_i32(&w, 21, 0);
	pv_thrift_write_field_i32(&w, 5, 0); /* going down: long form */
	pv_thrift_write_struct_end(&w);
	const uint8_t want[] = { 0x15, 0x00, 0x05, 0x28, 0x00, 0x15, 0x00, 0x05, 0x0a, 0x00, 0x00 };
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);

	pv_thrift_write_field_i32(&w, -1, 0);
	assert_int_equal(pv_thrift_writer_status(&w), PV_EINVAL);
	pv_buf_release(&b);
}

static void test_writer_cap(void **state)
{
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 8);
	pv_thrift_writer w;
	pv_thrift_writer_init(&w, &b, &e);
	pv_thrift_write_struct_begin(&w);
	pv_thrift_write_field_string(&w, 1, "much too long for eight bytes");
	pv_thrift_write_struct_end(&w);
	assert_int_equal(pv_thrift_writer_status(&w), PV_ELIMIT);
	pv_buf_release(&b);
}

static void test_arena_helpers(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_thrift_reader r;
	/* list<i64>{-1, 5}, list<binary>{"ab"}, list<bool>{t,f}, list<i32> read
	 * as list<i64> (skipped, false), then i32 3 still readable. */
	const uint8_t data[] = { 0x26, 0x01, 0x0a, 0x18, 0x02, 'a', 'b', 0x21, 0x01, 0x02,
				 0x25, 0x02, 0x04, 0x06 };
	pv_thrift_reader_init(&r, data, sizeof data, &e);
	int64_t *v64;
	size_t n;
	assert_true(pv_thrift_read_i64_list(&r, &a, &v64, &n));
	assert_int_equal(n, 2);
	assert_int_equal(v64[0], -1);
	assert_int_equal(v64[1], 5);
	const char **s;
	assert_true(pv_thrift_read_string_list(&r, &a, &s, &n));
	assert_int_equal(n, 1);
	assert_string_equal(s[0], "ab");
	bool *bl;
	assert_true(pv_thrift_read_bool_list(&r, &a, &bl, &n));
	assert_int_equal(n, 2);
	assert_true(bl[0]);
	assert_false(bl[1]);
	assert_false(pv_thrift_read_i64_list(&r, &a, &v64, &n));
	assert_int_equal(pv_thrift_reader_status(&r), 0);
	assert_int_equal(pv_thrift_read_i32(&r), 3);
	assert_int_equal(pv_thrift_reader_offset(&r), sizeof data);

	/* Arena exhaustion becomes the reader's error. */
	pv_arena small;
	pv_arena_init(&small, 64);
	const uint8_t many[] = { 0xf6, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	pv_thrift_reader_init(&r, many, sizeof many, &e);
	assert_false(pv_thrift_read_i64_list(&r, &small, &v64, &n));
	assert_int_equal(pv_thrift_reader_status(&r), PV_ELIMIT);
	assert_int_equal(e.code, PV_ELIMIT);
	pv_arena_release(&small);
	pv_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_bool_lists),
		cmocka_unit_test(test_negative_and_bad_ids),
		cmocka_unit_test(test_skip_unknown),
		cmocka_unit_test(test_depth_bombs),
		cmocka_unit_test(test_count_caps),
		cmocka_unit_test(test_varints_and_truncation),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writer_cap),
		cmocka_unit_test(test_arena_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
