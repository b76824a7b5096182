/*
 * table.c - building, fitting and printing tables.
 * Includes only base, format and render.
 */
#include "render/table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/checked.h"
#include "base/swar.h"
#include "render/cell.h"
#include "render/width.h"
#include "base/banned.h"

#define MIN_KEEP 8 /* columns shrink to this before columns are dropped */

typedef struct tcell {
	const char *s; /* sanitized text, NUL-terminated, in the arena */
	size_t len;
	size_t width;
	bool null;
} tcell;

typedef struct tcol {
	tcell head;
	pv_align align;
} tcol;

struct pv_table {
	pv_arena arena;
	tcol *cols;
	size_t n_cols, alloc_cols;
	tcell *cells; /* row-major */
	size_t n_cells, alloc_cells;
};

void pv_table_style_for(pv_table_style *s, const pv_term *t)
{
	s->border = !t->is_tty ? PV_BORDER_PLAIN : t->utf8 ? PV_BORDER_BOX : PV_BORDER_ASCII;
	s->max_width = t->width;
	s->color = t->color;
}

int pv_table_new(pv_table **out, pv_err *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return pv_err_set(err, PV_ENOMEM, "out of memory creating a table");
	pv_arena_init(&(*out)->arena, 0);
	return 0;
}

void pv_table_free(pv_table *t)
{
	if (!t)
		return;
	pv_arena_release(&t->arena);
	free(t->cols);
	free(t->cells);
	free(t);
}

/* Doubles *v (of *alloc elements of size) to hold one more. */
static int grow(void **v, size_t *alloc, size_t n, size_t size, pv_err *err)
{
	if (n < *alloc)
		return 0;
	size_t na = *alloc ? *alloc * 2 : 16, bytes;
	if (!pv_mul_size(na, size, &bytes))
		return pv_err_set(err, PV_ELIMIT, "table too large");
	void *p = realloc(*v, bytes);
	if (!p)
		return pv_err_set(err, PV_ENOMEM, "out of memory growing a table");
	*v = p;
	*alloc = na;
	return 0;
}

