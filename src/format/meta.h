/*
 * meta.h - the Parquet file metadata (FileMetaData and everything under it),
 * parsed from and written back to the Thrift compact footer.
 *
 * Field ids and meanings follow apache/parquet-format's parquet.thrift.
 * Every optional Thrift field has a has_x flag; required fields are plain.
 * Enum-valued fields the format may extend (codec, encodings, converted
 * type, page type, ...) are stored as int32_t holding the wire value, so an
 * unknown value survives a round trip and is named "UNKNOWN". The physical
 * type and repetition are checked at parse time and stored as enums.
 * All memory of a parsed pv_file_meta comes from one pv_arena; strings are
 * NUL-terminated copies, binary fields are pv_bytes copies.
 * Includes only base and format (thrift.h, value.h for pv_time_unit).
 */
#ifndef PV_META_H
#define PV_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "format/thrift.h"
#include "format/value.h"

/* ------------------------------------------------------------------ enums */

typedef enum pv_physical_type {
	PV_TYPE_BOOLEAN = 0,
	PV_TYPE_INT32 = 1,
	PV_TYPE_INT64 = 2,
	PV_TYPE_INT96 = 3,
	PV_TYPE_FLOAT = 4,
	PV_TYPE_DOUBLE = 5,
	PV_TYPE_BYTE_ARRAY = 6,
	PV_TYPE_FIXED_LEN_BYTE_ARRAY = 7
} pv_physical_type;

typedef enum pv_repetition {
	PV_REP_REQUIRED = 0,
	PV_REP_OPTIONAL = 1,
	PV_REP_REPEATED = 2,
	PV_REP_VECTOR = 3 /* experimental fixed-size vectors; not readable yet */
} pv_repetition;

/* ConvertedType (legacy annotations; the list is frozen). */
typedef enum pv_converted_type {
	PV_CONV_UTF8 = 0,
	PV_CONV_MAP = 1,
	PV_CONV_MAP_KEY_VALUE = 2,
	PV_CONV_LIST = 3,
	PV_CONV_ENUM = 4,
	PV_CONV_DECIMAL = 5,
	PV_CONV_DATE = 6,
	PV_CONV_TIME_MILLIS = 7,
	PV_CONV_TIME_MICROS = 8,
	PV_CONV_TIMESTAMP_MILLIS = 9,
	PV_CONV_TIMESTAMP_MICROS = 10,
	PV_CONV_UINT_8 = 11,
	PV_CONV_UINT_16 = 12,
	PV_CONV_UINT_32 = 13,
	PV_CONV_UINT_64 = 14,
	PV_CONV_INT_8 = 15,
	PV_CONV_INT_16 = 16,
	PV_CONV_INT_32 = 17,
	PV_CONV_INT_64 = 18,
	PV_CONV_JSON = 19,
	PV_CONV_BSON = 20,
	PV_CONV_INTERVAL = 21
} pv_converted_type;

/* LogicalType union members; the value is the Thrift field id. */
typedef enum pv_logical_kind {
	PV_LOGICAL_NONE = 0,
	PV_LOGICAL_STRING = 1,
	PV_LOGICAL_MAP = 2,
	PV_LOGICAL_LIST = 3,
	PV_LOGICAL_ENUM = 4,
	PV_LOGICAL_DECIMAL = 5,
	PV_LOGICAL_DATE = 6,
	PV_LOGICAL_TIME = 7,
	PV_LOGICAL_TIMESTAMP = 8,
	/* 9 is reserved (INTERVAL) */
	PV_LOGICAL_INTEGER = 10,
	PV_LOGICAL_UNKNOWN = 11, /* NullType: the column holds only nulls */
	PV_LOGICAL_JSON = 12,
	PV_LOGICAL_BSON = 13,
	PV_LOGICAL_UUID = 14,
	PV_LOGICAL_FLOAT16 = 15,
	PV_LOGICAL_VARIANT = 16,
	PV_LOGICAL_GEOMETRY = 17,
	PV_LOGICAL_GEOGRAPHY = 18,
	PV_LOGICAL_VECTOR = 19, /* experimental */
	/* A union member this version does not know (or a known member with an
	 * unknown time unit): the column is read as its physical type. */
	PV_LOGICAL_FUTURE = 1000
} pv_logical_kind;

