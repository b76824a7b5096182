/*
 * test_bloom.c - unit tests for bloom filter reads and `--bloom` probes:
 * the corpus files with bloom filters (with and without
 * bloom_filter_length), files without one, the text -> PLAIN conversions
 * per type, and handmade filters with lying headers and offsets.
 */
#include "testutil.h"

#include "base/buf.h"
#include "format/pages.h"
#include "io/source.h"
#include "read/bloom.h"
#include "read/pfile.h"

static void open_corpus(const char *rel, pv_source **src, pv_pfile **pf)
{
	char path[1024];
	pv_err e;
	assert_int_equal(pv_source_open(pv_test_file(path, sizeof path, rel), src, &e), 0);
	int rc = pv_pfile_load(*src, pf, &e);
	if (rc)
		print_message("# %s: %s\n", rel, e.msg);
	assert_int_equal(rc, 0);
}

/* The 14 strings of the `String` column (read back with DuckDB; note the
 * trailing space of "doing "). */
static const char *const present[] = { "Hello", "This is", "a",        "test",  "How",
				       "are you", "doing ", "today",   "the quick", "brown fox",
				       "jumps",   "over",   "the lazy", "dog" };
static const char *const absent[] = { "hello", "doing", "Hello ", "", "xyz", "dogs", "the", "parquet",
				      "today!", "HOW" };

static void test_corpus_filters(void **state)
{
	const char *files[] = { "data/data_index_bloom_encoding_stats.parquet",
				"data/data_index_bloom_encoding_with_length.parquet" };
	for (size_t f = 0; f < 2; f++) {
		pv_source *src;
		pv_pfile *pf;
		pv_err e;
		open_corpus(files[f], &src, &pf);
		const pv_column_chunk *cc = &pf->meta->row_groups[0].columns[0];
		const pv_schema_node *leaf = pv_schema_find(pf->schema, "String");
		assert_non_null(leaf);
		assert_int_equal(cc->meta_data.has_bloom_filter_length, f == 1);

		pv_bloom_filter bf;
		pv_source_stats_reset(src);
		assert_int_equal(pv_bloom_filter_read(src, cc, &bf, &e), 0);
		/* With a length: one read; without: the header, then the bitset. */
		assert_int_equal(bf.n_reads, f == 1 ? 1 : 2);
		assert_int_equal(pv_source_stats_get(src).n_reads, (uint64_t)bf.n_reads);
		assert_int_equal(bf.offset, cc->meta_data.bloom_filter_offset);
		assert_int_equal(bf.n_bytes, (size_t)bf.header.num_bytes);
		assert_int_equal(bf.n_bytes % 32, 0);
		if (f == 1)
			assert_int_equal(bf.header_len + bf.n_bytes, (size_t)cc->meta_data.bloom_filter_length);
		for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
			assert_true(pv_bloom_filter_check(&bf, pv_bloom_hash(present[i], strlen(present[i]))));
		pv_bloom_filter_release(&bf);
		pv_bloom_filter_release(&bf);
		pv_bloom_filter_release(NULL);

		for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
			pv_bloom_result r;
			assert_int_equal(pv_bloom_probe(src, cc, leaf, present[i], &r, &e), 0);
			assert_int_equal(r, PV_BLOOM_MAYBE_PRESENT);
		}
		for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
			pv_bloom_result r;
			assert_int_equal(pv_bloom_probe(src, cc, leaf, absent[i], &r, &e), 0);
			if (r != PV_BLOOM_DEFINITELY_ABSENT)
				print_message("# '%s' in %s: %s\n", absent[i], files[f], pv_bloom_result_name(r));
			assert_int_equal(r, PV_BLOOM_DEFINITELY_ABSENT);
		}
		pv_pfile_free(pf);
		pv_source_close(src);
	}
}

