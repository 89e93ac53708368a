// SPDX-License-Identifier: GPL-2.0
/*
 * codec_none.c - store pages as they are: the baseline with no codec cost,
 * useful to measure allocator and store overhead alone.
 */
#include "sl_codecs.h"

static int none_create_ctx(const struct sl_codec_params *p, void **out)
{
	*out = NULL;
	return 0;
}

static void none_destroy_ctx(void *p)
{
}

static int none_compress(void *p, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	if (cap < PAGE_SIZE)
		return -ENOSPC;
	memcpy(dst, src, PAGE_SIZE);
	*dst_len = PAGE_SIZE;
	return 0;
}

static int none_decompress(void *p, const void *src, size_t len, void *dst)
{
	if (len != PAGE_SIZE)
		return -EINVAL;
	memcpy(dst, src, PAGE_SIZE);
	return 0;
}

const struct sl_codec_ops sl_codec_none = {
	.name = "none",
	.desc = "no compression: every page stored raw",
	.create_ctx = none_create_ctx,
	.destroy_ctx = none_destroy_ctx,
	.compress = none_compress,
	.decompress = none_decompress,
};
