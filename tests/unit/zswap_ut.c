/*
 * zswap_ut.c - the zswap front end's rules (6.1 and 6.12), with figures
 * worked by hand.  A test codec makes every compressed length exact: the page's
 * first two bytes say how long its "compressed" form is, and the page is
 * that many bytes followed by zeroes, so the codec copies them.
 */
#include <string.h>

#include "core/sl_zswap.h"
#include "ut_util.h"

static int lc_create(const struct sl_codec_params *p, void **ctx)
{
	*ctx = (void *)1;
	return 0;
}

static void lc_destroy(void *ctx)
{
}

static size_t lc_len(const void *page)
{
	u16 len;

	memcpy(&len, page, sizeof(len));
	return len < 2 ? 64 : len;
}

static int lc_compress(void *ctx, const void *src, void *dst, size_t cap,
		       size_t *dst_len)
{
	size_t len = lc_len(src);

	if (len > cap)
		return -ENOSPC;
	memset(dst, 0, len);
	memcpy(dst, src, len < UT_PAGE ? len : UT_PAGE);
	*dst_len = len;
	return 0;
}

static int lc_decompress(void *ctx, const void *src, size_t len, void *dst)
{
	memset(dst, 0, UT_PAGE);
	memcpy(dst, src, len < UT_PAGE ? len : UT_PAGE);
	return 0;
}

static const struct sl_codec_ops len_codec = {
	.name = "len", .desc = "test: length from the page",
	.create_ctx = lc_create, .destroy_ctx = lc_destroy,
	.compress = lc_compress, .decompress = lc_decompress,
};

/* a page compressing to @len bytes, its content told apart by @seed */
static void mkpage(u8 *page, u16 len, u8 seed)
{
	size_t i;

	memset(page, 0, UT_PAGE);
	for (i = 2; i < len && i < UT_PAGE; i++)
		page[i] = (u8)(seed + i * 7) | 1;
	memcpy(page, &len, sizeof(len));
}

static struct sl_zswap *mk_k(enum sl_zswap_kernel k, const char *alloc,
			     u64 ram_pages, unsigned int max_pct,
			     unsigned int accept, struct sl_zswap_ctx *ctx)
{
	const char *opts;
	const struct sl_alloc_ops *ops = sl_alloc_find(alloc, &opts);
	struct sl_zswap_cfg cfg = {
		.kernel = k, .codec = &len_codec,
		.alloc = ops, .alloc_opts = opts, .nr_slots = 64, .totalram_pages = ram_pages,
		.max_pool_percent = max_pct, .accept_thr_percent = accept,
		.same_filled = true,
	};
	struct sl_zswap *z = sl_zswap_create(&cfg);

	CU_ASSERT_FATAL(!IS_ERR(z));
	CU_ASSERT_FATAL(sl_zswap_ctx_create(z, ctx) == 0);
	return z;
}

static struct sl_zswap *mk(const char *alloc, u64 ram_pages,
			   unsigned int max_pct, unsigned int accept,
			   struct sl_zswap_ctx *ctx)
{
	return mk_k(SL_ZSWAP_K61, alloc, ram_pages, max_pct, accept, ctx);
}

static void done(struct sl_zswap *z, struct sl_zswap_ctx *ctx)
{
	sl_zswap_ctx_destroy(z, ctx);
	sl_zswap_destroy(z);
}

/* store @len-byte page @i at slot @i; Return: what the store said */
static int put(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 i, u16 len)
{
	u8 page[UT_PAGE];

	mkpage(page, len, i);
	return sl_zswap_store(z, ctx, i, page, NULL);
}

/*
 * 6.1, slot cache of 2, synchronous swap device, limit 5 zbud pages: 11
 * objects of 992 bytes stored (6 pages), the 12th refused by the hit that
 * writes back slots 0 and 1
 */
static struct sl_zswap *mk_61_cached_over_limit(struct sl_zswap_ctx *ctx)
{
	struct sl_zswap_cfg cfg = {
		.kernel = SL_ZSWAP_K61, .codec = &len_codec,
		.alloc = &sl_alloc_zbud, .nr_slots = 64, .totalram_pages = 100,
		.max_pool_percent = 5, .accept_thr_percent = 90,
		.same_filled = true, .slot_cache = 2, .sync_swapin = true,
	};
	struct sl_zswap *z = sl_zswap_create(&cfg);
	u32 i;

