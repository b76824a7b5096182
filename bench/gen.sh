#!/usr/bin/env bash
# bench/gen.sh [DIR] - makes the benchmark data (DIR defaults to bench/data,
# which git ignores). Needs build/tools/duckq (`make all`).
#
#   DIR/many/part-00000.parquet .. part-04999.parquet
#       5,000 small files (200..499 rows each, snappy, one row group):
#       id BIGINT, name VARCHAR, score DOUBLE, ts TIMESTAMP, flag BOOLEAN;
#       every 7th file (numbers 6, 13, 20, ...) has no score column. For
#       metadata-heavy work: listing, footers, schema union.
#       SQL: bench/gen_many.sql (one COPY per file, in one duckq process).
#   DIR/big.parquet
#       about 1 GB, zstd, row groups of 1,000,000 rows: id BIGINT, text
#       VARCHAR (80..979 chars), numbers INTEGER[] (0..20 elements), attrs
#       STRUCT(a INTEGER, b VARCHAR), value DOUBLE, ts TIMESTAMP. For scans.
#       SQL: bench/gen_big.sql. PARQVIEW_BENCH_BIG_ROWS (default 8,700,000)
#       changes its size. DuckDB writes one page per column chunk (up to
#       100 MiB) and no page index: the worst case for random access.
#   DIR/big_pages.parquet
#       the same rows, row groups and statistics rewritten by
#       build/tools/genbig in ~1 MiB pages (v1, PLAIN, zstd) with an
#       OffsetIndex per column chunk, as Arrow, Spark and parquet-mr write:
#       the common case.
#
# Each part is made only when missing or when its generator changed (a stamp
# beside it, DIR/.many.stamp and DIR/.big.stamp, holds a checksum of the
# SQL, this script and the row count), in a temporary name renamed at the
# end, so an interrupted run leaves nothing half-made. Deterministic: every
# value comes from DuckDB's hash() of fixed inputs, so reruns with the same
# DuckDB write byte-identical files. Prints what it made and how long it took.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/bench/data}
duckq=${PARQVIEW_BUILD:-$root/build}/tools/duckq
genbig=${PARQVIEW_BUILD:-$root/build}/tools/genbig
big_rows=${PARQVIEW_BENCH_BIG_ROWS:-8700000}
n_many=5000

for t in "$duckq" "$genbig"; do
	if [ ! -x "$t" ]; then
		echo "bench/gen.sh: '$t' is missing: run 'make all' first" >&2
		exit 1
	fi
done
case $big_rows in '' | *[!0-9]*) echo "bench/gen.sh: bad PARQVIEW_BENCH_BIG_ROWS" >&2; exit 2 ;; esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case $dir in *"|"* | *"'"*) echo "bench/gen.sh: unusable path '$dir'" >&2; exit 2 ;; esac

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { local ms=$1; printf '%d.%03d s' $((ms / 1000)) $((ms % 1000)); }
sum_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# many/: 5,000 COPY statements in one duckq process (about 10 s)
many_stamp=$(sum_of "$root/bench/gen_many.sql" "$0")-$n_many
if [ -d "$dir/many" ] && [ "$(cat "$dir/.many.stamp" 2>/dev/null)" = "$many_stamp" ]; then
	echo "bench/gen.sh: $dir/many is up to date"
else
	t0=$(now_ms)
	tmp=$dir/many.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	trap 'rm -rf "$tmp"' EXIT
	{
		cat "$root/bench/gen_many.sql"
		awk -v n="$n_many" -v out="$tmp" 'BEGIN {
			for (i = 0; i < n; i++) {
				rows = 200 + (i * 7919) % 300
				sel = (i % 7 == 6) ? "SELECT * EXCLUDE (score) FROM" : "FROM"
				printf "COPY (%s many_rows(%d, %d)) TO '\''%s/part-%05d.parquet'\'' (FORMAT parquet);\n",
					sel, i, rows, out, i
			}
		}'
	} | "$duckq" >/dev/null
	rm -rf "$dir/many"
	mv "$tmp" "$dir/many"
	trap - EXIT
	echo "$many_stamp" >"$dir/.many.stamp"
	echo "bench/gen.sh: made $dir/many: $n_many files, $(du -sh "$dir/many" | cut -f1), in $(secs $(($(now_ms) - t0)))"
fi

# big.parquet: one COPY (about 1.5 minutes on 2 cores)
big_stamp=$(sum_of "$root/bench/gen_big.sql" "$0")-$big_rows
if [ -f "$dir/big.parquet" ] && [ "$(cat "$dir/.big.stamp" 2>/dev/null)" = "$big_stamp" ]; then
	echo "bench/gen.sh: $dir/big.parquet is up to date"
else
	t0=$(now_ms)
	tmp=$dir/big.parquet.tmp.$$
	rm -f "$tmp"
	trap 'rm -f "$tmp"' EXIT
	sed -e "s|@ROWS@|$big_rows|" -e "s|@OUT@|$tmp|" "$root/bench/gen_big.sql" | "$duckq" >/dev/null
	mv "$tmp" "$dir/big.parquet"
	trap - EXIT
	echo "$big_stamp" >"$dir/.big.stamp"
	groups=$("$duckq" -c "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('$dir/big.parquet')")
	echo "bench/gen.sh: made $dir/big.parquet: $big_rows rows, $groups row groups," \
		"$(du -h "$dir/big.parquet" | cut -f1), in $(secs $(($(now_ms) - t0)))"
fi

# big_pages.parquet: big.parquet in ~1 MiB pages (about a minute)
pages_stamp=$(sum_of "$root/tools/genbig.c" "$0")-$(cat "$dir/.big.stamp")
if [ -f "$dir/big_pages.parquet" ] && [ "$(cat "$dir/.big_pages.stamp" 2>/dev/null)" = "$pages_stamp" ]; then
	echo "bench/gen.sh: $dir/big_pages.parquet is up to date"
else
	t0=$(now_ms)
	"$genbig" "$dir/big.parquet" "$dir/big_pages.parquet"
	echo "$pages_stamp" >"$dir/.big_pages.stamp"
	echo "bench/gen.sh: made $dir/big_pages.parquet: $(du -h "$dir/big_pages.parquet" | cut -f1)," \
		"in $(secs $(($(now_ms) - t0)))"
fi
