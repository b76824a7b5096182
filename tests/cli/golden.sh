# tests/cli/golden.sh - CLI golden tests: each case runs parqview from the
# corpus directory and compares stdout, stderr and the exit code with
# tests/cli/golden/NAME.out. After a deliberate output change, review the
# diff and refresh with: PARQVIEW_UPDATE_GOLDEN=1 make check
#
# Cases live in tests/cli/cases.txt, one per line: NAME ARGS... (ARGS are
# split on spaces; paths are relative to the corpus root). "$HIVE" in ARGS
# is a small hive-partitioned dataset built for the run from corpus files.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
golden=$PARQVIEW_ROOT/tests/cli/golden
cases=$PARQVIEW_ROOT/tests/cli/cases.txt
corpus=$PARQVIEW_TESTDATA/parquet-testing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A hive dataset with schema evolution: two dates x two sources; the newer
# date's files are a different file, so columns differ between partitions.
HIVE=$tmp/hive
for s in web books; do
	mkdir -p "$HIVE/date=2024-01-01/source=$s" "$HIVE/date=2024-01-02/source=$s"
	cp "$corpus/data/alltypes_plain.parquet" "$HIVE/date=2024-01-01/source=$s/part-0.parquet"
	cp "$corpus/data/alltypes_tiny_pages_plain.parquet" "$HIVE/date=2024-01-02/source=$s/part-0.parquet"
done
mkdir -p "$HIVE/_temporary" && echo junk >"$HIVE/_SUCCESS"

n=$(grep -cvE '^\s*(#|$)' "$cases")
plan "$n"
while read -r name args; do
	case $name in '#'* | '') continue ;; esac
	args=${args//\$HIVE/$HIVE}
	# shellcheck disable=SC2086
	got=$(cd "$corpus" && "$PARQVIEW_BIN" $args 2>&1; echo "exit: $?")
	got=${got//$tmp/\$TMP}
	if [ -n "${PARQVIEW_UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$got" >"$golden/$name.out"
	fi
	want=$(cat "$golden/$name.out" 2>/dev/null || echo "(no golden file $name.out)")
	if [ "$got" == "$want" ]; then
		_tap_report 0 "$name"
	else
		_tap_report 1 "$name"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 30 | sed 's/^/#   /'
	fi
done <"$cases"
finish
