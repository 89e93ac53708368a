// SPDX-License-Identifier: GPL-2.0
/*
 * codec_kernel.c - the zram codec names, backed by the kernel's own code.
 *
 * "lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate" and "842" call the
 * kernel's lib/ sources compiled under our shim (kc_*.c, kcodec.h), with
 * the parameters zram of the source tree uses, so per-page lengths are
 * zram's.  Every tree of the build (kc_config.h) gives one set, named
 * "<codec>@<kernel>": "zstd@6.1", "zstd@6.12".  Built only when a kernel
 * tree is available (mk/kcodecs.mk); codecs.c lists these only then.
 */
#include "../sl_codecs.h"
#include "kcodec.h"
#include "kc_config.h"

struct kctx {
	const struct sl_kc_ops *kc;
	void *ctx;
};

static int kctx_create(const struct sl_kc_ops *kc,
		       const struct sl_codec_params *p, void **out)
{
	struct kctx *k;
	int level = kc->default_level;
	int ret;

	if (p->dict && (p->dict_len < kc->dict_min ||
			p->dict_len > kc->dict_max))
		return -EINVAL;
	if (p->level != SL_LEVEL_DEFAULT && kc->min_level != kc->max_level)
		level = p->level;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->kc = kc;
	ret = kc->create(level, p->dict, p->dict ? p->dict_len : 0, &k->ctx);
	if (ret) {
		kfree(k);
		return ret;
	}
	*out = k;
	return 0;
}

static void kctx_destroy(void *p)
{
	struct kctx *k = p;

	if (!k)
		return;
	k->kc->destroy(k->ctx);
	kfree(k);
}

static int kctx_compress(void *p, const void *src, void *dst, size_t cap,
			 size_t *dst_len)
{
	struct kctx *k = p;

	return k->kc->compress(k->ctx, src, PAGE_SIZE, dst, cap, dst_len);
}

static int kctx_decompress(void *p, const void *src, size_t len, void *dst)
{
	struct kctx *k = p;

	return k->kc->decompress(k->ctx, src, len, dst, PAGE_SIZE);
}

/*
 * One ops table per codec of each tree; the level range and default are
 * restated from the glue because ops tables are const data.  The level of
 * lz4 is the acceleration, of lz4hc the HC level.
 */
#define KERNEL_CODEC(id, k, field, cname, descr, lmin, lmax, ldef)	\
static int kc##id##_##field##_create(const struct sl_codec_params *p,	\
				     void **out)			\
{									\
	return kctx_create(sl_kc_tree_##id.field, p, out);		\
}									\
const struct sl_codec_ops sl_codec_##id##_##field = {			\
	.name = cname "@" k,						\
	.desc = descr,							\
	.kernel = k,							\
	.min_level = lmin,						\
	.max_level = lmax,						\
	.default_level = ldef,						\
	.kernel_exact = true,						\
	.create_ctx = kc##id##_##field##_create,			\
	.destroy_ctx = kctx_destroy,					\
	.compress = kctx_compress,					\
	.decompress = kctx_decompress,					\
};

#define TREE_CODECS(id, k)						\
extern const struct sl_kc_tree sl_kc_tree_##id;				\
KERNEL_CODEC(id, k, lzo, "lzo", "kernel lib/lzo lzo1x_1", 0, 0, 0)	\
KERNEL_CODEC(id, k, lzo_rle, "lzo-rle",					\
	     "kernel lib/lzo lzorle1x_1, 6.1 zram's default", 0, 0, 0)	\
KERNEL_CODEC(id, k, lz4, "lz4",						\
	     "kernel lib/lz4, level = acceleration (default 1)",		\
	     1, 65537, 1)						\
KERNEL_CODEC(id, k, lz4hc, "lz4hc",					\
	     "kernel lib/lz4 HC, level 3..16 (default 9)", 3, 16, 9)	\
KERNEL_CODEC(id, k, zstd, "zstd", "kernel lib/zstd (default 3)",	\
	     -131072, 22, 3)						\
KERNEL_CODEC(id, k, deflate, "deflate",					\
	     "kernel lib/zlib_deflate raw, windowBits 11, memLevel 8 (default 6)", \
	     1, 9, 6)							\
KERNEL_CODEC(id, k, sw842, "842", "kernel lib/842 software compressor", \
	     0, 0, 0)							\
KERNEL_CODEC(id, k, zstd_crypto, "crypto-zstd",				\
	     "kernel crypto/zstd.c: lib/zstd level 3, source size unknown (zswap's)", \
	     3, 3, 3)

SL_KC_TREES(TREE_CODECS)

#define KC_ENTRY(id, field)					\
	{ &sl_codec_##id##_##field, &sl_kc_tree_##id,		\
	  offsetof(struct sl_kc_tree, field) },
#define TREE_KC(id, k)						\
	KC_ENTRY(id, lzo) KC_ENTRY(id, lzo_rle) KC_ENTRY(id, lz4)	\
	KC_ENTRY(id, lz4hc) KC_ENTRY(id, zstd) KC_ENTRY(id, deflate)	\
	KC_ENTRY(id, sw842) KC_ENTRY(id, zstd_crypto)

/* which tree and which of its codecs each ops table stands for */
static const struct {
	const struct sl_codec_ops *ops;
	const struct sl_kc_tree *tree;
	size_t field;
} kc_map[] = {
	SL_KC_TREES(TREE_KC)
};

const struct sl_kc_ops *sl_kcodec_of(const struct sl_codec_ops *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kc_map); i++)
		if (kc_map[i].ops == c)
			return *(const struct sl_kc_ops *const *)
				((const char *)kc_map[i].tree +
				 kc_map[i].field);
	return NULL;
}

/* the trees, oldest first, for codecs.c */
#define TREE_PTR(id, k)	&sl_kc_tree_##id,
const struct sl_kc_tree *const sl_kc_trees[] = {
	SL_KC_TREES(TREE_PTR)
	NULL,
};
