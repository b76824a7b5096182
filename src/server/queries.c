/*
 * queries.c - the query table, the query threads, their results and the
 * watchdog (queries.h).
 *
 * Locking: one mutex (qs->lock) guards the table, every query's fields
 * and the list of tracked sessions. A session is interrupted only under
 * the lock and leaves the tracked list under the lock before it is
 * closed, so an interrupt never reaches a closed session. A query's
 * result text grows only under the lock; readers copy out of it under
 * the lock.
 * Includes base, dataset, render, sql and server.
 */
#include "server/queries.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/rows.h"
#include "server/rowsjson.h"
#include "server/server.h"
#include "sql/session.h"
#include "base/banned.h"

typedef enum qstatus { Q_RUNNING = 0, Q_DONE, Q_ERROR, Q_CANCELLED } qstatus;

struct pv_query {
	pv_queries *qs;
	int refs;            /* the table, the thread, handlers */
	char id[16];
	char *sql;
	pv_duck *duck;       /* while its session is open */
	qstatus status;
	bool cancel;         /* asked to stop */
	bool timed_out;
	int64_t start_ms, end_ms;
	char *columns;       /* the columns' JSON once known */
	pv_buf text;         /* rows, "[...]\n" each */
	int64_t *offs;       /* offs[i]: where row i starts in text */
	size_t alloc_offs;
	int64_t n_rows;
	bool truncated;
	char *error;         /* one line */
	const char *error_code; /* "query_error", "timeout", "internal" */
	int64_t error_pos;   /* byte offset into sql, -1 when unknown */
};

typedef struct tracked {
	pv_duck *d;
	int64_t deadline_ms;
	bool timed_out;
	bool cancelled;       /* its query was cancelled: interrupt it every tick */
} tracked;

struct pv_queries {
	pv_server *srv;
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* the watchdog's tick, and thread exits */
	pv_query *items[PV_QUERIES_MAX];
	size_t n_items;
	int running;             /* queries in Q_RUNNING */
	int threads;             /* query threads alive */
	unsigned next_id;
	bool stopping;
	pthread_t watchdog;
	tracked *tracked;
	size_t n_tracked, alloc_tracked;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- sessions */

static tracked *find_tracked(pv_queries *qs, pv_duck *d)
{
	for (size_t i = 0; i < qs->n_tracked; i++)
		if (qs->tracked[i].d == d)
			return &qs->tracked[i];
	return NULL;
}

int pv_queries_session(pv_queries *qs, const char *write_path, pv_duck **out, pv_err *err)
{
	const pv_catalog *cat = &qs->srv->cat;
	*out = NULL;
	pv_sql_view *views = calloc(cat->n ? cat->n : 1, sizeof *views);
	if (!views)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < cat->n; i++)
		views[i] = (pv_sql_view){ .name = cat->items[i].id, .ds = cat->items[i].ds };
	const char *wp[1] = { write_path };
	pv_sql_opts o = { .memory_limit = qs->srv->opts.memory_limit,
			  .write_paths = write_path ? wp : NULL,
			  .n_write_paths = write_path ? 1 : 0 };
	pv_duck *d = NULL;
	int rc = pv_sql_open(views, cat->n, &o, &d, err);
	free(views);
	if (rc)
		return rc;
	pthread_mutex_lock(&qs->lock);
	if (qs->n_tracked == qs->alloc_tracked) {
		size_t na = qs->alloc_tracked ? 2 * qs->alloc_tracked : 16;
		tracked *nt = realloc(qs->tracked, na * sizeof *nt);
		if (nt) {
			qs->tracked = nt;
			qs->alloc_tracked = na;
		}
	}
	if (qs->n_tracked == qs->alloc_tracked || qs->stopping) {
		bool stopping = qs->stopping;
		pthread_mutex_unlock(&qs->lock);
		pv_duck_close(d);
		return stopping ? pv_err_set(err, PV_EIO, "the server is shutting down")
				: pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	qs->tracked[qs->n_tracked++] =
		(tracked){ d, now_ms() + (int64_t)qs->srv->opts.query_timeout_s * 1000, false, false };
	pthread_mutex_unlock(&qs->lock);
	*out = d;
	return 0;
}

void pv_queries_session_close(pv_queries *qs, pv_duck *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&qs->lock);
	tracked *t = find_tracked(qs, d);
	if (t)
		*t = qs->tracked[--qs->n_tracked];
	pthread_mutex_unlock(&qs->lock);
	pv_duck_close(d);
}

