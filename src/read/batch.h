/*
 * batch.h - the rows of a Parquet file as Arrow C Data Interface batches:
 * the library's public value-reading API.
 *
 * A row group reader (pv_rgreader) decodes any row range of one row group
 * for a set of top-level fields and hands it out as one "+s" struct array
 * whose children are the fields; pv_batch_stream_open wraps a whole file
 * as an ArrowArrayStream. Types follow read/arrowtype.h (README "Batches"
 * lists every Parquet type and the Arrow format it becomes); nested fields
 * (structs, lists, maps, legacy lists, bare repeated fields) are assembled
 * from repetition and definition levels (read/assemble.h).
 *
 * Random access: a read of rows [first, first + count) decodes only the
 * pages holding them. The reader finds the first page with the chunk's
 * OffsetIndex when it has one, else by walking page headers (no
 * decompression; nested v1 pages, whose row counts only their repetition
 * levels tell, are decompressed for their levels but their values are not
 * decoded), and inside a page it skips values with the decoders' skip
 * functions. Consecutive or increasing reads continue where the last one
 * stopped; a backward jump re-seeks using the pages already seen.
 *
 * Errors carry their place, from the outside in: "row group 3: column
 * 'price': page 12: rle: ..." (the caller adds the file path). Codes:
 * PV_ECORRUPT for bytes that break the format, PV_EUNSUPPORTED (LZO,
 * encrypted columns, columns in other files, unknown encodings), PV_ELIMIT
 * for a page or batch above the caps, PV_EIO, PV_ENOMEM, PV_EINVAL for bad
 * arguments.
 * Includes base, format, io and read.
 */
#ifndef PV_BATCH_H
#define PV_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arrowc.h"
#include "base/err.h"
#include "io/source.h"
#include "read/pfile.h"

typedef struct pv_batch_opts {
	bool verify_crc;       /* check page CRCs where pages carry them (PV_ECORRUPT
	                        * "page 3: crc mismatch (stored 0x..., computed 0x...)") */
	size_t max_page_bytes; /* 0: 1 GiB. Cap on one page's compressed and
	                        * uncompressed size, on a dictionary's decoded size and
	                        * on what one page's value count may expand to
	                        * (levels and Arrow values); above it PV_ELIMIT */
	size_t max_batch_bytes; /* 0: PV_BATCH_MAX_OFFSET. Cap on what one column of one
	                        * read may decode: its values (string bytes included)
	                        * and its levels; above it PV_ELIMIT "... read fewer
	                        * rows" (a nested row can hold any number of values) */
	int n_threads;         /* threads one read may decode its columns on: 0 the
	                        * machine's CPUs (for big reads, see pv_rgreader_read),
	                        * 1 the calling thread only */
	size_t stream_min;     /* pages decompressing to at least this many bytes
	                        * stream (read/chunk.h); 0: the chunk reader's default */
	size_t keep_page_min;  /* after pv_rgreader_set_next, a page the next row lies
	                        * in is kept only when it decompresses to at least this
	                        * many bytes (a smaller one is cheaper to decompress
	                        * again than to hold); 0: always kept */
} pv_batch_opts;

/* The page cap when opts->max_page_bytes is 0. */
#define PV_BATCH_DEFAULT_PAGE_CAP ((size_t)1 << 30)

/* The most bytes one batch column may hold in a string/binary values
 * buffer or list child (int32 offsets): past it a read is PV_ELIMIT
 * ("... exceed 2 GiB in one batch: read fewer rows"). */
#define PV_BATCH_MAX_OFFSET ((int64_t)INT32_MAX)

/* The Arrow schema of pf's top-level fields `fields` (indices into
 * pf->schema->root->children; NULL means all, in order): format "+s", one
 * child per selected field named after it, ARROW_FLAG_NULLABLE on optional
 * fields. The struct itself is not nullable. On success the caller owns
 * *out and must call out->release. Errors: PV_EINVAL for an index out of
 * range; PV_ENOMEM. Thread-safe. */
int pv_batch_schema(const pv_pfile *pf, const size_t *fields, size_t n_fields,
		    struct ArrowSchema *out, pv_err *err);

