/*
 * contract.h - data contracts: an Open Data Contract Standard (ODCS v3.1)
 * YAML file read into rules, the rules checked against Parquet datasets in
 * one pass, and the outcome written as text, JSON or JUnit XML.
 *
 * The model is flat: every check the contract asks for becomes one
 * pv_rule, whether it was written as a quality rule (library metric, sql,
 * custom parqview check) or declared on a property (required, unique,
 * logicalType, physicalType, logicalTypeOptions). Each rule measures one
 * number and compares it with its bound (mustBe, mustBeBetween, ...); the
 * checks that need two bounds (class balance, join coverage) carry them in
 * their options.
 *
 * Parsing is contract_yaml.c (libyaml), evaluation contract_eval.c and
 * contract_rules.c, reports contract_report.c. Includes base, format, io,
 * read, dataset, render and analyze; never sql types (contract_sql.c hides
 * them) or cli.
 */
#ifndef PV_CONTRACT_H
#define PV_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"

/* Most quality rules, properties, objects and list items a contract may hold. */
#define PV_CONTRACT_MAX_ITEMS 10000
/* Deepest nesting of flow collections ([ ], { }) accepted. */
#define PV_CONTRACT_MAX_DEPTH 64
/* Largest contract file read. */
#define PV_CONTRACT_MAX_BYTES ((size_t)4 << 20)

typedef enum pv_cmp {
	PV_CMP_NONE = 0,
	PV_CMP_EQ,          /* mustBe */
	PV_CMP_NE,          /* mustNotBe */
	PV_CMP_GT,          /* mustBeGreaterThan */
	PV_CMP_GE,          /* mustBeGreaterOrEqualTo */
	PV_CMP_LT,          /* mustBeLessThan */
	PV_CMP_LE,          /* mustBeLessOrEqualTo */
	PV_CMP_BETWEEN,     /* mustBeBetween [a, b], inclusive */
	PV_CMP_NOT_BETWEEN  /* mustNotBeBetween [a, b] */
} pv_cmp;

typedef struct pv_bound {
	pv_cmp op;
	double a, b; /* b only for the two range comparators */
} pv_bound;

typedef enum pv_severity {
	PV_SEV_ERROR = 0,
	PV_SEV_WARNING,
	PV_SEV_INFO
} pv_severity;

typedef enum pv_rule_kind {
	/* ODCS library metrics */
	PV_RULE_ROW_COUNT = 0,
	PV_RULE_NULL_VALUES,
	PV_RULE_MISSING_VALUES,
	PV_RULE_INVALID_VALUES,
	PV_RULE_DUPLICATE_VALUES,
	/* property declarations */
	PV_RULE_PRESENT,       /* the property is a column of the data */
	PV_RULE_LOGICAL_TYPE,
	PV_RULE_PHYSICAL_TYPE,
	PV_RULE_LENGTH,        /* logicalTypeOptions minLength/maxLength (characters) */
	PV_RULE_RANGE,         /* logicalTypeOptions minimum/maximum */
	PV_RULE_ITEMS,         /* logicalTypeOptions minItems/maxItems */
	/* type: sql */
	PV_RULE_SQL,
	/* type: custom, engine: parqview */
	PV_RULE_ROW_COUNT_RATIO,
	PV_RULE_UNIQUE_WITHIN_PARTITION,
	PV_RULE_MAX_TEXT_LENGTH,
	PV_RULE_CLASS_BALANCE,
	PV_RULE_JOIN_COVERAGE,
	PV_RULE_EMBEDDING_DIMENSION,
	PV_RULE_SCHEMA_COMPATIBLE,
	PV_RULE_NULL_TOLERANCE,
	PV_RULE_N_KINDS
} pv_rule_kind;

/* How maxTextLength measures. */
typedef enum pv_len_unit {
	PV_LEN_CHARS = 0,  /* Unicode code points (UTF-8 lead bytes) */
	PV_LEN_BYTES,
	PV_LEN_TOKENS
} pv_len_unit;

typedef enum pv_tok_method {
	PV_TOK_WHITESPACE = 0, /* runs of non-whitespace */
	PV_TOK_BYTES,          /* ceil(bytes / 4) */
	PV_TOK_TOKENIZER       /* a Hugging Face tokenizer.json BPE (analyze/tokenize.h) */
} pv_tok_method;

/* Where a second dataset comes from: a server of the contract or a path. */
typedef struct pv_dataref {
	const char *server; /* a server name of the contract, or NULL */
	const char *path;   /* resolved against the contract's directory, or NULL */
} pv_dataref;

