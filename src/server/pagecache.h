/*
 * pagecache.h - the last row pages the server answered, kept whole (the
 * JSON bytes) so that a grid scrolling back, or many clients on the same
 * rows, get them without decoding again. The datasets do not change while
 * the server runs (their footers are read once), so entries never go
 * stale; the least recently used ones go past PV_PAGECACHE_MAX_ENTRIES or
 * max_bytes in total.
 *
 * Thread-safe (one mutex). Includes base and server.
 */
#ifndef PV_PAGECACHE_H
#define PV_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define PV_PAGECACHE_MAX_ENTRIES 256

typedef struct pv_pagecache pv_pagecache;

/* A cache of at most max_bytes of pages (0: 64 MiB). Errors: PV_ENOMEM.
 * Free with pv_pagecache_free. */
int pv_pagecache_new(size_t max_bytes, pv_pagecache **out, pv_err *err);

/* NULL allowed. */
void pv_pagecache_free(pv_pagecache *c);

/* When key is cached, replaces out's contents with the page and returns
 * true. Thread-safe. */
bool pv_pagecache_get(pv_pagecache *c, const char *key, pv_buf *out);

/* Keeps a copy of data under key (a page larger than a quarter of the
 * cache is not kept). Out of memory just keeps nothing. Thread-safe. */
void pv_pagecache_put(pv_pagecache *c, const char *key, const char *data, size_t n);

#endif
