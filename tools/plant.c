/*
 * plant.c - plants one corruption in a copy of a Parquet file, for the
 * doctor's tests. The input is never modified; OUT is written whole.
 *
 *   plant IN OUT footer EDIT...       footer fields, re-serialized with
 *                                     pv_meta_write (which round-trips
 *                                     byte-identically):
 *       num_rows=N  rg.R.num_rows=N  rg.R.col.C.null_count=N
 *       rg.R.col.C.min=V  rg.R.col.C.max=V   (min_value/max_value, or the
 *                                     deprecated min/max when only they exist)
 *       rg.R.col.C.legacy_min=V  rg.R.col.C.legacy_max=V  (the deprecated
 *                                     min/max, dropping min_value/max_value)
 *       dup_rg=R                      appends a copy of row group R (same
 *                                     byte ranges) and adds its rows
 *   plant IN OUT index EDIT...        page index entries; the rewritten
 *                                     index is appended before the footer:
 *       ci.R.C.min.K=V  ci.R.C.max.K=V  ci.R.C.null_page.K=0|1
 *       ci.R.C.null_count.K=N  oi.R.C.first_row.K=N
 *   plant IN OUT flip R C P K         flips every bit of byte K of page P's
 *                                     body (pages numbered as meta --pages)
 *   plant IN OUT patch R C P TEXT HH  sets the first byte of TEXT, found in
 *                                     page P's body, to hex HH
 *   plant IN OUT pagehdr R C P F=N    rewrites a page header field
 *                                     (num_values, dict_num_values,
 *                                     num_nulls); the header must keep its
 *                                     length
 *   plant IN OUT bloom_zero R C       clears the bloom filter's bitset
 * Values V: i32:N, u32:N, i64:N, f64:X, str:TEXT, hex:AABB.
 * Exit 0, or 1 with one line on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cursor.h"
#include "format/meta.h"
#include "format/pages.h"
#include "io/source.h"
#include "read/bloom.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "read/pfile.h"
#include "base/banned.h"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "plant: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open '%s'", path);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc((size_t)len + 1);
	if (!p || fread(p, 1, (size_t)len, f) != (size_t)len)
		die("cannot read '%s'", path);
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		die("cannot write '%s'", path);
}

static long long num(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end)
		die("not a number: '%s'", s);
	return v;
}

/* V -> PLAIN bytes, allocated in a. */
static pv_bytes value(pv_arena *a, const char *v)
{
	pv_bytes b = { 0 };
	uint8_t tmp[8];
	const uint8_t *src = tmp;
	if (!strncmp(v, "i32:", 4)) {
		int32_t x = (int32_t)num(v + 4);
		memcpy(tmp, &x, 4);
		b.len = 4;
	} else if (!strncmp(v, "i64:", 4)) {
		int64_t x = num(v + 4);
		memcpy(tmp, &x, 8);
		b.len = 8;
	} else if (!strncmp(v, "u32:", 4)) {
		uint32_t x = (uint32_t)strtoull(v + 4, NULL, 10);
		memcpy(tmp, &x, 4);
		b.len = 4;
	} else if (!strncmp(v, "f64:", 4)) {
		double x = strtod(v + 4, NULL);
		memcpy(tmp, &x, 8);
		b.len = 8;
	} else if (!strncmp(v, "str:", 4)) {
		src = (const uint8_t *)v + 4;
		b.len = strlen(v + 4);
	} else if (!strncmp(v, "hex:", 4)) {
		size_t n = strlen(v + 4) / 2;
		uint8_t *p = pv_arena_alloc(a, n + 1, NULL);
		for (size_t i = 0; i < n; i++) {
			unsigned x;
			if (sscanf(v + 4 + 2 * i, "%2x", &x) != 1)
				die("bad hex in '%s'", v);
			p[i] = (uint8_t)x;
		}
		b.ptr = p;
		b.len = n;
		return b;
	} else {
		die("bad value '%s' (i32:, i64:, f64:, str:, hex:)", v);
	}
	uint8_t *p = pv_arena_alloc(a, b.len + 1, NULL);
	memcpy(p, src, b.len);
	b.ptr = p;
	return b;
}

