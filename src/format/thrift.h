/*
 * thrift.h - the Thrift compact protocol, read and written by hand.
 *
 * The reader walks untrusted bytes through a pv_cursor: struct and field
 * headers (with field-id deltas), every scalar type, binary, list/set and map
 * headers, and a depth-capped skip for fields it does not know. The core
 * reader never allocates (binary values point into the input); a few
 * helpers copy values and arrays into a caller's pv_arena. The writer is
 * the mirror, appending to a pv_buf. Both keep a sticky error: after the first failure
 * every call is a no-op returning zero values, so a parser reads a whole
 * struct and checks pv_thrift_reader_status once. Readers and writers are
 * caller-owned structs with no shared state: one per thread.
 * Includes only base; knows nothing about Parquet.
 */
#ifndef PV_THRIFT_H
#define PV_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/cursor.h"
#include "base/err.h"

/* Caps on what a hostile input can make the reader do. */

/* Structs plus containers open at once; deeper is PV_ELIMIT
 * ("thrift struct nested deeper than 64"). Parquet needs about 8. */
#define PV_THRIFT_MAX_DEPTH 64

/* Elements in one list, set or map; more is PV_ELIMIT. A count is also
 * never allowed past the bytes left, since every element (even a bool inside
 * a list) takes at least one byte; that case is PV_ECORRUPT (truncated). */
#define PV_THRIFT_MAX_ELEMS ((size_t)1 << 24)

/* Bytes in one binary or string; more is PV_ELIMIT. A length past the bytes
 * left is PV_ECORRUPT (truncated). */
#define PV_THRIFT_MAX_STRING ((size_t)64 << 20)

/* Wire type codes of the compact protocol. A bool field carries its value in
 * the type (1 true, 2 false); the reader reports both as PV_THRIFT_BOOL and
 * keeps the value for pv_thrift_read_bool. Lists of bools use either code
 * as the element type; the reader reports PV_THRIFT_BOOL. */
typedef enum pv_thrift_type {
	PV_THRIFT_STOP = 0,
	PV_THRIFT_BOOL_TRUE = 1, /* wire only */
	PV_THRIFT_BOOL = 2,      /* == BOOLEAN_FALSE on the wire */
	PV_THRIFT_I8 = 3,
	PV_THRIFT_I16 = 4,
	PV_THRIFT_I32 = 5,
	PV_THRIFT_I64 = 6,
	PV_THRIFT_DOUBLE = 7,
	PV_THRIFT_BINARY = 8,
	PV_THRIFT_LIST = 9,
	PV_THRIFT_SET = 10,
	PV_THRIFT_MAP = 11,
	PV_THRIFT_STRUCT = 12,
	PV_THRIFT_UUID = 13
} pv_thrift_type;

/* ------------------------------------------------------------------ reader */

typedef struct pv_thrift_reader {
	pv_cursor cur;
	const uint8_t *start;  /* for pv_thrift_reader_offset */
	pv_err *err;           /* may be NULL */
	int code;              /* sticky: PV_OK or the first error */
	bool truncated;        /* the first error was running out of bytes */
	int depth;             /* open structs and containers */
	int8_t pending_bool;   /* -1, or the value a bool field header carried */
	int16_t last_id;       /* last field id in the innermost open struct */
	int16_t stack[PV_THRIFT_MAX_DEPTH]; /* last ids of the outer structs */
} pv_thrift_reader;

/* Starts reading len bytes at buf. The bytes must outlive every pointer
 * handed out by pv_thrift_read_binary. err may be NULL. */
void pv_thrift_reader_init(pv_thrift_reader *r, const uint8_t *buf, size_t len, pv_err *err);

/* PV_OK or the sticky error code (PV_ECORRUPT, PV_ELIMIT). */
static inline int pv_thrift_reader_status(const pv_thrift_reader *r)
{
	return r->code;
}

/* Bytes consumed so far. */
static inline size_t pv_thrift_reader_offset(const pv_thrift_reader *r)
{
	return (size_t)(r->cur.p - r->start);
}

/* Records an error found by the caller (a missing required field, a bad
 * value) so the reader stops; keeps the first error. Returns code. */
