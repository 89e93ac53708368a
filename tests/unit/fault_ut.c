/*
 * fault_ut.c - allocation failure at every point of a small replay, on
 * every allocator: the store returns -ENOMEM, counts failed_writes, keeps
 * every other page readable and byte-exact, keeps the allocator's
 * invariants, and gives every page and object back on destroy.
 *
 * The userspace compat layer fails the Nth allocation from now
 * (sl_fault_set_nth) or a seeded share of them (sl_fault_set_random).  For
 * each allocator the run is repeated with N = 1, 2, ... until a run
 * completes without reaching its Nth allocation: every allocation the run
 * makes -- store and context creation, pool growth, allocator metadata --
 * has then failed once.  LeakSanitizer watches the same runs in the ASan
 * build.
 *
 * Each allocator runs in three store setups: plain; with dedup; and with
 * a secondary codec (recompression) and a backing device whose every
 * fifth write fails with -EIO (writeback).  Writeback and
 * recompression may do less under failure; no page may change or vanish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

#define SLOTS		24
#define NOPS		90
#define MAX_POINTS	20000
#define BLOCKS		6

enum setup { PLAIN, DEDUP, FEATURES, NR_SETUPS };
static const char *const setup_name[] = { "plain", "dedup", "features" };

/* the backing device: memory; every fifth write fails */
static u8 bd[BLOCKS][UT_PAGE];
static unsigned int bd_writes;

static int bd_write(void *priv, u64 blk, const void *page)
{
	if (blk >= BLOCKS)
		return -EINVAL;
	if (++bd_writes % 5 == 0)
		return -EIO;
	memcpy(bd[blk], page, UT_PAGE);
	return 0;
}

static int bd_read(void *priv, u64 blk, void *page)
{
	if (blk >= BLOCKS)
		return -EINVAL;
	memcpy(page, bd[blk], UT_PAGE);
	return 0;
}

static const struct sl_backing_ops bd_ops = { bd_write, bd_read };

static const char *const kinds[] = { "text", "mixed", "random", "zero" };
static u8 pages[8][UT_PAGE];

/* the run's operations, fixed for every injection point */
struct op {
	u8 what;	/* 0 write, 1 free, 2 compact, 3 writeback, 4 recompress */
	u8 slot;
	u8 page;
};
static struct op ops[NOPS];

struct result {
	long failed_writes;	/* -ENOMEM returns seen */
	int create_failed;
	char why[160];		/* first broken promise; "" if none */
};

static const struct sl_codec_ops *codec(const char *name)
{
	const struct sl_codec_ops *c = sl_codec_find(name);
	char lib[32];

	if (c)
		return c;
	snprintf(lib, sizeof(lib), "lib%s", name);
	return sl_codec_find(lib);
}

static void setup_ops(void)
{
	uint64_t s = 42;
	int i;

	for (i = 0; i < 8; i++)
		ut_page_fill(pages[i], kinds[i % 4], i + 1);
	/* a huge page and a same-filled one that is not zero */
	memset(pages[7], 0xa5, UT_PAGE);
	for (i = 0; i < NOPS; i++) {
		uint64_t r = ut_rand(&s);

		ops[i].what = r % 20 < 12 ? 0 : r % 20 < 15 ? 1 :
			      r % 20 < 16 ? 2 : r % 20 < 18 ? 3 : 4;
		ops[i].slot = (r >> 8) % SLOTS;
		ops[i].page = (r >> 16) % 8;
	}
}

#define BROKEN(res, ...) do { \
	if (!(res)->why[0]) \
		snprintf((res)->why, sizeof((res)->why), __VA_ARGS__); \
	goto out; } while (0)

/*
 * One run of the op list over @a with faults armed by the caller.
 * Return: in @res what happened and the first broken promise.
 */
static void run(const struct sl_alloc_ops *a, enum setup setup,
		struct result *res)
{
	static u8 out[UT_PAGE];
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx = { 0 };
	struct sl_store_stats st;
	struct sl_store *s;
	int shadow[SLOTS];	/* page number held, -1 empty */
	int i, k, ret, have_ctx = 0;
	long inj, n;

