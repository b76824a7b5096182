/*
 * rle.c - the RLE/bit-packing hybrid decoder and BIT_PACKED levels.
 * One core walks the runs for every output form (u32, levels, booleans,
 * skip, count); the form is chosen once per run segment, never per value.
 * Includes base and encoding only (no io, codec or higher layers).
 */
#include "encoding/rle.h"

#include <string.h>

#include "base/cursor.h"
#include "encoding/bitpack.h"
#include "base/banned.h"

typedef enum sink_mode { M_U32, M_LEVELS, M_BOOL, M_SKIP, M_COUNT } sink_mode;

/* Where decoded values go: an output array (pos values written so far), or
 * nowhere (skip), or a counter. limit is the maximum level or the value to
 * count. */
typedef struct sink {
	sink_mode mode;
	void *out;
	size_t pos;
	uint32_t limit;
	size_t count;
} sink;

/* Values handed to a sink at once when they must pass through a buffer. */
#define CHUNK_GROUPS 32

static int init_common(pv_rle *r, const uint8_t *data, size_t len, unsigned width, int64_t n_values,
		       pv_err *err)
{
	memset(r, 0, sizeof *r);
	r->p = r->end = data;
	r->group_pos = 8;
	if (width > PV_RLE_MAX_WIDTH)
		return pv_err_set(err, PV_EINVAL, "rle: bit width %u exceeds %d", width, PV_RLE_MAX_WIDTH);
	if (n_values < 0)
		return pv_err_set(err, PV_EINVAL, "rle: negative value count %lld", (long long)n_values);
	r->end = data + len;
	r->width = width;
	r->n_values = r->n_left = n_values;
	return 0;
}

int pv_rle_init(pv_rle *r, const uint8_t *data, size_t len, unsigned width, int64_t n_values,
		pv_err *err)
{
	return init_common(r, data, len, width, n_values, err);
}

int pv_rle_init_prefixed(pv_rle *r, const uint8_t *data, size_t len, unsigned width,
			 int64_t n_values, size_t *out_consumed, pv_err *err)
{
	int rc = init_common(r, data, 0, width, n_values, err);
	if (rc)
		return rc;
	if (len < 4)
		return pv_err_set(err, PV_ECORRUPT, "rle: %zu bytes cannot hold the 4-byte length prefix", len);
	uint32_t n = pv_load_u32le(data);
	if (n > len - 4)
		return pv_err_set(err, PV_ECORRUPT, "rle: length prefix of %u bytes exceeds the %zu left",
				  n, len - 4);
	r->p = data + 4;
	r->end = data + 4 + n;
	if (out_consumed)
		*out_consumed = 4 + (size_t)n;
	return 0;
}

int pv_rle_init_dict(pv_rle *r, const uint8_t *data, size_t len, int64_t n_values, pv_err *err)
{
	int rc = init_common(r, data, 0, 0, n_values, err);
	if (rc)
		return rc;
	if (len == 0) {
		if (n_values == 0)
			return 0;
		return pv_err_set(err, PV_ECORRUPT, "rle: dictionary indices lack their bit width byte");
	}
	if (data[0] > PV_RLE_MAX_WIDTH)
		return pv_err_set(err, PV_ECORRUPT, "rle: dictionary index bit width %u exceeds %d",
				  data[0], PV_RLE_MAX_WIDTH);
	r->width = data[0];
	r->p = data + 1;
	r->end = data + len;
	return 0;
}

