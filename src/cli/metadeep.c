/* TEMPORARY: replaced once the read layer lands */
#include "cli/metadeep.h"
#include "base/banned.h"
int pv_metadeep_human(const pv_pfile *pf, size_t g, bool pages, bool index, const char *bloom,
		      pv_metadeep_filter selected, const void *ctx, const pv_term *term,
		      const pv_table_style *style, pv_err *err)
{
	return pv_err_set(err, PV_EUNSUPPORTED, "not yet");
}
int pv_metadeep_json(pv_json *j, const pv_pfile *pf, size_t g, size_t c, bool pages, bool index,
		     const char *bloom)
{
	return 3;
}
