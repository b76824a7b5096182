/*
 * decodebench.c - benchmark tool: how fast parqview decodes a whole file,
 * without rendering, and how fast the file's codec alone runs on the same
 * pages. bench/rows.sh reports both.
 *
 *   decodebench FILE [--pages] [--batch-rows N] [--row-groups N] [--dump OUT]
 *
 * Default mode: every row group is read through src/read/batch.h
 * (pv_rgreader over all top-level fields) in batches of --batch-rows rows
 * (default 65536, as pv_batch_stream_open), each batch released at once,
 * so the figure is decompression + decoding + assembly into Arrow arrays.
 * The reader may use several threads per read (one per column), so the
 * process CPU time (user + system) is printed beside the wall time.
 * --pages: walks every column chunk's page headers (read/pagewalk.h) and
 * decompresses every page body with pv_codec_decompress on one thread,
 * timing only those calls: the codec's single-core speed on exactly the
 * bytes the decode has to decompress (for a zstd file, the same libzstd
 * that `zstd -d` uses), in wall time (codec_mb_s) and in the thread's CPU
 * time (codec_mb_s_per_cpu_s, for comparisons on a busy machine). --dump OUT also writes the decompressed bytes to
 * OUT, for a cross-check with the zstd command-line tool.
 * --row-groups N: only the first N row groups.
 *
 * Prints one line of key=value pairs on stdout (bytes, seconds, MB/s with
 * MB = 10^6 bytes, max_rss_kb from getrusage). Exit 0; 1 on a read error
 * (message on stderr); 2 for bad usage.
 * Uses base, codec and read; it must not include render, cli or sql.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/err.h"
#include "codec/codec.h"
#include "read/batch.h"
#include "read/pagewalk.h"
#include "read/pfile.h"
#include "base/banned.h"

/* Larger pages are refused rather than allocated (Parquet's own limit). */
#define PAGE_CAP ((size_t)INT32_MAX)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This thread's CPU time: what a busy machine disturbs less than the
 * wall clock. */
static double thread_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(long *out_max_rss_kb)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*out_max_rss_kb = ru.ru_maxrss;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void usage(FILE *f)
{
	fputs("usage: decodebench FILE [--pages] [--batch-rows N] [--row-groups N] [--dump OUT]\n"
	      "Decodes every column of FILE through the row group reader (or, with\n"
	      "--pages, only decompresses every page) and prints the speed.\n", f);
}

