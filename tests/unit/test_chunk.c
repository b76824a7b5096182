/*
 * test_chunk.c - unit tests for the column chunk reader: every column
 * chunk of the corpus read whole, read in random pieces and read at random
 * rows by seeking, all three agreeing level for level and value for value;
 * CRC verification; page and batch caps; what seeks cost (OffsetIndex vs
 * header walk, values skipped rather than decoded); LZO.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "format/meta.h"
#include "io/source.h"
#include "read/chunk.h"
#include "read/pagewalk.h"
#include "read/pfile.h"
#include "sql/duck.h"

/* ------------------------------------------------------------------ helpers */


static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static int64_t rnd_below(int64_t n)
{
	return n > 0 ? (int64_t)(rnd() % (uint64_t)n) : 0;
}

typedef struct opened {
	pv_source *src;
	pv_pfile *pf;
} opened;

static int open_file(const char *path, opened *o, pv_err *e)
{
	memset(o, 0, sizeof *o);
	int rc = pv_source_open(path, &o->src, e);
	if (!rc)
		rc = pv_pfile_load(o->src, &o->pf, e);
	return rc;
}

static void close_file(opened *o)
{
	pv_pfile_free(o->pf);
	pv_source_close(o->src);
}

static bool has_encrypted_column(const pv_pfile *pf)
{
	for (size_t g = 0; g < pf->meta->n_row_groups; g++)
		for (size_t c = 0; c < pf->meta->row_groups[g].n_columns; c++)
			if (pf->meta->row_groups[g].columns[c].encrypted)
				return true;
	return false;
}

/* Where each row starts in a whole chunk's levels and values. */
typedef struct row_index {
	size_t *level;  /* [n_rows + 1] */
	size_t *value;  /* [n_rows + 1] */
	int64_t n_rows;
} row_index;

static void index_rows(const pv_colbuf *b, int max_def, row_index *ix)
{
	ix->n_rows = b->n_rows;
	ix->level = malloc(((size_t)b->n_rows + 1) * sizeof *ix->level);
	ix->value = malloc(((size_t)b->n_rows + 1) * sizeof *ix->value);
	assert_non_null(ix->level);
	assert_non_null(ix->value);
	int64_t row = -1;
	size_t v = 0;
	for (size_t i = 0; i < b->n_levels; i++) {
		if (!b->rep || b->rep[i] == 0) {
			row++;
			assert_true(row < b->n_rows);
			ix->level[row] = i;
			ix->value[row] = v;
		}
		if (!b->def || b->def[i] == max_def)
			v++;
	}
	assert_int_equal(row + 1, b->n_rows);
	assert_int_equal(v, b->n_values);
	ix->level[b->n_rows] = b->n_levels;
	ix->value[b->n_rows] = v;
}

static void index_free(row_index *ix)
{
	free(ix->level);
	free(ix->value);
}

/* Checks that part holds rows [first, first + count) of whole. */
static void check_slice(const pv_colbuf *whole, const row_index *ix, const pv_leaftype *lt,
			const pv_colbuf *part, int64_t first, int64_t count, const char *what)
{
	size_t l0 = ix->level[first], l1 = ix->level[first + count];
	size_t v0 = ix->value[first], v1 = ix->value[first + count];
	if (part->n_rows != count || part->n_levels != l1 - l0 || part->n_values != v1 - v0) {
		fail_msg("%s: rows [%lld, +%lld): got %lld rows %zu levels %zu values, want %zu levels %zu values",
			 what, (long long)first, (long long)count, (long long)part->n_rows, part->n_levels,
			 part->n_values, l1 - l0, v1 - v0);
	}
	if (whole->def)
		assert_memory_equal(part->def, whole->def + l0, (l1 - l0) * sizeof(int16_t));
	if (whole->rep)
		assert_memory_equal(part->rep, whole->rep + l0, (l1 - l0) * sizeof(int16_t));
	if (lt->conv == PV_ACONV_BINARY) {
		for (size_t k = 0; k < v1 - v0; k++) {
			int32_t a0 = whole->offsets[v0 + k], a1 = whole->offsets[v0 + k + 1];
			int32_t b0 = part->offsets[k], b1 = part->offsets[k + 1];
			if (a1 - a0 != b1 - b0 || memcmp(whole->values + a0, part->values + b0, (size_t)(a1 - a0)))
				fail_msg("%s: byte array %zu of rows [%lld, +%lld) differs", what, k,
					 (long long)first, (long long)count);
		}
	} else if (v1 > v0) {
		assert_memory_equal(part->values, whole->values + v0 * lt->width, (v1 - v0) * lt->width);
	}
}

