/*
 * profile.c - the per-column profilers (profile.h): feeding them from
 * Arrow arrays, merging them, and the parallel run over a dataset.
 * The JSON form lives in profile_json.c, the saved state in
 * profile_state.c. Must not include sql, server or cli.
 */
#include "analyze/profile.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/pool.h"
#include "base/utf8count.h"
#include "dataset/scan.h"
#include "format/stats.h"
#include "render/arrowval.h"
#include "render/cell.h"
#include "base/banned.h"

const double pv_prof_quantiles[PV_PROF_N_QUANTILES] = { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 };

static const char *const kind_names[] = {
	"other", "bool", "int", "uint", "float", "decimal", "string", "binary", "temporal", "list",
	"embedding",
};

const char *pv_prof_kind_name(pv_prof_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "other";
}

/* ---- moments and lengths */

void pv_moments_add(pv_moments *m, double x)
{
	m->n++;
	double d = x - m->mean;
	m->mean += d / (double)m->n;
	m->m2 += d * (x - m->mean);
}

void pv_moments_merge(pv_moments *dst, const pv_moments *src)
{
	if (!src->n)
		return;
	if (!dst->n) {
		*dst = *src;
		return;
	}
	double n1 = (double)dst->n, n2 = (double)src->n, n = n1 + n2;
	double d = src->mean - dst->mean;
	dst->mean += d * n2 / n;
	dst->m2 += src->m2 + d * d * n1 * n2 / n;
	dst->n += src->n;
}

double pv_moments_stddev(const pv_moments *m)
{
	if (m->n < 2)
		return NAN;
	double v = m->m2 / (double)(m->n - 1);
	return v > 0 ? sqrt(v) : 0.0;
}

static void len_init(pv_lenstats *l)
{
	memset(l, 0, sizeof *l);
	pv_kll_init(&l->kll);
}

/* q: also into the quantile sketch. */
static inline void len_add(pv_lenstats *l, int64_t v, bool q)
{
	if (!l->n || v < l->min)
		l->min = v;
	if (!l->n || v > l->max)
		l->max = v;
	l->n++;
	l->sum += v;
	if (q)
		pv_kll_add(&l->kll, (double)v);
}

static void len_merge(pv_lenstats *d, const pv_lenstats *s)
{
	if (!s->n)
		return;
	if (!d->n || s->min < d->min)
		d->min = s->min;
	if (!d->n || s->max > d->max)
		d->max = s->max;
	d->n += s->n;
	d->sum += s->sum;
	pv_kll_merge(&d->kll, &s->kll);
}

/* ---- column profilers */

static bool has_values(pv_prof_kind k)
{
	return k != PV_PROF_OTHER && k != PV_PROF_LIST && k != PV_PROF_EMBEDDING;
}

int pv_colprof_init(pv_colprof *c, pv_prof_kind kind, size_t exact_max, pv_err *err)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->stats = PV_PROF_S_ALL;
	pv_topk_init(&c->topk, exact_max, 0);
	pv_kll_init(&c->values);
	pv_kll_init(&c->norms);
	len_init(&c->chars);
	len_init(&c->bytes);
	len_init(&c->items);
	c->mean_dim = -1;
	c->hashes = has_values(kind);
	return 0;
}

/* Starts c's HyperLogLog from the hashes of its exact table, which holds
 * every distinct value seen: the sketch is then the one of all the values,
 * as if it had been fed from the start (registers depend only on the set
 * of hashes). */
static int hll_start(pv_colprof *c, pv_err *err)
{
	assert(c->topk.exact && !c->hll);
	if (!(c->hll = malloc(sizeof *c->hll)))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_hll_init(c->hll);
	for (size_t i = 0; i < c->topk.n_entries; i++)
		pv_hll_add(c->hll, c->topk.entries[i].hash);
	return 0;
}

void pv_colprof_limit(pv_colprof *c, unsigned stats)
{
	c->stats = stats & PV_PROF_S_ALL;
	if (!(c->stats & (PV_PROF_S_DISTINCT | PV_PROF_S_TOP))) {
		c->hashes = false;
		free(c->hll);
		c->hll = NULL;
	}
}

static const char *const stat_names[] = { "nulls",     "distinct", "top",       "moments",
					   "quantiles", "lengths",  "histogram", "embedding" };

