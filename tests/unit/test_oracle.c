/*
 * test_oracle.c - the differential test of parqview's metadata engine
 * against DuckDB: for every .parquet file under <corpus>/parquet-testing/data
 * that DuckDB can read, pv_pfile_open's footer, schema tree and decoded
 * statistics must say what DuckDB's parquet_file_metadata, parquet_metadata
 * and parquet_schema table functions say. PARQVIEW_ORACLE_DIR names another
 * folder of parquet-testing to compare instead of data/ (e.g.
 * "shredded_variant", "bad_data"). One cmocka test per file (named by
 * its path under that folder); every mismatch is printed as a TAP diagnostic
 * "# file: where: field: parqview 'x', duckdb 'y'" and fails that test.
 * Files DuckDB refuses are listed as "# skipped file: reason".
 * Uses one DuckDB session for the whole run (src/sql/duck.h); it must not
 * include DuckDB's headers.
 *
 * Normalisations (each one a known DuckDB behaviour, not a parqview choice):
 *  - Statistics. DuckDB renders stats_min/stats_max (the deprecated fields)
 *    and stats_min_value/stats_max_value separately, each decoded with the
 *    column's DuckDB type and cast to VARCHAR. We decode the same raw field
 *    with pv_stats_value and render it with pv_cell_text, after:
 *      * FLOAT and FLOAT16 columns are DuckDB FLOATs, printed as the
 *        shortest text that reads back to the same float ("9.9"), while
 *        pv_value widens to double ("9.899999618530273"): we round the
 *        double to the shortest float text first;
 *      * non-finite floats (NaN, inf) come out NULL in DuckDB;
 *      * INT96 is a microsecond TIMESTAMP in DuckDB (nanoseconds dropped),
 *        ours is in nanoseconds: we floor to microseconds;
 *      * TIMESTAMP(NANOS, utc) is a microsecond TIMESTAMP WITH TIME ZONE
 *        in DuckDB (its nanoseconds divided by 1000, truncated toward zero;
 *        seen in shredded_variant/case-033 and case-034); TIMESTAMP(NANOS)
 *        without utc stays TIMESTAMP_NS with all nine digits;
 *      * a STRING that is not valid UTF-8 is rendered by DuckDB as a BLOB
 *        (printable ASCII, other bytes as \xAA), as our BINARY is;
 *      * INT_8/INT_16/UINT_8/... (or INTEGER(8|16, ...)) values outside
 *        their width fail DuckDB's cast and come out NULL.
 *    Skipped, with the reason printed: decimals wider than 38 digits (DuckDB
 *    reads them as DOUBLE), INTERVAL and INT96 that is no timestamp (DuckDB
 *    has no statistics conversion for them).
 *    pv_stats_minmax is checked against DuckDB's choice too: its min/max
 *    must render as stats_min_value when the file has min_value, else as
 *    stats_min (the same preference DuckDB's reader has).
 *  - Enum names (codec, encodings, converted type) are Thrift's names, the
 *    same as ours; a value neither side knows is printed by Thrift as its
 *    number where we say "UNKNOWN", so we compare the number.
 *  - file_offset: DuckDB shows the column chunk's file_offset only when
 *    the row group has its own (optional) file_offset field.
 *  - logical_type: DuckDB prints Thrift's printTo of the union member it
 *    knows (StringType(), DecimalType(scale=2, precision=10), ...) and NULL
 *    for a member it does not list (VARIANT, VECTOR, future ids). IntType's
 *    bitWidth is an int8_t that iostream prints as a raw character, so we
 *    build that byte too.
 *  - column_orders: DuckDB's Thrift knows only TYPE_ORDER; any other member
 *    prints as "ColumnOrder(TYPE_ORDER=<null>)".
 *  - key/value metadata (the file's, from parquet_kv_metadata, and each
 *    column chunk's) is fetched as hex so that DuckDB's quoting of BLOBs
 *    and maps does not matter; a key without a value is '' in DuckDB.
 *  - encryption_algorithm and footer_signing_key_metadata: presence only
 *    (DuckDB prints them with Thrift's printTo).
 * Not compared, because DuckDB does not expose them: column/offset index
 * offsets and lengths, page encoding stats, size statistics, sorting
 * columns, the schema tree's derived levels and paths.
 */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "format/meta.h"
#include "format/schema.h"
#include "format/stats.h"
#include "format/value.h"
#include "read/pfile.h"
#include "render/cell.h"
#include "sql/duck.h"

/* ------------------------------------------------------------ duckdb rows */

typedef struct cell {
	char *s;    /* NULL for SQL NULL; NUL-terminated copy */
	size_t len;
} cell;

typedef struct table {
	size_t n_cols, n_rows, alloc_rows;
	char **names;
	cell *cells; /* n_rows * n_cols */
} table;

static pv_duck *g_duck;
static long g_n_compared, g_n_skipped; /* over all files, for the closing diagnostic */

static void table_release(table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i].s);
	for (size_t i = 0; i < t->n_cols; i++)
		free(t->names[i]);
	free(t->cells);
	free(t->names);
	memset(t, 0, sizeof *t);
}

static char *xmemdup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	assert_non_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Runs sql and keeps every row. Returns 0, or a pv_code with err filled. */
static int table_load(const char *sql, table *t, pv_err *err)
{
	memset(t, 0, sizeof *t);
	pv_duck_result *r = NULL;
	int rc = pv_duck_query(g_duck, sql, &r, err);
	if (rc)
		return rc;
	t->n_cols = pv_duck_result_ncols(r);
	t->names = calloc(t->n_cols ? t->n_cols : 1, sizeof *t->names);
	assert_non_null(t->names);
	for (size_t c = 0; c < t->n_cols; c++) {
		const char *nm = pv_duck_result_colname(r, c);
		t->names[c] = xmemdup(nm ? nm : "", nm ? strlen(nm) : 0);
	}
	for (;;) {
		bool more = false;
		rc = pv_duck_result_next(r, &more, err);
		if (rc || !more)
			break;
		if (t->n_rows == t->alloc_rows) {
			t->alloc_rows = t->alloc_rows ? 2 * t->alloc_rows : 16;
			t->cells = realloc(t->cells, t->alloc_rows * t->n_cols * sizeof *t->cells);
			assert_non_null(t->cells);
		}
		cell *row = t->cells + t->n_rows * t->n_cols;
		for (size_t c = 0; c < t->n_cols; c++) {
			size_t len = 0;
			const char *v = pv_duck_result_value(r, c, &len);
			row[c].s = v ? xmemdup(v, len) : NULL;
			row[c].len = v ? len : 0;
		}
		t->n_rows++;
	}
	pv_duck_result_free(r);
	if (rc)
		table_release(t);
	return rc;
}

