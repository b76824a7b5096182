/*
 * test_rows.c - unit tests for the row writers (render/rows.h): Arrow
 * batches built by hand from C arrays, written as CSV, JSON lines, JSON,
 * tables, Markdown and vertical records, compared with golden text.
 * Covers every supported type, slices and nulls at each nesting level,
 * dictionaries, extension types, empty batches, fitting and bad batches.
 */
#include "testutil.h"

#include <math.h>

#include "base/arrowc.h"
#include "render/rows.h"
#include "render/term.h"
#include "render/width.h"

/* ---- memory: everything a test makes is freed by teardown ---- */

#define MAX_KEPT 16384
static void *kept[MAX_KEPT];
static size_t n_kept;

static void *keep(void *p)
{
	assert_non_null(p);
	assert_true(n_kept < MAX_KEPT);
	kept[n_kept++] = p;
	return p;
}

static void *mk(size_t n)
{
	return keep(calloc(1, n ? n : 1));
}

static void *dup_mem(const void *p, size_t n)
{
	void *q = mk(n);
	if (n)
		memcpy(q, p, n);
	return q;
}

static char *dup_str(const char *s)
{
	return dup_mem(s, strlen(s) + 1);
}

static int teardown(void **state)
{
	for (size_t k = 0; k < n_kept; k++)
		free(kept[k]);
	n_kept = 0;
	return 0;
}

/* ---- Arrow arrays from C arrays ---- */

static void release_schema(struct ArrowSchema *s)
{
	s->release = NULL;
}

static void release_array(struct ArrowArray *a)
{
	a->release = NULL;
}

typedef struct col {
	struct ArrowSchema *s;
	struct ArrowArray *a;
} col;

static col make(const char *format, const char *name, int64_t length, int64_t n_buffers,
		int64_t n_children)
{
	col c;
	c.s = mk(sizeof *c.s);
	c.a = mk(sizeof *c.a);
	c.s->format = dup_str(format);
	c.s->name = dup_str(name ? name : "");
	c.s->flags = ARROW_FLAG_NULLABLE;
	c.s->n_children = n_children;
	c.s->children = n_children ? mk((size_t)n_children * sizeof(void *)) : NULL;
	c.s->release = release_schema;
	c.a->length = length;
	c.a->n_buffers = n_buffers;
	c.a->buffers = mk((size_t)(n_buffers ? n_buffers : 1) * sizeof(void *));
	c.a->n_children = n_children;
	c.a->children = n_children ? mk((size_t)n_children * sizeof(void *)) : NULL;
	c.a->release = release_array;
	return c;
}

/* valid: one '1' (valid) or '0' (null) per element; NULL for no bitmap */
static void set_valid(col c, const char *valid)
{
	if (!valid)
		return;
	size_t n = strlen(valid);
	uint8_t *bits = mk(n / 8 + 1);
	int64_t nulls = 0;
	for (size_t k = 0; k < n; k++) {
		if (valid[k] == '1')
			bits[k / 8] |= (uint8_t)(1u << (k % 8));
		else
			nulls++;
	}
	c.a->buffers[0] = bits;
	c.a->null_count = nulls;
}

static void set_child(col parent, int k, col child)
{
	parent.s->children[k] = child.s;
	parent.a->children[k] = child.a;
}

static col prim(const char *format, const char *name, const void *data, size_t width, size_t n,
		const char *valid)
{
	col c = make(format, name, (int64_t)n, 2, 0);
	c.a->buffers[1] = dup_mem(data, width * n);
	set_valid(c, valid);
	return c;
}

#define PRIM(fmt, T, name, valid, ...)                                                             \
	prim(fmt, name, (T[]){__VA_ARGS__}, sizeof(T), sizeof((T[]){__VA_ARGS__}) / sizeof(T),     \
	     valid)

static col bools(const char *name, const char *bits, const char *valid)
{
	size_t n = strlen(bits);
	col c = make("b", name, (int64_t)n, 2, 0);
	uint8_t *b = mk(n / 8 + 1);
	for (size_t k = 0; k < n; k++)
		if (bits[k] == '1')
			b[k / 8] |= (uint8_t)(1u << (k % 8));
	c.a->buffers[1] = b;
	set_valid(c, valid);
	return c;
}

/* Strings or binaries ("u", "U", "z", "Z"); a NULL entry is a null. */
static col strs_n(const char *format, const char *name, const char *const *v, size_t n)
{
	bool large = format[0] == 'U' || format[0] == 'Z';
	col c = make(format, name, (int64_t)n, 3, 0);
	size_t total = 0;
	char valid[256] = "";
	assert_true(n < sizeof valid);
	for (size_t k = 0; k < n; k++) {
		total += v[k] ? strlen(v[k]) : 0;
		valid[k] = v[k] ? '1' : '0';
	}
	char *data = mk(total);
	uint8_t *off = mk((n + 1) * (large ? 8 : 4));
	size_t at = 0;
	for (size_t k = 0; k <= n; k++) {
		if (large) {
			int64_t o = (int64_t)at;
			memcpy(off + k * 8, &o, 8);
		} else {
			int32_t o = (int32_t)at;
			memcpy(off + k * 4, &o, 4);
		}
		if (k < n && v[k]) {
			memcpy(data + at, v[k], strlen(v[k]));
			at += strlen(v[k]);
		}
	}
	c.a->buffers[1] = off;
	c.a->buffers[2] = data;
	if (strchr(valid, '0'))
		set_valid(c, valid);
	return c;
}

#define STRS(fmt, name, ...)                                                                       \
	strs_n(fmt, name, (const char *[]){__VA_ARGS__},                                           \
	       sizeof((const char *[]){__VA_ARGS__}) / sizeof(char *))

/* Binary from raw bytes and int32 offsets (n + 1 of them). */
static col bins(const char *name, const void *data, size_t n_data, const int32_t *off, size_t n,
		const char *valid)
{
	col c = make("z", name, (int64_t)n, 3, 0);
	c.a->buffers[1] = dup_mem(off, (n + 1) * 4);
	c.a->buffers[2] = dup_mem(data, n_data);
	set_valid(c, valid);
	return c;
}

static col list_of(const char *format, const char *name, const void *off, size_t n,
		   const char *valid, col child)
{
	size_t w = format[1] == 'L' ? 8 : 4;
	col c = make(format, name, (int64_t)n, 2, 1);
	c.a->buffers[1] = dup_mem(off, (n + 1) * w);
	set_child(c, 0, child);
	set_valid(c, valid);
	return c;
}

#define LIST(name, valid, child, ...)                                                              \
	list_of("+l", name, (int32_t[]){__VA_ARGS__}, sizeof((int32_t[]){__VA_ARGS__}) / 4 - 1,    \
		valid, child)

static col fixed_list(const char *name, int size, size_t n, const char *valid, col child)
{
	char f[32];
	snprintf(f, sizeof f, "+w:%d", size);
	col c = make(f, name, (int64_t)n, 1, 1);
	set_child(c, 0, child);
	set_valid(c, valid);
	return c;
}

static col strct(const char *name, size_t n, const char *valid, size_t k, const col *kids)
{
	col c = make("+s", name, (int64_t)n, 1, (int64_t)k);
	for (size_t i = 0; i < k; i++)
		set_child(c, (int)i, kids[i]);
	set_valid(c, valid);
	return c;
}

#define STRUCT(name, n, valid, ...)                                                                \
	strct(name, n, valid, sizeof((col[]){__VA_ARGS__}) / sizeof(col), (col[]){__VA_ARGS__})

