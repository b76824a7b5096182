/*
 * tokenize.c - token counts: the whitespace and byte estimates, and the
 * count of a Hugging Face tokenizer.json BPE tokenizer, step by step as the
 * tokenizers crate's encode(text, add_special_tokens=false) does it: added
 * tokens are cut out of the text, each other section is normalized
 * (libunistring for NFC/NFKC/lowercase, PCRE2 for regex replaces), cut by
 * the normalized added tokens, pre-tokenized (PCRE2 with UTF and UCP for
 * the split patterns) and each piece goes through the BPE model, whose
 * merges are applied by rank with a heap (leftmost first on ties). The
 * count of each short piece is cached. Loading is in tokenizer_json.c.
 * Includes base, render (the UTF-8 decoder) and analyze; must not include
 * sql or cli.
 */
#include "analyze/tokenize.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "analyze/tokenize_int.h"
#include "render/width.h"
#include "base/banned.h"

/* Cached pieces (and their bytes) before the cache starts over, and the
 * longest piece cached (the tokenizers crate caches words shorter than 256
 * bytes too). */
#define TOK_CACHE_MAX 1000000
#define TOK_CACHE_BYTES ((size_t)64 << 20)
#define TOK_CACHE_LEN 256
/* Pieces longer than this are cut where no merge reaches across. */
#define TOK_CUT_MIN 32
/* Symbols of one piece: the merge heap's positions are int32. */
#define TOK_PIECE_MAX ((size_t)1 << 30)

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

/* ---- growable arrays */

static int grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return PV_ENOMEM;
	void *p = realloc(*(void **)pp, n * elem);
	if (!p)
		return PV_ENOMEM;
	*(void **)pp = p;
	*cap = n;
	return 0;
}

/* ---- UTF-8 */

/* The length of the well-formed UTF-8 character at s[i], 0 when there is
 * none (render/width.h's strict decoder). */
static size_t utf8_len(const unsigned char *s, size_t n, size_t i)
{
	uint32_t cp;
	return pv_utf8_decode((const char *)s + i, n - i, &cp);
}

/* Whether s[0..n) is well-formed; else t->in gets a copy with each bad
 * byte as U+FFFD (what a lossy decode gives) and *s, *n point at it. */
static int sanitize(pv_tokenizer *t, const char **s, size_t *n)
{
	const unsigned char *u = (const unsigned char *)*s;
	size_t i = 0;
	while (i < *n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = utf8_len(u, *n, i);
		if (!l)
			break;
		i += l;
	}
	if (i == *n)
		return 0;
	pv_buf_reset(&t->in);
	if (pv_buf_append(&t->in, *s, i, NULL))
		return PV_ENOMEM;
	while (i < *n) {
		size_t l = utf8_len(u, *n, i);
		int rc = l ? pv_buf_append(&t->in, u + i, l, NULL)
			   : pv_buf_append(&t->in, "\xEF\xBF\xBD", 3, NULL);
		if (rc)
			return PV_ENOMEM;
		i += l ? l : 1;
	}
	*s = t->in.data;
	*n = t->in.len;
	return 0;
}

static bool is_space_cp(unsigned cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* The code point at s[i] of well-formed text, its length in *len. */
static unsigned cp_at(const unsigned char *s, size_t i, size_t *len)
{
	unsigned c = s[i];
	if (c < 0x80) {
		*len = 1;
		return c;
	}
	size_t l = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	unsigned cp = l == 2 ? c & 0x1F : l == 3 ? c & 0x0F : c & 0x07;
	for (size_t k = 1; k < l; k++)
		cp = (cp << 6) | (s[i + k] & 0x3F);
	*len = l;
	return cp;
}

/* The code point before s[i] (i > 0) of well-formed text. */
static unsigned cp_before(const unsigned char *s, size_t i, size_t *len)
{
	size_t j = i - 1;
	while (j > 0 && (s[j] & 0xC0) == 0x80)
		j--;
	unsigned cp = cp_at(s, j, len);
	return cp;
}

static size_t space_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;
	while (i < n && is_space_cp(cp_at(u, i, &l)))
		i += l;
	return i;
}

