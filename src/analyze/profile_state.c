/*
 * profile_state.c - a profile's mergeable state as a small binary file
 * (`profile --save` / `--merge`; README "profile state" documents the
 * layout). Writing goes through io/atomic.h; reading treats every byte as
 * hostile: one bounds-checked cursor, caps on every count and length.
 * Must not include sql, server or cli.
 */
#include "analyze/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cursor.h"
#include "io/atomic.h"
#include "base/banned.h"

/* Caps on what a state file may claim. */
#define MAX_STATE_BYTES ((size_t)1 << 30)
#define MAX_STR ((uint32_t)1 << 20)
#define MAX_COLUMNS 100000u
#define MAX_GROUPS 100000u
#define MAX_LEVEL_ITEMS ((uint32_t)1 << 20)
#define MAX_EXACT ((uint64_t)1 << 24)
#define NO_STR UINT32_MAX

/* ---- writing */

typedef struct wr {
	FILE *f;
} wr;

static void w_bytes(wr *w, const void *p, size_t n)
{
	if (n)
		fwrite(p, 1, n, w->f);
}

static void w_u8(wr *w, uint8_t v)
{
	w_bytes(w, &v, 1);
}

static void w_u32(wr *w, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	w_bytes(w, b, 4);
}

static void w_u64(wr *w, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	w_bytes(w, b, 8);
}

static void w_i64(wr *w, int64_t v)
{
	w_u64(w, (uint64_t)v);
}

static void w_f64(wr *w, double v)
{
	uint64_t u;
	memcpy(&u, &v, 8);
	w_u64(w, u);
}

static void w_str(wr *w, const char *s)
{
	if (!s) {
		w_u32(w, NO_STR);
		return;
	}
	size_t n = strlen(s);
	w_u32(w, (uint32_t)n);
	w_bytes(w, s, n);
}

static void w_kll(wr *w, const pv_kll *k)
{
	w_u64(w, k->n);
	w_f64(w, k->min);
	w_f64(w, k->max);
	w_u8(w, k->compacted);
	w_u32(w, (uint32_t)k->n_levels);
	for (size_t h = 0; h < k->n_levels; h++) {
		w_u32(w, (uint32_t)k->lv[h].len);
		for (size_t i = 0; i < k->lv[h].len; i++)
			w_f64(w, k->lv[h].items[i]);
	}
}

static void w_len(wr *w, const pv_lenstats *l)
{
	w_i64(w, l->n);
	w_i64(w, l->min);
	w_i64(w, l->max);
	w_i64(w, l->sum);
	w_kll(w, &l->kll);
}

static void w_colprof(wr *w, const pv_colprof *c)
{
	w_i64(w, c->rows);
	w_i64(w, c->nulls);
	w_u8(w, c->hll != NULL);
	if (c->hll)
		w_bytes(w, c->hll->reg, PV_HLL_M);
	w_u8(w, c->topk.exact);
	w_u64(w, c->topk.k);
	w_i64(w, c->topk.n);
	w_i64(w, c->topk.error);
	w_u32(w, (uint32_t)c->topk.n_entries);
	for (size_t i = 0; i < c->topk.n_entries; i++) {
		const pv_topk_entry *e = &c->topk.entries[i];
		w_u64(w, e->hash);
		w_i64(w, e->count);
		w_u8(w, e->text_len);
		w_u8(w, e->text_cut);
		w_bytes(w, pv_topk_text(&c->topk, e), e->text_len);
	}
	w_u8(w, c->has_minmax);
	w_i64(w, c->imin);
	w_i64(w, c->imax);
	w_u64(w, c->umin);
	w_u64(w, c->umax);
	w_f64(w, c->fmin);
	w_f64(w, c->fmax);
	w_i64(w, c->mom.n);
	w_f64(w, c->mom.mean);
	w_f64(w, c->mom.m2);
	w_kll(w, &c->values);
	w_i64(w, c->n_nan);
	w_i64(w, c->n_posinf);
	w_i64(w, c->n_neginf);
	w_i64(w, c->n_true);
	w_len(w, &c->chars);
	w_len(w, &c->bytes);
	w_i64(w, c->n_over);
	w_len(w, &c->items);
	w_u32(w, (uint32_t)c->n_dims);
	for (size_t i = 0; i < c->n_dims; i++) {
		w_i64(w, c->dims[i]);
		w_i64(w, c->dim_count[i]);
	}
	w_i64(w, c->dim_other);
	w_i64(w, c->n_nonfinite_vec);
	w_i64(w, c->n_nonfinite_values);
	w_i64(w, c->n_zero_vec);
	w_i64(w, c->n_null_items);
	w_kll(w, &c->norms);
	w_i64(w, c->mean_dim);
	w_i64(w, c->mean_n);
	for (int64_t i = 0; i < c->mean_dim; i++)
		w_f64(w, c->mean_sum[i]);
}

