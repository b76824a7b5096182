/*
 * cmd_serve.c - `parqview serve PATH... [--as NAME=PATH]`: the local web
 * UI and its JSON API (src/server). Prints the URL with its token on
 * stdout, opens a browser when there is a display, and serves until
 * SIGINT or SIGTERM, then shuts down cleanly and exits 0.
 */
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server/server.h"
#include "base/banned.h"

#ifndef PV_VERSION
#define PV_VERSION "0.1.0"
#endif

extern char **environ;

static const char help[] =
	"usage: parqview serve PATH... [--as NAME=PATH]... [--host H] [--port N]\n"
	"                      [--no-open] [--threads N] [--memory-limit X]\n"
	"                      [--query-timeout S]\n"
	"\n"
	"Serves a local web UI and JSON API over the datasets: one dataset 'data'\n"
	"for a single PATH, else one per PATH named after its base name, or NAME\n"
	"for --as NAME=PATH (the same NAME twice joins paths into one dataset).\n"
	"Prints the URL with its secret token on stdout and opens a browser when\n"
	"there is a display. Only the named datasets can be read. Stops on Ctrl-C.\n"
	"\n"
	"  --as NAME=PATH        a dataset named NAME (the view name in SQL)\n"
	"  --host H              address to bind (default 127.0.0.1)\n"
	"  --port N              port (default 0: any free port)\n"
	"  --no-open             do not open a browser\n"
	"  --threads N           HTTP worker threads (default 4)\n"
	"  --memory-limit X      memory for SQL sessions, e.g. 2GB (DuckDB's syntax)\n"
	"  --query-timeout S     seconds before a query is stopped (default 60)\n";

/* Opens url in the desktop's browser, without waiting and without its
 * output: xdg-open's chatter is not ours to print. */
static void open_browser(const char *url)
{
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *args[] = { "xdg-open", (char *)url, NULL };
	pid_t pid;
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, args, environ) != 0)
		pv_cli_warn("cannot start xdg-open; open the URL yourself");
	posix_spawn_file_actions_destroy(&fa);
}

int pv_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = { PV_CLI_COMMON_OPTS,
					      { "as", required_argument, NULL, 'a' },
					      { "host", required_argument, NULL, 'H' },
					      { "port", required_argument, NULL, 'p' },
					      { "no-open", no_argument, NULL, 'n' },
					      { "threads", required_argument, NULL, 't' },
					      { "memory-limit", required_argument, NULL, 'm' },
					      { "query-timeout", required_argument, NULL, 'q' },
					      { NULL, 0, NULL, 0 } };
	pv_cli_common com = { 0 };
	pv_server_opts so = { .version = PV_VERSION };
	pv_catalog_arg *args = calloc((size_t)argc + 1, sizeof *args);
	size_t n_args = 0;
	bool no_open = false;
	int opt, code = 0;
	long long v;
	if (!args) {
		fprintf(stderr, "parqview: out of memory\n");
		return PV_EXIT_INTERNAL;
	}
	int opt_exit;
	while ((opt = pv_cli_next_opt(&com, argc, argv, "h", opts, "serve", help, &opt_exit)) != -1) {
		if (opt == PV_CLI_OPT_EXIT) {
			code = opt_exit;
			goto out;
		}
		switch (opt) {
		case 'a': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1]) {
				code = pv_cli_usage("serve", "--as takes NAME=PATH, not '%s'", optarg);
				goto out;
			}
			*eq = '\0';
			args[n_args].id = optarg;
			args[n_args++].path = eq + 1;
			break;
		}
		case 'H': so.host = optarg; break;
		case 'p':
			if (!pv_cli_parse_i64(optarg, &v) || v > 65535) {
				code = pv_cli_usage("serve", "--port takes 0 to 65535, not '%s'", optarg);
				goto out;
			}
			so.port = (int)v;
			break;
		case 'n': no_open = true; break;
		case 't':
			if (!pv_cli_parse_i64(optarg, &v) || v < 1 || v > 256) {
				code = pv_cli_usage("serve", "--threads takes 1 to 256, not '%s'", optarg);
				goto out;
			}
			so.threads = (int)v;
			break;
		case 'm': so.memory_limit = optarg; break;
		case 'q':
			if (!pv_cli_parse_i64(optarg, &v) || v < 1 || v > 86400) {
				code = pv_cli_usage("serve", "--query-timeout takes 1 to 86400 seconds, not '%s'",
						    optarg);
				goto out;
			}
			so.query_timeout_s = (int)v;
			break;
		default:
			code = pv_cli_bad_option("serve", argv);
			goto out;
		}
	}
	for (int i = optind; i < argc; i++)
		args[n_args++].path = argv[i];
	if (!n_args) {
		code = pv_cli_usage("serve", "no PATH given");
		goto out;
	}
	so.datasets = args;
	so.n_datasets = n_args;

	/* SIGINT and SIGTERM are taken by sigwait below, never by a server
	 * thread: block them before any thread starts (threads inherit it). */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	pv_server *srv;
	pv_err err;
	pv_err_clear(&err);
	if (pv_server_open(&so, &srv, &err)) {
		code = pv_cli_error(&err);
		goto out;
	}
	for (size_t i = 0; i < srv->cat.n; i++) {
		const pv_dataset *ds = srv->cat.items[i].ds;
		for (size_t f = 0; f < ds->n_files; f++)
			if (!ds->files[f].pf)
				pv_cli_warn("%s", ds->files[f].err->msg);
	}
	printf("%s\n", pv_server_url(srv));
	fflush(stdout);
	if (!no_open)
		open_browser(pv_server_url(srv));
	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	pv_server_close(srv);
	code = PV_EXIT_OK;
out:
	free(args);
	return code;
}
