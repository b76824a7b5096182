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

/* Runs the shell on the terminal until .quit or Ctrl-D; returns the exit
 * code, 0 (errors of statements are shown, not kept). */
int pv_shell_run(pv_duck *d, pv_sqlrun *run, const pv_shell_opts *opts);

#endif