static col map_of(const char *name, const int32_t *off, size_t n, const char *valid, col keys,
		  col values)
{
	keys.s->name = "key";
	values.s->name = "value";
	col entries = STRUCT("entries", (size_t)keys.a->length, NULL, keys, values);
	col c = make("+m", name, (int64_t)n, 2, 1);
	c.a->buffers[1] = dup_mem(off, (n + 1) * 4);
	set_child(c, 0, entries);
	set_valid(c, valid);
	return c;
}

static col dict(col indices, col values)
{
	indices.s->dictionary = values.s;
	indices.a->dictionary = values.a;
	return indices;
}

/* A view of c: offset added, length set, null count unknown. */
static col slice(col c, int64_t offset, int64_t length)
{
	col s = c;
	s.a = dup_mem(c.a, sizeof *c.a);
	s.a->offset += offset;
	s.a->length = length;
	s.a->null_count = -1;
	return s;
}

/* Sets metadata {"ARROW:extension:name": ext}. */
static col ext(col c, const char *name)
{
	const char *key = "ARROW:extension:name";
	int32_t n = 1, kl = (int32_t)strlen(key), vl = (int32_t)strlen(name);
	char *md = mk(12 + (size_t)kl + (size_t)vl);
	memcpy(md, &n, 4);
	memcpy(md + 4, &kl, 4);
	memcpy(md + 8, key, (size_t)kl);
	memcpy(md + 8 + kl, &vl, 4);
	memcpy(md + 12 + kl, name, (size_t)vl);
	c.s->metadata = md;
	return c;
}

#define BATCH(n, ...) STRUCT("", n, NULL, __VA_ARGS__)

/* ---- running a writer ---- */

static pv_term plain_term(void)
{
	pv_term t = {.is_tty = false, .color = false, .utf8 = true, .width = 0};
	return t;
}

static pv_term tty_term(size_t width)
{
	pv_term t = {.is_tty = true, .color = false, .utf8 = true, .width = width};
	return t;
}

/* The whole output of writing batches b[0..n) (first rows first[]), or
 * fails the test. */
static char *render_n(const pv_rows_opts *o, const col *b, const int64_t *first, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	pv_rows_writer *w;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_rows_writer_open(&w, f, o, b[0].s, &e);
	if (rc)
		fail_msg("open: %s", e.msg);
	for (size_t k = 0; k < n; k++) {
		rc = pv_rows_writer_write(w, b[k].a, first[k], &e);
		if (rc)
			fail_msg("write: %s", e.msg);
	}
	rc = pv_rows_writer_close(w, &e);
	if (rc)
		fail_msg("close: %s", e.msg);
	fclose(f);
	return keep(text);
}

static char *render_o(const pv_rows_opts *o, col b)
{
	int64_t first = 0;
	return render_n(o, &b, &first, 1);
}

static char *render(pv_rows_format format, col b)
{
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, format, &t);
	return render_o(&o, b);
}

/* The error code of writing b (open succeeding), with the message in e. */
static int write_error(col b, pv_err *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_JSONL, &t);
	pv_rows_writer *w;
	int rc = pv_rows_writer_open(&w, f, &o, b.s, e);
	if (rc)
		fail_msg("open: %s", e->msg);
	rc = pv_rows_writer_write(w, b.a, 0, e);
	pv_rows_writer_close(w, NULL);
	fclose(f);
	free(text);
	return rc;
}

/* ---- the scalar types ---- */

static col scalar_batch(void)
{
	return BATCH(3, bools("b", "100", "110"), PRIM("c", int8_t, "i8", NULL, -128, 127, 0),
		     PRIM("L", uint64_t, "u64", NULL, UINT64_MAX, 0, 1),
		     PRIM("l", int64_t, "i64", NULL, INT64_MIN, 9007199254740993, -1),
		     PRIM("f", float, "f32", NULL, 0.1f, 1.5f, NAN),
		     PRIM("g", double, "f64", NULL, 1e20, -0.0, INFINITY),
		     PRIM("e", uint16_t, "f16", NULL, 0x3c00, 0x7e00, 0x3555),
		     STRS("u", "s", "a,b", "", NULL),
		     bins("bin",
			  "\x00\x01"
			  "A'",
			  4, (int32_t[]){0, 4, 4, 4}, 3, "110"),
		     PRIM("d:10,2", __int128, "d", "110", 12345, -5, 0),
		     PRIM("tdD", int32_t, "dt", NULL, 0, -1, 19723));
}

static void test_scalars_csv(void **state)
{
	assert_string_equal(
	    render(PV_ROWS_CSV, scalar_batch()),
	    "b,i8,u64,i64,f32,f64,f16,s,bin,d,dt\n"
	    "true,-128,18446744073709551615,-9223372036854775808,0.1,1e+20,1.0,\"a,b\","
	    "\\x00\\x01A\\x27,123.45,1970-01-01\n"
	    "false,127,0,9007199254740993,1.5,-0.0,NaN,\"\",\"\",-0.05,1969-12-31\n"
	    ",0,1,-1,NaN,inf,0.3333,,,,2024-01-01\n");
}

static void test_scalars_jsonl(void **state)
{
	assert_string_equal(
	    render(PV_ROWS_JSONL, scalar_batch()),
	    "{\"b\":true,\"i8\":-128,\"u64\":18446744073709551615,\"i64\":-9223372036854775808,"
	    "\"f32\":0.1,\"f64\":1e+20,\"f16\":1.0,\"s\":\"a,b\",\"bin\":\"AAFBJw==\","
	    "\"d\":\"123.45\",\"dt\":\"1970-01-01\"}\n"
	    "{\"b\":false,\"i8\":127,\"u64\":0,\"i64\":9007199254740993,\"f32\":1.5,\"f64\":-0.0,"
	    "\"f16\":\"NaN\",\"s\":\"\",\"bin\":\"\",\"d\":\"-0.05\",\"dt\":\"1969-12-31\"}\n"
	    "{\"b\":null,\"i8\":0,\"u64\":1,\"i64\":-1,\"f32\":\"NaN\",\"f64\":\"Infinity\","
	    "\"f16\":0.3333,\"s\":null,\"bin\":null,\"d\":null,\"dt\":\"2024-01-01\"}\n");
}

static void test_floats(void **state)
{
	/* float16: 1, -2, 65504 (max), 2^-24 (least subnormal), inf, -0, 0.1 */
	col b = BATCH(
	    7,
	    PRIM("e", uint16_t, "h", NULL, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000, 0x2e66),
	    PRIM("f", float, "f", NULL, 3.4028235e38f, 1e-45f, 0.3f, -INFINITY, 100.0f, 16777216.0f,
		 1.17549435e-38f));
	assert_string_equal(render(PV_ROWS_CSV, b), "h,f\n"
						    "1.0,3.4028235e+38\n"
						    "-2.0,1e-45\n"
						    "65500.0,0.3\n"
						    "6e-08,-inf\n"
						    "inf,100.0\n"
						    "-0.0,16777216.0\n"
						    "0.1,1.1754944e-38\n");
	assert_string_equal(render(PV_ROWS_JSONL, slice(b, 3, 2)),
			    "{\"h\":6e-08,\"f\":\"-Infinity\"}\n"
			    "{\"h\":\"Infinity\",\"f\":100.0}\n");
}

static void test_null_type(void **state)
{
	col n = make("n", "nothing", 2, 0, 0);
	col b = BATCH(2, n, PRIM("i", int32_t, "x", NULL, 1, 2));
	assert_string_equal(render(PV_ROWS_JSONL, b), "{\"nothing\":null,\"x\":1}\n"
						      "{\"nothing\":null,\"x\":2}\n");
	assert_string_equal(render(PV_ROWS_CSV, b), "nothing,x\n,1\n,2\n");
}

/* ---- decimals ---- */

static __int128 nines38(void)
{
	__int128 t = (__int128)10000000000000000000ULL;
	return t * t - 1;
}

