#!/usr/bin/env python3
"""tests/server/api_test.py BIN DEMO_DIR - the serve API tests (TAP).

Starts `BIN serve DEMO/docs --as ... --port 0 --no-open`, reads the URL
from its stdout and talks to it over http.client, so that Host, Origin,
Cookie and odd paths are sent exactly as written. Expected values come
from the same binary's CLI (`schema --json`, `meta --json`, `cat` and
`sample --format jsonl`), which the CLI suites check against DuckDB.
"""
import concurrent.futures
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

BIN, DEMO = sys.argv[1], sys.argv[2]
DOCS = os.path.join(DEMO, "docs")
EVAL = os.path.join(DEMO, "eval")

n = 0
failed = 0


def ok(cond, name, *diag):
    global n, failed
    n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, name))
    if not cond:
        failed += 1
        for d in diag:
            for line in str(d).splitlines()[:20]:
                print("#   " + line[:300])
    sys.stdout.flush()
    return cond


def cli(*args):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, check=False)


def jsonl(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


# ---- the server

def start(*extra):
    p = subprocess.Popen([BIN, "serve", "--port", "0", "--no-open"] + list(extra),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = p.stdout.readline().strip()
    return p, url


proc, url = start("--as", "docs=" + DOCS, "--as", "ev=" + EVAL)
ok(url.startswith("http://127.0.0.1:") and "/?token=" in url, "serve prints the URL with a token", url,
   proc.stderr.read() if not url else "")
hostport = url.split("/")[2]
port = int(hostport.split(":")[1])
token = url.split("token=")[1]
BEARER = {"Authorization": "Bearer " + token}


def req(method, path, headers=None, body=None, host=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", host if host is not None else hostport)
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders()
    if body is not None:
        c.send(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def get(path, headers=None):
    h = dict(BEARER)
    h.update(headers or {})
    return req("GET", path, h)


def getj(path):
    s, h, d = get(path)
    try:
        return s, json.loads(d)
    except ValueError:
        return s, {"unparsed": d[:200].decode("utf-8", "replace")}


def is_error(status, body, want_status, want_code):
    try:
        e = json.loads(body)["error"]
        return status == want_status and e["code"] == want_code and "\n" not in e["message"] and e["message"]
    except (ValueError, KeyError, TypeError):
        return False


# ---- health and auth

s, j = getj("/api/health")
ok(s == 200 and j.get("ok") is True and j.get("version"), "health with the bearer token", s, j)

s, h, d = req("GET", "/api/health")
ok(is_error(s, d, 403, "forbidden"), "no token: 403 forbidden", s, d)
s, h, d = req("GET", "/api/health", {"Authorization": "Bearer " + "0" * 32})
ok(is_error(s, d, 403, "forbidden"), "wrong bearer token: 403", s, d)
s, h, d = req("GET", "/api/health", {"Authorization": "Bearer " + token[:-1]})
ok(is_error(s, d, 403, "forbidden"), "token prefix: 403", s, d)

s, h, d = req("GET", "/?token=" + token)
cookie = h.get("set-cookie", "")
ok(s == 302 and h.get("location") == "/", "token exchange answers 302 to /", s, h)
ok(cookie.startswith("pv_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
   and "Path=/" in cookie, "the session cookie is HttpOnly, SameSite=Strict, Path=/", cookie)
sess = cookie.split(";")[0]
ok(token not in sess, "the cookie is not the token", sess)
s, h, d = req("GET", "/api/health", {"Cookie": sess})
ok(s == 200, "the cookie authenticates", s, d)
s, h, d = req("GET", "/api/health", {"Cookie": "pv_session=" + "a" * 32})
ok(is_error(s, d, 403, "forbidden"), "a made-up cookie: 403", s, d)
s, h, d = req("GET", "/?token=" + "f" * 32)
ok(is_error(s, d, 403, "forbidden") and "set-cookie" not in h, "wrong token in the URL: 403, no cookie", s, h)
s, h, d = req("GET", "/", {})
ok(s == 403, "static files need the cookie too", s)
s, h, d = req("GET", "/", {"Cookie": sess})
ok(s in (200, 404) and (s == 404 or h.get("content-type", "").startswith("text/html")),
   "GET / with the cookie: the page (or 404 when the front end is not built)", s, h)
if s == 200:
    etag = h.get("etag")
    s2, h2, _ = req("GET", "/", {"Cookie": sess, "If-None-Match": etag or ""})
    ok(etag and s2 == 304, "If-None-Match with the ETag: 304", etag, s2)

for bad in ["evil.example:%d" % port, "127.0.0.1:%d" % (port + 1), "127.0.0.1", "", "localhost.evil.example:%d" % port]:
    s, h, d = req("GET", "/api/health", BEARER, host=bad)
    ok(is_error(s, d, 403, "forbidden"), "Host '%s': 403" % bad, s, d)
s, h, d = req("GET", "/api/health", BEARER, host="localhost:%d" % port)
ok(s == 200, "Host localhost:PORT is accepted", s)
s, h, d = req("GET", "/?token=" + token, host="evil.example:%d" % port)
ok(s == 403 and "set-cookie" not in h, "the token exchange checks Host too", s, h)

# Origin on state-changing requests
body = json.dumps({"sql": "SELECT 1"}).encode()
s, h, d = req("POST", "/api/queries", {"Cookie": sess, "Content-Type": "application/json"}, body)
ok(is_error(s, d, 403, "forbidden"), "POST with the cookie and no Origin: 403", s, d)
s, h, d = req("POST", "/api/queries", {"Cookie": sess, "Origin": "http://evil.example"}, body)
ok(is_error(s, d, 403, "forbidden"), "POST with a foreign Origin: 403", s, d)
s, h, d = req("POST", "/api/queries", dict(BEARER, Origin="http://127.0.0.1:%d" % (port + 1)), body)
ok(is_error(s, d, 403, "forbidden"), "POST with the bearer and a wrong Origin: 403", s, d)
s, h, d = req("POST", "/api/queries", {"Cookie": sess, "Origin": "http://" + hostport}, body)
ok(s != 403, "POST with the cookie and our Origin passes the checks", s, d)
s, h, d = req("POST", "/api/queries", BEARER, body)
ok(s != 403, "POST with the bearer and no Origin passes the checks", s, d)

# caps
def post_raw(declared, chunks):
    """POSTs with Content-Length declared (None: chunked) and the given chunks."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.putrequest("POST", "/api/queries", skip_host=True, skip_accept_encoding=True)
    c.putheader("Host", hostport)
    c.putheader("Authorization", BEARER["Authorization"])
    if declared is None:
        c.putheader("Transfer-Encoding", "chunked")
    else:
        c.putheader("Content-Length", str(declared))
    c.endheaders()
    for ch in chunks:
        c.send(b"%x\r\n%s\r\n" % (len(ch), ch) if declared is None else ch)
    if declared is None:
        c.send(b"0\r\n\r\n")
    r = c.getresponse()
    d = r.read()
    c.close()
    return r.status, d


s, d = post_raw(2 << 20, [])
ok(is_error(s, d, 413, "too_large"), "a body declared as 2 MiB: 413 before it is sent", s, d[:200])
s, d = post_raw((1 << 20) + 1, [])
ok(is_error(s, d, 413, "too_large"), "declared one byte over 1 MiB: 413", s, d[:200])
s, d = post_raw(None, [b"x" * 65536] * 16 + [b"x"])
ok(is_error(s, d, 413, "too_large"), "a chunked body one byte over 1 MiB: 413", s, d[:200])
s, d = post_raw(None, [json.dumps({"sql": "SELECT 1"}).encode()])
ok(s == 201, "a chunked body under the cap is read", s, d[:200])

# ---- datasets, files, schema, meta

s, j = getj("/api/datasets")
ds = {d["id"]: d for d in j.get("datasets", [])}
count = int(cli("count", DOCS).stdout)
ok(s == 200 and set(ds) == {"docs", "ev"}, "datasets: the --as names", s, j)
d0 = ds.get("docs", {})
ok(d0.get("n_rows") == count and d0.get("n_files") == 18 and d0.get("paths") == [DOCS],
   "datasets: rows, files and paths of docs", d0, count)
ok([p["name"] for p in d0.get("partitions", [])] == ["date", "source"]
   and d0["partitions"][0]["type"] == "DATE", "datasets: partitions with types", d0.get("partitions"))
ok(any("label" in p["message"] for p in d0.get("problems", [])), "datasets: the missing columns are problems",
   d0.get("problems"))

s, j = getj("/api/datasets/docs/files")
files = j.get("files", [])
ok(s == 200 and len(files) == 18 and sum(f["rows"] for f in files) == count, "files: 18, rows add up", s, len(files))
counts = json.loads(cli("count", "--files", "--json", DOCS).stdout)["files"]
ok([f["rows"] for f in files] == [c["rows"] for c in counts], "files: rows per file match count --files")
ok(all(f["path"].startswith("date=") and f["error"] is None for f in files)
   and files[0]["partitions"].keys() == {"date", "source"}, "files: relative paths, partitions, no error", files[:1])
ok([f["index"] for f in files] == list(range(18)) and files[1]["first_row"] == files[0]["rows"],
   "files: indices and first rows")

s, j = getj("/api/datasets/docs/schema")
want = json.loads(cli("schema", "--json", DOCS).stdout)
ok(s == 200 and j == want, "schema: the same document as schema --json", s)

f0 = os.path.join(DOCS, files[0]["path"]) if files else ""
s, j = getj("/api/datasets/docs/files/0/meta")
want = json.loads(cli("meta", "--json", f0).stdout)["files"][0]
ok(s == 200 and j == want, "meta: the same object as meta --json", s, json.dumps(j)[:300])
s, j = getj("/api/datasets/docs/files/0/pages?rg=0&column=text")
want = json.loads(cli("meta", "--pages", "--index", "--json", "--columns", "text", "--row-groups", "0", f0).stdout)["files"][0]
ok(s == 200 and j == want and j["row_groups"][0]["columns"][0].get("pages"),
   "pages: meta --pages --index for one chunk", s, json.dumps(j)[:300])
for path, st in [("/api/datasets/docs/files/0/pages?rg=5&column=text", 404),
                 ("/api/datasets/docs/files/0/pages?rg=0&column=nope", 404),
                 ("/api/datasets/docs/files/0/pages?rg=0", 400),
                 ("/api/datasets/docs/files/0/pages?rg=-1&column=text", 400)]:
    s, h, d = get(path)
    ok(s == st, "pages: %s -> %d" % (path.split("?")[1], st), s, d)

# ---- rows and samples against the CLI

def rows_match(j, want, cols):
    got = j.get("rows")
    exp = [[o[c] for c in cols] for o in want]
    return got == exp


for off, lim in [(0, 10), (12345, 100), (count - 3, 10), (count // 2, 1), (1950, 100), (999, 2), (2000, 1000), (1950, 100)]:
    s, j = getj("/api/datasets/docs/rows?offset=%d&limit=%d" % (off, lim))
    want = jsonl(cli("cat", "--rows", "%d:%d" % (off, off + lim), "--format", "jsonl", DOCS).stdout)
    cols = [c["name"] for c in j.get("columns", [])]
    ok(s == 200 and j.get("offset") == off and j.get("total") == count and j.get("n_rows") == len(want)
       and cols == list(want[0].keys()) and rows_match(j, want, cols),
       "rows %d+%d equal cat --format jsonl" % (off, lim), s, json.dumps(j)[:300])
s, j = getj("/api/datasets/docs/rows?offset=%d&limit=5" % (count + 10))
ok(s == 200 and j.get("rows") == [] and j.get("n_rows") == 0, "rows past the end: empty", s, j)
s, j = getj("/api/datasets/docs/rows?offset=100&limit=3&columns=date,document_id")
want = jsonl(cli("cat", "--rows", "100:103", "--columns", "date,document_id", "--format", "jsonl", DOCS).stdout)
ok(s == 200 and [c["name"] for c in j["columns"]] == ["date", "document_id"]
   and [c["type"] for c in j["columns"]] == ["date", "string"] and rows_match(j, want, ["date", "document_id"]),
   "rows: column projection in the order asked", s, j)
s, j = getj("/api/datasets/docs/rows")
ok(s == 200 and j.get("n_rows") == 100 and j.get("offset") == 0, "rows: default offset 0, limit 100", s)
for path, st, code in [("/api/datasets/docs/rows?limit=10001", 400, "bad_request"),
                       ("/api/datasets/docs/rows?offset=-5", 400, "bad_request"),
                       ("/api/datasets/docs/rows?offset=abc", 400, "bad_request"),
                       ("/api/datasets/docs/rows?offset=99999999999999999999999", 400, "bad_request"),
                       ("/api/datasets/docs/rows?columns=nope", 400, "bad_request"),
                       ("/api/datasets/nope/rows", 404, "not_found")]:
    s, h, d = get(path)
    ok(is_error(s, d, st, code), "%s -> %d %s" % (path, st, code), s, d)
s, j = getj("/api/datasets/docs/rows?limit=10000")
ok(s == 200 and j.get("n_rows") == 10000 and len(j["rows"]) == 10000, "rows: limit 10000 is allowed", s)

s, j = getj("/api/datasets/docs/sample?n=20&seed=5")
want = jsonl(cli("sample", "-n", "20", "--seed", "5", "--format", "jsonl", DOCS).stdout)
cols = [c["name"] for c in j.get("columns", [])]
ok(s == 200 and j.get("seed") == 5 and j.get("row_numbers") == [o["#"] for o in want]
   and rows_match(j, [{k: v for k, v in o.items() if k != "#"} for o in want], cols),
   "sample n=20 seed=5 equals parqview sample", s, json.dumps(j)[:300])
s, j1 = getj("/api/datasets/docs/sample?n=5&columns=document_id")
s2, j2 = getj("/api/datasets/docs/sample?n=5&columns=document_id&seed=%d" % j1.get("seed", 0))
ok(s == 200 and isinstance(j1.get("seed"), int) and j1.get("rows") == j2.get("rows"),
   "sample without a seed reports the seed it used, which repeats the draw", j1, j2)
s, h, d = get("/api/datasets/docs/sample?n=5&seed=x")
ok(is_error(s, d, 400, "bad_request"), "sample: a bad seed is 400", s, d)

# ---- path traversal: never a file outside the datasets

for path in ["/api/datasets/../files", "/api/datasets/%2e%2e/files", "/api/datasets/docs/files/..%2f..%2fetc%2fpasswd/meta",
             "/api/datasets/docs/files/18/meta", "/api/datasets/docs/files/-1/meta", "/api/datasets/docs/files/1e3/meta",
             "/api/datasets/docs/files/99999999999999999999/meta", "/api/datasets/%2Fetc%2Fpasswd/schema",
             "/api/datasets//etc/passwd/schema", "/assets/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
             "/etc/passwd", "//etc/passwd", "/api/datasets/docs/files/0%2f..%2f1/meta", "/api/datasets/docs/files/0/../../../etc/passwd",
             "/api/datasets/docs/files/%200/meta", "/api/datasets/docs/files/0x1/meta"]:
    s, h, d = get(path)
    ok(s in (400, 404) and b"root:" not in d, "traversal %s -> %d" % (path, s), s, d[:200])
s, h, d = req("HEAD", "/api/datasets", BEARER)
ok(s == 200 and d == b"" and h.get("content-type") == "application/json", "HEAD is GET without the body", s, h, d[:100])
s, h, d = req("GET", "/api/health", dict(BEARER, Origin="http://evil.example"))
ok(s == 200, "GET needs no Origin check (reads change nothing)", s)
s, h, d = req("DELETE", "/api/datasets", BEARER)
ok(is_error(s, d, 405, "method_not_allowed"), "DELETE /api/datasets: 405", s, d)
s, h, d = get("/api/nope")
ok(is_error(s, d, 404, "not_found"), "unknown API path: 404", s, d)

# ---- exports

s, h, d = get("/api/datasets/docs/export?format=csv&offset=200&limit=50")
want = cli("cat", "--rows", "200:250", "--format", "csv", DOCS).stdout.encode()
ok(s == 200 and d == want and h.get("content-disposition") == 'attachment; filename="docs.csv"'
   and h.get("content-type", "").startswith("text/csv"), "export csv equals cat --format csv", s, h, d[:200])
s, h, d = get("/api/datasets/docs/export?format=jsonl&columns=document_id,source")
want = cli("cat", "--columns", "document_id,source", "--format", "jsonl", DOCS).stdout.encode()
ok(s == 200 and d == want and len(d.splitlines()) == count, "export jsonl of every row equals cat", s, len(d))
s, h, d = get("/api/datasets/docs/export?format=csv&offset=%d" % (count + 1))
ok(s == 200 and d.count(b"\n") == 1, "export of no rows: the CSV header alone", s, d[:200])
s, h, d = get("/api/datasets/docs/export?format=xml")
ok(is_error(s, d, 400, "bad_request"), "export format xml: 400", s, d)

# ---- SQL

DUCKQ = os.path.join(os.path.dirname(BIN), "tools", "duckq")


def post(path, obj, raw=None):
    body = raw if raw is not None else json.dumps(obj).encode()
    s, h, d = req("POST", path, dict(BEARER, **{"Content-Type": "application/json"}), body)
    try:
        return s, h, json.loads(d)
    except ValueError:
        return s, h, {"unparsed": d[:200]}


def wait_query(qid, timeout=60):
    end = time.time() + timeout
    while True:
        s, j = getj("/api/queries/" + qid)
        if s != 200 or j.get("status") != "running" or time.time() > end:
            return s, j
        time.sleep(0.05)


def run_query(sql):
    s, h, j = post("/api/queries", {"sql": sql})
    if s != 201:
        return s, j
    return wait_query(j["id"])


s, h, j = post("/api/queries", {"sql": "SELECT source, count(*) AS n FROM docs GROUP BY ALL ORDER BY source"})
qid = j.get("id", "")
ok(s == 201 and j.get("status") == "running" and qid.startswith("q") and h.get("location") == "/api/queries/" + qid,
   "POST /api/queries: 201, an id and its Location", s, h, j)
s, j = wait_query(qid)
oracle = subprocess.run([DUCKQ, "--csv", "-c",
                         "SELECT source, count(*) AS n FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, "
                         "union_by_name = true) GROUP BY ALL ORDER BY source" % DOCS],
                        capture_output=True, text=True, check=False).stdout.splitlines()
want = [[l.split(",")[0], int(l.split(",")[1])] for l in oracle]
ok(s == 200 and j.get("status") == "done" and j.get("complete") is True and j.get("n_rows") == len(want)
   and j.get("columns") == [{"name": "source", "type": "string"}, {"name": "n", "type": "int64"}]
   and j.get("error") is None and j.get("progress") == 1, "query status: done, columns, rows", s, j)
s, j = getj("/api/queries/%s/rows?offset=0&limit=10" % qid)
ok(s == 200 and j.get("rows") == want and len(want) == 3, "query rows equal DuckDB's own answer", s, j, want)
s, j = getj("/api/queries/%s/rows?offset=1&limit=1" % qid)
ok(s == 200 and j.get("rows") == want[1:2] and j.get("offset") == 1, "query rows page by offset and limit", s, j)
s, j = getj("/api/queries/%s/rows?offset=100" % qid)
ok(s == 200 and j.get("rows") == [], "query rows past the end: empty", s, j)

# wide rows through the JSON mapping, checked against the dataset rows endpoint
s, j = run_query("SELECT * FROM docs LIMIT 5")
s2, j2 = getj("/api/queries/%s/rows" % j.get("id", ""))
s3, j3 = getj("/api/datasets/docs/rows?limit=5")
ok(s2 == 200 and j2.get("n_rows") == 5 and sorted(c["name"] for c in j2["columns"]) == sorted(c["name"] for c in j3["columns"]),
   "SELECT * has the dataset's columns", j2.get("columns"), j3.get("columns"))

s, j = run_query("SELECT count(*) AS n FROM docs")
s2, j2 = getj("/api/queries/%s/rows" % j.get("id", ""))
ok(j2.get("rows") == [[count]], "count(*) over the view equals parqview count", j2, count)

s, j = run_query("SELECT 1 FROM docs WHERE nope = 1")
e = j.get("error") or {}
ok(j.get("status") == "error" and e.get("code") == "query_error" and "nope" in e.get("message", "")
   and e.get("position") == 25 and "\n" not in e.get("message", ""),
   "a bad column: status error, query_error, message and position", j)

for name, sql in [("read_csv('/etc/passwd')", "SELECT * FROM read_csv('/etc/passwd')"),
                  ("read_text of /etc/passwd", "SELECT * FROM read_text('/etc/passwd')"),
                  ("a parquet file outside the datasets", "SELECT * FROM read_parquet('%s/eval/*.parquet')" % os.path.abspath(DEMO)),
                  ("COPY TO a file", "COPY (SELECT 1) TO '/tmp/pv_serve_test_copy.csv'"),
                  ("ATTACH", "ATTACH '/tmp/pv_serve_test.db'"),
                  ("INSTALL", "INSTALL httpfs"),
                  ("SET back the restrictions", "SET enable_external_access = true")]:
    s, j = run_query(sql)
    ok(j.get("status") == "error" and (j.get("error") or {}).get("code") == "query_error"
       and not os.path.exists("/tmp/pv_serve_test_copy.csv"), "refused: " + name, j)
s, j = run_query("SELECT count(*) FROM ev")
ok(j.get("status") == "done", "the second dataset is a view too", j)

for raw, what in [(b"{not json", "a body that is not JSON"), (b'{"sq": "SELECT 1"}', "a body without sql"),
                  (b'{"sql": "  ;  "}', "empty SQL"), (b'{"sql": 5}', "sql not a string"),
                  (b'{"sql": "SELECT 1", "sql": "SELECT 2"}', "duplicate keys")]:
    s, h, j = post("/api/queries", None, raw)
    ok(s == 400 and j.get("error", {}).get("code") == "bad_request", "POST %s: 400" % what, s, j)
s, j = getj("/api/queries/q999999")
ok(s == 404, "an unknown query: 404", s, j)

# exports of a query
s, h, d = get("/api/queries/%s/export?format=csv" % qid)
ok(s == 200 and d.decode() == "source,n\n" + "".join("%s,%d\n" % (a, b) for a, b in want)
   and h.get("content-disposition") == 'attachment; filename="%s.csv"' % qid, "query export csv", s, d, h)
s, h, d = get("/api/queries/%s/export?format=jsonl" % qid)
ok(s == 200 and jsonl(d.decode()) == [{"source": a, "n": b} for a, b in want], "query export jsonl", s, d)
s, h, d = get("/api/queries/%s/export?format=parquet" % qid)
pq = os.path.abspath("q.parquet")
with open(pq, "wb") as f:
    f.write(d)
back = jsonl(cli("cat", "--format", "jsonl", pq).stdout)
ok(s == 200 and d[:4] == b"PAR1" and back == [{"source": a, "n": b} for a, b in want], "query export parquet reads back", s, back)
s, h, d = get("/api/datasets/docs/export?format=parquet&offset=300&limit=40&columns=document_id,date")
with open(pq, "wb") as f:
    f.write(d)
back = jsonl(cli("cat", "--format", "jsonl", pq).stdout)
want_rows = jsonl(cli("cat", "--rows", "300:340", "--columns", "document_id,date", "--format", "jsonl", DOCS).stdout)
ok(s == 200 and back == want_rows and len(back) == 40, "dataset export parquet reads back as the same rows", s, back[:2])
s, h, d = get("/api/queries/%s/export?format=xml" % qid)
ok(s == 400, "query export format xml: 400", s)

# delete
s, h, d = req("DELETE", "/api/queries/" + qid, BEARER)
s2, j2 = getj("/api/queries/" + qid)
ok(s == 200 and s2 == 404, "DELETE a query, then it is gone", s, s2)

# long queries: the running cap, cancellation
LONG = "SELECT count(*) FROM range(100000000000) a"
ids = []
for i in range(4):
    s, h, j = post("/api/queries", {"sql": LONG})
    ids.append(j.get("id"))
ok(all(ids), "4 long queries start", ids)
s, h, j = post("/api/queries", {"sql": "SELECT 1"})
ok(s == 429 and j.get("error", {}).get("code") == "busy", "a 5th query while 4 run: 429 busy", s, j)
time.sleep(0.3)
s, j = getj("/api/queries/" + ids[0])
ok(j.get("status") == "running" and j.get("complete") is False, "a long query is running", j)
t0 = time.time()
for qi in ids:
    s, h, d = req("POST", "/api/queries/%s/cancel" % qi, BEARER)
states = [wait_query(qi, 20)[1].get("status") for qi in ids]
ok(states == ["cancelled"] * 4 and time.time() - t0 < 15, "cancel stops them: status cancelled", states, time.time() - t0)
s, j = run_query("SELECT 42 AS x")
s2, j2 = getj("/api/queries/%s/rows" % j.get("id", ""))
ok(j2.get("rows") == [[42]], "after cancelling, queries run again", j, j2)

# ---- concurrency

def one(i):
    s, h, d = get("/api/datasets/docs/rows?offset=%d&limit=50" % ((i * 977) % count))
    return s == 200 and len(json.loads(d)["rows"]) == min(50, count - (i * 977) % count)


with concurrent.futures.ThreadPoolExecutor(32) as ex:
    res = list(ex.map(one, range(200)))
ok(all(res), "200 row requests from 32 threads all succeed", res.count(False))

# ---- shutdown

proc.send_signal(signal.SIGTERM)
try:
    rc = proc.wait(timeout=20)
except subprocess.TimeoutExpired:
    proc.kill()
    rc = "hung"
ok(rc == 0, "SIGTERM: exit 0", rc, proc.stderr.read())
sk = socket.socket()
# SO_REUSEADDR as servers set it: connections the server closed may sit in
# TIME_WAIT, but nothing may still listen
sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    sk.bind(("127.0.0.1", port))
    sk.listen(1)
    freed = True
except OSError:
    freed = False
sk.close()
ok(freed, "the port is released")

# usage errors and a dataset id per PATH
r = cli("serve")
ok(r.returncode == 2 and "no PATH" in r.stderr, "serve without PATH: exit 2", r.returncode, r.stderr)
r = cli("serve", "--port", "70000", DOCS)
ok(r.returncode == 2, "serve --port 70000: exit 2", r.returncode, r.stderr)
r = cli("serve", "--no-open", "--port", "0", os.path.join(DEMO, "nothing-here"))
ok(r.returncode == 3 and r.stderr.count("\n") == 1, "serve of a missing path: exit 3, one line", r.returncode, r.stderr)
r = cli("serve", "--no-open", "--as", "bad-name=" + DOCS)
ok(r.returncode == 2 and r.stderr.count("\n") == 1, "serve --as with a bad name: exit 2, one line", r.returncode, r.stderr)
p2, url2 = start(DOCS, EVAL, os.path.join(DEMO, "embeddings"))
t2 = url2.split("token=")[1] if "token=" in url2 else ""
c = http.client.HTTPConnection("127.0.0.1", int(url2.split("/")[2].split(":")[1]) if url2 else 1, timeout=10)
try:
    c.request("GET", "/api/datasets", headers={"Authorization": "Bearer " + t2})
    ids = [d["id"] for d in json.loads(c.getresponse().read())["datasets"]]
except (OSError, ValueError, KeyError):
    ids = None
ok(ids == ["docs", "eval", "embeddings"], "a dataset per PATH, named by base name", ids)
p2.send_signal(signal.SIGINT)
ok(p2.wait(timeout=20) == 0, "SIGINT: exit 0")

# the query time limit
p3, url3 = start("--query-timeout", "1", DOCS)
port3 = int(url3.split("/")[2].split(":")[1]) if url3 else 1
t3 = url3.split("token=")[1] if "token=" in url3 else ""


def req3(method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port3, timeout=30)
    c.request(method, path, body=body, headers={"Authorization": "Bearer " + t3})
    r = c.getresponse()
    d = r.read()
    c.close()
    return r.status, json.loads(d)


t0 = time.time()
s, j = req3("POST", "/api/queries", json.dumps({"sql": LONG}).encode())
qid3 = j.get("id", "")
while time.time() - t0 < 30:
    s, j = req3("GET", "/api/queries/" + qid3)
    if j.get("status") != "running":
        break
    time.sleep(0.1)
el = time.time() - t0
ok(j.get("status") == "error" and (j.get("error") or {}).get("code") == "timeout" and 0.9 < el < 10,
   "--query-timeout 1: the query ends in about a second with a timeout error", j, el)
# a long query still running at shutdown does not keep the server up
s, j = req3("POST", "/api/queries", json.dumps({"sql": LONG}).encode())
t0 = time.time()
p3.send_signal(signal.SIGTERM)
rc3 = p3.wait(timeout=20)
ok(rc3 == 0 and time.time() - t0 < 10, "SIGTERM with a query running: exit 0 promptly", rc3, time.time() - t0,
   p3.stderr.read())

# a dataset with an unreadable file: the others are served
import shutil
os.makedirs("mixed", exist_ok=True)
shutil.copy(os.path.join(EVAL, os.listdir(EVAL)[0]), "mixed/a.parquet")
with open("mixed/b.parquet", "wb") as f:
    f.write(b"PAR1 this is not parquet")
p4, url4 = start("mixed")
port4 = int(url4.split("/")[2].split(":")[1]) if url4 else 1
h4 = {"Authorization": "Bearer " + (url4.split("token=")[1] if "token=" in url4 else "")}


def get4(path):
    c = http.client.HTTPConnection("127.0.0.1", port4, timeout=30)
    c.request("GET", path, headers=h4)
    r = c.getresponse()
    d = r.read()
    c.close()
    return r.status, json.loads(d)


s, j = get4("/api/datasets")
d4 = j.get("datasets", [{}])[0]
ok(d4.get("n_files") == 2 and d4.get("n_unreadable") == 1 and d4.get("n_rows") == 1000
   and any("b.parquet" in p["message"] for p in d4.get("problems", [])), "an unreadable file is a problem; the rest is served", d4)
s, j = get4("/api/datasets/data/files")
f4 = j.get("files", [{}, {}])
ok(f4[0].get("error") is None and f4[1].get("error") and "b.parquet" in f4[1]["error"] and f4[1]["rows"] == 0,
   "files: the unreadable one carries its error", f4)
s, j = get4("/api/datasets/data/files/1/meta")
ok(s == 422 and j.get("error", {}).get("code") == "data_error", "meta of the unreadable file: 422 data_error", s, j)
s, j = get4("/api/datasets/data/rows?offset=998&limit=5")
ok(s == 200 and j.get("n_rows") == 2 and j.get("total") == 1000, "rows of the readable file", s, j)
p4.send_signal(signal.SIGTERM)
err4 = p4.stderr.read()
ok(p4.wait(timeout=20) == 0 and "b.parquet" in err4 and err4.count("\n") == 1,
   "the unreadable file is one warning line on stderr", err4)

# the problems of /api/datasets are those `parqview summary --json` lists,
# on the demo and on a dataset with every kind of problem: an encrypted
# file outside the partitions, a footer whose row count is off, an
# unreadable file, columns missing and typed apart
corpus = os.path.join(os.environ.get("PARQVIEW_TESTDATA", ""), "parquet-testing", "data")
plant = os.path.join(os.environ.get("PARQVIEW_BUILD", os.path.dirname(BIN)), "tools", "plant")
os.makedirs("kinds/k=a", exist_ok=True)
os.makedirs("kinds/k=b", exist_ok=True)
shutil.copy(os.path.join(corpus, "encrypt_columns_plaintext_footer.parquet.encrypted"), "kinds/enc.parquet")
shutil.copy(os.path.join(corpus, "alltypes_plain.parquet"), "kinds/k=a/x.parquet")
shutil.copy(os.path.join(corpus, "alltypes_tiny_pages_plain.parquet"), "kinds/k=b/z.parquet")
subprocess.run([plant, os.path.join(corpus, "alltypes_plain.parquet"), "kinds/k=a/y.parquet", "footer", "num_rows=99"],
               check=True)
with open("kinds/k=b/bad.parquet", "wb") as f:
    f.write(b"PAR1 junk")
paths5 = {"docs": DOCS, "ev": EVAL, "kinds": "kinds"}
p5, url5 = start(*[a for k, v in paths5.items() for a in ("--as", k + "=" + v)])
port5 = int(url5.split("/")[2].split(":")[1]) if url5 else 1
c5 = http.client.HTTPConnection("127.0.0.1", port5, timeout=30)
c5.request("GET", "/api/datasets", headers={"Authorization": "Bearer " + url5.split("token=")[-1]})
api5 = {d["id"]: d["problems"] for d in json.loads(c5.getresponse().read())["datasets"]}
c5.close()
for k, v in paths5.items():
    want = json.loads(cli("summary", "--json", v).stdout)["problems"]
    # docs and kinds have problems; ev has none
    ok(api5.get(k) == want and bool(want) == (k != "ev"),
       "datasets: %s's problems are parqview summary's (%d)" % (k, len(want)), api5.get(k), want)
kinds = sorted({p["kind"] for p in api5.get("kinds", [])})
ok(kinds == sorted(["encrypted_columns", "missing_column", "partial_partitions", "row_count_mismatch",
                    "type_conflict", "unreadable_file"]), "datasets: every kind of problem is reported", kinds)
p5.send_signal(signal.SIGTERM)
p5.stderr.read()
ok(p5.wait(timeout=20) == 0, "the server with the problem datasets shuts down cleanly")

print("1..%d" % n)
sys.exit(1 if failed else 0)
