/*
 * fmt.h - one figure of a results file as the analyzers' tables print it.
 *
 * report's cells and compare's base and new columns show the same kinds
 * of figure in the same units; they differ only in how many digits a
 * ratio or a percentage gets and in whether a rate says "/s".  Those
 * differences are spelt out by each caller in a struct sl_fig_style, so
 * that changing one table cannot change the other unseen.
 */
#ifndef SL_ANALYZE_FMT_H
#define SL_ANALYZE_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "format/metrics.h"

/* what one table prints differently from another */
struct sl_fig_style {
	int ratio_digits;	/* after the point, for SL_K_RATIO */
	int pct_digits;		/* after the point, for SL_K_PCT */
	bool rate_unit;		/* "/s" after an SL_K_RATE */
};

/**
 * sl_fmt_fig() - @v, a figure of @kind, into @buf as @style says.
 * @len: @buf's size; a longer text is cut, as by snprintf().
 *
 * NaN, a figure the run does not have, is "-".  SL_K_STR gives "".
 * Return: @buf, always a string.
 */
const char *sl_fmt_fig(char *buf, size_t len, enum sl_kind kind, double v,
		       const struct sl_fig_style *style);

/**
 * sl_fmt_short_name() - a run's codec or allocator name without what its
 * kernel already says, in place: "zstd@6.1" -> "zstd",
 * "zsmalloc:kernel=6.1:chain=4" -> "zsmalloc" for @kernel "6.1"; a name
 * of another kernel or setting stays whole.  @kernel "" (results of
 * swaplab before kernels were named) changes nothing.
 */
void sl_fmt_short_name(char *name, const char *kernel);

#endif /* SL_ANALYZE_FMT_H */
