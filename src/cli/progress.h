/*
 * progress.h - a one-line progress report on stderr for commands that read
 * many rows: "1,234,567 / 10,000,000 rows (12%)  850k rows/s".
 *
 * Nothing is shown for the first second, nor ever when stderr is not a
 * terminal; then the line is redrawn at most ten times a second and
 * cleared by pv_progress_end, so finished output never contains it.
 * Commands turn it off when their rows go to the same terminal (the line
 * would land between table rows). Caller-owned; one thread.
 */
#ifndef PV_PROGRESS_H
#define PV_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pv_progress {
	FILE *out;         /* stderr, or NULL when off */
	int64_t total;     /* rows expected; <= 0: unknown */
	double start;      /* seconds, monotonic */
	double last_draw;  /* when the line was last drawn; 0: never */
	bool shown;        /* a line is on the screen */
} pv_progress;

/* Starts the clock. enabled false (or stderr not a terminal) makes every
 * other call a no-op. */
void pv_progress_init(pv_progress *p, int64_t total, bool enabled);

/* Reports done rows so far; cheap enough to call after every batch. */
void pv_progress_update(pv_progress *p, int64_t done);

/* Reports work measured as a percentage (0..100; negative when unknown,
 * then only the clock shows), such as a SQL query's:
 * "[##########..........]  50%  3.2 s". Same delay and throttle. */
void pv_progress_percent(pv_progress *p, double pct);

/* Clears the line if one was drawn. NULL allowed. */
void pv_progress_end(pv_progress *p);

/* "1,234,567" into buf (n >= 32). Returns buf. */
const char *pv_progress_count(int64_t v, char *buf, size_t n);

#endif