/* Sanitizes s into the arena and measures it. */
static int make_cell(pv_table *t, const char *s, size_t n, tcell *c, pv_err *err)
{
	/* printable ASCII is its own sanitized form, one column a byte */
	size_t k = 0;
	while (k + 8 <= n && !pv_swar_unprintable(pv_swar_load(s + k)))
		k += 8;
	while (k < n && (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f)
		k++;
	if (k == n) {
		c->s = pv_arena_strndup(&t->arena, s, n, err);
		c->len = c->width = n;
		c->null = false;
		return c->s ? 0 : (err ? err->code : PV_ENOMEM);
	}
	pv_buf b;
	pv_buf_init(&b, 0);
	int rc = pv_width_sanitize(s, n, &b, err);
	if (rc) {
		pv_buf_release(&b);
		return rc;
	}
	c->s = pv_arena_strndup(&t->arena, b.data, b.len, err);
	c->len = b.len;
	c->width = pv_width_str(b.data, b.len);
	c->null = false;
	pv_buf_release(&b);
	return c->s ? 0 : (err ? err->code : PV_ENOMEM);
}

int pv_table_add_column(pv_table *t, const char *header, pv_align align, pv_err *err)
{
	if (t->n_cells)
		return pv_err_set(err, PV_EINVAL, "columns must be added before cells");
	int rc = grow((void **)&t->cols, &t->alloc_cols, t->n_cols, sizeof *t->cols, err);
	if (rc)
		return rc;
	tcol *c = &t->cols[t->n_cols];
	c->align = align;
	rc = make_cell(t, header ? header : "", header ? strlen(header) : 0, &c->head, err);
	if (!rc)
		t->n_cols++;
	return rc;
}

int pv_table_add_cell(pv_table *t, const char *s, size_t n, pv_err *err)
{
	if (!t->n_cols)
		return pv_err_set(err, PV_EINVAL, "table has no columns");
	int rc = grow((void **)&t->cells, &t->alloc_cells, t->n_cells, sizeof *t->cells, err);
	if (rc)
		return rc;
	tcell *c = &t->cells[t->n_cells];
	if (!s) {
		*c = (tcell){ "NULL", 4, 4, true };
	} else if (n == 4 && memcmp(s, "NULL", 4) == 0) {
		/* the string, told apart from the missing value */
		*c = (tcell){ "\"NULL\"", 6, 6, false };
	} else if ((rc = make_cell(t, s, n, c, err))) {
		return rc;
	}
	t->n_cells++;
	return 0;
}

int pv_table_add_null(pv_table *t, pv_err *err)
{
	return pv_table_add_cell(t, NULL, 0, err);
}

int pv_table_add_cellf(pv_table *t, pv_err *err, const char *fmt, ...)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	int rc = pv_buf_vprintf(&b, err, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = pv_table_add_cell(t, b.data ? b.data : "", b.len, err);
	pv_buf_release(&b);
	return rc;
}

int pv_table_add_value(pv_table *t, const pv_value *v, pv_err *err)
{
	if (v->kind == PV_VAL_NULL)
		return pv_table_add_null(t, err);
	pv_buf b;
	pv_buf_init(&b, 0);
	int rc = pv_cell_text(v, &b, err);
	if (!rc)
		rc = pv_table_add_cell(t, b.data ? b.data : "", b.len, err);
	pv_buf_release(&b);
	return rc;
}

int pv_table_end_row(pv_table *t, pv_err *err)
{
	int rc = 0;
	while (!rc && t->n_cols && t->n_cells % t->n_cols)
		rc = pv_table_add_cell(t, "", 0, err);
	return rc;
}

size_t pv_table_n_rows(const pv_table *t)
{
	return t->n_cols ? (t->n_cells + t->n_cols - 1) / t->n_cols : 0;
}

size_t pv_table_n_columns(const pv_table *t)
{
	return t->n_cols;
}

/* ---- layout ---- */

typedef struct glyphs {
	const char *h;                /* horizontal rule */
	const char *v;                /* vertical */
	const char *tl, *tm, *tr;     /* top: left, middle, right */
	const char *ml, *mm, *mr;     /* under the header */
	const char *bl, *bm, *br;     /* bottom */
} glyphs;

static const glyphs box = { "─", "│", "┌", "┬", "┐", "├", "┼", "┤", "└", "┴", "┘" };
static const glyphs ascii = { "-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+" };

/* Columns a line takes beyond its cells, for k columns. */
static size_t overhead(pv_table_border b, size_t k)
{
	if (k == 0)
		return 0;
	if (b == PV_BORDER_PLAIN)
		return 2 * (k - 1);
	return 3 * k + 1;
}

/* Markdown display width: every '|' gains a backslash. */
static size_t md_width(const tcell *c)
{
	size_t w = c->width;
	for (size_t i = 0; i < c->len; i++)
		w += c->s[i] == '|';
	return w;
}

static size_t cell_width(const tcell *c, bool md)
{
	return md ? md_width(c) : c->width;
}

/* Sum of max(lo_i, min(nat_i, cap)). */
static size_t fill_sum(const size_t *nat, const size_t *lo, size_t k, size_t cap)
{
	size_t s = 0;
	for (size_t i = 0; i < k; i++) {
		size_t x = nat[i] < cap ? nat[i] : cap;
		s += x > lo[i] ? x : lo[i];
	}
	return s;
}

/* Chooses how many columns to show (*n_show; *marker when some are
 * dropped) and their widths w[], given natural widths nat[]. */
static void fit(const size_t *nat, size_t n, pv_table_border b, size_t max_width, size_t *w,
                size_t *n_show, bool *marker)
{
	*n_show = n;
	*marker = false;
	memcpy(w, nat, n * sizeof *w);
	if (max_width == 0 || b == PV_BORDER_MARKDOWN)
		return;
	size_t total = overhead(b, n);
	for (size_t i = 0; i < n; i++)
		total += nat[i];
	if (total <= max_width)
		return;

	/* Columns shrink down to MIN_KEEP before any is dropped; past that, a
	 * few readable columns beat many columns of "a…". */
	size_t keep = 0;
	for (size_t i = 0; i < n; i++)
		keep += nat[i] < MIN_KEEP ? nat[i] : MIN_KEEP;
	size_t k = n;
	if (overhead(b, n) + keep > max_width) {
		*marker = true;
		while (k > 1) {
			k--;
			keep -= nat[k] < MIN_KEEP ? nat[k] : MIN_KEEP;
			if (overhead(b, k + 1) + keep + 1 <= max_width)
				break;
		}
	}
	/* one column and a "…" column of width 1 each would not fit: show the
	 * one column alone */
	if (k == 1 && *marker && overhead(b, 2) + 2 > max_width)
		*marker = false;
	*n_show = k;
	size_t used = overhead(b, k + *marker) + *marker;
	size_t avail = max_width > used ? max_width - used : 0;

	size_t *lo = malloc(k * sizeof *lo);
	if (!lo)
		return; /* printing unfitted beats failing */
	for (size_t i = 0; i < k; i++)
		lo[i] = nat[i] ? 1 : 0;
	/* the largest cap that fits: the widest columns shrink first */
	size_t hi = 0;
	for (size_t i = 0; i < k; i++)
		hi = nat[i] > hi ? nat[i] : hi;
	size_t cap = 0;
	while (cap < hi) {
		size_t mid = cap + (hi - cap + 1) / 2;
		if (fill_sum(nat, lo, k, mid) <= avail)
			cap = mid;
		else
			hi = mid - 1;
	}
	size_t sum = 0;
	for (size_t i = 0; i < k; i++) {
		size_t x = nat[i] < cap ? nat[i] : cap;
		w[i] = x > lo[i] ? x : lo[i];
		sum += w[i];
	}
	/* hand out what is left, one column each, left to right */
	for (size_t i = 0; i < k && sum < avail; i++)
		if (w[i] < nat[i]) {
			w[i]++;
			sum++;
		}
	free(lo);
}

/* ---- output ---- */

typedef struct printer {
	pv_buf line;
	const pv_table_style *st;
	const glyphs *g;
	bool md;
	int rc;
	pv_err *err;
} printer;

static void put(printer *p, const char *s)
{
	if (!p->rc)
		p->rc = pv_buf_puts(&p->line, s, p->err);
}

static void put_n(printer *p, const char *s, size_t n)
{
	if (!p->rc)
		p->rc = pv_buf_append(&p->line, s, n, p->err);
}

static void spaces(printer *p, size_t n)
{
	for (size_t i = 0; i < n && !p->rc; i++)
		p->rc = pv_buf_putc(&p->line, ' ', p->err);
}

/* One cell's text cut to w columns, aligned, styled; pad false for the
 * last column of a borderless line (no trailing blanks). */
static void put_cell(printer *p, const tcell *c, size_t w, pv_align align, bool head, bool pad)
{
	const char *on = "";
	if (p->st->color && head)
		on = "\033[1m";
	else if (p->st->color && c->null)
		on = "\033[2m";
	if (!p->md && c->width <= w) {
		/* the common case: the cell's text is sanitized already (which
		 * sanitizing again would not change) and fits */
		size_t gap = w - c->width;
		if (align == PV_ALIGN_RIGHT)
			spaces(p, gap);
		put(p, on);
		put_n(p, c->s, c->len);
		if (*on)
			put(p, "\033[0m");
		if (align == PV_ALIGN_LEFT && pad)
			spaces(p, gap);
		return;
	}
	pv_buf tmp;
	pv_buf_init(&tmp, 0);
	const char *s = c->s;
	size_t len = c->len;
	if (p->md) {
		/* escape '|' so the cell stays one cell */
		for (size_t i = 0; i < c->len && !p->rc; i++)
			p->rc = c->s[i] == '|' ? pv_buf_append(&tmp, "\\|", 2, p->err)
			                       : pv_buf_putc(&tmp, c->s[i], p->err);
		if (tmp.data) {
			s = tmp.data;
			len = tmp.len;
		}
	}
	size_t cols = 0;
	pv_buf cut;
	pv_buf_init(&cut, 0);
	if (!p->rc)
		p->rc = pv_width_truncate(s, len, w, &cut, &cols, p->err);
	size_t gap = w > cols ? w - cols : 0;
	if (align == PV_ALIGN_RIGHT)
		spaces(p, gap);
	put(p, on);
	if (cut.data)
		put_n(p, cut.data, cut.len);
	if (*on)
		put(p, "\033[0m");
	if (align == PV_ALIGN_LEFT && pad)
		spaces(p, gap);
	pv_buf_release(&cut);
	pv_buf_release(&tmp);
}

static void rule(printer *p, const size_t *w, size_t k, const char *l, const char *m,
                 const char *r)
{
	if (p->st->color)
		put(p, "\033[2m");
	put(p, l);
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < w[i] + 2; j++)
			put(p, p->g->h);
		put(p, i + 1 < k ? m : r);
	}
	if (p->st->color)
		put(p, "\033[0m");
}

