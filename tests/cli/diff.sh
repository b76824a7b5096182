# tests/cli/diff.sh - `parqview diff` and `parqview schema --save`.
#
# Each golden case writes an old and a new file (or dataset) with DuckDB
# (build/tools/duckq) that differ in one way, runs `parqview diff OLD NEW`
# in the temporary directory and compares stdout, stderr and the exit code
# with tests/cli/diff_golden/NAME.out. After a deliberate output change,
# review and refresh with: PARQVIEW_UPDATE_GOLDEN=1 tests/run build
# Then come checks that do not depend on the golden files: exit codes,
# snapshot round trips, the JSON shape (parsed with python3), bad
# snapshot files, and --save's refusal to overwrite an input.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
golden=$PARQVIEW_ROOT/tests/cli/diff_golden
duckq=$PARQVIEW_BUILD/tools/duckq
bin=$PARQVIEW_BIN
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# write FILE SELECT [COPY OPTIONS]
write() {
	"$duckq" -c "COPY ($2) TO '$1' (FORMAT parquet${3:+, $3})" >/dev/null
}
# pair NAME OLD_SELECT NEW_SELECT [OLD_OPTS] [NEW_OPTS]
pair() {
	write "$1.old.parquet" "$2" "${4:-}"
	write "$1.new.parquet" "$3" "${5:-}"
}
R='FROM range(100) t(i)'

pair added "SELECT i::BIGINT AS id $R" "SELECT i::BIGINT AS id, 'x' || i AS note $R"
pair removed "SELECT i::BIGINT AS id, 'x' || i AS note $R" "SELECT i::BIGINT AS id $R"
pair renamed "SELECT i::BIGINT AS id, 'u' || i AS user_name $R" "SELECT i::BIGINT AS id, 'u' || i AS username $R"
pair int32_int64 "SELECT i::INTEGER AS n $R" "SELECT i::BIGINT AS n $R"
pair int64_int32 "SELECT i::BIGINT AS n $R" "SELECT i::INTEGER AS n $R"
pair string_int "SELECT i::VARCHAR AS n $R" "SELECT i::BIGINT AS n $R"
pair float_double "SELECT i::FLOAT AS x $R" "SELECT i::DOUBLE AS x $R"
pair decimal_scale "SELECT (i / 4)::DECIMAL(10,2) AS p $R" "SELECT (i / 4)::DECIMAL(10,3) AS p $R"
pair decimal_wider "SELECT (i / 4)::DECIMAL(9,2) AS p $R" "SELECT (i / 4)::DECIMAL(18,2) AS p $R"
pair list_element "SELECT [i, i + 1]::INTEGER[] AS l $R" "SELECT [i, i + 1]::BIGINT[] AS l $R"
pair list_to_text "SELECT [i]::INTEGER[] AS l $R" "SELECT [i::VARCHAR] AS l $R"
pair struct_added "SELECT {'a': i::INTEGER} AS s $R" "SELECT {'a': i::INTEGER, 'b': 'x'} AS s $R"
pair struct_removed "SELECT {'a': i::INTEGER, 'b': 'x'} AS s $R" "SELECT {'a': i::INTEGER} AS s $R"
pair map_value "SELECT MAP {'k': i::INTEGER} AS m $R" "SELECT MAP {'k': i::VARCHAR} AS m $R"
pair shape "SELECT [i]::INTEGER[] AS l $R" "SELECT i::INTEGER AS l $R"
pair kv "SELECT i::BIGINT AS id $R" "SELECT i::BIGINT AS id $R" "KV_METADATA {owner: 'ml', stage: 'raw'}" "KV_METADATA {owner: 'ml', stage: 'clean', run: '7'}"
pair codec "SELECT i::BIGINT AS id, i::DOUBLE AS x $R" "SELECT i::BIGINT AS id, i::DOUBLE AS x $R" "COMPRESSION snappy" "COMPRESSION zstd"
pair encoding "SELECT (i % 5)::VARCHAR AS s $R" "SELECT (i % 5)::VARCHAR AS s $R" "" "DICTIONARY_SIZE_LIMIT 1"
pair rows "SELECT i::BIGINT AS id $R" "SELECT i::BIGINT AS id FROM range(150) t(i)"
pair null_share "SELECT CASE WHEN i % 50 = 0 THEN NULL ELSE i END::BIGINT AS v $R" "SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE i END::BIGINT AS v $R"
pair min_max "SELECT i::BIGINT AS v $R" "SELECT (i + 1000)::BIGINT AS v $R"
pair same "SELECT i::BIGINT AS id, 'x' || i AS s $R" "SELECT i::BIGINT AS id, 'x' || i AS s $R"
pair many "SELECT i::INTEGER AS id, 'u' || i AS name, i * 1.5 AS score, i::BIGINT AS cnt $R" "SELECT i::BIGINT AS id, 'u' || i AS full_name, (i * 1.5)::VARCHAR AS score, i::BIGINT AS cnt, true AS flag FROM range(120) t(i)"

