/*
 * test_tokenize.c - tokenizer.json components (analyze/tokenize.h) on tiny
 * hand-made vocabularies whose counts are worked out by hand from the
 * tokenizers crate's rules: Split behaviors and invert, Metaspace prepend
 * schemes and split, the normalizers, byte_fallback, unk and fuse_unk,
 * ignore_merges, continuing_subword_prefix / end_of_word_suffix, added
 * tokens (lstrip, rstrip, single_word, normalized), the post-processor's
 * special tokens, invalid UTF-8, and the errors for what is not supported.
 * The real tokenizers (GPT-2, Llama 2/3, Qwen 2.5, Gemma) are compared with
 * Hugging Face's JS library in tests/tokenizers/agree.sh.
 */
#include "testutil.h"

#include <stdbool.h>
#include <unistd.h>

#include "analyze/tokenize.h"

/* Writes json to a temporary file and loads it; the code, *out set on 0. */
static int load(const char *json, pv_tokenizer **out, pv_err *err)
{
	char path[] = "/tmp/pv_tok_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(json);
	assert_int_equal(write(fd, json, n), (ssize_t)n);
	close(fd);
	pv_err_clear(err);
	int rc = pv_tokenizer_load(path, out, err);
	unlink(path);
	return rc;
}

static pv_tokenizer *must_load(const char *json)
{
	pv_tokenizer *t = NULL;
	pv_err err;
	if (load(json, &t, &err))
		fail_msg("load: %s\n%s", err.msg, json);
	return t;
}

/* tmpl with each "%s" replaced by the next of a, b, c (a printf without
 * a format string the compiler cannot check). */
static const char *fill(char *buf, size_t size, const char *tmpl, const char *a, const char *b,
			const char *c)
{
	const char *args[] = {a, b, c};
	size_t o = 0, k = 0;
	for (const char *p = tmpl; *p; p++) {
		const char *ins = NULL;
		if (p[0] == '%' && p[1] == 's' && k < 3) {
			ins = args[k++];
			p++;
		}
		size_t l = ins ? strlen(ins) : 1;
		assert_true(o + l < size);
		memcpy(buf + o, ins ? ins : p, l);
		o += l;
	}
	buf[o] = '\0';
	return buf;
}

struct tcase {
	const char *text;
	int64_t tokens;
};

static void expect_counts(const char *json, const struct tcase *c, size_t n)
{
	pv_tokenizer *t = must_load(json);
	for (size_t i = 0; i < n; i++) {
		int64_t got = pv_tokenizer_count(t, c[i].text, strlen(c[i].text));
		if (got != c[i].tokens)
			fail_msg("'%s': %lld tokens, want %lld\n%s", c[i].text, (long long)got,
				 (long long)c[i].tokens, json);
	}
	pv_tokenizer_free(t);
}

#define COUNTS(json, ...)                                                                          \
	do {                                                                                       \
		static const struct tcase cs_[] = {__VA_ARGS__};                                   \
		expect_counts(json, cs_, sizeof cs_ / sizeof cs_[0]);                              \
	} while (0)

/* a, '-', and merges a+- (0), -+a (1), -+- (2) */
#define SPLIT_VOCAB                                                                                \
	"\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"-\": 1, \"a-\": 2, \"-a\": 3, "    \
	"\"--\": 4}, \"merges\": [\"a -\", \"- a\", \"- -\"]}"

static char *split_json(const char *behavior, bool invert)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "{\"added_tokens\": [], \"normalizer\": null, \"pre_tokenizer\": {\"type\": "
		 "\"Split\", \"pattern\": {\"String\": \"-\"}, \"behavior\": \"%s\", \"invert\": "
		 "%s}, " SPLIT_VOCAB "}",
		 behavior, invert ? "true" : "false");
	return buf;
}

