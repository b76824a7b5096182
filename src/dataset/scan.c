/*
 * scan.c - global row addressing over a dataset and the scan iterator that
 * reads row ranges through row group readers and unites each file's fields
 * with NULL columns for what it lacks and constant partition columns.
 * Includes base, format, io, read and dataset; nothing above.
 */
#include "dataset/scan.h"

#include <ctype.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/checked.h"
#include "base/pool.h"
#include "io/source.h"
#include "read/batch.h"
#include "base/banned.h"

/* ==== addressing */

struct pv_rowmap_entry {
	int64_t first;    /* global index of the first row */
	int64_t n_rows;
	size_t file;
	size_t row_group; /* SIZE_MAX: a file with a negative row count */
};

int pv_rowmap_init(pv_rowmap *m, const pv_dataset *ds, pv_err *err)
{
	memset(m, 0, sizeof *m);
	m->ds = ds;
	size_t cap = 0;
	for (size_t i = 0; i < ds->n_files; i++)
		if (ds->files[i].pf && !pv_add_size(cap, ds->files[i].pf->meta->n_row_groups, &cap))
			return pv_err_set(err, PV_ELIMIT, "too many row groups");
	m->entries = calloc(cap ? cap : 1, sizeof *m->entries);
	m->file_first = calloc(ds->n_files ? ds->n_files : 1, sizeof *m->file_first);
	m->file_rows = calloc(ds->n_files ? ds->n_files : 1, sizeof *m->file_rows);
	if (!m->entries || !m->file_first || !m->file_rows) {
		pv_rowmap_release(m);
		return pv_err_set(err, PV_ENOMEM, "out of memory mapping %zu row groups", cap);
	}
	int64_t at = 0;
	for (size_t i = 0; i < ds->n_files; i++) {
		const pv_pfile *pf = ds->files[i].pf;
		m->file_first[i] = at;
		if (!pf)
			continue;
		const pv_file_meta *meta = pf->meta;
		/* pf->rows is the row groups' sum when they add up (they say
		 * exactly where each row is, even where old parquet-rs wrote 0 as
		 * the footer's count); when they do not (ok is false) it is the
		 * footer's count, and those rows cannot be located. */
		int64_t sum = 0;
		bool ok = true;
		for (size_t g = 0; g < meta->n_row_groups && ok; g++)
			ok = meta->row_groups[g].num_rows >= 0 &&
			     !__builtin_add_overflow(sum, meta->row_groups[g].num_rows, &sum);
		int64_t rows = pf->rows, end;
		if (__builtin_add_overflow(at, rows, &end)) {
			pv_rowmap_release(m);
			return pv_err_set(err, PV_ELIMIT, "the dataset has more than %lld rows",
					  (long long)INT64_MAX);
		}
		m->file_rows[i] = rows;
		if (!ok) {
			if (rows > 0)
				m->entries[m->n_entries++] = (pv_rowmap_entry){ at, rows, i, SIZE_MAX };
		} else {
			int64_t g_at = at;
			for (size_t g = 0; g < meta->n_row_groups; g++) {
				int64_t n = meta->row_groups[g].num_rows;
				if (n == 0)
					continue;
				m->entries[m->n_entries++] = (pv_rowmap_entry){ g_at, n, i, g };
				g_at += n;
			}
		}
		at = end;
	}
	m->n_rows = at;
	return 0;
}

void pv_rowmap_release(pv_rowmap *m)
{
	if (!m)
		return;
	free(m->entries);
	free(m->file_first);
	free(m->file_rows);
	m->entries = NULL;
	m->file_first = m->file_rows = NULL;
	m->n_entries = 0;
	m->n_rows = 0;
}

/* The entry holding row (0 <= row < m->n_rows). */
static size_t entry_of(const pv_rowmap *m, int64_t row)
{
	size_t lo = 0, hi = m->n_entries;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->entries[mid].first <= row)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int bad_entry(const pv_rowmap *m, const pv_rowmap_entry *e, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT, "%s: a row group has a negative row count",
			  m->ds->files[e->file].path);
}

int pv_rowmap_locate(const pv_rowmap *m, int64_t row, pv_rowpos *out, pv_err *err)
{
	if (row < 0 || row >= m->n_rows || !m->n_entries)
		return pv_err_set(err, PV_EINVAL, "row %lld is out of range (the dataset has %lld rows)",
				  (long long)row, (long long)m->n_rows);
	const pv_rowmap_entry *e = &m->entries[entry_of(m, row)];
	if (e->row_group == SIZE_MAX)
		return bad_entry(m, e, err);
	out->file = e->file;
	out->row_group = e->row_group;
	out->row = row - e->first;
	out->rg_first = e->first;
	out->rg_rows = e->n_rows;
	return 0;
}

/* ==== Arrow schemas: deep copies that own their strings */

typedef struct schema_priv {
	char *format, *name, *metadata;
	struct ArrowSchema **child_ptrs;
	struct ArrowSchema *children;
	struct ArrowSchema *dictionary;
} schema_priv;

static void schema_release(struct ArrowSchema *s)
{
	if (!s || !s->release)
		return;
	schema_priv *p = s->private_data;
	for (int64_t i = 0; i < s->n_children; i++)
		if (s->children[i]->release)
			s->children[i]->release(s->children[i]);
	if (s->dictionary && s->dictionary->release)
		s->dictionary->release(s->dictionary);
	if (p) {
		free(p->format);
		free(p->name);
		free(p->metadata);
		free(p->child_ptrs);
		free(p->children);
		free(p->dictionary);
		free(p);
	}
	s->release = NULL;
}

/* Bytes of an Arrow metadata blob (int32 count, then length-prefixed keys
 * and values), or 0 when there is none or it makes no sense. */
static size_t metadata_len(const char *md)
{
	if (!md)
		return 0;
	int32_t n, len;
	size_t at = sizeof n;
	memcpy(&n, md, sizeof n);
	if (n < 0 || n > 100000)
		return 0;
	for (int32_t i = 0; i < n * 2; i++) {
		memcpy(&len, md + at, sizeof len);
		if (len < 0)
			return 0;
		at += sizeof len + (size_t)len;
	}
	return at;
}

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

#define SCHEMA_MAX_DEPTH 64

/* Deep-copies src into dst, renamed to name when name is not NULL and
 * with extra flags or-ed in. dst is released-state on failure. */
