# tests/corpus/gen_types.bash - the seeded file generator of the rows
# differential test (sourced by tests/corpus/diff_rows.sh; not a suite of
# its own, hence not *.sh).
#
#   gen_types SEED DIR > DIR/gen.sql   the DuckDB SQL that writes DIR/*.parquet
#                                      (run it with build/tools/duckq -f), and
#                                      DIR/files.txt: "name|description" lines
#   gen_column_names                   the files' column names, one a line
#   gen_rand N                         sets _gen_r to the next number in [0, N)
#                                      of the seed's stream (after gen_types:
#                                      the checks' offsets and sample seeds)
#
# Each seed gives six files, one per codec DuckDB writes. Per file the seed
# picks the row count (0, 1, a few, or several row groups), PARQUET_VERSION
# V1 or V2, ROW_GROUP_SIZE (DuckDB's row groups hold at least 2048 rows),
# a NULL density for each column (0 %, all NULL, or the file's density),
# for each column whether its values repeat (a handful of distinct values:
# DuckDB writes dictionary pages) or hardly ever do (plain pages), and
# DICTIONARY_SIZE_LIMIT (default, 1 byte: no dictionaries, or 300 bytes).
# Values come from DuckDB's hash() of (row, seed, column), so a seed always
# writes the same bytes with the same DuckDB; they include each type's edge
# values (min/max integers, NaN, infinities, -0.0, subnormals, years 1 and
# 9999, empty strings and blobs, empty and NULL lists, lists of NULLs, NULL
# structs, structs of NULLs, empty maps and NULL map values).
#
# Left out on purpose, as DuckDB renders them differently rather than reads
# them differently: infinite dates and timestamps (DuckDB's sentinels print
# as "infinity", parqview prints the stored value), map keys that are not
# strings or integers (DuckDB spells them as SQL text), TIMESTAMP_NS
# values within 0.03 % of the int64 ends (DuckDB writes them, then cannot
# read them back: "date out of range in timestamp_ns conversion"; parqview
# reads them, e.g. 1677-09-21T00:12:43.145225), GEOMETRY and
# VARIANT (rows.sh and the shared corpus cover them). Types DuckDB writes
# as something else are in, as what it writes: HUGEINT, UHUGEINT and BIGNUM
# as DOUBLE, BIT as a string, UNION as a struct with a tag field "", ENUM
# as a string, TIMETZ as a TIME adjusted to UTC, TIMESTAMP_S as micros.
# Uses bash only (64-bit shell arithmetic for the generator's stream).

_gen_state=1

# gen_seed SEED: restart the stream (a 64-bit LCG, Knuth's MMIX constants;
# shell arithmetic wraps the same way on every bash)
gen_seed() {
	_gen_state=$(($1 * 2654435761 + 88172645463325252))
	gen_rand 2
}

# gen_rand N: sets _gen_r to the next number in [0, N) (a variable, not
# output: a $(...) subshell would not advance the stream)
gen_rand() {
	_gen_state=$((_gen_state * 6364136223846793005 + 1442695040888963407))
	_gen_r=$((((_gen_state >> 33) & 0x7fffffff) % $1))
}

