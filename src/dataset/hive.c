/*
 * hive.c - parsing key=value directories, inferring their types and
 * converting them to values.
 * Includes only base, format and dataset.
 */
#include "dataset/hive.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/civil.h"
#include "base/hex.h"
#include "base/banned.h"

/* URL-decodes s[0..n) into the arena. */
static char *decode(pv_arena *a, const char *s, size_t n, pv_err *err)
{
	char *out = pv_arena_strndup(a, s, n, err);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		/* "%00" stays as written: a NUL would cut the C string short */
		if (s[i] == '%' && i + 2 < n && (hi = pv_hex_digit(s[i + 1])) >= 0 &&
		    (lo = pv_hex_digit(s[i + 2])) >= 0 && (hi | lo) != 0) {
			out[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	return out;
}

int pv_hive_parse(const char *relpath, pv_arena *a, pv_hive_kv **out, size_t *out_n,
                  pv_err *err)
{
	*out = NULL;
	*out_n = 0;
	/* every key=value segment ends with a '/', so that bounds the count */
	size_t cap = 0;
	for (const char *p = relpath; *p; p++)
		cap += *p == '/';
	if (cap == 0)
		return 0;
	pv_hive_kv *kv = pv_arena_array(a, cap, sizeof *kv, err);
	if (!kv)
		return err ? err->code : PV_ENOMEM;
	size_t n = 0;
	const char *seg = relpath;
	for (const char *slash; (slash = strchr(seg, '/')); seg = slash + 1) {
		const char *eq = memchr(seg, '=', (size_t)(slash - seg));
		if (!eq || eq == seg)
			continue;
		char *key = decode(a, seg, (size_t)(eq - seg), err);
		char *val = decode(a, eq + 1, (size_t)(slash - eq - 1), err);
		if (!key || !val)
			return err ? err->code : PV_ENOMEM;
		const char *v = (!*val || strcmp(val, PV_HIVE_NULL) == 0) ? NULL : val;
		size_t k = 0;
		while (k < n && strcmp(kv[k].key, key) != 0)
			k++;
		kv[k].key = key;
		kv[k].value = v;
		if (k == n)
			n++;
	}
	if (n) {
		*out = kv;
		*out_n = n;
	}
	return 0;
}

/* ---- recognising values ---- */

static bool parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	if (*p < '0' || *p > '9')
		return false;
	if (p[0] == '0' && p[1] != '\0')
		return false; /* leading zeros are an identifier, not a number */
	uint64_t v = 0;
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		unsigned d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (neg && v == 0)
		return false; /* "-0" would not round-trip */
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool parse_double(const char *s, double *out)
{
	/* digits with an optional sign, point and exponent; strtod alone would
	 * also take "nan", "inf", hex floats and leading blanks */
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	const char *d0 = p;
	while (*p >= '0' && *p <= '9')
		p++;
	size_t n_digits = (size_t)(p - d0);
	if (n_digits > 1 && d0[0] == '0')
		return false; /* "007" is an identifier here too */
	if (*p == '.') {
		const char *f0 = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		n_digits += (size_t)(p - f0);
	}
	if (n_digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	char *end;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* YYYY-MM-DD at s; the number of characters or 0. */
static size_t parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		return 0;
	if (d < 1 || d > pv_civil_days_in_month(y, m))
		return 0;
	*days = pv_civil_to_days(y, m, d);
	return 10;
}

/* A date, or a date and a time of day; micros since the epoch. */
static bool parse_timestamp(const char *s, int64_t *micros, bool *date_only)
{
	int64_t days;
	if (!parse_date(s, &days))
		return false;
	s += 10;
	*date_only = *s == '\0';
	if (*date_only) {
		*micros = days * 86400000000LL;
		return true;
	}
	int hh, mm, ss;
	if ((*s != ' ' && *s != 'T') || !digits(s + 1, 2, &hh) || s[3] != ':' ||
	    !digits(s + 4, 2, &mm) || s[6] != ':' || !digits(s + 7, 2, &ss))
		return false;
	if (hh > 23 || mm > 59 || ss > 59)
		return false;
	s += 9;
	int64_t frac = 0;
	if (*s == '.') {
		int n = 0;
		for (s++; *s >= '0' && *s <= '9'; s++, n++) {
			if (n >= 6)
				return false;
			frac = frac * 10 + (*s - '0');
		}
		if (n == 0)
			return false;
		for (; n < 6; n++)
			frac *= 10;
	}
	if (*s)
		return false;
	*micros = days * 86400000000LL + ((int64_t)hh * 3600 + mm * 60 + ss) * 1000000 + frac;
	return true;
}

enum {
	FIT_BIGINT = 1 << PV_HIVE_BIGINT,
	FIT_DOUBLE = 1 << PV_HIVE_DOUBLE,
	FIT_DATE = 1 << PV_HIVE_DATE,
	FIT_TIMESTAMP = 1 << PV_HIVE_TIMESTAMP,
	FIT_BOOLEAN = 1 << PV_HIVE_BOOLEAN,
	FIT_ALL = FIT_BIGINT | FIT_DOUBLE | FIT_DATE | FIT_TIMESTAMP | FIT_BOOLEAN
};

/* The set of types s fits. */
static unsigned fits(const char *s)
{
	int64_t i;
	double f;
	bool date_only;
	if (!s)
		return FIT_ALL;
	if (parse_int(s, &i))
		return FIT_BIGINT | FIT_DOUBLE;
	if (parse_double(s, &f))
		return FIT_DOUBLE;
	if (parse_timestamp(s, &i, &date_only))
		return date_only ? FIT_DATE | FIT_TIMESTAMP : FIT_TIMESTAMP;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)
		return FIT_BOOLEAN;
	return 0;
}

static pv_hive_type narrowest(unsigned mask, bool any)
{
	if (!any)
		return PV_HIVE_STRING;
	for (int t = PV_HIVE_BIGINT; t < PV_HIVE_STRING; t++)
		if (mask & (1u << t))
			return (pv_hive_type)t;
	return PV_HIVE_STRING;
}

pv_hive_type pv_hive_infer(const char *const *values, size_t n_values)
{
	unsigned mask = FIT_ALL;
	bool any = false;
	for (size_t i = 0; i < n_values && mask; i++) {
		any |= values[i] != NULL;
		mask &= fits(values[i]);
	}
	return narrowest(mask, any);
}

const char *pv_hive_type_name(pv_hive_type t)
{
	switch (t) {
	case PV_HIVE_BIGINT: return "BIGINT";
	case PV_HIVE_DOUBLE: return "DOUBLE";
	case PV_HIVE_DATE: return "DATE";
	case PV_HIVE_TIMESTAMP: return "TIMESTAMP";
	case PV_HIVE_BOOLEAN: return "BOOLEAN";
	case PV_HIVE_STRING: break;
	}
	return "VARCHAR";
}

int pv_hive_value(const char *s, pv_hive_type t, pv_value *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (!s) {
		out->kind = PV_VAL_NULL;
		return 0;
	}
	bool ok = false, date_only;
	switch (t) {
	case PV_HIVE_BIGINT:
		out->kind = PV_VAL_INT;
		ok = parse_int(s, &out->i);
		break;
	case PV_HIVE_DOUBLE:
		out->kind = PV_VAL_FLOAT;
		ok = parse_double(s, &out->f);
		break;
	case PV_HIVE_DATE:
		out->kind = PV_VAL_DATE;
		ok = parse_date(s, &out->i) && s[10] == '\0';
		break;
	case PV_HIVE_TIMESTAMP:
		out->kind = PV_VAL_TIMESTAMP;
		out->unit = PV_UNIT_MICROS;
		ok = parse_timestamp(s, &out->i, &date_only);
		break;
	case PV_HIVE_BOOLEAN:
		out->kind = PV_VAL_BOOL;
		out->b = strcasecmp(s, "true") == 0;
		ok = out->b || strcasecmp(s, "false") == 0;
		break;
	case PV_HIVE_STRING:
		out->kind = PV_VAL_STRING;
		out->bytes.ptr = (const uint8_t *)s;
		out->bytes.len = strlen(s);
		ok = true;
		break;
	}
	if (!ok) {
		memset(out, 0, sizeof *out);
		return pv_err_set(err, PV_EINVAL, "'%s' is not a %s", s, pv_hive_type_name(t));
	}
	return 0;
}

int pv_hive_columns(pv_hive_kv *const *kvs, const size_t *n_kvs, size_t n_files, pv_arena *a,
                    pv_hive_column **out, size_t *out_n, bool *out_partial, pv_err *err)
{
	*out = NULL;
	*out_n = 0;
	*out_partial = false;
	/* Per column: the type mask, whether it saw a value, and in how many
	 * files it appeared. Columns grow by doubling inside the arena. */
	typedef struct acc {
		const char *key;
		unsigned mask;
		bool any;
		size_t n_files;
	} acc;
	acc *cols = NULL;
	size_t n = 0, alloc = 0;
	for (size_t f = 0; f < n_files; f++) {
		for (size_t j = 0; j < n_kvs[f]; j++) {
			const pv_hive_kv *kv = &kvs[f][j];
			size_t c = 0;
			while (c < n && strcmp(cols[c].key, kv->key) != 0)
				c++;
			if (c == n) {
				if (n == alloc) {
					size_t na = alloc ? alloc * 2 : 8;
					acc *nc = pv_arena_array(a, na, sizeof *nc, err);
					if (!nc)
						return err ? err->code : PV_ENOMEM;
					if (n)
						memcpy(nc, cols, n * sizeof *nc);
					cols = nc;
					alloc = na;
				}
				cols[n++] = (acc){ kv->key, FIT_ALL, false, 0 };
			}
			cols[c].any |= kv->value != NULL;
			cols[c].mask &= fits(kv->value);
			cols[c].n_files++;
		}
	}
	if (n == 0)
		return 0;
	pv_hive_column *res = pv_arena_array(a, n, sizeof *res, err);
	if (!res)
		return err ? err->code : PV_ENOMEM;
	for (size_t c = 0; c < n; c++) {
		res[c].key = cols[c].key;
		res[c].type = narrowest(cols[c].mask, cols[c].any);
		/* a key listed twice in one file's kvs would count twice; parse
		 * never produces that, so fewer appearances means missing somewhere */
		res[c].partial = cols[c].n_files < n_files;
		*out_partial |= res[c].partial;
	}
	*out = res;
	*out_n = n;
	return 0;
}
