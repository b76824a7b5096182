/*
 * dataset.c - opening many Parquet files as one table: listing, parallel
 * footer reads, hive partitions and the schema union.
 * Includes base, format, io, read and dataset; nothing above.
 */
#include "dataset/dataset.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/buf.h"
#include "base/checked.h"
#include "base/pool.h"
#include "base/banned.h"

/* ---- footers, in parallel */

struct load_ctx {
	pv_dataset *ds;
};

static void load_one(void *arg, size_t i)
{
	struct load_ctx *c = arg;
	pv_dataset_file *f = &c->ds->files[i];
	pv_err e;
	pv_err_clear(&e);
	if (pv_pfile_open(f->path, &f->pf, &e)) {
		f->pf = NULL;
		f->err = malloc(sizeof *f->err);
		if (f->err)
			*f->err = e;
	}
}

/* ---- a small name -> column index table (open addressing) */

typedef struct name_map {
	long *slots; /* column index + 1; 0 = empty */
	size_t mask;
} name_map;

static int map_init(name_map *m, size_t n, pv_arena *a, pv_err *err)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	m->slots = pv_arena_array(a, cap, sizeof *m->slots, err);
	m->mask = cap - 1;
	return m->slots ? 0 : err ? err->code : PV_ENOMEM;
}

static long map_find(const name_map *m, const pv_dataset_column *cols, const char *name,
		     size_t *out_slot)
{
	size_t h = (size_t)XXH3_64bits(name, strlen(name)) & m->mask;
	while (m->slots[h]) {
		long idx = m->slots[h] - 1;
		if (!strcmp(cols[idx].name, name))
			return idx;
		h = (h + 1) & m->mask;
	}
	*out_slot = h;
	return -1;
}

/* ---- the schema union */

static int type_into(const pv_schema_node *n, pv_buf *b, int depth, pv_err *err);

/* Grows a heap array so it holds one more element than n. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem, pv_err *err)
{
	if (n < *cap)
		return 0;
	size_t want = *cap ? *cap * 2 : 8, bytes;
	if (!pv_mul_size(want, elem, &bytes))
		return pv_err_set(err, PV_ELIMIT, "too many files");
	void *p = realloc(*arr, bytes);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory unifying schemas");
	*arr = p;
	*cap = want;
	return 0;
}

static int unify(pv_dataset *ds, pv_err *err)
{
	pv_arena *a = &ds->arena;
	size_t max_cols = ds->n_partitions;
	for (size_t i = 0; i < ds->n_files; i++)
		if (ds->files[i].pf)
			max_cols += ds->files[i].pf->schema->root->n_children;
	name_map map;
	pv_dataset_column *cols = pv_arena_array(a, max_cols ? max_cols : 1, sizeof *cols, err);
	if (!cols || map_init(&map, max_cols, a, err))
		return err ? err->code : PV_ENOMEM;
	size_t n = 0;

	/* Pass 1: every column in order of first appearance, typed by that file. */
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		if (!pf)
			continue;
		const pv_schema_node *root = pf->schema->root;
		for (size_t c = 0; c < root->n_children; c++) {
			const pv_schema_node *node = root->children[c];
			size_t slot;
			if (map_find(&map, cols, node->name, &slot) >= 0)
				continue;
			pv_dataset_column *col = &cols[n];
			col->name = node->name;
			col->file = i;
			col->node = node;
			if (!(col->type = pv_dataset_type_of(node, a, err)))
				return err ? err->code : PV_ENOMEM;
			map.slots[slot] = (long)++n;
		}
	}

	/* Pass 2: presence, nullability and conflicts per file. Type strings
	 * are built into one reused buffer; only conflicts are kept. */
	size_t *cap_missing = calloc(n ? n : 1, sizeof *cap_missing);
	size_t *cap_conflicts = calloc(n ? n : 1, sizeof *cap_conflicts);
	unsigned char *seen = calloc(n ? n : 1, 1);
	pv_buf tb;
	pv_buf_init(&tb, (size_t)1 << 20);
	int rc = 0;
	if (!cap_missing || !cap_conflicts || !seen) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory unifying schemas");
		goto done;
	}
	for (size_t i = 0; i < ds->n_files && !rc; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		if (!pf)
			continue;
		memset(seen, 0, n);
		const pv_schema_node *root = pf->schema->root;
		for (size_t c = 0; c < root->n_children && !rc; c++) {
			const pv_schema_node *node = root->children[c];
			size_t slot;
			long idx = map_find(&map, cols, node->name, &slot);
			if (idx < 0 || seen[idx])
				continue; /* a duplicate name inside one file: first wins */
			seen[idx] = 1;
			pv_dataset_column *col = &cols[idx];
			if (node->repetition != PV_REP_REQUIRED)
				col->nullable = true;
			if (i == col->file)
				continue;
			pv_buf_reset(&tb);
			if ((rc = type_into(node, &tb, 0, err)))
				break;
			if (!strcmp(tb.data ? tb.data : "", col->type))
				continue;
			const char *t = pv_arena_strndup(a, tb.data, tb.len, err);
			if (!t || grow((void **)&col->conflicts, &cap_conflicts[idx], col->n_conflicts,
				       sizeof *col->conflicts, err)) {
				rc = err ? err->code : PV_ENOMEM;
				break;
			}
			col->conflicts[col->n_conflicts++] = (pv_dataset_conflict){ i, t };
		}
		for (size_t c = 0; c < n && !rc; c++) {
			if (seen[c])
				continue;
			cols[c].nullable = true;
			if (grow((void **)&cols[c].missing, &cap_missing[c], cols[c].n_missing,
				 sizeof *cols[c].missing, err)) {
				rc = err ? err->code : PV_ENOMEM;
				break;
			}
			cols[c].missing[cols[c].n_missing++] = i;
		}
	}

	/* Partition columns come last, as DuckDB's hive_partitioning puts them. */
	for (size_t p = 0; p < ds->n_partitions && !rc; p++) {
		size_t slot;
		if (map_find(&map, cols, ds->partitions[p].key, &slot) >= 0)
			continue; /* a data column of that name wins */
		pv_dataset_column *col = &cols[n];
		col->name = ds->partitions[p].key;
		col->is_partition = true;
		col->part_type = ds->partitions[p].type;
		col->type = pv_hive_type_name(ds->partitions[p].type);
		col->nullable = true;
		map.slots[slot] = (long)++n;
	}
