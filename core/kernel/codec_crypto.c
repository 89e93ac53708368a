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
#include <linux/lz4.h>
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
/*
 * From 6.12 zram has its own backends over lib/lz4 and lib/zstd, which
 * take algorithm_params: a level and a dictionary.  These codecs call the
 * libraries as drivers/block/zram/backend_{lz4,lz4hc,zstd}.c do, so the
 * module stores what 6.12's zram stores with the same parameters.  With
 * none they store what crypto/lz4.c and lz4hc.c give (LZ4_compress_default()
 * is LZ4_compress_fast() at acceleration 1, lz4hc's level is
 * LZ4HC_DEFAULT_CLEVEL), so 6.1 uses them too: byte for byte what 6.1's
 * zram stores through the crypto API, without the crypto layer's calls on
 * every page.
 *
 * lz4 and lz4hc: the level is lz4's acceleration or lz4hc's level (the
 * libraries take any value: out of range means their default); with a
 * dictionary every page starts from a stream that has just loaded it.
 * LZ4_loadDict() keeps only the last 64 KiB, and zram then fails the
 * write (the loaded length differs): so do these.
 */
struct klz4 {
	bool hc;
	int level;
	const char *dict;
	int dict_len;
	void *mem;			/* no dictionary: the work memory */
	LZ4_stream_t *cstrm;		/* with one: the streams */
	LZ4_streamHC_t *cstrm_hc;
	LZ4_streamDecode_t *dstrm;
};

static void klz4_destroy(void *p)
{
	struct klz4 *z = p;

	if (!z)
		return;
	vfree(z->mem);
	kfree(z->cstrm);
	kfree(z->cstrm_hc);
	kfree(z->dstrm);
	kfree(z);
}

static int klz4_create_any(const struct sl_codec_params *p, void **ctx,
			   bool hc)
{
	struct klz4 *z;

	if (p->dict_len > INT_MAX)
		return -EINVAL;
#if KERNEL_VERSION(6, 12, 0) > LINUX_VERSION_CODE
	/* 6.1's zram takes none; 6.1 does not export LZ4_resetStreamHC() */
	if (p->dict_len)
		return -EINVAL;
#endif
	z = kzalloc(sizeof(*z), GFP_KERNEL);
	if (!z)
		return -ENOMEM;
	z->hc = hc;
	z->level = p->level != SL_LEVEL_DEFAULT ? p->level :
		   hc ? LZ4HC_DEFAULT_CLEVEL : LZ4_ACCELERATION_DEFAULT;
	z->dict = p->dict_len ? p->dict : NULL;
	z->dict_len = p->dict_len;
	if (!z->dict) {
		z->mem = vmalloc(hc ? LZ4HC_MEM_COMPRESS : LZ4_MEM_COMPRESS);
		if (!z->mem)
			goto nomem;
	} else {
		z->dstrm = kzalloc(sizeof(*z->dstrm), GFP_KERNEL);
		if (hc)
			z->cstrm_hc = kzalloc(sizeof(*z->cstrm_hc), GFP_KERNEL);
		else
			z->cstrm = kzalloc(sizeof(*z->cstrm), GFP_KERNEL);
		if (!z->dstrm || (!z->cstrm && !z->cstrm_hc))
			goto nomem;
	}
	*ctx = z;
	return 0;
nomem:
	klz4_destroy(z);
	return -ENOMEM;
}

static int klz4_create(const struct sl_codec_params *p, void **ctx)
{
	return klz4_create_any(p, ctx, false);
}

static int klz4hc_create(const struct sl_codec_params *p, void **ctx)
{
	return klz4_create_any(p, ctx, true);
}

static int klz4_compress(void *ctx, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	struct klz4 *z = ctx;
	int cap_i = min_t(size_t, cap, INT_MAX), n;

	if (!z->dict) {
		n = z->hc ? LZ4_compress_HC(src, dst, PAGE_SIZE, cap_i,
					    z->level, z->mem) :
			    LZ4_compress_fast(src, dst, PAGE_SIZE, cap_i,
					      z->level, z->mem);
	} else if (z->hc) {
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
		LZ4_resetStreamHC(z->cstrm_hc, z->level);
		if (LZ4_loadDictHC(z->cstrm_hc, z->dict, z->dict_len) !=
		    z->dict_len)
			return -EINVAL;
		n = LZ4_compress_HC_continue(z->cstrm_hc, src, dst, PAGE_SIZE,
					     cap_i);
#else
		return -EINVAL;	/* no dictionary here: klz4_create_any() */
#endif
	} else {
		/* loading resets the stream, as zram relies on */
		if (LZ4_loadDict(z->cstrm, z->dict, z->dict_len) !=
		    z->dict_len)
			return -EINVAL;
		n = LZ4_compress_fast_continue(z->cstrm, src, dst, PAGE_SIZE,
					       cap_i, z->level);
	}
	/* zram's two-page buffer always fits: 0 is an error there */
	if (n <= 0)
		return cap < LZ4_COMPRESSBOUND(PAGE_SIZE) ? -ENOSPC : -EINVAL;
	*dst_len = n;
	return 0;
}

