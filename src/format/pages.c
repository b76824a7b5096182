/*
 * pages.c - page headers, page index, bloom filter headers and the
 * split-block bloom filter probe (see pages.h).
 * Includes only base, format and libxxhash.
 */
#include "format/pages.h"

#include <inttypes.h>
#include <string.h>
#include <xxhash.h>

#include "base/banned.h"

#define IF(type) if (ft == (type))
#define SEEN(id) (seen |= (uint32_t)1 << (id))
#define HAS(id) (seen & ((uint32_t)1 << (id)))

static bool missing(pv_thrift_reader *r, uint32_t seen, int id, const char *name)
{
	if (r->code)
		return true;
	if (HAS(id))
		return false;
	pv_thrift_fail(r, PV_ECORRUPT, "missing '%s'", name);
	return true;
}

/* Turns the reader's state into the documented result. */
static int finish(pv_thrift_reader *r, pv_err *e, const char *what, size_t len,
		  size_t *out_len, pv_err *err)
{
	if (!r->code) {
		if (out_len)
			*out_len = pv_thrift_reader_offset(r);
		return 0;
	}
	if (r->truncated) {
		if (out_len)
			*out_len = 0;
		pv_err_set(e, PV_ECORRUPT, "%s truncated (%zu bytes available)", what, len);
	} else {
		if (out_len)
			*out_len = SIZE_MAX;
		pv_err_prefix(e, "%s", what);
	}
	pv_err_copy(err, e);
	return e->code;
}

/* ------------------------------------------------------------------ page headers */

static void data_page_header(pv_thrift_reader *r, pv_arena *a, pv_data_page_header *h)
{
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_I32 && id >= 1 && id <= 4) {
			int32_t v = pv_thrift_read_i32(r);
			SEEN(id);
			switch (id) {
			case 1: h->num_values = v; break;
			case 2: h->encoding = v; break;
			case 3: h->definition_level_encoding = v; break;
			case 4: h->repetition_level_encoding = v; break;
			}
			continue;
		}
		if (ft == PV_THRIFT_STRUCT && id == 5) {
			h->has_statistics = true;
			pv_meta_read_statistics(r, a, &h->statistics);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(r, seen, 1, "num_values") || missing(r, seen, 2, "encoding") ||
	    missing(r, seen, 3, "definition_level_encoding") ||
	    missing(r, seen, 4, "repetition_level_encoding"))
		return;
	if (h->num_values < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative num_values %d", (int)h->num_values);
}

