/*
 * profile.h - column profiles of a dataset: counts, exact or sketched
 * distinct values, min/max, moments, quantiles, frequent values, string
 * and list lengths, embedding health; per group with --by; mergeable and
 * saveable, so shards profiled apart give one answer.
 *
 * A profile holds, per group (one group "" without --by) and per column,
 * a pv_colprof fed from Arrow batches. What each kind keeps:
 *   every column    rows, nulls
 *   scalars         distinct: exact while at most exact_max values (a
 *                   table of 64-bit hashes, topk.h), then HyperLogLog
 *                   (hll.h, +-PV_HLL_BOUND), made from the table's
 *                   hashes when it fills up; frequent values (topk.h)
 *   BOOL            true count
 *   INT/UINT/FLOAT/DECIMAL  min, max, mean and standard deviation
 *                   (Welford, merged with Chan et al.; decimals as
 *                   doubles), quantiles (kll.h, rank error
 *                   PV_KLL_RANK_ERROR, exact while nothing was
 *                   compacted), NaN and infinity counts for floats
 *   TEMPORAL        min, max (dates, times, timestamps, in their unit)
 *   STRING/BINARY   lengths in characters (UTF-8 code points; bytes for
 *                   binary) and bytes: min, max, mean, quantiles; the
 *                   count longer than max_chars characters
 *   LIST            list lengths as above
 *   EMBEDDING       lists or fixed-size lists of FLOAT or DOUBLE: list
 *                   lengths, the distinct dimensions with counts (the
 *                   first PV_PROF_MAX_DIMS, the rest counted together),
 *                   vectors holding NaN or infinity, all-zero vectors,
 *                   L2 norm quantiles, the mean vector of the vectors of
 *                   the first dimension seen (finite vectors only)
 *   OTHER           structs, maps, intervals: rows and nulls only
 *
 * Exact parts (rows, nulls, min, max, true counts, length extremes and
 * sums, counts over max_chars, dimension counts) merge exactly; the mean
 * and variance merge to within rounding; sketches merge as their headers
 * say (HyperLogLog exactly). Memory per column and group is bounded by
 * the sketches: the exact-distinct table grows with the values seen (at
 * worst about 5 MiB), the 16 KiB of HyperLogLog exist only once it is
 * full, a few KiB per KLL, and the mean vector.
 *
 * Footers: pv_profile_run reads each column's null counts (when every
 * chunk has one) and trusted exact min/max from the footers (format/
 * stats.h rules). A column whose footers say it holds only NULLs is not
 * decoded. With opts.footer_only nothing is decoded at all and only the
 * footer answers are filled.
 *
 * Ownership: a pv_profile is a heap object (pv_profile_free). Not
 * thread-safe; pv_profile_run uses threads internally. Includes base,
 * format, io, read, dataset, render and analyze.
 */
#ifndef PV_PROFILE_H
#define PV_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/hll.h"
#include "analyze/kll.h"
#include "analyze/topk.h"
#include "base/arrowc.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "dataset/dataset.h"
#include "format/value.h"

struct pv_atype;

#define PV_PROF_MAX_DIMS 8
#define PV_PROF_DEFAULT_MAX_CHARS 8192
#define PV_PROF_DEFAULT_MAX_GROUPS 1000
/* The most --by columns. */
#define PV_PROF_MAX_BY 8
/* The longest mean vector kept (longer vectors: no mean vector). */
#define PV_PROF_MAX_MEAN_DIM 65536

/* Stat groups a profile computes (--only): a left-out group is neither
 * computed nor shown. distinct and top share the value hashing (either
 * keeps it); length quantiles need both lengths and quantiles. */
#define PV_PROF_S_NULLS     (1u << 0)
#define PV_PROF_S_DISTINCT  (1u << 1)
#define PV_PROF_S_TOP       (1u << 2)
#define PV_PROF_S_MOMENTS   (1u << 3)
#define PV_PROF_S_QUANTILES (1u << 4)
#define PV_PROF_S_LENGTHS   (1u << 5)
#define PV_PROF_S_HISTOGRAM (1u << 6)
#define PV_PROF_S_EMBEDDING (1u << 7)
#define PV_PROF_S_ALL       0xffu

