/*
 * doctor.h - the deep integrity check behind `parqview doctor`: every page
 * of every column chunk read and decoded, and what the file says about
 * itself (footer statistics, page headers, page index, bloom filters, row
 * counts, byte ranges) compared with what is actually there; then layout
 * advice (row group sizes, missing statistics or page index, dictionary
 * fallback, codecs, undeclared sort order).
 *
 * Checks (each finding names its `check`):
 *   footer       the row groups' num_rows add up to the footer's num_rows;
 *                total_byte_size / total_compressed_size match the chunks'
 *   layout       column chunks inside the file, not overlapping each other
 *                or the footer
 *   pages        page headers parse, pages stay inside the chunk, data
 *                pages' num_values add up to the chunk's num_values
 *   crc          every page that carries a CRC matches its bytes
 *   decode       the decoders' own errors (dictionary index out of range,
 *                levels above their maximum, repetition levels not
 *                starting a row, truncated pages...) with the page
 *   rows         each column holds exactly the row group's num_rows rows
 *   statistics   footer null count, min and max equal the decoded data's
 *                (in the type's sort order; a min/max marked inexact need
 *                only bound the data)
 *   page_stats   the same for statistics in data page headers
 *   column_index null_pages, null_counts and per-page min/max bound the
 *                pages' data (equal for fixed-width types)
 *   offset_index one location per data page, offsets, sizes and
 *                first_row_index equal to the pages walked
 *   utf8         STRING/JSON/ENUM values are valid UTF-8 (first bad row
 *                and byte offset)
 *   bloom        every value of the chunk is present in its bloom filter
 * Statistics that readers do not trust (stats.h: legacy min/max, old
 * parquet-mr binary statistics, no column order) are still checked, but a
 * mismatch there is a warning: no reader relies on them.
 *
 * Memory: one column chunk per worker at a time, read in batches of about
 * PV_DOCTOR_BATCH_BYTES; never the whole file. Includes base, format, io,
 * read and render (value text); nothing from sql, server or cli.
 */
#ifndef PV_DOCTOR_H
#define PV_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/json.h"
#include "read/pfile.h"

/* Target bytes of decoded values per read batch. */
#define PV_DOCTOR_BATCH_BYTES ((size_t)16 << 20)

typedef enum pv_doctor_severity {
	PV_DOCTOR_ERROR = 0,   /* the file is wrong: readers can get wrong answers or fail */
	PV_DOCTOR_WARNING = 1, /* wrong, but nothing relies on it */
	PV_DOCTOR_INFO = 2     /* worth knowing; advice uses this level */
} pv_doctor_severity;

/* One finding. Place fields are -1 (column_path NULL) when they do not
 * apply. Strings are owned by the report. */
typedef struct pv_doctor_finding {
	pv_doctor_severity severity;
	const char *check;       /* static: "statistics", "crc", ... (see above) */
	int64_t row_group;
	int64_t column;          /* leaf index */
	const char *column_path; /* dotted path; owned (JSON "column") */
	int64_t page;            /* data or dictionary page number within the chunk */
	int64_t row;             /* row within the file */
	char *message;           /* one line, lowercase */
	char *stored;            /* what the file says (text), or NULL */
	char *actual;            /* what the data says (text), or NULL */
} pv_doctor_finding;

typedef struct pv_doctor_list {
	pv_doctor_finding *v;
	size_t n, cap;
	bool nomem;              /* a finding could not be recorded */
} pv_doctor_list;

/* The result for one file. Caller-owned: pv_doctor_report_init /
 * pv_doctor_report_release. */
typedef struct pv_doctor_report {
	char *path;
	bool unreadable;         /* the footer could not be read: nothing else was checked */
	int64_t n_rows, n_row_groups, n_chunks, n_pages, n_values;
	pv_doctor_list findings; /* in file order: file, then row group by row group */
	pv_doctor_list advice;   /* layout advice, INFO */
	size_t n_errors, n_warnings, n_infos; /* over findings */
} pv_doctor_report;

typedef struct pv_doctor_opts {
	int n_threads;                /* <= 0: every CPU */
	const char *const *columns;   /* top-level names or dotted paths (see
	                               * pv_schema_path_under); NULL: all */
	size_t n_columns;
	bool no_advice;
	/* Called (under a lock, from any worker) after each column chunk with
	 * the compressed bytes checked so far and the file's total. */
	void (*progress)(void *ctx, int64_t done, int64_t total);
	void *progress_ctx;
} pv_doctor_opts;

void pv_doctor_report_init(pv_doctor_report *r);
/* NULL allowed. */
void pv_doctor_report_release(pv_doctor_report *r);

/* Checks pf (its path is reopened for the pages) and fills *out (init'ed
 * by the caller). Problems in the file are findings, never errors: the
 * return is 0, or PV_EIO when the file cannot be reopened, PV_ENOMEM. A
 * column name in opts that the file does not have selects nothing there
 * (the caller validates names against the dataset).
 * Thread-safe for distinct reports; uses opts->n_threads workers. */
int pv_doctor_file(const pv_pfile *pf, const pv_doctor_opts *opts, pv_doctor_report *out,
		   pv_err *err);

/* Fills *out for a file whose footer could not be read: one error finding
 * (check "footer") with why's message (without a leading "path: "), and
 * unreadable set. PV_ENOMEM only. */
int pv_doctor_unreadable(const char *path, const pv_err *why, pv_doctor_report *out, pv_err *err);

/* "error", "warning", "info". */
const char *pv_doctor_severity_name(int s);

/* Writes one report as a JSON object:
 *   {"path", "unreadable", "rows", "row_groups", "column_chunks", "pages",
 *    "values", "errors", "warnings", "infos",
 *    "findings": [{"severity", "check", "row_group", "column", "page",
 *                  "row", "message", "stored", "actual"}],
 *    "advice": [{"check", "column", "message"}]}
 * "column" is the dotted path. Place keys, stored/actual and the counts
 * of an unreadable file are left out when they do not apply. */
void pv_doctor_report_json(const pv_doctor_report *r, pv_json *j);

/* Appends a finding; the strings are copied (fmt is printf-style). Sets
 * l->nomem and returns PV_ENOMEM when memory runs out. */
int pv_doctor_add(pv_doctor_list *l, pv_doctor_severity sev, const char *check, int64_t row_group,
		  int64_t column, const char *column_path, int64_t page, int64_t row,
		  const char *stored, const char *actual, const char *fmt, ...)
	__attribute__((format(printf, 11, 12)));

/* Frees the findings; NULL allowed. */
void pv_doctor_list_release(pv_doctor_list *l);

#endif