	CU_ASSERT_FATAL(!IS_ERR(z));
	CU_ASSERT_FATAL(sl_zswap_ctx_create(z, ctx) == 0);
	for (i = 0; i < 11; i++)
		CU_ASSERT_EQUAL(put(z, ctx, i, 992), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, ctx, 11, 992), SL_ZSWAP_REFUSED);
	return z;
}

static bool get_ok(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 i,
		   u16 len)
{
	u8 want[UT_PAGE], got[UT_PAGE];

	mkpage(want, len, i);
	return sl_zswap_load(z, ctx, i, got) == 0 &&
	       !memcmp(want, got, UT_PAGE);
}

/*
 * 100 pages of RAM at 5%: the limit is 5 pages, the accept level
 * 100 * 90 / 100 * 5 / 100 = 4 pages.  Objects of 992 + 8 header bytes
 * are 16 zbud chunks: two share a page (32 of 63 chunks).
 */
static void test_pool_limit_hit_and_hysteresis(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk("zbud", 100, 5, 90, &ctx);
	struct sl_zswap_stats st;
	u32 i;

	/* 11 objects: 6 pages; the 11th store saw 5 pages, not over 5 */
	for (i = 0; i < 11; i++)
		CU_ASSERT_EQUAL(put(z, &ctx, i, 992), SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_total_size, 6 * UT_PAGE);
	CU_ASSERT_EQUAL(st.stored_pages, 11);
	CU_ASSERT_EQUAL(st.compr_data_size, 11 * 992);
	/*
	 * the 12th finds 6 > 5: refused, one page (slots 0 and 1) written.
	 * zswap's size was last taken while that page was under reclaim:
	 * it still says 6 pages
	 */
	CU_ASSERT_EQUAL(put(z, &ctx, 11, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 1);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(st.pool_total_size, 6 * UT_PAGE);
	CU_ASSERT_EQUAL(st.stored_pages, 9);
	CU_ASSERT_EQUAL(st.pool_max_size, 6 * UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, (u8 [UT_PAGE]){ 0 }), 1);
	/* so the 13th hits the limit too: slots 2 and 3 go; 5 pages now */
	CU_ASSERT_EQUAL(put(z, &ctx, 12, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 4);
	CU_ASSERT_EQUAL(st.pool_total_size, 5 * UT_PAGE);
	CU_ASSERT_EQUAL(st.reject_uncounted, 0);
	/* 5 pages is not over the limit, but not under the accept level 4 */
	CU_ASSERT_EQUAL(put(z, &ctx, 13, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.reject_uncounted, 1);
	CU_ASSERT_EQUAL(st.swap_writes, 3 + 4);
	/* free slots 2..5 (2 and 3 on the device, page 2): 3 pages < 4 */
	for (i = 2; i < 6; i++)
		CU_ASSERT_EQUAL(sl_zswap_invalidate(z, i), i < 4);
	CU_ASSERT_EQUAL(put(z, &ctx, 13, 992), SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	/* slot 13 joined slot 10 in its half-empty page */
	CU_ASSERT_EQUAL(st.pool_total_size, 3 * UT_PAGE);
	CU_ASSERT_EQUAL(st.stored_pages, 6);
	CU_ASSERT_EQUAL(st.zswpout, 12);
	CU_ASSERT(get_ok(z, &ctx, 13, 992));
	CU_ASSERT(get_ok(z, &ctx, 10, 992));
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)),
			0);
	done(z, &ctx);
}

/*
 * Writeback takes the page least recently allocated into; a page with a
 * loaded object (it sits in the swap cache) cannot be written back: it
 * goes to the head of the LRU and the next tail page is tried.  100 pages
 * at 3%, accept 100%: limit 3 pages, accept level 3 pages.
 */
