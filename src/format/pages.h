/*
 * pages.h - the Thrift structures read on demand while walking a column
 * chunk: page headers, the page index (ColumnIndex, OffsetIndex) and bloom
 * filter headers, plus the split-block bloom filter probe and the xxHash64
 * hashing it needs. Parsers take bytes, never do I/O, and copy what they
 * keep into the caller's arena; writers append to a pv_buf.
 * Includes only base and format (and <xxhash.h> in pages.c).
 */
#ifndef PV_PAGES_H
#define PV_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/value.h"

/* ------------------------------------------------------------------ page headers */

typedef struct pv_data_page_header {
	int32_t num_values;                /* including nulls; >= 0 */
	int32_t encoding;                  /* pv_encoding */
	int32_t definition_level_encoding;
	int32_t repetition_level_encoding;
	bool has_statistics;
	pv_statistics statistics;
} pv_data_page_header;

typedef struct pv_dictionary_page_header {
	int32_t num_values;                /* >= 0 */
	int32_t encoding;
	bool has_is_sorted;
	bool is_sorted;
} pv_dictionary_page_header;

typedef struct pv_data_page_header_v2 {
	int32_t num_values;                /* >= 0 */
	int32_t num_nulls;                 /* 0 <= num_nulls <= num_values */
	int32_t num_rows;                  /* >= 0 */
	int32_t encoding;
	int32_t definition_levels_byte_length;  /* >= 0; with the next, <= compressed size */
	int32_t repetition_levels_byte_length;  /* >= 0 */
	bool has_is_compressed;
	bool is_compressed;                /* true when absent, as the spec says */
	bool has_statistics;
	pv_statistics statistics;
} pv_data_page_header_v2;

typedef struct pv_page_header {
	int32_t type;                      /* pv_page_type; others are left to the caller */
	int32_t uncompressed_page_size;    /* >= 0 */
	int32_t compressed_page_size;      /* >= 0 */
	bool has_crc;
	int32_t crc;                       /* CRC-32 (gzip polynomial) of the page bytes */
	bool has_data_page_header;         /* set whenever type is DATA_PAGE */
	pv_data_page_header data_page_header;
	bool has_index_page_header;
	bool has_dictionary_page_header;   /* set whenever type is DICTIONARY_PAGE */
	pv_dictionary_page_header dictionary_page_header;
	bool has_data_page_header_v2;      /* set whenever type is DATA_PAGE_V2 */
	pv_data_page_header_v2 data_page_header_v2;
} pv_page_header;

/* Advice for callers that grow their read window to fit a header. */
#define PV_PAGE_HEADER_MAX ((size_t)64 << 20)

/* Parses the PageHeader at the start of buf (len bytes; the page follows
 * it). Statistics bytes are copied into a. On success *out_header_len is
 * the header's size. Errors (PV_ECORRUPT unless said otherwise):
 *   - buf ended before the header did: *out_header_len is 0 and the message
 *     starts "page header truncated". If the column chunk holds more bytes
 *     than len, retry with more (up to PV_PAGE_HEADER_MAX);
 *   - anything else sets *out_header_len to SIZE_MAX: malformed Thrift,
 *     a missing required field, negative sizes or counts, num_nulls above
 *     num_values, level lengths beyond the page, a DATA_PAGE without its
 *     data_page_header (and likewise for DICTIONARY_PAGE, DATA_PAGE_V2);
 *     PV_ELIMIT for Thrift or arena caps.
 * Thread-safe. */
int pv_page_header_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_page_header *out,
			 size_t *out_header_len, pv_err *err);

/* Serializes h (for the writer and tests). Returns 0 or the buffer's error. */
int pv_page_header_write(const pv_page_header *h, pv_buf *out, pv_err *err);

/* ------------------------------------------------------------------ page index */

typedef struct pv_column_index {
	size_t n_pages;
	bool *null_pages;                  /* [n_pages]: true when the page is all nulls */
	pv_bytes *min_values;              /* [n_pages]: stats bytes, empty for null pages */
	pv_bytes *max_values;              /* [n_pages] */
	int32_t boundary_order;            /* pv_boundary_order */
	bool has_null_counts;
	int64_t *null_counts;              /* [n_pages] */
	bool has_repetition_level_histograms;
	int64_t *repetition_level_histograms;  /* n_pages * (max_rep + 1), unchecked */
	size_t n_repetition_level_histograms;
	bool has_definition_level_histograms;
	int64_t *definition_level_histograms;  /* n_pages * (max_def + 1), unchecked */
	size_t n_definition_level_histograms;
	bool has_nan_counts;
	int64_t *nan_counts;               /* [n_pages] */
} pv_column_index;

