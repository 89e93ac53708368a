/*
 * stats_ut.c - analyze/stats.c against textbook values: Student t
 * quantiles from the printed tables, Welch's t and df for the worked
 * example of Welch's test on Wikipedia (two samples of 15, t = -2.46,
 * df = 24.99, p = 0.021), the incomplete beta function at points with
 * closed forms, and ministat-style summaries.
 */
#include <math.h>

#include "analyze/stats.h"
#include "ut_util.h"

#define NEAR(x, want, tol) CU_ASSERT_DOUBLE_EQUAL((x), (want), (tol))

static void test_t_quantiles_match_the_printed_table(void)
{
	/* two-sided 95%, one-sided 95%, 99%: any Student t table */
	NEAR(sl_stats_t_quantile(0.975, 10), 2.228, 0.0005);
	NEAR(sl_stats_t_quantile(0.975, 1), 12.706, 0.0005);
	NEAR(sl_stats_t_quantile(0.95, 30), 1.697, 0.0005);
	NEAR(sl_stats_t_quantile(0.975, 2), 4.303, 0.0005);
	NEAR(sl_stats_t_quantile(0.995, 5), 4.032, 0.0005);
	NEAR(sl_stats_t_quantile(0.9, 20), 1.325, 0.0005);
	NEAR(sl_stats_t_quantile(0.975, 1e6), 1.960, 0.0005);
	/* symmetric, and the centre is 0 */
	NEAR(sl_stats_t_quantile(0.025, 10), -2.228, 0.0005);
	NEAR(sl_stats_t_quantile(0.5, 7), 0, 1e-12);
}

static void test_t_cdf_inverts_the_quantile(void)
{
	static const double dfs[] = { 0.5, 1, 2.5, 7, 24.99, 100 };
	static const double ps[] = { 0.001, 0.05, 0.3, 0.8, 0.975, 0.9999 };
	size_t i, j;

	for (i = 0; i < sizeof(dfs) / sizeof(dfs[0]); i++)
		for (j = 0; j < sizeof(ps) / sizeof(ps[0]); j++)
			NEAR(sl_stats_t_cdf(sl_stats_t_quantile(ps[j], dfs[i]),
					    dfs[i]), ps[j], 1e-9);
	/* df = 1 is Cauchy: F(1) = 3/4 */
	NEAR(sl_stats_t_cdf(1, 1), 0.75, 1e-12);
	NEAR(sl_stats_t_cdf(0, 3), 0.5, 1e-12);
}

static void test_out_of_range_arguments_give_nan(void)
{
	CU_ASSERT(isnan(sl_stats_t_quantile(0, 10)));
	CU_ASSERT(isnan(sl_stats_t_quantile(1, 10)));
	CU_ASSERT(isnan(sl_stats_t_quantile(0.9, 0)));
	CU_ASSERT(isnan(sl_stats_t_cdf(1, -1)));
	CU_ASSERT(isnan(sl_stats_ibeta(1.5, 1, 1)));
	CU_ASSERT(isnan(sl_stats_ibeta(0.5, 0, 1)));
}

static void test_ibeta_matches_closed_forms(void)
{
	double x;

	for (x = 0.05; x < 1; x += 0.1) {
		/* I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b */
		NEAR(sl_stats_ibeta(x, 1, 1), x, 1e-12);
		NEAR(sl_stats_ibeta(x, 3, 1), pow(x, 3), 1e-12);
		NEAR(sl_stats_ibeta(x, 1, 4.5), 1 - pow(1 - x, 4.5), 1e-12);
		/* symmetry: I_x(a, b) = 1 - I_{1-x}(b, a) */
		NEAR(sl_stats_ibeta(x, 2.5, 7), 1 - sl_stats_ibeta(1 - x, 7, 2.5),
		     1e-12);
	}
	NEAR(sl_stats_ibeta(0.5, 10, 10), 0.5, 1e-12);
	NEAR(sl_stats_ibeta(0, 2, 3), 0, 0);
	NEAR(sl_stats_ibeta(1, 2, 3), 1, 0);
}

static const double a1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
			     21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
static const double a2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
			     24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };

