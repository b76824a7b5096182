/*
 * meta_read.c - FileMetaData from Thrift compact bytes into arena structs
 * (see meta.h). One function per Thrift struct; fields of an unexpected type
 * are skipped like unknown fields, required fields are checked once the
 * struct ends, and each level adds its context to an error on the way out
 * ("row group 2: column chunk 0: missing 'meta_data'").
 * Includes only base and format.
 */
#include "format/meta.h"

#include <inttypes.h>
#include <string.h>

#include "base/banned.h"

typedef struct rd {
	pv_thrift_reader *t;
	pv_arena *a;
} rd;

/* The field-loop idiom: `case N: IF(TYPE) { ...; continue; } break;`
 * falls through to pv_thrift_skip for unknown ids and unexpected types. */
#define IF(type) if (ft == (type))
#define SEEN(id) (seen |= (uint32_t)1 << (id))
#define HAS(id) (seen & ((uint32_t)1 << (id)))

static bool missing(rd *c, uint32_t seen, int id, const char *name)
{
	if (c->t->code)
		return true;
	if (HAS(id))
		return false;
	pv_thrift_fail(c->t, PV_ECORRUPT, "missing '%s'", name);
	return true;
}

static void prefix(rd *c, const char *what, size_t i)
{
	if (c->t->err)
		pv_err_prefix(c->t->err, "%s %zu", what, i);
}

static bool bytes(rd *c, pv_bytes *out)
{
	return pv_thrift_read_bytes_copy(c->t, c->a, &out->ptr, &out->len);
}

static const char *string(rd *c)
{
	return pv_thrift_read_string_copy(c->t, c->a, NULL);
}

/* An empty struct (the annotation members of unions). */
static void empty_struct(rd *c)
{
	pv_thrift_skip(c->t, PV_THRIFT_STRUCT);
}

/* ------------------------------------------------------------------ logical types */

/* TimeUnit union; false for a member this version does not know. */
static bool time_unit(rd *c, pv_time_unit *out)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	bool known = false;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_STRUCT && id >= 1 && id <= 3) {
			*out = (pv_time_unit)(id - 1);
			known = true;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	return known;
}

/* TimeType and TimestampType share their layout. */
static void time_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	bool unit_known = false;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_BOOL) { lt->utc = pv_thrift_read_bool(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_STRUCT) { unit_known = time_unit(c, &lt->unit); SEEN(2); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "isAdjustedToUTC") || missing(c, seen, 2, "unit"))
		return;
	if (!unit_known) {
		lt->future_id = 0;
		lt->kind = PV_LOGICAL_FUTURE;
	}
}

static void decimal_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { lt->scale = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_I32) { lt->precision = pv_thrift_read_i32(r); SEEN(2); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "scale") || missing(c, seen, 2, "precision"))
		return;
}

static void int_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I8) { lt->bit_width = pv_thrift_read_i8(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_BOOL) { lt->is_signed = pv_thrift_read_bool(r); SEEN(2); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "bitWidth") || missing(c, seen, 2, "isSigned"))
		return;
}

