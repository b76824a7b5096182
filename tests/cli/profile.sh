#!/usr/bin/env bash
# tests/cli/profile.sh - `parqview profile` against DuckDB.
#
# Exact answers (rows, NULLs, min, max, mean and standard deviation within
# 1e-9 relative, exact distinct counts, string lengths in characters and
# bytes, counts over --max-chars, true counts) must equal DuckDB's on a
# generated dataset of three files; sketched ones must lie within their
# stated bounds: HyperLogLog against count(DISTINCT), each quantile's true
# rank (by DuckDB) within the KLL rank error of its fraction. Merging the
# three files' --save states equals profiling the dataset (exact parts
# exactly, HyperLogLog estimates identically). Then: the demo pipeline's
# planted defects with --by date,source (and nothing else), embeddings on
# demo/embeddings and on a file with planted NaN, zero and short vectors,
# --footer, JSON that parses, usage errors (exit 2) and bad files (one
# line, exit 3), and every corpus file (exit 0 or 3, one line).
set -u
. "$(dirname "$0")/../tap.sh"
bin=${PARQVIEW_BIN:-build/parqview}
root=${PARQVIEW_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${PARQVIEW_BUILD:-$root/build}
duckq=$build/tools/duckq
corpus=${PARQVIEW_TESTDATA:-$root/../shared/testdata}/parquet-testing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

plan 50

# ---- a dataset of three files, every profiled kind
mkdir -p "$tmp/ds"
for k in 0 1 2; do
	"$duckq" -c "COPY (SELECT
		i::BIGINT AS id,
		CASE WHEN i % 7 = 0 THEN NULL ELSE ((i * 7919) % 1000)::INTEGER END AS small,
		CASE WHEN i % 11 = 0 THEN NULL ELSE (hash(i) % 1000000)::DOUBLE / 7.0 - 5000 END AS val,
		CASE WHEN i % 13 = 0 THEN NULL
		     ELSE repeat('é', (i % 17)::INT) || 'x' || repeat('ab', (i % 50)::INT) END AS s,
		CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
		DATE '2020-01-01' + (i % 1000)::INT AS d,
		TIMESTAMP '2024-01-01' + to_seconds(i) AS ts,
		CASE WHEN i % 9 = 0 THEN NULL ELSE range((i % 6)::BIGINT) END AS lst
		FROM range($((k * 50000)), $((k * 50000 + 50000))) t(i))
		TO '$tmp/ds/part-$k.parquet' (FORMAT parquet, ROW_GROUP_SIZE 20000)" >/dev/null
done
all="'$tmp/ds/*.parquet'"
"$bin" profile "$tmp/ds" --json --max-chars 40 --top 3 >"$tmp/whole.json" 2>"$tmp/whole.err"
is "profile of a dataset exits 0" "$?" "0"
ok "its JSON parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/whole.json"

# DuckDB's exact answers, one line per column: name rows nulls min max mean stddev distinct
"$duckq" --csv -c "
	SELECT 'id', count(*), count(*) - count(id), min(id), max(id), avg(id), stddev_samp(id), count(DISTINCT id) FROM $all
	UNION ALL SELECT 'small', count(*), count(*) - count(small), min(small), max(small), avg(small), stddev_samp(small), count(DISTINCT small) FROM $all
	UNION ALL SELECT 'val', count(*), count(*) - count(val), min(val), max(val), avg(val), stddev_samp(val), count(DISTINCT val) FROM $all
	ORDER BY 1" >"$tmp/duck_num.csv"
"$duckq" --csv -c "SELECT count(*) - count(s), min(length(s)), max(length(s)), sum(length(s)),
	min(strlen(s)), max(strlen(s)), sum(strlen(s)), count(*) FILTER (length(s) > 40), count(DISTINCT s) FROM $all" >"$tmp/duck_str.csv"
"$duckq" --csv -c "SELECT count(*) - count(flag), count(*) FILTER (flag), min(d)::VARCHAR, max(d)::VARCHAR,
	min(ts)::VARCHAR, max(ts)::VARCHAR, count(DISTINCT d), count(*) - count(lst), min(len(lst)), max(len(lst)), sum(len(lst)) FROM $all" >"$tmp/duck_misc.csv"