static int schema_copy(const struct ArrowSchema *src, struct ArrowSchema *dst, const char *name,
                       int64_t flags, int depth, pv_err *err)
{
	memset(dst, 0, sizeof *dst);
	if (depth > SCHEMA_MAX_DEPTH)
		return pv_err_set(err, PV_ELIMIT, "schema nested too deeply");
	if (src->n_children < 0 || src->n_children > 1000000)
		return pv_err_set(err, PV_EINTERNAL, "schema with %lld children",
				  (long long)src->n_children);
	schema_priv *p = calloc(1, sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	dst->private_data = p;
	dst->release = schema_release;
	dst->flags = src->flags | flags;
	size_t n = (size_t)src->n_children;
	p->format = dup_str(src->format ? src->format : "n");
	p->name = dup_str(name ? name : src->name ? src->name : "");
	size_t mlen = metadata_len(src->metadata);
	if (mlen && (p->metadata = malloc(mlen)))
		memcpy(p->metadata, src->metadata, mlen);
	p->child_ptrs = calloc(n ? n : 1, sizeof *p->child_ptrs);
	p->children = calloc(n ? n : 1, sizeof *p->children);
	dst->format = p->format;
	dst->name = p->name;
	dst->metadata = p->metadata;
	dst->children = p->child_ptrs;
	if (!p->format || !p->name || (mlen && !p->metadata) || !p->child_ptrs || !p->children) {
		schema_release(dst);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		p->child_ptrs[i] = &p->children[i];
		int rc = schema_copy(src->children[i], &p->children[i], NULL, 0, depth + 1, err);
		dst->n_children = (int64_t)i + 1;
		if (rc) {
			schema_release(dst);
			return rc;
		}
	}
	if (src->dictionary) {
		if (!(p->dictionary = calloc(1, sizeof *p->dictionary))) {
			schema_release(dst);
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		}
		dst->dictionary = p->dictionary;
		int rc = schema_copy(src->dictionary, p->dictionary, NULL, 0, depth + 1, err);
		if (rc) {
			schema_release(dst);
			return rc;
		}
	}
	return 0;
}

/* A childless schema node of format and name. */
static int schema_leaf(struct ArrowSchema *dst, const char *format, const char *name,
                       int64_t flags, pv_err *err)
{
	struct ArrowSchema tmp = { .format = format, .name = name, .flags = flags };
	return schema_copy(&tmp, dst, NULL, 0, 0, err);
}

/* The same physical layout: formats, child counts and dictionaries. */
static bool schema_same_type(const struct ArrowSchema *a, const struct ArrowSchema *b, int depth)
{
	if (depth > SCHEMA_MAX_DEPTH || strcmp(a->format, b->format) ||
	    a->n_children != b->n_children || !a->dictionary != !b->dictionary)
		return false;
	for (int64_t i = 0; i < a->n_children; i++)
		if (!schema_same_type(a->children[i], b->children[i], depth + 1))
			return false;
	return !a->dictionary || schema_same_type(a->dictionary, b->dictionary, depth + 1);
}

/* ==== Arrow arrays made here: all-NULL and constant columns */

/* Width of one value of a fixed-width format, in bits; 0 when the format
 * is not fixed-width. */
static size_t fixed_bits(const char *f)
{
	if (!f[0])
		return 0;
	if (!f[1]) {
		switch (f[0]) {
		case 'b': return 1;
		case 'c': case 'C': return 8;
		case 's': case 'S': case 'e': return 16;
		case 'i': case 'I': case 'f': return 32;
		case 'l': case 'L': case 'g': return 64;
		default: return 0;
		}
	}
	if (f[0] == 'w' && f[1] == ':') {
		char *end;
		long n = strtol(f + 2, &end, 10);
		return n > 0 && n < (1L << 24) && !*end ? (size_t)n * 8 : 0;
	}
	if (f[0] == 'd' && f[1] == ':') {
		const char *c = strchr(f + 2, ',');
		c = c ? strchr(c + 1, ',') : NULL;
		if (!c)
			return 128;
		long bits = strtol(c + 1, NULL, 10);
		return bits == 32 || bits == 64 || bits == 128 || bits == 256 ? (size_t)bits : 0;
	}
	if (f[0] != 't')
		return 0;
	if (!strcmp(f, "tdD") || !strcmp(f, "tts") || !strcmp(f, "ttm") || !strcmp(f, "tiM"))
		return 32;
	if (!strcmp(f, "tdm") || !strcmp(f, "ttu") || !strcmp(f, "ttn") || !strcmp(f, "tiD") ||
	    (f[1] == 'D' && f[2] && !f[3]) || (f[1] == 's' && f[2] && f[3] == ':'))
		return 64;
	if (!strcmp(f, "tin"))
		return 128;
	return 0;
}

static void noop_release(struct ArrowArray *a)
{
	a->release = NULL;
}

/* Zeroed bytes for an array of length values: enough for its validity,
 * its offsets (up to 8 bytes each, plus one) and values of `bits`. */
static void *zeros(pv_arena *a, int64_t length, size_t bits, pv_err *err)
{
	size_t n = (size_t)length, need, v;
	if (!pv_add_size(n, 1, &need) || !pv_mul_size(need, 16, &need) ||
	    !pv_mul_size(n, bits, &v)) {
		pv_err_set(err, PV_ELIMIT, "null column of %lld rows is too large", (long long)length);
		return NULL;
	}
	v = v / 8 + 1;
	return pv_arena_alloc(a, need > v ? need : v, err);
}

/* An all-NULL array of schema s and length rows (every buffer zeroed, so
 * offsets are all 0 and nested children are empty). */
static int null_array(pv_arena *a, const struct ArrowSchema *s, int64_t length,
                      struct ArrowArray *out, int depth, pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (depth > SCHEMA_MAX_DEPTH)
		return pv_err_set(err, PV_ELIMIT, "schema nested too deeply");
	const char *f = s->format;
	out->length = length;
	out->null_count = length;
	out->release = noop_release;
	if (!strcmp(f, "n"))
		return 0;
	const void **bufs = pv_arena_array(a, 3, sizeof *bufs, err);
	if (!bufs)
		return err ? err->code : PV_ENOMEM;
	out->buffers = bufs;
	size_t bits = fixed_bits(f);
	int64_t child_len = 0;
	int n_bufs;
	if (bits) {
		n_bufs = 2;
	} else if (!strcmp(f, "z") || !strcmp(f, "u") || !strcmp(f, "Z") || !strcmp(f, "U")) {
		n_bufs = 3;
	} else if (!strcmp(f, "vz") || !strcmp(f, "vu")) {
		n_bufs = 3; /* validity, views (all inline and empty), no data buffer sizes */
		bits = 128;
	} else if (!strcmp(f, "+l") || !strcmp(f, "+L") || !strcmp(f, "+m")) {
		n_bufs = 2;
	} else if (!strcmp(f, "+s")) {
		n_bufs = 1;
		child_len = length;
	} else if (!strncmp(f, "+w:", 3)) {
		char *end;
		long w = strtol(f + 3, &end, 10);
		if (w < 0 || w > (1L << 24) || *end || __builtin_mul_overflow(length, w, &child_len))
			return pv_err_set(err, PV_ELIMIT, "fixed-size list '%s' too large", f);
		n_bufs = 1;
	} else {
		return pv_err_set(err, PV_EUNSUPPORTED, "cannot make a null column of Arrow type '%s'", f);
	}
	void *z = zeros(a, length, bits, err);
	if (!z)
		return err ? err->code : PV_ENOMEM;
	for (int i = 0; i < n_bufs; i++)
		bufs[i] = z;
	out->n_buffers = n_bufs;
	size_t n_kids = (size_t)s->n_children;
	if (n_kids) {
		struct ArrowArray **kp = pv_arena_array(a, n_kids, sizeof *kp, err);
		struct ArrowArray *kids = pv_arena_array(a, n_kids, sizeof *kids, err);
		if (!kp || !kids)
			return err ? err->code : PV_ENOMEM;
		for (size_t i = 0; i < n_kids; i++) {
			kp[i] = &kids[i];
			int rc = null_array(a, s->children[i], child_len, &kids[i], depth + 1, err);
			if (rc)
				return rc;
		}
		out->children = kp;
		out->n_children = (int64_t)n_kids;
	}
	if (s->dictionary) {
		struct ArrowArray *d = pv_arena_alloc(a, sizeof *d, err);
		if (!d)
			return err ? err->code : PV_ENOMEM;
		int rc = null_array(a, s->dictionary, 0, d, depth + 1, err);
		if (rc)
			return rc;
		out->dictionary = d;
	}
	return 0;
}

/* A partition column's Arrow format. */
static const char *part_format(pv_hive_type t)
{
	switch (t) {
	case PV_HIVE_BIGINT: return "l";
	case PV_HIVE_DOUBLE: return "g";
	case PV_HIVE_DATE: return "tdD";
	case PV_HIVE_TIMESTAMP: return "tsu:";
	case PV_HIVE_BOOLEAN: return "b";
	default: return "u";
	}
}

/* length copies of v (a non-NULL partition value) as format part_format. */
static int const_array(pv_arena *a, const pv_value *v, int64_t length, struct ArrowArray *out,
                       pv_err *err)
{
	memset(out, 0, sizeof *out);
	out->length = length;
	out->release = noop_release;
	const void **bufs = pv_arena_array(a, 3, sizeof *bufs, err);
	if (!bufs)
		return err ? err->code : PV_ENOMEM;
	out->buffers = bufs;
	out->n_buffers = 2;
	size_t n = (size_t)length;
	switch (v->kind) {
	case PV_VAL_BOOL: {
		uint8_t *bits = pv_arena_alloc(a, n / 8 + 1, err);
		if (!bits)
			return err ? err->code : PV_ENOMEM;
		if (v->b)
			memset(bits, 0xff, n / 8 + 1);
		bufs[1] = bits;
		return 0;
	}
	case PV_VAL_DATE: {
		int32_t *d = pv_arena_array(a, n, sizeof *d, err);
		if (!d)
			return err ? err->code : PV_ENOMEM;
		for (size_t i = 0; i < n; i++)
			d[i] = (int32_t)v->i;
		bufs[1] = d;
		return 0;
	}
	case PV_VAL_INT:
	case PV_VAL_TIMESTAMP:
	case PV_VAL_FLOAT: {
		int64_t *d = pv_arena_array(a, n, sizeof *d, err);
		if (!d)
			return err ? err->code : PV_ENOMEM;
		for (size_t i = 0; i < n; i++)
			memcpy(&d[i], v->kind == PV_VAL_FLOAT ? (const void *)&v->f : (const void *)&v->i,
			       8);
		bufs[1] = d;
		return 0;
	}
	case PV_VAL_STRING: {
		size_t len = v->bytes.len, total;
		if (!pv_mul_size(len, n, &total) || total > INT32_MAX)
			return pv_err_set(err, PV_ELIMIT, "partition value too long for %lld rows",
					  (long long)length);
		int32_t *off = pv_arena_array(a, n + 1, sizeof *off, err);
		char *data = pv_arena_alloc(a, total + 1, err);
		if (!off || !data)
			return err ? err->code : PV_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			off[i] = (int32_t)(i * len);
			memcpy(data + i * len, v->bytes.ptr, len);
		}
		off[n] = (int32_t)total;
		bufs[1] = off;
		bufs[2] = data;
		out->n_buffers = 3;
		return 0;
	}
	default:
		return pv_err_set(err, PV_EINTERNAL, "partition value of kind %d", (int)v->kind);
	}
}

