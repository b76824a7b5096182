/*
 * shell.c - the interactive SQL shell (libedit's readline interface, in
 * its callback form so that the prompt loop can also watch the SIGINT
 * pipe of cli/sqlrun.h: Ctrl-C at the prompt clears the line, during a
 * query the watcher thread interrupts it).
 *
 * A statement is complete when its last character outside strings, quoted
 * names and comments is ';'. Lines starting with '.' at the start of a
 * statement are dot commands. libedit is loaded when the shell starts
 * (base/dynlib.h), so that no other command maps it: editline/readline.h
 * gives the declarations, the table below the addresses. Includes base,
 * render, sql and cli.
 */
#include "cli/shell.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <editline/readline.h>

#include "base/buf.h"
#include "base/dynlib.h"
#include "cli/cli.h"
#include "render/term.h"
#include "base/banned.h"

#define MAIN_PROMPT "parqview> "
#define MORE_PROMPT "     ...> "
#define HISTORY_MAX 2000

/* ---- the library ---- */

#define EDIT_SONAME "libedit.so.2"
#define EDIT_PACKAGE "libedit2"

/* The functions and variables used, bound by pv_shell_load. */
#define PV_EDIT_SYMS(X) \
	X(rl_callback_handler_remove) \
	X(rl_callback_handler_install) \
	X(rl_replace_line) \
	X(rl_callback_read_char) \
	X(rl_completion_matches) \
	X(add_history) \
	X(write_history) \
	X(using_history) \
	X(stifle_history) \
	X(read_history) \
	X(rl_readline_name) \
	X(rl_catch_signals) \
	X(rl_attempted_completion_function) \
	X(rl_completion_append_character)

#define PV_EDIT_FIELD(name) __typeof__(name) *name;
#define PV_EDIT_NAME(name) #name,
static struct {
	PV_EDIT_SYMS(PV_EDIT_FIELD)
} el;
static const char *const el_names[] = { PV_EDIT_SYMS(PV_EDIT_NAME) };
_Static_assert(sizeof el == sizeof el_names / sizeof el_names[0] * sizeof(void *),
	       "one pointer per name");
static pv_dynlib el_lib =
	PV_DYNLIB_INIT(EDIT_SONAME, EDIT_PACKAGE, "the interactive sql shell", el_names, &el);

int pv_shell_load(pv_err *err)
{
	return pv_dynlib_load(&el_lib, err);
}

/* ---- line input ---- */

static char *got_line;   /* the line the callback handed over */
static bool got_any;     /* the callback ran (got_line NULL: end of input) */

static void on_line(char *line)
{
	got_line = line;
	got_any = true;
	el.rl_callback_handler_remove();
}

/* Reads one line with prompt. Returns 1 with *out (free it), 0 at the end
 * of input (Ctrl-D), or 2 when Ctrl-C cleared the line. */
static int read_line(const char *prompt, int sigfd, char **out)
{
	*out = NULL;
	got_line = NULL;
	got_any = false;
	el.rl_callback_handler_install(prompt, on_line);
	while (!got_any) {
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { sigfd, POLLIN, 0 } };
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (p[1].revents & POLLIN) {
			char buf[64];
			while (read(sigfd, buf, sizeof buf) > 0)
				;
			el.rl_replace_line("", 0);
			el.rl_callback_handler_remove();
			fputs("^C\n", stdout);
			fflush(stdout);
			return 2;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			el.rl_callback_read_char();
	}
	if (!got_any) {
		el.rl_callback_handler_remove();
		return 0;
	}
	*out = got_line;
	return got_line ? 1 : 0;
}

/* ---- statements ---- */

/* True when the last significant character of s, outside strings,
 * quoted names and comments, is ';'. */
static bool complete_statement(const char *s)
{
	char last = 0;
	for (const char *p = s; *p; p++) {
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return false;
			p = e + 1;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				;
			if (!*p)
				return false;
			last = q;
			continue;
		}
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			last = *p;
	}
	return last == ';';
}

/* ---- completion ---- */

static pv_duck *comp_duck;
static char **comp_words;
static size_t n_comp_words;
static bool comp_stale = true;

static void comp_free(void)
{
	for (size_t i = 0; i < n_comp_words; i++)
		free(comp_words[i]);
	free(comp_words);
	comp_words = NULL;
	n_comp_words = 0;
}