static void test_no_filter(void **state)
{
	pv_source *src;
	pv_pfile *pf;
	pv_err e;
	open_corpus("data/alltypes_plain.parquet", &src, &pf);
	const pv_schema_node *leaf = pv_schema_find(pf->schema, "id");
	const pv_column_chunk *cc = &pf->meta->row_groups[0].columns[leaf->leaf_index];
	pv_bloom_filter bf;
	pv_source_stats_reset(src);
	assert_int_equal(pv_bloom_filter_read(src, cc, &bf, &e), PV_ENOTFOUND);
	assert_string_equal(e.msg, "no bloom filter");
	assert_null(bf.mem);
	pv_bloom_result r = PV_BLOOM_MAYBE_PRESENT;
	assert_int_equal(pv_bloom_probe(src, cc, leaf, "4", &r, &e), 0);
	assert_int_equal(r, PV_BLOOM_NO_FILTER);
	assert_int_equal(pv_source_stats_get(src).n_reads, 0);
	/* A typo is an error even without a filter. */
	assert_int_equal(pv_bloom_probe(src, cc, leaf, "four", &r, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'four' is not a valid INT32 for column 'id'");
	assert_string_equal(pv_bloom_result_name(PV_BLOOM_NO_FILTER), "no filter");
	assert_string_equal(pv_bloom_result_name(PV_BLOOM_DEFINITELY_ABSENT), "definitely absent");
	assert_string_equal(pv_bloom_result_name(PV_BLOOM_MAYBE_PRESENT), "maybe present");
	assert_string_equal(pv_bloom_result_name(42), "unknown");
	pv_pfile_free(pf);
	pv_source_close(src);
}

/* ------------------------------------------------------------------ text -> bytes */

typedef struct fake_leaf {
	pv_schema_element el;
	pv_schema_node node;
} fake_leaf;

static const pv_schema_node *leaf_of(fake_leaf *f, pv_physical_type t)
{
	memset(f, 0, sizeof *f);
	f->el.name = "x";
	f->el.has_type = true;
	f->el.type = t;
	f->node.name = "x";
	f->node.path = "x";
	f->node.element = &f->el;
	f->node.is_leaf = true;
	return &f->node;
}

static void set_logical(fake_leaf *f, pv_logical_kind k)
{
	f->el.has_logical_type = true;
	f->el.logical_type.kind = k;
}

static void expect_bytes(const pv_schema_node *leaf, const char *text, const void *want, size_t n)
{
	pv_bloom_key k;
	pv_err e;
	int rc = pv_bloom_key_from_text(leaf, text, &k, &e);
	if (rc)
		print_message("# '%s': %s\n", text, e.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(k.len, n);
	if (n)
		assert_memory_equal(k.ptr, want, n);
}

static void expect_invalid(const pv_schema_node *leaf, const char *text)
{
	pv_bloom_key k;
	pv_err e;
	int rc = pv_bloom_key_from_text(leaf, text, &k, &e);
	if (rc != PV_EINVAL)
		print_message("# '%s' gave %d\n", text, rc);
	assert_int_equal(rc, PV_EINVAL);
	char want[64];
	snprintf(want, sizeof want, "'%s' is not a valid ", text);
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, " for column 'x'"));
}

static void test_key_integers(void **state)
{
	fake_leaf f;
	pv_err e;
	pv_bloom_key k;
	const pv_schema_node *leaf = leaf_of(&f, PV_TYPE_INT32);
	expect_bytes(leaf, "42", "\x2a\0\0\0", 4);
	expect_bytes(leaf, "-1", "\xff\xff\xff\xff", 4);
	expect_bytes(leaf, "+7", "\x07\0\0\0", 4);
	expect_bytes(leaf, "2147483647", "\xff\xff\xff\x7f", 4);
	expect_bytes(leaf, "-2147483648", "\0\0\0\x80", 4);
	expect_invalid(leaf, "2147483648");
	expect_invalid(leaf, "abc");
	expect_invalid(leaf, "");
	expect_invalid(leaf, " 1");
	expect_invalid(leaf, "1 ");
	expect_invalid(leaf, "1.5");
	expect_invalid(leaf, "0x10");
	assert_int_equal(pv_bloom_key_from_text(leaf, "abc", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'abc' is not a valid INT32 for column 'x'");

	leaf = leaf_of(&f, PV_TYPE_INT64);
	expect_bytes(leaf, "1", "\x01\0\0\0\0\0\0\0", 8);
	expect_bytes(leaf, "-9223372036854775808", "\0\0\0\0\0\0\0\x80", 8);
	expect_invalid(leaf, "9223372036854775808");
	assert_int_equal(pv_bloom_key_from_text(leaf, "abc", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'abc' is not a valid INT64 for column 'x'");

	/* Unsigned: the full range, stored as the same bits. */
	leaf = leaf_of(&f, PV_TYPE_INT32);
	set_logical(&f, PV_LOGICAL_INTEGER);
	f.el.logical_type.bit_width = 32;
	f.el.logical_type.is_signed = false;
	expect_bytes(leaf, "4294967295", "\xff\xff\xff\xff", 4);
	expect_invalid(leaf, "4294967296");
	expect_invalid(leaf, "-1");
	leaf = leaf_of(&f, PV_TYPE_INT64);
	f.el.has_converted_type = true;
	f.el.converted_type = PV_CONV_UINT_64;
	expect_bytes(leaf, "18446744073709551615", "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	expect_invalid(leaf, "18446744073709551616");
}

static void test_key_dates_and_decimals(void **state)
{
	fake_leaf f;
	pv_err e;
	pv_bloom_key k;
	const pv_schema_node *leaf = leaf_of(&f, PV_TYPE_INT32);
	set_logical(&f, PV_LOGICAL_DATE);
	expect_bytes(leaf, "1970-01-01", "\0\0\0\0", 4);
	expect_bytes(leaf, "1970-01-02", "\x01\0\0\0", 4);
	expect_bytes(leaf, "1969-12-31", "\xff\xff\xff\xff", 4);
	/* 10957 days to 2000-01-01, then 31 + 29. */
	expect_bytes(leaf, "2000-03-01", "\x09\x2b\0\0", 4);
	expect_bytes(leaf, "2024-02-29", "\x46\x4d\0\0", 4);
	expect_bytes(leaf, "19723", "\x0b\x4d\0\0", 4);
	expect_invalid(leaf, "2023-02-29");
	expect_invalid(leaf, "1900-02-29");
	expect_invalid(leaf, "2020-13-01");
	expect_invalid(leaf, "2020-04-31");
	expect_invalid(leaf, "2020-1-1");
	expect_invalid(leaf, "2020-01-01T00:00");
	expect_invalid(leaf, "yesterday");
	assert_int_equal(pv_bloom_key_from_text(leaf, "2020-13-01", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'2020-13-01' is not a valid DATE for column 'x'");
	/* The legacy annotation works the same. */
	leaf = leaf_of(&f, PV_TYPE_INT32);
	f.el.has_converted_type = true;
	f.el.converted_type = PV_CONV_DATE;
	expect_bytes(leaf, "1970-01-02", "\x01\0\0\0", 4);

	/* DECIMAL(9,2) on INT32. */
	leaf = leaf_of(&f, PV_TYPE_INT32);
	set_logical(&f, PV_LOGICAL_DECIMAL);
	f.el.logical_type.precision = 9;
	f.el.logical_type.scale = 2;
	expect_bytes(leaf, "12.34", "\xd2\x04\0\0", 4);
	expect_bytes(leaf, "12.340", "\xd2\x04\0\0", 4);
	expect_bytes(leaf, "12", "\xb0\x04\0\0", 4);
	expect_bytes(leaf, ".5", "\x32\0\0\0", 4);
	expect_bytes(leaf, "-0.5", "\xce\xff\xff\xff", 4);
	expect_invalid(leaf, "12.345");
	expect_invalid(leaf, "1.2.3");
	expect_invalid(leaf, ".");
	expect_invalid(leaf, "-");
	expect_invalid(leaf, "1e3");
	expect_invalid(leaf, "99999999999");
	assert_int_equal(pv_bloom_key_from_text(leaf, "12.345", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'12.345' is not a valid DECIMAL(9,2) for column 'x'");

	/* DECIMAL(18,0) on INT64, legacy annotation. */
	leaf = leaf_of(&f, PV_TYPE_INT64);
	f.el.has_converted_type = true;
	f.el.converted_type = PV_CONV_DECIMAL;
	f.el.has_scale = f.el.has_precision = true;
	f.el.scale = 0;
	f.el.precision = 18;
	expect_bytes(leaf, "-9223372036854775808", "\0\0\0\0\0\0\0\x80", 8);
	expect_invalid(leaf, "9223372036854775808");

	/* DECIMAL(7,2) on FLBA(4): sign-extended big-endian. */
	leaf = leaf_of(&f, PV_TYPE_FIXED_LEN_BYTE_ARRAY);
	f.el.has_type_length = true;
	f.el.type_length = 4;
	set_logical(&f, PV_LOGICAL_DECIMAL);
	f.el.logical_type.precision = 7;
	f.el.logical_type.scale = 2;
	expect_bytes(leaf, "-1.00", "\xff\xff\xff\x9c", 4);
	expect_bytes(leaf, "1.28", "\0\0\0\x80", 4);
	expect_invalid(leaf, "99999999.99");
	/* FLBA(16): wider than int64, still sign-extended. */
	f.el.type_length = 16;
	expect_bytes(leaf, "-0.01", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16);

	/* DECIMAL on BYTE_ARRAY: the fewest two's complement bytes. */
	leaf = leaf_of(&f, PV_TYPE_BYTE_ARRAY);
	set_logical(&f, PV_LOGICAL_DECIMAL);
	f.el.logical_type.precision = 10;
	f.el.logical_type.scale = 2;
	expect_bytes(leaf, "0", "\0", 1);
	expect_bytes(leaf, "1.27", "\x7f", 1);
	expect_bytes(leaf, "1.28", "\0\x80", 2);
	expect_bytes(leaf, "-1.28", "\x80", 1);
	expect_bytes(leaf, "-1.29", "\xff\x7f", 2);
}

static void test_key_other_types(void **state)
{
	fake_leaf f;
	pv_err e;
	pv_bloom_key k;
	const pv_schema_node *leaf = leaf_of(&f, PV_TYPE_BOOLEAN);
	expect_bytes(leaf, "true", "\x01", 1);
	expect_bytes(leaf, "false", "\0", 1);
	expect_invalid(leaf, "yes");
	expect_invalid(leaf, "TRUE");

	leaf = leaf_of(&f, PV_TYPE_DOUBLE);
	double d = 1.5;
	expect_bytes(leaf, "1.5", &d, 8);
	d = -2e300;
	expect_bytes(leaf, "-2e300", &d, 8);
	expect_invalid(leaf, "1e999");
	expect_invalid(leaf, "1.5x");
	expect_invalid(leaf, "");
	expect_invalid(leaf, " 1");
	leaf = leaf_of(&f, PV_TYPE_FLOAT);
	float fl = 0.25f;
	expect_bytes(leaf, "0.25", &fl, 4);
	expect_invalid(leaf, "1e40");
	assert_int_equal(pv_bloom_key_from_text(leaf, "inf", &k, &e), 0);

	/* Byte arrays: the bytes as typed, no length prefix. */
	leaf = leaf_of(&f, PV_TYPE_BYTE_ARRAY);
	set_logical(&f, PV_LOGICAL_STRING);
	expect_bytes(leaf, "h\xc3\xa9llo", "h\xc3\xa9llo", 6);
	expect_bytes(leaf, "", "", 0);

	leaf = leaf_of(&f, PV_TYPE_FIXED_LEN_BYTE_ARRAY);
	f.el.has_type_length = true;
	f.el.type_length = 16;
	set_logical(&f, PV_LOGICAL_UUID);
	expect_bytes(leaf, "6325c32b-f417-41aa-9e02-9b8601542aff",
		     "\x63\x25\xc3\x2b\xf4\x17\x41\xaa\x9e\x02\x9b\x86\x01\x54\x2a\xff", 16);
	expect_bytes(leaf, "6325C32B-F417-41AA-9E02-9B8601542AFF",
		     "\x63\x25\xc3\x2b\xf4\x17\x41\xaa\x9e\x02\x9b\x86\x01\x54\x2a\xff", 16);
	expect_invalid(leaf, "6325c32bf41741aa9e029b8601542aff");
	expect_invalid(leaf, "6325c32b-f417-41aa-9e02-9b8601542afg");
	expect_invalid(leaf, "6325c32b-f417-41aa-9e02-9b8601542af");
	assert_int_equal(pv_bloom_key_from_text(leaf, "nope", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'nope' is not a valid UUID for column 'x'");

	leaf = leaf_of(&f, PV_TYPE_FIXED_LEN_BYTE_ARRAY);
	f.el.has_type_length = true;
	f.el.type_length = 4;
	expect_bytes(leaf, "abcd", "abcd", 4);
	expect_invalid(leaf, "abc");
	expect_invalid(leaf, "abcde");
	assert_int_equal(pv_bloom_key_from_text(leaf, "abc", &k, &e), PV_EINVAL);
	assert_string_equal(e.msg, "'abc' is not a valid FIXED_LEN_BYTE_ARRAY(4) for column 'x'");
	f.el.type_length = 2;
	set_logical(&f, PV_LOGICAL_FLOAT16);
	assert_int_equal(pv_bloom_key_from_text(leaf, "1.5", &k, &e), PV_EUNSUPPORTED);

	leaf = leaf_of(&f, PV_TYPE_INT96);
	assert_int_equal(pv_bloom_key_from_text(leaf, "1", &k, &e), PV_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "INT96"));
}

/* ------------------------------------------------------------------ handmade filters */

/* "PAR1", a bloom filter over the INT64 values 0, 10, ..., 990, then "tail". */
static size_t build_filter(pv_buf *b, int32_t num_bytes, int32_t algorithm, size_t *out_header_len)
{
	pv_buf_reset(b);
	assert_int_equal(pv_buf_append(b, "PAR1", 4, NULL), 0);
	pv_bloom_header h = { num_bytes, algorithm, 1, 1 };
	assert_int_equal(pv_bloom_header_write(&h, b, NULL), 0);
	*out_header_len = b->len - 4;
	size_t at = b->len;
	size_t n = num_bytes > 0 ? (size_t)num_bytes : 0;
	assert_int_equal(pv_buf_reserve(b, n, NULL), 0);
	memset(b->data + at, 0, n);
	b->len += n;
	for (int64_t v = 0; v < 1000 && n >= 32 && n % 32 == 0; v += 10) {
		uint8_t le[8];
		for (int i = 0; i < 8; i++)
			le[i] = (uint8_t)((uint64_t)v >> (8 * i));
		pv_bloom_insert((uint8_t *)b->data + at, n, pv_bloom_hash(le, 8));
	}
	assert_int_equal(pv_buf_append(b, "tail", 4, NULL), 0);
	return 4;
}

static int probe(const pv_buf *b, const pv_column_chunk *cc, const char *text, pv_bloom_result *r, pv_err *e)
{
	fake_leaf f;
	const pv_schema_node *leaf = leaf_of(&f, PV_TYPE_INT64);
	pv_source *src;
	assert_int_equal(pv_source_open_mem(b->data, b->len, "mem", &src, e), 0);
	int rc = pv_bloom_probe(src, cc, leaf, text, r, e);
	pv_source_close(src);
	return rc;
}

static void test_handmade(void **state)
{
	pv_buf b;
	pv_err e;
	pv_bloom_result r;
	size_t hlen;
	pv_buf_init(&b, 0);
	size_t off = build_filter(&b, 1024, 1, &hlen);
	pv_column_chunk cc;
	memset(&cc, 0, sizeof cc);
	cc.has_meta_data = true;
	cc.meta_data.type = PV_TYPE_INT64;
	cc.meta_data.has_bloom_filter_offset = true;
	cc.meta_data.bloom_filter_offset = (int64_t)off;

	/* Without and with a length, present and absent values. */
	for (int with_len = 0; with_len < 2; with_len++) {
		cc.meta_data.has_bloom_filter_length = with_len;
		cc.meta_data.bloom_filter_length = (int32_t)(hlen + 1024);
		size_t n_absent = 0;
		for (int v = 0; v < 1000; v++) {
			char t[16];
			snprintf(t, sizeof t, "%d", v);
			assert_int_equal(probe(&b, &cc, t, &r, &e), 0);
			if (v % 10 == 0)
				assert_int_equal(r, PV_BLOOM_MAYBE_PRESENT);
			else
				n_absent += r == PV_BLOOM_DEFINITELY_ABSENT;
		}
		/* 100 values in 32 blocks: false positives are rare. */
		assert_true(n_absent > 850);
	}

	/* A length shorter than header + bitset, or past the end of the file. */
	cc.meta_data.has_bloom_filter_length = true;
	cc.meta_data.bloom_filter_length = (int32_t)(hlen + 1023);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "runs past its bloom_filter_length"));
	assert_int_equal(r, PV_BLOOM_NO_FILTER);
	cc.meta_data.bloom_filter_length = (int32_t)(b.len - off + 1);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "lies outside the file"));
	cc.meta_data.bloom_filter_length = 0;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	cc.meta_data.bloom_filter_length = -1;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	cc.meta_data.bloom_filter_length = 3;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "truncated"));

	/* Offsets outside the file. */
	cc.meta_data.has_bloom_filter_length = false;
	cc.meta_data.bloom_filter_offset = (int64_t)b.len;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	cc.meta_data.bloom_filter_offset = -8;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	cc.meta_data.bloom_filter_offset = 0;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	/* Garbage where the header should be ("tail"). */
	cc.meta_data.bloom_filter_offset = (int64_t)(b.len - 4);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "bloom filter at offset"));
	/* Inside the bitset: zeros parse as an empty struct, fields missing. */
	cc.meta_data.bloom_filter_offset = (int64_t)(off + hlen + 1);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);

	/* A bitset that runs past the end of the file (no length). */
	off = build_filter(&b, 1024, 1, &hlen);
	b.len -= 40;
	cc.meta_data.bloom_filter_offset = (int64_t)off;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	assert_non_null(strstr(e.msg, "runs past the end of the file"));

	/* Headers that parse but are refused. */
	build_filter(&b, 1000, 1, &hlen);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	build_filter(&b, 2, 1, &hlen);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	build_filter(&b, 64, 2, &hlen);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_EUNSUPPORTED);
	build_filter(&b, 0, 1, &hlen);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);
	/* A header announcing a bitset above the cap: refused before reading it. */
	pv_buf_reset(&b);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	pv_bloom_header h = { INT32_MAX - 31, 1, 1, 1 };
	assert_int_equal(pv_bloom_header_write(&h, &b, NULL), 0);
	assert_int_equal(pv_buf_append(&b, "tail", 4, NULL), 0);
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ELIMIT);
	cc.meta_data.has_bloom_filter_length = true;
	cc.meta_data.bloom_filter_length = INT32_MAX;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_ECORRUPT);

	/* Encrypted chunks are not read. */
	cc.encrypted = true;
	assert_int_equal(probe(&b, &cc, "10", &r, &e), PV_EUNSUPPORTED);
	pv_buf_release(&b);
}

