/*
 * test_meta.c - FileMetaData over the whole corpus: every file's footer is
 * located, parsed, turned into a schema and its statistics decoded; every
 * footer survives pv_meta_write -> parse; truncated and bit-flipped footers
 * fail cleanly. Also spot checks of known facts, the footer locator, and
 * the page-level structures (page headers, page index, bloom filters) the
 * metadata points at.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/buf.h"
#include "format/meta.h"
#include "format/pages.h"
#include "format/schema.h"
#include "format/stats.h"

/* ------------------------------------------------------------------ helpers */

typedef struct files {
	char **v;
	size_t n, cap;
} files;

static void files_add(files *f, const char *path)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
		assert_non_null(f->v);
	}
	f->v[f->n] = strdup(path);
	assert_non_null(f->v[f->n]);
	f->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Every *.parquet and *.parquet.encrypted file under dir, recursively. */
static void files_walk(files *f, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			files_walk(f, path);
		else if (ends_with(path, ".parquet") || ends_with(path, ".parquet.encrypted"))
			files_add(f, path);
	}
	closedir(d);
}

static files corpus(const char *rel)
{
	files f = { 0 };
	char dir[4096];
	pv_test_file(dir, sizeof dir, rel);
	files_walk(&f, dir);
	if (f.n == 0)
		fail_msg("no parquet files under '%s' (set PARQVIEW_TESTDATA)", dir);
	qsort(f.v, f.n, sizeof *f.v, cmp_str);
	return f;
}

static void files_free(files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

static uint8_t *slurp(const char *path, size_t *out_n)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s'", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*out_n = (size_t)n;
	return b;
}

/* Reads the footer the way a reader without mmap would: the last 64 KiB,
 * then the exact range if the footer is longer. *out is malloc'ed. */
static int read_footer(const char *path, uint8_t **out, size_t *out_len, pv_err *e)
{
	*out = NULL;
	*out_len = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s'", path);
	fseek(fp, 0, SEEK_END);
	int64_t size = ftell(fp);
	size_t tail = size < 65536 ? (size_t)size : 65536;
	uint8_t *t = malloc(tail ? tail : 1);
	assert_non_null(t);
	fseek(fp, (long)(size - (int64_t)tail), SEEK_SET);
	assert_int_equal(fread(t, 1, tail, fp), tail);
	int64_t off;
	uint32_t len;
	int rc = pv_footer_locate(t, tail, size, &off, &len, e);
	if (!rc) {
		uint8_t *f = malloc(len ? len : 1);
		assert_non_null(f);
		if (off >= size - (int64_t)tail) {
			memcpy(f, t + (off - (size - (int64_t)tail)), len);
		} else {
			fseek(fp, (long)off, SEEK_SET);
			assert_int_equal(fread(f, 1, len, fp), len);
		}
		*out = f;
		*out_len = len;
	}
	free(t);
	fclose(fp);
	return rc;
}

static bool encrypted_footer(const char *path)
{
	size_t n;
	uint8_t *b = slurp(path, &n);
	bool pare = n >= 4 && memcmp(b + n - 4, "PARE", 4) == 0;
	free(b);
	return pare;
}

/* Decodes every chunk's min/max; all must decode without error. */
static void decode_all_stats(const char *path, const pv_file_meta *m, const pv_schema *s)
{
	pv_err e;
	for (size_t g = 0; g < m->n_row_groups; g++)
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++) {
			pv_value mn, mx;
			bool trusted;
			int rc = pv_stats_minmax(&m->row_groups[g].columns[c], s->leaves[c], NULL, &mn, &mx,
						 &trusted, &e);
			if (rc)
				fail_msg("%s: row group %zu column %zu: %s", path, g, c, e.msg);
		}
}

