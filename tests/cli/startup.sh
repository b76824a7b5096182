#!/usr/bin/env bash
# tests/cli/startup.sh - libraries loaded on first use (base/dynlib.h):
# commands other than serve and the sql shell do not map libmicrohttpd
# (GnuTLS) or libedit, a file without snappy pages does not map libsnappy
# (libstdc++), only a contract with a tokenizer.json maps PCRE2 and
# libunistring, the commands that need a library do load it, and a missing
# library is one line on stderr naming the Debian package, exit 3.
# PARQVIEW_TEST_MISSING_LIBS (see base/dynlib.h) plays the missing library.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
bin=$PARQVIEW_BIN
data=$PARQVIEW_TESTDATA/parquet-testing/data
plain=$data/alltypes_plain.parquet        # uncompressed pages
snappy=$data/alltypes_plain.snappy.parquet
tmp=$(mktemp -d)
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

plan 25

# loaded LOG: the base names of the shared objects the loader opened, per
# LD_DEBUG=files (it lists dlopen'ed libraries too), one per line
loaded() { sed -nE 's/.*file=([^ ]*) +\[[0-9]+\]; +(needed|dynamically loaded) by.*/\1/p' "$1" | sed 's|.*/||' | sort -u; }

LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/head "$bin" head -n 3 "$plain" >"$tmp/out" 2>"$tmp/err"
is "head on an uncompressed file exits 0" "$?" 0
cat "$tmp"/head.* >"$tmp/head.log"
libs=$(loaded "$tmp/head.log")
like "the loader log lists libc (the check sees what it should)" "$libs" '^libc\.so'
is "head maps no libmicrohttpd, gnutls or libedit" \
	"$(echo "$libs" | grep -cE '^lib(microhttpd|gnutls|edit)\.')" 0
is "head maps no PCRE2 or libunistring" "$(echo "$libs" | grep -cE '^lib(pcre2-8|unistring)\.')" 0
# nothing opened at run time: libsnappy and the libstdc++ it brings are not
# there (a sanitizer build links libstdc++ itself, so the test asks about
# what was dlopen'ed, not about libstdc++ by name)
is "head on a file without snappy pages maps no libsnappy, opens nothing at run time" \
	"$(echo "$libs" | grep -c '^libsnappy\.') $(grep -c 'dynamically loaded by' "$tmp/head.log")" "0 0"

LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/snap "$bin" head -n 3 --format csv "$snappy" \
	>"$tmp/snap.out" 2>"$tmp/err"
is "head on a snappy file exits 0" "$?" 0
cat "$tmp"/snap.* >"$tmp/snap.log"
like "a snappy page loads libsnappy at run time" \
	"$(grep 'dynamically loaded by' "$tmp/snap.log" | sed -nE 's/.*file=([^ ]*).*/\1/p')" '^libsnappy\.so\.1$'
is "the snappy file's first columns equal DuckDB's" "$(tail -n +2 "$tmp/snap.out" | cut -d, -f1,2)" \
	"$("$PARQVIEW_BUILD/tools/duckq" --csv -c "SELECT id, bool_col FROM '$snappy' LIMIT 3")"

PARQVIEW_TEST_MISSING_LIBS=libsnappy.so.1 "$bin" head -n 3 "$snappy" >/dev/null 2>"$tmp/err"
is "missing libsnappy: exit 3" "$?" 3
is "missing libsnappy: one line" "$(wc -l <"$tmp/err")" 1
like "missing libsnappy: names the library, the package and the page" "$(cat "$tmp/err")" \
	"^parqview: .*: row group 0: column 'id': page 0: snappy: library 'libsnappy\.so\.1' not found: install the Debian package 'libsnappy1v5'"

# the comma-separated list: a library not listed still loads
PARQVIEW_TEST_MISSING_LIBS=libfoo.so.1,libedit.so.2 "$bin" head -n 3 "$snappy" >/dev/null 2>&1
is "a list naming other libraries leaves libsnappy alone" "$?" 0

PARQVIEW_TEST_MISSING_LIBS=libmicrohttpd.so.12 "$bin" serve --port 0 --no-open "$plain" \
	>"$tmp/out" 2>"$tmp/err"
is "missing libmicrohttpd: serve exits 3" "$?" 3
is "missing libmicrohttpd: one line, nothing on stdout" "$(wc -l <"$tmp/err") $(wc -c <"$tmp/out")" "1 0"
like "missing libmicrohttpd: names the package" "$(cat "$tmp/err")" \
	"^parqview: library 'libmicrohttpd\.so\.12' not found: install the Debian package 'libmicrohttpd12' \(scripts/bootstrap does\) to use serve$"

# serve loads it: its process maps libmicrohttpd once it printed the URL
"$bin" serve --port 0 --no-open "$plain" >"$tmp/url" 2>/dev/null &
srv_pid=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/url" ] && break
	sleep 0.05
