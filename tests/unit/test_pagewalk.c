/*
 * test_pagewalk.c - unit tests for the page header walk: every column chunk
 * of the corpus (values add up, offsets increase, pages match the offset
 * index), v2 pages, tiny pages, odd dictionary offsets, bad and truncated
 * files, and handmade chunks that lie about their sizes.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "format/pages.h"
#include "io/source.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "read/pfile.h"

/* ------------------------------------------------------------------ helpers */


static uint8_t *slurp(const char *path, size_t *out_n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*out_n = (size_t)n;
	return b;
}

/* Walks a whole chunk; returns the walk's result and fills the counts. */
typedef struct walk_sum {
	int64_t n_pages, n_data, values, n_dict, n_v2;
	int64_t data_offsets[4096];
	int64_t data_first_rows[4096];
} walk_sum;

static int walk_all(pv_source *src, const pv_column_chunk *cc, int max_rep, walk_sum *s, pv_err *err)
{
	memset(s, 0, sizeof *s);
	pv_pagewalk w;
	int rc = pv_pagewalk_open(&w, src, cc, max_rep, err);
	if (rc) {
		pv_pagewalk_release(&w);
		return rc;
	}
	int64_t start, end;
	assert_int_equal(pv_pagewalk_chunk_range(cc, pv_source_size(src), &start, &end, NULL), 0);
	int64_t last = -1;
	bool done = false;
	pv_page_info pi;
	while (!(rc = pv_pagewalk_next(&w, &pi, &done, err)) && !done) {
		assert_true(pi.offset > last);
		assert_true(pi.offset >= start);
		assert_true(pi.offset + (int64_t)pi.header_len + pi.compressed_size <= end);
		assert_int_equal(pi.index, s->n_pages);
		last = pi.offset;
		s->n_pages++;
		if (pi.type == PV_PAGE_DICTIONARY)
			s->n_dict++;
		if (pi.type == PV_PAGE_DATA_V2)
			s->n_v2++;
		if (pi.is_data) {
			if (s->n_data < 4096) {
				s->data_offsets[s->n_data] = pi.offset;
				s->data_first_rows[s->n_data] = pi.first_row;
			}
			s->n_data++;
			s->values += pi.num_values;
			assert_true(pi.num_values >= 0);
		}
	}
	pv_pagewalk_release(&w);
	return rc;
}

/* ------------------------------------------------------------------ corpus */

static void test_corpus_walk(void **state)
{
	pv_test_files l = { 0 };
	char dir[1024];
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "data"));
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "variant"));
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "shredded_variant"));
	assert_true(l.n > 50);
	walk_sum *s = malloc(sizeof *s);
	size_t n_chunks = 0, n_with_oi = 0;
	for (size_t i = 0; i < l.n; i++) {
		pv_err e;
		pv_source *src;
		pv_pfile *pf;
		assert_int_equal(pv_source_open(l.paths[i], &src, &e), 0);
		if (pv_pfile_load(src, &pf, &e) != 0) {
			print_message("# skipped %s: %s\n", l.paths[i], e.msg);
			pv_source_close(src);
			continue;
		}
		for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
			const pv_row_group *rg = &pf->meta->row_groups[g];
			for (size_t c = 0; c < rg->n_columns; c++) {
				const pv_column_chunk *cc = &rg->columns[c];
				const pv_schema_node *leaf = pf->schema->leaves[c];
				int rc = walk_all(src, cc, leaf->max_rep, s, &e);
				if (rc)
					print_message("# %s: row group %zu column '%s': %s\n", l.paths[i], g,
						      leaf->path, e.msg);
				assert_int_equal(rc, 0);
				assert_int_equal(s->values, cc->meta_data.num_values);
				n_chunks++;
				if (!cc->has_offset_index_offset)
					continue;
				/* The offset index lists exactly the data pages the walk found. */
				pv_arena a;
				pv_arena_init(&a, 0);
				pv_offset_index oi;
				rc = pv_pageindex_read_offsets(src, cc, rg->num_rows, &a, &oi, &e);
				if (rc)
					print_message("# %s: column '%s': %s\n", l.paths[i], leaf->path, e.msg);
				assert_int_equal(rc, 0);
				assert_int_equal(oi.n_page_locations, s->n_data);
				for (size_t p = 0; p < oi.n_page_locations && p < 4096; p++) {
					assert_int_equal(oi.page_locations[p].offset, s->data_offsets[p]);
					if (s->data_first_rows[p] >= 0)
						assert_int_equal(oi.page_locations[p].first_row_index,
								 s->data_first_rows[p]);
				}
				n_with_oi++;
				pv_arena_release(&a);
			}
		}
		pv_pfile_free(pf);
		pv_source_close(src);
	}
	print_message("# walked %zu column chunks of %zu files, %zu with an offset index\n", n_chunks, l.n,
		      n_with_oi);
	assert_true(n_chunks > 500);
	assert_true(n_with_oi > 20);
	free(s);
	pv_test_files_free(&l);
}

