// SPDX-License-Identifier: GPL-2.0
/*
 * codec_crypto.c - codecs on the kernel's compression API (crypto_comp),
 * the same interface zram 6.1 uses, so the module's compressed lengths are
 * the running kernel's own.
 *
 * A crypto_comp transform keeps its scratch memory inside and must not be
 * used by two callers at once: each context owns one transform, and the
 * store keeps one context per CPU.  The transform's compress and
 * decompress calls do not sleep (their workspace is allocated with the
 * transform), so they run with preemption disabled.
 *
 * create_ctx() gets no name, only parameters, so every algorithm has its
 * own small create function; the rest of the ops are shared.
 */
#include <linux/crypto.h>
#include <linux/version.h>
#include <linux/vmalloc.h>
#include <linux/zstd.h>

#include "sl_codecs_kernel.h"

static int crypto_create(const char *alg, const struct sl_codec_params *p,
			 void **ctx)
{
	struct crypto_comp *tfm;

	if (p->dict || (p->level != 0 && p->level != SL_LEVEL_DEFAULT))
		return -EINVAL;
	tfm = crypto_alloc_comp(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm) == -ENOMEM ? -ENOMEM : -EINVAL;
	*ctx = tfm;
	return 0;
}

static void crypto_destroy(void *ctx)
{
	if (ctx)
		crypto_free_comp(ctx);
}

static int crypto_compress(void *ctx, const void *src, void *dst,
			   size_t cap, size_t *dst_len)
{
	unsigned int len = min_t(size_t, cap, UINT_MAX);
	int ret;

	ret = crypto_comp_compress(ctx, src, PAGE_SIZE, dst, &len);
	if (ret)
		return ret;
	if (len > cap)
		return -ENOSPC;
	*dst_len = len;
	return 0;
}

static int crypto_decompress(void *ctx, const void *src, size_t len,
			     void *dst)
{
	unsigned int out = PAGE_SIZE;
	int ret;

	if (len > PAGE_SIZE)
		return -EINVAL;
	ret = crypto_comp_decompress(ctx, src, len, dst, &out);
	if (ret || out != PAGE_SIZE)
		return -EINVAL;
	return 0;
}

#define SL_CRYPTO_CODEC(id, alg, text)					\
static const char id##_name[] = alg;					\
static int id##_create(const struct sl_codec_params *p, void **ctx)	\
{									\
	return crypto_create(id##_name, p, ctx);			\
}									\
static const struct sl_codec_ops sl_codec_##id = {			\
	.name = id##_name,						\
	.desc = text,							\
	.kernel_exact = true,						\
	.create_ctx = id##_create,					\
	.destroy_ctx = crypto_destroy,					\
	.compress = crypto_compress,					\
	.decompress = crypto_decompress,				\
}

SL_CRYPTO_CODEC(lzo, "lzo", "lzo1x via the crypto API");
SL_CRYPTO_CODEC(lzo_rle, "lzo-rle", "lzo1x with zero runs, crypto API");
SL_CRYPTO_CODEC(lz4, "lz4", "lz4 via the crypto API");
SL_CRYPTO_CODEC(lz4hc, "lz4hc", "lz4hc via the crypto API");
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
/*
 * From 6.12 zram calls lib/zstd itself (backend_zstd.c) with
 * zstd_get_params(level, PAGE_SIZE), while crypto/zstd.c still passes 0
 * ("size unknown"): other tables, other lengths.  So does this codec,
 * over workspaces of its own, to store what 6.12's zram0 stores.
 */
struct kzstd {
	zstd_parameters params;
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	void *cwksp, *dwksp;
};

static void kzstd_destroy(void *p)
{
	struct kzstd *z = p;

	if (!z)
		return;
	vfree(z->cwksp);
	vfree(z->dwksp);
	kfree(z);
}

static int kzstd_create(const struct sl_codec_params *p, void **ctx)
{
	int level = p->level == SL_LEVEL_DEFAULT || !p->level ?
		    zstd_default_clevel() : p->level;
	struct kzstd *z;
	size_t cs, ds;

	if (p->dict || level < zstd_min_clevel() || level > zstd_max_clevel())
		return -EINVAL;
	z = kzalloc(sizeof(*z), GFP_KERNEL);
	if (!z)
		return -ENOMEM;
	z->params = zstd_get_params(level, PAGE_SIZE);
	/* the compression parameters are zstd_parameters' first member */
	cs = zstd_cctx_workspace_bound((const void *)&z->params);
	ds = zstd_dctx_workspace_bound();
	z->cwksp = vzalloc(cs);
	z->dwksp = vzalloc(ds);
	if (z->cwksp && z->dwksp) {
		z->cctx = zstd_init_cctx(z->cwksp, cs);
		z->dctx = zstd_init_dctx(z->dwksp, ds);
	}
	if (!z->cctx || !z->dctx) {
		kzstd_destroy(z);
		return -ENOMEM;
	}
	*ctx = z;
	return 0;
}

static int kzstd_compress(void *ctx, const void *src, void *dst, size_t cap,
			  size_t *dst_len)
{
	struct kzstd *z = ctx;
	size_t n = zstd_compress_cctx(z->cctx, dst, cap, src, PAGE_SIZE,
				      &z->params);

	/* @cap is zram's two pages: no page outgrows it */
	if (zstd_is_error(n))
		return cap < zstd_compress_bound(PAGE_SIZE) ? -ENOSPC : -EINVAL;
	*dst_len = n;
	return 0;
}

static int kzstd_decompress(void *ctx, const void *src, size_t len,
			    void *dst)
{
	struct kzstd *z = ctx;
	size_t n = zstd_decompress_dctx(z->dctx, dst, PAGE_SIZE, src, len);

	return !zstd_is_error(n) && n == PAGE_SIZE ? 0 : -EINVAL;
}

static const struct sl_codec_ops sl_codec_zstd = {
	.name = "zstd",
	.desc = "lib/zstd as 6.12's zram backend_zstd.c calls it",
	.kernel_exact = true,
	.create_ctx = kzstd_create,
	.destroy_ctx = kzstd_destroy,
	.compress = kzstd_compress,
	.decompress = kzstd_decompress,
};
#else
SL_CRYPTO_CODEC(zstd, "zstd", "zstd via the crypto API");
#endif
SL_CRYPTO_CODEC(deflate, "deflate", "raw deflate via the crypto API");
SL_CRYPTO_CODEC(sw842, "842", "842 via the crypto API");

const struct sl_codec_ops *const sl_codecs[] = {
	&sl_codec_lzo,
	&sl_codec_lzo_rle,
	&sl_codec_lz4,
	&sl_codec_lz4hc,
	&sl_codec_zstd,
	&sl_codec_deflate,
	&sl_codec_sw842,
	NULL,
};

const struct sl_codec_ops *sl_codec_find(const char *name)
{
	const struct sl_codec_ops *const *c;

	for (c = sl_codecs; *c; c++)
		if (sysfs_streq((*c)->name, name))
			return *c;
	return NULL;
}

bool sl_codec_available(const struct sl_codec_ops *ops)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	if (ops == &sl_codec_zstd)
		return true;	/* linked against lib/zstd */
#endif
	return crypto_has_comp(ops->name, 0, 0);
}
