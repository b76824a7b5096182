/*
 * contract_schema.c - the schemaCompatible check: the data's schema
 * snapshot (analyze/snapshot.h, from the footers) against a snapshot saved
 * with `parqview schema --save`, through the schema diff (analyze/diff.h).
 * A change offends when it is not informational and neither its kind nor
 * its class is in the rule's `allow` list; without a list, when it is
 * breaking. Must not include sql or cli.
 */
#include "analyze/contract_int.h"

#include <string.h>

#include "analyze/diff.h"
#include "analyze/snapshot.h"
#include "base/banned.h"

static bool allowed(const pv_rule *r, const pv_change *ch)
{
	if (ch->cls == PV_CHANGE_INFO)
		return true;
	if (!r->n_allowed)
		return ch->cls != PV_CHANGE_BREAKING;
	for (size_t i = 0; i < r->n_allowed; i++)
		if (!strcmp(r->allowed[i], ch->kind) ||
		    !strcmp(r->allowed[i], pv_change_class_name(ch->cls)))
			return true;
	return false;
}

int pv_ev_schema_compatible(pv_ev_rule *e, const pv_dataset *ds, pv_err *err)
{
	const pv_rule *r = e->r;
	pv_snapshot *old = NULL, *cur = NULL;
	pv_diff *d = NULL;
	pv_diff_opts o;
	pv_diff_opts_init(&o);
	o.no_stats = true; /* statistics are the data's business, not the schema's */
	int rc = pv_snapshot_load(r->snapshot, &old, err);
	if (!rc)
		rc = pv_snapshot_from_dataset(ds, NULL, &cur, err);
	if (!rc)
		rc = pv_diff_compute(old, cur, &o, &d, err);
	if (rc)
		goto done;
	e->res->source = PV_SRC_OTHER;
	size_t n = pv_diff_n_changes(d);
	for (size_t i = 0; i < n; i++) {
		const pv_change *ch = pv_diff_change(d, i);
		if (allowed(r, ch))
			continue;
		e->n_bad++;
		pv_ev_fail_row(e, -1,
			       pv_arena_printf(e->arena, NULL, "%s %s %s: %s -> %s",
					       pv_change_class_name(ch->cls), ch->kind,
					       ch->column ? ch->column : "(dataset)",
					       ch->old_value ? ch->old_value : "(none)",
					       ch->new_value ? ch->new_value : "(none)"),
			       ch->message ? pv_arena_strndup(e->arena, ch->message, strlen(ch->message), NULL)
					   : NULL);
	}
	pv_ev_judge(e, (double)e->n_bad, ds->n_rows);
	e->res->n_offending = e->n_bad;
	e->res->detail = pv_arena_printf(e->arena, NULL,
					 "%zu changes since the snapshot (%zu breaking, %zu compatible, "
					 "%zu info); %lld not allowed",
					 n, pv_diff_n_class(d, PV_CHANGE_BREAKING),
					 pv_diff_n_class(d, PV_CHANGE_COMPATIBLE),
					 pv_diff_n_class(d, PV_CHANGE_INFO), (long long)e->n_bad);
done:
	pv_diff_free(d);
	pv_snapshot_free(cur);
	pv_snapshot_free(old);
	return rc;
}
