/*
 * mkseeds.c - writes the generated part of the seed corpora: pages of
 * several kinds compressed by each kernel codec under test, and a few op
 * sequences.  The trace and results seeds come from `swaplab gen` and
 * `swaplab replay` (see mk/fuzz.mk, fuzz-seeds).  Run from the top of
 * the tree: build/fuzz-seeds/mkseeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "tests/fuzz/%s/corpus/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void page(unsigned char *pg, int kind)
{
	unsigned long long x = 88172645463325252ull;
	int i;

	for (i = 0; i < 4096; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (kind) {
		case 0: pg[i] = 0; break;
		case 1: pg[i] = "swap page text, mostly "[i % 23]; break;
		case 2: pg[i] = x; break;
		case 3: pg[i] = i % 5 ? 0 : (unsigned char)x; break;
		default: pg[i] = (i / 512) * 3; break;
		}
	}
}

int main(void)
{
	static const char *const codecs[][2] = {
		{ "lzo", "decompress_lzo" },
		{ "lzo-rle", "decompress_lzo_rle" },
		{ "842", "decompress_842" },
	};
	unsigned char pg[4096], out[2 * 4096];
	size_t c, len;
	int k;

	for (c = 0; c < 3; c++) {
		const struct sl_codec_ops *ops = sl_codec_find(codecs[c][0]);
		struct sl_codec_params p = { .level = SL_LEVEL_DEFAULT };
		void *ctx;
		char name[32];

		if (!ops || ops->create_ctx(&p, &ctx))
			return 1;
		for (k = 0; k < 5; k++) {
			page(pg, k);
			if (ops->compress(ctx, pg, out, sizeof(out), &len))
				return 1;
			snprintf(name, sizeof(name), "page%d", k);
			put(codecs[c][1], name, out, len);
		}
		ops->destroy_ctx(ctx);
	}
	/* op sequences: every op once, per allocator variant */
	for (k = 0; k < 14; k++) {
		unsigned char a[] = { k, 0, 0x10, 2, 0, 0x20, 0, 0x80, 2, 0,
			1, 0, 3, 0, 1, 0, 7, 0x40, 0, 4, 5, 6, 2, 1, 3, 4 };
		unsigned char s[] = { k, k * 8, 0, 1, 3, 5, 0, 2, 1, 1, 0, 3,
			4, 7, 1, 1, 2, 1, 5, 4, 2, 3, 0, 4, 6, 9, 0, 5, 1, 2,
			3, 4, 7, 2, 2, 1, 2, 4, 0, 7, 3, 0 };
		/* dedup, recompression and writeback on */
		unsigned char f[] = { k, 0xc0 | (k & 7), 0, 1, 3, 0, 1, 3,
			0, 2, 4, 9, 0, 0x85, 8, 1, 3, 8, 0, 0x82, 1, 1, 7, 0, 3,
			5, 2, 1, 2, 4, 0, 3, 7, 9, 7, 3, 7, 4, 1, 2, 8, 2, 1 };
		char name[32];

		snprintf(name, sizeof(name), "seq%d", k);
		put("alloc_ops", name, a, sizeof(a));
		put("store_ops", name, s, sizeof(s));
		snprintf(name, sizeof(name), "feat%d", k);
		put("store_ops", name, f, sizeof(f));
	}
	return 0;
}
