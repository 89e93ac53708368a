/*
 * alloc_contract_ut.c - claims every registered allocator must meet, run
 * over sl_allocators[] so a new allocator is covered once registered:
 * long random alloc/free runs with check() after every step and every
 * live object's bytes verified, the full size range, compaction keeping
 * objects readable, and clean failure without leaks under fault injection.
 */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "core/sl_alloc.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

struct obj {
	unsigned long handle;
	size_t size;
	uint64_t seed;
};

/* bytes derived from (seed, offset): a moved or overwritten byte shows */
static void fill(void *p, size_t size, uint64_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (uint8_t)((seed >> (i & 31)) ^ (seed * 31) ^ i);
}

static int same(const void *p, size_t size, uint64_t seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != (uint8_t)((seed >> (i & 31)) ^ (seed * 31) ^ i))
			return 0;
	return 1;
}

/*
 * sizes skewed to what a page compresses to: mostly 200..1600 B (mean
 * compressed page 694 B in the zsmalloc 2013 figures), some tiny ones,
 * some poorly compressed and a few huge ones up to PAGE_SIZE
 */
static size_t rand_size(uint64_t *rng)
{
	uint64_t r = ut_rand(rng) % 100;

	if (r < 10)
		return 1 + ut_rand(rng) % 200;
	if (r < 75)
		return 200 + (ut_rand(rng) % 700 + ut_rand(rng) % 700);
	if (r < 95)
		return 1600 + ut_rand(rng) % 2000;
	return 3600 + ut_rand(rng) % (UT_PAGE - 3600 + 1);
}

static int put(const struct sl_alloc_ops *a, void *pool, struct obj *o,
	       size_t size, uint64_t seed)
{
	int ret = a->malloc(pool, size, &o->handle);

	if (ret)
		return ret;
	o->size = size;
	o->seed = seed;
	fill(a->map(pool, o->handle, SL_MAP_WO), size, seed);
	a->unmap(pool, o->handle);
	return 0;
}

static int readable(const struct sl_alloc_ops *a, void *pool,
		    const struct obj *o)
{
	int ok = same(a->map(pool, o->handle, SL_MAP_RO), o->size, o->seed);

	a->unmap(pool, o->handle);
	return ok;
}

static int all_readable(const struct sl_alloc_ops *a, void *pool,
			const struct obj *objs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!readable(a, pool, &objs[i]))
			return 0;
	return 1;
}

static u64 live_bytes(const struct obj *objs, size_t n)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += objs[i].size;
	return sum;
}

/* stats agree with what the test holds, and pages with total_pages() */
static int stats_agree(const struct sl_alloc_ops *a, void *pool,
		       const struct obj *objs, size_t n)
{
	struct sl_alloc_stats st;

	a->stats(pool, &st);
	return st.objs == n && st.obj_bytes == live_bytes(objs, n) &&
	       st.pages == a->total_pages(pool) && st.max_size >= UT_PAGE &&
	       (a == &sl_alloc_ideal ||
		(long)st.pages <= sl_compat_live_pages());
}

#define RAND_OPS	20000
#define RAND_MAX_LIVE	1500

