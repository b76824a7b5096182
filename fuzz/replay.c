/*
 * replay.c - runs a libFuzzer target over stored inputs as an ordinary test
 * (SQLite's fuzzcheck idea). Arguments are directories (every regular file
 * in them, sorted, dot files skipped) or files. Prints TAP: "1..N", then
 * "ok i - name" after each input returns; a crash kills the process before
 * its line, which the runner counts as a failure. No inputs at all gives
 * "1..0" and "# no corpus" and exits 0.
 * Calls LLVMFuzzerInitialize first when the target defines it.
 * Links with one fuzz_*.c and the library; includes only the C library.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

typedef struct list {
	char **v;
	size_t n, cap;
} list;

static void add(list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			fprintf(stderr, "replay: out of memory\n");
			exit(1);
		}
		l->v = v;
		l->cap = cap;
	}
	size_t n = strlen(path) + 1;
	l->v[l->n] = malloc(n);
	if (!l->v[l->n]) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	memcpy(l->v[l->n++], path, n);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(list *l, const char *arg)
{
	struct stat st;
	if (stat(arg, &st) != 0) {
		printf("# no such file or directory '%s'\n", arg);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		add(l, arg);
		return;
	}
	DIR *d = opendir(arg);
	if (!d) {
		printf("# cannot open directory '%s'\n", arg);
		return;
	}
	size_t first = l->n;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		int n = snprintf(path, sizeof path, "%s/%s", arg, de->d_name);
		if (n < 0 || (size_t)n >= sizeof path)
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			add(l, path);
	}
	closedir(d);
	qsort(l->v + first, l->n - first, sizeof *l->v, cmp);
}

static uint8_t *slurp(const char *path, size_t *out_n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*out_n = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	list l = { 0 };
	for (int i = 1; i < argc; i++)
		collect(&l, argv[i]);
	if (l.n == 0) {
		printf("1..0\n# no corpus\n");
		return 0;
	}
	printf("1..%zu\n", l.n);
	fflush(stdout);
	int failed = 0;
	for (size_t i = 0; i < l.n; i++) {
		size_t n = 0;
		uint8_t *data = slurp(l.v[i], &n);
		if (!data) {
			printf("not ok %zu - %s # cannot read\n", i + 1, l.v[i]);
			failed = 1;
		} else {
			/* An exact-size copy lets ASan see reads past the input. */
			uint8_t *exact = malloc(n ? n : 1);
			if (!exact) {
				fprintf(stderr, "replay: out of memory\n");
				return 1;
			}
			if (n)
				memcpy(exact, data, n);
			free(data);
			LLVMFuzzerTestOneInput(exact, n);
			free(exact);
			printf("ok %zu - %s\n", i + 1, l.v[i]);
		}
		fflush(stdout);
		free(l.v[i]);
	}
	free(l.v);
	return failed;
}
