/*
 * testutil.h - what every cmocka unit test includes.
 * Finds the shared corpus through PARQVIEW_TESTDATA.
 */
#ifndef PV_TESTUTIL_H
#define PV_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The corpus root (".../testdata"); fails the test if absent. */
static inline const char *pv_test_corpus(void)
{
	const char *d = getenv("PARQVIEW_TESTDATA");
	if (!d || !*d)
		d = "../shared/testdata";
	return d;
}

/* Writes "<corpus>/parquet-testing/<rel>" into out. */
static inline const char *pv_test_file(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/parquet-testing/%s", pv_test_corpus(), rel);
	return out;
}

#endif
