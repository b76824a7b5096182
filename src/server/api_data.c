/*
 * api_data.c - the dataset endpoints: health, datasets, files, schema,
 * file metadata and pages, row pages and samples (README "HTTP API").
 * Metadata and schemas are the documents `meta --json` and `schema
 * --json` print (render/metajson.h); rows come from dataset/scan.h and
 * sample.h and are written by rowsjson.h. Only the catalog's datasets are
 * read; a file is named by its index in the dataset.
 * Includes base, dataset, render and server.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset/sample.h"
#include "dataset/scan.h"
#include "render/metajson.h"
#include "server/api.h"
#include "server/rowsjson.h"
#include "base/banned.h"

/* Most rows one page or sample may ask for. */
#define MAX_LIMIT 10000

const pv_catalog_entry *pv_api_dataset_param(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_catalog_find(&q->srv->cat, q->params[0]);
	if (!e)
		pv_http_error(r, 404, "not_found", "no dataset '%.80s'", q->params[0]);
	return e;
}

int pv_api_health(pv_http_req *q, pv_http_resp *r)
{
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_json_object_begin(&j);
	pv_json_kbool(&j, "ok", true);
	pv_json_kstr(&j, "version", q->srv->opts.version);
	pv_json_object_end(&j);
	pv_http_json_end(r, &j);
	return 0;
}

int pv_api_datasets(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog *cat = &q->srv->cat;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_json_object_begin(&j);
	pv_json_key(&j, "datasets");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < cat->n; i++) {
		const pv_catalog_entry *e = &cat->items[i];
		const pv_dataset *ds = e->ds;
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "id", e->id);
		pv_json_key(&j, "paths");
		pv_json_array_begin(&j);
		for (size_t k = 0; k < e->n_paths; k++)
			pv_json_str(&j, e->paths[k]);
		pv_json_array_end(&j);
		pv_json_kint(&j, "n_files", (int64_t)ds->n_files);
		pv_json_kint(&j, "n_unreadable", (int64_t)ds->n_failed);
		pv_json_kint(&j, "n_rows", e->map.n_rows);
		pv_json_kint(&j, "n_row_groups", ds->n_row_groups);
		pv_json_kint(&j, "bytes", e->bytes);
		pv_json_kint(&j, "columns", (int64_t)ds->n_columns);
		pv_json_key(&j, "partitions");
		pv_json_array_begin(&j);
		for (size_t p = 0; p < ds->n_partitions; p++) {
			pv_json_object_begin(&j);
			pv_json_kstr(&j, "name", ds->partitions[p].key);
			pv_json_kstr(&j, "type", pv_hive_type_name(ds->partitions[p].type));
			pv_json_object_end(&j);
		}
		pv_json_array_end(&j);
		pv_json_key(&j, "problems");
		pv_problems_json(&e->problems, &j);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_object_end(&j);
	pv_http_json_end(r, &j);
	return 0;
}

/* The path of file f relative to the path it was found under. */
static const char *rel_path(const pv_dataset *ds, size_t f)
{
	for (size_t i = 0; i < ds->paths.n_items; i++)
		if (!strcmp(ds->paths.items[i].path, ds->files[f].path))
			return ds->paths.items[i].rel;
	return ds->files[f].path;
}

