/*
 * cmd_meta.c - `parqview meta PATH...`: everything in the footers: file
 * metadata, row groups, column chunks with statistics; on request the page
 * headers (--pages), the page index (--index) and bloom filter probes
 * (--bloom COLUMN=VALUE), read on demand without decompressing pages.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "cli/cli.h"
#include "cli/metadeep.h"
#include "format/stats.h"
#include "render/cell.h"
#include "render/table.h"
#include "render/units.h"
#include "render/width.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview meta PATH... [--pages] [--index] [--bloom COLUMN=VALUE]\n"
	"                    [--columns a,b.c] [--row-groups N,M] [--json]\n"
	"\n"
	"Prints each file's footer: version, writer, rows, key-value metadata,\n"
	"sorting columns, then every row group and its column chunks: type, codec,\n"
	"encodings, sizes, values, statistics (null count, min, max; '~' marks\n"
	"statistics that may not be used as bounds), dictionary, page index and\n"
	"bloom filter presence. Reads only footers unless asked for more:\n"
	"\n"
	"  --pages              walk each column chunk's page headers (no decompression)\n"
	"  --index              show the column index and offset index per page\n"
	"  --bloom COL=VALUE    probe the bloom filters of column COL for VALUE\n"
	"  --columns LIST       only these columns (dotted paths or top-level names)\n"
	"  --row-groups LIST    only these row groups (0-based, comma-separated)\n"
	"  --json               machine-readable output (shape in the README)\n"
	"  --color WHEN         auto, always or never\n";

typedef struct meta_opts {
	pv_cli_common com;
	bool pages, index;
	const char *bloom;  /* COLUMN=VALUE */
	char **columns;     /* NULL: all */
	size_t n_columns;
	char *columns_copy; /* what columns point into */
	long *row_groups;   /* NULL: all */
	size_t n_row_groups;
} meta_opts;

/* ---- selection */

static bool column_selected(const void *ctx, const pv_schema_node *leaf)
{
	const meta_opts *o = ctx;
	if (!o->columns)
		return true;
	for (size_t i = 0; i < o->n_columns; i++) {
		size_t n = strlen(o->columns[i]);
		/* a column matches itself and everything under it */
		if (!strncmp(leaf->path, o->columns[i], n) &&
		    (leaf->path[n] == '\0' || leaf->path[n] == '.'))
			return true;
	}
	return false;
}

static bool row_group_selected(const meta_opts *o, size_t g)
{
	if (!o->row_groups)
		return true;
	for (size_t i = 0; i < o->n_row_groups; i++)
		if (o->row_groups[i] == (long)g)
			return true;
	return false;
}

/* Splits a comma-separated list; *out_items point into *out_copy (free
 * both). Empty items are dropped; an all-empty list fails. */
static int split_list(const char *s, char ***out_items, size_t *out_n, char **out_copy)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	char **items = calloc(n, sizeof *items);
	char *copy = strdup(s);
	size_t k = 0;
	char *save = NULL;
	if (items && copy)
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			items[k++] = tok;
	if (!k) {
		free(items);
		free(copy);
		return -1;
	}
	*out_items = items;
	*out_n = k;
	*out_copy = copy;
	return 0;
}

/* ---- value text */

/* Columns a min or max takes in the tables (JSON keeps whole values). */
#define STAT_COLS 40

static const char *value_text(const pv_value *v, pv_buf *b)
{
	pv_buf_reset(b);
	if (v->kind == PV_VAL_NULL)
		return "";
	pv_err e;
	pv_buf full;
	pv_buf_init(&full, 0);
	int rc = pv_cell_text(v, &full, &e);
	if (!rc && full.len)
		rc = pv_width_truncate(full.data, full.len, STAT_COLS, b, NULL, &e);
	pv_buf_release(&full);
	if (rc)
		return "?";
	return b->data ? b->data : "";
}

static void encodings_text(const pv_column_meta *cm, char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < cm->n_encodings && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "",
					 pv_encoding_name(cm->encodings[i]));
}

/* ---- terminal */

