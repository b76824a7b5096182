/*
 * tokenize_libs.c - PCRE2 and libunistring for tokenizer.json pipelines,
 * opened on first use (base/dynlib.h): only a contract that names a
 * tokenizer.json maps them, so every other command starts without their
 * relocations (libunistring alone costs about 0.35M instructions at
 * start-up). The tables are filled once and read by tokenize.c and
 * tokenizer_json.c. Includes only base and analyze.
 */
#include "analyze/tokenize_int.h"

#include "base/dynlib.h"
#include "base/banned.h"

/* The symbols behind pcre2.h's width-8 macros, in the table's order. */
static const char *const pcre_names[] = {
	"pcre2_compile_8",       "pcre2_jit_compile_8",     "pcre2_code_free_8",
	"pcre2_match_data_create_8", "pcre2_match_data_free_8", "pcre2_match_8",
	"pcre2_get_ovector_pointer_8", "pcre2_get_error_message_8",
};
_Static_assert(sizeof(struct pv_pcre2_table) == sizeof pcre_names / sizeof pcre_names[0] * sizeof(void *),
	       "one pointer per name");

static const char *const uni_names[] = {
	"u8_normalize", "u8_tolower", "uninorm_nfc", "uninorm_nfd", "uninorm_nfkc", "uninorm_nfkd",
};
_Static_assert(sizeof(struct pv_unistring_table) == sizeof uni_names / sizeof uni_names[0] * sizeof(void *),
	       "one pointer per name");

struct pv_pcre2_table pv_pcre2;
struct pv_unistring_table pv_unistring;

static pv_dynlib pcre_lib = PV_DYNLIB_INIT("libpcre2-8.so.0", "libpcre2-8-0",
					   "tokenizer.json patterns", pcre_names, &pv_pcre2);
static pv_dynlib uni_lib = PV_DYNLIB_INIT("libunistring.so.2", "libunistring2",
					  "tokenizer.json normalizers", uni_names, &pv_unistring);

int pv_tok_pcre2_load(pv_err *err)
{
	return pv_dynlib_load(&pcre_lib, err);
}

int pv_tok_unistring_load(pv_err *err)
{
	return pv_dynlib_load(&uni_lib, err);
}
