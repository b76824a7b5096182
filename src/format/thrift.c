/*
 * thrift.c - Thrift compact protocol reader and writer (see thrift.h).
 * Includes only base.
 */
#include "format/thrift.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/banned.h"

/* ------------------------------------------------------------------ reader */

void pv_thrift_reader_init(pv_thrift_reader *r, const uint8_t *buf, size_t len, pv_err *err)
{
	r->cur = pv_cursor_make(buf, len);
	r->start = buf;
	r->err = err;
	r->code = PV_OK;
	r->truncated = false;
	r->depth = 0;
	r->pending_bool = -1;
	r->last_id = 0;
}

int pv_thrift_fail(pv_thrift_reader *r, int code, const char *fmt, ...)
{
	if (r->code)
		return r->code;
	r->code = code;
	if (r->err) {
		char msg[PV_ERR_MSG_MAX];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		pv_err_set(r->err, code, "%s", msg);
	}
	return code;
}

static void fail_truncated(pv_thrift_reader *r, const char *what)
{
	if (r->code)
		return;
	r->truncated = true;
	pv_thrift_fail(r, PV_ECORRUPT, "thrift data ends inside %s", what);
}

/* The cursor's sticky flag turns into the reader's error once per read. */
static inline bool check_cursor(pv_thrift_reader *r, const char *what)
{
	if (r->cur.bad) {
		fail_truncated(r, what);
		return false;
	}
	return true;
}

/* A varint that is malformed (over 10 bytes) looks the same to the cursor as
 * one cut off by the end of the buffer; tell them apart for the caller. */
static uint64_t read_uvarint(pv_thrift_reader *r, const char *what)
{
	if (r->code)
		return 0;
	const uint8_t *p = r->cur.p;
	uint64_t v = pv_cursor_uvarint(&r->cur);
	if (r->cur.bad) {
		size_t left = (size_t)(r->cur.end - p);
		bool ended = true;
		for (size_t i = 0; i < left && i < 10; i++)
			if (!(p[i] & 0x80)) {
				ended = false;
				break;
			}
		if (ended && left < 10)
			fail_truncated(r, what);
		else
			pv_thrift_fail(r, PV_ECORRUPT, "thrift varint in %s is malformed", what);
		return 0;
	}
	return v;
}

static int64_t read_zvarint(pv_thrift_reader *r, const char *what)
{
	uint64_t u = read_uvarint(r, what);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

void pv_thrift_struct_begin(pv_thrift_reader *r)
{
	if (r->code)
		return;
	if (r->depth >= PV_THRIFT_MAX_DEPTH) {
		pv_thrift_fail(r, PV_ELIMIT, "thrift struct nested deeper than %d", PV_THRIFT_MAX_DEPTH);
		return;
	}
	r->stack[r->depth++] = r->last_id;
	r->last_id = 0;
	r->pending_bool = -1;
}

void pv_thrift_struct_end(pv_thrift_reader *r)
{
	/* Unwinds even after an error so begin/end stay balanced. */
	if (r->depth > 0)
		r->last_id = r->stack[--r->depth];
	r->pending_bool = -1;
}

bool pv_thrift_field_slow(pv_thrift_reader *r, int *out_type, int16_t *out_id)
{
	*out_type = PV_THRIFT_STOP;
	*out_id = 0;
	if (r->code)
		return false;
	r->pending_bool = -1;
	uint8_t b = pv_cursor_u8(&r->cur);
	if (!check_cursor(r, "a struct"))
		return false;
	int type = b & 0x0f;
	int delta = b >> 4;
	if (type == PV_THRIFT_STOP) {
		if (delta) {
			pv_thrift_fail(r, PV_ECORRUPT, "thrift field header 0x%02x is malformed", b);
		}
		return false;
	}
	int32_t id;
	if (delta) {
		id = (int32_t)r->last_id + delta;
	} else {
		int64_t v = read_zvarint(r, "a field header");
		if (r->code)
			return false;
		if (v < INT16_MIN || v > INT16_MAX) {
			pv_thrift_fail(r, PV_ECORRUPT, "thrift field id %lld is out of range", (long long)v);
			return false;
		}
		id = (int32_t)v;
	}
	if (id < 0) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift field id %d is negative", (int)id);
		return false;
	}
	if (id > INT16_MAX) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift field id %d is out of range", (int)id);
		return false;
	}
	if (type > PV_THRIFT_UUID) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift field %d has unknown type %d", (int)id, type);
		return false;
	}
	if (type == PV_THRIFT_BOOL_TRUE || type == PV_THRIFT_BOOL) {
		r->pending_bool = type == PV_THRIFT_BOOL_TRUE;
		type = PV_THRIFT_BOOL;
	}
	r->last_id = (int16_t)id;
	*out_type = type;
	*out_id = (int16_t)id;
	return true;
}

