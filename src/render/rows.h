/*
 * rows.h - rows of Arrow batches (base/arrowc.h) written as a terminal
 * table, CSV, JSON lines, one JSON array, a Markdown table or vertical
 * records, streaming batch by batch. `head`, `tail`, `cat` and `sample`
 * decode rows into batches and hand them here.
 *
 * Includes only base, format and render. A writer is used by one thread.
 *
 * Input
 * -----
 * The schema is a struct ("+s") whose children are the columns; each
 * batch is a struct array of the same shape (its children the columns,
 * its length the row count). Types read (Arrow format strings):
 *   n b c C s S i I l L e f g z Z u U vz vu w:N d:P,S[,32|64|128|256]
 *   tdD tdm tts ttm ttu ttn tss: tsm: tsu: tsn: (with a zone or none)
 *   tDs tDm tDu tDn tiM tiD tin +l +L +w:N +s +m
 * and dictionary-encoded arrays of any of them. Extension types (metadata
 * "ARROW:extension:name"): "arrow.uuid" on w:16 and "arrow.json" on a
 * string are understood; any other extension (e.g. "parquet.variant") is
 * shown as its storage type. Unions, run-end encoded arrays and list
 * views are PV_EUNSUPPORTED at open. Slices (offset != 0) and validity
 * bitmaps are honoured at every level; a top-level struct's own validity
 * is ignored (a record batch has no null rows).
 *
 * Batches are checked before any of their rows is written (buffer and
 * child counts, lengths, data buffers); offsets, dictionary indices and
 * view references are checked as cells are read. A bad batch is
 * PV_ECORRUPT with the row and column in the message; for CSV, JSONL and
 * JSON nothing of the failing row is written.
 *
 * Text forms (TABLE, MARKDOWN, VERTICAL, and CSV scalars)
 * -------------------------------------------------------
 *   null                    NULL (tables show it apart from the string
 *                           "NULL", which they print as "NULL" in quotes)
 *   bool                    true / false
 *   ints                    decimal digits
 *   float16/32/64           shortest text that reads back to the same
 *                           value at its own width (0.1f is "0.1"), with
 *                           ".0" on integral values; "NaN", "inf", "-inf"
 *   decimal                 exact digits, scale decimals: "-1.50"
 *   string                  as is (tables escape control characters)
 *   binary, w:N             DuckDB's blob text: printable ASCII as is,
 *                           other bytes and \ ' " as \xAB
 *   uuid                    8-4-4-4-12 lowercase hex
 *   json                    the JSON text as stored
 *   date32/64               2024-01-02 (BC years as "0044-03-15 (BC)")
 *   time                    13:45:00.25 (the fraction without trailing zeros)
 *   timestamp               2024-01-02 03:04:05.123456; with a time zone
 *                           the UTC instant and "+00", whatever the zone
 *   duration                [-]HH:MM:SS[.f], hours not wrapped: 26:00:00
 *   interval                DuckDB's: "1 year 2 months 3 days 00:00:00.004"
 *   list, +w:N              [1, 2, 3]; past 8 items the first 8 and the
 *                           count: "[1, 2, 3, 4, 5, 6, 7, 8, … (384 items)]"
 *   struct                  {a: 1, b: 'x'}
 *   map                     {'k': 1, 'j': 2}; past 8 entries "… (N entries)"
 *   Inside lists, structs and maps strings and blobs are quoted ('x',
 *   'it''s') and NULL is bare.
 * Text cells are capped: a string or blob longer than the budget ends in
 * "… (N bytes)" and a nested value in "…". The budget is 64 KiB for
 * VERTICAL and MARKDOWN, 4 KiB for TABLE (less when fitting to a terminal:
 * 4 bytes per column of width), and max_cell_width cuts to that many
 * display columns.
 *
 * Formats
 * -------
 * TABLE     a pv_table (render/table.h) in the style pv_table_style_for
 *           picks from opts->term: box, ASCII or plain; fitted to
 *           term.width unless wide or width 0. Headers are "name (type)"
 *           with short types ("id (int64)", "tags (list<string>)") when
 *           types is set, else the name. Numbers are right-aligned.
 *           Streaming: rows are gathered into sections of chunk_rows rows
 *           (or 64 MiB of text); each section is printed as its own table,
 *           header included, its widths its own. An empty result prints
 *           the header alone.
 * MARKDOWN  the same cells as TABLE in pv_table's Markdown style, never
 *           fitted; sections are separated by a blank line.
 * VERTICAL  one record per row:
 *               -[ row 17 ]------------
 *               id    | 17
 *               name  | Ada
 *           the number is the global row index (first_row + i); names are
 *           padded to the longest; values are not cut to the terminal.
 * CSV       RFC 4180 with "\n" line ends: a header line of column names,
 *           fields quoted when they hold a comma, a quote, CR or LF (quotes
 *           doubled); NULL is an empty field and an empty string is "".
 *           Scalars take their text form (so blobs are DuckDB's \xAB text);
 *           lists, structs and maps are their compact JSON text (below).
 * JSONL     one JSON object per row, {"col": value, ...}, keys in column
 *           order (duplicate column names repeat the key).
 * JSON      one array of those objects: "[\n", rows joined by ",\n",
 *           "\n]\n" at close; "[]\n" when there are no rows.
 * ARRAYS    one JSON array per row, [value, ...] in column order, each
 *           followed by "\n" (the server's row pages; values as JSONL).
 *           A "\n" in the output only ever ends a row.
 * With row_numbers, TABLE, MARKDOWN and CSV get a first column "#",
 * JSONL/JSON objects a first key "#" and ARRAYS rows a first element
 * holding the global row index.
 *
 * Type -> JSON (JSONL, JSON, and nested values in CSV)
 * ---------------------------------------------------
 *   null                    null
 *   bool                    true / false
 *   int8..int64, uint8..64  numbers, all digits exact (values past 2^53 are
 *                           still numbers: Python and jq keep them, plain
 *                           JavaScript rounds them)
 *   float16/32/64           numbers, shortest round-trip text ("0.1");
 *                           NaN and infinities as "NaN", "Infinity",
 *                           "-Infinity" (strings)
 *   decimal                 strings with the exact digits: "-12345.67"
 *   string                  strings (invalid UTF-8 bytes become U+FFFD)
 *   binary, w:N             base64 strings (standard alphabet, padded)
 *   uuid                    "8-4-4-4-12" strings
 *   json                    the JSON value itself (compacted) when the text
 *                           is valid JSON, else the text as a string
 *   date32/64               "YYYY-MM-DD" (astronomical years outside
 *                           0000..9999: "-0043-03-15", "+10000-01-01")
 *   time                    "HH:MM:SS[.f]"
 *   timestamp, no zone      "2024-01-02T03:04:05.123456" (naive)
 *   timestamp with a zone   "2024-01-02T03:04:05.123456Z" (the UTC instant)
 *   duration                "[-]HH:MM:SS[.f]" strings, hours not wrapped
 *   interval (all three)    {"months": m, "days": d, "nanos": n}
 *   list, large list, +w:N  arrays
 *   struct                  objects, keys the field names in order
 *   map                     arrays of {"key": k, "value": v} objects, in
 *                           order (keys may be any type and may repeat)
 *   dictionary              the JSON of the value it points to
 * Fractions of times and timestamps have the unit's digits (3, 6, 9) with
 * trailing zeros dropped, and none when zero.
 */
