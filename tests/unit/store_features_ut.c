/*
 * store_features_ut.c - dedup, writeback, recompression and idle
 * selection, each with exact expectations.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

#define BD_BLOCKS 64

/* a backing device in memory, with a switch to make writes fail */
struct membd {
	u8 data[BD_BLOCKS][4096];
	bool fail;
	int writes, reads;
};

static int membd_write(void *priv, u64 blk, const void *page)
{
	struct membd *bd = priv;

	if (bd->fail || blk >= BD_BLOCKS)
		return -EIO;
	memcpy(bd->data[blk], page, 4096);
	bd->writes++;
	return 0;
}

static int membd_read(void *priv, u64 blk, void *page)
{
	struct membd *bd = priv;

	if (blk >= BD_BLOCKS)
		return -EIO;
	memcpy(page, bd->data[blk], 4096);
	bd->reads++;
	return 0;
}

static const struct sl_backing_ops membd_ops = {
	.write = membd_write,
	.read = membd_read,
};

static struct sl_store *mk(struct sl_store_cfg *cfg, struct sl_store_ctx *ctx)
{
	struct sl_store *s;

	if (!cfg->codec)
		cfg->codec = sl_codec_find(ut_lz4());
	if (!cfg->alloc)
		cfg->alloc = sl_alloc_find("zsmalloc", &cfg->alloc_opts);
	if (!cfg->nr_slots)
		cfg->nr_slots = 32;
	s = sl_store_create(cfg);
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

static void check_page(struct sl_store *s, struct sl_store_ctx *ctx, u32 i,
		       const void *want)
{
	u8 out[4096];

	CU_ASSERT_EQUAL_FATAL(sl_store_read(s, ctx, i, out, NULL), 0);
	CU_ASSERT_FATAL(memcmp(out, want, 4096) == 0);
}

static void test_page_written_twice_with_dedup_costs_one_object(void)
{
	struct sl_store_cfg cfg = { .dedup = true };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	struct sl_op_info a, b;
	u8 p[4096];

	ut_page_fill(p, "text", 3);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, p, &a), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, p, &b), 0);
	CU_ASSERT_EQUAL(a.flags & SL_OP_DEDUP, 0);
	CU_ASSERT_EQUAL(b.flags & SL_OP_DEDUP, SL_OP_DEDUP);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.pages_stored, 2);
	CU_ASSERT_EQUAL(st.compr_data_size, a.comp_len);
	CU_ASSERT_EQUAL(st.dedup_pages, 1);
	CU_ASSERT_EQUAL(st.dedup_saved_bytes, a.comp_len);
	check_page(s, &ctx, 1, p);
	check_page(s, &ctx, 2, p);
	done(s, &ctx);
}

static void test_freed_shared_page_keeps_the_other_readable(void)
{
	struct sl_store_cfg cfg = { .dedup = true };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	struct sl_op_info w, f;
	u8 p[4096], q[4096];

	ut_page_fill(p, "mixed", 8);
	ut_page_fill(q, "text", 9);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p, &w), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, p, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, p, NULL), 0);
	/* a reference reports the shared object's bytes, freed or not */
	CU_ASSERT_EQUAL(sl_store_free(s, 0, &f), 0);
	CU_ASSERT_EQUAL(f.comp_len, w.comp_len);
	CU_ASSERT_EQUAL(f.flags & SL_OP_DEDUP, SL_OP_DEDUP);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, q, NULL), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.dedup_pages, 0);
	CU_ASSERT_EQUAL(st.dedup_saved_bytes, 0);
	CU_ASSERT_EQUAL(st.pages_stored, 2);
	check_page(s, &ctx, 2, p);
	check_page(s, &ctx, 1, q);
	CU_ASSERT_EQUAL(sl_store_free(s, 2, NULL), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.pages_stored, 1);
	check_page(s, &ctx, 1, q);
	done(s, &ctx);
}

static void test_dedup_off_stores_every_copy(void)
{
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	struct sl_op_info a;
	u8 p[4096];

	ut_page_fill(p, "text", 3);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, p, &a), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, p, NULL), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.compr_data_size, 2 * a.comp_len);
	CU_ASSERT_EQUAL(st.dedup_pages, 0);
	done(s, &ctx);
}

static void test_writeback_huge_round_trips_byte_exact(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	u8 r[4096], t[4096];

	ut_page_fill(r, "random", 1);
	ut_page_fill(t, "text", 2);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, r, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, t, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), 1);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_count, 1);
	CU_ASSERT_EQUAL(st.bd_writes, 1);
	CU_ASSERT_EQUAL(st.huge_pages, 0);
	CU_ASSERT_EQUAL(st.pages_stored, 2);
	CU_ASSERT(st.compr_data_size < 4096);	/* only the text page */
	/* a context that may not sleep is sent to one that may */
	ctx.nosleep = true;
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 0, t, NULL), -EAGAIN);
	ut_page_fill(t, "text", 2);
	check_page(s, &ctx, 1, t);		/* in memory: fine */
	ctx.nosleep = false;
	check_page(s, &ctx, 0, r);
	check_page(s, &ctx, 1, t);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_reads, 1);
	CU_ASSERT_EQUAL(st.failed_reads, 0);
	CU_ASSERT_EQUAL(sl_store_free(s, 0, NULL), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_count, 0);
	done(s, &ctx);
	free(bd);
}

