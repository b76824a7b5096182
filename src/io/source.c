/*
 * source.c - byte sources: the local file backend (pread), an in-memory
 * backend, and the checked, counted read wrapper they share.
 * Includes only base and io.
 */
#include "io/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/banned.h"

struct pv_source {
	const pv_source_ops *ops;
	void *impl;
	char *path;
	int64_t size;
	atomic_uint_least64_t n_reads;
	atomic_uint_least64_t n_bytes;
};

/* ---- local file ---- */

typedef struct file_impl {
	int fd;
	const char *path; /* the source's copy, for messages */
} file_impl;

static int file_read(void *impl, int64_t offset, void *buf, size_t n, pv_err *err)
{
	file_impl *f = impl;
	char *p = buf;
	while (n > 0) {
		/* pread takes at most SSIZE_MAX; Linux caps a call near 2 GiB anyway */
		size_t chunk = n > ((size_t)1 << 30) ? ((size_t)1 << 30) : n;
		ssize_t got = pread(f->fd, p, chunk, (off_t)offset);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return pv_err_set(err, PV_EIO, "cannot read '%s' at offset %lld: %s", f->path,
			                  (long long)offset, strerror(errno));
		}
		if (got == 0)
			return pv_err_set(err, PV_EIO,
			                  "'%s' ended early at offset %lld (did the file shrink?)",
			                  f->path, (long long)offset);
		p += got;
		n -= (size_t)got;
		offset += got;
	}
	return 0;
}

static void file_close(void *impl)
{
	file_impl *f = impl;
	if (!f)
		return;
	close(f->fd);
	free(f);
}

static const pv_source_ops file_ops = { "file", file_read, file_close };

/* ---- memory ---- */

typedef struct mem_impl {
	const unsigned char *data;
} mem_impl;

static int mem_read(void *impl, int64_t offset, void *buf, size_t n, pv_err *err)
{
	const mem_impl *m = impl;
	memcpy(buf, m->data + offset, n);
	return 0;
}

static void mem_close(void *impl)
{
	free(impl);
}

static const pv_source_ops mem_ops = { "memory", mem_read, mem_close };

/* ---- the source ---- */

int pv_source_open_ops(const pv_source_ops *ops, void *impl, const char *name, int64_t size,
                       pv_source **out, pv_err *err)
{
	*out = NULL;
	if (size < 0) {
		if (ops->close)
			ops->close(impl);
		return pv_err_set(err, PV_EINVAL, "negative size for source '%s'", name);
	}
	pv_source *s = calloc(1, sizeof *s);
	char *path = strdup(name ? name : "");
	if (!s || !path) {
		free(s);
		free(path);
		if (ops->close)
			ops->close(impl);
		return pv_err_set(err, PV_ENOMEM, "out of memory opening '%s'", name);
	}
	s->ops = ops;
	s->impl = impl;
	s->path = path;
	s->size = size;
	atomic_init(&s->n_reads, 0);
	atomic_init(&s->n_bytes, 0);
	*out = s;
	return 0;
}

int pv_source_open(const char *path, pv_source **out, pv_err *err)
{
	*out = NULL;
	/* O_NONBLOCK so that opening a FIFO does not wait for a writer; it has
	 * no effect on reads from regular files. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return pv_err_set(err, e == ENOENT ? PV_ENOTFOUND : PV_EIO, "cannot open '%s': %s",
		                  path, strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return pv_err_set(err, PV_EIO, "cannot stat '%s': %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return pv_err_set(err, PV_EINVAL, "'%s' is a directory", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return pv_err_set(err, PV_EINVAL, "'%s' is not a regular file", path);
	}
	file_impl *f = malloc(sizeof *f);
	if (!f) {
		close(fd);
		return pv_err_set(err, PV_ENOMEM, "out of memory opening '%s'", path);
	}
	f->fd = fd;
	f->path = NULL;
	int rc = pv_source_open_ops(&file_ops, f, path, (int64_t)st.st_size, out, err);
	if (rc)
		return rc;
	f->path = (*out)->path;
	return 0;
}

int pv_source_open_mem(const void *data, size_t n, const char *name, pv_source **out,
                       pv_err *err)
{
	*out = NULL;
	if (n > (size_t)INT64_MAX)
		return pv_err_set(err, PV_ELIMIT, "memory source '%s' is too large", name);
	mem_impl *m = malloc(sizeof *m);
	if (!m)
		return pv_err_set(err, PV_ENOMEM, "out of memory opening '%s'", name);
	m->data = data;
	return pv_source_open_ops(&mem_ops, m, name, (int64_t)n, out, err);
}

void pv_source_close(pv_source *src)
{
	if (!src)
		return;
	if (src->ops->close)
		src->ops->close(src->impl);
	free(src->path);
	free(src);
}

int64_t pv_source_size(const pv_source *src)
{
	return src->size;
}

const char *pv_source_path(const pv_source *src)
{
	return src->path;
}

int pv_source_read(pv_source *src, int64_t offset, void *buf, size_t n, pv_err *err)
{
	if (n == 0)
		return 0;
	/* offset + n <= size, written so that nothing can overflow */
	if (offset < 0 || offset > src->size || n > (uint64_t)(src->size - offset))
		return pv_err_set(err, PV_ECORRUPT,
		                  "read of %zu bytes at offset %lld runs past the end of the file "
		                  "(size %lld)",
		                  n, (long long)offset, (long long)src->size);
	int rc = src->ops->read(src->impl, offset, buf, n, err);
	if (rc)
		return rc;
	atomic_fetch_add_explicit(&src->n_reads, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&src->n_bytes, (uint64_t)n, memory_order_relaxed);
	return 0;
}

int pv_source_read_tail(pv_source *src, void *buf, size_t n, pv_err *err)
{
	if (n > (uint64_t)src->size)
		return pv_err_set(err, PV_ECORRUPT,
		                  "'%s' is %lld bytes, too short to hold the last %zu bytes", src->path,
		                  (long long)src->size, n);
	return pv_source_read(src, src->size - (int64_t)n, buf, n, err);
}

pv_source_stats pv_source_stats_get(const pv_source *src)
{
	pv_source_stats st;
	/* the counters are only read, but C11 wants a non-const atomic */
	pv_source *s = (pv_source *)src;
	st.n_reads = atomic_load_explicit(&s->n_reads, memory_order_relaxed);
	st.n_bytes = atomic_load_explicit(&s->n_bytes, memory_order_relaxed);
	return st;
}

void pv_source_stats_reset(pv_source *src)
{
	atomic_store_explicit(&src->n_reads, 0, memory_order_relaxed);
	atomic_store_explicit(&src->n_bytes, 0, memory_order_relaxed);
}
