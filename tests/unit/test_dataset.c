/*
 * test_dataset.c - pv_pfile (footer reads) and pv_dataset (listing,
 * parallel footers, hive partitions, schema union) over temporary trees
 * built from corpus files.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "dataset/dataset.h"
#include "io/source.h"
#include "read/pfile.h"

static char tmpdir[256];

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

static void mkdirs(const char *rel)
{
	char path[512], *p;
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	for (p = path + strlen(tmpdir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

/* Places corpus file `corpus_rel` at `rel` inside the temporary tree. */
static void place(const char *corpus_rel, const char *rel)
{
	char from[512], to[512];
	pv_test_file(from, sizeof from, corpus_rel);
	snprintf(to, sizeof to, "%s/%s", tmpdir, rel);
	copy_file(from, to);
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/pv_test_dataset_XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	mkdirs("ds/date=2024-01-01/source=web");
	mkdirs("ds/date=2024-01-02/source=web");
	mkdirs("ds/date=2024-01-02/source=books");
	place("data/alltypes_plain.parquet", "ds/date=2024-01-01/source=web/a.parquet");
	place("data/alltypes_tiny_pages_plain.parquet", "ds/date=2024-01-02/source=web/b.parquet");
	place("data/alltypes_plain.parquet", "ds/date=2024-01-02/source=books/c.parquet");
	/* a file that is not Parquet, in the walk */
	char bad[512];
	snprintf(bad, sizeof bad, "%s/ds/date=2024-01-02/source=books/broken.parquet", tmpdir);
	FILE *f = fopen(bad, "wb");
	assert_non_null(f);
	fputs("this is not parquet at all, just text", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_pfile_reads(void **state)
{
	char path[512];
	pv_pfile *pf;
	pv_err e;
	/* a small file: one read for the whole footer */
	assert_int_equal(pv_pfile_open(pv_test_file(path, sizeof path, "data/alltypes_plain.parquet"), &pf, &e), 0);
	assert_int_equal(pf->n_reads, 1);
	assert_int_equal(pf->meta->num_rows, 8);
	assert_int_equal(pf->schema->n_leaves, 11);
	pv_pfile_free(pf);
	/* errors name the file and say what is wrong */
	assert_int_equal(pv_pfile_open("/nonexistent/x.parquet", &pf, &e), PV_ENOTFOUND);
	assert_null(pf);
	assert_non_null(strstr(e.msg, "/nonexistent/x.parquet"));
	assert_int_equal(pv_pfile_open(pv_test_file(path, sizeof path, "bad_data/PARQUET-1481.parquet"), &pf, &e),
			 PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "PARQUET-1481.parquet: "));
	assert_int_equal(pv_pfile_open(pv_test_file(path, sizeof path, "data/uniform_encryption.parquet.encrypted"),
				       &pf, &e),
			 PV_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "encrypted"));
}

/* A footer longer than the first tail read takes exactly one more read. */
static void test_pfile_long_footer(void **state)
{
	char path[512];
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	pv_test_file(path, sizeof path, "data/alltypes_tiny_pages_plain.parquet");
	assert_int_equal(pv_source_open(path, &src, &e), 0);
	assert_int_equal(pv_pfile_load(src, &pf, &e), 0);
	/* the page index sits between data and footer, so the tail read of a
	 * file this size covers the footer in one go */
	assert_int_equal(pf->n_reads, 1);
	assert_int_equal(pv_source_stats_get(src).n_reads, 1);
	pv_pfile_free(pf);
	pv_source_close(src);

	/* in memory: a "file" whose footer is 100 KiB of padding-free metadata
	 * is not easy to make from the corpus, so fake a long footer by
	 * placing 70 KiB of zeros before a real footer and pointing past them */
	pv_test_file(path, sizeof path, "data/alltypes_plain.parquet");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static uint8_t file[200000];
	size_t n = fread(file, 1, sizeof file, f);
	fclose(f);
	uint32_t flen = (uint32_t)file[n - 8] | (uint32_t)file[n - 7] << 8 | (uint32_t)file[n - 6] << 16 |
			(uint32_t)file[n - 5] << 24;
	/* the footer bytes followed by zeros: Thrift stops at the struct end,
	 * so trailing zero bytes inside the claimed length are tolerated */
	static uint8_t big[300000];
	size_t head = n - 8 - flen;
	memcpy(big, file, n - 8);
	size_t pad = 70000;
	memset(big + n - 8, 0, pad);
	uint32_t newlen = flen + (uint32_t)pad;
	size_t total = n - 8 + pad;
	big[total] = (uint8_t)newlen;
	big[total + 1] = (uint8_t)(newlen >> 8);
	big[total + 2] = (uint8_t)(newlen >> 16);
	big[total + 3] = (uint8_t)(newlen >> 24);
	memcpy(big + total + 4, "PAR1", 4);
	assert_int_equal(pv_source_open_mem(big, total + 8, "long-footer", &src, &e), 0);
	int rc = pv_pfile_load(src, &pf, &e);
	assert_int_equal(rc, 0);
	assert_int_equal(pf->n_reads, 2);
	assert_int_equal(pf->footer_len, newlen);
	assert_int_equal(pf->meta->num_rows, 8);
	assert_true(head > 0);
	pv_pfile_free(pf);
	pv_source_close(src);
}