static size_t space_suffix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = n, l;
	while (i > 0 && is_space_cp(cp_before(u, i, &l)))
		i -= l;
	return n - i;
}

/* ---- regex matches */

/* The matches of re (or of the literal lit when re is NULL) in s[0..n)
 * with the gaps between them, in order, into t->mv; *n_out of them. An
 * empty match moves the search on by one character. */
static int find_matches(pv_tokenizer *t, const pcre2_code *re, const char *lit, size_t n_lit,
			const char *s, size_t n, bool invert, size_t *n_out)
{
	size_t m = 0, prev = 0, at = 0;
	const unsigned char *u = (const unsigned char *)s;
	for (;;) {
		size_t ms, me;
		if (re) {
			int rc =
			    pv_pcre2.match(re, (PCRE2_SPTR)s, n, at, PCRE2_NO_UTF_CHECK, t->md, NULL);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0)
				return PV_ELIMIT; /* the match or depth limit of a pathological
						     pattern */
			PCRE2_SIZE *ov = pv_pcre2.get_ovector_pointer(t->md);
			ms = ov[0];
			me = ov[1];
			if (ms > n || me < ms || me > n)
				return PV_EINTERNAL;
		} else {
			if (!n_lit || at >= n)
				break;
			const char *p = memmem(s + at, n - at, lit, n_lit);
			if (!p)
				break;
			ms = (size_t)(p - s);
			me = ms + n_lit;
		}
		if (grow(&t->mv, &t->n_mv_cap, m + 2, sizeof *t->mv))
			return PV_ENOMEM;
		if (prev != ms)
			t->mv[m++] = (struct tok_match){prev, ms - prev, invert};
		t->mv[m++] = (struct tok_match){ms, me - ms, !invert};
		prev = me;
		if (me == ms) {
			if (me >= n)
				break;
			size_t l;
			cp_at(u, me, &l);
			at = me + l;
		} else {
			at = me;
		}
		if (at > n)
			break;
	}
	if (prev != n) {
		if (grow(&t->mv, &t->n_mv_cap, m + 1, sizeof *t->mv))
			return PV_ENOMEM;
		t->mv[m++] = (struct tok_match){prev, n - prev, invert};
	}
	*n_out = m;
	return 0;
}

/* Applies a split behavior to the matches in t->mv (the tokenizers
 * crate's NormalizedString::split): the kept ranges, in place; *n is
 * updated. */
static void apply_behavior(pv_tokenizer *t, size_t *n, enum tok_behavior b)
{
	struct tok_match *v = t->mv;
	size_t m = *n, o = 0;
	bool prev_match = false;
	switch (b) {
	case TB_ISOLATED:
		break;
	case TB_REMOVED:
		for (size_t i = 0; i < m; i++)
			if (!v[i].match)
				v[o++] = v[i];
		*n = o;
		break;
	case TB_MERGED_PREV:
		for (size_t i = 0; i < m; i++) {
			if (v[i].match && !prev_match && o)
				v[o - 1].len = v[i].off + v[i].len - v[o - 1].off;
			else
				v[o++] = v[i];
			prev_match = v[i].match;
		}
		*n = o;
		break;
	case TB_MERGED_NEXT: {
		/* from the end: a match joins the piece after it */
		size_t w = m;
		for (size_t i = m; i-- > 0;) {
			if (v[i].match && !prev_match && w < m) {
				v[w].len += v[w].off - v[i].off;
				v[w].off = v[i].off;
			} else {
				v[--w] = v[i];
			}
			prev_match = v[i].match;
		}
		memmove(v, v + w, (m - w) * sizeof *v);
		*n = m - w;
		break;
	}
	case TB_CONTIGUOUS:
		for (size_t i = 0; i < m; i++) {
			if (o && v[i].match == prev_match)
				v[o - 1].len = v[i].off + v[i].len - v[o - 1].off;
			else
				v[o++] = v[i];
			prev_match = v[i].match;
		}
		*n = o;
		break;
	}
}

/* ---- normalizers */