/* ------------------------------------------------------------------ corpus */

/* Reads every chunk whole, then in random pieces, then at random rows. */
static void chunk_roundtrip(const char *path, opened *o, size_t g, size_t col)
{
	const pv_pfile *pf = o->pf;
	int64_t rows = pf->meta->row_groups[g].num_rows;
	pv_err e;
	pv_chunk_opts opts = { true, 0, 0 };
	pv_chunk *c;
	pv_err_clear(&e);
	if (pv_chunk_open(o->src, pf, g, col, &opts, &c, &e))
		fail_msg("%s: rg %zu col %zu: open: %s", path, g, col, e.msg);
	const pv_schema_node *leaf = pv_chunk_leaf(c);
	/* a copy: the reader is closed and opened again below */
	pv_leaftype lt_copy = *pv_chunk_type(c);
	const pv_leaftype *lt = &lt_copy;
	pv_colbuf whole;
	pv_colbuf_init(&whole, 0);
	if (pv_chunk_read(c, rows, &whole, &e))
		fail_msg("%s: rg %zu column '%s': %s", path, g, leaf->path, e.msg);
	assert_int_equal(whole.n_rows, rows);
	assert_int_equal(pv_chunk_tell(c), rows);
	row_index ix;
	index_rows(&whole, leaf->max_def, &ix);
	char what[1200];
	snprintf(what, sizeof what, "%s: rg %zu column '%s'", path, g, leaf->path);

	/* Twice: pages decompressed whole (CRCs checked), then every page
	 * streamed through a window (chunk.h "Streaming"), which must read
	 * the same rows at any position. */
	pv_colbuf part;
	pv_colbuf_init(&part, 0);
	for (int mode = 0; mode < 2; mode++) {
	if (mode == 1) {
		pv_chunk_close(c);
		opts = (pv_chunk_opts){ .verify_crc = false, .stream_min = 1 };
		assert_int_equal(pv_chunk_open(o->src, pf, g, col, &opts, &c, &e), 0);
	}
	/* in pieces, one reader going forward */
	pv_chunk *c2;
	assert_int_equal(pv_chunk_open(o->src, pf, g, col, &opts, &c2, &e), 0);
	int64_t at = 0;
	while (at < rows) {
		int64_t n = 1 + rnd_below(rnd() % 2 ? 3 : 300);
		if (n > rows - at)
			n = rows - at;
		pv_colbuf_reset(&part);
		if (pv_chunk_read(c2, n, &part, &e))
			fail_msg("%s: piece at %lld: %s", what, (long long)at, e.msg);
		check_slice(&whole, &ix, lt, &part, at, n, what);
		at += n;
	}
	/* at random rows, forwards and backwards, on the first reader */
	for (int k = 0; k < 12 && rows > 0; k++) {
		int64_t first = rnd_below(rows);
		int64_t n = 1 + rnd_below(k % 3 == 0 ? rows - first : 5);
		if (n > rows - first)
			n = rows - first;
		pv_colbuf_reset(&part);
		if (pv_chunk_seek(c, first, &e) || pv_chunk_read(c, n, &part, &e))
			fail_msg("%s: rows [%lld, +%lld): %s", what, (long long)first, (long long)n, e.msg);
		check_slice(&whole, &ix, lt, &part, first, n, what);
	}
	pv_chunk_close(c2);
	}
	/* past the end */
	pv_colbuf_reset(&part);
	if (pv_chunk_seek(c, rows, &e) == 0) {
		assert_int_not_equal(pv_chunk_read(c, 1, &part, &e), 0);
		assert_int_equal(e.code, PV_ECORRUPT);
	}
	pv_colbuf_release(&part);
	index_free(&ix);
	pv_colbuf_release(&whole);
	pv_chunk_close(c);
}

