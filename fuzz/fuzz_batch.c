/*
 * fuzz_batch.c - libFuzzer target for the value pipeline (read/batch.h):
 * the input is a whole file; when its footer loads, every row group is
 * read completely in batches (small page caps), then a few rows are read
 * at random-access positions, and every batch must pass the Arrow checks
 * of render/arrowval.h (a quarter of the inputs with every page streamed
 * through a window). Failures must carry a message and their code;
 * nothing may crash, hang or leak. Includes only the library's headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/err.h"
#include "io/source.h"
#include "read/batch.h"
#include "read/pfile.h"
#include "render/arrowval.h"
#include "base/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAGE ((size_t)16 << 20)
#define MAX_BATCH ((size_t)16 << 20)
#define BATCH_ROWS 4096
/* Rows decoded per input at most, so one input stays fast. */
#define ROW_BUDGET ((int64_t)1 << 20)

/* A failure without a message is a bug the fuzzer should report. */
static void check(int rc, const pv_err *e)
{
	if (rc && (!e->msg[0] || e->code != rc))
		abort();
}

/* A batch that does not match its schema is a bug. */
static void check_batch(const pv_atype *t, const struct ArrowArray *a, int64_t want)
{
	pv_err e;
	if (a->length != want || pv_atype_check(t, a, &e) != 0)
		abort();
}

static void read_group(pv_source *src, const pv_pfile *pf, size_t g, const pv_batch_opts *opts,
		       const pv_atype *t, int64_t *budget)
{
	pv_rgreader *r;
	pv_err e;
	pv_err_clear(&e);
	int rc = pv_rgreader_open(src, pf, g, NULL, 0, opts, &r, &e);
	check(rc, &e);
	if (rc)
		return;
	int64_t rows = pv_rgreader_rows(r);
	for (int64_t at = 0; at < rows && *budget > 0;) {
		int64_t n = rows - at < BATCH_ROWS ? rows - at : BATCH_ROWS;
		struct ArrowArray a;
		pv_err_clear(&e);
		rc = pv_rgreader_read(r, at, n, &a, &e);
		check(rc, &e);
		if (rc)
			break;
		if (t)
			check_batch(t, &a, n);
		a.release(&a);
		at += n;
		*budget -= n;
	}
	/* random access: the middle, the last row, then back to the start */
	int64_t probes[3] = { rows / 2, rows - 1, 0 };
	for (int i = 0; i < 3 && rows > 0; i++) {
		struct ArrowArray a;
		pv_err_clear(&e);
		rc = pv_rgreader_read(r, probes[i], 1, &a, &e);
		check(rc, &e);
		if (!rc) {
			if (t)
				check_batch(t, &a, 1);
			a.release(&a);
		}
	}
	pv_rgreader_close(r);
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
	struct ArrowSchema s;
	pv_arena ar;
	pv_arena_init(&ar, 0);
	pv_atype *t = NULL;
	pv_err_clear(&e);
	rc = pv_batch_schema(pf, NULL, 0, &s, &e);
	check(rc, &e);
	if (!rc) {
		/* the render layer may refuse what it cannot show (deep nesting),
		 * but never a schema that breaks the interface */
		pv_err_clear(&e);
		int prc = pv_atype_parse(&ar, &s, &t, &e);
		if (prc && prc != PV_ELIMIT && prc != PV_EUNSUPPORTED)
			abort();
		if (prc)
			t = NULL;
	}
	/* the CRC check on every other input, so bit flips also reach the
	 * decoders; every page streamed (read/chunk.h) on half of the rest */
	pv_batch_opts opts = { .verify_crc = (size & 1) != 0, .max_page_bytes = MAX_PAGE,
			       .max_batch_bytes = MAX_BATCH };
	if ((size & 3) == 2)
		setenv("PARQVIEW_STREAM_MIN", "1", 1);
	else
		unsetenv("PARQVIEW_STREAM_MIN");
	int64_t budget = ROW_BUDGET;
	for (size_t g = 0; g < pf->meta->n_row_groups && budget > 0; g++)
		read_group(src, pf, g, &opts, t, &budget);
	if (!rc)
		s.release(&s);
	pv_arena_release(&ar);
	pv_pfile_free(pf);
	pv_source_close(src);
	return 0;
}