static int print_file_human(const pv_pfile *pf, const meta_opts *o, pv_table_style *style)
{
	const pv_file_meta *m = pf->meta;
	const pv_term *t = &o->com.term;
	pv_err err;
	char a[PV_UNITS_BUF], b[PV_UNITS_BUF];

	printf("%sfile%s %s\n", pv_term_bold(t), pv_term_reset(t), pf->path);
	const char *keys[16], *vals[16];
	char size[128], rows[64], groups[64], cols[64], ver[32];
	size_t n = 0;
	int64_t comp, uncomp;
	pv_pfile_sizes(pf, &comp, &uncomp);
	snprintf(size, sizeof size, "%s, footer %s", pv_units_bytes(pf->size, a, sizeof a),
		 pv_units_bytes(pf->footer_len, b, sizeof b));
	keys[n] = "size", vals[n++] = size;
	snprintf(ver, sizeof ver, "%d", m->version);
	keys[n] = "version", vals[n++] = ver;
	keys[n] = "created_by", vals[n++] = m->created_by ? m->created_by : "(not recorded)";
	keys[n] = "rows", vals[n++] = pv_units_count(m->num_rows, rows, sizeof rows);
	snprintf(groups, sizeof groups, "%zu", m->n_row_groups);
	keys[n] = "row groups", vals[n++] = groups;
	snprintf(cols, sizeof cols, "%zu", pf->schema->n_leaves);
	keys[n] = "columns", vals[n++] = cols;
	char enc[128];
	if (m->has_encryption_algorithm) {
		snprintf(enc, sizeof enc, "%s, plaintext footer",
			 m->encryption_algorithm.kind == 1 ? "AES_GCM_V1" : "AES_GCM_CTR_V1");
		keys[n] = "encryption", vals[n++] = enc;
	}
	if (pv_table_print_kv(stdout, keys, vals, n, style, &err))
		return pv_cli_error(&err);

	pv_buf vb;
	pv_buf_init(&vb, 0);
	for (size_t i = 0; i < m->n_key_value_metadata; i++) {
		const pv_kv *kv = &m->key_value_metadata[i];
		size_t len = kv->has_value ? kv->value_len : 0;
		pv_buf_reset(&vb);
		if (len > 200) /* ARROW:schema and friends: long base64 blobs */
			pv_buf_printf(&vb, NULL, "(%zu bytes)", len);
		else if (kv->has_value)
			pv_buf_append(&vb, kv->value, len, NULL);
		printf("  %skv%s %s = %s\n", pv_term_dim(t), pv_term_reset(t), kv->key,
		       vb.data ? vb.data : "");
	}
	pv_buf_release(&vb);

	int status = 0; /* raised by unreadable pages, index or filters */
	pv_buf tb, tb2; /* min and max text */
	pv_buf_init(&tb, 0);
	pv_buf_init(&tb2, 0);
	int rc = 0;
	for (size_t g = 0; g < m->n_row_groups && !rc; g++) {
		if (!row_group_selected(o, g))
			continue;
		const pv_row_group *rg = &m->row_groups[g];
		printf("\n%srow group %zu%s: %s rows, %s", pv_term_bold(t), g, pv_term_reset(t),
		       pv_units_count(rg->num_rows, a, sizeof a),
		       pv_units_bytes(rg->total_byte_size, b, sizeof b));
		if (rg->has_total_compressed_size)
			printf(" (%s compressed)", pv_units_bytes(rg->total_compressed_size, a, sizeof a));
		if (rg->has_file_offset)
			printf(", offset %lld", (long long)rg->file_offset);
		if (rg->has_ordinal)
			printf(", ordinal %d", rg->ordinal);
		printf("\n");
		for (size_t s = 0; s < rg->n_sorting_columns; s++) {
			const pv_sorting_column *sc = &rg->sorting_columns[s];
			const char *name = sc->column_idx >= 0 && (size_t)sc->column_idx < pf->schema->n_leaves
						   ? pf->schema->leaves[sc->column_idx]->path
						   : "?";
			printf("  sorted by %s %s, nulls %s\n", name, sc->descending ? "DESC" : "ASC",
			       sc->nulls_first ? "first" : "last");
		}
		pv_table *tab;
		if ((rc = pv_table_new(&tab, &err)))
			break;
		static const char *heads[] = { "column", "type", "codec", "encodings", "compressed",
					       "uncompressed", "values", "nulls", "min", "max",
					       "dict", "index", "bloom" };
		for (size_t h = 0; !rc && h < sizeof heads / sizeof *heads; h++)
			rc = pv_table_add_column(tab, heads[h],
						 h >= 4 && h <= 7 ? PV_ALIGN_RIGHT : PV_ALIGN_LEFT, &err);
		for (size_t c = 0; !rc && c < rg->n_columns; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			const pv_schema_node *leaf = pf->schema->leaves[c];
			if (!column_selected(o, leaf))
				continue;
			char type[160];
			pv_schema_type_str(leaf, type, sizeof type);
			if (!cc->has_meta_data) {
				rc = pv_table_add_cellf(tab, &err, "%s (encrypted)", leaf->path) ||
				     pv_table_add_cell(tab, type, strlen(type), &err) ||
				     pv_table_add_cellf(tab, &err, "(encrypted column)") ||
				     pv_table_end_row(tab, &err);
				continue;
			}
			const pv_column_meta *cm = &cc->meta_data;
			char encs[256], nulls[32] = "";
			const char *mark = "", *mn = "", *mx = "";
			encodings_text(cm, encs, sizeof encs);
			if (cm->has_statistics && cm->statistics.has_null_count)
				pv_units_count(cm->statistics.null_count, nulls, sizeof nulls);
			pv_value vmin, vmax;
			bool trusted = false;
			pv_err se;
			if (pv_stats_minmax(cc, leaf, m->created_by, &vmin, &vmax, &trusted, &se)) {
				mark = "bad statistics: ";
				mn = se.msg;
			} else {
				mark = trusted ? "" : "~";
				mn = value_text(&vmin, &tb);
				mx = value_text(&vmax, &tb2);
			}
			rc = pv_table_add_cellf(tab, &err, "%s%s", leaf->path,
						cc->encrypted ? " (encrypted)" : "") ||
			     pv_table_add_cell(tab, type, strlen(type), &err) ||
			     pv_table_add_cellf(tab, &err, "%s", pv_codec_name(cm->codec)) ||
			     pv_table_add_cell(tab, encs, strlen(encs), &err) ||
			     pv_table_add_cellf(tab, &err, "%s",
						pv_units_bytes(cm->total_compressed_size, a, sizeof a)) ||
			     pv_table_add_cellf(tab, &err, "%s",
						pv_units_bytes(cm->total_uncompressed_size, b, sizeof b)) ||
			     pv_table_add_cellf(tab, &err, "%s",
						pv_units_count(cm->num_values, a, sizeof a)) ||
			     pv_table_add_cell(tab, nulls, strlen(nulls), &err) ||
			     pv_table_add_cellf(tab, &err, "%s%s", *mn ? mark : "", mn) ||
			     pv_table_add_cellf(tab, &err, "%s%s", *mx ? mark : "", mx) ||
			     pv_table_add_cellf(tab, &err, "%s",
						cm->has_dictionary_page_offset ? "yes" : "") ||
			     pv_table_add_cellf(tab, &err, "%s%s",
						cc->has_column_index_offset ? "col" : "",
						cc->has_offset_index_offset
							? (cc->has_column_index_offset ? "+off" : "off")
							: "") ||
			     pv_table_add_cellf(tab, &err, "%s", cm->has_bloom_filter_offset ? "yes" : "");
			for (size_t k = 0; !rc && k < cm->n_key_value_metadata; k++) {
				const pv_kv *kv = &cm->key_value_metadata[k];
				rc = pv_table_add_cellf(tab, &err, "  kv %s = %.*s", kv->key,
							kv->has_value ? (int)(kv->value_len > 200 ? 200 : kv->value_len) : 0,
							kv->has_value ? kv->value : "") ||
				     pv_table_end_row(tab, &err);
			}
		}
		if (!rc)
			rc = pv_table_print(tab, stdout, style, &err);
		pv_table_free(tab);
		if (!rc && (o->pages || o->index || o->bloom))
			rc = pv_metadeep_human(pf, g, o->pages, o->index, o->bloom, column_selected, o,
					       &o->com.term, style, &status, &err);
	}
	pv_buf_release(&tb);
	pv_buf_release(&tb2);
	if (rc)
		return pv_cli_error(&err);
	return status;
}