int pv_profile_save(const pv_profile *p, const char *path, const char *const *protect,
		    size_t n_protect, pv_err *err)
{
	pv_atomic_file af = { 0 };
	int rc = pv_atomic_open(&af, path, protect, n_protect, err);
	if (rc)
		return rc;
	wr w = { pv_atomic_stream(&af) };
	w_bytes(&w, PV_PROFILE_MAGIC, 8);
	w_u32(&w, PV_PROFILE_VERSION);
	w_i64(&w, p->max_chars);
	w_u64(&w, p->exact_max);
	w_u8(&w, p->footer_only);
	w_u32(&w, p->stats);
	w_str(&w, p->by);
	w_i64(&w, p->rows);
	w_i64(&w, p->n_files);
	w_u32(&w, (uint32_t)p->n_columns);
	for (size_t i = 0; i < p->n_columns; i++) {
		const pv_profile_column *c = &p->columns[i];
		w_str(&w, c->name);
		w_str(&w, c->format);
		w_str(&w, c->type);
		w_u8(&w, (uint8_t)c->kind);
		w_u8(&w, (uint8_t)(c->is_partition | c->decoded << 1 | c->footer_nulls_known << 2 |
				   c->footer_minmax << 3));
		w_i64(&w, c->footer_nulls);
		w_str(&w, c->footer_minmax ? c->footer_min : NULL);
		w_str(&w, c->footer_minmax ? c->footer_max : NULL);
	}
	w_u32(&w, (uint32_t)p->n_groups);
	for (size_t g = 0; g < p->n_groups; g++) {
		w_str(&w, p->groups[g].key);
		w_i64(&w, p->groups[g].rows);
		for (size_t i = 0; i < p->n_columns; i++)
			w_colprof(&w, &p->groups[g].cols[i]);
	}
	return pv_atomic_commit(&af, err);
}

/* ---- reading */

typedef struct rd {
	pv_cursor c;
	pv_err *err;
	const char *path;
	int rc;
} rd;

static int bad(rd *r, const char *what)
{
	if (!r->rc)
		r->rc = pv_err_set(r->err, PV_ECORRUPT, "'%s': not a valid profile state: %s", r->path,
				   what);
	return r->rc;
}

static uint8_t r_u8(rd *r)
{
	return pv_cursor_u8(&r->c);
}

static uint32_t r_u32(rd *r)
{
	return pv_cursor_u32le(&r->c);
}

static uint64_t r_u64(rd *r)
{
	return pv_cursor_u64le(&r->c);
}

static int64_t r_i64(rd *r)
{
	return (int64_t)pv_cursor_u64le(&r->c);
}

static double r_f64(rd *r)
{
	uint64_t u = pv_cursor_u64le(&r->c);
	double d;
	memcpy(&d, &u, 8);
	return d;
}

