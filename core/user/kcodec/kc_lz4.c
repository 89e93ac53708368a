// SPDX-License-Identifier: GPL-2.0
/*
 * kc_lz4.c - the kernel's lib/lz4 as zram of the tree calls it.
 *
 * Without a dictionary every kernel makes the same calls: crypto/lz4.c and
 * crypto/lz4hc.c (6.1) and zram's backend_lz4.c and backend_lz4hc.c (6.12)
 * run LZ4_compress_fast() at an acceleration (default 1) and
 * LZ4_compress_HC() at an HC level (default 9), LZ4_decompress_safe() for
 * both.  Levels are 6.12's algorithm_params level=.
 *
 * With a dictionary (6.12's algorithm_params dict=) the backends keep one
 * stream per CPU, zeroed once at creation and never reset: every page
 * loads the dictionary again (LZ4_loadDict(), LZ4_resetStreamHC() and
 * LZ4_loadDictHC() for lz4hc) and compresses with the _continue() call;
 * decompression re-points a stream decoder at the dictionary each time.
 * lz4's stream keeps the previous pages' positions in its hash table, but
 * loading the dictionary moves the stream's offset 64 KiB past them,
 * beyond lz4's match distance, so a page's output never depends on the
 * pages before it.  The streams are kept here as there.
 */
#include <linux/kernel.h>
#include <linux/lz4.h>

#include "kcodec.h"
#include "kc_tree.h"

#if SL_KC_LINUX >= 0x060c00
#define KC_LZ4_DICT	1
#else
#define KC_LZ4_DICT	0	/* 6.1's zram has no algorithm_params */
#endif

struct kc_lz4 {
	int level;
	void *wrkmem;			/* without a dictionary */
	const char *dict;		/* the caller's */
	int dict_len;
	LZ4_stream_t *cstrm;		/* lz4 with a dictionary */
	LZ4_streamHC_t *hcstrm;		/* lz4hc with a dictionary */
	LZ4_streamDecode_t *dstrm;
};

static void kc_lz4_destroy(void *p)
{
	struct kc_lz4 *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->wrkmem);
	kfree(ctx->cstrm);
	kfree(ctx->hcstrm);
	kfree(ctx->dstrm);
	kfree(ctx);
}

static int kc_lz4_alloc(bool hc, int level, const void *dict,
			size_t dict_len, void **out)
{
	struct kc_lz4 *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->level = level;
	if (!dict_len) {
		ctx->wrkmem = kmalloc(hc ? LZ4HC_MEM_COMPRESS :
				      LZ4_MEM_COMPRESS, GFP_KERNEL);
		if (!ctx->wrkmem)
			goto nomem;
		*out = ctx;
		return 0;
	}
	if (!KC_LZ4_DICT || dict_len > 64 * 1024 ||
	    (!hc && dict_len < sizeof(size_t))) {
		/* the backend would fail every write: refuse it up front */
		kfree(ctx);
		return -EINVAL;
	}
	ctx->dict = dict;
	ctx->dict_len = dict_len;
	ctx->dstrm = kzalloc(sizeof(*ctx->dstrm), GFP_KERNEL);
	if (hc)
		ctx->hcstrm = kzalloc(sizeof(*ctx->hcstrm), GFP_KERNEL);
	else
		ctx->cstrm = kzalloc(sizeof(*ctx->cstrm), GFP_KERNEL);
	if (!ctx->dstrm || (!ctx->hcstrm && !ctx->cstrm))
		goto nomem;
	*out = ctx;
	return 0;
nomem:
	kc_lz4_destroy(ctx);
	return -ENOMEM;
}

static int kc_lz4_create(int level, const void *dict, size_t dict_len,
			 void **out)
{
	return kc_lz4_alloc(false, level, dict, dict_len, out);
}

static int kc_lz4hc_create(int level, const void *dict, size_t dict_len,
			   void **out)
{
	return kc_lz4_alloc(true, level, dict, dict_len, out);
}

static int kc_lz4_compress(void *p, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	struct kc_lz4 *ctx = p;
	int n;

	if (cap > INT_MAX)
		cap = INT_MAX;
	if (ctx->cstrm) {
		if (LZ4_loadDict(ctx->cstrm, ctx->dict, ctx->dict_len) !=
		    ctx->dict_len)
			return -EINVAL;
		n = LZ4_compress_fast_continue(ctx->cstrm, src, dst, src_len,
					       cap, ctx->level);
	} else {
		n = LZ4_compress_fast(src, dst, src_len, cap, ctx->level,
				      ctx->wrkmem);
	}
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int kc_lz4hc_compress(void *p, const void *src, size_t src_len,
			     void *dst, size_t cap, size_t *dst_len)
{
	struct kc_lz4 *ctx = p;
	int n;

	if (cap > INT_MAX)
		cap = INT_MAX;
	if (ctx->hcstrm) {
		LZ4_resetStreamHC(ctx->hcstrm, ctx->level);
		if (LZ4_loadDictHC(ctx->hcstrm, ctx->dict, ctx->dict_len) !=
		    ctx->dict_len)
			return -EINVAL;
		n = LZ4_compress_HC_continue(ctx->hcstrm, src, dst, src_len,
					     cap);
	} else {
		n = LZ4_compress_HC(src, dst, src_len, cap, ctx->level,
				    ctx->wrkmem);
	}
	if (n <= 0)
		return -ENOSPC;
	*dst_len = n;
	return 0;
}

static int kc_lz4_decompress(void *p, const void *src, size_t len,
			     void *dst, size_t page_size)
{
	struct kc_lz4 *ctx = p;
	int n;

	if (len > INT_MAX)
		return -EINVAL;
	if (ctx->dstrm) {
		LZ4_setStreamDecode(ctx->dstrm, ctx->dict, ctx->dict_len);
		n = LZ4_decompress_safe_continue(ctx->dstrm, src, dst, len,
						 page_size);
	} else {
		n = LZ4_decompress_safe(src, dst, len, page_size);
	}
	return n == (int)page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_lz4 = {
	.name = "lz4",
	.min_level = 1,
	.max_level = 65537,
	.default_level = 1,
	.dict_min = KC_LZ4_DICT ? sizeof(size_t) : 0,	/* HASH_UNIT */
	.dict_max = KC_LZ4_DICT ? 64 * 1024 : 0,
	.create = kc_lz4_create,
	.destroy = kc_lz4_destroy,
	.compress = kc_lz4_compress,
	.decompress = kc_lz4_decompress,
};

const struct sl_kc_ops sl_kc_lz4hc = {
	.name = "lz4hc",
	.min_level = LZ4HC_MIN_CLEVEL,
	.max_level = LZ4HC_MAX_CLEVEL,
	.default_level = LZ4HC_DEFAULT_CLEVEL,
	.dict_min = KC_LZ4_DICT ? 1 : 0,
	.dict_max = KC_LZ4_DICT ? 64 * 1024 : 0,
	.create = kc_lz4hc_create,
	.destroy = kc_lz4_destroy,
	.compress = kc_lz4hc_compress,
	.decompress = kc_lz4_decompress,
};