/* A header longer than the first probe read (unknown fields first). */
static void test_long_header(void **state)
{
	pv_buf b;
	pv_err e;
	pv_buf_init(&b, 0);
	assert_int_equal(pv_buf_append(&b, "PAR1", 4, NULL), 0);
	/* Field 10, type binary (8), 600 bytes, then the real header's fields. */
	pv_buf h;
	pv_buf_init(&h, 0);
	pv_bloom_header bh = { 64, 1, 1, 1 };
	assert_int_equal(pv_bloom_header_write(&bh, &h, NULL), 0);
	assert_int_equal(pv_buf_putc(&b, (char)0xa8, NULL), 0);
	assert_int_equal(pv_buf_append(&b, "\xd8\x04", 2, NULL), 0); /* 600 */
	for (int i = 0; i < 600; i++)
		assert_int_equal(pv_buf_putc(&b, 'z', NULL), 0);
	/* The written header starts with field 1 as a delta from 0; after
	 * field 10 it needs a long-form field header: type i32 (5), id 1. */
	assert_int_equal(pv_buf_putc(&b, 0x05, NULL), 0);
	assert_int_equal(pv_buf_putc(&b, 0x02, NULL), 0);
	/* Skip the written header's first byte (short-form field 1). */
	assert_int_equal(pv_buf_append(&b, h.data + 1, h.len - 1, NULL), 0);
	size_t at = b.len;
	for (int i = 0; i < 64; i++)
		assert_int_equal(pv_buf_putc(&b, (char)0xff, NULL), 0);
	pv_column_chunk cc;
	memset(&cc, 0, sizeof cc);
	cc.has_meta_data = true;
	cc.meta_data.has_bloom_filter_offset = true;
	cc.meta_data.bloom_filter_offset = 4;
	pv_source *src;
	assert_int_equal(pv_source_open_mem(b.data, b.len, "mem", &src, &e), 0);
	pv_bloom_filter bf;
	int rc = pv_bloom_filter_read(src, &cc, &bf, &e);
	if (rc)
		print_message("# %s\n", e.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(bf.header_len, at - 4);
	assert_int_equal(bf.n_bytes, 64);
	assert_int_equal(bf.n_reads, 3);
	assert_true(pv_bloom_filter_check(&bf, 12345));
	pv_bloom_filter_release(&bf);
	pv_source_close(src);
	pv_buf_release(&h);
	pv_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_filters),
		cmocka_unit_test(test_no_filter),
		cmocka_unit_test(test_key_integers),
		cmocka_unit_test(test_key_dates_and_decimals),
		cmocka_unit_test(test_key_other_types),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_long_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