/* Reads the next run header (and the RLE value). */
static int next_run(pv_rle *r, pv_err *err)
{
	if (r->p >= r->end)
		return pv_err_set(err, PV_ECORRUPT, "rle: data ends after %lld of %lld values",
				  (long long)(r->n_values - r->n_left), (long long)r->n_values);
	pv_cursor c = pv_cursor_make(r->p, (size_t)(r->end - r->p));
	uint64_t h = pv_cursor_uvarint(&c);
	if (!pv_cursor_ok(&c))
		return pv_err_set(err, PV_ECORRUPT, "rle: truncated run header after %lld of %lld values",
				  (long long)(r->n_values - r->n_left), (long long)r->n_values);
	uint64_t len = h >> 1;
	uint64_t n_vals;
	if (h & 1) {
		size_t avail = pv_cursor_left(&c);
		size_t bytes = 0;
		if (r->width == 0) {
			n_vals = len > (uint64_t)INT64_MAX / 8 ? (uint64_t)INT64_MAX : len * 8;
		} else if (len <= avail / r->width) {
			bytes = (size_t)len * r->width;
			n_vals = len * 8;
		} else {
			/* the run claims more groups than there are bytes: keep what
			 * the bytes hold */
			bytes = avail;
			n_vals = (uint64_t)(avail / r->width) * 8 + (uint64_t)(avail % r->width) * 8 / r->width;
		}
		r->run_packed = true;
		r->packed = c.p;
		r->group_pos = 8;
		r->p = c.p + bytes;
	} else {
		size_t nb = (r->width + 7) / 8;
		const uint8_t *v = pv_cursor_take(&c, nb);
		if (!v)
			return pv_err_set(err, PV_ECORRUPT, "rle: truncated run value");
		uint32_t val = 0;
		for (size_t i = 0; i < nb; i++)
			val |= (uint32_t)v[i] << (8 * i);
		if (r->width < 32 && (val >> r->width) != 0)
			return pv_err_set(err, PV_ECORRUPT, "rle: run value %u does not fit in %u bits", val,
					  r->width);
		r->run_packed = false;
		r->run_value = val;
		r->p = c.p;
		n_vals = len;
	}
	r->run_left = n_vals < (uint64_t)r->n_left ? (int64_t)n_vals : r->n_left;
	return 0;
}

static int level_error(uint32_t v, uint32_t max, pv_err *err)
{
	return pv_err_set(err, PV_ECORRUPT, "rle: level %u exceeds the maximum %u", v, max);
}

/* k copies of v. */
static int emit_fill(sink *s, uint32_t v, size_t k, pv_err *err)
{
	switch (s->mode) {
	case M_U32: {
		uint32_t *o = (uint32_t *)s->out + s->pos;
		for (size_t i = 0; i < k; i++)
			o[i] = v;
		break;
	}
	case M_LEVELS: {
		if (v > s->limit)
			return level_error(v, s->limit, err);
		int16_t *o = (int16_t *)s->out + s->pos;
		for (size_t i = 0; i < k; i++)
			o[i] = (int16_t)v;
		break;
	}
	case M_BOOL:
		memset((uint8_t *)s->out + s->pos, v != 0, k);
		break;
	case M_SKIP:
		break;
	case M_COUNT:
		if (v == s->limit)
			s->count += k;
		break;
	}
	s->pos += k;
	return 0;
}

/* k decoded values. */
static int emit_values(sink *s, const uint32_t *v, size_t k, pv_err *err)
{
	switch (s->mode) {
	case M_U32:
		memcpy((uint32_t *)s->out + s->pos, v, k * sizeof *v);
		break;
	case M_LEVELS: {
		uint32_t max = 0;
		for (size_t i = 0; i < k; i++)
			max = v[i] > max ? v[i] : max;
		if (max > s->limit) {
			for (size_t i = 0; i < k; i++)
				if (v[i] > s->limit)
					return level_error(v[i], s->limit, err);
		}
		int16_t *o = (int16_t *)s->out + s->pos;
		for (size_t i = 0; i < k; i++)
			o[i] = (int16_t)v[i];
		break;
	}
	case M_BOOL: {
		uint8_t *o = (uint8_t *)s->out + s->pos;
		for (size_t i = 0; i < k; i++)
			o[i] = (uint8_t)(v[i] != 0);
		break;
	}
	case M_SKIP:
		break;
	case M_COUNT: {
		size_t c = 0;
		for (size_t i = 0; i < k; i++)
			c += v[i] == s->limit;
		s->count += c;
		break;
	}
	}
	s->pos += k;
	return 0;
}

/* How many of the 64 / w fields of w bits in x equal the field whose
 * copies fill pattern, for w of 1, 2, 4 or 8 (fields never straddle a
 * byte; Parquet packs them from the low bit up, so the little-endian word
 * holds them in order). A field equal to it is all zeros after the xor:
 * each field's bits fold into its lowest bit, low keeps those, and the
 * fields left nonzero are counted. */
