# tests/cli/sql_shell.sh - the interactive shell of `parqview sql`, driven
# through a pseudo-terminal by tests/cli/sql_shell.py (TAP).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec python3 "$PARQVIEW_ROOT/tests/cli/sql_shell.py" "$PARQVIEW_BIN" \
	"$PARQVIEW_TESTDATA/parquet-testing/data/alltypes_plain.parquet" "$tmp"
