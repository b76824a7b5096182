#!/usr/bin/env bash
# bench/doctor.sh [BUILD] - `parqview doctor` on the ~1 GB file
# (DIR/big.parquet from bench/gen.sh) against DuckDB reading every value of
# every column once, in one run.
#
# The doctor decodes every page and checks it (CRCs, statistics, page
# index, UTF-8, bloom filters); the nearest DuckDB work is a query that
# reads each column whole and computes its min, max and count, which is
# what recomputing the statistics takes:
#   SELECT count(*), min(c), max(c), count(c) ... for every column
# Whole process against whole process, median of PARQVIEW_BENCH_SLOW_RUNS
# (default 3) runs, each under /usr/bin/time for its peak memory; the
# doctor also with one thread, and its peak memory against the largest
# column chunk and row group. Benchmarks, not tests: read the ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" duckq time
runs=$slow_runs
PARQVIEW_BUILD=$build "$root/bench/gen.sh" "$data" >/dev/null
big=$data/big.parquet

# the doctor's 1 means it found something; its report is kept in $tmp/out
bench_ok_rc=1
bench_out=$tmp/out
row() { printf '%-58s %9s %10s %8s\n' "$@"; }

cat "$big" >/dev/null
rows=$("$bin" count "$big")
echo
echo "== doctor on big.parquet ($(du -h "$big" | cut -f1), $rows rows)"
echo "machine: $(nproc) cores; duckdb $("$duckq" -c 'select version()' 2>/dev/null); median of $runs runs"
echo "(ratio: the row's time or memory / parqview doctor's)"
row "what" "ms" "rss" "ratio"

measure "$runs" "$bin" doctor --no-advice "$big"
pv=$ms pv_kb=$kb
row "parqview doctor (all CPUs)" "$ms" "$(mib "$kb")" ""
grep -E "^[0-9]+ files?," "$tmp/out" | sed 's/^/    /'

measure "$runs" "$bin" doctor --no-advice --threads 1 "$big"
row "parqview doctor --threads 1" "$ms" "$(mib "$kb")" "$(ratio "$ms" "$pv" 2)"

q="SELECT count(*), min(id), max(id), count(text), min(text), max(text),
	count(numbers), min(list_min(numbers)), max(list_max(numbers)),
	count(attrs), min(attrs.a), max(attrs.a), min(attrs.b), max(attrs.b),
	count(value), min(value), max(value), count(ts), min(ts), max(ts) FROM '$big'"
measure "$runs" "$duckq" --csv -c "$q"
row "duckdb: min/max/count of every column" "$ms" "$(mib "$kb")" "$(ratio "$ms" "$pv" 2)"
echo "    memory: doctor / duckdb $(ratio "$pv_kb" "$kb" 2)"

# the bound memory is measured against
read -r chunk rg < <("$bin" meta --json "$big" | python3 -c '
import json, sys
m = json.load(sys.stdin)["files"][0]
print(max(c["total_uncompressed_size"] for g in m["row_groups"] for c in g["columns"]),
      max(sum(c["total_uncompressed_size"] for c in g["columns"]) for g in m["row_groups"]))')
echo "    largest column chunk $(mib $((chunk / 1024))) uncompressed, largest row group $(mib $((rg / 1024)));" \
	"doctor's peak $(mib "$pv_kb")"
