# tests/cli/doctor.sh - `parqview doctor` over the whole corpus, the demo
# data, DuckDB-written files, bad_data/, and copies of files with one
# corruption planted each (build/tools/plant): every planted corruption
# is found at its place and nothing else is flagged.
#
# Findings are compared as "severity check row_group column page" lines
# taken from --json with python3. The corpus files the doctor flags are
# listed below with why each finding is real; every other readable corpus
# file must come out with no finding at all.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
PV=$PARQVIEW_BIN
DUCKQ=$PARQVIEW_BUILD/tools/duckq
PLANT=$PARQVIEW_BUILD/tools/plant
data=$PARQVIEW_TESTDATA/parquet-testing/data
bad=$PARQVIEW_TESTDATA/parquet-testing/bad_data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t_ok() { _tap_report 0 "$1"; }
t_fail() { _tap_report 1 "$1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }
t_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # skip $2"; }

# findings FILE.json: one line per finding, sorted; "-" for absent places.
findings() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
out = []
for f in d["files"]:
    for x in f["findings"]:
        out.append(" ".join(str(x.get(k, "-")) for k in ("severity", "check", "row_group", "column", "page")))
print("\n".join(sorted(out)))' "$1"
}
# summary FILE.json KEY
summary() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"][sys.argv[2]])' "$1" "$2"; }

# doctor NAME WANT_RC WANT_FINDINGS FILE... : runs doctor --json, checks
# the exit code and the exact findings.
doctor() {
	local name=$1 want_rc=$2 want=$3
	shift 3
	"$PV" doctor --json --no-advice "$@" >"$tmp/out.json" 2>"$tmp/err.txt"
	local rc=$?
	local got
	got=$(findings "$tmp/out.json" 2>&1)
	if [ "$rc" = "$want_rc" ] && [ "$got" == "$want" ]; then t_ok "$name"; else
		t_fail "$name" "exit $rc (want $want_rc)" "got:" "$got" "want:" "$want" "$(head -c 300 "$tmp/err.txt")"
	fi
}

# ------------------------------------------------------------------ corpus data/

# Flagged corpus files and what they must report (sorted lines).
declare -A flagged=(
	# the corpus README: "the files with corrupt in their name have a wrong CRC on purpose"
	[datapage_v1-corrupt-checksum.parquet]="error crc 0 a 0
error crc 0 b 1"
	[rle-dict-uncompressed-corrupt-checksum.parquet]="error crc 0 binary_field 0
error crc 0 long_field 0"
	# parquet-mr 1.8.2 wrote min 2.00 over values from 1.00 (checked with
	# DuckDB below); the deprecated min/max are not trusted, hence warnings
	[fixed_length_decimal.parquet]="warning page_stats 0 value 0
warning statistics 0 value -"
	[fixed_length_decimal_legacy.parquet]="warning page_stats 0 value 0
warning statistics 0 value -"
	# num_rows 0 in the footer over a row group of 6 rows (old parquet-rs)
	[repeated_no_annotation.parquet]="error footer - - -"
)

n_files=0 n_clean=0 n_flag_ok=0 crashed="" unclean=""
while IFS= read -r f; do
	n_files=$((n_files + 1))
	rel=${f#"$data"/}
	"$PV" doctor --json --no-advice "$f" >"$tmp/c.json" 2>/dev/null
	rc=$?
	if [ $rc -ge 4 ] || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/c.json" 2>/dev/null; then
		crashed="$crashed $rel(rc=$rc)"
		continue
	fi
	got=$(findings "$tmp/c.json")
	if [ -n "${flagged[$rel]+x}" ]; then
		want_rc=0
		case "${flagged[$rel]}" in *error*) want_rc=1 ;; esac
		if [ "$got" == "${flagged[$rel]}" ] && [ $rc = $want_rc ]; then n_flag_ok=$((n_flag_ok + 1)); else unclean="$unclean $rel:[$got](rc=$rc)"; fi
	elif [ -z "$got" ] && [ $rc = 0 ]; then
		n_clean=$((n_clean + 1))
	else
		unclean="$unclean $rel:[$got](rc=$rc)"
	fi
