/*
 * contract_eval.c - checking a contract against its data: for each schema
 * object, open the dataset, answer what the footers and the schema can
 * answer, plan the columns the remaining rules need and read them in one
 * scan whose batches go to every rule's accumulator (contract_rules.c),
 * then locate the offending rows.
 *
 * Must not include sql or cli: sql rules run through the caller's
 * callback (pv_check_opts.sql_scalar).
 */
#include "analyze/contract_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ctype.h>

#include "base/banned.h"

typedef struct evctx {
	const pv_contract *c;
	const pv_check_opts *opts;
	pv_check_result *res;
	pv_err *err;
	int64_t rows_done, rows_total;
} evctx;

static const char *adup(pv_arena *a, const char *s)
{
	return pv_arena_strndup(a, s, strlen(s), NULL);
}

/* The path of server `name`, overrides first; NULL with *why set. */
static const char *server_path(evctx *x, const char *name, const char **why)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < x->opts->n_servers; i++) {
		const char *o = x->opts->servers[i];
		if (!strncmp(o, name, n) && o[n] == '=')
			return o + n + 1;
	}
	for (size_t i = 0; i < x->c->n_servers; i++) {
		const pv_contract_server *s = &x->c->servers[i];
		if (strcmp(s->name, name))
			continue;
		if (!s->path) {
			*why = pv_arena_printf(&x->res->arena, NULL,
					       "server '%s' (type '%s') has no local path", name, s->type);
			return NULL;
		}
		return s->path;
	}
	*why = pv_arena_printf(&x->res->arena, NULL, "no server '%s' in the contract", name);
	return NULL;
}

/* Where object oi's data is: PATH arguments, else the server named like
 * the object (physicalName, then name), else the first server. */
static const char *object_path(evctx *x, size_t oi, const char **why)
{
	const pv_contract_object *o = &x->c->objects[oi];
	const char *names[2] = { o->physical_name, o->name };
	for (int k = 0; k < 2; k++) {
		if (!names[k])
			continue;
		for (size_t i = 0; i < x->c->n_servers; i++)
			if (!strcmp(x->c->servers[i].name, names[k]))
				return server_path(x, names[k], why);
		size_t n = strlen(names[k]);
		for (size_t i = 0; i < x->opts->n_servers; i++)
			if (!strncmp(x->opts->servers[i], names[k], n) && x->opts->servers[i][n] == '=')
				return x->opts->servers[i] + n + 1;
	}
	if (x->c->n_servers)
		return server_path(x, x->c->servers[0].name, why);
	*why = pv_arena_printf(&x->res->arena, NULL,
			       "no data for schema object '%s': give PATH or a server", o->name);
	return NULL;
}

static const char *dataref_path(evctx *x, const pv_dataref *d, const char **why)
{
	return d->path ? d->path : server_path(x, d->server, why);
}

static int open_ds(evctx *x, const char *const *paths, size_t n, pv_dataset **out, pv_err *err)
{
	pv_dataset_opts dopts = { .n_threads = x->opts->n_threads };
	return pv_dataset_open(paths, n, &dopts, out, err);
}

/* ---- footers */

static bool has_missing(const pv_dataset_column *col, size_t file)
{
	for (size_t k = 0; k < col->n_missing; k++)
		if (col->missing[k] == file)
			return true;
	return false;
}

bool pv_contract_footer_nulls(const pv_dataset *ds, long ci, int64_t *out)
{
	const pv_dataset_column *col = &ds->columns[ci];
	int64_t nulls = 0;
	for (size_t f = 0; f < ds->n_files; f++) {
		const pv_dataset_file *df = &ds->files[f];
		if (!df->pf)
			continue;
		if (col->is_partition) {
			bool found = false;
			for (size_t k = 0; k < df->n_parts; k++)
				if (!strcmp(df->parts[k].key, col->name)) {
					found = true;
					if (!df->parts[k].value)
						nulls += df->pf->rows;
				}
			if (!found)
				nulls += df->pf->rows;
			continue;
		}
		if (has_missing(col, f)) {
			nulls += df->pf->rows;
			continue;
		}
		const pv_schema_node *n = pv_schema_find(df->pf->schema, col->name);
		if (!n || !n->is_leaf || n->max_rep != 0)
			return false;
		const pv_file_meta *m = df->pf->meta;
		for (size_t g = 0; g < m->n_row_groups; g++) {
			const pv_row_group *rg = &m->row_groups[g];
			if (n->leaf_index >= rg->n_columns)
				return false;
			const pv_column_chunk *cc = &rg->columns[n->leaf_index];
			if (!cc->has_meta_data || !cc->meta_data.has_statistics ||
			    !cc->meta_data.statistics.has_null_count ||
			    cc->meta_data.statistics.null_count < 0)
				return false;
			nulls += cc->meta_data.statistics.null_count;
		}
	}
	*out = nulls;
	return true;
}

