// SPDX-License-Identifier: GPL-2.0
/*
 * codec_spec_ut.c - the codec spec syntax, the groups "all" and "libs",
 * list expansion, dictionaries (loading, training, using) and
 * sl_codec_source().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"
#include "core/user/sl_dict.h"
#include "ut_util.h"

static int parse(const char *spec, const struct sl_codec_ops **ops,
		 struct sl_codec_params *params)
{
	char err[256];

	return sl_codec_parse(spec, ops, params, err, sizeof(err));
}

static void test_spec_takes_levels_in_range_negative_too(void)
{
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;

	CU_ASSERT_EQUAL(parse("libzstd:-5", &ops, &p), 0);
	CU_ASSERT_STRING_EQUAL(ops->name, "libzstd");
	CU_ASSERT_EQUAL(p.level, -5);
	CU_ASSERT_EQUAL(parse("libzstd:19", &ops, &p), 0);
	CU_ASSERT_EQUAL(p.level, 19);
	CU_ASSERT_EQUAL(parse("libdeflate:12", &ops, &p), 0);
	CU_ASSERT_EQUAL(parse("liblz4hc", &ops, &p), 0);
	CU_ASSERT_EQUAL(p.level, 9);
	CU_ASSERT_EQUAL(parse("zlib", &ops, &p), 0);
	CU_ASSERT_EQUAL(p.level, 6);
}

static void test_spec_rejects_bad_names_levels_and_keys(void)
{
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	char err[256] = "";

	CU_ASSERT_EQUAL(sl_codec_parse("lz5", &ops, &p, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown codec 'lz5'"));
	CU_ASSERT_EQUAL(sl_codec_parse("libzstd:23", &ops, &p, err,
				       sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "out of range"));
	CU_ASSERT_EQUAL(parse("libdeflate:13", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("zlib:0", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(sl_codec_parse("liblzo2:3", &ops, &p, err,
				       sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "takes no level"));
	CU_ASSERT_EQUAL(parse("libzstd:3:foo=1", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("libzstd:3:bar", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("libzstd:3:4", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(sl_codec_parse("zlib:dict=/etc/hostname", &ops, &p,
				       err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no dictionary"));
	CU_ASSERT_EQUAL(parse("libzstd:dict=", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("libzstd:dict=/nonexistent/d", &ops, &p),
			-ENOENT);
	CU_ASSERT_EQUAL(sl_codec_parse("all", &ops, &p, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "group"));
	CU_ASSERT_EQUAL(parse("", &ops, &p), -EINVAL);
}

static void test_kernel_names_exist_exactly_with_a_kernel_tree(void)
{
	static const char *const names[] = { "lzo", "lzo-rle", "lz4",
		"lz4hc", "zstd", "deflate", "842" };
	bool with_tree = strcmp(sl_codec_source(), "none");
	const struct sl_codec_ops *ops;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ops = sl_codec_find(names[i]);
		CU_ASSERT_EQUAL(ops != NULL, with_tree);
		if (ops)
			CU_ASSERT(ops->kernel_exact);
	}
	if (with_tree) {
		CU_ASSERT_PTR_NOT_NULL(strstr(sl_codec_source(), "("));
		CU_ASSERT_EQUAL(sl_codec_find("lz4hc")->default_level, 9);
		CU_ASSERT_EQUAL(sl_codec_find("zstd")->default_level, 3);
		CU_ASSERT_EQUAL(sl_codec_find("lz4")->default_level, 1);
	}
	CU_ASSERT_FALSE(sl_codec_find("liblz4")->kernel_exact);
}

/* every tree's codecs by name@kernel; a bare name is the current kernel's */
static void test_kernel_codecs_are_named_by_their_tree(void)
{
	const char *const *t = sl_codec_trees();
	const char *saved = sl_codec_kernel();
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	char name[64], err[512];

	for (; *t; t++) {
		snprintf(name, sizeof(name), "zstd@%s", *t);
		ops = sl_codec_find(name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
		CU_ASSERT_STRING_EQUAL(ops->kernel, *t);
		CU_ASSERT_PTR_NOT_NULL(sl_codec_tree_source(*t));
		CU_ASSERT_EQUAL(sl_codec_set_kernel(*t), 0);
		CU_ASSERT_PTR_EQUAL(sl_codec_find("zstd"), ops);
	}
	CU_ASSERT_EQUAL(sl_codec_set_kernel("5.15"), -EINVAL);
	CU_ASSERT_EQUAL(sl_codec_set_kernel(saved), 0);
	CU_ASSERT_PTR_NULL(sl_codec_find("zstd@6.99"));
	CU_ASSERT_PTR_NULL(sl_codec_tree_source("6.99"));
	CU_ASSERT_EQUAL(sl_codec_parse("zstd@6.99", &ops, &p, err,
				       sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NULL(strchr(err, '\n'));
	CU_ASSERT_EQUAL(sl_codec_parse("libzstdd", &ops, &p, err,
				       sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "did you mean 'libzstd'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "liblz4, liblz4hc"));
	/* Debian's 6.12 zram builds no lzo, lzo-rle or 842 backend */
	CU_ASSERT(sl_codec_zram_offers("6.1", "lzo-rle"));
	CU_ASSERT_FALSE(sl_codec_zram_offers("6.12", "lzo-rle@6.12"));
	CU_ASSERT_FALSE(sl_codec_zram_offers("6.12", "842"));
	CU_ASSERT(sl_codec_zram_offers("6.12", "zstd@6.12:3"));
	CU_ASSERT(sl_codec_zram_offers("6.12", "lz4:dict=/d"));
	CU_ASSERT_FALSE(sl_codec_zram_offers("6.12", "lzo:1"));
	CU_ASSERT_FALSE(sl_codec_zram_offers("6.12", "libzstd"));
	CU_ASSERT_STRING_EQUAL(sl_nearest("zsmaloc", (const char *const[]){
		"zbud", "zsmalloc", NULL }), "zsmalloc");
	CU_ASSERT_PTR_NULL(sl_nearest("xyzzy", (const char *const[]){
		"zbud", "zsmalloc", NULL }));
}

static void test_groups_list_parseable_specs(void)
{
	static const char *const groups[] = { "all", "libs" };
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	const char *const *g;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		g = sl_codec_group(groups[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(g);
		for (n = 0; g[n]; n++)
			CU_ASSERT_EQUAL(parse(g[n], &ops, &p), 0);
		CU_ASSERT(n >= 6);
	}
	CU_ASSERT_PTR_NULL(sl_codec_group("lz4"));
	CU_ASSERT_STRING_EQUAL(sl_codec_group("libs")[0], "liblz4");
}

struct seen {
	char names[32][64];
	int n, stop_at;
};

static int collect(const char *spec, void *arg)
{
	struct seen *s = arg;

	if (s->n == s->stop_at)
		return 42;
	snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", spec);
	return 0;
}

static void test_expand_walks_lists_and_groups_in_order(void)
{
	struct seen s = { .stop_at = -1 };
	char err[256];
	int nlibs = 0;

	while (sl_codec_group("libs")[nlibs])
		nlibs++;
	CU_ASSERT_EQUAL(sl_codec_expand("none,libs,libzstd:-1", collect, &s,
					err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(s.n, nlibs + 2);
	CU_ASSERT_STRING_EQUAL(s.names[0], "none");
	CU_ASSERT_STRING_EQUAL(s.names[1], "liblz4");
	CU_ASSERT_STRING_EQUAL(s.names[s.n - 1], "libzstd:-1");

	memset(&s, 0, sizeof(s));
	s.stop_at = -1;
	CU_ASSERT_EQUAL(sl_codec_expand("none,lz5", collect, &s, err,
					sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_EQUAL(sl_codec_expand("none,,zlib", collect, &s, err,
					sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(sl_codec_expand("", collect, &s, err, sizeof(err)),
			-EINVAL);

	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	CU_ASSERT_EQUAL(sl_codec_expand("libs", collect, &s, err,
					sizeof(err)), 42);
}

/* pages alike enough for a dictionary to help: shared text, varied ints */
static void sample_page(u8 *p, unsigned int i)
{
	ut_page_fill(p, "mixed", 100 + i);
}

static void test_trained_dictionary_round_trips_and_helps_libzstd(void)
{
	enum { N = 64, DICT_CAP = 16 << 10 };
	u8 *samples = malloc((size_t)N * PAGE_SIZE), *dict = malloc(DICT_CAP);
	static u8 page[PAGE_SIZE], dst[SL_CODEC_DST_SIZE], out[PAGE_SIZE];
	size_t sizes[N], dict_len = 0, with = 0, without = 0, len;
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	char path[512], spec[600];
	unsigned int i, s;
	FILE *f;

	for (i = 0; i < N; i++) {
		sample_page(samples + (size_t)i * PAGE_SIZE, i);
		sizes[i] = PAGE_SIZE;
	}
	CU_ASSERT_EQUAL_FATAL(sl_dict_train(samples, sizes, N, dict, DICT_CAP,
					    &dict_len), 0);
	CU_ASSERT(dict_len > 0 && dict_len <= DICT_CAP);
	CU_ASSERT_EQUAL(sl_dict_train(samples, sizes, 0, dict, DICT_CAP,
				      &len), -EINVAL);
	snprintf(path, sizeof(path), "%s/pages.dict", ut_tmpdir());
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(dict, 1, dict_len, f), dict_len);
	fclose(f);

	for (s = 0; s < 3; s++) {
		static const char *const fmt[] = { "libzstd:3:dict=%s",
			"libzstd:3", "liblz4:dict=%s" };
		void *ctx;

		snprintf(spec, sizeof(spec), fmt[s], path);
		CU_ASSERT_EQUAL_FATAL(parse(spec, &ops, &p), 0);
		CU_ASSERT_EQUAL(p.dict_len, s == 1 ? 0 : dict_len);
		CU_ASSERT_EQUAL_FATAL(ops->create_ctx(&p, &ctx), 0);
		for (i = 0; i < 8; i++) {
			sample_page(page, N + i);	/* not a training page */
			CU_ASSERT_EQUAL(ops->compress(ctx, page, dst,
						      sizeof(dst), &len), 0);
			CU_ASSERT_EQUAL(ops->decompress(ctx, dst, len, out),
					0);
			CU_ASSERT(!memcmp(page, out, PAGE_SIZE));
			if (s == 0)
				with += len;
			else if (s == 1)
				without += len;
		}
		ops->destroy_ctx(ctx);
		sl_codec_params_free(&p);
		sl_codec_params_free(&p);	/* idempotent */
	}
	CU_ASSERT(with < without);
	remove(path);
	free(samples);
	free(dict);
}

/* @len bytes of @data into @name under the test directory; its path */
static const char *put_file(const char *name, const void *data, size_t len)
{
	static char path[4][512];
	static unsigned int turn;
	char *out = path[turn++ % 4];
	FILE *f;

	snprintf(out, 512, "%s/%s", ut_tmpdir(), name);
	f = fopen(out, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(data, 1, len, f), len);
	fclose(f);
	return out;
}

/* one page through @spec's codec, round trip checked; its length */
static size_t one_page(const char *spec, void *ctx,
		       const struct sl_codec_ops *ops, const u8 *page)
{
	static u8 dst[SL_CODEC_DST_SIZE], out[PAGE_SIZE];
	size_t len = 0;

	CU_ASSERT_EQUAL(ops->compress(ctx, page, dst, sizeof(dst), &len), 0);
	CU_ASSERT_EQUAL(ops->decompress(ctx, dst, len, out), 0);
	CU_ASSERT(!memcmp(page, out, PAGE_SIZE));
	return len;
}

/*
 * 6.12's zram backends with algorithm_params dict=: a random page whose
 * dictionary is the page itself.  lz4 (hand-worked): the match is found at
 * byte 3 (LZ4_loadDict() hashes every third position) and extended back
 * to 0, then runs to 5 bytes from the end (LASTLITERALS): token 1 + offset
 * 2 + length (4091 - 4 - 15 = 4072 = 15 * 255 + 247: 16 bytes), then a
 * token and the 5 last literals: 25 bytes.  The same context after
 * another page gives 25 again (the stream's history is out of reach).
 */
static void test_kernel_dictionaries_as_612_zram_takes_them(void)
{
	static u8 page[PAGE_SIZE], other[PAGE_SIZE], big[100 << 10];
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	char spec[700], err[512], zp[700];
	const char *pd, *bigd, *tiny;
	size_t len;
	void *ctx;

	ut_page_fill(page, "random", 7);
	ut_page_fill(other, "random", 8);
	memset(big, 'x', sizeof(big));
	pd = put_file("page.dict", page, PAGE_SIZE);
	bigd = put_file("big.dict", big, sizeof(big));
	tiny = put_file("tiny.dict", "abc", 3);
	if (!sl_codec_tree_source("6.12")) {
		/* no 6.12 tree: kernel dictionaries cannot be had */
		snprintf(spec, sizeof(spec), "zstd@6.12:dict=%s", pd);
		CU_ASSERT_EQUAL(parse(spec, &ops, &p), -EINVAL);
		return;
	}
	snprintf(spec, sizeof(spec), "lz4@6.12:dict=%s", pd);
	CU_ASSERT_EQUAL_FATAL(parse(spec, &ops, &p), 0);
	CU_ASSERT_EQUAL_FATAL(ops->create_ctx(&p, &ctx), 0);
	CU_ASSERT_EQUAL(one_page(spec, ctx, ops, page), 25);
	CU_ASSERT(one_page(spec, ctx, ops, other) > PAGE_SIZE);
	CU_ASSERT_EQUAL(one_page(spec, ctx, ops, page), 25);
	ops->destroy_ctx(ctx);
	sl_codec_params_free(&p);

	/*
	 * lz4hc starts its search at byte 1 and never extends a first match
	 * backwards: one literal more, 26 bytes; zstd finds the page too
	 */
	snprintf(spec, sizeof(spec), "lz4hc@6.12:level=12:dict=%s", pd);
	CU_ASSERT_EQUAL_FATAL(parse(spec, &ops, &p), 0);
	CU_ASSERT_EQUAL(p.level, 12);
	CU_ASSERT_EQUAL_FATAL(ops->create_ctx(&p, &ctx), 0);
	len = one_page(spec, ctx, ops, page);
	CU_ASSERT_EQUAL(len, 26);
	ops->destroy_ctx(ctx);
	sl_codec_params_free(&p);
	snprintf(spec, sizeof(spec), "zstd@6.12:8:dict=%s", pd);
	CU_ASSERT_EQUAL_FATAL(parse(spec, &ops, &p), 0);
	CU_ASSERT_EQUAL_FATAL(ops->create_ctx(&p, &ctx), 0);
	len = one_page(spec, ctx, ops, page);
	CU_ASSERT(len > 0 && len < 32);
	ops->destroy_ctx(ctx);
	sl_codec_params_free(&p);

	/* zstd takes a 100 KiB dictionary; lz4 and lz4hc fail every write */
	snprintf(spec, sizeof(spec), "zstd@6.12:dict=%s", bigd);
	CU_ASSERT_EQUAL(parse(spec, &ops, &p), 0);
	sl_codec_params_free(&p);
	snprintf(spec, sizeof(spec), "lz4hc@6.12:dict=%s", bigd);
	CU_ASSERT_EQUAL(sl_codec_parse(spec, &ops, &p, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "fails every write unless it has 1..65536"));
	CU_ASSERT_PTR_NULL(p.dict);
	snprintf(spec, sizeof(spec), "lz4@6.12:dict=%s", tiny);
	CU_ASSERT_EQUAL(sl_codec_parse(spec, &ops, &p, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "8..65536"));
	/* 6.1's zram has no algorithm_params; deflate's backend no dict */
	snprintf(spec, sizeof(spec), "deflate@6.12:dict=%s", pd);
	CU_ASSERT_EQUAL(sl_codec_parse(spec, &ops, &p, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "takes no dictionary"));
	if (sl_codec_tree_source("6.1")) {
		snprintf(spec, sizeof(spec), "zstd@6.1:dict=%s", pd);
		CU_ASSERT_EQUAL(parse(spec, &ops, &p), -EINVAL);
	}
	CU_ASSERT_EQUAL(parse("zstd@6.12:level=3:4", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("zstd@6.12:4:level=3", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("zstd@6.12:level=23", &ops, &p), -EINVAL);
	CU_ASSERT_EQUAL(parse("zstd@6.12:level=", &ops, &p), -EINVAL);

	/* the algorithm_params line for zram, the path made absolute */
	CU_ASSERT_EQUAL(sl_codec_zram_params("lz4@6.12", zp, sizeof(zp)), 0);
	CU_ASSERT_STRING_EQUAL(zp, "");
	CU_ASSERT_EQUAL(sl_codec_zram_params("zstd:level=5", zp, sizeof(zp)),
			0);
	CU_ASSERT_STRING_EQUAL(zp, "algo=zstd level=5");
	snprintf(spec, sizeof(spec), "zstd@6.12:8:dict=%s", pd);
	CU_ASSERT_EQUAL(sl_codec_zram_params(spec, zp, sizeof(zp)), 0);
	snprintf(spec, sizeof(spec), "algo=zstd level=8 dict=%s", pd);
	CU_ASSERT_STRING_EQUAL(zp, spec);
	CU_ASSERT_EQUAL(sl_codec_zram_params("zstd:dict=/nonexistent/d", zp,
					     sizeof(zp)), -ENOENT);
	CU_ASSERT_EQUAL(sl_codec_zram_params("zstd:8", zp, 8), -E2BIG);
}

int codec_spec_ut_register(void);
int codec_spec_ut_register(void)
{
	CU_pSuite s = CU_add_suite("codec_spec", NULL, NULL);
	int ret;

	if (!s)
		return CU_get_error();
	ret = UT_ADD(s, test_spec_takes_levels_in_range_negative_too);
	if (!ret)
		ret = UT_ADD(s, test_spec_rejects_bad_names_levels_and_keys);
	if (!ret)
		ret = UT_ADD(s, test_kernel_names_exist_exactly_with_a_kernel_tree);
	if (!ret)
		ret = UT_ADD(s, test_kernel_codecs_are_named_by_their_tree);
	if (!ret)
		ret = UT_ADD(s, test_groups_list_parseable_specs);
	if (!ret)
		ret = UT_ADD(s, test_expand_walks_lists_and_groups_in_order);
	if (!ret)
		ret = UT_ADD(s, test_trained_dictionary_round_trips_and_helps_libzstd);
	if (!ret)
		ret = UT_ADD(s, test_kernel_dictionaries_as_612_zram_takes_them);
	return ret;
}
