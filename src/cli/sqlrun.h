/*
 * sqlrun.h - running SQL for `parqview sql` and its shell: a query's
 * Arrow batches streamed through render/rows.h, exports through DuckDB's
 * COPY, Ctrl-C turned into pv_duck_interrupt, and the progress line.
 *
 * SIGINT: pv_sqlrun_begin installs a handler that only writes a byte to a
 * pipe (async-signal-safe). While a query runs, a watcher thread polls
 * that pipe: a byte interrupts the query (DuckDB then fails it with its
 * "Interrupted" error, which pv_sqlrun_interrupted tells apart); every
 * 100 ms it redraws the progress line (cli/progress.h: after a second,
 * only when stderr is a terminal) from pv_duck_progress. Between queries
 * no thread runs and the shell reads the pipe itself (pv_sqlrun_sigfd).
 * Includes cli, render, sql and base. One pv_sqlrun per process.
 */
#ifndef PV_SQLRUN_H
#define PV_SQLRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "render/rows.h"
#include "sql/duck.h"

typedef struct pv_sqlrun pv_sqlrun;

/* Installs the SIGINT handler for session d (SA_RESTART off, so blocking
 * reads return EINTR). progress: draw the progress line on a terminal
 * stderr. Free with pv_sqlrun_end. PV_EIO when no pipe or thread. */
int pv_sqlrun_begin(pv_duck *d, bool progress, pv_sqlrun **out, pv_err *err);

/* Restores SIGINT's previous action and frees s. NULL allowed. */
void pv_sqlrun_end(pv_sqlrun *s);

/* The read end of the SIGINT pipe, for a shell waiting at its prompt. */
int pv_sqlrun_sigfd(const pv_sqlrun *s);

/* Empties the SIGINT pipe and forgets an interruption. */
void pv_sqlrun_clear(pv_sqlrun *s);

/* True once Ctrl-C reached a query since the last pv_sqlrun_clear. */
bool pv_sqlrun_interrupted(const pv_sqlrun *s);

/* Runs sql (';'-separated; earlier statements for their effects) and
 * writes the last one's rows to out with opts, streaming batch by batch.
 * Nothing is written for a silent result (pv_duck_result_silent).
 * stop_progress_at_rows: the rows go to the terminal stderr is on, so the
 * progress line stops before the first row. *out_rows (may be NULL): rows
 * written. stop (may be NULL) is polled between batches: true ends the
 * result early without error (a pager that quit). Errors: DuckDB's
 * (PV_EINVAL, PV_ELIMIT), the renderers'. */
int pv_sqlrun_query(pv_sqlrun *s, const char *sql, FILE *out, const pv_rows_opts *opts,
		    bool stop_progress_at_rows, bool (*stop)(void *), void *stop_arg,
		    int64_t *out_rows, pv_err *err);

/* pv_duck_copy under the same interrupt and progress handling. */
int pv_sqlrun_copy(pv_sqlrun *s, const char *sql, const char *path, const char *options,
		   int64_t *out_rows, pv_err *err);

/* Prints "parqview: MESSAGE" for the last error of s->query/copy on sql
 * on stderr; with caret, also DuckDB's position in sql as
 *     LINE 2: SELECT nope FROM t
 *                    ^
 * (the line cut around the position to fit width columns); without, a
 * position is added as " (line 2, column 8)". */
void pv_sqlrun_print_error(const pv_sqlrun *s, const pv_err *err, const char *sql, bool caret,
			   size_t width);

#endif
