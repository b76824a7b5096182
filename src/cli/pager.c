/*
 * pager.c - a stdio stream (fopencookie) that decides between writing to
 * stdout and piping to a pager once it knows how long the output is.
 * Includes only base and cli.
 */
#include "cli/pager.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/banned.h"

#define BUFFER_CAP ((size_t)1 << 20)

struct pv_pager {
	FILE *stream;  /* what callers write to */
	bool cookie;   /* stream is our cookie stream (else it is stdout) */
	pv_buf buf;    /* output held back while it may still fit the screen */
	size_t lines, rows;
	FILE *pipe;    /* the pager's stdin once started */
	bool quit;     /* the pager went away */
	bool failed;   /* writing to stdout failed */
};

static size_t screen_rows(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	const char *l = getenv("LINES");
	long v = l ? strtol(l, NULL, 10) : 0;
	return v > 0 && v < 100000 ? (size_t)v : 24;
}

static void write_all(FILE *f, const char *p, size_t n, bool *failed)
{
	if (n && fwrite(p, 1, n, f) != n)
		*failed = true;
}

/* Starts the pager and gives it the buffer; on failure writes the buffer
 * to stdout and stays a plain pass-through. */
static void start_pager(pv_pager *p)
{
	const char *cmd = getenv("PAGER");
	if (!cmd)
		cmd = "less -FRSX";
	if (*cmd && strcmp(cmd, "cat")) {
		/* quitting the pager early must not kill us with SIGPIPE */
		signal(SIGPIPE, SIG_IGN);
		fflush(stdout);
		p->pipe = popen(cmd, "w");
	}
	FILE *to = p->pipe ? p->pipe : stdout;
	bool failed = false;
	write_all(to, p->buf.data, p->buf.len, &failed);
	if (failed && p->pipe)
		p->quit = true;
	else if (failed)
		p->failed = true;
	pv_buf_release(&p->buf);
	p->rows = 0; /* decided: no more counting */
}

static ssize_t cookie_write(void *c, const char *data, size_t n)
{
	pv_pager *p = c;
	if (p->quit || p->failed) {
		errno = EPIPE;
		return -1;
	}
	if (!p->rows) {
		FILE *to = p->pipe ? p->pipe : stdout;
		if (fwrite(data, 1, n, to) != n) {
			if (p->pipe)
				p->quit = true;
			else
				p->failed = true;
			errno = EPIPE;
			return -1;
		}
		return (ssize_t)n;
	}
	for (size_t i = 0; i < n; i++)
		p->lines += data[i] == '\n';
	if (pv_buf_append(&p->buf, data, n, NULL)) {
		start_pager(p);
		return cookie_write(c, data, n);
	}
	if (p->lines >= p->rows || p->buf.len >= BUFFER_CAP)
		start_pager(p);
	return (ssize_t)n;
}

static int cookie_close(void *c)
{
	(void)c;
	return 0;
}

pv_pager *pv_pager_open(bool enabled)
{
	pv_pager *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->stream = stdout;
	if (!enabled || !isatty(STDOUT_FILENO))
		return p;
	pv_buf_init(&p->buf, BUFFER_CAP * 2);
	p->rows = screen_rows();
	/* the last row is the shell prompt's */
	p->rows = p->rows > 1 ? p->rows - 1 : 1;
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	FILE *f = fopencookie(p, "w", io);
	if (f) {
		p->stream = f;
		p->cookie = true;
	}
	return p;
}

FILE *pv_pager_stream(pv_pager *p)
{
	return p ? p->stream : stdout;
}

bool pv_pager_quit(const pv_pager *p)
{
	return p && p->quit;
}

int pv_pager_close(pv_pager *p)
{
	if (!p)
		return 0;
	if (p->cookie) {
		fclose(p->stream); /* flushes into the buffer or the pager */
		if (p->rows) /* it all fit: no pager */
			write_all(stdout, p->buf.data, p->buf.len, &p->failed);
		if (p->pipe)
			pclose(p->pipe);
	}
	if (fflush(stdout))
		p->failed = true;
	bool failed = p->failed;
	pv_buf_release(&p->buf);
	free(p);
	return failed ? -1 : 0;
}
