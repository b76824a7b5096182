/*
 * delta.c - DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY.
 * Values are decoded a miniblock group at a time into small stack buffers;
 * nothing is allocated except the DELTA_BYTE_ARRAY previous-value copy.
 * Includes base, format and encoding only (no io, codec or higher layers).
 */
#include "encoding/delta.h"

#include <stdlib.h>
#include <string.h>

#include "base/checked.h"
#include "base/cursor.h"
#include "encoding/bitpack.h"
#include "base/banned.h"

/* Groups of 8 deltas unpacked at once into a stack buffer. */
#define CHUNK_GROUPS 32
/* Values per batch when a decoder reads another one's output. */
#define BATCH 256

/* ------------------------------------------------------------------ DELTA_BINARY_PACKED */

int pv_delta_init(pv_delta *d, const uint8_t *data, size_t len, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->start = d->p = d->end = data;
	d->group_pos = 8;
	pv_cursor c = pv_cursor_make(data, len);
	uint64_t block = pv_cursor_uvarint(&c);
	uint64_t n_mini = pv_cursor_uvarint(&c);
	uint64_t total = pv_cursor_uvarint(&c);
	int64_t first = pv_cursor_zvarint(&c);
	if (!pv_cursor_ok(&c))
		return pv_err_set(err, PV_ECORRUPT, "delta: truncated header");
	if (block == 0 || block % 128 != 0)
		return pv_err_set(err, PV_ECORRUPT, "delta: block size %llu is not a positive multiple of 128",
				  (unsigned long long)block);
	if (block > PV_DELTA_MAX_BLOCK)
		return pv_err_set(err, PV_ECORRUPT, "delta: block size %llu exceeds %llu",
				  (unsigned long long)block, (unsigned long long)PV_DELTA_MAX_BLOCK);
	if (n_mini == 0 || block % n_mini != 0 || (block / n_mini) % 32 != 0)
		return pv_err_set(err, PV_ECORRUPT,
				  "delta: %llu miniblocks do not divide a block of %llu into multiples of 32 values",
				  (unsigned long long)n_mini, (unsigned long long)block);
	if (total > (uint64_t)INT64_MAX)
		return pv_err_set(err, PV_ECORRUPT, "delta: value count %llu is too large",
				  (unsigned long long)total);
	d->block_size = (uint32_t)block;
	d->n_mini = (uint32_t)n_mini;
	d->mini_size = (uint32_t)(block / n_mini);
	d->n_total = d->n_left = (int64_t)total;
	d->last = (uint64_t)first;
	d->p = c.p;
	d->end = data + len;
	return 0;
}

/* Starts the next miniblock (reading a block header first when the block
 * is done). need is how many deltas are still wanted in all. */
static int next_mini(pv_delta *d, int64_t need, pv_err *err)
{
	if (!d->in_block || d->mini + 1 >= d->n_mini) {
		pv_cursor c = pv_cursor_make(d->p, (size_t)(d->end - d->p));
		int64_t min_delta = pv_cursor_zvarint(&c);
		const uint8_t *widths = pv_cursor_take(&c, d->n_mini);
		if (!pv_cursor_ok(&c))
			return pv_err_set(err, PV_ECORRUPT, "delta: truncated header of block %lld",
					  (long long)d->block_index);
		d->min_delta = (uint64_t)min_delta;
		d->widths = widths;
		d->mini = 0;
		d->in_block = true;
		d->block_index++;
		d->p = c.p;
	} else {
		d->mini++;
	}
	unsigned w = d->widths[d->mini];
	if (w > 64)
		return pv_err_set(err, PV_ECORRUPT, "delta: miniblock bit width %u exceeds 64", w);
	int64_t vals = need < (int64_t)d->mini_size ? need : (int64_t)d->mini_size;
	size_t full = (size_t)d->mini_size / 8 * w;
	size_t avail = (size_t)(d->end - d->p);
	if (full > avail) {
		/* only the last miniblock may lose its padding, and only when
		 * the values it must give are all there */
		size_t used = (size_t)(((uint64_t)vals * w + 7) / 8);
		if (need > (int64_t)d->mini_size || used > avail)
			return pv_err_set(err, PV_ECORRUPT,
					  "delta: miniblock %u of block %lld needs %zu bytes, %zu left",
					  d->mini, (long long)d->block_index - 1, full, avail);
		full = avail;
	}
	d->body = d->p;
	d->body_end = d->p + full;
	d->p += full;
	d->width = w;
	d->mini_left = vals;
	d->group_pos = 8;
	return 0;
}

