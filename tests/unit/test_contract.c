/*
 * test_contract.c - the contract model (analyze/contract.h): parsing ODCS
 * YAML into rules, line:column errors for invalid contracts, bounds; and
 * token counting (analyze/tokenize.h) with the hand-made byte-level BPE in
 * tests/contracts/tokenizer.json.
 */
#include "testutil.h"

#include "analyze/contract.h"
#include "analyze/tokenize.h"
#include "base/utf8count.h"

static const char head[] = "apiVersion: v3.1.0\nkind: DataContract\nid: t\nversion: 1.0.0\n"
			   "status: active\n";

/* Parses head + body; returns the code and leaves the message in err. */
static int parse(const char *body, pv_contract **out, pv_err *err)
{
	char text[4096];
	snprintf(text, sizeof text, "%s%s", head, body);
	pv_err_clear(err);
	return pv_contract_parse(text, strlen(text), "c.yaml", "/data", out, err);
}

static void expect_error(const char *body, const char *msg)
{
	pv_contract *c = NULL;
	pv_err err;
	int rc = parse(body, &c, &err);
	if (rc == 0 || !strstr(err.msg, msg))
		fail_msg("body:\n%s\nwant error containing '%s', got rc %d '%s'", body, msg, rc, err.msg);
	assert_null(c);
}

