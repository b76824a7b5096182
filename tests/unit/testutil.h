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

#include <dirent.h>
#include <sys/stat.h>

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

/* A sorted list of file paths (strdup'ed), for corpus-wide tests. */
typedef struct pv_test_files {
	char **paths;
	size_t n, cap;
} pv_test_files;

static inline int pv_test_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void pv_test_files_add(pv_test_files *l, const char *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
		assert_non_null(l->paths);
	}
	l->paths[l->n] = strdup(p);
	assert_non_null(l->paths[l->n]);
	l->n++;
}

/* Appends every *.parquet under dir (recursively, dot names skipped; the
 * encrypted corpus files end in ".encrypted" and are left out) and keeps
 * the whole list sorted. A missing dir adds nothing. */
static inline void pv_test_list_parquet(pv_test_files *l, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[1024];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p, &st) != 0)
			continue;
		size_t n = strlen(de->d_name);
		if (S_ISDIR(st.st_mode))
			pv_test_list_parquet(l, p);
		else if (n > 8 && strcmp(de->d_name + n - 8, ".parquet") == 0)
			pv_test_files_add(l, p);
	}
	closedir(d);
	if (l->n > 1) /* paths is NULL while the list is empty: no qsort(NULL) */
		qsort(l->paths, l->n, sizeof *l->paths, pv_test_cmp_str);
}

static inline void pv_test_files_free(pv_test_files *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof *l);
}

#endif
