/*
 * decoder.c - dispatch from (encoding, physical type) to the decoders.
 * Includes base, format and encoding only (no io, codec or higher layers).
 */
#include "encoding/decoder.h"

#include <stdbool.h>
#include <string.h>

#include "base/checked.h"
#include "format/meta.h"
#include "base/banned.h"

/* Dictionary indices decoded at once before a gather. */
#define INDEX_BATCH 1024

static int not_defined(int encoding, int type, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT, "encoding '%s' is not defined for '%s'",
			  pv_encoding_name(encoding), pv_physical_type_name(type));
}

/* what: "delta: header" or "bss: data", which hold fewer values than the
 * page says it has. */
static int too_few(const char *what, int64_t have, int64_t need, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT, "%s holds %lld values, the page needs %lld", what,
			  (long long)have, (long long)need);
}

int pv_decoder_init(pv_decoder *d, int encoding, int physical_type, int32_t type_length,
		    const uint8_t *data, size_t len, int64_t n_values, const pv_dict *dict,
		    pv_buf *scratch, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->encoding = encoding;
	d->type = physical_type;
	d->width = pv_value_width(physical_type);
	d->dict = dict;
	d->scratch = scratch;
	if (d->width == 0)
		return pv_err_set(err, PV_EINVAL, "unknown physical type %d", physical_type);
	if (n_values < 0)
		return pv_err_set(err, PV_EINVAL, "negative value count %lld", (long long)n_values);
	const bool flba = physical_type == PV_TYPE_FIXED_LEN_BYTE_ARRAY;
	if (flba && type_length < 0)
		return pv_err_set(err, PV_ECORRUPT, "negative fixed_len_byte_array length %d", type_length);
	int rc = 0;
	switch (encoding) {
	case PV_ENC_PLAIN:
		rc = pv_plain_init(&d->u.plain, data, len, physical_type, type_length, n_values, err);
		break;
	case PV_ENC_RLE:
		if (physical_type != PV_TYPE_BOOLEAN)
			return not_defined(encoding, physical_type, err);
		rc = pv_rle_init_prefixed(&d->u.rle, data, len, 1, n_values, NULL, err);
		break;
	case PV_ENC_PLAIN_DICTIONARY:
	case PV_ENC_RLE_DICTIONARY:
		if (!dict)
			return pv_err_set(err, PV_ECORRUPT,
					  "page is dictionary-encoded but the column chunk has no dictionary");
		if (dict->type != physical_type)
			return pv_err_set(err, PV_EINVAL, "dictionary of '%s' used for '%s' values",
					  pv_physical_type_name(dict->type), pv_physical_type_name(physical_type));
		rc = pv_rle_init_dict(&d->u.rle, data, len, n_values, err);
		break;
	case PV_ENC_DELTA_BINARY_PACKED:
		if (physical_type != PV_TYPE_INT32 && physical_type != PV_TYPE_INT64)
			return not_defined(encoding, physical_type, err);
		rc = pv_delta_init(&d->u.delta, data, len, err);
		if (!rc && d->u.delta.n_total < n_values)
			return too_few("delta: header", d->u.delta.n_total, n_values, err);
		break;
	case PV_ENC_DELTA_LENGTH_BYTE_ARRAY:
		if (physical_type != PV_TYPE_BYTE_ARRAY)
			return not_defined(encoding, physical_type, err);
		rc = pv_dlba_init(&d->u.dlba, data, len, n_values, err);
		if (!rc && d->u.dlba.n_values < n_values)
			return too_few("delta: header", d->u.dlba.n_values, n_values, err);
		break;
	case PV_ENC_DELTA_BYTE_ARRAY:
		if (physical_type != PV_TYPE_BYTE_ARRAY && !flba)
			return not_defined(encoding, physical_type, err);
		if (!scratch)
			return pv_err_set(err, PV_EINVAL, "delta_byte_array needs a scratch buffer");
		rc = pv_dba_init(&d->u.dba, data, len, flba ? type_length : -1, n_values, err);
		if (!rc && d->u.dba.prefixes.n_total < n_values)
			return too_few("delta: header", d->u.dba.prefixes.n_total, n_values, err);
		break;
	case PV_ENC_BYTE_STREAM_SPLIT: {
		if (physical_type == PV_TYPE_BOOLEAN || physical_type == PV_TYPE_BYTE_ARRAY ||
		    physical_type == PV_TYPE_INT96)
			return not_defined(encoding, physical_type, err);
		if (flba && !scratch)
			return pv_err_set(err, PV_EINVAL, "byte_stream_split of fixed_len_byte_array needs a scratch buffer");
		size_t w = pv_plain_width(physical_type, type_length);
		if (w == 0)
			return pv_err_set(err, PV_ECORRUPT, "bss: fixed_len_byte_array length 0 cannot be split");
		rc = pv_bss_init(&d->u.bss, data, len, w, err);
		if (!rc && d->u.bss.n_values < (uint64_t)n_values)
			return too_few("bss: data", (int64_t)d->u.bss.n_values, n_values, err);
		break;
	}
	case PV_ENC_BIT_PACKED:
		return pv_err_set(err, PV_ECORRUPT, "encoding 'BIT_PACKED' is for levels, not values");
	default:
		return pv_err_set(err, PV_EUNSUPPORTED, "unsupported encoding %d", encoding);
	}
	if (rc)
		return rc;
	d->n_values = d->n_left = n_values;
	return 0;
}