static void dictionary_page_header(pv_thrift_reader *r, pv_dictionary_page_header *h)
{
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { h->num_values = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_I32) { h->encoding = pv_thrift_read_i32(r); SEEN(2); continue; }
			break;
		case 3:
			IF(PV_THRIFT_BOOL) { h->has_is_sorted = true; h->is_sorted = pv_thrift_read_bool(r); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(r, seen, 1, "num_values") || missing(r, seen, 2, "encoding"))
		return;
	if (h->num_values < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative dictionary size %d", (int)h->num_values);
}

static void data_page_header_v2(pv_thrift_reader *r, pv_arena *a, pv_data_page_header_v2 *h)
{
	int ft;
	int16_t id;
	uint32_t seen = 0;
	h->is_compressed = true;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_I32 && id >= 1 && id <= 6) {
			int32_t v = pv_thrift_read_i32(r);
			SEEN(id);
			switch (id) {
			case 1: h->num_values = v; break;
			case 2: h->num_nulls = v; break;
			case 3: h->num_rows = v; break;
			case 4: h->encoding = v; break;
			case 5: h->definition_levels_byte_length = v; break;
			case 6: h->repetition_levels_byte_length = v; break;
			}
			continue;
		}
		if (ft == PV_THRIFT_BOOL && id == 7) {
			h->has_is_compressed = true;
			h->is_compressed = pv_thrift_read_bool(r);
			continue;
		}
		if (ft == PV_THRIFT_STRUCT && id == 8) {
			h->has_statistics = true;
			pv_meta_read_statistics(r, a, &h->statistics);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(r, seen, 1, "num_values") || missing(r, seen, 2, "num_nulls") ||
	    missing(r, seen, 3, "num_rows") || missing(r, seen, 4, "encoding") ||
	    missing(r, seen, 5, "definition_levels_byte_length") ||
	    missing(r, seen, 6, "repetition_levels_byte_length"))
		return;
	if (h->num_values < 0 || h->num_nulls < 0 || h->num_rows < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative count (num_values %d, num_nulls %d, num_rows %d)",
			       (int)h->num_values, (int)h->num_nulls, (int)h->num_rows);
	else if (h->num_nulls > h->num_values)
		pv_thrift_fail(r, PV_ECORRUPT, "num_nulls %d exceeds num_values %d", (int)h->num_nulls,
			       (int)h->num_values);
	else if (h->definition_levels_byte_length < 0 || h->repetition_levels_byte_length < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative level length");
}

int pv_page_header_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_page_header *out,
			 size_t *out_header_len, pv_err *err)
{
	memset(out, 0, sizeof *out);
	*out_header_len = SIZE_MAX;
	pv_err e;
	pv_err_clear(&e);
	pv_thrift_reader t, *r = &t;
	pv_thrift_reader_init(r, buf, len, &e);
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { out->type = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_I32) { out->uncompressed_page_size = pv_thrift_read_i32(r); SEEN(2); continue; }
			break;
		case 3:
			IF(PV_THRIFT_I32) { out->compressed_page_size = pv_thrift_read_i32(r); SEEN(3); continue; }
			break;
		case 4:
			IF(PV_THRIFT_I32) { out->has_crc = true; out->crc = pv_thrift_read_i32(r); continue; }
			break;
		case 5:
			IF(PV_THRIFT_STRUCT) {
				out->has_data_page_header = true;
				data_page_header(r, a, &out->data_page_header);
				if (r->code && !r->truncated)
					pv_err_prefix(&e, "data_page_header");
				continue;
			}
			break;
		case 6:
			IF(PV_THRIFT_STRUCT) { out->has_index_page_header = true; pv_thrift_skip(r, ft); continue; }
			break;
		case 7:
			IF(PV_THRIFT_STRUCT) {
				out->has_dictionary_page_header = true;
				dictionary_page_header(r, &out->dictionary_page_header);
				if (r->code && !r->truncated)
					pv_err_prefix(&e, "dictionary_page_header");
				continue;
			}
			break;
		case 8:
			IF(PV_THRIFT_STRUCT) {
				out->has_data_page_header_v2 = true;
				data_page_header_v2(r, a, &out->data_page_header_v2);
				if (r->code && !r->truncated)
					pv_err_prefix(&e, "data_page_header_v2");
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (!missing(r, seen, 1, "type") && !missing(r, seen, 2, "uncompressed_page_size") &&
	    !missing(r, seen, 3, "compressed_page_size")) {
		if (out->uncompressed_page_size < 0 || out->compressed_page_size < 0)
			pv_thrift_fail(r, PV_ECORRUPT, "negative page size (%d uncompressed, %d compressed)",
				       (int)out->uncompressed_page_size, (int)out->compressed_page_size);
		else if (out->type == PV_PAGE_DATA && !out->has_data_page_header)
			pv_thrift_fail(r, PV_ECORRUPT, "DATA_PAGE without 'data_page_header'");
		else if (out->type == PV_PAGE_DICTIONARY && !out->has_dictionary_page_header)
			pv_thrift_fail(r, PV_ECORRUPT, "DICTIONARY_PAGE without 'dictionary_page_header'");
		else if (out->type == PV_PAGE_DATA_V2 && !out->has_data_page_header_v2)
			pv_thrift_fail(r, PV_ECORRUPT, "DATA_PAGE_V2 without 'data_page_header_v2'");
		else if (out->type == PV_PAGE_DATA_V2 &&
			 (int64_t)out->data_page_header_v2.definition_levels_byte_length +
					 out->data_page_header_v2.repetition_levels_byte_length >
				 out->compressed_page_size)
			pv_thrift_fail(r, PV_ECORRUPT, "level lengths %d + %d exceed the page's %d bytes",
				       (int)out->data_page_header_v2.definition_levels_byte_length,
				       (int)out->data_page_header_v2.repetition_levels_byte_length,
				       (int)out->compressed_page_size);
	}
	return finish(r, &e, "page header", len, out_header_len, err);
}

static void w_statistics_field(pv_thrift_writer *w, int16_t id, bool has, const pv_statistics *s)
{
	if (!has)
		return;
	pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
	pv_meta_write_statistics(w, s);
}

int pv_page_header_write(const pv_page_header *h, pv_buf *out, pv_err *err)
{
	pv_thrift_writer wr, *w = &wr;
	pv_thrift_writer_init(w, out, err);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field_i32(w, 1, h->type);
	pv_thrift_write_field_i32(w, 2, h->uncompressed_page_size);
	pv_thrift_write_field_i32(w, 3, h->compressed_page_size);
	if (h->has_crc)
		pv_thrift_write_field_i32(w, 4, h->crc);
	if (h->has_data_page_header) {
		const pv_data_page_header *d = &h->data_page_header;
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 5);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_i32(w, 1, d->num_values);
		pv_thrift_write_field_i32(w, 2, d->encoding);
		pv_thrift_write_field_i32(w, 3, d->definition_level_encoding);
		pv_thrift_write_field_i32(w, 4, d->repetition_level_encoding);
		w_statistics_field(w, 5, d->has_statistics, &d->statistics);
		pv_thrift_write_struct_end(w);
	}
	if (h->has_index_page_header) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 6);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_struct_end(w);
	}
	if (h->has_dictionary_page_header) {
		const pv_dictionary_page_header *d = &h->dictionary_page_header;
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 7);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_i32(w, 1, d->num_values);
		pv_thrift_write_field_i32(w, 2, d->encoding);
		if (d->has_is_sorted)
			pv_thrift_write_field_bool(w, 3, d->is_sorted);
		pv_thrift_write_struct_end(w);
	}
	if (h->has_data_page_header_v2) {
		const pv_data_page_header_v2 *d = &h->data_page_header_v2;
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 8);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_i32(w, 1, d->num_values);
		pv_thrift_write_field_i32(w, 2, d->num_nulls);
		pv_thrift_write_field_i32(w, 3, d->num_rows);
		pv_thrift_write_field_i32(w, 4, d->encoding);
		pv_thrift_write_field_i32(w, 5, d->definition_levels_byte_length);
		pv_thrift_write_field_i32(w, 6, d->repetition_levels_byte_length);
		if (d->has_is_compressed)
			pv_thrift_write_field_bool(w, 7, d->is_compressed);
		w_statistics_field(w, 8, d->has_statistics, &d->statistics);
		pv_thrift_write_struct_end(w);
	}
	pv_thrift_write_struct_end(w);
	return pv_thrift_writer_status(w);
}