/* ---- JSON */

static void json_bytes_kv(pv_json *j, const pv_kv *kvs, size_t n)
{
	pv_json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		pv_json_object_begin(j);
		pv_json_kstr(j, "key", kvs[i].key);
		pv_json_key(j, "value");
		if (kvs[i].has_value)
			pv_json_strn(j, kvs[i].value, kvs[i].value_len);
		else
			pv_json_null(j);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
}

static void json_value(pv_json *j, const char *key, const pv_value *v)
{
	pv_json_key(j, key);
	pv_err e;
	if (v->kind == PV_VAL_NULL)
		pv_json_null(j);
	else
		pv_cell_json(v, j, &e);
}

static void json_stats(pv_json *j, const pv_column_chunk *cc, const pv_schema_node *leaf,
		       const char *created_by)
{
	const pv_statistics *st = &cc->meta_data.statistics;
	pv_json_object_begin(j);
	if (st->has_null_count)
		pv_json_kint(j, "null_count", st->null_count);
	if (st->has_distinct_count)
		pv_json_kint(j, "distinct_count", st->distinct_count);
	if (st->has_nan_count)
		pv_json_kint(j, "nan_count", st->nan_count);
	pv_value vmin, vmax;
	bool trusted = false;
	pv_err e;
	if (pv_stats_minmax(cc, leaf, created_by, &vmin, &vmax, &trusted, &e)) {
		pv_json_kstr(j, "error", e.msg);
	} else {
		json_value(j, "min", &vmin);
		json_value(j, "max", &vmax);
		pv_json_kbool(j, "minmax_trusted", trusted);
	}
	if (st->has_is_min_value_exact)
		pv_json_kbool(j, "is_min_value_exact", st->is_min_value_exact);
	if (st->has_is_max_value_exact)
		pv_json_kbool(j, "is_max_value_exact", st->is_max_value_exact);
	pv_json_kstr(j, "source", st->has_min_value || st->has_max_value ? "min_value/max_value"
				  : st->has_min || st->has_max		 ? "min/max (deprecated)"
									 : "none");
	pv_json_object_end(j);
}