/*
 * zram's writeback_limit: 4 random (huge) pages, a limit of 3 units:
 * three are written, the fourth finds the limit used up and the pass says
 * -EIO; a disabled limit is kept but not charged.
 */
static void test_writeback_limit_stops_with_eio(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	bool on;
	u8 r[4096];
	int i;

	for (i = 0; i < 4; i++) {
		ut_page_fill(r, "random", 60 + i);
		CU_ASSERT_EQUAL(sl_store_write(s, &ctx, i, r, NULL), 0);
	}
	sl_store_set_wb_limit(s, true, 3);
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), -EIO);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_writes, 3);
	CU_ASSERT_EQUAL(st.huge_pages, 1);
	CU_ASSERT_EQUAL(sl_store_wb_limit(s, &on), 0);
	CU_ASSERT(on);
	/* used up: nothing more, even with nothing left to write */
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), -EIO);
	/* disabled: the last page goes, the limit stays as set */
	sl_store_set_wb_limit(s, false, 7);
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), 1);
	CU_ASSERT_EQUAL(sl_store_wb_limit(s, &on), 7);
	CU_ASSERT(!on);
	for (i = 0; i < 4; i++) {
		ut_page_fill(r, "random", 60 + i);
		check_page(s, &ctx, i, r);
	}
	done(s, &ctx);
	free(bd);
}

static void test_writeback_idle_takes_only_old_slots(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	u8 p[4][4096], out[4096];
	int i;

	for (i = 0; i < 4; i++) {
		sl_store_set_now(s, 10 * i);
		ut_page_fill(p[i], "text", 40 + i);
		CU_ASSERT_EQUAL(sl_store_write(s, &ctx, i, p[i], NULL), 0);
	}
	sl_store_set_now(s, 100);
	CU_ASSERT_EQUAL(sl_store_read(s, &ctx, 0, out, NULL), 0);
	/* slots 1 and 2 (written at 10, 20) are idle before 25 */
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_IDLE, 25), 2);
	CU_ASSERT_EQUAL(bd->writes, 2);
	for (i = 0; i < 4; i++)
		check_page(s, &ctx, i, p[i]);
	done(s, &ctx);
	free(bd);
}

static void test_writeback_failure_keeps_page_in_memory(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	u8 r[4096];

	ut_page_fill(r, "random", 5);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 3, r, NULL), 0);
	bd->fail = true;
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), 0);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_count, 0);
	CU_ASSERT_EQUAL(st.huge_pages, 1);
	check_page(s, &ctx, 3, r);
	done(s, &ctx);
	free(bd);
}

static void test_memlimit_with_backing_goes_to_backing(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS,
				    .mem_limit = 2 * 4096,
				    .limit_to_backing = true };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	struct sl_op_info info;
	u8 p[4][4096];
	int i;

	for (i = 0; i < 4; i++) {
		ut_page_fill(p[i], "random", 60 + i);
		CU_ASSERT_EQUAL(sl_store_write(s, &ctx, i, p[i], &info), 0);
		CU_ASSERT_EQUAL(!!(info.flags & SL_OP_WB), i >= 2);
	}
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.failed_writes, 0);
	CU_ASSERT_EQUAL(st.bd_count, 2);
	CU_ASSERT_EQUAL(st.mem_used_total, 2 * 4096);
	for (i = 0; i < 4; i++)
		check_page(s, &ctx, i, p[i]);
	done(s, &ctx);
	free(bd);
}

static void test_writeback_of_shared_pages_with_dedup(void)
{
	struct membd *bd = calloc(1, sizeof(*bd));
	struct sl_store_cfg cfg = { .backing = &membd_ops, .backing_priv = bd,
				    .backing_blocks = BD_BLOCKS,
				    .dedup = true };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);
	struct sl_store_stats st;
	u8 p[4096], q[4096];

	ut_page_fill(p, "text", 21);
	ut_page_fill(q, "mixed", 22);
	sl_store_set_now(s, 1);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, p, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, p, NULL), 0);
	sl_store_set_now(s, 10);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 2, q, NULL), 0);
	/* the two idle slots go, one after the other: the object with them */
	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_IDLE, 5), 2);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.bd_count, 2);
	CU_ASSERT_EQUAL(st.dedup_pages, 0);
	CU_ASSERT_EQUAL(st.pages_stored, 3);
	check_page(s, &ctx, 0, p);
	check_page(s, &ctx, 1, p);
	check_page(s, &ctx, 2, q);
	done(s, &ctx);
	free(bd);
}

