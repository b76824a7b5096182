/*
 * test_profile.c - analyze/topk and analyze/profile: exact value counts
 * and the Misra-Gries undercount bound; Welford/Chan moments merged from
 * parts equal one pass; column profilers fed in parts and merged equal
 * one profiler fed everything (exact parts exactly, HyperLogLog
 * registers identically); UTF-8 character counts; a profile saved and
 * loaded again equals the original, and damaged state files are
 * rejected with an error rather than a crash.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "analyze/profile.h"
#include "analyze/topk.h"
#include "render/arrowval.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The leading decimal number of s (the tests' own, banned.h bans atoi). */
static int atoi_test(const char *s)
{
	int v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static void test_topk_exact(void **state)
{
	pv_topk t;
	pv_topk_init(&t, 1000, 16);
	for (int64_t v = 0; v < 500; v++)
		for (int64_t r = 0; r <= v % 7; r++) {
			pv_topk_entry *e;
			bool fresh;
			assert_int_equal(pv_topk_add(&t, pv_hll_hash_u64((uint64_t)v), 1, &e, &fresh), 0);
			if (fresh)
				assert_int_equal(pv_topk_set_text(&t, e, (const char *)&v, 8), 0);
		}
	assert_true(t.exact);
	assert_int_equal(pv_topk_distinct(&t), 500);
	const pv_topk_entry *top[3];
	assert_int_equal(pv_topk_top(&t, top, 3), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(top[i]->count, 7);
	pv_topk_release(&t);
}

/* Texts past the first block (5,000 texts of 39 bytes fill three
 * 64 KiB blocks): each entry keeps its own text, and so does a merge
 * into another table, and a text cut at PV_TOPK_TEXT bytes says so. */
static void test_topk_texts(void **state)
{
	enum { N = 5000 };
	pv_topk a, b;
	pv_topk_init(&a, 10000, 0);
	pv_topk_init(&b, 10000, 0);
	char want[80];
	for (int v = 0; v < N; v++) {
		pv_topk_entry *e;
		bool fresh;
		int n = snprintf(want, sizeof want, "value %05d padded to forty-odd bytes %d", v, v % 10);
		assert_int_equal(pv_topk_add(&a, pv_hll_hash_u64((uint64_t)v), 1, &e, &fresh), 0);
		assert_true(fresh);
		assert_int_equal(pv_topk_set_text(&a, e, want, (size_t)n), 0);
	}
	assert_int_equal(a.n_blocks, 3);
	assert_int_equal(pv_topk_merge(&b, &a), 0);
	pv_topk *ts[] = { &a, &b };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ts[k]->n_entries; i++) {
			const pv_topk_entry *e = &ts[k]->entries[i];
			int v = atoi_test(pv_topk_text(ts[k], e) + 6);
			int n = snprintf(want, sizeof want, "value %05d padded to forty-odd bytes %d", v,
					 v % 10);
			assert_int_equal(e->text_len, n);
			assert_memory_equal(pv_topk_text(ts[k], e), want, (size_t)n);
			assert_true(e->hash == pv_hll_hash_u64((uint64_t)v));
		}
	/* a long text is cut and flagged */
	pv_topk_entry *e;
	bool fresh;
	const char *lng = "0123456789012345678901234567890123456789012345678901234567890123";
	assert_int_equal(pv_topk_add(&b, 42424242, 1, &e, &fresh), 0);
	assert_int_equal(pv_topk_set_text(&b, e, lng, strlen(lng)), 0);
	assert_true(e->text_cut);
	assert_int_equal(e->text_len, PV_TOPK_TEXT);
	assert_memory_equal(pv_topk_text(&b, e), lng, PV_TOPK_TEXT);
	pv_topk_release(&a);
	pv_topk_release(&b);
}

static int by_rank(const void *a, const void *b, void *ctx)
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
		return x->text_len < y->text_len ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* pv_topk_top's best entries are the head of a full sort by count, then
 * text (many ties: counts 1..4, texts sharing prefixes, equal texts). */
static void test_topk_top(void **state)
{
	enum { N = 3000 };
	pv_topk t;
	pv_topk_init(&t, 10000, 0);
	uint64_t s = 99;
	for (int i = 0; i < 8000; i++) {
		int v = (int)(next(&s) % N);
		pv_topk_entry *e;
		bool fresh;
		assert_int_equal(pv_topk_add(&t, pv_hll_hash_u64((uint64_t)v), 1, &e, &fresh), 0);
		if (fresh) {
			char txt[32];
			int n = snprintf(txt, sizeof txt, "v%d", v % 700);
			assert_int_equal(pv_topk_set_text(&t, e, txt, (size_t)n), 0);
		}
	}
	size_t n = t.n_entries;
	const pv_topk_entry **all = malloc(n * sizeof *all), **got = malloc(n * sizeof *got);
	for (size_t i = 0; i < n; i++)
		all[i] = &t.entries[i];
	qsort_r(all, n, sizeof *all, by_rank, &t);
	size_t maxes[] = { 1, 5, 50, 777, n, n + 10 };
	for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
		size_t m = pv_topk_top(&t, got, maxes[k]);
		assert_int_equal(m, maxes[k] < n ? maxes[k] : n);
		for (size_t i = 0; i < m; i++)
			assert_ptr_equal(got[i], all[i]);
	}
	free(all);
	free(got);
	pv_topk_release(&t);
}

