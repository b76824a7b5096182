/*
 * contract_rules.c - the accumulators of the rules that read data: each
 * rule is fed every batch of the one scan (contract_eval.c) and turns what
 * it counted into a value, a status and the offending rows.
 *
 * Keys (duplicates, classes, join keys) are serialised cells: a tag byte
 * and the value's bytes, so equal values give equal keys whatever the
 * batch. Must not include sql or cli.
 */
#include "analyze/contract_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/utf8count.h"
#include "base/banned.h"

/* ---- key set */

void pv_kset_init(pv_kset *s)
{
	memset(s, 0, sizeof *s);
	pv_buf_init(&s->bytes, PV_KSET_MAX_BYTES);
}

void pv_kset_release(pv_kset *s)
{
	if (!s)
		return;
	free(s->slots);
	pv_buf_release(&s->bytes);
	memset(s, 0, sizeof *s);
}

const char *pv_kset_key(const pv_kset *s, const pv_kset_entry *e)
{
	return s->bytes.data ? s->bytes.data + e->off : "";
}

static int kset_grow(pv_kset *s, pv_err *err)
{
	size_t n = s->n_slots ? s->n_slots * 2 : 1024;
	if (n > ((size_t)1 << 32))
		return pv_err_set(err, PV_ELIMIT, "more than %zu distinct keys", s->n_slots / 2);
	pv_kset_entry *slots = calloc(n, sizeof *slots);
	if (!slots)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->n_slots; i++) {
		pv_kset_entry *e = &s->slots[i];
		if (!e->hash)
			continue;
		size_t j = (size_t)e->hash & (n - 1);
		while (slots[j].hash)
			j = (j + 1) & (n - 1);
		slots[j] = *e;
	}
	free(s->slots);
	s->slots = slots;
	s->n_slots = n;
	return 0;
}

/* An occupied slot's hash is never 0 (hashes get their low bit set). */
int pv_kset_get(pv_kset *s, const void *key, size_t len, pv_kset_entry **out, pv_err *err)
{
	if (len > UINT32_MAX / 2)
		return pv_err_set(err, PV_ELIMIT, "key of %zu bytes", len);
	if ((s->n_used + 1) * 2 > s->n_slots && kset_grow(s, err))
		return err ? err->code : PV_ENOMEM;
	uint64_t h = XXH3_64bits(key, len) | 1; /* never 0: 0 marks an empty slot */
	size_t j = (size_t)h & (s->n_slots - 1);
	for (;;) {
		pv_kset_entry *e = &s->slots[j];
		if (!e->hash)
			break;
		if (e->hash == h && e->len == len && !memcmp(s->bytes.data + e->off, key, len)) {
			*out = e;
			return 0;
		}
		j = (j + 1) & (s->n_slots - 1);
	}
	pv_kset_entry *e = &s->slots[j];
	e->hash = h;
	e->off = s->bytes.len;
	e->len = (uint32_t)len;
	e->count = 0;
	e->flag = 0;
	e->first = -1;
	int rc = pv_buf_append(&s->bytes, key, len, err);
	if (!rc && !s->bytes.data)
		rc = pv_buf_reserve(&s->bytes, 1, err);
	if (rc) {
		memset(e, 0, sizeof *e);
		return rc;
	}
	s->n_used++;
	*out = e;
	return 0;
}

/* ---- scans */

int pv_ev_scan_open(pv_ev_scan *es, const pv_dataset *ds, const char *columns, bool all_rows,
		    pv_err *err)
{
	memset(es, 0, sizeof *es);
	pv_arena_init(&es->arena, 0);
	pv_row_range all = { 0, INT64_MAX / 2 };
	pv_scan_opts so = { .columns = columns };
	int rc = pv_scan_open(ds, &so, all_rows ? &all : NULL, all_rows ? 1 : 0, &es->s, err);
	if (!rc)
		rc = pv_scan_schema(es->s, &es->sch, err);
	if (!rc)
		rc = pv_atype_parse(&es->arena, &es->sch, &es->t, err);
	return rc;
}

int pv_ev_scan_next(pv_ev_scan *es, struct ArrowArray *out, int64_t *out_first, pv_err *err)
{
	memset(out, 0, sizeof *out);
	int rc = pv_scan_next(es->s, out, out_first, err);
	if (!rc && out->release && (rc = pv_atype_check(es->t, out, err)))
		out->release(out);
	return rc;
}

