/*
 * metadeep.c - `parqview meta --pages / --index / --bloom`: the metadata
 * that lives outside the footer, read on demand through the read layer
 * (pagewalk, pageindex, bloom) and printed as tables or JSON members.
 * A chunk that cannot be read gets its error printed in place; the others
 * still print, and the command's exit code becomes 3. Used by the CLI and
 * the server (src/server), so it includes nothing above render.
 */
#include "render/metadeep.h"

#include <stdlib.h>
#include <string.h>

#include "read/bloom.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "render/cell.h"
#include "render/units.h"
#include "base/banned.h"

static const char *text_of(const pv_value *v, pv_buf *b)
{
	pv_buf_reset(b);
	if (v->kind == PV_VAL_NULL || pv_cell_text(v, b, NULL))
		return "";
	return b->data ? b->data : "";
}

/* The column part of --bloom COLUMN=VALUE, and the value. */
static void split_bloom(const char *bloom, char *col, size_t n, const char **value)
{
	const char *eq = strchr(bloom, '=');
	size_t len = (size_t)(eq - bloom);
	snprintf(col, n, "%.*s", (int)(len < n ? len : n - 1), bloom);
	*value = eq + 1;
}

static void chunk_error(const pv_term *t, const char *what, const pv_schema_node *leaf,
			const pv_err *e)
{
	printf("  %s%s of '%s': %s%s\n", pv_term_red(t), what, leaf->path, e->msg, pv_term_reset(t));
}

/* ---- terminal */

static int pages_human(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf,
		       const pv_term *t, const pv_table_style *style, int *status)
{
	pv_err e;
	pv_pagewalk w;
	if (pv_pagewalk_open(&w, src, cc, leaf->max_rep, &e)) {
		chunk_error(t, "pages", leaf, &e);
		*status = PV_METADEEP_DATA;
		return 0;
	}
	pv_table *tab;
	int rc = pv_table_new(&tab, &e);
	static const char *heads[] = { "page", "type", "encoding", "offset", "header", "compressed",
				       "uncompressed", "values", "rows", "first row", "nulls",
				       "min", "max", "crc" };
	for (size_t h = 0; !rc && h < sizeof heads / sizeof *heads; h++)
		rc = pv_table_add_column(tab, heads[h], h == 1 || h == 2 || h >= 11 ? PV_ALIGN_LEFT
										 : PV_ALIGN_RIGHT, &e);
	pv_buf b1, b2;
	pv_buf_init(&b1, 0);
	pv_buf_init(&b2, 0);
	pv_err walk_err;
	bool walk_failed = false;
	while (!rc) {
		pv_page_info p;
		bool done;
		if (pv_pagewalk_next(&w, &p, &done, &walk_err)) {
			walk_failed = true;
			break;
		}
		if (done)
			break;
		pv_value mn = { 0 }, mx = { 0 };
		pv_err se;
		const char *smin = "", *smax = "";
		if (p.has_statistics && pv_page_info_minmax(&p, leaf, &mn, &mx, &se) == 0) {
			smin = text_of(&mn, &b1);
			smax = text_of(&mx, &b2);
		}
		char a[PV_UNITS_BUF];
#define NUM_OR_DASH(v) ((v) >= 0 ? pv_units_count((v), a, sizeof a) : "-")
		rc = pv_table_add_cellf(tab, &e, "%lld", (long long)p.index) ||
		     pv_table_add_cellf(tab, &e, "%s", pv_page_type_name(p.type)) ||
		     pv_table_add_cellf(tab, &e, "%s", p.encoding >= 0 ? pv_encoding_name(p.encoding) : "") ||
		     pv_table_add_cellf(tab, &e, "%lld", (long long)p.offset) ||
		     pv_table_add_cellf(tab, &e, "%zu", p.header_len) ||
		     pv_table_add_cellf(tab, &e, "%s", pv_units_bytes(p.compressed_size, a, sizeof a)) ||
		     pv_table_add_cellf(tab, &e, "%s", pv_units_bytes(p.uncompressed_size, a, sizeof a)) ||
		     pv_table_add_cellf(tab, &e, "%s", NUM_OR_DASH(p.num_values)) ||
		     pv_table_add_cellf(tab, &e, "%s", p.is_data ? NUM_OR_DASH(p.num_rows) : "") ||
		     pv_table_add_cellf(tab, &e, "%s", p.is_data ? NUM_OR_DASH(p.first_row) : "") ||
		     pv_table_add_cellf(tab, &e, "%s", p.is_data ? NUM_OR_DASH(p.num_nulls) : "") ||
		     pv_table_add_cell(tab, smin, strlen(smin), &e) ||
		     pv_table_add_cell(tab, smax, strlen(smax), &e);
#undef NUM_OR_DASH
		if (!rc)
			rc = p.has_crc ? pv_table_add_cellf(tab, &e, "%08x", p.crc)
				       : pv_table_add_cell(tab, "", 0, &e);
	}
	printf("  %spages of '%s'%s\n", pv_term_bold(t), leaf->path, pv_term_reset(t));
	if (!rc)
		rc = pv_table_print(tab, stdout, style, &e);
	if (walk_failed) {
		chunk_error(t, "pages", leaf, &walk_err);
		*status = PV_METADEEP_DATA;
	}
	pv_table_free(tab);
	pv_buf_release(&b1);
	pv_buf_release(&b2);
	pv_pagewalk_release(&w);
	return rc;
}