/* A skewed stream: value v appears about n / (v + 1)^1.2 times. After
 * the table turns approximate every count is low by at most `error`,
 * error <= n / (k + 1), and every heavy value is still present. */
static void test_topk_bound(void **state)
{
	enum { V = 20000 };
	int64_t *truth = calloc(V, sizeof *truth);
	assert_non_null(truth);
	pv_topk a, b, whole;
	pv_topk_init(&a, 256, 32);
	pv_topk_init(&b, 256, 32);
	pv_topk_init(&whole, 256, 32);
	uint64_t s = 12345;
	int64_t n = 0;
	for (int i = 0; i < 400000; i++) {
		/* a Zipf-like draw by rejection from a power of a uniform */
		double u = (double)(next(&s) >> 11) / 9007199254740992.0;
		int64_t v = (int64_t)(pow(u, 4.0) * V);
		if (v >= V)
			v = V - 1;
		truth[v]++;
		n++;
		pv_topk_entry *e;
		bool fresh;
		uint64_t h = pv_hll_hash_u64((uint64_t)v);
		assert_int_equal(pv_topk_add(i % 3 ? &a : &b, h, 1, &e, &fresh), 0);
		if (fresh)
			assert_int_equal(pv_topk_set_text(i % 3 ? &a : &b, e, (const char *)&v, 8), 0);
		assert_int_equal(pv_topk_add(&whole, h, 1, &e, &fresh), 0);
		if (fresh)
			assert_int_equal(pv_topk_set_text(&whole, e, (const char *)&v, 8), 0);
	}
	assert_int_equal(pv_topk_merge(&a, &b), 0);
	pv_topk *sk[] = { &whole, &a };
	for (int k = 0; k < 2; k++) {
		pv_topk *t = sk[k];
		assert_false(t->exact);
		assert_int_equal(t->n, n);
		assert_true(t->error > 0);
		assert_true(t->error <= n / (int64_t)(t->k + 1));
		for (size_t i = 0; i < t->n_entries; i++) {
			int64_t v;
			memcpy(&v, pv_topk_text(t, &t->entries[i]), 8);
			assert_true(t->entries[i].count <= truth[v]);
			assert_true(t->entries[i].count >= truth[v] - t->error);
		}
		/* values heavier than the bound are present */
		for (int64_t v = 0; v < V; v++)
			if (truth[v] > t->error) {
				bool found = false;
				for (size_t i = 0; i < t->n_entries && !found; i++)
					found = !memcmp(pv_topk_text(t, &t->entries[i]), &v, 8);
				if (!found)
					fail_msg("value %lld (count %lld > error %lld) missing",
						 (long long)v, (long long)truth[v], (long long)t->error);
			}
	}
	pv_topk_release(&a);
	pv_topk_release(&b);
	pv_topk_release(&whole);
	free(truth);
}