typedef enum dmode { D_I32, D_I64, D_SKIP } dmode;

/* Turns k deltas into values, storing them at out[pos...] unless skipping. */
static inline void accumulate(dmode mode, const uint64_t *deltas, size_t k, uint64_t min,
			      uint64_t *last, void *out, size_t pos)
{
	uint64_t v = *last;
	switch (mode) {
	case D_I32: {
		int32_t *o = (int32_t *)out + pos;
		for (size_t i = 0; i < k; i++) {
			v += min + deltas[i];
			o[i] = (int32_t)(uint32_t)v;
		}
		break;
	}
	case D_I64: {
		int64_t *o = (int64_t *)out + pos;
		for (size_t i = 0; i < k; i++) {
			v += min + deltas[i];
			o[i] = (int64_t)v;
		}
		break;
	}
	case D_SKIP: {
		uint64_t sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += deltas[i];
		v += min * k + sum;
		break;
	}
	}
	*last = v;
}

/* k values that all differ by min (width 0). */
static inline void accumulate_const(dmode mode, size_t k, uint64_t min, uint64_t *last, void *out,
				    size_t pos)
{
	uint64_t v = *last;
	if (mode == D_I32) {
		int32_t *o = (int32_t *)out + pos;
		for (size_t i = 0; i < k; i++) {
			v += min;
			o[i] = (int32_t)(uint32_t)v;
		}
	} else if (mode == D_I64) {
		int64_t *o = (int64_t *)out + pos;
		for (size_t i = 0; i < k; i++) {
			v += min;
			o[i] = (int64_t)v;
		}
	} else {
		v += min * k;
	}
	*last = v;
}

static void advance_body(pv_delta *d, size_t bytes)
{
	size_t left = (size_t)(d->body_end - d->body);
	d->body += bytes < left ? bytes : left;
}

/* take deltas (at most mini_left) from the current miniblock. */
static void from_mini(pv_delta *d, dmode mode, void *out, size_t pos, size_t take)
{
	size_t k = 0;
	if (d->group_pos < 8) {
		size_t b = 8 - d->group_pos;
		if (b > take)
			b = take;
		accumulate(mode, d->group + d->group_pos, b, d->min_delta, &d->last, out, pos);
		d->group_pos += (unsigned)b;
		k = b;
	}
	size_t whole = (take - k) / 8;
	if (whole) {
		if (d->width == 0) {
			accumulate_const(mode, whole * 8, d->min_delta, &d->last, out, pos + k);
		} else {
			uint64_t tmp[CHUNK_GROUPS * 8];
			for (size_t g = 0; g < whole; g += CHUNK_GROUPS) {
				size_t ng = whole - g < CHUNK_GROUPS ? whole - g : CHUNK_GROUPS;
				pv_unpack64(d->body, (size_t)(d->body_end - d->body), ng, d->width, tmp);
				advance_body(d, ng * d->width);
				accumulate(mode, tmp, ng * 8, d->min_delta, &d->last, out, pos + k + g * 8);
			}
		}
		k += whole * 8;
	}
	if (k < take) {
		pv_unpack64(d->body, (size_t)(d->body_end - d->body), 1, d->width, d->group);
		advance_body(d, d->width);
		size_t b = take - k;
		accumulate(mode, d->group, b, d->min_delta, &d->last, out, pos + k);
		d->group_pos = (unsigned)b;
	}
}

