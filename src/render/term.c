/*
 * term.c - terminal detection and ANSI styles.
 * Includes only base and render.
 */
#include "render/term.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/banned.h"

/* A positive decimal column count, or 0. */
static size_t parse_cols(const char *s)
{
	if (!s || !*s)
		return 0;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v == 0 || v > 100000 || s[0] == '-')
		return 0;
	return (size_t)v;
}

static bool names_utf8(const char *s)
{
	return s && (strcasestr(s, "utf-8") || strcasestr(s, "utf8"));
}

void pv_term_decide(pv_term *t, const pv_term_env *env, pv_color_mode mode)
{
	t->is_tty = env->is_tty;
	if (mode == PV_COLOR_ALWAYS)
		t->color = true;
	else if (mode == PV_COLOR_NEVER)
		t->color = false;
	else
		t->color = env->is_tty && !(env->no_color && *env->no_color) &&
		           !(env->term && strcmp(env->term, "dumb") == 0);

	if (!env->is_tty)
		t->width = 0;
	else if (env->tty_cols)
		t->width = env->tty_cols;
	else if (parse_cols(env->columns))
		t->width = parse_cols(env->columns);
	else
		t->width = 80;

	/* the first of LC_ALL, LC_CTYPE, LANG that is set decides, as in POSIX */
	const char *loc = env->lc_all && *env->lc_all     ? env->lc_all
	                  : env->lc_ctype && *env->lc_ctype ? env->lc_ctype
	                                                    : env->lang;
	t->utf8 = names_utf8(loc);
}

void pv_term_init(pv_term *t, int fd, pv_color_mode mode)
{
	pv_term_env env = { 0 };
	env.is_tty = isatty(fd) == 1;
	if (env.is_tty) {
		struct winsize ws;
		if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			env.tty_cols = ws.ws_col;
	}
	env.no_color = getenv("NO_COLOR");
	env.term = getenv("TERM");
	env.columns = getenv("COLUMNS");
	env.lc_all = getenv("LC_ALL");
	env.lc_ctype = getenv("LC_CTYPE");
	env.lang = getenv("LANG");
	pv_term_decide(t, &env, mode);
}

int pv_color_mode_parse(const char *s, pv_color_mode *out, pv_err *err)
{
	if (s && strcmp(s, "auto") == 0)
		*out = PV_COLOR_AUTO;
	else if (s && strcmp(s, "always") == 0)
		*out = PV_COLOR_ALWAYS;
	else if (s && strcmp(s, "never") == 0)
		*out = PV_COLOR_NEVER;
	else
		return pv_err_set(err, PV_EINVAL,
		                  "invalid color mode '%s' (expected auto, always or never)",
		                  s ? s : "");
	return 0;
}

static const char *style(const pv_term *t, const char *sgr)
{
	return t && t->color ? sgr : "";
}

const char *pv_term_bold(const pv_term *t) { return style(t, "\033[1m"); }
const char *pv_term_dim(const pv_term *t) { return style(t, "\033[2m"); }
const char *pv_term_red(const pv_term *t) { return style(t, "\033[31m"); }
const char *pv_term_yellow(const pv_term *t) { return style(t, "\033[33m"); }
const char *pv_term_green(const pv_term *t) { return style(t, "\033[32m"); }
const char *pv_term_cyan(const pv_term *t) { return style(t, "\033[36m"); }
const char *pv_term_reset(const pv_term *t) { return style(t, "\033[0m"); }
