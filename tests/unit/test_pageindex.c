/*
 * test_pageindex.c - unit tests for the page index reader: the corpus files
 * with a page index (tiny pages, null pages, FLBA, bloom/index files),
 * agreement with the page walk, boundary orders, row -> page lookup, files
 * without an index, and offset indexes that lie.
 */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "format/pages.h"
#include "format/stats.h"
#include "io/source.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "read/pfile.h"

static void open_corpus(const char *rel, pv_source **src, pv_pfile **pf)
{
	char path[1024];
	pv_err e;
	assert_int_equal(pv_source_open(pv_test_file(path, sizeof path, rel), src, &e), 0);
	int rc = pv_pfile_load(*src, pf, &e);
	if (rc)
		print_message("# %s: %s\n", rel, e.msg);
	assert_int_equal(rc, 0);
}

/* -1, 0, 1 for values of one column; only the kinds the corpus needs. */
static int value_cmp(const pv_value *a, const pv_value *b)
{
	assert_int_equal(a->kind, b->kind);
	switch (a->kind) {
	case PV_VAL_BOOL:
		return (int)a->b - (int)b->b;
	case PV_VAL_INT:
	case PV_VAL_DATE:
	case PV_VAL_TIME:
	case PV_VAL_TIMESTAMP:
		return a->i < b->i ? -1 : a->i > b->i;
	case PV_VAL_UINT:
		return a->u < b->u ? -1 : a->u > b->u;
	case PV_VAL_FLOAT:
		return a->f < b->f ? -1 : a->f > b->f;
	case PV_VAL_STRING:
	case PV_VAL_BINARY:
	case PV_VAL_UUID: {
		size_t n = a->bytes.len < b->bytes.len ? a->bytes.len : b->bytes.len;
		int c = n ? memcmp(a->bytes.ptr, b->bytes.ptr, n) : 0;
		if (c)
			return c < 0 ? -1 : 1;
		return a->bytes.len < b->bytes.len ? -1 : a->bytes.len > b->bytes.len;
	}
	case PV_VAL_DECIMAL:
		if (!a->dec_bytes)
			return a->i < b->i ? -1 : a->i > b->i;
		if (a->bytes.len <= 16 && b->bytes.len <= 16) {
			__int128 x = 0, y = 0;
			for (size_t i = 0; i < a->bytes.len; i++)
				x = x * 256 + a->bytes.ptr[i];
			for (size_t i = 0; i < b->bytes.len; i++)
				y = y * 256 + b->bytes.ptr[i];
			/* Sign-extend the big-endian two's complement. */
			if (a->bytes.len && a->bytes.len < 16 && (a->bytes.ptr[0] & 0x80))
				x -= (__int128)1 << (8 * a->bytes.len);
			if (b->bytes.len && b->bytes.len < 16 && (b->bytes.ptr[0] & 0x80))
				y -= (__int128)1 << (8 * b->bytes.len);
			return x < y ? -1 : x > y;
		}
		return 0;
	default:
		/* Intervals and raw INT96 have no order to check. */
		return 0;
	}
}

/* Reads both indexes of a chunk, checks them together and against a page
 * walk, decodes every page and checks the boundary order. Returns the page
 * count (0 when the chunk has no column index). */