static void test_split(void **state)
{
	(void)state;
	/* no pre-tokenizer: a - - a -> (a-) - a -> (a-)(-a) */
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, " SPLIT_VOCAB "}", {"a--a", 2},
	       {"a-a-", 2}, {"", 0});
	COUNTS(split_json("Removed", false), {"a--a", 2}, {"a--a-", 2}, {"---", 0});
	COUNTS(split_json("Removed", true), {"a--a-", 3}, {"aaa", 0});
	COUNTS(split_json("Isolated", false), {"a--a", 4}, {"a-a-", 4});
	COUNTS(split_json("MergedWithPrevious", false), {"a--a", 3}, {"a-a-", 2});
	COUNTS(split_json("MergedWithNext", false), {"a--a", 3}, {"a-a-", 3});
	COUNTS(split_json("Contiguous", false), {"a--a", 3}, {"a-a-", 4});
	/* a Regex pattern, and Digits / Punctuation on the same vocabulary */
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": "
	       "{\"Regex\": \"-+\"}, \"behavior\": \"Isolated\"}, " SPLIT_VOCAB "}",
	       {"a--a", 3}, {"a---a", 4});
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Punctuation\"}, " SPLIT_VOCAB
	       "}",
	       {"a--a", 4});
	COUNTS(
	    "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Punctuation\", \"behavior\": "
	    "\"Contiguous\"}, " SPLIT_VOCAB "}",
	    {"a--a", 3});
}

/* ▁, a, b and merges ▁+a, a+b, ▁a+b; <unk>, the byte <0x21> ("!") */
#define META_MODEL(extra)                                                                          \
	"\"model\": {\"type\": \"BPE\", \"unk_token\": \"<unk>\", \"byte_fallback\": true, " extra \
	"\"vocab\": {\"<unk>\": 0, \"\u2581\": 1, \"a\": 2, \"b\": 3, \"\u2581a\": 4, \"ab\": 5, " \
	"\"\u2581ab\": 6, \"<0x21>\": 7}, \"merges\": [\"\u2581 a\", \"a b\", \"\u2581a b\"]}"

static void test_metaspace(void **state)
{
	(void)state;
	const char *pre =
	    "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Metaspace\", "
	    "\"replacement\": \"\u2581\", \"prepend_scheme\": \"%s\", \"split\": %s}, %s}";
	char buf[2048];
	fill(buf, sizeof buf, pre, "always", "true", META_MODEL("\"fuse_unk\": true, "));
	COUNTS(buf, {"ab", 1}, {"ab ab", 2}, {"a  b", 4}, /* ▁a ▁ ▁b(2) */
	       {" ab", 1},				  /* the space is the ▁: no second one */
	       {"!", 2},				  /* ▁, byte fallback <0x21> */
	       {"\xc3\xa9", 2},				  /* ▁, <unk>: no <0xC3> */
	       {"\xc3\xa9\xc3\xa9", 2},			  /* ▁, one fused <unk> */
	       {"b", 2});
	fill(buf, sizeof buf, pre, "always", "true", META_MODEL("\"fuse_unk\": false, "));
	COUNTS(buf, {"\xc3\xa9\xc3\xa9", 3});
	fill(buf, sizeof buf, pre, "never", "true", META_MODEL(""));
	COUNTS(buf, {"ab", 1}, {"b", 1}, {"b ab", 2});
	fill(buf, sizeof buf, pre, "first", "true", META_MODEL(""));
	COUNTS(buf, {"b", 2}, {"ab", 1});
	/* without split, ▁a▁ab is one piece: ▁a ▁ab still, by rank */
	fill(buf, sizeof buf, pre, "always", "false", META_MODEL(""));
	COUNTS(buf, {"a ab", 2}, {"", 0});
	/* the legacy add_prefix_space */
	snprintf(buf, sizeof buf,
		 "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Metaspace\", "
		 "\"replacement\": \"\u2581\", \"add_prefix_space\": false}, %s}",
		 META_MODEL(""));
	COUNTS(buf, {"b", 1});
}

