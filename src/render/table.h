/*
 * table.h - tables for the terminal and for Markdown.
 *
 * Build a pv_table (columns first, then cells row by row), then print it in
 * one of four styles:
 *   BOX       Unicode box drawing (the default on a UTF-8 terminal)
 *   ASCII     the same shape with + - |
 *   PLAIN     space-aligned, two spaces between columns, no borders (the
 *             default when output is not a terminal)
 *   MARKDOWN  | a | b | with a |---|---:| row; '|' in text becomes "\|"
 * Cell text is sanitized when added (control characters spelled out, see
 * width.h), so nothing printed can move the cursor or change colors.
 * Widths are display columns (CJK and emoji count 2).
 *
 * Fitting (all styles but MARKDOWN, when max_width > 0): the widest
 * columns are shrunk first, evenly, and cut cells end in "…". When the
 * columns would have to go below 8 display columns each, trailing columns
 * are dropped instead and a last column of "…" says so. Every line is
 * then at most max_width columns (as long as max_width leaves room for
 * one column of width 1).
 *
 * NULL: a real NULL cell prints as NULL (dim when colored) and a string
 * that is exactly "NULL" prints as "NULL" with the double quotes, so the
 * two never look the same, with or without color.
 *
 * Not thread-safe. Includes only base, format and render.
 */
#ifndef PV_TABLE_H
#define PV_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "format/value.h"
#include "render/term.h"

typedef enum pv_align {
	PV_ALIGN_LEFT = 0,
	PV_ALIGN_RIGHT
} pv_align;

typedef enum pv_table_border {
	PV_BORDER_BOX = 0,
	PV_BORDER_ASCII,
	PV_BORDER_PLAIN,
	PV_BORDER_MARKDOWN
} pv_table_border;

typedef struct pv_table_style {
	pv_table_border border;
	size_t max_width; /* total columns per line; 0 = unlimited */
	bool color;       /* bold headers, dim NULLs and borders */
} pv_table_style;

typedef struct pv_table pv_table;

/* The style for a terminal: BOX on a UTF-8 terminal, ASCII on another
 * terminal, PLAIN when not a terminal; its width and color. */
void pv_table_style_for(pv_table_style *s, const pv_term *t);

/* A new empty table; free with pv_table_free. Cell text is capped at
 * PV_ARENA_DEFAULT_CAP bytes in all. PV_ENOMEM. */
int pv_table_new(pv_table **out, pv_err *err);
void pv_table_free(pv_table *t); /* NULL allowed */

/* Adds a column; only before the first cell (PV_EINVAL after). The header
 * is copied. */
int pv_table_add_column(pv_table *t, const char *header, pv_align align, pv_err *err);

/* Appends the next cell, left to right and row by row. s[0..n) is copied;
 * s == NULL adds a NULL cell. PV_EINVAL with no columns. */
int pv_table_add_cell(pv_table *t, const char *s, size_t n, pv_err *err);
int pv_table_add_null(pv_table *t, pv_err *err);
int pv_table_add_cellf(pv_table *t, pv_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A value in its render/cell.h text form (PV_VAL_NULL as a NULL cell). */
int pv_table_add_value(pv_table *t, const pv_value *v, pv_err *err);

/* Fills the rest of the current row with empty cells (no-op at a row's
 * start). pv_table_print does this itself. */
int pv_table_end_row(pv_table *t, pv_err *err);

size_t pv_table_n_rows(const pv_table *t);
size_t pv_table_n_columns(const pv_table *t);

/* Prints the table to out. PV_EIO when writing fails. A table without
 * columns prints nothing. */
int pv_table_print(pv_table *t, FILE *out, const pv_table_style *style, pv_err *err);

/* "key: value" lines with the values aligned after the longest key; NULL
 * values print as NULL (dim when colored). Values are cut with "…" to fit
 * style->max_width; the border is ignored. */
int pv_table_print_kv(FILE *out, const char *const *keys, const char *const *values, size_t n,
                      const pv_table_style *style, pv_err *err);

#endif