static int klz4_decompress(void *ctx, const void *src, size_t len,
			   void *dst)
{
	struct klz4 *z = ctx;
	int n;

	if (len > PAGE_SIZE)
		return -EINVAL;
	if (!z->dict) {
		n = LZ4_decompress_safe(src, dst, len, PAGE_SIZE);
	} else {
		if (!LZ4_setStreamDecode(z->dstrm, z->dict, z->dict_len))
			return -EINVAL;
		n = LZ4_decompress_safe_continue(z->dstrm, src, dst, len,
						 PAGE_SIZE);
	}
	return n == PAGE_SIZE ? 0 : -EINVAL;
}

static const struct sl_codec_ops sl_codec_lz4 = {
	.name = "lz4",
	.desc = "lib/lz4 as 6.12's zram backend_lz4.c calls it",
	.kernel_exact = true,
	.create_ctx = klz4_create,
	.destroy_ctx = klz4_destroy,
	.compress = klz4_compress,
	.decompress = klz4_decompress,
};

static const struct sl_codec_ops sl_codec_lz4hc = {
	.name = "lz4hc",
	.desc = "lib/lz4 HC as 6.12's zram backend_lz4hc.c calls it",
	.kernel_exact = true,
	.create_ctx = klz4hc_create,
	.destroy_ctx = klz4_destroy,
	.compress = klz4_compress,
	.decompress = klz4_decompress,
};

#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
/*
 * zstd: zram 6.12 calls lib/zstd with zstd_get_params(level, PAGE_SIZE),
 * while crypto/zstd.c still passes 0 ("size unknown"): other tables,
 * other lengths.  So does this codec, over workspaces of its own.  With
 * a dictionary, zram compresses with a cdict made for
 * zstd_get_cparams(level, PAGE_SIZE, dict size) and contexts that
 * allocate through its own allocator (atomic under the per-CPU lock);
 * here each context has its own cdict and ddict, made the same way.
 */
struct kzstd {
	zstd_parameters params;
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	void *cwksp, *dwksp;
	zstd_cdict *cdict;
	zstd_ddict *ddict;
};

static void *kzstd_alloc(void *opaque, size_t size)
{
	if (!preemptible())
		return kvzalloc(size, GFP_ATOMIC);
	return kvzalloc(size, __GFP_KSWAPD_RECLAIM | __GFP_NOWARN);
}

static void kzstd_free(void *opaque, void *address)
{
	kvfree(address);
}

static const zstd_custom_mem kzstd_mem = {
	.customAlloc = kzstd_alloc,
	.customFree = kzstd_free,
};

static void kzstd_destroy(void *p)
{
	struct kzstd *z = p;

	if (!z)
		return;
	if (z->cwksp)
		vfree(z->cwksp);
	else
		zstd_free_cctx(z->cctx);
	if (z->dwksp)
		vfree(z->dwksp);
	else
		zstd_free_dctx(z->dctx);
	zstd_free_cdict(z->cdict);
	zstd_free_ddict(z->ddict);
	kfree(z);
}

static int kzstd_create(const struct sl_codec_params *p, void **ctx)
{
	int level = p->level == SL_LEVEL_DEFAULT || !p->level ?
		    zstd_default_clevel() : p->level;
	struct kzstd *z;
	size_t cs, ds;

	if (level < zstd_min_clevel() || level > zstd_max_clevel())
		return -EINVAL;
	z = kzalloc(sizeof(*z), GFP_KERNEL);
	if (!z)
		return -ENOMEM;
	z->params = zstd_get_params(level, PAGE_SIZE);
	if (p->dict_len) {
		zstd_compression_parameters cp;

		cp = zstd_get_cparams(level, PAGE_SIZE, p->dict_len);
		z->cdict = zstd_create_cdict_byreference(p->dict, p->dict_len,
							 cp, kzstd_mem);
		z->ddict = zstd_create_ddict_byreference(p->dict, p->dict_len,
							 kzstd_mem);
		z->cctx = zstd_create_cctx_advanced(kzstd_mem);
		z->dctx = zstd_create_dctx_advanced(kzstd_mem);
		if (!z->cdict || !z->ddict || !z->cctx || !z->dctx) {
			kzstd_destroy(z);
			return -EINVAL;	/* as zram: a bad dictionary */
		}
		*ctx = z;
		return 0;
	}
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
	size_t n;

	if (z->cdict)
		n = zstd_compress_using_cdict(z->cctx, dst, cap, src,
					      PAGE_SIZE, z->cdict);
	else
		n = zstd_compress_cctx(z->cctx, dst, cap, src, PAGE_SIZE,
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
	size_t n;

	if (z->ddict)
		n = zstd_decompress_using_ddict(z->dctx, dst, PAGE_SIZE, src,
						len, z->ddict);
	else
		n = zstd_decompress_dctx(z->dctx, dst, PAGE_SIZE, src, len);
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
	if (ops == &sl_codec_lz4 || ops == &sl_codec_lz4hc)
		return true;	/* linked against lib/lz4 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	if (ops == &sl_codec_zstd)
		return true;	/* linked against lib/zstd */
#endif
	return crypto_has_comp(ops->name, 0, 0);
}
