/*
 * cmd_diff.c - `parqview diff A B`: the schema changes from A (old) to B
 * (new), each classified for a reader of the old schema, breaking first.
 * A and B are datasets (files, directories, globs) or snapshot files
 * written by `parqview schema --save`. Footers only: nothing is decoded.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/diff.h"
#include "analyze/snapshot.h"
#include "base/json.h"
#include "cli/cli.h"
#include "render/table.h"
#include "base/banned.h"

#define MAX_COLUMN_ARGS 4096

static const char help[] =
	"usage: parqview diff A B [--json] [--no-stats] [--columns a,b] [--null-threshold X]\n"
	"\n"
	"Compares the schema of A (old) with B (new): added, removed and likely\n"
	"renamed columns, type changes, nullability and repetition, nested fields,\n"
	"key-value metadata, codecs and encodings, row counts, and shifts in the\n"
	"footer statistics (share of NULLs, min/max). Each change is breaking,\n"
	"compatible or info for a reader of the old schema; breaking come first.\n"
	"A and B are files, directories, globs, or snapshots saved with\n"
	"'parqview schema PATH --save FILE' (recognised by their content).\n"
	"Exit code 1 when some change is breaking, 0 otherwise.\n"
	"\n"
	"  --no-stats           leave out statistics changes (null share, min/max)\n"
	"  --columns LIST       only these top-level columns, comma-separated\n"
	"  --null-threshold X   report a null share change above X (default 0.01)\n"
	"  --json               machine-readable output (shape in the README)\n"
	"  --color WHEN         auto, always or never\n";

typedef struct side {
	const char *arg;
	pv_snapshot *snap;
} side;

/* Loads one side; returns 0 or the exit code after printing why. */
static int open_side(side *s)
{
	pv_err err;
	pv_err_clear(&err);
	if (pv_snapshot_sniff(s->arg)) {
		if (pv_snapshot_load(s->arg, &s->snap, &err))
			return pv_cli_error(&err);
		return 0;
	}
	int code;
	char *paths[] = { (char *)s->arg };
	pv_dataset *ds = pv_cli_open_dataset("diff", paths, 1, &code);
	if (!ds)
		return code;
	/* A diff over a partly readable dataset would report the unreadable
	 * files' columns as removed: refuse instead (they were printed). */
	if (code) {
		pv_dataset_free(ds);
		return code;
	}
	int rc = pv_snapshot_from_dataset(ds, s->arg, &s->snap, &err);
	pv_dataset_free(ds);
	return rc ? pv_cli_error(&err) : 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int print_human(const pv_diff *d, const side *a, const side *b, const pv_cli_common *com)
{
	const pv_term *t = &com->term;
	for (int k = 0; k < 2; k++) {
		const side *s = k ? b : a;
		printf("%s %s (%s%lld file%s, %lld rows)\n", k ? "new:" : "old:", s->arg,
		       s->snap->loaded ? "snapshot of " : "", (long long)s->snap->n_files,
		       s->snap->n_files == 1 ? "" : "s", (long long)s->snap->n_rows);
	}
	pv_table_style style;
	pv_table_style_for(&style, t);
	style.border = PV_BORDER_PLAIN;
	pv_err err;
	size_t n = pv_diff_n_changes(d);
	for (int c = PV_CHANGE_BREAKING; c <= PV_CHANGE_INFO; c++) {
		size_t nc = pv_diff_n_class(d, (pv_change_class)c);
		if (!nc)
			continue;
		const char *color = c == PV_CHANGE_BREAKING     ? pv_term_red(t)
				    : c == PV_CHANGE_COMPATIBLE ? pv_term_green(t)
								: pv_term_dim(t);
		printf("\n%s%s%s (%zu)%s\n", pv_term_bold(t), color,
		       pv_change_class_name((pv_change_class)c), nc, pv_term_reset(t));
		pv_table *tab;
		if (pv_table_new(&tab, &err))
			return pv_cli_error(&err);
		static const char *heads[] = { "change", "column", "old", "new", "why" };
		int rc = 0;
		for (size_t i = 0; !rc && i < sizeof heads / sizeof *heads; i++)
			rc = pv_table_add_column(tab, heads[i], PV_ALIGN_LEFT, &err);
		for (size_t i = 0; !rc && i < n; i++) {
			const pv_change *ch = pv_diff_change(d, i);
			if ((int)ch->cls != c)
				continue;
			rc = pv_table_add_cellf(tab, &err, "%s", ch->kind) ||
			     pv_table_add_cellf(tab, &err, "%s", ch->column ? ch->column : "*") ||
			     pv_table_add_cellf(tab, &err, "%s", or_empty(ch->old_value)) ||
			     pv_table_add_cellf(tab, &err, "%s", or_empty(ch->new_value)) ||
			     pv_table_add_cellf(tab, &err, "%s", ch->message);
		}
		if (!rc)
			rc = pv_table_print(tab, stdout, &style, &err);
		pv_table_free(tab);
		if (rc)
			return pv_cli_error(&err);
	}
	if (!n)
		printf("\nno changes\n");
	else
		printf("\n%zu change%s: %zu breaking, %zu compatible, %zu info\n", n, n == 1 ? "" : "s",
		       pv_diff_n_class(d, PV_CHANGE_BREAKING), pv_diff_n_class(d, PV_CHANGE_COMPATIBLE),
		       pv_diff_n_class(d, PV_CHANGE_INFO));
	return 0;
}

static void json_side(pv_json *j, const char *key, const side *s)
{
	pv_json_key(j, key);
	pv_json_object_begin(j);
	pv_json_kstr(j, "source", s->arg);
	pv_json_kbool(j, "snapshot", s->snap->loaded);
	pv_json_kint(j, "n_files", s->snap->n_files);
	pv_json_kint(j, "rows", s->snap->n_rows);
	pv_json_object_end(j);
}

static void json_opt_str(pv_json *j, const char *key, const char *s)
{
	pv_json_key(j, key);
	if (s)
		pv_json_str(j, s);
	else
		pv_json_null(j);
}

static int print_json(const pv_diff *d, const side *a, const side *b)
{
	pv_json j;
	pv_json_init_file(&j, stdout, true);
	pv_json_object_begin(&j);
	json_side(&j, "old", a);
	json_side(&j, "new", b);
	pv_json_kint(&j, "n_changes", (int64_t)pv_diff_n_changes(d));
	pv_json_kint(&j, "n_breaking", (int64_t)pv_diff_n_class(d, PV_CHANGE_BREAKING));
	pv_json_kint(&j, "n_compatible", (int64_t)pv_diff_n_class(d, PV_CHANGE_COMPATIBLE));
	pv_json_kint(&j, "n_info", (int64_t)pv_diff_n_class(d, PV_CHANGE_INFO));
	pv_json_kbool(&j, "breaking", pv_diff_breaking(d));
	pv_json_key(&j, "changes");
	pv_json_array_begin(&j);
	for (size_t i = 0; i < pv_diff_n_changes(d); i++) {
		const pv_change *c = pv_diff_change(d, i);
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "class", pv_change_class_name(c->cls));
		pv_json_kstr(&j, "kind", c->kind);
		json_opt_str(&j, "column", c->column);
		json_opt_str(&j, "old", c->old_value);
		json_opt_str(&j, "new", c->new_value);
		pv_json_kstr(&j, "message", c->message);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_object_end(&j);
	return pv_json_finish(&j) ? PV_EXIT_DATA : 0;
}

/* Splits "a,b,c" in place into names[]; false when there are too many. */
static bool split_columns(char *list, const char **names, size_t *n)
{
	*n = 0;
	for (char *p = list; p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p) {
			if (*n == MAX_COLUMN_ARGS)
				return false;
			names[(*n)++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	return true;
}

int pv_cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "no-stats", no_argument, NULL, 's' },
					      { "columns", required_argument, NULL, 'c' },
					      { "null-threshold", required_argument, NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	pv_diff_opts dopts;
	pv_diff_opts_init(&dopts);
	char *columns = NULL;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "hc:", opts, "diff", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		if (opt == 's') {
			dopts.no_stats = true;
		} else if (opt == 'c') {
			columns = optarg;
		} else if (opt == 't') {
			char *end;
			double x = strtod(optarg, &end);
			if (end == optarg || *end || !(x >= 0 && x <= 1))
				return pv_cli_usage("diff", "--null-threshold takes a share from 0 to 1, not '%s'",
						    optarg);
			dopts.null_share_threshold = x;
		} else {
			return pv_cli_bad_option("diff", argv);
		}
	}
	if (argc - optind != 2)
		return pv_cli_usage("diff", argc - optind < 2 ? "needs two paths, A (old) and B (new)"
							      : "takes exactly two paths, A and B");
	pv_cli_begin(&com);
	side a = { .arg = argv[optind] }, b = { .arg = argv[optind + 1] };
	const char **names = NULL;
	int code = open_side(&a);
	if (!code)
		code = open_side(&b);
	if (!code && columns) {
		size_t n;
		names = malloc(MAX_COLUMN_ARGS * sizeof *names);
		if (!names) {
			code = PV_EXIT_INTERNAL;
			fprintf(stderr, "parqview: out of memory\n");
		} else if (!split_columns(columns, names, &n) || !n) {
			code = pv_cli_usage("diff", "--columns takes 1 to %d names", MAX_COLUMN_ARGS);
		} else {
			for (size_t i = 0; !code && i < n; i++)
				if (!pv_snapshot_column(a.snap, names[i]) &&
				    !pv_snapshot_column(b.snap, names[i]))
					code = pv_cli_usage("diff", "unknown column '%s' (in neither A nor B)",
							    names[i]);
			dopts.columns = names;
			dopts.n_columns = n;
		}
	}
	pv_diff *d = NULL;
	pv_err err;
	pv_err_clear(&err);
	if (!code && pv_diff_compute(a.snap, b.snap, &dopts, &d, &err))
		code = pv_cli_error(&err);
	if (!code) {
		code = com.json ? print_json(d, &a, &b) : print_human(d, &a, &b, &com);
		if (!code && pv_diff_breaking(d))
			code = PV_EXIT_FAIL;
	}
	pv_diff_free(d);
	free(names);
	pv_snapshot_free(a.snap);
	pv_snapshot_free(b.snap);
	return code;
}
