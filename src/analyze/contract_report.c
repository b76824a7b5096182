/*
 * contract_report.c - a check's outcome as text (one line per rule, the
 * offending rows under it, a summary), JSON (README "Data contracts") or
 * JUnit XML for CI systems. Writes to a FILE*; never decides exit codes
 * beyond pv_check_rule_fails. Must not include sql or cli.
 */
#include "analyze/contract.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/banned.h"

bool pv_check_rule_fails(const pv_check_result *r, size_t i, int fail_on)
{
	if (fail_on < 0 || r->rules[i].status != PV_RS_FAIL)
		return false;
	return (int)r->contract->rules[i].severity <= fail_on;
}

static const char *status_word(const pv_check_result *r, size_t i)
{
	switch (r->rules[i].status) {
	case PV_RS_PASS: return "pass";
	case PV_RS_ERROR: return "error";
	case PV_RS_SKIP: return "skip";
	default: break;
	}
	switch (r->contract->rules[i].severity) {
	case PV_SEV_WARNING: return "warn";
	case PV_SEV_INFO: return "info";
	default: return "fail";
	}
}

static const char *source_word(pv_rule_source s)
{
	static const char *const w[] = { "", "footer", "schema", "data", "sql", "other" };
	return (unsigned)s < sizeof w / sizeof w[0] ? w[s] : "";
}

static void fmt_num(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "NaN");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.6g", v);
}

/* "mustBe 0", "minShare 0.1, maxRatio 3", ... */
static void bound_text(const pv_rule *r, char *out, size_t n)
{
	char a[64], b[64];
	if (r->kind == PV_RULE_CLASS_BALANCE) {
		fmt_num(a, sizeof a, r->min_share);
		fmt_num(b, sizeof b, r->max_ratio);
		snprintf(out, n, "%s%s%s%s%s", r->has_min_share ? "minShare " : "",
			 r->has_min_share ? a : "", r->has_min_share && r->has_max_ratio ? ", " : "",
			 r->has_max_ratio ? "maxRatio " : "", r->has_max_ratio ? b : "");
		return;
	}
	if (r->kind == PV_RULE_PRESENT || r->kind == PV_RULE_LOGICAL_TYPE ||
	    r->kind == PV_RULE_PHYSICAL_TYPE) {
		snprintf(out, n, "%s", r->type_name ? r->type_name : "present");
		return;
	}
	pv_bound bd = r->bound;
	if (bd.op == PV_CMP_NONE)
		bd = (pv_bound){ PV_CMP_EQ, 0, 0 };
	fmt_num(a, sizeof a, bd.a);
	fmt_num(b, sizeof b, bd.b);
	const char *unit = r->percent ? " %" : "";
	if (bd.op == PV_CMP_BETWEEN || bd.op == PV_CMP_NOT_BETWEEN)
		snprintf(out, n, "%s [%s, %s]%s", pv_cmp_name(bd.op), a, b, unit);
	else
		snprintf(out, n, "%s %s%s", pv_cmp_name(bd.op), a, unit);
}

