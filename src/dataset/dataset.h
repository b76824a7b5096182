/*
 * dataset.h - a set of Parquet files opened as one table: the files the
 * path arguments name, their footers (read in parallel), hive partition
 * columns, and the union of their schemas by top-level column name.
 *
 * A file whose footer cannot be read does not stop the others: it stays in
 * the list with its error, and n_failed counts it (commands report it and
 * exit non-zero). Columns missing from some files are listed per column
 * (they read as NULL there); a column whose type differs between files is
 * a conflict, listed per file.
 * The dataset owns everything it points to; free it with pv_dataset_free.
 * Not thread-safe after opening (read-only use from many threads is fine).
 * Includes base, format, io, read and dataset.
 */
#ifndef PV_DATASET_H
#define PV_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "dataset/hive.h"
#include "dataset/paths.h"
#include "read/pfile.h"

typedef struct pv_dataset_file {
	const char *path;
	pv_pfile *pf;          /* NULL when the footer could not be read */
	pv_err *err;           /* why, when pf is NULL (message starts with the path) */
	pv_hive_kv *parts;     /* partition keys from the directories */
	size_t n_parts;
	int64_t row_start;     /* global index of the first row; readable files only */
} pv_dataset_file;

/* A file whose column type differs from the dataset's. */
typedef struct pv_dataset_conflict {
	size_t file;
	const char *type;      /* the type in that file */
} pv_dataset_conflict;

typedef struct pv_dataset_column {
	const char *name;      /* top-level field name, or partition key */
	bool is_partition;
	pv_hive_type part_type;          /* partition columns only */
	size_t file;                     /* data columns: the first file that has it */
	const pv_schema_node *node;      /* data columns: its node in that file */
	const char *type;                /* display type (nested types spelled out) */
	bool nullable;                   /* optional in some file, missing somewhere, or a partition */
	size_t *missing;                 /* readable files that lack it */
	size_t n_missing;
	pv_dataset_conflict *conflicts;
	size_t n_conflicts;
} pv_dataset_column;

typedef struct pv_dataset_opts {
	int n_threads;         /* footer reading; <= 0: one per CPU */
} pv_dataset_opts;

typedef struct pv_dataset {
	pv_arena arena;
	pv_path_list paths;
	pv_dataset_file *files;
	size_t n_files;
	size_t n_failed;                 /* files whose footer could not be read */
	pv_dataset_column *columns;      /* data columns in first-seen order, then partitions */
	size_t n_columns;
	pv_hive_column *partitions;
	size_t n_partitions;
	bool partitions_partial;         /* some file lacks some partition key */
	int64_t n_rows;                  /* over readable files */
	int64_t n_row_groups;
} pv_dataset;

/* Expands args (files, directories, globs; see paths.h), reads every footer
 * in parallel, parses partitions and unifies the schemas. Fails only when
 * nothing can be listed (PV_ENOTFOUND, PV_ELIMIT, PV_EIO from the path
 * expansion) or memory runs out; unreadable files are recorded instead.
 * opts may be NULL. Free with pv_dataset_free. */
int pv_dataset_open(const char *const *args, size_t n_args, const pv_dataset_opts *opts,
		    pv_dataset **out, pv_err *err);

/* NULL allowed. */
void pv_dataset_free(pv_dataset *ds);

/* The index of the column named name, or -1. */
long pv_dataset_column_index(const pv_dataset *ds, const char *name);

/* The display type of a schema subtree, nested types spelled out:
 * "INT64", "BYTE_ARRAY STRING", "LIST<INT32>", "STRUCT<a: INT32, b: ...>",
 * "MAP<BYTE_ARRAY STRING, INT64>". Allocated in a. */
const char *pv_dataset_type_of(const pv_schema_node *n, pv_arena *a, pv_err *err);

#endif
