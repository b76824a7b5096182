/*
 * stats.c - statistics values, min/max trust rules and created_by parsing
 * (see stats.h). Includes only base and format.
 */
#include "format/stats.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/cursor.h"
#include "base/banned.h"

/* Julian day of 1970-01-01. */
#define JULIAN_EPOCH 2440588
#define NANOS_PER_DAY INT64_C(86400000000000)
#define MICROS_PER_DAY INT64_C(86400000000)

static double half_to_double(uint16_t h)
{
	int sign = h >> 15;
	int exp = (h >> 10) & 0x1f;
	int mant = h & 0x3ff;
	double v;
	if (exp == 0)
		v = ldexp(mant, -24);
	else if (exp == 31)
		v = mant ? NAN : INFINITY;
	else
		v = ldexp(mant + 1024, exp - 25);
	return sign ? -v : v;
}

static int bad_len(const pv_schema_node *leaf, size_t len, size_t want, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT, "statistics value of %zu bytes for %s column '%s' (expected %zu)",
			  len, pv_physical_type_name(leaf->element->type), leaf->path, want);
}

static void set_decimal(pv_value *out, const pv_schema_element *e)
{
	out->kind = PV_VAL_DECIMAL;
	if (e->has_logical_type && e->logical_type.kind == PV_LOGICAL_DECIMAL) {
		out->scale = e->logical_type.scale;
		out->precision = e->logical_type.precision;
	} else {
		out->scale = e->has_scale ? e->scale : 0;
		out->precision = e->has_precision ? e->precision : 0;
	}
}

/* The logical kind to decode by: the LogicalType when present and known,
 * else the one a ConvertedType implies (-1 for none). */
static int logical_of(const pv_schema_element *e)
{
	if (e->has_logical_type && e->logical_type.kind != PV_LOGICAL_NONE)
		return e->logical_type.kind;
	return -1;
}

static bool is_text(const pv_schema_element *e)
{
	int lk = logical_of(e);
	if (lk == PV_LOGICAL_STRING || lk == PV_LOGICAL_ENUM || lk == PV_LOGICAL_JSON)
		return true;
	if (lk >= 0)
		return false;
	return e->has_converted_type && (e->converted_type == PV_CONV_UTF8 ||
					 e->converted_type == PV_CONV_ENUM ||
					 e->converted_type == PV_CONV_JSON);
}

static bool is_decimal(const pv_schema_element *e)
{
	int lk = logical_of(e);
	if (lk >= 0)
		return lk == PV_LOGICAL_DECIMAL;
	return e->has_converted_type && e->converted_type == PV_CONV_DECIMAL;
}

static void decode_int(const pv_schema_element *e, int64_t v, bool is64, pv_value *out)
{
	const pv_logical_type *lt = &e->logical_type;
	int lk = logical_of(e);
	out->kind = PV_VAL_INT;
	out->i = v;
	switch (lk) {
	case PV_LOGICAL_DATE:
		out->kind = PV_VAL_DATE;
		return;
	case PV_LOGICAL_DECIMAL:
		set_decimal(out, e);
		return;
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
		out->kind = lk == PV_LOGICAL_TIME ? PV_VAL_TIME : PV_VAL_TIMESTAMP;
		out->unit = lt->unit;
		out->utc = lt->utc;
		return;
	case PV_LOGICAL_INTEGER:
		if (!lt->is_signed) {
			out->kind = PV_VAL_UINT;
			out->u = is64 ? (uint64_t)v : (uint64_t)(uint32_t)v;
		}
		return;
	default:
		if (lk >= 0)
			return; /* an annotation that changes nothing here: plain integer */
		break;
	}
	if (!e->has_converted_type)
		return;
	switch (e->converted_type) {
	case PV_CONV_DATE:
		out->kind = PV_VAL_DATE;
		break;
	case PV_CONV_DECIMAL:
		set_decimal(out, e);
		break;
	case PV_CONV_TIME_MILLIS:
	case PV_CONV_TIME_MICROS:
		out->kind = PV_VAL_TIME;
		out->unit = e->converted_type == PV_CONV_TIME_MILLIS ? PV_UNIT_MILLIS : PV_UNIT_MICROS;
		out->utc = true;
		break;
	case PV_CONV_TIMESTAMP_MILLIS:
	case PV_CONV_TIMESTAMP_MICROS:
		out->kind = PV_VAL_TIMESTAMP;
		out->unit = e->converted_type == PV_CONV_TIMESTAMP_MILLIS ? PV_UNIT_MILLIS : PV_UNIT_MICROS;
		out->utc = true;
		break;
	case PV_CONV_UINT_8:
	case PV_CONV_UINT_16:
	case PV_CONV_UINT_32:
	case PV_CONV_UINT_64:
		out->kind = PV_VAL_UINT;
		out->u = is64 ? (uint64_t)v : (uint64_t)(uint32_t)v;
		break;
	default:
		break;
	}
}

