/*
 * contract_init.c - a starting ODCS contract for a dataset from its schema
 * and its profile (analyze/profile.h, one parallel pass over every
 * column): a property per column with logicalType, physicalType, required
 * (no NULL), unique (every value distinct, counted exactly), partitioned,
 * maxLength of texts, minimum/maximum of numbers, validValues of columns
 * with few distinct texts, the dimension of embeddings, and a rowCount
 * rule. Every bound is what the data holds, so the contract passes
 * `parqview check` on the same data. Must not include sql or cli.
 */
#include "analyze/contract_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/profile.h"
#include "base/banned.h"

/* A YAML single-quoted scalar: quotes doubled, control characters out. */
static void yq(FILE *out, const char *s)
{
	fputc('\'', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\'')
			fputs("''", out);
		else if (*p < 0x20)
			fputc(' ', out);
		else
			fputc(*p, out);
	}
	fputc('\'', out);
}

/* Writes the object's "quality:" line once. */
static bool any_quality_header(FILE *out, bool *open)
{
	if (!*open)
		fprintf(out, "    quality:\n");
	*open = true;
	return true;
}

/* What the profile says about one column. cp NULL: not profiled. */
static void write_profile(FILE *out, const pv_dataset_column *col, const pv_colprof *cp,
			  int64_t rows)
{
	if (!cp) {
		if (col->is_partition)
			fprintf(out, "        partitioned: true\n");
		return;
	}
	if (cp->nulls == 0 && rows > 0)
		fprintf(out, "        required: true\n");
	else
		fprintf(out, "        # %lld NULLs in %lld rows\n", (long long)cp->nulls, (long long)rows);
	bool exact = false;
	double distinct = cp->hll || cp->topk.entries ? pv_colprof_distinct(cp, &exact) : 0;
	int64_t values = cp->rows - cp->nulls;
	bool keyish = cp->kind == PV_PROF_STRING || cp->kind == PV_PROF_INT ||
		      cp->kind == PV_PROF_UINT || cp->kind == PV_PROF_BINARY;
	if (!col->is_partition && keyish && exact && values > 1 && distinct == (double)values)
		fprintf(out, "        unique: true\n");
	if (col->is_partition)
		fprintf(out, "        partitioned: true\n");
	bool lto = false;
#define LTO() (lto ? (void)0 : (void)fprintf(out, "        logicalTypeOptions:\n"), lto = true)
	if (cp->kind == PV_PROF_STRING && cp->chars.n > 0) {
		LTO();
		fprintf(out, "          maxLength: %lld\n", (long long)cp->chars.max);
	}
	if (cp->has_minmax && !cp->n_nan && !cp->n_posinf && !cp->n_neginf) {
		if (cp->kind == PV_PROF_INT) {
			LTO();
			fprintf(out, "          minimum: %lld\n          maximum: %lld\n",
				(long long)cp->imin, (long long)cp->imax);
		} else if (cp->kind == PV_PROF_UINT) {
			LTO();
			fprintf(out, "          minimum: %llu\n          maximum: %llu\n",
				(unsigned long long)cp->umin, (unsigned long long)cp->umax);
		} else if (cp->kind == PV_PROF_FLOAT) {
			LTO();
			/* rounded outward by a millionth: float32 values reach the
			 * check widened or as their shortest decimal */
			fprintf(out, "          minimum: %.17g\n          maximum: %.17g\n",
				cp->fmin - fabs(cp->fmin) * 1e-6, cp->fmax + fabs(cp->fmax) * 1e-6);
		}
	}
	if (cp->kind == PV_PROF_LIST && cp->items.n > 0) {
		LTO();
		fprintf(out, "          minItems: %lld\n          maxItems: %lld\n",
			(long long)cp->items.min, (long long)cp->items.max);
	}
#undef LTO
	/* a handful of distinct texts, all counted exactly and none cut: an enum */
	if (cp->kind == PV_PROF_STRING && exact && values >= 20 && distinct >= 1 && distinct <= 10 &&
	    !col->is_partition) {
		const pv_topk_entry *top[10];
		size_t n = pv_topk_top(&cp->topk, top, 10);
		bool cut = n != (size_t)distinct;
		for (size_t k = 0; k < n; k++)
			cut = cut || top[k]->text_cut;
		if (!cut) {
			fprintf(out, "        quality:\n          - metric: invalidValues\n"
				     "            arguments:\n              validValues: [");
			const char **txt = calloc(n, sizeof *txt);
			size_t *len = calloc(n, sizeof *len);
			for (size_t k = 0; txt && len && k < n; k++) {
				txt[k] = pv_topk_text(&cp->topk, top[k]);
				len[k] = top[k]->text_len;
			}
			for (size_t k = 0; txt && len && k < n; k++) {
				char v[300];
				snprintf(v, sizeof v, "%.*s", (int)len[k], txt[k]);
				if (k)
					fputs(", ", out);
				yq(out, v);
			}
			free(txt);
			free(len);
			fprintf(out, "]\n            mustBe: 0\n");
		}
	}
}

