/*
 * pagecache.c - least recently used row pages (pagecache.h), a small
 * array scanned linearly: at most PV_PAGECACHE_MAX_ENTRIES entries, so a
 * scan is cheaper than the request around it.
 * Includes base and server only.
 */
#include "server/pagecache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

typedef struct entry {
	char *key;
	char *data;
	size_t n;
	uint64_t used;
} entry;

struct pv_pagecache {
	pthread_mutex_t lock;
	entry items[PV_PAGECACHE_MAX_ENTRIES];
	size_t n_items, bytes, max_bytes;
	uint64_t clock;
};

int pv_pagecache_new(size_t max_bytes, pv_pagecache **out, pv_err *err)
{
	pv_pagecache *c = calloc(1, sizeof *c);
	if (!c)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	c->max_bytes = max_bytes ? max_bytes : (size_t)64 << 20;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void pv_pagecache_free(pv_pagecache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_items; i++) {
		free(c->items[i].key);
		free(c->items[i].data);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

bool pv_pagecache_get(pv_pagecache *c, const char *key, pv_buf *out)
{
	bool found = false;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n_items && !found; i++) {
		entry *e = &c->items[i];
		if (strcmp(e->key, key))
			continue;
		pv_buf_reset(out);
		found = pv_buf_append(out, e->data, e->n, NULL) == 0;
		e->used = ++c->clock;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

static void drop(pv_pagecache *c, size_t i)
{
	c->bytes -= c->items[i].n;
	free(c->items[i].key);
	free(c->items[i].data);
	c->items[i] = c->items[--c->n_items];
}

void pv_pagecache_put(pv_pagecache *c, const char *key, const char *data, size_t n)
{
	if (n > c->max_bytes / 4)
		return;
	char *k = strdup(key), *d = malloc(n ? n : 1);
	if (!k || !d) {
		free(k);
		free(d);
		return;
	}
	memcpy(d, data, n);
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n_items; i++)
		if (!strcmp(c->items[i].key, key)) {
			drop(c, i);
			break;
		}
	while (c->n_items && (c->n_items == PV_PAGECACHE_MAX_ENTRIES || c->bytes + n > c->max_bytes)) {
		size_t old = 0;
		for (size_t i = 1; i < c->n_items; i++)
			if (c->items[i].used < c->items[old].used)
				old = i;
		drop(c, old);
	}
	c->items[c->n_items++] = (entry){ k, d, n, ++c->clock };
	c->bytes += n;
	pthread_mutex_unlock(&c->lock);
}
