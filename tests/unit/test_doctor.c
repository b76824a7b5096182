/*
 * test_doctor.c - unit tests for the doctor (analyze/doctor*.c): the sort
 * orders statistics are compared in (signed and unsigned integers, floats
 * with -0 and NaN, unsigned and signed bytes, big-endian decimals of any
 * length), the order each corpus leaf type gets, findings lists and the
 * JSON report, and whole files through pv_doctor_file: clean corpus files
 * stay clean, the corrupt-checksum files give their CRC findings at the
 * right place, an unreadable footer is one finding.
 */
#include "testutil.h"

#include <math.h>

#include "analyze/doctor_internal.h"
#include "base/buf.h"
#include "base/json.h"
#include "io/source.h"
#include "read/pfile.h"

static pv_pfile *load(const char *rel)
{
	char path[1024];
	pv_err e;
	pv_pfile *pf = NULL;
	int rc = pv_pfile_open(pv_test_file(path, sizeof path, rel), &pf, &e);
	if (rc)
		print_message("# %s: %s\n", rel, e.msg);
	assert_int_equal(rc, 0);
	return pf;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_integer_orders(void **state)
{
	(void)state;
	pv_doc_ord o;
	memset(&o, 0, sizeof o);
	uint8_t a[4], b[4];
	le32(a, (uint32_t)-1);
	le32(b, 1);
	/* -1 < 1 signed, 0xffffffff > 1 unsigned */
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_I32, a, 4, b, 4) < 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_U32, a, 4, b, 4) > 0);
	assert_int_equal(pv_doc_cmp(&o, PV_DOC_ORD_I32, a, 4, a, 4), 0);
	uint8_t c[8] = { 0, 0, 0, 0, 0, 0, 0, 0x80 }, d[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_I64, c, 8, d, 8) < 0); /* INT64_MIN < 1 */
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_U64, c, 8, d, 8) > 0);
	uint8_t f[1] = { 0 }, t[1] = { 1 };
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_BOOL, f, 1, t, 1) < 0);
}

static void test_float_orders(void **state)
{
	(void)state;
	pv_doc_ord o;
	memset(&o, 0, sizeof o);
	o.kind = PV_DOC_ORD_F64;
	o.fixed_len = 8;
	double pz = 0.0, nz = -0.0, one = 1.0, nan = NAN, minus = -2.5;
	uint8_t a[8], b[8], c[8], n[8], m[8];
	memcpy(a, &pz, 8);
	memcpy(b, &nz, 8);
	memcpy(c, &one, 8);
	memcpy(n, &nan, 8);
	memcpy(m, &minus, 8);
	/* -0 and +0 compare equal, as the spec's reading rules want */
	assert_int_equal(pv_doc_cmp(&o, PV_DOC_ORD_F64, a, 8, b, 8), 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_F64, b, 8, c, 8) < 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_F64, m, 8, b, 8) < 0);
	assert_true(pv_doc_is_nan(&o, n, 8));
	assert_false(pv_doc_is_nan(&o, c, 8));
	assert_false(pv_doc_is_nan(&o, c, 4)); /* wrong length is not a NaN */
	o.kind = PV_DOC_ORD_F32;
	o.fixed_len = 4;
	float x = -1.5f, y = 0.25f;
	uint8_t fx[4], fy[4];
	memcpy(fx, &x, 4);
	memcpy(fy, &y, 4);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_F32, fx, 4, fy, 4) < 0);
}

static void test_byte_orders(void **state)
{
	(void)state;
	pv_doc_ord o;
	memset(&o, 0, sizeof o);
	const uint8_t hi[] = { 0x80 }, lo[] = { 0x7f }, ab[] = { 'a', 'b' }, a[] = { 'a' };
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_BYTES, hi, 1, lo, 1) > 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_BYTES_SIGNED, hi, 1, lo, 1) < 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_BYTES, a, 1, ab, 2) < 0); /* a prefix sorts first */
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_BYTES, ab, 0, a, 1) < 0); /* empty first */
	/* big-endian two's complement of different lengths */
	const uint8_t m1[] = { 0xff }, p1[] = { 0x00, 0x01 }, p128[] = { 0x00, 0x80 }, p127[] = { 0x7f },
		      m1long[] = { 0xff, 0xff, 0xff };
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_DEC_BE, m1, 1, p1, 2) < 0);
	assert_true(pv_doc_cmp(&o, PV_DOC_ORD_DEC_BE, p128, 2, p127, 1) > 0);
	assert_int_equal(pv_doc_cmp(&o, PV_DOC_ORD_DEC_BE, m1, 1, m1long, 3), 0);
}

