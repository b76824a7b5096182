/*
 * test_sql.c - unit tests for the Arrow results of src/sql/duck.h
 * (pv_duck_query_arrow, pv_duck_result_schema, pv_duck_result_next_batch)
 * rendered by render/rows.h, and for the session of src/sql/session.h:
 * views over datasets (hive partitions, columns unified by name) and the
 * restricted mode (every forbidden read, write, extension and attach).
 *
 * DuckDB's own text rendering (pv_duck_query, which casts to VARCHAR) is
 * the oracle for the Arrow path's scalars.
 */
#include "testutil.h"

#include <stdbool.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/err.h"
#include "dataset/dataset.h"
#include "render/rows.h"
#include "sql/duck.h"
#include "sql/session.h"

static pv_duck *open_plain(void)
{
	pv_duck *d = NULL;
	pv_err e;
	if (pv_duck_open(NULL, &d, &e))
		fail_msg("pv_duck_open: %s", e.msg);
	return d;
}

/* Runs sql through the Arrow path and renders every batch in format f;
 * returns the malloc'ed text. Fails the test on any error. */
static char *render_arrow(pv_duck *d, const char *sql, pv_rows_format f)
{
	pv_err e;
	pv_duck_result *r = NULL;
	if (pv_duck_query_arrow(d, sql, &r, &e))
		fail_msg("query '%s': %s", sql, e.msg);
	struct ArrowSchema s;
	if (pv_duck_result_schema(r, &s, &e))
		fail_msg("schema '%s': %s", sql, e.msg);
	char *text = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&text, &n);
	assert_non_null(out);
	pv_term t;
	memset(&t, 0, sizeof t);
	pv_rows_opts o;
	pv_rows_opts_init(&o, f, &t);
	pv_rows_writer *w = NULL;
	if (pv_rows_writer_open(&w, out, &o, &s, &e))
		fail_msg("writer '%s': %s", sql, e.msg);
	s.release(&s);
	int64_t first = 0;
	for (;;) {
		struct ArrowArray a;
		if (pv_duck_result_next_batch(r, &a, &e))
			fail_msg("batch '%s': %s", sql, e.msg);
		if (!a.release)
			break;
		if (pv_rows_writer_write(w, &a, first, &e))
			fail_msg("write '%s': %s", sql, e.msg);
		first += a.length;
		a.release(&a);
	}
	assert_int_equal(pv_duck_result_nrows(r), (size_t)first);
	assert_int_equal(pv_rows_writer_close(w, &e), 0);
	fclose(out);
	pv_duck_result_free(r);
	return text;
}

/* DuckDB's text for the first row of sql: the values joined by ','. */
static void duck_text_row(pv_duck *d, const char *sql, char *out, size_t n)
{
	pv_err e;
	pv_duck_result *r = NULL;
	if (pv_duck_query(d, sql, &r, &e))
		fail_msg("query '%s': %s", sql, e.msg);
	bool more;
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	assert_true(more);
	size_t at = 0;
	out[0] = '\0';
	for (size_t c = 0; c < pv_duck_result_ncols(r); c++) {
		const char *v = pv_duck_result_text(r, c);
		at += (size_t)snprintf(out + at, n - at, "%s%s", c ? "," : "", v ? v : "");
		assert_true(at < n);
	}
	pv_duck_result_free(r);
}

/* Scalars of every DuckDB type: the Arrow batch rendered as CSV must read
 * as DuckDB's own text of the same values. */
