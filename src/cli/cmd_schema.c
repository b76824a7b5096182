/*
 * cmd_schema.c - `parqview schema PATH...`: the schema tree with physical,
 * logical and converted types, repetition and levels; for datasets, the
 * union by column name and which files lack which columns.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/snapshot.h"
#include "base/json.h"
#include "cli/cli.h"
#include "render/metajson.h"
#include "render/table.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview schema PATH... [--json] [--all-files] [--save FILE]\n"
	"\n"
	"Prints the schema as a tree: for each field its physical type with the\n"
	"logical type, the legacy converted type, repetition (required, optional,\n"
	"repeated) and the maximum definition/repetition levels of leaves.\n"
	"For several files the columns are united by name; columns missing from\n"
	"some files and columns whose type differs between files are listed.\n"
	"\n"
	"  --all-files    list every file lacking a column (default: the first 5)\n"
	"  --save FILE    also write a snapshot of the schema and footer statistics\n"
	"                 to FILE, for 'parqview diff FILE PATH' later\n"
	"  --json         machine-readable output (shape in the README)\n"
	"  --color WHEN   auto, always or never\n";

/* ---- terminal */

static int add_rows(pv_table *t, const pv_schema_node *n, const char *name_override,
		    char *prefix, size_t plen, bool last, int depth, const pv_dataset_column *col,
		    size_t readable, pv_err *err)
{
	char type[256], name[1024];
	const char *branch = depth == 0 ? "" : last ? "└─ " : "├─ ";
	snprintf(name, sizeof name, "%.*s%s%s", (int)plen, prefix, branch,
		 name_override ? name_override : n->name);
	pv_schema_type_str(n, type, sizeof type);
	const pv_schema_element *e = n->element;
	char conv[64] = "";
	if (e->has_converted_type)
		snprintf(conv, sizeof conv, "%s", pv_converted_type_name(e->converted_type));
	char levels[32] = "";
	if (n->is_leaf)
		snprintf(levels, sizeof levels, "%d/%d", n->max_def, n->max_rep);
	char notes[256] = "";
	if (col && col->n_missing)
		snprintf(notes, sizeof notes, "missing from %zu of %zu files", col->n_missing, readable);
	if (col && col->n_conflicts) {
		size_t l = strlen(notes);
		snprintf(notes + l, sizeof notes - l, "%stype differs in %zu files", l ? "; " : "",
			 col->n_conflicts);
	}
	if (e->has_field_id) {
		size_t l = strlen(notes);
		snprintf(notes + l, sizeof notes - l, "%sfield_id %d", l ? "; " : "", e->field_id);
	}
	int rc = pv_table_add_cell(t, name, strlen(name), err) ||
		 pv_table_add_cell(t, type, strlen(type), err) ||
		 pv_table_add_cell(t, conv, strlen(conv), err) ||
		 pv_table_add_cell(t, pv_metajson_repetition(n), strlen(pv_metajson_repetition(n)), err) ||
		 pv_table_add_cell(t, levels, strlen(levels), err) ||
		 pv_table_add_cell(t, notes, strlen(notes), err);
	if (rc)
		return rc;
	/* Children's prefix: a bar under a branch that continues. */
	char sub[1024];
	size_t slen = plen;
	memcpy(sub, prefix, plen);
	if (depth > 0) {
		const char *cont = last ? "   " : "│  ";
		size_t cl = strlen(cont);
		if (slen + cl < sizeof sub) {
			memcpy(sub + slen, cont, cl);
			slen += cl;
		}
	}
	for (size_t i = 0; i < n->n_children; i++)
		if ((rc = add_rows(t, n->children[i], NULL, sub, slen, i + 1 == n->n_children,
				   depth + 1, NULL, readable, err)))
			return rc;
	return 0;
}

static void list_files(const pv_dataset *ds, const char *what, const size_t *files, size_t n,
		       bool all)
{
	size_t show = all || n <= 6 ? n : 5;
	printf("  %s (%zu):", what, n);
	for (size_t i = 0; i < show; i++)
		printf("%s %s", i ? "," : "", ds->files[files[i]].path);
	if (show < n)
		printf(", and %zu more (--all-files lists them)", n - show);
	printf("\n");
}

