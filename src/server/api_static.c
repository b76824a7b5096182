/*
 * api_static.c - the embedded front end: GET /, /index.html, /assets/NAME
 * from pv_asset_find (server/assets.h, generated from web/ at build time)
 * with Content-Type, ETag (If-None-Match answers 304) and Cache-Control
 * "no-cache" (the browser revalidates; the cookie guards every file).
 * Includes base and server only.
 */
#include <string.h>

#include "server/api.h"
#include "server/assets.h"
#include "base/banned.h"

int pv_api_static(pv_http_req *q, pv_http_resp *r)
{
	const pv_asset *a = pv_asset_find(q->path);
	if (!a) {
		pv_http_error(r, 404, "not_found", "no such file '%.200s'", q->path);
		return 0;
	}
	pv_http_resp_header(r, "Cache-Control", "no-cache");
	if (a->etag)
		pv_http_resp_header(r, "ETag", a->etag);
	const char *inm = pv_http_header(q, "If-None-Match");
	if (inm && a->etag && !strcmp(inm, a->etag)) {
		r->status = 304;
		r->content_type = NULL;
		return 0;
	}
	r->content_type = a->content_type;
	r->static_body = a->data;
	r->static_len = a->size;
	if (!a->size) /* an empty file still answers with its type */
		r->static_body = "";
	return 0;
}
