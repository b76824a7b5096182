/*
 * bloom.c - bloom filter reads and `--bloom` probes (see bloom.h): text to
 * PLAIN bytes, xxHash64 and the block check from format/pages.c.
 * Includes base, format and io; nothing above read.
 */
#include "read/bloom.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/hex.h"
#include "base/banned.h"

/* The first read when bloom_filter_length is absent: enough for any
 * ordinary header. */
#define HEADER_PROBE 256

const char *pv_bloom_result_name(int r)
{
	switch (r) {
	case PV_BLOOM_NO_FILTER: return "no filter";
	case PV_BLOOM_DEFINITELY_ABSENT: return "definitely absent";
	case PV_BLOOM_MAYBE_PRESENT: return "maybe present";
	default: return "unknown";
	}
}

void pv_bloom_filter_release(pv_bloom_filter *bf)
{
	if (!bf)
		return;
	free(bf->mem);
	memset(bf, 0, sizeof *bf);
}

bool pv_bloom_filter_check(const pv_bloom_filter *bf, uint64_t hash)
{
	return pv_bloom_check(bf->bitset, bf->n_bytes, hash);
}

/* Reads n bytes at off into a new buffer. */
static int read_new(pv_source *src, int64_t off, size_t n, uint8_t **out, pv_err *err)
{
	*out = malloc(n ? n : 1);
	if (!*out)
		return pv_err_set(err, PV_ENOMEM, "out of memory for %zu bloom filter bytes", n);
	int rc = pv_source_read(src, off, *out, n, err);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static int read_with_length(pv_source *src, int64_t off, int64_t size, int32_t len,
			    pv_bloom_filter *out, pv_err *err)
{
	if (len <= 0 || (int64_t)len > size - off)
		return pv_err_set(err, PV_ECORRUPT,
				  "bloom filter at offset %lld with length %d lies outside the file (size %lld)",
				  (long long)off, len, (long long)size);
	if ((size_t)len > PV_BLOOM_MAX_BYTES + PV_BLOOM_HEADER_MAX)
		return pv_err_set(err, PV_ELIMIT, "bloom filter of %d bytes exceeds the cap of %zu bytes",
				  len, PV_BLOOM_MAX_BYTES);
	int rc = read_new(src, off, (size_t)len, &out->mem, err);
	if (rc)
		return rc;
	out->n_reads = 1;
	size_t hlen = 0;
	if ((rc = pv_bloom_header_parse(out->mem, (size_t)len, &out->header, &hlen, err)))
		return rc;
	if ((size_t)out->header.num_bytes > (size_t)len - hlen)
		return pv_err_set(err, PV_ECORRUPT,
				  "bloom filter bitset of %d bytes runs past its bloom_filter_length of %d",
				  out->header.num_bytes, len);
	out->header_len = hlen;
	out->bitset = out->mem + hlen;
	out->n_bytes = (size_t)out->header.num_bytes;
	return 0;
}

static int read_without_length(pv_source *src, int64_t off, int64_t size, pv_bloom_filter *out,
			       pv_err *err)
{
	size_t left = (size_t)(size - off);
	size_t want = left < HEADER_PROBE ? left : HEADER_PROBE;
	uint8_t *head = NULL;
	size_t hlen = 0;
	int rc;
	for (;;) {
		if ((rc = read_new(src, off, want, &head, err)))
			return rc;
		out->n_reads++;
		rc = pv_bloom_header_parse(head, want, &out->header, &hlen, err);
		free(head);
		if (rc == 0)
			break;
		if (hlen != 0)
			return rc;
		if (want >= left || want >= PV_BLOOM_HEADER_MAX)
			return pv_err_set(err, PV_ECORRUPT, "bloom filter header truncated at %zu bytes", want);
		want = left < PV_BLOOM_HEADER_MAX ? left : PV_BLOOM_HEADER_MAX;
	}
	size_t n = (size_t)out->header.num_bytes;
	if (hlen > left || n > left - hlen)
		return pv_err_set(err, PV_ECORRUPT,
				  "bloom filter bitset of %zu bytes at offset %lld runs past the end of the file (size %lld)",
				  n, (long long)off + (long long)hlen, (long long)size);
	if ((rc = read_new(src, off + (int64_t)hlen, n, &out->mem, err)))
		return rc;
	out->n_reads++;
	out->header_len = hlen;
	out->bitset = out->mem;
	out->n_bytes = n;
	return 0;
}

int pv_bloom_filter_read(pv_source *src, const pv_column_chunk *cc, pv_bloom_filter *out,
			 pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (cc->encrypted)
		return pv_err_set(err, PV_EUNSUPPORTED, "column chunk is encrypted");
	if (!cc->has_meta_data || !cc->meta_data.has_bloom_filter_offset)
		return pv_err_set(err, PV_ENOTFOUND, "no bloom filter");
	const pv_column_meta *md = &cc->meta_data;
	int64_t off = md->bloom_filter_offset;
	int64_t size = pv_source_size(src);
	if (off < 4 || off >= size)
		return pv_err_set(err, PV_ECORRUPT, "bloom filter offset %lld lies outside the file (size %lld)",
				  (long long)off, (long long)size);
	out->offset = off;
	int rc = md->has_bloom_filter_length ? read_with_length(src, off, size, md->bloom_filter_length, out, err)
					     : read_without_length(src, off, size, out, err);
	if (rc) {
		pv_bloom_filter_release(out);
		pv_err_prefix(err, "bloom filter at offset %lld", (long long)off);
	}
	return rc;
}

/* ------------------------------------------------------------------ text to PLAIN bytes */

/* What the leaf's annotation asks of the text. */
typedef struct leaf_kind {
	bool date, decimal, is_unsigned, uuid, float16;
	int32_t scale, precision;
} leaf_kind;

static leaf_kind kind_of(const pv_schema_element *e)
{
	leaf_kind k;
	memset(&k, 0, sizeof k);
	int lt = e->has_logical_type ? (int)e->logical_type.kind : PV_LOGICAL_NONE;
	int ct = e->has_converted_type ? e->converted_type : -1;
	if (lt != PV_LOGICAL_NONE) {
		k.date = lt == PV_LOGICAL_DATE;
		k.decimal = lt == PV_LOGICAL_DECIMAL;
		k.is_unsigned = lt == PV_LOGICAL_INTEGER && !e->logical_type.is_signed;
		k.uuid = lt == PV_LOGICAL_UUID;
		k.float16 = lt == PV_LOGICAL_FLOAT16;
		k.scale = e->logical_type.scale;
		k.precision = e->logical_type.precision;
	} else {
		k.date = ct == PV_CONV_DATE;
		k.decimal = ct == PV_CONV_DECIMAL;
		k.is_unsigned = ct >= PV_CONV_UINT_8 && ct <= PV_CONV_UINT_64;
		k.scale = e->has_scale ? e->scale : 0;
		k.precision = e->has_precision ? e->precision : 0;
	}
	return k;
}

static int not_valid(const pv_schema_node *leaf, const leaf_kind *k, const char *text, pv_err *err)
{
	const pv_schema_element *e = leaf->element;
	char type[64];
	if (k->decimal)
		snprintf(type, sizeof type, "DECIMAL(%d,%d)", (int)k->precision, (int)k->scale);
	else if (k->date)
		snprintf(type, sizeof type, "DATE");
	else if (k->uuid)
		snprintf(type, sizeof type, "UUID");
	else if (e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY)
		snprintf(type, sizeof type, "FIXED_LEN_BYTE_ARRAY(%d)", (int)e->type_length);
	else if (k->is_unsigned)
		snprintf(type, sizeof type, "unsigned %s", pv_physical_type_name(e->type));
	else
		snprintf(type, sizeof type, "%s", pv_physical_type_name(e->type));
	return pv_err_set(err, PV_EINVAL, "'%s' is not a valid %s for column '%s'", text, type, leaf->path);
}

/* A whole-string decimal integer; no spaces, an optional sign. */
static bool parse_i64(const char *s, int64_t *out)
{
	const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!isdigit((unsigned char)*d))
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	const char *d = *s == '+' ? s + 1 : s;
	if (!isdigit((unsigned char)*d))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(d, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* "YYYY-MM-DD" (the year may have a sign and more digits). */
static bool parse_date(const char *s, int64_t *out_days)
{
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	int64_t y = 0;
	int nd = 0;
	while (isdigit((unsigned char)*p) && nd < 7) {
		y = y * 10 + (*p++ - '0');
		nd++;
	}
	if (nd < 4 || *p++ != '-')
		return false;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != '-' ||
	    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]) || p[5])
		return false;
	int m = (p[0] - '0') * 10 + (p[1] - '0');
	int d = (p[3] - '0') * 10 + (p[4] - '0');
	if (neg)
		y = -y;
	if (d < 1 || d > pv_civil_days_in_month(y, m))
		return false;
	*out_days = pv_civil_to_days(y, m, d);
	return true;
}

