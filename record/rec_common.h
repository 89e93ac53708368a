/*
 * rec_common.h - what the recorders (`record`, `record --kernel`,
 * `record --kprobes`) and `import trace-dat` share: the options they have
 * in common.
 */
#ifndef SL_REC_COMMON_H
#define SL_REC_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli/util.h"

/*
 * The getopt codes of the shared options: the letters the commands'
 * option tables have always given them.  A command's own options use
 * other codes.
 */
enum {
	REC_OPT_CHOSEN = 'K',	/* --kernel, --kprobes: chose the recorder */
	REC_OPT_DURATION = 'd',	/* --duration S, 1 or more */
	REC_OPT_BUFFER = 'b',	/* --buffer-mb N, 1..4096 */
	REC_OPT_OUTPUT = 'o',	/* -o, --output FILE */
	REC_OPT_HELP = 'h',	/* --help: the usage text on stdout */
};

/*
 * One command line being parsed.  The command sets what it accepts and
 * the shared options' defaults, everything else zero; rec_getopt() fills
 * in the rest.
 */
struct rec_opts {
	const char *usage;
	const char *shortopts;
	const struct option *longopts;
	bool once;		/* every option at most once, not only -o */
	bool need_output;	/* without -o: "-o FILE is required" */
	const char *out;	/* NULL: not given */
	uint64_t duration_s;	/* 0: no time limit */
	uint64_t buffer_mb;
	int ret;		/* see rec_getopt() */
	/* rec_getopt()'s own */
	bool started;
	struct sl_seen seen;
};

/**
 * rec_getopt() - getopt_long() over @argv, from argv[1], with @ro's
 * tables, that deals with the shared options itself.
 * An unknown option, one without its value, and -o given twice (with
 * @ro->once: any option given twice) end the parse with one error line.
 * Return: the code of one of the command's own options, its value in
 * optarg; or -1 at the end, with @ro->ret -1 when the command should go
 * on (optind at the first operand), EXIT_YES after --help, EXIT_TROUBLE
 * after the error line.
 */
int rec_getopt(struct rec_opts *ro, int argc, char **argv);

#endif /* SL_REC_COMMON_H */
