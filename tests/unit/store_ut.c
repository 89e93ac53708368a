/*
 * store_ut.c - the store's zram semantics: overwrite frees the old object,
 * free releases it, same-filled pages take no allocation, huge pages are
 * kept raw, mem_limit fails the store that would pass it, stats add up.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

static struct sl_store *mk(const char *alloc, u32 slots, u64 limit,
			   struct sl_store_ctx *ctx)
{
	struct sl_store_cfg cfg = { 0 };
	struct sl_store *s;

	cfg.codec = sl_codec_find(ut_lz4());
	cfg.codec_params.level = 1;
	cfg.alloc = sl_alloc_find(alloc, &cfg.alloc_opts);
	cfg.nr_slots = slots;
	cfg.mem_limit = limit;
	s = sl_store_create(&cfg);
	CU_ASSERT_FATAL(!IS_ERR(s));
	CU_ASSERT_FATAL(sl_store_ctx_create(s, ctx) == 0);
	return s;
}

static void done(struct sl_store *s, struct sl_store_ctx *ctx)
{
	sl_store_ctx_destroy(s, ctx);
	sl_store_destroy(s);
	CU_ASSERT_EQUAL(sl_compat_live_pages(), 0);
	CU_ASSERT_EQUAL(sl_compat_live_objs(), 0);
}

static void test_same_filled_page_takes_no_memory(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 8, 0, &ctx);
	struct sl_store_stats st;
	struct sl_op_info info;
	u64 page[512], out[512];
	int i;

	for (i = 0; i < 512; i++)
		page[i] = 0xdeadbeefcafef00dULL;
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, page, &info), 0);
	CU_ASSERT_EQUAL(info.flags, SL_OP_SAME);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.same_pages, 1);
	CU_ASSERT_EQUAL(st.mem_used_total, 0);
	CU_ASSERT_EQUAL(st.compr_data_size, 0);
	CU_ASSERT_EQUAL(st.orig_data_size, 4096);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 3, out, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(page, out, 4096), 0);
	/* one word different at the end: not same-filled */
	page[511] = 0;
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, page, &info), 0);
	CU_ASSERT_EQUAL(info.flags & SL_OP_SAME, 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.same_pages, 0);
	CU_ASSERT(st.mem_used_total > 0);
	done(s, &ctx);
}

static void test_overwrite_frees_old_object(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("ideal", 4, 0, &ctx);
	struct sl_store_stats st;
	struct sl_op_info a, b;
	u8 p1[4096], p2[4096], out[4096];

	ut_page_fill(p1, "text", 1);
	ut_page_fill(p2, "mixed", 2);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p1, &a), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p2, &b), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.pages_stored, 1);
	CU_ASSERT_EQUAL(st.compr_data_size, b.comp_len);
	CU_ASSERT_EQUAL(st.mem_used_total, DIV_ROUND_UP(b.comp_len, 4096) * 4096);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 0, out, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(out, p2, 4096), 0);
	done(s, &ctx);
}

static void test_free_releases_and_reads_zero(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 4, 0, &ctx);
	struct sl_store_stats st;
	struct sl_op_info w, f;
	u8 p[4096], out[4096], zero[4096] = { 0 };

	ut_page_fill(p, "text", 5);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, p, &w), 0);
	/* the free reports what it released, as the read would have */
	CU_ASSERT_EQUAL(sl_store_free(s, 1, &f), 0);
	CU_ASSERT(w.comp_len > 0 && w.comp_len < 4096);
	CU_ASSERT_EQUAL(f.comp_len, w.comp_len);
	CU_ASSERT_EQUAL(f.flags, 0);
	CU_ASSERT_EQUAL(sl_store_free(s, 1, &f), 1);
	CU_ASSERT_EQUAL(f.comp_len, 0);
	CU_ASSERT_EQUAL(f.flags, 0);
	memset(p, 0x5a, sizeof(p));
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, p, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_free(s, 2, &f), 0);
	CU_ASSERT_EQUAL(f.comp_len, 0);
	CU_ASSERT_EQUAL(f.flags, SL_OP_SAME);
	ut_page_fill(p, "random", 6);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, p, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_free(s, 3, &f), 0);
	CU_ASSERT_EQUAL(f.comp_len, 4096);
	CU_ASSERT_EQUAL(f.flags, SL_OP_HUGE);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.pages_stored, 0);
	CU_ASSERT_EQUAL(st.compr_data_size, 0);
	CU_ASSERT_EQUAL(st.mem_used_total, 0);
	CU_ASSERT_EQUAL(st.notify_free, 4);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 1, out, NULL), 1);
	CU_ASSERT_EQUAL(memcmp(out, zero, 4096), 0);
	done(s, &ctx);
}

