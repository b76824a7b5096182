/*
 * test_paths.c - unit tests for dataset path discovery: files, recursive
 * directory walks (hidden files, _SUCCESS, symlink loops), `**` globs,
 * sorting, duplicates, errors, caps and speed.
 */
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dataset/paths.h"

typedef struct fixture {
	char dir[64];
	char cwd[512];
} fixture;

static void touch(const char *dir, const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	/* create the parent directories */
	for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fclose(fp);
}

/*
 *   data/a.parquet  data/b.PARQ  data/c.pq  data/notes.txt  data/_SUCCESS
 *   data/.hidden.parquet  data/_tmp/x.parquet  data/.git/y.parquet
 *   data/date=2024-01-01/source=web/p1.parquet
 *   data/date=2024-01-01/source=app/p2.parquet
 *   data/date=2024-01-02/source=web/p3.parquet
 *   data/date=2024-01-02/source=web/readme.md
 *   data/deep/1/2/3/d.parquet
 *   data/loop -> .   (a symlink loop)
 *   empty/nothing.txt
 */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/pv_test_paths.XXXXXX");
	if (!mkdtemp(f->dir) || !getcwd(f->cwd, sizeof f->cwd))
		return -1;
	static const char *const files[] = {
		"data/a.parquet",
		"data/b.PARQ",
		"data/c.pq",
		"data/notes.txt",
		"data/_SUCCESS",
		"data/.hidden.parquet",
		"data/_tmp/x.parquet",
		"data/.git/y.parquet",
		"data/date=2024-01-01/source=web/p1.parquet",
		"data/date=2024-01-01/source=app/p2.parquet",
		"data/date=2024-01-02/source=web/p3.parquet",
		"data/date=2024-01-02/source=web/readme.md",
		"data/deep/1/2/3/d.parquet",
		"empty/nothing.txt",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		touch(f->dir, files[i]);
	char p[512];
	snprintf(p, sizeof p, "%s/data/loop", f->dir);
	if (symlink(".", p) != 0)
		return -1;
	if (chdir(f->dir) != 0)
		return -1;
	*state = f;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (chdir(f->cwd) != 0)
		return -1;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Expands args (relative to the fixture directory) and joins the paths with ' '. */
static const char *expand(const char *const *args, size_t n, int want_rc, pv_err *e)
{
	static char out[8192];
	pv_path_list l;
	pv_path_list_init(&l);
	int rc = pv_paths_expand(args, n, &l, e);
	assert_int_equal(rc, want_rc);
	out[0] = '\0';
	size_t k = 0;
	for (size_t i = 0; i < l.n_items && !rc; i++)
		k += (size_t)snprintf(out + k, sizeof out - k, "%s%s", i ? " " : "", l.items[i].path);
	pv_path_list_release(&l);
	return out;
}

static void test_directory_walk(void **state)
{
	pv_err e;
	const char *args[] = { "data" };
	assert_string_equal(expand(args, 1, 0, &e),
	                    "data/a.parquet data/b.PARQ data/c.pq "
	                    "data/date=2024-01-01/source=app/p2.parquet "
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/deep/1/2/3/d.parquet");
	/* a trailing slash is not doubled */
	const char *slash[] = { "data/" };
	assert_string_equal(expand(slash, 1, 0, &e),
	                    "data/a.parquet data/b.PARQ data/c.pq "
	                    "data/date=2024-01-01/source=app/p2.parquet "
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/deep/1/2/3/d.parquet");
}

static void test_roots_and_rel(void **state)
{
	pv_err e;
	pv_path_list l;
	pv_path_list_init(&l);
	const char *args[] = { "data/date=2024-01-02", "data/notes.txt", "data/*/source=app/*.parquet" };
	assert_int_equal(pv_paths_expand(args, 3, &l, &e), 0);
	assert_int_equal(l.n_items, 3);
	assert_string_equal(l.items[0].path, "data/date=2024-01-01/source=app/p2.parquet");
	assert_string_equal(l.items[0].root, "data");
	assert_string_equal(l.items[0].rel, "date=2024-01-01/source=app/p2.parquet");
	assert_int_equal(l.items[0].arg, 2);
	assert_string_equal(l.items[1].path, "data/date=2024-01-02/source=web/p3.parquet");
	assert_string_equal(l.items[1].root, "data/date=2024-01-02");
	assert_string_equal(l.items[1].rel, "source=web/p3.parquet");
	assert_int_equal(l.items[1].arg, 0);
	/* a file named directly is taken whatever its extension, without keys */
	assert_string_equal(l.items[2].path, "data/notes.txt");
	assert_string_equal(l.items[2].root, "data");
	assert_string_equal(l.items[2].rel, "notes.txt");
	assert_int_equal(l.items[2].arg, 1);

	/* appending to a list that already has entries sorts everything */
	const char *more[] = { "data/a.parquet" };
	assert_int_equal(pv_paths_expand(more, 1, &l, &e), 0);
	assert_int_equal(l.n_items, 4);
	assert_string_equal(l.items[0].path, "data/a.parquet");
	assert_string_equal(l.items[0].root, "data");
	pv_path_list_release(&l);
	pv_path_list_release(NULL);

	/* an absolute path */
	fixture *f = *state;
	char abs[256];
	snprintf(abs, sizeof abs, "%s/data/deep", f->dir);
	const char *aargs[] = { abs };
	pv_path_list_init(&l);
	assert_int_equal(pv_paths_expand(aargs, 1, &l, &e), 0);
	assert_int_equal(l.n_items, 1);
	assert_string_equal(l.items[0].root, abs);
	assert_string_equal(l.items[0].rel, "1/2/3/d.parquet");
	pv_path_list_release(&l);

	/* "." as the directory */
	assert_int_equal(chdir("data/deep"), 0);
	const char *dot[] = { "." };
	assert_string_equal(expand(dot, 1, 0, &e), "./1/2/3/d.parquet");
	assert_int_equal(chdir(f->dir), 0);
}

static void test_globs(void **state)
{
	pv_err e;
	const char *a1[] = { "data/**/*.parquet" };
	assert_string_equal(expand(a1, 1, 0, &e),
	                    "data/a.parquet "
	                    "data/date=2024-01-01/source=app/p2.parquet "
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/deep/1/2/3/d.parquet");
	const char *a2[] = { "data/date=*/source=web/*.parquet" };
	assert_string_equal(expand(a2, 1, 0, &e),
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet");
	/* a trailing ** walks: parquet files only */
	const char *a3[] = { "data/**" };
	assert_string_equal(expand(a3, 1, 0, &e),
	                    "data/a.parquet data/b.PARQ data/c.pq "
	                    "data/date=2024-01-01/source=app/p2.parquet "
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/deep/1/2/3/d.parquet");
	/* a file matched by a pattern is taken whatever its extension; hidden
	 * and _ names are not matched by wildcards */
	const char *a4[] = { "data/*" };
	assert_string_equal(expand(a4, 1, 0, &e),
	                    "data/a.parquet data/b.PARQ data/c.pq "
	                    "data/date=2024-01-01/source=app/p2.parquet "
	                    "data/date=2024-01-01/source=web/p1.parquet "
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/deep/1/2/3/d.parquet data/notes.txt");
	const char *a5[] = { "data/date=2024-01-0[2]/*/*" };
	assert_string_equal(expand(a5, 1, 0, &e),
	                    "data/date=2024-01-02/source=web/p3.parquet "
	                    "data/date=2024-01-02/source=web/readme.md");
	/* a segment starting with '_' or '.' may match such names */
	const char *a6[] = { "data/_*/*.parquet" };
	assert_string_equal(expand(a6, 1, 0, &e), "data/_tmp/x.parquet");
	/* ** in the middle, with repeats and "." segments */
	const char *a7[] = { "./data/**/**/3/*.parquet" };
	assert_string_equal(expand(a7, 1, 0, &e), "./data/deep/1/2/3/d.parquet");
	const char *a8[] = { "**/d.parquet" };
	assert_string_equal(expand(a8, 1, 0, &e), "data/deep/1/2/3/d.parquet");
	const char *a9[] = { "data/*.parquet", "data/a.parquet", "data/*.parquet" };
	assert_string_equal(expand(a9, 3, 0, &e), "data/a.parquet");

	pv_path_list l;
	pv_path_list_init(&l);
	const char *h[] = { "data/date=*/source=*/*.parquet" };
	assert_int_equal(pv_paths_expand(h, 1, &l, &e), 0);
	assert_int_equal(l.n_items, 3);
	assert_string_equal(l.items[2].root, "data");
	assert_string_equal(l.items[2].rel, "date=2024-01-02/source=web/p3.parquet");
	pv_path_list_release(&l);

	fixture *f = *state;
	char abs[256];
	snprintf(abs, sizeof abs, "%s/data/deep/**/*.parquet", f->dir);
	const char *ab[] = { abs };
	pv_path_list_init(&l);
	assert_int_equal(pv_paths_expand(ab, 1, &l, &e), 0);
	assert_int_equal(l.n_items, 1);
	assert_string_equal(l.items[0].rel, "1/2/3/d.parquet");
	pv_path_list_release(&l);
}

static void test_errors(void **state)
{
	pv_err e;
	const char *a1[] = { "nope.parquet" };
	expand(a1, 1, PV_ENOTFOUND, &e);
	assert_string_equal(e.msg, "'nope.parquet': no such file or directory");
	const char *a2[] = { "data/*.csv" };
	expand(a2, 1, PV_ENOTFOUND, &e);
	assert_string_equal(e.msg, "no parquet files match 'data/*.csv'");
	const char *a3[] = { "empty" };
	expand(a3, 1, PV_ENOTFOUND, &e);
	assert_string_equal(e.msg, "no parquet files under 'empty'");
	const char *a4[] = { "data", "missing/**/*.parquet" };
	expand(a4, 2, PV_ENOTFOUND, &e);
	assert_string_equal(e.msg, "no parquet files match 'missing/**/*.parquet'");
	const char *a5[] = { "" };
	expand(a5, 1, PV_EINVAL, &e);
	const char *a6[] = { "data/a.parquet/x" };
	expand(a6, 1, PV_ENOTFOUND, NULL);

	/* the file cap */
	pv_path_list l;
	pv_path_list_init(&l);
	l.max_files = 3;
	const char *a7[] = { "data" };
	assert_int_equal(pv_paths_expand(a7, 1, &l, &e), PV_ELIMIT);
	pv_path_list_release(&l);
}

static void test_depth_cap(void **state)
{
	/* 300 nested directories: deeper than the cap */
	char p[2048] = "deepdir";
	assert_int_equal(mkdir(p, 0700), 0);
	for (int i = 0; i < 300; i++) {
		size_t n = strlen(p);
		snprintf(p + n, sizeof p - n, "/d");
		assert_int_equal(mkdir(p, 0700), 0);
	}
	pv_err e;
	const char *a[] = { "deepdir" };
	expand(a, 1, PV_ELIMIT, &e);
	const char *g[] = { "deepdir/**/*.parquet" };
	expand(g, 1, PV_ELIMIT, &e);
}

static void test_names(void **state)
{
	assert_true(pv_paths_is_parquet_name("x.parquet"));
	assert_true(pv_paths_is_parquet_name("X.PARQUET"));
	assert_true(pv_paths_is_parquet_name("x.parq"));
	assert_true(pv_paths_is_parquet_name("x.Pq"));
	assert_false(pv_paths_is_parquet_name(".parquet"));
	assert_false(pv_paths_is_parquet_name("x.parquet.crc"));
	assert_false(pv_paths_is_parquet_name("parquet"));
	assert_true(pv_paths_is_glob("a/*.parquet"));
	assert_true(pv_paths_is_glob("a/?.parquet"));
	assert_true(pv_paths_is_glob("a/[ab].parquet"));
	assert_false(pv_paths_is_glob("a/b.parquet"));
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_speed(void **state)
{
	assert_int_equal(mkdir("many", 0700), 0);
	for (int i = 0; i < 5000; i++) {
		char name[64];
		snprintf(name, sizeof name, "many/part-%05d.parquet", 4999 - i);
		FILE *fp = fopen(name, "w");
		assert_non_null(fp);
		fclose(fp);
	}
	pv_err e;
	const char *a[] = { "many" };
	const char *g[] = { "many/*.parquet" };
	double best = 1e9, best_glob = 1e9;
	for (int round = 0; round < 3; round++) {
		pv_path_list l;
		pv_path_list_init(&l);
		double t0 = now();
		assert_int_equal(pv_paths_expand(a, 1, &l, &e), 0);
		double t1 = now();
		assert_int_equal(l.n_items, 5000);
		assert_string_equal(l.items[0].path, "many/part-00000.parquet");
		assert_string_equal(l.items[4999].path, "many/part-04999.parquet");
		pv_path_list_release(&l);
		pv_path_list_init(&l);
		double t2 = now();
		assert_int_equal(pv_paths_expand(g, 1, &l, &e), 0);
		double t3 = now();
		assert_int_equal(l.n_items, 5000);
		pv_path_list_release(&l);
		best = t1 - t0 < best ? t1 - t0 : best;
		best_glob = t3 - t2 < best_glob ? t3 - t2 : best_glob;
	}
	print_message("# 5000 files: walk %.2f ms, glob %.2f ms\n", best * 1e3, best_glob * 1e3);
	/* generous for sanitizer builds; an optimized build takes ~2 ms */
	assert_true(best < 0.1);
	assert_true(best_glob < 0.1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_directory_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roots_and_rel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_globs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_cap, setup, teardown),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_speed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
