/*
 * test_batch.c - unit tests for the public batch API (read/batch.h): every
 * readable corpus file read completely under CRC verification and checked
 * against its Arrow schema cell by cell; the *_expect.csv files value for
 * value; bad_data/ ending in clean errors; random row ranges equal to the
 * slices of a full read (with and without a page index, flat and nested);
 * Arrow type mapping and metadata; files DuckDB writes at test time for
 * every codec, page version, dictionary setting and nesting shape; the
 * ArrowArrayStream; ownership and release rules.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"
#include "encoding/encoding.h"
#include "format/meta.h"
#include "io/source.h"
#include "read/arrowtype.h"
#include "read/batch.h"
#include "read/pfile.h"
#include "render/arrowval.h"

/* ------------------------------------------------------------------ helpers */


static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static int64_t rnd_below(int64_t n)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return n > 0 ? (int64_t)(x % (uint64_t)n) : 0;
}

typedef struct opened {
	pv_source *src;
	pv_pfile *pf;
	pv_buf mem; /* the bytes of a rewritten file */
} opened;

static int open_path(const char *path, opened *o, pv_err *e)
{
	memset(o, 0, sizeof *o);
	int rc = pv_source_open(path, &o->src, e);
	if (!rc)
		rc = pv_pfile_load(o->src, &o->pf, e);
	return rc;
}

static void open_rel(const char *rel, opened *o)
{
	char p[1024];
	pv_err e;
	if (open_path(pv_test_file(p, sizeof p, rel), o, &e))
		fail_msg("%s: %s", rel, e.msg);
}

static void close_file(opened *o)
{
	pv_pfile_free(o->pf);
	pv_source_close(o->src);
	pv_buf_release(&o->mem);
}

static bool has_encrypted_column(const pv_pfile *pf)
{
	for (size_t g = 0; g < pf->meta->n_row_groups; g++)
		for (size_t c = 0; c < pf->meta->row_groups[g].n_columns; c++)
			if (pf->meta->row_groups[g].columns[c].encrypted)
				return true;
	return false;
}

/* The batch's rows as JSON arrays of their fields (full values, nothing
 * truncated), appended to rows[*n_rows...]. Also checks the batch against
 * its schema. */
typedef struct row_set {
	char **rows;
	size_t n, cap;
} row_set;

static void rows_add(row_set *s, char *row)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = realloc(s->rows, s->cap * sizeof *s->rows);
		assert_non_null(s->rows);
	}
	s->rows[s->n++] = row;
}

static void rows_free(row_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->rows[i]);
	free(s->rows);
	memset(s, 0, sizeof *s);
}

static void batch_rows(const pv_atype *t, const struct ArrowArray *a, row_set *out,
		       const char *what)
{
	pv_err e;
	if (pv_atype_check(t, a, &e))
		fail_msg("%s: batch does not match its schema: %s", what, e.msg);
	assert_int_equal(a->n_children, (int64_t)t->n_children);
	assert_int_equal(a->null_count, 0);
	for (int64_t i = 0; i < a->length; i++) {
		pv_buf b;
		pv_buf_init(&b, 0);
		pv_json j;
		pv_json_init_buf(&j, &b, false);
		pv_json_array_begin(&j);
		pv_acell row = { t, a, i };
		for (size_t k = 0; k < t->n_children; k++) {
			pv_acell cell = pv_acell_field(&row, k);
			if (pv_acell_json(&cell, &j, &e))
				fail_msg("%s: row %lld field %zu: %s", what, (long long)i, k, e.msg);
			/* the text form must work too */
			pv_buf txt;
			pv_buf_init(&txt, 0);
			if (pv_acell_text(&cell, 0, &txt, &e))
				fail_msg("%s: row %lld field %zu: text: %s", what, (long long)i, k, e.msg);
			pv_buf_release(&txt);
		}
		pv_json_array_end(&j);
		assert_int_equal(pv_json_finish(&j), 0);
		size_t n;
		rows_add(out, pv_buf_detach(&b, &n));
	}
}

/* Every row of every row group of o (all fields). *out_rg_first[g] is the
 * first row of row group g in out. Returns 0 or the first error. */
static int read_file_rows(opened *o, const pv_batch_opts *opts, pv_arena *ar, pv_atype **out_t,
			  row_set *out, pv_err *e, const char *what)
{
	struct ArrowSchema s;
	int rc = pv_batch_schema(o->pf, NULL, 0, &s, e);
	if (rc)
		return rc;
	pv_atype *t;
	if (pv_atype_parse(ar, &s, &t, e))
		fail_msg("%s: schema does not parse: %s", what, e->msg);
	assert_string_equal(s.format, "+s");
	assert_int_equal(s.n_children, (int64_t)o->pf->schema->root->n_children);
	for (size_t g = 0; !rc && g < o->pf->meta->n_row_groups; g++) {
		pv_rgreader *r;
		rc = pv_rgreader_open(o->src, o->pf, g, NULL, 0, opts, &r, e);
		if (rc)
			break;
		int64_t rows = pv_rgreader_rows(r);
		struct ArrowArray a;
		rc = pv_rgreader_read(r, 0, rows, &a, e);
		if (!rc) {
			assert_int_equal(a.length, rows);
			batch_rows(t, &a, out, what);
			a.release(&a);
			assert_null(a.release);
		} else {
			assert_null(a.release);
		}
		pv_rgreader_close(r);
	}
	s.release(&s);
	assert_null(s.release);
	if (out_t)
		*out_t = t;
	return rc;
}

/* ------------------------------------------------------------------ corpus */

static bool is_corrupt_checksum(const char *path)
{
	return strstr(path, "corrupt") != NULL;
}

