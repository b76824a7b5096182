/*
 * diff.h - the changes from one schema snapshot (old) to another (new),
 * each classified for a reader of the old schema: breaking, compatible or
 * informational. The rules are in README "Compatibility rules"; the type
 * rule alone is pv_diff_classify_type.
 *
 * Change kinds (pv_change.kind):
 *   column_added, column_removed, column_renamed (a removed and an added
 *   column paired by the rename heuristic), type_changed, shape_changed,
 *   nullability_changed, repetition_changed, field_added, field_removed,
 *   partition_changed, kv_changed, codec_changed, encoding_changed,
 *   rows_changed, null_share_changed, min_max_changed.
 * Changes are ordered breaking first, then compatible, then info; within a
 * class in the order they were found (columns in the new snapshot's order).
 * Pure computation on two read-only snapshots: thread-safe.
 * Includes base, format, analyze (snapshot.h).
 */
#ifndef PV_DIFF_H
#define PV_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/snapshot.h"
#include "base/err.h"

typedef enum pv_change_class {
	PV_CHANGE_BREAKING = 0,   /* a reader of the old schema can fail or misread */
	PV_CHANGE_COMPATIBLE = 1, /* the old reader still works (widening, additions) */
	PV_CHANGE_INFO = 2        /* no schema effect: metadata, layout, statistics */
} pv_change_class;

typedef struct pv_change {
	const char *kind;       /* see above */
	const char *column;     /* normalised path; NULL for dataset-wide changes */
	pv_change_class cls;
	const char *old_value;  /* NULL when there is none (an addition) */
	const char *new_value;  /* NULL when there is none (a removal) */
	const char *message;    /* one line saying why it has its class */
} pv_change;

typedef struct pv_diff_opts {
	bool no_stats;                /* skip null_share_changed and min_max_changed */
	double null_share_threshold;  /* absolute change in null share reported (0.01) */
	const char *const *columns;   /* only these top-level columns (NULL: all) */
	size_t n_columns;
} pv_diff_opts;

typedef struct pv_diff pv_diff;

/* The defaults: stats on, threshold 0.01, all columns. */
void pv_diff_opts_init(pv_diff_opts *o);

/* Computes the changes from a to b. opts may be NULL (the defaults).
 * Errors: PV_ENOMEM. Free with pv_diff_free. */
int pv_diff_compute(const pv_snapshot *a, const pv_snapshot *b, const pv_diff_opts *opts,
		    pv_diff **out, pv_err *err);

size_t pv_diff_n_changes(const pv_diff *d);
/* The i-th change (i < pv_diff_n_changes); owned by d. */
const pv_change *pv_diff_change(const pv_diff *d, size_t i);
/* How many changes have class c. */
size_t pv_diff_n_class(const pv_diff *d, pv_change_class c);
/* True when some change is breaking. */
bool pv_diff_breaking(const pv_diff *d);
/* NULL allowed. */
void pv_diff_free(pv_diff *d);

/* "breaking", "compatible", "info". */
const char *pv_change_class_name(pv_change_class c);

/* The rule for a change of a leaf's (or partition's) type from old_f to
 * new_f, both leaves. Returns -1 when the types are the same (nothing to
 * report), else the class, and sets *out_reason (static text, e.g.
 * "integer widening", "narrowing", "decimal scale changed") when non-NULL. */
int pv_diff_classify_type(const pv_snap_field *old_f, const pv_snap_field *new_f,
			  const char **out_reason);

#endif
