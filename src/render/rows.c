/*
 * rows.c - the row writer: Arrow batches out as tables, CSV, JSON lines,
 * JSON, Markdown or vertical records (formats in render/rows.h; cells
 * come from arrowval.h). Includes only base, format and render.
 */
#include "render/rows.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/digits.h"
#include "base/json.h"
#include "base/swar.h"
#include "render/arrowval.h"
#include "render/table.h"
#include "render/width.h"
#include "base/banned.h"

#define TABLE_BUDGET ((size_t)4096)	 /* text bytes per TABLE cell */
#define LONG_BUDGET ((size_t)64 << 10)	 /* per MARKDOWN and VERTICAL cell */
#define SECTION_BYTES ((size_t)64 << 20) /* a TABLE section prints past this much text */
#define TYPE_COLS 40			 /* header type names are cut to this width */
#define RULE_COLS 80			 /* VERTICAL separators when the width is unlimited */
#define PEND_BYTES ((size_t)256 << 10)	 /* rows gathered before one large write */

struct pv_rows_writer {
	FILE *out;
	pv_rows_opts o;
	pv_arena arena; /* the type tree and the headers */
	const pv_atype *root;
	size_t n_cols;
	char **heads;	  /* TABLE/MARKDOWN column headers */
	size_t key_width; /* VERTICAL: widest column name */
	pv_table_style style;
	pv_table *table; /* the section being gathered */
	size_t table_rows, table_bytes;
	bool printed;  /* a section was printed */
	size_t budget; /* text bytes per cell; 0 = no cap */
	bool started;  /* CSV header or JSON "[" written */
	pv_buf row, cell, tmp;
	pv_buf pend; /* whole rows not yet written to out */
	pv_buf vals;  /* TABLE, MARKDOWN, VERTICAL: the texts of one row */
	size_t *ends; /* where the text of each column ends in vals */
	bool *nulls;
};

void pv_rows_opts_init(pv_rows_opts *o, pv_rows_format format, const pv_term *t)
{
	memset(o, 0, sizeof *o);
	o->format = format;
	if (t)
		o->term = *t;
	o->types = true;
	o->chunk_rows = PV_ROWS_CHUNK;
}

int pv_rows_format_parse(const char *s, pv_rows_format *out, pv_err *err)
{
	static const struct {
		const char *name;
		pv_rows_format f;
	} names[] = {
	    {"table", PV_ROWS_TABLE}, {"csv", PV_ROWS_CSV},
	    {"jsonl", PV_ROWS_JSONL}, {"ndjson", PV_ROWS_JSONL},
	    {"json", PV_ROWS_JSON},   {"markdown", PV_ROWS_MARKDOWN},
	    {"md", PV_ROWS_MARKDOWN}, {"vertical", PV_ROWS_VERTICAL},
	};
	for (size_t k = 0; s && k < sizeof names / sizeof names[0]; k++)
		if (strcmp(s, names[k].name) == 0) {
			*out = names[k].f;
			return 0;
		}
	return pv_err_set(
	    err, PV_EINVAL,
	    "invalid output format '%s' (expected table, csv, jsonl, json, markdown or "
	    "vertical)",
	    s ? s : "");
}

/* Writes what is pending to out. */
static int flush_pend(pv_rows_writer *w, pv_err *err)
{
	size_t n = w->pend.len;
	bool ok = n == 0 || fwrite(w->pend.data, 1, n, w->out) == n;
	pv_buf_reset(&w->pend);
	return ok ? 0 : pv_err_set(err, PV_EIO, "cannot write output: %s", strerror(errno));
}

/* Output goes out in writes of PEND_BYTES or so (a row at a time is a
 * write(2) every few kilobytes through stdio's own buffer); everything
 * pending is written at the end of each pv_rows_writer_write call. */
static int emit(pv_rows_writer *w, const char *p, size_t n, pv_err *err)
{
	int rc = pv_buf_append(&w->pend, p, n, err);
	if (!rc && w->pend.len >= PEND_BYTES)
		rc = flush_pend(w, err);
	return rc;
}

