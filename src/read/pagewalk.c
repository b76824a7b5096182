/*
 * pagewalk.c - page header walk over one column chunk (see pagewalk.h):
 * a buffered window, header parsing by format/pages.c, bounds checks.
 * Includes base, format and io; nothing above read.
 */
#include "read/pagewalk.h"

#include <stdlib.h>
#include <string.h>

#include "format/stats.h"
#include "base/banned.h"

/* The statistics of one header are at most its length. */
#define WALK_ARENA_CAP (PV_PAGEWALK_HEADER_MAX * 2)

int pv_pagewalk_chunk_range(const pv_column_chunk *cc, int64_t file_size, int64_t *out_start,
			    int64_t *out_end, pv_err *err)
{
	*out_start = *out_end = 0;
	if (cc->encrypted)
		return pv_err_set(err, PV_EUNSUPPORTED, "column chunk is encrypted");
	if (!cc->has_meta_data)
		return pv_err_set(err, PV_ECORRUPT, "column chunk has no metadata");
	if (cc->file_path)
		return pv_err_set(err, PV_EUNSUPPORTED, "column chunk is stored in another file '%s'",
				  cc->file_path);
	const pv_column_meta *md = &cc->meta_data;
	if (md->total_compressed_size < 0)
		return pv_err_set(err, PV_ECORRUPT, "negative total_compressed_size %lld",
				  (long long)md->total_compressed_size);
	/* Offsets below 4 point into the magic: writers store 0 for "none",
	 * both for a missing dictionary page and (Arrow, for a chunk of only an
	 * empty dictionary page) for a missing data page. The chunk starts at
	 * the lowest offset that can be real. */
	int64_t start = md->data_page_offset >= 4 ? md->data_page_offset : -1;
	if (md->has_dictionary_page_offset && md->dictionary_page_offset >= 4 &&
	    (start < 0 || md->dictionary_page_offset < start))
		start = md->dictionary_page_offset;
	if (start < 0) {
		if (md->num_values == 0) {
			/* Nothing to read, so nothing wrong: an empty walk. */
			return 0;
		}
		return pv_err_set(err, PV_ECORRUPT, "data_page_offset %lld is not past the file's magic",
				  (long long)md->data_page_offset);
	}
	if (md->total_compressed_size > INT64_MAX - start)
		return pv_err_set(err, PV_ECORRUPT, "column chunk at offset %lld claims %lld bytes",
				  (long long)start, (long long)md->total_compressed_size);
	int64_t end = start + md->total_compressed_size;
	if (file_size >= 0 && end > file_size)
		return pv_err_set(err, PV_ECORRUPT,
				  "column chunk [%lld, %lld) lies outside the file (size %lld)",
				  (long long)start, (long long)end, (long long)file_size);
	*out_start = start;
	*out_end = end;
	return 0;
}

int pv_pagewalk_open(pv_pagewalk *w, pv_source *src, const pv_column_chunk *cc, int max_rep,
		     pv_err *err)
{
	memset(w, 0, sizeof *w);
	pv_arena_init(&w->arena, WALK_ARENA_CAP);
	w->done = true;
	int rc = pv_pagewalk_chunk_range(cc, pv_source_size(src), &w->chunk_start, &w->chunk_end, err);
	if (rc)
		return rc;
	if (cc->meta_data.num_values < 0)
		return pv_err_set(err, PV_ECORRUPT, "negative num_values %lld in the column chunk",
				  (long long)cc->meta_data.num_values);
	w->src = src;
	w->num_values = cc->meta_data.num_values;
	w->codec = cc->meta_data.codec;
	w->max_rep = max_rep < 0 ? -1 : max_rep;
	w->pos = w->chunk_start;
	w->next_row = 0;
	w->done = false;
	return 0;
}

void pv_pagewalk_release(pv_pagewalk *w)
{
	if (!w)
		return;
	free(w->win);
	w->win = NULL;
	w->win_len = w->win_cap = 0;
	pv_arena_release(&w->arena);
	w->done = true;
}

int64_t pv_page_rows(const pv_page_header *h, int max_rep)
{
	if (h->type == PV_PAGE_DATA_V2 && h->has_data_page_header_v2)
		return h->data_page_header_v2.num_rows;
	if (h->type == PV_PAGE_DATA && h->has_data_page_header)
		return max_rep == 0 ? h->data_page_header.num_values : -1;
	return 0;
}

