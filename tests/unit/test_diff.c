/*
 * test_diff.c - schema snapshots and diffs: the type classification rules
 * one by one, the rename heuristic, nested and repetition changes, kv
 * digests, the snapshot loader's checks on hostile input, and a snapshot
 * of every corpus file surviving save and load with no change.
 */
#include "testutil.h"

#include <unistd.h>

#include "analyze/diff.h"
#include "analyze/snapshot.h"
#include "base/banned.h"

/* ---- helpers */

static pv_snapshot *load_text(const char *text)
{
	pv_snapshot *s = NULL;
	pv_err err;
	pv_err_clear(&err);
	int rc = pv_snapshot_load_mem(text, strlen(text), "t.json", &s, &err);
	if (rc)
		fprintf(stderr, "# load: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return s;
}

static int load_error(const char *text, pv_err *err)
{
	pv_snapshot *s = NULL;
	pv_err_clear(err);
	int rc = pv_snapshot_load_mem(text, strlen(text), "t.json", &s, err);
	assert_null(s);
	return rc;
}

/* A one-column snapshot whose leaf 'c' has the given types ("" for none). */
static pv_snapshot *leaf(const char *phys, const char *logical, const char *conv, int prec,
			 int scale)
{
	char text[2048], lt[128], ct[64], ps[64] = "";
	snprintf(lt, sizeof lt, *logical ? "\"%s\"" : "null", logical);
	snprintf(ct, sizeof ct, *conv ? "\"%s\"" : "null", conv);
	if (prec || scale)
		snprintf(ps, sizeof ps, ", \"precision\": %d, \"scale\": %d", prec, scale);
	snprintf(text, sizeof text,
		 "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 10, \"has_stats\": false,"
		 " \"columns\": [{\"name\": \"c\", \"path\": \"c\", \"shape\": \"PRIMITIVE\","
		 " \"type\": \"%s %s%s\", \"repetition\": \"optional\", \"nullable\": true,"
		 " \"physical_type\": \"%s\", \"logical_type\": %s, \"converted_type\": %s%s}]}",
		 phys, logical, conv, phys, lt, ct, ps);
	return load_text(text);
}

typedef struct type_case {
	const char *op, *ol, *oc;
	int opr, osc;
	const char *np, *nl, *nc;
	int npr, nsc;
	int want;            /* -1 none, else pv_change_class */
	const char *reason;  /* substring of the reason */
} type_case;

/* ---- tests */

static void test_classify_types(void **state)
{
	(void)state;
	enum { B = PV_CHANGE_BREAKING, C = PV_CHANGE_COMPATIBLE, N = -1 };
	static const type_case cases[] = {
		{ "INT32", "", "", 0, 0, "INT32", "", "", 0, 0, N, NULL },
		/* the same meaning spelled with a logical or a converted type */
		{ "INT32", "", "INT_32", 0, 0, "INT32", "INTEGER(32,true)", "", 0, 0, N, NULL },
		{ "BYTE_ARRAY", "STRING", "UTF8", 0, 0, "BYTE_ARRAY", "", "UTF8", 0, 0, N, NULL },
		{ "INT32", "", "", 0, 0, "INT64", "", "", 0, 0, C, "integer widening" },
		{ "INT64", "", "", 0, 0, "INT32", "", "", 0, 0, B, "integer narrowing" },
		{ "INT32", "INTEGER(8,true)", "", 0, 0, "INT32", "INTEGER(16,true)", "", 0, 0, C,
		  "widening" },
		{ "INT32", "INTEGER(32,false)", "", 0, 0, "INT64", "", "", 0, 0, C, "widening" },
		{ "INT32", "INTEGER(32,false)", "", 0, 0, "INT32", "", "", 0, 0, B, "unsigned to signed" },
		{ "INT32", "", "", 0, 0, "INT32", "INTEGER(32,false)", "", 0, 0, B, "signed to unsigned" },
		{ "INT32", "", "", 0, 0, "DOUBLE", "", "", 0, 0, C, "exactly" },
		{ "INT64", "", "", 0, 0, "DOUBLE", "", "", 0, 0, B, "loses precision" },
		{ "INT32", "", "", 0, 0, "FLOAT", "", "", 0, 0, B, "loses precision" },
		{ "FLOAT", "", "", 0, 0, "DOUBLE", "", "", 0, 0, C, "floating point widening" },
		{ "DOUBLE", "", "", 0, 0, "FLOAT", "", "", 0, 0, B, "floating point narrowing" },
		{ "DOUBLE", "", "", 0, 0, "INT64", "", "", 0, 0, B, "cannot hold" },
		{ "FIXED_LEN_BYTE_ARRAY", "FLOAT16", "", 0, 0, "FLOAT", "", "", 0, 0, C, "widening" },
		{ "INT32", "DECIMAL(9,2)", "DECIMAL", 9, 2, "INT64", "DECIMAL(18,2)", "DECIMAL", 18, 2,
		  C, "precision widening" },
		{ "INT64", "DECIMAL(18,2)", "", 0, 0, "INT32", "DECIMAL(9,2)", "", 0, 0, B,
		  "precision narrowing" },
		{ "INT64", "DECIMAL(10,2)", "", 0, 0, "INT64", "DECIMAL(10,3)", "", 0, 0, B,
		  "scale changed" },
		/* the same decimal stored differently */
		{ "INT32", "DECIMAL(9,2)", "", 0, 0, "INT64", "DECIMAL(9,2)", "", 0, 0, C,
		  "physical storage" },
		/* legacy converted DECIMAL reads its precision and scale from the element */
		{ "INT64", "", "DECIMAL", 10, 2, "INT64", "DECIMAL(10,2)", "", 0, 0, N, NULL },
		{ "INT32", "", "", 0, 0, "INT64", "DECIMAL(12,2)", "", 0, 0, C, "room" },
		{ "INT32", "", "", 0, 0, "INT64", "DECIMAL(10,2)", "", 0, 0, B, "too narrow" },
		{ "BYTE_ARRAY", "STRING", "", 0, 0, "INT64", "", "", 0, 0, B, "text to number" },
		{ "INT64", "", "", 0, 0, "BYTE_ARRAY", "STRING", "", 0, 0, B, "number to text" },
		{ "BYTE_ARRAY", "STRING", "", 0, 0, "BYTE_ARRAY", "", "", 0, 0, B, "text to bytes" },
		{ "BYTE_ARRAY", "", "", 0, 0, "BYTE_ARRAY", "STRING", "", 0, 0, C, "bytes" },
		{ "BYTE_ARRAY", "STRING", "", 0, 0, "BYTE_ARRAY", "JSON", "", 0, 0, C, "annotation" },
		{ "INT64", "TIMESTAMP(MILLIS,true)", "", 0, 0, "INT64", "TIMESTAMP(MICROS,true)", "", 0,
		  0, C, "finer" },
		{ "INT64", "TIMESTAMP(NANOS,true)", "", 0, 0, "INT64", "TIMESTAMP(MICROS,true)", "", 0,
		  0, B, "coarser" },
		{ "INT64", "TIMESTAMP(MICROS,true)", "", 0, 0, "INT64", "TIMESTAMP(MICROS,false)", "",
		  0, 0, B, "UTC" },
		/* TIMESTAMP_MICROS is UTC-adjusted by definition */
		{ "INT64", "", "TIMESTAMP_MICROS", 0, 0, "INT64", "TIMESTAMP(MICROS,true)", "", 0, 0, N,
		  NULL },
		{ "INT96", "", "", 0, 0, "INT64", "TIMESTAMP(NANOS,false)", "", 0, 0, C,
		  "physical storage" },
		{ "INT32", "DATE", "", 0, 0, "INT64", "TIMESTAMP(MICROS,false)", "", 0, 0, B,
		  "incompatible" },
		{ "INT32", "UNKNOWN", "", 0, 0, "INT64", "", "", 0, 0, C, "NULLs got a type" },
		{ "INT64", "", "", 0, 0, "INT32", "UNKNOWN", "", 0, 0, B, "NULLs" },
		{ "BOOLEAN", "", "", 0, 0, "INT32", "", "", 0, 0, B, "incompatible" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const type_case *t = &cases[i];
		pv_snapshot *a = leaf(t->op, t->ol, t->oc, t->opr, t->osc);
		pv_snapshot *b = leaf(t->np, t->nl, t->nc, t->npr, t->nsc);
		const char *why = NULL;
		int got = pv_diff_classify_type(&a->columns[0], &b->columns[0], &why);
		if (got != t->want || (t->reason && (!why || !strstr(why, t->reason))))
			fail_msg("case %zu (%s %s %s -> %s %s %s): got %d '%s', want %d '%s'", i, t->op,
				 t->ol, t->oc, t->np, t->nl, t->nc, got, why ? why : "",
				 t->want, t->reason ? t->reason : "");
		/* the diff reports what the rule says, and nothing for no change */
		pv_diff *d;
		assert_int_equal(pv_diff_compute(a, b, NULL, &d, NULL), 0);
		if (t->want < 0) {
			assert_int_equal(pv_diff_n_changes(d), 0);
		} else {
			assert_int_equal(pv_diff_n_changes(d), 1);
			const pv_change *c = pv_diff_change(d, 0);
			assert_string_equal(c->kind, "type_changed");
			assert_string_equal(c->column, "c");
			assert_int_equal(c->cls, t->want);
			assert_int_equal(pv_diff_breaking(d), t->want == B);
		}
		pv_diff_free(d);
		pv_snapshot_free(a);
		pv_snapshot_free(b);
	}
}

/* Two top-level INT64 columns; names and min/max chosen by the caller. */
static pv_snapshot *two_cols(const char *n1, const char *n2, const char *max2)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 10, \"has_stats\": true,"
		 " \"columns\": ["
		 "{\"name\": \"%s\", \"path\": \"%s\", \"shape\": \"PRIMITIVE\", \"type\": \"INT64\","
		 " \"repetition\": \"optional\", \"nullable\": true, \"physical_type\": \"INT64\","
		 " \"stats\": {\"values\": 10, \"nulls\": 0, \"min\": \"0\", \"max\": \"9\"}},"
		 "{\"name\": \"%s\", \"path\": \"%s\", \"shape\": \"PRIMITIVE\", \"type\": \"INT64\","
		 " \"repetition\": \"optional\", \"nullable\": true, \"physical_type\": \"INT64\","
		 " \"stats\": {\"values\": 10, \"nulls\": 1, \"min\": \"5\", \"max\": \"%s\"}}]}",
		 n1, n1, n2, n2, max2);
	return load_text(text);
}

