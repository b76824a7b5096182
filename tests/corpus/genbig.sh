#!/usr/bin/env bash
# tests/corpus/genbig.sh - tools/genbig (the benchmark's second file: the
# same rows in ~1 MiB pages with an OffsetIndex) against DuckDB: DuckDB
# writes a file with the benchmark's column shapes (BIGINT, long VARCHAR,
# INTEGER[] with NULL lists and elements, STRUCT(a INTEGER, b VARCHAR),
# DOUBLE with NULLs, TIMESTAMP), genbig rewrites it in small pages, and
# DuckDB must read the rewrite exactly as the original; so must parqview,
# whose reads of it by row range must use the page index.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
duckq=$PARQVIEW_BUILD/tools/duckq
genbig=$PARQVIEW_BUILD/tools/genbig
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$duckq" -c "COPY (SELECT i AS id,
	repeat(chr((97 + i % 26)::INTEGER), (hash(i) % 300)::INTEGER) || i::VARCHAR AS text,
	CASE WHEN i % 23 = 0 THEN NULL ELSE list_transform(range((hash(i, 'n') % 9)::BIGINT),
		lambda k: CASE WHEN k = 3 THEN NULL ELSE (hash(i, k) % 1000)::INTEGER END) END AS numbers,
	CASE WHEN i % 31 = 0 THEN NULL ELSE {'a': (i % 1000)::INTEGER, 'b': ['red', 'green', NULL][1 + (i % 3)::INTEGER]} END AS attrs,
	CASE WHEN i % 5 = 0 THEN NULL ELSE i / 7.0 END AS value,
	TIMESTAMP '2024-01-01' + to_microseconds(i * 1000003) AS ts
	FROM range(30000) t(i))
	TO '$tmp/in.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 12000)" >/dev/null

plan 8
ok "genbig rewrites the file" "$genbig" "$tmp/in.parquet" "$tmp/out.parquet" --page-bytes 16384
is "genbig refuses to overwrite its input" "$("$genbig" "$tmp/in.parquet" "$tmp/in.parquet" 2>&1 >/dev/null; echo "exit $?")" \
	"genbig: $tmp/in.parquet: refusing to overwrite input '$tmp/in.parquet'
exit 1"
q="SELECT * FROM read_parquet('FILE') ORDER BY id"
a=$("$duckq" --csv -c "${q/FILE/$tmp/in.parquet}")
b=$("$duckq" --csv -c "${q/FILE/$tmp/out.parquet}")
if [ -n "$a" ] && [ "$a" = "$b" ]; then _tap_report 0 "DuckDB reads the rewrite as the original"; else
	diff <(echo "$a") <(echo "$b") | head -4 | sed 's/^/# /'; _tap_report 1 "DuckDB reads the rewrite as the original"; fi
a=$("$PARQVIEW_BIN" cat --verify --format jsonl "$tmp/in.parquet")
b=$("$PARQVIEW_BIN" cat --verify --format jsonl "$tmp/out.parquet")
if [ -n "$a" ] && [ "$a" = "$b" ]; then _tap_report 0 "parqview reads the rewrite as the original (CRCs checked)"; else _tap_report 1 "parqview reads the rewrite as the original (CRCs checked)"; fi
is "same row groups" "$("$duckq" --csv -c "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('$tmp/out.parquet')")" \
	"$("$duckq" --csv -c "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('$tmp/in.parquet')")"
pages=$("$PARQVIEW_BIN" meta --pages "$tmp/out.parquet" | grep -c DATA_PAGE)
like "many pages ($pages)" "$pages" "^[0-9]{3,}$"
is "every chunk has an OffsetIndex" "$("$PARQVIEW_BIN" meta --json "$tmp/out.parquet" | grep -o '"offset_index_offset"' | wc -l)" \
	"$("$duckq" --csv -c "SELECT count(*) FROM parquet_metadata('$tmp/out.parquet')")"
is "a row range of the rewrite equals DuckDB's" "$("$PARQVIEW_BIN" cat --rows 20000:20005 --columns id,value --format csv "$tmp/out.parquet" | tail -n +2)" \
	"$("$duckq" --csv -c "SELECT id, value FROM '$tmp/in.parquet' ORDER BY id LIMIT 5 OFFSET 20000")"
finish