static bool bytes_eq(const pv_bytes *a, const pv_bytes *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool stats_eq(const pv_statistics *a, const pv_statistics *b)
{
	return a->has_min == b->has_min && a->has_max == b->has_max && bytes_eq(&a->min, &b->min) &&
	       bytes_eq(&a->max, &b->max) && a->has_min_value == b->has_min_value &&
	       a->has_max_value == b->has_max_value && bytes_eq(&a->min_value, &b->min_value) &&
	       bytes_eq(&a->max_value, &b->max_value) && a->has_null_count == b->has_null_count &&
	       a->null_count == b->null_count && a->has_distinct_count == b->has_distinct_count &&
	       a->distinct_count == b->distinct_count && a->has_nan_count == b->has_nan_count &&
	       a->nan_count == b->nan_count && a->has_is_min_value_exact == b->has_is_min_value_exact &&
	       a->is_min_value_exact == b->is_min_value_exact &&
	       a->has_is_max_value_exact == b->has_is_max_value_exact &&
	       a->is_max_value_exact == b->is_max_value_exact;
}

static void compare_meta(const char *path, const pv_file_meta *a, const pv_file_meta *b)
{
#define SAME(cond) do { if (!(cond)) fail_msg("%s: round trip differs: %s", path, #cond); } while (0)
	SAME(a->version == b->version);
	SAME(a->num_rows == b->num_rows);
	SAME(str_eq(a->created_by, b->created_by));
	SAME(a->n_schema == b->n_schema);
	for (size_t i = 0; i < a->n_schema; i++) {
		const pv_schema_element *x = &a->schema[i], *y = &b->schema[i];
		SAME(str_eq(x->name, y->name));
		SAME(x->has_type == y->has_type && x->type == y->type);
		SAME(x->has_type_length == y->has_type_length && x->type_length == y->type_length);
		SAME(x->has_repetition == y->has_repetition && x->repetition == y->repetition);
		SAME(x->has_num_children == y->has_num_children && x->num_children == y->num_children);
		SAME(x->has_converted_type == y->has_converted_type && x->converted_type == y->converted_type);
		SAME(x->has_scale == y->has_scale && x->scale == y->scale);
		SAME(x->has_precision == y->has_precision && x->precision == y->precision);
		SAME(x->has_field_id == y->has_field_id && x->field_id == y->field_id);
		SAME(x->has_logical_type == y->has_logical_type);
		char s1[256], s2[256];
		SAME(strcmp(pv_logical_type_str(&x->logical_type, s1, sizeof s1),
			    pv_logical_type_str(&y->logical_type, s2, sizeof s2)) == 0);
	}
	SAME(a->n_row_groups == b->n_row_groups);
	for (size_t g = 0; g < a->n_row_groups; g++) {
		const pv_row_group *x = &a->row_groups[g], *y = &b->row_groups[g];
		SAME(x->num_rows == y->num_rows && x->total_byte_size == y->total_byte_size);
		SAME(x->n_columns == y->n_columns && x->n_sorting_columns == y->n_sorting_columns);
		SAME(x->has_ordinal == y->has_ordinal && x->ordinal == y->ordinal);
		SAME(x->has_file_offset == y->has_file_offset && x->file_offset == y->file_offset);
		for (size_t c = 0; c < x->n_columns; c++) {
			const pv_column_chunk *p = &x->columns[c], *q = &y->columns[c];
			SAME(p->has_meta_data == q->has_meta_data && p->encrypted == q->encrypted);
			SAME(p->has_column_index_offset == q->has_column_index_offset &&
			     p->column_index_offset == q->column_index_offset);
			SAME(p->has_offset_index_length == q->has_offset_index_length &&
			     p->offset_index_length == q->offset_index_length);
			SAME(bytes_eq(&p->encrypted_column_metadata, &q->encrypted_column_metadata));
			const pv_column_meta *pm = &p->meta_data, *qm = &q->meta_data;
			SAME(pm->type == qm->type && pm->codec == qm->codec && pm->num_values == qm->num_values);
			SAME(pm->total_compressed_size == qm->total_compressed_size);
			SAME(pm->total_uncompressed_size == qm->total_uncompressed_size);
			SAME(pm->data_page_offset == qm->data_page_offset);
			SAME(pm->has_dictionary_page_offset == qm->has_dictionary_page_offset &&
			     pm->dictionary_page_offset == qm->dictionary_page_offset);
			SAME(pm->n_encodings == qm->n_encodings && pm->n_path_in_schema == qm->n_path_in_schema);
			for (size_t k = 0; k < pm->n_path_in_schema; k++)
				SAME(str_eq(pm->path_in_schema[k], qm->path_in_schema[k]));
			SAME(pm->has_statistics == qm->has_statistics && stats_eq(&pm->statistics, &qm->statistics));
			SAME(pm->n_encoding_stats == qm->n_encoding_stats);
			SAME(pm->n_key_value_metadata == qm->n_key_value_metadata);
			SAME(pm->has_bloom_filter_offset == qm->has_bloom_filter_offset &&
			     pm->bloom_filter_offset == qm->bloom_filter_offset);
			SAME(pm->has_size_statistics == qm->has_size_statistics);
			SAME(pm->has_geospatial_statistics == qm->has_geospatial_statistics);
		}
	}
	SAME(a->n_key_value_metadata == b->n_key_value_metadata);
	for (size_t k = 0; k < a->n_key_value_metadata; k++) {
		SAME(str_eq(a->key_value_metadata[k].key, b->key_value_metadata[k].key));
		SAME(a->key_value_metadata[k].value_len == b->key_value_metadata[k].value_len);
	}
	SAME(a->n_column_orders == b->n_column_orders);
	SAME(a->has_encryption_algorithm == b->has_encryption_algorithm);
	SAME(bytes_eq(&a->footer_signing_key_metadata, &b->footer_signing_key_metadata));
#undef SAME
}

/* Parses a footer and everything built on it; returns the first error. */
static int parse_all(const uint8_t *buf, size_t len, pv_arena *a, pv_err *e)
{
	pv_file_meta *m;
	int rc = pv_meta_parse(buf, len, a, &m, e);
	if (rc)
		return rc;
	pv_schema *s;
	rc = pv_schema_build(m, a, &s, e);
	if (rc)
		return rc;
	for (size_t g = 0; g < m->n_row_groups; g++)
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++) {
			pv_value mn, mx;
			bool trusted;
			pv_stats_minmax(&m->row_groups[g].columns[c], s->leaves[c], NULL, &mn, &mx, &trusted, e);
		}
	return 0;
}

/* ------------------------------------------------------------------ corpus tests */

static void test_corpus_parses(void **state)
{
	files f = corpus("data");
	files more = corpus("shredded_variant");
	for (size_t i = 0; i < more.n; i++)
		files_add(&f, more.v[i]);
	files_free(&more);
	size_t n_ok = 0, n_encrypted = 0;
	for (size_t i = 0; i < f.n; i++) {
		const char *path = f.v[i];
		pv_err e;
		uint8_t *footer;
		size_t len;
		int rc = read_footer(path, &footer, &len, &e);
		if (encrypted_footer(path)) {
			if (rc != PV_EUNSUPPORTED || !strstr(e.msg, "encrypted footer"))
				fail_msg("%s: expected an encrypted-footer error, got %d '%s'", path, rc, e.msg);
			n_encrypted++;
			continue;
		}
		if (rc)
			fail_msg("%s: %s", path, e.msg);
		pv_arena a;
		pv_arena_init(&a, 0);
		pv_file_meta *m;
		rc = pv_meta_parse(footer, len, &a, &m, &e);
		if (rc)
			fail_msg("%s: %s", path, e.msg);
		pv_schema *s;
		rc = pv_schema_build(m, &a, &s, &e);
		if (rc)
			fail_msg("%s: %s", path, e.msg);
		assert_int_equal(s->n_leaves, m->n_leaves);
		decode_all_stats(path, m, s);

		/* Round trip: write, parse, compare; writing again is byte-stable. */
		pv_buf b1, b2;
		pv_buf_init(&b1, 0);
		pv_buf_init(&b2, 0);
		if (pv_meta_write(m, &b1, &e))
			fail_msg("%s: write: %s", path, e.msg);
		pv_file_meta *m2;
		if (pv_meta_parse((const uint8_t *)b1.data, b1.len, &a, &m2, &e))
			fail_msg("%s: reparse: %s", path, e.msg);
		compare_meta(path, m, m2);
		assert_int_equal(pv_meta_write(m2, &b2, &e), 0);
		if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
			fail_msg("%s: second write differs", path);
		pv_buf_release(&b1);
		pv_buf_release(&b2);
		pv_arena_release(&a);
		free(footer);
		n_ok++;
	}
	assert_true(n_ok > 150);
	assert_true(n_encrypted >= 10);
	files_free(&f);
}

static void test_bad_data(void **state)
{
	files f = corpus("bad_data");
	bool saw_1481 = false;
	for (size_t i = 0; i < f.n; i++) {
		const char *path = f.v[i];
		pv_err e;
		pv_err_clear(&e);
		uint8_t *footer;
		size_t len;
		int rc = read_footer(path, &footer, &len, &e);
		pv_arena a;
		pv_arena_init(&a, 0);
		if (!rc)
			rc = parse_all(footer, len, &a, &e);
		if (rc && (!e.msg[0] || e.code != rc))
			fail_msg("%s: error %d without a message", path, rc);
		if (ends_with(path, "PARQUET-1481.parquet")) {
			saw_1481 = true;
			assert_int_equal(rc, PV_ECORRUPT);
			assert_non_null(strstr(e.msg, "invalid physical type"));
		}
		pv_arena_release(&a);
		free(footer);
	}
	assert_true(saw_1481);
	files_free(&f);
}

/* Every prefix (or a sample of cut points for long footers) and a spread of
 * single-bit flips: never a crash, always ok or a clean error. */
