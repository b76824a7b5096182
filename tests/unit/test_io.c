/*
 * test_io.c - unit tests for the io layer: byte sources (exact reads,
 * reads past the end, open errors, counters, threads) and atomic file
 * writes (commit, abort, write errors, refusing to overwrite inputs).
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/atomic.h"
#include "io/source.h"

/* A fresh temporary directory per test, removed with its files after. */
typedef struct fixture {
	char dir[64];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/pv_test_io.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", f->dir, de->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static char *read_all(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Entries in dir other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_source_read(void **state)
{
	fixture *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/data.bin", f->dir);
	write_file(path, "0123456789abcdef", 16);

	pv_source *s;
	pv_err e;
	assert_int_equal(pv_source_open(path, &s, &e), 0);
	assert_int_equal(pv_source_size(s), 16);
	assert_string_equal(pv_source_path(s), path);

	char buf[32] = { 0 };
	assert_int_equal(pv_source_read(s, 4, buf, 6, &e), 0);
	assert_memory_equal(buf, "456789", 6);
	assert_int_equal(pv_source_read(s, 0, buf, 16, &e), 0);
	assert_memory_equal(buf, "0123456789abcdef", 16);
	assert_int_equal(pv_source_read_tail(s, buf, 4, &e), 0);
	assert_memory_equal(buf, "cdef", 4);
	assert_int_equal(pv_source_read(s, 16, buf, 0, &e), 0); /* empty read at the end */

	pv_source_stats st = pv_source_stats_get(s);
	assert_int_equal(st.n_reads, 3);
	assert_int_equal(st.n_bytes, 26);

	/* one byte too many, at the end, far away, negative, overflowing */
	assert_int_equal(pv_source_read(s, 10, buf, 7, &e), PV_ECORRUPT);
	assert_string_equal(e.msg,
	                    "read of 7 bytes at offset 10 runs past the end of the file (size 16)");
	assert_int_equal(pv_source_read(s, 17, buf, 0, &e), 0);
	assert_int_equal(pv_source_read(s, 17, buf, 1, &e), PV_ECORRUPT);
	assert_int_equal(pv_source_read(s, -1, buf, 1, &e), PV_ECORRUPT);
	assert_int_equal(pv_source_read(s, INT64_MAX, buf, 1, &e), PV_ECORRUPT);
	assert_int_equal(pv_source_read(s, 1, buf, SIZE_MAX, &e), PV_ECORRUPT);
	assert_int_equal(pv_source_read_tail(s, buf, 17, &e), PV_ECORRUPT);
	assert_int_equal(pv_source_read(s, 1, buf, 1, NULL), 0);

	/* failed reads do not count */
	st = pv_source_stats_get(s);
	assert_int_equal(st.n_reads, 4);
	pv_source_stats_reset(s);
	st = pv_source_stats_get(s);
	assert_int_equal(st.n_reads, 0);
	assert_int_equal(st.n_bytes, 0);
	pv_source_close(s);
	pv_source_close(NULL);
}

static void test_source_open_errors(void **state)
{
	fixture *f = *state;
	char path[128];
	pv_source *s = (pv_source *)1;
	pv_err e;

	snprintf(path, sizeof path, "%s/missing.parquet", f->dir);
	assert_int_equal(pv_source_open(path, &s, &e), PV_ENOTFOUND);
	assert_null(s);
	char want[256];
	snprintf(want, sizeof want, "cannot open '%s': No such file or directory", path);
	assert_string_equal(e.msg, want);

	assert_int_equal(pv_source_open(f->dir, &s, &e), PV_EINVAL);
	snprintf(want, sizeof want, "'%s' is a directory", f->dir);
	assert_string_equal(e.msg, want);

	/* a FIFO is refused without waiting for a writer */
	snprintf(path, sizeof path, "%s/fifo", f->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pv_source_open(path, &s, &e), PV_EINVAL);
	assert_non_null(strstr(e.msg, "not a regular file"));

	/* permission denied is an I/O error (root can read anything: skip then) */
	if (geteuid() != 0) {
		snprintf(path, sizeof path, "%s/secret", f->dir);
		write_file(path, "x", 1);
		chmod(path, 0);
		assert_int_equal(pv_source_open(path, &s, &e), PV_EIO);
	}
	assert_int_equal(pv_source_open("/nonexistent/x", &s, NULL), PV_ENOTFOUND);
}

static void test_source_corpus(void **state)
{
	char path[512];
	pv_test_file(path, sizeof path, "data/alltypes_plain.parquet");
	pv_source *s;
	pv_err e;
	if (pv_source_open(path, &s, &e) != 0) {
		skip();
		return;
	}
	char magic[4];
	assert_int_equal(pv_source_read(s, 0, magic, 4, &e), 0);
	assert_memory_equal(magic, "PAR1", 4);
	assert_int_equal(pv_source_read_tail(s, magic, 4, &e), 0);
	assert_memory_equal(magic, "PAR1", 4);
	pv_source_close(s);
}

static void test_source_mem(void **state)
{
	static const char data[] = "hello, world";
	pv_source *s;
	pv_err e;
	assert_int_equal(pv_source_open_mem(data, 12, "mem", &s, &e), 0);
	assert_string_equal(pv_source_path(s), "mem");
	char buf[8];
	assert_int_equal(pv_source_read(s, 7, buf, 5, &e), 0);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(pv_source_read(s, 8, buf, 5, &e), PV_ECORRUPT);
	pv_source_close(s);
}

typedef struct reader_arg {
	pv_source *s;
	int failures;
} reader_arg;

static void *reader(void *p)
{
	reader_arg *a = p;
	for (int i = 0; i < 1000; i++) {
		int64_t off = (i * 7919) % 4000;
		unsigned char b[64];
		if (pv_source_read(a->s, off, b, sizeof b, NULL) != 0) {
			a->failures++;
			continue;
		}
		for (size_t j = 0; j < sizeof b; j++)
			if (b[j] != (unsigned char)((off + (int64_t)j) % 251))
				a->failures++;
	}
	return NULL;
}

static void test_source_threads(void **state)
{
	fixture *f = *state;
	char path[128];
	snprintf(path, sizeof path, "%s/big.bin", f->dir);
	char data[4096];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)(i % 251);
	write_file(path, data, sizeof data);
	pv_source *s;
	assert_int_equal(pv_source_open(path, &s, NULL), 0);
	pthread_t th[4];
	reader_arg args[4];
	for (int i = 0; i < 4; i++) {
		args[i] = (reader_arg){ s, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, reader, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(pv_source_stats_get(s).n_reads, 4000);
	assert_int_equal(pv_source_stats_get(s).n_bytes, 4000 * 64);
	pv_source_close(s);
}

static void test_atomic_commit(void **state)
{
	fixture *f = *state;
	char target[128];
	snprintf(target, sizeof target, "%s/out.txt", f->dir);
	write_file(target, "old", 3);

	pv_atomic_file a;
	pv_err e;
	assert_int_equal(pv_atomic_open(&a, target, NULL, 0, &e), 0);
	fputs("new contents", pv_atomic_stream(&a));
	/* until commit, the target is untouched and a temporary exists */
	assert_string_equal(read_all(target), "old");
	assert_int_equal(count_entries(f->dir), 2);
	assert_non_null(strstr(a.tmp, "/.out.txt."));
	assert_int_equal(pv_atomic_commit(&a, &e), 0);
	assert_string_equal(read_all(target), "new contents");
	assert_int_equal(count_entries(f->dir), 1);
	pv_atomic_abort(&a); /* after commit: nothing to do */

	/* mode follows the umask like fopen would */
	mode_t old = umask(027);
	snprintf(target, sizeof target, "%s/fresh.txt", f->dir);
	assert_int_equal(pv_atomic_open(&a, target, NULL, 0, &e), 0);
	assert_int_equal(pv_atomic_commit(&a, &e), 0);
	umask(old);
	struct stat st;
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void test_atomic_abort(void **state)
{
	fixture *f = *state;
	char target[128];
	snprintf(target, sizeof target, "%s/out.txt", f->dir);
	write_file(target, "old", 3);
	pv_atomic_file a;
	pv_err e;
	assert_int_equal(pv_atomic_open(&a, target, NULL, 0, &e), 0);
	fputs("half written", pv_atomic_stream(&a));
	pv_atomic_abort(&a);
	pv_atomic_abort(&a);
	assert_string_equal(read_all(target), "old");
	assert_int_equal(count_entries(f->dir), 1); /* the temporary is gone */

	pv_atomic_file zero;
	memset(&zero, 0, sizeof zero);
	pv_atomic_abort(&zero);
	pv_atomic_abort(NULL);

	/* a write error before commit: the target stays, the temporary goes */
	assert_int_equal(pv_atomic_open(&a, target, NULL, 0, &e), 0);
	fputs("x", pv_atomic_stream(&a));
	fgetc(pv_atomic_stream(&a)); /* reading a write-only stream sets its error flag */
	assert_true(ferror(pv_atomic_stream(&a)));
	assert_int_equal(pv_atomic_commit(&a, &e), PV_EIO);
	assert_string_equal(read_all(target), "old");
	assert_int_equal(count_entries(f->dir), 1);

	/* no such directory; a directory as target */
	char bad[160];
	snprintf(bad, sizeof bad, "%s/nodir/out.txt", f->dir);
	assert_int_equal(pv_atomic_open(&a, bad, NULL, 0, &e), PV_ENOTFOUND);
	assert_null(a.fp);
	assert_int_equal(pv_atomic_open(&a, f->dir, NULL, 0, &e), PV_EINVAL);
	pv_atomic_abort(&a);
}

static void test_atomic_protect(void **state)
{
	fixture *f = *state;
	char input[128], lnk[128], other[128], dotted[160], hard[128];
	snprintf(input, sizeof input, "%s/in.parquet", f->dir);
	snprintf(lnk, sizeof lnk, "%s/link.parquet", f->dir);
	snprintf(other, sizeof other, "%s/other.parquet", f->dir);
	snprintf(dotted, sizeof dotted, "%s/./sub/../in.parquet", f->dir);
	snprintf(hard, sizeof hard, "%s/hard.parquet", f->dir);
	write_file(input, "input", 5);
	char sub[128];
	snprintf(sub, sizeof sub, "%s/sub", f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink("in.parquet", lnk), 0);
	assert_int_equal(link(input, hard), 0);

	const char *protect[] = { other, input };
	pv_atomic_file a;
	pv_err e;
	char want[256];
	snprintf(want, sizeof want, "refusing to overwrite input '%s'", input);
	assert_int_equal(pv_atomic_open(&a, input, protect, 2, &e), PV_EINVAL);
	assert_string_equal(e.msg, want);
	assert_int_equal(pv_atomic_open(&a, dotted, protect, 2, &e), PV_EINVAL);
	assert_int_equal(pv_atomic_open(&a, lnk, protect, 2, &e), PV_EINVAL);
	assert_int_equal(pv_atomic_open(&a, hard, protect, 2, &e), PV_EINVAL);

	/* "./x" relative to the current directory */
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->dir), 0);
	const char *rel_protect[] = { "in.parquet" };
	assert_int_equal(pv_atomic_open(&a, "./in.parquet", rel_protect, 1, &e), PV_EINVAL);
	assert_int_equal(pv_atomic_open(&a, input, rel_protect, 1, &e), PV_EINVAL);
	assert_int_equal(pv_atomic_open(&a, "./out.parquet", rel_protect, 1, &e), 0);
	pv_atomic_abort(&a);
	assert_int_equal(chdir(cwd), 0);

	/* nothing was created by the refusals, and the input is intact */
	assert_int_equal(count_entries(f->dir), 4);
	assert_string_equal(read_all(input), "input");

	/* a protected path that does not exist does not block anything */
	assert_int_equal(pv_atomic_open(&a, other, (const char *[]){ input }, 1, &e), 0);
	fputs("fine", pv_atomic_stream(&a));
	assert_int_equal(pv_atomic_commit(&a, &e), 0);
	assert_string_equal(read_all(other), "fine");

	/* writing through a symlink that is not protected keeps the link */
	char tlink[128];
	snprintf(tlink, sizeof tlink, "%s/tlink", f->dir);
	assert_int_equal(symlink("other.parquet", tlink), 0);
	assert_int_equal(pv_atomic_open(&a, tlink, protect + 1, 1, &e), 0);
	fputs("via link", pv_atomic_stream(&a));
	assert_int_equal(pv_atomic_commit(&a, &e), 0);
	struct stat st;
	assert_int_equal(lstat(tlink, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(read_all(other), "via link");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_source_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_open_errors, setup, teardown),
		cmocka_unit_test(test_source_corpus),
		cmocka_unit_test(test_source_mem),
		cmocka_unit_test_setup_teardown(test_source_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_protect, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