bool pv_queries_session_timed_out(pv_queries *qs, pv_duck *d)
{
	pthread_mutex_lock(&qs->lock);
	tracked *t = find_tracked(qs, d);
	bool out = t && t->timed_out;
	pthread_mutex_unlock(&qs->lock);
	return out;
}

static void *watchdog(void *arg)
{
	pv_queries *qs = arg;
	pthread_mutex_lock(&qs->lock);
	while (!qs->stopping) {
		/* An interrupt that lands between DuckDB's statements (while it
		 * prepares, before it streams) is forgotten when the next one
		 * starts: so repeat it every tick until the query ends. */
		int64_t now = now_ms();
		for (size_t i = 0; i < qs->n_tracked; i++) {
			tracked *t = &qs->tracked[i];
			if (now >= t->deadline_ms)
				t->timed_out = true;
			if (t->timed_out || t->cancelled || qs->stopping)
				pv_duck_interrupt(t->d);
		}

		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&qs->wake, &qs->lock, &ts);
	}
	pthread_mutex_unlock(&qs->lock);
	return NULL;
}

/* ---- the table */

int pv_queries_new(pv_server *srv, pv_queries **out, pv_err *err)
{
	*out = NULL;
	pv_queries *qs = calloc(1, sizeof *qs);
	if (!qs)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	qs->srv = srv;
	pthread_mutex_init(&qs->lock, NULL);
	pthread_cond_init(&qs->wake, NULL);
	if (pthread_create(&qs->watchdog, NULL, watchdog, qs)) {
		pthread_cond_destroy(&qs->wake);
		pthread_mutex_destroy(&qs->lock);
		free(qs);
		return pv_err_set(err, PV_EIO, "cannot start a thread");
	}
	*out = qs;
	return 0;
}

static void query_free(pv_query *q)
{
	free(q->sql);
	free(q->columns);
	free(q->offs);
	free(q->error);
	pv_buf_release(&q->text);
	free(q);
}

/* Drops a reference; the caller holds qs->lock. */
static void unref_locked(pv_query *q)
{
	if (--q->refs == 0)
		query_free(q);
}

void pv_query_unref(pv_query *q)
{
	if (!q)
		return;
	pv_queries *qs = q->qs;
	pthread_mutex_lock(&qs->lock);
	unref_locked(q);
	pthread_mutex_unlock(&qs->lock);
}

void pv_queries_interrupt_all(pv_queries *qs)
{
	if (!qs)
		return;
	pthread_mutex_lock(&qs->lock);
	qs->stopping = true;
	for (size_t i = 0; i < qs->n_items; i++)
		qs->items[i]->cancel = true;
	for (size_t i = 0; i < qs->n_tracked; i++)
		pv_duck_interrupt(qs->tracked[i].d);
	pthread_cond_broadcast(&qs->wake);
	pthread_mutex_unlock(&qs->lock);
}

void pv_queries_free(pv_queries *qs)
{
	if (!qs)
		return;
	pv_queries_interrupt_all(qs);
	pthread_join(qs->watchdog, NULL);
	pthread_mutex_lock(&qs->lock);
	while (qs->threads > 0) {
		/* a session opened just before the interrupt: interrupt again */
		for (size_t i = 0; i < qs->n_tracked; i++)
			pv_duck_interrupt(qs->tracked[i].d);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&qs->wake, &qs->lock, &ts);
	}
	for (size_t i = 0; i < qs->n_items; i++)
		unref_locked(qs->items[i]);
	qs->n_items = 0;
	pthread_mutex_unlock(&qs->lock);
	pthread_cond_destroy(&qs->wake);
	pthread_mutex_destroy(&qs->lock);
	free(qs->tracked);
	free(qs);
}