int pv_prof_stats_parse(const char *list, unsigned *out, pv_err *err)
{
	unsigned st = 0;
	const char *p = list ? list : "";
	for (;;) {
		size_t n = strcspn(p, ",");
		size_t i = 0;
		for (; i < sizeof stat_names / sizeof *stat_names; i++)
			if (n == strlen(stat_names[i]) && !strncmp(p, stat_names[i], n))
				break;
		if (i == sizeof stat_names / sizeof *stat_names)
			return pv_err_set(err, PV_EINVAL,
					  "unknown stat group '%.*s' (one of: nulls, distinct, top, "
					  "moments, quantiles, lengths, histogram, embedding)",
					  (int)n, p);
		st |= 1u << i;
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = st;
	return 0;
}

void pv_colprof_release(pv_colprof *c)
{
	if (!c)
		return;
	free(c->hll);
	pv_topk_release(&c->topk);
	pv_kll_release(&c->values);
	pv_kll_release(&c->norms);
	pv_kll_release(&c->chars.kll);
	pv_kll_release(&c->bytes.kll);
	pv_kll_release(&c->items.kll);
	free(c->mean_sum);
	memset(c, 0, sizeof *c);
}

static bool sketches_failed(const pv_colprof *c)
{
	return pv_kll_failed(&c->values) || pv_kll_failed(&c->norms) ||
	       pv_kll_failed(&c->chars.kll) || pv_kll_failed(&c->bytes.kll) ||
	       pv_kll_failed(&c->items.kll);
}

int pv_colprof_merge(pv_colprof *d, const pv_colprof *s, pv_err *err)
{
	d->rows += s->rows;
	d->nulls += s->nulls;
	if (d->hashes && s->hashes) {
		/* a side without a sketch is exact: its table is its set */
		bool need = d->hll || s->hll || !d->topk.exact || !s->topk.exact ||
			    d->topk.n_entries + s->topk.n_entries >= d->topk.exact_max;
		if (need && !d->hll) {
			if (!d->topk.exact)
				return pv_err_set(err, PV_EINTERNAL, "value counts without a sketch");
			int rc = hll_start(d, err);
			if (rc)
				return rc;
		}
		if (need && s->hll) {
			pv_hll_merge(d->hll, s->hll);
		} else if (need) {
			if (!s->topk.exact)
				return pv_err_set(err, PV_EINTERNAL, "value counts without a sketch");
			for (size_t i = 0; i < s->topk.n_entries; i++)
				pv_hll_add(d->hll, s->topk.entries[i].hash);
		}
	}
	if (pv_topk_merge(&d->topk, &s->topk))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	if (d->hll && d->topk.exact && d->topk.n_entries < d->topk.exact_max) {
		/* the union fit: the table is the set again */
		free(d->hll);
		d->hll = NULL;
	}
	if (s->has_minmax) {
		if (!d->has_minmax) {
			d->imin = s->imin, d->imax = s->imax;
			d->umin = s->umin, d->umax = s->umax;
			d->fmin = s->fmin, d->fmax = s->fmax;
		} else {
			d->imin = s->imin < d->imin ? s->imin : d->imin;
			d->imax = s->imax > d->imax ? s->imax : d->imax;
			d->umin = s->umin < d->umin ? s->umin : d->umin;
			d->umax = s->umax > d->umax ? s->umax : d->umax;
			d->fmin = s->fmin < d->fmin ? s->fmin : d->fmin;
			d->fmax = s->fmax > d->fmax ? s->fmax : d->fmax;
		}
		d->has_minmax = true;
	}
	pv_moments_merge(&d->mom, &s->mom);
	pv_kll_merge(&d->values, &s->values);
	d->n_nan += s->n_nan;
	d->n_posinf += s->n_posinf;
	d->n_neginf += s->n_neginf;
	d->n_true += s->n_true;
	len_merge(&d->chars, &s->chars);
	len_merge(&d->bytes, &s->bytes);
	d->n_over += s->n_over;
	len_merge(&d->items, &s->items);
	for (size_t i = 0; i < s->n_dims; i++) {
		size_t k = 0;
		while (k < d->n_dims && d->dims[k] != s->dims[i])
			k++;
		if (k < d->n_dims) {
			d->dim_count[k] += s->dim_count[i];
		} else if (d->n_dims < PV_PROF_MAX_DIMS) {
			d->dims[d->n_dims] = s->dims[i];
			d->dim_count[d->n_dims++] = s->dim_count[i];
		} else {
			d->dim_other += s->dim_count[i];
		}
	}
	d->dim_other += s->dim_other;
	d->n_nonfinite_vec += s->n_nonfinite_vec;
	d->n_nonfinite_values += s->n_nonfinite_values;
	d->n_zero_vec += s->n_zero_vec;
	d->n_null_items += s->n_null_items;
	pv_kll_merge(&d->norms, &s->norms);
	if (s->mean_dim >= 0) {
		if (d->mean_dim < 0) {
			d->mean_dim = s->mean_dim;
			d->mean_n = s->mean_n;
			if (s->mean_dim > 0) {
				d->mean_sum = malloc((size_t)s->mean_dim * sizeof *d->mean_sum);
				if (!d->mean_sum)
					return pv_err_set(err, PV_ENOMEM, "out of memory");
				memcpy(d->mean_sum, s->mean_sum, (size_t)s->mean_dim * sizeof *d->mean_sum);
			}
		} else if (d->mean_dim == s->mean_dim && d->mean_dim > 0) {
			for (int64_t i = 0; i < d->mean_dim; i++)
				d->mean_sum[i] += s->mean_sum[i];
			d->mean_n += s->mean_n;
		}
		/* a different first dimension: the mean stays over d's vectors */
	}
	if (sketches_failed(d))
		return pv_err_set(err, PV_ENOMEM, "out of memory in a quantile sketch");
	return 0;
}

double pv_colprof_distinct(const pv_colprof *c, bool *out_exact)
{
	if (c->topk.exact) {
		*out_exact = true;
		return (double)pv_topk_distinct(&c->topk);
	}
	*out_exact = false;
	return c->hll ? pv_hll_estimate(c->hll) : 0.0;
}

bool pv_colprof_histogram(const pv_colprof *c, size_t n_bins, double *edges, int64_t *counts)
{
	const pv_kll *k = &c->values;
	if (!k->n || !n_bins || !(k->max > k->min) || !isfinite(k->max - k->min))
		return false;
	double w = (k->max - k->min) / (double)n_bins;
	double prev = 0;
	int64_t given = 0;
	for (size_t i = 0; i <= n_bins; i++)
		edges[i] = i == n_bins ? k->max : k->min + w * (double)i;
	for (size_t i = 0; i < n_bins; i++) {
		double r = i + 1 == n_bins ? 1.0 : pv_kll_rank(k, edges[i + 1]);
		int64_t upto = (int64_t)llround(r * (double)k->n);
		if (i + 1 == n_bins)
			upto = (int64_t)k->n;
		counts[i] = upto - given > 0 ? upto - given : 0;
		given += counts[i];
		prev = r;
	}
	(void)prev;
	return true;
}

/* ---- feeding */

typedef struct feed_ctx {
	int64_t max_chars;
	pv_buf text;   /* scratch for value texts */
	pv_err *err;
} feed_ctx;

static inline bool is_valid(const struct ArrowArray *a, int64_t i)
{
	const uint8_t *v = a->buffers[0];
	if (!v || a->null_count == 0)
		return true;
	int64_t j = a->offset + i;
	return (v[j >> 3] >> (j & 7)) & 1;
}

/* Counts one value into the distinct and frequent-value sketches; a new
 * frequent-value entry gets its text from text_fn. */
static inline int count_value(pv_colprof *c, uint64_t h, pv_topk_entry **out_new, pv_err *err)
{
	*out_new = NULL;
	if (!c->hashes)
		return 0;
	if (c->hll) {
		pv_hll_add(c->hll, h);
	} else if (c->topk.n_entries >= c->topk.exact_max) {
		/* the next new value turns the table approximate: keep the
		 * set as a sketch first */
		int rc = hll_start(c, err);
		if (rc)
			return rc;
		pv_hll_add(c->hll, h);
	}
	bool fresh;
	pv_topk_entry *e;
	if (pv_topk_add(&c->topk, h, 1, &e, &fresh))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	*out_new = fresh ? e : NULL;
	return 0;
}

static int64_t read_int(const struct ArrowArray *a, int64_t width, int64_t i)
{
	const uint8_t *p = (const uint8_t *)a->buffers[1] + (a->offset + i) * width;
	switch (width) {
	case 1: return (int8_t)p[0];
	case 2: { int16_t v; memcpy(&v, p, 2); return v; }
	case 4: { int32_t v; memcpy(&v, p, 4); return v; }
	default: { int64_t v; memcpy(&v, p, 8); return v; }
	}
}

static uint64_t read_uint(const struct ArrowArray *a, int64_t width, int64_t i)
{
	const uint8_t *p = (const uint8_t *)a->buffers[1] + (a->offset + i) * width;
	switch (width) {
	case 1: return p[0];
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

static void add_number(pv_colprof *c, double x)
{
	if (isnan(x)) {
		c->n_nan++;
		return;
	}
	if (isinf(x)) {
		if (x > 0)
			c->n_posinf++;
		else
			c->n_neginf++;
	} else if (c->stats & PV_PROF_S_MOMENTS) {
		pv_moments_add(&c->mom, x);
	}
	if (c->stats & (PV_PROF_S_QUANTILES | PV_PROF_S_HISTOGRAM))
		pv_kll_add(&c->values, x);
	if (!c->has_minmax || x < c->fmin)
		c->fmin = x;
	if (!c->has_minmax || x > c->fmax)
		c->fmax = x;
	c->has_minmax = true;
}

/* A cell's display text into a frequent-value entry (kinds whose raw
 * bytes are not kept). */
static int entry_text(pv_topk *tk, pv_topk_entry *e, const pv_atype *t,
		      const struct ArrowArray *a, int64_t i, feed_ctx *fx)
{
	pv_acell cell = { t, a, i };
	pv_buf_reset(&fx->text);
	int rc = pv_acell_text(&cell, PV_TOPK_TEXT + 8, &fx->text, fx->err);
	if (rc)
		return rc;
	if (pv_topk_set_text(tk, e, fx->text.data ? fx->text.data : "", fx->text.len))
		return pv_err_set(fx->err, PV_ENOMEM, "out of memory");
	return 0;
}

/* A fixed-width value's raw bytes as its entry's text (rendered later). */
static int raw_text(pv_colprof *c, pv_topk_entry *e, uint64_t raw, pv_err *err)
{
	if (pv_topk_set_text(&c->topk, e, (const char *)&raw, 8))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	return 0;
}

static int feed_lengths_list(pv_colprof *c, const pv_atype *t, const struct ArrowArray *a,
			     int64_t i, int64_t *out_start, int64_t *out_end, feed_ctx *fx)
{
	pv_acell cell = { t, a, i };
	return pv_acell_range(&cell, out_start, out_end, fx->err);
}

static void add_dim(pv_colprof *c, int64_t d)
{
	for (size_t k = 0; k < c->n_dims; k++)
		if (c->dims[k] == d) {
			c->dim_count[k]++;
			return;
		}
	if (c->n_dims < PV_PROF_MAX_DIMS) {
		c->dims[c->n_dims] = d;
		c->dim_count[c->n_dims++] = 1;
	} else {
		c->dim_other++;
	}
}

static int feed_vector(pv_colprof *c, const pv_atype *ct, const struct ArrowArray *child,
		       int64_t start, int64_t end, feed_ctx *fx)
{
	int64_t d = end - start;
	add_dim(c, d);
	bool f32 = ct->kind == PV_AK_F32;
	const uint8_t *base = child->buffers[1];
	double sq = 0;
	int64_t nonfinite = 0, nulls = 0;
	bool zero = true;
	for (int64_t k = start; k < end; k++) {
		if (!is_valid(child, k)) {
			nulls++;
			continue;
		}
		double x;
		if (f32) {
			float f;
			memcpy(&f, base + (child->offset + k) * 4, 4);
			x = f;
		} else {
			memcpy(&x, base + (child->offset + k) * 8, 8);
		}
		if (!isfinite(x))
			nonfinite++;
		else
			sq += x * x;
		zero &= x == 0;
	}
	c->n_null_items += nulls;
	c->n_nonfinite_values += nonfinite;
	if (nonfinite) {
		c->n_nonfinite_vec++;
		return 0;
	}
	if (zero && d > 0 && !nulls)
		c->n_zero_vec++;
	pv_kll_add(&c->norms, sqrt(sq));
	if (c->mean_dim < 0) {
		c->mean_dim = d <= PV_PROF_MAX_MEAN_DIM ? d : 0;
		if (c->mean_dim > 0) {
			c->mean_sum = calloc((size_t)d, sizeof *c->mean_sum);
			if (!c->mean_sum)
				return pv_err_set(fx->err, PV_ENOMEM, "out of memory");
		}
	}
	if (c->mean_dim > 0 && d == c->mean_dim && !nulls) {
		for (int64_t k = 0; k < d; k++) {
			double x;
			if (f32) {
				float f;
				memcpy(&f, base + (child->offset + start + k) * 4, 4);
				x = f;
			} else {
				memcpy(&x, base + (child->offset + start + k) * 8, 8);
			}
			c->mean_sum[k] += x;
		}
		c->mean_n++;
	}
	return 0;
}

/* Counts a 64-bit integer (INT, TEMPORAL): distinct, frequent, extremes
 * (has_minmax is the caller's to set). */
static int add_i64(pv_colprof *c, int64_t v, pv_err *err)
{
	pv_topk_entry *e = NULL;
	if (count_value(c, pv_hll_hash_u64((uint64_t)v), &e, err))
		return PV_ENOMEM;
	if (e && raw_text(c, e, (uint64_t)v, err))
		return PV_ENOMEM;
	if (!c->has_minmax || v < c->imin)
		c->imin = v;
	if (!c->has_minmax || v > c->imax)
		c->imax = v;
	return 0;
}

/* Feeds rows sel[0..n) (all rows [0, n) when sel is NULL) of array a of
 * type t into c. */
static int feed(pv_colprof *c, const pv_atype *t, const struct ArrowArray *a, const int64_t *sel,
		int64_t n, feed_ctx *fx)
{
	pv_err *err = fx->err;
	c->rows += n;
	const pv_atype *vt = t;
	for (int64_t k = 0; k < n; k++) {
		int64_t i = sel ? sel[k] : k;
		if (!is_valid(a, i)) {
			c->nulls++;
			continue;
		}
		pv_topk_entry *e = NULL;
		switch (c->kind) {
		case PV_PROF_BOOL: {
			const uint8_t *b = a->buffers[1];
			int64_t j = a->offset + i;
			bool v = (b[j >> 3] >> (j & 7)) & 1;
			c->n_true += v;
			if (count_value(c, pv_hll_hash_u64(v), &e, err))
				return PV_ENOMEM;
			if (e && raw_text(c, e, v, err))
				return PV_ENOMEM;
			break;
		}
		case PV_PROF_INT: {
			int64_t v = read_int(a, vt->width, i);
			if (add_i64(c, v, err))
				return PV_ENOMEM;
			add_number(c, (double)v);
			break;
		}
		case PV_PROF_UINT: {
			uint64_t v = read_uint(a, vt->width, i);
			if (count_value(c, pv_hll_hash_u64(v), &e, err))
				return PV_ENOMEM;
			if (e && raw_text(c, e, v, err))
				return PV_ENOMEM;
			if (!c->has_minmax || v < c->umin)
				c->umin = v;
			if (!c->has_minmax || v > c->umax)
				c->umax = v;
			add_number(c, (double)v);
			break;
		}
		case PV_PROF_FLOAT: {
			double x;
			if (vt->kind == PV_AK_F64) {
				memcpy(&x, (const uint8_t *)a->buffers[1] + (a->offset + i) * 8, 8);
			} else if (vt->kind == PV_AK_F32) {
				float f;
				memcpy(&f, (const uint8_t *)a->buffers[1] + (a->offset + i) * 4, 4);
				x = f;
			} else {
				pv_acell cell = { t, a, i };
				pv_value v;
				uint8_t scratch[32];
				int rc = pv_acell_value(&cell, &v, scratch, err);
				if (rc)
					return rc;
				x = v.f;
			}
			/* one key for every NaN and for both zeros, as SQL's
			 * count(DISTINCT) sees them */
			double key = isnan(x) ? NAN : x == 0 ? 0.0 : x;
			uint64_t bits;
			memcpy(&bits, &key, 8);
			if (count_value(c, pv_hll_hash_u64(bits), &e, err))
				return PV_ENOMEM;
			if (e && raw_text(c, e, bits, err))
				return PV_ENOMEM;
			add_number(c, x);
			break;
		}
		case PV_PROF_DECIMAL: {
			pv_acell cell = { t, a, i };
			pv_buf_reset(&fx->text);
			int rc = pv_acell_text(&cell, 0, &fx->text, err);
			if (rc)
				return rc;
			if (pv_buf_putc(&fx->text, '\0', err))
				return PV_ENOMEM;
			const char *s = fx->text.data;
			if (count_value(c, pv_hll_hash(s, fx->text.len - 1), &e, err))
				return PV_ENOMEM;
			if (e && pv_topk_set_text(&c->topk, e, s, fx->text.len - 1))
				return pv_err_set(err, PV_ENOMEM, "out of memory");
			add_number(c, strtod(s, NULL));
			break;
		}
		case PV_PROF_TEMPORAL: {
			pv_acell cell = { t, a, i };
			if (add_i64(c, pv_acell_int(&cell), err))
				return PV_ENOMEM;
			c->has_minmax = true;
			break;
		}
		case PV_PROF_STRING:
		case PV_PROF_BINARY: {
			const uint8_t *p;
			size_t len;
			if (vt->kind == PV_AK_STRING || vt->kind == PV_AK_BINARY) {
				int64_t s0, s1;
				const uint8_t *off = a->buffers[1];
				if (vt->width == 4) {
					int32_t o[2];
					memcpy(o, off + (a->offset + i) * 4, 8);
					s0 = o[0], s1 = o[1];
				} else {
					memcpy(&s0, off + (a->offset + i) * 8, 8);
					memcpy(&s1, off + (a->offset + i) * 8 + 8, 8);
				}
				if (s0 < 0 || s1 < s0)
					return pv_err_set(err, PV_ECORRUPT,
							  "string offsets go backwards at row %lld",
							  (long long)i);
				p = (const uint8_t *)a->buffers[2] + s0;
				len = (size_t)(s1 - s0);
			} else {
				pv_acell cell = { t, a, i };
				int rc = pv_acell_bytes(&cell, &p, &len, err);
				if (rc)
					return rc;
			}
			/* a lengths-only profile hashes nothing */
			if (c->hashes && count_value(c, pv_hll_hash(p, len), &e, err))
				return PV_ENOMEM;
			if (e) {
				if (c->kind == PV_PROF_STRING) {
					if (pv_topk_set_text(&c->topk, e, (const char *)p, len))
						return pv_err_set(err, PV_ENOMEM, "out of memory");
				} else {
					int rc = entry_text(&c->topk, e, t, a, i, fx);
					if (rc)
						return rc;
				}
			}
			if (!(c->stats & PV_PROF_S_LENGTHS))
				break;
			bool q = c->stats & PV_PROF_S_QUANTILES;
			int64_t chars = c->kind == PV_PROF_STRING ? pv_utf8_count(p, len) : (int64_t)len;
			len_add(&c->chars, chars, q);
			len_add(&c->bytes, (int64_t)len, q);
			c->n_over += chars > fx->max_chars;
			break;
		}
		case PV_PROF_LIST:
		case PV_PROF_EMBEDDING: {
			int64_t s0, s1;
			int rc = feed_lengths_list(c, t, a, i, &s0, &s1, fx);
			if (rc)
				return rc;
			if (c->stats & PV_PROF_S_LENGTHS)
				len_add(&c->items, s1 - s0, c->stats & PV_PROF_S_QUANTILES);
			if (c->kind == PV_PROF_EMBEDDING && (c->stats & PV_PROF_S_EMBEDDING)) {
				rc = feed_vector(c, t->children[0], a->children[0], s0, s1, fx);
				if (rc)
					return rc;
			}
			break;
		}
		default:
			break;
		}
	}
	if (sketches_failed(c))
		return pv_err_set(err, PV_ENOMEM, "out of memory in a quantile sketch");
	return 0;
}

int pv_colprof_feed(pv_colprof *c, const pv_atype *t, const struct ArrowArray *a,
		    const int64_t *sel, int64_t n, int64_t max_chars, pv_buf *scratch, pv_err *err)
{
	feed_ctx fx = { .max_chars = max_chars, .text = *scratch, .err = err };
	int rc = feed(c, t, a, sel, n, &fx);
	*scratch = fx.text;
	return rc;
}

pv_prof_kind pv_prof_kind_of(const pv_atype *t)
{
	if (t->dict)
		return PV_PROF_OTHER;
	switch (t->kind) {
	case PV_AK_BOOL: return PV_PROF_BOOL;
	case PV_AK_INT: return PV_PROF_INT;
	case PV_AK_UINT: return PV_PROF_UINT;
	case PV_AK_F16:
	case PV_AK_F32:
	case PV_AK_F64: return PV_PROF_FLOAT;
	case PV_AK_DECIMAL: return PV_PROF_DECIMAL;
	case PV_AK_STRING:
	case PV_AK_STRVIEW: return PV_PROF_STRING;
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED: return PV_PROF_BINARY;
	case PV_AK_DATE32:
	case PV_AK_DATE64:
	case PV_AK_TIME:
	case PV_AK_TIMESTAMP:
	case PV_AK_DURATION: return PV_PROF_TEMPORAL;
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST: {
		const pv_atype *ct = t->n_children ? t->children[0] : NULL;
		if (ct && !ct->dict && (ct->kind == PV_AK_F32 || ct->kind == PV_AK_F64))
			return PV_PROF_EMBEDDING;
		return PV_PROF_LIST;
	}
	default: return PV_PROF_OTHER;
	}
}

/* ---- profiles */

static void group_release(pv_profile_group *g, size_t n_columns)
{
	if (!g)
		return;
	if (g->cols)
		for (size_t i = 0; i < n_columns; i++)
			pv_colprof_release(&g->cols[i]);
	free(g->cols);
	free(g->key);
}

void pv_profile_free(pv_profile *p)
{
	if (!p)
		return;
	for (size_t g = 0; g < p->n_groups; g++)
		group_release(&p->groups[g], p->n_columns);
	free(p->groups);
	for (size_t i = 0; i < p->n_columns; i++) {
		pv_profile_column *c = &p->columns[i];
		free(c->name);
		free(c->format);
		free(c->type);
		free(c->footer_min);
		free(c->footer_max);
	}
	free(p->columns);
	free(p->by);
	free(p);
}

static char *dupstr(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Appends a group with fresh column profilers; *out is its index. */
int pv_profile_add_group(pv_profile *p, const char *key, size_t *out, pv_err *err)
{
	pv_profile_group *gs = realloc(p->groups, (p->n_groups + 1) * sizeof *gs);
	if (!gs)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	p->groups = gs;
	pv_profile_group *g = &gs[p->n_groups];
	memset(g, 0, sizeof *g);
	g->key = dupstr(key);
	g->cols = calloc(p->n_columns ? p->n_columns : 1, sizeof *g->cols);
	if (!g->key || !g->cols) {
		group_release(g, 0);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	p->n_groups++;
	for (size_t i = 0; i < p->n_columns; i++) {
		int rc = pv_colprof_init(&g->cols[i], p->columns[i].kind, p->exact_max, err);
		if (rc)
			return rc;
		pv_colprof_limit(&g->cols[i], p->stats);
	}
	*out = p->n_groups - 1;
	return 0;
}

static long find_group(const pv_profile *p, const char *key)
{
	for (size_t g = 0; g < p->n_groups; g++)
		if (!strcmp(p->groups[g].key, key))
			return (long)g;
	return -1;
}

static long find_column(const pv_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_columns; i++)
		if (!strcmp(p->columns[i].name, name))
			return (long)i;
	return -1;
}

/* Appends a column (copied from src, footer answers included) and gives
 * every existing group a profiler for it that has seen the group's rows
 * as NULLs. */
int pv_profile_add_column(pv_profile *p, const pv_profile_column *src, pv_err *err)
{
	pv_profile_column *cs = realloc(p->columns, (p->n_columns + 1) * sizeof *cs);
	if (!cs)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	p->columns = cs;
	pv_profile_column *c = &cs[p->n_columns];
	*c = *src;
	c->name = dupstr(src->name);
	c->format = dupstr(src->format);
	c->type = dupstr(src->type);
	c->footer_min = dupstr(src->footer_min);
	c->footer_max = dupstr(src->footer_max);
	p->n_columns++;
	if (!c->name || !c->format || !c->type)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t g = 0; g < p->n_groups; g++) {
		pv_colprof *cp = realloc(p->groups[g].cols, p->n_columns * sizeof *cp);
		if (!cp)
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		p->groups[g].cols = cp;
		int rc = pv_colprof_init(&cp[p->n_columns - 1], c->kind, p->exact_max, err);
		if (rc)
			return rc;
		pv_colprof_limit(&cp[p->n_columns - 1], p->stats);
		cp[p->n_columns - 1].rows = cp[p->n_columns - 1].nulls = p->groups[g].rows;
	}
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int pv_profile_merge(pv_profile *dst, const pv_profile *src, pv_err *err)
{
	if (!same_str(dst->by, src->by))
		return pv_err_set(err, PV_EINVAL, "profiles grouped by '%s' and '%s' cannot be merged",
				  dst->by ? dst->by : "(nothing)", src->by ? src->by : "(nothing)");
	if (dst->stats != src->stats)
		return pv_err_set(err, PV_EINVAL,
				  "profiles made with different --only stat groups cannot be merged");
	if (dst->max_chars != src->max_chars)
		return pv_err_set(err, PV_EINVAL,
				  "profiles made with --max-chars %lld and %lld cannot be merged",
				  (long long)dst->max_chars, (long long)src->max_chars);
	if (dst->footer_only != src->footer_only)
		return pv_err_set(err, PV_EINVAL,
				  "a footer-only profile cannot be merged with a full one");
	/* columns by name; new ones are added */
	size_t *map = calloc(src->n_columns ? src->n_columns : 1, sizeof *map);
	if (!map)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < src->n_columns && !rc; i++) {
		const pv_profile_column *sc = &src->columns[i];
		long k = find_column(dst, sc->name);
		if (k < 0) {
			rc = pv_profile_add_column(dst, sc, err);
			map[i] = dst->n_columns - 1;
			continue;
		}
		pv_profile_column *dc = &dst->columns[k];
		if (dc->kind != sc->kind) {
			rc = pv_err_set(err, PV_EINVAL,
					"column '%s' is %s in one profile and %s in the other",
					sc->name, pv_prof_kind_name(dc->kind),
					pv_prof_kind_name(sc->kind));
			break;
		}
		map[i] = (size_t)k;
		dc->decoded |= sc->decoded;
		if (dc->footer_nulls_known && sc->footer_nulls_known)
			dc->footer_nulls += sc->footer_nulls;
		else
			dc->footer_nulls_known = false;
		/* footer extremes of two sides: kept only when they are equal
		 * texts (their order is the type's, not the text's) */
		if (!(dc->footer_minmax && sc->footer_minmax && same_str(dc->footer_min, sc->footer_min) &&
		      same_str(dc->footer_max, sc->footer_max))) {
			dc->footer_minmax = false;
			free(dc->footer_min);
			free(dc->footer_max);
			dc->footer_min = dc->footer_max = NULL;
		}
	}
	for (size_t g = 0; g < src->n_groups && !rc; g++) {
		const pv_profile_group *sg = &src->groups[g];
		long dg = find_group(dst, sg->key);
		if (dg < 0) {
			size_t at;
			rc = pv_profile_add_group(dst, sg->key, &at, err);
			dg = (long)at;
		}
		if (rc)
			break;
		pv_profile_group *d = &dst->groups[dg];
		/* columns src lacks see its rows as NULLs */
		for (size_t c = 0; c < dst->n_columns; c++) {
			bool in_src = false;
			for (size_t i = 0; i < src->n_columns; i++)
				in_src |= map[i] == c;
			if (!in_src) {
				d->cols[c].rows += sg->rows;
				d->cols[c].nulls += sg->rows;
			}
		}
		for (size_t i = 0; i < src->n_columns && !rc; i++)
			rc = pv_colprof_merge(&d->cols[map[i]], &sg->cols[i], err);
		d->rows += sg->rows;
	}
	free(map);
	if (rc)
		return rc;
	dst->rows += src->rows;
	dst->n_files += src->n_files;
	return 0;
}

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const pv_profile_group *)a)->key, ((const pv_profile_group *)b)->key);
}