static void test_arrow_scalars_match_duckdb(void **state)
{
	(void)state;
	static const char *const exprs[] = {
		"true", "(-5)::TINYINT", "200::UTINYINT", "(-30000)::SMALLINT", "60000::USMALLINT",
		"(-2000000000)::INTEGER", "4000000000::UINTEGER", "(-9000000000000000000)::BIGINT",
		"18000000000000000000::UBIGINT",
		"(-170141183460469231731687303715884105728)::HUGEINT",
		"340282366920938463463374607431768211455::UHUGEINT",
		"0.1::FLOAT", "(-2.5e-300)::DOUBLE", "'inf'::DOUBLE", "'-inf'::FLOAT",
		"(-12345.678)::DECIMAL(12,3)", "1.5::DECIMAL(4,1)", "12345678901234567890.12::DECIMAL(38,2)",
		"'plain text'", "'a,b\"c'", "''", "'\\x00\\xFFab'::BLOB",
		"'6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID", "'b'::ENUM('a', 'b', 'c')",
		"DATE '2024-02-29'", "DATE '0044-03-15 (BC)'", "TIME '13:45:00.25'",
		"TIMESTAMP '2024-01-02 03:04:05.123456'", "TIMESTAMP_S '2024-01-02 03:04:05'",
		"TIMESTAMP_MS '2024-01-02 03:04:05.5'", "TIMESTAMP_NS '2024-01-02 03:04:05.123456789'",
		"TIMESTAMPTZ '2024-01-02 03:04:05+00'", "INTERVAL '1 year 2 months 3 days 4 hours'",
		"TIMETZ '01:02:03+02'", "'10110'::BIT", "123456789012345678901234567890::VARINT",
		"union_value(k := 7)", "NULL::INTEGER",
	};
	pv_duck *d = open_plain();
	/* the session's zone decides TIMESTAMPTZ text; UTC on both sides */
	pv_err e;
	assert_int_equal(pv_duck_exec(d, "SET TimeZone = 'UTC'", &e), 0);
	for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
		char sql[512], want[1024], got[1024];
		snprintf(sql, sizeof sql, "SELECT %s AS v", exprs[i]);
		duck_text_row(d, sql, want, sizeof want);
		char *csv = render_arrow(d, sql, PV_ROWS_CSV);
		/* "v\n<value>\n": the value, unquoted */
		const char *nl = strchr(csv, '\n');
		assert_non_null(nl);
		snprintf(got, sizeof got, "%s", nl + 1);
		size_t n = strlen(got);
		if (n && got[n - 1] == '\n')
			got[--n] = '\0';
		if (n >= 2 && got[0] == '"' && got[n - 1] == '"') {
			/* CSV quoting: strip and undouble */
			size_t j = 0;
			for (size_t k = 1; k + 1 < n; k++) {
				got[j++] = got[k];
				if (got[k] == '"')
					k++;
			}
			got[j] = '\0';
		}
		if (strcmp(got, want) != 0)
			fail_msg("%s: arrow path gives '%s', duckdb '%s'", exprs[i], got, want);
		free(csv);
	}
	/* the one documented difference: NaN is "NaN" (render/rows.h) */
	char *csv = render_arrow(d, "SELECT 'nan'::DOUBLE AS v", PV_ROWS_CSV);
	assert_string_equal(csv, "v\nNaN\n");
	free(csv);
	pv_duck_close(d);
}

/* Nested values keep their structure (JSON lines), which the text path
 * could not give. */
static void test_arrow_nested(void **state)
{
	(void)state;
	pv_duck *d = open_plain();
	char *j = render_arrow(d,
		"SELECT [1, NULL, 3] AS l, {'a': 1, 'b': 'x'} AS s, MAP {'k': 2} AS m, "
		"[1.5, 2]::FLOAT[2] AS arr, [union_value(k := 1)] AS lu, 'b'::ENUM('a', 'b') AS en, "
		"123::HUGEINT AS h",
		PV_ROWS_JSONL);
	assert_string_equal(j, "{\"l\":[1,null,3],\"s\":{\"a\":1,\"b\":\"x\"},"
			       "\"m\":[{\"key\":\"k\",\"value\":2}],\"arr\":[1.5,2.0],"
			       "\"lu\":\"[1]\",\"en\":\"b\",\"h\":\"123\"}\n");
	free(j);
	pv_duck_close(d);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Millions of rows stream in chunk-sized batches: memory stays flat. */
static void test_arrow_streams(void **state)
{
	(void)state;
	pv_duck *d = open_plain();
	long before = max_rss_kb();
	pv_err e;
	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query_arrow(d, "SELECT i, 'row ' || i AS s FROM range(4000000) t(i)",
					     &r, &e), 0);
	int64_t rows = 0, batches = 0, last = -1;
	for (;;) {
		struct ArrowArray a;
		if (pv_duck_result_next_batch(r, &a, &e))
			fail_msg("batch: %s", e.msg);
		if (!a.release)
			break;
		assert_true(a.length > 0 && a.length <= 2048);
		assert_int_equal(a.n_children, 2);
		const int64_t *v = a.children[0]->buffers[1];
		last = v[a.children[0]->offset + a.length - 1];
		rows += a.length;
		batches++;
		a.release(&a);
	}
	assert_int_equal(rows, 4000000);
	assert_int_equal(last, 3999999);
	assert_true(batches >= 4000000 / 2048);
	/* the end stays the end */
	struct ArrowArray a;
	assert_int_equal(pv_duck_result_next_batch(r, &a, &e), 0);
	assert_null(a.release);
	pv_duck_result_free(r);
	long grew_mb = (max_rss_kb() - before) / 1024;
	/* ASan keeps freed memory in quarantine (256 MB by default) */
#ifdef __SANITIZE_ADDRESS__
	long cap_mb = 150 + 256;
#else
	long cap_mb = 150;
#endif
	if (grew_mb > cap_mb)
		fail_msg("streaming 4,000,000 rows grew the process by %ld MB", grew_mb);
	pv_duck_close(d);
}

