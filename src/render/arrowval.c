/*
 * arrowval.c - Arrow schemas to a checked type tree, the per-batch
 * structural check, and cell access (bytes, child ranges, pv_values).
 * Includes only base, format and render.
 */
#include "render/arrowval.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"
#include "render/dtoa.h"
#include "base/banned.h"

/* ---- schema ---- */

typedef struct parser {
	pv_arena *arena;
	size_t n_nodes;
	pv_err *err;
} parser;

/* The value of "ARROW:extension:name" in a metadata blob, or NULL. The
 * blob carries no total length, so counts and lengths are capped: a
 * metadata blob that looks wrong is ignored rather than read far. */
static const char *ext_name(const char *md, int32_t *out_len)
{
	static const char key[] = "ARROW:extension:name";
	if (!md)
		return NULL;
	int32_t n;
	memcpy(&n, md, 4);
	if (n < 0 || n > 1024)
		return NULL;
	const char *p = md + 4;
	for (int32_t k = 0; k < n; k++) {
		int32_t kl, vl;
		memcpy(&kl, p, 4);
		if (kl < 0 || kl > (1 << 16))
			return NULL;
		const char *kp = p + 4;
		p = kp + kl;
		memcpy(&vl, p, 4);
		if (vl < 0 || vl > (1 << 20))
			return NULL;
		p += 4;
		if ((size_t)kl == sizeof key - 1 && memcmp(kp, key, sizeof key - 1) == 0) {
			*out_len = vl;
			return p;
		}
		p += vl;
	}
	return NULL;
}

static bool ext_is(const char *v, int32_t n, const char *name)
{
	return v && (size_t)n == strlen(name) && memcmp(v, name, (size_t)n) == 0;
}

/* A decimal integer in [lo, hi] at *s, advancing *s. */
static bool parse_num(const char **s, long long lo, long long hi, long long *out)
{
	const char *p = *s;
	if (!(*p == '-' || (*p >= '0' && *p <= '9')))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(p, &end, 10);
	if (errno || end == p || v < lo || v > hi)
		return false;
	*s = end;
	*out = v;
	return true;
}

static int bad_format(parser *p, const char *f)
{
	return pv_err_set(p->err, PV_EINVAL, "invalid arrow format '%s'", f);
}

static int unit_of(char c, pv_aunit *u)
{
	switch (c) {
	case 's':
		*u = PV_AUNIT_S;
		return 0;
	case 'm':
		*u = PV_AUNIT_MS;
		return 0;
	case 'u':
		*u = PV_AUNIT_US;
		return 0;
	case 'n':
		*u = PV_AUNIT_NS;
		return 0;
	}
	return -1;
}