/* ==== the reader cache */

typedef struct cached_reader {
	size_t file, row_group;
	size_t *fields;
	size_t n_fields;
	pv_rgreader *reader; /* NULL for a busy entry */
	int64_t next_row;    /* row (in the row group) where its last read ended */
	uint64_t used;       /* the cache's clock when it was given back */
} cached_reader;

struct pv_rgcache {
	const pv_dataset *ds;
	pthread_mutex_t lock;
	pthread_cond_t given;  /* a busy reader came back (or was forgotten) */
	pv_source **sources;   /* per file, opened on first use */
	cached_reader *idle;
	size_t n_idle, max_idle;
	cached_reader *busy;   /* readers out with scans: only the key is kept */
	size_t n_busy, alloc_busy;
	uint64_t clock;
	size_t hits;
};

int pv_rgcache_new(const pv_dataset *ds, size_t max_readers, pv_rgcache **out, pv_err *err)
{
	*out = NULL;
	pv_rgcache *c = calloc(1, sizeof *c);
	if (!c)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	c->ds = ds;
	c->max_idle = max_readers ? max_readers : 8;
	c->sources = calloc(ds->n_files ? ds->n_files : 1, sizeof *c->sources);
	c->idle = calloc(c->max_idle + 1, sizeof *c->idle);
	if (!c->sources || !c->idle) {
		free(c->sources);
		free(c->idle);
		free(c);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->given, NULL);
	*out = c;
	return 0;
}

void pv_rgcache_free(pv_rgcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_idle; i++) {
		pv_rgreader_close(c->idle[i].reader);
		free(c->idle[i].fields);
	}
	for (size_t i = 0; i < c->n_busy; i++)
		free(c->busy[i].fields);
	for (size_t f = 0; f < c->ds->n_files; f++)
		pv_source_close(c->sources[f]);
	pthread_cond_destroy(&c->given);
	pthread_mutex_destroy(&c->lock);
	free(c->sources);
	free(c->idle);
	free(c->busy);
	free(c);
}

size_t pv_rgcache_hits(const pv_rgcache *c)
{
	return c ? __atomic_load_n(&c->hits, __ATOMIC_RELAXED) : 0;
}

/* The cache's source of file f, opened on first use. */
static int cache_source(pv_rgcache *c, size_t f, pv_source **out, pv_err *err)
{
	pthread_mutex_lock(&c->lock);
	int rc = 0;
	if (!c->sources[f])
		rc = pv_source_open(c->ds->files[f].path, &c->sources[f], err);
	*out = c->sources[f];
	pthread_mutex_unlock(&c->lock);
	return rc;
}

static bool same_key(const cached_reader *x, size_t f, size_t g, const size_t *fields,
		     size_t n_fields)
{
	return x->file == f && x->row_group == g && x->n_fields == n_fields &&
	       !memcmp(x->fields, fields, n_fields * sizeof *fields);
}

/* Finds the busy entry of the key, removing it; false when none. */
static bool unbusy(pv_rgcache *c, size_t f, size_t g, const size_t *fields, size_t n_fields)
{
	for (size_t i = 0; i < c->n_busy; i++)
		if (same_key(&c->busy[i], f, g, fields, n_fields)) {
			free(c->busy[i].fields);
			c->busy[i] = c->busy[--c->n_busy];
			return true;
		}
	return false;
}

/* A reader for (f, g, fields) to read from row `row` on, now the
 * caller's, or NULL when the caller should open one. An idle reader that
 * stopped at or before row is preferred (it reads on without re-seeking),
 * then any idle one (a seek inside decoded pages is cheaper than decoding
 * them again). When the key's reader is out with another scan this waits
 * for it to come back rather than decode the same pages twice. */
static pv_rgreader *cache_take(pv_rgcache *c, size_t f, size_t g, const size_t *fields,
			       size_t n_fields, int64_t row)
{
	size_t *copy = malloc((n_fields ? n_fields : 1) * sizeof *copy);
	if (!copy)
		return NULL;
	memcpy(copy, fields, n_fields * sizeof *fields);
	pv_rgreader *r = NULL;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		long best = -1;
		for (size_t i = 0; i < c->n_idle; i++) {
			const cached_reader *x = &c->idle[i];
			if (!same_key(x, f, g, fields, n_fields))
				continue;
			bool fwd = x->next_row <= row;
			bool best_fwd = best >= 0 && c->idle[best].next_row <= row;
			if (best < 0 || (fwd && !best_fwd) ||
			    (fwd == best_fwd && x->next_row > c->idle[best].next_row))
				best = (long)i;
		}
		if (best >= 0) {
			r = c->idle[best].reader;
			free(c->idle[best].fields);
			c->idle[best] = c->idle[--c->n_idle];
			c->hits++;
			break;
		}
		bool out = false;
		for (size_t i = 0; i < c->n_busy && !out; i++)
			out = same_key(&c->busy[i], f, g, fields, n_fields);
		if (!out)
			break;
		pthread_cond_wait(&c->given, &c->lock);
	}
	/* the key is busy while the caller holds (or opens) its reader */
	if (c->n_busy == c->alloc_busy) {
		size_t na = c->alloc_busy ? 2 * c->alloc_busy : 8;
		cached_reader *nb = realloc(c->busy, na * sizeof *nb);
		if (nb) {
			c->busy = nb;
			c->alloc_busy = na;
		}
	}
	if (c->n_busy < c->alloc_busy) {
		c->busy[c->n_busy++] = (cached_reader){ f, g, copy, n_fields, NULL, 0, 0 };
		copy = NULL;
	}
	pthread_mutex_unlock(&c->lock);
	free(copy);
	return r;
}

/* Gives r back (NULL: the caller's reader failed or was never opened, so
 * only the key stops being busy); closes the least recently used idle
 * reader past the cap. */
static void cache_give(pv_rgcache *c, size_t f, size_t g, const size_t *fields, size_t n_fields,
		       pv_rgreader *r, int64_t next_row)
{
	size_t *copy = r ? malloc((n_fields ? n_fields : 1) * sizeof *copy) : NULL;
	if (r && !copy) {
		pv_rgreader_close(r);
		r = NULL;
	}
	if (copy)
		memcpy(copy, fields, n_fields * sizeof *fields);
	pv_rgreader *evict = NULL;
	size_t *evict_fields = NULL;
	pthread_mutex_lock(&c->lock);
	unbusy(c, f, g, fields, n_fields);
	if (r) {
		c->idle[c->n_idle++] = (cached_reader){ f, g, copy, n_fields, r, next_row, ++c->clock };
		if (c->n_idle > c->max_idle) {
			size_t old = 0;
			for (size_t i = 1; i < c->n_idle; i++)
				if (c->idle[i].used < c->idle[old].used)
					old = i;
			evict = c->idle[old].reader;
			evict_fields = c->idle[old].fields;
			c->idle[old] = c->idle[--c->n_idle];
		}
	}
	pthread_cond_broadcast(&c->given);
	pthread_mutex_unlock(&c->lock);
	/* closing frees pages: outside the lock */
	pv_rgreader_close(evict);
	free(evict_fields);
}

/* ==== the scan */

typedef struct sel {
	size_t col;                 /* dataset column */
	const char *name;           /* display name */
	const char **path;          /* struct field names below the column */
	size_t *path_idx;           /* their child indices in the dataset's type */
	size_t depth;
	struct ArrowSchema *schema; /* the master schema's child */
} sel;

/* What a selection is in the cursor's current file. */
typedef struct sel_file {
	long field;                 /* index into fields[], -1 when not read from the file */
	bool has_value;             /* partition: the file has a non-NULL value */
	pv_value value;
} sel_file;

/* Where one reading thread is: its file and row group reader. The serial
 * scan has one; a parallel scan one per worker. */
typedef struct cursor {
	size_t file;                /* SIZE_MAX: none */
	pv_source *src;
	size_t *fields;             /* the file's top-level fields to read */
	size_t n_fields;
	sel_file *sf;               /* per selection */
	pv_arena arena;             /* type names for messages */
	size_t rg;                  /* SIZE_MAX: none */
	pv_rgreader *reader;
	bool reader_failed;         /* the reader returned an error: do not reuse it */
	int64_t reader_next;        /* the row (in its row group) where its last read ended */
	bool worker;                /* a worker thread's (its reads use one thread) */
} cursor;

typedef struct par par;

struct pv_scan {
	const pv_dataset *ds;
	pv_rowmap map;
	pv_arena arena;
	sel *sels;
	size_t n_sels;
	struct ArrowSchema schema;  /* the master "+s" */
	pv_row_range *ranges;
	size_t n_ranges, range_i;
	int64_t pos, n_rows, done, batch_rows;
	pv_batch_opts bopts;
	bool failed;
	pv_rgcache *cache;          /* NULL: none; else sources and readers belong to it */
	cursor cur;                 /* the serial scan's */
	int n_threads;              /* > 1: read row groups ahead on worker threads */
	bool started;               /* pv_scan_next was called */
	par *par;                   /* the workers, when they run */
};