static void test_corpus(void **state)
{
	(void)state;
	pv_test_files l = { 0 };
	char dir[1024];
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "data"));
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "variant"));
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "shredded_variant"));
	assert_true(l.n > 50);
	size_t n_read = 0;
	int64_t n_rows = 0;
	for (size_t i = 0; i < l.n; i++) {
		opened o;
		pv_err e;
		pv_err_clear(&e);
		if (open_path(l.paths[i], &o, &e)) {
			if (e.code != PV_EUNSUPPORTED || !strstr(e.msg, "encrypt"))
				fail_msg("%s: %s", l.paths[i], e.msg);
			close_file(&o);
			continue;
		}
		if (has_encrypted_column(o.pf)) {
			close_file(&o);
			continue;
		}
		pv_batch_opts opts = { .verify_crc = true };
		pv_arena ar;
		pv_arena_init(&ar, 0);
		row_set rows = { 0 };
		int rc = read_file_rows(&o, &opts, &ar, NULL, &rows, &e, l.paths[i]);
		if (is_corrupt_checksum(l.paths[i])) {
			if (rc != PV_ECORRUPT || !strstr(e.msg, "crc mismatch"))
				fail_msg("%s: expected a crc mismatch, got %d '%s'", l.paths[i], rc, e.msg);
			assert_non_null(strstr(e.msg, "row group 0: column '"));
			/* the values themselves are fine */
			opts.verify_crc = false;
			rows_free(&rows);
			rc = read_file_rows(&o, &opts, &ar, NULL, &rows, &e, l.paths[i]);
		}
		if (rc)
			fail_msg("%s: %s", l.paths[i], e.msg);
		int64_t rg_rows = 0;
		for (size_t g = 0; g < o.pf->meta->n_row_groups; g++)
			rg_rows += o.pf->meta->row_groups[g].num_rows;
		if ((int64_t)rows.n != rg_rows)
			fail_msg("%s: %zu rows read, the row groups hold %lld", l.paths[i], rows.n,
				 (long long)rg_rows);
		n_rows += (int64_t)rows.n;
		n_read++;
		rows_free(&rows);
		pv_arena_release(&ar);
		close_file(&o);
	}
	assert_true(n_read > 150);
	assert_true(n_rows > 10000);
	pv_test_files_free(&l);
}

/* ------------------------------------------------------------------ *_expect.csv */

/* Splits one CSV record; NULL marks an empty unquoted field (a null). */
static size_t csv_split(char *line, char **out, size_t max)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		char *start = p, *w = p;
		bool quoted = false;
		if (*p == '"') {
			quoted = true;
			p++;
			start = w = p;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else if (!*p) {
					break;
				} else {
					*w++ = *p++;
				}
			}
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				p++;
			w = p;
		}
		char end = *p;
		*w = 0;
		if (n < max)
			out[n++] = quoted || w > start ? start : NULL;
		if (end != ',')
			break;
		p++;
	}
	return n;
}

