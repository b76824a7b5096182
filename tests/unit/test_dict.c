/*
 * test_dict.c - unit tests for dictionary pages and the gather (every
 * type, out-of-range indices, lying entry counts), dictionary-encoded data
 * through the dispatcher, and a sweep over the corpus: every page of every
 * UNCOMPRESSED column chunk (dictionary pages, v1 and v2 data pages, RLE
 * and BIT_PACKED levels, every value encoding found there) must decode in
 * full, with skips, under the levels' and values' own checks; the files in
 * bad_data/ must fail cleanly or decode.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/err.h"
#include "encoding/decoder.h"
#include "encoding/dict.h"
#include "encoding/rle.h"
#include "format/meta.h"
#include "format/schema.h"
#include "io/source.h"
#include "read/pagewalk.h"
#include "read/pfile.h"

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool has(const pv_err *e, const char *s)
{
	if (!strstr(e->msg, s)) {
		print_error("message '%s' lacks '%s'\n", e->msg, s);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ unit */

static void test_fixed(void **state)
{
	const int32_t entries[] = { 10, -20, 30, 40 };
	pv_dict d;
	pv_err e;
	assert_int_equal(pv_dict_init(&d, (const uint8_t *)entries, sizeof entries, PV_TYPE_INT32, 0, 4, &e), 0);
	const uint32_t idx[] = { 3, 0, 0, 1, 2, 3 };
	int32_t out[6];
	assert_int_equal(pv_dict_gather(&d, idx, 6, out, &e), 0);
	const int32_t want[] = { 40, 10, 10, -20, 30, 40 };
	assert_memory_equal(out, want, sizeof want);
	const uint32_t bad[] = { 1, 17, 2 };
	assert_int_equal(pv_dict_gather(&d, bad, 3, out, &e), PV_ECORRUPT);
	assert_true(has(&e, "dictionary index 17 out of range (dictionary has 4 entries)"));
	assert_int_equal(pv_dict_gather(&d, bad, 0, out, &e), 0);
	pv_dict_release(&d);

	/* INT96 and DOUBLE widths, unaligned in the page */
	uint8_t page[1 + 3 * 12];
	for (size_t i = 0; i < sizeof page; i++)
		page[i] = (uint8_t)i;
	assert_int_equal(pv_dict_init(&d, page + 1, 36, PV_TYPE_INT96, 0, 3, &e), 0);
	uint8_t o96[24];
	const uint32_t i96[] = { 2, 0 };
	assert_int_equal(pv_dict_gather(&d, i96, 2, o96, &e), 0);
	assert_memory_equal(o96, page + 1 + 24, 12);
	assert_memory_equal(o96 + 12, page + 1, 12);
	pv_dict_release(&d);
	assert_int_equal(pv_dict_init(&d, page + 1, 36, PV_TYPE_DOUBLE, 0, 4, &e), 0);
	double od;
	const uint32_t i3 = 3;
	assert_int_equal(pv_dict_gather(&d, &i3, 1, &od, &e), 0);
	assert_memory_equal(&od, page + 25, 8);
	pv_dict_release(&d);

	/* a page too short for its entries, a negative count */
	assert_int_equal(pv_dict_init(&d, page, 36, PV_TYPE_DOUBLE, 0, 5, &e), PV_ECORRUPT);
	pv_dict_release(&d);
	assert_int_equal(pv_dict_init(&d, page, 36, PV_TYPE_DOUBLE, 0, -3, &e), PV_ECORRUPT);
	assert_true(has(&e, "dictionary: negative entry count -3"));
	pv_dict_release(&d);
	pv_dict_release(NULL);

	/* an empty dictionary: any index is out of range */
	assert_int_equal(pv_dict_init(&d, NULL, 0, PV_TYPE_INT64, 0, 0, &e), 0);
	const uint32_t zero = 0;
	assert_int_equal(pv_dict_gather(&d, &zero, 1, &od, &e), PV_ECORRUPT);
	assert_true(has(&e, "dictionary index 0 out of range (dictionary has 0 entries)"));
	pv_dict_release(&d);
}

