// SPDX-License-Identifier: GPL-2.0
/*
 * kc_lzo.c - the kernel's lib/lzo as crypto/lzo.c and crypto/lzo-rle.c of
 * 6.1 call it: lzo1x_1_compress_safe() / lzorle1x_1_compress_safe() into a
 * bounded buffer, lzo1x_decompress_safe() for both (an lzo-rle stream is an
 * lzo stream with a version byte that the decompressor understands).
 */
#include <linux/kernel.h>
#include <linux/lzo.h>

#include "kcodec.h"

static int kc_lzo_create(int level, void **ctx)
{
	*ctx = kmalloc(LZO1X_1_MEM_COMPRESS, GFP_KERNEL);
	return *ctx ? 0 : -ENOMEM;
}

static void kc_lzo_destroy(void *ctx)
{
	kfree(ctx);
}

/* the _safe compressors stop at @cap and say LZO_E_OUTPUT_OVERRUN */
static int lzo_result(int err, size_t out, size_t *dst_len)
{
	if (err == LZO_E_OUTPUT_OVERRUN)
		return -ENOSPC;
	if (err != LZO_E_OK)
		return -EINVAL;
	*dst_len = out;
	return 0;
}

static int kc_lzo_compress(void *ctx, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	size_t out = cap;
	int err;

	err = lzo1x_1_compress_safe(src, src_len, dst, &out, ctx);
	return lzo_result(err, out, dst_len);
}

static int kc_lzorle_compress(void *ctx, const void *src, size_t src_len,
			      void *dst, size_t cap, size_t *dst_len)
{
	size_t out = cap;
	int err;

	err = lzorle1x_1_compress_safe(src, src_len, dst, &out, ctx);
	return lzo_result(err, out, dst_len);
}

static int kc_lzo_decompress(void *ctx, const void *src, size_t len,
			     void *dst, size_t page_size)
{
	size_t out = page_size;
	int err;

	err = lzo1x_decompress_safe(src, len, dst, &out);
	return err == LZO_E_OK && out == page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_lzo = {
	.name = "lzo",
	.create = kc_lzo_create,
	.destroy = kc_lzo_destroy,
	.compress = kc_lzo_compress,
	.decompress = kc_lzo_decompress,
};

const struct sl_kc_ops sl_kc_lzo_rle = {
	.name = "lzo-rle",
	.create = kc_lzo_create,
	.destroy = kc_lzo_destroy,
	.compress = kc_lzorle_compress,
	.decompress = kc_lzo_decompress,
};