static void test_incompressible_page_is_stored_huge(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc:kernel=6.1", 4, 0, &ctx);
	struct sl_store_stats st;
	struct sl_op_info info;
	u8 p[4096], out[4096];

	CU_ASSERT_EQUAL(sl_store_huge_threshold(s), 3257);
	ut_page_fill(p, "random", 9);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, p, &info), 0);
	CU_ASSERT_EQUAL(info.flags, SL_OP_HUGE);
	CU_ASSERT_EQUAL(info.comp_len, 4096);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.huge_pages, 1);
	CU_ASSERT_EQUAL(st.huge_pages_since, 1);
	CU_ASSERT_EQUAL(st.compr_data_size, 4096);
	CU_ASSERT_EQUAL(st.mem_used_total, 4096);	/* huge class: 1 page */
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 2, out, &info), 0);
	CU_ASSERT_EQUAL(info.flags, SL_OP_HUGE);
	CU_ASSERT_EQUAL(memcmp(out, p, 4096), 0);
	sl_store_free(s, 2, NULL);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.huge_pages, 0);
	CU_ASSERT_EQUAL(st.huge_pages_since, 1);
	done(s, &ctx);
}

static void test_memlimit_fails_the_store_that_passes_it(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 16, 2 * 4096, &ctx);
	struct sl_store_stats st;
	u8 p[4096], out[4096];
	int i, ok = 0, failed = -1;

	for (i = 0; i < 4; i++) {
		ut_page_fill(p, "random", 100 + i);	/* 1 page each */
		if (sl_store_write(s, &ctx, i, p, NULL) == 0)
			ok++;
		else if (failed < 0)
			failed = i;
	}
	CU_ASSERT_EQUAL(ok, 2);
	CU_ASSERT_EQUAL(failed, 2);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.failed_writes, 2);
	CU_ASSERT_EQUAL(st.mem_used_total, 2 * 4096);
	/* zram counts the page it allocated before giving it back */
	CU_ASSERT_EQUAL(st.mem_used_max, 3 * 4096);
	/* "echo 0 > mem_used_max": the peak restarts from the pool now */
	sl_store_reset_mem_used_max(s);
	CU_ASSERT_EQUAL(sl_store_mem_used_max(s), 2 * 4096);
	ut_page_fill(p, "random", 101);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 1, out, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(out, p, 4096), 0);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 2, out, NULL), 1);
	done(s, &ctx);
}

/* mem_limit changed on a live store, as zram's sysfs file allows */
static void test_memlimit_changes_live(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 16, 0, &ctx);
	struct sl_store_stats st;
	u8 p[4096];
	int i;

	for (i = 0; i < 3; i++) {
		ut_page_fill(p, "random", 200 + i);	/* 1 page each */
		CU_ASSERT_EQUAL(sl_store_write(s, &ctx, i, p, NULL), 0);
	}
	/* below what the pool holds: it keeps it, new stores fail */
	sl_store_set_mem_limit(s, 2 * 4096);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.mem_limit, 2 * 4096);
	CU_ASSERT_EQUAL(st.mem_used_total, 3 * 4096);
	ut_page_fill(p, "random", 203);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, p, NULL), -ENOMEM);
	/* raised: the same store fits */
	sl_store_set_mem_limit(s, 8 * 4096);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, p, NULL), 0);
	/* removed */
	sl_store_set_mem_limit(s, 0);
	ut_page_fill(p, "random", 204);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 4, p, NULL), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.mem_limit, 0);
	CU_ASSERT_EQUAL(st.failed_writes, 1);
	CU_ASSERT_EQUAL(st.mem_used_total, 5 * 4096);
	for (i = 0; i < 5; i++)
		sl_store_free(s, i, NULL);
	done(s, &ctx);
}

static void test_bad_index_is_invalid_io(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 4, 0, &ctx);
	struct sl_store_stats st;
	u8 p[4096] = { 1 };

	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 4, p, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 99, p, NULL), -EINVAL);
	CU_ASSERT_EQUAL(sl_store_free(s, 4, NULL), -EINVAL);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.invalid_io, 3);
	done(s, &ctx);
}

