/*
 * doctor_values.c - the sort orders the doctor compares statistics in, and
 * decoded values turned back into their PLAIN bytes (so statistics, page
 * index entries and bloom filter hashes, all PLAIN, compare with them
 * directly). Includes base, format, read and render; nothing above analyze.
 */
#include <math.h>
#include <string.h>

#include "analyze/doctor_internal.h"
#include "base/buf.h"
#include "format/stats.h"
#include "render/cell.h"
#include "render/width.h"
#include "base/banned.h"

static bool is_decimal(const pv_schema_element *e)
{
	if (e->has_logical_type)
		return e->logical_type.kind == PV_LOGICAL_DECIMAL;
	return e->has_converted_type && e->converted_type == PV_CONV_DECIMAL;
}

static bool is_unsigned(const pv_schema_element *e)
{
	if (e->has_logical_type && e->logical_type.kind == PV_LOGICAL_INTEGER)
		return !e->logical_type.is_signed;
	if (e->has_logical_type)
		return false;
	if (!e->has_converted_type)
		return false;
	return e->converted_type >= PV_CONV_UINT_8 && e->converted_type <= PV_CONV_UINT_64;
}

void pv_doc_ord_init(pv_doc_ord *o, const pv_schema_node *leaf)
{
	memset(o, 0, sizeof *o);
	o->leaf = leaf;
	pv_arrowtype_leaf(leaf, &o->lt);
	const pv_schema_element *e = leaf->element;
	int lk = e->has_logical_type ? (int)e->logical_type.kind : PV_LOGICAL_NONE;
	bool undefined = lk == PV_LOGICAL_FUTURE || lk == PV_LOGICAL_GEOMETRY ||
			 lk == PV_LOGICAL_GEOGRAPHY || lk == PV_LOGICAL_VARIANT ||
			 lk == PV_LOGICAL_VECTOR ||
			 (!e->has_logical_type && e->has_converted_type &&
			  e->converted_type == PV_CONV_INTERVAL);
	o->can_hash = true;
	switch (e->type) {
	case PV_TYPE_BOOLEAN:
		o->kind = PV_DOC_ORD_BOOL;
		o->fixed_len = 1;
		break;
	case PV_TYPE_INT32:
		o->kind = is_unsigned(e) ? PV_DOC_ORD_U32 : PV_DOC_ORD_I32;
		o->fixed_len = 4;
		break;
	case PV_TYPE_INT64:
		o->kind = is_unsigned(e) ? PV_DOC_ORD_U64 : PV_DOC_ORD_I64;
		o->fixed_len = 8;
		break;
	case PV_TYPE_INT96:
		o->kind = PV_DOC_ORD_NONE;
		o->fixed_len = 12;
		o->can_hash = false; /* read as microseconds: the stored bytes are gone */
		break;
	case PV_TYPE_FLOAT:
		o->kind = PV_DOC_ORD_F32;
		o->fixed_len = 4;
		break;
	case PV_TYPE_DOUBLE:
		o->kind = PV_DOC_ORD_F64;
		o->fixed_len = 8;
		break;
	case PV_TYPE_BYTE_ARRAY:
		o->kind = is_decimal(e) ? PV_DOC_ORD_DEC_BE : PV_DOC_ORD_BYTES;
		/* a BYTE_ARRAY decimal comes back at the Arrow width, not the
		 * stored length, so its hash cannot be rebuilt */
		o->can_hash = o->kind == PV_DOC_ORD_BYTES;
		o->is_text = o->lt.conv == PV_ACONV_BINARY && o->lt.format[0] == 'u';
		break;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		o->fixed_len = e->type_length > 0 ? (size_t)e->type_length : 0;
		if (o->lt.conv == PV_ACONV_INTERVAL) {
			o->kind = PV_DOC_ORD_NONE;
			o->can_hash = false;
		} else if (lk == PV_LOGICAL_FLOAT16 && o->fixed_len == 2) {
			o->kind = PV_DOC_ORD_F16;
		} else if (is_decimal(e)) {
			o->kind = PV_DOC_ORD_DEC_BE;
			/* Arrow keeps only the low 16 or 32 bytes of wider ones */
			o->can_hash = o->lt.conv == PV_ACONV_DEC_BYTES && o->fixed_len <= o->lt.width;
		} else {
			o->kind = PV_DOC_ORD_BYTES;
		}
		if (o->fixed_len == 0)
			o->kind = PV_DOC_ORD_NONE;
		break;
	}
	if (undefined)
		o->kind = PV_DOC_ORD_NONE;
	/* a decimal that does not fit Arrow's decimals reads as its physical
	 * type: the conversions below follow lt.conv, which already says so */
	if (o->lt.conv == PV_ACONV_DEC_BYTES && o->lt.width == 0)
		o->kind = PV_DOC_ORD_NONE;
}

