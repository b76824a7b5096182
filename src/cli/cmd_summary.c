/*
 * cmd_summary.c - `parqview [summary] PATH...`: what a dataset is at a
 * glance: files, partitions, rows, row groups, sizes, compression, writers,
 * a schema overview and the problems found, all from the footers.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli/cli.h"
#include "dataset/problems.h"
#include "render/table.h"
#include "render/units.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview [summary] PATH... [--json]\n"
	"\n"
	"Summarises the files PATH names as one dataset (directories are searched\n"
	"recursively; key=value directories become partition columns): files,\n"
	"partitions, rows, row groups, sizes on disk and uncompressed, codecs,\n"
	"writers, the columns, and problems such as unreadable files, columns\n"
	"missing from some files or typed differently between files.\n"
	"Reads only the footers. Exit code 3 when some file could not be read.\n"
	"\n"
	"  --json         machine-readable output (shape in the README)\n"
	"  --color WHEN   auto, always or never\n";

typedef struct tally {
	const char *name;
	int64_t n;     /* files (writers) or compressed bytes (codecs) */
} tally;

static void tally_add(tally **t, size_t *n, const char *name, int64_t by)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*t)[i].name, name)) {
			(*t)[i].n += by;
			return;
		}
	tally *grown = realloc(*t, (*n + 1) * sizeof **t);
	if (!grown)
		return; /* a summary line short, not a failure */
	*t = grown;
	(*t)[(*n)++] = (tally){ name, by };
}

static int tally_cmp(const void *a, const void *b)
{
	const tally *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->name, y->name);
}

typedef struct summary {
	int64_t on_disk, compressed, uncompressed;
	tally *codecs, *writers;
	size_t n_codecs, n_writers;
	pv_problems problems; /* dataset/problems.h */
} summary;

static int distinct_values(const pv_dataset *ds, const char *key, const char ***out)
{
	const char **vals = calloc(ds->n_files ? ds->n_files : 1, sizeof *vals);
	int n = 0;
	if (!vals)
		return 0;
	for (size_t i = 0; i < ds->n_files; i++)
		for (size_t k = 0; k < ds->files[i].n_parts; k++) {
			const pv_hive_kv *kv = &ds->files[i].parts[k];
			if (strcmp(kv->key, key))
				continue;
			const char *v = kv->value ? kv->value : "NULL";
			int seen = 0;
			for (int j = 0; j < n && !seen; j++)
				seen = !strcmp(vals[j], v);
			if (!seen)
				vals[n++] = v;
		}
	*out = vals;
	return n;
}

static int compute(const pv_dataset *ds, summary *s, pv_err *err)
{
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_dataset_file *f = &ds->files[i];
		if (!f->pf)
			continue;
		const pv_file_meta *m = f->pf->meta;
		s->on_disk += f->pf->size;
		for (size_t g = 0; g < m->n_row_groups; g++) {
			const pv_row_group *rg = &m->row_groups[g];
			for (size_t c = 0; c < rg->n_columns; c++) {
				const pv_column_chunk *cc = &rg->columns[c];
				if (!cc->has_meta_data)
					continue;
				s->compressed += cc->meta_data.total_compressed_size;
				s->uncompressed += cc->meta_data.total_uncompressed_size;
				tally_add(&s->codecs, &s->n_codecs, pv_codec_name(cc->meta_data.codec),
					  cc->meta_data.total_compressed_size);
			}
		}
		tally_add(&s->writers, &s->n_writers, m->created_by ? m->created_by : "(unknown)", 1);
	}
	qsort(s->codecs, s->n_codecs, sizeof *s->codecs, tally_cmp);
	qsort(s->writers, s->n_writers, sizeof *s->writers, tally_cmp);
	return pv_problems_init(&s->problems, ds, err);
}

