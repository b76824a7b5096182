/*
 * tokenize_int.h - the parts of a loaded tokenizer.json that tokenize.c
 * (counting) and tokenizer_json.c (loading) share: the normalizer and
 * pre-tokenizer steps, the BPE model's tables and the added tokens.
 * Private to those two files. Includes only base and analyze.
 */
#ifndef PV_TOKENIZE_INT_H
#define PV_TOKENIZE_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicase.h>
#include <uninorm.h>

#include "analyze/contract_int.h"
#include "analyze/tokenize.h"
#include "base/buf.h"

/* PCRE2 and libunistring are opened on first use (tokenize_libs.c): call
 * through these tables, filled by the loaders below. A loader returns 0, or
 * dynlib's one-line error naming the Debian package (PV_ENOTFOUND) or a
 * missing symbol (PV_EUNSUPPORTED); the outcome is fixed after the first
 * call, and the calls are thread-safe. */
struct pv_pcre2_table {
	__typeof__(pcre2_compile) *compile;
	__typeof__(pcre2_jit_compile) *jit_compile;
	__typeof__(pcre2_code_free) *code_free;
	__typeof__(pcre2_match_data_create) *match_data_create;
	__typeof__(pcre2_match_data_free) *match_data_free;
	__typeof__(pcre2_match) *match;
	__typeof__(pcre2_get_ovector_pointer) *get_ovector_pointer;
	__typeof__(pcre2_get_error_message) *get_error_message;
};
struct pv_unistring_table {
	__typeof__(u8_normalize) *normalize;
	__typeof__(u8_tolower) *tolower;
	uninorm_t nfc, nfd, nfkc, nfkd; /* libunistring's uninorm_nf* objects */
};
extern struct pv_pcre2_table pv_pcre2;
extern struct pv_unistring_table pv_unistring;
int pv_tok_pcre2_load(pv_err *err);
int pv_tok_unistring_load(pv_err *err);

/* Normalizers, a Sequence flattened into its steps. */
enum tok_norm_kind {
	TN_NFC,
	TN_NFD,
	TN_NFKC,
	TN_NFKD,
	TN_LOWERCASE,
	TN_PREPEND,	  /* str: prepended to a non-empty text */
	TN_REPLACE,	  /* the literal str or re, replaced by str2 */
	TN_STRIP,	  /* left, right: Unicode white space */
	TN_STRIP_ACCENTS, /* re = \p{M}, replaced by nothing */
};

/* How a split keeps what the pattern matched (the tokenizers crate's
 * SplitDelimiterBehavior). */
enum tok_behavior { TB_REMOVED, TB_ISOLATED, TB_MERGED_PREV, TB_MERGED_NEXT, TB_CONTIGUOUS };

/* Pre-tokenizers, a Sequence flattened. Whitespace, WhitespaceSplit,
 * Punctuation, Digits and BertPreTokenizer become one or two TP_SPLIT
 * steps on a built-in pattern. */
enum tok_pre_kind {
	TP_SPLIT,     /* re or the literal str, behavior, invert */
	TP_BYTELEVEL, /* add_prefix_space; re (GPT-2's pattern) when use_regex */
	TP_METASPACE, /* str: replacement; prepend: 0 never, 1 always, 2 first; split */
};

typedef struct tok_norm {
	enum tok_norm_kind kind;
	char *str, *str2; /* malloc'ed */
	size_t n_str, n_str2;
	pcre2_code *re;
	bool left, right;
} tok_norm;

typedef struct tok_pre {
	enum tok_pre_kind kind;
	pcre2_code *re;
	char *str;
	size_t n_str;
	enum tok_behavior behavior;
	bool invert;
	bool add_prefix_space;
	int prepend;
	bool split;
} tok_pre;

