/*
 * shell.h - the interactive SQL shell of `parqview sql` (libedit): a
 * prompt, statements over several lines until ';', history in a file,
 * completion of view, column and keyword names, dot commands, and Ctrl-C
 * that stops the running query (or clears the line at the prompt).
 * Includes cli, render, sql and base.
 */
#ifndef PV_SHELL_H
#define PV_SHELL_H

#include <stdbool.h>

#include "cli/sqlrun.h"
#include "render/rows.h"
#include "sql/duck.h"

typedef struct pv_shell_opts {
	pv_rows_format format; /* the starting .mode */
	bool timer;            /* the starting .timer */
	pv_color_mode color;
	const char *history;   /* the history file; NULL: none kept */
} pv_shell_opts;

/* Loads libedit (libedit.so.2) if it is not loaded yet. Errors (the same
 * on every call): PV_ENOTFOUND "library 'libedit.so.2' not found: install
 * the Debian package 'libedit2' ...", PV_EUNSUPPORTED for a library that
 * cannot be loaded or lacks a function. */
int pv_shell_load(pv_err *err);

/* Runs the shell on the terminal until .quit or Ctrl-D; returns the exit
 * code, 0 (errors of statements are shown, not kept), or that of a
 * pv_shell_load failure after printing it. */
int pv_shell_run(pv_duck *d, pv_sqlrun *run, const pv_shell_opts *opts);

#endif