static int parse_format(parser *p, pv_atype *t, const char *f)
{
	size_t n = strlen(f);
	if (n == 1) {
		static const struct {
			char c;
			pv_akind k;
			int w;
		} one[] = {
		    {'n', PV_AK_NULL, 0},   {'b', PV_AK_BOOL, 0},   {'c', PV_AK_INT, 1},
		    {'C', PV_AK_UINT, 1},   {'s', PV_AK_INT, 2},    {'S', PV_AK_UINT, 2},
		    {'i', PV_AK_INT, 4},    {'I', PV_AK_UINT, 4},   {'l', PV_AK_INT, 8},
		    {'L', PV_AK_UINT, 8},   {'e', PV_AK_F16, 2},    {'f', PV_AK_F32, 4},
		    {'g', PV_AK_F64, 8},    {'z', PV_AK_BINARY, 4}, {'Z', PV_AK_BINARY, 8},
		    {'u', PV_AK_STRING, 4}, {'U', PV_AK_STRING, 8},
		};
		for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
			if (one[k].c == f[0]) {
				t->kind = one[k].k;
				t->width = one[k].w;
				return 0;
			}
	}
	if (strcmp(f, "vu") == 0 || strcmp(f, "vz") == 0) {
		t->kind = f[1] == 'u' ? PV_AK_STRVIEW : PV_AK_BINVIEW;
		t->width = 16;
		return 0;
	}
	if (f[0] == 'd' && f[1] == ':') {
		const char *s = f + 2;
		long long prec, scale, bits = 128;
		if (!parse_num(&s, 1, 1000, &prec) || *s++ != ',' ||
		    !parse_num(&s, -10000, 10000, &scale))
			return bad_format(p, f);
		if (*s == ',') {
			s++;
			if (!parse_num(&s, 32, 256, &bits) ||
			    (bits != 32 && bits != 64 && bits != 128 && bits != 256))
				return bad_format(p, f);
		}
		if (*s)
			return bad_format(p, f);
		t->kind = PV_AK_DECIMAL;
		t->width = bits / 8;
		t->precision = (int32_t)prec;
		t->scale = (int32_t)scale;
		return 0;
	}
	if ((f[0] == 'w' || (f[0] == '+' && f[1] == 'w')) && f[f[0] == '+' ? 2 : 1] == ':') {
		bool list = f[0] == '+';
		const char *s = f + (list ? 3 : 2);
		long long size;
		if (!parse_num(&s, list ? 1 : 0, INT32_MAX, &size) || *s)
			return bad_format(p, f);
		t->kind = list ? PV_AK_FIXED_LIST : PV_AK_FIXED;
		if (list)
			t->n_fixed = size;
		else
			t->width = size;
		return 0;
	}
	if (f[0] == 't' && n >= 3) {
		pv_aunit u = PV_AUNIT_S;
		if (n == 3 && strcmp(f, "tdD") == 0) {
			t->kind = PV_AK_DATE32;
			t->width = 4;
			return 0;
		}
		if (n == 3 && strcmp(f, "tdm") == 0) {
			t->kind = PV_AK_DATE64;
			t->width = 8;
			return 0;
		}
		if (n == 3 && f[1] == 't' && unit_of(f[2], &u) == 0) {
			t->kind = PV_AK_TIME;
			t->unit = u;
			t->width = u <= PV_AUNIT_MS ? 4 : 8;
			return 0;
		}
		if (n == 3 && f[1] == 'D' && unit_of(f[2], &u) == 0) {
			t->kind = PV_AK_DURATION;
			t->unit = u;
			t->width = 8;
			return 0;
		}
		if (n >= 4 && f[1] == 's' && f[3] == ':' && unit_of(f[2], &u) == 0) {
			t->kind = PV_AK_TIMESTAMP;
			t->unit = u;
			t->width = 8;
			t->tz_name = f + 4;
			t->tz = f[4] != '\0';
			return 0;
		}
		if (n == 3 && f[1] == 'i' && (f[2] == 'M' || f[2] == 'D' || f[2] == 'n')) {
			t->kind = f[2] == 'M'	? PV_AK_IV_MONTHS
				  : f[2] == 'D' ? PV_AK_IV_DAYTIME
						: PV_AK_IV_MDN;
			t->width = f[2] == 'M' ? 4 : f[2] == 'D' ? 8 : 16;
			return 0;
		}
	}
	if (f[0] == '+' && n == 2) {
		switch (f[1]) {
		case 'l':
			t->kind = PV_AK_LIST;
			t->width = 4;
			return 0;
		case 'L':
			t->kind = PV_AK_LIST;
			t->width = 8;
			return 0;
		case 's':
			t->kind = PV_AK_STRUCT;
			return 0;
		case 'm':
			t->kind = PV_AK_MAP;
			t->width = 4;
			return 0;
		}
	}
	return pv_err_set(p->err, PV_EUNSUPPORTED, "unsupported arrow format '%s'", f);
}

static int parse_node(parser *p, const struct ArrowSchema *s, int depth, pv_atype **out);

static int parse_children(parser *p, const struct ArrowSchema *s, pv_atype *t, int depth)
{
	size_t want;
	switch (t->kind) {
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST:
	case PV_AK_MAP:
		want = 1;
		break;
	case PV_AK_STRUCT:
		want = (size_t)s->n_children;
		break;
	default:
		want = 0;
		break;
	}
	if ((size_t)s->n_children != want)
		return pv_err_set(p->err, PV_EINVAL,
				  "format '%s' takes %zu children, the schema has %" PRId64,
				  s->format, want, s->n_children);
	if (want == 0)
		return 0;
	t->children = pv_arena_array(p->arena, want, sizeof *t->children, p->err);
	if (!t->children)
		return p->err ? p->err->code : PV_ENOMEM;
	for (size_t k = 0; k < want; k++) {
		int rc = parse_node(p, s->children[k], depth + 1, &t->children[k]);
		if (rc)
			return rc;
	}
	t->n_children = want;
	if (t->kind == PV_AK_MAP) {
		const pv_atype *e = t->children[0];
		if (e->kind != PV_AK_STRUCT || e->n_children != 2 || e->dict)
			return pv_err_set(p->err, PV_EINVAL,
					  "map entries must be a struct of key and value");
	}
	return 0;
}