/* Writes prefix + extra + the footer of m + length + magic to out. */
static void write_with_footer(const char *out, const uint8_t *file, size_t prefix, const pv_buf *extra,
			      const pv_file_meta *m)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_err err;
	pv_buf_append(&b, file, prefix, NULL);
	if (extra && extra->len)
		pv_buf_append(&b, extra->data, extra->len, NULL);
	size_t start = b.len;
	if (pv_meta_write(m, &b, &err))
		die("footer: %s", err.msg);
	uint32_t len = (uint32_t)(b.len - start);
	pv_buf_append(&b, &len, 4, NULL);
	pv_buf_append(&b, "PAR1", 4, NULL);
	spit(out, b.data, b.len);
	pv_buf_release(&b);
}

static pv_column_chunk *chunk(pv_pfile *pf, long long r, long long c)
{
	if (r < 0 || (size_t)r >= pf->meta->n_row_groups || c < 0 ||
	    (size_t)c >= pf->meta->row_groups[r].n_columns)
		die("no row group %lld column %lld", r, c);
	return &pf->meta->row_groups[r].columns[c];
}

static void do_footer(pv_pfile *pf, const uint8_t *file, const char *out, int argc, char **argv)
{
	pv_file_meta *m = pf->meta;
	for (int i = 0; i < argc; i++) {
		char key[256];
		const char *eq = strchr(argv[i], '=');
		if (!eq || (size_t)(eq - argv[i]) >= sizeof key)
			die("bad edit '%s'", argv[i]);
		memcpy(key, argv[i], (size_t)(eq - argv[i]));
		key[eq - argv[i]] = '\0';
		const char *v = eq + 1;
		long long r, c;
		char field[64];
		if (!strcmp(key, "num_rows")) {
			m->num_rows = num(v);
		} else if (!strcmp(key, "dup_rg")) {
			long long g = num(v);
			if (g < 0 || (size_t)g >= m->n_row_groups)
				die("no row group %lld", g);
			pv_row_group *rgs = pv_arena_array(&pf->arena, m->n_row_groups + 1, sizeof *rgs, NULL);
			memcpy(rgs, m->row_groups, m->n_row_groups * sizeof *rgs);
			rgs[m->n_row_groups] = m->row_groups[g];
			rgs[m->n_row_groups].has_ordinal = false;
			m->num_rows += m->row_groups[g].num_rows;
			m->row_groups = rgs;
			m->n_row_groups++;
		} else if (sscanf(key, "rg.%lld.col.%lld.%63s", &r, &c, field) == 3) {
			pv_column_chunk *cc = chunk(pf, r, c);
			pv_statistics *st = &cc->meta_data.statistics;
			cc->meta_data.has_statistics = true;
			if (!strcmp(field, "null_count")) {
				st->has_null_count = true;
				st->null_count = num(v);
			} else if (!strcmp(field, "legacy_min") || !strcmp(field, "legacy_max")) {
				/* only the deprecated fields, as writers before 2018 left them */
				st->has_min_value = st->has_max_value = false;
				if (field[8] == 'i') {
					st->has_min = true;
					st->min = value(&pf->arena, v);
				} else {
					st->has_max = true;
					st->max = value(&pf->arena, v);
				}
			} else if (!strcmp(field, "min")) {
				if (st->has_min_value || !st->has_min) {
					st->has_min_value = true;
					st->min_value = value(&pf->arena, v);
				} else {
					st->min = value(&pf->arena, v);
				}
			} else if (!strcmp(field, "max")) {
				if (st->has_max_value || !st->has_max) {
					st->has_max_value = true;
					st->max_value = value(&pf->arena, v);
				} else {
					st->max = value(&pf->arena, v);
				}
			} else {
				die("unknown chunk field '%s'", field);
			}
		} else if (sscanf(key, "rg.%lld.%63s", &r, field) == 2 && !strcmp(field, "num_rows")) {
			if (r < 0 || (size_t)r >= m->n_row_groups)
				die("no row group %lld", r);
			m->row_groups[r].num_rows = num(v);
		} else {
			die("unknown edit '%s'", key);
		}
	}
	write_with_footer(out, file, (size_t)(pf->size - 8 - pf->footer_len), NULL, m);
}

