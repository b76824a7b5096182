/*
 * duckdb_api.h - our own declarations of the few parts of DuckDB's C API
 * that parqview uses, written from DuckDB's public C API documentation.
 *
 * libduckdb.so is loaded at run time (dlopen), never linked, and DuckDB's
 * duckdb.h is neither installed nor vendored: this file is the contract.
 * It declares types and one table of function pointers filled by dlsym in
 * duck.c; it declares no functions, so nothing here can be linked by
 * mistake. Only src/sql/duck.c may include it; it includes only the C
 * library. Layouts below are part of DuckDB's stable C ABI (1.x).
 */
#ifndef PV_DUCKDB_API_H
#define PV_DUCKDB_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t idx_t;

typedef enum duckdb_state { DuckDBSuccess = 0, DuckDBError = 1 } duckdb_state;

/* Opaque handles: each is a pointer to a struct holding one internal pointer. */
typedef struct _duckdb_database { void *internal_ptr; } *duckdb_database;
typedef struct _duckdb_connection { void *internal_ptr; } *duckdb_connection;
typedef struct _duckdb_config { void *internal_ptr; } *duckdb_config;
typedef struct _duckdb_prepared_statement { void *internal_ptr; } *duckdb_prepared_statement;
typedef struct _duckdb_extracted_statements { void *internal_ptr; } *duckdb_extracted_statements;
typedef struct _duckdb_pending_result { void *internal_ptr; } *duckdb_pending_result;
typedef struct _duckdb_data_chunk { void *internal_ptr; } *duckdb_data_chunk;
typedef struct _duckdb_vector { void *internal_ptr; } *duckdb_vector;
typedef struct _duckdb_logical_type { void *internal_ptr; } *duckdb_logical_type;
typedef struct _duckdb_arrow_options { void *internal_ptr; } *duckdb_arrow_options;
typedef struct _duckdb_error_data { void *internal_ptr; } *duckdb_error_data;

/* The Arrow C Data Interface structs (base/arrowc.h declares them; the
 * converters below fill caller-owned ones). */
struct ArrowSchema;
struct ArrowArray;

/* duckdb_type: only the values parqview looks at. */
typedef enum duckdb_type {
	DUCKDB_TYPE_INVALID = 0,
	DUCKDB_TYPE_VARCHAR = 17,
	DUCKDB_TYPE_LIST = 24,
	DUCKDB_TYPE_STRUCT = 25,
	DUCKDB_TYPE_MAP = 26,
	DUCKDB_TYPE_UNION = 28,
	DUCKDB_TYPE_BIT = 29,
	DUCKDB_TYPE_TIME_TZ = 30,
	DUCKDB_TYPE_UHUGEINT = 32,
	DUCKDB_TYPE_ARRAY = 33,
	DUCKDB_TYPE_VARINT = 35
} duckdb_type;

/* duckdb_statement_type: only the values parqview looks at. */
typedef enum duckdb_statement_type {
	DUCKDB_STATEMENT_TYPE_INVALID = 0,
	DUCKDB_STATEMENT_TYPE_SELECT = 1,
	DUCKDB_STATEMENT_TYPE_PREPARE = 6,
	DUCKDB_STATEMENT_TYPE_CREATE = 7,
	DUCKDB_STATEMENT_TYPE_ALTER = 9,
	DUCKDB_STATEMENT_TYPE_TRANSACTION = 10,
	DUCKDB_STATEMENT_TYPE_VARIABLE_SET = 13,
	DUCKDB_STATEMENT_TYPE_CREATE_FUNC = 14,
	DUCKDB_STATEMENT_TYPE_DROP = 15,
	DUCKDB_STATEMENT_TYPE_SET = 20,
	DUCKDB_STATEMENT_TYPE_LOAD = 21,
	DUCKDB_STATEMENT_TYPE_ATTACH = 25,
	DUCKDB_STATEMENT_TYPE_DETACH = 26
} duckdb_statement_type;

/* A column of a materialized result (deprecated fields, never read here;
 * declared so duckdb_result has its real layout). */