static size_t count_kind(const pv_diff *d, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < pv_diff_n_changes(d); i++)
		n += !strcmp(pv_diff_change(d, i)->kind, kind);
	return n;
}

static void test_renames(void **state)
{
	(void)state;
	struct {
		const char *old2, *new2, *oldmax, *newmax;
		size_t renamed;
	} cases[] = {
		{ "user_name", "username", "50", "60", 1 },   /* similar name, same position */
		{ "userName", "user_name", "50", "60", 1 },   /* case and separators */
		{ "score", "label", "50", "60", 0 },          /* nothing in common but type */
		{ "score", "label", "50", "50", 1 },          /* same position and statistics */
		{ "price", "price_usd", "50", "60", 1 },      /* one name contains the other */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pv_snapshot *a = two_cols("id", cases[i].old2, cases[i].oldmax);
		pv_snapshot *b = two_cols("id", cases[i].new2, cases[i].newmax);
		pv_diff *d;
		pv_diff_opts o;
		pv_diff_opts_init(&o);
		o.no_stats = true;
		assert_int_equal(pv_diff_compute(a, b, &o, &d, NULL), 0);
		if (count_kind(d, "column_renamed") != cases[i].renamed)
			fail_msg("case %zu: %zu renames", i, count_kind(d, "column_renamed"));
		assert_int_equal(count_kind(d, "column_added"), 1 - cases[i].renamed);
		assert_int_equal(count_kind(d, "column_removed"), 1 - cases[i].renamed);
		assert_true(pv_diff_breaking(d));
		pv_diff_free(d);
		pv_snapshot_free(a);
		pv_snapshot_free(b);
	}
}