static bool is_corrupt_checksum(const char *path)
{
	return strstr(path, "corrupt") != NULL;
}

static void test_corpus_chunks(void **state)
{
	(void)state;
	pv_test_files l = { 0 };
	char dir[1024];
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "data"));
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "shredded_variant"));
	assert_true(l.n > 50);
	size_t n_chunks = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (is_corrupt_checksum(l.paths[i]))
			continue;
		opened o;
		pv_err e;
		if (open_file(l.paths[i], &o, &e)) {
			/* only an encrypted footer may refuse */
			if (e.code != PV_EUNSUPPORTED)
				fail_msg("%s: %s", l.paths[i], e.msg);
			close_file(&o);
			continue;
		}
		if (has_encrypted_column(o.pf)) {
			close_file(&o);
			continue;
		}
		for (size_t g = 0; g < o.pf->meta->n_row_groups; g++)
			for (size_t c = 0; c < o.pf->schema->n_leaves; c++) {
				chunk_roundtrip(l.paths[i], &o, g, c);
				n_chunks++;
			}
		close_file(&o);
	}
	assert_true(n_chunks > 300);
	pv_test_files_free(&l);
}

/* ------------------------------------------------------------------ CRC */

static int read_all_chunks(const char *rel, bool verify, pv_err *e)
{
	char p[1024];
	opened o;
	int rc = open_file(pv_test_file(p, sizeof p, rel), &o, e);
	assert_int_equal(rc, 0);
	pv_chunk_opts opts = { verify, 0, 0 };
	for (size_t g = 0; !rc && g < o.pf->meta->n_row_groups; g++)
		for (size_t c = 0; !rc && c < o.pf->schema->n_leaves; c++) {
			pv_chunk *ch;
			rc = pv_chunk_open(o.src, o.pf, g, c, &opts, &ch, e);
			pv_colbuf b;
			pv_colbuf_init(&b, 0);
			if (!rc)
				rc = pv_chunk_read(ch, o.pf->meta->row_groups[g].num_rows, &b, e);
			pv_colbuf_release(&b);
			pv_chunk_close(ch);
		}
	close_file(&o);
	return rc;
}

static void test_crc(void **state)
{
	(void)state;
	pv_err e;
	const char *good[] = { "data/datapage_v1-snappy-compressed-checksum.parquet",
			       "data/datapage_v1-uncompressed-checksum.parquet",
			       "data/plain-dict-uncompressed-checksum.parquet",
			       "data/rle-dict-snappy-checksum.parquet" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (read_all_chunks(good[i], true, &e))
			fail_msg("%s: %s", good[i], e.msg);
	}
	const char *bad[] = { "data/datapage_v1-corrupt-checksum.parquet",
			      "data/rle-dict-uncompressed-corrupt-checksum.parquet" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(read_all_chunks(bad[i], true, &e), PV_ECORRUPT);
		assert_non_null(strstr(e.msg, "crc mismatch (stored 0x"));
		assert_non_null(strstr(e.msg, "page "));
		/* without verification the values still read */
		assert_int_equal(read_all_chunks(bad[i], false, &e), 0);
	}
}

/* ------------------------------------------------------------------ caps */

