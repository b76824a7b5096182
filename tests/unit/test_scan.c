/*
 * test_scan.c - dataset/scan: global row addressing and the scan iterator
 * over a dataset that DuckDB writes for the run (src/sql/duck.h, the same
 * library build/tools/duckq uses): three files under hive directories
 * k=1, k=2, k=3 with 5000, 3000 and 4100 rows in row groups of 2048 rows,
 * the second file lacking column x. Column id holds the global row index,
 * so every batch can be checked row by row. Without DuckDB the tests are
 * skipped.
 */
#include "testutil.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset/dataset.h"
#include "dataset/sample.h"
#include "dataset/scan.h"
#include "sql/duck.h"

static char tmpdir[256];
static bool have_data;

#define GEN_SQL \
	"SET threads = 1;" \
	"COPY (SELECT i AS id, 'r' || i AS s, (i * 0.5)::DOUBLE AS x," \
	"  {'a': i, 'b': CASE WHEN i %% 7 = 0 THEN NULL ELSE 'b' || i END} AS st," \
	"  CASE WHEN i %% 5 = 0 THEN NULL ELSE {'a': (i %% 3)::INTEGER, 'b': 'q'} END AS st2," \
	"  [i, i + 1] AS l FROM range(0, 5000) t(i))" \
	"  TO '%1$s/ds/k=1/a.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048);" \
	"COPY (SELECT i AS id, 'r' || i AS s," \
	"  {'a': i, 'b': CASE WHEN i %% 7 = 0 THEN NULL ELSE 'b' || i END} AS st," \
	"  CASE WHEN i %% 5 = 0 THEN NULL ELSE {'a': (i %% 3)::INTEGER, 'b': 'q'} END AS st2," \
	"  [i, i + 1] AS l FROM range(5000, 8000) t(i))" \
	"  TO '%1$s/ds/k=2/b.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048);" \
	"COPY (SELECT i AS id, 'r' || i AS s, (i * 0.5)::DOUBLE AS x," \
	"  {'a': i, 'b': CASE WHEN i %% 7 = 0 THEN NULL ELSE 'b' || i END} AS st," \
	"  CASE WHEN i %% 5 = 0 THEN NULL ELSE {'a': (i %% 3)::INTEGER, 'b': 'q'} END AS st2," \
	"  [i, i + 1] AS l FROM range(8000, 12100) t(i))" \
	"  TO '%1$s/ds/k=3/c.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048);" \
	/* a dataset whose column v changes type between files */ \
	"COPY (SELECT i AS id, i::INTEGER AS v FROM range(0, 10) t(i)) TO '%1$s/cf/a.parquet' (FORMAT parquet);" \
	"COPY (SELECT i AS id, 'v' || i AS v FROM range(10, 20) t(i)) TO '%1$s/cf/b.parquet' (FORMAT parquet);" \
	/* partition values of every type (PT1 sorts first) */ \
	"COPY (SELECT 1 AS id) TO '%1$s/" PT1 "/a.parquet' (FORMAT parquet);" \
	"COPY (SELECT 2 AS id) TO '%1$s/" PT2 "/b.parquet' (FORMAT parquet);"

#define PT1 "pt/d=1970-01-02/t=1970-01-01 00:00:01.5/b=false/r=-2/s=" PV_HIVE_NULL
#define PT2 "pt/d=2024-01-01/t=2024-01-01 10:00:00/b=true/r=1.5/s=web"

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pv_test_scan_XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	char path[512];
	const char *dirs[] = { "ds", "ds/k=1", "ds/k=2", "ds/k=3", "cf", PT1, PT2 };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, dirs[i]);
		for (char *p = path + strlen(tmpdir) + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(path, 0755);
				*p = '/';
			}
		mkdir(path, 0755);
	}
	pv_duck *d;
	pv_err e;
	if (pv_duck_open(NULL, &d, &e)) {
		print_message("# duckdb not available: %s\n", e.msg);
		return 0;
	}
	char sql[8192];
	snprintf(sql, sizeof sql, GEN_SQL, tmpdir);
	int rc = pv_duck_exec(d, sql, &e);
	if (rc)
		print_message("# generating the dataset failed: %s\n", e.msg);
	pv_duck_close(d);
	have_data = rc == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static pv_dataset *open_ds(const char *rel)
{
	if (!have_data)
		skip();
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	const char *args[] = { path };
	pv_dataset *ds;
	pv_err e;
	assert_int_equal(pv_dataset_open(args, 1, NULL, &ds, &e), 0);
	assert_int_equal(ds->n_failed, 0);
	return ds;
}

