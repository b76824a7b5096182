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
big = b"x" * (2 << 20)
s, h, d = req("POST", "/api/queries", BEARER, big)
ok(is_error(s, d, 413, "too_large"), "a 2 MiB body: 413", s, d[:200])
s, h, d = req("POST", "/api/queries", BEARER, b"x" * ((1 << 20) + 1))
ok(is_error(s, d, 413, "too_large"), "one byte over 1 MiB: 413", s, d[:200])

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
ok(any("label" in p for p in d0.get("problems", [])), "datasets: the missing columns are problems",
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


for off, lim in [(0, 10), (12345, 100), (count - 3, 10), (count // 2, 1)]:
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
try:
    sk.bind(("127.0.0.1", port))
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

print("1..%d" % n)
sys.exit(1 if failed else 0)