/* "-12.34" at scale 2 -> -1234. Digits past the scale must be zeros: such
 * a value cannot be stored in the column. */
static bool parse_decimal(const char *s, int32_t scale, int64_t *out)
{
	if (scale < 0 || scale > 38)
		return false;
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return false;
	/* Accumulate as a negative number so INT64_MIN fits. */
	int64_t v = 0;
	int frac = -1; /* digits seen after the point; -1 before it */
	for (; *p; p++) {
		if (*p == '.') {
			if (frac >= 0)
				return false;
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return false;
		int dig = *p - '0';
		if (frac >= scale) {
			if (dig)
				return false;
			continue;
		}
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, dig, &v))
			return false;
		if (frac >= 0)
			frac++;
	}
	for (int f = frac < 0 ? 0 : frac; f < scale; f++)
		if (__builtin_mul_overflow(v, 10, &v))
			return false;
	if (!neg) {
		if (v == INT64_MIN)
			return false;
		v = -v;
	}
	*out = v;
	return true;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* v as big-endian two's complement in n bytes; false if it does not fit. */
static bool put_be_signed(uint8_t *p, int64_t v, size_t n)
{
	if (n < 8) {
		int64_t lim = (int64_t)1 << (8 * n - 1);
		if (v < -lim || v >= lim)
			return false;
	}
	uint64_t u = (uint64_t)v;
	uint8_t fill = v < 0 ? 0xff : 0;
	for (size_t i = 0; i < n; i++) {
		size_t shift = 8 * (n - 1 - i);
		p[i] = shift >= 64 ? fill : (uint8_t)(u >> shift);
	}
	return true;
}