	memset(res, 0, sizeof(*res));
	for (k = 0; k < SLOTS; k++)
		shadow[k] = -1;
	cfg.codec = codec("lz4");
	cfg.codec_params.level = SL_LEVEL_DEFAULT;
	cfg.alloc = a;
	cfg.nr_slots = SLOTS;
	cfg.dedup = setup == DEDUP;
	if (setup == FEATURES) {
		cfg.recomp[0] = codec("zstd");
		cfg.recomp_params[0].level = SL_LEVEL_DEFAULT;
		cfg.backing = &bd_ops;
		cfg.backing_blocks = BLOCKS;
	}
	bd_writes = 0;
	s = sl_store_create(&cfg);
	if (IS_ERR(s)) {
		res->create_failed = 1;
		if (PTR_ERR(s) != -ENOMEM)
			BROKEN(res, "create: %ld, not -ENOMEM", PTR_ERR(s));
		s = NULL;
		goto out;
	}
	ret = sl_store_ctx_create(s, &ctx);
	if (ret) {
		res->create_failed = 1;
		if (ret != -ENOMEM)
			BROKEN(res, "ctx_create: %d, not -ENOMEM", ret);
		goto out;
	}
	have_ctx = 1;
	for (i = 0; i < NOPS; i++) {
		const struct op *o = &ops[i];

		sl_store_set_now(s, i + 1);
		switch (o->what) {
		case 0:
			inj = sl_fault_injected();
			ret = sl_store_write(s, &ctx, o->slot, pages[o->page],
					     NULL);
			if (ret == -ENOMEM) {
				if (sl_fault_injected() == inj)
					BROKEN(res, "op %d: -ENOMEM without a fault",
					       i);
				res->failed_writes++;
			} else if (ret) {
				BROKEN(res, "op %d: write returned %d", i, ret);
			} else {
				shadow[o->slot] = o->page;
			}
			break;
		case 1:
			ret = sl_store_free(s, o->slot, NULL);
			if (ret != (shadow[o->slot] < 0))
				BROKEN(res, "op %d: free returned %d", i, ret);
			shadow[o->slot] = -1;
			break;
		case 2:
			(void)sl_store_compact(s);
			break;
		case 3:
			/* idle slots not touched in the last 3 ops, or huge */
			n = sl_store_writeback(s, &ctx, o->slot & 1 ?
					       SL_SEL_IDLE : SL_SEL_HUGE, i - 2);
			if (setup != FEATURES ? n != -ENODEV :
			    n < 0 && n != -ENOMEM && n != -ENOSPC && n != -EIO)
				BROKEN(res, "op %d: writeback returned %ld", i, n);
			break;
		default:
			n = sl_store_recompress(s, &ctx, o->slot & 1 ?
						SL_SEL_IDLE : SL_SEL_HUGE, i - 2);
			if (setup != FEATURES ? n != -EINVAL :
			    n < 0 && n != -ENOMEM)
				BROKEN(res, "op %d: recompress returned %ld", i, n);
			break;
		}
		if (a->check(sl_store_pool(s)))
			BROKEN(res, "op %d: allocator check failed", i);
		/*
		 * Every slot still reads back exactly what it last took: the
		 * one written or freed now, and all of them after an op that
		 * moves pages and every 16 ops (a read makes a slot recent,
		 * so not after every op: writeback and recompression pick
		 * idle slots).
		 */
		for (k = 0; k < SLOTS; k++) {
			if (o->what < 2 && i % 16 != 15 && k != o->slot)
				continue;
			ret = sl_store_read(s, &ctx, k, out, NULL);
			if (ret != (shadow[k] < 0))
				BROKEN(res, "op %d: read of slot %d returned %d",
				       i, k, ret);
			if (shadow[k] >= 0 &&
			    memcmp(out, pages[shadow[k]], UT_PAGE))
				BROKEN(res, "op %d: slot %d differs", i, k);
		}
	}
	sl_store_stats(s, &st);
	if (st.failed_writes != (u64)res->failed_writes)
		BROKEN(res, "failed_writes %llu, saw %ld",
		       (unsigned long long)st.failed_writes,
		       res->failed_writes);
	for (k = 0, i = 0; k < SLOTS; k++)
		i += shadow[k] >= 0;
	if (st.pages_stored != (u64)i)
		BROKEN(res, "pages_stored %llu, want %d",
		       (unsigned long long)st.pages_stored, i);
	if (st.failed_reads)
		BROKEN(res, "failed_reads %llu",
		       (unsigned long long)st.failed_reads);
out:
	sl_fault_off();
	if (have_ctx)
		sl_store_ctx_destroy(s, &ctx);
	sl_store_destroy(s);
}

