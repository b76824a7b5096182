/*
 * server.h - `parqview serve`: a local HTTP server with a JSON API over
 * the datasets named on the command line and the embedded web front end
 * (README "Web UI" documents the API and the security model).
 *
 * pv_server_open opens the datasets, binds the socket, makes the token and
 * starts the thread pool; from then on requests are served until
 * pv_server_close, which stops accepting, cancels running queries, waits
 * for the threads and frees everything.
 *
 * The struct is shared by the server's own files (router, handlers);
 * outside src/server only the functions below are used.
 * Includes base, dataset, sql and server.
 */
#ifndef PV_SERVER_H
#define PV_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "server/auth.h"
#include "server/catalog.h"
#include "server/http.h"
#include "server/pagecache.h"

typedef struct pv_queries pv_queries;

typedef struct pv_server_opts {
	const pv_catalog_arg *datasets;
	size_t n_datasets;
	const char *host;         /* NULL: "127.0.0.1" */
	int port;                 /* 0: any free port */
	int threads;              /* HTTP pool threads; <= 0: 4 */
	const char *memory_limit; /* for SQL sessions ("2GB"); NULL: DuckDB's default */
	int query_timeout_s;      /* <= 0: 60 */
	int max_queries;          /* running at once; <= 0: 4 */
	size_t query_result_bytes; /* results kept per query; 0: 256 MiB */
	const char *version;      /* for /api/health */
} pv_server_opts;

struct pv_server {
	pv_server_opts opts;
	char host[256];
	int port;
	char url[400];            /* http://HOST:PORT/?token=TOKEN */
	pv_catalog cat;
	pv_auth auth;
	pv_queries *queries;
	pv_pagecache *pages;      /* row pages answered lately */
	pv_http_daemon *http;
};

/* Starts serving. Errors: the catalog's (a path that matches nothing,
 * a bad --as name), the socket's (PV_EIO "cannot listen on ..."),
 * PV_ENOMEM. Free with pv_server_close. */
int pv_server_open(const pv_server_opts *opts, pv_server **out, pv_err *err);

/* "http://127.0.0.1:PORT/?token=TOKEN": what the user opens. */
const char *pv_server_url(const pv_server *s);

/* The port bound (useful with port 0). */
int pv_server_port(const pv_server *s);

/* Stops accepting, interrupts running queries, waits for every thread and
 * frees s. NULL allowed. */
void pv_server_close(pv_server *s);

#endif