done:
	free(cap_missing);
	free(cap_conflicts);
	free(seen);
	pv_buf_release(&tb);
	ds->columns = cols; /* also on failure, so pv_dataset_free frees the lists */
	ds->n_columns = n;
	return rc;
}

int pv_dataset_open(const char *const *args, size_t n_args, const pv_dataset_opts *opts,
		    pv_dataset **out, pv_err *err)
{
	*out = NULL;
	pv_dataset *ds = calloc(1, sizeof *ds);
	if (!ds)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_arena_init(&ds->arena, 0);
	pv_path_list_init(&ds->paths);
	int rc = pv_paths_expand(args, n_args, &ds->paths, err);
	if (rc)
		goto fail;

	ds->n_files = ds->paths.n_items;
	ds->files = pv_arena_array(&ds->arena, ds->n_files, sizeof *ds->files, err);
	pv_hive_kv **kvs = pv_arena_array(&ds->arena, ds->n_files, sizeof *kvs, err);
	size_t *n_kvs = pv_arena_array(&ds->arena, ds->n_files, sizeof *n_kvs, err);
	if (!ds->files || !kvs || !n_kvs) {
		rc = err ? err->code : PV_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < ds->n_files; i++) {
		pv_dataset_file *f = &ds->files[i];
		f->path = ds->paths.items[i].path;
		if ((rc = pv_hive_parse(ds->paths.items[i].rel, &ds->arena, &f->parts, &f->n_parts, err)))
			goto fail;
		kvs[i] = f->parts;
		n_kvs[i] = f->n_parts;
	}
	if ((rc = pv_hive_columns(kvs, n_kvs, ds->n_files, &ds->arena, &ds->partitions,
				  &ds->n_partitions, &ds->partitions_partial, err)))
		goto fail;

	struct load_ctx ctx = { ds };
	/* Footers are small reads: I/O latency, not CPU, bounds this loop, so
	 * use a few more threads than cores. */
	int threads = opts && opts->n_threads > 0 ? opts->n_threads : pv_pool_ncpu() * 2;
	pv_pool_for(threads, ds->n_files, load_one, &ctx);

	for (size_t i = 0; i < ds->n_files; i++) {
		pv_dataset_file *f = &ds->files[i];
		if (!f->pf) {
			ds->n_failed++;
			if (!f->err) {
				rc = pv_err_set(err, PV_ENOMEM, "out of memory reading footers");
				goto fail;
			}
			continue;
		}
		f->row_start = ds->n_rows;
		if (__builtin_add_overflow(ds->n_rows, f->pf->rows, &ds->n_rows))
			ds->n_rows = INT64_MAX;
		ds->n_row_groups += (int64_t)f->pf->meta->n_row_groups;
	}
	if ((rc = unify(ds, err)))
		goto fail;
	*out = ds;
	return 0;
fail:
	pv_dataset_free(ds);
	return rc;
}

