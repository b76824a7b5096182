/*
 * catalog.h - the datasets a server serves, opened once at start-up and
 * read by every request: each with its id (the name the API and SQL use),
 * the paths it was opened from, the pv_dataset, its row map and its
 * problems (the list `parqview summary` prints).
 *
 * Ids: `--as NAME=PATH` names a dataset NAME (the same NAME twice joins
 * the paths into one dataset); a PATH alone is "data" when it is the only
 * dataset, else its base name without a Parquet extension, characters
 * outside [A-Za-z0-9_] made '_' and a suffix _2, _3... against clashes.
 * Only these datasets' files are ever read: a request names a dataset by
 * id and a file by its index, never by a path.
 *
 * Read-only after pv_catalog_open, so any number of threads may use it.
 * Includes base, io, read, dataset and server.
 */
#ifndef PV_CATALOG_H
#define PV_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "dataset/dataset.h"
#include "dataset/problems.h"
#include "dataset/scan.h"

/* Longest dataset id. */
#define PV_CATALOG_MAX_ID 64

typedef struct pv_catalog_arg {
	const char *id;   /* NULL: derived from path */
	const char *path; /* a file, directory or glob (dataset/paths.h) */
} pv_catalog_arg;

typedef struct pv_catalog_entry {
	char id[PV_CATALOG_MAX_ID + 1];
	const char **paths; /* as given */
	size_t n_paths;
	pv_dataset *ds;
	pv_rowmap map;
	pv_rgcache *cache;  /* row group readers kept between requests */
	int64_t bytes;      /* on disk, readable files */
	pv_problems problems;
} pv_catalog_entry;

typedef struct pv_catalog {
	pv_catalog_entry *items;
	size_t n;
} pv_catalog;

/* Opens every dataset, each with a reader cache of max_readers idle
 * readers (dataset/scan.h; 0: 8). Errors: PV_EINVAL for an id that is not
 * [A-Za-z_][A-Za-z0-9_]* or too long; the dataset's own errors (a path that
 * matches nothing: PV_ENOTFOUND), prefixed with the id; PV_ENOMEM.
 * Unreadable files do not fail it (they are listed in problems). On
 * failure c is empty. Release with pv_catalog_release. */
int pv_catalog_open(pv_catalog *c, const pv_catalog_arg *args, size_t n_args, size_t max_readers,
		    pv_err *err);

/* NULL allowed. */
void pv_catalog_release(pv_catalog *c);

/* The dataset named id, or NULL. */
const pv_catalog_entry *pv_catalog_find(const pv_catalog *c, const char *id);

#endif
