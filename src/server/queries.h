/*
 * queries.h - the server's SQL queries: each runs on its own thread in
 * its own restricted DuckDB session (sql/session.h) over the catalog's
 * datasets; results are kept server-side (capped) for paging and export.
 * Includes base, dataset, sql and server.
 */
#ifndef PV_QUERIES_H
#define PV_QUERIES_H

#include "base/err.h"

typedef struct pv_server pv_server;
typedef struct pv_queries pv_queries;

/* The query table of srv. Errors: PV_ENOMEM. Free with pv_queries_free. */
int pv_queries_new(pv_server *srv, pv_queries **out, pv_err *err);

/* Interrupts every running query (shutdown). NULL allowed. */
void pv_queries_interrupt_all(pv_queries *qs);

/* Waits for the query threads and frees everything. NULL allowed. */
void pv_queries_free(pv_queries *qs);

#endif