static void random_run(const struct sl_alloc_ops *a, const char *opts,
		       uint64_t seed)
{
	struct obj *objs = calloc(RAND_MAX_LIVE, sizeof(*objs));
	long pages0 = sl_compat_live_pages(), objs0 = sl_compat_live_objs();
	uint64_t rng = seed;
	void *pool = NULL;
	size_t n = 0;
	int op, bad = 0;

	CU_ASSERT_FATAL(objs != NULL);
	CU_ASSERT_FATAL(a->create(opts, &pool) == 0);
	for (op = 0; op < RAND_OPS && !bad; op++) {
		/* grow, churn, then drain: frees must empty whole pages */
		int grow = op < RAND_OPS / 3 ? 70 : op < 2 * RAND_OPS / 3 ?
			   50 : 25;

		if (n < RAND_MAX_LIVE && (n == 0 ||
					  (int)(ut_rand(&rng) % 100) < grow)) {
			if (put(a, pool, &objs[n], rand_size(&rng), rng)) {
				bad = 1;
				break;
			}
			if (!readable(a, pool, &objs[n]) ||
			    objs[n].handle == 0)
				bad = 2;
			n++;
		} else {
			size_t i = ut_rand(&rng) % n;

			if (!readable(a, pool, &objs[i]))
				bad = 3;
			a->free(pool, objs[i].handle);
			objs[i] = objs[--n];
		}
		if (a->check(pool))
			bad = 4;
		if (op % 200 == 199 &&
		    (!all_readable(a, pool, objs, n) ||
		     !stats_agree(a, pool, objs, n)))
			bad = 5;
	}
	if (bad)
		fprintf(stderr, "\n%s%s%s: failure %d at op %d\n", a->name,
			opts ? ":" : "", opts ? opts : "", bad, op);
	CU_ASSERT(bad == 0);
	CU_ASSERT(all_readable(a, pool, objs, n));
	CU_ASSERT(stats_agree(a, pool, objs, n));
	while (n) {
		a->free(pool, objs[--n].handle);
		if (n % 64 == 0)
			CU_ASSERT(a->check(pool) == 0);
	}
	CU_ASSERT(a->total_pages(pool) == 0);
	a->destroy(pool);
	CU_ASSERT(sl_compat_live_pages() == pages0);
	CU_ASSERT(sl_compat_live_objs() == objs0);
	free(objs);
}

static void test_random_alloc_free_keeps_invariants_and_bytes(void)
{
	const struct sl_alloc_ops *const *a;

	for (a = sl_allocators; *a; a++)
		random_run(*a, NULL, 0x5eed0000 + (a - sl_allocators));
}

static void test_random_run_on_variants(void)
{
	random_run(&sl_alloc_zsmalloc, "kernel=6.1", 11);
	random_run(&sl_alloc_zsmalloc, "chain=4", 12);
	random_run(&sl_alloc_zsmalloc, "chain=16", 13);
	random_run(&sl_alloc_z3fold, "chunk=16", 14);
}

/*
 * Map modes: an RW map sees the object and keeps a one-byte change; an
 * RO map of an object bounced through a buffer writes nothing back, so a
 * reader cannot corrupt it.  Bounced objects are those mapped at one
 * shared address; zsmalloc and zblock must have some at these sizes.
 */
static void test_map_modes(void)
{
	const struct sl_alloc_ops *const *a;
	enum { N = 24 };

	for (a = sl_allocators; *a; a++) {
		struct obj o[N];
		uint8_t *p[N], *bounce = NULL, *q;
		int i, j, bounced = 0, bad = 0;
		void *pool;

		CU_ASSERT_FATAL((*a)->create(NULL, &pool) == 0);
		for (i = 0; i < N; i++)
			CU_ASSERT_FATAL(put(*a, pool, &o[i], 1500 + i % 2 * 600,
					    i + 1) == 0);
		for (i = 0; i < N; i++) {
			p[i] = (*a)->map(pool, o[i].handle, SL_MAP_RO);
			(*a)->unmap(pool, o[i].handle);
			for (j = 0; j < i; j++)
				if (p[j] == p[i])
					bounce = p[i];
		}
		for (i = 0; i < N; i++) {
			q = (*a)->map(pool, o[i].handle, SL_MAP_RW);
			bad |= !same(q, o[i].size, o[i].seed);
			q[o[i].size / 2] ^= 0x81;
			(*a)->unmap(pool, o[i].handle);
			q = (*a)->map(pool, o[i].handle, SL_MAP_RO);
			bad |= same(q, o[i].size, o[i].seed);	/* kept */
			if (q == bounce) {
				memset(q, 0xee, o[i].size);
				bounced++;
			}
			(*a)->unmap(pool, o[i].handle);
			q = (*a)->map(pool, o[i].handle, SL_MAP_RW);
			q[o[i].size / 2] ^= 0x81;
			(*a)->unmap(pool, o[i].handle);
		}
		bad |= !all_readable(*a, pool, o, N);
		CU_ASSERT(!bad);
		if (!strcmp((*a)->name, "zsmalloc") ||
		    !strcmp((*a)->name, "zblock"))
			CU_ASSERT(bounced > 0);
		for (i = 0; i < N; i++)
			(*a)->free(pool, o[i].handle);
		(*a)->destroy(pool);
	}
}