typedef struct pv_page_location {
	int64_t offset;                    /* >= 0, file offset of the page header */
	int32_t compressed_page_size;      /* > 0, header included */
	int64_t first_row_index;           /* >= 0, non-decreasing */
} pv_page_location;

typedef struct pv_offset_index {
	pv_page_location *page_locations;
	size_t n_page_locations;
	bool has_unencoded_byte_array_data_bytes;
	int64_t *unencoded_byte_array_data_bytes; /* [n_page_locations] */
} pv_offset_index;

/* Parse a ColumnIndex / OffsetIndex of len bytes (the column chunk's
 * column_index_length / offset_index_length) into *out, memory from a.
 * PV_ECORRUPT for malformed Thrift, missing required fields, lists whose
 * lengths disagree with the page count, negative offsets or sizes, row
 * indexes going backwards; PV_ELIMIT for caps. Trailing bytes are allowed.
 * Thread-safe. */
int pv_column_index_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_column_index *out, pv_err *err);
int pv_offset_index_parse(const uint8_t *buf, size_t len, pv_arena *a, pv_offset_index *out, pv_err *err);

int pv_column_index_write(const pv_column_index *ci, pv_buf *out, pv_err *err);
int pv_offset_index_write(const pv_offset_index *oi, pv_buf *out, pv_err *err);

/* ------------------------------------------------------------------ bloom filters */

/* Largest bitset parqview accepts (as parquet-mr and Arrow do). */
#define PV_BLOOM_MAX_BYTES ((size_t)128 << 20)

typedef struct pv_bloom_header {
	int32_t num_bytes;                 /* bitset size: > 0, a multiple of 32 */
	int32_t algorithm;                 /* union member id: 1 BLOCK */
	int32_t hash;                      /* 1 XXHASH */
	int32_t compression;               /* 1 UNCOMPRESSED */
} pv_bloom_header;

/* Parses the BloomFilterHeader at the start of buf; the bitset follows at
 * *out_header_len. Truncation is reported as for page headers
 * (*out_header_len 0, "bloom filter header truncated"). PV_EUNSUPPORTED for
 * an algorithm, hash or compression other than BLOCK/XXHASH/UNCOMPRESSED;
 * PV_ECORRUPT for a size that is not a positive multiple of 32; PV_ELIMIT
 * above PV_BLOOM_MAX_BYTES. */
int pv_bloom_header_parse(const uint8_t *buf, size_t len, pv_bloom_header *out,
			  size_t *out_header_len, pv_err *err);

int pv_bloom_header_write(const pv_bloom_header *h, pv_buf *out, pv_err *err);

/* The split-block bloom filter probe from the spec: 32-byte blocks of eight
 * little-endian 32-bit words, block ((hash >> 32) * n_blocks) >> 32, and
 * in each word i the bit (low32(hash) * SALT[i]) >> 27. Returns false only
 * when the value is certainly absent; a bitset too small to hold a block
 * answers true (nothing can be excluded). Trailing bytes past the last
 * whole block are ignored. */
bool pv_bloom_check(const uint8_t *bitset, size_t n_bytes, uint64_t hash);

/* Sets the bits for hash (the writer's side; also used by tests). */
void pv_bloom_insert(uint8_t *bitset, size_t n_bytes, uint64_t hash);

/* xxHash64 with seed 0 of n bytes: what the spec hashes. Callers hash the
 * PLAIN encoding of a value: INT32 4 LE bytes, INT64 8 LE bytes, FLOAT and
 * DOUBLE their LE IEEE bytes, BYTE_ARRAY the raw bytes without the length
 * prefix, FIXED_LEN_BYTE_ARRAY the raw bytes. */
uint64_t pv_bloom_hash(const void *p, size_t n);

/* The same for a pv_value stored as physical type t (INT/UINT/DATE/TIME/
 * TIMESTAMP/integer DECIMAL as INT32 or INT64, FLOAT/DOUBLE, STRING/BINARY/
 * UUID/byte DECIMAL/INT96RAW as bytes). PV_EINVAL when the value cannot be
 * stored as t (e.g. BOOLEAN, a string for an INT32 column). */
int pv_bloom_hash_value(const pv_value *v, pv_physical_type t, uint64_t *out_hash, pv_err *err);

#endif