static void json_chunk(pv_json *j, const pv_pfile *pf, const pv_column_chunk *cc,
		       const pv_schema_node *leaf)
{
	char buf[160];
	pv_json_object_begin(j);
	pv_json_kstr(j, "path", leaf->path);
	pv_json_kstr(j, "type", pv_schema_type_str(leaf, buf, sizeof buf));
	pv_json_kbool(j, "encrypted", cc->encrypted);
	if (cc->file_path)
		pv_json_kstr(j, "file_path", cc->file_path);
	if (cc->has_meta_data) {
		const pv_column_meta *cm = &cc->meta_data;
		pv_json_kstr(j, "physical_type", pv_physical_type_name(cm->type));
		pv_json_kstr(j, "codec", pv_codec_name(cm->codec));
		pv_json_key(j, "encodings");
		pv_json_array_begin(j);
		for (size_t i = 0; i < cm->n_encodings; i++)
			pv_json_str(j, pv_encoding_name(cm->encodings[i]));
		pv_json_array_end(j);
		if (cm->has_encoding_stats) {
			pv_json_key(j, "encoding_stats");
			pv_json_array_begin(j);
			for (size_t i = 0; i < cm->n_encoding_stats; i++) {
				pv_json_object_begin(j);
				pv_json_kstr(j, "page_type", pv_page_type_name(cm->encoding_stats[i].page_type));
				pv_json_kstr(j, "encoding", pv_encoding_name(cm->encoding_stats[i].encoding));
				pv_json_kint(j, "count", cm->encoding_stats[i].count);
				pv_json_object_end(j);
			}
			pv_json_array_end(j);
		}
		pv_json_kint(j, "num_values", cm->num_values);
		pv_json_kint(j, "total_compressed_size", cm->total_compressed_size);
		pv_json_kint(j, "total_uncompressed_size", cm->total_uncompressed_size);
		pv_json_kint(j, "data_page_offset", cm->data_page_offset);
		if (cm->has_dictionary_page_offset)
			pv_json_kint(j, "dictionary_page_offset", cm->dictionary_page_offset);
		if (cm->has_index_page_offset)
			pv_json_kint(j, "index_page_offset", cm->index_page_offset);
		pv_json_key(j, "statistics");
		if (cm->has_statistics)
			json_stats(j, cc, leaf, pf->meta->created_by);
		else
			pv_json_null(j);
		if (cm->has_bloom_filter_offset)
			pv_json_kint(j, "bloom_filter_offset", cm->bloom_filter_offset);
		if (cm->has_bloom_filter_length)
			pv_json_kint(j, "bloom_filter_length", cm->bloom_filter_length);
		if (cm->has_size_statistics) {
			const pv_size_statistics *ss = &cm->size_statistics;
			pv_json_key(j, "size_statistics");
			pv_json_object_begin(j);
			if (ss->has_unencoded_byte_array_data_bytes)
				pv_json_kint(j, "unencoded_byte_array_data_bytes",
					     ss->unencoded_byte_array_data_bytes);
			pv_json_key(j, "repetition_level_histogram");
			pv_json_array_begin(j);
			for (size_t i = 0; i < ss->n_repetition_level_histogram; i++)
				pv_json_int(j, ss->repetition_level_histogram[i]);
			pv_json_array_end(j);
			pv_json_key(j, "definition_level_histogram");
			pv_json_array_begin(j);
			for (size_t i = 0; i < ss->n_definition_level_histogram; i++)
				pv_json_int(j, ss->definition_level_histogram[i]);
			pv_json_array_end(j);
			pv_json_object_end(j);
		}
		if (cm->has_geospatial_statistics) {
			const pv_geo_statistics *gs = &cm->geospatial_statistics;
			pv_json_key(j, "geospatial_statistics");
			pv_json_object_begin(j);
			if (gs->has_bbox) {
				pv_json_key(j, "bbox");
				pv_json_object_begin(j);
				pv_json_kdouble(j, "xmin", gs->bbox.xmin);
				pv_json_kdouble(j, "xmax", gs->bbox.xmax);
				pv_json_kdouble(j, "ymin", gs->bbox.ymin);
				pv_json_kdouble(j, "ymax", gs->bbox.ymax);
				if (gs->bbox.has_zmin)
					pv_json_kdouble(j, "zmin", gs->bbox.zmin);
				if (gs->bbox.has_zmax)
					pv_json_kdouble(j, "zmax", gs->bbox.zmax);
				if (gs->bbox.has_mmin)
					pv_json_kdouble(j, "mmin", gs->bbox.mmin);
				if (gs->bbox.has_mmax)
					pv_json_kdouble(j, "mmax", gs->bbox.mmax);
				pv_json_object_end(j);
			}
			pv_json_key(j, "geospatial_types");
			pv_json_array_begin(j);
			for (size_t i = 0; i < gs->n_geospatial_types; i++)
				pv_json_int(j, gs->geospatial_types[i]);
			pv_json_array_end(j);
			pv_json_object_end(j);
		}
		if (cm->has_key_value_metadata) {
			pv_json_key(j, "key_value_metadata");
			json_bytes_kv(j, cm->key_value_metadata, cm->n_key_value_metadata);
		}
	}
	if (cc->has_column_index_offset) {
		pv_json_kint(j, "column_index_offset", cc->column_index_offset);
		pv_json_kint(j, "column_index_length", cc->has_column_index_length ? cc->column_index_length : -1);
	}
	if (cc->has_offset_index_offset) {
		pv_json_kint(j, "offset_index_offset", cc->offset_index_offset);
		pv_json_kint(j, "offset_index_length", cc->has_offset_index_length ? cc->offset_index_length : -1);
	}
}

