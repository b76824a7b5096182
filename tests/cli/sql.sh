# tests/cli/sql.sh - `parqview sql` end to end: queries over the corpus and
# over the demo pipeline (generated here with scripts/demo) checked against
# DuckDB itself (build/tools/duckq reading the same files with
# read_parquet(..., hive_partitioning = true, union_by_name = true)); export
# round trips for every format read back; atomic output; the restricted
# session (each forbidden read, write, extension and attach); --unsafe;
# streaming with bounded memory; interruption; usage and exit codes.
# The interactive shell has its own suite (sql_shell.sh).
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
PV=$PARQVIEW_BIN
DUCKQ=$PARQVIEW_BUILD/tools/duckq
corpus=$PARQVIEW_TESTDATA/parquet-testing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

t_ok() { _tap_report 0 "$1"; }
t_fail() { _tap_report 1 "$1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
# same NAME GOT WANT
same() {
	if [ "$2" == "$3" ]; then t_ok "$1"; else
		t_fail "$1" "$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -n 20)"
	fi
}
# status NAME WANT CMD...: passes when CMD exits with WANT
status() {
	local name=$1 want=$2 got
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then t_ok "$name"; else
		t_fail "$name" "exit $got, want $want" "$(head -c 600 "$tmp/err")"
	fi
}

plan 77

# ---- the corpus ----------------------------------------------------------
F=$corpus/data/alltypes_plain.parquet
q="SELECT id, bool_col, tinyint_col, int_col, bigint_col, date_string_col, timestamp_col FROM data ORDER BY id"
RF="read_parquet('$F')"
same "corpus: rows as csv equal duckdb's" \
	"$("$PV" sql "$F" "$q" --format csv)" \
	"$("$DUCKQ" --csv --header -c "${q/FROM data/FROM $RF}")"
same "corpus: an aggregate" \
	"$("$PV" sql "$F" "SELECT sum(id) AS s, count(*) AS n FROM data" --format csv)" \
	"$(printf 's,n\n28,8')"
same "corpus: FROM 'file' names a file of the command line" \
	"$("$PV" sql "$F" "SELECT count(*) AS n FROM '$F'" --format csv)" "$(printf 'n\n8')"
mkdir -p "$tmp/two/sub"
cp "$F" "$tmp/two/a.parquet"
cp "$F" "$tmp/two/sub/b.parquet"
same "corpus: a glob inside a named directory" \
	"$("$PV" sql "$tmp/two" "SELECT count(*) AS n FROM read_parquet('$tmp/two/**/*.parquet')" --format csv)" \
	"$(printf 'n\n16')"
# several files as one view; unreadable files are reported and exit 3
status "corpus: a file whose footer fails: exit 3" 3 \
	"$PV" sql "$F" "$corpus/bad_data/PARQUET-1481.parquet" "SELECT count(*) FROM data"
same "corpus: ... the readable files still answer" "$(cat "$tmp/out" | tr -s ' ' | tail -n 1)" " 8"

# ---- the demo pipeline ---------------------------------------------------
"$PARQVIEW_ROOT/scripts/demo" "$PV" --no-summary --out "$tmp/demo" >/dev/null 2>&1
DOCS=$tmp/demo/docs EMB=$tmp/demo/embeddings
RD="read_parquet('$DOCS/**/*.parquet', hive_partitioning = true, union_by_name = true)"
RE="read_parquet('$EMB/**/*.parquet', hive_partitioning = true, union_by_name = true)"
q="SELECT d.source, d.date, count(*) AS n, count(e.document_id) AS with_emb
FROM docs d LEFT JOIN emb e USING (document_id) GROUP BY ALL ORDER BY ALL"
same "demo: docs joined to embeddings on document_id" \
	"$("$PV" sql --as docs="$DOCS" --as emb="$EMB" "$q" --format csv)" \
	"$("$DUCKQ" --csv --header -c "${q//FROM docs d LEFT JOIN emb e/FROM $RD d LEFT JOIN $RE e}")"
q="SELECT count(*) AS n, count(DISTINCT document_id) AS ids FROM data WHERE date = DATE '2024-03-02' AND source = 'forum'"
same "demo: filters on partition columns" \
	"$("$PV" sql "$DOCS" "$q" --format csv)" "$("$DUCKQ" --csv --header -c "${q//FROM data/FROM $RD}")"
same "demo: the partition column has parqview's type" \
	"$("$PV" sql "$DOCS" "SELECT typeof(date) AS t FROM data LIMIT 1" --format csv)" "$(printf 't\nDATE')"
q="SELECT date, count(*) AS n, count(label) AS labelled, count(reviewer_id) AS reviewed FROM data GROUP BY date ORDER BY date"
same "demo: older shards read the later columns as NULL" \
	"$("$PV" sql "$DOCS" "$q" --format csv)" "$("$DUCKQ" --csv --header -c "${q//FROM data/FROM $RD}")"
got=$("$PV" sql "$DOCS" "SELECT count(*) FROM data WHERE date < DATE '2024-03-04' AND label IS NOT NULL" --format csv | tail -n 1)
same "demo: ... no label at all before 2024-03-04" "$got" "0"
q="SELECT document_id, embedding[1:3] AS head, len(embedding) AS dim FROM data ORDER BY document_id LIMIT 5"
"$PV" sql "$EMB" "$q" --format jsonl >"$tmp/emb.jsonl"
"$DUCKQ" --raw -c "SELECT to_json(t) FROM (${q//FROM data/FROM $RE}) t" >"$tmp/emb.duck"
if python3 - "$tmp/emb.jsonl" "$tmp/emb.duck" <<'EOF'; then t_ok "demo: nested FLOAT[384] values match duckdb's"; else t_fail "demo: nested FLOAT[384] values match duckdb's" "$(head -n 2 "$tmp/emb.jsonl")"; fi
import json, math, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == 5, (len(a), len(b))
for x, y in zip(a, b):
    assert x["document_id"] == y["document_id"] and x["dim"] == y["dim"] == 384
    assert len(x["head"]) == 3 and all(math.isclose(p, q, rel_tol=1e-6) for p, q in zip(x["head"], y["head"]))
EOF
same "demo: a struct of nested values as JSON lines" \
	"$("$PV" sql "$EMB" "SELECT {'id': document_id, 'n': [1, 2]} AS s FROM data ORDER BY document_id LIMIT 1" --format jsonl)" \
	'{"s":{"id":"doc-0000000","n":[1,2]}}'

# ---- export round trips --------------------------------------------------
q="SELECT document_id, text, source, ingested_at, label, confidence, date FROM docs WHERE date >= DATE '2024-03-04' ORDER BY document_id"
want=$("$DUCKQ" --csv -c "SELECT count(*), sum(hash(document_id, text, label, confidence)) FROM (${q//FROM docs/FROM $RD})")
status "export parquet: exit 0" 0 "$PV" sql --as docs="$DOCS" "$q" -o "$tmp/x.parquet"
same "export parquet: read back, the same rows" \
	"$("$DUCKQ" --csv -c "SELECT count(*), sum(hash(document_id, text, label, confidence)) FROM '$tmp/x.parquet'")" "$want"
same "export parquet: zstd by default" \
	"$("$DUCKQ" --csv -c "SELECT DISTINCT compression FROM parquet_metadata('$tmp/x.parquet')")" "ZSTD"
same "export parquet: column types kept" \
	"$("$DUCKQ" --csv -c "SELECT string_agg(column_type, ' ') FROM (DESCRIBE SELECT * FROM '$tmp/x.parquet')")" \
	"VARCHAR VARCHAR VARCHAR TIMESTAMP WITH TIME ZONE VARCHAR DOUBLE DATE"
for c in snappy gzip none; do
	"$PV" sql --as docs="$DOCS" "SELECT * FROM docs LIMIT 100" -o "$tmp/c.parquet" --compression $c
	want=$(echo $c | tr a-z A-Z); [ $c = none ] && want=UNCOMPRESSED
	same "export parquet: --compression $c" \
		"$("$DUCKQ" --csv -c "SELECT DISTINCT compression FROM parquet_metadata('$tmp/c.parquet')")" "$want"
done
same "export parquet: read back by parqview itself" \
	"$("$PV" count "$tmp/x.parquet" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"])')" \
	"$("$DUCKQ" -c "SELECT count(*) FROM (${q//FROM docs/FROM $RD})")"
q2="SELECT document_id, label, confidence, date, ingested_at FROM docs WHERE date = DATE '2024-03-05' AND source = 'books' ORDER BY document_id"
"$PV" sql --as docs="$DOCS" "$q2" -o "$tmp/x.csv"
same "export csv: equal to duckdb's csv of the query" "$(cat "$tmp/x.csv")" \
	"$("$DUCKQ" --csv --header -c "SET TimeZone = 'UTC'; ${q2//FROM docs/FROM $RD}" | sed 's/+00$/+00/')"
same "export csv: same as head -o of the same rows" \
	"$("$PV" sql "$tmp/x.parquet" "SELECT * FROM data LIMIT 7" -o "$tmp/y.csv" && cat "$tmp/y.csv")" \
	"$("$PV" head "$tmp/x.parquet" -n 7 -o "$tmp/h.csv" --no-row-numbers && cat "$tmp/h.csv")"
"$PV" sql --as docs="$DOCS" "$q2" -o "$tmp/x.jsonl"
"$PV" sql --as docs="$DOCS" "$q2" -o "$tmp/x.json"
"$DUCKQ" --raw -c "SET TimeZone = 'UTC'; SELECT to_json(t) FROM (${q2//FROM docs/FROM $RD}) t" >"$tmp/x.duck"
if python3 - "$tmp/x.jsonl" "$tmp/x.json" "$tmp/x.duck" <<'EOF'; then t_ok "export jsonl and json: read back, the values of duckdb"; else t_fail "export jsonl and json: read back, the values of duckdb"; fi
import json, math, sys
jl = [json.loads(l) for l in open(sys.argv[1])]
js = json.load(open(sys.argv[2]))
dk = [json.loads(l) for l in open(sys.argv[3])]
assert jl == js, "jsonl and json differ"
assert len(jl) == len(dk) > 1000, (len(jl), len(dk))
nulls = 0
for a, b in zip(jl, dk):
    assert a["document_id"] == b["document_id"] and a["label"] == b["label"] and a["date"] == b["date"]
    nulls += a["label"] is None
    assert (a["confidence"] is None) == (b["confidence"] is None)
    if a["confidence"] is not None:
        assert math.isclose(a["confidence"], b["confidence"], rel_tol=1e-12)
    assert a["ingested_at"].replace("T", " ").replace("Z", "+00") == b["ingested_at"].replace("T", " ").replace("Z", "+00")[:len(a["ingested_at"])] or a["ingested_at"][:19].replace("T", " ") == b["ingested_at"][:19]
assert nulls > 0, "the planted NULL labels"
EOF
"$PV" sql --as docs="$DOCS" "SELECT document_id, date FROM docs ORDER BY 1 LIMIT 3" -o "$tmp/x.md"
same "export markdown" "$(head -n 3 "$tmp/x.md")" \
	"$(printf '| document_id (string) | date (date) |\n| -------------------- | ----------- |\n| doc-0000000          | 2024-03-01  |')"

# ---- atomic output -------------------------------------------------------
echo "precious" >"$tmp/keep.csv"
status "atomic: a failing query exits 3" 3 "$PV" sql "$DOCS" "SELECT error('boom') FROM data" -o "$tmp/keep.csv"
same "atomic: ... the existing file is untouched" "$(cat "$tmp/keep.csv")" "precious"
echo "precious" >"$tmp/keep.parquet"
status "atomic: a failing parquet export exits 3" 3 "$PV" sql "$DOCS" "SELECT error('boom') FROM data" -o "$tmp/keep.parquet"
same "atomic: ... the existing file is untouched" "$(cat "$tmp/keep.parquet")" "precious"
same "atomic: no temporary file is left" "$(ls -A "$tmp" | grep -c '^\.')" "0"
status "atomic: no output file after a failure" 3 "$PV" sql "$DOCS" "SELECT nope FROM data" -o "$tmp/new.parquet"
same "atomic: ... none created" "$(ls "$tmp/new.parquet" 2>/dev/null)" ""
cp "$F" "$tmp/in.parquet"
status "atomic: -o onto an input is refused (exit 2)" 2 "$PV" sql "$tmp/in.parquet" "SELECT 1" -o "$tmp/in.parquet"
same "atomic: ... the input is untouched" "$(cmp "$F" "$tmp/in.parquet" && echo same)" "same"
ln -s "$tmp/in.parquet" "$tmp/link.parquet"
status "atomic: ... also through a symlink" 2 "$PV" sql "$tmp/in.parquet" "SELECT 1" -o "$tmp/link.parquet"

# ---- the restricted session ----------------------------------------------
forbid() { # NAME SQL PATTERN
	"$PV" sql "$F" "$2" >/dev/null 2>"$tmp/err"
	local rc=$?
	if [ $rc = 3 ] && grep -qE -- "$3" "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ]; then t_ok "$1"; else
		t_fail "$1" "exit $rc" "$(cat "$tmp/err")"
	fi
}
forbid "restricted: read_csv('/etc/passwd')" "SELECT * FROM read_csv('/etc/passwd')" 'Permission Error.*/etc/passwd'
forbid "restricted: read_text of a file" "SELECT * FROM read_text('/etc/hostname')" 'Permission Error'
forbid "restricted: a corpus file not on the command line" \
	"SELECT * FROM read_parquet('$corpus/data/alltypes_dictionary.parquet')" 'Permission Error.*alltypes_dictionary'
forbid "restricted: a glob outside the named paths" \
	"SELECT * FROM read_parquet('$corpus/data/*.parquet')" 'Permission Error'
forbid "restricted: COPY ... TO elsewhere" "COPY (SELECT 1) TO '$tmp/escape.csv'" 'Permission Error.*escape.csv'
same "restricted: ... nothing written" "$(ls "$tmp/escape.csv" 2>/dev/null)" ""
forbid "restricted: INSTALL an extension" "INSTALL httpfs" 'Permission Error'
forbid "restricted: LOAD an extension" "LOAD httpfs" 'Permission Error'
forbid "restricted: ATTACH a database file" "ATTACH '$tmp/other.duckdb' AS o" 'Permission Error.*other.duckdb'
same "restricted: ... no database file created" "$(ls "$tmp/other.duckdb" 2>/dev/null)" ""
forbid "restricted: SET enable_external_access is locked" "SET enable_external_access = true" 'locked'
forbid "restricted: SET allowed_paths is locked" "SET allowed_paths = ['/etc/passwd']" 'locked'
forbid "restricted: SET allowed_directories is locked" "SET allowed_directories = ['/']" 'locked'
forbid "restricted: the lock itself is locked" "SET lock_configuration = false" 'locked'
"$PV" sql --unsafe "$F" "SELECT count(*) > 0 AS ok FROM read_text('/etc/passwd')" --format csv >"$tmp/out" 2>"$tmp/err"
same "--unsafe: lifts the restrictions" "$(cat "$tmp/out")" "$(printf 'ok\ntrue')"
same "--unsafe: ... and says so on stderr" "$(cat "$tmp/err")" \
	"parqview: warning: --unsafe: SQL may read and write any file, attach databases and load extensions"

# ---- streaming -----------------------------------------------------------
# 20 million rows (about 300 MB of CSV) through a pipe: the process must
# stay far below that; 1 million rows give the baseline.
rss() { # ROWS -> "lines maxrss_mb"
	python3 - "$PV" "$1" <<'EOF'
import resource, subprocess, sys
p = subprocess.Popen([sys.argv[1], "sql", "SELECT range AS i, 'row ' || range AS s FROM range(%s)" % sys.argv[2],
                      "--format", "csv", "--threads", "2"], stdout=subprocess.PIPE)
n = 0
for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
    n += chunk.count(b"\n")
p.wait()
print(n, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
}
read -r n1 m1 <<<"$(rss 1000000)"
read -r n20 m20 <<<"$(rss 20000000)"
same "streaming: every row arrives" "$n20" "20000001"
# ASan keeps freed memory in quarantine (256 MB by default)
cap=150 grow=40
case ${PARQVIEW_SAN:-} in *address*) cap=$((cap + 256)) grow=$((grow + 256)) ;; esac
if [ "$m20" -lt $cap ] && [ $((m20 - m1)) -lt $grow ]; then t_ok "streaming: memory stays bounded (${m1} MB at 1M rows, ${m20} MB at 20M)"; else
	t_fail "streaming: memory stays bounded" "${m1} MB at 1M rows, ${m20} MB at 20M rows"
fi

# ---- interruption --------------------------------------------------------
long="SELECT sum(hash(i)) FROM range(1000000000000) t(i)"
start=$(date +%s.%N)
"$PV" sql "$long" >/dev/null 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
took=$(python3 -c "import time; print(round(time.time() - $start, 1))")
same "interrupt: SIGINT ends the query as a SIGINT death (status 130)" "$rc" "130"
if python3 -c "import sys; sys.exit(0 if $took < 4 else 1)"; then t_ok "interrupt: promptly (${took} s)"; else t_fail "interrupt: promptly" "${took} s"; fi
same "interrupt: says so" "$(cat "$tmp/err")" "parqview: interrupted"
"$PV" sql "$DOCS" "SELECT i, d.* FROM range(100000000) t(i), (SELECT * FROM data LIMIT 1) d" -o "$tmp/int.parquet" 2>/dev/null &
pid=$!
sleep 1
kill -INT $pid
wait $pid
same "interrupt: during an export, status 130" "$?" "130"
same "interrupt: ... no output and no temporary file" "$(ls -A "$tmp" | grep -c 'int.parquet')" "0"

# ---- usage, errors, inputs -----------------------------------------------
status "error: a missing path is exit 3" 3 "$PV" sql "$tmp/nope.parquet" "SELECT 1"
same "error: ... naming it" "$(cat "$tmp/err")" "parqview: '$tmp/nope.parquet': no such file or directory"
status "error: a query error is exit 3" 3 "$PV" sql "$F" "SELECT 1;
SELECT nope FROM data"
like "error: ... one line with DuckDB's message and position" "$(cat "$tmp/err")" \
	'^parqview: Binder Error: Referenced column "nope" not found in FROM clause! Candidate bindings: "[a-z_]+" \(line 2, column 8\)$'
status "error: a lone path is a path, not a query" 3 "$PV" sql "$tmp/nope.parquet"
status "usage: --compression without .parquet output" 2 "$PV" sql "SELECT 1" --compression zstd
status "usage: --as without NAME=PATH" 2 "$PV" sql --as "bad name=$F" "SELECT 1"
status "usage: unknown output extension" 2 "$PV" sql "SELECT 1" -o "$tmp/x.xyz"
status "usage: no query and no terminal for a shell" 2 "$PV" sql "$F" </dev/null
status "usage: a --memory-limit DuckDB refuses" 2 "$PV" sql --memory-limit bogus "SELECT 1"
same "usage: ... named" "$(cat "$tmp/err")" \
	"parqview sql: duckdb refused option 'memory_limit' = 'bogus' (see 'parqview sql --help')"
status "--memory-limit: a query past it is exit 3" 3 "$PV" sql --memory-limit 10MB --threads 1 \
	"SELECT list(range) FROM range(100000000)"
like "--memory-limit: ... DuckDB's out-of-memory message" "$(cat "$tmp/err")" '^parqview: Out of Memory Error: '
mkdir "$tmp/spill"
same "--temp-dir: a group-by past the memory limit completes (spill directory given)" \
	"$("$PV" sql --memory-limit 100MB --threads 1 --temp-dir "$tmp/spill" --format csv \
		"SELECT count(*) AS n FROM (SELECT range % 1000000 AS k, list(range) AS l FROM range(20000000) GROUP BY 1 ORDER BY k)")" \
	"$(printf 'n\n1000000')"
printf "CREATE TABLE t AS SELECT * FROM data;\n-- a comment\nSELECT count(*) AS n FROM t;\n" >"$tmp/q.sql"
same "-f FILE runs every statement, prints the last" "$("$PV" sql "$F" -f "$tmp/q.sql" --format csv)" "$(printf 'n\n8')"
same "SQL from a pipe" "$(printf 'SELECT 40 + 2 AS x;' | "$PV" sql --format csv)" "$(printf 'x\n42')"
"$PV" sql "SELECT 1 AS x" --timer >/dev/null 2>"$tmp/err"
like "--timer prints the wall time" "$(cat "$tmp/err")" '^time: [0-9]+\.[0-9]{3} s$'
PARQVIEW_DUCKDB=$tmp/none/libduckdb.so "$PV" sql "SELECT 1" >/dev/null 2>"$tmp/err"
rc=$?
same "no duckdb library: exit 3" "$rc" "3"
like "no duckdb library: says how to install it" "$(cat "$tmp/err")" "^parqview: duckdb library at '$tmp/none/libduckdb.so' cannot be loaded|make bootstrap"
finish
