#!/usr/bin/env bash
# bench/rows.sh [BUILD] - parqview's row access against DuckDB on the ~1 GB
# file (DIR/big.parquet from bench/gen.sh) and on the same rows in ~1 MiB
# pages with an OffsetIndex (DIR/big_pages.parquet), in one run.
#
# Whole process against whole process, median of several runs, each run
# under /usr/bin/time for its peak memory (max RSS). DuckDB runs through
# build/tools/duckq with CSV output, as parqview prints --format csv.
#   1. the first 20 rows, all columns         (head -n 20 / LIMIT 20)
#   2. 50 uniformly sampled rows, + memory    (sample -n 50 / USING SAMPLE 50 ROWS)
#   3. 100 rows at 70% of the file            (cat --rows N:N+100 / LIMIT 100 OFFSET N)
#   4. full decode of every column, MB/s of uncompressed bytes (the footer's
#      total_uncompressed_size, MB = 10^6 bytes) against the codec alone:
#      build/tools/decodebench reads every row group through the row group
#      reader and releases the batches (no rendering); decodebench --pages
#      decompresses the same pages with the same libzstd on one thread, timing
#      only the codec calls: the "zstd -d single-core" figure on exactly the
#      bytes the decode decompresses (the ratio compares CPU time with CPU
#      time: the decode's user + sys against the codec thread's). As a cross-check the zstd command-line
#      tool (-T1) decompresses the first row group's page bytes recompressed
#      at level 3 (DuckDB's level) as one stream. `parqview cat --format csv`
#      over the first row group is timed once, for the cost of rendering.
#   5. peak memory of the full decode against the largest row group's
#      uncompressed size.
# The sample also runs with --threads 1 (row groups one after another), for
# what reading row groups on several threads gains.
# Timing. Each case runs as a whole process, median of several runs, under
# /usr/bin/time (bench/lib.sh measure: wall time around it, CPU and peak
# RSS from it), except cases 1 and 3: a head or 100 rows take a few
# milliseconds, of which the fork and exec of /usr/bin/time and date
# would be a good part, on both sides, pulling the ratio towards 1. They
# are timed with hyperfine
# -N (measure_fast: median wall, mean user + sys; PARQVIEW_BENCH_FAST_RUNS
# runs, default 30; peak RSS from 3 runs under /usr/bin/time), for
# parqview and DuckDB alike, and then once more the old way for comparison.
# These are benchmarks, not tests: read the ratios. PARQVIEW_BENCH_RUNS
# (default 7) sets the runs of the fast cases, PARQVIEW_BENCH_SLOW_RUNS
# (default 3) those of the sample and the full decodes;
# PARQVIEW_BENCH_NO_DECODE=1 skips cases 4 and 5 (minutes of full decodes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" duckq decodebench time hyperfine
fast_runs=${PARQVIEW_BENCH_FAST_RUNS:-30}
dbench=$build/tools/decodebench
PARQVIEW_BUILD=$build "$root/bench/gen.sh" "$data" >/dev/null

# field KEY LINE: the value of KEY=VALUE in decodebench's output line
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
row() { printf '%-52s %16s %10s %10s  %s\n' "$@"; }
# wall ms and CPU ms of the last measure
wc_ms() { echo "$ms ($cpu_ms)"; }

