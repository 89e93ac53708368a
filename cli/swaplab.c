/*
 * swaplab.c - main(): the one list of subcommands, perf style.
 *
 * `swaplab CMD --help` and `swaplab help CMD` print the command's usage
 * to stdout and exit 0; `swaplab` alone prints the list and exits 2.
 * stdout is checked at exit so that a full disk or a closed pipe is not
 * reported as success.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "core/user/sl_codecs.h"
#include "util.h"

struct sl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct sl_cmd commands[] = {
	{ "record", cmd_record, "record a process's swap-out stream (sampler)" },
	{ "import", cmd_import, "make a trace from a core dump or memory image" },
	{ "gen", cmd_gen, "generate a synthetic trace (tests and demos)" },
	{ "info", cmd_info, "summarise a trace" },
	{ "replay", cmd_replay, "replay traces into codec x allocator stores" },
	{ "bench", cmd_bench, "print store overhead and codec figures" },
	{ "fidelity", cmd_fidelity, "model vs swaplab0 vs zram0 on one trace" },
	{ "parity", cmd_parity, "per-page compressed lengths against zram" },
	{ "dict", cmd_dict, "train a compression dictionary on a trace" },
	{ "report", cmd_report, "tabulate results files" },
	{ "compare", cmd_compare, "compare two results files, gate on regressions" },
	{ "plot", cmd_plot, "plot results files through gnuplot" },
	{ "stat", cmd_stat, "live counters of /dev/zramN and /dev/swaplabN" },
	{ "sweep", cmd_sweep, "run a plan's jobs here, under Slurm or GNU parallel" },
	{ "merge", cmd_merge, "merge results files or a sweep directory into one" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void list_commands(FILE *f)
{
	size_t i;

	fprintf(f, "usage: swaplab [--version] [--help] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "   %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'swaplab COMMAND --help' for a command's options.\n");
}

static const struct sl_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int check_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "swaplab: cannot write standard output: %s\n",
			strerror(errno));
		return EXIT_TROUBLE;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const struct sl_cmd *cmd;

	if (argc < 2) {
		list_commands(stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		const char *const *k = sl_codec_trees();

		printf("swaplab %s\n", SWAPLAB_VERSION);
		if (!*k)
			printf("kernel codecs: none\n");
		for (; *k; k++)
			printf("kernel codecs %s: %s\n", *k,
			       sl_codec_tree_source(*k));
		return check_stdout(EXIT_YES);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		list_commands(stdout);
		return check_stdout(EXIT_YES);
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			list_commands(stdout);
			return check_stdout(EXIT_YES);
		}
		cmd = find(argv[2]);
		if (!cmd) {
			fprintf(stderr, "swaplab: unknown command '%s'\n",
				argv[2]);
			return EXIT_TROUBLE;
		}
		sl_cmd_name = cmd->name;
		{
			char *hargv[] = { argv[2], "--help", NULL };

			return check_stdout(cmd->fn(2, hargv));
		}
	}
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "swaplab: unknown command '%s' (see 'swaplab --help')\n",
			argv[1]);
		return EXIT_TROUBLE;
	}
	sl_cmd_name = cmd->name;
	return check_stdout(cmd->fn(argc - 1, argv + 1));
}