/* ------------------------------------------------------------------ page index */

static bool bytes_list(pv_thrift_reader *r, pv_arena *a, pv_bytes **out, size_t *out_n)
{
	size_t n;
	*out = NULL;
	*out_n = 0;
	if (!pv_thrift_list_of(r, PV_THRIFT_BINARY, &n))
		return false;
	pv_bytes *v = pv_thrift_alloc(r, a, n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < n && !r->code; i++)
		pv_thrift_read_bytes_copy(r, a, &v[i].ptr, &v[i].len);
	if (r->code)
		return false;
	*out = v;
	*out_n = n;
	return true;
}

int pv_column_index_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_column_index *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	pv_err e;
	pv_err_clear(&e);
	pv_thrift_reader t, *r = &t;
	pv_thrift_reader_init(r, buf, len, &e);
	int ft;
	int16_t id;
	uint32_t seen = 0;
	size_t n_null = 0, n_min = 0, n_max = 0, n_nc = 0, n_nan = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_LIST) {
				if (pv_thrift_read_bool_list(r, a, &out->null_pages, &n_null))
					SEEN(1);
				continue;
			}
			break;
		case 2:
			IF(PV_THRIFT_LIST) {
				if (bytes_list(r, a, &out->min_values, &n_min))
					SEEN(2);
				continue;
			}
			break;
		case 3:
			IF(PV_THRIFT_LIST) {
				if (bytes_list(r, a, &out->max_values, &n_max))
					SEEN(3);
				continue;
			}
			break;
		case 4:
			IF(PV_THRIFT_I32) { out->boundary_order = pv_thrift_read_i32(r); SEEN(4); continue; }
			break;
		case 5:
			IF(PV_THRIFT_LIST) {
				out->has_null_counts = pv_thrift_read_i64_list(r, a, &out->null_counts, &n_nc);
				continue;
			}
			break;
		case 6:
			IF(PV_THRIFT_LIST) {
				out->has_repetition_level_histograms = pv_thrift_read_i64_list(r, a,
					&out->repetition_level_histograms, &out->n_repetition_level_histograms);
				continue;
			}
			break;
		case 7:
			IF(PV_THRIFT_LIST) {
				out->has_definition_level_histograms = pv_thrift_read_i64_list(r, a,
					&out->definition_level_histograms, &out->n_definition_level_histograms);
				continue;
			}
			break;
		case 8:
			IF(PV_THRIFT_LIST) {
				out->has_nan_counts = pv_thrift_read_i64_list(r, a, &out->nan_counts, &n_nan);
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (!missing(r, seen, 1, "null_pages") && !missing(r, seen, 2, "min_values") &&
	    !missing(r, seen, 3, "max_values") && !missing(r, seen, 4, "boundary_order")) {
		out->n_pages = n_null;
		if (n_min != n_null || n_max != n_null)
			pv_thrift_fail(r, PV_ECORRUPT, "%zu null_pages but %zu min_values and %zu max_values",
				       n_null, n_min, n_max);
		else if (out->has_null_counts && n_nc != n_null)
			pv_thrift_fail(r, PV_ECORRUPT, "%zu null_counts for %zu pages", n_nc, n_null);
		else if (out->has_nan_counts && n_nan != n_null)
			pv_thrift_fail(r, PV_ECORRUPT, "%zu nan_counts for %zu pages", n_nan, n_null);
	}
	int rc = finish(r, &e, "column index", len, NULL, err);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

static void page_location(pv_thrift_reader *r, pv_page_location *p)
{
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I64) { p->offset = pv_thrift_read_i64(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_I32) { p->compressed_page_size = pv_thrift_read_i32(r); SEEN(2); continue; }
			break;
		case 3:
			IF(PV_THRIFT_I64) { p->first_row_index = pv_thrift_read_i64(r); SEEN(3); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(r, seen, 1, "offset") || missing(r, seen, 2, "compressed_page_size") ||
	    missing(r, seen, 3, "first_row_index"))
		return;
	if (p->offset < 0 || p->compressed_page_size <= 0 || p->first_row_index < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "bad location (offset %" PRId64 ", size %d, first row %" PRId64 ")",
			       p->offset, (int)p->compressed_page_size, p->first_row_index);
}

int pv_offset_index_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_offset_index *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	pv_err e;
	pv_err_clear(&e);
	pv_thrift_reader t, *r = &t;
	pv_thrift_reader_init(r, buf, len, &e);
	int ft;
	int16_t id;
	uint32_t seen = 0;
	size_t n_unenc = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (id == 1 && ft == PV_THRIFT_LIST) {
			size_t n;
			if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
				continue;
			out->page_locations = pv_thrift_alloc(r, a, n, sizeof *out->page_locations);
			if (!out->page_locations)
				continue;
			out->n_page_locations = n;
			for (size_t i = 0; i < n; i++) {
				page_location(r, &out->page_locations[i]);
				if (!r->code && i > 0 &&
				    out->page_locations[i].first_row_index < out->page_locations[i - 1].first_row_index)
					pv_thrift_fail(r, PV_ECORRUPT, "first_row_index goes backwards");
				if (r->code) {
					if (!r->truncated)
						pv_err_prefix(&e, "page location %zu", i);
					break;
				}
			}
			SEEN(1);
			continue;
		}
		if (id == 2 && ft == PV_THRIFT_LIST) {
			out->has_unencoded_byte_array_data_bytes = pv_thrift_read_i64_list(r, a,
				&out->unencoded_byte_array_data_bytes, &n_unenc);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (!missing(r, seen, 1, "page_locations") && out->has_unencoded_byte_array_data_bytes &&
	    n_unenc != out->n_page_locations)
		pv_thrift_fail(r, PV_ECORRUPT, "%zu unencoded_byte_array_data_bytes for %zu pages", n_unenc,
			       out->n_page_locations);
	int rc = finish(r, &e, "offset index", len, NULL, err);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

static void w_i64_list(pv_thrift_writer *w, int16_t id, const int64_t *v, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_LIST, id);
	pv_thrift_write_list_begin(w, PV_THRIFT_I64, n);
	for (size_t i = 0; i < n; i++)
		pv_thrift_write_i64(w, v[i]);
}

int pv_column_index_write(const pv_column_index *ci, pv_buf *out, pv_err *err)
{
	pv_thrift_writer wr, *w = &wr;
	pv_thrift_writer_init(w, out, err);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field(w, PV_THRIFT_LIST, 1);
	pv_thrift_write_list_begin(w, PV_THRIFT_BOOL, ci->n_pages);
	for (size_t i = 0; i < ci->n_pages; i++)
		pv_thrift_write_bool(w, ci->null_pages[i]);
	for (int16_t f = 2; f <= 3; f++) {
		const pv_bytes *v = f == 2 ? ci->min_values : ci->max_values;
		pv_thrift_write_field(w, PV_THRIFT_LIST, f);
		pv_thrift_write_list_begin(w, PV_THRIFT_BINARY, ci->n_pages);
		for (size_t i = 0; i < ci->n_pages; i++)
			pv_thrift_write_binary(w, v[i].ptr, v[i].len);
	}
	pv_thrift_write_field_i32(w, 4, ci->boundary_order);
	if (ci->has_null_counts)
		w_i64_list(w, 5, ci->null_counts, ci->n_pages);
	if (ci->has_repetition_level_histograms)
		w_i64_list(w, 6, ci->repetition_level_histograms, ci->n_repetition_level_histograms);
	if (ci->has_definition_level_histograms)
		w_i64_list(w, 7, ci->definition_level_histograms, ci->n_definition_level_histograms);
	if (ci->has_nan_counts)
		w_i64_list(w, 8, ci->nan_counts, ci->n_pages);
	pv_thrift_write_struct_end(w);
	return pv_thrift_writer_status(w);
}

int pv_offset_index_write(const pv_offset_index *oi, pv_buf *out, pv_err *err)
{
	pv_thrift_writer wr, *w = &wr;
	pv_thrift_writer_init(w, out, err);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field(w, PV_THRIFT_LIST, 1);
	pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, oi->n_page_locations);
	for (size_t i = 0; i < oi->n_page_locations; i++) {
		const pv_page_location *p = &oi->page_locations[i];
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_i64(w, 1, p->offset);
		pv_thrift_write_field_i32(w, 2, p->compressed_page_size);
		pv_thrift_write_field_i64(w, 3, p->first_row_index);
		pv_thrift_write_struct_end(w);
	}
	if (oi->has_unencoded_byte_array_data_bytes)
		w_i64_list(w, 2, oi->unencoded_byte_array_data_bytes, oi->n_page_locations);
	pv_thrift_write_struct_end(w);
	return pv_thrift_writer_status(w);
}

