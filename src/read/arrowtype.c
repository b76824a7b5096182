/*
 * arrowtype.c - Parquet types to Arrow format strings, value conversion,
 * the Arrow metadata encoder and self-owning ArrowSchema nodes (see
 * arrowtype.h for the mapping). No I/O; includes base, format and read.
 */
#include "read/arrowtype.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cursor.h"
#include "encoding/encoding.h"
#include "base/banned.h"

/* ------------------------------------------------------------------ types */

static void set_fmt(pv_leaftype *t, const char *fmt, pv_aconv conv, size_t width)
{
	snprintf(t->format, sizeof t->format, "%s", fmt);
	t->conv = conv;
	t->width = width;
}

static void physical(pv_leaftype *t)
{
	t->ext_name = NULL;
	switch (t->phys) {
	case PV_TYPE_BOOLEAN: set_fmt(t, "b", PV_ACONV_BOOL, 1); break;
	case PV_TYPE_INT32: set_fmt(t, "i", PV_ACONV_COPY, 4); break;
	case PV_TYPE_INT64: set_fmt(t, "l", PV_ACONV_COPY, 8); break;
	case PV_TYPE_INT96: set_fmt(t, "tsu:", PV_ACONV_INT96_US, 8); break;
	case PV_TYPE_FLOAT: set_fmt(t, "f", PV_ACONV_COPY, 4); break;
	case PV_TYPE_DOUBLE: set_fmt(t, "g", PV_ACONV_COPY, 8); break;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		snprintf(t->format, sizeof t->format, "w:%d", (int)(t->type_length > 0 ? t->type_length : 0));
		t->conv = PV_ACONV_FIXED;
		t->width = t->type_length > 0 ? (size_t)t->type_length : 0;
		break;
	default: set_fmt(t, "z", PV_ACONV_BINARY, 0); break;
	}
}

static const char *unit_char(pv_time_unit u)
{
	return u == PV_UNIT_MILLIS ? "m" : u == PV_UNIT_MICROS ? "u" : "n";
}

/* An integer annotation: bits 8/16/32/64 and signedness on INT32/INT64. */
static bool integer(pv_leaftype *t, int bits, bool is_signed)
{
	if (t->phys == PV_TYPE_INT32) {
		switch (bits) {
		case 8: set_fmt(t, is_signed ? "c" : "C", PV_ACONV_I32_TO_8, 1); return true;
		case 16: set_fmt(t, is_signed ? "s" : "S", PV_ACONV_I32_TO_16, 2); return true;
		case 32: set_fmt(t, is_signed ? "i" : "I", PV_ACONV_COPY, 4); return true;
		default: return false;
		}
	}
	if (t->phys == PV_TYPE_INT64 && bits == 64) {
		set_fmt(t, is_signed ? "l" : "L", PV_ACONV_COPY, 8);
		return true;
	}
	return false;
}

static bool decimal(pv_leaftype *t, int32_t precision, int32_t scale)
{
	if (precision < 1 || precision > 76 || scale < 0 || scale > precision)
		return false;
	bool wide = precision > 38;
	switch (t->phys) {
	case PV_TYPE_INT32: t->conv = PV_ACONV_DEC_I32; break;
	case PV_TYPE_INT64: t->conv = PV_ACONV_DEC_I64; break;
	case PV_TYPE_BYTE_ARRAY: t->conv = PV_ACONV_DEC_BYTES; break;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		if (t->type_length < 1)
			return false;
		t->conv = PV_ACONV_DEC_BYTES;
		break;
	default: return false;
	}
	t->width = wide ? 32 : 16;
	if (wide)
		snprintf(t->format, sizeof t->format, "d:%d,%d,256", (int)precision, (int)scale);
	else
		snprintf(t->format, sizeof t->format, "d:%d,%d", (int)precision, (int)scale);
	return true;
}

static bool timestamp(pv_leaftype *t, pv_time_unit unit, bool utc)
{
	if (t->phys != PV_TYPE_INT64 || unit > PV_UNIT_NANOS)
		return false;
	snprintf(t->format, sizeof t->format, "ts%s:%s", unit_char(unit), utc ? "UTC" : "");
	t->conv = PV_ACONV_COPY;
	t->width = 8;
	return true;
}

