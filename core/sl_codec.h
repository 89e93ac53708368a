/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_codec.h - the codec interface of the compressed page store.
 *
 * A codec compresses exactly one PAGE_SIZE page.  Settings shared by every
 * user (level, dictionary) live in struct sl_codec_params; scratch memory
 * lives in a context, one per thread or CPU, as zram keeps zcomp_params
 * apart from its per-CPU zcomp_strm.  The ops tables themselves are
 * side-specific (libraries and kernel-exact code in userspace, the crypto
 * API in the kernel) and are found through sl_codec_find() of each side.
 */
#ifndef SL_CODEC_H
#define SL_CODEC_H

#include "sl_compat.h"

/*
 * Compressed output may exceed PAGE_SIZE for incompressible input; zram
 * gives its streams two pages for that reason and so do we.
 */
#define SL_CODEC_DST_SIZE	(2 * PAGE_SIZE)

struct sl_codec_params {
	int level;		/* codec's own scale; SL_LEVEL_DEFAULT = default */
	const void *dict;	/* optional dictionary, caller-owned */
	size_t dict_len;
};

#define SL_LEVEL_DEFAULT	INT_MIN

struct sl_codec_ops {
	const char *name;
	const char *desc;
	int min_level, max_level, default_level;	/* all 0: no levels */
	bool kernel_exact;	/* output is byte-identical to the kernel's */
	const char *kernel;	/* "6.1": the tree a kernel codec came from */

	/**
	 * create_ctx() - make a context for one thread/CPU.
	 * Return: 0 and *@ctx set; -ENOMEM; -EINVAL for bad @params.
	 * Context: no lock held; may sleep (allocates with GFP_KERNEL).
	 */
	int (*create_ctx)(const struct sl_codec_params *params, void **ctx);
	/* destroy_ctx() - free a context; NULL is a no-op.  May sleep. */
	void (*destroy_ctx)(void *ctx);
	/**
	 * compress() - compress one page.
	 * @src: PAGE_SIZE bytes. @dst: @cap bytes (at least PAGE_SIZE).
	 * Return: 0 with *@dst_len set; -ENOSPC when the output does not fit
	 * in @cap (the store then keeps the page raw); other -errno on error.
	 * Context: no store lock held, @ctx used by one thread at a time; the
	 * module calls it in its per-CPU stream with preemption off, so it
	 * must not sleep.
	 */
	int (*compress)(void *ctx, const void *src, void *dst, size_t cap,
			size_t *dst_len);
	/**
	 * decompress() - expand @len bytes of @src into one page at @dst.
	 * Return: 0 when exactly PAGE_SIZE bytes were produced; -EINVAL for
	 * corrupt or truncated input, never reading past @src + @len nor
	 * writing past @dst + PAGE_SIZE.
	 * Context: the slot's bit lock held (the object must not change under
	 * it); must not sleep.
	 */
	int (*decompress)(void *ctx, const void *src, size_t len, void *dst);
};

#endif /* SL_CODEC_H */