static void decode_int96(const uint8_t *b, pv_value *out)
{
	int64_t nanos = (int64_t)pv_load_u64le(b);
	int64_t days = (int64_t)(int32_t)pv_load_u32le(b + 8) - JULIAN_EPOCH;
	int64_t t;
	out->kind = PV_VAL_TIMESTAMP;
	out->utc = false;
	if (!__builtin_mul_overflow(days, NANOS_PER_DAY, &t) && !__builtin_add_overflow(t, nanos, &t)) {
		out->unit = PV_UNIT_NANOS;
		out->i = t;
		return;
	}
	if (!__builtin_mul_overflow(days, MICROS_PER_DAY, &t) && !__builtin_add_overflow(t, nanos / 1000, &t)) {
		out->unit = PV_UNIT_MICROS;
		out->i = t;
		return;
	}
	out->kind = PV_VAL_INT96RAW;
	out->bytes.ptr = b;
	out->bytes.len = 12;
}

int pv_stats_value(const pv_schema_node *leaf, const uint8_t *bytes, size_t len,
		   pv_value *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	const pv_schema_element *e = leaf->element;
	int lk = logical_of(e);
	switch (e->type) {
	case PV_TYPE_BOOLEAN:
		if (len != 1)
			return bad_len(leaf, len, 1, err);
		out->kind = PV_VAL_BOOL;
		out->b = bytes[0] != 0;
		return 0;
	case PV_TYPE_INT32:
		if (len != 4)
			return bad_len(leaf, len, 4, err);
		decode_int(e, (int32_t)pv_load_u32le(bytes), false, out);
		return 0;
	case PV_TYPE_INT64:
		if (len != 8)
			return bad_len(leaf, len, 8, err);
		decode_int(e, (int64_t)pv_load_u64le(bytes), true, out);
		return 0;
	case PV_TYPE_INT96:
		if (len != 12)
			return bad_len(leaf, len, 12, err);
		decode_int96(bytes, out);
		return 0;
	case PV_TYPE_FLOAT: {
		if (len != 4)
			return bad_len(leaf, len, 4, err);
		uint32_t u = pv_load_u32le(bytes);
		float f;
		memcpy(&f, &u, sizeof f);
		out->kind = PV_VAL_FLOAT;
		out->f = f;
		return 0;
	}
	case PV_TYPE_DOUBLE: {
		if (len != 8)
			return bad_len(leaf, len, 8, err);
		uint64_t u = pv_load_u64le(bytes);
		out->kind = PV_VAL_FLOAT;
		memcpy(&out->f, &u, sizeof out->f);
		return 0;
	}
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		if (lk == PV_LOGICAL_FLOAT16) {
			if (len != 2)
				return bad_len(leaf, len, 2, err);
			out->kind = PV_VAL_FLOAT;
			out->f = half_to_double((uint16_t)(bytes[0] | bytes[1] << 8));
			return 0;
		}
		if (lk == PV_LOGICAL_UUID) {
			if (len != 16)
				return bad_len(leaf, len, 16, err);
			out->kind = PV_VAL_UUID;
			out->bytes.ptr = bytes;
			out->bytes.len = 16;
			return 0;
		}
		if (lk < 0 && e->has_converted_type && e->converted_type == PV_CONV_INTERVAL) {
			if (len != 12)
				return bad_len(leaf, len, 12, err);
			out->kind = PV_VAL_INTERVAL;
			out->interval.months = pv_load_u32le(bytes);
			out->interval.days = pv_load_u32le(bytes + 4);
			out->interval.millis = pv_load_u32le(bytes + 8);
			return 0;
		}
		/* the rest reads like BYTE_ARRAY */
		__attribute__((fallthrough));
	case PV_TYPE_BYTE_ARRAY:
		out->bytes.ptr = bytes;
		out->bytes.len = len;
		if (is_decimal(e)) {
			set_decimal(out, e);
			out->dec_bytes = true;
		} else if (is_text(e)) {
			out->kind = PV_VAL_STRING;
		} else {
			out->kind = PV_VAL_BINARY;
		}
		return 0;
	}
	return pv_err_set(err, PV_EINTERNAL, "column '%s' has no physical type", leaf->path);
}

