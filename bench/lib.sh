# bench/lib.sh - what the bench/*.sh scripts share: where things are, the
# timing of a command, medians, ratios. Sourced after setting root, never run:
#
#   root=$(cd "$(dirname "$0")/.." && pwd)
#   . "$root/bench/lib.sh"
#   bench_init "${1:-build}" duckq time
#
# It defines functions and, in bench_init, the variables below; it runs
# nothing on its own and generates no data (bench/gen.sh does).

# bench_init BUILD [NEED...]: sets bench_name (the script's name, for
# messages), build, bin, duckq, data (PARQVIEW_BENCH_DATA or bench/data),
# runs (PARQVIEW_BENCH_RUNS, default 7), slow_runs (PARQVIEW_BENCH_SLOW_RUNS,
# default 3) and tmp (a directory removed on exit by bench_cleanup; a script
# setting its own EXIT trap calls bench_cleanup from it). Each NEED is a tool
# in BUILD/tools ("duckq", "decodebench"), "time" for /usr/bin/time or
# "hyperfine" (installed when missing and running as root); parqview itself is always
# needed. A missing one stops the script with one line on stderr.
bench_init() {
	local t
	bench_name="bench/$(basename "$0")"
	build=$root/$1
	shift
	bin=$build/parqview
	duckq=$build/tools/duckq
	data=${PARQVIEW_BENCH_DATA:-$root/bench/data}
	runs=${PARQVIEW_BENCH_RUNS:-7}
	slow_runs=${PARQVIEW_BENCH_SLOW_RUNS:-3}
	for t in parqview "$@"; do
		case $t in
		hyperfine)
			if ! command -v hyperfine >/dev/null && [ "$(id -u)" = 0 ]; then
				apt-get install -y -qq hyperfine >/dev/null
			fi
			if ! command -v hyperfine >/dev/null; then
				echo "$bench_name: hyperfine is missing (Debian package 'hyperfine')" >&2
				exit 1
			fi
			;;
		time)
			if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then
				apt-get install -y -qq time >/dev/null
			fi
			if [ ! -x /usr/bin/time ]; then
				echo "$bench_name: /usr/bin/time is missing (Debian package 'time')" >&2
				exit 1
			fi
			;;
		parqview)
			if [ ! -x "$bin" ]; then
				echo "$bench_name: '$bin' is missing: run 'make all' first" >&2
				exit 1
			fi
			;;
		*)
			if [ ! -x "$build/tools/$t" ]; then
				echo "$bench_name: '$build/tools/$t' is missing: run 'make all' first" >&2
				exit 1
			fi
			;;
		esac
	done
	tmp=$(mktemp -d)
	trap bench_cleanup EXIT
}

bench_cleanup() { rm -rf "$tmp"; }

# median X...: the median of the numbers (the upper one of an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure N CMD...: runs CMD N times, each under /usr/bin/time, its output
# to $bench_out (default /dev/null), and sets the medians of the N runs:
# ms (wall time in ms, one decimal), wall (the same in seconds), cpu_ms
# (user + system CPU time in ms, which a busy machine disturbs less than
# the wall time), cpu (the same in seconds, two decimals) and kb (peak RSS
# in KiB). An exit status above $bench_ok_rc (default 0; 1 for commands
# whose 1 means they found something) stops the script with the command's
# stderr.
measure() {
	local n=$1 i s e rc u sy k t=() c=() m=()
	shift
	for ((i = 0; i < n; i++)); do
		s=$(date +%s%N)
		rc=0
		/usr/bin/time -o "$tmp/time" -f '%U %S %M' "$@" >"${bench_out:-/dev/null}" 2>"$tmp/err" || rc=$?
		e=$(date +%s%N)
		if [ "$rc" -gt "${bench_ok_rc:-0}" ]; then
			echo "$bench_name: failed ($rc): $*" >&2
			cat "$tmp/err" >&2
			exit 1
		fi
		# time writes "Command exited with non-zero status" first then
		read -r u sy k < <(tail -n 1 "$tmp/time")
		t+=($(((e - s) / 1000)))
		c+=("$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.0f", (u + s) * 1000 }')")
		m+=("$k")
	done
	ms=$(awk -v us="$(median "${t[@]}")" 'BEGIN { printf "%.1f", us / 1000 }')
	wall=$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')
	cpu_ms=$(median "${c[@]}")
	cpu=$(awk -v ms="$cpu_ms" 'BEGIN { printf "%.2f", ms / 1000 }')
	kb=$(median "${m[@]}")
}

# measure_fast N CMD...: for commands of a few milliseconds, where the
# fork and exec of /usr/bin/time and of date (measure's way) are a good
# part of what is timed and compress ratios: hyperfine -N (no shell) runs
# CMD twice to warm up, then N times, and gives ms (the median wall time)
# and cpu_ms (mean user + system CPU time, as hyperfine 1.15 reports it);
# then CMD runs 3 times under /usr/bin/time for kb (median peak RSS).
# Sets ms, wall, cpu_ms, cpu and kb as measure does; needs hyperfine (the
# NEED "hyperfine" of bench_init). Output goes to /dev/null; an exit status
# above 0 stops the script with the command's stderr.
measure_fast() {
	local n=$1 i k m=()
	shift
	if ! "$@" >/dev/null 2>"$tmp/err"; then
		echo "$bench_name: failed: $*" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	# hyperfine -N splits the command line on spaces itself: quote each word
	local q="" w
	for w in "$@"; do q+="$(printf '%q' "$w") "; done
	hyperfine -N -w 2 -r "$n" --export-json "$tmp/hf.json" "$q" >/dev/null 2>"$tmp/err" || {
		echo "$bench_name: hyperfine failed: $*" >&2
		cat "$tmp/err" >&2
		exit 1
	}
	read -r ms cpu_ms < <(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = sorted(r["times"])
print("%.1f %.0f" % (1000 * t[(len(t) - 1) // 2], 1000 * (r["user"] + r["system"])))' "$tmp/hf.json")
	for ((i = 0; i < 3; i++)); do
		/usr/bin/time -o "$tmp/time" -f '%M' "$@" >/dev/null 2>&1
		read -r k < <(tail -n 1 "$tmp/time")
		m+=("$k")
	done
	wall=$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')
	cpu=$(awk -v ms="$cpu_ms" 'BEGIN { printf "%.2f", ms / 1000 }')
	kb=$(median "${m[@]}")
}

# ratio A B [DECIMALS]: "A/Bx" with DECIMALS (default 1) decimals, "-" when B is 0
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b > 0) printf "%.*fx", d, a / b; else print "-" }'; }
# mib KIB: KiB as whole MiB
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
# verdict VALUE OP TARGET (OP ">=" or "<="): "met" or "NOT met"
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = op == ">=" ? v >= t : v <= t; print ok ? "met" : "NOT met" }'; }
