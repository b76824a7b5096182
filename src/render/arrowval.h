/*
 * arrowval.h - reading Arrow C Data Interface batches one cell at a time,
 * for the row renderers (render/rows.h).
 *
 * pv_atype_parse turns an ArrowSchema into a checked type tree (struct
 * pv_atype); pv_atype_check checks that an ArrowArray has the buffers,
 * children and lengths that tree promises, so that reading a cell never
 * follows a missing pointer; a pv_acell names one cell (type, array,
 * logical index) and is read as bytes, child ranges, a pv_value, the text
 * form the tables show or a JSON value (arrowfmt.c).
 *
 * Arrays are read as the Arrow columnar format says: the array's offset
 * is added to every index (slices), validity bitmaps are consulted at
 * every level (a NULL bitmap means no nulls), struct children are indexed
 * with the parent's offset added, and list offsets index the child, whose
 * own offset is added in turn. Buffers are read with memcpy, so unaligned
 * buffers are fine. What cannot be checked once per batch (list and string
 * offsets, dictionary indices, view buffer references) is checked per cell
 * and reported as PV_ECORRUPT.
 *
 * The Arrow C interface does not pass buffer sizes: a buffer is trusted to
 * hold offset + length elements, as the specification requires of
 * producers. Everything derived from values (offsets, indices) is checked.
 *
 * Pure functions over caller-owned data, thread-safe. Includes only base,
 * format and render.
 */
#ifndef PV_ARROWVAL_H
#define PV_ARROWVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/arrowc.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "format/value.h"

/* Deepest nesting of types accepted (struct, list, map, dictionary each
 * count one); chosen so that every value fits base/json.h's depth. */
#define PV_ATYPE_MAX_DEPTH 30
/* Most type nodes in one schema. */
#define PV_ATYPE_MAX_NODES 100000

typedef enum pv_akind {
	PV_AK_NULL = 0,	  /* n */
	PV_AK_BOOL,	  /* b */
	PV_AK_INT,	  /* c s i l (width 1, 2, 4, 8) */
	PV_AK_UINT,	  /* C S I L */
	PV_AK_F16,	  /* e */
	PV_AK_F32,	  /* f */
	PV_AK_F64,	  /* g */
	PV_AK_DECIMAL,	  /* d:P,S[,bits]; width 4, 8, 16 or 32 bytes, little-endian */
	PV_AK_STRING,	  /* u U; width is the offset width, 4 or 8 */
	PV_AK_BINARY,	  /* z Z */
	PV_AK_STRVIEW,	  /* vu */
	PV_AK_BINVIEW,	  /* vz */
	PV_AK_FIXED,	  /* w:N; width N */
	PV_AK_DATE32,	  /* tdD */
	PV_AK_DATE64,	  /* tdm */
	PV_AK_TIME,	  /* tts ttm (width 4), ttu ttn (width 8) */
	PV_AK_TIMESTAMP,  /* tss: tsm: tsu: tsn: */
	PV_AK_DURATION,	  /* tDs tDm tDu tDn */
	PV_AK_IV_MONTHS,  /* tiM: int32 months */
	PV_AK_IV_DAYTIME, /* tiD: int32 days, int32 milliseconds */
	PV_AK_IV_MDN,	  /* tin: int32 months, int32 days, int64 nanoseconds */
	PV_AK_LIST,	  /* +l +L; width is the offset width */
	PV_AK_FIXED_LIST, /* +w:N; n_fixed items */
	PV_AK_STRUCT,	  /* +s */
	PV_AK_MAP	  /* +m: offsets into one struct<key, value> child */
} pv_akind;

typedef enum pv_aunit { PV_AUNIT_S = 0, PV_AUNIT_MS, PV_AUNIT_US, PV_AUNIT_NS } pv_aunit;

typedef enum pv_aext {
	PV_AEXT_NONE = 0,
	PV_AEXT_UUID, /* "arrow.uuid" on w:16 */
	PV_AEXT_JSON  /* "arrow.json" on u, U or vu */
} pv_aext;

typedef struct pv_atype pv_atype;
struct pv_atype {
	pv_akind kind;
	const char *name;	  /* field name; "" when the schema has none */
	const char *format;	  /* the schema's format string */
	int64_t width;		  /* bytes per element of buffer 1 (offsets for variable kinds) */
	int64_t n_fixed;	  /* FIXED_LIST: items per list */
	pv_aunit unit;		  /* TIME, TIMESTAMP, DURATION */
	bool tz;		  /* TIMESTAMP with a time zone: the values are UTC instants */
	const char *tz_name;	  /* TIMESTAMP: the zone text after the colon ("" when naive) */
	int32_t precision, scale; /* DECIMAL; scale may be negative */
	pv_aext ext;
	size_t n_children;
	pv_atype **children;
	pv_atype *dict; /* non-NULL: this node is the integer indices and dict the values */
};

