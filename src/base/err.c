/*
 * err.c - filling, prefixing and mapping pv_err values.
 * Includes only the C library.
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/banned.h"

void pv_err_clear(pv_err *e)
{
	if (!e)
		return;
	e->code = PV_OK;
	e->msg[0] = '\0';
}

/* Keep messages on one line whatever a file or a library hands us. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

int pv_err_set(pv_err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	one_line(e->msg);
	e->code = code;
	return code;
}

void pv_err_prefix(pv_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	char ctx[PV_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ctx, sizeof ctx, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* ctx and ": " first, then as much of the old message as fits */
	char out[PV_ERR_MSG_MAX];
	size_t clen = (size_t)n < sizeof out - 3 ? (size_t)n : sizeof out - 3;
	memcpy(out, ctx, clen);
	memcpy(out + clen, ": ", 2);
	size_t room = sizeof out - clen - 3;
	size_t mlen = strnlen(e->msg, sizeof e->msg);
	if (mlen > room)
		mlen = room;
	memcpy(out + clen + 2, e->msg, mlen);
	out[clen + 2 + mlen] = '\0';
	memcpy(e->msg, out, sizeof out);
	one_line(e->msg);
}

void pv_err_copy(pv_err *dst, const pv_err *src)
{
	if (!dst)
		return;
	if (!src) {
		pv_err_clear(dst);
		return;
	}
	*dst = *src;
}

const char *pv_code_name(int code)
{
	switch (code) {
	case PV_OK: return "ok";
	case PV_EIO: return "io";
	case PV_ECORRUPT: return "corrupt";
	case PV_EUNSUPPORTED: return "unsupported";
	case PV_ENOMEM: return "nomem";
	case PV_ELIMIT: return "limit";
	case PV_EINVAL: return "invalid_arg";
	case PV_ENOTFOUND: return "not_found";
	default: return "internal";
	}
}

int pv_code_exit(int code)
{
	switch (code) {
	case PV_OK: return 0;
	case PV_EINVAL: return 2;
	case PV_EIO:
	case PV_ECORRUPT:
	case PV_EUNSUPPORTED:
	case PV_ELIMIT:
	case PV_ENOTFOUND: return 3;
	default: return 4;
	}
}

int pv_code_http(int code)
{
	switch (code) {
	case PV_OK: return 200;
	case PV_EINVAL: return 400;
	case PV_ENOTFOUND: return 404;
	case PV_ELIMIT: return 413;
	case PV_ECORRUPT:
	case PV_EUNSUPPORTED: return 422;
	default: return 500;
	}
}