static void test_decimals(void **state)
{
	__int128 big = nines38();
	/* decimal256: two's complement over 32 bytes */
	uint8_t d256[3][32];
	memset(d256, 0, sizeof d256);
	memset(d256[0], 0xff, 32); /* -1 */
	__int128 e38 = big + 1;	   /* 10^38 */
	memcpy(d256[1], &e38, 16);
	memset(d256[2], 0xff, 32);
	d256[2][31] = 0x7f; /* 2^255 - 1 */
	col b = BATCH(3, PRIM("d:38,0", __int128, "p38", NULL, big, -big, 0),
		      PRIM("d:38,10", __int128, "s10", NULL, big, -big, -1),
		      PRIM("d:5,2,32", int32_t, "d32", NULL, 12345, -1, 0),
		      PRIM("d:18,3,64", int64_t, "d64", NULL, -1234567, 1, 1000),
		      prim("d:76,0,256", "d256", d256, 32, 3, NULL),
		      PRIM("d:3,-2,32", int32_t, "neg", NULL, 5, 0, -7));
	assert_string_equal(
	    render(PV_ROWS_CSV, b),
	    "p38,s10,d32,d64,d256,neg\n"
	    "99999999999999999999999999999999999999,9999999999999999999999999999.9999999999,"
	    "123.45,-1234.567,-1,500\n"
	    "-99999999999999999999999999999999999999,-9999999999999999999999999999.9999999999,"
	    "-0.01,0.001,100000000000000000000000000000000000000,0\n"
	    "0,-0.0000000001,0.00,1.000,"
	    "57896044618658097711785492504343953926634992332820282019728792003956564819967,-700\n");
	assert_string_equal(
	    render(PV_ROWS_JSONL, slice(b, 1, 1)),
	    "{\"p38\":\"-99999999999999999999999999999999999999\","
	    "\"s10\":\"-9999999999999999999999999999.9999999999\",\"d32\":\"-0.01\","
	    "\"d64\":\"0.001\",\"d256\":\"100000000000000000000000000000000000000\","
	    "\"neg\":\"0\"}\n");
}

/* ---- dates, times, timestamps, durations, intervals ---- */

static col time_batch(void)
{
	return BATCH(3, PRIM("tss:", int64_t, "ts_s", NULL, 0, -1, -62135596801),
		     PRIM("tsm:UTC", int64_t, "ts_ms", NULL, 1, -1, 1700000000123),
		     PRIM("tsu:", int64_t, "ts_us", NULL, 1, -1500000, 253402300799999999),
		     PRIM("tsn:Europe/Paris", int64_t, "ts_ns", NULL, 1, -1, INT64_MAX),
		     PRIM("tss:+07:00", int64_t, "ts_far", NULL, INT64_MAX, INT64_MIN, 0),
		     PRIM("tdm", int64_t, "d64", NULL, -1, 86400000, -62135596800001));
}

static void test_timestamps(void **state)
{
	assert_string_equal(render(PV_ROWS_CSV, time_batch()),
			    "ts_s,ts_ms,ts_us,ts_ns,ts_far,d64\n"
			    "1970-01-01 00:00:00,1970-01-01 00:00:00.001+00,"
			    "1970-01-01 00:00:00.000001,1970-01-01 00:00:00.000000001+00,"
			    "292277026596-12-04 15:30:07+00,1969-12-31\n"
			    "1969-12-31 23:59:59,1969-12-31 23:59:59.999+00,"
			    "1969-12-31 23:59:58.5,1969-12-31 23:59:59.999999999+00,"
			    "292277022658-01-27 (BC) 08:29:52+00,1970-01-02\n"
			    "0001-12-31 (BC) 23:59:59,2023-11-14 22:13:20.123+00,"
			    "9999-12-31 23:59:59.999999,2262-04-11 23:47:16.854775807+00,"
			    "1970-01-01 00:00:00+00,0001-12-31 (BC)\n");
	assert_string_equal(
	    render(PV_ROWS_JSONL, time_batch()),
	    "{\"ts_s\":\"1970-01-01T00:00:00\",\"ts_ms\":\"1970-01-01T00:00:00.001Z\","
	    "\"ts_us\":\"1970-01-01T00:00:00.000001\","
	    "\"ts_ns\":\"1970-01-01T00:00:00.000000001Z\","
	    "\"ts_far\":\"+292277026596-12-04T15:30:07Z\",\"d64\":\"1969-12-31\"}\n"
	    "{\"ts_s\":\"1969-12-31T23:59:59\",\"ts_ms\":\"1969-12-31T23:59:59.999Z\","
	    "\"ts_us\":\"1969-12-31T23:59:58.5\","
	    "\"ts_ns\":\"1969-12-31T23:59:59.999999999Z\","
	    "\"ts_far\":\"-292277022657-01-27T08:29:52Z\",\"d64\":\"1970-01-02\"}\n"
	    "{\"ts_s\":\"0000-12-31T23:59:59\",\"ts_ms\":\"2023-11-14T22:13:20.123Z\","
	    "\"ts_us\":\"9999-12-31T23:59:59.999999\","
	    "\"ts_ns\":\"2262-04-11T23:47:16.854775807Z\","
	    "\"ts_far\":\"1970-01-01T00:00:00Z\",\"d64\":\"0000-12-31\"}\n");
}

typedef struct dt_ms {
	int32_t days, ms;
} dt_ms;

typedef struct mdn {
	int32_t months, days;
	int64_t nanos;
} mdn;

static col clock_batch(void)
{
	return BATCH(2, PRIM("tts", int32_t, "t_s", NULL, 3600, 86399),
		     PRIM("ttm", int32_t, "t_ms", NULL, 1, 45296789),
		     PRIM("ttu", int64_t, "t_us", NULL, 1, 45296000001),
		     PRIM("ttn", int64_t, "t_ns", NULL, 1, 45296123456789),
		     PRIM("tDs", int64_t, "dur_s", NULL, 93784, -1),
		     PRIM("tDn", int64_t, "dur_ns", NULL, 1500000000, INT64_MIN),
		     PRIM("tiM", int32_t, "iv_m", NULL, 14, -1),
		     PRIM("tiD", dt_ms, "iv_dt", NULL, {3, 4}, {0, 0}),
		     PRIM("tin", mdn, "iv_mdn", NULL, {1, 1, 1}, {0, -2, -3600000000000}));
}

static void test_times_durations_intervals(void **state)
{
	assert_string_equal(render(PV_ROWS_CSV, clock_batch()),
			    "t_s,t_ms,t_us,t_ns,dur_s,dur_ns,iv_m,iv_dt,iv_mdn\n"
			    "01:00:00,00:00:00.001,00:00:00.000001,00:00:00.000000001,26:03:04,"
			    "00:00:01.5,1 year 2 months,3 days 00:00:00.004,"
			    "1 month 1 day 00:00:00.000000001\n"
			    "23:59:59,12:34:56.789,12:34:56.000001,12:34:56.123456789,-00:00:01,"
			    "-2562047:47:16.854775808,-1 month,00:00:00,-2 days -01:00:00\n");
	assert_string_equal(
	    render(PV_ROWS_JSONL, clock_batch()),
	    "{\"t_s\":\"01:00:00\",\"t_ms\":\"00:00:00.001\",\"t_us\":\"00:00:00.000001\","
	    "\"t_ns\":\"00:00:00.000000001\",\"dur_s\":\"26:03:04\",\"dur_ns\":\"00:00:01.5\","
	    "\"iv_m\":{\"months\":14,\"days\":0,\"nanos\":0},"
	    "\"iv_dt\":{\"months\":0,\"days\":3,\"nanos\":4000000},"
	    "\"iv_mdn\":{\"months\":1,\"days\":1,\"nanos\":1}}\n"
	    "{\"t_s\":\"23:59:59\",\"t_ms\":\"12:34:56.789\",\"t_us\":\"12:34:56.000001\","
	    "\"t_ns\":\"12:34:56.123456789\",\"dur_s\":\"-00:00:01\","
	    "\"dur_ns\":\"-2562047:47:16.854775808\","
	    "\"iv_m\":{\"months\":-1,\"days\":0,\"nanos\":0},"
	    "\"iv_dt\":{\"months\":0,\"days\":0,\"nanos\":0},"
	    "\"iv_mdn\":{\"months\":0,\"days\":-2,\"nanos\":-3600000000000}}\n");
}