static void test_bytes(void **state)
{
	const uint8_t page[] = { 3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 2, 0, 0, 0, 'x', 'y' };
	pv_dict d;
	pv_err e;
	assert_int_equal(pv_dict_init(&d, page, sizeof page, PV_TYPE_BYTE_ARRAY, 0, 3, &e), 0);
	const uint32_t idx[] = { 2, 1, 0, 2 };
	pv_bytes_view v[4];
	assert_int_equal(pv_dict_gather(&d, idx, 4, v, &e), 0);
	assert_int_equal(v[0].len, 2);
	assert_memory_equal(v[0].ptr, "xy", 2);
	assert_int_equal(v[1].len, 0);
	assert_int_equal(v[2].len, 3);
	assert_ptr_equal(v[2].ptr, page + 4);
	pv_dict_release(&d);

	/* more entries than 4-byte lengths fit: refused before allocating */
	assert_int_equal(pv_dict_init(&d, page, sizeof page, PV_TYPE_BYTE_ARRAY, 0, 1000000000, &e),
			 PV_ECORRUPT);
	assert_true(has(&e, "dictionary: 1000000000 byte array entries cannot fit in 17 bytes"));
	pv_dict_release(&d);
	/* lengths running past the page */
	assert_int_equal(pv_dict_init(&d, page, 10, PV_TYPE_BYTE_ARRAY, 0, 2, &e), PV_ECORRUPT);
	pv_dict_release(&d);

	/* FIXED_LEN_BYTE_ARRAY: views computed into the page */
	assert_int_equal(pv_dict_init(&d, page, sizeof page, PV_TYPE_FIXED_LEN_BYTE_ARRAY, 5, 3, &e), 0);
	assert_int_equal(pv_dict_gather(&d, idx + 1, 1, v, &e), 0);
	assert_ptr_equal(v[0].ptr, page + 5);
	assert_int_equal(v[0].len, 5);
	pv_dict_release(&d);

	/* BOOLEAN entries (not written in practice, still PLAIN) */
	const uint8_t bits[] = { 0x02 };
	assert_int_equal(pv_dict_init(&d, bits, 1, PV_TYPE_BOOLEAN, 0, 2, &e), 0);
	uint8_t b[3];
	const uint32_t bi[] = { 1, 0, 1 };
	assert_int_equal(pv_dict_gather(&d, bi, 3, b, &e), 0);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[1], 0);
	pv_dict_release(&d);
}

/* Dictionary-encoded pages through the dispatcher: random indices, a
 * hand-made hybrid encoding, skip then get. */
static void test_dispatch(void **state)
{
	int64_t entries[50];
	for (int i = 0; i < 50; i++)
		entries[i] = i * 1000 - 7;
	pv_dict d;
	pv_err e;
	assert_int_equal(pv_dict_init(&d, (const uint8_t *)entries, sizeof entries, PV_TYPE_INT64, 0, 50, &e), 0);
	/* width 6; an RLE run of 3000 x index 49, then one group 0..7 */
	const uint8_t page[] = { 6, 0xF0, 0x2E, 49, 0x03, 0x40, 0x20, 0x0C, 0x44, 0x61, 0x1C };
	pv_decoder dec;
	int64_t out[3008];
	for (int kind = 0; kind < 2; kind++) {
		int enc = kind ? PV_ENC_PLAIN_DICTIONARY : PV_ENC_RLE_DICTIONARY;
		assert_int_equal(pv_decoder_init(&dec, enc, PV_TYPE_INT64, 0, page, sizeof page, 3008, &d, NULL, &e),
				 0);
		assert_int_equal(pv_decoder_skip(&dec, 2990, &e), 0);
		assert_int_equal(pv_decoder_get(&dec, out, 18, &e), 0);
		for (int i = 0; i < 10; i++)
			assert_int_equal(out[i], 49 * 1000 - 7);
		for (int i = 0; i < 8; i++)
			assert_int_equal(out[10 + i], i * 1000 - 7);
		pv_decoder_release(&dec);
	}
	/* an index past the dictionary */
	const uint8_t far[] = { 6, 0x08, 50 };
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_RLE_DICTIONARY, PV_TYPE_INT64, 0, far, sizeof far, 4, &d, NULL,
					 &e), 0);
	assert_int_equal(pv_decoder_get(&dec, out, 4, &e), PV_ECORRUPT);
	assert_true(has(&e, "dictionary index 50 out of range (dictionary has 50 entries)"));
	pv_decoder_release(&dec);
	/* a dictionary of the wrong type */
	assert_int_equal(pv_decoder_init(&dec, PV_ENC_RLE_DICTIONARY, PV_TYPE_INT32, 0, far, sizeof far, 4, &d, NULL,
					 &e), PV_EINVAL);
	pv_decoder_release(&dec);
	pv_dict_release(&d);
}

