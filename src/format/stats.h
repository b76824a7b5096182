/*
 * stats.h - statistics bytes decoded into typed values, the rules for when
 * a column chunk's min/max can be trusted, and the created_by parser those
 * rules need. Everything here is thread-safe: pure functions of their
 * arguments, reading the metadata and schema without changing them.
 * Includes only base and format.
 */
#ifndef PV_STATS_H
#define PV_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "format/meta.h"
#include "format/schema.h"
#include "format/value.h"

/* Decodes PLAIN-encoded statistics bytes (byte arrays without a length
 * prefix: Statistics min/max and ColumnIndex entries) of a leaf into *out,
 * following the physical type and the logical type (else the converted
 * type):
 *   BOOLEAN (1 byte)                       -> PV_VAL_BOOL
 *   INT32/INT64 plain, INTEGER signed,
 *     INT_8..INT_64                        -> PV_VAL_INT
 *   INTEGER unsigned, UINT_8..UINT_64      -> PV_VAL_UINT (zero-extended)
 *   DATE                                   -> PV_VAL_DATE
 *   TIME / TIME_MILLIS / TIME_MICROS       -> PV_VAL_TIME (unit, utc)
 *   TIMESTAMP / TIMESTAMP_MILLIS / _MICROS -> PV_VAL_TIMESTAMP (unit, utc)
 *   DECIMAL on INT32/INT64                 -> PV_VAL_DECIMAL, unscaled in i
 *   DECIMAL on BYTE_ARRAY/FLBA             -> PV_VAL_DECIMAL, big-endian bytes
 *   FLOAT, DOUBLE, FLOAT16 (2 bytes LE)    -> PV_VAL_FLOAT
 *   STRING/ENUM/JSON, UTF8/ENUM/JSON       -> PV_VAL_STRING
 *   UUID (16 bytes)                        -> PV_VAL_UUID
 *   INTERVAL (12 bytes, 3 LE u32)          -> PV_VAL_INTERVAL
 *   INT96 (8 LE nanos of day, 4 LE julian day) -> PV_VAL_TIMESTAMP in NANOS,
 *     or MICROS when outside the int64 nanosecond range, else INT96RAW;
 *     utc false
 *   other BYTE_ARRAY / FLBA (BSON, geo, ...)   -> PV_VAL_BINARY
 * String and binary values point into bytes (no copy). A byte count that
 * does not fit the type is PV_ECORRUPT. leaf must be a leaf. */
int pv_stats_value(const pv_schema_node *leaf, const uint8_t *bytes, size_t len,
		   pv_value *out, pv_err *err);

/* The min and max of a column chunk. Prefers min_value/max_value over the
 * deprecated min/max, decodes them with pv_stats_value and says whether
 * they may be used as bounds (for pruning; a display can still show
 * untrusted values). The rules, from parquet.thrift and known writer bugs:
 *   - min_value/max_value are trusted only under a ColumnOrder this version
 *     knows that applies to the type: TYPE_ORDER (not for INT96, and not for
 *     types whose order is undefined: INTERVAL, geo, VARIANT, unknown
 *     logical types), IEEE_754_TOTAL_ORDER for FLOAT/DOUBLE/FLOAT16,
 *     INT96_TIMESTAMP_ORDER for INT96. Without column_orders their order is
 *     undefined: untrusted.
 *   - The deprecated min/max were compared as signed values: trusted only
 *     for BOOLEAN, and INT32/INT64/FLOAT/DOUBLE whose logical order is
 *     signed (not unsigned integers); never for BYTE_ARRAY, FLBA or INT96.
 *   - Binary stats from parquet-mr before 1.8.0 are wrong (PARQUET-251):
 *     untrusted whichever field they came from.
 *   - A NaN min or max (FLOAT, DOUBLE, FLOAT16) is untrusted.
 *   - Only one of the pair present: returned, untrusted.
 * Returns 0 with both values PV_VAL_NULL and *out_trusted false when there
 * are no statistics; PV_ECORRUPT (and NULL values) when bytes are present
 * but malformed for the type. created_by may be NULL (use m->created_by).
 * Values point into the pv_file_meta's arena. */
int pv_stats_minmax(const pv_column_chunk *cc, const pv_schema_node *leaf, const char *created_by,
		    pv_value *out_min, pv_value *out_max, bool *out_trusted, pv_err *err);

/* Orders two big-endian two's complement integers of any lengths (a
 * DECIMAL's unscaled bytes on BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY): -1, 0 or
 * 1. Lengths may differ; an empty one is 0. */
int pv_stats_cmp_be_signed(const uint8_t *x, size_t nx, const uint8_t *y, size_t ny);

/* "parquet-mr version 1.8.2 (build c652...)" -> application "parquet-mr"
 * (lowercased), version 1.8.2, pre-release "" ; "impala version
 * 1.3.0-INTERNAL (build ...)" -> pre "INTERNAL". */
typedef struct pv_created_by {
	char application[64];
	bool has_version;
	int major, minor, patch;
	char pre[32];            /* after '-', e.g. "SNAPSHOT"; may be "" */
} pv_created_by;

/* Fills *out from s (NULL or unparseable: empty application, no version).
 * Returns true when a version number was found. */
bool pv_created_by_parse(const char *s, pv_created_by *out);

/* True when v is application app (lowercase) with a version before
 * major.minor.patch. A pre-release counts as its own version number. */
bool pv_created_by_before(const pv_created_by *v, const char *app, int major, int minor, int patch);

#endif
