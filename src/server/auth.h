/*
 * auth.h - the one place that decides whether a request may be served:
 * the Host header (DNS rebinding), the token and the session cookie it is
 * exchanged for, and the Origin of state-changing requests.
 *
 * Rules, in order:
 *   1. Host must be 127.0.0.1:PORT, localhost:PORT, [::1]:PORT or the
 *      bound HOST:PORT, else 403.
 *   2. GET /?token=T: the right T answers 302 to / with
 *      Set-Cookie: pv_session=<random>; HttpOnly; SameSite=Strict; Path=/;
 *      a wrong one 403.
 *   3. "Authorization: Bearer T" with the right T, or the cookie of a
 *      session handed out by rule 2; else 403 (a wrong Bearer is 403 even
 *      with a good cookie).
 *   4. Methods other than GET and HEAD need Origin equal to http://HOST
 *      for one of the hosts of rule 1; without an Origin only Bearer
 *      requests pass (scripts, not browsers). Else 403.
 * Tokens and session ids are 128 random bits (getrandom), compared in
 * constant time. At most PV_AUTH_MAX_SESSIONS sessions live; a new one
 * pushes out the oldest.
 *
 * Thread-safe after pv_auth_init. Includes base and server.
 */
#ifndef PV_AUTH_H
#define PV_AUTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "server/http.h"

#define PV_AUTH_MAX_SESSIONS 64
#define PV_AUTH_TOKEN_LEN 32 /* hex digits */

typedef struct pv_auth {
	char token[PV_AUTH_TOKEN_LEN + 1];
	char hosts[4][300]; /* "127.0.0.1:8080", ... */
	size_t n_hosts;
	pthread_mutex_t lock;
	char sessions[PV_AUTH_MAX_SESSIONS][PV_AUTH_TOKEN_LEN + 1];
	size_t n_sessions, next;
} pv_auth;

/* A fresh token for a server bound to host:port. Errors: PV_EIO when no
 * randomness can be had. Release with pv_auth_release. */
int pv_auth_init(pv_auth *a, const char *host, int port, pv_err *err);
void pv_auth_release(pv_auth *a);

/* True when q may go on to its handler; otherwise r holds the answer
 * (403, or the 302 of the token exchange). Sets q->bearer. */
bool pv_auth_check(pv_auth *a, pv_http_req *q, pv_http_resp *r);

#endif
