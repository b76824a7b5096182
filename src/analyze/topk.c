/*
 * topk.c - exact value counts turning into a Misra-Gries summary (topk.h).
 * Must not include anything above base.
 */
#include "analyze/topk.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/banned.h"

void pv_topk_init(pv_topk *t, size_t exact_max, size_t k)
{
	memset(t, 0, sizeof *t);
	t->exact_max = exact_max ? exact_max : PV_TOPK_EXACT_MAX;
	t->k = k ? k : PV_TOPK_K;
	t->exact = true;
}

#define BLOCK ((size_t)1 << PV_TOPK_BLOCK_BITS)

static void blocks_free(char **blocks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(blocks[i]);
	free(blocks);
}

void pv_topk_release(pv_topk *t)
{
	if (!t)
		return;
	free(t->entries);
	free(t->index);
	blocks_free(t->blocks, t->n_blocks);
	t->entries = NULL;
	t->index = NULL;
	t->blocks = NULL;
	t->n_entries = t->cap_entries = t->index_cap = 0;
	t->n_blocks = t->block0_cap = t->pool_len = 0;
}

/* Copies n (<= PV_TOPK_TEXT) bytes into the text blocks; *out_off is
 * their offset. The first block grows by doubling, as most tables stay
 * small; past it whole blocks are added and nothing is moved. */
static int text_put(pv_topk *t, const char *s, size_t n, uint32_t *out_off)
{
	size_t off = t->pool_len;
	if ((off & (BLOCK - 1)) + n > BLOCK)
		off = (off | (BLOCK - 1)) + 1; /* start the next block */
	size_t b = off >> PV_TOPK_BLOCK_BITS, end = (off & (BLOCK - 1)) + n;
	/* offsets are 32-bit; exact_max * PV_TOPK_TEXT stays far below */
	if (off + n > UINT32_MAX)
		return PV_ENOMEM;
	if (b >= t->n_blocks) {
		char **bs = realloc(t->blocks, (b + 1) * sizeof *bs);
		if (!bs)
			return PV_ENOMEM;
		t->blocks = bs;
		bs[b] = malloc(b ? BLOCK : 256);
		if (!bs[b])
			return PV_ENOMEM;
		if (!b)
			t->block0_cap = 256;
		t->n_blocks = b + 1;
	}
	if (!b && end > t->block0_cap) {
		size_t cap = t->block0_cap * 2;
		while (cap < end)
			cap *= 2;
		char *p = realloc(t->blocks[0], cap);
		if (!p)
			return PV_ENOMEM;
		t->blocks[0] = p;
		t->block0_cap = cap;
	}
	if (n)
		memcpy(t->blocks[b] + (off & (BLOCK - 1)), s, n);
	*out_off = (uint32_t)off;
	t->pool_len = off + n;
	return 0;
}

static int rebuild_index(pv_topk *t, size_t cap)
{
	uint32_t *ix = calloc(cap, sizeof *ix);
	if (!ix)
		return PV_ENOMEM;
	for (size_t i = 0; i < t->n_entries; i++) {
		size_t h = (size_t)t->entries[i].hash & (cap - 1);
		while (ix[h])
			h = (h + 1) & (cap - 1);
		ix[h] = (uint32_t)(i + 1);
	}
	free(t->index);
	t->index = ix;
	t->index_cap = cap;
	return 0;
}

/* The k-th largest of c[0..n) (0-based; k < n), reordering c
 * (Hoare's selection). */