bool pv_thrift_read_bool(pv_thrift_reader *r)
{
	if (r->code)
		return false;
	if (r->pending_bool >= 0) {
		bool v = r->pending_bool;
		r->pending_bool = -1;
		return v;
	}
	uint8_t b = pv_cursor_u8(&r->cur);
	if (!check_cursor(r, "a bool"))
		return false;
	/* The spec says 0 for false; Java and C++ write 2. */
	if (b > 2) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift bool byte 0x%02x is neither true nor false", b);
		return false;
	}
	return b == 1;
}

int8_t pv_thrift_read_i8(pv_thrift_reader *r)
{
	if (r->code)
		return 0;
	uint8_t b = pv_cursor_u8(&r->cur);
	if (!check_cursor(r, "an i8"))
		return 0;
	return (int8_t)b;
}

int16_t pv_thrift_read_i16(pv_thrift_reader *r)
{
	int64_t v = read_zvarint(r, "an i16");
	if (v < INT16_MIN || v > INT16_MAX) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift i16 value %lld is out of range", (long long)v);
		return 0;
	}
	return (int16_t)v;
}

int32_t pv_thrift_read_i32_slow(pv_thrift_reader *r)
{
	int64_t v = read_zvarint(r, "an i32");
	if (v < INT32_MIN || v > INT32_MAX) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift i32 value %lld is out of range", (long long)v);
		return 0;
	}
	return (int32_t)v;
}

int64_t pv_thrift_read_i64_slow(pv_thrift_reader *r)
{
	return read_zvarint(r, "an i64");
}

