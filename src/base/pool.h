/*
 * pool.h - a small fixed thread pool for parallel loops.
 *
 * pv_pool_for runs fn(ctx, i) for i in [0, n) on up to n_threads threads
 * (the calling thread included) and returns when all are done. Work is
 * handed out one index at a time from an atomic counter, so slow items do
 * not hold up the rest. fn must be thread-safe with respect to ctx; each
 * index is run exactly once. Includes only base.
 */
#ifndef PV_POOL_H
#define PV_POOL_H

#include <stddef.h>

typedef void (*pv_pool_fn)(void *ctx, size_t i);

/* Number of online CPUs, at least 1. */
int pv_pool_ncpu(void);

/* Runs the loop; n_threads <= 0 means pv_pool_ncpu(). Returns 0, or
 * PV_ENOMEM/PV_EINTERNAL if threads could not be started (then the loop
 * still completes on the calling thread). */
int pv_pool_for(int n_threads, size_t n, pv_pool_fn fn, void *ctx);

#endif