static size_t check_chunk(pv_source *src, const pv_row_group *rg, size_t c, const pv_schema_node *leaf)
{
	const pv_column_chunk *cc = &rg->columns[c];
	pv_err e;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	int rc = pv_pageindex_read_offsets(src, cc, rg->num_rows, &a, &oi, &e);
	if (rc)
		print_message("# column '%s': %s\n", leaf->path, e.msg);
	assert_int_equal(rc, 0);
	rc = pv_pageindex_read_columns(src, cc, &a, &ci, &e);
	if (rc == PV_ENOTFOUND) {
		assert_string_equal(e.msg, "no column index");
		pv_arena_release(&a);
		return 0;
	}
	if (rc)
		print_message("# column '%s': %s\n", leaf->path, e.msg);
	assert_int_equal(rc, 0);
	rc = pv_pageindex_check_columns(&ci, &oi, &e);
	if (rc)
		print_message("# column '%s': %s\n", leaf->path, e.msg);
	assert_int_equal(rc, 0);

	/* The walk finds the same data pages, and where the pages carry
	 * statistics they agree with the column index. */
	pv_pagewalk w;
	assert_int_equal(pv_pagewalk_open(&w, src, cc, leaf->max_rep, &e), 0);
	pv_page_info pi;
	bool done = false;
	size_t p = 0;
	while (pv_pagewalk_next(&w, &pi, &done, &e) == 0 && !done) {
		if (!pi.is_data)
			continue;
		assert_true(p < oi.n_page_locations);
		assert_int_equal(pi.offset, oi.page_locations[p].offset);
		assert_int_equal((int64_t)pi.header_len + pi.compressed_size,
				 oi.page_locations[p].compressed_page_size);
		if (pi.first_row >= 0)
			assert_int_equal(pi.first_row, oi.page_locations[p].first_row_index);
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, p, &b, &e), 0);
		pv_value mn, mx;
		if (!b.null_page && !b.unknown && pi.has_statistics && pi.statistics.has_min_value &&
		    pi.statistics.has_max_value && pv_page_info_minmax(&pi, leaf, &mn, &mx, &e) == 0 &&
		    mn.kind != PV_VAL_FLOAT) {
			assert_int_equal(value_cmp(&mn, &b.min), 0);
			assert_int_equal(value_cmp(&mx, &b.max), 0);
		}
		if (b.has_null_count && pi.num_nulls >= 0)
			assert_int_equal(b.null_count, pi.num_nulls);
		p++;
	}
	assert_true(done);
	assert_int_equal(p, oi.n_page_locations);
	pv_pagewalk_release(&w);

	/* Boundary order: min and max move together across non-null pages. */
	pv_page_bounds prev;
	bool have_prev = false;
	for (size_t i = 0; i < ci.n_pages; i++) {
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, i, &b, &e), 0);
		if (b.null_page || b.unknown) {
			assert_int_equal(b.min.kind, PV_VAL_NULL);
			continue;
		}
		if (b.min.kind != PV_VAL_FLOAT || (!isnan(b.min.f) && !isnan(b.max.f)))
			assert_true(value_cmp(&b.min, &b.max) <= 0);
		if (have_prev && ci.boundary_order == PV_BOUNDARY_ASCENDING) {
			assert_true(value_cmp(&prev.min, &b.min) <= 0);
			assert_true(value_cmp(&prev.max, &b.max) <= 0);
		} else if (have_prev && ci.boundary_order == PV_BOUNDARY_DESCENDING) {
			assert_true(value_cmp(&prev.min, &b.min) >= 0);
			assert_true(value_cmp(&prev.max, &b.max) >= 0);
		}
		prev = b;
		have_prev = true;
	}

	/* Every page's first row, and the row before the next page, map back. */
	for (size_t i = 0; i < oi.n_page_locations; i++) {
		int64_t r = oi.page_locations[i].first_row_index;
		assert_int_equal(pv_pageindex_row_to_page(&oi, r), (int64_t)i);
		int64_t next = i + 1 < oi.n_page_locations ? oi.page_locations[i + 1].first_row_index : rg->num_rows;
		assert_int_equal(pv_pageindex_row_to_page(&oi, next - 1), (int64_t)i);
	}
	assert_int_equal(pv_pageindex_row_to_page(&oi, -1), -1);
	size_t n = ci.n_pages;
	pv_arena_release(&a);
	return n;
}

