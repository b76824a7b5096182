/*
 * contract_int.h - what contract_eval.c (planning, footers, the one scan)
 * and contract_rules.c (the per-rule accumulators) share. Not a public
 * header: only src/analyze/contract*.c include it.
 * Includes base, format, io, read, dataset, render and analyze.
 */
#ifndef PV_CONTRACT_INT_H
#define PV_CONTRACT_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyze/contract.h"
#include "analyze/tokenize.h"
#include "base/buf.h"
#include "dataset/dataset.h"
#include "dataset/scan.h"
#include "render/arrowval.h"

/* Most bytes of keys one rule may hold (duplicates, classes, join keys). */
#define PV_KSET_MAX_BYTES ((size_t)2 << 30)

/* A set of byte-string keys with a count, the first global row and a flag
 * per key (open addressing on xxh3). */
typedef struct pv_kset_entry {
	uint64_t hash;
	uint64_t off;      /* into bytes */
	uint32_t len;
	uint32_t flag;     /* joinCoverage: seen on the other side */
	int64_t count;
	int64_t first;     /* global row of the first occurrence */
} pv_kset_entry;

typedef struct pv_kset {
	pv_kset_entry *slots; /* count == 0: empty */
	size_t n_slots, n_used;
	pv_buf bytes;
} pv_kset;

void pv_kset_init(pv_kset *s);
void pv_kset_release(pv_kset *s);
/* Finds key or adds it with count 0; *out points at its entry (valid until
 * the next add). Errors: PV_ENOMEM, PV_ELIMIT. */
int pv_kset_get(pv_kset *s, const void *key, size_t len, pv_kset_entry **out, pv_err *err);
/* The key bytes of an entry. */
const char *pv_kset_key(const pv_kset *s, const pv_kset_entry *e);

/* A failure before it is located: the global row and the texts. */
typedef struct pv_ev_fail {
	int64_t row;        /* global; -1 when not a row */
	const char *values;
	const char *note;
} pv_ev_fail;

/* One rule's evaluation state. */
typedef struct pv_ev_rule {
	const pv_rule *r;
	pv_rule_result *res;
	pv_arena *arena;         /* the result's arena (texts of failures) */
	size_t max_failures;
	bool data;               /* takes part in the scan */
	bool failed_early;       /* an error while feeding: res->error is set */
	size_t *cols;            /* scan column of each rule column (columns, or column) */
	size_t n_cols;
	const char *const *col_names;
	long ds_col;             /* dataset column index of r->column, -1 when none */
	int64_t n_bad, n_seen;
	double max_seen;
	int64_t max_row;         /* global row of max_seen */
	pv_kset set;
	pv_kset ref;             /* joinCoverage: the reference keys */
	int64_t ref_rows;
	regex_t re;
	bool has_re;
	pv_tokenizer *tok;
	pv_ev_fail *fails;
	size_t n_fails;
	pv_buf scratch;
	/* type: sql rules run on their own thread while the scan reads */
	bool sql;
	char *sql_query;         /* placeholders replaced; malloc'ed */
	double sql_value;
	int sql_rc;
	pv_err sql_err;
} pv_ev_rule;

/* What a batch is: the scan's struct array, its type, the global row of
 * its first row, and the file it came from. */
typedef struct pv_ev_batch {
	const pv_atype *t;
	const struct ArrowArray *a;
	int64_t first;
	const pv_dataset *ds;
	size_t file;
	const char *const *scan_cols; /* names of the scan's columns */
} pv_ev_batch;

/* A scan of some columns of a dataset with its batch type parsed, the
 * sequence every reader here needs. */
typedef struct pv_ev_scan {
	pv_scan *s;
	struct ArrowSchema sch;
	pv_arena arena;  /* holds t */
	pv_atype *t;     /* the batches' "+s" type */
} pv_ev_scan;

/* Opens a scan of columns ("a,b"; NULL: all) over every row of ds, or
 * over none when all_rows is false (for the types alone). The scan's
 * errors. Close with pv_ev_scan_close, also after a failed open. */
int pv_ev_scan_open(pv_ev_scan *es, const pv_dataset *ds, const char *columns, bool all_rows,
		    pv_err *err);
/* The next batch, checked against the type; at the end 0 with
 * out->release == NULL. The caller releases the batch. */
int pv_ev_scan_next(pv_ev_scan *es, struct ArrowArray *out, int64_t *out_first, pv_err *err);
void pv_ev_scan_close(pv_ev_scan *es);

/* Prepares e for the scan (compiles patterns, loads tokenizers). Errors
 * are the rule's: res->status becomes PV_RS_ERROR and false comes back. */
bool pv_ev_prepare(pv_ev_rule *e);
/* Feeds one batch. An error marks the rule PV_RS_ERROR and it is fed no more. */
void pv_ev_feed(pv_ev_rule *e, const pv_ev_batch *b);
/* Turns the accumulators into value, status and failures (not yet located). */
void pv_ev_finish(pv_ev_rule *e, int64_t object_rows);
void pv_ev_release(pv_ev_rule *e);
/* Records an offending row (kept while fewer than max_failures). */
void pv_ev_fail_row(pv_ev_rule *e, int64_t row, const char *values, const char *note);
/* "col='v', col2=3": the rule's columns at row i of the batch. */
const char *pv_ev_row_text(pv_ev_rule *e, const pv_ev_batch *b, int64_t i);
/* Appends the serialised key of cell c (a tag byte and the value's
 * bytes; equal values give equal keys); *out_null tells a NULL. */
int pv_ev_cell_key(pv_acell c, pv_buf *out, bool *out_null, pv_err *err);
/* NULLs of dataset column ci from the footers (null counts, files that
 * lack the column, NULL partition values); false when some chunk lacks a
 * null count or the column is not a flat leaf. */
bool pv_contract_footer_nulls(const pv_dataset *ds, long ci, int64_t *out);
/* DuckDB's name of an Arrow type ("BIGINT", "FLOAT[]", "TIMESTAMP WITH
 * TIME ZONE"), as SQL users write physicalType. */
void pv_contract_duck_type(const pv_atype *t, pv_buf *b);
/* The ODCS logicalType of an Arrow type; NULL when none fits. */
const char *pv_contract_logical_type(const pv_atype *t);
/* schemaCompatible (contract_schema.c): judges the rule and records the
 * offending changes as failures. Errors: loading the snapshot (its
 * messages), PV_ENOMEM. */
int pv_ev_schema_compatible(pv_ev_rule *e, const pv_dataset *ds, pv_err *err);
/* Sets the rule's status from value and bound (value in rows or percent). */
void pv_ev_judge(pv_ev_rule *e, double value, int64_t object_rows);

#endif
