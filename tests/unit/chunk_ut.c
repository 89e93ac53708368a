/*
 * chunk_ut.c - replay --chunk's store (replay/chunk.c) with sizes worked
 * by hand.  A test codec makes every length exact: a page's first two
 * bytes say how many of its bytes matter (the rest are zero), and a unit
 * "compresses" to those bytes of each page, one page after the other.
 * The ideal allocator holds a tail of B bytes in ceil(B / 4096) pages.
 */
#include <string.h>

#include "core/sl_alloc.h"
#include "replay/chunk.h"
#include "ut_util.h"

static int pc_create(int level, const void *dict, size_t dict_len,
		     void **ctx)
{
	*ctx = (void *)1;
	return 0;
}

static uint16_t pc_len(const uint8_t *page)
{
	uint16_t len;

	memcpy(&len, page, sizeof(len));
	return len;
}

static int pc_compress(void *ctx, const void *src, size_t src_len,
		       void *dst, size_t cap, size_t *dst_len)
{
	const uint8_t *s = src;
	size_t i, out = 0, n;

	for (i = 0; i < src_len; i += UT_PAGE) {
		n = pc_len(s + i);
		if (out + n > cap)
			return -ENOSPC;
		memcpy((uint8_t *)dst + out, s + i, n);
		out += n;
	}
	*dst_len = out;
	return 0;
}

static int pc_decompress(void *ctx, const void *src, size_t len, void *dst,
			 size_t page_size)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	size_t i, in = 0, n;

	for (i = 0; i < page_size; i += UT_PAGE) {
		if (len - in < 2)
			return -EINVAL;
		n = pc_len(s + in);
		if (n < 2 || n > UT_PAGE || n > len - in)
			return -EINVAL;
		memcpy(d + i, s + in, n);
		memset(d + i + n, 0, UT_PAGE - n);
		in += n;
	}
	return in == len ? 0 : -EINVAL;
}

static const struct sl_kc_ops prefix_codec = {
	.name = "prefix",
	.create = pc_create,
	.compress = pc_compress,
	.decompress = pc_decompress,
};

/* a page whose first @len bytes matter: not same-filled for len >= 3 */
static void prefix_page(uint8_t *page, uint16_t len, uint8_t seed)
{
	size_t i;

	memset(page, 0, UT_PAGE);
	for (i = 2; i < len; i++)
		page[i] = (uint8_t)(i * 7 + seed) | 1;
	memcpy(page, &len, sizeof(len));
}

static struct chunk_store *make_split(unsigned int pages, uint32_t huge,
				      bool split)
{
	struct chunk_cfg cfg = {
		.split = split,
		.pages = pages,
		.kc = &prefix_codec,
		.alloc = &sl_alloc_ideal,
		.huge_threshold = huge,
		.same_filled = true,
		.nr_slots = 64,
	};
	char err[256];
	struct chunk_store *cs = chunk_store_create(&cfg, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(cs);
	return cs;
}

static struct chunk_store *make(unsigned int pages, uint32_t huge)
{
	return make_split(pages, huge, false);
}

static void test_parse(void)
{
	unsigned int p = 99;

	CU_ASSERT(!chunk_parse("4k", &p) && p == 1);
	CU_ASSERT(!chunk_parse("16k", &p) && p == 4);
	CU_ASSERT(!chunk_parse("32k", &p) && p == 8);
	CU_ASSERT(!chunk_parse("64k", &p) && p == 16);
	CU_ASSERT(!chunk_parse("folio", &p) && p == CHUNK_FOLIO);
	CU_ASSERT(chunk_parse("48k", &p) == -1);
	CU_ASSERT(chunk_parse("16K", &p) == -1);
	CU_ASSERT(chunk_parse("", &p) == -1);
	CU_ASSERT_STRING_EQUAL(chunk_name(8), "32k");
}

/* 1000 + 2000 + 3000 + 500 bytes: one object of 6500, one whole page */
static void test_unit_of_four(void)
{
	struct chunk_store *cs = make(4, 3000);
	static const uint16_t len[4] = { 1000, 2000, 3000, 500 };
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_read_info ri;
	struct chunk_stats st;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		prefix_page(page, len[i], i);
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
		chunk_store_stats(cs, &st);
		/* gathered, not stored, until the fourth */
		CU_ASSERT_EQUAL(st.pages_stored, i == 3 ? 4 : 0);
	}
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 6500);
	CU_ASSERT_EQUAL(st.orig_data_size, 4 * 4096);
	CU_ASSERT_EQUAL(st.head_pages, 1);
	/* the 2404-byte tail: one page of the ideal allocator, + the head */
	CU_ASSERT_EQUAL(st.mem_used_total, 2 * 4096);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 4);
	CU_ASSERT_EQUAL(st.chunk_objects, 1);
	CU_ASSERT_EQUAL(st.huge_pages, 0);
	for (i = 0; i < 4; i++) {
		prefix_page(page, len[i], i);
		CU_ASSERT_EQUAL(chunk_store_read(cs, i, got, &ri), 0);
		CU_ASSERT_EQUAL(ri.pages_decompressed, 4);
		CU_ASSERT(!memcmp(page, got, UT_PAGE));
	}
	/* freeing three pages frees nothing: the object holds them */
	for (i = 0; i < 3; i++)
		chunk_store_free(cs, i);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 6500);
	CU_ASSERT_EQUAL(st.orig_data_size, 4096);
	CU_ASSERT_EQUAL(st.stranded_pages, 3);
	CU_ASSERT_EQUAL(st.mem_used_total, 2 * 4096);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 0, got, NULL), 1);
	chunk_store_free(cs, 3);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 0);
	CU_ASSERT_EQUAL(st.stranded_pages, 0);
	CU_ASSERT_EQUAL(st.mem_used_total, 0);
	CU_ASSERT_EQUAL(st.objects, 0);
	chunk_store_destroy(cs);
}