static void variant_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (id == 1 && ft == PV_THRIFT_I8) {
			lt->has_spec_version = true;
			lt->spec_version = pv_thrift_read_i8(r);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

/* GeometryType and GeographyType (the latter adds the algorithm). */
static void geo_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (id == 1 && ft == PV_THRIFT_BINARY) {
			lt->crs = string(c);
			continue;
		}
		if (id == 2 && ft == PV_THRIFT_I32 && lt->kind == PV_LOGICAL_GEOGRAPHY) {
			lt->has_algorithm = true;
			lt->algorithm = pv_thrift_read_i32(r);
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void logical_type(rd *c, pv_logical_type *lt)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	memset(lt, 0, sizeof *lt);
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft != PV_THRIFT_STRUCT) {
			pv_thrift_skip(r, ft);
			continue;
		}
		/* A union holds one member; should a writer send more, the last wins. */
		memset(lt, 0, sizeof *lt);
		switch (id) {
		case PV_LOGICAL_STRING:
		case PV_LOGICAL_MAP:
		case PV_LOGICAL_LIST:
		case PV_LOGICAL_ENUM:
		case PV_LOGICAL_DATE:
		case PV_LOGICAL_UNKNOWN:
		case PV_LOGICAL_JSON:
		case PV_LOGICAL_BSON:
		case PV_LOGICAL_UUID:
		case PV_LOGICAL_FLOAT16:
		case PV_LOGICAL_VECTOR:
			lt->kind = (pv_logical_kind)id;
			empty_struct(c);
			break;
		case PV_LOGICAL_DECIMAL:
			lt->kind = PV_LOGICAL_DECIMAL;
			decimal_type(c, lt);
			break;
		case PV_LOGICAL_TIME:
		case PV_LOGICAL_TIMESTAMP:
			lt->kind = (pv_logical_kind)id;
			time_type(c, lt);
			break;
		case PV_LOGICAL_INTEGER:
			lt->kind = PV_LOGICAL_INTEGER;
			int_type(c, lt);
			break;
		case PV_LOGICAL_VARIANT:
			lt->kind = PV_LOGICAL_VARIANT;
			variant_type(c, lt);
			break;
		case PV_LOGICAL_GEOMETRY:
		case PV_LOGICAL_GEOGRAPHY:
			lt->kind = (pv_logical_kind)id;
			geo_type(c, lt);
			break;
		default:
			/* From a newer writer: keep the id, read the column as its
			 * physical type. */
			lt->kind = PV_LOGICAL_FUTURE;
			lt->future_id = id;
			empty_struct(c);
			break;
		}
		if (r->code) {
			if (r->err)
				pv_err_prefix(r->err, "logicalType %s", pv_logical_kind_name(id));
			break;
		}
	}
	pv_thrift_struct_end(r);
}

/* ------------------------------------------------------------------ schema */

static void schema_element(rd *c, pv_schema_element *e)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	int32_t type = 0, rep = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { type = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_I32) { e->has_type_length = true; e->type_length = pv_thrift_read_i32(r); continue; }
			break;
		case 3:
			IF(PV_THRIFT_I32) { rep = pv_thrift_read_i32(r); SEEN(3); continue; }
			break;
		case 4:
			IF(PV_THRIFT_BINARY) { e->name = string(c); SEEN(4); continue; }
			break;
		case 5:
			IF(PV_THRIFT_I32) { e->has_num_children = true; e->num_children = pv_thrift_read_i32(r); continue; }
			break;
		case 6:
			IF(PV_THRIFT_I32) { e->has_converted_type = true; e->converted_type = pv_thrift_read_i32(r); continue; }
			break;
		case 7:
			IF(PV_THRIFT_I32) { e->has_scale = true; e->scale = pv_thrift_read_i32(r); continue; }
			break;
		case 8:
			IF(PV_THRIFT_I32) { e->has_precision = true; e->precision = pv_thrift_read_i32(r); continue; }
			break;
		case 9:
			IF(PV_THRIFT_I32) { e->has_field_id = true; e->field_id = pv_thrift_read_i32(r); continue; }
			break;
		case 10:
			IF(PV_THRIFT_STRUCT) { e->has_logical_type = true; logical_type(c, &e->logical_type); continue; }
			break;
		case 11:
			IF(PV_THRIFT_I32) { e->has_vector_length = true; e->vector_length = pv_thrift_read_i32(r); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 4, "name"))
		return;
	if (HAS(1)) {
		if (type < PV_TYPE_BOOLEAN || type > PV_TYPE_FIXED_LEN_BYTE_ARRAY) {
			pv_thrift_fail(r, PV_ECORRUPT, "invalid physical type %d", (int)type);
			return;
		}
		e->has_type = true;
		e->type = (pv_physical_type)type;
	}
	if (HAS(3)) {
		if (rep < PV_REP_REQUIRED || rep > PV_REP_VECTOR) {
			pv_thrift_fail(r, PV_ECORRUPT, "invalid repetition type %d", (int)rep);
			return;
		}
		e->has_repetition = true;
		e->repetition = (pv_repetition)rep;
	}
	if (e->has_num_children && e->num_children < 0) {
		pv_thrift_fail(r, PV_ECORRUPT, "negative num_children %d", (int)e->num_children);
		return;
	}
	if (e->has_type && e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY &&
	    (!e->has_type_length || e->type_length <= 0)) {
		pv_thrift_fail(r, PV_ECORRUPT, "FIXED_LEN_BYTE_ARRAY without a positive type_length");
		return;
	}
}

