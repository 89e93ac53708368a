// SPDX-License-Identifier: GPL-2.0
/*
 * codec_kernel.c - the zram codec names, backed by the kernel's own code.
 *
 * "lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate" and "842" call the
 * kernel's lib/ sources compiled under our shim (kc_*.c, kcodec.h), with
 * the parameters crypto/<name>.c of the source tree uses, so per-page
 * lengths are zram's.  Built only when a kernel tree is available
 * (mk/kcodecs.mk); codecs.c lists these only then.
 */
#include "../sl_codecs.h"
#include "kcodec.h"

struct kctx {
	const struct sl_kc_ops *kc;
	void *ctx;
};

static int kctx_create(const struct sl_kc_ops *kc,
		       const struct sl_codec_params *p, void **out)
{
	struct kctx *k;
	int level = kc->default_level;
	int ret;

	if (p->dict)
		return -EINVAL;
	if (p->level != SL_LEVEL_DEFAULT && kc->min_level != kc->max_level)
		level = p->level;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->kc = kc;
	ret = kc->create(level, &k->ctx);
	if (ret) {
		kfree(k);
		return ret;
	}
	*out = k;
	return 0;
}

static void kctx_destroy(void *p)
{
	struct kctx *k = p;

	if (!k)
		return;
	k->kc->destroy(k->ctx);
	kfree(k);
}

static int kctx_compress(void *p, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	struct kctx *k = p;

	return k->kc->compress(k->ctx, src, PAGE_SIZE, dst, cap, dst_len);
}

static int kctx_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct kctx *k = p;

	return k->kc->decompress(k->ctx, src, len, dst, PAGE_SIZE);
}

/*
 * One ops table per kernel codec; the kernel's level range and default come
 * from the sl_kc_ops of the glue, restated here because ops tables are const
 * data.  The level of lz4 is the acceleration, of lz4hc the HC level.
 */
#define KERNEL_CODEC(var, kc, cname, descr, lmin, lmax, ldef)		\
static int var##_create_ctx(const struct sl_codec_params *p, void **out) \
{									\
	return kctx_create(&(kc), p, out);				\
}									\
const struct sl_codec_ops var = {					\
	.name = cname,							\
	.desc = descr,							\
	.min_level = lmin,						\
	.max_level = lmax,						\
	.default_level = ldef,						\
	.kernel_exact = true,						\
	.create_ctx = var##_create_ctx,					\
	.destroy_ctx = kctx_destroy,					\
	.compress = kctx_compress,					\
	.decompress = kctx_decompress,					\
}

KERNEL_CODEC(sl_codec_lzo, sl_kc_lzo, "lzo",
	     "kernel lib/lzo lzo1x_1 (crypto/lzo.c)", 0, 0, 0);
KERNEL_CODEC(sl_codec_lzo_rle, sl_kc_lzo_rle, "lzo-rle",
	     "kernel lib/lzo lzorle1x_1, zram's default (crypto/lzo-rle.c)",
	     0, 0, 0);
KERNEL_CODEC(sl_codec_lz4, sl_kc_lz4, "lz4",
	     "kernel lib/lz4, level = acceleration (default 1)", 1, 65537, 1);
KERNEL_CODEC(sl_codec_lz4hc, sl_kc_lz4hc, "lz4hc",
	     "kernel lib/lz4 HC, level 3..16 (default 9)", 3, 16, 9);
KERNEL_CODEC(sl_codec_zstd, sl_kc_zstd, "zstd",
	     "kernel lib/zstd, zstd_get_params(level, 0) (default 3)",
	     -131072, 22, 3);
KERNEL_CODEC(sl_codec_deflate, sl_kc_deflate, "deflate",
	     "kernel lib/zlib_deflate raw, windowBits 11, memLevel 8 (default 6)",
	     1, 9, 6);
KERNEL_CODEC(sl_codec_842, sl_kc_842, "842",
	     "kernel lib/842 software compressor", 0, 0, 0);