typedef enum pv_encoding {
	PV_ENC_PLAIN = 0,
	PV_ENC_GROUP_VAR_INT = 1, /* never used */
	PV_ENC_PLAIN_DICTIONARY = 2,
	PV_ENC_RLE = 3,
	PV_ENC_BIT_PACKED = 4,
	PV_ENC_DELTA_BINARY_PACKED = 5,
	PV_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
	PV_ENC_DELTA_BYTE_ARRAY = 7,
	PV_ENC_RLE_DICTIONARY = 8,
	PV_ENC_BYTE_STREAM_SPLIT = 9
} pv_encoding;

typedef enum pv_codec {
	PV_CODEC_UNCOMPRESSED = 0,
	PV_CODEC_SNAPPY = 1,
	PV_CODEC_GZIP = 2,
	PV_CODEC_LZO = 3,
	PV_CODEC_BROTLI = 4,
	PV_CODEC_LZ4 = 5, /* deprecated Hadoop framing or raw; see codec layer */
	PV_CODEC_ZSTD = 6,
	PV_CODEC_LZ4_RAW = 7
} pv_codec;

typedef enum pv_page_type {
	PV_PAGE_DATA = 0,
	PV_PAGE_INDEX = 1,
	PV_PAGE_DICTIONARY = 2,
	PV_PAGE_DATA_V2 = 3
} pv_page_type;

typedef enum pv_boundary_order {
	PV_BOUNDARY_UNORDERED = 0,
	PV_BOUNDARY_ASCENDING = 1,
	PV_BOUNDARY_DESCENDING = 2
} pv_boundary_order;

typedef enum pv_edge_algorithm {
	PV_EDGE_SPHERICAL = 0,
	PV_EDGE_VINCENTY = 1,
	PV_EDGE_THOMAS = 2,
	PV_EDGE_ANDOYER = 3,
	PV_EDGE_KARNEY = 4
} pv_edge_algorithm;

/* ColumnOrder union members; the value is the Thrift field id. */
typedef enum pv_column_order_kind {
	PV_ORDER_UNKNOWN = 0, /* a member this version does not know: ignore min/max */
	PV_ORDER_TYPE_DEFINED = 1,
	PV_ORDER_IEEE754_TOTAL = 2,
	PV_ORDER_INT96_TIMESTAMP = 3
} pv_column_order_kind;

/* Names for display: "INT64", "ZSTD", "RLE_DICTIONARY", "UTF8", ...;
 * "UNKNOWN" for values this version does not know. Never NULL. */
const char *pv_physical_type_name(int t);
const char *pv_repetition_name(int r);
const char *pv_converted_type_name(int c);
const char *pv_logical_kind_name(int k);
const char *pv_encoding_name(int e);
const char *pv_codec_name(int c);
const char *pv_page_type_name(int t);
const char *pv_boundary_order_name(int b);
const char *pv_edge_algorithm_name(int a);
const char *pv_time_unit_name(int u); /* "MILLIS", "MICROS", "NANOS" */

/* ------------------------------------------------------------------ structs */

/* Bytes copied into the arena (ptr may be NULL when len is 0). */
typedef struct pv_bytes {
	const uint8_t *ptr;
	size_t len;
} pv_bytes;

