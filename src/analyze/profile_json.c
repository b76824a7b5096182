/*
 * profile_json.c - a profile's values as typed values and text, and the
 * `profile --json` document (README "profile"). Must not include sql,
 * server or cli.
 */
#include "analyze/profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/cell.h"
#include "base/banned.h"

/* The pv_value of a raw 64-bit value of column col (what the profilers
 * keep for BOOL, INT, UINT, FLOAT and TEMPORAL kinds). */
static pv_value raw_value(const pv_profile_column *col, uint64_t raw)
{
	pv_value v = { 0 };
	const char *f = col->format ? col->format : "";
	switch (col->kind) {
	case PV_PROF_BOOL:
		v.kind = PV_VAL_BOOL;
		v.b = raw != 0;
		break;
	case PV_PROF_INT:
		v.kind = PV_VAL_INT;
		v.i = (int64_t)raw;
		break;
	case PV_PROF_UINT:
		v.kind = PV_VAL_UINT;
		v.u = raw;
		break;
	case PV_PROF_FLOAT:
		v.kind = PV_VAL_FLOAT;
		memcpy(&v.f, &raw, 8);
		break;
	case PV_PROF_TEMPORAL:
		v.i = (int64_t)raw;
		if (!strcmp(f, "tdD")) {
			v.kind = PV_VAL_DATE;
		} else if (!strncmp(f, "ts", 2) || !strcmp(f, "tdm") || !strncmp(f, "tt", 2)) {
			v.kind = f[1] == 't' ? PV_VAL_TIME : PV_VAL_TIMESTAMP;
			char u = f[1] == 'd' ? 'm' : f[2];
			v.unit = u == 'n' ? PV_UNIT_NANOS : u == 'u' ? PV_UNIT_MICROS : PV_UNIT_MILLIS;
			if (u == 's')
				v.i = v.i > INT64_MAX / 1000 ? INT64_MAX
				      : v.i < INT64_MIN / 1000 ? INT64_MIN : v.i * 1000;
			v.utc = f[1] == 's' && f[3] == ':' && f[4] != '\0';
		} else {
			v.kind = PV_VAL_INT; /* durations: the raw count */
		}
		break;
	default:
		v.kind = PV_VAL_NULL;
	}
	return v;
}

int pv_profile_entry_value(const pv_profile_column *col, const pv_colprof *c,
			   const pv_topk_entry *e, pv_value *out)
{
	const char *text = pv_topk_text(&c->topk, e);
	if (col->kind == PV_PROF_STRING || col->kind == PV_PROF_BINARY ||
	    col->kind == PV_PROF_DECIMAL) {
		memset(out, 0, sizeof *out);
		out->kind = PV_VAL_STRING;
		out->bytes.ptr = (const uint8_t *)text;
		out->bytes.len = e->text_len;
		return 0;
	}
	uint64_t raw = 0;
	memcpy(&raw, text, e->text_len < 8 ? e->text_len : 8);
	*out = raw_value(col, raw);
	return 0;
}

bool pv_profile_minmax_value(const pv_profile_column *col, const pv_colprof *c, bool max,
			     pv_value *out)
{
	memset(out, 0, sizeof *out);
	if (!c->has_minmax)
		return false;
	switch (col->kind) {
	case PV_PROF_INT:
	case PV_PROF_TEMPORAL:
		*out = raw_value(col, (uint64_t)(max ? c->imax : c->imin));
		return true;
	case PV_PROF_UINT:
		*out = raw_value(col, max ? c->umax : c->umin);
		return true;
	case PV_PROF_FLOAT:
	case PV_PROF_DECIMAL:
		out->kind = PV_VAL_FLOAT;
		out->f = max ? c->fmax : c->fmin;
		return true;
	default:
		return false;
	}
}

static void kval(pv_json *j, const char *key, const pv_value *v, pv_err *err)
{
	pv_json_key(j, key);
	if (pv_cell_json(v, j, err))
		pv_json_null(j);
}

static void quantiles(pv_json *j, const char *key, const pv_kll *k, bool with_minmax)
{
	double q[PV_PROF_N_QUANTILES];
	if (!k->n || pv_kll_quantiles(k, pv_prof_quantiles, PV_PROF_N_QUANTILES, q))
		return;
	pv_json_key(j, key);
	pv_json_object_begin(j);
	static const char *const names[] = { "p1", "p5", "p25", "p50", "p75", "p95", "p99" };
	if (with_minmax)
		pv_json_kdouble(j, "min", k->min);
	for (size_t i = 0; i < PV_PROF_N_QUANTILES; i++)
		pv_json_kdouble(j, names[i], q[i]);
	if (with_minmax)
		pv_json_kdouble(j, "max", k->max);
	pv_json_kbool(j, "exact", pv_kll_exact(k));
	pv_json_object_end(j);
}