static int cmp_range(const void *a, const void *b)
{
	const pv_row_range *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

/* Copies, sorts, merges and cuts the ranges into s. */
static int set_ranges(pv_scan *s, const pv_row_range *ranges, size_t n, pv_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (ranges[i].first < 0 || ranges[i].count < 0)
			return pv_err_set(err, PV_EINVAL, "negative row range %lld+%lld",
					  (long long)ranges[i].first, (long long)ranges[i].count);
	size_t bytes;
	if (!pv_mul_size(n ? n : 1, sizeof *s->ranges, &bytes))
		return pv_err_set(err, PV_ELIMIT, "too many row ranges");
	s->ranges = malloc(bytes);
	if (!s->ranges)
		return pv_err_set(err, PV_ENOMEM, "out of memory for %zu row ranges", n);
	if (n)
		memcpy(s->ranges, ranges, n * sizeof *ranges);
	qsort(s->ranges, n, sizeof *s->ranges, cmp_range);
	int64_t total = s->map.n_rows;
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t first = s->ranges[i].first, end;
		if (__builtin_add_overflow(first, s->ranges[i].count, &end) || end > total)
			end = total;
		if (first >= end)
			continue;
		if (out && s->ranges[out - 1].first + s->ranges[out - 1].count >= first) {
			pv_row_range *p = &s->ranges[out - 1];
			if (end > p->first + p->count)
				p->count = end - p->first;
			continue;
		}
		s->ranges[out++] = (pv_row_range){ first, end - first };
	}
	s->n_ranges = out;
	s->n_rows = 0;
	for (size_t i = 0; i < out; i++)
		s->n_rows += s->ranges[i].count;
	return 0;
}

/* Whether the ranges touch rows [first, first + n). */
static bool ranges_touch(const pv_scan *s, int64_t first, int64_t n)
{
	size_t lo = 0, hi = s->n_ranges;
	while (lo < hi) { /* the first range that ends after first */
		size_t mid = lo + (hi - lo) / 2;
		if (s->ranges[mid].first + s->ranges[mid].count <= first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n_ranges && s->ranges[lo].first < first + n;
}

/* The index of a file's top-level field named name (the first one, as the
 * dataset's union takes it), or -1. */
static long field_index(const pv_pfile *pf, const char *name)
{
	const pv_schema_node *root = pf->schema->root;
	for (size_t i = 0; i < root->n_children; i++)
		if (!strcmp(root->children[i]->name, name))
			return (long)i;
	return -1;
}

/* ---- column names and suggestions */

size_t pv_scan_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static bool close_name(const char *want, const char *have)
{
	size_t lw = strlen(want), lh = strlen(have);
	if (!strncasecmp(want, have, lw < lh ? lw : lh) && (lw < lh ? lw : lh) >= 2)
		return true;
	size_t limit = lw / 3 > 1 ? lw / 3 : 1;
	return pv_scan_edit_distance(want, have) <= limit;
}

/* "unknown WHAT 'name' [in 'where'] (did you mean 'x', 'y'?)", or with
 * "(have: a, b, ...)" when nothing is close. */
static int unknown_name(const char *what, const char *name, const char *where,
                        const char *const *names, size_t n, pv_err *err)
{
	pv_buf b;
	pv_buf_init(&b, 4096);
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < 5; i++)
		if (close_name(name, names[i]))
			pv_buf_printf(&b, NULL, "%s'%s'", shown++ ? ", " : "did you mean ", names[i]);
	if (shown) {
		pv_buf_putc(&b, '?', NULL);
	} else if (n) {
		pv_buf_puts(&b, "have: ", NULL);
		for (size_t i = 0; i < n && i < 12; i++)
			pv_buf_printf(&b, NULL, "%s%s", i ? ", " : "", names[i]);
		if (n > 12)
			pv_buf_printf(&b, NULL, ", ... (%zu in all)", n);
	} else {
		pv_buf_puts(&b, "there are none", NULL);
	}
	pv_err_set(err, PV_EINVAL, "unknown %s '%s'%s%s%s (%s)", what, name, where ? " in '" : "",
		   where ? where : "", where ? "'" : "", b.data ? b.data : "");
	pv_buf_release(&b);
	return PV_EINVAL;
}

static int unknown_column(const pv_dataset *ds, const char *name, pv_err *err)
{
	const char **names = malloc((ds->n_columns ? ds->n_columns : 1) * sizeof *names);
	if (!names)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < ds->n_columns; i++)
		names[i] = ds->columns[i].name;
	int rc = unknown_name("column", name, NULL, names, ds->n_columns, err);
	free(names);
	return rc;
}

/* The Arrow schema of dataset column c (as the first file with it reads
 * it, or its partition type), renamed, into out. */
static int column_schema(const pv_dataset *ds, size_t c, struct ArrowSchema *out, pv_err *err)
{
	const pv_dataset_column *col = &ds->columns[c];
	if (col->is_partition)
		return schema_leaf(out, part_format(col->part_type), col->name, ARROW_FLAG_NULLABLE,
				   err);
	const pv_dataset_file *f = &ds->files[col->file];
	long fi = field_index(f->pf, col->name);
	if (fi < 0)
		return pv_err_set(err, PV_EINTERNAL, "column '%s' not in '%s'", col->name, f->path);
	size_t field = (size_t)fi;
	struct ArrowSchema tmp = { 0 };
	int rc = pv_batch_schema(f->pf, &field, 1, &tmp, err);
	if (rc) {
		pv_err_prefix(err, "%s", f->path);
		return rc;
	}
	if (tmp.n_children != 1) {
		if (tmp.release)
			tmp.release(&tmp);
		return pv_err_set(err, PV_EINTERNAL, "batch schema of '%s' has %lld fields", f->path,
				  (long long)tmp.n_children);
	}
	rc = schema_copy(tmp.children[0], out, col->name, col->nullable ? ARROW_FLAG_NULLABLE : 0,
			 0, err);
	tmp.release(&tmp);
	return rc;
}

/* Resolves one selected name to a column and a path of struct fields. */
static int resolve(pv_scan *s, const char *name, sel *out, struct ArrowSchema *out_schema,
                   pv_err *err)
{
	const pv_dataset *ds = s->ds;
	memset(out, 0, sizeof *out);
	out->name = name;
	long c = pv_dataset_column_index(ds, name);
	const char *rest = NULL;
	if (c < 0) {
		/* the longest prefix ending before a dot that names a column */
		size_t len = strlen(name);
		for (size_t i = len; i-- > 0 && c < 0;) {
			if (name[i] != '.')
				continue;
			char *prefix = pv_arena_strndup(&s->arena, name, i, err);
			if (!prefix)
				return err ? err->code : PV_ENOMEM;
			if ((c = pv_dataset_column_index(ds, prefix)) >= 0)
				rest = name + i + 1;
		}
	}
	if (c < 0)
		return unknown_column(ds, name, err);
	out->col = (size_t)c;
	struct ArrowSchema top;
	int rc = column_schema(ds, (size_t)c, &top, err);
	if (rc)
		return rc;
	/* count and split the dotted rest */
	size_t depth = 0;
	for (const char *p = rest; p; p = strchr(p, '.'), p = p ? p + 1 : NULL)
		depth++;
	if (depth) {
		out->path = pv_arena_array(&s->arena, depth, sizeof *out->path, err);
		out->path_idx = pv_arena_array(&s->arena, depth, sizeof *out->path_idx, err);
		if (!out->path || !out->path_idx) {
			top.release(&top);
			return err ? err->code : PV_ENOMEM;
		}
	}
	const struct ArrowSchema *at = &top;
	const char *p = rest;
	const char *parent = ds->columns[c].name;
	for (size_t d = 0; d < depth; d++) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		char *field = pv_arena_strndup(&s->arena, p, len, err);
		if (!field) {
			top.release(&top);
			return err ? err->code : PV_ENOMEM;
		}
		if (strcmp(at->format, "+s")) {
			top.release(&top);
			return pv_err_set(err, PV_EINVAL,
					  "cannot select '%s': '%s' is not a struct (only struct fields "
					  "can be named with dots)", name, parent);
		}
		long k = -1;
		for (int64_t i = 0; i < at->n_children && k < 0; i++)
			if (!strcmp(at->children[i]->name, field))
				k = (long)i;
		if (k < 0) {
			const char **names = malloc(((size_t)at->n_children + 1) * sizeof *names);
			if (!names) {
				top.release(&top);
				return pv_err_set(err, PV_ENOMEM, "out of memory");
			}
			for (int64_t i = 0; i < at->n_children; i++)
				names[i] = at->children[i]->name;
			rc = unknown_name("field", field, parent, names, (size_t)at->n_children, err);
			free(names);
			top.release(&top);
			return rc;
		}
		out->path[d] = field;
		out->path_idx[d] = (size_t)k;
		at = at->children[k];
		char *sofar = pv_arena_strndup(&s->arena, name, (size_t)(p + len - name), err);
		if (!sofar) {
			top.release(&top);
			return err ? err->code : PV_ENOMEM;
		}
		parent = sofar;
		p = dot ? dot + 1 : NULL;
	}
	out->depth = depth;
	if (depth)
		rc = schema_copy(at, out_schema, name, ARROW_FLAG_NULLABLE, 0, err);
	else
		rc = schema_copy(at, out_schema, NULL, 0, 0, err);
	top.release(&top);
	return rc;
}

