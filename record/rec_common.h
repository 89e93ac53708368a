/*
 * rec_common.h - what the recorders (`record`, `record --kernel`,
 * `record --kprobes`) and `import trace-dat` share: the options they have
 * in common, the clock, header and stop signals of a trace recorded live,
 * and the command recorded alongside.
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

/**
 * rec_spawn() - start @argv (NULL-ended, looked up in PATH) as a child
 * that first runs @in_child (if not NULL).  A child that cannot exec
 * says so in one line and exits 127.
 * Return: the child's pid, or -1 with errno set when fork() failed.
 */
pid_t rec_spawn(char *const *argv, void (*in_child)(void));
/* SIGTERM and reap @child unless there is none (0) or it has @exited */
void rec_end_child(pid_t child, bool exited);

#endif /* SL_REC_COMMON_H */
