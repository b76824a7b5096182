/*
 * cli.h - what the command files share: the command table, option helpers
 * and the one place that turns a pv_err into a message and an exit code.
 *
 * Each command lives in its own file (cmd_NAME.c, git's builtin/ idea) and
 * exposes one `int pv_cmd_NAME(int argc, char **argv)` returning the process
 * exit code. The cli layer may include every other layer.
 */
#ifndef PV_CLI_H
#define PV_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "dataset/dataset.h"
#include "render/rows.h"
#include "render/term.h"

/* Exit codes (README "Exit codes"). pv_code_exit maps error codes onto these. */
enum {
	PV_EXIT_OK = 0,
	PV_EXIT_FAIL = 1,    /* the command ran and found a failure (check, diff) */
	PV_EXIT_USAGE = 2,   /* bad command line */
	PV_EXIT_DATA = 3,    /* unreadable, corrupt or unsupported data; I/O */
	PV_EXIT_INTERNAL = 4 /* out of memory or a bug */
};

typedef int (*pv_cmd_fn)(int argc, char **argv);

typedef struct pv_cmd {
	const char *name;
	pv_cmd_fn fn;
	const char *summary; /* one line for `parqview help` */
} pv_cmd;

/* The commands, one file each. */
int pv_cmd_summary(int argc, char **argv);
int pv_cmd_schema(int argc, char **argv);
int pv_cmd_meta(int argc, char **argv);
int pv_cmd_count(int argc, char **argv);
int pv_cmd_head(int argc, char **argv);   /* cmd_rows.c */
int pv_cmd_tail(int argc, char **argv);   /* cmd_rows.c */
int pv_cmd_cat(int argc, char **argv);    /* cmd_rows.c */
int pv_cmd_sample(int argc, char **argv); /* cmd_rows.c */
int pv_cmd_profile(int argc, char **argv);
int pv_cmd_sql(int argc, char **argv);
int pv_cmd_diff(int argc, char **argv);
int pv_cmd_doctor(int argc, char **argv);
int pv_cmd_serve(int argc, char **argv);
int pv_cmd_check(int argc, char **argv);
int pv_cmd_contract(int argc, char **argv);

/* The command table (main.c), ended by a zeroed entry. */
extern const pv_cmd pv_commands[];

/* Prints "parqview: MESSAGE" on stderr and returns the exit code for err. */
int pv_cli_error(const pv_err *err);

/* Prints "parqview CMD: MESSAGE" plus a hint to use --help; returns 2. */
int pv_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a warning line "parqview: warning: ..." on stderr. */
void pv_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a non-negative integer option value; false if it is not one. */
bool pv_cli_parse_i64(const char *s, long long *out);

/* Shared option state every command accepts. */
typedef struct pv_cli_common {
	bool json;           /* --json */
	pv_color_mode color; /* --color */
	pv_term term;        /* stdout, decided by pv_cli_begin */
	bool parsing;        /* pv_cli_next_opt has started on argv */
} pv_cli_common;

/* The long options every command accepts; commands append their own. */
#define PV_CLI_COMMON_OPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "color", required_argument, NULL, 'C' }, \
	{ "help", no_argument, NULL, 'h' }

/* The next option of a command's argv for the command to handle: getopt_long
 * over shortopts and opts (which include PV_CLI_COMMON_OPTS), started afresh
 * on the first call for c and quiet (opterr = 0; a '?' goes to
 * pv_cli_bad_option). The common options are handled here: --json and
 * --color set c, --help prints help. Returns the option, -1 after the last
 * one, or PV_CLI_OPT_EXIT with *out_exit set: 0 after --help, 2 after a bad
 * --color value (already reported). */
#define PV_CLI_OPT_EXIT (-2)
int pv_cli_next_opt(pv_cli_common *c, int argc, char **argv, const char *shortopts,
		    const struct option *opts, const char *cmd, const char *help, int *out_exit);

/* For getopt_long's '?': "unknown option or missing value: '--x'"; 2.
 * Commands set opterr = 0 so getopt itself stays quiet. */
int pv_cli_bad_option(const char *cmd, char **argv);

/* The render/rows.h format (pv_rows_format) an output file's name implies:
 * .csv, .jsonl, .ndjson, .json, .md, .markdown, .txt (any case); -1 for
 * other names. */
int pv_cli_format_of_path(const char *path);

/* True for output names ending in .parquet, .parq or .pqt (any case). */
bool pv_cli_is_parquet_path(const char *path);

/* The rows format a command's options ask for: --format NAME, --json or
 * --vertical (at most one of them), else the output file's name (-o,
 * NULL for stdout; names is how the command's usage spells the names it
 * takes, e.g. ".csv, .jsonl, .json or .md"), else the table. 0, or the
 * usage exit code after cmd's one-line message on stderr. */
int pv_cli_rows_format(const char *cmd, const char *format, bool json, bool vertical,
		       const char *output, const char *names, pv_rows_format *out);

/* Decides the terminal for stdout once the options are parsed. */
void pv_cli_begin(pv_cli_common *c);

/* Opens the dataset named by paths[0..n) (n == 0 is a usage error).
 * Prints unreadable files on stderr, one line each; *out_exit is 3 when
 * some file failed, else 0. Returns the dataset, or NULL after printing
 * why nothing could be opened (then *out_exit is the exit code). */
pv_dataset *pv_cli_open_dataset(const char *cmd, char **paths, int n, int *out_exit);

#endif