static void test_tiny_pages(void **state)
{
	const char *files[] = { "data/alltypes_tiny_pages.parquet", "data/alltypes_tiny_pages_plain.parquet" };
	for (size_t f = 0; f < 2; f++) {
		pv_source *src;
		pv_pfile *pf;
		open_corpus(files[f], &src, &pf);
		const pv_row_group *rg = &pf->meta->row_groups[0];
		size_t total = 0;
		for (size_t c = 0; c < rg->n_columns; c++) {
			assert_true(rg->columns[c].has_offset_index_offset);
			total += check_chunk(src, rg, c, pf->schema->leaves[c]);
		}
		assert_true(total > 3000);

		/* id holds 0..7299 shuffled (checked with DuckDB): rows 0-20 are
		 * 122..142 and rows 111-131 are 39..87. */
		const pv_schema_node *leaf = pv_schema_find(pf->schema, "id");
		const pv_column_chunk *cc = &rg->columns[leaf->leaf_index];
		pv_arena a;
		pv_err e;
		pv_arena_init(&a, 0);
		pv_offset_index oi;
		pv_column_index ci;
		assert_int_equal(pv_pageindex_read_offsets(src, cc, rg->num_rows, &a, &oi, &e), 0);
		assert_int_equal(pv_pageindex_read_columns(src, cc, &a, &ci, &e), 0);
		assert_int_equal(oi.n_page_locations, 325);
		assert_int_equal(ci.boundary_order, PV_BOUNDARY_UNORDERED);
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, 0, &b, &e), 0);
		assert_int_equal(b.min.kind, PV_VAL_INT);
		assert_int_equal(b.min.i, 122);
		assert_int_equal(b.max.i, 142);
		assert_true(b.has_null_count);
		assert_int_equal(b.null_count, 0);
		assert_int_equal(oi.page_locations[5].first_row_index, 111);
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, 5, &b, &e), 0);
		assert_int_equal(b.min.i, 39);
		assert_int_equal(b.max.i, 87);
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		for (size_t p = 0; p < ci.n_pages; p++) {
			assert_int_equal(pv_pageindex_bounds(&ci, leaf, p, &b, &e), 0);
			lo = b.min.i < lo ? b.min.i : lo;
			hi = b.max.i > hi ? b.max.i : hi;
		}
		assert_int_equal(lo, 0);
		assert_int_equal(hi, 7299);
		assert_int_equal(pv_pageindex_row_to_page(&oi, 0), 0);
		assert_int_equal(pv_pageindex_row_to_page(&oi, 20), 0);
		assert_int_equal(pv_pageindex_row_to_page(&oi, 21), 1);
		assert_int_equal(pv_pageindex_row_to_page(&oi, 7299), 324);
		assert_int_equal(pv_pageindex_row_to_page(&oi, 1000000), 324);
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, 325, &b, &e), PV_EINVAL);

		/* timestamp_col has an offset index but no column index. */
		leaf = pv_schema_find(pf->schema, "timestamp_col");
		cc = &rg->columns[leaf->leaf_index];
		assert_int_equal(pv_pageindex_read_columns(src, cc, &a, &ci, &e), PV_ENOTFOUND);
		assert_string_equal(e.msg, "no column index");
		assert_int_equal(pv_pageindex_read_offsets(src, cc, rg->num_rows, &a, &oi, &e), 0);
		pv_arena_release(&a);
		pv_pfile_free(pf);
		pv_source_close(src);
	}
}

static void test_null_pages(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	open_corpus("data/int32_with_null_pages.parquet", &src, &pf);
	const pv_row_group *rg = &pf->meta->row_groups[0];
	const pv_schema_node *leaf = pf->schema->leaves[0];
	assert_int_equal(check_chunk(src, rg, 0, leaf), 10);
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	assert_int_equal(pv_pageindex_read_offsets(src, &rg->columns[0], rg->num_rows, &a, &oi, &e), 0);
	assert_int_equal(pv_pageindex_read_columns(src, &rg->columns[0], &a, &ci, &e), 0);
	size_t n_null = 0;
	for (size_t p = 0; p < ci.n_pages; p++) {
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, p, &b, &e), 0);
		assert_int_equal(oi.page_locations[p].first_row_index, (int64_t)p * 100);
		assert_true(b.has_null_count);
		if (b.null_page) {
			n_null++;
			assert_int_equal(b.null_count, 100);
			assert_int_equal(b.min.kind, PV_VAL_NULL);
			assert_int_equal(b.max.kind, PV_VAL_NULL);
		} else {
			assert_int_equal(b.min.kind, PV_VAL_INT);
			assert_true(b.null_count < 100);
		}
	}
	assert_int_equal(n_null, 1);
	pv_page_bounds b;
	assert_int_equal(pv_pageindex_bounds(&ci, leaf, 2, &b, &e), 0);
	assert_true(b.null_page);
	assert_int_equal(pv_pageindex_bounds(&ci, leaf, 1, &b, &e), 0);
	assert_int_equal(b.null_count, 55);
	assert_int_equal(b.min.i, -2104090659);
	assert_int_equal(b.max.i, 1745329571);
	pv_arena_release(&a);
	pv_pfile_free(pf);
	pv_source_close(src);
}