void pv_ev_scan_close(pv_ev_scan *es)
{
	if (es->sch.release)
		es->sch.release(&es->sch);
	pv_scan_close(es->s);
	pv_arena_release(&es->arena);
	memset(es, 0, sizeof *es);
}

/* ---- cells */

static pv_acell field_cell(const pv_ev_batch *b, size_t col, int64_t i)
{
	pv_acell row = { b->t, b->a, i };
	return pv_acell_field(&row, col);
}

int pv_ev_cell_key(pv_acell c, pv_buf *out, bool *out_null, pv_err *err)
{
	bool null;
	if (pv_acell_resolve(&c, &null, err))
		return PV_ECORRUPT;
	*out_null = null;
	if (null)
		return pv_buf_putc(out, 0, err);
	const pv_atype *t = pv_atype_value(c.t);
	switch (t->kind) {
	case PV_AK_STRING:
	case PV_AK_BINARY:
	case PV_AK_STRVIEW:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED: {
		const uint8_t *p;
		size_t n;
		uint32_t n32;
		if (pv_acell_bytes(&c, &p, &n, err))
			return PV_ECORRUPT;
		if (n > UINT32_MAX)
			return pv_err_set(err, PV_ELIMIT, "value of %zu bytes", n);
		n32 = (uint32_t)n;
		if (pv_buf_putc(out, 1, err) || pv_buf_append(out, &n32, 4, err))
			return PV_ENOMEM;
		return pv_buf_append(out, p, n, err);
	}
	case PV_AK_INT:
	case PV_AK_UINT:
	case PV_AK_DATE32:
	case PV_AK_TIME:
	case PV_AK_TIMESTAMP:
	case PV_AK_DURATION: {
		int64_t v = pv_acell_int(&c);
		if (pv_buf_putc(out, 2, err))
			return PV_ENOMEM;
		return pv_buf_append(out, &v, 8, err);
	}
	default:
		/* everything else by its text, which is exact for every type */
		if (pv_buf_putc(out, 3, err))
			return PV_ENOMEM;
		if (pv_acell_text(&c, 0, out, err))
			return err ? err->code : PV_ECORRUPT;
		return pv_buf_putc(out, 0, err);
	}
}

/* The text of a non-null cell (strings as they are, others as tables show
 * them), NUL-terminated in out. */
static int cell_str(pv_acell c, pv_buf *out, bool *out_null, pv_err *err)
{
	pv_buf_reset(out);
	bool null;
	if (pv_acell_resolve(&c, &null, err))
		return PV_ECORRUPT;
	*out_null = null;
	if (null)
		return pv_buf_puts(out, "", err);
	const pv_atype *t = pv_atype_value(c.t);
	if (t->kind == PV_AK_STRING || t->kind == PV_AK_STRVIEW) {
		const uint8_t *p;
		size_t n;
		if (pv_acell_bytes(&c, &p, &n, err))
			return PV_ECORRUPT;
		if (pv_buf_append(out, p, n, err))
			return err ? err->code : PV_ENOMEM;
		return pv_buf_reserve(out, 1, err);
	}
	if (pv_acell_text(&c, 0, out, err))
		return err ? err->code : PV_ECORRUPT;
	return pv_buf_reserve(out, 1, err);
}

const char *pv_ev_row_text(pv_ev_rule *e, const pv_ev_batch *b, int64_t i)
{
	pv_buf txt;
	pv_buf_init(&txt, 1 << 20);
	pv_err err;
	for (size_t k = 0; k < e->n_cols; k++) {
		pv_acell c = field_cell(b, e->cols[k], i);
		pv_buf_printf(&txt, &err, "%s%s=", k ? ", " : "", e->col_names[k]);
		bool null;
		if (pv_acell_resolve(&c, &null, &err) == 0 && !null &&
		    (pv_atype_value(c.t)->kind == PV_AK_STRING)) {
			pv_buf vb;
			pv_buf_init(&vb, 1 << 20);
			pv_acell_text(&c, 60, &vb, &err);
			pv_json_escape(&txt, vb.data ? vb.data : "", vb.len, &err);
			pv_buf_release(&vb);
		} else {
			pv_acell_text(&c, 60, &txt, &err);
		}
	}
	const char *s = pv_arena_strndup(e->arena, txt.data ? txt.data : "", txt.len, NULL);
	pv_buf_release(&txt);
	return s;
}

