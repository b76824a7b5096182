/*
 * api_sql.c - the query endpoints: POST /api/queries (body {"sql": "..."}
 * parsed with jansson), GET /api/queries/{id}, .../rows, POST .../cancel,
 * DELETE, and GET .../export (csv and jsonl through render/rows.h, Parquet
 * through DuckDB's COPY into a temporary file that is streamed and
 * removed). Queries themselves live in queries.c.
 * Includes base, render, sql and server.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/rows.h"
#include "server/api.h"
#include "server/queries.h"
#include "server/rowsjson.h"
#include "base/banned.h"

/* The query named by q->params[0], referenced, or NULL with a 404. */
static pv_query *query_param(pv_http_req *q, pv_http_resp *r)
{
	pv_query *x = pv_queries_get(q->srv->queries, q->params[0]);
	if (!x)
		pv_http_error(r, 404, "not_found", "no query '%.40s'", q->params[0]);
	return x;
}

int pv_api_query_create(pv_http_req *q, pv_http_resp *r)
{
	json_error_t je;
	json_t *body = json_loadb(q->body.data ? q->body.data : "", q->body.len,
				  JSON_REJECT_DUPLICATES, &je);
	const char *sql = body ? json_string_value(json_object_get(body, "sql")) : NULL;
	if (!body) {
		pv_http_error(r, 400, "bad_request", "the body is not JSON: %s", je.text);
		return 0;
	}
	if (!sql) {
		json_decref(body);
		pv_http_error(r, 400, "bad_request", "the body needs {\"sql\": \"...\"}");
		return 0;
	}
	if (strlen(sql) != json_string_length(json_object_get(body, "sql"))) {
		json_decref(body);
		pv_http_error(r, 400, "bad_request", "the query holds a NUL character");
		return 0;
	}
	char id[16];
	pv_err err;
	pv_err_clear(&err);
	int rc = pv_queries_start(q->srv->queries, sql, id, &err);
	json_decref(body);
	if (rc == PV_ELIMIT) {
		pv_http_error(r, 429, "busy", "%s", err.msg);
		return 0;
	}
	if (rc) {
		pv_http_error_from(r, &err);
		return 0;
	}
	char loc[64];
	snprintf(loc, sizeof loc, "/api/queries/%s", id);
	pv_http_resp_header(r, "Location", loc);
	r->status = 201;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_json_object_begin(&j);
	pv_json_kstr(&j, "id", id);
	pv_json_kstr(&j, "status", "running");
	pv_json_object_end(&j);
	pv_http_json_end(r, &j);
	return 0;
}

/* Answers with the status object of the query named in the path, after
 * cancelling it when asked. */
static int status_answer(pv_http_req *q, pv_http_resp *r, bool cancel)
{
	pv_query *x = query_param(q, r);
	if (!x)
		return 0;
	if (cancel)
		pv_query_cancel(x);
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_query_status_json(x, &j);
	pv_http_json_end(r, &j);
	pv_query_unref(x);
	return 0;
}

int pv_api_query_rows(pv_http_req *q, pv_http_resp *r)
{
	int64_t offset = pv_http_arg_i64(q, r, "offset", 0, INT64_MAX / 2);
	int64_t limit = offset < 0 ? -1 : pv_http_arg_i64(q, r, "limit", 100, 10000);
	if (limit < 0)
		return 0;
	pv_query *x = query_param(q, r);
	if (!x)
		return 0;
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_query_rows_json(x, offset, limit, &j);
	pv_http_json_end(r, &j);
	pv_query_unref(x);
	return 0;
}

int pv_api_query_get(pv_http_req *q, pv_http_resp *r)
{
	return status_answer(q, r, false);
}

int pv_api_query_cancel(pv_http_req *q, pv_http_resp *r)
{
	return status_answer(q, r, true);
}

int pv_api_query_delete(pv_http_req *q, pv_http_resp *r)
{
	if (!pv_queries_delete(q->srv->queries, q->params[0])) {
		pv_http_error(r, 404, "not_found", "no query '%.40s'", q->params[0]);
		return 0;
	}
	pv_json j;
	pv_http_json_begin(r, &j);
	pv_json_object_begin(&j);
	pv_json_kbool(&j, "deleted", true);
	pv_json_object_end(&j);
	pv_http_json_end(r, &j);
	return 0;
}

/* ---- export */

typedef struct qexport {
	pv_queries *qs;
	pv_duck *d;
	pv_duck_result *res;
	pv_rowstream rs;
	int fd;        /* Parquet: the finished file, read piece by piece */
	char path[64]; /* Parquet: its name, removed at the end */
} qexport;

static void qexport_free(void *ctx)
{
	qexport *x = ctx;
	pv_rowstream_release(&x->rs);
	pv_duck_result_free(x->res);
	pv_queries_session_close(x->qs, x->d);
	if (x->fd >= 0)
		close(x->fd);
	if (x->path[0])
		unlink(x->path);
	free(x);
}