/* a zero page stays in its slot; the other three make a 600-byte object */
static void test_same_filled_apart(void)
{
	struct chunk_store *cs = make(4, 3000);
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_read_info ri;
	struct chunk_stats st;
	unsigned int i;

	memset(page, 0, UT_PAGE);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 4, page, 0, 0), 0);
	for (i = 5; i < 8; i++) {
		prefix_page(page, 100 * (i - 4), i);
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
	}
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.same_pages, 1);
	CU_ASSERT_EQUAL(st.compr_data_size, 600);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 3);
	CU_ASSERT_EQUAL(st.pages_stored, 4);
	CU_ASSERT_EQUAL(st.head_pages, 0);
	CU_ASSERT_EQUAL(st.mem_used_total, 4096);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 4, got, &ri), 0);
	CU_ASSERT_EQUAL(ri.pages_decompressed, 0);
	memset(page, 0, UT_PAGE);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	CU_ASSERT_EQUAL(chunk_store_read(cs, 7, got, &ri), 0);
	CU_ASSERT_EQUAL(ri.pages_decompressed, 3);
	prefix_page(page, 300, 7);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	chunk_store_destroy(cs);
}

/* 4 x 3100 = 12400 >= 4 x 3000: kept raw, four whole pages */
static void test_huge_unit(void)
{
	struct chunk_store *cs = make(4, 3000);
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_read_info ri;
	struct chunk_stats st;
	unsigned int i;

	for (i = 8; i < 12; i++) {
		prefix_page(page, 3100, i);
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
	}
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 4 * 4096);
	CU_ASSERT_EQUAL(st.huge_pages, 4);
	CU_ASSERT_EQUAL(st.head_pages, 4);
	CU_ASSERT_EQUAL(st.mem_used_total, 4 * 4096);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 10, got, &ri), 0);
	CU_ASSERT(ri.huge);
	prefix_page(page, 3100, 10);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	/* 3 x 2900 + 3100 = 11800 < 12000: compressed after all */
	for (i = 12; i < 16; i++) {
		prefix_page(page, i == 12 ? 3100 : 2900, i);
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
	}
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.huge_pages, 4);
	CU_ASSERT_EQUAL(st.compr_data_size, 4 * 4096 + 11800);
	/* 11800 = 2 whole pages + a 3608-byte tail */
	CU_ASSERT_EQUAL(st.head_pages, 6);
	CU_ASSERT_EQUAL(st.mem_used_total, 7 * 4096);
	chunk_store_destroy(cs);
}

/* a skipped slot, a misaligned start and a load mid-unit: page by page */
static void test_broken_runs(void)
{
	struct chunk_store *cs = make(4, 3000);
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_read_info ri;
	struct chunk_stats st;

	prefix_page(page, 1000, 1);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 16, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 18, page, 0, 0), 0);
	chunk_store_stats(cs, &st);
	/* 16 was gathered alone, then stored alone; 18 starts no unit */
	CU_ASSERT_EQUAL(st.objects, 2);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 0);
	CU_ASSERT_EQUAL(st.compr_data_size, 2000);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 20, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 21, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 20, got, &ri), 0);
	CU_ASSERT_EQUAL(ri.pages_decompressed, 1);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.objects, 4);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 0);
	/* a load elsewhere does not break a unit being gathered */
	CU_ASSERT_EQUAL(chunk_store_write(cs, 24, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 25, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 16, got, NULL), 0);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 26, page, 0, 0), 0);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 27, page, 0, 0), 0);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 4);
	CU_ASSERT_EQUAL(st.compr_data_size, 8000);
	/* a store over a unit's page: the old share is stranded */
	prefix_page(page, 200, 2);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 25, page, 0, 0), 0);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.stranded_pages, 1);
	CU_ASSERT_EQUAL(st.compr_data_size, 8200);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 25, got, &ri), 0);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	CU_ASSERT_EQUAL(ri.pages_decompressed, 1);
	chunk_store_destroy(cs);
}

