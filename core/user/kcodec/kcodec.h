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
 * struct sl_kc_ops - one kernel codec, called exactly as crypto/<name>.c
 * of the source tree calls it.  Return values follow core/sl_codec.h:
 * compress 0 or -ENOSPC (does not fit) or -ENOMEM/-EINVAL; decompress 0
 * only when exactly @page_size bytes came out, else -EINVAL.
 * Contexts are per thread; the functions may run concurrently on distinct
 * contexts and never sleep.
 */
struct sl_kc_ops {
	const char *name;
	int min_level, max_level, default_level;	/* all 0: no levels */
	int (*create)(int level, void **ctx);
	void (*destroy)(void *ctx);		/* NULL: no-op */
	int (*compress)(void *ctx, const void *src, size_t src_len,
			void *dst, size_t cap, size_t *dst_len);
	int (*decompress)(void *ctx, const void *src, size_t len,
			  void *dst, size_t page_size);
};

extern const struct sl_kc_ops sl_kc_lzo;	/* kc_lzo.c */
extern const struct sl_kc_ops sl_kc_lzo_rle;
extern const struct sl_kc_ops sl_kc_lz4;	/* kc_lz4.c */
extern const struct sl_kc_ops sl_kc_lz4hc;
extern const struct sl_kc_ops sl_kc_zstd;	/* kc_zstd.c */
extern const struct sl_kc_ops sl_kc_deflate;	/* kc_deflate.c */
extern const struct sl_kc_ops sl_kc_842;	/* kc_842.c */

#endif /* SL_KCODEC_H */