/* Opens a corpus file and returns its pfile and source. */
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

static void test_datapage_v2(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	open_corpus("data/datapage_v2.snappy.parquet", &src, &pf);
	const pv_row_group *rg = &pf->meta->row_groups[0];
	size_t n_v2 = 0;
	for (size_t c = 0; c < rg->n_columns; c++) {
		pv_pagewalk w;
		pv_err e;
		const pv_schema_node *leaf = pf->schema->leaves[c];
		assert_int_equal(pv_pagewalk_open(&w, src, &rg->columns[c], leaf->max_rep, &e), 0);
		pv_page_info pi;
		bool done = false;
		int64_t rows = 0;
		while (pv_pagewalk_next(&w, &pi, &done, &e) == 0 && !done) {
			if (pi.type != PV_PAGE_DATA_V2)
				continue;
			n_v2++;
			assert_true(pi.is_data);
			assert_true(pi.num_rows >= 0);
			assert_int_equal(pi.first_row, rows);
			rows += pi.num_rows;
			assert_true(pi.def_levels_len >= 0);
			assert_true(pi.rep_levels_len >= 0);
			assert_int_equal(pi.def_level_encoding, -1);
			assert_true(pi.num_nulls >= 0);
			assert_true(pi.num_nulls <= pi.num_values);
			if (leaf->max_rep == 0)
				assert_int_equal(pi.rep_levels_len, 0);
		}
		assert_true(done);
		assert_int_equal(rows, rg->num_rows);
		pv_pagewalk_release(&w);
	}
	assert_int_equal(n_v2, rg->n_columns);
	pv_pfile_free(pf);
	pv_source_close(src);
}

static void test_tiny_pages(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	open_corpus("data/alltypes_tiny_pages.parquet", &src, &pf);
	const pv_schema_node *leaf = pv_schema_find(pf->schema, "id");
	assert_non_null(leaf);
	const pv_column_chunk *cc = &pf->meta->row_groups[0].columns[leaf->leaf_index];
	pv_source_stats_reset(src);
	pv_pagewalk w;
	pv_err e;
	assert_int_equal(pv_pagewalk_open(&w, src, cc, leaf->max_rep, &e), 0);
	pv_page_info pi;
	bool done = false;
	int64_t n = 0, rows = 0;
	while (pv_pagewalk_next(&w, &pi, &done, &e) == 0 && !done) {
		assert_int_equal(pi.type, PV_PAGE_DATA);
		assert_int_equal(pi.first_row, rows);
		assert_int_equal(pi.num_rows, pi.num_values);
		rows += pi.num_rows;
		/* Page statistics decode to ids of this page's rows. */
		pv_value mn, mx;
		assert_int_equal(pv_page_info_minmax(&pi, leaf, &mn, &mx, &e), 0);
		if (mn.kind != PV_VAL_NULL) {
			assert_int_equal(mn.kind, PV_VAL_INT);
			assert_true(mn.i <= mx.i);
		}
		n++;
	}
	assert_true(done);
	assert_true(n > 100);
	assert_int_equal(rows, 7300);
	/* The chunk is smaller than the window: one read for all its headers. */
	assert_int_equal(pv_source_stats_get(src).n_reads, 1);
	/* Calling again after the end stays done. */
	assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
	assert_true(done);
	pv_pagewalk_release(&w);
	pv_pagewalk_release(&w);
	pv_pagewalk_release(NULL);

	/* Stopping early (`--pages 3`) is just releasing. */
	assert_int_equal(pv_pagewalk_open(&w, src, cc, 0, &e), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_false(done);
		assert_int_equal(pi.index, i);
	}
	pv_pagewalk_release(&w);
	pv_pfile_free(pf);
	pv_source_close(src);
}