/* Dictionary indices as a hybrid stream, written here: an RLE run over
 * every repeat of 8 or more, bit-packed groups elsewhere. */
static size_t encode_indices(uint8_t *out, const uint32_t *idx, size_t n, unsigned w)
{
	size_t len = 0;
	out[len++] = (uint8_t)w;
	for (size_t i = 0; i < n;) {
		size_t rep = 1;
		while (i + rep < n && idx[i + rep] == idx[i])
			rep++;
		if (rep >= 8) {
			for (uint64_t h = (uint64_t)rep << 1; ; h >>= 7) {
				out[len++] = (uint8_t)(h < 0x80 ? h : (h & 0x7f) | 0x80);
				if (h < 0x80)
					break;
			}
			for (unsigned b = 0; b < (w + 7) / 8; b++)
				out[len++] = (uint8_t)(idx[i] >> (8 * b));
			i += rep;
			continue;
		}
		out[len++] = 0x03; /* one group of 8 */
		memset(out + len, 0, w);
		for (size_t k = 0; k < 8; k++) {
			uint32_t v = i + k < n ? idx[i + k] : 0;
			for (unsigned b = 0; b < w; b++)
				if ((v >> b) & 1)
					out[len + (k * w + b) / 8] |= (uint8_t)(1u << ((k * w + b) % 8));
		}
		len += w;
		i += 8;
	}
	return len;
}

/* Random dictionaries and indices through the dispatcher: skip(k) then
 * get(rest) equals the entries looked up by hand. */
static void test_roundtrip(void **state)
{
	for (int seed = 0; seed < 60; seed++) {
		rng = 100 + (uint64_t)seed;
		bool bytes = below(2);
		size_t n_entries = 1 + below(below(2) ? 4 : 3000);
		size_t n = below(5000);
		unsigned w = n_entries == 1 ? 0 : 32 - (unsigned)__builtin_clz((unsigned)n_entries - 1);
		/* the dictionary page */
		uint8_t *page = malloc(n_entries * 12 + 1);
		size_t plen = 0;
		for (size_t i = 0; i < n_entries; i++) {
			if (bytes) {
				uint32_t l = (uint32_t)below(8);
				memcpy(page + plen, &l, 4);
				plen += 4;
				for (uint32_t k = 0; k < l; k++)
					page[plen++] = (uint8_t)rnd();
			} else {
				int32_t v = (int32_t)rnd();
				memcpy(page + plen, &v, 4);
				plen += 4;
			}
		}
		pv_dict d;
		pv_err e;
		int type = bytes ? PV_TYPE_BYTE_ARRAY : PV_TYPE_INT32;
		assert_int_equal(pv_dict_init(&d, page, plen, type, 0, (int64_t)n_entries, &e), 0);
		uint32_t *idx = malloc((n + 8) * sizeof *idx);
		for (size_t i = 0; i < n;) {
			size_t run = below(3) == 0 ? 1 + below(40) : 1;
			uint32_t x = (uint32_t)below(n_entries);
			for (size_t k = 0; k < run && i < n; k++)
				idx[i++] = x;
		}
		uint8_t *data = malloc(2 + (n / 8 + 1) * (w + 1) + n * 12);
		size_t dlen = encode_indices(data, idx, n, w);
		pv_decoder dec;
		size_t k = below(n + 1);
		assert_int_equal(pv_decoder_init(&dec, PV_ENC_RLE_DICTIONARY, type, 0, data, dlen, (int64_t)n, &d,
						 NULL, &e), 0);
		assert_int_equal(pv_decoder_skip(&dec, k, &e), 0);
		size_t width = pv_value_width(type);
		uint8_t *out = malloc((n - k + 1) * width);
		assert_int_equal(pv_decoder_get(&dec, out, n - k, &e), 0);
		for (size_t i = k; i < n; i++) {
			if (bytes) {
				pv_bytes_view v;
				memcpy(&v, out + (i - k) * width, sizeof v);
				assert_int_equal(v.len, d.views[idx[i]].len);
				assert_ptr_equal(v.ptr, d.views[idx[i]].ptr);
			} else {
				assert_memory_equal(out + (i - k) * 4, page + 4 * idx[i], 4);
			}
		}
		pv_decoder_release(&dec);
		pv_dict_release(&d);
		free(out);
		free(data);
		free(idx);
		free(page);
	}
}