/* ------------------------------------------------------------------ statistics */

void pv_meta_read_statistics(pv_thrift_reader *r, pv_arena *a, pv_statistics *s)
{
	rd ctx = { r, a }, *c = &ctx;
	int ft;
	int16_t id;
	memset(s, 0, sizeof *s);
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_BINARY) { s->has_max = bytes(c, &s->max); continue; }
			break;
		case 2:
			IF(PV_THRIFT_BINARY) { s->has_min = bytes(c, &s->min); continue; }
			break;
		case 3:
			IF(PV_THRIFT_I64) { s->has_null_count = true; s->null_count = pv_thrift_read_i64(r); continue; }
			break;
		case 4:
			IF(PV_THRIFT_I64) { s->has_distinct_count = true; s->distinct_count = pv_thrift_read_i64(r); continue; }
			break;
		case 5:
			IF(PV_THRIFT_BINARY) { s->has_max_value = bytes(c, &s->max_value); continue; }
			break;
		case 6:
			IF(PV_THRIFT_BINARY) { s->has_min_value = bytes(c, &s->min_value); continue; }
			break;
		case 7:
			IF(PV_THRIFT_BOOL) { s->has_is_max_value_exact = true; s->is_max_value_exact = pv_thrift_read_bool(r); continue; }
			break;
		case 8:
			IF(PV_THRIFT_BOOL) { s->has_is_min_value_exact = true; s->is_min_value_exact = pv_thrift_read_bool(r); continue; }
			break;
		case 9:
			IF(PV_THRIFT_I64) { s->has_nan_count = true; s->nan_count = pv_thrift_read_i64(r); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void size_statistics(rd *c, pv_size_statistics *s)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I64) {
				s->has_unencoded_byte_array_data_bytes = true;
				s->unencoded_byte_array_data_bytes = pv_thrift_read_i64(r);
				continue;
			}
			break;
		case 2:
			IF(PV_THRIFT_LIST) {
				s->has_repetition_level_histogram = pv_thrift_read_i64_list(r, c->a,
					&s->repetition_level_histogram, &s->n_repetition_level_histogram);
				continue;
			}
			break;
		case 3:
			IF(PV_THRIFT_LIST) {
				s->has_definition_level_histogram = pv_thrift_read_i64_list(r, c->a,
					&s->definition_level_histogram, &s->n_definition_level_histogram);
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void bounding_box(rd *c, pv_bounding_box *b)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_DOUBLE && id >= 1 && id <= 8) {
			double v = pv_thrift_read_double(r);
			SEEN(id);
			switch (id) {
			case 1: b->xmin = v; break;
			case 2: b->xmax = v; break;
			case 3: b->ymin = v; break;
			case 4: b->ymax = v; break;
			case 5: b->has_zmin = true; b->zmin = v; break;
			case 6: b->has_zmax = true; b->zmax = v; break;
			case 7: b->has_mmin = true; b->mmin = v; break;
			case 8: b->has_mmax = true; b->mmax = v; break;
			}
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "xmin") || missing(c, seen, 2, "xmax") ||
	    missing(c, seen, 3, "ymin") || missing(c, seen, 4, "ymax"))
		return;
}

static void geo_statistics(rd *c, pv_geo_statistics *g)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_STRUCT) {
				g->has_bbox = true;
				bounding_box(c, &g->bbox);
				if (r->code && r->err)
					pv_err_prefix(r->err, "bbox");
				continue;
			}
			break;
		case 2:
			IF(PV_THRIFT_LIST) {
				g->has_geospatial_types = pv_thrift_read_i32_list(r, c->a, &g->geospatial_types,
										    &g->n_geospatial_types);
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

/* ------------------------------------------------------------------ small structs */

static void page_encoding_stats(rd *c, pv_page_encoding_stats *p)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_I32 && id >= 1 && id <= 3) {
			int32_t v = pv_thrift_read_i32(r);
			SEEN(id);
			if (id == 1)
				p->page_type = v;
			else if (id == 2)
				p->encoding = v;
			else
				p->count = v;
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "page_type") || missing(c, seen, 2, "encoding") ||
	    missing(c, seen, 3, "count"))
		return;
}

