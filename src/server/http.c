/*
 * http.c - the only file that talks to libmicrohttpd: listening, request
 * bodies (capped), handing complete requests to the server, turning
 * pv_http_resp into responses (buffered, static or streamed), and the one
 * place where errors become JSON bodies.
 *
 * Threads: the library runs an internal polling thread per pool member
 * (MHD_USE_INTERNAL_POLLING_THREAD with MHD_OPTION_THREAD_POOL_SIZE, epoll
 * when available). A bounded pool rather than a thread per connection:
 * 200 idle keep-alive connections cost no threads, handlers are short
 * (row pages are a few milliseconds; long SQL runs on its own threads and
 * is polled), and streamed exports produce one piece per callback so a
 * slow download does not hold a thread between pieces.
 *
 * libmicrohttpd is loaded on first use (base/dynlib.h), so that commands
 * other than serve do not map it and GnuTLS behind it: microhttpd.h gives
 * the types and constants, the table below the functions.
 *
 * Includes base and server only.
 */
#include "server/http.h"

#include <assert.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/dynlib.h"
#include "base/banned.h"

#define MHD_SONAME "libmicrohttpd.so.12"
#define MHD_PACKAGE "libmicrohttpd12"

/* The functions used, bound from the library by pv_http_load. */
#define PV_MHD_FUNCS(X) \
	X(lookup_connection_value) \
	X(create_response_from_callback) \
	X(create_response_from_buffer) \
	X(add_response_header) \
	X(queue_response) \
	X(destroy_response) \
	X(start_daemon) \
	X(stop_daemon)

#define PV_MHD_FIELD(name) __typeof__(MHD_##name) *name;
#define PV_MHD_NAME(name) "MHD_" #name,
static struct {
	PV_MHD_FUNCS(PV_MHD_FIELD)
} mhd;
static const char *const mhd_names[] = { PV_MHD_FUNCS(PV_MHD_NAME) };
_Static_assert(sizeof mhd == sizeof mhd_names / sizeof mhd_names[0] * sizeof(void *),
	       "one pointer per name");
static pv_dynlib mhd_lib = PV_DYNLIB_INIT(MHD_SONAME, MHD_PACKAGE, "serve", mhd_names, &mhd);

int pv_http_load(pv_err *err)
{
	return pv_dynlib_load(&mhd_lib, err);
}

struct pv_http_daemon {
	struct MHD_Daemon *mhd;
	pv_server *srv;
	pv_http_handler handle;
};

/* Per request: the request and whether it was already answered. */
typedef struct conn_state {
	pv_http_req req;
	char *path;
	bool answered;
} conn_state;

/* A streamed body: the handler's producer and what it produced but the
 * library has not taken yet. */
typedef struct stream_state {
	pv_http_stream_fn fn;
	void *ctx;
	void (*ctx_free)(void *ctx);
	pv_buf pending;
	size_t pos;
	bool done;
} stream_state;

/* ---- request accessors */

const char *pv_http_arg(const pv_http_req *r, const char *name)
{
	return mhd.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *pv_http_header(const pv_http_req *r, const char *name)
{
	return mhd.lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *pv_http_cookie(const pv_http_req *r, const char *name)
{
	return mhd.lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t pv_http_arg_i64(const pv_http_req *q, pv_http_resp *r, const char *name, int64_t def,
			int64_t max)
{
	const char *s = pv_http_arg(q, name);
	if (!s)
		return def;
	int64_t v = 0;
	const char *p = s;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v > max) {
		pv_http_error(r, 400, "bad_request", "'%s' is at most %lld, not %s", name,
			      (long long)max, s);
		return -1;
	}
	return v;
bad:
	pv_http_error(r, 400, "bad_request", "'%s' takes a non-negative integer, not '%.40s'", name, s);
	return -1;
}

/* ---- responses */

void pv_http_resp_init(pv_http_resp *r)
{
	memset(r, 0, sizeof *r);
	r->status = 200;
	r->content_type = "application/json";
	pv_buf_init(&r->body, PV_HTTP_MAX_RESPONSE);
}

void pv_http_resp_release(pv_http_resp *r)
{
	if (!r)
		return;
	pv_buf_release(&r->body);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i][0]);
		free(r->headers[i][1]);
	}
	r->n_headers = 0;
	if (r->stream && r->stream_free)
		r->stream_free(r->stream_ctx);
	r->stream = NULL;
}

