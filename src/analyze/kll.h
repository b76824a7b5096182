/*
 * kll.h - KLL quantile sketch over doubles (Karnin, Lang, Liberty 2016),
 * mergeable, with a stated rank error.
 *
 * Items live in levels; an item at level h stands for 2^h input values.
 * Level h of H holds at most max(2, k (2/3)^(H-1-h)) items; when the
 * sketch is full the lowest full level is sorted and every other item
 * (a coin flip picks odd or even positions) moves up a level. With
 * k = PV_KLL_K = 200 the sketch holds at most about 3k items and the
 * normalised rank error of a quantile is at most PV_KLL_RANK_ERROR
 * (1.33%, the DataSketches bound for k = 200 at 99% confidence): the
 * value returned for fraction q has a true rank within q +- 1.33% of the
 * values. While nothing has been compacted (pv_kll_exact) quantiles are
 * exact. Merging appends the other sketch's levels and compacts, so the
 * merged sketch keeps the same bound over the union.
 *
 * The coins come from a fixed-seed generator, so one input order gives
 * one answer. NaN must not be added (callers count NaNs themselves).
 * Allocation failures are sticky: pv_kll_failed tells. Caller-owned
 * (pv_kll_init / pv_kll_release); not thread-safe. Includes only base and
 * analyze.
 */
#ifndef PV_KLL_H
#define PV_KLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_KLL_K 200
#define PV_KLL_RANK_ERROR 0.0133
#define PV_KLL_MAX_LEVELS 60

typedef struct pv_kll_level {
	double *items;
	size_t len, cap;
} pv_kll_level;

typedef struct pv_kll {
	uint64_t n;          /* values added */
	double min, max;     /* exact; meaningful when n > 0 */
	size_t n_levels;     /* H >= 1 */
	size_t size;         /* items held over all levels */
	pv_kll_level lv[PV_KLL_MAX_LEVELS];
	uint64_t rng;
	bool compacted;      /* some items stand for more than one value */
	bool failed;         /* an allocation failed; answers are unreliable */
} pv_kll;

void pv_kll_init(pv_kll *s);
void pv_kll_release(pv_kll *s); /* NULL allowed; s may be initialised again */

/* Adds one value (not NaN). */
void pv_kll_add(pv_kll *s, double x);

/* dst := the sketch of both inputs (src unchanged). */
void pv_kll_merge(pv_kll *dst, const pv_kll *src);

/* True when no value was compacted away: quantiles are exact. */
bool pv_kll_exact(const pv_kll *s);

/* True after an allocation failure. */
bool pv_kll_failed(const pv_kll *s);

/* The values at fractions q[0..n) (each in [0, 1]) into out[0..n): the
 * smallest held item whose weighted rank reaches q * n, q = 0 giving the
 * minimum and 1 the maximum. Sketch with no values: NaN. Returns 0 or
 * PV_ENOMEM. */
int pv_kll_quantiles(const pv_kll *s, const double *q, size_t n, double *out);

/* The estimated fraction of values <= x. */
double pv_kll_rank(const pv_kll *s, double x);

/* Adds a level's items as they are (for restoring a saved sketch):
 * level < PV_KLL_MAX_LEVELS. Returns 0 or PV_ENOMEM / PV_EINVAL. */
int pv_kll_restore_level(pv_kll *s, size_t level, const double *items, size_t n);

#endif