void pv_profile_sort_groups(pv_profile *p)
{
	if (p->n_groups > 1)
		qsort(p->groups, p->n_groups, sizeof *p->groups, cmp_group);
}

/* ---- the run */

/* One column of one row group: workers hold one column's pages at a
 * time, which bounds memory by the largest page rather than a row
 * group's. col SIZE_MAX reads only the --by column, to count rows when
 * no column needs decoding. */
typedef struct task {
	size_t file, rg;
	int64_t first, rows;
	size_t col;
} task;

/* What a task of column c scans: "name" or "name,by". */
typedef struct colset {
	char *columns;
	size_t col_child; /* SIZE_MAX for the row-count task */
	size_t by_child[PV_PROF_MAX_BY]; /* each --by column's child */
	size_t n_children;
} colset;

typedef struct worker {
	pv_profile *p;          /* group rows, and the column in hand */
	size_t cur;             /* that column (SIZE_MAX: none) */
	long *res_group;        /* per group of p: its index in the result, or -1 */
	size_t n_res_group;
	feed_ctx fx;
	pv_err err;
	pv_buf key;
	int64_t *sel;       /* rows of one group in the current batch */
	size_t sel_cap;
	int64_t *gid;       /* per row: its group */
	size_t gid_cap;
	int64_t *gend;      /* per group: where its rows end in sel */
	size_t gend_cap;
	uint32_t *gix;      /* the groups of p by key hash: index + 1, 0 empty */
	size_t gix_cap;     /* power of two, at most half full */
} worker;

