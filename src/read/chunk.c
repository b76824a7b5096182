/*
 * chunk.c - the column chunk reader (see chunk.h): a read window over the
 * chunk's bytes, a directory of the data pages seen so far, page loading
 * (CRC, decompression, levels), lazy value decoding with skips, and the
 * row-oriented read and seek on top. Includes base, format, io, codec,
 * encoding and read.
 */
#include "read/chunk.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/checked.h"
#include "base/spare.h"
#include "codec/codec.h"
#include "encoding/decoder.h"
#include "encoding/rle.h"
#include "format/pages.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "base/banned.h"

/* Bytes fetched for a header whose page size is not known yet. */
#define HEADER_GUESS ((size_t)16 << 10)
/* Bytes fetched at least while walking headers or reading in order. */
#define WALK_WINDOW ((size_t)64 << 10)
/* Read-ahead grows from WALK_WINDOW by doubling with each read that asks
 * for it, up to READAHEAD: a reader that stops after a few rows (head, a
 * sample) reads about the pages it needs, one that keeps going soon reads
 * 1 MiB at a time. */
#define READAHEAD ((size_t)1 << 20)
/* Pages a read takes whole stream only from this many times stream_min. */
#define WHOLE_FACTOR ((size_t)4)
/* A read of at most FEW_ROWS rows that enters a page holding FEW_FACTOR
 * times more streams it from FEW_STREAM_MIN bytes on, whatever stream_min
 * says: the first rows of a file (head) then cost the page's first window,
 * not the page. Batches of a full read (thousands of rows) are not few. */
#define FEW_ROWS ((int64_t)1024)
#define FEW_FACTOR ((int64_t)8)
#define FEW_STREAM_MIN ((size_t)64 << 10)
/* Values decoded per decoder call on the converting paths. */
#define BATCH 1024
/* The widest decoded value (a pv_bytes_view, or INT96's 12 bytes). */
#define MAX_DECODED_WIDTH 16
_Static_assert(sizeof(pv_bytes_view) <= MAX_DECODED_WIDTH, "decoded values fit the scratch");

/* Makes *buf hold at least need bytes; the old contents are dropped. */
static int scratch_room(void **buf, size_t *cap, size_t need, pv_err *err)
{
	if (*buf && *cap >= need)
		return 0;
	size_t got;
	void *p = pv_spare_alloc(need, &got);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_spare_give(*buf, *cap);
	*buf = p;
	*cap = got;
	return 0;
}

/* ------------------------------------------------------------------ colbuf */

void pv_colbuf_init(pv_colbuf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->cap = cap ? cap : PV_COLBUF_DEFAULT_CAP;
}

void pv_colbuf_release(pv_colbuf *b)
{
	if (!b)
		return;
	size_t cap = b->cap;
	/* back to the spare cache: the next batch's columns take them */
	pv_spare_give(b->def, b->levels_cap * sizeof *b->def);
	pv_spare_give(b->rep, b->levels_cap * sizeof *b->rep);
	pv_spare_give(b->values, b->values_cap);
	pv_spare_give(b->offsets, b->offsets_cap * sizeof *b->offsets);
	memset(b, 0, sizeof *b);
	b->cap = cap;
}

void pv_colbuf_reset(pv_colbuf *b)
{
	b->n_levels = 0;
	b->n_rows = 0;
	b->n_values = 0;
	b->values_len = 0;
}

static int no_mem(pv_err *err)
{
	return pv_err_set(err, PV_ENOMEM, "out of memory");
}

/* Room for `extra` more levels in the arrays the column has. The arrays
 * come from the spare cache (base/spare.h), as do the values and offsets
 * below: a batch's buffers go to its Arrow arrays, and when those are
 * released they come back for the next batch. */
static int levels_reserve(pv_colbuf *b, size_t extra, bool has_def, bool has_rep, pv_err *err)
{
	size_t need, bytes;
	size_t arrays = (size_t)has_def + (size_t)has_rep;
	if (!pv_add_size(b->n_levels, extra, &need) || !pv_mul_size(need, 2 * arrays, &bytes) ||
	    bytes > b->cap)
		return pv_err_set(err, PV_ELIMIT,
				  "column levels exceed %zu bytes in one batch: read fewer rows", b->cap);
	if (need <= b->levels_cap && (!has_def || b->def) && (!has_rep || b->rep))
		return 0;
	size_t cap = b->levels_cap ? b->levels_cap : 1024;
	while (cap < need)
		cap *= 2;
	size_t keep = b->n_levels * sizeof(int16_t);
	size_t def_bytes = b->def ? b->levels_cap * sizeof(int16_t) : 0;
	size_t rep_bytes = b->rep ? b->levels_cap * sizeof(int16_t) : 0;
	if (has_def && pv_spare_grow((void **)&b->def, &def_bytes, keep, cap * sizeof(int16_t)))
		return no_mem(err);
	/* after a failure levels_cap stays: a grown def array is given back
	 * as smaller than it is, which is harmless */
	if (has_rep && pv_spare_grow((void **)&b->rep, &rep_bytes, keep, cap * sizeof(int16_t)))
		return no_mem(err);
	/* both arrays hold at least the smaller of what they got */
	size_t got = (has_def ? def_bytes : rep_bytes) / sizeof(int16_t);
	if (has_rep && rep_bytes / sizeof(int16_t) < got)
		got = rep_bytes / sizeof(int16_t);
	b->levels_cap = got;
	return 0;
}

static int values_reserve(pv_colbuf *b, size_t extra, pv_err *err)
{
	size_t need;
	if (!pv_add_size(b->values_len, extra, &need) || need > b->cap)
		return pv_err_set(err, PV_ELIMIT,
				  "column values exceed %zu bytes in one batch: read fewer rows", b->cap);
	if (need <= b->values_cap && b->values)
		return 0;
	size_t cap = b->values_cap ? b->values_cap : 4096;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->cap)
		cap = need > b->cap ? need : b->cap;
	if (pv_spare_grow((void **)&b->values, &b->values_cap, b->values_len, cap))
		return no_mem(err);
	return 0;
}

static int offsets_reserve(pv_colbuf *b, size_t extra, pv_err *err)
{
	size_t need;
	if (!pv_add_size(b->n_values, extra, &need) || !pv_add_size(need, 1, &need) ||
	    need > ((size_t)INT32_MAX))
		return pv_err_set(err, PV_ELIMIT, "too many values in one batch: read fewer rows");
	if (need <= b->offsets_cap && b->offsets)
		return 0;
	size_t cap = b->offsets_cap ? b->offsets_cap : 1024;
	while (cap < need)
		cap *= 2;
	bool fresh = !b->offsets;
	size_t bytes = b->offsets_cap * sizeof(int32_t);
	if (pv_spare_grow((void **)&b->offsets, &bytes, (b->n_values + 1) * sizeof(int32_t) * !fresh,
			  cap * sizeof(int32_t)))
		return no_mem(err);
	if (fresh)
		b->offsets[0] = 0;
	b->offsets_cap = bytes / sizeof(int32_t);
	return 0;
}

/* ------------------------------------------------------------------ the reader */

/* One data page as far as it is known. */
typedef struct page_ent {
	int64_t offset;    /* of the page header */
	int64_t first_row; /* the first row that starts in the page */
	int64_t n_rows;    /* rows starting in it; -1 until known */
	int64_t total_len; /* header + body; -1 until known */
	int64_t pageno;    /* page number in the chunk (dictionary included), for messages */
} page_ent;

struct pv_chunk {
	pv_source *src;
	const pv_column_chunk *cc;
	const pv_column_meta *cm;
	const pv_schema_node *leaf;
	pv_leaftype lt;
	int max_def, max_rep;
	int64_t chunk_start, chunk_end;
	int64_t rg_rows;
	bool verify_crc;
	size_t page_cap;
	pv_chunk_stats stats;

	/* the read window over [win_off, win_off + win_len) */
	uint8_t *win;
	size_t win_len, win_cap;
	int64_t win_off;
	size_t ra;           /* the read-ahead the next read may add */
	pv_arena harena;     /* the last parsed header's statistics */
	pv_page_header hdr;
	size_t hdr_len;

	/* data pages seen so far, in file order */
	page_ent *dir;
	size_t n_dir, dir_cap;
	bool dir_complete;   /* every data page is in dir */
	bool dir_from_oi;    /* dir came from the OffsetIndex */
	bool oi_tried;
	int64_t front_off;   /* the next header to discover */
	int64_t front_row;   /* its first row; -1 while the last entry's rows are unknown */
	int64_t front_values;
	int64_t front_pageno;
	bool front_seen_data;

	/* the dictionary */
	int64_t dict_offset; /* -1 until seen */
	int64_t dict_pageno;
	bool dict_failed;    /* the last error came from the dictionary page */
	bool have_dict;
	pv_dict dict;
	uint8_t *dict_bytes;
	size_t dict_len;

