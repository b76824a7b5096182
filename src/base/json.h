/*
 * json.h - a streaming JSON writer.
 *
 * Writes to a FILE* or appends to a pv_buf, compact or indented, keeping the
 * commas and nesting itself so callers only say what comes next. Strings are
 * escaped as UTF-8 JSON; invalid UTF-8 bytes become U+FFFD so the output
 * always parses. Doubles that JSON cannot hold (NaN, +-inf) are written as
 * the strings "NaN", "Infinity", "-Infinity" (documented in README).
 * The caller owns the struct: pv_json_init ... pv_json_finish.
 * Not thread-safe. Includes only base.
 */
#ifndef PV_JSON_H
#define PV_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"

#define PV_JSON_MAX_DEPTH 64

typedef struct pv_json {
	FILE *out;       /* one of out or buf */
	pv_buf *buf;
	bool pretty;     /* two-space indentation */
	int depth;
	bool first[PV_JSON_MAX_DEPTH + 1]; /* no element yet at this depth */
	bool after_key;  /* a key was written; the value follows without a comma */
	int error;       /* sticky pv_code from the sink */
} pv_json;

void pv_json_init_file(pv_json *j, FILE *out, bool pretty);
void pv_json_init_buf(pv_json *j, pv_buf *buf, bool pretty);

void pv_json_object_begin(pv_json *j);
void pv_json_object_end(pv_json *j);
void pv_json_array_begin(pv_json *j);
void pv_json_array_end(pv_json *j);

/* A key inside an object; the next call writes its value. */
void pv_json_key(pv_json *j, const char *key);

void pv_json_str(pv_json *j, const char *s);
void pv_json_strn(pv_json *j, const char *s, size_t n);
void pv_json_int(pv_json *j, int64_t v);
void pv_json_uint(pv_json *j, uint64_t v);
void pv_json_double(pv_json *j, double v);
void pv_json_bool(pv_json *j, bool v);
void pv_json_null(pv_json *j);
/* Writes already-encoded JSON text as one value (caller vouches for it). */
void pv_json_raw(pv_json *j, const char *text, size_t n);

/* key + value shorthands */
void pv_json_kstr(pv_json *j, const char *key, const char *s);
void pv_json_kint(pv_json *j, const char *key, int64_t v);
void pv_json_kdouble(pv_json *j, const char *key, double v);
void pv_json_kbool(pv_json *j, const char *key, bool v);

/* Ends the document with a newline; returns 0 or the sticky error. */
int pv_json_finish(pv_json *j);

/* Appends s escaped (with quotes) to b. Used by the renderers too. */
int pv_json_escape(pv_buf *b, const char *s, size_t n, pv_err *err);

#endif
