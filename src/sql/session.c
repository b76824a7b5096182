/*
 * session.c - opens the DuckDB session of `parqview sql` and the server:
 * the views over datasets and the restricted mode's allowed paths.
 * Includes base, dataset and sql; never DuckDB's headers (duck.h is the
 * only door).
 */
#include "sql/session.h"

#include <assert.h>
#include <stdlib.h>
#include <strings.h>

#include "sql/duck.h"
#include "base/banned.h"

/* Appends s as a SQL string literal. */
static int put_string(pv_buf *b, const char *s, pv_err *err)
{
	int rc = pv_buf_putc(b, '\'', err);
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '\'' ? pv_buf_puts(b, "''", err) : pv_buf_putc(b, *p, err);
	return rc ? rc : pv_buf_putc(b, '\'', err);
}

/* Appends s as a SQL quoted name. */
static int put_ident(pv_buf *b, const char *s, pv_err *err)
{
	int rc = pv_buf_putc(b, '"', err);
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '"' ? pv_buf_puts(b, "\"\"", err) : pv_buf_putc(b, *p, err);
	return rc ? rc : pv_buf_putc(b, '"', err);
}

bool pv_sql_plain_name(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

int pv_sql_view_select(const pv_sql_view *v, pv_buf *b, pv_err *err)
{
	const pv_dataset *ds = v->ds;
	size_t n_ok = 0;
	int rc = pv_buf_puts(b, "SELECT * FROM read_parquet([", err);
	for (size_t i = 0; i < ds->n_files && !rc; i++) {
		if (!ds->files[i].pf)
			continue;
		if (n_ok++)
			rc = pv_buf_puts(b, ", ", err);
		if (!rc)
			rc = put_string(b, ds->files[i].path, err);
	}
	if (rc)
		return rc;
	if (n_ok == 0)
		return pv_err_set(err, PV_ENOTFOUND, "view '%s': no readable file", v->name);
	/* Partition columns as parqview sees them: only the keys it found
	 * (so a key=value directory above the dataset's root is no column)
	 * and with the types it inferred, which DuckDB would guess alike. */
	size_t n_parts = 0;
	for (size_t i = 0; i < ds->n_columns; i++)
		n_parts += ds->columns[i].is_partition;
	rc = pv_buf_printf(b, err, "], union_by_name = true, hive_partitioning = %s",
		n_parts ? "true" : "false");
	bool first = true;
	for (size_t i = 0; i < ds->n_columns && !rc; i++) {
		const pv_dataset_column *c = &ds->columns[i];
		if (!c->is_partition)
			continue;
		rc = pv_buf_puts(b, first ? ", hive_types = {" : ", ", err);
		if (!rc)
			rc = put_string(b, c->name, err);
		if (!rc)
			rc = pv_buf_printf(b, err, ": %s", pv_hive_type_name(c->part_type));
		first = false;
	}
	if (!rc && !first)
		rc = pv_buf_putc(b, '}', err);
	return rc ? rc : pv_buf_putc(b, ')', err);
}

/* The paths the restricted session may touch: every view's readable
 * files and listed directories, then the write paths. The strings stay
 * the callers'. */
static int allowed_paths(const pv_sql_view *views, size_t n_views, const pv_sql_opts *o,
			 const char ***out, size_t *out_n, pv_err *err)
{
	size_t n = o->n_write_paths;
	for (size_t v = 0; v < n_views; v++)
		n += views[v].ds->n_files + views[v].n_dirs;
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	if (!paths)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	size_t k = 0;
	for (size_t v = 0; v < n_views; v++) {
		const pv_dataset *ds = views[v].ds;
		for (size_t i = 0; i < ds->n_files; i++)
			if (ds->files[i].pf)
				paths[k++] = ds->files[i].path;
		for (size_t i = 0; i < views[v].n_dirs; i++)
			paths[k++] = views[v].dirs[i];
	}
	for (size_t i = 0; i < o->n_write_paths; i++)
		paths[k++] = o->write_paths[i];
	*out = paths;
	*out_n = k;
	return 0;
}

int pv_sql_open(const pv_sql_view *views, size_t n_views, const pv_sql_opts *opts, pv_duck **out,
		pv_err *err)
{
	assert(out && (views || n_views == 0));
	*out = NULL;
	pv_sql_opts none = { 0 };
	const pv_sql_opts *o = opts ? opts : &none;
	for (size_t i = 0; i < n_views; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(views[i].name, views[j].name))
				return pv_err_set(err, PV_EINVAL, "view '%s' is named twice",
						  views[i].name);

	const char **paths = NULL;
	size_t n_paths = 0;
	int rc = allowed_paths(views, n_views, o, &paths, &n_paths, err);
	if (rc)
		return rc;
	pv_duck_opts dopts = {
		.threads = o->threads,
		.memory_limit = o->memory_limit,
		.temp_directory = o->temp_directory,
		.no_progress = o->no_progress,
		.restricted = !o->unsafe,
		.allowed_paths = paths,
		.n_allowed_paths = n_paths,
	};
	pv_duck *d = NULL;
	rc = pv_duck_open(&dopts, &d, err);
	free(paths);
	if (rc)
		return rc;

	pv_buf sql;
	pv_buf_init(&sql, PV_BUF_DEFAULT_CAP);
	for (size_t i = 0; i < n_views && !rc; i++) {
		pv_buf_reset(&sql);
		rc = pv_buf_puts(&sql, "CREATE VIEW ", err);
		if (!rc)
			rc = put_ident(&sql, views[i].name, err);
		if (!rc)
			rc = pv_buf_puts(&sql, " AS ", err);
		if (!rc)
			rc = pv_sql_view_select(&views[i], &sql, err);
		if (!rc && (rc = pv_duck_exec(d, sql.data, err)))
			pv_err_prefix(err, "view '%s'", views[i].name);
	}
	pv_buf_release(&sql);
	if (rc) {
		pv_duck_close(d);
		return rc;
	}
	*out = d;
	return 0;
}
