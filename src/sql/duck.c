/*
 * duck.c - loads libduckdb.so at run time and runs SQL through DuckDB's C
 * API: sessions, statements, and results streamed chunk by chunk as text.
 *
 * For text results (pv_duck_query) a SELECT is rewritten as SELECT
 * COLUMNS(*)::VARCHAR FROM (<it>) so that DuckDB renders every value (the
 * oracle for differential tests must print what DuckDB prints) and the
 * result streams; other statements run as they are and their small results
 * are read cell by cell. Arrow results (pv_duck_query_arrow) run the last
 * statement as it is, streamed, and convert each chunk with DuckDB's own
 * Arrow converter. Includes base/, sql/duckdb_api.h and jansson (DuckDB's
 * errors come as JSON) only; never DuckDB's own duckdb.h.
 */
#include "sql/duck.h"

#include <assert.h>
#include <dlfcn.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arrowc.h"
#include "base/buf.h"
#include "base/checked.h"
#include "sql/duckdb_api.h"
#include "base/banned.h"

#define NOT_FOUND_MSG \
	"duckdb library not found: run 'make bootstrap' (or scripts/bootstrap), " \
	"or set PARQVIEW_DUCKDB to the path of libduckdb.so"

/* A row's text may not exceed this (DuckDB strings go up to 4 GiB). */
#define ROW_TEXT_CAP ((size_t)1 << 30)

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static pv_err load_err;       /* the outcome, fixed after load_once */
static pv_duckdb_api api;     /* all set when load_err.code == PV_OK */
static void *lib;             /* the dlopen handle */
static char lib_path[PATH_MAX];
static const char *lib_version;

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	"dlsym results must fit a function pointer");

/* Fills api from h; on a missing symbol sets e and returns its code. */
static int bind_symbols(void *h, const char *path, pv_err *e)
{
	void *sym;
#define PV_DUCKDB_BIND(name, since, ret, args) \
	sym = dlsym(h, "duckdb_" #name); \
	if (!sym) \
		return pv_err_set(e, PV_EUNSUPPORTED, \
			"duckdb library at '%s' is too old (missing '%s'); need %s or newer", \
			path, "duckdb_" #name, since); \
	memcpy(&api.name, &sym, sizeof sym);
	PV_DUCKDB_FUNCS(PV_DUCKDB_BIND)
#undef PV_DUCKDB_BIND
	return 0;
}

/* Opens the library at path (name for the system loader when !is_file).
 * PV_ENOTFOUND when there is no such file, so the caller tries the next. */
static int try_open(const char *path, bool is_file, pv_err *e)
{
	if (is_file && access(path, F_OK) != 0)
		return pv_err_set(e, PV_ENOTFOUND, NOT_FOUND_MSG);
	/* lazy: binding each of the library's thousands of functions at load
	 * costs several milliseconds of every start, and a session calls few */
	void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		if (!is_file)
			return pv_err_set(e, PV_ENOTFOUND, NOT_FOUND_MSG);
		const char *why = dlerror();
		return pv_err_set(e, PV_EUNSUPPORTED, "duckdb library at '%s' cannot be loaded: %s",
			path, why ? why : "unknown reason");
	}
	int rc = bind_symbols(h, path, e);
	if (rc < 0) {
		memset(&api, 0, sizeof api);
		dlclose(h);
		return rc;
	}
	lib = h;
	snprintf(lib_path, sizeof lib_path, "%s", path);
	const char *v = api.library_version();
	lib_version = v ? v : "unknown";
	return 0;
}

static void do_load(void)
{
	pv_err_clear(&load_err);
	const char *env = getenv("PARQVIEW_DUCKDB");
	if (env && *env) {
		/* an explicit choice is not silently replaced by another library */
		try_open(env, true, &load_err);
		return;
	}

	/* The repository's .deps/, seen from build/, build/<dir>/ and
	 * build/asan/<dir>/. A library that is there but broken is reported
	 * unless a later place has a good one. */
	pv_err first;
	pv_err_clear(&first);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			static const char *const rel[] = {
				"/../.deps/lib/libduckdb.so",
				"/../../.deps/lib/libduckdb.so",
				"/../../../.deps/lib/libduckdb.so",
			};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				char path[PATH_MAX];
				int w = snprintf(path, sizeof path, "%s%s", exe, rel[i]);
				if (w < 0 || (size_t)w >= sizeof path)
					continue;
				pv_err e;
				int rc = try_open(path, true, &e);
				if (rc == 0)
					return;
				if (rc != PV_ENOTFOUND && first.code == PV_OK)
					pv_err_copy(&first, &e);
			}
		}
	}
	if (try_open("libduckdb.so", false, &load_err) == 0)
		return;
	if (first.code != PV_OK)
		pv_err_copy(&load_err, &first);
}

int pv_duck_load(pv_err *err)
{
	pthread_once(&load_once, do_load);
	if (load_err.code != PV_OK) {
		pv_err_copy(err, &load_err);
		return load_err.code;
	}
	return 0;
}

const char *pv_duck_version(void)
{
	return pv_duck_load(NULL) == 0 ? lib_version : NULL;
}