void pv_ev_fail_row(pv_ev_rule *e, int64_t row, const char *values, const char *note)
{
	if (e->n_fails >= e->max_failures)
		return;
	if (!e->fails) {
		e->fails = pv_arena_array(e->arena, e->max_failures, sizeof *e->fails, NULL);
		if (!e->fails)
			return;
	}
	e->fails[e->n_fails++] = (pv_ev_fail){ row, values, note };
}

static void set_error(pv_ev_rule *e, const pv_err *err, const char *fallback)
{
	e->failed_early = true;
	e->res->status = PV_RS_ERROR;
	e->res->error = pv_arena_strndup(e->arena, err && err->code ? err->msg : fallback,
					 strlen(err && err->code ? err->msg : fallback), NULL);
}

bool pv_ev_prepare(pv_ev_rule *e)
{
	const pv_rule *r = e->r;
	pv_err err;
	pv_err_clear(&err);
	pv_buf_init(&e->scratch, 0);
	pv_kset_init(&e->set);
	pv_kset_init(&e->ref);
	if (r->pattern) {
		int rc = regcomp(&e->re, r->pattern, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[200];
			regerror(rc, &e->re, msg, sizeof msg);
			pv_err_set(&err, PV_EINVAL, "pattern '%s': %s", r->pattern, msg);
			set_error(e, &err, "bad pattern");
			return false;
		}
		e->has_re = true;
	}
	if (r->kind == PV_RULE_MAX_TEXT_LENGTH && r->tok_method == PV_TOK_TOKENIZER) {
		if (pv_tokenizer_load(r->tokenizer, &e->tok, &err)) {
			/* the contract line, so the rule is found in a long contract */
			pv_err lined;
			pv_err_clear(&lined);
			pv_err_set(&lined, err.code, "line %d: %s", r->line, err.msg);
			set_error(e, &lined, "tokenizer");
			return false;
		}
		if (r->add_special_tokens && pv_tokenizer_template_tokens(e->tok) < 0) {
			pv_err_set(&err, PV_EUNSUPPORTED,
				   "line %d: tokenizer '%s': addSpecialTokens: the post_processor is "
				   "not understood (TemplateProcessing, BertProcessing, "
				   "RobertaProcessing, ByteLevel and Sequence are)",
				   r->line, r->tokenizer);
			set_error(e, &err, "tokenizer");
			return false;
		}
	}
	return true;
}

void pv_ev_release(pv_ev_rule *e)
{
	if (e->has_re)
		regfree(&e->re);
	e->has_re = false;
	pv_tokenizer_free(e->tok);
	e->tok = NULL;
	pv_kset_release(&e->set);
	pv_kset_release(&e->ref);
	pv_buf_release(&e->scratch);
}

/* ---- feeding */

static bool in_values(const pv_rule *r, const char *s, bool null)
{
	for (size_t k = 0; k < r->n_values; k++) {
		if (!r->values[k]) {
			if (null)
				return true;
		} else if (!null && !strcmp(r->values[k], s)) {
			return true;
		}
	}
	return false;
}

/* A partition value compared with `before`: numbers as numbers, else text. */
static int part_cmp(const char *v, const char *before)
{
	char *e1, *e2;
	double a = strtod(v, &e1), b = strtod(before, &e2);
	if (*v && *before && !*e1 && !*e2)
		return a < b ? -1 : a > b;
	return strcmp(v, before);
}

static bool file_lacks(const pv_dataset *ds, long ci, size_t file)
{
	if (ci < 0)
		return false;
	const pv_dataset_column *col = &ds->columns[ci];
	for (size_t k = 0; k < col->n_missing; k++)
		if (col->missing[k] == file)
			return true;
	return false;
}

static int64_t text_len(pv_ev_rule *e, const char *s, size_t n)
{
	switch (e->r->len_unit) {
	case PV_LEN_BYTES: return (int64_t)n;
	case PV_LEN_CHARS: return pv_utf8_count(s, n);
	default: break;
	}
	switch (e->r->tok_method) {
	case PV_TOK_BYTES: return pv_tokens_bytes(n);
	case PV_TOK_TOKENIZER: {
		int64_t c = pv_tokenizer_count(e->tok, s, n);
		return c < 0 || !e->r->add_special_tokens ? c : c + pv_tokenizer_template_tokens(e->tok);
	}
	default: return pv_tokens_whitespace(s, n);
	}
}

