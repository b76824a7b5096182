/*
 * tokcount.c - token counts of texts under a tokenizer.json, for the
 * differential tests against Hugging Face's own tokenizer
 * (tests/tokenizers/) and for timing.
 *
 *   tokcount TOKENIZER.json < TEXTS.jsonl
 *
 * Each input line is one JSON string (so a text may hold newlines and any
 * code point); each output line is its token count (analyze/tokenize.h:
 * encode without the post-processor's special tokens). Exit 0; 3 with the
 * error on stderr when the tokenizer does not load or a line is not a JSON
 * string; 2 for bad usage. Uses only base/ and analyze/.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/tokenize.h"
#include "base/banned.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tokcount TOKENIZER.json < TEXTS.jsonl\n");
		return 2;
	}
	pv_tokenizer *t;
	pv_err err;
	pv_err_clear(&err);
	if (pv_tokenizer_load(argv[1], &t, &err)) {
		fprintf(stderr, "tokcount: %s\n", err.msg);
		return 3;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long no = 0;
	int rc = 0;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		no++;
		json_error_t je;
		json_t *v = json_loadb(line, (size_t)n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
		if (!json_is_string(v)) {
			fprintf(stderr, "tokcount: line %ld: not a JSON string\n", no);
			json_decref(v);
			rc = 3;
			break;
		}
		int64_t c = pv_tokenizer_count(t, json_string_value(v), json_string_length(v));
		json_decref(v);
		if (c < 0) {
			fprintf(stderr, "tokcount: line %ld: counting failed\n", no);
			rc = 3;
			break;
		}
		printf("%lld\n", (long long)c);
	}
	free(line);
	pv_tokenizer_free(t);
	return rc;
}
