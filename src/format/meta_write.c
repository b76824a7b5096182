/*
 * meta_write.c - a pv_file_meta back to Thrift compact bytes (see meta.h).
 * Writes every present field in field-id order, so parse -> write -> parse
 * gives the same model. Includes only base and format.
 */
#include "format/meta.h"

#include <string.h>

#include "base/banned.h"

typedef pv_thrift_writer W;

static void w_bytes(W *w, int16_t id, pv_bytes b)
{
	pv_thrift_write_field_binary(w, id, b.ptr, b.len);
}

static void w_empty_struct(W *w, int16_t id)
{
	pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_struct_end(w);
}

static void w_string_list(W *w, int16_t id, const char *const *s, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_LIST, id);
	pv_thrift_write_list_begin(w, PV_THRIFT_BINARY, n);
	for (size_t i = 0; i < n; i++)
		pv_thrift_write_string(w, s[i]);
}

static void w_i32_list(W *w, int16_t id, const int32_t *v, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_LIST, id);
	pv_thrift_write_list_begin(w, PV_THRIFT_I32, n);
	for (size_t i = 0; i < n; i++)
		pv_thrift_write_i32(w, v[i]);
}

static void w_i64_list(W *w, int16_t id, const int64_t *v, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_LIST, id);
	pv_thrift_write_list_begin(w, PV_THRIFT_I64, n);
	for (size_t i = 0; i < n; i++)
		pv_thrift_write_i64(w, v[i]);
}

static void w_kvs(W *w, int16_t id, const pv_kv *kv, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_LIST, id);
	pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, n);
	for (size_t i = 0; i < n; i++) {
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_string(w, 1, kv[i].key);
		if (kv[i].has_value)
			pv_thrift_write_field_binary(w, 2, kv[i].value, kv[i].value_len);
		pv_thrift_write_struct_end(w);
	}
}

static void w_time_unit(W *w, int16_t id, pv_time_unit u)
{
	pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
	pv_thrift_write_struct_begin(w);
	w_empty_struct(w, (int16_t)(u + 1));
	pv_thrift_write_struct_end(w);
}

static void w_logical_type(W *w, const pv_logical_type *lt)
{
	pv_thrift_write_struct_begin(w);
	int16_t id = (int16_t)lt->kind;
	switch (lt->kind) {
	case PV_LOGICAL_NONE:
		break;
	case PV_LOGICAL_DECIMAL:
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_i32(w, 1, lt->scale);
		pv_thrift_write_field_i32(w, 2, lt->precision);
		pv_thrift_write_struct_end(w);
		break;
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field_bool(w, 1, lt->utc);
		w_time_unit(w, 2, lt->unit);
		pv_thrift_write_struct_end(w);
		break;
	case PV_LOGICAL_INTEGER:
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
		pv_thrift_write_struct_begin(w);
		pv_thrift_write_field(w, PV_THRIFT_I8, 1);
		pv_thrift_write_i8(w, lt->bit_width);
		pv_thrift_write_field_bool(w, 2, lt->is_signed);
		pv_thrift_write_struct_end(w);
		break;
	case PV_LOGICAL_VARIANT:
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
		pv_thrift_write_struct_begin(w);
		if (lt->has_spec_version) {
			pv_thrift_write_field(w, PV_THRIFT_I8, 1);
			pv_thrift_write_i8(w, lt->spec_version);
		}
		pv_thrift_write_struct_end(w);
		break;
	case PV_LOGICAL_GEOMETRY:
	case PV_LOGICAL_GEOGRAPHY:
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, id);
		pv_thrift_write_struct_begin(w);
		if (lt->crs)
			pv_thrift_write_field_string(w, 1, lt->crs);
		if (lt->kind == PV_LOGICAL_GEOGRAPHY && lt->has_algorithm)
			pv_thrift_write_field_i32(w, 2, lt->algorithm);
		pv_thrift_write_struct_end(w);
		break;
	case PV_LOGICAL_FUTURE:
		/* An unknown time unit has no id to give back; the member did. */
		if (lt->future_id > 0)
			w_empty_struct(w, lt->future_id);
		break;
	default:
		w_empty_struct(w, id);
		break;
	}
	pv_thrift_write_struct_end(w);
}

