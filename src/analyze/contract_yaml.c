/*
 * contract_yaml.c - an ODCS v3.1 YAML file into the flat rule model of
 * contract.h, on libyaml's document loader (whose marks give the line and
 * column of every node).
 *
 * Checks what the evaluator relies on and reports the first problem as
 * "FILE:LINE:COL: expected ...". Fields this reader does not use are
 * skipped, so files written for other ODCS tools still load. Must not
 * include anything above analyze, nor read data.
 */
#include "analyze/contract.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/banned.h"

typedef struct yctx {
	pv_contract *c;
	yaml_document_t *doc;
	pv_err *err;
	size_t n_items; /* every list item read, against PV_CONTRACT_MAX_ITEMS */
	pv_rule *rules;
	size_t n_rules, cap_rules;
} yctx;

static int yfail(yctx *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int yfail(yctx *y, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return pv_err_set(y->err, PV_EINVAL, "%s:%zu:%zu: %s", y->c->file,
			  n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, msg);
}

static yaml_node_t *ynode(yctx *y, int idx)
{
	return yaml_document_get_node(y->doc, idx);
}

static const char *kind_word(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

static bool is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A plain null, ~ or empty scalar: YAML's null. */
static bool is_null(const yaml_node_t *n)
{
	if (!is_scalar(n) || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = sval(n);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* The value of key in mapping m, or NULL. */
static yaml_node_t *yget(yctx *y, const yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(y, p->key);
		if (is_scalar(k) && !strcmp(sval(k), key))
			return ynode(y, p->value);
	}
	return NULL;
}

static int want_map(yctx *y, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return yfail(y, n, "expected a mapping for %s, found %s", what, kind_word(n));
	return 0;
}

static int want_seq(yctx *y, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yfail(y, n, "expected a list for %s, found %s", what, kind_word(n));
	size_t n_items = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	y->n_items += n_items;
	if (y->n_items > PV_CONTRACT_MAX_ITEMS)
		return pv_err_set(y->err, PV_ELIMIT, "%s: more than %d list items", y->c->file,
				  PV_CONTRACT_MAX_ITEMS);
	return 0;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_at(yctx *y, const yaml_node_t *n, size_t i)
{
	return ynode(y, n->data.sequence.items.start[i]);
}

/* An optional string field: *out stays as it was when absent. */
static int get_str(yctx *y, const yaml_node_t *m, const char *key, bool required,
		   const char **out)
{
	yaml_node_t *n = yget(y, m, key);
	if (!n) {
		if (required)
			return yfail(y, m, "expected a '%s' field", key);
		return 0;
	}
	if (!is_scalar(n) || is_null(n))
		return yfail(y, n, "expected a string for '%s', found %s", key,
			     is_null(n) ? "null" : kind_word(n));
	*out = pv_arena_strndup(&y->c->arena, sval(n), n->data.scalar.length, y->err);
	return *out ? 0 : PV_ENOMEM;
}

static int parse_bool(yctx *y, const yaml_node_t *n, const char *key, bool *out)
{
	if (is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *s = sval(n);
		if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
			*out = false;
			return 0;
		}
	}
	return yfail(y, n, "expected true or false for '%s'", key);
}

static int get_bool(yctx *y, const yaml_node_t *m, const char *key, bool *out)
{
	yaml_node_t *n = yget(y, m, key);
	return n ? parse_bool(y, n, key, out) : 0;
}

static int parse_num(yctx *y, const yaml_node_t *n, const char *key, double *out)
{
	if (is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && *sval(n)) {
		char *end;
		errno = 0;
		double v = strtod(sval(n), &end);
		if (!*end && errno == 0 && isfinite(v)) {
			*out = v;
			return 0;
		}
	}
	return yfail(y, n, "expected a number for '%s'", key);
}

static int get_num(yctx *y, const yaml_node_t *m, const char *key, double *out, bool *has)
{
	yaml_node_t *n = yget(y, m, key);
	if (!n)
		return 0;
	if (has)
		*has = true;
	return parse_num(y, n, key, out);
}

/* A non-negative whole number. */
static int get_count(yctx *y, const yaml_node_t *m, const char *key, int64_t *out, bool *has)
{
	yaml_node_t *n = yget(y, m, key);
	if (!n)
		return 0;
	double v;
	if (parse_num(y, n, key, &v) || v < 0 || v != floor(v) || v > 9.0e15)
		return yfail(y, n, "expected a whole number >= 0 for '%s'", key);
	*out = (int64_t)v;
	if (has)
		*has = true;
	return 0;
}

/* A list of scalars (or one scalar) as strings; a YAML null item is NULL. */
static int get_strlist(yctx *y, const yaml_node_t *m, const char *key, const char ***out,
		       size_t *out_n, bool allow_null)
{
	yaml_node_t *n = yget(y, m, key);
	if (!n)
		return 0;
	size_t cnt = n->type == YAML_SEQUENCE_NODE ? seq_len(n) : 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		if (want_seq(y, n, key))
			return y->err ? y->err->code : PV_EINVAL;
	} else if (!is_scalar(n)) {
		return yfail(y, n, "expected a list of values for '%s'", key);
	}
	const char **v = pv_arena_array(&y->c->arena, cnt ? cnt : 1, sizeof *v, y->err);
	if (!v)
		return PV_ENOMEM;
	for (size_t i = 0; i < cnt; i++) {
		yaml_node_t *it = n->type == YAML_SEQUENCE_NODE ? seq_at(y, n, i) : n;
		if (!is_scalar(it))
			return yfail(y, it, "expected a scalar in '%s', found %s", key, kind_word(it));
		if (is_null(it)) {
			if (!allow_null)
				return yfail(y, it, "expected a name in '%s', found null", key);
			v[i] = NULL;
			continue;
		}
		v[i] = pv_arena_strndup(&y->c->arena, sval(it), it->data.scalar.length, y->err);
		if (!v[i])
			return PV_ENOMEM;
	}
	*out = v;
	*out_n = cnt;
	return 0;
}

static const char *const cmp_keys[] = {
	"", "mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo",
	"mustBeLessThan", "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween",
};

/* The rule's comparator, at most one. */
static int get_bound(yctx *y, const yaml_node_t *m, pv_bound *out)
{
	const yaml_node_t *seen = NULL;
	for (int op = PV_CMP_EQ; op <= PV_CMP_NOT_BETWEEN; op++) {
		yaml_node_t *n = yget(y, m, cmp_keys[op]);
		if (!n)
			continue;
		if (seen)
			return yfail(y, n, "expected one comparator, found '%s' after another",
				     cmp_keys[op]);
		seen = n;
		out->op = (pv_cmp)op;
		if (op == PV_CMP_BETWEEN || op == PV_CMP_NOT_BETWEEN) {
			if (n->type != YAML_SEQUENCE_NODE || seq_len(n) != 2)
				return yfail(y, n, "expected a list of two numbers for '%s'",
					     cmp_keys[op]);
			if (parse_num(y, seq_at(y, n, 0), cmp_keys[op], &out->a) ||
			    parse_num(y, seq_at(y, n, 1), cmp_keys[op], &out->b))
				return PV_EINVAL;
			if (out->a > out->b)
				return yfail(y, n, "expected the smaller bound first in '%s'",
					     cmp_keys[op]);
		} else if (parse_num(y, n, cmp_keys[op], &out->a)) {
			return PV_EINVAL;
		}
	}
	return 0;
}

static pv_rule *new_rule(yctx *y, pv_rule_kind kind, size_t object, const char *column,
			 const yaml_node_t *at)
{
	if (y->n_rules == y->cap_rules) {
		size_t cap = y->cap_rules ? y->cap_rules * 2 : 32;
		if (cap > PV_CONTRACT_MAX_ITEMS) {
			pv_err_set(y->err, PV_ELIMIT, "%s: more than %d rules", y->c->file,
				   PV_CONTRACT_MAX_ITEMS);
			return NULL;
		}
		pv_rule *r = realloc(y->rules, cap * sizeof *r);
		if (!r) {
			pv_err_set(y->err, PV_ENOMEM, "out of memory");
			return NULL;
		}
		y->rules = r;
		y->cap_rules = cap;
	}
	pv_rule *r = &y->rules[y->n_rules++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->object = object;
	r->column = column;
	r->line = at ? (int)at->start_mark.line + 1 : 1;
	r->col = at ? (int)at->start_mark.column + 1 : 1;
	r->max_coverage = 1;
	return r;
}

static int name_rule(yctx *y, pv_rule *r)
{
	if (r->name)
		return 0;
	const char *k = pv_rule_kind_name(r->kind);
	r->name = r->column ? pv_arena_printf(&y->c->arena, y->err, "%s(%s)", k, r->column)
			    : pv_arena_printf(&y->c->arena, y->err, "%s", k);
	return r->name ? 0 : PV_ENOMEM;
}

/* A path relative to the contract's directory. */
static const char *resolve_path(yctx *y, const char *p)
{
	if (p[0] == '/' || !strcmp(y->c->dir, "."))
		return p;
	return pv_arena_printf(&y->c->arena, y->err, "%s/%s", y->c->dir, p);
}

/* upstream / reference: a server name, {server: X} or {path: P}. */
static int get_dataref(yctx *y, const yaml_node_t *m, const char *key, pv_dataref *out)
{
	yaml_node_t *n = yget(y, m, key);
	if (!n)
		return yfail(y, m, "expected a '%s' field ({server: NAME} or {path: PATH})", key);
	if (is_scalar(n) && !is_null(n)) {
		out->server = pv_arena_strndup(&y->c->arena, sval(n), n->data.scalar.length, y->err);
		return out->server ? 0 : PV_ENOMEM;
	}
	if (n->type != YAML_MAPPING_NODE)
		return yfail(y, n, "expected {server: NAME} or {path: PATH} for '%s'", key);
	if (get_str(y, n, "server", false, &out->server) || get_str(y, n, "path", false, &out->path))
		return PV_EINVAL;
	if (!out->server == !out->path)
		return yfail(y, n, "expected exactly one of 'server' and 'path' in '%s'", key);
	if (out->path && !(out->path = resolve_path(y, out->path)))
		return PV_ENOMEM;
	return 0;
}

static int parse_custom(yctx *y, pv_rule *r, const yaml_node_t *q, const yaml_node_t *impl)
{
	const char *check = NULL;
	if (want_map(y, impl, "'implementation' (engine parqview)") ||
	    get_str(y, impl, "check", true, &check))
		return PV_EINVAL;
	static const struct {
		const char *name;
		pv_rule_kind kind;
	} checks[] = {
		{ "rowCountRatio", PV_RULE_ROW_COUNT_RATIO },
		{ "uniqueWithinPartition", PV_RULE_UNIQUE_WITHIN_PARTITION },
		{ "maxTextLength", PV_RULE_MAX_TEXT_LENGTH },
		{ "classBalance", PV_RULE_CLASS_BALANCE },
		{ "joinCoverage", PV_RULE_JOIN_COVERAGE },
		{ "embeddingDimension", PV_RULE_EMBEDDING_DIMENSION },
		{ "schemaCompatible", PV_RULE_SCHEMA_COMPATIBLE },
		{ "nullTolerance", PV_RULE_NULL_TOLERANCE },
	};
	size_t i;
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if (!strcmp(check, checks[i].name))
			break;
	if (i == sizeof checks / sizeof checks[0])
		return yfail(y, yget(y, impl, "check"),
			     "expected a parqview check (rowCountRatio, uniqueWithinPartition, "
			     "maxTextLength, classBalance, joinCoverage, embeddingDimension, "
			     "schemaCompatible, nullTolerance), found '%s'",
			     check);
	r->kind = checks[i].kind;
	if (get_str(y, impl, "column", false, &r->column))
		return PV_EINVAL;
	bool needs_column = r->kind != PV_RULE_ROW_COUNT_RATIO &&
			    r->kind != PV_RULE_SCHEMA_COMPATIBLE &&
			    r->kind != PV_RULE_UNIQUE_WITHIN_PARTITION;
	if (needs_column && !r->column)
		return yfail(y, impl, "expected a 'column' field (or the rule on a property) for '%s'",
			     check);
	bool has = false;
	switch (r->kind) {
	case PV_RULE_ROW_COUNT_RATIO:
		if (get_dataref(y, impl, "upstream", &r->other))
			return PV_EINVAL;
		if (r->bound.op == PV_CMP_NONE)
			return yfail(y, q, "expected a comparator (e.g. mustBeBetween: [0.9, 1.0]) "
					   "for rowCountRatio");
		break;
	case PV_RULE_UNIQUE_WITHIN_PARTITION:
		if (get_strlist(y, impl, "columns", &r->columns, &r->n_columns, false))
			return PV_EINVAL;
		if (!r->n_columns && r->column) {
			r->columns = &r->column;
			r->n_columns = 1;
		}
		if (!r->n_columns)
			return yfail(y, impl, "expected 'columns' (the key) for uniqueWithinPartition");
		break;
	case PV_RULE_MAX_TEXT_LENGTH: {
		const char *unit = "chars", *tok = NULL;
		if (get_count(y, impl, "max", &r->max_len, &has))
			return PV_EINVAL;
		if (!has)
			return yfail(y, impl, "expected a 'max' field for maxTextLength");
		if (get_str(y, impl, "unit", false, &unit) || get_str(y, impl, "tokens", false, &tok) ||
		    get_str(y, impl, "tokenizer", false, &r->tokenizer) ||
		    get_bool(y, impl, "addSpecialTokens", &r->add_special_tokens))
			return PV_EINVAL;
		if (r->add_special_tokens && !r->tokenizer)
			return yfail(y, yget(y, impl, "addSpecialTokens"),
				     "expected 'tokenizer' with 'addSpecialTokens'");
		if (!strcmp(unit, "chars") || !strcmp(unit, "characters"))
			r->len_unit = PV_LEN_CHARS;
		else if (!strcmp(unit, "bytes"))
			r->len_unit = PV_LEN_BYTES;
		else if (!strcmp(unit, "tokens"))
			r->len_unit = PV_LEN_TOKENS;
		else
			return yfail(y, yget(y, impl, "unit"),
				     "expected chars, bytes or tokens for 'unit', found '%s'", unit);
		if ((tok || r->tokenizer) && r->len_unit != PV_LEN_TOKENS)
			return yfail(y, impl, "expected 'unit: tokens' with 'tokens' or 'tokenizer'");
		if (r->tokenizer) {
			if (tok)
				return yfail(y, impl, "expected one of 'tokens' and 'tokenizer'");
			r->tok_method = PV_TOK_TOKENIZER;
			if (!(r->tokenizer = resolve_path(y, r->tokenizer)))
				return PV_ENOMEM;
		} else if (!tok || !strcmp(tok, "whitespace")) {
			r->tok_method = PV_TOK_WHITESPACE;
		} else if (!strcmp(tok, "bytes")) {
			r->tok_method = PV_TOK_BYTES;
		} else {
			return yfail(y, yget(y, impl, "tokens"),
				     "expected whitespace or bytes for 'tokens', found '%s'", tok);
		}
		break;
	}
	case PV_RULE_CLASS_BALANCE:
		if (get_num(y, impl, "minShare", &r->min_share, &r->has_min_share) ||
		    get_num(y, impl, "maxRatio", &r->max_ratio, &r->has_max_ratio))
			return PV_EINVAL;
		if (!r->has_min_share && !r->has_max_ratio)
			return yfail(y, impl, "expected 'minShare' or 'maxRatio' for classBalance");
		if (r->has_min_share && (r->min_share < 0 || r->min_share > 1))
			return yfail(y, yget(y, impl, "minShare"), "expected 'minShare' between 0 and 1");
		if (r->has_max_ratio && r->max_ratio < 1)
			return yfail(y, yget(y, impl, "maxRatio"), "expected 'maxRatio' of at least 1");
		if (r->bound.op != PV_CMP_NONE)
			return yfail(y, q, "expected no comparator for classBalance (its bounds are "
					   "minShare and maxRatio)");
		break;
	case PV_RULE_JOIN_COVERAGE:
		if (get_dataref(y, impl, "reference", &r->other))
			return PV_EINVAL;
		r->other_column = r->column;
		if (get_str(y, impl, "referenceColumn", false, &r->other_column) ||
		    get_num(y, impl, "minCoverage", &r->min_coverage, NULL) ||
		    get_num(y, impl, "maxCoverage", &r->max_coverage, NULL))
			return PV_EINVAL;
		if (r->min_coverage < 0 || r->max_coverage > 1 || r->min_coverage > r->max_coverage)
			return yfail(y, impl, "expected 0 <= minCoverage <= maxCoverage <= 1");
		break;
	case PV_RULE_EMBEDDING_DIMENSION:
		if (get_count(y, impl, "dimension", &r->dimension, &has) ||
		    get_bool(y, impl, "allowNaN", &r->allow_nan))
			return PV_EINVAL;
		if (!has || r->dimension == 0)
			return yfail(y, impl, "expected a 'dimension' > 0 for embeddingDimension");
		break;
	case PV_RULE_SCHEMA_COMPATIBLE:
		if (get_str(y, impl, "snapshot", true, &r->snapshot) ||
		    get_strlist(y, impl, "allow", &r->allowed, &r->n_allowed, false))
			return PV_EINVAL;
		if (!(r->snapshot = resolve_path(y, r->snapshot)))
			return PV_ENOMEM;
		for (size_t k = 0; k < r->n_allowed; k++) {
			static const char *const kinds[] = {
				"breaking", "compatible", "info", "column_added", "column_removed",
				"column_renamed", "type_changed", "shape_changed", "nullability_changed",
				"repetition_changed", "field_added", "field_removed", "partition_changed",
				"kv_changed", "codec_changed", "encoding_changed", "rows_changed",
			};
			size_t j;
			for (j = 0; j < sizeof kinds / sizeof kinds[0]; j++)
				if (!strcmp(r->allowed[k], kinds[j]))
					break;
			if (j == sizeof kinds / sizeof kinds[0])
				return yfail(y, yget(y, impl, "allow"),
					     "expected change kinds (column_added, type_changed, ...) "
					     "or classes (breaking, compatible) in 'allow', found '%s'",
					     r->allowed[k]);
		}
		break;
	case PV_RULE_NULL_TOLERANCE:
		if (get_str(y, impl, "partition", true, &r->partition) ||
		    get_str(y, impl, "before", true, &r->before))
			return PV_EINVAL;
		break;
	default:
		break;
	}
	return 0;
}

static const struct {
	const char *name;
	pv_rule_kind kind;
} metrics[] = {
	{ "rowCount", PV_RULE_ROW_COUNT },
	{ "nullValues", PV_RULE_NULL_VALUES },
	{ "missingValues", PV_RULE_MISSING_VALUES },
	{ "invalidValues", PV_RULE_INVALID_VALUES },
	{ "duplicateValues", PV_RULE_DUPLICATE_VALUES },
};

/* One quality[] entry, of the object (column NULL) or of a property. */
static int parse_quality(yctx *y, const yaml_node_t *q, size_t object, const char *column)
{
	if (want_map(y, q, "a quality rule"))
		return PV_EINVAL;
	const char *type = "library", *engine = NULL, *sev = NULL, *unit = NULL;
	if (get_str(y, q, "type", false, &type) || get_str(y, q, "engine", false, &engine) ||
	    get_str(y, q, "severity", false, &sev) || get_str(y, q, "unit", false, &unit))
		return PV_EINVAL;
	if (!strcmp(type, "text"))
		return 0; /* prose for people: nothing to run */
	if (!strcmp(type, "custom") && (!engine || strcmp(engine, "parqview")))
		return 0; /* another tool's rule */
	pv_rule *r = new_rule(y, PV_RULE_ROW_COUNT, object, column, q);
	if (!r)
		return y->err ? y->err->code : PV_ENOMEM;
	if (get_str(y, q, "name", false, &r->name) ||
	    get_str(y, q, "description", false, &r->description) || get_bound(y, q, &r->bound))
		return PV_EINVAL;
	if (sev) {
		if (!strcmp(sev, "error"))
			r->severity = PV_SEV_ERROR;
		else if (!strcmp(sev, "warning") || !strcmp(sev, "warn"))
			r->severity = PV_SEV_WARNING;
		else if (!strcmp(sev, "info"))
			r->severity = PV_SEV_INFO;
		else
			return yfail(y, yget(y, q, "severity"),
				     "expected error, warning or info for 'severity', found '%s'", sev);
	}
	if (unit) {
		if (!strcmp(unit, "percent"))
			r->percent = true;
		else if (strcmp(unit, "rows"))
			return yfail(y, yget(y, q, "unit"),
				     "expected rows or percent for 'unit', found '%s'", unit);
	}
	if (!strcmp(type, "sql")) {
		r->kind = PV_RULE_SQL;
		if (get_str(y, q, "query", true, &r->query))
			return PV_EINVAL;
		if (r->bound.op == PV_CMP_NONE)
			return yfail(y, q, "expected a comparator (mustBe, mustBeLessThan, ...) for a "
					   "sql rule");
		return name_rule(y, r);
	}
	if (!strcmp(type, "custom")) {
		yaml_node_t *impl = yget(y, q, "implementation");
		if (!impl)
			return yfail(y, q, "expected an 'implementation' mapping for engine parqview");
		if (parse_custom(y, r, q, impl))
			return PV_EINVAL;
		if (r->percent && r->kind != PV_RULE_UNIQUE_WITHIN_PARTITION &&
		    r->kind != PV_RULE_MAX_TEXT_LENGTH && r->kind != PV_RULE_EMBEDDING_DIMENSION &&
		    r->kind != PV_RULE_NULL_TOLERANCE && r->kind != PV_RULE_JOIN_COVERAGE)
			return yfail(y, yget(y, q, "unit"), "expected no 'unit' for '%s'",
				     pv_rule_kind_name(r->kind));
		return name_rule(y, r);
	}
	if (strcmp(type, "library"))
		return yfail(y, yget(y, q, "type"),
			     "expected library, sql, custom or text for 'type', found '%s'", type);
	const char *metric = NULL;
	if (get_str(y, q, "metric", false, &metric) || (!metric && get_str(y, q, "rule", false, &metric)))
		return PV_EINVAL;
	if (!metric)
		return yfail(y, q, "expected a 'metric' field (rowCount, nullValues, missingValues, "
				   "invalidValues, duplicateValues)");
	size_t i;
	for (i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		if (!strcmp(metric, metrics[i].name))
			break;
	const yaml_node_t *mn = yget(y, q, "metric") ? yget(y, q, "metric") : yget(y, q, "rule");
	if (i == sizeof metrics / sizeof metrics[0])
		return yfail(y, mn,
			     "expected rowCount, nullValues, missingValues, invalidValues or "
			     "duplicateValues for 'metric', found '%s'",
			     metric);
	r->kind = metrics[i].kind;
	if (r->bound.op == PV_CMP_NONE)
		return yfail(y, q, "expected a comparator (mustBe, mustBeLessThan, ...) for '%s'",
			     metric);
	/* ODCS puts the metric's arguments under "arguments"; accept them beside it too */
	yaml_node_t *args = yget(y, q, "arguments");
	if (args && want_map(y, args, "'arguments'"))
		return PV_EINVAL;
	const yaml_node_t *am = args ? args : q;
	switch (r->kind) {
	case PV_RULE_ROW_COUNT:
		if (column)
			return yfail(y, q, "expected rowCount on the schema object, not on property '%s'",
				     column);
		break;
	case PV_RULE_NULL_VALUES:
		if (!column)
			return yfail(y, q, "expected nullValues on a property");
		break;
	case PV_RULE_MISSING_VALUES:
		if (!column)
			return yfail(y, q, "expected missingValues on a property");
		if (get_strlist(y, am, "missingValues", &r->values, &r->n_values, true))
			return PV_EINVAL;
		break;
	case PV_RULE_INVALID_VALUES:
		if (!column)
			return yfail(y, q, "expected invalidValues on a property");
		if (get_strlist(y, am, "validValues", &r->values, &r->n_values, false) ||
		    get_str(y, am, "pattern", false, &r->pattern))
			return PV_EINVAL;
		if (!r->n_values && !r->pattern)
			return yfail(y, q, "expected 'validValues' or 'pattern' in 'arguments' for "
					   "invalidValues");
		break;
	case PV_RULE_DUPLICATE_VALUES:
		if (get_strlist(y, am, "properties", &r->columns, &r->n_columns, false))
			return PV_EINVAL;
		if (!r->n_columns && column) {
			r->columns = &r->column;
			r->n_columns = 1;
		}
		if (!r->n_columns)
			return yfail(y, q, "expected duplicateValues on a property or with "
					   "'properties' in 'arguments'");
		break;
	default:
		break;
	}
	return name_rule(y, r);
}

/* Implicit rules from a property's declarations. */
static int property_rules(yctx *y, const yaml_node_t *pn, size_t object,
			  pv_contract_property *p)
{
	pv_rule *r;
	if (!(r = new_rule(y, PV_RULE_PRESENT, object, p->name, pn)) || name_rule(y, r))
		return PV_EINVAL;
	if (p->required) {
		if (!(r = new_rule(y, PV_RULE_NULL_VALUES, object, p->name, pn)))
			return PV_EINVAL;
		r->bound.op = PV_CMP_EQ;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "required(%s)", p->name)))
			return PV_ENOMEM;
	}
	if (p->unique || p->primary_key) {
		if (!(r = new_rule(y, PV_RULE_DUPLICATE_VALUES, object, p->name, pn)))
			return PV_EINVAL;
		r->bound.op = PV_CMP_EQ;
		r->columns = &p->name;
		r->n_columns = 1;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "unique(%s)", p->name)))
			return PV_ENOMEM;
	}
	if (p->logical_type) {
		static const char *const known[] = { "string", "date", "timestamp", "time", "number",
						     "integer", "object", "array", "boolean" };
		size_t i;
		for (i = 0; i < sizeof known / sizeof known[0]; i++)
			if (!strcmp(p->logical_type, known[i]))
				break;
		if (i == sizeof known / sizeof known[0])
			return yfail(y, yget(y, pn, "logicalType"),
				     "expected string, date, timestamp, time, number, integer, object, "
				     "array or boolean for 'logicalType', found '%s'",
				     p->logical_type);
		if (!(r = new_rule(y, PV_RULE_LOGICAL_TYPE, object, p->name, yget(y, pn, "logicalType"))) ||
		    name_rule(y, r))
			return PV_EINVAL;
		r->type_name = p->logical_type;
	}
	if (p->physical_type) {
		if (!(r = new_rule(y, PV_RULE_PHYSICAL_TYPE, object, p->name,
				   yget(y, pn, "physicalType"))) ||
		    name_rule(y, r))
			return PV_EINVAL;
		r->type_name = p->physical_type;
	}
	yaml_node_t *lto = yget(y, pn, "logicalTypeOptions");
	if (!lto)
		return 0;
	if (want_map(y, lto, "'logicalTypeOptions'"))
		return PV_EINVAL;
	double lo = 0, hi = 0;
	bool has_lo = false, has_hi = false;
	int64_t ilo = 0, ihi = 0;
	if (get_count(y, lto, "minLength", &ilo, &has_lo) || get_count(y, lto, "maxLength", &ihi, &has_hi))
		return PV_EINVAL;
	if (has_lo || has_hi) {
		if (!(r = new_rule(y, PV_RULE_LENGTH, object, p->name, lto)))
			return PV_EINVAL;
		r->has_lo = has_lo, r->has_hi = has_hi, r->lo = (double)ilo, r->hi = (double)ihi;
		r->bound.op = PV_CMP_EQ;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "%s%s%s(%s)",
						has_lo ? "minLength" : "", has_lo && has_hi ? "/" : "",
						has_hi ? "maxLength" : "", p->name)))
			return PV_ENOMEM;
	}
	if (get_num(y, lto, "minimum", &lo, &has_lo) || get_num(y, lto, "maximum", &hi, &has_hi))
		return PV_EINVAL;
	has_lo = yget(y, lto, "minimum") != NULL;
	has_hi = yget(y, lto, "maximum") != NULL;
	if (has_lo || has_hi) {
		if (!(r = new_rule(y, PV_RULE_RANGE, object, p->name, lto)))
			return PV_EINVAL;
		r->has_lo = has_lo, r->has_hi = has_hi, r->lo = lo, r->hi = hi;
		r->bound.op = PV_CMP_EQ;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "range(%s)", p->name)))
			return PV_ENOMEM;
	}
	has_lo = has_hi = false;
	if (get_count(y, lto, "minItems", &ilo, &has_lo) || get_count(y, lto, "maxItems", &ihi, &has_hi))
		return PV_EINVAL;
	if (has_lo || has_hi) {
		if (!(r = new_rule(y, PV_RULE_ITEMS, object, p->name, lto)))
			return PV_EINVAL;
		r->has_lo = has_lo, r->has_hi = has_hi, r->lo = (double)ilo, r->hi = (double)ihi;
		r->bound.op = PV_CMP_EQ;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "items(%s)", p->name)))
			return PV_ENOMEM;
	}
	const char *pat = NULL;
	if (get_str(y, lto, "pattern", false, &pat))
		return PV_EINVAL;
	if (pat) {
		if (!(r = new_rule(y, PV_RULE_INVALID_VALUES, object, p->name, yget(y, lto, "pattern"))))
			return PV_EINVAL;
		r->pattern = pat;
		r->bound.op = PV_CMP_EQ;
		if (!(r->name = pv_arena_printf(&y->c->arena, y->err, "pattern(%s)", p->name)))
			return PV_ENOMEM;
	}
	return 0;
}