int pv_thrift_fail(pv_thrift_reader *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Enters a struct (pushes the field-id context) and leaves it again.
 * Entering deeper than PV_THRIFT_MAX_DEPTH is PV_ELIMIT. */
void pv_thrift_struct_begin(pv_thrift_reader *r);
void pv_thrift_struct_end(pv_thrift_reader *r);

/* Reads a field header. Returns true with *out_type and *out_id set when a
 * field follows, false at the struct's STOP byte or after any error (check
 * the status after the loop). Bool fields report PV_THRIFT_BOOL. Negative
 * field ids, ids past INT16_MAX and unknown types are PV_ECORRUPT.
 * (The *_slow functions are the out-of-line general cases behind the inline
 * fast paths; call the plain names.) */
bool pv_thrift_field_slow(pv_thrift_reader *r, int *out_type, int16_t *out_id);

static inline bool pv_thrift_field(pv_thrift_reader *r, int *out_type, int16_t *out_id)
{
	/* Most headers are short-form deltas of a non-bool type. */
	if (!r->code && r->cur.p < r->cur.end) {
		uint8_t b = *r->cur.p;
		int type = b & 0x0f, delta = b >> 4;
		if (delta && type > PV_THRIFT_BOOL && type <= PV_THRIFT_UUID &&
		    r->last_id + delta <= INT16_MAX) {
			r->cur.p++;
			r->pending_bool = -1;
			r->last_id = (int16_t)(r->last_id + delta);
			*out_type = type;
			*out_id = r->last_id;
			return true;
		}
	}
	return pv_thrift_field_slow(r, out_type, out_id);
}

/* Scalars. A bool right after a bool field header returns the value the
 * header carried; otherwise (inside a list) it reads one byte: 1 true,
 * 0 or 2 false. Integers out of their type's range are PV_ECORRUPT. */
bool pv_thrift_read_bool(pv_thrift_reader *r);
int8_t pv_thrift_read_i8(pv_thrift_reader *r);
int16_t pv_thrift_read_i16(pv_thrift_reader *r);
int32_t pv_thrift_read_i32_slow(pv_thrift_reader *r);
int64_t pv_thrift_read_i64_slow(pv_thrift_reader *r);

/* One-byte varints (-64..63) are the common case. */
static inline int32_t pv_thrift_read_i32(pv_thrift_reader *r)
{
	if (!r->code && r->cur.p < r->cur.end && *r->cur.p < 0x80) {
		uint8_t b = *r->cur.p++;
		return (int32_t)(b >> 1) ^ -(int32_t)(b & 1);
	}
	return pv_thrift_read_i32_slow(r);
}

static inline int64_t pv_thrift_read_i64(pv_thrift_reader *r)
{
	if (!r->code && r->cur.p < r->cur.end && *r->cur.p < 0x80) {
		uint8_t b = *r->cur.p++;
		return (int64_t)(b >> 1) ^ -(int64_t)(b & 1);
	}
	return pv_thrift_read_i64_slow(r);
}
double pv_thrift_read_double(pv_thrift_reader *r);

/* A binary or string: *out points into the input (not NUL-terminated).
 * Returns false (and *out = NULL, *out_len = 0) on error. */
bool pv_thrift_read_binary(pv_thrift_reader *r, const uint8_t **out, size_t *out_len);

/* A list or set header: element type and count (capped, see above).
 * Returns false on error. */
bool pv_thrift_read_list(pv_thrift_reader *r, int *out_elem_type, size_t *out_n);

/* A map header: key and value types and count. Returns false on error. */
bool pv_thrift_read_map(pv_thrift_reader *r, int *out_key_type, int *out_val_type, size_t *out_n);

/* Skips a value of the given field type (any type, nested to the depth cap).
 * Used for unknown fields and fields of an unexpected type. */
void pv_thrift_skip(pv_thrift_reader *r, int type);

/* Arena helpers for struct readers. All record failures (including the
 * arena's PV_ELIMIT/PV_ENOMEM) in the reader's sticky error. */

/* count * size zeroed bytes from a (count 0 gives a valid pointer), or NULL. */
void *pv_thrift_alloc(pv_thrift_reader *r, pv_arena *a, size_t count, size_t size);

/* A binary copied into a (NUL-terminated for convenience); *out_len bytes. */
bool pv_thrift_read_bytes_copy(pv_thrift_reader *r, pv_arena *a, const uint8_t **out, size_t *out_len);

/* A string copied into a, NUL-terminated; NULL on error. */
char *pv_thrift_read_string_copy(pv_thrift_reader *r, pv_arena *a, size_t *out_len);

/* A list header whose elements must be of type want. A list of another
 * element type is skipped whole and reported as false (the caller treats
 * the field as absent); an empty list is fine whatever its type. */
bool pv_thrift_list_of(pv_thrift_reader *r, int want, size_t *out_n);

/* Whole lists of scalars or strings, copied into a. False on error or when
 * the elements have another type (the list is then skipped). */
bool pv_thrift_read_i32_list(pv_thrift_reader *r, pv_arena *a, int32_t **out, size_t *out_n);
bool pv_thrift_read_i64_list(pv_thrift_reader *r, pv_arena *a, int64_t **out, size_t *out_n);
bool pv_thrift_read_bool_list(pv_thrift_reader *r, pv_arena *a, bool **out, size_t *out_n);
bool pv_thrift_read_string_list(pv_thrift_reader *r, pv_arena *a, const char ***out, size_t *out_n);

/* ------------------------------------------------------------------ writer */

typedef struct pv_thrift_writer {
	pv_buf *out;
	pv_err *err;   /* may be NULL */
	int code;      /* sticky: PV_OK or the first error (PV_ELIMIT, PV_ENOMEM, PV_EINVAL) */
	int depth;
	int16_t last_id;
	int16_t stack[PV_THRIFT_MAX_DEPTH];
} pv_thrift_writer;

/* Starts appending to out (which the caller owns). err may be NULL. */
void pv_thrift_writer_init(pv_thrift_writer *w, pv_buf *out, pv_err *err);

/* PV_OK or the sticky error code. */
static inline int pv_thrift_writer_status(const pv_thrift_writer *w)
{
	return w->code;
}

/* struct_begin opens a struct; struct_end writes its STOP byte and closes it. */
void pv_thrift_write_struct_begin(pv_thrift_writer *w);
void pv_thrift_write_struct_end(pv_thrift_writer *w);

/* A field header (short form for deltas 1..15, else the long form). For
 * bool fields use pv_thrift_write_field_bool, which carries the value.
 * Field ids must be >= 0 (PV_EINVAL otherwise). */
void pv_thrift_write_field(pv_thrift_writer *w, int type, int16_t id);
void pv_thrift_write_field_bool(pv_thrift_writer *w, int16_t id, bool v);

/* Scalars (pv_thrift_write_bool is for list elements). */
void pv_thrift_write_bool(pv_thrift_writer *w, bool v);
void pv_thrift_write_i8(pv_thrift_writer *w, int8_t v);
void pv_thrift_write_i16(pv_thrift_writer *w, int16_t v);
void pv_thrift_write_i32(pv_thrift_writer *w, int32_t v);
void pv_thrift_write_i64(pv_thrift_writer *w, int64_t v);
void pv_thrift_write_double(pv_thrift_writer *w, double v);
void pv_thrift_write_binary(pv_thrift_writer *w, const void *p, size_t n);
void pv_thrift_write_string(pv_thrift_writer *w, const char *s);

/* Container headers; the caller then writes n elements (n key/value pairs). */
void pv_thrift_write_list_begin(pv_thrift_writer *w, int elem_type, size_t n);
void pv_thrift_write_map_begin(pv_thrift_writer *w, int key_type, int val_type, size_t n);

/* Field header plus value in one call. */
void pv_thrift_write_field_i32(pv_thrift_writer *w, int16_t id, int32_t v);
void pv_thrift_write_field_i64(pv_thrift_writer *w, int16_t id, int64_t v);
void pv_thrift_write_field_binary(pv_thrift_writer *w, int16_t id, const void *p, size_t n);
void pv_thrift_write_field_string(pv_thrift_writer *w, int16_t id, const char *s);

#endif