static void test_moments_merge(void **state)
{
	pv_moments all = { 0 }, parts[4] = { { 0 } };
	uint64_t s = 99;
	double sum = 0, sq = 0;
	int n = 100000;
	double *x = malloc((size_t)n * sizeof *x);
	assert_non_null(x);
	for (int i = 0; i < n; i++) {
		x[i] = 1e6 + (double)(next(&s) % 100000) / 1000.0; /* large offset: naive sums lose digits */
		pv_moments_add(&all, x[i]);
		pv_moments_add(&parts[i % 4], x[i]);
		sum += x[i];
	}
	double mean = sum / n;
	for (int i = 0; i < n; i++)
		sq += (x[i] - mean) * (x[i] - mean);
	double sd = sqrt(sq / (n - 1));
	pv_moments m = { 0 };
	for (int p = 0; p < 4; p++)
		pv_moments_merge(&m, &parts[p]);
	assert_int_equal(m.n, n);
	assert_true(fabs(all.mean - mean) / mean < 1e-12);
	assert_true(fabs(m.mean - mean) / mean < 1e-12);
	assert_true(fabs(pv_moments_stddev(&all) - sd) / sd < 1e-9);
	assert_true(fabs(pv_moments_stddev(&m) - sd) / sd < 1e-9);
	pv_moments one = { 0 };
	pv_moments_add(&one, 5);
	assert_true(isnan(pv_moments_stddev(&one)));
	free(x);
}

/* ---- column profilers over hand-built Arrow arrays */

typedef struct col {
	struct ArrowArray a;
	const void *bufs[3];
	uint8_t *valid;
	void *data;
	int32_t *offsets;
	char *chars;
} col;

static pv_atype *type_of(pv_arena *ar, const char *format)
{
	struct ArrowSchema sc = { .format = format, .name = "x", .flags = ARROW_FLAG_NULLABLE };
	pv_atype *t;
	assert_int_equal(pv_atype_parse(ar, &sc, &t, NULL), 0);
	return t;
}

/* int64 values v[0..n), NULL where v % 10 == 3 */
static void make_ints(col *c, const int64_t *v, int64_t n)
{
	memset(c, 0, sizeof *c);
	c->valid = calloc((size_t)(n + 7) / 8, 1);
	c->data = malloc((size_t)n * 8);
	int64_t nulls = 0;
	for (int64_t i = 0; i < n; i++) {
		bool ok = v[i] % 10 != 3;
		if (ok)
			c->valid[i / 8] |= (uint8_t)(1u << (i % 8));
		nulls += !ok;
		((int64_t *)c->data)[i] = v[i];
	}
	c->bufs[0] = c->valid;
	c->bufs[1] = c->data;
	c->a = (struct ArrowArray){ .length = n, .null_count = nulls, .n_buffers = 2,
				    .buffers = c->bufs };
}

static void make_strings(col *c, const char *const *s, int64_t n)
{
	memset(c, 0, sizeof *c);
	c->offsets = malloc((size_t)(n + 1) * 4);
	size_t total = 0;
	for (int64_t i = 0; i < n; i++)
		total += strlen(s[i]);
	c->chars = malloc(total + 1);
	c->offsets[0] = 0;
	for (int64_t i = 0; i < n; i++) {
		size_t l = strlen(s[i]);
		memcpy(c->chars + c->offsets[i], s[i], l);
		c->offsets[i + 1] = c->offsets[i] + (int32_t)l;
	}
	c->bufs[0] = NULL;
	c->bufs[1] = c->offsets;
	c->bufs[2] = c->chars;
	c->a = (struct ArrowArray){ .length = n, .n_buffers = 3, .buffers = c->bufs };
}

static void col_free(col *c)
{
	free(c->valid);
	free(c->data);
	free(c->offsets);
	free(c->chars);
}

