# tests/cli/rows.sh - head, tail, cat and sample through the CLI, checked
# against DuckDB's reading of the same rows (the start of the differential
# test), plus every output format, -o and usage errors.
#
# A dataset is generated for the run with build/tools/duckq: three files
# under hive directories k=N/day=DATE/src=NAME (the last src NULL), with
# 5000, 3000 and 4100 rows in row groups of 2048 rows (the second file
# lacks several columns, nested ones too), an id that is the global row
# index and columns of many types. DuckDB reads it with read_parquet(...,
# hive_partitioning = true, union_by_name = true). DuckDB orders the
# partition columns by name, we by path: rows compare as objects, so the
# key order does not matter.
#
# Comparison: parqview --format jsonl against DuckDB's to_json of each row,
# both parsed as JSON and compared value by value after this normalisation
# (each rule a difference of JSON spelling, not of value):
#   - numbers compare as floats with a relative tolerance of 1e-6 (FLOAT
#     columns: DuckDB widens 1.1f to 1.100000023841858, we print 1.1);
#   - a string compares equal to a number when it parses to it (our
#     decimals are exact strings "12.50", DuckDB's are numbers), and
#     "NaN", "Infinity", "-Infinity" are the floats (DuckDB writes bare NaN);
#   - timestamps: "T" between date and time is a space, and a trailing "Z"
#     equals DuckDB's "+00";
#   - binary: our base64 is decoded and compared with DuckDB's text of the
#     blob (printable ASCII as is, other bytes as \xAB);
#   - maps: our [{"key": k, "value": v}, ...] equals DuckDB's {"k": v};
#   - our "#" key (row numbers) is checked against the row's position and
#     then dropped.
# CSV is compared as text with duckq --csv, without normalisation.
# Without DuckDB or python3 the comparisons are skipped (ok # skip).
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
PV=$PARQVIEW_BIN
DUCKQ=$PARQVIEW_BUILD/tools/duckq
corpus=$PARQVIEW_TESTDATA/parquet-testing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t_ok() { _tap_report 0 "$1"; }
t_fail() { _tap_report 1 "$1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
t_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # skip $2"; }
# check NAME CMD...: passes when CMD exits 0; its output is shown otherwise
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then t_ok "$name"; else t_fail "$name" "$(printf '%s' "$out" | head -n 20)"; fi
}
# same NAME GOT WANT
same() {
	if [ "$2" == "$3" ]; then t_ok "$1"; else
		t_fail "$1" "$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -n 20)"
	fi
}

have_duck=1
"$DUCKQ" -c "SELECT 1" >/dev/null 2>&1 || have_duck=0
have_py=1
command -v python3 >/dev/null 2>&1 || have_py=0

DS=$tmp/ds
P1="k=1/day=2024-01-01/src=web" P2="k=2/day=2024-01-02/src=books" P3="k=3/day=2024-01-02/src=__HIVE_DEFAULT_PARTITION__"
mkdir -p "$DS/$P1" "$DS/$P2" "$DS/$P3"
cols="i AS id,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN 'NULL' WHEN i % 17 = 0 THEN 'a,\"b\"' || chr(10) || 'c'
       ELSE 'r' || i END AS s,
  @X
  {'a': i, 'b': CASE WHEN i % 7 = 0 THEN NULL ELSE 'b' || i END} AS st,
  CASE WHEN i % 5 = 0 THEN NULL ELSE {'a': (i % 3)::INTEGER, 'b': 'q'} END AS st2,
  CASE WHEN i % 9 = 0 THEN NULL ELSE [i, i + 1] END AS l,
  MAP {'k' || (i % 4): i} AS m,
  (DATE '2020-01-01' + (i % 1000)::INTEGER) AS d,
  (TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i * 1000003)) AS ts,
  (i % 3 = 0) AS b,
  (i / 100)::DECIMAL(10, 2) AS dec,
  (i % 256)::UTINYINT AS u8,
  ('x' || i)::BLOB AS bl"
# columns only the first and last file have: the second reads them as NULL
xcols="(i * 0.5)::DOUBLE AS x, {'p': [i], 'q': 'z'} AS nx, [[i], []] AS ll, MAP {i: 'v'} AS mx,
  [{'e': i}] AS ls, (i % 2 = 0)::BOOLEAN AS xb, 'u' || i AS xs,"