static void test_truncation_and_flips(void **state)
{
	files f = corpus("data");
	pv_arena a;
	pv_arena_init(&a, (size_t)64 << 20);
	for (size_t i = 0; i < f.n; i++) {
		const char *path = f.v[i];
		pv_err e;
		uint8_t *footer;
		size_t len;
		if (read_footer(path, &footer, &len, &e))
			continue;
		/* Files with a signed plaintext footer keep a 28-byte signature
		 * after FileMetaData; measure the struct itself. */
		pv_thrift_reader r;
		pv_thrift_reader_init(&r, footer, len, NULL);
		pv_thrift_skip(&r, PV_THRIFT_STRUCT);
		assert_int_equal(pv_thrift_reader_status(&r), 0);
		size_t struct_len = pv_thrift_reader_offset(&r);
		size_t step = len <= 4096 ? 1 : len / 1024;
		for (size_t cut = 0; cut < len; cut += step) {
			pv_err_clear(&e);
			int rc = parse_all(footer, cut, &a, &e);
			/* Every proper prefix lacks at least the final STOP byte. */
			if (rc == 0 && cut < struct_len)
				fail_msg("%s: prefix of %zu/%zu bytes parsed", path, cut, len);
			if (rc && !e.msg[0])
				fail_msg("%s: prefix %zu: error without a message", path, cut);
			pv_arena_reset(&a);
		}
		uint8_t *copy = malloc(len);
		assert_non_null(copy);
		size_t flips = len < 512 ? len : 512;
		for (size_t k = 0; k < flips; k++) {
			size_t pos = k * len / flips;
			memcpy(copy, footer, len);
			copy[pos] ^= (uint8_t)(1u << (k % 8));
			pv_err_clear(&e);
			int rc = parse_all(copy, len, &a, &e);
			if (rc && (!e.msg[0] || e.code != rc))
				fail_msg("%s: flip at %zu: error %d without a message", path, pos, rc);
			pv_arena_reset(&a);
		}
		free(copy);
		free(footer);
	}
	pv_arena_release(&a);
	files_free(&f);
}

/* ------------------------------------------------------------------ spot checks */

typedef struct loaded {
	pv_arena arena;
	pv_file_meta *m;
	pv_schema *s;
	uint8_t *file;
	size_t size;
} loaded;

static void load(loaded *l, const char *rel)
{
	char path[4096];
	pv_test_file(path, sizeof path, rel);
	l->file = slurp(path, &l->size);
	pv_err e;
	int64_t off;
	uint32_t len;
	if (pv_footer_locate(l->file + l->size - 8, 8, (int64_t)l->size, &off, &len, &e))
		fail_msg("%s: %s", rel, e.msg);
	pv_arena_init(&l->arena, 0);
	if (pv_meta_parse(l->file + off, len, &l->arena, &l->m, &e) ||
	    pv_schema_build(l->m, &l->arena, &l->s, &e))
		fail_msg("%s: %s", rel, e.msg);
}

static void unload(loaded *l)
{
	pv_arena_release(&l->arena);
	free(l->file);
}

static void test_alltypes_plain(void **state)
{
	loaded l;
	load(&l, "data/alltypes_plain.parquet");
	assert_int_equal(l.m->num_rows, 8);
	assert_int_equal(l.m->n_leaves, 11);
	assert_int_equal(l.m->n_row_groups, 1);
	assert_int_equal(l.m->row_groups[0].n_columns, 11);
	assert_string_equal(l.m->created_by,
			    "impala version 1.3.0-INTERNAL (build 8a48ddb1eff84592b3fc06bc6f51ec120e1fffc9)");
	assert_string_equal(l.m->schema[0].name, "schema");
	assert_string_equal(l.m->schema[11].name, "timestamp_col");
	assert_int_equal(l.m->schema[11].type, PV_TYPE_INT96);
	const pv_column_meta *cm = &l.m->row_groups[0].columns[0].meta_data;
	assert_int_equal(cm->type, PV_TYPE_INT32);
	assert_int_equal(cm->n_path_in_schema, 1);
	assert_string_equal(cm->path_in_schema[0], "id");
	assert_int_equal(cm->num_values, 8);
	unload(&l);
}

static void test_column_kv_and_sorting(void **state)
{
	loaded l;
	load(&l, "data/column_chunk_key_value_metadata.parquet");
	const pv_column_meta *cm = &l.m->row_groups[0].columns[0].meta_data;
	assert_true(cm->has_key_value_metadata);
	assert_int_equal(cm->n_key_value_metadata, 2);
	assert_string_equal(cm->key_value_metadata[0].key, "foo");
	assert_true(cm->key_value_metadata[0].has_value);
	assert_string_equal(cm->key_value_metadata[0].value, "bar");
	assert_string_equal(cm->key_value_metadata[1].key, "thisiskeywithoutvalue");
	assert_false(cm->key_value_metadata[1].has_value);
	assert_null(cm->key_value_metadata[1].value);
	assert_false(l.m->row_groups[0].columns[1].meta_data.has_key_value_metadata);
	unload(&l);

	load(&l, "data/sort_columns.parquet");
	assert_int_equal(l.m->n_row_groups, 2);
	for (size_t g = 0; g < 2; g++) {
		const pv_row_group *rg = &l.m->row_groups[g];
		assert_true(rg->has_sorting_columns);
		assert_int_equal(rg->n_sorting_columns, 2);
		assert_int_equal(rg->sorting_columns[0].column_idx, 0);
		assert_true(rg->sorting_columns[0].descending);
		assert_true(rg->sorting_columns[0].nulls_first);
		assert_int_equal(rg->sorting_columns[1].column_idx, 1);
		assert_false(rg->sorting_columns[1].descending);
		assert_false(rg->sorting_columns[1].nulls_first);
		assert_true(rg->has_ordinal);
		assert_int_equal(rg->ordinal, (int16_t)g);
	}
	unload(&l);
}