typedef struct pv_rule {
	pv_rule_kind kind;
	const char *name;         /* the rule's name, or one made from kind and column */
	const char *description;  /* NULL when none */
	size_t object;            /* index into pv_contract.objects */
	const char *column;       /* the property it is about; NULL for object rules */
	const char **columns;     /* duplicateValues properties, uniqueWithinPartition key */
	size_t n_columns;
	pv_bound bound;           /* op NONE: the kind's own pass condition */
	bool percent;             /* unit: percent (of the object's rows) */
	pv_severity severity;
	int line, col;            /* where the rule starts in the YAML (1-based) */

	const char **values;      /* missingValues / validValues, as text */
	size_t n_values;
	const char *pattern;      /* invalidValues pattern, logicalTypeOptions pattern (POSIX ERE) */
	const char *type_name;    /* LOGICAL_TYPE / PHYSICAL_TYPE: the declared type */
	double lo, hi;            /* LENGTH, RANGE, ITEMS bounds; has_lo / has_hi */
	bool has_lo, has_hi;
	const char *query;        /* SQL */

	/* custom checks */
	int64_t max_len;          /* maxTextLength */
	pv_len_unit len_unit;
	pv_tok_method tok_method;
	const char *tokenizer;    /* path of tokenizer.json, resolved */
	bool add_special_tokens;  /* tokenizer: count the post-processor's BOS etc. too */
	pv_dataref other;         /* rowCountRatio upstream, joinCoverage reference */
	const char *other_column; /* joinCoverage: the key column in the reference */
	double min_share, max_ratio;   /* classBalance; 0: no bound */
	bool has_min_share, has_max_ratio;
	double min_coverage, max_coverage; /* joinCoverage; defaults 0 and 1 */
	int64_t dimension;        /* embeddingDimension */
	bool allow_nan;
	const char *partition;    /* nullTolerance: partition key */
	const char *before;       /* nullTolerance: values below this are tolerated */
	const char *snapshot;     /* schemaCompatible: snapshot file, resolved */
	const char **allowed;     /* schemaCompatible: allowed change kinds */
	size_t n_allowed;
} pv_rule;

typedef struct pv_contract_property {
	const char *name;
	const char *physical_name;
	const char *logical_type, *physical_type;
	bool required, unique, partitioned, primary_key;
	int line, col;
} pv_contract_property;

typedef struct pv_contract_object {
	const char *name;
	const char *physical_name;  /* NULL when absent */
	pv_contract_property *properties;
	size_t n_properties;
	int line, col;
} pv_contract_object;

typedef struct pv_contract_server {
	const char *name;  /* "server:" */
	const char *type;  /* "local", "file", ... */
	const char *path;  /* resolved against the contract's directory */
} pv_contract_server;

typedef struct pv_contract {
	pv_arena arena;     /* everything below lives here */
	const char *file;   /* the path it was read from */
	const char *dir;    /* its directory, for relative paths */
	const char *api_version, *id, *version, *status, *name;
	pv_contract_server *servers;
	size_t n_servers;
	pv_contract_object *objects;
	size_t n_objects;
	pv_rule *rules;
	size_t n_rules;
} pv_contract;

/* Reads and validates the ODCS YAML file at path. On success *out is the
 * contract (free with pv_contract_free). Errors (PV_EINVAL), one line:
 *   "FILE:LINE:COL: expected ..." for YAML that does not parse and for a
 *   contract that is not what ODCS and this reader accept (a missing
 *   required field, a wrong type, an unknown rule kind, a bad bound);
 * flow collections nested deeper than PV_CONTRACT_MAX_DEPTH are refused
 * the same way (libyaml's scanner slows down with the depth);
 * PV_ENOTFOUND / PV_EIO when the file cannot be read; PV_ELIMIT past
 * PV_CONTRACT_MAX_BYTES or PV_CONTRACT_MAX_ITEMS; PV_ENOMEM.
 * ODCS fields this reader does not use are accepted and ignored, so a
 * contract written for other ODCS tools still reads. */
int pv_contract_load(const char *path, pv_contract **out, pv_err *err);

/* The same from text in memory; name is used in messages and dir resolves
 * relative paths ("." when NULL). */
int pv_contract_parse(const char *text, size_t len, const char *name, const char *dir,
		      pv_contract **out, pv_err *err);

/* NULL allowed. */
void pv_contract_free(pv_contract *c);

/* "mustBe", ... ; "" for PV_CMP_NONE. */
const char *pv_cmp_name(pv_cmp op);
/* Whether v satisfies b (PV_CMP_NONE: always). NaN satisfies nothing. */
bool pv_bound_holds(const pv_bound *b, double v);
/* "error", "warning", "info". */
const char *pv_severity_name(pv_severity s);
/* The ODCS / parqview name of a kind: "rowCount", "uniqueWithinPartition". */
const char *pv_rule_kind_name(pv_rule_kind k);

/* ---- evaluation (contract_eval.c) */

struct pv_dataset;

typedef enum pv_rule_status {
	PV_RS_PASS = 0,
	PV_RS_FAIL,   /* the bound does not hold */
	PV_RS_ERROR,  /* could not be evaluated: a missing column, a query error */
	PV_RS_SKIP    /* not evaluated (its object's data could not be opened) */
} pv_rule_status;

