/*
 * stats.h - the statistics `swaplab compare` needs, computed here rather
 * than taken from a library: ministat-style summaries of a sample, the
 * Student t distribution (through the regularized incomplete beta
 * function) and Welch's unequal-variance t-test.
 *
 * Welch, not Student's pooled test: a patch that changes a codec changes
 * the spread of its latencies as well as their centre, so the two samples
 * cannot be assumed to share a variance.
 *
 * Everything here is pure computation on caller memory: no allocation
 * except in sl_stats_summarize() (a sorted copy, freed before return),
 * no I/O, safe to call from any thread.
 */
#ifndef SL_ANALYZE_STATS_H
#define SL_ANALYZE_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* what ministat prints for one sample */
struct sl_summary {
	size_t n;
	double min, max, median, mean;
	double stddev;		/* sample (n - 1) standard deviation; 0 if n < 2 */
};

/**
 * sl_stats_summarize() - N, min, max, median, mean and stddev of @x.
 * @x: @n values, not modified; NaNs are skipped (not counted in N).
 *
 * Return: 0; -1 when a sorted copy cannot be allocated.  With no usable
 * value @s->n is 0 and the other fields are NaN.
 */
int sl_stats_summarize(const double *x, size_t n, struct sl_summary *s);

/**
 * sl_stats_ibeta() - the regularized incomplete beta function I_x(a, b).
 * @x: in [0, 1]; @a, @b: > 0.
 *
 * Return: the value in [0, 1]; NaN for arguments out of range.
 */
double sl_stats_ibeta(double x, double a, double b);

/* P(T <= @t) for Student's t with @df > 0 degrees of freedom (df may be
 * fractional, as Welch's is); NaN for df <= 0 */
double sl_stats_t_cdf(double t, double df);

/**
 * sl_stats_t_quantile() - the t with P(T <= t) = @p, for @df > 0.
 * @p: in (0, 1).  Accurate to about 1e-10 relative.
 *
 * Return: the quantile; NaN for @p or @df out of range.
 */
double sl_stats_t_quantile(double p, double df);

/* Welch's t-test of @new against @base, two-sided */
struct sl_welch {
	double t;		/* (mean_new - mean_base) / se */
	double df;		/* Welch-Satterthwaite degrees of freedom */
	double p;		/* two-sided p-value */
	double diff;		/* mean_new - mean_base */
	double halfwidth;	/* of the confidence interval of diff */
	double pct, pct_halfwidth;	/* both as % of mean_base */
	bool significant;	/* the interval excludes 0 */
};

/**
 * sl_stats_welch() - compare two summaries at @confidence (e.g. 95).
 * @confidence: percent, in (0, 100).
 *
 * When both variances are 0 the test is decided by the means alone: equal
 * means are no difference, unequal means are a difference of halfwidth 0.
 * Return: 0; -1 when either sample has fewer than 2 values or
 * @confidence is out of range (@w is then left untouched).
 */
int sl_stats_welch(const struct sl_summary *base, const struct sl_summary *new,
		   double confidence, struct sl_welch *w);

#endif /* SL_ANALYZE_STATS_H */