static bool time_of_day(pv_leaftype *t, pv_time_unit unit)
{
	if (unit == PV_UNIT_MILLIS && t->phys == PV_TYPE_INT32) {
		set_fmt(t, "ttm", PV_ACONV_COPY, 4);
		return true;
	}
	if ((unit == PV_UNIT_MICROS || unit == PV_UNIT_NANOS) && t->phys == PV_TYPE_INT64) {
		set_fmt(t, unit == PV_UNIT_MICROS ? "ttu" : "ttn", PV_ACONV_COPY, 8);
		return true;
	}
	return false;
}

static bool text(pv_leaftype *t, const char *ext)
{
	if (t->phys != PV_TYPE_BYTE_ARRAY)
		return false;
	set_fmt(t, "u", PV_ACONV_BINARY, 0);
	t->ext_name = ext;
	return true;
}

static bool from_logical(pv_leaftype *t, const pv_logical_type *lt)
{
	switch (lt->kind) {
	case PV_LOGICAL_STRING:
	case PV_LOGICAL_ENUM: return text(t, NULL);
	case PV_LOGICAL_JSON: return text(t, "arrow.json");
	case PV_LOGICAL_BSON: return t->phys == PV_TYPE_BYTE_ARRAY;
	case PV_LOGICAL_DECIMAL: return decimal(t, lt->precision, lt->scale);
	case PV_LOGICAL_DATE:
		if (t->phys != PV_TYPE_INT32)
			return false;
		set_fmt(t, "tdD", PV_ACONV_COPY, 4);
		return true;
	case PV_LOGICAL_TIME: return time_of_day(t, lt->unit);
	case PV_LOGICAL_TIMESTAMP: return timestamp(t, lt->unit, lt->utc);
	case PV_LOGICAL_INTEGER: return integer(t, lt->bit_width, lt->is_signed);
	case PV_LOGICAL_UUID:
		if (t->phys != PV_TYPE_FIXED_LEN_BYTE_ARRAY || t->type_length != 16)
			return false;
		t->ext_name = "arrow.uuid";
		return true;
	case PV_LOGICAL_FLOAT16:
		if (t->phys != PV_TYPE_FIXED_LEN_BYTE_ARRAY || t->type_length != 2)
			return false;
		set_fmt(t, "e", PV_ACONV_FIXED, 2);
		return true;
	case PV_LOGICAL_GEOMETRY:
	case PV_LOGICAL_GEOGRAPHY:
		if (t->phys != PV_TYPE_BYTE_ARRAY)
			return false;
		t->ext_name = "geoarrow.wkb";
		return true;
	default: return false;
	}
}

static bool from_converted(pv_leaftype *t, const pv_schema_element *e)
{
	switch (e->converted_type) {
	case PV_CONV_UTF8:
	case PV_CONV_ENUM: return text(t, NULL);
	case PV_CONV_JSON: return text(t, "arrow.json");
	case PV_CONV_DECIMAL:
		return e->has_precision && decimal(t, e->precision, e->has_scale ? e->scale : 0);
	case PV_CONV_DATE:
		if (t->phys != PV_TYPE_INT32)
			return false;
		set_fmt(t, "tdD", PV_ACONV_COPY, 4);
		return true;
	case PV_CONV_TIME_MILLIS: return time_of_day(t, PV_UNIT_MILLIS);
	case PV_CONV_TIME_MICROS: return time_of_day(t, PV_UNIT_MICROS);
	case PV_CONV_TIMESTAMP_MILLIS: return timestamp(t, PV_UNIT_MILLIS, true);
	case PV_CONV_TIMESTAMP_MICROS: return timestamp(t, PV_UNIT_MICROS, true);
	case PV_CONV_UINT_8: return integer(t, 8, false);
	case PV_CONV_UINT_16: return integer(t, 16, false);
	case PV_CONV_UINT_32: return integer(t, 32, false);
	case PV_CONV_UINT_64: return integer(t, 64, false);
	case PV_CONV_INT_8: return integer(t, 8, true);
	case PV_CONV_INT_16: return integer(t, 16, true);
	case PV_CONV_INT_32: return integer(t, 32, true);
	case PV_CONV_INT_64: return integer(t, 64, true);
	case PV_CONV_INTERVAL:
		if (t->phys != PV_TYPE_FIXED_LEN_BYTE_ARRAY || t->type_length != 12)
			return false;
		set_fmt(t, "tin", PV_ACONV_INTERVAL, 16);
		return true;
	default: return false;
	}
}

