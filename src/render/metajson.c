/*
 * metajson.c - footer metadata and schemas as the JSON documents of
 * `meta --json` and `schema --json`, for the CLI and the server alike.
 * Includes nothing above render.
 */
#include "render/metajson.h"

#include <stdint.h>
#include <string.h>

#include "format/stats.h"
#include "render/cell.h"
#include "base/banned.h"

const char *pv_metajson_repetition(const pv_schema_node *n)
{
	switch (n->repetition) {
	case PV_REP_REQUIRED: return "required";
	case PV_REP_OPTIONAL: return "optional";
	case PV_REP_REPEATED: return "repeated";
	default: return "vector";
	}
}


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

int pv_metajson_file(pv_json *j, const pv_pfile *pf, const pv_metajson_sel *sel)
{
	static const pv_metajson_sel all = { 0 };
	const pv_metajson_sel *o = sel ? sel : &all;
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
		if (o->row_group && !o->row_group(o->ctx, g))
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
			if (o->column && !o->column(o->ctx, leaf))
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


void pv_metajson_node(pv_json *j, const pv_schema_node *n)
{
	char buf[256];
	const pv_schema_element *e = n->element;
	pv_json_object_begin(j);
	pv_json_kstr(j, "name", n->name);
	pv_json_kstr(j, "path", n->path);
	pv_json_kstr(j, "type", pv_schema_type_str(n, buf, sizeof buf));
	pv_json_kstr(j, "shape", pv_shape_name(n->shape));
	pv_json_key(j, "physical_type");
	if (e->has_type)
		pv_json_str(j, pv_physical_type_name(e->type));
	else
		pv_json_null(j);
	if (e->has_type_length)
		pv_json_kint(j, "type_length", e->type_length);
	pv_json_key(j, "logical_type");
	if (e->has_logical_type)
		pv_json_str(j, pv_logical_type_str(&e->logical_type, buf, sizeof buf));
	else
		pv_json_null(j);
	pv_json_key(j, "converted_type");
	if (e->has_converted_type)
		pv_json_str(j, pv_converted_type_name(e->converted_type));
	else
		pv_json_null(j);
	if (e->has_precision || e->has_scale) {
		pv_json_kint(j, "precision", e->precision);
		pv_json_kint(j, "scale", e->scale);
	}
	pv_json_kstr(j, "repetition", pv_metajson_repetition(n));
	pv_json_kbool(j, "nullable", n->repetition == PV_REP_OPTIONAL);
	if (e->has_field_id)
		pv_json_kint(j, "field_id", e->field_id);
	if (n->is_leaf) {
		pv_json_kint(j, "column_index", (int64_t)n->leaf_index);
		pv_json_kint(j, "max_definition_level", n->max_def);
		pv_json_kint(j, "max_repetition_level", n->max_rep);
	} else {
		pv_json_key(j, "children");
		pv_json_array_begin(j);
		for (size_t i = 0; i < n->n_children; i++)
			pv_metajson_node(j, n->children[i]);
		pv_json_array_end(j);
	}
	pv_json_object_end(j);
}

void pv_metajson_schema(pv_json *j, const pv_dataset *ds)
{
	pv_json_object_begin(j);
	pv_json_kint(j, "n_files", (int64_t)ds->n_files);
	pv_json_kint(j, "n_unreadable", (int64_t)ds->n_failed);
	pv_json_key(j, "columns");
	pv_json_array_begin(j);
	for (size_t c = 0; c < ds->n_columns; c++) {
		const pv_dataset_column *col = &ds->columns[c];
		pv_json_object_begin(j);
		pv_json_kstr(j, "name", col->name);
		pv_json_kstr(j, "type", col->type);
		pv_json_kbool(j, "nullable", col->nullable);
		pv_json_kbool(j, "partition", col->is_partition);
		if (!col->is_partition) {
			pv_json_key(j, "field");
			pv_metajson_node(j, col->node);
		}
		pv_json_key(j, "missing_from");
		pv_json_array_begin(j);
		for (size_t i = 0; i < col->n_missing; i++)
			pv_json_str(j, ds->files[col->missing[i]].path);
		pv_json_array_end(j);
		pv_json_key(j, "conflicts");
		pv_json_array_begin(j);
		for (size_t i = 0; i < col->n_conflicts; i++) {
			pv_json_object_begin(j);
			pv_json_kstr(j, "path", ds->files[col->conflicts[i].file].path);
			pv_json_kstr(j, "type", col->conflicts[i].type);
			pv_json_object_end(j);
		}
		pv_json_array_end(j);
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_json_object_end(j);
}