static void test_recompression_never_grows_a_page(void)
{
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx;
	struct sl_store *s;
	struct sl_store_stats st0, st;
	static const char *const kinds[] = { "text", "mixed", "random",
					     "text" };
	struct sl_op_info info[16];
	u8 p[16][4096];
	char msg[128];
	int i;

	CU_ASSERT_FATAL(sl_codec_parse(ut_lz4(), &cfg.codec, &cfg.codec_params,
				       msg, sizeof(msg)) == 0);
	CU_ASSERT_FATAL(sl_codec_parse(sl_codec_find("zstd") ? "zstd" : "libzstd",
				       &cfg.recomp[0],
				       &cfg.recomp_params[0], msg,
				       sizeof(msg)) == 0);
	s = mk(&cfg, &ctx);
	for (i = 0; i < 16; i++) {
		ut_page_fill(p[i], kinds[i % 4], 70 + i);
		CU_ASSERT_EQUAL(sl_store_write(s, &ctx, i, p[i], &info[i]), 0);
	}
	sl_store_stats(s, &st0);
	CU_ASSERT(sl_store_recompress(s, &ctx, 0, 0) > 0);
	sl_store_stats(s, &st);
	CU_ASSERT(st.compr_data_size < st0.compr_data_size);
	CU_ASSERT_EQUAL(st0.compr_data_size - st.compr_data_size,
			st.recompress_saved_bytes);
	/* the random pages stay huge and are now known incompressible */
	CU_ASSERT_EQUAL(st.huge_pages, 4);
	CU_ASSERT_EQUAL(st.incompressible_pages, 4);
	for (i = 0; i < 16; i++) {
		struct sl_op_info now;
		u8 out[4096];

		CU_ASSERT_EQUAL(sl_store_read(s, &ctx, i, out, &now), 0);
		CU_ASSERT_FATAL(memcmp(out, p[i], 4096) == 0);
		CU_ASSERT(now.comp_len <= info[i].comp_len);
	}
	/* a second pass finds nothing left to gain */
	CU_ASSERT_EQUAL(sl_store_recompress(s, &ctx, 0, 0), 0);
	done(s, &ctx);
}

static void test_recompression_of_huge_pages_only(void)
{
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx;
	struct sl_store *s;
	struct sl_store_stats st;
	char msg[128];
	u8 t[4096], r[4096];

	/* "none" keeps every page raw: all huge, lz4 then shrinks text */
	CU_ASSERT_FATAL(sl_codec_parse("none", &cfg.codec, &cfg.codec_params,
				       msg, sizeof(msg)) == 0);
	CU_ASSERT_FATAL(sl_codec_parse(ut_lz4(), &cfg.recomp[0],
				       &cfg.recomp_params[0], msg,
				       sizeof(msg)) == 0);
	s = mk(&cfg, &ctx);
	ut_page_fill(t, "text", 1);
	ut_page_fill(r, "random", 2);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 0, t, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_write(s, &ctx, 1, r, NULL), 0);
	CU_ASSERT_EQUAL(sl_store_recompress(s, &ctx, SL_SEL_HUGE, 0), 1);
	sl_store_stats(s, &st);
	CU_ASSERT_EQUAL(st.pages_recompressed, 1);
	CU_ASSERT_EQUAL(st.huge_pages, 1);
	CU_ASSERT_EQUAL(st.incompressible_pages, 1);
	check_page(s, &ctx, 0, t);
	check_page(s, &ctx, 1, r);
	CU_ASSERT_EQUAL(sl_store_recompress(s, &ctx, SL_SEL_HUGE, 0), 0);
	done(s, &ctx);
}

static void test_features_need_their_config(void)
{
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx;
	struct sl_store *s = mk(&cfg, &ctx);

	CU_ASSERT_EQUAL(sl_store_writeback(s, &ctx, SL_SEL_HUGE, 0), -ENODEV);
	CU_ASSERT_EQUAL(sl_store_recompress(s, &ctx, SL_SEL_HUGE, 0), -EINVAL);
	done(s, &ctx);
}

int store_features_ut_register(void)
{
	CU_pSuite s = CU_add_suite("store_features", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_page_written_twice_with_dedup_costs_one_object);
	UT_ADD(s, test_freed_shared_page_keeps_the_other_readable);
	UT_ADD(s, test_dedup_off_stores_every_copy);
	UT_ADD(s, test_writeback_huge_round_trips_byte_exact);
	UT_ADD(s, test_writeback_idle_takes_only_old_slots);
	UT_ADD(s, test_writeback_limit_stops_with_eio);
	UT_ADD(s, test_writeback_failure_keeps_page_in_memory);
	UT_ADD(s, test_memlimit_with_backing_goes_to_backing);
	UT_ADD(s, test_writeback_of_shared_pages_with_dedup);
	UT_ADD(s, test_recompression_never_grows_a_page);
	UT_ADD(s, test_recompression_of_huge_pages_only);
	UT_ADD(s, test_features_need_their_config);
	return CU_get_error();
}
