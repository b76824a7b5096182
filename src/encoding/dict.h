/*
 * dict.h - dictionary pages and the index-to-value gather.
 *
 * A dictionary page holds n_entries PLAIN-encoded values (the count comes
 * from the page header). pv_dict_init decodes one; data pages then carry
 * RLE_DICTIONARY / PLAIN_DICTIONARY indices (rle.h, pv_rle_init_dict) that
 * pv_dict_gather maps to values, checking every index against the size.
 *
 * Fixed-width entries are read in place from the page (no copy); BYTE_ARRAY
 * entries become views into the page (one allocation, at most one view per
 * 4 page bytes); BOOLEAN entries are expanded to bytes. The page bytes must
 * outlive the dictionary and every view gathered from it. A finished
 * dictionary is read-only: gathers from several threads are safe.
 * Includes base and encoding; never io, codec or anything above encoding.
 */
#ifndef PV_DICT_H
#define PV_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "encoding/encoding.h"

typedef struct pv_dict {
	int type;                /* pv_physical_type */
	size_t width;            /* stored bytes per fixed-width entry (1 for BOOLEAN) */
	int64_t n_entries;
	const uint8_t *fixed;    /* fixed-width entries, width bytes each */
	pv_bytes_view *views;    /* BYTE_ARRAY entries (owned) */
	uint8_t *owned;          /* expanded BOOLEAN entries */
} pv_dict;

/* Decodes a dictionary page of n_entries values of physical_type
 * (type_length for FIXED_LEN_BYTE_ARRAY). Release with pv_dict_release.
 * Errors: PV_ECORRUPT "dictionary: negative entry count -3", a page too
 * short for its entries (as pv_plain_get says); PV_EINVAL for an unknown
 * type; PV_ENOMEM. On failure the struct is safe to release. */
int pv_dict_init(pv_dict *d, const uint8_t *page, size_t len, int physical_type,
		 int32_t type_length, int64_t n_entries, pv_err *err);

/* Frees what init allocated. NULL allowed. */
void pv_dict_release(pv_dict *d);

/* out[i] = entry idx[i] for i < n, laid out as encoding.h says for the
 * dictionary's type (FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY as views into the
 * page). Errors: PV_ECORRUPT "dictionary index 17 out of range (dictionary
 * has 4 entries)"; out is then partly written. Thread-safe. */
int pv_dict_gather(const pv_dict *d, const uint32_t *idx, size_t n, void *out, pv_err *err);

#endif