static int index_human(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf,
		       int64_t rg_rows, const pv_term *t, const pv_table_style *style, int *status)
{
	pv_err e;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	int rc = 0;
	bool has_oi = false, has_ci = false;
	int orc = pv_pageindex_read_offsets(src, cc, rg_rows, &a, &oi, &e);
	if (orc == 0)
		has_oi = true;
	else if (orc != PV_ENOTFOUND) {
		chunk_error(t, "offset index", leaf, &e);
		*status = PV_METADEEP_DATA;
	}
	int crc = pv_pageindex_read_columns(src, cc, &a, &ci, &e);
	if (crc == 0 && has_oi && pv_pageindex_check_columns(&ci, &oi, &e))
		crc = e.code;
	if (crc == 0)
		has_ci = true;
	else if (crc != PV_ENOTFOUND) {
		chunk_error(t, "column index", leaf, &e);
		*status = PV_METADEEP_DATA;
	}
	printf("  %spage index of '%s'%s", pv_term_bold(t), leaf->path, pv_term_reset(t));
	if (!has_oi && !has_ci) {
		printf(": none\n");
		pv_arena_release(&a);
		return 0;
	}
	printf(": %s%s%s%s\n", has_oi ? "offset index" : "", has_oi && has_ci ? ", " : "",
	       has_ci ? "column index, boundary order " : "",
	       has_ci ? pv_boundary_order_name(ci.boundary_order) : "");
	size_t n_pages = has_oi ? oi.n_page_locations : ci.n_pages;
	pv_table *tab;
	rc = pv_table_new(&tab, &e);
	static const char *heads[] = { "page", "offset", "size", "first row", "null page", "nulls",
				       "min", "max" };
	for (size_t h = 0; !rc && h < sizeof heads / sizeof *heads; h++)
		rc = pv_table_add_column(tab, heads[h], h >= 6 || h == 4 ? PV_ALIGN_LEFT : PV_ALIGN_RIGHT, &e);
	pv_buf b1, b2;
	pv_buf_init(&b1, 0);
	pv_buf_init(&b2, 0);
	for (size_t p = 0; !rc && p < n_pages; p++) {
		rc = pv_table_add_cellf(tab, &e, "%zu", p);
		if (!rc && has_oi) {
			const pv_page_location *l = &oi.page_locations[p];
			rc = pv_table_add_cellf(tab, &e, "%lld", (long long)l->offset) ||
			     pv_table_add_cellf(tab, &e, "%d", l->compressed_page_size) ||
			     pv_table_add_cellf(tab, &e, "%lld", (long long)l->first_row_index);
		} else if (!rc) {
			rc = pv_table_add_cell(tab, "", 0, &e) || pv_table_add_cell(tab, "", 0, &e) ||
			     pv_table_add_cell(tab, "", 0, &e);
		}
		pv_page_bounds pb;
		pv_err be;
		if (!rc && has_ci && pv_pageindex_bounds(&ci, leaf, p, &pb, &be) == 0) {
			const char *mn = text_of(&pb.min, &b1), *mx = text_of(&pb.max, &b2);
			rc = pv_table_add_cellf(tab, &e, "%s", pb.unknown ? "unknown" : pb.null_page ? "yes" : "") ||
			     (pb.has_null_count ? pv_table_add_cellf(tab, &e, "%lld", (long long)pb.null_count)
						: pv_table_add_cell(tab, "", 0, &e)) ||
			     pv_table_add_cell(tab, mn, strlen(mn), &e) ||
			     pv_table_add_cell(tab, mx, strlen(mx), &e);
		} else if (!rc) {
			rc = pv_table_end_row(tab, &e);
		}
	}
	if (!rc)
		rc = pv_table_print(tab, stdout, style, &e);
	pv_table_free(tab);
	pv_buf_release(&b1);
	pv_buf_release(&b2);
	pv_arena_release(&a);
	return rc;
}

