/*
 * pool.c - parallel for over pthreads with an atomic work counter.
 * Includes only base.
 */
#include "base/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/err.h"
#include "base/banned.h"

#define POOL_MAX_THREADS 64

struct loop {
	pv_pool_fn fn;
	void *ctx;
	size_t n;
	atomic_size_t next;
};

static void *worker(void *arg)
{
	struct loop *l = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&l->next, 1);
		if (i >= l->n)
			break;
		l->fn(l->ctx, i);
	}
	return NULL;
}

int pv_pool_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)n;
}

int pv_pool_for(int n_threads, size_t n, pv_pool_fn fn, void *ctx)
{
	struct loop l = { fn, ctx, n, 0 };
	if (n_threads <= 0)
		n_threads = pv_pool_ncpu();
	if (n_threads > POOL_MAX_THREADS)
		n_threads = POOL_MAX_THREADS;
	if ((size_t)n_threads > n)
		n_threads = (int)n;
	pthread_t tids[POOL_MAX_THREADS];
	int started = 0, rc = 0;
	for (int t = 1; t < n_threads; t++) {
		if (pthread_create(&tids[started], NULL, worker, &l)) {
			rc = PV_EINTERNAL;
			break;
		}
		started++;
	}
	worker(&l);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	return rc;
}
