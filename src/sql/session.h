/*
 * session.h - the DuckDB session a user's SQL runs in, shared by
 * `parqview sql` and the web server: one view per dataset, and by default
 * a restricted session that can read only those datasets and write only
 * the files the caller names.
 *
 * Each view is
 *     CREATE VIEW "name" AS SELECT * FROM read_parquet([file, ...],
 *         union_by_name = true, hive_partitioning = <partitions found>,
 *         hive_types = {'key': TYPE, ...})
 * over the dataset's readable files (files whose footer failed are left
 * out; the caller reports them), so the view has parqview's own view of
 * the paths: columns unified by name (NULL where a file lacks one), hive
 * partition columns last, typed as parqview infers them (dataset/hive.h).
 *
 * Safety (unless opts->unsafe): DuckDB's external access is off except
 * for the views' files, the directories the views list in dirs, and
 * write_paths; extensions are neither installed nor loaded on demand; and
 * the configuration is locked so SQL cannot SET any of it back (see
 * pv_duck_opts.restricted in sql/duck.h). So read_csv('/etc/passwd'),
 * COPY ... TO elsewhere, INSTALL, LOAD and ATTACH all fail with DuckDB's
 * "... disabled by configuration" / "locked" errors.
 *
 * Includes base, dataset and sql. One session per thread at a time (see
 * duck.h for what may be called from other threads).
 */
#ifndef PV_SESSION_H
#define PV_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "dataset/dataset.h"
#include "sql/duck.h"

typedef struct pv_sql_view {
	const char *name;          /* the view's name, any text (it is quoted) */
	const pv_dataset *ds;      /* must outlive pv_sql_open only */
	const char *const *dirs;   /* directories SQL may also read, e.g. with
				    * read_parquet('dir/...'); may be NULL */
	size_t n_dirs;
} pv_sql_view;

typedef struct pv_sql_opts {
	int threads;                    /* 0: DuckDB's default (all cores) */
	const char *memory_limit;       /* "2GB"; NULL: DuckDB's default */
	const char *temp_directory;     /* spilling; NULL: DuckDB's default */
	bool unsafe;                    /* lift the restrictions (the caller says so on stderr) */
	bool no_progress;               /* no progress tracking (pv_duck_opts.no_progress) */
	const char *const *write_paths; /* existing files SQL may overwrite (an export's
					 * temporary file); may be NULL */
	size_t n_write_paths;
} pv_sql_opts;

/* Opens a session with one view per entry of views (n_views may be 0),
 * restricted unless opts->unsafe. opts may be NULL (restricted, DuckDB's
 * defaults). *out is the session; close it with pv_duck_close. Errors:
 * those of pv_duck_open; PV_EINVAL "view 'name': ..." with DuckDB's
 * message when a view cannot be created; PV_ENOTFOUND "view 'name': no
 * readable file" when every file of a dataset failed; PV_EINVAL for two
 * views of one name (names compare without case, as DuckDB's do). */
int pv_sql_open(const pv_sql_view *views, size_t n_views, const pv_sql_opts *opts, pv_duck **out,
		pv_err *err);

/* True when s[0..n) is a name SQL takes without quotes, the rule for the
 * dataset names of `sql --as` and `serve --as`: [A-Za-z_][A-Za-z0-9_]*,
 * n > 0. */
bool pv_sql_plain_name(const char *s, size_t n);

/* Appends to b the SELECT that view v stands for (the text after
 * "CREATE VIEW name AS"). Errors: PV_ENOTFOUND as above, b's errors. */
int pv_sql_view_select(const pv_sql_view *v, pv_buf *b, pv_err *err);

#endif