static void expect_csv(const char *parquet, const char *csv)
{
	opened o;
	open_rel(parquet, &o);
	pv_arena ar;
	pv_arena_init(&ar, 0);
	struct ArrowSchema s;
	pv_err e;
	assert_int_equal(pv_batch_schema(o.pf, NULL, 0, &s, &e), 0);
	pv_atype *t;
	assert_int_equal(pv_atype_parse(&ar, &s, &t, &e), 0);
	char p[1024];
	FILE *f = fopen(pv_test_file(p, sizeof p, csv), "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	assert_true(getline(&line, &cap, f) > 0); /* header */
	char *fields[256];
	size_t ncol = csv_split(line, fields, 256);
	assert_int_equal(ncol, t->n_children);
	int64_t row = 0;
	size_t checked = 0;
	for (size_t g = 0; g < o.pf->meta->n_row_groups; g++) {
		pv_rgreader *r;
		assert_int_equal(pv_rgreader_open(o.src, o.pf, g, NULL, 0, NULL, &r, &e), 0);
		struct ArrowArray a;
		if (pv_rgreader_read(r, 0, pv_rgreader_rows(r), &a, &e))
			fail_msg("%s: %s", parquet, e.msg);
		assert_int_equal(pv_atype_check(t, &a, &e), 0);
		for (int64_t i = 0; i < a.length; i++, row++) {
			assert_true(getline(&line, &cap, f) > 0);
			size_t n = csv_split(line, fields, 256);
			assert_int_equal(n, ncol);
			pv_acell rc = { t, &a, i };
			for (size_t k = 0; k < ncol; k++) {
				pv_acell cell = pv_acell_field(&rc, k);
				bool is_null;
				assert_int_equal(pv_acell_resolve(&cell, &is_null, &e), 0);
				if (!fields[k]) {
					if (!is_null)
						fail_msg("%s: row %lld column %zu: expected NULL", parquet,
							 (long long)row, k);
					continue;
				}
				if (is_null)
					fail_msg("%s: row %lld column %zu: NULL, expected '%s'", parquet,
						 (long long)row, k, fields[k]);
				pv_buf b;
				pv_buf_init(&b, 0);
				assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
				if (strcmp(b.data ? b.data : "", fields[k]) != 0)
					fail_msg("%s: row %lld column %zu: '%s', expected '%s'", parquet,
						 (long long)row, k, b.data ? b.data : "", fields[k]);
				pv_buf_release(&b);
				checked++;
			}
		}
		a.release(&a);
		pv_rgreader_close(r);
	}
	assert_true(getline(&line, &cap, f) <= 0 || line[0] == '\n');
	assert_true(checked > 100);
	free(line);
	fclose(f);
	s.release(&s);
	pv_arena_release(&ar);
	close_file(&o);
}

static void test_expect_csv(void **state)
{
	(void)state;
	expect_csv("data/delta_binary_packed.parquet", "data/delta_binary_packed_expect.csv");
	expect_csv("data/delta_byte_array.parquet", "data/delta_byte_array_expect.csv");
	expect_csv("data/delta_encoding_required_column.parquet",
		   "data/delta_encoding_required_column_expect.csv");
}

/* ------------------------------------------------------------------ bad_data */

static void test_bad_data(void **state)
{
	(void)state;
	/* what each file must say; NULL: read leniently (documented) */
	static const struct {
		const char *file;
		const char *expect;
	} cases[] = {
		{ "ARROW-GH-41321.parquet", "page 1: definition levels: rle:" },
		{ "ARROW-GH-43605.parquet", NULL }, /* RLE bit width 0: every index is 0 */
		{ "ARROW-GH-45185.parquet", "page 0: repetition levels start at 1" },
		{ "ARROW-GH-47662.parquet", "page 0: plain: " },
		{ "ARROW-RS-GH-6229-DICTHEADER.parquet", "lies outside the file" },
		{ "PARQUET-1481.parquet", "invalid physical type" },
	};
	pv_test_files l = { 0 };
	char dir[1024];
	pv_test_list_parquet(&l, pv_test_file(dir, sizeof dir, "bad_data"));
	assert_int_equal(l.n, sizeof cases / sizeof *cases);
	for (size_t i = 0; i < l.n; i++) {
		const char *base = strrchr(l.paths[i], '/') + 1;
		size_t k = 0;
		while (k < l.n && strcmp(cases[k].file, base) != 0)
			k++;
		if (k == l.n)
			fail_msg("no expectation for bad_data/%s", base);
		opened o;
		pv_err e;
		pv_err_clear(&e);
		int rc = open_path(l.paths[i], &o, &e);
		if (!rc) {
			pv_arena ar;
			pv_arena_init(&ar, 0);
			row_set rows = { 0 };
			rc = read_file_rows(&o, NULL, &ar, NULL, &rows, &e, l.paths[i]);
			if (rc) {
				/* a read error names its place */
				assert_non_null(strstr(e.msg, "row group "));
				assert_non_null(strstr(e.msg, "column '"));
			}
			rows_free(&rows);
			pv_arena_release(&ar);
		}
		close_file(&o);
		if (!cases[k].expect) {
			if (rc)
				fail_msg("%s: expected a lenient read, got '%s'", base, e.msg);
			continue;
		}
		if (!rc)
			fail_msg("%s: read without an error", base);
		assert_true(e.code == PV_ECORRUPT || e.code == PV_EUNSUPPORTED);
		if (!strstr(e.msg, cases[k].expect))
			fail_msg("%s: message '%s' lacks '%s'", base, e.msg, cases[k].expect);
		assert_null(strchr(e.msg, '\n'));
	}
	pv_test_files_free(&l);
}

/* ------------------------------------------------------------------ random access */

static void footer_rewrite(const char *path, void (*mutate)(pv_file_meta *), pv_buf *out)
{
	FILE *f = fopen(path, "rb");
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

/* Random row ranges of every row group equal the slices of a full read;
 * some readers jump back and forth, one field subset is read too. */
static void random_ranges(opened *o, const char *what, int n_reads)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	row_set all = { 0 };
	pv_atype *t;
	pv_err e;
	if (read_file_rows(o, NULL, &ar, &t, &all, &e, what))
		fail_msg("%s: %s", what, e.msg);
	int64_t base = 0;
	for (size_t g = 0; g < o->pf->meta->n_row_groups; g++) {
		pv_rgreader *r;
		assert_int_equal(pv_rgreader_open(o->src, o->pf, g, NULL, 0, NULL, &r, &e), 0);
		int64_t rows = pv_rgreader_rows(r);
		for (int k = 0; k < n_reads && rows > 0; k++) {
			int64_t first = rnd_below(rows);
			int64_t count = 1 + rnd_below(k % 4 == 0 ? rows - first : 20);
			if (count > rows - first)
				count = rows - first;
			struct ArrowArray a;
			if (pv_rgreader_read(r, first, count, &a, &e))
				fail_msg("%s: rg %zu rows [%lld, +%lld): %s", what, g, (long long)first,
					 (long long)count, e.msg);
			row_set part = { 0 };
			batch_rows(t, &a, &part, what);
			a.release(&a);
			assert_int_equal((int64_t)part.n, count);
			for (int64_t i = 0; i < count; i++) {
				const char *want = all.rows[base + first + i];
				if (strcmp(part.rows[i], want) != 0)
					fail_msg("%s: rg %zu row %lld: got %s, want %s", what, g,
						 (long long)(first + i), part.rows[i], want);
			}
			rows_free(&part);
		}
		pv_rgreader_close(r);
		base += rows;
	}
	/* the last field alone, from the middle */
	size_t nf = o->pf->schema->root->n_children;
	if (nf > 1 && o->pf->meta->n_row_groups > 0) {
		size_t field = nf - 1;
		pv_rgreader *r;
		assert_int_equal(pv_rgreader_open(o->src, o->pf, 0, &field, 1, NULL, &r, &e), 0);
		int64_t rows = pv_rgreader_rows(r);
		struct ArrowArray a;
		assert_int_equal(pv_rgreader_read(r, rows / 2, rows - rows / 2, &a, &e), 0);
		assert_int_equal(a.n_children, 1);
		assert_int_equal(a.length, rows - rows / 2);
		a.release(&a);
		pv_rgreader_close(r);
	}
	rows_free(&all);
	pv_arena_release(&ar);
}

static void test_random_access(void **state)
{
	(void)state;
	static const char *files[] = {
		"data/alltypes_tiny_pages.parquet",   "data/alltypes_tiny_pages_plain.parquet",
		"data/int32_with_null_pages.parquet", "data/nullable.impala.parquet",
		"data/nested_lists.snappy.parquet",   "data/nested_maps.snappy.parquet",
		"data/repeated_no_annotation.parquet", "data/list_columns.parquet",
		"data/datapage_v2.snappy.parquet",    "data/delta_byte_array.parquet",
		"data/delta_binary_packed.parquet",   "data/data_index_bloom_encoding_stats.parquet",
		"data/byte_stream_split.zstd.parquet", "data/rle_boolean_encoding.parquet",
		"data/old_list_structure.parquet",    "data/repeated_primitive_no_list.parquet",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		opened o;
		open_rel(files[i], &o);
		random_ranges(&o, files[i], 30);
		close_file(&o);
	}
	/* the same tiny pages without their page index: header walks */
	const char *noidx[] = { "data/alltypes_tiny_pages.parquet", "data/int32_with_null_pages.parquet" };
	for (size_t i = 0; i < 2; i++) {
		char p[1024];
		opened o;
		memset(&o, 0, sizeof o);
		footer_rewrite(pv_test_file(p, sizeof p, noidx[i]), drop_page_index, &o.mem);
		pv_err e;
		assert_int_equal(pv_source_open_mem(o.mem.data, o.mem.len, "noidx", &o.src, &e), 0);
		assert_int_equal(pv_pfile_load(o.src, &o.pf, &e), 0);
		random_ranges(&o, noidx[i], 30);
		close_file(&o);
	}
}

/* ------------------------------------------------------------------ types */

static const char *meta_value(const char *meta, const char *key)
{
	if (!meta)
		return NULL;
	static char val[256];
	int32_t n;
	memcpy(&n, meta, 4);
	const char *p = meta + 4;
	for (int32_t i = 0; i < n; i++) {
		int32_t kl, vl;
		memcpy(&kl, p, 4);
		const char *k = p + 4;
		p = k + kl;
		memcpy(&vl, p, 4);
		const char *v = p + 4;
		p = v + vl;
		if ((size_t)kl == strlen(key) && memcmp(k, key, (size_t)kl) == 0) {
			snprintf(val, sizeof val, "%.*s", (int)vl, v);
			return val;
		}
	}
	return NULL;
}

static const struct ArrowSchema *child_named(const struct ArrowSchema *s, const char *name)
{
	for (int64_t i = 0; i < s->n_children; i++)
		if (strcmp(s->children[i]->name, name) == 0)
			return s->children[i];
	fail_msg("no field '%s'", name);
	return NULL;
}

static void expect_format(const char *rel, const char *field, const char *format, const char *ext)
{
	opened o;
	open_rel(rel, &o);
	struct ArrowSchema s;
	pv_err e;
	assert_int_equal(pv_batch_schema(o.pf, NULL, 0, &s, &e), 0);
	const struct ArrowSchema *c = child_named(&s, field);
	if (strcmp(c->format, format) != 0)
		fail_msg("%s: field '%s': format '%s', want '%s'", rel, field, c->format, format);
	const char *got = meta_value(c->metadata, "ARROW:extension:name");
	if (ext ? !got || strcmp(got, ext) != 0 : got != NULL)
		fail_msg("%s: field '%s': extension '%s', want '%s'", rel, field, got ? got : "none",
			 ext ? ext : "none");
	s.release(&s);
	close_file(&o);
}

/* A leaf element for pv_arrowtype_leaf. */
static const char *leaf_format(pv_physical_type phys, int32_t len, int logical, int conv,
			       int32_t p, int32_t s, pv_leaftype *out)
{
	static pv_schema_element el;
	static pv_schema_node node;
	memset(&el, 0, sizeof el);
	memset(&node, 0, sizeof node);
	el.has_type = true;
	el.type = phys;
	el.has_type_length = len > 0;
	el.type_length = len;
	if (logical) {
		el.has_logical_type = true;
		el.logical_type.kind = logical;
		el.logical_type.precision = p;
		el.logical_type.scale = s;
		el.logical_type.unit = (pv_time_unit)s;
		el.logical_type.utc = p != 0;
		el.logical_type.bit_width = (int8_t)p;
		el.logical_type.is_signed = s != 0;
	}
	if (conv >= 0) {
		el.has_converted_type = true;
		el.converted_type = conv;
		el.has_precision = true;
		el.precision = p;
		el.has_scale = true;
		el.scale = s;
	}
	node.element = &el;
	node.is_leaf = true;
	pv_arrowtype_leaf(&node, out);
	return out->format;
}

static void test_types(void **state)
{
	(void)state;
	pv_leaftype lt;
	/* physical types */
	assert_string_equal(leaf_format(PV_TYPE_BOOLEAN, 0, 0, -1, 0, 0, &lt), "b");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, 0, -1, 0, 0, &lt), "i");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, 0, -1, 0, 0, &lt), "l");
	assert_string_equal(leaf_format(PV_TYPE_INT96, 0, 0, -1, 0, 0, &lt), "tsu:");
	assert_string_equal(leaf_format(PV_TYPE_FLOAT, 0, 0, -1, 0, 0, &lt), "f");
	assert_string_equal(leaf_format(PV_TYPE_DOUBLE, 0, 0, -1, 0, 0, &lt), "g");
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, 0, -1, 0, 0, &lt), "z");
	assert_string_equal(leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 7, 0, -1, 0, 0, &lt), "w:7");
	/* integers */
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_INTEGER, -1, 8, 1, &lt), "c");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_INTEGER, -1, 16, 0, &lt), "S");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_INTEGER, -1, 32, 0, &lt), "I");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_INTEGER, -1, 64, 0, &lt), "L");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_INTEGER, -1, 8, 1, &lt), "l");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, 0, PV_CONV_UINT_8, 0, 0, &lt), "C");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, 0, PV_CONV_INT_16, 0, 0, &lt), "s");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, 0, PV_CONV_UINT_64, 0, 0, &lt), "L");
	/* decimals */
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_DECIMAL, -1, 9, 2, &lt), "d:9,2");
	assert_int_equal(lt.conv, PV_ACONV_DEC_I32);
	assert_int_equal(lt.width, 16);
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_DECIMAL, -1, 50, 3, &lt), "d:50,3,256");
	assert_int_equal(lt.width, 32);
	assert_string_equal(leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 5, 0, PV_CONV_DECIMAL, 10, 0, &lt), "d:10,0");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_DECIMAL, -1, 5, 7, &lt), "l");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_DECIMAL, -1, 80, 1, &lt), "l");
	/* time */
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_DATE, -1, 0, 0, &lt), "tdD");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_TIME, -1, 0, PV_UNIT_MILLIS, &lt), "ttm");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_TIME, -1, 0, PV_UNIT_MICROS, &lt), "ttu");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_TIME, -1, 0, PV_UNIT_NANOS, &lt), "ttn");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_TIME, -1, 0, PV_UNIT_MILLIS, &lt), "l");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_TIMESTAMP, -1, 1, PV_UNIT_MILLIS, &lt), "tsm:UTC");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_TIMESTAMP, -1, 0, PV_UNIT_NANOS, &lt), "tsn:");
	assert_string_equal(leaf_format(PV_TYPE_INT64, 0, 0, PV_CONV_TIMESTAMP_MICROS, 0, 0, &lt), "tsu:UTC");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, 0, PV_CONV_TIME_MILLIS, 0, 0, &lt), "ttm");
	/* text, binary, extensions */
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_STRING, -1, 0, 0, &lt), "u");
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_ENUM, -1, 0, 0, &lt), "u");
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_JSON, -1, 0, 0, &lt), "u");
	assert_string_equal(lt.ext_name, "arrow.json");
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, 0, PV_CONV_JSON, 0, 0, &lt), "u");
	assert_string_equal(lt.ext_name, "arrow.json");
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_BSON, -1, 0, 0, &lt), "z");
	assert_null(lt.ext_name);
	assert_string_equal(leaf_format(PV_TYPE_BYTE_ARRAY, 0, PV_LOGICAL_GEOMETRY, -1, 0, 0, &lt), "z");
	assert_string_equal(lt.ext_name, "geoarrow.wkb");
	assert_string_equal(leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 16, PV_LOGICAL_UUID, -1, 0, 0, &lt), "w:16");
	assert_string_equal(lt.ext_name, "arrow.uuid");
	assert_string_equal(leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 2, PV_LOGICAL_FLOAT16, -1, 0, 0, &lt), "e");
	assert_string_equal(leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 12, 0, PV_CONV_INTERVAL, 0, 0, &lt), "tin");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_FUTURE, PV_CONV_DATE, 0, 0, &lt), "tdD");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_FUTURE, -1, 0, 0, &lt), "i");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_UNKNOWN, -1, 0, 0, &lt), "i");
	assert_string_equal(leaf_format(PV_TYPE_INT32, 0, PV_LOGICAL_STRING, -1, 0, 0, &lt), "i");

	/* conversions */
	uint8_t dst[64];
	leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 3, PV_LOGICAL_DECIMAL, -1, 6, 2, &lt);
	const uint8_t neg[3] = { 0xff, 0xfe, 0x0c }; /* -500 */
	pv_bytes_view v = { neg, 3 };
	pv_arrowtype_convert(&lt, &v, 1, dst);
	int64_t lo, hi;
	memcpy(&lo, dst, 8);
	memcpy(&hi, dst + 8, 8);
	assert_int_equal(lo, -500);
	assert_int_equal(hi, -1);
	leaf_format(PV_TYPE_INT64, 0, PV_LOGICAL_DECIMAL, -1, 40, 2, &lt);
	int64_t x = -7;
	pv_arrowtype_convert(&lt, &x, 1, dst);
	for (int i = 8; i < 32; i++)
		assert_int_equal(dst[i], 0xff);
	leaf_format(PV_TYPE_FIXED_LEN_BYTE_ARRAY, 12, 0, PV_CONV_INTERVAL, 0, 0, &lt);
	const uint8_t iv[12] = { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0 };
	v.ptr = iv;
	v.len = 12;
	pv_arrowtype_convert(&lt, &v, 1, dst);
	int32_t months, days;
	int64_t nanos;
	memcpy(&months, dst, 4);
	memcpy(&days, dst + 4, 4);
	memcpy(&nanos, dst + 8, 8);
	assert_int_equal(months, 1);
	assert_int_equal(days, 2);
	assert_int_equal(nanos, 3000000);
	/* INT96: 1970-01-02 00:00:00.000001001, and one outside the range */
	uint8_t i96[12] = { 0 };
	uint64_t ns = 1001;
	memcpy(i96, &ns, 8);
	uint32_t jd = 2440589;
	memcpy(i96 + 8, &jd, 4);
	assert_int_equal(pv_int96_to_micros(i96), INT64_C(86400000000) + 1);
	jd = 0x7fffffff;
	memcpy(i96 + 8, &jd, 4);
	assert_true(pv_int96_to_micros(i96) == INT64_MAX);

	/* metadata encoding */
	const char *kv[4] = { "ARROW:extension:name", "arrow.json", "k", "" };
	size_t mlen;
	char *meta = pv_arrow_metadata_encode(kv, 2, &mlen, NULL);
	assert_non_null(meta);
	assert_int_equal(mlen, 4 + 4 + 20 + 4 + 10 + 4 + 1 + 4 + 0);
	assert_string_equal(meta_value(meta, "ARROW:extension:name"), "arrow.json");
	assert_string_equal(meta_value(meta, "k"), "");
	free(meta);
	assert_null(pv_arrow_metadata_encode(kv, 0, &mlen, NULL));

	/* from files */
	expect_format("data/alltypes_plain.parquet", "timestamp_col", "tsu:", NULL);
	expect_format("data/alltypes_plain.parquet", "string_col", "z", NULL);
	expect_format("data/int96_from_spark.parquet", "a", "tsu:", NULL);
	expect_format("data/byte_array_decimal.parquet", "value", "d:4,2", NULL);
	expect_format("data/fixed_length_decimal.parquet", "value", "d:25,2", NULL);
	expect_format("data/int32_decimal.parquet", "value", "d:4,2", NULL);
	expect_format("data/int64_decimal.parquet", "value", "d:10,2", NULL);
	expect_format("data/float16_zeros_and_nans.parquet", "x", "e", NULL);
	expect_format("data/nested_maps.snappy.parquet", "a", "+m", NULL);
	expect_format("data/list_columns.parquet", "int64_list", "+l", NULL);
	expect_format("data/geospatial/geospatial.parquet", "geometry", "z", "geoarrow.wkb");
	expect_format("shredded_variant/case-001.parquet", "var", "+s", "parquet.variant");
	expect_format("data/unknown-logical-type.parquet", "column with unknown type", "z", NULL);
}

