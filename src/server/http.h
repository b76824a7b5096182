/*
 * http.h - the server's requests and responses, apart from the HTTP
 * library: handlers read a pv_http_req and fill a pv_http_resp; http.c
 * alone talks to libmicrohttpd (listening, reading bodies, sending
 * responses) and is the one place where errors become JSON bodies.
 *
 * Error bodies are {"error":{"code":"CODE","message":"one line"}} with
 * CODE one of bad_request (400), forbidden (403), not_found (404),
 * too_large (413), busy (429), timeout (504), query_error / data_error
 * (422), internal (500), method_not_allowed (405).
 *
 * Includes base only (the server layer's own headers aside).
 */
#ifndef PV_HTTP_H
#define PV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"

/* Most bytes of a request body; past it the request is answered 413. */
#define PV_HTTP_MAX_BODY ((size_t)1 << 20)
/* Most bytes of one buffered response body (rows pages, metadata). */
#define PV_HTTP_MAX_RESPONSE ((size_t)64 << 20)
/* Most {} captures of a route. */
#define PV_HTTP_MAX_PARAMS 4

typedef struct pv_server pv_server;

/* One request, alive from its first byte to the end of its response.
 * Owned by http.c; handlers read it. */
typedef struct pv_http_req {
	pv_server *srv;
	const char *method;  /* "GET", "HEAD", "POST", ... */
	const char *path;    /* percent-decoded path, without the query */
	void *conn;          /* the library's connection (http.c only) */
	const char *params[PV_HTTP_MAX_PARAMS]; /* the route's {} segments */
	size_t n_params;
	pv_buf body;         /* the request body (capped at PV_HTTP_MAX_BODY) */
	bool body_too_large;
	bool bearer;         /* authenticated by "Authorization: Bearer TOKEN" */
} pv_http_req;

/* A query argument (decoded), a request header, a cookie; NULL when absent. */
const char *pv_http_arg(const pv_http_req *r, const char *name);
const char *pv_http_header(const pv_http_req *r, const char *name);
const char *pv_http_cookie(const pv_http_req *r, const char *name);

/* Produces the next piece of a streamed body: appends to out (any
 * amount; the caller drains it before asking again) and sets *out_done
 * at the end. A failure ends the transfer abruptly (the client sees a
 * truncated body). */
typedef int (*pv_http_stream_fn)(void *ctx, pv_buf *out, bool *out_done, pv_err *err);

#define PV_HTTP_MAX_HEADERS 8

/* What a handler answers. Exactly one of body, static_body and stream is
 * used: stream when set, else static_body when set, else body. */
typedef struct pv_http_resp {
	int status;                    /* 200 unless set */
	const char *content_type;      /* static string; "application/json" unless set */
	pv_buf body;                   /* capped at PV_HTTP_MAX_RESPONSE */
	const void *static_body;       /* borrowed, lives as long as the program */
	size_t static_len;
	pv_http_stream_fn stream;
	void *stream_ctx;
	void (*stream_free)(void *ctx); /* called once the response is done with */
	char *headers[PV_HTTP_MAX_HEADERS][2];
	size_t n_headers;
} pv_http_resp;

void pv_http_resp_init(pv_http_resp *r);
/* Frees what r holds (the stream context too, when it was never handed
 * to the library). */
void pv_http_resp_release(pv_http_resp *r);

/* Adds a header (copied). Headers past PV_HTTP_MAX_HEADERS are dropped:
 * a programming error, asserted. */
void pv_http_resp_header(pv_http_resp *r, const char *name, const char *value);

/* Replaces the body with an error document and sets the status. code is
 * one of the codes above; the message is made one line. */
void pv_http_error(pv_http_resp *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The error for a pv_err: status from pv_code_http (base/err.h), code
 * bad_request, not_found, too_large, data_error or internal. */
void pv_http_error_from(pv_http_resp *r, const pv_err *e);

/* Starts a JSON document in r's body (compact); finish it with
 * pv_http_json_end, which turns a writer error into a 500. */
void pv_http_json_begin(pv_http_resp *r, pv_json *j);
void pv_http_json_end(pv_http_resp *r, pv_json *j);

/* Parses a non-negative decimal integer query argument: def when absent,
 * -1 (and a 400 in r) when malformed or above max. */
int64_t pv_http_arg_i64(const pv_http_req *q, pv_http_resp *r, const char *name, int64_t def,
			int64_t max);

/* ---- the listening side (server.c uses it) */

typedef int (*pv_http_handler)(pv_http_req *q, pv_http_resp *r);

typedef struct pv_http_daemon pv_http_daemon;

/* Opens a listening TCP socket on host:port (port 0: any free port);
 * *out_fd is the socket and *out_port the port bound. Errors: PV_EINVAL
 * for a host that does not resolve, PV_EIO with the reason ("cannot
 * listen on 127.0.0.1:80: permission denied"). */
int pv_http_bind(const char *host, int port, int *out_fd, int *out_port, pv_err *err);

/* Loads libmicrohttpd (libmicrohttpd.so.12) if it is not loaded yet;
 * pv_http_start calls it, a command may call it first to fail before it
 * binds. Errors (the same on every call): PV_ENOTFOUND "library
 * 'libmicrohttpd.so.12' not found: install the Debian package
 * 'libmicrohttpd12' ...", PV_EUNSUPPORTED for a library that cannot be
 * loaded or lacks a function. Thread-safe. */
int pv_http_load(pv_err *err);

/* Serves the socket fd (taken over: closed by pv_http_stop) with a pool
 * of n_threads threads, handing every complete request to handle.
 * Errors: those of pv_http_load, PV_EIO. On failure fd is closed. */
int pv_http_start(int fd, int n_threads, pv_server *srv, pv_http_handler handle,
		  pv_http_daemon **out, pv_err *err);

/* Stops accepting, waits for the pool threads and closes every
 * connection. NULL allowed. */
void pv_http_stop(pv_http_daemon *d);

#endif