/* the balance of live pages and objects must be back where it started */
static int balanced(long pages0, long objs0, struct result *res)
{
	if (sl_compat_live_pages() == pages0 && sl_compat_live_objs() == objs0)
		return 1;
	if (!res->why[0])
		snprintf(res->why, sizeof(res->why),
			 "leak: %ld pages, %ld objects after destroy",
			 sl_compat_live_pages() - pages0,
			 sl_compat_live_objs() - objs0);
	return 0;
}

static void test_every_allocation_failure_is_survived(void)
{
	const struct sl_alloc_ops *const *a;
	struct result res;
	long total = 0;
	int setup;

	CU_ASSERT_FATAL(codec("lz4") != NULL);
	setup_ops();
	for (a = sl_allocators; *a; a++)
	for (setup = 0; setup < NR_SETUPS; setup++) {
		long n, inj, failed = 0, p0 = sl_compat_live_pages();
		long o0 = sl_compat_live_objs(), seen = 0;

		/* the run without faults: the reference */
		run(*a, setup, &res);
		if (res.why[0] || res.failed_writes || !balanced(p0, o0, &res)) {
			fprintf(stderr, "\nfault: %s %s, no fault: %s\n",
				(*a)->name, setup_name[setup], res.why);
			CU_FAIL("the run fails without a fault");
			continue;
		}
		for (n = 1; n <= MAX_POINTS; n++) {
			inj = sl_fault_injected();
			sl_fault_set_nth(n);
			run(*a, setup, &res);
			if (res.why[0] || !balanced(p0, o0, &res)) {
				if (!failed++)
					fprintf(stderr, "\nfault: %s %s, allocation %ld failed: %s\n",
						(*a)->name, setup_name[setup],
						n, res.why);
				continue;
			}
			/* the Nth allocation never came: all points done */
			if (sl_fault_injected() == inj)
				break;
			/* it came: the store said so, or survived it */
			seen += res.create_failed || res.failed_writes;
		}
		CU_ASSERT(n <= MAX_POINTS);
		CU_ASSERT_EQUAL(failed, 0);
		/*
		 * A gate that bites: the injector fired (creation alone
		 * makes several allocations) and some failure came back as
		 * -ENOMEM from create or a write, not only absorbed.
		 */
		if (n - 1 < 3 || !seen) {
			fprintf(stderr, "\nfault: %s %s: %ld injection points, %ld failures seen\n",
				(*a)->name, setup_name[setup], n - 1, seen);
			CU_FAIL("the injector did not fire, or no failure was seen");
		}
		total += n - 1;
		if (getenv("FAULT_VERBOSE"))
			fprintf(stderr, "fault: %s %s: %ld injection points%s\n",
				(*a)->name, setup_name[setup], n - 1,
				failed ? " (some FAILED)" : "");
	}
	if (getenv("FAULT_VERBOSE"))
		fprintf(stderr, "fault: %ld injection points in all\n", total);
}

static void test_random_allocation_failures_are_survived(void)
{
	const struct sl_alloc_ops *const *a;
	struct result res;
	u64 seed;
	int setup;

	setup_ops();
	for (a = sl_allocators; *a; a++)
	for (setup = 0; setup < NR_SETUPS; setup++) {
		long p0 = sl_compat_live_pages(), o0 = sl_compat_live_objs();
		long failed = 0, inj0 = sl_fault_injected(), seen = 0;

		for (seed = 1; seed <= 40; seed++) {
			/* 2% to 20% of allocations fail */
			sl_fault_set_random(20 + seed * 4, seed);
			run(*a, setup, &res);
			seen += res.create_failed || res.failed_writes;
			if (res.why[0] || !balanced(p0, o0, &res)) {
				if (!failed++)
					fprintf(stderr, "\nfault: %s %s, seed %llu: %s\n",
						(*a)->name, setup_name[setup],
						(unsigned long long)seed,
						res.why);
			}
		}
		CU_ASSERT_EQUAL(failed, 0);
		if (sl_fault_injected() == inj0 || !seen) {
			fprintf(stderr, "\nfault: %s %s: %ld faults injected, %ld failures seen\n",
				(*a)->name, setup_name[setup],
				sl_fault_injected() - inj0, seen);
			CU_FAIL("random faults never fired, or were never seen");
		}
	}
}

int fault_ut_register(void)
{
	CU_pSuite s = CU_add_suite("fault", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_every_allocation_failure_is_survived);
	UT_ADD(s, test_random_allocation_failures_are_survived);
	return CU_get_error();
}
