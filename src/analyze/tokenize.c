/*
 * tokenize.c - token counts: the whitespace and byte estimates, and a
 * byte-level BPE read from a Hugging Face tokenizer.json (jansson).
 *
 * The vocabulary maps token strings to ids and the merges map a pair of
 * ids to (rank, merged id); both are key sets from contract_int.h. A
 * pre-token is counted by turning its bytes into the ids of their
 * byte-level characters and applying the best-ranked merge, all its
 * occurrences left to right, until none applies (the result GPT-2's
 * merge loop gives). Counts of pre-tokens are cached. Every size read
 * from the file is capped. Must not include sql or cli.
 */
#include "analyze/tokenize.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/contract_int.h"
#include "base/banned.h"

/* Cached pre-tokens before the cache starts over. */
#define TOK_CACHE_MAX 1000000
/* Longest pre-token given to the merge loop at once (longer ones are cut:
 * the loop is quadratic in the symbols of a pre-token). */
#define TOK_WORD_MAX 4096

int64_t pv_tokens_whitespace(const char *s, size_t n)
{
	int64_t words = 0;
	bool in = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool ws = ch == ' ' || (ch >= '\t' && ch <= '\r');
		if (!ws && !in)
			words++;
		in = !ws;
	}
	return words;
}

int64_t pv_tokens_bytes(size_t n)
{
	return (int64_t)((n + 3) / 4);
}

int64_t pv_utf8_chars(const char *s, size_t n)
{
	int64_t c = 0;
	size_t i = 0;
	/* eight bytes at a time: a continuation byte has bit 7 set and bit 6
	 * clear, and (w << 1) brings each byte's bit 6 to its bit 7 */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		c += 8 - __builtin_popcountll(w & ~(w << 1) & 0x8080808080808080ULL);
	}
	for (; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

struct pv_tokenizer {
	pv_kset vocab;        /* token text -> id in `first` */
	pv_kset merges;       /* (id, id) -> rank in `count`, merged id in `first` */
	pv_kset cache;        /* pre-token bytes -> tokens in `count` */
	int64_t byte_id[256]; /* id of each byte's character; -1 when not in the vocabulary */
	bool add_prefix_space;
	bool use_regex;
	bool ignore_merges;
	int64_t *syms;        /* scratch for the merge loop */
	size_t n_syms_cap;
};

/* The byte-level alphabet: byte b as a code point. */
static unsigned byte_char(unsigned b)
{
	if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174))
		return b;
	unsigned n = 0;
	for (unsigned k = 0; k < b; k++)
		if (!((k >= 33 && k <= 126) || (k >= 161 && k <= 172) || (k >= 174)))
			n++;
	return 256 + n;
}

static size_t utf8_put(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	out[0] = (char)(0xC0 | (cp >> 6));
	out[1] = (char)(0x80 | (cp & 0x3F));
	return 2; /* the alphabet stops below U+0800 */
}

static int64_t vocab_id(pv_tokenizer *t, const char *s, size_t n)
{
	if (!t->vocab.n_slots)
		return -1;
	/* a read-only lookup: pv_kset_get would add the key */
	pv_kset_entry *e;
	pv_err err;
	size_t before = t->vocab.n_used;
	if (pv_kset_get(&t->vocab, s, n, &e, &err))
		return -1;
	if (t->vocab.n_used != before) {
		e->count = 0; /* added by the lookup; marks "not a token" */
		return -1;
	}
	return e->count ? e->first : -1;
}

static bool is_ws_cp(unsigned cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x3000;
}

/* Decodes one code point (invalid bytes count as one U+FFFD each). */
static unsigned next_cp(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	unsigned c = s[i];
	size_t l = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (!l || i + l > n) {
		*len = 1;
		return 0xFFFD;
	}
	unsigned cp = l == 1 ? c : l == 2 ? c & 0x1F : l == 3 ? c & 0x0F : c & 0x07;
	for (size_t k = 1; k < l; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i + k] & 0x3F);
	}
	*len = l;
	return cp;
}

