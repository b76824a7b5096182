/*
 * duckq.c - a tiny DuckDB query tool on top of src/sql/duck.h, for the demo
 * data generator, benchmarks ("DuckDB, whole process") and differential
 * tests (the independent oracle).
 *
 *   duckq [-c SQL | -f FILE.sql] [--csv | --raw] [--header] [--null STR]
 *         [--threads N] [--memory LIMIT] [--time]
 *
 * Runs the ';'-separated statements of SQL (or FILE, or standard input when
 * neither is given) and prints the rows of the last one, streamed, one line
 * each: tab-separated with \\ \t \n \r escaped and NULL printed as "NULL",
 * or with --csv as RFC 4180 CSV (NULL empty, an empty string as ""), or
 * with --raw tab-separated with nothing escaped (to write out a document
 * that a query built, such as JSON).
 * Exit 0; 1 with DuckDB's error on stderr; 2 for bad usage.
 * --time prints the wall time of the query (from sending the SQL to the
 * last row written) to stderr as "time: 1.234 s".
 * Uses only base/ and sql/; it must not include DuckDB's headers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"
#include "sql/duck.h"
#include "base/banned.h"

#define SQL_FILE_CAP ((size_t)256 << 20)

static void usage(FILE *f)
{
	fputs("usage: duckq [-c SQL | -f FILE.sql] [--csv | --raw] [--header] [--null STR]\n"
	      "             [--threads N] [--memory LIMIT] [--time]\n"
	      "Runs SQL through DuckDB and prints the last statement's rows\n"
	      "(tab-separated, CSV with --csv, unescaped with --raw). SQL comes\n"
	      "from standard input"
	      " when neither -c nor -f is given.\n", f);
}

static int read_all(FILE *in, pv_buf *b, pv_err *err)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (pv_buf_append(b, chunk, n, err) < 0)
			return err->code;
	if (ferror(in))
		return pv_err_set(err, PV_EIO, "read failed");
	/* an empty input still needs a string */
	return pv_buf_append(b, "", 0, err);
}

static void put_tsv(const char *s, size_t n, FILE *out)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;
		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		fwrite(s + start, 1, i - start, out);
		fputs(esc, out);
		start = i + 1;
	}
	fwrite(s + start, 1, n - start, out);
}

static void put_raw(const char *s, size_t n, FILE *out)
{
	fwrite(s, 1, n, out);
}

static void put_csv(const char *s, size_t n, FILE *out)
{
	bool quote = n == 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, n, out);
		return;
	}
	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			putc('"', out);
		putc(s[i], out);
	}
	putc('"', out);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *sql_arg = NULL, *file = NULL, *null_text = NULL;
	bool csv = false, raw = false, header = false, timing = false;
	pv_duck_opts opts = { .no_progress = true }; /* it never shows progress */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (!strcmp(a, "-c") && has_val) {
			sql_arg = argv[++i];
		} else if (!strcmp(a, "-f") && has_val) {
			file = argv[++i];
		} else if (!strcmp(a, "--csv")) {
			csv = true;
		} else if (!strcmp(a, "--raw")) {
			raw = true;
		} else if (!strcmp(a, "--header")) {
			header = true;
		} else if (!strcmp(a, "--time")) {
			timing = true;
		} else if (!strcmp(a, "--null") && has_val) {
			null_text = argv[++i];
		} else if (!strcmp(a, "--threads") && has_val) {
			char *end;
			long t = strtol(argv[++i], &end, 10);
			if (*end || t < 1 || t > 4096) {
				fprintf(stderr, "duckq: bad thread count '%s'\n", argv[i]);
				return 2;
			}
			opts.threads = (int)t;
		} else if (!strcmp(a, "--memory") && has_val) {
			opts.memory_limit = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if ((sql_arg && file) || (csv && raw)) {
		usage(stderr);
		return 2;
	}
	if (!null_text)
		null_text = csv ? "" : "NULL";

	double t0 = 0;
	pv_err err;
	pv_err_clear(&err);
	pv_buf text;
	pv_buf_init(&text, SQL_FILE_CAP);
	if (!sql_arg) {
		FILE *in = file ? fopen(file, "rb") : stdin;
		if (!in) {
			fprintf(stderr, "duckq: cannot open '%s'\n", file);
			return 1;
		}
		int rc = read_all(in, &text, &err);
		if (file)
			fclose(in);
		if (rc < 0) {
			fprintf(stderr, "duckq: '%s': %s\n", file ? file : "-", err.msg);
			pv_buf_release(&text);
			return 1;
		}
		sql_arg = text.data;
	}

	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	pv_duck *d = NULL;
	pv_duck_result *r = NULL;
	int rc = pv_duck_open(&opts, &d, &err);
	if (!rc) {
		t0 = now_seconds();
		rc = pv_duck_query(d, sql_arg, &r, &err);
	}
	if (!rc) {
		size_t n = pv_duck_result_ncols(r);
		void (*put)(const char *, size_t, FILE *) = csv ? put_csv : raw ? put_raw : put_tsv;
		char sep = csv ? ',' : '\t';
		if (header && n > 0) {
			for (size_t c = 0; c < n; c++) {
				if (c)
					putchar(sep);
				const char *name = pv_duck_result_colname(r, c);
				put(name, strlen(name), stdout);
			}
			putchar('\n');
		}
		bool more;
		while ((rc = pv_duck_result_next(r, &more, &err)) == 0 && more) {
			for (size_t c = 0; c < n; c++) {
				if (c)
					putchar(sep);
				size_t len;
				const char *v = pv_duck_result_value(r, c, &len);
				if (v)
					put(v, len, stdout);
				else
					fputs(null_text, stdout);
			}
			putchar('\n');
		}
	}
	pv_duck_result_free(r);
	pv_duck_close(d);
	pv_buf_release(&text);
	if (fflush(stdout) != 0 && !rc) {
		fprintf(stderr, "duckq: write failed\n");
		rc = PV_EIO;
	}
	if (timing && t0 > 0)
		fprintf(stderr, "time: %.3f s\n", now_seconds() - t0);
	if (rc) {
		fprintf(stderr, "duckq: %s\n", err.msg);
		return 1;
	}
	return 0;
}