typedef struct run_ctx {
	const pv_dataset *ds;
	const pv_profile_opts *opts;
	pv_profile *proto;          /* columns only */
	const char *scan_columns;   /* the probe's: profiled columns, then --by */
	size_t n_scan;
	char *by_names[PV_PROF_MAX_BY]; /* the --by columns */
	size_t n_by;
	size_t by_probe[PV_PROF_MAX_BY]; /* their columns in the probe */
	pv_atype **types;           /* per probe column */
	colset *sets;               /* per profiled column, then the row-count set */
	size_t n_sets;
	size_t counter;             /* the task column whose tasks count group rows */
	task *tasks;
	size_t n_tasks;
	atomic_size_t next;
	atomic_int stop;
	atomic_llong rows_done;     /* over every task: n_cols times the rows */
	int64_t n_cols;             /* task columns per row group */
	pv_profile *res;            /* finished columns, merged (lock) */
	pthread_mutex_t lock;
	int rc;
	pv_err err;
	worker *workers;
	size_t n_workers;
	size_t max_groups;
} run_ctx;

static void fail(run_ctx *r, int rc, const pv_err *e)
{
	pthread_mutex_lock(&r->lock);
	if (!r->rc) {
		r->rc = rc;
		pv_err_copy(&r->err, e);
	}
	pthread_mutex_unlock(&r->lock);
	atomic_store(&r->stop, 1);
}

