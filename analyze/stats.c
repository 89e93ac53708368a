/*
 * stats.c - sample summaries, Student's t and Welch's test (see stats.h).
 *
 * The t distribution is reached through the regularized incomplete beta
 * function, evaluated by its continued fraction with the modified Lentz
 * method: for Student's t with df degrees of freedom,
 *	P(|T| > t) = I_{df / (df + t^2)}(df / 2, 1 / 2),
 * which holds for fractional df too (Welch's df rarely is whole).
 * Quantiles come from bisection on that CDF: slower than a series
 * inversion, but it cannot diverge, and compare needs a few dozen.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define CF_MAX_ITER	500
#define CF_EPS		1e-15
#define CF_TINY		1e-300	/* keeps Lentz's divisions away from 0 */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int sl_stats_summarize(const double *x, size_t n, struct sl_summary *s)
{
	double *v, sum = 0, ss = 0;
	size_t i, m = 0;

	s->n = 0;
	s->min = s->max = s->median = s->mean = s->stddev = NAN;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			v[m++] = x[i];
	if (!m) {
		free(v);
		return 0;
	}
	qsort(v, m, sizeof(*v), cmp_double);
	for (i = 0; i < m; i++)
		sum += v[i];
	s->n = m;
	s->mean = sum / m;
	/* two-pass variance: no cancellation for large, close values */
	for (i = 0; i < m; i++)
		ss += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = m > 1 ? sqrt(ss / (m - 1)) : 0;
	s->min = v[0];
	s->max = v[m - 1];
	s->median = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
	free(v);
	return 0;
}

/* the continued fraction of I_x(a, b), good for x < (a + 1) / (a + b + 2) */
static double ibeta_cf(double x, double a, double b)
{
	double c = 1, d, h, num, del;
	int m;

	d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < CF_TINY)
		d = CF_TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m <= CF_MAX_ITER; m++) {
		/* even step: m (b - m) x / ((a + 2m - 1)(a + 2m)) */
		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1 + num * d;
		c = 1 + num / c;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1 / d;
		h *= d * c;
		/* odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
		num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		if (fabs(d) < CF_TINY)
			d = CF_TINY;
		if (fabs(c) < CF_TINY)
			c = CF_TINY;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < CF_EPS)
			break;
	}
	return h;
}

double sl_stats_ibeta(double x, double a, double b)
{
	double lfront;

	if (isnan(x) || x < 0 || x > 1 || !(a > 0) || !(b > 0))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
		 b * log1p(-x);
	/* the fraction converges fast only on this side of the mean */
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) * ibeta_cf(x, a, b) / a;
	return 1 - exp(lfront) * ibeta_cf(1 - x, b, a) / b;
}

double sl_stats_t_cdf(double t, double df)
{
	double tail;

	if (!(df > 0) || isnan(t))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1 : 0;
	tail = 0.5 * sl_stats_ibeta(df / (df + t * t), df / 2, 0.5);
	return t > 0 ? 1 - tail : tail;
}

double sl_stats_t_quantile(double p, double df)
{
	double lo = 0, hi = 1, mid, q;
	int i;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p == 0.5)
		return 0;
	q = p > 0.5 ? p : 1 - p;
	/* t(0.9999999, 0.1) is about 1e70: doubling reaches any of them */
	while (sl_stats_t_cdf(hi, df) < q && hi < 1e300)
		hi *= 2;
	for (i = 0; i < 2000 && hi - lo > 1e-12 * hi; i++) {
		mid = (lo + hi) / 2;
		if (sl_stats_t_cdf(mid, df) < q)
			lo = mid;
		else
			hi = mid;
	}
	mid = (lo + hi) / 2;
	return p > 0.5 ? mid : -mid;
}

int sl_stats_welch(const struct sl_summary *base, const struct sl_summary *new,
		   double confidence, struct sl_welch *w)
{
	double vb, vn, se2, se;
	struct sl_welch r = { 0 };

	if (base->n < 2 || new->n < 2 || !(confidence > 0 && confidence < 100))
		return -1;
	vb = base->stddev * base->stddev / base->n;
	vn = new->stddev * new->stddev / new->n;
	se2 = vb + vn;
	se = sqrt(se2);
	r.diff = new->mean - base->mean;
	if (se2 == 0) {
		/* two constant samples: the means say it all */
		r.df = base->n + new->n - 2;
		r.t = r.diff == 0 ? 0 : copysign(INFINITY, r.diff);
		r.p = r.diff == 0 ? 1 : 0;
		r.halfwidth = 0;
		r.significant = r.diff != 0;
	} else {
		r.df = se2 * se2 / (vb * vb / (base->n - 1) +
				    vn * vn / (new->n - 1));
		r.t = r.diff / se;
		r.p = 2 * (1 - sl_stats_t_cdf(fabs(r.t), r.df));
		r.halfwidth = sl_stats_t_quantile(0.5 + confidence / 200,
						  r.df) * se;
		r.significant = fabs(r.diff) > r.halfwidth;
	}
	if (base->mean != 0) {
		r.pct = 100 * r.diff / fabs(base->mean);
		r.pct_halfwidth = 100 * r.halfwidth / fabs(base->mean);
	} else {
		r.pct = r.pct_halfwidth = NAN;
	}
	*w = r;
	return 0;
}