/* Numbers from the file's description in apache/parquet-testing. */
static void test_fixed_length_byte_array(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	open_corpus("data/fixed_length_byte_array.parquet", &src, &pf);
	const pv_row_group *rg = &pf->meta->row_groups[0];
	const pv_schema_node *leaf = pf->schema->leaves[0];
	assert_int_equal(check_chunk(src, rg, 0, leaf), 10);
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	assert_int_equal(pv_pageindex_read_offsets(src, &rg->columns[0], rg->num_rows, &a, &oi, &e), 0);
	assert_int_equal(pv_pageindex_read_columns(src, &rg->columns[0], &a, &ci, &e), 0);
	assert_int_equal(ci.boundary_order, PV_BOUNDARY_DESCENDING);
	const int64_t offsets[10] = { 4, 404, 804, 1165, 1561, 1945, 2337, 2729, 3133, 3533 };
	const int32_t sizes[10] = { 400, 400, 361, 396, 384, 392, 392, 404, 400, 411 };
	const int64_t nulls[10] = { 9, 9, 19, 10, 13, 11, 11, 8, 9, 6 };
	for (size_t p = 0; p < 10; p++) {
		assert_int_equal(oi.page_locations[p].offset, offsets[p]);
		assert_int_equal(oi.page_locations[p].compressed_page_size, sizes[p]);
		assert_int_equal(oi.page_locations[p].first_row_index, (int64_t)p * 100);
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, p, &b, &e), 0);
		assert_int_equal(b.null_count, nulls[p]);
		assert_int_equal(b.min.kind, PV_VAL_BINARY);
		assert_int_equal(b.min.bytes.len, 4);
		/* Page p holds 1000 - 100p down to 901 - 100p, big-endian. */
		uint32_t mn = (uint32_t)b.min.bytes.ptr[0] << 24 | (uint32_t)b.min.bytes.ptr[1] << 16 |
			      (uint32_t)b.min.bytes.ptr[2] << 8 | b.min.bytes.ptr[3];
		uint32_t mx = (uint32_t)b.max.bytes.ptr[0] << 24 | (uint32_t)b.max.bytes.ptr[1] << 16 |
			      (uint32_t)b.max.bytes.ptr[2] << 8 | b.max.bytes.ptr[3];
		assert_int_equal(mn, 901 - 100 * p);
		assert_int_equal(mx, 1000 - 100 * p);
	}
	pv_arena_release(&a);
	pv_pfile_free(pf);
	pv_source_close(src);
}

static void test_bloom_index_files(void **state)
{
	const char *files[] = { "data/data_index_bloom_encoding_stats.parquet",
				"data/data_index_bloom_encoding_with_length.parquet" };
	for (size_t f = 0; f < 2; f++) {
		pv_source *src;
		pv_pfile *pf;
		pv_err e;
		open_corpus(files[f], &src, &pf);
		const pv_row_group *rg = &pf->meta->row_groups[0];
		const pv_schema_node *leaf = pf->schema->leaves[0];
		assert_int_equal(check_chunk(src, rg, 0, leaf), 1);
		pv_arena a;
		pv_arena_init(&a, 0);
		pv_column_index ci;
		assert_int_equal(pv_pageindex_read_columns(src, &rg->columns[0], &a, &ci, &e), 0);
		pv_page_bounds b;
		assert_int_equal(pv_pageindex_bounds(&ci, leaf, 0, &b, &e), 0);
		assert_int_equal(b.min.kind, PV_VAL_STRING);
		assert_int_equal(b.min.bytes.len, 5);
		assert_memory_equal(b.min.bytes.ptr, "Hello", 5);
		assert_memory_equal(b.max.bytes.ptr, "today", 5);
		assert_int_equal(b.null_count, 0);
		pv_arena_release(&a);
		pv_pfile_free(pf);
		pv_source_close(src);
	}
}

/* parquet-mr 1.13 wrote pages without statistics into the column index as
 * null pages with a null count of -1; the columns are required. */
