/*
 * test_table.c - unit tests for the terminal basics of the render layer:
 * display widths, sanitizing, truncation, table styles and fitting, NULL
 * display, markdown escaping, key/value lists and terminal detection.
 */
#include "testutil.h"

#include "base/buf.h"
#include "render/table.h"
#include "render/term.h"
#include "render/width.h"

static size_t w(const char *s)
{
	return pv_width_str(s, strlen(s));
}

static const char *sanitized(const char *s, size_t n)
{
	static char out[256];
	pv_buf b;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_width_sanitize(s, n, &b, NULL), 0);
	snprintf(out, sizeof out, "%s", b.data);
	pv_buf_release(&b);
	return out;
}

static const char *cut(const char *s, size_t max, size_t *cols)
{
	static char out[256];
	pv_buf b;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_width_truncate(s, strlen(s), max, &b, cols, NULL), 0);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	pv_buf_release(&b);
	return out;
}

static void test_widths(void **state)
{
	assert_int_equal(w(""), 0);
	assert_int_equal(w("abc"), 3);
	assert_int_equal(w("日本語"), 6);
	assert_int_equal(w("한국어"), 6);
	assert_int_equal(w("👍"), 2);
	assert_int_equal(w("🦀"), 2);
	assert_int_equal(w("e\xcc\x81"), 1);           /* e + combining acute */
	assert_int_equal(w("\xc3\xa9"), 1);            /* precomposed é */
	assert_int_equal(w("Ａ"), 2);                  /* fullwidth A */
	assert_int_equal(w("ｱ"), 1);                   /* halfwidth katakana */
	assert_int_equal(w("\xe2\x80\x8d"), 0);        /* zero-width joiner */
	assert_int_equal(w("\xef\xb8\x8f"), 0);        /* variation selector 16 */
	assert_int_equal(w("\xe2\x80\x8b"), 0);        /* zero-width space */
	assert_int_equal(w("a\nb"), 4);                /* a \n b */
	assert_int_equal(w("\x01"), 4);                /* \x01 */
	assert_int_equal(w("\xff"), 4);                /* \xff */
	assert_int_equal(w("\xe6\x97"), 8);            /* a cut sequence: two bad bytes */
	assert_int_equal(w("\xe2\x80\xae"), 6);        /* RLO: \u202e */
	assert_int_equal(w("\xc0\xaf"), 8);            /* overlong '/' */
	assert_int_equal(w("\xed\xa0\x80"), 12);       /* a surrogate */
	assert_int_equal(pv_width_cp(0x4e00), 2);
	assert_int_equal(pv_width_cp(0x20000), 2);
	assert_int_equal(pv_width_cp(0x0301), 0);
	assert_int_equal(pv_width_cp(0x1f600), 2);
	assert_int_equal(pv_width_cp('\t'), -1);
	assert_int_equal(pv_width_cp(0x85), -1);
	assert_int_equal(pv_width_cp(0x10ffff), 1);
}

static void test_sanitize(void **state)
{
	assert_string_equal(sanitized("a\nb\tc\r", 6), "a\\nb\\tc\\r");
	assert_string_equal(sanitized("\x01\x1b[31m\x7f", 7), "\\x01\\x1b[31m\\x7f");
	assert_string_equal(sanitized("x\xffy", 3), "x\\xffy");
	assert_string_equal(sanitized("\xc2\x85", 2), "\\u0085");
	assert_string_equal(sanitized("ab\xe2\x80\xae" "cd", 7), "ab\\u202ecd");
	assert_string_equal(sanitized("日本語 é", 12), "日本語 é");
	assert_string_equal(sanitized("a\0b", 3), "a\\x00b");
	assert_string_equal(sanitized("", 0), "");
	/* sanitizing is idempotent, so widths of sanitized text agree */
	const char *once = sanitized("\x01\n\xff", 3);
	char copy[64];
	snprintf(copy, sizeof copy, "%s", once);
	assert_string_equal(sanitized(copy, strlen(copy)), copy);
	assert_int_equal(w(copy), w("\x01\n\xff"));

	pv_buf b;
	pv_buf_init(&b, 8);
	pv_err e;
	assert_int_equal(pv_width_sanitize("\x01\x01\x01", 3, &b, &e), PV_ELIMIT);
	pv_buf_release(&b);
}