static int produce(pv_delta *d, dmode mode, void *out, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)d->n_left)
		return pv_err_set(err, PV_ECORRUPT, "delta: asked for %zu values, the stream holds %lld", n,
				  (long long)d->n_left);
	size_t pos = 0;
	if (n > 0 && !d->first_done) {
		/* the header's first value, stored as is */
		if (mode == D_I32)
			((int32_t *)out)[0] = (int32_t)(uint32_t)d->last;
		else if (mode == D_I64)
			((int64_t *)out)[0] = (int64_t)d->last;
		d->first_done = true;
		d->n_left--;
		pos = 1;
	}
	while (pos < n) {
		if (d->mini_left == 0) {
			int rc = next_mini(d, d->n_left, err);
			if (rc)
				return rc;
			continue;
		}
		size_t take = (uint64_t)(n - pos) < (uint64_t)d->mini_left ? n - pos : (size_t)d->mini_left;
		from_mini(d, mode, out, pos, take);
		d->mini_left -= (int64_t)take;
		d->n_left -= (int64_t)take;
		pos += take;
	}
	return 0;
}

int pv_delta_get_i32(pv_delta *d, int32_t *out, size_t n, pv_err *err)
{
	return produce(d, D_I32, out, n, err);
}

int pv_delta_get_i64(pv_delta *d, int64_t *out, size_t n, pv_err *err)
{
	return produce(d, D_I64, out, n, err);
}

int pv_delta_skip(pv_delta *d, size_t n, pv_err *err)
{
	return produce(d, D_SKIP, NULL, n, err);
}

int pv_delta_finish(pv_delta *d, size_t *out_len, pv_err *err)
{
	*out_len = 0;
	while (d->n_left > 0) {
		size_t k = d->n_left > (int64_t)(SIZE_MAX / 2) ? SIZE_MAX / 2 : (size_t)d->n_left;
		int rc = pv_delta_skip(d, k, err);
		if (rc)
			return rc;
	}
	*out_len = (size_t)(d->p - d->start);
	return 0;
}

/* ------------------------------------------------------------------ DELTA_LENGTH_BYTE_ARRAY */

static int check_count(int64_t n_total, int64_t max_values, const char *what, pv_err *err)
{
	if (max_values >= 0 && n_total > max_values)
		return pv_err_set(err, PV_ECORRUPT, "delta: header claims %lld %s, the page holds at most %lld",
				  (long long)n_total, what, (long long)max_values);
	return 0;
}

/* Decodes every value left in a copy of s, checking each is not negative,
 * and returns their sum (stopping early, with an error, once it passes
 * limit) and where the stream ends. */
static int scan_lengths(const pv_delta *s, const char *what, size_t limit, size_t *out_sum,
			size_t *out_len, pv_err *err)
{
	pv_delta scan = *s;
	int32_t tmp[BATCH];
	size_t sum = 0;
	while (scan.n_left > 0) {
		int64_t at = scan.n_total - scan.n_left;
		size_t k = scan.n_left < BATCH ? (size_t)scan.n_left : BATCH;
		int rc = pv_delta_get_i32(&scan, tmp, k, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < k; i++) {
			if (tmp[i] < 0)
				return pv_err_set(err, PV_ECORRUPT, "delta: negative %s %d of byte array %lld",
						  what, tmp[i], (long long)(at + (int64_t)i));
			sum += (size_t)tmp[i];
		}
		/* sum grows by at most BATCH * INT32_MAX per round: no overflow
		 * before this check stops it */
		if (sum > limit)
			return pv_err_set(err, PV_ECORRUPT, "delta: byte arrays need more than the %zu bytes of the page",
					  limit);
	}
	*out_sum = sum;
	return pv_delta_finish(&scan, out_len, err);
}

int pv_dlba_init(pv_dlba *d, const uint8_t *data, size_t len, int64_t max_values, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->bytes = d->bytes_end = data;
	int rc = pv_delta_init(&d->lengths, data, len, err);
	if (rc)
		return rc;
	if ((rc = check_count(d->lengths.n_total, max_values, "values", err)))
		return rc;
	size_t sum, head;
	if ((rc = scan_lengths(&d->lengths, "length", len, &sum, &head, err)))
		return rc;
	if (sum > len - head)
		return pv_err_set(err, PV_ECORRUPT, "delta: byte arrays need %zu bytes, %zu follow the lengths",
				  sum, len - head);
	d->bytes = data + head;
	d->bytes_end = d->bytes + sum;
	d->n_values = d->lengths.n_total;
	return 0;
}