/* Parses a comma list of group names ("nulls,distinct,top,moments,
 * quantiles,lengths,histogram,embedding") into *out. Errors: PV_EINVAL
 * "unknown stat group 'x' (one of: ...)" or an empty list. */
int pv_prof_stats_parse(const char *list, unsigned *out, pv_err *err);

typedef enum pv_prof_kind {
	PV_PROF_OTHER = 0,
	PV_PROF_BOOL,
	PV_PROF_INT,
	PV_PROF_UINT,
	PV_PROF_FLOAT,
	PV_PROF_DECIMAL,
	PV_PROF_STRING,
	PV_PROF_BINARY,
	PV_PROF_TEMPORAL,
	PV_PROF_LIST,
	PV_PROF_EMBEDDING
} pv_prof_kind;

/* "other", "bool", "int", ... (the saved state and JSON use these). */
const char *pv_prof_kind_name(pv_prof_kind k);

/* Count, mean and sum of squared deviations (Welford). */
typedef struct pv_moments {
	int64_t n;
	double mean, m2;
} pv_moments;

void pv_moments_add(pv_moments *m, double x);
void pv_moments_merge(pv_moments *dst, const pv_moments *src); /* Chan et al. */
/* Sample standard deviation (n - 1), as DuckDB's stddev_samp; NaN below 2. */
double pv_moments_stddev(const pv_moments *m);

/* Lengths (characters, bytes, list items): exact extremes and sum, and
 * a quantile sketch. */
typedef struct pv_lenstats {
	int64_t n, min, max, sum;
	pv_kll kll;
} pv_lenstats;

typedef struct pv_colprof {
	pv_prof_kind kind;
	unsigned stats;         /* PV_PROF_S_* computed (pv_colprof_init: all) */
	int64_t rows, nulls;
	/* scalars */
	bool hashes;            /* values are hashed (distinct, top); false
	                         * for kinds without values to count */
	pv_hll *hll;            /* NULL while topk is exact and not full:
	                         * the table is the distinct set then */
	pv_topk topk;
	bool has_minmax;        /* some non-NULL, non-NaN value was seen */
	int64_t imin, imax;     /* INT, TEMPORAL (raw values in the type's unit) */
	uint64_t umin, umax;    /* UINT */
	double fmin, fmax;      /* FLOAT, DECIMAL */
	pv_moments mom;         /* numbers (not NaN or infinite) */
	pv_kll values;          /* numbers */
	int64_t n_nan, n_posinf, n_neginf;
	int64_t n_true;         /* BOOL */
	/* STRING, BINARY */
	pv_lenstats chars, bytes;
	int64_t n_over;         /* longer than max_chars characters */
	/* LIST, EMBEDDING */
	pv_lenstats items;
	int64_t dims[PV_PROF_MAX_DIMS], dim_count[PV_PROF_MAX_DIMS];
	size_t n_dims;
	int64_t dim_other;      /* vectors of further dimensions */
	int64_t n_nonfinite_vec, n_nonfinite_values, n_zero_vec, n_null_items;
	pv_kll norms;
	int64_t mean_dim;       /* -1: none yet; 0: too long to keep */
	int64_t mean_n;
	double *mean_sum;       /* mean_dim sums */
} pv_colprof;

typedef struct pv_profile_column {
	char *name;
	char *format;           /* Arrow format of the column (children not kept) */
	char *type;             /* display type, e.g. "BYTE_ARRAY STRING" */
	pv_prof_kind kind;
	bool is_partition;
	bool decoded;           /* values were read (else footers only) */
	/* footer answers, over the whole dataset (not per group) */
	bool footer_nulls_known;
	int64_t footer_nulls;
	bool footer_minmax;     /* trusted, exact min and max from every chunk */
	char *footer_min, *footer_max; /* text forms when footer_minmax */
} pv_profile_column;

