/*
 * rec_common.c - see rec_common.h.
 *
 * The option tables stay with each command: getopt_long accepts any
 * unambiguous prefix of a long option, so which prefixes work depends on
 * the whole table, and merging tables here would change that.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/util.h"
#include "format/swt.h"
#include "record/rec_common.h"

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

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
		ro->out = optarg;
		return -1;
	case REC_OPT_FORCE:
		ro->force = true;
		return -1;
	case REC_OPT_HELP:
		fputs(ro->usage, stdout);
		return EXIT_YES;
	case '?':
		return sl_bad_option(argv, ro->shortopts);
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
		if (sl_opt_once(&ro->seen, c, ro->longopts)) {
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

int rec_check_out(const struct rec_opts *ro, const char *input)
{
	return ro->out ? sl_out_check(ro->out, SL_KIND_TRACE, &input,
				      input ? 1 : 0, ro->force) : 0;
}

uint64_t rec_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t rec_deadline(uint64_t duration_s)
{
	return duration_s ? rec_now_ns() + duration_s * 1000000000ull :
	       UINT64_MAX;
}

void rec_header_live(struct swt_header *hdr, uint32_t flags,
		     bool uname_version)
{
	struct utsname un;

	hdr->page_size = 4096;
	hdr->flags = flags;
	hdr->clock = SWT_CLOCK_MONOTONIC;
	hdr->start_ns = rec_now_ns();
	if (uname(&un))
		return;
	snprintf(hdr->host, sizeof(hdr->host), "%s %s", un.nodename,
		 un.machine);
	/* the sampler's traces never carried the version: they still don't */
	if (uname_version)
		snprintf(hdr->kernel, sizeof(hdr->kernel), "%s %s %s",
			 un.sysname, un.release, un.version);
	else
		snprintf(hdr->kernel, sizeof(hdr->kernel), "%s %s",
			 un.sysname, un.release);
}

void rec_catch_stop(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

bool rec_stopping(void)
{
	return stop_sig != 0;
}

int rec_run_start(struct rec_run *run, char *const *cmd,
		  void (*in_child)(void), uint64_t duration_s)
{
	memset(run, 0, sizeof(*run));
	rec_catch_stop();
	if (cmd && cmd[0]) {
		run->child = fork();
		if (run->child < 0) {
			/* nothing to end: kill(-1) would signal everyone */
			run->child = 0;
			return sl_err_errno("cannot fork");
		}
		if (run->child == 0) {
			if (in_child)
				in_child();
			execvp(cmd[0], cmd);
			fprintf(stderr, "swaplab record: cannot run '%s': %s\n",
				cmd[0], strerror(errno));
			_exit(127);
		}
	}
	run->t_end = rec_deadline(duration_s);
	return 0;
}

bool rec_run_more(struct rec_run *run)
{
	if (rec_stopping() || rec_now_ns() >= run->t_end || run->exited)
		return false;
	if (run->child &&
	    waitpid(run->child, &run->status, WNOHANG) == run->child)
		run->exited = true;
	return true;
}

void rec_run_end(struct rec_run *run)
{
	if (!run->child || run->exited)
		return;
	kill(run->child, SIGTERM);
	waitpid(run->child, NULL, 0);
}
