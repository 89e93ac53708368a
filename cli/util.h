/*
 * util.h - what every subcommand shares: error messages in one format,
 * exit codes, number parsing, atomic output files.
 */
#ifndef SL_CLI_UTIL_H
#define SL_CLI_UTIL_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format/tmpfile.h"

/* exit codes of every subcommand (DESIGN.md) */
enum {
	EXIT_YES = 0,		/* done, and the answer is yes */
	EXIT_NO = 1,		/* done, and the answer is no */
	EXIT_TROUBLE = 2,	/* could not do it */
};

/* the running subcommand's name, for "swaplab <cmd>: ..." messages */
extern const char *sl_cmd_name;

/* "swaplab <cmd>: <message>" on stderr; Return: EXIT_TROUBLE */
int sl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the same, with ": strerror(errno)" appended */
int sl_err_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a warning line; does not change the exit code */
void sl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "bad usage" one-liner pointing at --help; Return: EXIT_TROUBLE */
int sl_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * sl_bad_option() - the error line for getopt_long()'s '?' over @argv with
 * short options @shortopts: an unknown option, one that needs a value and
 * was given none, or a long one given a value it does not take.
 * Return: EXIT_TROUBLE
 */
int sl_bad_option(char *const argv[], const char *shortopts);

/*
 * Options given twice are an error, not "the last one wins": a script
 * that says --pages twice has a bug worth hearing about.
 */
struct sl_seen {
	unsigned char bits[128];	/* getopt codes 0..1023 */
};

/**
 * sl_opt_once() - record that option code @c (from getopt_long over
 * @opts) was seen.
 * Return: 0 the first time; EXIT_TROUBLE, after one error line naming the
 * option, when @c was seen before.
 */
int sl_opt_once(struct sl_seen *seen, int c, const struct option *opts);

/* parse a whole unsigned number; Return: true if @s is one, in range */
bool sl_parse_u64(const char *s, uint64_t *v);
/*
 * "64M", "1G", "4096", "2KiB", and memparse()'s lower case ("4m", as
 * zram's disksize and mem_limit take them): K M G T P E, binary.
 * Return: true if valid
 */
bool sl_parse_size(const char *s, uint64_t *bytes);
/* "on"/"off"/"1"/"0"/"yes"/"no" */
bool sl_parse_bool(const char *s, bool *v);

/* split "a,b,c" into at most @max strdup'ed items; Return: count or -1 */
int sl_split_list(const char *s, char **items, int max);
void sl_free_list(char **items, int n);

/* atomic output (struct sl_out): format/tmpfile.h */

/*
 * What a writer makes.  An existing file of the writer's own kind (or an
 * empty one) may be replaced; anything else (a trace, an ELF core, a
 * picture for a results writer...) only with --force, since it may be
 * hours of recording that no command can make again.
 */
enum sl_out_kind {
	SL_KIND_RESULTS,	/* results JSON ({"swaplab_version"... "runs"}) */
	SL_KIND_TRACE,		/* .swt trace: never replaced without --force */
	SL_KIND_DICT,		/* zstd dictionary */
	SL_KIND_PLOT_TEXT,	/* plot's .dat and .gp files ("# " first) */
	SL_KIND_PLOT_IMAGE,	/* plot's .png or .svg */
	SL_KIND_SCRATCH,	/* a file truncated and removed (--backing) */
};

/**
 * sl_out_check() - may @path be written as a @kind file by a command
 * that reads the @ninputs files @inputs?  Call it before the work starts,
 * so a refusal costs nothing.  No: @path is one of @inputs (same st_dev
 * and st_ino, links resolved; --force does not change this), or @path
 * exists, is not empty and is not a @kind file (by its first bytes) and
 * @force is false, or @path exists and is not a regular file (a device,
 * a FIFO, a directory: the rename would replace the node).  NULL entries
 * of @inputs are skipped.
 * Return: 0, or EXIT_TROUBLE after one error line.
 */
int sl_out_check(const char *path, enum sl_out_kind kind,
		 const char *const *inputs, int ninputs, bool force);

/**
 * sl_max_memory() - install --max-memory @arg ("2G", "512M"; NULL: the
 * default, three quarters of physical RAM) as the trace readers' guard
 * (swt_memory_limit()): past it, a command stops with one line naming
 * what holds the memory, and exits 2.
 * Return: 0, or EXIT_TROUBLE after a usage error line.
 */
int sl_max_memory(const char *arg);

/* "1.5 MiB" into @buf */
const char *sl_fmt_bytes(char *buf, size_t len, double bytes);
/* "812 ns", "5.2 us", "1.3 ms" into @buf */
const char *sl_fmt_ns(char *buf, size_t len, double ns);

/* true when the progress bar may be drawn (stderr is a TTY) */
bool sl_progress_enabled(void);

/* a monotonic clock in seconds, for progress ETAs */
double sl_now_s(void);

/**
 * sl_progress() - "\rrun 3/7 lz4 × zsmalloc, 42%, ETA 0:35" on stderr:
 * run @run of @runs, @frac of it done, all started at @t0 (sl_now_s());
 * the ETA assumes every run takes as long as the ones so far.
 * sl_progress_end() clears the line.  Callers check sl_progress_enabled().
 */
void sl_progress(unsigned int run, unsigned int runs, const char *codec,
		 const char *alloc, double frac, double t0);
/*
 * sl_progress_runs() - the same for runs @first..@run replayed together
 * (one pass), named by the last: the ETA counts them all done at @frac
 */
void sl_progress_runs(unsigned int first, unsigned int run, unsigned int runs,
		      const char *codec, const char *alloc, double frac,
		      double t0);
void sl_progress_end(void);

#endif /* SL_CLI_UTIL_H */