static int norm_step(pv_tokenizer *t, const tok_norm *st, const char *s, size_t n, pv_buf *out)
{
	pv_buf_reset(out);
	int rc = 0;
	switch (st->kind) {
	case TN_LOWERCASE:
		/* character by character, as the crate's lowercase (Rust's
		 * char::to_lowercase: full mappings, no final-sigma context) */
		for (size_t i = 0; i < n;) {
			size_t l;
			cp_at((const unsigned char *)s, i, &l);
			if (l == 1) {
				char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
				rc = pv_buf_putc(out, c, NULL);
			} else {
				uint8_t small[32];
				size_t len = sizeof small;
				uint8_t *r =
				    pv_unistring.tolower((const uint8_t *)s + i, l, NULL, NULL, small, &len);
				if (!r)
					return PV_ENOMEM;
				rc = pv_buf_append(out, r, len, NULL);
				if (r != small)
					free(r);
			}
			if (rc)
				return PV_ENOMEM;
			i += l;
		}
		return out->data ? 0 : pv_buf_reserve(out, 1, NULL) ? PV_ENOMEM : 0;
	case TN_NFC:
	case TN_NFD:
	case TN_NFKC:
	case TN_NFKD: {
		/* ASCII text is its own NFC, NFD, NFKC and NFKD */
		size_t i = 0;
		while (i < n && !((unsigned char)s[i] & 0x80))
			i++;
		if (i == n)
			return pv_buf_append(out, s, n, NULL) ? PV_ENOMEM : 0;
		uninorm_t nf = st->kind == TN_NFC    ? pv_unistring.nfc
			       : st->kind == TN_NFD  ? pv_unistring.nfd
			       : st->kind == TN_NFKC ? pv_unistring.nfkc
						     : pv_unistring.nfkd;
		size_t len = 0;
		uint8_t *r = pv_unistring.normalize(nf, (const uint8_t *)s, n, NULL, &len);
		if (!r)
			return PV_ENOMEM;
		rc = pv_buf_append(out, r ? (const char *)r : "", len, NULL) ? PV_ENOMEM : 0;
		free(r);
		return rc;
	}
	case TN_PREPEND:
		if (n && pv_buf_append(out, st->str, st->n_str, NULL))
			return PV_ENOMEM;
		return pv_buf_append(out, s, n, NULL) ? PV_ENOMEM : 0;
	case TN_STRIP: {
		size_t a = st->left ? space_prefix(s, n) : 0;
		size_t z = st->right ? space_suffix(s + a, n - a) : 0;
		return pv_buf_append(out, s + a, n - a - z, NULL) ? PV_ENOMEM : 0;
	}
	case TN_REPLACE:
	case TN_STRIP_ACCENTS: {
		size_t m;
		if ((rc = find_matches(t, st->re, st->str, st->n_str, s, n, false, &m)))
			return rc;
		for (size_t i = 0; i < m; i++) {
			const struct tok_match *x = &t->mv[i];
			if (x->match
				? pv_buf_append(out, st->str2 ? st->str2 : "", st->n_str2, NULL)
				: pv_buf_append(out, s + x->off, x->len, NULL))
				return PV_ENOMEM;
		}
		/* an empty result still needs data for the callers */
		return out->data ? 0 : pv_buf_reserve(out, 1, NULL) ? PV_ENOMEM : 0;
	}
	}
	return 0;
}

int pv_tok_normalize(pv_tokenizer *t, const char *s, size_t n, const char **out, size_t *out_n,
		     pv_err *err)
{
	const char *cur = s;
	size_t cn = n;
	for (size_t k = 0; k < t->n_norms; k++) {
		pv_buf *dst = (k & 1) ? &t->n2 : &t->n1;
		int rc = norm_step(t, &t->norms[k], cur, cn, dst);
		if (rc)
			return pv_err_set(err, rc, "tokenizer '%s': normalizing a text failed",
					  t->path);
		cur = dst->data ? dst->data : "";
		cn = dst->len;
	}
	*out = cur;
	*out_n = cn;
	return 0;
}

/* ---- added tokens */

