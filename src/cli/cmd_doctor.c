/*
 * cmd_doctor.c - `parqview doctor PATH...`: the deep integrity check of
 * every file (analyze/doctor.h), findings grouped per file, a summary
 * line, layout advice, and exit 1 when some finding is an error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/doctor.h"
#include "base/json.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "format/schema.h"
#include "render/units.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview doctor PATH... [--columns a,b.c] [--no-advice] [--threads N] [--json]\n"
	"\n"
	"Reads every page of every file and checks it: page CRCs, page headers,\n"
	"value and row counts, footer statistics, page header statistics, column\n"
	"and offset index against the decoded data, dictionary indices and levels,\n"
	"UTF-8 of text columns, bloom filters, overlapping byte ranges. Then layout\n"
	"advice: row group sizes, missing statistics or page index, dictionary\n"
	"fallback, codecs, undeclared sort order.\n"
	"\n"
	"  --columns LIST  check only these columns (top-level names or dotted paths)\n"
	"  --no-advice     leave out the layout advice\n"
	"  --threads N     worker threads (default: one per CPU)\n"
	"  --json          one JSON document: {\"files\": [...], \"summary\": {...}}\n"
	"  --color WHEN    auto, always or never\n"
	"\n"
	"Exit codes: 0 no error found, 1 some finding is an error, 2 usage,\n"
	"3 a file could not be read at all.\n";

typedef struct prog_ctx {
	pv_progress *p;
	int64_t rows_before, file_rows;
} prog_ctx;

static void on_progress(void *ctx, int64_t done, int64_t total)
{
	prog_ctx *c = ctx;
	int64_t rows = total > 0 ? (int64_t)((double)done / (double)total * (double)c->file_rows) : 0;
	pv_progress_update(c->p, c->rows_before + rows);
}

/* Splits "a,b.c" into names (pointers into s, which is modified). */
static size_t split_columns(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *p = s;
	while (*p && n < max) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p)
			out[n++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	return n;
}

static bool column_known(const pv_dataset *ds, const char *name)
{
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		if (!pf)
			continue;
		for (size_t c = 0; c < pf->schema->n_leaves; c++)
			if (pv_schema_path_under(pf->schema->leaves[c]->path, name))
				return true;
	}
	return false;
}

static void print_place(const pv_doctor_finding *f)
{
	bool any = false;
	if (f->row_group >= 0) {
		printf("row group %lld", (long long)f->row_group);
		any = true;
	}
	if (f->column_path) {
		printf("%scolumn '%s'", any ? ", " : "", f->column_path);
		any = true;
	}
	if (f->page >= 0) {
		printf("%spage %lld", any ? ", " : "", (long long)f->page);
		any = true;
	}
	if (f->row >= 0) {
		printf("%srow %lld", any ? ", " : "", (long long)f->row);
		any = true;
	}
	printf("%s", any ? ": " : "");
}

static void print_report(const pv_doctor_report *r, const pv_term *t)
{
	char a[32], b[32];
	printf("%s%s%s", pv_term_bold(t), r->path, pv_term_reset(t));
	if (!r->unreadable)
		printf("  (%s rows, %lld row group%s, %lld column chunk%s, %s page%s)",
		       pv_units_count(r->n_rows, a, sizeof a), (long long)r->n_row_groups,
		       r->n_row_groups == 1 ? "" : "s", (long long)r->n_chunks,
		       r->n_chunks == 1 ? "" : "s", pv_units_count(r->n_pages, b, sizeof b),
		       r->n_pages == 1 ? "" : "s");
	if (r->findings.n == 0) {
		printf(": %sok%s\n", pv_term_green(t), pv_term_reset(t));
	} else {
		printf(": %zu error%s, %zu warning%s", r->n_errors, r->n_errors == 1 ? "" : "s",
		       r->n_warnings, r->n_warnings == 1 ? "" : "s");
		if (r->n_infos)
			printf(", %zu info", r->n_infos);
		printf("\n");
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		const pv_doctor_finding *f = &r->findings.v[i];
		const char *color = f->severity == PV_DOCTOR_ERROR	 ? pv_term_red(t)
				    : f->severity == PV_DOCTOR_WARNING ? pv_term_yellow(t)
								       : pv_term_cyan(t);
		printf("  %s%-7s%s %-12s ", color, pv_doctor_severity_name(f->severity),
		       pv_term_reset(t), f->check);
		print_place(f);
		printf("%s", f->message);
		if (f->stored && f->actual)
			printf(" (stored %s, actual %s)", f->stored, f->actual);
		else if (f->actual)
			printf(" (value %s)", f->actual);
		else if (f->stored)
			printf(" (stored %s)", f->stored);
		printf("\n");
	}
	if (r->advice.n > 0) {
		printf("  %sadvice%s\n", pv_term_bold(t), pv_term_reset(t));
		for (size_t i = 0; i < r->advice.n; i++)
			printf("    %-19s %s\n", r->advice.v[i].check, r->advice.v[i].message);
	}
}

