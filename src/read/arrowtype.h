/*
 * arrowtype.h - how a Parquet column becomes an Arrow column: the Arrow C
 * Data Interface format string and extension metadata of every Parquet
 * type, the conversion of decoded physical values into Arrow's value
 * layout, the binary metadata encoding, and ArrowSchema nodes that own
 * their strings and children (with the release callback the interface
 * requires).
 *
 * The mapping (README "Batches" repeats it for users):
 *   BOOLEAN b; INT32 i, INT(8|16|32, signed) c s i, unsigned C S I; INT64 l,
 *   INT(64, unsigned) L; FLOAT f; DOUBLE g; FLOAT16 (FLBA 2) e;
 *   INT96 tsu: (microseconds, no zone: DuckDB's reading of Spark's INT96;
 *     microseconds hold every INT96 a real writer stores, ns would not;
 *     values beyond int64 microseconds saturate);
 *   BYTE_ARRAY with STRING, ENUM, JSON (or UTF8/ENUM/JSON converted) u,
 *     JSON with ARROW:extension:name=arrow.json; other BYTE_ARRAY and BSON z;
 *   GEOMETRY, GEOGRAPHY z with ARROW:extension:name=geoarrow.wkb;
 *   FIXED_LEN_BYTE_ARRAY(N) w:N; UUID w:16 with arrow.uuid;
 *   DECIMAL(p,s) on INT32, INT64, FLBA, BYTE_ARRAY d:p,s (decimal128,
 *     little-endian) for p <= 38, d:p,s,256 for p <= 76; an invalid or
 *     wider decimal reads as its physical type. Bytes wider than the
 *     Arrow decimal keep their low-order bytes;
 *   DATE tdD; TIME(MILLIS) ttm, TIME(MICROS) ttu, TIME(NANOS) ttn;
 *   TIMESTAMP(unit, utc) tsm:/tsu:/tsn: followed by "UTC" when
 *     isAdjustedToUTC, else nothing; legacy TIMESTAMP_MILLIS/MICROS are
 *     UTC, as the spec's compatibility rules say;
 *   INTERVAL (FLBA 12) tin (month_day_nano: months and days as int32,
 *     millis * 1000000 as nanoseconds; the stored values are unsigned, so
 *     values above INT32_MAX wrap);
 *   a logical type on a physical type it does not allow, an unknown
 *     (future) logical type and the NULL (UNKNOWN) type: the physical type.
 *   Groups: STRUCT +s; VARIANT +s of its fields with
 *     ARROW:extension:name=parquet.variant; LIST +l; MAP +m (read/assemble.h
 *     builds the nested schema).
 * Includes base, format and read/ headers below it; no I/O.
 */
#ifndef PV_ARROWTYPE_H
#define PV_ARROWTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arrowc.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/schema.h"

/* How decoded values (encoding/encoding.h's layout) become Arrow values. */
typedef enum pv_aconv {
	PV_ACONV_BOOL = 0,  /* BOOLEAN bytes 0/1, packed to bits at assembly */
	PV_ACONV_COPY,      /* fixed-width values kept as they are (4 or 8 bytes) */
	PV_ACONV_I32_TO_8,  /* INT32 stored, 8-bit Arrow integer (low bits kept) */
	PV_ACONV_I32_TO_16, /* INT32 stored, 16-bit Arrow integer */
	PV_ACONV_INT96_US,  /* INT96 (nanos of day, Julian day) -> int64 microseconds */
	PV_ACONV_DEC_I32,   /* INT32 unscaled -> 16 or 32 byte little-endian decimal */
	PV_ACONV_DEC_I64,   /* INT64 unscaled -> decimal */
	PV_ACONV_DEC_BYTES, /* big-endian two's complement bytes (FLBA, BYTE_ARRAY) -> decimal */
	PV_ACONV_FIXED,     /* FLBA bytes copied (w:N, e) */
	PV_ACONV_INTERVAL,  /* FLBA(12) months, days, millis -> month_day_nano */
	PV_ACONV_BINARY     /* BYTE_ARRAY -> int32 offsets + data (u, z) */
} pv_aconv;

/* The Arrow side of one leaf column. */
typedef struct pv_leaftype {
	char format[24];      /* "i", "d:38,10", "tsu:UTC", "w:16", ... */
	const char *ext_name; /* ARROW:extension:name (static), or NULL */
	pv_aconv conv;
	size_t width;         /* Arrow bytes per value; 1 for BOOL (a byte until
	                       * assembly packs it); 0 for BINARY */
	int phys;             /* pv_physical_type */
	int32_t type_length;  /* FIXED_LEN_BYTE_ARRAY */
} pv_leaftype;

/* Fills *out for a leaf node. Never fails: anything unusual falls back to
 * the physical type. */
void pv_arrowtype_leaf(const pv_schema_node *leaf, pv_leaftype *out);

/* The ARROW:extension:name of a group node ("parquet.variant" for VARIANT
 * groups), or NULL. */
const char *pv_arrowtype_group_ext(const pv_schema_node *group);

/* Converts n decoded values at src (the layout of lt->phys: packed
 * fixed-width values, or pv_bytes_view for FLBA and BYTE_ARRAY) into
 * n * lt->width Arrow bytes at dst. For every conv except BOOL, COPY and
 * BINARY (which need no conversion or are built elsewhere). Never fails:
 * byte arrays shorter than the target are sign-extended or zero-filled. */
void pv_arrowtype_convert(const pv_leaftype *lt, const void *src, size_t n, uint8_t *dst);

/* One INT96 (12 bytes as stored) as microseconds since the epoch,
 * saturating at INT64_MIN / INT64_MAX. */
int64_t pv_int96_to_micros(const uint8_t *p);

/* Encodes n_pairs key/value pairs (kv[2i] the key, kv[2i+1] the value,
 * NUL-terminated strings) in the Arrow C Data Interface metadata form:
 * int32 count, then int32 length and bytes of each key and value (native
 * byte order). Returns a malloc'd buffer (free it) and its length in
 * *out_len, or NULL (PV_ENOMEM in err). n_pairs 0 gives NULL with no error
 * and *out_len 0. */
char *pv_arrow_metadata_encode(const char *const *kv, size_t n_pairs, size_t *out_len,
			       pv_err *err);

/* Makes *out an ArrowSchema node that owns copies of format and name (name
 * may be NULL), metadata_len bytes of metadata (NULL for none) and an
 * array of n_children children, each zeroed (release == NULL) for the
 * caller to fill with this same function. out->release frees the node
 * and calls release on every child that still has one (children moved out
 * by a consumer are skipped). On failure *out is left released
 * (release == NULL) and nothing leaks. Errors: PV_ENOMEM. */
int pv_aschema_init(struct ArrowSchema *out, const char *format, const char *name,
		    const char *metadata, size_t metadata_len, int64_t flags, size_t n_children,
		    pv_err *err);

/* The ArrowSchema of one leaf column named name (its format, extension
 * metadata and ARROW_FLAG_NULLABLE when nullable). */
int pv_aschema_leaf(struct ArrowSchema *out, const pv_leaftype *lt, const char *name,
		    bool nullable, pv_err *err);

#endif