static void test_stats_changes(void **state)
{
	(void)state;
	pv_snapshot *a = two_cols("id", "v", "50");
	pv_snapshot *b = two_cols("id", "v", "70");
	pv_diff *d;
	assert_int_equal(pv_diff_compute(a, b, NULL, &d, NULL), 0);
	assert_int_equal(pv_diff_n_changes(d), 1);
	const pv_change *c = pv_diff_change(d, 0);
	assert_string_equal(c->kind, "min_max_changed");
	assert_string_equal(c->old_value, "[5, 50]");
	assert_string_equal(c->new_value, "[5, 70]");
	assert_int_equal(c->cls, PV_CHANGE_INFO);
	assert_false(pv_diff_breaking(d));
	pv_diff_free(d);
	/* --columns: only 'id', which did not change */
	pv_diff_opts o;
	pv_diff_opts_init(&o);
	const char *only[] = { "id" };
	o.columns = only;
	o.n_columns = 1;
	assert_int_equal(pv_diff_compute(a, b, &o, &d, NULL), 0);
	assert_int_equal(pv_diff_n_changes(d), 0);
	pv_diff_free(d);
	pv_snapshot_free(a);
	pv_snapshot_free(b);
}

static const char nested_old[] =
	"{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 10, \"has_stats\": false,"
	" \"key_value_metadata\": [{\"key\": \"k\", \"length\": 100000, \"xxh64\": \"00000000000000aa\"}],"
	" \"columns\": [{\"name\": \"s\", \"path\": \"s\", \"shape\": \"STRUCT\", \"type\": \"STRUCT<a, b>\","
	" \"repetition\": \"optional\", \"nullable\": true, \"children\": ["
	"  {\"name\": \"a\", \"path\": \"s.a\", \"shape\": \"PRIMITIVE\", \"type\": \"INT32\", \"repetition\": \"required\","
	"   \"nullable\": false, \"physical_type\": \"INT32\"},"
	"  {\"name\": \"b\", \"path\": \"s.b\", \"shape\": \"PRIMITIVE\", \"type\": \"INT32\", \"repetition\": \"optional\","
	"   \"nullable\": true, \"physical_type\": \"INT32\"}]}]}";
