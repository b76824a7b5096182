/*
 * scan.h - rows of a dataset by global index: where row N lives (file, row
 * group, row), and an iterator that reads any set of row ranges as Arrow
 * batches of the dataset's unified columns.
 *
 * Global row N is row N of the files taken in dataset order (readable
 * files only: a file whose footer failed holds no rows), each file's rows
 * in row group order. A row map of prefix sums is built once; finding a
 * row is a binary search.
 *
 * A scan reads the columns the user selected ("a,b.c"; all columns by
 * default: data columns, then hive partition columns) as one "+s" struct
 * array per batch. For each file it reads the file's own fields with a
 * row group reader (read/batch.h) and completes them: a column the file
 * lacks is an all-NULL array of the dataset's type, a partition column is
 * a constant array of the file's partition value (all NULL when the file's
 * path has no such key). Partition columns have these Arrow types:
 * BIGINT "l", DOUBLE "g", DATE "tdD", TIMESTAMP "tsu:" (no zone), BOOLEAN
 * "b", VARCHAR "u". A dotted name a.b.c selects a field inside structs; it
 * is NULL where any struct on its path is NULL, and it is named "a.b.c".
 *
 * Includes base, format, io, read and dataset.
 */
#ifndef PV_SCAN_H
#define PV_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arrowc.h"
#include "base/err.h"
#include "dataset/dataset.h"

/* Rows [first, first + count) by global index. */
typedef struct pv_row_range {
	int64_t first;
	int64_t count;
} pv_row_range;

/* ---- addressing */

/* Where one global row lives. */
typedef struct pv_rowpos {
	size_t file;       /* index into ds->files */
	size_t row_group;  /* index into that file's row groups */
	int64_t row;       /* row within the row group */
	int64_t rg_first;  /* global index of the row group's first row */
	int64_t rg_rows;   /* rows in the row group */
} pv_rowpos;

typedef struct pv_rowmap_entry pv_rowmap_entry;

/* Caller-owned; pv_rowmap_init / pv_rowmap_release. Read-only after init,
 * so any number of threads may locate rows at once. */
typedef struct pv_rowmap {
	const pv_dataset *ds;
	pv_rowmap_entry *entries; /* one per non-empty row group, by global row */
	size_t n_entries;
	int64_t *file_first;      /* per file of ds: global index of its first row */
	int64_t *file_rows;       /* per file: its rows (0 for unreadable files) */
	int64_t n_rows;           /* all rows */
} pv_rowmap;

/* Builds the map of ds (which must outlive it). A file's rows are what
 * its row groups hold: when they do not add up to the footer's num_rows
 * (old parquet-rs wrote 0 there) the row groups win, so the map can hold
 * more or fewer rows than ds->n_rows (callers may warn: compare
 * file_rows[i] with the footer). A file with a negative row group count
 * keeps its declared rows but cannot be read: locating a row in it is
 * PV_ECORRUPT. Errors: PV_ENOMEM; PV_ELIMIT when the rows overflow int64. */
int pv_rowmap_init(pv_rowmap *m, const pv_dataset *ds, pv_err *err);

/* NULL allowed; m may be initialised again afterwards. */
void pv_rowmap_release(pv_rowmap *m);

/* Finds global row `row`. Errors: PV_EINVAL "row N is out of range (the
 * dataset has M rows)"; PV_ECORRUPT "FILE: a row group has a negative row
 * count". */
int pv_rowmap_locate(const pv_rowmap *m, int64_t row, pv_rowpos *out, pv_err *err);

/* ---- scanning */

/* Most rows per batch unless the options say otherwise. */
#define PV_SCAN_BATCH_ROWS ((int64_t)16384)
/* The largest batch_rows accepted. */
#define PV_SCAN_MAX_BATCH_ROWS ((int64_t)1 << 20)

/* Row group readers kept between scans (a server keeps one per dataset):
 * a reader holds its columns' current decompressed pages and
 * dictionaries, so a later scan of nearby rows in the same row group
 * decodes nothing twice. The cache also keeps one open source per file
 * (pv_source_read is thread-safe). A scan takes a reader for (file, row
 * group, fields) out of the cache, so no two scans share one, and gives
 * it back when it moves on; past max_readers idle readers the least
 * recently used is closed. A scan that needs a reader another scan has
 * out waits for it to come back (decoding the same pages twice costs
 * more), so one thread must not keep two scans of one cache open over the
 * same rows at once. Thread-safe (one mutex); scans using it may run on
 * any threads. */
typedef struct pv_rgcache pv_rgcache;

/* A cache for ds (which must outlive it) keeping at most max_readers idle
 * readers (0: 8). Errors: PV_ENOMEM. Free with pv_rgcache_free, after
 * every scan using it is closed. */
int pv_rgcache_new(const pv_dataset *ds, size_t max_readers, pv_rgcache **out, pv_err *err);

/* Closes every reader and source. NULL allowed. */
void pv_rgcache_free(pv_rgcache *c);

/* Readers handed out by the cache so far (taken from it rather than
 * opened), for tests and benchmarks. */
size_t pv_rgcache_hits(const pv_rgcache *c);

