// SPDX-License-Identifier: GPL-2.0
/*
 * kc_842.c - the kernel's lib/842 software compressor as crypto/842.c of
 * 6.1 calls it.  Debian's kernel does not build 842, so nothing here is
 * compared with a running zram; it is the code zram would run where 842 is
 * enabled (e.g. on POWER without the NX coprocessor).
 *
 * sw842_decompress() of 6.1 does not bound every write: the index ops and
 * the short-data op store without checking the space left, and once the
 * u64 count of space left wraps below zero no later check holds, so a
 * corrupt stream writes on and on past the page (found by the contract
 * test under ASan).  We therefore let it write into a bounce buffer as
 * large as any stream of that length can fill and copy the page out only
 * when it decoded to exactly one page.  The bound: every op reads at least
 * 5 bits, and the most any op writes is a repeat, 64 x 8 bytes for 11 bits.
 * The repeat op also reads the 8 bytes before its position even when fewer
 * than 8 were written (after a short-data op), so the bounce buffer starts
 * with KC_842_HEAD bytes of slack.
 */
#include <linux/kernel.h>
#include <linux/sw842.h>

#include "kcodec.h"

struct kc_842 {
	void *wmem;
	u8 *bounce;
	size_t bounce_len;
};

#define KC_842_MAX_OUT(len)	(((len) * 8 / 11 + 1) * 512 + 8)
#define KC_842_HEAD		8

static void kc_842_destroy(void *p)
{
	struct kc_842 *ctx = p;

	if (!ctx)
		return;
	kfree(ctx->wmem);
	kfree(ctx->bounce);
	kfree(ctx);
}

static int kc_842_create(int level, const void *dict, size_t dict_len,
			 void **out)
{
	struct kc_842 *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->wmem = kmalloc(SW842_MEM_COMPRESS, GFP_KERNEL);
	if (!ctx->wmem) {
		kfree(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

static int kc_842_compress(void *p, const void *src, size_t src_len,
			   void *dst, size_t cap, size_t *dst_len)
{
	struct kc_842 *ctx = p;
	unsigned int out = cap > UINT_MAX ? UINT_MAX : cap;
	int ret;

	ret = sw842_compress(src, src_len, dst, &out, ctx->wmem);
	if (ret == -ENOSPC)
		return -ENOSPC;
	if (ret)
		return -EINVAL;
	*dst_len = out;
	return 0;
}

static int kc_842_decompress(void *p, const void *src, size_t len,
			     void *dst, size_t page_size)
{
	struct kc_842 *ctx = p;
	unsigned int out = page_size;
	size_t need;

	/* a page never takes more than 2 pages (zram's buffer) in 842 */
	if (len > 2 * page_size)
		return -EINVAL;
	need = KC_842_HEAD + max_t(size_t, KC_842_MAX_OUT(len), page_size);
	if (ctx->bounce_len < need) {
		kfree(ctx->bounce);
		ctx->bounce_len = 0;
		ctx->bounce = kmalloc(need, GFP_KERNEL);
		if (!ctx->bounce)
			return -ENOMEM;
		ctx->bounce_len = need;
	}
	if (sw842_decompress(src, len, ctx->bounce + KC_842_HEAD, &out) ||
	    out != page_size)
		return -EINVAL;
	memcpy(dst, ctx->bounce + KC_842_HEAD, page_size);
	return 0;
}

const struct sl_kc_ops sl_kc_842 = {
	.name = "842",
	.create = kc_842_create,
	.destroy = kc_842_destroy,
	.compress = kc_842_compress,
	.decompress = kc_842_decompress,
};
