#!/usr/bin/env bash
# bench/profile.sh [BUILD] - `parqview profile` against DuckDB in one run,
# on the ~1 GB zstd file (DIR/big.parquet from bench/gen.sh) and on the
# hive-partitioned demo docs (written by scripts/demo into DIR/demo).
#
# Whole process against whole process, median of several runs, each under
# /usr/bin/time for wall time, CPU time (user + system) and peak memory.
#   1. full profile of every column      vs  SUMMARIZE (issue: <= 0.8x the
#                                            time, <= 0.5x the peak memory)
#   2. the longest text and the count over 8,192 characters: profile
#      --columns text --only lengths     vs  SELECT max(length(text)),
#                                            count(*) FILTER (length(text) > 8192)
#                                            (issue: no slower)
# These are benchmarks, not tests: the machine is shared; CPU seconds are
# printed beside wall time because other work on the machine stretches
# wall time. PARQVIEW_BENCH_SLOW_RUNS (default 3) sets the runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" duckq time
runs=$slow_runs
PARQVIEW_BUILD=$build "$root/bench/gen.sh" "$data" >/dev/null
"$root/scripts/demo" "$bin" --no-summary --out "$data/demo" >/dev/null
big=$data/big.parquet
docs=$data/demo/docs

row() { printf '%-50s %9s %8s %9s %8s  %s\n' "$@"; }

# pair NAME TARGET_TIME TARGET_MEM PV_CMD... -- DUCK_CMD...
pair() {
	local name=$1 tt=$2 tm=$3
	shift 3
	local pv=() duck=()
	while [ "$1" != "--" ]; do pv+=("$1"); shift; done
	shift
	duck=("$@")
	measure "$runs" "${pv[@]}"
	local pms=$ms pcpu=$cpu pkb=$kb
	measure "$runs" "${duck[@]}"
	local rt rc rm
	rt=$(ratio "$pms" "$ms" 2) rc=$(ratio "$pcpu" "$cpu" 2) rm=$(ratio "$pkb" "$kb" 2)
	row "$name: parqview" "$pms" "$pcpu" "$(mib "$pkb")" "" ""
	row "$name: duckdb" "$ms" "$cpu" "$(mib "$kb")" "" ""
	row "   parqview / duckdb: time, cpu, memory" "$rt" "$rc" "$rm" "" \
		"time <= ${tt}x: $(verdict "${rt%x}" "<=" "$tt")${tm:+, memory <= ${tm}x: $(verdict "${rm%x}" "<=" "$tm")}"
}

cat "$big" >/dev/null
echo
echo "== profile ($(nproc) cores; duckdb $("$duckq" -c 'select version()' 2>/dev/null); median of $runs runs)"
echo "(ms: wall; cpu: user + system seconds; ratios below 1 mean parqview is faster / smaller)"
row "what" "ms" "cpu s" "rss" "" ""
pair "1. big.parquet, every column" 0.8 0.5 \
	"$bin" profile "$big" -- "$duckq" -c "SUMMARIZE SELECT * FROM '$big'"
pair "2. big.parquet, longest text, count > 8192" 1.0 "" \
	"$bin" profile "$big" --columns text --only lengths -- \
	"$duckq" -c "SELECT max(length(text)), count(*) FILTER (length(text) > 8192) FROM '$big'"
pair "3. demo/docs, every column" 0.8 0.5 \
	"$bin" profile "$docs" -- \
	"$duckq" -c "SUMMARIZE SELECT * FROM read_parquet('$docs/**/*.parquet', hive_partitioning=true, union_by_name=true)"
pair "4. demo/docs, longest text, count > 8192" 1.0 "" \
	"$bin" profile "$docs" --columns text --only lengths -- \
	"$duckq" -c "SELECT max(length(text)), count(*) FILTER (length(text) > 8192) FROM read_parquet('$docs/**/*.parquet', hive_partitioning=true, union_by_name=true)"