static size_t table_col(const table *t, const char *name)
{
	for (size_t c = 0; c < t->n_cols; c++)
		if (strcmp(t->names[c], name) == 0)
			return c;
	fail_msg("duckdb result has no column '%s'", name);
	return 0;
}

static const cell *table_get(const table *t, size_t row, const char *name)
{
	return &t->cells[row * t->n_cols + table_col(t, name)];
}

/* "SELECT <cols> FROM fn('<path>')" with the path's quotes doubled. */
static char *sql_for(const char *cols, const char *fn, const char *path, const char *tail)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_printf(&b, NULL, "SELECT %s FROM %s('", cols, fn), 0);
	for (const char *p = path; *p; p++)
		assert_int_equal(*p == '\'' ? pv_buf_puts(&b, "''", NULL) : pv_buf_putc(&b, *p, NULL), 0);
	assert_int_equal(pv_buf_printf(&b, NULL, "')%s", tail ? tail : ""), 0);
	return pv_buf_detach(&b, NULL);
}

/* ------------------------------------------------------------ reporting */

typedef struct ctx {
	const char *rel;  /* the file, relative to data/ */
	int n_bad;
	int n_compared;
	int n_skipped;    /* comparisons skipped with a reason */
} ctx;

/* Quotes v[0..n) on one line: printable ASCII as is, the rest as \xAA. */
static void quote(pv_buf *b, const char *v, size_t n)
{
	if (!v) {
		pv_buf_puts(b, "NULL", NULL);
		return;
	}
	pv_buf_putc(b, '\'', NULL);
	for (size_t i = 0; i < n && i < 400; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 32 && c < 127 && c != '\\')
			pv_buf_putc(b, (char)c, NULL);
		else
			pv_buf_printf(b, NULL, "\\x%02x", c);
	}
	if (n > 400)
		pv_buf_puts(b, "...", NULL);
	pv_buf_putc(b, '\'', NULL);
}

static void report(ctx *c, const char *where, const char *field, const char *ours, size_t ours_len,
		   const cell *duck)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_buf_printf(&b, NULL, "# %s: %s: %s: parqview ", c->rel, where, field);
	quote(&b, ours, ours_len);
	pv_buf_puts(&b, ", duckdb ", NULL);
	quote(&b, duck ? duck->s : NULL, duck ? duck->len : 0);
	print_message("%s\n", b.data);
	pv_buf_release(&b);
	c->n_bad++;
}

static void note(ctx *c, const char *where, const char *field, const char *why)
{
	print_message("# %s: %s: %s: not compared: %s\n", c->rel, where, field, why);
	c->n_skipped++;
}

/* ours NULL means SQL NULL. */
static void cmp_mem(ctx *c, const char *where, const char *field, const char *ours, size_t ours_len,
		    const cell *duck)
{
	c->n_compared++;
	bool same = (!ours && !duck->s) ||
		    (ours && duck->s && ours_len == duck->len && memcmp(ours, duck->s, ours_len) == 0);
	if (!same)
		report(c, where, field, ours, ours_len, duck);
}

static void cmp_str(ctx *c, const char *where, const char *field, const char *ours, const cell *duck)
{
	cmp_mem(c, where, field, ours, ours ? strlen(ours) : 0, duck);
}

typedef struct numtxt {
	char s[32];
} numtxt;

static const char *opt_i64(numtxt *n, bool has, int64_t v)
{
	if (!has)
		return NULL;
	snprintf(n->s, sizeof n->s, "%lld", (long long)v);
	return n->s;
}

static void cmp_i64(ctx *c, const char *where, const char *field, bool has, int64_t v, const cell *duck)
{
	numtxt n;
	cmp_str(c, where, field, opt_i64(&n, has, v), duck);
}

static void cmp_count(ctx *c, const char *where, const char *field, size_t ours, size_t theirs)
{
	numtxt d;
	snprintf(d.s, sizeof d.s, "%zu", theirs);
	cmp_i64(c, where, field, true, (int64_t)ours, &(cell){ d.s, strlen(d.s) });
}

static void cmp_bool(ctx *c, const char *where, const char *field, bool has, bool v, const cell *duck)
{
	cmp_str(c, where, field, has ? (v ? "true" : "false") : NULL, duck);
}

/* Thrift prints an enum value it has no name for as its number. */
static const char *enum_text(numtxt *n, const char *name, int32_t v)
{
	if (strcmp(name, "UNKNOWN") != 0)
		return name;
	snprintf(n->s, sizeof n->s, "%d", (int)v);
	return n->s;
}

/* ------------------------------------------------------------ statistics */

/* Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF), as DuckDB checks VARCHAR statistics. */
static bool utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		size_t k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min_cp[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

/* The double whose shortest text is the shortest text of (float)f, so that
 * pv_cell_text prints what DuckDB prints for a FLOAT. */
static double float_as_duck(double f)
{
	float x = (float)f;
	char tmp[64];
	for (int prec = 1; prec <= 9; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, (double)x);
		if (strtof(tmp, NULL) == x)
			return strtod(tmp, NULL);
	}
	return (double)x;
}

