/*
 * footerread.c - benchmark baseline: the least work any reader must do to
 * see the footers of many files: list a directory, and for each file open
 * it, read its last 64 KiB (the footer of a small file), read the rest of
 * the footer if it is longer, and close it. No parsing.
 *
 * usage: footerread DIR [THREADS]
 * Uses the same thread pool as parqview so the comparison is like for like.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cursor.h"
#include "base/pool.h"
#include "base/banned.h"

struct job {
	char **paths;
	atomic_llong bytes;
};

static void one(void *arg, size_t i)
{
	struct job *j = arg;
	static _Thread_local unsigned char buf[64 * 1024];
	int fd = open(j->paths[i], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size >= 12) {
		size_t n = st.st_size < (off_t)sizeof buf ? (size_t)st.st_size : sizeof buf;
		ssize_t got = pread(fd, buf, n, st.st_size - (off_t)n);
		if (got == (ssize_t)n) {
			uint32_t len = pv_load_u32le(buf + n - 8);
			atomic_fetch_add(&j->bytes, len);
			if ((size_t)len + 8 > n && (off_t)len + 8 <= st.st_size) {
				char *big = malloc(len);
				if (big && pread(fd, big, len, st.st_size - 8 - len) < 0)
					perror("pread");
				free(big);
			}
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: footerread DIR [THREADS]\n");
		return 2;
	}
	int threads = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0;
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 1;
	}
	size_t n = 0, cap = 1024;
	char **paths = malloc(cap * sizeof *paths);
	struct dirent *e;
	while (paths && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap)
			paths = realloc(paths, (cap *= 2) * sizeof *paths);
		size_t len = strlen(argv[1]) + strlen(e->d_name) + 2;
		paths[n] = malloc(len);
		snprintf(paths[n++], len, "%s/%s", argv[1], e->d_name);
	}
	closedir(d);
	struct job j = { paths, 0 };
	pv_pool_for(threads, n, one, &j);
	printf("%zu files, %lld footer bytes\n", n, (long long)j.bytes);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return 0;
}