static void key_value(rd *c, pv_kv *kv)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_BINARY && id == 1) {
			kv->key = string(c);
			SEEN(1);
			continue;
		}
		if (ft == PV_THRIFT_BINARY && id == 2) {
			kv->value = pv_thrift_read_string_copy(r, c->a, &kv->value_len);
			kv->has_value = kv->value != NULL;
			continue;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	missing(c, seen, 1, "key");
}

static bool key_values(rd *c, pv_kv **out, size_t *out_n)
{
	size_t n;
	if (!pv_thrift_list_of(c->t, PV_THRIFT_STRUCT, &n))
		return false;
	pv_kv *kv = pv_thrift_alloc(c->t, c->a, n, sizeof *kv);
	if (!kv)
		return false;
	for (size_t i = 0; i < n; i++) {
		key_value(c, &kv[i]);
		if (c->t->code) {
			prefix(c, "key_value_metadata", i);
			return false;
		}
	}
	*out = kv;
	*out_n = n;
	return true;
}

static void sorting_column(rd *c, pv_sorting_column *s)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { s->column_idx = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_BOOL) { s->descending = pv_thrift_read_bool(r); SEEN(2); continue; }
			break;
		case 3:
			IF(PV_THRIFT_BOOL) { s->nulls_first = pv_thrift_read_bool(r); SEEN(3); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "column_idx") || missing(c, seen, 2, "descending") ||
	    missing(c, seen, 3, "nulls_first"))
		return;
}

static void column_order(rd *c, pv_column_order *o)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_STRUCT) {
			o->id = id;
			o->kind = id >= PV_ORDER_TYPE_DEFINED && id <= PV_ORDER_INT96_TIMESTAMP ? id : PV_ORDER_UNKNOWN;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void aes_gcm(rd *c, pv_encryption_algorithm *e)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_BINARY) { e->has_aad_prefix = bytes(c, &e->aad_prefix); continue; }
			break;
		case 2:
			IF(PV_THRIFT_BINARY) { e->has_aad_file_unique = bytes(c, &e->aad_file_unique); continue; }
			break;
		case 3:
			IF(PV_THRIFT_BOOL) { e->has_supply_aad_prefix = true; e->supply_aad_prefix = pv_thrift_read_bool(r); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void encryption_algorithm(rd *c, pv_encryption_algorithm *e)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_STRUCT) {
			memset(e, 0, sizeof *e);
			e->kind = id;
			if (id == 1 || id == 2) {
				aes_gcm(c, e);
				continue;
			}
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

static void column_key(rd *c, pv_column_crypto *k)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_LIST) {
				if (pv_thrift_read_string_list(r, c->a, &k->path_in_schema, &k->n_path_in_schema))
					SEEN(1);
				continue;
			}
			break;
		case 2:
			IF(PV_THRIFT_BINARY) { k->has_key_metadata = bytes(c, &k->key_metadata); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	missing(c, seen, 1, "path_in_schema");
}

static void column_crypto(rd *c, pv_column_crypto *k)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		if (ft == PV_THRIFT_STRUCT) {
			memset(k, 0, sizeof *k);
			k->kind = id;
			if (id == 2) {
				column_key(c, k);
				continue;
			}
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
}

/* ------------------------------------------------------------------ column chunks */

