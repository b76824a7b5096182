#!/usr/bin/env bash
# bench/sql.sh [BUILD] - `parqview sql` against DuckDB itself on the ~1 GB
# file (DIR/big.parquet from bench/gen.sh), in one run.
#
# The same SQL runs in both, whole process against whole process: parqview
# as `parqview sql big.parquet "... FROM data ..."` (the view, the restricted
# session, Arrow batches through the renderers, or COPY for Parquet output);
# DuckDB as build/tools/duckq over read_parquet('big.parquet') (the same
# libduckdb, printing CSV of DuckDB's own VARCHAR casts). Output goes to
# /dev/null or to a file. Each case prints the median wall time of several
# runs, the median CPU time (user + sys, steadier on a shared machine) and
# parqview's added cost as a ratio of both; the target is under 5% (1.05x)
# for queries running a second or more.
#   1. an aggregate over a scan (one small result)
#   2. 870,000 rows of four columns streamed as CSV to /dev/null
#   3. the same rows exported to Parquet (-o x.parquet: COPY in both)
#   4. the same rows exported to CSV (-o x.csv against duckq --csv > x.csv)
#   5. start-up with a trivial query (SELECT 1), without and with a dataset;
#      target under 50 ms (hyperfine when installed, else a loop).
# These are benchmarks, not tests: read the ratios. PARQVIEW_BENCH_RUNS
# (default 5) sets the runs; PARQVIEW_BENCH_DATA the data directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" duckq time
runs=${PARQVIEW_BENCH_RUNS:-5}
PARQVIEW_BUILD=$build "$root/bench/gen.sh" "$data" >/dev/null
big=$data/big.parquet
# measure writes the command's output to $bench_out (lib.sh)
row() { printf '%-52s %8s %8s %9s %9s\n' "$@"; }

RB="read_parquet('$big')"
compare() { # NAME SQL [PV_ARGS...] -- [DUCKQ_ARGS...]
	local name=$1 q=$2
	shift 2
	local pv_args=() dq_args=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do pv_args+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	dq_args=("$@")
	measure "$runs" "$bin" sql "$big" "$q" "${pv_args[@]}"
	local pw=$wall pc=$cpu
	local dq_q=${q//FROM data/FROM $RB}
	measure "$runs" "$duckq" "${dq_args[@]}" -c "$dq_q"
	row "$name" "$pw" "$wall" "$(ratio "$pw" "$wall" 3)" "$(ratio "$pc" "$cpu" 3)"
	row "   (cpu s: parqview $pc, duckdb $cpu)" "" "" "" ""
}

echo
echo "== sql: parqview sql against duckdb (the same libduckdb, $("$duckq" -c 'select version()')), $(nproc) cores, median of $runs"
echo "file: $(du -h "$big" | cut -f1), $("$bin" count "$big") rows"
row "query" "pv s" "duck s" "wall" "cpu"

q1="SELECT attrs.b, count(*) AS n, sum(value) AS s, min(ts) AS lo, max(ts) AS hi, avg(len(numbers)) AS l FROM data GROUP BY 1 ORDER BY 1"
compare "1. aggregate over the scan" "$q1" --format csv -- --csv
q2="SELECT id, value, ts, attrs.b AS b FROM data WHERE id % 10 = 0"
compare "2. 870k rows, 4 columns, CSV to /dev/null" "$q2" --format csv -- --csv
compare "3. the same rows to Parquet (COPY)" "$q2" -o "$tmp/pv.parquet" -- \
	-c "COPY (${q2//FROM data/FROM $RB}) TO '$tmp/dq.parquet' (FORMAT parquet, COMPRESSION zstd)"
bench_out=$tmp/dq.csv
measure "$runs" "$duckq" --csv --header -c "${q2//FROM data/FROM $RB}"
dw=$wall dc=$cpu
bench_out=/dev/null
measure "$runs" "$bin" sql "$big" "$q2" -o "$tmp/pv.csv"
row "4. the same rows to a CSV file" "$wall" "$dw" "$(ratio "$wall" "$dw" 3)" "$(ratio "$cpu" "$dc" 3)"
row "   (cpu s: parqview $cpu, duckdb $dc; files $(wc -c <"$tmp/pv.csv") and $(wc -c <"$tmp/dq.csv") bytes)" "" "" "" ""

echo
echo "== sql: start-up with a trivial query (target < 50 ms)"
if command -v hyperfine >/dev/null; then
	hyperfine -N -w 3 -r 30 --export-json "$tmp/h.json" \
		"$bin sql 'SELECT 1'" "$bin sql $big 'SELECT 1'" "$duckq -c 'SELECT 1'" >/dev/null 2>&1
	python3 - "$tmp/h.json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"])
    print("%-52s median %6.1f ms  min %6.1f ms  user+sys %5.1f ms" % (
        r["command"].split("/")[-1][:52], 1000 * t[len(t) // 2], 1000 * t[0], 1000 * (r["user"] + r["system"])))
EOF
else
	for c in "sql 'SELECT 1'" "sql $big 'SELECT 1'"; do
		t0=$(date +%s%N)
		for ((i = 0; i < 20; i++)); do eval "\"$bin\" $c" >/dev/null; done
		echo "parqview $c: $(( ($(date +%s%N) - t0) / 20000000 )) ms mean of 20"
	done
fi
