/*
 * decompress.h - the body of the decompress_<codec> targets: one kernel
 * decompressor of our own build (lib/lzo, lib/842 through the shim) on
 * arbitrary input, through the codec ops exactly as the store calls it.
 * The input ends at a guard page and the output page is followed by one:
 * sl_codec_ops.decompress() promises never to read past src + len nor to
 * write past dst + PAGE_SIZE, whatever the input.  Include after defining
 * FUZZ_CODEC.
 */
#include "fuzz_util.h"
#include "core/user/sl_codecs.h"

#define FUZZ_MAX_IN	(2 * 4096 + 256)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sl_codec_ops *ops;
	static struct guarded in, out;
	static void *ctx;
	static int missing;
	uint8_t *src;
	int ret;

	if (missing)
		return 0;
	if (!ops) {
		struct sl_codec_params p = { .level = SL_LEVEL_DEFAULT };

		ops = sl_codec_find(FUZZ_CODEC);
		if (!ops) {
			/* a build without a kernel tree: nothing to fuzz */
			fprintf(stderr, "codec %s not built: skipped\n",
				FUZZ_CODEC);
			missing = 1;
			return 0;
		}
		FUZZ_ASSERT(ops->create_ctx(&p, &ctx) == 0);
		guarded_alloc(&in, FUZZ_MAX_IN);
		guarded_alloc(&out, PAGE_SIZE);
	}
	if (size > FUZZ_MAX_IN)
		return 0;
	src = guarded_tail(&in, size);
	memcpy(src, data, size);
	ret = ops->decompress(ctx, src, size, guarded_tail(&out, PAGE_SIZE));
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	return 0;
}