static void w_schema_element(W *w, const pv_schema_element *e)
{
	pv_thrift_write_struct_begin(w);
	if (e->has_type)
		pv_thrift_write_field_i32(w, 1, e->type);
	if (e->has_type_length)
		pv_thrift_write_field_i32(w, 2, e->type_length);
	if (e->has_repetition)
		pv_thrift_write_field_i32(w, 3, e->repetition);
	pv_thrift_write_field_string(w, 4, e->name ? e->name : "");
	if (e->has_num_children)
		pv_thrift_write_field_i32(w, 5, e->num_children);
	if (e->has_converted_type)
		pv_thrift_write_field_i32(w, 6, e->converted_type);
	if (e->has_scale)
		pv_thrift_write_field_i32(w, 7, e->scale);
	if (e->has_precision)
		pv_thrift_write_field_i32(w, 8, e->precision);
	if (e->has_field_id)
		pv_thrift_write_field_i32(w, 9, e->field_id);
	if (e->has_logical_type) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 10);
		w_logical_type(w, &e->logical_type);
	}
	if (e->has_vector_length)
		pv_thrift_write_field_i32(w, 11, e->vector_length);
	pv_thrift_write_struct_end(w);
}

void pv_meta_write_statistics(pv_thrift_writer *w, const pv_statistics *s)
{
	pv_thrift_write_struct_begin(w);
	if (s->has_max)
		w_bytes(w, 1, s->max);
	if (s->has_min)
		w_bytes(w, 2, s->min);
	if (s->has_null_count)
		pv_thrift_write_field_i64(w, 3, s->null_count);
	if (s->has_distinct_count)
		pv_thrift_write_field_i64(w, 4, s->distinct_count);
	if (s->has_max_value)
		w_bytes(w, 5, s->max_value);
	if (s->has_min_value)
		w_bytes(w, 6, s->min_value);
	if (s->has_is_max_value_exact)
		pv_thrift_write_field_bool(w, 7, s->is_max_value_exact);
	if (s->has_is_min_value_exact)
		pv_thrift_write_field_bool(w, 8, s->is_min_value_exact);
	if (s->has_nan_count)
		pv_thrift_write_field_i64(w, 9, s->nan_count);
	pv_thrift_write_struct_end(w);
}

static void w_size_statistics(W *w, const pv_size_statistics *s)
{
	pv_thrift_write_struct_begin(w);
	if (s->has_unencoded_byte_array_data_bytes)
		pv_thrift_write_field_i64(w, 1, s->unencoded_byte_array_data_bytes);
	if (s->has_repetition_level_histogram)
		w_i64_list(w, 2, s->repetition_level_histogram, s->n_repetition_level_histogram);
	if (s->has_definition_level_histogram)
		w_i64_list(w, 3, s->definition_level_histogram, s->n_definition_level_histogram);
	pv_thrift_write_struct_end(w);
}

static void w_double(W *w, int16_t id, double v)
{
	pv_thrift_write_field(w, PV_THRIFT_DOUBLE, id);
	pv_thrift_write_double(w, v);
}

static void w_geo_statistics(W *w, const pv_geo_statistics *g)
{
	pv_thrift_write_struct_begin(w);
	if (g->has_bbox) {
		const pv_bounding_box *b = &g->bbox;
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 1);
		pv_thrift_write_struct_begin(w);
		w_double(w, 1, b->xmin);
		w_double(w, 2, b->xmax);
		w_double(w, 3, b->ymin);
		w_double(w, 4, b->ymax);
		if (b->has_zmin)
			w_double(w, 5, b->zmin);
		if (b->has_zmax)
			w_double(w, 6, b->zmax);
		if (b->has_mmin)
			w_double(w, 7, b->mmin);
		if (b->has_mmax)
			w_double(w, 8, b->mmax);
		pv_thrift_write_struct_end(w);
	}
	if (g->has_geospatial_types)
		w_i32_list(w, 2, g->geospatial_types, g->n_geospatial_types);
	pv_thrift_write_struct_end(w);
}