/* Splits opts->columns (or takes every column) into s->sels and builds the
 * master schema. */
static int select_columns(pv_scan *s, const char *spec, pv_err *err)
{
	const pv_dataset *ds = s->ds;
	size_t n = 0;
	char **names = NULL;
	if (spec && *spec) {
		size_t cap = 1;
		for (const char *p = spec; *p; p++)
			cap += *p == ',';
		names = pv_arena_array(&s->arena, cap, sizeof *names, err);
		if (!names)
			return err ? err->code : PV_ENOMEM;
		const char *p = spec;
		for (;;) {
			const char *comma = strchr(p, ',');
			const char *end = comma ? comma : p + strlen(p);
			while (p < end && isspace((unsigned char)*p))
				p++;
			while (end > p && isspace((unsigned char)end[-1]))
				end--;
			if (p == end)
				return pv_err_set(err, PV_EINVAL, "empty column name in '%s'", spec);
			if (!(names[n++] = pv_arena_strndup(&s->arena, p, (size_t)(end - p), err)))
				return err ? err->code : PV_ENOMEM;
			if (!comma)
				break;
			p = comma + 1;
		}
	} else {
		n = ds->n_columns;
	}
	s->sels = pv_arena_array(&s->arena, n ? n : 1, sizeof *s->sels, err);
	schema_priv *p = calloc(1, sizeof *p);
	if (!s->sels || !p) {
		free(p);
		return err ? err->code : PV_ENOMEM;
	}
	/* the master schema, built in place so that it is released on failure */
	s->schema.private_data = p;
	s->schema.release = schema_release;
	p->format = dup_str("+s");
	p->name = dup_str("");
	p->child_ptrs = calloc(n ? n : 1, sizeof *p->child_ptrs);
	p->children = calloc(n ? n : 1, sizeof *p->children);
	s->schema.format = p->format;
	s->schema.name = p->name;
	s->schema.children = p->child_ptrs;
	if (!p->format || !p->name || !p->child_ptrs || !p->children)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		p->child_ptrs[i] = &p->children[i];
		int rc;
		if (names)
			rc = resolve(s, names[i], &s->sels[i], &p->children[i], err);
		else {
			s->sels[i] = (sel){ .col = i, .name = ds->columns[i].name };
			rc = column_schema(ds, i, &p->children[i], err);
		}
		if (rc)
			return rc;
		s->schema.n_children = (int64_t)i + 1;
		s->sels[i].schema = &p->children[i];
	}
	s->n_sels = n;
	return 0;
}

/* Refuses selected columns whose type differs in a file the ranges touch. */
static int check_conflicts(pv_scan *s, pv_err *err)
{
	const pv_dataset *ds = s->ds;
	for (size_t i = 0; i < s->n_sels; i++) {
		const pv_dataset_column *col = &ds->columns[s->sels[i].col];
		for (size_t k = 0; k < col->n_conflicts; k++) {
			size_t fi = col->conflicts[k].file;
			const pv_dataset_file *f = &ds->files[fi];
			if (!f->pf || !ranges_touch(s, s->map.file_first[fi], s->map.file_rows[fi]))
				continue;
			return pv_err_set(err, PV_EUNSUPPORTED,
					  "column '%s' is %s in '%s' but %s elsewhere; select other "
					  "columns with --columns",
					  col->name, col->conflicts[k].type, f->path, col->type);
		}
	}
	return 0;
}

/* A scan whose ranges hold at most SPARSE_ROWS rows on average reads
 * pages of SPARSE_STREAM_MIN bytes or more streamed (see pv_scan_open). */
#define SPARSE_ROWS 16
#define SPARSE_STREAM_MIN ((size_t)64 << 10)
/* Ranges SPARSE_GAP rows apart on average or more give back pages under
 * SPARSE_KEEP_MIN bytes after each range (pv_batch_opts.keep_page_min). */
#define SPARSE_GAP ((int64_t)1 << 16)
#define SPARSE_KEEP_MIN ((size_t)4 << 20)

static void cursor_init(cursor *c)
{
	memset(c, 0, sizeof *c);
	c->file = SIZE_MAX;
	c->rg = SIZE_MAX;
	pv_arena_init(&c->arena, 0);
}

static void close_file(pv_scan *s, cursor *c);
static void par_stop(pv_scan *s);

int pv_scan_open(const pv_dataset *ds, const pv_scan_opts *opts, const pv_row_range *ranges,
                 size_t n_ranges, pv_scan **out, pv_err *err)
{
	*out = NULL;
	pv_scan_opts o = opts ? *opts : (pv_scan_opts){ 0 };
	if (o.batch_rows < 0 || o.batch_rows > PV_SCAN_MAX_BATCH_ROWS)
		return pv_err_set(err, PV_EINVAL, "batch of %lld rows is out of range",
				  (long long)o.batch_rows);
	if (o.n_threads < PV_SCAN_THREADS_AUTO || o.n_threads > PV_SCAN_MAX_THREADS)
		return pv_err_set(err, PV_EINVAL, "%d threads is out of range (1 to %d)", o.n_threads,
				  PV_SCAN_MAX_THREADS);
	pv_scan *s = calloc(1, sizeof *s);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	s->ds = ds;
	cursor_init(&s->cur);
	s->cache = o.cache;
	s->batch_rows = o.batch_rows ? o.batch_rows : PV_SCAN_BATCH_ROWS;
	s->bopts = (pv_batch_opts){ .verify_crc = o.verify_crc, .max_page_bytes = o.max_page_bytes };
	s->n_threads = o.n_threads;
	if (s->n_threads == PV_SCAN_THREADS_AUTO) {
		s->n_threads = pv_pool_ncpu();
		if (s->n_threads > PV_SCAN_AUTO_THREADS)
			s->n_threads = PV_SCAN_AUTO_THREADS;
	}
	pv_arena_init(&s->arena, 0);
	int rc = pv_rowmap_init(&s->map, ds, err);
	if (!rc)
		rc = set_ranges(s, ranges, n_ranges, err);
	if (!rc)
		rc = select_columns(s, o.columns, err);
	if (!rc)
		rc = check_conflicts(s, err);
	if (rc) {
		pv_scan_close(s);
		return rc;
	}
	/* A sample's rows lie one here, one there: each page is entered for
	 * a row or two, so decompressing it only up to them (streaming)
	 * halves the work on average and holds a window, not the page. */
	if (s->n_ranges > 1 && s->n_rows / (int64_t)s->n_ranges <= SPARSE_ROWS)
		s->bopts.stream_min = SPARSE_STREAM_MIN;
	/* Rows further apart than a page usually holds: the next one is
	 * rarely in the page just read, and keeping every column's page for
	 * the chance would hold a page per column per worker; only pages too
	 * big to decompress again lightly are kept. */
	if (s->n_ranges > 1 && s->map.n_rows / (int64_t)s->n_ranges >= SPARSE_GAP)
		s->bopts.keep_page_min = SPARSE_KEEP_MIN;
	*out = s;
	return 0;
}

int pv_scan_schema(const pv_scan *s, struct ArrowSchema *out, pv_err *err)
{
	return schema_copy(&s->schema, out, NULL, 0, 0, err);
}

int64_t pv_scan_n_rows(const pv_scan *s)
{
	return s->n_rows;
}

int64_t pv_scan_rows_done(const pv_scan *s)
{
	return s->done;
}

size_t pv_scan_n_columns(const pv_scan *s)
{
	return s->n_sels;
}

const char *pv_scan_column_name(const pv_scan *s, size_t i)
{
	return i < s->n_sels ? s->sels[i].name : NULL;
}

/* Closes the cursor's reader, or gives it back to the cache. */
static void drop_reader(pv_scan *s, cursor *c)
{
	if (s->cache && c->rg != SIZE_MAX)
		cache_give(s->cache, c->file, c->rg, c->fields, c->n_fields,
			   c->reader_failed ? NULL : c->reader, c->reader_next);
	if (!s->cache || c->reader_failed)
		pv_rgreader_close(c->reader);
	c->reader = NULL;
	c->reader_failed = false;
	c->rg = SIZE_MAX;
}

static void close_file(pv_scan *s, cursor *c)
{
	drop_reader(s, c);
	if (!s->cache)
		pv_source_close(c->src);
	c->src = NULL;
	free(c->fields);
	free(c->sf);
	c->fields = NULL;
	c->sf = NULL;
	c->n_fields = 0;
	c->file = SIZE_MAX;
}