/* An error that happens while rows stream comes out of next_batch. */
static void test_arrow_late_error(void **state)
{
	(void)state;
	pv_duck *d = open_plain();
	pv_err e;
	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query_arrow(d,
		"SELECT CASE WHEN i < 500000 THEN i ELSE error('late failure') END AS v "
		"FROM range(1000000) t(i)", &r, &e), 0);
	int rc = 0;
	int64_t rows = 0;
	for (;;) {
		struct ArrowArray a;
		if ((rc = pv_duck_result_next_batch(r, &a, &e)))
			break;
		if (!a.release)
			break;
		rows += a.length;
		a.release(&a);
	}
	assert_int_equal(rc, PV_EINVAL);
	/* DuckDB 1.5 sometimes reports its other workers' interruption
	 * instead of the error that stopped them (a race inside DuckDB) */
	if (!strstr(e.msg, "late failure") && !strstr(e.msg, "Interrupted"))
		fail_msg("late error: %s", e.msg);
	assert_true(rows <= 500000);
	pv_duck_result_free(r);
	/* the session goes on */
	char *csv = render_arrow(d, "SELECT 42 AS x", PV_ROWS_CSV);
	assert_string_equal(csv, "x\n42\n");
	free(csv);
	pv_duck_close(d);
}

/* Statements without rows, several statements, and the two reading modes
 * kept apart. */
static void test_arrow_statements(void **state)
{
	(void)state;
	pv_duck *d = open_plain();
	char *t = render_arrow(d, "CREATE TABLE t AS SELECT range AS a FROM range(3); "
				  "INSERT INTO t VALUES (10); SELECT sum(a) AS s FROM t", PV_ROWS_CSV);
	assert_string_equal(t, "s\n13\n");
	free(t);
	t = render_arrow(d, "", PV_ROWS_CSV);
	assert_string_equal(t, "\n");
	free(t);
	t = render_arrow(d, "SELECT * FROM (SELECT 1 AS a, 2 AS a)", PV_ROWS_CSV);
	assert_string_equal(t, "a,a_1\n1,2\n");
	free(t);
	t = render_arrow(d, "SELECT 1 AS x -- a trailing comment", PV_ROWS_CSV);
	assert_string_equal(t, "x\n1\n");
	free(t);

	pv_err e;
	pv_duck_result *r = NULL;
	bool more;
	assert_int_equal(pv_duck_query_arrow(d, "SELECT 1", &r, &e), 0);
	assert_int_equal(pv_duck_result_next(r, &more, &e), PV_EINVAL);
	pv_duck_result_free(r);
	assert_int_equal(pv_duck_query(d, "SELECT 1 UNION ALL SELECT 2", &r, &e), 0);
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	struct ArrowArray a;
	assert_int_equal(pv_duck_result_next_batch(r, &a, &e), PV_EINVAL);
	pv_duck_result_free(r);
	/* a text result read as batches: strings */
	assert_int_equal(pv_duck_query(d, "SELECT 5 AS n", &r, &e), 0);
	struct ArrowSchema s;
	assert_int_equal(pv_duck_result_schema(r, &s, &e), 0);
	assert_int_equal(s.n_children, 1);
	assert_string_equal(s.children[0]->format, "u");
	s.release(&s);
	pv_duck_result_free(r);

	/* what a shell prints nothing for */
	static const struct {
		const char *sql;
		bool silent;
	} kinds[] = {
		{ "SELECT 1", false }, { "SET threads = 2", true }, { "CREATE TABLE k (a INT)", true },
		{ "INSERT INTO k VALUES (1)", false }, { "BEGIN", true }, { "COMMIT", true },
		{ "CREATE VIEW kv AS SELECT 1", true }, { "DROP VIEW kv", true },
		{ "EXPLAIN SELECT 1", false }, { "PRAGMA version", false },
		{ "SET VARIABLE x = 1", true }, { "CREATE MACRO m(a) AS a + 1", true },
		{ "ALTER TABLE k ADD COLUMN b INT", true }, { "DESCRIBE k", false },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (pv_duck_query_arrow(d, kinds[i].sql, &r, &e))
			fail_msg("%s: %s", kinds[i].sql, e.msg);
		if (pv_duck_result_silent(r) != kinds[i].silent)
			fail_msg("%s: silent is %d", kinds[i].sql, !kinds[i].silent);
		pv_duck_result_free(r);
	}
	assert_int_equal(pv_duck_query_arrow(d, "SELEC 1", &r, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "syntax error"));
	pv_duck_close(d);
}