static int parse_count(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int decode_all(pv_source *src, const pv_pfile *pf, size_t n_rg, int64_t batch_rows,
		      int64_t *out_rows, pv_err *err)
{
	*out_rows = 0;
	for (size_t g = 0; g < n_rg; g++) {
		pv_rgreader *r;
		int rc = pv_rgreader_open(src, pf, g, NULL, 0, NULL, &r, err);
		if (rc)
			return rc;
		int64_t rows = pv_rgreader_rows(r);
		for (int64_t first = 0; first < rows; first += batch_rows) {
			int64_t n = rows - first < batch_rows ? rows - first : batch_rows;
			struct ArrowArray a;
			if ((rc = pv_rgreader_read(r, first, n, &a, err))) {
				pv_rgreader_close(r);
				return rc;
			}
			a.release(&a);
		}
		*out_rows += rows;
		pv_rgreader_close(r);
	}
	return 0;
}

struct page_totals {
	int64_t n_pages;
	int64_t comp_bytes;   /* page bodies handed to the codec */
	int64_t out_bytes;    /* what they decompressed to */
	double codec_s;       /* time inside pv_codec_decompress only */
	double codec_cpu_s;   /* the same in this thread's CPU time */
};

/* Decompresses the pages of one column chunk; v2 level bytes are stored
 * uncompressed and are left out, as the reader leaves them out. */
static int chunk_pages(pv_source *src, const pv_column_chunk *cc, FILE *dump,
		       struct page_totals *t, pv_err *err)
{
	pv_pagewalk w;
	int rc = pv_pagewalk_open(&w, src, cc, -1, err);
	uint8_t *in = NULL, *out = NULL;
	size_t in_cap = 0, out_cap = 0;
	while (!rc) {
		pv_page_info p;
		bool done = false;
		if ((rc = pv_pagewalk_next(&w, &p, &done, err)) || done)
			break;
		size_t skip = 0;
		if (p.type == PV_PAGE_DATA_V2)
			skip = (size_t)p.def_levels_len + (size_t)p.rep_levels_len;
		size_t comp = (size_t)p.compressed_size, ulen = (size_t)p.uncompressed_size;
		if (comp > PAGE_CAP || ulen > PAGE_CAP || skip > comp || skip > ulen) {
			rc = pv_err_set(err, PV_ELIMIT, "page %lld: sizes out of range",
					(long long)p.index);
			break;
		}
		if (comp > in_cap || ulen > out_cap) {
			free(in);
			free(out);
			in_cap = comp > in_cap ? comp : in_cap;
			out_cap = ulen > out_cap ? ulen : out_cap;
			in = malloc(in_cap ? in_cap : 1);
			out = malloc(out_cap ? out_cap : 1);
			if (!in || !out) {
				rc = pv_err_set(err, PV_ENOMEM, "out of memory");
				break;
			}
		}
		int64_t body = p.offset + (int64_t)p.header_len;
		if ((rc = pv_source_read(src, body, in, comp, err)))
			break;
		int codec = p.is_compressed ? w.codec : PV_CODEC_UNCOMPRESSED;
		double t0 = now_s(), c0 = thread_cpu_s();
		rc = pv_codec_decompress(codec, in + skip, comp - skip, out, ulen - skip, err);
		t->codec_s += now_s() - t0;
		t->codec_cpu_s += thread_cpu_s() - c0;
		if (rc)
			break;
		t->n_pages++;
		t->comp_bytes += (int64_t)(comp - skip);
		t->out_bytes += (int64_t)(ulen - skip);
		if (dump && fwrite(out, 1, ulen - skip, dump) != ulen - skip)
			rc = pv_err_set(err, PV_EIO, "cannot write the dump");
	}
	free(in);
	free(out);
	pv_pagewalk_release(&w);
	return rc;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *dump_path = NULL;
	bool pages = false;
	int64_t batch_rows = 65536, max_rg = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (!strcmp(a, "--pages")) {
			pages = true;
		} else if (!strcmp(a, "--batch-rows") && has_val) {
			if (parse_count(argv[++i], &batch_rows))
				return usage(stderr), 2;
		} else if (!strcmp(a, "--row-groups") && has_val) {
			if (parse_count(argv[++i], &max_rg))
				return usage(stderr), 2;
		} else if (!strcmp(a, "--dump") && has_val) {
			dump_path = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (a[0] != '-' && !path) {
			path = a;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!path || (dump_path && !pages)) {
		usage(stderr);
		return 2;
	}

	pv_err err;
	pv_err_clear(&err);
	pv_source *src = NULL;
	pv_pfile *pf = NULL;
	int rc = pv_source_open(path, &src, &err);
	if (!rc && (rc = pv_pfile_load(src, &pf, &err)))
		pv_err_prefix(&err, "%s", path);
	if (rc) {
		fprintf(stderr, "decodebench: %s\n", err.msg);
		pv_source_close(src);
		return 1;
	}
	size_t n_rg = pf->meta->n_row_groups;
	if (max_rg > 0 && (uint64_t)max_rg < n_rg)
		n_rg = (size_t)max_rg;
	int64_t comp = 0, uncomp = 0, largest = 0, n_rows = 0;
	for (size_t g = 0; g < n_rg; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		int64_t u = 0;
		n_rows += rg->num_rows;
		for (size_t c = 0; c < rg->n_columns; c++) {
			if (!rg->columns[c].has_meta_data)
				continue;
			comp += rg->columns[c].meta_data.total_compressed_size;
			u += rg->columns[c].meta_data.total_uncompressed_size;
		}
		uncomp += u;
		largest = u > largest ? u : largest;
	}

	long rss0, rss;
	double c0 = cpu_s(&rss0), t0 = now_s();
	if (!pages) {
		int64_t rows = 0;
		rc = decode_all(src, pf, n_rg, batch_rows, &rows, &err);
		double wall = now_s() - t0, cpu = cpu_s(&rss) - c0;
		if (!rc)
			printf("mode=decode row_groups=%zu rows=%lld compressed_bytes=%lld "
			       "uncompressed_bytes=%lld largest_rg_bytes=%lld wall_s=%.3f cpu_s=%.3f "
			       "mb_s=%.1f mb_s_per_cpu_s=%.1f max_rss_kb=%ld\n",
			       n_rg, (long long)rows, (long long)comp, (long long)uncomp,
			       (long long)largest, wall, cpu,
			       (double)uncomp / 1e6 / wall, (double)uncomp / 1e6 / cpu, rss);
	} else {
		FILE *dump = NULL;
		if (dump_path && !(dump = fopen(dump_path, "wb")))
			rc = pv_err_set(&err, PV_EIO, "cannot open '%s'", dump_path);
		struct page_totals t = { 0 };
		for (size_t g = 0; !rc && g < n_rg; g++) {
			const pv_row_group *rg = &pf->meta->row_groups[g];
			for (size_t c = 0; !rc && c < rg->n_columns; c++) {
				if ((rc = chunk_pages(src, &rg->columns[c], dump, &t, &err)))
					pv_err_prefix(&err, "row group %zu: column %zu", g, c);
			}
		}
		if (dump && fclose(dump) && !rc)
			rc = pv_err_set(&err, PV_EIO, "cannot write '%s'", dump_path);
		double wall = now_s() - t0;
		cpu_s(&rss);
		if (!rc)
			printf("mode=pages row_groups=%zu rows=%lld uncompressed_bytes=%lld pages=%lld "
			       "compressed_bytes=%lld decompressed_bytes=%lld codec_s=%.3f wall_s=%.3f "
			       "codec_mb_s=%.1f codec_cpu_s=%.3f codec_mb_s_per_cpu_s=%.1f "
			       "max_rss_kb=%ld\n",
			       n_rg, (long long)n_rows, (long long)uncomp, (long long)t.n_pages,
			       (long long)t.comp_bytes,
			       (long long)t.out_bytes, t.codec_s, wall,
			       (double)t.out_bytes / 1e6 / t.codec_s, t.codec_cpu_s,
			       (double)t.out_bytes / 1e6 / t.codec_cpu_s, rss);
	}
	if (rc)
		fprintf(stderr, "decodebench: %s: %s\n", path, err.msg);
	pv_pfile_free(pf);
	pv_source_close(src);
	return rc ? 1 : 0;
}
