/*
 * cmd_sql.c - `parqview sql [PATH...] [QUERY]`: SQL in DuckDB's dialect
 * over datasets, each a view (sql/session.h), with the rows streamed
 * through the same renderers as `head` or exported with -o; with no query
 * on a terminal, the shell (cli/shell.c).
 *
 * Telling paths from the query: with -f every positional argument is a
 * PATH. Otherwise the last one is the QUERY unless it names something
 * that exists, or looks like a path (no white space, and a '/', a glob
 * character or a .parquet/.parq/.pq ending); then there is no QUERY and
 * the SQL comes from standard input when that is not a terminal, else the
 * shell starts.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "cli/pager.h"
#include "cli/shell.h"
#include "cli/sqlrun.h"
#include "io/atomic.h"
#include "render/rows.h"
#include "sql/session.h"
#include "base/banned.h"

#define SQL_TEXT_CAP ((size_t)64 << 20)

static const char help[] =
	"usage: parqview sql [PATH...] [QUERY] [options]\n"
	"\n"
	"Runs QUERY (DuckDB's SQL) over the datasets and prints the rows of its\n"
	"last statement, streamed. The PATHs (files, directories with hive\n"
	"partitions, globs) form one view named data; --as NAME=PATH adds others.\n"
	"Views read with hive partitioning and columns unified by name, as the\n"
	"other commands do. read_parquet('...') and FROM 'file.parquet' work on\n"
	"the files and directories named on the command line.\n"
	"\n"
	"The last argument is the QUERY unless -f is given or it names an existing\n"
	"path or looks like one (no spaces, and a '/', '*', '?', '[' or a .parquet,\n"
	".parq or .pq ending). Without a QUERY, the SQL is read from standard input\n"
	"when that is not a terminal; on a terminal an interactive shell starts\n"
	"(.help lists its commands).\n"
	"\n"
	"  -f, --file FILE       run the statements in FILE\n"
	"      --as NAME=PATH    a view NAME over PATH (repeat a NAME to add paths)\n"
	"      --format F        table, csv, jsonl, json, markdown or vertical\n"
	"                        (default table)\n"
	"      --json            the same as --format json\n"
	"      --vertical        the same as --format vertical\n"
	"      --wide            do not fit tables to the terminal width\n"
	"  -o, --output FILE     write the result to FILE atomically, never over an\n"
	"                        input: .parquet (DuckDB's writer), .csv, .jsonl,\n"
	"                        .ndjson, .json or .md\n"
	"      --compression C   zstd (default), snappy, gzip or none, for .parquet\n"
	"      --threads N       DuckDB worker threads (default: all cores)\n"
	"      --memory-limit L  DuckDB's memory limit, e.g. 4GB\n"
	"      --temp-dir DIR    where DuckDB spills when memory runs short\n"
	"      --unsafe          lift the restrictions: SQL may read and write any\n"
	"                        file, attach databases and load extensions\n"
	"      --timer           print the query's wall time on stderr\n"
	"      --no-pager        never page long output to a terminal\n"
	"      --color WHEN      auto, always or never\n"
	"\n"
	"Safety: by default SQL reads only the named datasets and writes only the\n"
	"-o target; extensions, ATTACH of files and settings that would lift this\n"
	"are refused.\n"
	"\n"
	"Exit codes: 0 ok, 2 usage, 3 query or data error (DuckDB's message on one\n"
	"line). Ctrl-C stops the query (the process then ends by SIGINT).\n";

enum {
	OPT_AS = 256,
	OPT_VERTICAL,
	OPT_WIDE,
	OPT_COMPRESSION,
	OPT_THREADS,
	OPT_MEMORY,
	OPT_TEMP,
	OPT_UNSAFE,
	OPT_TIMER,
	OPT_NO_PAGER,
};

typedef struct as_arg {
	const char *name, *path;
} as_arg;

typedef struct sql_args {
	const char *file;
	const char *format;
	bool vertical, wide, unsafe, timer, no_pager;
	const char *output;
	const char *compression;
	int threads;
	const char *memory_limit, *temp_dir;
	as_arg *as;
	size_t n_as;
	char **pos;   /* positional arguments */
	int n_pos;
	const char *query; /* the QUERY argument, or NULL */
} sql_args;