static int parse_object(yctx *y, const yaml_node_t *on, size_t oi)
{
	pv_contract_object *o = &y->c->objects[oi];
	if (want_map(y, on, "a schema object") || get_str(y, on, "name", true, &o->name) ||
	    get_str(y, on, "physicalName", false, &o->physical_name))
		return PV_EINVAL;
	o->line = (int)on->start_mark.line + 1;
	o->col = (int)on->start_mark.column + 1;
	yaml_node_t *props = yget(y, on, "properties");
	if (props) {
		if (want_seq(y, props, "'properties'"))
			return PV_EINVAL;
		o->n_properties = seq_len(props);
		o->properties = pv_arena_array(&y->c->arena, o->n_properties ? o->n_properties : 1,
					       sizeof *o->properties, y->err);
		if (!o->properties)
			return PV_ENOMEM;
		for (size_t i = 0; i < o->n_properties; i++) {
			yaml_node_t *pn = seq_at(y, props, i);
			pv_contract_property *p = &o->properties[i];
			if (want_map(y, pn, "a property") || get_str(y, pn, "name", true, &p->name) ||
			    get_str(y, pn, "physicalName", false, &p->physical_name) ||
			    get_str(y, pn, "logicalType", false, &p->logical_type) ||
			    get_str(y, pn, "physicalType", false, &p->physical_type) ||
			    get_bool(y, pn, "required", &p->required) ||
			    get_bool(y, pn, "unique", &p->unique) ||
			    get_bool(y, pn, "partitioned", &p->partitioned) ||
			    get_bool(y, pn, "primaryKey", &p->primary_key))
				return PV_EINVAL;
			yaml_node_t *rel = yget(y, pn, "relationships");
			if (rel && want_seq(y, rel, "'relationships'"))
				return PV_EINVAL;
			p->line = (int)pn->start_mark.line + 1;
			p->col = (int)pn->start_mark.column + 1;
			for (size_t k = 0; k < i; k++)
				if (!strcmp(o->properties[k].name, p->name))
					return yfail(y, pn, "expected unique property names, found '%s' twice",
						     p->name);
			if (property_rules(y, pn, oi, p))
				return PV_EINVAL;
			yaml_node_t *ql = yget(y, pn, "quality");
			if (!ql)
				continue;
			if (want_seq(y, ql, "'quality'"))
				return PV_EINVAL;
			for (size_t k = 0; k < seq_len(ql); k++)
				if (parse_quality(y, seq_at(y, ql, k), oi, p->name))
					return PV_EINVAL;
		}
	}
	yaml_node_t *ql = yget(y, on, "quality");
	if (ql) {
		if (want_seq(y, ql, "'quality'"))
			return PV_EINVAL;
		for (size_t k = 0; k < seq_len(ql); k++)
			if (parse_quality(y, seq_at(y, ql, k), oi, NULL))
				return PV_EINVAL;
	}
	return 0;
}

