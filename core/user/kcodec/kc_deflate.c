// SPDX-License-Identifier: GPL-2.0
/*
 * kc_deflate.c - the kernel's lib/zlib_deflate and lib/zlib_inflate as
 * crypto/deflate.c of 6.1 calls them: raw deflate (windowBits -11),
 * memLevel MAX_MEM_LEVEL (8), Z_DEFAULT_COMPRESSION, one Z_FINISH call per
 * page; inflate with Z_SYNC_FLUSH and the same one-extra-byte workaround
 * that crypto/deflate.c applies for raw streams.
 */
#include <linux/kernel.h>
#include <linux/zlib.h>

#include "kcodec.h"

#define KC_DEFLATE_WINBITS	11	/* DEFLATE_DEF_WINBITS */
#define KC_DEFLATE_MEMLEVEL	MAX_MEM_LEVEL

struct kc_deflate {
	struct z_stream_s comp, decomp;
	bool comp_ready, decomp_ready;
};

static void kc_deflate_destroy(void *p)
{
	struct kc_deflate *ctx = p;

	if (!ctx)
		return;
	if (ctx->comp_ready)
		zlib_deflateEnd(&ctx->comp);
	if (ctx->decomp_ready)
		zlib_inflateEnd(&ctx->decomp);
	vfree(ctx->comp.workspace);
	vfree(ctx->decomp.workspace);
	kfree(ctx);
}

static int kc_deflate_create(int level, const void *dict, size_t dict_len,
			     void **out)
{
	struct kc_deflate *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	int ret = -ENOMEM;

	if (!ctx)
		return -ENOMEM;
	/* crypto/deflate.c sizes the workspace for the largest window too */
	ctx->comp.workspace =
		vzalloc(zlib_deflate_workspacesize(MAX_WBITS, MAX_MEM_LEVEL));
	ctx->decomp.workspace = vzalloc(zlib_inflate_workspacesize());
	if (!ctx->comp.workspace || !ctx->decomp.workspace)
		goto fail;
	ret = -EINVAL;
	if (zlib_deflateInit2(&ctx->comp, level, Z_DEFLATED,
			      -KC_DEFLATE_WINBITS, KC_DEFLATE_MEMLEVEL,
			      Z_DEFAULT_STRATEGY) != Z_OK)
		goto fail;
	ctx->comp_ready = true;
	if (zlib_inflateInit2(&ctx->decomp, -KC_DEFLATE_WINBITS) != Z_OK)
		goto fail;
	ctx->decomp_ready = true;
	*out = ctx;
	return 0;
fail:
	kc_deflate_destroy(ctx);
	return ret;
}

static int kc_deflate_compress(void *p, const void *src, size_t src_len,
			       void *dst, size_t cap, size_t *dst_len)
{
	struct kc_deflate *ctx = p;
	struct z_stream_s *s = &ctx->comp;
	int ret;

	if (zlib_deflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = src;
	s->avail_in = src_len;
	s->next_out = dst;
	s->avail_out = cap > UINT_MAX ? UINT_MAX : cap;
	ret = zlib_deflate(s, Z_FINISH);
	if (ret == Z_STREAM_END) {
		*dst_len = s->total_out;
		return 0;
	}
	return (ret == Z_OK || ret == Z_BUF_ERROR) && !s->avail_out ?
	       -ENOSPC : -EINVAL;
}

static int kc_deflate_decompress(void *p, const void *src, size_t len,
				 void *dst, size_t page_size)
{
	struct kc_deflate *ctx = p;
	struct z_stream_s *s = &ctx->decomp;
	u8 zerostuff = 0;
	int ret;

	if (len > UINT_MAX || zlib_inflateReset(s) != Z_OK)
		return -EINVAL;
	s->next_in = src;
	s->avail_in = len;
	s->next_out = dst;
	s->avail_out = page_size;
	ret = zlib_inflate(s, Z_SYNC_FLUSH);
	if (ret == Z_OK && !s->avail_in && s->avail_out) {
		s->next_in = &zerostuff;
		s->avail_in = 1;
		ret = zlib_inflate(s, Z_FINISH);
	}
	return ret == Z_STREAM_END && s->total_out == page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_deflate = {
	.name = "deflate",
	.min_level = 1,
	.max_level = 9,
	.default_level = 6,	/* what zlib makes of Z_DEFAULT_COMPRESSION */
	.create = kc_deflate_create,
	.destroy = kc_deflate_destroy,
	.compress = kc_deflate_compress,
	.decompress = kc_deflate_decompress,
};
