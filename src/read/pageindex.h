/*
 * pageindex.h - a column chunk's page index (ColumnIndex and OffsetIndex),
 * read on demand, checked against the chunk, and decoded into per-page
 * bounds; plus the row -> page lookup random row access uses.
 *
 * Each index is one read of exactly its stored length (capped at
 * PV_PAGEINDEX_MAX_BYTES), parsed by format/pages.c into the caller's arena.
 * Includes base, format and io (pageindex.c also read/pagewalk.h); nothing
 * above read.
 */
#ifndef PV_PAGEINDEX_H
#define PV_PAGEINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/pages.h"
#include "format/schema.h"
#include "format/value.h"
#include "io/source.h"

/* The longest serialized ColumnIndex or OffsetIndex parqview reads. */
#define PV_PAGEINDEX_MAX_BYTES ((size_t)64 << 20)

/* Reads and parses cc's OffsetIndex into *out (memory from a, released
 * with it), then checks it with pv_pageindex_check_offsets against the
 * chunk's byte range and row_group_rows (the row group's num_rows; -1 to
 * skip that check). Errors:
 *   PV_ENOTFOUND  "no offset index" (the chunk has none);
 *   PV_ELIMIT     a length above PV_PAGEINDEX_MAX_BYTES, or the arena cap;
 *   PV_ECORRUPT   an offset or length outside the file, malformed Thrift,
 *                 any inconsistency (see pv_pageindex_check_offsets);
 *   PV_EUNSUPPORTED an encrypted chunk; PV_EIO, PV_ENOMEM.
 * Not thread-safe on a (the source may be shared). */
int pv_pageindex_read_offsets(pv_source *src, const pv_column_chunk *cc, int64_t row_group_rows,
			      pv_arena *a, pv_offset_index *out, pv_err *err);

/* Reads and parses cc's ColumnIndex into *out (memory from a). Errors as
 * above, with PV_ENOTFOUND "no column index". The page count is not
 * checked here (that needs the OffsetIndex: pv_pageindex_check_columns). */
int pv_pageindex_read_columns(pv_source *src, const pv_column_chunk *cc, pv_arena *a,
			      pv_column_index *out, pv_err *err);

/* Checks an OffsetIndex against its chunk: at least one page, the first at
 * row 0, first_row_index strictly increasing and below row_group_rows
 * (when >= 0), page offsets strictly increasing, each page inside
 * [chunk_start, chunk_end) and not overlapping the next. PV_ECORRUPT
 * naming the page: "offset index: page 3: first_row_index 10 does not
 * follow 12". */
int pv_pageindex_check_offsets(const pv_offset_index *oi, int64_t chunk_start, int64_t chunk_end,
			       int64_t row_group_rows, pv_err *err);

/* Checks that a ColumnIndex matches its OffsetIndex: one entry per page,
 * and every page that is not a null page has usable min and max bytes.
 * PV_ECORRUPT naming the page. Negative null counts are not an error:
 * parquet-mr writes -1 for pages it kept no statistics for (see
 * pv_page_bounds.unknown). */
int pv_pageindex_check_columns(const pv_column_index *ci, const pv_offset_index *oi, pv_err *err);

/* One page's entry of a ColumnIndex, decoded. */
typedef struct pv_page_bounds {
	bool null_page;       /* all values are null; min and max are PV_VAL_NULL */
	bool unknown;         /* the entry says nothing: parquet-mr marks pages
	                       * without statistics as null pages with a null
	                       * count of -1; null_page is false, min and max
	                       * PV_VAL_NULL, no null count */
	bool has_null_count;  /* false when the index has none or it is negative */
	int64_t null_count;
	pv_value min, max;    /* point into the ColumnIndex's arena */
} pv_page_bounds;

/* Decodes page `page` of ci for leaf with pv_stats_value. PV_EINVAL for a
 * page number out of range; PV_ECORRUPT "column index: page 4: ..." for
 * bytes that do not fit the type. */
int pv_pageindex_bounds(const pv_column_index *ci, const pv_schema_node *leaf, size_t page,
			pv_page_bounds *out, pv_err *err);

/* The page holding row `row` (row index within the row group): the last
 * page whose first_row_index <= row, by binary search. -1 when row < 0 or
 * the index has no pages; rows past the last page's start map to the last
 * page (the caller knows the row group's num_rows). The index must have
 * passed pv_pageindex_check_offsets (first rows increasing). */
int64_t pv_pageindex_row_to_page(const pv_offset_index *oi, int64_t row);

#endif