enum { CAT_WS, CAT_LETTER, CAT_DIGIT, CAT_OTHER };

static int cat_of(unsigned cp)
{
	if (is_ws_cp(cp))
		return CAT_WS;
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0x80)
		return CAT_LETTER;
	if (cp >= '0' && cp <= '9')
		return CAT_DIGIT;
	return CAT_OTHER;
}

/* The end of the pre-token starting at i (GPT-2's pattern). */
static size_t pretoken_end(const unsigned char *s, size_t n, size_t i)
{
	if (s[i] == '\'' && i + 1 < n) {
		static const char *const cs[] = { "re", "ve", "ll", "s", "t", "m", "d" };
		for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
			size_t l = strlen(cs[k]);
			if (i + 1 + l <= n && !memcmp(s + i + 1, cs[k], l))
				return i + 1 + l;
		}
	}
	size_t j = i, len;
	if (s[j] == ' ' && j + 1 < n && cat_of(next_cp(s, n, j + 1, &len)) != CAT_WS)
		j++;
	unsigned cp = next_cp(s, n, j, &len);
	int cat = cat_of(cp);
	if (cat != CAT_WS) {
		j += len;
		while (j < n && cat_of(next_cp(s, n, j, &len)) == cat)
			j += len;
		return j;
	}
	/* whitespace: leave the last one to the next pre-token when a
	 * non-space follows and the run is longer than one */
	size_t k = i, last = i;
	while (k < n && cat_of(next_cp(s, n, k, &len)) == CAT_WS) {
		last = k;
		k += len;
	}
	if (k == n || last == i)
		return k;
	return last;
}

static int64_t bpe_count(pv_tokenizer *t, const unsigned char *w, size_t n)
{
	if (t->ignore_merges) {
		char buf[TOK_WORD_MAX * 2];
		size_t l = 0;
		for (size_t i = 0; i < n && n <= TOK_WORD_MAX; i++)
			l += utf8_put(byte_char(w[i]), buf + l);
		if (n <= TOK_WORD_MAX && vocab_id(t, buf, l) >= 0)
			return 1;
	}
	if (n > t->n_syms_cap) {
		int64_t *p = realloc(t->syms, n * sizeof *p);
		if (!p)
			return -1;
		t->syms = p;
		t->n_syms_cap = n;
	}
	int64_t *sy = t->syms;
	size_t m = n;
	for (size_t i = 0; i < n; i++)
		sy[i] = t->byte_id[w[i]];
	pv_err err;
	for (;;) {
		int64_t best = INT64_MAX, best_id = -1, ba = 0, bb = 0;
		for (size_t i = 0; i + 1 < m; i++) {
			if (sy[i] < 0 || sy[i + 1] < 0)
				continue;
			int64_t key[2] = { sy[i], sy[i + 1] };
			size_t before = t->merges.n_used;
			pv_kset_entry *e;
			if (pv_kset_get(&t->merges, key, sizeof key, &e, &err))
				return -1;
			if (t->merges.n_used != before) {
				e->count = -1; /* looked up, not a merge */
				continue;
			}
			if (e->count >= 0 && e->count < best) {
				best = e->count;
				best_id = e->first;
				ba = sy[i];
				bb = sy[i + 1];
			}
		}
		if (best == INT64_MAX)
			break;
		size_t o = 0;
		for (size_t i = 0; i < m; i++) {
			if (i + 1 < m && sy[i] == ba && sy[i + 1] == bb) {
				sy[o++] = best_id;
				i++;
			} else {
				sy[o++] = sy[i];
			}
		}
		m = o;
	}
	return (int64_t)m;
}

