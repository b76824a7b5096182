/*
 * genbig.c - rewrites a Parquet file with ordinary page sizes: the same
 * schema, row groups, rows and values (and the footer's statistics), but
 * data pages of about 1 MiB (v1, PLAIN values, RLE levels, zstd level 3,
 * CRCs) each starting at a row, and an OffsetIndex for every column chunk,
 * the way Arrow, Spark and parquet-mr write. bench/gen.sh runs it on
 * DuckDB's big.parquet (one huge page per column chunk, no page index) so
 * that bench/rows.sh can time both shapes of the same data.
 *
 *   genbig IN.parquet OUT.parquet [--page-bytes N]
 *
 * Reads IN column chunk by column chunk through the chunk reader (levels
 * and values, read/chunk.h) and writes the pages with the format layer
 * (page headers, OffsetIndex, FileMetaData) and pv_codec_compress.
 * Columns must be flat or nested values of INT32, INT64, FLOAT, DOUBLE or
 * BYTE_ARRAY kept as they are stored (no INT96, decimals or booleans): what
 * the benchmark file holds. OUT is written atomically. Exit 0, 1 on error,
 * 2 for usage. A tool, not part of parqview; it links libparqview.a.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "codec/codec.h"
#include "encoding/rle.h"
#include "format/meta.h"
#include "format/pages.h"
#include "io/atomic.h"
#include "read/chunk.h"
#include "read/pfile.h"
#include "base/banned.h"

/* Rows read from the input at a time while filling a page. */
#define STEP_ROWS 256

typedef struct out_file {
	FILE *fp;
	int64_t pos;
} out_file;

static int put(out_file *o, const void *p, size_t n, pv_err *err)
{
	if (n && fwrite(p, 1, n, o->fp) != n)
		return pv_err_set(err, PV_EIO, "write failed");
	o->pos += (int64_t)n;
	return 0;
}

/* Levels as RLE runs with the v1 page's 4-byte length prefix. */
static int put_levels(pv_buf *b, const int16_t *lv, size_t n, int max, pv_err *err)
{
	size_t at = b->len;
	uint8_t zero[4] = { 0 };
	int rc = pv_buf_append(b, zero, 4, err);
	size_t nb = (pv_level_width(max) + 7) / 8;
	for (size_t i = 0; !rc && i < n;) {
		size_t k = i + 1;
		while (k < n && lv[k] == lv[i])
			k++;
		uint8_t v[2] = { (uint8_t)lv[i], (uint8_t)((uint16_t)lv[i] >> 8) };
		rc = pv_buf_put_uvarint(b, (uint64_t)(k - i) << 1, err);
		if (!rc)
			rc = pv_buf_append(b, v, nb, err);
		i = k;
	}
	if (rc)
		return rc;
	uint32_t len = (uint32_t)(b->len - at - 4);
	for (int i = 0; i < 4; i++)
		((uint8_t *)b->data)[at + (size_t)i] = (uint8_t)(len >> (8 * i));
	return 0;
}

/* The PLAIN bytes of the non-null values in cb. */
static int put_values(pv_buf *b, const pv_colbuf *cb, const pv_leaftype *lt, pv_err *err)
{
	if (lt->conv == PV_ACONV_COPY)
		return pv_buf_append(b, cb->values, cb->n_values * lt->width, err);
	int rc = 0;
	for (size_t i = 0; !rc && i < cb->n_values; i++) {
		uint32_t len = (uint32_t)(cb->offsets[i + 1] - cb->offsets[i]);
		uint8_t l4[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
				  (uint8_t)(len >> 24) };
		rc = pv_buf_append(b, l4, 4, err);
		if (!rc)
			rc = pv_buf_append(b, cb->values + cb->offsets[i], len, err);
	}
	return rc;
}