void pv_scan_close(pv_scan *s)
{
	if (!s)
		return;
	par_stop(s);
	close_file(s, &s->cur);
	pv_arena_release(&s->cur.arena);
	if (s->schema.release)
		s->schema.release(&s->schema);
	free(s->ranges);
	pv_rowmap_release(&s->map);
	pv_arena_release(&s->arena);
	free(s);
}

/* The schema node that sel's path reaches from a column's schema. */
static const struct ArrowSchema *follow(const struct ArrowSchema *at, const sel *x)
{
	for (size_t d = 0; d < x->depth && at; d++) {
		const struct ArrowSchema *next = NULL;
		if (!strcmp(at->format, "+s"))
			for (int64_t i = 0; i < at->n_children && !next; i++)
				if (!strcmp(at->children[i]->name, x->path[d]))
					next = at->children[i];
		at = next;
	}
	return at;
}

/* Makes file f the cursor's: which of its fields to read for each
 * selection, each selection's partition value, and the type check. */
static int open_file(pv_scan *s, cursor *c, size_t f, pv_err *err)
{
	close_file(s, c);
	const pv_dataset *ds = s->ds;
	const pv_dataset_file *df = &ds->files[f];
	c->fields = calloc(s->n_sels ? s->n_sels : 1, sizeof *c->fields);
	c->sf = calloc(s->n_sels ? s->n_sels : 1, sizeof *c->sf);
	if (!c->fields || !c->sf)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	c->file = f;
	for (size_t i = 0; i < s->n_sels; i++) {
		const sel *x = &s->sels[i];
		sel_file *xf = &c->sf[i];
		const pv_dataset_column *col = &ds->columns[x->col];
		xf->field = -1;
		xf->has_value = false;
		if (col->is_partition) {
			const char *v = NULL;
			for (size_t k = 0; k < df->n_parts; k++)
				if (!strcmp(df->parts[k].key, col->name))
					v = df->parts[k].value; /* the deepest one wins */
			if (v) {
				int rc = pv_hive_value(v, col->part_type, &xf->value, err);
				if (rc) {
					pv_err_prefix(err, "%s: partition '%s'", df->path, col->name);
					return rc;
				}
				xf->has_value = xf->value.kind != PV_VAL_NULL;
			}
			continue;
		}
		long fi = field_index(df->pf, col->name);
		if (fi < 0)
			continue;
		size_t k = 0;
		while (k < c->n_fields && c->fields[k] != (size_t)fi)
			k++;
		if (k == c->n_fields)
			c->fields[c->n_fields++] = (size_t)fi;
		xf->field = (long)k;
	}
	if (!c->n_fields)
		return 0;

	/* The dataset's union compares type strings; the reader's Arrow types
	 * are what the batches will hold, so compare those as well. */
	struct ArrowSchema fs = { 0 };
	int rc = pv_batch_schema(df->pf, c->fields, c->n_fields, &fs, err);
	if (rc) {
		pv_err_prefix(err, "%s", df->path);
		return rc;
	}
	for (size_t i = 0; i < s->n_sels && !rc; i++) {
		const sel *x = &s->sels[i];
		long field = c->sf[i].field;
		if (field < 0)
			continue;
		const struct ArrowSchema *have =
			field < fs.n_children ? follow(fs.children[field], x) : NULL;
		if (have && schema_same_type(have, x->schema, 0))
			continue;
		const pv_dataset_column *col = &ds->columns[x->col];
		const pv_schema_node *root = df->pf->schema->root;
		const char *t = pv_dataset_type_of(root->children[c->fields[field]], &c->arena, err);
		rc = pv_err_set(err, PV_EUNSUPPORTED,
				"column '%s' is %s in '%s' but %s elsewhere; select other columns "
				"with --columns",
				col->name, t ? t : "?", df->path, col->type);
	}
	fs.release(&fs);
	if (rc)
		return rc;
	if (s->cache)
		return cache_source(s->cache, f, &c->src, err);
	return pv_source_open(df->path, &c->src, err);
}
/* ---- batches */

typedef struct batch_priv {
	int refs;                    /* the top array and each child not yet released */
	struct ArrowArray file;      /* the reader's batch (release NULL when none) */
	pv_arena arena;              /* everything made here */
	struct ArrowArray **kid_ptrs;
	struct ArrowArray *kids;
	const void *top_buffers[1];
} batch_priv;

