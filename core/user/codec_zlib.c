// SPDX-License-Identifier: GPL-2.0
/*
 * codec_zlib.c - "zlib:LEVEL": raw deflate through the system's zlib, with
 * the kernel's crypto/deflate.c settings (windowBits 11, memLevel 8).
 *
 * The kernel's lib/zlib_deflate is a copy of zlib's deflate, so at level 6
 * this agrees with the kernel's "deflate" on every page; other levels show
 * what a zram deflate level would buy.
 */
#include <zlib.h>

#include "sl_codecs.h"

#define ZLIB_WINBITS	11	/* crypto/deflate.c DEFLATE_DEF_WINBITS */
#define ZLIB_MEMLEVEL	8	/* crypto/deflate.c DEFLATE_DEF_MEMLEVEL */

struct zlib_ctx {
	z_stream c, d;
	bool c_ready, d_ready;
};

static void zlib_destroy_ctx(void *p)
{
	struct zlib_ctx *ctx = p;

	if (!ctx)
		return;
	if (ctx->c_ready)
		deflateEnd(&ctx->c);
	if (ctx->d_ready)
		inflateEnd(&ctx->d);
	kfree(ctx);
}

static int zlib_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct zlib_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = deflateInit2(&ctx->c, p->level, Z_DEFLATED, -ZLIB_WINBITS,
			   ZLIB_MEMLEVEL, Z_DEFAULT_STRATEGY);
	if (ret != Z_OK)
		goto fail;
	ctx->c_ready = true;
	ret = inflateInit2(&ctx->d, -ZLIB_WINBITS);
	if (ret != Z_OK)
		goto fail;
	ctx->d_ready = true;
	*out = ctx;
	return 0;
fail:
	zlib_destroy_ctx(ctx);
	return ret == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
}

static int zlib_compress(void *p, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	struct zlib_ctx *ctx = p;
	z_stream *s = &ctx->c;
	int ret;

	if (deflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = (Bytef *)src;
	s->avail_in = PAGE_SIZE;
	s->next_out = dst;
	s->avail_out = cap > UINT_MAX ? UINT_MAX : cap;
	ret = deflate(s, Z_FINISH);
	if (ret == Z_STREAM_END) {
		*dst_len = s->total_out;
		return 0;
	}
	return (ret == Z_OK || ret == Z_BUF_ERROR) && !s->avail_out ?
	       -ENOSPC : -EINVAL;
}

static int zlib_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct zlib_ctx *ctx = p;
	z_stream *s = &ctx->d;
	int ret;

	if (len > UINT_MAX || inflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = (Bytef *)src;
	s->avail_in = len;
	s->next_out = dst;
	s->avail_out = PAGE_SIZE;
	ret = inflate(s, Z_FINISH);
	return ret == Z_STREAM_END && s->total_out == PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_zlib = {
	.name = "zlib",
	.desc = "zlib raw deflate, windowBits 11, memLevel 8, level 1..9 (default 6)",
	.min_level = 1,
	.max_level = 9,
	.default_level = 6,
	.create_ctx = zlib_create_ctx,
	.destroy_ctx = zlib_destroy_ctx,
	.compress = zlib_compress,
	.decompress = zlib_decompress,
};