/* one token per character, unknown characters dropped (no unk_token) */
#define CHAR_MODEL                                                                                 \
	"\"model\": {\"type\": \"BPE\", \"vocab\": {\" \": 0, \"a\": 1, \"b\": 2, \"c\": 3, "      \
	"\"e\": 4, \"f\": 5, \"i\": 6, \"\u2581\": 7}, \"merges\": []}"

static void test_normalizers(void **state)
{
	(void)state;
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, " CHAR_MODEL "}", {"ABC", 0},
	       {"abc", 3}, {"\xef\xac\x81", 0}, {"  ab  ", 6},
	       {"a\xff"
		"b",
		2},
	       {"\xff\xfe", 0}, {"\xe2\x82", 0});
	COUNTS("{\"normalizer\": {\"type\": \"Lowercase\"}, \"pre_tokenizer\": null, " CHAR_MODEL
	       "}",
	       {"ABC", 3},
	       {"a\xff"
		"B",
		2});
	/* character by character, as Rust's char::to_lowercase: a final
	 * capital sigma is σ, not ς */
	COUNTS(
	    "{\"normalizer\": {\"type\": \"Lowercase\"}, \"pre_tokenizer\": null, \"model\": "
	    "{\"type\": \"BPE\", \"vocab\": {\"\u03c3\": 0, \"\u03b1\": 1, \"i\": 2}, \"merges\": "
	    "[]}}",
	    {"\xce\xa3\xce\x91\xce\xa3", 3}, {"\xc4\xb0", 1});
	/* NFKC: the ligature fi is f + i */
	COUNTS("{\"normalizer\": {\"type\": \"NFKC\"}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	       {"\xef\xac\x81", 2}, {"e\xcc\x81", 0});
	/* NFD then StripAccents: é is e */
	COUNTS("{\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFD\"}, "
	       "{\"type\": \"StripAccents\"}]}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	       {"\xc3\xa9", 1}, {"caf\xc3\xa9", 4});
	COUNTS("{\"normalizer\": {\"type\": \"Strip\", \"strip_left\": true, \"strip_right\": "
	       "true}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	       {"  ab  ", 2},
	       {"\xe3\x80\x80"
		"a\t",
		1});
	COUNTS("{\"normalizer\": {\"type\": \"Strip\", \"strip_left\": false, \"strip_right\": "
	       "true}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	       {"  ab  ", 4});
	COUNTS("{\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"Regex\": \"[0-9]+\"}, "
	       "\"content\": \"a\"}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	       {"b12c3", 4}, {"123", 1});
	/* Prepend, then Replace a space: the Llama 2 normalizer */
	COUNTS(
	    "{\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Prepend\", "
	    "\"prepend\": \"\u2581\"}, {\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, "
	    "\"content\": \"\u2581\"}]}, \"pre_tokenizer\": null, " CHAR_MODEL "}",
	    {"ab", 3}, {"a b", 4}, {"", 0});
}

static void test_model(void **state)
{
	(void)state;
	const char *im =
	    "{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": "
	    "\"BPE\", \"ignore_merges\": %s, \"vocab\": {\"a\": 0, \"b\": 1, \"c\": 2, "
	    "\"ab\": 3, \"abc\": 4}, \"merges\": [[\"a\", \"b\"]]}}";
	char buf[1024];
	fill(buf, sizeof buf, im, "true", NULL, NULL);
	COUNTS(buf, {"abc", 1}, {"abcabc", 4}); /* not a token: ab c ab c */
	fill(buf, sizeof buf, im, "false", NULL, NULL);
	COUNTS(buf, {"abc", 2});
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": \"BPE\", "
	       "\"continuing_subword_prefix\": \"##\", \"vocab\": {\"a\": 0, \"b\": 1, \"##a\": 2, "
	       "\"##b\": 3, \"ab\": 4}, \"merges\": [\"a ##b\"]}}",
	       {"ab", 1}, {"ba", 2}, {"aab", 3});
	COUNTS(
	    "{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": \"BPE\", "
	    "\"end_of_word_suffix\": \"</w>\", \"vocab\": {\"a\": 0, \"b</w>\": 1, \"ab</w>\": 2, "
	    "\"b\": 3}, \"merges\": [\"a b</w>\"]}}",
	    {"ab", 1}, {"ba", 1}); /* b, a</w> unknown and dropped */
	/* a pair listed twice keeps its last rank: b c (1) before a b (2) */
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": \"BPE\", "
	       "\"vocab\": {\"a\": 0, \"b\": 1, \"c\": 2, \"ab\": 3, \"bc\": 4, \"abc\": 5}, "
	       "\"merges\": [\"a b\", \"b c\", \"a b\", \"a bc\"]}}",
	       {"abc", 1});
	/* whitespace pre-tokenizers on the character vocabulary */
	COUNTS(
	    "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"}, " CHAR_MODEL
	    "}",
	    {" a  b ", 2});
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Whitespace\"}, " CHAR_MODEL
	       "}",
	       {" a  b ", 2});
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": {\"type\": "
	       "\"BertPreTokenizer\"}, " CHAR_MODEL "}",
	       {" a  b ", 2});
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Digits\", "
	       "\"individual_digits\": true}, " CHAR_MODEL "}",
	       {"a12b", 2});
}