static void test_truncate(void **state)
{
	size_t cols;
	assert_string_equal(cut("abcdef", 10, &cols), "abcdef");
	assert_int_equal(cols, 6);
	assert_string_equal(cut("abcdef", 6, &cols), "abcdef");
	assert_string_equal(cut("abcdef", 4, &cols), "abc…");
	assert_int_equal(cols, 4);
	assert_string_equal(cut("abcdef", 1, &cols), "…");
	assert_int_equal(cols, 1);
	assert_string_equal(cut("abcdef", 0, &cols), "");
	assert_int_equal(cols, 0);
	/* wide characters are never split across the limit */
	assert_string_equal(cut("日本語", 6, &cols), "日本語");
	assert_string_equal(cut("日本語", 5, &cols), "日本…");
	assert_int_equal(cols, 5);
	assert_string_equal(cut("日本語", 4, &cols), "日…");
	assert_int_equal(cols, 3);
	assert_string_equal(cut("👍👍👍", 4, &cols), "👍…");
	/* combining marks stay with their base */
	assert_string_equal(cut("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, &cols), "e\xcc\x81…");
	assert_int_equal(cols, 2);
	/* escapes are units too */
	assert_string_equal(cut("a\nbcd", 3, &cols), "a…");
	assert_string_equal(cut("a\nbcd", 4, &cols), "a\\n…");
	/* every cut of a mixed string is valid UTF-8 within the limit */
	const char *mixed = "a日\xcc\x81👍\x01é\xffz語";
	for (size_t max = 0; max < 30; max++) {
		const char *s = cut(mixed, max, &cols);
		assert_true(cols <= max);
		assert_int_equal(w(s), cols);
		assert_string_equal(sanitized(s, strlen(s)), s); /* nothing invalid left */
	}
}

/* Prints t with style into a string (static). */
static const char *render(pv_table *t, const pv_table_style *st)
{
	static char out[16384];
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	pv_err e;
	assert_int_equal(pv_table_print(t, fp, st, &e), 0);
	fclose(fp);
	snprintf(out, sizeof out, "%s", buf);
	free(buf);
	return out;
}

/* Display width of the widest line of s, ANSI color sequences skipped. */
static size_t widest_line(const char *s)
{
	size_t best = 0;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char line[4096];
		size_t k = 0;
		for (size_t i = 0; i < n && k < sizeof line - 1; i++) {
			if (s[i] == '\033') {
				while (i < n && s[i] != 'm')
					i++;
				continue;
			}
			line[k++] = s[i];
		}
		size_t lw = pv_width_str(line, k);
		best = lw > best ? lw : best;
		s += n + (e != NULL);
	}
	return best;
}

static pv_table *sample(void)
{
	pv_table *t;
	pv_err e;
	assert_int_equal(pv_table_new(&t, &e), 0);
	assert_int_equal(pv_table_add_column(t, "id", PV_ALIGN_RIGHT, &e), 0);
	assert_int_equal(pv_table_add_column(t, "name", PV_ALIGN_LEFT, &e), 0);
	assert_int_equal(pv_table_add_column(t, "note", PV_ALIGN_LEFT, &e), 0);
	pv_table_add_cellf(t, &e, "%d", 1);
	pv_table_add_cell(t, "日本語", strlen("日本語"), &e);
	pv_table_add_null(t, &e);
	pv_table_add_cellf(t, &e, "%d", 22);
	pv_table_add_cell(t, "NULL", 4, &e);
	pv_table_add_cell(t, "a|b", 3, &e);
	return t;
}

static void test_table_styles(void **state)
{
	pv_table *t = sample();
	assert_int_equal(pv_table_n_rows(t), 2);
	assert_int_equal(pv_table_n_columns(t), 3);

	pv_table_style box = { PV_BORDER_BOX, 0, false };
	assert_string_equal(render(t, &box),
	                    "┌────┬────────┬──────┐\n"
	                    "│ id │ name   │ note │\n"
	                    "├────┼────────┼──────┤\n"
	                    "│  1 │ 日本語 │ NULL │\n"
	                    "│ 22 │ \"NULL\" │ a|b  │\n"
	                    "└────┴────────┴──────┘\n");
	pv_table_style ascii = { PV_BORDER_ASCII, 0, false };
	assert_string_equal(render(t, &ascii),
	                    "+----+--------+------+\n"
	                    "| id | name   | note |\n"
	                    "+----+--------+------+\n"
	                    "|  1 | 日本語 | NULL |\n"
	                    "| 22 | \"NULL\" | a|b  |\n"
	                    "+----+--------+------+\n");
	pv_table_style plain = { PV_BORDER_PLAIN, 0, false };
	assert_string_equal(render(t, &plain),
	                    "id  name    note\n"
	                    " 1  日本語  NULL\n"
	                    "22  \"NULL\"  a|b\n");
	pv_table_style md = { PV_BORDER_MARKDOWN, 10, false }; /* no fitting for markdown */
	assert_string_equal(render(t, &md),
	                    "|  id | name   | note |\n"
	                    "| --: | ------ | ---- |\n"
	                    "|   1 | 日本語 | NULL |\n"
	                    "|  22 | \"NULL\" | a\\|b |\n");

	/* color: bold header, dim NULL; the string "NULL" is not dimmed */
	pv_table_style color = { PV_BORDER_PLAIN, 0, true };
	const char *c = render(t, &color);
	assert_non_null(strstr(c, "\033[1mid\033[0m"));
	assert_non_null(strstr(c, "\033[2mNULL\033[0m"));
	assert_null(strstr(c, "\033[2m\"NULL\""));
	pv_table_free(t);
	pv_table_free(NULL);
}

static void test_table_md_align(void **state)
{
	/* the alignment row under a short right-aligned header */
	pv_table *t;
	pv_err e;
	assert_int_equal(pv_table_new(&t, &e), 0);
	pv_table_add_column(t, "n", PV_ALIGN_RIGHT, &e);
	pv_table_add_column(t, "s", PV_ALIGN_LEFT, &e);
	pv_table_add_cell(t, "7", 1, &e);
	pv_table_add_cell(t, "x\ny", 3, &e);
	pv_table_style md = { PV_BORDER_MARKDOWN, 0, false };
	assert_string_equal(render(t, &md),
	                    "|   n | s    |\n"
	                    "| --: | ---- |\n"
	                    "|   7 | x\\ny |\n");
	pv_table_free(t);
}

static void test_table_fit(void **state)
{
	pv_table *t;
	pv_err e;
	assert_int_equal(pv_table_new(&t, &e), 0);
	pv_table_add_column(t, "id", PV_ALIGN_RIGHT, &e);
	pv_table_add_column(t, "description", PV_ALIGN_LEFT, &e);
	pv_table_add_column(t, "城市", PV_ALIGN_LEFT, &e);
	pv_table_add_column(t, "v", PV_ALIGN_RIGHT, &e);
	for (int i = 0; i < 5; i++) {
		pv_table_add_cellf(t, &e, "%d", i);
		pv_table_add_cellf(t, &e, "a rather long description number %d with more words", i);
		pv_table_add_cell(t, "東京都千代田区丸の内一丁目", strlen("東京都千代田区丸の内一丁目"), &e);
		pv_table_add_cellf(t, &e, "%d", i * 1000);
	}
	for (int border = PV_BORDER_BOX; border <= PV_BORDER_PLAIN; border++) {
		for (size_t max = 20; max <= 120; max += 5) {
			pv_table_style st = { (pv_table_border)border, max, border == PV_BORDER_BOX };
			const char *out = render(t, &st);
			if (widest_line(out) > max)
				fail_msg("border %d max %zu: line of %zu columns\n%s", border, max,
				         widest_line(out), out);
		}
	}
	pv_table_style st = { PV_BORDER_BOX, 40, false };
	const char *out = render(t, &st);
	assert_int_equal(widest_line(out), 40);
	assert_non_null(strstr(out, "…"));
	/* the short columns keep their width: the long ones shrank */
	assert_non_null(strstr(out, "│ id │"));
	assert_non_null(strstr(out, "│ 4000 │"));
	/* unlimited: nothing cut */
	st.max_width = 0;
	assert_null(strstr(render(t, &st), "…"));
	pv_table_free(t);
}

static void test_table_many_columns(void **state)
{
	pv_table *t;
	pv_err e;
	assert_int_equal(pv_table_new(&t, &e), 0);
	for (int i = 0; i < 20; i++) {
		char h[32];
		snprintf(h, sizeof h, "column_%d", i);
		assert_int_equal(pv_table_add_column(t, h, PV_ALIGN_LEFT, &e), 0);
	}
	for (int i = 0; i < 20; i++)
		pv_table_add_cellf(t, &e, "value %d", i);
	pv_table_add_cell(t, "short row", 9, &e); /* the second row is padded */
	pv_table_style st = { PV_BORDER_BOX, 40, false };
	const char *out = render(t, &st);
	assert_true(widest_line(out) <= 40);
	/* dropped columns are announced by a "…" column */
	assert_non_null(strstr(out, "│ … │"));
	assert_non_null(strstr(out, "column_0"));
	assert_null(strstr(out, "column_19"));
	for (size_t max = 5; max <= 200; max += 1) {
		st.max_width = max;
		assert_true(widest_line(render(t, &st)) <= max);
	}
	/* columns cannot be added once cells exist */
	assert_int_equal(pv_table_add_column(t, "late", PV_ALIGN_LEFT, &e), PV_EINVAL);
	pv_table_free(t);

	/* cells without columns; an empty table prints nothing */
	assert_int_equal(pv_table_new(&t, &e), 0);
	assert_int_equal(pv_table_add_cell(t, "x", 1, &e), PV_EINVAL);
	assert_string_equal(render(t, &st), "");
	pv_table_free(t);
}

static void test_table_hostile_cells(void **state)
{
	pv_table *t;
	pv_err e;
	assert_int_equal(pv_table_new(&t, &e), 0);
	pv_table_add_column(t, "he\x1b[2Jader", PV_ALIGN_LEFT, &e);
	pv_table_add_cell(t, "line1\nline2\r\x07\xff", 14, &e);
	pv_table_style st = { PV_BORDER_PLAIN, 0, false };
	const char *out = render(t, &st);
	assert_string_equal(out, "he\\x1b[2Jader\nline1\\nline2\\r\\x07\\xff\n");
	pv_value v = { .kind = PV_VAL_INT, .i = -5 };
	pv_value n = { .kind = PV_VAL_NULL };
	assert_int_equal(pv_table_add_value(t, &v, &e), 0);
	assert_int_equal(pv_table_add_value(t, &n, &e), 0);
	assert_string_equal(render(t, &st), "he\\x1b[2Jader\nline1\\nline2\\r\\x07\\xff\n-5\nNULL\n");
	pv_table_free(t);
}

static void test_kv(void **state)
{
	const char *keys[] = { "rows", "compression", "created by" };
	const char *vals[] = { "1,000", "ZSTD", NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	pv_table_style st = { PV_BORDER_PLAIN, 0, false };
	assert_int_equal(pv_table_print_kv(fp, keys, vals, 3, &st, NULL), 0);
	fclose(fp);
	assert_string_equal(buf, "rows:        1,000\n"
	                         "compression: ZSTD\n"
	                         "created by:  NULL\n");
	free(buf);

	const char *k2[] = { "v" };
	const char *v2[] = { "a value that is much too long" };
	fp = open_memstream(&buf, &len);
	st.max_width = 10;
	assert_int_equal(pv_table_print_kv(fp, k2, v2, 1, &st, NULL), 0);
	fclose(fp);
	assert_string_equal(buf, "v: a valu…\n");
	free(buf);
}

static void test_term(void **state)
{
	pv_term t;
	pv_term_env env = { .is_tty = true, .tty_cols = 120, .term = "xterm-256color",
		            .lang = "en_US.UTF-8" };
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_true(t.is_tty);
	assert_true(t.color);
	assert_true(t.utf8);
	assert_int_equal(t.width, 120);
	assert_string_equal(pv_term_bold(&t), "\033[1m");
	assert_string_equal(pv_term_reset(&t), "\033[0m");

	env.no_color = "1";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_false(t.color);
	assert_string_equal(pv_term_bold(&t), "");
	assert_string_equal(pv_term_red(&t), "");
	pv_term_decide(&t, &env, PV_COLOR_ALWAYS);
	assert_true(t.color);
	env.no_color = ""; /* empty NO_COLOR does not count */
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_true(t.color);
	pv_term_decide(&t, &env, PV_COLOR_NEVER);
	assert_false(t.color);
	env.term = "dumb";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_false(t.color);

	/* width: the terminal's, else $COLUMNS, else 80; piped is unlimited */
	env.tty_cols = 0;
	env.columns = "100";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_int_equal(t.width, 100);
	env.columns = "abc";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_int_equal(t.width, 80);
	env.is_tty = false;
	env.columns = "100";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_int_equal(t.width, 0);
	assert_false(t.color);
	pv_term_decide(&t, &env, PV_COLOR_ALWAYS);
	assert_true(t.color);

	/* locale: the first set of LC_ALL, LC_CTYPE, LANG */
	env.lc_all = "C";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_false(t.utf8);
	env.lc_all = NULL;
	env.lc_ctype = "de_DE.utf8";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	assert_true(t.utf8);

	pv_table_style st;
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	pv_table_style_for(&st, &t);
	assert_int_equal(st.border, PV_BORDER_PLAIN);
	env.is_tty = true;
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	pv_table_style_for(&st, &t);
	assert_int_equal(st.border, PV_BORDER_BOX);
	assert_int_equal(st.max_width, 100);
	env.lc_ctype = "C";
	pv_term_decide(&t, &env, PV_COLOR_AUTO);
	pv_table_style_for(&st, &t);
	assert_int_equal(st.border, PV_BORDER_ASCII);

	pv_color_mode m;
	pv_err e;
	assert_int_equal(pv_color_mode_parse("always", &m, &e), 0);
	assert_int_equal(m, PV_COLOR_ALWAYS);
	assert_int_equal(pv_color_mode_parse("never", &m, &e), 0);
	assert_int_equal(m, PV_COLOR_NEVER);
	assert_int_equal(pv_color_mode_parse("auto", &m, &e), 0);
	assert_int_equal(m, PV_COLOR_AUTO);
	assert_int_equal(pv_color_mode_parse("sometimes", &m, &e), PV_EINVAL);
	assert_string_equal(e.msg, "invalid color mode 'sometimes' (expected auto, always or never)");

	/* the real thing does not crash whatever stdout is */
	pv_term_init(&t, 1, PV_COLOR_AUTO);
	pv_term_init(&t, -1, PV_COLOR_AUTO);
	assert_false(t.is_tty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_table_styles),
		cmocka_unit_test(test_table_md_align),
		cmocka_unit_test(test_table_fit),
		cmocka_unit_test(test_table_many_columns),
		cmocka_unit_test(test_table_hostile_cells),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_term),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