int pv_check_write_text(const pv_check_result *r, FILE *out, pv_err *err)
{
	const pv_contract *c = r->contract;
	size_t wname = 4;
	for (size_t i = 0; i < c->n_rules; i++) {
		size_t l = strlen(c->rules[i].name);
		wname = l > wname ? l : wname;
	}
	if (wname > 48)
		wname = 48;
	fprintf(out, "contract %s %s (%s)\n", c->id, c->version, c->file);
	for (size_t oi = 0; oi < c->n_objects; oi++) {
		const pv_object_result *o = &r->objects[oi];
		fprintf(out, "%s:", c->objects[oi].name);
		for (size_t k = 0; k < o->n_paths; k++)
			fprintf(out, " %s", o->paths[k]);
		if (o->n_files)
			fprintf(out, " (%zu files, %lld rows)", o->n_files, (long long)o->rows);
		fputc('\n', out);
		if (o->error)
			fprintf(out, "  error: %s\n", o->error);
		for (size_t i = 0; i < c->n_rules; i++) {
			const pv_rule *ru = &c->rules[i];
			const pv_rule_result *rr = &r->rules[i];
			if (ru->object != oi)
				continue;
			char val[64] = "-", bd[160];
			if (rr->has_value) {
				fmt_num(val, sizeof val, rr->value);
				if (ru->percent)
					strncat(val, " %", sizeof val - strlen(val) - 1);
			}
			bound_text(ru, bd, sizeof bd);
			fprintf(out, "  %-5s %-*s  %12s  %-28s %-6s", status_word(r, i), (int)wname, ru->name,
				val, bd, source_word(rr->source));
			if (rr->status == PV_RS_ERROR || rr->status == PV_RS_SKIP)
				fprintf(out, " %s", rr->error ? rr->error : "");
			else if (rr->detail)
				fprintf(out, " %s", rr->detail);
			fputc('\n', out);
			for (size_t k = 0; k < rr->n_failures; k++) {
				const pv_failure *f = &rr->failures[k];
				if (f->file)
					fprintf(out, "        %s: row group %lld, row %lld (global %lld): %s",
						f->file, (long long)f->row_group, (long long)f->row,
						(long long)f->global_row, f->values ? f->values : "");
				else
					fprintf(out, "        %s", f->values ? f->values : "");
				if (f->note)
					fprintf(out, " (%s)", f->note);
				fputc('\n', out);
			}
			if (rr->status == PV_RS_FAIL && rr->n_offending > (int64_t)rr->n_failures &&
			    rr->n_failures)
				fprintf(out, "        ... %lld more\n",
					(long long)(rr->n_offending - (int64_t)rr->n_failures));
		}
	}
	size_t n_warn = 0, n_fail = 0;
	for (size_t i = 0; i < c->n_rules; i++)
		if (r->rules[i].status == PV_RS_FAIL) {
			if (c->rules[i].severity == PV_SEV_ERROR)
				n_fail++;
			else
				n_warn++;
		}
	fprintf(out, "summary: %zu rules: %zu pass, %zu fail, %zu warn, %zu error, %zu skipped (%zu "
		     "answered from footers) in %.2f s\n",
		c->n_rules, r->n_pass, n_fail, n_warn, r->n_error, r->n_skip, r->n_from_footers,
		r->seconds);
	if (fflush(out) || ferror(out))
		return pv_err_set(err, PV_EIO, "write error");
	return 0;
}

static void json_bound(pv_json *j, const pv_rule *ru)
{
	pv_json_key(j, "bound");
	pv_json_object_begin(j);
	if (ru->kind == PV_RULE_CLASS_BALANCE) {
		if (ru->has_min_share)
			pv_json_kdouble(j, "minShare", ru->min_share);
		if (ru->has_max_ratio)
			pv_json_kdouble(j, "maxRatio", ru->max_ratio);
	} else if (ru->kind == PV_RULE_LOGICAL_TYPE || ru->kind == PV_RULE_PHYSICAL_TYPE) {
		pv_json_kstr(j, "type", ru->type_name);
	} else if (ru->kind != PV_RULE_PRESENT) {
		pv_bound bd = ru->bound;
		if (bd.op == PV_CMP_NONE)
			bd = (pv_bound){ PV_CMP_EQ, 0, 0 };
		pv_json_kstr(j, "op", pv_cmp_name(bd.op));
		if (bd.op == PV_CMP_BETWEEN || bd.op == PV_CMP_NOT_BETWEEN) {
			pv_json_key(j, "value");
			pv_json_array_begin(j);
			pv_json_double(j, bd.a);
			pv_json_double(j, bd.b);
			pv_json_array_end(j);
		} else {
			pv_json_kdouble(j, "value", bd.a);
		}
		if (ru->kind == PV_RULE_JOIN_COVERAGE) {
			pv_json_kdouble(j, "minCoverage", ru->min_coverage);
			pv_json_kdouble(j, "maxCoverage", ru->max_coverage);
		}
	}
	pv_json_object_end(j);
}