typedef struct chunk_out {
	pv_buf body;            /* levels and values of the page being filled */
	pv_colbuf cb;           /* rows read for it */
	pv_buf comp, hdr;
	pv_page_location *locs; /* the chunk's pages */
	size_t n_locs, locs_cap;
	int64_t first_row, uncompressed, compressed;
} chunk_out;

static int flush_page(out_file *o, chunk_out *co, const pv_schema_node *leaf,
		      const pv_leaftype *lt, pv_err *err)
{
	pv_colbuf *cb = &co->cb;
	if (cb->n_rows == 0)
		return 0;
	pv_buf_reset(&co->body);
	int rc = 0;
	if (leaf->max_rep > 0)
		rc = put_levels(&co->body, cb->rep, cb->n_levels, leaf->max_rep, err);
	if (!rc && leaf->max_def > 0)
		rc = put_levels(&co->body, cb->def, cb->n_levels, leaf->max_def, err);
	if (!rc)
		rc = put_values(&co->body, cb, lt, err);
	pv_buf_reset(&co->comp);
	if (!rc)
		rc = pv_codec_compress(PV_CODEC_ZSTD, 3, (const uint8_t *)co->body.data, co->body.len,
				       &co->comp, err);
	if (rc)
		return rc;
	pv_page_header h;
	memset(&h, 0, sizeof h);
	h.type = PV_PAGE_DATA;
	h.uncompressed_page_size = (int32_t)co->body.len;
	h.compressed_page_size = (int32_t)co->comp.len;
	h.has_crc = true;
	h.crc = (int32_t)crc32(0L, (const Bytef *)co->comp.data, (uInt)co->comp.len);
	h.has_data_page_header = true;
	h.data_page_header.num_values = (int32_t)cb->n_levels;
	h.data_page_header.encoding = PV_ENC_PLAIN;
	h.data_page_header.definition_level_encoding = PV_ENC_RLE;
	h.data_page_header.repetition_level_encoding = PV_ENC_RLE;
	pv_buf_reset(&co->hdr);
	if ((rc = pv_page_header_write(&h, &co->hdr, err)))
		return rc;
	if (co->n_locs == co->locs_cap) {
		size_t cap = co->locs_cap ? co->locs_cap * 2 : 64;
		pv_page_location *p = realloc(co->locs, cap * sizeof *p);
		if (!p)
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		co->locs = p;
		co->locs_cap = cap;
	}
	co->locs[co->n_locs++] = (pv_page_location){ .offset = o->pos,
						     .compressed_page_size =
							     (int32_t)(co->hdr.len + co->comp.len),
						     .first_row_index = co->first_row };
	co->uncompressed += (int64_t)(co->hdr.len + co->body.len);
	co->compressed += (int64_t)(co->hdr.len + co->comp.len);
	co->first_row += cb->n_rows;
	if ((rc = put(o, co->hdr.data, co->hdr.len, err)) ||
	    (rc = put(o, co->comp.data, co->comp.len, err)))
		return rc;
	pv_colbuf_reset(cb);
	return 0;
}

/* Writes column chunk (g, c) of pf as pages of about page_bytes into o and
 * fills *cm (a copy of the input's metadata, sizes and offsets rewritten)
 * and co->locs. */
