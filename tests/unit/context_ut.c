/*
 * context_ut.c - the Context: contracts of sl_store.h and sl_alloc.h,
 * where they can be checked: nothing that may sleep runs under one of
 * core/'s spinlocks.  The userspace compat layer counts every
 * might_sleep() made while the thread holds a spinlock or a slot bit lock
 * (sl_compat_sleep_violations()), as CONFIG_DEBUG_ATOMIC_SLEEP would warn
 * in the kernel.  A store is driven through every path that sleeps
 * (creation, leaf allocation, writeback, reads from the backing device)
 * and every path that runs allocator ops under the pool lock, on every
 * allocator: the count must not move.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

#define SLOTS		(3 * 4096 + 7)	/* four slot leaves */
#define BLOCKS		64

static u8 bd[BLOCKS][UT_PAGE];

static int bd_write(void *priv, u64 blk, const void *page)
{
	might_sleep();	/* block I/O sleeps */
	memcpy(bd[blk], page, UT_PAGE);
	return 0;
}

static int bd_read(void *priv, u64 blk, void *page)
{
	might_sleep();
	memcpy(page, bd[blk], UT_PAGE);
	return 0;
}

static const struct sl_backing_ops bd_ops = { bd_write, bd_read };

/* the check itself catches a sleep under a lock, and only then */
static void test_might_sleep_under_a_lock_is_caught(void)
{
	long v = sl_compat_sleep_violations();
	unsigned long word = 0;
	spinlock_t l;

	spin_lock_init(&l);
	might_sleep();
	CU_ASSERT_EQUAL(sl_compat_sleep_violations(), v);
	spin_lock(&l);
	might_sleep();
	spin_unlock(&l);
	CU_ASSERT_EQUAL(sl_compat_sleep_violations(), v + 1);
	sl_bit_lock(3, &word);
	might_sleep();
	sl_bit_unlock(3, &word);
	CU_ASSERT_EQUAL(sl_compat_sleep_violations(), v + 2);
	might_sleep();
	CU_ASSERT_EQUAL(sl_compat_sleep_violations(), v + 2);
}

/*
 * rwlock_t (the store's move lock): readers share it, a writer waits for
 * them, and a waiting writer keeps new readers out, so readers that keep
 * coming cannot starve compaction.  Each "cannot" is watched for 30 ms.
 */
static rwlock_t rw;
static int rw_stage;

static void *rw_writer(void *arg)
{
	write_lock(&rw);
	__atomic_store_n(&rw_stage, 1, __ATOMIC_SEQ_CST);
	usleep(30000);
	__atomic_store_n(&rw_stage, 2, __ATOMIC_SEQ_CST);
	write_unlock(&rw);
	return NULL;
}

static void *rw_reader(void *arg)
{
	read_lock(&rw);
	/* a reader gets in only after the writer is done */
	*(int *)arg = __atomic_load_n(&rw_stage, __ATOMIC_SEQ_CST);
	read_unlock(&rw);
	return NULL;
}

static void test_rwlock_readers_share_a_writer_waits(void)
{
	long v = sl_compat_sleep_violations();
	pthread_t w, r;
	int seen = -1;

	rwlock_init(&rw);
	rw_stage = 0;
	read_lock(&rw);
	read_lock(&rw);		/* a second reader gets in at once */
	might_sleep();
	CU_ASSERT_EQUAL(sl_compat_sleep_violations(), v + 1);
	CU_ASSERT_FATAL(!pthread_create(&w, NULL, rw_writer, NULL));
	usleep(30000);
	CU_ASSERT_EQUAL(__atomic_load_n(&rw_stage, __ATOMIC_SEQ_CST), 0);
	/* the writer is waiting: a new reader must wait for it */
	CU_ASSERT_FATAL(!pthread_create(&r, NULL, rw_reader, &seen));
	usleep(30000);
	CU_ASSERT_EQUAL(__atomic_load_n(&seen, __ATOMIC_SEQ_CST), -1);
	read_unlock(&rw);
	usleep(30000);
	CU_ASSERT_EQUAL(__atomic_load_n(&rw_stage, __ATOMIC_SEQ_CST), 0);
	read_unlock(&rw);	/* the last reader out lets the writer in */
	pthread_join(w, NULL);
	pthread_join(r, NULL);
	CU_ASSERT_EQUAL(rw_stage, 2);
	CU_ASSERT_EQUAL(seen, 2);
	CU_ASSERT_EQUAL(rw.v, 0);
}

static void test_no_allocator_op_sleeps_under_the_lock(void)
{
	const struct sl_alloc_ops *const *a;
	const struct sl_codec_ops *lz4 = sl_codec_find(ut_lz4());
	static u8 pg[UT_PAGE], out[UT_PAGE];
	static const char *const kinds[] = { "text", "random", "zero", "text" };
	long v0 = sl_compat_sleep_violations();

	CU_ASSERT_FATAL(lz4 != NULL);
	for (a = sl_allocators; *a; a++) {
		struct sl_store_cfg cfg = { 0 };
		struct sl_store_ctx ctx;
		struct sl_store *s;
		u32 i, slot;

		cfg.codec = lz4;
		cfg.codec_params.level = SL_LEVEL_DEFAULT;
		cfg.alloc = *a;
		cfg.nr_slots = SLOTS;
		cfg.dedup = true;
		cfg.recomp[0] = sl_codec_find("libzstd");
		cfg.recomp_params[0].level = SL_LEVEL_DEFAULT;
		cfg.backing = &bd_ops;
		cfg.backing_blocks = BLOCKS;
		cfg.limit_to_backing = true;
		cfg.mem_limit = 24 * UT_PAGE;	/* the rest goes to backing */
		s = sl_store_create(&cfg);
		CU_ASSERT_FATAL(!IS_ERR(s));
		CU_ASSERT_FATAL(!sl_store_ctx_create(s, &ctx));
		for (i = 0; i < 200; i++) {
			slot = (i * 2654435761u) % SLOTS;
			ut_page_fill(pg, kinds[i % 4], i % 50);
			sl_store_set_now(s, i);
			sl_store_write(s, &ctx, slot, pg, NULL);
			if (i % 3 == 0)
				sl_store_read(s, &ctx, slot, out, NULL);
			if (i % 7 == 0)
				sl_store_free(s, (slot + 1) % SLOTS, NULL);
			if (i % 50 == 49) {
				sl_store_compact(s);
				sl_store_writeback(s, &ctx, SL_SEL_IDLE, i - 20);
				sl_store_recompress(s, &ctx, SL_SEL_IDLE, i - 10);
			}
		}
		for (i = 0; i < SLOTS; i += 97)
			sl_store_read(s, &ctx, i, out, NULL);
		sl_store_ctx_destroy(s, &ctx);
		sl_store_destroy(s);
		if (sl_compat_sleep_violations() != v0) {
			fprintf(stderr, "\ncontext: %s: %ld sleeps under a lock\n",
				(*a)->name, sl_compat_sleep_violations() - v0);
			CU_FAIL("something that may sleep ran under a spinlock");
			v0 = sl_compat_sleep_violations();
		}
	}
}

int context_ut_register(void)
{
	CU_pSuite s = CU_add_suite("context", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_might_sleep_under_a_lock_is_caught);
	UT_ADD(s, test_rwlock_readers_share_a_writer_waits);
	UT_ADD(s, test_no_allocator_op_sleeps_under_the_lock);
	return CU_get_error();
}
