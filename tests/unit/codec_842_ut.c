// SPDX-License-Identifier: GPL-2.0
/*
 * codec_842_ut.c - hand-made 842 streams for the two holes that 6.1's
 * sw842_decompress() has on hostile input (see core/user/kcodec/kc_842.c):
 * the short-data and index ops write past the output without checking the
 * space left, and the repeat op reads the 8 bytes before its position even
 * at the start of the output.  Our glue must contain both; run under ASan.
 * A build without kernel codecs registers no tests here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"
#include "ut_util.h"

/* 842.h */
#define OP_REPEAT	0x1b
#define OP_ZEROS	0x1c
#define OP_SHORT_DATA	0x1d
#define OP_END		0x1e

struct bits {
	u8 buf[512];
	size_t bit;
};

/* the 842 bit stream is MSB first */
static void put(struct bits *b, u64 v, unsigned int n)
{
	while (n--) {
		if (v >> n & 1)
			b->buf[b->bit / 8] |= 0x80 >> (b->bit % 8);
		b->bit++;
	}
}

static int decode(const struct bits *b)
{
	const struct sl_codec_ops *ops = sl_codec_find("842");
	struct sl_codec_params params = { .level = SL_LEVEL_DEFAULT };
	size_t len = (b->bit + 7) / 8 + 8;	/* room for every read */
	u8 *in = malloc(len), *out = malloc(PAGE_SIZE);
	void *ctx;
	int ret;

	memcpy(in, b->buf, len);
	CU_ASSERT_FATAL(ops && !ops->create_ctx(&params, &ctx));
	ret = ops->decompress(ctx, in, len, out);
	ops->destroy_ctx(ctx);
	free(in);
	free(out);
	return ret;
}

static void test_842_short_data_past_the_page_stays_in_bounds(void)
{
	struct bits b = { .bit = 0 };
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		put(&b, OP_ZEROS, 5);
	put(&b, OP_SHORT_DATA, 5);
	put(&b, 7, 3);
	for (i = 0; i < 7; i++)
		put(&b, 0xa5, 8);
	for (i = 0; i < 4; i++)
		put(&b, OP_ZEROS, 5);
	put(&b, OP_END, 5);
	put(&b, 0, 32);
	CU_ASSERT_EQUAL(decode(&b), -EINVAL);
}

static void test_842_repeat_at_start_reads_nothing_before_the_page(void)
{
	struct bits b = { .bit = 0 };

	put(&b, OP_SHORT_DATA, 5);
	put(&b, 1, 3);
	put(&b, 0x5a, 8);
	put(&b, OP_REPEAT, 5);
	put(&b, 0, 6);
	put(&b, OP_END, 5);
	put(&b, 0, 32);
	CU_ASSERT_EQUAL(decode(&b), -EINVAL);
}

int codec_842_ut_register(void);
int codec_842_ut_register(void)
{
	CU_pSuite s = CU_add_suite("codec_842", NULL, NULL);
	int ret;

	if (!s)
		return CU_get_error();
	if (!sl_codec_find("842"))
		return CUE_SUCCESS;
	ret = UT_ADD(s, test_842_short_data_past_the_page_stays_in_bounds);
	if (!ret)
		ret = UT_ADD(s, test_842_repeat_at_start_reads_nothing_before_the_page);
	return ret;
}
