#!/usr/bin/env bash
# bench/diff.sh [BUILD] - `parqview diff` of two 5,000-file datasets against
# DuckDB describing both, in one run (issue target: under one second).
#
# Old: DIR/many/ from bench/gen.sh (made when missing). New: DIR/many_v2/,
# made here once from it with DuckDB: the same files with 'name' renamed
# to 'full_name' and 'score' retyped DOUBLE -> FLOAT (every 7th file still
# lacks score). DIR is PARQVIEW_BENCH_DATA (default bench/data).
# Timed, whole process against whole process, median of PARQVIEW_BENCH_RUNS
# (default 7) runs, each under /usr/bin/time for its peak memory:
#   1. parqview diff many many_v2            (every footer of both, stats included)
#   2. parqview diff --no-stats many many_v2
#   3. parqview diff many.snap.json many_v2  (a saved snapshot against data)
#   4. DuckDB: DESCRIBE of read_parquet(..., union_by_name=true) of both
#      datasets in one process (schema only: less than the diff reports)
# The diff's own output is checked first: the rename and the type change
# must be found. Benchmarks, not tests: read the ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" duckq time

if [ ! -d "$data/many" ]; then
	PARQVIEW_BUILD=$build "$root/bench/gen.sh" "$data" >/dev/null
fi
old=$data/many new=$data/many_v2
case $data in *"'"*) echo "bench/diff.sh: unusable path '$data'" >&2; exit 2 ;; esac

# many_v2/: one COPY per file in one duckq process, remade when many/ changed
stamp=$(cat "$data/.many.stamp" 2>/dev/null || echo none)-$(sha256sum "$0" | cut -c1-16)
if [ ! -d "$new" ] || [ "$(cat "$data/.many_v2.stamp" 2>/dev/null)" != "$stamp" ]; then
	tmpdir=$data/many_v2.tmp.$$
	rm -rf "$tmpdir"
	mkdir -p "$tmpdir"
	trap 'rm -rf "$tmpdir"; bench_cleanup' EXIT
	for f in "$old"/*.parquet; do
		b=$(basename "$f" .parquet)
		i=$((10#${b#part-}))
		if [ $((i % 7)) -eq 6 ]; then
			sel="id, name AS full_name, ts, flag"
		else
			sel="id, name AS full_name, score::FLOAT AS score, ts, flag"
		fi
		echo "COPY (SELECT $sel FROM '$f') TO '$tmpdir/$b.parquet' (FORMAT parquet);"
	done | "$duckq" >/dev/null
	rm -rf "$new"
	mv "$tmpdir" "$new"
	trap bench_cleanup EXIT
	echo "$stamp" >"$data/.many_v2.stamp"
fi

# a diff that finds breaking changes exits 1: that counts as success
bench_ok_rc=1
row() { printf '%-52s %10s %10s %10s  %s\n' "$@"; }

# the diff must find what was planted before its time means anything
out=$("$bin" diff --json "$old" "$new" || true)
for want in '"kind": "column_renamed"' '"old": "DOUBLE"'; do
	if ! grep -q "$want" <<<"$out"; then
		echo "bench/diff.sh: the diff did not report $want" >&2
		exit 1
	fi
done
"$bin" schema "$old" --save "$tmp/many.snap.json" >/dev/null

# warm the page cache for both datasets once
"$bin" count "$old" "$new" >/dev/null
echo
echo "== diff of two 5,000-file datasets ($(ls "$old" | wc -l) and $(ls "$new" | wc -l) files)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); duckdb $("$duckq" -c 'select version()' 2>/dev/null); median of $runs runs"
echo "(ratio: DuckDB's time / parqview's, above 1 means parqview is faster)"
row "what" "ms" "rss" "ratio" "target"
measure "$runs" "$bin" diff "$old" "$new"
pv=$ms
row "1. parqview diff many many_v2" "$ms" "$(mib "$kb")" "" "< 1000 ms: $(awk -v m="$ms" 'BEGIN { print m < 1000 ? "met" : "NOT met" }')"
measure "$runs" "$bin" diff --no-stats "$old" "$new"
row "2. parqview diff --no-stats" "$ms" "$(mib "$kb")" "" ""
measure "$runs" "$bin" diff "$tmp/many.snap.json" "$new"
row "3. parqview diff many.snap.json many_v2" "$ms" "$(mib "$kb")" "" ""
measure "$runs" "$duckq" -c "DESCRIBE SELECT * FROM read_parquet('$old/*.parquet', union_by_name=true); DESCRIBE SELECT * FROM read_parquet('$new/*.parquet', union_by_name=true)"
row "4. duckdb DESCRIBE both, union_by_name" "$ms" "$(mib "$kb")" "$(ratio "$ms" "$pv")" ""