/* Reads the next k lengths (k <= BATCH) and checks them against the bytes
 * left: the init scan proved they fit, this keeps a decoder that is used
 * wrongly from reading past them. */
static int next_lengths(pv_dlba *d, int32_t *len, size_t k, size_t *out_total, pv_err *err)
{
	int rc = pv_delta_get_i32(&d->lengths, len, k, err);
	if (rc)
		return rc;
	size_t total = 0, left = (size_t)(d->bytes_end - d->bytes);
	for (size_t i = 0; i < k; i++) {
		if (len[i] < 0 || (size_t)len[i] > left - total)
			return pv_err_set(err, PV_ECORRUPT, "delta: byte array length %d runs past the data", len[i]);
		total += (size_t)len[i];
	}
	*out_total = total;
	return 0;
}

int pv_dlba_get(pv_dlba *d, pv_bytes_view *out, size_t n, pv_err *err)
{
	int32_t len[BATCH];
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH, total;
		int rc = next_lengths(d, len, k, &total, err);
		if (rc)
			return rc;
		const uint8_t *p = d->bytes;
		for (size_t i = 0; i < k; i++) {
			out[done + i].ptr = p;
			out[done + i].len = (uint32_t)len[i];
			p += len[i];
		}
		d->bytes = p;
		done += k;
	}
	return 0;
}

int pv_dlba_get_offsets(pv_dlba *d, int64_t *out_offsets, size_t n, const uint8_t **out_data,
			pv_err *err)
{
	int32_t len[BATCH];
	*out_data = d->bytes;
	out_offsets[0] = 0;
	int64_t off = 0;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH, total;
		int rc = next_lengths(d, len, k, &total, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < k; i++) {
			off += len[i];
			out_offsets[done + i + 1] = off;
		}
		d->bytes += total;
		done += k;
	}
	return 0;
}

int pv_dlba_skip(pv_dlba *d, size_t n, pv_err *err)
{
	int32_t len[BATCH];
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH, total;
		int rc = next_lengths(d, len, k, &total, err);
		if (rc)
			return rc;
		d->bytes += total;
		done += k;
	}
	return 0;
}

/* ------------------------------------------------------------------ DELTA_BYTE_ARRAY */

int pv_dba_init(pv_dba *d, const uint8_t *data, size_t len, int32_t fixed_len, int64_t max_values,
		pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->fixed_len = fixed_len < 0 ? -1 : fixed_len;
	int rc = pv_delta_init(&d->prefixes, data, len, err);
	if (rc)
		return rc;
	if ((rc = check_count(d->prefixes.n_total, max_values, "prefix lengths", err)))
		return rc;
	/* prefixes are checked against the previous value as values are
	 * rebuilt; here only their sign and the stream's end matter */
	size_t sum, head;
	if ((rc = scan_lengths(&d->prefixes, "prefix length", SIZE_MAX / 2, &sum, &head, err)))
		return rc;
	if ((rc = pv_dlba_init(&d->suffixes, data + head, len - head, max_values, err)))
		return rc;
	if (d->suffixes.n_values != d->prefixes.n_total)
		return pv_err_set(err, PV_ECORRUPT, "delta: %lld prefix lengths but %lld suffixes",
				  (long long)d->prefixes.n_total, (long long)d->suffixes.n_values);
	/* every byte of a value came from some suffix */
	d->max_len = (size_t)(d->suffixes.bytes_end - d->suffixes.bytes);
	return 0;
}

void pv_dba_release(pv_dba *d)
{
	if (!d)
		return;
	free(d->last);
	d->last = NULL;
	d->last_len = d->last_cap = 0;
}

static int reserve_last(pv_dba *d, size_t n, pv_err *err)
{
	if (n <= d->last_cap)
		return 0;
	size_t cap = d->last_cap ? d->last_cap : 64;
	while (cap < n)
		cap = cap > SIZE_MAX / 2 ? n : cap * 2;
	if (cap > d->max_len && n <= d->max_len)
		cap = d->max_len;
	uint8_t *p = realloc(d->last, cap);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "delta: out of memory for a value of %zu bytes", n);
	d->last = p;
	d->last_cap = cap;
	return 0;
}