static void vbar(printer *p, const char *s)
{
	if (p->st->color)
		put(p, "\033[2m");
	put(p, s);
	if (p->st->color)
		put(p, "\033[0m");
}

/* One row of cells (the header when head); cells[i] for the shown columns,
 * plus the "…" column when marker. */
static void row(printer *p, const pv_table *t, const tcell *cells, const size_t *w, size_t k,
                bool marker, bool head)
{
	static const tcell dots = { "\xe2\x80\xa6", 3, 1, false };
	size_t n = k + marker;
	bool plain = p->st->border == PV_BORDER_PLAIN;
	if (!plain)
		vbar(p, p->md ? "|" : p->g->v);
	for (size_t i = 0; i < n; i++) {
		const tcell *c = i < k ? &cells[i] : &dots;
		pv_align a = i < k ? t->cols[i].align : PV_ALIGN_LEFT;
		if (!plain)
			put(p, " ");
		put_cell(p, c, w[i], a, head, !plain || i + 1 < n);
		if (plain) {
			if (i + 1 < n)
				put(p, "  ");
		} else {
			put(p, " ");
			vbar(p, p->md ? "|" : p->g->v);
		}
	}
}

static void md_align_row(printer *p, const pv_table *t, const size_t *w, size_t k)
{
	put(p, "|");
	for (size_t i = 0; i < k; i++) {
		bool right = t->cols[i].align == PV_ALIGN_RIGHT;
		put(p, " ");
		for (size_t j = 0; j + (right ? 1 : 0) < w[i]; j++)
			put(p, "-");
		if (right)
			put(p, ":");
		put(p, " |");
	}
}