# hive datasets: a column added in the new export, a partition key retyped
for d in 2024-01-01 2024-01-02; do
	mkdir -p "hive_old/date=$d" "hive_new/date=$d" "hive_text/date=x$d"
	write "hive_old/date=$d/part-0.parquet" "SELECT i::BIGINT AS id $R"
	write "hive_new/date=$d/part-0.parquet" "SELECT i::BIGINT AS id, 'x' AS label $R"
	write "hive_text/date=x$d/part-0.parquet" "SELECT i::BIGINT AS id $R"
done

# snapshots: one saved from the old file of "many", and edited copies that
# make column 'id' required (DuckDB always writes optional columns)
"$bin" schema many.old.parquet --save many.snap.json >/dev/null
python3 - <<'EOF'
import json
s = json.load(open("many.snap.json"))
for c in s["columns"]:
    if c["name"] == "id":
        c["nullable"] = False
        c["repetition"] = "required"
json.dump(s, open("required.snap.json", "w"), indent=1)
EOF

cases=(
	"added diff added.old.parquet added.new.parquet"
	"removed diff removed.old.parquet removed.new.parquet"
	"renamed diff renamed.old.parquet renamed.new.parquet"
	"int32_int64 diff int32_int64.old.parquet int32_int64.new.parquet"
	"int64_int32 diff int64_int32.old.parquet int64_int32.new.parquet"
	"string_int diff string_int.old.parquet string_int.new.parquet"
	"float_double diff float_double.old.parquet float_double.new.parquet"
	"decimal_scale diff decimal_scale.old.parquet decimal_scale.new.parquet"
	"decimal_wider diff decimal_wider.old.parquet decimal_wider.new.parquet"
	"list_element diff list_element.old.parquet list_element.new.parquet"
	"list_to_text diff list_to_text.old.parquet list_to_text.new.parquet"
	"struct_added diff struct_added.old.parquet struct_added.new.parquet"
	"struct_removed diff struct_removed.old.parquet struct_removed.new.parquet"
	"map_value diff map_value.old.parquet map_value.new.parquet"
	"shape diff shape.old.parquet shape.new.parquet"
	"kv diff kv.old.parquet kv.new.parquet"
	"codec diff codec.old.parquet codec.new.parquet"
	"encoding diff encoding.old.parquet encoding.new.parquet"
	"rows diff rows.old.parquet rows.new.parquet"
	"null_share diff null_share.old.parquet null_share.new.parquet"
	"null_share_threshold diff --null-threshold 0.5 null_share.old.parquet null_share.new.parquet"
	"min_max diff min_max.old.parquet min_max.new.parquet"
	"no_stats diff --no-stats many.old.parquet many.new.parquet"
	"same diff same.old.parquet same.new.parquet"
	"many diff many.old.parquet many.new.parquet"
	"many_json diff --json many.old.parquet many.new.parquet"
	"columns diff --columns score,flag many.old.parquet many.new.parquet"
	"hive diff hive_old hive_new"
	"hive_partition_type diff hive_old hive_text"
	"snap_vs_data diff many.snap.json many.new.parquet"
	"data_vs_snap diff many.new.parquet many.snap.json"
	"snap_roundtrip diff many.snap.json many.old.parquet"
	"required_to_optional diff required.snap.json many.old.parquet"
	"optional_to_required diff many.old.parquet required.snap.json"
	"err_one_path diff many.old.parquet"
	"err_missing diff many.old.parquet nothing.parquet"
	"err_columns diff --columns nope many.old.parquet many.new.parquet"
	"help_diff diff --help"
)

