/*
 * err.h - the error value every fallible parqview function fills.
 *
 * A fallible function returns 0 on success or a negative pv_code, and fills
 * the pv_err it was given (which may be NULL). Outer layers add context with
 * pv_err_prefix, so a message reads from the outside in:
 *   "x.parquet: row group 3: column 'price': page 12: rle run exceeds page".
 * Messages are lowercase, one line, subjects in quotes.
 * This file includes nothing from parqview.
 */
#ifndef PV_ERR_H
#define PV_ERR_H

#include <stddef.h>

typedef enum pv_code {
	PV_OK = 0,
	PV_EIO = -1,          /* the operating system refused a read or write */
	PV_ECORRUPT = -2,     /* bytes that do not follow the format */
	PV_EUNSUPPORTED = -3, /* valid but not handled (encryption, LZO, ...) */
	PV_ENOMEM = -4,       /* the allocator said no */
	PV_ELIMIT = -5,       /* a safety cap was reached (sizes, depth, counts) */
	PV_EINVAL = -6,       /* bad argument from the user or the caller */
	PV_ENOTFOUND = -7,    /* no such file, column, value */
	PV_EINTERNAL = -8     /* a bug in parqview */
} pv_code;

#define PV_ERR_MSG_MAX 1024

typedef struct pv_err {
	int code;                  /* a pv_code; PV_OK when nothing went wrong */
	char msg[PV_ERR_MSG_MAX];  /* one line, NUL-terminated */
} pv_err;

/* Clears e (NULL allowed). */
void pv_err_clear(pv_err *e);

/* Sets code and a printf-style message; returns code so callers can
 * `return pv_err_set(err, PV_ECORRUPT, "...")`. e may be NULL. */
int pv_err_set(pv_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "<context>: " to the message, keeping the code. Truncates the
 * tail of the message rather than the context when the buffer is full. */
void pv_err_prefix(pv_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies src into dst (either may be NULL). */
void pv_err_copy(pv_err *dst, const pv_err *src);

/* "io", "corrupt", ... for JSON output. */
const char *pv_code_name(int code);

/* The one table from codes to process exit codes (documented in README):
 * 0 ok, 2 usage (EINVAL), 3 data or I/O, 4 out of memory or internal. */
int pv_code_exit(int code);

/* The one table from codes to HTTP statuses for the server layer. */
int pv_code_http(int code);

#endif
