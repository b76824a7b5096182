/*
 * doctor_layout.c - layout advice from a file's footer and its checked
 * column chunks: row groups too small or too large, missing statistics or
 * page index, dictionary fallback, codecs that cost space or time, and
 * columns that look sorted without a declared sort order. Advice is never
 * a failure; each line carries the numbers behind it.
 * Includes base, format, read, render and analyze/doctor*.h.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/doctor_internal.h"
#include "base/buf.h"
#include "render/units.h"
#include "base/banned.h"

static void advise_row_groups(const pv_pfile *pf, pv_doctor_list *out)
{
	const pv_file_meta *m = pf->meta;
	size_t n = m->n_row_groups;
	if (n == 0)
		return;
	int64_t bytes = 0, rows = 0;
	for (size_t g = 0; g < n; g++) {
		int64_t u = 0;
		for (size_t c = 0; c < m->row_groups[g].n_columns; c++)
			if (m->row_groups[g].columns[c].has_meta_data)
				u += m->row_groups[g].columns[c].meta_data.total_uncompressed_size;
		bytes += u;
		rows += m->row_groups[g].num_rows;
		if (u > PV_DOC_LARGE_RG_BYTES) {
			char b[32];
			pv_doctor_add(out, PV_DOCTOR_INFO, "row_group_size", (int64_t)g, -1, NULL, -1, -1,
				      NULL, NULL,
				      "row group %zu is %s uncompressed (over 1 GiB): readers hold a row "
				      "group at a time; split it",
				      g, pv_units_bytes(u, b, sizeof b));
		}
	}
	int64_t avg_bytes = bytes / (int64_t)n, avg_rows = rows / (int64_t)n;
	/* small in bytes, or short in rows when there are many of them (a
	 * wide table can be big in few rows, so rows alone need numbers) */
	bool small_bytes = n >= 2 && avg_bytes < PV_DOC_SMALL_RG_BYTES;
	bool short_rows = n >= PV_DOC_MANY_RG && avg_rows < PV_DOC_SMALL_RG_ROWS;
	if (small_bytes || short_rows) {
		char b[32];
		pv_doctor_add(out, PV_DOCTOR_INFO, "row_group_size", -1, -1, NULL, -1, -1, NULL, NULL,
			      "%zu row groups average %s uncompressed and %lld rows (%s): fewer, "
			      "larger row groups (128 MiB to 1 GiB) compress and scan better",
			      n, pv_units_bytes(avg_bytes, b, sizeof b), (long long)avg_rows,
			      small_bytes ? "under 64 MiB" : "under 100,000 rows in 8 or more row groups");
	}
}

/* "a, b, c (and 4 more)" into b. */
static void name_list(pv_buf *b, const char *name, size_t *n_named)
{
	if (*n_named < 5)
		pv_buf_printf(b, NULL, "%s'%s'", *n_named ? ", " : "", name);
	(*n_named)++;
}

static void name_list_end(pv_buf *b, size_t n_named)
{
	if (n_named > 5)
		pv_buf_printf(b, NULL, " and %zu more", n_named - 5);
}