/* ------------------------------------------------------------------ corpus sweep */

typedef struct sweep {
	size_t files, chunks, dict_pages, data_pages, values, failures;
} sweep;

static int read_levels(const pv_page_info *pi, const uint8_t *page, size_t len, size_t *off, int enc,
		       int max, bool prefixed_v1, size_t v2_len, int16_t *out, int64_t n, pv_err *err)
{
	if (max == 0)
		return 0;
	unsigned w = pv_level_width(max);
	if (!prefixed_v1) {
		pv_rle r;
		int rc = pv_rle_init(&r, page + *off, v2_len, w, n, err);
		if (!rc)
			rc = pv_rle_get_levels(&r, out, (size_t)n, (int16_t)max, err);
		*off += v2_len;
		return rc;
	}
	size_t used = 0;
	int rc;
	if (enc == PV_ENC_BIT_PACKED) {
		pv_bitpacked b;
		rc = pv_bitpacked_init(&b, page + *off, len - *off, w, n, &used, err);
		if (!rc)
			rc = pv_bitpacked_get_levels(&b, out, (size_t)n, (int16_t)max, err);
	} else {
		pv_rle r;
		rc = pv_rle_init_prefixed(&r, page + *off, len - *off, w, n, &used, err);
		/* split the read to cross run boundaries */
		size_t k = below((uint64_t)n + 1);
		if (!rc)
			rc = pv_rle_get_levels(&r, out, k, (int16_t)max, err);
		if (!rc)
			rc = pv_rle_get_levels(&r, out + k, (size_t)n - k, (int16_t)max, err);
	}
	(void)pi;
	*off += used;
	return rc;
}

/* Levels, then values in random chunks with random skips. */
static int decode_page(const pv_page_info *pi, const uint8_t *page, size_t len, const pv_schema_node *leaf,
		       const pv_dict *dict, sweep *s, pv_err *err)
{
	int64_t n = pi->num_values;
	int16_t *rep = calloc((size_t)n + 1, sizeof *rep), *def = calloc((size_t)n + 1, sizeof *def);
	size_t off = 0;
	bool v2 = pi->type == PV_PAGE_DATA_V2;
	int rc = read_levels(pi, page, len, &off, pi->rep_level_encoding, leaf->max_rep, !v2,
			     v2 ? (size_t)pi->rep_levels_len : 0, rep, n, err);
	if (!rc && v2 && leaf->max_rep == 0)
		off += (size_t)pi->rep_levels_len;
	if (!rc)
		rc = read_levels(pi, page, len, &off, pi->def_level_encoding, leaf->max_def, !v2,
				 v2 ? (size_t)pi->def_levels_len : 0, def, n, err);
	if (!rc && v2 && leaf->max_def == 0)
		off += (size_t)pi->def_levels_len;
	size_t present = 0;
	for (int64_t i = 0; i < n; i++)
		present += def[i] == leaf->max_def;
	free(rep);
	free(def);
	if (rc)
		return rc;
	if (off > len)
		return pv_err_set(err, PV_ECORRUPT, "levels run past the page");
	pv_buf scratch;
	pv_buf_init(&scratch, (size_t)64 << 20);
	pv_decoder dec;
	const pv_schema_element *el = leaf->element;
	rc = pv_decoder_init(&dec, pi->encoding, el->type, el->type_length, page + off, len - off,
			     (int64_t)present, dict, &scratch, err);
	uint8_t *out = malloc((present + 1) * (dec.width ? dec.width : 1));
	size_t pos = 0;
	while (!rc && pos < present) {
		size_t m = 1 + below(below(2) ? 7 : 400);
		if (m > present - pos)
			m = present - pos;
		if (below(4) == 0)
			rc = pv_decoder_skip(&dec, m, err);
		else
			rc = pv_decoder_get(&dec, out, m, err);
		pos += m;
		pv_buf_reset(&scratch);
	}
	if (!rc)
		s->values += present;
	free(out);
	pv_decoder_release(&dec);
	pv_buf_release(&scratch);
	return rc;
}

/* Decodes every page of every UNCOMPRESSED chunk of path. Returns the
 * first error's code (its message in *err), 0 when all decoded. */
