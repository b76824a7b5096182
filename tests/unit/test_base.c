/*
 * test_base.c - unit tests for the base layer: errors, arena, buffers,
 * cursor, JSON writer and thread pool.
 */
#include "testutil.h"

#include <math.h>
#include <stdatomic.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/cursor.h"
#include "base/err.h"
#include "base/json.h"
#include "base/pool.h"
#include "base/spare.h"

static void test_err_prefix(void **state)
{
	pv_err e;
	pv_err_clear(&e);
	assert_int_equal(pv_err_set(&e, PV_ECORRUPT, "rle run exceeds page"), PV_ECORRUPT);
	pv_err_prefix(&e, "page %d", 12);
	pv_err_prefix(&e, "column '%s'", "price");
	assert_string_equal(e.msg, "column 'price': page 12: rle run exceeds page");
	assert_int_equal(e.code, PV_ECORRUPT);
	pv_err_set(&e, PV_EIO, "two\nlines");
	assert_string_equal(e.msg, "two lines");
	assert_int_equal(pv_err_set(NULL, PV_EIO, "x"), PV_EIO);
	assert_int_equal(pv_code_exit(PV_EINVAL), 2);
	assert_int_equal(pv_code_exit(PV_ECORRUPT), 3);
	assert_int_equal(pv_code_http(PV_ENOTFOUND), 404);
}

static void test_arena_cap(void **state)
{
	pv_arena a;
	pv_err e;
	pv_arena_init(&a, 100000);
	char *p = pv_arena_alloc(&a, 1000, &e);
	assert_non_null(p);
	assert_int_equal(p[999], 0);
	assert_null(pv_arena_alloc(&a, 200000, &e));
	assert_int_equal(e.code, PV_ELIMIT);
	assert_null(pv_arena_array(&a, SIZE_MAX / 2, 4, &e));
	assert_int_equal(e.code, PV_ELIMIT);
	char *s = pv_arena_strndup(&a, "hello world", 5, &e);
	assert_string_equal(s, "hello");
	char *f = pv_arena_printf(&a, &e, "%d-%s", 7, "x");
	assert_string_equal(f, "7-x");
	pv_arena_reset(&a);
	assert_int_equal(a.used, 0);
	for (int i = 0; i < 90; i++)
		assert_non_null(pv_arena_alloc(&a, 1000, &e));
	pv_arena_release(&a);
	pv_arena_release(NULL);
}

static void test_buf(void **state)
{
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 16);
	assert_int_equal(pv_buf_puts(&b, "0123456789", &e), 0);
	assert_int_equal(pv_buf_printf(&b, &e, "%d", 12345), 0);
	assert_string_equal(b.data, "012345678912345");
	assert_int_equal(pv_buf_puts(&b, "xx", &e), PV_ELIMIT);
	assert_int_equal(b.len, 15);
	size_t n;
	char *d = pv_buf_detach(&b, &n);
	assert_int_equal(n, 15);
	free(d);
	pv_buf_release(&b);
}

/* pv_buf_put_uvarint writes what pv_cursor_uvarint reads back. */
static void test_uvarint(void **state)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 150, 16383, 16384, UINT32_MAX, UINT64_MAX };
	static const size_t lens[] = { 1, 1, 1, 2, 2, 2, 3, 5, 10 };
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		size_t at = b.len;
		assert_int_equal(pv_buf_put_uvarint(&b, vals[i], &e), 0);
		assert_int_equal(b.len - at, lens[i]);
	}
	assert_memory_equal(b.data + 5, "\x96\x01", 2); /* 150, as test_cursor reads it */
	pv_cursor c = pv_cursor_make(b.data, b.len);
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		assert_true(pv_cursor_uvarint(&c) == vals[i]);
	assert_true(pv_cursor_ok(&c));
	assert_int_equal(pv_cursor_left(&c), 0);
	pv_buf_release(&b);

	pv_buf_init(&b, 2); /* a cap the varint does not fit */
	assert_int_equal(pv_buf_put_uvarint(&b, UINT32_MAX, &e), PV_ELIMIT);
	pv_buf_release(&b);
}

static void test_cursor(void **state)
{
	const uint8_t data[] = { 0x96, 0x01, 0x03, 0x78, 0x56, 0x34, 0x12, 0xff };
	pv_cursor c = pv_cursor_make(data, sizeof data);
	assert_int_equal(pv_cursor_uvarint(&c), 150);
	assert_int_equal(pv_cursor_zvarint(&c), -2);
	assert_int_equal(pv_cursor_u32le(&c), 0x12345678);
	assert_true(pv_cursor_ok(&c));
	assert_int_equal(pv_cursor_u32le(&c), 0); /* only one byte left */
	assert_false(pv_cursor_ok(&c));
	assert_int_equal(pv_cursor_left(&c), 1); /* a failed read moves nothing */

	const uint8_t endless[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	c = pv_cursor_make(endless, sizeof endless);
	pv_cursor_uvarint(&c);
	assert_false(pv_cursor_ok(&c));
}

static void test_json(void **state)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_json j;
	pv_json_init_buf(&j, &b, false);
	pv_json_object_begin(&j);
	pv_json_kstr(&j, "s", "a\"b\\c\n\x01\xff\xc3\xa9");
	pv_json_kint(&j, "i", -5);
	pv_json_key(&j, "a");
	pv_json_array_begin(&j);
	pv_json_double(&j, 0.1);
	pv_json_double(&j, NAN);
	pv_json_null(&j);
	pv_json_bool(&j, true);
	pv_json_array_end(&j);
	pv_json_key(&j, "e");
	pv_json_object_begin(&j);
	pv_json_object_end(&j);
	pv_json_object_end(&j);
	assert_int_equal(pv_json_finish(&j), 0);
	assert_string_equal(b.data, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\xc3\xa9\",\"i\":-5,"
				    "\"a\":[0.1,\"NaN\",null,true],\"e\":{}}\n");
	pv_buf_reset(&b);
	pv_json_init_buf(&j, &b, true);
	pv_json_object_begin(&j);
	pv_json_kint(&j, "n", 1);
	pv_json_object_end(&j);
	pv_json_finish(&j);
	assert_string_equal(b.data, "{\n  \"n\": 1\n}\n");
	pv_buf_release(&b);
}