static void test_bloom_and_encoding_stats(void **state)
{
	loaded l;
	load(&l, "data/data_index_bloom_encoding_stats.parquet");
	const pv_column_chunk *cc = &l.m->row_groups[0].columns[0];
	const pv_column_meta *cm = &cc->meta_data;
	assert_true(cm->has_bloom_filter_offset);
	assert_false(cm->has_bloom_filter_length);
	assert_true(cm->has_encoding_stats);
	assert_int_equal(cm->n_encoding_stats, 1);
	assert_int_equal(cm->encoding_stats[0].page_type, PV_PAGE_DATA);
	assert_int_equal(cm->encoding_stats[0].encoding, PV_ENC_PLAIN);
	assert_int_equal(cm->encoding_stats[0].count, 1);
	assert_int_equal(cm->codec, PV_CODEC_GZIP);
	assert_true(cc->has_column_index_offset && cc->has_column_index_length);
	assert_true(cc->has_offset_index_offset && cc->has_offset_index_length);

	/* The bloom filter holds the 14 strings of the column (checked by
	 * decoding the data page independently). */
	pv_bloom_header bh;
	size_t hl;
	pv_err e;
	size_t at = (size_t)cm->bloom_filter_offset;
	assert_int_equal(pv_bloom_header_parse(l.file + at, l.size - at, &bh, &hl, &e), 0);
	assert_int_equal(bh.algorithm, 1);
	assert_int_equal(bh.hash, 1);
	assert_int_equal(bh.compression, 1);
	assert_true(hl + (size_t)bh.num_bytes <= l.size - at);
	const uint8_t *bits = l.file + at + hl;
	const char *in[] = { "Hello", "This is", "a", "test", "How", "are you", "doing ", "today",
			     "the quick", "brown fox", "jumps", "over", "the lazy", "dog" };
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		assert_true(pv_bloom_check(bits, (size_t)bh.num_bytes, pv_bloom_hash(in[i], strlen(in[i]))));
	assert_false(pv_bloom_check(bits, (size_t)bh.num_bytes,
				    pv_bloom_hash("Hello_Not_Exists", strlen("Hello_Not_Exists"))));
	/* Most strings that are not there are excluded. */
	int maybe = 0;
	for (int i = 0; i < 1000; i++) {
		char s[32];
		snprintf(s, sizeof s, "absent-%d", i);
		maybe += pv_bloom_check(bits, (size_t)bh.num_bytes, pv_bloom_hash(s, strlen(s)));
	}
	assert_true(maybe < 50);

	/* Page index. */
	pv_column_index ci;
	pv_offset_index oi;
	assert_int_equal(pv_column_index_parse(l.file + cc->column_index_offset,
					       (size_t)cc->column_index_length, &l.arena, &ci, &e), 0);
	assert_int_equal(ci.n_pages, 1);
	assert_false(ci.null_pages[0]);
	pv_value v;
	assert_int_equal(pv_stats_value(l.s->leaves[0], ci.min_values[0].ptr, ci.min_values[0].len, &v, &e), 0);
	assert_int_equal(v.kind, PV_VAL_STRING);
	assert_memory_equal(v.bytes.ptr, "Hello", 5);
	assert_int_equal(pv_offset_index_parse(l.file + cc->offset_index_offset,
					       (size_t)cc->offset_index_length, &l.arena, &oi, &e), 0);
	assert_int_equal(oi.n_page_locations, 1);
	assert_int_equal(oi.page_locations[0].offset, cm->data_page_offset);
	assert_int_equal(oi.page_locations[0].first_row_index, 0);
	unload(&l);

	load(&l, "data/data_index_bloom_encoding_with_length.parquet");
	cm = &l.m->row_groups[0].columns[0].meta_data;
	assert_true(cm->has_bloom_filter_length);
	assert_int_equal(cm->bloom_filter_length, 2064);
	at = (size_t)cm->bloom_filter_offset;
	assert_int_equal(pv_bloom_header_parse(l.file + at, (size_t)cm->bloom_filter_length, &bh, &hl, &e), 0);
	assert_int_equal(hl + (size_t)bh.num_bytes, (size_t)cm->bloom_filter_length);
	assert_true(pv_bloom_check(l.file + at + hl, (size_t)bh.num_bytes, pv_bloom_hash("today", 5)));
	unload(&l);
}