static void test_odd_dictionary_offsets(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	walk_sum *s = malloc(sizeof *s);

	/* dictionary_page_offset 0: the chunk starts at the data page. */
	open_corpus("data/dict-page-offset-zero.parquet", &src, &pf);
	const pv_column_chunk *cc = &pf->meta->row_groups[0].columns[0];
	assert_true(cc->meta_data.has_dictionary_page_offset);
	assert_int_equal(cc->meta_data.dictionary_page_offset, 0);
	int64_t start, end;
	assert_int_equal(pv_pagewalk_chunk_range(cc, pf->size, &start, &end, &e), 0);
	assert_int_equal(start, cc->meta_data.data_page_offset);
	assert_int_equal(walk_all(src, cc, 0, s, &e), 0);
	assert_int_equal(s->values, cc->meta_data.num_values);
	pv_pfile_free(pf);
	pv_source_close(src);

	/* data_page_offset 0 beside a dictionary page holding nothing (Arrow
	 * writes that for a chunk without values). */
	open_corpus("data/column_chunk_key_value_metadata.parquet", &src, &pf);
	cc = &pf->meta->row_groups[0].columns[0];
	assert_int_equal(cc->meta_data.data_page_offset, 0);
	assert_int_equal(walk_all(src, cc, 0, s, &e), 0);
	assert_int_equal(s->n_pages, 1);
	assert_int_equal(s->n_dict, 1);
	assert_int_equal(s->values, 0);
	pv_pfile_free(pf);
	pv_source_close(src);
	free(s);
}

static void test_bad_data(void **state)
{
	pv_test_files l = { 0 };
	char dir[1024];
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "bad_data"));
	assert_true(l.n >= 5);
	walk_sum *s = malloc(sizeof *s);
	size_t n_errors = 0;
	for (size_t i = 0; i < l.n; i++) {
		pv_err e;
		pv_source *src;
		pv_pfile *pf;
		assert_int_equal(pv_source_open(l.paths[i], &src, &e), 0);
		if (pv_pfile_load(src, &pf, &e) != 0) {
			assert_true(e.msg[0] != 0);
			n_errors++;
			pv_source_close(src);
			continue;
		}
		for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
			const pv_row_group *rg = &pf->meta->row_groups[g];
			for (size_t c = 0; c < rg->n_columns; c++) {
				int rc = walk_all(src, &rg->columns[c], pf->schema->leaves[c]->max_rep, s, &e);
				if (rc) {
					assert_int_equal(rc, PV_ECORRUPT);
					assert_true(e.msg[0] != 0);
					n_errors++;
				}
			}
		}
		pv_pfile_free(pf);
		pv_source_close(src);
	}
	/* ARROW-GH-41321 (negative dictionary size), ARROW-RS-GH-6229 and
	 * PARQUET-1481 fail here; the others are bad only in their data. */
	assert_true(n_errors >= 3);
	free(s);
	pv_test_files_free(&l);
}