static void test_colprof_merge_equals_whole(void **state)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t = type_of(&ar, "l");
	assert_int_equal(pv_prof_kind_of(t), PV_PROF_INT);
	int64_t n = 200000;
	int64_t *v = malloc((size_t)n * sizeof *v);
	uint64_t s = 7;
	for (int64_t i = 0; i < n; i++)
		v[i] = (int64_t)(next(&s) % 150000) - 1000;
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	pv_colprof whole, merged, part;
	assert_int_equal(pv_colprof_init(&whole, PV_PROF_INT, 0, NULL), 0);
	assert_int_equal(pv_colprof_init(&merged, PV_PROF_INT, 0, NULL), 0);
	col c;
	make_ints(&c, v, n);
	assert_int_equal(pv_colprof_feed(&whole, t, &c.a, NULL, n, 8192, &scratch, NULL), 0);
	/* parts through selection vectors: even rows, odd rows */
	int64_t *sel = malloc((size_t)n / 2 * sizeof *sel);
	for (int k = 0; k < 2; k++) {
		for (int64_t i = 0; i < n / 2; i++)
			sel[i] = 2 * i + k;
		assert_int_equal(pv_colprof_init(&part, PV_PROF_INT, 0, NULL), 0);
		assert_int_equal(pv_colprof_feed(&part, t, &c.a, sel, n / 2, 8192, &scratch, NULL), 0);
		assert_int_equal(pv_colprof_merge(&merged, &part, NULL), 0);
		pv_colprof_release(&part);
	}
	/* the exact answers, computed here */
	int64_t nulls = 0, mn = INT64_MAX, mx = INT64_MIN;
	double sum = 0;
	for (int64_t i = 0; i < n; i++) {
		if (v[i] % 10 == 3) {
			nulls++;
			continue;
		}
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
		sum += (double)v[i];
	}
	pv_colprof *ps[] = { &whole, &merged };
	for (int k = 0; k < 2; k++) {
		pv_colprof *p = ps[k];
		assert_int_equal(p->rows, n);
		assert_int_equal(p->nulls, nulls);
		assert_int_equal(p->imin, mn);
		assert_int_equal(p->imax, mx);
		assert_int_equal(p->mom.n, n - nulls);
		assert_true(fabs(p->mom.mean - sum / (double)(n - nulls)) <= 1e-9 * fabs(p->mom.mean));
		bool exact;
		double d = pv_colprof_distinct(p, &exact);
		/* more than 65,536 distinct values: HyperLogLog */
		assert_false(exact);
		assert_true(d > 0);
	}
	assert_memory_equal(whole.hll->reg, merged.hll->reg, PV_HLL_M);
	pv_colprof_release(&whole);
	pv_colprof_release(&merged);
	col_free(&c);
	free(sel);
	free(v);
	pv_buf_release(&scratch);
	pv_arena_release(&ar);
}

static void test_string_lengths(void **state)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t = type_of(&ar, "u");
	/* code points, not bytes: é is 2 bytes, 日本 6, the emoji 4 */
	const char *s[] = { "", "a", "\xc3\xa9t\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
			    "\xf0\x9f\x98\x80 long enough to pass eight bytes", "a" };
	col c;
	make_strings(&c, s, 6);
	pv_colprof p;
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	assert_int_equal(pv_colprof_init(&p, PV_PROF_STRING, 0, NULL), 0);
	assert_int_equal(pv_colprof_feed(&p, t, &c.a, NULL, 6, 3, &scratch, NULL), 0);
	assert_int_equal(p.chars.min, 0);
	assert_int_equal(p.chars.max, 1 + (int64_t)strlen(" long enough to pass eight bytes"));
	assert_int_equal(p.chars.sum, 0 + 1 + 3 + 2 + p.chars.max + 1);
	assert_int_equal(p.bytes.sum, (int64_t)(strlen(s[2]) + strlen(s[3]) + strlen(s[4]) + 2));
	assert_int_equal(p.n_over, 1); /* only the long one has more than 3 characters */
	bool exact;
	assert_true(pv_colprof_distinct(&p, &exact) == 5 && exact);
	const pv_topk_entry *top[1];
	assert_int_equal(pv_topk_top(&p.topk, top, 1), 1);
	assert_int_equal(top[0]->count, 2);
	assert_memory_equal(pv_topk_text(&p.topk, top[0]), "a", 1);
	pv_colprof_release(&p);
	col_free(&c);
	pv_buf_release(&scratch);
	pv_arena_release(&ar);
}

/* ---- saved state */

