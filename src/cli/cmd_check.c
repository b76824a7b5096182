/*
 * cmd_check.c - `parqview check CONTRACT.yaml [PATH...]`: runs an Open Data
 * Contract Standard file against Parquet data (analyze/contract.h) and
 * reports every rule as text, JSON or JUnit XML, with exit codes CI can
 * trust. Also brings the DuckDB session that `type: sql` rules need.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/contract.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "io/atomic.h"
#include "sql/duck.h"
#include "sql/session.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview check CONTRACT.yaml [PATH...] [--failures N] [--fail-on error|warning|never]\n"
	"                      [--server NAME=PATH]... [--junit FILE] [--json]\n"
	"\n"
	"Checks the data against an Open Data Contract Standard (ODCS v3.1) file:\n"
	"every quality rule and property declaration, in one pass over the data,\n"
	"answering from the footers where they can. PATHs replace the data of the\n"
	"contract's first schema object (of every object when there is one);\n"
	"otherwise each object reads the server named like it, or the first server.\n"
	"\n"
	"  --failures N     offending rows shown per failed rule (default 5)\n"
	"  --fail-on SEV    exit 1 when a rule of this severity or worse fails:\n"
	"                   error (default), warning, or never\n"
	"  --server N=PATH  read server (or schema object) N from PATH instead\n"
	"  --junit FILE     also write JUnit XML to FILE (atomically)\n"
	"  --json           the report as JSON\n"
	"  --color WHEN     auto, always or never\n"
	"\n"
	"Exit codes: 0 every rule passed, 1 a rule at the --fail-on severity failed,\n"
	"2 invalid contract or usage, 3 data or I/O error (or a rule that could not\n"
	"be evaluated).\n";

/* DuckDB for `type: sql` rules: a restricted session (sql/session.h) per
 * rule that may read only the object's files, one view over them. */
static int sql_scalar(void *ctx, const char *view, const pv_dataset *ds, const char *query,
		      double *out, pv_err *err)
{
	(void)ctx;
	pv_sql_view v = { .name = view, .ds = ds };
	pv_duck *d = NULL;
	pv_duck_result *res = NULL;
	bool has = false;
	int rc = pv_sql_open(&v, 1, NULL, &d, err);
	if (!rc)
		rc = pv_duck_query(d, query, &res, err);
	if (!rc)
		rc = pv_duck_result_next(res, &has, err);
	if (!rc) {
		const char *t = has ? pv_duck_result_text(res, 0) : NULL;
		char *end = NULL;
		if (!has || pv_duck_result_ncols(res) < 1)
			rc = pv_err_set(err, PV_EINVAL, "the query returned no rows");
		else if (!t)
			*out = NAN;
		else if ((*out = strtod(t, &end)), end == t || *end)
			rc = pv_err_set(err, PV_EINVAL, "the query returned '%.40s', not a number", t);
	}
	if (rc)
		pv_err_prefix(err, "sql");
	pv_duck_result_free(res);
	pv_duck_close(d);
	return rc;
}

static void on_progress(void *ctx, int64_t done, int64_t total)
{
	pv_progress *p = ctx;
	p->total = total;
	pv_progress_update(p, done);
}