/* Reads k (<= BATCH) prefix lengths and suffixes and works out each value's
 * length, checking prefixes against the value before (prev_len) and
 * fixed-length values against their length. */
static int next_parts(pv_dba *d, int32_t *pre, pv_bytes_view *suf, size_t k, size_t prev_len,
		      size_t *out_total, pv_err *err)
{
	int64_t at = d->prefixes.n_total - d->prefixes.n_left;
	int rc = pv_delta_get_i32(&d->prefixes, pre, k, err);
	if (!rc)
		rc = pv_dlba_get(&d->suffixes, suf, k, err);
	if (rc)
		return rc;
	size_t total = 0;
	for (size_t i = 0; i < k; i++) {
		if (pre[i] < 0 || (size_t)pre[i] > prev_len)
			return pv_err_set(err, PV_ECORRUPT,
					  "delta: prefix length %d of byte array %lld exceeds the previous value's %zu bytes",
					  pre[i], (long long)(at + (int64_t)i), prev_len);
		size_t len = (size_t)pre[i] + suf[i].len;
		if (d->fixed_len >= 0 && len != (size_t)d->fixed_len)
			return pv_err_set(err, PV_ECORRUPT, "delta: byte array %lld is %zu bytes, not the fixed %d",
					  (long long)(at + (int64_t)i), len, d->fixed_len);
		if (len > UINT32_MAX)
			return pv_err_set(err, PV_ECORRUPT, "delta: byte array %lld is longer than 4 GiB",
					  (long long)(at + (int64_t)i));
		total += len;
		prev_len = len;
	}
	*out_total = total;
	return 0;
}

int pv_dba_get(pv_dba *d, pv_bytes_view *out, size_t n, pv_buf *out_buf, pv_err *err)
{
	int32_t pre[BATCH];
	pv_bytes_view suf[BATCH];
	size_t start = out_buf->len;
	/* the previous value: d->last until this call has written one, then
	 * an offset into out_buf (its data may move as it grows) */
	bool prev_in_buf = false;
	size_t prev_off = 0, prev_len = d->last_len;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH, total;
		int rc = next_parts(d, pre, suf, k, prev_len, &total, err);
		if (!rc)
			rc = pv_buf_reserve(out_buf, total, err);
		if (rc)
			return rc;
		uint8_t *base = (uint8_t *)out_buf->data;
		for (size_t i = 0; i < k; i++) {
			uint8_t *dst = base + out_buf->len;
			const uint8_t *prev = prev_in_buf ? base + prev_off : d->last;
			if (pre[i])
				memcpy(dst, prev, (size_t)pre[i]);
			if (suf[i].len)
				memcpy(dst + pre[i], suf[i].ptr, suf[i].len);
			size_t len = (size_t)pre[i] + suf[i].len;
			out[done + i].len = (uint32_t)len;
			prev_in_buf = true;
			prev_off = out_buf->len;
			prev_len = len;
			out_buf->len += len;
		}
		out_buf->data[out_buf->len] = '\0';
		done += k;
	}
	if (n == 0)
		return 0;
	const uint8_t *base = (const uint8_t *)out_buf->data;
	size_t off = start;
	for (size_t i = 0; i < n; i++) {
		out[i].ptr = base + off;
		off += out[i].len;
	}
	int rc = reserve_last(d, prev_len, err);
	if (rc)
		return rc;
	if (prev_len)
		memcpy(d->last, base + prev_off, prev_len);
	d->last_len = prev_len;
	return 0;
}

int pv_dba_skip(pv_dba *d, size_t n, pv_err *err)
{
	int32_t pre[BATCH];
	pv_bytes_view suf[BATCH];
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH, total;
		int rc = next_parts(d, pre, suf, k, d->last_len, &total, err);
		if (rc)
			return rc;
		/* each value keeps a prefix of the one before: truncate, append */
		for (size_t i = 0; i < k; i++) {
			size_t len = (size_t)pre[i] + suf[i].len;
			if ((rc = reserve_last(d, len, err)))
				return rc;
			if (suf[i].len)
				memcpy(d->last + pre[i], suf[i].ptr, suf[i].len);
			d->last_len = len;
		}
		done += k;
	}
	return 0;
}