static pv_profile *small_profile(void)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_profile *p = pv_profile_new(100, 0, "k", false);
	assert_non_null(p);
	pv_profile_column pc = { .name = "x", .format = "l", .type = "INT64", .kind = PV_PROF_INT,
				 .decoded = true, .footer_nulls_known = true, .footer_nulls = 3 };
	assert_int_equal(pv_profile_add_column(p, &pc, NULL), 0);
	pv_atype *t = type_of(&ar, "l");
	int64_t v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = i * 37 % 1001;
	col c;
	make_ints(&c, v, 1000);
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	for (int g = 0; g < 2; g++) {
		size_t at;
		assert_int_equal(pv_profile_add_group(p, g ? "b" : "a", &at, NULL), 0);
		assert_int_equal(pv_colprof_feed(&p->groups[at].cols[0], t, &c.a, NULL, 1000 - g * 500,
						 100, &scratch, NULL),
				 0);
		p->groups[at].rows = 1000 - g * 500;
		p->rows += p->groups[at].rows;
	}
	col_free(&c);
	pv_buf_release(&scratch);
	pv_arena_release(&ar);
	return p;
}

static char *json_of(const pv_profile *p)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_json j;
	pv_json_init_buf(&j, &b, false);
	assert_int_equal(pv_profile_json(p, &j, 5, 10, NULL), 0);
	assert_int_equal(pv_json_finish(&j), 0);
	assert_int_equal(pv_buf_putc(&b, '\0', NULL), 0);
	return b.data;
}

static void test_state_roundtrip(void **state)
{
	pv_profile *p = small_profile();
	char path[] = "/tmp/pv_test_profile_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	pv_err err;
	assert_int_equal(pv_profile_save(p, path, NULL, 0, &err), 0);
	pv_profile *q;
	assert_int_equal(pv_profile_load(path, &q, &err), 0);
	char *a = json_of(p), *b = json_of(q);
	assert_string_equal(a, b);
	/* merging a profile with itself doubles every count */
	assert_int_equal(pv_profile_merge(q, p, &err), 0);
	assert_int_equal(q->rows, 2 * p->rows);
	assert_int_equal(q->groups[0].cols[0].nulls, 2 * p->groups[0].cols[0].nulls);
	/* small exact tables: no sketch on either side */
	assert_null(p->groups[0].cols[0].hll);
	assert_null(q->groups[0].cols[0].hll);
	assert_int_equal(pv_topk_distinct(&q->groups[0].cols[0].topk),
			 pv_topk_distinct(&p->groups[0].cols[0].topk));
	free(a);
	free(b);
	pv_profile_free(q);

	/* every truncation and many bit flips: an error, never a crash */
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *bytes = malloc((size_t)size);
	assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	int rejected = 0;
	for (long cut = 0; cut < size; cut += cut < 64 ? 1 : 97) {
		f = fopen(path, "wb");
		fwrite(bytes, 1, (size_t)cut, f);
		fclose(f);
		int rc = pv_profile_load(path, &q, &err);
		assert_true(rc < 0);
		assert_null(strchr(err.msg, '\n'));
		rejected++;
	}
	uint64_t s = 3;
	for (int i = 0; i < 300; i++) {
		long at = (long)(next(&s) % (uint64_t)size);
		bytes[at] ^= (uint8_t)(1u << (next(&s) % 8));
		f = fopen(path, "wb");
		fwrite(bytes, 1, (size_t)size, f);
		fclose(f);
		if (pv_profile_load(path, &q, &err) == 0)
			pv_profile_free(q); /* a flip in a count can stay valid */
	}
	assert_true(rejected > 64);
	free(bytes);
	unlink(path);
	pv_profile_free(p);
}

static void test_merge_mismatch(void **state)
{
	pv_profile *a = small_profile();
	pv_profile *b = pv_profile_new(200, 0, "k", false);
	pv_err err;
	assert_int_equal(pv_profile_merge(a, b, &err), PV_EINVAL);
	assert_non_null(strstr(err.msg, "--max-chars"));
	pv_profile_free(b);
	b = pv_profile_new(100, 0, NULL, false);
	assert_int_equal(pv_profile_merge(a, b, &err), PV_EINVAL);
	pv_profile_free(b);
	pv_profile_free(a);
}