check=$(python3 - "$tmp/whole.json" "$tmp/duck_num.csv" "$tmp/duck_str.csv" "$tmp/duck_misc.csv" <<'EOF'
import csv, json, sys
p = json.load(open(sys.argv[1]))
cols = {c["name"]: c for c in p["groups"][0]["columns"]}
bad = []
def eq(what, got, want):
    if got != want:
        bad.append(f"{what}: got {got!r}, want {want!r}")
def close(what, got, want, rel=1e-9):
    if abs(got - want) > rel * max(abs(want), 1e-300):
        bad.append(f"{what}: got {got!r}, want {want!r}")
hb = p["error_bounds"]["distinct_relative"]
for row in csv.reader(open(sys.argv[2])):
    name, rows, nulls, mn, mx, mean, sd, distinct = row
    c = cols[name]
    eq(name + " rows", c["rows"], int(rows))
    eq(name + " nulls", c["nulls"], int(nulls))
    eq(name + " min", float(c["min"]), float(mn))
    eq(name + " max", float(c["max"]), float(mx))
    close(name + " mean", c["mean"], float(mean))
    close(name + " stddev", c["stddev"], float(sd))
    d = c["distinct"]
    if d["exact"]:
        eq(name + " distinct", d["value"], int(distinct))
    elif abs(d["value"] - int(distinct)) > hb * int(distinct):
        bad.append(f"{name} approx distinct {d['value']} vs {distinct} beyond {hb}")
eq("small distinct is exact", cols["small"]["distinct"]["exact"], True)
for c in p["columns"]:
    if "nulls" in c["footer"]:
        eq(c["name"] + " footer nulls", c["footer"]["nulls"], cols[c["name"]]["nulls"])
eq("id distinct is sketched", cols["id"]["distinct"]["exact"], False)
(nulls, cmin, cmax, csum, bmin, bmax, bsum, over, distinct), = csv.reader(open(sys.argv[3]))
s = cols["s"]
eq("s nulls", s["nulls"], int(nulls))
eq("s chars", (s["chars"]["min"], s["chars"]["max"], s["chars"]["sum"]), (int(cmin), int(cmax), int(csum)))
eq("s bytes", (s["bytes"]["min"], s["bytes"]["max"], s["bytes"]["sum"]), (int(bmin), int(bmax), int(bsum)))
eq("s over 40 chars", s["over_max_chars"], int(over))
eq("s distinct", (s["distinct"]["value"], s["distinct"]["exact"]), (int(distinct), True))
(fnulls, ftrue, dmin, dmax, tmin, tmax, ddistinct, lnulls, lmin, lmax, lsum), = csv.reader(open(sys.argv[4]))
eq("flag nulls", cols["flag"]["nulls"], int(fnulls))
eq("flag true count", cols["flag"]["true_count"], int(ftrue))
eq("d range", (cols["d"]["min"], cols["d"]["max"]), (dmin, dmax))
eq("ts range", (cols["ts"]["min"].replace("T", " "), cols["ts"]["max"].replace("T", " ")), (tmin, tmax))
eq("d distinct", cols["d"]["distinct"]["value"], int(ddistinct))
l = cols["lst"]
eq("lst nulls", l["nulls"], int(lnulls))
eq("lst lengths", (l["items"]["min"], l["items"]["max"], l["items"]["sum"]), (int(lmin), int(lmax), int(lsum)))
print("; ".join(bad) if bad else "ok")
EOF
)
is "exact answers equal DuckDB's (rows, nulls, min, max, mean, stddev, distinct, lengths, true count, ranges)" "$check" "ok"