static int parse_node(parser *p, const struct ArrowSchema *s, int depth, pv_atype **out)
{
	if (depth > PV_ATYPE_MAX_DEPTH)
		return pv_err_set(p->err, PV_ELIMIT, "types nest deeper than %d levels",
				  PV_ATYPE_MAX_DEPTH);
	if (!s || !s->format)
		return pv_err_set(p->err, PV_EINVAL, "schema without a format string");
	if (s->n_children < 0 || (s->n_children > 0 && !s->children))
		return pv_err_set(p->err, PV_EINVAL, "schema with an invalid list of children");
	if (s->n_children > PV_ATYPE_MAX_NODES || ++p->n_nodes > PV_ATYPE_MAX_NODES)
		return pv_err_set(p->err, PV_ELIMIT, "schema has more than %d fields",
				  PV_ATYPE_MAX_NODES);
	pv_atype *t = pv_arena_alloc(p->arena, sizeof *t, p->err);
	if (!t)
		return p->err ? p->err->code : PV_ENOMEM;
	/* copies: the schema may be released while the tree is in use */
	t->name = pv_arena_strndup(p->arena, s->name ? s->name : "", s->name ? strlen(s->name) : 0,
	                           p->err);
	t->format = pv_arena_strndup(p->arena, s->format, strlen(s->format), p->err);
	if (!t->name || !t->format)
		return p->err ? p->err->code : PV_ENOMEM;
	t->tz_name = "";
	int rc = parse_format(p, t, t->format);
	if (!rc)
		rc = parse_children(p, s, t, depth);
	if (!rc && s->dictionary) {
		if (t->kind != PV_AK_INT && t->kind != PV_AK_UINT)
			rc = pv_err_set(p->err, PV_EINVAL,
					"dictionary indices of format '%s' are not integers",
					s->format);
		else
			rc = parse_node(p, s->dictionary, depth + 1, &t->dict);
	}
	if (rc) {
		if (*t->name)
			pv_err_prefix(p->err, "field '%s'", t->name);
		return rc;
	}
	int32_t en = 0;
	const char *ev = ext_name(s->metadata, &en);
	if (ext_is(ev, en, "arrow.uuid") && t->kind == PV_AK_FIXED && t->width == 16 && !t->dict)
		t->ext = PV_AEXT_UUID;
	else if (ext_is(ev, en, "arrow.json") && !t->dict &&
		 (t->kind == PV_AK_STRING || t->kind == PV_AK_STRVIEW))
		t->ext = PV_AEXT_JSON;
	*out = t;
	return 0;
}

int pv_atype_parse(pv_arena *arena, const struct ArrowSchema *schema, pv_atype **out, pv_err *err)
{
	parser p = {arena, 0, err};
	*out = NULL;
	return parse_node(&p, schema, 0, out);
}

/* ---- the batch check ---- */

/* Buffers the layout of t has; -1 for "at least 3" (views). */
static int64_t n_buffers_of(const pv_atype *t)
{
	if (t->dict)
		return 2;
	switch (t->kind) {
	case PV_AK_NULL:
		return 0;
	case PV_AK_STRING:
	case PV_AK_BINARY:
		return 3;
	case PV_AK_STRVIEW:
	case PV_AK_BINVIEW:
		return -1;
	case PV_AK_FIXED_LIST:
	case PV_AK_STRUCT:
		return 1;
	default:
		return 2;
	}
}

static int check_rec(const pv_atype *t, const struct ArrowArray *a, pv_err *err);

static int check_child(const pv_atype *t, const struct ArrowArray *a, size_t k, int64_t need,
		       pv_err *err)
{
	const pv_atype *ct = t->children[k];
	const struct ArrowArray *ca = a->children[k];
	int rc = check_rec(ct, ca, err);
	if (!rc && ca->length < need)
		rc = pv_err_set(err, PV_ECORRUPT,
				"%" PRId64 " values where its parent needs %" PRId64, ca->length,
				need);
	if (rc && *ct->name)
		pv_err_prefix(err, "field '%s'", ct->name);
	return rc;
}