static void print_json(const pv_dataset *ds, const summary *s, char **paths, int n_paths)
{
	pv_json j;
	pv_json_init_file(&j, stdout, true);
	pv_json_object_begin(&j);
	pv_json_key(&j, "paths");
	pv_json_array_begin(&j);
	for (int i = 0; i < n_paths; i++)
		pv_json_str(&j, paths[i]);
	pv_json_array_end(&j);
	pv_json_kint(&j, "n_files", (int64_t)ds->n_files);
	pv_json_kint(&j, "n_unreadable", (int64_t)ds->n_failed);
	pv_json_kint(&j, "rows", ds->n_rows);
	pv_json_kint(&j, "row_groups", ds->n_row_groups);
	pv_json_kint(&j, "bytes_on_disk", s->on_disk);
	pv_json_kint(&j, "compressed_bytes", s->compressed);
	pv_json_kint(&j, "uncompressed_bytes", s->uncompressed);
	pv_json_key(&j, "partitions");
	pv_json_array_begin(&j);
	for (size_t p = 0; p < ds->n_partitions; p++) {
		const char **vals = NULL;
		int nv = distinct_values(ds, ds->partitions[p].key, &vals);
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "key", ds->partitions[p].key);
		pv_json_kstr(&j, "type", pv_hive_type_name(ds->partitions[p].type));
		pv_json_kint(&j, "n_values", nv);
		pv_json_key(&j, "values");
		pv_json_array_begin(&j);
		for (int v = 0; v < nv; v++)
			pv_json_str(&j, vals[v]);
		pv_json_array_end(&j);
		pv_json_object_end(&j);
		free(vals);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "codecs");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < s->n_codecs; i++) {
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "codec", s->codecs[i].name);
		pv_json_kint(&j, "compressed_bytes", s->codecs[i].n);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "writers");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < s->n_writers; i++) {
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "created_by", s->writers[i].name);
		pv_json_kint(&j, "files", s->writers[i].n);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "columns");
	pv_json_array_begin(&j);
	for (size_t c = 0; c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "name", col->name);
		pv_json_kstr(&j, "type", col->type);
		pv_json_kbool(&j, "nullable", col->nullable);
		pv_json_kbool(&j, "partition", col->is_partition);
		pv_json_kint(&j, "n_missing", (int64_t)col->n_missing);
		pv_json_kint(&j, "n_conflicts", (int64_t)col->n_conflicts);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "problems");
	pv_problems_json(&s->problems, &j);
	pv_json_object_end(&j);
	pv_json_finish(&j);
}