static void test_bloom_files(void **state)
{
	char path[4096];
	size_t n;
	pv_err e;
	pv_bloom_header bh;
	size_t hl;
	uint8_t *b = slurp(pv_test_file(path, sizeof path, "data/bloom_filter.xxhash.bin"), &n);
	assert_int_equal(pv_bloom_header_parse(b, n, &bh, &hl, &e), 0);
	assert_int_equal(hl, 16);
	assert_int_equal(bh.num_bytes, 1024);
	assert_int_equal(n, 16 + 1024);
	/* xxHash64 values published with parquet-testing's consumers. */
	assert_true(pv_bloom_hash("hello", 5) == UINT64_C(0x26c7827d889f6da3));
	assert_true(pv_bloom_hash("parquet", 7) == UINT64_C(0x3c9d29275c52e429));
	const char *in[] = { "hello", "parquet", "bloom", "filter" };
	for (int i = 0; i < 4; i++)
		assert_true(pv_bloom_check(b + hl, 1024, pv_bloom_hash(in[i], strlen(in[i]))));
	assert_false(pv_bloom_check(b + hl, 1024, pv_bloom_hash("absent", 6)));
	/* Truncated headers ask for more bytes. */
	for (size_t cut = 0; cut < 16; cut++) {
		assert_int_equal(pv_bloom_header_parse(b, cut, &bh, &hl, &e), PV_ECORRUPT);
		assert_int_equal(hl, 0);
		assert_non_null(strstr(e.msg, "bloom filter header truncated"));
	}
	free(b);
	/* The deprecated binary-header format is not a Thrift header. */
	b = slurp(pv_test_file(path, sizeof path, "data/bloom_filter.bin"), &n);
	assert_int_equal(pv_bloom_header_parse(b, n, &bh, &hl, &e), PV_ECORRUPT);
	assert_int_equal(hl, SIZE_MAX);
	free(b);

	/* Insert then check; a tiny bitset answers "maybe". */
	uint8_t bits[256] = { 0 };
	pv_bloom_insert(bits, sizeof bits, pv_bloom_hash("x", 1));
	assert_true(pv_bloom_check(bits, sizeof bits, pv_bloom_hash("x", 1)));
	assert_true(pv_bloom_check(bits, 31, 12345));

	/* Header round trip and the rules on its fields. */
	pv_buf buf;
	pv_buf_init(&buf, 0);
	pv_bloom_header h = { 64, 1, 1, 1 };
	assert_int_equal(pv_bloom_header_write(&h, &buf, &e), 0);
	assert_int_equal(pv_bloom_header_parse((const uint8_t *)buf.data, buf.len, &bh, &hl, &e), 0);
	assert_int_equal(hl, buf.len);
	assert_int_equal(bh.num_bytes, 64);
	pv_buf_reset(&buf);
	h.num_bytes = 33;
	pv_bloom_header_write(&h, &buf, &e);
	assert_int_equal(pv_bloom_header_parse((const uint8_t *)buf.data, buf.len, &bh, &hl, &e), PV_ECORRUPT);
	pv_buf_reset(&buf);
	h.num_bytes = 64;
	h.hash = 2;
	pv_bloom_header_write(&h, &buf, &e);
	assert_int_equal(pv_bloom_header_parse((const uint8_t *)buf.data, buf.len, &bh, &hl, &e), PV_EUNSUPPORTED);
	pv_buf_reset(&buf);
	h.hash = 1;
	h.num_bytes = INT32_MAX - 31;
	pv_bloom_header_write(&h, &buf, &e);
	assert_int_equal(pv_bloom_header_parse((const uint8_t *)buf.data, buf.len, &bh, &hl, &e), PV_ELIMIT);
	pv_buf_release(&buf);

	/* Hashing values as PLAIN bytes. */
	pv_value v = { .kind = PV_VAL_INT, .i = 7 };
	uint64_t hv;
	const uint8_t le7[8] = { 7, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(pv_bloom_hash_value(&v, PV_TYPE_INT32, &hv, &e), 0);
	assert_true(hv == pv_bloom_hash(le7, 4));
	assert_int_equal(pv_bloom_hash_value(&v, PV_TYPE_INT64, &hv, &e), 0);
	assert_true(hv == pv_bloom_hash(le7, 8));
	v.kind = PV_VAL_STRING;
	v.bytes.ptr = (const uint8_t *)"abc";
	v.bytes.len = 3;
	assert_int_equal(pv_bloom_hash_value(&v, PV_TYPE_BYTE_ARRAY, &hv, &e), 0);
	assert_true(hv == pv_bloom_hash("abc", 3));
	assert_int_equal(pv_bloom_hash_value(&v, PV_TYPE_INT32, &hv, &e), PV_EINVAL);
	v.kind = PV_VAL_FLOAT;
	v.f = 1.5;
	const uint8_t f15[4] = { 0, 0, 0xc0, 0x3f };
	assert_int_equal(pv_bloom_hash_value(&v, PV_TYPE_FLOAT, &hv, &e), 0);
	assert_true(hv == pv_bloom_hash(f15, 4));
}

static void test_logical_types(void **state)
{
	loaded l;
	char buf[256];
	load(&l, "data/unknown-logical-type.parquet");
	const pv_schema_element *e = &l.m->schema[2];
	assert_string_equal(e->name, "column with unknown type");
	assert_true(e->has_logical_type);
	assert_int_equal(e->logical_type.kind, PV_LOGICAL_FUTURE);
	assert_int_equal(e->logical_type.future_id, 2555);
	assert_string_equal(pv_logical_type_str(&e->logical_type, buf, sizeof buf), "FUTURE(2555)");
	assert_string_equal(pv_schema_type_str(l.s->leaves[1], buf, sizeof buf), "BYTE_ARRAY FUTURE(2555)");
	assert_int_equal(l.m->schema[1].logical_type.kind, PV_LOGICAL_STRING);
	unload(&l);

	load(&l, "data/geospatial/geospatial.parquet");
	bool geometry = false;
	for (size_t i = 0; i < l.m->n_schema; i++)
		geometry |= l.m->schema[i].logical_type.kind == PV_LOGICAL_GEOMETRY;
	assert_true(geometry);
	const pv_column_meta *cm = &l.m->row_groups[0].columns[2].meta_data;
	assert_true(cm->has_geospatial_statistics);
	assert_true(cm->geospatial_statistics.has_bbox);
	assert_true(cm->geospatial_statistics.bbox.xmin == 10 && cm->geospatial_statistics.bbox.xmax == 40);
	assert_true(cm->geospatial_statistics.bbox.has_zmin);
	assert_int_equal(cm->geospatial_statistics.n_geospatial_types, 28);
	assert_int_equal(cm->geospatial_statistics.geospatial_types[27], 3007);
	assert_true(cm->has_size_statistics);
	/* Geo columns have no defined order: their min/max are not trusted. */
	pv_value mn, mx;
	bool trusted = true;
	pv_err err;
	assert_int_equal(pv_stats_minmax(&l.m->row_groups[0].columns[2], l.s->leaves[2], NULL, &mn, &mx,
					 &trusted, &err), 0);
	assert_false(trusted);
	unload(&l);

	load(&l, "data/geospatial/crs-geography.parquet");
	assert_int_equal(l.m->schema[2].logical_type.kind, PV_LOGICAL_GEOGRAPHY);
	assert_string_equal(pv_schema_type_str(l.s->leaves[1], buf, sizeof buf), "BYTE_ARRAY GEOGRAPHY");
	unload(&l);

	load(&l, "data/geospatial/crs-projjson.parquet");
	assert_string_equal(pv_schema_type_str(l.s->leaves[1], buf, sizeof buf),
			    "BYTE_ARRAY GEOMETRY(projjson:projjson_epsg_5070)");
	unload(&l);

	load(&l, "data/float16_zeros_and_nans.parquet");
	assert_string_equal(pv_schema_type_str(l.s->leaves[0], buf, sizeof buf), "FIXED_LEN_BYTE_ARRAY(2) FLOAT16");
	unload(&l);

	load(&l, "shredded_variant/case-001.parquet");
	assert_int_equal(l.m->schema[2].logical_type.kind, PV_LOGICAL_VARIANT);
	assert_true(l.m->schema[2].logical_type.has_spec_version);
	assert_string_equal(pv_schema_type_str(&l.s->nodes[2], buf, sizeof buf), "VARIANT(1)");
	unload(&l);

	/* The string forms. */
	pv_logical_type lt = { .kind = PV_LOGICAL_TIMESTAMP, .unit = PV_UNIT_MICROS, .utc = true };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "TIMESTAMP(MICROS,true)");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_TIME, .unit = PV_UNIT_NANOS };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "TIME(NANOS,false)");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_DECIMAL, .precision = 10, .scale = 2 };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "DECIMAL(10,2)");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_INTEGER, .bit_width = 8 };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "INTEGER(8,false)");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_GEOGRAPHY, .has_algorithm = true, .algorithm = PV_EDGE_KARNEY };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "GEOGRAPHY(OGC:CRS84,KARNEY)");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_UNKNOWN };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "UNKNOWN");
	lt = (pv_logical_type){ .kind = PV_LOGICAL_NONE };
	assert_string_equal(pv_logical_type_str(&lt, buf, sizeof buf), "");
	assert_string_equal(pv_logical_type_str(&(pv_logical_type){ .kind = PV_LOGICAL_UUID }, buf, 3), "UU");
}

