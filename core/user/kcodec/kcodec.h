/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcodec.h - the boundary between the kernel's codec sources and swaplab.
 *
 * The kc_*.c glue files are compiled, with the kernel's lib/ sources, under
 * the shim in include/ (kernel types, kernel config facts); everything else
 * of swaplab is compiled against libc.  The two worlds meet only here, in
 * plain C types, and mk/kcodecs.mk hides every other symbol of the kernel
 * objects (the kernel's LZ4_*, ZSTD_* and lzo1x_* would clash with liblz4,
 * libzstd and liblzo2 in the same binary).
 *
 * Need: nothing but <stddef.h>.
 */
#ifndef SL_KCODEC_H
#define SL_KCODEC_H

#include <stddef.h>

/*
 * struct sl_kc_ops - one kernel codec, called exactly as zram of the source
 * tree calls it (crypto/<name>.c up to 6.11, zram's backend_<name>.c from
 * 6.12).  Return values follow core/sl_codec.h: compress 0 or -ENOSPC
 * (does not fit) or -ENOMEM/-EINVAL; decompress 0 only when exactly
 * @page_size bytes came out, else -EINVAL.
 * Contexts are per thread; the functions may run concurrently on distinct
 * contexts and never sleep.
 * @dict_min, @dict_max: the dictionary sizes zram's backend of the tree
 *	works with (6.12's algorithm_params dict=); both 0 when it takes
 *	none.  Outside them the backend fails every write (6.12's lz4 and
 *	lz4hc: LZ4_loadDict() keeps at most 64 KiB and returns what it kept,
 *	which the backend insists equals the dictionary's size).
 * @create: @dict (@dict_len bytes, or NULL and 0) stays the caller's and
 *	must outlive the context, as zram keeps its params' dict.
 */
struct sl_kc_ops {
	const char *name;
	int min_level, max_level, default_level;	/* all 0: no levels */
	size_t dict_min, dict_max;
	int (*create)(int level, const void *dict, size_t dict_len,
		      void **ctx);
	void (*destroy)(void *ctx);		/* NULL: no-op */
	int (*compress)(void *ctx, const void *src, size_t src_len,
			void *dst, size_t cap, size_t *dst_len);
	int (*decompress)(void *ctx, const void *src, size_t len,
			  void *dst, size_t page_size);
};

/* the glue of one tree; only its sl_kc_tree table leaves the tree's object */
extern const struct sl_kc_ops sl_kc_lzo;	/* kc_lzo.c */
extern const struct sl_kc_ops sl_kc_lzo_rle;
extern const struct sl_kc_ops sl_kc_lz4;	/* kc_lz4.c */
extern const struct sl_kc_ops sl_kc_lz4hc;
extern const struct sl_kc_ops sl_kc_zstd;	/* kc_zstd.c */
extern const struct sl_kc_ops sl_kc_zstd_crypto;
extern const struct sl_kc_ops sl_kc_deflate;	/* kc_deflate.c */
extern const struct sl_kc_ops sl_kc_842;	/* kc_842.c */

/*
 * struct sl_kc_tree - the codecs of one kernel source tree (kc_tree.c),
 * exported as sl_kc_tree_<id> ("sl_kc_tree_612" for 6.12).
 * @kernel: "6.1", "6.12": the major.minor that names the tree's codecs.
 * @source: where the tree came from, "linux-source-6.12 (6.12.118)".
 * @zram: the zram comp_algorithm names of Debian's build of that kernel,
 *	NULL-terminated: from 6.12 zram has backends of its own and Debian
 *	builds lz4, lz4hc, zstd and deflate only (CONFIG_ZRAM_BACKEND_*);
 *	before, zram took any crypto API compressor.
 * @zstd_crypto: crypto/zstd.c's zstd, which zswap uses (zram too, before
 *	6.12): level 3 for a source of unknown size, no dictionary.
 */
struct sl_kc_tree {
	const char *kernel;
	const char *source;
	const char *const *zram;
	const struct sl_kc_ops *lzo, *lzo_rle, *lz4, *lz4hc, *zstd, *deflate,
		*sw842, *zstd_crypto;
};

struct sl_codec_ops;
/*
 * sl_kcodec_of() - the glue behind a kernel codec of codec_kernel.c
 * ("zstd@6.12" -> that tree's sl_kc_zstd); NULL for any other codec.
 */
const struct sl_kc_ops *sl_kcodec_of(const struct sl_codec_ops *c);

#endif /* SL_KCODEC_H */