static void comp_add(const char *w, size_t *cap)
{
	if (!w || !*w)
		return;
	if (n_comp_words == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		char **nw = realloc(comp_words, nc * sizeof *nw);
		if (!nw)
			return;
		comp_words = nw;
		*cap = nc;
	}
	char *d = strdup(w);
	if (d)
		comp_words[n_comp_words++] = d;
}

/* The names to complete: views, tables and their columns, then SQL
 * keywords, asked of DuckDB after every statement (one may create a
 * table). */
static void comp_refresh(void)
{
	if (!comp_stale)
		return;
	comp_free();
	size_t cap = 0;
	static const char *const queries[] = {
		"SELECT DISTINCT table_name FROM information_schema.tables",
		"SELECT DISTINCT column_name FROM information_schema.columns",
		"SELECT keyword_name FROM duckdb_keywords()",
		"SELECT DISTINCT function_name FROM duckdb_functions() "
		"WHERE function_name NOT LIKE '%\\_%' ESCAPE '\\' OR function_name LIKE 'read\\_%' "
		"ESCAPE '\\'",
	};
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		pv_duck_result *r = NULL;
		if (pv_duck_query(comp_duck, queries[q], &r, NULL))
			continue;
		bool more;
		while (pv_duck_result_next(r, &more, NULL) == 0 && more)
			comp_add(pv_duck_result_text(r, 0), &cap);
		pv_duck_result_free(r);
	}
	comp_stale = false;
}

static size_t comp_index;