/* A float cell's value without pv_acell_value's shortest-text step (too
 * slow for millions of embedding items); float16 only as NaN, inf or 0. */
static double raw_float(const pv_atype *t, const pv_acell *c)
{
	const uint8_t *p = pv_acell_raw(c);
	if (t->kind == PV_AK_F32) {
		float f;
		memcpy(&f, p, 4);
		return f;
	}
	if (t->kind == PV_AK_F64) {
		double d;
		memcpy(&d, p, 8);
		return d;
	}
	uint16_t h;
	memcpy(&h, p, 2);
	if ((h & 0x7C00) == 0x7C00)
		return (h & 0x03FF) ? NAN : INFINITY;
	return 0;
}

static void feed_rows(pv_ev_rule *e, const pv_ev_batch *b, pv_err *err)
{
	const pv_rule *r = e->r;
	int64_t n = b->a->length;
	pv_buf *sc = &e->scratch;
	bool tolerated = false;
	if (r->kind == PV_RULE_NULL_TOLERANCE) {
		if (file_lacks(b->ds, e->ds_col, b->file)) {
			tolerated = true;
		} else if (r->partition) {
			const pv_dataset_file *f = &b->ds->files[b->file];
			for (size_t k = 0; k < f->n_parts; k++)
				if (!strcmp(f->parts[k].key, r->partition) && f->parts[k].value &&
				    part_cmp(f->parts[k].value, r->before) < 0)
					tolerated = true;
		}
		if (tolerated) {
			e->n_seen += n;
			return;
		}
	}
	for (int64_t i = 0; i < n; i++) {
		int64_t row = b->first + i;
		bool null = false, bad = false;
		const char *note = NULL;
		switch (r->kind) {
		case PV_RULE_NULL_VALUES:
		case PV_RULE_NULL_TOLERANCE: {
			pv_acell c = field_cell(b, e->cols[0], i);
			if (pv_acell_resolve(&c, &null, err))
				return;
			bad = null;
			break;
		}
		case PV_RULE_MISSING_VALUES:
		case PV_RULE_INVALID_VALUES:
			if (cell_str(field_cell(b, e->cols[0], i), sc, &null, err))
				return;
			if (r->kind == PV_RULE_MISSING_VALUES) {
				bad = null || in_values(r, sc->data, false);
			} else if (!null) {
				bad = (r->n_values && !in_values(r, sc->data, false)) ||
				      (e->has_re && regexec(&e->re, sc->data, 0, NULL, 0) != 0);
			}
			break;
		case PV_RULE_DUPLICATE_VALUES:
		case PV_RULE_UNIQUE_WITHIN_PARTITION:
		case PV_RULE_CLASS_BALANCE:
		case PV_RULE_JOIN_COVERAGE: {
			pv_buf_reset(sc);
			bool all_null = true;
			for (size_t k = 0; k < e->n_cols; k++) {
				bool nk;
				if (pv_ev_cell_key(field_cell(b, e->cols[k], i), sc, &nk, err))
					return;
				all_null = all_null && nk;
			}
			/* a NULL single key is no value: not a duplicate, class or join key */
			if (e->n_cols == 1 && all_null)
				break;
			pv_kset_entry *ke;
			if (r->kind == PV_RULE_JOIN_COVERAGE) {
				if (pv_kset_get(&e->ref, sc->data, sc->len, &ke, err))
					return;
				if (ke->count == 0) {
					bad = true; /* not in the reference: pv_kset_get added it */
					note = "not in the reference";
				} else {
					ke->flag = 1;
				}
				break;
			}
			if (pv_kset_get(&e->set, sc->data, sc->len, &ke, err))
				return;
			if (ke->count++ == 0) {
				ke->first = row;
			} else if (r->kind != PV_RULE_CLASS_BALANCE) {
				bad = true;
				note = pv_arena_printf(e->arena, NULL, "same as global row %lld",
						       (long long)ke->first);
			}
			break;
		}
		case PV_RULE_LENGTH:
		case PV_RULE_MAX_TEXT_LENGTH: {
			pv_acell c = field_cell(b, e->cols[0], i);
			if (pv_acell_resolve(&c, &null, err))
				return;
			if (null)
				break;
			const uint8_t *p;
			size_t len;
			if (pv_acell_bytes(&c, &p, &len, err))
				return;
			/* characters never outnumber bytes: a text no longer in bytes
			 * than both the bound and the longest so far cannot matter */
			bool chars = r->kind == PV_RULE_LENGTH || r->len_unit == PV_LEN_CHARS;
			double lim = r->kind == PV_RULE_LENGTH ? (r->has_hi ? r->hi : -1) : (double)r->max_len;
			if (chars && !(r->kind == PV_RULE_LENGTH && r->has_lo) && e->max_row >= 0 &&
			    (double)len <= e->max_seen && (double)len <= lim)
				break;
			int64_t l = r->kind == PV_RULE_LENGTH ? pv_utf8_count((const char *)p, len)
							      : text_len(e, (const char *)p, len);
			if (l < 0) {
				if (e->tok)
					pv_err_set(err, PV_ELIMIT,
						   "line %d: tokenizer '%s': counting a text failed (out of "
						   "memory or PCRE2's match limit)",
						   r->line, r->tokenizer);
				else
					pv_err_set(err, PV_ENOMEM, "out of memory");
				return;
			}
			if ((double)l > e->max_seen || e->max_row < 0) {
				e->max_seen = (double)l;
				e->max_row = row;
			}
			bad = r->kind == PV_RULE_LENGTH
				      ? (r->has_lo && (double)l < r->lo) || (r->has_hi && (double)l > r->hi)
				      : l > r->max_len;
			if (bad)
				note = pv_arena_printf(e->arena, NULL, "length %lld", (long long)l);
			break;
		}
		case PV_RULE_RANGE: {
			pv_acell c = field_cell(b, e->cols[0], i);
			if (pv_acell_resolve(&c, &null, err))
				return;
			if (null)
				break;
			pv_value v;
			uint8_t scratch[32];
			double d;
			const pv_atype *t = pv_atype_value(c.t);
			if (t->kind == PV_AK_F32 || t->kind == PV_AK_F64) {
				/* the float's exact value (pv_acell_value's shortest text
				 * is slow and moves float32 values) */
				d = raw_float(t, &c);
			} else if (t->kind == PV_AK_DECIMAL) {
				if (cell_str(c, sc, &null, err))
					return;
				d = strtod(sc->data, NULL);
			} else {
				if (pv_acell_value(&c, &v, scratch, err))
					return;
				if (v.kind == PV_VAL_INT)
					d = (double)v.i;
				else if (v.kind == PV_VAL_UINT)
					d = (double)v.u;
				else if (v.kind == PV_VAL_FLOAT)
					d = v.f;
				else {
					pv_err_set(err, PV_EINVAL,
						   "minimum/maximum on column '%s', which is not numeric",
						   r->column);
					return;
				}
			}
			bad = isnan(d) || (r->has_lo && d < r->lo) || (r->has_hi && d > r->hi);
			break;
		}
		case PV_RULE_ITEMS:
		case PV_RULE_EMBEDDING_DIMENSION: {
			pv_acell c = field_cell(b, e->cols[0], i);
			if (pv_acell_resolve(&c, &null, err))
				return;
			if (null)
				break;
			const pv_atype *t = pv_atype_value(c.t);
			if (t->kind != PV_AK_LIST && t->kind != PV_AK_FIXED_LIST) {
				pv_err_set(err, PV_EINVAL, "column '%s' is not a list", r->column);
				return;
			}
			int64_t s0, s1;
			if (pv_acell_range(&c, &s0, &s1, err))
				return;
			int64_t items = s1 - s0;
			if (r->kind == PV_RULE_ITEMS) {
				bad = (r->has_lo && (double)items < r->lo) ||
				      (r->has_hi && (double)items > r->hi);
				if (bad)
					note = pv_arena_printf(e->arena, NULL, "%lld items",
							       (long long)items);
				break;
			}
			if (items != r->dimension) {
				bad = true;
				note = pv_arena_printf(e->arena, NULL, "dimension %lld", (long long)items);
				break;
			}
			if (r->allow_nan)
				break;
			const pv_atype *ct = pv_atype_value(t->children[0]);
			const struct ArrowArray *ch = c.a->children[0];
			if (!t->children[0]->dict && (ct->kind == PV_AK_F32 || ct->kind == PV_AK_F64) &&
			    (ch->null_count == 0 || !ch->buffers[0])) {
				/* no NULL items: read the floats straight from the values
				 * buffer (pv_acell_range checked s0..s1 against the child) */
				const uint8_t *vals = ch->buffers[1];
				size_t w = ct->kind == PV_AK_F32 ? 4 : 8;
				int64_t nan_at = -1;
				double nan_v = 0;
				for (int64_t k = s0; k < s1 && nan_at < 0; k++) {
					const uint8_t *q = vals + (size_t)(ch->offset + k) * w;
					double v;
					if (w == 4) {
						float f;
						memcpy(&f, q, 4);
						v = f;
					} else {
						memcpy(&v, q, 8);
					}
					if (isnan(v) || isinf(v))
						nan_at = k, nan_v = v;
				}
				if (nan_at >= 0) {
					bad = true;
					note = pv_arena_printf(e->arena, NULL, "item %lld is %s",
							       (long long)(nan_at - s0),
							       isnan(nan_v) ? "NaN" : "infinite");
				}
				break;
			}
			for (int64_t k = s0; k < s1 && !bad; k++) {
				pv_acell item = { t->children[0], c.a->children[0], k };
				bool in;
				if (pv_acell_resolve(&item, &in, err))
					return;
				if (in) {
					bad = true;
					note = "a NULL item";
				} else if (ct->kind == PV_AK_F32 || ct->kind == PV_AK_F64 ||
					   ct->kind == PV_AK_F16) {
					double v = raw_float(ct, &item);
					if (isnan(v) || isinf(v)) {
						bad = true;
						note = pv_arena_printf(e->arena, NULL, "item %lld is %s",
								       (long long)(k - s0),
								       isnan(v) ? "NaN" : "infinite");
					}
				}
			}
			break;
		}
		default:
			break;
		}
		e->n_seen++;
		if (bad) {
			e->n_bad++;
			if (e->n_fails < e->max_failures)
				pv_ev_fail_row(e, row, pv_ev_row_text(e, b, i), note);
		}
	}
}