/* The integer width DuckDB gives the leaf (0: not a narrow integer). */
static int narrow_width(const pv_schema_element *e, bool *out_unsigned)
{
	*out_unsigned = false;
	if (e->has_logical_type && e->logical_type.kind == PV_LOGICAL_INTEGER) {
		*out_unsigned = !e->logical_type.is_signed;
		return e->logical_type.bit_width;
	}
	if (!e->has_converted_type)
		return 0;
	switch (e->converted_type) {
	case PV_CONV_INT_8: return 8;
	case PV_CONV_INT_16: return 16;
	case PV_CONV_INT_32: return 32;
	case PV_CONV_UINT_8: *out_unsigned = true; return 8;
	case PV_CONV_UINT_16: *out_unsigned = true; return 16;
	case PV_CONV_UINT_32: *out_unsigned = true; return 32;
	default: return 0;
	}
}

/* Appends what DuckDB shows for the statistics value v of leaf. Sets
 * *out_null when DuckDB shows NULL, *out_skip (a reason) when DuckDB's
 * rendering is not comparable. Returns pv_cell_text's code. */
static int duck_stats_text(const pv_schema_node *leaf, const pv_value *v0, pv_buf *out, bool *out_null,
			   const char **out_skip, pv_err *err)
{
	const pv_schema_element *e = leaf->element;
	pv_value v = *v0;
	*out_null = false;
	*out_skip = NULL;
	switch (v.kind) {
	case PV_VAL_NULL:
		*out_null = true;
		return 0;
	case PV_VAL_FLOAT:
		if (!isfinite(v.f)) {
			*out_null = true;
			return 0;
		}
		if (e->type != PV_TYPE_DOUBLE)
			v.f = float_as_duck(v.f);
		break;
	case PV_VAL_INT:
	case PV_VAL_UINT: {
		bool uns;
		int w = narrow_width(e, &uns);
		if (w > 0 && w < 64) {
			bool fits;
			if (v.kind == PV_VAL_UINT)
				fits = v.u < ((uint64_t)1 << (uns ? w : w - 1));
			else if (uns)
				fits = v.i >= 0 && (uint64_t)v.i < ((uint64_t)1 << w);
			else
				fits = v.i >= -((int64_t)1 << (w - 1)) && v.i < ((int64_t)1 << (w - 1));
			if (!fits) {
				*out_null = true;
				return 0;
			}
		}
		break;
	}
	case PV_VAL_STRING:
		if (!utf8_valid(v.bytes.ptr, v.bytes.len))
			v.kind = PV_VAL_BINARY;
		break;
	case PV_VAL_TIMESTAMP:
		if (e->type == PV_TYPE_INT96 && v.unit == PV_UNIT_NANOS) {
			v.i = v.i / 1000 - (v.i % 1000 < 0);
			v.unit = PV_UNIT_MICROS;
		} else if (v.utc && v.unit == PV_UNIT_NANOS) {
			/* TIMESTAMP WITH TIME ZONE has microseconds; DuckDB
			 * divides, truncating toward zero */
			v.i /= 1000;
			v.unit = PV_UNIT_MICROS;
		}
		break;
	case PV_VAL_DECIMAL:
		if (v.precision > 38) {
			*out_skip = "duckdb reads decimals of more than 38 digits as DOUBLE";
			return 0;
		}
		break;
	case PV_VAL_INTERVAL:
		*out_skip = "duckdb does not convert INTERVAL statistics";
		return 0;
	case PV_VAL_INT96RAW:
		*out_skip = "an INT96 that is no timestamp";
		return 0;
	default:
		break;
	}
	return pv_cell_text(&v, out, err);
}

/* Compares one statistics field (present or not) with DuckDB's text. */
static void cmp_stat(ctx *c, const char *where, const char *field, const pv_schema_node *leaf,
		     bool has, pv_bytes raw, const cell *duck)
{
	if (!has) {
		cmp_str(c, where, field, NULL, duck);
		return;
	}
	pv_value v;
	pv_err e;
	pv_err_clear(&e);
	if (pv_stats_value(leaf, raw.ptr, raw.len, &v, &e)) {
		char msg[PV_ERR_MSG_MAX + 32];
		snprintf(msg, sizeof msg, "<error: %s>", e.msg);
		report(c, where, field, msg, strlen(msg), duck);
		return;
	}
	pv_buf b;
	pv_buf_init(&b, 0);
	bool is_null;
	const char *skip;
	if (duck_stats_text(leaf, &v, &b, &is_null, &skip, &e)) {
		char msg[PV_ERR_MSG_MAX + 32];
		snprintf(msg, sizeof msg, "<render error: %s>", e.msg);
		report(c, where, field, msg, strlen(msg), duck);
	} else if (skip) {
		note(c, where, field, skip);
	} else {
		cmp_mem(c, where, field, is_null ? NULL : (b.data ? b.data : ""), b.len, duck);
	}
	pv_buf_release(&b);
}

/* pv_stats_minmax's value against the DuckDB field it must agree with. */
static void cmp_minmax_value(ctx *c, const char *where, const char *field, const pv_schema_node *leaf,
			     const pv_value *v, const cell *duck)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_err e;
	bool is_null;
	const char *skip;
	if (duck_stats_text(leaf, v, &b, &is_null, &skip, &e)) {
		char msg[PV_ERR_MSG_MAX + 32];
		snprintf(msg, sizeof msg, "<render error: %s>", e.msg);
		report(c, where, field, msg, strlen(msg), duck);
	} else if (skip) {
		note(c, where, field, skip);
	} else {
		cmp_mem(c, where, field, is_null ? NULL : (b.data ? b.data : ""), b.len, duck);
	}
	pv_buf_release(&b);
}

/* ------------------------------------------------------------ file level */