static const char nested_new[] =
	"{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 10, \"has_stats\": false,"
	" \"key_value_metadata\": [{\"key\": \"k\", \"length\": 100000, \"xxh64\": \"00000000000000ab\"}],"
	" \"columns\": [{\"name\": \"s\", \"path\": \"s\", \"shape\": \"STRUCT\", \"type\": \"STRUCT<a, c>\","
	" \"repetition\": \"optional\", \"nullable\": true, \"children\": ["
	"  {\"name\": \"a\", \"path\": \"s.a\", \"shape\": \"PRIMITIVE\", \"type\": \"INT32\", \"repetition\": \"repeated\","
	"   \"nullable\": false, \"physical_type\": \"INT32\"},"
	"  {\"name\": \"c\", \"path\": \"s.c\", \"shape\": \"PRIMITIVE\", \"type\": \"INT32\", \"repetition\": \"optional\","
	"   \"nullable\": true, \"physical_type\": \"INT32\"}]}]}";

static void test_nested_and_kv(void **state)
{
	(void)state;
	pv_snapshot *a = load_text(nested_old), *b = load_text(nested_new);
	pv_diff *d;
	assert_int_equal(pv_diff_compute(a, b, NULL, &d, NULL), 0);
	assert_int_equal(pv_diff_n_changes(d), 4);
	/* breaking first, in the order found */
	const pv_change *c = pv_diff_change(d, 0);
	assert_string_equal(c->kind, "repetition_changed");
	assert_string_equal(c->column, "s.a");
	assert_int_equal(c->cls, PV_CHANGE_BREAKING);
	c = pv_diff_change(d, 1);
	assert_string_equal(c->kind, "field_removed");
	assert_string_equal(c->column, "s.b");
	c = pv_diff_change(d, 2);
	assert_string_equal(c->kind, "field_added");
	assert_string_equal(c->column, "s.c");
	assert_int_equal(c->cls, PV_CHANGE_COMPATIBLE);
	/* a long value saved as a digest still compares, and shows its length */
	c = pv_diff_change(d, 3);
	assert_string_equal(c->kind, "kv_changed");
	assert_null(c->column);
	assert_string_equal(c->new_value, "(100000 bytes)");
	assert_int_equal(pv_diff_n_class(d, PV_CHANGE_BREAKING), 2);
	assert_int_equal(pv_diff_n_class(d, PV_CHANGE_COMPATIBLE), 1);
	assert_int_equal(pv_diff_n_class(d, PV_CHANGE_INFO), 1);
	pv_diff_free(d);
	pv_snapshot_free(a);
	pv_snapshot_free(b);
}

