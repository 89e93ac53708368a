/*
 * rec_common.h - what the recorders (`record`, `record --kernel`,
 * `record --kprobes`) and `import trace-dat` share: the options they have
 * in common, the clock, header and stop signals of a trace recorded live,
 * and the run of the kernel recorders with the command they record.
 */
#ifndef SL_REC_COMMON_H
#define SL_REC_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli/util.h"

struct swt_header;

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
	REC_OPT_FORCE = 'F',	/* --force: -o may replace any file */
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
	bool need_output;	/* without -o: "-o FILE is required" */
	const char *out;	/* NULL: not given */
	bool force;		/* --force */
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
 * An unknown option, one without its value, and any option given twice
 * end the parse with one error line.
 * Return: the code of one of the command's own options, its value in
 * optarg; or -1 at the end, with @ro->ret -1 when the command should go
 * on (optind at the first operand), EXIT_YES after --help, EXIT_TROUBLE
 * after the error line.
 */
int rec_getopt(struct rec_opts *ro, int argc, char **argv);

/**
 * rec_check_out() - sl_out_check() of -o as a trace, against @input (the
 * file imported, or NULL): an existing file is replaced only with --force,
 * since a recording cannot be made again.
 * Return: 0, or EXIT_TROUBLE after one error line.
 */
int rec_check_out(const struct rec_opts *ro, const char *input);

/* CLOCK_MONOTONIC, the clock of every live trace, in ns */
uint64_t rec_now_ns(void);
/* when @duration_s seconds from now are over; 0 (no limit): UINT64_MAX */
uint64_t rec_deadline(uint64_t duration_s);

/**
 * rec_header_live() - fill in what a trace recorded now on this machine
 * says about itself: 4 KiB pages, @flags, CLOCK_MONOTONIC starting now,
 * host "nodename machine" and kernel "sysname release", with " version"
 * when @uname_version (both left as they were if uname() fails).  Source
 * and description are the caller's.
 */
void rec_header_live(struct swt_header *hdr, uint32_t flags,
		     bool uname_version);

/* from now on SIGINT and SIGTERM make rec_stopping() true, nothing more */
void rec_catch_stop(void);
bool rec_stopping(void);

/*
 * A kernel recorder's run: rounds of reading until a stop signal, the end
 * of --duration or, when there is one, the end of CMD.
 */
struct rec_run {
	pid_t child;		/* CMD; 0: none */
	bool exited;		/* CMD ended and was reaped */
	int status;		/* its wait status, once exited */
	uint64_t t_end;
};

/**
 * rec_run_start() - catch the stop signals, start @cmd (argv of CMD,
 * looked up in PATH; NULL or empty: none) and start the clock on
 * @duration_s.  CMD's child runs @in_child (if not NULL) first; when it
 * cannot exec it says so in one line and exits 127.
 * Return: 0, or EXIT_TROUBLE after one error line (no CMD was started).
 */
int rec_run_start(struct rec_run *run, char *const *cmd,
		  void (*in_child)(void), uint64_t duration_s);
/**
 * rec_run_more() - whether to read another round.  CMD's end is noted
 * here, and one more round is granted after it, for what CMD left in the
 * buffers.
 */
bool rec_run_more(struct rec_run *run);
/* CMD, if it is still running, is sent SIGTERM and reaped */
void rec_run_end(struct rec_run *run);

#endif /* SL_REC_COMMON_H */
