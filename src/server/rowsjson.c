/*
 * rowsjson.c - row pages as JSON arrays under a byte cap, and FILE*s over
 * growable buffers for the rows writer (rowsjson.h).
 * Includes base, render and server only.
 */
#include "server/rowsjson.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "render/arrowval.h"
#include "base/banned.h"

typedef struct bufile {
	pv_buf *b;
	size_t cap;
	bool *dropped;
} bufile;

static ssize_t bufile_write(void *c, const char *data, size_t n)
{
	bufile *bf = c;
	size_t take = n;
	if (bf->cap) {
		size_t room = bf->b->len < bf->cap ? bf->cap - bf->b->len : 0;
		if (take > room) {
			take = room;
			*bf->dropped = true;
		}
	}
	if (take && pv_buf_append(bf->b, data, take, NULL))
		return -1;
	return (ssize_t)n;
}

static int bufile_close(void *c)
{
	free(c);
	return 0;
}

FILE *pv_bufile_open(pv_buf *b, size_t cap, bool *out_dropped)
{
	bufile *bf = calloc(1, sizeof *bf);
	if (!bf)
		return NULL;
	bf->b = b;
	bf->cap = cap;
	bf->dropped = out_dropped;
	cookie_io_functions_t io = { .write = bufile_write, .close = bufile_close };
	FILE *f = fopencookie(bf, "w", io);
	if (!f)
		free(bf);
	return f;
}

int pv_rowstream_open(pv_rowstream *rs, const struct ArrowSchema *schema, pv_rows_format format,
		      pv_err *err)
{
	memset(rs, 0, sizeof *rs);
	pv_buf_init(&rs->text, 0);
	rs->f = pv_bufile_open(&rs->text, 0, NULL);
	if (!rs->f)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_rows_opts o;
	pv_rows_opts_init(&o, format, NULL);
	return pv_rows_writer_open(&rs->w, rs->f, &o, schema, err);
}

int pv_rowstream_put(pv_rowstream *rs, const struct ArrowArray *batch, int64_t first_row,
		     pv_buf *out, pv_err *err)
{
	int rc;
	if (batch) {
		rc = pv_rows_writer_write(rs->w, batch, first_row, err);
	} else {
		rc = pv_rows_writer_close(rs->w, err);
		rs->w = NULL;
	}
	if (!rc && fflush(rs->f))
		rc = pv_err_set(err, PV_ENOMEM, "out of memory");
	if (!rc && rs->text.len)
		rc = pv_buf_append(out, rs->text.data, rs->text.len, err);
	pv_buf_reset(&rs->text);
	return rc;
}

void pv_rowstream_release(pv_rowstream *rs)
{
	pv_rows_writer_close(rs->w, NULL);
	rs->w = NULL;
	if (rs->f)
		fclose(rs->f);
	rs->f = NULL;
	pv_buf_release(&rs->text);
}

int pv_rowsjson_open(pv_rowsjson *rj, const struct ArrowSchema *schema, size_t cap, pv_err *err)
{
	memset(rj, 0, sizeof *rj);
	pv_buf_init(&rj->text, 0);
	rj->cap = cap;
	rj->f = pv_bufile_open(&rj->text, cap, &rj->dropped);
	if (!rj->f)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	pv_rows_opts o;
	pv_rows_opts_init(&o, PV_ROWS_ARRAYS, NULL);
	return pv_rows_writer_open(&rj->w, rj->f, &o, schema, err);
}

int pv_rowsjson_add(pv_rowsjson *rj, const struct ArrowArray *batch, int64_t first_row,
		    bool *out_full, pv_err *err)
{
	*out_full = false;
	if (rj->truncated) {
		*out_full = true;
		return 0;
	}
	size_t before = rj->text.len;
	int rc = pv_rows_writer_write(rj->w, batch, first_row, err);
	if (!rc && fflush(rj->f))
		rc = pv_err_set(err, PV_ENOMEM, "out of memory gathering rows");
	if (rc)
		return rc;
	if (rj->dropped) {
		/* keep the whole rows that fit: up to the last row end */
		size_t keep = rj->text.len;
		while (keep > before && rj->text.data[keep - 1] != '\n')
			keep--;
		rj->text.len = keep;
		if (rj->text.data)
			rj->text.data[keep] = '\0';
		rj->truncated = true;
		*out_full = true;
	}
	/* every row ends in the one raw '\n' of its line */
	for (size_t i = before; i < rj->text.len; i++)
		rj->n_rows += rj->text.data[i] == '\n';
	return 0;
}

void pv_rowsjson_rows(pv_rowsjson *rj, pv_json *j)
{
	pv_buf *t = &rj->text;
	if (!t->len) {
		pv_json_raw(j, "[]", 2);
		return;
	}
	/* "[a]\n[b]\n" becomes "[a],[b]" inside brackets, in place but for
	 * the bracket in front: JSON strings escape newlines, so every raw
	 * '\n' ends a row. */
	for (size_t i = 0; i < t->len; i++)
		if (t->data[i] == '\n')
			t->data[i] = ',';
	t->data[t->len - 1] = ']';
	pv_buf out;
	pv_buf_init(&out, 0);
	if (!pv_buf_putc(&out, '[', NULL) && !pv_buf_append(&out, t->data, t->len, NULL))
		pv_json_raw(j, out.data, out.len);
	else
		j->error = PV_ENOMEM;
	pv_buf_release(&out);
}

void pv_rowsjson_release(pv_rowsjson *rj)
{
	if (!rj)
		return;
	pv_rows_writer_close(rj->w, NULL);
	rj->w = NULL;
	if (rj->f)
		fclose(rj->f);
	rj->f = NULL;
	pv_buf_release(&rj->text);
}

int pv_rowsjson_columns(pv_json *j, const struct ArrowSchema *schema, pv_err *err)
{
	pv_arena a;
	pv_arena_init(&a, 0);
	pv_atype *t;
	pv_buf name;
	pv_buf_init(&name, 0);
	int rc = pv_atype_parse(&a, schema, &t, err);
	pv_json_array_begin(j);
	for (size_t i = 0; !rc && i < t->n_children; i++) {
		pv_buf_reset(&name);
		rc = pv_atype_name(t->children[i], &name, err);
		if (rc)
			break;
		pv_json_object_begin(j);
		pv_json_kstr(j, "name", t->children[i]->name);
		pv_json_kstr(j, "type", name.data ? name.data : "");
		pv_json_object_end(j);
	}
	pv_json_array_end(j);
	pv_buf_release(&name);
	pv_arena_release(&a);
	return rc;
}