/* ------------------------------------------------------------------ nested shapes */

static void test_nested_shapes(void **state)
{
	(void)state;
	opened o;
	open_rel("data/map_no_value.parquet", &o);
	struct ArrowSchema s;
	pv_err e;
	assert_int_equal(pv_batch_schema(o.pf, NULL, 0, &s, &e), 0);
	const struct ArrowSchema *m = child_named(&s, "my_map_no_v");
	assert_string_equal(m->format, "+m");
	assert_int_equal(m->flags & ARROW_FLAG_NULLABLE, 0);
	assert_string_equal(m->children[0]->name, "entries");
	assert_int_equal(m->children[0]->flags & ARROW_FLAG_NULLABLE, 0);
	assert_string_equal(m->children[0]->children[0]->name, "key");
	assert_string_equal(m->children[0]->children[1]->format, "n");
	s.release(&s);
	close_file(&o);

	open_rel("data/repeated_primitive_no_list.parquet", &o);
	assert_int_equal(pv_batch_schema(o.pf, NULL, 0, &s, &e), 0);
	const struct ArrowSchema *l = child_named(&s, "Int32_list");
	assert_string_equal(l->format, "+l");
	assert_int_equal(l->flags & ARROW_FLAG_NULLABLE, 0);
	assert_string_equal(l->children[0]->format, "i");
	assert_int_equal(l->children[0]->flags & ARROW_FLAG_NULLABLE, 0);
	const struct ArrowSchema *g = child_named(&s, "group_of_lists");
	assert_string_equal(g->format, "+s");
	assert_string_equal(g->children[1]->format, "+l");
	assert_string_equal(g->children[1]->children[0]->format, "u");
	s.release(&s);
	close_file(&o);

	/* legacy two-level list of lists */
	open_rel("data/old_list_structure.parquet", &o);
	pv_rgreader *r;
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 0, NULL, 0, NULL, &r, &e), 0);
	struct ArrowArray a;
	assert_int_equal(pv_rgreader_read(r, 0, 1, &a, &e), 0);
	const struct ArrowArray *outer = a.children[0];
	assert_int_equal(outer->length, 1);
	const int32_t *off = outer->buffers[1];
	assert_int_equal(off[0], 0);
	assert_int_equal(off[1], 2);
	const struct ArrowArray *inner = outer->children[0];
	const int32_t *ioff = inner->buffers[1];
	assert_int_equal(ioff[1], 2);
	assert_int_equal(ioff[2], 4);
	const int32_t *vals = inner->children[0]->buffers[1];
	assert_int_equal(vals[0], 1);
	assert_int_equal(vals[3], 4);
	/* a consumer may move a child out; the parent's release leaves it */
	struct ArrowArray moved = *a.children[0];
	a.children[0]->release = NULL;
	a.release(&a);
	moved.release(&moved);
	assert_null(moved.release);
	pv_rgreader_close(r);
	close_file(&o);
}

