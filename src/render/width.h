/*
 * width.h - how many terminal columns UTF-8 text takes, and a display-safe
 * form of it.
 *
 * Widths follow Unicode's East Asian Width (Wide and Fullwidth are 2,
 * emoji with default emoji presentation included) and give 0 to combining
 * marks, zero-width joiners and variation selectors; the tables are ranges
 * generated from the Unicode 14 character database. Control characters
 * are never shown raw: the sanitized form spells them out, and every width
 * here is the width of that sanitized form, so measuring and printing
 * agree. The escapes are
 *     \n \r \t           for newline, carriage return, tab
 *     \xNN               for other C0 controls, DEL and invalid UTF-8 bytes
 *     \uNNNN             for C1 controls and bidi overrides/isolates
 *                        (U+061C, U+200E/F, U+202A..E, U+2066..9)
 * A backslash in the text is left alone. Pure functions, thread-safe.
 * Includes only base and render.
 */
#ifndef PV_WIDTH_H
#define PV_WIDTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Columns of one code point: 0, 1 or 2; -1 for a character that is shown
 * escaped (controls, bidi formatting). */
int pv_width_cp(uint32_t cp);

/* Display columns of the sanitized form of s[0..n). */
size_t pv_width_str(const char *s, size_t n);

/* Appends the sanitized form of s[0..n) to out. Errors from out (PV_ELIMIT,
 * PV_ENOMEM). */
int pv_width_sanitize(const char *s, size_t n, pv_buf *out, pv_err *err);

/* Appends the sanitized form of s[0..n), cut to at most max_cols columns:
 * when it does not fit, as much as fits in max_cols - 1 columns followed
 * by "…". Never splits a UTF-8 sequence, an escape or a wide character,
 * and keeps combining marks with their base. Returns the columns written
 * in *out_cols (may be NULL); max_cols == 0 writes nothing. */
int pv_width_truncate(const char *s, size_t n, size_t max_cols, pv_buf *out, size_t *out_cols,
                      pv_err *err);

/* Length of the valid UTF-8 sequence at s[0..n) (1..4) with its code point
 * in *cp, or 0 for an invalid byte (overlong, surrogate, > U+10FFFF, cut). */
size_t pv_utf8_decode(const char *s, size_t n, uint32_t *cp);

#endif
