/*
 * batch.c - row group readers and the file stream (see batch.h): one
 * column chunk reader per selected leaf, their rows assembled into one
 * struct array per read. Includes base, format, io and read.
 */
#include "read/batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "read/assemble.h"
#include "read/chunk.h"
#include "base/banned.h"

/* Reads of at least this many rows decode their columns in parallel, and
 * so do all reads when one page of each column is expected to decompress
 * to PARALLEL_BYTES in all (writers such as DuckDB write one page per
 * column chunk: even a single row costs a whole page). */
#define PARALLEL_ROWS 8192
#define PARALLEL_BYTES ((int64_t)8 << 20)
#define DEFAULT_STREAM_ROWS 65536

int pv_batch_schema(const pv_pfile *pf, const size_t *fields, size_t n_fields,
		    struct ArrowSchema *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	pv_atree t;
	int rc = pv_atree_build(&t, pf->schema, fields, n_fields, err);
	if (!rc)
		rc = pv_atree_schema(&t, out, err);
	pv_atree_release(&t);
	return rc;
}

struct pv_rgreader {
	pv_source *src;
	const pv_pfile *pf;
	size_t row_group;
	int64_t rows;
	pv_atree tree;
	pv_chunk **chunks;  /* one per tree leaf */
	pv_colbuf *cols;
	pv_err *errs;       /* per leaf, for parallel reads */
	int64_t first, count;
	int64_t next;       /* pv_rgreader_set_next, -1 unknown */
	int64_t page_bytes; /* expected uncompressed bytes of one page per column */
	int n_threads;      /* pv_batch_opts.n_threads */
	size_t keep_min;    /* pv_batch_opts.keep_page_min */
};

int64_t pv_batch_page_estimate(const pv_column_chunk *cc)
{
	const pv_column_meta *m = &cc->meta_data;
	int64_t pages = 0;
	for (size_t i = 0; m->has_encoding_stats && i < m->n_encoding_stats; i++) {
		const pv_page_encoding_stats *st = &m->encoding_stats[i];
		if ((st->page_type == PV_PAGE_DATA || st->page_type == PV_PAGE_DATA_V2) && st->count > 0)
			pages += st->count;
	}
	int64_t size = m->total_uncompressed_size > 0 ? m->total_uncompressed_size : 0;
	return pages > 0 ? size / pages : size;
}

static void prefix_column(const pv_rgreader *r, size_t i, pv_err *err)
{
	pv_err_prefix(err, "row group %zu: column '%s'", r->row_group, r->tree.leaves[i]->path);
}

int pv_rgreader_open(pv_source *src, const pv_pfile *pf, size_t row_group, const size_t *fields,
		     size_t n_fields, const pv_batch_opts *opts, pv_rgreader **out, pv_err *err)
{
	*out = NULL;
	if (row_group >= pf->meta->n_row_groups)
		return pv_err_set(err, PV_EINVAL, "row group %zu out of range (the file has %zu)",
				  row_group, pf->meta->n_row_groups);
	pv_rgreader *r = calloc(1, sizeof *r);
	if (!r)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	r->src = src;
	r->pf = pf;
	r->row_group = row_group;
	r->rows = pf->meta->row_groups[row_group].num_rows;
	r->next = -1;
	int rc = pv_atree_build(&r->tree, pf->schema, fields, n_fields, err);
	if (rc) {
		pv_rgreader_close(r);
		return rc;
	}
	size_t n = r->tree.n_leaves;
	r->chunks = calloc(n ? n : 1, sizeof *r->chunks);
	r->cols = calloc(n ? n : 1, sizeof *r->cols);
	r->errs = calloc(n ? n : 1, sizeof *r->errs);
	if (!r->chunks || !r->cols || !r->errs) {
		pv_rgreader_close(r);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pv_chunk_opts copts = { false, 0, 0 };
	if (opts) {
		copts.verify_crc = opts->verify_crc;
		copts.max_page_bytes = opts->max_page_bytes;
		copts.stream_min = opts->stream_min;
		r->n_threads = opts->n_threads;
		r->keep_min = opts->keep_page_min;
	}
	size_t batch_cap = opts && opts->max_batch_bytes ? opts->max_batch_bytes : 0;
	if (batch_cap > (size_t)PV_BATCH_MAX_OFFSET)
		batch_cap = (size_t)PV_BATCH_MAX_OFFSET;
	for (size_t i = 0; i < n; i++) {
		pv_colbuf_init(&r->cols[i], batch_cap);
		size_t col = r->tree.leaves[i]->leaf_index;
		rc = pv_chunk_open(src, pf, row_group, col, &copts, &r->chunks[i], err);
		if (rc) {
			prefix_column(r, i, err);
			pv_rgreader_close(r);
			return rc;
		}
		int64_t est = pv_batch_page_estimate(&pf->meta->row_groups[row_group].columns[col]);
		r->page_bytes = est > INT64_MAX - r->page_bytes ? INT64_MAX : r->page_bytes + est;
	}
	*out = r;
	return 0;
}

int64_t pv_rgreader_rows(const pv_rgreader *r)
{
	return r->rows;
}

void pv_rgreader_close(pv_rgreader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->tree.n_leaves; i++) {
		if (r->chunks)
			pv_chunk_close(r->chunks[i]);
		if (r->cols)
			pv_colbuf_release(&r->cols[i]);
	}
	free(r->chunks);
	free(r->cols);
	free(r->errs);
	pv_atree_release(&r->tree);
	free(r);
}

