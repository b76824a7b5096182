/*
 * cmd_count.c - `parqview count PATH...`: exact row counts from the footers.
 */
#include <getopt.h>
#include <stdio.h>

#include "base/json.h"
#include "cli/cli.h"
#include "render/units.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview count PATH... [--files] [--json]\n"
	"\n"
	"Prints the exact number of rows, read from the footers (no data is\n"
	"decoded). Unreadable files are reported on stderr and the exit code is 3.\n"
	"\n"
	"  --files        one line per file: rows and path, then the total\n"
	"  --json         {\"rows\": N, \"files\": [{\"path\", \"rows\"}...]} (files only with --files)\n"
	"  --color WHEN   auto, always or never\n";

int pv_cmd_count(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS, { "files", no_argument, NULL, 'f' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	bool per_file = false;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "count", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		if (opt == 'f')
			per_file = true;
		else
			return pv_cli_bad_option("count", argv);
	}
	pv_cli_begin(&com);
	int code;
	pv_dataset *ds = pv_cli_open_dataset("count", argv + optind, argc - optind, &code);
	if (!ds)
		return code;

	if (ds->n_failed == ds->n_files && !com.json) {
		/* every file was reported on stderr; a "0" would read as an answer */
	} else if (com.json) {
		pv_json j;
		pv_json_init_file(&j, stdout, true);
		pv_json_object_begin(&j);
		pv_json_kint(&j, "rows", ds->n_rows);
		pv_json_kint(&j, "n_files", (int64_t)(ds->n_files - ds->n_failed));
		pv_json_kint(&j, "n_failed", (int64_t)ds->n_failed);
		if (per_file) {
			pv_json_key(&j, "files");
			pv_json_array_begin(&j);
			for (size_t i = 0; i < ds->n_files; i++) {
				const pv_dataset_file *f = &ds->files[i];
				pv_json_object_begin(&j);
				pv_json_kstr(&j, "path", f->path);
				if (f->pf)
					pv_json_kint(&j, "rows", f->pf->rows);
				else
					pv_json_kstr(&j, "error", f->err->msg);
				pv_json_object_end(&j);
			}
			pv_json_array_end(&j);
		}
		pv_json_object_end(&j);
		if (pv_json_finish(&j))
			code = PV_EXIT_DATA;
	} else if (per_file) {
		/* right-aligned counts, so a column of numbers reads at a glance */
		int width = 1;
		char tmp[32];
		for (size_t i = 0; i < ds->n_files; i++)
			if (ds->files[i].pf) {
				int w = snprintf(tmp, sizeof tmp, "%lld",
						 (long long)ds->files[i].pf->rows);
				width = w > width ? w : width;
			}
		int w = snprintf(tmp, sizeof tmp, "%lld", (long long)ds->n_rows);
		width = w > width ? w : width;
		for (size_t i = 0; i < ds->n_files; i++)
			if (ds->files[i].pf)
				printf("%*lld  %s\n", width, (long long)ds->files[i].pf->rows,
				       ds->files[i].path);
		printf("%*lld  total (%zu files)\n", width, (long long)ds->n_rows,
		       ds->n_files - ds->n_failed);
	} else {
		printf("%lld\n", (long long)ds->n_rows);
	}
	pv_dataset_free(ds);
	return code;
}
