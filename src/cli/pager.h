/*
 * pager.h - long output to a terminal goes through a pager.
 *
 * A pager stream buffers what is written until it holds more lines than
 * the terminal has rows (or 1 MiB); then it starts $PAGER (default
 * "less -FRSX"; an empty $PAGER or "cat" means none) and hands everything
 * to it. Output that fits the screen is written to stdout at close, so a
 * short answer never starts a pager. When stdout is not a terminal the
 * stream is stdout itself. If the user quits the pager early, writes fail
 * and pv_pager_quit says so, so the command can stop quietly.
 * Caller-owned handle from pv_pager_open; one thread.
 */
#ifndef PV_PAGER_H
#define PV_PAGER_H

#include <stdbool.h>
#include <stdio.h>

typedef struct pv_pager pv_pager;

/* Opens a pager stream for stdout; enabled false (--no-pager) or a stdout
 * that is not a terminal gives plain stdout. Never fails: when memory is
 * short the stream is stdout. Free with pv_pager_close. */
pv_pager *pv_pager_open(bool enabled);

/* Where to write. Owned by the pager. */
FILE *pv_pager_stream(pv_pager *p);

/* True once the pager has exited before taking all of the output. */
bool pv_pager_quit(const pv_pager *p);

/* Writes out what is buffered (to stdout when no pager was started),
 * waits for the pager to exit and frees p. Returns 0, or -1 when writing
 * to stdout failed. NULL allowed. */
int pv_pager_close(pv_pager *p);

#endif