static void test_writeback_order_skips_swapcache(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk("zbud", 100, 3, 100, &ctx);
	struct sl_zswap_stats st;
	u32 i;

	for (i = 0; i < 7; i++)		/* A{0,1} B{2,3} C{4,5} D{6} */
		CU_ASSERT_EQUAL(put(z, &ctx, i, 992), SL_ZSWAP_STORED);
	CU_ASSERT(get_ok(z, &ctx, 0, 992));	/* 0 is in the swap cache */
	/*
	 * 4 > 3: A fails on slot 0 and goes to the head; B is written.
	 * zswap's size was taken with B under reclaim: still 4 pages
	 */
	CU_ASSERT_EQUAL(put(z, &ctx, 7, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 1);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(st.pool_total_size, 4 * UT_PAGE);
	CU_ASSERT_EQUAL(st.zswpin, 1);
	CU_ASSERT(get_ok(z, &ctx, 1, 992));
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 2, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 3, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT(get_ok(z, &ctx, 4, 992));	/* C now held in swapcache */
	/*
	 * so the next store hits the limit again: LRU A, D, C (newest
	 * first); C fails on slot 4 and goes to the head, D is written
	 */
	CU_ASSERT_EQUAL(put(z, &ctx, 8, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 3);
	CU_ASSERT_EQUAL(st.pool_total_size, 3 * UT_PAGE);
	CU_ASSERT_EQUAL(st.reject_reclaim_fail, 0);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 6, (u8 [UT_PAGE]){ 0 }), 1);
	/* 3 pages: not under the accept level 3 */
	CU_ASSERT_EQUAL(put(z, &ctx, 9, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.reject_uncounted, 1);
	CU_ASSERT(get_ok(z, &ctx, 0, 992));
	CU_ASSERT(get_ok(z, &ctx, 5, 992));
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)),
			0);
	done(z, &ctx);
}

static void test_same_filled_pages_take_no_pool(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk("zbud", 100, 20, 90, &ctx);
	struct sl_zswap_stats st;
	u8 page[UT_PAGE], got[UT_PAGE];
	u32 comp = 1;

	memset(page, 0, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 1, page, &comp),
			SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(comp, 0);
	memset(page, 0x5a, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 2, page, NULL),
			SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.same_filled_pages, 2);
	CU_ASSERT_EQUAL(st.stored_pages, 2);
	CU_ASSERT_EQUAL(st.pool_total_size, 0);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 2, got), 0);
	CU_ASSERT(!memcmp(page, got, UT_PAGE));
	/* a store over slot 2 drops the old entry first: no duplicate */
	mkpage(page, 100, 2);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 2, page, &comp),
			SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(comp, 100);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.same_filled_pages, 1);
	CU_ASSERT_EQUAL(st.stored_pages, 2);
	CU_ASSERT_EQUAL(st.duplicate_entry, 0);
	CU_ASSERT_EQUAL(st.pool_total_size, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 1), 0);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 1), 1);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.same_filled_pages, 0);
	done(z, &ctx);
}

/* zbud takes 3968 B at most (8 of them the header); zsmalloc PAGE_SIZE */
static void test_reject_reasons_per_allocator(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk("zbud", 100, 20, 90, &ctx);
	struct sl_zswap_stats st;

	CU_ASSERT_EQUAL(put(z, &ctx, 0, 3960), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 3961), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.reject_compress_poor, 1);
	CU_ASSERT_EQUAL(st.stored_pages, 1);
	done(z, &ctx);

	z = mk("zsmalloc:kernel=6.1", 100, 20, 90, &ctx);
	CU_ASSERT_EQUAL(put(z, &ctx, 0, 4096), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 4097), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.reject_alloc_fail, 1);
	CU_ASSERT_EQUAL(st.reject_compress_poor, 0);
	CU_ASSERT(get_ok(z, &ctx, 0, 4096));
	done(z, &ctx);
}

/* zsmalloc in 6.1 is not evictable: every limit hit fails to reclaim */
static void test_zsmalloc_61_cannot_write_back(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk("zsmalloc:kernel=6.1", 100, 1, 90, &ctx);
	struct sl_zswap_stats st;

	/*
	 * the limit is 1 page; zsmalloc's zspage for 2048 + 8 (handle) B
	 * objects spans several pages, so the second store finds it over
	 */
	CU_ASSERT_EQUAL(put(z, &ctx, 0, 2048), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 2048), SL_ZSWAP_REFUSED);
	CU_ASSERT_EQUAL(put(z, &ctx, 2, 2048), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT(st.pool_total_size > UT_PAGE);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.reject_reclaim_fail, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 0);
	CU_ASSERT_EQUAL(st.stored_pages, 1);
	CU_ASSERT_EQUAL(st.swap_writes, 2);
	done(z, &ctx);
}

