/*
 * queries.h - the server's SQL queries. Each query runs on its own thread
 * in its own restricted DuckDB session (sql/session.h: one view per
 * dataset named by its id, no other file readable, no extensions, no
 * ATTACH, configuration locked). Its rows are rendered as they arrive
 * (render/rows.h's JSON mapping, one array per row) and kept server-side
 * for paging, up to the server's result cap: past it the query stops and
 * the result is marked truncated. A watchdog thread interrupts queries
 * that run over the time limit. At most opts.max_queries run at once; a
 * query past that is refused (PV_EBUSY below, HTTP 429). Finished queries
 * stay until deleted; the oldest finished ones go when the table
 * (PV_QUERIES_MAX) is full.
 *
 * Exports of a query's result re-run its SQL in a session of their own
 * (pv_queries_session), registered so that the time limit and shutdown
 * interrupt them too.
 *
 * Thread-safe: every function may be called from any thread.
 * Includes base, dataset, render, sql and server.
 */
#ifndef PV_QUERIES_H
#define PV_QUERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/json.h"
#include "sql/duck.h"

/* Queries kept (running or finished). */
#define PV_QUERIES_MAX 64
/* Longest SQL text accepted. */
#define PV_QUERIES_MAX_SQL ((size_t)256 << 10)

typedef struct pv_server pv_server;
typedef struct pv_queries pv_queries;
typedef struct pv_query pv_query;

/* The query table of srv (its options give the caps and limits) and its
 * watchdog thread. Errors: PV_ENOMEM, PV_EIO (no thread). Free with
 * pv_queries_free. */
int pv_queries_new(pv_server *srv, pv_queries **out, pv_err *err);

/* Interrupts every running query and export (shutdown). NULL allowed. */
void pv_queries_interrupt_all(pv_queries *qs);

/* Interrupts, waits for every query thread, frees everything. NULL allowed. */
void pv_queries_free(pv_queries *qs);

/* Starts sql; *out_id ("q7", at most 15 characters) names it. Errors:
 * PV_ELIMIT "N queries are running (the most at once)" (busy);
 * PV_EINVAL for empty or oversized SQL; PV_ENOMEM; PV_EIO (no thread). */
int pv_queries_start(pv_queries *qs, const char *sql, char out_id[16], pv_err *err);

/* The query named id, referenced (release with pv_query_unref), or NULL. */
pv_query *pv_queries_get(pv_queries *qs, const char *id);
void pv_query_unref(pv_query *q);

/* Writes {"id", "status", "progress", "columns", "n_rows", "complete",
 * "truncated", "elapsed_ms", "error"} as the next value of j. */
void pv_query_status_json(pv_query *q, pv_json *j);

/* Writes {"columns", "offset", "n_rows", "complete", "truncated", "rows"}
 * with the result rows [offset, offset + limit) kept so far. */
void pv_query_rows_json(pv_query *q, int64_t offset, int64_t limit, pv_json *j);

/* Asks a running query to stop (its status becomes "cancelled"). */
void pv_query_cancel(pv_query *q);

/* The query's SQL (valid while referenced). */
const char *pv_query_sql(const pv_query *q);

/* Interrupts q if running and drops it from the table; false when there
 * is no such query. */
bool pv_queries_delete(pv_queries *qs, const char *id);

/* A new restricted session over the catalog's datasets, for an export
 * (write_path, when not NULL, is the one file SQL may write), registered
 * for the time limit and shutdown: pass it back to
 * pv_queries_session_close. Errors: pv_sql_open's. */
int pv_queries_session(pv_queries *qs, const char *write_path, pv_duck **out, pv_err *err);
void pv_queries_session_close(pv_queries *qs, pv_duck *d);

/* True when the session was interrupted for running over the time limit. */
bool pv_queries_session_timed_out(pv_queries *qs, pv_duck *d);

#endif