static int check_rec(const pv_atype *t, const struct ArrowArray *a, pv_err *err)
{
	if (!a)
		return pv_err_set(err, PV_ECORRUPT, "array missing for format '%s'", t->format);
	if (a->length < 0 || a->offset < 0 || a->length > INT64_MAX - a->offset)
		return pv_err_set(err, PV_ECORRUPT,
				  "array length %" PRId64 " and offset %" PRId64 " are invalid",
				  a->length, a->offset);
	if (a->n_buffers < 0 || a->n_children < 0 || (a->n_buffers > 0 && !a->buffers) ||
	    (a->n_children > 0 && !a->children))
		return pv_err_set(err, PV_ECORRUPT, "array with invalid buffer or child lists");
	int64_t want = n_buffers_of(t);
	if (t->kind != PV_AK_NULL || t->dict) {
		if (want < 0 ? a->n_buffers < 3 : a->n_buffers != want)
			return pv_err_set(err, PV_ECORRUPT,
					  "array of format '%s' has %" PRId64
					  " buffers, expected %s%" PRId64,
					  t->format, a->n_buffers, want < 0 ? "at least " : "",
					  want < 0 ? (int64_t)3 : want);
	}
	size_t n_kids = t->dict ? 0 : t->n_children;
	if ((uint64_t)a->n_children != n_kids)
		return pv_err_set(err, PV_ECORRUPT,
				  "array of format '%s' has %" PRId64 " children, expected %zu",
				  t->format, a->n_children, n_kids);
	for (int64_t k = 0; k < a->n_children; k++)
		if (!a->children[k])
			return pv_err_set(err, PV_ECORRUPT, "array child %" PRId64 " missing", k);
	int64_t end = a->offset + a->length;

	/* buffer 1 (values, offsets or views) must cover offset + length
	 * elements; only the arithmetic can be checked here */
	bool has_values = t->dict || !(t->kind == PV_AK_NULL || t->kind == PV_AK_STRUCT ||
				       t->kind == PV_AK_FIXED_LIST);
	if (has_values) {
		int64_t elems = end, bytes;
		bool variable = !t->dict && (t->kind == PV_AK_STRING || t->kind == PV_AK_BINARY ||
					     t->kind == PV_AK_LIST || t->kind == PV_AK_MAP);
		if (variable)
			elems = end + (end < INT64_MAX); /* one more offset than values */
		if (t->kind == PV_AK_BOOL && !t->dict)
			bytes = end / 8 + 1;
		else if (__builtin_mul_overflow(elems, t->width, &bytes))
			return pv_err_set(err, PV_ECORRUPT,
					  "array of %" PRId64 " values of %" PRId64
					  " bytes is too large",
					  end, t->width);
		if (a->length > 0 && bytes > 0 && !a->buffers[1])
			return pv_err_set(err, PV_ECORRUPT,
					  "array of format '%s' has no data buffer", t->format);
	}
	if (want < 0) {
		/* views: the last buffer holds the sizes of the variadic ones */
		if (a->n_buffers > 3 && !a->buffers[a->n_buffers - 1])
			return pv_err_set(err, PV_ECORRUPT, "view array without its buffer sizes");
	}
	if (t->dict) {
		if (!a->dictionary)
			return pv_err_set(err, PV_ECORRUPT,
					  "dictionary-encoded array without a dictionary");
		int rc = check_rec(t->dict, a->dictionary, err);
		if (rc)
			pv_err_prefix(err, "dictionary");
		return rc;
	}
	switch (t->kind) {
	case PV_AK_STRUCT:
		for (size_t k = 0; k < t->n_children; k++) {
			int rc = check_child(t, a, k, end, err);
			if (rc)
				return rc;
		}
		return 0;
	case PV_AK_FIXED_LIST: {
		int64_t need;
		if (__builtin_mul_overflow(end, t->n_fixed, &need))
			return pv_err_set(err, PV_ECORRUPT,
					  "fixed-size list of %" PRId64 " x %" PRId64
					  " items is too large",
					  end, t->n_fixed);
		return check_child(t, a, 0, need, err);
	}
	case PV_AK_LIST:
	case PV_AK_MAP:
		/* offsets are checked per cell against the child's length */
		return check_child(t, a, 0, 0, err);
	default:
		return 0;
	}
}