/* ---- nested values ---- */

static col nested_batch(void)
{
	/* list<int32>: [1, 2], NULL, [], [NULL, 4, 5] */
	col l =
	    LIST("l", "1011", PRIM("i", int32_t, "item", "11011", 1, 2, 0, 4, 5), 0, 2, 2, 2, 5);
	/* struct<a: int32, b: string>: {1, 'x'}, NULL, {NULL, NULL}, {4, 'NULL'} */
	col st = STRUCT("st", 4, "1011", PRIM("i", int32_t, "a", "1001", 1, 9, 0, 4),
			STRS("u", "b", "x", "hidden", NULL, "NULL"));
	/* map<string, int64>: {'k': 1, 'j': NULL}, NULL, {}, {'z': 3} */
	col m = map_of("m", (int32_t[]){0, 2, 2, 2, 3}, 4, "1011", STRS("u", "", "k", "j", "z"),
		       PRIM("l", int64_t, "", "101", 1, 0, 3));
	/* list<list<string>>: [['a', NULL], NULL, []], NULL, [], [[]] */
	col inner = LIST("item", "1011", STRS("u", "item", "a", NULL), 0, 2, 2, 2, 2);
	col ll = LIST("ll", "1011", inner, 0, 3, 3, 3, 4);
	return BATCH(4, l, st, m, ll);
}

static void test_nested_jsonl(void **state)
{
	assert_string_equal(render(PV_ROWS_JSONL, nested_batch()),
			    "{\"l\":[1,2],\"st\":{\"a\":1,\"b\":\"x\"},"
			    "\"m\":[{\"key\":\"k\",\"value\":1},{\"key\":\"j\",\"value\":null}],"
			    "\"ll\":[[\"a\",null],null,[]]}\n"
			    "{\"l\":null,\"st\":null,\"m\":null,\"ll\":null}\n"
			    "{\"l\":[],\"st\":{\"a\":null,\"b\":null},\"m\":[],\"ll\":[]}\n"
			    "{\"l\":[null,4,5],\"st\":{\"a\":4,\"b\":\"NULL\"},"
			    "\"m\":[{\"key\":\"z\",\"value\":3}],\"ll\":[[]]}\n");
}

static void test_nested_text(void **state)
{
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	o.types = false;
	assert_string_equal(
	    render_o(&o, nested_batch()),
	    "l             st                  m                    ll\n"
	    "[1, 2]        {a: 1, b: 'x'}      {'k': 1, 'j': NULL}  [['a', NULL], NULL, []]\n"
	    "NULL          NULL                NULL                 NULL\n"
	    "[]            {a: NULL, b: NULL}  {}                   []\n"
	    "[NULL, 4, 5]  {a: 4, b: 'NULL'}   {'z': 3}             [[]]\n");
}

static void test_nested_csv(void **state)
{
	assert_string_equal(render(PV_ROWS_CSV, nested_batch()),
			    "l,st,m,ll\n"
			    "\"[1,2]\",\"{\"\"a\"\":1,\"\"b\"\":\"\"x\"\"}\","
			    "\"[{\"\"key\"\":\"\"k\"\",\"\"value\"\":1},"
			    "{\"\"key\"\":\"\"j\"\",\"\"value\"\":null}]\","
			    "\"[[\"\"a\"\",null],null,[]]\"\n"
			    ",,,\n"
			    "[],\"{\"\"a\"\":null,\"\"b\"\":null}\",[],[]\n"
			    "\"[null,4,5]\",\"{\"\"a\"\":4,\"\"b\"\":\"\"NULL\"\"}\","
			    "\"[{\"\"key\"\":\"\"z\"\",\"\"value\"\":3}]\",[[]]\n");
}

static void test_long_lists(void **state)
{
	int32_t v[20];
	for (int k = 0; k < 20; k++)
		v[k] = k;
	col items = prim("i", "item", v, 4, 20, NULL);
	col l = LIST("l", NULL, items, 0, 8, 18);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_VERTICAL, &t);
	assert_string_equal(render_o(&o, BATCH(2, l)),
			    "-[ row 0 ]------------------\n"
			    "l | [0, 1, 2, 3, 4, 5, 6, 7]\n"
			    "-[ row 1 ]--------------------------------------\n"
			    "l | [8, 9, 10, 11, 12, 13, 14, 15, … (10 items)]\n");
	/* the JSON has all of them */
	assert_string_equal(render(PV_ROWS_JSONL, BATCH(2, l)),
			    "{\"l\":[0,1,2,3,4,5,6,7]}\n"
			    "{\"l\":[8,9,10,11,12,13,14,15,16,17]}\n");
}

static col embedding_batch(void)
{
	float *v = mk(2 * 384 * sizeof *v);
	for (int k = 0; k < 2 * 384; k++)
		v[k] = (float)(k % 384) * 0.5f - 1.0f;
	v[384] = 0.1f;
	col items = prim("f", "item", v, 4, 2 * 384, NULL);
	col emb = fixed_list("emb", 384, 2, NULL, items);
	return BATCH(2, PRIM("l", int64_t, "id", NULL, 1, 2), emb);
}

static void test_embedding(void **state)
{
	pv_rows_opts o;
	pv_term t = tty_term(80);
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	assert_string_equal(
	    render_o(&o, embedding_batch()),
	    "┌────────────┬───────────────────────────────────────────────────────────┐\n"
	    "│ id (int64) │ emb (float32[384])                                        │\n"
	    "├────────────┼───────────────────────────────────────────────────────────┤\n"
	    "│          1 │ [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, … (384 items)] │\n"
	    "│          2 │ [0.1, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, … (384 items)]  │\n"
	    "└────────────┴───────────────────────────────────────────────────────────┘\n");
	/* JSON keeps every item, shortest form */
	char *j = render(PV_ROWS_JSONL, embedding_batch());
	assert_non_null(strstr(j, "{\"id\":2,\"emb\":[0.1,-0.5,0.0,0.5,"));
	assert_non_null(strstr(j, ",190.5]}\n"));
}

/* ---- slices ---- */

