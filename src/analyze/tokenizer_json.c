/*
 * tokenizer_json.c - reads a Hugging Face tokenizer.json (jansson) into a
 * pv_tokenizer: the normalizer and pre-tokenizer steps (regexes compiled
 * with PCRE2, UTF and UCP, JIT when the library has it), the BPE model's
 * vocabulary and merges, the added tokens and how many special tokens the
 * post-processor adds. A component it does not implement is refused with
 * its name, never skipped. Every size read from the file is capped.
 * Counting is in tokenize.c. Must not include sql or cli.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "analyze/tokenize_int.h"
#include "base/banned.h"

/* Steps of a normalizer or pre-tokenizer (Sequences flattened), nesting
 * depth, added tokens, one token's bytes. */
#define TOK_MAX_STEPS 64
#define TOK_MAX_DEPTH 8
#define TOK_MAX_ADDED 65535
#define TOK_MAX_TOKEN 4096

/* GPT-2's pre-tokenizer pattern (ByteLevel with use_regex). */
static const char GPT2_RE[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
/* Rust's char::is_whitespace, \w of the regex crate, and the tokenizers
 * crate's is_punc (ASCII punctuation or Unicode P). */
#define WS_CLASS "\\p{White_Space}"
#define WORD_CLASS "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200C}\\x{200D}"
#define PUNCT_CLASS "[\\p{P}\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}]"

static int compile(pv_tokenizer *t, const char *pat, size_t n, pcre2_code **out, const char *what,
		   pv_err *err)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pv_pcre2.compile((PCRE2_SPTR)pat, n, PCRE2_UTF | PCRE2_UCP, &ec, &eo, NULL);
	if (!re) {
		PCRE2_UCHAR msg[160];
		pv_pcre2.get_error_message(ec, msg, sizeof msg);
		return pv_err_set(err, PV_EUNSUPPORTED,
				  "tokenizer '%s': %s pattern '%.60s': %s at offset %zu", t->path,
				  what, pat, (const char *)msg, (size_t)eo);
	}
	/* without JIT (another architecture) the interpreter gives the same
	 * matches, slower */
	(void)pv_pcre2.jit_compile(re, PCRE2_JIT_COMPLETE);
	*out = re;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* A {"String": s} pattern as the literal *lit, or a {"Regex": r} compiled. */
static int pattern(pv_tokenizer *t, json_t *p, pcre2_code **out, char **lit, size_t *n_lit,
		   const char *what, pv_err *err)
{
	json_t *s = json_object_get(p, "String"), *r = json_object_get(p, "Regex");
	if (json_is_string(s) && json_string_length(s)) {
		*n_lit = json_string_length(s);
		if (!(*lit = dup_n(json_string_value(s), *n_lit)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		return 0;
	}
	if (json_is_string(r))
		return compile(t, json_string_value(r), json_string_length(r), out, what, err);
	return pv_err_set(
	    err, PV_EUNSUPPORTED,
	    "tokenizer '%s': %s pattern is neither {\"String\": ...} nor {\"Regex\": ...}", t->path,
	    what);
}

static const char *type_of(json_t *o)
{
	const char *s = json_string_value(json_object_get(o, "type"));
	return s ? s : "?";
}

static bool flag(json_t *o, const char *key, bool dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static int add_norm(pv_tokenizer *t, tok_norm **out, pv_err *err)
{
	if (t->n_norms >= TOK_MAX_STEPS)
		return pv_err_set(err, PV_ELIMIT, "tokenizer '%s': more than %d normalizers",
				  t->path, TOK_MAX_STEPS);
	tok_norm *p = realloc(t->norms, (t->n_norms + 1) * sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	t->norms = p;
	*out = memset(&p[t->n_norms++], 0, sizeof *p);
	return 0;
}

static int load_norm(pv_tokenizer *t, json_t *o, int depth, pv_err *err)
{
	if (json_is_null(o) || !o)
		return 0;
	if (!json_is_object(o) || depth > TOK_MAX_DEPTH)
		return pv_err_set(err, PV_ECORRUPT, "tokenizer '%s': normalizer is not an object",
				  t->path);
	const char *type = type_of(o);
	if (!strcmp(type, "Sequence")) {
		json_t *list = json_object_get(o, "normalizers"), *v;
		size_t i;
		json_array_foreach(list, i, v)
		{
			int rc = load_norm(t, v, depth + 1, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	static const struct {
		const char *name;
		enum tok_norm_kind kind;
	} simple[] = {{"NFC", TN_NFC},
		      {"NFD", TN_NFD},
		      {"NFKC", TN_NFKC},
		      {"NFKD", TN_NFKD},
		      {"Lowercase", TN_LOWERCASE}};
	tok_norm *st;
	int rc;
	for (size_t k = 0; k < sizeof simple / sizeof simple[0]; k++) {
		if (!strcmp(type, simple[k].name)) {
			/* all of these are libunistring's */
			if ((rc = pv_tok_unistring_load(err)) || (rc = add_norm(t, &st, err)))
				return rc;
			st->kind = simple[k].kind;
			return 0;
		}
	}
	if (!strcmp(type, "Prepend")) {
		json_t *p = json_object_get(o, "prepend");
		if (!json_is_string(p))
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': Prepend needs 'prepend'", t->path);
		if ((rc = add_norm(t, &st, err)))
			return rc;
		st->kind = TN_PREPEND;
		st->n_str = json_string_length(p);
		if (!(st->str = dup_n(json_string_value(p), st->n_str)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		return 0;
	}
	if (!strcmp(type, "Replace")) {
		json_t *c = json_object_get(o, "content");
		if (!json_is_string(c))
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': Replace needs 'content'", t->path);
		if ((rc = add_norm(t, &st, err)))
			return rc;
		st->kind = TN_REPLACE;
		st->n_str2 = json_string_length(c);
		if (!(st->str2 = dup_n(json_string_value(c), st->n_str2)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		return pattern(t, json_object_get(o, "pattern"), &st->re, &st->str, &st->n_str,
			       "Replace", err);
	}
	if (!strcmp(type, "Strip")) {
		if ((rc = add_norm(t, &st, err)))
			return rc;
		st->kind = TN_STRIP;
		st->left = flag(o, "strip_left", true);
		st->right = flag(o, "strip_right", true);
		return 0;
	}
	if (!strcmp(type, "StripAccents")) {
		if ((rc = add_norm(t, &st, err)))
			return rc;
		st->kind = TN_STRIP_ACCENTS;
		return compile(t, "\\p{M}", 5, &st->re, "StripAccents", err);
	}
	return pv_err_set(err, PV_EUNSUPPORTED, "tokenizer '%s': normalizer '%s' is not supported",
			  t->path, type);
}

static int add_pre(pv_tokenizer *t, enum tok_pre_kind kind, tok_pre **out, pv_err *err)
{
	if (t->n_pres >= TOK_MAX_STEPS)
		return pv_err_set(err, PV_ELIMIT, "tokenizer '%s': more than %d pre-tokenizers",
				  t->path, TOK_MAX_STEPS);
	tok_pre *p = realloc(t->pres, (t->n_pres + 1) * sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	t->pres = p;
	*out = memset(&p[t->n_pres++], 0, sizeof *p);
	(*out)->kind = kind;
	return 0;
}

/* A split on a built-in pattern. */
static int add_split(pv_tokenizer *t, const char *re, enum tok_behavior b, bool invert,
		     const char *what, pv_err *err)
{
	tok_pre *st;
	int rc = add_pre(t, TP_SPLIT, &st, err);
	if (rc)
		return rc;
	st->behavior = b;
	st->invert = invert;
	return compile(t, re, strlen(re), &st->re, what, err);
}

static int behavior(pv_tokenizer *t, json_t *o, enum tok_behavior dflt, enum tok_behavior *out,
		    pv_err *err)
{
	json_t *v = json_object_get(o, "behavior");
	if (!v) {
		*out = dflt;
		return 0;
	}
	static const char *const names[] = {"Removed", "Isolated", "MergedWithPrevious",
					    "MergedWithNext", "Contiguous"};
	const char *s = json_string_value(v);
	for (size_t k = 0; s && k < sizeof names / sizeof names[0]; k++) {
		if (!strcmp(s, names[k])) {
			*out = (enum tok_behavior)k;
			return 0;
		}
	}
	return pv_err_set(err, PV_EUNSUPPORTED,
			  "tokenizer '%s': split behavior '%s' is not supported", t->path,
			  s ? s : "?");
}

static int load_pre(pv_tokenizer *t, json_t *o, int depth, pv_err *err)
{
	if (json_is_null(o) || !o)
		return 0;
	if (!json_is_object(o) || depth > TOK_MAX_DEPTH)
		return pv_err_set(err, PV_ECORRUPT,
				  "tokenizer '%s': pre_tokenizer is not an object", t->path);
	const char *type = type_of(o);
	tok_pre *st;
	int rc;
	enum tok_behavior b;
	if (!strcmp(type, "Sequence")) {
		json_t *list = json_object_get(o, "pretokenizers"), *v;
		size_t i;
		json_array_foreach(list, i, v)
		{
			if ((rc = load_pre(t, v, depth + 1, err)))
				return rc;
		}
		return 0;
	}
	if (!strcmp(type, "ByteLevel")) {
		if ((rc = add_pre(t, TP_BYTELEVEL, &st, err)))
			return rc;
		st->add_prefix_space = flag(o, "add_prefix_space", false);
		if (flag(o, "use_regex", true))
			return compile(t, GPT2_RE, sizeof GPT2_RE - 1, &st->re, "ByteLevel", err);
		return 0;
	}
	if (!strcmp(type, "Split")) {
		if ((rc = add_pre(t, TP_SPLIT, &st, err)) ||
		    (rc = behavior(t, o, TB_ISOLATED, &b, err)))
			return rc;
		st->behavior = b;
		st->invert = flag(o, "invert", false);
		return pattern(t, json_object_get(o, "pattern"), &st->re, &st->str, &st->n_str,
			       "Split", err);
	}
	if (!strcmp(type, "Metaspace")) {
		if ((rc = add_pre(t, TP_METASPACE, &st, err)))
			return rc;
		json_t *r = json_object_get(o, "replacement");
		const char *rep = json_is_string(r) ? json_string_value(r) : "\xE2\x96\x81";
		st->n_str = strlen(rep);
		if (!st->n_str)
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': Metaspace replacement is empty",
					  t->path);
		if (!(st->str = dup_n(rep, st->n_str)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		const char *ps = json_string_value(json_object_get(o, "prepend_scheme"));
		if (!ps)
			st->prepend = flag(o, "add_prefix_space", true) ? 1 : 0;
		else if (!strcmp(ps, "always"))
			st->prepend = 1;
		else if (!strcmp(ps, "first"))
			st->prepend = 2;
		else if (!strcmp(ps, "never"))
			st->prepend = 0;
		else
			return pv_err_set(
			    err, PV_EUNSUPPORTED,
			    "tokenizer '%s': Metaspace prepend_scheme '%s' is not supported",
			    t->path, ps);
		st->split = flag(o, "split", true);
		return 0;
	}
	if (!strcmp(type, "Digits"))
		return add_split(t, "\\p{N}",
				 flag(o, "individual_digits", false) ? TB_ISOLATED : TB_CONTIGUOUS,
				 false, "Digits", err);
	if (!strcmp(type, "Whitespace"))
		return add_split(t, "[" WORD_CLASS "]+|[^" WORD_CLASS WS_CLASS "]+", TB_REMOVED,
				 true, "Whitespace", err);
	if (!strcmp(type, "WhitespaceSplit"))
		return add_split(t, WS_CLASS, TB_REMOVED, false, "WhitespaceSplit", err);
	if (!strcmp(type, "Punctuation")) {
		if ((rc = behavior(t, o, TB_ISOLATED, &b, err)))
			return rc;
		return add_split(t, PUNCT_CLASS, b, false, "Punctuation", err);
	}
	if (!strcmp(type, "BertPreTokenizer")) {
		if ((rc = add_split(t, WS_CLASS, TB_REMOVED, false, "BertPreTokenizer", err)))
			return rc;
		return add_split(t, PUNCT_CLASS, TB_ISOLATED, false, "BertPreTokenizer", err);
	}
	return pv_err_set(err, PV_EUNSUPPORTED,
			  "tokenizer '%s': pre_tokenizer '%s' is not supported", t->path, type);
}

/* ---- vocabulary and merges */

static int vocab_put(pv_tokenizer *t, const char *s, size_t n, int64_t id, pv_err *err)
{
	tok_vocab *v = &t->vocab;
	uint64_t h = XXH3_64bits(s, n) | 1;
	size_t j = (size_t)h & (v->n_slots - 1);
	while (v->slots[j].hash) {
		const struct tok_vslot *e = &v->slots[j];
		if (e->hash == h && e->len == n && !memcmp(v->bytes.data + e->off, s, n))
			return 0; /* the first id wins, as in a JSON object read twice */
		j = (j + 1) & (v->n_slots - 1);
	}
	if (v->bytes.len + n > UINT32_MAX)
		return pv_err_set(err, PV_ELIMIT, "tokenizer '%s': vocabulary larger than 4 GiB",
				  t->path);
	v->slots[j] = (struct tok_vslot){h, (uint32_t)v->bytes.len, (uint32_t)n, id};
	v->n_used++;
	return pv_buf_append(&v->bytes, s, n, err);
}

static size_t pow2_above(size_t n)
{
	size_t s = 16;
	while (s < n * 2)
		s *= 2;
	return s;
}

static int load_vocab(pv_tokenizer *t, json_t *vocab, pv_err *err)
{
	size_t n = json_object_size(vocab);
	t->vocab.n_slots = pow2_above(n);
	t->vocab.slots = calloc(t->vocab.n_slots, sizeof *t->vocab.slots);
	pv_buf_init(&t->vocab.bytes, 0);
	if (!t->vocab.slots)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	const char *key;
	json_t *v;
	size_t klen;
	void *tmp;
	json_object_keylen_foreach_safe(vocab, tmp, key, klen, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > INT32_MAX)
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': vocab entry '%.40s' has no id", t->path,
					  key);
		int rc = vocab_put(t, key, klen, json_integer_value(v), err);
		if (rc)
			return rc;
	}
	return pv_buf_reserve(&t->vocab.bytes, 1, err);
}

/* Adds the pair (a, b) to a set sized for it (rank and id unused). */
static void pair_put(tok_merges *m, unsigned a, unsigned b)
{
	uint64_t key = ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1);
	uint64_t h = key * 0x9E3779B97F4A7C15ULL;
	size_t j = (size_t)(h >> 17) & (m->n_slots - 1);
	while (m->slots[j].key && m->slots[j].key != key)
		j = (j + 1) & (m->n_slots - 1);
	if (!m->slots[j].key) {
		m->slots[j] = (struct tok_mslot){key, 0, 0};
		m->n_used++;
	}
}

static bool is_byte_token(const char *s, size_t n)
{
	return n == 6 && !memcmp(s, "<0x", 3) && s[5] == '>';
}

static int load_merges(pv_tokenizer *t, json_t *merges, pv_err *err)
{
	size_t n = json_array_size(merges);
	t->merges.n_slots = pow2_above(n);
	t->merges.slots = calloc(t->merges.n_slots, sizeof *t->merges.slots);
	t->cross.n_slots = t->merges.n_slots;
	t->cross.slots = calloc(t->cross.n_slots, sizeof *t->cross.slots);
	if (!t->merges.slots || !t->cross.slots)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	t->can_cut = true;
	char ab[2 * TOK_MAX_TOKEN];
	size_t i;
	json_t *v;
	json_array_foreach(merges, i, v)
	{
		const char *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;
		if (json_is_string(v)) {
			/* "A B": split at the first space, as the tokenizers crate */
			const char *s = json_string_value(v);
			const char *sp = strchr(s, ' ');
			if (!sp)
				return pv_err_set(err, PV_ECORRUPT,
						  "tokenizer '%s': merge %zu '%.40s' is not 'A B'",
						  t->path, i, s);
			a = s, la = (size_t)(sp - s), b = sp + 1,
			lb = json_string_length(v) - la - 1;
		} else if (json_is_array(v) && json_array_size(v) == 2 &&
			   json_is_string(json_array_get(v, 0)) &&
			   json_is_string(json_array_get(v, 1))) {
			a = json_string_value(json_array_get(v, 0));
			b = json_string_value(json_array_get(v, 1));
			la = json_string_length(json_array_get(v, 0));
			lb = json_string_length(json_array_get(v, 1));
		} else {
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': merge %zu is neither 'A B' nor [A, B]",
					  t->path, i);
		}
		if (la > TOK_MAX_TOKEN || lb > TOK_MAX_TOKEN)
			return pv_err_set(err, PV_ELIMIT,
					  "tokenizer '%s': merge %zu is longer than %d bytes",
					  t->path, i, TOK_MAX_TOKEN);
		/* the merged token drops the second part's continuing_subword_prefix */
		size_t skip = t->prefix && lb >= t->n_prefix && !memcmp(b, t->prefix, t->n_prefix)
				  ? t->n_prefix
				  : 0;
		memcpy(ab, a, la);
		memcpy(ab + la, b + skip, lb - skip);
		int64_t ia = pv_tok_vocab_get(&t->vocab, a, la),
			ib = pv_tok_vocab_get(&t->vocab, b, lb);
		int64_t iab = pv_tok_vocab_get(&t->vocab, ab, la + lb - skip);
		if (ia < 0 || ib < 0 || iab < 0)
			return pv_err_set(
			    err, PV_ECORRUPT,
			    "tokenizer '%s': merge %zu ('%.*s' + '%.*s') is not in the vocabulary",
			    t->path, i, (int)(la > 40 ? 40 : la), a, (int)(lb > 40 ? 40 : lb), b);
		uint64_t key = ((uint64_t)(ia + 1) << 32) | (uint64_t)(ib + 1);
		uint64_t h = key * 0x9E3779B97F4A7C15ULL;
		size_t j = (size_t)(h >> 17) & (t->merges.n_slots - 1);
		while (t->merges.slots[j].key && t->merges.slots[j].key != key)
			j = (j + 1) & (t->merges.n_slots - 1);
		/* a pair listed twice keeps its last rank, as the crate's map */
		if (!t->merges.slots[j].key)
			t->merges.n_used++;
		t->merges.slots[j] = (struct tok_mslot){key, (int64_t)i, iab};
		if (la && lb)
			pair_put(&t->cross, pv_tok_cp_last(a, la), pv_tok_cp_first(b, lb));
		/* a merge of <unk> or of a byte token joins what no character
		 * pair shows */
		if (ia == t->unk_id || ib == t->unk_id || is_byte_token(a, la) ||
		    is_byte_token(b, lb))
			t->can_cut = false;
	}
	return 0;
}

static int opt_str(pv_tokenizer *t, json_t *model, const char *key, char **out, size_t *n,
		   pv_err *err)
{
	json_t *v = json_object_get(model, key);
	if (!json_is_string(v) || !json_string_length(v))
		return 0;
	*n = json_string_length(v);
	if (!(*out = dup_n(json_string_value(v), *n)))
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	(void)t;
	return 0;
}

static int load_model(pv_tokenizer *t, json_t *model, pv_err *err)
{
	const char *type = json_string_value(json_object_get(model, "type"));
	json_t *vocab = json_object_get(model, "vocab");
	json_t *merges = json_object_get(model, "merges");
	if (!json_is_object(model))
		return pv_err_set(err, PV_ECORRUPT, "tokenizer '%s': no 'model' object", t->path);
	/* a file without the type is a BPE when it has merges, as the crate infers */
	if ((type && strcmp(type, "BPE")) || (!type && !merges))
		return pv_err_set(err, PV_EUNSUPPORTED,
				  "tokenizer '%s': model '%s' is not supported (only BPE)", t->path,
				  type ? type : "?");
	json_t *dropout = json_object_get(model, "dropout");
	if (json_is_number(dropout) && json_number_value(dropout) > 0)
		return pv_err_set(
		    err, PV_EUNSUPPORTED,
		    "tokenizer '%s': BPE dropout is not supported (the count would be random)",
		    t->path);
	if (!json_is_object(vocab) || !json_is_array(merges))
		return pv_err_set(
		    err, PV_ECORRUPT,
		    "tokenizer '%s': model needs a 'vocab' object and a 'merges' list", t->path);
	if (json_object_size(vocab) > PV_TOKENIZER_MAX_VOCAB ||
	    json_array_size(merges) > PV_TOKENIZER_MAX_VOCAB)
		return pv_err_set(err, PV_ELIMIT, "tokenizer '%s': more than %d tokens or merges",
				  t->path, PV_TOKENIZER_MAX_VOCAB);
	int rc;
	if ((rc = opt_str(t, model, "continuing_subword_prefix", &t->prefix, &t->n_prefix, err)) ||
	    (rc = opt_str(t, model, "end_of_word_suffix", &t->suffix, &t->n_suffix, err)) ||
	    (rc = load_vocab(t, vocab, err)))
		return rc;
	t->byte_fallback = flag(model, "byte_fallback", false);
	t->fuse_unk = flag(model, "fuse_unk", false);
	t->ignore_merges = flag(model, "ignore_merges", false);
	t->unk_id = -1;
	json_t *unk = json_object_get(model, "unk_token");
	if (json_is_string(unk))
		t->unk_id =
		    pv_tok_vocab_get(&t->vocab, json_string_value(unk), json_string_length(unk));
	for (unsigned b = 0; b < 256; b++) {
		char name[8];
		snprintf(name, sizeof name, "<0x%02X>", b);
		t->byte_ids[b] = pv_tok_vocab_get(&t->vocab, name, 6);
	}
	if ((rc = load_merges(t, merges, err)))
		return rc;
	/* ignore_merges looks the whole piece up; a prefix or suffix makes a
	 * symbol depend on where the piece starts and ends */
	if (t->ignore_merges || t->prefix || t->suffix)
		t->can_cut = false;
	return 0;
}

/* ---- added tokens and the post-processor */

static int cmp_len_desc(const void *a, const void *b, void *arg)
{
	const tok_added *ad = arg;
	size_t la = ad[*(const uint32_t *)a].len, lb = ad[*(const uint32_t *)b].len;
	if (la != lb)
		return la > lb ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int load_added(pv_tokenizer *t, json_t *list, pv_err *err)
{
	size_t n = json_array_size(list);
	if (n > TOK_MAX_ADDED)
		return pv_err_set(err, PV_ELIMIT, "tokenizer '%s': more than %d added tokens",
				  t->path, TOK_MAX_ADDED);
	t->added = calloc(n ? n : 1, sizeof *t->added);
	t->by_first = calloc(n ? n : 1, sizeof *t->by_first);
	if (!t->added || !t->by_first)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		json_t *c = json_object_get(v, "content");
		if (!json_is_string(c) || !json_string_length(c))
			return pv_err_set(err, PV_ECORRUPT,
					  "tokenizer '%s': added token %zu has no content", t->path,
					  i);
		tok_added *ad = &t->added[t->n_added];
		bool special = flag(v, "special", false);
		ad->normalized = flag(v, "normalized", !special) && t->n_norms;
		ad->lstrip = flag(v, "lstrip", false);
		ad->rstrip = flag(v, "rstrip", false);
		ad->single_word = flag(v, "single_word", false);
		const char *s = json_string_value(c);
		size_t len = json_string_length(c);
		if (ad->normalized) {
			/* matched in normalized text as the normalizer writes it */
			if (pv_tok_normalize(t, s, len, &s, &len, err))
				return err ? err->code : PV_ENOMEM;
			if (!len)
				continue;
		}
		if (len > TOK_MAX_TOKEN)
			return pv_err_set(err, PV_ELIMIT,
					  "tokenizer '%s': added token %zu is longer than %d bytes",
					  t->path, i, TOK_MAX_TOKEN);
		if (!(ad->content = dup_n(s, len)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		ad->len = len;
		t->by_first[t->n_added] = (uint32_t)t->n_added;
		t->n_added++;
	}
	qsort_r(t->by_first, t->n_added, sizeof *t->by_first, cmp_len_desc, t->added);
	/* group by first byte, keeping longest first within each group */
	uint32_t *tmp = malloc((t->n_added ? t->n_added : 1) * sizeof *tmp);
	if (!tmp)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	size_t o = 0;
	for (unsigned b = 0; b < 256; b++) {
		t->added_first[b][0] = (uint16_t)o;
		for (size_t k = 0; k < t->n_added; k++)
			if ((unsigned char)t->added[t->by_first[k]].content[0] == b)
				tmp[o++] = t->by_first[k];
		t->added_first[b][1] = (uint16_t)o;
	}
	free(t->by_first);
	t->by_first = tmp;
	return 0;
}

/* Special tokens the post-processor adds around one text; -1 unknown. */
static int64_t template_tokens(json_t *p, int depth)
{
	if (!p || json_is_null(p))
		return 0;
	const char *type = type_of(p);
	if (!strcmp(type, "ByteLevel"))
		return 0;
	if (!strcmp(type, "BertProcessing") || !strcmp(type, "RobertaProcessing"))
		return 2;
	if (!strcmp(type, "TemplateProcessing")) {
		json_t *single = json_object_get(p, "single"), *v;
		json_t *specials = json_object_get(p, "special_tokens");
		int64_t n = 0;
		size_t i;
		json_array_foreach(single, i, v)
		{
			json_t *st = json_object_get(v, "SpecialToken");
			if (!st)
				continue;
			/* a special token may stand for several ids */
			const char *id = json_string_value(json_object_get(st, "id"));
			json_t *ids =
			    id ? json_object_get(json_object_get(specials, id), "ids") : NULL;
			n += json_is_array(ids) ? (int64_t)json_array_size(ids) : 1;
		}
		return n;
	}
	if (!strcmp(type, "Sequence") && depth < TOK_MAX_DEPTH) {
		json_t *list = json_object_get(p, "processors"), *v;
		size_t i;
		int64_t n = 0;
		json_array_foreach(list, i, v)
		{
			int64_t k = template_tokens(v, depth + 1);
			if (k < 0)
				return -1;
			n += k;
		}
		return n;
	}
	return -1;
}

int pv_tok_load_json(pv_tokenizer *t, const char *path, pv_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return pv_err_set(err, errno == ENOENT ? PV_ENOTFOUND : PV_EIO,
				  "tokenizer '%s': %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0) {
		long sz = ftell(f);
		if (sz > 0 && (size_t)sz > PV_TOKENIZER_MAX_BYTES) {
			fclose(f);
			return pv_err_set(err, PV_ELIMIT, "tokenizer '%s' is larger than %zu bytes",
					  path, PV_TOKENIZER_MAX_BYTES);
		}
		rewind(f);
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	fclose(f);
	if (!root)
		return pv_err_set(err, PV_EINVAL, "tokenizer '%s': line %d: %s", path, je.line,
				  je.text);
	int rc;
	if (!json_is_object(root))
		rc = pv_err_set(err, PV_ECORRUPT, "tokenizer '%s': not a JSON object", path);
	else if (!(rc = load_model(t, json_object_get(root, "model"), err)) &&
		 !(rc = load_norm(t, json_object_get(root, "normalizer"), 0, err)) &&
		 !(rc = load_pre(t, json_object_get(root, "pre_tokenizer"), 0, err)))
		rc = load_added(t, json_object_get(root, "added_tokens"), err);
	if (!rc)
		t->n_template = template_tokens(json_object_get(root, "post_processor"), 0);
	json_decref(root);
	return rc;
}

int pv_tokenizer_load(const char *path, pv_tokenizer **out, pv_err *err)
{
	*out = NULL;
	/* every tokenizer matches added tokens and patterns through PCRE2; a
	 * tokenizer exists only once it is loaded, so pv_tokenizer_free may
	 * call it */
	int lrc = pv_tok_pcre2_load(err);
	if (lrc)
		return lrc;
	pv_tokenizer *t = calloc(1, sizeof *t);
	if (!t || !(t->path = dup_n(path, strlen(path)))) {
		free(t);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pv_kset_init(&t->cache);
	pv_buf_init(&t->in, 0);
	pv_buf_init(&t->n1, 0);
	pv_buf_init(&t->n2, 0);
	pv_buf_init(&t->p1, 0);
	pv_buf_init(&t->p2, 0);
	pv_buf_init(&t->tmp, 0);
	t->unk_id = -1;
	/* the match data first: normalizing the added tokens uses it */
	int rc = (t->md = pv_pcre2.match_data_create(1, NULL))
		     ? pv_tok_load_json(t, path, err)
		     : pv_err_set(err, PV_ENOMEM, "out of memory");
	if (rc) {
		pv_tokenizer_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
