/*
 * diff.c - schema diffs: pairs the columns of two snapshots by name (and
 * likely renames by type, position, statistics and name), walks their
 * normalised trees, and classifies every change for a reader of the old
 * schema. The rules are documented in README "Compatibility rules".
 * Works on snapshots only: must not open files or print anything.
 */
#include "analyze/diff.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "dataset/scan.h"
#include "format/schema.h"
#include "base/banned.h"

#define DEFAULT_NULL_SHARE 0.01
#define KV_SHOWN 60      /* bytes of a key-value value shown in a change */
#define BOUND_SHOWN 40   /* bytes of a min or max shown in a change */
#define NAME_MAX_CMP 64  /* longer names are never "similar" (the edit distance's cap) */

struct pv_diff {
	pv_arena arena;
	pv_change *changes;
	size_t n, cap;
	size_t n_class[3];
	pv_diff_opts opts;
	pv_err *err;
	int rc;               /* sticky: the first failure */
	/* codec and encoding changes per leaf, folded into one line when every
	 * compared leaf changed the same way */
	pv_change *codec, *enc;
	size_t n_codec, n_enc, cap_codec, cap_enc;
	size_t n_leaves_compared;
};

const char *pv_change_class_name(pv_change_class c)
{
	switch (c) {
	case PV_CHANGE_BREAKING: return "breaking";
	case PV_CHANGE_COMPATIBLE: return "compatible";
	default: return "info";
	}
}

void pv_diff_opts_init(pv_diff_opts *o)
{
	memset(o, 0, sizeof *o);
	o->null_share_threshold = DEFAULT_NULL_SHARE;
}

/* ---------------------------------------------------------------- recording */

static const char *dup(pv_diff *d, const char *s)
{
	if (!s || d->rc)
		return NULL;
	const char *c = pv_arena_strndup(&d->arena, s, strlen(s), d->err);
	if (!c)
		d->rc = d->err ? d->err->code : PV_ENOMEM;
	return c;
}

static int grow(pv_diff *d, pv_change **arr, size_t n, size_t *cap)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 32;
	pv_change *na = realloc(*arr, nc * sizeof *na);
	if (!na)
		return d->rc = pv_err_set(d->err, PV_ENOMEM, "out of memory");
	*arr = na;
	*cap = nc;
	return 0;
}

static void vrecord(pv_diff *d, pv_change **arr, size_t *n, size_t *cap, const char *kind,
		    const char *column, pv_change_class cls, const char *old_v, const char *new_v,
		    const char *fmt, va_list ap)
{
	if (d->rc || grow(d, arr, *n, cap))
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	pv_change *c = &(*arr)[*n];
	c->kind = kind;
	c->cls = cls;
	c->column = dup(d, column);
	c->old_value = dup(d, old_v);
	c->new_value = dup(d, new_v);
	c->message = dup(d, msg);
	if (!d->rc)
		(*n)++;
}

