/*
 * tokenize.h - how long a text is in tokens: two estimates that need no
 * vocabulary, and the exact count of a Hugging Face tokenizer.json
 * byte-level BPE (GPT-2, RoBERTa, Llama 3 style) read with jansson.
 *
 * The BPE follows the GPT-2 recipe: the text is split into pre-tokens
 * ('s 't 're 've 'm 'll 'd, an optional space followed by letters, by
 * digits or by other symbols, runs of whitespace), each pre-token's bytes
 * are mapped to the byte-level alphabet (bytes 33-126, 161-172, 174-255 as
 * themselves, the others as U+0100 onwards), and adjacent symbols are
 * merged by the rank of the merges list until no merge applies. The count
 * is the number of symbols left. One documented approximation: "letters"
 * are ASCII letters and every code point from U+0080 up except the
 * Unicode spaces NBSP, U+2000-U+200A, U+3000; "digits" are ASCII digits.
 * Added and special tokens are not matched in the text.
 * Includes only base and analyze.
 */
#ifndef PV_TOKENIZE_H
#define PV_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Largest tokenizer.json read; vocabulary and merges caps. */
#define PV_TOKENIZER_MAX_BYTES ((size_t)256 << 20)
#define PV_TOKENIZER_MAX_VOCAB 4000000

/* Runs of non-whitespace (ASCII whitespace separates). */
int64_t pv_tokens_whitespace(const char *s, size_t n);

/* The byte estimate: ceil(n / 4), about the ratio of English text in
 * GPT-style BPE vocabularies. */
int64_t pv_tokens_bytes(size_t n);

/* Code points of UTF-8 text: bytes that are not continuation bytes. */
int64_t pv_utf8_chars(const char *s, size_t n);

typedef struct pv_tokenizer pv_tokenizer;

/* Loads a tokenizer.json whose model is "BPE" with a ByteLevel
 * pre-tokenizer (alone or in a Sequence). Errors: PV_ENOTFOUND/PV_EIO for
 * the file; PV_EINVAL "FILE: line L: ..." for JSON that does not parse;
 * PV_EUNSUPPORTED for another model or pre-tokenizer; PV_ECORRUPT for a
 * merge whose parts or result are not in the vocabulary; PV_ELIMIT past
 * the caps. Free with pv_tokenizer_free. */
int pv_tokenizer_load(const char *path, pv_tokenizer **out, pv_err *err);

/* NULL allowed. */
void pv_tokenizer_free(pv_tokenizer *t);

/* The number of tokens of s[0..n). Keeps a cache of pre-tokens, so one
 * tokenizer belongs to one thread at a time. -1 only when memory runs out. */
int64_t pv_tokenizer_count(pv_tokenizer *t, const char *s, size_t n);

#endif