static void test_bad_configs_are_refused(void)
{
	struct sl_zswap_cfg cfg = {
		.kernel = SL_ZSWAP_K61, .codec = &len_codec,
		.alloc = &sl_alloc_zbud, .nr_slots = 4, .totalram_pages = 100,
		.max_pool_percent = 0, .accept_thr_percent = 90,
	};

	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
	cfg.max_pool_percent = 101;
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
	cfg.max_pool_percent = 20;
	cfg.nr_slots = (1ULL << 32) + 1;	/* offsets are u32 */
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
	cfg.nr_slots = 4;
	cfg.alloc = &sl_alloc_tlsf;
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
	cfg.alloc = &sl_alloc_zsmalloc;
	cfg.kernel = (enum sl_zswap_kernel)99;
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EOPNOTSUPP);
	/* the kernel's rounding: 1000 * 90 / 100 * 7 / 100 = 63 */
	cfg.kernel = SL_ZSWAP_K61;
	cfg.totalram_pages = 1000;
	cfg.max_pool_percent = 7;
	CU_ASSERT_EQUAL(sl_zswap_max_pages(&cfg), 70);
	CU_ASSERT_EQUAL(sl_zswap_accept_pages(&cfg), 63);
	/* 6.1: 150 * 90 / 100 * 3 / 100 = 4; 6.12: (150 * 3 / 100) * 90 / 100 = 3 */
	cfg.totalram_pages = 150;
	cfg.max_pool_percent = 3;
	CU_ASSERT_EQUAL(sl_zswap_max_pages(&cfg), 4);
	CU_ASSERT_EQUAL(sl_zswap_accept_pages(&cfg), 4);
	cfg.kernel = SL_ZSWAP_K612;
	CU_ASSERT_EQUAL(sl_zswap_max_pages(&cfg), 4);
	CU_ASSERT_EQUAL(sl_zswap_accept_pages(&cfg), 3);
}

/*
 * 6.12: a zero page goes to the swap zeromap, not to zswap; other
 * same-filled pages are compressed (here 0x01 bytes: the test codec reads
 * a length of 0x0101 = 257; 0x5a bytes ask for 23130, more than the
 * buffer: the codec fails, reject_compress_fail).
 */
static void test_612_zero_pages_go_to_zeromap(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk_k(SL_ZSWAP_K612, "zbud", 100, 20, 90, &ctx);
	struct sl_zswap_stats st;
	u8 page[UT_PAGE], got[UT_PAGE];
	u32 comp = 1;

	memset(page, 0, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 1, page, &comp),
			SL_ZSWAP_ZEROMAP);
	CU_ASSERT_EQUAL(comp, 0);
	memset(page, 0x01, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 2, page, &comp),
			SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(comp, 257);
	memset(page, 0x5a, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_store(z, &ctx, 3, page, NULL),
			SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 1);
	CU_ASSERT_EQUAL(st.same_filled_pages, 0);
	CU_ASSERT_EQUAL(st.compr_data_size, 257);
	CU_ASSERT_EQUAL(st.pool_total_size, UT_PAGE);
	CU_ASSERT_EQUAL(st.zswpout, 1);
	CU_ASSERT_EQUAL(st.swpout_zero, 1);
	CU_ASSERT_EQUAL(st.reject_compress_fail, 1);
	CU_ASSERT_EQUAL(st.reject_uncounted, 0);
	CU_ASSERT_EQUAL(st.swap_writes, 1);
	memset(got, 0xff, UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 1, got), 2);
	CU_ASSERT(got[0] == 0 && !memcmp(got, got + 1, UT_PAGE - 1));
	/* the page is in memory now: nothing is read again */
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 1, got), 3);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 1), 1);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 1, got), 1);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.swpin_zero, 1);
	CU_ASSERT_EQUAL(st.zswpin, 0);
	CU_ASSERT_EQUAL(st.swap_reads, 1);
	done(z, &ctx);
}

