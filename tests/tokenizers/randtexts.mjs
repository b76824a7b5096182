// randtexts.mjs - random texts for tests/tokenizers/agree.sh, as JSON lines:
// words, numbers, punctuation, CJK, emoji, accents (composed and not),
// white space runs of every kind the tokenizers treat specially, and
// pieces of special tokens, glued at random. Deterministic for a seed.
//
//   node randtexts.mjs SEED N
const [seed, n] = [Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 200)];
let s = seed >>> 0 || 1;
const rnd = (k) => {
  // xorshift32: the same texts on every machine
  s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
  return s % k;
};
const pool = [
  "the", "The", " quick", "brown", "FOX", "jumps", "over", "lazy", "dog", "tokenization",
  "don't", "I'M", "we'll", "'s", "'Re", "x", "a", "I", "0", "7", "42", "2024", "123456789",
  "3.14", "-1e9", "1,000", ".", ",", "!", "?", "...", ";", ":", "(", ")", "[", "]", "{", "}",
  "\"", "'", "-", "--", "_", "/", "\\", "#", "@", "$", "%", "&", "*", "+", "=", "<", ">", "|",
  "~", "`", "^", " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", "\u00a0",
  "\u3000", "\u2003", "\u200b", "\u200d", "你好", "世界", "東京", "カタカナ", "한국어", "😀", "👍🏽",
  "👨‍👩‍👧", "🇫🇷", "❤️", "é", "e\u0301", "ñ", "n\u0303", "ü", "Å", "ﬁ", "²", "Ｆｕｌｌ", "Привет",
  "Γειά", "مرحبا", "שלום", "नमस्ते", "สวัสดี", "Việt", "ǅ", "İ", "ß", "ΣΊΣ", "<|endoftext|>",
  "<|im_start|>", "<|im_end|>", "<s>", "</s>", "<unk>", "<bos>", "<eos>", "<|begin_of_text|>",
  "<|eot_id|>", "<|", "|>", "<0x41>", "▁", "▁▁", "Ġ", "camelCase", "snake_case", "http://x.y/z?a=1",
];
const out = [];
for (let i = 0; i < n; i++) {
  const parts = 1 + rnd(i % 10 === 0 ? 200 : 25);
  let t = "";
  for (let k = 0; k < parts; k++) t += pool[rnd(pool.length)];
  out.push(JSON.stringify(t));
}
process.stdout.write(out.join("\n") + "\n");