static void test_added(void **state)
{
	(void)state;
	const char *fmt =
	    "{\"added_tokens\": [%s], \"normalizer\": %s, \"pre_tokenizer\": null, " CHAR_MODEL "}";
	char buf[2048];
	fill(buf, sizeof buf, fmt, "{\"id\": 9, \"content\": \"<x>\", \"special\": true}", "null",
	     NULL);
	COUNTS(buf, {"a <x> b", 5}, {"<x><x>", 2}, {"<x", 0}, {"<x>", 1});
	fill(buf, sizeof buf, fmt,
	     "{\"id\": 9, \"content\": \"<x>\", \"special\": true, \"lstrip\": true, "
	     "\"rstrip\": true}",
	     "null", NULL);
	COUNTS(buf, {"a <x> b", 3}, {"a  <x>\t\tb", 3});
	/* the longest added token at the leftmost place */
	fill(buf, sizeof buf, fmt,
	     "{\"id\": 9, \"content\": \"<x>\", \"special\": true}, {\"id\": 10, \"content\": "
	     "\"<x>>\", \"special\": true}",
	     "null", NULL);
	COUNTS(buf, {"<x>>", 1}, {"a<x>b", 3});
	fill(buf, sizeof buf, fmt, "{\"id\": 9, \"content\": \"cab\", \"single_word\": true}",
	     "null", NULL);
	COUNTS(buf, {"cab", 1}, {"acab", 4}, {"a cab", 3}, {"cab_", 3});
	/* normalized: matched after the normalizer, in its form */
	fill(buf, sizeof buf, fmt, "{\"id\": 9, \"content\": \"XY\", \"normalized\": true}",
	     "{\"type\": \"Lowercase\"}", NULL);
	COUNTS(buf, {"XY", 1}, {"axyb", 3}, {"X Y", 1});
}