static void test_stats_parse(void **state)
{
	unsigned st = 0;
	pv_err err;
	assert_int_equal(pv_prof_stats_parse("lengths", &st, &err), 0);
	assert_int_equal(st, PV_PROF_S_LENGTHS);
	assert_int_equal(pv_prof_stats_parse("nulls,embedding,top", &st, &err), 0);
	assert_int_equal(st, PV_PROF_S_NULLS | PV_PROF_S_EMBEDDING | PV_PROF_S_TOP);
	assert_int_equal(pv_prof_stats_parse("lengths,len", &st, &err), PV_EINVAL);
	assert_non_null(strstr(err.msg, "'len'"));
	assert_int_equal(pv_prof_stats_parse("", &st, &err), PV_EINVAL);
	assert_int_equal(pv_prof_stats_parse("lengths,", &st, &err), PV_EINVAL);
}

/* A lengths-only string profiler hashes nothing and sketches nothing, and
 * its exact length figures equal a full profiler's. */
static void test_lengths_only(void **state)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t = type_of(&ar, "u");
	const char *s[] = { "a", "\xc3\xa9t\xc3\xa9", "", "\xf0\x9f\x98\x80 past eight bytes", "a" };
	col c;
	make_strings(&c, s, 5);
	pv_colprof full, lo;
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	assert_int_equal(pv_colprof_init(&full, PV_PROF_STRING, 0, NULL), 0);
	assert_int_equal(pv_colprof_init(&lo, PV_PROF_STRING, 0, NULL), 0);
	pv_colprof_limit(&lo, PV_PROF_S_LENGTHS);
	assert_false(lo.hashes);
	assert_null(lo.hll);
	assert_int_equal(pv_colprof_feed(&full, t, &c.a, NULL, 5, 3, &scratch, NULL), 0);
	assert_int_equal(pv_colprof_feed(&lo, t, &c.a, NULL, 5, 3, &scratch, NULL), 0);
	assert_int_equal(lo.chars.min, full.chars.min);
	assert_int_equal(lo.chars.max, full.chars.max);
	assert_int_equal(lo.chars.sum, full.chars.sum);
	assert_int_equal(lo.bytes.sum, full.bytes.sum);
	assert_int_equal(lo.n_over, full.n_over);
	assert_int_equal(lo.n_over, 1);
	assert_int_equal(lo.chars.kll.n, 0);  /* no quantile sketch */
	assert_int_equal(full.chars.kll.n, 5);
	assert_int_equal(lo.topk.n, 0);       /* nothing counted */
	pv_colprof_release(&full);
	pv_colprof_release(&lo);
	col_free(&c);
	pv_buf_release(&scratch);
	pv_arena_release(&ar);
}

/* The sketch of values v[0..n) other than those with v % 10 == 3 (the
 * NULLs of make_ints), as a profiler fed from the start would hold it. */
static void reference_hll(pv_hll *h, const int64_t *v, int64_t n)
{
	pv_hll_init(h);
	for (int64_t i = 0; i < n; i++)
		if (v[i] % 10 != 3)
			pv_hll_add(h, pv_hll_hash_u64((uint64_t)v[i]));
}

static void feed_ints(pv_colprof *c, size_t exact_max, const pv_atype *t, const int64_t *v,
		      int64_t n)
{
	pv_buf scratch;
	pv_buf_init(&scratch, 0);
	col k;
	make_ints(&k, v, n);
	assert_int_equal(pv_colprof_init(c, PV_PROF_INT, exact_max, NULL), 0);
	assert_int_equal(pv_colprof_feed(c, t, &k.a, NULL, n, 8192, &scratch, NULL), 0);
	col_free(&k);
	pv_buf_release(&scratch);
}

/* The distinct sketch starts when the exact table fills: below that no
 * sketch exists and the count is exact; past it the registers equal
 * those of a sketch fed every value from the start, whether the
 * threshold is crossed while feeding or while merging, in either order. */