static void test_caps(void **state)
{
	(void)state;
	char p[1024];
	opened o;
	pv_err e;
	assert_int_equal(open_file(pv_test_file(p, sizeof p, "data/alltypes_plain.parquet"), &o, &e), 0);
	/* a page above the cap is refused before anything is allocated */
	pv_chunk_opts tiny = { false, 16, 0 };
	pv_chunk *c;
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 0, &tiny, &c, &e), 0);
	pv_colbuf b;
	pv_colbuf_init(&b, 0);
	assert_int_equal(pv_chunk_read(c, 8, &b, &e), PV_ELIMIT);
	assert_non_null(strstr(e.msg, "page cap"));
	assert_non_null(strstr(e.msg, "page 0"));
	pv_chunk_close(c);
	/* a batch above the values cap asks for fewer rows */
	pv_colbuf small;
	pv_colbuf_init(&small, 32);
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 9, NULL, &c, &e), 0); /* string_col */
	assert_int_equal(pv_chunk_read(c, 8, &small, &e), 0);  /* 16 bytes of levels, 8 of strings */
	pv_colbuf_release(&small);
	pv_colbuf_init(&small, 32);
	pv_chunk_close(c);
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 5, NULL, &c, &e), 0); /* bigint_col */
	assert_int_equal(pv_chunk_read(c, 8, &small, &e), PV_ELIMIT); /* 64 bytes of values */
	assert_non_null(strstr(e.msg, "read fewer rows"));
	pv_chunk_close(c);
	pv_colbuf_release(&small);
	pv_colbuf_init(&small, 15);
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 9, NULL, &c, &e), 0);
	assert_int_equal(pv_chunk_read(c, 8, &small, &e), PV_ELIMIT); /* 16 bytes of levels */
	assert_non_null(strstr(e.msg, "levels exceed"));
	pv_chunk_close(c);
	pv_colbuf_release(&small);
	pv_colbuf_release(&b);
	/* bad arguments */
	assert_int_equal(pv_chunk_open(o.src, o.pf, 1, 0, NULL, &c, &e), PV_EINVAL);
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 99, NULL, &c, &e), PV_EINVAL);
	assert_int_equal(pv_chunk_open(o.src, o.pf, 0, 0, NULL, &c, &e), 0);
	assert_int_equal(pv_chunk_seek(c, -1, &e), PV_EINVAL);
	assert_int_equal(pv_chunk_seek(c, 9, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "ends after 8 rows"));
	/* the reader recovers */
	pv_colbuf_init(&b, 0);
	assert_int_equal(pv_chunk_seek(c, 3, &e), 0);
	assert_int_equal(pv_chunk_read(c, 5, &b, &e), 0);
	assert_int_equal(b.n_rows, 5);
	assert_int_equal(pv_chunk_read(c, 1, &b, &e), PV_ECORRUPT);
	pv_colbuf_release(&b);
	pv_chunk_close(c);
	close_file(&o);
}

/* ------------------------------------------------------------------ rewritten footers */

/* A copy of corpus file rel whose footer mutate() changed, in out (free
 * with pv_buf_release): how the tests make files without a page index or
 * with a codec nobody writes any more. */
static void footer_rewrite(const char *rel, void (*mutate)(pv_file_meta *), pv_buf *out)
{
	char p[1024];
	FILE *f = fopen(pv_test_file(p, sizeof p, rel), "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size_t n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	uint32_t mlen = (uint32_t)buf[n - 8] | (uint32_t)buf[n - 7] << 8 | (uint32_t)buf[n - 6] << 16 |
			(uint32_t)buf[n - 5] << 24;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_file_meta *m;
	pv_err e;
	assert_int_equal(pv_meta_parse(buf + n - 8 - mlen, mlen, &a, &m, &e), 0);
	mutate(m);
	pv_buf_init(out, 0);
	assert_int_equal(pv_buf_append(out, buf, n - 8 - mlen, &e), 0);
	size_t start = out->len;
	assert_int_equal(pv_meta_write(m, out, &e), 0);
	uint32_t nl = (uint32_t)(out->len - start);
	uint8_t tail[8] = { (uint8_t)nl, (uint8_t)(nl >> 8), (uint8_t)(nl >> 16), (uint8_t)(nl >> 24),
			    'P', 'A', 'R', '1' };
	assert_int_equal(pv_buf_append(out, tail, 8, &e), 0);
	pv_arena_release(&a);
	free(buf);
}

static void drop_page_index(pv_file_meta *m)
{
	for (size_t g = 0; g < m->n_row_groups; g++)
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++) {
			pv_column_chunk *cc = &m->row_groups[g].columns[c];
			cc->has_offset_index_offset = cc->has_offset_index_length = false;
			cc->has_column_index_offset = cc->has_column_index_length = false;
		}
}