/* Parses schema into a type tree allocated from arena (freed with it);
 * names and formats are copied, so the schema may be released after. 
 * Errors: PV_EINVAL for a malformed schema (no format, children missing
 * or of the wrong number, a map whose child is not struct<key, value>,
 * non-integer dictionary indices), PV_EUNSUPPORTED for a format outside
 * the list in pv_akind (unions, run-end encoded, list views), PV_ELIMIT
 * past PV_ATYPE_MAX_DEPTH or PV_ATYPE_MAX_NODES, and the arena's errors.
 * Messages name the field path ("field 'a.b': ..."). */
int pv_atype_parse(pv_arena *arena, const struct ArrowSchema *schema, pv_atype **out, pv_err *err);

/* Checks that array matches t: lengths and offsets non-negative, the
 * buffer and child counts of the layout, data buffers present when there
 * are values, children long enough for their parent, dictionaries
 * present. PV_ECORRUPT otherwise, naming the field. */
int pv_atype_check(const pv_atype *t, const struct ArrowArray *array, pv_err *err);

/* The value type (dictionaries followed). */
const pv_atype *pv_atype_value(const pv_atype *t);

/* A short type name: "int64", "string", "decimal(38,2)", "timestamp(us, UTC)",
 * "list<int32>", "float32[384]", "struct<a: int64>", "map<string, int64>",
 * "uuid", "json". */
int pv_atype_name(const pv_atype *t, pv_buf *out, pv_err *err);

/* Numbers (ints, floats, decimals): right-aligned in tables. */
bool pv_atype_numeric(const pv_atype *t);

/* Lists, structs and maps. */
bool pv_atype_nested(const pv_atype *t);

/* One cell: the logical index i (0 <= i < a->length) of array a of type t. */
typedef struct pv_acell {
	const pv_atype *t;
	const struct ArrowArray *a;
	int64_t i;
} pv_acell;

/* Follows dictionary indices to the cell that holds the value and tells
 * whether it is null (a null index or a null value). PV_ECORRUPT for an
 * index outside the dictionary. */
int pv_acell_resolve(pv_acell *c, bool *out_null, pv_err *err);

/* The bytes of a STRING, BINARY, view or FIXED cell (resolved, not null);
 * they point into the array's buffers. PV_ECORRUPT for offsets that go
 * backwards or view references outside their buffers. */
int pv_acell_bytes(const pv_acell *c, const uint8_t **out_p, size_t *out_n, pv_err *err);

/* The child cells of a LIST, FIXED_LIST or MAP cell: child logical
 * indices [*out_start, *out_end) of c->a->children[0]. PV_ECORRUPT for
 * offsets that go backwards or past the child. */
int pv_acell_range(const pv_acell *c, int64_t *out_start, int64_t *out_end, pv_err *err);

/* Field k of a STRUCT cell. */
pv_acell pv_acell_field(const pv_acell *c, size_t k);

/* A scalar cell as a pv_value: BOOL, INT, UINT, FLOAT (float16 and float32
 * as the shortest double that reads back to the same value), DECIMAL
 * (big-endian bytes in scratch; the scale as given, maybe negative), STRING,
 * BINARY, UUID, DATE, TIME and TIMESTAMP (seconds as milliseconds).
 * PV_EINVAL for other kinds; PV_ELIMIT for a timestamp in seconds too
 * large for milliseconds. The value points into the array or scratch. */
int pv_acell_value(const pv_acell *c, pv_value *out, uint8_t scratch[32], pv_err *err);

/* The element's bytes in buffer 1 of a fixed-width cell (width bytes). */
const uint8_t *pv_acell_raw(const pv_acell *c);

/* The raw 64-bit integer of an INT, UINT (bit pattern), DATE, TIME,
 * TIMESTAMP, DURATION or IV_MONTHS cell, sign-extended. */
int64_t pv_acell_int(const pv_acell *c);

/* ---- arrowfmt.c ---- */

/* Appends the text of a cell as tables show it (render/rows.h documents
 * the forms). A null cell is "NULL". budget > 0 caps what is appended at
 * about budget bytes: a longer string ends in "… (N bytes)", a longer
 * nested value in "…". Errors: PV_ECORRUPT from the cell, out's errors. */
int pv_acell_text(const pv_acell *c, size_t budget, pv_buf *out, pv_err *err);

/* Writes the cell as one JSON value (render/rows.h has the mapping). On an
 * error the JSON may be incomplete; the caller drops it. */
int pv_acell_json(const pv_acell *c, pv_json *j, pv_err *err);

#endif