static inline unsigned count_fields(uint64_t x, unsigned w, uint64_t pattern, uint64_t low)
{
	uint64_t y = x ^ pattern;
	if (w >= 2)
		y |= y >> 1;
	if (w >= 4)
		y |= y >> 2;
	if (w >= 8)
		y |= y >> 4;
	return 64 / w - (unsigned)__builtin_popcountll(y & low);
}

/* Counts the values equal to s->limit in whole groups of a bit-packed run
 * of width 1, 2, 4 or 8, eight bytes at a time without unpacking: reading
 * the first rows of a big page counts its levels once (read/chunk.c), and
 * this is most of that cost. Returns the groups done (all of them, or 0
 * for other widths), moving r->packed past them. */
static size_t count_packed(pv_rle *r, sink *s, size_t whole)
{
	unsigned w = r->width;
	if ((w != 1 && w != 2 && w != 4 && w != 8) || whole * w > (size_t)(r->end - r->packed))
		return 0;
	if (s->limit >> w) {
		/* no field of w bits holds it */
		r->packed += whole * w;
		s->pos += whole * 8;
		return whole;
	}
	uint64_t pattern = s->limit;
	for (unsigned b = w; b < 64; b *= 2)
		pattern |= pattern << b;
	uint64_t low = w == 1 ? UINT64_MAX
		       : w == 2 ? UINT64_C(0x5555555555555555)
		       : w == 4 ? UINT64_C(0x1111111111111111)
				: UINT64_C(0x0101010101010101);
	size_t bytes = whole * w, words = bytes / 8, tail = bytes % 8;
	size_t c = 0;
	for (size_t i = 0; i < words; i++)
		c += count_fields(pv_load_u64le(r->packed + i * 8), w, pattern, low);
	if (tail) {
		/* the last groups, zero-padded to a word: the padding's fields
		 * are 0 and must not count */
		uint8_t last[8] = { 0 };
		memcpy(last, r->packed + words * 8, tail);
		c += count_fields(pv_load_u64le(last), w, pattern, low);
		if (s->limit == 0)
			c -= (8 - tail) * 8 / w;
	}
	s->count += c;
	s->pos += whole * 8;
	r->packed += bytes;
	return whole;
}

/* Moves r->packed on by one group, never past the end (a truncated final
 * group has fewer bytes than the width). */
static void advance_group(pv_rle *r)
{
	size_t left = (size_t)(r->end - r->packed);
	r->packed += left < r->width ? left : r->width;
}

/* take values (at most run_left) from the current bit-packed run. */
static int from_packed(pv_rle *r, sink *s, size_t take, pv_err *err)
{
	size_t k = 0;
	int rc;
	if (r->group_pos < 8) {
		size_t b = 8 - r->group_pos;
		if (b > take)
			b = take;
		if ((rc = emit_values(s, r->group + r->group_pos, b, err)))
			return rc;
		r->group_pos += (unsigned)b;
		k = b;
	}
	size_t whole = (take - k) / 8;
	if (whole) {
		/* whole groups lie inside the run's bytes: run_left never counts
		 * values the bytes do not hold */
		if (s->mode == M_U32) {
			pv_unpack32(r->packed, (size_t)(r->end - r->packed), whole, r->width,
				    (uint32_t *)s->out + s->pos);
			s->pos += whole * 8;
			r->packed += whole * r->width;
		} else if (s->mode == M_SKIP) {
			s->pos += whole * 8;
			r->packed += whole * r->width;
		} else {
			uint32_t tmp[CHUNK_GROUPS * 8];
			size_t g0 = s->mode == M_COUNT ? count_packed(r, s, whole) : 0;
			for (size_t g = g0; g < whole; g += CHUNK_GROUPS) {
				size_t ng = whole - g < CHUNK_GROUPS ? whole - g : CHUNK_GROUPS;
				pv_unpack32(r->packed, (size_t)(r->end - r->packed), ng, r->width, tmp);
				r->packed += ng * r->width;
				if ((rc = emit_values(s, tmp, ng * 8, err)))
					return rc;
			}
		}
		k += whole * 8;
	}
	if (k < take) {
		pv_unpack32(r->packed, (size_t)(r->end - r->packed), 1, r->width, r->group);
		advance_group(r);
		size_t b = take - k;
		if ((rc = emit_values(s, r->group, b, err)))
			return rc;
		r->group_pos = (unsigned)b;
	}
	return 0;
}

