/*
 * test_hive.c - unit tests for hive partitions: parsing key=value
 * directories, URL decoding, NULL partitions, type inference across files,
 * conversion to values and the per-dataset column summary.
 */
#include "testutil.h"

#include "base/arena.h"
#include "dataset/hive.h"

static void test_parse(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_hive_kv *kv;
	size_t n;

	assert_int_equal(pv_hive_parse("date=2024-01-01/source=web/part-0.parquet", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(kv[0].key, "date");
	assert_string_equal(kv[0].value, "2024-01-01");
	assert_string_equal(kv[1].key, "source");
	assert_string_equal(kv[1].value, "web");

	/* the file name is never a partition, even with '=' in it */
	assert_int_equal(pv_hive_parse("a=1.parquet", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(kv);
	assert_int_equal(pv_hive_parse("", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 0);

	/* segments without '=' or with an empty key are skipped */
	assert_int_equal(pv_hive_parse("year2024/=x/k=v/sub/f.parquet", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(kv[0].key, "k");
	assert_string_equal(kv[0].value, "v");

	/* the value may contain '=' */
	assert_int_equal(pv_hive_parse("expr=a=b/f.parquet", &a, &kv, &n, &e), 0);
	assert_string_equal(kv[0].value, "a=b");

	/* a repeated key: the deepest wins */
	assert_int_equal(pv_hive_parse("k=1/k=2/f.parquet", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(kv[0].value, "2");
	pv_arena_release(&a);
}

static void test_decode_and_null(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_hive_kv *kv;
	size_t n;

	assert_int_equal(pv_hive_parse("ts=2024-01-01 10%3A00%3A00/city=S%C3%A3o%20Paulo/"
	                               "k%2Fey=100%25/bad=%zz%4/nul=a%00b/f.parquet",
	                               &a, &kv, &n, &e),
	                 0);
	assert_int_equal(n, 5);
	assert_string_equal(kv[0].value, "2024-01-01 10:00:00");
	assert_string_equal(kv[1].value, "São Paulo");
	assert_string_equal(kv[2].key, "k/ey");
	assert_string_equal(kv[2].value, "100%");
	assert_string_equal(kv[3].value, "%zz%4"); /* malformed escapes stay */
	assert_string_equal(kv[4].value, "a%00b"); /* no NUL inside a C string */

	assert_int_equal(pv_hive_parse("a=__HIVE_DEFAULT_PARTITION__/b=/c=x/f.parquet", &a, &kv, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_null(kv[0].value);
	assert_null(kv[1].value);
	assert_string_equal(kv[2].value, "x");

	/* the arena cap turns into an error, not a crash */
	pv_arena small;
	pv_arena_init(&small, 64);
	assert_int_equal(pv_hive_parse("aaaaaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/"
	                               "cccccccccccccccccc=dddddddddddddddddddd/f",
	                               &small, &kv, &n, &e),
	                 PV_ELIMIT);
	pv_arena_release(&small);
	pv_arena_release(&a);
}

#define INFER(...) \
	pv_hive_infer((const char *const[]){ __VA_ARGS__ }, \
	              sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static void test_infer(void **state)
{
	assert_int_equal(INFER("1", "2", "-30"), PV_HIVE_BIGINT);
	assert_int_equal(INFER("9223372036854775807", "-9223372036854775808"), PV_HIVE_BIGINT);
	assert_int_equal(INFER("9223372036854775808"), PV_HIVE_DOUBLE); /* too big for int64 */
	assert_int_equal(INFER("1", "2.5"), PV_HIVE_DOUBLE);
	assert_int_equal(INFER("1e3", "-.5"), PV_HIVE_DOUBLE);
	assert_int_equal(INFER("007"), PV_HIVE_STRING); /* the zeros mean something */
	assert_int_equal(INFER("0", "0.5", "-0.25"), PV_HIVE_DOUBLE);
	assert_int_equal(INFER("00a7"), PV_HIVE_STRING);
	assert_int_equal(INFER("nan"), PV_HIVE_STRING);
	assert_int_equal(INFER("inf"), PV_HIVE_STRING);
	assert_int_equal(INFER("0x10"), PV_HIVE_STRING);
	assert_int_equal(INFER(" 1"), PV_HIVE_STRING);
	assert_int_equal(INFER("1e999"), PV_HIVE_STRING); /* not finite */
	assert_int_equal(INFER("2024-01-01", "2023-12-31"), PV_HIVE_DATE);
	assert_int_equal(INFER("2024-02-29"), PV_HIVE_DATE);
	assert_int_equal(INFER("2023-02-29"), PV_HIVE_STRING); /* no such day */
	assert_int_equal(INFER("2024-13-01"), PV_HIVE_STRING);
	assert_int_equal(INFER("2024-1-01"), PV_HIVE_STRING);
	assert_int_equal(INFER("2024-01-01 10:00:00", "2024-01-01T23:59:59.123456"), PV_HIVE_TIMESTAMP);
	assert_int_equal(INFER("2024-01-01", "2024-01-01 10:00:00"), PV_HIVE_TIMESTAMP);
	assert_int_equal(INFER("2024-01-01 24:00:00"), PV_HIVE_STRING);
	assert_int_equal(INFER("2024-01-01 10:00:00.1234567"), PV_HIVE_STRING);
	assert_int_equal(INFER("2024-01-01 10:00"), PV_HIVE_STRING);
	assert_int_equal(INFER("true", "FALSE", "True"), PV_HIVE_BOOLEAN);
	assert_int_equal(INFER("true", "1"), PV_HIVE_STRING);
	assert_int_equal(INFER("1", "2024-01-01"), PV_HIVE_STRING);
	assert_int_equal(INFER("web", "app"), PV_HIVE_STRING);
	/* NULLs fit anything; all NULL is a string column */
	assert_int_equal(INFER(NULL, "3", NULL), PV_HIVE_BIGINT);
	assert_int_equal(INFER(NULL, "2024-01-01"), PV_HIVE_DATE);
	assert_int_equal(INFER(NULL, NULL), PV_HIVE_STRING);
	assert_int_equal(pv_hive_infer(NULL, 0), PV_HIVE_STRING);

	assert_string_equal(pv_hive_type_name(PV_HIVE_BIGINT), "BIGINT");
	assert_string_equal(pv_hive_type_name(PV_HIVE_STRING), "VARCHAR");
	assert_string_equal(pv_hive_type_name(PV_HIVE_TIMESTAMP), "TIMESTAMP");
}

static void test_value(void **state)
{
	pv_value v;
	pv_err e;
	assert_int_equal(pv_hive_value("-42", PV_HIVE_BIGINT, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_INT);
	assert_int_equal(v.i, -42);
	assert_int_equal(pv_hive_value("-9223372036854775808", PV_HIVE_BIGINT, &v, &e), 0);
	assert_true(v.i == INT64_MIN);
	assert_int_equal(pv_hive_value("2.5", PV_HIVE_DOUBLE, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_FLOAT);
	assert_true(v.f == 2.5);
	assert_int_equal(pv_hive_value("7", PV_HIVE_DOUBLE, &v, &e), 0);
	assert_true(v.f == 7.0);

	assert_int_equal(pv_hive_value("1970-01-01", PV_HIVE_DATE, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_DATE);
	assert_int_equal(v.i, 0);
	assert_int_equal(pv_hive_value("2024-03-01", PV_HIVE_DATE, &v, &e), 0);
	assert_int_equal(v.i, 19783);
	assert_int_equal(pv_hive_value("1969-12-31", PV_HIVE_DATE, &v, &e), 0);
	assert_int_equal(v.i, -1);
	assert_int_equal(pv_hive_value("0001-01-01", PV_HIVE_DATE, &v, &e), 0);
	assert_int_equal(v.i, -719162);

	assert_int_equal(pv_hive_value("2024-01-02 03:04:05.5", PV_HIVE_TIMESTAMP, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_TIMESTAMP);
	assert_int_equal(v.unit, PV_UNIT_MICROS);
	assert_false(v.utc);
	assert_int_equal(v.i, 1704164645500000LL);
	assert_int_equal(pv_hive_value("2024-01-02", PV_HIVE_TIMESTAMP, &v, &e), 0);
	assert_int_equal(v.i, 1704153600000000LL);
	assert_int_equal(pv_hive_value("1969-12-31 23:59:59.999999", PV_HIVE_TIMESTAMP, &v, &e), 0);
	assert_int_equal(v.i, -1);

	assert_int_equal(pv_hive_value("TRUE", PV_HIVE_BOOLEAN, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_BOOL);
	assert_true(v.b);
	assert_int_equal(pv_hive_value("false", PV_HIVE_BOOLEAN, &v, &e), 0);
	assert_false(v.b);

	const char *s = "web";
	assert_int_equal(pv_hive_value(s, PV_HIVE_STRING, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_STRING);
	assert_ptr_equal(v.bytes.ptr, s);
	assert_int_equal(v.bytes.len, 3);

	assert_int_equal(pv_hive_value(NULL, PV_HIVE_BIGINT, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_NULL);

	assert_int_equal(pv_hive_value("abc", PV_HIVE_BIGINT, &v, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'abc' is not a BIGINT");
	assert_int_equal(pv_hive_value("2024-01-01 10:00:00", PV_HIVE_DATE, &v, &e), PV_EINVAL);
	assert_int_equal(pv_hive_value("yes", PV_HIVE_BOOLEAN, &v, NULL), PV_EINVAL);
	assert_int_equal(v.kind, PV_VAL_NULL);
}

static void test_columns(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	static const char *const rel[] = {
		"year=2023/month=12/src=web/f1.parquet",
		"month=1/year=2024/src=app/f2.parquet", /* another key order */
		"year=2024/month=__HIVE_DEFAULT_PARTITION__/src=web/f3.parquet",
		"year=2024/month=2/extra=x/src=web/f4.parquet",
	};
	pv_hive_kv *kvs[4];
	size_t n_kvs[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pv_hive_parse(rel[i], &a, &kvs[i], &n_kvs[i], &e), 0);
	pv_hive_column *cols;
	size_t n;
	bool partial;
	assert_int_equal(pv_hive_columns(kvs, n_kvs, 4, &a, &cols, &n, &partial, &e), 0);
	assert_int_equal(n, 4);
	assert_true(partial);
	assert_string_equal(cols[0].key, "year");
	assert_int_equal(cols[0].type, PV_HIVE_BIGINT);
	assert_false(cols[0].partial);
	assert_string_equal(cols[1].key, "month");
	assert_int_equal(cols[1].type, PV_HIVE_BIGINT);
	assert_false(cols[1].partial);
	assert_string_equal(cols[2].key, "src");
	assert_int_equal(cols[2].type, PV_HIVE_STRING);
	assert_string_equal(cols[3].key, "extra");
	assert_true(cols[3].partial);

	/* consistent keys: no flag */
	assert_int_equal(pv_hive_columns(kvs, n_kvs, 2, &a, &cols, &n, &partial, &e), 0);
	assert_int_equal(n, 3);
	assert_false(partial);

	/* no partitions at all */
	pv_hive_kv *none[1] = { NULL };
	size_t zero[1] = { 0 };
	assert_int_equal(pv_hive_columns(none, zero, 1, &a, &cols, &n, &partial, &e), 0);
	assert_int_equal(n, 0);
	assert_null(cols);
	assert_false(partial);
	pv_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_decode_and_null),
		cmocka_unit_test(test_infer),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