/* A column chunk's average data page, uncompressed, in bytes, from its
 * encoding statistics when it has them; else the whole chunk's size (as
 * if it were one page). Pure. */
int64_t pv_batch_page_estimate(const pv_column_chunk *cc);

/* A reader over one row group of one file for the selected fields. It
 * keeps each column's decoded dictionary and current page, so consecutive
 * or increasing reads are cheap. src is borrowed and must outlive the
 * reader (pv_source_read is thread-safe, so several readers may share
 * it); pf is borrowed likewise. One reader is not thread-safe; distinct
 * readers may run on distinct threads. */
typedef struct pv_rgreader pv_rgreader;

/* Opens a reader on row group `row_group` of pf (read from src) for the
 * top-level fields `fields` (as pv_batch_schema; NULL = all). opts may be
 * NULL (defaults). No page is read yet. On success *out is a new reader
 * (free with pv_rgreader_close); on failure *out is NULL. Errors:
 * PV_EINVAL for a row group or field out of range; PV_EUNSUPPORTED for a
 * selected column that is encrypted or stored in another file
 * ("row group 0: column 'a': ..."); PV_ENOMEM. */
int pv_rgreader_open(pv_source *src, const pv_pfile *pf, size_t row_group, const size_t *fields,
		     size_t n_fields, const pv_batch_opts *opts, pv_rgreader **out, pv_err *err);

/* Rows in the reader's row group (its footer's num_rows). */
int64_t pv_rgreader_rows(const pv_rgreader *r);

/* Rows [first, first + count) of the row group (0-based within it) as a
 * struct array "+s" of length count whose children match pv_batch_schema
 * for the same fields (no validity buffer; null_count 0). The caller owns
 * *out and releases it with out->release; the batch does not depend on
 * the reader and stays valid after pv_rgreader_close. Requests may come
 * in any order; count 0 gives an empty batch. Errors: PV_EINVAL when
 * first < 0, count < 0 or first + count > pv_rgreader_rows; PV_ECORRUPT
 * (also when a column holds fewer rows than the footer says), PV_ELIMIT,
 * PV_EUNSUPPORTED, PV_EIO, PV_ENOMEM as the header says, prefixed
 * "row group R: column 'path': ". On failure *out is released (release ==
 * NULL) and the reader may still be used for other reads. */
int pv_rgreader_read(pv_rgreader *r, int64_t first, int64_t count, struct ArrowArray *out,
		     pv_err *err);

/* Tells the reader which row (0-based within the row group) the caller
 * reads after the next pv_rgreader_read: each column then gives back its
 * page buffers as soon as it has read, unless that row lies in the same
 * page (pv_chunk_drop_page). -1 (the default, and after every read):
 * unknown, pages are kept for a read that continues. Readers that jump,
 * as a sample does, peak at about one page per thread instead of one per
 * column (with keep_page_min, also when the next row is in the page). */
void pv_rgreader_set_next(pv_rgreader *r, int64_t next);

/* NULL allowed. */
void pv_rgreader_close(pv_rgreader *r);

/* An ArrowArrayStream over the whole file at path, in row group order,
 * in batches of at most batch_rows rows (<= 0: 65536); a batch never
 * spans two row groups, and empty row groups give no batch. fields,
 * n_fields and opts as pv_rgreader_open (fields is copied). The file's
 * footer is read here (errors prefixed with the path, as pv_pfile_open
 * does); pages are read by get_next. get_schema gives pv_batch_schema;
 * get_next returns 0 and a batch, 0 and a released array at the end, or
 * an errno value (EIO for data errors, ENOMEM, EINVAL) with
 * get_last_error saying "PATH: row group 1: column 'a': page 3: ...".
 * On success the caller owns *out (out->release closes the file). Not
 * thread-safe: one stream, one thread. */
int pv_batch_stream_open(const char *path, const size_t *fields, size_t n_fields,
			 const pv_batch_opts *opts, int64_t batch_rows,
			 struct ArrowArrayStream *out, pv_err *err);

#endif