	/* the current page */
	int64_t cur;         /* index into dir, -1 for none */
	size_t cur_bytes;    /* its body's decompressed size */
	bool cur_v2;
	int encoding;
	uint8_t *pbuf;       /* decompressed page bytes */
	size_t pbuf_cap;
	const uint8_t *vals; /* the values section (in pbuf or the window) */
	size_t vals_len;
	int64_t pg_levels;   /* levels (num_values) */
	int64_t pg_nonnull;  /* levels that hold a value */
	int64_t pg_pos;      /* next level */
	int64_t pg_vtarget;  /* values before pg_pos */
	int64_t pg_vpos;     /* values the decoder has passed */
	int16_t *pdef, *prep;
	size_t pdef_cap, prep_cap; /* bytes */
	bool dec_ready;
	pv_decoder dec;
	/* a streamed page (chunk.h "Streaming"): its body decompressed into
	 * sw, which holds body bytes [sw_base, sw_base + sw_len) */
	size_t stream_min;
	bool streaming;
	size_t sw_min;       /* the least window: STREAM_WINDOW, FEW_WINDOW for a
	                      * page streamed for a few rows */
	size_t in_step;      /* compressed bytes the next read takes; grows to
	                      * STREAM_IN */
	int win_dec;         /* the decoder reads from sw: WIN_PLAIN, WIN_RLE; 0 not */
	pv_codec_stream *cs;
	int64_t in_off, in_end; /* compressed bytes not yet read */
	uint8_t *inb;
	size_t inb_cap, inb_pos, inb_len;
	const uint8_t *inp;  /* the stream's input bytes [0, inb_len): inb, or
	                      * the read window when it held them already */
	uint8_t *sw;
	size_t sw_cap, sw_base, sw_len, sw_total;
	size_t vals_off;     /* where the values start in the body */
	/* a streamed v1 page's RLE levels ([0] repetition, [1] definition)
	 * are copied out of the window and decoded as rows are reached:
	 * pdef/prep hold levels [0, lv_known) */
	int64_t lv_known;
	bool lv_lazy[2];
	pv_rle lv_rle[2];
	int64_t lv_count[2]; /* rows (rep 0) and values (def max) in the page */
	uint8_t *lvb[2];
	size_t lvb_cap[2];
	pv_buf scratch;
	uint8_t *tmp;        /* BATCH decoded values on converting paths */

	int64_t row;         /* the row the next read starts at */
	bool positioned;     /* the page state matches row */
	int64_t read_left;   /* rows the read in progress still wants (0 outside
	                      * pv_chunk_read's page loads) */
};

/* PV_CHUNK_STREAM_MIN, or PARQVIEW_STREAM_MIN when set to a number. */
static size_t default_stream_min(void)
{
	const char *v = getenv("PARQVIEW_STREAM_MIN");
	if (v && *v) {
		char *end;
		unsigned long long n = strtoull(v, &end, 10);
		if (*end == '\0' && n > 0)
			return (size_t)n;
	}
	return PV_CHUNK_STREAM_MIN;
}

static int page_fail(int64_t pageno, int rc, pv_err *err)
{
	pv_err_prefix(err, "page %lld", (long long)pageno);
	return rc;
}

int pv_chunk_open(pv_source *src, const pv_pfile *pf, size_t row_group, size_t column,
		  const pv_chunk_opts *opts, pv_chunk **out, pv_err *err)
{
	*out = NULL;
	const pv_file_meta *m = pf->meta;
	if (row_group >= m->n_row_groups)
		return pv_err_set(err, PV_EINVAL, "row group %zu out of range (the file has %zu)",
				  row_group, m->n_row_groups);
	const pv_row_group *rg = &m->row_groups[row_group];
	if (column >= rg->n_columns || column >= pf->schema->n_leaves)
		return pv_err_set(err, PV_EINVAL, "column %zu out of range", column);
	const pv_column_chunk *cc = &rg->columns[column];
	int64_t start, end;
	int rc = pv_pagewalk_chunk_range(cc, pv_source_size(src), &start, &end, err);
	if (rc)
		return rc;
	if (cc->meta_data.num_values < 0)
		return pv_err_set(err, PV_ECORRUPT, "negative num_values %lld in the column chunk",
				  (long long)cc->meta_data.num_values);
	pv_chunk *c = calloc(1, sizeof *c);
	if (!c)
		return no_mem(err);
	c->src = src;
	c->cc = cc;
	c->cm = &cc->meta_data;
	c->leaf = pf->schema->leaves[column];
	pv_arrowtype_leaf(c->leaf, &c->lt);
	c->max_def = c->leaf->max_def;
	c->max_rep = c->leaf->max_rep;
	c->chunk_start = start;
	c->chunk_end = end;
	c->rg_rows = rg->num_rows;
	c->verify_crc = opts && opts->verify_crc;
	c->page_cap = opts && opts->max_page_bytes ? opts->max_page_bytes : ((size_t)1 << 30);
	if (c->page_cap > PV_CODEC_MAX)
		c->page_cap = PV_CODEC_MAX;
	c->stream_min = opts && opts->stream_min ? opts->stream_min : default_stream_min();
	pv_arena_init(&c->harena, PV_PAGEWALK_HEADER_MAX * 2);
	c->front_off = start;
	c->ra = WALK_WINDOW;
	c->dict_offset = -1;
	c->cur = -1;
	c->positioned = true;
	pv_buf_init(&c->scratch, c->page_cap);
	c->tmp = malloc((size_t)BATCH * MAX_DECODED_WIDTH);
	if (!c->tmp) {
		pv_chunk_close(c);
		return no_mem(err);
	}
	*out = c;
	return 0;
}

static void drop_decoder(pv_chunk *c)
{
	if (c->dec_ready)
		pv_decoder_release(&c->dec);
	c->dec_ready = false;
	c->win_dec = 0;
	c->pg_vpos = 0;
}

static void end_stream(pv_chunk *c)
{
	pv_codec_stream_free(c->cs);
	c->cs = NULL;
	c->streaming = false;
	c->win_dec = 0;
	c->inb_pos = c->inb_len = 0;
	c->inp = NULL;
	c->sw_base = c->sw_len = c->sw_total = 0;
}

static void unload(pv_chunk *c)
{
	drop_decoder(c);
	end_stream(c);
	c->cur = -1;
	c->cur_bytes = 0;
	c->pg_levels = c->pg_nonnull = c->pg_pos = c->pg_vtarget = 0;
	c->lv_known = 0;
	c->lv_lazy[0] = c->lv_lazy[1] = false;
	c->vals = NULL;
	c->vals_len = 0;
}

void pv_chunk_close(pv_chunk *c)
{
	if (!c)
		return;
	drop_decoder(c);
	end_stream(c);
	pv_spare_give(c->inb, c->inb_cap);
	pv_spare_give(c->sw, c->sw_cap);
	pv_buf_release(&c->scratch);
	pv_arena_release(&c->harena);
	if (c->have_dict)
		pv_dict_release(&c->dict);
	free(c->dict_bytes);
	pv_spare_give(c->win, c->win_cap);
	free(c->dir);
	pv_spare_give(c->pbuf, c->pbuf_cap);
	pv_spare_give(c->lvb[0], c->lvb_cap[0]);
	pv_spare_give(c->lvb[1], c->lvb_cap[1]);
	pv_spare_give(c->pdef, c->pdef_cap);
	pv_spare_give(c->prep, c->prep_cap);
	free(c->tmp);
	free(c);
}

const pv_schema_node *pv_chunk_leaf(const pv_chunk *c)
{
	return c->leaf;
}

const pv_leaftype *pv_chunk_type(const pv_chunk *c)
{
	return &c->lt;
}

int64_t pv_chunk_tell(const pv_chunk *c)
{
	return c->row;
}

size_t pv_chunk_page_bytes(const pv_chunk *c)
{
	return c->cur >= 0 ? c->cur_bytes : 0;
}

pv_chunk_stats pv_chunk_stats_get(const pv_chunk *c)
{
	return c->stats;
}

/* ------------------------------------------------------------------ bytes */

/* Points *out at [off, off + len) of the chunk (the caller has checked the
 * range lies inside it), reading at least `want` bytes when it must read
 * so that what follows comes for free. Valid until the next fetch. */
static int fetch(pv_chunk *c, int64_t off, size_t len, size_t want, const uint8_t **out,
		 pv_err *err)
{
	if (c->win && off >= c->win_off && (uint64_t)(off - c->win_off) <= c->win_len &&
	    c->win_len - (size_t)(off - c->win_off) >= len) {
		*out = c->win + (off - c->win_off);
		return 0;
	}
	size_t left = (size_t)(c->chunk_end - off);
	if (want > c->ra) {
		want = c->ra;
		c->ra = c->ra * 2 < READAHEAD ? c->ra * 2 : READAHEAD;
	}
	size_t n = want > len ? want : len;
	if (n > left)
		n = left;
	if (n < len)
		return pv_err_set(err, PV_EINTERNAL, "fetch past the column chunk");
	/* a stream still taking its input from the window keeps it */
	if (c->inp && c->inp != c->inb && c->inb_pos < c->inb_len) {
		size_t rest = c->inb_len - c->inb_pos;
		int rc0 = scratch_room((void **)&c->inb, &c->inb_cap, rest, err);
		if (rc0)
			return rc0;
		memcpy(c->inb, c->inp + c->inb_pos, rest);
		c->inp = c->inb;
		c->inb_pos = 0;
		c->inb_len = rest;
	}
	c->win_len = 0;
	int rc0 = scratch_room((void **)&c->win, &c->win_cap, n, err);
	if (rc0)
		return rc0;
	int rc = pv_source_read(c->src, off, c->win, n, err);
	if (rc)
		return rc;
	c->stats.bytes_read += (int64_t)n;
	c->win_off = off;
	c->win_len = n;
	*out = c->win;
	return 0;
}