/* One view being built: its name and the paths given for it. */
typedef struct view_plan {
	const char *name;
	char **paths;
	int n_paths;
	pv_dataset *ds;
} view_plan;

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* See the file comment. */
static bool looks_like_path(const char *s)
{
	struct stat st;
	if (stat(s, &st) == 0)
		return true;
	if (strpbrk(s, " \t\n\r"))
		return false;
	return strpbrk(s, "/*?[") || ends_with(s, ".parquet") || ends_with(s, ".parq") ||
	       ends_with(s, ".pq");
}

static int parse_args(sql_args *a, pv_cli_common *com, int argc, char **argv, bool *out_done)
{
	static const struct option opts[] = {
		PV_CLI_COMMON_OPTS,
		{ "file", required_argument, NULL, 'f' },
		{ "as", required_argument, NULL, OPT_AS },
		{ "format", required_argument, NULL, 'F' },
		{ "vertical", no_argument, NULL, OPT_VERTICAL },
		{ "wide", no_argument, NULL, OPT_WIDE },
		{ "output", required_argument, NULL, 'o' },
		{ "compression", required_argument, NULL, OPT_COMPRESSION },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "memory-limit", required_argument, NULL, OPT_MEMORY },
		{ "temp-dir", required_argument, NULL, OPT_TEMP },
		{ "unsafe", no_argument, NULL, OPT_UNSAFE },
		{ "timer", no_argument, NULL, OPT_TIMER },
		{ "no-pager", no_argument, NULL, OPT_NO_PAGER },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	int opt_exit;
	*out_done = false;
	/* '+' would stop at the first positional; permuting lets options
	 * follow the query */
	while ((opt = pv_cli_next_opt(com, argc, argv, "hf:o:", opts, "sql", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT) {
			*out_done = opt_exit == PV_EXIT_OK;
			return opt_exit;
		}
		switch (opt) {
		case 'f':
			a->file = optarg;
			break;
		case 'F':
			a->format = optarg;
			break;
		case OPT_AS: {
			const char *eq = strchr(optarg, '=');
			if (!eq || !pv_sql_plain_name(optarg, (size_t)(eq - optarg)) || !eq[1])
				return pv_cli_usage("sql", "--as takes NAME=PATH with NAME made of letters, "
						    "digits and '_', not '%s'", optarg);
			as_arg *na = realloc(a->as, (a->n_as + 1) * sizeof *na);
			if (!na)
				return PV_EXIT_INTERNAL;
			a->as = na;
			char *name = strndup(optarg, (size_t)(eq - optarg));
			if (!name)
				return PV_EXIT_INTERNAL;
			a->as[a->n_as++] = (as_arg){ name, eq + 1 };
			break;
		}
		case OPT_VERTICAL:
			a->vertical = true;
			break;
		case OPT_WIDE:
			a->wide = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_COMPRESSION:
			if (strcmp(optarg, "zstd") && strcmp(optarg, "snappy") &&
			    strcmp(optarg, "gzip") && strcmp(optarg, "none"))
				return pv_cli_usage("sql", "--compression takes zstd, snappy, gzip or "
						    "none, not '%s'", optarg);
			a->compression = optarg;
			break;
		case OPT_THREADS: {
			long long n;
			if (!pv_cli_parse_i64(optarg, &n) || n < 1 || n > 4096)
				return pv_cli_usage("sql", "--threads takes 1 to 4096, not '%s'", optarg);
			a->threads = (int)n;
			break;
		}
		case OPT_MEMORY:
			a->memory_limit = optarg;
			break;
		case OPT_TEMP:
			a->temp_dir = optarg;
			break;
		case OPT_UNSAFE:
			a->unsafe = true;
			break;
		case OPT_TIMER:
			a->timer = true;
			break;
		case OPT_NO_PAGER:
			a->no_pager = true;
			break;
		default:
			return pv_cli_bad_option("sql", argv);
		}
	}
	a->pos = argv + optind;
	a->n_pos = argc - optind;
	if (!a->file && a->n_pos > 0 && !looks_like_path(a->pos[a->n_pos - 1]))
		a->query = a->pos[--a->n_pos];
	return 0;
}

/* The output format from the options and -o's name. */
static int pick_format(const sql_args *a, const pv_cli_common *com, pv_rows_format *out)
{
	int given = (a->format != NULL) + com->json + a->vertical;
	if (given > 1)
		return pv_cli_usage("sql", "give only one of --format, --json and --vertical");
	if (a->compression && !(a->output && pv_cli_is_parquet_path(a->output)))
		return pv_cli_usage("sql", "--compression is for -o FILE.parquet");
	if (a->output && pv_cli_is_parquet_path(a->output)) {
		if (given)
			return pv_cli_usage("sql", "--format does not apply to parquet output");
		*out = PV_ROWS_TABLE;
		return 0;
	}
	return pv_cli_rows_format("sql", a->format, com->json, a->vertical, a->output,
				  ".parquet, .csv, .jsonl, .json or .md", out);
}

static int read_text(FILE *in, const char *what, pv_buf *b, pv_err *err)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (pv_buf_append(b, chunk, n, err))
			return pv_err_set(err, PV_ELIMIT, "%s is larger than %zu MiB", what,
					  SQL_TEXT_CAP >> 20);
	if (ferror(in))
		return pv_err_set(err, PV_EIO, "cannot read %s: %s", what, strerror(errno));
	return pv_buf_append(b, "", 0, err);
}