static void compare_file(ctx *c, const pv_pfile *pf, const char *path)
{
	const pv_file_meta *m = pf->meta;
	char *sql = sql_for("created_by, num_rows, num_row_groups, format_version, "
			    "encryption_algorithm, footer_signing_key_metadata, file_size_bytes, "
			    "footer_size, len(column_orders) AS n_orders, "
			    "array_to_string(column_orders, '|') AS orders",
			    "parquet_file_metadata", path, NULL);
	table t;
	pv_err e;
	int rc = table_load(sql, &t, &e);
	free(sql);
	if (rc) {
		print_message("# %s: parquet_file_metadata: %s\n", c->rel, e.msg);
		c->n_bad++;
		return;
	}
	if (t.n_rows != 1) {
		print_message("# %s: parquet_file_metadata returned %zu rows\n", c->rel, t.n_rows);
		c->n_bad++;
		table_release(&t);
		return;
	}
	const char *w = "file";
	cmp_str(c, w, "created_by", m->created_by, table_get(&t, 0, "created_by"));
	cmp_i64(c, w, "num_rows", true, m->num_rows, table_get(&t, 0, "num_rows"));
	cmp_i64(c, w, "num_row_groups", true, (int64_t)m->n_row_groups, table_get(&t, 0, "num_row_groups"));
	cmp_i64(c, w, "format_version", true, m->version, table_get(&t, 0, "format_version"));
	cmp_i64(c, w, "file_size_bytes", true, pf->size, table_get(&t, 0, "file_size_bytes"));
	cmp_i64(c, w, "footer_size", true, pf->footer_len, table_get(&t, 0, "footer_size"));
	/* Only presence: DuckDB prints these structs with Thrift's printTo. */
	const cell *ea = table_get(&t, 0, "encryption_algorithm");
	cmp_str(c, w, "encryption_algorithm (present)", m->has_encryption_algorithm ? "present" : NULL,
		&(cell){ ea->s ? "present" : NULL, ea->s ? 7 : 0 });
	const cell *fk = table_get(&t, 0, "footer_signing_key_metadata");
	cmp_str(c, w, "footer_signing_key_metadata (present)",
		m->has_footer_signing_key_metadata ? "present" : NULL,
		&(cell){ fk->s ? "present" : NULL, fk->s ? 7 : 0 });

	cmp_i64(c, w, "column_orders (count)", m->has_column_orders, (int64_t)m->n_column_orders,
		table_get(&t, 0, "n_orders"));
	const cell *orders = table_get(&t, 0, "orders");
	if (m->has_column_orders && orders->s) {
		const char *p = orders->s;
		for (size_t i = 0; i < m->n_column_orders && p; i++) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);
			bool duck_type_order = memmem(p, n, "TYPE_ORDER=TypeDefinedOrder()", 29) != NULL;
			bool ours_type_order = m->column_orders[i].kind == PV_ORDER_TYPE_DEFINED;
			if (duck_type_order != ours_type_order) {
				char where[64], ours[64];
				snprintf(where, sizeof where, "file: column order %zu", i);
				snprintf(ours, sizeof ours, "kind %d (id %d)", (int)m->column_orders[i].kind,
					 (int)m->column_orders[i].id);
				report(c, where, "column_orders", ours, strlen(ours),
				       &(cell){ (char *)p, n });
			}
			c->n_compared++;
			p = bar ? bar + 1 : NULL;
		}
	}
	table_release(&t);
}

/* ------------------------------------------------------------ schema */

static const char *duck_logical_name(int kind)
{
	switch (kind) {
	case PV_LOGICAL_STRING: return "StringType";
	case PV_LOGICAL_MAP: return "MapType";
	case PV_LOGICAL_LIST: return "ListType";
	case PV_LOGICAL_ENUM: return "EnumType";
	case PV_LOGICAL_DECIMAL: return "DecimalType";
	case PV_LOGICAL_DATE: return "DateType";
	case PV_LOGICAL_TIME: return "TimeType";
	case PV_LOGICAL_TIMESTAMP: return "TimestampType";
	case PV_LOGICAL_INTEGER: return "IntType";
	case PV_LOGICAL_UNKNOWN: return "NullType";
	case PV_LOGICAL_JSON: return "JsonType";
	case PV_LOGICAL_BSON: return "BsonType";
	case PV_LOGICAL_UUID: return "UUIDType";
	case PV_LOGICAL_FLOAT16: return "Float16Type";
	case PV_LOGICAL_GEOMETRY: return "GeometryType";
	case PV_LOGICAL_GEOGRAPHY: return "GeographyType";
	default: return NULL; /* VARIANT, VECTOR, future members: DuckDB prints NULL */
	}
}

/* Our logical type in the form DuckDB's parquet_schema prints it, into b;
 * returns false for NULL. */
static bool duck_logical_text(const pv_schema_element *e, pv_buf *b)
{
	if (!e->has_logical_type)
		return false;
	const pv_logical_type *lt = &e->logical_type;
	const char *name = duck_logical_name(lt->kind);
	if (!name)
		return false;
	pv_buf_printf(b, NULL, "%s(", name);
	switch (lt->kind) {
	case PV_LOGICAL_DECIMAL:
		pv_buf_printf(b, NULL, "scale=%d, precision=%d", (int)lt->scale, (int)lt->precision);
		break;
	case PV_LOGICAL_TIME:
	case PV_LOGICAL_TIMESTAMP:
		pv_buf_printf(b, NULL, "isAdjustedToUTC=%d, unit=TimeUnit(MILLIS=%s, MICROS=%s, NANOS=%s)",
			      lt->utc ? 1 : 0, lt->unit == PV_UNIT_MILLIS ? "MilliSeconds()" : "<null>",
			      lt->unit == PV_UNIT_MICROS ? "MicroSeconds()" : "<null>",
			      lt->unit == PV_UNIT_NANOS ? "NanoSeconds()" : "<null>");
		break;
	case PV_LOGICAL_INTEGER:
		/* an int8_t through iostream: the raw byte */
		pv_buf_puts(b, "bitWidth=", NULL);
		pv_buf_append(b, &(char){ (char)lt->bit_width }, 1, NULL);
		pv_buf_printf(b, NULL, ", isSigned=%d", lt->is_signed ? 1 : 0);
		break;
	case PV_LOGICAL_GEOMETRY:
		pv_buf_printf(b, NULL, "crs=%s", lt->crs ? lt->crs : "<null>");
		break;
	case PV_LOGICAL_GEOGRAPHY: {
		numtxt n;
		pv_buf_printf(b, NULL, "crs=%s, algorithm=%s", lt->crs ? lt->crs : "<null>",
			      lt->has_algorithm ? enum_text(&n, pv_edge_algorithm_name(lt->algorithm),
							    lt->algorithm)
						: "<null>");
		break;
	}
	default:
		break;
	}
	pv_buf_putc(b, ')', NULL);
	return true;
}