bool pv_doc_len_ok(const pv_doc_ord *o, size_t n)
{
	if (o->kind == PV_DOC_ORD_DEC_BE)
		return n > 0 && (o->fixed_len == 0 || n == o->fixed_len);
	if (o->fixed_len)
		return n == o->fixed_len;
	return true;
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static double f16(const pv_doc_ord *o, const uint8_t *p)
{
	pv_value v;
	if (pv_stats_value(o->leaf, p, 2, &v, NULL) || v.kind != PV_VAL_FLOAT)
		return NAN;
	return v.f;
}

static double fval(const pv_doc_ord *o, const uint8_t *p)
{
	switch (o->kind) {
	case PV_DOC_ORD_F32: {
		uint32_t u = (uint32_t)le(p, 4);
		float f;
		memcpy(&f, &u, 4);
		return f;
	}
	case PV_DOC_ORD_F64: {
		uint64_t u = le(p, 8);
		double d;
		memcpy(&d, &u, 8);
		return d;
	}
	default:
		return f16(o, p);
	}
}

bool pv_doc_is_nan(const pv_doc_ord *o, const uint8_t *p, size_t n)
{
	if (o->kind != PV_DOC_ORD_F32 && o->kind != PV_DOC_ORD_F64 && o->kind != PV_DOC_ORD_F16)
		return false;
	if (!pv_doc_len_ok(o, n))
		return false;
	return isnan(fval(o, p));
}

static int cmp_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, bool sign)
{
	size_t n = an < bn ? an : bn;
	if (!sign && n > 0) {
		int c = memcmp(a, b, n); /* memcmp compares unsigned bytes */
		if (c)
			return c < 0 ? -1 : 1;
		return an < bn ? -1 : an > bn ? 1 : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (a[i] == b[i])
			continue;
		if (sign)
			return (int8_t)a[i] < (int8_t)b[i] ? -1 : 1;
		return a[i] < b[i] ? -1 : 1;
	}
	return an < bn ? -1 : an > bn ? 1 : 0;
}

#define CMP3(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

