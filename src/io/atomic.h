/*
 * atomic.h - write a file so that readers see either the old one or the
 * complete new one, never half of it.
 *
 * Output goes to a temporary ".NAME.XXXXXX" beside the target; commit
 * flushes, fsyncs and renames it over the target, abort unlinks it. Any
 * error before the rename leaves the target as it was. The open step also
 * refuses targets that are one of the inputs (by path, by realpath, or by
 * device and inode, so "./x", "dir/../x", symlinks and hard links are all
 * caught), so `parqview rewrite x.parquet -o x.parquet` cannot eat its
 * input. Not thread-safe: one pv_atomic_file, one thread.
 * Includes only base and io.
 */
#ifndef PV_ATOMIC_H
#define PV_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

/* Caller-owned; a zeroed struct is a valid "not open" state. */
typedef struct pv_atomic_file {
	FILE *fp;     /* the temporary file's stream; NULL when not open */
	char *target; /* the path that commit renames onto (symlinks resolved) */
	char *tmp;    /* the temporary file's path; NULL once renamed or unlinked */
} pv_atomic_file;

/* Creates the temporary file in target's directory, mode 0666 & ~umask
 * like a plain fopen would. When target is a symlink, the file it points
 * to is replaced and the link kept. Errors: PV_EINVAL "refusing to
 * overwrite input 'TARGET'" when target is the same file as one of
 * protect[0..n_protect) (protected paths that do not exist are ignored);
 * PV_EINVAL when target is a directory; PV_ENOTFOUND when its directory
 * does not exist; PV_EIO for other failures. On failure f is left zeroed
 * and nothing was created. Release with pv_atomic_commit or
 * pv_atomic_abort. */
int pv_atomic_open(pv_atomic_file *f, const char *target, const char *const *protect,
                   size_t n_protect, pv_err *err);

/* The stream to write the new contents to (owned by f). */
FILE *pv_atomic_stream(pv_atomic_file *f);

/* Flushes, fsyncs, closes and renames the temporary file over the target.
 * Any write error seen on the stream, or a failing flush, fsync or rename,
 * is PV_EIO; then the temporary file is removed and the target untouched.
 * Either way f is released afterwards (pv_atomic_abort is then a no-op). */
int pv_atomic_commit(pv_atomic_file *f, pv_err *err);

/* Closes and unlinks the temporary file and releases f. Safe on a zeroed
 * struct, after commit and when called twice. NULL allowed. */
void pv_atomic_abort(pv_atomic_file *f);

#endif
