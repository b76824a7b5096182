/*
 * api_export.c - downloads: a dataset's rows (a range, a column
 * selection) as CSV or JSON lines, streamed batch by batch through
 * render/rows.h (so the files are what `parqview cat -o` writes), with
 * Content-Disposition: attachment. Parquet exports and query exports go
 * through DuckDB (queries.c).
 * Includes base, dataset, render and server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset/scan.h"
#include "render/rows.h"
#include "server/api.h"
#include "server/rowsjson.h"
#include "base/banned.h"

typedef struct export_state {
	pv_scan *scan;
	pv_rowstream rs;
} export_state;

static void export_free(void *ctx)
{
	export_state *x = ctx;
	pv_rowstream_release(&x->rs);
	pv_scan_close(x->scan);
	free(x);
}

/* Produces the next batch's text (or the writer's closing bytes). */
static int export_next(void *ctx, pv_buf *out, bool *out_done, pv_err *err)
{
	export_state *x = ctx;
	struct ArrowArray b;
	int64_t first;
	int rc = pv_scan_next(x->scan, &b, &first, err);
	if (rc)
		return rc;
	*out_done = !b.release;
	rc = pv_rowstream_put(&x->rs, b.release ? &b : NULL, first, out, err);
	if (b.release)
		b.release(&b);
	return rc;
}

/* Appends name as a quoted SQL identifier; with split, a.b becomes the
 * path "a"."b". */
static int put_ident(pv_buf *b, const char *name, bool split, pv_err *err)
{
	int rc = pv_buf_putc(b, '"', err);
	for (const char *p = name; *p && !rc; p++) {
		if (split && *p == '.')
			rc = pv_buf_puts(b, "\".\"", err);
		else if (*p == '"')
			rc = pv_buf_puts(b, "\"\"", err);
		else
			rc = pv_buf_putc(b, *p, err);
	}
	return rc ? rc : pv_buf_putc(b, '"', err);
}

/* Parquet comes from DuckDB: the rows of the dataset's view, in the
 * view's order (the files' order, as parqview reads them). The columns
 * are checked by opening a scan first, so an unknown name is the same 400
 * as for rows. */
static int parquet_export(pv_http_req *q, pv_http_resp *r, const pv_catalog_entry *e)
{
	int64_t offset = pv_http_arg_i64(q, r, "offset", 0, INT64_MAX / 2);
	int64_t limit = offset < 0 ? -1 : pv_http_arg_i64(q, r, "limit", INT64_MAX / 2, INT64_MAX / 2);
	if (limit < 0)
		return 0;
	const char *columns = pv_http_arg(q, "columns");
	pv_err err;
	pv_err_clear(&err);
	pv_scan *s = NULL;
	pv_row_range none = { 0, 0 };
	pv_scan_opts so = { .columns = columns };
	int rc = pv_scan_open(e->ds, &so, &none, 1, &s, &err);
	pv_buf sql;
	pv_buf_init(&sql, 0);
	if (!rc)
		rc = pv_buf_puts(&sql, "SELECT ", &err);
	for (size_t i = 0; !rc && i < pv_scan_n_columns(s); i++) {
		const char *name = pv_scan_column_name(s, i);
		if (i)
			rc = pv_buf_puts(&sql, ", ", &err);
		if (!rc)
			rc = put_ident(&sql, name, true, &err);
		/* a struct field keeps its dotted name, as in the other formats */
		if (!rc && strchr(name, '.'))
			rc = pv_buf_puts(&sql, " AS ", &err) || put_ident(&sql, name, false, &err);
	}
	pv_scan_close(s);
	if (rc) {
		pv_buf_release(&sql);
		pv_http_error_from(r, &err);
		return 0;
	}
	rc = pv_buf_printf(&sql, &err, " FROM \"%s\" LIMIT %lld OFFSET %lld", e->id, (long long)limit,
			   (long long)offset);
	if (rc)
		pv_http_error_from(r, &err);
	else
		pv_api_export_sql(q, r, sql.data, "parquet", e->id);
	pv_buf_release(&sql);
	return 0;
}

int pv_api_dataset_export(pv_http_req *q, pv_http_resp *r)
{
	const pv_catalog_entry *e = pv_api_dataset_param(q, r);
	if (!e)
		return 0;
	const char *format = pv_http_arg(q, "format");
	if (!format)
		format = "csv";
	pv_rows_format rf;
	const char *type, *ext;
	if (!strcmp(format, "csv")) {
		rf = PV_ROWS_CSV, type = "text/csv; charset=utf-8", ext = "csv";
	} else if (!strcmp(format, "jsonl")) {
		rf = PV_ROWS_JSONL, type = "application/x-ndjson", ext = "jsonl";
	} else if (!strcmp(format, "parquet")) {
		return parquet_export(q, r, e);
	} else {
		pv_http_error(r, 400, "bad_request", "'format' is csv, jsonl or parquet, not '%.40s'",
			      format);
		return 0;
	}
	int64_t offset = pv_http_arg_i64(q, r, "offset", 0, INT64_MAX / 2);
	int64_t limit = offset < 0 ? -1 : pv_http_arg_i64(q, r, "limit", INT64_MAX / 2, INT64_MAX / 2);
	if (limit < 0)
		return 0;
	export_state *x = calloc(1, sizeof *x);
	if (!x) {
		pv_http_error(r, 500, "internal", "out of memory");
		return 0;
	}
	pv_err err;
	pv_err_clear(&err);
	pv_row_range range = { offset, limit };
	pv_scan_opts so = { .columns = pv_http_arg(q, "columns") };
	struct ArrowSchema schema = { 0 };
	int rc = pv_scan_open(e->ds, &so, &range, 1, &x->scan, &err);
	if (!rc)
		rc = pv_scan_schema(x->scan, &schema, &err);
	if (!rc)
		rc = pv_rowstream_open(&x->rs, &schema, rf, &err);
	if (schema.release)
		schema.release(&schema);
	if (rc) {
		export_free(x);
		pv_http_error_from(r, &err);
		return 0;
	}
	char disp[200];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s.%s\"", e->id, ext);
	pv_http_resp_header(r, "Content-Disposition", disp);
	r->content_type = type;
	r->stream = export_next;
	r->stream_ctx = x;
	r->stream_free = export_free;
	return 0;
}