static int write_chunk(pv_source *src, const pv_pfile *pf, size_t g, size_t c, size_t page_bytes,
		       out_file *o, chunk_out *co, pv_column_meta *cm, pv_err *err)
{
	pv_chunk *rd;
	int rc = pv_chunk_open(src, pf, g, c, NULL, &rd, err);
	if (rc)
		return rc;
	const pv_schema_node *leaf = pv_chunk_leaf(rd);
	const pv_leaftype *lt = pv_chunk_type(rd);
	bool binary = lt->conv == PV_ACONV_BINARY && lt->phys == PV_TYPE_BYTE_ARRAY;
	if (lt->conv != PV_ACONV_COPY && !binary) {
		pv_chunk_close(rd);
		return pv_err_set(err, PV_EUNSUPPORTED, "column '%s': type not supported by genbig",
				  leaf->path);
	}
	int64_t rows = pf->meta->row_groups[g].num_rows;
	co->n_locs = 0;
	co->first_row = co->uncompressed = co->compressed = 0;
	pv_colbuf_reset(&co->cb);
	int64_t start = o->pos;
	for (int64_t done = 0; !rc && done < rows;) {
		int64_t n = rows - done < STEP_ROWS ? rows - done : STEP_ROWS;
		if ((rc = pv_chunk_read(rd, n, &co->cb, err)))
			break;
		done += n;
		size_t est = co->cb.values_len + 2 * co->cb.n_levels +
			     (binary ? 4 * co->cb.n_values : 0);
		if (est >= page_bytes || done == rows)
			rc = flush_page(o, co, leaf, lt, err);
	}
	pv_chunk_close(rd);
	if (rc)
		return rc;
	static int32_t encodings[] = { PV_ENC_PLAIN, PV_ENC_RLE };
	*cm = pf->meta->row_groups[g].columns[c].meta_data;
	cm->encodings = encodings;
	cm->n_encodings = 2;
	cm->codec = PV_CODEC_ZSTD;
	cm->total_uncompressed_size = co->uncompressed;
	cm->total_compressed_size = co->compressed;
	cm->data_page_offset = start;
	cm->has_index_page_offset = false;
	cm->has_dictionary_page_offset = false;
	cm->has_encoding_stats = false;
	cm->has_bloom_filter_offset = false;
	cm->has_bloom_filter_length = false;
	cm->has_size_statistics = false;
	return 0;
}