static void test_parquet_mr_unknown_pages(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	open_corpus("data/datapage_v1-uncompressed-checksum.parquet", &src, &pf);
	const pv_row_group *rg = &pf->meta->row_groups[0];
	for (size_t c = 0; c < rg->n_columns; c++) {
		const pv_schema_node *leaf = pf->schema->leaves[c];
		assert_int_equal(leaf->max_def, 0);
		assert_int_equal(check_chunk(src, rg, c, leaf), 2);
		pv_arena a;
		pv_arena_init(&a, 0);
		pv_column_index ci;
		assert_int_equal(pv_pageindex_read_columns(src, &rg->columns[c], &a, &ci, &e), 0);
		for (size_t p = 0; p < ci.n_pages; p++) {
			assert_true(ci.null_pages[p]);
			assert_int_equal(ci.null_counts[p], -1);
			pv_page_bounds b;
			assert_int_equal(pv_pageindex_bounds(&ci, leaf, p, &b, &e), 0);
			assert_true(b.unknown);
			assert_false(b.null_page);
			assert_false(b.has_null_count);
			assert_int_equal(b.min.kind, PV_VAL_NULL);
		}
		pv_arena_release(&a);
	}
	pv_pfile_free(pf);
	pv_source_close(src);
}

static void test_no_page_index(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	open_corpus("data/alltypes_plain.parquet", &src, &pf);
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	const pv_row_group *rg = &pf->meta->row_groups[0];
	pv_source_stats_reset(src);
	assert_int_equal(pv_pageindex_read_columns(src, &rg->columns[0], &a, &ci, &e), PV_ENOTFOUND);
	assert_string_equal(e.msg, "no column index");
	assert_int_equal(ci.n_pages, 0);
	assert_int_equal(pv_pageindex_read_offsets(src, &rg->columns[0], rg->num_rows, &a, &oi, &e), PV_ENOTFOUND);
	assert_string_equal(e.msg, "no offset index");
	assert_int_equal(oi.n_page_locations, 0);
	assert_int_equal(pv_source_stats_get(src).n_reads, 0);
	assert_int_equal(pv_pageindex_row_to_page(&oi, 0), -1);
	pv_arena_release(&a);
	pv_pfile_free(pf);
	pv_source_close(src);
}

/* fn on every *.parquet under dir (testutil's sorted list). */
static void each_parquet(const char *dir, void (*fn)(const char *path, size_t *n), size_t *n)
{
	pv_test_files l = { 0 };
	pv_test_list_parquet(&l, dir);
	for (size_t i = 0; i < l.n; i++)
		fn(l.paths[i], n);
	pv_test_files_free(&l);
}

static void corpus_file(const char *path, size_t *n)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	assert_int_equal(pv_source_open(path, &src, &e), 0);
	if (pv_pfile_load(src, &pf, &e) == 0) {
		for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
			const pv_row_group *rg = &pf->meta->row_groups[g];
			for (size_t c = 0; c < rg->n_columns; c++)
				if (rg->columns[c].has_offset_index_offset)
					*n += check_chunk(src, rg, c, pf->schema->leaves[c]) > 0;
		}
		pv_pfile_free(pf);
	}
	pv_source_close(src);
}

/* Every chunk of the corpus with a page index reads, checks and decodes. */
static void test_corpus(void **state)
{
	char dir[1024];
	size_t n = 0;
	each_parquet(pv_test_file(dir, sizeof dir, "data"), corpus_file, &n);
	each_parquet(pv_test_file(dir, sizeof dir, "shredded_variant"), corpus_file, &n);
	print_message("# %zu column chunks with a column index checked\n", n);
	assert_true(n > 20);
}

/* ------------------------------------------------------------------ lies */

static pv_offset_index make_oi(pv_page_location *locs, size_t n)
{
	pv_offset_index oi;
	memset(&oi, 0, sizeof oi);
	oi.page_locations = locs;
	oi.n_page_locations = n;
	return oi;
}

