/*
 * common.c - the helpers every command shares: errors and usage messages,
 * common options, the terminal, opening a dataset.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "render/rows.h"
#include "base/banned.h"

int pv_cli_error(const pv_err *err)
{
	fprintf(stderr, "parqview: %s\n", err->msg[0] ? err->msg : pv_code_name(err->code));
	return pv_code_exit(err->code);
}

int pv_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "parqview %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'parqview %s --help')\n", cmd);
	return PV_EXIT_USAGE;
}

void pv_cli_warn(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "parqview: warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool pv_cli_parse_i64(const char *s, long long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return false;
	*out = v;
	return true;
}

int pv_cli_next_opt(pv_cli_common *c, int argc, char **argv, const char *shortopts,
		    const struct option *opts, const char *cmd, const char *help, int *out_exit)
{
	if (!c->parsing) {
		optind = 1;
		opterr = 0;
		c->parsing = true;
	}
	for (;;) {
		int opt = getopt_long(argc, argv, shortopts, opts, NULL);
		switch (opt) {
		case 'J':
			c->json = true;
			continue;
		case 'C':
			if (pv_color_mode_parse(optarg, &c->color, NULL)) {
				*out_exit = pv_cli_usage(cmd, "--color takes auto, always or never, not '%s'",
							 optarg);
				return PV_CLI_OPT_EXIT;
			}
			continue;
		case 'h':
			fputs(help, stdout);
			*out_exit = PV_EXIT_OK;
			return PV_CLI_OPT_EXIT;
		default:
			return opt;
		}
	}
}

int pv_cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	return pv_cli_usage(cmd, "unknown option or missing value: '%s'", arg);
}

int pv_cli_format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return -1;
	static const struct {
		const char *ext;
		pv_rows_format f;
	} exts[] = {
		{ ".csv", PV_ROWS_CSV },     { ".jsonl", PV_ROWS_JSONL }, { ".ndjson", PV_ROWS_JSONL },
		{ ".json", PV_ROWS_JSON },   { ".md", PV_ROWS_MARKDOWN }, { ".markdown", PV_ROWS_MARKDOWN },
		{ ".txt", PV_ROWS_TABLE },
	};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		if (!strcasecmp(dot, exts[i].ext))
			return (int)exts[i].f;
	return -1;
}

bool pv_cli_is_parquet_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".parquet") || !strcasecmp(dot, ".parq") ||
		       !strcasecmp(dot, ".pqt"));
}

int pv_cli_rows_format(const char *cmd, const char *format, bool json, bool vertical,
		       const char *output, const char *names, pv_rows_format *out)
{
	if ((format != NULL) + json + vertical > 1)
		return pv_cli_usage(cmd, "give only one of --format, --json and --vertical");
	if (format) {
		pv_err err;
		if (pv_rows_format_parse(format, out, &err))
			return pv_cli_usage(cmd, "%s", err.msg);
	} else if (json) {
		*out = PV_ROWS_JSON;
	} else if (vertical) {
		*out = PV_ROWS_VERTICAL;
	} else if (output) {
		int f = pv_cli_format_of_path(output);
		if (f < 0)
			return pv_cli_usage(cmd, "cannot tell the format of '%s' from its name; use %s, "
					    "or add --format", output, names);
		*out = (pv_rows_format)f;
	} else {
		*out = PV_ROWS_TABLE;
	}
	return 0;
}

void pv_cli_begin(pv_cli_common *c)
{
	pv_term_init(&c->term, STDOUT_FILENO, c->color);
}

pv_dataset *pv_cli_open_dataset(const char *cmd, char **paths, int n, int *out_exit)
{
	if (n <= 0) {
		*out_exit = pv_cli_usage(cmd, "no PATH given");
		return NULL;
	}
	pv_dataset *ds;
	pv_err err;
	pv_err_clear(&err);
	if (pv_dataset_open((const char *const *)paths, (size_t)n, NULL, &ds, &err)) {
		*out_exit = pv_cli_error(&err);
		return NULL;
	}
	*out_exit = PV_EXIT_OK;
	for (size_t i = 0; i < ds->n_files; i++) {
		if (ds->files[i].pf)
			continue;
		int code = pv_cli_error(ds->files[i].err);
		if (code > *out_exit)
			*out_exit = code;
	}
	return ds;
}