static void test_truncated(void **state)
{
	char path[1024];
	size_t n;
	uint8_t *bytes = slurp(pv_test_file(path, sizeof path, "data/alltypes_tiny_pages_plain.parquet"), &n);
	pv_err e;
	pv_source *full;
	pv_pfile *pf;
	assert_int_equal(pv_source_open_mem(bytes, n, "full", &full, &e), 0);
	assert_int_equal(pv_pfile_load(full, &pf, &e), 0);
	walk_sum *s = malloc(sizeof *s);

	/* The footer of the whole file over a source cut short: every chunk
	 * either fits and walks or is refused cleanly. */
	const size_t cuts[] = { 4, 5, 100, 4000, 40000, 123457, 400000, 700000 };
	for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
		pv_source *cut;
		assert_int_equal(pv_source_open_mem(bytes, cuts[k], "cut", &cut, &e), 0);
		const pv_row_group *rg = &pf->meta->row_groups[0];
		for (size_t c = 0; c < rg->n_columns; c++) {
			int64_t start, end;
			assert_int_equal(pv_pagewalk_chunk_range(&rg->columns[c], -1, &start, &end, &e), 0);
			int rc = walk_all(cut, &rg->columns[c], 0, s, &e);
			if (end <= (int64_t)cuts[k]) {
				assert_int_equal(rc, 0);
			} else {
				assert_int_equal(rc, PV_ECORRUPT);
				assert_non_null(strstr(e.msg, "lies outside the file"));
			}
		}
		pv_source_close(cut);
	}

	/* Truncated copies on disk: the footer is gone, a clean error. */
	char tmp[] = "/tmp/pv_test_pagewalk.XXXXXX";
	int fd = mkstemp(tmp);
	assert_true(fd >= 0);
	const size_t lens[] = { 0, 3, 11, 12, 1000, 400000, 811700 };
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		assert_int_equal(ftruncate(fd, 0), 0);
		assert_int_equal(pwrite(fd, bytes, lens[k], 0), (ssize_t)lens[k]);
		pv_pfile *tpf = NULL;
		int rc = pv_pfile_open(tmp, &tpf, &e);
		assert_true(rc < 0);
		assert_null(tpf);
		assert_true(e.msg[0] != 0);
	}
	close(fd);
	unlink(tmp);

	free(s);
	pv_pfile_free(pf);
	pv_source_close(full);
	free(bytes);
}

/* ------------------------------------------------------------------ handmade chunks */

/* A data page header with n values and body bytes. */
static pv_page_header data_header(int32_t n_values, int32_t body)
{
	pv_page_header h;
	memset(&h, 0, sizeof h);
	h.type = PV_PAGE_DATA;
	h.uncompressed_page_size = body;
	h.compressed_page_size = body;
	h.has_data_page_header = true;
	h.data_page_header.num_values = n_values;
	h.data_page_header.encoding = PV_ENC_PLAIN;
	h.data_page_header.definition_level_encoding = PV_ENC_RLE;
	h.data_page_header.repetition_level_encoding = PV_ENC_RLE;
	return h;
}

/* Appends a header and `body` filler bytes. */
static void put_page(pv_buf *b, const pv_page_header *h, size_t body)
{
	assert_int_equal(pv_page_header_write(h, b, NULL), 0);
	for (size_t i = 0; i < body; i++)
		assert_int_equal(pv_buf_putc(b, (char)0xab, NULL), 0);
}

static pv_column_chunk chunk_of(int64_t start, int64_t len, int64_t num_values)
{
	pv_column_chunk cc;
	memset(&cc, 0, sizeof cc);
	cc.has_meta_data = true;
	cc.meta_data.type = PV_TYPE_INT32;
	cc.meta_data.codec = PV_CODEC_UNCOMPRESSED;
	cc.meta_data.data_page_offset = start;
	cc.meta_data.total_compressed_size = len;
	cc.meta_data.num_values = num_values;
	return cc;
}

/* Walks and returns the first error (0 when none), with the page count. */
static int walk_mem(const pv_buf *b, const pv_column_chunk *cc, int64_t *out_pages, uint64_t *out_reads,
		    pv_err *e)
{
	pv_source *src;
	assert_int_equal(pv_source_open_mem(b->data, b->len, "mem", &src, e), 0);
	walk_sum *s = malloc(sizeof *s);
	int rc = walk_all(src, cc, 0, s, e);
	*out_pages = s->n_pages;
	if (out_reads)
		*out_reads = pv_source_stats_get(src).n_reads;
	free(s);
	pv_source_close(src);
	return rc;
}

