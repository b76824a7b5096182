#!/usr/bin/env bash
# tests/web/ui.sh - browser end-to-end test of `parqview serve`.
#
# Starts the real server on loopback over the demo data (generated here when
# missing) and a 3,000,000-row file written with DuckDB whose values are a
# function of the row number (id = i, label = 'row-' || i, v = i*7 % 1000003),
# works out what the UI must show with the CLI and DuckDB, then runs
# tests/web/ui.js: Debian's chromium, headless, through playwright-core.
# Screenshots (light and dark) and downloaded exports land in
# BUILD/test-artifacts/. TAP comes from ui.js.
set -u
root=${PARQVIEW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${PARQVIEW_BUILD:-$root/build}
bin=${PARQVIEW_BIN:-$build/parqview}
duckq=$build/tools/duckq
chromium=${PARQVIEW_CHROMIUM:-/usr/bin/chromium}
art=$build/test-artifacts
cache=$build/test-web  # the big file, kept between runs
mkdir -p "$art" "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/pv-web-test.XXXXXX")  # this run's own files
trap 'rm -rf "$work"' EXIT

bail() { echo "1..1"; echo "not ok 1 - $*"; exit 1; }
[ -x "$bin" ] || bail "no parqview binary at '$bin'"
[ -x "$duckq" ] || bail "no duckq at '$duckq' (make all)"
[ -x "$chromium" ] || bail "no chromium at '$chromium' (scripts/bootstrap installs Debian's)"
[ -f "$root/web/node_modules/playwright-core/package.json" ] || bail "web/node_modules is missing (make web-deps)"

# demo data: scripts/demo only regenerates when missing or stale
"$root/scripts/demo" "$bin" --no-summary >"$work/demo.log" 2>&1 || bail "scripts/demo failed: $(tail -n 3 "$work/demo.log")"
demo=$root/demo

big=$cache/big.parquet
big_rows=3000000
if [ ! -f "$big" ]; then
	"$duckq" -c "COPY (SELECT i AS id, 'row-' || i AS label, (i * 7) % 1000003 AS v FROM range($big_rows) t(i))
		TO '$big.tmp$$' (FORMAT parquet, ROW_GROUP_SIZE 500000)" >/dev/null || bail "duckq could not write '$big'"
	mv "$big.tmp$$" "$big"
fi

# a file whose first data page is corrupt (the footer reads): the grid must
# show the reader's error, the part after the file name
broken=${PARQVIEW_TESTDATA:-$root/../shared/testdata}/parquet-testing/bad_data/ARROW-GH-47662.parquet
[ -f "$broken" ] || bail "corpus file '$broken' is missing"
broken_error=$("$bin" head -n 1 "$broken" 2>&1 >/dev/null | sed -E 's/^parqview: [^:]*: //')

# what the UI must show, from the CLI and DuckDB
seed=42
docs_rows=$("$bin" count "$demo/docs")
docs_first=$("$bin" head -n 1 --columns document_id --format csv "$demo/docs" | sed -n 2p)
"$bin" sample -n 50 --seed $seed --columns document_id --format jsonl "$demo/docs" >"$work/sample.jsonl" ||
	bail "parqview sample failed"
"$bin" sample -n 50 --seed $seed --format jsonl "$demo/docs" >"$work/sample_full.jsonl" ||
	bail "parqview sample failed"
"$bin" summary --json "$demo/docs" >"$work/summary.json" || bail "parqview summary failed"
query="SELECT id, label FROM big WHERE id % 100000 = 0 ORDER BY id"
"$duckq" -c "SELECT id, label FROM '$big' WHERE id % 100000 = 0 ORDER BY id" --csv >"$work/query.csv" ||
	bail "duckq could not run the reference query"
python3 - "$work" "$docs_first" "$seed" "$big_rows" "$query" "$docs_rows" "$broken_error" "$demo" >"$work/expect.json" <<'EOF' || bail "could not write the expectations"
import csv, io, json, sys
work, docs_first, seed, big_rows, query, docs_rows, broken_error = sys.argv[1:8]
sample = [[r["#"], r["document_id"]] for r in map(json.loads, open(f"{work}/sample.jsonl"))]
# duckq --csv prints no header line; the export has one
text = "id,label\n" + open(f"{work}/query.csv").read()
rows = [[r[0], r[1]] for r in list(csv.reader(io.StringIO(text)))[1:]]
json.dump({
    "datasets": ["docs", "big", "embeddings", "broken"], "broken_error": broken_error, "docs_first_id": docs_first, "docs_rows": int(docs_rows), "docs_path": f"{sys.argv[8]}/docs", "seed": int(seed),
    "sample": sample,
    "sample_full": [{k: v for k, v in json.loads(l).items() if k != "#"} for l in open(f"{work}/sample_full.jsonl")], "big_rows": int(big_rows), "jump_row": 2345678,
    "docs_problems": [p["message"] for p in json.load(open(f"{work}/summary.json"))["problems"]],
    "query": query, "query_rows": rows, "query_csv": text,
    "bad_query": "SELECT 'é…' AS accents, nosuchcol FROM big",  # the position is in UTF-8 bytes
    "slow_query": "SELECT count(*) FROM range(20000000000) a, range(1000) b",
}, sys.stdout)
EOF

out=$work/serve.out
"$bin" serve --as docs="$demo/docs" --as big="$big" --as embeddings="$demo/embeddings" --as broken="$broken" \
	--port 0 --no-open >"$out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
url=""
for _ in $(seq 100); do
	url=$(grep -m1 -oE 'http://[^ ]+token=[0-9a-zA-Z]+' "$out" 2>/dev/null)
	[ -n "$url" ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.1
done
[ -n "$url" ] || bail "parqview serve printed no URL: $(head -c 300 "$work/serve.err")"

node "$root/tests/web/ui.js" "$url" "$art" "$work/expect.json" "$bin"
rc=$?
kill -TERM $pid 2>/dev/null
wait $pid 2>/dev/null
trap - EXIT
rm -rf "$work"
exit $rc
