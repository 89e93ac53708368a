// SPDX-License-Identifier: GPL-2.0
/*
 * codec_liblz4.c - "liblz4[:accel][:dict=FILE]": lz4 through liblz4.
 *
 * The kernel's "lz4" (core/user/kcodec/) is lib/lz4 of the source tree;
 * this is the library, for comparison and for speed.  They agree on about
 * 99.5% of real pages.  With a dictionary each page is compressed as if
 * the dictionary preceded it (LZ4_loadDict() + _continue), the scheme of
 * zram's lz4 dictionaries since 6.12.
 */
#include <stdlib.h>
#include <lz4.h>

#include "sl_codecs.h"

struct lz4_ctx {
	int accel;
	const char *dict;
	int dict_len;
	LZ4_stream_t *stream;	/* with a dictionary */
	void *state;		/* without */
};

static void lz4_destroy_ctx(void *p)
{
	struct lz4_ctx *ctx = p;

	if (!ctx)
		return;
	if (ctx->stream)
		LZ4_freeStream(ctx->stream);
	kfree(ctx->state);
	kfree(ctx);
}

static int lz4_create_ctx(const struct sl_codec_params *p, void **out)
{
	struct lz4_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->accel = p->level > 0 ? p->level : 1;
	if (p->dict) {
		if (p->dict_len > INT_MAX) {
			kfree(ctx);
			return -EINVAL;
		}
		/* lz4 looks back 64 KiB at most: keep the dictionary's tail */
		ctx->dict_len = min_t(size_t, p->dict_len, 64 << 10);
		ctx->dict = (const char *)p->dict + p->dict_len - ctx->dict_len;
		ctx->stream = LZ4_createStream();
	} else {
		ctx->state = kmalloc(LZ4_sizeofState(), GFP_KERNEL);
	}
	if (!ctx->stream && !ctx->state) {
		lz4_destroy_ctx(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static int lz4_compress(void *p, const void *src, void *dst, size_t cap,
			size_t *dst_len)
{
	struct lz4_ctx *ctx = p;
	int c = cap > INT_MAX ? INT_MAX : (int)cap;
	int n;

	if (ctx->stream) {
		LZ4_loadDict(ctx->stream, ctx->dict, ctx->dict_len);
		n = LZ4_compress_fast_continue(ctx->stream, src, dst,
					       PAGE_SIZE, c, ctx->accel);
	} else {
		n = LZ4_compress_fast_extState(ctx->state, src, dst,
					       PAGE_SIZE, c, ctx->accel);
	}
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int lz4_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct lz4_ctx *ctx = p;
	int n;

	if (len > INT_MAX)
		return -EINVAL;
	if (ctx->stream)
		n = LZ4_decompress_safe_usingDict(src, dst, (int)len,
						  PAGE_SIZE, ctx->dict,
						  ctx->dict_len);
	else
		n = LZ4_decompress_safe(src, dst, (int)len, PAGE_SIZE);
	return n == (int)PAGE_SIZE ? 0 : -EINVAL;
}

const struct sl_codec_ops sl_codec_liblz4 = {
	.name = "liblz4",
	.desc = "liblz4 LZ4_compress_fast, level = acceleration 1..65537; dict=FILE",
	.min_level = 1,
	.max_level = 65537,
	.default_level = 1,
	.create_ctx = lz4_create_ctx,
	.destroy_ctx = lz4_destroy_ctx,
	.compress = lz4_compress,
	.decompress = lz4_decompress,
};
