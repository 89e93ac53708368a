/*
 * codec_round_trip: every registered codec compresses a page made from the
 * input and must give it back byte for byte (zstd's simple_round_trip).
 * The compressed stream is decompressed from the end of a guard-paged
 * buffer into a guard-paged page, so a decoder that reads one byte past
 * the stream or writes one past the page faults.
 *
 * Input: [0] codec (index into sl_codecs[]), [1] level: default, lowest
 * or highest, [2..] the page, repeated to fill 4 KiB (an empty rest: a
 * zero page).
 */
#include "../fuzz_util.h"
#include "core/user/sl_codecs.h"

#define NLEVELS	3

static void *ctx_for(const struct sl_codec_ops *ops, unsigned int n,
		     unsigned int lv)
{
	static void *ctx[64][NLEVELS];
	struct sl_codec_params p = { .level = SL_LEVEL_DEFAULT };

	if (ctx[n][lv])
		return ctx[n][lv];
	if (ops->min_level != ops->max_level)
		p.level = lv == 0 ? ops->default_level :
			  lv == 1 ? ops->min_level : ops->max_level;
	/* the lowest zstd levels are negative and fine; a huge lz4
	 * acceleration too */
	FUZZ_ASSERT(ops->create_ctx(&p, &ctx[n][lv]) == 0);
	return ctx[n][lv];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guarded in, out, cmp;
	static uint8_t page[PAGE_SIZE];
	static unsigned int ncodecs;
	const struct sl_codec_ops *ops;
	unsigned int n, lv;
	size_t len, i;
	void *ctx;
	int ret;

	if (!ncodecs) {
		while (sl_codecs[ncodecs])
			ncodecs++;
		FUZZ_ASSERT(ncodecs <= 64);
		guarded_alloc(&in, PAGE_SIZE);
		guarded_alloc(&cmp, SL_CODEC_DST_SIZE);
		guarded_alloc(&out, PAGE_SIZE);
	}
	if (size < 2)
		return 0;
	n = data[0] % ncodecs;
	lv = data[1] % NLEVELS;
	ops = sl_codecs[n];
	data += 2;
	size -= 2;
	for (i = 0; i < PAGE_SIZE; i++)
		page[i] = size ? data[i % size] : 0;
	ctx = ctx_for(ops, n, lv);
	memcpy(guarded_tail(&in, PAGE_SIZE), page, PAGE_SIZE);
	ret = ops->compress(ctx, guarded_tail(&in, PAGE_SIZE),
			    guarded_tail(&cmp, SL_CODEC_DST_SIZE),
			    SL_CODEC_DST_SIZE, &len);
	if (ret == -ENOSPC)
		return 0;
	FUZZ_ASSERT(ret == 0);
	FUZZ_ASSERT(len > 0 && len <= SL_CODEC_DST_SIZE);
	/* the stream moved to end exactly at the guard page */
	memmove(guarded_tail(&cmp, len), guarded_tail(&cmp, SL_CODEC_DST_SIZE),
		len);
	ret = ops->decompress(ctx, guarded_tail(&cmp, len), len,
			      guarded_tail(&out, PAGE_SIZE));
	if (ret || memcmp(guarded_tail(&out, PAGE_SIZE), page, PAGE_SIZE)) {
		fprintf(stderr, "codec %s level %u: %s (len %zu)\n",
			ops->name, lv, ret ? "decompress failed" :
			"round trip differs", len);
		abort();
	}
	return 0;
}