/* Matches ignore case; a lowercase word gets lowercase keywords. */
static char *comp_next(const char *text, int state)
{
	if (!state)
		comp_index = 0;
	size_t n = strlen(text);
	bool lower = true;
	for (size_t i = 0; i < n; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			lower = false;
	while (comp_index < n_comp_words) {
		const char *w = comp_words[comp_index++];
		if (strncasecmp(w, text, n) != 0)
			continue;
		char *m = strdup(w);
		if (!m)
			return NULL;
		bool all_upper = true;
		for (char *c = m; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				all_upper = false;
		if (lower && all_upper && n > 0)
			for (char *c = m; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
		return m;
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	comp_refresh();
	return el.rl_completion_matches(text, comp_next);
}

/* ---- running ---- */

typedef struct shell {
	pv_duck *d;
	pv_sqlrun *run;
	pv_rows_format format;
	bool timer;
	pv_color_mode color;
} shell;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_sql(shell *sh, const char *sql)
{
	pv_term term;
	pv_term_init(&term, STDOUT_FILENO, sh->color);
	pv_rows_opts ro;
	pv_rows_opts_init(&ro, sh->format, &term);
	pv_err err;
	pv_err_clear(&err);
	pv_sqlrun_clear(sh->run);
	double t0 = now_s();
	int rc = pv_sqlrun_query(sh->run, sql, stdout, &ro, true, NULL, NULL, NULL, &err);
	fflush(stdout);
	comp_stale = true;
	if (rc && pv_sqlrun_interrupted(sh->run))
		fprintf(stderr, "interrupted\n");
	else if (rc)
		pv_sqlrun_print_error(sh->run, &err, sql, true, term.width);
	pv_sqlrun_clear(sh->run);
	if (sh->timer)
		fprintf(stderr, "Run Time: %.3f s\n", now_s() - t0);
}

static const char shell_help[] =
	".help              this text\n"
	".tables            the views and tables\n"
	".schema [NAME]     the columns of NAME (of every view and table without)\n"
	".mode MODE         table, csv, jsonl, json, markdown or vertical\n"
	".timer on|off      print each statement's wall time\n"
	".quit, .exit       leave (Ctrl-D too)\n"
	"SQL statements end with ';' and may span lines. Ctrl-C stops a running\n"
	"query, or clears the line. TAB completes names and keywords.\n";

/* Appends s as a SQL string literal. */
static void put_literal(pv_buf *b, const char *s)
{
	pv_buf_putc(b, '\'', NULL);
	for (const char *p = s; *p; p++)
		if (*p == '\'')
			pv_buf_puts(b, "''", NULL);
		else
			pv_buf_putc(b, *p, NULL);
	pv_buf_putc(b, '\'', NULL);
}

/* Runs a dot command; false for .quit. */
static bool dot_command(shell *sh, char *line)
{
	char *save = NULL;
	char *cmd = strtok_r(line, " \t", &save);
	char *arg = strtok_r(NULL, " \t", &save);
	if (!strcmp(cmd, ".quit") || !strcmp(cmd, ".exit"))
		return false;
	if (!strcmp(cmd, ".help")) {
		fputs(shell_help, stdout);
	} else if (!strcmp(cmd, ".tables")) {
		run_sql(sh, "SELECT table_name AS name, CASE table_type WHEN 'VIEW' THEN 'view' "
			    "ELSE 'table' END AS kind FROM information_schema.tables "
			    "ORDER BY table_name");
	} else if (!strcmp(cmd, ".schema")) {
		pv_buf q;
		pv_buf_init(&q, 1 << 20);
		pv_buf_puts(&q, "SELECT table_name AS \"table\", column_name AS \"column\", "
				"data_type AS type, is_nullable = 'YES' AS nullable "
				"FROM information_schema.columns", NULL);
		if (arg) {
			pv_buf_puts(&q, " WHERE lower(table_name) = lower(", NULL);
			put_literal(&q, arg);
			pv_buf_putc(&q, ')', NULL);
		}
		pv_buf_puts(&q, " ORDER BY table_name, ordinal_position", NULL);
		if (q.data)
			run_sql(sh, q.data);
		pv_buf_release(&q);
	} else if (!strcmp(cmd, ".timer")) {
		if (arg && !strcmp(arg, "on"))
			sh->timer = true;
		else if (arg && !strcmp(arg, "off"))
			sh->timer = false;
		else
			fprintf(stderr, "usage: .timer on|off\n");
	} else if (!strcmp(cmd, ".mode")) {
		pv_err err;
		pv_rows_format f;
		if (!arg)
			fprintf(stderr, "usage: .mode table|csv|jsonl|json|markdown|vertical\n");
		else if (pv_rows_format_parse(arg, &f, &err))
			fprintf(stderr, "%s\n", err.msg);
		else
			sh->format = f;
	} else {
		fprintf(stderr, "unknown command '%s' (.help lists them)\n", cmd);
	}
	return true;
}

/* Adds a statement to the history (on one line) and saves the file. */
static void remember(const char *text, const char *file)
{
	char *one = strdup(text);
	if (!one)
		return;
	for (char *c = one; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	el.add_history(one);
	free(one);
	if (file)
		el.write_history(file);
}

int pv_shell_run(pv_duck *d, pv_sqlrun *run, const pv_shell_opts *opts)
{
	shell sh = { .d = d, .run = run, .format = opts->format, .timer = opts->timer,
		     .color = opts->color };
	pv_err e;
	if (pv_shell_load(&e))
		return pv_cli_error(&e);
	comp_duck = d;
	comp_stale = true;
	*el.rl_readline_name = "parqview";
	*el.rl_catch_signals = 0;
	*el.rl_attempted_completion_function = complete;
	*el.rl_completion_append_character = ' ';
	el.using_history();
	el.stifle_history(HISTORY_MAX);
	if (opts->history)
		el.read_history(opts->history);
	printf("parqview sql on DuckDB %s; .help for help, Ctrl-D to quit\n",
	       pv_duck_version() ? pv_duck_version() : "");
	pv_buf stmt;
	pv_buf_init(&stmt, (size_t)64 << 20);
	int sigfd = pv_sqlrun_sigfd(run);
	for (;;) {
		char *line = NULL;
		int got = read_line(stmt.len ? MORE_PROMPT : MAIN_PROMPT, sigfd, &line);
		if (got == 0) {
			fputc('\n', stdout);
			break;
		}
		if (got == 2) {
			pv_buf_reset(&stmt);
			continue;
		}
		const char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (stmt.len == 0 && *t == '.') {
			remember(t, opts->history);
			bool go_on = dot_command(&sh, (char *)t);
			free(line);
			if (!go_on)
				break;
			continue;
		}
		if (stmt.len == 0 && !*t) {
			free(line);
			continue;
		}
		if (pv_buf_puts(&stmt, line, NULL) || pv_buf_putc(&stmt, '\n', NULL)) {
			fprintf(stderr, "statement too long\n");
			pv_buf_reset(&stmt);
		}
		free(line);
		if (stmt.len && complete_statement(stmt.data)) {
			remember(stmt.data, opts->history);
			run_sql(&sh, stmt.data);
			pv_buf_reset(&stmt);
		}
	}
	pv_buf_release(&stmt);
	comp_free();
	return 0;
}
