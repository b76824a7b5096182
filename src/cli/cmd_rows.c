/*
 * cmd_rows.c - the row commands, which share their options and their loop:
 *   parqview head   PATH... [-n 10]       the first rows
 *   parqview tail   PATH... [-n 10]       the last rows
 *   parqview cat    PATH... [--rows A:B]  a range of rows (all by default)
 *   parqview sample PATH... [-n 50] [--seed S]  random rows, without replacement
 * Rows are found by global index (dataset/scan.h) and only the pages that
 * hold them are decoded; render/rows.h writes them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/pager.h"
#include "cli/progress.h"
#include "dataset/sample.h"
#include "dataset/scan.h"
#include "io/atomic.h"
#include "render/rows.h"
#include "base/banned.h"

typedef enum rows_kind { HEAD, TAIL, CAT, SAMPLE } rows_kind;

static const char *const kind_name[] = { "head", "tail", "cat", "sample" };

static const char common_help[] =
	"  -c, --columns LIST  columns to show, comma-separated; a.b.c selects a\n"
	"                      field inside structs (default: every column, hive\n"
	"                      partition columns last)\n"
	"  -f, --format F      table, csv, jsonl, json, markdown or vertical\n"
	"                      (default table; plain when not a terminal)\n"
	"      --json          the same as --format json\n"
	"      --vertical      one block per row (the same as --format vertical)\n"
	"      --wide          do not fit the table to the terminal width\n"
	"      --row-numbers   show each row's global index (\"#\"; default for\n"
	"                      table and vertical, and for sample in every format)\n"
	"      --no-row-numbers\n"
	"  -o, --output FILE   write to FILE atomically (never over an input); the\n"
	"                      format comes from .csv, .jsonl, .ndjson, .json, .md\n"
	"                      unless --format is given\n"
	"      --verify        check page checksums (CRC) while reading\n"
	"      --threads N     read up to N row groups at once (default: one per\n"
	"                      CPU, at most 4); the output is the same for every N\n"
	"      --no-pager      never page long output to a terminal ($PAGER, or\n"
	"                      less -FRSX)\n"
	"      --color WHEN    auto, always or never\n"
	"\n"
	"Exit codes: 0 ok, 2 usage, 3 unreadable or corrupt data (the message\n"
	"names the file, row group, column and page).\n";

static const char *const kind_help[] = {
	"usage: parqview head PATH... [-n N] [options]\n"
	"\n"
	"Prints the first N rows (default 10) of the files or dataset.\n"
	"\n"
	"  -n, --lines N       how many rows\n",
	"usage: parqview tail PATH... [-n N] [options]\n"
	"\n"
	"Prints the last N rows (default 10), reading only the pages that hold\n"
	"them.\n"
	"\n"
	"  -n, --lines N       how many rows\n",
	"usage: parqview cat PATH... [--rows A:B] [options]\n"
	"\n"
	"Prints every row, or rows A (included) to B (excluded) by global index\n"
	"(counting from 0 across the files in order). Either side may be left out:\n"
	"--rows 5000: or --rows :100; --rows N is row N alone. Rows past the end\n"
	"are not an error: what there is gets printed.\n"
	"\n"
	"  -r, --rows A:B      the range of rows\n",
	"usage: parqview sample PATH... [-n N] [--seed S] [options]\n"
	"\n"
	"Prints N rows (default 50) drawn uniformly at random, without\n"
	"replacement, from all rows of the dataset, in file order with their\n"
	"global row numbers. Only the pages holding them are read. Without\n"
	"--seed a random seed is used and printed on stderr (\"seed: 12345\");\n"
	"the same seed gives the same rows (xoshiro256** seeded by splitmix64,\n"
	"Floyd's algorithm). N at least the row count prints every row.\n"
	"\n"
	"  -n, --lines N       how many rows\n"
	"  -s, --seed S        the random seed, 0 to 18446744073709551615\n",
};

typedef struct rows_args {
	rows_kind kind;
	long long n;          /* -n */
	bool have_range;
	long long from, to;   /* --rows; to < 0: open end */
	bool have_seed;
	unsigned long long seed;
	const char *columns;
	const char *format;   /* --format as given */
	bool vertical, wide, verify, no_pager;
	int row_numbers;      /* -1 default, 0 off, 1 on */
	const char *output;
	int threads;          /* --threads; PV_SCAN_THREADS_AUTO by default */
} rows_args;

