/*
 * metajson.h - footer metadata and schemas as JSON: the documents
 * `parqview meta --json` and `parqview schema --json` print (README "JSON
 * output" has their shapes), written through base/json.h so the CLI and
 * the server (src/server) give the same bytes. Includes base, format, io,
 * read, dataset and render.
 */
#ifndef PV_METAJSON_H
#define PV_METAJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "base/json.h"
#include "dataset/dataset.h"
#include "read/pfile.h"
#include "render/metadeep.h"

/* What of a file pv_metajson_file writes. */
typedef struct pv_metajson_sel {
	pv_metadeep_filter column;               /* NULL: every column */
	bool (*row_group)(const void *ctx, size_t g); /* NULL: every row group */
	const void *ctx;                         /* for both filters */
	bool pages, index;                       /* --pages, --index */
	const char *bloom;                       /* --bloom COLUMN=VALUE, or NULL */
} pv_metajson_sel;

/* Writes one file object of `meta --json` (path, sizes, version, writer,
 * key-value metadata, column orders, row groups with their column chunks,
 * and the deep members sel asks for) as the next value of j. sel may be
 * NULL (footer only, everything). Reads pages, index and filters from
 * pf->path when asked. Returns an exit code contribution: 0, or 3 (2 for
 * a bloom value that does not fit) when a chunk could not be read; the
 * chunk's object then carries an "error" member. Not thread-safe on j;
 * distinct j may be written from distinct threads. */
int pv_metajson_file(pv_json *j, const pv_pfile *pf, const pv_metajson_sel *sel);

/* Writes the `schema --json` object of ds: n_files, n_unreadable and the
 * united columns with their schema trees. */
void pv_metajson_schema(pv_json *j, const pv_dataset *ds);

/* Writes one schema node (and its children) as `schema --json`'s "field". */
void pv_metajson_node(pv_json *j, const pv_schema_node *n);

/* "required", "optional", "repeated" (or "vector" for a value outside them). */
const char *pv_metajson_repetition(const pv_schema_node *n);

#endif