/* ------------------------------------------------------------------ DuckDB files */

static const char *duckq_path(char *out, size_t n)
{
	const char *b = getenv("PARQVIEW_BUILD");
	snprintf(out, n, "%s/tools/duckq", b && *b ? b : "build");
	if (access(out, X_OK) != 0)
		snprintf(out, n, "build/tools/duckq");
	return out;
}

static void duck_run(const char *sql)
{
	char duckq[1024];
	duckq_path(duckq, sizeof duckq);
	if (access(duckq, X_OK) != 0)
		fail_msg("'%s' not found: build it with `make all` (DuckDB writes the test files)", duckq);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execl(duckq, duckq, "-c", sql, (char *)NULL);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("duckq failed on: %s", sql);
}

/* A table with every shape: i, nullable text, list with nulls, struct,
 * map, list of lists, list of structs, decimals, time. */
static const char *DUCK_SELECT =
	"SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || i END AS s, "
	"CASE WHEN i % 4 = 0 THEN NULL ELSE [i, NULL, i + 2] END AS li, "
	"{'x': i, 'y': CASE WHEN i % 3 = 0 THEN NULL ELSE 'y' || (i % 50) END} AS st, "
	"MAP {'k' || (i % 10): i} AS mp, [[i], [i + 1, i + 2], []] AS ll, "
	"CASE WHEN i % 6 = 0 THEN [] ELSE [{'a': i}, NULL] END AS ls, "
	"(i / 100)::DECIMAL(9,2) AS d9, (i * 1.5)::DECIMAL(30,1) AS d30, "
	"TIMESTAMP '2020-01-01' + INTERVAL (i) SECOND AS ts, (i % 3 = 0) AS b, "
	"i::DOUBLE / 4 AS f, (i % 7)::VARCHAR AS lowcard "
	"FROM range(30000) t(i)";