static void w_column_meta(W *w, const pv_column_meta *m)
{
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field_i32(w, 1, m->type);
	w_i32_list(w, 2, m->encodings, m->n_encodings);
	w_string_list(w, 3, m->path_in_schema, m->n_path_in_schema);
	pv_thrift_write_field_i32(w, 4, m->codec);
	pv_thrift_write_field_i64(w, 5, m->num_values);
	pv_thrift_write_field_i64(w, 6, m->total_uncompressed_size);
	pv_thrift_write_field_i64(w, 7, m->total_compressed_size);
	if (m->has_key_value_metadata)
		w_kvs(w, 8, m->key_value_metadata, m->n_key_value_metadata);
	pv_thrift_write_field_i64(w, 9, m->data_page_offset);
	if (m->has_index_page_offset)
		pv_thrift_write_field_i64(w, 10, m->index_page_offset);
	if (m->has_dictionary_page_offset)
		pv_thrift_write_field_i64(w, 11, m->dictionary_page_offset);
	if (m->has_statistics) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 12);
		pv_meta_write_statistics(w, &m->statistics);
	}
	if (m->has_encoding_stats) {
		pv_thrift_write_field(w, PV_THRIFT_LIST, 13);
		pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, m->n_encoding_stats);
		for (size_t i = 0; i < m->n_encoding_stats; i++) {
			const pv_page_encoding_stats *p = &m->encoding_stats[i];
			pv_thrift_write_struct_begin(w);
			pv_thrift_write_field_i32(w, 1, p->page_type);
			pv_thrift_write_field_i32(w, 2, p->encoding);
			pv_thrift_write_field_i32(w, 3, p->count);
			pv_thrift_write_struct_end(w);
		}
	}
	if (m->has_bloom_filter_offset)
		pv_thrift_write_field_i64(w, 14, m->bloom_filter_offset);
	if (m->has_bloom_filter_length)
		pv_thrift_write_field_i32(w, 15, m->bloom_filter_length);
	if (m->has_size_statistics) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 16);
		w_size_statistics(w, &m->size_statistics);
	}
	if (m->has_geospatial_statistics) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 17);
		w_geo_statistics(w, &m->geospatial_statistics);
	}
	pv_thrift_write_struct_end(w);
}

static void w_column_crypto(W *w, const pv_column_crypto *k)
{
	pv_thrift_write_struct_begin(w);
	if (k->kind == 2) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 2);
		pv_thrift_write_struct_begin(w);
		w_string_list(w, 1, k->path_in_schema, k->n_path_in_schema);
		if (k->has_key_metadata)
			w_bytes(w, 2, k->key_metadata);
		pv_thrift_write_struct_end(w);
	} else if (k->kind > 0) {
		w_empty_struct(w, (int16_t)k->kind);
	}
	pv_thrift_write_struct_end(w);
}

static void w_column_chunk(W *w, const pv_column_chunk *cc)
{
	pv_thrift_write_struct_begin(w);
	if (cc->file_path)
		pv_thrift_write_field_string(w, 1, cc->file_path);
	pv_thrift_write_field_i64(w, 2, cc->file_offset);
	if (cc->has_meta_data) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 3);
		w_column_meta(w, &cc->meta_data);
	}
	if (cc->has_offset_index_offset)
		pv_thrift_write_field_i64(w, 4, cc->offset_index_offset);
	if (cc->has_offset_index_length)
		pv_thrift_write_field_i32(w, 5, cc->offset_index_length);
	if (cc->has_column_index_offset)
		pv_thrift_write_field_i64(w, 6, cc->column_index_offset);
	if (cc->has_column_index_length)
		pv_thrift_write_field_i32(w, 7, cc->column_index_length);
	if (cc->encrypted) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 8);
		w_column_crypto(w, &cc->crypto_metadata);
	}
	if (cc->has_encrypted_column_metadata)
		w_bytes(w, 9, cc->encrypted_column_metadata);
	pv_thrift_write_struct_end(w);
}