/* ------------------------------------------------------------------ bloom filters */

/* A union of empty structs: the member id, or 0 when empty. */
static int32_t union_member(pv_thrift_reader *r)
{
	int ft;
	int16_t id;
	int32_t member = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_STRUCT)
			member = id;
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	return member;
}

int pv_bloom_header_parse(const uint8_t *buf, size_t len, pv_bloom_header *out,
			  size_t *out_header_len, pv_err *err)
{
	memset(out, 0, sizeof *out);
	*out_header_len = SIZE_MAX;
	pv_err e;
	pv_err_clear(&e);
	pv_thrift_reader t, *r = &t;
	pv_thrift_reader_init(r, buf, len, &e);
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (id == 1 && ft == PV_THRIFT_I32) {
			out->num_bytes = pv_thrift_read_i32(r);
			SEEN(1);
			continue;
		}
		if (id >= 2 && id <= 4 && ft == PV_THRIFT_STRUCT) {
			int32_t m = union_member(r);
			if (id == 2)
				out->algorithm = m;
			else if (id == 3)
				out->hash = m;
			else
				out->compression = m;
			SEEN(id);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (!missing(r, seen, 1, "numBytes") && !missing(r, seen, 2, "algorithm") &&
	    !missing(r, seen, 3, "hash") && !missing(r, seen, 4, "compression")) {
		if (out->num_bytes <= 0 || out->num_bytes % 32 != 0)
			pv_thrift_fail(r, PV_ECORRUPT, "bitset size %d is not a positive multiple of 32",
				       (int)out->num_bytes);
		else if ((size_t)out->num_bytes > PV_BLOOM_MAX_BYTES)
			pv_thrift_fail(r, PV_ELIMIT, "bitset of %d bytes exceeds the cap of %zu",
				       (int)out->num_bytes, PV_BLOOM_MAX_BYTES);
		else if (out->algorithm != 1 || out->hash != 1 || out->compression != 1)
			pv_thrift_fail(r, PV_EUNSUPPORTED,
				       "unsupported algorithm %d, hash %d or compression %d",
				       (int)out->algorithm, (int)out->hash, (int)out->compression);
	}
	return finish(r, &e, "bloom filter header", len, out_header_len, err);
}

int pv_bloom_header_write(const pv_bloom_header *h, pv_buf *out, pv_err *err)
{
	pv_thrift_writer wr, *w = &wr;
	pv_thrift_writer_init(w, out, err);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field_i32(w, 1, h->num_bytes);
	const int32_t members[3] = { h->algorithm, h->hash, h->compression };
	for (int i = 0; i < 3; i++) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, (int16_t)(2 + i));
		pv_thrift_write_struct_begin(w);
		if (members[i] > 0) {
			pv_thrift_write_field(w, PV_THRIFT_STRUCT, (int16_t)members[i]);
			pv_thrift_write_struct_begin(w);
			pv_thrift_write_struct_end(w);
		}
		pv_thrift_write_struct_end(w);
	}
	pv_thrift_write_struct_end(w);
	return pv_thrift_writer_status(w);
}

