/*
 * test_duck.c - unit tests for src/sql/duck.h: loading libduckdb.so, the
 * errors when it is missing or wrong, sessions, restricted mode, streaming
 * results, interruption.
 *
 * The library is loaded once per process, so the cases about finding it run
 * in a child: this program re-executes itself with "--load-child PATH" and
 * reads the outcome from a pipe.
 */
#include "testutil.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/err.h"
#include "sql/duck.h"

#define NOT_FOUND_MSG \
	"duckdb library not found: run 'make bootstrap' (or scripts/bootstrap), " \
	"or set PARQVIEW_DUCKDB to the path of libduckdb.so"

static pv_duck *open_default(void)
{
	pv_duck *d = NULL;
	pv_err e;
	int rc = pv_duck_open(NULL, &d, &e);
	if (rc)
		fail_msg("pv_duck_open: %s", e.msg);
	return d;
}

/* Runs sql and returns the first column of the first row (a static copy),
 * "<null>" for NULL and "<none>" when there is no row. Fails the test on an
 * error. */
static const char *scalar(pv_duck *d, const char *sql)
{
	static char out[4096];
	pv_err e;
	pv_duck_result *r = NULL;
	if (pv_duck_query(d, sql, &r, &e))
		fail_msg("query '%s': %s", sql, e.msg);
	bool more = false;
	if (pv_duck_result_next(r, &more, &e))
		fail_msg("next '%s': %s", sql, e.msg);
	const char *v = more ? pv_duck_result_text(r, 0) : "<none>";
	snprintf(out, sizeof out, "%s", v ? v : "<null>");
	pv_duck_result_free(r);
	return out;
}

/* What a fresh process reports from pv_duck_load with PARQVIEW_DUCKDB=lib:
 * "<code> <message>". */
static void child_load(const char *lib, char *out, size_t n)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/proc/self/exe", "test_duck", "--load-child", lib, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t k;
	while (got + 1 < n && (k = read(fds[0], out + got, n - 1 - got)) > 0)
		got += (size_t)k;
	out[got] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int load_child_main(const char *lib)
{
	setenv("PARQVIEW_DUCKDB", lib, 1);
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_duck_load(&e);
	printf("%d %s", rc, e.msg);
	return 0;
}

static void test_load_version(void **state)
{
	pv_err e;
	assert_int_equal(pv_duck_load(&e), 0);
	const char *v = pv_duck_version();
	assert_non_null(v);
	assert_true(strncmp(v, "v1.", 3) == 0);
	assert_non_null(pv_duck_path());
	assert_non_null(strstr(pv_duck_path(), "libduckdb.so"));
}

static void test_missing_library(void **state)
{
	char out[2048];
	child_load("/nonexistent/dir/libduckdb.so", out, sizeof out);
	char want[2048];
	snprintf(want, sizeof want, "%d %s", PV_ENOTFOUND, NOT_FOUND_MSG);
	assert_string_equal(out, want);
}

static void test_wrong_library(void **state)
{
	/* zlib is a real shared library without any duckdb_ symbol */
	Dl_info info;
	assert_true(dladdr((void *)zlibVersion, &info) != 0);
	assert_non_null(info.dli_fname);
	char out[2048], want[2048];
	child_load(info.dli_fname, out, sizeof out);
	snprintf(want, sizeof want, "%d duckdb library at '%s' is too old "
		"(missing 'duckdb_library_version'); need 1.1 or newer",
		PV_EUNSUPPORTED, info.dli_fname);
	assert_string_equal(out, want);

	/* a file that is no library at all */
	char path[1024];
	pv_test_file(path, sizeof path, "data/alltypes_plain.parquet");
	child_load(path, out, sizeof out);
	snprintf(want, sizeof want, "%d duckdb library at '%s' cannot be loaded", PV_EUNSUPPORTED,
		path);
	assert_true(strncmp(out, want, strlen(want)) == 0);
}

static void test_select_basic(void **state)
{
	pv_duck *d = open_default();
	pv_err e;
	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query(d, "SELECT 42, 'x', NULL", &r, &e), 0);
	assert_int_equal(pv_duck_result_ncols(r), 3);
	assert_string_equal(pv_duck_result_colname(r, 0), "42");
	assert_null(pv_duck_result_colname(r, 3));
	bool more;
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	assert_true(more);
	assert_string_equal(pv_duck_result_text(r, 0), "42");
	assert_string_equal(pv_duck_result_text(r, 1), "x");
	assert_null(pv_duck_result_text(r, 2));
	assert_null(pv_duck_result_text(r, 3));
	size_t len = 99;
	assert_null(pv_duck_result_value(r, 2, &len));
	assert_int_equal(len, 0);
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	assert_false(more);
	assert_int_equal(pv_duck_result_nrows(r), 1);
	pv_duck_result_free(r);

	/* DuckDB renders every type; long strings are not inlined */
	assert_string_equal(scalar(d, "SELECT [1, 2, NULL]"), "[1, 2, NULL]");
	assert_string_equal(scalar(d, "SELECT {'a': 1, 'b': 'z'}"), "{'a': 1, 'b': z}");
	assert_string_equal(scalar(d, "SELECT TIMESTAMP '2024-01-02 03:04:05'"), "2024-01-02 03:04:05");
	assert_string_equal(scalar(d, "SELECT 0.1::DOUBLE"), "0.1");
	assert_string_equal(scalar(d, "SELECT repeat('ab', 20)"), "abababababababababababababababababababab");
	assert_string_equal(scalar(d, "SELECT ''"), "");
	pv_duck_close(d);
	pv_duck_close(NULL);
	pv_duck_result_free(NULL);
}