/* Parses the page header at off into c->hdr / c->hdr_len and checks the
 * page fits the chunk and the caps. */
static int read_header(pv_chunk *c, int64_t off, size_t want, pv_err *err)
{
	if (off >= c->chunk_end)
		return pv_err_set(err, PV_ECORRUPT, "page header at offset %lld is past the column chunk",
				  (long long)off);
	size_t left = (size_t)(c->chunk_end - off);
	size_t try = HEADER_GUESS < left ? HEADER_GUESS : left;
	for (;;) {
		const uint8_t *p;
		int rc = fetch(c, off, try, want, &p, err);
		if (rc)
			return rc;
		/* use whatever the window already holds */
		size_t avail = c->win_len - (size_t)(off - c->win_off);
		pv_arena_reset(&c->harena);
		size_t hlen = 0;
		rc = pv_page_header_parse(p, avail, &c->harena, &c->hdr, &hlen, err);
		if (!rc) {
			c->hdr_len = hlen;
			break;
		}
		if (hlen != 0)
			return rc;
		if (avail >= left)
			return pv_err_set(err, PV_ECORRUPT, "page header truncated by the end of the column chunk");
		if (avail >= PV_PAGEWALK_HEADER_MAX)
			return pv_err_set(err, PV_ECORRUPT, "page header longer than %zu bytes",
					  PV_PAGEWALK_HEADER_MAX);
		try = avail * 4;
		if (try > left)
			try = left;
		want = try;
	}
	const pv_page_header *h = &c->hdr;
	if ((size_t)h->compressed_page_size > c->page_cap ||
	    (size_t)h->uncompressed_page_size > c->page_cap)
		return pv_err_set(err, PV_ELIMIT,
				  "page of %d bytes (%d uncompressed) exceeds the page cap of %zu bytes",
				  h->compressed_page_size, h->uncompressed_page_size, c->page_cap);
	if ((int64_t)c->hdr_len + h->compressed_page_size > c->chunk_end - off)
		return pv_err_set(err, PV_ECORRUPT,
				  "page of %zu + %d bytes at offset %lld runs past the end of the column chunk",
				  c->hdr_len, h->compressed_page_size, (long long)off);
	return 0;
}

static int check_crc(pv_chunk *c, const uint8_t *body, size_t n, pv_err *err)
{
	const pv_page_header *h = &c->hdr;
	if (!c->verify_crc || !h->has_crc)
		return 0;
	uint32_t got = (uint32_t)crc32(0L, body, (uInt)n);
	if (got != (uint32_t)h->crc)
		return pv_err_set(err, PV_ECORRUPT, "crc mismatch (stored 0x%08x, computed 0x%08x)",
				  (unsigned)(uint32_t)h->crc, (unsigned)got);
	return 0;
}

/* The page body (src, n bytes) decompressed to out_len bytes; uncompressed
 * bytes are used where they are. */
static int inflate_body(pv_chunk *c, bool compressed, const uint8_t *src, size_t n, size_t out_len,
			const uint8_t **out, pv_err *err)
{
	if (!compressed || c->cm->codec == PV_CODEC_UNCOMPRESSED) {
		if (n != out_len)
			return pv_err_set(err, PV_ECORRUPT,
					  "uncompressed page body of %zu bytes, header says %zu", n, out_len);
		*out = src;
		return 0;
	}
	int rc = scratch_room((void **)&c->pbuf, &c->pbuf_cap, out_len, err);
	if (rc)
		return rc;
	rc = pv_codec_decompress(c->cm->codec, src, n, c->pbuf, out_len, err);
	if (rc)
		return rc;
	*out = c->pbuf;
	return 0;
}

/* ------------------------------------------------------------------ streamed pages */

/* Compressed bytes read from the file at a time, and the least window. */
#define STREAM_IN ((size_t)256 << 10)
#define STREAM_WINDOW ((size_t)256 << 10)
/* Both start at this for a page streamed for a few rows (FEW_ROWS): a
 * zstd block is at most 128 KiB, so the first rows cost about one block,
 * and reads that go on double it. */
#define FEW_WINDOW ((size_t)64 << 10)

/* Starts streaming a page body: src_len compressed bytes at file offset
 * off that decompress to dst_len bytes; few: for a read of a few rows
 * (FEW_ROWS), from a small window and small reads. */
static int start_stream(pv_chunk *c, int64_t off, size_t src_len, size_t dst_len, bool few,
			pv_err *err)
{
	end_stream(c);
	int rc = pv_codec_stream_new(c->cm->codec, src_len, dst_len, &c->cs, err);
	if (rc)
		return rc;
	c->stats.pages_streamed++;
	c->sw_min = few ? FEW_WINDOW : STREAM_WINDOW;
	c->in_step = few ? FEW_WINDOW : STREAM_IN;
	c->streaming = true;
	c->in_off = off;
	c->in_end = off + (int64_t)src_len;
	c->sw_total = dst_len;
	return 0;
}

/* Decompresses more of the body into sw after its sw_len bytes, as much as
 * the window has room for (at least one byte unless the body is done). */
static int stream_pull(pv_chunk *c, pv_err *err)
{
	for (;;) {
		if (c->inb_pos == c->inb_len && c->in_off < c->in_end) {
			size_t n = (size_t)(c->in_end - c->in_off);
			if (n > c->in_step)
				n = c->in_step;
			size_t step = c->in_step;
			if (c->in_step < STREAM_IN)
				c->in_step *= 2;
			int rc = 0;
			/* the read that fetched the page header usually holds the
			 * body's first bytes too: the stream takes them from the
			 * window (fetch keeps what it has not taken yet) */
			if (c->win && c->in_off >= c->win_off &&
			    c->in_off < c->win_off + (int64_t)c->win_len) {
				size_t have = (size_t)(c->win_off + (int64_t)c->win_len - c->in_off);
				if (n > have)
					n = have;
				c->inp = c->win + (c->in_off - c->win_off);
				c->stats.bytes_reused += (int64_t)n;
			} else {
				rc = scratch_room((void **)&c->inb, &c->inb_cap, step, err);
				if (!rc)
					rc = pv_source_read(c->src, c->in_off, c->inb, n, err);
				if (rc)
					return rc;
				c->inp = c->inb;
				c->stats.bytes_read += (int64_t)n;
			}
			c->in_off += (int64_t)n;
			c->inb_pos = 0;
			c->inb_len = n;
		}
		size_t used, made;
		int rc = pv_codec_stream_next(c->cs, c->inp + c->inb_pos, c->inb_len - c->inb_pos,
					      &used, c->sw + c->sw_len, c->sw_cap - c->sw_len, &made, err);
		if (rc)
			return rc;
		c->inb_pos += used;
		c->sw_len += made;
		if (made || pv_codec_stream_done(c->cs) || c->sw_len == c->sw_cap)
			return 0;
		if (!used && c->inb_pos < c->inb_len)
			return pv_err_set(err, PV_EINTERNAL, "page stream made no progress");
	}
}

/* Makes the window hold body bytes [off, off + n) (n cut at the body's
 * end), dropping what lies before off; *out points at off and *avail gets
 * the bytes the window holds from there (at least n). off never moves
 * back. */
static int stream_at(pv_chunk *c, size_t off, size_t n, const uint8_t **out, size_t *avail,
		     pv_err *err)
{
	if (off > c->sw_total)
		return pv_err_set(err, PV_EINTERNAL, "stream offset past the page");
	if (n > c->sw_total - off)
		n = c->sw_total - off;
	if (off < c->sw_base)
		return pv_err_set(err, PV_EINTERNAL, "stream moved back");
	size_t drop = off - c->sw_base;
	if (drop >= c->sw_len) {
		/* everything before off goes through the window unkept */
		drop -= c->sw_len;
		c->sw_base += c->sw_len;
		c->sw_len = 0;
		while (drop > 0) {
			if (!c->sw) {
				int rc = scratch_room((void **)&c->sw, &c->sw_cap, c->sw_min, err);
				if (rc)
					return rc;
			}
			int rc = stream_pull(c, err);
			if (rc)
				return rc;
			size_t k = drop < c->sw_len ? drop : c->sw_len;
			memmove(c->sw, c->sw + k, c->sw_len - k);
			c->sw_len -= k;
			c->sw_base += k;
			drop -= k;
		}
	} else if (drop > 0) {
		memmove(c->sw, c->sw + drop, c->sw_len - drop);
		c->sw_len -= drop;
		c->sw_base = off;
	}
	if (n > c->sw_cap || !c->sw) {
		size_t cap = c->sw_cap * 2 > n ? c->sw_cap * 2 : n;
		if (cap < c->sw_min)
			cap = c->sw_min;
		if (cap > c->sw_total && c->sw_total >= n)
			cap = c->sw_total ? c->sw_total : 1;
		void *p = NULL;
		size_t got = 0;
		int rc = scratch_room(&p, &got, cap, err);
		if (rc)
			return rc;
		if (c->sw_len)
			memcpy(p, c->sw, c->sw_len);
		pv_spare_give(c->sw, c->sw_cap);
		c->sw = p;
		c->sw_cap = got;
	}
	while (c->sw_len < n) {
		int rc = stream_pull(c, err);
		if (rc)
			return rc;
	}
	*out = c->sw;
	*avail = c->sw_len;
	return 0;
}