/* 6.12: a load takes the entry out; objects carry no 8-byte header */
static void test_612_loads_are_exclusive(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk_k(SL_ZSWAP_K612, "zbud", 100, 20, 90, &ctx);
	struct sl_zswap_stats st;

	/* 3968 B fit in 6.12's zbud (6.1 refuses over 3960 + 8 header) */
	CU_ASSERT_EQUAL(put(z, &ctx, 5, 3968), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 6, 3969), SL_ZSWAP_REFUSED);
	CU_ASSERT_EQUAL(put(z, &ctx, 0, 992), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 992), SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.reject_compress_poor, 1);
	CU_ASSERT_EQUAL(st.pool_total_size, 2 * UT_PAGE);
	CU_ASSERT(get_ok(z, &ctx, 0, 992));
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 2);
	CU_ASSERT_EQUAL(st.compr_data_size, 3968 + 992);
	CU_ASSERT_EQUAL(st.pool_total_size, 2 * UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, (u8 [UT_PAGE]){ 0 }), 3);
	CU_ASSERT(get_ok(z, &ctx, 1, 992));
	CU_ASSERT(get_ok(z, &ctx, 5, 3968));
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 0);
	CU_ASSERT_EQUAL(st.pool_total_size, 0);
	CU_ASSERT_EQUAL(st.zswpin, 3);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 0), 1);
	/* stored again after the load: a new entry */
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 100), SL_ZSWAP_STORED);
	CU_ASSERT(get_ok(z, &ctx, 1, 100));
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)), 0);
	done(z, &ctx);
}

/*
 * 6.12's limit and shrink worker.  150 pages at 3%: full at >= 4 pages,
 * accepted again at <= 3.  3000-byte objects take a zbud page each.
 */
