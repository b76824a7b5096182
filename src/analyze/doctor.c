/*
 * doctor.c - the doctor's driver: file-level checks on the footer (row
 * counts, sizes, byte ranges of column chunks), the column chunks checked
 * on the thread pool (doctor_chunk.c), findings gathered in file order,
 * layout advice (doctor_layout.c), and the report as JSON.
 * Includes base, format, io, read and analyze/doctor*.h; nothing from sql,
 * server or cli.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/doctor_internal.h"
#include "base/pool.h"
#include "read/pagewalk.h"
#include "base/banned.h"

/* Overlapping byte ranges reported per file; the rest are counted. */
#define MAX_OVERLAPS 10

const char *pv_doctor_severity_name(int s)
{
	switch (s) {
	case PV_DOCTOR_ERROR:
		return "error";
	case PV_DOCTOR_WARNING:
		return "warning";
	case PV_DOCTOR_INFO:
		return "info";
	}
	return "unknown";
}

static char *dup_or_null(const char *s, bool *nomem)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*nomem = true;
	return d;
}

int pv_doctor_add(pv_doctor_list *l, pv_doctor_severity sev, const char *check, int64_t row_group,
		  int64_t column, const char *column_path, int64_t page, int64_t row,
		  const char *stored, const char *actual, const char *fmt, ...)
{
	if (l->n == l->cap) {
		size_t c = l->cap ? l->cap * 2 : 8;
		pv_doctor_finding *m = realloc(l->v, c * sizeof *m);
		if (!m) {
			l->nomem = true;
			return PV_ENOMEM;
		}
		l->v = m;
		l->cap = c;
	}
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pv_doctor_finding *f = &l->v[l->n];
	memset(f, 0, sizeof *f);
	bool nomem = false;
	f->severity = sev;
	f->check = check;
	f->row_group = row_group;
	f->column = column;
	f->column_path = dup_or_null(column_path, &nomem);
	f->page = page;
	f->row = row;
	f->message = dup_or_null(msg, &nomem);
	f->stored = dup_or_null(stored, &nomem);
	f->actual = dup_or_null(actual, &nomem);
	if (nomem || !f->message) {
		free((char *)f->column_path);
		free(f->message);
		free(f->stored);
		free(f->actual);
		l->nomem = true;
		return PV_ENOMEM;
	}
	l->n++;
	return 0;
}

void pv_doctor_list_release(pv_doctor_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].column_path);
		free(l->v[i].message);
		free(l->v[i].stored);
		free(l->v[i].actual);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Moves every finding of src to the end of dst (src is left empty). */
static void list_take(pv_doctor_list *dst, pv_doctor_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			size_t c = dst->cap ? dst->cap * 2 : 8;
			pv_doctor_finding *m = realloc(dst->v, c * sizeof *m);
			if (!m) {
				dst->nomem = true;
				/* keep the rest in src so that they are freed */
				memmove(src->v, src->v + i, (src->n - i) * sizeof *src->v);
				src->n -= i;
				return;
			}
			dst->v = m;
			dst->cap = c;
		}
		dst->v[dst->n++] = src->v[i];
	}
	if (src->nomem)
		dst->nomem = true;
	src->n = 0;
}

void pv_doctor_report_init(pv_doctor_report *r)
{
	memset(r, 0, sizeof *r);
}

void pv_doctor_report_release(pv_doctor_report *r)
{
	if (!r)
		return;
	free(r->path);
	pv_doctor_list_release(&r->findings);
	pv_doctor_list_release(&r->advice);
	memset(r, 0, sizeof *r);
}

static void count_severities(pv_doctor_report *r)
{
	r->n_errors = r->n_warnings = r->n_infos = 0;
	for (size_t i = 0; i < r->findings.n; i++) {
		switch (r->findings.v[i].severity) {
		case PV_DOCTOR_ERROR:
			r->n_errors++;
			break;
		case PV_DOCTOR_WARNING:
			r->n_warnings++;
			break;
		case PV_DOCTOR_INFO:
			r->n_infos++;
			break;
		}
	}
}