static int consume(pv_rle *r, sink *s, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)r->n_left)
		return pv_err_set(err, PV_EINVAL, "rle: asked for %zu values, only %lld left", n,
				  (long long)r->n_left);
	while (n > 0) {
		int rc;
		if (r->run_left == 0) {
			if ((rc = next_run(r, err)))
				return rc;
			continue;
		}
		size_t take = (uint64_t)n < (uint64_t)r->run_left ? n : (size_t)r->run_left;
		if (r->run_packed)
			rc = from_packed(r, s, take, err);
		else
			rc = emit_fill(s, r->run_value, take, err);
		if (rc)
			return rc;
		r->run_left -= (int64_t)take;
		r->n_left -= (int64_t)take;
		n -= take;
	}
	return 0;
}

int pv_rle_get_u32(pv_rle *r, uint32_t *out, size_t n, pv_err *err)
{
	sink s = { M_U32, out, 0, 0, 0 };
	return consume(r, &s, n, err);
}

int pv_rle_get_levels(pv_rle *r, int16_t *out, size_t n, int16_t max_level, pv_err *err)
{
	if (max_level < 0)
		return pv_err_set(err, PV_EINVAL, "rle: negative maximum level %d", max_level);
	sink s = { M_LEVELS, out, 0, (uint32_t)max_level, 0 };
	return consume(r, &s, n, err);
}

int pv_rle_get_bool(pv_rle *r, uint8_t *out, size_t n, pv_err *err)
{
	if (r->width != 1)
		return pv_err_set(err, PV_EINVAL, "rle: booleans need bit width 1, not %u", r->width);
	sink s = { M_BOOL, out, 0, 0, 0 };
	return consume(r, &s, n, err);
}

int pv_rle_skip(pv_rle *r, size_t n, pv_err *err)
{
	sink s = { M_SKIP, NULL, 0, 0, 0 };
	return consume(r, &s, n, err);
}

int pv_rle_skip_count(pv_rle *r, size_t n, uint32_t value, size_t *out_count, pv_err *err)
{
	sink s = { M_COUNT, NULL, 0, value, 0 };
	int rc = consume(r, &s, n, err);
	if (out_count)
		*out_count = s.count;
	return rc;
}

/* ------------------------------------------------------------------ BIT_PACKED */

unsigned pv_level_width(int32_t max_level)
{
	if (max_level <= 0)
		return 0;
	return 32 - (unsigned)__builtin_clz((unsigned)max_level);
}

int pv_bitpacked_init(pv_bitpacked *b, const uint8_t *data, size_t len, unsigned width,
		      int64_t n_values, size_t *out_consumed, pv_err *err)
{
	memset(b, 0, sizeof *b);
	b->data = data;
	if (width > 16)
		return pv_err_set(err, PV_EINVAL, "bit_packed: bit width %u exceeds 16", width);
	if (n_values < 0)
		return pv_err_set(err, PV_EINVAL, "bit_packed: negative value count %lld", (long long)n_values);
	uint64_t n = (uint64_t)n_values;
	if (width && n / 8 > len)
		return pv_err_set(err, PV_ECORRUPT, "bit_packed: %lld values of %u bits exceed the %zu bytes left",
				  (long long)n_values, width, len);
	/* n / 8 <= len now, so the byte count cannot overflow */
	uint64_t bytes = n / 8 * width + (n % 8 * width + 7) / 8;
	if (bytes > len)
		return pv_err_set(err, PV_ECORRUPT, "bit_packed: %lld values of %u bits need %llu bytes, %zu left",
				  (long long)n_values, width, (unsigned long long)bytes, len);
	b->width = width;
	b->n_values = n_values;
	if (out_consumed)
		*out_consumed = (size_t)bytes;
	return 0;
}