static void test_names(void **state)
{
	assert_string_equal(pv_physical_type_name(PV_TYPE_FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
	assert_string_equal(pv_physical_type_name(8), "UNKNOWN");
	assert_string_equal(pv_physical_type_name(-1), "UNKNOWN");
	assert_string_equal(pv_codec_name(PV_CODEC_LZ4_RAW), "LZ4_RAW");
	assert_string_equal(pv_codec_name(PV_CODEC_LZO), "LZO");
	assert_string_equal(pv_codec_name(99), "UNKNOWN");
	assert_string_equal(pv_encoding_name(PV_ENC_BYTE_STREAM_SPLIT), "BYTE_STREAM_SPLIT");
	assert_string_equal(pv_encoding_name(PV_ENC_RLE_DICTIONARY), "RLE_DICTIONARY");
	assert_string_equal(pv_converted_type_name(PV_CONV_INTERVAL), "INTERVAL");
	assert_string_equal(pv_converted_type_name(PV_CONV_MAP_KEY_VALUE), "MAP_KEY_VALUE");
	assert_string_equal(pv_logical_kind_name(9), "UNKNOWN");
	assert_string_equal(pv_logical_kind_name(PV_LOGICAL_FUTURE), "FUTURE");
	assert_string_equal(pv_page_type_name(PV_PAGE_DATA_V2), "DATA_PAGE_V2");
	assert_string_equal(pv_repetition_name(PV_REP_REPEATED), "REPEATED");
	assert_string_equal(pv_boundary_order_name(PV_BOUNDARY_DESCENDING), "DESCENDING");
}

static void test_plaintext_footer_encryption(void **state)
{
	loaded l;
	load(&l, "data/encrypt_columns_plaintext_footer.parquet.encrypted");
	assert_true(l.m->has_encryption_algorithm);
	assert_int_equal(l.m->encryption_algorithm.kind, 1);
	assert_true(l.m->has_footer_signing_key_metadata);
	size_t n_encrypted = 0;
	for (size_t c = 0; c < l.m->row_groups[0].n_columns; c++) {
		const pv_column_chunk *cc = &l.m->row_groups[0].columns[c];
		if (!cc->encrypted)
			continue;
		n_encrypted++;
		assert_int_equal(cc->crypto_metadata.kind, 2);
		assert_int_equal(cc->crypto_metadata.n_path_in_schema, 1);
		assert_true(cc->has_encrypted_column_metadata);
	}
	assert_int_equal(n_encrypted, 2);
	unload(&l);
}

/* A column chunk of an encrypted column may lack meta_data; others may not. */
static void test_missing_meta_data(void **state)
{
	pv_schema_element schema[2] = {
		{ .name = "r", .has_num_children = true, .num_children = 1 },
		{ .name = "x", .has_type = true, .type = PV_TYPE_INT32, .has_repetition = true },
	};
	pv_column_chunk cc = { .encrypted = true, .crypto_metadata = { .kind = 1 } };
	pv_row_group rg = { .columns = &cc, .n_columns = 1, .num_rows = 1 };
	pv_file_meta m = { .version = 2, .schema = schema, .n_schema = 2, .num_rows = 1,
			   .row_groups = &rg, .n_row_groups = 1 };
	pv_buf b;
	pv_err e;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_buf_init(&b, 0);
	assert_int_equal(pv_meta_write(&m, &b, &e), 0);
	pv_file_meta *out;
	assert_int_equal(pv_meta_parse((const uint8_t *)b.data, b.len, &a, &out, &e), 0);
	assert_true(out->row_groups[0].columns[0].encrypted);
	assert_false(out->row_groups[0].columns[0].has_meta_data);

	cc.encrypted = false;
	pv_buf_reset(&b);
	assert_int_equal(pv_meta_write(&m, &b, &e), 0);
	assert_int_equal(pv_meta_parse((const uint8_t *)b.data, b.len, &a, &out, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer: row group 0: column chunk 0: missing 'meta_data'");

	/* Wrong column count for the schema. */
	pv_column_chunk two[2] = { { .encrypted = true }, { .encrypted = true } };
	rg.columns = two;
	rg.n_columns = 2;
	pv_buf_reset(&b);
	assert_int_equal(pv_meta_write(&m, &b, &e), 0);
	assert_int_equal(pv_meta_parse((const uint8_t *)b.data, b.len, &a, &out, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer: row group 0 has 2 column chunks but the schema has 1 leaves");

	/* Negative row counts. */
	rg.n_columns = 1;
	rg.num_rows = -5;
	pv_buf_reset(&b);
	assert_int_equal(pv_meta_write(&m, &b, &e), 0);
	assert_int_equal(pv_meta_parse((const uint8_t *)b.data, b.len, &a, &out, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer: row group 0: negative num_rows -5");
	pv_buf_release(&b);
	pv_arena_release(&a);
}

static void test_required_fields(void **state)
{
	pv_err e;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_file_meta *m;
	/* An empty struct. */
	const uint8_t empty[] = { 0x00 };
	assert_int_equal(pv_meta_parse(empty, sizeof empty, &a, &m, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer: missing 'version'");
	/* version 1, empty schema list, num_rows 0, empty row groups. */
	const uint8_t noschema[] = { 0x15, 0x02, 0x19, 0x0c, 0x16, 0x00, 0x19, 0x0c, 0x00 };
	assert_int_equal(pv_meta_parse(noschema, sizeof noschema, &a, &m, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer: schema: the schema is empty");
	/* Unknown fields are skipped: field 20 (a struct) after the rest. */
	const uint8_t unknown[] = { 0x15, 0x02, 0x19, 0x1c, 0x48, 0x01, 'r', 0x00, 0x16, 0x00,
				    0x19, 0x0c, 0x0c, 0x28, 0x15, 0x02, 0x00, 0x00 };
	assert_int_equal(pv_meta_parse(unknown, sizeof unknown, &a, &m, &e), 0);
	assert_int_equal(m->n_schema, 1);
	assert_string_equal(m->schema[0].name, "r");
	assert_int_equal(m->n_leaves, 0);
	/* Footer too large. */
	assert_int_equal(pv_meta_parse(empty, PV_FOOTER_MAX + 1, &a, &m, &e), PV_ELIMIT);
	pv_arena_release(&a);
}

static void test_footer_locate(void **state)
{
	pv_err e;
	int64_t off;
	uint32_t len;
	uint8_t tail[8] = { 4, 0, 0, 0, 'P', 'A', 'R', '1' };
	assert_int_equal(pv_footer_locate(tail, 8, 16, &off, &len, &e), 0);
	assert_int_equal(off, 4);
	assert_int_equal(len, 4);
	assert_int_equal(pv_footer_locate(tail, 8, 15, &off, &len, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer length 4 points outside the file");
	assert_int_equal(pv_footer_locate(tail, 8, 11, &off, &len, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "file of 11 bytes is too small to be parquet");
	assert_int_equal(pv_footer_locate(tail, 7, 100, &off, &len, &e), PV_EINVAL);
	uint8_t huge[8] = { 0x40, 0xe2, 0x01, 0, 'P', 'A', 'R', '1' };
	assert_int_equal(pv_footer_locate(huge, 8, 1000, &off, &len, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "footer length 123456 points outside the file");
	uint8_t max[8] = { 0xff, 0xff, 0xff, 0xff, 'P', 'A', 'R', '1' };
	assert_int_equal(pv_footer_locate(max, 8, 1000, &off, &len, &e), PV_ECORRUPT);
	uint8_t pare[8] = { 4, 0, 0, 0, 'P', 'A', 'R', 'E' };
	assert_int_equal(pv_footer_locate(pare, 8, 100, &off, &len, &e), PV_EUNSUPPORTED);
	assert_string_equal(e.msg, "encrypted footer (PARE): parqview cannot read files whose footer is encrypted");
	uint8_t junk[8] = { 4, 0, 0, 0, 'P', 'K', 3, 4 };
	assert_int_equal(pv_footer_locate(junk, 8, 100, &off, &len, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "not a parquet file (no PAR1 magic at the end)");

	assert_int_equal(pv_magic_check_head((const uint8_t *)"PAR1", 4, &e), 0);
	assert_int_equal(pv_magic_check_head((const uint8_t *)"PARE", 4, &e), PV_EUNSUPPORTED);
	assert_int_equal(pv_magic_check_head((const uint8_t *)"PK\3\4", 4, &e), PV_ECORRUPT);
	assert_int_equal(pv_magic_check_head((const uint8_t *)"PA", 2, &e), PV_ECORRUPT);
}

/* Every chunk's first page header in the corpus parses; truncated headers
 * report 0 and ask for more; the writer round-trips them. */
static void test_page_headers(void **state)
{
	files f = corpus("data");
	size_t n_headers = 0;
	pv_arena a;
	pv_arena_init(&a, 0);
	for (size_t i = 0; i < f.n; i++) {
		const char *path = f.v[i];
		if (encrypted_footer(path) || ends_with(path, ".encrypted"))
			continue;
		size_t size;
		uint8_t *file = slurp(path, &size);
		pv_err e;
		int64_t off;
		uint32_t len;
		pv_file_meta *m;
		assert_int_equal(pv_footer_locate(file + size - 8, 8, (int64_t)size, &off, &len, &e), 0);
		assert_int_equal(pv_meta_parse(file + off, len, &a, &m, &e), 0);
		for (size_t g = 0; g < m->n_row_groups; g++)
			for (size_t c = 0; c < m->row_groups[g].n_columns; c++) {
				const pv_column_chunk *cc = &m->row_groups[g].columns[c];
				const pv_column_meta *cm = &cc->meta_data;
				int64_t at = cm->data_page_offset;
				if (cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0 &&
				    cm->dictionary_page_offset < at)
					at = cm->dictionary_page_offset;
				if (at <= 0 || at >= (int64_t)size)
					continue;
				pv_page_header h;
				size_t hl;
				int rc = pv_page_header_parse(file + at, size - (size_t)at, &a, &h, &hl, &e);
				if (rc)
					fail_msg("%s: row group %zu column %zu: %s", path, g, c, e.msg);
				assert_true(hl > 0 && hl < size);
				assert_true(h.type == PV_PAGE_DATA || h.type == PV_PAGE_DICTIONARY ||
					    h.type == PV_PAGE_DATA_V2);
				n_headers++;
				for (size_t cut = 0; cut < hl; cut++) {
					pv_page_header h2;
					size_t hl2;
					assert_int_equal(pv_page_header_parse(file + at, cut, &a, &h2, &hl2, &e),
							 PV_ECORRUPT);
					if (hl2 != 0)
						fail_msg("%s: cut %zu of %zu: %s", path, cut, hl, e.msg);
				}
				pv_buf b;
				pv_buf_init(&b, 0);
				assert_int_equal(pv_page_header_write(&h, &b, &e), 0);
				pv_page_header h3;
				size_t hl3;
				assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &h3, &hl3, &e), 0);
				assert_int_equal(hl3, b.len);
				assert_int_equal(h3.type, h.type);
				assert_int_equal(h3.compressed_page_size, h.compressed_page_size);
				assert_int_equal(h3.has_crc, h.has_crc);
				assert_int_equal(h3.crc, h.crc);
				pv_buf_release(&b);
			}
		pv_arena_reset(&a);
		free(file);
	}
	assert_true(n_headers > 300);
	pv_arena_release(&a);
	files_free(&f);
}

static void test_page_header_rules(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_page_header h = { .type = PV_PAGE_DICTIONARY, .uncompressed_page_size = 10,
			     .compressed_page_size = 10, .has_dictionary_page_header = true,
			     .dictionary_page_header = { .num_values = -1 } };
	pv_page_header out;
	size_t hl;
	assert_int_equal(pv_page_header_write(&h, &b, &e), 0);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), PV_ECORRUPT);
	assert_int_equal(hl, SIZE_MAX);
	assert_string_equal(e.msg, "page header: dictionary_page_header: negative dictionary size -1");

	h = (pv_page_header){ .type = PV_PAGE_DATA, .uncompressed_page_size = 10, .compressed_page_size = 10 };
	pv_buf_reset(&b);
	pv_page_header_write(&h, &b, &e);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "page header: DATA_PAGE without 'data_page_header'");

	h = (pv_page_header){ .type = PV_PAGE_DATA_V2, .uncompressed_page_size = 10, .compressed_page_size = 10,
			      .has_data_page_header_v2 = true,
			      .data_page_header_v2 = { .num_values = 5, .num_nulls = 1, .num_rows = 5,
						       .definition_levels_byte_length = 8,
						       .repetition_levels_byte_length = 8 } };
	pv_buf_reset(&b);
	pv_page_header_write(&h, &b, &e);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "level lengths 8 + 8 exceed the page's 10 bytes"));

	h.data_page_header_v2.definition_levels_byte_length = 2;
	h.data_page_header_v2.repetition_levels_byte_length = 0;
	h.data_page_header_v2.has_statistics = true;
	h.data_page_header_v2.statistics = (pv_statistics){ .has_null_count = true, .null_count = 1,
							    .has_min_value = true,
							    .min_value = { (const uint8_t *)"\1\0\0\0", 4 } };
	pv_buf_reset(&b);
	pv_page_header_write(&h, &b, &e);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), 0);
	assert_true(out.data_page_header_v2.is_compressed); /* absent means compressed */
	assert_false(out.data_page_header_v2.has_is_compressed);
	assert_true(out.data_page_header_v2.has_statistics);
	assert_int_equal(out.data_page_header_v2.statistics.min_value.len, 4);

	h.data_page_header_v2.num_nulls = 6;
	pv_buf_reset(&b);
	pv_page_header_write(&h, &b, &e);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "num_nulls 6 exceeds num_values 5"));

	h = (pv_page_header){ .type = PV_PAGE_DATA, .uncompressed_page_size = -1, .compressed_page_size = 10,
			      .has_data_page_header = true };
	pv_buf_reset(&b);
	pv_page_header_write(&h, &b, &e);
	assert_int_equal(pv_page_header_parse((const uint8_t *)b.data, b.len, &a, &out, &hl, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "negative page size"));
	pv_buf_release(&b);
	pv_arena_release(&a);
}

static void test_page_index_corpus(void **state)
{
	files f = corpus("data");
	size_t n_ci = 0, n_oi = 0;
	pv_arena a;
	pv_arena_init(&a, 0);
	for (size_t i = 0; i < f.n; i++) {
		const char *path = f.v[i];
		if (ends_with(path, ".encrypted"))
			continue;
		size_t size;
		uint8_t *file = slurp(path, &size);
		pv_err e;
		int64_t off;
		uint32_t len;
		pv_file_meta *m;
		pv_schema *s;
		assert_int_equal(pv_footer_locate(file + size - 8, 8, (int64_t)size, &off, &len, &e), 0);
		assert_int_equal(pv_meta_parse(file + off, len, &a, &m, &e), 0);
		assert_int_equal(pv_schema_build(m, &a, &s, &e), 0);
		for (size_t g = 0; g < m->n_row_groups; g++)
			for (size_t c = 0; c < m->row_groups[g].n_columns; c++) {
				const pv_column_chunk *cc = &m->row_groups[g].columns[c];
				if (cc->has_column_index_offset && cc->has_column_index_length) {
					pv_column_index ci;
					if (pv_column_index_parse(file + cc->column_index_offset,
								  (size_t)cc->column_index_length, &a, &ci, &e))
						fail_msg("%s: column index %zu/%zu: %s", path, g, c, e.msg);
					for (size_t p = 0; p < ci.n_pages; p++) {
						pv_value v;
						if (ci.null_pages[p])
							continue;
						if (pv_stats_value(s->leaves[c], ci.min_values[p].ptr, ci.min_values[p].len, &v, &e) ||
						    pv_stats_value(s->leaves[c], ci.max_values[p].ptr, ci.max_values[p].len, &v, &e))
							fail_msg("%s: column index %zu/%zu page %zu: %s", path, g, c, p, e.msg);
					}
					pv_buf b;
					pv_buf_init(&b, 0);
					assert_int_equal(pv_column_index_write(&ci, &b, &e), 0);
					pv_column_index ci2;
					assert_int_equal(pv_column_index_parse((const uint8_t *)b.data, b.len, &a, &ci2, &e), 0);
					assert_int_equal(ci2.n_pages, ci.n_pages);
					assert_int_equal(ci2.has_null_counts, ci.has_null_counts);
					pv_buf_release(&b);
					n_ci++;
				}
				if (cc->has_offset_index_offset && cc->has_offset_index_length) {
					pv_offset_index oi;
					if (pv_offset_index_parse(file + cc->offset_index_offset,
								  (size_t)cc->offset_index_length, &a, &oi, &e))
						fail_msg("%s: offset index %zu/%zu: %s", path, g, c, e.msg);
					assert_true(oi.n_page_locations > 0);
					pv_buf b;
					pv_buf_init(&b, 0);
					assert_int_equal(pv_offset_index_write(&oi, &b, &e), 0);
					assert_int_equal((size_t)cc->offset_index_length, b.len);
					assert_memory_equal(b.data, file + cc->offset_index_offset, b.len);
					pv_buf_release(&b);
					n_oi++;
				}
			}
		pv_arena_reset(&a);
		free(file);
	}
	assert_true(n_ci > 20);
	assert_true(n_oi > 20);
	pv_arena_release(&a);
	files_free(&f);
}

static void test_page_index_rules(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_buf b;
	pv_buf_init(&b, 0);
	bool nulls[2] = { false, true };
	pv_bytes mins[2] = { { (const uint8_t *)"a", 1 }, { NULL, 0 } };
	int64_t counts[1] = { 0 };
	pv_column_index ci = { .n_pages = 2, .null_pages = nulls, .min_values = mins, .max_values = mins,
			       .boundary_order = PV_BOUNDARY_ASCENDING };
	pv_column_index out;
	assert_int_equal(pv_column_index_write(&ci, &b, &e), 0);
	assert_int_equal(pv_column_index_parse((const uint8_t *)b.data, b.len, &a, &out, &e), 0);
	assert_int_equal(out.n_pages, 2);
	assert_true(out.null_pages[1]);
	assert_int_equal(out.min_values[0].len, 1);
	assert_int_equal(out.boundary_order, PV_BOUNDARY_ASCENDING);

	/* A null_counts list of the wrong length. */
	ci.has_null_counts = true;
	ci.null_counts = counts;
	ci.n_pages = 1;
	pv_buf_reset(&b);
	pv_thrift_writer w;
	pv_thrift_writer_init(&w, &b, &e);
	pv_thrift_write_struct_begin(&w);
	pv_thrift_write_field(&w, PV_THRIFT_LIST, 1);
	pv_thrift_write_list_begin(&w, PV_THRIFT_BOOL, 2);
	pv_thrift_write_bool(&w, false);
	pv_thrift_write_bool(&w, false);
	for (int16_t fid = 2; fid <= 3; fid++) {
		pv_thrift_write_field(&w, PV_THRIFT_LIST, fid);
		pv_thrift_write_list_begin(&w, PV_THRIFT_BINARY, 2);
		pv_thrift_write_binary(&w, "a", 1);
		pv_thrift_write_binary(&w, "b", 1);
	}
	pv_thrift_write_field_i32(&w, 4, 0);
	pv_thrift_write_field(&w, PV_THRIFT_LIST, 5);
	pv_thrift_write_list_begin(&w, PV_THRIFT_I64, 1);
	pv_thrift_write_i64(&w, 0);
	pv_thrift_write_struct_end(&w);
	assert_int_equal(pv_column_index_parse((const uint8_t *)b.data, b.len, &a, &out, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "column index: 1 null_counts for 2 pages");

	/* Offset index rows going backwards, and a bad size. */
	pv_page_location loc[2] = { { 4, 100, 10 }, { 104, 100, 5 } };
	pv_offset_index oi = { .page_locations = loc, .n_page_locations = 2 };
	pv_offset_index oo;
	pv_buf_reset(&b);
	assert_int_equal(pv_offset_index_write(&oi, &b, &e), 0);
	assert_int_equal(pv_offset_index_parse((const uint8_t *)b.data, b.len, &a, &oo, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "offset index: page location 1: first_row_index goes backwards");
	loc[1].first_row_index = 20;
	loc[1].compressed_page_size = 0;
	pv_buf_reset(&b);
	pv_offset_index_write(&oi, &b, &e);
	assert_int_equal(pv_offset_index_parse((const uint8_t *)b.data, b.len, &a, &oo, &e), PV_ECORRUPT);
	loc[1].compressed_page_size = 100;
	pv_buf_reset(&b);
	pv_offset_index_write(&oi, &b, &e);
	assert_int_equal(pv_offset_index_parse((const uint8_t *)b.data, b.len, &a, &oo, &e), 0);
	assert_int_equal(oo.page_locations[1].offset, 104);
	/* Truncated: clean error. */
	assert_int_equal(pv_offset_index_parse((const uint8_t *)b.data, b.len - 1, &a, &oo, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "offset index truncated"));
	pv_buf_release(&b);
	pv_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_parses),
		cmocka_unit_test(test_bad_data),
		cmocka_unit_test(test_truncation_and_flips),
		cmocka_unit_test(test_alltypes_plain),
		cmocka_unit_test(test_column_kv_and_sorting),
		cmocka_unit_test(test_bloom_and_encoding_stats),
		cmocka_unit_test(test_bloom_files),
		cmocka_unit_test(test_logical_types),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_plaintext_footer_encryption),
		cmocka_unit_test(test_missing_meta_data),
		cmocka_unit_test(test_required_fields),
		cmocka_unit_test(test_footer_locate),
		cmocka_unit_test(test_page_headers),
		cmocka_unit_test(test_page_header_rules),
		cmocka_unit_test(test_page_index_corpus),
		cmocka_unit_test(test_page_index_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
