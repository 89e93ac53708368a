// SPDX-License-Identifier: GPL-2.0
/*
 * codec_libzstd.c - "libzstd:LEVEL[:dict=FILE]": zstd through the system's
 * libzstd (Debian 12: 1.5.4).
 *
 * The kernel's "zstd" is its own 1.4.10 copy, with parameters chosen for a
 * source of unknown size; libzstd 1.5.4 sizes them for the known 4 KiB
 * page and its per-page output differs (27-47% agreement at level 3), so
 * the two are different codecs here.  Negative levels are zstd's fast
 * modes.  A dictionary is digested once per context (CDict/DDict).
 */
#include <zstd.h>
#include <zstd_errors.h>

#include "sl_codecs.h"

struct zstd_ctx {
	int level;
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	ZSTD_CDict *cdict;
	ZSTD_DDict *ddict;
};

static void zstd_destroy_ctx(void *p)
{
	struct zstd_ctx *ctx = p;

	if (!ctx)
		return;
	ZSTD_freeCCtx(ctx->cctx);
	ZSTD_freeDCtx(ctx->dctx);
	ZSTD_freeCDict(ctx->cdict);
	ZSTD_freeDDict(ctx->ddict);
	kfree(ctx);
}

static int zstd_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct zstd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->level = p->level == SL_LEVEL_DEFAULT ? ZSTD_CLEVEL_DEFAULT :
		     p->level;
	ctx->cctx = ZSTD_createCCtx();
	ctx->dctx = ZSTD_createDCtx();
	if (!ctx->cctx || !ctx->dctx)
		goto nomem;
	if (p->dict) {
		ctx->cdict = ZSTD_createCDict(p->dict, p->dict_len,
					      ctx->level);
		ctx->ddict = ZSTD_createDDict(p->dict, p->dict_len);
		if (!ctx->cdict || !ctx->ddict)
			goto nomem;
	}
	*out = ctx;
	return 0;
nomem:
	zstd_destroy_ctx(ctx);
	return -ENOMEM;
}

static int zstd_compress(void *p, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	struct zstd_ctx *ctx = p;
	size_t n;

	if (ctx->cdict)
		n = ZSTD_compress_usingCDict(ctx->cctx, dst, cap, src,
					     PAGE_SIZE, ctx->cdict);
	else
		n = ZSTD_compressCCtx(ctx->cctx, dst, cap, src, PAGE_SIZE,
				      ctx->level);
	if (ZSTD_isError(n))
		return ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ?
		       -ENOSPC : -EINVAL;
	*dst_len = n;
	return 0;
}

static int zstd_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct zstd_ctx *ctx = p;
	size_t n;

	if (ctx->ddict)
		n = ZSTD_decompress_usingDDict(ctx->dctx, dst, PAGE_SIZE, src,
					       len, ctx->ddict);
	else
		n = ZSTD_decompressDCtx(ctx->dctx, dst, PAGE_SIZE, src, len);
	return !ZSTD_isError(n) && n == PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_libzstd = {
	.name = "libzstd",
	.desc = "libzstd, level -131072..22 (default 3); dict=FILE",
	.min_level = -131072,	/* ZSTD_minCLevel() */
	.max_level = 22,	/* ZSTD_maxCLevel() */
	.default_level = ZSTD_CLEVEL_DEFAULT,
	.create_ctx = zstd_create_ctx,
	.destroy_ctx = zstd_destroy_ctx,
	.compress = zstd_compress,
	.decompress = zstd_decompress,
};