static bool is_table(const pv_rows_writer *w)
{
	return w->o.format == PV_ROWS_TABLE || w->o.format == PV_ROWS_MARKDOWN;
}

static const char *col_name(const pv_rows_writer *w, size_t c)
{
	return w->root->children[c]->name;
}

/* "name (type)", the type cut to TYPE_COLS columns. */
static int make_heads(pv_rows_writer *w, pv_err *err)
{
	w->heads = pv_arena_array(&w->arena, w->n_cols ? w->n_cols : 1, sizeof *w->heads, err);
	if (!w->heads)
		return err ? err->code : PV_ENOMEM;
	int rc = 0;
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		const pv_atype *t = w->root->children[c];
		pv_buf_reset(&w->row);
		pv_buf_reset(&w->tmp);
		rc = pv_buf_puts(&w->row, t->name, err);
		if (!rc && w->o.types) {
			rc = pv_atype_name(t, &w->tmp, err);
			if (!rc)
				rc = pv_buf_puts(&w->row, " (", err);
			if (!rc)
				rc = pv_width_truncate(w->tmp.data, w->tmp.len, TYPE_COLS, &w->row,
						       NULL, err);
			if (!rc)
				rc = pv_buf_putc(&w->row, ')', err);
		}
		if (!rc) {
			w->heads[c] = pv_arena_strndup(&w->arena, w->row.data ? w->row.data : "",
						       w->row.len, err);
			if (!w->heads[c])
				rc = err ? err->code : PV_ENOMEM;
		}
	}
	return rc;
}

int pv_rows_writer_open(pv_rows_writer **out_w, FILE *out, const pv_rows_opts *opts,
			const struct ArrowSchema *schema, pv_err *err)
{
	*out_w = NULL;
	if (!out || !opts || !schema)
		return pv_err_set(err, PV_EINVAL,
				  "rows writer needs an output, options and a schema");
	if ((unsigned)opts->format > PV_ROWS_ARRAYS)
		return pv_err_set(err, PV_EINVAL, "invalid output format %d", (int)opts->format);
	if (!schema->release)
		return pv_err_set(err, PV_EINVAL, "schema has been released");
	pv_rows_writer *w = calloc(1, sizeof *w);
	if (!w)
		return pv_err_set(err, PV_ENOMEM, "out of memory opening a rows writer");
	w->out = out;
	w->o = *opts;
	if (!w->o.chunk_rows)
		w->o.chunk_rows = PV_ROWS_CHUNK;
	pv_arena_init(&w->arena, 0);
	pv_buf_init(&w->row, PV_ROWS_MAX_ROW_BYTES);
	pv_buf_init(&w->cell, PV_ROWS_MAX_ROW_BYTES);
	pv_buf_init(&w->tmp, PV_ROWS_MAX_ROW_BYTES);
	pv_buf_init(&w->vals, PV_ROWS_MAX_ROW_BYTES);
	pv_buf_init(&w->pend, PV_ROWS_MAX_ROW_BYTES + PEND_BYTES);

	pv_atype *root;
	int rc = pv_atype_parse(&w->arena, schema, &root, err);
	if (!rc && (root->kind != PV_AK_STRUCT || root->dict))
		rc = pv_err_set(err, PV_EINVAL, "schema is not a struct of columns (format '%s')",
				schema->format);
	if (rc) {
		pv_rows_writer_close(w, NULL);
		return rc;
	}
	w->root = root;
	w->n_cols = root->n_children;

	switch (w->o.format) {
	case PV_ROWS_TABLE:
		pv_table_style_for(&w->style, &w->o.term);
		if (w->o.wide)
			w->style.max_width = 0;
		w->budget = TABLE_BUDGET;
		/* a fitted cell never shows more than the width; 4 bytes a column
		 * covers any UTF-8 or escape */
		if (w->style.max_width && w->style.max_width < TABLE_BUDGET / 4)
			w->budget = w->style.max_width * 4 + 16;
		break;
	case PV_ROWS_MARKDOWN:
		w->style.border = PV_BORDER_MARKDOWN;
		w->budget = LONG_BUDGET;
		break;
	case PV_ROWS_VERTICAL:
		w->budget = LONG_BUDGET;
		break;
	default:
		w->budget = 0;
		break;
	}
	if (w->budget && w->o.max_cell_width && w->o.max_cell_width < w->budget / 4)
		w->budget = w->o.max_cell_width * 4 + 16;

	if (is_table(w))
		rc = make_heads(w, err);
	if (!rc && (is_table(w) || w->o.format == PV_ROWS_VERTICAL)) {
		w->ends = calloc(w->n_cols + 1, sizeof *w->ends);
		w->nulls = calloc(w->n_cols + 1, sizeof *w->nulls);
		if (!w->ends || !w->nulls)
			rc = pv_err_set(err, PV_ENOMEM, "out of memory opening a rows writer");
	}
	if (!rc && w->o.format == PV_ROWS_VERTICAL) {
		for (size_t c = 0; c < w->n_cols; c++) {
			size_t kw = pv_width_str(col_name(w, c), strlen(col_name(w, c)));
			w->key_width = kw > w->key_width ? kw : w->key_width;
		}
	}
	if (rc) {
		pv_rows_writer_close(w, NULL);
		return rc;
	}
	*out_w = w;
	return 0;
}