/* ---- types */

void pv_contract_duck_type(const pv_atype *t, pv_buf *b)
{
	t = pv_atype_value(t);
	const char *s = NULL;
	switch (t->kind) {
	case PV_AK_BOOL: s = "BOOLEAN"; break;
	case PV_AK_INT:
		s = t->width == 1 ? "TINYINT" : t->width == 2 ? "SMALLINT" : t->width == 4 ? "INTEGER" : "BIGINT";
		break;
	case PV_AK_UINT:
		s = t->width == 1 ? "UTINYINT" : t->width == 2 ? "USMALLINT" : t->width == 4 ? "UINTEGER" : "UBIGINT";
		break;
	case PV_AK_F16:
	case PV_AK_F32: s = "FLOAT"; break;
	case PV_AK_F64: s = "DOUBLE"; break;
	case PV_AK_DECIMAL:
		pv_buf_printf(b, NULL, "DECIMAL(%d,%d)", (int)t->precision, (int)t->scale);
		return;
	case PV_AK_STRING:
	case PV_AK_STRVIEW: s = t->ext == PV_AEXT_JSON ? "JSON" : "VARCHAR"; break;
	case PV_AK_BINARY:
	case PV_AK_BINVIEW: s = "BLOB"; break;
	case PV_AK_FIXED: s = t->ext == PV_AEXT_UUID ? "UUID" : "BLOB"; break;
	case PV_AK_DATE32:
	case PV_AK_DATE64: s = "DATE"; break;
	case PV_AK_TIME: s = "TIME"; break;
	case PV_AK_TIMESTAMP: s = t->tz ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP"; break;
	case PV_AK_IV_MDN:
	case PV_AK_IV_MONTHS:
	case PV_AK_IV_DAYTIME: s = "INTERVAL"; break;
	case PV_AK_LIST:
		pv_contract_duck_type(t->children[0], b);
		pv_buf_puts(b, "[]", NULL);
		return;
	case PV_AK_FIXED_LIST:
		pv_contract_duck_type(t->children[0], b);
		pv_buf_printf(b, NULL, "[%lld]", (long long)t->n_fixed);
		return;
	case PV_AK_STRUCT: s = "STRUCT"; break;
	case PV_AK_MAP: s = "MAP"; break;
	default: s = "UNKNOWN"; break;
	}
	pv_buf_puts(b, s, NULL);
}

/* Upper case without spaces, aliases folded to DuckDB's names. */
static void norm_type(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++)
		if (!isspace((unsigned char)*s))
			out[k++] = (char)toupper((unsigned char)*s);
	out[k] = '\0';
	static const char *const alias[][2] = {
		{ "STRING", "VARCHAR" }, { "TEXT", "VARCHAR" }, { "UTF8", "VARCHAR" },
		{ "INT64", "BIGINT" }, { "LONG", "BIGINT" }, { "INT8", "BIGINT" },
		{ "INT", "INTEGER" }, { "INT32", "INTEGER" }, { "INT4", "INTEGER" },
		{ "INT16", "SMALLINT" }, { "SHORT", "SMALLINT" }, { "BOOL", "BOOLEAN" },
		{ "FLOAT8", "DOUBLE" }, { "FLOAT64", "DOUBLE" }, { "REAL", "FLOAT" },
		{ "FLOAT4", "FLOAT" }, { "FLOAT32", "FLOAT" }, { "TIMESTAMPTZ", "TIMESTAMPWITHTIMEZONE" },
		{ "BYTEA", "BLOB" }, { "BINARY", "BLOB" },
	};
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (!strcmp(out, alias[i][0])) {
			snprintf(out, n, "%s", alias[i][1]);
			return;
		}
}