static void lengths(pv_json *j, const char *key, const pv_lenstats *l)
{
	if (!l->n)
		return;
	double q[PV_PROF_N_QUANTILES];
	/* without the quantiles group the sketch is empty: its keys are left out */
	bool has_q = l->kll.n > 0;
	if (has_q && pv_kll_quantiles(&l->kll, pv_prof_quantiles, PV_PROF_N_QUANTILES, q))
		return;
	pv_json_key(j, key);
	pv_json_object_begin(j);
	pv_json_kint(j, "min", l->min);
	pv_json_kdouble(j, "mean", (double)l->sum / (double)l->n);
	if (has_q) {
		pv_json_kdouble(j, "p50", q[3]);
		pv_json_kdouble(j, "p95", q[5]);
		pv_json_kdouble(j, "p99", q[6]);
	}
	pv_json_kint(j, "max", l->max);
	pv_json_kint(j, "sum", l->sum);
	if (has_q)
		pv_json_kbool(j, "quantiles_exact", pv_kll_exact(&l->kll));
	pv_json_object_end(j);
}

static int column_json(const pv_profile *p, const pv_profile_column *col, const pv_colprof *c,
		       pv_json *j, size_t top, size_t hist_bins, pv_err *err)
{
	pv_json_object_begin(j);
	pv_json_kstr(j, "name", col->name);
	pv_json_kint(j, "rows", c->rows);
	if ((p->stats & PV_PROF_S_NULLS) && (!p->footer_only || col->footer_nulls_known)) {
		pv_json_kint(j, "nulls", c->nulls);
		pv_json_kdouble(j, "null_share",
				c->rows ? (double)c->nulls / (double)c->rows : 0.0);
	}
	if (p->footer_only || !col->decoded) {
		pv_json_object_end(j);
		return 0;
	}
	if (c->hashes) {
		bool exact;
		double d = pv_colprof_distinct(c, &exact);
		pv_json_key(j, "distinct");
		pv_json_object_begin(j);
		pv_json_kint(j, "value", (int64_t)llround(d));
		pv_json_kbool(j, "exact", exact);
		pv_json_kdouble(j, "relative_error", exact ? 0.0 : PV_HLL_BOUND);
		pv_json_object_end(j);
	}
	pv_value v;
	if (pv_profile_minmax_value(col, c, false, &v))
		kval(j, "min", &v, err);
	if (pv_profile_minmax_value(col, c, true, &v))
		kval(j, "max", &v, err);
	switch (col->kind) {
	case PV_PROF_BOOL:
		pv_json_kint(j, "true_count", c->n_true);
		pv_json_kdouble(j, "true_share", c->rows - c->nulls
			? (double)c->n_true / (double)(c->rows - c->nulls) : 0.0);
		break;
	case PV_PROF_INT:
	case PV_PROF_UINT:
	case PV_PROF_FLOAT:
	case PV_PROF_DECIMAL: {
		if (c->mom.n) {
			pv_json_kdouble(j, "mean", c->mom.mean);
			pv_json_kdouble(j, "stddev", pv_moments_stddev(&c->mom));
		}
		if (col->kind == PV_PROF_FLOAT) {
			pv_json_kint(j, "nan", c->n_nan);
			pv_json_kint(j, "posinf", c->n_posinf);
			pv_json_kint(j, "neginf", c->n_neginf);
		}
		quantiles(j, "quantiles", &c->values, false);
		size_t nb = hist_bins ? hist_bins : 10;
		double *edges = malloc((nb + 1) * sizeof *edges);
		int64_t *counts = malloc(nb * sizeof *counts);
		if (!edges || !counts) {
			free(edges);
			free(counts);
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		}
		if (pv_colprof_histogram(c, nb, edges, counts)) {
			pv_json_key(j, "histogram");
			pv_json_object_begin(j);
			pv_json_kstr(j, "source", pv_kll_exact(&c->values) ? "exact" : "kll");
			pv_json_key(j, "edges");
			pv_json_array_begin(j);
			for (size_t i = 0; i <= nb; i++)
				pv_json_double(j, edges[i]);
			pv_json_array_end(j);
			pv_json_key(j, "counts");
			pv_json_array_begin(j);
			for (size_t i = 0; i < nb; i++)
				pv_json_int(j, counts[i]);
			pv_json_array_end(j);
			pv_json_object_end(j);
		}
		free(edges);
		free(counts);
		break;
	}
	case PV_PROF_STRING:
	case PV_PROF_BINARY:
		lengths(j, col->kind == PV_PROF_STRING ? "chars" : "length", &c->chars);
		if (col->kind == PV_PROF_STRING)
			lengths(j, "bytes", &c->bytes);
		if (c->stats & PV_PROF_S_LENGTHS)
			pv_json_kint(j, "over_max_chars", c->n_over);
		break;
	case PV_PROF_LIST:
	case PV_PROF_EMBEDDING:
		lengths(j, "items", &c->items);
		break;
	default:
		break;
	}
	if (col->kind == PV_PROF_EMBEDDING) {
		pv_json_key(j, "embedding");
		pv_json_object_begin(j);
		pv_json_key(j, "dims");
		pv_json_array_begin(j);
		for (size_t i = 0; i < c->n_dims; i++) {
			pv_json_object_begin(j);
			pv_json_kint(j, "dim", c->dims[i]);
			pv_json_kint(j, "count", c->dim_count[i]);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_kint(j, "other_dims", c->dim_other);
		pv_json_kint(j, "nonfinite_vectors", c->n_nonfinite_vec);
		pv_json_kint(j, "nonfinite_values", c->n_nonfinite_values);
		pv_json_kint(j, "zero_vectors", c->n_zero_vec);
		pv_json_kint(j, "null_items", c->n_null_items);
		quantiles(j, "norm", &c->norms, true);
		if (c->mean_dim > 0 && c->mean_n > 0) {
			pv_json_kint(j, "mean_vector_n", c->mean_n);
			pv_json_key(j, "mean_vector");
			pv_json_array_begin(j);
			for (int64_t i = 0; i < c->mean_dim; i++)
				pv_json_double(j, c->mean_sum[i] / (double)c->mean_n);
			pv_json_array_end(j);
		}
		pv_json_object_end(j);
	}
	if (c->hashes && top) {
		const pv_topk_entry **e = malloc(top * sizeof *e);
		if (!e)
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		size_t n = pv_topk_top(&c->topk, e, top);
		pv_json_key(j, "top");
		pv_json_object_begin(j);
		pv_json_kbool(j, "exact", c->topk.exact);
		pv_json_kint(j, "max_undercount", c->topk.error);
		pv_json_key(j, "values");
		pv_json_array_begin(j);
		for (size_t i = 0; i < n; i++) {
			pv_json_object_begin(j);
			pv_profile_entry_value(col, c, e[i], &v);
			kval(j, "value", &v, err);
			if (e[i]->text_cut)
				pv_json_kbool(j, "truncated", true);
			pv_json_kint(j, "count", e[i]->count);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_object_end(j);
		free(e);
	}
	pv_json_object_end(j);
	return 0;
}

int pv_profile_json(const pv_profile *p, pv_json *j, size_t top, size_t hist_bins, pv_err *err)
{
	pv_json_object_begin(j);
	pv_json_kint(j, "rows", p->rows);
	pv_json_kint(j, "n_files", p->n_files);
	pv_json_kint(j, "max_chars", p->max_chars);
	pv_json_key(j, "by");
	if (p->by)
		pv_json_str(j, p->by);
	else
		pv_json_null(j);
	pv_json_kbool(j, "footer_only", p->footer_only);
	pv_json_key(j, "error_bounds");
	pv_json_object_begin(j);
	pv_json_kdouble(j, "distinct_relative", PV_HLL_BOUND);
	pv_json_kdouble(j, "quantile_rank", PV_KLL_RANK_ERROR);
	pv_json_object_end(j);
	pv_json_key(j, "columns");
	pv_json_array_begin(j);
	for (size_t i = 0; i < p->n_columns; i++) {
		const pv_profile_column *col = &p->columns[i];
		pv_json_object_begin(j);
		pv_json_kstr(j, "name", col->name);
		pv_json_kstr(j, "type", col->type);
		pv_json_kstr(j, "kind", pv_prof_kind_name(col->kind));
		pv_json_kbool(j, "partition", col->is_partition);
		pv_json_kbool(j, "decoded", col->decoded);
		pv_json_key(j, "footer");
		pv_json_object_begin(j);
		if (col->footer_nulls_known)
			pv_json_kint(j, "nulls", col->footer_nulls);
		if (col->footer_minmax) {
			pv_json_kstr(j, "min", col->footer_min);
			pv_json_kstr(j, "max", col->footer_max);
		}
		pv_json_object_end(j);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_key(j, "groups");
	pv_json_array_begin(j);
	for (size_t g = 0; g < p->n_groups; g++) {
		const pv_profile_group *grp = &p->groups[g];
		pv_json_object_begin(j);
		pv_json_kstr(j, "key", grp->key);
		pv_json_kint(j, "rows", grp->rows);
		pv_json_key(j, "columns");
		pv_json_array_begin(j);
		for (size_t i = 0; i < p->n_columns; i++) {
			int rc = column_json(p, &p->columns[i], &grp->cols[i], j, top, hist_bins, err);
			if (rc)
				return rc;
		}
		pv_json_array_end(j);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_object_end(j);
	return j->error;
}