static void test_leaf_orders(void **state)
{
	(void)state;
	pv_pfile *pf = load("data/alltypes_plain.parquet");
	struct {
		const char *path;
		pv_doc_ord_kind kind;
		bool text, hash;
	} want[] = {
		{ "id", PV_DOC_ORD_I32, false, true },
		{ "bool_col", PV_DOC_ORD_BOOL, false, true },
		{ "bigint_col", PV_DOC_ORD_I64, false, true },
		{ "float_col", PV_DOC_ORD_F32, false, true },
		{ "double_col", PV_DOC_ORD_F64, false, true },
		{ "string_col", PV_DOC_ORD_BYTES, false, true }, /* no STRING annotation here */
		{ "timestamp_col", PV_DOC_ORD_NONE, false, false }, /* INT96 has no order */
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const pv_schema_node *leaf = pv_schema_find(pf->schema, want[i].path);
		assert_non_null(leaf);
		pv_doc_ord o;
		pv_doc_ord_init(&o, leaf);
		if (o.kind != want[i].kind)
			print_message("# %s: kind %d, want %d\n", want[i].path, o.kind, want[i].kind);
		assert_int_equal(o.kind, want[i].kind);
		assert_int_equal(o.is_text, want[i].text);
		assert_int_equal(o.can_hash, want[i].hash);
	}
	pv_pfile_free(pf);
	pf = load("data/alltypes_tiny_pages.parquet");
	const pv_schema_node *s = pv_schema_find(pf->schema, "string_col");
	pv_doc_ord o;
	pv_doc_ord_init(&o, s);
	assert_int_equal(o.kind, PV_DOC_ORD_BYTES);
	assert_true(o.is_text); /* BYTE_ARRAY STRING */
	assert_true(pv_doc_len_ok(&o, 0));
	pv_doc_ord_init(&o, pv_schema_find(pf->schema, "tinyint_col"));
	assert_int_equal(o.kind, PV_DOC_ORD_I32);
	assert_true(pv_doc_len_ok(&o, 4));
	assert_false(pv_doc_len_ok(&o, 1));
	pv_pfile_free(pf);
	pf = load("data/fixed_length_decimal.parquet");
	pv_doc_ord_init(&o, pv_schema_find(pf->schema, "value"));
	assert_int_equal(o.kind, PV_DOC_ORD_DEC_BE);
	assert_true(pv_doc_len_ok(&o, 11));
	assert_false(pv_doc_len_ok(&o, 3));
	/* a value's text for reports: 11-byte big-endian 100 at scale 2 */
	uint8_t v[11] = { 0 };
	v[10] = 100;
	char *txt = pv_doc_text(&o, v, sizeof v);
	assert_string_equal(txt, "1.00");
	free(txt);
	pv_pfile_free(pf);
}

static void test_list_and_json(void **state)
{
	(void)state;
	pv_doctor_report r;
	pv_doctor_report_init(&r);
	r.path = strdup("x.parquet");
	assert_int_equal(pv_doctor_add(&r.findings, PV_DOCTOR_ERROR, "statistics", 2, 1, "a.b", -1, -1,
				       "5", "0", "min_value is %s", "wrong"),
			 0);
	assert_int_equal(pv_doctor_add(&r.findings, PV_DOCTOR_WARNING, "crc", 0, 0, "c", 3, 17, NULL,
				       NULL, "bad"),
			 0);
	assert_int_equal(r.findings.n, 2);
	assert_string_equal(r.findings.v[0].message, "min_value is wrong");
	r.n_errors = 1;
	r.n_warnings = 1;
	pv_buf b;
	pv_buf_init(&b, 0);
	pv_json j;
	pv_json_init_buf(&j, &b, false);
	pv_doctor_report_json(&r, &j);
	assert_int_equal(pv_json_finish(&j), 0);
	assert_non_null(strstr(b.data, "\"severity\":\"error\",\"check\":\"statistics\",\"row_group\":2,"
				       "\"column\":\"a.b\",\"message\":\"min_value is wrong\","
				       "\"stored\":\"5\",\"actual\":\"0\""));
	assert_non_null(strstr(b.data, "\"page\":3,\"row\":17,\"message\":\"bad\"}"));
	assert_non_null(strstr(b.data, "\"errors\":1,\"warnings\":1,\"infos\":0"));
	pv_buf_release(&b);
	pv_doctor_report_release(&r);
	pv_doctor_report_release(NULL);
	pv_doctor_list_release(NULL);
}

static void doctor(const char *rel, pv_doctor_report *r)
{
	pv_pfile *pf = load(rel);
	pv_doctor_opts o = { .n_threads = 2 };
	pv_err e;
	pv_doctor_report_init(r);
	assert_int_equal(pv_doctor_file(pf, &o, r, &e), 0);
	pv_pfile_free(pf);
}

