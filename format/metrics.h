/*
 * metrics.h - the one table of the figures a results file's runs carry
 * that report, compare and plot show: each figure's name, where it sits
 * in a run, its unit, which way is better, and which backends fill it.
 *
 * docs/results-format.md documents every entry (tests/unit/metrics_ut.c
 * fails when one is missing there), and `swaplab report --list-fields`
 * prints the table.  A figure has one canonical name; the spellings the
 * analyzers used before the table (report's comp_p50 for compress.p50,
 * bd_writes for writeback_pages, compare's eff, frag, ...) are aliases
 * and stay valid for good: options, scripts and docs use them.
 */
#ifndef SL_FORMAT_METRICS_H
#define SL_FORMAT_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* what a figure is, and so how it reads: its unit */
enum sl_kind {
	SL_K_STR,	/* text, not a number: the caller prints it */
	SL_K_INT,	/* a count */
	SL_K_BYTES,	/* a size, "1.5 MiB" */
	SL_K_RATIO,	/* a plain quotient */
	SL_K_PCT,	/* a fraction, shown as a percentage */
	SL_K_NS,	/* a time in ns, "5.2 us" */
	SL_K_RATE,	/* a count per second */
	SL_K_SEC,	/* a time in seconds (of the trace's clock) */
};

/* the backends, one bit each: which of them write a figure */
enum {
	SL_BE_ZRAM	= 1 << 0,	/* the model's zram (replay's default) */
	SL_BE_ZSWAP	= 1 << 1,	/* the model's zswap (--frontend zswap) */
	SL_BE_DEVICE	= 1 << 2,	/* a kernel block device (--target /dev/...) */
	SL_BE_SWAP	= 1 << 3,	/* the kernel's swap path (--target swap) */
	SL_BE_CHUNK	= 1 << 4,	/* zram with large folios (--chunk) */
	SL_BE_ALL	= (1 << 5) - 1,
};

/* which analyzers show a figure */
enum {
	SL_SHOW_REPORT	= 1 << 0,	/* a column of report's runs view */
	SL_SHOW_COMPARE	= 1 << 1,	/* a line of compare */
	SL_SHOW_PLOT	= 1 << 2,	/* read by plot */
	SL_SHOW_CHUNK	= 1 << 3,	/* a column of report --view chunk */
};

/* the moments of a run's store state (docs/results-format.md) */
enum sl_moment { SL_AT_PEAK, SL_AT_END, SL_AT_CUMULATIVE };

struct sl_metric {
	const char *name;	/* canonical: compare prints it */
	const char *report;	/* report's column key, when not @name */
	const char *path;	/* "a.b" in a run; NULL: derived (over_ideal) */
	const char *rpath;	/* in a "repeats" entry; NULL: deterministic */
	const char *cumulative;	/* the path at --at cumulative, if any */
	enum sl_kind kind;
	int better;		/* +1 higher is better, -1 lower, 0 neutral */
	bool moment;		/* a state figure: its value depends on --at */
	unsigned int backends;	/* SL_BE_*: who writes it */
	unsigned int shown;	/* SL_SHOW_*: who shows it */
	const char *head;	/* report's column head */
	int width;		/* report's column width */
	const char *meaning;	/* one line */
};

/* the table, in compare's line order; sl_metrics_nr() entries */
extern const struct sl_metric sl_metrics[];
#define SL_METRICS_MAX	128	/* at least sl_metrics_nr(), for arrays */
size_t sl_metrics_nr(void);

/**
 * sl_metric_find() - the figure @name names: its canonical name, its
 * report key or one of its aliases.  Return: the entry, or NULL.
 */
const struct sl_metric *sl_metric_find(const char *name);

/**
 * sl_metric_alias_of() - @alias's canonical name if @alias is one of the
 * table's extra aliases (compare's "eff", "frag", ...), else NULL.
 * @i: from 0; sl_metric_alias() walks them for listings.
 */
const char *sl_metric_alias_of(const char *alias);
bool sl_metric_alias(size_t i, const char **alias, const char **name);

/* report's key of @m: its column name in report's csv and json */
static inline const char *sl_metric_report_name(const struct sl_metric *m)
{
	return m->report ? m->report : m->name;
}

/**
 * sl_metric_path() - where @m's value at @at sits in a run, in @buf.
 * A state figure (m->moment) is at "at_peak.PATH" at peak, "PATH" (the
 * end's, copied to the top level) at the end, and m->cumulative at
 * cumulative; any other figure is at m->path whatever @at.
 * Return: @buf, or NULL when @m has no value at @at (or is derived).
 */
const char *sl_metric_path(const struct sl_metric *m, enum sl_moment at,
			   char *buf, size_t len);

/**
 * sl_metric_num() - @m's value in @run at @at, as sl_metric_path() finds
 * it.  Return: the number; NaN when the run has none (or @m is text or
 * derived).
 */
double sl_metric_num(const struct sl_metric *m, const json_t *run,
		     enum sl_moment at);

/**
 * sl_metric_value() - the value of the figure named @name in @run at the
 * end (or its only value).  Return: NaN when absent or @name unknown.
 */
double sl_metric_value(const json_t *run, const char *name);

/**
 * sl_metric_backend() - which backend wrote @run (one SL_BE_* bit), from
 * its "frontend" and "target"; 0 for a run none of them would write.
 */
unsigned int sl_metric_backend(const json_t *run);

/* SL_BE_* bit's name ("zram", "zswap", "device", "swap", "chunk") */
const char *sl_metric_backend_name(unsigned int be);

/* the unit of @kind as the table lists it ("bytes", "ns", ...) */
const char *sl_metric_unit(enum sl_kind kind);

/**
 * sl_metric_missing() - whether @run lacks @m although its backend is one
 * of those the table says write @m.  A derived figure is never missing.
 */
bool sl_metric_missing(const struct sl_metric *m, const json_t *run);

#endif /* SL_FORMAT_METRICS_H */
