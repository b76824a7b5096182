/*
 * json.c - streaming JSON output with correct escaping.
 * Includes only base.
 */
#include "base/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/digits.h"
#include "base/swar.h"
#include "base/banned.h"

static void emit(pv_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (j->buf) {
		pv_err e;
		if (pv_buf_append(j->buf, s, n, &e))
			j->error = e.code;
	} else if (n && fwrite(s, 1, n, j->out) != n) {
		j->error = PV_EIO;
	}
}

static void emits(pv_json *j, const char *s)
{
	emit(j, s, strlen(s));
}

static void init(pv_json *j, bool pretty)
{
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->error = 0;
}

void pv_json_init_file(pv_json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->buf = NULL;
	init(j, pretty);
}

void pv_json_init_buf(pv_json *j, pv_buf *buf, bool pretty)
{
	j->out = NULL;
	j->buf = buf;
	init(j, pretty);
}

static void write_string(pv_json *j, const char *s, size_t n);

static void newline(pv_json *j)
{
	if (!j->pretty)
		return;
	emit(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		emit(j, "  ", 2);
}

/* Separator before a value or a key at the current depth. */
static void before_value(pv_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			emit(j, ",", 1);
		newline(j);
	}
	j->first[j->depth] = false;
}

static void open(pv_json *j, const char *c)
{
	before_value(j);
	emits(j, c);
	if (j->depth >= PV_JSON_MAX_DEPTH) {
		j->error = PV_ELIMIT;
		return;
	}
	j->depth++;
	j->first[j->depth] = true;
}

static void close(pv_json *j, const char *c)
{
	if (j->depth == 0) {
		j->error = PV_EINTERNAL;
		return;
	}
	bool empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		newline(j);
	emits(j, c);
}

void pv_json_object_begin(pv_json *j) { open(j, "{"); }
void pv_json_object_end(pv_json *j) { close(j, "}"); }
void pv_json_array_begin(pv_json *j) { open(j, "["); }
void pv_json_array_end(pv_json *j) { close(j, "]"); }

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	else if ((c & 0xe0) == 0xc0)
		len = 2, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		len = 3, cp = c & 0x0f;
	else if ((c & 0xf8) == 0xf0)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Whether the eight bytes at p are ASCII that JSON strings take as they
 * are: none below 0x20, none from 0x80, no '"' and no '\\'. */
static bool plain8(const unsigned char *p)
{
	uint64_t x = pv_swar_load(p);
	return !(pv_swar_lt(x, 0x20) | pv_swar_eq(x, '"') | pv_swar_eq(x, '\\') | pv_swar_high(x));
}

int pv_json_escape(pv_buf *b, const char *s, size_t n, pv_err *err)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	int rc = pv_buf_putc(b, '"', err);
	size_t i = 0;
	while (!rc && i < n) {
		size_t run = i;
		/* copy the longest run of bytes that need no escaping at once,
		 * found eight bytes a step */
		while (run + 8 <= n && plain8(p + run))
			run += 8;
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			rc = pv_buf_append(b, p + i, run - i, err);
			i = run;
			continue;
		}
		unsigned char c = p[i];
		char esc[8];
		size_t elen = 2;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
			} else {
				size_t ul = utf8_len(p + i, n - i);
				if (ul) {
					rc = pv_buf_append(b, p + i, ul, err);
					i += ul;
				} else {
					rc = pv_buf_append(b, "\xef\xbf\xbd", 3, err);
					i++;
				}
				continue;
			}
		}
		rc = pv_buf_append(b, esc, elen, err);
		i++;
	}
	return rc ? rc : pv_buf_putc(b, '"', err);
}

void pv_json_key(pv_json *j, const char *key)
{
	before_value(j);
	write_string(j, key, strlen(key));
	emit(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
}

static void write_string(pv_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (j->buf) {
		/* straight into the buffer: on an error the sticky code makes
		 * the partial text moot */
		pv_err e;
		if (pv_json_escape(j->buf, s ? s : "", s ? n : 0, &e))
			j->error = e.code;
		return;
	}
	pv_buf tmp;
	pv_buf_init(&tmp, 0);
	pv_err e;
	if (pv_json_escape(&tmp, s ? s : "", s ? n : 0, &e))
		j->error = e.code;
	else
		emit(j, tmp.data, tmp.len);
	pv_buf_release(&tmp);
}

void pv_json_strn(pv_json *j, const char *s, size_t n)
{
	before_value(j);
	write_string(j, s, n);
}

void pv_json_str(pv_json *j, const char *s)
{
	if (!s) {
		pv_json_null(j);
		return;
	}
	pv_json_strn(j, s, strlen(s));
}

void pv_json_int(pv_json *j, int64_t v)
{
	char t[PV_DIGITS_MAX];
	size_t n = pv_digits_i64(v, t);
	before_value(j);
	emit(j, t, n);
}

void pv_json_uint(pv_json *j, uint64_t v)
{
	char t[PV_DIGITS_MAX];
	size_t n = pv_digits_u64(v, t);
	before_value(j);
	emit(j, t, n);
}

void pv_json_double(pv_json *j, double v)
{
	before_value(j);
	if (isnan(v)) {
		emits(j, "\"NaN\"");
		return;
	}
	if (isinf(v)) {
		emits(j, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		return;
	}
	char t[40];
	/* shortest representation that reads back to the same double */
	int n = snprintf(t, sizeof t, "%.15g", v);
	if (strtod(t, NULL) != v)
		n = snprintf(t, sizeof t, "%.17g", v);
	emit(j, t, (size_t)n);
}

void pv_json_bool(pv_json *j, bool v)
{
	before_value(j);
	emits(j, v ? "true" : "false");
}

void pv_json_null(pv_json *j)
{
	before_value(j);
	emits(j, "null");
}

void pv_json_raw(pv_json *j, const char *text, size_t n)
{
	before_value(j);
	emit(j, text, n);
}

void pv_json_kstr(pv_json *j, const char *key, const char *s)
{
	pv_json_key(j, key);
	pv_json_str(j, s);
}

void pv_json_kint(pv_json *j, const char *key, int64_t v)
{
	pv_json_key(j, key);
	pv_json_int(j, v);
}

void pv_json_kdouble(pv_json *j, const char *key, double v)
{
	pv_json_key(j, key);
	pv_json_double(j, v);
}

void pv_json_kbool(pv_json *j, const char *key, bool v)
{
	pv_json_key(j, key);
	pv_json_bool(j, v);
}

int pv_json_finish(pv_json *j)
{
	emit(j, "\n", 1);
	if (j->out && fflush(j->out))
		j->error = PV_EIO;
	return j->error;
}
