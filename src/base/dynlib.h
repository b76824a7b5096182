/*
 * dynlib.h - shared libraries loaded on first use (dlopen/dlsym), so that a
 * command maps only the libraries it needs: libmicrohttpd (and GnuTLS behind
 * it) for `serve`, libedit for the interactive `sql` shell, libduckdb for
 * SQL, libsnappy for snappy pages. Each user keeps its own table of
 * function pointers, filled once by pv_dynlib_load; this file opens,
 * binds and words the errors. Includes base/err.h and the C library only.
 */
#ifndef PV_DYNLIB_H
#define PV_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* A library and the symbols a user binds from it, loaded once: a static
 * per library, set up with PV_DYNLIB_INIT. table points at a struct of
 * pointers (function or data, one per name, in names' order; the user
 * checks sizeof table == n * sizeof(void *)), filled by pv_dynlib_load. */
typedef struct pv_dynlib {
	const char *soname;       /* "libmicrohttpd.so.12" */
	const char *package;      /* the Debian package: "libmicrohttpd12" */
	const char *what;         /* what needs it, for the error: "serve" */
	const char *const *names; /* the symbols */
	size_t n;
	void *table;
	pthread_mutex_t lock;
	bool done;
	pv_err err;               /* the outcome, fixed once done */
} pv_dynlib;

#define PV_DYNLIB_INIT(soname, package, what, names, table) \
	{ (soname), (package), (what), (names), sizeof(names) / sizeof((names)[0]), (table), \
	  PTHREAD_MUTEX_INITIALIZER, false, { 0 } }

/* Opens l's library and binds its names into its table on the first call;
 * every call returns that outcome: 0, or the errors of pv_dynlib_open and
 * pv_dynlib_bind (the same each time). Thread-safe. */
int pv_dynlib_load(pv_dynlib *l, pv_err *err);

/* Opens soname (e.g. "libmicrohttpd.so.12") through the system loader,
 * RTLD_LAZY | RTLD_LOCAL: functions are bound on their first call. Returns
 * the handle (never closed: the tables that point into it live until exit),
 * or NULL with err set:
 *   PV_ENOTFOUND  "library 'SONAME' not found: install the Debian package
 *                 'PACKAGE' (scripts/bootstrap does) to use WHAT"
 *   PV_EUNSUPPORTED  the file exists but cannot be loaded (dlerror's text).
 * For tests, the environment variable PARQVIEW_TEST_MISSING_LIBS (a list of
 * sonames separated by commas) makes the listed sonames behave as missing.
 * Thread-safe (dlopen is). */
void *pv_dynlib_open(const char *soname, const char *package, const char *what,
		     pv_err *err);

/* Looks up name in h and stores the address in the function pointer (or
 * data pointer) at out, whose size is ptr_size (sizeof the pointer).
 * PV_EUNSUPPORTED "library 'SONAME' has no 'NAME' (too old?)" when absent. */
int pv_dynlib_bind(void *h, const char *soname, const char *name, void *out,
		   size_t ptr_size, pv_err *err);

#endif