static void test_slices(void **state)
{
	/* strings sliced with their bitmap: [NULL, 'c', NULL] */
	col s = slice(STRS("u", "s", "a", NULL, "c", NULL), 1, 3);
	/* a struct at offset 1 over children at offset 1 */
	col a = slice(PRIM("i", int32_t, "a", "11011", 10, 11, 12, 13, 14), 1, 4);
	col st = slice(STRUCT("st", 4, "0110", a), 1, 3);
	/* a list over a child at offset 2 */
	col items = slice(PRIM("l", int64_t, "item", NULL, 9, 9, 1, 2, 3, 4, 5), 2, 5);
	col l = slice(LIST("l", NULL, items, 0, 0, 3, 5, 5), 1, 3);
	col bools_s = slice(bools("b", "01010101010", "11111111101"), 7, 3);
	col b = BATCH(3, s, st, l, bools_s);
	const char *want = "{\"s\":null,\"st\":{\"a\":null},\"l\":[1,2,3],\"b\":true}\n"
			   "{\"s\":\"c\",\"st\":{\"a\":13},\"l\":[4,5],\"b\":false}\n"
			   "{\"s\":null,\"st\":null,\"l\":[],\"b\":null}\n";
	assert_string_equal(render(PV_ROWS_JSONL, b), want);
	/* the same rows again as the tail of a batch sliced at the top level */
	col pad = STRS("u", "s", "x", "a", NULL, "c", NULL);
	col st2 = STRUCT("st", 5, "10111", PRIM("i", int32_t, "a", "11101", 0, 10, 11, 12, 13));
	col items2 = PRIM("l", int64_t, "item", NULL, 1, 2, 3, 4, 5);
	col l2 = LIST("l", NULL, items2, 0, 0, 0, 3, 5, 5);
	col b2 = BATCH(5, pad, st2, l2, bools("b", "01010", "11110"));
	char *got = render(PV_ROWS_JSONL, slice(b2, 2, 3));
	assert_string_equal(got, "{\"s\":null,\"st\":{\"a\":11},\"l\":[1,2,3],\"b\":false}\n"
				 "{\"s\":\"c\",\"st\":{\"a\":null},\"l\":[4,5],\"b\":true}\n"
				 "{\"s\":null,\"st\":{\"a\":13},\"l\":[],\"b\":null}\n");
}

/* ---- dictionaries ---- */

static void test_dictionary(void **state)
{
	col colors = dict(PRIM("c", int8_t, "color", "11011", 0, 1, 0, 1, 2),
			  STRS("u", "", "red", "green", NULL));
	col nums = dict(PRIM("I", uint32_t, "num", NULL, 2, 2, 0, 1, 0),
			PRIM("l", int64_t, "", NULL, 100, -7, 12345));
	col b = BATCH(5, colors, nums);
	assert_string_equal(render(PV_ROWS_JSONL, slice(b, 1, 4)),
			    "{\"color\":\"green\",\"num\":12345}\n"
			    "{\"color\":null,\"num\":100}\n"
			    "{\"color\":\"green\",\"num\":-7}\n"
			    "{\"color\":null,\"num\":100}\n");
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	assert_string_equal(render_o(&o, b), "color (string)  num (int64)\n"
					     "red                   12345\n"
					     "green                 12345\n"
					     "NULL                    100\n"
					     "green                    -7\n"
					     "NULL                    100\n");
	/* a dictionary inside a list */
	col words = dict(PRIM("s", int16_t, "item", NULL, 1, 0, 1), STRS("u", "", "a", "b"));
	col l = LIST("l", NULL, words, 0, 3);
	assert_string_equal(render(PV_ROWS_JSONL, BATCH(1, l)), "{\"l\":[\"b\",\"a\",\"b\"]}\n");
}

/* ---- extension types and views ---- */

static void test_extensions(void **state)
{
	uint8_t uuid[2][16];
	for (int k = 0; k < 16; k++) {
		uuid[0][k] = (uint8_t)(k * 17);
		uuid[1][k] = (uint8_t)(0xf0 | k);
	}
	col u = ext(prim("w:16", "u", uuid, 16, 2, "10"), "arrow.uuid");
	col fixed = prim("w:3", "raw", "ab\x01xyz", 3, 2, NULL);
	col js = ext(STRS("u", "doc", "{ \"a\" : [1, 2.5e3, true, null],\n \"b\": \"\\u00e9\" }",
			  "not json {"),
		     "arrow.json");
	/* an unknown extension shows its storage */
	col var =
	    ext(STRUCT("v", 2, NULL, bins("metadata", "\x01\x00", 2, (int32_t[]){0, 1, 2}, 2, NULL),
		       bins("value", "\x0c\x2a", 2, (int32_t[]){0, 2, 2}, 2, NULL)),
		"parquet.variant");
	col b = BATCH(2, u, fixed, js, var);
	assert_string_equal(render(PV_ROWS_JSONL, b),
			    "{\"u\":\"00112233-4455-6677-8899-aabbccddeeff\",\"raw\":\"YWIB\","
			    "\"doc\":{\"a\":[1,2.5e3,true,null],\"b\":\"\\u00e9\"},"
			    "\"v\":{\"metadata\":\"AQ==\",\"value\":\"DCo=\"}}\n"
			    "{\"u\":null,\"raw\":\"eHl6\",\"doc\":\"not json {\","
			    "\"v\":{\"metadata\":\"AA==\",\"value\":\"\"}}\n");
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_VERTICAL, &t);
	assert_string_equal(render_o(&o, b),
			    "-[ row 0 ]---------------------------------------------\n"
			    "u   | 00112233-4455-6677-8899-aabbccddeeff\n"
			    "raw | ab\\x01\n"
			    "doc | { \"a\" : [1, 2.5e3, true, null],\\n \"b\": \"\\u00e9\" }\n"
			    "v   | {metadata: '\\x01', value: '\\x0C*'}\n"
			    "-[ row 1 ]-------------------------\n"
			    "u   | NULL\n"
			    "raw | xyz\n"
			    "doc | not json {\n"
			    "v   | {metadata: '\\x00', value: ''}\n");
}

static col views(const char *format)
{
	const char *long1 = "a string longer than twelve bytes";
	col c = make(format, "v", 3, 4, 0);
	uint8_t *vw = mk(3 * 16);
	int32_t len = 5;
	memcpy(vw, &len, 4);
	memcpy(vw + 4, "short", 5);
	len = (int32_t)strlen(long1);
	int32_t idx = 0, off = 4;
	memcpy(vw + 16, &len, 4);
	memcpy(vw + 20, long1, 4);
	memcpy(vw + 24, &idx, 4);
	memcpy(vw + 28, &off, 4);
	len = 0;
	memcpy(vw + 32, &len, 4);
	char *data = mk(64);
	memcpy(data, "xxxx", 4);
	memcpy(data + 4, long1, strlen(long1));
	int64_t *sizes = mk(8);
	sizes[0] = 4 + (int64_t)strlen(long1);
	c.a->buffers[1] = vw;
	c.a->buffers[2] = data;
	c.a->buffers[3] = sizes;
	return c;
}

static void test_views(void **state)
{
	assert_string_equal(render(PV_ROWS_JSONL, BATCH(3, views("vu"))),
			    "{\"v\":\"short\"}\n"
			    "{\"v\":\"a string longer than twelve bytes\"}\n"
			    "{\"v\":\"\"}\n");
	assert_string_equal(render(PV_ROWS_CSV, BATCH(3, views("vz"))),
			    "v\nshort\na string longer than twelve bytes\n\"\"\n");
	/* a view pointing past its buffer */
	col bad = views("vu");
	((int64_t *)bad.a->buffers[3])[0] = 10;
	pv_err e;
	assert_int_equal(write_error(BATCH(3, bad), &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "row 1: column 'v': view of 33 bytes at 4 outside its buffer");
}

static void test_large_types(void **state)
{
	col s = STRS("U", "s", "big", NULL);
	col z = STRS("Z", "z", "\x7f", "");
	int64_t off[] = {0, 2, 3};
	col l = list_of("+L", "l", off, 2, NULL, PRIM("C", uint8_t, "item", NULL, 1, 255, 7));
	assert_string_equal(render(PV_ROWS_JSONL, BATCH(2, s, z, l)),
			    "{\"s\":\"big\",\"z\":\"fw==\",\"l\":[1,255]}\n"
			    "{\"s\":null,\"z\":\"\",\"l\":[7]}\n");
}

/* ---- formats ---- */

static void test_csv_quoting(void **state)
{
	col s = STRS("u", "na,me", "plain", "a,b", "say \"hi\"", "line1\nline2", "cr\r", "", NULL,
		     " spaced ");
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_CSV, &t);
	o.row_numbers = true;
	int64_t first = 100;
	col b = BATCH(8, s);
	assert_string_equal(render_n(&o, &b, &first, 1), "#,\"na,me\"\n"
							 "100,plain\n"
							 "101,\"a,b\"\n"
							 "102,\"say \"\"hi\"\"\"\n"
							 "103,\"line1\nline2\"\n"
							 "104,\"cr\r\"\n"
							 "105,\"\"\n"
							 "106,\n"
							 "107, spaced \n");
}