static int print_human(const pv_dataset *ds, const pv_cli_common *com, bool all_files)
{
	pv_err err;
	pv_table_style style;
	pv_table_style_for(&style, &com->term);
	style.border = PV_BORDER_PLAIN; /* a tree reads best without a grid */
	size_t readable = ds->n_files - ds->n_failed;
	const pv_term *t = &com->term;

	pv_table *tab;
	if (pv_table_new(&tab, &err))
		return pv_cli_error(&err);
	static const char *heads[] = { "column", "type", "converted", "repetition", "def/rep",
				       "notes" };
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof heads / sizeof *heads; i++)
		rc = pv_table_add_column(tab, heads[i], PV_ALIGN_LEFT, &err);
	for (size_t c = 0; !rc && c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		if (col->is_partition) {
			rc = pv_table_add_cell(tab, col->name, strlen(col->name), &err) ||
			     pv_table_add_cellf(tab, &err, "%s", col->type) ||
			     pv_table_add_cell(tab, "", 0, &err) ||
			     pv_table_add_cell(tab, "optional", 8, &err) ||
			     pv_table_add_cell(tab, "", 0, &err) ||
			     pv_table_add_cellf(tab, &err, "hive partition%s",
						ds->partitions_partial ? " (absent in some paths)" : "");
			continue;
		}
		rc = add_rows(tab, col->node, NULL, "", 0, true, 0, col, readable, &err);
	}
	if (!rc)
		rc = pv_table_print(tab, stdout, &style, &err);
	pv_table_free(tab);
	if (rc)
		return pv_cli_error(&err);

	printf("\n%zu column%s, %zu file%s", ds->n_columns, ds->n_columns == 1 ? "" : "s", readable,
	       readable == 1 ? "" : "s");
	if (ds->n_failed)
		printf(" (%zu unreadable)", ds->n_failed);
	printf("\n");
	bool header = false;
	for (size_t c = 0; c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		if (!col->n_missing && !col->n_conflicts)
			continue;
		if (!header) {
			printf("\n%sdifferences between files%s\n", pv_term_bold(t), pv_term_reset(t));
			header = true;
		}
		if (col->n_missing) {
			char what[512];
			snprintf(what, sizeof what, "'%s' (%s) is missing from", col->name, col->type);
			list_files(ds, what, col->missing, col->n_missing, all_files);
		}
		for (size_t k = 0; k < col->n_conflicts; k++)
			printf("  '%s' is %s in %s (first seen as %s in %s)\n", col->name,
			       col->conflicts[k].type, ds->files[col->conflicts[k].file].path, col->type,
			       ds->files[col->file].path);
	}
	return 0;
}

static int print_json(const pv_dataset *ds)
{
	pv_json j;
	pv_json_init_file(&j, stdout, true);
	pv_metajson_schema(&j, ds);
	return pv_json_finish(&j) ? PV_EXIT_DATA : 0;
}

/* ---- --save */

static int save_snapshot(const pv_dataset *ds, char **args, int n_args, const char *path)
{
	pv_err err;
	pv_err_clear(&err);
	char source[4096] = "";
	size_t len = 0;
	for (int i = 0; i < n_args && len < sizeof source; i++)
		len += (size_t)snprintf(source + len, sizeof source - len, "%s%s", i ? " " : "",
					args[i]);
	pv_snapshot *s;
	if (pv_snapshot_from_dataset(ds, source, &s, &err))
		return pv_cli_error(&err);
	int rc = pv_snapshot_save(s, path, &err);
	pv_snapshot_free(s);
	return rc ? pv_cli_error(&err) : 0;
}

int pv_cmd_schema(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "all-files", no_argument, NULL, 'a' },
					      { "save", required_argument, NULL, 'S' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	bool all_files = false;
	const char *save = NULL;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "schema", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		if (opt == 'a')
			all_files = true;
		else if (opt == 'S')
			save = optarg;
		else
			return pv_cli_bad_option("schema", argv);
	}
	pv_cli_begin(&com);
	int code;
	pv_dataset *ds = pv_cli_open_dataset("schema", argv + optind, argc - optind, &code);
	if (!ds)
		return code;
	int rc = 0;
	/* A snapshot of a partly readable dataset would miss columns: only
	 * save when every file was read. */
	if (save && !code)
		rc = save_snapshot(ds, argv + optind, argc - optind, save);
	if (rc) {
		pv_dataset_free(ds);
		return rc;
	}
	if (com.json)
		rc = print_json(ds);
	else if (ds->n_failed < ds->n_files) /* else every file was reported already */
		rc = print_human(ds, &com, all_files);
	if (rc > code)
		code = rc;
	pv_dataset_free(ds);
	return code;
}
