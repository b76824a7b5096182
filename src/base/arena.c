/*
 * arena.c - bump allocation in growing blocks, under a cap.
 * Includes only base.
 */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"
#include "base/banned.h"

struct pv_arena_block {
	pv_arena_block *next;
	size_t size; /* usable bytes in data */
	size_t off;  /* next free byte */
	_Alignas(16) unsigned char data[];
};

#define BLOCK_MIN ((size_t)16 * 1024)

void pv_arena_init(pv_arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap ? cap : PV_ARENA_DEFAULT_CAP;
	a->block = 0;
}

void pv_arena_release(pv_arena *a)
{
	if (!a)
		return;
	pv_arena_block *b = a->head;
	while (b) {
		pv_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void pv_arena_reset(pv_arena *a)
{
	if (!a || !a->head)
		return;
	pv_arena_block *keep = a->head;
	while (keep->next) {
		pv_arena_block *b = keep->next;
		keep->next = b->next;
		free(b);
	}
	keep->off = 0;
	a->used = 0;
}

void *pv_arena_alloc(pv_arena *a, size_t n, pv_err *err)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n || a->used > a->cap || need > a->cap - a->used) {
		pv_err_set(err, PV_ELIMIT, "memory cap of %zu bytes reached", a->cap);
		return NULL;
	}
	pv_arena_block *b = a->head;
	if (!b || b->size - b->off < need) {
		size_t size = b ? b->size * 2 : a->block ? a->block : BLOCK_MIN;
		if (size < need)
			size = need;
		if (size > a->cap)
			size = need > BLOCK_MIN ? need : BLOCK_MIN;
		size_t total;
		if (!pv_add_size(sizeof(pv_arena_block), size, &total) ||
		    !(b = malloc(total))) {
			pv_err_set(err, PV_ENOMEM, "out of memory allocating %zu bytes", n);
			return NULL;
		}
		b->size = size;
		b->off = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->off;
	b->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

void *pv_arena_array(pv_arena *a, size_t count, size_t size, pv_err *err)
{
	size_t n;
	if (!pv_mul_size(count, size, &n)) {
		pv_err_set(err, PV_ELIMIT, "array of %zu elements of %zu bytes overflows", count, size);
		return NULL;
	}
	return pv_arena_alloc(a, n ? n : 1, err);
}

char *pv_arena_strndup(pv_arena *a, const char *s, size_t n, pv_err *err)
{
	if (n == SIZE_MAX) {
		pv_err_set(err, PV_ELIMIT, "string too long");
		return NULL;
	}
	char *p = pv_arena_alloc(a, n + 1, err);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *pv_arena_printf(pv_arena *a, pv_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		pv_err_set(err, PV_EINTERNAL, "bad format");
		return NULL;
	}
	char *p = pv_arena_alloc(a, (size_t)n + 1, err);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