/* Errors are one line without DuckDB's "LINE 1:" context; the position
 * it pointed at is a byte offset into the whole text. */
static void test_error_position(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *msg;
		int64_t pos;
	} cases[] = {
		{ "SELEC 2", "Parser Error: syntax error at or near \"SELEC\"", 0 },
		{ "SELECT 'open", "Parser Error: unterminated quoted string at or near \"'open\"", 7 },
		{ "SELECT 1;\nSELECT nope FROM range(3)",
		  "Binder Error: Referenced column \"nope\" not found in FROM clause! "
		  "Candidate bindings: \"range\"", 17 },
		{ "SELECT error('no position')", "Invalid Input Error: no position", -1 },
		/* escapes in DuckDB's JSON: a newline becomes a space, the rest is kept */
		{ "SELECT error('a' || chr(10) || 'b \"q\" \\ \u00e9 ' || chr(1) || 'c')",
		  "Invalid Input Error: a b \"q\" \\ \u00e9 c", -1 },
	};
	pv_duck *d = open_plain();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pv_err e;
		pv_duck_result *r = NULL;
		assert_int_equal(pv_duck_query_arrow(d, cases[i].sql, &r, &e), PV_EINVAL);
		assert_null(r);
		assert_string_equal(e.msg, cases[i].msg);
		assert_int_equal(pv_duck_error_position(), cases[i].pos);
	}
	pv_duck_close(d);
}