/* ---- TABLE and MARKDOWN ---- */

static int section_start(pv_rows_writer *w, pv_err *err)
{
	int rc = pv_table_new(&w->table, err);
	if (!rc && w->o.row_numbers)
		rc = pv_table_add_column(w->table, "#", PV_ALIGN_RIGHT, err);
	for (size_t c = 0; !rc && c < w->n_cols; c++)
		rc = pv_table_add_column(
		    w->table, w->heads[c],
		    pv_atype_numeric(w->root->children[c]) ? PV_ALIGN_RIGHT : PV_ALIGN_LEFT, err);
	w->table_rows = w->table_bytes = 0;
	return rc;
}

static int section_print(pv_rows_writer *w, pv_err *err)
{
	int rc = 0;
	if (w->printed && w->o.format == PV_ROWS_MARKDOWN)
		rc = emit(w, "\n", 1, err);
	if (!rc)
		rc = flush_pend(w, err);
	if (!rc)
		rc = pv_table_print(w->table, w->out, &w->style, err);
	pv_table_free(w->table);
	w->table = NULL;
	w->printed = true;
	return rc;
}

/* The text of cell c of a row into w->cell; *null for NULL. Cut to
 * max_cell_width columns when set. */
static int cell_text(pv_rows_writer *w, pv_acell cell, bool *null, pv_err *err)
{
	pv_buf_reset(&w->cell);
	int rc = pv_acell_resolve(&cell, null, err);
	if (rc || *null)
		return rc;
	rc = pv_acell_text(&cell, w->budget, &w->cell, err);
	if (!rc && w->o.max_cell_width) {
		pv_buf_reset(&w->tmp);
		rc = pv_width_truncate(w->cell.data ? w->cell.data : "", w->cell.len,
				       w->o.max_cell_width, &w->tmp, NULL, err);
		pv_buf_reset(&w->cell);
		if (!rc)
			rc = pv_buf_append(&w->cell, w->tmp.data ? w->tmp.data : "", w->tmp.len,
					   err);
	}
	return rc;
}

static pv_acell column_cell(const pv_rows_writer *w, const struct ArrowArray *batch, size_t c,
			    int64_t r)
{
	pv_acell cell = {w->root->children[c], batch->children[c], batch->offset + r};
	return cell;
}

/* The texts of row r into w->vals, w->ends and w->nulls, all of them
 * before any is shown, so that a bad cell leaves no half row behind. */
static int gather(pv_rows_writer *w, const struct ArrowArray *batch, int64_t r, int64_t num,
		  pv_err *err)
{
	pv_buf_reset(&w->vals);
	for (size_t c = 0; c < w->n_cols; c++) {
		bool null;
		int rc = cell_text(w, column_cell(w, batch, c, r), &null, err);
		if (!rc)
			rc = pv_buf_append(&w->vals, w->cell.data ? w->cell.data : "", w->cell.len,
					   err);
		if (rc) {
			pv_err_prefix(err, "row %" PRId64 ": column '%s'", num, col_name(w, c));
			return rc;
		}
		w->nulls[c] = null;
		w->ends[c] = w->vals.len;
	}
	return 0;
}

