/*
 * auth.c - Host, token, session cookie and Origin checks (rules in
 * auth.h). Includes base and server only.
 */
#include "server/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "base/banned.h"

static int random_hex(char *out, pv_err *err)
{
	unsigned char b[PV_AUTH_TOKEN_LEN / 2];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n <= 0)
			return pv_err_set(err, PV_EIO, "cannot get random bytes for the token");
		got += (size_t)n;
	}
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof b; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[PV_AUTH_TOKEN_LEN] = '\0';
	return 0;
}

/* Equal strings, in time that depends only on the length of b. */
static bool same_secret(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char diff = na != nb;
	for (size_t i = 0; i < nb; i++)
		diff |= (unsigned char)(b[i] ^ (i < na ? a[i] : 0));
	return diff == 0;
}

int pv_auth_init(pv_auth *a, const char *host, int port, pv_err *err)
{
	memset(a, 0, sizeof *a);
	int rc = random_hex(a->token, err);
	if (rc)
		return rc;
	snprintf(a->hosts[a->n_hosts++], sizeof a->hosts[0], "127.0.0.1:%d", port);
	snprintf(a->hosts[a->n_hosts++], sizeof a->hosts[0], "localhost:%d", port);
	snprintf(a->hosts[a->n_hosts++], sizeof a->hosts[0], "[::1]:%d", port);
	if (strcmp(host, "127.0.0.1") && strcmp(host, "localhost") && strcmp(host, "::1"))
		snprintf(a->hosts[a->n_hosts++], sizeof a->hosts[0],
			 strchr(host, ':') ? "[%.200s]:%d" : "%.200s:%d", host, port);
	pthread_mutex_init(&a->lock, NULL);
	return 0;
}

void pv_auth_release(pv_auth *a)
{
	if (!a)
		return;
	pthread_mutex_destroy(&a->lock);
	memset(a, 0, sizeof *a);
}

static bool host_ok(const pv_auth *a, const char *host)
{
	for (size_t i = 0; host && i < a->n_hosts; i++)
		if (!strcasecmp(host, a->hosts[i]))
			return true;
	return false;
}

static bool origin_ok(const pv_auth *a, const char *origin)
{
	if (strncmp(origin, "http://", 7))
		return false;
	return host_ok(a, origin + 7);
}

static bool session_ok(pv_auth *a, const char *id)
{
	if (!id || strlen(id) != PV_AUTH_TOKEN_LEN)
		return false;
	bool ok = false;
	pthread_mutex_lock(&a->lock);
	for (size_t i = 0; i < a->n_sessions; i++)
		ok |= same_secret(id, a->sessions[i]);
	pthread_mutex_unlock(&a->lock);
	return ok;
}

static void exchange(pv_auth *a, pv_http_resp *r)
{
	char id[PV_AUTH_TOKEN_LEN + 1];
	if (random_hex(id, NULL)) {
		pv_http_error(r, 500, "internal", "cannot make a session id");
		return;
	}
	pthread_mutex_lock(&a->lock);
	memcpy(a->sessions[a->next], id, sizeof id);
	a->next = (a->next + 1) % PV_AUTH_MAX_SESSIONS;
	if (a->n_sessions < PV_AUTH_MAX_SESSIONS)
		a->n_sessions++;
	pthread_mutex_unlock(&a->lock);
	char cookie[128];
	snprintf(cookie, sizeof cookie, "pv_session=%s; HttpOnly; SameSite=Strict; Path=/", id);
	r->status = 302;
	r->content_type = NULL;
	pv_http_resp_header(r, "Location", "/");
	pv_http_resp_header(r, "Set-Cookie", cookie);
}

bool pv_auth_check(pv_auth *a, pv_http_req *q, pv_http_resp *r)
{
	const char *host = pv_http_header(q, "Host");
	if (!host_ok(a, host)) {
		pv_http_error(r, 403, "forbidden", "host '%.100s' is not this server",
			      host ? host : "");
		return false;
	}
	const char *token = !strcmp(q->path, "/") ? pv_http_arg(q, "token") : NULL;
	if (token) {
		if (same_secret(token, a->token))
			exchange(a, r);
		else
			pv_http_error(r, 403, "forbidden", "wrong token");
		return false;
	}
	const char *auth = pv_http_header(q, "Authorization");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) || !same_secret(auth + 7, a->token)) {
			pv_http_error(r, 403, "forbidden", "wrong token");
			return false;
		}
		q->bearer = true;
	} else if (!session_ok(a, pv_http_cookie(q, "pv_session"))) {
		pv_http_error(r, 403, "forbidden",
			      "missing or wrong token: open the URL parqview serve printed");
		return false;
	}
	if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD")) {
		const char *origin = pv_http_header(q, "Origin");
		if (origin ? !origin_ok(a, origin) : !q->bearer) {
			pv_http_error(r, 403, "forbidden", "origin '%.100s' may not change anything here",
				      origin ? origin : "(none)");
			return false;
		}
	}
	return true;
}
