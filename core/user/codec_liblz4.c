// SPDX-License-Identifier: GPL-2.0
/*
 * codec_liblz4.c - lz4 through liblz4.
 *
 * "lz4" takes the kernel crypto API's parameters (LZ4_compress_default,
 * acceleration 1); liblz4 agrees with the kernel's lib/lz4 on about 99.5%
 * of real pages.  "liblz4[:accel]" exposes the acceleration factor.
 */
#include <stdlib.h>
#include <lz4.h>

#include "sl_codecs.h"

struct lz4_ctx {
	int accel;
	void *state;
};

static int lz4_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct lz4_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->accel = p->level > 0 ? p->level : 1;
	ctx->state = kmalloc(LZ4_sizeofState(), GFP_KERNEL);
	if (!ctx->state) {
		kfree(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static void lz4_destroy_ctx(void *p)
{
	struct lz4_ctx *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->state);
	kfree(ctx);
}

static int lz4_compress(void *p, const void *src, void *dst, size_t cap,
			size_t *dst_len)
{
	struct lz4_ctx *ctx = p;
	int n;

	n = LZ4_compress_fast_extState(ctx->state, src, dst, PAGE_SIZE,
				       cap > INT_MAX ? INT_MAX : (int)cap,
				       ctx->accel);
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int lz4_decompress(void *p, const void *src, size_t len, void *dst)
{
	int n;

	if (len > INT_MAX)
		return -EINVAL;
	n = LZ4_decompress_safe(src, dst, (int)len, PAGE_SIZE);
	return n == (int)PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_lz4 = {
	.name = "lz4",
	.desc = "lz4 with the kernel's parameters (acceleration 1), via liblz4",
	.create_ctx = lz4_create_ctx,
	.destroy_ctx = lz4_destroy_ctx,
	.compress = lz4_compress,
	.decompress = lz4_decompress,
};

const struct sl_codec_ops sl_codec_liblz4 = {
	.name = "liblz4",
	.desc = "liblz4 LZ4_compress_fast, level = acceleration 1..65537",
	.min_level = 1,
	.max_level = 65537,
	.default_level = 1,
	.create_ctx = lz4_create_ctx,
	.destroy_ctx = lz4_destroy_ctx,
	.compress = lz4_compress,
	.decompress = lz4_decompress,
};