typedef struct duckdb_column {
	void *deprecated_data;
	bool *deprecated_nullmask;
	duckdb_type deprecated_type;
	char *deprecated_name;
	void *internal_data;
} duckdb_column;

/* A query result, 48 bytes on LP64. The caller owns the struct and passes it
 * to duckdb_destroy_result; duckdb_fetch_chunk takes it by value. */
typedef struct duckdb_result {
	idx_t deprecated_column_count;
	idx_t deprecated_row_count;
	idx_t deprecated_rows_changed;
	duckdb_column *deprecated_columns;
	char *deprecated_error_message;
	void *internal_data;
} duckdb_result;

/* A VARCHAR element of a vector, 16 bytes: the length, then either up to 12
 * bytes inline (length <= 12) or a 4-byte prefix and a pointer. Never
 * NUL-terminated. */
#define PV_DUCKDB_STRING_INLINE 12
typedef struct duckdb_string_t {
	union {
		struct {
			uint32_t length;
			char prefix[4];
			char *ptr;
		} pointer;
		struct {
			uint32_t length;
			char inlined[PV_DUCKDB_STRING_INLINE];
		} inlined;
	} value;
} duckdb_string_t;

typedef struct duckdb_query_progress_type {
	double percentage; /* -1 when unknown */
	uint64_t rows_processed;
	uint64_t total_rows_to_process;
} duckdb_query_progress_type;

/*
 * The entry points parqview uses. X(name, since, return type, arguments):
 * "since" is the DuckDB release that first had the symbol, for the message
 * when a library is too old. The table expands into function-pointer
 * members named like the C functions without the "duckdb_" prefix.
 */