int64_t pv_tokenizer_count(pv_tokenizer *t, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	int64_t total = 0;
	pv_err err;
	unsigned char *tmp = NULL;
	if (t->add_prefix_space && n && s[0] != ' ') {
		tmp = malloc(n + 1);
		if (!tmp)
			return -1;
		tmp[0] = ' ';
		memcpy(tmp + 1, s, n);
		u = tmp;
		n++;
	}
	for (size_t i = 0; i < n;) {
		size_t j = t->use_regex ? pretoken_end(u, n, i) : n;
		if (j <= i)
			j = i + 1;
		for (size_t a = i; a < j; a += TOK_WORD_MAX) {
			size_t len = j - a < TOK_WORD_MAX ? j - a : TOK_WORD_MAX;
			if (t->cache.n_used >= TOK_CACHE_MAX) {
				pv_kset_release(&t->cache);
				pv_kset_init(&t->cache);
			}
			size_t before = t->cache.n_used;
			pv_kset_entry *e;
			if (pv_kset_get(&t->cache, u + a, len, &e, &err)) {
				free(tmp);
				return -1;
			}
			if (t->cache.n_used != before) {
				int64_t c = bpe_count(t, u + a, len);
				if (c < 0) {
					free(tmp);
					return -1;
				}
				e->count = c;
			}
			total += e->count;
		}
		i = j;
	}
	free(tmp);
	return total;
}

void pv_tokenizer_free(pv_tokenizer *t)
{
	if (!t)
		return;
	pv_kset_release(&t->vocab);
	pv_kset_release(&t->merges);
	pv_kset_release(&t->cache);
	free(t->syms);
	free(t);
}

/* Whether pre_tokenizer p is ByteLevel or a Sequence holding one; sets
 * the options from it. */
static bool find_bytelevel(pv_tokenizer *t, json_t *p, int depth)
{
	if (!json_is_object(p) || depth > 8)
		return false;
	const char *type = json_string_value(json_object_get(p, "type"));
	if (type && !strcmp(type, "ByteLevel")) {
		json_t *aps = json_object_get(p, "add_prefix_space");
		json_t *ur = json_object_get(p, "use_regex");
		t->add_prefix_space = json_is_true(aps);
		t->use_regex = ur ? json_is_true(ur) : true;
		return true;
	}
	if (type && !strcmp(type, "Sequence")) {
		json_t *list = json_object_get(p, "pretokenizers");
		size_t i;
		json_t *v;
		bool found = false;
		json_array_foreach(list, i, v)
		{
			if (find_bytelevel(t, v, depth + 1))
				found = true;
		}
		/* with a regex Split before it, the ByteLevel step does not split again */
		if (found)
			t->use_regex = true;
		return found;
	}
	return false;
}

