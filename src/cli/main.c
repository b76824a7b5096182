/*
 * main.c - parqview's entry point: the command table and dispatch.
 *
 * `parqview PATH...` (no command) prints the summary; `parqview CMD ...`
 * runs a command; `parqview help` lists them. Each command is its own file.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

#ifndef PV_VERSION
#define PV_VERSION "0.1.0"
#endif

const pv_cmd pv_commands[] = {
	{ "summary", pv_cmd_summary, "files, partitions, rows, sizes, writers, schema overview, problems" },
	{ "schema", pv_cmd_schema, "the schema tree with types, nullability and per-file gaps" },
	{ "meta", pv_cmd_meta, "footer metadata: row groups, column chunks, pages, page index, bloom filters" },
	{ "count", pv_cmd_count, "exact row counts from the footers" },
	{ "head", pv_cmd_head, "the first rows (-n 10)" },
	{ "tail", pv_cmd_tail, "the last rows (-n 10)" },
	{ "cat", pv_cmd_cat, "every row, or a range of rows by global index (--rows A:B)" },
	{ "sample", pv_cmd_sample, "rows drawn uniformly at random (-n 50, --seed S)" },
	{ "profile", pv_cmd_profile, "per-column profiles: distinct, quantiles, top values, lengths, embeddings" },
	{ "sql", pv_cmd_sql, "SQL over datasets (DuckDB), export with -o, or a shell" },
	{ "diff", pv_cmd_diff, "schema changes from A to B, breaking or compatible (exit 1 on breaking)" },
	{ "doctor", pv_cmd_doctor, "deep integrity check: CRCs, statistics, page index, rows, UTF-8, bloom filters; layout advice" },
	{ "serve", pv_cmd_serve, "a local web UI and JSON API over the datasets" },
	{ "check", pv_cmd_check, "run a data contract (ODCS YAML) against the data; exit 1 when a rule fails" },
	{ "contract", pv_cmd_contract, "contract init PATH: write a starting data contract for a dataset" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: parqview [COMMAND] PATH... [OPTIONS]\n\n"
		     "PATH is a Parquet file, a directory (searched recursively, hive\n"
		     "partitions key=value become columns) or a glob (** matches any depth).\n"
		     "Without a COMMAND parqview prints the summary.\n\ncommands:\n");
	for (const pv_cmd *c = pv_commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out, "\nEvery command takes --json and --help. Exit codes: 0 ok, 1 check failed,\n"
		     "2 usage, 3 data or I/O error, 4 internal error.\n");
}

int main(int argc, char **argv)
{
	/* Reading thousands of footers on worker threads makes glibc grow each
	 * thread's heap a page at a time (one mprotect each); a generous top
	 * pad makes it grow in large, untouched (so free) steps instead. */
	mallopt(M_TOP_PAD, 64 << 20);
	if (argc < 2) {
		usage(stderr);
		return PV_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			for (const pv_cmd *c = pv_commands; c->name; c++)
				if (!strcmp(c->name, argv[2])) {
					char *args[] = { argv[2], "--help", NULL };
					return c->fn(2, args);
				}
		}
		usage(stdout);
		return PV_EXIT_OK;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("parqview %s\n", PV_VERSION);
		return PV_EXIT_OK;
	}
	for (const pv_cmd *c = pv_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c->fn(argc - 1, argv + 1);
	if (name[0] == '-' && name[1] != '\0' && strcmp(name, "--json") && strncmp(name, "--color", 7)) {
		fprintf(stderr, "parqview: unknown option '%s' (see 'parqview --help')\n", name);
		return PV_EXIT_USAGE;
	}
	/* No command: the arguments are paths for the summary. */
	argv[0] = "summary";
	return pv_cmd_summary(argc, argv);
}