int pv_api_files(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	if (!e)
		return 0;
	const pv_dataset *ds = e->ds;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_json_object_begin(&j);
	pv_json_key(&j, "files");
	pv_json_array_begin(&j);
	for (size_t f = 0; f < ds->n_files; f++) {
		const pv_dataset_file *df = &ds->files[f];
		pv_json_object_begin(&j);
		pv_json_kint(&j, "index", (int64_t)f);
		pv_json_kstr(&j, "path", rel_path(ds, f));
		pv_json_kint(&j, "first_row", e->map.file_first[f]);
		pv_json_kint(&j, "rows", e->map.file_rows[f]);
		if (df->pf) {
			pv_json_kint(&j, "bytes", df->pf->size);
			pv_json_kint(&j, "row_groups", (int64_t)df->pf->meta->n_row_groups);
			pv_json_kstr(&j, "created_by", df->pf->meta->created_by);
		}
		pv_json_key(&j, "partitions");
		pv_json_object_begin(&j);
		for (size_t k = 0; k < df->n_parts; k++)
			pv_json_kstr(&j, df->parts[k].key, df->parts[k].value);
		pv_json_object_end(&j);
		pv_json_key(&j, "error");
		if (df->pf)
			pv_json_null(&j);
		else
			pv_json_str(&j, df->err->msg);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_object_end(&j);
	pv_http_json_end(r, &j);
	return 0;
}

int pv_api_schema(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	if (!e)
		return 0;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_metajson_schema(&j, e->ds);
	pv_http_json_end(r, &j);
	return 0;
}

/* The readable file named by q->params[1], or NULL with the error in r. */
static const pv_pfile *file_param(pv_http_req *q, pv_http_resp *r, const pv_catalog_entry *e)
{
	const char *s = q->params[1];
	size_t f = 0;
	bool digits = *s && strlen(s) <= 9;
	for (const char *p = s; digits && *p; p++) {
		digits = *p >= '0' && *p <= '9';
		f = f * 10 + (size_t)(*p - '0');
	}
	if (!digits || f >= e->ds->n_files) {
		pv_http_error(r, 404, "not_found", "no file '%.40s' in dataset '%s' (it has %zu)", s,
			      e->id, e->ds->n_files);
		return NULL;
	}
	const pv_dataset_file *df = &e->ds->files[f];
	if (!df->pf)
		pv_http_error(r, 422, "data_error", "%s", df->err->msg);
	return df->pf;
}

int pv_api_file_meta(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	const pv_pfile *pf = e ? file_param(q, r, e) : NULL;
	if (!pf)
		return 0;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_metajson_file(&j, pf, NULL);
	pv_http_json_end(r, &j);
	return 0;
}

typedef struct pages_sel {
	int64_t rg;
	const char *column;
} pages_sel;

static bool pages_rg(const void *ctx, size_t g)
{
	return (int64_t)g == ((const pages_sel *)ctx)->rg;
}

static bool pages_column(const void *ctx, const pv_schema_node *leaf)
{
	return !strcmp(leaf->path, ((const pages_sel *)ctx)->column);
}

int pv_api_file_pages(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	const pv_pfile *pf = e ? file_param(q, r, e) : NULL;
	if (!pf)
		return 0;
	pages_sel ps = { .column = pv_http_arg(q, "column") };
	ps.rg = pv_http_arg_i64(q, r, "rg", 0, INT32_MAX);
	if (ps.rg < 0)
		return 0;
	if ((size_t)ps.rg >= pf->meta->n_row_groups) {
		pv_http_error(r, 404, "not_found", "no row group %lld (the file has %zu)",
			      (long long)ps.rg, pf->meta->n_row_groups);
		return 0;
	}
	if (!ps.column || !*ps.column) {
		pv_http_error(r, 400, "bad_request", "'column' names a leaf column path");
		return 0;
	}
	bool found = false;
	for (size_t c = 0; c < pf->schema->n_leaves && !found; c++)
		found = !strcmp(pf->schema->leaves[c]->path, ps.column);
	if (!found) {
		pv_http_error(r, 404, "not_found", "no leaf column '%.200s' in '%s'", ps.column,
			      pf->path);
		return 0;
	}
	pv_metajson_sel sel = { .column = pages_column, .row_group = pages_rg, .ctx = &ps,
				.pages = true, .index = true };
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_metajson_file(&j, pf, &sel);
	pv_http_json_end(r, &j);
	return 0;
}

/* ---- rows */

/* Reads the sampled ranges of e through a scan into a page of rows with
 * their global row numbers. Fills r (the page or the error). */
static void sample_page(pv_http_req *q, pv_http_resp *r, const pv_catalog_entry *e,
			const pv_row_range *ranges, size_t n_ranges, int64_t limit, uint64_t seed)
{
	pv_err err;
	pv_err_clear(&err);
	const char *columns = pv_http_arg(q, "columns");
	pv_scan_opts so = { .columns = columns,
			    .batch_rows = limit < 1024 ? (limit ? limit : 1) : 1024,
			    .cache = e->cache };
	pv_scan *s = NULL;
	struct ArrowSchema schema = { 0 };
	pv_rowsjson rj;
	memset(&rj, 0, sizeof rj);
	pv_buf numbers; /* the row numbers, as JSON text */
	pv_buf_init(&numbers, 0);
	int rc = pv_scan_open(e->ds, &so, ranges, n_ranges, &s, &err);
	if (!rc)
		rc = pv_scan_schema(s, &schema, &err);
	if (!rc)
		rc = pv_rowsjson_open(&rj, &schema, PV_HTTP_MAX_RESPONSE - 4096, &err);
	bool full = false;
	while (!rc && !full) {
		struct ArrowArray b;
		int64_t first;
		rc = pv_scan_next(s, &b, &first, &err);
		if (rc || !b.release)
			break;
		int64_t before = rj.n_rows;
		rc = pv_rowsjson_add(&rj, &b, first, &full, &err);
		for (int64_t i = 0; !rc && i < rj.n_rows - before; i++)
			rc = pv_buf_printf(&numbers, &err, "%s%lld", numbers.len ? "," : "",
					   (long long)(first + i));
		b.release(&b);
	}
	if (rc) {
		pv_http_error_from(r, &err);
	} else {
		pv_json j;
		pv_http_json_begin(r, &j);
		pv_json_object_begin(&j);
		pv_json_key(&j, "columns");
		if (pv_rowsjson_columns(&j, &schema, &err))
			j.error = err.code;
		pv_json_key(&j, "seed");
		pv_json_uint(&j, seed);
		pv_json_kint(&j, "total", e->map.n_rows);
		pv_json_kint(&j, "n_rows", rj.n_rows);
		pv_json_kbool(&j, "truncated", rj.truncated);
		pv_json_key(&j, "row_numbers");
		pv_buf_putc(&numbers, ']', NULL);
		pv_buf t;
		pv_buf_init(&t, 0);
		if (pv_buf_putc(&t, '[', NULL) || pv_buf_append(&t, numbers.data, numbers.len, NULL))
			j.error = PV_ENOMEM;
		else
			pv_json_raw(&j, t.data, t.len);
		pv_buf_release(&t);
		pv_json_key(&j, "rows");
		pv_rowsjson_rows(&rj, &j);
		pv_json_object_end(&j);
		pv_http_json_end(r, &j);
	}
	pv_buf_release(&numbers);
	pv_rowsjson_release(&rj);
	if (schema.release)
		schema.release(&schema);
	pv_scan_close(s);
}

/* Row pages are cut from aligned blocks of BLOCK_ROWS rows, each decoded
 * once and kept in the page cache as its rows' JSON lines: requests for
 * nearby or overlapping pages, from one grid or many clients, then share
 * the decoding, and a block is read start to end (forward, the cheap way
 * for a row group reader). */
#define BLOCK_ROWS 1000

/* Replaces out with the lines ("[...]\n" a row) of block b for columns,
 * from the page cache or decoded; *out_cut when the block's text reached
 * the response cap before its last row. */
static int block_rows(pv_http_req *q, const pv_catalog_entry *e, const char *columns, int64_t b,
		      pv_buf *out, bool *out_cut, pv_err *err)
{
	*out_cut = false;
	char key[700];
	snprintf(key, sizeof key, "%s\n%lld\n%.500s", e->id, (long long)b, columns ? columns : "");
	bool cacheable = !columns || strlen(columns) <= 500;
	if (cacheable && pv_pagecache_get(q->srv->pages, key, out))
		return 0;
	pv_row_range range = { b * BLOCK_ROWS, BLOCK_ROWS };
	pv_scan_opts so = { .columns = columns, .batch_rows = BLOCK_ROWS, .cache = e->cache };
	pv_scan *s = NULL;
	struct ArrowSchema schema = { 0 };
	pv_rowsjson rj;
	memset(&rj, 0, sizeof rj);
	int rc = pv_scan_open(e->ds, &so, &range, 1, &s, err);
	if (!rc)
		rc = pv_scan_schema(s, &schema, err);
	if (!rc)
		rc = pv_rowsjson_open(&rj, &schema, PV_HTTP_MAX_RESPONSE - 4096, err);
	bool full = false;
	while (!rc && !full) {
		struct ArrowArray a;
		int64_t first;
		rc = pv_scan_next(s, &a, &first, err);
		if (rc || !a.release)
			break;
		rc = pv_rowsjson_add(&rj, &a, first, &full, err);
		a.release(&a);
	}
	pv_buf_reset(out);
	if (!rc && rj.text.len)
		rc = pv_buf_append(out, rj.text.data, rj.text.len, err);
	*out_cut = rj.truncated;
	if (!rc && cacheable && !rj.truncated)
		pv_pagecache_put(q->srv->pages, key, out->data ? out->data : "", out->len);
	pv_rowsjson_release(&rj);
	if (schema.release)
		schema.release(&schema);
	pv_scan_close(s);
	return rc;
}

int pv_api_rows(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	if (!e)
		return 0;
	int64_t offset = pv_http_arg_i64(q, r, "offset", 0, INT64_MAX / 2);
	int64_t limit = offset < 0 ? -1 : pv_http_arg_i64(q, r, "limit", 100, MAX_LIMIT);
	if (limit < 0)
		return 0;
	const char *columns = pv_http_arg(q, "columns");
	pv_err err;
	pv_err_clear(&err);
	/* the columns and their types, and a check of the names, from a scan
	 * of no rows */
	pv_row_range none = { 0, 0 };
	pv_scan_opts so = { .columns = columns };
	pv_scan *s = NULL;
	struct ArrowSchema schema = { 0 };
	int rc = pv_scan_open(e->ds, &so, &none, 1, &s, &err);
	if (!rc)
		rc = pv_scan_schema(s, &schema, &err);
	pv_scan_close(s);
	int64_t total = e->map.n_rows;
	int64_t end = offset + limit < total ? offset + limit : total;
	pv_buf rows, block;
	pv_buf_init(&rows, 0);
	pv_buf_init(&block, 0);
	int64_t n_rows = 0;
	bool truncated = false;
	if (!rc)
		rc = pv_buf_putc(&rows, '[', &err);
	for (int64_t b = offset / BLOCK_ROWS; !rc && !truncated && b * BLOCK_ROWS < end; b++) {
		bool cut;
		rc = block_rows(q, e, columns, b, &block, &cut, &err);
		int64_t row = b * BLOCK_ROWS;
		size_t at = 0;
		while (!rc && at < block.len && row < end) {
			const char *nl = memchr(block.data + at, '\n', block.len - at);
			size_t len = nl ? (size_t)(nl - (block.data + at)) : block.len - at;
			if (row >= offset) {
				if (rows.len + len + 2 > PV_HTTP_MAX_RESPONSE - 4096) {
					truncated = true;
					break;
				}
				if (n_rows++)
					rc = pv_buf_putc(&rows, ',', &err);
				if (!rc)
					rc = pv_buf_append(&rows, block.data + at, len, &err);
			}
			at += len + 1;
			row++;
		}
		/* a block cut at the cap lacks its last rows */
		if (!rc && cut && row < end)
			truncated = true;
	}
	if (!rc)
		rc = pv_buf_putc(&rows, ']', &err);
	if (rc) {
		pv_http_error_from(r, &err);
	} else {
		pv_json j;
		pv_http_json_begin(r, &j);
		pv_json_object_begin(&j);
		pv_json_key(&j, "columns");
		if (pv_rowsjson_columns(&j, &schema, &err))
			j.error = err.code;
		pv_json_kint(&j, "offset", offset);
		pv_json_kint(&j, "total", total);
		pv_json_kint(&j, "n_rows", n_rows);
		pv_json_kbool(&j, "truncated", truncated);
		pv_json_key(&j, "rows");
		pv_json_raw(&j, rows.data, rows.len);
		pv_json_object_end(&j);
		pv_http_json_end(r, &j);
	}
	pv_buf_release(&rows);
	pv_buf_release(&block);
	if (schema.release)
		schema.release(&schema);
	return 0;
}

int pv_api_sample(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	if (!e)
		return 0;
	int64_t n = pv_http_arg_i64(q, r, "n", 50, MAX_LIMIT);
	if (n < 0)
		return 0;
	uint64_t seed;
	const char *s = pv_http_arg(q, "seed");
	if (s && *s) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(s, &end, 10);
		if (*end || errno || *s == '-' || *s == '+' || *s == ' ') {
			pv_http_error(r, 400, "bad_request", "'seed' takes an unsigned integer, not '%.40s'", s);
			return 0;
		}
		seed = v;
	} else {
		seed = pv_sample_random_seed();
	}
	pv_row_range *ranges = NULL;
	size_t n_ranges = 0;
	pv_err err;
	if (pv_sample_draw(e->map.n_rows, n, seed, &ranges, &n_ranges, &err)) {
		pv_http_error_from(r, &err);
		return 0;
	}
	sample_page(q, r, e, ranges, n_ranges, n, seed);
	free(ranges);
	return 0;
}