static int dict_get(pv_decoder *d, uint8_t *out, size_t n, pv_err *err)
{
	uint32_t idx[INDEX_BATCH];
	for (size_t done = 0; done < n;) {
		size_t k = n - done < INDEX_BATCH ? n - done : INDEX_BATCH;
		int rc = pv_rle_get_u32(&d->u.rle, idx, k, err);
		if (!rc)
			rc = pv_dict_gather(d->dict, idx, k, out + done * d->width, err);
		if (rc)
			return rc;
		done += k;
	}
	return 0;
}

/* FIXED_LEN_BYTE_ARRAY values are not contiguous in a split stream: put
 * them together in scratch and point the views there. */
static int bss_views(pv_decoder *d, pv_bytes_view *out, size_t n, pv_err *err)
{
	size_t w = d->u.bss.width, bytes;
	if (!pv_mul_size(n, w, &bytes))
		return pv_err_set(err, PV_ELIMIT, "bss: %zu values of %zu bytes overflow", n, w);
	int rc = pv_buf_reserve(d->scratch, bytes, err);
	if (!rc)
		rc = pv_bss_get(&d->u.bss, d->scratch->data + d->scratch->len, n, err);
	if (rc)
		return rc;
	const uint8_t *p = (const uint8_t *)d->scratch->data + d->scratch->len;
	for (size_t i = 0; i < n; i++) {
		out[i].ptr = p + i * w;
		out[i].len = (uint32_t)w;
	}
	d->scratch->len += bytes;
	d->scratch->data[d->scratch->len] = '\0';
	return 0;
}

int pv_decoder_get(pv_decoder *d, void *out, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)d->n_left)
		return pv_err_set(err, PV_EINVAL, "asked for %zu values, only %lld left", n,
				  (long long)d->n_left);
	if (n == 0)
		return 0;
	int rc;
	switch (d->encoding) {
	case PV_ENC_PLAIN:
		rc = pv_plain_get(&d->u.plain, out, n, err);
		break;
	case PV_ENC_RLE:
		rc = pv_rle_get_bool(&d->u.rle, out, n, err);
		break;
	case PV_ENC_PLAIN_DICTIONARY:
	case PV_ENC_RLE_DICTIONARY:
		rc = dict_get(d, out, n, err);
		break;
	case PV_ENC_DELTA_BINARY_PACKED:
		rc = d->type == PV_TYPE_INT32 ? pv_delta_get_i32(&d->u.delta, out, n, err)
					      : pv_delta_get_i64(&d->u.delta, out, n, err);
		break;
	case PV_ENC_DELTA_LENGTH_BYTE_ARRAY:
		rc = pv_dlba_get(&d->u.dlba, out, n, err);
		break;
	case PV_ENC_DELTA_BYTE_ARRAY:
		rc = pv_dba_get(&d->u.dba, out, n, d->scratch, err);
		break;
	case PV_ENC_BYTE_STREAM_SPLIT:
		rc = d->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY ? bss_views(d, out, n, err)
							     : pv_bss_get(&d->u.bss, out, n, err);
		break;
	default:
		rc = pv_err_set(err, PV_EINTERNAL, "decoder used after a failed init");
		break;
	}
	if (rc)
		return rc;
	d->n_left -= (int64_t)n;
	return 0;
}

size_t pv_decoder_copy_binary(pv_decoder *d, size_t n, uint8_t *dst, size_t room,
			      int32_t *offsets, size_t *out_bytes, size_t *out_need)
{
	*out_bytes = 0;
	*out_need = 0;
	if (d->encoding != PV_ENC_PLAIN || d->type != PV_TYPE_BYTE_ARRAY)
		return 0;
	if ((uint64_t)n > (uint64_t)d->n_left)
		n = (size_t)d->n_left;
	size_t k = pv_plain_copy_binary(&d->u.plain, n, dst, room, offsets, out_bytes, out_need);
	d->n_left -= (int64_t)k;
	return k;
}

int pv_decoder_skip(pv_decoder *d, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)d->n_left)
		return pv_err_set(err, PV_EINVAL, "asked to skip %zu values, only %lld left", n,
				  (long long)d->n_left);
	if (n == 0)
		return 0;
	int rc;
	switch (d->encoding) {
	case PV_ENC_PLAIN:
		rc = pv_plain_skip(&d->u.plain, n, err);
		break;
	case PV_ENC_RLE:
	case PV_ENC_PLAIN_DICTIONARY:
	case PV_ENC_RLE_DICTIONARY:
		rc = pv_rle_skip(&d->u.rle, n, err);
		break;
	case PV_ENC_DELTA_BINARY_PACKED:
		rc = pv_delta_skip(&d->u.delta, n, err);
		break;
	case PV_ENC_DELTA_LENGTH_BYTE_ARRAY:
		rc = pv_dlba_skip(&d->u.dlba, n, err);
		break;
	case PV_ENC_DELTA_BYTE_ARRAY:
		rc = pv_dba_skip(&d->u.dba, n, err);
		break;
	case PV_ENC_BYTE_STREAM_SPLIT:
		rc = pv_bss_skip(&d->u.bss, n, err);
		break;
	default:
		rc = pv_err_set(err, PV_EINTERNAL, "decoder used after a failed init");
		break;
	}
	if (rc)
		return rc;
	d->n_left -= (int64_t)n;
	return 0;
}

void pv_decoder_release(pv_decoder *d)
{
	if (!d)
		return;
	if (d->encoding == PV_ENC_DELTA_BYTE_ARRAY)
		pv_dba_release(&d->u.dba);
}
