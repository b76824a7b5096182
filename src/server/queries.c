/*
 * queries.c - the query table (queries.h) and the query endpoints.
 * Waiting for the SQL session API (sql/session.h); until it lands the
 * endpoints answer 501.
 * Includes base, dataset, sql and server.
 */
#include "server/queries.h"

#include <stdlib.h>

#include "server/api.h"
#include "base/banned.h"

struct pv_queries {
	pv_server *srv;
};

int pv_queries_new(pv_server *srv, pv_queries **out, pv_err *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	(*out)->srv = srv;
	return 0;
}

void pv_queries_interrupt_all(pv_queries *qs)
{
	(void)qs;
}

void pv_queries_free(pv_queries *qs)
{
	free(qs);
}

static int not_yet(pv_http_resp *r)
{
	pv_http_error(r, 501, "internal", "sql queries are not available in this build yet");
	return 0;
}

int pv_api_query_create(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
int pv_api_query_get(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
int pv_api_query_rows(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
int pv_api_query_cancel(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
int pv_api_query_delete(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
int pv_api_query_export(pv_http_req *q, pv_http_resp *r) { (void)q; return not_yet(r); }