const char *pv_contract_logical_type(const pv_atype *t)
{
	t = pv_atype_value(t);
	switch (t->kind) {
	case PV_AK_INT:
	case PV_AK_UINT: return "integer";
	case PV_AK_F16:
	case PV_AK_F32:
	case PV_AK_F64:
	case PV_AK_DECIMAL: return "number";
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED: return "string";
	case PV_AK_BOOL: return "boolean";
	case PV_AK_DATE32:
	case PV_AK_DATE64: return "date";
	case PV_AK_TIMESTAMP: return "timestamp";
	case PV_AK_TIME: return "time";
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST: return "array";
	case PV_AK_STRUCT:
	case PV_AK_MAP: return "object";
	default: return NULL;
	}
}

static bool logical_ok(const char *want, const pv_atype *t)
{
	t = pv_atype_value(t);
	switch (t->kind) {
	case PV_AK_INT:
	case PV_AK_UINT: return !strcmp(want, "integer") || !strcmp(want, "number");
	case PV_AK_F16:
	case PV_AK_F32:
	case PV_AK_F64:
	case PV_AK_DECIMAL: return !strcmp(want, "number");
	case PV_AK_STRING:
	case PV_AK_STRVIEW:
	case PV_AK_BINARY:
	case PV_AK_BINVIEW:
	case PV_AK_FIXED: return !strcmp(want, "string");
	case PV_AK_BOOL: return !strcmp(want, "boolean");
	case PV_AK_DATE32:
	case PV_AK_DATE64: return !strcmp(want, "date");
	case PV_AK_TIMESTAMP: return !strcmp(want, "timestamp");
	case PV_AK_TIME: return !strcmp(want, "time");
	case PV_AK_LIST:
	case PV_AK_FIXED_LIST: return !strcmp(want, "array");
	case PV_AK_STRUCT:
	case PV_AK_MAP: return !strcmp(want, "object");
	default: return false;
	}
}

/* The names, and the Arrow types when a scan can give them, of columns
 * the type rules are about. */
static void check_types(evctx *x, const pv_dataset *ds, pv_ev_rule *ev, size_t n_ev)
{
	pv_buf cols;
	pv_buf_init(&cols, 0);
	pv_err e;
	pv_err_clear(&e);
	size_t n_cols = 0;
	for (size_t i = 0; i < n_ev; i++) {
		const pv_rule *r = ev[i].r;
		if ((r->kind == PV_RULE_LOGICAL_TYPE || r->kind == PV_RULE_PHYSICAL_TYPE) &&
		    ev[i].res->status == PV_RS_SKIP && ev[i].ds_col >= 0) {
			pv_buf_printf(&cols, NULL, "%s%s", n_cols++ ? "," : "", r->column);
		}
	}
	if (!n_cols) {
		pv_buf_release(&cols);
		return;
	}
	pv_ev_scan es;
	int rc = pv_ev_scan_open(&es, ds, cols.data, false, &e);
	for (size_t i = 0; i < n_ev; i++) {
		const pv_rule *r = ev[i].r;
		pv_rule_result *res = ev[i].res;
		if ((r->kind != PV_RULE_LOGICAL_TYPE && r->kind != PV_RULE_PHYSICAL_TYPE) ||
		    res->status != PV_RS_SKIP || ev[i].ds_col < 0)
			continue;
		res->source = PV_SRC_SCHEMA;
		if (rc) {
			res->status = PV_RS_ERROR;
			res->error = adup(&x->res->arena, e.msg);
			continue;
		}
		const pv_atype *ct = NULL;
		for (size_t k = 0; k < es.t->n_children; k++)
			if (!strcmp(pv_scan_column_name(es.s, k), r->column))
				ct = es.t->children[k];
		if (!ct) {
			res->status = PV_RS_ERROR;
			res->error = "column not in the scan";
			continue;
		}
		pv_buf dn;
		pv_buf_init(&dn, 0);
		pv_contract_duck_type(ct, &dn);
		const char *found = dn.data ? dn.data : "";
		bool ok;
		if (r->kind == PV_RULE_LOGICAL_TYPE) {
			ok = logical_ok(r->type_name, ct);
		} else {
			char want[128], have[128], pq[128];
			norm_type(r->type_name, want, sizeof want);
			norm_type(found, have, sizeof have);
			norm_type(ds->columns[ev[i].ds_col].type, pq, sizeof pq);
			ok = !strcmp(want, have) || !strcmp(want, pq);
		}
		res->status = ok ? PV_RS_PASS : PV_RS_FAIL;
		res->detail = pv_arena_printf(&x->res->arena, NULL, "%s is %s (%s)", r->column, found,
					      ds->columns[ev[i].ds_col].type);
		if (!ok)
			res->n_offending = 1;
		pv_buf_release(&dn);
	}
	pv_ev_scan_close(&es);
	pv_buf_release(&cols);
}