static void do_index(pv_pfile *pf, pv_source *src, const uint8_t *file, const char *out, int argc,
		     char **argv)
{
	pv_buf extra;
	pv_buf_init(&extra, 0);
	int64_t base = pf->size - 8 - pf->footer_len;
	pv_err err;
	for (int i = 0; i < argc; i++) {
		char kind[8], field[32];
		long long r, c, k;
		const char *eq = strchr(argv[i], '=');
		if (!eq || sscanf(argv[i], "%2[a-z].%lld.%lld.%31[a-z_].%lld=", kind, &r, &c, field, &k) != 5)
			die("bad edit '%s'", argv[i]);
		const char *v = eq + 1;
		pv_column_chunk *cc = chunk(pf, r, c);
		size_t start = extra.len;
		if (!strcmp(kind, "ci")) {
			pv_column_index ci;
			if (pv_pageindex_read_columns(src, cc, &pf->arena, &ci, &err))
				die("%s", err.msg);
			if (k < 0 || (size_t)k >= ci.n_pages)
				die("no page %lld", k);
			if (!strcmp(field, "min"))
				ci.min_values[k] = value(&pf->arena, v);
			else if (!strcmp(field, "max"))
				ci.max_values[k] = value(&pf->arena, v);
			else if (!strcmp(field, "null_page"))
				ci.null_pages[k] = num(v) != 0;
			else if (!strcmp(field, "null_count") && ci.has_null_counts)
				ci.null_counts[k] = num(v);
			else
				die("unknown column index field '%s'", field);
			if (pv_column_index_write(&ci, &extra, &err))
				die("%s", err.msg);
			cc->column_index_offset = base + (int64_t)start;
			cc->column_index_length = (int32_t)(extra.len - start);
		} else if (!strcmp(kind, "oi")) {
			pv_offset_index oi;
			if (pv_pageindex_read_offsets(src, cc, -1, &pf->arena, &oi, &err))
				die("%s", err.msg);
			if (k < 0 || (size_t)k >= oi.n_page_locations || strcmp(field, "first_row"))
				die("bad offset index edit '%s'", argv[i]);
			oi.page_locations[k].first_row_index = num(v);
			if (pv_offset_index_write(&oi, &extra, &err))
				die("%s", err.msg);
			cc->offset_index_offset = base + (int64_t)start;
			cc->offset_index_length = (int32_t)(extra.len - start);
		} else {
			die("unknown index '%s'", kind);
		}
	}
	write_with_footer(out, file, (size_t)base, &extra, pf->meta);
	pv_buf_release(&extra);
}

