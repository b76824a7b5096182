/*
 * sqlstart.c - where the start-up of `parqview sql` goes, stage by stage,
 * in one process: loading libduckdb (dlopen and symbol lookup), opening a
 * database (plain, as duckq does, and restricted, as parqview sql does),
 * the SET statements a session with a progress line adds, opening a dataset (footers), creating
 * its view, and a first trivial query, each timed in wall and process CPU
 * milliseconds.
 *
 *   sqlstart [-n RUNS] [FILE.parquet]
 *
 * Each stage after the load runs RUNS times (default 20); the medians are
 * printed. Uses base, dataset and sql; it must not include DuckDB's headers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arrowc.h"
#include "base/err.h"
#include "dataset/dataset.h"
#include "sql/duck.h"
#include "sql/session.h"
#include "base/banned.h"

#define MAX_RUNS 1000

static double ms(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static void row(const char *what, double wall, double cpu)
{
	printf("%-52s %8.2f %8.2f\n", what, wall, cpu);
}

static void die(const char *what, const pv_err *e)
{
	fprintf(stderr, "sqlstart: %s: %s\n", what, e->msg);
	exit(1);
}

/* Runs SELECT 1 through the Arrow path, as parqview sql does. */
static void select1(pv_duck *d)
{
	pv_err e;
	pv_duck_result *r = NULL;
	if (pv_duck_query_arrow(d, "SELECT 1", &r, &e))
		die("select 1", &e);
	struct ArrowSchema s;
	if (pv_duck_result_schema(r, &s, &e))
		die("schema", &e);
	s.release(&s);
	for (;;) {
		struct ArrowArray a;
		if (pv_duck_result_next_batch(r, &a, &e))
			die("batch", &e);
		if (!a.release)
			break;
		a.release(&a);
	}
	pv_duck_result_free(r);
}

int main(int argc, char **argv)
{
	int runs = 20;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			runs = (int)strtol(argv[++i], NULL, 10);
		else
			file = argv[i];
	}
	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: sqlstart [-n RUNS] [FILE.parquet]\n");
		return 2;
	}
	pv_err e;
	double w0 = ms(CLOCK_MONOTONIC), c0 = ms(CLOCK_PROCESS_CPUTIME_ID);
	if (pv_duck_load(&e))
		die("load", &e);
	printf("%-52s %8s %8s\n", "stage (median ms)", "wall", "cpu");
	row("load libduckdb (dlopen, dlsym), once", ms(CLOCK_MONOTONIC) - w0,
	    ms(CLOCK_PROCESS_CPUTIME_ID) - c0);

	static double wall[MAX_RUNS], cpu[MAX_RUNS];
	/* as duckq and as parqview sql with no terminal on stderr */
	pv_duck_opts plain = {.no_progress = true};
	pv_duck_opts restricted = {.no_progress = true, .restricted = true};
	const char *path_list[1] = {file};
	if (file) {
		restricted.allowed_paths = path_list;
		restricted.n_allowed_paths = 1;
	}
	struct {
		const char *name;
		const pv_duck_opts *o;
	} opens[] = {{"open + close, plain (as duckq)", &plain},
		     {"open + close, restricted (as parqview sql)", &restricted}};
	for (size_t k = 0; k < 2; k++) {
		for (int i = 0; i < runs; i++) {
			double w = ms(CLOCK_MONOTONIC), c = ms(CLOCK_PROCESS_CPUTIME_ID);
			pv_duck *d;
			if (pv_duck_open(opens[k].o, &d, &e))
				die("open", &e);
			pv_duck_close(d);
			wall[i] = ms(CLOCK_MONOTONIC) - w;
			cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
		}
		row(opens[k].name, median(wall, runs), median(cpu, runs));
	}

	/* the statements a session runs after the open when a progress line
	 * shows, on their own */
	pv_duck *d;
	if (pv_duck_open(&plain, &d, &e))
		die("open", &e);
	for (int i = 0; i < runs; i++) {
		double w = ms(CLOCK_MONOTONIC), c = ms(CLOCK_PROCESS_CPUTIME_ID);
		if (pv_duck_exec(d,
				 "SET enable_progress_bar = true; SET enable_progress_bar_print = "
				 "false",
				 &e))
			die("set", &e);
		wall[i] = ms(CLOCK_MONOTONIC) - w;
		cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
	}
	row("the progress SETs (only with a progress line)", median(wall, runs), median(cpu, runs));
	for (int i = 0; i < runs; i++) {
		double w = ms(CLOCK_MONOTONIC), c = ms(CLOCK_PROCESS_CPUTIME_ID);
		select1(d);
		wall[i] = ms(CLOCK_MONOTONIC) - w;
		cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
	}
	row("SELECT 1 through the Arrow path", median(wall, runs), median(cpu, runs));
	pv_duck_close(d);

	if (file) {
		for (int i = 0; i < runs; i++) {
			double w = ms(CLOCK_MONOTONIC), c = ms(CLOCK_PROCESS_CPUTIME_ID);
			pv_dataset *ds;
			if (pv_dataset_open(&file, 1, NULL, &ds, &e))
				die("dataset", &e);
			pv_dataset_free(ds);
			wall[i] = ms(CLOCK_MONOTONIC) - w;
			cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
		}
		row("open the dataset (footer)", median(wall, runs), median(cpu, runs));
		pv_dataset *ds;
		if (pv_dataset_open(&file, 1, NULL, &ds, &e))
			die("dataset", &e);
		pv_sql_view v = {.name = "data", .ds = ds};
		static double wall2[MAX_RUNS], cpu2[MAX_RUNS];
		for (int i = 0; i < runs; i++) {
			double w = ms(CLOCK_MONOTONIC), c = ms(CLOCK_PROCESS_CPUTIME_ID);
			pv_sql_opts so = {.no_progress = true};
			if (pv_sql_open(&v, 1, &so, &d, &e))
				die("session", &e);
			wall[i] = ms(CLOCK_MONOTONIC) - w;
			cpu[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
			w = ms(CLOCK_MONOTONIC);
			c = ms(CLOCK_PROCESS_CPUTIME_ID);
			select1(d);
			pv_duck_close(d);
			wall2[i] = ms(CLOCK_MONOTONIC) - w;
			cpu2[i] = ms(CLOCK_PROCESS_CPUTIME_ID) - c;
		}
		row("session with the view (restricted open + CREATE VIEW)", median(wall, runs),
		    median(cpu, runs));
		row("  then SELECT 1 and close", median(wall2, runs), median(cpu2, runs));
		pv_dataset_free(ds);
	}
	return 0;
}
