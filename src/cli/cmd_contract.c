/*
 * cmd_contract.c - `parqview contract init PATH [-o FILE]`: writes a
 * starting data contract (ODCS v3.1 YAML) for a dataset, to stdout or
 * atomically to FILE (analyze/contract.h does the work).
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/contract.h"
#include "cli/cli.h"
#include "io/atomic.h"
#include "base/banned.h"

static const char help[] =
	"usage: parqview contract init PATH [-o FILE]\n"
	"\n"
	"Writes a starting data contract (Open Data Contract Standard v3.1 YAML)\n"
	"for the dataset at PATH: a server with PATH's absolute path, one property\n"
	"per column with logicalType and physicalType, required when the footers\n"
	"count no NULL, partitioned for hive keys, maxLength for text columns (the\n"
	"longest text: those columns are read once) and a rowCount rule. The result\n"
	"passes `parqview check` on the same data.\n"
	"\n"
	"  -o, --output FILE  write FILE (atomically; never over an input) instead of stdout\n"
	"  --color WHEN       auto, always or never\n";

int pv_cmd_contract(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "output", required_argument, NULL, 'o' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	const char *output = NULL;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(help, stdout);
		return PV_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "init"))
		return pv_cli_usage("contract", "expected 'init', found '%s'", argc < 2 ? "" : argv[1]);
	argc--;
	argv++;
	int opt;
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "ho:", opts, "contract", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT)
			return opt_exit;
		if (opt == 'o')
			output = optarg;
		else
			return pv_cli_bad_option("contract", argv);
	}
	if (argc - optind != 1)
		return pv_cli_usage("contract", "init takes one PATH");
	pv_cli_begin(&com);
	const char *path = argv[optind];
	int code;
	pv_dataset *ds = pv_cli_open_dataset("contract", argv + optind, 1, &code);
	if (!ds)
		return code;
	if (code) {
		pv_dataset_free(ds);
		return code;
	}
	/* the name: the last path component */
	char name[256];
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && path[b - 1] != '/')
		b--;
	snprintf(name, sizeof name, "%.*s", (int)(n - b), path + b);
	char *abs = realpath(path, NULL);
	pv_err err;
	pv_err_clear(&err);
	int rc;
	if (!output) {
		rc = pv_contract_init_write(ds, name, abs ? abs : path, stdout, &err);
	} else {
		pv_atomic_file af = { 0 };
		/* every file of the dataset is an input */
		const char **protect = calloc(ds->n_files + 1, sizeof *protect);
		if (!protect) {
			free(abs);
			pv_dataset_free(ds);
			return PV_EXIT_INTERNAL;
		}
		protect[0] = path;
		for (size_t i = 0; i < ds->n_files; i++)
			protect[i + 1] = ds->files[i].path;
		rc = pv_atomic_open(&af, output, protect, ds->n_files + 1, &err);
		free(protect);
		if (!rc)
			rc = pv_contract_init_write(ds, name, abs ? abs : path, pv_atomic_stream(&af), &err);
		if (!rc)
			rc = pv_atomic_commit(&af, &err);
		pv_atomic_abort(&af);
	}
	free(abs);
	pv_dataset_free(ds);
	if (rc)
		return pv_cli_error(&err);
	return PV_EXIT_OK;
}
