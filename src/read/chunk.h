/*
 * chunk.h - one column chunk read as rows: pages fetched, checked
 * (sizes, CRC), decompressed, their levels decoded and their values
 * decoded into Arrow's value layout; positioned at any row by the
 * OffsetIndex or a header walk, skipping values instead of decoding them.
 *
 * A pv_chunk reader hands out a run of rows at a time as a pv_colbuf: the
 * definition and repetition levels of those rows and their non-null
 * values, dense, already converted as read/arrowtype.h says. Assembling
 * nested arrays from that is read/assemble.h's job.
 *
 * Pages. Data pages v1 (levels inside the compressed body: RLE with a
 * 4-byte length, or the old BIT_PACKED) and v2 (levels uncompressed in
 * front with byte lengths in the header, the rest compressed only when
 * is_compressed, possibly zero bytes), one dictionary page (PLAIN or
 * PLAIN_DICTIONARY, decoded once and kept), index pages and unknown page
 * types skipped. Every size is checked before anything is allocated: a
 * page's compressed and uncompressed sizes and a dictionary's against
 * max_page_bytes, and a page's value count against what its bytes and the
 * cap allow (levels take 2 bytes a level and array, values their Arrow
 * width); a page or header running past the chunk is PV_ECORRUPT.
 * CRCs (CRC-32, zlib's crc32, over the page bytes after the header as
 * stored, i.e. compressed, levels of v2 pages included) are checked when
 * verify_crc is set and the page carries one.
 *
 * Rows. Flat columns have one row per level. In nested columns a row
 * starts at each repetition level 0; pages of version 2 and of chunks with
 * an OffsetIndex start at row boundaries (the spec requires it), v1 pages
 * without one may continue the previous page's last row, which the reader
 * follows. Seeking uses, in order: the pages already seen (a directory of
 * each data page's offset, first row and row count); the OffsetIndex (read
 * once, on the first seek that leaves the current page); a walk over page
 * headers that skips bodies, counting rows from the headers where they
 * tell (flat columns, v2 pages) and from decoded repetition levels where
 * they do not (nested v1 pages: decompressed and levels decoded, values
 * untouched). Inside a page, rows are skipped by counting levels and the
 * values they hold are skipped with the decoders' skip functions, lazily:
 * a page whose values are never read is never value-decoded.
 *
 * Leniency (the values stay unambiguous, so reading goes on):
 *   - a chunk whose OffsetIndex cannot be read or is inconsistent with
 *     the chunk is read by walking its page headers instead;
 *   - bytes of a page after its values, and pages after the chunk's
 *     num_values have been read, are ignored;
 *   - a v2 page's level sections that the column cannot have (repetition
 *     levels of a column without repeated fields, definition levels of a
 *     required one) are skipped, unless num_nulls says a REQUIRED column
 *     holds nulls (PV_ECORRUPT "required column holds N nulls"); a v1 page
 *     of a required column has no definition levels to read, so one that
 *     carries them fails on its values ("plain: ... the page has ...");
 *   - the encoding layer's own leniencies (RLE bit width 0 means every
 *     value is 0, as bad_data/ARROW-GH-43605 needs; runs longer than the
 *     page's values are cut; see encoding/rle.h and encoding/delta.h);
 *   - a v2 page's num_nulls is not checked against its levels (the levels
 *     are what is read).
 * Everything else is PV_ECORRUPT naming the page ("page 3: ..."):
 * repetition levels that do not start a row at the start of the chunk
 * ("repetition levels start at 1") or of a v2 or indexed page, levels
 * above their maximum, fewer levels or values than the header says, a v2
 * page whose num_rows disagrees with its levels, an OffsetIndex row count
 * that disagrees with the page, a chunk that ends before the rows asked
 * for, a negative dictionary size, dictionary indices out of range, a
 * dictionary page after data pages or a second one, a dictionary-encoded
 * page without a dictionary, uncompressed bodies whose sizes disagree.
 * A dictionary page's own errors name the dictionary page.
 *
 * Streaming. A compressed page of a streaming codec (codec.h: ZSTD, GZIP,
 * BROTLI) whose decompressed body reaches stream_min bytes is not
 * decompressed whole: its compressed bytes are read in blocks and
 * decompressed into a sliding window as values are needed, so reading the
 * first rows of a 100 MiB page decompresses a few hundred KiB and holds a
 * window, not the page. A page that the read in progress takes whole
 * (its rows, or its levels when they are not known yet, fit in what the
 * read still wants) streams only from 4 * stream_min bytes: below that a
 * window saves nothing, and a codec stream per page (a new context, and
 * its copies out of the codec's own window) cost a full decode of 1 MiB
 * pages a tenth of its time. The RLE levels of a v1 page (at the body's front)
 * are copied out and decoded as rows are reached (counted once at load for
 * the page's rows and values); PLAIN values and dictionary indices are
 * then decoded straight from the window, and skipping values inside the
 * page decompresses what precedes them without keeping it. Other
 * encodings take the rest of the body into the window at once (whole, as
 * before). A page read to its end is
 * checked to the end of its stream, so a page that decompresses to more
 * or fewer bytes than its header says fails with the codec's message when
 * it is read through; a read that stops early never looks at the rest,
 * so it cannot see such a lie. Reading back inside a streamed page starts
 * its stream again. With verify_crc, pages are read whole (the CRC covers
 * the whole page). A read of a few rows (at most 1024) that enters a page
 * of 64 KiB or more holding at least 8 times those rows streams it too,
 * whatever stream_min says (but not when it is SIZE_MAX), starting from a
 * 64 KiB window and 64 KiB reads that double as the reading goes on: the
 * first rows of a file cost about one codec block per column.
 *
 * Memory: a reader holds its read window, the current page (decompressed
 * bytes and levels, or its stream window) and the dictionary. Big scratch
 * buffers, and the arrays of a pv_colbuf, come from and go back to the
 * process-wide spare cache (base/spare.h), so readers opened row group
 * after row group, and batch after batch, reuse memory instead of
 * faulting in fresh pages every time. A read first reserves room in an
 * empty pv_colbuf for its rows, estimated from the footer's sizes for the
 * chunk (only a hint: at most 4 KiB of strings and 64 levels per row, and
 * 128 MiB per array).
 *
 * Not thread-safe: one reader, one thread; readers of distinct chunks may
 * share the source across threads. Includes base, format, io, codec,
 * encoding and read/arrowtype.h.
 */
