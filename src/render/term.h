/*
 * term.h - what the output terminal can do: is it one, may we color,
 * how wide is it, does it take UTF-8; plus ANSI style strings that are
 * empty when color is off.
 *
 * Color is on with --color=always, off with never; with auto it is on when
 * the stream is a terminal, NO_COLOR is unset or empty, and TERM is not
 * "dumb". Width is the terminal's (TIOCGWINSZ), else $COLUMNS, else 80;
 * a stream that is not a terminal has width 0, meaning unlimited.
 * UTF-8 is assumed when LC_ALL, LC_CTYPE or LANG (the first one set) names
 * a UTF-8 codeset. Includes only base and render.
 */
#ifndef PV_TERM_H
#define PV_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

typedef enum pv_color_mode {
	PV_COLOR_AUTO = 0,
	PV_COLOR_ALWAYS,
	PV_COLOR_NEVER
} pv_color_mode;

typedef struct pv_term {
	bool is_tty; /* the stream is a terminal */
	bool color;  /* ANSI styles are emitted */
	bool utf8;   /* box drawing and "…" are safe to print */
	size_t width; /* columns; 0 = unlimited (not a terminal) */
} pv_term;

/* What pv_term_decide looks at; pv_term_init fills it from the process. */
typedef struct pv_term_env {
	bool is_tty;
	size_t tty_cols;      /* from TIOCGWINSZ; 0 when unknown */
	const char *no_color; /* $NO_COLOR, may be NULL */
	const char *term;     /* $TERM */
	const char *columns;  /* $COLUMNS */
	const char *lc_all, *lc_ctype, *lang;
} pv_term_env;

/* Describes file descriptor fd (usually 1) under mode. Never fails. */
void pv_term_init(pv_term *t, int fd, pv_color_mode mode);

/* The pure decision behind pv_term_init, for tests. */
void pv_term_decide(pv_term *t, const pv_term_env *env, pv_color_mode mode);

/* "auto", "always", "never" -> mode; PV_EINVAL "invalid color mode 'x'
 * (expected auto, always or never)". */
int pv_color_mode_parse(const char *s, pv_color_mode *out, pv_err *err);

/* ANSI SGR sequences, or "" when t->color is false. Every styled run ends
 * with pv_term_reset. */
const char *pv_term_bold(const pv_term *t);
const char *pv_term_dim(const pv_term *t);
const char *pv_term_red(const pv_term *t);
const char *pv_term_yellow(const pv_term *t);
const char *pv_term_green(const pv_term *t);
const char *pv_term_cyan(const pv_term *t);
const char *pv_term_reset(const pv_term *t);

#endif