static void test_json_array(void **state)
{
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_JSON, &t);
	o.row_numbers = true;
	col b[2] = {BATCH(2, PRIM("i", int32_t, "x", NULL, 1, 2)),
		    BATCH(1, PRIM("i", int32_t, "x", NULL, 3))};
	int64_t first[2] = {0, 2};
	assert_string_equal(render_n(&o, b, first, 2),
			    "[\n{\"#\":0,\"x\":1},\n{\"#\":1,\"x\":2},\n{\"#\":2,\"x\":3}\n]\n");
	/* no rows at all */
	assert_string_equal(render_n(&o, b, first, 0), "[]\n");
	assert_string_equal(render(PV_ROWS_JSON, BATCH(0, PRIM("i", int32_t, "x", NULL, 0))),
			    "[]\n");
}

/* The server's form: one JSON array per row, values as in JSONL. */
static void test_arrays(void **state)
{
	assert_string_equal(render(PV_ROWS_ARRAYS, nested_batch()),
			    "[[1,2],{\"a\":1,\"b\":\"x\"},"
			    "[{\"key\":\"k\",\"value\":1},{\"key\":\"j\",\"value\":null}],"
			    "[[\"a\",null],null,[]]]\n"
			    "[null,null,null,null]\n"
			    "[[],{\"a\":null,\"b\":null},[],[]]\n"
			    "[[null,4,5],{\"a\":4,\"b\":\"NULL\"},"
			    "[{\"key\":\"z\",\"value\":3}],[[]]]\n");
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_ARRAYS, &t);
	o.row_numbers = true;
	col b[2] = {BATCH(2, STRS("u", "s", "a\nb", NULL)), BATCH(1, STRS("u", "s", "c"))};
	int64_t first[2] = {7, 40};
	assert_string_equal(render_n(&o, b, first, 2), "[7,\"a\\nb\"]\n[8,null]\n[40,\"c\"]\n");
	/* no rows: no output */
	assert_string_equal(render_n(&o, b, first, 0), "");
}

static void test_empty(void **state)
{
	col empty = BATCH(0, PRIM("i", int32_t, "x", NULL, 0), STRS("u", "y", NULL));
	empty.a->children[0]->length = 0;
	empty.a->children[1]->length = 0;
	assert_string_equal(render(PV_ROWS_CSV, empty), "x,y\n");
	assert_string_equal(render(PV_ROWS_JSONL, empty), "");
	assert_string_equal(render(PV_ROWS_TABLE, empty), "x (int32)  y (string)\n");
	assert_string_equal(render(PV_ROWS_VERTICAL, empty), "");
	assert_string_equal(render(PV_ROWS_MARKDOWN, empty), "| x (int32) | y (string) |\n"
							     "| --------: | ---------- |\n");
	/* no columns */
	col none = strct("", 2, NULL, 0, NULL);
	assert_string_equal(render(PV_ROWS_JSONL, none), "{}\n{}\n");
	assert_string_equal(render(PV_ROWS_TABLE, none), "");
	assert_string_equal(render(PV_ROWS_CSV, none), "\n\n\n");
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	o.row_numbers = true;
	int64_t first = 7;
	assert_string_equal(render_n(&o, &none, &first, 1), "#\n7\n8\n");
}

static void test_markdown(void **state)
{
	col b = BATCH(2, STRS("u", "a|b", "x|y", NULL), PRIM("g", double, "n", NULL, 1.5, -2));
	assert_string_equal(render(PV_ROWS_MARKDOWN, b), "| a\\|b (string) | n (float64) |\n"
							 "| ------------- | ----------: |\n"
							 "| x\\|y          |         1.5 |\n"
							 "| NULL          |        -2.0 |\n");
	/* sections of 1 row each, separated by a blank line */
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_MARKDOWN, &t);
	o.chunk_rows = 1;
	o.types = false;
	assert_string_equal(render_o(&o, b), "| a\\|b |   n |\n"
					     "| ---- | --: |\n"
					     "| x\\|y | 1.5 |\n"
					     "\n"
					     "| a\\|b |    n |\n"
					     "| ---- | ---: |\n"
					     "| NULL | -2.0 |\n");
}

static void test_vertical(void **state)
{
	col b = BATCH(2, PRIM("l", int64_t, "id", NULL, 17, 18),
		      STRS("u", "name", "Ada\nLovelace", "NULL"), STRS("u", "nickname", NULL, ""));
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_VERTICAL, &t);
	int64_t first = 41;
	assert_string_equal(render_n(&o, &b, &first, 1), "-[ row 41 ]-------------\n"
							 "id       | 17\n"
							 "name     | Ada\\nLovelace\n"
							 "nickname | NULL\n"
							 "-[ row 42 ]------\n"
							 "id       | 18\n"
							 "name     | \"NULL\"\n"
							 "nickname | \n");
	/* a very long value is capped with a note */
	char *big = mk(100001);
	memset(big, 'x', 100000);
	col lb = BATCH(1, strs_n("u", "s", (const char *const *)&big, 1));
	char *out = render_o(&o, lb);
	assert_non_null(strstr(out, "xxx… (100000 bytes)\n"));
	assert_true(strlen(out) < 70000);
	/* max_cell_width cuts to display columns */
	o.max_cell_width = 6;
	assert_string_equal(render_o(&o, b), "-[ row 0 ]-------\n"
					     "id       | 17\n"
					     "name     | Ada\\n…\n"
					     "nickname | NULL\n"
					     "-[ row 1 ]-------\n"
					     "id       | 18\n"
					     "name     | \"NULL\"\n"
					     "nickname | \n");
}

/* Display width of the widest line of s. */
static size_t widest_line(const char *s)
{
	size_t best = 0;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		size_t w = pv_width_str(s, n);
		best = w > best ? w : best;
		s += n + (e ? 1 : 0);
	}
	return best;
}

static col wide_batch(void)
{
	return BATCH(4, PRIM("l", int64_t, "id", NULL, 1, 2, 3, 4),
		     STRS("u", "name", "日本語のテキストです、とても長い",
			  "👍🦀 crab and thumbs", "NULL", NULL),
		     STRS("u", "note", "a fairly long English sentence that will not fit", "short",
			  "", "x"));
}

static void test_table_fit(void **state)
{
	pv_rows_opts o;
	pv_term t = tty_term(80);
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	char *t80 = render_o(&o, wide_batch());
	assert_string_equal(
	    t80,
	    "┌────────────┬────────────────────────────────┬────────────────────────────────┐\n"
	    "│ id (int64) │ name (string)                  │ note (string)                  │\n"
	    "├────────────┼────────────────────────────────┼────────────────────────────────┤\n"
	    "│          1 │ 日本語のテキストです、とても…  │ a fairly long English sentenc… │\n"
	    "│          2 │ 👍🦀 crab and thumbs           │ short                          "
	    "│\n"
	    "│          3 │ \"NULL\"                         │                                │\n"
	    "│          4 │ NULL                           │ x                              │\n"
	    "└────────────┴────────────────────────────────┴────────────────────────────────┘\n");
	assert_true(widest_line(t80) <= 80);
	t = tty_term(40);
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	char *t40 = render_o(&o, wide_batch());
	assert_string_equal(t40, "┌────────────┬────────────┬────────────┐\n"
				 "│ id (int64) │ name (str… │ note (str… │\n"
				 "├────────────┼────────────┼────────────┤\n"
				 "│          1 │ 日本語の…  │ a fairly … │\n"
				 "│          2 │ 👍🦀 crab… │ short      │\n"
				 "│          3 │ \"NULL\"     │            │\n"
				 "│          4 │ NULL       │ x          │\n"
				 "└────────────┴────────────┴────────────┘\n");
	assert_true(widest_line(t40) <= 40);
	/* wide: not fitted */
	o.wide = true;
	assert_true(widest_line(render_o(&o, wide_batch())) > 80);
	/* ASCII on a terminal without UTF-8, row numbers, a cell cap */
	t.utf8 = false;
	t.width = 0;
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	o.row_numbers = true;
	o.max_cell_width = 10;
	o.types = false;
	assert_string_equal(render_o(&o, slice(wide_batch(), 1, 2)),
			    "+---+----+------------+-------+\n"
			    "| # | id | name       | note  |\n"
			    "+---+----+------------+-------+\n"
			    "| 0 |  2 | 👍🦀 crab… | short |\n"
			    "| 1 |  3 | \"NULL\"     |       |\n"
			    "+---+----+------------+-------+\n");
}