/* ---- reading values out of batches */

static bool valid_at(const struct ArrowArray *a, int64_t i)
{
	const uint8_t *v = a->n_buffers ? a->buffers[0] : NULL;
	int64_t at = a->offset + i;
	return !v || (v[at >> 3] >> (at & 7) & 1);
}

static int64_t i64_at(const struct ArrowArray *a, int64_t i)
{
	return ((const int64_t *)a->buffers[1])[a->offset + i];
}

static double f64_at(const struct ArrowArray *a, int64_t i)
{
	return ((const double *)a->buffers[1])[a->offset + i];
}

/* The string at i of a "u" array, into buf. */
static const char *str_at(const struct ArrowArray *a, int64_t i, char *buf, size_t n)
{
	const int32_t *off = a->buffers[1];
	const char *data = a->buffers[2];
	int32_t s = off[a->offset + i], e = off[a->offset + i + 1];
	snprintf(buf, n, "%.*s", (int)(e - s), data + s);
	return buf;
}

static long child_named(const struct ArrowSchema *s, const char *name)
{
	for (int64_t i = 0; i < s->n_children; i++)
		if (!strcmp(s->children[i]->name, name))
			return (long)i;
	return -1;
}

/* ---- addressing */

static void test_rowmap(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_rowmap m;
	pv_err e;
	assert_int_equal(pv_rowmap_init(&m, ds, &e), 0);
	assert_int_equal(m.n_rows, 12100);
	assert_int_equal(m.n_rows, ds->n_rows);
	assert_int_equal(m.n_entries, 8); /* 3 + 2 + 3 row groups */
	static const struct {
		int64_t row;
		size_t file, rg;
		int64_t in_rg, rg_first, rg_rows;
	} cases[] = {
		{ 0, 0, 0, 0, 0, 2048 },         { 2047, 0, 0, 2047, 0, 2048 },
		{ 2048, 0, 1, 0, 2048, 2048 },   { 4095, 0, 1, 2047, 2048, 2048 },
		{ 4096, 0, 2, 0, 4096, 904 },    { 4999, 0, 2, 903, 4096, 904 },
		{ 5000, 1, 0, 0, 5000, 2048 },   { 7047, 1, 0, 2047, 5000, 2048 },
		{ 7048, 1, 1, 0, 7048, 952 },    { 7999, 1, 1, 951, 7048, 952 },
		{ 8000, 2, 0, 0, 8000, 2048 },   { 12095, 2, 1, 2047, 10048, 2048 },
		{ 12096, 2, 2, 0, 12096, 4 },    { 12099, 2, 2, 3, 12096, 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pv_rowpos p;
		assert_int_equal(pv_rowmap_locate(&m, cases[i].row, &p, &e), 0);
		assert_int_equal(p.file, cases[i].file);
		assert_int_equal(p.row_group, cases[i].rg);
		assert_int_equal(p.row, cases[i].in_rg);
		assert_int_equal(p.rg_first, cases[i].rg_first);
		assert_int_equal(p.rg_rows, cases[i].rg_rows);
		assert_int_equal(p.rg_first + p.row, cases[i].row);
	}
	pv_rowpos p;
	assert_int_equal(pv_rowmap_locate(&m, 12100, &p, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(pv_rowmap_locate(&m, -1, &p, &e), PV_EINVAL);
	pv_rowmap_release(&m);
	pv_rowmap_release(&m);
	pv_rowmap_release(NULL);
	pv_dataset_free(ds);
}

/* A footer whose num_rows is 0 while its row group holds 6 rows (old
 * parquet-rs): the row groups say where the rows are, so they count. */
static void test_rowmap_footer_mismatch(void **state)
{
	char path[512];
	pv_test_file(path, sizeof path, "data/repeated_no_annotation.parquet");
	const char *args[] = { path };
	pv_dataset *ds;
	pv_err e;
	assert_int_equal(pv_dataset_open(args, 1, NULL, &ds, &e), 0);
	assert_int_equal(ds->files[0].pf->meta->num_rows, 0);
	pv_rowmap m;
	assert_int_equal(pv_rowmap_init(&m, ds, &e), 0);
	assert_int_equal(m.n_rows, 6);
	assert_int_equal(m.file_rows[0], 6);
	assert_int_equal(m.file_first[0], 0);
	pv_rowpos p;
	assert_int_equal(pv_rowmap_locate(&m, 5, &p, &e), 0);
	assert_int_equal(p.row, 5);
	pv_rowmap_release(&m);
	pv_row_range all = { 0, 100 };
	pv_scan *s;
	assert_int_equal(pv_scan_open(ds, NULL, &all, 1, &s, &e), 0);
	assert_int_equal(pv_scan_n_rows(s), 6);
	struct ArrowArray b;
	int64_t first;
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_int_equal(b.length, 6);
	b.release(&b);
	pv_scan_close(s);
	pv_dataset_free(ds);
}

/* ---- scanning */

/* Reads every batch of a scan and checks it against what id says the row
 * is: ids equal the global row, x is NULL in the second file, k is the
 * partition of the file. Returns the rows seen. */
static int64_t check_scan(pv_scan *s, int64_t *expect_rows, size_t n_expect, int64_t batch_max)
{
	struct ArrowSchema sch;
	pv_err e;
	assert_int_equal(pv_scan_schema(s, &sch, &e), 0);
	assert_string_equal(sch.format, "+s");
	long c_id = child_named(&sch, "id"), c_x = child_named(&sch, "x"), c_k = child_named(&sch, "k");
	long c_s = child_named(&sch, "s");
	assert_true(c_id >= 0);
	size_t at = 0;
	int64_t seen = 0;
	for (;;) {
		struct ArrowArray b;
		int64_t first;
		assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
		if (!b.release)
			break;
		assert_true(b.length > 0 && b.length <= batch_max);
		assert_int_equal(b.n_children, sch.n_children);
		for (int64_t i = 0; i < b.length; i++) {
			int64_t row = first + i;
			assert_true(at < n_expect);
			assert_int_equal(row, expect_rows[at++]);
			assert_int_equal(i64_at(b.children[c_id], i), row);
			if (c_x >= 0) {
				bool in_b = row >= 5000 && row < 8000;
				assert_int_equal(valid_at(b.children[c_x], i), !in_b);
				if (!in_b)
					assert_true(f64_at(b.children[c_x], i) == (double)row * 0.5);
			}
			if (c_k >= 0) {
				assert_true(valid_at(b.children[c_k], i));
				assert_int_equal(i64_at(b.children[c_k], i), row < 5000 ? 1 : row < 8000 ? 2 : 3);
			}
			if (c_s >= 0) {
				char buf[32], want[32];
				snprintf(want, sizeof want, "r%lld", (long long)row);
				assert_string_equal(str_at(b.children[c_s], i, buf, sizeof buf), want);
			}
		}
		seen += b.length;
		b.release(&b);
		assert_null(b.release);
	}
	assert_int_equal(at, n_expect);
	assert_int_equal(pv_scan_rows_done(s), seen);
	sch.release(&sch);
	return seen;
}

static void test_scan_ranges(void **state)
{
	pv_dataset *ds = open_ds("ds");
	/* first rows, across a row group, across files, past the end, and
	 * overlapping and out-of-order requests */
	pv_row_range ranges[] = {
		{ 12090, 1000 }, { 0, 10 }, { 2040, 20 }, { 4990, 20 }, { 5, 10 }, { 7990, 11 },
	};
	int64_t want[200];
	size_t n = 0;
	for (int64_t r = 0; r < 15; r++)
		want[n++] = r;
	for (int64_t r = 2040; r < 2060; r++)
		want[n++] = r;
	for (int64_t r = 4990; r < 5010; r++)
		want[n++] = r;
	for (int64_t r = 7990; r < 8001; r++)
		want[n++] = r;
	for (int64_t r = 12090; r < 12100; r++)
		want[n++] = r;
	pv_scan *s;
	pv_err e;
	pv_scan_opts o = { .batch_rows = 7, .verify_crc = true };
	assert_int_equal(pv_scan_open(ds, &o, ranges, sizeof ranges / sizeof *ranges, &s, &e), 0);
	assert_int_equal(pv_scan_n_rows(s), (int64_t)n);
	assert_int_equal(pv_scan_n_columns(s), 7); /* id s x st st2 l k */
	assert_string_equal(pv_scan_column_name(s, 6), "k");
	assert_null(pv_scan_column_name(s, 7));
	assert_int_equal(check_scan(s, want, n, 7), (int64_t)n);
	/* after the end it stays at the end */
	struct ArrowArray b;
	int64_t first;
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_null(b.release);
	pv_scan_close(s);
	pv_scan_close(NULL);
	pv_dataset_free(ds);
}

static void test_scan_all(void **state)
{
	pv_dataset *ds = open_ds("ds");
	int64_t *want = malloc(12100 * sizeof *want);
	assert_non_null(want);
	for (int64_t r = 0; r < 12100; r++)
		want[r] = r;
	pv_row_range all = { 0, INT64_MAX };
	pv_scan *s;
	pv_err e;
	assert_int_equal(pv_scan_open(ds, NULL, &all, 1, &s, &e), 0);
	assert_int_equal(pv_scan_n_rows(s), 12100);
	assert_int_equal(check_scan(s, want, 12100, PV_SCAN_BATCH_ROWS), 12100);
	pv_scan_close(s);
	/* the last row alone, and nothing */
	pv_row_range last = { 12099, 1 }, none = { 20000, 5 };
	assert_int_equal(pv_scan_open(ds, NULL, &last, 1, &s, &e), 0);
	assert_int_equal(check_scan(s, want + 12099, 1, 1), 1);
	pv_scan_close(s);
	assert_int_equal(pv_scan_open(ds, NULL, &none, 1, &s, &e), 0);
	assert_int_equal(pv_scan_n_rows(s), 0);
	assert_int_equal(check_scan(s, NULL, 0, 1), 0);
	pv_scan_close(s);
	free(want);
	pv_dataset_free(ds);
}

/* The reader cache: scans that take readers from it read the same rows as
 * scans without it, going forward, backward and across files, from
 * several threads at once; idle readers stay under the cap. */
typedef struct cache_job {
	pv_dataset *ds;
	pv_rgcache *cache;
	int seed;
	int failures;
} cache_job;

static void *cache_worker(void *arg)
{
	cache_job *j = arg;
	for (int k = 0; k < 40; k++) {
		int64_t first = (int64_t)((j->seed * 7919 + k * 3571) % 12000);
		pv_row_range r = { first, 50 };
		pv_scan_opts o = { .cache = j->cache, .columns = "id,s,k" };
		pv_scan *s;
		pv_err e;
		if (pv_scan_open(j->ds, &o, &r, 1, &s, &e)) {
			j->failures++;
			continue;
		}
		int64_t want = first;
		for (;;) {
			struct ArrowArray b;
			int64_t at;
			if (pv_scan_next(s, &b, &at, &e)) {
				j->failures++;
				break;
			}
			if (!b.release)
				break;
			for (int64_t i = 0; i < b.length; i++, want++) {
				char buf[32], exp[32];
				snprintf(exp, sizeof exp, "r%lld", (long long)want);
				if (at + i != want || i64_at(b.children[0], i) != want ||
				    strcmp(str_at(b.children[1], i, buf, sizeof buf), exp) ||
				    i64_at(b.children[2], i) != (want < 5000 ? 1 : want < 8000 ? 2 : 3))
					j->failures++;
			}
			b.release(&b);
		}
		if (want != first + 50)
			j->failures++;
		pv_scan_close(s);
	}
	return NULL;
}

static void test_scan_cache(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_rgcache *c;
	pv_err e;
	assert_int_equal(pv_rgcache_new(ds, 3, &c, &e), 0);
	int64_t want[60];
	/* forward, then back inside the same row group, then another file */
	int64_t starts[] = { 100, 130, 10, 6000, 120 };
	for (size_t k = 0; k < 5; k++) {
		pv_row_range r = { starts[k], 60 };
		for (int64_t i = 0; i < 60; i++)
			want[i] = starts[k] + i;
		pv_scan_opts o = { .cache = c };
		pv_scan *s;
		assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), 0);
		assert_int_equal(check_scan(s, want, 60, PV_SCAN_BATCH_ROWS), 60);
		pv_scan_close(s);
	}
	/* the 2nd, 3rd and 5th scans found their row group's reader */
	assert_int_equal(pv_rgcache_hits(c), 3);
	pthread_t t[4];
	cache_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (cache_job){ ds, c, i + 1, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, cache_worker, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].failures, 0);
	}
	assert_true(pv_rgcache_hits(c) > 3);
	pv_rgcache_free(c);
	pv_rgcache_free(NULL);
	pv_dataset_free(ds);
}

