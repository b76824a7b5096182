#!/usr/bin/env bash
# bench/check.sh [BUILD] - `parqview check` with the demo contract
# (tests/contracts/demo.yaml: docs and embeddings) against the equivalent
# hand-written DuckDB queries run one after another, one duckq process
# each, as a CI job would run them. parqview reads every column once for
# all rules; each DuckDB query reads what it needs again.
#
# Data: the demo pipeline (scripts/demo) and a bigger copy whose docs hold
# every demo file COPIES times (PARQVIEW_BENCH_COPIES, default 8; its
# duplicate ids make the uniqueness rules fail, which costs parqview the
# failure report). Prints the median of PARQVIEW_BENCH_RUNS (5) runs and
# the ratio, for whole processes and for DuckDB's own query times alone
# (duckq --time: no process start or library load; parqview's figure stays
# its whole process). A benchmark, not a test: the machine is shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/${1:-build}
bin=$build/parqview
duckq=$build/tools/duckq
runs=${PARQVIEW_BENCH_RUNS:-5}
copies=${PARQVIEW_BENCH_COPIES:-8}
data=${PARQVIEW_BENCH_DATA:-$root/bench/data}/check
mkdir -p "$data"
"$root/scripts/demo" "$bin" --no-summary --out "$data/demo" >/dev/null
if [ ! -d "$data/big/docs" ]; then
	rm -rf "$data/big.tmp"
	cp -r "$data/demo" "$data/big.tmp"
	for f in "$data/big.tmp"/docs/*/*/part-0.parquet; do
		for ((i = 1; i < copies; i++)); do cp "$f" "${f%part-0.parquet}part-$i.parquet"; done
	done
	mv "$data/big.tmp" "$data/big"
fi

now_ns() { date +%s%N; }
median_ms() { # CMD...: median wall time of runs runs, output discarded
	local t=() i s e
	for ((i = 0; i < runs; i++)); do
		s=$(now_ns)
		"$@" >/dev/null 2>&1 || true
		e=$(now_ns)
		t+=($(((e - s) / 1000000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# the contract's rules as DuckDB queries, one process each
duck_queries() { # DIR
	local d="read_parquet('$1/docs/*/*/*.parquet', hive_partitioning = true, union_by_name = true)"
	local e="read_parquet('$1/embeddings/*.parquet')"
	local qs=(
		"SELECT count(*) FROM $d"
		"SELECT count(*) FILTER (document_id IS NULL), count(*) FILTER (text IS NULL), count(*) FILTER (source IS NULL), count(*) FILTER (ingested_at IS NULL), count(*) FILTER (date IS NULL) FROM $d"
		"SELECT count(*) FROM $d WHERE NOT regexp_full_match(document_id, 'doc-[0-9]{7}')"
		"SELECT count(*) FROM $d WHERE length(text) > 8192"
		"SELECT count(*) FROM $d WHERE source NOT IN ('web', 'books', 'forum')"
		"SELECT count(*) FROM $d WHERE label IS NULL AND date >= DATE '2024-03-04'"
		"SELECT label, count(*) FROM $d WHERE label IS NOT NULL GROUP BY label"
		"SELECT count(*) FROM $d WHERE confidence < 0 OR confidence > 1"
		"SELECT count(*) - count(DISTINCT (date, source, document_id)) FROM $d"
		"SELECT count(*) FROM $d WHERE length(text) = 0"
		"SELECT count(*) FILTER (document_id IS NULL), count(*) - count(DISTINCT document_id) FROM $e"
		"SELECT count(*) FROM $e WHERE len(embedding) <> 384 OR list_any_value(list_filter(embedding, x -> isnan(x))) IS NOT NULL"
		"SELECT (SELECT count(*) FROM $e WHERE document_id NOT IN (SELECT document_id FROM $d)), (SELECT count(DISTINCT document_id) FROM $d WHERE document_id IN (SELECT document_id FROM $e)) / (SELECT count(DISTINCT document_id) FROM $d)"
	)
	for q in "${qs[@]}"; do "$duckq" --time -c "$q" 2>&1 >/dev/null | sed -n 's/^time: \([0-9.]*\) s$/\1/p'; done
}
# the sum of DuckDB's own query times (no process start, no library load), ms
duck_query_ms() { duck_queries "$1" | awk '{ s += $1 } END { printf "%d", s * 1000 }'; }

printf '%-6s %12s %12s %8s %16s %8s\n' data "parqview ms" "duckdb ms" ratio "duckdb query ms" ratio
for set in demo big; do
	cp "$root/tests/contracts/demo.yaml" "$data/$set/demo.yaml"
	rows=$("$bin" count "$data/$set/docs")
	p=$(median_ms "$bin" check "$data/$set/demo.yaml")
	q=$(median_ms duck_queries "$data/$set")
	qt=$(for ((i = 0; i < runs; i++)); do duck_query_ms "$data/$set"; echo; done | sort -n | sed -n "$(((runs + 1) / 2))p")
	printf '%-6s %12s %12s %7.2fx %16s %7.2fx   (%s docs rows; ratio: duckdb / parqview)\n' "$set" "$p" "$q" \
		"$(echo "$q / $p" | bc -l)" "$qt" "$(echo "$qt / $p" | bc -l)" "$rows"
done