static void advise_columns(const pv_pfile *pf, const pv_doc_chunk *chunks, pv_doctor_list *out)
{
	const pv_file_meta *m = pf->meta;
	size_t n_leaves = pf->schema->n_leaves;
	pv_buf no_stats, no_index;
	pv_buf_init(&no_stats, 1 << 16);
	pv_buf_init(&no_index, 1 << 16);
	size_t n_no_stats = 0, n_no_index = 0, n_cols = 0;
	int64_t codec_bytes[8] = { 0 };
	int64_t codec_chunks[8] = { 0 };
	for (size_t c = 0; c < n_leaves; c++) {
		const char *path = pf->schema->leaves[c]->path;
		bool any = false, stats = false, multi_page_no_index = false;
		int64_t fb_chunks = 0, fb_pages = 0, fb_data = 0;
		for (size_t g = 0; g < m->n_row_groups; g++) {
			const pv_doc_chunk *ch = &chunks[g * n_leaves + c];
			if (!ch->checked || c >= m->row_groups[g].n_columns)
				continue;
			const pv_column_chunk *cc = &m->row_groups[g].columns[c];
			if (!cc->has_meta_data)
				continue;
			any = true;
			if (ch->has_stats)
				stats = true;
			if (ch->n_data_pages >= 2 && !ch->has_offset_index)
				multi_page_no_index = true;
			if (ch->n_fallback_pages > 0) {
				fb_chunks++;
				fb_pages += ch->n_fallback_pages;
				fb_data += ch->n_data_pages;
			}
			int codec = cc->meta_data.codec;
			if ((codec == PV_CODEC_UNCOMPRESSED || codec == PV_CODEC_GZIP) &&
			    cc->meta_data.total_compressed_size >= PV_DOC_BIG_CHUNK_BYTES) {
				codec_bytes[codec] += cc->meta_data.total_compressed_size;
				codec_chunks[codec]++;
			}
		}
		if (!any)
			continue;
		n_cols++;
		if (!stats)
			name_list(&no_stats, path, &n_no_stats);
		if (multi_page_no_index)
			name_list(&no_index, path, &n_no_index);
		if (fb_chunks > 0)
			pv_doctor_add(out, PV_DOCTOR_INFO, "dictionary_fallback", -1, (int64_t)c, path,
				      -1, -1, NULL, NULL,
				      "column '%s' fell back from dictionary to plain encoding in %lld "
				      "column chunks (%lld of %lld data pages): a larger dictionary page "
				      "size keeps it dictionary-encoded, or disable the dictionary for it",
				      path, (long long)fb_chunks, (long long)fb_pages, (long long)fb_data);
	}
	if (n_no_stats > 0) {
		name_list_end(&no_stats, n_no_stats);
		pv_doctor_add(out, PV_DOCTOR_INFO, "statistics", -1, -1, NULL, -1, -1, NULL, NULL,
			      "%zu of %zu columns have no statistics (%s): readers cannot skip row "
			      "groups on them",
			      n_no_stats, n_cols, no_stats.data ? no_stats.data : "");
	}
	if (n_no_index > 0) {
		name_list_end(&no_index, n_no_index);
		pv_doctor_add(out, PV_DOCTOR_INFO, "page_index", -1, -1, NULL, -1, -1, NULL, NULL,
			      "%zu of %zu columns have column chunks of several pages but no page "
			      "index (%s): a page index lets readers skip pages",
			      n_no_index, n_cols, no_index.data ? no_index.data : "");
	}
	for (int k = 0; k < 8; k++) {
		if (!codec_chunks[k])
			continue;
		char b[32];
		pv_doctor_add(out, PV_DOCTOR_INFO, "codec", -1, -1, NULL, -1, -1, NULL, NULL,
			      "%lld column chunks of %s or more use %s (%s in all): ZSTD is usually "
			      "smaller than %s and faster to read",
			      (long long)codec_chunks[k], "8 MiB", pv_codec_name(k),
			      pv_units_bytes(codec_bytes[k], b, sizeof b),
			      k == PV_CODEC_GZIP ? "GZIP" : "no compression");
	}
	pv_buf_release(&no_stats);
	pv_buf_release(&no_index);
}

static void advise_sorted(const pv_pfile *pf, const pv_doc_chunk *chunks, pv_doctor_list *out)
{
	const pv_file_meta *m = pf->meta;
	size_t n_leaves = pf->schema->n_leaves, n = m->n_row_groups;
	if (n < 2)
		return;
	for (size_t g = 0; g < n; g++)
		if (m->row_groups[g].has_sorting_columns && m->row_groups[g].n_sorting_columns > 0)
			return;
	for (size_t c = 0; c < n_leaves; c++) {
		const pv_schema_node *leaf = pf->schema->leaves[c];
		if (leaf->max_rep > 0)
			continue;
		pv_doc_ord o;
		pv_doc_ord_init(&o, leaf);
		if (o.kind == PV_DOC_ORD_NONE || o.kind == PV_DOC_ORD_BOOL)
			continue;
		bool sorted = true, strict = false;
		for (size_t g = 0; g < n && sorted; g++) {
			const pv_doc_chunk *ch = &chunks[g * n_leaves + c];
			if (!ch->checked || !ch->has_minmax) {
				sorted = false;
				break;
			}
			if (g == 0)
				continue;
			const pv_doc_chunk *prev = &chunks[(g - 1) * n_leaves + c];
			int k = pv_doc_cmp(&o, o.kind, prev->amax, prev->amax_len, ch->amin, ch->amin_len);
			if (k > 0)
				sorted = false;
			else if (pv_doc_cmp(&o, o.kind, prev->amin, prev->amin_len, ch->amax,
					    ch->amax_len) < 0)
				strict = true;
		}
		if (!sorted || !strict)
			continue;
		pv_doctor_add(out, PV_DOCTOR_INFO, "sort_order", -1, (int64_t)c, leaf->path, -1, -1,
			      NULL, NULL,
			      "column '%s' looks sorted (the min/max ranges of its %zu row groups do not "
			      "overlap) but no sorting_columns are declared: declaring it lets readers "
			      "rely on the order",
			      leaf->path, n);
	}
}

void pv_doc_advise(const pv_pfile *pf, const pv_doc_chunk *chunks, pv_doctor_list *out)
{
	advise_row_groups(pf, out);
	advise_columns(pf, chunks, out);
	advise_sorted(pf, chunks, out);
}
