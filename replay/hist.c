/*
 * hist.c - see hist.h.
 */
#include <string.h>

#include "hist.h"

void sl_hist_init(struct sl_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static unsigned int bucket(uint64_t v)
{
	unsigned int e;

	if (v < HIST_SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	       ((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

void sl_hist_bucket_range(unsigned int i, uint64_t *lo, uint64_t *hi)
{
	unsigned int e, sub;

	if (i < HIST_SUB) {
		*lo = *hi = i;
		return;
	}
	e = i / HIST_SUB + HIST_SUB_BITS - 1;
	sub = i % HIST_SUB;
	*lo = (uint64_t)(HIST_SUB + sub) << (e - HIST_SUB_BITS);
	*hi = *lo + ((uint64_t)1 << (e - HIST_SUB_BITS)) - 1;
}

void sl_hist_add(struct sl_hist *h, uint64_t v)
{
	h->b[bucket(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void sl_hist_merge(struct sl_hist *dst, const struct sl_hist *src)
{
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t sl_hist_quantile(const struct sl_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, hi, v;
	unsigned int i;
	double at;

	if (!h->count)
		return 0;
	rank = (uint64_t)(q * h->count + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_BUCKETS; i++) {
		if (seen + h->b[i] >= rank)
			break;
		seen += h->b[i];
	}
	sl_hist_bucket_range(i, &lo, &hi);
	/*
	 * The samples of a bucket are taken as spread evenly over it, so the
	 * rank's place among them gives its value.  The bucket's midpoint is
	 * up to half a bucket (0.8-1.6%) off: two runs of one configuration
	 * whose medians lie either side of a bound would read 1.6-3.1% apart.
	 */
	at = ((double)(rank - seen) - 0.5) / (double)h->b[i];
	v = lo + (uint64_t)((double)(hi - lo + 1) * at);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double sl_hist_mean(const struct sl_hist *h)
{
	return h->count ? (double)h->sum / h->count : 0.0;
}
