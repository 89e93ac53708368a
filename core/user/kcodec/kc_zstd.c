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
 *
 * With a dictionary (6.12's algorithm_params dict=) backend_zstd.c
 * digests it once, by reference, into a CDict made for
 * zstd_get_cparams(level, PAGE_SIZE, dict size) and a DDict (both "auto":
 * a file with zstd's dictionary magic is a trained dictionary, anything
 * else raw content), and runs zstd_compress_using_cdict() and
 * zstd_decompress_using_ddict() on contexts that zstd allocates through
 * a custom allocator.  Here each context digests its own copy, which
 * gives the same output as zram's shared one.
 */
#include <linux/kernel.h>
#include <linux/zstd.h>

#include "kcodec.h"
#include "kc_tree.h"

#if SL_KC_LINUX >= 0x060c00
#define KC_ZSTD_SIZE_HINT	PAGE_SIZE	/* backend_zstd.c */
#define KC_ZSTD_DICT		1
#else
#define KC_ZSTD_SIZE_HINT	0		/* crypto/zstd.c */
#define KC_ZSTD_DICT		0
#endif

struct kc_zstd {
	zstd_parameters params;
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	void *cwksp, *dwksp;
#if KC_ZSTD_DICT
	zstd_cdict *cdict;		/* with a dictionary */
	zstd_ddict *ddict;
#endif
};

#if KC_ZSTD_DICT
static void *kc_zstd_alloc(void *opaque, size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

static void kc_zstd_free(void *opaque, void *address)
{
	kfree(address);
}

static const zstd_custom_mem kc_zstd_mem = {
	.customAlloc = kc_zstd_alloc,
	.customFree = kc_zstd_free,
};

static int kc_zstd_create_dict(struct kc_zstd *ctx, int level,
			       const void *dict, size_t dict_len)
{
	zstd_compression_parameters prm;

	prm = zstd_get_cparams(level, PAGE_SIZE, dict_len);
	ctx->cdict = zstd_create_cdict_byreference(dict, dict_len, prm,
						   kc_zstd_mem);
	ctx->ddict = zstd_create_ddict_byreference(dict, dict_len,
						   kc_zstd_mem);
	ctx->cctx = zstd_create_cctx_advanced(kc_zstd_mem);
	ctx->dctx = zstd_create_dctx_advanced(kc_zstd_mem);
	/* zstd fails only for want of memory or for a corrupt dictionary */
	return ctx->cdict && ctx->ddict && ctx->cctx && ctx->dctx ? 0 : -EINVAL;
}
#endif

static void kc_zstd_destroy(void *p)
{
	struct kc_zstd *ctx = p;

	if (!ctx)
		return;
#if KC_ZSTD_DICT
	if (!ctx->cwksp) {	/* zstd's own allocations, or none */
		zstd_free_cdict(ctx->cdict);
		zstd_free_ddict(ctx->ddict);
		zstd_free_cctx(ctx->cctx);
		zstd_free_dctx(ctx->dctx);
	}
#endif
	kfree(ctx->cwksp);
	kfree(ctx->dwksp);
	kfree(ctx);
}

static int kc_zstd_create_hint(int level, const void *dict, size_t dict_len,
			       unsigned long long size_hint, void **out)
{
	struct kc_zstd *ctx;
	size_t csize, dsize;

	if (dict_len && !KC_ZSTD_DICT)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->params = zstd_get_params(level, size_hint);
#if KC_ZSTD_DICT
	if (dict_len) {
		if (kc_zstd_create_dict(ctx, level, dict, dict_len)) {
			kc_zstd_destroy(ctx);
			return -EINVAL;
		}
		*out = ctx;
		return 0;
	}
#endif
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

static int kc_zstd_create(int level, const void *dict, size_t dict_len,
			  void **out)
{
	return kc_zstd_create_hint(level, dict, dict_len, KC_ZSTD_SIZE_HINT,
				   out);
}

/* crypto/zstd.c: zstd_get_params(ZSTD_DEF_LEVEL, 0), whatever the tree */
static int kc_zstd_crypto_create(int level, const void *dict,
				 size_t dict_len, void **out)
{
	if (dict_len)
		return -EINVAL;
	return kc_zstd_create_hint(3, NULL, 0, 0, out);
}

static int kc_zstd_compress(void *p, const void *src, size_t src_len,
			    void *dst, size_t cap, size_t *dst_len)
{
	struct kc_zstd *ctx = p;
	size_t n;

#if KC_ZSTD_DICT
	if (ctx->cdict)
		n = zstd_compress_using_cdict(ctx->cctx, dst, cap, src,
					      src_len, ctx->cdict);
	else
#endif
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

#if KC_ZSTD_DICT
	if (ctx->ddict)
		n = zstd_decompress_using_ddict(ctx->dctx, dst, page_size, src,
						len, ctx->ddict);
	else
#endif
		n = zstd_decompress_dctx(ctx->dctx, dst, page_size, src, len);
	return !zstd_is_error(n) && n == page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_zstd = {
	.name = "zstd",
	.min_level = -131072,	/* zstd_min_clevel() of 1.4.10 */
	.max_level = 22,
	.default_level = 3,	/* ZSTD_DEF_LEVEL of crypto/zstd.c */
	.dict_min = KC_ZSTD_DICT,
	.dict_max = KC_ZSTD_DICT ? INT_MAX : 0,	/* kernel_read_file's cap */
	.create = kc_zstd_create,
	.destroy = kc_zstd_destroy,
	.compress = kc_zstd_compress,
	.decompress = kc_zstd_decompress,
};

/* zswap's zstd: the crypto API's, one level, no dictionary */
const struct sl_kc_ops sl_kc_zstd_crypto = {
	.name = "crypto-zstd",
	.min_level = 3,
	.max_level = 3,
	.default_level = 3,	/* ZSTD_DEF_LEVEL, not settable */
	.create = kc_zstd_crypto_create,
	.destroy = kc_zstd_destroy,
	.compress = kc_zstd_compress,
	.decompress = kc_zstd_decompress,
};
