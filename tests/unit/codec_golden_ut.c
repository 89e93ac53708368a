// SPDX-License-Identifier: GPL-2.0
/*
 * codec_golden_ut.c - the kernel codecs' per-page lengths, pinned.
 *
 * The pages are made here, by a generator of this file (not ut_util's, so
 * that a change there cannot move the goldens).  The lengths were measured
 * on the builds from Debian's linux-source-6.1 (6.1.192) and
 * linux-source-6.12 (6.12.118), one table each; only zstd differs (6.12's
 * zram passes PAGE_SIZE as the size hint).  Run with SL_GOLDEN_PRINT=1 to
 * print the tables.  They are checked
 * against the running 6.1 zram by the VM parity test, not here.
 * Cross-checks: kernel lz4 against liblz4 (the same algorithm, agreeing on
 * most pages) and kernel deflate against zlib at crypto/deflate.c's
 * settings (agreeing on every page).  A build without a kernel tree runs
 * only test_library_only_build_has_no_kernel_codecs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <lz4.h>

#include "core/user/sl_codecs.h"
#include "ut_util.h"

#define NPAGES		8
#define NKC		7

static const char *const kcodecs[NKC] = {
	"lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate", "842",
};

static const char *const page_names[NPAGES] = {
	"zero_tail", "text", "ints", "pointers", "half_random", "repeat17",
	"random", "sparse",
};

/* measured on linux-source-6.1 (6.1.192); order as kcodecs[] */
static const size_t golden_61[NPAGES][NKC] = {
	/* lzo, lzo-rle, lz4, lz4hc, zstd, deflate, 842 */
	{ 126, 117, 118, 118, 116, 124, 120, },		/* zero_tail */
	{ 1457, 1459, 1964, 1175, 893, 778, 1648, },	/* text */
	{ 3093, 3095, 2982, 2947, 1542, 1290, 2832, },	/* ints */
	{ 1545, 1547, 1905, 1517, 963, 1047, 1976, },	/* pointers */
	{ 2213, 2150, 2082, 2074, 2074, 2110, 2216, },	/* half_random */
	{ 61, 63, 43, 43, 35, 44, 896, },		/* repeat17 */
	{ 4116, 4118, 4114, 4114, 4106, 4142, 4416, },	/* random */
	{ 436, 357, 438, 307, 248, 250, 424, },		/* sparse */
};

/* measured on linux-source-6.12 (6.12.118); order as kcodecs[] */
static const size_t golden_612[NPAGES][NKC] = {
	/* lzo, lzo-rle, lz4, lz4hc, zstd, deflate, 842 */
	{ 126, 117, 118, 118, 116, 124, 120, },		/* zero_tail */
	{ 1457, 1459, 1964, 1175, 880, 778, 1648, },	/* text */
	{ 3093, 3095, 2982, 2947, 1618, 1290, 2832, },	/* ints */
	{ 1545, 1547, 1905, 1517, 962, 1047, 1976, },	/* pointers */
	{ 2213, 2150, 2082, 2074, 2075, 2110, 2216, },	/* half_random */
	{ 61, 63, 43, 43, 35, 44, 896, },		/* repeat17 */
	{ 4116, 4118, 4114, 4114, 4106, 4142, 4416, },	/* random */
	{ 436, 357, 438, 307, 248, 250, 424, },		/* sparse */
};

static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void golden_page(unsigned int n, u8 *p)
{
	static const char *const words[] = {
		"swap ", "out ", "page ", "the ", "anon ", "lru ", "cgroup ",
		"memory ", "pressure ", "reclaim ", "\n", "0x7f3a ",
	};
	u64 s = 0x9e3779b97f4a7c15ull + n;
	size_t i, w;

	memset(p, 0, PAGE_SIZE);
	switch (n) {
	case 0:
		for (i = 4000; i < PAGE_SIZE; i++)
			p[i] = (u8)i;
		break;
	case 1:
		for (i = 0; i < PAGE_SIZE; i += w) {
			const char *x = words[rnd(&s) % ARRAY_SIZE(words)];

			w = min(strlen(x), PAGE_SIZE - i);
			memcpy(p + i, x, w);
		}
		break;
	case 2:
		for (i = 0; i < PAGE_SIZE; i += 4) {
			u32 v = (u32)(i / 4 + rnd(&s) % 8);

			memcpy(p + i, &v, 4);
		}
		break;
	case 3:
		for (i = 0; i < PAGE_SIZE; i += 8) {
			u64 v = 0x00007f3a12340000ull + (rnd(&s) % 512) * 64;

			memcpy(p + i, &v, 8);
		}
		break;
	case 4:
		for (i = 0; i < PAGE_SIZE / 2; i++)
			p[i] = (u8)rnd(&s);
		break;
	case 5:
		for (i = 0; i < PAGE_SIZE; i++)
			p[i] = "abcdefghijklmnopq"[i % 17];
		break;
	case 6:
		for (i = 0; i < PAGE_SIZE; i++)
			p[i] = (u8)rnd(&s);
		break;
	default:
		for (i = 0; i < PAGE_SIZE; i += 64)
			p[i + rnd(&s) % 64] = (u8)(rnd(&s) | 1);
		break;
	}
}

static size_t page_len(const char *spec, const void *page)
{
	const struct sl_codec_ops *ops;
	struct sl_codec_params params;
	static u8 dst[SL_CODEC_DST_SIZE];
	size_t len = 0;
	char err[128];
	void *ctx;

	if (sl_codec_parse(spec, &ops, &params, err, sizeof(err)) ||
	    ops->create_ctx(&params, &ctx))
		return 0;
	if (ops->compress(ctx, page, dst, sizeof(dst), &len))
		len = 0;
	ops->destroy_ctx(ctx);
	return len;
}

