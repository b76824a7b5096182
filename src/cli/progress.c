/*
 * progress.c - the stderr progress line: a clock, a rate and a redraw
 * throttle. Includes only base and cli.
 */
#include "cli/progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/banned.h"

#define DELAY 1.0     /* seconds before the first line */
#define INTERVAL 0.1  /* between redraws */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pv_progress_init(pv_progress *p, int64_t total, bool enabled)
{
	memset(p, 0, sizeof *p);
	p->out = enabled && isatty(STDERR_FILENO) ? stderr : NULL;
	p->total = total;
	p->start = now();
}

const char *pv_progress_count(int64_t v, char *buf, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t at = 0;
	if (v < 0 && at + 1 < n)
		buf[at++] = '-';
	for (int i = 0; i < len && at + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = digits[i];
	}
	buf[at] = '\0';
	return buf;
}

/* "850k", "1.2M": a rate that fits in a few columns. */
static void short_rate(double r, char *buf, size_t n)
{
	if (r >= 1e9)
		snprintf(buf, n, "%.1fG", r / 1e9);
	else if (r >= 1e6)
		snprintf(buf, n, "%.1fM", r / 1e6);
	else if (r >= 1e4)
		snprintf(buf, n, "%.0fk", r / 1e3);
	else
		snprintf(buf, n, "%.0f", r);
}

/* Whether a line is due now (after DELAY, then every INTERVAL); stores
 * the time in *out_t and marks it drawn. */
static bool due(pv_progress *p, double *out_t)
{
	if (!p->out)
		return false;
	double t = now();
	if (t - p->start < DELAY || (p->last_draw && t - p->last_draw < INTERVAL))
		return false;
	p->last_draw = t;
	*out_t = t;
	return true;
}

void pv_progress_update(pv_progress *p, int64_t done)
{
	double t;
	if (!due(p, &t))
		return;
	char a[40], b[40], rate[32];
	short_rate((double)done / (t - p->start), rate, sizeof rate);
	if (p->total > 0)
		fprintf(p->out, "\r%s / %s rows (%d%%)  %s rows/s\033[K", pv_progress_count(done, a, sizeof a),
			pv_progress_count(p->total, b, sizeof b),
			(int)((double)done * 100.0 / (double)p->total), rate);
	else
		fprintf(p->out, "\r%s rows  %s rows/s\033[K", pv_progress_count(done, a, sizeof a), rate);
	fflush(p->out);
	p->shown = true;
}

void pv_progress_percent(pv_progress *p, double pct)
{
	double t;
	if (!due(p, &t))
		return;
	if (pct < 0) {
		fprintf(p->out, "\r%.1f s\033[K", t - p->start);
	} else {
		char bar[21];
		int full = (int)(pct > 100 ? 100 : pct) / 5;
		for (int i = 0; i < 20; i++)
			bar[i] = i < full ? '#' : '.';
		bar[20] = '\0';
		fprintf(p->out, "\r[%s] %3d%%  %.1f s\033[K", bar, (int)pct, t - p->start);
	}
	fflush(p->out);
	p->shown = true;
}

void pv_progress_end(pv_progress *p)
{
	if (!p || !p->out || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = false;
}