static void compare_schema(ctx *c, const pv_pfile *pf, const char *path)
{
	const pv_file_meta *m = pf->meta;
	char *sql = sql_for("name, type, type_length, repetition_type, num_children, converted_type, "
			    "scale, precision, field_id, logical_type, column_id",
			    "parquet_schema", path, " ORDER BY column_id");
	table t;
	pv_err e;
	int rc = table_load(sql, &t, &e);
	free(sql);
	if (rc) {
		print_message("# %s: parquet_schema: %s\n", c->rel, e.msg);
		c->n_bad++;
		return;
	}
	cmp_count(c, "schema", "number of elements", m->n_schema, t.n_rows);
	for (size_t i = 0; i < t.n_rows && i < m->n_schema; i++) {
		const pv_schema_element *se = &m->schema[i];
		char w[512];
		snprintf(w, sizeof w, "schema element %zu '%s'", i, se->name ? se->name : "");
		numtxt n;
		cmp_str(c, w, "name", se->name, table_get(&t, i, "name"));
		cmp_str(c, w, "type", se->has_type ? pv_physical_type_name(se->type) : NULL,
			table_get(&t, i, "type"));
		cmp_i64(c, w, "type_length", se->has_type_length, se->type_length, table_get(&t, i, "type_length"));
		cmp_str(c, w, "repetition_type", se->has_repetition ? pv_repetition_name(se->repetition) : NULL,
			table_get(&t, i, "repetition_type"));
		cmp_i64(c, w, "num_children", se->has_num_children, se->num_children,
			table_get(&t, i, "num_children"));
		cmp_str(c, w, "converted_type",
			se->has_converted_type
				? enum_text(&n, pv_converted_type_name(se->converted_type), se->converted_type)
				: NULL,
			table_get(&t, i, "converted_type"));
		cmp_i64(c, w, "scale", se->has_scale, se->scale, table_get(&t, i, "scale"));
		cmp_i64(c, w, "precision", se->has_precision, se->precision, table_get(&t, i, "precision"));
		cmp_i64(c, w, "field_id", se->has_field_id, se->field_id, table_get(&t, i, "field_id"));

		/* The kind first, so a mismatch says which member differs;
		 * then the members' parameters. */
		const cell *lt = table_get(&t, i, "logical_type");
		const char *kind = se->has_logical_type ? duck_logical_name(se->logical_type.kind) : NULL;
		size_t duck_kind_len = lt->s ? strcspn(lt->s, "(") : 0;
		cmp_str(c, w, "logical_type (kind)", kind, &(cell){ lt->s, duck_kind_len });
		pv_buf b;
		pv_buf_init(&b, 0);
		bool has = duck_logical_text(se, &b);
		if (kind && lt->s && duck_kind_len == strlen(kind) && memcmp(kind, lt->s, duck_kind_len) == 0)
			cmp_mem(c, w, "logical_type", has ? (b.data ? b.data : "") : NULL, b.len, lt);
		pv_buf_release(&b);
	}
	table_release(&t);
}

/* ------------------------------------------------------------ column chunks */

static void path_text(const pv_column_meta *cm, pv_buf *b)
{
	for (size_t i = 0; i < cm->n_path_in_schema; i++) {
		if (i)
			pv_buf_puts(b, ", ", NULL);
		pv_buf_puts(b, cm->path_in_schema[i], NULL);
	}
	pv_buf_append(b, "", 0, NULL);
}

static void encodings_text(const pv_column_meta *cm, pv_buf *b)
{
	pv_buf_append(b, "", 0, NULL);
	for (size_t i = 0; i < cm->n_encodings; i++) {
		numtxt n;
		if (i)
			pv_buf_puts(b, ", ", NULL);
		pv_buf_puts(b, enum_text(&n, pv_encoding_name(cm->encodings[i]), cm->encodings[i]), NULL);
	}
}

static void put_hex_upper(pv_buf *b, const void *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++) {
		char two[2] = { hex[s[i] >> 4], hex[s[i] & 15] };
		pv_buf_append(b, two, 2, NULL);
	}
}

static void kv_text(const pv_column_meta *cm, pv_buf *b)
{
	pv_buf_append(b, "", 0, NULL);
	for (size_t i = 0; cm->has_key_value_metadata && i < cm->n_key_value_metadata; i++) {
		const pv_kv *kv = &cm->key_value_metadata[i];
		if (i)
			pv_buf_putc(b, ',', NULL);
		put_hex_upper(b, kv->key, strlen(kv->key));
		pv_buf_putc(b, '=', NULL);
		if (kv->has_value)
			put_hex_upper(b, kv->value, kv->value_len);
	}
}

static void put_double(pv_buf *b, double d)
{
	pv_value v = { .kind = PV_VAL_FLOAT, .f = d };
	pv_cell_text(&v, b, NULL);
}