/* ------------------------------------------------------------------ trust */

/* The deprecated min/max were compared as signed values; that is the
 * column's own order only for these. */
static bool signed_order(const pv_schema_element *e)
{
	int lk = logical_of(e);
	switch (e->type) {
	case PV_TYPE_BOOLEAN:
		return true;
	case PV_TYPE_INT32:
	case PV_TYPE_INT64:
		if (lk == PV_LOGICAL_INTEGER)
			return e->logical_type.is_signed;
		if (lk == PV_LOGICAL_FUTURE)
			return false;
		if (lk < 0 && e->has_converted_type &&
		    (e->converted_type >= PV_CONV_UINT_8 && e->converted_type <= PV_CONV_UINT_64))
			return false;
		return true;
	case PV_TYPE_FLOAT:
	case PV_TYPE_DOUBLE:
		return true;
	default:
		return false;
	}
}

/* Types whose order the spec leaves undefined. */
static bool undefined_order(const pv_schema_element *e)
{
	int lk = logical_of(e);
	if (lk == PV_LOGICAL_VARIANT || lk == PV_LOGICAL_GEOMETRY || lk == PV_LOGICAL_GEOGRAPHY ||
	    lk == PV_LOGICAL_FUTURE || lk == PV_LOGICAL_VECTOR)
		return true;
	return lk < 0 && e->has_converted_type && e->converted_type == PV_CONV_INTERVAL;
}

static bool is_floating(const pv_schema_element *e)
{
	return e->type == PV_TYPE_FLOAT || e->type == PV_TYPE_DOUBLE ||
	       (e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY && logical_of(e) == PV_LOGICAL_FLOAT16);
}

static bool order_trusted(const pv_schema_node *leaf, const pv_file_meta *m)
{
	const pv_schema_element *e = leaf->element;
	if (!m || !m->has_column_orders || leaf->leaf_index >= m->n_column_orders)
		return false;
	switch (m->column_orders[leaf->leaf_index].kind) {
	case PV_ORDER_TYPE_DEFINED:
		return e->type != PV_TYPE_INT96 && !undefined_order(e);
	case PV_ORDER_IEEE754_TOTAL:
		return is_floating(e);
	case PV_ORDER_INT96_TIMESTAMP:
		return e->type == PV_TYPE_INT96;
	default:
		return false;
	}
}