# _gen_pick WORD...: one of the words (without a subshell, so the stream
# advances in this shell)
_gen_pick() {
	local a=("$@")
	_gen_state=$((_gen_state * 6364136223846793005 + 1442695040888963407))
	_gen_w=${a[$(((((_gen_state >> 33) & 0x7fffffff)) % ${#a[@]}))]}
}

_gen_pow10() { printf '1%0*d' "$1" 0; }

# _gen_decimal P S X: an expression of type DECIMAL(P,S) from hash X, built
# as text so that every precision (up to 38 digits) gets full-width values
_gen_decimal() {
	local p=$1 s=$2 x=$3 v lim
	lim="$(_gen_pow10 "$p")::HUGEINT"
	if [ "$p" -gt 18 ]; then
		v="((($x) % 10000000000000000000)::HUGEINT * 10000000000000000000 + hash($x) % 10000000000000000000) % $lim"
	else
		v="(($x) % $(_gen_pow10 "$p"))::HUGEINT"
	fi
	# every eleventh value the extreme, every other one negative
	v="(CASE WHEN ($x) % 11 = 0 THEN $lim - 1 ELSE $v END) * (CASE WHEN ($x) % 2 = 0 THEN -1 ELSE 1 END)"
	echo "(list_transform([$v], lambda v: (CASE WHEN v < 0 THEN '-' ELSE '' END || (abs(v) // $(_gen_pow10 "$s")::HUGEINT)::VARCHAR || '.' || lpad((abs(v) % $(_gen_pow10 "$s")::HUGEINT)::VARCHAR, $s, '0'))::DECIMAL($p, $s)))[1]"
}

# the columns: "name|expression of X[ => type]" (X is a UBIGINT hash); the
# type, when given, is a cast applied after the NULLs are put in (DuckDB's
# CASE cannot yield an ARRAY)
_gen_columns() {
	cat <<'EOF'
b|X % 2 = 0
i8|CASE X % 13 WHEN 0 THEN -128 WHEN 1 THEN 127 ELSE (X % 256)::INTEGER - 128 END::TINYINT
i16|CASE X % 13 WHEN 0 THEN -32768 WHEN 1 THEN 32767 ELSE (X % 65536)::INTEGER - 32768 END::SMALLINT
i32|CASE X % 13 WHEN 0 THEN -2147483648 WHEN 1 THEN 2147483647 ELSE (X % 4294967296)::BIGINT - 2147483648 END::INTEGER
i64|CASE X % 13 WHEN 0 THEN -9223372036854775808 WHEN 1 THEN 9223372036854775807 ELSE X::HUGEINT - 9223372036854775808 END::BIGINT
u8|CASE X % 13 WHEN 0 THEN 0 WHEN 1 THEN 255 ELSE X % 256 END::UTINYINT
u16|CASE X % 13 WHEN 0 THEN 0 WHEN 1 THEN 65535 ELSE X % 65536 END::USMALLINT
u32|CASE X % 13 WHEN 0 THEN 0 WHEN 1 THEN 4294967295 ELSE X % 4294967296 END::UINTEGER
u64|CASE X % 13 WHEN 0 THEN 0 WHEN 1 THEN 18446744073709551615 ELSE X END::UBIGINT
hi|CASE X % 3 WHEN 0 THEN X::HUGEINT * (X % 9223372036854775807)::HUGEINT WHEN 1 THEN -(X::HUGEINT) ELSE (X % 1000)::HUGEINT END
uhi|(X::UHUGEINT * 1000003)
f32|CASE X % 12 WHEN 0 THEN 'nan'::FLOAT WHEN 1 THEN 'inf'::FLOAT WHEN 2 THEN '-inf'::FLOAT WHEN 3 THEN '-0.0'::FLOAT WHEN 4 THEN 1e-45::FLOAT WHEN 5 THEN 3.4028235e38::FLOAT WHEN 6 THEN (X::DOUBLE / 1e10)::FLOAT ELSE ((X % 2000001)::DOUBLE / 997 - 1000)::FLOAT END
f64|CASE X % 12 WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN 'inf'::DOUBLE WHEN 2 THEN '-inf'::DOUBLE WHEN 3 THEN '-0.0'::DOUBLE WHEN 4 THEN 5e-324::DOUBLE WHEN 5 THEN 1.7976931348623157e308::DOUBLE WHEN 6 THEN X::DOUBLE * 1e-200 WHEN 7 THEN -(X::DOUBLE) / 3 ELSE ((X % 2000001)::DOUBLE / 997 - 1000) END
dec1|@DEC 1 0
dec4|@DEC 4 2
dec9|@DEC 9 3
dec18|@DEC 18 6
dec20|@DEC 20 4
dec38|@DEC 38 10
s|CASE X % 8 WHEN 0 THEN '' WHEN 1 THEN 'é中文😀 ' || (X % 100)::VARCHAR WHEN 2 THEN 'q"''\' || chr(9) || chr(10) || chr(13) || chr(1) || chr(127) || '/' WHEN 3 THEN repeat('long ', (X % 400)::INTEGER) WHEN 4 THEN 'NULL' ELSE 'r' || X::VARCHAR END
bl|CASE X % 4 WHEN 0 THEN ''::BLOB WHEN 1 THEN '\x00\xFF"''\x5Cz'::BLOB ELSE unhex(repeat(printf('%016x', X), (X % 5)::INTEGER + 1)) END
dt|CASE X % 17 WHEN 0 THEN DATE '0001-01-01' WHEN 1 THEN DATE '9999-12-31' WHEN 2 THEN DATE '1970-01-01' ELSE DATE '1970-01-01' + ((X % 3652059)::BIGINT - 719162)::INTEGER END
tm|TIME '00:00:00' + to_microseconds((X % 86400000000)::BIGINT)
ts|CASE X % 17 WHEN 0 THEN TIMESTAMP '0001-01-01 00:00:00' WHEN 1 THEN TIMESTAMP '9999-12-31 23:59:59.999999' ELSE make_timestamp((X % 315537897600000000)::BIGINT - 62135596800000000) END
ts_s|make_timestamp((X % 315537897600000000)::BIGINT - 62135596800000000)::TIMESTAMP_S
ts_ms|make_timestamp((X % 315537897600000000)::BIGINT - 62135596800000000)::TIMESTAMP_MS
ts_ns|make_timestamp_ns(((X % 18400000000000000000)::HUGEINT - 9200000000000000000)::BIGINT)
tstz|make_timestamp((X % 315537897600000000)::BIGINT - 62135596800000000)::TIMESTAMPTZ
ttz|((TIME '00:00:00' + to_microseconds((X % 86400000000)::BIGINT))::VARCHAR || CASE X % 3 WHEN 0 THEN '+05:30' WHEN 1 THEN '-03' ELSE '+00' END)::TIMETZ
iv|to_months((X % 300)::INTEGER) + to_days(((X // 300) % 40)::INTEGER) + to_milliseconds(((X // 12000) % 100000000)::BIGINT)
u|printf('%016x%016x', X, hash(X))::UUID
j|CASE X % 5 WHEN 0 THEN json_object('a', X, 's', 'x' || (X % 9)::VARCHAR, 'n', NULL) WHEN 1 THEN '[1, 2.5, null, "s", {"k": []}]'::JSON WHEN 2 THEN '"str"'::JSON WHEN 3 THEN '{}'::JSON ELSE (X % 1000)::VARCHAR::JSON END
e|(['', 'ok', 'é😀', 'a"b'])[(X % 4)::INTEGER + 1]::@ENUM
l|CASE X % 5 WHEN 0 THEN []::INTEGER[] WHEN 1 THEN [NULL, NULL]::INTEGER[] ELSE list_transform(range((X % 6)::INTEGER), lambda j: CASE WHEN (X + j) % 4 = 0 THEN NULL ELSE ((X + j) % 1000)::INTEGER END) END
ll|list_transform(range((X % 4)::INTEGER), lambda j: CASE WHEN j = 1 THEN NULL WHEN j = 2 THEN []::VARCHAR[] ELSE ['a' || (X % 10)::VARCHAR, NULL, ''] END)
st|CASE X % 3 WHEN 0 THEN {'a': NULL::INTEGER, 'b': NULL::VARCHAR, 'c': NULL::DOUBLE} ELSE {'a': (X % 100)::INTEGER, 'b': 'b' || (X % 7)::VARCHAR, 'c': (X % 9)::DOUBLE / 4} END
m|map_from_entries(list_transform(range((X % 4)::INTEGER), lambda j: {'k': 'k' || j::VARCHAR, 'v': CASE WHEN j = 1 THEN NULL ELSE (X % 50 + j)::INTEGER END}))
mi|map_from_entries(list_transform(range((X % 3)::INTEGER), lambda j: {'k': (j * 7 - 3)::INTEGER, 'v': 'v' || (X % 10)::VARCHAR}))
ls|list_transform(range((X % 4)::INTEGER), lambda j: CASE WHEN j = 2 THEN NULL ELSE {'x': j::INTEGER, 's': CASE WHEN j = 1 THEN NULL ELSE 's' || (X % 5)::VARCHAR END} END)
sl|{'l': CASE X % 3 WHEN 0 THEN NULL ELSE list_transform(range((X % 3)::INTEGER), lambda j: j::INTEGER) END, 'm': [[(X % 5)::INTEGER], []]}
arr|CASE X % 4 WHEN 0 THEN [NULL, 1, 2] ELSE [(X % 10)::INTEGER, (X % 7)::INTEGER, NULL] END => INTEGER[3]
deep|{'a': list_transform(range((X % 3)::INTEGER), lambda j: {'m': MAP {'k': [j::INTEGER, NULL]}, 'z': CASE WHEN j = 0 THEN NULL ELSE 'z' END}), 'b': X % 2 = 0}
tns|printf('%02d:%02d:%02d.%09d', X % 24, (X // 24) % 60, (X // 1440) % 60, (X // 86400) % 1000000000)::TIME_NS
bits|CASE X % 3 WHEN 0 THEN '0'::BIT WHEN 1 THEN bitstring(printf('%b', X % 4096), 13) ELSE bitstring(printf('%b', X), 70) END
un|CASE X % 3 WHEN 0 THEN union_value(n := (X % 100)::INTEGER)::UNION(n INTEGER, s VARCHAR) ELSE union_value(s := 'u' || (X % 9)::VARCHAR)::UNION(n INTEGER, s VARCHAR) END
big|CASE X % 2 WHEN 0 THEN X::BIGNUM * X::BIGNUM * X::BIGNUM ELSE -(X::BIGNUM) END
lll|list_transform(range((X % 3)::INTEGER), lambda j: CASE WHEN j = 1 THEN NULL ELSE [[j::INTEGER, NULL], [], NULL] END)
sss|{'x': {'y': CASE WHEN X % 3 = 0 THEN NULL ELSE {'z': (X % 7)::INTEGER, 'w': NULL::VARCHAR} END}}
mm|CASE X % 3 WHEN 0 THEN MAP {'a': MAP {'b': 1}, 'c': NULL} WHEN 1 THEN MAP {'d': MAP {}} ELSE MAP {} END
lm|CASE X % 3 WHEN 0 THEN [MAP {'a': (X % 10)::INTEGER}, NULL, MAP {}] WHEN 1 THEN [] ELSE NULL END
"wé ird.""k"|'w' || (X % 3)::VARCHAR
EOF
}

# gen_column_names: the generated files' column names, one a line
gen_column_names() {
	echo i
	_gen_columns | cut -d'|' -f1
}

# gen_types SEED DIR
gen_types() {
	local seed=$1 dir=$2 codec k name expr rows ver rg dens col_d card x desc enum p s cast dict opts
	gen_seed "$seed"
	enum=mood_$seed
	: >"$dir/files.txt"
	echo "SET threads = 1;"
	echo "SET TimeZone = 'UTC';"
	echo "CREATE TYPE $enum AS ENUM ('', 'ok', 'é😀', 'a\"b');"
	for codec in uncompressed snappy gzip zstd lz4 brotli; do
		_gen_pick 0 1 2 3 17 100 1000 2049 4500 7000; rows=$_gen_w
		_gen_pick V1 V2; ver=$_gen_w
		_gen_pick 2048 4096 100000; rg=$_gen_w
		_gen_pick 0 5 30 70 95; dens=$_gen_w
		# DuckDB's dictionary byte limit: its default (dictionaries where
		# values repeat), none at all, or a small one that only some
		# columns fit in
		_gen_pick default default 1 300; dict=$_gen_w
		local cols="i" hashes="i"
		k=0
		while IFS='|' read -r name expr; do
			cast=
			if [[ $expr == *' => '* ]]; then cast=${expr##* => } expr=${expr% => *}; fi
			k=$((k + 1))
			_gen_pick 0 "$dens" "$dens" "$dens" 100; col_d=$_gen_w
			_gen_pick 1 3 7 0 0; card=$_gen_w
			# a repeating column takes its values from a few hashes
			if [ "$card" = 0 ]; then
				hashes+=", hash(i, $seed, $k) AS x$k"
			else
				hashes+=", hash(hash(i, $seed, $k) % $card, $seed, $k) AS x$k"
			fi
			x="x$k"
			if [[ $expr == @DEC* ]]; then
				read -r _ p s <<<"$expr"
				expr=$(_gen_decimal "$p" "$s" "$x")
			else
				expr=${expr//@ENUM/$enum}
				expr=$(printf '%s' "$expr" | sed "s/\bX\b/$x/g")
			fi
			[ "$col_d" = 0 ] || expr="CASE WHEN hash(i, $seed, $k, 'null') % 100 < $col_d THEN NULL ELSE $expr END"
			[ -z "$cast" ] || expr="($expr)::$cast"
			cols+=", $expr AS $name"
		done < <(_gen_columns)
		opts="FORMAT parquet, COMPRESSION $codec, PARQUET_VERSION $ver, ROW_GROUP_SIZE $rg"
		[ "$dict" = default ] || opts+=", DICTIONARY_SIZE_LIMIT $dict"
		echo "COPY (SELECT $cols FROM (SELECT $hashes FROM range($rows) t(i)) ORDER BY i) TO '$dir/$codec.parquet' ($opts);"
		desc="$codec $ver, $rows rows, row groups of $rg, nulls $dens%, dictionary limit $dict"
		echo "$codec|$desc" >>"$dir/files.txt"
	done
}
