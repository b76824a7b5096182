/*
 * dynlib.c - dlopen/dlsym with one-line errors that name the Debian package
 * (see dynlib.h). Includes base/ and the C library only.
 */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	"dlsym results must fit a function pointer");

/* soname appears as a whole item of the comma-separated list. */
static bool listed_missing(const char *soname)
{
	const char *list = getenv("PARQVIEW_TEST_MISSING_LIBS");
	if (!list || !*list)
		return false;
	size_t n = strlen(soname);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && memcmp(p, soname, n) == 0)
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

void *pv_dynlib_open(const char *soname, const char *package, const char *what,
		     pv_err *err)
{
	if (!listed_missing(soname)) {
		void *h = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
		if (h)
			return h;
		const char *why = dlerror();
		/* a library that is there but broken says why; one that is not
		 * there says which package brings it */
		if (why && !strstr(why, "No such file")) {
			pv_err_set(err, PV_EUNSUPPORTED, "library '%s' cannot be loaded: %s",
				   soname, why);
			return NULL;
		}
	}
	pv_err_set(err, PV_ENOTFOUND,
		   "library '%s' not found: install the Debian package '%s' "
		   "(scripts/bootstrap does) to use %s", soname, package, what);
	return NULL;
}

int pv_dynlib_bind(void *h, const char *soname, const char *name, void *out,
		   size_t ptr_size, pv_err *err)
{
	void *sym = dlsym(h, name);
	if (!sym || ptr_size != sizeof sym)
		return pv_err_set(err, PV_EUNSUPPORTED, "library '%s' has no '%s' (too old?)",
				  soname, name);
	memcpy(out, &sym, sizeof sym);
	return 0;
}

int pv_dynlib_load(pv_dynlib *l, pv_err *err)
{
	pthread_mutex_lock(&l->lock);
	if (!l->done) {
		pv_err_clear(&l->err);
		void *h = pv_dynlib_open(l->soname, l->package, l->what, &l->err);
		for (size_t i = 0; h && i < l->n; i++)
			if (pv_dynlib_bind(h, l->soname, l->names[i], (char *)l->table + i * sizeof(void *),
					   sizeof(void *), &l->err))
				break;
		l->done = true;
	}
	int rc = l->err.code;
	if (rc && err)
		pv_err_copy(err, &l->err);
	pthread_mutex_unlock(&l->lock);
	return rc;
}