int pv_check_write_json(const pv_check_result *r, FILE *out, int fail_on, pv_err *err)
{
	const pv_contract *c = r->contract;
	pv_json j;
	pv_json_init_file(&j, out, true);
	pv_json_object_begin(&j);
	pv_json_key(&j, "contract");
	pv_json_object_begin(&j);
	pv_json_kstr(&j, "path", c->file);
	pv_json_kstr(&j, "id", c->id);
	pv_json_kstr(&j, "version", c->version);
	pv_json_kstr(&j, "apiVersion", c->api_version);
	pv_json_object_end(&j);
	pv_json_key(&j, "objects");
	pv_json_array_begin(&j);
	size_t n_failing = 0;
	for (size_t oi = 0; oi < c->n_objects; oi++) {
		const pv_object_result *o = &r->objects[oi];
		pv_json_object_begin(&j);
		pv_json_kstr(&j, "name", c->objects[oi].name);
		pv_json_key(&j, "paths");
		pv_json_array_begin(&j);
		for (size_t k = 0; k < o->n_paths; k++)
			pv_json_str(&j, o->paths[k]);
		pv_json_array_end(&j);
		pv_json_kint(&j, "n_files", (int64_t)o->n_files);
		pv_json_kint(&j, "rows", o->rows);
		if (o->error)
			pv_json_kstr(&j, "error", o->error);
		pv_json_key(&j, "rules");
		pv_json_array_begin(&j);
		for (size_t i = 0; i < c->n_rules; i++) {
			const pv_rule *ru = &c->rules[i];
			const pv_rule_result *rr = &r->rules[i];
			if (ru->object != oi)
				continue;
			bool fails = pv_check_rule_fails(r, i, fail_on);
			n_failing += fails;
			pv_json_object_begin(&j);
			pv_json_kstr(&j, "name", ru->name);
			pv_json_kstr(&j, "kind", pv_rule_kind_name(ru->kind));
			if (ru->column)
				pv_json_kstr(&j, "column", ru->column);
			if (ru->description)
				pv_json_kstr(&j, "description", ru->description);
			pv_json_kint(&j, "line", ru->line);
			pv_json_kstr(&j, "severity", pv_severity_name(ru->severity));
			pv_json_kstr(&j, "status", status_word(r, i));
			pv_json_kbool(&j, "fails", fails);
			if (rr->has_value)
				pv_json_kdouble(&j, "value", rr->value);
			pv_json_kstr(&j, "unit", ru->percent ? "percent" : "rows");
			json_bound(&j, ru);
			if (rr->source)
				pv_json_kstr(&j, "source", source_word(rr->source));
			if (rr->n_offending >= 0)
				pv_json_kint(&j, "n_offending", rr->n_offending);
			if (rr->detail)
				pv_json_kstr(&j, "detail", rr->detail);
			if (rr->error)
				pv_json_kstr(&j, "error", rr->error);
			pv_json_key(&j, "failures");
			pv_json_array_begin(&j);
			for (size_t k = 0; k < rr->n_failures; k++) {
				const pv_failure *f = &rr->failures[k];
				pv_json_object_begin(&j);
				if (f->file) {
					pv_json_kstr(&j, "file", f->file);
					pv_json_kint(&j, "row_group", f->row_group);
					pv_json_kint(&j, "row", f->row);
					pv_json_kint(&j, "global_row", f->global_row);
				}
				pv_json_kstr(&j, "values", f->values ? f->values : "");
				if (f->note)
					pv_json_kstr(&j, "note", f->note);
				pv_json_object_end(&j);
			}
			pv_json_array_end(&j);
			pv_json_object_end(&j);
		}
		pv_json_array_end(&j);
		pv_json_object_end(&j);
	}
	pv_json_array_end(&j);
	pv_json_key(&j, "summary");
	pv_json_object_begin(&j);
	pv_json_kint(&j, "rules", (int64_t)c->n_rules);
	pv_json_kint(&j, "pass", (int64_t)r->n_pass);
	pv_json_kint(&j, "fail", (int64_t)r->n_fail);
	pv_json_kint(&j, "error", (int64_t)r->n_error);
	pv_json_kint(&j, "skipped", (int64_t)r->n_skip);
	pv_json_kint(&j, "failing", (int64_t)n_failing);
	pv_json_kint(&j, "from_footers", (int64_t)r->n_from_footers);
	pv_json_kdouble(&j, "seconds", r->seconds);
	pv_json_object_end(&j);
	pv_json_object_end(&j);
	if (pv_json_finish(&j))
		return pv_err_set(err, PV_EIO, "write error");
	return 0;
}