static void test_corpus_parquet(void **state)
{
	char path[1024], sql[1200];
	pv_test_file(path, sizeof path, "data/alltypes_plain.parquet");
	snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s')", path);
	pv_duck *d = open_default();
	assert_string_equal(scalar(d, sql), "8");
	pv_duck_close(d);
}

static void test_errors(void **state)
{
	pv_duck *d = open_default();
	pv_err e;
	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query(d, "SELEC 1", &r, &e), PV_EINVAL);
	assert_null(r);
	assert_non_null(strstr(e.msg, "syntax error"));
	assert_null(strchr(e.msg, '\n'));
	assert_null(strstr(e.msg, "  "));
	assert_int_equal(pv_duck_exec(d, "SELECT * FROM no_such_table", &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "no_such_table"));
	assert_int_equal(pv_duck_query(d, "SELECT 1; SELECT nope", &r, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "nope"));
	assert_int_equal(pv_duck_query(d, "SELECT 1; SELEC 2", &r, &e), PV_EINVAL);

	/* an error in the middle of a streamed result: DuckDB reports it from
	 * the query or from a later row, depending on when a thread hits it.
	 * One thread, because with more DuckDB sometimes reports the other
	 * threads' cancellation ("Interrupted!") instead of the error. */
	pv_duck_opts one = { .threads = 1 };
	pv_duck *d1 = NULL;
	assert_int_equal(pv_duck_open(&one, &d1, &e), 0);
	int rc = pv_duck_query(d1, "SELECT CASE WHEN i = 3000000 THEN error('boom') "
		"ELSE i END FROM range(10000000) t(i)", &r, &e);
	size_t n = 0;
	if (rc == 0) {
		bool more = true;
		while ((rc = pv_duck_result_next(r, &more, &e)) == 0 && more)
			n++;
		pv_duck_result_free(r);
	}
	pv_duck_close(d1);
	assert_int_equal(rc, PV_EINVAL);
	if (!strstr(e.msg, "boom"))
		fail_msg("got: %s", e.msg);
	assert_true(n < 10000000);

	/* the session still works */
	assert_string_equal(scalar(d, "SELECT 1 + 1"), "2");
	pv_duck_close(d);

	pv_duck_opts bad = { .memory_limit = "lots" };
	assert_int_equal(pv_duck_open(&bad, &d, &e), PV_EINVAL);
	assert_null(d);
}

static void test_statements(void **state)
{
	pv_duck *d = open_default();
	pv_err e;
	assert_int_equal(pv_duck_exec(d, "CREATE TABLE t (x INTEGER, s VARCHAR); "
		"INSERT INTO t VALUES (1, 'a'), (2, NULL)", &e), 0);
	/* earlier statements run for effect, the last one's rows come back */
	assert_string_equal(scalar(d, "INSERT INTO t VALUES (3, 'c'); "
		"SELECT count(*) FROM t"), "3");
	/* not a query: materialized, still text */
	assert_string_equal(scalar(d, "INSERT INTO t VALUES (4, 'd'), (5, 'e')"), "2");
	assert_string_equal(scalar(d, "PRAGMA version"), pv_duck_version());

	/* ';' inside strings, quoted names, dollar quotes and comments */
	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query(d, "SELECT $$a;b$$; /* ; */ SELECT 'x;y' AS \"q;\", "
		"E'\\';' AS e -- ;", &r, &e), 0);
	assert_int_equal(pv_duck_result_ncols(r), 2);
	assert_string_equal(pv_duck_result_colname(r, 0), "q;");
	bool more;
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	assert_true(more);
	assert_string_equal(pv_duck_result_text(r, 0), "x;y");
	assert_string_equal(pv_duck_result_text(r, 1), "';");
	pv_duck_result_free(r);

	/* order survives the cast to text */
	assert_int_equal(pv_duck_query(d, "SELECT i FROM range(100000) t(i) ORDER BY i DESC",
		&r, &e), 0);
	long want = 99999;
	while (pv_duck_result_next(r, &more, &e) == 0 && more) {
		char *end;
		assert_int_equal(strtol(pv_duck_result_text(r, 0), &end, 10), want);
		want--;
	}
	assert_int_equal(want, -1);
	pv_duck_result_free(r);

	/* nothing to run */
	assert_int_equal(pv_duck_query(d, "  -- only a comment\n", &r, &e), 0);
	assert_int_equal(pv_duck_result_ncols(r), 0);
	assert_int_equal(pv_duck_result_next(r, &more, &e), 0);
	assert_false(more);
	pv_duck_result_free(r);
	pv_duck_close(d);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_stream_millions(void **state)
{
	pv_duck_opts o = { .threads = 2 };
	pv_duck *d = NULL;
	pv_err e;
	assert_int_equal(pv_duck_open(&o, &d, &e), 0);
	long before = max_rss_kb();
	pv_duck_result *r = NULL;
	/* about 400 MB if it were held whole */
	assert_int_equal(pv_duck_query(d, "SELECT i, repeat('x', 100) || i AS s "
		"FROM range(3000000) t(i)", &r, &e), 0);
	size_t n = 0;
	bool more;
	char last_i[32] = "";
	int rc;
	while ((rc = pv_duck_result_next(r, &more, &e)) == 0 && more) {
		n++;
		snprintf(last_i, sizeof last_i, "%s", pv_duck_result_text(r, 0));
	}
	if (rc)
		fail_msg("row %zu: %s", n, e.msg);
	assert_int_equal(n, 3000000);
	assert_int_equal(pv_duck_result_nrows(r), 3000000);
	assert_string_equal(last_i, "2999999");
	pv_duck_result_free(r);
	long grew_mb = (max_rss_kb() - before) / 1024;
	if (grew_mb > 150)
		fail_msg("streaming 3,000,000 rows grew the process by %ld MB", grew_mb);
	pv_duck_close(d);
}