static void column_meta(rd *c, pv_column_meta *m)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	int32_t type = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { type = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_LIST) {
				if (pv_thrift_read_i32_list(r, c->a, &m->encodings, &m->n_encodings))
					SEEN(2);
				continue;
			}
			break;
		case 3:
			IF(PV_THRIFT_LIST) {
				if (pv_thrift_read_string_list(r, c->a, &m->path_in_schema, &m->n_path_in_schema))
					SEEN(3);
				continue;
			}
			break;
		case 4:
			IF(PV_THRIFT_I32) { m->codec = pv_thrift_read_i32(r); SEEN(4); continue; }
			break;
		case 5:
			IF(PV_THRIFT_I64) { m->num_values = pv_thrift_read_i64(r); SEEN(5); continue; }
			break;
		case 6:
			IF(PV_THRIFT_I64) { m->total_uncompressed_size = pv_thrift_read_i64(r); SEEN(6); continue; }
			break;
		case 7:
			IF(PV_THRIFT_I64) { m->total_compressed_size = pv_thrift_read_i64(r); SEEN(7); continue; }
			break;
		case 8:
			IF(PV_THRIFT_LIST) {
				m->has_key_value_metadata = key_values(c, &m->key_value_metadata, &m->n_key_value_metadata);
				continue;
			}
			break;
		case 9:
			IF(PV_THRIFT_I64) { m->data_page_offset = pv_thrift_read_i64(r); SEEN(9); continue; }
			break;
		case 10:
			IF(PV_THRIFT_I64) { m->has_index_page_offset = true; m->index_page_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 11:
			IF(PV_THRIFT_I64) { m->has_dictionary_page_offset = true; m->dictionary_page_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 12:
			IF(PV_THRIFT_STRUCT) {
				m->has_statistics = true;
				pv_meta_read_statistics(r, c->a, &m->statistics);
				if (r->code && r->err)
					pv_err_prefix(r->err, "statistics");
				continue;
			}
			break;
		case 13:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				m->encoding_stats = pv_thrift_alloc(r, c->a, n, sizeof *m->encoding_stats);
				if (!m->encoding_stats)
					continue;
				for (size_t i = 0; i < n; i++) {
					page_encoding_stats(c, &m->encoding_stats[i]);
					if (r->code) {
						prefix(c, "encoding_stats", i);
						break;
					}
				}
				m->has_encoding_stats = true;
				m->n_encoding_stats = n;
				continue;
			}
			break;
		case 14:
			IF(PV_THRIFT_I64) { m->has_bloom_filter_offset = true; m->bloom_filter_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 15:
			IF(PV_THRIFT_I32) { m->has_bloom_filter_length = true; m->bloom_filter_length = pv_thrift_read_i32(r); continue; }
			break;
		case 16:
			IF(PV_THRIFT_STRUCT) {
				m->has_size_statistics = true;
				size_statistics(c, &m->size_statistics);
				if (r->code && r->err)
					pv_err_prefix(r->err, "size_statistics");
				continue;
			}
			break;
		case 17:
			IF(PV_THRIFT_STRUCT) {
				m->has_geospatial_statistics = true;
				geo_statistics(c, &m->geospatial_statistics);
				if (r->code && r->err)
					pv_err_prefix(r->err, "geospatial_statistics");
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "type") || missing(c, seen, 2, "encodings") ||
	    missing(c, seen, 3, "path_in_schema") || missing(c, seen, 4, "codec") ||
	    missing(c, seen, 5, "num_values") || missing(c, seen, 6, "total_uncompressed_size") ||
	    missing(c, seen, 7, "total_compressed_size") || missing(c, seen, 9, "data_page_offset"))
		return;
	if (type < PV_TYPE_BOOLEAN || type > PV_TYPE_FIXED_LEN_BYTE_ARRAY) {
		pv_thrift_fail(r, PV_ECORRUPT, "invalid physical type %d", (int)type);
		return;
	}
	m->type = (pv_physical_type)type;
	/* Later layers size reads and allocations from these. */
	if (m->num_values < 0 || m->total_uncompressed_size < 0 || m->total_compressed_size < 0) {
		pv_thrift_fail(r, PV_ECORRUPT, "negative num_values or size (%" PRId64 ", %" PRId64 ", %" PRId64 ")",
			       m->num_values, m->total_uncompressed_size, m->total_compressed_size);
		return;
	}
	if (m->data_page_offset < 0 || (m->has_dictionary_page_offset && m->dictionary_page_offset < 0) ||
	    (m->has_index_page_offset && m->index_page_offset < 0) ||
	    (m->has_bloom_filter_offset && m->bloom_filter_offset < 0)) {
		pv_thrift_fail(r, PV_ECORRUPT, "negative page offset");
		return;
	}
}