static void test_612_limit_and_lru_writeback(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk_k(SL_ZSWAP_K612, "zbud", 150, 3, 90, &ctx);
	struct sl_zswap_stats st;
	u32 i;

	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(put(z, &ctx, i, 3000), SL_ZSWAP_STORED);
	/*
	 * 4 >= 4: refused; the worker finds 0..3 referenced (4 failed
	 * tries, each rotated), then writes 0 back: 3 pages, done
	 */
	CU_ASSERT_EQUAL(put(z, &ctx, 4, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 1);
	CU_ASSERT_EQUAL(st.written_back_pages, 1);
	CU_ASSERT_EQUAL(st.zswpwb, 1);
	CU_ASSERT_EQUAL(st.pool_total_size, 3 * UT_PAGE);
	CU_ASSERT_EQUAL(st.swap_writes, 2);
	CU_ASSERT_EQUAL(st.reject_reclaim_fail, 0);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, (u8 [UT_PAGE]){ 0 }), 1);
	/* 3 <= 3: accepted again; 4 pages */
	CU_ASSERT_EQUAL(put(z, &ctx, 5, 3000), SL_ZSWAP_STORED);
	/* full again: 1 lost its bit on the first pass and is written */
	CU_ASSERT_EQUAL(put(z, &ctx, 6, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 1, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT(get_ok(z, &ctx, 2, 3000));
	CU_ASSERT(get_ok(z, &ctx, 5, 3000));
	done(z, &ctx);

	/*
	 * 100 pages at 20%: 20 pages, accept level 18.  The 21st store
	 * finds 20 entries, all referenced: 16 tries fail, nothing is
	 * written.  The 22nd: 16..19 fail (4 more), then 0 and 1 are
	 * written, down to 18 pages.
	 */
	z = mk_k(SL_ZSWAP_K612, "zbud", 100, 20, 90, &ctx);
	for (i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(put(z, &ctx, i, 3000), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 20, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.written_back_pages, 0);
	CU_ASSERT_EQUAL(st.pool_total_size, 20 * UT_PAGE);
	CU_ASSERT_EQUAL(put(z, &ctx, 21, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(st.pool_total_size, 18 * UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 1, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT(get_ok(z, &ctx, 2, 3000));
	CU_ASSERT(get_ok(z, &ctx, 16, 3000));
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)), 0);
	done(z, &ctx);

	/*
	 * exactly 16 entries, all referenced: the 16th failed try ends the
	 * work before a 17th would find entry 0 without its bit
	 */
	z = mk_k(SL_ZSWAP_K612, "zbud", 100, 16, 90, &ctx);
	for (i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(put(z, &ctx, i, 3000), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 16, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.written_back_pages, 0);
	CU_ASSERT_EQUAL(st.pool_total_size, 16 * UT_PAGE);
	/* the next refusal writes 0 and 1: 14 pages, the accept level */
	CU_ASSERT_EQUAL(put(z, &ctx, 17, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(st.pool_total_size, 14 * UT_PAGE);
	done(z, &ctx);

	/*
	 * The worker's cgroup cursor: 100 pages at 31%, 31 pages, accept
	 * level 27; 31 entries, all referenced.  The first run starts a walk
	 * (root, ours): 16 tries rotate 0..15 and it stops on our cgroup.
	 * The second starts there, so its first step ends a pass with no
	 * attempt (a failure): 15 tries rotate 16..30, nothing written.  The
	 * third: the pass end, then 0..3 written, down to 27 pages.
	 */
	z = mk_k(SL_ZSWAP_K612, "zbud", 100, 31, 90, &ctx);
	for (i = 0; i < 31; i++)
		CU_ASSERT_EQUAL(put(z, &ctx, i, 3000), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 31, 3000), SL_ZSWAP_REFUSED);
	CU_ASSERT_EQUAL(put(z, &ctx, 32, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 0);
	CU_ASSERT_EQUAL(put(z, &ctx, 33, 3000), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 3);
	CU_ASSERT_EQUAL(st.written_back_pages, 4);
	CU_ASSERT_EQUAL(st.pool_total_size, 27 * UT_PAGE);
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 3, (u8 [UT_PAGE]){ 0 }), 1);
	CU_ASSERT(get_ok(z, &ctx, 4, 3000));
	done(z, &ctx);
}

/* 6.12's zs_malloc() says -ENOSPC for objects over PAGE_SIZE */
static void test_612_zsmalloc_too_big_is_compress_poor(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap *z = mk_k(SL_ZSWAP_K612, "zsmalloc:kernel=6.12", 100,
				  20, 90, &ctx);
	struct sl_zswap_stats st;

	CU_ASSERT_EQUAL(put(z, &ctx, 0, 4096), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 1, 4097), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.reject_compress_poor, 1);
	CU_ASSERT_EQUAL(st.reject_alloc_fail, 0);
	CU_ASSERT(get_ok(z, &ctx, 0, 4096));
	done(z, &ctx);
}

/*
 * 6.1 with a slot cache of 3 and a synchronous swap device (zram): a
 * freed slot's entry stays until the free that finds 3 slots waiting
 * returns them all; a load frees the slot it read; a store over a held
 * slot reads the old page in first (zswpin) and frees that slot too; a
 * slot on the device (here a refused page) takes a place in the cache as
 * well.  zbud, objects of 992 + 8 bytes: two per page, no limit.
 */
static void test_61_slot_cache_and_sync_swapin(void)
{
	struct sl_zswap_cfg cfg = {
		.kernel = SL_ZSWAP_K61, .codec = &len_codec,
		.alloc = &sl_alloc_zbud, .nr_slots = 64, .totalram_pages = 100,
		.max_pool_percent = 100, .accept_thr_percent = 90,
		.same_filled = true, .slot_cache = 3, .sync_swapin = true,
	};
	struct sl_zswap_ctx ctx;
	struct sl_zswap_stats st;
	struct sl_zswap *z = sl_zswap_create(&cfg);
	u8 page[UT_PAGE];
	u32 i;

	CU_ASSERT_FATAL(!IS_ERR(z));
	CU_ASSERT_FATAL(sl_zswap_ctx_create(z, &ctx) == 0);
	for (i = 0; i < 4; i++)		/* zbud pages A: 0, 1; B: 2, 3 */
		CU_ASSERT_EQUAL(put(z, &ctx, i, 992), SL_ZSWAP_STORED);
	for (i = 0; i < 3; i++)
		sl_zswap_invalidate(z, i);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 4);	/* all three wait */
	CU_ASSERT_EQUAL(st.pool_total_size, 2 * UT_PAGE);
	/* the load frees slot 3: the cache is full, 0..2 go, 3 waits */
	CU_ASSERT(get_ok(z, &ctx, 3, 992));
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.zswpin, 1);
	CU_ASSERT_EQUAL(st.stored_pages, 1);
	CU_ASSERT_EQUAL(st.pool_total_size, 1 * UT_PAGE);	/* B */
	/* the page is in memory now: a second load reads nothing */
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 3, page), 3);
	/* a new page at slot 3 (into B's free buddy), then another over it */
	CU_ASSERT_EQUAL(put(z, &ctx, 3, 992), SL_ZSWAP_STORED);
	CU_ASSERT_EQUAL(put(z, &ctx, 3, 992), SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.zswpin, 2);		/* the write faulted it in */
	CU_ASSERT_EQUAL(st.stored_pages, 3);	/* two wait, one live */
	CU_ASSERT_EQUAL(st.pool_total_size, 2 * UT_PAGE);	/* B, C */
	CU_ASSERT(get_ok(z, &ctx, 3, 992));	/* the live one: third */
	/* 4000 + 8 bytes do not fit zbud: refused, the slot on the device */
	CU_ASSERT_EQUAL(put(z, &ctx, 5, 4000), SL_ZSWAP_REFUSED);
	/* freeing it finds three waiting: all three entries go */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 5), 1);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 0);
	CU_ASSERT_EQUAL(st.pool_total_size, 0);
	CU_ASSERT_EQUAL(st.reject_compress_poor, 1);
	/* never stored: nothing to free, no place taken */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 10), 1);
	sl_zswap_ctx_destroy(z, &ctx);
	sl_zswap_destroy(z);
	/* 6.12 has neither */
	cfg.kernel = SL_ZSWAP_K612;
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
}