/* Projection: dotted names, NULL where a struct on the path is NULL,
 * partition columns alone, and the order of the selection. */
static void test_scan_columns(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_row_range r = { 4990, 30 };
	pv_scan *s;
	pv_err e;
	pv_scan_opts o = { .columns = " k , st2.a,st.b,id, l" };
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), 0);
	struct ArrowSchema sch;
	assert_int_equal(pv_scan_schema(s, &sch, &e), 0);
	assert_int_equal(sch.n_children, 5);
	const char *names[] = { "k", "st2.a", "st.b", "id", "l" };
	const char *formats[] = { "l", "i", "u", "l", "+l" };
	for (int i = 0; i < 5; i++) {
		assert_string_equal(sch.children[i]->name, names[i]);
		assert_string_equal(sch.children[i]->format, formats[i]);
	}
	assert_true(sch.children[1]->flags & ARROW_FLAG_NULLABLE);
	sch.release(&sch);
	int64_t seen = 0;
	for (;;) {
		struct ArrowArray b;
		int64_t first;
		assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
		if (!b.release)
			break;
		for (int64_t i = 0; i < b.length; i++) {
			int64_t row = first + i;
			assert_int_equal(i64_at(b.children[3], i), row);
			const struct ArrowArray *a = b.children[1];
			assert_int_equal(valid_at(a, i), row % 5 != 0);
			if (row % 5)
				assert_int_equal(((const int32_t *)a->buffers[1])[a->offset + i], row % 3);
			assert_int_equal(valid_at(b.children[2], i), row % 7 != 0);
			if (row % 7) {
				char buf[32], want[32];
				snprintf(want, sizeof want, "b%lld", (long long)row);
				assert_string_equal(str_at(b.children[2], i, buf, sizeof buf), want);
			}
			/* the list [id, id + 1] */
			const struct ArrowArray *l = b.children[4];
			const int32_t *off = l->buffers[1];
			int32_t o0 = off[l->offset + i];
			assert_int_equal(off[l->offset + i + 1] - o0, 2);
			const struct ArrowArray *v = l->children[0];
			assert_int_equal(i64_at(v, o0), row);
			assert_int_equal(i64_at(v, o0 + 1), row + 1);
		}
		int64_t nulls = 0;
		for (int64_t i = 0; i < b.length; i++)
			nulls += !valid_at(b.children[1], i);
		assert_int_equal(b.children[1]->null_count, nulls);
		seen += b.length;
		/* children can be moved out and outlive their parent */
		struct ArrowArray moved = *b.children[3];
		b.children[3]->release = NULL;
		b.release(&b);
		assert_int_equal(i64_at(&moved, 0), first);
		moved.release(&moved);
	}
	assert_int_equal(seen, 30);
	pv_scan_close(s);

	/* only a partition column: no file is opened for values */
	o.columns = "k";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), 0);
	int64_t want[30];
	for (int i = 0; i < 30; i++)
		want[i] = 4990 + i;
	(void)want;
	struct ArrowArray b;
	int64_t first;
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_int_equal(first, 4990);
	assert_int_equal(b.length, 10);
	assert_int_equal(i64_at(b.children[0], 9), 1);
	b.release(&b);
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_int_equal(first, 5000);
	assert_int_equal(i64_at(b.children[0], 0), 2);
	b.release(&b);
	pv_scan_close(s);
	pv_dataset_free(ds);
}

