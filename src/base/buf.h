/*
 * buf.h - a growable byte buffer with a cap (curl's dynbuf idea).
 *
 * The caller owns the struct: pv_buf_init / pv_buf_release. Growth past the
 * cap fails with PV_ELIMIT, so a buffer filled from untrusted input cannot
 * eat the machine. The data is always NUL-terminated for convenience.
 * Not thread-safe.
 */
#ifndef PV_BUF_H
#define PV_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/err.h"

typedef struct pv_buf {
	char *data;   /* NULL until the first append; then NUL-terminated */
	size_t len;   /* bytes used, not counting the NUL */
	size_t alloc; /* bytes allocated */
	size_t cap;   /* at most this many bytes; 0 means PV_BUF_DEFAULT_CAP */
} pv_buf;

#define PV_BUF_DEFAULT_CAP ((size_t)1 << 31)

void pv_buf_init(pv_buf *b, size_t cap);
void pv_buf_release(pv_buf *b); /* NULL allowed */
void pv_buf_reset(pv_buf *b);   /* len = 0, keeps memory */

/* Makes room for n more bytes. */
int pv_buf_reserve(pv_buf *b, size_t n, pv_err *err);

/* pv_buf_append when the bytes do not fit yet (grows the buffer). */
int pv_buf_append_grow(pv_buf *b, const void *p, size_t n, pv_err *err);

/* Appends p[0..n). Inline because the renderers append a few bytes at a
 * time, millions of times: when they fit, no call is made. */
static inline int pv_buf_append(pv_buf *b, const void *p, size_t n, pv_err *err)
{
	/* room for n bytes and the NUL, within the cap (len <= cap, and
	 * alloc is 0 until the first append) */
	if (b->alloc - b->len > n && b->cap - b->len >= n) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return pv_buf_append_grow(b, p, n, err);
}

static inline int pv_buf_putc(pv_buf *b, char c, pv_err *err)
{
	return pv_buf_append(b, &c, 1, err);
}

int pv_buf_puts(pv_buf *b, const char *s, pv_err *err);
/* v as an unsigned LEB128 varint (7 bits a byte, low first; 1 to 10 bytes):
 * Thrift compact integers and lengths, RLE run headers. The reverse is
 * pv_cursor_uvarint (base/cursor.h). */
int pv_buf_put_uvarint(pv_buf *b, uint64_t v, pv_err *err);
int pv_buf_printf(pv_buf *b, pv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pv_buf_vprintf(pv_buf *b, pv_err *err, const char *fmt, va_list ap);

/* Hands the data to the caller (free() it) and empties the buffer. */
char *pv_buf_detach(pv_buf *b, size_t *out_len);

#endif
