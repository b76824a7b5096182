/*
 * topk.h - value counts: exact while a column has few distinct values,
 * then Misra-Gries heavy hitters with a known undercount.
 *
 * Values are identified by a 64-bit hash (hll.h's pv_hll_hash of the
 * value's canonical bytes; two values that collide count as one, which
 * for 65,536 values happens with probability below 1e-9). Each entry
 * keeps a display text of at most PV_TOPK_TEXT bytes, set by the caller
 * when the entry is new.
 *
 * Exact mode counts every distinct value until there are more than
 * exact_max of them; then the table turns into a Misra-Gries summary of
 * at most 2k counters: when it is full, the (k+1)-th largest count c is
 * subtracted from every counter and counters at or below zero are
 * dropped. Every count is then low by at most `error` (the sum of the
 * subtracted c, never more than n / (k+1)) and never high; a value whose
 * count exceeds error + n / (k + 1) is always present. Merging adds
 * counts (errors add) and shrinks the same way, which keeps the bound
 * over the union (Agarwal et al., "Mergeable summaries", 2012).
 *
 * Caller-owned (pv_topk_init / pv_topk_release); not thread-safe.
 * Functions returning int give 0 or PV_ENOMEM. Includes only base and
 * analyze.
 */
#ifndef PV_TOPK_H
#define PV_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_TOPK_TEXT 46
/* Texts live in blocks of this many bytes (the first grows up to it),
 * so a growing table never copies them. */
#define PV_TOPK_BLOCK_BITS 16
#define PV_TOPK_EXACT_MAX 65536
#define PV_TOPK_K 256

typedef struct pv_topk_entry {
	uint64_t hash;
	int64_t count;
	uint32_t text_off;      /* the text: text_len bytes in block text_off >>
	                         * PV_TOPK_BLOCK_BITS, at the rest */
	uint8_t text_len;
	bool text_cut;          /* the value was longer than the text kept */
} pv_topk_entry;

typedef struct pv_topk {
	size_t exact_max;       /* distinct values counted exactly */
	size_t k;               /* counters kept once approximate (up to 2k) */
	bool exact;             /* every value is counted exactly */
	pv_topk_entry *entries; /* dense, n_entries of them */
	size_t n_entries, cap_entries;
	uint32_t *index;        /* open addressing: entry + 1, 0 empty; at
	                         * most 3/4 full */
	size_t index_cap;       /* power of two */
	int64_t n;              /* values counted (sum of weights) */
	int64_t error;          /* counts may be low by this much (0 when exact) */
	char **blocks;          /* the entries' texts, back to back; a text
	                         * never straddles two blocks */
	size_t n_blocks;
	size_t block0_cap;      /* bytes of blocks[0] (the others are full) */
	size_t pool_len;        /* the next text's offset */
} pv_topk;

/* exact_max 0: PV_TOPK_EXACT_MAX; k 0: PV_TOPK_K. */
void pv_topk_init(pv_topk *t, size_t exact_max, size_t k);
void pv_topk_release(pv_topk *t); /* NULL allowed */

/* Counts weight (>= 1) occurrences of the value with this hash. When the
 * value gets a new entry, *out_new is set and *out_entry points at it so
 * the caller can fill its text (pv_topk_set_text); the pointer is valid
 * until the next call. */
int pv_topk_add(pv_topk *t, uint64_t hash, int64_t weight, pv_topk_entry **out_entry,
		bool *out_new);

/* Sets a new entry's text (cut at a UTF-8 boundary to PV_TOPK_TEXT
 * bytes). Returns 0 or PV_ENOMEM. */
int pv_topk_set_text(pv_topk *t, pv_topk_entry *e, const char *s, size_t n);

/* An entry's text (text_len bytes, not NUL-terminated), valid until the
 * next change to t. */
static inline const char *pv_topk_text(const pv_topk *t, const pv_topk_entry *e)
{
	return t->n_blocks ? t->blocks[e->text_off >> PV_TOPK_BLOCK_BITS] +
				     (e->text_off & (((uint32_t)1 << PV_TOPK_BLOCK_BITS) - 1))
			   : "";
}

/* dst := dst + src. */
int pv_topk_merge(pv_topk *dst, const pv_topk *src);

/* The distinct values counted while exact (meaningless otherwise). */
size_t pv_topk_distinct(const pv_topk *t);

/* Up to max entries with the highest counts (ties broken by text), into
 * out (caller's array of max pointers, valid until the next change).
 * Returns how many. */
size_t pv_topk_top(const pv_topk *t, const pv_topk_entry **out, size_t max);

/* Restores an entry as saved: hash, count, text. For profile_state.c. */
int pv_topk_restore(pv_topk *t, uint64_t hash, int64_t count, const char *text, size_t n,
		    bool cut);

#endif
