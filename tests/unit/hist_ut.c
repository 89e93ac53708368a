/*
 * hist_ut.c - replay/hist.c: the bucket layout (exact below 32, then 32
 * buckets per power of two), quantiles read from within a bucket, and
 * merging, against values worked out by hand.
 */
#include <string.h>

#include "replay/hist.h"
#include "ut_util.h"

static struct sl_hist h;

static void test_empty_histogram_reads_zero(void)
{
	sl_hist_init(&h);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.5), 0);
	CU_ASSERT_DOUBLE_EQUAL(sl_hist_mean(&h), 0, 0);
}

static void test_small_values_are_exact(void)
{
	uint64_t v;

	sl_hist_init(&h);
	for (v = 0; v < HIST_SUB; v++)
		sl_hist_add(&h, v);
	/* 32 samples 0..31: rank 16 is 15, rank 32 is 31 */
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.5), 15);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 1.0), 31);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.0), 0);
}

/* every bucket's range holds the values filed in it, and no others */
static void test_bucket_ranges_tile_the_values(void)
{
	uint64_t lo, hi, next = 0;
	unsigned int i;

	for (i = 0; i < 40 * HIST_SUB; i++) {
		sl_hist_bucket_range(i, &lo, &hi);
		CU_ASSERT_EQUAL_FATAL(lo, next);
		CU_ASSERT_FATAL(hi >= lo);
		next = hi + 1;
	}
	/* 4096 = 2^12 starts a power of two: 32 buckets 128 wide */
	sl_hist_init(&h);
	sl_hist_add(&h, 4096 + 127);
	sl_hist_add(&h, 4096 + 128);
	for (i = 0; i < HIST_BUCKETS && !h.b[i]; i++)
		;
	sl_hist_bucket_range(i, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 4096);
	CU_ASSERT_EQUAL(hi, 4096 + 127);
	CU_ASSERT_EQUAL(h.b[i], 1);
	CU_ASSERT_EQUAL(h.b[i + 1], 1);
}

/*
 * 128 samples, one at each value of the bucket [4096, 4223]: rank 64 is
 * 4159 and rank 32 is 4127, read exactly.  A bucket's samples are taken
 * as spread evenly over it, wherever in it they really lie: three read
 * at 1/6, 3/6 and 5/6 of its width (the midpoint read 4159 for each).
 */
static void test_quantile_reads_within_the_bucket(void)
{
	uint64_t v;

	sl_hist_init(&h);
	for (v = 4096; v < 4224; v++)
		sl_hist_add(&h, v);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.5), 4159);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.25), 4127);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 1.0), 4223);

	/*
	 * 3 samples in [4096, 4223] and 1 at 5000: rank 2 (p50) is the
	 * middle of the three, at 4096 + 128 x 1.5 / 3 = 4160
	 */
	sl_hist_init(&h);
	sl_hist_add(&h, 4100);
	sl_hist_add(&h, 4110);
	sl_hist_add(&h, 4120);
	sl_hist_add(&h, 5000);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.5), 4160);
	/* rank 1: 4096 + 128 x 0.5 / 3 = 4117, rank 4: 5000 */
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.01), 4117);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 1.0), 5000);
}

/* clamped to what was seen: one value read back as itself */
static void test_quantile_is_clamped_to_min_and_max(void)
{
	int i;

	sl_hist_init(&h);
	for (i = 0; i < 10; i++)
		sl_hist_add(&h, 5000);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.0), 5000);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 0.5), 5000);
	CU_ASSERT_EQUAL(sl_hist_quantile(&h, 1.0), 5000);
	CU_ASSERT_DOUBLE_EQUAL(sl_hist_mean(&h), 5000, 0);
}

/* 1..2^17 once each: every percentile within 0.1% of the true one */
static void test_uniform_percentiles_within_a_tenth_of_a_percent(void)
{
	static const double q[] = { 0.5, 0.9, 0.99, 0.999 };
	uint64_t v;
	unsigned int i;

	sl_hist_init(&h);
	for (v = 1; v <= 1 << 17; v++)
		sl_hist_add(&h, v);
	for (i = 0; i < 4; i++) {
		double want = q[i] * (1 << 17);
		double got = sl_hist_quantile(&h, q[i]);

		CU_ASSERT_DOUBLE_EQUAL(got / want, 1, 0.001);
	}
}

static void test_merge_equals_adding_both(void)
{
	static struct sl_hist a, b;
	uint64_t v;

	sl_hist_init(&a);
	sl_hist_init(&b);
	sl_hist_init(&h);
	for (v = 1; v < 20000; v += 7) {
		sl_hist_add(v % 2 ? &a : &b, v);
		sl_hist_add(&h, v);
	}
	sl_hist_merge(&a, &b);
	CU_ASSERT_EQUAL(memcmp(&a, &h, sizeof(h)), 0);
}

int hist_ut_register(void)
{
	CU_pSuite s = CU_add_suite("hist", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_empty_histogram_reads_zero);
	UT_ADD(s, test_small_values_are_exact);
	UT_ADD(s, test_bucket_ranges_tile_the_values);
	UT_ADD(s, test_quantile_reads_within_the_bucket);
	UT_ADD(s, test_quantile_is_clamped_to_min_and_max);
	UT_ADD(s, test_uniform_percentiles_within_a_tenth_of_a_percent);
	UT_ADD(s, test_merge_equals_adding_both);
	return CU_get_error();
}