void pv_arrowtype_leaf(const pv_schema_node *leaf, pv_leaftype *out)
{
	memset(out, 0, sizeof *out);
	const pv_schema_element *e = leaf->element;
	out->phys = e->type;
	out->type_length = e->has_type_length ? e->type_length : 0;
	physical(out);
	/* The logical type wins when this version knows it; an unknown
	 * (future) one leaves the converted type to say what it can. */
	if (e->has_logical_type && e->logical_type.kind != PV_LOGICAL_FUTURE &&
	    e->logical_type.kind != PV_LOGICAL_NONE) {
		if (!from_logical(out, &e->logical_type))
			physical(out);
		return;
	}
	if (e->has_converted_type && !from_converted(out, e))
		physical(out);
}

const char *pv_arrowtype_group_ext(const pv_schema_node *group)
{
	const pv_schema_element *e = group->element;
	if (e && e->has_logical_type && e->logical_type.kind == PV_LOGICAL_VARIANT)
		return "parquet.variant";
	return NULL;
}

/* ------------------------------------------------------------------ conversion */

#define JULIAN_EPOCH 2440588  /* Julian day number of 1970-01-01 */
#define MICROS_PER_DAY INT64_C(86400000000)

int64_t pv_int96_to_micros(const uint8_t *p)
{
	int64_t nanos = (int64_t)pv_load_u64le(p);
	int64_t day = (int64_t)(int32_t)pv_load_u32le(p + 8) - JULIAN_EPOCH;
	/* floor division keeps pre-epoch instants exact */
	int64_t us = nanos / 1000 - (nanos % 1000 < 0);
	int64_t d;
	if (__builtin_mul_overflow(day, MICROS_PER_DAY, &d) || __builtin_add_overflow(d, us, &d))
		return day < 0 ? INT64_MIN : INT64_MAX;
	return d;
}

/* Sign-extends a little-endian integer of n bytes at dst to w bytes. */
static inline void sign_fill(uint8_t *dst, size_t n, size_t w)
{
	uint8_t fill = n && (dst[n - 1] & 0x80) ? 0xff : 0;
	memset(dst + n, fill, w - n);
}

static void dec_from_i64(uint8_t *dst, int64_t v, size_t w)
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		dst[i] = (uint8_t)(u >> (8 * i));
	sign_fill(dst, 8, w);
}

/* Big-endian two's complement bytes to a w-byte little-endian integer:
 * the low-order w bytes when longer, sign-extended when shorter. */
static void dec_from_be(uint8_t *dst, const uint8_t *src, size_t n, size_t w)
{
	size_t k = n < w ? n : w;
	for (size_t i = 0; i < k; i++)
		dst[i] = src[n - 1 - i];
	if (k < w) {
		uint8_t fill = n && (src[0] & 0x80) ? 0xff : 0;
		memset(dst + k, fill, w - k);
	}
}

void pv_arrowtype_convert(const pv_leaftype *lt, const void *src, size_t n, uint8_t *dst)
{
	const uint8_t *s = src;
	const pv_bytes_view *v = src;
	size_t w = lt->width;
	switch (lt->conv) {
	case PV_ACONV_I32_TO_8:
		for (size_t i = 0; i < n; i++)
			dst[i] = s[4 * i];
		break;
	case PV_ACONV_I32_TO_16:
		for (size_t i = 0; i < n; i++)
			memcpy(dst + 2 * i, s + 4 * i, 2);
		break;
	case PV_ACONV_INT96_US:
		for (size_t i = 0; i < n; i++) {
			int64_t us = pv_int96_to_micros(s + 12 * i);
			memcpy(dst + 8 * i, &us, 8);
		}
		break;
	case PV_ACONV_DEC_I32:
		for (size_t i = 0; i < n; i++) {
			int32_t x;
			memcpy(&x, s + 4 * i, 4);
			dec_from_i64(dst + w * i, x, w);
		}
		break;
	case PV_ACONV_DEC_I64:
		for (size_t i = 0; i < n; i++) {
			int64_t x;
			memcpy(&x, s + 8 * i, 8);
			dec_from_i64(dst + w * i, x, w);
		}
		break;
	case PV_ACONV_DEC_BYTES:
		for (size_t i = 0; i < n; i++)
			dec_from_be(dst + w * i, v[i].ptr, v[i].len, w);
		break;
	case PV_ACONV_FIXED:
		for (size_t i = 0; i < n; i++) {
			size_t k = v[i].len < w ? v[i].len : w;
			if (k)
				memcpy(dst + w * i, v[i].ptr, k);
			if (k < w)
				memset(dst + w * i + k, 0, w - k);
		}
		break;
	case PV_ACONV_INTERVAL:
		for (size_t i = 0; i < n; i++) {
			uint8_t *o = dst + 16 * i;
			uint8_t b[12] = { 0 };
			if (v[i].len >= 12)
				memcpy(b, v[i].ptr, 12);
			uint32_t months = pv_load_u32le(b), days = pv_load_u32le(b + 4);
			int64_t nanos = (int64_t)pv_load_u32le(b + 8) * 1000000;
			memcpy(o, &months, 4);
			memcpy(o + 4, &days, 4);
			memcpy(o + 8, &nanos, 8);
		}
		break;
	case PV_ACONV_BOOL:
	case PV_ACONV_COPY:
		memcpy(dst, s, n * w);
		break;
	case PV_ACONV_BINARY:
		break;
	}
}

