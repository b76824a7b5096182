/*
 * arena.h - a bump allocator with a byte cap.
 *
 * One arena per file holds its footer and schema; one per row group is reset
 * as reading moves on. Everything allocated from an arena is freed at once by
 * pv_arena_reset or pv_arena_release; nothing is freed singly. The cap turns
 * a lying length in a file into a PV_ELIMIT error instead of an OOM.
 * Not thread-safe: one arena, one thread at a time.
 */
#ifndef PV_ARENA_H
#define PV_ARENA_H

#include <stddef.h>

#include "base/err.h"

typedef struct pv_arena_block pv_arena_block;

typedef struct pv_arena {
	pv_arena_block *head; /* newest block first */
	size_t used;          /* bytes handed out, for the cap */
	size_t cap;           /* at most this many bytes; 0 means PV_ARENA_DEFAULT_CAP */
	size_t block;         /* size of the first block; 0 means 16 KiB. Set it before the
	                       * first allocation when the need is known (many small arenas). */
} pv_arena;

#define PV_ARENA_DEFAULT_CAP ((size_t)1 << 30)

/* Prepares an empty arena (no allocation happens yet). */
void pv_arena_init(pv_arena *a, size_t cap);

/* Frees every block; the arena may be used again. NULL allowed. */
void pv_arena_release(pv_arena *a);

/* Frees all but the first block and rewinds it. */
void pv_arena_reset(pv_arena *a);

/* n bytes aligned to 16, zeroed. NULL with PV_ELIMIT past the cap or
 * PV_ENOMEM. Freed by pv_arena_release/pv_arena_reset. */
void *pv_arena_alloc(pv_arena *a, size_t n, pv_err *err);

/* count * size bytes, zeroed, the multiplication overflow-checked. */
void *pv_arena_array(pv_arena *a, size_t count, size_t size, pv_err *err);

/* A NUL-terminated copy of n bytes of s. */
char *pv_arena_strndup(pv_arena *a, const char *s, size_t n, pv_err *err);

/* A NUL-terminated printf into the arena. */
char *pv_arena_printf(pv_arena *a, pv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