static void w_row_group(W *w, const pv_row_group *g)
{
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field(w, PV_THRIFT_LIST, 1);
	pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, g->n_columns);
	for (size_t i = 0; i < g->n_columns; i++)
		w_column_chunk(w, &g->columns[i]);
	pv_thrift_write_field_i64(w, 2, g->total_byte_size);
	pv_thrift_write_field_i64(w, 3, g->num_rows);
	if (g->has_sorting_columns) {
		pv_thrift_write_field(w, PV_THRIFT_LIST, 4);
		pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, g->n_sorting_columns);
		for (size_t i = 0; i < g->n_sorting_columns; i++) {
			const pv_sorting_column *s = &g->sorting_columns[i];
			pv_thrift_write_struct_begin(w);
			pv_thrift_write_field_i32(w, 1, s->column_idx);
			pv_thrift_write_field_bool(w, 2, s->descending);
			pv_thrift_write_field_bool(w, 3, s->nulls_first);
			pv_thrift_write_struct_end(w);
		}
	}
	if (g->has_file_offset)
		pv_thrift_write_field_i64(w, 5, g->file_offset);
	if (g->has_total_compressed_size)
		pv_thrift_write_field_i64(w, 6, g->total_compressed_size);
	if (g->has_ordinal) {
		pv_thrift_write_field(w, PV_THRIFT_I16, 7);
		pv_thrift_write_i16(w, g->ordinal);
	}
	pv_thrift_write_struct_end(w);
}

static void w_encryption_algorithm(W *w, const pv_encryption_algorithm *e)
{
	pv_thrift_write_struct_begin(w);
	if (e->kind > 0) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, (int16_t)e->kind);
		pv_thrift_write_struct_begin(w);
		if (e->has_aad_prefix)
			w_bytes(w, 1, e->aad_prefix);
		if (e->has_aad_file_unique)
			w_bytes(w, 2, e->aad_file_unique);
		if (e->has_supply_aad_prefix)
			pv_thrift_write_field_bool(w, 3, e->supply_aad_prefix);
		pv_thrift_write_struct_end(w);
	}
	pv_thrift_write_struct_end(w);
}

int pv_meta_write(const pv_file_meta *m, pv_buf *out, pv_err *err)
{
	pv_thrift_writer wr, *w = &wr;
	pv_thrift_writer_init(w, out, err);
	pv_thrift_write_struct_begin(w);
	pv_thrift_write_field_i32(w, 1, m->version);
	pv_thrift_write_field(w, PV_THRIFT_LIST, 2);
	pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, m->n_schema);
	for (size_t i = 0; i < m->n_schema; i++)
		w_schema_element(w, &m->schema[i]);
	pv_thrift_write_field_i64(w, 3, m->num_rows);
	pv_thrift_write_field(w, PV_THRIFT_LIST, 4);
	pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, m->n_row_groups);
	for (size_t i = 0; i < m->n_row_groups; i++)
		w_row_group(w, &m->row_groups[i]);
	if (m->has_key_value_metadata)
		w_kvs(w, 5, m->key_value_metadata, m->n_key_value_metadata);
	if (m->created_by)
		pv_thrift_write_field_string(w, 6, m->created_by);
	if (m->has_column_orders) {
		pv_thrift_write_field(w, PV_THRIFT_LIST, 7);
		pv_thrift_write_list_begin(w, PV_THRIFT_STRUCT, m->n_column_orders);
		for (size_t i = 0; i < m->n_column_orders; i++) {
			const pv_column_order *o = &m->column_orders[i];
			pv_thrift_write_struct_begin(w);
			int16_t id = o->id > 0 ? o->id : (int16_t)o->kind;
			if (id > 0)
				w_empty_struct(w, id);
			pv_thrift_write_struct_end(w);
		}
	}
	if (m->has_encryption_algorithm) {
		pv_thrift_write_field(w, PV_THRIFT_STRUCT, 8);
		w_encryption_algorithm(w, &m->encryption_algorithm);
	}
	if (m->has_footer_signing_key_metadata)
		w_bytes(w, 9, m->footer_signing_key_metadata);
	pv_thrift_write_struct_end(w);
	return pv_thrift_writer_status(w);
}
