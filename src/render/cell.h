/*
 * cell.h - one pv_value as text for people and as a JSON value.
 *
 * The text forms follow DuckDB's casts to VARCHAR, so output can be
 * compared with DuckDB's directly:
 *   NULL       NULL
 *   BOOL       true / false
 *   INT, UINT  decimal
 *   FLOAT      shortest text that reads back to the same double; fixed
 *              notation for exponents -5 < e < 16 with ".0" on integral
 *              values ("1.0", "0.001"), else "1e+20", "1.5e-07"; "NaN",
 *              "inf", "-inf"
 *   DECIMAL    exact digits with the scale's decimals: "123.40", "-0.05",
 *              for any length of big-endian unscaled bytes (up to
 *              PV_CELL_MAX_DECIMAL_BYTES)
 *   DATE       YYYY-MM-DD, proleptic Gregorian; years before 1 as
 *              "0044-03-15 (BC)", past 9999 with more digits
 *   TIME       HH:MM:SS[.fraction]; with utc a "+00" suffix
 *   TIMESTAMP  "YYYY-MM-DD HH:MM:SS[.fraction]"; with utc a "+00" suffix;
 *              BC dates as "0044-03-15 (BC) 10:00:00"
 *              The fraction has the unit's digits (3, 6, 9) with trailing
 *              zeros dropped, and is left out when zero ("…05.12").
 *   STRING     the bytes as they are (tables sanitize them, see width.h)
 *   BINARY     printable ASCII as is, other bytes and \ ' " as \xAA
 *   UUID       8-4-4-4-12 lowercase hex (other lengths as BINARY)
 *   INTERVAL   "1 year 2 months 3 days 00:00:00.004"; all zero "00:00:00"
 *   INT96RAW   lowercase hex of the 12 bytes
 * JSON: integers and finite floats as numbers; decimals as strings with
 * the exact digits; NaN and infinities as the strings base/json.h uses;
 * dates "YYYY-MM-DD" and timestamps ISO 8601 ("2024-01-02T03:04:05.5Z" when
 * utc, no zone otherwise; astronomical years, "-0043-03-15", "+10000-01-01");
 * times "HH:MM:SS[.f]" ("Z" when utc); binary as base64; UUID, interval and
 * INT96RAW as their text strings; NULL as null.
 * Pure functions, thread-safe. Includes only base, format and render.
 */
#ifndef PV_CELL_H
#define PV_CELL_H

#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "format/value.h"

/* Longest decimal whose digits are spelled out (~2466 digits); longer is
 * PV_ELIMIT. Parquet's own decimals are at most 16 bytes (38 digits). */
#define PV_CELL_MAX_DECIMAL_BYTES 1024

/* Appends the text form of v to out. Errors: PV_ELIMIT for a decimal
 * longer than PV_CELL_MAX_DECIMAL_BYTES, PV_ECORRUPT for a decimal scale
 * outside 0..10000, and out's own errors. On error out may hold a partial
 * text. */
int pv_cell_text(const pv_value *v, pv_buf *out, pv_err *err);

/* Writes v as one JSON value. On an error the value is written as null, so
 * the document stays well-formed, and the code is returned (the JSON
 * writer's own sticky error is returned too). */
int pv_cell_json(const pv_value *v, pv_json *j, pv_err *err);

/* Appends the standard base64 (with '=' padding) of p[0..n) to out. */
int pv_cell_base64(const void *p, size_t n, pv_buf *out, pv_err *err);

#endif