int pv_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		PV_CLI_COMMON_OPTS,
		{ "failures", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "server", required_argument, NULL, 's' },
		{ "junit", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	pv_cli_common com = { 0 };
	long long max_failures = 5;
	int fail_on = PV_SEV_ERROR;
	const char *junit = NULL;
	const char **servers = calloc((size_t)argc + 1, sizeof *servers);
	size_t n_servers = 0;
	if (!servers)
		return PV_EXIT_INTERNAL;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "check", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT) {
			free(servers);
			return opt_exit;
		}
		if (opt == 'f') {
			if (!pv_cli_parse_i64(optarg, &max_failures) || max_failures > 100000) {
				free(servers);
				return pv_cli_usage("check", "--failures: expected a number from 0 to 100000, found '%s'", optarg);
			}
		} else if (opt == 'F') {
			if (!strcmp(optarg, "error"))
				fail_on = PV_SEV_ERROR;
			else if (!strcmp(optarg, "warning"))
				fail_on = PV_SEV_WARNING;
			else if (!strcmp(optarg, "never"))
				fail_on = -1;
			else {
				free(servers);
				return pv_cli_usage("check", "--fail-on: expected error, warning or never, found '%s'", optarg);
			}
		} else if (opt == 's') {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1]) {
				free(servers);
				return pv_cli_usage("check", "--server: expected NAME=PATH, found '%s'", optarg);
			}
			servers[n_servers++] = optarg;
		} else if (opt == 'j') {
			junit = optarg;
		} else {
			free(servers);
			return pv_cli_bad_option("check", argv);
		}
	}
	if (optind >= argc) {
		free(servers);
		return pv_cli_usage("check", "no CONTRACT.yaml given");
	}
	pv_cli_begin(&com);
	pv_err err;
	pv_err_clear(&err);
	pv_contract *c = NULL;
	if (pv_contract_load(argv[optind], &c, &err)) {
		free(servers);
		fprintf(stderr, "parqview: %s\n", err.msg);
		/* an invalid contract is a usage error (2); an unreadable one is I/O (3) */
		return err.code == PV_EINVAL ? PV_EXIT_USAGE : pv_code_exit(err.code);
	}
	pv_progress prog;
	pv_progress_init(&prog, 0, true);
	pv_check_opts co = {
		.paths = (const char *const *)argv + optind + 1,
		.n_paths = (size_t)(argc - optind - 1),
		.servers = servers,
		.n_servers = n_servers,
		.max_failures = (size_t)max_failures,
		.progress = on_progress,
		.progress_ctx = &prog,
		.sql_scalar = sql_scalar,
	};
	pv_check_result *res = NULL;
	int rc = pv_contract_check(c, &co, &res, &err);
	pv_progress_end(&prog);
	free(servers);
	if (rc) {
		pv_contract_free(c);
		if (rc == PV_EINVAL)
			return pv_cli_usage("check", "%s", err.msg);
		return pv_cli_error(&err);
	}
	int code = PV_EXIT_OK;
	for (size_t i = 0; i < c->n_rules; i++)
		if (pv_check_rule_fails(res, i, fail_on))
			code = PV_EXIT_FAIL;
	for (size_t i = 0; i < c->n_rules; i++)
		if (res->rules[i].status == PV_RS_ERROR)
			code = PV_EXIT_DATA;
	for (size_t oi = 0; oi < c->n_objects; oi++)
		if (res->objects[oi].error) {
			fprintf(stderr, "parqview: %s: %s\n", c->objects[oi].name, res->objects[oi].error);
			code = res->objects[oi].error_code == PV_EINVAL && !res->objects[oi].n_files
				       ? PV_EXIT_USAGE
				       : PV_EXIT_DATA;
		}
	int wrc = com.json ? pv_check_write_json(res, stdout, fail_on, &err)
			   : pv_check_write_text(res, stdout, &err);
	if (wrc && code < PV_EXIT_DATA)
		code = PV_EXIT_DATA;
	if (junit) {
		pv_atomic_file af = { 0 };
		/* the contract and the PATH arguments are inputs */
		const char *const *protect = (const char *const *)argv + optind;
		pv_err jerr;
		pv_err_clear(&jerr);
		if (pv_atomic_open(&af, junit, protect, (size_t)(argc - optind), &jerr) ||
		    pv_check_write_junit(res, pv_atomic_stream(&af), fail_on, &jerr) ||
		    pv_atomic_commit(&af, &jerr)) {
			pv_atomic_abort(&af);
			fprintf(stderr, "parqview: junit '%s': %s\n", junit, jerr.msg);
			code = jerr.code == PV_EINVAL ? PV_EXIT_USAGE : PV_EXIT_DATA;
		}
	}
	pv_check_result_free(res);
	pv_contract_free(c);
	return code;
}
