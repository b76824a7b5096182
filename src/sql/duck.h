/*
 * duck.h - the only door to DuckDB: loading libduckdb.so at run time and a
 * thin session API that runs SQL and streams results as text or as Arrow
 * C Data Interface batches (base/arrowc.h).
 *
 * parqview does not link DuckDB. pv_duck_load finds libduckdb.so, in order:
 *   1. $PARQVIEW_DUCKDB, the path of a libduckdb.so (when set, only it);
 *   2. <dir of the running executable>/../.deps/lib/libduckdb.so, then
 *      <exe dir>/../../.deps/lib/libduckdb.so and
 *      <exe dir>/../../../.deps/lib/libduckdb.so (build/parqview,
 *      build/tools/x and build/tests/x, build/asan/tests/x find the repo's
 *      .deps/ that scripts/bootstrap fills);
 *   3. the system's dynamic loader: dlopen("libduckdb.so").
 * Includes only base/; nothing outside src/sql/ may see DuckDB's types.
 *
 * Threads: pv_duck_load, pv_duck_version and pv_duck_path may be called from
 * any thread. A pv_duck and its results belong to one thread at a time,
 * except pv_duck_interrupt and pv_duck_progress, which another thread may
 * call while a query runs.
 */
#ifndef PV_DUCK_H
#define PV_DUCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arrowc.h"
#include "base/err.h"

/* Loads the library once per process (later calls return the first call's
 * outcome). Errors:
 *   PV_ENOTFOUND    no library at any place above ("duckdb library not
 *                   found: run 'make bootstrap' ...");
 *   PV_EUNSUPPORTED a library that misses a symbol parqview needs ("duckdb
 *                   library at 'PATH' is too old (missing 'SYM'); need 1.4 or
 *                   newer", naming the release that brought SYM; the Arrow
 *                   converters need 1.4) or that the loader refuses (the
 *                   loader's words). */
int pv_duck_load(pv_err *err);

/* The loaded library's version ("v1.5.6"), or NULL when it cannot be
 * loaded. Loads it on first use. The string is static. */
const char *pv_duck_version(void);

/* The path the library was loaded from (or "libduckdb.so" when the system
 * loader found it), NULL when not loaded. Static. */
const char *pv_duck_path(void);

/* How to set up a session. Zeroed means DuckDB's defaults. */
typedef struct pv_duck_opts {
	int threads;                /* worker threads; 0: DuckDB's default (all cores) */
	const char *memory_limit;   /* "2GB", "512MiB"; NULL: DuckDB's default */
	const char *temp_directory; /* for spilling; NULL: DuckDB's default */
	/* Restricted mode, for SQL written by someone else (the server): no
	 * extension is installed or loaded on demand, no community extension,
	 * no file outside allowed_paths is read or written (DuckDB's
	 * enable_external_access=false with allowed_directories for the
	 * directories among allowed_paths and allowed_paths for the files), and
	 * then the configuration is locked so that SQL cannot SET it back. With
	 * no allowed path, queries can read no file at all. */
	bool restricted;
	const char *const *allowed_paths; /* n_allowed_paths directories or files */
	size_t n_allowed_paths;
} pv_duck_opts;

typedef struct pv_duck pv_duck;
typedef struct pv_duck_result pv_duck_result;

/* Opens an in-memory database and one connection; loads the library first.
 * opts may be NULL. On success *out is a session to pass to pv_duck_close.
 * Errors: those of pv_duck_load; PV_EINVAL for an option DuckDB refuses
 * (its message); PV_ENOMEM. */
int pv_duck_open(const pv_duck_opts *opts, pv_duck **out, pv_err *err);

/* Closes the session. Every result of it must have been freed. NULL ok. */
void pv_duck_close(pv_duck *d);

/* Runs one or more ';'-separated statements and drops their results.
 * Errors from DuckDB: PV_EINVAL with DuckDB's message on one line, or
 * PV_ELIMIT when DuckDB ran out of memory (its memory_limit). */
int pv_duck_exec(pv_duck *d, const char *sql, pv_err *err);

/* Runs one or more ';'-separated statements; the statements before the last
 * run for their effects, the result of the last is returned in *out (free it
 * with pv_duck_result_free before running anything else on d). A SELECT is
 * streamed: rows are computed as pv_duck_result_next asks for them, so a
 * result of any length needs little memory. The results of other statements
 * (PRAGMA, EXPLAIN, COPY's row count, ...) are small and materialized.
 * Errors as for pv_duck_exec; an error while streaming shows up in
 * pv_duck_result_next. */
int pv_duck_query(pv_duck *d, const char *sql, pv_duck_result **out, pv_err *err);

/* Like pv_duck_query, but the last statement runs as it is (no cast to
 * text) and its result is read as Arrow batches with pv_duck_result_schema
 * and pv_duck_result_next_batch; pv_duck_result_next refuses it
 * (PV_EINVAL). A SELECT streams: each batch is one DuckDB chunk (at most
 * 2048 rows) converted when it is asked for, so a result of any length
 * needs memory for one chunk. Errors as for pv_duck_query. */