double pv_thrift_read_double(pv_thrift_reader *r)
{
	if (r->code)
		return 0;
	uint64_t u = pv_cursor_u64le(&r->cur);
	if (!check_cursor(r, "a double"))
		return 0;
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

bool pv_thrift_read_binary(pv_thrift_reader *r, const uint8_t **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	uint64_t n = read_uvarint(r, "a string length");
	if (r->code)
		return false;
	if (n > PV_THRIFT_MAX_STRING) {
		pv_thrift_fail(r, PV_ELIMIT, "thrift string of %llu bytes exceeds the cap of %zu",
			       (unsigned long long)n, PV_THRIFT_MAX_STRING);
		return false;
	}
	if (n > pv_cursor_left(&r->cur)) {
		r->truncated = true;
		pv_thrift_fail(r, PV_ECORRUPT, "thrift string of %llu bytes runs past the end of the data",
			       (unsigned long long)n);
		return false;
	}
	*out = pv_cursor_take(&r->cur, (size_t)n);
	*out_len = (size_t)n;
	return true;
}

/* Element types allowed inside containers; BOOL_TRUE (Java, C++) and BOOL
 * (the spec) both mean bool. */
static int elem_type(pv_thrift_reader *r, int t)
{
	if (t == PV_THRIFT_BOOL_TRUE)
		return PV_THRIFT_BOOL;
	if (t < PV_THRIFT_BOOL || t > PV_THRIFT_UUID) {
		pv_thrift_fail(r, PV_ECORRUPT, "thrift container element type %d is unknown", t);
		return -1;
	}
	return t;
}

static bool check_count(pv_thrift_reader *r, uint64_t n, const char *what)
{
	if (n > PV_THRIFT_MAX_ELEMS) {
		pv_thrift_fail(r, PV_ELIMIT, "thrift %s of %llu elements exceeds the cap of %zu", what,
			       (unsigned long long)n, PV_THRIFT_MAX_ELEMS);
		return false;
	}
	if (n > pv_cursor_left(&r->cur)) {
		r->truncated = true;
		pv_thrift_fail(r, PV_ECORRUPT, "thrift %s of %llu elements runs past the end of the data",
			       what, (unsigned long long)n);
		return false;
	}
	return true;
}

bool pv_thrift_read_list(pv_thrift_reader *r, int *out_elem_type, size_t *out_n)
{
	*out_elem_type = PV_THRIFT_STOP;
	*out_n = 0;
	if (r->code)
		return false;
	r->pending_bool = -1;
	uint8_t b = pv_cursor_u8(&r->cur);
	if (!check_cursor(r, "a list header"))
		return false;
	uint64_t n = b >> 4;
	if (n == 15) {
		n = read_uvarint(r, "a list header");
		if (r->code)
			return false;
	}
	if (!check_count(r, n, "list"))
		return false;
	/* Some writers leave the element type 0 on empty lists. */
	if (n == 0 && (b & 0x0f) == 0)
		return true;
	int t = elem_type(r, b & 0x0f);
	if (t < 0)
		return false;
	*out_elem_type = t;
	*out_n = (size_t)n;
	return true;
}

bool pv_thrift_read_map(pv_thrift_reader *r, int *out_key_type, int *out_val_type, size_t *out_n)
{
	*out_key_type = *out_val_type = PV_THRIFT_STOP;
	*out_n = 0;
	r->pending_bool = -1;
	uint64_t n = read_uvarint(r, "a map header");
	if (r->code)
		return false;
	if (n == 0)
		return true;
	uint8_t b = pv_cursor_u8(&r->cur);
	if (!check_cursor(r, "a map header"))
		return false;
	if (!check_count(r, n, "map"))
		return false;
	int kt = elem_type(r, b >> 4);
	int vt = elem_type(r, b & 0x0f);
	if (kt < 0 || vt < 0)
		return false;
	*out_key_type = kt;
	*out_val_type = vt;
	*out_n = (size_t)n;
	return true;
}

static void skip_value(pv_thrift_reader *r, int type, bool in_container);

static void skip_container(pv_thrift_reader *r, int kt, int vt, size_t n)
{
	if (r->depth >= PV_THRIFT_MAX_DEPTH) {
		pv_thrift_fail(r, PV_ELIMIT, "thrift value nested deeper than %d", PV_THRIFT_MAX_DEPTH);
		return;
	}
	r->depth++;
	for (size_t i = 0; i < n && !r->code; i++) {
		skip_value(r, kt, true);
		if (vt != PV_THRIFT_STOP)
			skip_value(r, vt, true);
	}
	r->depth--;
}

/* Recursion is bounded by PV_THRIFT_MAX_DEPTH and every value consumes at
 * least one byte, so the work is linear in the input. */
static void skip_value(pv_thrift_reader *r, int type, bool in_container)
{
	if (r->code)
		return;
	switch (type) {
	case PV_THRIFT_BOOL_TRUE:
	case PV_THRIFT_BOOL:
		if (in_container)
			r->pending_bool = -1;
		pv_thrift_read_bool(r);
		break;
	case PV_THRIFT_I8:
		pv_thrift_read_i8(r);
		break;
	case PV_THRIFT_I16:
	case PV_THRIFT_I32:
	case PV_THRIFT_I64:
		read_uvarint(r, "a skipped integer");
		break;
	case PV_THRIFT_DOUBLE:
		pv_thrift_read_double(r);
		break;
	case PV_THRIFT_BINARY: {
		const uint8_t *p;
		size_t n;
		pv_thrift_read_binary(r, &p, &n);
		break;
	}
	case PV_THRIFT_UUID:
		pv_cursor_skip(&r->cur, 16);
		check_cursor(r, "a uuid");
		break;
	case PV_THRIFT_LIST:
	case PV_THRIFT_SET: {
		int et;
		size_t n;
		if (pv_thrift_read_list(r, &et, &n))
			skip_container(r, et, PV_THRIFT_STOP, n);
		break;
	}
	case PV_THRIFT_MAP: {
		int kt, vt;
		size_t n;
		if (pv_thrift_read_map(r, &kt, &vt, &n))
			skip_container(r, kt, vt, n);
		break;
	}
	case PV_THRIFT_STRUCT: {
		pv_thrift_struct_begin(r);
		int ft;
		int16_t id;
		while (pv_thrift_field(r, &ft, &id))
			skip_value(r, ft, false);
		pv_thrift_struct_end(r);
		break;
	}
	default:
		pv_thrift_fail(r, PV_ECORRUPT, "thrift type %d cannot be skipped", type);
		break;
	}
}

void pv_thrift_skip(pv_thrift_reader *r, int type)
{
	skip_value(r, type, false);
}

/* ------------------------------------------------------------------ arena helpers */

void *pv_thrift_alloc(pv_thrift_reader *r, pv_arena *a, size_t count, size_t size)
{
	if (r->code)
		return NULL;
	pv_err e;
	pv_err_clear(&e);
	void *p = pv_arena_array(a, count ? count : 1, size, &e);
	if (!p)
		pv_thrift_fail(r, e.code, "%s", e.msg);
	return p;
}

bool pv_thrift_read_bytes_copy(pv_thrift_reader *r, pv_arena *a, const uint8_t **out, size_t *out_len)
{
	const uint8_t *p;
	size_t n;
	*out = NULL;
	*out_len = 0;
	if (!pv_thrift_read_binary(r, &p, &n))
		return false;
	uint8_t *copy = pv_thrift_alloc(r, a, n + 1, 1);
	if (!copy)
		return false;
	if (n)
		memcpy(copy, p, n);
	*out = copy;
	*out_len = n;
	return true;
}

char *pv_thrift_read_string_copy(pv_thrift_reader *r, pv_arena *a, size_t *out_len)
{
	const uint8_t *p;
	size_t n;
	if (out_len)
		*out_len = 0;
	if (!pv_thrift_read_bytes_copy(r, a, &p, &n))
		return NULL;
	if (out_len)
		*out_len = n;
	return (char *)p;
}

bool pv_thrift_list_of(pv_thrift_reader *r, int want, size_t *out_n)
{
	int et;
	size_t n;
	*out_n = 0;
	if (!pv_thrift_read_list(r, &et, &n))
		return false;
	if (n == 0)
		return true;
	if (et != want) {
		/* A type we did not expect: skip it like an unknown field. */
		if (r->depth >= PV_THRIFT_MAX_DEPTH) {
			pv_thrift_fail(r, PV_ELIMIT, "thrift value nested deeper than %d", PV_THRIFT_MAX_DEPTH);
			return false;
		}
		r->depth++;
		for (size_t i = 0; i < n && !r->code; i++)
			skip_value(r, et, true);
		r->depth--;
		return false;
	}
	*out_n = n;
	return true;
}

bool pv_thrift_read_i32_list(pv_thrift_reader *r, pv_arena *a, int32_t **out, size_t *out_n)
{
	size_t n;
	*out = NULL;
	*out_n = 0;
	if (!pv_thrift_list_of(r, PV_THRIFT_I32, &n))
		return false;
	int32_t *v = pv_thrift_alloc(r, a, n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < n; i++)
		v[i] = pv_thrift_read_i32(r);
	if (r->code)
		return false;
	*out = v;
	*out_n = n;
	return true;
}

bool pv_thrift_read_i64_list(pv_thrift_reader *r, pv_arena *a, int64_t **out, size_t *out_n)
{
	size_t n;
	*out = NULL;
	*out_n = 0;
	if (!pv_thrift_list_of(r, PV_THRIFT_I64, &n))
		return false;
	int64_t *v = pv_thrift_alloc(r, a, n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < n; i++)
		v[i] = pv_thrift_read_i64(r);
	if (r->code)
		return false;
	*out = v;
	*out_n = n;
	return true;
}

bool pv_thrift_read_bool_list(pv_thrift_reader *r, pv_arena *a, bool **out, size_t *out_n)
{
	size_t n;
	*out = NULL;
	*out_n = 0;
	if (!pv_thrift_list_of(r, PV_THRIFT_BOOL, &n))
		return false;
	bool *v = pv_thrift_alloc(r, a, n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < n; i++)
		v[i] = pv_thrift_read_bool(r);
	if (r->code)
		return false;
	*out = v;
	*out_n = n;
	return true;
}

bool pv_thrift_read_string_list(pv_thrift_reader *r, pv_arena *a, const char ***out, size_t *out_n)
{
	size_t n;
	*out = NULL;
	*out_n = 0;
	if (!pv_thrift_list_of(r, PV_THRIFT_BINARY, &n))
		return false;
	const char **v = pv_thrift_alloc(r, a, n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < n && !r->code; i++)
		v[i] = pv_thrift_read_string_copy(r, a, NULL);
	if (r->code)
		return false;
	*out = v;
	*out_n = n;
	return true;
}

/* ------------------------------------------------------------------ writer */

void pv_thrift_writer_init(pv_thrift_writer *w, pv_buf *out, pv_err *err)
{
	w->out = out;
	w->err = err;
	w->code = PV_OK;
	w->depth = 0;
	w->last_id = 0;
}

static void put(pv_thrift_writer *w, const void *p, size_t n)
{
	if (w->code)
		return;
	int rc = pv_buf_append(w->out, p, n, w->err);
	if (rc)
		w->code = rc;
}

static void put_u8(pv_thrift_writer *w, uint8_t b)
{
	put(w, &b, 1);
}

static void put_uvarint(pv_thrift_writer *w, uint64_t v)
{
	if (w->code)
		return;
	int rc = pv_buf_put_uvarint(w->out, v, w->err);
	if (rc)
		w->code = rc;
}

static void put_zvarint(pv_thrift_writer *w, int64_t v)
{
	put_uvarint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void writer_fail(pv_thrift_writer *w, int code, const char *msg)
{
	if (w->code)
		return;
	w->code = code;
	pv_err_set(w->err, code, "%s", msg);
}

void pv_thrift_write_struct_begin(pv_thrift_writer *w)
{
	if (w->code)
		return;
	if (w->depth >= PV_THRIFT_MAX_DEPTH) {
		writer_fail(w, PV_ELIMIT, "thrift struct nested too deeply to write");
		return;
	}
	w->stack[w->depth++] = w->last_id;
	w->last_id = 0;
}

void pv_thrift_write_struct_end(pv_thrift_writer *w)
{
	put_u8(w, PV_THRIFT_STOP);
	if (w->depth > 0)
		w->last_id = w->stack[--w->depth];
}

static void field_header(pv_thrift_writer *w, int wire_type, int16_t id)
{
	if (w->code)
		return;
	if (id < 0) {
		writer_fail(w, PV_EINVAL, "thrift field ids must not be negative");
		return;
	}
	int delta = (int)id - (int)w->last_id;
	if (delta > 0 && delta <= 15) {
		put_u8(w, (uint8_t)(delta << 4 | wire_type));
	} else {
		put_u8(w, (uint8_t)wire_type);
		put_zvarint(w, id);
	}
	w->last_id = id;
}

void pv_thrift_write_field(pv_thrift_writer *w, int type, int16_t id)
{
	if (type == PV_THRIFT_BOOL || type == PV_THRIFT_BOOL_TRUE || type <= PV_THRIFT_STOP ||
	    type > PV_THRIFT_UUID) {
		writer_fail(w, PV_EINVAL, "thrift field type is not writable this way");
		return;
	}
	field_header(w, type, id);
}

void pv_thrift_write_field_bool(pv_thrift_writer *w, int16_t id, bool v)
{
	field_header(w, v ? PV_THRIFT_BOOL_TRUE : PV_THRIFT_BOOL, id);
}

void pv_thrift_write_bool(pv_thrift_writer *w, bool v)
{
	/* What Java and C++ write (1/2); every reader takes 1 as true. */
	put_u8(w, v ? 1 : 2);
}

void pv_thrift_write_i8(pv_thrift_writer *w, int8_t v)
{
	put_u8(w, (uint8_t)v);
}

void pv_thrift_write_i16(pv_thrift_writer *w, int16_t v)
{
	put_zvarint(w, v);
}

void pv_thrift_write_i32(pv_thrift_writer *w, int32_t v)
{
	put_zvarint(w, v);
}

void pv_thrift_write_i64(pv_thrift_writer *w, int64_t v)
{
	put_zvarint(w, v);
}

void pv_thrift_write_double(pv_thrift_writer *w, double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (8 * i));
	put(w, b, 8);
}

void pv_thrift_write_binary(pv_thrift_writer *w, const void *p, size_t n)
{
	if (n > INT32_MAX) {
		writer_fail(w, PV_ELIMIT, "thrift string too long to write");
		return;
	}
	put_uvarint(w, n);
	if (n)
		put(w, p, n);
}

void pv_thrift_write_string(pv_thrift_writer *w, const char *s)
{
	pv_thrift_write_binary(w, s, s ? strlen(s) : 0);
}

/* Containers use the spec's bool element code expected by every reader. */
static int wire_elem(int t)
{
	return t == PV_THRIFT_BOOL ? PV_THRIFT_BOOL_TRUE : t;
}

void pv_thrift_write_list_begin(pv_thrift_writer *w, int elem_type, size_t n)
{
	if (n > INT32_MAX) {
		writer_fail(w, PV_ELIMIT, "thrift list too long to write");
		return;
	}
	int et = wire_elem(elem_type);
	if (n < 15) {
		put_u8(w, (uint8_t)(n << 4 | (size_t)et));
	} else {
		put_u8(w, (uint8_t)(0xf0 | et));
		put_uvarint(w, n);
	}
}

void pv_thrift_write_map_begin(pv_thrift_writer *w, int key_type, int val_type, size_t n)
{
	if (n > INT32_MAX) {
		writer_fail(w, PV_ELIMIT, "thrift map too long to write");
		return;
	}
	put_uvarint(w, n);
	if (n)
		put_u8(w, (uint8_t)(wire_elem(key_type) << 4 | wire_elem(val_type)));
}

void pv_thrift_write_field_i32(pv_thrift_writer *w, int16_t id, int32_t v)
{
	pv_thrift_write_field(w, PV_THRIFT_I32, id);
	pv_thrift_write_i32(w, v);
}

void pv_thrift_write_field_i64(pv_thrift_writer *w, int16_t id, int64_t v)
{
	pv_thrift_write_field(w, PV_THRIFT_I64, id);
	pv_thrift_write_i64(w, v);
}

void pv_thrift_write_field_binary(pv_thrift_writer *w, int16_t id, const void *p, size_t n)
{
	pv_thrift_write_field(w, PV_THRIFT_BINARY, id);
	pv_thrift_write_binary(w, p, n);
}

void pv_thrift_write_field_string(pv_thrift_writer *w, int16_t id, const char *s)
{
	pv_thrift_write_field(w, PV_THRIFT_BINARY, id);
	pv_thrift_write_string(w, s);
}
