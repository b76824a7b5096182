/*
 * fuzz_pageindex.c - libFuzzer target for the read layer's on-demand
 * metadata readers. The input is a whole file: when its footer loads, walk
 * the pages of every column chunk (at most MAX_PAGES in all), decode page
 * statistics, read and check the page index and decode every entry, look
 * rows up, and read and probe every bloom filter. Any failure must come
 * with a message and its code. Includes only the library's public headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/err.h"
#include "io/source.h"
#include "read/bloom.h"
#include "read/pageindex.h"
#include "read/pagewalk.h"
#include "read/pfile.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAGES 10000

/* A failure without a message is a bug the fuzzer should report. */
static void check(int rc, const pv_err *e)
{
	if (rc && (!e->msg[0] || e->code != rc))
		abort();
}

static void walk(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf, long *budget)
{
	pv_pagewalk w;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_pagewalk_open(&w, src, cc, leaf->max_rep, &e);
	check(rc, &e);
	bool done = rc != 0;
	int64_t last = -1;
	while (!done && *budget > 0) {
		pv_page_info pi;
		pv_err_clear(&e);
		rc = pv_pagewalk_next(&w, &pi, &done, &e);
		check(rc, &e);
		if (rc || done)
			break;
		(*budget)--;
		/* The walk promises increasing offsets inside the chunk. */
		if (pi.offset <= last || pi.offset < w.chunk_start ||
		    pi.offset + (int64_t)pi.header_len + pi.compressed_size > w.chunk_end)
			abort();
		last = pi.offset;
		pv_value mn, mx;
		pv_err_clear(&e);
		check(pv_page_info_minmax(&pi, leaf, &mn, &mx, &e), &e);
	}
	pv_pagewalk_release(&w);
}

static void page_index(pv_source *src, const pv_row_group *rg, const pv_column_chunk *cc,
		       const pv_schema_node *leaf)
{
	pv_arena a;
	pv_err e;
	pv_arena_init(&a, (size_t)64 << 20);
	pv_offset_index oi;
	pv_column_index ci;
	pv_err_clear(&e);
	int rc_oi = pv_pageindex_read_offsets(src, cc, rg->num_rows, &a, &oi, &e);
	check(rc_oi, &e);
	if (!rc_oi) {
		int64_t probes[4] = { 0, 1, rg->num_rows - 1, INT64_MAX };
		for (int i = 0; i < 4; i++) {
			int64_t p = pv_pageindex_row_to_page(&oi, probes[i]);
			if (probes[i] >= 0 && (p < 0 || (size_t)p >= oi.n_page_locations))
				abort();
		}
	}
	pv_err_clear(&e);
	int rc_ci = pv_pageindex_read_columns(src, cc, &a, &ci, &e);
	check(rc_ci, &e);
	if (!rc_ci && !rc_oi) {
		pv_err_clear(&e);
		int rc = pv_pageindex_check_columns(&ci, &oi, &e);
		check(rc, &e);
		for (size_t p = 0; !rc && p < ci.n_pages; p++) {
			pv_page_bounds b;
			pv_err_clear(&e);
			check(pv_pageindex_bounds(&ci, leaf, p, &b, &e), &e);
		}
	}
	pv_arena_release(&a);
}

static void bloom(pv_source *src, const pv_column_chunk *cc, const pv_schema_node *leaf)
{
	pv_bloom_filter bf;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_bloom_filter_read(src, cc, &bf, &e);
	check(rc, &e);
	pv_bloom_filter_release(&bf);
	if (rc && rc != PV_ENOTFOUND)
		return;
	const char *texts[] = { "1", "-7", "abc", "2020-02-29", "12.5", "true",
				"6325c32b-f417-41aa-9e02-9b8601542aff" };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		pv_bloom_result r;
		pv_err_clear(&e);
		check(pv_bloom_probe(src, cc, leaf, texts[i], &r, &e), &e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	pv_err_clear(&e);
	if (pv_source_open_mem(data, size, "fuzz", &src, &e) != 0)
		abort();
	int rc = pv_pfile_load(src, &pf, &e);
	check(rc, &e);
	if (rc) {
		pv_source_close(src);
		return 0;
	}
	long budget = MAX_PAGES;
	for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		for (size_t c = 0; c < rg->n_columns && c < pf->schema->n_leaves; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			const pv_schema_node *leaf = pf->schema->leaves[c];
			walk(src, cc, leaf, &budget);
			page_index(src, rg, cc, leaf);
			bloom(src, cc, leaf);
		}
	}
	pv_pfile_free(pf);
	pv_source_close(src);
	return 0;
}
