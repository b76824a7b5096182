/*
 * meta.c - enum names, logical type strings, the footer locator and the flat
 * schema walk shared by the parser and the schema tree (see meta.h). Parsing
 * lives in meta_read.c, writing in meta_write.c.
 * Includes only base and format.
 */
#include "format/meta.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/cursor.h"
#include "base/banned.h"

#define NAME(table, v) \
	((v) >= 0 && (size_t)(v) < sizeof(table) / sizeof((table)[0]) && (table)[v] ? (table)[v] : "UNKNOWN")

const char *pv_physical_type_name(int t)
{
	static const char *const names[] = { "BOOLEAN", "INT32", "INT64", "INT96",
		"FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY" };
	return NAME(names, t);
}

const char *pv_repetition_name(int r)
{
	static const char *const names[] = { "REQUIRED", "OPTIONAL", "REPEATED", "VECTOR" };
	return NAME(names, r);
}

const char *pv_converted_type_name(int c)
{
	static const char *const names[] = { "UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM",
		"DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS", "TIMESTAMP_MILLIS",
		"TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32", "UINT_64", "INT_8", "INT_16",
		"INT_32", "INT_64", "JSON", "BSON", "INTERVAL" };
	return NAME(names, c);
}

const char *pv_logical_kind_name(int k)
{
	static const char *const names[] = { "NONE", "STRING", "MAP", "LIST", "ENUM", "DECIMAL",
		"DATE", "TIME", "TIMESTAMP", NULL, "INTEGER", "UNKNOWN", "JSON", "BSON", "UUID",
		"FLOAT16", "VARIANT", "GEOMETRY", "GEOGRAPHY", "VECTOR" };
	if (k == PV_LOGICAL_FUTURE)
		return "FUTURE";
	return NAME(names, k);
}

const char *pv_encoding_name(int e)
{
	static const char *const names[] = { "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE",
		"BIT_PACKED", "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
		"RLE_DICTIONARY", "BYTE_STREAM_SPLIT" };
	return NAME(names, e);
}

const char *pv_codec_name(int c)
{
	static const char *const names[] = { "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI",
		"LZ4", "ZSTD", "LZ4_RAW" };
	return NAME(names, c);
}

const char *pv_page_type_name(int t)
{
	static const char *const names[] = { "DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
		"DATA_PAGE_V2" };
	return NAME(names, t);
}

const char *pv_boundary_order_name(int b)
{
	static const char *const names[] = { "UNORDERED", "ASCENDING", "DESCENDING" };
	return NAME(names, b);
}

const char *pv_edge_algorithm_name(int a)
{
	static const char *const names[] = { "SPHERICAL", "VINCENTY", "THOMAS", "ANDOYER", "KARNEY" };
	return NAME(names, a);
}

const char *pv_time_unit_name(int u)
{
	static const char *const names[] = { "MILLIS", "MICROS", "NANOS" };
	return NAME(names, u);
}

char *pv_logical_type_str(const pv_logical_type *lt, char *out, size_t n)
{
	if (!n)
		return out;
	out[0] = '\0';
	const char *name = pv_logical_kind_name(lt->kind);
	switch (lt->kind) {
	case PV_LOGICAL_NONE:
		break;
	case PV_LOGICAL_DECIMAL:
		snprintf(out, n, "DECIMAL(%d,%d)", (int)lt->precision, (int)lt->scale);
		break;
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
		snprintf(out, n, "%s(%s,%s)", name, pv_time_unit_name(lt->unit), lt->utc ? "true" : "false");
		break;
	case PV_LOGICAL_INTEGER:
		snprintf(out, n, "INTEGER(%d,%s)", (int)lt->bit_width, lt->is_signed ? "true" : "false");
		break;
	case PV_LOGICAL_VARIANT:
		if (lt->has_spec_version)
			snprintf(out, n, "VARIANT(%d)", (int)lt->spec_version);
		else
			snprintf(out, n, "VARIANT");
		break;
	case PV_LOGICAL_GEOMETRY:
		if (lt->crs)
			snprintf(out, n, "GEOMETRY(%s)", lt->crs);
		else
			snprintf(out, n, "GEOMETRY");
		break;
	case PV_LOGICAL_GEOGRAPHY:
		if (lt->has_algorithm)
			snprintf(out, n, "GEOGRAPHY(%s,%s)", lt->crs ? lt->crs : "OGC:CRS84",
				 pv_edge_algorithm_name(lt->algorithm));
		else if (lt->crs)
			snprintf(out, n, "GEOGRAPHY(%s)", lt->crs);
		else
			snprintf(out, n, "GEOGRAPHY");
		break;
	case PV_LOGICAL_FUTURE:
		snprintf(out, n, "FUTURE(%d)", (int)lt->future_id);
		break;
	default:
		snprintf(out, n, "%s", name);
		break;
	}
	return out;
}