static void test_table_sections(void **state)
{
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	o.chunk_rows = 2;
	o.row_numbers = true;
	col b[2] = {BATCH(3, PRIM("i", int32_t, "x", NULL, 1, 22, 333)),
		    BATCH(1, PRIM("i", int32_t, "x", NULL, 4444))};
	int64_t first[2] = {100, 103};
	assert_string_equal(render_n(&o, b, first, 2), "  #  x (int32)\n"
						       "100          1\n"
						       "101         22\n"
						       "  #  x (int32)\n"
						       "102        333\n"
						       "103       4444\n");
}

/* ---- errors ---- */

static void test_bad_schemas(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_CSV, &t);
	pv_rows_writer *w = NULL;
	pv_err e;
	col notstruct = PRIM("i", int32_t, "x", NULL, 1);
	assert_int_equal(pv_rows_writer_open(&w, f, &o, notstruct.s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "schema is not a struct of columns (format 'i')");
	assert_null(w);
	col uni = make("+ud:0,1", "u", 0, 2, 0);
	assert_int_equal(pv_rows_writer_open(&w, f, &o, BATCH(0, uni).s, &e), PV_EUNSUPPORTED);
	assert_string_equal(e.msg, "field 'u': unsupported arrow format '+ud:0,1'");
	col baddec = make("d:x", "d", 0, 2, 0);
	assert_int_equal(pv_rows_writer_open(&w, f, &o, BATCH(0, baddec).s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "field 'd': invalid arrow format 'd:x'");
	col list_no_child = make("+l", "l", 0, 2, 0);
	assert_int_equal(pv_rows_writer_open(&w, f, &o, BATCH(0, list_no_child).s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "field 'l': format '+l' takes 1 children, the schema has 0");
	col fdict = dict(PRIM("f", float, "f", NULL, 1), STRS("u", "", "a"));
	assert_int_equal(pv_rows_writer_open(&w, f, &o, BATCH(1, fdict).s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "field 'f': dictionary indices of format 'f' are not integers");
	/* nesting past the cap */
	col deep = PRIM("i", int32_t, "item", NULL, 1);
	for (int k = 0; k < 40; k++)
		deep = LIST("item", NULL, deep, 0, 1);
	assert_int_equal(pv_rows_writer_open(&w, f, &o, BATCH(1, deep).s, &e), PV_ELIMIT);
	/* a released schema */
	col ok = BATCH(1, PRIM("i", int32_t, "x", NULL, 1));
	ok.s->release = NULL;
	assert_int_equal(pv_rows_writer_open(&w, f, &o, ok.s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "schema has been released");
	assert_int_equal(pv_rows_format_parse("yaml", &o.format, &e), PV_EINVAL);
	assert_int_equal(pv_rows_format_parse("ndjson", &o.format, &e), 0);
	assert_int_equal(o.format, PV_ROWS_JSONL);
	assert_int_equal(pv_rows_writer_close(NULL, NULL), 0);
	fclose(f);
	free(text);
}

static void test_bad_batches(void **state)
{
	pv_err e;
	/* a string array with two buffers */
	col s = STRS("u", "s", "a");
	s.a->n_buffers = 2;
	assert_int_equal(write_error(BATCH(1, s), &e), PV_ECORRUPT);
	assert_string_equal(e.msg,
			    "batch: field 's': array of format 'u' has 2 buffers, expected 3");
	/* a column shorter than the batch */
	assert_int_equal(write_error(BATCH(3, PRIM("i", int32_t, "x", NULL, 1)), &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "batch: field 'x': 1 values where its parent needs 3");
	/* offsets that go backwards */
	col back = STRS("u", "s", "abc", "d");
	((int32_t *)back.a->buffers[1])[2] = 2;
	assert_int_equal(write_error(BATCH(2, back), &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "row 1: column 's': offsets 3..2 are invalid");
	/* a list past its child */
	col l = LIST("l", NULL, PRIM("i", int32_t, "item", NULL, 1), 0, 5);
	assert_int_equal(write_error(BATCH(1, l), &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "row 0: column 'l': list ends at 5 past its 1 child values");
	/* a dictionary index out of range, and a missing dictionary */
	col d = dict(PRIM("c", int8_t, "d", NULL, 0, 3), STRS("u", "", "a", "b"));
	assert_int_equal(write_error(BATCH(2, d), &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "row 1: column 'd': dictionary index 3 out of range (2 values)");
	d.a->dictionary = NULL;
	assert_int_equal(write_error(BATCH(2, d), &e), PV_ECORRUPT);
	assert_string_equal(e.msg,
			    "batch: field 'd': dictionary-encoded array without a dictionary");
	/* a missing data buffer, negative length, a fixed-size list too short */
	col nodata = PRIM("l", int64_t, "x", NULL, 1);
	nodata.a->buffers[1] = NULL;
	assert_int_equal(write_error(BATCH(1, nodata), &e), PV_ECORRUPT);
	col neg = BATCH(1, PRIM("l", int64_t, "x", NULL, 1));
	neg.a->length = -1;
	assert_int_equal(write_error(neg, &e), PV_ECORRUPT);
	col fl = fixed_list("v", 4, 2, NULL, PRIM("f", float, "item", NULL, 1, 2, 3, 4, 5));
	assert_int_equal(write_error(BATCH(2, fl), &e), PV_ECORRUPT);
	assert_string_equal(e.msg,
			    "batch: field 'v': field 'item': 5 values where its parent needs 8");
	/* a released batch */
	col r = BATCH(1, PRIM("l", int64_t, "x", NULL, 1));
	r.a->release = NULL;
	assert_int_equal(write_error(r, &e), PV_EINVAL);
	/* nothing of a failing row is written */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_JSONL, &t);
	pv_rows_writer *w;
	col half = BATCH(2, STRS("u", "a", "ok", "bad"), PRIM("i", int32_t, "b", NULL, 1, 2));
	((int32_t *)half.a->children[0]->buffers[1])[2] = 1;
	assert_int_equal(pv_rows_writer_open(&w, f, &o, half.s, &e), 0);
	assert_int_equal(pv_rows_writer_write(w, half.a, 0, &e), PV_ECORRUPT);
	assert_int_equal(pv_rows_writer_close(w, &e), 0);
	fclose(f);
	assert_string_equal(text, "{\"a\":\"ok\",\"b\":1}\n");
	free(text);
}

static void test_color(void **state)
{
	col b = BATCH(1, STRS("u", "s", NULL), PRIM("i", int32_t, "n", NULL, 5));
	pv_rows_opts o;
	pv_term t = {.is_tty = true, .color = true, .utf8 = true, .width = 30};
	pv_rows_opts_init(&o, PV_ROWS_VERTICAL, &t);
	assert_string_equal(render_o(&o, b), "\033[2m-[ row 0 ]-\033[0m\n"
					     "s | \033[2mNULL\033[0m\n"
					     "n | 5\n");
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	o.types = false;
	char *tab = render_o(&o, b);
	assert_non_null(strstr(tab, "\033[2mNULL\033[0m"));
	assert_non_null(strstr(tab, "\033[1ms\033[0m"));
}

/* The schema may go away once the writer is open. */
static void test_schema_released(void **state)
{
	col b = BATCH(1, PRIM("tsu:UTC", int64_t, "when", NULL, 0));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_JSONL, &t);
	pv_rows_writer *w;
	pv_err e;
	assert_int_equal(pv_rows_writer_open(&w, f, &o, b.s, &e), 0);
	memset((char *)b.s->children[0]->name, 'x', 4);
	memset((char *)b.s->children[0]->format, 0, 7);
	b.s->children[0] = NULL;
	assert_int_equal(pv_rows_writer_write(w, b.a, 0, &e), 0);
	assert_int_equal(pv_rows_writer_close(w, &e), 0);
	fclose(f);
	assert_string_equal(text, "{\"when\":\"1970-01-01T00:00:00Z\"}\n");
	free(text);
}

/* A bad cell in the second row: the table shows the first row only. */
static void test_table_no_half_row(void **state)
{
	col b = BATCH(2, PRIM("i", int32_t, "n", NULL, 1, 2), STRS("u", "s", "ok", "bad"));
	((int32_t *)b.a->children[1]->buffers[1])[2] = 1;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pv_rows_opts o;
	pv_term t = plain_term();
	pv_rows_opts_init(&o, PV_ROWS_TABLE, &t);
	pv_rows_writer *w;
	pv_err e;
	assert_int_equal(pv_rows_writer_open(&w, f, &o, b.s, &e), 0);
	assert_int_equal(pv_rows_writer_write(w, b.a, 0, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "row 1: column 's': offsets 2..1 are invalid");
	assert_int_equal(pv_rows_writer_write(w, b.a, INT64_MAX, &e), PV_EINVAL);
	assert_int_equal(pv_rows_writer_close(w, &e), 0);
	fclose(f);
	assert_string_equal(text, "n (int32)  s (string)\n"
				  "        1  ok\n");
	free(text);
}

static uint32_t rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* Overwrites about a third of n int32 values with values in [lo, hi]. */
static void scribble(const void *buf, size_t n, uint32_t *seed, int lo, int hi)
{
	int32_t *p = (int32_t *)buf;
	for (size_t k = 0; k < n; k++)
		if (rnd(seed) % 3 == 0)
			p[k] = lo + (int)(rnd(seed) % (uint32_t)(hi - lo + 1));
}

/* Random validity in every bitmap of a, recursively. */
static void scramble_bits(struct ArrowArray *a, uint32_t *seed)
{
	if (a->n_buffers > 0 && a->buffers[0]) {
		((uint8_t *)a->buffers[0])[0] = (uint8_t)rnd(seed);
		a->null_count = -1;
	}
	for (int64_t k = 0; k < a->n_children; k++)
		scramble_bits(a->children[k], seed);
}

/* Writes b in every format; each must succeed or find the batch corrupt. */
static void write_all_formats(col b)
{
	for (int f = PV_ROWS_TABLE; f <= PV_ROWS_VERTICAL; f++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		pv_rows_opts o;
		pv_term t = tty_term(40);
		pv_rows_opts_init(&o, (pv_rows_format)f, &t);
		pv_rows_writer *w;
		pv_err e;
		assert_int_equal(pv_rows_writer_open(&w, out, &o, b.s, &e), 0);
		int rc = pv_rows_writer_write(w, b.a, 0, &e);
		if (rc != 0 && rc != PV_ECORRUPT)
			fail_msg("format %d: %s", f, e.msg);
		assert_int_equal(pv_rows_writer_close(w, &e), 0);
		fclose(out);
		free(text);
	}
}

/* Scribbled list and map offsets, dictionary indices and bitmaps: never a
 * crash (run under ASan), only PV_ECORRUPT. String offsets are left
 * alone: the C interface carries no buffer sizes to check them against. */
static void test_hostile_offsets(void **state)
{
	uint32_t seed = 12345;
	for (int round = 0; round < 400; round++) {
		col b = nested_batch();
		struct ArrowArray **kids = b.a->children;
		scribble(kids[0]->buffers[1], 5, &seed, -2, 7);
		scribble(kids[2]->buffers[1], 5, &seed, -2, 5);
		scribble(kids[3]->buffers[1], 5, &seed, -2, 6);
		scribble(kids[3]->children[0]->buffers[1], 5, &seed, -2, 4);
		scramble_bits(b.a, &seed);
		write_all_formats(b);

		col colors = dict(PRIM("i", int32_t, "color", "11011", 0, 1, 0, 1, 2),
				  STRS("u", "", "red", "green", NULL));
		col words =
		    dict(PRIM("s", int16_t, "item", NULL, 1, 0, 1, 1, 0), STRS("u", "", "a", "b"));
		col l = LIST("l", "11111", words, 0, 1, 2, 3, 4, 5);
		col d = BATCH(5, colors, l);
		scribble(colors.a->buffers[1], 5, &seed, -3, 4);
		uint16_t *wi = (uint16_t *)words.a->buffers[1];
		for (int k = 0; k < 5; k++)
			if (rnd(&seed) % 4 == 0)
				wi[k] = (uint16_t)rnd(&seed);
		scramble_bits(d.a, &seed);
		write_all_formats(d);
		teardown(NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_scalars_csv, teardown),
	    cmocka_unit_test_teardown(test_scalars_jsonl, teardown),
	    cmocka_unit_test_teardown(test_floats, teardown),
	    cmocka_unit_test_teardown(test_null_type, teardown),
	    cmocka_unit_test_teardown(test_decimals, teardown),
	    cmocka_unit_test_teardown(test_timestamps, teardown),
	    cmocka_unit_test_teardown(test_times_durations_intervals, teardown),
	    cmocka_unit_test_teardown(test_nested_jsonl, teardown),
	    cmocka_unit_test_teardown(test_nested_text, teardown),
	    cmocka_unit_test_teardown(test_nested_csv, teardown),
	    cmocka_unit_test_teardown(test_long_lists, teardown),
	    cmocka_unit_test_teardown(test_embedding, teardown),
	    cmocka_unit_test_teardown(test_slices, teardown),
	    cmocka_unit_test_teardown(test_dictionary, teardown),
	    cmocka_unit_test_teardown(test_extensions, teardown),
	    cmocka_unit_test_teardown(test_views, teardown),
	    cmocka_unit_test_teardown(test_large_types, teardown),
	    cmocka_unit_test_teardown(test_csv_quoting, teardown),
	    cmocka_unit_test_teardown(test_json_array, teardown),
	    cmocka_unit_test_teardown(test_arrays, teardown),
	    cmocka_unit_test_teardown(test_empty, teardown),
	    cmocka_unit_test_teardown(test_markdown, teardown),
	    cmocka_unit_test_teardown(test_vertical, teardown),
	    cmocka_unit_test_teardown(test_table_fit, teardown),
	    cmocka_unit_test_teardown(test_table_sections, teardown),
	    cmocka_unit_test_teardown(test_bad_schemas, teardown),
	    cmocka_unit_test_teardown(test_bad_batches, teardown),
	    cmocka_unit_test_teardown(test_color, teardown),
	    cmocka_unit_test_teardown(test_schema_released, teardown),
	    cmocka_unit_test_teardown(test_table_no_half_row, teardown),
	    cmocka_unit_test_teardown(test_hostile_offsets, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
