/*
 * problems.c - a dataset's problems from its footers (problems.h).
 * Includes base, format, read and dataset; nothing above.
 */
#include "dataset/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

static int add(pv_problems *p, size_t *cap, pv_err *err, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int add(pv_problems *p, size_t *cap, pv_err *err, const char *kind, const char *fmt, ...)
{
	if (p->n == *cap) {
		size_t want = *cap ? *cap * 2 : 8;
		pv_problem *grown = realloc(p->items, want * sizeof *grown);
		if (!grown)
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		p->items = grown;
		*cap = want;
	}
	pv_problem *it = &p->items[p->n++];
	it->kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof it->message, fmt, ap);
	va_end(ap);
	return 0;
}

static int file_problems(pv_problems *p, size_t *cap, const pv_dataset_file *f, pv_err *err)
{
	if (!f->pf)
		return add(p, cap, err, "unreadable_file", "%s", f->err->msg);
	const pv_file_meta *m = f->pf->meta;
	int64_t rg_rows = 0;
	size_t n_enc = 0;
	for (size_t g = 0; g < m->n_row_groups; g++) {
		rg_rows += m->row_groups[g].num_rows;
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++)
			n_enc += m->row_groups[g].columns[c].encrypted;
	}
	int rc = 0;
	if (rg_rows != m->num_rows)
		rc = add(p, cap, err, "row_count_mismatch",
			 "%s: footer says %lld rows but its row groups hold %lld (readers see the latter)",
			 f->path, (long long)m->num_rows, (long long)rg_rows);
	if (!rc && n_enc)
		rc = add(p, cap, err, "encrypted_columns",
			 "%s: %zu column chunks are encrypted; their data cannot be read", f->path, n_enc);
	return rc;
}

int pv_problems_init(pv_problems *p, const pv_dataset *ds, pv_err *err)
{
	memset(p, 0, sizeof *p);
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; !rc && i < ds->n_files; i++)
		rc = file_problems(p, &cap, &ds->files[i], err);
	size_t readable = ds->n_files - ds->n_failed;
	for (size_t c = 0; !rc && c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		if (col->n_missing)
			rc = add(p, &cap, err, "missing_column",
				 "column '%s' is missing from %zu of %zu files (reads as NULL there), e.g. %s",
				 col->name, col->n_missing, readable, ds->files[col->missing[0]].path);
		for (size_t k = 0; !rc && k < col->n_conflicts; k++)
			rc = add(p, &cap, err, "type_conflict", "column '%s' is %s in %s but %s in %s",
				 col->name, col->conflicts[k].type, ds->files[col->conflicts[k].file].path,
				 col->type, ds->files[col->file].path);
	}
	if (!rc && ds->partitions_partial)
		rc = add(p, &cap, err, "partial_partitions",
			 "some files lack partition keys that others have (they read as NULL)");
	if (rc)
		pv_problems_release(p);
	return rc;
}

void pv_problems_release(pv_problems *p)
{
	if (!p)
		return;
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

void pv_problems_json(const pv_problems *p, pv_json *j)
{
	pv_json_array_begin(j);
	for (size_t i = 0; i < p->n; i++) {
		pv_json_object_begin(j);
		pv_json_kstr(j, "kind", p->items[i].kind);
		pv_json_kstr(j, "message", p->items[i].message);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
}
