// SPDX-License-Identifier: GPL-2.0
/*
 * codec_contract_ut.c - every registered codec against core/sl_codec.h.
 *
 * Table-driven over sl_codecs[], so a codec is tested as soon as it is
 * registered: round trips on zero, text, random and mixed pages; -ENOSPC
 * when the output does not fit; and decompressors fed truncated, corrupted
 * and random input.  Inputs sit in buffers of their exact length and the
 * output in one of exactly PAGE_SIZE, so under `make asan-test` any read
 * or write out of bounds is a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

static const char *const kinds[] = { "zero", "text", "random", "mixed" };

#define SEEDS		4
#define CORRUPTIONS	64

struct cctx {
	const struct sl_codec_ops *ops;
	struct sl_codec_params params;
	void *ctx;
};

static bool open_codec(const char *spec, struct cctx *c)
{
	char err[256];

	if (sl_codec_parse(spec, &c->ops, &c->params, err, sizeof(err))) {
		fprintf(stderr, "\n%s: %s", spec, err);
		return false;
	}
	if (c->ops->create_ctx(&c->params, &c->ctx)) {
		sl_codec_params_free(&c->params);
		return false;
	}
	return true;
}

static void close_codec(struct cctx *c)
{
	c->ops->destroy_ctx(c->ctx);
	sl_codec_params_free(&c->params);
}

/* decompress @len bytes copied into a buffer of exactly that size */
static int decompress_exact(struct cctx *c, const void *src, size_t len,
			    void *out)
{
	void *in = malloc(len ? len : 1);
	int ret;

	memcpy(in, src, len);
	ret = c->ops->decompress(c->ctx, in, len, out);
	free(in);
	return ret;
}

static void test_every_codec_round_trips_every_page_kind(void)
{
	const struct sl_codec_ops *const *o;
	static u8 page[PAGE_SIZE], dst[SL_CODEC_DST_SIZE];
	unsigned int k, seed, trips = 0;

	for (o = sl_codecs; *o; o++) {
		struct cctx c;

		if (!open_codec((*o)->name, &c)) {
			CU_FAIL("cannot open codec");
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(kinds); k++)
			for (seed = 1; seed <= SEEDS; seed++) {
				u8 *out = malloc(PAGE_SIZE);
				size_t len = 0;

				ut_page_fill(page, kinds[k], seed);
				CU_ASSERT_EQUAL_FATAL(c.ops->compress(c.ctx,
					page, dst, sizeof(dst), &len), 0);
				CU_ASSERT(len > 0 && len <= sizeof(dst));
				CU_ASSERT_EQUAL(decompress_exact(&c, dst, len,
								 out), 0);
				CU_ASSERT(!memcmp(out, page, PAGE_SIZE));
				trips++;
				free(out);
			}
		close_codec(&c);
	}
	CU_ASSERT(trips > 0);
}

static void test_every_codec_round_trips_at_its_level_bounds(void)
{
	const struct sl_codec_ops *const *o;
	static u8 page[PAGE_SIZE], dst[SL_CODEC_DST_SIZE], out[PAGE_SIZE];
	char spec[64];
	int i;

	ut_page_fill(page, "mixed", 3);
	for (o = sl_codecs; *o; o++) {
		int levels[2] = { (*o)->min_level, (*o)->max_level };

		if ((*o)->min_level == (*o)->max_level)
			continue;
		/* zstd's fastest levels are far below 1; -5 is enough */
		if (levels[0] < -5)
			levels[0] = -5;
		for (i = 0; i < 2; i++) {
			struct cctx c;
			size_t len = 0;

			snprintf(spec, sizeof(spec), "%s:%d", (*o)->name,
				 levels[i]);
			if (!open_codec(spec, &c)) {
				CU_FAIL("cannot open codec at a level bound");
				continue;
			}
			CU_ASSERT_EQUAL(c.ops->compress(c.ctx, page, dst,
							sizeof(dst), &len), 0);
			CU_ASSERT_EQUAL(c.ops->decompress(c.ctx, dst, len,
							  out), 0);
			CU_ASSERT(!memcmp(out, page, PAGE_SIZE));
			close_codec(&c);
		}
	}
}

static void test_compress_says_enospc_when_output_does_not_fit(void)
{
	const struct sl_codec_ops *const *o;
	static u8 page[PAGE_SIZE];

	ut_page_fill(page, "random", 9);
	for (o = sl_codecs; *o; o++) {
		struct cctx c;
		size_t len = 0;
		u8 *dst;

		if (!open_codec((*o)->name, &c))
			continue;
		/* random pages expand; the contract's smallest cap is a page */
		dst = malloc(PAGE_SIZE);
		if (strcmp((*o)->name, "none")) {
			CU_ASSERT_EQUAL(c.ops->compress(c.ctx, page, dst,
							PAGE_SIZE, &len),
					-ENOSPC);
		}
		CU_ASSERT_EQUAL(c.ops->compress(c.ctx, page, dst,
						PAGE_SIZE - 1, &len), -ENOSPC);
		free(dst);
		close_codec(&c);
	}
}