/* ---- the scan */

/* Reads every key of the reference column of a joinCoverage rule into
 * e->ref. */
static int read_reference(evctx *x, pv_ev_rule *e, pv_err *err)
{
	const char *why = NULL;
	const char *path = dataref_path(x, &e->r->other, &why);
	if (!path)
		return pv_err_set(err, PV_EINVAL, "%s", why);
	pv_dataset *ds = NULL;
	pv_ev_scan es = { 0 };
	int rc = open_ds(x, &path, 1, &ds, err);
	if (!rc && ds->n_failed)
		rc = pv_err_set(err, PV_EIO, "%s", ds->files[0].err ? ds->files[0].err->msg : "unreadable");
	if (!rc)
		rc = pv_ev_scan_open(&es, ds, e->r->other_column, true, err);
	pv_buf key;
	pv_buf_init(&key, 0);
	while (!rc) {
		struct ArrowArray arr = { 0 };
		int64_t first;
		if ((rc = pv_ev_scan_next(&es, &arr, &first, err)) || !arr.release)
			break;
		for (int64_t i = 0; !rc && i < arr.length; i++) {
			pv_acell row = { es.t, &arr, i };
			bool null;
			pv_buf_reset(&key);
			if ((rc = pv_ev_cell_key(pv_acell_field(&row, 0), &key, &null, err)))
				break;
			if (null)
				continue;
			pv_kset_entry *ke;
			if (!rc && !(rc = pv_kset_get(&e->ref, key.data, key.len, &ke, err)))
				ke->count++;
		}
		e->ref_rows += arr.length;
		arr.release(&arr);
	}
	pv_buf_release(&key);
	if (rc)
		pv_err_prefix(err, "reference '%s'", path);
	pv_ev_scan_close(&es);
	pv_dataset_free(ds);
	return rc;
}

static void rule_error(evctx *x, pv_ev_rule *e, const char *msg)
{
	e->res->status = PV_RS_ERROR;
	e->res->error = adup(&x->res->arena, msg);
	e->data = false;
}

/* Adds name to the scan's column list; returns its index. */
static size_t scan_col(const char **names, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(names[i], name))
			return i;
	names[*n] = name;
	return (*n)++;
}

