/*
 * dict.c - dictionary pages (PLAIN values) and the bounds-checked gather.
 * Includes base, format and encoding only (no io, codec or higher layers).
 */
#include "encoding/dict.h"

#include <stdlib.h>
#include <string.h>

#include "encoding/plain.h"
#include "format/meta.h"
#include "base/banned.h"

int pv_dict_init(pv_dict *d, const uint8_t *page, size_t len, int physical_type,
		 int32_t type_length, int64_t n_entries, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->type = physical_type;
	if (n_entries < 0)
		return pv_err_set(err, PV_ECORRUPT, "dictionary: negative entry count %lld",
				  (long long)n_entries);
	pv_plain pl;
	int rc = pv_plain_init(&pl, page, len, physical_type, type_length, n_entries, err);
	if (rc)
		return rc;
	switch (physical_type) {
	case PV_TYPE_BOOLEAN:
		/* plain init checked n_entries <= 8 * len */
		d->owned = malloc(n_entries ? (size_t)n_entries : 1);
		if (!d->owned)
			return pv_err_set(err, PV_ENOMEM, "dictionary: out of memory for %lld booleans",
					  (long long)n_entries);
		rc = pv_plain_get(&pl, d->owned, (size_t)n_entries, err);
		d->fixed = d->owned;
		d->width = 1;
		break;
	case PV_TYPE_BYTE_ARRAY:
		/* every entry takes at least its 4-byte length: cap before allocating */
		if ((uint64_t)n_entries > len / 4)
			return pv_err_set(err, PV_ECORRUPT,
					  "dictionary: %lld byte array entries cannot fit in %zu bytes",
					  (long long)n_entries, len);
		d->views = malloc((n_entries ? (size_t)n_entries : 1) * sizeof *d->views);
		if (!d->views)
			return pv_err_set(err, PV_ENOMEM, "dictionary: out of memory for %lld entries",
					  (long long)n_entries);
		rc = pv_plain_get(&pl, d->views, (size_t)n_entries, err);
		break;
	default:
		/* plain init checked n_entries * width <= len */
		d->width = pl.width;
		d->fixed = page;
		break;
	}
	if (rc)
		return rc;
	d->n_entries = n_entries;
	return 0;
}

void pv_dict_release(pv_dict *d)
{
	if (!d)
		return;
	free(d->views);
	free(d->owned);
	d->views = NULL;
	d->owned = NULL;
	d->fixed = NULL;
	d->n_entries = 0;
}

/* Checks all indices at once (a branch-free max the compiler vectorises),
 * and only on failure looks for the first bad one to name it. */
static int check_indices(const pv_dict *d, const uint32_t *idx, size_t n, pv_err *err)
{
	uint32_t max = 0;
	for (size_t i = 0; i < n; i++)
		max = idx[i] > max ? idx[i] : max;
	if (n == 0 || (int64_t)max < d->n_entries)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((int64_t)idx[i] >= d->n_entries)
			return pv_err_set(err, PV_ECORRUPT,
					  "dictionary index %u out of range (dictionary has %lld entries)",
					  idx[i], (long long)d->n_entries);
	return 0;
}

int pv_dict_gather(const pv_dict *d, const uint32_t *idx, size_t n, void *out, pv_err *err)
{
	int rc = check_indices(d, idx, n, err);
	if (rc)
		return rc;
	switch (d->type) {
	case PV_TYPE_BYTE_ARRAY: {
		pv_bytes_view *o = out;
		for (size_t i = 0; i < n; i++)
			o[i] = d->views[idx[i]];
		return 0;
	}
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY: {
		pv_bytes_view *o = out;
		for (size_t i = 0; i < n; i++) {
			o[i].ptr = d->fixed + (size_t)idx[i] * d->width;
			o[i].len = (uint32_t)d->width;
		}
		return 0;
	}
	default:
		break;
	}
	/* fixed widths: entries may be unaligned in the page, so copy bytes
	 * with a constant size the compiler turns into one load and store */
	const uint8_t *src = d->fixed;
	uint8_t *o = out;
	switch (d->width) {
	case 1:
		for (size_t i = 0; i < n; i++)
			o[i] = src[idx[i]];
		break;
	case 4:
		for (size_t i = 0; i < n; i++)
			memcpy(o + 4 * i, src + 4 * (size_t)idx[i], 4);
		break;
	case 8:
		for (size_t i = 0; i < n; i++)
			memcpy(o + 8 * i, src + 8 * (size_t)idx[i], 8);
		break;
	case 12:
		for (size_t i = 0; i < n; i++)
			memcpy(o + 12 * i, src + 12 * (size_t)idx[i], 12);
		break;
	default:
		return pv_err_set(err, PV_EINTERNAL, "dictionary: unexpected width %zu", d->width);
	}
	return 0;
}