/* Groups the paths into views: the plain PATHs (and --as data=...) as
 * "data", the others by their --as NAME, in order of first mention. */
static int plan_views(const sql_args *a, view_plan **out, size_t *out_n)
{
	*out = NULL;
	*out_n = 0;
	view_plan *v = calloc(a->n_as + 1, sizeof *v);
	if (!v)
		return PV_EXIT_INTERNAL;
	size_t n = 0;
	if (a->n_pos > 0)
		v[n++].name = "data";
	for (size_t i = 0; i < a->n_as; i++) {
		size_t k = 0;
		while (k < n && strcasecmp(v[k].name, a->as[i].name))
			k++;
		if (k == n)
			v[n++].name = a->as[i].name;
	}
	for (size_t k = 0; k < n; k++) {
		v[k].paths = calloc((size_t)a->n_pos + a->n_as, sizeof *v[k].paths);
		if (!v[k].paths) {
			*out = v;
			*out_n = n;
			return PV_EXIT_INTERNAL;
		}
		if (k == 0 && a->n_pos > 0)
			for (int i = 0; i < a->n_pos; i++)
				v[k].paths[v[k].n_paths++] = a->pos[i];
		for (size_t i = 0; i < a->n_as; i++)
			if (!strcasecmp(v[k].name, a->as[i].name))
				v[k].paths[v[k].n_paths++] = (char *)a->as[i].path;
	}
	*out = v;
	*out_n = n;
	return 0;
}

