# tests/server/api.sh - the `parqview serve` HTTP API against a real
# server on loopback: every endpoint (values checked against the CLI's
# own JSON output and `parqview cat/sample --format jsonl`), the security
# rules (token, cookie, Host, Origin, path traversal, body caps), exports,
# concurrency and clean shutdown. The checks live in api_test.py (python3,
# standard library only), which prints TAP; the demo data is generated
# here, in a temporary directory, because CI starts from a fresh clone.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v python3 >/dev/null; then
	plan 1
	echo "ok 1 # skip python3 is not installed"
	exit 0
fi
if ! "$PARQVIEW_ROOT/scripts/demo" "$PARQVIEW_BIN" --no-summary --out "$tmp/demo" >"$tmp/demo.log" 2>&1; then
	plan 1
	_tap_report 1 "demo data generated"
	sed 's/^/#   /' "$tmp/demo.log" | tail -n 20
	finish
fi
cd "$tmp" && exec python3 "$PARQVIEW_ROOT/tests/server/api_test.py" "$PARQVIEW_BIN" demo