static int print_human(const pv_dataset *ds, const summary *s, const pv_cli_common *com,
		       char **paths, int n_paths)
{
	pv_err err;
	pv_table_style style;
	pv_table_style_for(&style, &com->term);
	const pv_term *t = &com->term;
	char a[PV_UNITS_BUF], b[PV_UNITS_BUF], c[PV_UNITS_BUF], line[1024];

	printf("%s", pv_term_bold(t));
	for (int i = 0; i < n_paths; i++)
		printf("%s%s", i ? " " : "", paths[i]);
	printf("%s\n", pv_term_reset(t));

	const char *keys[8], *vals[8];
	char files[128], parts[1024] = "", rows[128], groups[128], size[256], codecs[512] = "",
			 writers[1024] = "";
	size_t n = 0;
	snprintf(files, sizeof files, "%zu%s", ds->n_files, "");
	if (ds->n_failed)
		snprintf(files, sizeof files, "%zu (%zu unreadable)", ds->n_files, ds->n_failed);
	keys[n] = "files", vals[n++] = files;
	size_t used = 0;
	for (size_t p = 0; p < ds->n_partitions && used < sizeof parts; p++) {
		const char **pv = NULL;
		int nv = distinct_values(ds, ds->partitions[p].key, &pv);
		used += (size_t)snprintf(parts + used, sizeof parts - used, "%s%s %s (%d value%s)",
					 p ? ", " : "", ds->partitions[p].key,
					 pv_hive_type_name(ds->partitions[p].type), nv, nv == 1 ? "" : "s");
		free(pv);
	}
	if (ds->n_partitions)
		keys[n] = "partitions", vals[n++] = parts;
	keys[n] = "rows", vals[n++] = pv_units_count(ds->n_rows, rows, sizeof rows);
	snprintf(groups, sizeof groups, "%s", pv_units_count(ds->n_row_groups, a, sizeof a));
	keys[n] = "row groups", vals[n++] = groups;
	snprintf(size, sizeof size, "%s on disk, %s compressed data, %s uncompressed (%s)",
		 pv_units_bytes(s->on_disk, a, sizeof a), pv_units_bytes(s->compressed, b, sizeof b),
		 pv_units_bytes(s->uncompressed, c, sizeof c),
		 pv_units_ratio(s->uncompressed, s->compressed, line, sizeof line));
	keys[n] = "size", vals[n++] = size;
	used = 0;
	for (size_t i = 0; i < s->n_codecs && used < sizeof codecs; i++)
		used += (size_t)snprintf(codecs + used, sizeof codecs - used, "%s%s %s", i ? ", " : "",
					 s->codecs[i].name,
					 pv_units_percent(s->codecs[i].n, s->compressed, a, sizeof a));
	keys[n] = "compression", vals[n++] = s->n_codecs ? codecs : "-";
	used = 0;
	for (size_t i = 0; i < s->n_writers && used < sizeof writers; i++)
		used += (size_t)snprintf(writers + used, sizeof writers - used, "%s%s (%lld)",
					 i ? "; " : "", s->writers[i].name, (long long)s->writers[i].n);
	keys[n] = "writers", vals[n++] = s->n_writers ? writers : "-";
	if (pv_table_print_kv(stdout, keys, vals, n, &style, &err))
		return pv_cli_error(&err);

	printf("\n%scolumns%s (%zu)\n", pv_term_bold(t), pv_term_reset(t), ds->n_columns);
	pv_table *tab;
	if (pv_table_new(&tab, &err))
		return pv_cli_error(&err);
	size_t readable = ds->n_files - ds->n_failed;
	int rc = pv_table_add_column(tab, "column", PV_ALIGN_LEFT, &err) ||
		 pv_table_add_column(tab, "type", PV_ALIGN_LEFT, &err) ||
		 pv_table_add_column(tab, "nullable", PV_ALIGN_LEFT, &err) ||
		 pv_table_add_column(tab, "in files", PV_ALIGN_RIGHT, &err);
	for (size_t i = 0; !rc && i < ds->n_columns; i++) {
		const pv_dataset_column *col = &ds->columns[i];
		rc = pv_table_add_cell(tab, col->name, strlen(col->name), &err) ||
		     pv_table_add_cellf(tab, &err, "%s%s", col->type,
					col->is_partition ? " (partition)" : "") ||
		     pv_table_add_cellf(tab, &err, "%s", col->nullable ? "yes" : "no") ||
		     pv_table_add_cellf(tab, &err, "%zu/%zu%s", col->is_partition ? readable : readable - col->n_missing,
					readable, col->n_conflicts ? " (types differ)" : "");
	}
	if (!rc)
		rc = pv_table_print(tab, stdout, &style, &err);
	pv_table_free(tab);
	if (rc)
		return pv_cli_error(&err);

	printf("\n%sproblems%s", pv_term_bold(t), pv_term_reset(t));
	if (!s->problems.n)
		printf(": none found in the footers\n");
	else
		printf(" (%zu)\n", s->problems.n);
	for (size_t i = 0; i < s->problems.n; i++)
		printf("  %s-%s %s\n", pv_term_yellow(t), pv_term_reset(t), s->problems.items[i].message);
	return 0;
}

int pv_cmd_summary(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS, { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	int opt;
	int opt_exit;
	/* summary has no options of its own: the first one it sees ends it */
	if ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "summary", help, &opt_exit)) != -1)
		return opt == PV_CLI_OPT_EXIT ? opt_exit : pv_cli_bad_option("summary", argv);
	pv_cli_begin(&com);
	int code;
	char **paths = argv + optind;
	int n_paths = argc - optind;
	pv_dataset *ds = pv_cli_open_dataset("summary", paths, n_paths, &code);
	if (!ds)
		return code;
	if (ds->n_failed == ds->n_files) {
		/* every file was reported on stderr already; there is nothing to sum */
		pv_dataset_free(ds);
		return code;
	}
	summary s = { 0 };
	pv_err err;
	if (compute(ds, &s, &err))
		code = pv_cli_error(&err);
	else if (com.json)
		print_json(ds, &s, paths, n_paths);
	else {
		int rc = print_human(ds, &s, &com, paths, n_paths);
		if (rc > code)
			code = rc;
	}
	free(s.codecs);
	free(s.writers);
	pv_problems_release(&s.problems);
	pv_dataset_free(ds);
	if (fflush(stdout))
		code = PV_EXIT_DATA;
	return code;
}
