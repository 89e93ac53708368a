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

static const char *const kinds[] = { "text", "mixed", "random", "zero" };
static u8 pages[8][UT_PAGE];

/* the run's operations, fixed for every injection point */
struct op {
	u8 what;	/* 0 write, 1 free, 2 compact */
	u8 slot;
	u8 page;
};
static struct op ops[NOPS];

struct result {
	long failed_writes;	/* -ENOMEM returns seen */
	int create_failed;
	char why[160];		/* first broken promise; "" if none */
};

static const struct sl_codec_ops *codec(void)
{
	const struct sl_codec_ops *c = sl_codec_find("lz4");

	return c ? c : sl_codec_find("liblz4");
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

		ops[i].what = r % 10 < 7 ? 0 : r % 10 < 9 ? 1 : 2;
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
static void run(const struct sl_alloc_ops *a, struct result *res)
{
	static u8 out[UT_PAGE];
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_ctx ctx = { 0 };
	struct sl_store_stats st;
	struct sl_store *s;
	int shadow[SLOTS];	/* page number held, -1 empty */
	int i, k, ret, have_ctx = 0;
	long inj;

	memset(res, 0, sizeof(*res));
	for (k = 0; k < SLOTS; k++)
		shadow[k] = -1;
	cfg.codec = codec();
	cfg.codec_params.level = SL_LEVEL_DEFAULT;
	cfg.alloc = a;
	cfg.nr_slots = SLOTS;
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
			ret = sl_store_free(s, o->slot);
			if (ret != (shadow[o->slot] < 0))
				BROKEN(res, "op %d: free returned %d", i, ret);
			shadow[o->slot] = -1;
			break;
		default:
			(void)sl_store_compact(s);
			break;
		}
		if (a->check(sl_store_pool(s)))
			BROKEN(res, "op %d: allocator check failed", i);
		/* every slot still reads back exactly what it last took */
		for (k = 0; k < SLOTS; k++) {
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

	CU_ASSERT_FATAL(codec() != NULL);
	setup_ops();
	for (a = sl_allocators; *a; a++) {
		long n, inj, failed = 0, p0 = sl_compat_live_pages();
		long o0 = sl_compat_live_objs();

		/* the run without faults: the reference */
		run(*a, &res);
		if (res.why[0] || res.failed_writes || !balanced(p0, o0, &res)) {
			fprintf(stderr, "\nfault: %s, no fault: %s\n",
				(*a)->name, res.why);
			CU_FAIL("the run fails without a fault");
			continue;
		}
		for (n = 1; n <= MAX_POINTS; n++) {
			inj = sl_fault_injected();
			sl_fault_set_nth(n);
			run(*a, &res);
			if (res.why[0] || !balanced(p0, o0, &res)) {
				if (!failed++)
					fprintf(stderr, "\nfault: %s, allocation %ld failed: %s\n",
						(*a)->name, n, res.why);
				continue;
			}
			/* the Nth allocation never came: all points done */
			if (sl_fault_injected() == inj)
				break;
		}
		CU_ASSERT(n <= MAX_POINTS);
		CU_ASSERT_EQUAL(failed, 0);
		total += n - 1;
		if (getenv("FAULT_VERBOSE"))
			fprintf(stderr, "fault: %s: %ld injection points\n",
				(*a)->name, n - 1);
	}
	if (getenv("FAULT_VERBOSE"))
		fprintf(stderr, "fault: %ld injection points in all\n", total);
}

static void test_random_allocation_failures_are_survived(void)
{
	const struct sl_alloc_ops *const *a;
	struct result res;
	u64 seed;

	setup_ops();
	for (a = sl_allocators; *a; a++) {
		long p0 = sl_compat_live_pages(), o0 = sl_compat_live_objs();
		long failed = 0;

		for (seed = 1; seed <= 40; seed++) {
			/* 2% to 20% of allocations fail */
			sl_fault_set_random(20 + seed * 4, seed);
			run(*a, &res);
			if (res.why[0] || !balanced(p0, o0, &res)) {
				if (!failed++)
					fprintf(stderr, "\nfault: %s, seed %llu: %s\n",
						(*a)->name,
						(unsigned long long)seed,
						res.why);
			}
		}
		CU_ASSERT_EQUAL(failed, 0);
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
