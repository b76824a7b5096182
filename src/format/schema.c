/*
 * schema.c - the schema tree (see schema.h): one pass to link nodes and
 * compute levels and paths, one top-down pass to classify groups as
 * structs, lists or maps under the spec's backward-compatibility rules.
 * Includes only base and format.
 */
#include "format/schema.h"

#include <stdio.h>
#include <string.h>

#include "base/banned.h"

const char *pv_shape_name(int shape)
{
	static const char *const names[] = { "PRIMITIVE", "STRUCT", "LIST", "MAP", "LIST_REPEATED",
		"MAP_REPEATED" };
	if (shape < 0 || (size_t)shape >= sizeof names / sizeof names[0])
		return "UNKNOWN";
	return names[shape];
}

static bool has_annotation(const pv_schema_element *e, pv_logical_kind lk, int conv)
{
	if (e->has_logical_type && e->logical_type.kind == lk)
		return true;
	return e->has_converted_type && e->converted_type == conv;
}

/* LogicalTypes.md, "Backward-compatibility rules" for lists: which node
 * under a LIST group is the element. */
static pv_schema_node *list_element_of(pv_schema_node *list, pv_schema_node *rep)
{
	if (rep->is_leaf || rep->n_children != 1)
		return rep;
	if (strcmp(rep->name, "array") == 0)
		return rep;
	size_t ln = strlen(list->name);
	if (strncmp(rep->name, list->name, ln) == 0 && strcmp(rep->name + ln, "_tuple") == 0)
		return rep;
	/* A repeated field under the repeated group makes the group itself the
	 * element (a two-level list of structs holding a list). */
	if (rep->children[0]->repetition == PV_REP_REPEATED)
		return rep;
	return rep->children[0];
}

static void classify(pv_schema_node *n)
{
	const pv_schema_element *e = n->element;
	if (n->shape == PV_SHAPE_LIST_REPEATED || n->shape == PV_SHAPE_MAP_REPEATED)
		goto repeated;
	if (n->is_leaf) {
		n->shape = PV_SHAPE_PRIMITIVE;
		goto repeated;
	}
	n->shape = PV_SHAPE_STRUCT;
	if (n->n_children == 1 && n->children[0]->repetition == PV_REP_REPEATED) {
		pv_schema_node *r = n->children[0];
		if (has_annotation(e, PV_LOGICAL_LIST, PV_CONV_LIST)) {
			n->shape = PV_SHAPE_LIST;
			n->list_element = list_element_of(n, r);
			if (n->list_element != r)
				r->shape = PV_SHAPE_LIST_REPEATED;
		} else if ((has_annotation(e, PV_LOGICAL_MAP, PV_CONV_MAP) ||
			    (e->has_converted_type && e->converted_type == PV_CONV_MAP_KEY_VALUE)) &&
			   !r->is_leaf && r->n_children >= 1 && r->n_children <= 2) {
			n->shape = PV_SHAPE_MAP;
			r->shape = PV_SHAPE_MAP_REPEATED;
			n->map_key = r->children[0];
			n->map_value = r->n_children == 2 ? r->children[1] : NULL;
		}
	}
repeated:
	if (n->repetition == PV_REP_REPEATED && n->shape != PV_SHAPE_LIST_REPEATED &&
	    n->shape != PV_SHAPE_MAP_REPEATED &&
	    !(n->parent && n->parent->shape == PV_SHAPE_LIST && n->parent->list_element == n))
		n->bare_repeated = true;
}

static const char *el_name(const pv_schema_element *e)
{
	return e->name ? e->name : "";
}