done < <(find "$data" -name '*.parquet' | sort)
is "corpus: doctor completes on every data/ file" "${crashed:-none}" "none"
is "corpus: only the known files are flagged, with the known findings" "${unclean:-none}" "none"
is "corpus: every known flagged file was seen" "$n_flag_ok" "${#flagged[@]}"
like "corpus: most files are clean" "$n_clean" '^[0-9]{2,}$'

# the flagged statistics are real: DuckDB reads 1.00 as the smallest value
# while the footer says 2.00; the footer's num_rows is 0 over 6 rows
if "$DUCKQ" -c "SELECT 1" >/dev/null 2>&1; then
	is "corpus: fixed_length_decimal min is really 1.00 (duckdb)" \
		"$("$DUCKQ" -c "SELECT min(value) FROM '$data/fixed_length_decimal.parquet'")" "1.00"
	is "corpus: fixed_length_decimal footer min is 2.00 (duckdb)" \
		"$("$DUCKQ" -c "SELECT stats_min FROM parquet_metadata('$data/fixed_length_decimal.parquet')")" "2.00"
	is "corpus: repeated_no_annotation footer rows vs row group rows (duckdb)" \
		"$("$DUCKQ" -c "SELECT num_rows FROM parquet_file_metadata('$data/repeated_no_annotation.parquet')") $("$DUCKQ" -c "SELECT sum(row_group_num_rows) FROM (SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('$data/repeated_no_annotation.parquet'))")" "0 6"
else
	t_skip "corpus: duckdb checks" "no duckdb"
	t_skip "corpus: duckdb checks" "no duckdb"
	t_skip "corpus: duckdb checks" "no duckdb"
fi

# ------------------------------------------------------------------ bad_data/

# ARROW-GH-43605 is readable: its RLE runs of bit width 0 are all zeros
# (src/read/chunk.h), so it checks clean; every other file is flagged.
n_bad=0 bad_ok=0 bad_fail=""
for f in "$bad"/*.parquet; do
	n_bad=$((n_bad + 1))
	if [ "${f##*/}" = ARROW-GH-43605.parquet ]; then
		"$PV" doctor --no-advice "$f" >/dev/null 2>&1
		rc=$?
		[ $rc = 0 ] || bad_fail="$bad_fail ${f##*/}(rc=$rc)"
		continue
	fi
	"$PV" doctor --json --no-advice "$f" >"$tmp/b.json" 2>"$tmp/b.err"
	rc=$?
	errs=$(summary "$tmp/b.json" errors 2>/dev/null)
	lines=$(wc -l <"$tmp/b.err")
	if { [ $rc = 1 ] || [ $rc = 3 ]; } && [ "${errs:-0}" -ge 1 ] && [ "$lines" -le 1 ]; then
		bad_ok=$((bad_ok + 1))
	else
		bad_fail="$bad_fail ${f##*/}(rc=$rc,errors=${errs:-?},stderr=$lines)"
	fi
done
is "bad_data: every file is an error finding, exit 1 or 3, at most one stderr line" "${bad_fail:-none}" "none"

# ------------------------------------------------------------------ damaged copies