#ifndef PV_CHUNK_H
#define PV_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "format/meta.h"
#include "format/schema.h"
#include "io/source.h"
#include "read/arrowtype.h"
#include "read/pfile.h"

/* ------------------------------------------------------------------ decoded rows */

/* The rows a read produced for one column: levels, and the non-null
 * values (def == max_def) in Arrow form, dense. Caller-owned:
 * pv_colbuf_init / pv_colbuf_release; reads append. The arrays are plain
 * malloc'd memory, so a consumer may take them over (set the pointer to
 * NULL and the sizes to 0 before releasing). */
typedef struct pv_colbuf {
	int16_t *def;          /* n_levels levels; NULL when max_def is 0 (all 0) */
	int16_t *rep;          /* n_levels levels; NULL when max_rep is 0 (all 0) */
	size_t n_levels, levels_cap;
	int64_t n_rows;        /* rows appended */
	size_t n_values;       /* non-null values appended */
	uint8_t *values;       /* fixed width: n_values * width bytes (BOOL: one byte
	                        * per value); BINARY: the bytes of all values */
	size_t values_len, values_cap;
	int32_t *offsets;      /* BINARY: n_values + 1 offsets into values */
	size_t offsets_cap;
	size_t cap;            /* the most bytes values may hold (<= INT32_MAX for
	                        * BINARY), and the levels too; PV_ELIMIT past it */
} pv_colbuf;

/* Empty buffers; cap 0 means PV_COLBUF_DEFAULT_CAP. */
void pv_colbuf_init(pv_colbuf *b, size_t cap);
/* Frees what it holds; NULL allowed. */
void pv_colbuf_release(pv_colbuf *b);
/* Forgets the contents, keeps the memory. */
void pv_colbuf_reset(pv_colbuf *b);

#define PV_COLBUF_DEFAULT_CAP ((size_t)INT32_MAX)

/* ------------------------------------------------------------------ the reader */