static bool parse_uuid(const char *s, uint8_t out[16])
{
	if (strlen(s) != 36)
		return false;
	int n = 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int hi = pv_hex_digit((unsigned char)s[i]), lo = pv_hex_digit((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return n == 16;
}

static int integer_key(const pv_schema_node *leaf, const leaf_kind *k, const char *text, int width,
		       pv_bloom_key *out, pv_err *err)
{
	int64_t v;
	if (k->decimal) {
		if (!parse_decimal(text, k->scale, &v))
			return not_valid(leaf, k, text, err);
	} else if (k->date) {
		if (!parse_date(text, &v) && !parse_i64(text, &v))
			return not_valid(leaf, k, text, err);
	} else if (k->is_unsigned) {
		uint64_t u;
		if (!parse_u64(text, &u) || (width == 4 && u > UINT32_MAX))
			return not_valid(leaf, k, text, err);
		put_le(out->buf, u, width);
		out->ptr = out->buf;
		out->len = (size_t)width;
		return 0;
	} else if (!parse_i64(text, &v)) {
		return not_valid(leaf, k, text, err);
	}
	if (width == 4 && (v < INT32_MIN || v > INT32_MAX))
		return not_valid(leaf, k, text, err);
	put_le(out->buf, (uint64_t)v, width);
	out->ptr = out->buf;
	out->len = (size_t)width;
	return 0;
}

static bool parse_double(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	double d = strtod(s, &end);
	/* ERANGE on underflow still gives a usable (tiny) value. */
	if (*end || (errno == ERANGE && isinf(d)))
		return false;
	*out = d;
	return true;
}

int pv_bloom_key_from_text(const pv_schema_node *leaf, const char *text, pv_bloom_key *out,
			   pv_err *err)
{
	memset(out, 0, sizeof *out);
	const pv_schema_element *e = leaf->element;
	leaf_kind k = kind_of(e);
	switch (e->type) {
	case PV_TYPE_BOOLEAN:
		if (strcmp(text, "true") && strcmp(text, "false"))
			return not_valid(leaf, &k, text, err);
		out->buf[0] = text[0] == 't';
		out->ptr = out->buf;
		out->len = 1;
		return 0;
	case PV_TYPE_INT32:
		return integer_key(leaf, &k, text, 4, out, err);
	case PV_TYPE_INT64:
		return integer_key(leaf, &k, text, 8, out, err);
	case PV_TYPE_FLOAT:
	case PV_TYPE_DOUBLE: {
		double d;
		if (!parse_double(text, &d))
			return not_valid(leaf, &k, text, err);
		if (e->type == PV_TYPE_FLOAT) {
			float f = (float)d;
			if (isinf(f) && !isinf(d))
				return not_valid(leaf, &k, text, err);
			uint32_t u;
			memcpy(&u, &f, 4);
			put_le(out->buf, u, 4);
			out->len = 4;
		} else {
			uint64_t u;
			memcpy(&u, &d, 8);
			put_le(out->buf, u, 8);
			out->len = 8;
		}
		out->ptr = out->buf;
		return 0;
	}
	case PV_TYPE_BYTE_ARRAY:
		if (k.decimal) {
			int64_t v;
			if (!parse_decimal(text, k.scale, &v))
				return not_valid(leaf, &k, text, err);
			/* The fewest bytes that keep the sign, as writers store it. */
			size_t n = 1;
			while (n < 8 && !put_be_signed(out->buf, v, n))
				n++;
			put_be_signed(out->buf, v, n);
			out->ptr = out->buf;
			out->len = n;
			return 0;
		}
		out->ptr = (const uint8_t *)text;
		out->len = strlen(text);
		return 0;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY: {
		size_t tl = e->type_length > 0 ? (size_t)e->type_length : 0;
		if (k.float16)
			return pv_err_set(err, PV_EUNSUPPORTED,
					  "bloom filter probes of FLOAT16 column '%s' are not supported", leaf->path);
		if (k.uuid) {
			if (tl != 16 || !parse_uuid(text, out->buf))
				return not_valid(leaf, &k, text, err);
			out->ptr = out->buf;
			out->len = 16;
			return 0;
		}
		if (k.decimal) {
			int64_t v;
			if (tl == 0 || tl > sizeof out->buf || !parse_decimal(text, k.scale, &v) ||
			    !put_be_signed(out->buf, v, tl))
				return not_valid(leaf, &k, text, err);
			out->ptr = out->buf;
			out->len = tl;
			return 0;
		}
		if (strlen(text) != tl)
			return not_valid(leaf, &k, text, err);
		out->ptr = (const uint8_t *)text;
		out->len = tl;
		return 0;
	}
	case PV_TYPE_INT96:
	default:
		return pv_err_set(err, PV_EUNSUPPORTED, "bloom filter probes of %s column '%s' are not supported",
				  pv_physical_type_name(e->type), leaf->path);
	}
}

int pv_bloom_probe(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf,
		   const char *value_text, pv_bloom_result *out, pv_err *err)
{
	*out = PV_BLOOM_NO_FILTER;
	pv_bloom_key key;
	int rc = pv_bloom_key_from_text(leaf, value_text, &key, err);
	if (rc)
		return rc;
	pv_bloom_filter bf;
	rc = pv_bloom_filter_read(src, cc, &bf, err);
	if (rc == PV_ENOTFOUND) {
		pv_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	*out = pv_bloom_filter_check(&bf, pv_bloom_hash(key.ptr, key.len)) ? PV_BLOOM_MAYBE_PRESENT
									  : PV_BLOOM_DEFINITELY_ABSENT;
	pv_bloom_filter_release(&bf);
	return 0;
}