int pv_atype_check(const pv_atype *t, const struct ArrowArray *array, pv_err *err)
{
	return check_rec(t, array, err);
}

/* ---- type facts ---- */

const pv_atype *pv_atype_value(const pv_atype *t)
{
	while (t->dict)
		t = t->dict;
	return t;
}

bool pv_atype_numeric(const pv_atype *t)
{
	switch (pv_atype_value(t)->kind) {
	case PV_AK_INT:
	case PV_AK_UINT:
	case PV_AK_F16:
	case PV_AK_F32:
	case PV_AK_F64:
	case PV_AK_DECIMAL:
		return true;
	default:
		return false;
	}
}

bool pv_atype_nested(const pv_atype *t)
{
	switch (pv_atype_value(t)->kind) {
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST:
	case PV_AK_STRUCT:
	case PV_AK_MAP:
		return true;
	default:
		return false;
	}
}

static const char *unit_name(pv_aunit u)
{
	static const char *const names[] = {"s", "ms", "us", "ns"};
	return names[u];
}

int pv_atype_name(const pv_atype *t, pv_buf *out, pv_err *err)
{
	t = pv_atype_value(t);
	if (t->ext == PV_AEXT_UUID)
		return pv_buf_puts(out, "uuid", err);
	if (t->ext == PV_AEXT_JSON)
		return pv_buf_puts(out, "json", err);
	int rc;
	switch (t->kind) {
	case PV_AK_NULL:
		return pv_buf_puts(out, "null", err);
	case PV_AK_BOOL:
		return pv_buf_puts(out, "bool", err);
	case PV_AK_INT:
		return pv_buf_printf(out, err, "int%d", (int)t->width * 8);
	case PV_AK_UINT:
		return pv_buf_printf(out, err, "uint%d", (int)t->width * 8);
	case PV_AK_F16:
		return pv_buf_puts(out, "float16", err);
	case PV_AK_F32:
		return pv_buf_puts(out, "float32", err);
	case PV_AK_F64:
		return pv_buf_puts(out, "float64", err);
	case PV_AK_DECIMAL:
		return pv_buf_printf(out, err, "decimal(%" PRId32 ",%" PRId32 ")", t->precision,
				     t->scale);
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
		return pv_buf_puts(out, "string", err);
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
		return pv_buf_puts(out, "binary", err);
	case PV_AK_FIXED:
		return pv_buf_printf(out, err, "binary(%" PRId64 ")", t->width);
	case PV_AK_DATE32:
	case PV_AK_DATE64:
		return pv_buf_puts(out, "date", err);
	case PV_AK_TIME:
		return pv_buf_printf(out, err, "time(%s)", unit_name(t->unit));
	case PV_AK_TIMESTAMP:
		if (t->tz)
			return pv_buf_printf(out, err, "timestamp(%s, %s)", unit_name(t->unit),
					     t->tz_name);
		return pv_buf_printf(out, err, "timestamp(%s)", unit_name(t->unit));
	case PV_AK_DURATION:
		return pv_buf_printf(out, err, "duration(%s)", unit_name(t->unit));
	case PV_AK_IV_MONTHS:
		return pv_buf_puts(out, "interval(months)", err);
	case PV_AK_IV_DAYTIME:
		return pv_buf_puts(out, "interval(day_time)", err);
	case PV_AK_IV_MDN:
		return pv_buf_puts(out, "interval(month_day_nano)", err);
	case PV_AK_LIST:
		rc = pv_buf_puts(out, "list<", err);
		if (!rc)
			rc = pv_atype_name(t->children[0], out, err);
		return rc ? rc : pv_buf_putc(out, '>', err);
	case PV_AK_FIXED_LIST:
		rc = pv_atype_name(t->children[0], out, err);
		return rc ? rc : pv_buf_printf(out, err, "[%" PRId64 "]", t->n_fixed);
	case PV_AK_STRUCT:
		rc = pv_buf_puts(out, "struct<", err);
		for (size_t k = 0; !rc && k < t->n_children; k++) {
			rc = pv_buf_printf(out, err, "%s%s: ", k ? ", " : "", t->children[k]->name);
			if (!rc)
				rc = pv_atype_name(t->children[k], out, err);
		}
		return rc ? rc : pv_buf_putc(out, '>', err);
	case PV_AK_MAP:
		rc = pv_buf_puts(out, "map<", err);
		if (!rc)
			rc = pv_atype_name(t->children[0]->children[0], out, err);
		if (!rc)
			rc = pv_buf_puts(out, ", ", err);
		if (!rc)
			rc = pv_atype_name(t->children[0]->children[1], out, err);
		return rc ? rc : pv_buf_putc(out, '>', err);
	}
	return pv_err_set(err, PV_EINTERNAL, "unknown arrow kind %d", (int)t->kind);
}

