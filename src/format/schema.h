/*
 * schema.h - the schema tree built from FileMetaData's flat, depth-first
 * SchemaElement list: parents and children, definition and repetition
 * levels, dotted paths, the leaves in column order, and what each group
 * means (struct, list, map), including the legacy list and map layouts
 * that LogicalTypes.md asks readers to accept.
 * Includes only base and format.
 */
#ifndef PV_SCHEMA_H
#define PV_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "format/meta.h"

/* What a node's value is. The repeated level of a list or map is marked so
 * readers can skip it: it holds no value of its own. */
typedef enum pv_shape {
	PV_SHAPE_PRIMITIVE = 0, /* a leaf */
	PV_SHAPE_STRUCT,        /* a group of named fields (also VARIANT groups) */
	PV_SHAPE_LIST,          /* a LIST-annotated group; its element is list_element */
	PV_SHAPE_MAP,           /* a MAP-annotated group; see map_key and map_value */
	PV_SHAPE_LIST_REPEATED, /* the repeated middle group of a three-level list */
	PV_SHAPE_MAP_REPEATED   /* the repeated key_value group of a map */
} pv_shape;

typedef struct pv_schema_node pv_schema_node;
typedef struct pv_schema pv_schema;

struct pv_schema_node {
	const pv_schema *schema;    /* the tree this node belongs to */
	const char *name;
	const pv_schema_element *element; /* into the pv_file_meta */
	size_t index;               /* position in the flat list (root 0) */
	pv_repetition repetition;   /* the root reads as REQUIRED */
	pv_schema_node *parent;     /* NULL for the root */
	pv_schema_node **children;
	size_t n_children;
	int depth;                  /* root 0 */
	bool is_leaf;
	size_t leaf_index;          /* column index for leaves; SIZE_MAX for groups */
	int16_t max_def;            /* optional and repeated ancestors, self included, root excluded */
	int16_t max_rep;            /* repeated ancestors, self included */
	const char *path;           /* "a.b.c" without the root; "" for the root */
	pv_shape shape;
	/* PV_SHAPE_LIST: the element node. For three-level lists it is the child
	 * of the LIST_REPEATED group; for legacy two-level lists it is the
	 * repeated child itself (its repetition says so). */
	pv_schema_node *list_element;
	/* PV_SHAPE_MAP: key and value (value NULL for a map without values). */
	pv_schema_node *map_key, *map_value;
	/* A repeated node outside any LIST or MAP structure: per the spec's
	 * backward-compatibility rules its parent holds a required list of
	 * values shaped like this node (legacy unannotated repeated fields). */
	bool bare_repeated;
};

struct pv_schema {
	const pv_file_meta *meta;
	pv_schema_node *root;
	pv_schema_node *nodes;      /* n_nodes == meta->n_schema, in flat order */
	size_t n_nodes;
	pv_schema_node **leaves;    /* leaves[i] describes row group column i */
	size_t n_leaves;
	int max_depth;
};

/* Builds the tree for m; everything (*out included) comes from a and lives
 * as long as a and m do. Errors:
 *   PV_ECORRUPT      num_children inconsistent with the list ("schema:
 *                    element 5 'x' claims 3 children but only 1 remain"),
 *                    a typed element with children, a non-root element
 *                    without a repetition, a FIXED_LEN_BYTE_ARRAY without a
 *                    length, a row group column whose physical type differs
 *                    from its leaf's;
 *   PV_EUNSUPPORTED  the experimental VECTOR repetition;
 *   PV_ELIMIT        nesting deeper than PV_SCHEMA_MAX_DEPTH, or the arena cap.
 * A LIST or MAP annotation on a group that does not have the required
 * layout is not an error: the group reads as a STRUCT.
 * Thread-safe; the result is read-only and may be shared. */
int pv_schema_build(const pv_file_meta *m, pv_arena *a, pv_schema **out, pv_err *err);

/* The node whose dotted path is path ("" is the root), or NULL. Linear. */
const pv_schema_node *pv_schema_find(const pv_schema *s, const char *path);

/* True when the dotted path `path` is `name` or lies under it: a column
 * is named by itself and by every struct, list or map above it ("a" and
 * "a.b" name "a.b.c"; "a" does not name "ab"). */
bool pv_schema_path_under(const char *path, const char *name);

/* A human type: for leaves the physical type (with FIXED_LEN_BYTE_ARRAY's
 * length) then the logical type, else the converted type:
 * "INT64 TIMESTAMP(MICROS,true)", "BYTE_ARRAY STRING",
 * "FIXED_LEN_BYTE_ARRAY(16) UUID", "INT32 DECIMAL(9,2)", "BYTE_ARRAY UTF8",
 * "INT32". For groups: "LIST", "MAP", "VARIANT(1)" or "STRUCT".
 * Always NUL-terminated, truncated to n. Returns out. */
char *pv_schema_type_str(const pv_schema_node *node, char *out, size_t n);

/* "STRUCT", "LIST", ... */
const char *pv_shape_name(int shape);

#endif