static const char *val_at(const pv_rows_writer *w, size_t c, size_t *n)
{
	size_t start = c ? w->ends[c - 1] : 0;
	*n = w->ends[c] - start;
	return w->vals.data ? w->vals.data + start : "";
}

static int table_row(pv_rows_writer *w, const struct ArrowArray *batch, int64_t r, int64_t num,
		     pv_err *err)
{
	int rc = gather(w, batch, r, num, err);
	if (!rc && !w->table)
		rc = section_start(w, err);
	if (!rc && w->o.row_numbers)
		rc = pv_table_add_cellf(w->table, err, "%" PRId64, num);
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		size_t n;
		const char *s = val_at(w, c, &n);
		rc = w->nulls[c] ? pv_table_add_null(w->table, err)
				 : pv_table_add_cell(w->table, s, n, err);
	}
	w->table_bytes += w->vals.len;
	if (!rc && (++w->table_rows >= w->o.chunk_rows || w->table_bytes >= SECTION_BYTES))
		rc = section_print(w, err);
	return rc;
}

/* ---- CSV ---- */

/* Whether s[0..n) holds a comma, a quote, CR or LF: eight bytes a step,
 * as long texts are common. */
static bool csv_special(const char *s, size_t n)
{
	size_t k = 0;
	for (; k + 8 <= n; k += 8) {
		uint64_t x = pv_swar_load(s + k);
		if (pv_swar_eq(x, ',') | pv_swar_eq(x, '"') | pv_swar_eq(x, '\r') | pv_swar_eq(x, '\n'))
			return true;
	}
	for (; k < n; k++)
		if (s[k] == ',' || s[k] == '"' || s[k] == '\r' || s[k] == '\n')
			return true;
	return false;
}

/* Appends one RFC 4180 field, quoted when it must be (or when empty, so
 * that an empty string differs from NULL). */
static int csv_field(pv_buf *b, const char *s, size_t n, pv_err *err)
{
	bool quote = n == 0 || csv_special(s, n);
	if (!quote)
		return pv_buf_append(b, s, n, err);
	int rc = pv_buf_putc(b, '"', err);
	size_t run = 0;
	for (size_t k = 0; !rc && k < n; k++)
		if (s[k] == '"') {
			rc = pv_buf_append(b, s + run, k + 1 - run, err);
			if (!rc)
				rc = pv_buf_putc(b, '"', err);
			run = k + 1;
		}
	if (!rc)
		rc = pv_buf_append(b, s + run, n - run, err);
	return rc ? rc : pv_buf_putc(b, '"', err);
}

static int csv_header(pv_rows_writer *w, pv_err *err)
{
	pv_buf_reset(&w->row);
	int rc = w->o.row_numbers ? pv_buf_putc(&w->row, '#', err) : 0;
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		if (c || w->o.row_numbers)
			rc = pv_buf_putc(&w->row, ',', err);
		if (!rc)
			rc = csv_field(&w->row, col_name(w, c), strlen(col_name(w, c)), err);
	}
	if (!rc)
		rc = pv_buf_putc(&w->row, '\n', err);
	if (!rc)
		rc = emit(w, w->row.data, w->row.len, err);
	w->started = true;
	return rc;
}

static int csv_cell(pv_rows_writer *w, pv_acell cell, pv_err *err)
{
	bool null;
	pv_buf_reset(&w->cell);
	int rc = pv_acell_resolve(&cell, &null, err);
	if (rc || null)
		return rc;
	if (pv_atype_nested(cell.t)) {
		pv_json j;
		pv_json_init_buf(&j, &w->cell, false);
		rc = pv_acell_json(&cell, &j, err);
	} else {
		rc = pv_acell_text(&cell, 0, &w->cell, err);
	}
	return rc ? rc : csv_field(&w->row, w->cell.data ? w->cell.data : "", w->cell.len, err);
}