static void test_corrupted_object_fails_read_or_differs(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 4, 0, &ctx);
	struct sl_store_stats st;
	u8 p[4096], out[4096];
	int ret;

	ut_page_fill(p, "text", 77);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_corrupt(s, 0), 0);
	ret = sl_store_read(s, &ctx, 0, out, NULL);
	CU_ASSERT(ret == -EIO || (ret == 0 && memcmp(out, p, 4096)));
	if (ret == -EIO) {
		sl_store_stats(s, &st);
		CU_ASSERT_EQUAL(st.failed_reads, 1);
	}
	CU_ASSERT_EQUAL(sl_store_corrupt(s, 1), -ENOENT);
	done(s, &ctx);
}

static void test_alloc_failure_keeps_old_content(void)
{
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 4, 0, &ctx);
	struct sl_store_stats st;
	u8 p1[4096], p2[4096], out[4096];

	ut_page_fill(p1, "text", 1);
	ut_page_fill(p2, "random", 2);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p1, NULL), 0);
	sl_fault_set_nth(1);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p2, NULL), -ENOMEM);
	sl_fault_off();
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.failed_writes, 1);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 0, out, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(out, p1, 4096), 0);
	done(s, &ctx);
}

static void test_random_ops_keep_stats_consistent(void)
{
	static const char *const kinds[] = { "zero", "text", "random",
					     "mixed" };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk("zsmalloc", 256, 0, &ctx);
	struct sl_store_stats st;
	struct sl_op_info info;
	u64 want[256] = { 0 }, rng = 42, live = 0, same = 0, huge = 0;
	u32 lens[256] = { 0 }, flags[256] = { 0 };
	u8 p[4096], out[4096];
	u64 compr = 0;
	int i;

	for (i = 0; i < 20000; i++) {
		u32 slot = ut_rand(&rng) % 256, op = ut_rand(&rng) % 10;

		if (op < 6) {
			u64 seed = ut_rand(&rng) % 5000 + 1;

			ut_page_fill(p, kinds[seed % 4], seed);
			CU_ASSERT_FATAL(sl_store_write(s, &ctx, slot, p,
						       &info) == 0);
			if (want[slot]) {
				compr -= lens[slot];
				same -= !!(flags[slot] & SL_OP_SAME);
				huge -= !!(flags[slot] & SL_OP_HUGE);
				live--;
			}
			want[slot] = seed;
			lens[slot] = info.flags & SL_OP_SAME ? 0 : info.comp_len;
			flags[slot] = info.flags;
			compr += lens[slot];
			same += !!(info.flags & SL_OP_SAME);
			huge += !!(info.flags & SL_OP_HUGE);
			live++;
		} else if (op < 8) {
			int ret = sl_store_read(s, &ctx, slot, out, NULL);

			if (want[slot]) {
				ut_page_fill(p, kinds[want[slot] % 4],
					     want[slot]);
				CU_ASSERT_FATAL(ret == 0);
				CU_ASSERT_FATAL(!memcmp(out, p, 4096));
			} else {
				CU_ASSERT_FATAL(ret == 1);
			}
		} else {
			sl_store_free(s, slot, NULL);
			if (want[slot]) {
				compr -= lens[slot];
				same -= !!(flags[slot] & SL_OP_SAME);
				huge -= !!(flags[slot] & SL_OP_HUGE);
				live--;
			}
			want[slot] = 0;
		}
		if (i % 97 == 0) {
			sl_store_stats(s, &st);
			CU_ASSERT_FATAL(st.pages_stored == live);
			CU_ASSERT_FATAL(st.compr_data_size == compr);
			CU_ASSERT_FATAL(st.same_pages == same);
			CU_ASSERT_FATAL(st.huge_pages == huge);
			CU_ASSERT_FATAL(st.mem_used_total >= st.compr_data_size);
			CU_ASSERT_FATAL(st.mem_used_max >= st.mem_used_total);
			CU_ASSERT_FATAL(sl_store_mem_used_max(s) == st.mem_used_max);
			CU_ASSERT_FATAL(sl_alloc_zsmalloc.check(sl_store_pool(s)) == 0);
		}
	}
	done(s, &ctx);
}

int store_ut_register(void)
{
	CU_pSuite s = CU_add_suite("store", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_same_filled_page_takes_no_memory);
	UT_ADD(s, test_overwrite_frees_old_object);
	UT_ADD(s, test_free_releases_and_reads_zero);
	UT_ADD(s, test_memlimit_changes_live);
	UT_ADD(s, test_incompressible_page_is_stored_huge);
	UT_ADD(s, test_memlimit_fails_the_store_that_passes_it);
	UT_ADD(s, test_bad_index_is_invalid_io);
	UT_ADD(s, test_corrupted_object_fails_read_or_differs);
	UT_ADD(s, test_alloc_failure_keeps_old_content);
	UT_ADD(s, test_random_ops_keep_stats_consistent);
	return CU_get_error();
}