__attribute__((format(printf, 7, 8))) static void
change(pv_diff *d, const char *kind, const char *column, pv_change_class cls, const char *old_v,
       const char *new_v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(d, &d->changes, &d->n, &d->cap, kind, column, cls, old_v, new_v, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- types */

typedef enum tkind {
	T_BOOL, T_INT, T_FLOAT, T_DECIMAL, T_STRING, T_BINARY, T_FIXED, T_DATE, T_TIME,
	T_TIMESTAMP, T_UUID, T_INTERVAL, T_NULL, T_OTHER
} tkind;

/* What a leaf's values mean, whatever annotation says it. */
typedef struct sem {
	tkind k;
	int bits;         /* INT, FLOAT */
	bool is_signed;   /* INT */
	int prec, scale;  /* DECIMAL */
	int unit;         /* TIME, TIMESTAMP: pv_time_unit */
	bool utc;         /* TIME, TIMESTAMP */
	int sub;          /* STRING: 0 text, 1 enum, 2 json; FIXED: length; OTHER: logical kind */
} sem;

static sem sem_of(const pv_snap_field *f)
{
	sem s = { .k = T_OTHER };
	if (f->partition) {
		if (!strcmp(f->type, "BIGINT"))
			s = (sem){ .k = T_INT, .bits = 64, .is_signed = true };
		else if (!strcmp(f->type, "DOUBLE"))
			s = (sem){ .k = T_FLOAT, .bits = 64 };
		else if (!strcmp(f->type, "DATE"))
			s.k = T_DATE;
		else if (!strcmp(f->type, "TIMESTAMP"))
			s = (sem){ .k = T_TIMESTAMP, .unit = PV_UNIT_MICROS };
		else if (!strcmp(f->type, "BOOLEAN"))
			s.k = T_BOOL;
		else
			s.k = T_STRING;
		return s;
	}
	const pv_logical_type *lt = &f->logical;
	if (f->logical_type && lt->kind != PV_LOGICAL_FUTURE) {
		switch (lt->kind) {
		case PV_LOGICAL_STRING: return (sem){ .k = T_STRING };
		case PV_LOGICAL_ENUM: return (sem){ .k = T_STRING, .sub = 1 };
		case PV_LOGICAL_JSON: return (sem){ .k = T_STRING, .sub = 2 };
		case PV_LOGICAL_INTEGER:
			return (sem){ .k = T_INT, .bits = lt->bit_width, .is_signed = lt->is_signed };
		case PV_LOGICAL_DECIMAL:
			return (sem){ .k = T_DECIMAL, .prec = lt->precision, .scale = lt->scale };
		case PV_LOGICAL_DATE: return (sem){ .k = T_DATE };
		case PV_LOGICAL_TIME: return (sem){ .k = T_TIME, .unit = lt->unit, .utc = lt->utc };
		case PV_LOGICAL_TIMESTAMP:
			return (sem){ .k = T_TIMESTAMP, .unit = lt->unit, .utc = lt->utc };
		case PV_LOGICAL_FLOAT16: return (sem){ .k = T_FLOAT, .bits = 16 };
		case PV_LOGICAL_UUID: return (sem){ .k = T_UUID };
		case PV_LOGICAL_UNKNOWN: return (sem){ .k = T_NULL };
		default: return (sem){ .k = T_OTHER, .sub = lt->kind };
		}
	}
	switch (f->converted_type) {
	case PV_CONV_UTF8: return (sem){ .k = T_STRING };
	case PV_CONV_ENUM: return (sem){ .k = T_STRING, .sub = 1 };
	case PV_CONV_JSON: return (sem){ .k = T_STRING, .sub = 2 };
	case PV_CONV_INT_8: return (sem){ .k = T_INT, .bits = 8, .is_signed = true };
	case PV_CONV_INT_16: return (sem){ .k = T_INT, .bits = 16, .is_signed = true };
	case PV_CONV_INT_32: return (sem){ .k = T_INT, .bits = 32, .is_signed = true };
	case PV_CONV_INT_64: return (sem){ .k = T_INT, .bits = 64, .is_signed = true };
	case PV_CONV_UINT_8: return (sem){ .k = T_INT, .bits = 8 };
	case PV_CONV_UINT_16: return (sem){ .k = T_INT, .bits = 16 };
	case PV_CONV_UINT_32: return (sem){ .k = T_INT, .bits = 32 };
	case PV_CONV_UINT_64: return (sem){ .k = T_INT, .bits = 64 };
	case PV_CONV_DECIMAL: return (sem){ .k = T_DECIMAL, .prec = f->precision, .scale = f->scale };
	case PV_CONV_DATE: return (sem){ .k = T_DATE };
	/* The legacy time annotations are UTC-adjusted (LogicalTypes.md). */
	case PV_CONV_TIME_MILLIS: return (sem){ .k = T_TIME, .unit = PV_UNIT_MILLIS, .utc = true };
	case PV_CONV_TIME_MICROS: return (sem){ .k = T_TIME, .unit = PV_UNIT_MICROS, .utc = true };
	case PV_CONV_TIMESTAMP_MILLIS:
		return (sem){ .k = T_TIMESTAMP, .unit = PV_UNIT_MILLIS, .utc = true };
	case PV_CONV_TIMESTAMP_MICROS:
		return (sem){ .k = T_TIMESTAMP, .unit = PV_UNIT_MICROS, .utc = true };
	case PV_CONV_INTERVAL: return (sem){ .k = T_INTERVAL };
	case PV_CONV_BSON: return (sem){ .k = T_OTHER, .sub = PV_LOGICAL_BSON };
	default: break;
	}
	switch (f->physical_type) {
	case PV_TYPE_BOOLEAN: return (sem){ .k = T_BOOL };
	case PV_TYPE_INT32: return (sem){ .k = T_INT, .bits = 32, .is_signed = true };
	case PV_TYPE_INT64: return (sem){ .k = T_INT, .bits = 64, .is_signed = true };
	case PV_TYPE_INT96: return (sem){ .k = T_TIMESTAMP, .unit = PV_UNIT_NANOS };
	case PV_TYPE_FLOAT: return (sem){ .k = T_FLOAT, .bits = 32 };
	case PV_TYPE_DOUBLE: return (sem){ .k = T_FLOAT, .bits = 64 };
	case PV_TYPE_BYTE_ARRAY: return (sem){ .k = T_BINARY };
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY: return (sem){ .k = T_FIXED, .sub = f->type_length };
	default: return s;
	}
}

static bool sem_eq(const sem *a, const sem *b)
{
	return a->k == b->k && a->bits == b->bits && a->is_signed == b->is_signed &&
	       a->prec == b->prec && a->scale == b->scale && a->unit == b->unit &&
	       a->utc == b->utc && a->sub == b->sub;
}

/* Decimal digits the integers of a type can need. */
static int int_digits(const sem *s)
{
	switch (s->bits) {
	case 8: return 3;
	case 16: return 5;
	case 32: return 10;
	default: return s->is_signed ? 19 : 20;
	}
}

static bool is_number(tkind k)
{
	return k == T_INT || k == T_FLOAT || k == T_DECIMAL;
}

int pv_diff_classify_type(const pv_snap_field *old_f, const pv_snap_field *new_f,
			  const char **out_reason)
{
	const char *dummy;
	const char **why = out_reason ? out_reason : &dummy;
	sem a = sem_of(old_f), b = sem_of(new_f);
	if (sem_eq(&a, &b)) {
		if (old_f->partition != new_f->partition || old_f->physical_type == new_f->physical_type)
			return -1;
		*why = "same logical type, different physical storage";
		return PV_CHANGE_COMPATIBLE;
	}
	if (a.k == T_NULL) {
		*why = "a column of NULLs got a type";
		return PV_CHANGE_COMPATIBLE;
	}
	if (b.k == T_NULL) {
		*why = "values replaced by a column of NULLs";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_INT && b.k == T_INT) {
		if (a.is_signed == b.is_signed || (!a.is_signed && b.is_signed)) {
			if (b.bits > a.bits) {
				*why = "integer widening";
				return PV_CHANGE_COMPATIBLE;
			}
			*why = a.is_signed == b.is_signed ? "integer narrowing"
							  : "unsigned to signed of the same width";
			return PV_CHANGE_BREAKING;
		}
		*why = "signed to unsigned";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_INT && b.k == T_FLOAT) {
		/* exact while the integers fit the mantissa (24 and 53 bits) */
		if ((b.bits == 64 && a.bits <= 32) || (b.bits == 32 && a.bits <= 16)) {
			*why = "integer to a floating point type that holds it exactly";
			return PV_CHANGE_COMPATIBLE;
		}
		*why = "integer to floating point loses precision";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_INT && b.k == T_DECIMAL) {
		if (b.prec - b.scale >= int_digits(&a)) {
			*why = "integer to a decimal with room for it";
			return PV_CHANGE_COMPATIBLE;
		}
		*why = "decimal too narrow for the integers";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_FLOAT && b.k == T_FLOAT) {
		if (b.bits > a.bits) {
			*why = "floating point widening";
			return PV_CHANGE_COMPATIBLE;
		}
		*why = "floating point narrowing";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_DECIMAL && b.k == T_DECIMAL) {
		if (a.scale != b.scale) {
			*why = "decimal scale changed";
			return PV_CHANGE_BREAKING;
		}
		if (b.prec > a.prec) {
			*why = "decimal precision widening";
			return PV_CHANGE_COMPATIBLE;
		}
		*why = "decimal precision narrowing";
		return PV_CHANGE_BREAKING;
	}
	if ((a.k == T_TIMESTAMP && b.k == T_TIMESTAMP) || (a.k == T_TIME && b.k == T_TIME)) {
		if (a.utc != b.utc) {
			*why = "UTC adjustment changed";
			return PV_CHANGE_BREAKING;
		}
		if (b.unit > a.unit) {
			*why = "finer time unit";
			return PV_CHANGE_COMPATIBLE;
		}
		*why = "coarser time unit";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_STRING && b.k == T_STRING) {
		*why = "text annotation changed (same UTF-8 storage)";
		return PV_CHANGE_COMPATIBLE;
	}
	if (a.k == T_BINARY && b.k == T_STRING) {
		*why = "bytes now annotated as text";
		return PV_CHANGE_COMPATIBLE;
	}
	if (a.k == T_FIXED && b.k == T_BINARY) {
		*why = "fixed-length bytes to variable-length bytes";
		return PV_CHANGE_COMPATIBLE;
	}
	if (a.k == T_STRING && b.k == T_BINARY) {
		*why = "text to bytes";
		return PV_CHANGE_BREAKING;
	}
	if (is_number(a.k) && b.k == T_STRING) {
		*why = "number to text";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == T_STRING && is_number(b.k)) {
		*why = "text to number";
		return PV_CHANGE_BREAKING;
	}
	if (is_number(a.k) && is_number(b.k)) {
		*why = "numeric type that cannot hold every old value";
		return PV_CHANGE_BREAKING;
	}
	if (a.k == b.k && a.k == T_FIXED) {
		*why = "fixed length changed";
		return PV_CHANGE_BREAKING;
	}
	*why = "incompatible types";
	return PV_CHANGE_BREAKING;
}

/* ---------------------------------------------------------------- names */

static size_t norm_name(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 1 < cap; s++)
		if (*s != '_' && *s != '-' && *s != ' ' && *s != '.')
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	return n;
}

/* How far apart two names are after normalising case and separators: 0
 * equal, 1 one contains the other, else 1 + the edit distance; -1 when
 * they are not similar (more edits than a third of the longer name). */
static int name_distance(const char *x, const char *y)
{
	char a[NAME_MAX_CMP + 1], b[NAME_MAX_CMP + 1];
	if (strlen(x) > NAME_MAX_CMP || strlen(y) > NAME_MAX_CMP)
		return -1;
	size_t na = norm_name(x, a, sizeof a), nb = norm_name(y, b, sizeof b);
	if (!na || !nb)
		return -1;
	if (!strcmp(a, b))
		return 0;
	if (strstr(a, b) || strstr(b, a))
		return 1;
	size_t dist = pv_scan_edit_distance(a, b);
	if (dist == SIZE_MAX)
		return -1;
	size_t longer = na > nb ? na : nb;
	size_t limit = longer / 3 ? longer / 3 : 1;
	return dist <= limit ? 1 + (int)dist : -1;
}

/* Same footer statistics: a strong hint that a leaf column moved. */
static bool same_stats(const pv_snap_field *a, const pv_snap_field *b)
{
	if (a->shape != PV_SHAPE_PRIMITIVE || a->partition || !a->has_stats || !b->has_stats)
		return false;
	const pv_snap_stats *x = &a->stats, *y = &b->stats;
	if (!x->has_minmax || !y->has_minmax || !x->has_nulls || !y->has_nulls)
		return false;
	return x->n_nulls == y->n_nulls && !strcmp(x->min, y->min) && !strcmp(x->max, y->max);
}

/* ---------------------------------------------------------------- walking */

static bool wanted(const pv_diff *d, const char *name)
{
	if (!d->opts.columns)
		return true;
	for (size_t i = 0; i < d->opts.n_columns; i++)
		if (!strcmp(d->opts.columns[i], name))
			return true;
	return false;
}

static const char *join_names(pv_diff *d, const char *const *names, size_t n)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		if (pv_buf_printf(&b, NULL, "%s%s", i ? ", " : "", names[i]))
			break;
	const char *s = dup(d, b.data ? b.data : "");
	pv_buf_release(&b);
	return s;
}

