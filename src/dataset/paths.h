/*
 * paths.h - turn command-line path arguments into the list of Parquet
 * files they name: plain files, directories walked recursively, and glob
 * patterns with `**`.
 *
 * Rules, per argument:
 *  - A regular file is taken whatever its extension. Its root is its
 *    directory, so it has no hive keys.
 *  - A directory is walked recursively for files ending in .parquet, .parq
 *    or .pq (any case). Names starting with '.' or '_' are skipped, files
 *    and directories alike (Spark's _SUCCESS, _delta_log, .crc files).
 *    Symlinks are followed, but a directory (device, inode) is walked at
 *    most once per argument, and never after a pattern has listed it, so
 *    link loops end. The root is the directory.
 *  - A pattern with *, ? or [ is matched segment by segment: `**` is any
 *    number of directories (zero included), other segments go through
 *    fnmatch(3). Wildcards never match names starting with '.' or '_'
 *    unless the segment itself starts with that character. A match that
 *    is a file is taken whatever its extension; a match that is a
 *    directory is walked as above; a trailing `**` walks. The root is the
 *    leading run of segments without wildcards.
 * The result is sorted by path (byte order) and paths given twice are kept
 * once (the first argument wins); two spellings of one file are not merged.
 * Directory entries are classified with d_type, so no file is stat'ed
 * unless the file system cannot say what it is.
 * Includes only base and dataset; reads no file contents.
 */
#ifndef PV_PATHS_H
#define PV_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

#define PV_PATHS_MAX_FILES ((size_t)10000000)
#define PV_PATHS_MAX_DEPTH 256

typedef struct pv_path {
	const char *path; /* the argument, or the argument joined with what was found under it */
	const char *root; /* the directory it was found under ("" for the current one) */
	const char *rel;  /* the part of path after root and its '/': what pv_hive_parse reads */
	size_t arg;       /* index of the argument it came from */
} pv_path;

/* Caller-owned: pv_path_list_init / pv_path_list_release. Strings live in
 * the list's arena and stay valid until release. */
typedef struct pv_path_list {
	pv_path *items;
	size_t n_items;
	size_t alloc;
	size_t max_files; /* PV_PATHS_MAX_FILES after init; tests may lower it */
	pv_arena arena;
} pv_path_list;

void pv_path_list_init(pv_path_list *l);
void pv_path_list_release(pv_path_list *l); /* NULL allowed */

/* Appends the files that args[0..n_args) name to out (which may already
 * hold entries; all are sorted and deduplicated together). Errors:
 *   PV_ENOTFOUND "'x': no such file or directory"   (a missing plain path)
 *   PV_ENOTFOUND "no parquet files under 'dir'"       (an empty directory walk)
 *   PV_ENOTFOUND "no parquet files match 'pattern'"   (a glob that matched nothing)
 *   PV_ELIMIT    more than out->max_files files, or directories nested
 *                deeper than PV_PATHS_MAX_DEPTH
 *   PV_EIO       a directory that cannot be read, with strerror
 *   PV_EINVAL    an empty argument
 * On error out holds a partial result; the caller should release it.
 * Not thread-safe with respect to out. */
int pv_paths_expand(const char *const *args, size_t n_args, pv_path_list *out, pv_err *err);

/* True when name ends in .parquet, .parq or .pq, ignoring case. */
bool pv_paths_is_parquet_name(const char *name);

/* True when s contains a glob character (*, ? or [). */
bool pv_paths_is_glob(const char *s);

#endif
