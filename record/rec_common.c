/*
 * rec_common.c - see rec_common.h.
 *
 * The option tables stay with each command: getopt_long accepts any
 * unambiguous prefix of a long option, so which prefixes work depends on
 * the whole table, and merging tables here would change that.
 */
#include <stdio.h>

#include "cli/util.h"
#include "record/rec_common.h"

#define NOT_SHARED	(-2)

/* Return: -1 to go on, the exit code, or NOT_SHARED: the command's own */
static int shared_opt(struct rec_opts *ro, int c, char **argv)
{
	switch (c) {
	case REC_OPT_CHOSEN:
		/* cmd_record() chose the recorder by it already */
		return -1;
	case REC_OPT_DURATION:
		if (sl_parse_u64(optarg, &ro->duration_s) && ro->duration_s)
			return -1;
		return sl_usage_err("bad --duration '%s'", optarg);
	case REC_OPT_BUFFER:
		if (sl_parse_u64(optarg, &ro->buffer_mb) && ro->buffer_mb &&
		    ro->buffer_mb <= 4096)
			return -1;
		return sl_usage_err("--buffer-mb wants 1..4096");
	case REC_OPT_OUTPUT:
		if (ro->out)
			return sl_usage_err("-o given twice");
		ro->out = optarg;
		return -1;
	case REC_OPT_HELP:
		fputs(ro->usage, stdout);
		return EXIT_YES;
	case '?':
		/* unknown, or its value is missing (opterr is 0) */
		return sl_usage_err("bad option '%s'", argv[optind - 1]);
	}
	return NOT_SHARED;
}

int rec_getopt(struct rec_opts *ro, int argc, char **argv)
{
	int c, ret;

	if (!ro->started) {
		optind = 1;
		opterr = 0;
		ro->started = true;
	}
	while ((c = getopt_long(argc, argv, ro->shortopts, ro->longopts,
				NULL)) != -1) {
		if (ro->once && sl_opt_once(&ro->seen, c, ro->longopts)) {
			ro->ret = EXIT_TROUBLE;
			return -1;
		}
		ret = shared_opt(ro, c, argv);
		if (ret == NOT_SHARED)
			return c;
		if (ret >= 0) {
			ro->ret = ret;
			return -1;
		}
	}
	ro->ret = -1;
	if (ro->need_output && !ro->out)
		ro->ret = sl_usage_err("-o FILE is required");
	return -1;
}
