/*
 * hist.h - log-linear latency histograms: exact below 32 ns, then 32
 * buckets per power of two, so every percentile is within about 3% of
 * the true value at a fixed 16 KiB per histogram and O(1) per sample.
 */
#ifndef SL_HIST_H
#define SL_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	5
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_BUCKETS	((64 - HIST_SUB_BITS + 1) * HIST_SUB)

struct sl_hist {
	uint64_t count, sum, min, max;
	uint64_t b[HIST_BUCKETS];
};

void sl_hist_init(struct sl_hist *h);
void sl_hist_add(struct sl_hist *h, uint64_t v);
void sl_hist_merge(struct sl_hist *dst, const struct sl_hist *src);
/*
 * the value at quantile @q (0..1): the sample of that rank, taken as the
 * bucket's samples spread evenly over its range, clamped to min..max;
 * exact below HIST_SUB, 0 for an empty histogram
 */
uint64_t sl_hist_quantile(const struct sl_hist *h, double q);
double sl_hist_mean(const struct sl_hist *h);

/* bucket @i's range [lo, hi]; used to export CDFs */
void sl_hist_bucket_range(unsigned int i, uint64_t *lo, uint64_t *hi);

#endif /* SL_HIST_H */