int pv_metadeep_human(const pv_pfile *pf, size_t g, bool pages, bool index, const char *bloom,
		      pv_metadeep_filter selected, const void *ctx, const pv_term *term,
		      const pv_table_style *style, int *status, pv_err *err)
{
	pv_source *src;
	if (pv_source_open(pf->path, &src, err)) {
		*status = PV_METADEEP_DATA;
		printf("  %s%s%s\n", pv_term_red(term), err->msg, pv_term_reset(term));
		return 0;
	}
	const pv_row_group *rg = &pf->meta->row_groups[g];
	char bloom_col[512] = "";
	const char *bloom_value = NULL;
	if (bloom)
		split_bloom(bloom, bloom_col, sizeof bloom_col, &bloom_value);
	int rc = 0;
	for (size_t c = 0; c < rg->n_columns && !rc; c++) {
		const pv_schema_node *leaf = pf->schema->leaves[c];
		const pv_column_chunk *cc = &rg->columns[c];
		if (bloom && !strcmp(leaf->path, bloom_col)) {
			pv_bloom_result r;
			pv_err e;
			if (pv_bloom_probe(src, cc, leaf, bloom_value, &r, &e)) {
				chunk_error(term, "bloom filter", leaf, &e);
				*status = e.code == PV_EINVAL ? PV_METADEEP_USAGE : PV_METADEEP_DATA;
			} else {
				const char *color = r == PV_BLOOM_DEFINITELY_ABSENT ? pv_term_yellow(term)
						    : r == PV_BLOOM_MAYBE_PRESENT   ? pv_term_green(term)
										    : "";
				printf("  bloom filter of '%s' for '%s': %s%s%s\n", leaf->path, bloom_value,
				       color,
				       r == PV_BLOOM_NO_FILTER	       ? "no filter"
				       : r == PV_BLOOM_DEFINITELY_ABSENT ? "definitely absent"
									 : "maybe present",
				       pv_term_reset(term));
			}
		}
		if (!selected(ctx, leaf) || (!pages && !index))
			continue;
		if (!cc->has_meta_data) {
			printf("  '%s': encrypted column, pages not readable\n", leaf->path);
			continue;
		}
		if (pages)
			rc = pages_human(src, cc, leaf, term, style, status);
		if (!rc && index)
			rc = index_human(src, cc, leaf, rg->num_rows, term, style, status);
	}
	pv_source_close(src);
	if (rc)
		return pv_err_set(err, PV_EIO, "cannot write the output");
	return 0;
}