void pv_ev_feed(pv_ev_rule *e, const pv_ev_batch *b)
{
	if (e->failed_early)
		return;
	pv_err err;
	pv_err_clear(&err);
	feed_rows(e, b, &err);
	if (err.code)
		set_error(e, &err, "error");
}

void pv_ev_judge(pv_ev_rule *e, double value, int64_t object_rows)
{
	pv_rule_result *res = e->res;
	if (e->r->percent && e->n_bad >= 0 && object_rows >= 0)
		value = object_rows ? value * 100.0 / (double)object_rows : 0;
	res->value = value;
	res->has_value = true;
	pv_bound b = e->r->bound;
	if (b.op == PV_CMP_NONE)
		b = (pv_bound){ PV_CMP_EQ, 0, 0 };
	res->status = pv_bound_holds(&b, value) ? PV_RS_PASS : PV_RS_FAIL;
}

static int cmp_class(const void *a, const void *b)
{
	const pv_kset_entry *x = *(pv_kset_entry *const *)a, *y = *(pv_kset_entry *const *)b;
	return x->count < y->count ? -1 : x->count > y->count;
}

/* The text of a class key (a serialised cell): strings and ints decoded. */
static const char *key_text(pv_ev_rule *e, const pv_kset *s, const pv_kset_entry *ke)
{
	const char *k = pv_kset_key(s, ke);
	if (ke->len >= 5 && k[0] == 1) {
		pv_buf b;
		pv_buf_init(&b, 1 << 20);
		size_t n = ke->len - 5;
		pv_json_escape(&b, k + 5, n > 200 ? 200 : n, NULL);
		const char *t = pv_arena_strndup(e->arena, b.data ? b.data : "", b.len, NULL);
		pv_buf_release(&b);
		return t;
	}
	if (ke->len == 9 && k[0] == 2) {
		int64_t v;
		memcpy(&v, k + 1, 8);
		return pv_arena_printf(e->arena, NULL, "%lld", (long long)v);
	}
	if (ke->len >= 2 && k[0] == 3)
		return pv_arena_strndup(e->arena, k + 1, ke->len - 2, NULL);
	return "?";
}