# Quantiles: the true rank of each reported value, counted by DuckDB, lies
# within the rank error of the fraction asked for.
rank_check() { # json column
	python3 - "$1" "$2" "$duckq" "$all" <<'EOF'
import json, subprocess, sys
p = json.load(open(sys.argv[1]))
col = sys.argv[2]
c = [x for x in p["groups"][0]["columns"] if x["name"] == col][0]
eps = p["error_bounds"]["quantile_rank"]
q = c["quantiles"]
names = ["p1", "p5", "p25", "p50", "p75", "p95", "p99"]
fr = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
sel = ", ".join(f"count(*) FILTER ({col} < {q[n]!r}::DOUBLE), count(*) FILTER ({col} <= {q[n]!r}::DOUBLE)" for n in names)
out = subprocess.run([sys.argv[3], "--csv", "-c", f"SELECT count({col}), {sel} FROM {sys.argv[4]}"],
                     capture_output=True, text=True, check=True).stdout.strip().split(",")
n = int(out[0])
bad = []
for i, name in enumerate(names):
    lt, le = int(out[1 + 2 * i]), int(out[2 + 2 * i])
    # some position of the value in sorted order has rank within eps
    if not (lt / n - eps <= fr[i] <= le / n + eps):
        bad.append(f"{name}={q[name]} ranks [{lt/n:.4f}, {le/n:.4f}] vs {fr[i]}")
print("; ".join(bad) if bad else "ok")
EOF
}
is "val quantiles within the KLL rank error (DuckDB ranks)" "$(rank_check "$tmp/whole.json" val)" "ok"
is "id quantiles within the KLL rank error (DuckDB ranks)" "$(rank_check "$tmp/whole.json" id)" "ok"
is "small quantiles within the KLL rank error (DuckDB ranks)" "$(rank_check "$tmp/whole.json" small)" "ok"

# ---- one thread or three: the workers hand their tables to the result as
# they go (id's 150,000 values cross the exact table there, and its sketch
# is made from the table's hashes), and the answers are the same
same_threads() { # extra profile arguments
	"$bin" profile "$tmp/ds" --json --top 4 --threads 1 "$@" >"$tmp/t1.json" &&
	"$bin" profile "$tmp/ds" --json --top 4 --threads 3 "$@" >"$tmp/t3.json" &&
	python3 - "$tmp/t1.json" "$tmp/t3.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def exact_parts(p):
    out = {}
    for g in p["groups"]:
        for c in g["columns"]:
            k = (g["key"], c["name"])
            out[k] = [c["rows"], c["nulls"], c.get("distinct"), c.get("min"), c.get("max"),
                      c.get("true_count"), c.get("over_max_chars")]
            for part in ("chars", "bytes", "items"):
                if part in c:
                    out[k].append([c[part][x] for x in ("min", "max", "sum")])
            t = c.get("top")
            if t and t["exact"]:
                out[k].append(t["values"])
    return out
ea, eb = exact_parts(a), exact_parts(b)
bad = [f"{k}: {ea[k]} vs {eb.get(k)}" for k in ea if ea[k] != eb.get(k)]
print("; ".join(bad)[:500] if bad or len(ea) != len(eb) or not ea else "ok")
EOF
}
is "--threads 1 and 3: equal rows, NULLs, distinct counts (exact and sketched), extremes, lengths, exact top values" "$(same_threads)" "ok"
is "  ... and so per group with --by" "$(same_threads --by flag)" "ok"
is "  ... and with 1,000 groups (--by d)" "$(same_threads --by d --columns id,s)" "ok"
"$duckq" --csv -c "SELECT d::VARCHAR, count(*), count(*) - count(s), count(DISTINCT s), min(id), max(id)
	FROM $all GROUP BY d ORDER BY d" >"$tmp/duck_by.csv"
by=$(python3 - "$tmp/t1.json" "$tmp/duck_by.csv" <<'EOF'
import csv, json, sys
p = json.load(open(sys.argv[1]))
got = []
for g in p["groups"]:
    c = {x["name"]: x for x in g["columns"]}
    got.append([g["key"], g["rows"], c["s"]["nulls"], c["s"]["distinct"]["value"], c["id"]["min"], c["id"]["max"]])
want = [[r[0]] + [int(x) for x in r[1:]] for r in csv.reader(open(sys.argv[2]))]
print("ok" if got == want and len(got) == 1000 else f"{len(got)} groups; first difference: " +
      str(next(((a, b) for a, b in zip(got, want) if a != b), None)))
EOF
)
is "--by d: 1,000 groups, each one's rows, NULLs, distinct and extremes equal DuckDB's GROUP BY" "$by" "ok"

