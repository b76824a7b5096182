/*
 * problems.h - what is wrong with a dataset, found in its footers alone:
 * unreadable files, row groups whose rows do not add up to the footer's
 * count, encrypted column chunks, columns missing from some files, column
 * types that differ between files, partition keys some files lack.
 * `parqview summary` prints this list and the server's /api/datasets
 * reports the same one, so both always agree.
 * Includes base, format, read and dataset; nothing above.
 */
#ifndef PV_PROBLEMS_H
#define PV_PROBLEMS_H

#include <stddef.h>

#include "base/err.h"
#include "base/json.h"
#include "dataset/dataset.h"

/* Longest message kept, with its NUL; longer ones are cut. */
#define PV_PROBLEM_MSG_MAX 512

typedef struct pv_problem {
	/* static: "unreadable_file", "row_count_mismatch",
	 * "encrypted_columns", "missing_column", "type_conflict",
	 * "partial_partitions" */
	const char *kind;
	char message[PV_PROBLEM_MSG_MAX]; /* one line, for people */
} pv_problem;

typedef struct pv_problems {
	pv_problem *items;
	size_t n;
} pv_problems;

/* Fills *p with ds's problems in this order: for each file in ds's order
 * its unreadable_file (the file's error message), or its
 * row_count_mismatch and encrypted_columns; then for each column its
 * missing_column and type_conflicts; last partial_partitions. Messages
 * name files by the paths ds lists them under. Errors: PV_ENOMEM (*p is
 * then empty). The caller owns *p: pv_problems_release. Reads ds only, so
 * any number of threads may run it on one dataset. */
int pv_problems_init(pv_problems *p, const pv_dataset *ds, pv_err *err);

/* NULL allowed; leaves *p empty. */
void pv_problems_release(pv_problems *p);

/* Writes p as a JSON array of {"kind", "message"} objects: the "problems"
 * of `summary --json` and of each dataset in /api/datasets. */
void pv_problems_json(const pv_problems *p, pv_json *j);

#endif
