/*
 * plain.c - PLAIN decoding for every physical type, and the width helpers
 * of encoding.h. Includes base, format and encoding only (no io, codec or
 * higher layers).
 */
#include "encoding/plain.h"

#include <string.h>

#include "base/cursor.h"
#include "format/meta.h"
#include "base/banned.h"

size_t pv_value_width(int physical_type)
{
	switch (physical_type) {
	case PV_TYPE_BOOLEAN:
		return 1;
	case PV_TYPE_INT32:
	case PV_TYPE_FLOAT:
		return 4;
	case PV_TYPE_INT64:
	case PV_TYPE_DOUBLE:
		return 8;
	case PV_TYPE_INT96:
		return 12;
	case PV_TYPE_BYTE_ARRAY:
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		return sizeof(pv_bytes_view);
	default:
		return 0;
	}
}

size_t pv_plain_width(int physical_type, int32_t type_length)
{
	switch (physical_type) {
	case PV_TYPE_INT32:
	case PV_TYPE_FLOAT:
		return 4;
	case PV_TYPE_INT64:
	case PV_TYPE_DOUBLE:
		return 8;
	case PV_TYPE_INT96:
		return 12;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		return type_length > 0 ? (size_t)type_length : 0;
	default:
		return 0;
	}
}

int pv_plain_init(pv_plain *d, const uint8_t *data, size_t len, int physical_type,
		  int32_t type_length, int64_t n_values, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->p = d->end = data;
	d->type = physical_type;
	if (pv_value_width(physical_type) == 0)
		return pv_err_set(err, PV_EINVAL, "plain: unknown physical type %d", physical_type);
	if (n_values < 0)
		return pv_err_set(err, PV_EINVAL, "plain: negative value count %lld", (long long)n_values);
	if (physical_type == PV_TYPE_FIXED_LEN_BYTE_ARRAY && type_length < 0)
		return pv_err_set(err, PV_ECORRUPT, "plain: negative fixed_len_byte_array length %d",
				  type_length);
	d->width = pv_plain_width(physical_type, type_length);
	uint64_t need;
	if (physical_type == PV_TYPE_BOOLEAN)
		need = ((uint64_t)n_values + 7) / 8;
	else if (physical_type == PV_TYPE_BYTE_ARRAY)
		need = 0;
	else if (__builtin_mul_overflow((uint64_t)n_values, (uint64_t)d->width, &need))
		need = UINT64_MAX;
	if (need > len)
		return pv_err_set(err, PV_ECORRUPT, "plain: %lld %s values need %llu bytes, the page has %zu",
				  (long long)n_values, pv_physical_type_name(physical_type),
				  (unsigned long long)need, len);
	d->end = data + len;
	d->n_values = d->n_left = n_values;
	return 0;
}

static int check_count(const pv_plain *d, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)d->n_left)
		return pv_err_set(err, PV_EINVAL, "plain: asked for %zu values, only %lld left", n,
				  (long long)d->n_left);
	return 0;
}

/* Walks n length-prefixed byte arrays, filling out when it is not NULL. */
static int byte_arrays(pv_plain *d, pv_bytes_view *out, size_t n, pv_err *err)
{
	const uint8_t *p = d->p, *end = d->end;
	for (size_t i = 0; i < n; i++) {
		if ((size_t)(end - p) < 4)
			return pv_err_set(err, PV_ECORRUPT, "plain: truncated length of byte array %lld",
					  (long long)(d->n_values - d->n_left + (int64_t)i));
		uint32_t len = pv_load_u32le(p);
		p += 4;
		if (len > (size_t)(end - p))
			return pv_err_set(err, PV_ECORRUPT, "plain: byte array %lld of %u bytes exceeds the %zu left",
					  (long long)(d->n_values - d->n_left + (int64_t)i), len,
					  (size_t)(end - p));
		if (out) {
			out[i].ptr = p;
			out[i].len = len;
		}
		p += len;
	}
	d->p = p;
	return 0;
}

static void booleans(pv_plain *d, uint8_t *out, size_t n)
{
	const uint8_t *p = d->p;
	unsigned bit = d->bit;
	size_t i = 0;
	while (i < n && bit != 0) {
		out[i++] = (uint8_t)((*p >> bit) & 1);
		if (++bit == 8) {
			bit = 0;
			p++;
		}
	}
	for (; n - i >= 8; i += 8, p++) {
		uint8_t b = *p;
		for (unsigned j = 0; j < 8; j++)
			out[i + j] = (uint8_t)((b >> j) & 1);
	}
	for (; i < n; i++)
		out[i] = (uint8_t)((*p >> bit++) & 1);
	d->p = p;
	d->bit = bit;
}