static bool names_equal(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

static void layout_change(pv_diff *d, bool codec, const pv_snap_field *o, const pv_snap_field *n)
{
	const char *const *on = codec ? o->codecs : o->encodings;
	const char *const *nn = codec ? n->codecs : n->encodings;
	size_t non = codec ? o->n_codecs : o->n_encodings, nnn = codec ? n->n_codecs : n->n_encodings;
	if (!non || !nnn || names_equal(on, non, nn, nnn))
		return;
	const char *os = join_names(d, on, non), *ns = join_names(d, nn, nnn);
	if (codec) {
		if (!grow(d, &d->codec, d->n_codec, &d->cap_codec))
			d->codec[d->n_codec++] = (pv_change){ .kind = "codec_changed", .column = n->path,
							      .cls = PV_CHANGE_INFO, .old_value = os,
							      .new_value = ns };
	} else if (!grow(d, &d->enc, d->n_enc, &d->cap_enc)) {
		d->enc[d->n_enc++] = (pv_change){ .kind = "encoding_changed", .column = n->path,
						  .cls = PV_CHANGE_INFO, .old_value = os,
						  .new_value = ns };
	}
}

static void pct(char *out, size_t n, int64_t part, int64_t whole)
{
	snprintf(out, n, "%.1f%%", whole ? 100.0 * (double)part / (double)whole : 0.0);
}

/* A bound cut for a one-line report (the snapshot keeps more). */
static const char *shorten(const char *s, char *buf)
{
	size_t n = strlen(s);
	if (n <= BOUND_SHOWN)
		return s;
	n = BOUND_SHOWN;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	snprintf(buf, BOUND_SHOWN + 8, "%.*s…", (int)n, s);
	return buf;
}

static void stats_changes(pv_diff *d, const pv_snap_field *o, const pv_snap_field *n)
{
	if (d->opts.no_stats || !o->has_stats || !n->has_stats || strcmp(o->type, n->type))
		return;
	const pv_snap_stats *x = &o->stats, *y = &n->stats;
	if (x->has_nulls && y->has_nulls && x->has_values && y->has_values && x->n_values > 0 &&
	    y->n_values > 0) {
		double sa = (double)x->n_nulls / (double)x->n_values;
		double sb = (double)y->n_nulls / (double)y->n_values;
		if (fabs(sb - sa) > d->opts.null_share_threshold) {
			char os[32], ns[32];
			pct(os, sizeof os, x->n_nulls, x->n_values);
			pct(ns, sizeof ns, y->n_nulls, y->n_values);
			change(d, "null_share_changed", n->path, PV_CHANGE_INFO, os, ns,
			       "share of NULLs moved by %+.1f points (threshold %.1f)",
			       100.0 * (sb - sa), 100.0 * d->opts.null_share_threshold);
		}
	}
	if (x->has_minmax && y->has_minmax && (strcmp(x->min, y->min) || strcmp(x->max, y->max))) {
		char b1[BOUND_SHOWN + 8], b2[BOUND_SHOWN + 8], b3[BOUND_SHOWN + 8], b4[BOUND_SHOWN + 8];
		char *os = pv_arena_printf(&d->arena, d->err, "[%s, %s]", shorten(x->min, b1),
					   shorten(x->max, b2));
		char *ns = pv_arena_printf(&d->arena, d->err, "[%s, %s]", shorten(y->min, b3),
					   shorten(y->max, b4));
		if (!os || !ns) {
			d->rc = d->err ? d->err->code : PV_ENOMEM;
			return;
		}
		change(d, "min_max_changed", n->path, PV_CHANGE_INFO, os, ns, "%s",
		       strcmp(x->min, y->min) && strcmp(x->max, y->max) ? "both bounds moved"
		       : strcmp(x->min, y->min)                        ? "the minimum moved"
								       : "the maximum moved");
	}
}

static void compare_field(pv_diff *d, const pv_snap_field *o, const pv_snap_field *n, bool top);

static const char *shape_word(const pv_snap_field *f)
{
	if (f->partition || f->shape == PV_SHAPE_PRIMITIVE)
		return "a primitive";
	return f->shape == PV_SHAPE_LIST ? "a list" : f->shape == PV_SHAPE_MAP ? "a map" : "a struct";
}

static void compare_children(pv_diff *d, const pv_snap_field *o, const pv_snap_field *n)
{
	for (size_t i = 0; i < n->n_children; i++) {
		const pv_snap_field *nc = &n->children[i], *oc = NULL;
		for (size_t k = 0; k < o->n_children && !oc; k++)
			if (!strcmp(o->children[k].name, nc->name))
				oc = &o->children[k];
		if (oc)
			compare_field(d, oc, nc, false);
		else
			change(d, "field_added", nc->path, PV_CHANGE_COMPATIBLE, NULL, nc->type,
			       "new nested field; readers of the old schema ignore it");
	}
	for (size_t k = 0; k < o->n_children; k++) {
		bool found = false;
		for (size_t i = 0; i < n->n_children && !found; i++)
			found = !strcmp(o->children[k].name, n->children[i].name);
		if (!found)
			change(d, "field_removed", o->children[k].path, PV_CHANGE_BREAKING,
			       o->children[k].type, NULL, "nested field removed");
	}
}

static void compare_field(pv_diff *d, const pv_snap_field *o, const pv_snap_field *n, bool top)
{
	if (d->rc)
		return;
	if (o->partition != n->partition)
		change(d, "partition_changed", n->path, PV_CHANGE_INFO,
		       o->partition ? "partition" : "column", n->partition ? "partition" : "column",
		       "%s", n->partition ? "now a hive partition key" : "no longer a hive partition key");
	bool leaf_o = o->partition || o->shape == PV_SHAPE_PRIMITIVE;
	bool leaf_n = n->partition || n->shape == PV_SHAPE_PRIMITIVE;
	if (leaf_o != leaf_n || (!leaf_o && o->shape != n->shape)) {
		change(d, "shape_changed", n->path, PV_CHANGE_BREAKING, o->type, n->type,
		       "%s became %s", shape_word(o), shape_word(n));
		return;
	}
	if (leaf_o) {
		const char *why = NULL;
		int cls = pv_diff_classify_type(o, n, &why);
		if (cls >= 0)
			change(d, "type_changed", n->path, (pv_change_class)cls, o->type, n->type, "%s",
			       why);
	}
	bool rep_o = o->repetition == PV_REP_REPEATED, rep_n = n->repetition == PV_REP_REPEATED;
	if (rep_o != rep_n)
		change(d, "repetition_changed", n->path, PV_CHANGE_BREAKING, rep_o ? "repeated" : "single",
		       rep_n ? "repeated" : "single", "%s",
		       rep_n ? "a single value became a repeated field" : "a repeated field became a single value");
	else if (o->nullable != n->nullable) {
		if (n->nullable)
			change(d, "nullability_changed", n->path, PV_CHANGE_COMPATIBLE, "required",
			       "optional", "required to optional: the column may now hold NULLs");
		else
			change(d, "nullability_changed", n->path, PV_CHANGE_INFO, "optional", "required",
			       "optional to required: the data has no NULLs; writers that send NULLs now fail");
	}
	(void)top;
	if (leaf_o) {
		if (!o->partition && !n->partition) {
			d->n_leaves_compared++;
			layout_change(d, true, o, n);
			layout_change(d, false, o, n);
		}
		stats_changes(d, o, n);
		return;
	}
	compare_children(d, o, n);
}

/* Emits the per-leaf codec or encoding changes, as one line when every
 * compared leaf changed the same way. */
static void flush_layout(pv_diff *d, pv_change *arr, size_t n)
{
	bool same = n >= 2 && n == d->n_leaves_compared;
	for (size_t i = 1; same && i < n; i++)
		same = !strcmp(arr[i].old_value, arr[0].old_value) &&
		       !strcmp(arr[i].new_value, arr[0].new_value);
	const char *what = !strcmp(arr ? arr[0].kind : "", "codec_changed") ? "compression" : "encodings";
	if (same) {
		change(d, arr[0].kind, NULL, PV_CHANGE_INFO, arr[0].old_value, arr[0].new_value,
		       "%s changed in every column", what);
		return;
	}
	for (size_t i = 0; i < n; i++)
		change(d, arr[i].kind, arr[i].column, PV_CHANGE_INFO, arr[i].old_value,
		       arr[i].new_value, "%s changed", what);
}

static void kv_text(char *out, size_t cap, const pv_snap_kv *kv)
{
	if (!kv->has_value) {
		snprintf(out, cap, "(no value)");
		return;
	}
	if (!kv->value) {
		snprintf(out, cap, "(%zu bytes)", kv->value_len);
		return;
	}
	if (kv->value_len <= KV_SHOWN) {
		snprintf(out, cap, "%s", kv->value);
		return;
	}
	size_t n = KV_SHOWN;
	while (n > 0 && ((unsigned char)kv->value[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, cap, "%.*s… (%zu bytes)", (int)n, kv->value, kv->value_len);
}

static void diff_kv(pv_diff *d, const pv_snapshot *a, const pv_snapshot *b)
{
	char os[256], ns[256];
	for (size_t i = 0; i < b->n_kv; i++) {
		const pv_snap_kv *y = &b->kv[i], *x = NULL;
		for (size_t k = 0; k < a->n_kv && !x; k++)
			if (!strcmp(a->kv[k].key, y->key))
				x = &a->kv[k];
		kv_text(ns, sizeof ns, y);
		if (!x) {
			change(d, "kv_changed", NULL, PV_CHANGE_INFO, NULL, ns,
			       "key-value metadata '%s' added", y->key);
			continue;
		}
		if (x->has_value == y->has_value && x->value_len == y->value_len && x->xxh64 == y->xxh64)
			continue;
		kv_text(os, sizeof os, x);
		change(d, "kv_changed", NULL, PV_CHANGE_INFO, os, ns,
		       "key-value metadata '%s' changed", y->key);
	}
	for (size_t k = 0; k < a->n_kv; k++) {
		bool found = false;
		for (size_t i = 0; i < b->n_kv && !found; i++)
			found = !strcmp(a->kv[k].key, b->kv[i].key);
		if (found)
			continue;
		kv_text(os, sizeof os, &a->kv[k]);
		change(d, "kv_changed", NULL, PV_CHANGE_INFO, os, NULL,
		       "key-value metadata '%s' removed", a->kv[k].key);
	}
}

static void diff_columns(pv_diff *d, const pv_snapshot *a, const pv_snapshot *b)
{
	/* match[i]: a's column for b's column i (by name, then by rename) */
	const pv_snap_field **match = calloc(b->n_columns + 1, sizeof *match);
	bool *renamed = calloc(b->n_columns + 1, sizeof *renamed);
	bool *used = calloc(a->n_columns + 1, sizeof *used);
	if (!match || !renamed || !used) {
		d->rc = pv_err_set(d->err, PV_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < b->n_columns; i++)
		for (size_t k = 0; k < a->n_columns && !match[i]; k++)
			if (!strcmp(a->columns[k].name, b->columns[i].name)) {
				match[i] = &a->columns[k];
				used[k] = true;
			}
	/* Renames: each removed column, in order, takes the closest added
	 * column of the same type whose name is similar and that sits at the
	 * same position or has the same statistics, or, whatever its name,
	 * both sits at the same position and has the same statistics. */
	for (size_t k = 0; k < a->n_columns; k++) {
		if (used[k] || !wanted(d, a->columns[k].name))
			continue;
		const pv_snap_field *r = &a->columns[k];
		long best = -1;
		int best_score = 0;
		for (size_t i = 0; i < b->n_columns; i++) {
			const pv_snap_field *c = &b->columns[i];
			if (match[i] || strcmp(r->type, c->type) || r->partition != c->partition)
				continue;
			bool pos = i == k, st = same_stats(r, c);
			int dist = name_distance(r->name, c->name);
			if (!((dist >= 0 && (pos || st)) || (pos && st)))
				continue;
			/* closer names first, then position and statistics agreeing */
			int score = (dist >= 0 ? 1000 - 10 * dist : 0) + 2 * pos + st;
			if (score > best_score) {
				best_score = score;
				best = (long)i;
			}
		}
		if (best >= 0) {
			match[best] = r;
			renamed[best] = true;
			used[k] = true;
		}
	}
	for (size_t i = 0; i < b->n_columns && !d->rc; i++) {
		const pv_snap_field *n = &b->columns[i], *o = match[i];
		if (!wanted(d, n->name) && !(o && wanted(d, o->name)))
			continue;
		if (!o) {
			change(d, "column_added", n->path, PV_CHANGE_COMPATIBLE, NULL, n->type,
			       "new column; readers of the old schema ignore it");
			continue;
		}
		if (renamed[i]) {
			bool pos = (size_t)(o - a->columns) == i;
			bool st = same_stats(o, n);
			change(d, "column_renamed", n->path, PV_CHANGE_BREAKING, o->name, n->name,
			       "likely renamed from '%s': same type%s%s%s", o->name,
			       pos ? ", same position" : "", st ? ", same statistics" : "",
			       name_distance(o->name, n->name) >= 0 ? ", similar name" : "");
		}
		compare_field(d, o, n, true);
	}
	for (size_t k = 0; k < a->n_columns && !d->rc; k++)
		if (!used[k] && wanted(d, a->columns[k].name))
			change(d, "column_removed", a->columns[k].path, PV_CHANGE_BREAKING,
			       a->columns[k].type, NULL, "readers of the old schema need this column");
out:
	free(match);
	free(renamed);
	free(used);
}

int pv_diff_compute(const pv_snapshot *a, const pv_snapshot *b, const pv_diff_opts *opts,
		    pv_diff **out, pv_err *err)
{
	*out = NULL;
	pv_diff *d = calloc(1, sizeof *d);
	if (!d)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_arena_init(&d->arena, 0);
	d->err = err;
	if (opts)
		d->opts = *opts;
	else
		pv_diff_opts_init(&d->opts);
	diff_columns(d, a, b);
	if (d->n_codec)
		flush_layout(d, d->codec, d->n_codec);
	if (d->n_enc)
		flush_layout(d, d->enc, d->n_enc);
	if (a->n_rows != b->n_rows) {
		char os[32], ns[32];
		snprintf(os, sizeof os, "%lld", (long long)a->n_rows);
		snprintf(ns, sizeof ns, "%lld", (long long)b->n_rows);
		change(d, "rows_changed", NULL, PV_CHANGE_INFO, os, ns, "%+lld rows",
		       (long long)(b->n_rows - a->n_rows));
	}
	diff_kv(d, a, b);
	free(d->codec);
	free(d->enc);
	d->codec = d->enc = NULL;
	if (d->rc) {
		int rc = d->rc;
		pv_diff_free(d);
		return rc;
	}
	/* breaking first, then compatible, then info, each in found order */
	pv_change *sorted = malloc((d->n ? d->n : 1) * sizeof *sorted);
	if (!sorted) {
		pv_diff_free(d);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	size_t k = 0;
	for (int c = PV_CHANGE_BREAKING; c <= PV_CHANGE_INFO; c++)
		for (size_t i = 0; i < d->n; i++)
			if ((int)d->changes[i].cls == c) {
				sorted[k++] = d->changes[i];
				d->n_class[c]++;
			}
	free(d->changes);
	d->changes = sorted;
	d->cap = d->n;
	*out = d;
	return 0;
}

size_t pv_diff_n_changes(const pv_diff *d)
{
	return d->n;
}

const pv_change *pv_diff_change(const pv_diff *d, size_t i)
{
	return i < d->n ? &d->changes[i] : NULL;
}

size_t pv_diff_n_class(const pv_diff *d, pv_change_class c)
{
	return (unsigned)c < 3 ? d->n_class[c] : 0;
}

bool pv_diff_breaking(const pv_diff *d)
{
	return d->n_class[PV_CHANGE_BREAKING] > 0;
}

void pv_diff_free(pv_diff *d)
{
	if (!d)
		return;
	free(d->changes);
	free(d->codec);
	free(d->enc);
	pv_arena_release(&d->arena);
	free(d);
}