pv_query *pv_queries_get(pv_queries *qs, const char *id)
{
	pv_query *q = NULL;
	pthread_mutex_lock(&qs->lock);
	for (size_t i = 0; i < qs->n_items && !q; i++)
		if (!strcmp(qs->items[i]->id, id)) {
			q = qs->items[i];
			q->refs++;
		}
	pthread_mutex_unlock(&qs->lock);
	return q;
}

const char *pv_query_sql(const pv_query *q)
{
	return q->sql;
}

/* Asks q to stop; the caller holds the lock. */
static void cancel_locked(pv_query *q)
{
	if (q->status != Q_RUNNING)
		return;
	q->cancel = true;
	if (q->duck) {
		tracked *t = find_tracked(q->qs, q->duck);
		if (t)
			t->cancelled = true;
		pv_duck_interrupt(q->duck);
	}
}

void pv_query_cancel(pv_query *q)
{
	pthread_mutex_lock(&q->qs->lock);
	cancel_locked(q);
	pthread_mutex_unlock(&q->qs->lock);
}

bool pv_queries_delete(pv_queries *qs, const char *id)
{
	bool found = false;
	pthread_mutex_lock(&qs->lock);
	for (size_t i = 0; i < qs->n_items && !found; i++) {
		pv_query *q = qs->items[i];
		if (strcmp(q->id, id))
			continue;
		found = true;
		cancel_locked(q);
		qs->items[i] = qs->items[--qs->n_items];
		unref_locked(q);
	}
	pthread_mutex_unlock(&qs->lock);
	return found;
}

/* ---- a query's thread */

/* Ends q with an error (or as cancelled); the caller holds the lock. */
static void fail_locked(pv_query *q, const pv_err *e, int64_t pos)
{
	if (q->cancel && !q->timed_out) {
		q->status = Q_CANCELLED;
		return;
	}
	q->status = Q_ERROR;
	free(q->error);
	if (q->timed_out) {
		char msg[128];
		snprintf(msg, sizeof msg, "the query ran over the time limit of %d s",
			 q->qs->srv->opts.query_timeout_s);
		q->error = strdup(msg);
		q->error_code = "timeout";
	} else {
		q->error = strdup(e->msg);
		q->error_code = e->code == PV_EINVAL || e->code == PV_ELIMIT ? "query_error" : "internal";
		q->error_pos = pos;
	}
}

/* Adds the rows of text (whole lines) to q's result, as many as fit
 * under the cap; false when the cap was reached. Holds the lock. */
static bool add_rows(pv_query *q, const pv_buf *text)
{
	size_t cap = q->qs->srv->opts.query_result_bytes;
	bool fit = true;
	pthread_mutex_lock(&q->qs->lock);
	size_t at = 0;
	while (at < text->len) {
		const char *nl = memchr(text->data + at, '\n', text->len - at);
		size_t len = (size_t)(nl - (text->data + at)) + 1;
		if (q->text.len + len > cap) {
			fit = false;
			q->truncated = true;
			break;
		}
		if ((size_t)q->n_rows == q->alloc_offs) {
			size_t na = q->alloc_offs ? 2 * q->alloc_offs : 1024;
			int64_t *no = realloc(q->offs, na * sizeof *no);
			if (!no) {
				fit = false;
				q->truncated = true;
				break;
			}
			q->offs = no;
			q->alloc_offs = na;
		}
		int64_t start = (int64_t)q->text.len;
		if (pv_buf_append(&q->text, text->data + at, len, NULL)) {
			fit = false;
			q->truncated = true;
			break;
		}
		q->offs[q->n_rows++] = start;
		at += len;
	}
	pthread_mutex_unlock(&q->qs->lock);
	return fit;
}

