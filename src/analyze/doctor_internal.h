/*
 * doctor_internal.h - what the doctor's files share and nothing else
 * includes: the sort orders values are compared in (doctor_values.c), the
 * per-column-chunk check (doctor_chunk.c) and the layout advice
 * (doctor_layout.c). Includes base, format, io, read and analyze/doctor.h.
 */
#ifndef PV_DOCTOR_INTERNAL_H
#define PV_DOCTOR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/doctor.h"
#include "format/schema.h"
#include "io/source.h"
#include "read/arrowtype.h"
#include "read/chunk.h"
#include "read/pfile.h"

/* ------------------------------------------------------------------ values */

/* The sort order min/max statistics use for a leaf (parquet.thrift's
 * ColumnOrder TYPE_ORDER), over values in their PLAIN form. */
typedef enum pv_doc_ord_kind {
	PV_DOC_ORD_NONE = 0, /* undefined: INT96, INTERVAL, geo, unknown logical types */
	PV_DOC_ORD_BOOL,     /* false < true */
	PV_DOC_ORD_I32,      /* signed INT32 (also INT(8/16), DATE, TIME, decimals) */
	PV_DOC_ORD_I64,
	PV_DOC_ORD_U32,      /* unsigned INT32 (UINT_8/16/32, INT(n, false)) */
	PV_DOC_ORD_U64,
	PV_DOC_ORD_F32,      /* IEEE numeric order, NaN left out, -0 == +0 */
	PV_DOC_ORD_F64,
	PV_DOC_ORD_F16,      /* FLOAT16 on FIXED_LEN_BYTE_ARRAY(2) */
	PV_DOC_ORD_BYTES,    /* unsigned lexicographic (strings, binary, FLBA, UUID) */
	PV_DOC_ORD_BYTES_SIGNED, /* signed bytes: how legacy min/max were written */
	PV_DOC_ORD_DEC_BE    /* big-endian two's complement decimals of any length */
} pv_doc_ord_kind;

typedef struct pv_doc_ord {
	pv_doc_ord_kind kind;
	const pv_schema_node *leaf;
	pv_leaftype lt;
	size_t fixed_len;    /* PLAIN length of every value, 0 for BYTE_ARRAY */
	bool can_hash;       /* the PLAIN bytes rebuilt from decoded values are the
	                      * stored ones, so bloom filter hashes can be checked */
	bool is_text;        /* STRING / JSON / ENUM: UTF-8 is checked */
} pv_doc_ord;

void pv_doc_ord_init(pv_doc_ord *o, const pv_schema_node *leaf);

/* Whether statistics bytes of length n can be a value of o's type. */
bool pv_doc_len_ok(const pv_doc_ord *o, size_t n);

/* <0, 0, >0 in o's order; both values must pass pv_doc_len_ok and not be
 * NaN. kind overrides o->kind (for legacy statistics). */
int pv_doc_cmp(const pv_doc_ord *o, pv_doc_ord_kind kind, const uint8_t *a, size_t an,
	       const uint8_t *b, size_t bn);

/* True for a NaN float. */
bool pv_doc_is_nan(const pv_doc_ord *o, const uint8_t *p, size_t n);

/* The PLAIN bytes of decoded value vi of b (as read/chunk.h hands them
 * out): *out_p points into b or into tmp. */
void pv_doc_plain(const pv_doc_ord *o, const pv_colbuf *b, size_t vi, uint8_t tmp[40],
		  const uint8_t **out_p, size_t *out_n);

/* The offset of the first byte of p that does not start valid UTF-8, or -1. */
int64_t pv_doc_utf8_bad(const uint8_t *p, size_t n);

/* The text of a PLAIN value for a report (at most ~120 characters), or
 * "(N bytes)" when it does not decode; malloc'd, NULL on ENOMEM. */
char *pv_doc_text(const pv_doc_ord *o, const uint8_t *p, size_t n);

/* ------------------------------------------------------------------ one chunk */

/* What the layout advice needs to know of a chunk once it was checked. */
typedef struct pv_doc_chunk {
	size_t rg, col;
	pv_doctor_list findings;
	bool checked;            /* the column was selected and the check ran */
	int64_t n_data_pages, n_dict_pages;
	int64_t n_fallback_pages; /* non-dictionary data pages after a dictionary page */
	int64_t n_values, n_pages;
	bool has_stats, has_offset_index, has_column_index, has_bloom;
	bool values_ok;          /* every value was decoded */
	bool has_minmax;         /* amin/amax hold the data's min and max */
	uint8_t *amin, *amax;    /* PLAIN bytes, malloc'd (NULL when too long) */
	size_t amin_len, amax_len;
} pv_doc_chunk;

typedef struct pv_doc_file {
	const pv_pfile *pf;
	pv_source *src;          /* shared by the workers */
	int64_t *rg_first_row;   /* file row of each row group's first row */
} pv_doc_file;

/* Runs every chunk-level check on chunk out->rg/out->col (set by the
 * caller, the rest zeroed). Findings land in out->findings. Thread-safe for
 * distinct chunks. */
void pv_doc_chunk_check(const pv_doc_file *f, pv_doc_chunk *out);

void pv_doc_chunk_release(pv_doc_chunk *c);

/* ------------------------------------------------------------------ advice */

/* Thresholds (README "doctor" repeats them). */
#define PV_DOC_SMALL_RG_BYTES ((int64_t)64 << 20)
#define PV_DOC_SMALL_RG_ROWS ((int64_t)100000)
#define PV_DOC_MANY_RG 8
#define PV_DOC_LARGE_RG_BYTES ((int64_t)1 << 30)
#define PV_DOC_BIG_CHUNK_BYTES ((int64_t)8 << 20)

/* Appends advice for one file to out, from its footer and the checked
 * chunks (chunks[rg * n_leaves + col]). */
void pv_doc_advise(const pv_pfile *pf, const pv_doc_chunk *chunks, pv_doctor_list *out);

#endif