static void set_lzo(pv_file_meta *m)
{
	for (size_t g = 0; g < m->n_row_groups; g++)
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++)
			m->row_groups[g].columns[c].meta_data.codec = PV_CODEC_LZO;
}

/* ------------------------------------------------------------------ streaming */

/* Streams (or not) column col of row group 0, whose only data page
 * decompresses to more than stream_min bytes: one read of `first` rows,
 * then the rest; gives back pages_streamed and checks the values match a
 * read of the page whole (stream_min SIZE_MAX). */
static int64_t streamed(const opened *o, size_t col, size_t stream_min, int64_t first)
{
	pv_err e;
	int64_t rows = o->pf->meta->row_groups[0].num_rows;
	pv_chunk_opts never = { .stream_min = SIZE_MAX }, opts = { .stream_min = stream_min };
	pv_chunk *ref, *c;
	pv_colbuf want, got;
	pv_colbuf_init(&want, 0);
	pv_colbuf_init(&got, 0);
	assert_int_equal(pv_chunk_open(o->src, o->pf, 0, col, &never, &ref, &e), 0);
	assert_int_equal(pv_chunk_read(ref, rows, &want, &e), 0);
	assert_int_equal(pv_chunk_stats_get(ref).pages_streamed, 0);
	assert_int_equal(pv_chunk_open(o->src, o->pf, 0, col, &opts, &c, &e), 0);
	assert_int_equal(pv_chunk_read(c, first, &got, &e), 0);
	assert_int_equal(pv_chunk_read(c, rows - first, &got, &e), 0);
	assert_int_equal(got.n_rows, rows);
	assert_int_equal(got.values_len, want.values_len);
	assert_memory_equal(got.values, want.values, want.values_len);
	int64_t n = pv_chunk_stats_get(c).pages_streamed;
	assert_int_equal(pv_chunk_stats_get(c).pages_loaded, 1);
	pv_chunk_close(ref);
	pv_chunk_close(c);
	pv_colbuf_release(&want);
	pv_colbuf_release(&got);
	return n;
}

/* A page at or above stream_min streams, unless the read takes it whole
 * and it is below 4 * stream_min (chunk.h "Streaming"). */
static void test_stream_choice(void **state)
{
	(void)state;
	char p[1024];
	opened o;
	pv_err e;
	assert_int_equal(open_file(pv_test_file(p, sizeof p, "data/byte_stream_split.zstd.parquet"), &o, &e), 0);
	/* f64: one zstd data page of 300 rows */
	pv_pagewalk w;
	pv_page_info pi;
	bool done;
	assert_int_equal(pv_pagewalk_open(&w, o.src, &o.pf->meta->row_groups[0].columns[1], 0, &e), 0);
	assert_int_equal(pv_pagewalk_next(&w, &pi, &done, &e), 0);
	assert_false(done);
	assert_true(pi.is_data);
	pv_pagewalk_release(&w);
	size_t u = (size_t)pi.uncompressed_size;
	int64_t rows = o.pf->meta->row_groups[0].num_rows;
	assert_int_equal(pi.num_values, rows);
	assert_true(u > 64);
	/* read whole, below 4x: decompressed at once */
	assert_int_equal(streamed(&o, 1, u / 2, rows), 0);
	/* the first read wants part of it: streamed */
	assert_int_equal(streamed(&o, 1, u / 2, 10), 1);
	/* read whole but at 4x stream_min or more: streamed */
	assert_int_equal(streamed(&o, 1, u / 4, rows), 1);
	/* below stream_min: never */
	assert_int_equal(streamed(&o, 1, u + 1, 10), 0);
	close_file(&o);
}

/* ------------------------------------------------------------------ seek costs */

/* A seek to the last row decodes one page: with the OffsetIndex straight
 * there, without it by walking headers only; the rows before it in the
 * page are skipped, not decoded. */