void pv_ev_finish(pv_ev_rule *e, int64_t object_rows)
{
	const pv_rule *r = e->r;
	pv_rule_result *res = e->res;
	if (e->failed_early)
		return;
	res->source = PV_SRC_DATA;
	res->n_offending = e->n_bad;
	switch (r->kind) {
	case PV_RULE_CLASS_BALANCE: {
		size_t n = e->set.n_used;
		int64_t total = 0;
		pv_kset_entry **cls = pv_arena_array(e->arena, n ? n : 1, sizeof *cls, NULL);
		if (!cls) {
			set_error(e, NULL, "out of memory");
			return;
		}
		size_t k = 0;
		for (size_t i = 0; i < e->set.n_slots; i++)
			if (e->set.slots[i].hash) {
				cls[k++] = &e->set.slots[i];
				total += e->set.slots[i].count;
			}
		qsort(cls, k, sizeof *cls, cmp_class);
		if (!k || !total) {
			res->status = PV_RS_FAIL;
			res->detail = "no non-NULL values";
			res->has_value = false;
			return;
		}
		double min_share = (double)cls[0]->count / (double)total;
		double ratio = (double)cls[k - 1]->count / (double)cls[0]->count;
		res->value = min_share;
		res->has_value = true;
		bool ok = true;
		int64_t bad = 0;
		for (size_t i = 0; i < k; i++) {
			double share = (double)cls[i]->count / (double)total;
			if (r->has_min_share && share < r->min_share) {
				ok = false;
				bad++;
				pv_ev_fail_row(e, -1,
					       pv_arena_printf(e->arena, NULL, "%s=%s", r->column,
							       key_text(e, &e->set, cls[i])),
					       pv_arena_printf(e->arena, NULL,
							       "share %.4f (%lld of %lld rows) below %g",
							       share, (long long)cls[i]->count,
							       (long long)total, r->min_share));
			}
		}
		if (r->has_max_ratio && ratio > r->max_ratio) {
			ok = false;
			bad++;
			pv_ev_fail_row(e, -1,
				       pv_arena_printf(e->arena, NULL, "%s=%s / %s=%s", r->column,
						       key_text(e, &e->set, cls[k - 1]), r->column,
						       key_text(e, &e->set, cls[0])),
				       pv_arena_printf(e->arena, NULL, "ratio %.3f above %g", ratio,
						       r->max_ratio));
		}
		res->n_offending = bad;
		res->detail = pv_arena_printf(e->arena, NULL,
					      "%zu classes; smallest share %.4f (%s), largest/smallest "
					      "ratio %.3f",
					      k, min_share, key_text(e, &e->set, cls[0]), ratio);
		res->status = ok ? PV_RS_PASS : PV_RS_FAIL;
		return;
	}
	case PV_RULE_JOIN_COVERAGE: {
		int64_t ref_keys = 0, covered = 0;
		for (size_t i = 0; i < e->ref.n_slots; i++) {
			const pv_kset_entry *ke = &e->ref.slots[i];
			if (!ke->hash || !ke->count)
				continue; /* keys added by lookups of missing ones */
			ref_keys++;
			covered += ke->flag != 0;
		}
		double cov = ref_keys ? (double)covered / (double)ref_keys : 0;
		pv_ev_judge(e, (double)e->n_bad, object_rows);
		bool cov_ok = cov >= r->min_coverage && cov <= r->max_coverage;
		if (!cov_ok)
			res->status = PV_RS_FAIL;
		res->detail = pv_arena_printf(e->arena, NULL,
					      "%lld rows with keys missing from the reference; %.4f of "
					      "%lld reference keys covered (bounds %g..%g)",
					      (long long)e->n_bad, cov, (long long)ref_keys,
					      r->min_coverage, r->max_coverage);
		return;
	}
	case PV_RULE_MAX_TEXT_LENGTH:
	case PV_RULE_LENGTH:
		pv_ev_judge(e, (double)e->n_bad, object_rows);
		if (e->max_row >= 0)
			res->detail = pv_arena_printf(e->arena, NULL, "%lld rows outside; longest %g",
						      (long long)e->n_bad, e->max_seen);
		return;
	default:
		pv_ev_judge(e, (double)e->n_bad, object_rows);
		res->detail = pv_arena_printf(e->arena, NULL, "%lld of %lld rows", (long long)e->n_bad,
					      (long long)e->n_seen);
		return;
	}
}