static int csv_row(pv_rows_writer *w, const struct ArrowArray *batch, int64_t r, int64_t num,
		   pv_err *err)
{
	int rc = w->started ? 0 : csv_header(w, err);
	if (rc)
		return rc;
	pv_buf_reset(&w->row);
	char t[PV_DIGITS_MAX];
	if (w->o.row_numbers)
		rc = pv_buf_append(&w->row, t, pv_digits_i64(num, t), err);
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		if (c || w->o.row_numbers)
			rc = pv_buf_putc(&w->row, ',', err);
		if (!rc)
			rc = csv_cell(w, column_cell(w, batch, c, r), err);
		if (rc)
			pv_err_prefix(err, "row %" PRId64 ": column '%s'", num, col_name(w, c));
	}
	if (!rc)
		rc = pv_buf_putc(&w->row, '\n', err);
	return rc ? rc : emit(w, w->row.data, w->row.len, err);
}

/* ---- JSONL and JSON ---- */

static int json_row(pv_rows_writer *w, const struct ArrowArray *batch, int64_t r, int64_t num,
		    pv_err *err)
{
	pv_buf_reset(&w->row);
	int rc = 0;
	if (w->o.format == PV_ROWS_JSON)
		rc = pv_buf_puts(&w->row, w->started ? ",\n" : "[\n", err);
	bool arrays = w->o.format == PV_ROWS_ARRAYS;
	pv_json j;
	pv_json_init_buf(&j, &w->row, false);
	if (arrays)
		pv_json_array_begin(&j);
	else
		pv_json_object_begin(&j);
	if (w->o.row_numbers) {
		if (!arrays)
			pv_json_key(&j, "#");
		pv_json_int(&j, num);
	}
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		if (!arrays)
			pv_json_key(&j, col_name(w, c));
		pv_acell cell = column_cell(w, batch, c, r);
		rc = pv_acell_json(&cell, &j, err);
		if (rc)
			pv_err_prefix(err, "row %" PRId64 ": column '%s'", num, col_name(w, c));
	}
	if (arrays)
		pv_json_array_end(&j);
	else
		pv_json_object_end(&j);
	if (!rc && j.error)
		rc = pv_err_set(err, j.error, "row %" PRId64 ": cannot write json (%s)", num,
				pv_code_name(j.error));
	if (!rc && (w->o.format == PV_ROWS_JSONL || arrays))
		rc = pv_buf_putc(&w->row, '\n', err);
	if (!rc)
		rc = emit(w, w->row.data, w->row.len, err);
	if (!rc)
		w->started = true;
	return rc;
}

/* ---- VERTICAL ---- */

static int dashes(pv_buf *b, size_t n, pv_err *err)
{
	int rc = 0;
	for (size_t k = 0; !rc && k < n; k++)
		rc = pv_buf_putc(b, '-', err);
	return rc;
}

/* A string "NULL", shown as "NULL" in quotes to tell it from a missing
 * value, as tables do. */
static bool is_null_text(const char *s, size_t n)
{
	return n == 4 && memcmp(s, "NULL", 4) == 0;
}