static void column_chunk(rd *c, pv_column_chunk *cc)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_BINARY) { cc->file_path = string(c); continue; }
			break;
		case 2:
			/* Required by the IDL but deprecated; absent reads as 0. */
			IF(PV_THRIFT_I64) { cc->file_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 3:
			IF(PV_THRIFT_STRUCT) {
				cc->has_meta_data = true;
				column_meta(c, &cc->meta_data);
				if (r->code && r->err)
					pv_err_prefix(r->err, "meta_data");
				continue;
			}
			break;
		case 4:
			IF(PV_THRIFT_I64) { cc->has_offset_index_offset = true; cc->offset_index_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 5:
			IF(PV_THRIFT_I32) { cc->has_offset_index_length = true; cc->offset_index_length = pv_thrift_read_i32(r); continue; }
			break;
		case 6:
			IF(PV_THRIFT_I64) { cc->has_column_index_offset = true; cc->column_index_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 7:
			IF(PV_THRIFT_I32) { cc->has_column_index_length = true; cc->column_index_length = pv_thrift_read_i32(r); continue; }
			break;
		case 8:
			IF(PV_THRIFT_STRUCT) {
				cc->encrypted = true;
				column_crypto(c, &cc->crypto_metadata);
				if (r->code && r->err)
					pv_err_prefix(r->err, "crypto_metadata");
				continue;
			}
			break;
		case 9:
			IF(PV_THRIFT_BINARY) {
				cc->has_encrypted_column_metadata = bytes(c, &cc->encrypted_column_metadata);
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (r->code)
		return;
	if (!cc->has_meta_data && !cc->encrypted)
		pv_thrift_fail(r, PV_ECORRUPT, "missing 'meta_data'");
}

static void row_group(rd *c, pv_row_group *g)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				g->columns = pv_thrift_alloc(r, c->a, n, sizeof *g->columns);
				if (!g->columns)
					continue;
				g->n_columns = n;
				for (size_t i = 0; i < n; i++) {
					column_chunk(c, &g->columns[i]);
					if (r->code) {
						prefix(c, "column chunk", i);
						break;
					}
				}
				SEEN(1);
				continue;
			}
			break;
		case 2:
			IF(PV_THRIFT_I64) { g->total_byte_size = pv_thrift_read_i64(r); SEEN(2); continue; }
			break;
		case 3:
			IF(PV_THRIFT_I64) { g->num_rows = pv_thrift_read_i64(r); SEEN(3); continue; }
			break;
		case 4:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				g->sorting_columns = pv_thrift_alloc(r, c->a, n, sizeof *g->sorting_columns);
				if (!g->sorting_columns)
					continue;
				for (size_t i = 0; i < n; i++) {
					sorting_column(c, &g->sorting_columns[i]);
					if (r->code) {
						prefix(c, "sorting column", i);
						break;
					}
				}
				g->has_sorting_columns = true;
				g->n_sorting_columns = n;
				continue;
			}
			break;
		case 5:
			IF(PV_THRIFT_I64) { g->has_file_offset = true; g->file_offset = pv_thrift_read_i64(r); continue; }
			break;
		case 6:
			IF(PV_THRIFT_I64) { g->has_total_compressed_size = true; g->total_compressed_size = pv_thrift_read_i64(r); continue; }
			break;
		case 7:
			IF(PV_THRIFT_I16) { g->has_ordinal = true; g->ordinal = pv_thrift_read_i16(r); continue; }
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "columns") || missing(c, seen, 2, "total_byte_size") ||
	    missing(c, seen, 3, "num_rows"))
		return;
	if (g->num_rows < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative num_rows %" PRId64, g->num_rows);
}

/* ------------------------------------------------------------------ file */