done
like "serve prints its URL" "$(head -n 1 "$tmp/url")" '^http://127\.0\.0\.1:[0-9]+/\?token='
grep -q 'libmicrohttpd\.so' "/proc/$srv_pid/maps" 2>/dev/null
is "serve maps libmicrohttpd" "$?" 0
kill "$srv_pid" 2>/dev/null
wait "$srv_pid" 2>/dev/null
srv_pid=

# a maxTextLength rule in tokens of a tokenizer.json: PCRE2 (every
# tokenizer) and libunistring (its NFC normalizer) are opened at run time
"$PARQVIEW_BUILD/tools/duckq" -c "COPY (SELECT 'hello world' AS text) TO '$tmp/t.parquet' (FORMAT parquet)" >/dev/null
cat >"$tmp/tok.json" <<'EOF'
{"version": "1.0", "added_tokens": [], "normalizer": {"type": "NFC"},
 "pre_tokenizer": {"type": "WhitespaceSplit"},
 "model": {"type": "BPE", "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "w": 4, "r": 5, "d": 6, "he": 7, "ll": 8},
           "merges": ["h e", "l l"]}}
EOF
tok_contract() { # MAX
	printf '%s\n' "apiVersion: v3.1.0" "kind: DataContract" "id: tok" "version: 1.0.0" \
		"status: active" "servers:" "  - server: t" "    type: local" "    format: parquet" \
		"    path: $tmp/t.parquet" "schema:" "  - name: t" "    properties:" \
		"      - name: text" "        quality:" "          - type: custom" \
		"            name: fits" "            engine: parqview" \
		"            implementation: {check: maxTextLength, max: $1, unit: tokens, tokenizer: $tmp/tok.json}" \
		>"$tmp/tok.yaml"
}
# "hello" is he ll o, "world" w o r l d: 8 tokens
tok_contract 8
LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/tok "$bin" check "$tmp/tok.yaml" >"$tmp/out" 2>"$tmp/err"
is "check with a tokenizer.json passes at its count (8)" "$?" 0
cat "$tmp"/tok.[0-9]* >"$tmp/tok.log"
is "the tokenizer opens PCRE2 and libunistring at run time" \
	"$(grep 'dynamically loaded by' "$tmp/tok.log" | sed -nE 's/.*file=([^ ]*).*/\1/p' | sed 's|.*/||' |
		grep -E '^lib(pcre2-8|unistring)\.' | sort -u | tr '\n' ' ')" \
	"libpcre2-8.so.0 libunistring.so.2 "
tok_contract 7
"$bin" check "$tmp/tok.yaml" >/dev/null 2>&1
is "and fails one below" "$?" 1
tok_contract 8
# a tokenizer that cannot load is the rule's error (exit 3), reported on
# the rule's line with its contract line, like any tokenizer error
PARQVIEW_TEST_MISSING_LIBS=libpcre2-8.so.0 "$bin" check "$tmp/tok.yaml" >"$tmp/out" 2>"$tmp/err"
is "missing PCRE2: exit 3" "$?" 3
is "missing PCRE2: one error line in the report" "$(grep -c '^ *error ' "$tmp/out")" 1
like "missing PCRE2: the rule's line names the library, the package and the contract line" \
	"$(grep '^ *error ' "$tmp/out")" \
	"error fits .*line 16: library 'libpcre2-8\.so\.0' not found: install the Debian package 'libpcre2-8-0' \(scripts/bootstrap does\) to use tokenizer\.json patterns$"
PARQVIEW_TEST_MISSING_LIBS=libunistring.so.2 "$bin" check "$tmp/tok.yaml" >"$tmp/out" 2>"$tmp/err"
like "missing libunistring: exit 3, names the package" "$?|$(grep '^ *error ' "$tmp/out")" \
	"^3\|.*line 16: library 'libunistring\.so\.2' not found: install the Debian package 'libunistring2' \(scripts/bootstrap does\) to use tokenizer\.json normalizers$"

# the sql shell needs a terminal: run it on a pseudo-terminal
out=$(PARQVIEW_TEST_MISSING_LIBS=libedit.so.2 python3 - "$bin" "$plain" <<'EOF'
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "sql", sys.argv[2]])
buf = b""
deadline = time.monotonic() + 20
while True:
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([fd], [], [], left)[0]:
        # a shell that started waits for input: stop it, the test fails
        os.kill(pid, signal.SIGKILL)
        buf += b"(still running after 20 s)"
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write("%d|%s" % (os.waitstatus_to_exitcode(status), buf.decode(errors="replace").replace("\r", "")))
EOF
)
is "missing libedit: the sql shell exits 3 with one line naming the package" "$out" \
	"3|parqview: library 'libedit.so.2' not found: install the Debian package 'libedit2' (scripts/bootstrap does) to use the interactive sql shell"
finish
