# tests/tap.sh - a tiny TAP helper sourced by the shell test suites.
# Usage: plan N; ok "name" cmd...; is "name" "got" "want"; finish
_tap_n=0
_tap_fail=0
plan() { echo "1..$1"; }
_tap_report() { # status name
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"; else echo "not ok $_tap_n - $2"; _tap_fail=1; fi
}
# ok NAME CMD... : passes when CMD exits 0
ok() { local name=$1; shift; "$@" >/dev/null 2>&1; _tap_report $? "$name"; }
# is NAME GOT WANT : passes when the strings are equal
is() {
	if [ "$2" == "$3" ]; then _tap_report 0 "$1"; else
		_tap_report 1 "$1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3" | head -n 40
	fi
}
# like NAME GOT REGEX : passes when GOT matches the extended regex
like() {
	if printf '%s' "$2" | grep -qE -- "$3"; then _tap_report 0 "$1"; else
		_tap_report 1 "$1"
		printf '#   got:  %s\n#   want match: %s\n' "$2" "$3" | head -n 40
	fi
}
finish() { exit $_tap_fail; }
