// SPDX-License-Identifier: GPL-2.0
/*
 * kc_lz4.c - the kernel's lib/lz4 as crypto/lz4.c and crypto/lz4hc.c of 6.1
 * call it: LZ4_compress_default() (acceleration 1) and LZ4_compress_HC() at
 * LZ4HC_DEFAULT_CLEVEL (9), LZ4_decompress_safe() for both.  Levels other
 * than the defaults are what zram's per-algorithm params of later kernels
 * pass: acceleration for lz4, the HC level for lz4hc.
 */
#include <linux/kernel.h>
#include <linux/lz4.h>

#include "kcodec.h"

struct kc_lz4 {
	int level;
	void *wrkmem;
};

static int kc_lz4_alloc(int level, size_t wrkmem, void **out)
{
	struct kc_lz4 *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->level = level;
	ctx->wrkmem = kmalloc(wrkmem, GFP_KERNEL);
	if (!ctx->wrkmem) {
		kfree(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static int kc_lz4_create(int level, void **out)
{
	return kc_lz4_alloc(level, LZ4_MEM_COMPRESS, out);
}

static int kc_lz4hc_create(int level, void **out)
{
	return kc_lz4_alloc(level, LZ4HC_MEM_COMPRESS, out);
}

static void kc_lz4_destroy(void *p)
{
	struct kc_lz4 *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->wrkmem);
	kfree(ctx);
}

static int kc_lz4_compress(void *p, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	struct kc_lz4 *ctx = p;
	int n;

	if (cap > INT_MAX)
		cap = INT_MAX;
	if (ctx->level == 1)
		n = LZ4_compress_default(src, dst, src_len, cap, ctx->wrkmem);
	else
		n = LZ4_compress_fast(src, dst, src_len, cap, ctx->level,
				      ctx->wrkmem);
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int kc_lz4hc_compress(void *p, const void *src, size_t src_len,
			     void *dst, size_t cap, size_t *dst_len)
{
	struct kc_lz4 *ctx = p;
	int n;

	if (cap > INT_MAX)
		cap = INT_MAX;
	n = LZ4_compress_HC(src, dst, src_len, cap, ctx->level, ctx->wrkmem);
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int kc_lz4_decompress(void *p, const void *src, size_t len,
			     void *dst, size_t page_size)
{
	int n;

	if (len > INT_MAX)
		return -EINVAL;
	n = LZ4_decompress_safe(src, dst, len, page_size);
	return n == (int)page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_lz4 = {
	.name = "lz4",
	.min_level = 1,
	.max_level = 65537,
	.default_level = 1,
	.create = kc_lz4_create,
	.destroy = kc_lz4_destroy,
	.compress = kc_lz4_compress,
	.decompress = kc_lz4_decompress,
};

const struct sl_kc_ops sl_kc_lz4hc = {
	.name = "lz4hc",
	.min_level = LZ4HC_MIN_CLEVEL,
	.max_level = LZ4HC_MAX_CLEVEL,
	.default_level = LZ4HC_DEFAULT_CLEVEL,
	.create = kc_lz4hc_create,
	.destroy = kc_lz4_destroy,
	.compress = kc_lz4hc_compress,
	.decompress = kc_lz4_decompress,
};