int pv_bitpacked_get_levels(pv_bitpacked *b, int16_t *out, size_t n, int16_t max_level, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)(b->n_values - b->pos))
		return pv_err_set(err, PV_EINVAL, "bit_packed: asked for %zu values, only %lld left", n,
				  (long long)(b->n_values - b->pos));
	if (max_level < 0)
		return pv_err_set(err, PV_EINVAL, "bit_packed: negative maximum level %d", max_level);
	const unsigned w = b->width;
	if (w == 0) {
		memset(out, 0, n * sizeof *out);
		b->pos += (int64_t)n;
		return 0;
	}
	/* The last byte holding any of the values; bytes past it are not ours
	 * to read. */
	uint64_t total_bits = (uint64_t)b->n_values * w;
	uint64_t last_byte = (total_bits + 7) / 8 - 1;
	const uint32_t mask = (1u << w) - 1;
	for (size_t i = 0; i < n; i++) {
		uint64_t bit = (uint64_t)(b->pos + (int64_t)i) * w;
		uint64_t at = bit / 8;
		/* a value of up to 16 bits starting anywhere spans at most 3 bytes */
		uint32_t x = (uint32_t)b->data[at] << 16;
		if (at + 1 <= last_byte)
			x |= (uint32_t)b->data[at + 1] << 8;
		if (at + 2 <= last_byte)
			x |= b->data[at + 2];
		uint32_t v = (x >> (24 - bit % 8 - w)) & mask;
		if (v > (uint32_t)max_level)
			return pv_err_set(err, PV_ECORRUPT, "bit_packed: level %u exceeds the maximum %d", v,
					  max_level);
		out[i] = (int16_t)v;
	}
	b->pos += (int64_t)n;
	return 0;
}

int pv_bitpacked_skip(pv_bitpacked *b, size_t n, pv_err *err)
{
	if ((uint64_t)n > (uint64_t)(b->n_values - b->pos))
		return pv_err_set(err, PV_EINVAL, "bit_packed: asked for %zu values, only %lld left", n,
				  (long long)(b->n_values - b->pos));
	b->pos += (int64_t)n;
	return 0;
}

const uint8_t *pv_rle_keep(const pv_rle *r)
{
	return r->run_left > 0 && r->run_packed ? r->packed : r->p;
}

void pv_rle_window(pv_rle *r, const uint8_t *keep, const uint8_t *end)
{
	const uint8_t *old = pv_rle_keep(r);
	if (r->run_left > 0 && r->run_packed) {
		/* p lies after the run's groups, packed at keep */
		r->p = keep + (r->p - old);
		r->packed = keep;
	} else {
		r->p = keep;
	}
	r->end = end;
}

size_t pv_rle_fit(const pv_rle *r, size_t n)
{
	if ((uint64_t)n > (uint64_t)r->n_left)
		n = (size_t)r->n_left;
	uint64_t got = 0;
	const uint8_t *p = r->p;
	if (r->run_left > 0) {
		if (!r->run_packed || r->width == 0) {
			got = (uint64_t)r->run_left;
		} else {
			/* the buffered group, then whole groups in the window */
			uint64_t buffered = r->group_pos < 8 ? 8u - r->group_pos : 0;
			uint64_t groups = (uint64_t)(r->end - r->packed) / r->width;
			got = buffered + groups * 8;
			if (got > (uint64_t)r->run_left)
				got = (uint64_t)r->run_left;
			if (got < (uint64_t)r->run_left)
				return (size_t)got;
		}
	}
	uint64_t left = (uint64_t)r->n_left;
	while (got < n && p < r->end) {
		pv_cursor c = pv_cursor_make(p, (size_t)(r->end - p));
		uint64_t h = pv_cursor_uvarint(&c);
		if (!pv_cursor_ok(&c))
			break;
		uint64_t len = h >> 1, vals;
		if (h & 1) {
			if (r->width && len > (uint64_t)pv_cursor_left(&c) / r->width)
				break;
			vals = len > (uint64_t)INT64_MAX / 8 ? (uint64_t)INT64_MAX : len * 8;
			p = c.p + (size_t)len * r->width;
		} else {
			size_t nb = (r->width + 7) / 8;
			if (!pv_cursor_take(&c, nb))
				break;
			vals = len;
			p = c.p;
		}
		got += vals < left - got ? vals : left - got;
	}
	return got < n ? (size_t)got : n;
}
