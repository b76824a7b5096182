#!/usr/bin/env bash
# tests/corpus/sample_pages.sh - a sample gives back each column's page
# once it has read its rows (read/batch.h pv_rgreader_set_next,
# read/chunk.h pv_chunk_drop_page), and the read-ahead grows from a small
# window: neither may change a row. On a file with many small pages, an
# OffsetIndex and several row groups (DuckDB's file rewritten by
# tools/genbig), each sampled row must equal the same row read alone with
# `cat --rows I:I+1`, for sparse samples (every row in its own page),
# dense ones (several rows per page, pages kept) and rows next to each
# other; and `cat` of a range crossing pages equals DuckDB's rows.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
duckq=$PARQVIEW_BUILD/tools/duckq
genbig=$PARQVIEW_BUILD/tools/genbig
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

plan 9

"$duckq" -c "COPY (SELECT i AS id,
	repeat(chr((97 + i % 26)::INTEGER), (hash(i) % 300)::INTEGER) || i::VARCHAR AS text,
	CASE WHEN i % 17 = 0 THEN NULL ELSE
		list_transform(range((hash(i, 'n') % 6)::BIGINT), lambda k: (hash(i, k) % 1000)::INTEGER) END AS numbers,
	CASE WHEN i % 5 = 0 THEN NULL ELSE (hash(i, 'd') % 100000) / 8.0 END AS value
	FROM range(120000) t(i))
	TO '$tmp/in.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 50000)" >/dev/null
ok "genbig rewrites the file in 16 KiB pages" \
	"$genbig" "$tmp/in.parquet" "$tmp/f.parquet" --page-bytes 16384
pages=$("$PARQVIEW_BIN" meta --pages --columns id "$tmp/f.parquet" 2>/dev/null | grep -c DATA_PAGE)
ok "the id column has many pages ($pages)" test "${pages:-0}" -gt 20

# each_row SEED N: every row of `sample -n N --seed SEED` equals `cat` of that row
each_row() {
	local seed=$1 n=$2 out line i want bad=0 count=0
	out=$("$PARQVIEW_BIN" sample -n "$n" --seed "$seed" --row-numbers --format csv "$tmp/f.parquet") || return 1
	while IFS= read -r line; do
		i=${line%%,*}
		want=$("$PARQVIEW_BIN" cat --rows "$i:$((i + 1))" --row-numbers --format csv "$tmp/f.parquet" | tail -n 1)
		[ "$line" = "$want" ] || { bad=1; echo "# row $i: sample '$line', cat '$want'" >&2; }
		count=$((count + 1))
	done < <(printf '%s\n' "$out" | tail -n +2)
	[ $bad -eq 0 ] && [ "$count" -eq "$n" ]
}
ok "a sparse sample's rows equal the rows read alone" each_row 1 40
ok "another seed's rows equal the rows read alone" each_row 9 25

# a dense sample: the rows read one by one must give the same output as
# the same rows read as one block and filtered
dense=$("$PARQVIEW_BIN" sample -n 3000 --seed 4 --row-numbers --format csv "$tmp/f.parquet")
whole=$("$PARQVIEW_BIN" cat --row-numbers --format csv "$tmp/f.parquet")
want=$(awk -F, 'NR == FNR { if (FNR > 1) keep[$1] = 1; next } FNR == 1 || ($1 in keep)' \
	<(printf '%s\n' "$dense") <(printf '%s\n' "$whole"))
is "a dense sample (3000 rows) equals the same rows of the whole file" "$dense" "$want"
is "the dense sample has 3000 rows" "$(printf '%s\n' "$dense" | wc -l)" 3001

# the same under the streamed path (every page through the window)
s1=$(PARQVIEW_STREAM_MIN=1 "$PARQVIEW_BIN" sample -n 200 --seed 2 --format csv "$tmp/f.parquet")
s2=$("$PARQVIEW_BIN" sample -n 200 --seed 2 --format csv "$tmp/f.parquet")
is "a streamed sample equals a whole-page sample" "$s1" "$s2"

# ranges across page and row group boundaries against DuckDB
a=$("$PARQVIEW_BIN" cat --rows 49000:51500 --columns id,value --format csv "$tmp/f.parquet")
b=$("$duckq" -c "SELECT id, value FROM read_parquet('$tmp/f.parquet') WHERE id >= 49000 AND id < 51500 ORDER BY id" --csv)
# duckq --csv prints no header line
is "cat across a row group boundary equals DuckDB" \
	"$(printf '%s\n' "$a" | tail -n +2)" "$b"
c=$("$PARQVIEW_BIN" head -n 5000 --columns id --format csv "$tmp/f.parquet" | tail -n +2 | awk '{ s += $1 } END { print NR, s }')
is "head -n 5000 reads ids 0..4999 through growing read-ahead" "$c" "5000 12497500"
finish