static int qexport_rows(void *ctx, pv_buf *out, bool *out_done, pv_err *err)
{
	qexport *x = ctx;
	struct ArrowArray b;
	int rc = pv_duck_result_next_batch(x->res, &b, err);
	if (rc)
		return rc;
	*out_done = !b.release;
	rc = pv_rowstream_put(&x->rs, b.release ? &b : NULL, 0, out, err);
	if (b.release)
		b.release(&b);
	return rc;
}

static int qexport_file(void *ctx, pv_buf *out, bool *out_done, pv_err *err)
{
	qexport *x = ctx;
	char buf[256 * 1024];
	ssize_t n = read(x->fd, buf, sizeof buf);
	if (n < 0)
		return pv_err_set(err, PV_EIO, "cannot read the export: %s", strerror(errno));
	if (n == 0) {
		*out_done = true;
		return 0;
	}
	return pv_buf_append(out, buf, (size_t)n, err);
}

/* Streams the result of sql as a download: Parquet through DuckDB's COPY
 * into a temporary file, CSV and JSON lines through render/rows.h. */
static void export_sql(pv_http_req *q, pv_http_resp *r, const char *sql, const char *format,
		       const char *name)
{
	bool parquet = !strcmp(format, "parquet");
	pv_rows_format rf = PV_ROWS_CSV;
	const char *type = "text/csv; charset=utf-8";
	if (!strcmp(format, "jsonl")) {
		rf = PV_ROWS_JSONL;
		type = "application/x-ndjson";
	} else if (parquet) {
		type = "application/vnd.apache.parquet";
	}
	qexport *x = calloc(1, sizeof *x);
	if (!x) {
		pv_http_error(r, 500, "internal", "out of memory");
		return;
	}
	x->qs = q->srv->queries;
	x->fd = -1;
	pv_err err;
	pv_err_clear(&err);
	int rc = 0;
	if (parquet) {
		/* DuckDB may write only this one file, made here first */
		snprintf(x->path, sizeof x->path, "/tmp/parqview-export-XXXXXX");
		int fd = mkstemp(x->path);
		if (fd < 0) {
			x->path[0] = '\0';
			rc = pv_err_set(&err, PV_EIO, "cannot make a temporary file: %s", strerror(errno));
		} else {
			close(fd);
		}
		if (!rc)
			rc = pv_queries_session(x->qs, x->path, &x->d, &err);
		if (!rc)
			rc = pv_duck_copy(x->d, sql, x->path,
					  "FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false", NULL, &err);
		if (rc && x->d && pv_queries_session_timed_out(x->qs, x->d))
			pv_err_set(&err, PV_ELIMIT, "the export ran over the time limit");
		if (!rc && (x->fd = open(x->path, O_RDONLY | O_CLOEXEC)) < 0)
			rc = pv_err_set(&err, PV_EIO, "cannot read the export: %s", strerror(errno));
		if (!rc) {
			/* the open descriptor keeps the bytes; the name can go now */
			unlink(x->path);
			x->path[0] = '\0';
		}
	} else {
		struct ArrowSchema schema = { 0 };
		rc = pv_queries_session(x->qs, NULL, &x->d, &err);
		if (!rc)
			rc = pv_duck_query_arrow(x->d, sql, &x->res, &err);
		if (!rc)
			rc = pv_duck_result_schema(x->res, &schema, &err);
		if (!rc)
			rc = pv_rowstream_open(&x->rs, &schema, rf, &err);
		if (schema.release)
			schema.release(&schema);
	}
	if (rc) {
		qexport_free(x);
		if (err.code == PV_EINVAL)
			pv_http_error(r, 422, "query_error", "%s", err.msg);
		else
			pv_http_error_from(r, &err);
		return;
	}
	char disp[160];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s.%s\"", name, format);
	pv_http_resp_header(r, "Content-Disposition", disp);
	r->content_type = type;
	r->stream = parquet ? qexport_file : qexport_rows;
	r->stream_ctx = x;
	r->stream_free = qexport_free;
}

int pv_api_export_sql(pv_http_req *q, pv_http_resp *r, const char *sql, const char *format,
		      const char *name)
{
	export_sql(q, r, sql, format, name);
	return 0;
}

int pv_api_query_export(pv_http_req *q, pv_http_resp *r)
{
	const char *format = pv_http_arg(q, "format");
	if (!format)
		format = "csv";
	if (strcmp(format, "csv") && strcmp(format, "jsonl") && strcmp(format, "parquet")) {
		pv_http_error(r, 400, "bad_request", "'format' is csv, jsonl or parquet, not '%.40s'",
			      format);
		return 0;
	}
	pv_query *query = query_param(q, r);
	if (!query)
		return 0;
	export_sql(q, r, pv_query_sql(query), format, q->params[0]);
	pv_query_unref(query);
	return 0;
}