static void test_dataset_union(void **state)
{
	char arg[512];
	snprintf(arg, sizeof arg, "%s/ds", tmpdir);
	const char *args[] = { arg };
	pv_dataset *ds;
	pv_err e;
	assert_int_equal(pv_dataset_open(args, 1, NULL, &ds, &e), 0);
	assert_int_equal(ds->n_files, 4);
	assert_int_equal(ds->n_failed, 1);
	assert_int_equal(ds->n_rows, 8 + 7300 + 8);
	/* files are sorted by path: books/broken, books/c, 01/web/a ... */
	size_t broken = 0;
	for (size_t i = 0; i < ds->n_files; i++)
		if (!ds->files[i].pf)
			broken = i;
	assert_non_null(strstr(ds->files[broken].path, "broken.parquet"));
	assert_non_null(strstr(ds->files[broken].err->msg, "broken.parquet: "));
	/* row_start is cumulative over readable files in path order */
	int64_t next = 0;
	for (size_t i = 0; i < ds->n_files; i++) {
		if (!ds->files[i].pf)
			continue;
		assert_int_equal(ds->files[i].row_start, next);
		next += ds->files[i].pf->meta->num_rows;
	}

	/* 11 shared columns + year, month (only in b) + date, source partitions */
	assert_int_equal(ds->n_columns, 15);
	long year = pv_dataset_column_index(ds, "year");
	assert_true(year >= 0);
	assert_int_equal(ds->columns[year].n_missing, 2);
	assert_true(ds->columns[year].nullable);
	long id = pv_dataset_column_index(ds, "id");
	assert_int_equal(ds->columns[id].n_missing, 0);
	assert_int_equal(ds->columns[id].n_conflicts, 0);
	/* string_col is BYTE_ARRAY in alltypes_plain but BYTE_ARRAY STRING in b */
	long sc = pv_dataset_column_index(ds, "string_col");
	assert_int_equal(ds->columns[sc].n_conflicts, 1);
	assert_non_null(strstr(ds->files[ds->columns[sc].conflicts[0].file].path, "b.parquet"));
	assert_string_equal(ds->columns[sc].conflicts[0].type, "BYTE_ARRAY STRING");

	long date = pv_dataset_column_index(ds, "date");
	assert_true(date >= 13);
	assert_true(ds->columns[date].is_partition);
	assert_int_equal(ds->columns[date].part_type, PV_HIVE_DATE);
	long source = pv_dataset_column_index(ds, "source");
	assert_int_equal(ds->columns[source].part_type, PV_HIVE_STRING);
	assert_false(ds->partitions_partial);
	assert_int_equal(pv_dataset_column_index(ds, "nope"), -1);
	pv_dataset_free(ds);
}

static void test_dataset_nested_types(void **state)
{
	char a[512], b[512];
	const char *args[] = { pv_test_file(a, sizeof a, "data/nested_lists.snappy.parquet"),
			       pv_test_file(b, sizeof b, "data/nested_maps.snappy.parquet") };
	pv_dataset *ds;
	pv_err e;
	assert_int_equal(pv_dataset_open(args, 2, NULL, &ds, &e), 0);
	long col = pv_dataset_column_index(ds, "a");
	assert_string_equal(ds->columns[col].type, "LIST<LIST<LIST<BYTE_ARRAY UTF8>>>");
	assert_int_equal(ds->columns[col].n_conflicts, 1);
	assert_string_equal(ds->columns[col].conflicts[0].type, "MAP<BYTE_ARRAY UTF8, MAP<INT32, BOOLEAN>>");
	pv_dataset_free(ds);
}

static void test_dataset_errors(void **state)
{
	const char *args[] = { "/nonexistent-dir-for-parqview" };
	pv_dataset *ds;
	pv_err e;
	assert_int_equal(pv_dataset_open(args, 1, NULL, &ds, &e), PV_ENOTFOUND);
	assert_null(ds);
	assert_non_null(strstr(e.msg, "no such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfile_reads),
		cmocka_unit_test(test_pfile_long_footer),
		cmocka_unit_test(test_dataset_union),
		cmocka_unit_test(test_dataset_nested_types),
		cmocka_unit_test(test_dataset_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