/*
 * read() and write(), where an allocator has them, move the same bytes as
 * map(): written by one, read back by the other, for objects at every
 * offset in their pages (straddling ones included), neighbours intact.
 */
static void test_read_write_match_map(void)
{
	const struct sl_alloc_ops *const *a;
	enum { N = 40 };
	int tested = 0;

	for (a = sl_allocators; *a; a++) {
		static uint8_t buf[UT_PAGE];
		struct obj o[N];
		void *pool;
		int i, bad = 0;

		if (!(*a)->read || !(*a)->write)
			continue;
		tested++;
		CU_ASSERT_FATAL((*a)->create(NULL, &pool) == 0);
		for (i = 0; i < N; i++) {
			o[i].size = 300 + i % 4 * 1100 + i;
			o[i].seed = 1000 + i;
			CU_ASSERT_FATAL((*a)->malloc(pool, o[i].size,
						     &o[i].handle) == 0);
			fill(buf, o[i].size, o[i].seed);
			if (i & 1)
				(*a)->write(pool, o[i].handle, buf);
			else
				fill((*a)->map(pool, o[i].handle, SL_MAP_WO),
				     o[i].size, o[i].seed);
			if (!(i & 1))
				(*a)->unmap(pool, o[i].handle);
		}
		for (i = 0; i < N; i++) {
			memset(buf, 0, sizeof(buf));
			(*a)->read(pool, o[i].handle, buf);
			bad |= !same(buf, o[i].size, o[i].seed);
			bad |= buf[o[i].size] != 0;	/* nothing past it */
		}
		bad |= !all_readable(*a, pool, o, N);
		CU_ASSERT(!bad);
		CU_ASSERT((*a)->check(pool) == 0);
		for (i = 0; i < N; i++)
			(*a)->free(pool, o[i].handle);
		(*a)->destroy(pool);
	}
	CU_ASSERT(tested >= 2);		/* zsmalloc and zblock */
}

/*
 * peek() gives the object's own bytes where they lie in one page, NULL
 * where they straddle two (the store then copies with read()), and the
 * pointer follows the object when compaction moves it.  Sizes step by
 * 700 B: in zsmalloc's classes some objects of each size straddle.
 */
static void test_peek_is_in_place_or_null(void)
{
	const struct sl_alloc_ops *const *a;
	enum { N = 60 };
	int tested = 0;

	for (a = sl_allocators; *a; a++) {
		struct obj o[N];
		const uint8_t *p;
		void *pool;
		int i, bad = 0, direct = 0, straddle = 0;

		if (!(*a)->peek)
			continue;
		tested++;
		CU_ASSERT_FATAL((*a)->create(NULL, &pool) == 0);
		for (i = 0; i < N; i++) {
			o[i].size = 100 + i % 5 * 700 + i;
			o[i].seed = 2000 + i;
			CU_ASSERT_FATAL((*a)->malloc(pool, o[i].size,
						     &o[i].handle) == 0);
			fill((*a)->map(pool, o[i].handle, SL_MAP_WO),
			     o[i].size, o[i].seed);
			(*a)->unmap(pool, o[i].handle);
		}
		/* every other object freed: compaction has work to do */
		for (i = 0; i < N; i += 2)
			(*a)->free(pool, o[i].handle);
		for (int pass = 0; pass < 2; pass++) {
			for (i = 1; i < N; i += 2) {
				p = (*a)->peek(pool, o[i].handle);
				if (!p) {
					straddle++;
					continue;
				}
				direct++;
				bad |= !same(p, o[i].size, o[i].seed);
				/* in place: the map of a one-page object */
				bad |= p != (*a)->map(pool, o[i].handle,
						      SL_MAP_RO);
				(*a)->unmap(pool, o[i].handle);
			}
			if (!pass && (*a)->compact)
				(*a)->compact(pool);
		}
		CU_ASSERT(!bad);
		CU_ASSERT(direct > 0);
		CU_ASSERT(straddle > 0);
		CU_ASSERT((*a)->check(pool) == 0);
		for (i = 1; i < N; i += 2)
			(*a)->free(pool, o[i].handle);
		(*a)->destroy(pool);
	}
	CU_ASSERT(tested >= 1);		/* zsmalloc */
}

