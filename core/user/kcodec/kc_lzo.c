// SPDX-License-Identifier: GPL-2.0
/*
 * kc_lzo.c - the kernel's lib/lzo as crypto/lzo.c and crypto/lzo-rle.c of
 * 6.1 call it: lzo1x_1_compress_safe() / lzorle1x_1_compress_safe() into a
 * bounded buffer, lzo1x_decompress_safe() for both (an lzo-rle stream is an
 * lzo stream with a version byte that the decompressor understands).
 *
 * Trees without lib/lzo/lzo1x_compress_safe.c (before 6.15 and its stable
 * backports; mk/kcodecs.mk then leaves SL_KC_LZO_SAFE undefined) have only
 * the unbounded lzo1x_1_compress(), which crypto/lzo.c of those trees
 * calls with zram's two-page buffer; we give it a buffer of the worst-case
 * size when the caller's is smaller.  The output is the same either way.
 */
#include <linux/kernel.h>
#include <linux/lzo.h>

#include "kcodec.h"

#define KC_LZO_WORST	lzo1x_worst_compress(PAGE_SIZE)

struct kc_lzo {
	u8 wrkmem[LZO1X_1_MEM_COMPRESS];
	u8 out[KC_LZO_WORST];
};

static int kc_lzo_create(int level, const void *dict, size_t dict_len,
			 void **out)
{
	struct kc_lzo *ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);

	*out = ctx;
	return ctx ? 0 : -ENOMEM;
}

static void kc_lzo_destroy(void *ctx)
{
	kfree(ctx);
}

typedef int (*lzo_compress_fn)(const unsigned char *src, size_t src_len,
			       unsigned char *dst, size_t *dst_len,
			       void *wrkmem);

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

static int compress_with(lzo_compress_fn fn, struct kc_lzo *ctx,
			 const void *src, size_t src_len, void *dst,
			 size_t cap, size_t *dst_len)
{
	size_t out = cap;
	int err;

#ifdef SL_KC_LZO_SAFE
	err = fn(src, src_len, dst, &out, ctx->wrkmem);
#else
	if (src_len > PAGE_SIZE)
		return -EINVAL;
	if (cap >= KC_LZO_WORST) {
		err = fn(src, src_len, dst, &out, ctx->wrkmem);
	} else {
		err = fn(src, src_len, ctx->out, &out, ctx->wrkmem);
		if (err == LZO_E_OK && out > cap)
			err = LZO_E_OUTPUT_OVERRUN;
		if (err == LZO_E_OK)
			memcpy(dst, ctx->out, out);
	}
#endif
	return lzo_result(err, out, dst_len);
}

#ifdef SL_KC_LZO_SAFE
#define KC_LZO1X	lzo1x_1_compress_safe
#define KC_LZORLE	lzorle1x_1_compress_safe
#else
#define KC_LZO1X	lzo1x_1_compress
#define KC_LZORLE	lzorle1x_1_compress
#endif

static int kc_lzo_compress(void *ctx, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	return compress_with(KC_LZO1X, ctx, src, src_len, dst, cap, dst_len);
}

static int kc_lzorle_compress(void *ctx, const void *src, size_t src_len,
			      void *dst, size_t cap, size_t *dst_len)
{
	return compress_with(KC_LZORLE, ctx, src, src_len, dst, cap, dst_len);
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