static bool word_char(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       cp == '_';
}

/* Cuts s[0..n) at the added tokens whose `normalized` equals norm
 * (leftmost, then longest), into *segs / *n_segs. lstrip and rstrip take
 * the white space before and after a token with it. */
static int split_added(pv_tokenizer *t, const char *s, size_t n, bool norm, struct tok_seg **segs,
		       size_t *cap, size_t *n_segs)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t m = 0, prev = 0;
	for (size_t i = 0; i < n && t->n_added; i++) {
		unsigned a = t->added_first[u[i]][0], z = t->added_first[u[i]][1];
		int64_t hit = -1;
		for (unsigned k = a; k < z; k++) {
			const tok_added *ad = &t->added[t->by_first[k]];
			if (ad->normalized != norm || ad->len > n - i ||
			    memcmp(s + i, ad->content, ad->len))
				continue;
			if (ad->single_word) {
				size_t l;
				if ((i > 0 && word_char(cp_before(u, i, &l))) ||
				    (i + ad->len < n && word_char(cp_at(u, i + ad->len, &l))))
					continue;
			}
			hit = t->by_first[k];
			break; /* longest first */
		}
		if (hit < 0)
			continue;
		const tok_added *ad = &t->added[hit];
		size_t ts = i, te = i + ad->len;
		if (ad->lstrip)
			ts -= space_suffix(s + prev, i - prev);
		if (ad->rstrip)
			te += space_prefix(s + te, n - te);
		if (grow(segs, cap, m + 2, sizeof **segs))
			return PV_ENOMEM;
		if (ts > prev)
			(*segs)[m++] = (struct tok_seg){prev, ts - prev, -1};
		(*segs)[m++] = (struct tok_seg){ts, te - ts, hit};
		prev = te;
		i = te - 1;
	}
	if (prev < n || !m) {
		if (grow(segs, cap, m + 1, sizeof **segs))
			return PV_ENOMEM;
		(*segs)[m++] = (struct tok_seg){prev, n - prev, -1};
	}
	*n_segs = m;
	return 0;
}

/* ---- pre-tokenizers */

static int piece_add(pv_tokenizer *t, size_t *n, const char *s, size_t len, bool first)
{
	if (!len)
		return 0;
	if (grow(&t->pb, &t->n_pb_cap, *n + 1, sizeof *t->pb))
		return PV_ENOMEM;
	t->pb[(*n)++] = (struct tok_piece){t->p2.len, len, first};
	return pv_buf_append(&t->p2, s, len, NULL) ? PV_ENOMEM : 0;
}

/* The byte-level alphabet: byte b as a code point, in UTF-8. */
static size_t byte_utf8(unsigned b, char out[2])
{
	/* the printable bytes stand for themselves; the others, in order
	 * (0-32, 127-160, 173), become U+0100 onwards */
	unsigned cp = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174 ? b
		      : b < 33							  ? 256 + b
		      : b <= 160 ? 256 + 33 + (b - 127)
				 : 256 + 67;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	out[0] = (char)(0xC0 | (cp >> 6));
	out[1] = (char)(0x80 | (cp & 0x3F));
	return 2;
}

