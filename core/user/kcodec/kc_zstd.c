// SPDX-License-Identifier: GPL-2.0
/*
 * kc_zstd.c - the kernel's lib/zstd as zram of the tree's kernel calls it.
 *
 * Up to 6.11 zram goes through crypto/zstd.c, whose parameters are
 * zstd_get_params(level, 0): 0 is the source size estimate ("unknown"),
 * so the window and table sizes are those of a level-3 stream of unknown
 * length.  From 6.12 zram's own backend_zstd.c passes PAGE_SIZE, which
 * shrinks the tables to fit one page: the same page gives other lengths.
 * Either way zstd_compress_cctx() and zstd_decompress_dctx() run over
 * static workspaces sized by the kernel's own bounds, as there.
 */
#include <linux/kernel.h>
#include <linux/zstd.h>

#include "kcodec.h"
#include "kc_tree.h"

#if SL_KC_LINUX >= 0x060c00
#define KC_ZSTD_SIZE_HINT	PAGE_SIZE	/* backend_zstd.c */
#else
#define KC_ZSTD_SIZE_HINT	0		/* crypto/zstd.c */
#endif

struct kc_zstd {
	zstd_parameters params;
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	void *cwksp, *dwksp;
};

static void kc_zstd_destroy(void *p)
{
	struct kc_zstd *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->cwksp);
	kfree(ctx->dwksp);
	kfree(ctx);
}

static int kc_zstd_create(int level, void **out)
{
	struct kc_zstd *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	size_t csize, dsize;

	if (!ctx)
		return -ENOMEM;
	ctx->params = zstd_get_params(level, KC_ZSTD_SIZE_HINT);
	csize = zstd_cctx_workspace_bound(&ctx->params.cParams);
	dsize = zstd_dctx_workspace_bound();
	ctx->cwksp = vzalloc(csize);
	ctx->dwksp = vzalloc(dsize);
	if (!ctx->cwksp || !ctx->dwksp)
		goto nomem;
	ctx->cctx = zstd_init_cctx(ctx->cwksp, csize);
	ctx->dctx = zstd_init_dctx(ctx->dwksp, dsize);
	if (!ctx->cctx || !ctx->dctx) {
		kc_zstd_destroy(ctx);
		return -EINVAL;
	}
	*out = ctx;
	return 0;
nomem:
	kc_zstd_destroy(ctx);
	return -ENOMEM;
}

static int kc_zstd_compress(void *p, const void *src, size_t src_len,
			    void *dst, size_t cap, size_t *dst_len)
{
	struct kc_zstd *ctx = p;
	size_t n;

	n = zstd_compress_cctx(ctx->cctx, dst, cap, src, src_len,
			       &ctx->params);
	if (zstd_is_error(n))
		return zstd_get_error_code(n) == ZSTD_error_dstSize_tooSmall ?
		       -ENOSPC : -EINVAL;
	*dst_len = n;
	return 0;
}

static int kc_zstd_decompress(void *p, const void *src, size_t len,
			      void *dst, size_t page_size)
{
	struct kc_zstd *ctx = p;
	size_t n;

	n = zstd_decompress_dctx(ctx->dctx, dst, page_size, src, len);
	return !zstd_is_error(n) && n == page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_zstd = {
	.name = "zstd",
	.min_level = -131072,	/* zstd_min_clevel() of 1.4.10 */
	.max_level = 22,
	.default_level = 3,	/* ZSTD_DEF_LEVEL of crypto/zstd.c */
	.create = kc_zstd_create,
	.destroy = kc_zstd_destroy,
	.compress = kc_zstd_compress,
	.decompress = kc_zstd_decompress,
};
