/*
 * hive.h - hive-style partition keys (`date=2024-01-01/source=web/`) in the
 * directories between a dataset root and its files: parsing, type
 * inference across all files, and conversion to pv_value.
 *
 * Keys and values are URL-decoded (%XX; "%00" and malformed escapes stay as
 * written). `__HIVE_DEFAULT_PARTITION__` and an empty value both mean NULL,
 * as Spark writes both that way. Directory segments without '=' or with an
 * empty key are not partitions and are skipped; when a key repeats along
 * one path the deepest value wins.
 * Includes only base, format and dataset.
 */
#ifndef PV_HIVE_H
#define PV_HIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "format/value.h"

#define PV_HIVE_NULL "__HIVE_DEFAULT_PARTITION__"

typedef struct pv_hive_kv {
	const char *key;
	const char *value; /* NULL for a NULL partition */
} pv_hive_kv;

/* The types a partition column can take, narrowest first. */
typedef enum pv_hive_type {
	PV_HIVE_BIGINT = 0, /* optional '-', digits, fits int64, no leading zeros ("007" is text) */
	PV_HIVE_DOUBLE,     /* a finite decimal number ("1.5", "-2", "1e3"); not "nan", "inf", "00.5" */
	PV_HIVE_DATE,       /* YYYY-MM-DD, a real calendar day */
	PV_HIVE_TIMESTAMP,  /* YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}]; dates also fit */
	PV_HIVE_BOOLEAN,    /* true / false, any case */
	PV_HIVE_STRING
} pv_hive_type;

/* The partition keys in the directory part of relpath (the last segment is
 * the file name and is ignored), in path order. Strings and the array are
 * allocated in a (freed with it); *out is NULL when there are none.
 * Errors: PV_ENOMEM / PV_ELIMIT from the arena. */
int pv_hive_parse(const char *relpath, pv_arena *a, pv_hive_kv **out, size_t *out_n,
                  pv_err *err);

/* The narrowest type every non-NULL value fits (values[i] may be NULL).
 * BIGINT and DOUBLE mix to DOUBLE, DATE and TIMESTAMP to TIMESTAMP; any
 * other mix is STRING. All NULL (or n_values == 0) gives STRING. */
pv_hive_type pv_hive_infer(const char *const *values, size_t n_values);

/* "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "BOOLEAN", "VARCHAR" (DuckDB's names). */
const char *pv_hive_type_name(pv_hive_type t);

/* Converts s to a value of type t: BIGINT -> PV_VAL_INT, DOUBLE -> FLOAT,
 * DATE -> DATE (days), TIMESTAMP -> TIMESTAMP (micros, utc false),
 * BOOLEAN -> BOOL, STRING -> STRING pointing at s (which must outlive the
 * value). NULL s gives PV_VAL_NULL. PV_EINVAL "'s' is not a TYPE" when s
 * does not fit t. */
int pv_hive_value(const char *s, pv_hive_type t, pv_value *out, pv_err *err);

/* One partition column of a dataset. */
typedef struct pv_hive_column {
	const char *key;
	pv_hive_type type;
	bool partial; /* missing from the path of at least one file */
} pv_hive_column;

/* Gathers the keys of n_files parsed paths (kvs[i] has n_kvs[i] entries)
 * into columns in order of first appearance, infers each column's type
 * (a file without the key counts as NULL) and sets *out_partial when some
 * key is missing from some file; whether that is an error is the caller's
 * call. The column array lives in a. */
int pv_hive_columns(pv_hive_kv *const *kvs, const size_t *n_kvs, size_t n_files, pv_arena *a,
                    pv_hive_column **out, size_t *out_n, bool *out_partial, pv_err *err);

#endif