static void free_views(view_plan *v, size_t n)
{
	if (!v)
		return;
	for (size_t k = 0; k < n; k++) {
		free(v[k].paths);
		pv_dataset_free(v[k].ds);
	}
	free(v);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool pager_quit(void *p)
{
	return pv_pager_quit(p);
}

/* The exit code for an error of the query itself: DuckDB's errors are the
 * data's or the query's (3), not the command line's. */
static int query_exit(int code)
{
	return code == PV_ENOMEM || code == PV_EINTERNAL ? PV_EXIT_INTERNAL : PV_EXIT_DATA;
}

int pv_cmd_sql(int argc, char **argv)
{
	sql_args a = { 0 };
	pv_cli_common com = { 0 };
	bool done;
	int code = parse_args(&a, &com, argc, argv, &done);
	if (done || code)
		goto out_args;
	pv_rows_format format;
	if ((code = pick_format(&a, &com, &format)))
		goto out_args;
	pv_cli_begin(&com);
	bool shell = !a.query && !a.file && isatty(STDIN_FILENO);
	if (shell && !isatty(STDOUT_FILENO)) {
		code = pv_cli_usage("sql", "no QUERY given (the shell needs a terminal)");
		goto out_args;
	}
	if (shell && a.output) {
		code = pv_cli_usage("sql", "-o needs a QUERY, -f FILE or SQL on standard input");
		goto out_args;
	}
	if (shell) {
		/* a missing libedit is said before DuckDB starts */
		pv_err le;
		if (pv_shell_load(&le)) {
			code = pv_cli_error(&le);
			goto out_args;
		}
	}

	pv_err err;
	pv_err_clear(&err);
	view_plan *plans = NULL;
	size_t n_plans = 0;
	pv_sql_view *views = NULL;
	pv_buf text;
	pv_buf_init(&text, SQL_TEXT_CAP);
	pv_atomic_file af = { 0 };
	pv_duck *d = NULL;
	pv_sqlrun *run = NULL;
	pv_pager *pager = NULL;
	const char **protect = NULL;
	const char **dirs = NULL;
	char *tmp_abs = NULL;
	int files_code = 0;
	int rc = 0;
	bool interrupted = false;
	const char *sql = a.query;

	if ((code = plan_views(&a, &plans, &n_plans)))
		goto finish;
	size_t n_files = 0, n_dirs = 0;
	for (size_t k = 0; k < n_plans; k++) {
		int c;
		plans[k].ds = pv_cli_open_dataset("sql", plans[k].paths, plans[k].n_paths, &c);
		if (!plans[k].ds) {
			code = c;
			goto finish;
		}
		if (c > files_code)
			files_code = c;
		n_files += plans[k].ds->n_files;
		n_dirs += (size_t)plans[k].n_paths;
	}

	/* the SQL text */
	if (a.file) {
		FILE *f = fopen(a.file, "r");
		if (!f) {
			fprintf(stderr, "parqview: cannot open '%s': %s\n", a.file, strerror(errno));
			code = errno == ENOENT ? PV_EXIT_USAGE : PV_EXIT_DATA;
			goto finish;
		}
		rc = read_text(f, a.file, &text, &err);
		fclose(f);
		sql = text.data;
	} else if (!sql && !shell) {
		rc = read_text(stdin, "standard input", &text, &err);
		sql = text.data;
		if (!rc && sql[strspn(sql, " \t\r\n")] == '\0') {
			code = pv_cli_usage("sql", "no QUERY given, and none on standard input");
			goto finish;
		}
	}
	if (rc)
		goto finish;

	/* the output file first: its temporary is the one path the session
	 * may write */
	bool parquet_out = a.output && pv_cli_is_parquet_path(a.output);
	if (a.output) {
		protect = calloc(n_files + 2, sizeof *protect);
		if (!protect) {
			rc = pv_err_set(&err, PV_ENOMEM, "out of memory");
			goto finish;
		}
		size_t np = 0;
		for (size_t k = 0; k < n_plans; k++)
			for (size_t i = 0; i < plans[k].ds->n_files; i++)
				protect[np++] = plans[k].ds->files[i].path;
		if (a.file)
			protect[np++] = a.file;
		rc = pv_atomic_open(&af, a.output, protect, np, &err);
		if (rc == PV_EINVAL) {
			code = pv_cli_usage("sql", "%s", err.msg);
			rc = 0;
			goto finish;
		}
		if (rc)
			goto finish;
		if (parquet_out) {
			tmp_abs = realpath(af.tmp, NULL);
			if (!tmp_abs) {
				rc = pv_err_set(&err, PV_EIO, "cannot resolve '%s': %s", af.tmp,
						strerror(errno));
				goto finish;
			}
		}
	}

	/* directories named on the command line may be read and listed */
	views = calloc(n_plans ? n_plans : 1, sizeof *views);
	dirs = calloc(n_dirs ? n_dirs : 1, sizeof *dirs);
	if (!views || !dirs) {
		rc = pv_err_set(&err, PV_ENOMEM, "out of memory");
		goto finish;
	}
	size_t nd = 0;
	for (size_t k = 0; k < n_plans; k++) {
		views[k] = (pv_sql_view){ .name = plans[k].name, .ds = plans[k].ds, .dirs = dirs + nd };
		for (int i = 0; i < plans[k].n_paths; i++) {
			struct stat st;
			if (stat(plans[k].paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
				dirs[nd++] = plans[k].paths[i];
				views[k].n_dirs++;
			}
		}
	}
	if (a.unsafe)
		pv_cli_warn("--unsafe: SQL may read and write any file, attach databases and "
			    "load extensions");
	const char *writes[] = { tmp_abs };
	bool show_progress = isatty(STDERR_FILENO);
	pv_sql_opts so = {
		.threads = a.threads,
		.memory_limit = a.memory_limit,
		.temp_directory = a.temp_dir,
		.unsafe = a.unsafe,
		.no_progress = !show_progress,
		.write_paths = writes,
		.n_write_paths = tmp_abs ? 1 : 0,
	};
	rc = pv_sql_open(views, n_plans, &so, &d, &err);
	if (rc == PV_EINVAL && !strncmp(err.msg, "duckdb refused option", 21)) {
		/* --threads, --memory-limit or --temp-dir: the command line's */
		code = pv_cli_usage("sql", "%s", err.msg);
		rc = 0;
		goto finish;
	}
	if (rc)
		goto finish;
	rc = pv_sqlrun_begin(d, show_progress, &run, &err);
	if (rc)
		goto finish;

	if (shell) {
		pv_shell_opts sh = { .format = format, .timer = a.timer, .color = com.color };
		char hist[4096];
		const char *env = getenv("PARQVIEW_HISTORY");
		const char *home = getenv("HOME");
		if (env)
			sh.history = *env ? env : NULL;
		else if (home && *home && snprintf(hist, sizeof hist, "%s/.parqview_history", home) <
					  (int)sizeof hist)
			sh.history = hist;
		code = pv_shell_run(d, run, &sh);
		goto finish;
	}

	double t0 = now_s();
	int64_t rows = 0;
	if (parquet_out) {
		char options[128];
		const char *c = a.compression ? a.compression : "zstd";
		snprintf(options, sizeof options, "FORMAT parquet, COMPRESSION %s, USE_TMP_FILE false",
			 strcmp(c, "none") ? c : "uncompressed");
		rc = pv_sqlrun_copy(run, sql, tmp_abs, options, &rows, &err);
	} else {
		FILE *out = stdout;
		pv_term term = com.term;
		if (a.output) {
			out = pv_atomic_stream(&af);
			pv_term_init(&term, fileno(out), PV_COLOR_NEVER);
		} else {
			pager = pv_pager_open(!a.no_pager);
			out = pv_pager_stream(pager);
		}
		pv_rows_opts ro;
		pv_rows_opts_init(&ro, format, &term);
		ro.wide = a.wide;
		rc = pv_sqlrun_query(run, sql, out, &ro, !a.output && isatty(STDOUT_FILENO), pager_quit,
				     pager, &rows, &err);
	}
	interrupted = pv_sqlrun_interrupted(run);
	if (pv_pager_quit(pager)) {
		rc = 0;
		pv_err_clear(&err);
	}
	if (!rc && a.output)
		rc = pv_atomic_commit(&af, &err);
	if (a.timer)
		fprintf(stderr, "time: %.3f s\n", now_s() - t0);
	if (rc && !interrupted) {
		pv_sqlrun_print_error(run, &err, sql, false, 0);
		code = query_exit(rc);
		rc = 0;
	}

finish:
	pv_atomic_abort(&af);
	{
		bool out_failed = pv_pager_close(pager) != 0;
		if (rc && !code && !interrupted) {
			/* DuckDB's refusals are EINVAL too: the query's or the
			 * data's fault, not the command line's */
			fprintf(stderr, "parqview: %s\n", err.msg[0] ? err.msg : pv_code_name(rc));
			code = query_exit(rc);
		}
		if (out_failed && !code) {
			fprintf(stderr, "parqview: cannot write output: %s\n", strerror(errno));
			code = PV_EXIT_DATA;
		}
	}
	pv_sqlrun_end(run);
	pv_duck_close(d);
	free(tmp_abs);
	free(protect);
	free(dirs);
	free(views);
	free_views(plans, n_plans);
	pv_buf_release(&text);
	if (!code)
		code = files_code;
	if (interrupted) {
		/* end the way an interrupted program does, so that the shell
		 * running us stops too */
		fprintf(stderr, "parqview: interrupted\n");
		for (size_t i = 0; i < a.n_as; i++)
			free((char *)a.as[i].name);
		free(a.as);
		signal(SIGINT, SIG_DFL);
		raise(SIGINT);
		return 130;
	}
out_args:
	for (size_t i = 0; i < a.n_as; i++)
		free((char *)a.as[i].name);
	free(a.as);
	return code;
}