gen_sql="SET threads = 1;
COPY (SELECT ${cols//@X/$xcols} FROM range(0, 5000) t(i)) TO '$DS/$P1/a.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048);
COPY (SELECT ${cols//@X/} FROM range(5000, 8000) t(i)) TO '$DS/$P2/b.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION zstd);
COPY (SELECT ${cols//@X/$xcols} FROM range(8000, 12100) t(i)) TO '$DS/$P3/c.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION snappy);"
if [ $have_duck = 1 ]; then
	if ! err=$("$DUCKQ" -c "$gen_sql" 2>&1 >/dev/null); then
		echo "# generating the dataset failed: $err"
		have_duck=0
	fi
fi
DUCK_DS="read_parquet('$DS/**/*.parquet', hive_partitioning = true, union_by_name = true)"

cat >"$tmp/cmp.py" <<'EOF'
import base64, json, math, sys

def blob_text(b):
    out = []
    for c in b:
        if 32 <= c < 127 and chr(c) not in "\\'\"":
            out.append(chr(c))
        else:
            out.append("\\x%02X" % c)
    return "".join(out)

def num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.replace("Infinity", "inf"))
        except ValueError:
            return None
    return None

def ts(s):
    if len(s) > 10 and s[10] == "T":
        s = s[:10] + " " + s[11:]
    if s.endswith("Z"):
        s = s[:-1] + "+00"
    return s

def same(a, b):  # a: parqview, b: duckdb
    if isinstance(a, list) and isinstance(b, dict):
        if all(isinstance(e, dict) and set(e) == {"key", "value"} for e in a):
            a = {str(e["key"]) if not isinstance(e["key"], str) else e["key"]: e["value"] for e in a}
    if isinstance(a, dict) and isinstance(b, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        if a == b or ts(a) == ts(b):
            return True
        try:
            return blob_text(base64.b64decode(a, validate=True)) == b
        except Exception:
            return False
    x, y = num(a), num(b)
    if x is None or y is None:
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y or math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12)

def main():
    ours = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    theirs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else None
    bad = 0
    if len(ours) != len(theirs):
        print("# rows: parqview %d, duckdb %d" % (len(ours), len(theirs)))
        bad = 1
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if "#" in a:
            n = a.pop("#")
            if first is not None and n != first + i:
                print("# row %d: row number %s, want %d" % (i, n, first + i))
                bad = 1
        if not same(a, b):
            keys = [k for k in b if k not in a or not same(a[k], b[k])] + [k for k in a if k not in b]
            print("# row %d differs in %s" % (i, ", ".join(keys[:5])))
            for k in keys[:3]:
                print("#   %s: parqview %s" % (k, json.dumps(a.get(k))[:200]))
                print("#   %s: duckdb   %s" % (k, json.dumps(b.get(k))[:200]))
            bad += 1
            if bad > 5:
                break
    sys.exit(1 if bad else 0)

main()
EOF

# diff_json NAME PARQVIEW_ARGS SQL [FIRST]: parqview's JSON lines against
# DuckDB's rows of SQL
diff_json() {
	local name=$1 args=$2 sql=$3 first=${4:-}
	if [ $have_duck = 0 ] || [ $have_py = 0 ]; then t_skip "$name" "no duckdb or python3"; return; fi
	# shellcheck disable=SC2086
	if ! "$PV" $args --format jsonl >"$tmp/ours.jsonl" 2>"$tmp/ours.err"; then
		t_fail "$name" "parqview failed: $(head -n 3 "$tmp/ours.err")"
		return
	fi
	if ! "$DUCKQ" --raw -c "SELECT to_json(t) FROM ($sql) t" >"$tmp/theirs.jsonl" 2>"$tmp/theirs.err"; then
		t_fail "$name" "duckdb failed: $(head -n 3 "$tmp/theirs.err")"
		return
	fi
	local out
	if out=$(python3 "$tmp/cmp.py" "$tmp/ours.jsonl" "$tmp/theirs.jsonl" $first 2>&1); then
		t_ok "$name"
	else
		t_fail "$name" "$out"
	fi
}

# ---- the generated dataset against DuckDB
ALL="SELECT * FROM $DUCK_DS"
diff_json "head: first 10 rows of the dataset" "head $DS" "$ALL LIMIT 10"
diff_json "head -n 0" "head -n 0 $DS" "$ALL LIMIT 0"
diff_json "tail: last 7 rows" "tail -n 7 $DS" "$ALL OFFSET 12093"
diff_json "tail -n larger than the dataset" "tail -n 20000 $DS" "$ALL"
diff_json "cat --rows across two files" "cat --rows 4990:5010 $DS --row-numbers" "$ALL LIMIT 20 OFFSET 4990" 4990
diff_json "cat --rows across row groups" "cat --rows 2040:2060 $DS --row-numbers" "$ALL LIMIT 20 OFFSET 2040" 2040
diff_json "cat --rows open start" "cat --rows :3 $DS" "$ALL LIMIT 3"
diff_json "cat --rows open end" "cat --rows 12095: $DS" "$ALL OFFSET 12095"
diff_json "cat --rows N: one row" "cat --rows 8000 $DS" "$ALL LIMIT 1 OFFSET 8000"
diff_json "cat --rows past the end" "cat --rows 12090:99999 $DS" "$ALL OFFSET 12090"
diff_json "cat: every row" "cat $DS" "$ALL"
diff_json "--columns with struct fields and a partition" "head -n 30 --columns st.a,k,id,st2.b $DS" \
	"SELECT st.a AS \"st.a\", k, id, st2.b AS \"st2.b\" FROM $DUCK_DS LIMIT 30"
diff_json "--columns: a column missing from a file reads as NULL" "cat --rows 4998:5003 -c x,id $DS" \
	"SELECT x, id FROM $DUCK_DS LIMIT 5 OFFSET 4998"

diff_json "--columns: nested columns missing from a file read as NULL" \
	"cat --rows 4990:5010 -c nx,ll,mx,ls,xb,xs,nx.p $DS" \
	"SELECT nx, ll, mx, ls, xb, xs, nx.p AS \"nx.p\" FROM $DUCK_DS LIMIT 20 OFFSET 4990"

# sample: the rows it picks, checked against DuckDB by id (= global row)
if [ $have_duck = 1 ] && [ $have_py = 1 ]; then
	"$PV" sample -n 40 --seed 7 --row-numbers --format jsonl "$DS" >"$tmp/s1.jsonl" 2>"$tmp/s1.err"
	ids=$(python3 -c 'import json,sys; print(",".join(str(json.loads(l)["id"]) for l in open(sys.argv[1])))' "$tmp/s1.jsonl")
	nums=$(python3 -c 'import json,sys; print(",".join(str(json.loads(l)["#"]) for l in open(sys.argv[1])))' "$tmp/s1.jsonl")
	same "sample: row numbers are the global rows" "$nums" "$ids"
	diff_json "sample -n 40 --seed 7: the same values DuckDB has" "sample -n 40 --seed 7 $DS" \
		"$ALL WHERE id IN (${ids:-0}) ORDER BY id"
else
	t_skip "sample: row numbers are the global rows" "no duckdb or python3"
	t_skip "sample -n 40 --seed 7: the same values DuckDB has" "no duckdb or python3"
fi
s1=$("$PV" sample -n 40 --seed 7 -c id --format csv "$DS" 2>/dev/null)
s2=$("$PV" sample -n 40 --seed 7 -c id --format csv "$DS" 2>/dev/null)
s3=$("$PV" sample -n 40 --seed 8 -c id --format csv "$DS" 2>/dev/null)
same "sample: the same seed gives the same rows" "$s1" "$s2"
same "sample: row numbers by default, in every format" "$(printf '%s\n' "$s1" | head -n 1)" "#,id"
same "sample --no-row-numbers" "$("$PV" sample -n 2 --seed 7 -c id --format csv --no-row-numbers "$DS" | head -n 1)" "id"
if [ "$s1" != "$s3" ]; then t_ok "sample: another seed gives other rows"; else t_fail "sample: another seed gives other rows"; fi
same "sample: 40 distinct rows, sorted" "$(printf '%s\n' "$s1" | tail -n +2 | sort -n -u | wc -l)" "40"
same "sample: sorted by row" "$(printf '%s\n' "$s1" | tail -n +2)" "$(printf '%s\n' "$s1" | tail -n +2 | sort -n)"
same "sample -n more than the rows: every row" "$("$PV" sample -n 99999 --seed 1 -c id --format csv "$DS" | tail -n +2 | wc -l)" "12100"
# --threads: row groups read on N threads give the same bytes as one
for args in "sample -n 300 --seed 5" "sample -n 3000 --seed 9" "cat --rows 1000:9000" "cat" "tail -n 5000"; do
	one=$("$PV" $args --threads 1 --format jsonl "$DS" 2>&1 | md5sum)
	for t in 2 3 8; do
		same "$args --threads $t: the same output as --threads 1" \
			"$("$PV" $args --threads "$t" --format jsonl "$DS" 2>&1 | md5sum)" "$one"
	done
	same "$args: the default threads give the same output" \
		"$("$PV" $args --format jsonl "$DS" 2>&1 | md5sum)" "$one"
done
# a page damaged in the middle file: every thread count prints the same
# rows before the same error line, with the same exit code
cp -r "$DS" "$tmp/dsbad"
mid=$(find "$tmp/dsbad/$P2" -name '*.parquet' | head -n 1)
msize=$(stat -c %s "$mid")
mflen=$(od -An -tu4 -j $((msize - 8)) -N4 "$mid" | tr -d ' ')
for k in 1 2 3; do
	pos=$((4 + (msize - 12 - mflen) * k / 4))
	byte=$(od -An -tu1 -j "$pos" -N1 "$mid" | tr -d ' ')
	printf "$(printf '\\%03o' $(((byte ^ 0x5a) & 255)))" | dd of="$mid" bs=1 seek="$pos" conv=notrunc status=none
done
for args in "cat" "sample -n 2000 --seed 3"; do
	"$PV" $args --threads 1 --format jsonl "$tmp/dsbad" >"$tmp/bad1.out" 2>"$tmp/bad1.err"
	rc1=$?
	for t in 2 8; do
		"$PV" $args --threads "$t" --format jsonl "$tmp/dsbad" >"$tmp/badn.out" 2>"$tmp/badn.err"
		same "damaged dataset, $args --threads $t: the exit code of --threads 1 ($rc1)" "$?" "$rc1"
		same "damaged dataset, $args --threads $t: the same rows" "$(md5sum <"$tmp/badn.out")" "$(md5sum <"$tmp/bad1.out")"
		same "damaged dataset, $args --threads $t: the same message" "$(cat "$tmp/badn.err")" "$(cat "$tmp/bad1.err")"
	done
done
for bad in 0 65 x -1; do
	"$PV" sample --threads "$bad" "$DS" >/dev/null 2>"$tmp/th.err"
	same "--threads $bad: exit 2" "$?" "2"
done
like "--threads: the usage error names the range" "$(cat "$tmp/th.err")" "from 1 to 64"
"$PV" sample -n 5 -c id --format csv "$DS" >"$tmp/r1.csv" 2>"$tmp/r1.err"
seed=$(sed -n 's/^seed: \([0-9]*\)$/\1/p' "$tmp/r1.err")
if [ -n "$seed" ]; then
	same "sample without --seed prints a seed that repeats it" \
		"$("$PV" sample -n 5 -c id --seed "$seed" --format csv "$DS" 2>&1)" "$(cat "$tmp/r1.csv")"
else
	t_fail "sample without --seed prints a seed that repeats it" "stderr: $(cat "$tmp/r1.err")"
fi

# ---- CSV as text against duckq --csv
if [ $have_duck = 1 ]; then
	same "csv: head equals DuckDB's CSV" \
		"$("$PV" head -n 40 -c id,s,x,d,b,dec,u8,k,day,src --format csv "$DS" 2>&1)" \
		"$("$DUCKQ" --csv --header -c "SELECT id, s, x, d, b, dec, u8, k, day, src FROM $DUCK_DS LIMIT 40")"
	same "csv: tail equals DuckDB's CSV" \
		"$("$PV" tail -n 40 -c id,s,ts,k,day,src --format csv "$DS" 2>&1)" \
		"$("$DUCKQ" --csv --header -c "SELECT id, s, ts, k, day, src FROM $DUCK_DS OFFSET 12060")"
else
	t_skip "csv: head equals DuckDB's CSV" "no duckdb"
	t_skip "csv: tail equals DuckDB's CSV" "no duckdb"
fi

# ---- every format
out=$("$PV" head -n 3 -c id,s,l "$DS" 2>&1)
like "table: a header with types and the row numbers" "$out" '#.*id \(int64\).*s \(string\)'
same "table, piped: a plain header and 3 rows" "$(printf '%s\n' "$out" | grep -c .)" "4"
out=$("$PV" head -n 3 -c id,s --format markdown "$DS" 2>&1)
like "markdown: a pipe table" "$out" '^\| id \(int64\) +\| s \(string\) +\|'
out=$("$PV" head -n 2 -c id,s --vertical "$DS" 2>&1)
like "vertical: one block per row" "$out" '-\[ row 1 \]'
if [ $have_py = 1 ]; then
	"$PV" head -n 25 --format json "$DS" >"$tmp/a.json"
	"$PV" head -n 25 --format jsonl "$DS" >"$tmp/a.jsonl"
	check "json: an array of the same objects as jsonl" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
b = [json.loads(l) for l in open(sys.argv[2])]
sys.exit(0 if a == b and len(a) == 25 else 1)' "$tmp/a.json" "$tmp/a.jsonl"
	check "--json is --format json" cmp <("$PV" head -n 25 --json "$DS") "$tmp/a.json"
else
	t_skip "json: an array of the same objects as jsonl" "no python3"
	t_skip "--json is --format json" "no python3"
fi
same "json: no rows is []" "$("$PV" head -n 0 --format json "$DS")" "[]"
same "csv: no rows is the header" "$("$PV" head -n 0 -c id,k --format csv "$DS")" "id,k"
same "csv --row-numbers" "$("$PV" cat --rows 5:7 -c id --format csv --row-numbers "$DS")" "$(printf '#,id\n5,5\n6,6')"
same "table --no-row-numbers" "$("$PV" cat --rows 5:6 -c id --no-row-numbers "$DS" | grep -c '#')" "0"
same "stderr stays empty (no progress when not a terminal)" "$("$PV" cat "$DS" 2>&1 >/dev/null)" ""

# ---- every corpus file DuckDB can read, first and last rows, against DuckDB
# Known differences, skipped with the reason:
#   geospatial/*         DuckDB shows GEOMETRY/GEOGRAPHY as WKT text, we give
#                        the stored WKB (base64 in JSON)
#   int96_from_spark     an INT96 beyond the int64 microsecond range: we
#                        saturate (read/arrowtype.h), DuckDB wraps around
declare -A known=(
	[int96_from_spark.parquet]="out-of-range INT96: parqview saturates, duckdb wraps"
)
while IFS= read -r f; do
	p=$corpus/data/$f
	case $f in geospatial/*) t_skip "corpus $f" "duckdb shows geometry as WKT, parqview as WKB"; continue ;; esac
	if [ -n "${known[$f]:-}" ]; then t_skip "corpus $f" "${known[$f]}"; continue; fi
	if [ $have_duck = 0 ] || [ $have_py = 0 ]; then t_skip "corpus $f" "no duckdb or python3"; continue; fi
	if ! "$DUCKQ" -c "SELECT to_json(t) FROM read_parquet('$p') t LIMIT 1" >/dev/null 2>&1; then
		# DuckDB cannot read it (LZ4 with Hadoop framing, a map without
		# values, ...): parqview must still read every row or say why
		"$PV" cat "$p" --format jsonl >/dev/null 2>"$tmp/e"
		rc=$?
		if [ $rc -eq 0 ] || { [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/e")" -eq 1 ]; }; then
			t_ok "corpus $f: duckdb cannot read it; parqview exits $rc"
		else
			t_fail "corpus $f: duckdb cannot read it; parqview exits $rc" "$(head -n 3 "$tmp/e")"
		fi
		continue
	fi
	rows=$("$DUCKQ" -c "SELECT count(*) FROM read_parquet('$p')")
	diff_json "corpus $f: head" "head -n 20 $p" "SELECT * FROM read_parquet('$p') LIMIT 20"
	off=$((rows > 15 ? rows - 15 : 0))
	diff_json "corpus $f: tail" "tail -n 15 $p" "SELECT * FROM read_parquet('$p') OFFSET $off"
done < <(cd "$corpus/data" && find . -name '*.parquet' | sed 's|^\./||' | sort)

# ---- damaged input through the row commands: every bad_data file, and
# corpus files with bits flipped inside their pages (the footer stays
# intact, so the readers meet the damage): exit 0 or 3, at most a warning
# and one error line, no crash or hang, under a memory limit
mem_kb=$((2 * 1024 * 1024))
case ${PARQVIEW_SAN:-} in *address*) mem_kb=unlimited ;; esac
damaged_run() { # FILE ARGS...: prints why and fails on a problem
	local f=$1 err rc
	shift
	err=$(ulimit -v "$mem_kb"; timeout 20 "$PV" "$@" "$f" --format jsonl 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then echo "# $f: exit $rc: $(printf '%s' "$err" | head -n 3)"; return 1; fi
	if [ "$(printf '%s' "$err" | grep -vc 'warning')" -gt 1 ]; then echo "# $f: more than one error line: $err"; return 1; fi
	return 0
}
bad=0
while IFS= read -r f; do
	damaged_run "$corpus/$f" cat || bad=1
	damaged_run "$corpus/$f" tail -n 3 || bad=1
done < <(cd "$corpus" && find bad_data -name '*.parquet' | sort)
_tap_report $bad "cat and tail of every bad_data file: a clean exit"
bad=0 n=0
while IFS= read -r f; do
	p=$corpus/$f
	size=$(stat -c %s "$p")
	flen=$(od -An -tu4 -j $((size - 8)) -N4 "$p" | tr -d ' ')
	pages=$((size - 12 - flen))
	[ "$pages" -gt 16 ] || continue
	for k in 1 2 3 4; do
		pos=$((4 + (pages * k) / 5))
		cp "$p" "$tmp/flip.parquet"
		byte=$(od -An -tu1 -j "$pos" -N1 "$tmp/flip.parquet" | tr -d ' ')
		printf "$(printf '\\%03o' $(((byte ^ (1 << (k * 3 % 8))) & 255)))" |
			dd of="$tmp/flip.parquet" bs=1 seek="$pos" conv=notrunc status=none
		damaged_run "$tmp/flip.parquet" cat || { bad=1; echo "#   (from $f flip at $pos)"; }
		n=$((n + 1))
	done
done < <(cd "$corpus" && find data -name '*.parquet' | sort)
_tap_report $bad "cat of corpus files with a bit flipped in their pages ($n runs)"

# ---- --verify: page checksums
for f in datapage_v1-corrupt-checksum.parquet rle-dict-uncompressed-corrupt-checksum.parquet; do
	err=$("$PV" cat --verify "$corpus/data/$f" 2>&1 >/dev/null)
	same "--verify: $f: exit 3" "$?" "3"
	like "--verify: $f: names the page and the mismatch" "$err" "$f: row group 0: column '[a-z_]+': page 0: crc mismatch"
	same "without --verify: $f reads" "$("$PV" cat "$corpus/data/$f" >/dev/null 2>&1; echo $?)" "0"
done
same "--verify: good checksums pass" "$("$PV" cat --verify "$corpus/data/datapage_v1-snappy-compressed-checksum.parquet" >/dev/null 2>&1; echo $?)" "0"

# ---- -o: atomic files, never over an input
cd "$tmp" || exit 1
"$PV" cat --rows 0:100 -c id,s -o out.csv "$DS"
same "-o out.csv: the file holds the CSV" "$(cat out.csv)" "$("$PV" cat --rows 0:100 -c id,s --format csv "$DS")"
"$PV" head -c id -o out.jsonl "$DS"
same "-o out.jsonl: JSON lines from the name" "$(head -n 1 out.jsonl)" '{"id":0}'
"$PV" head -c id -o out.json "$DS"
same "-o out.json" "$(head -c 1 out.json)" "["
"$PV" head -c id -o out.md "$DS"
like "-o out.md" "$(cat out.md)" '^\| id \(int64\) \|'
"$PV" head -c id -o out.data --format csv "$DS"
same "-o with --format" "$(head -n 1 out.data)" "id"
cp "$DS/$P1/a.parquet" in.parquet
sum=$(md5sum <in.parquet)
"$PV" head -o in.parquet in.parquet >/dev/null 2>"$tmp/e"
same "-o onto the input: exit 2" "$?" "2"
like "-o onto the input: the message" "$(cat "$tmp/e")" "parquet output comes with the writer"
ln -sf in.parquet link.csv
"$PV" head -o link.csv in.parquet >/dev/null 2>"$tmp/e"
same "-o onto an input through a symlink: exit 2" "$?" "2"
like "-o onto an input: refused" "$(cat "$tmp/e")" "refusing to overwrite input"
same "-o onto an input: input unchanged" "$(md5sum <in.parquet)" "$sum"
"$PV" head -o x.parquet in.parquet 2>"$tmp/e"
same "-o x.parquet: exit 2" "$?" "2"
"$PV" head -o noext in.parquet 2>"$tmp/e"
same "-o without a known extension: exit 2" "$?" "2"
like "-o without a known extension: the message" "$(cat "$tmp/e")" "cannot tell the format"
echo old >keep.csv
"$PV" head -c nope -o keep.csv "$DS" 2>/dev/null
same "-o: a usage error leaves the target alone" "$(cat keep.csv)" "old"
# a file whose pages are damaged: the read fails half-way, the target
# keeps its old contents and no temporary file is left behind
mkdir -p broken
cp "$DS/$P1/a.parquet" broken/a.parquet
cp "$DS/$P2/b.parquet" broken/b.parquet
size=$(stat -c %s broken/b.parquet)
dd if=/dev/urandom of=broken/b.parquet bs=1 seek=4 count=$((size / 2)) conv=notrunc status=none
"$PV" cat -c id,s -o keep.csv broken 2>"$tmp/e"
same "-o: a read error exits 3" "$?" "3"
like "-o: the error names the file" "$(cat "$tmp/e")" "b\.parquet: row group 0: column"
same "-o: after a read error the target is untouched" "$(cat keep.csv)" "old"
same "-o: no temporary file is left" "$(ls -a | grep -c '^\.keep\.csv\.')" "0"
"$PV" cat --rows 4998:5002 -c id broken --format csv >"$tmp/o" 2>"$tmp/e"
same "rows before the damage print, then exit 3" "$?:$(wc -l <"$tmp/o")" "3:3"
cd - >/dev/null || exit 1

# ---- usage errors: exit 2 and one line saying what is wrong
usage() { # NAME REGEX ARGS...
	local name=$1 re=$2 err rc
	shift 2
	err=$("$PV" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && printf '%s' "$err" | grep -qE -- "$re" && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]; then
		t_ok "usage: $name"
	else
		t_fail "usage: $name" "exit $rc: $err"
	fi
}
usage "unknown column" "unknown column 'idd' \(did you mean 'id'\?\)" head -c idd "$DS"
usage "unknown struct field" "unknown field 'zz' in 'st'" head -c st.zz "$DS"
usage "dots through a non-struct" "'id' is not a struct" head -c id.a "$DS"
usage "-n not a number" "-n takes a row count" head -n ten "$DS"
usage "negative -n" "-n takes a row count" tail -n -3 "$DS"
usage "--rows backwards" "ends before it starts" cat --rows 9:3 "$DS"
usage "--rows garbage" "--rows takes" cat --rows a:b "$DS"
usage "--rows on head" "--rows is for cat" head --rows 1:2 "$DS"
usage "-n on cat" "-n is for head" cat -n 3 "$DS"
usage "--seed on head" "--seed is for sample" head --seed 3 "$DS"
usage "--seed garbage" "--seed takes" sample --seed x "$DS"
usage "bad format" "invalid output format 'xml'" head --format xml "$DS"
usage "two formats" "only one of" head --format csv --json "$DS"
usage "unknown option" "unknown option" head --bogus "$DS"
usage "no path" "no PATH given" head
same "--help exits 0" "$("$PV" sample --help >/dev/null; echo $?)" "0"
like "--help says what it does" "$("$PV" help tail)" "usage: parqview tail"
"$PV" head "$tmp/none.parquet" 2>/dev/null
same "a missing file: exit 3" "$?" "3"

plan "$_tap_n"
finish