/*
 * 6.1, slot cache of 2, synchronous swap device, the limit of
 * test_pool_limit_hit_and_hysteresis (5 pages): the hit writes back slots
 * 0 and 1, whose pages then sit in the swap cache.  A load of slot 0 maps
 * that page (no read, its slot kept).  Freeing it unmaps it, and the
 * zap's free_swap_cache() frees the slot (no pte holds it any more): it
 * takes a place in the cache, as slot 1's (not loaded) does.  So the
 * free of slot 2 finds the cache full of 0 and 1 (no entries), and 2's
 * and 3's entries go only at the free of slot 4: the pages (2 3) (4 5)
 * (6 7) (8 9) (10) lose (2 3).  Had slot 0's free kept its slot, slot
 * 3's free would have returned 1 and 2, and slot 4's nothing.
 */
static void test_61_slot_cache_after_writeback(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap_stats st;
	struct sl_zswap *z = mk_61_cached_over_limit(&ctx);
	u8 page[UT_PAGE];
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.written_back_pages, 2);
	CU_ASSERT_EQUAL(st.stored_pages, 9);
	/* in memory already: no swap read, no zswpin */
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, page), 3);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 0), 1);	/* waits: 0 */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 1), 1);	/* waits: 0, 1 */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 2), 0);	/* 0, 1 go; 2 */
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.swap_reads, 0);
	CU_ASSERT_EQUAL(st.zswpin, 0);
	CU_ASSERT_EQUAL(st.stored_pages, 9);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 3), 0);	/* waits: 2, 3 */
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 9);
	/* still counting (0 1), which the reclaim freed after zswap looked */
	CU_ASSERT_EQUAL(st.pool_total_size, 6 * UT_PAGE);
	/* slot 4 finds the cache full: 2's and 3's entries go, 4 waits */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 4), 0);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 7);
	CU_ASSERT_EQUAL(st.pool_total_size, 4 * UT_PAGE);
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)), 0);
	done(z, &ctx);
}

/*
 * 6.1, slot cache of 2, synchronous swap device, limit 5 pages: the hit
 * writes back slots 0 and 1; a load maps slot 0's written-back page
 * (read-only, its slot kept).  A store to slot 0 then writes to that
 * page, and do_wp_page() frees the slot: it takes a place in the cache,
 * so the free of slot 6 (after slot 5's) finds the cache full and
 * returns slot 0's (nothing) and slot 5's entry.  The store itself finds
 * the stale 6 pages, hits, and writes back slots 2 and 3.
 */
static void test_61_store_over_mapped_writeback(void)
{
	struct sl_zswap_ctx ctx;
	struct sl_zswap_stats st;
	struct sl_zswap *z = mk_61_cached_over_limit(&ctx);
	u8 page[UT_PAGE];
	CU_ASSERT_EQUAL(sl_zswap_load(z, &ctx, 0, page), 3);
	CU_ASSERT_EQUAL(put(z, &ctx, 0, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 4);
	CU_ASSERT_EQUAL(st.zswpin, 0);
	CU_ASSERT_EQUAL(st.stored_pages, 7);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 5), 0);	/* waits: 0, 5 */
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 7);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 6), 0);	/* 0, 5 go; 6 waits */
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.stored_pages, 6);
	CU_ASSERT_EQUAL(sl_alloc_zbud.check(sl_zswap_pool(z)), 0);
	done(z, &ctx);
}