/* ------------------------------------------------------------------ metadata */

char *pv_arrow_metadata_encode(const char *const *kv, size_t n_pairs, size_t *out_len,
			       pv_err *err)
{
	*out_len = 0;
	if (n_pairs == 0)
		return NULL;
	size_t len = 4;
	for (size_t i = 0; i < 2 * n_pairs; i++)
		len += 4 + strlen(kv[i]);
	char *buf = malloc(len);
	if (!buf) {
		pv_err_set(err, PV_ENOMEM, "out of memory");
		return NULL;
	}
	char *p = buf;
	int32_t n = (int32_t)n_pairs;
	memcpy(p, &n, 4);
	p += 4;
	for (size_t i = 0; i < 2 * n_pairs; i++) {
		int32_t k = (int32_t)strlen(kv[i]);
		memcpy(p, &k, 4);
		memcpy(p + 4, kv[i], (size_t)k);
		p += 4 + k;
	}
	*out_len = len;
	return buf;
}

/* ------------------------------------------------------------------ ArrowSchema */

typedef struct aschema_priv {
	char *format, *name, *metadata;
	struct ArrowSchema **child_ptrs;
	struct ArrowSchema *kids;
	size_t n_kids;
} aschema_priv;

static void aschema_release(struct ArrowSchema *s)
{
	if (!s || !s->release)
		return;
	aschema_priv *p = s->private_data;
	if (p) {
		for (size_t i = 0; i < p->n_kids; i++)
			if (p->child_ptrs[i] && p->child_ptrs[i]->release)
				p->child_ptrs[i]->release(p->child_ptrs[i]);
		free(p->format);
		free(p->name);
		free(p->metadata);
		free(p->child_ptrs);
		free(p->kids);
		free(p);
	}
	s->release = NULL;
	s->private_data = NULL;
}

static char *dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

int pv_aschema_init(struct ArrowSchema *out, const char *format, const char *name,
		    const char *metadata, size_t metadata_len, int64_t flags, size_t n_children,
		    pv_err *err)
{
	memset(out, 0, sizeof *out);
	aschema_priv *p = calloc(1, sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	p->format = dup_bytes(format, strlen(format));
	p->name = name ? dup_bytes(name, strlen(name)) : NULL;
	p->metadata = metadata ? dup_bytes(metadata, metadata_len) : NULL;
	if (n_children) {
		p->child_ptrs = calloc(n_children, sizeof *p->child_ptrs);
		p->kids = calloc(n_children, sizeof *p->kids);
	}
	p->n_kids = n_children;
	bool ok = p->format && (!name || p->name) && (!metadata || p->metadata) &&
		  (!n_children || (p->child_ptrs && p->kids));
	out->private_data = p;
	out->release = aschema_release;
	if (!ok) {
		p->n_kids = 0;
		aschema_release(out);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n_children; i++)
		p->child_ptrs[i] = &p->kids[i];
	out->format = p->format;
	out->name = p->name;
	out->metadata = p->metadata;
	out->flags = flags;
	out->n_children = (int64_t)n_children;
	out->children = n_children ? p->child_ptrs : NULL;
	out->dictionary = NULL;
	return 0;
}

int pv_aschema_leaf(struct ArrowSchema *out, const pv_leaftype *lt, const char *name,
		    bool nullable, pv_err *err)
{
	size_t mlen = 0;
	char *meta = NULL;
	if (lt->ext_name) {
		const char *kv[2] = { "ARROW:extension:name", lt->ext_name };
		meta = pv_arrow_metadata_encode(kv, 1, &mlen, err);
		if (!meta) {
			memset(out, 0, sizeof *out);
			return PV_ENOMEM;
		}
	}
	int rc = pv_aschema_init(out, lt->format, name, meta, mlen,
				 nullable ? ARROW_FLAG_NULLABLE : 0, 0, err);
	free(meta);
	return rc;
}
