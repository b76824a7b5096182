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
#include "format/schema.h"
#include "render/metadeep.h"
#include "render/metajson.h"
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
	for (size_t i = 0; i < o->n_columns; i++)
		if (pv_schema_path_under(leaf->path, o->columns[i]))
			return true;
	return false;
}

static bool row_group_selected(const void *ctx, size_t g)
{
	const meta_opts *o = ctx;
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
	int opt_exit;
	while ((opt = pv_cli_next_opt(&o.com, argc, argv, "h", opts, "meta", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT) {
			code = opt_exit;
			goto out;
		}
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
	pv_metajson_sel sel = { .column = column_selected, .row_group = row_group_selected,
				.ctx = &o, .pages = o.pages, .index = o.index, .bloom = o.bloom };
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
		int rc = o.com.json ? pv_metajson_file(&j, pf, &sel) : print_file_human(pf, &o, &style);
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