int pv_doctor_unreadable(const char *path, const pv_err *why, pv_doctor_report *out, pv_err *err)
{
	out->path = strdup(path);
	out->unreadable = true;
	const char *msg = why && why->msg[0] ? why->msg : "unreadable";
	size_t n = strlen(path);
	/* the dataset's messages start with the path, which the report has */
	if (!strncmp(msg, path, n) && !strncmp(msg + n, ": ", 2))
		msg += n + 2;
	if (!out->path ||
	    pv_doctor_add(&out->findings, PV_DOCTOR_ERROR, "footer", -1, -1, NULL, -1, -1, NULL, NULL,
			  "%s", msg))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	count_severities(out);
	return 0;
}

/* ------------------------------------------------------------------ file level */

typedef struct range {
	int64_t start, end;
	int64_t rg, col; /* -1, -1 for the footer */
} range;

static int cmp_range(const void *a, const void *b)
{
	const range *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->rg != y->rg)
		return x->rg < y->rg ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static void range_name(const pv_pfile *pf, const range *r, char *out, size_t n)
{
	if (r->rg < 0)
		snprintf(out, n, "the footer [%lld, %lld)", (long long)r->start, (long long)r->end);
	else
		snprintf(out, n, "row group %lld column '%s' [%lld, %lld)", (long long)r->rg,
			 pf->schema->leaves[r->col]->path, (long long)r->start, (long long)r->end);
}

static void check_file(const pv_pfile *pf, pv_doctor_list *l)
{
	const pv_file_meta *m = pf->meta;
	int64_t sum = 0;
	for (size_t g = 0; g < m->n_row_groups; g++)
		sum += m->row_groups[g].num_rows;
	if (sum != m->num_rows) {
		char s[32], a[32];
		snprintf(s, sizeof s, "%lld", (long long)m->num_rows);
		snprintf(a, sizeof a, "%lld", (long long)sum);
		pv_doctor_add(l, PV_DOCTOR_ERROR, "footer", -1, -1, NULL, -1, -1, s, a,
			      "the row groups' num_rows add up to %lld, the footer's num_rows is %lld",
			      (long long)sum, (long long)m->num_rows);
	}
	size_t n_ranges = 0, cap = 1;
	for (size_t g = 0; g < m->n_row_groups; g++)
		cap += m->row_groups[g].n_columns;
	range *rs = calloc(cap, sizeof *rs);
	if (!rs) {
		l->nomem = true;
		return;
	}
	int64_t footer_start = pf->size - 8 - pf->footer_len;
	rs[n_ranges++] = (range){ footer_start, pf->size, -1, -1 };
	for (size_t g = 0; g < m->n_row_groups; g++) {
		const pv_row_group *rg = &m->row_groups[g];
		int64_t comp = 0, uncomp = 0;
		bool sizes_known = true;
		for (size_t c = 0; c < rg->n_columns; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			if (!cc->has_meta_data) {
				sizes_known = false;
				continue;
			}
			comp += cc->meta_data.total_compressed_size;
			uncomp += cc->meta_data.total_uncompressed_size;
			int64_t s, e;
			pv_err err;
			if (pv_pagewalk_chunk_range(cc, pf->size, &s, &e, &err)) {
				if (err.code != PV_EUNSUPPORTED)
					pv_doctor_add(l, PV_DOCTOR_ERROR, "layout", (int64_t)g, (int64_t)c,
						      pf->schema->leaves[c]->path, -1, -1, NULL, NULL, "%s",
						      err.msg);
				continue;
			}
			if (s < 4 && e > s)
				pv_doctor_add(l, PV_DOCTOR_ERROR, "layout", (int64_t)g, (int64_t)c,
					      pf->schema->leaves[c]->path, -1, -1, NULL, NULL,
					      "column chunk [%lld, %lld) overlaps the leading magic",
					      (long long)s, (long long)e);
			if (e > s)
				rs[n_ranges++] = (range){ s, e, (int64_t)g, (int64_t)c };
		}
		if (!sizes_known)
			continue;
		/* total_byte_size is the uncompressed size; some writers put the
		 * compressed one there: both are plausible */
		if (rg->total_byte_size != uncomp && rg->total_byte_size != comp) {
			char s[32], a[32];
			snprintf(s, sizeof s, "%lld", (long long)rg->total_byte_size);
			snprintf(a, sizeof a, "%lld", (long long)uncomp);
			pv_doctor_add(l, PV_DOCTOR_WARNING, "footer", (int64_t)g, -1, NULL, -1, -1, s, a,
				      "total_byte_size differs from the column chunks' uncompressed sizes");
		}
		if (rg->has_total_compressed_size && rg->total_compressed_size != comp) {
			char s[32], a[32];
			snprintf(s, sizeof s, "%lld", (long long)rg->total_compressed_size);
			snprintf(a, sizeof a, "%lld", (long long)comp);
			pv_doctor_add(l, PV_DOCTOR_WARNING, "footer", (int64_t)g, -1, NULL, -1, -1, s, a,
				      "total_compressed_size differs from the column chunks' compressed sizes");
		}
	}
	qsort(rs, n_ranges, sizeof *rs, cmp_range);
	/* a sweep: each range against the furthest-reaching one before it */
	size_t far = 0, n_over = 0;
	for (size_t i = 1; i < n_ranges; i++) {
		if (rs[i].start < rs[far].end) {
			if (n_over++ < MAX_OVERLAPS) {
				char a[256], b[256];
				range_name(pf, &rs[i], a, sizeof a);
				range_name(pf, &rs[far], b, sizeof b);
				pv_doctor_add(l, PV_DOCTOR_ERROR, "layout", rs[i].rg,
					      rs[i].col, rs[i].rg >= 0 ? pf->schema->leaves[rs[i].col]->path : NULL,
					      -1, -1, NULL, NULL, "%s overlaps %s", a, b);
			}
		}
		if (rs[i].end > rs[far].end)
			far = i;
	}
	if (n_over > MAX_OVERLAPS)
		pv_doctor_add(l, PV_DOCTOR_ERROR, "layout", -1, -1, NULL, -1, -1, NULL, NULL,
			      "%zu more overlapping byte ranges", n_over - MAX_OVERLAPS);
	free(rs);
}