/* Checks some cells whose values the generator fixes. */
static void check_known(opened *o, const char *what)
{
	pv_err e;
	struct ArrowSchema s;
	assert_int_equal(pv_batch_schema(o->pf, NULL, 0, &s, &e), 0);
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t;
	assert_int_equal(pv_atype_parse(&ar, &s, &t, &e), 0);
	int64_t base = 0;
	int64_t probes[] = { 0, 1, 4, 5, 12, 2047, 2048, 9999, 17777, 29999 };
	for (size_t g = 0; g < o->pf->meta->n_row_groups; g++) {
		pv_rgreader *r;
		assert_int_equal(pv_rgreader_open(o->src, o->pf, g, NULL, 0, NULL, &r, &e), 0);
		int64_t rows = pv_rgreader_rows(r);
		for (size_t k = 0; k < sizeof probes / sizeof *probes; k++) {
			int64_t i = probes[k];
			if (i < base || i >= base + rows)
				continue;
			struct ArrowArray a;
			if (pv_rgreader_read(r, i - base, 1, &a, &e))
				fail_msg("%s: row %lld: %s", what, (long long)i, e.msg);
			assert_int_equal(pv_atype_check(t, &a, &e), 0);
			/* i */
			const int64_t *iv = a.children[0]->buffers[1];
			assert_int_equal(iv[0], i);
			/* s */
			const struct ArrowArray *sa = a.children[1];
			if (i % 5 == 0) {
				assert_int_equal(sa->null_count, 1);
			} else {
				const int32_t *so = sa->buffers[1];
				char want[32];
				snprintf(want, sizeof want, "v%lld", (long long)i);
				assert_int_equal(so[1] - so[0], (int32_t)strlen(want));
				assert_memory_equal((const char *)sa->buffers[2] + so[0], want, strlen(want));
			}
			/* li */
			const struct ArrowArray *la = a.children[2];
			const int32_t *lo = la->buffers[1];
			if (i % 4 == 0) {
				assert_int_equal(la->null_count, 1);
				assert_int_equal(lo[1] - lo[0], 0);
			} else {
				assert_int_equal(lo[1] - lo[0], 3);
				const struct ArrowArray *el = la->children[0];
				assert_int_equal(el->length, 3);
				assert_int_equal(el->null_count, 1);
				const int64_t *ev = el->buffers[1];
				assert_int_equal(ev[0], i);
				assert_int_equal(ev[2], i + 2);
			}
			/* whole rows as text */
			pv_acell row = { t, &a, 0 };
			pv_buf b;
			pv_buf_init(&b, 0);
			pv_acell cell = pv_acell_field(&row, 3);
			assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
			char want[128];
			if (i % 3 == 0)
				snprintf(want, sizeof want, "{x: %lld, y: NULL}", (long long)i);
			else
				snprintf(want, sizeof want, "{x: %lld, y: 'y%lld'}", (long long)i, (long long)(i % 50));
			assert_string_equal(b.data, want);
			pv_buf_reset(&b);
			cell = pv_acell_field(&row, 4);
			assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
			snprintf(want, sizeof want, "{'k%lld': %lld}", (long long)(i % 10), (long long)i);
			assert_string_equal(b.data, want);
			pv_buf_reset(&b);
			cell = pv_acell_field(&row, 5);
			assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
			snprintf(want, sizeof want, "[[%lld], [%lld, %lld], []]", (long long)i,
				 (long long)i + 1, (long long)i + 2);
			assert_string_equal(b.data, want);
			pv_buf_reset(&b);
			cell = pv_acell_field(&row, 6);
			assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
			if (i % 6 == 0)
				snprintf(want, sizeof want, "[]");
			else
				snprintf(want, sizeof want, "[{a: %lld}, NULL]", (long long)i);
			assert_string_equal(b.data, want);
			pv_buf_reset(&b);
			cell = pv_acell_field(&row, 8);
			assert_int_equal(pv_acell_text(&cell, 0, &b, &e), 0);
			snprintf(want, sizeof want, "%lld.%lld", (long long)(i * 3 / 2),
				 (long long)(i % 2 ? 5 : 0));
			assert_string_equal(b.data, want);
			pv_buf_release(&b);
			/* b */
			const uint8_t *bits = a.children[10]->buffers[1];
			assert_int_equal(bits[0] & 1, i % 3 == 0);
			a.release(&a);
		}
		pv_rgreader_close(r);
		base += rows;
	}
	assert_int_equal(base, 30000);
	s.release(&s);
	pv_arena_release(&ar);
}

