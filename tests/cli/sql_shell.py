#!/usr/bin/env python3
"""tests/cli/sql_shell.py PARQVIEW FILE.parquet TMPDIR - drives the
`parqview sql` shell through a pseudo-terminal (python's pty module) and
prints TAP: prompts, a multi-line query, dot commands, TAB completion,
Ctrl-C during a query and at the prompt, the caret under an error, the
table fitted to the terminal, the history file, Ctrl-D."""
import fcntl, os, pty, re, select, struct, sys, termios, time

pv, data, tmp = sys.argv[1:4]
hist = os.path.join(tmp, "history")
env = dict(os.environ, PARQVIEW_HISTORY=hist, TERM="xterm", NO_COLOR="1", PAGER="cat",
           LANG="C.UTF-8")
env.pop("COLUMNS", None)
COLS = 72

n = 0
failed = False


def report(good, name, detail=""):
    global n, failed
    n += 1
    print(("ok %d - %s" if good else "not ok %d - %s") % (n, name))
    if not good:
        failed = True
        for line in detail.splitlines()[:20]:
            print("#   " + line)


pid, fd = pty.fork()
if pid == 0:
    os.execve(pv, [pv, "sql", "--as", "mytable=" + data, data], env)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, COLS, 0, 0))

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x07")


def read_until(pattern, timeout=10.0):
    """Output up to and including the regex pattern (ANSI codes dropped),
    or everything read with None when it did not come in time."""
    buf = b""
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 65536)
            except OSError:
                break
            if not d:
                break
            buf += d
            text = ANSI.sub("", buf.decode("utf-8", "replace"))
            if re.search(pattern, text):
                return text, True
    return ANSI.sub("", buf.decode("utf-8", "replace")), False


def send(s):
    os.write(fd, s.encode())


PROMPT = r"parqview> $"
out, good = read_until(PROMPT)
report(good and "parqview sql on DuckDB" in out, "shell: banner and prompt", out)

send("SELECT id, int_col\r")
out, good = read_until(r"\.\.\.> $")
report(good, "multi-line: a continuation prompt until ';'", out)
send("FROM data ORDER BY id LIMIT 3;\r")
out, good = read_until(PROMPT)
rows = [l for l in out.splitlines() if re.match(r"^\s*[│|]?\s*\d+\s*[│|]\s*\d+", l)]
report(good and len(rows) == 3 and "id (int32)" in out, "multi-line: the query runs and prints 3 rows", out)

send(".tables\r")
out, good = read_until(PROMPT)
report(good and re.search(r"data\s.*view", out) and re.search(r"mytable\s.*view", out),
       ".tables lists the views", out)

send(".schema mytable\r")
out, good = read_until(PROMPT)
report(good and re.search(r"mytable\s.*timestamp_col\s.*TIMESTAMP", out) and "string_col" in out,
       ".schema NAME lists its columns and types", out)

send(".mode csv\r")
read_until(PROMPT)
send("SELECT 1 AS a, 'x' AS b;\r")
out, good = read_until(PROMPT)
report(good and "a,b\r\n1,x" in out, ".mode csv", out)
send(".mode table\r")
read_until(PROMPT)

send(".timer on\r")
read_until(PROMPT)
send("SELECT 2;\r")
out, good = read_until(PROMPT)
report(good and re.search(r"Run Time: \d+\.\d{3} s", out), ".timer on prints the time", out)
send(".timer off\r")
read_until(PROMPT)

# TAB: a view name, then a column name
# (libedit writes the missing part of the word after the cursor)
send("SELECT count(*) AS n FROM myta\t")
out, good = read_until(r"myta[\s\S]*ble $", 5)
report(good, "TAB completes a view name", out)
send("WHERE bigint_c\t")
out, good = read_until(r"bigint_c[\s\S]*ol $", 5)
report(good, "TAB completes a column name", out)
send("> 0;\r")
out, good = read_until(PROMPT)
report(good and re.search(r"\b4\b", out), "... and the completed query runs", out)

# Ctrl-C during a long query returns to the prompt, the session lives on
send("SELECT sum(hash(i)) FROM range(1000000000000) t(i);\r")
time.sleep(1.0)
t0 = time.time()
send("\x03")
out, good = read_until(PROMPT, 10)
took = time.time() - t0
report(good and "interrupted" in out and took < 4, "Ctrl-C stops a running query (%.1f s)" % took, out)
send("SELECT 6 * 7 AS answer;\r")
out, good = read_until(PROMPT)
report(good and "42" in out, "... and the next query runs", out)

# Ctrl-C at the prompt drops the line, also a half-typed statement
send("SELECT 'lost',\r")
read_until(r"\.\.\.> $")
send("'also lost'")
time.sleep(0.3)
send("\x03")
out, good = read_until(PROMPT, 5)
report(good, "Ctrl-C at the prompt: a fresh prompt", out)
send("SELECT 'kept' AS k;\r")
out, good = read_until(PROMPT)
report(good and "kept" in out and "lost" not in out, "... the dropped lines are gone", out)

# an error: one line, then LINE and a caret under the position
send("SELECT 1,\r")
read_until(r"\.\.\.> $")
send("  nope FROM data;\r")
out, good = read_until(PROMPT)
lines = out.splitlines()
i = next((k for k, l in enumerate(lines) if l.startswith("LINE 2:")), -1)
ok_caret = i > 0 and lines[i + 1].index("^") == lines[i].index("nope") and \
    lines[i - 1].startswith("parqview: Binder Error: Referenced column \"nope\"")
report(good and ok_caret, "an error: its message, the line and a caret under the position", out)

# the table fits the terminal
send("SELECT repeat('w', 200) AS wide, repeat('v', 200) AS wider, 1 AS n;\r")
out, good = read_until(PROMPT)
body = [l for l in out.splitlines()[1:] if l and not l.startswith("parqview>")]
longest = max(len(l) for l in body) if body else 999
report(good and 0 < longest <= COLS, "the table fits the %d-column terminal (widest line %d)" % (COLS, longest), out)

send(".bogus\r")
out, good = read_until(PROMPT)
report(good and "unknown command '.bogus'" in out, "an unknown dot command is named", out)

send(".help\r")
out, good = read_until(PROMPT)
report(good and ".schema" in out and ".quit" in out, ".help", out)

# Ctrl-D at an empty prompt quits with status 0
send("\x04")
read_until(r"$^", 3)
_, status = os.waitpid(pid, 0)
report(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "Ctrl-D quits with status 0", str(status))

try:
    text = open(hist, encoding="utf-8", errors="replace").read()
except OSError as e:
    text = str(e)
report("FROM\\040data\\040ORDER\\040BY" in text or "FROM data ORDER BY" in text,
       "the history file holds the statements", text[:400])
report(".tables" in text and "'kept'" in text.replace("\\040", " "), "... and the dot commands", text[:400])

print("1..%d" % n)
sys.exit(1 if failed else 0)