/* The escape of s[0..n) without its quotes, into out. */
static void escape_bare(const char *s, size_t n, pv_buf *out)
{
	pv_buf t;
	pv_buf_init(&t, 0);
	assert_int_equal(pv_json_escape(&t, s, n, NULL), 0);
	assert_true(t.len >= 2);
	assert_int_equal(pv_buf_append(out, t.data + 1, t.len - 2, NULL), 0);
	pv_buf_release(&t);
}

/* Long strings (escaped eight bytes a step where they can be) escape as
 * the concatenation of their pieces escaped alone (too short for that). */
static void test_json_escape_runs(void **state)
{
	static const char *const units[] = {"a", " ", "~", "\"", "\\", "\n", "\x01", "\x1f",
					    "\x7f", "/", "\xc3\xa9", "\xff", "\xe2\x80\xa6", "\t"};
	size_t n_units = sizeof units / sizeof units[0];
	uint64_t seed = 12345;
	pv_buf in, want, got;
	pv_buf_init(&in, 0);
	pv_buf_init(&want, 0);
	pv_buf_init(&got, 0);
	for (int k = 0; k < 20000; k++) {
		pv_buf_reset(&in);
		pv_buf_reset(&want);
		pv_buf_reset(&got);
		size_t len = (size_t)(k % 70);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			/* mostly plain letters, so that long plain runs occur */
			size_t u = (seed >> 33) % 4 ? 0 : (size_t)(seed >> 40) % n_units;
			assert_int_equal(pv_buf_puts(&in, units[u], NULL), 0);
			escape_bare(units[u], strlen(units[u]), &want);
		}
		escape_bare(in.data ? in.data : "", in.len, &got);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data ? got.data : "", want.data ? want.data : "", got.len);
	}
	pv_buf_release(&in);
	pv_buf_release(&want);
	pv_buf_release(&got);
}

static atomic_int hits[1000];

static void bump(void *ctx, size_t i)
{
	atomic_fetch_add(&hits[i], 1);
}

static void test_pool(void **state)
{
	assert_int_equal(pv_pool_for(4, 1000, bump, NULL), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(hits[i], 1);
	assert_int_equal(pv_pool_for(0, 0, bump, NULL), 0);
}

/* The spare cache: a given buffer comes back for a request it fits
 * (contents kept by grow), never for one four times smaller, never below
 * PV_SPARE_MIN, and what does not fit is freed (ASan would see a leak). */
static void test_spare(void **state)
{
	(void)state;
	size_t cap;
	uint8_t *a = pv_spare_alloc(4 * PV_SPARE_MIN, &cap);
	assert_non_null(a);
	assert_true(cap >= 4 * PV_SPARE_MIN);
	memset(a, 7, cap);
	pv_spare_give(a, cap);
	size_t cap2;
	/* far smaller: not this buffer */
	uint8_t *small = pv_spare_alloc(PV_SPARE_MIN / 2, &cap2);
	assert_non_null(small);
	assert_ptr_not_equal(small, a);
	assert_int_equal(cap2, PV_SPARE_MIN / 2);
	/* fits: the same buffer, with its full size */
	uint8_t *b = pv_spare_alloc(3 * PV_SPARE_MIN, &cap2);
	assert_ptr_equal(b, a);
	assert_int_equal(cap2, cap);
	/* grow keeps the bytes in use */
	small[0] = 1;
	small[PV_SPARE_MIN / 2 - 1] = 2;
	size_t scap = PV_SPARE_MIN / 2;
	assert_int_equal(pv_spare_grow((void **)&small, &scap, PV_SPARE_MIN / 2, 2 * PV_SPARE_MIN), 0);
	assert_true(scap >= 2 * PV_SPARE_MIN);
	assert_int_equal(small[0], 1);
	assert_int_equal(small[PV_SPARE_MIN / 2 - 1], 2);
	/* enough already: unchanged */
	uint8_t *keep = small;
	assert_int_equal(pv_spare_grow((void **)&small, &scap, 1, PV_SPARE_MIN), 0);
	assert_ptr_equal(small, keep);
	pv_spare_give(small, scap);
	pv_spare_give(b, cap2);
	/* more buffers than slots: the rest are freed (ASan would see a leak
	 * or a double free) */
	uint8_t *many[PV_SPARE_SLOTS + 2];
	size_t caps[PV_SPARE_SLOTS + 2];
	for (int i = 0; i < PV_SPARE_SLOTS + 2; i++)
		assert_non_null(many[i] = pv_spare_alloc(PV_SPARE_MIN, &caps[i]));
	for (int i = 0; i < PV_SPARE_SLOTS + 2; i++)
		pv_spare_give(many[i], caps[i]);
	for (int i = 0; i < PV_SPARE_SLOTS + 2; i++)
		assert_non_null(many[i] = pv_spare_alloc(PV_SPARE_MIN, &caps[i]));
	for (int i = 0; i < PV_SPARE_SLOTS + 2; i++)
		pv_spare_give(many[i], caps[i]);
	pv_spare_give(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_prefix), cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_buf),        cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_json),       cmocka_unit_test(test_pool),
		cmocka_unit_test(test_json_escape_runs),
		cmocka_unit_test(test_uvarint),
		cmocka_unit_test(test_spare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
