/*
 * contract_init.c - a starting ODCS contract for a dataset: one schema
 * object with a property per column (logicalType, physicalType, required
 * when the footers count no NULL, partitioned for hive keys, maxLength of
 * text columns from one scan of them) and a rowCount rule. The written
 * contract passes `parqview check` on the same data. Must not include sql
 * or cli.
 */
#include "analyze/contract_int.h"

#include <stdlib.h>
#include <string.h>

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

/* The longest text (characters) of every string column, in one scan. */
static int text_lengths(const pv_dataset *ds, const pv_atype *t, int64_t *maxlen, pv_err *err)
{
	pv_buf cols;
	pv_buf_init(&cols, 0);
	size_t n = 0;
	size_t *which = calloc(t->n_children ? t->n_children : 1, sizeof *which);
	if (!which)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < t->n_children; i++) {
		const pv_atype *ct = pv_atype_value(t->children[i]);
		if (ct->kind == PV_AK_STRING || ct->kind == PV_AK_STRVIEW) {
			pv_buf_printf(&cols, NULL, "%s%s", n ? "," : "", ds->columns[i].name);
			which[n++] = i;
		}
	}
	int rc = 0;
	if (n) {
		pv_ev_scan es;
		rc = pv_ev_scan_open(&es, ds, cols.data, true, err);
		while (!rc) {
			struct ArrowArray arr = { 0 };
			int64_t first;
			if ((rc = pv_ev_scan_next(&es, &arr, &first, err)) || !arr.release)
				break;
			for (size_t k = 0; !rc && k < n; k++) {
				for (int64_t i = 0; !rc && i < arr.length; i++) {
					pv_acell row = { es.t, &arr, i }, c = pv_acell_field(&row, k);
					bool null;
					const uint8_t *p;
					size_t len;
					if ((rc = pv_acell_resolve(&c, &null, err)) || null)
						continue;
					if ((rc = pv_acell_bytes(&c, &p, &len, err)))
						break;
					int64_t l = pv_utf8_chars((const char *)p, len);
					if (l > maxlen[which[k]])
						maxlen[which[k]] = l;
				}
			}
			arr.release(&arr);
		}
		pv_ev_scan_close(&es);
	}
	free(which);
	pv_buf_release(&cols);
	return rc;
}

int pv_contract_init_write(const struct pv_dataset *ds, const char *name, const char *server_path,
			   FILE *out, pv_err *err)
{
	pv_ev_scan es = { 0 };
	const pv_atype *t = NULL;
	int64_t *maxlen = calloc(ds->n_columns ? ds->n_columns : 1, sizeof *maxlen);
	int rc = maxlen ? 0 : pv_err_set(err, PV_ENOMEM, "out of memory");
	if (!rc && !(rc = pv_ev_scan_open(&es, ds, NULL, false, err)))
		t = es.t;
	if (!rc && t->n_children != ds->n_columns)
		rc = pv_err_set(err, PV_EINTERNAL, "scan columns do not match the dataset");
	if (!rc)
		rc = text_lengths(ds, t, maxlen, err);
	if (rc)
		goto done;
	fprintf(out, "# A starting data contract (Open Data Contract Standard v3.1) written by\n"
		     "# `parqview contract init` from the schema, footer statistics and one scan\n"
		     "# of the text columns. Tighten the bounds, then run `parqview check`.\n");
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
		int64_t nulls;
		if (pv_contract_footer_nulls(ds, (long)i, &nulls)) {
			if (nulls == 0)
				fprintf(out, "        required: true\n");
			else
				fprintf(out, "        # %lld NULLs in %lld rows\n", (long long)nulls,
					(long long)ds->n_rows);
		}
		if (col->is_partition)
			fprintf(out, "        partitioned: true\n");
		if (maxlen[i] > 0)
			fprintf(out, "        logicalTypeOptions:\n          maxLength: %lld\n",
				(long long)maxlen[i]);
	}
	fprintf(out, "    quality:\n      - metric: rowCount\n        description: ");
	char desc[96];
	snprintf(desc, sizeof desc, "%lld rows when the contract was written", (long long)ds->n_rows);
	yq(out, desc);
	fprintf(out, "\n        mustBeGreaterThan: 0\n");
	if (ferror(out))
		rc = pv_err_set(err, PV_EIO, "write error");
done:
	pv_ev_scan_close(&es);
	free(maxlen);
	return rc;
}