typedef struct pv_logical_type {
	pv_logical_kind kind;
	int16_t future_id;      /* FUTURE: the unknown union field id (0: unknown time unit) */
	/* DECIMAL */
	int32_t scale, precision;
	/* TIME, TIMESTAMP */
	bool utc;               /* isAdjustedToUTC */
	pv_time_unit unit;
	/* INTEGER */
	int8_t bit_width;
	bool is_signed;
	/* VARIANT */
	bool has_spec_version;
	int8_t spec_version;
	/* GEOMETRY, GEOGRAPHY: NULL when absent (meaning "OGC:CRS84") */
	const char *crs;
	/* GEOGRAPHY: absent means SPHERICAL */
	bool has_algorithm;
	int32_t algorithm;      /* pv_edge_algorithm */
} pv_logical_type;

typedef struct pv_schema_element {
	const char *name;
	bool has_type;
	pv_physical_type type;
	bool has_type_length;
	int32_t type_length;
	bool has_repetition;
	pv_repetition repetition;
	bool has_num_children;
	int32_t num_children;
	bool has_converted_type;
	int32_t converted_type;  /* pv_converted_type */
	bool has_scale;
	int32_t scale;
	bool has_precision;
	int32_t precision;
	bool has_field_id;
	int32_t field_id;
	bool has_logical_type;
	pv_logical_type logical_type;
	bool has_vector_length;
	int32_t vector_length;
} pv_schema_element;

/* Statistics of a column chunk or page. min/max values are PLAIN-encoded
 * (byte arrays without their length prefix); see stats.h to decode. */
typedef struct pv_statistics {
	bool has_max, has_min;             /* deprecated: signed order only */
	pv_bytes max, min;
	bool has_null_count;
	int64_t null_count;
	bool has_distinct_count;
	int64_t distinct_count;
	bool has_max_value, has_min_value; /* in the column's ColumnOrder */
	pv_bytes max_value, min_value;
	bool has_is_max_value_exact;
	bool is_max_value_exact;
	bool has_is_min_value_exact;
	bool is_min_value_exact;
	bool has_nan_count;
	int64_t nan_count;
} pv_statistics;

typedef struct pv_size_statistics {
	bool has_unencoded_byte_array_data_bytes;
	int64_t unencoded_byte_array_data_bytes;
	bool has_repetition_level_histogram;
	int64_t *repetition_level_histogram;
	size_t n_repetition_level_histogram;
	bool has_definition_level_histogram;
	int64_t *definition_level_histogram;
	size_t n_definition_level_histogram;
} pv_size_statistics;

typedef struct pv_bounding_box {
	double xmin, xmax, ymin, ymax;
	bool has_zmin, has_zmax, has_mmin, has_mmax;
	double zmin, zmax, mmin, mmax;
} pv_bounding_box;

typedef struct pv_geo_statistics {
	bool has_bbox;
	pv_bounding_box bbox;
	bool has_geospatial_types;
	int32_t *geospatial_types; /* WKB type codes, e.g. 1 Point, 1003 Polygon Z */
	size_t n_geospatial_types;
} pv_geo_statistics;

typedef struct pv_page_encoding_stats {
	int32_t page_type; /* pv_page_type */
	int32_t encoding;  /* pv_encoding */
	int32_t count;
} pv_page_encoding_stats;

typedef struct pv_kv {
	const char *key;
	bool has_value;
	const char *value;  /* NULL when !has_value */
	size_t value_len;   /* the value may hold NUL bytes */
} pv_kv;

typedef struct pv_sorting_column {
	int32_t column_idx;
	bool descending;
	bool nulls_first;
} pv_sorting_column;

typedef struct pv_column_order {
	int32_t kind;      /* pv_column_order_kind; PV_ORDER_UNKNOWN for a future member */
	int16_t id;        /* the union field id as read (kept for round trips) */
} pv_column_order;

/* EncryptionAlgorithm: AesGcmV1 (kind 1) or AesGcmCtrV1 (kind 2). */
typedef struct pv_encryption_algorithm {
	int32_t kind;      /* union field id; 0 if empty */
	bool has_aad_prefix;
	pv_bytes aad_prefix;
	bool has_aad_file_unique;
	pv_bytes aad_file_unique;
	bool has_supply_aad_prefix;
	bool supply_aad_prefix;
} pv_encryption_algorithm;