/* ---- JSON */

static void json_value(pv_json *j, const char *key, const pv_value *v)
{
	pv_json_key(j, key);
	if (v->kind == PV_VAL_NULL)
		pv_json_null(j);
	else
		pv_cell_json(v, j, NULL);
}

static int pages_json(pv_json *j, pv_source *src, const pv_column_chunk *cc,
		      const pv_schema_node *leaf)
{
	pv_err e;
	pv_pagewalk w;
	int status = 0;
	pv_json_key(j, "pages");
	pv_json_array_begin(j);
	if (pv_pagewalk_open(&w, src, cc, leaf->max_rep, &e)) {
		pv_json_array_end(j);
		pv_json_kstr(j, "pages_error", e.msg);
		return PV_METADEEP_DATA;
	}
	for (;;) {
		pv_page_info p;
		bool done;
		if (pv_pagewalk_next(&w, &p, &done, &e)) {
			status = PV_METADEEP_DATA;
			break;
		}
		if (done)
			break;
		pv_json_object_begin(j);
		pv_json_kint(j, "index", p.index);
		pv_json_kstr(j, "type", pv_page_type_name(p.type));
		if (p.encoding >= 0)
			pv_json_kstr(j, "encoding", pv_encoding_name(p.encoding));
		pv_json_kint(j, "offset", p.offset);
		pv_json_kint(j, "header_length", (int64_t)p.header_len);
		pv_json_kint(j, "compressed_size", p.compressed_size);
		pv_json_kint(j, "uncompressed_size", p.uncompressed_size);
		pv_json_kint(j, "num_values", p.num_values);
		if (p.is_data) {
			pv_json_kint(j, "num_rows", p.num_rows);
			pv_json_kint(j, "first_row", p.first_row);
			pv_json_kint(j, "num_nulls", p.num_nulls);
		}
		if (p.def_level_encoding >= 0)
			pv_json_kstr(j, "definition_level_encoding", pv_encoding_name(p.def_level_encoding));
		if (p.rep_level_encoding >= 0)
			pv_json_kstr(j, "repetition_level_encoding", pv_encoding_name(p.rep_level_encoding));
		if (p.def_levels_len >= 0)
			pv_json_kint(j, "definition_levels_byte_length", p.def_levels_len);
		if (p.rep_levels_len >= 0)
			pv_json_kint(j, "repetition_levels_byte_length", p.rep_levels_len);
		if (p.type == PV_PAGE_DATA_V2)
			pv_json_kbool(j, "is_compressed", p.is_compressed);
		if (p.has_is_sorted)
			pv_json_kbool(j, "is_sorted", p.is_sorted);
		if (p.has_crc)
			pv_json_kint(j, "crc", p.crc);
		if (p.has_statistics) {
			pv_value mn, mx;
			pv_err se;
			pv_json_key(j, "statistics");
			pv_json_object_begin(j);
			if (p.statistics.has_null_count)
				pv_json_kint(j, "null_count", p.statistics.null_count);
			if (pv_page_info_minmax(&p, leaf, &mn, &mx, &se) == 0) {
				json_value(j, "min", &mn);
				json_value(j, "max", &mx);
			} else {
				pv_json_kstr(j, "error", se.msg);
			}
			pv_json_object_end(j);
		}
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	if (status)
		pv_json_kstr(j, "pages_error", e.msg);
	pv_pagewalk_release(&w);
	return status;
}

static int index_json(pv_json *j, pv_source *src, const pv_column_chunk *cc,
		      const pv_schema_node *leaf, int64_t rg_rows)
{
	pv_err e;
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_offset_index oi;
	pv_column_index ci;
	int status = 0;
	int orc = pv_pageindex_read_offsets(src, cc, rg_rows, &a, &oi, &e);
	pv_json_key(j, "offset_index");
	if (orc == 0) {
		pv_json_array_begin(j);
		for (size_t p = 0; p < oi.n_page_locations; p++) {
			pv_json_object_begin(j);
			pv_json_kint(j, "offset", oi.page_locations[p].offset);
			pv_json_kint(j, "compressed_page_size", oi.page_locations[p].compressed_page_size);
			pv_json_kint(j, "first_row_index", oi.page_locations[p].first_row_index);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
	} else {
		pv_json_null(j);
		if (orc != PV_ENOTFOUND) {
			pv_json_kstr(j, "offset_index_error", e.msg);
			status = PV_METADEEP_DATA;
		}
	}
	int crc = pv_pageindex_read_columns(src, cc, &a, &ci, &e);
	if (crc == 0 && orc == 0 && pv_pageindex_check_columns(&ci, &oi, &e))
		crc = e.code;
	pv_json_key(j, "column_index");
	if (crc == 0) {
		pv_json_object_begin(j);
		pv_json_kstr(j, "boundary_order", pv_boundary_order_name(ci.boundary_order));
		pv_json_key(j, "pages");
		pv_json_array_begin(j);
		for (size_t p = 0; p < ci.n_pages; p++) {
			pv_page_bounds pb;
			pv_err be;
			pv_json_object_begin(j);
			if (pv_pageindex_bounds(&ci, leaf, p, &pb, &be) == 0) {
				pv_json_kbool(j, "null_page", pb.null_page);
				pv_json_kbool(j, "unknown", pb.unknown);
				if (pb.has_null_count)
					pv_json_kint(j, "null_count", pb.null_count);
				json_value(j, "min", &pb.min);
				json_value(j, "max", &pb.max);
			} else {
				pv_json_kstr(j, "error", be.msg);
				status = PV_METADEEP_DATA;
			}
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_object_end(j);
	} else {
		pv_json_null(j);
		if (crc != PV_ENOTFOUND) {
			pv_json_kstr(j, "column_index_error", e.msg);
			status = PV_METADEEP_DATA;
		}
	}
	pv_arena_release(&a);
	return status;
}

int pv_metadeep_json(pv_json *j, const pv_pfile *pf, size_t g, size_t c, bool pages, bool index,
		     const char *bloom)
{
	const pv_row_group *rg = &pf->meta->row_groups[g];
	const pv_schema_node *leaf = pf->schema->leaves[c];
	const pv_column_chunk *cc = &rg->columns[c];
	char bloom_col[512] = "";
	const char *bloom_value = NULL;
	if (bloom)
		split_bloom(bloom, bloom_col, sizeof bloom_col, &bloom_value);
	bool want_bloom = bloom && !strcmp(leaf->path, bloom_col);
	if (!pages && !index && !want_bloom)
		return 0;
	if (!cc->has_meta_data) {
		pv_json_kstr(j, "error", "encrypted column");
		return 0;
	}
	pv_source *src;
	pv_err e;
	if (pv_source_open(pf->path, &src, &e)) {
		pv_json_kstr(j, "error", e.msg);
		return PV_METADEEP_DATA;
	}
	int status = 0, s;
	if (want_bloom) {
		pv_bloom_result r;
		pv_json_key(j, "bloom");
		pv_json_object_begin(j);
		pv_json_kstr(j, "value", bloom_value);
		if (pv_bloom_probe(src, cc, leaf, bloom_value, &r, &e)) {
			pv_json_kstr(j, "error", e.msg);
			status = e.code == PV_EINVAL ? PV_METADEEP_USAGE : PV_METADEEP_DATA;
		} else {
			pv_json_kstr(j, "result", r == PV_BLOOM_NO_FILTER	      ? "no_filter"
						  : r == PV_BLOOM_DEFINITELY_ABSENT ? "definitely_absent"
										    : "maybe_present");
		}
		pv_json_object_end(j);
	}
	if (pages && (s = pages_json(j, src, cc, leaf)) > status)
		status = s;
	if (index && (s = index_json(j, src, cc, leaf, rg->num_rows)) > status)
		status = s;
	pv_source_close(src);
	return status;
}