static void run_scan(evctx *x, const pv_dataset *ds, const pv_rowmap *rm, pv_ev_rule *ev,
		     size_t n_ev)
{
	size_t n_names = 0, max_names = 0;
	for (size_t i = 0; i < n_ev; i++)
		if (ev[i].data)
			max_names += ev[i].n_cols;
	if (!max_names)
		return;
	const char **names = calloc(max_names, sizeof *names);
	pv_buf cols;
	pv_buf_init(&cols, 0);
	pv_err e;
	pv_err_clear(&e);
	int rc = names ? 0 : pv_err_set(&e, PV_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n_ev; i++) {
		if (!ev[i].data)
			continue;
		ev[i].cols = pv_arena_array(&x->res->arena, ev[i].n_cols, sizeof *ev[i].cols, NULL);
		if (!ev[i].cols) {
			rc = pv_err_set(&e, PV_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < ev[i].n_cols; k++)
			ev[i].cols[k] = scan_col(names, &n_names, ev[i].col_names[k]);
	}
	for (size_t i = 0; !rc && i < n_names; i++)
		pv_buf_printf(&cols, NULL, "%s%s", i ? "," : "", names[i]);
	pv_ev_scan es = { 0 };
	if (!rc)
		rc = pv_ev_scan_open(&es, ds, cols.data, true, &e);
	while (!rc) {
		struct ArrowArray arr = { 0 };
		int64_t first;
		if ((rc = pv_ev_scan_next(&es, &arr, &first, &e)) || !arr.release)
			break;
		pv_rowpos pos = { 0 };
		if (arr.length)
			rc = pv_rowmap_locate(rm, first, &pos, &e);
		if (!rc) {
			pv_ev_batch b = { es.t, &arr, first, ds, pos.file, names };
			for (size_t i = 0; i < n_ev; i++)
				if (ev[i].data)
					pv_ev_feed(&ev[i], &b);
		}
		x->rows_done += arr.length;
		if (x->opts->progress)
			x->opts->progress(x->opts->progress_ctx, x->rows_done, x->rows_total);
		arr.release(&arr);
	}
	for (size_t i = 0; i < n_ev; i++) {
		if (!ev[i].data)
			continue;
		if (rc)
			rule_error(x, &ev[i], e.msg);
		else
			pv_ev_finish(&ev[i], rm->n_rows);
	}
	pv_ev_scan_close(&es);
	pv_buf_release(&cols);
	free(names);
}

/* ---- sql */

static char *sql_with_view(const char *q, const char *view)
{
	pv_buf b, qv;
	pv_buf_init(&b, 0);
	pv_buf_init(&qv, 0);
	pv_buf_putc(&qv, '"', NULL);
	for (const char *p = view; *p; p++) {
		if (*p == '"')
			pv_buf_putc(&qv, '"', NULL);
		pv_buf_putc(&qv, *p, NULL);
	}
	pv_buf_putc(&qv, '"', NULL);
	for (const char *p = q; *p;) {
		if (!strncmp(p, "${object}", 9)) {
			pv_buf_puts(&b, qv.data, NULL);
			p += 9;
		} else if (!strncmp(p, "{object}", 8)) {
			pv_buf_puts(&b, qv.data, NULL);
			p += 8;
		} else {
			pv_buf_putc(&b, *p++, NULL);
		}
	}
	pv_buf_release(&qv);
	return pv_buf_detach(&b, NULL);
}

/* Prepares a sql rule for the sql thread. */
static void prepare_sql(evctx *x, size_t oi, pv_ev_rule *e)
{
	e->res->source = PV_SRC_SQL;
	if (!x->opts->sql_scalar) {
		rule_error(x, e, "sql rules need DuckDB, which this caller does not provide");
		return;
	}
	if (!(e->sql_query = sql_with_view(e->r->query, x->c->objects[oi].name))) {
		rule_error(x, e, "out of memory");
		return;
	}
	e->sql = true;
}

/* What the sql thread needs. It touches only the sql_* fields of the
 * rules and reads ds, which the scan reads too (read-only use of a
 * dataset from several threads is fine). */
typedef struct sqljob {
	const pv_check_opts *opts;
	const char *view;
	const pv_dataset *ds;
	pv_ev_rule *ev;
	size_t n_ev;
} sqljob;

static void *sql_thread(void *arg)
{
	sqljob *j = arg;
	for (size_t i = 0; i < j->n_ev; i++) {
		pv_ev_rule *e = &j->ev[i];
		if (!e->sql)
			continue;
		e->sql_value = NAN;
		pv_err_clear(&e->sql_err);
		e->sql_rc = j->opts->sql_scalar(j->opts->sql_ctx, j->view, j->ds, e->sql_query,
						&e->sql_value, &e->sql_err);
	}
	return NULL;
}

/* Judges the sql rules once the thread is done. */
static void finish_sql(evctx *x, const pv_dataset *ds, pv_ev_rule *ev, size_t n_ev)
{
	for (size_t i = 0; i < n_ev; i++) {
		pv_ev_rule *e = &ev[i];
		if (!e->sql)
			continue;
		if (e->sql_rc) {
			rule_error(x, e, e->sql_err.msg);
		} else {
			pv_ev_judge(e, e->sql_value, ds->n_rows);
			e->res->detail = pv_arena_printf(&x->res->arena, NULL, "query returned %.17g",
							 e->sql_value);
		}
		free(e->sql_query);
		e->sql_query = NULL;
	}
}

/* ---- one object */

static void locate_failures(evctx *x, const pv_dataset *ds, const pv_rowmap *rm, pv_ev_rule *e)
{
	pv_rule_result *res = e->res;
	if (!e->n_fails)
		return;
	res->failures = pv_arena_array(&x->res->arena, e->n_fails, sizeof *res->failures, NULL);
	if (!res->failures)
		return;
	for (size_t k = 0; k < e->n_fails; k++) {
		pv_failure *f = &res->failures[k];
		f->values = e->fails[k].values;
		f->note = e->fails[k].note;
		f->row_group = f->row = f->global_row = -1;
		pv_rowpos pos;
		if (e->fails[k].row >= 0 && rm && pv_rowmap_locate(rm, e->fails[k].row, &pos, NULL) == 0) {
			f->file = adup(&x->res->arena, ds->files[pos.file].path);
			f->row_group = (int64_t)pos.row_group;
			f->row = pos.row;
			f->global_row = e->fails[k].row;
		}
	}
	res->n_failures = e->n_fails;
}

static void eval_object(evctx *x, size_t oi, pv_dataset *ds, const pv_rowmap *rm)
{
	const pv_contract *c = x->c;
	pv_arena *ar = &x->res->arena;
	size_t n_ev = 0;
	for (size_t i = 0; i < c->n_rules; i++)
		n_ev += c->rules[i].object == oi;
	pv_ev_rule *ev = calloc(n_ev ? n_ev : 1, sizeof *ev);
	if (!ev) {
		for (size_t i = 0; i < c->n_rules; i++)
			if (c->rules[i].object == oi) {
				x->res->rules[i].status = PV_RS_ERROR;
				x->res->rules[i].error = "out of memory";
			}
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < c->n_rules; i++) {
		if (c->rules[i].object != oi)
			continue;
		pv_ev_rule *e = &ev[k++];
		e->r = &c->rules[i];
		e->res = &x->res->rules[i];
		e->arena = ar;
		e->max_failures = x->opts->max_failures;
		e->max_row = -1;
		e->ds_col = e->r->column ? pv_dataset_column_index(ds, e->r->column) : -1;
		e->res->n_offending = -1;
	}
	for (size_t i = 0; i < n_ev; i++) {
		pv_ev_rule *e = &ev[i];
		const pv_rule *r = e->r;
		pv_rule_result *res = e->res;
		e->col_names = r->n_columns ? r->columns : &r->column;
		e->n_cols = r->n_columns ? r->n_columns : r->column ? 1 : 0;
		/* the key of uniqueWithinPartition is extended by every partition column */
		if (r->kind == PV_RULE_UNIQUE_WITHIN_PARTITION) {
			const char **names = pv_arena_array(ar, r->n_columns + ds->n_partitions,
							    sizeof *names, NULL);
			if (!names) {
				rule_error(x, e, "out of memory");
				continue;
			}
			size_t n = 0;
			for (size_t p = 0; p < ds->n_partitions; p++)
				names[n++] = ds->partitions[p].key;
			for (size_t p = 0; p < r->n_columns; p++)
				names[n++] = r->columns[p];
			e->col_names = names;
			e->n_cols = n;
		}
		bool missing = false;
		for (size_t m = 0; m < e->n_cols; m++)
			if (pv_dataset_column_index(ds, e->col_names[m]) < 0) {
				res->status = PV_RS_FAIL;
				res->source = PV_SRC_SCHEMA;
				res->n_offending = -1;
				res->detail = pv_arena_printf(ar, NULL, "no column '%s' in the data",
							      e->col_names[m]);
				missing = true;
				break;
			}
		if (r->kind == PV_RULE_NULL_TOLERANCE && missing && e->ds_col < 0) {
			res->status = PV_RS_PASS; /* in no file at all: nothing to tolerate */
			res->detail = "the column is in no file";
			continue;
		}
		if (missing)
			continue;
		res->status = PV_RS_SKIP;
		switch (r->kind) {
		case PV_RULE_ROW_COUNT:
			pv_ev_judge(e, (double)rm->n_rows, rm->n_rows);
			res->source = PV_SRC_FOOTER;
			res->detail = pv_arena_printf(ar, NULL, "%lld rows", (long long)rm->n_rows);
			break;
		case PV_RULE_PRESENT:
			res->status = PV_RS_PASS;
			res->source = PV_SRC_SCHEMA;
			break;
		case PV_RULE_LOGICAL_TYPE:
		case PV_RULE_PHYSICAL_TYPE:
			break; /* check_types below */
		case PV_RULE_NULL_VALUES: {
			int64_t nulls;
			if (pv_contract_footer_nulls(ds, e->ds_col, &nulls)) {
				e->n_bad = nulls;
				pv_ev_judge(e, (double)nulls, rm->n_rows);
				res->source = PV_SRC_FOOTER;
				res->n_offending = nulls;
				res->detail = pv_arena_printf(ar, NULL, "%lld of %lld rows", (long long)nulls,
							      (long long)rm->n_rows);
				if (res->status == PV_RS_PASS || !e->max_failures)
					break;
				e->n_bad = 0; /* fails: read the data to name the rows */
			}
			e->data = pv_ev_prepare(e);
			break;
		}
		case PV_RULE_SQL:
			prepare_sql(x, oi, e);
			break;
		case PV_RULE_ROW_COUNT_RATIO: {
			const char *why = NULL, *path = dataref_path(x, &r->other, &why);
			pv_dataset *up = NULL;
			pv_err err;
			pv_err_clear(&err);
			res->source = PV_SRC_OTHER;
			if (!path) {
				rule_error(x, e, why);
			} else if (open_ds(x, &path, 1, &up, &err)) {
				rule_error(x, e, err.msg);
			} else if (up->n_failed) {
				rule_error(x, e, up->files[0].err ? up->files[0].err->msg : "unreadable upstream");
			} else {
				double ratio = up->n_rows ? (double)rm->n_rows / (double)up->n_rows : NAN;
				pv_ev_judge(e, ratio, rm->n_rows);
				res->detail = pv_arena_printf(ar, NULL, "%lld / %lld upstream rows ('%s')",
							      (long long)rm->n_rows, (long long)up->n_rows,
							      path);
			}
			pv_dataset_free(up);
			break;
		}
		case PV_RULE_SCHEMA_COMPATIBLE: {
			pv_err err;
			pv_err_clear(&err);
			if (pv_ev_schema_compatible(e, ds, &err))
				rule_error(x, e, err.msg);
			break;
		}
		case PV_RULE_NULL_TOLERANCE:
			if (r->partition) {
				bool found = false;
				for (size_t p = 0; p < ds->n_partitions; p++)
					found = found || !strcmp(ds->partitions[p].key, r->partition);
				if (!found) {
					rule_error(x, e, pv_arena_printf(ar, NULL, "no partition key '%s' in the data",
									 r->partition));
					break;
				}
			}
			e->data = pv_ev_prepare(e);
			break;
		case PV_RULE_JOIN_COVERAGE: {
			if (!pv_ev_prepare(e))
				break;
			pv_err err;
			pv_err_clear(&err);
			if (read_reference(x, e, &err))
				rule_error(x, e, err.msg);
			else
				e->data = true;
			break;
		}
		default:
			e->data = pv_ev_prepare(e);
			break;
		}
	}
	/* DuckDB answers the sql rules while the scan reads: the two overlap */
	sqljob job = { x->opts, c->objects[oi].name, ds, ev, n_ev };
	pthread_t th;
	bool any_sql = false, threaded = false;
	for (size_t i = 0; i < n_ev; i++)
		any_sql = any_sql || ev[i].sql;
	if (any_sql)
		threaded = pthread_create(&th, NULL, sql_thread, &job) == 0;
	if (any_sql && !threaded)
		sql_thread(&job);
	check_types(x, ds, ev, n_ev);
	run_scan(x, ds, rm, ev, n_ev);
	if (threaded)
		pthread_join(th, NULL);
	finish_sql(x, ds, ev, n_ev);
	for (size_t i = 0; i < n_ev; i++) {
		locate_failures(x, ds, rm, &ev[i]);
		pv_ev_release(&ev[i]);
	}
	free(ev);
}

int pv_contract_check(const pv_contract *c, const pv_check_opts *opts, pv_check_result **out,
		      pv_err *err)
{
	*out = NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pv_check_result *res = calloc(1, sizeof *res);
	if (!res)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_arena_init(&res->arena, 0);
	res->contract = c;
	res->rules = pv_arena_array(&res->arena, c->n_rules ? c->n_rules : 1, sizeof *res->rules, err);
	res->objects = pv_arena_array(&res->arena, c->n_objects ? c->n_objects : 1,
				      sizeof *res->objects, err);
	if (!res->rules || !res->objects) {
		pv_check_result_free(res);
		return PV_ENOMEM;
	}
	for (size_t i = 0; i < opts->n_servers; i++) {
		const char *eq = strchr(opts->servers[i], '=');
		bool known = false;
		for (size_t k = 0; eq && k < c->n_servers; k++)
			known = known || (strlen(c->servers[k].name) == (size_t)(eq - opts->servers[i]) &&
					  !strncmp(c->servers[k].name, opts->servers[i],
						   (size_t)(eq - opts->servers[i])));
		for (size_t k = 0; eq && k < c->n_objects; k++)
			known = known || (strlen(c->objects[k].name) == (size_t)(eq - opts->servers[i]) &&
					  !strncmp(c->objects[k].name, opts->servers[i],
						   (size_t)(eq - opts->servers[i])));
		if (!known) {
			pv_check_result_free(res);
			return pv_err_set(err, PV_EINVAL,
					  "--server '%s': expected NAME=PATH with a server or schema "
					  "object NAME of the contract",
					  opts->servers[i]);
		}
	}
	evctx x = { .c = c, .opts = opts, .res = res, .err = err };
	for (size_t oi = 0; oi < c->n_objects; oi++) {
		pv_object_result *o = &res->objects[oi];
		const char *why = NULL;
		const char *const *paths;
		size_t n_paths;
		const char *one;
		if (opts->n_paths && (oi == 0 || c->n_objects == 1)) {
			paths = opts->paths;
			n_paths = opts->n_paths;
		} else if ((one = object_path(&x, oi, &why))) {
			paths = &one;
			n_paths = 1;
		} else {
			o->error = why;
			o->error_code = PV_EINVAL;
			continue;
		}
		o->paths = pv_arena_array(&res->arena, n_paths, sizeof *o->paths, NULL);
		for (size_t k = 0; o->paths && k < n_paths; k++)
			o->paths[k] = adup(&res->arena, paths[k]);
		o->n_paths = o->paths ? n_paths : 0;
		pv_dataset *ds = NULL;
		pv_err e;
		pv_err_clear(&e);
		if (open_ds(&x, paths, n_paths, &ds, &e)) {
			o->error = adup(&res->arena, e.msg);
			o->error_code = e.code;
			continue;
		}
		o->n_files = ds->n_files;
		o->rows = ds->n_rows;
		if (ds->n_failed) {
			for (size_t f = 0; f < ds->n_files; f++)
				if (!ds->files[f].pf) {
					o->error = pv_arena_printf(&res->arena, NULL,
								   "%zu of %zu files could not be read; first: %s",
								   ds->n_failed, ds->n_files,
								   ds->files[f].err ? ds->files[f].err->msg : "?");
					o->error_code = ds->files[f].err ? ds->files[f].err->code : PV_EIO;
					break;
				}
		}
		pv_rowmap rm;
		if (pv_rowmap_init(&rm, ds, &e)) {
			o->error = adup(&res->arena, e.msg);
			o->error_code = e.code;
			pv_dataset_free(ds);
			continue;
		}
		o->rows = rm.n_rows;
		x.rows_total += rm.n_rows;
		eval_object(&x, oi, ds, &rm);
		pv_rowmap_release(&rm);
		pv_dataset_free(ds);
	}
	for (size_t i = 0; i < c->n_rules; i++) {
		pv_rule_result *r = &res->rules[i];
		const pv_object_result *o = &res->objects[c->rules[i].object];
		if (o->error && !o->n_files) {
			r->status = PV_RS_SKIP;
			r->error = o->error;
		}
		switch (r->status) {
		case PV_RS_PASS: res->n_pass++; break;
		case PV_RS_FAIL: res->n_fail++; break;
		case PV_RS_ERROR: res->n_error++; break;
		default: res->n_skip++; break;
		}
		res->n_from_footers += r->source == PV_SRC_FOOTER;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	*out = res;
	return 0;
}

void pv_check_result_free(pv_check_result *r)
{
	if (!r)
		return;
	pv_arena_release(&r->arena);
	free(r);
}
