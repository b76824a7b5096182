/*
 * metadeep.h - the parts of `parqview meta` that read past the footer:
 * page headers (--pages), the page index (--index) and bloom filter probes
 * (--bloom COLUMN=VALUE). Kept apart from render/metajson.c, which writes
 * only what the footer holds. Includes base, format, io, read and render.
 */
#ifndef PV_METADEEP_H
#define PV_METADEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/json.h"
#include "read/pfile.h"
#include "render/table.h"

/* The statuses below are exit codes (README "Exit codes"), which the CLI
 * returns as they are: 3 data or I/O, 2 a --bloom value that does not fit. */
#define PV_METADEEP_DATA 3
#define PV_METADEEP_USAGE 2

/* Says whether a leaf column was selected (--columns). */
typedef bool (*pv_metadeep_filter)(const void *ctx, const pv_schema_node *leaf);

/* Prints row group g's pages / index / bloom probe for every selected
 * column as tables on stdout (the bloom probe applies to the column it
 * names, selected or not). Opens pf->path itself. A chunk that cannot be
 * read gets its error printed in place and raises *status to 3 (2 for a
 * --bloom value that does not fit the column's type); the others still
 * print. Returns 0, or PV_EIO when stdout fails. */
int pv_metadeep_human(const pv_pfile *pf, size_t g, bool pages, bool index, const char *bloom,
		      pv_metadeep_filter selected, const void *ctx, const pv_term *term,
		      const pv_table_style *style, int *status, pv_err *err);

/* Adds "pages", "column_index"/"offset_index" and "bloom" members to the
 * open JSON object of row group g's column c. Returns an exit code
 * contribution: 0, or 3 when something could not be read (the object then
 * carries an "error" member). */
int pv_metadeep_json(pv_json *j, const pv_pfile *pf, size_t g, size_t c, bool pages, bool index,
		     const char *bloom);

#endif