/* ColumnCryptoMetaData: encrypted with the footer key (kind 1) or with a
 * column key (kind 2, with its path and key metadata). */
typedef struct pv_column_crypto {
	int32_t kind;
	const char **path_in_schema;
	size_t n_path_in_schema;
	bool has_key_metadata;
	pv_bytes key_metadata;
} pv_column_crypto;

typedef struct pv_column_meta {
	pv_physical_type type;
	int32_t *encodings;             /* pv_encoding values */
	size_t n_encodings;
	const char **path_in_schema;
	size_t n_path_in_schema;
	int32_t codec;                  /* pv_codec */
	int64_t num_values;
	int64_t total_uncompressed_size;
	int64_t total_compressed_size;
	bool has_key_value_metadata;
	pv_kv *key_value_metadata;
	size_t n_key_value_metadata;
	int64_t data_page_offset;
	bool has_index_page_offset;
	int64_t index_page_offset;
	bool has_dictionary_page_offset;
	int64_t dictionary_page_offset;
	bool has_statistics;
	pv_statistics statistics;
	bool has_encoding_stats;
	pv_page_encoding_stats *encoding_stats;
	size_t n_encoding_stats;
	bool has_bloom_filter_offset;
	int64_t bloom_filter_offset;
	bool has_bloom_filter_length;
	int32_t bloom_filter_length;
	bool has_size_statistics;
	pv_size_statistics size_statistics;
	bool has_geospatial_statistics;
	pv_geo_statistics geospatial_statistics;
} pv_column_meta;

typedef struct pv_column_chunk {
	const char *file_path;          /* NULL when absent (the usual case) */
	int64_t file_offset;            /* deprecated; 0 when absent */
	bool has_meta_data;             /* false only for encrypted columns */
	pv_column_meta meta_data;
	bool has_offset_index_offset;
	int64_t offset_index_offset;
	bool has_offset_index_length;
	int32_t offset_index_length;
	bool has_column_index_offset;
	int64_t column_index_offset;
	bool has_column_index_length;
	int32_t column_index_length;
	bool encrypted;                 /* crypto_metadata is present */
	pv_column_crypto crypto_metadata;
	bool has_encrypted_column_metadata;
	pv_bytes encrypted_column_metadata;
} pv_column_chunk;

typedef struct pv_row_group {
	pv_column_chunk *columns;       /* n_columns == number of schema leaves */
	size_t n_columns;
	int64_t total_byte_size;
	int64_t num_rows;
	bool has_sorting_columns;
	pv_sorting_column *sorting_columns;
	size_t n_sorting_columns;
	bool has_file_offset;
	int64_t file_offset;
	bool has_total_compressed_size;
	int64_t total_compressed_size;
	bool has_ordinal;
	int16_t ordinal;
} pv_row_group;

typedef struct pv_file_meta {
	int32_t version;
	pv_schema_element *schema;      /* depth-first, root first; n_schema >= 1 */
	size_t n_schema;
	int64_t num_rows;
	pv_row_group *row_groups;
	size_t n_row_groups;
	bool has_key_value_metadata;
	pv_kv *key_value_metadata;
	size_t n_key_value_metadata;
	const char *created_by;         /* NULL when absent */
	bool has_column_orders;
	pv_column_order *column_orders; /* one per leaf when present */
	size_t n_column_orders;
	bool has_encryption_algorithm;
	pv_encryption_algorithm encryption_algorithm;
	bool has_footer_signing_key_metadata;
	pv_bytes footer_signing_key_metadata;
	size_t n_leaves;                /* computed: primitive schema elements */
} pv_file_meta;

/* ------------------------------------------------------------------ functions */

/* Largest footer parqview will parse; a longer one is PV_ELIMIT. */
#define PV_FOOTER_MAX ((size_t)256 << 20)