static const uint32_t SALT[8] = { 0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
				  0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U };

bool pv_bloom_check(const uint8_t *bitset, size_t n_bytes, uint64_t hash)
{
	uint64_t n_blocks = n_bytes / 32;
	/* Keeps the multiply below in 64 bits; real filters are far smaller. */
	if (n_blocks > UINT32_MAX)
		n_blocks = UINT32_MAX;
	if (n_blocks == 0)
		return true;
	uint64_t block = ((hash >> 32) * n_blocks) >> 32;
	const uint8_t *b = bitset + block * 32;
	uint32_t key = (uint32_t)hash;
	for (int i = 0; i < 8; i++) {
		uint32_t mask = (uint32_t)1 << ((key * SALT[i]) >> 27);
		if (!(pv_load_u32le(b + 4 * i) & mask))
			return false;
	}
	return true;
}

void pv_bloom_insert(uint8_t *bitset, size_t n_bytes, uint64_t hash)
{
	uint64_t n_blocks = n_bytes / 32;
	/* Keeps the multiply below in 64 bits; real filters are far smaller. */
	if (n_blocks > UINT32_MAX)
		n_blocks = UINT32_MAX;
	if (n_blocks == 0)
		return;
	uint64_t block = ((hash >> 32) * n_blocks) >> 32;
	uint8_t *b = bitset + block * 32;
	uint32_t key = (uint32_t)hash;
	for (int i = 0; i < 8; i++) {
		uint32_t bit = (key * SALT[i]) >> 27;
		b[4 * i + bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
}

uint64_t pv_bloom_hash(const void *p, size_t n)
{
	return (uint64_t)XXH64(p, n, 0);
}

int pv_bloom_hash_value(const pv_value *v, pv_physical_type t, uint64_t *out_hash, pv_err *err)
{
	uint8_t b[8];
	*out_hash = 0;
	bool integer = v->kind == PV_VAL_INT || v->kind == PV_VAL_UINT || v->kind == PV_VAL_DATE ||
		       v->kind == PV_VAL_TIME || v->kind == PV_VAL_TIMESTAMP ||
		       (v->kind == PV_VAL_DECIMAL && !v->dec_bytes);
	bool bytes = v->kind == PV_VAL_STRING || v->kind == PV_VAL_BINARY || v->kind == PV_VAL_UUID ||
		     (v->kind == PV_VAL_DECIMAL && v->dec_bytes);
	switch (t) {
	case PV_TYPE_INT32:
	case PV_TYPE_INT64: {
		if (!integer)
			break;
		uint64_t u = v->kind == PV_VAL_UINT ? v->u : (uint64_t)v->i;
		size_t n = t == PV_TYPE_INT32 ? 4 : 8;
		for (size_t i = 0; i < n; i++)
			b[i] = (uint8_t)(u >> (8 * i));
		*out_hash = pv_bloom_hash(b, n);
		return 0;
	}
	case PV_TYPE_FLOAT: {
		if (v->kind != PV_VAL_FLOAT)
			break;
		float f = (float)v->f;
		uint32_t u;
		memcpy(&u, &f, sizeof u);
		for (int i = 0; i < 4; i++)
			b[i] = (uint8_t)(u >> (8 * i));
		*out_hash = pv_bloom_hash(b, 4);
		return 0;
	}
	case PV_TYPE_DOUBLE: {
		if (v->kind != PV_VAL_FLOAT)
			break;
		uint64_t u;
		memcpy(&u, &v->f, sizeof u);
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(u >> (8 * i));
		*out_hash = pv_bloom_hash(b, 8);
		return 0;
	}
	case PV_TYPE_INT96:
		if (v->kind != PV_VAL_INT96RAW)
			break;
		*out_hash = pv_bloom_hash(v->bytes.ptr, v->bytes.len);
		return 0;
	case PV_TYPE_BYTE_ARRAY:
	case PV_TYPE_FIXED_LEN_BYTE_ARRAY:
		if (!bytes)
			break;
		*out_hash = pv_bloom_hash(v->bytes.ptr, v->bytes.len);
		return 0;
	default:
		break;
	}
	return pv_err_set(err, PV_EINVAL, "a value of this kind cannot be looked up in a %s bloom filter",
			  pv_physical_type_name(t));
}