/* ------------------------------------------------------------------ driver */

typedef struct run {
	pv_doc_file f;
	pv_doc_chunk *chunks;
	size_t *todo;            /* indices into chunks */
	const pv_doctor_opts *opts;
	pthread_mutex_t lock;
	int64_t done_bytes, total_bytes;
} run;

static void run_one(void *ctx, size_t i)
{
	run *r = ctx;
	pv_doc_chunk *c = &r->chunks[r->todo[i]];
	pv_doc_chunk_check(&r->f, c);
	if (r->opts && r->opts->progress) {
		const pv_column_chunk *cc = &r->f.pf->meta->row_groups[c->rg].columns[c->col];
		pthread_mutex_lock(&r->lock);
		if (cc->has_meta_data)
			r->done_bytes += cc->meta_data.total_compressed_size;
		r->opts->progress(r->opts->progress_ctx, r->done_bytes, r->total_bytes);
		pthread_mutex_unlock(&r->lock);
	}
}

static bool selected(const pv_schema_node *leaf, const pv_doctor_opts *o)
{
	if (!o || !o->columns || o->n_columns == 0)
		return true;
	for (size_t i = 0; i < o->n_columns; i++)
		if (pv_schema_path_under(leaf->path, o->columns[i]))
			return true;
	return false;
}

