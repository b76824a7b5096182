/*
 * fuzz_footer.c - libFuzzer target for the format layer. The input is a
 * whole file: locate the footer, parse it, write it back and parse that,
 * build the schema, decode every statistic, and parse whatever page
 * header, page index and bloom filter the metadata points at inside the
 * input. Everything runs under a 64 MiB arena; any failure must come with
 * a message. Includes only the library's public headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/pages.h"
#include "format/schema.h"
#include "format/stats.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failure without a message is a bug the fuzzer should report. */
static void check(int rc, const pv_err *e)
{
	if (rc && (!e->msg[0] || e->code != rc))
		abort();
}

static bool in_file(int64_t off, int64_t len, size_t size)
{
	return off >= 0 && len >= 0 && (uint64_t)off <= size && (uint64_t)len <= size - (uint64_t)off;
}

static void walk_chunk(const uint8_t *data, size_t size, const pv_column_chunk *cc,
		       const pv_schema_node *leaf, pv_arena *a)
{
	pv_err e;
	pv_value mn, mx;
	bool trusted;
	pv_err_clear(&e);
	check(pv_stats_minmax(cc, leaf, NULL, &mn, &mx, &trusted, &e), &e);
	if (!cc->has_meta_data)
		return;
	const pv_column_meta *m = &cc->meta_data;
	int64_t starts[2] = { m->data_page_offset, m->has_dictionary_page_offset ? m->dictionary_page_offset : -1 };
	for (int i = 0; i < 2; i++) {
		if (!in_file(starts[i], 0, size) || (size_t)starts[i] == size)
			continue;
		pv_page_header h;
		size_t hl;
		pv_err_clear(&e);
		int rc = pv_page_header_parse(data + starts[i], size - (size_t)starts[i], a, &h, &hl, &e);
		check(rc, &e);
		if (!rc && h.has_data_page_header && h.data_page_header.has_statistics) {
			const pv_statistics *s = &h.data_page_header.statistics;
			pv_value v;
			if (s->has_min_value)
				check(pv_stats_value(leaf, s->min_value.ptr, s->min_value.len, &v, &e), &e);
			if (s->has_max)
				check(pv_stats_value(leaf, s->max.ptr, s->max.len, &v, &e), &e);
		}
		if (!rc) {
			pv_buf b;
			pv_buf_init(&b, 1 << 20);
			pv_page_header_write(&h, &b, &e);
			pv_buf_release(&b);
		}
	}
	if (cc->has_column_index_offset && cc->has_column_index_length &&
	    in_file(cc->column_index_offset, cc->column_index_length, size)) {
		pv_column_index ci;
		pv_err_clear(&e);
		int rc = pv_column_index_parse(data + cc->column_index_offset, (size_t)cc->column_index_length, a, &ci, &e);
		check(rc, &e);
		for (size_t p = 0; !rc && p < ci.n_pages; p++) {
			pv_value v;
			if (!ci.null_pages[p])
				check(pv_stats_value(leaf, ci.min_values[p].ptr, ci.min_values[p].len, &v, &e), &e);
		}
	}
	if (cc->has_offset_index_offset && cc->has_offset_index_length &&
	    in_file(cc->offset_index_offset, cc->offset_index_length, size)) {
		pv_offset_index oi;
		pv_err_clear(&e);
		check(pv_offset_index_parse(data + cc->offset_index_offset, (size_t)cc->offset_index_length, a, &oi, &e), &e);
	}
	if (m->has_bloom_filter_offset && in_file(m->bloom_filter_offset, 0, size)) {
		pv_bloom_header bh;
		size_t hl;
		size_t left = size - (size_t)m->bloom_filter_offset;
		pv_err_clear(&e);
		int rc = pv_bloom_header_parse(data + m->bloom_filter_offset, left, &bh, &hl, &e);
		check(rc, &e);
		if (!rc && (size_t)bh.num_bytes <= left - hl)
			(void)pv_bloom_check(data + m->bloom_filter_offset + hl, (size_t)bh.num_bytes,
					     pv_bloom_hash("x", 1));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pv_arena a;
	pv_err e;
	pv_arena_init(&a, (size_t)64 << 20);
	pv_err_clear(&e);
	check(pv_magic_check_head(data, size, &e), &e);
	int64_t off;
	uint32_t len;
	size_t tail = size < 8 ? size : 8;
	pv_err_clear(&e);
	int rc = pv_footer_locate(data + size - tail, tail, (int64_t)size, &off, &len, &e);
	check(rc, &e);
	pv_file_meta *m = NULL;
	if (!rc) {
		rc = pv_meta_parse(data + off, len, &a, &m, &e);
		check(rc, &e);
	}
	if (!rc) {
		/* The writer must produce something the parser takes back. */
		pv_buf b;
		pv_buf_init(&b, (size_t)64 << 20);
		if (pv_meta_write(m, &b, &e) == 0) {
			pv_file_meta *m2;
			if (pv_meta_parse((const uint8_t *)b.data, b.len, &a, &m2, &e) == PV_ECORRUPT)
				abort();
		}
		pv_buf_release(&b);
		pv_schema *s;
		pv_err_clear(&e);
		rc = pv_schema_build(m, &a, &s, &e);
		check(rc, &e);
		if (!rc) {
			char buf[256];
			for (size_t i = 0; i < s->n_nodes; i++) {
				pv_schema_type_str(&s->nodes[i], buf, sizeof buf);
				if (pv_schema_find(s, s->nodes[i].path) == NULL)
					abort();
			}
			for (size_t g = 0; g < m->n_row_groups; g++)
				for (size_t c = 0; c < m->row_groups[g].n_columns; c++)
					walk_chunk(data, size, &m->row_groups[g].columns[c], s->leaves[c], &a);
		}
	}
	pv_arena_release(&a);
	return 0;
}