# Bit flips, random bytes and truncations (footer kept) of corpus files
# with page indexes, bloom filters, CRCs, nested and v2 pages: every run
# ends with exit 0, 1 or 3 and JSON on stdout, never a crash (under
# `make asan` also no sanitizer report).
damaged=$(python3 - "$PV" "$tmp" "$data/alltypes_tiny_pages.parquet" \
	"$data/data_index_bloom_encoding_stats.parquet" "$data/datapage_v2.snappy.parquet" \
	"$data/nested_lists.snappy.parquet" "$data/rle-dict-snappy-checksum.parquet" \
	"$data/delta_byte_array.parquet" "$data/int32_with_null_pages.parquet" <<'PY'
import json, random, subprocess, sys
pv, tmp, files = sys.argv[1], sys.argv[2], sys.argv[3:]
rnd = random.Random(11)
bad = []
for f in files:
    data = open(f, "rb").read()
    for k in range(12):
        b = bytearray(data)
        if k % 3 == 0:
            i = rnd.randrange(len(b)); b[i] ^= 1 << rnd.randrange(8)
        elif k % 3 == 1:
            for _ in range(8):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        else:
            b = b[:rnd.randrange(len(b) - 8)] + b[-8:]
        p = tmp + "/damaged.parquet"
        open(p, "wb").write(b)
        r = subprocess.run([pv, "doctor", "--json", p], capture_output=True, timeout=300)
        try:
            json.loads(r.stdout)
            parsed = True
        except ValueError:
            parsed = False
        if r.returncode not in (0, 1, 3) or not parsed or b"runtime error" in r.stderr:
            bad.append("%s#%d(rc=%d)" % (f.rsplit("/", 1)[1], k, r.returncode))
print(" ".join(bad) or "none")
PY
)
is "damaged copies: no crash, JSON every time" "$damaged" "none"

# ------------------------------------------------------------------ planted corruptions

if [ ! -x "$PLANT" ] || ! "$DUCKQ" -c "SELECT 1" >/dev/null 2>&1; then
	for i in $(seq 1 16); do t_skip "planted corruption $i" "no duckdb or tools/plant"; done
else
	tiny=$data/alltypes_tiny_pages.parquet
	crc=$data/datapage_v1-uncompressed-checksum.parquet
	gen=$tmp/gen.parquet
	"$DUCKQ" -c "COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'text-' || (i % 5) END AS cat,
		'row ' || i || CASE WHEN i = 500 THEN ' MARKER' ELSE '' END AS body FROM range(1000) t(i))
		TO '$gen' (FORMAT parquet, COMPRESSION uncompressed)" >/dev/null
	doctor "planted: the clean generated file has no finding" 0 "" "$gen"

	"$PLANT" "$tiny" "$tmp/p1.parquet" footer rg.0.col.0.min=i32:5
	doctor "planted: wrong min" 1 "error statistics 0 id -" "$tmp/p1.parquet"
	like "planted: wrong min shows stored and actual" \
		"$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]["findings"][0]; print(f["stored"], f["actual"], f["message"])' "$tmp/out.json")" \
		'^5 0 min_value is greater than'

	"$PLANT" "$tiny" "$tmp/p2.parquet" footer rg.0.col.4.max=i32:8
	doctor "planted: wrong max" 1 "error statistics 0 int_col -" "$tmp/p2.parquet"

	"$PLANT" "$tiny" "$tmp/p3.parquet" footer rg.0.col.5.null_count=3
	doctor "planted: wrong null count" 1 "error statistics 0 bigint_col -" "$tmp/p3.parquet"

	"$PLANT" "$tiny" "$tmp/p4.parquet" index ci.0.0.min.2=i32:100000 ci.0.8.max.3=str:00
	doctor "planted: wrong page index min and max" 1 "error column_index 0 date_string_col 4
