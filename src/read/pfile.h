/*
 * pfile.h - one Parquet file's footer, read and parsed: what every command
 * starts from.
 *
 * pv_pfile_load reads the footer with as few reads as the file allows: one
 * read of the last PV_PFILE_TAIL bytes (the whole file when smaller), which
 * holds the entire footer of most files, and one more only when the footer
 * is longer. It parses the FileMetaData and builds the schema tree into the
 * pfile's own arena, capped at PV_PFILE_ARENA_CAP (a footer that claims a
 * million columns is PV_ELIMIT, not an OOM).
 * The leading "PAR1" is checked when the tail read covers the file's start.
 * Encrypted footers ("PARE") are PV_EUNSUPPORTED with a message saying so.
 * Includes base, format and io.
 */
#ifndef PV_PFILE_H
#define PV_PFILE_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/schema.h"
#include "io/source.h"

#define PV_PFILE_TAIL ((size_t)64 * 1024)
#define PV_PFILE_ARENA_CAP ((size_t)1 << 30)

typedef struct pv_pfile {
	char *path;            /* as given; owned */
	int64_t size;          /* bytes on disk */
	int64_t footer_len;    /* serialized FileMetaData bytes */
	int n_reads;           /* reads it took to get the footer (1 or 2) */
	int64_t rows;          /* rows a reader yields: the row groups' sum when they
	                        * add up (old parquet-rs wrote 0 in num_rows), else
	                        * the footer's num_rows */
	pv_arena arena;        /* meta, schema and everything they point to */
	pv_file_meta *meta;
	pv_schema *schema;
} pv_pfile;

/* Reads and parses the footer of src. On success *out is a new pfile (free
 * with pv_pfile_free); its path is copied from the source. Errors carry the
 * reason only (the caller prefixes the path): PV_ECORRUPT, PV_EUNSUPPORTED,
 * PV_ELIMIT, PV_EIO, PV_ENOMEM. Thread-safe for distinct sources. */
int pv_pfile_load(pv_source *src, pv_pfile **out, pv_err *err);

/* Opens path, loads its footer and closes the file again (datasets of
 * thousands of files must not keep a descriptor each). Errors are prefixed
 * with the path: "x.parquet: not a parquet file (no PAR1 magic at the end)". */
int pv_pfile_open(const char *path, pv_pfile **out, pv_err *err);

/* NULL allowed. */
void pv_pfile_free(pv_pfile *pf);

/* Sum over row groups of total uncompressed and compressed column bytes. */
void pv_pfile_sizes(const pv_pfile *pf, int64_t *out_compressed, int64_t *out_uncompressed);

#endif
