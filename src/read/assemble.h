/*
 * assemble.h - record assembly: the Arrow arrays of selected top-level
 * fields built from each leaf column's repetition levels, definition
 * levels and non-null values (read/chunk.h's pv_colbuf), Dremel style.
 *
 * An Arrow node tree (pv_atree) is derived from the Parquet schema once
 * per reader. Each node knows which level entries of a leaf below it are
 * its slots (def >= slot_def and rep <= slot_rep: top-level fields have a
 * slot per row, a list's element a slot per element) and when a slot is
 * valid (def >= def). Shapes:
 *   STRUCT            +s; children share the struct's slots; validity
 *                     from the first leaf below it;
 *   LIST (3-level)    +l; the element's slots are the levels with def >=
 *                     the repeated group's max_def and rep <= its max_rep;
 *                     offsets count them per list slot; an empty list has
 *                     def == the list's own level;
 *   legacy 2-level    the repeated node itself is the (required) element;
 *   bare repeated     a repeated field outside LIST/MAP is a required list
 *                     (named after the field) of required values;
 *   MAP               +m whose non-nullable "entries" struct holds "key"
 *                     and "value" (a map without values gets a null-typed
 *                     "n" value); keys keep their Parquet nullability
 *                     (incorrect_map_schema has optional keys);
 *   VARIANT           a struct of its fields with parquet.variant metadata.
 * Children of a null struct slot get a slot too (null when nullable, a
 * zero value otherwise), as Arrow requires.
 *
 * Every child array's length is checked against what its parent expects
 * (struct length, last list offset), so leaves of one record that
 * disagree are PV_ECORRUPT "columns of different lengths" naming the
 * field, never an inconsistent array.
 * Includes base, format and read/ below it.
 */
#ifndef PV_ASSEMBLE_H
#define PV_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/arrowc.h"
#include "base/err.h"
#include "format/schema.h"
#include "read/arrowtype.h"
#include "read/chunk.h"

typedef enum pv_anode_kind {
	PV_AN_LEAF = 0,
	PV_AN_STRUCT,
	PV_AN_LIST,
	PV_AN_MAP,
	PV_AN_NULL /* the value of a map without values */
} pv_anode_kind;

typedef struct pv_anode pv_anode;
struct pv_anode {
	pv_anode_kind kind;
	const char *name;
	const pv_schema_node *node;   /* the Parquet node (a bare repeated list: the repeated
	                               * node; map entries: the repeated group); NULL for NULL */
	bool nullable;
	int16_t def;                  /* a slot is valid when its def >= def */
	int16_t slot_def, slot_rep;   /* a level is a slot when def >= slot_def, rep <= slot_rep */
	int16_t elem_def, elem_rep;   /* LIST, MAP: the element's slot condition */
	size_t leaf;                  /* LEAF: index into pv_atree.leaves */
	size_t rep_leaf;              /* a leaf below whose levels give the slots; SIZE_MAX: none */
	pv_leaftype lt;               /* LEAF */
	const char *ext_name;         /* STRUCT: extension name (VARIANT), or NULL */
	pv_anode **children;
	size_t n_children;
};

/* The Arrow node tree of some top-level fields. Caller-owned:
 * pv_atree_build / pv_atree_release. Read-only after building, so it may
 * be shared by threads. */
typedef struct pv_atree {
	pv_arena arena;
	pv_anode **fields;
	size_t n_fields;
	const pv_schema_node **leaves; /* the leaves below the fields, field by field in
	                                * selection order, schema order within a field */
	size_t n_leaves;
} pv_atree;

/* Builds the tree of the top-level fields `fields` (indices into
 * s->root->children; NULL = all). Errors: PV_EINVAL for an index out of
 * range, PV_ENOMEM. On failure the tree is safe to release. */
int pv_atree_build(pv_atree *t, const pv_schema *s, const size_t *fields, size_t n_fields,
		   pv_err *err);

/* NULL allowed. */
void pv_atree_release(pv_atree *t);

/* The "+s" schema of the tree (see read/batch.h). The caller releases *out. */
int pv_atree_schema(const pv_atree *t, struct ArrowSchema *out, pv_err *err);

/* Assembles n_rows rows into a "+s" array with one child per field, from
 * cols[i] holding the levels and values of t->leaves[i] for those rows.
 * Value buffers are moved out of cols where they can be used as they are
 * (cols stay valid, maybe emptied); levels are only read. The caller
 * releases *out. Errors: PV_ECORRUPT "field 'a.b': 7 entries where 9
 * are expected (columns of different lengths)"; PV_ELIMIT for a list
 * child above PV_BATCH's int32 offsets; PV_ENOMEM. On failure *out is
 * released. */
int pv_assemble(const pv_atree *t, pv_colbuf *cols, int64_t n_rows, struct ArrowArray *out,
		pv_err *err);

/* Makes *out an ArrowArray that owns n_buffers buffer slots (filled by the
 * caller through pv_aarray_set_buffer) and n_children zeroed children.
 * out->release frees the owned buffers and releases the children still
 * present. Errors: PV_ENOMEM (then *out is released). */
int pv_aarray_init(struct ArrowArray *out, int64_t length, int64_t null_count, int n_buffers,
		   size_t n_children, pv_err *err);

/* Hands buffer i (malloc'd, may be NULL for an absent validity bitmap) to
 * the array, which frees it on release. */
void pv_aarray_set_buffer(struct ArrowArray *a, int i, void *buf);

/* The same for a buffer of cap bytes: on release it goes back to the
 * spare cache (base/spare.h) for the next batch instead of being freed
 * (cap 0: freed). */
void pv_aarray_set_buffer_cap(struct ArrowArray *a, int i, void *buf, size_t cap);

#endif
