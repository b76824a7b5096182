/*
 * spare.h - a small process-wide cache of big malloc'd buffers, so that
 * work done batch after batch (decompressed pages, read windows, the value
 * buffers of Arrow batches) reuses memory instead of mapping and faulting
 * in fresh pages every time: for a full decode, the kernel's page faults
 * and zeroing cost more than decoding the values.
 *
 * Bounded: at most PV_SPARE_SLOTS buffers and PV_SPARE_BYTES in all are
 * kept, none below PV_SPARE_MIN; what does not fit is freed. A request
 * takes the smallest kept buffer that fits it, and none more than four
 * times its size, so a small request does not take the big buffer that a
 * big one will want next. Every buffer is plain malloc memory: whatever
 * pv_spare_alloc returns may be freed with free() or realloc'd, and any
 * malloc'd buffer may be given. Thread-safe (one mutex). Includes only
 * base.
 */
#ifndef PV_SPARE_H
#define PV_SPARE_H

#include <stddef.h>

#define PV_SPARE_SLOTS 16
#define PV_SPARE_BYTES ((size_t)256 << 20)
#define PV_SPARE_MIN ((size_t)1 << 20)

/* A buffer of at least need bytes (need 0 counts as 1), from the cache
 * when one fits, else from malloc; *out_cap gets its real size. The
 * contents are undefined (not zeroed). NULL when malloc fails. Give it
 * back with pv_spare_give (or free it). */
void *pv_spare_alloc(size_t need, size_t *out_cap);

/* Hands back p, a malloc'd buffer of cap bytes: kept for a later
 * pv_spare_alloc when it is big enough and there is room, else freed.
 * NULL allowed. p must not be used afterwards. */
void pv_spare_give(void *p, size_t cap);

/* Grows *buf (of *cap bytes, the first keep of them in use) to hold at
 * least need bytes, keeping those keep bytes: a bigger buffer from
 * pv_spare_alloc, the old one given back. Nothing changes when *cap is
 * enough already. Returns 0, or -1 when memory runs out (then *buf is
 * unchanged). */
int pv_spare_grow(void **buf, size_t *cap, size_t keep, size_t need);

#endif
