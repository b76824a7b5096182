/*
 * value.h - one typed Parquet value, as statistics, page index entries,
 * partition keys and (later) decoded cells hand them around.
 *
 * A pv_value never owns memory: string, binary and decimal bytes point into
 * a buffer the producer keeps alive (an arena, a page). Rendering a value
 * to text, JSON or CSV is the render layer's job (render/cell.h).
 * Header only; includes only the C library.
 */
#ifndef PV_VALUE_H
#define PV_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum pv_value_kind {
	PV_VAL_NULL = 0,
	PV_VAL_BOOL,      /* b */
	PV_VAL_INT,       /* i: signed integers of any width */
	PV_VAL_UINT,      /* u: unsigned integers (INTEGER(bits, false)) */
	PV_VAL_FLOAT,     /* f: FLOAT, DOUBLE and FLOAT16 widened to double */
	PV_VAL_STRING,    /* bytes: UTF-8 text (STRING, ENUM, JSON) */
	PV_VAL_BINARY,    /* bytes: opaque bytes (BYTE_ARRAY/FLBA without a text type, BSON) */
	PV_VAL_DECIMAL,   /* unscaled value: i when !dec_bytes (INT32/INT64 storage), else
	                   * big-endian two's complement in bytes; scale, precision */
	PV_VAL_DATE,      /* i: days since 1970-01-01 */
	PV_VAL_TIME,      /* i: since midnight in unit; utc */
	PV_VAL_TIMESTAMP, /* i: since the epoch in unit; utc (INT96 arrives here in ns,
	                   * or in us when it falls outside the ns range) */
	PV_VAL_UUID,      /* bytes: 16 bytes */
	PV_VAL_INTERVAL,  /* interval: months, days, millis */
	PV_VAL_INT96RAW   /* bytes: 12 bytes INT96 that could not be a timestamp */
} pv_value_kind;

typedef enum pv_time_unit {
	PV_UNIT_MILLIS = 0,
	PV_UNIT_MICROS = 1,
	PV_UNIT_NANOS = 2
} pv_time_unit;

typedef struct pv_value {
	pv_value_kind kind;
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double f;
		struct {
			const uint8_t *ptr;
			size_t len;
		} bytes;
		struct {
			uint32_t months, days, millis;
		} interval;
	};
	bool dec_bytes;     /* DECIMAL: the unscaled value is in bytes, not i */
	int32_t scale;      /* DECIMAL */
	int32_t precision;  /* DECIMAL */
	pv_time_unit unit;  /* TIME, TIMESTAMP */
	bool utc;           /* TIME, TIMESTAMP: isAdjustedToUTC */
} pv_value;

#endif
