/*
 * sqlrun.c - a query's rows through the renderers, Ctrl-C to
 * pv_duck_interrupt through a self-pipe and a watcher thread, the progress
 * line, and DuckDB's error position as a caret. Includes base, render,
 * sql and cli.
 */
#include "cli/sqlrun.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"
#include "base/banned.h"

struct pv_sqlrun {
	pv_duck *d;
	bool progress;
	int sig[2];              /* SIGINT -> one byte */
	int stop[2];             /* ends the watcher */
	struct sigaction old_int;
	pthread_t watcher;
	bool watching;
	atomic_bool interrupted;
	atomic_bool draw;        /* the watcher may draw the progress line */
	pthread_mutex_t lock;    /* around the progress line */
	pv_progress prog;
	int64_t err_pos;         /* DuckDB's position of the last error, or -1 */
};

static volatile sig_atomic_t sig_write_fd = -1;

static void on_sigint(int signo)
{
	(void)signo;
	int saved = errno;
	char c = 1;
	if (sig_write_fd >= 0)
		(void)!write(sig_write_fd, &c, 1);
	errno = saved;
}

static int make_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void drain(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

int pv_sqlrun_begin(pv_duck *d, bool progress, pv_sqlrun **out, pv_err *err)
{
	*out = NULL;
	pv_sqlrun *s = calloc(1, sizeof *s);
	if (!s)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	s->d = d;
	s->progress = progress;
	s->err_pos = -1;
	s->sig[0] = s->sig[1] = s->stop[0] = s->stop[1] = -1;
	if (make_pipe(s->sig) || make_pipe(s->stop)) {
		int e = errno;
		pv_sqlrun_end(s);
		return pv_err_set(err, PV_EIO, "cannot create a pipe: %s", strerror(e));
	}
	pthread_mutex_init(&s->lock, NULL);
	sig_write_fd = s->sig[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
	sigaction(SIGINT, &sa, &s->old_int);
	*out = s;
	return 0;
}

void pv_sqlrun_end(pv_sqlrun *s)
{
	if (!s)
		return;
	if (s->sig[1] >= 0) {
		sigaction(SIGINT, &s->old_int, NULL);
		sig_write_fd = -1;
		pthread_mutex_destroy(&s->lock);
	}
	for (int i = 0; i < 2; i++) {
		if (s->sig[i] >= 0)
			close(s->sig[i]);
		if (s->stop[i] >= 0)
			close(s->stop[i]);
	}
	free(s);
}

int pv_sqlrun_sigfd(const pv_sqlrun *s)
{
	return s->sig[0];
}

void pv_sqlrun_clear(pv_sqlrun *s)
{
	drain(s->sig[0]);
	atomic_store(&s->interrupted, false);
}

bool pv_sqlrun_interrupted(const pv_sqlrun *s)
{
	return atomic_load(&s->interrupted);
}

static void *watch(void *arg)
{
	pv_sqlrun *s = arg;
	for (;;) {
		struct pollfd p[2] = { { s->sig[0], POLLIN, 0 }, { s->stop[0], POLLIN, 0 } };
		int n = poll(p, 2, 100);
		if (n > 0 && (p[1].revents & POLLIN))
			break;
		if (n > 0 && (p[0].revents & POLLIN)) {
			drain(s->sig[0]);
			atomic_store(&s->interrupted, true);
			pv_duck_interrupt(s->d);
		}
		if (atomic_load(&s->draw)) {
			pthread_mutex_lock(&s->lock);
			if (atomic_load(&s->draw))
				pv_progress_percent(&s->prog, pv_duck_progress(s->d));
			pthread_mutex_unlock(&s->lock);
		}
	}
	drain(s->stop[0]);
	return NULL;
}

/* Starts the watcher for one query. Without it Ctrl-C would still be
 * caught, just not acted on until the query ends. */
static void watch_start(pv_sqlrun *s)
{
	s->err_pos = -1;
	pv_progress_init(&s->prog, 0, s->progress);
	atomic_store(&s->draw, s->progress);
	s->watching = pthread_create(&s->watcher, NULL, watch, s) == 0;
}

/* Stops drawing and clears the progress line. */
static void progress_off(pv_sqlrun *s)
{
	if (!atomic_load(&s->draw))
		return;
	pthread_mutex_lock(&s->lock);
	atomic_store(&s->draw, false);
	pv_progress_end(&s->prog);
	pthread_mutex_unlock(&s->lock);
}

static void watch_stop(pv_sqlrun *s)
{
	progress_off(s);
	if (!s->watching)
		return;
	char c = 0;
	(void)!write(s->stop[1], &c, 1);
	pthread_join(s->watcher, NULL);
	s->watching = false;
}

/* Notes DuckDB's position of an error that came from it. */
static int duck_failed(pv_sqlrun *s, int rc)
{
	if (rc)
		s->err_pos = pv_duck_error_position();
	return rc;
}

int pv_sqlrun_query(pv_sqlrun *s, const char *sql, FILE *out, const pv_rows_opts *opts,
		    bool stop_progress_at_rows, bool (*stop)(void *), void *stop_arg,
		    int64_t *out_rows, pv_err *err)
{
	if (out_rows)
		*out_rows = 0;
	watch_start(s);
	pv_duck_result *r = NULL;
	pv_rows_writer *w = NULL;
	int64_t rows = 0;
	int rc = duck_failed(s, pv_duck_query_arrow(s->d, sql, &r, err));
	bool silent = rc == 0 && pv_duck_result_silent(r);
	if (!rc && !silent) {
		struct ArrowSchema schema;
		rc = duck_failed(s, pv_duck_result_schema(r, &schema, err));
		if (!rc) {
			rc = pv_rows_writer_open(&w, out, opts, &schema, err);
			schema.release(&schema);
		}
	}
	while (!rc && !silent) {
		struct ArrowArray batch;
		if ((rc = duck_failed(s, pv_duck_result_next_batch(r, &batch, err))) || !batch.release)
			break;
		if (stop_progress_at_rows)
			progress_off(s);
		rc = pv_rows_writer_write(w, &batch, rows, err);
		rows += batch.length;
		batch.release(&batch);
		if (stop && stop(stop_arg))
			break;
	}
	/* the line goes before the table's last section is printed */
	if (stop_progress_at_rows)
		progress_off(s);
	if (w) {
		pv_err cerr;
		int crc = pv_rows_writer_close(w, &cerr);
		if (!rc && crc) {
			rc = crc;
			pv_err_copy(err, &cerr);
		}
	}
	pv_duck_result_free(r);
	watch_stop(s);
	if (out_rows)
		*out_rows = rows;
	return rc;
}

int pv_sqlrun_copy(pv_sqlrun *s, const char *sql, const char *path, const char *options,
		   int64_t *out_rows, pv_err *err)
{
	watch_start(s);
	int rc = duck_failed(s, pv_duck_copy(s->d, sql, path, options, out_rows, err));
	watch_stop(s);
	return rc;
}

/* Line number (from 1), start and length of the line of text holding
 * byte pos. */
static void locate(const char *text, size_t pos, size_t *line, size_t *start, size_t *len)
{
	*line = 1;
	*start = 0;
	for (size_t i = 0; i < pos && text[i]; i++)
		if (text[i] == '\n') {
			(*line)++;
			*start = i + 1;
		}
	size_t e = *start;
	while (text[e] && text[e] != '\n')
		e++;
	*len = e - *start;
}

void pv_sqlrun_print_error(const pv_sqlrun *s, const pv_err *err, const char *sql, bool caret,
			   size_t width)
{
	const char *msg = err->msg[0] ? err->msg : pv_code_name(err->code);
	size_t n = sql ? strlen(sql) : 0;
	if (!s || s->err_pos < 0 || (size_t)s->err_pos > n) {
		fprintf(stderr, "parqview: %s\n", msg);
		return;
	}
	size_t line, start, len;
	locate(sql, (size_t)s->err_pos, &line, &start, &len);
	size_t col = (size_t)s->err_pos - start; /* bytes into the line */
	if (!caret) {
		fprintf(stderr, "parqview: %s (line %zu, column %zu)\n", msg, line, col + 1);
		return;
	}
	fprintf(stderr, "parqview: %s\n", msg);
	char head[32];
	int hl = snprintf(head, sizeof head, "LINE %zu: ", line);
	/* cut the line around the position so that it fits */
	size_t room = width > (size_t)hl + 10 ? width - (size_t)hl - 1 : 70;
	size_t from = 0;
	if (col > room / 2 && len > room)
		from = col - room / 2;
	size_t to = from + room < len ? from + room : len;
	const char *lead = from ? "..." : "";
	fprintf(stderr, "%s%s", head, lead);
	for (size_t i = start + from; i < start + to; i++)
		fputc(sql[i] == '\t' ? ' ' : sql[i], stderr);
	fputc('\n', stderr);
	/* the caret goes under the character: count display columns, so
	 * UTF-8 continuation bytes take none */
	size_t pad = (size_t)hl + strlen(lead);
	for (size_t i = start + from; i < start + col; i++)
		if (((unsigned char)sql[i] & 0xC0) != 0x80)
			pad++;
	fprintf(stderr, "%*s^\n", (int)pad, "");
}