static int parse_root(yctx *y, yaml_node_t *root)
{
	pv_contract *c = y->c;
	if (!root)
		return yfail(y, NULL, "expected a data contract, found an empty document");
	if (want_map(y, root, "the contract"))
		return PV_EINVAL;
	const char *kind = NULL;
	if (get_str(y, root, "apiVersion", true, &c->api_version) ||
	    get_str(y, root, "kind", true, &kind) || get_str(y, root, "id", true, &c->id) ||
	    get_str(y, root, "version", true, &c->version) ||
	    get_str(y, root, "status", true, &c->status) || get_str(y, root, "name", false, &c->name))
		return PV_EINVAL;
	if (strncmp(c->api_version, "v3.", 3))
		return yfail(y, yget(y, root, "apiVersion"),
			     "expected apiVersion v3.x (ODCS 3), found '%s'", c->api_version);
	if (strcmp(kind, "DataContract"))
		return yfail(y, yget(y, root, "kind"), "expected kind DataContract, found '%s'", kind);
	yaml_node_t *sv = yget(y, root, "servers");
	if (sv) {
		if (want_seq(y, sv, "'servers'"))
			return PV_EINVAL;
		c->n_servers = seq_len(sv);
		c->servers = pv_arena_array(&c->arena, c->n_servers ? c->n_servers : 1,
					    sizeof *c->servers, y->err);
		if (!c->servers)
			return PV_ENOMEM;
		for (size_t i = 0; i < c->n_servers; i++) {
			yaml_node_t *s = seq_at(y, sv, i);
			pv_contract_server *srv = &c->servers[i];
			if (want_map(y, s, "a server") || get_str(y, s, "server", true, &srv->name) ||
			    get_str(y, s, "type", true, &srv->type) ||
			    get_str(y, s, "path", false, &srv->path))
				return PV_EINVAL;
			if (srv->path && !(srv->path = resolve_path(y, srv->path)))
				return PV_ENOMEM;
		}
	}
	yaml_node_t *sc = yget(y, root, "schema");
	if (!sc)
		return 0;
	if (want_seq(y, sc, "'schema'"))
		return PV_EINVAL;
	c->n_objects = seq_len(sc);
	c->objects = pv_arena_array(&c->arena, c->n_objects ? c->n_objects : 1, sizeof *c->objects,
				    y->err);
	if (!c->objects)
		return PV_ENOMEM;
	for (size_t i = 0; i < c->n_objects; i++) {
		if (parse_object(y, seq_at(y, sc, i), i))
			return PV_EINVAL;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(c->objects[k].name, c->objects[i].name))
				return yfail(y, seq_at(y, sc, i),
					     "expected unique schema object names, found '%s' twice",
					     c->objects[i].name);
	}
	return 0;
}