static int64_t kth_largest(int64_t *c, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		int64_t pivot = c[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (c[i] > pivot)
				i++;
			while (c[j] < pivot)
				j--;
			if (i <= j) {
				int64_t t = c[i];
				c[i] = c[j];
				c[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return c[k];
}

/* Subtracts the (k+1)-th largest count from every counter and drops the
 * ones left at or below zero (topk.h). */
static int shrink(pv_topk *t)
{
	if (t->n_entries <= t->k)
		return 0;
	int64_t *c = malloc(t->n_entries * sizeof *c);
	if (!c)
		return PV_ENOMEM;
	for (size_t i = 0; i < t->n_entries; i++)
		c[i] = t->entries[i].count;
	int64_t cut = kth_largest(c, t->n_entries, t->k);
	/* survivors' texts are copied into fresh blocks (c holds their new
	 * offsets until every copy succeeded), the old blocks freed */
	pv_topk old = *t;
	t->blocks = NULL;
	t->n_blocks = t->block0_cap = t->pool_len = 0;
	for (size_t i = 0; i < old.n_entries; i++) {
		const pv_topk_entry *e = &old.entries[i];
		uint32_t off;
		if (e->count <= cut)
			continue;
		if (text_put(t, pv_topk_text(&old, e), e->text_len, &off)) {
			blocks_free(t->blocks, t->n_blocks);
			t->blocks = old.blocks;
			t->n_blocks = old.n_blocks;
			t->block0_cap = old.block0_cap;
			t->pool_len = old.pool_len;
			free(c);
			return PV_ENOMEM;
		}
		c[i] = off;
	}
	blocks_free(old.blocks, old.n_blocks);
	size_t w = 0;
	for (size_t i = 0; i < t->n_entries; i++) {
		if (t->entries[i].count <= cut)
			continue;
		t->entries[w] = t->entries[i];
		t->entries[w].count -= cut;
		t->entries[w].text_off = (uint32_t)c[i];
		w++;
	}
	free(c);
	t->n_entries = w;
	t->error += cut;
	t->exact = false;
	/* from now on at most 2k entries: a small index stays in cache */
	size_t cap = 64;
	while (cap < 4 * t->k)
		cap *= 2;
	return rebuild_index(t, cap);
}

static pv_topk_entry *find(const pv_topk *t, uint64_t hash)
{
	if (!t->index_cap)
		return NULL;
	size_t h = (size_t)hash & (t->index_cap - 1);
	while (t->index[h]) {
		pv_topk_entry *e = &t->entries[t->index[h] - 1];
		if (e->hash == hash)
			return e;
		h = (h + 1) & (t->index_cap - 1);
	}
	return NULL;
}

int pv_topk_add(pv_topk *t, uint64_t hash, int64_t weight, pv_topk_entry **out_entry,
		bool *out_new)
{
	*out_new = false;
	t->n += weight;
	pv_topk_entry *e = find(t, hash);
	if (e) {
		e->count += weight;
		*out_entry = e;
		return 0;
	}
	size_t limit = t->exact ? t->exact_max : 2 * t->k;
	if (t->n_entries >= limit) {
		int rc = shrink(t);
		if (rc)
			return rc;
	}
	if (t->n_entries == t->cap_entries) {
		size_t cap = t->cap_entries ? t->cap_entries * 2 : 64;
		pv_topk_entry *p = realloc(t->entries, cap * sizeof *p);
		if (!p)
			return PV_ENOMEM;
		t->entries = p;
		t->cap_entries = cap;
	}
	if ((t->n_entries + 1) * 4 > t->index_cap * 3) {
		int rc = rebuild_index(t, t->index_cap ? t->index_cap * 2 : 128);
		if (rc)
			return rc;
	}
	e = &t->entries[t->n_entries];
	memset(e, 0, sizeof *e);
	e->hash = hash;
	e->count = weight;
	size_t h = (size_t)hash & (t->index_cap - 1);
	while (t->index[h])
		h = (h + 1) & (t->index_cap - 1);
	t->index[h] = (uint32_t)(t->n_entries + 1);
	t->n_entries++;
	*out_entry = e;
	*out_new = true;
	return 0;
}

int pv_topk_set_text(pv_topk *t, pv_topk_entry *e, const char *s, size_t n)
{
	e->text_cut = n > PV_TOPK_TEXT;
	if (n > PV_TOPK_TEXT) {
		n = PV_TOPK_TEXT;
		/* back up to a UTF-8 character boundary */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	uint32_t off;
	if (text_put(t, s, n, &off))
		return PV_ENOMEM;
	e->text_off = off;
	e->text_len = (uint8_t)n;
	return 0;
}

int pv_topk_restore(pv_topk *t, uint64_t hash, int64_t count, const char *text, size_t n,
		    bool cut)
{
	pv_topk_entry *e;
	bool fresh;
	/* weight added without counting it twice in n */
	int64_t keep = t->n;
	int rc = pv_topk_add(t, hash, count, &e, &fresh);
	t->n = keep;
	if (rc)
		return rc;
	if (fresh) {
		if (pv_topk_set_text(t, e, text, n))
			return PV_ENOMEM;
		e->text_cut |= cut;
	}
	return 0;
}

int pv_topk_merge(pv_topk *dst, const pv_topk *src)
{
	if (!src->exact && dst->exact) {
		/* the result is approximate: shrink by src's rules from now on */
		dst->exact = false;
	}
	int64_t n = dst->n + src->n;
	for (size_t i = 0; i < src->n_entries; i++) {
		const pv_topk_entry *s = &src->entries[i];
		pv_topk_entry *e;
		bool fresh;
		int rc = pv_topk_add(dst, s->hash, s->count, &e, &fresh);
		if (rc)
			return rc;
		if (fresh) {
			if (pv_topk_set_text(dst, e, pv_topk_text(src, s), s->text_len))
				return PV_ENOMEM;
			e->text_cut = s->text_cut;
		}
	}
	dst->n = n;
	dst->error += src->error;
	if (!dst->exact && dst->n_entries > 2 * dst->k)
		return shrink(dst);
	return 0;
}

size_t pv_topk_distinct(const pv_topk *t)
{
	return t->n_entries;
}

static int cmp_entry(const void *a, const void *b, void *ctx)
{
	const pv_topk *t = ctx;
	const pv_topk_entry *x = *(const pv_topk_entry *const *)a;
	const pv_topk_entry *y = *(const pv_topk_entry *const *)b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	size_t n = x->text_len < y->text_len ? x->text_len : y->text_len;
	int c = memcmp(pv_topk_text(t, x), pv_topk_text(t, y), n);
	if (c)
		return c;
	if (x->text_len != y->text_len)
		return (x->text_len > y->text_len) - (x->text_len < y->text_len);
	/* equal texts (cut ones): table order, so the order is total */
	return (x > y) - (x < y);
}

/* Restores the heap below h[i] (the worst-ranked entry on top). */
static void sift_down(const pv_topk *t, const pv_topk_entry **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && cmp_entry(&h[l], &h[w], (void *)t) > 0)
			w = l;
		if (r < n && cmp_entry(&h[r], &h[w], (void *)t) > 0)
			w = r;
		if (w == i)
			return;
		const pv_topk_entry *x = h[i];
		h[i] = h[w];
		h[w] = x;
		i = w;
	}
}

size_t pv_topk_top(const pv_topk *t, const pv_topk_entry **out, size_t max)
{
	if (!t->n_entries || !max)
		return 0;
	/* the best max of n entries through a heap of max (reports ask for
	 * a few of tens of thousands: sorting them all cost more than the
	 * rest of a small profile) */
	size_t m = t->n_entries < max ? t->n_entries : max;
	for (size_t i = 0; i < m; i++)
		out[i] = &t->entries[i];
	for (size_t i = m / 2; i-- > 0;)
		sift_down(t, out, m, i);
	for (size_t i = m; i < t->n_entries; i++) {
		const pv_topk_entry *e = &t->entries[i];
		if (cmp_entry(&e, &out[0], (void *)t) < 0) {
			out[0] = e;
			sift_down(t, out, m, 0);
		}
	}
	qsort_r(out, m, sizeof *out, cmp_entry, (void *)t);
	return m;
}