/* ---- cells ---- */

static const uint8_t *buf_at(const struct ArrowArray *a, int64_t k)
{
	return (const uint8_t *)a->buffers[k];
}

/* A native-endian integer of width bytes, sign- or zero-extended. */
static int64_t read_int(const uint8_t *p, int64_t width, bool is_signed)
{
	switch (width) {
	case 1:
		return is_signed ? (int64_t)(int8_t)p[0] : (int64_t)p[0];
	case 2: {
		uint16_t v;
		memcpy(&v, p, 2);
		return is_signed ? (int64_t)(int16_t)v : (int64_t)v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, p, 4);
		return is_signed ? (int64_t)(int32_t)v : (int64_t)v;
	}
	default: {
		int64_t v;
		memcpy(&v, p, 8);
		return v;
	}
	}
}

static bool valid_bit(const pv_atype *t, const struct ArrowArray *a, int64_t i)
{
	if (t->kind == PV_AK_NULL && !t->dict)
		return false;
	if (a->null_count == 0 || a->n_buffers < 1 || !a->buffers[0])
		return true;
	int64_t bit = a->offset + i;
	return (buf_at(a, 0)[bit >> 3] >> (bit & 7)) & 1;
}

const uint8_t *pv_acell_raw(const pv_acell *c)
{
	return buf_at(c->a, 1) + (c->a->offset + c->i) * c->t->width;
}

int64_t pv_acell_int(const pv_acell *c)
{
	return read_int(pv_acell_raw(c), c->t->width, c->t->kind != PV_AK_UINT);
}

int pv_acell_resolve(pv_acell *c, bool *out_null, pv_err *err)
{
	/* the depth of dictionaries is bounded by the parsed type tree */
	for (;;) {
		if (!valid_bit(c->t, c->a, c->i)) {
			*out_null = true;
			return 0;
		}
		if (!c->t->dict) {
			*out_null = false;
			return 0;
		}
		int64_t phys = c->a->offset + c->i;
		int64_t k = read_int(buf_at(c->a, 1) + phys * c->t->width, c->t->width,
				     c->t->kind == PV_AK_INT);
		const struct ArrowArray *d = c->a->dictionary;
		/* an unsigned 64-bit index above INT64_MAX reads negative */
		if (k < 0 || k >= d->length)
			return pv_err_set(err, PV_ECORRUPT,
					  "dictionary index %" PRId64 " out of range (%" PRId64
					  " values)",
					  k, d->length);
		c->t = c->t->dict;
		c->a = d;
		c->i = k;
	}
}

/* Offsets [*s, *e) of element phys of a variable-length array. */
static int offsets(const pv_acell *c, int64_t *s, int64_t *e, pv_err *err)
{
	int64_t phys = c->a->offset + c->i, w = c->t->width;
	const uint8_t *o = buf_at(c->a, 1);
	*s = read_int(o + phys * w, w, true);
	*e = read_int(o + (phys + 1) * w, w, true);
	if (*s < 0 || *e < *s)
		return pv_err_set(err, PV_ECORRUPT, "offsets %" PRId64 "..%" PRId64 " are invalid",
				  *s, *e);
	return 0;
}