/* Reads a streamed page to the end of its stream, dropping the bytes, so
 * that a body longer or shorter than its header says fails. */
static int stream_finish(pv_chunk *c, pv_err *err)
{
	while (c->streaming && !pv_codec_stream_done(c->cs)) {
		c->sw_base += c->sw_len;
		c->sw_len = 0;
		int rc = 0;
		if (!c->sw)
			rc = scratch_room((void **)&c->sw, &c->sw_cap, c->sw_min, err);
		if (!rc)
			rc = stream_pull(c, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ dictionary */

/* A dictionary page error names the dictionary page, not the data page
 * that needed it. */
static int dict_fail(pv_chunk *c, int64_t pageno, int rc, pv_err *err)
{
	c->dict_failed = true;
	return page_fail(pageno, rc, err);
}

static int load_dict_at(pv_chunk *c, int64_t off, int64_t pageno, pv_err *err)
{
	int rc = read_header(c, off, HEADER_GUESS, err);
	if (rc)
		return dict_fail(c, pageno, rc, err);
	const pv_page_header *h = &c->hdr;
	if (h->type != PV_PAGE_DICTIONARY)
		return pv_err_set(err, PV_ECORRUPT,
				  "page is dictionary-encoded but the column chunk has no dictionary page");
	const pv_dictionary_page_header *dh = &h->dictionary_page_header;
	if (dh->num_values < 0)
		return dict_fail(c, pageno, pv_err_set(err, PV_ECORRUPT, "negative dictionary size %d",
						    dh->num_values), err);
	if (dh->encoding != PV_ENC_PLAIN && dh->encoding != PV_ENC_PLAIN_DICTIONARY)
		return dict_fail(c, pageno, pv_err_set(err, PV_EUNSUPPORTED,
						    "dictionary page encoding '%s' is not PLAIN",
						    pv_encoding_name(dh->encoding)), err);
	size_t entries;
	if (!pv_mul_size((size_t)dh->num_values, MAX_DECODED_WIDTH, &entries) || entries > c->page_cap)
		return dict_fail(c, pageno, pv_err_set(err, PV_ELIMIT,
						    "dictionary of %d entries exceeds the page cap of %zu bytes",
						    dh->num_values, c->page_cap), err);
	int32_t n_entries = dh->num_values;
	size_t comp = (size_t)h->compressed_page_size, ulen = (size_t)h->uncompressed_page_size;
	const uint8_t *p;
	rc = fetch(c, off, c->hdr_len + comp, 0, &p, err);
	if (rc)
		return dict_fail(c, pageno, rc, err);
	const uint8_t *body = p + c->hdr_len;
	if ((rc = check_crc(c, body, comp, err)))
		return dict_fail(c, pageno, rc, err);
	uint8_t *bytes = malloc(ulen ? ulen : 1);
	if (!bytes)
		return no_mem(err);
	if (c->cm->codec == PV_CODEC_UNCOMPRESSED) {
		if (comp != ulen) {
			free(bytes);
			return dict_fail(c, pageno, pv_err_set(err, PV_ECORRUPT,
							    "uncompressed page body of %zu bytes, header says %zu",
							    comp, ulen), err);
		}
		if (ulen)
			memcpy(bytes, body, ulen);
	} else if ((rc = pv_codec_decompress(c->cm->codec, body, comp, bytes, ulen, err))) {
		free(bytes);
		return dict_fail(c, pageno, rc, err);
	}
	rc = pv_dict_init(&c->dict, bytes, ulen, c->lt.phys, c->lt.type_length, n_entries, err);
	if (rc) {
		pv_dict_release(&c->dict);
		free(bytes);
		return dict_fail(c, pageno, rc, err);
	}
	free(c->dict_bytes);
	c->dict_bytes = bytes;
	c->dict_len = ulen;
	c->have_dict = true;
	c->stats.dict_loads++;
	return 0;
}

static int ensure_dict(pv_chunk *c, pv_err *err)
{
	if (c->have_dict)
		return 0;
	int64_t off = c->dict_offset, pageno = c->dict_pageno;
	if (off < 0) {
		/* Not seen: it can only be the chunk's first page. */
		if (c->n_dir > 0 && c->dir[0].offset == c->chunk_start)
			return pv_err_set(err, PV_ECORRUPT,
					  "page is dictionary-encoded but the column chunk has no dictionary page");
		off = c->chunk_start;
		pageno = 0;
	}
	return load_dict_at(c, off, pageno, err);
}

static bool dict_encoded(int encoding)
{
	return encoding == PV_ENC_PLAIN_DICTIONARY || encoding == PV_ENC_RLE_DICTIONARY;
}

/* ------------------------------------------------------------------ pages */

static int dir_push(pv_chunk *c, const page_ent *e, pv_err *err)
{
	if (c->n_dir == c->dir_cap) {
		size_t cap = c->dir_cap ? c->dir_cap * 2 : 16;
		page_ent *p = realloc(c->dir, cap * sizeof *p);
		if (!p)
			return no_mem(err);
		c->dir = p;
		c->dir_cap = cap;
	}
	c->dir[c->n_dir++] = *e;
	return 0;
}

/* Parses the header at the frontier and adds it to the directory when it
 * is a data page. The caller makes sure front_row is known. */
static int discover_one(pv_chunk *c, size_t want, pv_err *err)
{
	if (c->front_off >= c->chunk_end ||
	    (c->front_seen_data && c->front_values >= c->cm->num_values)) {
		c->dir_complete = true;
		return 0;
	}
	int rc = read_header(c, c->front_off, want, err);
	if (rc)
		return page_fail(c->front_pageno, rc, err);
	c->stats.headers_walked++;
	const pv_page_header *h = &c->hdr;
	if (h->type == PV_PAGE_DICTIONARY) {
		if (c->front_seen_data || (c->dict_offset >= 0 && c->dict_offset != c->front_off))
			return page_fail(c->front_pageno,
					 pv_err_set(err, PV_ECORRUPT, "a second dictionary page"), err);
		c->dict_offset = c->front_off;
		c->dict_pageno = c->front_pageno;
	} else if (h->type == PV_PAGE_DATA || h->type == PV_PAGE_DATA_V2) {
		int64_t nv = h->type == PV_PAGE_DATA ? h->data_page_header.num_values
						      : h->data_page_header_v2.num_values;
		page_ent e = { .offset = c->front_off,
			       .first_row = c->front_row,
			       .n_rows = pv_page_rows(h, c->max_rep),
			       .total_len = (int64_t)c->hdr_len + h->compressed_page_size,
			       .pageno = c->front_pageno };
		if (nv > c->cm->num_values - c->front_values)
			return page_fail(c->front_pageno,
					 pv_err_set(err, PV_ECORRUPT,
						    "data pages hold more than the column chunk's %lld values",
						    (long long)c->cm->num_values), err);
		if ((rc = dir_push(c, &e, err)))
			return rc;
		c->front_values += nv;
		c->front_seen_data = true;
		c->front_row = e.n_rows >= 0 ? c->front_row + e.n_rows : -1;
	}
	c->front_off += (int64_t)c->hdr_len + h->compressed_page_size;
	c->front_pageno++;
	return 0;
}

/* Levels of one kind from a v1 page: RLE with its length prefix, or the
 * old BIT_PACKED; *used gets the bytes they took. */
static int v1_levels(int encoding, const uint8_t *p, size_t len, int64_t n, int max,
		     int16_t *out, size_t *used, pv_err *err)
{
	unsigned w = pv_level_width(max);
	int rc;
	if (encoding == PV_ENC_RLE) {
		pv_rle r;
		rc = pv_rle_init_prefixed(&r, p, len, w, n, used, err);
		if (!rc)
			rc = pv_rle_get_levels(&r, out, (size_t)n, (int16_t)max, err);
	} else if (encoding == PV_ENC_BIT_PACKED) {
		pv_bitpacked b;
		rc = pv_bitpacked_init(&b, p, len, w, n, used, err);
		if (!rc)
			rc = pv_bitpacked_get_levels(&b, out, (size_t)n, (int16_t)max, err);
	} else {
		rc = pv_err_set(err, PV_ECORRUPT, "level encoding '%s' is neither RLE nor BIT_PACKED",
				pv_encoding_name(encoding));
	}
	return rc;
}

static int v2_levels(const uint8_t *p, size_t len, int64_t n, int max, int16_t *out, pv_err *err)
{
	pv_rle r;
	int rc = pv_rle_init(&r, p, len, pv_level_width(max), n, err);
	if (!rc)
		rc = pv_rle_get_levels(&r, out, (size_t)n, (int16_t)max, err);
	return rc;
}

static int levels_room(pv_chunk *c, int64_t n, pv_err *err)
{
	size_t bytes = (size_t)n * sizeof(int16_t);
	int rc = 0;
	if (c->max_def > 0)
		rc = scratch_room((void **)&c->pdef, &c->pdef_cap, bytes, err);
	if (!rc && c->max_rep > 0)
		rc = scratch_room((void **)&c->prep, &c->prep_cap, bytes, err);
	return rc;
}

/* Levels decoded per step on a lazily decoded page. */
#define LEVEL_STEP ((int64_t)1 << 16)

/* Keeps a copy of one RLE level section (len bytes at p) and counts what
 * the page needs at once (rows: repetition levels 0; values: definition
 * levels at the maximum) without storing the levels. */
static int lazy_levels(pv_chunk *c, int k, const uint8_t *p, size_t len, int64_t n, int max,
		       pv_err *err)
{
	int rc = scratch_room((void **)&c->lvb[k], &c->lvb_cap[k], len, err);
	if (rc)
		return rc;
	if (len)
		memcpy(c->lvb[k], p, len);
	unsigned w = pv_level_width(max);
	pv_rle count;
	size_t hits = 0;
	rc = pv_rle_init(&c->lv_rle[k], c->lvb[k], len, w, n, err);
	if (!rc)
		rc = pv_rle_init(&count, c->lvb[k], len, w, n, err);
	if (!rc)
		rc = pv_rle_skip_count(&count, (size_t)n, k == 0 ? 0u : (uint32_t)max, &hits, err);
	if (rc)
		return rc;
	c->lv_lazy[k] = true;
	c->lv_count[k] = (int64_t)hits;
	return 0;
}

/* Makes levels [0, x) of the current page available in pdef/prep. Errors
 * are the level decoder's, not yet naming the page. */
static int levels_upto(pv_chunk *c, int64_t x, pv_err *err)
{
	if (x <= c->lv_known)
		return 0;
	/* the first step of a page is small: a head wants a few levels */
	int64_t step = c->lv_known ? LEVEL_STEP : FEW_ROWS;
	int64_t to = x - c->lv_known < step ? c->lv_known + step : x;
	if (to > c->pg_levels)
		to = c->pg_levels;
	size_t k = (size_t)(to - c->lv_known);
	int rc = 0;
	if (c->lv_lazy[0] && (rc = pv_rle_get_levels(&c->lv_rle[0], c->prep + c->lv_known, k,
						      (int16_t)c->max_rep, err)))
		pv_err_prefix(err, "repetition levels");
	if (!rc && c->lv_lazy[1] &&
	    (rc = pv_rle_get_levels(&c->lv_rle[1], c->pdef + c->lv_known, k, (int16_t)c->max_def, err)))
		pv_err_prefix(err, "definition levels");
	if (rc)
		return rc;
	c->lv_known = to;
	return 0;
}

/* The levels of a streamed v1 page from the front of its body; *pos gets
 * where they end. Each section is taken into the window as far as its
 * length prefix says (BIT_PACKED: as far as its values need), so that
 * its errors read as for a page decompressed whole. */
static int stream_levels(pv_chunk *c, const pv_page_header *h, int64_t n, size_t *pos,
			 pv_err *err)
{
	const pv_data_page_header *h1 = &h->data_page_header;
	for (int k = 0; k < 2 && n > 0; k++) {
		int max = k == 0 ? c->max_rep : c->max_def;
		int enc = k == 0 ? h1->repetition_level_encoding : h1->definition_level_encoding;
		if (max == 0)
			continue;
		const uint8_t *p;
		size_t avail, need = 4;
		int rc = stream_at(c, *pos, 4, &p, &avail, err);
		if (!rc && enc == PV_ENC_RLE && avail >= 4)
			need = 4 + (size_t)pv_load_u32le(p);
		else if (!rc && enc == PV_ENC_BIT_PACKED)
			need = (size_t)(((uint64_t)n * pv_level_width(max) + 7) / 8);
		if (!rc)
			rc = stream_at(c, *pos, need, &p, &avail, err);
		size_t used = 0;
		if (!rc && enc == PV_ENC_RLE && avail >= need) {
			rc = lazy_levels(c, k, p + 4, need - 4, n, max, err);
			used = need;
		} else if (!rc) {
			/* the whole rest when the window holds it, as a whole page */
			size_t len = avail < c->sw_total - *pos ? avail : c->sw_total - *pos;
			rc = v1_levels(enc, p, len, n, max, k == 0 ? c->prep : c->pdef, &used, err);
		}
		if (rc) {
			pv_err_prefix(err, k == 0 ? "repetition levels" : "definition levels");
			return rc;
		}
		*pos += used;
	}
	return 0;
}

/* Fetches, checks, decompresses data page dir[idx] and decodes its
 * levels; values are decoded later, on demand. */
static int load_page_inner(pv_chunk *c, size_t idx, size_t want, pv_err *err)
{
	page_ent *e = &c->dir[idx];
	unload(c);
	size_t guess = e->total_len > 0 ? (size_t)e->total_len : HEADER_GUESS;
	/* a page that may stream is not fetched whole for its header */
	if (!c->verify_crc && guess > READAHEAD)
		guess = READAHEAD;
	int rc = read_header(c, e->offset, want > guess ? want : guess, err);
	if (rc)
		return rc;
	const pv_page_header *h = &c->hdr;
	bool v2 = h->type == PV_PAGE_DATA_V2;
	if (h->type != PV_PAGE_DATA && !v2)
		return pv_err_set(err, PV_ECORRUPT, "expected a data page, found '%s'",
				  pv_page_type_name(h->type));
	int64_t n = v2 ? h->data_page_header_v2.num_values : h->data_page_header.num_values;
	int encoding = v2 ? h->data_page_header_v2.encoding : h->data_page_header.encoding;
	/* What one level may cost: two bytes per level array, and the Arrow
	 * width of a value (a byte array's view while decoding). */
	size_t per = (size_t)2 * ((c->max_def > 0) + (c->max_rep > 0));
	size_t vw = c->lt.width > MAX_DECODED_WIDTH ? c->lt.width : MAX_DECODED_WIDTH;
	if (vw > per)
		per = vw;
	size_t cost;
	if (!pv_mul_size((size_t)n, per, &cost) || cost > c->page_cap)
		return pv_err_set(err, PV_ELIMIT, "page of %lld values exceeds the page cap of %zu bytes",
				  (long long)n, c->page_cap);
	if (dict_encoded(encoding) && !c->have_dict) {
		int64_t off = e->offset;
		if ((rc = ensure_dict(c, err)))
			return rc;
		/* the dictionary used the window: parse this page's header again */
		if ((rc = read_header(c, off, guess, err)))
			return rc;
		h = &c->hdr;
	}
	size_t hlen = c->hdr_len, comp = (size_t)h->compressed_page_size;
	size_t ulen = (size_t)h->uncompressed_page_size;
	c->cur_bytes = ulen;
	bool streamable = !c->verify_crc && c->cm->codec != PV_CODEC_UNCOMPRESSED &&
			  !pv_codec_stream_whole(c->cm->codec) &&
			  (!v2 || h->data_page_header_v2.is_compressed);
	/* the page's rows: at most its levels when the directory does not
	 * know them */
	int64_t pg_rows = e->n_rows >= 0 ? e->n_rows : n;
	bool few = c->read_left > 0 && c->read_left <= FEW_ROWS && c->stream_min != SIZE_MAX &&
		   ulen >= FEW_STREAM_MIN && pg_rows / FEW_FACTOR >= c->read_left;
	bool stream = streamable && (ulen >= c->stream_min || few);
	/* A page the read in progress takes whole gains nothing from a window
	 * and streaming costs (a codec stream per page, its copies): below
	 * WHOLE_FACTOR * stream_min it is decompressed at once. */
	if (stream && !few && c->read_left > 0 && ulen / WHOLE_FACTOR < c->stream_min &&
	    pg_rows <= c->read_left)
		stream = false;
	if ((rc = levels_room(c, n, err)))
		return rc;
	c->cur_v2 = v2;
	c->encoding = encoding;
	const uint8_t *p, *body = NULL;
	if (stream && !v2) {
		if ((rc = start_stream(c, e->offset + (int64_t)hlen, comp, ulen, few, err)))
			return rc;
		size_t pos = 0;
		if ((rc = stream_levels(c, h, n, &pos, err)))
			return rc;
		c->vals_off = pos;
		c->vals = NULL;
		c->vals_len = ulen - pos;
		goto levels_done;
	}
	/* a v2 page's levels lie uncompressed in front of its body */
	size_t front = stream ? hlen + (size_t)h->data_page_header_v2.repetition_levels_byte_length +
					(size_t)h->data_page_header_v2.definition_levels_byte_length
			      : hlen + comp;
	if (front > hlen + comp)
		front = hlen + comp;
	/* the read-ahead asked for the header serves the pages that follow */
	if ((rc = fetch(c, e->offset, front, want, &p, err)))
		return rc;
	body = p + hlen;
	if ((rc = check_crc(c, body, comp, err)))
		return rc;
	if (!v2) {
		const uint8_t *data;
		if ((rc = inflate_body(c, true, body, comp, ulen, &data, err)))
			return rc;
		size_t used = 0, pos = 0;
		if (c->max_rep > 0 && n > 0) {
			rc = v1_levels(h->data_page_header.repetition_level_encoding, data, ulen, n,
				       c->max_rep, c->prep, &used, err);
			if (rc) {
				pv_err_prefix(err, "repetition levels");
				return rc;
			}
			pos += used;
		}
		if (c->max_def > 0 && n > 0) {
			rc = v1_levels(h->data_page_header.definition_level_encoding, data + pos,
				       ulen - pos, n, c->max_def, c->pdef, &used, err);
			if (rc) {
				pv_err_prefix(err, "definition levels");
				return rc;
			}
			pos += used;
		}
		c->vals = data + pos;
		c->vals_len = ulen - pos;
	} else {
		const pv_data_page_header_v2 *h2 = &h->data_page_header_v2;
		size_t rl = (size_t)h2->repetition_levels_byte_length;
		size_t dl = (size_t)h2->definition_levels_byte_length;
		if (rl + dl > comp || rl + dl > ulen)
			return pv_err_set(err, PV_ECORRUPT, "levels of %zu bytes exceed the page of %zu bytes",
					  rl + dl, comp < ulen ? comp : ulen);
		if (c->max_def == 0 && h2->num_nulls > 0)
			return pv_err_set(err, PV_ECORRUPT, "required column holds %d nulls", h2->num_nulls);
		if (c->max_rep > 0 && (rc = v2_levels(body, rl, n, c->max_rep, c->prep, err))) {
			pv_err_prefix(err, "repetition levels");
			return rc;
		}
		if (c->max_def > 0 && (rc = v2_levels(body + rl, dl, n, c->max_def, c->pdef, err))) {
			pv_err_prefix(err, "definition levels");
			return rc;
		}
		if (stream) {
			if ((rc = start_stream(c, e->offset + (int64_t)(hlen + rl + dl), comp - rl - dl,
					       ulen - rl - dl, few, err)))
				return rc;
			c->vals_off = 0;
			c->vals = NULL;
			c->vals_len = ulen - rl - dl;
			goto levels_done;
		}
		const uint8_t *data;
		rc = inflate_body(c, h2->is_compressed, body + rl + dl, comp - rl - dl, ulen - rl - dl,
				  &data, err);
		if (rc)
			return rc;
		c->vals = data;
		c->vals_len = ulen - rl - dl;
	}
levels_done:
	c->pg_levels = n;
	c->lv_known = c->lv_lazy[0] || c->lv_lazy[1] ? 0 : n;
	if (n > 0 && (rc = levels_upto(c, 1, err)))
		return rc;
	int64_t nonnull = n;
	if (c->lv_lazy[1]) {
		nonnull = c->lv_count[1];
	} else if (c->max_def > 0) {
		nonnull = 0;
		const int16_t *d = c->pdef;
		int16_t md = (int16_t)c->max_def;
		for (int64_t i = 0; i < n; i++)
			nonnull += d[i] == md;
	}
	c->pg_nonnull = nonnull;
	int64_t rows = n;
	if (c->max_rep > 0) {
		rows = 0;
		const int16_t *r = c->prep;
		if (c->lv_lazy[0])
			rows = c->lv_count[0];
		else
			for (int64_t i = 0; i < n; i++)
				rows += r[i] == 0;
		if (n > 0 && r[0] != 0) {
			if (idx == 0)
				return pv_err_set(err, PV_ECORRUPT,
						  "repetition levels start at %d: a column chunk must start with a row",
						  r[0]);
			if (v2 || c->dir_from_oi)
				return pv_err_set(err, PV_ECORRUPT,
						  "page starts inside a row (repetition level %d)", r[0]);
		}
	}
	if (v2 && h->data_page_header_v2.num_rows != rows)
		return pv_err_set(err, PV_ECORRUPT, "page header says %d rows, its levels hold %lld",
				  h->data_page_header_v2.num_rows, (long long)rows);
	if (e->n_rows >= 0 && e->n_rows != rows)
		return pv_err_set(err, PV_ECORRUPT, "offset index says the page holds %lld rows, its levels hold %lld",
				  (long long)e->n_rows, (long long)rows);
	if (e->n_rows < 0) {
		e->n_rows = rows;
		if (!c->dir_from_oi && idx == c->n_dir - 1)
			c->front_row = e->first_row + rows;
	}
	if (e->total_len < 0)
		e->total_len = (int64_t)(hlen + comp);
	c->cur = (int64_t)idx;
	c->stats.pages_loaded++;
	return 0;
}

static int load_page(pv_chunk *c, size_t idx, size_t want, pv_err *err)
{
	c->dict_failed = false;
	int rc = load_page_inner(c, idx, want, err);
	if (rc) {
		int64_t pageno = c->dir[idx].pageno;
		unload(c);
		c->positioned = false;
		/* a broken dictionary names its own page */
		return c->dict_failed ? rc : page_fail(pageno, rc, err);
	}
	return 0;
}

/* Loads the data page after the current one (discovering it if needed);
 * *eof when there is none. */
static int next_page(pv_chunk *c, bool *eof, pv_err *err)
{
	*eof = false;
	size_t idx = (size_t)(c->cur + 1);
	while (idx >= c->n_dir) {
		if (c->dir_complete) {
			*eof = true;
			return 0;
		}
		int rc = discover_one(c, READAHEAD, err);
		if (rc)
			return rc;
	}
	return load_page(c, idx, READAHEAD, err);
}

/* Reads the OffsetIndex into the directory; a chunk without a usable one
 * keeps walking headers. */
static int try_offset_index(pv_chunk *c, pv_err *err)
{
	c->oi_tried = true;
	if (!c->cc->has_offset_index_offset)
		return 0;
	pv_arena a;
	pv_arena_init(&a, PV_PAGEINDEX_MAX_BYTES * 4);
	pv_offset_index oi;
	pv_err e2;
	pv_err_clear(&e2);
	c->stats.index_reads++;
	int rc = pv_pageindex_read_offsets(c->src, c->cc, c->rg_rows, &a, &oi, &e2);
	if (rc == PV_ENOMEM) {
		pv_arena_release(&a);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	if (rc || oi.n_page_locations == 0 || oi.page_locations[0].offset < c->chunk_start) {
		pv_arena_release(&a);
		return 0;
	}
	size_t n = oi.n_page_locations;
	page_ent *dir = malloc(n * sizeof *dir);
	if (!dir) {
		pv_arena_release(&a);
		return no_mem(err);
	}
	int64_t base = oi.page_locations[0].offset > c->chunk_start ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		const pv_page_location *l = &oi.page_locations[i];
		int64_t next = i + 1 < n ? oi.page_locations[i + 1].first_row_index : c->rg_rows;
		dir[i] = (page_ent){ .offset = l->offset,
				     .first_row = l->first_row_index,
				     .n_rows = next - l->first_row_index,
				     .total_len = l->compressed_page_size,
				     .pageno = (int64_t)i + base };
	}
	pv_arena_release(&a);
	unload(c);
	c->positioned = false;
	free(c->dir);
	c->dir = dir;
	c->n_dir = c->dir_cap = n;
	c->dir_complete = true;
	c->dir_from_oi = true;
	return 0;
}

/* The directory entry of the page where row starts. */
static int find_page(pv_chunk *c, int64_t row, size_t *out, pv_err *err)
{
	for (;;) {
		if (c->n_dir > 0) {
			size_t lo = 0, hi = c->n_dir;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (c->dir[mid].first_row <= row)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > 0) {
				size_t k = lo - 1;
				page_ent *e = &c->dir[k];
				if (e->n_rows >= 0 && row - e->first_row < e->n_rows) {
					*out = k;
					return 0;
				}
				if (e->n_rows < 0) {
					/* only loading tells a nested v1 page's rows */
					int rc = load_page(c, k, WALK_WINDOW, err);
					if (rc)
						return rc;
					continue;
				}
			}
		}
		if (c->dir_complete) {
			int64_t rows = 0;
			if (c->n_dir > 0)
				rows = c->dir[c->n_dir - 1].first_row + c->dir[c->n_dir - 1].n_rows;
			return pv_err_set(err, PV_ECORRUPT, "column chunk ends after %lld rows, row %lld asked",
					  (long long)rows, (long long)row);
		}
		if (!c->oi_tried) {
			int rc = try_offset_index(c, err);
			if (rc)
				return rc;
			continue;
		}
		int rc = discover_one(c, WALK_WINDOW, err);
		if (rc)
			return rc;
	}
}

/* Non-null values among levels [a, b) of the current page. */
static int64_t count_values(const pv_chunk *c, int64_t a, int64_t b)
{
	if (c->max_def == 0)
		return b - a;
	int64_t k = 0;
	const int16_t *d = c->pdef;
	int16_t md = (int16_t)c->max_def;
	for (int64_t i = a; i < b; i++)
		k += d[i] == md;
	return k;
}

/* From level a of the current page: the level *out_b where the row after
 * the next n row starts begins (or the page end), and *out_passed, the
 * row starts in [a, b). Levels up to b are decoded on the way. */
static int rows_span(pv_chunk *c, int64_t a, int64_t n, int64_t *out_b, int64_t *out_passed,
		     pv_err *err)
{
	int64_t b = a, passed = 0;
	int rc;
	if (c->max_rep == 0) {
		int64_t avail = c->pg_levels - a;
		passed = n < avail ? n : avail;
		b = a + passed;
	} else {
		while (b < c->pg_levels) {
			if (b >= c->lv_known && (rc = levels_upto(c, b + 1, err)))
				return rc;
			const int16_t *r = c->prep;
			for (int64_t lim = c->lv_known; b < lim; b++) {
				if (r[b] == 0) {
					if (passed == n)
						goto found;
					passed++;
				}
			}
		}
	}
found:
	if ((rc = levels_upto(c, b, err)))
		return rc;
	*out_b = b;
	*out_passed = passed;
	return 0;
}

/* Moves past n row starts in the current page, stopping at the next row
 * start (or the page end). */
static int skip_rows_in_page(pv_chunk *c, int64_t n, pv_err *err)
{
	int64_t a = c->pg_pos, b, passed;
	int rc = rows_span(c, a, n, &b, &passed, err);
	if (rc)
		return page_fail(c->dir[c->cur].pageno, rc, err);
	c->pg_vtarget += count_values(c, a, b);
	c->pg_pos = b;
	c->row += passed;
	return 0;
}

int pv_chunk_seek(pv_chunk *c, int64_t row, pv_err *err)
{
	if (row < 0)
		return pv_err_set(err, PV_EINVAL, "negative row %lld", (long long)row);
	if (c->positioned && row == c->row)
		return 0;
	if (c->positioned && c->cur >= 0 && row > c->row) {
		const page_ent *e = &c->dir[c->cur];
		if (row - e->first_row < e->n_rows)
			return skip_rows_in_page(c, row - c->row, err);
	}
	c->positioned = false;
	size_t idx = 0;
	int rc = find_page(c, row, &idx, err);
	if (rc)
		return rc;
	if ((int64_t)idx == c->cur && !(c->streaming && (c->dec_ready || c->sw_base > c->vals_off))) {
		/* back to the page start; the decoder restarts if it ran ahead
		 * (a streamed page whose window moved on is loaded again) */
		drop_decoder(c);
		c->pg_pos = 0;
		c->pg_vtarget = 0;
	} else if ((rc = load_page(c, idx, 0, err))) {
		return rc;
	}
	/* levels continuing the previous page's last row are not ours */
	if (c->max_rep > 0) {
		int64_t i, none;
		if ((rc = rows_span(c, 0, 0, &i, &none, err)))
			return page_fail(c->dir[idx].pageno, rc, err);
		c->pg_vtarget = count_values(c, 0, i);
		c->pg_pos = i;
	}
	c->row = c->dir[idx].first_row;
	if ((rc = skip_rows_in_page(c, row - c->row, err)))
		return rc;
	c->positioned = true;
	return 0;
}

int pv_chunk_seek_for(pv_chunk *c, int64_t row, int64_t n_rows, pv_err *err)
{
	/* the page the seek loads sees the read that follows, as pages that
	 * pv_chunk_read loads do (the FEW_ROWS rule) */
	c->read_left = n_rows > 0 ? n_rows : 0;
	int rc = pv_chunk_seek(c, row, err);
	c->read_left = 0;
	return rc;
}

void pv_chunk_drop_page(pv_chunk *c, int64_t next_row)
{
	if (!c)
		return;
	if (c->cur >= 0) {
		const page_ent *e = &c->dir[c->cur];
		if (next_row >= e->first_row && (e->n_rows < 0 || next_row - e->first_row < e->n_rows))
			return;
	}
	unload(c);
	c->positioned = false;
	/* a jump ends the sequential run the read-ahead was growing for */
	c->ra = WALK_WINDOW;
	c->win_len = 0;
	pv_spare_give(c->win, c->win_cap);
	pv_spare_give(c->pbuf, c->pbuf_cap);
	pv_spare_give(c->inb, c->inb_cap);
	pv_spare_give(c->sw, c->sw_cap);
	pv_spare_give(c->pdef, c->pdef_cap);
	pv_spare_give(c->prep, c->prep_cap);
	pv_spare_give(c->lvb[0], c->lvb_cap[0]);
	pv_spare_give(c->lvb[1], c->lvb_cap[1]);
	c->win = c->pbuf = c->inb = c->sw = c->lvb[0] = c->lvb[1] = NULL;
	c->pdef = c->prep = NULL;
	c->win_cap = c->pbuf_cap = c->inb_cap = c->sw_cap = c->lvb_cap[0] = c->lvb_cap[1] = 0;
	c->pdef_cap = c->prep_cap = 0;
	pv_buf_release(&c->scratch);
	pv_buf_init(&c->scratch, c->page_cap);
}

/* ------------------------------------------------------------------ values */

#define WIN_PLAIN 1
#define WIN_RLE 2

/* The encodings a streamed page decodes from its sliding window. */
static bool window_encoding(int encoding)
{
	return encoding == PV_ENC_PLAIN || dict_encoded(encoding);
}

static int ensure_decoder(pv_chunk *c, pv_err *err)
{
	if (c->dec_ready)
		return 0;
	pv_buf_reset(&c->scratch);
	size_t avail = 0;
	if (c->streaming) {
		/* PLAIN and dictionary indices decode from the window as it
		 * slides; the other encodings get the rest of the body at once */
		size_t want = window_encoding(c->encoding) ? c->sw_min : c->vals_len;
		int rc = stream_at(c, c->vals_off, want, &c->vals, &avail, err);
		if (rc)
			return rc;
	}
	int rc = pv_decoder_init(&c->dec, c->encoding, c->lt.phys, c->lt.type_length, c->vals,
				 c->vals_len, c->pg_nonnull, c->have_dict ? &c->dict : NULL,
				 &c->scratch, err);
	if (rc) {
		pv_decoder_release(&c->dec);
		return rc;
	}
	if (c->streaming && window_encoding(c->encoding)) {
		/* checked against the whole section above; reads see the window */
		if (c->encoding == PV_ENC_PLAIN) {
			pv_plain_window(&c->dec.u.plain, c->vals, c->vals + avail);
			c->win_dec = WIN_PLAIN;
		} else {
			pv_rle_window(&c->dec.u.rle, pv_rle_keep(&c->dec.u.rle), c->vals + avail);
			c->win_dec = WIN_RLE;
		}
	}
	c->dec_ready = true;
	c->pg_vpos = 0;
	c->stats.pages_decoded++;
	return 0;
}

/* How many of the next n values a decoder reading from the window can
 * take now (at least 1), sliding the window to the first byte it still
 * needs and decompressing more as needed. Once the window holds the rest
 * of the body, n: the decoder then meets the page's end and names the
 * error. */
static int window_fit(pv_chunk *c, size_t n, size_t *out_m, pv_err *err)
{
	pv_plain *d = &c->dec.u.plain;
	pv_rle *r = &c->dec.u.rle;
	bool plain = c->win_dec == WIN_PLAIN;
	for (;;) {
		size_t m = plain ? pv_plain_fit(d, n) : pv_rle_fit(r, n);
		const uint8_t *keep = plain ? d->p : pv_rle_keep(r);
		const uint8_t *end = plain ? d->end : r->end;
		size_t at = c->sw_base + (size_t)(keep - c->sw);
		size_t have = (size_t)(end - keep);
		if (m > 0 || at + have >= c->sw_total) {
			*out_m = m > 0 ? m : n;
			return 0;
		}
		size_t want = have < c->sw_min / 2 ? c->sw_min : have * 2;
		const uint8_t *p;
		size_t avail;
		int rc = stream_at(c, at, want, &p, &avail, err);
		if (rc)
			return rc;
		if (plain)
			pv_plain_window(d, p, p + avail);
		else
			pv_rle_window(r, p, p + avail);
	}
}

/* pv_decoder_get of up to n values; *got says how many (a window may
 * hold fewer). */
static int dec_get(pv_chunk *c, void *out, size_t n, size_t *got, pv_err *err)
{
	size_t m = n;
	int rc = c->win_dec ? window_fit(c, n, &m, err) : 0;
	if (!rc)
		rc = pv_decoder_get(&c->dec, out, m, err);
	*got = rc ? 0 : m;
	return rc;
}

static int dec_skip(pv_chunk *c, size_t n, pv_err *err)
{
	while (n > 0) {
		size_t m = n;
		int rc = c->win_dec ? window_fit(c, n, &m, err) : 0;
		if (!rc)
			rc = pv_decoder_skip(&c->dec, m, err);
		if (rc)
			return rc;
		n -= m;
	}
	return 0;
}

/* PLAIN BYTE_ARRAY: n values copied straight from the page (or window)
 * into out, with their offsets, in one pass over the lengths
 * (pv_decoder_copy_binary); room for their bytes and offsets is reserved.
 * A value the bytes at hand do not hold slides the window, or is
 * decoded with pv_decoder_get to name the truncation. */
static int plain_binary(pv_chunk *c, size_t n, pv_colbuf *out, pv_err *err)
{
	int rc;
	bool slid = false;
	for (size_t done = 0; done < n;) {
		size_t top = out->values_cap < out->cap ? out->values_cap : out->cap;
		size_t bytes, need;
		size_t got = pv_decoder_copy_binary(&c->dec, n - done, out->values + out->values_len,
						    top - out->values_len,
						    out->offsets + out->n_values + done, &bytes, &need);
		out->values_len += bytes;
		done += got;
		if (done == n)
			break;
		if (need > 0) {
			if ((rc = values_reserve(out, need, err)))
				return rc;
		} else if (c->win_dec && (got > 0 || !slid)) {
			size_t m;
			if ((rc = window_fit(c, 1, &m, err)))
				return rc;
			slid = true;
			continue;
		} else {
			/* the page ends inside the value: let the decoder say how */
			pv_bytes_view v;
			if ((rc = pv_decoder_get(&c->dec, &v, 1, err)))
				return rc;
			return pv_err_set(err, PV_EINTERNAL, "plain: a byte array neither copied nor refused");
		}
		slid = false;
	}
	return 0;
}

/* Appends the next k values of the page (after the pending skip) to out. */
static int decode_values(pv_chunk *c, int64_t k, pv_colbuf *out, pv_err *err)
{
	int rc = ensure_decoder(c, err);
	if (rc)
		return rc;
	if (c->pg_vpos < c->pg_vtarget) {
		int64_t s = c->pg_vtarget - c->pg_vpos;
		if ((rc = dec_skip(c, (size_t)s, err)))
			return rc;
		c->stats.values_skipped += s;
		c->pg_vpos = c->pg_vtarget;
		pv_buf_reset(&c->scratch);
	}
	const pv_leaftype *lt = &c->lt;
	size_t n = (size_t)k;
	if (lt->conv == PV_ACONV_COPY || lt->conv == PV_ACONV_BOOL) {
		if ((rc = values_reserve(out, n * lt->width, err)))
			return rc;
		for (size_t done = 0, m; done < n; done += m) {
			if ((rc = dec_get(c, out->values + out->values_len, n - done, &m, err)))
				return rc;
			out->values_len += m * lt->width;
		}
	} else if (lt->conv == PV_ACONV_BINARY) {
		if ((rc = offsets_reserve(out, n, err)))
			return rc;
		/* Room for the bytes up front, from the page's (or dictionary's)
		 * average value size, so the buffer rarely grows by copying. */
		double avg = 0;
		if (dict_encoded(c->encoding) && c->have_dict && c->dict.n_entries > 0)
			avg = (double)c->dict_len / (double)c->dict.n_entries;
		else if (c->pg_nonnull > 0)
			avg = (double)c->vals_len / (double)c->pg_nonnull;
		double want = avg * (double)n * 1.0625;
		if (want > 0 && want < (double)(out->cap - out->values_len))
			values_reserve(out, (size_t)want, NULL);
		/* a values buffer even for empty strings: dst is never NULL */
		if (!out->values && (rc = values_reserve(out, 1, err)))
			return rc;
		if (c->encoding == PV_ENC_PLAIN && lt->phys == PV_TYPE_BYTE_ARRAY) {
			if ((rc = plain_binary(c, n, out, err)))
				return rc;
			out->n_values += n;
			c->pg_vpos += k;
			c->pg_vtarget += k;
			return 0;
		}
		pv_bytes_view *v = (pv_bytes_view *)(void *)c->tmp;
		for (size_t done = 0; done < n;) {
			size_t m = n - done < BATCH ? n - done : BATCH;
			if ((rc = dec_get(c, v, m, &m, err)))
				return rc;
			size_t bytes = 0;
			for (size_t i = 0; i < m; i++)
				bytes += v[i].len;
			if ((rc = values_reserve(out, bytes, err)))
				return rc;
			int32_t *off = out->offsets + out->n_values + done;
			uint8_t *dst = out->values + out->values_len;
			int32_t o = off[0];
			for (size_t i = 0; i < m; i++) {
				if (v[i].len)
					memcpy(dst, v[i].ptr, v[i].len);
				dst += v[i].len;
				o += (int32_t)v[i].len;
				off[i + 1] = o;
			}
			out->values_len += bytes;
			pv_buf_reset(&c->scratch);
			done += m;
		}
	} else {
		size_t total;
		if (!pv_mul_size(n, lt->width, &total))
			return pv_err_set(err, PV_ELIMIT, "too many values in one batch");
		if ((rc = values_reserve(out, total, err)))
			return rc;
		for (size_t done = 0; done < n;) {
			size_t m = n - done < BATCH ? n - done : BATCH;
			if ((rc = dec_get(c, c->tmp, m, &m, err)))
				return rc;
			pv_arrowtype_convert(lt, c->tmp, m, out->values + out->values_len);
			out->values_len += m * lt->width;
			pv_buf_reset(&c->scratch);
			done += m;
		}
	}
	out->n_values += n;
	c->pg_vpos += k;
	c->pg_vtarget += k;
	return 0;
}

/* Appends levels [a, b) of the current page and their values to out. */
static int emit(pv_chunk *c, int64_t a, int64_t b, pv_colbuf *out, pv_err *err)
{
	if (b <= a)
		return 0;
	size_t n = (size_t)(b - a);
	bool has_def = c->max_def > 0, has_rep = c->max_rep > 0;
	int rc = levels_reserve(out, n, has_def, has_rep, err);
	if (rc)
		return rc;
	if (has_def)
		memcpy(out->def + out->n_levels, c->pdef + a, n * sizeof(int16_t));
	if (has_rep)
		memcpy(out->rep + out->n_levels, c->prep + a, n * sizeof(int16_t));
	out->n_levels += n;
	int64_t k = count_values(c, a, b);
	if (k > 0 && (rc = decode_values(c, k, out, err)))
		return rc;
	return 0;
}

/* Whether the next page may continue the current page's last row. */
static bool may_continue(const pv_chunk *c)
{
	return c->max_rep > 0 && c->cur >= 0 && !c->cur_v2 && !c->dir_from_oi;
}

/* The most bytes presize reserves for one buffer, and what it assumes at
 * most per row: string bytes, and levels of a nested column. */
#define PRESIZE_MAX ((size_t)128 << 20)
#define PRESIZE_ROW_BYTES 4096.0
#define PRESIZE_ROW_LEVELS 64.0

static size_t presize_clamp(double v, double most)
{
	if (v > most)
		v = most;
	return v <= 0 ? 0 : v >= (double)PRESIZE_MAX ? PRESIZE_MAX : (size_t)v;
}

/* Room up front, in an empty out, for a read of n_rows rows, estimated
 * from the footer's sizes for the chunk: filled page by page, the
 * buffers would otherwise grow (and copy themselves) a dozen times per
 * batch. Only a hint: footer sizes are not trusted, so it is capped per
 * row and per buffer, and a failure is ignored (the reserves on the way
 * report what matters). */
static void presize(pv_chunk *c, int64_t n_rows, pv_colbuf *out)
{
	if (n_rows <= 0 || c->rg_rows <= 0 || out->n_levels > 0 || out->values_len > 0)
		return;
	double share = n_rows >= c->rg_rows ? 1.0 : (double)n_rows / (double)c->rg_rows;
	bool has_def = c->max_def > 0, has_rep = c->max_rep > 0;
	size_t levels = has_rep ? presize_clamp((double)c->cm->num_values * share,
						(double)n_rows * PRESIZE_ROW_LEVELS)
				: (size_t)n_rows;
	if (levels > PRESIZE_MAX / sizeof(int32_t))
		levels = PRESIZE_MAX / sizeof(int32_t);
	if (has_def || has_rep)
		levels_reserve(out, levels, has_def, has_rep, NULL);
	if (c->lt.conv == PV_ACONV_BINARY) {
		offsets_reserve(out, levels, NULL);
		/* PLAIN bytes with their 4-byte lengths and the levels: a little
		 * more than the values need */
		size_t bytes = presize_clamp((double)c->cm->total_uncompressed_size * share,
					     (double)n_rows * PRESIZE_ROW_BYTES);
		if (bytes > 0 && bytes <= out->cap)
			values_reserve(out, bytes, NULL);
	} else if (c->lt.width > 0 && levels <= PRESIZE_MAX / c->lt.width) {
		values_reserve(out, levels * c->lt.width, NULL);
	}
}

int pv_chunk_read(pv_chunk *c, int64_t n_rows, pv_colbuf *out, pv_err *err)
{
	if (n_rows < 0)
		return pv_err_set(err, PV_EINVAL, "negative row count %lld", (long long)n_rows);
	presize(c, n_rows, out);
	int rc;
	if (!c->positioned && (rc = pv_chunk_seek_for(c, c->row, n_rows, err)))
		return rc;
	int64_t left = n_rows;
	for (;;) {
		if (c->cur < 0 || c->pg_pos >= c->pg_levels) {
			if (left == 0 && !may_continue(c))
				break;
			bool eof;
			c->read_left = left;
			rc = next_page(c, &eof, err);
			c->read_left = 0;
			if (rc)
				goto fail;
			if (eof) {
				if (left > 0) {
					rc = pv_err_set(err, PV_ECORRUPT,
							"column chunk ends after %lld rows, %lld more asked",
							(long long)c->row, (long long)left);
					goto fail;
				}
				break;
			}
			continue;
		}
		int64_t a = c->pg_pos, b, started;
		if ((rc = rows_span(c, a, left, &b, &started, err)) ||
		    (rc = emit(c, a, b, out, err))) {
			int64_t pageno = c->dir[c->cur].pageno;
			page_fail(pageno, rc, err);
			goto fail;
		}
		c->pg_pos = b;
		c->row += started;
		left -= started;
		out->n_rows += started;
		if (c->streaming && b == c->pg_levels && (rc = stream_finish(c, err))) {
			page_fail(c->dir[c->cur].pageno, rc, err);
			goto fail;
		}
		if (left == 0 && b < c->pg_levels)
			break;
	}
	return 0;
fail:
	unload(c);
	c->positioned = false;
	return rc;
}