pv_profile *pv_profile_new(int64_t max_chars, size_t exact_max, const char *by, bool footer_only)
{
	pv_profile *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->max_chars = max_chars > 0 ? max_chars : PV_PROF_DEFAULT_MAX_CHARS;
	p->exact_max = exact_max ? exact_max : PV_TOPK_EXACT_MAX;
	p->footer_only = footer_only;
	p->stats = PV_PROF_S_ALL;
	if (by && !(p->by = strdup(by))) {
		free(p);
		return NULL;
	}
	return p;
}

static pv_profile *proto_copy(const pv_profile *proto, pv_err *err)
{
	pv_profile *p = pv_profile_new(proto->max_chars, proto->exact_max, proto->by,
				       proto->footer_only);
	if (!p) {
		pv_err_set(err, PV_ENOMEM, "out of memory");
		return NULL;
	}
	p->stats = proto->stats;
	for (size_t i = 0; i < proto->n_columns; i++)
		if (pv_profile_add_column(p, &proto->columns[i], err)) {
			pv_profile_free(p);
			return NULL;
		}
	return p;
}

/* The group of this worker's profile for key (made when new). */
static void gix_put(worker *w, size_t g)
{
	const char *key = w->p->groups[g].key;
	size_t h = (size_t)pv_hll_hash(key, strlen(key)) & (w->gix_cap - 1);
	while (w->gix[h])
		h = (h + 1) & (w->gix_cap - 1);
	w->gix[h] = (uint32_t)(g + 1);
}

/* The group of this worker's profile for key (made when new), through a
 * hash of the keys: with --by over hundreds of values the key changes
 * from row to row. */
static int group_for(run_ctx *r, worker *w, const char *key, size_t *out)
{
	if (w->gix_cap) {
		size_t h = (size_t)pv_hll_hash(key, strlen(key)) & (w->gix_cap - 1);
		for (; w->gix[h]; h = (h + 1) & (w->gix_cap - 1))
			if (!strcmp(w->p->groups[w->gix[h] - 1].key, key)) {
				*out = w->gix[h] - 1;
				return 0;
			}
	}
	if (w->p->n_groups >= r->max_groups)
		return pv_err_set(&w->err, PV_ELIMIT,
				  "column '%s' has more than %zu values; --by needs a coarser key",
				  r->opts->by, r->max_groups);
	int rc = pv_profile_add_group(w->p, key, out, &w->err);
	if (rc)
		return rc;
	if (w->p->n_groups * 2 > w->gix_cap) {
		size_t cap = w->gix_cap ? w->gix_cap * 2 : 16;
		uint32_t *ix = calloc(cap, sizeof *ix);
		if (!ix)
			return pv_err_set(&w->err, PV_ENOMEM, "out of memory");
		free(w->gix);
		w->gix = ix;
		w->gix_cap = cap;
		for (size_t g = 0; g < w->p->n_groups; g++)
			gix_put(w, g);
	} else {
		gix_put(w, *out);
	}
	return 0;
}

static int feed_group(run_ctx *r, worker *w, const task *t, size_t g,
		      const struct ArrowArray *batch, const int64_t *sel, int64_t n)
{
	pv_profile_group *grp = &w->p->groups[g];
	if (t->col == r->counter) {
		grp->rows += n;
		w->p->rows += n;
	}
	if (t->col == SIZE_MAX)
		return 0;
	size_t k = r->sets[t->col].col_child;
	int rc = feed(&grp->cols[t->col], r->types[t->col], batch->children[k], sel, n, &w->fx);
	if (rc)
		pv_err_prefix(&w->err, "column '%s'", w->p->columns[t->col].name);
	return rc;
}

/* Is row i's value of by the same as row j's? (false when unsure) */
static bool same_value(const pv_atype *bt, const struct ArrowArray *by, int64_t i, int64_t j)
{
	bool n1 = !is_valid(by, i), n0 = !is_valid(by, j);
	if (n1 || n0)
		return n1 && n0;
	if (pv_atype_nested(bt) || bt->dict || bt->kind == PV_AK_DECIMAL ||
	    bt->kind == PV_AK_STRVIEW || bt->kind == PV_AK_BINVIEW || bt->kind == PV_AK_F16 ||
	    bt->kind == PV_AK_BOOL)
		return false;
	pv_acell a1 = { bt, by, i }, a0 = { bt, by, j };
	if (bt->kind == PV_AK_STRING || bt->kind == PV_AK_BINARY || bt->kind == PV_AK_FIXED) {
		const uint8_t *p1, *p0;
		size_t l1, l0;
		if (pv_acell_bytes(&a1, &p1, &l1, NULL) || pv_acell_bytes(&a0, &p0, &l0, NULL))
			return false;
		return l1 == l0 && !memcmp(p1, p0, l1);
	}
	return !memcmp(pv_acell_raw(&a1), pv_acell_raw(&a0), (size_t)bt->width);
}

/* The group key of row i: the value's text for one --by column,
 * "a=v/b=w" for several. */
static int key_text(run_ctx *r, worker *w, const colset *cs, const struct ArrowArray *batch,
		    int64_t i)
{
	pv_buf_reset(&w->key);
	int rc = 0;
	for (size_t k = 0; k < r->n_by && !rc; k++) {
		if (r->n_by > 1) {
			if (k)
				rc = pv_buf_putc(&w->key, '/', &w->err);
			if (!rc)
				rc = pv_buf_printf(&w->key, &w->err, "%s=", r->by_names[k]);
		}
		pv_acell cell = { r->types[r->by_probe[k]], batch->children[cs->by_child[k]], i };
		if (!rc)
			rc = pv_acell_text(&cell, 200, &w->key, &w->err);
	}
	if (!rc)
		rc = pv_buf_putc(&w->key, '\0', &w->err);
	return rc;
}