static void seek_cost(pv_source *src, const pv_pfile *pf, size_t col, bool expect_index)
{
	pv_err e;
	int64_t rows = pf->meta->row_groups[0].num_rows;
	pv_chunk *c;
	assert_int_equal(pv_chunk_open(src, pf, 0, col, NULL, &c, &e), 0);
	pv_colbuf b;
	pv_colbuf_init(&b, 0);
	assert_int_equal(pv_chunk_seek(c, rows - 1, &e), 0);
	assert_int_equal(pv_chunk_read(c, 1, &b, &e), 0);
	assert_int_equal(b.n_rows, 1);
	pv_chunk_stats st = pv_chunk_stats_get(c);
	assert_int_equal(st.pages_loaded, 1);
	assert_int_equal(st.pages_decoded, 1);
	if (expect_index) {
		assert_int_equal(st.index_reads, 1);
		assert_int_equal(st.headers_walked, 0);
	} else {
		assert_true(st.headers_walked > 10);
	}
	/* a second seek backwards to the first page uses what is known */
	int64_t walked = st.headers_walked;
	assert_int_equal(pv_chunk_seek(c, 0, &e), 0);
	pv_colbuf_reset(&b);
	assert_int_equal(pv_chunk_read(c, 2, &b, &e), 0);
	st = pv_chunk_stats_get(c);
	assert_int_equal(st.headers_walked, walked);
	assert_true(st.index_reads <= 1);
	assert_int_equal(st.pages_loaded, 2);
	/* forward within a page: values skipped, not decoded */
	pv_chunk_close(c);
	assert_int_equal(pv_chunk_open(src, pf, 0, col, NULL, &c, &e), 0);
	pv_colbuf_reset(&b);
	assert_int_equal(pv_chunk_read(c, 1, &b, &e), 0);
	assert_int_equal(pv_chunk_seek(c, 5, &e), 0);
	assert_int_equal(pv_chunk_read(c, 1, &b, &e), 0);
	st = pv_chunk_stats_get(c);
	assert_true(st.values_skipped >= 1);
	assert_int_equal(st.pages_decoded, 1);
	pv_colbuf_release(&b);
	pv_chunk_close(c);
}

static void test_seek_costs(void **state)
{
	(void)state;
	char p[1024];
	opened o;
	pv_err e;
	assert_int_equal(open_file(pv_test_file(p, sizeof p, "data/alltypes_tiny_pages.parquet"), &o, &e), 0);
	seek_cost(o.src, o.pf, 0, true);  /* id: INT32 */
	seek_cost(o.src, o.pf, 9, true);  /* string_col: dictionary */
	close_file(&o);
	pv_buf nopi;
	footer_rewrite("data/alltypes_tiny_pages.parquet", drop_page_index, &nopi);
	pv_source *src;
	pv_pfile *pf;
	assert_int_equal(pv_source_open_mem(nopi.data, nopi.len, "nopi.parquet", &src, &e), 0);
	assert_int_equal(pv_pfile_load(src, &pf, &e), 0);
	seek_cost(src, pf, 0, false);
	seek_cost(src, pf, 9, false);
	pv_pfile_free(pf);
	pv_source_close(src);
	pv_buf_release(&nopi);
}

/* ------------------------------------------------------------------ few rows */

/* The two buffers hold the same rows (flat columns: levels and values). */
static void same_rows(const pv_colbuf *a, const pv_colbuf *b, const char *what)
{
	if (a->n_rows != b->n_rows || a->n_values != b->n_values || a->values_len != b->values_len ||
	    a->n_levels != b->n_levels)
		fail_msg("%s: %lld rows, %zu values, %zu bytes against %lld, %zu, %zu", what,
			 (long long)a->n_rows, a->n_values, a->values_len, (long long)b->n_rows,
			 b->n_values, b->values_len);
	assert_memory_equal(a->values, b->values, a->values_len);
	if (a->offsets)
		assert_memory_equal(a->offsets, b->offsets, (a->n_values + 1) * sizeof *a->offsets);
	if (a->def)
		assert_memory_equal(a->def, b->def, a->n_levels * sizeof *a->def);
}

/* Reads n rows then the rest (0: none) of column col with opts; the
 * stats of the reader. */