/* DuckDB's geo_bbox struct text; false for NULL. */
static bool bbox_text(const pv_column_meta *cm, pv_buf *b)
{
	if (!cm->has_geospatial_statistics || !cm->geospatial_statistics.has_bbox)
		return false;
	const pv_bounding_box *bb = &cm->geospatial_statistics.bbox;
	struct {
		const char *name;
		bool has;
		double v;
	} f[8] = {
		{ "xmin", true, bb->xmin }, { "xmax", true, bb->xmax },
		{ "ymin", true, bb->ymin }, { "ymax", true, bb->ymax },
		{ "zmin", bb->has_zmin, bb->zmin }, { "zmax", bb->has_zmax, bb->zmax },
		{ "mmin", bb->has_mmin, bb->mmin }, { "mmax", bb->has_mmax, bb->mmax },
	};
	pv_buf_putc(b, '{', NULL);
	for (int i = 0; i < 8; i++) {
		pv_buf_printf(b, NULL, "%s'%s': ", i ? ", " : "", f[i].name);
		if (f[i].has)
			put_double(b, f[i].v);
		else
			pv_buf_puts(b, "NULL", NULL);
	}
	pv_buf_putc(b, '}', NULL);
	return true;
}

/* DuckDB's geo_types list: a set, printed vertex kind first (xy, z, m,
 * zm), then geometry type; false for NULL. Codes DuckDB rejects make its
 * whole query fail, so they never reach here. */
static bool geo_types_text(const pv_column_meta *cm, pv_buf *b)
{
	if (!cm->has_geospatial_statistics || !cm->geospatial_statistics.has_geospatial_types)
		return false;
	static const char *const geom[8] = { NULL, "point", "linestring", "polygon", "multipoint",
		"multilinestring", "multipolygon", "geometrycollection" };
	static const char *const vert[4] = { "", "_z", "_m", "_zm" };
	bool seen[4][8] = { { false } };
	const pv_geo_statistics *g = &cm->geospatial_statistics;
	for (size_t i = 0; i < g->n_geospatial_types; i++) {
		int32_t t = g->geospatial_types[i];
		if (t >= 0 && t % 1000 >= 1 && t % 1000 <= 7 && t / 1000 <= 3)
			seen[t / 1000][t % 1000] = true;
	}
	pv_buf_putc(b, '[', NULL);
	bool first = true;
	for (int v = 0; v < 4; v++) {
		for (int k = 1; k < 8; k++) {
			if (!seen[v][k])
				continue;
			pv_buf_printf(b, NULL, "%s%s%s", first ? "" : ", ", geom[k], vert[v]);
			first = false;
		}
	}
	pv_buf_putc(b, ']', NULL);
	return true;
}

static void compare_chunk(ctx *c, const pv_pfile *pf, const table *t, size_t row, size_t rg_i, size_t col_i)
{
	const pv_row_group *rg = &pf->meta->row_groups[rg_i];
	const pv_column_chunk *cc = &rg->columns[col_i];
	const pv_column_meta *cm = &cc->meta_data;
	const pv_schema_node *leaf = col_i < pf->schema->n_leaves ? pf->schema->leaves[col_i] : NULL;
	char w[600];
	snprintf(w, sizeof w, "row group %zu: column %zu '%s'", rg_i, col_i, leaf ? leaf->path : "?");
	if (!cc->has_meta_data) {
		note(c, w, "meta_data", "encrypted column chunk");
		return;
	}
	numtxt n;
	pv_buf b;
	pv_buf_init(&b, 0);

	cmp_i64(c, w, "row_group_num_rows", true, rg->num_rows, table_get(t, row, "row_group_num_rows"));
	cmp_i64(c, w, "row_group_num_columns", true, (int64_t)rg->n_columns,
		table_get(t, row, "row_group_num_columns"));
	cmp_i64(c, w, "row_group_bytes", true, rg->total_byte_size, table_get(t, row, "row_group_bytes"));
	cmp_i64(c, w, "row_group_compressed_bytes", rg->has_total_compressed_size, rg->total_compressed_size,
		table_get(t, row, "row_group_compressed_bytes"));
	cmp_i64(c, w, "file_offset", rg->has_file_offset, cc->file_offset, table_get(t, row, "file_offset"));
	cmp_i64(c, w, "num_values", true, cm->num_values, table_get(t, row, "num_values"));
	path_text(cm, &b);
	cmp_str(c, w, "path_in_schema", b.data, table_get(t, row, "path_in_schema"));
	pv_buf_reset(&b);
	cmp_str(c, w, "type", pv_physical_type_name(cm->type), table_get(t, row, "type"));
	cmp_str(c, w, "compression", enum_text(&n, pv_codec_name(cm->codec), cm->codec),
		table_get(t, row, "compression"));
	encodings_text(cm, &b);
	cmp_str(c, w, "encodings", b.data, table_get(t, row, "encodings"));
	pv_buf_reset(&b);
	cmp_i64(c, w, "index_page_offset", cm->has_index_page_offset, cm->index_page_offset,
		table_get(t, row, "index_page_offset"));
	cmp_i64(c, w, "dictionary_page_offset", cm->has_dictionary_page_offset, cm->dictionary_page_offset,
		table_get(t, row, "dictionary_page_offset"));
	cmp_i64(c, w, "data_page_offset", true, cm->data_page_offset, table_get(t, row, "data_page_offset"));
	cmp_i64(c, w, "total_compressed_size", true, cm->total_compressed_size,
		table_get(t, row, "total_compressed_size"));
	cmp_i64(c, w, "total_uncompressed_size", true, cm->total_uncompressed_size,
		table_get(t, row, "total_uncompressed_size"));
	kv_text(cm, &b);
	cmp_str(c, w, "key_value_metadata (hex)", b.data, table_get(t, row, "kv"));
	pv_buf_reset(&b);
	cmp_i64(c, w, "bloom_filter_offset", cm->has_bloom_filter_offset, cm->bloom_filter_offset,
		table_get(t, row, "bloom_filter_offset"));
	cmp_i64(c, w, "bloom_filter_length", cm->has_bloom_filter_length, cm->bloom_filter_length,
		table_get(t, row, "bloom_filter_length"));
	bool has = bbox_text(cm, &b);
	cmp_str(c, w, "geo_bbox", has ? b.data : NULL, table_get(t, row, "geo_bbox"));
	pv_buf_reset(&b);
	has = geo_types_text(cm, &b);
	cmp_str(c, w, "geo_types", has ? b.data : NULL, table_get(t, row, "geo_types"));
	pv_buf_release(&b);

	/* DuckDB reads an absent Statistics struct as an empty one. */
	static const pv_statistics none;
	const pv_statistics *st = cm->has_statistics ? &cm->statistics : &none;
	cmp_i64(c, w, "stats_null_count", st->has_null_count, st->null_count,
		table_get(t, row, "stats_null_count"));
	cmp_i64(c, w, "stats_distinct_count", st->has_distinct_count, st->distinct_count,
		table_get(t, row, "stats_distinct_count"));
	cmp_bool(c, w, "min_is_exact", st->has_is_min_value_exact, st->is_min_value_exact,
		 table_get(t, row, "min_is_exact"));
	cmp_bool(c, w, "max_is_exact", st->has_is_max_value_exact, st->is_max_value_exact,
		 table_get(t, row, "max_is_exact"));
	if (!leaf)
		return;
	cmp_stat(c, w, "stats_min", leaf, st->has_min, st->min, table_get(t, row, "stats_min"));
	cmp_stat(c, w, "stats_max", leaf, st->has_max, st->max, table_get(t, row, "stats_max"));
	cmp_stat(c, w, "stats_min_value", leaf, st->has_min_value, st->min_value,
		 table_get(t, row, "stats_min_value"));
	cmp_stat(c, w, "stats_max_value", leaf, st->has_max_value, st->max_value,
		 table_get(t, row, "stats_max_value"));

	pv_value vmin, vmax;
	bool trusted;
	pv_err e;
	pv_err_clear(&e);
	if (pv_stats_minmax(cc, leaf, NULL, &vmin, &vmax, &trusted, &e)) {
		char msg[PV_ERR_MSG_MAX + 32];
		snprintf(msg, sizeof msg, "<error: %s>", e.msg);
		report(c, w, "pv_stats_minmax", msg, strlen(msg),
		       table_get(t, row, st->has_min_value ? "stats_min_value" : "stats_min"));
		return;
	}
	cmp_minmax_value(c, w, "pv_stats_minmax min", leaf, &vmin,
			 table_get(t, row, st->has_min_value ? "stats_min_value" : "stats_min"));
	cmp_minmax_value(c, w, "pv_stats_minmax max", leaf, &vmax,
			 table_get(t, row, st->has_max_value ? "stats_max_value" : "stats_max"));
}