void pv_dataset_free(pv_dataset *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; ds->files && i < ds->n_files; i++) {
		pv_pfile_free(ds->files[i].pf);
		free(ds->files[i].err);
	}
	for (size_t c = 0; c < ds->n_columns; c++) {
		free(ds->columns[c].missing);
		free(ds->columns[c].conflicts);
	}
	pv_path_list_release(&ds->paths);
	pv_arena_release(&ds->arena);
	free(ds);
}

long pv_dataset_column_index(const pv_dataset *ds, const char *name)
{
	for (size_t i = 0; i < ds->n_columns; i++)
		if (!strcmp(ds->columns[i].name, name))
			return (long)i;
	return -1;
}

/* ---- display types with nesting spelled out */

static int type_into(const pv_schema_node *n, pv_buf *b, int depth, pv_err *err)
{
	if (depth > PV_SCHEMA_MAX_DEPTH)
		return pv_err_set(err, PV_ELIMIT, "schema nested too deeply");
	char leaf[160];
	int rc = 0;
	if (n->bare_repeated && (rc = pv_buf_puts(b, "LIST<", err)))
		return rc;
	switch (n->is_leaf ? PV_SHAPE_PRIMITIVE : n->shape) {
	case PV_SHAPE_PRIMITIVE:
		rc = pv_buf_puts(b, pv_schema_type_str(n, leaf, sizeof leaf), err);
		break;
	case PV_SHAPE_LIST:
		if (!(rc = pv_buf_puts(b, "LIST<", err)) && n->list_element &&
		    !(rc = type_into(n->list_element, b, depth + 1, err)))
			rc = pv_buf_putc(b, '>', err);
		break;
	case PV_SHAPE_MAP:
		if (!(rc = pv_buf_puts(b, "MAP<", err)) && n->map_key &&
		    !(rc = type_into(n->map_key, b, depth + 1, err))) {
			if (n->map_value && !(rc = pv_buf_puts(b, ", ", err)))
				rc = type_into(n->map_value, b, depth + 1, err);
			if (!rc)
				rc = pv_buf_putc(b, '>', err);
		}
		break;
	default:
		rc = pv_buf_puts(b, pv_schema_type_str(n, leaf, sizeof leaf), err);
		if (!rc)
			rc = pv_buf_putc(b, '<', err);
		for (size_t i = 0; !rc && i < n->n_children; i++) {
			if (i)
				rc = pv_buf_puts(b, ", ", err);
			if (!rc && !(rc = pv_buf_printf(b, err, "%s: ", n->children[i]->name)))
				rc = type_into(n->children[i], b, depth + 1, err);
		}
		if (!rc)
			rc = pv_buf_putc(b, '>', err);
	}
	if (!rc && n->bare_repeated)
		rc = pv_buf_putc(b, '>', err);
	return rc;
}

const char *pv_dataset_type_of(const pv_schema_node *n, pv_arena *a, pv_err *err)
{
	pv_buf b;
	pv_buf_init(&b, (size_t)1 << 20);
	const char *out = NULL;
	if (!type_into(n, &b, 0, err))
		out = pv_arena_strndup(a, b.data ? b.data : "", b.len, err);
	pv_buf_release(&b);
	return out;
}