/* Makes the window hold at least need bytes from w->pos (need never
 * reaches past the chunk end). Reads a whole window's worth when it has to
 * read at all, so the next few small headers come for free. */
static int window_fill(pv_pagewalk *w, size_t need, pv_err *err)
{
	if (w->pos >= w->win_off && w->pos - w->win_off <= (int64_t)w->win_len &&
	    w->win_len - (size_t)(w->pos - w->win_off) >= need)
		return 0;
	size_t left = (size_t)(w->chunk_end - w->pos);
	size_t n = need > PV_PAGEWALK_WINDOW ? need : PV_PAGEWALK_WINDOW;
	if (n > left)
		n = left;
	if (n > w->win_cap) {
		uint8_t *p = realloc(w->win, n);
		if (!p)
			return pv_err_set(err, PV_ENOMEM, "out of memory for a %zu-byte read window", n);
		w->win = p;
		w->win_cap = n;
	}
	w->win_len = 0;
	int rc = pv_source_read(w->src, w->pos, w->win, n, err);
	if (rc)
		return rc;
	w->win_off = w->pos;
	w->win_len = n;
	return 0;
}

/* Parses the header at w->pos into w->hdr, growing the window while the
 * header is longer than what was read. */
static int read_header(pv_pagewalk *w, size_t *out_hlen, pv_err *err)
{
	size_t left = (size_t)(w->chunk_end - w->pos);
	size_t need = left < 256 ? left : 256;
	for (;;) {
		int rc = window_fill(w, need, err);
		if (rc)
			return rc;
		size_t at = (size_t)(w->pos - w->win_off);
		size_t avail = w->win_len - at;
		if (avail > PV_PAGEWALK_HEADER_MAX)
			avail = PV_PAGEWALK_HEADER_MAX;
		pv_arena_reset(&w->arena);
		size_t hlen = 0;
		rc = pv_page_header_parse(w->win + at, avail, &w->arena, &w->hdr, &hlen, err);
		if (rc == 0) {
			*out_hlen = hlen;
			return 0;
		}
		if (hlen != 0)
			return rc;
		if (avail >= left)
			return pv_err_set(err, PV_ECORRUPT,
					  "page header truncated by the end of the column chunk at offset %lld",
					  (long long)w->chunk_end);
		if (avail >= PV_PAGEWALK_HEADER_MAX)
			return pv_err_set(err, PV_ECORRUPT, "page header longer than %zu bytes",
					  PV_PAGEWALK_HEADER_MAX);
		/* A long header (big statistics): try again with twice as much. */
		size_t more = avail * 2;
		if (more < PV_PAGEWALK_WINDOW)
			more = PV_PAGEWALK_WINDOW;
		if (more > PV_PAGEWALK_HEADER_MAX)
			more = PV_PAGEWALK_HEADER_MAX;
		need = more < left ? more : left;
	}
}

static void fill_info(const pv_pagewalk *w, const pv_page_header *h, size_t hlen, pv_page_info *out)
{
	memset(out, 0, sizeof *out);
	out->index = w->n_pages;
	out->offset = w->pos;
	out->header_len = hlen;
	out->type = h->type;
	out->encoding = -1;
	out->compressed_size = h->compressed_page_size;
	out->uncompressed_size = h->uncompressed_page_size;
	out->num_values = -1;
	out->num_rows = -1;
	out->first_row = -1;
	out->num_nulls = -1;
	out->has_crc = h->has_crc;
	out->crc = (uint32_t)h->crc;
	out->def_level_encoding = out->rep_level_encoding = -1;
	out->def_levels_len = out->rep_levels_len = -1;
	out->is_compressed = w->codec != PV_CODEC_UNCOMPRESSED;
	out->header = h;

	if (h->type == PV_PAGE_DATA && h->has_data_page_header) {
		const pv_data_page_header *d = &h->data_page_header;
		out->is_data = true;
		out->encoding = d->encoding;
		out->num_values = d->num_values;
		out->def_level_encoding = d->definition_level_encoding;
		out->rep_level_encoding = d->repetition_level_encoding;
		out->has_statistics = d->has_statistics;
		if (d->has_statistics)
			out->statistics = d->statistics;
	} else if (h->type == PV_PAGE_DATA_V2 && h->has_data_page_header_v2) {
		const pv_data_page_header_v2 *d = &h->data_page_header_v2;
		out->is_data = true;
		out->encoding = d->encoding;
		out->num_values = d->num_values;
		out->num_nulls = d->num_nulls;
		out->def_levels_len = d->definition_levels_byte_length;
		out->rep_levels_len = d->repetition_levels_byte_length;
		/* The flag only matters when the chunk has a codec at all. */
		out->is_compressed = out->is_compressed && d->is_compressed;
		out->has_statistics = d->has_statistics;
		if (d->has_statistics)
			out->statistics = d->statistics;
	} else if (h->type == PV_PAGE_DICTIONARY && h->has_dictionary_page_header) {
		const pv_dictionary_page_header *d = &h->dictionary_page_header;
		out->encoding = d->encoding;
		out->num_values = d->num_values;
		out->has_is_sorted = d->has_is_sorted;
		out->is_sorted = d->is_sorted;
	}
	if (out->is_data) {
		int64_t rows = pv_page_rows(h, w->max_rep);
		out->num_rows = rows;
		out->first_row = w->next_row;
		if (out->num_nulls < 0 && out->has_statistics && out->statistics.has_null_count)
			out->num_nulls = out->statistics.null_count;
	}
}