static void test_handmade(void **state)
{
	pv_buf b;
	pv_err e;
	int64_t np;
	uint64_t nr;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	pv_page_header h1 = data_header(10, 40), h2 = data_header(5, 20);
	h2.has_crc = true;
	h2.crc = -2;
	put_page(&b, &h1, 40);
	size_t second = b.len;
	put_page(&b, &h2, 20);
	size_t end = b.len;
	assert_int_equal(pv_buf_append(&b, "tail", 4, NULL), 0);

	/* A good chunk. */
	pv_column_chunk cc = chunk_of(4, (int64_t)(end - 4), 15);
	assert_int_equal(walk_mem(&b, &cc, &np, &nr, &e), 0);
	assert_int_equal(np, 2);
	assert_int_equal(nr, 1);
	{
		pv_source *src;
		pv_pagewalk w;
		pv_page_info pi;
		bool done;
		assert_int_equal(pv_source_open_mem(b.data, b.len, "mem", &src, &e), 0);
		assert_int_equal(pv_pagewalk_open(&w, src, &cc, 0, &e), 0);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_false(pi.has_crc);
		assert_int_equal(pi.num_nulls, -1);
		assert_int_equal(pi.def_level_encoding, PV_ENC_RLE);
		assert_int_equal(pi.def_levels_len, -1);
		assert_false(pi.is_compressed);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_int_equal(pi.offset, (int64_t)second);
		assert_true(pi.has_crc);
		assert_int_equal(pi.crc, 0xfffffffeu);
		assert_int_equal(pi.first_row, 10);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_true(done);
		pv_pagewalk_release(&w);
		pv_source_close(src);
	}

	/* The chunk claims fewer bytes: the second page runs past its end. */
	cc = chunk_of(4, (int64_t)(end - 5), 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	assert_int_equal(np, 1);
	char want[128];
	snprintf(want, sizeof want, "page 1 at offset %zu: page of ", second);
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "runs past the end of the column chunk"));

	/* The chunk ends inside the second header. */
	cc = chunk_of(4, (int64_t)(second + 3 - 4), 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page header truncated by the end of the column chunk"));

	/* More values than the chunk claims. */
	cc = chunk_of(4, (int64_t)(end - 4), 12);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "page 1 at offset"));
	assert_non_null(strstr(e.msg, "more than the column chunk's 12 values"));

	/* Fewer values than the chunk claims. */
	cc = chunk_of(4, (int64_t)(end - 4), 16);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	assert_int_equal(np, 2);
	assert_non_null(strstr(e.msg, "15 of its 16 values"));

	/* Values reached: stop even though bytes remain (the tail). */
	cc = chunk_of(4, (int64_t)(b.len - 4), 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), 0);
	assert_int_equal(np, 2);

	/* A chunk outside the file; negative sizes; garbage offsets. */
	cc = chunk_of(4, (int64_t)b.len, 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "lies outside the file"));
	cc = chunk_of(4, -1, 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	cc = chunk_of(INT64_MAX - 2, 100, 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	cc = chunk_of(0, 10, 15);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	cc = chunk_of(4, 10, -1);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);

	/* Garbage where a header should be. */
	cc = chunk_of((int64_t)end, 4, 1);
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_ECORRUPT);
	snprintf(want, sizeof want, "page 0 at offset %zu: ", end);
	assert_non_null(strstr(e.msg, want));

	/* Encrypted, or in another file. */
	cc = chunk_of(4, (int64_t)(end - 4), 15);
	cc.encrypted = true;
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_EUNSUPPORTED);
	cc = chunk_of(4, (int64_t)(end - 4), 15);
	cc.file_path = "other.parquet";
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), PV_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "'other.parquet'"));

	/* A dictionary offset after the data page is not the start. */
	cc = chunk_of(4, (int64_t)(end - 4), 15);
	cc.meta_data.has_dictionary_page_offset = true;
	cc.meta_data.dictionary_page_offset = (int64_t)second;
	assert_int_equal(walk_mem(&b, &cc, &np, NULL, &e), 0);
	assert_int_equal(np, 2);
	pv_buf_release(&b);
}