static void test_load_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int code;
		const char *msg;
	} cases[] = {
		{ "{\"parqview_snapshot\": 1, \"n_files\"", PV_ECORRUPT, "t.json: not valid json: line 1" },
		{ "[]", PV_ECORRUPT, "t.json: $: expected an object" },
		{ "{}", PV_ECORRUPT, "not a parqview snapshot" },
		{ "{\"parqview_snapshot\": \"1\"}", PV_ECORRUPT, "$.parqview_snapshot: expected a version" },
		{ "{\"parqview_snapshot\": 2}", PV_EUNSUPPORTED, "snapshot version 2 is newer" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": -1, \"has_stats\": true, \"columns\": []}",
		  PV_ECORRUPT, "$.rows: out of range" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": 1, \"columns\": []}",
		  PV_ECORRUPT, "$.has_stats: expected true or false" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": {}}",
		  PV_ECORRUPT, "$.columns: expected an array" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": [7]}",
		  PV_ECORRUPT, "$.columns[0]: expected an object" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": ["
		  "{\"name\": \"a\", \"path\": \"a\", \"shape\": \"LIST\", \"type\": \"L\", \"repetition\": \"optional\","
		  " \"nullable\": true, \"children\": []}]}",
		  PV_ECORRUPT, "$.columns[0].children: a list has one child" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": ["
		  "{\"name\": \"a\", \"path\": \"a\", \"shape\": \"PRIMITIVE\", \"type\": \"D\", \"repetition\": \"optional\","
		  " \"nullable\": true, \"physical_type\": \"INT64\", \"logical_type\": \"DECIMAL(x,2)\"}]}",
		  PV_ECORRUPT, "$.columns[0].logical_type: not a logical type" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": ["
		  "{\"name\": \"a\", \"path\": \"a\", \"shape\": \"PRIMITIVE\", \"type\": \"D\", \"repetition\": \"sometimes\","
		  " \"nullable\": true, \"physical_type\": \"INT64\"}]}",
		  PV_ECORRUPT, "$.columns[0].repetition: expected required" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": ["
		  "{\"name\": \"a\", \"path\": \"a\", \"shape\": \"PARTITION\", \"type\": \"DATE\", \"repetition\": \"optional\","
		  " \"nullable\": true},"
		  "{\"name\": \"a\", \"path\": \"a\", \"shape\": \"PARTITION\", \"type\": \"DATE\", \"repetition\": \"optional\","
		  " \"nullable\": true}]}",
		  PV_ECORRUPT, "$.columns[1]: duplicate column name" },
		{ "{\"parqview_snapshot\": 1, \"n_files\": 1, \"rows\": 1, \"has_stats\": true, \"columns\": [],"
		  " \"key_value_metadata\": [{\"key\": \"k\", \"length\": 3, \"xxh64\": \"zz\"}]}",
		  PV_ECORRUPT, "$.key_value_metadata[0].xxh64: expected 16 hex digits" },
		{ "{\"parqview_snapshot\": 1, \"parqview_snapshot\": 1}", PV_ECORRUPT, "duplicate" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		pv_err err;
		int rc = load_error(cases[i].text, &err);
		if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: got %d '%s', want %d '%s'", i, rc, err.msg, cases[i].code,
				 cases[i].msg);
		assert_null(strchr(err.msg, '\n'));
	}
}