static pv_chunk_stats read_split(opened *o, size_t col, const pv_chunk_opts *opts, int64_t n,
				 int64_t rest, pv_colbuf *out)
{
	pv_err e;
	pv_chunk *c;
	assert_int_equal(pv_chunk_open(o->src, o->pf, 0, col, opts, &c, &e), 0);
	if (pv_chunk_read(c, n, out, &e) || (rest && pv_chunk_read(c, rest, out, &e)))
		fail_msg("column %zu: %s", col, e.msg);
	pv_chunk_stats st = pv_chunk_stats_get(c);
	pv_chunk_close(c);
	return st;
}

/* Seeks column col to row `at` (with pv_chunk_seek_for when `told`,
 * else pv_chunk_seek), reads n rows; the stats of the reader. */
static pv_chunk_stats seek_read(opened *o, size_t col, const pv_chunk_opts *opts, int64_t at,
				int64_t n, bool told, pv_colbuf *out)
{
	pv_err e;
	pv_chunk *c;
	assert_int_equal(pv_chunk_open(o->src, o->pf, 0, col, opts, &c, &e), 0);
	int rc = told ? pv_chunk_seek_for(c, at, n, &e) : pv_chunk_seek(c, at, &e);
	if (rc || pv_chunk_read(c, n, out, &e))
		fail_msg("column %zu: %s", col, e.msg);
	pv_chunk_stats st = pv_chunk_stats_get(c);
	pv_chunk_close(c);
	return st;
}

/* A read of a few rows streams a zstd page of 64 KiB or more that holds
 * many more rows, below stream_min, and reads what a whole page gives;
 * a big read, or stream_min SIZE_MAX, decompresses it whole. The file
 * comes from DuckDB: one row group of 3000 rows, a text page of about
 * 600 KB (under the 1 MiB stream_min), nullable. */
