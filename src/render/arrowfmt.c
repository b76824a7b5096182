/*
 * arrowfmt.c - one Arrow cell as the text tables show and as a JSON value
 * (the forms are documented in render/rows.h), plus the check that lets
 * an arrow.json cell be embedded in JSON output as a value.
 * Scalars go through render/cell.h so that text matches DuckDB's.
 * Includes only base, format and render.
 */
#include "render/arrowval.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "render/cell.h"
#include "render/width.h"
#include "base/banned.h"

#define MAX_ITEMS 8	  /* list items and map entries shown before the rest is elided */
#define JSON_MAX_DEPTH 64 /* nesting inside one arrow.json value */

static const char ellipsis[] = "\xe2\x80\xa6"; /* … */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int unit_digits(pv_aunit u)
{
	static const int digits[] = {0, 3, 6, 9};
	return digits[u];
}

/* [-]HH:MM:SS[.fraction] of v units of 10^-digits seconds; hours are not
 * wrapped at 24 and the fraction drops its trailing zeros. */
static int put_clock(pv_buf *out, int64_t v, int digits, pv_err *err)
{
	uint64_t t = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t per = 1;
	for (int k = 0; k < digits; k++)
		per *= 10;
	uint64_t frac = t % per, secs = t / per;
	int rc = pv_buf_printf(out, err, "%s%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			       v < 0 ? "-" : "", secs / 3600, secs / 60 % 60, secs % 60);
	if (rc || frac == 0)
		return rc;
	char f[16];
	for (int k = digits - 1; k >= 0; k--) {
		f[k] = (char)('0' + frac % 10);
		frac /= 10;
	}
	size_t n = (size_t)digits;
	while (n > 0 && f[n - 1] == '0')
		n--;
	rc = pv_buf_putc(out, '.', err);
	return rc ? rc : pv_buf_append(out, f, n, err);
}

static int put_part(pv_buf *out, int64_t n, const char *unit, bool *first, pv_err *err)
{
	int rc = pv_buf_printf(out, err, "%s%" PRId64 " %s%s", *first ? "" : " ", n, unit,
			       n == 1 || n == -1 ? "" : "s");
	*first = false;
	return rc;
}

/* DuckDB's interval text: "1 year 2 months 3 days 04:05:06.000000007";
 * all zero is "00:00:00". */
static int put_interval(pv_buf *out, int32_t months, int32_t days, int64_t nanos, pv_err *err)
{
	bool first = true;
	int rc = 0;
	if (months / 12)
		rc = put_part(out, months / 12, "year", &first, err);
	if (!rc && months % 12)
		rc = put_part(out, months % 12, "month", &first, err);
	if (!rc && days)
		rc = put_part(out, days, "day", &first, err);
	if (!rc && (nanos || first)) {
		if (!first)
			rc = pv_buf_putc(out, ' ', err);
		if (!rc)
			rc = put_clock(out, nanos, 9, err);
	}
	return rc;
}

static void read_interval(const pv_acell *c, int32_t *months, int32_t *days, int64_t *nanos)
{
	const uint8_t *p = pv_acell_raw(c);
	*months = *days = 0;
	*nanos = 0;
	if (c->t->kind == PV_AK_IV_MONTHS) {
		memcpy(months, p, 4);
	} else if (c->t->kind == PV_AK_IV_DAYTIME) {
		int32_t ms;
		memcpy(days, p, 4);
		memcpy(&ms, p + 4, 4);
		*nanos = (int64_t)ms * 1000000;
	} else {
		memcpy(months, p, 4);
		memcpy(days, p + 4, 4);
		memcpy(nanos, p + 8, 8);
	}
}

/* Appends what pv_cell_json writes for v (a date or a time, which come
 * out as plain strings) without the quotes. */
static int put_json_inner(const pv_value *v, pv_buf *out, pv_err *err)
{
	pv_buf tmp;
	pv_buf_init(&tmp, 0);
	pv_json j;
	pv_json_init_buf(&j, &tmp, false);
	int rc = pv_cell_json(v, &j, err);
	if (!rc && tmp.len >= 2)
		rc = pv_buf_append(out, tmp.data + 1, tmp.len - 2, err);
	pv_buf_release(&tmp);
	return rc;
}

/* A timestamp in seconds too far out for milliseconds (beyond year
 * 292 million): the date and the time of day apart, joined as pv_cell
 * would join them. */
static int put_far_timestamp(int64_t secs, bool utc, bool iso, pv_buf *out, pv_err *err)
{
	/* the remainder apart: days * 86400 may not fit at the ends of int64 */
	int64_t rem = secs % 86400;
	if (rem < 0)
		rem += 86400;
	pv_value d = {.kind = PV_VAL_DATE, .i = floor_div(secs, 86400)};
	pv_value tm = {.kind = PV_VAL_TIME, .i = rem * 1000, .utc = utc, .unit = PV_UNIT_MILLIS};
	int rc = iso ? put_json_inner(&d, out, err) : pv_cell_text(&d, out, err);
	if (!rc)
		rc = pv_buf_putc(out, iso ? 'T' : ' ', err);
	if (!rc)
		rc = iso ? put_json_inner(&tm, out, err) : pv_cell_text(&tm, out, err);
	return rc;
}

/* A decimal with a negative scale is its unscaled digits and -scale zeros. */
static int put_decimal(const pv_value *v, pv_buf *out, pv_err *err)
{
	if (v->scale >= 0)
		return pv_cell_text(v, out, err);
	pv_value z = *v;
	z.scale = 0;
	size_t at = out->len;
	int rc = pv_cell_text(&z, out, err);
	bool zero = !rc && out->len == at + 1 && out->data[at] == '0';
	for (int32_t k = 0; !rc && !zero && k < -v->scale; k++)
		rc = pv_buf_putc(out, '0', err);
	return rc;
}

/* ---- text ---- */

typedef struct tctx {
	pv_buf *out;
	size_t limit; /* nothing more is started once out->len reaches this */
	bool cut;     /* the limit was hit: "…" written, everything stops */
	pv_err *err;
} tctx;

static size_t room(const tctx *c)
{
	return c->limit > c->out->len ? c->limit - c->out->len : 0;
}

/* True when the text is full: writes the "…" once. */
static bool full(tctx *c, int *rc)
{
	if (c->cut)
		return true;
	if (c->out->len < c->limit)
		return false;
	*rc = pv_buf_puts(c->out, ellipsis, c->err);
	c->cut = true;
	return true;
}

/* Longest prefix of p[0..n) of at most m bytes that does not split a
 * UTF-8 sequence (m < n). */
static size_t utf8_prefix(const uint8_t *p, size_t m)
{
	while (m > 0 && (p[m] & 0xc0) == 0x80)
		m--;
	return m;
}

/* Nested strings are quoted SQL-style ('it''s') so that a string "NULL"
 * and an empty string stay apart from NULL and from nothing. */
static int put_quoted(pv_buf *out, const uint8_t *p, size_t n, pv_err *err)
{
	int rc = 0;
	size_t run = 0;
	for (size_t k = 0; !rc && k < n; k++)
		if (p[k] == '\'') {
			rc = pv_buf_append(out, p + run, k + 1 - run, err);
			if (!rc)
				rc = pv_buf_putc(out, '\'', err);
			run = k + 1;
		}
	return rc ? rc : pv_buf_append(out, p + run, n - run, err);
}

static int put_cut_note(tctx *c, size_t total)
{
	c->cut = true;
	return pv_buf_printf(c->out, c->err, "%s (%zu bytes)", ellipsis, total);
}

static int text_string(tctx *c, const uint8_t *p, size_t n, bool quote)
{
	bool cut = n > room(c);
	size_t m = cut ? utf8_prefix(p, room(c)) : n;
	int rc = quote ? pv_buf_putc(c->out, '\'', c->err) : 0;
	if (!rc)
		rc = quote ? put_quoted(c->out, p, m, c->err) : pv_buf_append(c->out, p, m, c->err);
	if (!rc && quote && !cut)
		rc = pv_buf_putc(c->out, '\'', c->err);
	if (!rc && cut)
		rc = put_cut_note(c, n);
	return rc;
}

static int text_blob(tctx *c, const uint8_t *p, size_t n, bool quote)
{
	/* each byte takes 1 to 4 characters; cut on the input side */
	bool cut = n > room(c);
	pv_value v = {.kind = PV_VAL_BINARY};
	v.bytes.ptr = p;
	v.bytes.len = cut ? room(c) : n;
	int rc = quote ? pv_buf_putc(c->out, '\'', c->err) : 0;
	if (!rc)
		rc = pv_cell_text(&v, c->out, c->err);
	if (!rc && quote && !cut)
		rc = pv_buf_putc(c->out, '\'', c->err);
	if (!rc && cut)
		rc = put_cut_note(c, n);
	return rc;
}

static int text_rec(tctx *c, pv_acell cell, bool nested);

/* Items [s, s + n) of child cells, comma-separated, at most MAX_ITEMS. */
static int text_items(tctx *c, const pv_atype *ct, const struct ArrowArray *ca, int64_t s,
		      int64_t n, bool map, const char *open, const char *close)
{
	int rc = pv_buf_puts(c->out, open, c->err);
	for (int64_t k = 0; !rc && k < n && k < MAX_ITEMS; k++) {
		if (k)
			rc = pv_buf_puts(c->out, ", ", c->err);
		if (rc || full(c, &rc))
			return rc;
		pv_acell item = {ct, ca, s + k};
		if (!map) {
			rc = text_rec(c, item, true);
		} else {
			/* an entry: key: value (entries are never null in valid
			 * data; a null one is shown as NULL) */
			bool null;
			rc = pv_acell_resolve(&item, &null, c->err);
			if (!rc && null) {
				rc = pv_buf_puts(c->out, "NULL", c->err);
			} else if (!rc) {
				rc = text_rec(c, pv_acell_field(&item, 0), true);
				if (!rc && !c->cut)
					rc = pv_buf_puts(c->out, ": ", c->err);
				if (!rc && !c->cut)
					rc = text_rec(c, pv_acell_field(&item, 1), true);
			}
		}
		if (c->cut)
			return rc;
	}
	if (!rc && n > MAX_ITEMS)
		rc = pv_buf_printf(c->out, c->err, ", %s (%" PRId64 " %s)", ellipsis, n,
				   map ? "entries" : "items");
	return rc ? rc : pv_buf_puts(c->out, close, c->err);
}

static int text_struct(tctx *c, const pv_acell *cell)
{
	int rc = pv_buf_putc(c->out, '{', c->err);
	for (size_t k = 0; !rc && k < cell->t->n_children; k++) {
		if (k)
			rc = pv_buf_puts(c->out, ", ", c->err);
		if (rc || full(c, &rc))
			return rc;
		rc = pv_buf_puts(c->out, cell->t->children[k]->name, c->err);
		if (!rc)
			rc = pv_buf_append(c->out, ": ", 2, c->err);
		if (!rc)
			rc = text_rec(c, pv_acell_field(cell, k), true);
		if (c->cut)
			return rc;
	}
	return rc ? rc : pv_buf_putc(c->out, '}', c->err);
}

static int text_rec(tctx *c, pv_acell cell, bool nested)
{
	if (c->cut)
		return 0;
	bool null;
	int rc = pv_acell_resolve(&cell, &null, c->err);
	if (rc)
		return rc;
	if (null)
		return pv_buf_puts(c->out, "NULL", c->err);
	const pv_atype *t = cell.t;
	pv_value v;
	uint8_t scratch[32];
	const uint8_t *p;
	size_t n;
	int64_t s, e;
	switch (t->kind) {
	case PV_AK_NULL:
		return pv_buf_puts(c->out, "NULL", c->err);
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
		rc = pv_acell_bytes(&cell, &p, &n, c->err);
		/* JSON text is shown as it is, its own quotes telling strings */
		return rc ? rc : text_string(c, p, n, nested && t->ext != PV_AEXT_JSON);
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED:
		if (t->ext == PV_AEXT_UUID)
			break;
		rc = pv_acell_bytes(&cell, &p, &n, c->err);
		return rc ? rc : text_blob(c, p, n, nested);
	case PV_AK_DECIMAL:
		rc = pv_acell_value(&cell, &v, scratch, c->err);
		return rc ? rc : put_decimal(&v, c->out, c->err);
	case PV_AK_TIMESTAMP:
		if (t->unit == PV_AUNIT_S && pv_acell_value(&cell, &v, scratch, NULL) == PV_ELIMIT)
			return put_far_timestamp(pv_acell_int(&cell), t->tz, false, c->out, c->err);
		break;
	case PV_AK_DURATION:
		return put_clock(c->out, pv_acell_int(&cell), unit_digits(t->unit), c->err);
	case PV_AK_IV_MONTHS:
	case PV_AK_IV_DAYTIME:
	case PV_AK_IV_MDN: {
		int32_t months, days;
		int64_t nanos;
		read_interval(&cell, &months, &days, &nanos);
		return put_interval(c->out, months, days, nanos, c->err);
	}
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST:
	case PV_AK_MAP:
		rc = pv_acell_range(&cell, &s, &e, c->err);
		if (rc)
			return rc;
		return text_items(c, t->children[0], cell.a->children[0], s, e - s,
				  t->kind == PV_AK_MAP, t->kind == PV_AK_MAP ? "{" : "[",
				  t->kind == PV_AK_MAP ? "}" : "]");
	case PV_AK_STRUCT:
		return text_struct(c, &cell);
	default:
		break;
	}
	rc = pv_acell_value(&cell, &v, scratch, c->err);
	return rc ? rc : pv_cell_text(&v, c->out, c->err);
}

int pv_acell_text(const pv_acell *c, size_t budget, pv_buf *out, pv_err *err)
{
	tctx t = {out, budget ? out->len + budget : SIZE_MAX, false, err};
	if (budget > SIZE_MAX - out->len)
		t.limit = SIZE_MAX;
	return text_rec(&t, *c, false);
}

/* ---- JSON text of arrow.json cells ---- */

typedef struct jm {
	const uint8_t *s;
	size_t n, i;
	pv_buf *out;
} jm;

static bool jm_put(jm *m, const void *p, size_t n)
{
	return pv_buf_append(m->out, p, n, NULL) == 0;
}

static void jm_ws(jm *m)
{
	while (m->i < m->n && (m->s[m->i] == ' ' || m->s[m->i] == '\t' || m->s[m->i] == '\n' ||
			       m->s[m->i] == '\r'))
		m->i++;
}

static bool jm_hex(uint8_t ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool jm_digit(const jm *m)
{
	return m->i < m->n && m->s[m->i] >= '0' && m->s[m->i] <= '9';
}

static bool jm_string(jm *m)
{
	size_t start = m->i++;
	while (m->i < m->n) {
		uint8_t ch = m->s[m->i];
		if (ch == '"') {
			m->i++;
			return jm_put(m, m->s + start, m->i - start);
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (++m->i >= m->n)
				return false;
			ch = m->s[m->i];
			if (ch == 'u') {
				if (m->n - m->i < 5)
					return false;
				for (int k = 1; k <= 4; k++)
					if (!jm_hex(m->s[m->i + k]))
						return false;
				m->i += 5;
			} else if (ch && strchr("\"\\/bfnrt", ch)) {
				m->i++;
			} else {
				return false;
			}
			continue;
		}
		if (ch < 0x80) {
			m->i++;
			continue;
		}
		uint32_t cp;
		size_t l = pv_utf8_decode((const char *)m->s + m->i, m->n - m->i, &cp);
		if (!l)
			return false;
		m->i += l;
	}
	return false;
}

static bool jm_number(jm *m)
{
	size_t start = m->i;
	if (m->s[m->i] == '-')
		m->i++;
	if (m->i < m->n && m->s[m->i] == '0')
		m->i++;
	else if (jm_digit(m))
		while (jm_digit(m))
			m->i++;
	else
		return false;
	if (m->i < m->n && m->s[m->i] == '.') {
		m->i++;
		if (!jm_digit(m))
			return false;
		while (jm_digit(m))
			m->i++;
	}
	if (m->i < m->n && (m->s[m->i] == 'e' || m->s[m->i] == 'E')) {
		m->i++;
		if (m->i < m->n && (m->s[m->i] == '+' || m->s[m->i] == '-'))
			m->i++;
		if (!jm_digit(m))
			return false;
		while (jm_digit(m))
			m->i++;
	}
	return jm_put(m, m->s + start, m->i - start);
}

static bool jm_word(jm *m, const char *w)
{
	size_t n = strlen(w);
	if (m->n - m->i < n || memcmp(m->s + m->i, w, n) != 0)
		return false;
	m->i += n;
	return jm_put(m, w, n);
}

static bool jm_value(jm *m, int depth);

/* The members of an object or the items of an array, after the opener. */
static bool jm_members(jm *m, int depth, bool object)
{
	uint8_t close = object ? '}' : ']';
	jm_ws(m);
	if (m->i < m->n && m->s[m->i] == close) {
		m->i++;
		return jm_put(m, &close, 1);
	}
	for (;;) {
		if (object) {
			jm_ws(m);
			if (m->i >= m->n || m->s[m->i] != '"' || !jm_string(m))
				return false;
			jm_ws(m);
			if (m->i >= m->n || m->s[m->i] != ':')
				return false;
			m->i++;
			if (!jm_put(m, ":", 1))
				return false;
		}
		if (!jm_value(m, depth + 1))
			return false;
		jm_ws(m);
		if (m->i >= m->n)
			return false;
		uint8_t ch = m->s[m->i++];
		if (!jm_put(m, &ch, 1))
			return false;
		if (ch == close)
			return true;
		if (ch != ',')
			return false;
	}
}

static bool jm_value(jm *m, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return false;
	jm_ws(m);
	if (m->i >= m->n)
		return false;
	switch (m->s[m->i]) {
	case '{':
	case '[': {
		bool object = m->s[m->i] == '{';
		if (!jm_put(m, m->s + m->i, 1))
			return false;
		m->i++;
		return jm_members(m, depth, object);
	}
	case '"':
		return jm_string(m);
	case 't':
		return jm_word(m, "true");
	case 'f':
		return jm_word(m, "false");
	case 'n':
		return jm_word(m, "null");
	default:
		return jm_number(m);
	}
}

/* Appends the compact form of s[0..n) to out when it is exactly one valid
 * JSON value (RFC 8259, UTF-8); false otherwise. */
static bool json_minify(const uint8_t *s, size_t n, pv_buf *out)
{
	jm m = {s, n, 0, out};
	if (!jm_value(&m, 0))
		return false;
	jm_ws(&m);
	return m.i == m.n;
}

/* ---- JSON ---- */

static int json_rec(pv_json *j, pv_acell cell, pv_err *err);

static int json_string(pv_json *j, const pv_acell *cell, pv_err *err)
{
	const uint8_t *p;
	size_t n;
	int rc = pv_acell_bytes(cell, &p, &n, err);
	if (rc)
		return rc;
	if (cell->t->ext == PV_AEXT_JSON) {
		pv_buf tmp;
		pv_buf_init(&tmp, 0);
		bool ok = json_minify(p, n, &tmp);
		if (ok)
			pv_json_raw(j, tmp.data, tmp.len);
		pv_buf_release(&tmp);
		if (ok)
			return 0;
	}
	pv_json_strn(j, (const char *)p, n);
	return 0;
}

/* A value rendered as text (durations, negative-scale decimals, far
 * timestamps) as a JSON string. */
static int json_text(pv_json *j, const pv_buf *b, int rc)
{
	if (!rc)
		pv_json_strn(j, b->data ? b->data : "", b->len);
	return rc;
}

static int json_list(pv_json *j, const pv_acell *cell, pv_err *err)
{
	int64_t s, e;
	int rc = pv_acell_range(cell, &s, &e, err);
	if (rc)
		return rc;
	const pv_atype *ct = cell->t->children[0];
	const struct ArrowArray *ca = cell->a->children[0];
	pv_json_array_begin(j);
	for (int64_t k = s; !rc && k < e; k++) {
		pv_acell item = {ct, ca, k};
		if (cell->t->kind != PV_AK_MAP) {
			rc = json_rec(j, item, err);
			continue;
		}
		bool null;
		rc = pv_acell_resolve(&item, &null, err);
		if (rc)
			break;
		if (null) {
			pv_json_null(j);
			continue;
		}
		pv_json_object_begin(j);
		pv_json_key(j, "key");
		rc = json_rec(j, pv_acell_field(&item, 0), err);
		if (!rc) {
			pv_json_key(j, "value");
			rc = json_rec(j, pv_acell_field(&item, 1), err);
		}
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	return rc;
}

static int json_rec(pv_json *j, pv_acell cell, pv_err *err)
{
	bool null;
	int rc = pv_acell_resolve(&cell, &null, err);
	if (rc)
		return rc;
	if (null) {
		pv_json_null(j);
		return 0;
	}
	const pv_atype *t = cell.t;
	pv_value v;
	uint8_t scratch[32];
	pv_buf b;
	pv_buf_init(&b, 0);
	switch (t->kind) {
	case PV_AK_NULL:
		pv_json_null(j);
		break;
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
		rc = json_string(j, &cell, err);
		break;
	case PV_AK_DECIMAL:
		rc = pv_acell_value(&cell, &v, scratch, err);
		if (!rc)
			rc = json_text(j, &b, put_decimal(&v, &b, err));
		break;
	case PV_AK_DURATION:
		rc =
		    json_text(j, &b, put_clock(&b, pv_acell_int(&cell), unit_digits(t->unit), err));
		break;
	case PV_AK_IV_MONTHS:
	case PV_AK_IV_DAYTIME:
	case PV_AK_IV_MDN: {
		int32_t months, days;
		int64_t nanos;
		read_interval(&cell, &months, &days, &nanos);
		pv_json_object_begin(j);
		pv_json_kint(j, "months", months);
		pv_json_kint(j, "days", days);
		pv_json_kint(j, "nanos", nanos);
		pv_json_object_end(j);
		break;
	}
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST:
	case PV_AK_MAP:
		rc = json_list(j, &cell, err);
		break;
	case PV_AK_STRUCT:
		pv_json_object_begin(j);
		for (size_t k = 0; !rc && k < t->n_children; k++) {
			pv_json_key(j, t->children[k]->name);
			rc = json_rec(j, pv_acell_field(&cell, k), err);
		}
		pv_json_object_end(j);
		break;
	case PV_AK_TIMESTAMP:
		if (t->unit == PV_AUNIT_S &&
		    pv_acell_value(&cell, &v, scratch, NULL) == PV_ELIMIT) {
			rc = json_text(
			    j, &b, put_far_timestamp(pv_acell_int(&cell), t->tz, true, &b, err));
			break;
		}
		/* fall through */
	default:
		rc = pv_acell_value(&cell, &v, scratch, err);
		if (!rc)
			rc = pv_cell_json(&v, j, err);
		break;
	}
	pv_buf_release(&b);
	return rc;
}

int pv_acell_json(const pv_acell *c, pv_json *j, pv_err *err)
{
	int rc = json_rec(j, *c, err);
	if (j->error)
		rc = pv_err_set(err, j->error, "cannot write a json value (%s)",
				pv_code_name(j->error));
	return rc;
}