/* Parses a serialized FileMetaData of len bytes. Everything, *out included,
 * is allocated from arena (freed with pv_arena_release; buf may be freed
 * right after the call). Errors:
 *   PV_ECORRUPT  malformed Thrift, a required field missing ("footer: row
 *                group 2: column chunk 0: missing 'meta_data'"), negative
 *                counts or sizes, an invalid physical type or repetition,
 *                schema num_children inconsistent with the list, a row group
 *                whose column count differs from the number of leaves;
 *   PV_ELIMIT    a Thrift cap or the arena cap was reached.
 * A column chunk may lack meta_data only when crypto_metadata is present.
 * An unknown LogicalType member parses as PV_LOGICAL_FUTURE; unknown fields
 * are skipped. Thread-safe (no shared state). */
int pv_meta_parse(const uint8_t *buf, size_t len, pv_arena *arena, pv_file_meta **out, pv_err *err);

/* Serializes m as a Thrift compact FileMetaData appended to out.
 * Returns 0, or PV_ELIMIT/PV_ENOMEM from the buffer. */
int pv_meta_write(const pv_file_meta *m, pv_buf *out, pv_err *err);

/* The Statistics struct on its own, for page headers (pages.c) and the
 * writer: reads one struct at the reader's position (bytes copied into a),
 * writes one. Errors are the reader's/writer's sticky ones. */
void pv_meta_read_statistics(pv_thrift_reader *r, pv_arena *a, pv_statistics *out);
void pv_meta_write_statistics(pv_thrift_writer *w, const pv_statistics *s);

/* Walks a flat schema list as the format defines it (root first, each
 * group followed by its num_children children, depth-first) and counts the
 * leaves. PV_ECORRUPT ("schema: element 5 'x' claims 3 children but only 1
 * remain") when the list is inconsistent, PV_ELIMIT past the depth cap. */
#define PV_SCHEMA_MAX_DEPTH 128
int pv_meta_count_leaves(const pv_schema_element *els, size_t n, size_t *out_n_leaves, pv_err *err);

/* True when e is a leaf (primitive) element: it has a type and no
 * children. Elements without a type are groups (possibly empty). */
static inline bool pv_schema_element_is_leaf(const pv_schema_element *e)
{
	return e->has_type && (!e->has_num_children || e->num_children == 0);
}

/* "TIMESTAMP(MICROS,true)", "DECIMAL(10,2)", "INTEGER(8,false)", "STRING",
 * "GEOGRAPHY(OGC:CRS84,SPHERICAL)", "FUTURE(25)", ... into out (always
 * NUL-terminated, truncated to n). Returns out. */
char *pv_logical_type_str(const pv_logical_type *lt, char *out, size_t n);

/* The footer at the end of a file: tail is the last tail_len bytes of a
 * file of file_size bytes (tail_len >= 8, or all of a smaller file). On
 * success *out_meta_offset and *out_meta_len give the serialized
 * FileMetaData's position. Errors:
 *   PV_ECORRUPT      file under 12 bytes; no "PAR1" at the end ("not a
 *                    parquet file (no PAR1 magic at the end)"); a footer
 *                    length pointing before byte 4 or past the file;
 *   PV_EUNSUPPORTED  "PARE" at the end: the footer is encrypted;
 *   PV_EINVAL        tail_len < 8 while the file is larger. */
int pv_footer_locate(const uint8_t *tail, size_t tail_len, int64_t file_size,
		     int64_t *out_meta_offset, uint32_t *out_meta_len, pv_err *err);

/* The magic at the start of a file: "PAR1" -> 0, "PARE" -> PV_EUNSUPPORTED
 * (encrypted footer), anything else -> PV_ECORRUPT. head_len < 4 is
 * PV_ECORRUPT. */
int pv_magic_check_head(const uint8_t *head, size_t head_len, pv_err *err);

#endif
