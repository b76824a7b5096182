/*
 * kll.c - the KLL sketch (kll.h): levels, compaction, merge and queries.
 * Must not include anything above base.
 */
#include "analyze/kll.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/banned.h"

void pv_kll_release(pv_kll *s)
{
	if (!s)
		return;
	for (size_t h = 0; h < PV_KLL_MAX_LEVELS; h++)
		free(s->lv[h].items);
	memset(s, 0, sizeof *s);
}

/* Capacity of the level `depth` below the top: k (2/3)^depth, at least
 * 2; computed once. */
static size_t cap_table[PV_KLL_MAX_LEVELS];
static size_t max_table[PV_KLL_MAX_LEVELS + 1];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void make_tables(void)
{
	for (size_t d = 0; d < PV_KLL_MAX_LEVELS; d++) {
		size_t v = (size_t)ceil(PV_KLL_K * pow(2.0 / 3.0, (double)d));
		cap_table[d] = v < 2 ? 2 : v;
	}
	for (size_t h = 1; h <= PV_KLL_MAX_LEVELS; h++)
		max_table[h] = max_table[h - 1] + cap_table[h - 1];
}

static size_t capacity(const pv_kll *s, size_t h)
{
	return cap_table[s->n_levels - 1 - h];
}

/* The most items a sketch of n_levels levels holds. */
static size_t max_size(const pv_kll *s)
{
	return max_table[s->n_levels];
}

void pv_kll_init(pv_kll *s)
{
	pthread_once(&tables_once, make_tables);
	memset(s, 0, sizeof *s);
	s->n_levels = 1;
	s->rng = 0x9e3779b97f4a7c15u;
	s->min = INFINITY;
	s->max = -INFINITY;
}

static bool push(pv_kll *s, size_t h, const double *x, size_t n)
{
	if (!n)
		return true;
	pv_kll_level *l = &s->lv[h];
	if (l->len + n > l->cap) {
		size_t cap = l->cap ? l->cap : 16;
		while (cap < l->len + n)
			cap *= 2;
		double *p = realloc(l->items, cap * sizeof *p);
		if (!p) {
			s->failed = true;
			return false;
		}
		l->items = p;
		l->cap = cap;
	}
	memcpy(l->items + l->len, x, n * sizeof *x);
	l->len += n;
	s->size += n;
	return true;
}

/* Sorts x[0..n) ascending (no NaNs): quicksort with insertion sort for
 * short runs, faster than qsort's indirect comparisons. */