static int flush_line(printer *p, FILE *out)
{
	if (p->rc)
		return p->rc;
	if (pv_buf_putc(&p->line, '\n', p->err))
		return p->rc = p->err ? p->err->code : PV_ENOMEM;
	if (fwrite(p->line.data, 1, p->line.len, out) != p->line.len)
		return p->rc = pv_err_set(p->err, PV_EIO, "cannot write output: %s", strerror(errno));
	pv_buf_reset(&p->line);
	return 0;
}

int pv_table_print(pv_table *t, FILE *out, const pv_table_style *style, pv_err *err)
{
	pv_err local;
	if (!err)
		err = &local;
	int rc = pv_table_end_row(t, err);
	if (rc || t->n_cols == 0)
		return rc;
	size_t n = t->n_cols, n_rows = pv_table_n_rows(t);
	bool md = style->border == PV_BORDER_MARKDOWN;
	size_t *nat = calloc(n + 1, sizeof *nat), *w = calloc(n + 1, sizeof *w);
	if (!nat || !w) {
		free(nat);
		free(w);
		return pv_err_set(err, PV_ENOMEM, "out of memory printing a table");
	}
	for (size_t i = 0; i < n; i++) {
		nat[i] = cell_width(&t->cols[i].head, md);
		/* markdown wants at least "---" under each header */
		if (md && nat[i] < 3)
			nat[i] = 3;
	}
	for (size_t r = 0; r < n_rows; r++)
		for (size_t i = 0; i < n; i++) {
			size_t cw = cell_width(&t->cells[r * n + i], md);
			nat[i] = cw > nat[i] ? cw : nat[i];
		}
	size_t k;
	bool marker;
	fit(nat, n, style->border, style->max_width, w, &k, &marker);
	if (marker)
		w[k] = 1;

	tcell *heads = malloc(n * sizeof *heads);
	if (!heads) {
		free(nat);
		free(w);
		return pv_err_set(err, PV_ENOMEM, "out of memory printing a table");
	}
	for (size_t i = 0; i < n; i++)
		heads[i] = t->cols[i].head;

	printer p = { .st = style, .g = style->border == PV_BORDER_BOX ? &box : &ascii, .md = md,
	              .err = err };
	pv_buf_init(&p.line, 0);
	bool framed = style->border == PV_BORDER_BOX || style->border == PV_BORDER_ASCII;
	if (framed) {
		rule(&p, w, k + marker, p.g->tl, p.g->tm, p.g->tr);
		flush_line(&p, out);
	}
	row(&p, t, heads, w, k, marker, true);
	flush_line(&p, out);
	if (framed) {
		rule(&p, w, k + marker, p.g->ml, p.g->mm, p.g->mr);
		flush_line(&p, out);
	} else if (md) {
		md_align_row(&p, t, w, k);
		flush_line(&p, out);
	}
	for (size_t r = 0; r < n_rows && !p.rc; r++) {
		row(&p, t, &t->cells[r * n], w, k, marker, false);
		flush_line(&p, out);
	}
	if (framed) {
		rule(&p, w, k + marker, p.g->bl, p.g->bm, p.g->br);
		flush_line(&p, out);
	}
	rc = p.rc;
	pv_buf_release(&p.line);
	free(heads);
	free(nat);
	free(w);
	return rc;
}