static void *query_thread(void *arg)
{
	pv_query *q = arg;
	pv_queries *qs = q->qs;
	pv_err err;
	pv_err_clear(&err);
	pv_duck *d = NULL;
	pv_duck_result *res = NULL;
	struct ArrowSchema schema = { 0 };
	pv_buf text, cols;
	pv_buf_init(&text, 0);
	pv_buf_init(&cols, 0);
	FILE *f = NULL;
	pv_rows_writer *w = NULL;
	int64_t pos = -1;
	int rc = pv_queries_session(qs, NULL, &d, &err);
	if (!rc) {
		pthread_mutex_lock(&qs->lock);
		q->duck = d;
		if (q->cancel)
			cancel_locked(q);
		pthread_mutex_unlock(&qs->lock);
		rc = pv_duck_query_arrow(d, q->sql, &res, &err);
		if (rc)
			pos = pv_duck_error_position();
	}
	if (!rc)
		rc = pv_duck_result_schema(res, &schema, &err);
	if (!rc) {
		pv_json j;
		pv_json_init_buf(&j, &cols, false);
		rc = pv_rowsjson_columns(&j, &schema, &err);
		if (!rc && (rc = pv_json_finish(&j)))
			pv_err_set(&err, rc, "out of memory");
	}
	if (!rc) {
		pv_rows_opts o;
		pv_rows_opts_init(&o, PV_ROWS_ARRAYS, NULL);
		f = pv_bufile_open(&text, 0, NULL);
		rc = f ? pv_rows_writer_open(&w, f, &o, &schema, &err)
		       : pv_err_set(&err, PV_ENOMEM, "out of memory");
	}
	if (!rc) {
		pthread_mutex_lock(&qs->lock);
		/* pv_json_finish ended it with a newline */
		if (cols.len && cols.data[cols.len - 1] == '\n')
			cols.data[--cols.len] = '\0';
		q->columns = pv_buf_detach(&cols, NULL);
		pthread_mutex_unlock(&qs->lock);
	}
	while (!rc) {
		struct ArrowArray b;
		rc = pv_duck_result_next_batch(res, &b, &err);
		if (rc || !b.release)
			break;
		pv_buf_reset(&text);
		rc = pv_rows_writer_write(w, &b, 0, &err);
		b.release(&b);
		if (!rc && fflush(f))
			rc = pv_err_set(&err, PV_ENOMEM, "out of memory");
		if (!rc && !add_rows(q, &text))
			break; /* the cap: stop reading (freeing the result stops the query) */
	}
	pv_rows_writer_close(w, NULL);
	if (f)
		fclose(f);
	if (schema.release)
		schema.release(&schema);
	pv_duck_result_free(res);
	bool timed_out = d && pv_queries_session_timed_out(qs, d);
	pthread_mutex_lock(&qs->lock);
	q->duck = NULL;
	q->timed_out = timed_out;
	if (rc)
		fail_locked(q, &err, pos);
	else
		q->status = Q_DONE;
	q->end_ms = now_ms();
	qs->running--;
	pthread_mutex_unlock(&qs->lock);
	pv_queries_session_close(qs, d);
	pv_buf_release(&text);
	pv_buf_release(&cols);
	pthread_mutex_lock(&qs->lock);
	unref_locked(q);
	qs->threads--;
	pthread_cond_broadcast(&qs->wake);
	pthread_mutex_unlock(&qs->lock);
	return NULL;
}