int pv_stats_minmax(const pv_column_chunk *cc, const pv_schema_node *leaf, const char *created_by,
		    pv_value *out_min, pv_value *out_max, bool *out_trusted, pv_err *err)
{
	memset(out_min, 0, sizeof *out_min);
	memset(out_max, 0, sizeof *out_max);
	*out_trusted = false;
	if (!cc->has_meta_data || !cc->meta_data.has_statistics)
		return 0;
	const pv_statistics *st = &cc->meta_data.statistics;
	const pv_file_meta *m = leaf->schema ? leaf->schema->meta : NULL;
	const pv_schema_element *e = leaf->element;
	if (!created_by && m)
		created_by = m->created_by;

	bool has_min, has_max, trusted;
	const pv_bytes *mn, *mx;
	if (st->has_min_value || st->has_max_value) {
		has_min = st->has_min_value;
		has_max = st->has_max_value;
		mn = &st->min_value;
		mx = &st->max_value;
		trusted = order_trusted(leaf, m);
	} else {
		has_min = st->has_min;
		has_max = st->has_max;
		mn = &st->min;
		mx = &st->max;
		trusted = signed_order(e);
	}
	if (!has_min && !has_max)
		return 0;
	if (!has_min || !has_max)
		trusted = false;
	if (trusted && (e->type == PV_TYPE_BYTE_ARRAY || e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY)) {
		pv_created_by v;
		pv_created_by_parse(created_by, &v);
		if (pv_created_by_before(&v, "parquet-mr", 1, 8, 0))
			trusted = false;
	}
	int rc = 0;
	if (has_min)
		rc = pv_stats_value(leaf, mn->ptr, mn->len, out_min, err);
	if (!rc && has_max)
		rc = pv_stats_value(leaf, mx->ptr, mx->len, out_max, err);
	if (rc) {
		memset(out_min, 0, sizeof *out_min);
		memset(out_max, 0, sizeof *out_max);
		pv_err_prefix(err, "statistics");
		return rc;
	}
	if ((out_min->kind == PV_VAL_FLOAT && isnan(out_min->f)) ||
	    (out_max->kind == PV_VAL_FLOAT && isnan(out_max->f)))
		trusted = false;
	*out_trusted = trusted;
	return 0;
}

/* ------------------------------------------------------------------ order */

int pv_stats_cmp_be_signed(const uint8_t *x, size_t nx, const uint8_t *y, size_t ny)
{
	bool negx = nx && (x[0] & 0x80), negy = ny && (y[0] & 0x80);
	if (negx != negy)
		return negx ? -1 : 1;
	/* same sign: sign-extend the shorter to the longer, then the bytes
	 * order as unsigned */
	size_t n = nx > ny ? nx : ny;
	uint8_t fill = negx ? 0xff : 0x00;
	for (size_t i = 0; i < n; i++) {
		uint8_t bx = i + nx < n ? fill : x[i + nx - n];
		uint8_t by = i + ny < n ? fill : y[i + ny - n];
		if (bx != by)
			return bx < by ? -1 : 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ created_by */

static const char *parse_int(const char *p, int *out)
{
	long v = 0;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p)) {
		if (v < 100000000)
			v = v * 10 + (*p - '0');
		p++;
	}
	*out = (int)v;
	return p;
}

bool pv_created_by_parse(const char *s, pv_created_by *out)
{
	memset(out, 0, sizeof *out);
	if (!s)
		return false;
	const char *ver = strstr(s, " version ");
	size_t app_len = ver ? (size_t)(ver - s) : strcspn(s, " ");
	if (app_len >= sizeof out->application)
		app_len = sizeof out->application - 1;
	for (size_t i = 0; i < app_len; i++)
		out->application[i] = (char)tolower((unsigned char)s[i]);
	out->application[app_len] = '\0';
	if (!ver)
		return false;
	const char *p = ver + strlen(" version ");
	p = parse_int(p, &out->major);
	if (!p)
		return false;
	out->has_version = true;
	if (*p == '.' && (p = parse_int(p + 1, &out->minor)) != NULL && *p == '.')
		p = parse_int(p + 1, &out->patch);
	if (p && *p == '-') {
		p++;
		size_t n = strcspn(p, " (");
		if (n >= sizeof out->pre)
			n = sizeof out->pre - 1;
		memcpy(out->pre, p, n);
		out->pre[n] = '\0';
	}
	return true;
}

bool pv_created_by_before(const pv_created_by *v, const char *app, int major, int minor, int patch)
{
	if (!v->has_version || strcmp(v->application, app) != 0)
		return false;
	if (v->major != major)
		return v->major < major;
	if (v->minor != minor)
		return v->minor < minor;
	return v->patch < patch;
}
