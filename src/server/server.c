/*
 * server.c - the server's life: open the datasets, bind, make the token,
 * start the HTTP pool, and at the end stop everything in order.
 * Includes base, dataset and server.
 */
#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/api.h"
#include "server/queries.h"
#include "base/banned.h"

static int handle(pv_http_req *q, pv_http_resp *r)
{
	return pv_router_dispatch(q, r);
}

int pv_server_open(const pv_server_opts *opts, pv_server **out, pv_err *err)
{
	*out = NULL;
	pv_server *s = calloc(1, sizeof *s);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	s->opts = *opts;
	snprintf(s->host, sizeof s->host, "%s", opts->host ? opts->host : "127.0.0.1");
	s->opts.host = s->host;
	if (s->opts.threads <= 0)
		s->opts.threads = 4;
	if (s->opts.query_timeout_s <= 0)
		s->opts.query_timeout_s = 60;
	if (s->opts.max_queries <= 0)
		s->opts.max_queries = 4;
	if (!s->opts.query_result_bytes)
		s->opts.query_result_bytes = (size_t)256 << 20;
	if (!s->opts.version)
		s->opts.version = "?";
	int fd = -1;
	/* a missing libmicrohttpd is known before the datasets are opened */
	int rc = pv_http_load(err);
	if (!rc)
		rc = pv_catalog_open(&s->cat, opts->datasets, opts->n_datasets,
				 (size_t)s->opts.threads, err);
	if (!rc)
		rc = pv_http_bind(s->host, opts->port, &fd, &s->port, err);
	bool auth = false;
	if (!rc && !(rc = pv_auth_init(&s->auth, s->host, s->port, err)))
		auth = true;
	if (!rc)
		rc = pv_queries_new(s, &s->queries, err);
	if (!rc)
		rc = pv_pagecache_new(0, &s->pages, err);
	if (!rc) {
		bool v6 = strchr(s->host, ':') != NULL;
		snprintf(s->url, sizeof s->url, "http://%s%s%s:%d/?token=%s", v6 ? "[" : "", s->host,
			 v6 ? "]" : "", s->port, s->auth.token);
		rc = pv_http_start(fd, s->opts.threads, s, handle, &s->http, err);
		fd = -1;
	}
	if (rc) {
		if (fd >= 0)
			close(fd);
		pv_queries_free(s->queries);
		pv_pagecache_free(s->pages);
		if (auth)
			pv_auth_release(&s->auth);
		pv_catalog_release(&s->cat);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

const char *pv_server_url(const pv_server *s)
{
	return s->url;
}

int pv_server_port(const pv_server *s)
{
	return s->port;
}

void pv_server_close(pv_server *s)
{
	if (!s)
		return;
	/* queries first: their threads may be streaming to a connection */
	pv_queries_interrupt_all(s->queries);
	pv_http_stop(s->http);
	pv_queries_free(s->queries);
	pv_pagecache_free(s->pages);
	pv_auth_release(&s->auth);
	pv_catalog_release(&s->cat);
	free(s);
}