static void test_scan_errors(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_row_range r = { 0, 10 };
	pv_scan *s = (pv_scan *)1;
	pv_err e;
	pv_scan_opts o = { .columns = "idd" };
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	assert_null(s);
	assert_string_equal(e.msg, "unknown column 'idd' (did you mean 'id'?)");
	o.columns = "zzzzzz";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "unknown column 'zzzzzz' (have: id, s, x, st, st2, l, k)"));
	o.columns = "id,,s";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "empty column name"));
	o.columns = "id.a";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "'id' is not a struct"));
	o.columns = "st.c";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	assert_string_equal(e.msg, "unknown field 'c' in 'st' (did you mean 'a', 'b'?)");
	o.columns = "l.element";
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	o.columns = NULL;
	pv_row_range neg = { -1, 5 };
	assert_int_equal(pv_scan_open(ds, &o, &neg, 1, &s, &e), PV_EINVAL);
	o.batch_rows = -1;
	assert_int_equal(pv_scan_open(ds, &o, &r, 1, &s, &e), PV_EINVAL);
	pv_dataset_free(ds);

	/* a column whose type differs between files: an error when the rows
	 * reach the file, none when they do not or the column is not read */
	ds = open_ds("cf");
	pv_row_range early = { 0, 5 }, late = { 12, 3 };
	assert_int_equal(pv_scan_open(ds, NULL, &early, 1, &s, &e), 0);
	pv_scan_close(s);
	assert_int_equal(pv_scan_open(ds, NULL, &late, 1, &s, &e), PV_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "column 'v' is BYTE_ARRAY "));
	assert_non_null(strstr(e.msg, "/cf/b.parquet' but INT32"));
	assert_non_null(strstr(e.msg, " elsewhere; select other columns with --columns"));
	o = (pv_scan_opts){ .columns = "id" };
	assert_int_equal(pv_scan_open(ds, &o, &late, 1, &s, &e), 0);
	int64_t want[] = { 12, 13, 14 };
	(void)want;
	struct ArrowArray b;
	int64_t first;
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_int_equal(b.length, 3);
	assert_int_equal(i64_at(b.children[0], 0), 12);
	b.release(&b);
	pv_scan_close(s);
	pv_dataset_free(ds);
}