static int vertical_row(pv_rows_writer *w, const struct ArrowArray *batch, int64_t r, int64_t num,
			pv_err *err)
{
	const pv_term *t = &w->o.term;
	int rc = gather(w, batch, r, num, err);
	if (rc)
		return rc;
	/* the rule above the record is as wide as its widest line */
	size_t widest = 0;
	for (size_t c = 0; c < w->n_cols; c++) {
		size_t n;
		const char *s = val_at(w, c, &n);
		size_t vw = w->nulls[c] ? 4 : is_null_text(s, n) ? 6 : pv_width_str(s, n);
		widest = vw > widest ? vw : widest;
	}
	size_t limit = t->width ? t->width : RULE_COLS;
	size_t rule = w->key_width + 3 + widest;
	rule = rule < limit ? rule : limit;
	pv_buf_reset(&w->row);
	rc = pv_buf_printf(&w->row, err, "%s-[ row %" PRId64 " ]", pv_term_dim(t), num);
	size_t head = w->row.len - strlen(pv_term_dim(t));
	if (!rc)
		rc = dashes(&w->row, rule > head ? rule - head : 1, err);
	if (!rc)
		rc = pv_buf_printf(&w->row, err, "%s\n", pv_term_reset(t));
	for (size_t c = 0; !rc && c < w->n_cols; c++) {
		const char *name = col_name(w, c);
		size_t nw = pv_width_str(name, strlen(name)), n;
		const char *s = val_at(w, c, &n);
		rc = pv_width_sanitize(name, strlen(name), &w->row, err);
		for (size_t k = nw; !rc && k < w->key_width; k++)
			rc = pv_buf_putc(&w->row, ' ', err);
		if (!rc)
			rc = pv_buf_puts(&w->row, " | ", err);
		if (rc)
			break;
		if (w->nulls[c])
			rc = pv_buf_printf(&w->row, err, "%sNULL%s", pv_term_dim(t),
					   pv_term_reset(t));
		else if (is_null_text(s, n))
			rc = pv_buf_puts(&w->row, "\"NULL\"", err);
		else
			rc = pv_width_sanitize(s, n, &w->row, err);
		if (!rc)
			rc = pv_buf_putc(&w->row, '\n', err);
	}
	return rc ? rc : emit(w, w->row.data, w->row.len, err);
}

/* ---- the writer ---- */

int pv_rows_writer_write(pv_rows_writer *w, const struct ArrowArray *batch, int64_t first_row,
			 pv_err *err)
{
	if (!w || !batch)
		return pv_err_set(err, PV_EINVAL, "rows writer needs a writer and a batch");
	if (!batch->release)
		return pv_err_set(err, PV_EINVAL, "batch has been released");
	int rc = pv_atype_check(w->root, batch, err);
	if (rc) {
		pv_err_prefix(err, "batch");
		return rc;
	}
	if (first_row < 0 || first_row > INT64_MAX - batch->length)
		return pv_err_set(err, PV_EINVAL, "first row %" PRId64 " out of range", first_row);
	for (int64_t r = 0; !rc && r < batch->length; r++) {
		int64_t num = first_row + r;
		switch (w->o.format) {
		case PV_ROWS_TABLE:
		case PV_ROWS_MARKDOWN:
			rc = table_row(w, batch, r, num, err);
			break;
		case PV_ROWS_CSV:
			rc = csv_row(w, batch, r, num, err);
			break;
		case PV_ROWS_JSONL:
		case PV_ROWS_JSON:
		case PV_ROWS_ARRAYS:
			rc = json_row(w, batch, r, num, err);
			break;
		case PV_ROWS_VERTICAL:
			rc = vertical_row(w, batch, r, num, err);
			break;
		}
	}
	/* the rows before a failing one are written, as they always were */
	pv_err ferr;
	int frc = flush_pend(w, &ferr);
	if (!rc && frc) {
		rc = frc;
		pv_err_copy(err, &ferr);
	}
	return rc;
}

int pv_rows_writer_close(pv_rows_writer *w, pv_err *err)
{
	if (!w)
		return 0;
	int rc = 0;
	if (w->root) {
		if (is_table(w)) {
			/* an empty result still shows its columns */
			if (!w->table && !w->printed)
				rc = section_start(w, err);
			if (!rc && w->table)
				rc = section_print(w, err);
		} else if (w->o.format == PV_ROWS_CSV && !w->started) {
			rc = csv_header(w, err);
		} else if (w->o.format == PV_ROWS_JSON) {
			rc = w->started ? emit(w, "\n]\n", 3, err) : emit(w, "[]\n", 3, err);
		}
		if (!rc)
			rc = flush_pend(w, err);
		if (fflush(w->out) != 0 && !rc)
			rc = pv_err_set(err, PV_EIO, "cannot write output: %s", strerror(errno));
	}
	pv_table_free(w->table);
	pv_arena_release(&w->arena);
	pv_buf_release(&w->row);
	pv_buf_release(&w->cell);
	pv_buf_release(&w->tmp);
	pv_buf_release(&w->vals);
	pv_buf_release(&w->pend);
	free(w->ends);
	free(w->nulls);
	free(w);
	return rc;
}