static void xml_text(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\t': fputs("&#9;", out); break;
		default:
			/* XML 1.0 forbids the other control characters even as references */
			if (*p >= 0x20)
				fputc(*p, out);
			else
				fputc('?', out);
		}
	}
}

int pv_check_write_junit(const pv_check_result *r, FILE *out, int fail_on, pv_err *err)
{
	const pv_contract *c = r->contract;
	size_t n_fail = 0, n_err = 0;
	for (size_t i = 0; i < c->n_rules; i++) {
		n_fail += pv_check_rule_fails(r, i, fail_on);
		n_err += r->rules[i].status == PV_RS_ERROR;
	}
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
	xml_text(out, c->id);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", c->n_rules,
		n_fail, n_err, r->seconds);
	for (size_t oi = 0; oi < c->n_objects; oi++) {
		size_t t = 0, f = 0, e = 0, s = 0;
		for (size_t i = 0; i < c->n_rules; i++) {
			if (c->rules[i].object != oi)
				continue;
			t++;
			f += pv_check_rule_fails(r, i, fail_on);
			e += r->rules[i].status == PV_RS_ERROR;
			s += r->rules[i].status == PV_RS_SKIP;
		}
		fprintf(out, "  <testsuite name=\"");
		xml_text(out, c->objects[oi].name);
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", t, f, e, s);
		for (size_t i = 0; i < c->n_rules; i++) {
			const pv_rule *ru = &c->rules[i];
			const pv_rule_result *rr = &r->rules[i];
			if (ru->object != oi)
				continue;
			char val[64] = "-", bd[160];
			if (rr->has_value)
				fmt_num(val, sizeof val, rr->value);
			bound_text(ru, bd, sizeof bd);
			fprintf(out, "    <testcase classname=\"");
			xml_text(out, c->id);
			fputc('.', out);
			xml_text(out, c->objects[oi].name);
			fprintf(out, "\" name=\"");
			xml_text(out, ru->name);
			fprintf(out, "\">\n");
			if (rr->status == PV_RS_ERROR) {
				fprintf(out, "      <error message=\"");
				xml_text(out, rr->error);
				fprintf(out, "\"/>\n");
			} else if (rr->status == PV_RS_SKIP) {
				fprintf(out, "      <skipped message=\"");
				xml_text(out, rr->error);
				fprintf(out, "\"/>\n");
			} else if (rr->status == PV_RS_FAIL) {
				bool fails = pv_check_rule_fails(r, i, fail_on);
				if (fails) {
					fputs("      <failure message=\"", out);
				} else {
					fprintf(out, "      <system-out>%s: ", pv_severity_name(ru->severity));
					xml_text(out, ru->name);
					fputs(": ", out);
				}
				xml_text(out, "measured ");
				xml_text(out, val);
				xml_text(out, ", expected ");
				xml_text(out, bd);
				if (rr->detail) {
					xml_text(out, "; ");
					xml_text(out, rr->detail);
				}
				if (fails)
					fprintf(out, "\" type=\"%s\">", pv_severity_name(ru->severity));
				for (size_t k = 0; k < rr->n_failures; k++) {
					const pv_failure *fl = &rr->failures[k];
					char line[600];
					if (fl->file)
						snprintf(line, sizeof line, "%s: row group %lld, row %lld: ",
							 fl->file, (long long)fl->row_group, (long long)fl->row);
					else
						line[0] = '\0';
					xml_text(out, "\n");
					xml_text(out, line);
					xml_text(out, fl->values);
					if (fl->note) {
						xml_text(out, " (");
						xml_text(out, fl->note);
						xml_text(out, ")");
					}
				}
				fputs(fails ? "</failure>\n" : "</system-out>\n", out);
			}
			fprintf(out, "    </testcase>\n");
		}
		fprintf(out, "  </testsuite>\n");
	}
	fprintf(out, "</testsuites>\n");
	if (fflush(out) || ferror(out))
		return pv_err_set(err, PV_EIO, "write error");
	return 0;
}