const char *pv_duck_path(void)
{
	return pv_duck_load(NULL) == 0 ? lib_path : NULL;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* The position DuckDB gave with the last error on this thread. */
static _Thread_local int64_t last_error_pos = -1;

int64_t pv_duck_error_position(void)
{
	return last_error_pos;
}

/* Copies s into out (n > 0 bytes), cut to fit at a character boundary. */
static void copy_cut(char *out, size_t n, const char *s)
{
	size_t l = strlen(s);
	if (l >= n) {
		l = n - 1;
		while (l > 0 && ((unsigned char)s[l] & 0xc0) == 0x80)
			l--;
	}
	memcpy(out, s, l);
	out[l] = '\0';
}

/* DuckDB's errors_as_json form: {"exception_type": "Binder",
 * "exception_message": "...", "position": "42", ...}, the parser's wrapped
 * as "Parser Error: {...}". Fills type, message and *pos (-1 when absent);
 * false when msg is not that. */
static bool json_error(const char *msg, char *type, size_t n_type, char *text, size_t n_text,
	int64_t *pos)
{
	*pos = -1;
	type[0] = text[0] = '\0';
	const char *p = msg;
	const char *wrapped = strstr(msg, " Error: {");
	if (wrapped && wrapped - msg < 40)
		p = wrapped + 8;
	json_t *root = json_loads(p, JSON_DISABLE_EOF_CHECK, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return false;
	}
	const char *t = json_string_value(json_object_get(root, "exception_type"));
	const char *m = json_string_value(json_object_get(root, "exception_message"));
	json_t *at = json_object_get(root, "position");
	if (t)
		copy_cut(type, n_type, t);
	if (m)
		copy_cut(text, n_text, m);
	if (json_is_string(at)) {
		/* DuckDB writes every value as a string */
		const char *v = json_string_value(at);
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*v && !*end && n >= 0)
			*pos = n;
	} else if (json_is_integer(at) && json_integer_value(at) >= 0) {
		*pos = json_integer_value(at);
	}
	json_decref(root);
	return type[0] != '\0';
}

/* DuckDB's message on one line with runs of white space squeezed (its
 * messages carry blank lines and a caret line under the query). Sessions
 * ask for errors as JSON, which also gives the error's position. */
static int duck_error(pv_err *err, const char *msg)
{
	if (!msg || !*msg)
		msg = "duckdb failed without a message";
	char type[64], text[PV_ERR_MSG_MAX], joined[PV_ERR_MSG_MAX + 80];
	int64_t pos;
	if (json_error(msg, type, sizeof type, text, sizeof text, &pos)) {
		snprintf(joined, sizeof joined, "%s Error: %s", type, text);
		msg = joined;
	}
	last_error_pos = pos;
	int code = strncmp(msg, "Out of Memory Error", 19) == 0 ? PV_ELIMIT : PV_EINVAL;
	char line[PV_ERR_MSG_MAX];
	size_t j = 0;
	bool space = false;
	for (const char *p = msg; *p && j < sizeof line - 1; p++) {
		/* control characters too: the message stays one line */
		bool ws = (unsigned char)*p <= ' ' || *p == 0x7f;
		if (ws) {
			space = j > 0;
			continue;
		}
		if (space && j < sizeof line - 2)
			line[j++] = ' ';
		space = false;
		line[j++] = *p;
	}
	line[j] = '\0';
	return pv_err_set(err, code, "%s", line);
}

/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

struct pv_duck {
	duckdb_database db;
	duckdb_connection conn;
};

static int set_option(duckdb_config cfg, const char *name, const char *value, pv_err *err)
{
	if (api.set_config(cfg, name, value) == DuckDBError)
		return pv_err_set(err, PV_EINVAL, "duckdb refused option '%s' = '%s'", name, value);
	return 0;
}

/* Appends s as a SQL string literal. */
static int put_literal(pv_buf *b, const char *s, pv_err *err)
{
	int rc = pv_buf_putc(b, '\'', err);
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '\'' ? pv_buf_puts(b, "''", err) : pv_buf_putc(b, *p, err);
	return rc ? rc : pv_buf_putc(b, '\'', err);
}

/* "SET <setting> = ['a', 'b']" for the allowed paths that are (want_dir)
 * or are not directories; nothing when there are none. */
static int put_allowed(pv_buf *b, const pv_duck_opts *o, const char *setting, bool want_dir,
	pv_err *err)
{
	bool any = false;
	for (size_t i = 0; i < o->n_allowed_paths; i++) {
		const char *p = o->allowed_paths[i];
		if (!p || !*p)
			continue;
		struct stat st;
		bool is_dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
		if (is_dir != want_dir)
			continue;
		int rc = pv_buf_puts(b, any ? ", " : "SET ", err);
		if (!rc && !any)
			rc = pv_buf_printf(b, err, "%s = [", setting);
		if (!rc)
			rc = put_literal(b, p, err);
		if (rc)
			return rc;
		any = true;
	}
	return any ? pv_buf_puts(b, "];\n", err) : 0;
}

/* Locks the session down (see pv_duck_opts.restricted). The order matters:
 * DuckDB accepts allowed paths only while external access is still on, and
 * nothing at all once the configuration is locked. */