run_case() { # NAME ARGS...
	local name=$1; shift
	local got want
	# shellcheck disable=SC2068
	got=$("$bin" $@ 2>&1; echo "exit: $?")
	if [ -n "${PARQVIEW_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$got" >"$golden/$name.out"
	fi
	want=$(cat "$golden/$name.out" 2>/dev/null || echo "(no golden file $name.out)")
	if [ "$got" == "$want" ]; then
		_tap_report 0 "golden $name"
	else
		_tap_report 1 "golden $name"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 30 | sed 's/^/#   /'
	fi
}

# bad snapshot files: each must give one line on stderr and exit 3
printf '{"parqview_snapshot": 1, "n_files": 1, "rows": 3, "has_st' >truncated.json
python3 - <<'EOF'
import json
s = json.load(open("many.snap.json"))
s["columns"][2]["physical_type"] = 7
json.dump(s, open("wrongtype.json", "w"))
s = json.load(open("many.snap.json"))
s["parqview_snapshot"] = 99
json.dump(s, open("version.json", "w"))
s = json.load(open("many.snap.json"))
s["columns"][0]["physical_type"] = "INT33"
json.dump(s, open("badenum.json", "w"))
s = json.load(open("many.snap.json"))
del s["columns"][1]["type"]
json.dump(s, open("missing.json", "w"))
json.dump({"hello": 1}, open("notsnap.json", "w"))
deep = {"name": "d", "path": "d", "shape": "STRUCT", "type": "STRUCT", "repetition": "optional", "nullable": True, "children": []}
node = deep
for i in range(100):
    child = {"name": "d", "path": "d", "shape": "STRUCT", "type": "STRUCT", "repetition": "optional", "nullable": True, "children": []}
    node["children"].append(child)
    node = child
json.dump({"parqview_snapshot": 1, "n_files": 1, "rows": 1, "has_stats": False, "columns": [deep]}, open("deep.json", "w"))
s = json.load(open("many.snap.json"))
s["columns"][0]["stats"]["values"] = -5
json.dump(s, open("negative.json", "w"))
EOF
bad_cases=(
	"truncated.json|not valid json: line 1"
	"wrongtype.json|\\\$\\.columns\\[2\\]\\.physical_type: expected a string"
	"version.json|snapshot version 99 is newer than this parqview reads \\(1\\)"
	"badenum.json|\\\$\\.columns\\[0\\]\\.physical_type: not a parquet physical type"
	"missing.json|\\\$\\.columns\\[1\\]\\.type: missing"
	"notsnap.json|not a parqview snapshot"
	"deep.json|nested too deeply"
	"negative.json|\\\$\\.columns\\[0\\]\\.stats\\.values: out of range"
)

plan $((${#cases[@]} + 3 * ${#bad_cases[@]} + 16))

for c in "${cases[@]}"; do
	# shellcheck disable=SC2086
	run_case $c
done

for b in "${bad_cases[@]}"; do
	f=${b%%|*} re=${b#*|}
	err=$("$bin" diff "$f" many.old.parquet 2>&1 >/dev/null)
	rc=$?
	is "bad snapshot $f: exit 3" "$rc" 3
	is "bad snapshot $f: one line" "$(printf '%s\n' "$err" | wc -l)" 1
	like "bad snapshot $f: says why" "$err" "^parqview: $f: .*$re"
done

# exit codes straight from the runs (not from the golden files)
"$bin" diff same.old.parquet same.new.parquet >/dev/null 2>&1
is "no change: exit 0" "$?" 0
"$bin" diff int32_int64.old.parquet int32_int64.new.parquet >/dev/null 2>&1
is "compatible only: exit 0" "$?" 0
"$bin" diff int64_int32.old.parquet int64_int32.new.parquet >/dev/null 2>&1
is "breaking: exit 1" "$?" 1
"$bin" diff --bogus a b >/dev/null 2>&1
is "unknown option: exit 2" "$?" 2

# round trips: a snapshot of data diffs clean against that data, both ways,
# and saving a loaded snapshot's dataset again gives the same file
"$bin" schema hive_new --save hive.snap.json >/dev/null
"$bin" diff hive.snap.json hive_new >/dev/null 2>&1
is "round trip hive: snapshot vs data exit 0" "$?" 0
is "round trip hive: no changes" "$("$bin" diff --json hive_new hive.snap.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["n_changes"])')" 0
"$bin" schema hive_new --save hive2.snap.json >/dev/null
ok "save is deterministic" cmp hive.snap.json hive2.snap.json
"$bin" diff hive.snap.json hive2.snap.json >/dev/null 2>&1
is "snapshot vs snapshot: exit 0" "$?" 0

# the JSON shape: counts agree with the list, classes in order
out=$("$bin" diff --json many.old.parquet many.new.parquet)
shape=$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
order = {"breaking": 0, "compatible": 1, "info": 2}
cls = [order[c["class"]] for c in d["changes"]]
assert cls == sorted(cls), cls
assert d["n_changes"] == len(d["changes"])
for k in order:
    assert d["n_" + k] == sum(1 for c in d["changes"] if c["class"] == k)
assert d["breaking"] == (d["n_breaking"] > 0)
assert set(d["old"]) == {"source", "snapshot", "n_files", "rows"}
for c in d["changes"]:
    assert set(c) == {"class", "kind", "column", "old", "new", "message"}, c
print("ok")' 2>&1)
is "json shape" "$shape" ok
is "json rows agree with parqview count" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["new"]["rows"])')" "$("$bin" count many.new.parquet)"
is "json rows agree with duckdb" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["old"]["rows"])')" "$("$duckq" -c "SELECT count(*) FROM 'many.old.parquet'")"

# --save is atomic and never overwrites an input
cp many.old.parquet keep.parquet
"$bin" schema keep.parquet --save keep.parquet >/dev/null 2>err.txt
is "save over the input: exit 2" "$?" 2
ok "save over the input: input unchanged" cmp keep.parquet many.old.parquet
like "save over the input: says so" "$(cat err.txt)" "refusing to overwrite input"
is "save leaves no temporary file" "$(find . -name '.*' -type f | wc -l)" 0
"$bin" schema many.old.parquet --save no/such/dir/x.json >/dev/null 2>&1
is "save into a missing directory: exit 3" "$?" 3
finish