static void test_parse_rules(void **state)
{
	(void)state;
	pv_contract *c = NULL;
	pv_err err;
	int rc = parse("servers:\n  - server: s\n    type: local\n    path: docs\n"
		       "schema:\n  - name: docs\n    properties:\n"
		       "      - name: id\n        required: true\n        unique: true\n"
		       "        logicalType: string\n"
		       "        logicalTypeOptions: {maxLength: 9, pattern: '^d'}\n"
		       "        quality:\n          - metric: nullValues\n            mustBeLessThan: 5\n"
		       "            unit: percent\n            severity: warning\n"
		       "    quality:\n      - metric: rowCount\n        mustBeBetween: [1, 10]\n"
		       "      - type: text\n        description: prose only\n"
		       "      - type: custom\n        engine: other\n        implementation: x\n"
		       "      - type: sql\n        query: SELECT 1\n        mustBe: 1\n"
		       "      - type: custom\n        engine: parqview\n"
		       "        implementation: {check: uniqueWithinPartition, columns: [id]}\n"
		       "    someFutureField: {kept: true}\n",
		       &c, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(c->servers[0].path, "/data/docs");
	/* present, required, unique, logicalType, maxLength, pattern, nullValues,
	 * rowCount, sql, uniqueWithinPartition (text and other engines skipped) */
	assert_int_equal(c->n_rules, 10);
	assert_int_equal(c->rules[0].kind, PV_RULE_PRESENT);
	assert_string_equal(c->rules[1].name, "required(id)");
	assert_int_equal(c->rules[2].kind, PV_RULE_DUPLICATE_VALUES);
	assert_int_equal(c->rules[4].kind, PV_RULE_LENGTH);
	assert_true(c->rules[4].has_hi && c->rules[4].hi == 9 && !c->rules[4].has_lo);
	assert_int_equal(c->rules[5].kind, PV_RULE_INVALID_VALUES);
	assert_string_equal(c->rules[5].pattern, "^d");
	const pv_rule *nv = &c->rules[6];
	assert_int_equal(nv->kind, PV_RULE_NULL_VALUES);
	assert_true(nv->percent);
	assert_int_equal(nv->severity, PV_SEV_WARNING);
	assert_int_equal(nv->bound.op, PV_CMP_LT);
	assert_int_equal(nv->line, 19);
	assert_int_equal(c->rules[7].bound.op, PV_CMP_BETWEEN);
	assert_int_equal(c->rules[8].kind, PV_RULE_SQL);
	assert_int_equal(c->rules[9].kind, PV_RULE_UNIQUE_WITHIN_PARTITION);
	pv_contract_free(c);
}

static void test_invalid(void **state)
{
	(void)state;
	pv_contract *c = NULL;
	pv_err err;
	pv_err_clear(&err);
	const char *bad = "apiVersion: v3.1.0\nkind: [unclosed\n";
	assert_int_equal(pv_contract_parse(bad, strlen(bad), "c.yaml", NULL, &c, &err), PV_EINVAL);
	assert_non_null(strstr(err.msg, "c.yaml:3:1: expected valid YAML"));
	const char *nokind = "apiVersion: v3.1.0\nid: x\n";
	pv_contract_parse(nokind, strlen(nokind), "c.yaml", NULL, &c, &err);
	assert_string_equal(err.msg, "c.yaml:1:1: expected a 'kind' field");
	const char *wrongkind = "apiVersion: v3.1.0\nkind: Table\nid: x\nversion: '1'\nstatus: a\n";
	pv_contract_parse(wrongkind, strlen(wrongkind), "c.yaml", NULL, &c, &err);
	assert_string_equal(err.msg, "c.yaml:2:7: expected kind DataContract, found 'Table'");
	expect_error("schema: {name: x}\n", "c.yaml:6:9: expected a list for 'schema', found a mapping");
	expect_error("schema:\n  - name: x\n    quality:\n      - metric: nullCount\n        mustBe: 0\n",
		     "c.yaml:9:17: expected rowCount, nullValues");
	expect_error("schema:\n  - name: x\n    quality:\n      - metric: rowCount\n",
		     "c.yaml:9:9: expected a comparator");
	expect_error("schema:\n  - name: x\n    quality:\n      - metric: rowCount\n        mustBe: many\n",
		     "c.yaml:10:17: expected a number for 'mustBe'");
	expect_error("schema:\n  - name: x\n    quality:\n      - metric: rowCount\n"
		     "        mustBeBetween: [5, 1]\n",
		     "c.yaml:10:24: expected the smaller bound first");
	expect_error("schema:\n  - name: x\n    properties:\n      - name: a\n        required: yes please\n",
		     "c.yaml:10:19: expected true or false for 'required'");
	expect_error("schema:\n  - name: x\n    properties:\n      - name: a\n        logicalType: text\n",
		     "c.yaml:10:22: expected string, date");
	expect_error("schema:\n  - name: x\n    quality:\n      - type: custom\n        engine: parqview\n"
		     "        implementation: {check: maxTextLength, column: t, max: 10, unit: words}\n",
		     "expected chars, bytes or tokens for 'unit', found 'words'");
	expect_error("schema:\n  - name: x\n    quality:\n      - type: custom\n        engine: parqview\n"
		     "        implementation: {check: frobnicate}\n",
		     "c.yaml:11:33: expected a parqview check");
	expect_error("schema:\n  - name: x\n    quality:\n      - type: custom\n        engine: parqview\n"
		     "        implementation: {check: classBalance, column: l}\n",
		     "expected 'minShare' or 'maxRatio' for classBalance");
	expect_error("schema:\n  - name: x\n    quality:\n      - type: sql\n        mustBe: 0\n",
		     "c.yaml:9:9: expected a 'query' field");
	expect_error("schema:\n  - name: x\n    quality:\n      - metric: rowCount\n        mustBe: 1\n"
		     "        severity: fatal\n",
		     "c.yaml:11:19: expected error, warning or info for 'severity'");
	expect_error("schema:\n  - name: x\n    properties:\n      - name: a\n      - name: a\n",
		     "c.yaml:10:9: expected unique property names, found 'a' twice");
}

static void test_deep(void **state)
{
	(void)state;
	/* a million '[' would keep libyaml busy for hours: refused up front */
	size_t n = 1000000;
	char *t = malloc(n + 4);
	assert_non_null(t);
	memcpy(t, "a: ", 3);
	memset(t + 3, '[', n);
	t[n + 3] = '\0';
	pv_contract *c = NULL;
	pv_err err;
	pv_err_clear(&err);
	assert_int_equal(pv_contract_parse(t, n + 3, "d.yaml", NULL, &c, &err), PV_EINVAL);
	assert_string_equal(err.msg, "d.yaml:1:68: expected [ ] and { } nested at most 64 deep");
	free(t);
	/* brackets in quotes and comments do not count */
	char ok[600];
	snprintf(ok, sizeof ok, "%s# %0100d\nname: '%0100d'\n", head, 0, 0);
	for (char *p = ok; *p; p++)
		if (*p == '0')
			*p = '[';
	assert_int_equal(pv_contract_parse(ok, strlen(ok), "d.yaml", NULL, &c, &err), 0);
	pv_contract_free(c);
}

static void test_bounds(void **state)
{
	(void)state;
	pv_bound b = { PV_CMP_BETWEEN, 1, 3 };
	assert_true(pv_bound_holds(&b, 1));
	assert_true(pv_bound_holds(&b, 3));
	assert_false(pv_bound_holds(&b, 3.5));
	b.op = PV_CMP_NOT_BETWEEN;
	assert_false(pv_bound_holds(&b, 2));
	assert_true(pv_bound_holds(&b, 0));
	b = (pv_bound){ PV_CMP_GE, 5, 0 };
	assert_true(pv_bound_holds(&b, 5));
	assert_false(pv_bound_holds(&b, 0.0 / 0.0));
	b.op = PV_CMP_NE;
	assert_true(pv_bound_holds(&b, 4));
	assert_false(pv_bound_holds(&b, 5));
	assert_string_equal(pv_cmp_name(PV_CMP_LE), "mustBeLessOrEqualTo");
	assert_string_equal(pv_rule_kind_name(PV_RULE_NULL_TOLERANCE), "nullTolerance");
}

static void test_estimates(void **state)
{
	(void)state;
	assert_int_equal(pv_tokens_whitespace("  a bb\tccc\n", 11), 3);
	assert_int_equal(pv_tokens_whitespace("", 0), 0);
	assert_int_equal(pv_tokens_bytes(0), 0);
	assert_int_equal(pv_tokens_bytes(9), 3);
	assert_int_equal(pv_utf8_count("h\xc3\xa9llo \xe2\x82\xac", 10), 7);
	/* past the eight-byte steps: 20 two-byte and 3 four-byte characters, 4 ASCII */
	char buf[64];
	size_t n = 0;
	for (int i = 0; i < 20; i++)
		buf[n++] = (char)0xc3, buf[n++] = (char)0xa9;
	for (int i = 0; i < 3; i++)
		buf[n++] = (char)0xf0, buf[n++] = (char)0x9f, buf[n++] = (char)0x98, buf[n++] = (char)0x80;
	memcpy(buf + n, "abcd", 4);
	n += 4;
	assert_int_equal(pv_utf8_count(buf, n), 27);
	for (size_t k = 0; k <= n; k++) /* every length agrees with a byte-at-a-time count */ {
		int64_t want = 0;
		for (size_t i = 0; i < k; i++)
			want += ((unsigned char)buf[i] & 0xC0) != 0x80;
		assert_int_equal(pv_utf8_count(buf, k), want);
	}
}

static void test_bpe(void **state)
{
	(void)state;
	char path[4096];
	const char *root = getenv("PARQVIEW_ROOT");
	snprintf(path, sizeof path, "%s/tests/contracts/tokenizer.json", root ? root : ".");
	pv_tokenizer *t = NULL;
	pv_err err;
	pv_err_clear(&err);
	assert_int_equal(pv_tokenizer_load(path, &t, &err), 0);
	static const struct {
		const char *text;
		int64_t tokens;
	} cases[] = {
		{ "hello", 1 },          /* h e l l o -> he ll o -> hell o -> hello */
		{ "hello world", 2 },    /* hello, Ġworld */
		{ "hello  world", 3 },   /* hello, Ġ, Ġworld: the last space joins the word */
		{ "hellohello", 2 },     /* one pre-token, merged twice */
		{ "world", 3 },          /* w, or, ld: no leading space, no Ġw merge */
		{ "it's", 4 },           /* i t 's -> i, t, ', s */
		{ "2024!", 5 },          /* digits, then the symbol */
		{ "h\xc3\xa9", 3 },      /* h, then the two bytes of é */
		{ "", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t n = pv_tokenizer_count(t, cases[i].text, strlen(cases[i].text));
		if (n != cases[i].tokens)
			fail_msg("'%s': %lld tokens, want %lld", cases[i].text, (long long)n,
				 (long long)cases[i].tokens);
	}
	/* the cache gives the same answer a second time */
	assert_int_equal(pv_tokenizer_count(t, "hello world", 11), 2);
	pv_tokenizer_free(t);

	assert_int_equal(pv_tokenizer_load("/nonexistent/tokenizer.json", &t, &err), PV_ENOTFOUND);
	char bad[4096];
	snprintf(bad, sizeof bad, "%s/tests/contracts/demo.yaml", root ? root : ".");
	assert_int_equal(pv_tokenizer_load(bad, &t, &err), PV_EINVAL);
	assert_non_null(strstr(err.msg, "line 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_estimates),
		cmocka_unit_test(test_bpe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