/* One pre-tokenizer step on one piece s[0..n); pieces go to t->pb / t->p2. */
static int pre_step(pv_tokenizer *t, const tok_pre *st, const char *s, size_t n, bool first,
		    size_t *n_out)
{
	int rc;
	size_t m;
	switch (st->kind) {
	case TP_SPLIT:
		if ((rc = find_matches(t, st->re, st->str, st->n_str, s, n, st->invert, &m)))
			return rc;
		apply_behavior(t, &m, st->behavior);
		for (size_t i = 0; i < m; i++)
			if ((rc = piece_add(t, n_out, s + t->mv[i].off, t->mv[i].len,
					    first && t->mv[i].off == 0)))
				return rc;
		return 0;
	case TP_BYTELEVEL: {
		if (st->add_prefix_space && n && s[0] != ' ') {
			pv_buf_reset(&t->tmp);
			if (pv_buf_putc(&t->tmp, ' ', NULL) || pv_buf_append(&t->tmp, s, n, NULL))
				return PV_ENOMEM;
			s = t->tmp.data;
			n = t->tmp.len;
		}
		if (st->re) {
			if ((rc = find_matches(t, st->re, NULL, 0, s, n, false, &m)))
				return rc;
		} else {
			if (grow(&t->mv, &t->n_mv_cap, 1, sizeof *t->mv))
				return PV_ENOMEM;
			t->mv[0] = (struct tok_match){0, n, true};
			m = 1;
		}
		for (size_t i = 0; i < m; i++) {
			const unsigned char *u = (const unsigned char *)s + t->mv[i].off;
			size_t len = t->mv[i].len;
			if (!len)
				continue;
			if (grow(&t->pb, &t->n_pb_cap, *n_out + 1, sizeof *t->pb))
				return PV_ENOMEM;
			size_t start = t->p2.len;
			for (size_t k = 0; k < len; k++) {
				char c[2];
				size_t bl = byte_utf8(u[k], c);
				if (pv_buf_append(&t->p2, c, bl, NULL))
					return PV_ENOMEM;
			}
			t->pb[(*n_out)++] = (struct tok_piece){start, t->p2.len - start,
							       first && t->mv[i].off == 0};
		}
		return 0;
	}
	case TP_METASPACE: {
		pv_buf_reset(&t->tmp);
		/* the crate checks after replacing the spaces: a leading space is
		 * already the replacement */
		bool pre = (st->prepend == 1 || (st->prepend == 2 && first)) &&
			   !(n && s[0] == ' ') &&
			   !(n >= st->n_str && !memcmp(s, st->str, st->n_str));
		if (pre && pv_buf_append(&t->tmp, st->str, st->n_str, NULL))
			return PV_ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (s[i] == ' ' ? pv_buf_append(&t->tmp, st->str, st->n_str, NULL)
					: pv_buf_putc(&t->tmp, s[i], NULL))
				return PV_ENOMEM;
		const char *x = t->tmp.data ? t->tmp.data : "";
		size_t xn = t->tmp.len;
		if (!st->split)
			return piece_add(t, n_out, x, xn, first);
		if ((rc = find_matches(t, NULL, st->str, st->n_str, x, xn, false, &m)))
			return rc;
		apply_behavior(t, &m, TB_MERGED_NEXT);
		for (size_t i = 0; i < m; i++)
			if ((rc = piece_add(t, n_out, x + t->mv[i].off, t->mv[i].len,
					    first && t->mv[i].off == 0)))
				return rc;
		return 0;
	}
	}
	return 0;
}

/* ---- the BPE model */

static const struct tok_mslot *merge_get(const tok_merges *mg, int64_t a, int64_t b)
{
	if (!mg->n_slots)
		return NULL;
	uint64_t key = ((uint64_t)(a + 1) << 32) | (uint64_t)(b + 1);
	uint64_t h = key * 0x9E3779B97F4A7C15ULL;
	size_t j = (size_t)(h >> 17) & (mg->n_slots - 1);
	for (;;) {
		const struct tok_mslot *e = &mg->slots[j];
		if (!e->key)
			return NULL;
		if (e->key == key)
			return e;
		j = (j + 1) & (mg->n_slots - 1);
	}
}

int64_t pv_tok_vocab_get(const tok_vocab *v, const char *s, size_t n)
{
	if (!v->n_slots)
		return -1;
	uint64_t h = XXH3_64bits(s, n) | 1;
	size_t j = (size_t)h & (v->n_slots - 1);
	for (;;) {
		const struct tok_vslot *e = &v->slots[j];
		if (!e->hash)
			return -1;
		if (e->hash == h && e->len == n && !memcmp(v->bytes.data + e->off, s, n))
			return e->id;
		j = (j + 1) & (v->n_slots - 1);
	}
}

/* The merge heap: the lowest rank first, then the leftmost position. */
static bool heap_less(const struct tok_heap *a, const struct tok_heap *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->pos < b->pos);
}

static void heap_push(struct tok_heap *h, size_t *n, struct tok_heap x)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!heap_less(&x, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = x;
}

