/*
 * tokenize.h - how long a text is in tokens: two estimates that need no
 * vocabulary, and the exact count of a Hugging Face tokenizer.json whose
 * model is BPE (GPT-2, RoBERTa, Llama 2/3, Mistral, Qwen 2/2.5, Gemma...).
 *
 * The count is the length of the tokenizers crate's
 * encode(text, add_special_tokens=false): added tokens (special or not)
 * written in the text count one each, and the tokens the post-processor
 * would add around the text (a BOS, [CLS]/[SEP]) are not counted;
 * pv_tokenizer_template_tokens says how many those are.
 *
 * Supported components: normalizers NFC, NFD, NFKC, NFKD, Lowercase,
 * Prepend, Replace (String or Regex), Strip, StripAccents and Sequence;
 * pre-tokenizers ByteLevel (with or without its regex, add_prefix_space),
 * Split (String or Regex pattern, every behavior, invert), Metaspace
 * (replacement, prepend_scheme, split), Digits, Whitespace,
 * WhitespaceSplit, Punctuation, BertPreTokenizer and Sequence; the BPE
 * model with merges as "a b" or [a, b], byte_fallback (<0xNN> tokens),
 * unk_token and fuse_unk, ignore_merges, continuing_subword_prefix and
 * end_of_word_suffix; added_tokens with normalized, lstrip, rstrip and
 * single_word (word characters: ASCII letters, digits, '_'). Regexes run
 * on PCRE2 with UTF and UCP (Onig's syntax as tokenizer.json files use
 * it: \p{L}, (?i:...), lookahead). Invalid UTF-8 in a text counts as
 * U+FFFD per bad byte. The file's truncation and padding are ignored: the
 * count is the whole text's. Anything else (a WordPiece or Unigram model, the
 * Precompiled or BertNormalizer normalizer, BPE dropout...) is refused
 * when loading, naming the component.
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

typedef struct pv_tokenizer pv_tokenizer;

/* Loads a tokenizer.json with the components above. Errors, one line
 * starting "tokenizer 'PATH'": PV_ENOTFOUND/PV_EIO for the file; PV_EINVAL
 * "line L: ..." for JSON that does not parse; PV_EUNSUPPORTED naming a
 * component that is not implemented ("normalizer 'Precompiled' is not
 * supported") or a pattern PCRE2 does not compile; PV_ECORRUPT for a
 * missing field or a merge whose parts or result are not in the
 * vocabulary; PV_ELIMIT past the caps. Free with pv_tokenizer_free. */
int pv_tokenizer_load(const char *path, pv_tokenizer **out, pv_err *err);

/* NULL allowed. */
void pv_tokenizer_free(pv_tokenizer *t);

/* The number of tokens of s[0..n) (see above). Keeps a cache of pieces
 * and scratch buffers, so one tokenizer belongs to one thread at a time.
 * -1 when memory runs out or a pattern hits PCRE2's match limit. */
int64_t pv_tokenizer_count(pv_tokenizer *t, const char *s, size_t n);

/* Tokens the post-processor adds to one text with add_special_tokens=true
 * (Llama 2's <s>: 1; BERT's [CLS] [SEP]: 2; ByteLevel or none: 0); -1 for
 * a post-processor not understood. */
int64_t pv_tokenizer_template_tokens(const pv_tokenizer *t);

#endif
