/*
 * buf.c - growable, capped byte buffers.
 * Includes only base.
 */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"
#include "base/banned.h"

void pv_buf_init(pv_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap ? cap : PV_BUF_DEFAULT_CAP;
}

void pv_buf_release(pv_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void pv_buf_reset(pv_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

int pv_buf_reserve(pv_buf *b, size_t n, pv_err *err)
{
	size_t need;
	if (!pv_add_size(b->len, n, &need) || !pv_add_size(need, 1, &need) || need - 1 > b->cap)
		return pv_err_set(err, PV_ELIMIT, "buffer cap of %zu bytes reached", b->cap);
	if (need <= b->alloc)
		return 0;
	size_t alloc = b->alloc ? b->alloc : 64;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	char *p = realloc(b->data, alloc);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory growing a buffer to %zu bytes", alloc);
	b->data = p;
	b->alloc = alloc;
	return 0;
}

int pv_buf_append_grow(pv_buf *b, const void *p, size_t n, pv_err *err)
{
	int rc = pv_buf_reserve(b, n, err);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int pv_buf_puts(pv_buf *b, const char *s, pv_err *err)
{
	return pv_buf_append(b, s, strlen(s), err);
}

int pv_buf_put_uvarint(pv_buf *b, uint64_t v, pv_err *err)
{
	uint8_t tmp[10];
	size_t n = 0;
	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	return pv_buf_append(b, tmp, n, err);
}

int pv_buf_vprintf(pv_buf *b, pv_err *err, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return pv_err_set(err, PV_EINTERNAL, "bad format");
	int rc = pv_buf_reserve(b, (size_t)n, err);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int pv_buf_printf(pv_buf *b, pv_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = pv_buf_vprintf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

char *pv_buf_detach(pv_buf *b, size_t *out_len)
{
	if (!b->data && pv_buf_reserve(b, 0, NULL))
		return NULL;
	char *p = b->data;
	if (out_len)
		*out_len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}