#define PV_DUCKDB_FUNCS(X) \
	X(library_version, "1.1", const char *, (void)) \
	X(create_config, "1.1", duckdb_state, (duckdb_config *out_config)) \
	X(set_config, "1.1", duckdb_state, (duckdb_config config, const char *name, const char *option)) \
	X(destroy_config, "1.1", void, (duckdb_config *config)) \
	X(open_ext, "1.1", duckdb_state, (const char *path, duckdb_database *out_database, duckdb_config config, char **out_error)) \
	X(close, "1.1", void, (duckdb_database *database)) \
	X(connect, "1.1", duckdb_state, (duckdb_database database, duckdb_connection *out_connection)) \
	X(disconnect, "1.1", void, (duckdb_connection *connection)) \
	X(interrupt, "1.1", void, (duckdb_connection connection)) \
	X(query_progress, "1.1", duckdb_query_progress_type, (duckdb_connection connection)) \
	X(query, "1.1", duckdb_state, (duckdb_connection connection, const char *query, duckdb_result *out_result)) \
	X(destroy_result, "1.1", void, (duckdb_result *result)) \
	X(result_error, "1.1", const char *, (duckdb_result *result)) \
	X(column_count, "1.1", idx_t, (duckdb_result *result)) \
	X(column_name, "1.1", const char *, (duckdb_result *result, idx_t col)) \
	X(column_type, "1.1", duckdb_type, (duckdb_result *result, idx_t col)) \
	X(row_count, "1.1", idx_t, (duckdb_result *result)) \
	X(value_is_null, "1.1", bool, (duckdb_result *result, idx_t col, idx_t row)) \
	X(value_varchar, "1.1", char *, (duckdb_result *result, idx_t col, idx_t row)) \
	X(free, "1.1", void, (void *ptr)) \
	X(extract_statements, "1.1", idx_t, (duckdb_connection connection, const char *query, duckdb_extracted_statements *out_extracted)) \
	X(extract_statements_error, "1.1", const char *, (duckdb_extracted_statements extracted)) \
	X(prepare_extracted_statement, "1.1", duckdb_state, (duckdb_connection connection, duckdb_extracted_statements extracted, idx_t index, duckdb_prepared_statement *out_prepared)) \
	X(destroy_extracted, "1.1", void, (duckdb_extracted_statements *extracted)) \
	X(prepare, "1.1", duckdb_state, (duckdb_connection connection, const char *query, duckdb_prepared_statement *out_prepared)) \
	X(prepare_error, "1.1", const char *, (duckdb_prepared_statement prepared)) \
	X(destroy_prepare, "1.1", void, (duckdb_prepared_statement *prepared)) \
	X(prepared_statement_type, "1.1", duckdb_statement_type, (duckdb_prepared_statement prepared)) \
	X(execute_prepared, "1.1", duckdb_state, (duckdb_prepared_statement prepared, duckdb_result *out_result)) \
	X(pending_prepared_streaming, "1.1", duckdb_state, (duckdb_prepared_statement prepared, duckdb_pending_result *out_result)) \
	X(pending_error, "1.1", const char *, (duckdb_pending_result pending)) \
	X(execute_pending, "1.1", duckdb_state, (duckdb_pending_result pending, duckdb_result *out_result)) \
	X(destroy_pending, "1.1", void, (duckdb_pending_result *pending)) \
	X(fetch_chunk, "1.1", duckdb_data_chunk, (duckdb_result result)) \
	X(destroy_data_chunk, "1.1", void, (duckdb_data_chunk *chunk)) \
	X(data_chunk_get_size, "1.1", idx_t, (duckdb_data_chunk chunk)) \
	X(data_chunk_get_vector, "1.1", duckdb_vector, (duckdb_data_chunk chunk, idx_t col_idx)) \
	X(vector_get_data, "1.1", void *, (duckdb_vector vector)) \
	X(vector_get_validity, "1.1", uint64_t *, (duckdb_vector vector)) \
	X(column_logical_type, "1.1", duckdb_logical_type, (duckdb_result *result, idx_t col)) \
	X(destroy_logical_type, "1.1", void, (duckdb_logical_type *type)) \
	X(error_data_has_error, "1.4", bool, (duckdb_error_data error_data)) \
	X(error_data_message, "1.4", const char *, (duckdb_error_data error_data)) \
	X(destroy_error_data, "1.4", void, (duckdb_error_data *error_data)) \
	X(result_get_arrow_options, "1.4", duckdb_arrow_options, (duckdb_result *result)) \
	X(destroy_arrow_options, "1.4", void, (duckdb_arrow_options *arrow_options)) \
	X(to_arrow_schema, "1.4", duckdb_error_data, (duckdb_arrow_options arrow_options, duckdb_logical_type *types, const char **names, idx_t column_count, struct ArrowSchema *out_schema)) \
	X(prepared_statement_column_count, "1.2", idx_t, (duckdb_prepared_statement prepared)) \
	X(prepared_statement_column_name, "1.2", const char *, (duckdb_prepared_statement prepared, idx_t col)) \
	X(prepared_statement_column_logical_type, "1.2", duckdb_logical_type, (duckdb_prepared_statement prepared, idx_t col)) \
	X(get_type_id, "1.1", duckdb_type, (duckdb_logical_type type)) \
	X(list_type_child_type, "1.1", duckdb_logical_type, (duckdb_logical_type type)) \
	X(array_type_child_type, "1.1", duckdb_logical_type, (duckdb_logical_type type)) \
	X(map_type_key_type, "1.1", duckdb_logical_type, (duckdb_logical_type type)) \
	X(map_type_value_type, "1.1", duckdb_logical_type, (duckdb_logical_type type)) \
	X(struct_type_child_count, "1.1", idx_t, (duckdb_logical_type type)) \
	X(struct_type_child_type, "1.1", duckdb_logical_type, (duckdb_logical_type type, idx_t index)) \
	X(data_chunk_to_arrow, "1.4", duckdb_error_data, (duckdb_arrow_options arrow_options, duckdb_data_chunk chunk, struct ArrowArray *out_arrow_array))

#define PV_DUCKDB_MEMBER(name, since, ret, args) ret (*name) args;

/* Every pointer is non-NULL once pv_duck_load has succeeded. */
typedef struct pv_duckdb_api {
	PV_DUCKDB_FUNCS(PV_DUCKDB_MEMBER)
} pv_duckdb_api;

#undef PV_DUCKDB_MEMBER

#endif