static void priv_unref(batch_priv *p)
{
	if (__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (p->file.release)
		p->file.release(&p->file);
	pv_arena_release(&p->arena);
	free(p);
}

static void kid_release(struct ArrowArray *a)
{
	batch_priv *p = a->private_data;
	a->release = NULL;
	priv_unref(p);
}

static void top_release(struct ArrowArray *a)
{
	batch_priv *p = a->private_data;
	for (int64_t i = 0; i < a->n_children; i++)
		if (a->children[i]->release)
			a->children[i]->release(a->children[i]);
	a->release = NULL;
	priv_unref(p);
}

static bool bit(const uint8_t *bits, int64_t i)
{
	return bits[i >> 3] >> (i & 7) & 1;
}

/* Nulls among length values from offset of an array of format f. */
static int64_t count_nulls(const char *f, const void *validity, int64_t offset, int64_t length)
{
	if (!strcmp(f, "n"))
		return length;
	if (!validity)
		return 0;
	int64_t n = 0;
	for (int64_t i = 0; i < length; i++)
		n += !bit(validity, offset + i);
	return n;
}

/* The column of sel x (the file's field `field`) in the reader's batch
 * fb, for count rows: a shallow copy of the file's array that shares its
 * buffers and children, with offsets adjusted and, below structs, the
 * structs' nulls folded in. */
static int project(batch_priv *p, const struct ArrowArray *fb, const sel *x, long field,
                   int64_t count, const char *leaf_format, struct ArrowArray *out, pv_err *err)
{
	if (field >= fb->n_children)
		return pv_err_set(err, PV_EINTERNAL, "reader batch has %lld fields",
				  (long long)fb->n_children);
	const struct ArrowArray *at = fb->children[field];
	int64_t shift = fb->offset; /* where row 0 sits in at's index space */
	uint8_t *valid = NULL;      /* folded struct validity, indexed by row */
	for (size_t d = 0; d < x->depth; d++) {
		if (at->n_buffers >= 1 && at->buffers[0]) {
			size_t nb = (size_t)count / 8 + 1;
			if (!valid) {
				if (!(valid = pv_arena_alloc(&p->arena, nb, err)))
					return err ? err->code : PV_ENOMEM;
				memset(valid, 0xff, nb);
			}
			for (int64_t i = 0; i < count; i++)
				if (!bit(at->buffers[0], at->offset + shift + i))
					valid[i >> 3] &= (uint8_t)~(1u << (i & 7));
		}
		shift += at->offset;
		if ((int64_t)x->path_idx[d] >= at->n_children)
			return pv_err_set(err, PV_EINTERNAL, "struct array with %lld children",
					  (long long)at->n_children);
		at = at->children[x->path_idx[d]];
	}
	*out = *at;
	out->offset = at->offset + shift;
	out->length = count;
	out->release = kid_release;
	out->private_data = p;
	if (valid && strcmp(leaf_format, "n")) {
		int64_t off = out->offset, total;
		if (__builtin_add_overflow(off, count, &total) || total > ((int64_t)1 << 40))
			return pv_err_set(err, PV_ELIMIT, "array offset out of range");
		if (at->n_buffers < 1)
			return pv_err_set(err, PV_EINTERNAL, "array of format '%s' without buffers",
					  leaf_format);
		uint8_t *v = pv_arena_alloc(&p->arena, (size_t)total / 8 + 1, err);
		const void **bufs = pv_arena_array(&p->arena, (size_t)at->n_buffers, sizeof *bufs, err);
		if (!v || !bufs)
			return err ? err->code : PV_ENOMEM;
		for (int64_t i = 0; i < count; i++) {
			bool ok = bit(valid, i) && (!at->buffers[0] || bit(at->buffers[0], off + i));
			if (ok)
				v[(off + i) >> 3] |= (uint8_t)(1u << ((off + i) & 7));
		}
		memcpy(bufs, at->buffers, (size_t)at->n_buffers * sizeof *bufs);
		bufs[0] = v;
		out->buffers = bufs;
	}
	if (out->offset != at->offset || out->length != at->length || valid)
		out->null_count = count_nulls(leaf_format, out->n_buffers ? out->buffers[0] : NULL,
					      out->offset, count);
	return 0;
}

/* One batch of count rows with the reader's batch fb (moved in; NULL when
 * nothing was read from the file), completed as the cursor's file needs. */
static int assemble(const pv_scan *s, const cursor *c, struct ArrowArray *fb, int64_t count,
                    struct ArrowArray *out, pv_err *err)
{
	batch_priv *p = calloc(1, sizeof *p);
	if (!p) {
		if (fb && fb->release)
			fb->release(fb);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	if (fb) {
		p->file = *fb;
		fb->release = NULL;
	}
	pv_arena_init(&p->arena, 0);
	p->refs = 1;
	size_t n = s->n_sels;
	p->kid_ptrs = pv_arena_array(&p->arena, n ? n : 1, sizeof *p->kid_ptrs, err);
	p->kids = pv_arena_array(&p->arena, n ? n : 1, sizeof *p->kids, err);
	int rc = 0;
	if (!p->kid_ptrs || !p->kids)
		rc = err ? err->code : PV_ENOMEM;
	if (!rc && fb && p->file.length < count)
		rc = pv_err_set(err, PV_EINTERNAL, "reader returned %lld rows for %lld",
				(long long)p->file.length, (long long)count);
	for (size_t i = 0; i < n && !rc; i++) {
		const sel *x = &s->sels[i];
		const sel_file *xf = &c->sf[i];
		struct ArrowArray *k = &p->kids[i];
		p->kid_ptrs[i] = k;
		if (xf->field >= 0)
			rc = project(p, &p->file, x, xf->field, count, x->schema->format, k, err);
		else if (xf->has_value)
			rc = const_array(&p->arena, &xf->value, count, k, err);
		else
			rc = null_array(&p->arena, x->schema, count, k, 0, err);
		if (rc)
			break;
		/* every child holds the batch's memory until it is released */
		k->release = kid_release;
		k->private_data = p;
		p->refs++;
	}
	if (rc) {
		/* nothing was handed out: drop the children's references at once */
		p->refs = 1;
		priv_unref(p);
		return rc;
	}
	p->top_buffers[0] = NULL;
	*out = (struct ArrowArray){
		.length = count,
		.null_count = 0,
		.offset = 0,
		.n_buffers = 1,
		.n_children = (int64_t)n,
		.buffers = p->top_buffers,
		.children = p->kid_ptrs,
		.release = top_release,
		.private_data = p,
	};
	return 0;
}

/* The next piece to read from (*ri, *pos) on, before row `end`: at most
 * batch_rows rows of one range inside one row group. Moves *ri and *pos
 * to its first row and gives its row group and row count; false when
 * there is none. */
static bool next_piece(const pv_scan *s, size_t *ri, int64_t *pos, int64_t end,
                       const pv_rowmap_entry **out_e, int64_t *out_count)
{
	while (*ri < s->n_ranges) {
		const pv_row_range *r = &s->ranges[*ri];
		if (*pos < r->first)
			*pos = r->first;
		if (*pos >= r->first + r->count) {
			(*ri)++;
			continue;
		}
		if (*pos >= end)
			return false;
		const pv_rowmap_entry *e = &s->map.entries[entry_of(&s->map, *pos)];
		int64_t count = r->first + r->count - *pos;
		if (count > e->first + e->n_rows - *pos)
			count = e->first + e->n_rows - *pos;
		if (count > s->batch_rows)
			count = s->batch_rows;
		*out_e = e;
		*out_count = count;
		return true;
	}
	return false;
}

/* Reads rows [pos, pos + count) of row group e (which range ri holds)
 * through cursor c as one batch. After an error the caller closes the
 * cursor's file. */
static int read_piece(pv_scan *s, cursor *c, const pv_rowmap_entry *e, size_t ri, int64_t pos,
                      int64_t count, struct ArrowArray *out, pv_err *err)
{
	memset(out, 0, sizeof *out);
	if (e->row_group == SIZE_MAX)
		return bad_entry(&s->map, e, err);
	const pv_dataset_file *df = &s->ds->files[e->file];
	int rc = 0;
	if (c->file != e->file && (rc = open_file(s, c, e->file, err)))
		return rc;
	if (c->n_fields && c->rg != e->row_group) {
		drop_reader(s, c);
		if (s->cache) {
			/* from here the key is busy: drop_reader must give it back */
			c->reader = cache_take(s->cache, e->file, e->row_group, c->fields, c->n_fields,
					       pos - e->first);
			c->rg = e->row_group;
			c->reader_failed = !c->reader;
		}
		if (!c->reader) {
			pv_batch_opts bo = s->bopts;
			/* a worker is one of the threads already: no more per read */
			if (c->worker)
				bo.n_threads = 1;
			rc = pv_rgreader_open(c->src, df->pf, e->row_group, c->fields, c->n_fields, &bo,
					      &c->reader, err);
			c->reader_failed = rc != 0;
		}
		if (rc) {
			pv_err_prefix(err, "%s", df->path);
			return rc;
		}
		c->rg = e->row_group;
	}
	struct ArrowArray fb = { 0 };
	if (c->n_fields) {
		/* a batch that ends its range before a jump (a sample's rows)
		 * lets the columns give back pages the next range does not use */
		const pv_row_range *r = &s->ranges[ri];
		if (pos + count == r->first + r->count && s->n_ranges > 1) {
			/* after the last range the scan is done */
			int64_t nf = ri + 1 < s->n_ranges ? s->ranges[ri + 1].first : INT64_MAX;
			bool same = nf >= e->first && nf - e->first < e->n_rows;
			if (nf != pos + count)
				pv_rgreader_set_next(c->reader, same ? nf - e->first : INT64_MAX);
		}
		rc = pv_rgreader_read(c->reader, pos - e->first, count, &fb, err);
		if (rc) { /* the reader names the row group, column and page */
			c->reader_failed = true;
			pv_err_prefix(err, "%s", df->path);
			return rc;
		}
		c->reader_next = pos - e->first + count;
	}
	return assemble(s, c, c->n_fields ? &fb : NULL, count, out, err);
}

/* ---- reading ahead on worker threads
 *
 * The rows to read are cut into units, one per row group they touch (small
 * ones merged: see UNIT_MIN_ROWS), in order. Each worker takes the next unit, reads its pieces through its own
 * cursor and queues the batches in the unit's slot; pv_scan_next hands
 * them out unit by unit, so the batches come in the same order, with the
 * same contents, as on one thread. Work in flight is capped: a worker
 * takes unit u only while the caller is at unit u - n_slots + 1 or later,
 * and a slot takes a batch only while it holds fewer than SCAN_QUEUE
 * batches and fewer than 2 * batch_rows rows (the worker waits for room):
 * a sample's one-row batches queue by the dozen, a cat's full batches two
 * at a time. So at most n_slots units are open, each with at most three
 * batches' worth of rows queued, plus one batch per worker being read. */

#define SCAN_QUEUE 64
/* Row groups join the unit before them while it holds fewer rows and
 * ranges than these. */
#define UNIT_MIN_ROWS ((int64_t)4096)
#define UNIT_MAX_RANGES ((int64_t)3)

typedef struct unit {
	size_t ri;        /* the range its first row is in */
	int64_t pos, end; /* its first row; the end of its row group */
} unit;

typedef struct slot {
	struct ArrowArray q[SCAN_QUEUE];
	int64_t q_first[SCAN_QUEUE];
	size_t q_head, q_n;
	int64_t q_rows;   /* rows in the queued batches */
	bool done;        /* the worker finished the unit (or failed) */
	int rc;
	pv_err err;
} slot;

typedef struct worker {
	par *p;
	cursor cur;
	pthread_t tid;
} worker;

struct par {
	pv_scan *s;
	unit *units;
	size_t n_units;
	slot *slots;      /* unit u uses slots[u % n_slots] */
	size_t n_slots;
	worker *workers;
	int n_workers;
	pthread_mutex_t lock;
	pthread_cond_t ready; /* the caller's slot got a batch or finished */
	pthread_cond_t room;  /* a slot got room, the caller moved on, or stop */
	bool caller_waits;    /* on ready (wake it only then) */
	int n_waiting;        /* workers waiting on room (wake them only then) */
	size_t next_unit; /* the next one a worker takes */
	size_t cur_unit;  /* the one the caller reads */
	bool stop;
};

/* Wakes the caller when it waits for unit u. Under the lock. */
static void tell_caller(par *p, size_t u)
{
	if (p->caller_waits && u == p->cur_unit)
		pthread_cond_signal(&p->ready);
}

/* Waits for room (under the lock). */
static void wait_room(par *p)
{
	p->n_waiting++;
	pthread_cond_wait(&p->room, &p->lock);
	p->n_waiting--;
}

/* Reads unit u into slot sl on cursor c. */
static void run_unit(par *p, cursor *c, size_t u, slot *sl)
{
	pv_scan *s = p->s;
	size_t ri = p->units[u].ri;
	int64_t pos = p->units[u].pos, end = p->units[u].end, count;
	const pv_rowmap_entry *e;
	pv_err err;
	pv_err_clear(&err);
	int rc = 0;
	while (next_piece(s, &ri, &pos, end, &e, &count)) {
		struct ArrowArray b;
		if ((rc = read_piece(s, c, e, ri, pos, count, &b, &err)))
			break;
		pthread_mutex_lock(&p->lock);
		while (!p->stop && (sl->q_n == SCAN_QUEUE || sl->q_rows >= 2 * s->batch_rows))
			wait_room(p);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			b.release(&b);
			return;
		}
		size_t k = (sl->q_head + sl->q_n) % SCAN_QUEUE;
		sl->q[k] = b;
		sl->q_first[k] = pos;
		sl->q_n++;
		sl->q_rows += count;
		tell_caller(p, u);
		pthread_mutex_unlock(&p->lock);
		pos += count;
	}
	/* units are row groups: this cursor will not see these again */
	if (rc)
		close_file(s, c);
	else
		drop_reader(s, c);
	pthread_mutex_lock(&p->lock);
	sl->done = true;
	sl->rc = rc;
	if (rc)
		sl->err = err;
	tell_caller(p, u);
	pthread_mutex_unlock(&p->lock);
}

static void *work(void *arg)
{
	worker *w = arg;
	par *p = w->p;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->next_unit < p->n_units &&
		       p->next_unit >= p->cur_unit + p->n_slots)
			wait_room(p);
		if (p->stop || p->next_unit >= p->n_units)
			break;
		size_t u = p->next_unit++;
		pthread_mutex_unlock(&p->lock);
		run_unit(p, &w->cur, u, &p->slots[u % p->n_slots]);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Stops and joins the workers, drops what they queued. NULL par allowed. */
static void par_stop(pv_scan *s)
{
	par *p = s->par;
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->room);
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n_workers; i++)
		pthread_join(p->workers[i].tid, NULL);
	for (int i = 0; i < p->n_workers; i++) {
		close_file(s, &p->workers[i].cur);
		pv_arena_release(&p->workers[i].cur.arena);
	}
	for (size_t i = 0; i < p->n_slots; i++)
		for (size_t k = 0; k < p->slots[i].q_n; k++) {
			struct ArrowArray *b = &p->slots[i].q[(p->slots[i].q_head + k) % SCAN_QUEUE];
			if (b->release)
				b->release(b);
		}
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->room);
	pthread_mutex_destroy(&p->lock);
	free(p->units);
	free(p->slots);
	free(p->workers);
	free(p);
	s->par = NULL;
}