void pv_http_resp_header(pv_http_resp *r, const char *name, const char *value)
{
	assert(r->n_headers < PV_HTTP_MAX_HEADERS);
	if (r->n_headers >= PV_HTTP_MAX_HEADERS)
		return;
	char *n = strdup(name), *v = strdup(value);
	if (!n || !v) {
		free(n);
		free(v);
		return;
	}
	r->headers[r->n_headers][0] = n;
	r->headers[r->n_headers][1] = v;
	r->n_headers++;
}

void pv_http_error(pv_http_resp *r, int status, const char *code, const char *fmt, ...)
{
	char msg[PV_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (r->stream && r->stream_free)
		r->stream_free(r->stream_ctx);
	r->stream = NULL;
	r->static_body = NULL;
	r->status = status;
	r->content_type = "application/json";
	pv_buf_reset(&r->body);
	pv_json j;
	pv_json_init_buf(&j, &r->body, false);
	pv_json_object_begin(&j);
	pv_json_key(&j, "error");
	pv_json_object_begin(&j);
	pv_json_kstr(&j, "code", code);
	pv_json_kstr(&j, "message", msg);
	pv_json_object_end(&j);
	pv_json_object_end(&j);
	pv_json_finish(&j);
}

void pv_http_error_from(pv_http_resp *r, const pv_err *e)
{
	int status = pv_code_http(e->code);
	const char *code = status == 400   ? "bad_request"
			   : status == 404 ? "not_found"
			   : status == 413 ? "too_large"
			   : status == 422 ? "data_error"
					   : "internal";
	pv_http_error(r, status, code, "%s", e->msg);
}

void pv_http_json_begin(pv_http_resp *r, pv_json *j)
{
	pv_buf_reset(&r->body);
	r->content_type = "application/json";
	pv_json_init_buf(j, &r->body, false);
}

void pv_http_json_end(pv_http_resp *r, pv_json *j)
{
	int rc = pv_json_finish(j);
	if (rc == PV_ELIMIT)
		pv_http_error(r, 413, "too_large", "the response is over %zu MiB",
			      PV_HTTP_MAX_RESPONSE >> 20);
	else if (rc)
		pv_http_error(r, 500, "internal", "cannot write the response (%s)", pv_code_name(rc));
}

/* ---- streaming */

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream_state *s = cls;
	(void)pos;
	while (s->pos == s->pending.len) {
		if (s->done)
			return MHD_CONTENT_READER_END_OF_STREAM;
		pv_buf_reset(&s->pending);
		s->pos = 0;
		pv_err e;
		pv_err_clear(&e);
		if (s->fn(s->ctx, &s->pending, &s->done, &e))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	size_t n = s->pending.len - s->pos;
	if (n > max)
		n = max;
	memcpy(buf, s->pending.data + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	stream_state *s = cls;
	if (s->ctx_free)
		s->ctx_free(s->ctx);
	pv_buf_release(&s->pending);
	free(s);
}

static struct MHD_Response *make_response(pv_http_resp *r)
{
	struct MHD_Response *m = NULL;
	if (r->stream) {
		stream_state *s = calloc(1, sizeof *s);
		if (!s)
			return NULL;
		s->fn = r->stream;
		s->ctx = r->stream_ctx;
		s->ctx_free = r->stream_free;
		pv_buf_init(&s->pending, 0);
		m = mhd.create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s,
						      stream_free);
		if (!m) {
			free(s);
			return NULL;
		}
		r->stream = NULL; /* the library owns it now */
	} else if (r->static_body) {
		m = mhd.create_response_from_buffer(r->static_len, (void *)r->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else if (r->body.len) {
		size_t n;
		char *data = pv_buf_detach(&r->body, &n);
		m = mhd.create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE);
		if (!m)
			free(data);
	} else {
		m = mhd.create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!m)
		return NULL;
	bool cache_set = false;
	for (size_t i = 0; i < r->n_headers; i++) {
		mhd.add_response_header(m, r->headers[i][0], r->headers[i][1]);
		cache_set |= !strcasecmp(r->headers[i][0], "Cache-Control");
	}
	if (r->content_type)
		mhd.add_response_header(m, "Content-Type", r->content_type);
	if (!cache_set)
		mhd.add_response_header(m, "Cache-Control", "no-store");
	/* The page is ours alone: no framing, no sniffing, nothing from
	 * elsewhere (styles may be inline: the editor injects them). */
	mhd.add_response_header(m, "X-Content-Type-Options", "nosniff");
	mhd.add_response_header(m, "X-Frame-Options", "DENY");
	mhd.add_response_header(m, "Referrer-Policy", "no-referrer");
	mhd.add_response_header(m, "Content-Security-Policy",
				"default-src 'self'; style-src 'self' 'unsafe-inline'; "
				"img-src 'self' data: blob:; connect-src 'self'; "
				"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	return m;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, pv_http_resp *r)
{
	struct MHD_Response *m = make_response(r);
	if (!m)
		return MHD_NO;
	enum MHD_Result rc = mhd.queue_response(c, (unsigned)r->status, m);
	mhd.destroy_response(m);
	return rc;
}

/* ---- the library's callbacks */

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
				 const char *method, const char *version, const char *upload,
				 size_t *upload_size, void **con_cls)
{
	pv_http_daemon *d = cls;
	conn_state *st = *con_cls;
	(void)version;
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st || !(st->path = strdup(url ? url : "/"))) {
			free(st);
			return MHD_NO;
		}
		st->req.srv = d->srv;
		st->req.method = method;
		st->req.path = st->path;
		st->req.conn = c;
		pv_buf_init(&st->req.body, PV_HTTP_MAX_BODY);
		*con_cls = st;
		const char *len = mhd.lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (len && strtoull(len, NULL, 10) > PV_HTTP_MAX_BODY) {
			/* answer now: the library then closes the connection
			 * without reading the body */
			st->answered = true;
			pv_http_resp r;
			pv_http_resp_init(&r);
			pv_http_error(&r, 413, "too_large", "the request body is over %zu KiB",
				      PV_HTTP_MAX_BODY >> 10);
			enum MHD_Result rc = send_resp(c, &r);
			pv_http_resp_release(&r);
			return rc;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (st->answered) {
			*upload_size = 0;
			return MHD_YES;
		}
		if (!st->req.body_too_large &&
		    pv_buf_append(&st->req.body, upload, *upload_size, NULL))
			st->req.body_too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->answered)
		return MHD_YES;
	st->answered = true;
	pv_http_resp r;
	pv_http_resp_init(&r);
	if (st->req.body_too_large)
		pv_http_error(&r, 413, "too_large", "the request body is over %zu KiB",
			      PV_HTTP_MAX_BODY >> 10);
	else
		d->handle(&st->req, &r);
	enum MHD_Result rc = send_resp(c, &r);
	pv_http_resp_release(&r);
	return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	conn_state *st = *con_cls;
	if (!st)
		return;
	pv_buf_release(&st->req.body);
	free(st->path);
	free(st);
	*con_cls = NULL;
}

/* The library's own complaints would go to stderr in its words; the
 * server reports failures in its responses instead. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

int pv_http_bind(const char *host, int port, int *out_fd, int *out_port, pv_err *err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	int g = getaddrinfo(host, portstr, &hints, &ai);
	if (g || !ai)
		return pv_err_set(err, PV_EINVAL, "cannot resolve host '%s': %s", host,
				  gai_strerror(g));
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 512)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return pv_err_set(err, PV_EIO, "cannot listen on %s:%d: %s", host, port, strerror(e));
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len)) {
		int e = errno;
		close(fd);
		return pv_err_set(err, PV_EIO, "cannot listen on %s:%d: %s", host, port, strerror(e));
	}
	*out_port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
					     : ntohs(((struct sockaddr_in *)&ss)->sin_port);
	*out_fd = fd;
	return 0;
}

int pv_http_start(int fd, int n_threads, pv_server *srv, pv_http_handler handle,
		  pv_http_daemon **out, pv_err *err)
{
	*out = NULL;
	int rc = pv_http_load(err);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	pv_http_daemon *d = calloc(1, sizeof *d);
	if (!d) {
		close(fd);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	d->srv = srv;
	d->handle = handle;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
	errno = 0;
	d->mhd = mhd.start_daemon(
		flags, 0, NULL, NULL, on_access, d, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(n_threads > 0 ? n_threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)120, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, d, MHD_OPTION_EXTERNAL_LOGGER,
		quiet_log, NULL, MHD_OPTION_END);
	if (!d->mhd) {
		int e = errno;
		close(fd);
		free(d);
		return pv_err_set(err, PV_EIO, "cannot start the http server: %s",
				  e ? strerror(e) : "the http library refused");
	}
	*out = d;
	return 0;
}

void pv_http_stop(pv_http_daemon *d)
{
	if (!d)
		return;
	mhd.stop_daemon(d->mhd);
	free(d);
}