# quantile_disc of a small column is exact (no compaction below 200 values)
"$duckq" -c "COPY (SELECT (i * 37 % 101)::INTEGER AS x FROM range(150) t(i)) TO '$tmp/small.parquet'" >/dev/null
want=$("$duckq" --csv -c "SELECT quantile_disc(x, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]) FROM '$tmp/small.parquet'" | tr -d '[]"' | tr -d ' ')
got=$("$bin" profile "$tmp/small.parquet" --json | python3 -c '
import json,sys
c=json.load(sys.stdin)["groups"][0]["columns"][0]["quantiles"]
print(",".join(str(int(c[n])) for n in ["p1","p5","p25","p50","p75","p95","p99"]), c["exact"])')
is "exact quantiles equal DuckDB's quantile_disc" "$got" "$want True"

# ---- merge of per-file states equals the whole dataset
for k in 0 1 2; do
	"$bin" profile "$tmp/ds/part-$k.parquet" --max-chars 40 --save "$tmp/p$k.state" >/dev/null
done
ok "--save writes a state per file" test -s "$tmp/p0.state" -a -s "$tmp/p1.state" -a -s "$tmp/p2.state"
"$bin" profile --merge "$tmp/p0.state" "$tmp/p1.state" "$tmp/p2.state" --json --top 3 >"$tmp/merged.json"
is "--merge exits 0" "$?" "0"
cmp=$(python3 - "$tmp/whole.json" "$tmp/merged.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
bad = []
if a["rows"] != b["rows"] or a["n_files"] != b["n_files"]:
    bad.append("rows/files differ")
ca = {c["name"]: c for c in a["groups"][0]["columns"]}
cb = {c["name"]: c for c in b["groups"][0]["columns"]}
exact_keys = ["rows", "nulls", "min", "max", "true_count", "over_max_chars", "distinct"]
for name, x in ca.items():
    y = cb[name]
    for k in exact_keys:
        if x.get(k) != y.get(k):
            bad.append(f"{name}.{k}: {x.get(k)} vs {y.get(k)}")
    for k in ["chars", "bytes", "items"]:
        if k in x:
            for f in ["min", "max", "sum"]:
                if x[k][f] != y[k][f]:
                    bad.append(f"{name}.{k}.{f}")
    for k in ["mean", "stddev"]:
        if k in x and abs(x[k] - y[k]) > 1e-9 * abs(x[k]):
            bad.append(f"{name}.{k}: {x[k]} vs {y[k]}")
    if "top" in x and x["top"]["exact"] and x["top"]["values"] != y["top"]["values"]:
        bad.append(f"{name}.top")
print("; ".join(bad) if bad else "ok")
EOF
)
is "merged states equal the whole profile (exact parts, distinct estimates, moments)" "$cmp" "ok"
is "merged val quantiles within the KLL rank error" "$(rank_check "$tmp/merged.json" val)" "ok"
"$bin" profile --merge "$tmp/p0.state" "$tmp/p1.state" >"$tmp/m.txt" 2>&1
is "merging two of three states exits 0" "$?" "0"
"$bin" profile "$tmp/ds/part-0.parquet" --save "$tmp/other.state" >/dev/null
"$bin" profile --merge "$tmp/p1.state" "$tmp/other.state" >/dev/null 2>"$tmp/err"
is "states with different --max-chars do not merge (exit 2)" "$?" "2"
like "  ... and say why" "$(cat "$tmp/err")" "max-chars 40 and 8192"
head -c 100 "$tmp/p0.state" >"$tmp/cut.state"
"$bin" profile --merge "$tmp/cut.state" >/dev/null 2>"$tmp/err"
is "a truncated state is a data error (exit 3)" "$?" "3"
is "  ... on one line" "$(wc -l <"$tmp/err")" "1"
"$bin" profile --merge "$tmp/ds/part-0.parquet" >/dev/null 2>"$tmp/err"
like "a Parquet file is not a state" "$(cat "$tmp/err")" "not a parqview profile state"
"$bin" profile "$tmp/ds/part-0.parquet" --save "$tmp/ds/part-0.parquet" >/dev/null 2>"$tmp/err"
is "--save refuses to overwrite an input (exit 2)" "$?" "2"

# --only lengths: the same length figures as the full profile and DuckDB,
# with nothing hashed (no distinct, no frequent values) and no quantiles
"$bin" profile "$tmp/ds" --json --max-chars 40 --only lengths >"$tmp/len.json" 2>"$tmp/err"
is "--only lengths exits 0" "$?" "0"
only=$(python3 - "$tmp/len.json" "$tmp/whole.json" "$tmp/duck_str.csv" <<'EOF'
import csv, json, sys
lo = {c["name"]: c for c in json.load(open(sys.argv[1]))["groups"][0]["columns"]}
wh = {c["name"]: c for c in json.load(open(sys.argv[2]))["groups"][0]["columns"]}
(nulls, cmin, cmax, csum, bmin, bmax, bsum, over, distinct), = csv.reader(open(sys.argv[3]))
bad = []
def eq(what, got, want):
    if got != want:
        bad.append(f"{what}: got {got!r}, want {want!r}")
s, w = lo["s"], wh["s"]
for k in ("min", "max", "sum", "mean"):
    eq("chars " + k + " vs full", s["chars"][k], w["chars"][k])
    eq("bytes " + k + " vs full", s["bytes"][k], w["bytes"][k])
eq("over vs full", s["over_max_chars"], w["over_max_chars"])
eq("chars vs duckdb", (s["chars"]["min"], s["chars"]["max"], s["chars"]["sum"]), (int(cmin), int(cmax), int(csum)))
eq("bytes vs duckdb", (s["bytes"]["min"], s["bytes"]["max"], s["bytes"]["sum"]), (int(bmin), int(bmax), int(bsum)))
eq("over 40 vs duckdb", s["over_max_chars"], int(over))
eq("lst items max vs full", lo["lst"]["items"]["max"], wh["lst"]["items"]["max"])
for name, c in lo.items():
    for k in ("distinct", "top", "nulls", "quantiles", "histogram", "mean", "stddev"):
        if k in c:
            bad.append(f"{name} has {k}")
    for k in ("chars", "bytes", "items"):
        if k in c and "p50" in c[k]:
            bad.append(f"{name}.{k} has quantiles")
print("; ".join(bad) if bad else "ok")
EOF
)
is "--only lengths equals the full profile's and DuckDB's length figures, and leaves the rest out" "$only" "ok"
"$bin" profile "$tmp/ds" --columns s --only lengths,quantiles --json >"$tmp/lq.json"
like "--only lengths,quantiles keeps length quantiles" "$(cat "$tmp/lq.json")" '"p50"'
"$bin" profile "$tmp/ds" --only lengths,sizes >/dev/null 2>"$tmp/err"
is "--only with an unknown group is a usage error (exit 2)" "$?" "2"
like "  ... naming it" "$(cat "$tmp/err")" "unknown stat group 'sizes'"
"$bin" profile "$tmp/ds/part-0.parquet" --max-chars 40 --only lengths --save "$tmp/len.state" >/dev/null
"$bin" profile --merge "$tmp/p1.state" "$tmp/len.state" >/dev/null 2>"$tmp/err"
is "states with different --only do not merge (exit 2)" "$?" "2"
like "  ... and say why" "$(cat "$tmp/err")" "different --only"
"$bin" profile "$tmp/ds/part-1.parquet" --max-chars 40 --only lengths --save "$tmp/len1.state" >/dev/null
"$bin" profile --merge "$tmp/len.state" "$tmp/len1.state" --json >"$tmp/lm.json"
is "lengths-only states merge" "$?" "0"

# ---- the demo pipeline: every planted defect, nothing else
"$root/scripts/demo" "$bin" --no-summary --out "$tmp/demo" >/dev/null 2>&1
ok "demo generated" test -f "$tmp/demo/DEFECTS.json"
"$bin" profile "$tmp/demo/docs" --by date,source --json >"$tmp/by.json"
is "--by date,source exits 0" "$?" "0"
defects=$(python3 - "$tmp/by.json" "$tmp/demo/DEFECTS.json" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
dup = set(d["duplicate_document_ids"]["partitions"])
longp = set(d["long_texts"]["partitions"])
nullp = set(d["null_labels"]["partitions"])
has_label = {x["partition"]: x["has_label"] for x in d["partitions"]}
rows = {x["partition"]: x["rows"] for x in d["partitions"]}
found = []
for g in p["groups"]:
    c = {x["name"]: x for x in g["columns"]}
    part = g["key"]
    if g["rows"] != rows[part]:
        found.append(f"{part}: rows {g['rows']}")
    di = c["document_id"]
    if di["distinct"]["value"] < g["rows"]:
        tops = sorted(v["value"] for v in di["top"]["values"] if v["count"] == 2)
        found.append(f"dup:{part}:{','.join(tops)}")
    if c["text"]["over_max_chars"]:
        found.append(f"long:{part}:{c['text']['over_max_chars']}")
    if has_label[part] and c["label"]["nulls"]:
        found.append(f"null_labels:{part}:{c['label']['nulls']}")
    if not has_label[part] and c["label"]["nulls"] != g["rows"]:
        found.append(f"{part}: label present where the schema lacks it")
want = [f"dup:{p}:{','.join(sorted(d['duplicate_document_ids']['document_ids']))}" for p in dup]
want += [f"long:{p}:{len(d['long_texts']['document_ids'])}" for p in longp]
want += [f"null_labels:{p}:{d['null_labels']['count']}" for p in nullp]
print("ok" if sorted(found) == sorted(want) else f"found {sorted(found)} want {sorted(want)}")
EOF
)
is "demo: the duplicate ids, the 5 long texts, the NULL labels, in their partitions, and nothing else" "$defects" "ok"
"$bin" profile "$tmp/demo/docs" --columns document_id,text >"$tmp/docs.txt"
like "demo report: distinct below rows for document_id" "$(grep -A1 '^document_id' "$tmp/docs.txt")" "rows 48,898 .* distinct 48,895"
like "demo report: top document_ids are the duplicates" "$(grep -A8 '^document_id' "$tmp/docs.txt")" "doc-0015016 +2"
like "demo report: 5 texts over 8,192 characters" "$(cat "$tmp/docs.txt")" "over 8,192 chars: 5"
longest=$("$duckq" --csv -c "SELECT max(length(text)) FROM '$tmp/demo/docs/**/*.parquet'")
longest=$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$longest")
like "demo report: the longest text as DuckDB measures it" "$(grep -A3 '^text' "$tmp/docs.txt")" "max $longest"

# ---- embeddings
"$bin" profile "$tmp/demo/embeddings" --columns embedding --json >"$tmp/emb.json"
emb=$(python3 -c '
import json,sys
c=json.load(open(sys.argv[1]))["groups"][0]["columns"][0]; e=c["embedding"]
print(c["rows"], e["dims"], e["nonfinite_vectors"], e["zero_vectors"], len(e["mean_vector"]))' "$tmp/emb.json")
is "demo embeddings: 384 dimensions everywhere, no NaN, no zero vectors" "$emb" "46446 [{'dim': 384, 'count': 46446}] 0 0 384"
"$duckq" -c "COPY (SELECT i AS id, CASE
		WHEN i = 5 THEN [1, 'nan'::FLOAT, 0, 0]::FLOAT[]
		WHEN i = 6 THEN [0, 0, 0, 0]::FLOAT[]
		WHEN i = 7 THEN [1, 2, 3]::FLOAT[]
		WHEN i = 8 THEN NULL
		WHEN i = 9 THEN [1, 'inf'::FLOAT, 0, 0]::FLOAT[]
		ELSE [i, 1, 2, 3]::FLOAT[] END AS emb FROM range(100) t(i)) TO '$tmp/emb.parquet'" >/dev/null
"$bin" profile "$tmp/emb.parquet" --columns emb --json >"$tmp/emb2.json"
emb=$(python3 - "$tmp/emb2.json" <<'EOF'
import json, math, sys
c = json.load(open(sys.argv[1]))["groups"][0]["columns"][0]
e = c["embedding"]
vecs = {i: [i, 1, 2, 3] for i in range(100) if i not in (5, 6, 7, 8, 9)}
vecs[6] = [0, 0, 0, 0]
mean0 = sum(v[0] for v in vecs.values()) / len(vecs)
norms = sorted(math.sqrt(sum(x * x for x in v)) for v in list(vecs.values()) + [[1, 2, 3]])
p50 = norms[math.ceil(0.5 * len(norms)) - 1]
ok = (c["nulls"] == 1 and sorted((d["dim"], d["count"]) for d in e["dims"]) == [(3, 1), (4, 98)]
      and e["nonfinite_vectors"] == 2 and e["zero_vectors"] == 1 and e["mean_vector_n"] == len(vecs)
      and abs(e["mean_vector"][0] - mean0) < 1e-9 and abs(e["norm"]["p50"] - p50) < 1e-6)
print("ok" if ok else json.dumps(e)[:400])
EOF
)
is "planted NaN/inf, zero and short vectors are counted; mean vector and norms exact" "$emb" "ok"

# ---- footers only, JSON, usage, bad input
"$bin" profile "$tmp/ds" --footer --json >"$tmp/f.json"
fo=$(python3 -c '
import json,sys
p=json.load(open(sys.argv[1])); c={x["name"]:x for x in p["columns"]}; g={x["name"]:x for x in p["groups"][0]["columns"]}
print(p["footer_only"], g["small"]["nulls"], c["small"]["footer"]["min"], c["small"]["footer"]["max"], "distinct" in g["small"])' "$tmp/f.json")
want=$("$duckq" --csv -c "SELECT count(*) - count(small), min(small), max(small) FROM $all" | tr ',' ' ')
is "--footer: NULL counts and min/max from the footers, nothing decoded" "$fo" "True $want False"
"$bin" profile "$tmp/ds" --by flag --columns small >/dev/null
is "--by a data column exits 0" "$?" "0"
"$bin" profile "$tmp/ds" --by id >/dev/null 2>"$tmp/err"
like "--by a column of more than 1,000 values: one line suggesting a coarser key" "$(cat "$tmp/err")" "more than 1000 values; --by needs a coarser key"
"$bin" profile "$tmp/ds" --columns nope >/dev/null 2>&1
is "an unknown column is a usage error" "$?" "2"
"$bin" profile "$tmp/ds" --max-chars x >/dev/null 2>&1
is "a bad --max-chars is a usage error" "$?" "2"
"$bin" profile >/dev/null 2>&1
is "no PATH is a usage error" "$?" "2"
"$bin" profile "$corpus/bad_data/ARROW-GH-41321.parquet" >/dev/null 2>"$tmp/err"
is "a corrupt page: exit 3" "$?" "3"
like "  ... one line naming file, row group, column and page" "$(cat "$tmp/err")" "^parqview: .*ARROW-GH-41321.parquet: row group 0: column 'int64': page 1: .*"
is "  ... and only one" "$(wc -l <"$tmp/err")" "1"
bad=0
for f in $(find "$corpus" -name '*.parquet' | sort); do
	timeout 60 "$bin" profile "$f" --top 2 >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] && { [ $rc -ne 3 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ]; }; then
		echo "# $f: exit $rc: $(head -c 200 "$tmp/err")"
		bad=$((bad + 1))
	fi
done
is "every corpus file: exit 0, or 3 with one line" "$bad" "0"
NO_COLOR=1 LANG=C "$bin" profile "$tmp/ds" --columns small >"$tmp/plain.txt"
ok "LANG=C: plain ASCII bars" bash -c "! LC_ALL=C grep -qP '[^\x00-\x7f]' '$tmp/plain.txt' && grep -q '#' '$tmp/plain.txt'"
finish