/* every size 1..PAGE_SIZE is accepted and keeps its bytes */
static void test_every_size_round_trips(void)
{
	const struct sl_alloc_ops *const *a;
	struct obj o;
	size_t size;

	for (a = sl_allocators; *a; a++) {
		void *pool;
		int bad = 0;

		CU_ASSERT_FATAL((*a)->create(NULL, &pool) == 0);
		for (size = 1; size <= UT_PAGE && !bad; size++) {
			if (put(*a, pool, &o, size, size * 7919) ||
			    !readable(*a, pool, &o) || (*a)->check(pool))
				bad = 1;
			else
				(*a)->free(pool, o.handle);
		}
		CU_ASSERT(!bad);
		CU_ASSERT((*a)->malloc(pool, 0, &o.handle) == -EINVAL);
		CU_ASSERT((*a)->malloc(pool, UT_PAGE + 1, &o.handle) ==
			  -EINVAL);
		CU_ASSERT((*a)->total_pages(pool) == 0);
		CU_ASSERT((*a)->huge_size(pool) > 0 &&
			  (*a)->huge_size(pool) <= UT_PAGE + 1);
		(*a)->destroy(pool);
	}
}

static void test_unknown_option_is_einval(void)
{
	const struct sl_alloc_ops *const *a;
	void *pool = NULL;

	for (a = sl_allocators; *a; a++) {
		CU_ASSERT((*a)->create("nosuchkey=1", &pool) == -EINVAL);
		CU_ASSERT((*a)->create("garbage", &pool) == -EINVAL);
	}
	(*sl_allocators)->destroy(NULL);
}

/* destroy with live objects returns every page and object */
static void test_destroy_frees_live_objects(void)
{
	const struct sl_alloc_ops *const *a;
	long pages0 = sl_compat_live_pages(), objs0 = sl_compat_live_objs();

	for (a = sl_allocators; *a; a++) {
		uint64_t rng = 3;
		struct obj o;
		void *pool;
		int i;

		CU_ASSERT_FATAL((*a)->create(NULL, &pool) == 0);
		for (i = 0; i < 300; i++)
			CU_ASSERT(put(*a, pool, &o, rand_size(&rng), i) == 0);
		(*a)->destroy(pool);
		CU_ASSERT(sl_compat_live_pages() == pages0);
		CU_ASSERT(sl_compat_live_objs() == objs0);
	}
}

/*
 * compaction (where there is one) frees pages, returns their number,
 * adds it to pages_compacted and moves no byte of any live object
 */