static void test_exact_to_sketch(void **state)
{
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t = type_of(&ar, "l");
	enum { EXACT = 1000, N = 5000 };
	int64_t *v = malloc(N * sizeof *v);
	for (int64_t i = 0; i < N; i++)
		v[i] = i * 7 + 1; /* distinct; i % 10 == 3 rows are NULL */
	pv_hll *ref = malloc(sizeof *ref);
	bool exact;

	/* 900 values (810 non-NULL distinct): exact, no sketch */
	pv_colprof a, b, m;
	feed_ints(&a, EXACT, t, v, 900);
	assert_null(a.hll);
	assert_true(a.hashes);
	assert_true(pv_colprof_distinct(&a, &exact) == 810.0);
	assert_true(exact);

	/* 5,000 values (4,500 distinct) through a 1,000-value table: the
	 * sketch is the one of every value */
	pv_colprof w;
	feed_ints(&w, EXACT, t, v, N);
	assert_non_null(w.hll);
	assert_false(w.topk.exact);
	reference_hll(ref, v, N);
	assert_memory_equal(w.hll->reg, ref->reg, PV_HLL_M);
	double d = pv_colprof_distinct(&w, &exact);
	assert_false(exact);
	assert_true(fabs(d - 4500.0) <= PV_HLL_BOUND * 4500.0);

	/* two exact halves whose union (1,620 values) overflows the table */
	feed_ints(&b, EXACT, t, v + 900, 900);
	assert_null(b.hll);
	feed_ints(&m, EXACT, t, v, 0);
	assert_int_equal(pv_colprof_merge(&m, &a, NULL), 0);
	assert_null(m.hll);
	assert_int_equal(pv_colprof_merge(&m, &b, NULL), 0);
	assert_non_null(m.hll);
	assert_false(m.topk.exact);
	reference_hll(ref, v, 1800);
	assert_memory_equal(m.hll->reg, ref->reg, PV_HLL_M);
	pv_colprof_release(&m);

	/* exact into approximate, and approximate into exact */
	pv_colprof big;
	feed_ints(&big, EXACT, t, v + 1800, N - 1800);
	assert_non_null(big.hll);
	feed_ints(&m, EXACT, t, v, 0);
	assert_int_equal(pv_colprof_merge(&m, &a, NULL), 0);
	assert_int_equal(pv_colprof_merge(&m, &big, NULL), 0);
	reference_hll(ref, v, 900);
	for (int64_t i = 1800; i < N; i++)
		if (v[i] % 10 != 3)
			pv_hll_add(ref, pv_hll_hash_u64((uint64_t)v[i]));
	assert_memory_equal(m.hll->reg, ref->reg, PV_HLL_M);
	assert_int_equal(pv_colprof_merge(&big, &a, NULL), 0);
	assert_memory_equal(big.hll->reg, ref->reg, PV_HLL_M);
	assert_int_equal(big.rows, m.rows);
	pv_colprof_release(&m);

	/* overlapping halves whose entries sum past the table but whose
	 * union fits: exact again, no sketch left */
	feed_ints(&m, EXACT, t, v, 0);
	pv_colprof a2;
	feed_ints(&a2, EXACT, t, v + 300, 600); /* rows 300..900: 540 values */
	assert_true(pv_topk_distinct(&a.topk) + pv_topk_distinct(&a2.topk) >= EXACT);
	assert_int_equal(pv_colprof_merge(&m, &a, NULL), 0);
	assert_int_equal(pv_colprof_merge(&m, &a2, NULL), 0);
	assert_true(m.topk.exact);
	assert_null(m.hll);
	d = pv_colprof_distinct(&m, &exact);
	assert_true(exact);
	assert_true(d == 810.0);

	pv_colprof_release(&a);
	pv_colprof_release(&a2);
	pv_colprof_release(&b);
	pv_colprof_release(&m);
	pv_colprof_release(&w);
	pv_colprof_release(&big);
	free(ref);
	free(v);
	pv_arena_release(&ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topk_exact),
		cmocka_unit_test(test_topk_texts),
		cmocka_unit_test(test_topk_bound),
		cmocka_unit_test(test_topk_top),
		cmocka_unit_test(test_moments_merge),
		cmocka_unit_test(test_colprof_merge_equals_whole),
		cmocka_unit_test(test_string_lengths),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_merge_mismatch),
		cmocka_unit_test(test_stats_parse),
		cmocka_unit_test(test_lengths_only),
		cmocka_unit_test(test_exact_to_sketch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