static void test_duckdb_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/pv_test_batch_XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char *codecs[] = { "uncompressed", "snappy", "gzip", "zstd", "lz4", "brotli" };
	static const char *versions[] = { "v1", "v2" };
	int n = 0;
	for (size_t c = 0; c < sizeof codecs / sizeof *codecs; c++)
		for (size_t v = 0; v < 2; v++)
			for (int dict = 0; dict < 2; dict++) {
				char path[256], sql[4096];
				snprintf(path, sizeof path, "%s/f%d.parquet", dir, n++);
				snprintf(sql, sizeof sql,
					 "COPY (%s) TO '%s' (FORMAT parquet, COMPRESSION %s, "
					 "PARQUET_VERSION %s, ROW_GROUP_SIZE %d%s)",
					 DUCK_SELECT, path, codecs[c], versions[v], dict ? 10000 : 2048,
					 dict ? "" : ", DICTIONARY_SIZE_LIMIT 1");
				duck_run(sql);
				opened o;
				pv_err e;
				if (open_path(path, &o, &e))
					fail_msg("%s: %s", path, e.msg);
				char what[512];
				snprintf(what, sizeof what, "duckdb %s %s dict=%d", codecs[c], versions[v], dict);
				check_known(&o, what);
				if (c == 3 || c == 0)
					random_ranges(&o, what, 20);
				close_file(&o);
				unlink(path);
			}
	rmdir(dir);
}

/* Leaf b of a list of structs taken from the other row group: as many rows
 * but other list lengths, so b disagrees with a about the elements. */
static void swap_leaf_b(pv_file_meta *m)
{
	pv_column_chunk t = m->row_groups[0].columns[1];
	m->row_groups[0].columns[1] = m->row_groups[1].columns[1];
	m->row_groups[1].columns[1] = t;
}

static void test_different_lengths(void **state)
{
	(void)state;
	char dir[] = "/tmp/pv_test_batch_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256], sql[1024];
	snprintf(path, sizeof path, "%s/ls.parquet", dir);
	snprintf(sql, sizeof sql,
		 "COPY (SELECT list_transform(range((i %% 3) + (i // 2048)), x -> {'a': x, 'b': x}) AS ls "
		 "FROM range(4096) t(i)) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 2048)", path);
	duck_run(sql);
	opened o;
	memset(&o, 0, sizeof o);
	footer_rewrite(path, swap_leaf_b, &o.mem);
	pv_err e;
	assert_int_equal(pv_source_open_mem(o.mem.data, o.mem.len, "swapped", &o.src, &e), 0);
	assert_int_equal(pv_pfile_load(o.src, &o.pf, &e), 0);
	assert_int_equal(o.pf->meta->n_row_groups, 2);
	pv_rgreader *r;
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 0, NULL, 0, NULL, &r, &e), 0);
	struct ArrowArray a;
	assert_int_equal(pv_rgreader_read(r, 0, 2048, &a, &e), PV_ECORRUPT);
	assert_null(a.release);
	if (!strstr(e.msg, "columns of different lengths") || !strstr(e.msg, "row group 0: field 'ls"))
		fail_msg("unexpected message '%s'", e.msg);
	pv_rgreader_close(r);
	close_file(&o);
	unlink(path);
	rmdir(dir);
}

/* ------------------------------------------------------------------ stream */

static void test_stream(void **state)
{
	(void)state;
	char p[1024];
	pv_test_file(p, sizeof p, "data/alltypes_tiny_pages.parquet");
	struct ArrowArrayStream st;
	pv_err e;
	pv_batch_opts opts = { .verify_crc = true };
	size_t fields[2] = { 9, 0 };
	assert_int_equal(pv_batch_stream_open(p, fields, 2, &opts, 1000, &st, &e), 0);
	struct ArrowSchema s;
	assert_int_equal(st.get_schema(&st, &s), 0);
	assert_int_equal(s.n_children, 2);
	assert_string_equal(s.children[0]->name, "string_col");
	assert_string_equal(s.children[1]->name, "id");
	s.release(&s);
	int64_t total = 0, batches = 0, last_id = -1;
	for (;;) {
		struct ArrowArray a;
		assert_int_equal(st.get_next(&st, &a), 0);
		if (!a.release)
			break;
		assert_true(a.length <= 1000 && a.length > 0);
		const int32_t *ids = a.children[1]->buffers[1];
		for (int64_t i = 0; i < a.length; i++) {
			assert_true(ids[i] > last_id || last_id < 0 || ids[i] >= 0);
			last_id = ids[i];
		}
		total += a.length;
		batches++;
		a.release(&a);
	}
	assert_int_equal(total, 7300);
	assert_int_equal(batches, 8);
	assert_null(st.get_last_error(&st));
	st.release(&st);
	assert_null(st.release);

	/* errors: a missing file, a field out of range, a corrupt page */
	assert_int_equal(pv_batch_stream_open("/nonexistent.parquet", NULL, 0, NULL, 0, &st, &e), PV_ENOTFOUND);
	assert_null(st.release);
	size_t bad = 99;
	assert_int_equal(pv_batch_stream_open(p, &bad, 1, NULL, 0, &st, &e), PV_EINVAL);
	pv_test_file(p, sizeof p, "data/datapage_v1-corrupt-checksum.parquet");
	assert_int_equal(pv_batch_stream_open(p, NULL, 0, &opts, 0, &st, &e), 0);
	struct ArrowArray a;
	assert_int_not_equal(st.get_next(&st, &a), 0);
	assert_null(a.release);
	const char *msg = st.get_last_error(&st);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "datapage_v1-corrupt-checksum.parquet: row group 0: column 'a': page 0: crc mismatch"));
	st.release(&st);
}