static int sweep_file(const char *path, sweep *s, pv_err *err)
{
	pv_source *src;
	pv_pfile *pf;
	if (pv_source_open(path, &src, err) != 0)
		return err->code;
	int rc = pv_pfile_load(src, &pf, err);
	if (rc) {
		pv_source_close(src);
		return rc;
	}
	s->files++;
	for (size_t g = 0; g < pf->meta->n_row_groups && !rc; g++) {
		const pv_row_group *rg = &pf->meta->row_groups[g];
		for (size_t c = 0; c < rg->n_columns && c < pf->schema->n_leaves && !rc; c++) {
			const pv_column_chunk *cc = &rg->columns[c];
			const pv_schema_node *leaf = pf->schema->leaves[c];
			if (!cc->has_meta_data || cc->meta_data.codec != PV_CODEC_UNCOMPRESSED)
				continue;
			s->chunks++;
			pv_pagewalk w;
			pv_dict dict = { 0 };
			uint8_t *dict_page = NULL;
			bool have_dict = false;
			rc = pv_pagewalk_open(&w, src, cc, leaf->max_rep, err);
			while (!rc) {
				pv_page_info pi;
				bool done;
				rc = pv_pagewalk_next(&w, &pi, &done, err);
				if (rc || done)
					break;
				if (pi.type != PV_PAGE_DICTIONARY && !pi.is_data)
					continue;
				size_t len = (size_t)pi.compressed_size;
				uint8_t *page = malloc(len ? len : 1);
				rc = pv_source_read(src, pi.offset + (int64_t)pi.header_len, page, len, err);
				if (!rc && pi.type == PV_PAGE_DICTIONARY) {
					/* the dictionary points into its page: keep the page
					 * as long as the dictionary */
					pv_dict_release(&dict);
					free(dict_page);
					dict_page = page;
					page = NULL;
					rc = pv_dict_init(&dict, dict_page, len, leaf->element->type,
							  leaf->element->type_length, pi.num_values, err);
					have_dict = !rc;
					s->dict_pages++;
				} else if (!rc) {
					rc = decode_page(&pi, page, len, leaf, have_dict ? &dict : NULL, s, err);
					s->data_pages++;
				}
				free(page);
				if (rc)
					pv_err_prefix(err, "column '%s': page %lld", leaf->path, (long long)pi.index);
			}
			pv_pagewalk_release(&w);
			pv_dict_release(&dict);
			free(dict_page);
		}
	}
	pv_pfile_free(pf);
	pv_source_close(src);
	return rc;
}

static void list_dir(const char *dir, char ***paths, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open '%s' (set PARQVIEW_TESTDATA)", dir);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char p[2048];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (de->d_name[0] == '.' || stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			list_dir(p, paths, n);
		} else if (len > 8 && strcmp(de->d_name + len - 8, ".parquet") == 0) {
			*paths = realloc(*paths, (*n + 1) * sizeof **paths);
			(*paths)[(*n)++] = strdup(p);
		}
	}
	closedir(d);
}

static void test_corpus_sweep(void **state)
{
	char dir[1024];
	char **paths = NULL;
	size_t n = 0;
	list_dir(pv_test_file(dir, sizeof dir, "data"), &paths, &n);
	size_t n_good = n;
	list_dir(pv_test_file(dir, sizeof dir, "bad_data"), &paths, &n);
	sweep s = { 0 };
	rng = 11;
	for (size_t i = 0; i < n; i++) {
		pv_err err;
		pv_err_clear(&err);
		int rc = sweep_file(paths[i], &s, &err);
		if (rc && !err.msg[0])
			fail_msg("%s: error %d without a message", paths[i], rc);
		/* files the footer reader refuses (encrypted, corrupt) are other
		 * tests' business; pages that do not decode in data/ are ours */
		if (i < n_good && rc && rc != PV_EUNSUPPORTED && strstr(err.msg, "column '")) {
			print_error("%s: %s\n", paths[i], err.msg);
			s.failures++;
		}
		free(paths[i]);
	}
	free(paths);
	print_message("# %zu files, %zu uncompressed chunks, %zu dictionary pages, %zu data pages, %zu values\n",
		      s.files, s.chunks, s.dict_pages, s.data_pages, s.values);
	assert_int_equal(s.failures, 0);
	assert_true(s.data_pages > 500);
	assert_true(s.dict_pages > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_corpus_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