/* Every readable corpus file: snapshot, save, load; the loaded snapshot
 * diffs clean against the original (statistics included). */
static void test_corpus_roundtrip(void **state)
{
	(void)state;
	char dir[1024];
	pv_test_files files = { 0 };
	pv_test_list_parquet(&files, pv_test_file(dir, sizeof dir, "data"));
	assert_true(files.n > 50);
	char tmpl[] = "/tmp/pv_test_diff_XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	char out[256];
	snprintf(out, sizeof out, "%s/snap.json", tmpl);
	size_t n_done = 0, n_leaves_with_stats = 0;
	for (size_t i = 0; i < files.n; i++) {
		const char *p = files.paths[i];
		pv_dataset *ds;
		if (pv_dataset_open(&p, 1, NULL, &ds, NULL))
			continue;
		if (ds->n_failed) {
			pv_dataset_free(ds);
			continue;
		}
		pv_snapshot *a, *b;
		pv_err err;
		pv_err_clear(&err);
		if (pv_snapshot_from_dataset(ds, NULL, &a, &err))
			fail_msg("%s: %s", p, err.msg);
		pv_dataset_free(ds);
		if (pv_snapshot_save(a, out, &err))
			fail_msg("%s: save: %s", p, err.msg);
		if (pv_snapshot_load(out, &b, &err))
			fail_msg("%s: load: %s", p, err.msg);
		assert_true(b->loaded);
		assert_int_equal(b->n_rows, a->n_rows);
		assert_int_equal(b->n_columns, a->n_columns);
		for (size_t c = 0; c < a->n_columns; c++)
			n_leaves_with_stats += a->columns[c].has_stats && a->columns[c].stats.has_minmax;
		pv_diff *d;
		assert_int_equal(pv_diff_compute(a, b, NULL, &d, NULL), 0);
		if (pv_diff_n_changes(d))
			fail_msg("%s: %zu changes after a round trip, first %s '%s': %s -> %s", p,
				 pv_diff_n_changes(d), pv_diff_change(d, 0)->kind,
				 pv_diff_change(d, 0)->column ? pv_diff_change(d, 0)->column : "",
				 pv_diff_change(d, 0)->old_value ? pv_diff_change(d, 0)->old_value : "",
				 pv_diff_change(d, 0)->new_value ? pv_diff_change(d, 0)->new_value : "");
		pv_diff_free(d);
		/* and a snapshot against itself */
		assert_int_equal(pv_diff_compute(a, a, NULL, &d, NULL), 0);
		assert_int_equal(pv_diff_n_changes(d), 0);
		pv_diff_free(d);
		pv_snapshot_free(a);
		pv_snapshot_free(b);
		n_done++;
	}
	unlink(out);
	rmdir(tmpl);
	assert_true(n_done > 50);
	assert_true(n_leaves_with_stats > 50);
	pv_test_files_free(&files);
}

static void test_sniff(void **state)
{
	(void)state;
	char p[1024];
	assert_false(pv_snapshot_sniff(pv_test_file(p, sizeof p, "data/alltypes_plain.parquet")));
	assert_false(pv_snapshot_sniff("/nonexistent/x.json"));
	assert_false(pv_snapshot_sniff(pv_test_corpus())); /* a directory */
	char tmpl[] = "/tmp/pv_test_sniff_XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	static const char text[] = "\xef\xbb\xbf \n {\"x\": 1}";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	assert_true(pv_snapshot_sniff(tmpl));
	unlink(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_types),
		cmocka_unit_test(test_renames),
		cmocka_unit_test(test_stats_changes),
		cmocka_unit_test(test_nested_and_kv),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_corpus_roundtrip),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