static void compare_chunks(ctx *c, const pv_pfile *pf, const char *path)
{
	const pv_file_meta *m = pf->meta;
	char *sql = sql_for("row_group_id, column_id, row_group_num_rows, row_group_num_columns, "
			    "row_group_bytes, row_group_compressed_bytes, file_offset, num_values, "
			    "path_in_schema, type, stats_min, stats_max, stats_null_count, "
			    "stats_distinct_count, stats_min_value, stats_max_value, compression, "
			    "encodings, index_page_offset, dictionary_page_offset, data_page_offset, "
			    "total_compressed_size, total_uncompressed_size, "
			    "array_to_string(list_transform(map_entries(key_value_metadata), "
			    "kv -> hex(kv.key) || '=' || hex(kv.value)), ',') AS kv, "
			    "bloom_filter_offset, bloom_filter_length, min_is_exact, max_is_exact, "
			    "geo_bbox, geo_types",
			    "parquet_metadata", path, " ORDER BY row_group_id, column_id");
	table t;
	pv_err e;
	int rc = table_load(sql, &t, &e);
	free(sql);
	if (rc) {
		print_message("# %s: parquet_metadata: %s\n", c->rel, e.msg);
		c->n_bad++;
		return;
	}
	size_t n_expected = 0;
	for (size_t g = 0; g < m->n_row_groups; g++)
		n_expected += m->row_groups[g].n_columns;
	cmp_count(c, "file", "column chunks", n_expected, t.n_rows);
	for (size_t r = 0; r < t.n_rows; r++) {
		const cell *g = table_get(&t, r, "row_group_id");
		const cell *col = table_get(&t, r, "column_id");
		long long gi = g->s ? strtoll(g->s, NULL, 10) : -1;
		long long ci = col->s ? strtoll(col->s, NULL, 10) : -1;
		if (gi < 0 || (size_t)gi >= m->n_row_groups || ci < 0 ||
		    (size_t)ci >= m->row_groups[gi].n_columns) {
			char w[64];
			snprintf(w, sizeof w, "parquet_metadata row %zu", r);
			report(c, w, "row_group_id/column_id", "<no such column chunk>", 23, g);
			continue;
		}
		compare_chunk(c, pf, &t, r, (size_t)gi, (size_t)ci);
	}
	table_release(&t);
}

static void compare_kv(ctx *c, const pv_pfile *pf, const char *path)
{
	const pv_file_meta *m = pf->meta;
	char *sql = sql_for("hex(key) AS k, hex(value) AS v", "parquet_kv_metadata", path, NULL);
	table t;
	pv_err e;
	int rc = table_load(sql, &t, &e);
	free(sql);
	if (rc) {
		print_message("# %s: parquet_kv_metadata: %s\n", c->rel, e.msg);
		c->n_bad++;
		return;
	}
	size_t n_kv = m->has_key_value_metadata ? m->n_key_value_metadata : 0;
	cmp_count(c, "file", "key_value_metadata (count)", n_kv, t.n_rows);
	pv_buf b;
	pv_buf_init(&b, 0);
	for (size_t i = 0; i < n_kv && i < t.n_rows; i++) {
		const pv_kv *kv = &m->key_value_metadata[i];
		char w[64];
		snprintf(w, sizeof w, "file: key_value_metadata %zu", i);
		pv_buf_reset(&b);
		pv_buf_append(&b, "", 0, NULL);
		put_hex_upper(&b, kv->key, strlen(kv->key));
		cmp_str(c, w, "key (hex)", b.data, table_get(&t, i, "k"));
		pv_buf_reset(&b);
		pv_buf_append(&b, "", 0, NULL);
		if (kv->has_value)
			put_hex_upper(&b, kv->value, kv->value_len);
		cmp_str(c, w, "value (hex)", b.data, table_get(&t, i, "v"));
	}
	pv_buf_release(&b);
	table_release(&t);
}