typedef struct pv_profile_group {
	char *key;              /* the --by value's text ("NULL" for NULL); "" */
	int64_t rows;
	pv_colprof *cols;       /* n_columns */
} pv_profile_group;

typedef struct pv_profile {
	int64_t max_chars;
	size_t exact_max;
	char *by;               /* NULL without --by */
	size_t n_columns;
	pv_profile_column *columns;
	size_t n_groups;
	pv_profile_group *groups;
	int64_t rows;           /* all rows profiled */
	int64_t n_files;        /* files read (summed over merged profiles) */
	bool footer_only;
	unsigned stats;         /* PV_PROF_S_* computed */
} pv_profile;

/* Called from worker threads (serialised by the caller's lock) with the
 * rows done so far. */
typedef void (*pv_profile_progress_fn)(void *ctx, int64_t rows_done);

typedef struct pv_profile_opts {
	const char *columns;    /* "a,b"; NULL: every column */
	const char *by;         /* group by these columns or partition keys ("date,source");
	                         * NULL: one group. One column's group key is its
	                         * value's text; several give "date=V/source=W" */
	int64_t max_chars;      /* 0: PV_PROF_DEFAULT_MAX_CHARS */
	size_t exact_max;       /* 0: PV_TOPK_EXACT_MAX */
	size_t max_groups;      /* 0: PV_PROF_DEFAULT_MAX_GROUPS */
	int n_threads;          /* <= 0: one per CPU */
	bool footer_only;       /* decode nothing */
	unsigned stats;         /* PV_PROF_S_* to compute; 0: all */
	bool verify_crc;
	pv_profile_progress_fn progress;
	void *progress_ctx;
} pv_profile_opts;

/* Profiles the readable files of ds: every row group is one task on the
 * thread pool, read with a dataset scan (dataset/scan.h) of the selected
 * columns (and the --by column), fed into the worker's own profile; the
 * workers' profiles are merged at the end. Groups come out sorted by key.
 * Errors: the scan's (unknown column: PV_EINVAL with suggestions; type
 * conflicts; data errors with their place), PV_ELIMIT "column 'x' has
 * more than N values; --by needs a coarser key", PV_ENOMEM. */
int pv_profile_run(const pv_dataset *ds, const pv_profile_opts *opts, pv_profile **out,
		   pv_err *err);

/* dst += src: columns matched by name (a column only one side has is
 * added, NULL for the other side's rows), groups by key. Errors:
 * PV_EINVAL when the two were made with different --by, --max-chars,
 * --only or footer-only settings, or a column's kind differs ("column 'x' is int
 * in one profile and string in the other"); PV_ENOMEM. */
int pv_profile_merge(pv_profile *dst, const pv_profile *src, pv_err *err);

/* NULL allowed. */
void pv_profile_free(pv_profile *p);

/* The distinct count of a column: exact (*out_exact) while the value
 * table is, else the HyperLogLog estimate. */
double pv_colprof_distinct(const pv_colprof *c, bool *out_exact);

/* The quantile fractions every report shows: p1 p5 p25 p50 p75 p95 p99. */
#define PV_PROF_N_QUANTILES 7
extern const double pv_prof_quantiles[PV_PROF_N_QUANTILES];

/* A frequent value of c as a typed value: numbers, booleans and times
 * from the raw bytes kept, strings (and decimal and binary texts)
 * pointing into c's text pool. Returns 0. */
int pv_profile_entry_value(const pv_profile_column *col, const pv_colprof *c,
			   const pv_topk_entry *e, pv_value *out);

/* The exact min (max when `max`) of a column as a typed value; false when
 * the kind keeps none or no value was seen. */
bool pv_profile_minmax_value(const pv_profile_column *col, const pv_colprof *c, bool max,
			     pv_value *out);