static void test_template(void **state)
{
	(void)state;
	const char *fmt =
	    "{\"normalizer\": null, \"pre_tokenizer\": null, \"post_processor\": %s, " CHAR_MODEL
	    "}";
	static const struct {
		const char *pp;
		int64_t n;
	} cases[] = {
	    {"null", 0},
	    {"{\"type\": \"ByteLevel\"}", 0},
	    {"{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 1], \"cls\": [\"[CLS]\", 0]}", 2},
	    {"{\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"<s>\", "
	     "\"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}], "
	     "\"special_tokens\": "
	     "{\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}}",
	     1},
	    {"{\"type\": \"Sequence\", \"processors\": [{\"type\": \"ByteLevel\"}, {\"type\": "
	     "\"RobertaProcessing\"}]}",
	     2},
	    {"{\"type\": \"Mystery\"}", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[2048];
		fill(buf, sizeof buf, fmt, cases[i].pp, NULL, NULL);
		pv_tokenizer *t = must_load(buf);
		assert_int_equal(pv_tokenizer_template_tokens(t), cases[i].n);
		pv_tokenizer_free(t);
	}
}

static void expect_load_error(const char *json, int code, const char *msg)
{
	pv_tokenizer *t = NULL;
	pv_err err;
	int rc = load(json, &t, &err);
	if (rc != code || !strstr(err.msg, msg))
		fail_msg("want %d '%s', got %d '%s'\n%s", code, msg, rc, err.msg, json);
	assert_null(t);
}

static void test_errors(void **state)
{
	(void)state;
	expect_load_error("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", PV_EUNSUPPORTED,
			  "model 'Unigram' is not supported (only BPE)");
	expect_load_error("{\"normalizer\": {\"type\": \"BertNormalizer\"}, " CHAR_MODEL "}",
			  PV_EUNSUPPORTED, "normalizer 'BertNormalizer' is not supported");
	expect_load_error(
	    "{\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": "
	    "[{\"type\": \"ByteLevel\"}, {\"type\": \"CharDelimiterSplit\"}]}, " CHAR_MODEL "}",
	    PV_EUNSUPPORTED, "pre_tokenizer 'CharDelimiterSplit' is not supported");
	expect_load_error("{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": "
			  "\"(\"}}, " CHAR_MODEL "}",
			  PV_EUNSUPPORTED, "Split pattern '(': missing closing parenthesis");
	expect_load_error("{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": "
			  "\"a\"}, \"behavior\": \"Sideways\"}, " CHAR_MODEL "}",
			  PV_EUNSUPPORTED, "split behavior 'Sideways' is not supported");
	expect_load_error("{\"model\": {\"type\": \"BPE\", \"dropout\": 0.1, \"vocab\": {}, "
			  "\"merges\": []}}",
			  PV_EUNSUPPORTED, "BPE dropout is not supported");
	expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": "
			  "[\"a b\"]}}",
			  PV_ECORRUPT, "merge 0 ('a' + 'b') is not in the vocabulary");
	expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": "
			  "[\"ab\"]}}",
			  PV_ECORRUPT, "merge 0 'ab' is not 'A B'");
	expect_load_error(
	    "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -1}, \"merges\": []}}", PV_ECORRUPT,
	    "vocab entry 'a' has no id");
	expect_load_error("[1, 2]", PV_ECORRUPT, "not a JSON object");
	expect_load_error("{\"model\": ", PV_EINVAL, "line 1");
	expect_load_error("{\"added_tokens\": [{\"content\": \"\"}], " CHAR_MODEL "}", PV_ECORRUPT,
			  "added token 0 has no content");
	pv_tokenizer *t = NULL;
	pv_err err;
	assert_int_equal(pv_tokenizer_load("/nonexistent/tokenizer.json", &t, &err), PV_ENOTFOUND);
	pv_tokenizer_free(NULL);
}

/* A long piece goes through the heap without a cut: a run of 100000
 * letters with merges a+a and aa+aa is 25000 tokens. */
static void test_long(void **state)
{
	(void)state;
	pv_tokenizer *t =
	    must_load("{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": "
		      "{\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"aa\": 1, \"aaaa\": 2}, "
		      "\"merges\": [\"a a\", \"aa aa\"]}}");
	size_t n = 100001;
	char *s = malloc(n);
	assert_non_null(s);
	memset(s, 'a', n);
	assert_int_equal(pv_tokenizer_count(t, s, n - 1), 25000);
	assert_int_equal(pv_tokenizer_count(t, s, n), 25001);
	assert_int_equal(pv_tokenizer_count(t, s, 7), 3); /* aaaa aa a */
	free(s);
	pv_tokenizer_free(t);
}

