/*
 * bloom.h - a column chunk's split-block bloom filter, read on demand, and
 * the probe behind `--bloom COLUMN=VALUE`: the text a user typed becomes
 * the PLAIN bytes of the column's physical type, hashed with xxHash64 and
 * checked against the bitset (format/pages.h does the hashing and the
 * bit test).
 * Includes base, format and io; nothing above read.
 */
#ifndef PV_BLOOM_H
#define PV_BLOOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "format/meta.h"
#include "format/pages.h"
#include "format/schema.h"
#include "io/source.h"

/* The longest BloomFilterHeader accepted (it is about 15 bytes in
 * practice; unknown fields may make it longer). */
#define PV_BLOOM_HEADER_MAX ((size_t)4096)

typedef enum pv_bloom_result {
	PV_BLOOM_NO_FILTER = 0,          /* the chunk has no bloom filter */
	PV_BLOOM_DEFINITELY_ABSENT = 1,  /* the value is not in the chunk */
	PV_BLOOM_MAYBE_PRESENT = 2       /* the value may be in the chunk */
} pv_bloom_result;

/* "no filter", "definitely absent", "maybe present"; "unknown" otherwise. */
const char *pv_bloom_result_name(int r);

/* A bloom filter as read from the file. The caller owns the struct. */
typedef struct pv_bloom_filter {
	int64_t offset;          /* file offset of the header */
	size_t header_len;
	pv_bloom_header header;
	const uint8_t *bitset;   /* n_bytes, inside mem */
	size_t n_bytes;
	int n_reads;             /* reads it took: 1 with bloom_filter_length, else 2 */
	uint8_t *mem;            /* owned */
} pv_bloom_filter;

/* Reads cc's bloom filter from bloom_filter_offset: with
 * bloom_filter_length, one read of exactly that many bytes; without it, a
 * small read for the header and one for the bitset it announces. On
 * success release *out with pv_bloom_filter_release. Errors:
 *   PV_ENOTFOUND     "no bloom filter" (the chunk has none);
 *   PV_EUNSUPPORTED  an algorithm, hash or compression other than
 *                    BLOCK / XXHASH / UNCOMPRESSED; an encrypted chunk;
 *   PV_ELIMIT        a bitset above PV_BLOOM_MAX_BYTES;
 *   PV_ECORRUPT      an offset or length outside the file, a header that
 *                    does not parse, a bitset longer than bloom_filter_length
 *                    or running past the end of the file;
 *   PV_EIO, PV_ENOMEM.
 * On failure *out is empty (safe to release). Thread-safe for distinct
 * outputs (the source may be shared). */
int pv_bloom_filter_read(pv_source *src, const pv_column_chunk *cc, pv_bloom_filter *out,
			 pv_err *err);

/* Frees the memory. NULL allowed. */
void pv_bloom_filter_release(pv_bloom_filter *bf);

/* False only when the value with this xxHash64 is certainly absent. */
bool pv_bloom_filter_check(const pv_bloom_filter *bf, uint64_t hash);

/* The PLAIN bytes a bloom filter hashes for one value. ptr points into buf
 * or into the text it was made from. */
typedef struct pv_bloom_key {
	const uint8_t *ptr;
	size_t len;
	uint8_t buf[64];
} pv_bloom_key;

/* Converts text (as typed on a command line) to the PLAIN encoding of
 * leaf's physical type:
 *   BOOLEAN     "true" / "false" (one byte, 1 or 0);
 *   INT32/INT64 a decimal integer (range-checked; unsigned logical types
 *               accept 0 .. 2^32-1 / 2^64-1); DATE also "YYYY-MM-DD";
 *               DECIMAL(p,s) "12.34" -> the unscaled integer at scale s
 *               (digits past s must be zeros);
 *   FLOAT/DOUBLE a number as strtod reads it ("nan", "inf" included);
 *   BYTE_ARRAY  the text's bytes (UTF-8 as typed); DECIMAL as the minimal
 *               big-endian two's complement of the unscaled value;
 *   FIXED_LEN_BYTE_ARRAY  UUID "8-4-4-4-12" hex digits; DECIMAL sign-
 *               extended big-endian to the type length; otherwise the
 *               text's bytes, which must be exactly the type length.
 * PV_EINVAL "'abc' is not a valid INT64 for column 'x'" when the text does
 * not convert; PV_EUNSUPPORTED for INT96 and FLOAT16 columns. */
int pv_bloom_key_from_text(const pv_schema_node *leaf, const char *text, pv_bloom_key *out,
			   pv_err *err);

/* Converts value_text for leaf (pv_bloom_key_from_text), reads cc's bloom
 * filter (pv_bloom_filter_read) and checks the value's xxHash64 in it.
 * *out is PV_BLOOM_NO_FILTER when the chunk has none. The text is checked
 * even then, so a typo is an error whether or not a filter exists.
 * Errors as those two functions (PV_ENOTFOUND never: that is NO_FILTER). */
int pv_bloom_probe(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf,
		   const char *value_text, pv_bloom_result *out, pv_err *err);

#endif
