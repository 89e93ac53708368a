/*
 * pass_order_ut.c - replay/pass_order.c: runs cut into passes costliest
 * first, with pass sizes as even as the budget allows, against cuts
 * worked out by hand; and what pass_costs() gives runs it cannot time.
 */
#include <string.h>

#include "replay/pass_order.h"
#include "ut_util.h"

/* --codec all's order, with a cost of each shaped like this machine's */
static const double all7[] = { 9, 7, 7, 69, 23, 133, 120 };

static void test_seven_runs_six_a_pass_split_four_and_three(void)
{
	unsigned int order[7], sizes[7];
	static const unsigned int want[] = { 5, 6, 3, 4, 0, 1, 2 };

	CU_ASSERT_EQUAL(pass_order(all7, 7, 6, order, sizes), 2);
	CU_ASSERT_EQUAL(sizes[0], 4);
	CU_ASSERT_EQUAL(sizes[1], 3);
	/* costliest first; lzo-rle and lz4 tie and keep their order */
	CU_ASSERT_EQUAL(memcmp(order, want, sizeof(want)), 0);
}

static void test_all_fit_one_pass_in_cost_order(void)
{
	unsigned int order[7], sizes[7];

	CU_ASSERT_EQUAL(pass_order(all7, 7, 7, order, sizes), 1);
	CU_ASSERT_EQUAL(sizes[0], 7);
	CU_ASSERT_EQUAL(order[0], 5);
	CU_ASSERT_EQUAL(order[6], 2);
}

static void test_sizes_differ_by_one_at_most(void)
{
	unsigned int order[14], sizes[14], np, i, sum = 0;
	double cost[14];

	for (i = 0; i < 14; i++)
		cost[i] = i % 7;
	/* 14 runs, 4 a pass: 4 passes of 4, 4, 3, 3 (not 4, 4, 4, 2) */
	np = pass_order(cost, 14, 4, order, sizes);
	CU_ASSERT_EQUAL_FATAL(np, 4);
	CU_ASSERT_EQUAL(sizes[0], 4);
	CU_ASSERT_EQUAL(sizes[1], 4);
	CU_ASSERT_EQUAL(sizes[2], 3);
	CU_ASSERT_EQUAL(sizes[3], 3);
	for (i = 0; i < np; i++)
		sum += sizes[i];
	CU_ASSERT_EQUAL(sum, 14);
	/* every run once */
	for (i = 0, sum = 0; i < 14; i++)
		sum += 1u << order[i];
	CU_ASSERT_EQUAL(sum, (1u << 14) - 1);
	/* the two cost-6 runs first, in their order */
	CU_ASSERT_EQUAL(order[0], 6);
	CU_ASSERT_EQUAL(order[1], 13);
}

static void test_unknown_costs_keep_the_given_order(void)
{
	static const double zero[5];
	unsigned int order[5], sizes[5], i;

	CU_ASSERT_EQUAL(pass_order(zero, 5, 1, order, sizes), 5);
	for (i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(order[i], i);
		CU_ASSERT_EQUAL(sizes[i], 1);
	}
	CU_ASSERT_EQUAL(pass_order(zero, 0, 3, order, sizes), 0);
	CU_ASSERT_EQUAL(pass_order(zero, 5, 0, order, sizes), 0);
}

static void test_costs_measured_shared_and_zero_when_unknown(void)
{
	static uint8_t pages[4 * 4096];
	struct replay_cfg cfgs[4];
	double cost[4];
	unsigned int i;

	for (i = 0; i < sizeof(pages); i++)
		pages[i] = "swap out, swap in "[i % 18] ^ (i / 4096);
	memset(cfgs, 0, sizeof(cfgs));
	cfgs[0].codec_spec = "liblz4";
	cfgs[1].codec_spec = "zlib";
	cfgs[2].codec_spec = "no-such-codec";
	cfgs[3].codec_spec = "liblz4";
	pass_costs(cfgs, 4, pages, 4, cost);
	CU_ASSERT(cost[0] > 0);
	CU_ASSERT(cost[1] > 0);
	CU_ASSERT_EQUAL(cost[2], 0);
	/* the same codec again (another allocator) is not timed again */
	CU_ASSERT_EQUAL(cost[3], cost[0]);
	pass_costs(cfgs, 4, pages, 0, cost);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(cost[i], 0);
}

int pass_order_ut_register(void)
{
	CU_pSuite s = CU_add_suite("pass_order", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_seven_runs_six_a_pass_split_four_and_three);
	UT_ADD(s, test_all_fit_one_pass_in_cost_order);
	UT_ADD(s, test_sizes_differ_by_one_at_most);
	UT_ADD(s, test_unknown_costs_keep_the_given_order);
	UT_ADD(s, test_costs_measured_shared_and_zero_when_unknown);
	return CU_get_error();
}