int pv_contract_init_write(const struct pv_dataset *ds, const char *name, const char *server_path,
			   FILE *out, pv_err *err)
{
	pv_ev_scan es = { 0 };
	const pv_atype *t = NULL;
	pv_profile *prof = NULL;
	pv_profile_opts po = { 0 };
	int rc = pv_ev_scan_open(&es, ds, NULL, false, err);
	if (!rc)
		t = es.t;
	if (!rc && t->n_children != ds->n_columns)
		rc = pv_err_set(err, PV_EINTERNAL, "scan columns do not match the dataset");
	if (!rc)
		rc = pv_profile_run(ds, &po, &prof, err);
	if (!rc && prof->n_groups != 1)
		rc = pv_err_set(err, PV_EINTERNAL, "profile without its one group");
	if (rc)
		goto done;
	fprintf(out, "# A starting data contract (Open Data Contract Standard v3.1) written by\n"
		     "# `parqview contract init` from the schema and a profile of %lld rows: every\n"
		     "# bound is what the data holds now. Tighten them, then run `parqview check`.\n",
		(long long)prof->rows);
	fprintf(out, "apiVersion: v3.1.0\nkind: DataContract\nid: ");
	yq(out, name);
	fprintf(out, "\nname: ");
	yq(out, name);
	fprintf(out, "\nversion: 0.1.0\nstatus: draft\nservers:\n  - server: ");
	yq(out, name);
	fprintf(out, "\n    type: local\n    format: parquet\n    path: ");
	yq(out, server_path);
	fprintf(out, "\nschema:\n  - name: ");
	yq(out, name);
	fprintf(out, "\n    physicalName: ");
	yq(out, name);
	fprintf(out, "\n    logicalType: object\n    properties:\n");
	bool quality_open = false;
	for (size_t i = 0; i < ds->n_columns; i++) {
		const pv_dataset_column *col = &ds->columns[i];
		const pv_atype *ct = t->children[i];
		fprintf(out, "      - name: ");
		yq(out, col->name);
		fputc('\n', out);
		const char *lt = pv_contract_logical_type(ct);
		if (lt)
			fprintf(out, "        logicalType: %s\n", lt);
		if (!col->n_conflicts) {
			pv_buf dn;
			pv_buf_init(&dn, 0);
			pv_contract_duck_type(ct, &dn);
			fprintf(out, "        physicalType: ");
			yq(out, dn.data ? dn.data : "");
			fputc('\n', out);
			pv_buf_release(&dn);
		}
		const pv_colprof *cp = NULL;
		for (size_t k = 0; k < prof->n_columns; k++)
			if (!strcmp(prof->columns[k].name, col->name))
				cp = &prof->groups[0].cols[k];
		write_profile(out, col, cp, prof->rows);
	}
	for (size_t i = 0; i < ds->n_columns; i++) {
		const pv_dataset_column *col = &ds->columns[i];
		const pv_colprof *cp = NULL;
		for (size_t k = 0; k < prof->n_columns; k++)
			if (!strcmp(prof->columns[k].name, col->name))
				cp = &prof->groups[0].cols[k];
		if (cp && cp->kind == PV_PROF_EMBEDDING && cp->n_dims == 1 && !cp->dim_other &&
		    cp->items.n > 0) {
			if (!any_quality_header(out, &quality_open))
				break;
			fprintf(out, "      - type: custom\n        engine: parqview\n"
				     "        name: ");
			char nm[300];
			snprintf(nm, sizeof nm, "%s_dimension", col->name);
			yq(out, nm);
			fprintf(out, "\n        implementation:\n          check: embeddingDimension\n"
				     "          column: ");
			yq(out, col->name);
			fprintf(out, "\n          dimension: %lld\n", (long long)cp->dims[0]);
			if (cp->n_nonfinite_vec || cp->n_null_items)
				fprintf(out, "          allowNaN: true\n");
		}
	}
	any_quality_header(out, &quality_open);
	fprintf(out, "      - metric: rowCount\n        description: ");
	char desc[96];
	snprintf(desc, sizeof desc, "%lld rows when the contract was written", (long long)ds->n_rows);
	yq(out, desc);
	fprintf(out, "\n        mustBeGreaterThan: 0\n");
	if (ferror(out))
		rc = pv_err_set(err, PV_EIO, "write error");
done:
	pv_ev_scan_close(&es);
	pv_profile_free(prof);
	return rc;
}
