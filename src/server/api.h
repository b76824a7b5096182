/*
 * api.h - the request handlers, one file per resource (api_data.c,
 * api_sql.c, api_export.c, api_static.c), and the route table that maps
 * (method, path pattern) to them (router.c).
 *
 * A handler is called after pv_auth_check passed, with q->params holding
 * the route's {} segments, and fills r (status 200 and JSON by default;
 * errors through pv_http_error). Handlers run on the HTTP pool's threads,
 * several at once: they only read the catalog and keep their own state on
 * the stack or behind the queries' lock.
 *
 * Includes base, dataset, render, sql and server.
 */
#ifndef PV_API_H
#define PV_API_H

#include "server/http.h"
#include "server/server.h"

/* api_data.c */
int pv_api_health(pv_http_req *q, pv_http_resp *r);
int pv_api_datasets(pv_http_req *q, pv_http_resp *r);
int pv_api_files(pv_http_req *q, pv_http_resp *r);
int pv_api_schema(pv_http_req *q, pv_http_resp *r);
int pv_api_file_meta(pv_http_req *q, pv_http_resp *r);
int pv_api_file_pages(pv_http_req *q, pv_http_resp *r);
int pv_api_rows(pv_http_req *q, pv_http_resp *r);
int pv_api_sample(pv_http_req *q, pv_http_resp *r);

/* api_export.c */
int pv_api_dataset_export(pv_http_req *q, pv_http_resp *r);
int pv_api_query_export(pv_http_req *q, pv_http_resp *r);

/* api_sql.c */
/* Streams the rows of sql (run in a restricted session) as a download of
 * format csv, jsonl or parquet named NAME.FORMAT. */
int pv_api_export_sql(pv_http_req *q, pv_http_resp *r, const char *sql, const char *format,
		      const char *name);
int pv_api_query_create(pv_http_req *q, pv_http_resp *r);
int pv_api_query_get(pv_http_req *q, pv_http_resp *r);
int pv_api_query_rows(pv_http_req *q, pv_http_resp *r);
int pv_api_query_cancel(pv_http_req *q, pv_http_resp *r);
int pv_api_query_delete(pv_http_req *q, pv_http_resp *r);

/* api_static.c */
int pv_api_static(pv_http_req *q, pv_http_resp *r);

/* router.c: authenticates q, finds its route and runs the handler. */
int pv_router_dispatch(pv_http_req *q, pv_http_resp *r);

/* The dataset named by q->params[0], or NULL with a 404 in r. */
const pv_catalog_entry *pv_api_dataset_param(pv_http_req *q, pv_http_resp *r);

#endif
