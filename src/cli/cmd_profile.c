/*
 * cmd_profile.c - `parqview profile PATH...`: per-column profiles of a
 * dataset (analyze/profile.h), as a terminal report or JSON; --save writes
 * the mergeable state, --merge combines saved states.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/profile.h"
#include "base/json.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "render/bars.h"
#include "render/cell.h"
#include "render/units.h"
#include "render/width.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview profile PATH... [--columns a,b] [--by COLUMN] [--max-chars N]\n"
	"                        [--top N] [--threads N] [--footer] [--only GROUPS]\n"
	"                        [--save FILE] [--json]\n"
	"       parqview profile --merge STATE... [--top N] [--json]\n"
	"\n"
	"Profiles every column: rows, NULLs, distinct values (exact up to 65,536, then\n"
	"HyperLogLog, +-1.6%), min/max, mean and standard deviation, quantiles (KLL,\n"
	"+-1.33% in rank), a histogram, the most frequent values, string lengths in\n"
	"characters and bytes with the count over --max-chars, list lengths, booleans'\n"
	"true share, time ranges, and for lists of floats (embeddings) dimensions,\n"
	"NaN/inf and all-zero vectors, norms and the mean vector. Row groups are read\n"
	"in parallel; columns the footers show to be all NULL are not decoded.\n"
	"\n"
	"  --columns a,b    profile only these columns\n"
	"  --by COLUMN      one profile per value of COLUMN (a column or partition key;\n"
	"                   at most 1,000 values)\n"
	"  --max-chars N    count strings longer than N characters (default 8192)\n"
	"  --top N          frequent values shown per column (default 5; 0: none)\n"
	"  --threads N      worker threads (default: one per CPU)\n"
	"  --footer         only what the footers answer (rows, NULLs, min/max); no decoding\n"
	"  --only GROUPS    compute only these stat groups, a comma list of nulls, distinct,\n"
	"                   top, moments, quantiles, lengths, histogram, embedding (default\n"
	"                   all); e.g. --only lengths: string lengths and the count over\n"
	"                   --max-chars without hashing values or sketching quantiles\n"
	"  --save FILE      also write the mergeable profile state to FILE\n"
	"  --merge          the PATHs are saved states: combine them and print the profile\n"
	"  --verify         check page CRCs while reading\n"
	"  --json           the profile as one JSON document (README \"profile\")\n"
	"  --color WHEN     auto, always or never\n";

typedef struct report {
	FILE *out;
	const pv_term *term;
	size_t top;
	pv_buf buf;
	pv_err err;
} report;

/* Symbols that need UTF-8, with their ASCII stand-ins. */
static const char *pm(const report *r)
{
	return r->term->utf8 ? "\u00b1" : "+-";
}

static const char *times(const report *r)
{
	return r->term->utf8 ? "\u00d7" : "x";
}

static const char *count(int64_t v, char *b)
{
	return pv_units_count(v, b, PV_UNITS_BUF);
}

/* "12.3", "1.23e+09", "0.000123": short numbers for the report. */
static const char *num(double v, char *b, size_t n)
{
	if (isnan(v))
		snprintf(b, n, "NaN");
	else if (v != 0 && (fabs(v) >= 1e9 || fabs(v) < 1e-4))
		snprintf(b, n, "%.4g", v);
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(b, n, "%.0f", v);
	else
		snprintf(b, n, "%.*f", fabs(v) >= 100 ? 1 : fabs(v) >= 1 ? 3 : 4, v);
	return b;
}