# bench_file FILE WHAT: every case on one file
bench_file() {
	local big=$1 what=$2 rows pv pv_kb pv_cpu r m n line unc largest dec_s dec_cpu dec_kb dec_wall codec raw rg0 i
	local dec cpus rss busy codec_cpu
	# the first read of the file after it was written or evicted comes from
	# disk and would be charged to whichever command ran first: read it once
	cat "$big" >/dev/null
	rows=$("$bin" count "$big")
	echo
	echo "== rows of $(basename "$big"): $what ($(du -hL "$big" | cut -f1), $rows rows, $("$bin" meta "$big" | sed -nE 's/^row groups: *//p') row groups)"
	echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); duckdb $("$duckq" -c 'select version()' 2>/dev/null); median of $runs runs ($slow_runs for the slow cases)"
	echo "(ratio: DuckDB's wall time / parqview's, above 1 means parqview is faster; CPU: the same"
	echo " for user + sys CPU time, which a busy machine disturbs less; rss: peak memory)"
	row "what" "ms (cpu ms)" "rss" "ratio" "target"

	measure_fast "$fast_runs" "$bin" head -n 20 --format csv "$big"
	pv=$ms pv_cpu=$cpu_ms
	row "1. parqview head -n 20 (hyperfine)" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure_fast "$fast_runs" "$duckq" --csv -c "SELECT * FROM '$big' LIMIT 20"
	r=$(ratio "$ms" "$pv")
	row "   duckdb LIMIT 20 (hyperfine)" "$(wc_ms)" "$(mib "$kb")" "$r" ">= 10x: $(verdict "${r%x}" ">=" 10) (CPU: $(ratio "$cpu_ms" "$pv_cpu"))"
	# the same under /usr/bin/time, the way every other case is timed
	measure "$runs" "$bin" head -n 20 --format csv "$big"
	pv=$ms pv_cpu=$cpu_ms
	row "   parqview head -n 20 (/usr/bin/time)" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure "$runs" "$duckq" --csv -c "SELECT * FROM '$big' LIMIT 20"
	r=$(ratio "$ms" "$pv")
	row "   duckdb LIMIT 20 (/usr/bin/time)" "$(wc_ms)" "$(mib "$kb")" "$r" "(CPU: $(ratio "$cpu_ms" "$pv_cpu"))"

	measure "$slow_runs" "$bin" sample -n 50 --seed 1 --format csv "$big"
	pv=$ms pv_kb=$kb pv_cpu=$cpu_ms
	row "2. parqview sample -n 50 --seed 1" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure "$slow_runs" "$bin" sample -n 50 --seed 1 --threads 1 --format csv "$big"
	row "   the same, --threads 1" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure "$slow_runs" "$duckq" --csv -c "SELECT * FROM '$big' USING SAMPLE 50 ROWS"
	r=$(ratio "$ms" "$pv")
	row "   duckdb USING SAMPLE 50 ROWS" "$(wc_ms)" "$(mib "$kb")" "$r" ">= 10x: $(verdict "${r%x}" ">=" 10) (CPU: $(ratio "$cpu_ms" "$pv_cpu"))"
	m=$(ratio "$pv_kb" "$kb" 2)
	row "   memory: parqview's peak / duckdb's" "" "$m" "" "<= 0.2x: $(verdict "${m%x}" "<=" 0.2)"

	n=$((rows * 7 / 10))
	measure_fast "$fast_runs" "$bin" cat --rows "$n:$((n + 100))" --format csv "$big"
	pv=$ms pv_cpu=$cpu_ms
	row "3. parqview cat --rows $n:$((n + 100)) (hyperfine)" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure_fast "$fast_runs" "$duckq" --csv -c "SELECT * FROM '$big' LIMIT 100 OFFSET $n"
	r=$(ratio "$ms" "$pv")
	row "   duckdb LIMIT 100 OFFSET $n (hyperfine)" "$(wc_ms)" "$(mib "$kb")" "$r" ">= 10x: $(verdict "${r%x}" ">=" 10) (CPU: $(ratio "$cpu_ms" "$pv_cpu"))"
	measure "$runs" "$bin" cat --rows "$n:$((n + 100))" --format csv "$big"
	pv=$ms pv_cpu=$cpu_ms
	row "   parqview cat --rows (/usr/bin/time)" "$(wc_ms)" "$(mib "$kb")" "" ""
	measure "$runs" "$duckq" --csv -c "SELECT * FROM '$big' LIMIT 100 OFFSET $n"
	r=$(ratio "$ms" "$pv")
	row "   duckdb LIMIT 100 OFFSET (/usr/bin/time)" "$(wc_ms)" "$(mib "$kb")" "$r" "(CPU: $(ratio "$cpu_ms" "$pv_cpu"))"

	[ -n "${PARQVIEW_BENCH_NO_DECODE:-}" ] && return
	echo
	echo "== full decode of every column (MB/s of uncompressed bytes, MB = 10^6 B)"
	# decodebench prints its own wall and CPU time; keep the runs' medians
	dec=() cpus=() rss=() busy=()
	for ((i = 0; i < slow_runs; i++)); do
		line=$(/usr/bin/time -o "$tmp/rss" -f %M "$dbench" "$big")
		dec+=("$(field wall_s "$line")")
		cpus+=("$(field mb_s_per_cpu_s "$line")")
		rss+=("$(tail -n 1 "$tmp/rss")")
		busy+=("$(awk -v c="$(field cpu_s "$line")" -v w="$(field wall_s "$line")" 'BEGIN { printf "%.2f", c / w }')")
	done
	unc=$(field uncompressed_bytes "$line")
	largest=$(field largest_rg_bytes "$line")
	dec_s=$(median "${dec[@]}") dec_cpu=$(median "${cpus[@]}") dec_kb=$(median "${rss[@]}")
	dec_wall=$(awk -v b="$unc" -v s="$dec_s" 'BEGIN { printf "%.0f", b / 1e6 / s }')
	codec=() codec_cpu=()
	for ((i = 0; i < slow_runs; i++)); do
		line=$("$dbench" --pages "$big")
		codec+=("$(field codec_mb_s "$line")")
		codec_cpu+=("$(field codec_mb_s_per_cpu_s "$line")")
	done
	codec=$(median "${codec[@]}") codec_cpu=$(median "${codec_cpu[@]}")
	echo "uncompressed: $(awk -v b="$unc" 'BEGIN { printf "%.0f MB", b / 1e6 }'); largest row group: $(awk -v b="$largest" 'BEGIN { printf "%.0f MB", b / 1e6 }')"
	row "4. decodebench: row group reader, batches released" "$(awk -v s="$dec_s" 'BEGIN { printf "%.1f", s * 1000 }')" "$(mib "$dec_kb")" "" "$dec_wall MB/s wall"
	row "   the same per CPU second (user + sys)" "" "" "" "$dec_cpu MB/s per core"
	row "   cores busy on average (CPU s / wall s)" "" "" "" "$(median "${busy[@]}")"
	row "   libzstd alone on the same pages, 1 thread" "" "" "" "$codec MB/s"
	row "   the same per CPU second of its thread" "" "" "" "$codec_cpu MB/s"
	# CPU time against CPU time: a busy machine slows the codec's wall clock too
	r=$(ratio "$dec_cpu" "$codec_cpu" 2)
	row "   decode per core / codec alone (per CPU s)" "" "" "$r" ">= 0.5x: $(verdict "${r%x}" ">=" 0.5)"
	if command -v zstd >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq zstd >/dev/null 2>&1; }; then
		"$dbench" "$big" --pages --row-groups 1 --dump "$tmp/rg0.raw" >/dev/null
		zstd -q -3 -T1 "$tmp/rg0.raw" -o "$tmp/rg0.zst"
		raw=$(stat -c %s "$tmp/rg0.raw")
		rm -f "$tmp/rg0.raw"
		measure "$runs" zstd -q -d -T1 -c "$tmp/rg0.zst"
		row "   zstd -d -T1, row group 0's bytes (level 3)" "$ms" "$(mib "$kb")" "" \
			"$(awk -v b="$raw" -v ms="$ms" 'BEGIN { printf "%.0f MB/s", b / 1e6 / (ms / 1000) }')"
		rm -f "$tmp/rg0.zst"
	else
		row "   zstd -d: skipped (no zstd, not root to install it)" "" "" "" ""
	fi
	# rendering all 5 GB as CSV takes over a minute: time row group 0 only
	rg0=$("$dbench" --pages --row-groups 1 "$big")
	measure 1 "$bin" cat --rows ":$(field rows "$rg0")" --format csv "$big"
	row "   parqview cat --format csv, row group 0 (1 run)" "$ms" "$(mib "$kb")" "" \
		"$(awk -v b="$(field uncompressed_bytes "$rg0")" -v ms="$ms" 'BEGIN { printf "%.0f MB/s wall", b / 1e6 / (ms / 1000) }')"
	m=$(ratio "$((dec_kb * 1024))" "$largest" 2)
	row "5. decode's peak memory / largest row group" "" "$m" "" "bounded: <= 1x: $(verdict "${m%x}" "<=" 1)"
}

bench_file "$data/big.parquet" "DuckDB's pages (one per column chunk, up to 100 MiB; no page index): the worst case"
bench_file "$data/big_pages.parquet" "the same rows in ~1 MiB pages with an OffsetIndex (tools/genbig): the common case"
