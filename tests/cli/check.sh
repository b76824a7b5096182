# tests/cli/check.sh - `parqview check` on the demo pipeline: the contract in
# tests/contracts/demo.yaml passes on clean data, and for each planted defect
# (scripts/demo, DEFECTS.json) a copy of the data where exactly the matching
# rule fails and names the offending rows. Then every rule kind for pass,
# fail and invalid configuration, with counts from DuckDB as the oracle;
# JSON and JUnit output parsed; exit codes; usage and line:col errors.
#
# Data: scripts/demo writes the defective demo set; the clean copy fixes
# the defect rows with duckq (renumbered duplicate ids, shortened texts,
# NULL labels filled); each defect copy is the clean copy with that one
# defective file put back.
set -u
. "$(dirname "$0")/../tap.sh"
root=${PARQVIEW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${PARQVIEW_BIN:-$root/build/parqview}
build=${PARQVIEW_BUILD:-$root/build}
duckq=$build/tools/duckq
[ -x "$duckq" ] || duckq=$root/build/tools/duckq
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

plan 109

if ! "$root/scripts/demo" "$bin" --no-summary --out "$t/dirty" >"$t/demo.log" 2>&1; then
	cat "$t/demo.log" | sed 's/^/# /'
	for i in $(seq 109); do echo "not ok $i - demo data"; done
	exit 1
fi
docs=$t/dirty/docs
q() { "$duckq" -c "SET TimeZone='UTC'; $1" --csv; }
all_docs() { echo "read_parquet('$1/docs/*/*/*.parquet', hive_partitioning = true, union_by_name = true)"; }

# ---- the clean copy and one copy per defect
fix() { # DIR PART SQL-SELECT: rewrites DIR/docs/PART/part-0.parquet with SELECT over f
	local f=$1/docs/$2/part-0.parquet
	q "COPY (SELECT * EXCLUDE (file_row_number) $3 FROM read_parquet('$f', hive_partitioning = false, file_row_number = true) ORDER BY file_row_number) TO '$f.new' (FORMAT parquet, COMPRESSION zstd)" >/dev/null &&
		mv "$f.new" "$f"
}
cp -r "$t/dirty" "$t/clean"
fix "$t/clean" date=2024-03-02/source=forum \
	"REPLACE (CASE WHEN file_row_number IN (101, 202, 303) THEN printf('doc-9%06d', file_row_number) ELSE document_id END AS document_id)"
ok "clean copy: duplicates fixed" test -s "$t/clean/docs/date=2024-03-02/source=forum/part-0.parquet"
fix "$t/clean" date=2024-03-04/source=web "REPLACE (CASE WHEN length(text) > 8192 THEN left(text, 100) ELSE text END AS text)"
fix "$t/clean" date=2024-03-05/source=books "REPLACE (coalesce(label, 'neutral') AS label)"
for d in dup long nulls; do cp -r "$t/clean" "$t/$d"; done
cp "$docs/date=2024-03-02/source=forum/part-0.parquet" "$t/dup/docs/date=2024-03-02/source=forum/"
cp "$docs/date=2024-03-04/source=web/part-0.parquet" "$t/long/docs/date=2024-03-04/source=web/"
cp "$docs/date=2024-03-05/source=books/part-0.parquet" "$t/nulls/docs/date=2024-03-05/source=books/"
for d in dirty clean dup long nulls; do cp "$root/tests/contracts/demo.yaml" "$t/$d/"; done

# failing NAMES of a JSON report, comma-separated in report order
failing() { python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(",".join(x["name"] for o in r["objects"] for x in o["rules"] if x["fails"]))' "$1"; }
# rule RULE's field FIELD
field() { python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for o in r["objects"]:
    for x in o["rules"]:
        if x["name"] == sys.argv[2]:
            v = x.get(sys.argv[3])
            print(v if not isinstance(v, float) or v != int(v) else int(v))' "$1" "$2" "$3"; }
# the offending rows of RULE as PARTITION:ROW, space-separated
rows_of() { python3 -c '
import json, re, sys
r = json.load(open(sys.argv[1]))
for o in r["objects"]:
    for x in o["rules"]:
        if x["name"] == sys.argv[2]:
            print(" ".join(re.search(r"(date=[^/]+/source=[^/]+)", f["file"]).group(1) + ":" + str(f["row"]) for f in x["failures"]))' "$1" "$2"; }
defect() { python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$t/dirty/DEFECTS.json" "$1"; }

# ---- the demo contract
"$bin" check "$t/clean/demo.yaml" --json >"$t/clean.json" 2>"$t/err"
is "clean data: exit 0" "$?" 0
is "clean data: no failing rule" "$(failing "$t/clean.json")" ""
is "clean data: nothing on stderr" "$(cat "$t/err")" ""
is "clean data: every rule passes" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["summary"]["pass"] == r["summary"]["rules"])' "$t/clean.json")" True
is "clean data: rowCount from the footers" "$(field "$t/clean.json" rowCount source)" footer
is "clean data: required(text) from the footers" "$(field "$t/clean.json" 'required(text)' source)" footer
is "clean data: rowCount value" "$(field "$t/clean.json" rowCount value)" "$(q "SELECT count(*) FROM $(all_docs "$t/clean")")"

"$bin" check "$t/dup/demo.yaml" --json >"$t/dup.json"
is "duplicates: exit 1" "$?" 1
is "duplicates: only the uniqueness rule fails" "$(failing "$t/dup.json")" document_id_unique_per_partition
is "duplicates: the repeated rows are named" "$(rows_of "$t/dup.json" document_id_unique_per_partition)" \
	"$(defect '" ".join(d["duplicate_document_ids"]["partitions"][0] + ":" + str(r[1]) for r in d["duplicate_document_ids"]["rows"])')"
is "duplicates: measured 3" "$(field "$t/dup.json" document_id_unique_per_partition value)" 3
like "duplicates: values shown" "$(field "$t/dup.json" document_id_unique_per_partition failures)" "doc-0015016"

"$bin" check "$t/long/demo.yaml" --json >"$t/long.json"
is "long texts: exit 1" "$?" 1
is "long texts: only the length rule fails" "$(failing "$t/long.json")" text_fits_context
is "long texts: the rows are named" "$(rows_of "$t/long.json" text_fits_context)" \
	"$(defect '" ".join(d["long_texts"]["partitions"][0] + ":" + str(r) for r in sorted(d["long_texts"]["rows"]))')"
like "long texts: lengths noted" "$(field "$t/long.json" text_fits_context failures)" "length 9036"

"$bin" check "$t/nulls/demo.yaml" --json --failures 100 >"$t/nulls.json"
is "null labels: exit 1" "$?" 1
is "null labels: only the tolerance rule fails" "$(failing "$t/nulls.json")" labels_after_schema_change
is "null labels: count" "$(field "$t/nulls.json" labels_after_schema_change value)" "$(defect 'd["null_labels"]["count"]')"
is "null labels: every row in the books partition of 2024-03-05" \
	"$(rows_of "$t/nulls.json" labels_after_schema_change | tr ' ' '\n' | cut -d: -f1 | sort -u)" \
	"$(defect 'd["null_labels"]["partitions"][0]')"
is "null labels: the named rows are the NULL ones" \
	"$(rows_of "$t/nulls.json" labels_after_schema_change | tr ' ' '\n' | cut -d: -f2 | sort -n | tr '\n' ' ')" \
	"$(q "SELECT file_row_number FROM read_parquet('$t/nulls/docs/date=2024-03-05/source=books/part-0.parquet', file_row_number = true) WHERE label IS NULL ORDER BY 1" | tr '\n' ' ')"

"$bin" check "$t/dirty/demo.yaml" >"$t/dirty.txt"
is "all defects: exit 1" "$?" 1
is "all defects: the three rules fail" "$(grep -c '^  fail ' "$t/dirty.txt")" 3
like "all defects: summary line" "$(tail -n 1 "$t/dirty.txt")" '^summary: [0-9]+ rules: [0-9]+ pass, 3 fail'
like "all defects: offending row line" "$(cat "$t/dirty.txt")" 'date=2024-03-02/source=forum/part-0.parquet: row group 0, row 101 \(global [0-9]+\): date=2024-03-02, source="forum", document_id="doc-0015016"'

# ---- JUnit
"$bin" check "$t/dirty/demo.yaml" --junit "$t/out.xml" >/dev/null
is "junit: exit 1" "$?" 1
is "junit: parses; suites, cases and failures add up" "$(python3 -c '
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = root.findall("testsuite")
cases = [c for s in suites for c in s.findall("testcase")]
fails = [c.get("name") for c in cases if c.find("failure") is not None]
print([s.get("name") for s in suites], len(cases) == int(root.get("tests")), sorted(fails), root.get("failures"))' "$t/out.xml")" \
	"['docs', 'embeddings'] True ['document_id_unique_per_partition', 'labels_after_schema_change', 'text_fits_context'] 3"
like "junit: failure names the file and row" "$(python3 -c '
import sys, xml.etree.ElementTree as ET
for c in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    f = c.find("failure")
    if f is not None and c.get("name") == "text_fits_context": print(f.text)' "$t/out.xml")" 'date=2024-03-04/source=web/part-0.parquet: row group 0, row 8:'
"$bin" check "$t/dirty/demo.yaml" --junit "$t/dirty/demo.yaml" >/dev/null 2>"$t/err"
is "junit: refuses to overwrite the contract" "$?" 2
cp "$t/clean/eval/eval.parquet" "$t/eval-copy.parquet"
"$bin" check "$t/dirty/demo.yaml" "$t/eval-copy.parquet" --junit "$t/eval-copy.parquet" >/dev/null 2>&1
is "junit: refuses to overwrite a data file" "$?:$(cmp -s "$t/eval-copy.parquet" "$t/clean/eval/eval.parquet" && echo same)" 2:same

# ---- every rule kind: pass, fail, invalid
mk() { # NAME BODY: a contract whose single object reads the clean docs
	printf 'apiVersion: v3.1.0\nkind: DataContract\nid: %s\nversion: 1.0.0\nstatus: draft\nschema:\n  - name: docs\n%b' "$1" "$2" >"$t/$1.yaml"
}
run() { # NAME [ARGS...]: exit code, report in $t/NAME.json
	local n=$1
	shift
	"$bin" check "$t/$n.yaml" "$@" --json >"$t/$n.json" 2>"$t/$n.err"
	echo $?
}
clean=$t/clean/docs
n_rows=$(q "SELECT count(*) FROM $(all_docs "$t/clean")")
n_label_null=$(q "SELECT count(*) FROM $(all_docs "$t/clean") WHERE label IS NULL")
n_web=$(q "SELECT count(*) FROM $(all_docs "$t/clean") WHERE source = 'web'")

mk rc_pass "    quality:\n      - metric: rowCount\n        mustBe: $n_rows\n"
is "rowCount: pass" "$(run rc_pass "$clean")" 0
mk rc_fail "    quality:\n      - metric: rowCount\n        mustBeLessThan: 10\n"
is "rowCount: fail" "$(run rc_fail "$clean")" 1
mk rc_bad "    properties:\n      - name: text\n        quality:\n          - metric: rowCount\n            mustBe: 1\n"
is "rowCount: on a property is invalid" "$(run rc_bad "$clean")" 2
like "rowCount: invalid names line and column" "$(cat "$t/rc_bad.err")" 'rc_bad.yaml:11:13: expected rowCount on the schema object'

mk nv_pass "    properties:\n      - name: label\n        quality:\n          - metric: nullValues\n            mustBe: $n_label_null\n"
is "nullValues: pass (DuckDB's count)" "$(run nv_pass "$clean")" 0
is "nullValues: answered from the footers" "$(field "$t/nv_pass.json" 'nullValues(label)' source)" footer
mk nv_fail "    properties:\n      - name: label\n        quality:\n          - metric: nullValues\n            mustBeLessThan: 40\n            unit: percent\n"
is "nullValues: fail in percent" "$(run nv_fail "$clean")" 1
is "nullValues: the percentage" "$(field "$t/nv_fail.json" 'nullValues(label)' value | cut -c1-6)" "$(q "SELECT round($n_label_null * 100.0 / $n_rows, 10)" | cut -c1-6)"
is "nullValues: failing rows read from the data" "$(field "$t/nv_fail.json" 'nullValues(label)' source)" data
mk nv_bad "    properties:\n      - name: label\n        quality:\n          - metric: nullValues\n            mustBe: 0\n            unit: lines\n"
is "nullValues: bad unit is invalid" "$(run nv_bad "$clean")" 2

mk mv_pass "    properties:\n      - name: source\n        quality:\n          - metric: missingValues\n            arguments: {missingValues: [null, web]}\n            mustBe: $n_web\n"
is "missingValues: pass (DuckDB's count)" "$(run mv_pass "$clean")" 0
mk mv_fail "    properties:\n      - name: source\n        quality:\n          - metric: missingValues\n            arguments: {missingValues: [web]}\n            mustBe: 0\n"
is "missingValues: fail" "$(run mv_fail "$clean")" 1
mk mv_bad "    quality:\n      - metric: missingValues\n        mustBe: 0\n"
is "missingValues: on the object is invalid" "$(run mv_bad "$clean")" 2

mk iv_pass "    properties:\n      - name: document_id\n        quality:\n          - metric: invalidValues\n            arguments: {pattern: '^doc-[0-9]+\$'}\n            mustBe: 0\n"
is "invalidValues: pattern passes" "$(run iv_pass "$clean")" 0
mk iv_fail "    properties:\n      - name: source\n        quality:\n          - metric: invalidValues\n            arguments: {validValues: [web, books]}\n            mustBe: 0\n"
is "invalidValues: validValues fails" "$(run iv_fail "$clean")" 1
is "invalidValues: the forum rows counted" "$(field "$t/iv_fail.json" 'invalidValues(source)' value)" "$(q "SELECT count(*) FROM $(all_docs "$t/clean") WHERE source = 'forum'")"
mk iv_bad "    properties:\n      - name: source\n        quality:\n          - metric: invalidValues\n            mustBe: 0\n"
is "invalidValues: without validValues or pattern is invalid" "$(run iv_bad "$clean")" 2
mk iv_re "    properties:\n      - name: source\n        quality:\n          - metric: invalidValues\n            arguments: {pattern: '(unclosed'}\n            mustBe: 0\n"
is "invalidValues: a bad pattern is a rule error" "$(run iv_re "$clean")" 3

mk dv_fail "    quality:\n      - metric: duplicateValues\n        arguments: {properties: [document_id]}\n        mustBe: 0\n"
is "duplicateValues: fails on the dirty data" "$(run dv_fail "$docs")" 1
is "duplicateValues: DuckDB's count" "$(field "$t/dv_fail.json" duplicateValues value)" "$(q "SELECT count(*) - count(DISTINCT document_id) FROM $(all_docs "$t/dirty")")"
is "duplicateValues: passes on the clean data" "$(run dv_fail "$clean")" 0
mk dv_bad "    quality:\n      - metric: duplicateValues\n        arguments: {properties: {a: 1}}\n        mustBe: 0\n"
is "duplicateValues: properties not a list is invalid" "$(run dv_bad "$clean")" 2

mk sql_pass "    quality:\n      - type: sql\n        query: SELECT count(*) FROM \${object} WHERE source = 'web'\n        mustBe: $n_web\n"
is "sql: pass" "$(run sql_pass "$clean")" 0
mk sql_fail "    quality:\n      - type: sql\n        query: SELECT max(length(text)) FROM {object}\n        mustBeLessOrEqualTo: 8192\n"
is "sql: fails on the dirty data" "$(run sql_fail "$docs")" 1
mk sql_bad "    quality:\n      - type: sql\n        query: SELEKT 1\n        mustBe: 1\n"
is "sql: a query error is a rule error" "$(run sql_bad "$clean")" 3
mk sql_esc "    quality:\n      - type: sql\n        query: SELECT count(*) FROM read_csv('/etc/passwd')\n        mustBe: 1\n"
is "sql: the session reads no other file" "$(run sql_esc "$clean")" 3

mk uwp "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: uniqueWithinPartition, columns: [document_id]}\n"
is "uniqueWithinPartition: fails on the dirty data" "$(run uwp "$docs")" 1
is "uniqueWithinPartition: passes on the clean data" "$(run uwp "$clean")" 0
mk uwp_bad "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: uniqueWithinPartition}\n"
is "uniqueWithinPartition: no key is invalid" "$(run uwp_bad "$clean")" 2

max_words=$(q "SELECT max(len(string_split_regex(trim(text), '\\s+'))) FROM $(all_docs "$t/clean")")
mk mtl_ws "    properties:\n      - name: text\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: maxTextLength, max: $max_words, unit: tokens, tokens: whitespace}\n"
is "maxTextLength tokens/whitespace: pass at DuckDB's max word count" "$(run mtl_ws "$clean")" 0
mk mtl_ws2 "    properties:\n      - name: text\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: maxTextLength, max: $((max_words - 1)), unit: tokens, tokens: whitespace}\n"
is "maxTextLength tokens/whitespace: fail one below" "$(run mtl_ws2 "$clean")" 1
max_bytes=$(q "SELECT max(strlen(text)) FROM $(all_docs "$t/clean")")
mk mtl_b "    properties:\n      - name: text\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: maxTextLength, max: $(((max_bytes + 3) / 4 - 1)), unit: tokens, tokens: bytes}\n"
is "maxTextLength tokens/bytes: fail just below bytes/4" "$(run mtl_b "$clean")" 1
is "maxTextLength tokens/bytes: one row" "$(field "$t/mtl_b.json" "maxTextLength(text)" value)" "$(q "SELECT count(*) FROM $(all_docs "$t/clean") WHERE (strlen(text) + 3) // 4 > $(((max_bytes + 3) / 4 - 1))")"
mk mtl_tok "    properties:\n      - name: text\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: maxTextLength, max: 100000, unit: tokens, tokenizer: $root/tests/contracts/tokenizer.json}\n"
is "maxTextLength tokenizer: pass" "$(run mtl_tok "$clean")" 0
mk mtl_bad "    properties:\n      - name: text\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: maxTextLength, max: 10, unit: tokens, tokenizer: /nonexistent.json}\n"
is "maxTextLength: a missing tokenizer is a rule error" "$(run mtl_bad "$clean")" 3

mk cb_pass "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: classBalance, minShare: 0.1, maxRatio: 3}\n"
is "classBalance: pass" "$(run cb_pass "$clean")" 0
mk cb_fail "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: classBalance, minShare: 0.3}\n"
is "classBalance: fail" "$(run cb_fail "$clean")" 1
is "classBalance: smallest share (DuckDB)" "$(field "$t/cb_fail.json" "classBalance(label)" value | cut -c1-6)" \
	"$(q "SELECT round(min(n) / sum(n), 10) FROM (SELECT count(*)::DOUBLE AS n FROM $(all_docs "$t/clean") WHERE label IS NOT NULL GROUP BY label)" | cut -c1-6)"
mk cb_bad "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: classBalance, minShare: 2}\n"
is "classBalance: a share above 1 is invalid" "$(run cb_bad "$clean")" 2

mk jc "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: joinCoverage, column: document_id, reference: {path: $t/clean/embeddings}, minCoverage: 0.99}\n"
is "joinCoverage: fail (not every document has an embedding)" "$(run jc "$clean")" 1
like "joinCoverage: coverage from DuckDB" "$(field "$t/jc.json" "joinCoverage(document_id)" detail)" \
	"$(q "SELECT count(*) FROM $(all_docs "$t/clean") WHERE document_id NOT IN (SELECT document_id FROM read_parquet('$t/clean/embeddings/*.parquet'))") rows with keys missing"
mk jc_bad "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: joinCoverage, column: document_id}\n"
is "joinCoverage: no reference is invalid" "$(run jc_bad "$clean")" 2

mk ed "    properties:\n      - name: embedding\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: embeddingDimension, dimension: 383}\n"
is "embeddingDimension: wrong dimension fails" "$(run ed "$t/clean/embeddings")" 1
like "embeddingDimension: the row's dimension noted" "$(field "$t/ed.json" 'embeddingDimension(embedding)' failures)" "dimension 384"
mkdir -p "$t/vec"
# the NaN in a file without NULL items (read straight from the values), the NULL item in another
q "COPY (SELECT * FROM (VALUES ('a', [1, 'nan'::FLOAT, 2]::FLOAT[]), ('b', [1, 2, 3]::FLOAT[]), ('d', NULL), ('e', [1, 2]::FLOAT[]), ('f', [1, 'inf'::FLOAT, 2]::FLOAT[])) v(id, embedding)) TO '$t/vec/v.parquet' (FORMAT parquet)" >/dev/null
q "COPY (SELECT 'c' AS id, [1, NULL, 3]::FLOAT[] AS embedding) TO '$t/vec/w.parquet' (FORMAT parquet)" >/dev/null
mk ed3 "    properties:\n      - name: embedding\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: embeddingDimension, dimension: 3}\n"
is "embeddingDimension: NaN, NULL item and short vector fail" "$(run ed3 "$t/vec")" 1
is "embeddingDimension: the offending rows and why" \
	"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([(f["file"].split("/")[-1], f["row"], f["note"]) for o in r["objects"] for x in o["rules"] for f in x["failures"]])' "$t/ed3.json")" \
	"[('v.parquet', 0, 'item 1 is NaN'), ('v.parquet', 3, 'dimension 2'), ('v.parquet', 4, 'item 1 is infinite'), ('w.parquet', 0, 'a NULL item')]"
mk ed_bad "    properties:\n      - name: embedding\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: embeddingDimension}\n"
is "embeddingDimension: no dimension is invalid" "$(run ed_bad "$t/clean/embeddings")" 2

mk nt "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: nullTolerance, partition: date, before: '2024-03-06'}\n"
is "nullTolerance: NULLs in 2024-03-05 tolerated when the cut is later" "$(run nt "$docs")" 0
mk nt_bad "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            implementation: {check: nullTolerance, partition: day, before: '2024-03-06'}\n"
is "nullTolerance: an unknown partition key is a rule error" "$(run nt_bad "$docs")" 3

n_eval=$(q "SELECT count(*) FROM read_parquet('$t/clean/eval/*.parquet')")
mk rcr "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: rowCountRatio, upstream: {path: $clean}}\n        mustBeBetween: [0.5, 1]\n"
is "rowCountRatio: eval is a small share of docs: fail" "$(run rcr "$t/clean/eval")" 1
is "rowCountRatio: the ratio" "$(field "$t/rcr.json" rowCountRatio value | cut -c1-7)" "$(q "SELECT round($n_eval / $n_rows, 12)" | cut -c1-7)"

"$bin" schema "$clean/date=2024-03-0[123]" --save "$t/old.snap" >/dev/null
mk sc "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: schemaCompatible, snapshot: old.snap}\n"
is "schemaCompatible: added columns are compatible: pass" "$(run sc "$clean")" 0
mk sc_fail "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: schemaCompatible, snapshot: old.snap, allow: [column_removed]}\n"
is "schemaCompatible: additions not allowed: fail" "$(run sc_fail "$clean")" 1
is "schemaCompatible: the three added columns named" \
	"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" ".join(f["values"].split()[2].rstrip(":") for o in r["objects"] for x in o["rules"] for f in x["failures"]))' "$t/sc_fail.json")" \
	"label reviewer_id confidence"
"$bin" schema "$clean" --save "$t/new.snap" >/dev/null
mk sc_rm "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: schemaCompatible, snapshot: new.snap}\n"
is "schemaCompatible: removed columns are breaking: fail" "$(run sc_rm "$clean/date=2024-03-0[12]")" 1
mk sc_bad "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: schemaCompatible, snapshot: old.snap, allow: [anything]}\n"
is "schemaCompatible: an unknown change kind is invalid" "$(run sc_bad "$clean")" 2
echo '{"version": "x"}' >"$t/bad.snap"
mk sc_badsnap "    quality:\n      - type: custom\n        engine: parqview\n        implementation: {check: schemaCompatible, snapshot: bad.snap}\n"
is "schemaCompatible: a bad snapshot file is a rule error" "$(run sc_badsnap "$clean")" 3

# ---- severity and exit codes
mk sev "    properties:\n      - name: label\n        quality:\n          - type: custom\n            engine: parqview\n            severity: warning\n            implementation: {check: classBalance, minShare: 0.3}\n"
is "warning: exit 0 by default" "$(run sev "$clean")" 0
is "warning: exit 1 with --fail-on warning" "$(run sev "$clean" --fail-on warning)" 1
is "error rule: exit 0 with --fail-on never" "$(run cb_fail "$clean" --fail-on never)" 0
"$bin" check >/dev/null 2>&1
is "usage: no contract" "$?" 2
"$bin" check "$t/rc_pass.yaml" --failures x >/dev/null 2>&1
is "usage: bad --failures" "$?" 2
"$bin" check "$t/missing.yaml" >/dev/null 2>"$t/err"
is "a missing contract file: exit 3" "$?" 3
printf 'apiVersion: v3.1.0\nkind: DataContract\nid: [x\n' >"$t/broken.yaml"
"$bin" check "$t/broken.yaml" "$clean" >/dev/null 2>"$t/err"
is "invalid YAML: exit 2" "$?" 2
like "invalid YAML: line and column" "$(cat "$t/err")" "broken.yaml:4:1: expected valid YAML"
"$bin" check "$t/rc_pass.yaml" "$t/nonexistent" >/dev/null 2>&1
is "data that is not there: exit 3" "$?" 3

# ---- contract init
"$bin" contract init "$clean" -o "$t/init.yaml" 2>"$t/err"
is "init: exit 0" "$?" 0
"$bin" check "$t/init.yaml" --json >"$t/init.json"
is "init: the written contract passes on the same data" "$?" 0
is "init: maxLength of text is DuckDB's longest text" \
	"$(grep -A6 "name: 'text'" "$t/init.yaml" | sed -n 's/ *maxLength: //p')" \
	"$(q "SELECT max(length(text)) FROM $(all_docs "$t/clean")")"
is "init: required where the profile counts no NULL (label not)" \
	"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sorted(x["column"] for o in r["objects"] for x in o["rules"] if x["name"].startswith("required(")))' "$t/init.json")" \
	"['date', 'document_id', 'ingested_at', 'source', 'text']"
is "init: enum values and uniqueness from the profile" \
	"$(grep -c "validValues: \['web', 'books', 'forum'\]" "$t/init.yaml"):$(grep -A5 "name: 'document_id'" "$t/init.yaml" | grep -c 'unique: true')" 1:1
"$bin" check "$t/init.yaml" "$docs" --json >"$t/init_dirty.json"
is "init: the contract of the clean data fails on the dirty data" "$?" 1
is "init: ... on the long texts and the duplicate ids" "$(failing "$t/init_dirty.json")" "unique(document_id),maxLength(text)"
"$bin" contract init "$t/clean/embeddings" -o "$t/init_emb.yaml" && "$bin" check "$t/init_emb.yaml" >/dev/null
is "init: embeddings contract passes" "$?" 0
is "init: the embedding dimension from the profile" "$(sed -n 's/ *dimension: //p' "$t/init_emb.yaml")" 384
"$bin" contract init "$clean" -o "$clean/date=2024-03-01/source=web/part-0.parquet" >/dev/null 2>&1
is "init: refuses to overwrite an input" "$?" 2
"$bin" contract init "$t/nonexistent" >/dev/null 2>&1
is "init: no data: exit 3" "$?" 3
"$bin" contract frob >/dev/null 2>&1
is "contract: unknown subcommand: exit 2" "$?" 2

finish
