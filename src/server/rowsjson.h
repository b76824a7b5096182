/*
 * rowsjson.h - pages of rows for the API: Arrow batches written with
 * render/rows.h's JSON value mapping (PV_ROWS_ARRAYS, one array per row)
 * and gathered up to a byte cap, plus the "columns" description
 * ([{"name", "type"}], types as render/arrowval.h's short names). Used by
 * dataset rows, samples and query results, and by exports (pv_bufile).
 *
 * One pv_rowsjson per request; not shared between threads.
 * Includes base, render and server.
 */
#ifndef PV_ROWSJSON_H
#define PV_ROWSJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arrowc.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "render/rows.h"

/* A FILE* whose writes append to b (borrowed; it must outlive the FILE),
 * keeping at most cap bytes of b (0: no cap) and dropping the rest with
 * *out_dropped set (out_dropped may be NULL when cap is 0). Close it with
 * fclose. NULL when out of memory. */
FILE *pv_bufile_open(pv_buf *b, size_t cap, bool *out_dropped);

/* Rows streamed as a download: a rows writer (CSV, JSONL) whose output
 * is handed out batch by batch. */
typedef struct pv_rowstream {
	pv_rows_writer *w;
	FILE *f;     /* the writer's; appends to text */
	pv_buf text; /* written since the last piece */
} pv_rowstream;

/* Prepares to write rows of schema in format. Errors: the writer's,
 * PV_ENOMEM. Release with pv_rowstream_release, also after an error. */
int pv_rowstream_open(pv_rowstream *rs, const struct ArrowSchema *schema, pv_rows_format format,
		      pv_err *err);

/* Appends to out the text of batch (first_row its global index), or with
 * batch NULL the writer's closing bytes (a CSV header when there were no
 * rows). Errors: the writer's. */
int pv_rowstream_put(pv_rowstream *rs, const struct ArrowArray *batch, int64_t first_row,
		     pv_buf *out, pv_err *err);

void pv_rowstream_release(pv_rowstream *rs);

typedef struct pv_rowsjson {
	FILE *f;
	pv_rows_writer *w;
	pv_buf text;      /* "[row]\n[row]\n..." */
	size_t cap;
	bool dropped;
	int64_t n_rows;   /* rows kept */
	bool truncated;   /* rows were dropped at the cap */
} pv_rowsjson;

/* Prepares to gather rows of schema (a "+s"), at most cap bytes of text.
 * Errors: the rows writer's (PV_EUNSUPPORTED for a type it cannot write),
 * PV_ENOMEM. Release with pv_rowsjson_release, also after an error. */
int pv_rowsjson_open(pv_rowsjson *rj, const struct ArrowSchema *schema, size_t cap, pv_err *err);

/* Adds batch's rows; when the cap is reached the rows that do not fit
 * whole are dropped, truncated is set and *out_full tells the caller to
 * stop. Errors: the rows writer's. */
int pv_rowsjson_add(pv_rowsjson *rj, const struct ArrowArray *batch, int64_t first_row,
		    bool *out_full, pv_err *err);

/* Writes the gathered rows as one JSON array value at j's position. */
void pv_rowsjson_rows(pv_rowsjson *rj, pv_json *j);

void pv_rowsjson_release(pv_rowsjson *rj);

/* Writes [{"name": ..., "type": ...}, ...] for the children of schema
 * (a "+s") as the next value of j. Errors: the type parser's. */
int pv_rowsjson_columns(pv_json *j, const struct ArrowSchema *schema, pv_err *err);

#endif