static void test_restricted(void **state)
{
	char dir[1024], file[1024], sql[1200];
	pv_test_file(dir, sizeof dir, "data");
	pv_test_file(file, sizeof file, "data/alltypes_plain.parquet");
	const char *allowed[] = { dir };
	pv_duck_opts o = { .restricted = true, .allowed_paths = allowed, .n_allowed_paths = 1 };
	pv_duck *d = NULL;
	pv_err e;
	assert_int_equal(pv_duck_open(&o, &d, &e), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s')", file);
	assert_string_equal(scalar(d, sql), "8");

	pv_duck_result *r = NULL;
	assert_int_equal(pv_duck_query(d, "SELECT * FROM read_text('/etc/passwd')", &r, &e),
		PV_EINVAL);
	assert_non_null(strstr(e.msg, "/etc/passwd"));
	snprintf(sql, sizeof sql, "SELECT * FROM read_parquet('%s/../bad_data/*.parquet')", dir);
	assert_int_equal(pv_duck_query(d, sql, &r, &e), PV_EINVAL);
	assert_int_equal(pv_duck_exec(d, "COPY (SELECT 1) TO '/tmp/pv_duck_restricted.csv'", &e),
		PV_EINVAL);
	/* the lock keeps SQL from undoing any of it */
	assert_int_equal(pv_duck_exec(d, "SET enable_external_access = true", &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "locked"));
	assert_int_equal(pv_duck_exec(d, "SET lock_configuration = false", &e), PV_EINVAL);
	assert_int_equal(pv_duck_exec(d, "SET threads = 1", &e), PV_EINVAL);
	assert_int_equal(pv_duck_exec(d, "LOAD httpfs", &e), PV_EINVAL);
	assert_string_equal(scalar(d, "SELECT current_setting('autoinstall_known_extensions')"),
		"false");
	pv_duck_close(d);

	/* an unrestricted session can change its settings */
	d = open_default();
	assert_int_equal(pv_duck_exec(d, "SET threads = 1", &e), 0);
	pv_duck_close(d);
}

struct interrupter {
	pv_duck *d;
	atomic_int bad_progress; /* a value outside -1 and 0..100 */
};

static void *interrupt_later(void *arg)
{
	struct interrupter *it = arg;
	for (int i = 0; i < 30; i++) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		/* DuckDB measures progress for scans, not for range(): only the
		 * range of values can be checked here */
		double p = pv_duck_progress(it->d);
		if (!(p == -1 || (p >= 0 && p <= 100)))
			atomic_store(&it->bad_progress, 1);
	}
	pv_duck_interrupt(it->d);
	return NULL;
}

static void test_interrupt(void **state)
{
	struct interrupter it = { open_default(), 0 };
	assert_true(pv_duck_progress(it.d) < 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, interrupt_later, &it), 0);
	pv_err e;
	pv_duck_result *r = NULL;
	/* minutes of work unless interrupted after 1.5 s */
	int rc = pv_duck_query(it.d, "SELECT sum(hash(i)) FROM range(1000000000000) t(i)", &r, &e);
	bool more = false;
	if (rc == 0) {
		rc = pv_duck_result_next(r, &more, &e);
		pv_duck_result_free(r);
	}
	pthread_join(t, NULL);
	assert_int_equal(rc, PV_EINVAL);
	assert_non_null(strcasestr(e.msg, "interrupt"));
	assert_int_equal(atomic_load(&it.bad_progress), 0);
	assert_string_equal(scalar(it.d, "SELECT 7"), "7");
	pv_duck_close(it.d);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--load-child") == 0)
		return load_child_main(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_wrong_library),
		cmocka_unit_test(test_load_version),
		cmocka_unit_test(test_select_basic),
		cmocka_unit_test(test_corpus_parquet),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_stream_millions),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_interrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
