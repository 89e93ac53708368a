// SPDX-License-Identifier: GPL-2.0
/*
 * codec_liblz4hc.c - "liblz4hc:LEVEL": liblz4's high-compression mode.
 *
 * The library's HC levels run 1..12 (the kernel's lib/lz4 copy 3..16, and
 * its level 9 agrees with liblz4hc:9 on only ~41% of real pages), which is
 * why "lz4hc" is the kernel's code and this one is named after the library.
 */
#include <lz4.h>
#include <lz4hc.h>

#include "sl_codecs.h"

struct lz4hc_ctx {
	int level;
	void *state;
};

static int lz4hc_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct lz4hc_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->level = p->level;
	ctx->state = kmalloc(LZ4_sizeofStateHC(), GFP_KERNEL);
	if (!ctx->state) {
		kfree(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static void lz4hc_destroy_ctx(void *p)
{
	struct lz4hc_ctx *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->state);
	kfree(ctx);
}

static int lz4hc_compress(void *p, const void *src, void *dst, size_t cap,
			  size_t *dst_len)
{
	struct lz4hc_ctx *ctx = p;
	int n;

	n = LZ4_compress_HC_extStateHC(ctx->state, src, dst, PAGE_SIZE,
				       cap > INT_MAX ? INT_MAX : (int)cap,
				       ctx->level);
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int lz4hc_decompress(void *p, const void *src, size_t len, void *dst)
{
	int n;

	if (len > INT_MAX)
		return -EINVAL;
	n = LZ4_decompress_safe(src, dst, (int)len, PAGE_SIZE);
	return n == (int)PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_liblz4hc = {
	.name = "liblz4hc",
	.desc = "liblz4 LZ4_compress_HC, level 1..12 (default 9)",
	.min_level = 1,
	.max_level = LZ4HC_CLEVEL_MAX,
	.default_level = LZ4HC_CLEVEL_DEFAULT,
	.create_ctx = lz4hc_create_ctx,
	.destroy_ctx = lz4hc_destroy_ctx,
	.compress = lz4hc_compress,
	.decompress = lz4hc_decompress,
};
