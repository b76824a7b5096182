/*
 * contract.c - the small pieces of the contract model: names of
 * comparators, severities and rule kinds, bounds, freeing.
 * Includes only base and analyze.
 */
#include "analyze/contract.h"

#include <math.h>
#include <stdlib.h>

#include "base/banned.h"

void pv_contract_free(pv_contract *c)
{
	if (!c)
		return;
	pv_arena_release(&c->arena);
	free(c);
}

const char *pv_cmp_name(pv_cmp op)
{
	static const char *const names[] = {
		"", "mustBe", "mustNotBe", "mustBeGreaterThan", "mustBeGreaterOrEqualTo",
		"mustBeLessThan", "mustBeLessOrEqualTo", "mustBeBetween", "mustNotBeBetween",
	};
	return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "";
}

bool pv_bound_holds(const pv_bound *b, double v)
{
	if (b->op == PV_CMP_NONE)
		return true;
	if (isnan(v))
		return false;
	switch (b->op) {
	case PV_CMP_EQ: return v == b->a;
	case PV_CMP_NE: return v != b->a;
	case PV_CMP_GT: return v > b->a;
	case PV_CMP_GE: return v >= b->a;
	case PV_CMP_LT: return v < b->a;
	case PV_CMP_LE: return v <= b->a;
	case PV_CMP_BETWEEN: return v >= b->a && v <= b->b;
	case PV_CMP_NOT_BETWEEN: return v < b->a || v > b->b;
	default: return true;
	}
}

const char *pv_severity_name(pv_severity s)
{
	return s == PV_SEV_WARNING ? "warning" : s == PV_SEV_INFO ? "info" : "error";
}

const char *pv_rule_kind_name(pv_rule_kind k)
{
	static const char *const names[PV_RULE_N_KINDS] = {
		[PV_RULE_ROW_COUNT] = "rowCount",
		[PV_RULE_NULL_VALUES] = "nullValues",
		[PV_RULE_MISSING_VALUES] = "missingValues",
		[PV_RULE_INVALID_VALUES] = "invalidValues",
		[PV_RULE_DUPLICATE_VALUES] = "duplicateValues",
		[PV_RULE_PRESENT] = "present",
		[PV_RULE_LOGICAL_TYPE] = "logicalType",
		[PV_RULE_PHYSICAL_TYPE] = "physicalType",
		[PV_RULE_LENGTH] = "length",
		[PV_RULE_RANGE] = "range",
		[PV_RULE_ITEMS] = "items",
		[PV_RULE_SQL] = "sql",
		[PV_RULE_ROW_COUNT_RATIO] = "rowCountRatio",
		[PV_RULE_UNIQUE_WITHIN_PARTITION] = "uniqueWithinPartition",
		[PV_RULE_MAX_TEXT_LENGTH] = "maxTextLength",
		[PV_RULE_CLASS_BALANCE] = "classBalance",
		[PV_RULE_JOIN_COVERAGE] = "joinCoverage",
		[PV_RULE_EMBEDDING_DIMENSION] = "embeddingDimension",
		[PV_RULE_SCHEMA_COMPATIBLE] = "schemaCompatible",
		[PV_RULE_NULL_TOLERANCE] = "nullTolerance",
	};
	return (unsigned)k < PV_RULE_N_KINDS ? names[k] : "unknown";
}