static void sort_doubles(double *x, size_t n)
{
	while (n > 16) {
		double a = x[0], b = x[n / 2], c = x[n - 1];
		double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = 0, j = n - 1;
		for (;;) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i >= j)
				break;
			double t = x[i];
			x[i] = x[j];
			x[j] = t;
			i++;
			j--;
		}
		/* recurse into the smaller side, loop on the larger */
		size_t left = j + 1;
		if (left < n - left) {
			sort_doubles(x, left);
			x += left;
			n -= left;
		} else {
			sort_doubles(x + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		size_t j = i;
		while (j > 0 && x[j - 1] > v) {
			x[j] = x[j - 1];
			j--;
		}
		x[j] = v;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static uint64_t next_rand(pv_kll *s)
{
	uint64_t x = s->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

/* Halves the lowest level over its capacity into the level above, until
 * the sketch fits again. */
static void compress(pv_kll *s)
{
	for (size_t h = 0; h < s->n_levels && s->size >= max_size(s); h++) {
		pv_kll_level *l = &s->lv[h];
		if (l->len < capacity(s, h))
			continue;
		if (h + 1 >= s->n_levels) {
			if (s->n_levels >= PV_KLL_MAX_LEVELS)
				return;
			s->n_levels++;
		}
		sort_doubles(l->items, l->len);
		/* An odd item out stays behind so no weight is lost. */
		size_t pairs = l->len / 2;
		size_t start = l->len - 2 * pairs;
		size_t off = next_rand(s) & 1;
		pv_kll_level *up = &s->lv[h + 1];
		for (size_t i = 0; i < pairs; i++) {
			double v = l->items[start + 2 * i + off];
			if (!push(s, h + 1, &v, 1))
				return;
		}
		(void)up;
		s->size -= 2 * pairs;
		l->len = start;
		s->compacted = true;
	}
}

void pv_kll_add(pv_kll *s, double x)
{
	if (s->failed)
		return;
	s->n++;
	if (x < s->min)
		s->min = x;
	if (x > s->max)
		s->max = x;
	if (!push(s, 0, &x, 1))
		return;
	if (s->size >= max_size(s))
		compress(s);
}

void pv_kll_merge(pv_kll *dst, const pv_kll *src)
{
	if (src->n == 0 || dst->failed)
		return;
	if (src->failed) {
		dst->failed = true;
		return;
	}
	if (src->n_levels > dst->n_levels)
		dst->n_levels = src->n_levels;
	for (size_t h = 0; h < src->n_levels; h++)
		if (src->lv[h].len && !push(dst, h, src->lv[h].items, src->lv[h].len))
			return;
	dst->n += src->n;
	dst->compacted |= src->compacted;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	while (dst->size >= max_size(dst) && !dst->failed) {
		size_t before = dst->size;
		compress(dst);
		if (dst->size == before)
			break;
	}
}

bool pv_kll_exact(const pv_kll *s)
{
	return !s->compacted && !s->failed;
}

bool pv_kll_failed(const pv_kll *s)
{
	return s->failed;
}

typedef struct witem {
	double v;
	uint64_t w;
} witem;

static int cmp_witem(const void *a, const void *b)
{
	return cmp_double(&((const witem *)a)->v, &((const witem *)b)->v);
}

int pv_kll_quantiles(const pv_kll *s, const double *q, size_t n, double *out)
{
	if (s->n == 0 || s->size == 0) {
		for (size_t i = 0; i < n; i++)
			out[i] = NAN;
		return 0;
	}
	witem *it = malloc(s->size * sizeof *it);
	if (!it)
		return PV_ENOMEM;
	size_t m = 0;
	uint64_t total = 0;
	for (size_t h = 0; h < s->n_levels; h++)
		for (size_t i = 0; i < s->lv[h].len; i++) {
			it[m].v = s->lv[h].items[i];
			it[m].w = (uint64_t)1 << h;
			total += it[m].w;
			m++;
		}
	qsort(it, m, sizeof *it, cmp_witem);
	for (size_t i = 0; i < n; i++) {
		if (q[i] <= 0) {
			out[i] = s->min;
			continue;
		}
		if (q[i] >= 1) {
			out[i] = s->max;
			continue;
		}
		/* The item whose cumulative weight first reaches q * total: the
		 * discrete quantile, as quantile_disc picks it. */
		double target = q[i] * (double)total;
		uint64_t cum = 0;
		out[i] = it[m - 1].v;
		for (size_t j = 0; j < m; j++) {
			cum += it[j].w;
			if ((double)cum >= target) {
				out[i] = it[j].v;
				break;
			}
		}
	}
	free(it);
	return 0;
}

double pv_kll_rank(const pv_kll *s, double x)
{
	uint64_t below = 0, total = 0;
	for (size_t h = 0; h < s->n_levels; h++)
		for (size_t i = 0; i < s->lv[h].len; i++) {
			uint64_t w = (uint64_t)1 << h;
			total += w;
			if (s->lv[h].items[i] <= x)
				below += w;
		}
	return total ? (double)below / (double)total : 0.0;
}

int pv_kll_restore_level(pv_kll *s, size_t level, const double *items, size_t n)
{
	if (level >= PV_KLL_MAX_LEVELS)
		return PV_EINVAL;
	if (level + 1 > s->n_levels)
		s->n_levels = level + 1;
	if (level > 0 && n)
		s->compacted = true;
	return push(s, level, items, n) ? 0 : PV_ENOMEM;
}
