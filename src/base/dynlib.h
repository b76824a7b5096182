/*
 * dynlib.h - shared libraries loaded on first use (dlopen/dlsym), so that a
 * command maps only the libraries it needs: libmicrohttpd (and GnuTLS behind
 * it) for `serve`, libedit for the interactive `sql` shell, libduckdb for
 * SQL. Each user keeps its own table of function pointers, filled once
 * under pthread_once; this file only opens, binds and words the errors.
 * Includes base/err.h and the C library only.
 */
#ifndef PV_DYNLIB_H
#define PV_DYNLIB_H

#include <stddef.h>

#include "base/err.h"

/* Opens soname (e.g. "libmicrohttpd.so.12") through the system loader,
 * RTLD_LAZY | RTLD_LOCAL: functions are bound on their first call. Returns
 * the handle (never closed: the tables that point into it live until exit),
 * or NULL with err set:
 *   PV_ENOTFOUND  "library 'SONAME' not found: install the Debian package
 *                 'PACKAGE' (scripts/bootstrap does) to use WHAT"
 *   PV_EUNSUPPORTED  the file exists but cannot be loaded (dlerror's text).
 * For tests, the environment variable PARQVIEW_TEST_MISSING_LIBS (a list of
 * sonames separated by commas) makes the listed sonames behave as missing.
 * Thread-safe (dlopen is); callers load once under pthread_once. */
void *pv_dynlib_open(const char *soname, const char *package, const char *what,
		     pv_err *err);

/* Looks up name in h and stores the address in the function pointer (or
 * data pointer) at out, whose size is ptr_size (sizeof the pointer).
 * PV_EUNSUPPORTED "library 'SONAME' has no 'NAME' (too old?)" when absent. */
int pv_dynlib_bind(void *h, const char *soname, const char *name, void *out,
		   size_t ptr_size, pv_err *err);

#endif