/* A page of this many bytes or more, decompressed, makes a scan read on
 * one thread (see huge_pages). */
#define PAR_PAGE_MAX ((int64_t)16 << 20)

/* Whether a row group the units touch may have pages of PAR_PAGE_MAX
 * bytes: a chunk without an OffsetIndex or encoding statistics may be one
 * page (DuckDB writes them so), and its reader holds levels and a stream
 * window in proportion. A worker per row group would hold that per
 * worker; reading on one thread, the reader spreads the columns over the
 * CPUs instead (read/batch.h) with one row group's memory. */
static bool huge_pages(const pv_scan *s, const pv_rowmap_entry *e)
{
	const pv_pfile *pf = s->ds->files[e->file].pf;
	if (e->row_group == SIZE_MAX || !pf)
		return false;
	const pv_row_group *rg = &pf->meta->row_groups[e->row_group];
	for (size_t c = 0; c < rg->n_columns; c++) {
		const pv_column_chunk *cc = &rg->columns[c];
		/* an indexed chunk was cut into pages by a writer that indexes
		 * them: trust it when nothing else says */
		if (!cc->meta_data.has_encoding_stats && cc->has_offset_index_offset)
			continue;
		if (pv_batch_page_estimate(cc) >= PAR_PAGE_MAX)
			return true;
	}
	return false;
}

/* The rows and ranges of s in [pos, end), from range ri on. */
static void rows_in(const pv_scan *s, size_t ri, int64_t pos, int64_t end, int64_t *rows,
		    int64_t *ranges)
{
	for (; ri < s->n_ranges && s->ranges[ri].first < end; ri++) {
		int64_t a = s->ranges[ri].first > pos ? s->ranges[ri].first : pos;
		int64_t b = s->ranges[ri].first + s->ranges[ri].count;
		if (b > end)
			b = end;
		if (b > a) {
			*rows += b - a;
			(*ranges)++;
		}
	}
}

/* Starts the workers when the rows span two row groups or more; leaves
 * s->par NULL (read on the calling thread) otherwise, or when no thread
 * could be started. */
static int par_start(pv_scan *s, pv_err *err)
{
	par *p = calloc(1, sizeof *p);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	p->s = s;
	p->units = malloc((s->map.n_entries ? s->map.n_entries : 1) * sizeof *p->units);
	if (!p->units) {
		free(p);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	size_t ri = 0;
	int64_t pos = 0, count;
	const pv_rowmap_entry *e;
	bool huge = false;
	int64_t u_rows = 0, u_ranges = 0; /* in the last unit */
	while (next_piece(s, &ri, &pos, INT64_MAX, &e, &count) && p->n_units < s->map.n_entries) {
		int64_t end = e->first + e->n_rows;
		huge = huge || huge_pages(s, e);
		/* a unit costs hand-offs between threads: one holding a few rows
		 * of one or two ranges (small files read whole) takes the next
		 * row group too */
		if (p->n_units && u_rows < UNIT_MIN_ROWS && u_ranges < UNIT_MAX_RANGES) {
			p->units[p->n_units - 1].end = end;
		} else {
			p->units[p->n_units++] = (unit){ ri, pos, end };
			u_rows = u_ranges = 0;
		}
		rows_in(s, ri, pos, end, &u_rows, &u_ranges);
		pos = end;
	}
	int n = s->n_threads;
	if ((size_t)n > p->n_units)
		n = (int)p->n_units;
	if (n < 2 || huge) {
		free(p->units);
		free(p);
		return 0;
	}
	/* one unit queued ahead per worker besides the ones being read */
	p->n_slots = (size_t)n + 1;
	p->slots = calloc(p->n_slots, sizeof *p->slots);
	p->workers = calloc((size_t)n, sizeof *p->workers);
	if (!p->slots || !p->workers) {
		free(p->units);
		free(p->slots);
		free(p->workers);
		free(p);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->room, NULL);
	s->par = p;
	for (int i = 0; i < n; i++) {
		worker *w = &p->workers[p->n_workers];
		w->p = p;
		cursor_init(&w->cur);
		w->cur.worker = true;
		if (pthread_create(&w->tid, NULL, work, w)) {
			pv_arena_release(&w->cur.arena);
			break;
		}
		p->n_workers++;
	}
	if (!p->n_workers)
		par_stop(s);
	return 0;
}

/* pv_scan_next with workers: the next batch of the caller's unit. */
static int par_next(pv_scan *s, struct ArrowArray *out, int64_t *out_first, pv_err *err)
{
	par *p = s->par;
	pthread_mutex_lock(&p->lock);
	while (p->cur_unit < p->n_units) {
		slot *sl = &p->slots[p->cur_unit % p->n_slots];
		if (sl->q_n) {
			*out = sl->q[sl->q_head];
			*out_first = sl->q_first[sl->q_head];
			sl->q_head = (sl->q_head + 1) % SCAN_QUEUE;
			sl->q_n--;
			sl->q_rows -= out->length;
			if (p->n_waiting)
				pthread_cond_broadcast(&p->room);
			pthread_mutex_unlock(&p->lock);
			s->pos = *out_first + out->length;
			s->done += out->length;
			return 0;
		}
		if (sl->done) {
			if (sl->rc) {
				int rc = sl->rc;
				pv_err_copy(err, &sl->err);
				pthread_mutex_unlock(&p->lock);
				s->failed = true;
				return rc;
			}
			memset(sl, 0, sizeof *sl);
			p->cur_unit++;
			if (p->n_waiting)
				pthread_cond_broadcast(&p->room);
			continue;
		}
		p->caller_waits = true;
		pthread_cond_wait(&p->ready, &p->lock);
		p->caller_waits = false;
	}
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int pv_scan_next(pv_scan *s, struct ArrowArray *out, int64_t *out_first, pv_err *err)
{
	memset(out, 0, sizeof *out);
	*out_first = s->pos;
	if (s->failed)
		return pv_err_set(err, PV_EINVAL, "scan used after an error");
	if (!s->started) {
		s->started = true;
		if (s->n_threads > 1 && !s->cache) {
			int rc = par_start(s, err);
			if (rc) {
				s->failed = true;
				return rc;
			}
		}
	}
	if (s->par)
		return par_next(s, out, out_first, err);
	const pv_rowmap_entry *e;
	int64_t count;
	if (!next_piece(s, &s->range_i, &s->pos, INT64_MAX, &e, &count)) {
		close_file(s, &s->cur);
		return 0;
	}
	int rc = read_piece(s, &s->cur, e, s->range_i, s->pos, count, out, err);
	if (rc) {
		s->failed = true;
		close_file(s, &s->cur);
		memset(out, 0, sizeof *out);
		return rc;
	}
	*out_first = s->pos;
	s->pos += count;
	s->done += count;
	return 0;
}