/* ------------------------------------------------------------ tests */

typedef struct oracle_file {
	char *path;
	char *rel;
} oracle_file;

static void test_file(void **state)
{
	const oracle_file *f = *state;
	ctx c = { .rel = f->rel };
	pv_pfile *pf = NULL;
	pv_err e;
	pv_err_clear(&e);
	if (pv_pfile_open(f->path, &pf, &e))
		fail_msg("%s: duckdb reads it but pv_pfile_open fails: %s", f->rel, e.msg);
	compare_file(&c, pf, f->path);
	compare_schema(&c, pf, f->path);
	compare_chunks(&c, pf, f->path);
	compare_kv(&c, pf, f->path);
	pv_pfile_free(pf);
	g_n_compared += c.n_compared;
	g_n_skipped += c.n_skipped;
	if (c.n_bad)
		fail_msg("%s: %d of %d fields differ from duckdb", f->rel, c.n_bad, c.n_compared);
}

/* DuckDB's verdict on path: NULL when it reads the footer, else its error
 * (malloc'ed). */
static char *duck_refuses(const char *path)
{
	char *sql = sql_for("num_rows", "parquet_file_metadata", path, NULL);
	table t;
	pv_err e;
	int rc = table_load(sql, &t, &e);
	free(sql);
	if (rc)
		return xmemdup(e.msg, strlen(e.msg));
	table_release(&t);
	return NULL;
}

typedef struct file_list {
	char **rels;
	size_t n, alloc;
} file_list;

static void collect(const char *root, const char *rel, file_list *out)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		char full[8192];
		snprintf(full, sizeof full, "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(root, sub, out);
			continue;
		}
		size_t len = strlen(sub);
		if (!S_ISREG(st.st_mode) || len < 8 || strcmp(sub + len - 8, ".parquet") != 0)
			continue;
		if (out->n == out->alloc) {
			out->alloc = out->alloc ? 2 * out->alloc : 64;
			out->rels = realloc(out->rels, out->alloc * sizeof *out->rels);
			if (!out->rels)
				abort();
		}
		out->rels[out->n++] = strdup(sub);
	}
	closedir(d);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Points PARQVIEW_DUCKDB at the repo's library when the test runner says
 * where the repo is and nothing else was chosen. */
static void choose_library(void)
{
	const char *root = getenv("PARQVIEW_ROOT");
	if (getenv("PARQVIEW_DUCKDB") || !root || !*root)
		return;
	char lib[4096];
	snprintf(lib, sizeof lib, "%s/.deps/lib/libduckdb.so", root);
	if (access(lib, R_OK) == 0)
		setenv("PARQVIEW_DUCKDB", lib, 1);
}

static void test_no_duckdb(void **state)
{
	fail_msg("%s", (const char *)*state);
}

static void test_no_corpus(void **state)
{
	fail_msg("no .parquet file under '%s'", (const char *)*state);
}

int main(void)
{
	choose_library();
	char root[4096];
	const char *sub = getenv("PARQVIEW_ORACLE_DIR");
	snprintf(root, sizeof root, "%s/parquet-testing/%s", pv_test_corpus(), sub && *sub ? sub : "data");

	pv_err e;
	pv_err_clear(&e);
	if (pv_duck_open(NULL, &g_duck, &e)) {
		static char msg[PV_ERR_MSG_MAX + 16];
		snprintf(msg, sizeof msg, "duckdb: %s", e.msg);
		const struct CMUnitTest t[] = { cmocka_unit_test_prestate(test_no_duckdb, msg) };
		return cmocka_run_group_tests_name("oracle", t, NULL, NULL);
	}
	/* Timestamps with a zone print as "+00" only in UTC; a build without
	 * ICU prints that anyway and refuses the setting. */
	pv_duck_exec(g_duck, "SET TimeZone='UTC'", NULL);

	file_list fl = { 0 };
	collect(root, "", &fl);
	if (fl.n)
		qsort(fl.rels, fl.n, sizeof *fl.rels, cmp_names);

	struct CMUnitTest *tests = calloc(fl.n ? fl.n : 1, sizeof *tests);
	oracle_file *files = calloc(fl.n ? fl.n : 1, sizeof *files);
	if (!tests || !files)
		abort();
	size_t n_tests = 0, n_skipped = 0;
	for (size_t i = 0; i < fl.n; i++) {
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", root, fl.rels[i]);
		char *why = duck_refuses(path);
		if (why) {
			print_message("# skipped %s: %s\n", fl.rels[i], why);
			free(why);
			n_skipped++;
			continue;
		}
		files[n_tests].path = strdup(path);
		files[n_tests].rel = fl.rels[i];
		tests[n_tests] = (struct CMUnitTest){ .name = fl.rels[i], .test_func = test_file,
						      .initial_state = &files[n_tests] };
		n_tests++;
	}
	print_message("# %zu files compared with duckdb %s, %zu skipped (duckdb cannot read them)\n",
		      n_tests, pv_duck_version(), n_skipped);

	int rc;
	if (n_tests) {
		rc = _cmocka_run_group_tests("oracle", tests, n_tests, NULL, NULL);
	} else {
		const struct CMUnitTest t[] = { cmocka_unit_test_prestate(test_no_corpus, root) };
		rc = cmocka_run_group_tests_name("oracle", t, NULL, NULL);
	}
	print_message("# %ld fields compared, %ld not comparable (listed above)\n", g_n_compared,
		      g_n_skipped);
	for (size_t i = 0; i < n_tests; i++)
		free(files[i].path);
	for (size_t i = 0; i < fl.n; i++)
		free(fl.rels[i]);
	free(fl.rels);
	free(files);
	free(tests);
	pv_duck_close(g_duck);
	return rc;
}