/* "1.2M", "48.9K", "812" for approximate counts. */
static const char *approx(double v, char *b, size_t n)
{
	if (v >= 1e9)
		snprintf(b, n, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(b, n, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(b, n, "%.1fK", v / 1e3);
	else
		snprintf(b, n, "%.0f", v);
	return b;
}

/* A value's text for the report: escaped, cut to max display columns. */
static const char *value_text(report *r, const pv_value *v, size_t max)
{
	pv_buf t;
	pv_buf_init(&t, 0);
	pv_buf_reset(&r->buf);
	if (pv_cell_text(v, &t, &r->err) || pv_width_truncate(t.data ? t.data : "", t.len, max,
							       &r->buf, NULL, &r->err) ||
	    pv_buf_putc(&r->buf, '\0', &r->err)) {
		pv_buf_release(&t);
		return "?";
	}
	pv_buf_release(&t);
	return r->buf.data;
}

static void print_quantiles(report *r, const char *label, const pv_kll *k)
{
	double q[PV_PROF_N_QUANTILES];
	if (!k->n || pv_kll_quantiles(k, pv_prof_quantiles, PV_PROF_N_QUANTILES, q))
		return;
	static const char *const names[] = { "p1", "p5", "p25", "p50", "p75", "p95", "p99" };
	char b[40];
	fprintf(r->out, "  %-10s", label);
	for (size_t i = 0; i < PV_PROF_N_QUANTILES; i++)
		fprintf(r->out, " %s %s", names[i], num(q[i], b, sizeof b));
	if (pv_kll_exact(k))
		fprintf(r->out, "  (exact)\n");
	else
		fprintf(r->out, "  (rank %s%.2f%%)\n", pm(r), PV_KLL_RANK_ERROR * 100);
}

static void print_lengths(report *r, const char *label, const pv_lenstats *l)
{
	double q[PV_PROF_N_QUANTILES];
	if (!l->n)
		return;
	char a[40], b[40], c[40], d[40], e[40], f[40];
	if (!l->kll.n) { /* --only without quantiles */
		fprintf(r->out, "  %-10s min %s  mean %s  max %s\n", label, count(l->min, a),
			num((double)l->sum / (double)l->n, b, sizeof b), count(l->max, f));
		return;
	}
	if (pv_kll_quantiles(&l->kll, pv_prof_quantiles, PV_PROF_N_QUANTILES, q))
		return;
	fprintf(r->out, "  %-10s min %s  mean %s  p50 %s  p95 %s  p99 %s  max %s\n", label,
		count(l->min, a), num((double)l->sum / (double)l->n, b, sizeof b),
		num(q[3], c, sizeof c), num(q[5], d, sizeof d), num(q[6], e, sizeof e),
		count(l->max, f));
}

static void print_histogram(report *r, const pv_colprof *c)
{
	enum { BINS = 8 };
	double edges[BINS + 1];
	int64_t counts[BINS];
	if (!pv_colprof_histogram(c, BINS, edges, counts))
		return;
	int64_t most = 1;
	for (size_t i = 0; i < BINS; i++)
		most = counts[i] > most ? counts[i] : most;
	fprintf(r->out, "  histogram  (%s)\n",
		pv_kll_exact(&c->values) ? "exact" : "bin counts from the quantile sketch");
	for (size_t i = 0; i < BINS; i++) {
		char a[40], b[40], n[PV_UNITS_BUF], bar[128];
		fprintf(r->out, "    %12s .. %-12s %10s  %s\n", num(edges[i], a, sizeof a),
			num(edges[i + 1], b, sizeof b), count(counts[i], n),
			pv_bar((double)counts[i] / (double)most, 30, r->term->utf8, bar, sizeof bar));
	}
}

static void print_top(report *r, const pv_profile_column *col, const pv_colprof *c)
{
	if (!r->top || !c->hashes || !c->topk.n)
		return;
	const pv_topk_entry **e = malloc(r->top * sizeof *e);
	if (!e)
		return;
	size_t n = pv_topk_top(&c->topk, e, r->top);
	if (n && e[0]->count == 1 && c->topk.exact) {
		fprintf(r->out, "  top values: every value appears once\n");
		free(e);
		return;
	}
	if (c->topk.exact)
		fprintf(r->out, "  top values (exact counts)\n");
	else
		fprintf(r->out, "  top values (counts may be low by up to %lld)\n",
			(long long)c->topk.error);
	int64_t most = n ? e[0]->count : 1;
	for (size_t i = 0; i < n; i++) {
		pv_value v;
		char b[PV_UNITS_BUF], bar[128];
		pv_profile_entry_value(col, c, e[i], &v);
		const char *t = value_text(r, &v, 32);
		size_t w = pv_width_str(t, strlen(t));
		fprintf(r->out, "    %s%*s %10s  %s\n", t, (int)(w < 32 ? 32 - w : 0), "",
			count(e[i]->count, b),
			pv_bar((double)e[i]->count / (double)(most ? most : 1), 20, r->term->utf8,
			       bar, sizeof bar));
	}
	free(e);
}

static void print_column(report *r, const pv_profile *p, const pv_profile_column *col,
			 const pv_colprof *c)
{
	const pv_term *t = r->term;
	char a[PV_UNITS_BUF], b[PV_UNITS_BUF], x[64], y[64];
	fprintf(r->out, "%s%s%s  %s%s%s%s\n", pv_term_bold(t), col->name, pv_term_reset(t),
		pv_term_dim(t), col->type, col->is_partition ? " (partition)" : "",
		pv_term_reset(t));
	fprintf(r->out, "  rows %s", count(c->rows, a));
	if ((p->stats & PV_PROF_S_NULLS) && (!p->footer_only || col->footer_nulls_known))
		fprintf(r->out, "   nulls %s (%s)", count(c->nulls, b),
			pv_units_percent(c->nulls, c->rows, x, sizeof x));
	if (c->hashes && col->decoded) {
		bool exact;
		double d = pv_colprof_distinct(c, &exact);
		if (exact)
			fprintf(r->out, "   distinct %s", count((int64_t)d, a));
		else
			fprintf(r->out, "   distinct %s %s (%s%.1f%%)", t->utf8 ? "\u2248" : "~",
				approx(d, y, sizeof y), pm(r), PV_HLL_BOUND * 100);
	}
	fprintf(r->out, "\n");
	if (p->footer_only || !col->decoded) {
		if (col->footer_minmax)
			fprintf(r->out, "  min %s   max %s   (footers)\n", col->footer_min,
				col->footer_max);
		if (!col->decoded && !p->footer_only)
			fprintf(r->out, "  not decoded: the footers show only NULLs\n");
		return;
	}
	pv_value v;
	if (pv_profile_minmax_value(col, c, false, &v)) {
		fprintf(r->out, "  min %s", value_text(r, &v, 40));
		pv_profile_minmax_value(col, c, true, &v);
		fprintf(r->out, "   max %s\n", value_text(r, &v, 40));
	}
	switch (col->kind) {
	case PV_PROF_BOOL:
		fprintf(r->out, "  true %s (%s)\n", count(c->n_true, a),
			pv_units_percent(c->n_true, c->rows - c->nulls, x, sizeof x));
		break;
	case PV_PROF_INT:
	case PV_PROF_UINT:
	case PV_PROF_FLOAT:
	case PV_PROF_DECIMAL:
		if (c->mom.n)
			fprintf(r->out, "  mean %s   stddev %s\n", num(c->mom.mean, x, sizeof x),
				num(pv_moments_stddev(&c->mom), y, sizeof y));
		if (c->n_nan || c->n_posinf || c->n_neginf)
			fprintf(r->out, "  NaN %lld   +inf %lld   -inf %lld\n", (long long)c->n_nan,
				(long long)c->n_posinf, (long long)c->n_neginf);
		print_quantiles(r, "quantiles", &c->values);
		print_histogram(r, c);
		break;
	case PV_PROF_STRING:
	case PV_PROF_BINARY:
		print_lengths(r, col->kind == PV_PROF_STRING ? "chars" : "length", &c->chars);
		if (col->kind == PV_PROF_STRING)
			print_lengths(r, "bytes", &c->bytes);
		if (!(c->stats & PV_PROF_S_LENGTHS))
			break;
		fprintf(r->out, "  over %s chars: %s%s%s\n", count(p->max_chars, a),
			c->n_over ? pv_term_yellow(t) : "", count(c->n_over, b),
			c->n_over ? pv_term_reset(t) : "");
		break;
	case PV_PROF_LIST:
	case PV_PROF_EMBEDDING:
		print_lengths(r, "items", &c->items);
		break;
	default:
		break;
	}
	if (col->kind == PV_PROF_EMBEDDING) {
		fprintf(r->out, "  dims      ");
		for (size_t i = 0; i < c->n_dims; i++)
			fprintf(r->out, " %lld%s%s", (long long)c->dims[i], times(r),
				count(c->dim_count[i], a));
		if (c->dim_other)
			fprintf(r->out, " other%s%s", times(r), count(c->dim_other, a));
		fprintf(r->out, "%s\n", c->n_dims + (c->dim_other > 0) > 1 ? "  (inconsistent)" : "");
		fprintf(r->out, "  vectors with NaN/inf %s   all-zero %s\n", count(c->n_nonfinite_vec, a),
			count(c->n_zero_vec, b));
		print_quantiles(r, "norm", &c->norms);
		if (c->mean_dim > 0 && c->mean_n > 0) {
			fprintf(r->out, "  mean vector [");
			int64_t shown = c->mean_dim < 6 ? c->mean_dim : 6;
			for (int64_t i = 0; i < shown; i++)
				fprintf(r->out, "%s%s", i ? ", " : "",
					num(c->mean_sum[i] / (double)c->mean_n, x, sizeof x));
			fprintf(r->out, "%s] (%lld dims; all in --json)\n",
				shown < c->mean_dim ? (t->utf8 ? ", \u2026" : ", ...") : "",
				(long long)c->mean_dim);
		}
	}
	print_top(r, col, c);
}

static void print_report(report *r, const pv_profile *p)
{
	char a[PV_UNITS_BUF];
	fprintf(r->out, "%s rows in %lld file%s", count(p->rows, a), (long long)p->n_files,
		p->n_files == 1 ? "" : "s");
	if (p->by)
		fprintf(r->out, ", by '%s' (%zu group%s)", p->by, p->n_groups,
			p->n_groups == 1 ? "" : "s");
	fprintf(r->out, "%s\n", p->footer_only ? ", from the footers only" : "");
	for (size_t g = 0; g < p->n_groups; g++) {
		const pv_profile_group *grp = &p->groups[g];
		if (p->by)
			fprintf(r->out, "\n%s== %s = %s (%s rows) ==%s\n", pv_term_bold(r->term), p->by,
				grp->key, count(grp->rows, a), pv_term_reset(r->term));
		for (size_t i = 0; i < p->n_columns; i++) {
			fprintf(r->out, "\n");
			print_column(r, p, &p->columns[i], &grp->cols[i]);
		}
	}
}

typedef struct prog_ctx {
	pv_progress prog;
} prog_ctx;

static void on_progress(void *ctx, int64_t done)
{
	pv_progress_update(&((prog_ctx *)ctx)->prog, done);
}

int pv_cmd_profile(int argc, char **argv)
{
	enum { O_COLUMNS = 256, O_BY, O_MAX_CHARS, O_TOP, O_THREADS, O_FOOTER, O_SAVE, O_MERGE,
	       O_VERIFY, O_ONLY };
	static const struct option opts[] = {
		PV_CLI_COMMON_OPTS,
		{ "columns", required_argument, NULL, O_COLUMNS },
		{ "by", required_argument, NULL, O_BY },
		{ "max-chars", required_argument, NULL, O_MAX_CHARS },
		{ "top", required_argument, NULL, O_TOP },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "footer", no_argument, NULL, O_FOOTER },
		{ "save", required_argument, NULL, O_SAVE },
		{ "merge", no_argument, NULL, O_MERGE },
		{ "verify", no_argument, NULL, O_VERIFY },
		{ "only", required_argument, NULL, O_ONLY },
		{ NULL, 0, NULL, 0 },
	};
	pv_cli_common com = { 0 };
	pv_profile_opts po = { 0 };
	long long top = 5, v;
	const char *save = NULL;
	bool merge = false;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "profile", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		switch (opt) {
		case O_COLUMNS: po.columns = optarg; break;
		case O_BY: po.by = optarg; break;
		case O_MAX_CHARS:
			if (!pv_cli_parse_i64(optarg, &v) || v < 1)
				return pv_cli_usage("profile", "--max-chars needs a positive number, not '%s'", optarg);
			po.max_chars = v;
			break;
		case O_TOP:
			if (!pv_cli_parse_i64(optarg, &v) || v > 1000)
				return pv_cli_usage("profile", "--top needs a number from 0 to 1000, not '%s'", optarg);
			top = v;
			break;
		case O_THREADS:
			if (!pv_cli_parse_i64(optarg, &v) || v < 1 || v > 1024)
				return pv_cli_usage("profile", "--threads needs a number from 1 to 1024, not '%s'", optarg);
			po.n_threads = (int)v;
			break;
		case O_FOOTER: po.footer_only = true; break;
		case O_SAVE: save = optarg; break;
		case O_MERGE: merge = true; break;
		case O_VERIFY: po.verify_crc = true; break;
		case O_ONLY: {
			pv_err e = { 0 };
			if (pv_prof_stats_parse(optarg, &po.stats, &e))
				return pv_cli_usage("profile", "--only: %s", e.msg);
			break;
		}
		default: return pv_cli_bad_option("profile", argv);
		}
	}
	pv_cli_begin(&com);
	char **paths = argv + optind;
	int n_paths = argc - optind;
	if (n_paths < 1)
		return pv_cli_usage("profile", merge ? "--merge needs saved profile states"
						     : "missing PATH");
	pv_err err = { 0 };
	pv_profile *p = NULL;
	int code = PV_EXIT_OK;
	pv_dataset *ds = NULL;
	if (merge) {
		if (po.columns || po.by || po.max_chars || po.footer_only)
			return pv_cli_usage("profile", "--merge takes the settings of the saved states; "
						       "--columns, --by, --max-chars and --footer do not apply");
		for (int i = 0; i < n_paths; i++) {
			pv_profile *q;
			if (pv_profile_load(paths[i], &q, &err))
				goto fail;
			if (!p) {
				p = q;
				continue;
			}
			int rc = pv_profile_merge(p, q, &err);
			pv_profile_free(q);
			if (rc) {
				pv_err_prefix(&err, "'%s'", paths[i]);
				goto fail;
			}
		}
		pv_profile_sort_groups(p);
	} else {
		ds = pv_cli_open_dataset("profile", paths, n_paths, &code);
		if (!ds)
			return code;
		prog_ctx pc;
		pv_progress_init(&pc.prog, ds->n_rows, true);
		po.progress = on_progress;
		po.progress_ctx = &pc;
		int rc = pv_profile_run(ds, &po, &p, &err);
		pv_progress_end(&pc.prog);
		if (rc) {
			if (rc == PV_EINVAL)
				pv_cli_usage("profile", "%s", err.msg);
			else
				pv_cli_error(&err);
			pv_dataset_free(ds);
			return rc == PV_EINVAL ? PV_EXIT_USAGE : pv_code_exit(rc);
		}
	}
	if (save) {
		if (pv_profile_save(p, save, (const char *const *)paths, (size_t)n_paths, &err))
			goto fail;
	}
	if (com.json) {
		pv_json j;
		pv_json_init_file(&j, stdout, true);
		if (pv_profile_json(p, &j, (size_t)top, 10, &err))
			goto fail;
		if (pv_json_finish(&j)) {
			pv_err_set(&err, PV_EIO, "cannot write the output");
			goto fail;
		}
	} else {
		report r = { .out = stdout, .term = &com.term, .top = (size_t)top };
		pv_buf_init(&r.buf, 0);
		print_report(&r, p);
		pv_buf_release(&r.buf);
	}
	pv_profile_free(p);
	pv_dataset_free(ds);
	return code;
fail:
	code = pv_cli_error(&err);
	pv_profile_free(p);
	pv_dataset_free(ds);
	return code;
}
