/*
 * pageindex.c - ColumnIndex / OffsetIndex reads, checks and decoding (see
 * pageindex.h). Parsing is format/pages.c's; this file does the I/O and
 * the consistency rules. Includes base, format, io and read; nothing above.
 */
#include "read/pageindex.h"

#include <stdlib.h>
#include <string.h>

#include "format/stats.h"
#include "read/pagewalk.h"
#include "base/banned.h"

/* Reads [off, off + len) of src into a malloc'd buffer after checking the
 * range; what names the index in messages. */
static int read_range(pv_source *src, const char *what, bool has_off, int64_t off, bool has_len,
		      int32_t len, uint8_t **out, pv_err *err)
{
	*out = NULL;
	if (!has_off || !has_len)
		return pv_err_set(err, PV_ENOTFOUND, "no %s", what);
	int64_t size = pv_source_size(src);
	if (off < 4 || len <= 0 || off >= size || (int64_t)len > size - off)
		return pv_err_set(err, PV_ECORRUPT, "%s at offset %lld with length %d lies outside the file (size %lld)",
				  what, (long long)off, len, (long long)size);
	if ((size_t)len > PV_PAGEINDEX_MAX_BYTES)
		return pv_err_set(err, PV_ELIMIT, "%s of %d bytes exceeds the cap of %zu bytes", what, len,
				  PV_PAGEINDEX_MAX_BYTES);
	uint8_t *buf = malloc((size_t)len);
	if (!buf)
		return pv_err_set(err, PV_ENOMEM, "out of memory for a %d-byte %s", len, what);
	int rc = pv_source_read(src, off, buf, (size_t)len, err);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

int pv_pageindex_read_offsets(pv_source *src, const pv_column_chunk *cc, int64_t row_group_rows,
			      pv_arena *a, pv_offset_index *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	int64_t start, end;
	int rc = pv_pagewalk_chunk_range(cc, pv_source_size(src), &start, &end, err);
	if (rc)
		return rc;
	uint8_t *buf;
	rc = read_range(src, "offset index", cc->has_offset_index_offset, cc->offset_index_offset,
			cc->has_offset_index_length, cc->offset_index_length, &buf, err);
	if (rc)
		return rc;
	rc = pv_offset_index_parse(buf, (size_t)cc->offset_index_length, a, out, err);
	free(buf);
	if (rc) {
		pv_err_prefix(err, "offset index");
		memset(out, 0, sizeof *out);
		return rc;
	}
	if ((rc = pv_pageindex_check_offsets(out, start, end, row_group_rows, err))) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	return 0;
}

int pv_pageindex_read_columns(pv_source *src, const pv_column_chunk *cc, pv_arena *a,
			      pv_column_index *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (cc->encrypted)
		return pv_err_set(err, PV_EUNSUPPORTED, "column chunk is encrypted");
	uint8_t *buf;
	int rc = read_range(src, "column index", cc->has_column_index_offset, cc->column_index_offset,
			    cc->has_column_index_length, cc->column_index_length, &buf, err);
	if (rc)
		return rc;
	rc = pv_column_index_parse(buf, (size_t)cc->column_index_length, a, out, err);
	free(buf);
	if (rc) {
		pv_err_prefix(err, "column index");
		memset(out, 0, sizeof *out);
	}
	return rc;
}

int pv_pageindex_check_offsets(const pv_offset_index *oi, int64_t chunk_start, int64_t chunk_end,
			       int64_t row_group_rows, pv_err *err)
{
	if (oi->n_page_locations == 0)
		return pv_err_set(err, PV_ECORRUPT, "offset index: no pages");
	for (size_t i = 0; i < oi->n_page_locations; i++) {
		const pv_page_location *p = &oi->page_locations[i];
		if (i == 0 && p->first_row_index != 0)
			return pv_err_set(err, PV_ECORRUPT, "offset index: page 0: first_row_index %lld is not 0",
					  (long long)p->first_row_index);
		if (i > 0 && p->first_row_index <= oi->page_locations[i - 1].first_row_index)
			return pv_err_set(err, PV_ECORRUPT,
					  "offset index: page %zu: first_row_index %lld does not follow %lld", i,
					  (long long)p->first_row_index,
					  (long long)oi->page_locations[i - 1].first_row_index);
		if (row_group_rows >= 0 && p->first_row_index >= row_group_rows)
			return pv_err_set(err, PV_ECORRUPT,
					  "offset index: page %zu: first_row_index %lld is past the row group's %lld rows",
					  i, (long long)p->first_row_index, (long long)row_group_rows);
		if (p->compressed_page_size <= 0 || p->offset < chunk_start || p->offset >= chunk_end ||
		    (int64_t)p->compressed_page_size > chunk_end - p->offset)
			return pv_err_set(err, PV_ECORRUPT,
					  "offset index: page %zu: [%lld, +%d) lies outside the column chunk [%lld, %lld)",
					  i, (long long)p->offset, p->compressed_page_size, (long long)chunk_start,
					  (long long)chunk_end);
		if (i > 0) {
			const pv_page_location *q = &oi->page_locations[i - 1];
			/* q fits in the chunk, so the sum cannot overflow. */
			if (p->offset < q->offset + q->compressed_page_size)
				return pv_err_set(err, PV_ECORRUPT,
						  "offset index: page %zu at offset %lld overlaps page %zu ending at %lld",
						  i, (long long)p->offset, i - 1,
						  (long long)(q->offset + q->compressed_page_size));
		}
	}
	return 0;
}

int pv_pageindex_check_columns(const pv_column_index *ci, const pv_offset_index *oi, pv_err *err)
{
	if (ci->n_pages != oi->n_page_locations)
		return pv_err_set(err, PV_ECORRUPT, "column index has %zu pages but the offset index has %zu",
				  ci->n_pages, oi->n_page_locations);
	for (size_t i = 0; i < ci->n_pages; i++) {
		if (ci->null_pages[i])
			continue;
		/* An empty min or max is legal for byte arrays (the empty
		 * string); only the pointers must be usable. */
		if ((!ci->min_values[i].ptr && ci->min_values[i].len) ||
		    (!ci->max_values[i].ptr && ci->max_values[i].len))
			return pv_err_set(err, PV_ECORRUPT, "column index: page %zu: missing min or max", i);
	}
	return 0;
}

int pv_pageindex_bounds(const pv_column_index *ci, const pv_schema_node *leaf, size_t page,
			pv_page_bounds *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (page >= ci->n_pages)
		return pv_err_set(err, PV_EINVAL, "page %zu is out of range (the column index has %zu)", page,
				  ci->n_pages);
	bool negative = ci->has_null_counts && ci->null_counts[page] < 0;
	out->has_null_count = ci->has_null_counts && !negative;
	if (out->has_null_count)
		out->null_count = ci->null_counts[page];
	if (ci->null_pages[page]) {
		/* A null page with a negative count is parquet-mr's entry for a
		 * page without statistics, not a page of nulls. */
		out->null_page = !negative;
		out->unknown = negative;
		return 0;
	}
	int rc = pv_stats_value(leaf, ci->min_values[page].ptr, ci->min_values[page].len, &out->min, err);
	if (!rc)
		rc = pv_stats_value(leaf, ci->max_values[page].ptr, ci->max_values[page].len, &out->max, err);
	if (rc) {
		memset(&out->min, 0, sizeof out->min);
		memset(&out->max, 0, sizeof out->max);
		pv_err_prefix(err, "column index: page %zu", page);
	}
	return rc;
}

int64_t pv_pageindex_row_to_page(const pv_offset_index *oi, int64_t row)
{
	if (row < 0 || oi->n_page_locations == 0)
		return -1;
	/* Invariant: page lo starts at or before row (page 0 starts at row 0
	 * once checked; before that, clamping to page 0 is the best answer)
	 * and page hi, if it exists, starts after it. */
	size_t lo = 0, hi = oi->n_page_locations;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (oi->page_locations[mid].first_row_index <= row)
			lo = mid;
		else
			hi = mid;
	}
	return (int64_t)lo;
}