/* Long pieces are cut only where no merge reaches across, and never
 * between two characters that fuse_unk joins into one <unk>. */
static void test_cut(void **state)
{
	(void)state;
	static char ab[41], ee[41];
	for (int i = 0; i < 20; i++) {
		memcpy(ab + 2 * i, "ab", 2);
		memcpy(ee + 2 * i, "\xc3\xa9", 2);
	}
	ab[40] = ee[40] = '\0';
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": \"BPE\", "
	       "\"unk_token\": \"<unk>\", \"fuse_unk\": true, \"vocab\": {\"<unk>\": 0, \"a\": 1, "
	       "\"b\": 2, \"ab\": 3, \"ba\": 4}, \"merges\": [\"a b\"]}}",
	       {ab, 20}, {ee, 1});
	/* b + a merges too (after a + b): ab ab ... stays, by rank */
	COUNTS("{\"normalizer\": null, \"pre_tokenizer\": null, \"model\": {\"type\": \"BPE\", "
	       "\"vocab\": {\"a\": 1, \"b\": 2, \"ab\": 3, \"ba\": 4}, \"merges\": [\"b a\", "
	       "\"a b\"]}}",
	       {ab, 21});
}

/* Hostile input: random bytes (mostly invalid UTF-8) count the same twice
 * and never less than zero; every one-byte change of a tokenizer.json
 * loads or fails with an error, never a crash (run under ASan by make asan). */
static void test_hostile(void **state)
{
	(void)state;
	static const char json[] =
	    "{\"added_tokens\": [{\"id\": 9, \"content\": \"<x>\", \"lstrip\": true}], "
	    "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKC\"}, "
	    "{\"type\": \"Replace\", \"pattern\": {\"Regex\": \"\\\\s+\"}, \"content\": \" \"}]}, "
	    "\"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": "
	    "\"Split\", \"pattern\": {\"Regex\": \"\\\\p{L}+|\\\\p{N}\"}, \"behavior\": "
	    "\"Isolated\"}, {\"type\": \"ByteLevel\", \"use_regex\": false}]}, \"model\": "
	    "{\"type\": \"BPE\", \"byte_fallback\": true, \"vocab\": {\"a\": 0, \"b\": 1, "
	    "\"ab\": 2, \"\u0120\": 3}, \"merges\": [\"a b\"]}}";
	pv_tokenizer *t = must_load(json);
	uint64_t x = 88172645463325252ULL;
	char buf[300];
	for (int i = 0; i < 3000; i++) {
		size_t n = 0, len = (size_t)(x % sizeof buf);
		for (; n < len; n++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[n] = (char)(x & 0xFF);
		}
		int64_t a = pv_tokenizer_count(t, buf, n), b = pv_tokenizer_count(t, buf, n);
		assert_true(a >= 0);
		assert_int_equal(a, b);
	}
	pv_tokenizer_free(t);
	char copy[sizeof json];
	for (size_t i = 0; i < sizeof json - 1; i++) {
		memcpy(copy, json, sizeof json);
		copy[i] = (char)(copy[i] ^ (1 << (i % 7)));
		pv_tokenizer *u = NULL;
		pv_err err;
		if (load(copy, &u, &err) == 0) {
			assert_true(pv_tokenizer_count(u, "ab <x> a1", 9) >= 0);
			pv_tokenizer_free(u);
		} else {
			assert_null(u);
			assert_true(err.msg[0] != '\0');
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),	cmocka_unit_test(test_metaspace),
	    cmocka_unit_test(test_normalizers), cmocka_unit_test(test_model),
	    cmocka_unit_test(test_added),	cmocka_unit_test(test_template),
	    cmocka_unit_test(test_errors),	cmocka_unit_test(test_long),
	    cmocka_unit_test(test_cut),		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