enum {
	OPT_VERTICAL = 256,
	OPT_WIDE,
	OPT_VERIFY,
	OPT_ROWNUM,
	OPT_NO_ROWNUM,
	OPT_NO_PAGER,
	OPT_THREADS,
};

/* "A:B", "A:", ":B", ":" or "N" (row N alone). */
static bool parse_range(const char *s, long long *from, long long *to)
{
	const char *colon = strchr(s, ':');
	char a[32], b[32];
	if (!colon) {
		if (!pv_cli_parse_i64(s, from))
			return false;
		*to = *from + 1;
		return *from < INT64_MAX;
	}
	size_t la = (size_t)(colon - s), lb = strlen(colon + 1);
	if (la >= sizeof a || lb >= sizeof b)
		return false;
	memcpy(a, s, la);
	a[la] = '\0';
	memcpy(b, colon + 1, lb + 1);
	*from = 0;
	*to = -1;
	if (la && !pv_cli_parse_i64(a, from))
		return false;
	if (lb && !pv_cli_parse_i64(b, to))
		return false;
	return true;
}

static bool parse_u64(const char *s, unsigned long long *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int parse_args(rows_args *a, pv_cli_common *com, int argc, char **argv, bool *out_done)
{
	static const struct option opts[] = {
		PV_CLI_COMMON_OPTS,
		{ "lines", required_argument, NULL, 'n' },
		{ "rows", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "columns", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "vertical", no_argument, NULL, OPT_VERTICAL },
		{ "wide", no_argument, NULL, OPT_WIDE },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "row-numbers", no_argument, NULL, OPT_ROWNUM },
		{ "no-row-numbers", no_argument, NULL, OPT_NO_ROWNUM },
		{ "no-pager", no_argument, NULL, OPT_NO_PAGER },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = kind_name[a->kind];
	char help[4096];
	snprintf(help, sizeof help, "%s%s", kind_help[a->kind], common_help);
	bool have_n = false;
	int opt;
	int opt_exit;
	*out_done = false;
	while ((opt = pv_cli_next_opt(com, argc, argv, "hn:r:s:c:f:o:", opts, cmd, help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT) {
			*out_done = opt_exit == PV_EXIT_OK;
			return opt_exit;
		}
		switch (opt) {
		case 'n':
			if (a->kind == CAT)
				return pv_cli_usage(cmd, "-n is for head, tail and sample; use --rows A:B");
			if (!pv_cli_parse_i64(optarg, &a->n))
				return pv_cli_usage(cmd, "-n takes a row count, not '%s'", optarg);
			have_n = true;
			break;
		case 'r':
			if (a->kind != CAT)
				return pv_cli_usage(cmd, "--rows is for cat");
			if (!parse_range(optarg, &a->from, &a->to))
				return pv_cli_usage(cmd, "--rows takes A:B, A: or :B (rows from 0), not '%s'",
						    optarg);
			if (a->to >= 0 && a->to < a->from)
				return pv_cli_usage(cmd, "--rows %s ends before it starts", optarg);
			a->have_range = true;
			break;
		case 's':
			if (a->kind != SAMPLE)
				return pv_cli_usage(cmd, "--seed is for sample");
			if (!parse_u64(optarg, &a->seed))
				return pv_cli_usage(cmd, "--seed takes a number from 0 to 2^64-1, not '%s'",
						    optarg);
			a->have_seed = true;
			break;
		case 'c':
			a->columns = optarg;
			break;
		case 'f':
			a->format = optarg;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_VERTICAL:
			a->vertical = true;
			break;
		case OPT_WIDE:
			a->wide = true;
			break;
		case OPT_VERIFY:
			a->verify = true;
			break;
		case OPT_ROWNUM:
			a->row_numbers = 1;
			break;
		case OPT_NO_ROWNUM:
			a->row_numbers = 0;
			break;
		case OPT_NO_PAGER:
			a->no_pager = true;
			break;
		case OPT_THREADS: {
			long long t;
			if (!pv_cli_parse_i64(optarg, &t) || t < 1 || t > PV_SCAN_MAX_THREADS)
				return pv_cli_usage(cmd, "--threads takes a number from 1 to %d, not '%s'",
						    PV_SCAN_MAX_THREADS, optarg);
			a->threads = (int)t;
			break;
		}
		default:
			return pv_cli_bad_option(cmd, argv);
		}
	}
	if (!have_n)
		a->n = a->kind == SAMPLE ? 50 : 10;
	return 0;
}

/* Decides the output format from the options and the output path. */
static int pick_format(const rows_args *a, const pv_cli_common *com, pv_rows_format *out)
{
	const char *cmd = kind_name[a->kind];
	if (a->output && pv_cli_is_parquet_path(a->output))
		return pv_cli_usage(cmd, "parquet output comes with the writer (not yet); write .csv, "
					 ".jsonl, .json or .md");
	return pv_cli_rows_format(cmd, a->format, com->json, a->vertical, a->output,
				  ".csv, .jsonl, .json or .md", out);
}

/* The global row ranges the command reads; *out is freed by the caller. */
static int plan_ranges(const rows_args *a, const pv_dataset *ds, pv_row_range **out,
		       size_t *out_n, pv_err *err)
{
	*out = NULL;
	*out_n = 0;
	pv_rowmap map;
	int rc = pv_rowmap_init(&map, ds, err);
	if (rc)
		return rc;
	int64_t total = map.n_rows;
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		if (pf && pf->meta->num_rows != map.file_rows[i])
			pv_cli_warn("%s: the footer says %lld rows but the row groups hold %lld; "
				    "reading the row groups", ds->files[i].path,
				    (long long)pf->meta->num_rows, (long long)map.file_rows[i]);
	}
	pv_rowmap_release(&map);
	if (a->kind == SAMPLE) {
		uint64_t seed = a->have_seed ? a->seed : pv_sample_random_seed();
		if (!a->have_seed)
			fprintf(stderr, "seed: %llu\n", (unsigned long long)seed);
		return pv_sample_draw(total, a->n, seed, out, out_n, err);
	}
	pv_row_range r = { 0, 0 };
	switch (a->kind) {
	case HEAD:
		r = (pv_row_range){ 0, a->n };
		break;
	case TAIL:
		r.count = a->n < total ? a->n : total;
		r.first = total - r.count;
		break;
	default:
		if (a->have_range) {
			r.first = a->from;
			r.count = a->to < 0 ? INT64_MAX - a->from : a->to - a->from;
		} else {
			r.count = INT64_MAX;
		}
	}
	if (!(*out = malloc(sizeof **out)))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	**out = r;
	*out_n = 1;
	return 0;
}

static int run(rows_kind kind, int argc, char **argv)
{
	rows_args a = { .kind = kind, .row_numbers = -1, .threads = PV_SCAN_THREADS_AUTO };
	pv_cli_common com = { 0 };
	const char *cmd = kind_name[kind];
	bool done;
	int code = parse_args(&a, &com, argc, argv, &done);
	if (done || code)
		return code;
	pv_rows_format format;
	if ((code = pick_format(&a, &com, &format)))
		return code;
	pv_cli_begin(&com);

	pv_dataset *ds = pv_cli_open_dataset(cmd, argv + optind, argc - optind, &code);
	if (!ds)
		return code;
	int files_code = code;

	pv_err err;
	pv_err_clear(&err);
	pv_row_range *ranges = NULL;
	size_t n_ranges = 0;
	pv_scan *scan = NULL;
	pv_rows_writer *w = NULL;
	pv_atomic_file af = { 0 };
	pv_pager *pager = NULL;
	struct ArrowSchema schema = { 0 };
	pv_progress prog;
	pv_progress_init(&prog, 0, false);
	int rc = plan_ranges(&a, ds, &ranges, &n_ranges, &err);
	if (!rc) {
		pv_scan_opts so = { .columns = a.columns, .verify_crc = a.verify,
				    .n_threads = a.threads };
		rc = pv_scan_open(ds, &so, ranges, n_ranges, &scan, &err);
		if (rc == PV_EINVAL) {
			code = pv_cli_usage(cmd, "%s", err.msg);
			goto finish;
		}
	}
	if (!rc)
		rc = pv_scan_schema(scan, &schema, &err);

	/* Where the rows go: a new file, or stdout (paged on a terminal). */
	FILE *out = stdout;
	pv_term term = com.term;
	if (!rc && a.output) {
		const char **protect = malloc((ds->n_files ? ds->n_files : 1) * sizeof *protect);
		if (!protect) {
			rc = pv_err_set(&err, PV_ENOMEM, "out of memory");
		} else {
			for (size_t i = 0; i < ds->n_files; i++)
				protect[i] = ds->files[i].path;
			rc = pv_atomic_open(&af, a.output, protect, ds->n_files, &err);
			free(protect);
		}
		if (rc == PV_EINVAL) {
			code = pv_cli_usage(cmd, "%s", err.msg);
			goto finish;
		}
		if (!rc) {
			out = pv_atomic_stream(&af);
			pv_term_init(&term, fileno(out), PV_COLOR_NEVER);
		}
	} else if (!rc) {
		pager = pv_pager_open(!a.no_pager);
		out = pv_pager_stream(pager);
	}

	if (!rc) {
		pv_rows_opts ro;
		pv_rows_opts_init(&ro, format, &term);
		ro.wide = a.wide;
		/* which rows a sample picked is half of its answer */
		ro.row_numbers = a.row_numbers >= 0 ? a.row_numbers
						    : kind == SAMPLE || format == PV_ROWS_TABLE ||
							      format == PV_ROWS_VERTICAL;
		rc = pv_rows_writer_open(&w, out, &ro, &schema, &err);
	}
	if (schema.release)
		schema.release(&schema);

	/* Progress would land between the rows when they go to the same
	 * terminal, so only show it when they do not. */
	if (!rc)
		pv_progress_init(&prog, pv_scan_n_rows(scan), a.output || !isatty(STDOUT_FILENO));
	while (!rc) {
		struct ArrowArray batch;
		int64_t first;
		if ((rc = pv_scan_next(scan, &batch, &first, &err)) || !batch.release)
			break;
		rc = pv_rows_writer_write(w, &batch, first, &err);
		batch.release(&batch);
		pv_progress_update(&prog, pv_scan_rows_done(scan));
		if (pv_pager_quit(pager))
			break;
	}
	pv_progress_end(&prog);
	if (w) {
		pv_err cerr;
		int crc = pv_rows_writer_close(w, &cerr);
		if (!rc && crc) {
			rc = crc;
			err = cerr;
		}
	}
	if (pv_pager_quit(pager)) {
		/* the user closed the pager: not an error */
		rc = 0;
		pv_err_clear(&err);
	}
	if (!rc && a.output)
		rc = pv_atomic_commit(&af, &err);
finish:
	if (schema.release)
		schema.release(&schema);
	pv_atomic_abort(&af);
	/* the rows held back for the pager first, then what went wrong */
	bool out_failed = pv_pager_close(pager) != 0;
	if (rc && !code)
		code = pv_cli_error(&err);
	if (out_failed && !code) {
		fprintf(stderr, "parqview: cannot write output: %s\n", strerror(errno));
		code = PV_EXIT_DATA;
	}
	pv_scan_close(scan);
	free(ranges);
	pv_dataset_free(ds);
	if (!code)
		code = files_code;
	return code;
}

int pv_cmd_head(int argc, char **argv)
{
	return run(HEAD, argc, argv);
}

int pv_cmd_tail(int argc, char **argv)
{
	return run(TAIL, argc, argv);
}

int pv_cmd_cat(int argc, char **argv)
{
	return run(CAT, argc, argv);
}

int pv_cmd_sample(int argc, char **argv)
{
	return run(SAMPLE, argc, argv);
}
