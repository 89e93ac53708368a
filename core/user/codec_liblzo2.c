// SPDX-License-Identifier: GPL-2.0
/*
 * codec_liblzo2.c - "liblzo2": lzo1x_1 through liblzo2.
 *
 * The kernel's lib/lzo was rewritten for speed and agrees with liblzo2's
 * lzo1x_1 on about 63% of real pages; lzo-rle exists only in the kernel.
 * lzo1x_1_compress() has no output bound, so it writes into a scratch
 * buffer of the worst-case size and the result is copied when it fits.
 */
#include <lzo/lzo1x.h>

#include "sl_codecs.h"

/* lzo's documented worst case for incompressible input */
#define LZO_WORST	(PAGE_SIZE + PAGE_SIZE / 16 + 64 + 3)

struct lzo_ctx {
	void *wrkmem;
	u8 out[LZO_WORST];
};

static int lzo_create_ctx(const struct sl_codec_params *p, void **out)
{
	static bool inited;
	struct lzo_ctx *ctx;

	/* lzo_init() only checks the ABI and may run more than once */
	if (!__atomic_load_n(&inited, __ATOMIC_ACQUIRE)) {
		if (lzo_init() != LZO_E_OK)
			return -EINVAL;
		__atomic_store_n(&inited, true, __ATOMIC_RELEASE);
	}
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->wrkmem = kmalloc(LZO1X_1_MEM_COMPRESS, GFP_KERNEL);
	if (!ctx->wrkmem) {
		kfree(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static void lzo_destroy_ctx(void *p)
{
	struct lzo_ctx *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->wrkmem);
	kfree(ctx);
}

static int lzo_compress(void *p, const void *src, void *dst, size_t cap,
			size_t *dst_len)
{
	struct lzo_ctx *ctx = p;
	lzo_uint n = sizeof(ctx->out);

	if (lzo1x_1_compress(src, PAGE_SIZE, ctx->out, &n, ctx->wrkmem) !=
	    LZO_E_OK)
		return -EINVAL;
	if (n > cap)
		return -ENOSPC;
	memcpy(dst, ctx->out, n);
	*dst_len = n;
	return 0;
}

static int lzo_decompress(void *p, const void *src, size_t len, void *dst)
{
	lzo_uint n = PAGE_SIZE;
	int err;

	err = lzo1x_decompress_safe(src, len, dst, &n, NULL);
	return err == LZO_E_OK && n == PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_liblzo2 = {
	.name = "liblzo2",
	.desc = "liblzo2 lzo1x_1",
	.create_ctx = lzo_create_ctx,
	.destroy_ctx = lzo_destroy_ctx,
	.compress = lzo_compress,
	.decompress = lzo_decompress,
};