static int feed_batch(run_ctx *r, worker *w, const task *t, const struct ArrowArray *batch)
{
	int64_t n = batch->length;
	const colset *cs = &r->sets[t->col == SIZE_MAX ? w->p->n_columns : t->col];
	if (cs->col_child != SIZE_MAX) {
		int rc = pv_atype_check(r->types[t->col], batch->children[cs->col_child], &w->err);
		if (rc)
			return rc;
	}
	if (!r->n_by) {
		size_t g = 0;
		int rc = group_for(r, w, "", &g);
		return rc ? rc : feed_group(r, w, t, g, batch, NULL, n);
	}
	for (size_t k = 0; k < r->n_by; k++) {
		int rc = pv_atype_check(r->types[r->by_probe[k]], batch->children[cs->by_child[k]],
					&w->err);
		if (rc)
			return rc;
	}
	if ((size_t)n > w->gid_cap) {
		int64_t *p = realloc(w->gid, (size_t)n * sizeof *p);
		if (p)
			w->gid = p;
		int64_t *q = realloc(w->sel, (size_t)n * sizeof *q);
		if (q)
			w->sel = q;
		if (!p || !q)
			return pv_err_set(&w->err, PV_ENOMEM, "out of memory");
		w->gid_cap = w->sel_cap = (size_t)n;
	}
	/* The group of each row; a row whose keys equal the last looked-up
	 * row's (partition columns, sorted data) reuses its group. */
	long last = -1;
	int64_t last_row = -1;
	for (int64_t i = 0; i < n; i++) {
		if (last >= 0) {
			bool same = true;
			for (size_t k = 0; k < r->n_by && same; k++)
				same = same_value(r->types[r->by_probe[k]],
						  batch->children[cs->by_child[k]], i, last_row);
			if (same) {
				w->gid[i] = last;
				continue;
			}
		}
		int rc = key_text(r, w, cs, batch, i);
		size_t g;
		if (!rc)
			rc = group_for(r, w, w->key.data, &g);
		if (rc)
			return rc;
		w->gid[i] = last = (long)g;
		last_row = i;
	}
	/* feed each group its rows, in row order: a counting sort of the
	 * rows by group into sel */
	size_t n_groups = w->p->n_groups;
	if (n_groups > w->gend_cap) {
		int64_t *p = realloc(w->gend, n_groups * sizeof *p);
		if (!p)
			return pv_err_set(&w->err, PV_ENOMEM, "out of memory");
		w->gend = p;
		w->gend_cap = n_groups;
	}
	memset(w->gend, 0, n_groups * sizeof *w->gend);
	for (int64_t i = 0; i < n; i++)
		w->gend[w->gid[i]]++;
	int64_t at = 0;
	for (size_t g = 0; g < n_groups; g++) {
		int64_t m = w->gend[g];
		w->gend[g] = at; /* its start, until the rows are placed */
		at += m;
	}
	for (int64_t i = 0; i < n; i++)
		w->sel[w->gend[w->gid[i]]++] = i;
	for (size_t g = 0, start = 0; g < n_groups; start = (size_t)w->gend[g], g++) {
		int64_t m = w->gend[g] - (int64_t)start;
		if (!m)
			continue;
		int rc = feed_group(r, w, t, g, batch, m == n ? NULL : w->sel + start, m);
		if (rc)
			return rc;
	}
	return 0;
}

/* Rows per batch of a list column. */
#define LIST_BATCH_ROWS 1024

static int run_task(run_ctx *r, worker *w, const task *t)
{
	const colset *cs = &r->sets[t->col == SIZE_MAX ? r->proto->n_columns : t->col];
	pv_scan_opts so = { .columns = cs->columns, .verify_crc = r->opts->verify_crc };
	/* a batch of lists holds every item and two levels per item: fewer
	 * rows keep it near the size of a batch of scalars */
	if (t->col != SIZE_MAX && (r->proto->columns[t->col].kind == PV_PROF_LIST ||
				   r->proto->columns[t->col].kind == PV_PROF_EMBEDDING))
		so.batch_rows = LIST_BATCH_ROWS;
	pv_row_range range = { t->first, t->rows };
	pv_scan *s;
	int rc = pv_scan_open(r->ds, &so, &range, 1, &s, &w->err);
	if (rc)
		return rc;
	for (;;) {
		struct ArrowArray b;
		int64_t first;
		rc = pv_scan_next(s, &b, &first, &w->err);
		if (rc || !b.release)
			break;
		if ((size_t)b.n_children != cs->n_children) {
			rc = pv_err_set(&w->err, PV_EINTERNAL, "scan gave %lld columns, expected %zu",
					(long long)b.n_children, cs->n_children);
		} else {
			rc = feed_batch(r, w, t, &b);
		}
		int64_t len = b.length;
		b.release(&b);
		if (rc)
			break;
		/* progress: the rows done over every task column, over the
		 * number of task columns (smoother than one column's rows) */
		long long done = atomic_fetch_add(&r->rows_done, len) + len;
		if (r->opts->progress) {
			pthread_mutex_lock(&r->lock);
			r->opts->progress(r->opts->progress_ctx, done / r->n_cols);
			pthread_mutex_unlock(&r->lock);
		}
		if (atomic_load(&r->stop))
			break;
	}
	pv_scan_close(s);
	return rc;
}

/* A worker's value tables past this many entries (over its groups) go
 * to the result after the task. */
#define FLUSH_ENTRIES 4096

/* Moves the worker's profilers of column c (every group it fed) into the
 * result and gives the worker fresh ones: when it moves on to another
 * column, and after a task that left its tables big. A worker then holds
 * a few row groups of one column, and the values of a column live in one
 * table, the result's, rather than in one per worker until a merge at
 * the end (demo/docs: 20 MiB peak instead of 25); small tables wait, so
 * datasets of many small files do not pay a merge per file. A result
 * column nothing reached yet takes the worker's profiler as it is. */
static int flush_column(run_ctx *r, worker *w, size_t c)
{
	int rc = 0;
	if (w->n_res_group < w->p->n_groups) {
		/* result groups are only appended while workers run, so their
		 * indices can be remembered instead of looked up by key */
		long *m = realloc(w->res_group, w->p->n_groups * sizeof *m);
		if (!m)
			return pv_err_set(&w->err, PV_ENOMEM, "out of memory");
		for (size_t g = w->n_res_group; g < w->p->n_groups; g++)
			m[g] = -1;
		w->res_group = m;
		w->n_res_group = w->p->n_groups;
	}
	pthread_mutex_lock(&r->lock);
	for (size_t g = 0; g < w->p->n_groups && !rc; g++) {
		pv_profile_group *wg = &w->p->groups[g];
		if (!wg->cols[c].rows)
			continue;
		long dg = w->res_group[g];
		if (dg < 0)
			dg = find_group(r->res, wg->key);
		if (dg < 0) {
			size_t at;
			rc = pv_profile_add_group(r->res, wg->key, &at, &w->err);
			dg = (long)at;
		}
		if (rc)
			break;
		w->res_group[g] = dg;
		pv_colprof *d = &r->res->groups[dg].cols[c], *s = &wg->cols[c];
		if (!d->rows) {
			pv_colprof t = *d;
			*d = *s;
			*s = t;
		} else {
			rc = pv_colprof_merge(d, s, &w->err);
		}
	}
	pthread_mutex_unlock(&r->lock);
	for (size_t g = 0; g < w->p->n_groups && !rc; g++) {
		pv_colprof *s = &w->p->groups[g].cols[c];
		if (!s->rows && !s->hll && !s->topk.n_entries)
			continue; /* fresh (swapped in, or not fed) */
		pv_colprof_release(s);
		rc = pv_colprof_init(s, w->p->columns[c].kind, w->p->exact_max, &w->err);
		pv_colprof_limit(s, w->p->stats);
	}
	return rc;
}

static void worker_fn(void *ctx, size_t wi)
{
	run_ctx *r = ctx;
	worker *w = &r->workers[wi];
	for (;;) {
		if (atomic_load(&r->stop))
			return;
		size_t ti = atomic_fetch_add(&r->next, 1);
		if (ti >= r->n_tasks) {
			if (w->cur != SIZE_MAX) {
				int rc = flush_column(r, w, w->cur);
				w->cur = SIZE_MAX;
				if (rc)
					fail(r, rc, &w->err);
			}
			return;
		}
		const task *t = &r->tasks[ti];
		int rc = 0;
		if (w->cur != SIZE_MAX && t->col != w->cur) {
			rc = flush_column(r, w, w->cur);
			w->cur = SIZE_MAX;
		}
		if (!rc)
			rc = run_task(r, w, t);
		if (!rc && t->col != SIZE_MAX) {
			size_t n = 0;
			for (size_t g = 0; g < w->p->n_groups; g++)
				n += w->p->groups[g].cols[t->col].topk.n_entries;
			w->cur = t->col;
			if (n > FLUSH_ENTRIES) {
				rc = flush_column(r, w, t->col);
				w->cur = SIZE_MAX;
			}
		}
		if (rc) {
			fail(r, rc, &w->err);
			return;
		}
	}
}

/* Footer answers for data column ci: null counts and trusted exact
 * min/max over every chunk of every file. */