typedef struct pv_scan_opts {
	const char *columns;   /* "a,b.c": comma-separated names, spaces around them
	                        * ignored; NULL or "" selects every column */
	bool verify_crc;       /* check page CRCs (--verify) */
	size_t max_page_bytes; /* a page bigger than this is PV_ELIMIT; 0: the reader's default */
	int64_t batch_rows;    /* most rows per batch; 0: PV_SCAN_BATCH_ROWS */
	pv_rgcache *cache;     /* readers and sources to reuse (of the same ds and
	                        * the same verify_crc/max_page_bytes); NULL: none */
	int n_threads;         /* threads reading row groups ahead of the caller
	                        * (see "Threads" below): 0 or 1 none, the reads
	                        * happen in pv_scan_next; n > 1 up to n workers;
	                        * PV_SCAN_THREADS_AUTO the machine's CPUs, at most
	                        * PV_SCAN_AUTO_THREADS. Ignored with a cache. */
} pv_scan_opts;

#define PV_SCAN_THREADS_AUTO (-1)
#define PV_SCAN_AUTO_THREADS 4
#define PV_SCAN_MAX_THREADS 64

typedef struct pv_scan pv_scan;

/* Threads. With n_threads > 1 and rows in two row groups or more, the
 * first pv_scan_next starts the workers: each takes the next row group the
 * rows touch, reads its rows with a reader of its own (one thread per
 * read) and queues the batches; pv_scan_next hands them out in row order,
 * so the batches, their rows and their errors are the same as on one
 * thread, only sooner. In flight at most: n + 1 row groups, two batches
 * queued for each, one reader (its current pages) per worker. The workers
 * stop when the scan closes. A scan whose ranges are sparse (a sample:
 * a few rows per range on average) streams the pages it enters (read/
 * chunk.h "Streaming"), decompressing them only up to the rows it needs.
 *
 * Prepares to read the rows of ranges[0..n_ranges) from ds (which must
 * outlive the scan), in global order: the ranges are copied, sorted,
 * merged where they overlap or touch, and cut to the dataset's rows (a
 * range past the end reads what there is). Nothing is read yet except the
 * schemas of the selected columns. opts may be NULL.
 * Errors:
 *   PV_EINVAL       an unknown column: "unknown column 'x' (did you mean
 *                   'y'?)" or "... (columns: a, b, ...)"; a dotted name
 *                   through something that is not a struct; an empty name;
 *                   batch_rows or n_threads out of range; a negative
 *                   range.
 *   PV_EUNSUPPORTED a selected column whose type in a file the ranges
 *                   touch differs from its dataset type: "column 'x' is
 *                   TYPE in 'FILE' but TYPE2 elsewhere; select other
 *                   columns with --columns"; a type the reader cannot
 *                   produce (its message, prefixed with the file).
 *   PV_ENOMEM, PV_ELIMIT.
 * Free with pv_scan_close. One thread at a time. */
int pv_scan_open(const pv_dataset *ds, const pv_scan_opts *opts, const pv_row_range *ranges,
                 size_t n_ranges, pv_scan **out, pv_err *err);

/* The batches' schema: a "+s" whose children are the selected columns in
 * the order given (all columns: the dataset's order). A copy the caller
 * owns and releases. Errors: PV_ENOMEM. */
int pv_scan_schema(const pv_scan *s, struct ArrowSchema *out, pv_err *err);

/* Reads the next batch: a "+s" array of at most batch_rows rows, all from
 * one row group, holding the rows from global row *out_first on. At the
 * end it returns 0 with out->release == NULL. The batch is the caller's
 * (release it; it needs neither the scan nor the dataset afterwards except
 * that it must be released before the dataset is freed). Its children may
 * be moved out and released on their own, per the C Data Interface.
 * Errors name the place: "FILE: row group 3: column 'price': page 12:
 * ..." (PV_ECORRUPT, PV_EUNSUPPORTED, PV_EIO, PV_ELIMIT, PV_ENOMEM; the
 * reader's message with the file and row group in front). After an error
 * the scan can only be closed. */
int pv_scan_next(pv_scan *s, struct ArrowArray *out, int64_t *out_first, pv_err *err);

/* Rows the (cut, merged) ranges hold: what the batches will add up to. */
int64_t pv_scan_n_rows(const pv_scan *s);

/* Rows handed out by pv_scan_next so far. */
int64_t pv_scan_rows_done(const pv_scan *s);

/* The number of selected columns and the name of column i ("a.b.c" for a
 * dotted selection); NULL past the end. Valid while the scan is open. */
size_t pv_scan_n_columns(const pv_scan *s);
const char *pv_scan_column_name(const pv_scan *s, size_t i);

/* Stops its workers (each finishes the batch it is reading, queued
 * batches are released), closes the readers and sources it holds and
 * frees the scan. Batches it returned stay valid. NULL allowed. */
void pv_scan_close(pv_scan *s);

/* The Levenshtein distance between two names, ignoring ASCII case;
 * SIZE_MAX when either is longer than 64 bytes. For "did you mean"
 * suggestions and the diff's rename heuristic. Pure, thread-safe. */
size_t pv_scan_edit_distance(const char *a, const char *b);

#endif