int pv_schema_build(const pv_file_meta *m, pv_arena *a, pv_schema **out, pv_err *err)
{
	*out = NULL;
	size_t n = m->n_schema;
	size_t n_leaves;
	int rc = pv_meta_count_leaves(m->schema, n, &n_leaves, err);
	if (rc)
		return rc;
	pv_schema *s = pv_arena_alloc(a, sizeof *s, err);
	if (!s)
		return err ? err->code : PV_ENOMEM;
	s->meta = m;
	s->n_nodes = n;
	s->n_leaves = n_leaves;
	s->nodes = pv_arena_array(a, n, sizeof *s->nodes, err);
	s->leaves = pv_arena_array(a, n_leaves, sizeof *s->leaves, err);
	pv_schema_node **pool = pv_arena_array(a, n, sizeof *pool, err);
	if (!s->nodes || !s->leaves || !pool)
		return err ? err->code : PV_ENOMEM;
	size_t next_slot = 0;

	/* Counting already checked the shape of the list; this pass links it. */
	pv_schema_node *stack[PV_SCHEMA_MAX_DEPTH + 1];
	int depth = 0;
	size_t leaf = 0;
	for (size_t i = 0; i < n; i++) {
		const pv_schema_element *e = &m->schema[i];
		pv_schema_node *node = &s->nodes[i];
		node->schema = s;
		node->name = el_name(e);
		node->element = e;
		node->index = i;
		node->leaf_index = SIZE_MAX;
		while (depth > 0 && stack[depth - 1]->n_children ==
					    (size_t)stack[depth - 1]->element->num_children)
			depth--;
		if (i == 0) {
			node->repetition = PV_REP_REQUIRED;
			node->path = "";
		} else {
			pv_schema_node *p = stack[depth - 1];
			p->children[p->n_children++] = node;
			node->parent = p;
			node->depth = p->depth + 1;
			if (!e->has_repetition)
				return pv_err_set(err, PV_ECORRUPT, "schema: element %zu '%s' has no repetition type",
						  i, node->name);
			if (e->repetition == PV_REP_VECTOR)
				return pv_err_set(err, PV_EUNSUPPORTED,
						  "schema: element %zu '%s' uses the experimental VECTOR repetition",
						  i, node->name);
			node->repetition = e->repetition;
			node->max_def = p->max_def;
			node->max_rep = p->max_rep;
			if (node->repetition != PV_REP_REQUIRED)
				node->max_def++;
			if (node->repetition == PV_REP_REPEATED)
				node->max_rep++;
			node->path = p->depth == 0 ? node->name
				: pv_arena_printf(a, err, "%s.%s", p->path, node->name);
			if (!node->path)
				return err ? err->code : PV_ENOMEM;
			if (node->depth > s->max_depth)
				s->max_depth = node->depth;
		}
		if (pv_schema_element_is_leaf(e) && i > 0) {
			node->is_leaf = true;
			node->leaf_index = leaf;
			s->leaves[leaf++] = node;
			if (e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY && (!e->has_type_length || e->type_length <= 0))
				return pv_err_set(err, PV_ECORRUPT,
						  "schema: column '%s' is FIXED_LEN_BYTE_ARRAY without a positive length",
						  node->path);
		} else if (e->has_num_children && e->num_children > 0) {
			node->children = pool + next_slot;
			next_slot += (size_t)e->num_children;
			stack[depth++] = node;
		}
	}
	s->root = &s->nodes[0];

	/* Flat order is depth-first pre-order, so parents are classified before
	 * their children, as the list and map rules need. */
	for (size_t i = 0; i < n; i++)
		classify(&s->nodes[i]);

	for (size_t g = 0; g < m->n_row_groups; g++) {
		const pv_row_group *rg = &m->row_groups[g];
		for (size_t c = 0; c < rg->n_columns && c < n_leaves; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			const pv_schema_node *lf = s->leaves[c];
			if (cc->has_meta_data && cc->meta_data.type != lf->element->type)
				return pv_err_set(err, PV_ECORRUPT,
						  "schema: column '%s' is %s in the schema but %s in row group %zu",
						  lf->path, pv_physical_type_name(lf->element->type),
						  pv_physical_type_name(cc->meta_data.type), g);
		}
	}
	*out = s;
	return 0;
}

const pv_schema_node *pv_schema_find(const pv_schema *s, const char *path)
{
	for (size_t i = 0; i < s->n_nodes; i++)
		if (strcmp(s->nodes[i].path, path) == 0)
			return &s->nodes[i];
	return NULL;
}

bool pv_schema_path_under(const char *path, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(path, name, n) && (path[n] == '\0' || path[n] == '.');
}

char *pv_schema_type_str(const pv_schema_node *node, char *out, size_t n)
{
	if (!n)
		return out;
	const pv_schema_element *e = node->element;
	char lt[256] = "";
	if (e->has_logical_type && e->logical_type.kind != PV_LOGICAL_NONE) {
		pv_logical_type_str(&e->logical_type, lt, sizeof lt);
	} else if (e->has_converted_type) {
		if (e->converted_type == PV_CONV_DECIMAL)
			snprintf(lt, sizeof lt, "DECIMAL(%d,%d)", (int)e->precision, (int)e->scale);
		else
			snprintf(lt, sizeof lt, "%s", pv_converted_type_name(e->converted_type));
	}
	if (!node->is_leaf) {
		if (node->shape == PV_SHAPE_LIST)
			snprintf(out, n, "LIST");
		else if (node->shape == PV_SHAPE_MAP)
			snprintf(out, n, "MAP");
		else if (e->has_logical_type && e->logical_type.kind != PV_LOGICAL_NONE &&
			 e->logical_type.kind != PV_LOGICAL_LIST && e->logical_type.kind != PV_LOGICAL_MAP)
			snprintf(out, n, "%s", lt);
		else
			snprintf(out, n, "STRUCT");
		return out;
	}
	char phys[64];
	if (e->type == PV_TYPE_FIXED_LEN_BYTE_ARRAY)
		snprintf(phys, sizeof phys, "FIXED_LEN_BYTE_ARRAY(%d)", (int)e->type_length);
	else
		snprintf(phys, sizeof phys, "%s", pv_physical_type_name(e->type));
	if (lt[0])
		snprintf(out, n, "%s %s", phys, lt);
	else
		snprintf(out, n, "%s", phys);
	return out;
}