/* Partition columns of each type: their Arrow formats, their values
 * repeated down the batch, and NULL for __HIVE_DEFAULT_PARTITION__. */
static void test_scan_partitions(void **state)
{
	pv_dataset *ds = open_ds("pt");
	pv_row_range all = { 0, 10 };
	pv_scan *s;
	pv_err e;
	assert_int_equal(pv_scan_open(ds, NULL, &all, 1, &s, &e), 0);
	struct ArrowSchema sch;
	assert_int_equal(pv_scan_schema(s, &sch, &e), 0);
	const char *names[] = { "id", "d", "t", "b", "r", "s" };
	const char *formats[] = { "i", "tdD", "tsu:", "b", "g", "u" };
	assert_int_equal(sch.n_children, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(sch.children[i]->name, names[i]);
		assert_string_equal(sch.children[i]->format, formats[i]);
	}
	sch.release(&sch);
	struct ArrowArray b;
	int64_t first;
	for (int f = 0; f < 2; f++) {
		assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
		assert_int_equal(first, f);
		assert_int_equal(b.length, 1);
		assert_int_equal(((const int32_t *)b.children[1]->buffers[1])[0], f ? 19723 : 1);
		assert_int_equal(((const int64_t *)b.children[2]->buffers[1])[0],
				 f ? (int64_t)1704103200 * 1000000 : 1500000);
		assert_int_equal(((const uint8_t *)b.children[3]->buffers[1])[0] & 1, f ? 1 : 0);
		assert_true(((const double *)b.children[4]->buffers[1])[0] == (f ? 1.5 : -2.0));
		char buf[16];
		if (!f) {
			assert_false(valid_at(b.children[5], 0));
			assert_int_equal(b.children[5]->null_count, 1);
		} else {
			assert_string_equal(str_at(b.children[5], 0, buf, sizeof buf), "web");
		}
		b.release(&b);
	}
	assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
	assert_null(b.release);
	pv_scan_close(s);
	pv_dataset_free(ds);
}

