/*
 * test_schema.c - the schema tree: shapes of nested corpus files (modern
 * and legacy lists and maps, unannotated repeated fields), definition and
 * repetition levels, dotted paths, type strings, and clean errors for
 * inconsistent hand-built schemas.
 */
#include "testutil.h"

#include "base/arena.h"
#include "format/meta.h"
#include "format/schema.h"

typedef struct loaded {
	pv_arena arena;
	pv_file_meta *m;
	pv_schema *s;
} loaded;

static void load(loaded *l, const char *rel)
{
	char path[4096];
	pv_test_file(path, sizeof path, rel);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s'", path);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	uint8_t *b = malloc((size_t)size);
	assert_non_null(b);
	fseek(fp, 0, SEEK_SET);
	assert_int_equal(fread(b, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	pv_err e;
	int64_t off;
	uint32_t len;
	pv_arena_init(&l->arena, 0);
	if (pv_footer_locate(b + size - 8, 8, size, &off, &len, &e) ||
	    pv_meta_parse(b + off, len, &l->arena, &l->m, &e) ||
	    pv_schema_build(l->m, &l->arena, &l->s, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(b);
}

static void unload(loaded *l)
{
	pv_arena_release(&l->arena);
}

static const pv_schema_node *node(const loaded *l, const char *path)
{
	const pv_schema_node *n = pv_schema_find(l->s, path);
	if (!n)
		fail_msg("no node '%s'", path);
	return n;
}

static void expect_leaf(const loaded *l, size_t i, const char *path, int def, int rep, const char *type)
{
	char buf[256];
	const pv_schema_node *n = l->s->leaves[i];
	assert_string_equal(n->path, path);
	assert_true(n->is_leaf);
	assert_int_equal(n->leaf_index, i);
	assert_int_equal(n->shape, PV_SHAPE_PRIMITIVE);
	if (n->max_def != def || n->max_rep != rep)
		fail_msg("%s: levels %d/%d, expected %d/%d", path, n->max_def, n->max_rep, def, rep);
	assert_string_equal(pv_schema_type_str(n, buf, sizeof buf), type);
}

static void test_nested_lists(void **state)
{
	loaded l;
	load(&l, "data/nested_lists.snappy.parquet");
	assert_int_equal(l.s->n_leaves, 2);
	assert_int_equal(l.s->root->n_children, 2);
	assert_string_equal(l.s->root->path, "");
	assert_ptr_equal(pv_schema_find(l.s, ""), l.s->root);
	const pv_schema_node *a = node(&l, "a");
	assert_int_equal(a->shape, PV_SHAPE_LIST);
	assert_int_equal(a->children[0]->shape, PV_SHAPE_LIST_REPEATED);
	assert_ptr_equal(a->list_element, node(&l, "a.list.element"));
	assert_int_equal(a->list_element->shape, PV_SHAPE_LIST);
	assert_int_equal(a->list_element->list_element->shape, PV_SHAPE_LIST);
	assert_ptr_equal(a->list_element->list_element->list_element, l.s->leaves[0]);
	assert_false(a->children[0]->bare_repeated);
	expect_leaf(&l, 0, "a.list.element.list.element.list.element", 7, 3, "BYTE_ARRAY UTF8");
	expect_leaf(&l, 1, "b", 0, 0, "INT32");
	assert_int_equal(l.s->max_depth, 7);
	assert_null(pv_schema_find(l.s, "a.list.element.list.nope"));
	char buf[64];
	assert_string_equal(pv_schema_type_str(a, buf, sizeof buf), "LIST");
	assert_string_equal(pv_schema_type_str(l.s->root, buf, sizeof buf), "STRUCT");
	unload(&l);
}

static void test_nested_maps(void **state)
{
	loaded l;
	load(&l, "data/nested_maps.snappy.parquet");
	const pv_schema_node *a = node(&l, "a");
	assert_int_equal(a->shape, PV_SHAPE_MAP);
	assert_int_equal(a->children[0]->shape, PV_SHAPE_MAP_REPEATED);
	assert_ptr_equal(a->map_key, node(&l, "a.key_value.key"));
	const pv_schema_node *v = a->map_value;
	assert_ptr_equal(v, node(&l, "a.key_value.value"));
	assert_int_equal(v->shape, PV_SHAPE_MAP);
	assert_string_equal(v->map_key->path, "a.key_value.value.key_value.key");
	assert_string_equal(v->map_value->path, "a.key_value.value.key_value.value");
	expect_leaf(&l, 0, "a.key_value.key", 2, 1, "BYTE_ARRAY UTF8");
	expect_leaf(&l, 1, "a.key_value.value.key_value.key", 4, 2, "INT32");
	expect_leaf(&l, 2, "a.key_value.value.key_value.value", 4, 2, "BOOLEAN");
	expect_leaf(&l, 3, "b", 0, 0, "INT32");
	expect_leaf(&l, 4, "c", 0, 0, "DOUBLE");
	for (size_t i = 0; i < l.s->n_nodes; i++)
		assert_false(l.s->nodes[i].bare_repeated);
	char buf[64];
	assert_string_equal(pv_schema_type_str(a, buf, sizeof buf), "MAP");
	unload(&l);
}

static void test_old_list_structure(void **state)
{
	/* required group a (LIST) { repeated group array (LIST) { repeated int32 array; } }:
	 * a legacy two-level list of two-level lists. */
	loaded l;
	load(&l, "data/old_list_structure.parquet");
	const pv_schema_node *a = node(&l, "a");
	assert_int_equal(a->shape, PV_SHAPE_LIST);
	const pv_schema_node *inner = node(&l, "a.array");
	assert_ptr_equal(a->list_element, inner);
	assert_int_equal(inner->repetition, PV_REP_REPEATED);
	assert_int_equal(inner->shape, PV_SHAPE_LIST);
	assert_ptr_equal(inner->list_element, l.s->leaves[0]);
	assert_false(inner->bare_repeated);
	assert_false(l.s->leaves[0]->bare_repeated);
	expect_leaf(&l, 0, "a.array.array", 2, 2, "INT32");
	unload(&l);
}

static void test_repeated_without_annotation(void **state)
{
	loaded l;
	load(&l, "data/repeated_no_annotation.parquet");
	const pv_schema_node *pn = node(&l, "phoneNumbers");
	assert_int_equal(pn->shape, PV_SHAPE_STRUCT);
	assert_false(pn->bare_repeated);
	const pv_schema_node *phone = node(&l, "phoneNumbers.phone");
	assert_int_equal(phone->shape, PV_SHAPE_STRUCT);
	assert_true(phone->bare_repeated);
	expect_leaf(&l, 0, "id", 0, 0, "INT32");
	expect_leaf(&l, 1, "phoneNumbers.phone.number", 2, 1, "INT64");
	expect_leaf(&l, 2, "phoneNumbers.phone.kind", 3, 1, "BYTE_ARRAY UTF8");
	unload(&l);

	load(&l, "data/repeated_primitive_no_list.parquet");
	expect_leaf(&l, 0, "Int32_list", 1, 1, "INT32");
	assert_true(l.s->leaves[0]->bare_repeated);
	expect_leaf(&l, 1, "String_list", 1, 1, "BYTE_ARRAY UTF8");
	assert_int_equal(node(&l, "group_of_lists")->shape, PV_SHAPE_STRUCT);
	expect_leaf(&l, 2, "group_of_lists.Int32_list_in_group", 1, 1, "INT32");
	assert_true(l.s->leaves[2]->bare_repeated);
	unload(&l);
}

static void test_lists(void **state)
{
	loaded l;
	load(&l, "data/list_columns.parquet");
	const pv_schema_node *il = node(&l, "int64_list");
	assert_int_equal(il->shape, PV_SHAPE_LIST);
	assert_int_equal(node(&l, "int64_list.list")->shape, PV_SHAPE_LIST_REPEATED);
	assert_ptr_equal(il->list_element, l.s->leaves[0]);
	expect_leaf(&l, 0, "int64_list.list.item", 3, 1, "INT64");
	expect_leaf(&l, 1, "utf8_list.list.item", 3, 1, "BYTE_ARRAY STRING");
	unload(&l);

	load(&l, "data/null_list.parquet");
	assert_int_equal(node(&l, "emptylist")->shape, PV_SHAPE_LIST);
	expect_leaf(&l, 0, "emptylist.list.item", 3, 1, "INT32 UNKNOWN");
	unload(&l);
}

static void test_maps(void **state)
{
	loaded l;
	load(&l, "data/incorrect_map_schema.parquet");
	const pv_schema_node *m = node(&l, "my_map");
	assert_int_equal(m->shape, PV_SHAPE_MAP);
	assert_int_equal(m->map_key->repetition, PV_REP_OPTIONAL); /* the defect the file is about */
	assert_non_null(m->map_value);
	expect_leaf(&l, 0, "my_map.key_value.key", 3, 1, "BYTE_ARRAY STRING");
	expect_leaf(&l, 1, "my_map.key_value.value", 3, 1, "BYTE_ARRAY STRING");
	unload(&l);

	load(&l, "data/map_no_value.parquet");
	assert_int_equal(node(&l, "my_map")->shape, PV_SHAPE_MAP);
	assert_non_null(node(&l, "my_map")->map_value);
	const pv_schema_node *nv = node(&l, "my_map_no_v");
	assert_int_equal(nv->shape, PV_SHAPE_MAP);
	assert_null(nv->map_value);
	assert_string_equal(nv->map_key->path, "my_map_no_v.key_value.key");
	assert_int_equal(node(&l, "my_list")->shape, PV_SHAPE_LIST);
	expect_leaf(&l, 3, "my_list.list.element", 1, 1, "INT32");
	unload(&l);

	/* Impala: MAP groups whose repeated child is "map" (MAP_KEY_VALUE), lists of maps. */
	load(&l, "data/nullable.impala.parquet");
	assert_int_equal(l.s->n_leaves, 13);
	assert_int_equal(node(&l, "int_map")->shape, PV_SHAPE_MAP);
	const pv_schema_node *ima = node(&l, "int_Map_Array");
	assert_int_equal(ima->shape, PV_SHAPE_LIST);
	assert_int_equal(ima->list_element->shape, PV_SHAPE_MAP);
	const pv_schema_node *g = node(&l, "nested_struct.g");
	assert_int_equal(g->shape, PV_SHAPE_MAP);
	assert_int_equal(g->map_value->shape, PV_SHAPE_STRUCT);
	const pv_schema_node *d = node(&l, "nested_struct.C.d");
	assert_int_equal(d->shape, PV_SHAPE_LIST);
	assert_int_equal(d->list_element->shape, PV_SHAPE_LIST);
	assert_int_equal(d->list_element->list_element->shape, PV_SHAPE_STRUCT);
	const pv_schema_node *e = node(&l, "nested_struct.C.d.list.element.list.element.E");
	assert_int_equal(e->max_def, 8);
	assert_int_equal(e->max_rep, 2);
	unload(&l);
}

static void test_type_strings(void **state)
{
	loaded l;
	char buf[256];
	load(&l, "data/alltypes_tiny_pages.parquet");
	assert_string_equal(pv_schema_type_str(node(&l, "tinyint_col"), buf, sizeof buf), "INT32 INTEGER(8,true)");
	assert_string_equal(pv_schema_type_str(node(&l, "string_col"), buf, sizeof buf), "BYTE_ARRAY STRING");
	assert_string_equal(pv_schema_type_str(node(&l, "timestamp_col"), buf, sizeof buf), "INT96");
	unload(&l);
	load(&l, "data/int32_decimal.parquet");
	assert_string_equal(pv_schema_type_str(l.s->leaves[0], buf, sizeof buf), "INT32 DECIMAL(4,2)");
	unload(&l);
	load(&l, "data/fixed_length_decimal.parquet");
	assert_string_equal(pv_schema_type_str(l.s->leaves[0], buf, sizeof buf),
			    "FIXED_LEN_BYTE_ARRAY(11) DECIMAL(25,2)");
	unload(&l);
	load(&l, "shredded_variant/case-020.parquet");
	assert_string_equal(pv_schema_type_str(node(&l, "var.typed_value"), buf, sizeof buf),
			    "INT64 TIMESTAMP(MICROS,true)");
	assert_string_equal(pv_schema_type_str(node(&l, "var"), buf, sizeof buf), "VARIANT(1)");
	unload(&l);
	load(&l, "shredded_variant/case-037.parquet");
	assert_string_equal(pv_schema_type_str(node(&l, "var.typed_value"), buf, sizeof buf),
			    "FIXED_LEN_BYTE_ARRAY(16) UUID");
	unload(&l);
	load(&l, "data/encrypt_columns_plaintext_footer.parquet.encrypted");
	assert_string_equal(pv_schema_type_str(node(&l, "int32_field"), buf, sizeof buf), "INT32 TIME(MILLIS,true)");
	unload(&l);
	/* Truncation keeps the NUL. */
	load(&l, "data/int32_decimal.parquet");
	assert_string_equal(pv_schema_type_str(l.s->leaves[0], buf, 6), "INT32");
	unload(&l);
}

/* ------------------------------------------------------------------ hand-built schemas */

#define GROUP(nm, rep, n) { .name = nm, .has_repetition = true, .repetition = rep, \
			    .has_num_children = true, .num_children = n }
#define ROOT(n) { .name = "r", .has_num_children = true, .num_children = n }
#define LEAF(nm, rep, t) { .name = nm, .has_repetition = true, .repetition = rep, \
			   .has_type = true, .type = t }

static int build(pv_schema_element *els, size_t n, pv_schema **out, pv_arena *a, pv_err *e)
{
	static pv_file_meta m;
	memset(&m, 0, sizeof m);
	m.schema = els;
	m.n_schema = n;
	return pv_schema_build(&m, a, out, e);
}

/* --columns names: a column, or a struct/list/map above it, never a
 * prefix that stops inside a name. */
static void test_path_under(void **state)
{
	(void)state;
	assert_true(pv_schema_path_under("a", "a"));
	assert_true(pv_schema_path_under("a.b.c", "a"));
	assert_true(pv_schema_path_under("a.b.c", "a.b"));
	assert_true(pv_schema_path_under("a.b.c", "a.b.c"));
	assert_false(pv_schema_path_under("ab", "a"));
	assert_false(pv_schema_path_under("a.bc", "a.b"));
	assert_false(pv_schema_path_under("a", "a.b"));
	assert_false(pv_schema_path_under("b.a", "a"));
}

static void test_errors(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_schema *s;

	pv_schema_element too_many[] = { ROOT(2), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(too_many, 2, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 0 'r' claims 2 children but only 1 remain");

	pv_schema_element inner[] = { ROOT(2), GROUP("g", PV_REP_OPTIONAL, 3), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(inner, 3, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 1 'g' claims 3 children but only 1 remain");

	pv_schema_element short_list[] = { ROOT(2), GROUP("g", PV_REP_OPTIONAL, 1), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(short_list, 3, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 0 'r' claims 2 children but the list ends 1 short");

	pv_schema_element outside[] = { ROOT(1), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32),
					LEAF("y", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(outside, 3, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 2 'y' lies outside the root's 1 children");

	pv_schema_element typed_group[] = { ROOT(2), GROUP("g", PV_REP_OPTIONAL, 1),
					    LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	typed_group[1].has_type = true;
	assert_int_equal(build(typed_group, 3, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 1 'g' has a physical type and 1 children");

	pv_schema_element norep[] = { ROOT(1), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	norep[1].has_repetition = false;
	assert_int_equal(build(norep, 2, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: element 1 'x' has no repetition type");

	pv_schema_element vector[] = { ROOT(1), LEAF("x", PV_REP_VECTOR, PV_TYPE_FLOAT) };
	assert_int_equal(build(vector, 2, &s, &a, &e), PV_EUNSUPPORTED);

	pv_schema_element flba[] = { ROOT(1), LEAF("x", PV_REP_REQUIRED, PV_TYPE_FIXED_LEN_BYTE_ARRAY) };
	assert_int_equal(build(flba, 2, &s, &a, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "without a positive length"));

	pv_schema_element leafroot[] = { LEAF("r", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(leafroot, 1, &s, &a, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: root element 'r' is not a group");

	/* 200 nested groups. */
	pv_schema_element deep[201];
	deep[0] = (pv_schema_element)ROOT(1);
	for (int i = 1; i < 200; i++)
		deep[i] = (pv_schema_element)GROUP("g", PV_REP_OPTIONAL, 1);
	deep[200] = (pv_schema_element)LEAF("x", PV_REP_OPTIONAL, PV_TYPE_INT32);
	assert_int_equal(build(deep, 201, &s, &a, &e), PV_ELIMIT);
	assert_non_null(strstr(e.msg, "nested deeper than 128"));
	/* 100 are fine. */
	deep[100] = (pv_schema_element)LEAF("x", PV_REP_OPTIONAL, PV_TYPE_INT32);
	assert_int_equal(build(deep, 101, &s, &a, &e), 0);
	assert_int_equal(s->leaves[0]->max_def, 100);
	assert_int_equal(s->max_depth, 100);

	/* The physical type in a row group must match the leaf's. */
	pv_schema_element ok[] = { ROOT(1), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	pv_column_chunk cc = { .has_meta_data = true, .meta_data = { .type = PV_TYPE_INT64 } };
	pv_row_group rg = { .columns = &cc, .n_columns = 1 };
	pv_file_meta m = { .schema = ok, .n_schema = 2, .row_groups = &rg, .n_row_groups = 1 };
	assert_int_equal(pv_schema_build(&m, &a, &s, &e), PV_ECORRUPT);
	assert_string_equal(e.msg, "schema: column 'x' is INT32 in the schema but INT64 in row group 0");
	cc.meta_data.type = PV_TYPE_INT32;
	assert_int_equal(pv_schema_build(&m, &a, &s, &e), 0);
	pv_arena_release(&a);
}

static void test_odd_but_valid(void **state)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_err e;
	pv_schema *s;
	char buf[64];

	/* An empty group, and a root with no columns at all. */
	pv_schema_element empty[] = { ROOT(2), GROUP("g", PV_REP_OPTIONAL, 0), LEAF("x", PV_REP_REQUIRED, PV_TYPE_INT32) };
	assert_int_equal(build(empty, 3, &s, &a, &e), 0);
	assert_int_equal(s->n_leaves, 1);
	assert_int_equal(s->nodes[1].n_children, 0);
	assert_false(s->nodes[1].is_leaf);
	assert_int_equal(s->nodes[1].shape, PV_SHAPE_STRUCT);
	assert_string_equal(s->leaves[0]->path, "x");
	pv_schema_element none[] = { ROOT(0) };
	assert_int_equal(build(none, 1, &s, &a, &e), 0);
	assert_int_equal(s->n_leaves, 0);

	/* A LIST annotation on a group that is not shaped like one reads as a struct. */
	pv_schema_element badlist[] = { ROOT(1), GROUP("l", PV_REP_OPTIONAL, 2),
					LEAF("a", PV_REP_REPEATED, PV_TYPE_INT32),
					LEAF("b", PV_REP_REQUIRED, PV_TYPE_INT32) };
	badlist[1].has_converted_type = true;
	badlist[1].converted_type = PV_CONV_LIST;
	assert_int_equal(build(badlist, 4, &s, &a, &e), 0);
	assert_int_equal(s->nodes[1].shape, PV_SHAPE_STRUCT);
	assert_true(s->nodes[2].bare_repeated);

	/* Two-level list by name: "<list>_tuple" and "array" groups are the element. */
	pv_schema_element tuple[] = { ROOT(1), GROUP("t", PV_REP_OPTIONAL, 1), GROUP("t_tuple", PV_REP_REPEATED, 1),
				      LEAF("v", PV_REP_REQUIRED, PV_TYPE_INT64) };
	tuple[1].has_logical_type = true;
	tuple[1].logical_type.kind = PV_LOGICAL_LIST;
	assert_int_equal(build(tuple, 4, &s, &a, &e), 0);
	assert_int_equal(s->nodes[1].shape, PV_SHAPE_LIST);
	assert_ptr_equal(s->nodes[1].list_element, &s->nodes[2]);
	assert_int_equal(s->nodes[2].shape, PV_SHAPE_STRUCT);
	assert_false(s->nodes[2].bare_repeated);

	/* Three-level with a Hive "bag": the bag is the repeated level. */
	pv_schema_element bag[] = { ROOT(1), GROUP("h", PV_REP_OPTIONAL, 1), GROUP("bag", PV_REP_REPEATED, 1),
				    LEAF("array_element", PV_REP_OPTIONAL, PV_TYPE_INT32) };
	bag[1].has_converted_type = true;
	bag[1].converted_type = PV_CONV_LIST;
	assert_int_equal(build(bag, 4, &s, &a, &e), 0);
	assert_int_equal(s->nodes[2].shape, PV_SHAPE_LIST_REPEATED);
	assert_ptr_equal(s->nodes[1].list_element, &s->nodes[3]);
	assert_int_equal(s->leaves[0]->max_def, 3);

	/* Legacy MAP_KEY_VALUE annotation on the outer group. */
	pv_schema_element mkv[] = { ROOT(1), GROUP("m", PV_REP_OPTIONAL, 1), GROUP("map", PV_REP_REPEATED, 2),
				    LEAF("key", PV_REP_REQUIRED, PV_TYPE_BYTE_ARRAY),
				    LEAF("value", PV_REP_OPTIONAL, PV_TYPE_INT32) };
	mkv[1].has_converted_type = true;
	mkv[1].converted_type = PV_CONV_MAP_KEY_VALUE;
	assert_int_equal(build(mkv, 5, &s, &a, &e), 0);
	assert_int_equal(s->nodes[1].shape, PV_SHAPE_MAP);
	assert_string_equal(pv_schema_type_str(&s->nodes[1], buf, sizeof buf), "MAP");

	/* Converted-only decimals and logical types by hand. */
	pv_schema_element types[] = { ROOT(3), LEAF("d", PV_REP_REQUIRED, PV_TYPE_INT32),
				      LEAF("u", PV_REP_REQUIRED, PV_TYPE_FIXED_LEN_BYTE_ARRAY),
				      LEAF("t", PV_REP_OPTIONAL, PV_TYPE_INT64) };
	types[1].has_converted_type = true;
	types[1].converted_type = PV_CONV_DECIMAL;
	types[1].has_precision = true;
	types[1].precision = 9;
	types[1].has_scale = true;
	types[1].scale = 2;
	types[2].has_type_length = true;
	types[2].type_length = 16;
	types[2].has_logical_type = true;
	types[2].logical_type.kind = PV_LOGICAL_UUID;
	types[3].has_converted_type = true;
	types[3].converted_type = PV_CONV_TIMESTAMP_MILLIS;
	assert_int_equal(build(types, 4, &s, &a, &e), 0);
	assert_string_equal(pv_schema_type_str(s->leaves[0], buf, sizeof buf), "INT32 DECIMAL(9,2)");
	assert_string_equal(pv_schema_type_str(s->leaves[1], buf, sizeof buf), "FIXED_LEN_BYTE_ARRAY(16) UUID");
	assert_string_equal(pv_schema_type_str(s->leaves[2], buf, sizeof buf), "INT64 TIMESTAMP_MILLIS");
	assert_string_equal(pv_shape_name(PV_SHAPE_MAP_REPEATED), "MAP_REPEATED");
	pv_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_lists),
		cmocka_unit_test(test_nested_maps),
		cmocka_unit_test(test_old_list_structure),
		cmocka_unit_test(test_repeated_without_annotation),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_type_strings),
		cmocka_unit_test(test_path_under),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_odd_but_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