static int load_json(const char *path, json_t *root, pv_tokenizer *t, pv_err *err)
{
	json_t *model = json_object_get(root, "model");
	const char *mtype = json_string_value(json_object_get(model, "type"));
	if (!json_is_object(model) || (mtype && strcmp(mtype, "BPE")))
		return pv_err_set(err, PV_EUNSUPPORTED, "%s: model '%s' is not supported (only BPE)",
				  path, mtype ? mtype : "?");
	if (!find_bytelevel(t, json_object_get(root, "pre_tokenizer"), 0))
		return pv_err_set(err, PV_EUNSUPPORTED,
				  "%s: only byte-level BPE tokenizers (pre_tokenizer ByteLevel) are "
				  "supported",
				  path);
	t->ignore_merges = json_is_true(json_object_get(model, "ignore_merges"));
	json_t *vocab = json_object_get(model, "vocab");
	json_t *merges = json_object_get(model, "merges");
	if (!json_is_object(vocab) || !json_is_array(merges))
		return pv_err_set(err, PV_ECORRUPT, "%s: model needs a 'vocab' object and a 'merges' list",
				  path);
	if (json_object_size(vocab) > PV_TOKENIZER_MAX_VOCAB ||
	    json_array_size(merges) > PV_TOKENIZER_MAX_VOCAB)
		return pv_err_set(err, PV_ELIMIT, "%s: more than %d tokens or merges", path,
				  PV_TOKENIZER_MAX_VOCAB);
	const char *key;
	json_t *v;
	json_object_foreach(vocab, key, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return pv_err_set(err, PV_ECORRUPT, "%s: vocab entry '%.40s' has no id", path, key);
		pv_kset_entry *e;
		if (pv_kset_get(&t->vocab, key, strlen(key), &e, err))
			return err ? err->code : PV_ENOMEM;
		e->first = json_integer_value(v);
		e->count = 1;
	}
	for (unsigned b = 0; b < 256; b++) {
		char buf[4];
		size_t l = utf8_put(byte_char(b), buf);
		t->byte_id[b] = vocab_id(t, buf, l);
	}
	size_t i;
	json_array_foreach(merges, i, v)
	{
		const char *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;
		if (json_is_string(v)) {
			const char *s = json_string_value(v);
			const char *sp = strchr(s, ' ');
			if (!sp || sp == s)
				return pv_err_set(err, PV_ECORRUPT, "%s: merge %zu '%.40s' is not 'A B'", path,
						  i, s);
			a = s, la = (size_t)(sp - s), b = sp + 1, lb = strlen(sp + 1);
		} else if (json_is_array(v) && json_array_size(v) == 2 &&
			   json_is_string(json_array_get(v, 0)) && json_is_string(json_array_get(v, 1))) {
			a = json_string_value(json_array_get(v, 0));
			b = json_string_value(json_array_get(v, 1));
			la = strlen(a), lb = strlen(b);
		} else {
			return pv_err_set(err, PV_ECORRUPT, "%s: merge %zu is neither 'A B' nor [A, B]",
					  path, i);
		}
		if (la + lb > 1024)
			return pv_err_set(err, PV_ELIMIT, "%s: merge %zu is longer than 1024 bytes", path, i);
		char ab[1025];
		memcpy(ab, a, la);
		memcpy(ab + la, b, lb);
		int64_t ia = vocab_id(t, a, la), ib = vocab_id(t, b, lb), iab = vocab_id(t, ab, la + lb);
		if (ia < 0 || ib < 0 || iab < 0)
			return pv_err_set(err, PV_ECORRUPT,
					  "%s: merge %zu ('%.*s' + '%.*s') is not in the vocabulary", path,
					  i, (int)(la > 40 ? 40 : la), a, (int)(lb > 40 ? 40 : lb), b);
		int64_t k2[2] = { ia, ib };
		pv_kset_entry *e;
		size_t before = t->merges.n_used;
		if (pv_kset_get(&t->merges, k2, sizeof k2, &e, err))
			return err ? err->code : PV_ENOMEM;
		if (t->merges.n_used != before) { /* the first rank of a pair wins */
			e->count = (int64_t)i;
			e->first = iab;
		}
	}
	return 0;
}

int pv_tokenizer_load(const char *path, pv_tokenizer **out, pv_err *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return pv_err_set(err, errno == ENOENT ? PV_ENOTFOUND : PV_EIO, "tokenizer '%s': %s", path,
				  strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0) {
		long sz = ftell(f);
		if (sz > 0 && (size_t)sz > PV_TOKENIZER_MAX_BYTES) {
			fclose(f);
			return pv_err_set(err, PV_ELIMIT, "tokenizer '%s' is larger than %zu bytes", path,
					  PV_TOKENIZER_MAX_BYTES);
		}
		rewind(f);
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!root)
		return pv_err_set(err, PV_EINVAL, "tokenizer '%s': line %d: %s", path, je.line, je.text);
	pv_tokenizer *t = calloc(1, sizeof *t);
	if (!t) {
		json_decref(root);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pv_kset_init(&t->vocab);
	pv_kset_init(&t->merges);
	pv_kset_init(&t->cache);
	int rc = load_json(path, root, t, err);
	json_decref(root);
	if (rc) {
		pv_tokenizer_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