error column_index 0 id 2" "$tmp/p4.parquet"

	"$PLANT" "$tiny" "$tmp/p5.parquet" index ci.0.1.null_page.4=1
	doctor "planted: wrong null_pages" 1 "error column_index 0 bool_col 4" "$tmp/p5.parquet"

	"$PLANT" "$tiny" "$tmp/p6.parquet" index oi.0.0.first_row.3=64
	doctor "planted: offset index first_row_index off by one" 1 "error offset_index 0 id 3" "$tmp/p6.parquet"

	"$PLANT" "$crc" "$tmp/p7.parquet" flip 0 1 1 2000
	doctor "planted: flipped byte in a page with a crc" 1 "error crc 0 b 1" "$tmp/p7.parquet"

	"$PLANT" "$gen" "$tmp/p8.parquet" pagehdr 0 1 0 dict_num_values=2
	doctor "planted: dictionary index out of range" 1 "error decode 0 cat -" "$tmp/p8.parquet"
	like "planted: the decode error names the page" \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][0]["findings"][0]["message"])' "$tmp/out.json")" \
		'^page 1: dictionary index 2 out of range'

	"$PLANT" "$gen" "$tmp/p9.parquet" patch 0 2 0 MARKER ff
	doctor "planted: invalid utf-8" 1 "error utf8 0 body 0" "$tmp/p9.parquet"
	is "planted: invalid utf-8 row and byte" \
		"$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]["findings"][0]; print(f["row"], f["message"])' "$tmp/out.json")" \
		"500 invalid utf-8 at byte 8 of the value in row 500"

	"$PLANT" "$gen" "$tmp/p10.parquet" footer rg.0.num_rows=999 num_rows=999
	doctor "planted: row group num_rows below the columns' rows" 1 "error rows 0 body -
error rows 0 cat -
error rows 0 id -" "$tmp/p10.parquet"

	"$PLANT" "$gen" "$tmp/p11.parquet" footer dup_rg=0
	doctor "planted: duplicate row group (overlapping column chunks)" 1 "error layout 1 body -
error layout 1 cat -
error layout 1 id -" "$tmp/p11.parquet"

	"$PLANT" "$gen" "$tmp/p12.parquet" bloom_zero 0 1
	doctor "planted: bloom filter missing values" 1 "error bloom 0 cat -" "$tmp/p12.parquet"

	# deprecated min/max of unsigned integers and byte arrays were written
	# in signed order: accepted so, as warnings when wrong in both orders
	"$DUCKQ" -c "COPY (SELECT (i * 1000000000)::UINTEGER AS u, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'é' END AS s
		FROM range(4) t(i)) TO '$tmp/legacy.parquet' (FORMAT parquet)" >/dev/null
	"$PLANT" "$tmp/legacy.parquet" "$tmp/p13.parquet" footer rg.0.col.0.legacy_min=u32:3000000000 \
		rg.0.col.0.legacy_max=u32:2000000000 rg.0.col.1.legacy_min=str:é rg.0.col.1.legacy_max=str:a
	doctor "planted: deprecated min/max in signed order are accepted" 0 "" "$tmp/p13.parquet"
	"$PLANT" "$tmp/legacy.parquet" "$tmp/p14.parquet" footer rg.0.col.0.legacy_min=u32:5 \
		rg.0.col.0.legacy_max=u32:3000000000 rg.0.col.1.legacy_min=str:b rg.0.col.1.legacy_max=str:é
	doctor "planted: wrong deprecated min/max are warnings (not trusted)" 0 "warning statistics 0 s -
warning statistics 0 u -" "$tmp/p14.parquet"

	# only the selected columns are checked
	doctor "planted: --columns leaves other columns out" 0 "" --columns int_col,date_string_col "$tmp/p1.parquet"
	doctor "planted: --columns keeps the named ones" 1 "error statistics 0 id -" --columns id,int_col "$tmp/p1.parquet"
fi

# ------------------------------------------------------------------ demo and DuckDB files

if "$DUCKQ" -c "SELECT 1" >/dev/null 2>&1 && [ -x "$PARQVIEW_ROOT/scripts/demo" ]; then
	"$PARQVIEW_ROOT/scripts/demo" "$PV" --no-summary --out "$tmp/demo" >/dev/null 2>&1
	doctor "demo: nothing is flagged" 0 "" "$tmp/demo"
	is "demo: every file was checked" "$(summary "$tmp/out.json" files)" \
		"$(find "$tmp/demo" -name '*.parquet' | wc -l)"
	# DuckDB files of many types (the rows differential generator, seed 2)
	. "$PARQVIEW_ROOT/tests/corpus/gen_types.bash"
	mkdir -p "$tmp/types"
	gen_types 2 "$tmp/types" >"$tmp/types/gen.sql"
	(cd "$tmp/types" && "$DUCKQ" -f "$tmp/types/gen.sql" >/dev/null 2>&1)
	doctor "duckdb: files of every type and codec are clean" 0 "" "$tmp/types"
	is "duckdb: six files checked" "$(summary "$tmp/out.json" files)" "6"
	"$PV" doctor --json --no-advice --threads 1 "$tmp/types" >"$tmp/t1.json" 2>/dev/null
	"$PV" doctor --json --no-advice --threads 2 "$tmp/types" >"$tmp/t2.json" 2>/dev/null
	ok "duckdb: one thread and two give the same report" cmp -s "$tmp/t1.json" "$tmp/t2.json"
