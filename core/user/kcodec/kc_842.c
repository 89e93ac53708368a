// SPDX-License-Identifier: GPL-2.0
/*
 * kc_842.c - the kernel's lib/842 software compressor as crypto/842.c of
 * 6.1 calls it.  Debian's kernel does not build 842, so nothing here is
 * compared with a running zram; it is the code zram would run where 842 is
 * enabled (e.g. on POWER without the NX coprocessor).
 */
#include <linux/kernel.h>
#include <linux/sw842.h>

#include "kcodec.h"

static int kc_842_create(int level, void **ctx)
{
	*ctx = kmalloc(SW842_MEM_COMPRESS, GFP_KERNEL);
	return *ctx ? 0 : -ENOMEM;
}

static void kc_842_destroy(void *ctx)
{
	kfree(ctx);
}

static int kc_842_compress(void *ctx, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	unsigned int out = cap > UINT_MAX ? UINT_MAX : cap;
	int ret;

	ret = sw842_compress(src, src_len, dst, &out, ctx);
	if (ret == -ENOSPC)
		return -ENOSPC;
	if (ret)
		return -EINVAL;
	*dst_len = out;
	return 0;
}

static int kc_842_decompress(void *ctx, const void *src, size_t len,
			     void *dst, size_t page_size)
{
	unsigned int out = page_size;

	if (len > UINT_MAX)
		return -EINVAL;
	if (sw842_decompress(src, len, dst, &out))
		return -EINVAL;
	return out == page_size ? 0 : -EINVAL;
}

const struct sl_kc_ops sl_kc_842 = {
	.name = "842",
	.create = kc_842_create,
	.destroy = kc_842_destroy,
	.compress = kc_842_compress,
	.decompress = kc_842_decompress,
};
