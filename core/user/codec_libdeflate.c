// SPDX-License-Identifier: GPL-2.0
/*
 * codec_libdeflate.c - "libdeflate:1..12": raw deflate through libdeflate,
 * the fastest deflate there is; its output is not zlib's, so it is no
 * stand-in for the kernel's "deflate" (use "zlib" for that).
 */
#include <libdeflate.h>

#include "sl_codecs.h"

struct ldf_ctx {
	struct libdeflate_compressor *c;
	struct libdeflate_decompressor *d;
};

static void ldf_destroy_ctx(void *p)
{
	struct ldf_ctx *ctx = p;

	if (!ctx)
		return;
	libdeflate_free_compressor(ctx->c);
	libdeflate_free_decompressor(ctx->d);
	kfree(ctx);
}

static int ldf_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct ldf_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->c = libdeflate_alloc_compressor(p->level);
	ctx->d = libdeflate_alloc_decompressor();
	if (!ctx->c || !ctx->d) {
		ldf_destroy_ctx(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static int ldf_compress(void *p, const void *src, void *dst, size_t cap,
			size_t *dst_len)
{
	struct ldf_ctx *ctx = p;
	size_t n;

	n = libdeflate_deflate_compress(ctx->c, src, PAGE_SIZE, dst, cap);
	if (!n)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int ldf_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct ldf_ctx *ctx = p;

	/* a NULL actual_out_nbytes demands exactly PAGE_SIZE bytes */
	return libdeflate_deflate_decompress(ctx->d, src, len, dst, PAGE_SIZE,
					     NULL) == LIBDEFLATE_SUCCESS ?
	       0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_libdeflate = {
	.name = "libdeflate",
	.desc = "libdeflate raw deflate, level 1..12 (default 6)",
	.min_level = 1,
	.max_level = 12,
	.default_level = 6,
	.create_ctx = ldf_create_ctx,
	.destroy_ctx = ldf_destroy_ctx,
	.compress = ldf_compress,
	.decompress = ldf_decompress,
};