static void test_few_rows(void **state)
{
	(void)state;
	pv_duck *d;
	pv_err e;
	if (pv_duck_open(NULL, &d, &e))
		fail_msg("pv_duck_open: %s", e.msg);
	char dir[] = "/tmp/pv_test_chunk_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], sql[1024];
	snprintf(path, sizeof path, "%s/few.parquet", dir);
	snprintf(sql, sizeof sql,
		 "COPY (SELECT CASE WHEN i %% 7 = 3 THEN NULL ELSE repeat(chr((97 + i %% 26)::INTEGER), "
		 "(hash(i) %% 400)::INTEGER) || i::VARCHAR END AS text FROM range(3000) t(i)) "
		 "TO '%s' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 3000)", path);
	if (pv_duck_exec(d, sql, &e))
		fail_msg("duckdb: %s", e.msg);
	pv_duck_close(d);

	opened o;
	assert_int_equal(open_file(path, &o, &e), 0);
	assert_int_equal(o.pf->meta->n_row_groups, 1);
	int64_t rows = o.pf->meta->row_groups[0].num_rows;
	assert_int_equal(rows, 3000);
	pv_chunk_opts whole_opts = { .stream_min = SIZE_MAX };
	pv_colbuf whole, part;
	pv_colbuf_init(&whole, 0);
	pv_colbuf_init(&part, 0);

	pv_chunk_stats st = read_split(&o, 0, &whole_opts, rows, 0, &whole);
	assert_int_equal(st.pages_streamed, 0);

	/* the default stream_min (1 MiB) is above the page: a big read takes it whole */
	st = read_split(&o, 0, NULL, rows, 0, &part);
	assert_int_equal(st.pages_streamed, 0);
	same_rows(&part, &whole, "one read of every row");

	/* 20 rows: streamed, and the same rows; reading on through the page
	 * gives the rest */
	pv_colbuf_reset(&part);
	st = read_split(&o, 0, NULL, 20, 0, &part);
	assert_int_equal(st.pages_streamed, 1);
	assert_int_equal(st.pages_loaded, 1);
	pv_colbuf first20;
	pv_colbuf_init(&first20, 0);
	read_split(&o, 0, &whole_opts, 20, 0, &first20);
	same_rows(&part, &first20, "20 rows");
	pv_colbuf_reset(&part);
	st = read_split(&o, 0, NULL, 20, rows - 20, &part);
	assert_int_equal(st.pages_streamed, 1);
	same_rows(&part, &whole, "20 rows, then the rest");

	/* the stream takes the body's first bytes from the read that
	 * fetched the page header instead of reading them again: no byte of
	 * the chunk is read twice */
	int64_t chunk_bytes = o.pf->meta->row_groups[0].columns[0].meta_data.total_compressed_size;
	assert_true(st.bytes_reused > 0);
	assert_true(st.bytes_read > 0);
	if (st.bytes_read > chunk_bytes)
		fail_msg("20 rows read %lld bytes of a chunk of %lld", (long long)st.bytes_read,
			 (long long)chunk_bytes);

	/* a seek into the page for a few rows (pv_chunk_seek_for) streams up
	 * to them as such a read would; a plain seek takes the page whole;
	 * both give the rows a whole read gives */
	pv_colbuf at_whole, at;
	pv_colbuf_init(&at_whole, 0);
	pv_colbuf_init(&at, 0);
	st = seek_read(&o, 0, &whole_opts, 2000, 20, false, &at_whole);
	assert_int_equal(st.pages_streamed, 0);
	assert_int_equal(at_whole.n_rows, 20);
	st = seek_read(&o, 0, NULL, 2000, 20, true, &at);
	assert_int_equal(st.pages_streamed, 1);
	same_rows(&at, &at_whole, "20 rows at 2000 after pv_chunk_seek_for");
	pv_colbuf_reset(&at);
	st = seek_read(&o, 0, NULL, 2000, 20, false, &at);
	assert_int_equal(st.pages_streamed, 0);
	same_rows(&at, &at_whole, "20 rows at 2000 after pv_chunk_seek");
	/* more than FEW_ROWS rows: whole, as a read of them */
	pv_colbuf_reset(&at);
	st = seek_read(&o, 0, NULL, 100, 1500, true, &at);
	assert_int_equal(st.pages_streamed, 0);
	assert_int_equal(at.n_rows, 1500);
	pv_colbuf_release(&at);
	pv_colbuf_release(&at_whole);

	/* more than FEW_ROWS (1024) rows: whole */
	pv_colbuf_reset(&part);
	st = read_split(&o, 0, NULL, 1025, rows - 1025, &part);
	assert_int_equal(st.pages_streamed, 0);
	same_rows(&part, &whole, "1025 rows, then the rest");

	/* never, when stream_min says never */
	pv_colbuf_reset(&part);
	st = read_split(&o, 0, &whole_opts, 20, 0, &part);
	assert_int_equal(st.pages_streamed, 0);
	same_rows(&part, &first20, "20 rows read whole");

	pv_colbuf_release(&first20);
	pv_colbuf_release(&part);
	pv_colbuf_release(&whole);
	close_file(&o);
	unlink(path);
	rmdir(dir);
}

/* ------------------------------------------------------------------ LZO */

static void test_lzo(void **state)
{
	(void)state;
	pv_buf out;
	footer_rewrite("data/alltypes_plain.parquet", set_lzo, &out);
	pv_err e;
	pv_source *src;
	assert_int_equal(pv_source_open_mem(out.data, out.len, "lzo.parquet", &src, &e), 0);
	pv_pfile *pf;
	assert_int_equal(pv_pfile_load(src, &pf, &e), 0);
	pv_chunk *c;
	assert_int_equal(pv_chunk_open(src, pf, 0, 0, NULL, &c, &e), 0);
	pv_colbuf b;
	pv_colbuf_init(&b, 0);
	assert_int_equal(pv_chunk_read(c, 8, &b, &e), PV_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "unsupported codec 'LZO'"));
	assert_non_null(strstr(e.msg, "page 0"));
	pv_colbuf_release(&b);
	pv_chunk_close(c);
	pv_pfile_free(pf);
	pv_source_close(src);
	pv_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_chunks),
		cmocka_unit_test(test_crc),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_seek_costs),
		cmocka_unit_test(test_stream_choice),
		cmocka_unit_test(test_few_rows),
		cmocka_unit_test(test_lzo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
