/*
 * snapshot.h - a schema snapshot: what `parqview diff` compares and what
 * `parqview schema --save FILE` writes.
 *
 * A snapshot is built from an open dataset, from the footers alone (nothing
 * is decoded): the united schema tree with physical, logical and converted
 * types, repetition and nested fields; file-level key-value metadata; and
 * per leaf column the codecs and encodings seen and a statistics summary
 * (values, nulls, trusted min/max). Or it is loaded from a file written by
 * pv_snapshot_save: versioned JSON (README "Snapshot format"). A loaded
 * file is hostile: its size is capped, every field's type is checked and
 * errors name the JSON path of the bad field.
 *
 * Nested fields are kept in a normalised shape so that files written with
 * different list and map layouts compare equal: a LIST field has one child
 * named "element", a MAP field the children "key" and "value" (the
 * repeated middle groups are folded away), and paths are dotted from the
 * top-level column: "tags.element", "attrs.key", "s.a".
 *
 * A pv_snapshot is read-only once made and may be shared between threads.
 * Includes base, format, io, read, dataset, render and analyze.
 */
#ifndef PV_SNAPSHOT_H
#define PV_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "dataset/dataset.h"
#include "format/meta.h"

/* The snapshot format this version writes and the newest it reads. */
#define PV_SNAPSHOT_VERSION 1
/* Loading refuses files larger than this (PV_ELIMIT). */
#define PV_SNAPSHOT_MAX_BYTES ((size_t)256 << 20)
/* Nesting deeper than this in a loaded snapshot is PV_ELIMIT. */
#define PV_SNAPSHOT_MAX_DEPTH 64
/* min/max texts longer than this many bytes are cut (and end in "…"). */
#define PV_SNAPSHOT_MAX_VALUE_TEXT 200

/* Footer statistics of one leaf column over all chunks of the files that
 * have it (files that type it differently are left out). */
typedef struct pv_snap_stats {
	bool has_values;
	int64_t n_values;      /* sum of the chunks' num_values */
	bool has_nulls;        /* every chunk had a null_count */
	int64_t n_nulls;
	bool has_minmax;       /* every chunk with a non-null value had trusted bounds */
	const char *min, *max; /* their text forms (render/cell.h), cut to PV_SNAPSHOT_MAX_VALUE_TEXT */
} pv_snap_stats;

typedef struct pv_snap_field pv_snap_field;
struct pv_snap_field {
	const char *name;          /* "element", "key", "value" inside lists and maps */
	const char *path;          /* normalised dotted path from the top-level column */
	int shape;                 /* pv_shape: PRIMITIVE, STRUCT, LIST or MAP */
	bool partition;            /* a hive partition column (top level, no children) */
	pv_repetition repetition;  /* partitions: OPTIONAL */
	/* Top level: optional in some file, missing from some file, or a
	 * partition. Nested: the field is OPTIONAL. */
	bool nullable;
	const char *type;          /* display type, nested types spelled out */
	/* Leaves; physical_type is -1 for groups and partitions. */
	int physical_type;         /* pv_physical_type */
	int32_t type_length;       /* FIXED_LEN_BYTE_ARRAY, else 0 */
	const char *logical_type;  /* pv_logical_type_str form; NULL when absent */
	pv_logical_type logical;   /* parsed from logical_type; kind NONE when absent */
	int converted_type;        /* pv_converted_type, -1 when absent */
	int32_t precision, scale;  /* element precision/scale (legacy DECIMAL), else 0 */
	const char **codecs;       /* distinct codec names, sorted */
	size_t n_codecs;
	const char **encodings;    /* distinct encoding names, sorted */
	size_t n_encodings;
	bool has_stats;            /* stats below were gathered (or loaded) */
	pv_snap_stats stats;
	pv_snap_field *children;   /* groups: STRUCT fields; LIST one; MAP two (value may be absent) */
	size_t n_children;
};

/* File-level key-value metadata, united over the files by key (the first
 * file's value wins). Values are compared by length and xxh64. */
typedef struct pv_snap_kv {
	const char *key;
	bool has_value;
	const char *value;         /* NULL when absent, or when only the digest was saved */
	size_t value_len;
	uint64_t xxh64;            /* of the value's bytes (0 when !has_value) */
	int64_t n_files;           /* files that carry the key */
} pv_snap_kv;

typedef struct pv_snapshot {
	pv_arena arena;            /* owns everything below */
	int version;               /* PV_SNAPSHOT_VERSION when built */
	bool loaded;               /* read from a snapshot file */
	const char *source;        /* the path arguments, or the snapshot file */
	int64_t n_files;           /* readable files */
	int64_t n_rows;
	bool has_stats;            /* per-column statistics are present */
	pv_snap_kv *kv;
	size_t n_kv;
	pv_snap_field *columns;    /* top-level, dataset order (partitions last) */
	size_t n_columns;
	const char **inputs;       /* files it was made from (save never overwrites them) */
	size_t n_inputs;
} pv_snapshot;

/* Builds a snapshot of ds from its footers. Files whose footer could not
 * be read are left out (the caller reports them). source names the
 * dataset in reports (NULL: the first path argument). Errors: PV_ENOMEM,
 * PV_ELIMIT (arena cap). Free with pv_snapshot_free. */
int pv_snapshot_from_dataset(const pv_dataset *ds, const char *source, pv_snapshot **out,
			     pv_err *err);

/* Reads a snapshot file. Errors, each one line starting with the path:
 *   PV_ENOTFOUND / PV_EIO   the file cannot be opened or read;
 *   PV_ELIMIT               larger than PV_SNAPSHOT_MAX_BYTES, nested deeper
 *                           than PV_SNAPSHOT_MAX_DEPTH;
 *   PV_ECORRUPT             not JSON ("line 3, column 5: ..."), or a field of
 *                           the wrong type or value, named by its JSON path
 *                           ("$.columns[2].physical_type: expected a string");
 *   PV_EUNSUPPORTED         a version newer than PV_SNAPSHOT_VERSION.
 * Free with pv_snapshot_free. */
int pv_snapshot_load(const char *path, pv_snapshot **out, pv_err *err);

/* The same from text in memory; name is used in messages and as source. */
int pv_snapshot_load_mem(const char *text, size_t n, const char *name, pv_snapshot **out,
			 pv_err *err);

/* Writes s as JSON to path atomically (io/atomic.h), refusing to overwrite
 * any of s->inputs (PV_EINVAL "refusing to overwrite input 'x'").
 * Errors: those of pv_atomic_open/commit. */
int pv_snapshot_save(const pv_snapshot *s, const char *path, pv_err *err);

/* True when path is a regular file whose content starts (after white
 * space) with '{': a snapshot rather than Parquet. Reads a few bytes. */
bool pv_snapshot_sniff(const char *path);

/* The top-level column named name, or NULL. Linear. */
const pv_snap_field *pv_snapshot_column(const pv_snapshot *s, const char *name);

/* NULL allowed. */
void pv_snapshot_free(pv_snapshot *s);

#endif