int pv_acell_bytes(const pv_acell *c, const uint8_t **out_p, size_t *out_n, pv_err *err)
{
	const struct ArrowArray *a = c->a;
	int64_t phys = a->offset + c->i;
	switch (c->t->kind) {
	case PV_AK_STRING:
	case PV_AK_BINARY: {
		int64_t s, e;
		int rc = offsets(c, &s, &e, err);
		if (rc)
			return rc;
		if ((uint64_t)(e - s) > SIZE_MAX)
			return pv_err_set(err, PV_ELIMIT, "value too large");
		if (e > s && !a->buffers[2])
			return pv_err_set(err, PV_ECORRUPT, "string array without a data buffer");
		*out_p = e > s ? buf_at(a, 2) + s : (const uint8_t *)"";
		*out_n = (size_t)(e - s);
		return 0;
	}
	case PV_AK_FIXED:
		*out_p = c->t->width ? buf_at(a, 1) + phys * c->t->width : (const uint8_t *)"";
		*out_n = (size_t)c->t->width;
		return 0;
	case PV_AK_STRVIEW:
	case PV_AK_BINVIEW: {
		const uint8_t *v = buf_at(a, 1) + phys * 16;
		int32_t len, idx, off;
		memcpy(&len, v, 4);
		if (len < 0)
			return pv_err_set(err, PV_ECORRUPT, "view length %" PRId32 " is negative",
					  len);
		if (len <= 12) {
			*out_p = v + 4;
			*out_n = (size_t)len;
			return 0;
		}
		memcpy(&idx, v + 8, 4);
		memcpy(&off, v + 12, 4);
		int64_t n_data = a->n_buffers - 3;
		if (idx < 0 || idx >= n_data)
			return pv_err_set(err, PV_ECORRUPT,
					  "view buffer %" PRId32 " out of range (%" PRId64
					  " buffers)",
					  idx, n_data);
		int64_t size;
		memcpy(&size, buf_at(a, a->n_buffers - 1) + (int64_t)idx * 8, 8);
		if (off < 0 || (int64_t)off + len > size || !a->buffers[2 + idx])
			return pv_err_set(err, PV_ECORRUPT,
					  "view of %" PRId32 " bytes at %" PRId32
					  " outside its buffer",
					  len, off);
		*out_p = buf_at(a, 2 + idx) + off;
		*out_n = (size_t)len;
		return 0;
	}
	default:
		return pv_err_set(err, PV_EINTERNAL, "format '%s' has no bytes", c->t->format);
	}
}

int pv_acell_range(const pv_acell *c, int64_t *out_start, int64_t *out_end, pv_err *err)
{
	const struct ArrowArray *child = c->a->children[0];
	if (c->t->kind == PV_AK_FIXED_LIST) {
		/* the batch check made sure (offset + length) * n fits the child */
		*out_start = (c->a->offset + c->i) * c->t->n_fixed;
		*out_end = *out_start + c->t->n_fixed;
		return 0;
	}
	int rc = offsets(c, out_start, out_end, err);
	if (!rc && *out_end > child->length)
		rc = pv_err_set(err, PV_ECORRUPT,
				"list ends at %" PRId64 " past its %" PRId64 " child values",
				*out_end, child->length);
	return rc;
}

pv_acell pv_acell_field(const pv_acell *c, size_t k)
{
	pv_acell f = {c->t->children[k], c->a->children[k], c->a->offset + c->i};
	return f;
}

/* ---- floats ---- */

static float half_to_float(uint16_t h)
{
	int sign = h >> 15, e = (h >> 10) & 31, m = h & 1023;
	float v;
	if (e == 0)
		v = ldexpf((float)m, -24);
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = ldexpf((float)(m | 1024), e - 25);
	return sign ? -v : v;
}

/* The float16 nearest to d (ties to even), for finite d. */
static uint16_t half_from_double(double d)
{
	uint16_t sign = signbit(d) ? 0x8000 : 0;
	d = fabs(d);
	if (d >= 65520.0) /* halfway between 65504 and 2^16 rounds up to infinity */
		return sign | 0x7c00;
	if (d < 0x1p-14) /* subnormal: units of 2^-24; 1024 units is the least normal */
		return sign | (uint16_t)nearbyint(d * 0x1p24);
	int e;
	double m = frexp(d, &e); /* d = m * 2^e, 0.5 <= m < 1 */
	double q = nearbyint(m * 2048.0);
	if (q == 2048.0) {
		q = 1024.0;
		e++;
	}
	if (e - 1 > 15)
		return sign | 0x7c00;
	return sign | (uint16_t)((e - 1 + 15) << 10) | (uint16_t)(q - 1024.0);
}

/* The double of the shortest decimal that reads back to the same float16,
 * so that printing the double shortest shows that decimal ("0.1", not
 * "0.0999755859375"); float32 has its fast version in render/dtoa.h. */
static bool half_reads_back(double v, int digits, uint16_t hbits, double *out)
{
	char s[40];
	snprintf(s, sizeof s, "%.*e", digits - 1, v);
	*out = strtod(s, NULL);
	return half_from_double(*out) == hbits;
}