static void compact_run(const struct sl_alloc_ops *a, const char *opts)
{
	struct obj *objs = calloc(4000, sizeof(*objs));
	struct sl_alloc_stats st;
	unsigned long before, freed;
	uint64_t rng = 77;
	size_t i, n = 0;
	void *pool;

	CU_ASSERT_FATAL(a->create(opts, &pool) == 0);
	for (i = 0; i < 4000; i++)
		CU_ASSERT_FATAL(put(a, pool, &objs[i], rand_size(&rng),
				    i) == 0);
	/* free two in three, leaving holes in most zspages */
	for (i = 0; i < 4000; i++) {
		if (ut_rand(&rng) % 3)
			a->free(pool, objs[i].handle);
		else
			objs[n++] = objs[i];
	}
	before = a->total_pages(pool);
	freed = a->compact(pool);
	CU_ASSERT(freed > 0);
	CU_ASSERT(a->total_pages(pool) == before - freed);
	CU_ASSERT(a->check(pool) == 0);
	CU_ASSERT(all_readable(a, pool, objs, n));
	CU_ASSERT(stats_agree(a, pool, objs, n));
	a->stats(pool, &st);
	CU_ASSERT(st.pages_compacted == freed);
	/* a second pass finds nothing more to move */
	CU_ASSERT(a->compact(pool) == 0);
	for (i = 0; i < n; i++)
		a->free(pool, objs[i].handle);
	CU_ASSERT(a->total_pages(pool) == 0);
	a->destroy(pool);
	free(objs);
}

static void test_compaction_frees_pages_and_keeps_objects(void)
{
	const struct sl_alloc_ops *const *a;

	for (a = sl_allocators; *a; a++)
		if ((*a)->compact)
			compact_run(*a, NULL);
	compact_run(&sl_alloc_zsmalloc, "kernel=6.1");
	compact_run(&sl_alloc_zsmalloc, "chain=16");
}

/*
 * make the nth page or object allocation fail, for every n up to a
 * whole run: malloc returns -ENOMEM, the pool stays consistent and
 * usable, and destroy gives everything back
 */
static void test_alloc_failure_is_clean_and_leak_free(void)
{
	const struct sl_alloc_ops *const *a;
	long pages0 = sl_compat_live_pages(), objs0 = sl_compat_live_objs();

	for (a = sl_allocators; *a; a++) {
		long nth;

		for (nth = 1; nth <= 60; nth++) {
			struct obj objs[40];
			uint64_t rng = 99;
			void *pool = NULL;
			int i, n = 0, ret = 0, failed = 0;

			sl_fault_set_nth(nth);
			ret = (*a)->create(NULL, &pool);
			if (ret) {
				sl_fault_off();
				CU_ASSERT(ret == -ENOMEM);
				continue;
			}
			for (i = 0; i < 40; i++) {
				ret = put(*a, pool, &objs[n], rand_size(&rng),
					  i);
				if (ret) {
					CU_ASSERT(ret == -ENOMEM);
					failed = 1;
				} else {
					n++;
				}
				if (i % 3 == 2 && n)
					(*a)->free(pool, objs[--n].handle);
			}
			sl_fault_off();
			CU_ASSERT((*a)->check(pool) == 0);
			CU_ASSERT(all_readable(*a, pool, objs, n));
			CU_ASSERT(stats_agree(*a, pool, objs, n));
			/* still usable after the failure */
			CU_ASSERT(put(*a, pool, &objs[n], 1000, 5) == 0);
			n++;
			(void)failed;
			while (n)
				(*a)->free(pool, objs[--n].handle);
			(*a)->destroy(pool);
			CU_ASSERT(sl_compat_live_pages() == pages0);
			CU_ASSERT(sl_compat_live_objs() == objs0);
		}
	}
}

int alloc_contract_ut_register(void);
int alloc_contract_ut_register(void)
{
	CU_pSuite s = CU_add_suite("alloc_contract", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_random_alloc_free_keeps_invariants_and_bytes);
	UT_ADD(s, test_random_run_on_variants);
	UT_ADD(s, test_every_size_round_trips);
	UT_ADD(s, test_map_modes);
	UT_ADD(s, test_read_write_match_map);
	UT_ADD(s, test_peek_is_in_place_or_null);
	UT_ADD(s, test_unknown_option_is_einval);
	UT_ADD(s, test_destroy_frees_live_objects);
	UT_ADD(s, test_compaction_frees_pages_and_keeps_objects);
	UT_ADD(s, test_alloc_failure_is_clean_and_leak_free);
	return CU_get_error();
}