#ifndef PV_ROWS_H
#define PV_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arrowc.h"
#include "base/err.h"
#include "render/term.h"

typedef enum pv_rows_format {
	PV_ROWS_TABLE = 0,
	PV_ROWS_CSV,
	PV_ROWS_JSONL,
	PV_ROWS_JSON,
	PV_ROWS_MARKDOWN,
	PV_ROWS_VERTICAL,
	PV_ROWS_ARRAYS /* not named by pv_rows_format_parse: an API form */
} pv_rows_format;

/* Rows per TABLE/MARKDOWN section when chunk_rows is 0. */
#define PV_ROWS_CHUNK 1000
/* Most bytes one CSV/JSON row may take; past it PV_ELIMIT. */
#define PV_ROWS_MAX_ROW_BYTES ((size_t)256 << 20)

typedef struct pv_rows_opts {
	pv_rows_format format;
	pv_term term;	       /* width (0 = unlimited), color, utf8, is_tty */
	size_t max_cell_width; /* TABLE, MARKDOWN, VERTICAL: cut cells to this many
				* display columns with "…"; 0 = no cut */
	bool row_numbers;      /* a first "#" column (key) with the global row index */
	bool wide;	       /* TABLE: do not fit to term.width */
	bool types;	       /* TABLE, MARKDOWN: "name (type)" headers */
	size_t chunk_rows;     /* TABLE, MARKDOWN: rows per section; 0 = PV_ROWS_CHUNK */
} pv_rows_opts;

/* Defaults for format on terminal t: types shown, PV_ROWS_CHUNK rows per
 * section, no row numbers, no cell cap, fitted. */
void pv_rows_opts_init(pv_rows_opts *o, pv_rows_format format, const pv_term *t);

/* "table", "csv", "jsonl" (or "ndjson"), "json", "markdown" (or "md"),
 * "vertical" -> format; PV_EINVAL "invalid output format 'x' (expected
 * table, csv, jsonl, json, markdown or vertical)". */
int pv_rows_format_parse(const char *s, pv_rows_format *out, pv_err *err);

typedef struct pv_rows_writer pv_rows_writer;

/* A writer of rows of schema to out (which the caller keeps open and
 * closes). The schema is read now and not kept: the caller may release it
 * after this call. Nothing is written yet. Free with pv_rows_writer_close.
 * Errors: PV_EINVAL (opts or schema malformed, schema not a struct),
 * PV_EUNSUPPORTED (a type outside the list above), PV_ELIMIT (nesting
 * deeper than 30 levels or more than 100000 fields), PV_ENOMEM. */
int pv_rows_writer_open(pv_rows_writer **out_w, FILE *out, const pv_rows_opts *opts,
			const struct ArrowSchema *schema, pv_err *err);

/* Writes batch->length rows of batch, the first of which is global row
 * first_row (shown by row numbers and VERTICAL headers). The batch stays
 * the caller's (release it after the call); TABLE and MARKDOWN keep
 * copies of the cell text until a section is printed. Errors:
 * PV_EINVAL (NULL or released batch, first_row negative or so large that
 * row numbers overflow), PV_ECORRUPT (see above), PV_ELIMIT
 * (a row past PV_ROWS_MAX_ROW_BYTES), PV_EIO (writing failed), PV_ENOMEM. */
int pv_rows_writer_write(pv_rows_writer *w, const struct ArrowArray *batch, int64_t first_row,
			 pv_err *err);

/* Writes what is pending (the last table section, a CSV header when there
 * were no rows, the closing "]" of JSON), flushes out and frees w even on
 * error. NULL allowed. PV_EIO when writing fails. */
int pv_rows_writer_close(pv_rows_writer *w, pv_err *err);

#endif