/* Finds page p of chunk (r, c): its header offset and length, body size. */
static pv_page_info find_page(pv_pfile *pf, pv_source *src, long long r, long long c, long long p)
{
	pv_column_chunk *cc = chunk(pf, r, c);
	pv_pagewalk w;
	pv_err err;
	if (pv_pagewalk_open(&w, src, cc, pf->schema->leaves[c]->max_rep, &err))
		die("%s", err.msg);
	for (;;) {
		pv_page_info info;
		bool done;
		if (pv_pagewalk_next(&w, &info, &done, &err))
			die("%s", err.msg);
		if (done)
			die("no page %lld", p);
		if (info.index == p) {
			pv_pagewalk_release(&w);
			return info;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 4)
		die("usage: plant IN OUT footer|index|flip|patch|pagehdr|bloom_zero ARGS...");
	const char *in = argv[1], *out = argv[2], *op = argv[3];
	size_t n;
	uint8_t *file = slurp(in, &n);
	pv_source *src;
	pv_pfile *pf;
	pv_err err;
	if (pv_source_open(in, &src, &err) || pv_pfile_load(src, &pf, &err))
		die("%s: %s", in, err.msg);
	if (!strcmp(op, "footer")) {
		do_footer(pf, file, out, argc - 4, argv + 4);
	} else if (!strcmp(op, "index")) {
		do_index(pf, src, file, out, argc - 4, argv + 4);
	} else if (!strcmp(op, "flip") && argc == 8) {
		pv_page_info p = find_page(pf, src, num(argv[4]), num(argv[5]), num(argv[6]));
		long long k = num(argv[7]);
		if (k < 0 || k >= p.compressed_size)
			die("byte %lld is outside the page body (%d bytes)", k, p.compressed_size);
		file[p.offset + (int64_t)p.header_len + k] ^= 0xff;
		spit(out, file, n);
	} else if (!strcmp(op, "patch") && argc == 9) {
		pv_page_info p = find_page(pf, src, num(argv[4]), num(argv[5]), num(argv[6]));
		const char *text = argv[7];
		size_t tl = strlen(text);
		uint8_t *body = file + p.offset + p.header_len;
		uint8_t *hit = tl ? memmem(body, (size_t)p.compressed_size, text, tl) : NULL;
		if (!hit)
			die("'%s' is not in page %s", text, argv[6]);
		unsigned x;
		if (sscanf(argv[8], "%2x", &x) != 1)
			die("bad byte '%s'", argv[8]);
		*hit = (uint8_t)x;
		spit(out, file, n);
	} else if (!strcmp(op, "pagehdr") && argc == 8) {
		pv_page_info p = find_page(pf, src, num(argv[4]), num(argv[5]), num(argv[6]));
		pv_page_header h;
		pv_arena a;
		pv_arena_init(&a, 0);
		size_t hl;
		if (pv_page_header_parse(file + p.offset, p.header_len, &a, &h, &hl, &err))
			die("%s", err.msg);
		const char *eq = strchr(argv[7], '=');
		if (!eq)
			die("bad edit '%s'", argv[7]);
		int32_t v = (int32_t)num(eq + 1);
		if (!strncmp(argv[7], "dict_num_values=", 16))
			h.dictionary_page_header.num_values = v;
		else if (!strncmp(argv[7], "num_values=", 11) && h.has_data_page_header_v2)
			h.data_page_header_v2.num_values = v;
		else if (!strncmp(argv[7], "num_values=", 11))
			h.data_page_header.num_values = v;
		else if (!strncmp(argv[7], "num_nulls=", 10))
			h.data_page_header_v2.num_nulls = v;
		else
			die("unknown page header field '%s'", argv[7]);
		pv_buf b;
		pv_buf_init(&b, 0);
		if (pv_page_header_write(&h, &b, &err))
			die("%s", err.msg);
		if (b.len != p.header_len)
			die("the header changes length (%zu -> %zu)", p.header_len, b.len);
		memcpy(file + p.offset, b.data, b.len);
		spit(out, file, n);
		pv_buf_release(&b);
		pv_arena_release(&a);
	} else if (!strcmp(op, "bloom_zero") && argc == 6) {
		pv_column_chunk *cc = chunk(pf, num(argv[4]), num(argv[5]));
		pv_bloom_filter bf;
		if (pv_bloom_filter_read(src, cc, &bf, &err))
			die("%s", err.msg);
		memset(file + bf.offset + (int64_t)bf.header_len, 0, bf.n_bytes);
		pv_bloom_filter_release(&bf);
		spit(out, file, n);
	} else {
		die("unknown operation or wrong arguments: '%s'", op);
	}
	pv_pfile_free(pf);
	pv_source_close(src);
	free(file);
	return 0;
}