typedef struct pv_chunk_opts {
	bool verify_crc;
	size_t max_page_bytes; /* 0: 1 GiB */
	size_t stream_min;     /* pages whose decompressed body has at least this
	                        * many bytes stream (see "Streaming" above); 0:
	                        * PV_CHUNK_STREAM_MIN, or the environment variable
	                        * PARQVIEW_STREAM_MIN when it is set (tests set it
	                        * to 1 to stream every page); SIZE_MAX: never */
} pv_chunk_opts;

#define PV_CHUNK_STREAM_MIN ((size_t)1 << 20)

/* What a reader did, for tests and benchmarks. */
typedef struct pv_chunk_stats {
	int64_t pages_loaded;      /* data pages fetched (and decompressed) */
	int64_t pages_decoded;     /* data pages whose values were decoded (partly or whole) */
	int64_t pages_streamed;    /* data pages read through a window ("Streaming") */
	int64_t headers_walked;    /* headers parsed by seeks without loading the page */
	int64_t values_skipped;    /* values passed over with a decoder's skip */
	int64_t dict_loads;        /* dictionary pages decoded */
	int64_t index_reads;       /* OffsetIndex reads */
	int64_t bytes_read;        /* page bytes read from the source (headers,
	                            * bodies, dictionary; not the OffsetIndex) */
	int64_t bytes_reused;      /* streamed body bytes taken from the bytes
	                            * read with the page header, not read again */
} pv_chunk_stats;

typedef struct pv_chunk pv_chunk;

/* Opens a reader on column `column` (leaf index) of row group
 * `row_group` of pf, read through src (borrowed, as pf). opts may be NULL.
 * No I/O happens here. Errors: PV_EINVAL for indices out of range;
 * PV_EUNSUPPORTED for an encrypted chunk or one in another file;
 * PV_ECORRUPT for a chunk outside the file; PV_ENOMEM. Free with
 * pv_chunk_close. */
int pv_chunk_open(pv_source *src, const pv_pfile *pf, size_t row_group, size_t column,
		  const pv_chunk_opts *opts, pv_chunk **out, pv_err *err);

/* NULL allowed. */
void pv_chunk_close(pv_chunk *c);

/* The leaf this reader reads and its Arrow type. */
const pv_schema_node *pv_chunk_leaf(const pv_chunk *c);
const pv_leaftype *pv_chunk_type(const pv_chunk *c);

/* The row the next pv_chunk_read starts at. */
int64_t pv_chunk_tell(const pv_chunk *c);

/* Positions the reader at row `row` (0-based in the row group) so that the
 * next read starts there. Forward moves within the current page only
 * count levels; others find the page as the header comment says. Errors:
 * PV_EINVAL for a negative row; PV_ECORRUPT "column chunk ends after N
 * rows" when the chunk has fewer rows; the page errors ("page 4: ..."). */
int pv_chunk_seek(pv_chunk *c, int64_t row, pv_err *err);

/* pv_chunk_seek for a pv_chunk_read of n_rows rows that follows: a page
 * the seek loads is read as that read would load it, so that a few rows
 * (at most 1024) in a large page stream from a small window up to them
 * instead of decompressing the whole page ("Streaming"). n_rows <= 0 is
 * pv_chunk_seek. Same errors as pv_chunk_seek. */
int pv_chunk_seek_for(pv_chunk *c, int64_t row, int64_t n_rows, pv_err *err);

/* Appends the next n_rows rows to out (levels, values, n_rows). Errors:
 * PV_ECORRUPT "column chunk ends after N rows" when it runs out, and every
 * page error, prefixed "page K: "; PV_ELIMIT when out's cap is reached;
 * PV_EIO; PV_ENOMEM. After an error the reader re-seeks on its next use
 * and out holds a partial result. */
int pv_chunk_read(pv_chunk *c, int64_t n_rows, pv_colbuf *out, pv_err *err);

/* Gives back the current page's buffers (decompressed page, read window,
 * levels, stream) unless next_row, the row the caller will ask for next,
 * lies in that page; the dictionary stays. For readers that jump (a
 * sample): without it every column keeps a page it will not use again.
 * The next read or seek loads its page as usual. Never fails. */
void pv_chunk_drop_page(pv_chunk *c, int64_t next_row);

/* The decompressed size of the current page's body; 0 when no page is
 * loaded. */
size_t pv_chunk_page_bytes(const pv_chunk *c);

pv_chunk_stats pv_chunk_stats_get(const pv_chunk *c);

#endif