/* A sample read through a scan: the rows come back in order, each once. */
static void test_scan_sample(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_row_range *r;
	size_t n;
	pv_err e;
	assert_int_equal(pv_sample_draw(ds->n_rows, 300, 99, &r, &n, &e), 0);
	int64_t want[300];
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (int64_t j = 0; j < r[i].count; j++)
			want[k++] = r[i].first + j;
	assert_int_equal(k, 300);
	pv_scan *s;
	pv_scan_opts o = { .columns = "id,x,k" };
	assert_int_equal(pv_scan_open(ds, &o, r, n, &s, &e), 0);
	assert_int_equal(check_scan(s, want, 300, PV_SCAN_BATCH_ROWS), 300);
	pv_scan_close(s);
	free(r);
	pv_dataset_free(ds);
}

/* The (first, length) of every batch of a scan, into out[0..cap); the count. */
static size_t batch_shapes(pv_scan *s, int64_t (*out)[2], size_t cap)
{
	pv_err e;
	size_t n = 0;
	for (;;) {
		struct ArrowArray b;
		int64_t first;
		assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
		if (!b.release)
			break;
		assert_true(n < cap);
		out[n][0] = first;
		out[n][1] = b.length;
		n++;
		b.release(&b);
	}
	return n;
}

/* Worker threads: the same batches (rows, boundaries, values) as one
 * thread, for ranges across row groups and files, a sample and every row;
 * a scan closed half-way stops its workers; bad thread counts refused. */