/*
 * A cut stream must not decode to a wrong page.  It may decode to the
 * right one: 842 pads its stream to whole bytes and stops at its END
 * template, so cutting padding loses nothing; every other codec rejects.
 */
static void test_decompressors_reject_truncated_input(void)
{
	const struct sl_codec_ops *const *o;
	static u8 page[PAGE_SIZE], dst[SL_CODEC_DST_SIZE];
	unsigned int k;

	for (o = sl_codecs; *o; o++) {
		bool padded = !strncmp((*o)->name, "842", 3);
		struct cctx c;

		if (!open_codec((*o)->name, &c))
			continue;
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			u8 *out = malloc(PAGE_SIZE);
			size_t len = 0, cut[4], i;

			ut_page_fill(page, kinds[k], 5);
			CU_ASSERT_EQUAL_FATAL(c.ops->compress(c.ctx, page, dst,
							      sizeof(dst),
							      &len), 0);
			cut[0] = len - 1;
			cut[1] = len / 2;
			cut[2] = 1;
			cut[3] = 0;
			for (i = 0; i < ARRAY_SIZE(cut); i++) {
				int ret = decompress_exact(&c, dst, cut[i],
							   out);

				if (!ret && padded && i == 0)
					CU_ASSERT(!memcmp(out, page, PAGE_SIZE))
				else
					CU_ASSERT_EQUAL(ret, -EINVAL);
			}
			free(out);
		}
		close_codec(&c);
	}
}

/*
 * Corruption may go unnoticed by codecs without checksums (the page then
 * comes out wrong), so the claim is only: 0 or -EINVAL, and no access out
 * of bounds (ASan).
 */
static void test_decompressors_survive_corrupted_input(void)
{
	const struct sl_codec_ops *const *o;
	static u8 page[PAGE_SIZE], dst[SL_CODEC_DST_SIZE];
	u64 rng = 42;
	unsigned int k, i;

	for (o = sl_codecs; *o; o++) {
		struct cctx c;

		if (!open_codec((*o)->name, &c))
			continue;
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			u8 *out = malloc(PAGE_SIZE);
			size_t len = 0;

			ut_page_fill(page, kinds[k], 6);
			CU_ASSERT_EQUAL_FATAL(c.ops->compress(c.ctx, page, dst,
							      sizeof(dst),
							      &len), 0);
			for (i = 0; i < CORRUPTIONS; i++) {
				u8 *bad = malloc(len);
				unsigned int flips = 1 + ut_rand(&rng) % 4, f;
				int ret;

				memcpy(bad, dst, len);
				for (f = 0; f < flips; f++)
					bad[ut_rand(&rng) % len] ^=
						1 + ut_rand(&rng) % 255;
				ret = c.ops->decompress(c.ctx, bad, len, out);
				CU_ASSERT(ret == 0 || ret == -EINVAL);
				free(bad);
			}
			free(out);
		}
		close_codec(&c);
	}
}

static void test_decompressors_survive_random_input(void)
{
	const struct sl_codec_ops *const *o;
	static const size_t lens[] = { 1, 2, 7, 64, 1000, PAGE_SIZE,
				       PAGE_SIZE + 100 };
	u64 rng = 7;
	unsigned int i, j;

	for (o = sl_codecs; *o; o++) {
		struct cctx c;

		if (!open_codec((*o)->name, &c))
			continue;
		for (i = 0; i < ARRAY_SIZE(lens); i++)
			for (j = 0; j < 4; j++) {
				u8 *in = malloc(lens[i]), *out = malloc(PAGE_SIZE);
				size_t b;
				int ret;

				for (b = 0; b < lens[i]; b++)
					in[b] = ut_rand(&rng);
				ret = c.ops->decompress(c.ctx, in, lens[i], out);
				CU_ASSERT(ret == 0 || ret == -EINVAL);
				free(in);
				free(out);
			}
		close_codec(&c);
	}
}

static void test_contexts_leak_nothing(void)
{
	const struct sl_codec_ops *const *o;
	long before = sl_compat_live_objs();

	for (o = sl_codecs; *o; o++) {
		struct cctx c;

		if (open_codec((*o)->name, &c))
			close_codec(&c);
	}
	CU_ASSERT_EQUAL(sl_compat_live_objs(), before);
}

int codec_contract_ut_register(void);
int codec_contract_ut_register(void)
{
	CU_pSuite s = CU_add_suite("codec_contract", NULL, NULL);
	int ret;

	if (!s)
		return CU_get_error();
	ret = UT_ADD(s, test_every_codec_round_trips_every_page_kind);
	if (!ret)
		ret = UT_ADD(s, test_every_codec_round_trips_at_its_level_bounds);
	if (!ret)
		ret = UT_ADD(s, test_compress_says_enospc_when_output_does_not_fit);
	if (!ret)
		ret = UT_ADD(s, test_decompressors_reject_truncated_input);
	if (!ret)
		ret = UT_ADD(s, test_decompressors_survive_corrupted_input);
	if (!ret)
		ret = UT_ADD(s, test_decompressors_survive_random_input);
	if (!ret)
		ret = UT_ADD(s, test_contexts_leak_nothing);
	return ret;
}