/* Where an answer came from. */
typedef enum pv_rule_source {
	PV_SRC_NONE = 0,
	PV_SRC_FOOTER,  /* row counts and null counts in the footers */
	PV_SRC_SCHEMA,  /* the dataset's schema */
	PV_SRC_DATA,    /* the one scan over the data */
	PV_SRC_SQL,     /* DuckDB */
	PV_SRC_OTHER    /* another dataset or file (upstream, reference, snapshot) */
} pv_rule_source;

/* One offending row (or class, or schema change) of a failed rule. */
typedef struct pv_failure {
	const char *file;       /* NULL when not about a row */
	int64_t row_group;      /* -1 when not about a row */
	int64_t row;            /* row within the row group; -1 when none */
	int64_t global_row;     /* -1 when none */
	const char *values;     /* "col='v', col2=3" as text */
	const char *note;       /* "first at row 11", ...; NULL when none */
} pv_failure;

typedef struct pv_rule_result {
	pv_rule_status status;
	pv_rule_source source;
	double value;           /* the measured number (rows or percent, ratio, ...) */
	bool has_value;
	const char *detail;     /* text for the reader: "3 of 48898 rows"; NULL when none */
	const char *error;      /* PV_RS_ERROR: why */
	pv_failure *failures;
	size_t n_failures;
	int64_t n_offending;    /* rows (or items) that offend; -1 when not counted */
} pv_rule_result;

typedef struct pv_object_result {
	const char **paths;     /* what the data was read from */
	size_t n_paths;
	size_t n_files;
	int64_t rows;
	const char *error;      /* the data could not be opened: why (then rules are SKIP) */
	int error_code;
} pv_object_result;

typedef struct pv_check_opts {
	const char *const *paths;   /* override the first object's data (and every object's
	                             * when the contract has one); n_paths 0: servers */
	size_t n_paths;
	const char *const *servers; /* "NAME=PATH" overrides of servers */
	size_t n_servers;
	size_t max_failures;        /* offending rows kept per rule (--failures) */
	int n_threads;              /* footer reading; 0: one per CPU */
	/* Called now and then during the scan with rows done and rows to do
	 * (both over all objects); NULL for none. */
	void (*progress)(void *ctx, int64_t done, int64_t total);
	void *progress_ctx;
	/* Runs a type: sql rule (the sql layer sits above analyze, so the
	 * caller brings it): a view named `view` over the dataset ds and
	 * `query` (placeholders already replaced by the quoted view name)
	 * whose single value is stored in *out (NaN for NULL). Returns 0 or a
	 * negative code with err filled. NULL: sql rules end in PV_RS_ERROR. */
	int (*sql_scalar)(void *ctx, const char *view, const struct pv_dataset *ds,
			  const char *query, double *out, pv_err *err);
	void *sql_ctx;
} pv_check_opts;

typedef struct pv_check_result {
	pv_arena arena;
	const pv_contract *contract;
	pv_rule_result *rules;      /* one per contract rule, same order */
	pv_object_result *objects;  /* one per contract object */
	size_t n_pass, n_fail, n_error, n_skip;
	size_t n_from_footers;
	double seconds;
} pv_check_result;

/* Checks every rule of c. Rule failures and rules that cannot be evaluated
 * are results, not errors. Returns a negative code only when checking could
 * not go on: PV_ENOMEM, PV_EINVAL for a bad option (a server override that
 * names no server). Unreadable data is recorded per object (error, code)
 * and its rules are PV_RS_SKIP. Free *out with pv_check_result_free. */
int pv_contract_check(const pv_contract *c, const pv_check_opts *opts, pv_check_result **out,
		      pv_err *err);

/* NULL allowed. */
void pv_check_result_free(pv_check_result *r);

/* ---- a starting contract (contract_init.c) */

/* Writes a starting ODCS contract for ds to out: id, server and schema
 * object called name, the server at server_path, one property per column
 * (logicalType, physicalType, required when the footers count no NULL,
 * partitioned for hive keys, maxLength of text columns: the longest text,
 * which reads those columns once) and a rowCount rule. The contract passes
 * `parqview check` on ds. Errors: the scan's (PV_ECORRUPT, PV_EIO, ...),
 * PV_EIO for a write error, PV_ENOMEM. */
int pv_contract_init_write(const struct pv_dataset *ds, const char *name, const char *server_path,
			   FILE *out, pv_err *err);

/* ---- reports (contract_report.c) */

/* Whether rule i of r counts as failed at the threshold fail_on
 * (PV_SEV_ERROR: only error rules; WARNING: error and warning; fail_on < 0:
 * never). */
bool pv_check_rule_fails(const pv_check_result *r, size_t i, int fail_on);

/* Text: one line per rule (status, name, measured value, bound, where it
 * came from), its offending rows under it, a summary line. */
int pv_check_write_text(const pv_check_result *r, FILE *out, pv_err *err);

/* JSON, the shape README "Data contracts" documents. */
int pv_check_write_json(const pv_check_result *r, FILE *out, int fail_on, pv_err *err);

/* JUnit XML: one <testsuite> per schema object, one <testcase> per rule. */
int pv_check_write_junit(const pv_check_result *r, FILE *out, int fail_on, pv_err *err);

#endif
