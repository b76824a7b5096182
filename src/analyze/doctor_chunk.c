/*
 * doctor_chunk.c - every check of one column chunk: its page headers walked
 * (sizes, value counts, CRCs over the stored bytes), its values decoded
 * row batch by row batch through read/chunk.h (the decoders' errors become
 * findings), and what the file claims compared with what was decoded:
 * footer statistics, page header statistics, ColumnIndex and OffsetIndex,
 * the row group's row count, UTF-8 of text columns, the bloom filter.
 * Memory is one batch of decoded values plus one accumulator per data page.
 * Includes base, format, io, read, render and analyze/doctor*.h; nothing
 * from sql, server or cli.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analyze/doctor_internal.h"
#include "base/arena.h"
#include "base/cursor.h"
#include "format/pages.h"
#include "format/stats.h"
#include "read/bloom.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "base/banned.h"

/* Findings of one check shown per chunk; the rest are counted in one line. */
#define MAX_PER_CHECK 5
/* Longest min/max kept for the sort-order advice. */
#define KEEP_MINMAX_MAX 4096
#define CRC_PIECE ((size_t)1 << 20)
/* Data pages whose values are checked one by one (page statistics, page
 * index); past this a hostile chunk of tiny pages would cost gigabytes, so
 * the rest are only walked and their CRCs checked. */
#define MAX_TRACKED_PAGES ((size_t)1 << 20)

enum { C_PAGES, C_CRC, C_DECODE, C_ROWS, C_STATS, C_PAGE_STATS, C_CI, C_OI, C_UTF8, C_BLOOM, C_N };
static const char *const check_names[C_N] = { "pages",	     "crc",	     "decode",
					      "rows",	     "statistics",   "page_stats",
					      "column_index", "offset_index", "utf8",
					      "bloom" };

/* The data's null count, min and max over a chunk or one page. */
/* A fixed-width value read once, so the running min/max compare numbers
 * instead of re-reading bytes. */
typedef union num {
	int64_t i;
	uint64_t u;
	double f;
} num;

typedef struct acc {
	int64_t nulls, values, nans, levels;
	num nmin, nmax;     /* min/max again, for the numeric kinds */
	int64_t leaf_nulls; /* nulls whose parents are all present */
	bool has;
	uint8_t *min, *max;
	size_t min_len, max_len, min_cap, max_cap;
	bool nomem;
} acc;

typedef struct pg {
	int64_t index;      /* page number in the chunk (dictionary included) */
	int64_t offset;
	size_t header_len;
	int32_t compressed_size;
	int32_t encoding;
	int64_t num_values; /* levels */
	int64_t num_nulls;  /* v2 header, else -1 */
	bool has_stats;
	pv_statistics stats; /* bytes in the task's arena */
	int64_t level_start;
	int64_t first_row;  /* rows begun before its first level; -1 until seen */
	bool starts_row;
	acc a;
	acc as; /* in signed byte order, for deprecated byte-array min/max */
} pg;

typedef struct task {
	const pv_doc_file *f;
	pv_doc_chunk *out;
	const pv_column_chunk *cc;
	const pv_column_meta *md;
	const pv_schema_node *leaf;
	pv_doc_ord o;
	int64_t rg_rows;
	int shown[C_N];
	int64_t hidden[C_N];
	int hidden_sev[C_N];
	pv_arena arena;
	pg *pages;
	size_t n_pg, pg_cap;
	bool walk_ok;
	bool pages_capped;      /* more data pages than MAX_TRACKED_PAGES */
	acc chunk;
	/* The signed order the deprecated min/max of byte arrays and unsigned
	 * integers were written in (their writers compared signed values), or
	 * NONE; when set, chunk_s and each page's `as` keep min/max in it. */
	pv_doc_ord_kind legacy_kind;
	acc chunk_s;
	/* decode state */
	int64_t lvl, rows_started;
	size_t pi;
	size_t vi;
	/* utf8 */
	bool utf8_bad;
	/* bloom */
	pv_bloom_filter bloom;
	bool bloom_on;
	uint8_t bloom_last[64]; /* the last value checked: runs repeat it */
	size_t bloom_last_len;  /* SIZE_MAX: none */
	int64_t bloom_missing, bloom_first_row;
	char *bloom_first_value;
} task;