static int restrict_session(pv_duck *d, const pv_duck_opts *o, pv_err *err)
{
	pv_buf sql;
	pv_buf_init(&sql, 1 << 20);
	int rc = put_allowed(&sql, o, "allowed_directories", true, err);
	if (!rc)
		rc = put_allowed(&sql, o, "allowed_paths", false, err);
	if (!rc)
		rc = pv_buf_puts(&sql, "SET enable_external_access = false;\n"
			"SET lock_configuration = true;\n", err);
	if (!rc)
		rc = pv_duck_exec(d, sql.data, err);
	if (rc)
		pv_err_prefix(err, "restricted mode");
	pv_buf_release(&sql);
	return rc;
}

int pv_duck_open(const pv_duck_opts *opts, pv_duck **out, pv_err *err)
{
	assert(out);
	*out = NULL;
	int rc = pv_duck_load(err);
	if (rc)
		return rc;
	pv_duck_opts none = { 0 };
	const pv_duck_opts *o = opts ? opts : &none;

	duckdb_config cfg = NULL;
	if (api.create_config(&cfg) == DuckDBError)
		return pv_err_set(err, PV_ENOMEM, "duckdb cannot create a configuration");
	char num[32];
	if (o->threads > 0) {
		snprintf(num, sizeof num, "%d", o->threads);
		rc = set_option(cfg, "threads", num, err);
	}
	if (!rc && o->memory_limit)
		rc = set_option(cfg, "memory_limit", o->memory_limit, err);
	if (!rc && o->temp_directory)
		rc = set_option(cfg, "temp_directory", o->temp_directory, err);
	/* as configuration rather than a SET after the open */
	if (!rc)
		rc = set_option(cfg, "errors_as_json", "true", err);
	if (!rc && o->restricted) {
		rc = set_option(cfg, "autoinstall_known_extensions", "false", err);
		if (!rc)
			rc = set_option(cfg, "autoload_known_extensions", "false", err);
		if (!rc)
			rc = set_option(cfg, "allow_community_extensions", "false", err);
	}
	if (rc) {
		api.destroy_config(&cfg);
		return rc;
	}

	pv_duck *d = calloc(1, sizeof *d);
	if (!d) {
		api.destroy_config(&cfg);
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	}
	char *why = NULL;
	if (api.open_ext(NULL, &d->db, cfg, &why) == DuckDBError) {
		rc = duck_error(err, why);
		pv_err_prefix(err, "duckdb open");
		if (why)
			api.free(why);
		api.destroy_config(&cfg);
		free(d);
		return rc;
	}
	api.destroy_config(&cfg);
	if (api.connect(d->db, &d->conn) == DuckDBError) {
		pv_duck_close(d);
		return pv_err_set(err, PV_EINTERNAL, "duckdb connect failed");
	}
	/* Progress is only tracked while DuckDB thinks a progress bar shows,
	 * and tracking it costs DuckDB work on every chunk, so it stays off
	 * when nobody asks (DuckDB refuses these two as configuration) */
	if (!o->no_progress)
		rc = pv_duck_exec(d, "SET enable_progress_bar = true; "
				     "SET enable_progress_bar_print = false", err);
	if (!rc && o->restricted)
		rc = restrict_session(d, o, err);
	if (rc) {
		pv_duck_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

void pv_duck_close(pv_duck *d)
{
	if (!d)
		return;
	if (d->conn)
		api.disconnect(&d->conn);
	if (d->db)
		api.close(&d->db);
	free(d);
}

void pv_duck_interrupt(pv_duck *d)
{
	if (d && d->conn)
		api.interrupt(d->conn);
}

double pv_duck_progress(pv_duck *d)
{
	if (!d || !d->conn)
		return -1;
	duckdb_query_progress_type p = api.query_progress(d->conn);
	return p.percentage < 0 ? -1 : p.percentage;
}

int pv_duck_exec(pv_duck *d, const char *sql, pv_err *err)
{
	assert(d && sql);
	duckdb_result res;
	memset(&res, 0, sizeof res);
	int rc = 0;
	if (api.query(d->conn, sql, &res) == DuckDBError)
		rc = duck_error(err, api.result_error(&res));
	api.destroy_result(&res);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Splitting statements                                                */
/* ------------------------------------------------------------------ */

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Skips a quoted run opened at *p (quote q, doubled to escape; backslash
 * escapes too when bs). NULL when it is not closed. */
static const char *skip_quoted(const char *p, char q, bool bs)
{
	for (p++; *p; p++) {
		if (bs && *p == '\\' && p[1]) {
			p++;
		} else if (*p == q) {
			if (p[1] != q)
				return p + 1;
			p++;
		}
	}
	return NULL;
}

/*
 * Finds the text of the last statement of sql, splitting where DuckDB's
 * parser does: at ';' outside strings, quoted names, dollar quotes and
 * comments. Returns false, and the caller leaves the statement as it is,
 * when the text is not closed or the count differs from DuckDB's n_stmts.
 */
static bool last_statement(const char *sql, size_t n_stmts, const char **out_s, size_t *out_n)
{
	size_t count = 0;
	const char *seg = sql, *last = NULL;
	size_t last_n = 0;
	bool content = false;
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (c == '/' && p[1] == '*') {
			size_t depth = 1;
			for (p += 2; *p && depth; ) {
				if (p[0] == '/' && p[1] == '*') {
					depth++;
					p += 2;
				} else if (p[0] == '*' && p[1] == '/') {
					depth--;
					p += 2;
				} else {
					p++;
				}
			}
			if (depth)
				return false;
			continue;
		}
		if (c == ';') {
			if (content) {
				count++;
				last = seg;
				last_n = (size_t)(p - seg);
			}
			seg = ++p;
			content = false;
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
			content = true;
		if (c == '\'' || c == '"') {
			bool e_string = c == '\'' && p > sql && (p[-1] == 'e' || p[-1] == 'E') &&
				(p - 1 == sql || !ident_char(p[-2]));
			p = skip_quoted(p, c, e_string);
			if (!p)
				return false;
			continue;
		}
		if (c == '$' && (p == sql || !ident_char(p[-1])) && !(p[1] >= '0' && p[1] <= '9')) {
			const char *t = p + 1;
			while (ident_char(*t) && *t != '$')
				t++;
			if (*t == '$') {
				size_t tag = (size_t)(t + 1 - p);
				const char *end = t + 1;
				while (*end && strncmp(end, p, tag) != 0)
					end++;
				if (!*end)
					return false;
				p = end + tag;
				continue;
			}
		}
		p++;
	}
	if (content) {
		count++;
		last = seg;
		last_n = (size_t)(p - seg);
	}
	if (!last || count != n_stmts)
		return false;
	*out_s = last;
	*out_n = last_n;
	return true;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

struct pv_duck_result {
	pv_duck *d;
	duckdb_prepared_statement stmt; /* kept alive while its result streams */
	duckdb_result res;
	bool has_res;
	bool streaming;       /* every column VARCHAR, read from chunks */
	bool arrow;           /* pv_duck_query_arrow: read with next_batch only */
	bool batches;         /* pv_duck_result_next_batch was called */
	duckdb_statement_type stmt_type; /* arrow results: the last statement's */
	duckdb_arrow_options aopts; /* NULL until the schema or a batch needs it */
	size_t n_cols;
	char **names;         /* n_cols owned copies */

	/* streaming: the current chunk and its columns */
	duckdb_data_chunk chunk;
	idx_t chunk_size, pos; /* pos: the next row of the chunk to return */
	duckdb_string_t **col_data;
	uint64_t **col_valid;
	bool done;

	/* materialized */
	idx_t n_mrows, mrow;

	/* the current row, NUL-terminated values packed in one buffer */
	pv_buf row;
	size_t *off, *len;
	bool *is_null;
	bool has_row;
	size_t n_rows;
};

/* Allocates r's column arrays and copies the names of r->res (no columns
 * when there is no result). */
static int setup_columns(pv_duck_result *r, pv_err *err)
{
	r->n_cols = r->has_res ? (size_t)api.column_count(&r->res) : 0;
	size_t n = r->n_cols ? r->n_cols : 1;
	r->names = calloc(n, sizeof *r->names);
	r->off = calloc(n, sizeof *r->off);
	r->len = calloc(n, sizeof *r->len);
	r->is_null = calloc(n, sizeof *r->is_null);
	r->col_data = calloc(n, sizeof *r->col_data);
	r->col_valid = calloc(n, sizeof *r->col_valid);
	if (!r->names || !r->off || !r->len || !r->is_null || !r->col_data || !r->col_valid)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n_cols; i++) {
		const char *name = api.column_name(&r->res, i);
		r->names[i] = strdup(name ? name : "");
		if (!r->names[i])
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		if (r->streaming && api.column_type(&r->res, i) != DUCKDB_TYPE_VARCHAR)
			return pv_err_set(err, PV_EINTERNAL,
				"duckdb returned column '%s' uncast to varchar", r->names[i]);
	}
	return 0;
}

/* Runs stmt so that its result streams into r. */
static int run_streaming(pv_duck_result *r, duckdb_prepared_statement stmt, pv_err *err)
{
	duckdb_pending_result pending = NULL;
	int rc = 0;
	if (api.pending_prepared_streaming(stmt, &pending) == DuckDBError) {
		rc = duck_error(err, api.pending_error(pending));
	} else {
		memset(&r->res, 0, sizeof r->res);
		duckdb_state st = api.execute_pending(pending, &r->res);
		r->has_res = true;
		if (st == DuckDBError)
			rc = duck_error(err, api.result_error(&r->res));
	}
	api.destroy_pending(&pending);
	return rc;
}

/* Runs the SELECT text s (n bytes) with every column cast to VARCHAR.
 * Returns 1 when DuckDB will not take it as a subquery (the caller then
 * runs the statement as it is). */
static int try_wrapped(pv_duck_result *r, const char *s, size_t n, pv_err *err)
{
	if (n > INT_MAX)
		return 1;
	pv_buf q;
	pv_buf_init(&q, 0);
	/* the newline before ')' ends a trailing "--" comment */
	int rc = pv_buf_printf(&q, err, "SELECT COLUMNS(*)::VARCHAR FROM (\n%.*s\n)", (int)n, s);
	duckdb_prepared_statement stmt = NULL;
	if (!rc && api.prepare(r->d->conn, q.data, &stmt) == DuckDBError)
		rc = 1;
	pv_buf_release(&q);
	if (rc) {
		api.destroy_prepare(&stmt);
		return rc;
	}
	r->stmt = stmt;
	r->streaming = true;
	rc = run_streaming(r, stmt, err);
	return rc ? rc : setup_columns(r, err);
}

/* Whether DuckDB's Arrow form of type t (or of a type inside it) loses
 * what the value is: UNION has no form the renderers read, TIME WITH TIME
 * ZONE drops its offset, BIT and VARINT become opaque bytes, UHUGEINT
 * past 2^127 turns negative. Those columns are cast to text instead. */
static bool arrow_lossy(duckdb_logical_type t, int depth)
{
	if (!t || depth > 64)
		return false;
	duckdb_type id = api.get_type_id(t);
	duckdb_logical_type kids[2] = { NULL, NULL };
	bool lossy = false;
	switch (id) {
	case DUCKDB_TYPE_UNION:
	case DUCKDB_TYPE_BIT:
	case DUCKDB_TYPE_TIME_TZ:
	case DUCKDB_TYPE_UHUGEINT:
	case DUCKDB_TYPE_VARINT:
		return true;
	case DUCKDB_TYPE_LIST:
		kids[0] = api.list_type_child_type(t);
		break;
	case DUCKDB_TYPE_ARRAY:
		kids[0] = api.array_type_child_type(t);
		break;
	case DUCKDB_TYPE_MAP:
		kids[0] = api.map_type_key_type(t);
		kids[1] = api.map_type_value_type(t);
		break;
	case DUCKDB_TYPE_STRUCT:
		for (idx_t i = 0, n = api.struct_type_child_count(t); i < n && !lossy; i++) {
			duckdb_logical_type c = api.struct_type_child_type(t, i);
			lossy = arrow_lossy(c, depth + 1);
			if (c)
				api.destroy_logical_type(&c);
		}
		return lossy;
	default:
		return false;
	}
	for (int k = 0; k < 2; k++) {
		if (!lossy)
			lossy = arrow_lossy(kids[k], depth + 1);
		if (kids[k])
			api.destroy_logical_type(&kids[k]);
	}
	return lossy;
}

/* Appends s as a SQL quoted name. */
static int put_name(pv_buf *b, const char *s, pv_err *err)
{
	int rc = pv_buf_putc(b, '"', err);
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '"' ? pv_buf_puts(b, "\"\"", err) : pv_buf_putc(b, *p, err);
	return rc ? rc : pv_buf_putc(b, '"', err);
}

/* When columns of stmt (the text s, n bytes) are lossy in Arrow, prepares
 * the query again with those columns cast to VARCHAR into *out. Leaves
 * *out NULL when there is nothing to cast or DuckDB will not take the
 * statement as a subquery. */
static int prepare_castless(pv_duck *d, duckdb_prepared_statement stmt, const char *s,
	size_t n, duckdb_prepared_statement *out, pv_err *err)
{
	*out = NULL;
	pv_buf q;
	pv_buf_init(&q, 0);
	int rc = 0;
	bool any = false;
	idx_t n_cols = api.prepared_statement_column_count(stmt);
	for (idx_t i = 0; i < n_cols && !rc; i++) {
		duckdb_logical_type t = api.prepared_statement_column_logical_type(stmt, i);
		bool lossy = arrow_lossy(t, 0);
		if (t)
			api.destroy_logical_type(&t);
		if (!lossy)
			continue;
		/* the name is the caller's to free with duckdb_free */
		char *name = (char *)api.prepared_statement_column_name(stmt, i);
		if (!name)
			continue;
		rc = pv_buf_puts(&q, any ? ", CAST(" : "SELECT * REPLACE (CAST(", err);
		if (!rc)
			rc = put_name(&q, name, err);
		if (!rc)
			rc = pv_buf_puts(&q, " AS VARCHAR) AS ", err);
		if (!rc)
			rc = put_name(&q, name, err);
		api.free(name);
		any = true;
	}
	/* the newline before ')' ends a trailing "--" comment */
	if (!rc && any && n <= INT_MAX)
		rc = pv_buf_printf(&q, err, ") FROM (\n%.*s\n)", (int)n, s);
	if (!rc && any && n <= INT_MAX &&
		api.prepare(d->conn, q.data, out) == DuckDBError)
		api.destroy_prepare(out);
	pv_buf_release(&q);
	return rc;
}

/* Runs the last extracted statement (index i of ex; its text s, n bytes,
 * or NULL when it could not be told apart) streamed when DuckDB can
 * stream it, for an Arrow result. */
static int run_arrow(pv_duck_result *r, duckdb_extracted_statements ex, idx_t i, const char *s,
	size_t n, pv_err *err)
{
	duckdb_prepared_statement stmt = NULL;
	if (api.prepare_extracted_statement(r->d->conn, ex, i, &stmt) == DuckDBError) {
		int rc = duck_error(err, api.prepare_error(stmt));
		api.destroy_prepare(&stmt);
		return rc;
	}
	if (s) {
		duckdb_prepared_statement cast = NULL;
		int rc = prepare_castless(r->d, stmt, s, n, &cast, err);
		if (rc) {
			api.destroy_prepare(&stmt);
			return rc;
		}
		if (cast) {
			api.destroy_prepare(&stmt);
			stmt = cast;
		}
	}
	r->stmt = stmt;
	r->stmt_type = api.prepared_statement_type(stmt);
	int rc = run_streaming(r, stmt, err);
	return rc ? rc : setup_columns(r, err);
}

/* Runs the statements of ex before the last (n in all) for their
 * effects; stops at the first error. */
static int run_leading(pv_duck *d, duckdb_extracted_statements ex, idx_t n, pv_err *err)
{
	int rc = 0;
	for (idx_t i = 0; i + 1 < n && !rc; i++) {
		duckdb_prepared_statement stmt = NULL;
		duckdb_result res;
		memset(&res, 0, sizeof res);
		if (api.prepare_extracted_statement(d->conn, ex, i, &stmt) == DuckDBError) {
			rc = duck_error(err, api.prepare_error(stmt));
		} else {
			if (api.execute_prepared(stmt, &res) == DuckDBError)
				rc = duck_error(err, api.result_error(&res));
			api.destroy_result(&res);
		}
		api.destroy_prepare(&stmt);
	}
	return rc;
}

static int run_query(pv_duck *d, const char *sql, bool arrow, pv_duck_result **out, pv_err *err)
{
	assert(d && sql && out);
	*out = NULL;
	pv_duck_result *r = calloc(1, sizeof *r);
	if (!r)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	r->d = d;
	r->arrow = arrow;
	pv_buf_init(&r->row, ROW_TEXT_CAP);

	duckdb_extracted_statements ex = NULL;
	idx_t n = api.extract_statements(d->conn, sql, &ex);
	int rc = 0;
	if (n == 0) {
		const char *why = api.extract_statements_error(ex);
		if (why)
			rc = duck_error(err, why);
		else
			rc = setup_columns(r, err); /* nothing to run: no columns, no rows */
		api.destroy_extracted(&ex);
		r->done = true;
		goto out;
	}

	rc = run_leading(d, ex, n, err);
	if (rc) {
		api.destroy_extracted(&ex);
		goto out;
	}

	const char *last;
	size_t last_n;
	bool split = last_statement(sql, (size_t)n, &last, &last_n);
	if (arrow) {
		rc = run_arrow(r, ex, n - 1, split ? last : NULL, split ? last_n : 0, err);
		api.destroy_extracted(&ex);
		goto out;
	}
	rc = 1;
	if (split)
		rc = try_wrapped(r, last, last_n, err);
	if (rc == 1) {
		/* not a query DuckDB takes as a subquery: run it as it is */
		duckdb_prepared_statement stmt = NULL;
		memset(&r->res, 0, sizeof r->res);
		rc = 0;
		if (api.prepare_extracted_statement(d->conn, ex, n - 1, &stmt) == DuckDBError) {
			rc = duck_error(err, api.prepare_error(stmt));
		} else {
			duckdb_state st = api.execute_prepared(stmt, &r->res);
			r->has_res = true;
			if (st == DuckDBError)
				rc = duck_error(err, api.result_error(&r->res));
			else
				r->n_mrows = api.row_count(&r->res);
		}
		api.destroy_prepare(&stmt);
		if (!rc)
			rc = setup_columns(r, err);
	}
	api.destroy_extracted(&ex);
out:
	if (rc) {
		pv_duck_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int pv_duck_query(pv_duck *d, const char *sql, pv_duck_result **out, pv_err *err)
{
	return run_query(d, sql, false, out, err);
}

int pv_duck_query_arrow(pv_duck *d, const char *sql, pv_duck_result **out, pv_err *err)
{
	return run_query(d, sql, true, out, err);
}

int pv_duck_copy(pv_duck *d, const char *sql, const char *path, const char *options,
	int64_t *out_rows, pv_err *err)
{
	assert(d && sql && path);
	if (out_rows)
		*out_rows = 0;
	duckdb_extracted_statements ex = NULL;
	idx_t n = api.extract_statements(d->conn, sql, &ex);
	int rc = 0;
	if (n == 0) {
		const char *why = api.extract_statements_error(ex);
		rc = why ? duck_error(err, why)
			 : pv_err_set(err, PV_EINVAL, "no statement to export");
		api.destroy_extracted(&ex);
		return rc;
	}
	rc = run_leading(d, ex, n, err);
	api.destroy_extracted(&ex);
	if (rc)
		return rc;
	const char *last;
	size_t last_n;
	if (!last_statement(sql, (size_t)n, &last, &last_n) || last_n > INT_MAX)
		return pv_err_set(err, PV_EINVAL, "cannot tell the last statement apart to export it");
	pv_buf q;
	pv_buf_init(&q, 0);
	/* the newline before ')' ends a trailing "--" comment */
	rc = pv_buf_printf(&q, err, "COPY (\n%.*s\n) TO ", (int)last_n, last);
	if (!rc)
		rc = put_literal(&q, path, err);
	if (!rc && options && *options)
		rc = pv_buf_printf(&q, err, " (%s)", options);
	duckdb_result res;
	memset(&res, 0, sizeof res);
	if (!rc) {
		if (api.query(d->conn, q.data, &res) == DuckDBError) {
			rc = duck_error(err, api.result_error(&res));
			/* a position inside the wrapped text means nothing to the user */
			int64_t pos = last_error_pos - (int64_t)strlen("COPY (\n");
			last_error_pos = pos >= 0 && pos < (int64_t)last_n ? (int64_t)(last - sql) + pos : -1;
		} else if (out_rows && api.row_count(&res) > 0) {
			char *v = api.value_varchar(&res, 0, 0);
			*out_rows = v ? strtoll(v, NULL, 10) : 0;
			if (v)
				api.free(v);
		}
		api.destroy_result(&res);
	}
	pv_buf_release(&q);
	return rc;
}

bool pv_duck_result_silent(const pv_duck_result *r)
{
	switch (r->stmt_type) {
	case DUCKDB_STATEMENT_TYPE_PREPARE:
	case DUCKDB_STATEMENT_TYPE_CREATE:
	case DUCKDB_STATEMENT_TYPE_ALTER:
	case DUCKDB_STATEMENT_TYPE_TRANSACTION:
	case DUCKDB_STATEMENT_TYPE_VARIABLE_SET:
	case DUCKDB_STATEMENT_TYPE_CREATE_FUNC:
	case DUCKDB_STATEMENT_TYPE_DROP:
	case DUCKDB_STATEMENT_TYPE_SET:
	case DUCKDB_STATEMENT_TYPE_LOAD:
	case DUCKDB_STATEMENT_TYPE_ATTACH:
	case DUCKDB_STATEMENT_TYPE_DETACH:
		return true;
	default:
		return r->n_cols == 0;
	}
}

size_t pv_duck_result_ncols(const pv_duck_result *r)
{
	return r->n_cols;
}

const char *pv_duck_result_colname(const pv_duck_result *r, size_t col)
{
	return col < r->n_cols ? r->names[col] : NULL;
}

size_t pv_duck_result_nrows(const pv_duck_result *r)
{
	return r->n_rows;
}

/* Adds one value (or NULL) of the current row. */
static int put_value(pv_duck_result *r, size_t col, const char *s, size_t n, pv_err *err)
{
	r->off[col] = r->row.len;
	r->len[col] = s ? n : 0;
	r->is_null[col] = !s;
	if (!s)
		return 0;
	int rc = pv_buf_append(&r->row, s, n, err);
	if (!rc)
		rc = pv_buf_putc(&r->row, '\0', err);
	if (rc)
		pv_err_prefix(err, "row %zu, column '%s'", r->n_rows + 1, r->names[col]);
	return rc;
}

static int next_streaming(pv_duck_result *r, pv_err *err)
{
	while (!r->chunk || r->pos >= r->chunk_size) {
		if (r->chunk)
			api.destroy_data_chunk(&r->chunk);
		r->chunk = NULL;
		if (r->done)
			return 0;
		r->chunk = api.fetch_chunk(r->res);
		if (!r->chunk) {
			r->done = true;
			const char *why = api.result_error(&r->res);
			return why ? duck_error(err, why) : 0;
		}
		r->chunk_size = api.data_chunk_get_size(r->chunk);
		r->pos = 0;
		for (size_t c = 0; c < r->n_cols; c++) {
			duckdb_vector v = api.data_chunk_get_vector(r->chunk, c);
			r->col_data[c] = v ? api.vector_get_data(v) : NULL;
			r->col_valid[c] = v ? api.vector_get_validity(v) : NULL;
			if (!r->col_data[c] && r->chunk_size > 0)
				return pv_err_set(err, PV_EINTERNAL, "duckdb returned a chunk without data");
		}
	}
	idx_t i = r->pos++;
	for (size_t c = 0; c < r->n_cols; c++) {
		const uint64_t *valid = r->col_valid[c];
		int rc;
		if (valid && !((valid[i / 64] >> (i % 64)) & 1)) {
			rc = put_value(r, c, NULL, 0, err);
		} else {
			const duckdb_string_t *s = &r->col_data[c][i];
			uint32_t n = s->value.inlined.length;
			const char *p = n <= PV_DUCKDB_STRING_INLINE ? s->value.inlined.inlined
				: s->value.pointer.ptr;
			rc = put_value(r, c, p ? p : "", p ? n : 0, err);
		}
		if (rc)
			return rc;
	}
	r->has_row = true;
	return 0;
}

static int next_materialized(pv_duck_result *r, pv_err *err)
{
	if (r->done || r->mrow >= r->n_mrows) {
		r->done = true;
		return 0;
	}
	idx_t i = r->mrow++;
	for (size_t c = 0; c < r->n_cols; c++) {
		char *s = api.value_is_null(&r->res, c, i) ? NULL : api.value_varchar(&r->res, c, i);
		int rc = put_value(r, c, s, s ? strlen(s) : 0, err);
		if (s)
			api.free(s);
		if (rc)
			return rc;
	}
	r->has_row = true;
	return 0;
}

int pv_duck_result_next(pv_duck_result *r, bool *out_has_row, pv_err *err)
{
	*out_has_row = false;
	if (r->arrow || r->batches)
		return pv_err_set(err, PV_EINVAL, "rows of this result are read as arrow batches");
	r->has_row = false;
	pv_buf_reset(&r->row);
	if (r->n_cols == 0)
		return 0;
	int rc = r->streaming ? next_streaming(r, err) : next_materialized(r, err);
	if (rc) {
		r->has_row = false;
		r->done = true;
		return rc;
	}
	if (r->has_row)
		r->n_rows++;
	*out_has_row = r->has_row;
	return 0;
}

const char *pv_duck_result_value(const pv_duck_result *r, size_t col, size_t *out_len)
{
	if (out_len)
		*out_len = 0;
	if (!r->has_row || col >= r->n_cols || r->is_null[col])
		return NULL;
	if (out_len)
		*out_len = r->len[col];
	return r->row.data + r->off[col];
}

const char *pv_duck_result_text(const pv_duck_result *r, size_t col)
{
	return pv_duck_result_value(r, col, NULL);
}

/* ------------------------------------------------------------------ */
/* Arrow                                                               */
/* ------------------------------------------------------------------ */

/* Takes DuckDB's error data: 0 when there is none, else its message. */
static int take_error_data(duckdb_error_data e, const char *what, pv_err *err)
{
	if (!e)
		return 0;
	int rc = 0;
	if (api.error_data_has_error(e)) {
		rc = duck_error(err, api.error_data_message(e));
		pv_err_prefix(err, "%s", what);
	}
	api.destroy_error_data(&e);
	return rc;
}

static int arrow_options(pv_duck_result *r, pv_err *err)
{
	if (!r->aopts)
		r->aopts = api.result_get_arrow_options(&r->res);
	if (!r->aopts)
		return pv_err_set(err, PV_EINTERNAL, "duckdb gave no arrow options");
	return 0;
}

static void release_empty_schema(struct ArrowSchema *s)
{
	s->release = NULL;
}

int pv_duck_result_schema(pv_duck_result *r, struct ArrowSchema *out, pv_err *err)
{
	assert(r && out);
	memset(out, 0, sizeof *out);
	if (!r->has_res || r->n_cols == 0) {
		out->format = "+s";
		out->name = "";
		out->release = release_empty_schema;
		return 0;
	}
	int rc = arrow_options(r, err);
	if (rc)
		return rc;
	duckdb_logical_type *types = calloc(r->n_cols, sizeof *types);
	if (!types)
		return pv_err_set(err, PV_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n_cols && !rc; i++)
		if (!(types[i] = api.column_logical_type(&r->res, i)))
			rc = pv_err_set(err, PV_EINTERNAL, "duckdb gave no type for column '%s'",
				r->names[i]);
	if (!rc)
		rc = take_error_data(api.to_arrow_schema(r->aopts, types, (const char **)r->names,
			r->n_cols, out), "arrow schema", err);
	for (size_t i = 0; i < r->n_cols; i++)
		if (types[i])
			api.destroy_logical_type(&types[i]);
	free(types);
	if (rc && out->release)
		out->release(out);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

int pv_duck_result_next_batch(pv_duck_result *r, struct ArrowArray *out, pv_err *err)
{
	assert(r && out);
	memset(out, 0, sizeof *out);
	if (r->has_row || (r->n_rows > 0 && !r->batches))
		return pv_err_set(err, PV_EINVAL, "rows of this result are read as text");
	r->batches = true;
	if (!r->has_res || r->n_cols == 0 || r->done)
		return 0;
	int rc = arrow_options(r, err);
	if (rc)
		return rc;
	duckdb_data_chunk chunk = NULL;
	for (;;) {
		chunk = api.fetch_chunk(r->res);
		if (!chunk) {
			r->done = true;
			const char *why = api.result_error(&r->res);
			return why ? duck_error(err, why) : 0;
		}
		if (api.data_chunk_get_size(chunk) > 0)
			break;
		api.destroy_data_chunk(&chunk);
	}
	/* the converter copies the values: the array outlives the chunk */
	rc = take_error_data(api.data_chunk_to_arrow(r->aopts, chunk, out), "arrow batch", err);
	api.destroy_data_chunk(&chunk);
	if (rc) {
		if (out->release)
			out->release(out);
		memset(out, 0, sizeof *out);
		r->done = true;
		return rc;
	}
	if (!out->release || out->length < 0)
		return pv_err_set(err, PV_EINTERNAL, "duckdb produced an empty arrow batch");
	r->n_rows += (size_t)out->length;
	return 0;
}

void pv_duck_result_free(pv_duck_result *r)
{
	if (!r)
		return;
	if (r->aopts)
		api.destroy_arrow_options(&r->aopts);
	if (r->chunk)
		api.destroy_data_chunk(&r->chunk);
	if (r->has_res)
		api.destroy_result(&r->res);
	if (r->stmt)
		api.destroy_prepare(&r->stmt);
	if (r->names)
		for (size_t i = 0; i < r->n_cols; i++)
			free(r->names[i]);
	free(r->names);
	free(r->off);
	free(r->len);
	free(r->is_null);
	free(r->col_data);
	free(r->col_valid);
	pv_buf_release(&r->row);
	free(r);
}