int pv_cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "columns", required_argument, NULL, 'c' },
					      { "no-advice", no_argument, NULL, 'A' },
					      { "threads", required_argument, NULL, 't' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	pv_doctor_opts dopts = { 0 };
	char *columns_arg = NULL;
	char *names[256];
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "doctor", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		if (opt == 'c') {
			columns_arg = optarg;
		} else if (opt == 'A') {
			dopts.no_advice = true;
		} else if (opt == 't') {
			long long v;
			if (!pv_cli_parse_i64(optarg, &v) || v < 1 || v > 1024)
				return pv_cli_usage("doctor", "--threads wants a number from 1 to 1024, not '%s'",
						    optarg);
			dopts.n_threads = (int)v;
		} else {
			return pv_cli_bad_option("doctor", argv);
		}
	}
	if (columns_arg) {
		size_t n = split_columns(columns_arg, names, sizeof names / sizeof *names);
		if (n == 0)
			return pv_cli_usage("doctor", "--columns wants column names");
		dopts.columns = (const char *const *)names;
		dopts.n_columns = n;
	}
	if (optind >= argc)
		return pv_cli_usage("doctor", "no PATH given");
	pv_cli_begin(&com);
	int code;
	pv_dataset *ds = pv_cli_open_dataset("doctor", argv + optind, argc - optind, &code);
	if (!ds)
		return code;
	for (size_t i = 0; i < dopts.n_columns; i++)
		if (!column_known(ds, dopts.columns[i])) {
			pv_dataset_free(ds);
			return pv_cli_usage("doctor", "unknown column '%s'", dopts.columns[i]);
		}

	pv_progress prog;
	pv_progress_init(&prog, ds->n_rows, true);
	prog_ctx pc = { .p = &prog };
	dopts.progress = on_progress;
	dopts.progress_ctx = &pc;

	pv_json j;
	if (com.json) {
		pv_json_init_file(&j, stdout, true);
		pv_json_object_begin(&j);
		pv_json_key(&j, "files");
		pv_json_array_begin(&j);
	}
	size_t n_err = 0, n_warn = 0, n_info = 0, n_bad_files = 0, n_unreadable = 0, n_advice = 0;
	int exit_code = PV_EXIT_OK;
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_dataset_file *df = &ds->files[i];
		pv_doctor_report r;
		pv_doctor_report_init(&r);
		pv_err err;
		pv_err_clear(&err);
		int rc;
		if (!df->pf) {
			rc = pv_doctor_unreadable(df->path, df->err, &r, &err);
			n_unreadable++;
		} else {
			pc.file_rows = df->pf->rows;
			rc = pv_doctor_file(df->pf, &dopts, &r, &err);
			pc.rows_before += df->pf->rows;
		}
		pv_progress_end(&prog);
		if (rc) {
			pv_err_prefix(&err, "%s", df->path);
			int c = pv_cli_error(&err);
			if (c > exit_code)
				exit_code = c;
		}
		n_err += r.n_errors;
		n_warn += r.n_warnings;
		n_info += r.n_infos;
		n_advice += r.advice.n;
		if (r.n_errors)
			n_bad_files++;
		if (com.json)
			pv_doctor_report_json(&r, &j);
		else
			print_report(&r, &com.term);
		fflush(stdout);
		pv_doctor_report_release(&r);
	}
	pv_progress_end(&prog);
	if (com.json) {
		pv_json_array_end(&j);
		pv_json_key(&j, "summary");
		pv_json_object_begin(&j);
		pv_json_kint(&j, "files", (int64_t)ds->n_files);
		pv_json_kint(&j, "files_with_errors", (int64_t)n_bad_files);
		pv_json_kint(&j, "unreadable", (int64_t)n_unreadable);
		pv_json_kint(&j, "errors", (int64_t)n_err);
		pv_json_kint(&j, "warnings", (int64_t)n_warn);
		pv_json_kint(&j, "infos", (int64_t)n_info);
		pv_json_kint(&j, "advice", (int64_t)n_advice);
		pv_json_object_end(&j);
		pv_json_object_end(&j);
		if (pv_json_finish(&j) && exit_code < PV_EXIT_DATA)
			exit_code = PV_EXIT_DATA;
	} else {
		printf("%zu file%s, %zu error%s, %zu warning%s", ds->n_files, ds->n_files == 1 ? "" : "s",
		       n_err, n_err == 1 ? "" : "s", n_warn, n_warn == 1 ? "" : "s");
		if (n_info)
			printf(", %zu info", n_info);
		if (n_unreadable)
			printf(" (%zu unreadable)", n_unreadable);
		printf("\n");
	}
	pv_dataset_free(ds);
	if (exit_code == PV_EXIT_OK && n_err > 0)
		exit_code = PV_EXIT_FAIL;
	if (n_unreadable && exit_code < PV_EXIT_DATA)
		exit_code = PV_EXIT_DATA;
	return exit_code;
}