/* ------------------------------------------------------------------ arguments */

static void test_arguments(void **state)
{
	(void)state;
	opened o;
	open_rel("data/alltypes_plain.parquet", &o);
	pv_rgreader *r;
	pv_err e;
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 1, NULL, 0, NULL, &r, &e), PV_EINVAL);
	assert_null(r);
	size_t f = 11;
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 0, &f, 1, NULL, &r, &e), PV_EINVAL);
	struct ArrowSchema s;
	assert_int_equal(pv_batch_schema(o.pf, &f, 1, &s, &e), PV_EINVAL);
	assert_null(s.release);
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 0, NULL, 0, NULL, &r, &e), 0);
	struct ArrowArray a;
	assert_int_equal(pv_rgreader_read(r, -1, 1, &a, &e), PV_EINVAL);
	assert_null(a.release);
	assert_int_equal(pv_rgreader_read(r, 0, 9, &a, &e), PV_EINVAL);
	assert_int_equal(pv_rgreader_read(r, 8, 1, &a, &e), PV_EINVAL);
	/* empty reads */
	assert_int_equal(pv_rgreader_read(r, 8, 0, &a, &e), 0);
	assert_int_equal(a.length, 0);
	assert_int_equal(a.n_children, 11);
	for (int64_t i = 0; i < a.n_children; i++)
		assert_int_equal(a.children[i]->length, 0);
	a.release(&a);
	/* a field twice */
	size_t twice[2] = { 0, 0 };
	pv_rgreader_close(r);
	assert_int_equal(pv_rgreader_open(o.src, o.pf, 0, twice, 2, NULL, &r, &e), 0);
	assert_int_equal(pv_rgreader_read(r, 2, 3, &a, &e), 0);
	assert_int_equal(a.n_children, 2);
	const int32_t *x = a.children[0]->buffers[1], *y = a.children[1]->buffers[1];
	assert_memory_equal(x, y, 3 * sizeof *x);
	/* batches outlive their reader */
	pv_rgreader_close(r);
	assert_int_equal(x[0], 6);
	a.release(&a);
	pv_rgreader_close(NULL);
	close_file(&o);
}

/* ------------------------------------------------------------------ damaged files */

/* Bit-flipped and cut copies of corpus files read through: each ends in
 * success or in an error with a code and a one-line message; nothing
 * crashes (the ASan build checks memory). */
static void test_damaged(void **state)
{
	(void)state;
	static const char *files[] = {
		"data/alltypes_tiny_pages.parquet",  "data/nullable.impala.parquet",
		"data/nested_maps.snappy.parquet",   "data/datapage_v2.snappy.parquet",
		"data/delta_byte_array.parquet",     "data/byte_stream_split.zstd.parquet",
		"data/dict-page-offset-zero.parquet", "data/rle_boolean_encoding.parquet",
		"data/concatenated_gzip_members.parquet", "data/hadoop_lz4_compressed.parquet",
	};
	int n_ok = 0, n_err = 0;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char p[1024];
		FILE *f = fopen(pv_test_file(p, sizeof p, files[i]), "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		size_t n = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		uint8_t *orig = malloc(n), *buf = malloc(n);
		assert_int_equal(fread(orig, 1, n, f), n);
		fclose(f);
		uint32_t mlen = (uint32_t)orig[n - 8] | (uint32_t)orig[n - 7] << 8 |
				(uint32_t)orig[n - 6] << 16 | (uint32_t)orig[n - 5] << 24;
		size_t body = n - 8 - mlen; /* flips land in the pages, the footer stays */
		for (int k = 0; k < 40; k++) {
			memcpy(buf, orig, n);
			size_t len = n;
			if (k < 30) {
				for (int b = 0; b < 1 + k % 4; b++) {
					size_t at = 4 + (size_t)rnd_below((int64_t)(body - 4));
					buf[at] ^= (uint8_t)(1u << rnd_below(8));
				}
			} else {
				/* pages cut out from the middle: offsets now point past the data */
				size_t cut = 1 + (size_t)rnd_below((int64_t)body / 2);
				size_t at = 4 + (size_t)rnd_below((int64_t)(body - cut - 4));
				memmove(buf + at, buf + at + cut, n - at - cut);
				len = n - cut;
			}
			pv_source *src;
			pv_pfile *pf;
			pv_err e;
			assert_int_equal(pv_source_open_mem(buf, len, "damaged", &src, &e), 0);
			int rc = pv_pfile_load(src, &pf, &e);
			if (rc) {
				assert_int_equal(e.code, rc);
				pv_source_close(src);
				n_err++;
				continue;
			}
			pv_batch_opts opts = { .verify_crc = k % 2 == 0, .max_page_bytes = (size_t)64 << 20 };
			for (size_t g = 0; !rc && g < pf->meta->n_row_groups; g++) {
				pv_rgreader *r;
				pv_err_clear(&e);
				rc = pv_rgreader_open(src, pf, g, NULL, 0, &opts, &r, &e);
				if (rc)
					break;
				int64_t rows = pv_rgreader_rows(r);
				for (int64_t at = 0; !rc && at < rows; at += 1000) {
					struct ArrowArray a;
					int64_t cnt = rows - at < 1000 ? rows - at : 1000;
					rc = pv_rgreader_read(r, at, cnt, &a, &e);
					if (!rc) {
						assert_int_equal(a.length, cnt);
						a.release(&a);
					}
				}
				struct ArrowArray a;
				if (!rc && rows > 1 && pv_rgreader_read(r, rows / 2, 1, &a, &e) == 0)
					a.release(&a);
				pv_rgreader_close(r);
			}
			if (rc) {
				assert_int_equal(e.code, rc);
				assert_true(e.msg[0] != 0);
				assert_null(strchr(e.msg, '\n'));
				n_err++;
			} else {
				n_ok++;
			}
			pv_pfile_free(pf);
			pv_source_close(src);
		}
		free(orig);
		free(buf);
	}
	assert_true(n_err > 50);
	assert_true(n_ok + n_err == 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_expect_csv),
		cmocka_unit_test(test_bad_data),
		cmocka_unit_test(test_random_access),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_nested_shapes),
		cmocka_unit_test(test_duckdb_files),
		cmocka_unit_test(test_different_lengths),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