int pv_queries_start(pv_queries *qs, const char *sql, char out_id[16], pv_err *err)
{
	size_t n = strlen(sql);
	bool blank = true;
	for (size_t i = 0; i < n && blank; i++)
		blank = sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == ';';
	if (blank)
		return pv_err_set(err, PV_EINVAL, "the query is empty");
	if (n > PV_QUERIES_MAX_SQL)
		return pv_err_set(err, PV_EINVAL, "the query is over %zu KiB", PV_QUERIES_MAX_SQL >> 10);
	pv_query *q = calloc(1, sizeof *q);
	if (!q || !(q->sql = strdup(sql))) {
		free(q);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	q->qs = qs;
	q->error_pos = -1;
	pv_buf_init(&q->text, 0);
	q->start_ms = now_ms();
	pthread_mutex_lock(&qs->lock);
	int rc = 0;
	if (qs->stopping)
		rc = pv_err_set(err, PV_EIO, "the server is shutting down");
	else if (qs->running >= qs->srv->opts.max_queries)
		rc = pv_err_set(err, PV_ELIMIT, "%d queries are running, the most at once; try again later",
				qs->running);
	if (!rc && qs->n_items == PV_QUERIES_MAX) {
		/* make room: forget the oldest finished query */
		long old = -1;
		for (size_t i = 0; i < qs->n_items; i++)
			if (qs->items[i]->status != Q_RUNNING &&
			    (old < 0 || qs->items[i]->start_ms < qs->items[old]->start_ms))
				old = (long)i;
		if (old < 0) {
			rc = pv_err_set(err, PV_ELIMIT, "too many queries are kept; delete some");
		} else {
			unref_locked(qs->items[old]);
			qs->items[old] = qs->items[--qs->n_items];
		}
	}
	if (!rc) {
		snprintf(q->id, sizeof q->id, "q%u", ++qs->next_id);
		q->refs = 2; /* the table and the thread */
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_t t;
		if (pthread_create(&t, &attr, query_thread, q)) {
			rc = pv_err_set(err, PV_EIO, "cannot start a thread");
		} else {
			qs->items[qs->n_items++] = q;
			qs->running++;
			qs->threads++;
			memcpy(out_id, q->id, sizeof q->id);
		}
		pthread_attr_destroy(&attr);
	}
	pthread_mutex_unlock(&qs->lock);
	if (rc)
		query_free(q);
	return rc;
}

/* ---- JSON */

static const char *status_name(qstatus s)
{
	switch (s) {
	case Q_RUNNING: return "running";
	case Q_DONE: return "done";
	case Q_ERROR: return "error";
	default: return "cancelled";
	}
}

/* The members every answer about q shares; the caller holds the lock. */
static void common_json(pv_query *q, pv_json *j)
{
	pv_json_key(j, "columns");
	if (q->columns)
		pv_json_raw(j, q->columns, strlen(q->columns));
	else
		pv_json_null(j);
	pv_json_kint(j, "n_rows", q->n_rows);
	pv_json_kbool(j, "complete", q->status != Q_RUNNING);
	pv_json_kbool(j, "truncated", q->truncated);
}

void pv_query_status_json(pv_query *q, pv_json *j)
{
	pthread_mutex_lock(&q->qs->lock);
	pv_json_object_begin(j);
	pv_json_kstr(j, "id", q->id);
	pv_json_kstr(j, "status", status_name(q->status));
	/* DuckDB's percentage while running; 1 once done; null when unknown
	 * or when the query did not finish */
	double p = q->status == Q_RUNNING ? (q->duck ? pv_duck_progress(q->duck) : -1)
		   : q->status == Q_DONE ? 100
					 : -1;
	pv_json_key(j, "progress");
	if (p < 0)
		pv_json_null(j);
	else
		pv_json_double(j, p / 100);
	common_json(q, j);
	pv_json_kint(j, "elapsed_ms", (q->status == Q_RUNNING ? now_ms() : q->end_ms) - q->start_ms);
	pv_json_key(j, "error");
	if (q->status == Q_ERROR) {
		pv_json_object_begin(j);
		pv_json_kstr(j, "code", q->error_code);
		pv_json_kstr(j, "message", q->error ? q->error : "out of memory");
		pv_json_key(j, "position");
		if (q->error_pos >= 0)
			pv_json_int(j, q->error_pos);
		else
			pv_json_null(j);
		pv_json_object_end(j);
	} else {
		pv_json_null(j);
	}
	pv_json_object_end(j);
	pthread_mutex_unlock(&q->qs->lock);
}

void pv_query_rows_json(pv_query *q, int64_t offset, int64_t limit, pv_json *j)
{
	pthread_mutex_lock(&q->qs->lock);
	pv_json_object_begin(j);
	common_json(q, j);
	pv_json_kint(j, "offset", offset);
	pv_json_key(j, "rows");
	pv_json_array_begin(j);
	int64_t end = offset + limit < q->n_rows ? offset + limit : q->n_rows;
	for (int64_t i = offset; i < end; i++) {
		int64_t s = q->offs[i];
		int64_t e = i + 1 < q->n_rows ? q->offs[i + 1] : (int64_t)q->text.len;
		pv_json_raw(j, q->text.data + s, (size_t)(e - s - 1)); /* without its '\n' */
	}
	pv_json_array_end(j);
	pv_json_object_end(j);
	pthread_mutex_unlock(&q->qs->lock);
}