static void test_clean_files(void **state)
{
	(void)state;
	const char *files[] = { "data/alltypes_tiny_pages.parquet", "data/int32_with_null_pages.parquet",
				"data/data_index_bloom_encoding_stats.parquet",
				"data/datapage_v1-uncompressed-checksum.parquet",
				"data/nested_lists.snappy.parquet", "data/list_columns.parquet" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		pv_doctor_report r;
		doctor(files[i], &r);
		for (size_t k = 0; k < r.findings.n; k++)
			print_message("# %s: %s: %s\n", files[i], r.findings.v[k].check,
				      r.findings.v[k].message);
		assert_int_equal(r.findings.n, 0);
		assert_true(r.n_pages > 0);
		pv_doctor_report_release(&r);
	}
}

static void test_corrupt_checksums(void **state)
{
	(void)state;
	pv_doctor_report r;
	doctor("data/datapage_v1-corrupt-checksum.parquet", &r);
	assert_int_equal(r.n_errors, 2);
	assert_int_equal(r.findings.n, 2);
	assert_string_equal(r.findings.v[0].check, "crc");
	assert_string_equal(r.findings.v[0].column_path, "a");
	assert_int_equal(r.findings.v[0].page, 0);
	assert_string_equal(r.findings.v[0].stored, "0xbbce3b9d");
	assert_string_equal(r.findings.v[1].column_path, "b");
	assert_int_equal(r.findings.v[1].page, 1);
	assert_int_equal(r.n_rows, 5120);
	pv_doctor_report_release(&r);

	/* --columns: only 'b' */
	pv_pfile *pf = load("data/datapage_v1-corrupt-checksum.parquet");
	const char *cols[] = { "b" };
	pv_doctor_opts o = { .n_threads = 1, .columns = cols, .n_columns = 1, .no_advice = true };
	pv_err e;
	pv_doctor_report_init(&r);
	assert_int_equal(pv_doctor_file(pf, &o, &r, &e), 0);
	assert_int_equal(r.findings.n, 1);
	assert_string_equal(r.findings.v[0].column_path, "b");
	assert_int_equal(r.n_chunks, 1);
	pv_doctor_report_release(&r);
	pv_pfile_free(pf);
}

static void test_unreadable(void **state)
{
	(void)state;
	pv_doctor_report r;
	pv_doctor_report_init(&r);
	pv_err why;
	pv_err_set(&why, PV_ECORRUPT, "x.parquet: not a parquet file");
	assert_int_equal(pv_doctor_unreadable("x.parquet", &why, &r, NULL), 0);
	assert_true(r.unreadable);
	assert_int_equal(r.n_errors, 1);
	assert_string_equal(r.findings.v[0].check, "footer");
	assert_string_equal(r.findings.v[0].message, "not a parquet file");
	pv_doctor_report_release(&r);
}

/* The advice rules on a real footer with made-up chunk results. */
static void test_advice(void **state)
{
	(void)state;
	pv_pfile *pf = load("data/alltypes_plain.parquet");
	size_t n = pf->schema->n_leaves;
	pv_doc_chunk *ch = calloc(n, sizeof *ch);
	assert_non_null(ch);
	for (size_t c = 0; c < n; c++) {
		ch[c].col = c;
		ch[c].checked = true;
		ch[c].has_stats = c != 0; /* only 'id' lacks statistics */
		ch[c].n_data_pages = 1;
	}
	ch[3].n_dict_pages = 1;
	ch[3].n_data_pages = 5;
	ch[3].n_fallback_pages = 3;
	ch[3].has_offset_index = true;
	ch[5].n_data_pages = 2; /* several pages, no page index */
	pv_doctor_list adv = { 0 };
	pv_doc_advise(pf, ch, &adv);
	const char *want[][2] = {
		{ "dictionary_fallback", "column 'smallint_col' fell back from dictionary to plain "
					 "encoding in 1 column chunks (3 of 5 data pages)" },
		{ "statistics", "1 of 11 columns have no statistics ('id')" },
		{ "page_index", "1 of 11 columns have column chunks of several pages but no page index "
				"('bigint_col')" },
	};
	for (size_t i = 0; i < adv.n; i++)
		print_message("# %s: %s\n", adv.v[i].check, adv.v[i].message);
	assert_int_equal(adv.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(adv.v[i].check, want[i][0]);
		assert_non_null(strstr(adv.v[i].message, want[i][1]));
	}
	pv_doctor_list_release(&adv);
	/* nothing checked: no advice about columns */
	for (size_t c = 0; c < n; c++)
		ch[c].checked = false;
	pv_doc_advise(pf, ch, &adv);
	assert_int_equal(adv.n, 0);
	pv_doctor_list_release(&adv);
	free(ch);
	pv_pfile_free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integer_orders),	cmocka_unit_test(test_float_orders),
		cmocka_unit_test(test_byte_orders),	cmocka_unit_test(test_leaf_orders),
		cmocka_unit_test(test_list_and_json),	cmocka_unit_test(test_clean_files),
		cmocka_unit_test(test_corrupt_checksums), cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_advice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