int pv_footer_locate(const uint8_t *tail, size_t tail_len, int64_t file_size,
		     int64_t *out_meta_offset, uint32_t *out_meta_len, pv_err *err)
{
	*out_meta_offset = 0;
	*out_meta_len = 0;
	if (file_size < 12)
		return pv_err_set(err, PV_ECORRUPT, "file of %" PRId64 " bytes is too small to be parquet",
				  file_size);
	if (tail_len < 8)
		return pv_err_set(err, PV_EINVAL, "footer locator needs the last 8 bytes, got %zu", tail_len);
	const uint8_t *magic = tail + tail_len - 4;
	if (memcmp(magic, "PARE", 4) == 0)
		return pv_err_set(err, PV_EUNSUPPORTED,
				  "encrypted footer (PARE): parqview cannot read files whose footer is encrypted");
	if (memcmp(magic, "PAR1", 4) != 0)
		return pv_err_set(err, PV_ECORRUPT, "not a parquet file (no PAR1 magic at the end)");
	uint32_t len = pv_load_u32le(tail + tail_len - 8);
	/* 4 bytes of leading magic, then the footer, then length and magic. */
	if ((int64_t)len > file_size - 12)
		return pv_err_set(err, PV_ECORRUPT, "footer length %" PRIu32 " points outside the file", len);
	*out_meta_offset = file_size - 8 - (int64_t)len;
	*out_meta_len = len;
	return 0;
}

int pv_magic_check_head(const uint8_t *head, size_t head_len, pv_err *err)
{
	if (head_len < 4)
		return pv_err_set(err, PV_ECORRUPT, "not a parquet file (shorter than its magic)");
	if (memcmp(head, "PAR1", 4) == 0)
		return 0;
	if (memcmp(head, "PARE", 4) == 0)
		return pv_err_set(err, PV_EUNSUPPORTED,
				  "encrypted footer (PARE): parqview cannot read files whose footer is encrypted");
	return pv_err_set(err, PV_ECORRUPT, "not a parquet file (no PAR1 magic at the start)");
}

static const char *el_name(const pv_schema_element *e)
{
	return e->name ? e->name : "";
}

int pv_meta_count_leaves(const pv_schema_element *els, size_t n, size_t *out_n_leaves, pv_err *err)
{
	*out_n_leaves = 0;
	if (n == 0)
		return pv_err_set(err, PV_ECORRUPT, "schema: the schema is empty");
	const pv_schema_element *root = &els[0];
	if (pv_schema_element_is_leaf(root) || (root->has_num_children && root->num_children < 0))
		return pv_err_set(err, PV_ECORRUPT, "schema: root element '%s' is not a group", el_name(root));
	struct frame {
		size_t idx;
		int64_t left;
	} stack[PV_SCHEMA_MAX_DEPTH];
	int depth = 0;
	int64_t root_children = root->has_num_children ? root->num_children : 0;
	if ((uint64_t)root_children > n - 1)
		return pv_err_set(err, PV_ECORRUPT,
				  "schema: element 0 '%s' claims %" PRId64 " children but only %zu remain",
				  el_name(root), root_children, n - 1);
	stack[depth++] = (struct frame){ 0, root_children };
	size_t leaves = 0;
	for (size_t i = 1; i < n; i++) {
		while (depth > 0 && stack[depth - 1].left == 0)
			depth--;
		const pv_schema_element *e = &els[i];
		if (depth == 0)
			return pv_err_set(err, PV_ECORRUPT,
					  "schema: element %zu '%s' lies outside the root's %" PRId64 " children",
					  i, el_name(e), root_children);
		stack[depth - 1].left--;
		if (e->has_num_children && e->num_children < 0)
			return pv_err_set(err, PV_ECORRUPT, "schema: element %zu '%s' has %d children", i,
					  el_name(e), (int)e->num_children);
		if (pv_schema_element_is_leaf(e)) {
			leaves++;
			continue;
		}
		int64_t kids = e->has_num_children ? e->num_children : 0;
		if (e->has_type && kids > 0)
			return pv_err_set(err, PV_ECORRUPT,
					  "schema: element %zu '%s' has a physical type and %" PRId64 " children",
					  i, el_name(e), kids);
		if ((uint64_t)kids > n - i - 1)
			return pv_err_set(err, PV_ECORRUPT,
					  "schema: element %zu '%s' claims %" PRId64 " children but only %zu remain",
					  i, el_name(e), kids, n - i - 1);
		if (kids == 0)
			continue;
		if (depth >= PV_SCHEMA_MAX_DEPTH)
			return pv_err_set(err, PV_ELIMIT, "schema: element %zu '%s' is nested deeper than %d",
					  i, el_name(e), PV_SCHEMA_MAX_DEPTH);
		stack[depth++] = (struct frame){ i, kids };
	}
	while (depth > 0 && stack[depth - 1].left == 0)
		depth--;
	if (depth > 0) {
		const struct frame *f = &stack[depth - 1];
		const pv_schema_element *e = &els[f->idx];
		return pv_err_set(err, PV_ECORRUPT,
				  "schema: element %zu '%s' claims %d children but the list ends %" PRId64 " short",
				  f->idx, el_name(e), (int)e->num_children, f->left);
	}
	*out_n_leaves = leaves;
	return 0;
}