/* The names `sql --as` and `serve --as` take. */
static void test_plain_name(void **state)
{
	(void)state;
	static const char *good[] = { "data", "_x", "Docs_2", "a1" };
	static const char *bad[] = { "", "1a", "bad name", "bad-name", "a.b", "\xc3\xa9" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_true(pv_sql_plain_name(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(pv_sql_plain_name(bad[i], strlen(bad[i])));
	assert_true(pv_sql_plain_name("ab=c", 2)); /* only the first n bytes */
}

/* ---- sessions ---- */

static char tmpdir[256];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pv_test_sql.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static pv_dataset *open_ds(const char *path)
{
	pv_dataset *ds = NULL;
	pv_err e;
	const char *args[] = { path };
	if (pv_dataset_open(args, 1, NULL, &ds, &e))
		fail_msg("dataset '%s': %s", path, e.msg);
	return ds;
}

/* First column of the first row as text through the Arrow path. */
static char *scalar_csv(pv_duck *d, const char *sql)
{
	char *csv = render_arrow(d, sql, PV_ROWS_CSV);
	char *nl = strchr(csv, '\n');
	assert_non_null(nl);
	memmove(csv, nl + 1, strlen(nl + 1) + 1);
	size_t n = strlen(csv);
	if (n && csv[n - 1] == '\n')
		csv[n - 1] = '\0';
	return csv;
}

static void expect_scalar(pv_duck *d, const char *sql, const char *want)
{
	char *got = scalar_csv(d, sql);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", sql, got, want);
	free(got);
}

/* A hive dataset with schema evolution, written by DuckDB: the view has
 * the partition columns with parqview's types, NULL where an old shard
 * lacks a column. */
static void test_session_views(void **state)
{
	(void)state;
	char dir[512], sql[2048];
	snprintf(dir, sizeof dir, "%s/hive", tmpdir);
	pv_duck *w = open_plain();
	pv_err e;
	char sub[600];
	snprintf(sub, sizeof sub, "%s/day=2024-03-09", dir);
	assert_int_equal(mkdir(dir, 0777) || mkdir(sub, 0777), 0);
	snprintf(sub, sizeof sub, "%s/day=2024-03-09/shard=7", dir);
	assert_int_equal(mkdir(sub, 0777), 0);
	snprintf(sql, sizeof sql,
		 "COPY (SELECT i AS id, DATE '2024-03-01' + (i %% 3)::INT AS day, i %% 2 AS shard "
		 "FROM range(30) t(i)) TO '%s' (FORMAT parquet, PARTITION_BY (day, shard), OVERWRITE_OR_IGNORE); "
		 "COPY (SELECT 100 + i AS id, 'lbl' || i AS label FROM range(5) t(i)) "
		 "TO '%s/day=2024-03-09/shard=7/new.parquet' (FORMAT parquet)",
		 dir, dir);
	if (pv_duck_exec(w, sql, &e))
		fail_msg("%s", e.msg);
	pv_duck_close(w);

	pv_dataset *ds = open_ds(dir);
	char eval[512];
	pv_test_file(eval, sizeof eval, "data/alltypes_plain.parquet");
	pv_dataset *ds2 = open_ds(eval);
	pv_sql_view views[] = { { .name = "data", .ds = ds }, { .name = "all types", .ds = ds2 } };
	pv_duck *d = NULL;
	if (pv_sql_open(views, 2, NULL, &d, &e))
		fail_msg("pv_sql_open: %s", e.msg);
	expect_scalar(d, "SELECT count(*) FROM data", "35");
	expect_scalar(d, "SELECT string_agg(column_name || ' ' || column_type, '; ') FROM "
			 "(DESCRIBE data)", "id BIGINT; label VARCHAR; day DATE; shard BIGINT");
	expect_scalar(d, "SELECT count(*) FROM data WHERE label IS NULL", "30");
	expect_scalar(d, "SELECT count(*) FROM data WHERE day = DATE '2024-03-02' AND shard = 1",
		      "5");
	expect_scalar(d, "SELECT count(*) FROM \"all types\"", "8");
	/* a file named on the command line is also readable by name */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM '%s'", eval);
	expect_scalar(d, sql, "8");
	pv_duck_close(d);

	/* two views of one name */
	pv_sql_view twice[] = { { .name = "data", .ds = ds }, { .name = "DATA", .ds = ds2 } };
	assert_int_equal(pv_sql_open(twice, 2, NULL, &d, &e), PV_EINVAL);
	assert_null(d);
	assert_non_null(strstr(e.msg, "named twice"));
	pv_dataset_free(ds);
	pv_dataset_free(ds2);

	/* a dataset none of whose files can be read */
	char bad[512];
	pv_test_file(bad, sizeof bad, "bad_data/PARQUET-1481.parquet");
	ds = open_ds(bad);
	assert_int_equal(ds->n_failed, 1);
	pv_sql_view badv = { .name = "data", .ds = ds };
	assert_int_equal(pv_sql_open(&badv, 1, NULL, &d, &e), PV_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no readable file"));
	pv_dataset_free(ds);
}

/* Expects sql to fail in d with a message containing want. */
static void refused(pv_duck *d, const char *sql, const char *want)
{
	pv_err e;
	pv_duck_result *r = NULL;
	int rc = pv_duck_query_arrow(d, sql, &r, &e);
	if (rc == 0) {
		struct ArrowArray a;
		rc = pv_duck_result_next_batch(r, &a, &e);
		if (rc == 0 && a.release)
			a.release(&a);
		pv_duck_result_free(r);
	}
	if (rc == 0)
		fail_msg("'%s' was allowed", sql);
	if (!strcasestr(e.msg, want))
		fail_msg("'%s' failed with '%s', expected '%s'", sql, e.msg, want);
}

static void test_session_restricted(void **state)
{
	(void)state;
	char file[512], other[512], out[512], sql[1200];
	pv_test_file(file, sizeof file, "data/alltypes_plain.parquet");
	pv_test_file(other, sizeof other, "data/alltypes_dictionary.parquet");
	snprintf(out, sizeof out, "%s/export.parquet", tmpdir);
	FILE *f = fopen(out, "w");
	assert_non_null(f);
	fclose(f);
	pv_dataset *ds = open_ds(file);
	pv_sql_view v = { .name = "data", .ds = ds };
	const char *writes[] = { out };
	pv_sql_opts o = { .threads = 2, .write_paths = writes, .n_write_paths = 1 };
	pv_duck *d = NULL;
	pv_err e;
	if (pv_sql_open(&v, 1, &o, &d, &e))
		fail_msg("pv_sql_open: %s", e.msg);
	expect_scalar(d, "SELECT count(*) FROM data", "8");

	refused(d, "SELECT * FROM read_csv('/etc/passwd')", "/etc/passwd");
	refused(d, "SELECT * FROM read_text('/etc/passwd')", "/etc/passwd");
	snprintf(sql, sizeof sql, "SELECT * FROM read_parquet('%s')", other);
	refused(d, sql, "alltypes_dictionary");
	refused(d, "COPY (SELECT 1) TO '/tmp/pv_test_sql_forbidden.csv'", "pv_test_sql_forbidden");
	assert_int_equal(access("/tmp/pv_test_sql_forbidden.csv", F_OK), -1);
	refused(d, "INSTALL httpfs", "disabled");
	refused(d, "LOAD httpfs", "disabled");
	snprintf(sql, sizeof sql, "ATTACH '%s/other.db' AS o", tmpdir);
	refused(d, sql, "other.db");
	/* (ATTACH ':memory:' touches no file and stays allowed) */
	refused(d, "SET enable_external_access = true", "locked");
	refused(d, "SET allowed_paths = ['/etc/passwd']", "locked");
	refused(d, "SET allowed_directories = ['/']", "locked");
	refused(d, "SET lock_configuration = false", "locked");
	refused(d, "RESET enable_external_access", "locked");
	/* the write path is writable, and only with the query's rows */
	snprintf(sql, sizeof sql, "COPY (SELECT id FROM data) TO '%s' (FORMAT parquet, USE_TMP_FILE false)", out);
	char *n = render_arrow(d, sql, PV_ROWS_CSV);
	assert_string_equal(n, "Count\n8\n");
	free(n);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s')", out);
	expect_scalar(d, sql, "8");
	pv_duck_close(d);

	/* unsafe lifts it */
	o.unsafe = true;
	if (pv_sql_open(&v, 1, &o, &d, &e))
		fail_msg("pv_sql_open unsafe: %s", e.msg);
	expect_scalar(d, "SELECT count(*) > 0 FROM read_text('/etc/passwd')", "true");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s')", other);
	expect_scalar(d, sql, "2");
	pv_duck_close(d);
	pv_dataset_free(ds);
}

/* Directories listed with a view may be read and globbed; others not. */
static void test_session_dirs(void **state)
{
	(void)state;
	char dir[512], file[512], sql[1200];
	pv_test_file(dir, sizeof dir, "data");
	pv_test_file(file, sizeof file, "data/alltypes_plain.parquet");
	pv_dataset *ds = open_ds(file);
	const char *dirs[] = { dir };
	pv_sql_view v = { .name = "data", .ds = ds, .dirs = dirs, .n_dirs = 1 };
	pv_duck *d = NULL;
	pv_err e;
	if (pv_sql_open(&v, 1, NULL, &d, &e))
		fail_msg("pv_sql_open: %s", e.msg);
	snprintf(sql, sizeof sql, "SELECT count(*) > 1 FROM glob('%s/*.parquet')", dir);
	expect_scalar(d, sql, "true");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM '%s/alltypes_dictionary.parquet'", dir);
	expect_scalar(d, sql, "2");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s/../bad_data/*.parquet')",
		 dir);
	refused(d, sql, "bad_data");
	pv_duck_close(d);
	pv_dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arrow_scalars_match_duckdb),
		cmocka_unit_test(test_arrow_nested),
		cmocka_unit_test(test_arrow_streams),
		cmocka_unit_test(test_arrow_late_error),
		cmocka_unit_test(test_arrow_statements),
		cmocka_unit_test(test_error_position),
		cmocka_unit_test(test_plain_name),
		cmocka_unit_test(test_session_views),
		cmocka_unit_test(test_session_restricted),
		cmocka_unit_test(test_session_dirs),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
