#!/usr/bin/env bash
# tests/corpus/stream_rows.sh - pages streamed through a window (read/chunk.h
# "Streaming") read the same rows as pages decompressed whole. DuckDB writes
# a file with one big zstd page per column chunk (the shape that streams):
# long strings, some longer than the window, a nullable list column whose
# levels outrun a level step, doubles and timestamps. Every read is compared
# with the same read under --verify (which reads pages whole, and is
# itself compared with DuckDB by diff_rows.sh): the whole file, head, tail,
# row ranges at random places. Then the same with gzip and brotli pages,
# and with every page streamed (PARQVIEW_STREAM_MIN=1).
set -u
. "$PARQVIEW_ROOT/tests/tap.sh"
duckq=$PARQVIEW_BUILD/tools/duckq
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT


# make CODEC ROWS: writes $tmp/CODEC.parquet
make_file() {
	local rows=$2
	"$duckq" -c "COPY (SELECT i AS id,
		CASE WHEN i % 9973 = 5 THEN repeat('w' || (i % 10)::VARCHAR, 200000)
		     ELSE repeat(chr((97 + i % 26)::INTEGER), (hash(i) % 700)::INTEGER) || i::VARCHAR END AS text,
		CASE WHEN i % 17 = 0 THEN NULL ELSE
			list_transform(range((hash(i, 'n') % 12)::BIGINT), lambda k: (hash(i, k) % 1000)::INTEGER) END AS numbers,
		CASE WHEN i % 5 = 0 THEN NULL ELSE (hash(i, 'd') % 100000) / 7.0 END AS value,
		TIMESTAMP '2024-01-01' + to_microseconds(i * 1000003) AS ts
		FROM range($rows) t(i))
		TO '$tmp/$1.parquet' (FORMAT parquet, COMPRESSION $1, ROW_GROUP_SIZE 40000)" >/dev/null
}

# same NAME ARGS...: `cat ARGS` streamed equals `cat --verify ARGS`
same() {
	local name=$1 a b ra rb
	shift
	a=$("$PARQVIEW_BIN" cat --format jsonl "$@" 2>&1)
	ra=$?
	b=$("$PARQVIEW_BIN" cat --verify --format jsonl "$@" 2>&1)
	rb=$?
	if [ $ra -eq 0 ] && [ $rb -eq 0 ] && [ -n "$a" ] && [ "$a" = "$b" ]; then
		_tap_report 0 "$name"
	else
		echo "# streamed (exit $ra) and whole (exit $rb) reads differ: $*"
		diff <(echo "$a") <(echo "$b") | head -5 | sed 's/^/# /' | cut -c1-200
		_tap_report 1 "$name"
	fi
}

# DuckDB's brotli writer is slow (30 s for the zstd file's 30 MB): a
# smaller brotli file, every page streamed
codecs=(zstd:60000 gzip:60000 brotli:12000)
plan $((${#codecs[@]} * 10 + 1))
for cr in "${codecs[@]}"; do
	codec=${cr%%:*} rows=${cr#*:}
	if [ "$codec" = brotli ]; then export PARQVIEW_STREAM_MIN=1; fi
	make_file "$codec" "$rows"
	f=$tmp/$codec.parquet
	is "$codec: DuckDB wrote $rows rows" "$("$PARQVIEW_BIN" count "$f" 2>&1)" "$rows"
	same "$codec: every row" "$f"
	same "$codec: head" --rows :20 "$f"
	same "$codec: tail" --rows $((rows - 20)): "$f"
	same "$codec: rows around a string longer than the window" --rows 9970:9990 "$f"
	same "$codec: rows across a row group end or the last rows" --rows $((rows > 40000 ? 39990 : rows - 20)):$((rows > 40000 ? 40010 : rows)) "$f"
	for k in 1 2 3; do
		a=$(((RANDOM * 32768 + RANDOM) % rows))
		same "$codec: rows $a:+50" --rows "$a:$((a + 50))" "$f"
	done
	PARQVIEW_STREAM_MIN=1 same "$codec: every page streamed" --rows 100:40100 "$f"
done
# the first row group's text page is about 13 MB: a head reads a window of it
like "the text page streams (over 1 MiB)" "$("$PARQVIEW_BIN" meta --pages "$tmp/zstd.parquet" | awk '/pages of .text./ {p=1; next} p && /DATA_PAGE/ {print $8, $9; exit}')" "^[0-9.]+ MiB$"
finish