/* A string, or NULL for the absent marker; *ok false on failure. */
static char *r_str(rd *r, bool *ok)
{
	uint32_t n = r_u32(r);
	*ok = pv_cursor_ok(&r->c);
	if (!*ok || n == NO_STR)
		return NULL;
	if (n > MAX_STR) {
		*ok = false;
		bad(r, "string too long");
		return NULL;
	}
	const uint8_t *p = pv_cursor_take(&r->c, n);
	if (!p) {
		*ok = false;
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (!s) {
		*ok = false;
		r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = '\0';
	if (strlen(s) != n) {
		free(s);
		*ok = false;
		bad(r, "NUL inside a string");
		return NULL;
	}
	return s;
}

static int r_kll(rd *r, pv_kll *k)
{
	uint64_t n = r_u64(r);
	double lo = r_f64(r), hi = r_f64(r);
	bool compacted = r_u8(r) != 0;
	uint32_t levels = r_u32(r);
	if (!pv_cursor_ok(&r->c))
		return bad(r, "truncated");
	if (levels < 1 || levels > PV_KLL_MAX_LEVELS)
		return bad(r, "sketch levels out of range");
	uint64_t weight = 0;
	for (uint32_t h = 0; h < levels; h++) {
		uint32_t len = r_u32(r);
		if (!pv_cursor_ok(&r->c) || len > MAX_LEVEL_ITEMS ||
		    (size_t)len * 8 > pv_cursor_left(&r->c))
			return bad(r, "sketch level out of range");
		double *items = malloc(len ? (size_t)len * sizeof *items : 1);
		if (!items)
			return r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
		for (uint32_t i = 0; i < len; i++) {
			items[i] = r_f64(r);
			if (isnan(items[i])) {
				free(items);
				return bad(r, "NaN in a quantile sketch");
			}
		}
		int rc = pv_kll_restore_level(k, h, items, len);
		free(items);
		if (rc)
			return r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
		if (h < 63)
			weight += (uint64_t)len << h;
	}
	k->n_levels = levels;
	/* the items must stand for exactly the values counted */
	if (weight != n)
		return bad(r, "sketch weight does not match its count");
	if (n && (isnan(lo) || isnan(hi) || lo > hi))
		return bad(r, "sketch bounds out of order");
	k->n = n;
	k->min = lo;
	k->max = hi;
	k->compacted = compacted || k->compacted;
	return 0;
}

static int r_len(rd *r, pv_lenstats *l)
{
	l->n = r_i64(r);
	l->min = r_i64(r);
	l->max = r_i64(r);
	l->sum = r_i64(r);
	if (l->n < 0)
		return bad(r, "negative count");
	return r_kll(r, &l->kll);
}

static int r_colprof(rd *r, pv_colprof *c, size_t exact_max)
{
	c->rows = r_i64(r);
	c->nulls = r_i64(r);
	bool has_hll = r_u8(r) != 0;
	if (!pv_cursor_ok(&r->c))
		return bad(r, "truncated");
	if (c->rows < 0 || c->nulls < 0 || c->nulls > c->rows)
		return bad(r, "row counts out of range");
	if (has_hll && !c->hashes)
		return bad(r, "distinct sketch does not match the column kind");
	if (has_hll) {
		const uint8_t *reg = pv_cursor_take(&r->c, PV_HLL_M);
		if (!reg)
			return bad(r, "truncated");
		for (size_t i = 0; i < PV_HLL_M; i++)
			if (reg[i] > 64 - PV_HLL_P + 1)
				return bad(r, "distinct sketch register out of range");
		if (!(c->hll = malloc(sizeof *c->hll)))
			return r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
		memcpy(c->hll->reg, reg, PV_HLL_M);
	}
	c->topk.exact = r_u8(r) != 0;
	uint64_t k = r_u64(r);
	int64_t tn = r_i64(r), terr = r_i64(r);
	uint32_t n_entries = r_u32(r);
	if (!pv_cursor_ok(&r->c))
		return bad(r, "truncated");
	if (k < 1 || k > 65536 || tn < 0 || terr < 0 ||
	    n_entries > (c->topk.exact ? exact_max : 2 * k))
		return bad(r, "value counts out of range");
	c->topk.k = (size_t)k;
	for (uint32_t i = 0; i < n_entries; i++) {
		uint64_t hash = r_u64(r);
		int64_t cnt = r_i64(r);
		uint8_t len = r_u8(r), cut = r_u8(r);
		if (!pv_cursor_ok(&r->c) || cnt < 1 || len > PV_TOPK_TEXT)
			return bad(r, "value count entry out of range");
		const uint8_t *t = pv_cursor_take(&r->c, len);
		if (!t)
			return bad(r, "truncated");
		if (pv_topk_restore(&c->topk, hash, cnt, (const char *)t, len, cut != 0))
			return r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
	}
	c->topk.n = tn;
	c->topk.error = terr;
	/* an approximate table counts distinct values with its sketch */
	if (c->hashes && !c->topk.exact && !c->hll)
		return bad(r, "distinct sketch missing");
	if (c->hll && c->topk.exact && c->topk.n_entries < c->topk.exact_max) {
		/* states before version 3 kept a sketch beside every table */
		free(c->hll);
		c->hll = NULL;
	}
	c->has_minmax = r_u8(r) != 0;
	c->imin = r_i64(r);
	c->imax = r_i64(r);
	c->umin = r_u64(r);
	c->umax = r_u64(r);
	c->fmin = r_f64(r);
	c->fmax = r_f64(r);
	c->mom.n = r_i64(r);
	c->mom.mean = r_f64(r);
	c->mom.m2 = r_f64(r);
	if (c->mom.n < 0)
		return bad(r, "negative count");
	if (r_kll(r, &c->values))
		return r->rc;
	c->n_nan = r_i64(r);
	c->n_posinf = r_i64(r);
	c->n_neginf = r_i64(r);
	c->n_true = r_i64(r);
	if (r_len(r, &c->chars) || r_len(r, &c->bytes))
		return r->rc;
	c->n_over = r_i64(r);
	if (r_len(r, &c->items))
		return r->rc;
	uint32_t n_dims = r_u32(r);
	if (!pv_cursor_ok(&r->c) || n_dims > PV_PROF_MAX_DIMS)
		return bad(r, "dimensions out of range");
	c->n_dims = n_dims;
	for (uint32_t i = 0; i < n_dims; i++) {
		c->dims[i] = r_i64(r);
		c->dim_count[i] = r_i64(r);
	}
	c->dim_other = r_i64(r);
	c->n_nonfinite_vec = r_i64(r);
	c->n_nonfinite_values = r_i64(r);
	c->n_zero_vec = r_i64(r);
	c->n_null_items = r_i64(r);
	if (r_kll(r, &c->norms))
		return r->rc;
	c->mean_dim = r_i64(r);
	c->mean_n = r_i64(r);
	if (!pv_cursor_ok(&r->c))
		return bad(r, "truncated");
	if (c->mean_dim < -1 || c->mean_dim > PV_PROF_MAX_MEAN_DIM || c->mean_n < 0 ||
	    (size_t)(c->mean_dim > 0 ? c->mean_dim : 0) * 8 > pv_cursor_left(&r->c))
		return bad(r, "mean vector out of range");
	if (c->mean_dim > 0) {
		c->mean_sum = malloc((size_t)c->mean_dim * sizeof *c->mean_sum);
		if (!c->mean_sum)
			return r->rc = pv_err_set(r->err, PV_ENOMEM, "out of memory");
		for (int64_t i = 0; i < c->mean_dim; i++)
			c->mean_sum[i] = r_f64(r);
	}
	if (c->n_nan < 0 || c->n_posinf < 0 || c->n_neginf < 0 || c->n_true < 0 ||
	    c->n_over < 0 || c->dim_other < 0 || c->n_nonfinite_vec < 0 || c->n_zero_vec < 0)
		return bad(r, "negative count");
	return pv_cursor_ok(&r->c) ? 0 : bad(r, "truncated");
}

static bool find_column_name(const pv_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_columns; i++)
		if (!strcmp(p->columns[i].name, name))
			return true;
	return false;
}

static int read_file(const char *path, uint8_t **out, size_t *out_n, pv_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return pv_err_set(err, errno == ENOENT ? PV_ENOTFOUND : PV_EIO,
				  "'%s': cannot open: %s", path, strerror(errno));
	pv_buf b;
	pv_buf_init(&b, MAX_STATE_BYTES);
	uint8_t chunk[65536];
	size_t n;
	int rc = 0;
	while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (pv_buf_append(&b, chunk, n, err)) {
			rc = pv_err_set(err, PV_ELIMIT, "'%s': larger than 1 GiB", path);
		}
	if (!rc && ferror(f))
		rc = pv_err_set(err, PV_EIO, "'%s': read error", path);
	fclose(f);
	if (rc) {
		pv_buf_release(&b);
		return rc;
	}
	*out = (uint8_t *)pv_buf_detach(&b, out_n);
	return 0;
}

int pv_profile_load(const char *path, pv_profile **out, pv_err *err)
{
	*out = NULL;
	uint8_t *data = NULL;
	size_t n = 0;
	int rc = read_file(path, &data, &n, err);
	if (rc)
		return rc;
	rd r = { pv_cursor_make(data, n), err, path, 0 };
	pv_profile *p = NULL;
	const uint8_t *magic = pv_cursor_take(&r.c, 8);
	if (!magic || memcmp(magic, PV_PROFILE_MAGIC, 8)) {
		rc = pv_err_set(err, PV_ECORRUPT, "'%s': not a parqview profile state (bad magic)",
				path);
		goto done;
	}
	uint32_t version = r_u32(&r);
	if (pv_cursor_ok(&r.c) && (version < 1 || version > PV_PROFILE_VERSION)) {
		rc = pv_err_set(err, PV_EUNSUPPORTED,
				"'%s': profile state version %u (this parqview reads %d)", path,
				version, PV_PROFILE_VERSION);
		goto done;
	}
	int64_t max_chars = r_i64(&r);
	uint64_t exact_max = r_u64(&r);
	bool footer_only = r_u8(&r) != 0;
	uint32_t stats = version == 1 ? PV_PROF_S_ALL : r_u32(&r);
	bool ok;
	char *by = r_str(&r, &ok);
	if (!ok || !pv_cursor_ok(&r.c) || max_chars < 1 || exact_max < 1 || exact_max > MAX_EXACT ||
	    !stats || (stats & ~PV_PROF_S_ALL)) {
		free(by);
		rc = bad(&r, "header out of range");
		goto done;
	}
	p = pv_profile_new(max_chars, (size_t)exact_max, by, footer_only);
	free(by);
	if (!p) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto done;
	}
	p->stats = stats;
	p->rows = r_i64(&r);
	p->n_files = r_i64(&r);
	uint32_t n_columns = r_u32(&r);
	if (!pv_cursor_ok(&r.c) || p->rows < 0 || p->n_files < 0 || n_columns > MAX_COLUMNS) {
		rc = bad(&r, "counts out of range");
		goto done;
	}
	for (uint32_t i = 0; i < n_columns; i++) {
		pv_profile_column c = { 0 };
		bool ok1, ok2, ok3, ok4, ok5;
		c.name = r_str(&r, &ok1);
		c.format = r_str(&r, &ok2);
		c.type = r_str(&r, &ok3);
		uint8_t kind = r_u8(&r), flags = r_u8(&r);
		c.footer_nulls = r_i64(&r);
		c.footer_min = r_str(&r, &ok4);
		c.footer_max = r_str(&r, &ok5);
		c.kind = (pv_prof_kind)kind;
		c.is_partition = flags & 1;
		c.decoded = flags & 2;
		c.footer_nulls_known = flags & 4;
		c.footer_minmax = (flags & 8) && c.footer_min && c.footer_max;
		if (!ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !c.name || !c.format || !c.type ||
		    kind > PV_PROF_EMBEDDING || !pv_cursor_ok(&r.c)) {
			rc = bad(&r, "column out of range");
		} else if (find_column_name(p, c.name)) {
			rc = bad(&r, "a column appears twice");
		} else {
			rc = pv_profile_add_column(p, &c, err);
		}
		free(c.name);
		free(c.format);
		free(c.type);
		free(c.footer_min);
		free(c.footer_max);
		if (rc)
			goto done;
	}
	uint32_t n_groups = r_u32(&r);
	if (!pv_cursor_ok(&r.c) || n_groups > MAX_GROUPS) {
		rc = bad(&r, "groups out of range");
		goto done;
	}
	for (uint32_t g = 0; g < n_groups; g++) {
		char *key = r_str(&r, &ok);
		if (!ok || !key) {
			free(key);
			rc = bad(&r, "group key");
			goto done;
		}
		size_t at;
		bool dup = false;
		for (size_t k = 0; k < p->n_groups; k++)
			dup |= !strcmp(p->groups[k].key, key);
		rc = dup ? bad(&r, "a group appears twice") : pv_profile_add_group(p, key, &at, err);
		free(key);
		if (rc)
			goto done;
		p->groups[at].rows = r_i64(&r);
		if (p->groups[at].rows < 0) {
			rc = bad(&r, "negative count");
			goto done;
		}
		for (size_t i = 0; i < p->n_columns; i++)
			if ((rc = r_colprof(&r, &p->groups[at].cols[i], p->exact_max)))
				goto done;
	}
	if (!pv_cursor_ok(&r.c)) {
		rc = bad(&r, "truncated");
		goto done;
	}
	if (pv_cursor_left(&r.c)) {
		rc = bad(&r, "bytes after the end");
		goto done;
	}
	*out = p;
	p = NULL;
done:
	if (!rc && r.rc)
		rc = r.rc;
	pv_profile_free(p);
	free(data);
	return rc;
}
