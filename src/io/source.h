/*
 * source.h - a byte source that Parquet readers pull ranges from.
 *
 * A pv_source is a heap object behind a small vtable (read, close), so a
 * local file today and HTTP range requests later look the same to the
 * readers above. Every read is exact: it returns all n bytes or an error,
 * and a range past the end is PV_ECORRUPT (a footer that lies about an
 * offset), never a short read. The source counts its reads so tests and
 * benchmarks can assert the number of round trips.
 * Includes only base; knows nothing about Parquet.
 */
#ifndef PV_SOURCE_H
#define PV_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct pv_source pv_source;

/* The backend interface. A backend only sees in-range requests: the
 * pv_source_read wrapper has already checked offset + n <= size. */
typedef struct pv_source_ops {
	const char *name; /* "file", "memory", later "http" */
	/* Reads exactly n bytes at offset into buf; 0 or a negative pv_code.
	 * Must be safe to call from several threads at once. */
	int (*read)(void *impl, int64_t offset, void *buf, size_t n, pv_err *err);
	/* Releases impl. May be NULL. */
	void (*close)(void *impl);
} pv_source_ops;

typedef struct pv_source_stats {
	uint64_t n_reads; /* successful pv_source_read calls that reached the backend */
	uint64_t n_bytes; /* bytes they returned */
} pv_source_stats;

/* Opens the local file at path read-only (close-on-exec) and takes its
 * size. Errors: PV_ENOTFOUND "cannot open 'PATH': No such file or
 * directory"; PV_EIO with strerror for other open/fstat failures;
 * PV_EINVAL "'PATH' is a directory" or "'PATH' is not a regular file"
 * (FIFOs are refused without blocking). On success *out is a new source
 * to free with pv_source_close; on failure *out is NULL. */
int pv_source_open(const char *path, pv_source **out, pv_err *err);

/* A source over n caller-owned bytes (fuzz targets, tests); data must
 * outlive the source. name is copied and shown in messages. Free with
 * pv_source_close. */
int pv_source_open_mem(const void *data, size_t n, const char *name, pv_source **out,
                       pv_err *err);

/* A source over a custom backend. impl is handed to ops and released by
 * ops->close when the source closes (also when this call fails). name is
 * copied; size must be >= 0. Free with pv_source_close. */
int pv_source_open_ops(const pv_source_ops *ops, void *impl, const char *name, int64_t size,
                       pv_source **out, pv_err *err);

/* Closes the backend and frees the source. NULL allowed. */
void pv_source_close(pv_source *src);

/* The size in bytes, taken when the source was opened. */
int64_t pv_source_size(const pv_source *src);

/* The path or name the source was opened with (owned by the source). */
const char *pv_source_path(const pv_source *src);

/* Reads exactly n bytes at offset into buf. Errors: PV_ECORRUPT "read of N
 * bytes at offset O runs past the end of the file (size S)" when the range
 * is not inside the file (negative offsets included); PV_EIO when the
 * operating system fails or the file shrank. n == 0 succeeds without a
 * read. Thread-safe: concurrent reads on one source are fine (pread). */
int pv_source_read(pv_source *src, int64_t offset, void *buf, size_t n, pv_err *err);

/* Reads the last n bytes of the source (a Parquet footer). PV_ECORRUPT when
 * the source is shorter than n. */
int pv_source_read_tail(pv_source *src, void *buf, size_t n, pv_err *err);

/* The read counters since open or the last reset. Thread-safe. */
pv_source_stats pv_source_stats_get(const pv_source *src);
void pv_source_stats_reset(pv_source *src);

#endif