static void file_meta(rd *c, pv_file_meta *m)
{
	pv_thrift_reader *r = c->t;
	int ft;
	int16_t id;
	uint32_t seen = 0;
	pv_thrift_struct_begin(r);
	while (pv_thrift_field(r, &ft, &id)) {
		switch (id) {
		case 1:
			IF(PV_THRIFT_I32) { m->version = pv_thrift_read_i32(r); SEEN(1); continue; }
			break;
		case 2:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				m->schema = pv_thrift_alloc(r, c->a, n, sizeof *m->schema);
				if (!m->schema)
					continue;
				m->n_schema = n;
				for (size_t i = 0; i < n; i++) {
					schema_element(c, &m->schema[i]);
					if (r->code) {
						if (r->err) {
							const char *nm = m->schema[i].name;
							if (nm)
								pv_err_prefix(r->err, "schema: element %zu '%s'", i, nm);
							else
								pv_err_prefix(r->err, "schema: element %zu", i);
						}
						break;
					}
				}
				SEEN(2);
				continue;
			}
			break;
		case 3:
			IF(PV_THRIFT_I64) { m->num_rows = pv_thrift_read_i64(r); SEEN(3); continue; }
			break;
		case 4:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				m->row_groups = pv_thrift_alloc(r, c->a, n, sizeof *m->row_groups);
				if (!m->row_groups)
					continue;
				m->n_row_groups = n;
				for (size_t i = 0; i < n; i++) {
					row_group(c, &m->row_groups[i]);
					if (r->code) {
						prefix(c, "row group", i);
						break;
					}
				}
				SEEN(4);
				continue;
			}
			break;
		case 5:
			IF(PV_THRIFT_LIST) {
				m->has_key_value_metadata = key_values(c, &m->key_value_metadata, &m->n_key_value_metadata);
				continue;
			}
			break;
		case 6:
			IF(PV_THRIFT_BINARY) { m->created_by = string(c); continue; }
			break;
		case 7:
			IF(PV_THRIFT_LIST) {
				size_t n;
				if (!pv_thrift_list_of(r, PV_THRIFT_STRUCT, &n))
					continue;
				m->column_orders = pv_thrift_alloc(r, c->a, n, sizeof *m->column_orders);
				if (!m->column_orders)
					continue;
				for (size_t i = 0; i < n && !r->code; i++)
					column_order(c, &m->column_orders[i]);
				m->has_column_orders = true;
				m->n_column_orders = n;
				continue;
			}
			break;
		case 8:
			IF(PV_THRIFT_STRUCT) {
				m->has_encryption_algorithm = true;
				encryption_algorithm(c, &m->encryption_algorithm);
				continue;
			}
			break;
		case 9:
			IF(PV_THRIFT_BINARY) {
				m->has_footer_signing_key_metadata = bytes(c, &m->footer_signing_key_metadata);
				continue;
			}
			break;
		}
		pv_thrift_skip(r, ft);
	}
	pv_thrift_struct_end(r);
	if (missing(c, seen, 1, "version") || missing(c, seen, 2, "schema") ||
	    missing(c, seen, 3, "num_rows") || missing(c, seen, 4, "row_groups"))
		return;
	if (m->num_rows < 0)
		pv_thrift_fail(r, PV_ECORRUPT, "negative num_rows %" PRId64, m->num_rows);
}

int pv_meta_parse(const uint8_t *buf, size_t len, pv_arena *arena, pv_file_meta **out, pv_err *err)
{
	*out = NULL;
	pv_err e;
	pv_err_clear(&e);
	if (len > PV_FOOTER_MAX) {
		pv_err_set(err, PV_ELIMIT, "footer: %zu bytes exceeds the cap of %zu", len, PV_FOOTER_MAX);
		return PV_ELIMIT;
	}
	pv_thrift_reader t;
	pv_thrift_reader_init(&t, buf, len, &e);
	rd c = { &t, arena };
	pv_file_meta *m = pv_thrift_alloc(&t, arena, 1, sizeof *m);
	if (m)
		file_meta(&c, m);
	int rc = t.code;
	if (!rc) {
		rc = pv_meta_count_leaves(m->schema, m->n_schema, &m->n_leaves, &e);
		for (size_t i = 0; !rc && i < m->n_row_groups; i++)
			if (m->row_groups[i].n_columns != m->n_leaves)
				rc = pv_err_set(&e, PV_ECORRUPT,
						"row group %zu has %zu column chunks but the schema has %zu leaves",
						i, m->row_groups[i].n_columns, m->n_leaves);
	}
	if (rc) {
		pv_err_prefix(&e, "footer");
		pv_err_copy(err, &e);
		return rc;
	}
	*out = m;
	return 0;
}