int pv_doc_cmp(const pv_doc_ord *o, pv_doc_ord_kind kind, const uint8_t *a, size_t an,
	       const uint8_t *b, size_t bn)
{
	switch (kind) {
	case PV_DOC_ORD_BOOL:
		return CMP3(a[0] != 0, b[0] != 0);
	case PV_DOC_ORD_I32:
		return CMP3((int32_t)(uint32_t)le(a, 4), (int32_t)(uint32_t)le(b, 4));
	case PV_DOC_ORD_I64:
		return CMP3((int64_t)le(a, 8), (int64_t)le(b, 8));
	case PV_DOC_ORD_U32:
		return CMP3((uint32_t)le(a, 4), (uint32_t)le(b, 4));
	case PV_DOC_ORD_U64:
		return CMP3(le(a, 8), le(b, 8));
	case PV_DOC_ORD_F32:
	case PV_DOC_ORD_F64:
	case PV_DOC_ORD_F16: {
		double x = fval(o, a), y = fval(o, b);
		return CMP3(x, y); /* -0 == +0, as the spec's reading rules want */
	}
	case PV_DOC_ORD_BYTES:
		return cmp_bytes(a, an, b, bn, false);
	case PV_DOC_ORD_BYTES_SIGNED:
		return cmp_bytes(a, an, b, bn, true);
	case PV_DOC_ORD_DEC_BE:
		return pv_stats_cmp_be_signed(a, an, b, bn);
	case PV_DOC_ORD_NONE:
		break;
	}
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

void pv_doc_plain(const pv_doc_ord *o, const pv_colbuf *b, size_t vi, uint8_t tmp[40],
		  const uint8_t **out_p, size_t *out_n)
{
	const pv_leaftype *lt = &o->lt;
	const uint8_t *v = b->values + vi * lt->width;
	switch (lt->conv) {
	case PV_ACONV_BINARY:
		*out_p = b->values + b->offsets[vi];
		*out_n = (size_t)(b->offsets[vi + 1] - b->offsets[vi]);
		return;
	case PV_ACONV_BOOL:
		tmp[0] = v[0] ? 1 : 0;
		*out_p = tmp;
		*out_n = 1;
		return;
	case PV_ACONV_I32_TO_8:
	case PV_ACONV_I32_TO_16: {
		bool sign = lt->format[0] == 'c' || lt->format[0] == 's';
		int64_t x;
		if (lt->conv == PV_ACONV_I32_TO_8)
			x = sign ? (int64_t)(int8_t)v[0] : (int64_t)v[0];
		else
			x = sign ? (int64_t)(int16_t)le(v, 2) : (int64_t)le(v, 2);
		put_le(tmp, (uint64_t)x, 4);
		*out_p = tmp;
		*out_n = 4;
		return;
	}
	case PV_ACONV_DEC_I32:
	case PV_ACONV_DEC_I64:
		/* the low bytes of the little-endian decimal are the stored int */
		*out_p = v;
		*out_n = lt->conv == PV_ACONV_DEC_I32 ? 4 : 8;
		return;
	case PV_ACONV_DEC_BYTES: {
		/* little-endian Arrow decimal back to big-endian, at the stored
		 * width for FLBA (sign-extended), else at the Arrow width */
		size_t n = o->fixed_len ? o->fixed_len : lt->width;
		if (n > 40)
			n = 40;
		uint8_t ext = (v[lt->width - 1] & 0x80) ? 0xff : 0;
		for (size_t i = 0; i < n; i++) {
			size_t src = n - 1 - i; /* byte src of the LE value */
			tmp[i] = src < lt->width ? v[src] : ext;
		}
		*out_p = tmp;
		*out_n = n;
		return;
	}
	case PV_ACONV_COPY:
	case PV_ACONV_FIXED:
	case PV_ACONV_INT96_US:
	case PV_ACONV_INTERVAL:
		break;
	}
	*out_p = v;
	*out_n = lt->width;
}

int64_t pv_doc_utf8_bad(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* ASCII eight bytes at a time: most text is */
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = pv_utf8_decode((const char *)p + i, n - i, &cp);
		if (k == 0)
			return (int64_t)i;
		i += k;
	}
	return -1;
}

static bool printable_utf8(const uint8_t *p, size_t n, bool cut)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
	int64_t bad = pv_doc_utf8_bad(p, n);
	/* a sequence cut by the prefix is fine */
	return bad < 0 || (cut && n - (size_t)bad < 4);
}

char *pv_doc_text(const pv_doc_ord *o, const uint8_t *p, size_t n)
{
	pv_buf b;
	pv_buf_init(&b, 1 << 16);
	pv_value v;
	if (pv_stats_value(o->leaf, p, n, &v, NULL) == 0) {
		if (v.kind == PV_VAL_STRING || v.kind == PV_VAL_BINARY) {
			/* long texts: a prefix says enough */
			if (v.bytes.len > 100)
				v.bytes.len = 100;
		}
		/* a report is one line of valid UTF-8: text that is not gets the
		 * binary form, whose escapes show the bad bytes */
		if (v.kind == PV_VAL_STRING && !printable_utf8(v.bytes.ptr, v.bytes.len, n > 100))
			v.kind = PV_VAL_BINARY;
		if (pv_cell_text(&v, &b, NULL) == 0) {
			if (n > 100 && (v.kind == PV_VAL_STRING || v.kind == PV_VAL_BINARY))
				pv_buf_printf(&b, NULL, "… (%zu bytes)", n);
			return pv_buf_detach(&b, NULL);
		}
	}
	pv_buf_reset(&b);
	pv_buf_printf(&b, NULL, "(%zu bytes)", n);
	char *s = pv_buf_detach(&b, NULL);
	return s;
}