static void test_big_pages_and_headers(void **state)
{
	pv_buf b;
	pv_err e;
	int64_t np;
	uint64_t nr;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	/* Pages far larger than the window: skipped by offset, one read per header. */
	const size_t big = 3 * PV_PAGEWALK_WINDOW + 17;
	pv_page_header h = data_header(7, (int32_t)big);
	put_page(&b, &h, big);
	put_page(&b, &h, big);
	h = data_header(7, 3);
	put_page(&b, &h, 3);
	pv_column_chunk cc = chunk_of(4, (int64_t)(b.len - 4), 21);
	assert_int_equal(walk_mem(&b, &cc, &np, &nr, &e), 0);
	assert_int_equal(np, 3);
	assert_int_equal(nr, 3);

	/* A header with big statistics, longer than the first window. */
	pv_buf_reset(&b);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	const size_t stat_len = 5 * PV_PAGEWALK_WINDOW;
	uint8_t *stat = malloc(stat_len);
	memset(stat, 'x', stat_len);
	h = data_header(2, 8);
	h.data_page_header.has_statistics = true;
	h.data_page_header.statistics.has_min_value = true;
	h.data_page_header.statistics.min_value = (pv_bytes){ stat, stat_len };
	h.data_page_header.statistics.has_null_count = true;
	h.data_page_header.statistics.null_count = 1;
	put_page(&b, &h, 8);
	h = data_header(3, 8);
	put_page(&b, &h, 8);
	cc = chunk_of(4, (int64_t)(b.len - 4), 5);
	{
		pv_source *src;
		pv_pagewalk w;
		pv_page_info pi;
		bool done;
		assert_int_equal(pv_source_open_mem(b.data, b.len, "mem", &src, &e), 0);
		assert_int_equal(pv_pagewalk_open(&w, src, &cc, 0, &e), 0);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_true(pi.header_len > stat_len);
		assert_true(pi.has_statistics);
		assert_int_equal(pi.statistics.min_value.len, stat_len);
		assert_memory_equal(pi.statistics.min_value.ptr, stat, stat_len);
		assert_int_equal(pi.num_nulls, 1);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_false(done);
		assert_int_equal(pi.num_values, 3);
		assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
		assert_true(done);
		pv_pagewalk_release(&w);
		pv_source_close(src);
	}
	free(stat);
	pv_buf_release(&b);
}

/* Rows are known for flat columns and v2 pages, not for nested v1 pages. */
static void test_page_rows(void **state)
{
	pv_page_header h = data_header(10, 4);
	assert_int_equal(pv_page_rows(&h, 0), 10);
	assert_int_equal(pv_page_rows(&h, 1), -1);
	assert_int_equal(pv_page_rows(&h, -1), -1);
	memset(&h, 0, sizeof h);
	h.type = PV_PAGE_DATA_V2;
	h.has_data_page_header_v2 = true;
	h.data_page_header_v2.num_values = 10;
	h.data_page_header_v2.num_rows = 3;
	assert_int_equal(pv_page_rows(&h, 2), 3);
	h.type = PV_PAGE_DICTIONARY;
	assert_int_equal(pv_page_rows(&h, 0), 0);

	/* A nested v1 walk loses row positions after its first page. */
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	h = data_header(4, 2);
	put_page(&b, &h, 2);
	put_page(&b, &h, 2);
	pv_column_chunk cc = chunk_of(4, (int64_t)(b.len - 4), 8);
	pv_source *src;
	pv_pagewalk w;
	pv_page_info pi;
	bool done;
	assert_int_equal(pv_source_open_mem(b.data, b.len, "mem", &src, &e), 0);
	assert_int_equal(pv_pagewalk_open(&w, src, &cc, 1, &e), 0);
	assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
	assert_int_equal(pi.first_row, 0);
	assert_int_equal(pi.num_rows, -1);
	assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
	assert_int_equal(pi.first_row, -1);
	pv_pagewalk_release(&w);
	pv_source_close(src);
	pv_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_walk),
		cmocka_unit_test(test_datapage_v2),
		cmocka_unit_test(test_tiny_pages),
		cmocka_unit_test(test_odd_dictionary_offsets),
		cmocka_unit_test(test_bad_data),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_big_pages_and_headers),
		cmocka_unit_test(test_page_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