int pv_doctor_file(const pv_pfile *pf, const pv_doctor_opts *opts, pv_doctor_report *out,
		   pv_err *err)
{
	const pv_file_meta *m = pf->meta;
	size_t n_leaves = pf->schema->n_leaves;
	out->path = strdup(pf->path);
	if (!out->path)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	out->n_rows = m->num_rows;
	out->n_row_groups = (int64_t)m->n_row_groups;
	check_file(pf, &out->findings);

	run r;
	memset(&r, 0, sizeof r);
	r.opts = opts;
	r.f.pf = pf;
	size_t n_chunks = m->n_row_groups * n_leaves;
	r.chunks = calloc(n_chunks ? n_chunks : 1, sizeof *r.chunks);
	r.todo = calloc(n_chunks ? n_chunks : 1, sizeof *r.todo);
	r.f.rg_first_row = calloc(m->n_row_groups ? m->n_row_groups : 1, sizeof *r.f.rg_first_row);
	if (!r.chunks || !r.todo || !r.f.rg_first_row) {
		free(r.chunks);
		free(r.todo);
		free(r.f.rg_first_row);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	int64_t row = 0;
	for (size_t g = 0; g < m->n_row_groups; g++) {
		r.f.rg_first_row[g] = row;
		row += m->row_groups[g].num_rows;
	}
	size_t n_todo = 0;
	for (size_t g = 0; g < m->n_row_groups; g++)
		for (size_t c = 0; c < n_leaves && c < m->row_groups[g].n_columns; c++) {
			pv_doc_chunk *ch = &r.chunks[g * n_leaves + c];
			ch->rg = g;
			ch->col = c;
			if (!selected(pf->schema->leaves[c], opts))
				continue;
			r.todo[n_todo++] = g * n_leaves + c;
			const pv_column_chunk *cc = &m->row_groups[g].columns[c];
			if (cc->has_meta_data)
				r.total_bytes += cc->meta_data.total_compressed_size;
		}
	int rc = 0;
	if (n_todo > 0) {
		if ((rc = pv_source_open(pf->path, &r.f.src, err)) == 0) {
			pthread_mutex_init(&r.lock, NULL);
			pv_pool_for(opts ? opts->n_threads : 0, n_todo, run_one, &r);
			pthread_mutex_destroy(&r.lock);
			pv_source_close(r.f.src);
		}
	}
	for (size_t i = 0; i < n_chunks; i++) {
		pv_doc_chunk *ch = &r.chunks[i];
		if (!ch->checked)
			continue;
		out->n_chunks++;
		out->n_pages += ch->n_pages;
		out->n_values += ch->n_values;
		list_take(&out->findings, &ch->findings);
	}
	if (rc == 0 && !(opts && opts->no_advice))
		pv_doc_advise(pf, r.chunks, &out->advice);
	for (size_t i = 0; i < n_chunks; i++)
		pv_doc_chunk_release(&r.chunks[i]);
	free(r.chunks);
	free(r.todo);
	free(r.f.rg_first_row);
	count_severities(out);
	if (rc == 0 && (out->findings.nomem || out->advice.nomem))
		rc = pv_err_set(err, PV_ENOMEM, "out of memory while recording findings");
	return rc;
}

/* ------------------------------------------------------------------ JSON */

void pv_doctor_report_json(const pv_doctor_report *r, pv_json *j)
{
	pv_json_object_begin(j);
	pv_json_kstr(j, "path", r->path);
	pv_json_kbool(j, "unreadable", r->unreadable);
	if (!r->unreadable) {
		pv_json_kint(j, "rows", r->n_rows);
		pv_json_kint(j, "row_groups", r->n_row_groups);
		pv_json_kint(j, "column_chunks", r->n_chunks);
		pv_json_kint(j, "pages", r->n_pages);
		pv_json_kint(j, "values", r->n_values);
	}
	pv_json_kint(j, "errors", (int64_t)r->n_errors);
	pv_json_kint(j, "warnings", (int64_t)r->n_warnings);
	pv_json_kint(j, "infos", (int64_t)r->n_infos);
	pv_json_key(j, "findings");
	pv_json_array_begin(j);
	for (size_t i = 0; i < r->findings.n; i++) {
		const pv_doctor_finding *f = &r->findings.v[i];
		pv_json_object_begin(j);
		pv_json_kstr(j, "severity", pv_doctor_severity_name(f->severity));
		pv_json_kstr(j, "check", f->check);
		if (f->row_group >= 0)
			pv_json_kint(j, "row_group", f->row_group);
		if (f->column_path)
			pv_json_kstr(j, "column", f->column_path);
		if (f->page >= 0)
			pv_json_kint(j, "page", f->page);
		if (f->row >= 0)
			pv_json_kint(j, "row", f->row);
		pv_json_kstr(j, "message", f->message);
		if (f->stored)
			pv_json_kstr(j, "stored", f->stored);
		if (f->actual)
			pv_json_kstr(j, "actual", f->actual);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_key(j, "advice");
	pv_json_array_begin(j);
	for (size_t i = 0; i < r->advice.n; i++) {
		const pv_doctor_finding *f = &r->advice.v[i];
		pv_json_object_begin(j);
		pv_json_kstr(j, "check", f->check);
		if (f->column_path)
			pv_json_kstr(j, "column", f->column_path);
		pv_json_kstr(j, "message", f->message);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_object_end(j);
}
