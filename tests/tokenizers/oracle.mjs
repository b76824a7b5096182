// oracle.mjs - the independent side of tests/tokenizers/agree.sh: token
// counts from Hugging Face's own JS port of `tokenizers`
// (@huggingface/tokenizers, pinned in package.json) for texts given as JSON
// lines, one count a line, as encode(text, {add_special_tokens: false}).
//
//   node oracle.mjs TOKENIZER_DIR < TEXTS.jsonl
//
// TOKENIZER_DIR holds tokenizer.json and, when present, tokenizer_config.json.
import { readFileSync, existsSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const dir = process.argv[2];
const json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, "utf8"));
const cfgPath = `${dir}/tokenizer_config.json`;
const config = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, "utf8")) : {};
const tok = new Tokenizer(json, config);
const lines = readFileSync(0, "utf8").split("\n").filter((l) => l.length);
const out = [];
for (const line of lines) {
  const text = JSON.parse(line);
  out.push(String(tok.encode(text, { add_special_tokens: false }).ids.length));
}
process.stdout.write(out.join("\n") + "\n");
