/*
 * spare.c - the process-wide cache of big buffers (see spare.h): a fixed
 * table of slots behind one mutex. Includes only base.
 */
#include "base/spare.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	void *p;
	size_t cap;
} spare[PV_SPARE_SLOTS];
static size_t spare_total;

/* The smallest kept buffer of [need, 4 * need] bytes, or NULL. */
static void *spare_take(size_t need, size_t *out_cap)
{
	void *p = NULL;
	if (need < PV_SPARE_MIN / 2)
		return NULL;
	size_t most = need > PV_SPARE_BYTES / 4 ? PV_SPARE_BYTES : need * 4;
	pthread_mutex_lock(&spare_lock);
	int best = -1;
	for (int i = 0; i < PV_SPARE_SLOTS; i++)
		if (spare[i].p && spare[i].cap >= need && spare[i].cap <= most &&
		    (best < 0 || spare[i].cap < spare[best].cap))
			best = i;
	if (best >= 0) {
		p = spare[best].p;
		*out_cap = spare[best].cap;
		spare_total -= spare[best].cap;
		spare[best].p = NULL;
		spare[best].cap = 0;
	}
	pthread_mutex_unlock(&spare_lock);
	return p;
}

void *pv_spare_alloc(size_t need, size_t *out_cap)
{
	if (need == 0)
		need = 1;
	size_t got = 0;
	void *p = spare_take(need, &got);
	if (!p) {
		p = malloc(need);
		got = need;
	}
	*out_cap = p ? got : 0;
	return p;
}

void pv_spare_give(void *p, size_t cap)
{
	if (!p)
		return;
	if (cap >= PV_SPARE_MIN && cap <= PV_SPARE_BYTES) {
		pthread_mutex_lock(&spare_lock);
		for (int i = 0; i < PV_SPARE_SLOTS; i++) {
			if (!spare[i].p && spare_total + cap <= PV_SPARE_BYTES) {
				spare[i].p = p;
				spare[i].cap = cap;
				spare_total += cap;
				p = NULL;
				break;
			}
		}
		pthread_mutex_unlock(&spare_lock);
	}
	free(p);
}

int pv_spare_grow(void **buf, size_t *cap, size_t keep, size_t need)
{
	if (*buf && *cap >= need)
		return 0;
	size_t got;
	void *p = pv_spare_alloc(need, &got);
	if (!p)
		return -1;
	if (keep && *buf)
		memcpy(p, *buf, keep);
	pv_spare_give(*buf, *cap);
	*buf = p;
	*cap = got;
	return 0;
}