static int read_leaf(pv_rgreader *r, size_t i, pv_err *err)
{
	pv_colbuf_reset(&r->cols[i]);
	int rc = pv_chunk_seek_for(r->chunks[i], r->first, r->count, err);
	if (!rc)
		rc = pv_chunk_read(r->chunks[i], r->count, &r->cols[i], err);
	/* the column's values are in cols[i] now: the page can go */
	if (!rc && r->next >= 0) {
		bool small = pv_chunk_page_bytes(r->chunks[i]) < r->keep_min;
		pv_chunk_drop_page(r->chunks[i], small ? INT64_MAX : r->next);
	}
	return rc;
}

void pv_rgreader_set_next(pv_rgreader *r, int64_t next)
{
	r->next = next < 0 ? -1 : next;
}

static void read_leaf_task(void *ctx, size_t i)
{
	pv_rgreader *r = ctx;
	pv_err_clear(&r->errs[i]);
	read_leaf(r, i, &r->errs[i]);
}

int pv_rgreader_read(pv_rgreader *r, int64_t first, int64_t count, struct ArrowArray *out,
		     pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (first < 0 || count < 0 || first > r->rows || count > r->rows - first)
		return pv_err_set(err, PV_EINVAL,
				  "rows [%lld, %lld) are outside row group %zu of %lld rows",
				  (long long)first, (long long)(first + count), r->row_group,
				  (long long)r->rows);
	size_t n = r->tree.n_leaves;
	r->first = first;
	r->count = count;
	int rc = 0;
	if (count > 0 && n > 1 && r->n_threads != 1 &&
	    (count >= PARALLEL_ROWS || r->page_bytes >= PARALLEL_BYTES)) {
		int threads = r->n_threads > 0 ? r->n_threads : pv_pool_ncpu();
		if ((size_t)threads > n)
			threads = (int)n;
		pv_pool_for(threads, n, read_leaf_task, r);
		for (size_t i = 0; i < n; i++) {
			if (r->errs[i].code) {
				pv_err_copy(err, &r->errs[i]);
				rc = r->errs[i].code;
				prefix_column(r, i, err);
				break;
			}
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			if (count == 0) {
				pv_colbuf_reset(&r->cols[i]);
				continue;
			}
			if ((rc = read_leaf(r, i, err))) {
				prefix_column(r, i, err);
				break;
			}
		}
	}
	if (!rc) {
		rc = pv_assemble(&r->tree, r->cols, count, out, err);
		if (rc)
			pv_err_prefix(err, "row group %zu", r->row_group);
	}
	for (size_t i = 0; i < n; i++)
		pv_colbuf_reset(&r->cols[i]);
	r->next = -1;
	return rc;
}

/* ------------------------------------------------------------------ the stream */