static int footer_answers(const pv_dataset *ds, size_t ci, pv_profile_column *pc, pv_err *err)
{
	const pv_dataset_column *dc = &ds->columns[ci];
	pc->footer_nulls_known = true;
	pc->footer_nulls = 0;
	bool mm = dc->n_conflicts == 0;
	pv_value vmin = { 0 }, vmax = { 0 };
	const pv_schema_node *vmin_leaf = NULL;
	pv_buf b;
	pv_buf_init(&b, 0);
	int rc = 0;
	int cmp_ok = 1;
	for (size_t f = 0; f < ds->n_files; f++) {
		const pv_pfile *pf = ds->files[f].pf;
		if (!pf)
			continue;
		const pv_schema_node *node = NULL;
		const pv_schema_node *root = pf->schema ? pf->schema->root : NULL;
		for (size_t k = 0; root && k < root->n_children; k++)
			if (!strcmp(root->children[k]->name, dc->name))
				node = root->children[k];
		if (!node) {
			/* missing: NULL in every row, no bound to add */
			pc->footer_nulls += pf->rows;
			continue;
		}
		if (!node->is_leaf || node->max_rep > 0) {
			pc->footer_nulls_known = false;
			mm = false;
			continue;
		}
		for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
			const pv_row_group *rg = &pf->meta->row_groups[g];
			if (node->leaf_index >= rg->n_columns) {
				pc->footer_nulls_known = false;
				mm = false;
				continue;
			}
			const pv_column_chunk *cc = &rg->columns[node->leaf_index];
			const pv_statistics *st = &cc->meta_data.statistics;
			if (!cc->has_meta_data || !cc->meta_data.has_statistics || !st->has_null_count) {
				pc->footer_nulls_known = false;
			} else {
				pc->footer_nulls += st->null_count;
			}
			if (!mm)
				continue;
			if (!cc->has_meta_data || !cc->meta_data.has_statistics) {
				mm = false;
				continue;
			}
			if (st->has_null_count && st->null_count == rg->num_rows)
				continue; /* all NULL: no bounds, none needed */
			pv_value lo, hi;
			bool trusted;
			pv_err e2;
			if (pv_stats_minmax(cc, node, pf->meta->created_by, &lo, &hi, &trusted, &e2) ||
			    !trusted || (st->has_is_min_value_exact && !st->is_min_value_exact) ||
			    (st->has_is_max_value_exact && !st->is_max_value_exact) ||
			    lo.kind == PV_VAL_BINARY || lo.kind == PV_VAL_STRING ||
			    lo.kind == PV_VAL_DECIMAL || lo.kind == PV_VAL_UUID ||
			    lo.kind == PV_VAL_INTERVAL || lo.kind == PV_VAL_INT96RAW) {
				/* byte-wise bounds may be truncated (exactness is
				 * optional); only numbers and times are kept */
				mm = false;
				continue;
			}
			if (!vmin_leaf) {
				vmin = lo, vmax = hi;
				vmin_leaf = node;
				continue;
			}
			if (lo.kind != vmin.kind || lo.unit != vmin.unit) {
				mm = false;
				continue;
			}
			switch (lo.kind) {
			case PV_VAL_UINT:
				if (lo.u < vmin.u) vmin = lo;
				if (hi.u > vmax.u) vmax = hi;
				break;
			case PV_VAL_FLOAT:
				if (lo.f < vmin.f) vmin = lo;
				if (hi.f > vmax.f) vmax = hi;
				break;
			case PV_VAL_BOOL:
				if (lo.b < vmin.b) vmin = lo;
				if (hi.b > vmax.b) vmax = hi;
				break;
			case PV_VAL_INT:
			case PV_VAL_DATE:
			case PV_VAL_TIME:
			case PV_VAL_TIMESTAMP:
				if (lo.i < vmin.i) vmin = lo;
				if (hi.i > vmax.i) vmax = hi;
				break;
			default:
				cmp_ok = 0;
			}
		}
	}
	if (mm && cmp_ok && vmin_leaf) {
		rc = pv_cell_text(&vmin, &b, err);
		if (!rc)
			rc = pv_buf_putc(&b, '\0', err);
		if (!rc && !(pc->footer_min = strdup(b.data)))
			rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		pv_buf_reset(&b);
		if (!rc)
			rc = pv_cell_text(&vmax, &b, err);
		if (!rc)
			rc = pv_buf_putc(&b, '\0', err);
		if (!rc && !(pc->footer_max = strdup(b.data)))
			rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		pc->footer_minmax = !rc;
	}
	pv_buf_release(&b);
	return rc;
}