static int print_file_json(pv_json *j, const pv_pfile *pf, const meta_opts *o)
{
	const pv_file_meta *m = pf->meta;
	pv_json_object_begin(j);
	pv_json_kstr(j, "path", pf->path);
	pv_json_kint(j, "size", pf->size);
	pv_json_kint(j, "footer_length", pf->footer_len);
	pv_json_kint(j, "version", m->version);
	pv_json_kstr(j, "created_by", m->created_by);
	pv_json_kint(j, "num_rows", m->num_rows);
	pv_json_kint(j, "num_row_groups", (int64_t)m->n_row_groups);
	pv_json_kint(j, "num_columns", (int64_t)pf->schema->n_leaves);
	pv_json_key(j, "key_value_metadata");
	json_bytes_kv(j, m->key_value_metadata, m->n_key_value_metadata);
	if (m->has_column_orders) {
		pv_json_key(j, "column_orders");
		pv_json_array_begin(j);
		for (size_t i = 0; i < m->n_column_orders; i++) {
			int k = m->column_orders[i].kind;
			pv_json_str(j, k == PV_ORDER_TYPE_DEFINED	? "TYPE_DEFINED_ORDER"
				       : k == PV_ORDER_IEEE754_TOTAL	? "IEEE_754_TOTAL_ORDER"
				       : k == PV_ORDER_INT96_TIMESTAMP ? "INT96_TIMESTAMP_ORDER"
								       : "UNKNOWN");
		}
		pv_json_array_end(j);
	}
	if (m->has_encryption_algorithm)
		pv_json_kstr(j, "encryption_algorithm",
			     m->encryption_algorithm.kind == 1 ? "AES_GCM_V1" : "AES_GCM_CTR_V1");
	pv_json_key(j, "row_groups");
	pv_json_array_begin(j);
	int rc = 0;
	for (size_t g = 0; g < m->n_row_groups; g++) {
		if (!row_group_selected(o, g))
			continue;
		const pv_row_group *rg = &m->row_groups[g];
		pv_json_object_begin(j);
		pv_json_kint(j, "index", (int64_t)g);
		pv_json_kint(j, "num_rows", rg->num_rows);
		pv_json_kint(j, "total_byte_size", rg->total_byte_size);
		if (rg->has_total_compressed_size)
			pv_json_kint(j, "total_compressed_size", rg->total_compressed_size);
		if (rg->has_file_offset)
			pv_json_kint(j, "file_offset", rg->file_offset);
		if (rg->has_ordinal)
			pv_json_kint(j, "ordinal", rg->ordinal);
		pv_json_key(j, "sorting_columns");
		pv_json_array_begin(j);
		for (size_t s = 0; s < rg->n_sorting_columns; s++) {
			const pv_sorting_column *sc = &rg->sorting_columns[s];
			pv_json_object_begin(j);
			pv_json_kint(j, "column_index", sc->column_idx);
			if (sc->column_idx >= 0 && (size_t)sc->column_idx < pf->schema->n_leaves)
				pv_json_kstr(j, "path", pf->schema->leaves[sc->column_idx]->path);
			pv_json_kbool(j, "descending", sc->descending);
			pv_json_kbool(j, "nulls_first", sc->nulls_first);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_key(j, "columns");
		pv_json_array_begin(j);
		for (size_t c = 0; c < rg->n_columns; c++) {
			const pv_schema_node *leaf = pf->schema->leaves[c];
			if (!column_selected(o, leaf))
				continue;
			/* json_chunk leaves the chunk's object open for the deep parts */
			json_chunk(j, pf, &rg->columns[c], leaf);
			if (!rc && (o->pages || o->index || o->bloom))
				rc = pv_metadeep_json(j, pf, g, c, o->pages, o->index, o->bloom);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_object_end(j);
	return rc;
}

int pv_cmd_meta(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "pages", no_argument, NULL, 'p' },
					      { "index", no_argument, NULL, 'i' },
					      { "bloom", required_argument, NULL, 'b' },
					      { "columns", required_argument, NULL, 'c' },
					      { "row-groups", required_argument, NULL, 'g' },
					      { NULL, 0, NULL, 0 } };
	meta_opts o = { 0 };
	int opt, code = 0;
	char **groups = NULL, *groups_copy = NULL;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		bool done;
		int rc = pv_cli_common_opt(&o.com, opt, optarg, "meta", help, &done);
		if (done)
			goto out;
		if (rc > 0) {
			code = rc;
			goto out;
		}
		if (rc == 0)
			continue;
		switch (opt) {
		case 'p': o.pages = true; break;
		case 'i': o.index = true; break;
		case 'b':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				code = pv_cli_usage("meta", "--bloom takes COLUMN=VALUE, not '%s'", optarg);
				goto out;
			}
			o.bloom = optarg;
			break;
		case 'c':
			free(o.columns_copy);
			free(o.columns);
			o.columns = NULL;
			o.columns_copy = NULL;
			if (split_list(optarg, &o.columns, &o.n_columns, &o.columns_copy)) {
				code = pv_cli_usage("meta", "--columns takes a comma-separated list");
				goto out;
			}
			break;
		case 'g': {
			size_t n;
			free(groups_copy);
			free(groups);
			groups = NULL;
			groups_copy = NULL;
			if (split_list(optarg, &groups, &n, &groups_copy) ||
			    !(o.row_groups = realloc(o.row_groups, n * sizeof *o.row_groups))) {
				code = pv_cli_usage("meta", "--row-groups takes a comma-separated list");
				goto out;
			}
			o.n_row_groups = n;
			for (size_t i = 0; i < n; i++) {
				long long v;
				if (!pv_cli_parse_i64(groups[i], &v)) {
					code = pv_cli_usage("meta", "'%s' is not a row group number", groups[i]);
					goto out;
				}
				o.row_groups[i] = (long)v;
			}
			break;
		}
		default:
			code = pv_cli_bad_option("meta", argv);
			goto out;
		}
	}
	pv_cli_begin(&o.com);
	pv_dataset *ds = pv_cli_open_dataset("meta", argv + optind, argc - optind, &code);
	if (!ds)
		goto out;
	if (o.bloom) {
		/* the column must exist somewhere, or the probe silently says nothing */
		char col[512];
		snprintf(col, sizeof col, "%.*s", (int)(strchr(o.bloom, '=') - o.bloom), o.bloom);
		bool found = false;
		for (size_t i = 0; i < ds->n_files && !found; i++)
			found = ds->files[i].pf && pv_schema_find(ds->files[i].pf->schema, col);
		if (!found) {
			fprintf(stderr, "parqview: no column '%s' in any file\n", col);
			code = PV_EXIT_USAGE;
			pv_dataset_free(ds);
			goto out;
		}
	}
	pv_table_style style;
	pv_table_style_for(&style, &o.com.term);
	pv_json j;
	if (o.com.json) {
		pv_json_init_file(&j, stdout, true);
		pv_json_object_begin(&j);
		pv_json_key(&j, "files");
		pv_json_array_begin(&j);
	}
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		if (!pf)
			continue;
		int rc = o.com.json ? print_file_json(&j, pf, &o) : print_file_human(pf, &o, &style);
		if (rc > code)
			code = rc;
		if (!o.com.json && i + 1 < ds->n_files)
			printf("\n");
	}
	if (o.com.json) {
		pv_json_array_end(&j);
		pv_json_key(&j, "errors");
		pv_json_array_begin(&j);
		for (size_t i = 0; i < ds->n_files; i++)
			if (!ds->files[i].pf) {
				pv_json_object_begin(&j);
				pv_json_kstr(&j, "path", ds->files[i].path);
				pv_json_kstr(&j, "code", pv_code_name(ds->files[i].err->code));
				pv_json_kstr(&j, "message", ds->files[i].err->msg);
				pv_json_object_end(&j);
			}
		pv_json_array_end(&j);
		pv_json_object_end(&j);
		if (pv_json_finish(&j) && !code)
			code = PV_EXIT_DATA;
	}
	pv_dataset_free(ds);
out:
	free(o.columns_copy);
	free(o.columns);
	free(groups_copy);
	free(groups);
	free(o.row_groups);
	return code;
}
