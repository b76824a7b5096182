/*
 * catalog.c - the served datasets: ids, opening, lookup (catalog.h).
 * Includes base, dataset, sql (the rule for names) and server only.
 */
#include "server/catalog.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/session.h"
#include "base/banned.h"

static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	return n <= PV_CATALOG_MAX_ID && pv_sql_plain_name(s, n);
}

/* The base name of path without a Parquet extension, as an id. */
static void derive_id(const char *path, char *out)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	size_t len = n - start;
	static const char *exts[] = { ".parquet", ".parq", ".pq" };
	for (size_t k = 0; k < 3; k++) {
		size_t el = strlen(exts[k]);
		if (len > el && !strncmp(path + start + len - el, exts[k], el)) {
			len -= el;
			break;
		}
	}
	size_t o = 0;
	if (len && path[start] >= '0' && path[start] <= '9')
		out[o++] = '_';
	for (size_t i = 0; i < len && o < PV_CATALOG_MAX_ID - 4; i++) {
		char ch = path[start + i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_';
		out[o++] = ok ? ch : '_';
	}
	out[o] = '\0';
	if (!o || !valid_id(out))
		snprintf(out, PV_CATALOG_MAX_ID + 1, "data");
}

const pv_catalog_entry *pv_catalog_find(const pv_catalog *c, const char *id)
{
	for (size_t i = 0; id && i < c->n; i++)
		if (!strcmp(c->items[i].id, id))
			return &c->items[i];
	return NULL;
}

void pv_catalog_release(pv_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		pv_rgcache_free(c->items[i].cache);
		pv_rowmap_release(&c->items[i].map);
		pv_problems_release(&c->items[i].problems);
		pv_dataset_free(c->items[i].ds);
		free(c->items[i].paths);
	}
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

int pv_catalog_open(pv_catalog *c, const pv_catalog_arg *args, size_t n_args, size_t max_readers,
		    pv_err *err)
{
	memset(c, 0, sizeof *c);
	c->items = calloc(n_args ? n_args : 1, sizeof *c->items);
	if (!c->items)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	int rc = 0;
	/* group the arguments into datasets by id */
	for (size_t i = 0; i < n_args && !rc; i++) {
		char id[PV_CATALOG_MAX_ID + 1];
		if (args[i].id) {
			if (!valid_id(args[i].id)) {
				rc = pv_err_set(err, PV_EINVAL,
						"dataset name '%.80s' must be letters, digits and '_' "
						"(not first a digit), at most %d",
						args[i].id, PV_CATALOG_MAX_ID);
				break;
			}
			snprintf(id, sizeof id, "%s", args[i].id);
		} else if (n_args == 1) {
			snprintf(id, sizeof id, "data");
		} else {
			derive_id(args[i].path, id);
			/* a derived id never joins another dataset */
			char base[PV_CATALOG_MAX_ID + 1];
			memcpy(base, id, sizeof base);
			base[PV_CATALOG_MAX_ID - 8] = '\0'; /* room for "_N" */
			for (unsigned k = 2; pv_catalog_find(c, id) && k < 100000; k++) {
				size_t bl = strlen(base);
				memcpy(id, base, bl);
				snprintf(id + bl, sizeof id - bl, "_%u", k % 100000);
			}
		}
		pv_catalog_entry *e = (pv_catalog_entry *)pv_catalog_find(c, id);
		if (!e) {
			e = &c->items[c->n++];
			memcpy(e->id, id, sizeof id);
		}
		const char **p = realloc(e->paths, (e->n_paths + 1) * sizeof *p);
		if (!p) {
			rc = pv_err_set(err, PV_ENOMEM, "out of memory");
			break;
		}
		p[e->n_paths++] = args[i].path;
		e->paths = p;
	}
	for (size_t i = 0; i < c->n && !rc; i++) {
		pv_catalog_entry *e = &c->items[i];
		rc = pv_dataset_open(e->paths, e->n_paths, NULL, &e->ds, err);
		if (!rc)
			rc = pv_rowmap_init(&e->map, e->ds, err);
		if (!rc)
			rc = pv_rgcache_new(e->ds, max_readers, &e->cache, err);
		if (!rc)
			rc = pv_problems_init(&e->problems, e->ds, err);
		if (rc) {
			pv_err_prefix(err, "dataset '%s'", e->id);
			break;
		}
		for (size_t f = 0; f < e->ds->n_files; f++)
			if (e->ds->files[f].pf)
				e->bytes += e->ds->files[f].pf->size;
	}
	if (rc)
		pv_catalog_release(c);
	return rc;
}