else
	for i in 1 2 3 4 5; do t_skip "demo and duckdb files" "no duckdb"; done
fi

# ------------------------------------------------------------------ advice

if "$DUCKQ" -c "SELECT 1" >/dev/null 2>&1; then
	"$DUCKQ" -c "COPY (SELECT i AS id, i % 13 AS k FROM range(10000) t(i)) TO '$tmp/small.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)" >/dev/null
	"$DUCKQ" -c "COPY (SELECT i AS id FROM range(1500000) t(i)) TO '$tmp/raw.parquet' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 2000000)" >/dev/null
	"$PV" doctor --json "$tmp/small.parquet" "$tmp/raw.parquet" >"$tmp/a.json" 2>/dev/null
	rc=$?
	adv=$(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    for a in f["advice"]:
        print(f["path"].rsplit("/", 1)[1], a["check"], a.get("column", "-"))' "$tmp/a.json" | sort)
	is "advice: exit 0 (advice is not a failure)" "$rc" "0"
	is "advice: small row groups, sorted column, uncompressed big chunk" "$adv" "raw.parquet codec -
small.parquet row_group_size -
small.parquet sort_order id"
	like "advice: the numbers behind it" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][1]["advice"][0]["message"])' "$tmp/a.json")" \
		'^5 row groups average .* and 2000 rows'
	"$PV" doctor --json --no-advice "$tmp/small.parquet" >"$tmp/a2.json" 2>/dev/null
	is "advice: --no-advice leaves it out" "$(summary "$tmp/a2.json" advice)" "0"
	out=$("$PV" doctor "$tmp/small.parquet" 2>/dev/null)
	like "text: summary line" "$(printf '%s\n' "$out" | tail -1)" '^1 file, 0 errors, 0 warnings$'
else
	for i in 1 2 3 4 5; do t_skip "advice" "no duckdb"; done
fi

# ------------------------------------------------------------------ usage and exit codes

"$PV" doctor >/dev/null 2>&1
is "usage: no PATH is exit 2" "$?" "2"
"$PV" doctor --threads 0 "$data/alltypes_plain.parquet" >/dev/null 2>&1
is "usage: --threads 0 is exit 2" "$?" "2"
err=$("$PV" doctor --columns nope "$data/alltypes_plain.parquet" 2>&1 >/dev/null)
is "usage: unknown column is exit 2" "$?" "2"
like "usage: unknown column message" "$err" "unknown column 'nope'"
"$PV" doctor "$tmp/does-not-exist.parquet" >/dev/null 2>&1
is "missing path is exit 3" "$?" "3"
"$PV" doctor "$data/alltypes_plain.parquet" "$bad/PARQUET-1481.parquet" >"$tmp/u.txt" 2>"$tmp/u.err"
is "unreadable footer among good files is exit 3" "$?" "3"
like "unreadable footer is a finding in the report" "$(cat "$tmp/u.txt")" "error +footer +footer: schema: element 1 'Handle'"
is "unreadable footer: one line on stderr" "$(wc -l <"$tmp/u.err")" "1"
like "summary line counts files and errors" "$(tail -1 "$tmp/u.txt")" '^2 files, 1 error, 0 warnings \(1 unreadable\)$'

plan "$_tap_n"
finish
