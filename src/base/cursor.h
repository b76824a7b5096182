/*
 * cursor.h - the one bounds-checked reader of untrusted bytes.
 *
 * Every read checks the remaining length; a read past the end sets a sticky
 * error flag, returns zero values and moves nothing, so a parser can read a
 * whole structure and check pv_cursor_ok once at the end (Redis' listpack
 * validation, picohttpparser's CHECK_EOF). Little-endian fixed-width reads
 * and ULEB128/zigzag varints (Thrift compact, RLE, DELTA) live here.
 * Header only; includes only the C library.
 */
#ifndef PV_CURSOR_H
#define PV_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pv_cursor {
	const uint8_t *p;   /* next byte */
	const uint8_t *end; /* one past the last byte */
	bool bad;           /* sticky: a read went past the end or a varint was malformed */
} pv_cursor;

static inline pv_cursor pv_cursor_make(const void *data, size_t len)
{
	pv_cursor c = { (const uint8_t *)data, (const uint8_t *)data + len, false };
	return c;
}

static inline size_t pv_cursor_left(const pv_cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline bool pv_cursor_ok(const pv_cursor *c)
{
	return !c->bad;
}

/* Returns a pointer to n bytes and advances, or NULL (and bad) if short. */
static inline const uint8_t *pv_cursor_take(pv_cursor *c, size_t n)
{
	if (c->bad || n > pv_cursor_left(c)) {
		c->bad = true;
		return NULL;
	}
	const uint8_t *p = c->p;
	c->p += n;
	return p;
}

static inline bool pv_cursor_skip(pv_cursor *c, size_t n)
{
	return pv_cursor_take(c, n) != NULL;
}

static inline uint8_t pv_cursor_u8(pv_cursor *c)
{
	const uint8_t *p = pv_cursor_take(c, 1);
	return p ? p[0] : 0;
}

static inline uint32_t pv_cursor_u32le(pv_cursor *c)
{
	const uint8_t *p = pv_cursor_take(c, 4);
	if (!p)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pv_cursor_u64le(pv_cursor *c)
{
	const uint8_t *p = pv_cursor_take(c, 8);
	if (!p)
		return 0;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ULEB128, at most 10 bytes; a longer or truncated varint sets bad. */
static inline uint64_t pv_cursor_uvarint(pv_cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (c->bad || c->p >= c->end) {
			c->bad = true;
			return 0;
		}
		uint8_t b = *c->p++;
		if (shift == 63 && b > 1) {
			c->bad = true;
			return 0;
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

/* Zigzag-decoded ULEB128. */
static inline int64_t pv_cursor_zvarint(pv_cursor *c)
{
	uint64_t u = pv_cursor_uvarint(c);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Reads little-endian helpers from raw pointers the caller has checked. */
static inline uint32_t pv_load_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pv_load_u64le(const uint8_t *p)
{
	return (uint64_t)pv_load_u32le(p) | (uint64_t)pv_load_u32le(p + 4) << 32;
}

#endif
