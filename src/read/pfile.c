/*
 * pfile.c - footer reading: one tail read, at most one more, parse, schema.
 * Includes base, format and io; nothing above read.
 */
#include "read/pfile.h"

#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

int pv_pfile_load(pv_source *src, pv_pfile **out, pv_err *err)
{
	*out = NULL;
	int64_t size = pv_source_size(src);
	size_t tail_len = size < (int64_t)PV_PFILE_TAIL ? (size_t)size : PV_PFILE_TAIL;
	if (size < 12)
		return pv_err_set(err, PV_ECORRUPT,
				  "not a parquet file (%lld bytes, too small for a footer)", (long long)size);

	pv_pfile *pf = calloc(1, sizeof *pf);
	uint8_t *tail = malloc(tail_len);
	int rc;
	if (!pf || !tail) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory reading the footer");
		goto fail;
	}
	pf->size = size;
	pv_arena_init(&pf->arena, PV_PFILE_ARENA_CAP);
	const char *path = pv_source_path(src);
	pf->path = strdup(path ? path : "");
	if (!pf->path) {
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
		goto fail;
	}

	if ((rc = pv_source_read(src, size - (int64_t)tail_len, tail, tail_len, err)))
		goto fail;
	pf->n_reads = 1;
	if ((size_t)size == tail_len && (rc = pv_magic_check_head(tail, tail_len, err)))
		goto fail;

	int64_t meta_off;
	uint32_t meta_len;
	if ((rc = pv_footer_locate(tail, tail_len, size, &meta_off, &meta_len, err)))
		goto fail;
	if (meta_len > PV_FOOTER_MAX) {
		rc = pv_err_set(err, PV_ELIMIT, "footer of %u bytes exceeds the cap of %zu bytes",
				meta_len, PV_FOOTER_MAX);
		goto fail;
	}
	pf->footer_len = meta_len;

	const uint8_t *meta_bytes;
	uint8_t *big = NULL;
	int64_t tail_start = size - (int64_t)tail_len;
	if (meta_off >= tail_start) {
		meta_bytes = tail + (meta_off - tail_start);
	} else {
		/* The footer is longer than the tail: one more read for all of it. */
		big = malloc(meta_len);
		if (!big) {
			rc = pv_err_set(err, PV_ENOMEM, "out of memory for a %u-byte footer", meta_len);
			goto fail;
		}
		if ((rc = pv_source_read(src, meta_off, big, meta_len, err))) {
			free(big);
			goto fail;
		}
		pf->n_reads = 2;
		meta_bytes = big;
	}
	/* Parsed metadata plus the schema tree take a few times the footer's
	 * bytes; sizing the first block to that keeps thousands of small files
	 * from each holding a mostly empty 16 KiB block. */
	pf->arena.block = (size_t)meta_len * 4 + 4096;
	rc = pv_meta_parse(meta_bytes, meta_len, &pf->arena, &pf->meta, err);
	free(big);
	if (rc)
		goto fail;
	if ((rc = pv_schema_build(pf->meta, &pf->arena, &pf->schema, err)))
		goto fail;
	int64_t sum = 0;
	bool ok = true;
	for (size_t g = 0; g < pf->meta->n_row_groups && ok; g++)
		ok = pf->meta->row_groups[g].num_rows >= 0 &&
		     !__builtin_add_overflow(sum, pf->meta->row_groups[g].num_rows, &sum);
	pf->rows = ok ? sum : pf->meta->num_rows > 0 ? pf->meta->num_rows : 0;
	free(tail);
	*out = pf;
	return 0;
fail:
	free(tail);
	pv_pfile_free(pf);
	return rc;
}

int pv_pfile_open(const char *path, pv_pfile **out, pv_err *err)
{
	pv_source *src;
	*out = NULL;
	int rc = pv_source_open(path, &src, err); /* its message names the path */
	if (rc)
		return rc;
	rc = pv_pfile_load(src, out, err);
	pv_source_close(src);
	if (rc)
		pv_err_prefix(err, "%s", path);
	return rc;
}

void pv_pfile_free(pv_pfile *pf)
{
	if (!pf)
		return;
	pv_arena_release(&pf->arena);
	free(pf->path);
	free(pf);
}

void pv_pfile_sizes(const pv_pfile *pf, int64_t *out_compressed, int64_t *out_uncompressed)
{
	int64_t c = 0, u = 0;
	for (size_t g = 0; g < pf->meta->n_row_groups; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		for (size_t i = 0; i < rg->n_columns; i++) {
			if (!rg->columns[i].has_meta_data)
				continue;
			/* saturate: the sizes come from the file */
			if (__builtin_add_overflow(c, rg->columns[i].meta_data.total_compressed_size, &c))
				c = INT64_MAX;
			if (__builtin_add_overflow(u, rg->columns[i].meta_data.total_uncompressed_size, &u))
				u = INT64_MAX;
		}
	}
	*out_compressed = c;
	*out_uncompressed = u;
}