int pv_table_print_kv(FILE *out, const char *const *keys, const char *const *values, size_t n,
                      const pv_table_style *style, pv_err *err)
{
	pv_err local;
	if (!err)
		err = &local;
	size_t kw = 0;
	for (size_t i = 0; i < n; i++) {
		size_t w = pv_width_str(keys[i], strlen(keys[i]));
		kw = w > kw ? w : kw;
	}
	pv_buf line;
	pv_buf_init(&line, 0);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		pv_buf_reset(&line);
		size_t cols = 0;
		rc = pv_width_sanitize(keys[i], strlen(keys[i]), &line, err);
		if (!rc)
			rc = pv_buf_putc(&line, ':', err);
		size_t pad = kw - pv_width_str(keys[i], strlen(keys[i])) + 1;
		for (size_t j = 0; j < pad && !rc; j++)
			rc = pv_buf_putc(&line, ' ', err);
		size_t room = 0; /* unlimited */
		if (style->max_width)
			room = style->max_width > kw + 2 ? style->max_width - kw - 2 : 1;
		bool null = values[i] == NULL;
		const char *v = null ? "NULL" : values[i];
		if (!rc && null && style->color)
			rc = pv_buf_puts(&line, "\033[2m", err);
		if (!rc)
			rc = room ? pv_width_truncate(v, strlen(v), room, &line, &cols, err)
			          : pv_width_sanitize(v, strlen(v), &line, err);
		if (!rc && null && style->color)
			rc = pv_buf_puts(&line, "\033[0m", err);
		if (!rc)
			rc = pv_buf_putc(&line, '\n', err);
		if (!rc && fwrite(line.data, 1, line.len, out) != line.len)
			rc = pv_err_set(err, PV_EIO, "cannot write output: %s", strerror(errno));
	}
	pv_buf_release(&line);
	return rc;
}