int pv_plain_get(pv_plain *d, void *out, size_t n, pv_err *err)
{
	int rc = check_count(d, n, err);
	if (rc || n == 0)
		return rc;
	switch (d->type) {
	case PV_TYPE_BOOLEAN:
		booleans(d, out, n);
		break;
	case PV_TYPE_BYTE_ARRAY:
		if ((rc = byte_arrays(d, out, n, err)))
			return rc;
		break;
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY: {
		pv_bytes_view *v = out;
		const uint8_t *p = d->p;
		for (size_t i = 0; i < n; i++, p += d->width) {
			v[i].ptr = p;
			v[i].len = (uint32_t)d->width;
		}
		d->p = p;
		break;
	}
	default:
		memcpy(out, d->p, n * d->width);
		d->p += n * d->width;
		break;
	}
	d->n_left -= (int64_t)n;
	return 0;
}

size_t pv_plain_copy_binary(pv_plain *d, size_t n, uint8_t *dst, size_t room, int32_t *offsets,
			    size_t *out_bytes, size_t *out_need)
{
	*out_bytes = 0;
	*out_need = 0;
	if (d->type != PV_TYPE_BYTE_ARRAY)
		return 0;
	if ((uint64_t)n > (uint64_t)d->n_left)
		n = (size_t)d->n_left;
	const uint8_t *p = d->p, *end = d->end;
	size_t used = 0, k = 0;
	int32_t o = offsets[0];
	for (; k < n; k++) {
		if ((size_t)(end - p) < 4)
			break;
		uint32_t len = pv_load_u32le(p);
		if (len > (size_t)(end - p) - 4)
			break;
		if (len > room - used) {
			*out_need = len;
			break;
		}
		if (len)
			memcpy(dst + used, p + 4, len);
		p += 4 + (size_t)len;
		used += len;
		o += (int32_t)len;
		offsets[k + 1] = o;
	}
	d->p = p;
	d->n_left -= (int64_t)k;
	*out_bytes = used;
	return k;
}

int pv_plain_take(pv_plain *d, size_t n, const uint8_t **out_ptr, pv_err *err)
{
	*out_ptr = NULL;
	if (d->type == PV_TYPE_BOOLEAN || d->type == PV_TYPE_BYTE_ARRAY)
		return pv_err_set(err, PV_EINVAL, "plain: %s values have no fixed width",
				  pv_physical_type_name(d->type));
	int rc = check_count(d, n, err);
	if (rc)
		return rc;
	*out_ptr = d->p;
	d->p += n * d->width;
	d->n_left -= (int64_t)n;
	return 0;
}

int pv_plain_skip(pv_plain *d, size_t n, pv_err *err)
{
	int rc = check_count(d, n, err);
	if (rc || n == 0)
		return rc;
	if (d->type == PV_TYPE_BOOLEAN) {
		size_t bits = d->bit + n;
		d->p += bits / 8;
		d->bit = (unsigned)(bits % 8);
	} else if (d->type == PV_TYPE_BYTE_ARRAY) {
		if ((rc = byte_arrays(d, NULL, n, err)))
			return rc;
	} else {
		d->p += n * d->width;
	}
	d->n_left -= (int64_t)n;
	return 0;
}

void pv_plain_window(pv_plain *d, const uint8_t *p, const uint8_t *end)
{
	d->p = p;
	d->end = end;
}

size_t pv_plain_fit(const pv_plain *d, size_t n)
{
	if ((uint64_t)n > (uint64_t)d->n_left)
		n = (size_t)d->n_left;
	size_t have = (size_t)(d->end - d->p);
	switch (d->type) {
	case PV_TYPE_BOOLEAN: {
		size_t bits = have * 8 - (have ? d->bit : 0);
		return n < bits ? n : bits;
	}
	case PV_TYPE_BYTE_ARRAY: {
		const uint8_t *p = d->p, *end = d->end;
		size_t k = 0;
		while (k < n && (size_t)(end - p) >= 4) {
			uint32_t len = pv_load_u32le(p);
			if (len > (size_t)(end - p) - 4)
				break;
			p += 4 + (size_t)len;
			k++;
		}
		return k;
	}
	default:
		if (d->width == 0)
			return n;
		return n < have / d->width ? n : have / d->width;
	}
}
