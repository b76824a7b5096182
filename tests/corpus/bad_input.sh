# tests/corpus/bad_input.sh - truncated and bit-flipped copies of every
# corpus file, and every file in bad_data/, through the CLI: each run must
# end with exit 0 or 3, at most one line on stderr naming the file, within
# a few seconds and under a memory limit (no crash, hang or allocation out
# of proportion to the file). `meta` must still show files whose defects
# are inside pages.
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
corpus=$PARQVIEW_TESTDATA/parquet-testing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mem_kb=$((2 * 1024 * 1024)) # address space per run, generous for threads
case ${PARQVIEW_SAN:-} in *address*) mem_kb=unlimited ;; esac

files=()
while IFS= read -r f; do files+=("$f"); done < <(cd "$corpus" && find data bad_data -name '*.parquet' | sort)

# run FILE: checks one parqview meta run; prints a reason and fails on a problem
check_run() {
	local f=$1 out err rc
	err=$(ulimit -v "$mem_kb"; timeout 20 "$PARQVIEW_BIN" meta "$f" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then echo "# $f: exit $rc: $err"; return 1; fi
	if [ "$(printf '%s' "$err" | grep -c '')" -gt 1 ]; then echo "# $f: more than one error line: $err"; return 1; fi
	if [ $rc -eq 3 ] && ! printf '%s' "$err" | grep -qF "$f"; then echo "# $f: error does not name the file: $err"; return 1; fi
	return 0
}

plan 3
# 1. every corpus and bad_data file as it is
bad=0
for f in "${files[@]}"; do check_run "$corpus/$f" || bad=1; done
_tap_report $bad "every corpus and bad_data file: clean exit"

# 2. truncations at the footer, in it, and far before it
bad=0 n=0
for f in "${files[@]}"; do
	size=$(stat -c %s "$corpus/$f")
	for cut in 1 4 8 9 $((size / 2)) 100 11; do
		[ "$cut" -lt "$size" ] || continue
		t=$tmp/trunc.parquet
		head -c $((size - cut)) "$corpus/$f" >"$t"
		check_run "$t" || { bad=1; echo "#   (from $f cut $cut)"; }
		n=$((n + 1))
	done
done
_tap_report $bad "truncated copies ($n runs)"

# 3. bit flips across the footer and its length field
bad=0 n=0
for f in "${files[@]}"; do
	size=$(stat -c %s "$corpus/$f")
	[ "$size" -gt 64 ] || continue
	flen=$(od -An -tu4 -j $((size - 8)) -N4 "$corpus/$f" | tr -d ' ')
	[ "$flen" -gt 0 ] 2>/dev/null && [ "$flen" -lt "$size" ] || flen=$((size - 12))
	for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
		# positions spread over the footer, plus the length field itself
		if [ $k -lt 18 ]; then pos=$((size - 8 - flen + (flen * k) / 18)); else pos=$((size - 8 + k - 18)); fi
		t=$tmp/flip.parquet
		cp "$corpus/$f" "$t"
		byte=$(od -An -tu1 -j "$pos" -N1 "$t" | tr -d ' ')
		printf "$(printf '\\%03o' $(((byte ^ (1 << (k % 8))) & 255)))" | dd of="$t" bs=1 seek="$pos" conv=notrunc status=none
		check_run "$t" || { bad=1; echo "#   (from $f flip at $pos)"; }
		n=$((n + 1))
	done
done
_tap_report $bad "bit-flipped copies ($n runs)"
finish