static void emit(task *t, pv_doctor_severity sev, int check, int64_t page, int64_t row,
		 const char *stored, const char *actual, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static void emit(task *t, pv_doctor_severity sev, int check, int64_t page, int64_t row,
		 const char *stored, const char *actual, const char *fmt, ...)
{
	if (t->shown[check] >= MAX_PER_CHECK) {
		t->hidden[check]++;
		if (t->hidden[check] == 1 || (int)sev < t->hidden_sev[check])
			t->hidden_sev[check] = (int)sev;
		return;
	}
	t->shown[check]++;
	char msg[1400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pv_doctor_add(&t->out->findings, sev, check_names[check], (int64_t)t->out->rg,
		      (int64_t)t->out->col, t->leaf->path, page, row, stored, actual, "%s", msg);
}

/* ------------------------------------------------------------------ accumulators */

static void keep(uint8_t **dst, size_t *len, size_t *cap, const uint8_t *p, size_t n, bool *nomem)
{
	if (n > *cap || !*dst) {
		size_t c = n < 16 ? 16 : n; /* never NULL, even for an empty value */
		uint8_t *m = realloc(*dst, c);
		if (!m) {
			*nomem = true;
			return;
		}
		*dst = m;
		*cap = c;
	}
	if (n)
		memcpy(*dst, p, n);
	*len = n;
}

static bool is_numeric(pv_doc_ord_kind k)
{
	return k == PV_DOC_ORD_BOOL || k == PV_DOC_ORD_I32 || k == PV_DOC_ORD_I64 ||
	       k == PV_DOC_ORD_U32 || k == PV_DOC_ORD_U64 || k == PV_DOC_ORD_F32 ||
	       k == PV_DOC_ORD_F64;
}

static num to_num(pv_doc_ord_kind k, const uint8_t *p)
{
	num x;
	switch (k) {
	case PV_DOC_ORD_BOOL:
		x.i = p[0] != 0;
		break;
	case PV_DOC_ORD_I32:
		x.i = (int32_t)pv_load_u32le(p);
		break;
	case PV_DOC_ORD_U32:
		x.u = pv_load_u32le(p);
		break;
	case PV_DOC_ORD_U64:
		x.u = pv_load_u64le(p);
		break;
	case PV_DOC_ORD_F32: {
		uint32_t u = pv_load_u32le(p);
		float f;
		memcpy(&f, &u, 4);
		x.f = f;
		break;
	}
	case PV_DOC_ORD_F64: {
		uint64_t u = pv_load_u64le(p);
		memcpy(&x.f, &u, 8);
		break;
	}
	default:
		x.i = (int64_t)pv_load_u64le(p);
		break;
	}
	return x;
}

static bool num_less(pv_doc_ord_kind k, num a, num b)
{
	if (k == PV_DOC_ORD_U32 || k == PV_DOC_ORD_U64)
		return a.u < b.u;
	if (k == PV_DOC_ORD_F32 || k == PV_DOC_ORD_F64)
		return a.f < b.f;
	return a.i < b.i;
}

/* The hot path: one value of a fixed-width kind. */
static void acc_num(acc *a, pv_doc_ord_kind k, const uint8_t *p, size_t n)
{
	a->values++;
	num x = to_num(k, p);
	if ((k == PV_DOC_ORD_F32 || k == PV_DOC_ORD_F64) && x.f != x.f) {
		a->nans++;
		return;
	}
	if (!a->has) {
		keep(&a->min, &a->min_len, &a->min_cap, p, n, &a->nomem);
		keep(&a->max, &a->max_len, &a->max_cap, p, n, &a->nomem);
		a->nmin = a->nmax = x;
		a->has = !a->nomem;
		return;
	}
	if (num_less(k, x, a->nmin)) {
		a->nmin = x;
		keep(&a->min, &a->min_len, &a->min_cap, p, n, &a->nomem);
	} else if (num_less(k, a->nmax, x)) {
		a->nmax = x;
		keep(&a->max, &a->max_len, &a->max_cap, p, n, &a->nomem);
	}
}

static void acc_value_in(acc *a, const pv_doc_ord *o, pv_doc_ord_kind kind, const uint8_t *p,
			 size_t n)
{
	if (is_numeric(kind) && n == o->fixed_len) {
		acc_num(a, kind, p, n);
		return;
	}
	a->values++;
	if (kind == PV_DOC_ORD_NONE)
		return;
	if (pv_doc_is_nan(o, p, n)) {
		a->nans++;
		return;
	}
	if (!a->has) {
		keep(&a->min, &a->min_len, &a->min_cap, p, n, &a->nomem);
		keep(&a->max, &a->max_len, &a->max_cap, p, n, &a->nomem);
		a->has = !a->nomem;
		return;
	}
	if (pv_doc_cmp(o, kind, p, n, a->min, a->min_len) < 0)
		keep(&a->min, &a->min_len, &a->min_cap, p, n, &a->nomem);
	else if (pv_doc_cmp(o, kind, p, n, a->max, a->max_len) > 0)
		keep(&a->max, &a->max_len, &a->max_cap, p, n, &a->nomem);
}

static void acc_value(acc *a, const pv_doc_ord *o, const uint8_t *p, size_t n)
{
	acc_value_in(a, o, o->kind, p, n);
}

static void acc_release(acc *a)
{
	free(a->min);
	free(a->max);
	memset(a, 0, sizeof *a);
}

/* ------------------------------------------------------------------ comparisons */

typedef struct bound_ctx {
	int check;
	pv_doctor_severity sev;
	int64_t page;           /* -1 for the chunk */
	const char *what;       /* "min", "column index min", ... */
	bool exact;             /* stored must equal the data's value */
	pv_doc_ord_kind kind;
	pv_doc_ord_kind alt;    /* a second order that is also accepted, or NONE */
	const struct acc *alt_acc; /* the data's min/max in that order */
} bound_ctx;

/* stored vs the data's min (is_min) or max; reports what is wrong. */
static void check_bound(task *t, const bound_ctx *b, bool is_min, const uint8_t *s, size_t sn,
			const acc *a)
{
	const pv_doc_ord *o = &t->o;
	if (o->kind == PV_DOC_ORD_NONE)
		return;
	if (!pv_doc_len_ok(o, sn)) {
		emit(t, b->sev, b->check, b->page, -1, NULL, NULL,
		     "%s has %zu bytes, which is not a value of this type", b->what, sn);
		return;
	}
	if (pv_doc_is_nan(o, s, sn))
		return; /* readers ignore NaN bounds (stats.h) */
	/* no values (all null or NaN): any bound holds. DuckDB writes an
	 * ENUM's dictionary bounds for chunks of nulls, harmlessly. */
	if (!a->has)
		return;
	const uint8_t *v = is_min ? a->min : a->max;
	size_t vn = is_min ? a->min_len : a->max_len;
	int c = pv_doc_cmp(o, b->kind, s, sn, v, vn);
	bool bad_bound = is_min ? c > 0 : c < 0;
	bool bad_exact = b->exact && c != 0;
	if ((bad_bound || bad_exact) && b->alt != PV_DOC_ORD_NONE && b->alt_acc && b->alt_acc->has) {
		const uint8_t *v2 = is_min ? b->alt_acc->min : b->alt_acc->max;
		size_t vn2 = is_min ? b->alt_acc->min_len : b->alt_acc->max_len;
		int c2 = pv_doc_cmp(o, b->alt, s, sn, v2, vn2);
		if (!(is_min ? c2 > 0 : c2 < 0) && !(b->exact && c2 != 0))
			return;
	}
	if (!bad_bound && !bad_exact)
		return;
	char *st = pv_doc_text(o, s, sn), *ac = pv_doc_text(o, v, vn);
	if (bad_bound)
		emit(t, b->sev, b->check, b->page, -1, st, ac, "%s is %s than the data's %s", b->what,
		     is_min ? "greater" : "less", is_min ? "smallest value" : "largest value");
	else
		emit(t, b->sev, b->check, b->page, -1, st, ac, "%s is %s than the data's %s, yet marked exact",
		     b->what, is_min ? "less" : "greater", is_min ? "smallest value" : "largest value");
	free(st);
	free(ac);
}

static void check_count(task *t, int check, pv_doctor_severity sev, int64_t page, const char *what,
			int64_t stored, int64_t actual)
{
	if (stored == actual)
		return;
	char s[32], a[32];
	snprintf(s, sizeof s, "%lld", (long long)stored);
	snprintf(a, sizeof a, "%lld", (long long)actual);
	emit(t, sev, check, page, -1, s, a, "%s differs from the data", what);
}

/* Null counts of nested columns differ between writers: parquet-mr counts
 * every level below the maximum (null or empty parents too), Arrow only
 * the null leaves under present parents, DuckDB counts a null struct in a
 * list once more for each of its fields. What all agree on: at least the
 * null leaves, at most every level. Flat columns must be exact. */
static void check_nulls(task *t, int check, pv_doctor_severity sev, int64_t page, const char *what,
			int64_t stored, const acc *a)
{
	const pv_schema_node *l = t->leaf;
	bool nested = l->max_def > (l->repetition == PV_REP_OPTIONAL ? 1 : 0) || l->max_rep > 0;
	if (!nested || stored < a->leaf_nulls || stored > a->levels) {
		check_count(t, check, sev, page, what, stored, a->nulls);
		return;
	}
}

/* Whether the file's column order lets readers use min/max of this column. */
static bool order_known(const task *t)
{
	const pv_file_meta *m = t->f->pf->meta;
	size_t col = t->out->col;
	if (!m->has_column_orders || col >= m->n_column_orders)
		return false;
	int k = m->column_orders[col].kind;
	return k == PV_ORDER_TYPE_DEFINED || k == PV_ORDER_IEEE754_TOTAL;
}

/* A Statistics struct (footer or page header) against acc. */
static void check_statistics(task *t, const pv_statistics *st, const acc *a, const acc *as,
			     int check, pv_doctor_severity sev, int64_t page, const char *where)
{
	char what[96];
	if (st->has_null_count && st->null_count >= 0) {
		snprintf(what, sizeof what, "%snull_count", where);
		check_nulls(t, check, sev, page, what, st->null_count, a);
	}
	if (st->has_nan_count && st->nan_count >= 0) {
		snprintf(what, sizeof what, "%snan_count", where);
		check_count(t, check, sev, page, what, st->nan_count, a->nans);
	}
	bool modern = st->has_min_value || st->has_max_value;
	bound_ctx b = { .check = check, .sev = sev, .page = page, .kind = t->o.kind,
			.alt = PV_DOC_ORD_NONE };
	/* min_value/max_value must be the data's unless marked inexact. Page
	 * header statistics of byte arrays are cut by writers without saying
	 * so (like the page index): there they need only bound the data */
	bool dflt = check != C_PAGE_STATS || t->o.kind != PV_DOC_ORD_BYTES;
	if (modern) {
		if (st->has_min_value) {
			snprintf(what, sizeof what, "%smin_value", where);
			b.what = what;
			b.exact = st->has_is_min_value_exact ? st->is_min_value_exact : dflt;
			check_bound(t, &b, true, st->min_value.ptr, st->min_value.len, a);
		}
		if (st->has_max_value) {
			snprintf(what, sizeof what, "%smax_value", where);
			b.what = what;
			b.exact = st->has_is_max_value_exact ? st->is_max_value_exact : dflt;
			check_bound(t, &b, false, st->max_value.ptr, st->max_value.len, a);
		}
		return;
	}
	/* the deprecated fields: byte arrays and unsigned integers were
	 * compared as signed values by the writers that filled them; either
	 * order is accepted */
	if (t->legacy_kind != PV_DOC_ORD_NONE) {
		b.alt = t->legacy_kind;
		b.alt_acc = as;
	}
	b.exact = true;
	if (st->has_min) {
		snprintf(what, sizeof what, "%smin", where);
		b.what = what;
		check_bound(t, &b, true, st->min.ptr, st->min.len, a);
	}
	if (st->has_max) {
		snprintf(what, sizeof what, "%smax", where);
		b.what = what;
		check_bound(t, &b, false, st->max.ptr, st->max.len, a);
	}
}

/* ------------------------------------------------------------------ the walk */

static int copy_bytes(pv_arena *ar, pv_bytes *b)
{
	if (!b->len || !b->ptr)
		return 0;
	uint8_t *p = pv_arena_alloc(ar, b->len, NULL);
	if (!p)
		return -1;
	memcpy(p, b->ptr, b->len);
	b->ptr = p;
	return 0;
}

static void check_crc(task *t, const pv_page_info *p)
{
	int64_t off = p->offset + (int64_t)p->header_len;
	size_t left = (size_t)p->compressed_size;
	uint8_t *buf = malloc(left < CRC_PIECE ? (left ? left : 1) : CRC_PIECE);
	if (!buf) {
		t->out->findings.nomem = true;
		return;
	}
	uLong crc = crc32(0L, Z_NULL, 0);
	pv_err err;
	while (left > 0) {
		size_t n = left < CRC_PIECE ? left : CRC_PIECE;
		if (pv_source_read(t->f->src, off, buf, n, &err)) {
			emit(t, PV_DOCTOR_ERROR, C_CRC, p->index, -1, NULL, NULL,
			     "page bytes unreadable: %s", err.msg);
			free(buf);
			return;
		}
		crc = crc32(crc, buf, (uInt)n);
		off += (int64_t)n;
		left -= n;
	}
	free(buf);
	if ((uint32_t)crc != p->crc) {
		char s[16], a[16];
		snprintf(s, sizeof s, "0x%08x", (unsigned)p->crc);
		snprintf(a, sizeof a, "0x%08x", (unsigned)crc);
		emit(t, PV_DOCTOR_ERROR, C_CRC, p->index, -1, s, a,
		     "%s page crc does not match its bytes", pv_page_type_name(p->type));
	}
}

static void walk(task *t)
{
	pv_pagewalk w;
	pv_err err;
	pv_err_clear(&err);
	t->walk_ok = false;
	if (pv_pagewalk_open(&w, t->f->src, t->cc, t->leaf->max_rep, &err)) {
		emit(t, PV_DOCTOR_ERROR, C_PAGES, -1, -1, NULL, NULL, "%s", err.msg);
		pv_pagewalk_release(&w);
		return;
	}
	bool seen_dict = false;
	int64_t sum_values = 0;
	for (;;) {
		pv_page_info p;
		bool done = false;
		if (pv_pagewalk_next(&w, &p, &done, &err)) {
			emit(t, PV_DOCTOR_ERROR, C_PAGES, -1, -1, NULL, NULL, "%s", err.msg);
			pv_pagewalk_release(&w);
			return;
		}
		if (done)
			break;
		t->out->n_pages++;
		if (p.has_crc)
			check_crc(t, &p);
		if (p.type == PV_PAGE_DICTIONARY) {
			t->out->n_dict_pages++;
			seen_dict = true;
			continue;
		}
		if (!p.is_data)
			continue;
		t->out->n_data_pages++;
		if (seen_dict && p.encoding != PV_ENC_PLAIN_DICTIONARY &&
		    p.encoding != PV_ENC_RLE_DICTIONARY)
			t->out->n_fallback_pages++;
		if (t->n_pg == MAX_TRACKED_PAGES) {
			if (!t->pages_capped)
				emit(t, PV_DOCTOR_INFO, C_PAGES, p.index, -1, NULL, NULL,
				     "more than %zu data pages: later pages are walked and their crcs "
				     "checked, but not the page index or page statistics",
				     MAX_TRACKED_PAGES);
			t->pages_capped = true;
			sum_values += p.num_values;
			continue;
		}
		if (t->n_pg == t->pg_cap) {
			size_t c = t->pg_cap ? t->pg_cap * 2 : 16;
			pg *m = realloc(t->pages, c * sizeof *m);
			if (!m) {
				t->out->findings.nomem = true;
				pv_pagewalk_release(&w);
				return;
			}
			t->pages = m;
			t->pg_cap = c;
		}
		pg *g = &t->pages[t->n_pg++];
		memset(g, 0, sizeof *g);
		g->index = p.index;
		g->offset = p.offset;
		g->header_len = p.header_len;
		g->compressed_size = p.compressed_size;
		g->encoding = p.encoding;
		g->num_values = p.num_values;
		g->num_nulls = p.type == PV_PAGE_DATA_V2 ? p.num_nulls : -1;
		g->level_start = sum_values;
		g->first_row = -1;
		if (p.has_statistics) {
			g->has_stats = true;
			g->stats = p.statistics;
			if (copy_bytes(&t->arena, &g->stats.min) || copy_bytes(&t->arena, &g->stats.max) ||
			    copy_bytes(&t->arena, &g->stats.min_value) ||
			    copy_bytes(&t->arena, &g->stats.max_value))
				g->has_stats = false; /* too much page statistics: skip them */
		}
		sum_values += p.num_values;
	}
	pv_pagewalk_release(&w);
	if (sum_values != t->md->num_values) {
		char s[32], a[32];
		snprintf(s, sizeof s, "%lld", (long long)t->md->num_values);
		snprintf(a, sizeof a, "%lld", (long long)sum_values);
		emit(t, PV_DOCTOR_ERROR, C_PAGES, -1, -1, s, a,
		     "data pages hold %lld values, the column chunk's num_values is %lld",
		     (long long)sum_values, (long long)t->md->num_values);
		return;
	}
	t->walk_ok = true;
}

/* ------------------------------------------------------------------ decoded values */

static void on_value(task *t, pg *g, int64_t row, const pv_colbuf *b)
{
	uint8_t tmp[40];
	const uint8_t *p;
	size_t n;
	pv_doc_plain(&t->o, b, t->vi++, tmp, &p, &n);
	acc_value(&t->chunk, &t->o, p, n);
	if (g)
		acc_value(&g->a, &t->o, p, n);
	if (t->legacy_kind != PV_DOC_ORD_NONE) {
		acc_value_in(&t->chunk_s, &t->o, t->legacy_kind, p, n);
		if (g)
			acc_value_in(&g->as, &t->o, t->legacy_kind, p, n);
	}
	if (t->o.is_text && !t->utf8_bad) {
		int64_t off = pv_doc_utf8_bad(p, n);
		if (off >= 0) {
			t->utf8_bad = true;
			char *v = pv_doc_text(&t->o, p, n);
			emit(t, PV_DOCTOR_ERROR, C_UTF8, g ? g->index : -1,
			     t->f->rg_first_row[t->out->rg] + row, NULL, v,
			     "invalid utf-8 at byte %lld of the value in row %lld", (long long)off,
			     (long long)(t->f->rg_first_row[t->out->rg] + row));
			free(v);
		}
	}
	if (t->bloom_on && !(n == t->bloom_last_len && !memcmp(p, t->bloom_last, n))) {
		bool present = pv_bloom_filter_check(&t->bloom, pv_bloom_hash(p, n));
		if (present && n <= sizeof t->bloom_last) {
			memcpy(t->bloom_last, p, n);
			t->bloom_last_len = n;
		}
		if (!present && t->bloom_missing++ == 0) {
			t->bloom_first_row = t->f->rg_first_row[t->out->rg] + row;
			t->bloom_first_value = pv_doc_text(&t->o, p, n);
		}
	}
}

static void consume(task *t, const pv_colbuf *b)
{
	int16_t max_def = t->leaf->max_def;
	t->vi = 0; /* values are counted per batch */
	bool leaf_optional = t->leaf->repetition == PV_REP_OPTIONAL;
	for (size_t i = 0; i < b->n_levels; i++) {
		while (t->pi < t->n_pg &&
		       t->lvl >= t->pages[t->pi].level_start + t->pages[t->pi].num_values)
			t->pi++;
		pg *g = t->pi < t->n_pg ? &t->pages[t->pi] : NULL;
		int rep = b->rep ? b->rep[i] : 0;
		if (g && t->lvl == g->level_start) {
			g->first_row = t->rows_started;
			g->starts_row = rep == 0;
		}
		if (rep == 0)
			t->rows_started++;
		int def = b->def ? b->def[i] : max_def;
		if (g)
			g->a.levels++;
		t->chunk.levels++;
		if (def < max_def) {
			t->chunk.nulls++;
			if (g)
				g->a.nulls++;
			if (def == max_def - 1 && leaf_optional) {
				t->chunk.leaf_nulls++;
				if (g)
					g->a.leaf_nulls++;
			}
		} else {
			on_value(t, g, t->rows_started - 1, b);
		}
		t->lvl++;
	}
}

/* Reads every row; true when all of them decoded. */
static bool decode(task *t)
{
	pv_chunk *c = NULL;
	pv_err err;
	pv_err_clear(&err);
	pv_chunk_opts co = { .verify_crc = false, .max_page_bytes = 0 };
	if (pv_chunk_open(t->f->src, t->f->pf, t->out->rg, t->out->col, &co, &c, &err)) {
		emit(t, PV_DOCTOR_ERROR, C_DECODE, -1, -1, NULL, NULL, "%s", err.msg);
		return false;
	}
	pv_colbuf b;
	pv_colbuf_init(&b, 0);
	int64_t done = 0, batch = 4096;
	bool ok = true;
	while (done < t->rg_rows) {
		int64_t n = t->rg_rows - done < batch ? t->rg_rows - done : batch;
		int rc = pv_chunk_read(c, n, &b, &err);
		if (rc) {
			const char *m = strstr(err.msg, "column chunk ends after ");
			if (m) {
				long long got = strtoll(m + strlen("column chunk ends after "), NULL, 10);
				char s[32], a[32];
				snprintf(s, sizeof s, "%lld", (long long)t->rg_rows);
				snprintf(a, sizeof a, "%lld", got);
				emit(t, PV_DOCTOR_ERROR, C_ROWS, -1, -1, s, a,
				     "the column holds %lld rows, the row group's num_rows is %lld", got,
				     (long long)t->rg_rows);
			} else {
				emit(t, PV_DOCTOR_ERROR, C_DECODE, -1, -1, NULL, NULL, "%s", err.msg);
			}
			ok = false;
			break;
		}
		consume(t, &b);
		done += b.n_rows;
		size_t bytes = b.values_len + b.n_levels * 4 + b.n_values * 4;
		int64_t per_row = b.n_rows > 0 ? (int64_t)(bytes / (size_t)b.n_rows) + 1 : 1;
		batch = (int64_t)PV_DOCTOR_BATCH_BYTES / per_row;
		if (batch < 16)
			batch = 16;
		if (batch > (1 << 20))
			batch = 1 << 20;
		pv_colbuf_reset(&b);
	}
	if (ok) {
		/* rows past num_rows mean the column is longer: count them */
		pv_err e2;
		int64_t extra = 0;
		while (pv_chunk_read(c, 65536, &b, &e2) == 0 && b.n_rows > 0) {
			extra += b.n_rows;
			pv_colbuf_reset(&b);
		}
		if (strstr(e2.msg, "column chunk ends after "))
			extra += b.n_rows;
		if (extra > 0) {
			char s[32], a[32];
			snprintf(s, sizeof s, "%lld", (long long)t->rg_rows);
			snprintf(a, sizeof a, "%lld", (long long)(t->rg_rows + extra));
			emit(t, PV_DOCTOR_ERROR, C_ROWS, -1, -1, s, a,
			     "the column holds %lld rows, the row group's num_rows is %lld",
			     (long long)(t->rg_rows + extra), (long long)t->rg_rows);
			ok = false;
		}
	}
	pv_colbuf_release(&b);
	pv_chunk_close(c);
	return ok;
}

/* ------------------------------------------------------------------ page index */

static void check_offset_index(task *t, const pv_offset_index *oi, bool values_ok)
{
	if (oi->n_page_locations != t->n_pg) {
		char s[32], a[32];
		snprintf(s, sizeof s, "%zu", oi->n_page_locations);
		snprintf(a, sizeof a, "%zu", t->n_pg);
		emit(t, PV_DOCTOR_ERROR, C_OI, -1, -1, s, a,
		     "offset index has %zu page locations, the chunk has %zu data pages",
		     oi->n_page_locations, t->n_pg);
	}
	size_t n = oi->n_page_locations < t->n_pg ? oi->n_page_locations : t->n_pg;
	for (size_t k = 0; k < n; k++) {
		const pv_page_location *l = &oi->page_locations[k];
		const pg *g = &t->pages[k];
		char s[32], a[32];
		if (l->offset != g->offset) {
			snprintf(s, sizeof s, "%lld", (long long)l->offset);
			snprintf(a, sizeof a, "%lld", (long long)g->offset);
			emit(t, PV_DOCTOR_ERROR, C_OI, g->index, -1, s, a,
			     "offset index entry %zu: offset differs from the page's", k);
		}
		int64_t size = (int64_t)g->header_len + g->compressed_size;
		if (l->compressed_page_size != size) {
			snprintf(s, sizeof s, "%lld", (long long)l->compressed_page_size);
			snprintf(a, sizeof a, "%lld", (long long)size);
			emit(t, PV_DOCTOR_ERROR, C_OI, g->index, -1, s, a,
			     "offset index entry %zu: compressed_page_size differs from the page's", k);
		}
		if (values_ok && g->first_row >= 0) {
			if (!g->starts_row)
				emit(t, PV_DOCTOR_ERROR, C_OI, g->index, -1, NULL, NULL,
				     "offset index entry %zu: the page does not start at a row boundary", k);
			else if (l->first_row_index != g->first_row) {
				snprintf(s, sizeof s, "%lld", (long long)l->first_row_index);
				snprintf(a, sizeof a, "%lld", (long long)g->first_row);
				emit(t, PV_DOCTOR_ERROR, C_OI, g->index, -1, s, a,
				     "offset index entry %zu: first_row_index differs from the page's first row",
				     k);
			}
		}
	}
}

static void check_column_index(task *t, const pv_column_index *ci)
{
	pv_doctor_severity sev = order_known(t) ? PV_DOCTOR_ERROR : PV_DOCTOR_WARNING;
	if (ci->n_pages != t->n_pg) {
		char s[32], a[32];
		snprintf(s, sizeof s, "%zu", ci->n_pages);
		snprintf(a, sizeof a, "%zu", t->n_pg);
		emit(t, PV_DOCTOR_ERROR, C_CI, -1, -1, s, a,
		     "column index has %zu pages, the chunk has %zu data pages", ci->n_pages, t->n_pg);
	}
	size_t n = ci->n_pages < t->n_pg ? ci->n_pages : t->n_pg;
	for (size_t k = 0; k < n; k++) {
		const pg *g = &t->pages[k];
		pv_page_bounds pb;
		if (pv_pageindex_bounds(ci, t->leaf, k, &pb, NULL) == 0 && pb.unknown)
			continue;
		bool all_null = g->a.levels > 0 && g->a.values == 0;
		if (ci->null_pages[k] != all_null) {
			emit(t, PV_DOCTOR_ERROR, C_CI, g->index, -1, ci->null_pages[k] ? "true" : "false",
			     all_null ? "true" : "false",
			     "column index null_pages[%zu] is %s but the page %s", k,
			     ci->null_pages[k] ? "true" : "false",
			     all_null ? "holds only nulls" : "holds values");
		}
		if (ci->has_null_counts && ci->null_counts[k] >= 0) {
			char what[64];
			snprintf(what, sizeof what, "column index null_counts[%zu]", k);
			check_nulls(t, C_CI, PV_DOCTOR_ERROR, g->index, what, ci->null_counts[k], &g->a);
		}
		if (ci->null_pages[k])
			continue;
		/* page index bounds may be truncated for byte arrays (parquet-mr
		 * cuts them at 64 bytes); fixed-width ones are exact */
		bound_ctx b = { .check = C_CI, .sev = sev, .page = g->index, .kind = t->o.kind,
				.alt = PV_DOC_ORD_NONE, .exact = t->o.kind != PV_DOC_ORD_BYTES };
		char what[64];
		snprintf(what, sizeof what, "column index min_values[%zu]", k);
		b.what = what;
		check_bound(t, &b, true, ci->min_values[k].ptr, ci->min_values[k].len, &g->a);
		snprintf(what, sizeof what, "column index max_values[%zu]", k);
		b.what = what;
		check_bound(t, &b, false, ci->max_values[k].ptr, ci->max_values[k].len, &g->a);
	}
}

static void page_index(task *t, bool values_ok)
{
	pv_arena a;
	pv_arena_init(&a, (size_t)256 << 20);
	pv_err err;
	pv_offset_index oi;
	bool have_oi = false;
	if (t->cc->has_offset_index_offset) {
		t->out->has_offset_index = true;
		if (pv_pageindex_read_offsets(t->f->src, t->cc, t->rg_rows, &a, &oi, &err) == 0)
			have_oi = true;
		else if (err.code != PV_ENOTFOUND)
			emit(t, PV_DOCTOR_ERROR, C_OI, -1, -1, NULL, NULL, "%s", err.msg);
		if (!have_oi && err.code == PV_ECORRUPT &&
		    pv_pageindex_read_offsets(t->f->src, t->cc, -1, &a, &oi, NULL) == 0)
			have_oi = true; /* compare what can be compared */
		if (have_oi && t->walk_ok && !t->pages_capped)
			check_offset_index(t, &oi, values_ok);
	}
	if (t->cc->has_column_index_offset) {
		t->out->has_column_index = true;
		pv_column_index ci;
		if (pv_pageindex_read_columns(t->f->src, t->cc, &a, &ci, &err)) {
			if (err.code != PV_ENOTFOUND)
				emit(t, PV_DOCTOR_ERROR, C_CI, -1, -1, NULL, NULL, "%s", err.msg);
		} else if (values_ok && t->walk_ok && !t->pages_capped) {
			if (have_oi && pv_pageindex_check_columns(&ci, &oi, &err))
				emit(t, PV_DOCTOR_ERROR, C_CI, -1, -1, NULL, NULL, "%s", err.msg);
			else
				check_column_index(t, &ci);
		}
	}
	pv_arena_release(&a);
}

/* ------------------------------------------------------------------ driver */

static void open_bloom(task *t)
{
	if (!t->md->has_bloom_filter_offset)
		return;
	t->out->has_bloom = true;
	pv_err err;
	if (pv_bloom_filter_read(t->f->src, t->cc, &t->bloom, &err)) {
		if (err.code == PV_EUNSUPPORTED)
			emit(t, PV_DOCTOR_INFO, C_BLOOM, -1, -1, NULL, NULL, "bloom filter not checked: %s",
			     err.msg);
		else if (err.code != PV_ENOTFOUND)
			emit(t, PV_DOCTOR_ERROR, C_BLOOM, -1, -1, NULL, NULL, "%s", err.msg);
		return;
	}
	t->bloom_on = t->o.can_hash;
}

void pv_doc_chunk_check(const pv_doc_file *f, pv_doc_chunk *out)
{
	task t;
	memset(&t, 0, sizeof t);
	t.f = f;
	t.out = out;
	const pv_row_group *rg = &f->pf->meta->row_groups[out->rg];
	t.cc = &rg->columns[out->col];
	t.leaf = f->pf->schema->leaves[out->col];
	t.rg_rows = rg->num_rows;
	pv_doc_ord_init(&t.o, t.leaf);
	pv_arena_init(&t.arena, (size_t)256 << 20);
	t.bloom_last_len = SIZE_MAX;
	out->checked = true;
	if (!t.cc->has_meta_data || t.cc->encrypted) {
		pv_doctor_add(&out->findings, PV_DOCTOR_INFO, "pages", (int64_t)out->rg, (int64_t)out->col,
			      t.leaf->path, -1, -1, NULL, NULL, "encrypted column chunk: not checked");
		pv_arena_release(&t.arena);
		return;
	}
	t.md = &t.cc->meta_data;
	out->has_stats = t.md->has_statistics;
	out->n_values = t.md->num_values;

	walk(&t);
	open_bloom(&t);
	pv_doc_ord_kind signed_kind = t.o.kind == PV_DOC_ORD_BYTES ? PV_DOC_ORD_BYTES_SIGNED
				      : t.o.kind == PV_DOC_ORD_U32 ? PV_DOC_ORD_I32
				      : t.o.kind == PV_DOC_ORD_U64 ? PV_DOC_ORD_I64
								   : PV_DOC_ORD_NONE;
	if (signed_kind != PV_DOC_ORD_NONE) {
		const pv_statistics *st = &t.md->statistics;
		bool legacy = t.md->has_statistics && !st->has_min_value && !st->has_max_value &&
			      (st->has_min || st->has_max);
		for (size_t k = 0; k < t.n_pg && !legacy; k++) {
			const pv_statistics *ps = &t.pages[k].stats;
			legacy = t.pages[k].has_stats && !ps->has_min_value && !ps->has_max_value &&
				 (ps->has_min || ps->has_max);
		}
		t.legacy_kind = legacy ? signed_kind : PV_DOC_ORD_NONE;
	}
	bool values_ok = false;
	if (t.walk_ok)
		values_ok = decode(&t);
	out->values_ok = values_ok;
	if (values_ok && t.md->has_statistics) {
		pv_value mn, mx;
		bool trusted = false;
		pv_stats_minmax(t.cc, t.leaf, NULL, &mn, &mx, &trusted, NULL);
		pv_doctor_severity sev = trusted ? PV_DOCTOR_ERROR : PV_DOCTOR_WARNING;
		const pv_statistics *st = &t.md->statistics;
		bool any_minmax = st->has_min || st->has_max || st->has_min_value || st->has_max_value;
		/* null counts are always read (IS NULL pruning, counts): errors */
		if (st->has_null_count && st->null_count >= 0)
			check_nulls(&t, C_STATS, PV_DOCTOR_ERROR, -1, "null_count", st->null_count,
				    &t.chunk);
		pv_statistics mm = *st;
		mm.has_null_count = false;
		if (any_minmax)
			check_statistics(&t, &mm, &t.chunk, &t.chunk_s, C_STATS, sev, -1, "");
	}
	if (values_ok) {
		for (size_t k = 0; k < t.n_pg; k++) {
			pg *g = &t.pages[k];
			if (g->num_nulls >= 0)
				check_nulls(&t, C_PAGE_STATS, PV_DOCTOR_WARNING, g->index,
					    "page header num_nulls", g->num_nulls, &g->a);
			if (g->has_stats)
				check_statistics(&t, &g->stats, &g->a, &g->as, C_PAGE_STATS, PV_DOCTOR_WARNING,
						 g->index, "page statistics ");
		}
	}
	if (values_ok && t.bloom_missing > 0) {
		emit(&t, PV_DOCTOR_ERROR, C_BLOOM, -1, t.bloom_first_row, NULL, t.bloom_first_value,
		     "%lld values are missing from the bloom filter (first in row %lld)",
		     (long long)t.bloom_missing, (long long)t.bloom_first_row);
	}
	page_index(&t, values_ok);

	for (int k = 0; k < C_N; k++)
		if (t.hidden[k] > 0)
			pv_doctor_add(&out->findings, (pv_doctor_severity)t.hidden_sev[k], check_names[k],
				      (int64_t)out->rg, (int64_t)out->col, t.leaf->path, -1, -1, NULL,
				      NULL, "%lld more '%s' findings in this column chunk",
				      (long long)t.hidden[k], check_names[k]);
	if (values_ok && t.chunk.has && t.chunk.min_len <= KEEP_MINMAX_MAX &&
	    t.chunk.max_len <= KEEP_MINMAX_MAX) {
		out->amin = malloc(t.chunk.min_len ? t.chunk.min_len : 1);
		out->amax = malloc(t.chunk.max_len ? t.chunk.max_len : 1);
		if (out->amin && out->amax) {
			if (t.chunk.min_len)
				memcpy(out->amin, t.chunk.min, t.chunk.min_len);
			if (t.chunk.max_len)
				memcpy(out->amax, t.chunk.max, t.chunk.max_len);
			out->amin_len = t.chunk.min_len;
			out->amax_len = t.chunk.max_len;
			out->has_minmax = true;
		}
	}
	if (t.chunk.nomem)
		out->findings.nomem = true;
	acc_release(&t.chunk);
	acc_release(&t.chunk_s);
	for (size_t k = 0; k < t.n_pg; k++) {
		acc_release(&t.pages[k].a);
		acc_release(&t.pages[k].as);
	}
	free(t.pages);
	free(t.bloom_first_value);
	pv_bloom_filter_release(&t.bloom);
	pv_arena_release(&t.arena);
}

void pv_doc_chunk_release(pv_doc_chunk *c)
{
	if (!c)
		return;
	pv_doctor_list_release(&c->findings);
	free(c->amin);
	free(c->amax);
	c->amin = c->amax = NULL;
}