typedef struct stream_priv {
	pv_source *src;
	pv_pfile *pf;
	size_t *fields;      /* NULL: all */
	size_t n_fields;
	pv_batch_opts opts;
	int64_t batch_rows;
	size_t rg;           /* the next row group to open */
	pv_rgreader *r;      /* the open row group */
	int64_t pos;         /* next row in it */
	char *path;
	char msg[PV_ERR_MSG_MAX];
} stream_priv;

static int errno_of(int code)
{
	switch (code) {
	case PV_ENOMEM: return ENOMEM;
	case PV_EINVAL: return EINVAL;
	default: return EIO;
	}
}

static int stream_fail(stream_priv *p, pv_err *e)
{
	pv_err_prefix(e, "%s", p->path);
	snprintf(p->msg, sizeof p->msg, "%s", e->msg);
	return errno_of(e->code);
}

static int stream_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
	stream_priv *p = s->private_data;
	pv_err e;
	pv_err_clear(&e);
	if (pv_batch_schema(p->pf, p->fields, p->n_fields, out, &e))
		return stream_fail(p, &e);
	return 0;
}

static int stream_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
	stream_priv *p = s->private_data;
	pv_err e;
	pv_err_clear(&e);
	memset(out, 0, sizeof *out);
	for (;;) {
		if (!p->r) {
			if (p->rg >= p->pf->meta->n_row_groups)
				return 0;
			if (pv_rgreader_open(p->src, p->pf, p->rg, p->fields, p->n_fields, &p->opts,
					     &p->r, &e))
				return stream_fail(p, &e);
			p->pos = 0;
		}
		int64_t rows = pv_rgreader_rows(p->r);
		if (p->pos >= rows) {
			pv_rgreader_close(p->r);
			p->r = NULL;
			p->rg++;
			continue;
		}
		int64_t n = rows - p->pos < p->batch_rows ? rows - p->pos : p->batch_rows;
		if (pv_rgreader_read(p->r, p->pos, n, out, &e))
			return stream_fail(p, &e);
		p->pos += n;
		return 0;
	}
}

static const char *stream_error(struct ArrowArrayStream *s)
{
	stream_priv *p = s->private_data;
	return p && p->msg[0] ? p->msg : NULL;
}

static void stream_release(struct ArrowArrayStream *s)
{
	if (!s || !s->release)
		return;
	stream_priv *p = s->private_data;
	if (p) {
		pv_rgreader_close(p->r);
		pv_pfile_free(p->pf);
		pv_source_close(p->src);
		free(p->fields);
		free(p->path);
		free(p);
	}
	s->release = NULL;
	s->private_data = NULL;
}

int pv_batch_stream_open(const char *path, const size_t *fields, size_t n_fields,
			 const pv_batch_opts *opts, int64_t batch_rows,
			 struct ArrowArrayStream *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	stream_priv *p = calloc(1, sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	out->private_data = p;
	out->release = stream_release;
	int rc = 0;
	p->path = strdup(path);
	if (!p->path) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto fail;
	}
	if (opts)
		p->opts = *opts;
	p->batch_rows = batch_rows > 0 ? batch_rows : DEFAULT_STREAM_ROWS;
	if (fields) {
		p->fields = malloc((n_fields ? n_fields : 1) * sizeof *p->fields);
		if (!p->fields) {
			rc = pv_err_set(err, PV_ENOMEM, "out of memory");
			goto fail;
		}
		if (n_fields)
			memcpy(p->fields, fields, n_fields * sizeof *fields);
		p->n_fields = n_fields;
	}
	if ((rc = pv_source_open(path, &p->src, err)))
		goto fail;
	if ((rc = pv_pfile_load(p->src, &p->pf, err))) {
		pv_err_prefix(err, "%s", path);
		goto fail;
	}
	/* check the selection now rather than at the first batch */
	struct ArrowSchema probe;
	if ((rc = pv_batch_schema(p->pf, p->fields, p->n_fields, &probe, err))) {
		pv_err_prefix(err, "%s", path);
		goto fail;
	}
	probe.release(&probe);
	out->get_schema = stream_schema;
	out->get_next = stream_next;
	out->get_last_error = stream_error;
	return 0;
fail:
	stream_release(out);
	return rc;
}