static double half_short(double v, uint16_t hbits)
{
	/* 5 digits always read back, and if p digits do, p + 1 do: search
	 * for the fewest */
	int lo = 1, hi = 5;
	double best = v, d;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (half_reads_back(v, mid, hbits, &d))
			hi = mid;
		else
			lo = mid + 1;
	}
	if (half_reads_back(v, lo, hbits, &d))
		best = d;
	return best;
}

static double cell_double(const pv_acell *c)
{
	const uint8_t *p = buf_at(c->a, 1) + (c->a->offset + c->i) * c->t->width;
	if (c->t->kind == PV_AK_F64) {
		double d;
		memcpy(&d, p, 8);
		return d;
	}
	if (c->t->kind == PV_AK_F32) {
		float f;
		memcpy(&f, p, 4);
		return pv_dtoa_float_short(f);
	}
	uint16_t h;
	memcpy(&h, p, 2);
	float f = half_to_float(h);
	return isfinite(f) ? half_short(f, h & 0xffff) : (double)f;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int pv_acell_value(const pv_acell *c, pv_value *out, uint8_t scratch[32], pv_err *err)
{
	const pv_atype *t = c->t;
	memset(out, 0, sizeof *out);
	int64_t phys = c->a->offset + c->i;
	switch (t->kind) {
	case PV_AK_BOOL: {
		out->kind = PV_VAL_BOOL;
		out->b = (buf_at(c->a, 1)[phys >> 3] >> (phys & 7)) & 1;
		return 0;
	}
	case PV_AK_INT:
		out->kind = PV_VAL_INT;
		out->i = pv_acell_int(c);
		return 0;
	case PV_AK_UINT:
		out->kind = PV_VAL_UINT;
		out->u = (uint64_t)pv_acell_int(c);
		return 0;
	case PV_AK_F16:
	case PV_AK_F32:
	case PV_AK_F64:
		out->kind = PV_VAL_FLOAT;
		out->f = cell_double(c);
		return 0;
	case PV_AK_DECIMAL: {
		const uint8_t *p = buf_at(c->a, 1) + phys * t->width;
		size_t n = (size_t)t->width;
		/* Arrow's little-endian two's complement to pv_value's big-endian */
		for (size_t k = 0; k < n; k++)
			scratch[k] = p[n - 1 - k];
		out->kind = PV_VAL_DECIMAL;
		out->dec_bytes = true;
		out->bytes.ptr = scratch;
		out->bytes.len = n;
		out->scale = t->scale;
		out->precision = t->precision;
		return 0;
	}
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED: {
		int rc = pv_acell_bytes(c, &out->bytes.ptr, &out->bytes.len, err);
		out->kind = t->kind == PV_AK_STRING || t->kind == PV_AK_STRVIEW ? PV_VAL_STRING
			    : t->ext == PV_AEXT_UUID				? PV_VAL_UUID
										: PV_VAL_BINARY;
		return rc;
	}
	case PV_AK_DATE32:
		out->kind = PV_VAL_DATE;
		out->i = pv_acell_int(c);
		return 0;
	case PV_AK_DATE64:
		out->kind = PV_VAL_DATE;
		out->i = floor_div(pv_acell_int(c), 86400000);
		return 0;
	case PV_AK_TIME:
	case PV_AK_TIMESTAMP: {
		int64_t v = pv_acell_int(c);
		out->kind = t->kind == PV_AK_TIME ? PV_VAL_TIME : PV_VAL_TIMESTAMP;
		out->utc = t->tz;
		switch (t->unit) {
		case PV_AUNIT_S:
			if (__builtin_mul_overflow(v, 1000, &out->i))
				return pv_err_set(err, PV_ELIMIT,
						  "timestamp %" PRId64 "s out of range", v);
			out->unit = PV_UNIT_MILLIS;
			break;
		case PV_AUNIT_MS:
			out->i = v;
			out->unit = PV_UNIT_MILLIS;
			break;
		case PV_AUNIT_US:
			out->i = v;
			out->unit = PV_UNIT_MICROS;
			break;
		case PV_AUNIT_NS:
			out->i = v;
			out->unit = PV_UNIT_NANOS;
			break;
		}
		return 0;
	}
	default:
		return pv_err_set(err, PV_EINVAL, "format '%s' is not a scalar value", t->format);
	}
}