/* --chunk-split: 6500 B; free the 2000-byte page: 4500 B, nothing held */
static void test_split_on_free(void)
{
	struct chunk_store *cs = make_split(4, 3000, true);
	static const uint16_t len[4] = { 1000, 2000, 3000, 500 };
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_read_info ri;
	struct chunk_stats st;
	uint64_t n, ns, pages;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		prefix_page(page, len[i], i);
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
	}
	chunk_store_free(cs, 1);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 4500);
	CU_ASSERT_EQUAL(st.stranded_pages, 0);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 3);
	CU_ASSERT_EQUAL(st.head_pages, 1);
	/* 4096 whole + a 404-byte tail in one ideal page */
	CU_ASSERT_EQUAL(st.mem_used_total, 2 * 4096);
	CU_ASSERT_EQUAL(st.orig_data_size, 3 * 4096);
	chunk_store_split_stats(cs, &n, &ns, &pages);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(pages, 3);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 2, got, &ri), 0);
	CU_ASSERT_EQUAL(ri.pages_decompressed, 3);
	prefix_page(page, 3000, 2);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	/* two more frees: the 500-byte page alone, as zram keeps it */
	chunk_store_free(cs, 0);
	chunk_store_free(cs, 2);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 500);
	CU_ASSERT_EQUAL(st.pages_in_chunks, 0);
	CU_ASSERT_EQUAL(st.chunk_objects, 0);
	CU_ASSERT_EQUAL(st.objects, 1);
	CU_ASSERT_EQUAL(st.head_pages, 0);
	CU_ASSERT_EQUAL(st.mem_used_total, 4096);
	CU_ASSERT_EQUAL(chunk_store_read(cs, 3, got, &ri), 0);
	CU_ASSERT_EQUAL(ri.pages_decompressed, 1);
	prefix_page(page, 500, 3);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	chunk_store_free(cs, 3);
	chunk_store_stats(cs, &st);
	CU_ASSERT_EQUAL(st.mem_used_total, 0);
	CU_ASSERT_EQUAL(st.objects, 0);
	chunk_store_destroy(cs);
}

/* the kernel's lz4 on four equal text pages: one page's worth, about */
static void test_kernel_lz4_gain(void)
{
	const struct sl_kc_ops *kc;
	struct chunk_cfg cfg = {
		.pages = 4, .alloc = &sl_alloc_ideal, .same_filled = true,
		.nr_slots = 8,
	};
	uint8_t page[UT_PAGE], got[UT_PAGE];
	struct chunk_stats one, four;
	struct chunk_store *cs;
	char err[256];
	unsigned int i;

	if (strcmp(ut_lz4(), "lz4"))
		return;		/* a build without kernel codecs */
	CU_ASSERT_EQUAL_FATAL(chunk_codec("lz4", &kc, &cfg.level, err,
					  sizeof(err)), 0);
	cfg.kc = kc;
	CU_ASSERT_EQUAL(chunk_codec("liblz4", &kc, &cfg.level, err,
				    sizeof(err)), -1);
	ut_page_fill(page, "text", 7);
	cfg.pages = 1;
	cs = chunk_store_create(&cfg, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cs);
	CU_ASSERT_EQUAL(chunk_store_write(cs, 0, page, 0, 0), 0);
	chunk_store_stats(cs, &one);
	chunk_store_destroy(cs);
	cfg.pages = 4;
	cs = chunk_store_create(&cfg, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cs);
	for (i = 4; i < 8; i++)
		CU_ASSERT_EQUAL(chunk_store_write(cs, i, page, 0, 0), 0);
	chunk_store_stats(cs, &four);
	CU_ASSERT(one.compr_data_size > 0);
	/*
	 * pages 2-4 repeat page 1 (a few matches each across the word
	 * boundaries: 1921 B for one page, 2083 B for the four here),
	 * where page by page they would cost four times one
	 */
	CU_ASSERT(four.compr_data_size * 4 < one.compr_data_size * 5);
	for (i = 4; i < 8; i++) {
		CU_ASSERT_EQUAL(chunk_store_read(cs, i, got, NULL), 0);
		CU_ASSERT(!memcmp(page, got, UT_PAGE));
	}
	chunk_store_destroy(cs);
}

int chunk_ut_register(void)
{
	CU_pSuite s = CU_add_suite("chunk", NULL, NULL);

	if (!s)
		return CU_get_error();
	if (UT_ADD(s, test_parse) || UT_ADD(s, test_unit_of_four) ||
	    UT_ADD(s, test_same_filled_apart) || UT_ADD(s, test_huge_unit) ||
	    UT_ADD(s, test_broken_runs) || UT_ADD(s, test_split_on_free) ||
	    UT_ADD(s, test_kernel_lz4_gain))
		return CU_get_error();
	return CUE_SUCCESS;
}