static int rewrite(const char *in, const char *out_path, size_t page_bytes, pv_err *err)
{
	pv_source *src = NULL;
	pv_pfile *pf = NULL;
	int rc = pv_source_open(in, &src, err);
	if (!rc)
		rc = pv_pfile_load(src, &pf, err);
	if (rc) {
		pv_source_close(src);
		return rc;
	}
	const pv_file_meta *m = pf->meta;
	size_t n_cols = pf->schema->n_leaves;
	pv_file_meta meta = *m;
	pv_row_group *rgs = calloc(m->n_row_groups ? m->n_row_groups : 1, sizeof *rgs);
	pv_page_location **locs = calloc(m->n_row_groups * n_cols + 1, sizeof *locs);
	size_t *n_locs = calloc(m->n_row_groups * n_cols + 1, sizeof *n_locs);
	chunk_out co;
	memset(&co, 0, sizeof co);
	pv_buf_init(&co.body, 0);
	pv_buf_init(&co.comp, 0);
	pv_buf_init(&co.hdr, 0);
	pv_colbuf_init(&co.cb, 0);
	pv_atomic_file af;
	memset(&af, 0, sizeof af);
	const char *protect[] = { in };
	if (!rgs || !locs || !n_locs)
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
	if (!rc)
		rc = pv_atomic_open(&af, out_path, protect, 1, err);
	out_file o = { af.fp, 0 };
	if (!rc)
		rc = put(&o, "PAR1", 4, err);
	for (size_t g = 0; !rc && g < m->n_row_groups; g++) {
		const pv_row_group *rg = &m->row_groups[g];
		rgs[g] = *rg;
		rgs[g].columns = calloc(n_cols, sizeof *rgs[g].columns);
		if (!rgs[g].columns) {
			rc = pv_err_set(err, PV_ENOMEM, "out of memory");
			break;
		}
		rgs[g].n_columns = n_cols;
		int64_t rg_start = o.pos, total = 0;
		for (size_t c = 0; !rc && c < n_cols; c++) {
			pv_column_chunk *cc = &rgs[g].columns[c];
			*cc = rg->columns[c];
			cc->has_offset_index_offset = cc->has_offset_index_length = false;
			cc->has_column_index_offset = cc->has_column_index_length = false;
			cc->file_offset = o.pos;
			rc = write_chunk(src, pf, g, c, page_bytes, &o, &co, &cc->meta_data, err);
			if (rc) {
				pv_err_prefix(err, "row group %zu column %zu", g, c);
				break;
			}
			total += co.uncompressed;
			size_t k = g * n_cols + c;
			locs[k] = malloc(co.n_locs * sizeof *locs[k]);
			if (!locs[k]) {
				rc = pv_err_set(err, PV_ENOMEM, "out of memory");
				break;
			}
			memcpy(locs[k], co.locs, co.n_locs * sizeof *locs[k]);
			n_locs[k] = co.n_locs;
		}
		rgs[g].total_byte_size = total;
		rgs[g].has_file_offset = true;
		rgs[g].file_offset = rg_start;
		rgs[g].has_total_compressed_size = true;
		rgs[g].total_compressed_size = o.pos - rg_start;
	}
	/* the OffsetIndexes, together after the data, as writers put them */
	pv_buf ib;
	pv_buf_init(&ib, 0);
	for (size_t g = 0; !rc && g < m->n_row_groups; g++) {
		for (size_t c = 0; !rc && c < n_cols; c++) {
			size_t k = g * n_cols + c;
			pv_offset_index oi = { .page_locations = locs[k], .n_page_locations = n_locs[k] };
			pv_buf_reset(&ib);
			rc = pv_offset_index_write(&oi, &ib, err);
			pv_column_chunk *cc = &rgs[g].columns[c];
			cc->has_offset_index_offset = cc->has_offset_index_length = true;
			cc->offset_index_offset = o.pos;
			cc->offset_index_length = (int32_t)ib.len;
			if (!rc)
				rc = put(&o, ib.data, ib.len, err);
		}
	}
	meta.row_groups = rgs;
	pv_buf_reset(&ib);
	if (!rc)
		rc = pv_meta_write(&meta, &ib, err);
	if (!rc) {
		uint32_t len = (uint32_t)ib.len;
		uint8_t tail[8] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
				    (uint8_t)(len >> 24), 'P', 'A', 'R', '1' };
		rc = put(&o, ib.data, ib.len, err);
		if (!rc)
			rc = put(&o, tail, sizeof tail, err);
	}
	if (!rc)
		rc = pv_atomic_commit(&af, err);
	pv_atomic_abort(&af);
	pv_buf_release(&ib);
	for (size_t g = 0; rgs && g < m->n_row_groups; g++)
		free(rgs[g].columns);
	for (size_t k = 0; locs && k < m->n_row_groups * n_cols; k++)
		free(locs[k]);
	free(rgs);
	free(locs);
	free(n_locs);
	free(co.locs);
	pv_buf_release(&co.body);
	pv_buf_release(&co.comp);
	pv_buf_release(&co.hdr);
	pv_colbuf_release(&co.cb);
	pv_pfile_free(pf);
	pv_source_close(src);
	return rc;
}

int main(int argc, char **argv)
{
	size_t page_bytes = (size_t)1 << 20;
	const char *in = NULL, *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--page-bytes") && i + 1 < argc) {
			char *end;
			unsigned long long v = strtoull(argv[++i], &end, 10);
			if (*end || v == 0 || v > ((size_t)256 << 20)) {
				fprintf(stderr, "genbig: bad --page-bytes '%s'\n", argv[i]);
				return 2;
			}
			page_bytes = (size_t)v;
		} else if (!in) {
			in = argv[i];
		} else if (!out) {
			out = argv[i];
		} else {
			in = NULL;
			break;
		}
	}
	if (!in || !out) {
		fprintf(stderr, "usage: genbig IN.parquet OUT.parquet [--page-bytes N]\n");
		return 2;
	}
	pv_err err;
	pv_err_clear(&err);
	if (rewrite(in, out, page_bytes, &err)) {
		fprintf(stderr, "genbig: %s: %s\n", in, err.msg);
		return 1;
	}
	return 0;
}