/* A read-only hash map from byte strings to ids, built once. */
typedef struct tok_vocab {
	struct tok_vslot {
		uint64_t hash; /* 0: empty */
		uint32_t off, len;
		int64_t id;
	} * slots;
	size_t n_slots, n_used;
	pv_buf bytes;
} tok_vocab;

/* A read-only hash map from a pair of ids to (rank, merged id). */
typedef struct tok_merges {
	struct tok_mslot {
		uint64_t key; /* (a + 1) << 32 | (b + 1); 0: empty */
		int64_t rank, id;
	} * slots;
	size_t n_slots, n_used;
} tok_merges;

typedef struct tok_added {
	char *content; /* malloc'ed */
	size_t len;
	bool normalized; /* matched in the normalized text, as normalized */
	bool lstrip, rstrip, single_word;
} tok_added;

struct pv_tokenizer {
	char *path;
	tok_norm *norms;
	size_t n_norms;
	tok_pre *pres;
	size_t n_pres;
	tok_vocab vocab;
	tok_merges merges;
	/* (last code point of a, first of b) of every merge a + b, as ids in
	 * a tok_merges: a piece may be cut between two characters no merge
	 * joins, when can_cut (no ignore_merges, prefix, suffix, or merge of
	 * an <unk> or <0xNN> token), and the parts counted on their own */
	tok_merges cross;
	bool can_cut;
	int64_t unk_id; /* -1: no unk_token */
	bool byte_fallback, fuse_unk, ignore_merges;
	char *prefix, *suffix; /* continuing_subword_prefix, end_of_word_suffix; NULL when none */
	size_t n_prefix, n_suffix;
	int64_t byte_ids[256]; /* <0xNN>; -1 when absent */
	tok_added *added;
	size_t n_added;
	uint16_t added_first[256][2]; /* added tokens by first byte: [start, end) into by_first */
	uint32_t *by_first;	      /* indices into added, longest first */
	int64_t n_template;	      /* special tokens the post-processor adds to one text */
	/* per-count state */
	pcre2_match_data *md;
	pv_kset cache; /* piece -> count in `first` */
	pv_buf in;     /* the text with invalid UTF-8 replaced */
	pv_buf n1, n2; /* normalizer steps, one after the other */
	pv_buf p1, p2; /* pre-tokenizer steps: the pieces' texts */
	pv_buf tmp;
	struct tok_seg {
		size_t off, len;
		int64_t tok; /* index into added, or -1 for text */
	} * so, *si;	     /* added-token splits: of the input, of a normalized section */
	size_t n_so_cap, n_si_cap;
	struct tok_match {
		size_t off, len;
		bool match;
	} * mv;
	size_t n_mv_cap;
	struct tok_piece {
		size_t off, len;
		bool first; /* starts the text: Metaspace's prepend_scheme "first" */
	} * pa, *pb;
	size_t n_pa_cap, n_pb_cap;
	struct tok_sym {
		int64_t id;
		int32_t prev, next;
		bool dead;
	} * syms;
	size_t n_syms_cap;
	struct tok_heap {
		int64_t rank, id;
		int32_t pos;
	} * heap;
	size_t n_heap_cap;
};

/* Vocabulary lookups: the id, or -1. */
int64_t pv_tok_vocab_get(const tok_vocab *v, const char *s, size_t n);

/* The first and the last code point of non-empty well-formed UTF-8. */
unsigned pv_tok_cp_first(const char *s, size_t n);
unsigned pv_tok_cp_last(const char *s, size_t n);

/* Applies the normalizer steps to s[0..n): *out points at the result,
 * which lives in t->n1 or t->n2 (or is s itself without steps). */
int pv_tok_normalize(pv_tokenizer *t, const char *s, size_t n, const char **out, size_t *out_n,
		     pv_err *err);

/* Loads the JSON's components into t (tokenizer_json.c). Errors as
 * pv_tokenizer_load. */
int pv_tok_load_json(pv_tokenizer *t, const char *path, pv_err *err);

#endif