/* Writes p as the JSON document README "profile --json" describes, with
 * at most top frequent values per column and hist_bins histogram bins.
 * Errors: PV_ENOMEM. */
int pv_profile_json(const pv_profile *p, pv_json *j, size_t top, size_t hist_bins, pv_err *err);

/* A histogram of a numeric column from its quantile sketch: n_bins equal
 * bins between the exact min and max; counts[i] is the estimated number
 * of values in bin i (each edge's rank within the sketch's error).
 * Returns false when the column has no numbers or min == max. */
bool pv_colprof_histogram(const pv_colprof *c, size_t n_bins, double *edges, int64_t *counts);

/* ---- building blocks (profile_state.c, tests, other analyzers) */

/* A profiler of kind `kind` with an exact-distinct table of exact_max
 * values (0: default). Release with pv_colprof_release (NULL allowed). */
int pv_colprof_init(pv_colprof *c, pv_prof_kind kind, size_t exact_max, pv_err *err);
void pv_colprof_release(pv_colprof *c);
/* Limits c (fresh, nothing fed) to the PV_PROF_S_* groups in stats:
 * without distinct and top no value is hashed (c->hashes becomes false). */
void pv_colprof_limit(pv_colprof *c, unsigned stats);
/* d += s (same kind). Errors: PV_ENOMEM. */
int pv_colprof_merge(pv_colprof *d, const pv_colprof *s, pv_err *err);

/* Feeds rows sel[0..n) of Arrow array a (all rows [0, n) when sel is
 * NULL) into c; t is the array's parsed type (render/arrowval.h), whose
 * profile kind must be c's; strings longer than max_chars characters are
 * counted. scratch is a buffer for value texts. Errors: PV_ECORRUPT for
 * bad offsets, PV_ENOMEM. */
int pv_colprof_feed(pv_colprof *c, const struct pv_atype *t, const struct ArrowArray *a,
		    const int64_t *sel, int64_t n, int64_t max_chars, pv_buf *scratch, pv_err *err);

/* The profile kind of a parsed Arrow type. */
pv_prof_kind pv_prof_kind_of(const struct pv_atype *t);

/* An empty profile (no columns, no groups) with these settings; max_chars
 * and exact_max 0 mean the defaults. NULL when out of memory. */
pv_profile *pv_profile_new(int64_t max_chars, size_t exact_max, const char *by, bool footer_only);

/* Appends a group of fresh profilers; *out is its index. PV_ENOMEM. */
int pv_profile_add_group(pv_profile *p, const char *key, size_t *out, pv_err *err);

/* Appends a column (a copy of src, footer answers included); every group
 * gets a profiler that counts the group's rows as NULLs. PV_ENOMEM. */
int pv_profile_add_column(pv_profile *p, const pv_profile_column *src, pv_err *err);

/* Sorts the groups by key. */
void pv_profile_sort_groups(pv_profile *p);

/* ---- profile_state.c: --save / --merge */

/* The saved state's magic and version (README "profile state"). */
#define PV_PROFILE_MAGIC "PVPROF\r\n"
/* Version 2 added the --only stat groups (version 1 states load as all);
 * version 3 saves a distinct sketch only beside a full or approximate
 * value table (older states load, their extra sketches dropped). */
#define PV_PROFILE_VERSION 3

/* Writes p to path atomically (io/atomic.h), refusing to overwrite any of
 * protect[0..n_protect). Errors: the atomic writer's; PV_ENOMEM. */
int pv_profile_save(const pv_profile *p, const char *path, const char *const *protect,
		    size_t n_protect, pv_err *err);

/* Reads a saved state. Every field is checked as hostile input: PV_ECORRUPT
 * "'PATH': ..." for a bad magic, truncation or values out of range,
 * PV_EUNSUPPORTED for another version, PV_ELIMIT past the caps, PV_EIO,
 * PV_ENOTFOUND. On success *out is a new profile (pv_profile_free). */
int pv_profile_load(const char *path, pv_profile **out, pv_err *err);

#endif