/*
 * 6.1 with an older pool pinned (an earlier compressor's, empty): the
 * limit of test_pool_limit_hit_and_hysteresis (5 pages, accept level 4),
 * but every shrink fails, so nothing is written back and every store
 * that finds 6 pages hits the limit again.  Only frees bring the pool
 * back under the accept level.
 */
static void test_61_older_pool_pinned(void)
{
	struct sl_zswap_cfg cfg = {
		.kernel = SL_ZSWAP_K61, .codec = &len_codec,
		.alloc = &sl_alloc_zbud, .nr_slots = 64, .totalram_pages = 100,
		.max_pool_percent = 5, .accept_thr_percent = 90,
		.same_filled = true, .older_pool_pinned = true,
	};
	struct sl_zswap_ctx ctx;
	struct sl_zswap_stats st;
	struct sl_zswap *z = sl_zswap_create(&cfg);
	u32 i;

	CU_ASSERT_FATAL(!IS_ERR(z));
	CU_ASSERT_FATAL(sl_zswap_ctx_create(z, &ctx) == 0);
	for (i = 0; i < 11; i++)	/* 6 pages: (0 1) (2 3) ... (10) */
		CU_ASSERT_EQUAL(put(z, &ctx, i, 992), SL_ZSWAP_STORED);
	/* 12th and 13th: 6 > 5, a hit each, a failed shrink each */
	CU_ASSERT_EQUAL(put(z, &ctx, 11, 992), SL_ZSWAP_REFUSED);
	CU_ASSERT_EQUAL(put(z, &ctx, 12, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.reject_reclaim_fail, 2);
	CU_ASSERT_EQUAL(st.written_back_pages, 0);
	CU_ASSERT_EQUAL(st.stored_pages, 11);
	CU_ASSERT_EQUAL(st.pool_total_size, 6 * UT_PAGE);
	/* slots 0..3 freed: 4 pages, not over 5 but not under 4 either */
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(sl_zswap_invalidate(z, i), 0);
	CU_ASSERT_EQUAL(put(z, &ctx, 13, 992), SL_ZSWAP_REFUSED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_limit_hit, 2);
	CU_ASSERT_EQUAL(st.reject_uncounted, 1);
	/* slots 4, 5 freed: 3 pages < 4; slot 13 joins slot 10's page */
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 4), 0);
	CU_ASSERT_EQUAL(sl_zswap_invalidate(z, 5), 0);
	CU_ASSERT_EQUAL(put(z, &ctx, 13, 992), SL_ZSWAP_STORED);
	sl_zswap_stats(z, &st);
	CU_ASSERT_EQUAL(st.pool_total_size, 3 * UT_PAGE);
	CU_ASSERT_EQUAL(st.stored_pages, 6);
	CU_ASSERT_EQUAL(st.zswpout, 12);
	CU_ASSERT_EQUAL(st.reject_reclaim_fail, 2);
	CU_ASSERT_EQUAL(st.swap_writes, 3);
	CU_ASSERT(get_ok(z, &ctx, 13, 992));
	sl_zswap_ctx_destroy(z, &ctx);
	sl_zswap_destroy(z);
	/* 6.12 shrinks its own entry LRU: no such setting */
	cfg.kernel = SL_ZSWAP_K612;
	CU_ASSERT_EQUAL(PTR_ERR(sl_zswap_create(&cfg)), -EINVAL);
}

int zswap_ut_register(void)
{
	CU_pSuite s = CU_add_suite("zswap", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_pool_limit_hit_and_hysteresis);
	UT_ADD(s, test_writeback_order_skips_swapcache);
	UT_ADD(s, test_same_filled_pages_take_no_pool);
	UT_ADD(s, test_reject_reasons_per_allocator);
	UT_ADD(s, test_zsmalloc_61_cannot_write_back);
	UT_ADD(s, test_bad_configs_are_refused);
	UT_ADD(s, test_612_zero_pages_go_to_zeromap);
	UT_ADD(s, test_612_loads_are_exclusive);
	UT_ADD(s, test_612_limit_and_lru_writeback);
	UT_ADD(s, test_612_zsmalloc_too_big_is_compress_poor);
	UT_ADD(s, test_61_slot_cache_and_sync_swapin);
	UT_ADD(s, test_61_slot_cache_after_writeback);
	UT_ADD(s, test_61_older_pool_pinned);
	UT_ADD(s, test_61_store_over_mapped_writeback);
	return CU_get_error();
}