static void test_scan_threads(void **state)
{
	pv_dataset *ds = open_ds("ds");
	pv_row_range ranges[] = {
		{ 12090, 1000 }, { 0, 10 }, { 2040, 20 }, { 4990, 20 }, { 5, 10 }, { 7990, 11 },
		{ 6000, 3000 },
	};
	size_t nr = sizeof ranges / sizeof *ranges;
	pv_row_range *sample;
	size_t ns;
	pv_err e;
	assert_int_equal(pv_sample_draw(ds->n_rows, 300, 7, &sample, &ns, &e), 0);
	pv_row_range all = { 0, INT64_MAX };
	struct {
		const pv_row_range *r;
		size_t n;
		int64_t batch;
	} cases[] = { { ranges, nr, 7 }, { ranges, nr, 0 }, { sample, ns, 0 }, { &all, 1, 1000 } };
	static int64_t serial[4096][2], par[4096][2];
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		pv_scan_opts o = { .batch_rows = cases[c].batch, .n_threads = 1 };
		pv_scan *s;
		assert_int_equal(pv_scan_open(ds, &o, cases[c].r, cases[c].n, &s, &e), 0);
		size_t n1 = batch_shapes(s, serial, 4096);
		pv_scan_close(s);
		int64_t total = 0;
		for (size_t i = 0; i < n1; i++)
			total += serial[i][1];
		int64_t *want = malloc((size_t)(total ? total : 1) * sizeof *want);
		assert_non_null(want);
		size_t k = 0;
		for (size_t i = 0; i < n1; i++)
			for (int64_t j = 0; j < serial[i][1]; j++)
				want[k++] = serial[i][0] + j;
		const int threads[] = { 2, 3, 8, PV_SCAN_THREADS_AUTO };
		for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
			o.n_threads = threads[t];
			assert_int_equal(pv_scan_open(ds, &o, cases[c].r, cases[c].n, &s, &e), 0);
			size_t n2 = batch_shapes(s, par, 4096);
			pv_scan_close(s);
			assert_int_equal(n2, n1);
			assert_memory_equal(par, serial, n1 * sizeof *serial);
			/* and the values, row by row */
			assert_int_equal(pv_scan_open(ds, &o, cases[c].r, cases[c].n, &s, &e), 0);
			int64_t bmax = cases[c].batch ? cases[c].batch : PV_SCAN_BATCH_ROWS;
			assert_int_equal(check_scan(s, want, k, bmax), (int64_t)k);
			pv_scan_close(s);
		}
		free(want);
	}
	/* closed after one batch, and before any: the workers stop */
	for (int i = 0; i < 2; i++) {
		pv_scan_opts o = { .batch_rows = 100, .n_threads = 4 };
		pv_scan *s;
		assert_int_equal(pv_scan_open(ds, &o, &all, 1, &s, &e), 0);
		if (i == 0) {
			struct ArrowArray b;
			int64_t first;
			assert_int_equal(pv_scan_next(s, &b, &first, &e), 0);
			assert_int_equal(first, 0);
			assert_int_equal(b.length, 100);
			b.release(&b);
		}
		pv_scan_close(s);
	}
	pv_scan_opts bad = { .n_threads = PV_SCAN_MAX_THREADS + 1 };
	pv_scan *s = NULL;
	assert_int_equal(pv_scan_open(ds, &bad, &all, 1, &s, &e), PV_EINVAL);
	assert_null(s);
	bad.n_threads = -2;
	assert_int_equal(pv_scan_open(ds, &bad, &all, 1, &s, &e), PV_EINVAL);
	free(sample);
	pv_dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rowmap),
		cmocka_unit_test(test_rowmap_footer_mismatch),
		cmocka_unit_test(test_scan_ranges),
		cmocka_unit_test(test_scan_all),
		cmocka_unit_test(test_scan_columns),
		cmocka_unit_test(test_scan_errors),
		cmocka_unit_test(test_scan_partitions),
		cmocka_unit_test(test_scan_sample),
		cmocka_unit_test(test_scan_cache),
		cmocka_unit_test(test_scan_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