static void test_check_offsets(void **state)
{
	pv_err e;
	pv_page_location locs[3] = { { 100, 50, 0 }, { 150, 50, 10 }, { 200, 50, 20 } };
	pv_offset_index oi = make_oi(locs, 3);
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), 0);
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, -1, &e), 0);
	assert_int_equal(pv_pageindex_row_to_page(&oi, 9), 0);
	assert_int_equal(pv_pageindex_row_to_page(&oi, 10), 1);
	assert_int_equal(pv_pageindex_row_to_page(&oi, 25), 2);

	/* Past the chunk end; before its start. */
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 249, 30, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "offset index: page 2: "));
	assert_int_equal(pv_pageindex_check_offsets(&oi, 101, 250, 30, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page 0"));
	/* Rows past the row group. */
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 20, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page 2: first_row_index 20 is past the row group's 20 rows"));
	/* Rows not increasing. */
	locs[2].first_row_index = 10;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "offset index: page 2: first_row_index 10 does not follow 10");
	locs[2].first_row_index = 20;
	/* Not starting at row 0. */
	locs[0].first_row_index = 1;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page 0: first_row_index 1 is not 0"));
	locs[0].first_row_index = 0;
	/* Overlapping pages. */
	locs[1].offset = 149;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page 1 at offset 149 overlaps page 0"));
	locs[1].offset = 150;
	/* Sizes that are not positive, or huge. */
	locs[1].compressed_page_size = 0;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	locs[1].compressed_page_size = INT32_MAX;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	locs[1].compressed_page_size = 50;
	locs[2].offset = INT64_MAX - 10;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);
	locs[2].offset = 200;
	/* No pages. */
	oi.n_page_locations = 0;
	assert_int_equal(pv_pageindex_check_offsets(&oi, 100, 250, 30, &e), PV_ECORRUPT);

	/* A column index with a different page count. */
	oi.n_page_locations = 3;
	pv_column_index ci;
	memset(&ci, 0, sizeof ci);
	bool nulls[2] = { true, true };
	pv_bytes empty[2] = { { NULL, 0 }, { NULL, 0 } };
	ci.n_pages = 2;
	ci.null_pages = nulls;
	ci.min_values = ci.max_values = empty;
	assert_int_equal(pv_pageindex_check_columns(&ci, &oi, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "column index has 2 pages but the offset index has 3");
	oi.n_page_locations = 2;
	assert_int_equal(pv_pageindex_check_columns(&ci, &oi, &e), 0);
	/* Non-null pages need min and max bytes. */
	nulls[1] = false;
	pv_bytes broken[2] = { { NULL, 0 }, { NULL, 3 } };
	ci.min_values = broken;
	assert_int_equal(pv_pageindex_check_columns(&ci, &oi, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "column index: page 1: missing min or max");
}

/* A source whose bytes are all zero, of any size, without memory. */
static int zero_read(void *impl, int64_t offset, void *buf, size_t n, pv_err *err)
{
	memset(buf, 0, n);
	return 0;
}

static void test_read_ranges(void **state)
{
	pv_err e;
	pv_buf b;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	/* Two 10-byte pages, then their offset index. */
	for (int i = 0; i < 20; i++)
		assert_int_equal(pv_buf_putc(&b, 'p', NULL), 0);
	pv_page_location locs[2] = { { 4, 10, 0 }, { 14, 10, 5 } };
	pv_offset_index oi = make_oi(locs, 2);
	size_t oi_off = b.len;
	assert_int_equal(pv_offset_index_write(&oi, &b, &e), 0);
	size_t oi_len = b.len - oi_off;
	/* A column index with one page of three bytes for an INT32 column. */
	pv_column_index ci;
	memset(&ci, 0, sizeof ci);
	bool np[2] = { false, false };
	uint8_t four[4] = { 1, 0, 0, 0 };
	pv_bytes mins[2] = { { four, 3 }, { four, 4 } };
	ci.n_pages = 2;
	ci.null_pages = np;
	ci.min_values = ci.max_values = mins;
	ci.boundary_order = PV_BOUNDARY_UNORDERED;
	size_t ci_off = b.len;
	assert_int_equal(pv_column_index_write(&ci, &b, &e), 0);
	size_t ci_len = b.len - ci_off;

	pv_column_chunk cc;
	memset(&cc, 0, sizeof cc);
	cc.has_meta_data = true;
	cc.meta_data.type = PV_TYPE_INT32;
	cc.meta_data.data_page_offset = 4;
	cc.meta_data.total_compressed_size = 20;
	cc.meta_data.num_values = 10;
	cc.has_offset_index_offset = cc.has_offset_index_length = true;
	cc.offset_index_offset = (int64_t)oi_off;
	cc.offset_index_length = (int32_t)oi_len;
	cc.has_column_index_offset = cc.has_column_index_length = true;
	cc.column_index_offset = (int64_t)ci_off;
	cc.column_index_length = (int32_t)ci_len;

	pv_source *src;
	assert_int_equal(pv_source_open_mem(b.data, b.len, "mem", &src, &e), 0);
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index got;
	pv_source_stats_reset(src);
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), 0);
	assert_int_equal(pv_source_stats_get(src).n_reads, 1);
	assert_int_equal(got.n_page_locations, 2);
	assert_int_equal(got.page_locations[1].first_row_index, 5);
	/* Against a row group of 5 rows the second page starts too late. */
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 5, &a, &got, &e), PV_ECORRUPT);
	assert_int_equal(got.n_page_locations, 0);
	/* A chunk that does not hold the pages. */
	cc.meta_data.total_compressed_size = 19;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "lies outside the column chunk"));
	cc.meta_data.total_compressed_size = 20;

	/* Ranges outside the file, empty or negative lengths. */
	cc.offset_index_offset = (int64_t)b.len;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "offset index at offset"));
	assert_non_null(strstr(e.msg, "lies outside the file"));
	cc.offset_index_offset = (int64_t)oi_off;
	cc.offset_index_length = (int32_t)(b.len - oi_off + 1);
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	cc.offset_index_length = 0;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	cc.offset_index_length = -5;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	cc.offset_index_offset = -1;
	cc.offset_index_length = (int32_t)oi_len;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	/* Garbage bytes where the index should be. */
	cc.offset_index_offset = 4;
	cc.offset_index_length = 20;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "offset index"));
	/* Only an offset, no length: no index. */
	cc.has_offset_index_length = false;
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ENOTFOUND);

	/* The column index: a min of three bytes cannot be an INT32. */
	pv_column_index gci;
	assert_int_equal(pv_pageindex_read_columns(src, &cc, &a, &gci, &e), 0);
	assert_int_equal(gci.n_pages, 2);
	pv_schema_element el;
	memset(&el, 0, sizeof el);
	el.name = "x";
	el.has_type = true;
	el.type = PV_TYPE_INT32;
	pv_schema_node leaf;
	memset(&leaf, 0, sizeof leaf);
	leaf.name = "x";
	leaf.path = "x";
	leaf.element = &el;
	leaf.is_leaf = true;
	pv_page_bounds pb;
	assert_int_equal(pv_pageindex_bounds(&gci, &leaf, 0, &pb, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "column index: page 0: "));
	assert_int_equal(pb.min.kind, PV_VAL_NULL);
	assert_int_equal(pv_pageindex_bounds(&gci, &leaf, 1, &pb, &e), 0);
	assert_int_equal(pb.min.i, 1);
	cc.column_index_length = 2;
	assert_int_equal(pv_pageindex_read_columns(src, &cc, &a, &gci, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "column index"));
	cc.encrypted = true;
	assert_int_equal(pv_pageindex_read_columns(src, &cc, &a, &gci, &e), PV_EUNSUPPORTED);
	pv_source_close(src);

	/* A huge (zero-filled) file: an index longer than the cap is refused
	 * before anything is read or allocated. */
	static const pv_source_ops zero_ops = { "zero", zero_read, NULL };
	assert_int_equal(pv_source_open_ops(&zero_ops, NULL, "zero", (int64_t)1 << 32, &src, &e), 0);
	cc.encrypted = false;
	cc.has_offset_index_length = true;
	cc.offset_index_offset = 1000;
	cc.offset_index_length = (int32_t)(PV_PAGEINDEX_MAX_BYTES + 1);
	pv_source_stats_reset(src);
	assert_int_equal(pv_pageindex_read_offsets(src, &cc, 10, &a, &got, &e), PV_ELIMIT);
	cc.column_index_offset = 1000;
	cc.column_index_length = INT32_MAX;
	assert_int_equal(pv_pageindex_read_columns(src, &cc, &a, &gci, &e), PV_ELIMIT);
	assert_int_equal(pv_source_stats_get(src).n_reads, 0);
	/* Zeros parse as an empty struct: a required field is missing. */
	cc.column_index_length = 100;
	assert_int_equal(pv_pageindex_read_columns(src, &cc, &a, &gci, &e), PV_ECORRUPT);
	pv_source_close(src);

	pv_arena_release(&a);
	pv_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiny_pages),
		cmocka_unit_test(test_null_pages),
		cmocka_unit_test(test_fixed_length_byte_array),
		cmocka_unit_test(test_bloom_index_files),
		cmocka_unit_test(test_parquet_mr_unknown_pages),
		cmocka_unit_test(test_no_page_index),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_check_offsets),
		cmocka_unit_test(test_read_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