int pv_duck_query_arrow(pv_duck *d, const char *sql, pv_duck_result **out, pv_err *err);

/* The result's schema: a "+s" struct with one child per column, named as
 * pv_duck_result_colname, typed as DuckDB's Arrow converter maps its types
 * under the session's settings (arrow_large_buffer_size,
 * produce_arrow_string_view, arrow_lossless_conversion: by default VARCHAR
 * is "u", LIST "+l", ENUM a dictionary of "u", HUGEINT "d:38,0", UUID "u",
 * TIMESTAMP WITH TIME ZONE "tsu:<the session's TimeZone>", ARRAY "+w:N",
 * UNION "+us:..."). A result without columns gives a "+s" without
 * children. *out is the caller's: release it with out->release(out).
 * Errors: PV_EINVAL / PV_EUNSUPPORTED with DuckDB's message when a type
 * has no Arrow form; on error *out is zeroed. */
int pv_duck_result_schema(pv_duck_result *r, struct ArrowSchema *out, pv_err *err);

/* The next chunk of rows as a "+s" batch of the schema's shape (length > 0)
 * in *out, which the caller releases (out->release(out)); it stays valid
 * after the result is freed. At the end returns 0 with out->release ==
 * NULL (and keeps doing so). Works on results of pv_duck_query too (their
 * columns are all strings) as long as pv_duck_result_next was never
 * called on them, and vice versa (PV_EINVAL). Errors: as for
 * pv_duck_exec, for an error or interruption while the query streams. */
int pv_duck_result_next_batch(pv_duck_result *r, struct ArrowArray *out, pv_err *err);

/* Runs the ';'-separated statements of sql, the last as
 *     COPY (<last>) TO 'path' (<options>)
 * so DuckDB writes its rows to path (options such as "FORMAT parquet,
 * COMPRESSION zstd"; NULL for none). *out_rows (may be NULL) is the
 * number of rows written. Errors: as for pv_duck_exec (a last statement
 * that is no query is DuckDB's syntax error); PV_EINVAL when there is no
 * statement. pv_duck_error_position points into sql. */
int pv_duck_copy(pv_duck *d, const char *sql, const char *path, const char *options,
		 int64_t *out_rows, pv_err *err);

/* True when the result of pv_duck_query_arrow is only DuckDB's
 * acknowledgement of a statement run for its effect (SET, CREATE, DROP,
 * ALTER, transactions, PREPARE, LOAD, ATTACH, DETACH) or has no columns:
 * a shell prints nothing for it. Queries, EXPLAIN, PRAGMA, CALL and the
 * row counts of INSERT, UPDATE, DELETE and COPY are not silent. */
bool pv_duck_result_silent(const pv_duck_result *r);

/* Number of columns of the result (0 for a statement that returns none). */
size_t pv_duck_result_ncols(const pv_duck_result *r);

/* Name of column col (< ncols), as DuckDB names it; valid until the result
 * is freed. NULL when col is out of range. A SELECT's repeated names come
 * back as DuckDB names them in a subquery ("a", "a_1"). */
const char *pv_duck_result_colname(const pv_duck_result *r, size_t col);

/* Moves to the next row. *out_has_row is false at the end. Errors: as for
 * pv_duck_exec (an error or interruption in the middle of a streamed
 * query); PV_ELIMIT for a row of more than 1 GiB of text. */
int pv_duck_result_next(pv_duck_result *r, bool *out_has_row, pv_err *err);

/* The current row's value in column col cast to text by DuckDB (its usual
 * rendering, e.g. "2024-01-02 03:04:05", "[1, 2]", "{'a': 1}"), or NULL for
 * SQL NULL or col out of range. NUL-terminated; valid until the next call to
 * pv_duck_result_next or pv_duck_result_free. */
const char *pv_duck_result_text(const pv_duck_result *r, size_t col);

/* Like pv_duck_result_text, and also sets *out_len to the byte length (a
 * value may contain NUL bytes). *out_len is 0 for NULL. */
const char *pv_duck_result_value(const pv_duck_result *r, size_t col, size_t *out_len);

/* Number of rows returned by pv_duck_result_next (or in the batches of
 * pv_duck_result_next_batch) so far. */
size_t pv_duck_result_nrows(const pv_duck_result *r);

/* Frees the result and stops its query if it is still streaming. NULL ok. */
void pv_duck_result_free(pv_duck_result *r);

/* The byte offset into the SQL text (as passed to pv_duck_query,
 * pv_duck_query_arrow or pv_duck_exec) that DuckDB reported with the last
 * error on this thread, or -1 when it gave none. Error messages never
 * carry DuckDB's "LINE 1: ..." context: this is where it points. */
int64_t pv_duck_error_position(void);

/* Asks the running query of d to stop; it then fails with DuckDB's
 * "interrupted" error. Thread-safe; harmless when nothing runs. NULL ok. */
void pv_duck_interrupt(pv_duck *d);

/* Percentage (0..100) of the running query that is done, or -1 when unknown
 * or nothing runs. Thread-safe. */
double pv_duck_progress(pv_duck *d);

#endif
