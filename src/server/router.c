/*
 * router.c - the route table: (method, path pattern) -> handler, and the
 * dispatch every request goes through (auth first, then the route).
 *
 * Patterns are '/'-separated segments matched exactly, "{}" matching any
 * one non-empty segment (captured into q->params) and a final "*"
 * matching the rest. Paths arrive percent-decoded, so an encoded slash
 * splits a segment and "%2e%2e" is the segment "..", which matches no
 * dataset id and no file index. HEAD is served as GET (the library drops
 * the body). A path that matches a route of another method is 405.
 * Includes base and server only.
 */
#include <string.h>

#include "server/api.h"
#include "base/banned.h"

typedef struct route {
	const char *method;
	const char *pattern;
	int (*fn)(pv_http_req *q, pv_http_resp *r);
} route;

static const route routes[] = {
	{ "GET", "/api/health", pv_api_health },
	{ "GET", "/api/datasets", pv_api_datasets },
	{ "GET", "/api/datasets/{}/files", pv_api_files },
	{ "GET", "/api/datasets/{}/schema", pv_api_schema },
	{ "GET", "/api/datasets/{}/files/{}/meta", pv_api_file_meta },
	{ "GET", "/api/datasets/{}/files/{}/pages", pv_api_file_pages },
	{ "GET", "/api/datasets/{}/rows", pv_api_rows },
	{ "GET", "/api/datasets/{}/sample", pv_api_sample },
	{ "GET", "/api/datasets/{}/export", pv_api_dataset_export },
	{ "POST", "/api/queries", pv_api_query_create },
	{ "GET", "/api/queries/{}", pv_api_query_get },
	{ "DELETE", "/api/queries/{}", pv_api_query_delete },
	{ "GET", "/api/queries/{}/rows", pv_api_query_rows },
	{ "POST", "/api/queries/{}/cancel", pv_api_query_cancel },
	{ "GET", "/api/queries/{}/export", pv_api_query_export },
	{ "GET", "/", pv_api_static },
	{ "GET", "/index.html", pv_api_static },
	{ "GET", "/assets/*", pv_api_static },
	{ "GET", "/favicon.ico", pv_api_static },
};

/* Matches path against pattern, capturing {} segments into q. */
static bool match(const char *pattern, const char *path, pv_http_req *q)
{
	size_t n_params = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		if (!strcmp(p, "*"))
			return true;
		size_t pl = strcspn(p, "/"), sl = strcspn(s, "/");
		if (pl == 2 && !strncmp(p, "{}", 2)) {
			if (!sl || n_params == PV_HTTP_MAX_PARAMS)
				return false;
			q->params[n_params++] = s; /* ended by the '/' replaced below */
		} else if (pl != sl || strncmp(p, s, pl)) {
			return false;
		}
		p += pl;
		s += sl;
	}
	if (*p || *s)
		return false;
	q->n_params = n_params;
	return true;
}

int pv_router_dispatch(pv_http_req *q, pv_http_resp *r)
{
	if (!pv_auth_check(&q->srv->auth, q, r))
		return 0;
	const char *method = strcmp(q->method, "HEAD") ? q->method : "GET";
	if (strlen(q->path) >= 4096) {
		pv_http_error(r, 404, "not_found", "no such path");
		return 0;
	}
	/* a copy whose '/' after each {} segment can end it */
	char path[4096];
	memcpy(path, q->path, strlen(q->path) + 1);
	bool other_method = false;
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		if (!match(routes[i].pattern, path, q))
			continue;
		if (strcmp(routes[i].method, method)) {
			other_method = true;
			continue;
		}
		for (size_t k = 0; k < q->n_params; k++)
			((char *)q->params[k])[strcspn(q->params[k], "/")] = '\0';
		return routes[i].fn(q, r);
	}
	if (other_method)
		pv_http_error(r, 405, "method_not_allowed", "%s is not allowed on '%.200s'", q->method,
			      q->path);
	else
		pv_http_error(r, 404, "not_found", "no such path '%.200s'", q->path);
	return 0;
}