/* "a, b" -> by_names. */
static int split_by(run_ctx *r, const char *by, pv_err *err)
{
	const char *p = by;
	for (;;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, ",");
		size_t m = n;
		while (m && p[m - 1] == ' ')
			m--;
		if (!m)
			return pv_err_set(err, PV_EINVAL, "--by '%s' has an empty column name", by);
		if (r->n_by == PV_PROF_MAX_BY)
			return pv_err_set(err, PV_EINVAL, "--by takes at most %d columns",
					  PV_PROF_MAX_BY);
		if (!(r->by_names[r->n_by] = strndup(p, m)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		r->n_by++;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int pv_profile_run(const pv_dataset *ds, const pv_profile_opts *opts_in, pv_profile **out,
		   pv_err *err)
{
	*out = NULL;
	pv_profile_opts opts = opts_in ? *opts_in : (pv_profile_opts){ 0 };
	run_ctx r = { 0 };
	r.ds = ds;
	r.opts = &opts;
	r.max_groups = opts.max_groups ? opts.max_groups : PV_PROF_DEFAULT_MAX_GROUPS;
	pthread_mutex_init(&r.lock, NULL);
	pv_arena arena;
	pv_arena_init(&arena, 0);
	pv_buf cols;
	pv_buf_init(&cols, 0);
	pv_scan *probe = NULL;
	struct ArrowSchema schema = { 0 };
	pv_rowmap map = { 0 };
	pv_profile *proto = pv_profile_new(opts.max_chars, opts.exact_max, opts.by, opts.footer_only);
	int rc = 0;
	if (!proto) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto done;
	}
	proto->stats = opts.stats ? opts.stats & PV_PROF_S_ALL : PV_PROF_S_ALL;
	r.proto = proto;

	/* The selected columns, resolved (and checked) by a scan over no
	 * rows; the --by column rides along when it is not selected. */
	if (opts.by && (rc = split_by(&r, opts.by, err)))
		goto done;
	pv_scan_opts so = { .columns = opts.columns };
	rc = pv_scan_open(ds, &so, NULL, 0, &probe, err);
	if (rc)
		goto done;
	size_t n_sel = pv_scan_n_columns(probe);
	for (size_t i = 0; i < n_sel; i++) {
		const char *name = pv_scan_column_name(probe, i);
		if (i && (rc = pv_buf_putc(&cols, ',', err)))
			goto done;
		if ((rc = pv_buf_puts(&cols, name, err)))
			goto done;
	}
	for (size_t k = 0; k < r.n_by; k++) {
		bool selected = false;
		for (size_t i = 0; i < n_sel; i++)
			selected |= !strcmp(pv_scan_column_name(probe, i), r.by_names[k]);
		if (selected)
			continue;
		if ((cols.len && (rc = pv_buf_putc(&cols, ',', err))) ||
		    (rc = pv_buf_puts(&cols, r.by_names[k], err)))
			goto done;
	}
	if ((rc = pv_buf_putc(&cols, '\0', err)))
		goto done;
	pv_scan_close(probe);
	probe = NULL;
	r.scan_columns = cols.data;
	rc = pv_scan_open(ds, &(pv_scan_opts){ .columns = r.scan_columns }, NULL, 0, &probe, err);
	if (rc)
		goto done;
	r.n_scan = pv_scan_n_columns(probe);
	if ((rc = pv_scan_schema(probe, &schema, err)))
		goto done;
	pv_atype *st;
	if ((rc = pv_atype_parse(&arena, &schema, &st, err)))
		goto done;
	r.types = st->children;
	if (st->n_children != r.n_scan) {
		rc = pv_err_set(err, PV_EINTERNAL, "scan schema has %zu columns, expected %zu",
				st->n_children, r.n_scan);
		goto done;
	}
	r.sets = calloc(n_sel + 1, sizeof *r.sets);
	if (!r.sets) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto done;
	}
	r.n_sets = n_sel + 1;
	for (size_t i = 0; i < n_sel; i++) {
		const char *name = pv_scan_column_name(probe, i);
		pv_profile_column pc = { 0 };
		pc.name = (char *)name;
		pc.format = (char *)schema.children[i]->format;
		pc.kind = pv_prof_kind_of(r.types[i]);
		long ci = pv_dataset_column_index(ds, name);
		pc.type = (char *)(ci >= 0 ? ds->columns[ci].type : pc.format);
		pc.is_partition = ci >= 0 && ds->columns[ci].is_partition;
		if (ci >= 0 && !pc.is_partition && (rc = footer_answers(ds, (size_t)ci, &pc, err)))
			goto done;
		/* all NULL by the footers: nothing to decode */
		bool skip = pc.footer_nulls_known && ci >= 0 && pc.footer_nulls == ds->n_rows;
		pc.decoded = !opts.footer_only && !skip;
		rc = pv_profile_add_column(proto, &pc, err);
		free(pc.footer_min);
		free(pc.footer_max);
		if (rc)
			goto done;
	}
	for (size_t k = 0; k < r.n_by; k++) {
		r.by_probe[k] = SIZE_MAX;
		for (size_t i = 0; i < r.n_scan; i++)
			if (!strcmp(pv_scan_column_name(probe, i), r.by_names[k]))
				r.by_probe[k] = i;
		if (r.by_probe[k] == SIZE_MAX) {
			rc = pv_err_set(err, PV_EINTERNAL, "--by column '%s' not in the scan",
					r.by_names[k]);
			goto done;
		}
		if (pv_atype_nested(r.types[r.by_probe[k]])) {
			rc = pv_err_set(err, PV_EINVAL,
					"--by needs columns of single values; '%s' is nested",
					r.by_names[k]);
			goto done;
		}
	}
	pv_scan_close(probe);
	probe = NULL;

	if (opts.footer_only) {
		/* footers only: the rows and NULLs they state, in one group */
		size_t g;
		if (opts.by) {
			rc = pv_err_set(err, PV_EINVAL, "--by needs the data; it cannot be used with --footer");
			goto done;
		}
		if ((rc = pv_profile_add_group(proto, "", &g, err)))
			goto done;
		proto->rows = proto->groups[g].rows = ds->n_rows;
		for (size_t c = 0; c < proto->n_columns; c++) {
			pv_colprof *cp = &proto->groups[g].cols[c];
			cp->rows = ds->n_rows;
			cp->nulls = proto->columns[c].footer_nulls_known ? proto->columns[c].footer_nulls : 0;
		}
		for (size_t f = 0; f < ds->n_files; f++)
			proto->n_files += ds->files[f].pf != NULL;
		*out = proto;
		proto = NULL;
		goto done;
	}

	/* What each column's tasks scan; the first decoded column counts the
	 * group rows (with none, a task of the --by column alone does). */
	r.counter = SIZE_MAX;
	for (size_t c = 0; c <= n_sel; c++) {
		colset *cs = &r.sets[c];
		if (c < n_sel && !proto->columns[c].decoded) {
			cs->columns = NULL;
			continue;
		}
		if (c < n_sel && r.counter == SIZE_MAX)
			r.counter = c;
		pv_buf b;
		pv_buf_init(&b, 0);
		if (c < n_sel)
			rc = pv_buf_puts(&b, proto->columns[c].name, err);
		cs->col_child = c < n_sel ? 0 : SIZE_MAX;
		cs->n_children = c < n_sel;
		for (size_t k = 0; k < r.n_by && !rc; k++) {
			if (c < n_sel && r.by_probe[k] == c) {
				cs->by_child[k] = 0;
				continue;
			}
			if (b.len)
				rc = pv_buf_putc(&b, ',', err);
			if (!rc)
				rc = pv_buf_puts(&b, r.by_names[k], err);
			cs->by_child[k] = cs->n_children++;
		}
		if (!rc)
			rc = pv_buf_putc(&b, '\0', err);
		cs->columns = b.data;
		if (rc)
			goto done;
	}
	bool count_task = r.counter == SIZE_MAX && opts.by;

	/* one task per decoded column of each non-empty row group, column
	 * by column: the result's tables then grow one column at a time
	 * (measured: demo/docs 21 MiB peak against 23 in dataset order;
	 * big.parquet, where both workers then hold pages of its big text
	 * column at once, 160 MiB against 139, but 1 s less system time) */
	if ((rc = pv_rowmap_init(&map, ds, err)))
		goto done;
	size_t n_tasks = 0, per_rg = count_task;
	for (size_t c = 0; c < n_sel; c++)
		per_rg += proto->columns[c].decoded;
	for (size_t f = 0; f < ds->n_files; f++)
		if (ds->files[f].pf)
			n_tasks += ds->files[f].pf->meta->n_row_groups * per_rg;
	r.tasks = calloc(n_tasks ? n_tasks : 1, sizeof *r.tasks);
	if (!r.tasks) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto done;
	}
	r.n_cols = per_rg ? (int64_t)per_rg : 1;
	for (size_t c = 0; c <= n_sel; c++) {
		if (c < n_sel ? !proto->columns[c].decoded : !count_task)
			continue;
		for (size_t f = 0; f < ds->n_files; f++) {
			const pv_pfile *pf = ds->files[f].pf;
			if (!pf)
				continue;
			int64_t first = map.file_first[f];
			for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
				int64_t rows = pf->meta->row_groups[g].num_rows;
				if (rows > 0)
					r.tasks[r.n_tasks++] =
						(task){ f, g, first, rows, c < n_sel ? c : SIZE_MAX };
				first += rows > 0 ? rows : 0;
			}
		}
	}
	int n_threads = opts.n_threads > 0 ? opts.n_threads : pv_pool_ncpu();
	if ((size_t)n_threads > r.n_tasks)
		n_threads = r.n_tasks ? (int)r.n_tasks : 1;
	r.workers = calloc((size_t)n_threads, sizeof *r.workers);
	if (!r.workers) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto done;
	}
	r.n_workers = (size_t)n_threads;
	if (!(r.res = proto_copy(proto, err))) {
		rc = PV_ENOMEM;
		goto done;
	}
	for (int i = 0; i < n_threads; i++) {
		worker *w = &r.workers[i];
		w->cur = SIZE_MAX;
		pv_buf_init(&w->fx.text, 0);
		pv_buf_init(&w->key, 0);
		w->fx.max_chars = proto->max_chars;
		w->fx.err = &w->err;
		if (!(w->p = proto_copy(proto, err))) {
			rc = PV_ENOMEM;
			goto done;
		}
	}
	pv_pool_for(n_threads, (size_t)n_threads, worker_fn, &r);
	if (r.rc) {
		rc = r.rc;
		pv_err_copy(err, &r.err);
		goto done;
	}
	/* the columns are in r.res; the workers keep the group rows */
	pv_profile *res = r.res;
	for (int i = 0; i < n_threads && !rc; i++) {
		const pv_profile *wp = r.workers[i].p;
		for (size_t g = 0; g < wp->n_groups && !rc; g++) {
			long dg = find_group(res, wp->groups[g].key);
			if (dg < 0) {
				size_t at;
				rc = pv_profile_add_group(res, wp->groups[g].key, &at, err);
				dg = (long)at;
			}
			if (!rc)
				res->groups[dg].rows += wp->groups[g].rows;
		}
		res->rows += wp->rows;
	}
	if (rc)
		goto done;
	/* the footer answers are the dataset's, not a sum over workers */
	for (size_t c = 0; c < res->n_columns; c++) {
		pv_profile_column *d = &res->columns[c];
		const pv_profile_column *o = &proto->columns[c];
		d->footer_nulls_known = o->footer_nulls_known;
		d->footer_nulls = o->footer_nulls;
		free(d->footer_min);
		free(d->footer_max);
		d->footer_min = o->footer_min ? strdup(o->footer_min) : NULL;
		d->footer_max = o->footer_max ? strdup(o->footer_max) : NULL;
		d->footer_minmax = o->footer_minmax && d->footer_min && d->footer_max;
	}
	if (!opts.by && res->n_groups == 0) {
		size_t g;
		if ((rc = pv_profile_add_group(res, "", &g, err)))
			goto done;
	}
	if (!opts.by && r.counter == SIZE_MAX) {
		/* nothing decoded: the rows are the footers' */
		res->rows = res->groups[0].rows = map.n_rows;
	}
	/* columns not decoded are NULL in every row of every group */
	for (size_t g = 0; g < res->n_groups; g++)
		for (size_t c = 0; c < res->n_columns; c++)
			if (!res->columns[c].decoded)
				res->groups[g].cols[c].rows = res->groups[g].cols[c].nulls =
					res->groups[g].rows;
	pv_profile_sort_groups(res);
	res->n_files = 0;
	for (size_t f = 0; f < ds->n_files; f++)
		res->n_files += ds->files[f].pf != NULL;
	r.res = NULL;
	*out = res;
done:
	pv_profile_free(r.res);
	for (size_t i = 0; r.workers && i < r.n_workers; i++) {
		worker *w = &r.workers[i];
		pv_profile_free(w->p);
		pv_buf_release(&w->fx.text);
		pv_buf_release(&w->key);
		free(w->res_group);
		free(w->gend);
		free(w->gix);
		free(w->sel);
		free(w->gid);
	}
	free(r.workers);
	free(r.tasks);
	for (size_t i = 0; r.sets && i < r.n_sets; i++)
		free(r.sets[i].columns);
	free(r.sets);
	for (size_t k = 0; k < r.n_by; k++)
		free(r.by_names[k]);
	pv_rowmap_release(&map);
	pv_scan_close(probe);
	if (schema.release)
		schema.release(&schema);
	pv_buf_release(&cols);
	pv_arena_release(&arena);
	pv_profile_free(proto);
	pthread_mutex_destroy(&r.lock);
	return rc;
}