static int walk_fail(pv_pagewalk *w, int rc, pv_err *err)
{
	w->done = true;
	pv_err_prefix(err, "page %lld at offset %lld", (long long)w->n_pages, (long long)w->pos);
	return rc;
}

int pv_pagewalk_next(pv_pagewalk *w, pv_page_info *out, bool *out_done, pv_err *err)
{
	*out_done = false;
	if (w->done) {
		*out_done = true;
		return 0;
	}
	if (w->pos >= w->chunk_end || (w->seen_data && w->values_seen >= w->num_values)) {
		w->done = true;
		*out_done = true;
		if (w->values_seen < w->num_values)
			return pv_err_set(err, PV_ECORRUPT,
					  "column chunk ends after %lld pages holding %lld of its %lld values",
					  (long long)w->n_pages, (long long)w->values_seen,
					  (long long)w->num_values);
		return 0;
	}

	size_t hlen = 0;
	int rc = read_header(w, &hlen, err);
	if (rc)
		return walk_fail(w, rc, err);
	const pv_page_header *h = &w->hdr;
	int64_t left = w->chunk_end - w->pos;
	if ((int64_t)hlen > left || (int64_t)h->compressed_page_size > left - (int64_t)hlen)
		return walk_fail(w, pv_err_set(err, PV_ECORRUPT,
					       "page of %zu + %d bytes runs past the end of the column chunk at offset %lld",
					       hlen, h->compressed_page_size, (long long)w->chunk_end),
				 err);

	fill_info(w, h, hlen, out);
	if (out->is_data) {
		if (out->num_values > w->num_values - w->values_seen)
			return walk_fail(w, pv_err_set(err, PV_ECORRUPT,
						       "data pages hold more than the column chunk's %lld values",
						       (long long)w->num_values),
					 err);
		w->seen_data = true;
		w->values_seen += out->num_values;
		if (w->next_row >= 0 && out->num_rows >= 0)
			w->next_row += out->num_rows;
		else
			w->next_row = -1;
	}
	w->pos += (int64_t)hlen + h->compressed_page_size;
	w->n_pages++;
	return 0;
}

int pv_page_info_minmax(const pv_page_info *p, const pv_schema_node *leaf, pv_value *out_min,
			pv_value *out_max, pv_err *err)
{
	memset(out_min, 0, sizeof *out_min);
	memset(out_max, 0, sizeof *out_max);
	if (!p->has_statistics)
		return 0;
	const pv_statistics *s = &p->statistics;
	const pv_bytes *mn = s->has_min_value ? &s->min_value : s->has_min ? &s->min : NULL;
	const pv_bytes *mx = s->has_max_value ? &s->max_value : s->has_max ? &s->max : NULL;
	int rc;
	if (mn && (rc = pv_stats_value(leaf, mn->ptr, mn->len, out_min, err))) {
		memset(out_min, 0, sizeof *out_min);
		return rc;
	}
	if (mx && (rc = pv_stats_value(leaf, mx->ptr, mx->len, out_max, err))) {
		memset(out_min, 0, sizeof *out_min);
		memset(out_max, 0, sizeof *out_max);
		return rc;
	}
	return 0;
}