/* libyaml's scanner does work in proportion to the flow nesting ([ and {)
 * for every token, so a file of a million '[' takes hours: refuse deep
 * flow nesting first. Quoted scalars and comments are skipped; a bracket
 * inside a plain scalar counts, which only matters past the cap. */
static bool flow_depth_ok(const char *t, size_t n, size_t *out_line, size_t *out_col)
{
	size_t line = 1, col = 1, depth = 0;
	char quote = 0;
	for (size_t i = 0; i < n; i++, col++) {
		char ch = t[i];
		if (ch == '\n') {
			line++;
			col = 0;
			if (quote == '#')
				quote = 0;
			continue;
		}
		if (quote) {
			if (quote == '"' && ch == '\\' && i + 1 < n && t[i + 1] != '\n')
				i++, col++;
			else if (ch == quote && quote != '#')
				quote = 0;
			continue;
		}
		if (ch == '"' || ch == '\'')
			quote = ch;
		else if (ch == '#' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n'))
			quote = '#';
		else if (ch == '[' || ch == '{') {
			if (++depth > PV_CONTRACT_MAX_DEPTH) {
				*out_line = line;
				*out_col = col;
				return false;
			}
		} else if ((ch == ']' || ch == '}') && depth)
			depth--;
	}
	return true;
}

int pv_contract_parse(const char *text, size_t len, const char *name, const char *dir,
		      pv_contract **out, pv_err *err)
{
	*out = NULL;
	if (len > PV_CONTRACT_MAX_BYTES)
		return pv_err_set(err, PV_ELIMIT, "%s: contract larger than %zu bytes", name,
				  PV_CONTRACT_MAX_BYTES);
	size_t dl, dc;
	if (!flow_depth_ok(text, len, &dl, &dc))
		return pv_err_set(err, PV_EINVAL, "%s:%zu:%zu: expected [ ] and { } nested at most %d deep",
				  name, dl, dc, PV_CONTRACT_MAX_DEPTH);
	pv_contract *c = calloc(1, sizeof *c);
	if (!c)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_arena_init(&c->arena, 0);
	c->file = pv_arena_strndup(&c->arena, name, strlen(name), err);
	c->dir = pv_arena_strndup(&c->arena, dir ? dir : ".", strlen(dir ? dir : "."), err);
	if (!c->file || !c->dir) {
		pv_contract_free(c);
		return PV_ENOMEM;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		pv_contract_free(c);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int rc = 0;
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;
		rc = pv_err_set(err, PV_EINVAL, "%s:%zu:%zu: expected valid YAML: %s%s%s", name,
				m->line + 1, m->column + 1, parser.problem ? parser.problem : "error",
				parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		pv_contract_free(c);
		return rc;
	}
	yctx y = { .c = c, .doc = &doc, .err = err };
	rc = parse_root(&y, yaml_document_get_root_node(&doc));
	if (!rc && y.n_rules) {
		c->rules = pv_arena_array(&c->arena, y.n_rules, sizeof *c->rules, err);
		if (c->rules) {
			memcpy(c->rules, y.rules, y.n_rules * sizeof *c->rules);
			c->n_rules = y.n_rules;
		} else {
			rc = PV_ENOMEM;
		}
	}
	free(y.rules);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc) {
		if (err && err->code == PV_OK)
			pv_err_set(err, rc, "%s: invalid contract", name);
		pv_contract_free(c);
		return rc < 0 ? rc : PV_EINVAL;
	}
	*out = c;
	return 0;
}

int pv_contract_load(const char *path, pv_contract **out, pv_err *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return pv_err_set(err, errno == ENOENT ? PV_ENOTFOUND : PV_EIO, "%s: %s", path,
				  strerror(errno));
	char *text = malloc(PV_CONTRACT_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	size_t n = fread(text, 1, PV_CONTRACT_MAX_BYTES + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(text);
		return pv_err_set(err, PV_EIO, "%s: read error", path);
	}
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	int rc = pv_contract_parse(text, n, path, dir, out, err);
	free(text);
	return rc;
}