static struct tok_heap heap_pop(struct tok_heap *h, size_t *n)
{
	struct tok_heap top = h[0], x = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && heap_less(&h[c + 1], &h[c]))
			c++;
		if (!heap_less(&h[c], &x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

static int sym_add(pv_tokenizer *t, size_t *m, int64_t id)
{
	if (grow(&t->syms, &t->n_syms_cap, *m + 1, sizeof *t->syms))
		return PV_ENOMEM;
	t->syms[*m] = (struct tok_sym){id, (int32_t)*m - 1, (int32_t)*m + 1, false};
	(*m)++;
	return 0;
}

/* The BPE model's token count for one piece (the tokenizers crate's
 * BPE::merge_word and Word::merge_all); -1 when memory runs out. */
static int64_t bpe_count(pv_tokenizer *t, const char *w, size_t n)
{
	if (!n)
		return 0;
	if (n > TOK_PIECE_MAX)
		return -1;
	if (t->ignore_merges && pv_tok_vocab_get(&t->vocab, w, n) >= 0)
		return 1;
	const unsigned char *u = (const unsigned char *)w;
	size_t m = 0;
	bool in_unk = false; /* the last symbol is an unk that fuse_unk may extend */
	for (size_t i = 0; i < n;) {
		size_t l;
		cp_at(u, i, &l);
		bool is_first = i == 0, is_last = i + l == n;
		const char *c = w + i;
		size_t cl = l;
		if ((t->prefix && !is_first) || (t->suffix && is_last)) {
			pv_buf_reset(&t->tmp);
			if ((t->prefix && !is_first &&
			     pv_buf_append(&t->tmp, t->prefix, t->n_prefix, NULL)) ||
			    pv_buf_append(&t->tmp, w + i, l, NULL) ||
			    (t->suffix && is_last &&
			     pv_buf_append(&t->tmp, t->suffix, t->n_suffix, NULL)))
				return -1;
			c = t->tmp.data;
			cl = t->tmp.len;
		}
		i += l;
		int64_t id = pv_tok_vocab_get(&t->vocab, c, cl);
		if (id >= 0) {
			if (sym_add(t, &m, id))
				return -1;
			in_unk = false;
			continue;
		}
		if (t->byte_fallback) {
			bool all = true;
			for (size_t k = 0; k < cl; k++)
				all = all && t->byte_ids[(unsigned char)c[k]] >= 0;
			if (all) {
				for (size_t k = 0; k < cl; k++)
					if (sym_add(t, &m, t->byte_ids[(unsigned char)c[k]]))
						return -1;
				in_unk = false;
				continue;
			}
		}
		if (t->unk_id < 0)
			continue; /* without an unk token the character is dropped */
		if (in_unk && t->fuse_unk)
			continue;
		if (sym_add(t, &m, t->unk_id))
			return -1;
		in_unk = true;
	}
	if (m < 2)
		return (int64_t)m;
	t->syms[m - 1].next = -1;
	if (grow(&t->heap, &t->n_heap_cap, 2 * m + 2, sizeof *t->heap))
		return -1;
	struct tok_heap *h = t->heap;
	size_t nh = 0;
	struct tok_sym *sy = t->syms;
	for (size_t i = 0; i + 1 < m; i++) {
		const struct tok_mslot *e = merge_get(&t->merges, sy[i].id, sy[i + 1].id);
		if (e)
			heap_push(h, &nh, (struct tok_heap){e->rank, e->id, (int32_t)i});
	}
	size_t alive = m;
	while (nh) {
		struct tok_heap top = heap_pop(h, &nh);
		struct tok_sym *a = &sy[top.pos];
		if (a->dead || a->next < 0)
			continue;
		struct tok_sym *b = &sy[a->next];
		const struct tok_mslot *e = merge_get(&t->merges, a->id, b->id);
		if (!e || e->id != top.id)
			continue; /* stale: one side was merged since */
		a->id = top.id;
		b->dead = true;
		a->next = b->next;
		if (a->next >= 0)
			sy[a->next].prev = top.pos;
		alive--;
		/* each merge adds at most two entries: the heap holds at most
		 * m - 1 + 2 (m - 1) < 3m; grow for the rare worst case */
		if (nh + 2 > t->n_heap_cap) {
			if (grow(&t->heap, &t->n_heap_cap, nh + 2, sizeof *t->heap))
				return -1;
			h = t->heap;
		}
		if (a->prev >= 0) {
			const struct tok_mslot *p = merge_get(&t->merges, sy[a->prev].id, a->id);
			if (p)
				heap_push(h, &nh, (struct tok_heap){p->rank, p->id, a->prev});
		}
		if (a->next >= 0) {
			const struct tok_mslot *q = merge_get(&t->merges, a->id, sy[a->next].id);
			if (q)
				heap_push(h, &nh, (struct tok_heap){q->rank, q->id, top.pos});
		}
	}
	return (int64_t)alive;
}

unsigned pv_tok_cp_first(const char *s, size_t n)
{
	size_t l;
	(void)n;
	return cp_at((const unsigned char *)s, 0, &l);
}

unsigned pv_tok_cp_last(const char *s, size_t n)
{
	size_t l;
	return cp_before((const unsigned char *)s, n, &l);
}

static int64_t cached_count(pv_tokenizer *t, const char *w, size_t n);

/* Whether the BPE can never join the characters x and y: no merge a + b
 * has a ending in x and b starting with y, and fuse_unk does not join
 * them as one <unk> (one of them is a token). */
static bool cut_between(pv_tokenizer *t, const char *x, size_t lx, const char *y, size_t ly)
{
	size_t l;
	unsigned a = cp_at((const unsigned char *)x, 0, &l),
		 b = cp_at((const unsigned char *)y, 0, &l);
	if (merge_get(&t->cross, a, b))
		return false;
	if (t->fuse_unk && t->unk_id >= 0 && pv_tok_vocab_get(&t->vocab, x, lx) < 0 &&
	    pv_tok_vocab_get(&t->vocab, y, ly) < 0)
		return false;
	return true;
}

/* The count of a piece: long ones are cut where no merge can reach
 * across (Llama 2 and Gemma have no pre-tokenizer: a whole text is one
 * piece, but no merge joins a letter to a following U+2581), so the parts
 * are short and cached; the merges inside each part are the ones the whole
 * piece would get. */
static int64_t model_count(pv_tokenizer *t, const char *w, size_t n)
{
	if (!t->can_cut || n <= TOK_CUT_MIN)
		return cached_count(t, w, n);
	const unsigned char *u = (const unsigned char *)w;
	int64_t total = 0;
	size_t start = 0, prev = 0, lp;
	cp_at(u, 0, &lp);
	for (size_t i = lp; i < n;) {
		size_t l;
		cp_at(u, i, &l);
		if (cut_between(t, w + prev, i - prev, w + i, l)) {
			int64_t c = cached_count(t, w + start, i - start);
			if (c < 0)
				return -1;
			total += c;
			start = i;
		}
		prev = i;
		i += l;
	}
	int64_t c = cached_count(t, w + start, n - start);
	return c < 0 ? -1 : total + c;
}

static int64_t cached_count(pv_tokenizer *t, const char *w, size_t n)
{
	if (n > TOK_CACHE_LEN)
		return bpe_count(t, w, n);
	if (t->cache.n_used >= TOK_CACHE_MAX || t->cache.bytes.len >= TOK_CACHE_BYTES) {
		pv_kset_release(&t->cache);
		pv_kset_init(&t->cache);
	}
	size_t before = t->cache.n_used;
	pv_kset_entry *e;
	if (pv_kset_get(&t->cache, w, n, &e, NULL))
		return -1;
	if (t->cache.n_used != before) {
		int64_t c = bpe_count(t, w, n);
		if (c < 0) {
			/* the entry stays, marked as never counted */
			e->count = 0;
			return -1;
		}
		e->count = 1;
		e->first = c;
	} else if (!e->count) {
		int64_t c = bpe_count(t, w, n);
		if (c < 0)
			return -1;
		e->count = 1;
		e->first = c;
	}
	return e->first;
}

/* ---- counting */

/* The tokens of one normalized section without added tokens. */
static int64_t count_section(pv_tokenizer *t, const char *s, size_t n, bool first)
{
	if (!n)
		return 0;
	pv_buf_reset(&t->p1);
	if (pv_buf_append(&t->p1, s, n, NULL) || grow(&t->pa, &t->n_pa_cap, 1, sizeof *t->pa))
		return -1;
	t->pa[0] = (struct tok_piece){0, n, first};
	size_t np = 1;
	for (size_t k = 0; k < t->n_pres; k++) {
		size_t nb = 0;
		pv_buf_reset(&t->p2);
		for (size_t i = 0; i < np; i++)
			if (pre_step(t, &t->pres[k], t->p1.data + t->pa[i].off, t->pa[i].len,
				     t->pa[i].first, &nb))
				return -1;
		/* the step's output becomes the next one's input */
		pv_buf sw = t->p1;
		t->p1 = t->p2;
		t->p2 = sw;
		struct tok_piece *pp = t->pa;
		size_t pc = t->n_pa_cap;
		t->pa = t->pb;
		t->n_pa_cap = t->n_pb_cap;
		t->pb = pp;
		t->n_pb_cap = pc;
		np = nb;
	}
	int64_t total = 0;
	for (size_t i = 0; i < np; i++) {
		int64_t c = model_count(t, t->p1.data + t->pa[i].off, t->pa[i].len);
		if (c < 0)
			return -1;
		total += c;
	}
	return total;
}

int64_t pv_tokenizer_count(pv_tokenizer *t, const char *s, size_t n)
{
	if (sanitize(t, &s, &n))
		return -1;
	size_t no;
	if (split_added(t, s, n, false, &t->so, &t->n_so_cap, &no))
		return -1;
	int64_t total = 0;
	for (size_t i = 0; i < no; i++) {
		struct tok_seg sg = t->so[i];
		if (sg.tok >= 0) {
			total++;
			continue;
		}
		const char *x;
		size_t xn;
		if (pv_tok_normalize(t, s + sg.off, sg.len, &x, &xn, NULL))
			return -1;
		size_t ni;
		if (split_added(t, x, xn, true, &t->si, &t->n_si_cap, &ni))
			return -1;
		for (size_t k = 0; k < ni; k++) {
			if (t->si[k].tok >= 0) {
				total++;
				continue;
			}
			int64_t c = count_section(t, x + t->si[k].off, t->si[k].len,
						  sg.off == 0 && t->si[k].off == 0);
			if (c < 0)
				return -1;
			total += c;
		}
	}
	return total;
}

int64_t pv_tokenizer_template_tokens(const pv_tokenizer *t)
{
	return t->n_template;
}

void pv_tokenizer_free(pv_tokenizer *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->n_norms; k++) {
		free(t->norms[k].str);
		free(t->norms[k].str2);
		pv_pcre2.code_free(t->norms[k].re);
	}
	free(t->norms);
	for (size_t k = 0; k < t->n_pres; k++) {
		free(t->pres[k].str);
		pv_pcre2.code_free(t->pres[k].re);
	}
	free(t->pres);
	free(t->vocab.slots);
	pv_buf_release(&t->vocab.bytes);
	free(t->merges.slots);
	free(t->cross.slots);
	free(t->prefix);
	free(t->suffix);
	for (size_t k = 0; k < t->n_added; k++)
		free(t->added[k].content);
	free(t->added);
	free(t->by_first);
	pv_pcre2.match_data_free(t->md);
	pv_kset_release(&t->cache);
	pv_buf_release(&t->in);
	pv_buf_release(&t->n1);
	pv_buf_release(&t->n2);
	pv_buf_release(&t->p1);
	pv_buf_release(&t->p2);
	pv_buf_release(&t->tmp);
	free(t->so);
	free(t->si);
	free(t->mv);
	free(t->pa);
	free(t->pb);
	free(t->syms);
	free(t->heap);
	free(t->path);
	free(t);
}
