/*
 * pagewalk.h - the page headers of one column chunk, walked in file order
 * without decompressing or decoding anything: what `--pages` shows and
 * what random access and checks start from.
 *
 * The walk reads the chunk through a buffered window (PV_PAGEWALK_WINDOW
 * bytes per read, so the small headers of many small pages cost one read)
 * and skips page bodies by offset, so a page larger than the window costs
 * no more than its header. Every size from the file is checked against the
 * chunk and the file; the walk never reads outside [chunk start, chunk end).
 * Includes base, format and io; nothing above read.
 */
#ifndef PV_PAGEWALK_H
#define PV_PAGEWALK_H

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

/* Bytes fetched per read while walking. */
#define PV_PAGEWALK_WINDOW ((size_t)64 * 1024)
/* The longest page header the walk accepts (statistics included); a longer
 * one is PV_ECORRUPT. */
#define PV_PAGEWALK_HEADER_MAX ((size_t)16 << 20)

/* One page as its header describes it. Fields that the page type does not
 * carry are -1. */
typedef struct pv_page_info {
	int64_t index;              /* page number within the chunk, from 0 */
	int64_t offset;             /* file offset of the page header */
	size_t header_len;          /* bytes of the Thrift PageHeader */
	int32_t type;               /* pv_page_type (others are passed through) */
	bool is_data;               /* DATA_PAGE or DATA_PAGE_V2 */
	int32_t encoding;           /* pv_encoding of the values; -1 for other page types */
	int32_t compressed_size;    /* bytes after the header */
	int32_t uncompressed_size;
	int64_t num_values;         /* data pages: values including nulls; dictionary
	                             * pages: entries; -1 otherwise */
	int64_t num_rows;           /* rows in the page when known (v2 always; v1 when
	                             * the column is flat); else -1 */
	int64_t first_row;          /* row index (within the row group) of the page's
	                             * first row when known, else -1; see pv_pagewalk_open */
	int64_t num_nulls;          /* v2 num_nulls, else the statistics' null_count, else -1 */
	bool has_statistics;
	pv_statistics statistics;   /* bytes valid until the next pv_pagewalk_next */
	bool has_crc;
	uint32_t crc;
	int32_t def_level_encoding; /* DATA_PAGE only, else -1 */
	int32_t rep_level_encoding; /* DATA_PAGE only, else -1 */
	int32_t def_levels_len;     /* DATA_PAGE_V2 only: byte length, else -1 */
	int32_t rep_levels_len;     /* DATA_PAGE_V2 only, else -1 */
	bool is_compressed;         /* v2: the header's flag; others: codec != UNCOMPRESSED */
	bool has_is_sorted;         /* DICTIONARY_PAGE */
	bool is_sorted;
	const pv_page_header *header; /* the whole parsed header; valid until the next call */
} pv_page_info;

typedef struct pv_pagewalk {
	pv_source *src;             /* borrowed */
	int64_t chunk_start, chunk_end;
	int64_t num_values;         /* the column chunk's claim */
	int32_t codec;
	int max_rep;                /* -1 unknown */
	int64_t pos;                /* next header's offset */
	int64_t n_pages;            /* pages returned so far */
	int64_t values_seen;        /* data page values so far */
	int64_t next_row;           /* first row of the next data page; -1 once unknown */
	bool seen_data;
	bool done;
	uint8_t *win;               /* buffered window over [win_off, win_off + win_len) */
	size_t win_len, win_cap;
	int64_t win_off;
	pv_page_header hdr;
	pv_arena arena;             /* the current header's statistics; reset per page */
} pv_pagewalk;

/* The byte range [*out_start, *out_end) of a column chunk's pages: it
 * starts at the lowest of data_page_offset and dictionary_page_offset that
 * can be real (>= 4: writers store 0 for "none", for the dictionary page
 * and, in chunks holding only an empty dictionary page, for the data page)
 * and spans total_compressed_size bytes. A chunk with neither offset valid
 * and num_values 0 gives the empty range [0, 0). Errors: PV_EUNSUPPORTED
 * for an encrypted chunk or one stored in another file (file_path);
 * PV_ECORRUPT "column chunk [s, e) lies outside the file (size N)", no
 * valid offset for a chunk with values, negative sizes. file_size < 0
 * skips the file-size check. */
int pv_pagewalk_chunk_range(const pv_column_chunk *cc, int64_t file_size, int64_t *out_start,
			    int64_t *out_end, pv_err *err);

/* Prepares a walk over cc's pages in src (borrowed; it must outlive the
 * walk). max_rep is the leaf's maximum repetition level, used to know rows:
 * 0 means every value is a row, so every page's first_row is known; > 0
 * means v1 pages have unknown row counts (first_row becomes -1 from the
 * first such page on); -1 means unknown (only v2 pages count rows).
 * Performs no read. Errors as pv_pagewalk_chunk_range. On failure the
 * struct is still safe to release. Release with pv_pagewalk_release. */
int pv_pagewalk_open(pv_pagewalk *w, pv_source *src, const pv_column_chunk *cc, int max_rep,
		     pv_err *err);

/* Reads the next page header into *out, or sets *out_done (and leaves *out
 * untouched) when the chunk is finished: its total_compressed_size bytes are
 * consumed, or data pages have brought all of the chunk's num_values.
 * Statistics bytes and out->header stay valid until the next call.
 * The caller may stop at any time (a `--pages 10` walk simply releases).
 * Errors, prefixed "page N at offset O: ":
 *   PV_ECORRUPT  a malformed header, one longer than PV_PAGEWALK_HEADER_MAX,
 *                one truncated by the chunk end, a page running past the
 *                chunk end, a chunk that ends before its num_values;
 *   PV_ELIMIT    the statistics exceed the walk's arena cap;
 *   PV_EIO, PV_ENOMEM.
 * After an error the walk is done. Not thread-safe (one walk, one thread;
 * several walks may share a source). */
int pv_pagewalk_next(pv_pagewalk *w, pv_page_info *out, bool *out_done, pv_err *err);

/* Frees the window and the arena. NULL allowed; safe after a failed open. */
void pv_pagewalk_release(pv_pagewalk *w);

/* Rows in a data page described by h, given the leaf's max_rep (-1 when
 * unknown): v2 pages say num_rows; v1 pages of a flat column (max_rep == 0)
 * hold one row per value; otherwise -1 (only decoding the repetition levels
 * would tell). Non-data pages have 0 rows. */
int64_t pv_page_rows(const pv_page_header *h, int max_rep);

/* Decodes the page's statistics min and max for leaf with pv_stats_value,
 * preferring min_value/max_value over the deprecated min/max. Absent values
 * come back as PV_VAL_NULL. Values point into the walk's memory (valid
 * until the next pv_pagewalk_next). PV_ECORRUPT for bytes that do not fit
 * the type. */
int pv_page_info_minmax(const pv_page_info *p, const pv_schema_node *leaf, pv_value *out_min,
			pv_value *out_max, pv_err *err);

#endif