static void test_summary_is_ministat_s(void)
{
	struct sl_summary s;
	double even[] = { 4, 1, 3, 2 };

	CU_ASSERT_EQUAL_FATAL(sl_stats_summarize(a1, 15, &s), 0);
	CU_ASSERT_EQUAL(s.n, 15);
	NEAR(s.min, 16.9, 1e-12);
	NEAR(s.max, 27.5, 1e-12);
	NEAR(s.median, 21.0, 1e-12);
	NEAR(s.mean, 20.82, 1e-12);
	NEAR(s.stddev, 2.804893682731767, 1e-12);
	CU_ASSERT_EQUAL_FATAL(sl_stats_summarize(even, 4, &s), 0);
	NEAR(s.median, 2.5, 1e-12);
	CU_ASSERT_EQUAL(even[0], 4);	/* input untouched */
}

static void test_summary_skips_nan_and_handles_empty(void)
{
	double x[] = { NAN, 5, NAN };
	struct sl_summary s;

	CU_ASSERT_EQUAL_FATAL(sl_stats_summarize(x, 3, &s), 0);
	CU_ASSERT_EQUAL(s.n, 1);
	NEAR(s.mean, 5, 0);
	NEAR(s.stddev, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sl_stats_summarize(x, 0, &s), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT(isnan(s.mean));
}

static void test_welch_matches_the_worked_example(void)
{
	struct sl_summary b, n;
	struct sl_welch w;

	sl_stats_summarize(a2, 15, &b);
	sl_stats_summarize(a1, 15, &n);
	CU_ASSERT_EQUAL_FATAL(sl_stats_welch(&b, &n, 95, &w), 0);
	NEAR(w.t, -2.455356398286006, 1e-9);
	NEAR(w.df, 24.98852929023142, 1e-9);
	NEAR(w.p, 0.021, 0.0005);
	NEAR(w.diff, 20.82 - 344.8 / 15, 1e-9);
	CU_ASSERT(w.significant);
	/* the 95% interval just excludes 0; the 99% one does not */
	CU_ASSERT(w.halfwidth < fabs(w.diff));
	CU_ASSERT_EQUAL_FATAL(sl_stats_welch(&b, &n, 99, &w), 0);
	CU_ASSERT(!w.significant);
	NEAR(w.pct, 100 * (20.82 * 15 / 344.8 - 1), 1e-9);
}

static void test_welch_needs_two_samples_each(void)
{
	struct sl_summary b, n;
	struct sl_welch w = { .t = 42 };

	sl_stats_summarize(a1, 1, &b);
	sl_stats_summarize(a2, 15, &n);
	CU_ASSERT_EQUAL(sl_stats_welch(&b, &n, 95, &w), -1);
	CU_ASSERT_EQUAL(sl_stats_welch(&n, &b, 95, &w), -1);
	CU_ASSERT_EQUAL(w.t, 42);
	sl_stats_summarize(a1, 15, &b);
	CU_ASSERT_EQUAL(sl_stats_welch(&b, &n, 100, &w), -1);
	CU_ASSERT_EQUAL(sl_stats_welch(&b, &n, 0, &w), -1);
}

static void test_welch_on_constant_samples_decides_by_the_means(void)
{
	double c5[] = { 5, 5, 5 }, c6[] = { 6, 6, 6 };
	struct sl_summary a, b;
	struct sl_welch w;

	sl_stats_summarize(c5, 3, &a);
	sl_stats_summarize(c6, 3, &b);
	CU_ASSERT_EQUAL_FATAL(sl_stats_welch(&a, &a, 95, &w), 0);
	CU_ASSERT(!w.significant);
	NEAR(w.pct, 0, 0);
	CU_ASSERT_EQUAL_FATAL(sl_stats_welch(&a, &b, 95, &w), 0);
	CU_ASSERT(w.significant);
	NEAR(w.pct, 20, 1e-12);
	NEAR(w.halfwidth, 0, 0);
}

int stats_ut_register(void)
{
	CU_pSuite s = CU_add_suite("stats", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_t_quantiles_match_the_printed_table);
	UT_ADD(s, test_t_cdf_inverts_the_quantile);
	UT_ADD(s, test_out_of_range_arguments_give_nan);
	UT_ADD(s, test_ibeta_matches_closed_forms);
	UT_ADD(s, test_summary_is_ministat_s);
	UT_ADD(s, test_summary_skips_nan_and_handles_empty);
	UT_ADD(s, test_welch_matches_the_worked_example);
	UT_ADD(s, test_welch_needs_two_samples_each);
	UT_ADD(s, test_welch_on_constant_samples_decides_by_the_means);
	return CU_get_error();
}