/* one tree's goldens, checked when the build has Debian's tree of it */
static void check_tree(const char *kernel, const size_t golden[NPAGES][NKC])
{
	static u8 page[PAGE_SIZE];
	const char *src = sl_codec_tree_source(kernel);
	char debian[64], name[64];
	unsigned int n, k;
	bool print = getenv("SL_GOLDEN_PRINT");

	snprintf(debian, sizeof(debian), "linux-source-%s (", kernel);
	if (!src || strncmp(src, debian, strlen(debian)))
		return;		/* another tree of that kernel: KSRC= */
	if (print)
		printf("\n\t/* %s */\n", src);
	for (n = 0; n < NPAGES; n++) {
		golden_page(n, page);
		if (print)
			printf("\t{");
		for (k = 0; k < NKC; k++) {
			size_t len;

			snprintf(name, sizeof(name), "%s@%s", kcodecs[k],
				 kernel);
			len = page_len(name, page);
			if (print)
				printf(" %zu,", len);
			else if (len != golden[n][k])
				fprintf(stderr, "\n%s on %s: %zu, golden %zu",
					name, page_names[n], len,
					golden[n][k]);
			CU_ASSERT(print || len == golden[n][k]);
		}
		if (print)
			printf(" },\t/* %s */\n", page_names[n]);
	}
}

static void test_kernel_lengths_match_goldens(void)
{
	check_tree("6.1", golden_61);
	check_tree("6.12", golden_612);
}

static size_t zlib_raw_len(const void *page)
{
	static u8 dst[SL_CODEC_DST_SIZE];
	z_stream s;
	size_t len = 0;

	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -11, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	s.next_in = (Bytef *)page;
	s.avail_in = PAGE_SIZE;
	s.next_out = dst;
	s.avail_out = sizeof(dst);
	if (deflate(&s, Z_FINISH) == Z_STREAM_END)
		len = s.total_out;
	deflateEnd(&s);
	return len;
}

static size_t liblz4_len(const void *page)
{
	static char dst[SL_CODEC_DST_SIZE];

	return LZ4_compress_default(page, dst, PAGE_SIZE, sizeof(dst));
}

/* the goldens' pages and ut_util's kinds, 8 seeds each: 40 pages */
static void for_each_cross_page(void (*fn)(const void *page, void *arg),
				void *arg)
{
	static const char *const kinds[] = { "zero", "text", "random",
					     "mixed" };
	static u8 page[PAGE_SIZE];
	unsigned int n, k;

	for (n = 0; n < NPAGES; n++) {
		golden_page(n, page);
		fn(page, arg);
	}
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		for (n = 0; n < 8; n++) {
			ut_page_fill(page, kinds[k], n + 1);
			fn(page, arg);
		}
}

struct agree {
	unsigned int pages, same_deflate, same_lz4;
};

static void cross_one(const void *page, void *arg)
{
	struct agree *a = arg;

	a->pages++;
	a->same_deflate += page_len("deflate", page) == zlib_raw_len(page);
	a->same_lz4 += page_len("lz4", page) == liblz4_len(page);
}

static void test_kernel_deflate_equals_zlib_on_every_page(void)
{
	struct agree a = { 0 };

	for_each_cross_page(cross_one, &a);
	CU_ASSERT_EQUAL(a.same_deflate, a.pages);
}

static void test_kernel_lz4_equals_liblz4_on_most_pages(void)
{
	struct agree a = { 0 };

	for_each_cross_page(cross_one, &a);
	/* 99.5% on real pages; allow one miss in 40 generated ones */
	CU_ASSERT(a.same_lz4 + 1 >= a.pages);
}

static void test_zlib_codec_is_kernel_deflate_at_level_6(void)
{
	static u8 page[PAGE_SIZE];
	unsigned int n;

	for (n = 0; n < NPAGES; n++) {
		golden_page(n, page);
		CU_ASSERT_EQUAL(page_len("zlib", page), page_len("deflate", page));
		CU_ASSERT_EQUAL(page_len("zlib:6", page), zlib_raw_len(page));
	}
}

static void test_library_only_build_has_no_kernel_codecs(void)
{
	const char *const *all = sl_codec_group("all");
	const char *const *libs = sl_codec_group("libs");
	unsigned int k;

	CU_ASSERT_STRING_EQUAL(sl_codec_source(), "none");
	for (k = 0; k < NKC; k++)
		CU_ASSERT_PTR_NULL(sl_codec_find(kcodecs[k]));
	CU_ASSERT_PTR_EQUAL(all, libs);
}

int codec_golden_ut_register(void);
int codec_golden_ut_register(void)
{
	CU_pSuite s = CU_add_suite("codec_golden", NULL, NULL);
	int ret;

	if (!s)
		return CU_get_error();
	if (!strcmp(sl_codec_source(), "none"))
		return UT_ADD(s, test_library_only_build_has_no_kernel_codecs);
	ret = UT_ADD(s, test_kernel_lengths_match_goldens);
	if (!ret)
		ret = UT_ADD(s, test_kernel_deflate_equals_zlib_on_every_page);
	if (!ret)
		ret = UT_ADD(s, test_kernel_lz4_equals_liblz4_on_most_pages);
	if (!ret)
		ret = UT_ADD(s, test_zlib_codec_is_kernel_deflate_at_level_6);
	return ret;
}
