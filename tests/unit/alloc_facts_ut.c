/*
 * alloc_facts_ut.c - page counts and class facts worked out by hand from
 * each allocator's rules (the kernel sources for zsmalloc, zbud, z3fold;
 * the zblock patch; compcache's xvmalloc; TLSF 2.4), one claim per case.
 * The arithmetic is in the comments so a failure can be checked on paper.
 */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "core/sl_alloc.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

/* pages after @n objects of @size, all kept; the pool is destroyed */
static unsigned long pages_for(const struct sl_alloc_ops *a, const char *opts,
			       int n, size_t size)
{
	unsigned long h, pages;
	void *pool;
	int i;

	if (a->create(opts, &pool))
		return (unsigned long)-1;
	for (i = 0; i < n; i++)
		if (a->malloc(pool, size, &h)) {
			a->destroy(pool);
			return (unsigned long)-2;
		}
	pages = a->total_pages(pool);
	if (a->check(pool))
		pages = (unsigned long)-3;
	a->destroy(pool);
	return pages;
}

static size_t huge_of(const struct sl_alloc_ops *a, const char *opts)
{
	size_t huge;
	void *pool;

	if (a->create(opts, &pool))
		return 0;
	huge = a->huge_size(pool);
	a->destroy(pool);
	return huge;
}

/* the class (as class_stats reports it) holding the only live object */
static int class_of(const struct sl_alloc_ops *a, const char *opts,
		    size_t size, struct sl_alloc_class_stats *out)
{
	struct sl_alloc_class_stats cs;
	unsigned long h;
	void *pool;
	unsigned int n;
	int found = -1;

	if (a->create(opts, &pool))
		return -1;
	if (a->malloc(pool, size, &h) == 0)
		for (n = 0; a->class_stats(pool, n, &cs) == 0; n++)
			if (cs.obj_used == 1) {
				*out = cs;
				found = 0;
			}
	a->destroy(pool);
	return found;
}

/*
 * zsmalloc, 6.1 (chain 4): 255 classes of 32 + 16k bytes; an object
 * grows by the 8-byte handle before the lookup.  100 B -> 108 ->
 * class 5 = 112 B; 2 pages hold 73 (8192 % 112 = 16, 99% used, better
 * than 1 page's 98%).  3000 B -> 3008, merged into 3072 (3 pages, 4
 * objects, 100% used).  Classes above 3264 are one object per page;
 * 3264 is 4 pages of 5 (16384 % 3264 = 64), so huge_class_size is
 * 3264 - 7 = 3257: zram stores pages compressing to 3257 B or more raw.
 */
static void test_zsmalloc_61_class_facts(void)
{
	struct sl_alloc_class_stats cs;

	CU_ASSERT(huge_of(&sl_alloc_zsmalloc, "kernel=6.1") == 3257);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 1, &cs) == 0);
	CU_ASSERT(cs.index == 0 && cs.size == 32);
	CU_ASSERT(cs.pages_per_unit == 1 && cs.objs_per_unit == 128);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 100, &cs) == 0);
	CU_ASSERT(cs.index == 5 && cs.size == 112);
	CU_ASSERT(cs.pages_per_unit == 2 && cs.objs_per_unit == 73);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 3000, &cs) == 0);
	CU_ASSERT(cs.size == 3072 && cs.index == 190);
	CU_ASSERT(cs.pages_per_unit == 3 && cs.objs_per_unit == 4);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 3256, &cs) == 0);
	CU_ASSERT(cs.size == 3264);
	CU_ASSERT(cs.pages_per_unit == 4 && cs.objs_per_unit == 5);
	/* 3257 + 8 = 3265 -> class 3280, merged up to the page-sized one */
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 3257, &cs) == 0);
	CU_ASSERT(cs.size == 4096 && cs.index == 254);
	CU_ASSERT(cs.pages_per_unit == 1 && cs.objs_per_unit == 1);
	/* 1000 B -> 1008 -> merged into 1024: 4 per page exactly */
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "kernel=6.1", 1000, &cs) == 0);
	CU_ASSERT(cs.size == 1024 && cs.pages_per_unit == 1 &&
		  cs.objs_per_unit == 4);
}

static void test_zsmalloc_61_page_counts(void)
{
	/* 100 x 100 B: 73 per 2-page zspage -> 2 zspages */
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 100, 100) == 4);
	/* 4 x 3000 B fill one 3-page zspage; a fifth opens another */
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 4, 3000) == 3);
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 5, 3000) == 6);
	/* just under / at huge_class_size: 5 share 4 pages, or 1 page each */
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 5, 3256) == 4);
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 5, 3257) == 5);
	/* a raw page (huge) is PAGE_SIZE in a 1-page zspage of its own */
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "kernel=6.1", 3, 4096) == 3);
}

/*
 * zsmalloc, CONFIG_ZSMALLOC_CHAIN_SIZE 8 (the 6.6 default): class 112
 * now takes 7 pages for 256 objects (28672 = 256 * 112, no waste), and
 * huge_class_size moves from 3257 to 3625: class 3632 is the largest of
 * more than one object, 9 in 8 pages (32768 - 9 * 3632 = 80).  With
 * chain=16 it moves to 3833: class 3840, 16 in 15 pages exactly.
 */
static void test_zsmalloc_chain_facts(void)
{
	struct sl_alloc_class_stats cs;

	CU_ASSERT(huge_of(&sl_alloc_zsmalloc, NULL) == 3625);
	CU_ASSERT(huge_of(&sl_alloc_zsmalloc, "chain=8") == 3625);
	CU_ASSERT(huge_of(&sl_alloc_zsmalloc, "kernel=6.6:chain=4") == 3257);
	CU_ASSERT(huge_of(&sl_alloc_zsmalloc, "chain=16") == 3833);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "chain=8", 100, &cs) == 0);
	CU_ASSERT(cs.size == 112 && cs.pages_per_unit == 7 &&
		  cs.objs_per_unit == 256);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "chain=8", 3620, &cs) == 0);
	CU_ASSERT(cs.size == 3632 && cs.pages_per_unit == 8 &&
		  cs.objs_per_unit == 9);
	CU_ASSERT(class_of(&sl_alloc_zsmalloc, "chain=16", 3830, &cs) == 0);
	CU_ASSERT(cs.size == 3840 && cs.pages_per_unit == 15 &&
		  cs.objs_per_unit == 16);
	/* 100 x 100 B in one 7-page zspage */
	CU_ASSERT(pages_for(&sl_alloc_zsmalloc, "chain=8", 100, 100) == 7);
}

/*
 * the 255 classes of 4 KiB pages merge into 69 with 6.1's chains of 4;
 * with 6.6's fewest-waste chains into 119 (chain 8) and 192 (chain 16)
 */
static void test_zsmalloc_class_table(void)
{
	static const struct { const char *opts; unsigned int n; } t[] = {
		{ "kernel=6.1", 69 }, { "chain=4", 69 }, { "chain=8", 119 },
		{ "chain=16", 192 },
	};
	struct sl_alloc_class_stats cs, last;
	unsigned int i, n;
	void *pool;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		CU_ASSERT_FATAL(sl_alloc_zsmalloc.create(t[i].opts, &pool) ==
				0);
		for (n = 0; sl_alloc_zsmalloc.class_stats(pool, n, &cs) == 0;
		     n++) {
			CU_ASSERT(cs.size == 32 + 16 * cs.index ||
				  cs.index == 254);
			CU_ASSERT(cs.pages_per_unit >= 1 &&
				  cs.objs_per_unit ==
				  cs.pages_per_unit * 4096 / cs.size);
			last = cs;
		}
		CU_ASSERT(n == t[i].n);
		CU_ASSERT(last.index == 254 && last.size == 4096);
		sl_alloc_zsmalloc.destroy(pool);
	}
}

static void test_zsmalloc_chain_is_4_to_16(void)
{
	void *pool;

	CU_ASSERT(sl_alloc_zsmalloc.create("chain=3", &pool) == -EINVAL);
	CU_ASSERT(sl_alloc_zsmalloc.create("chain=1", &pool) == -EINVAL);
	CU_ASSERT(sl_alloc_zsmalloc.create("chain=17", &pool) == -EINVAL);
	CU_ASSERT(sl_alloc_zsmalloc.create("chain=x", &pool) == -EINVAL);
	CU_ASSERT(sl_alloc_zsmalloc.create("kernel=5.10", &pool) == -EINVAL);
	CU_ASSERT_FATAL(sl_alloc_zsmalloc.create("chain=4", &pool) == 0);
	sl_alloc_zsmalloc.destroy(pool);
	CU_ASSERT_FATAL(sl_alloc_zsmalloc.create("chain=16:kernel=6.1",
						 &pool) == 0);
	sl_alloc_zsmalloc.destroy(pool);
}

/*
 * 6.1, class 112 (73 objects in 2 pages): 292 objects fill 4 zspages (8
 * pages).  Keep 18 in each: 72 live objects, 220 free slots = 3 whole
 * zspages, so zs_can_compact says 6 pages and compaction packs all 72
 * into one zspage: 6 pages freed, 2 left, every byte where it was.
 */
static void test_zsmalloc_compaction_packs_a_class(void)
{
	static unsigned long h[292];
	struct sl_alloc_class_stats cs;
	struct sl_alloc_stats st;
	void *pool;
	int i, ok = 1;

	CU_ASSERT_FATAL(sl_alloc_zsmalloc.create("kernel=6.1", &pool) == 0);
	for (i = 0; i < 292; i++) {
		CU_ASSERT_FATAL(sl_alloc_zsmalloc.malloc(pool, 100, &h[i]) ==
				0);
		memset(sl_alloc_zsmalloc.map(pool, h[i], SL_MAP_WO), i & 0xff, 100);
		sl_alloc_zsmalloc.unmap(pool, h[i]);
	}
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 8);
	for (i = 0; i < 292; i++)
		if (i % 73 >= 18) {
			sl_alloc_zsmalloc.free(pool, h[i]);
			h[i] = 0;
		}
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 8);
	CU_ASSERT(sl_alloc_zsmalloc.class_stats(pool, 5, &cs) == 0);
	CU_ASSERT(cs.size == 112 && cs.obj_used == 72 &&
		  cs.obj_allocated == 292 && cs.freeable == 6);
	/* 18 of 73 is at most 3/4: all four are almost_empty */
	CU_ASSERT(cs.nr_groups == 4 && cs.groups[1] == 4);
	CU_ASSERT(sl_alloc_zsmalloc.compact(pool) == 6);
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 2);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	for (i = 0; i < 292; i++) {
		const unsigned char *p;
		int j;

		if (!h[i])
			continue;
		p = sl_alloc_zsmalloc.map(pool, h[i], SL_MAP_RO);
		for (j = 0; j < 100; j++)
			ok &= p[j] == (i & 0xff);
		sl_alloc_zsmalloc.unmap(pool, h[i]);
	}
	CU_ASSERT(ok);
	sl_alloc_zsmalloc.stats(pool, &st);
	CU_ASSERT(st.pages_compacted == 6 && st.pages == 2 && st.objs == 72);
	CU_ASSERT(sl_alloc_zsmalloc.class_stats(pool, 5, &cs) == 0);
	CU_ASSERT(cs.obj_allocated == 73 && cs.freeable == 0);
	CU_ASSERT(sl_alloc_zsmalloc.compact(pool) == 0);
	sl_alloc_zsmalloc.destroy(pool);
}

static unsigned char *zs_at(void *pool, unsigned long h)
{
	unsigned char *p = sl_alloc_zsmalloc.map(pool, h, SL_MAP_RO);

	sl_alloc_zsmalloc.unmap(pool, h);
	return p;
}

/*
 * The kernel links a new zspage's objects 0, 1, 2, ... and takes and
 * frees at the head: after taking 0..4 and freeing 1 then 3, the next
 * takes are 3, 1, then 5.  Class 112 (100 B + 8): object k's bytes are at
 * 112 k + 8 of the first page.  An emptied zspage is freed, and the next
 * one (from the same class) starts again at object 0.
 */
static void test_zsmalloc_free_list_order(void)
{
	unsigned long h[8], h2;
	unsigned char *base;
	void *pool;
	int i;

	CU_ASSERT_FATAL(sl_alloc_zsmalloc.create(NULL, &pool) == 0);
	for (i = 0; i < 5; i++)
		CU_ASSERT_FATAL(sl_alloc_zsmalloc.malloc(pool, 100, &h[i]) ==
				0);
	base = zs_at(pool, h[0]) - 8;
	for (i = 0; i < 5; i++)
		CU_ASSERT(zs_at(pool, h[i]) == base + 112 * i + 8);
	sl_alloc_zsmalloc.free(pool, h[1]);
	sl_alloc_zsmalloc.free(pool, h[3]);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	for (i = 5; i < 8; i++)
		CU_ASSERT_FATAL(sl_alloc_zsmalloc.malloc(pool, 100, &h[i]) ==
				0);
	CU_ASSERT(zs_at(pool, h[5]) == base + 112 * 3 + 8);
	CU_ASSERT(zs_at(pool, h[6]) == base + 112 * 1 + 8);
	CU_ASSERT(zs_at(pool, h[7]) == base + 112 * 5 + 8);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 7);
	for (i = 0; i < 8; i++)
		if (i != 1 && i != 3)
			sl_alloc_zsmalloc.free(pool, h[i]);
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 0);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	/* a reused descriptor: fresh order again, one object in use */
	CU_ASSERT_FATAL(sl_alloc_zsmalloc.malloc(pool, 100, &h2) == 0);
	CU_ASSERT(sl_alloc_zsmalloc.malloc(pool, 100, &h[0]) == 0);
	CU_ASSERT(zs_at(pool, h[0]) == zs_at(pool, h2) + 112);
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 7);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	sl_alloc_zsmalloc.destroy(pool);
}

/*
 * 6.6, chain 8, class 112 (256 objects in 7 pages): 1024 objects fill 4
 * zspages (28 pages); keep 60 in each (23%, group 30%).  can_compact:
 * (1024 - 240) / 256 = 3 zspages.  One destination takes 60 from each of
 * the three others in turn (120, 180, 240), each source is freed: 21
 * pages freed, one zspage of 7 pages left with all 240 objects.
 */
static void test_zsmalloc_66_compaction_fills_one_destination(void)
{
	static unsigned long h[1024];
	struct sl_alloc_class_stats cs;
	void *pool;
	int i, ok = 1;

	CU_ASSERT_FATAL(sl_alloc_zsmalloc.create("kernel=6.6", &pool) == 0);
	for (i = 0; i < 1024; i++) {
		CU_ASSERT_FATAL(sl_alloc_zsmalloc.malloc(pool, 100, &h[i]) ==
				0);
		memset(sl_alloc_zsmalloc.map(pool, h[i], SL_MAP_WO), i * 7, 100);
		sl_alloc_zsmalloc.unmap(pool, h[i]);
	}
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 28);
	for (i = 0; i < 1024; i++)
		if (i % 256 >= 60) {
			sl_alloc_zsmalloc.free(pool, h[i]);
			h[i] = 0;
		}
	CU_ASSERT(sl_alloc_zsmalloc.class_stats(pool, 5, &cs) == 0);
	CU_ASSERT(cs.size == 112 && cs.freeable == 21);
	CU_ASSERT(cs.nr_groups == 12 && cs.groups[3] == 4);
	CU_ASSERT(sl_alloc_zsmalloc.compact(pool) == 21);
	CU_ASSERT(sl_alloc_zsmalloc.total_pages(pool) == 7);
	CU_ASSERT(sl_alloc_zsmalloc.check(pool) == 0);
	for (i = 0; i < 1024; i++) {
		const unsigned char *p;
		int j;

		if (!h[i])
			continue;
		p = sl_alloc_zsmalloc.map(pool, h[i], SL_MAP_RO);
		for (j = 0; j < 100; j++)
			ok &= p[j] == (unsigned char)(i * 7);
		sl_alloc_zsmalloc.unmap(pool, h[i]);
	}
	CU_ASSERT(ok);
	CU_ASSERT(sl_alloc_zsmalloc.class_stats(pool, 5, &cs) == 0);
	/* 240 of 256: 93%, group 90-99% */
	CU_ASSERT(cs.obj_used == 240 && cs.obj_allocated == 256 &&
		  cs.groups[10] == 1);
	sl_alloc_zsmalloc.destroy(pool);
}

/*
 * zbud: 63 chunks of 64 B after the header.  1984 B = 31 chunks, two
 * fit (62); 2000 B = 32 chunks, two do not (64 > 63) -- so the issue's
 * "100 x 2000 B -> 50 pages" is 100 pages in the kernel's zbud; 1984 B
 * gives the 50.  Any two small objects share a page, never three.
 */
static void test_zbud_page_counts(void)
{
	CU_ASSERT(pages_for(&sl_alloc_zbud, NULL, 100, 1984) == 50);
	CU_ASSERT(pages_for(&sl_alloc_zbud, NULL, 100, 2000) == 100);
	CU_ASSERT(pages_for(&sl_alloc_zbud, NULL, 100, 100) == 50);
	CU_ASSERT(pages_for(&sl_alloc_zbud, NULL, 7, 3968) == 7);
	CU_ASSERT(pages_for(&sl_alloc_zbud, NULL, 7, 4096) == 7);
	CU_ASSERT(huge_of(&sl_alloc_zbud, NULL) == 3969);
}

/* 2000 B (32 chunks) then 1984 B (31) fill one page: 63 of 63 */
static void test_zbud_buddies_fill_a_page(void)
{
	unsigned long a, b, c;
	void *pool;

	CU_ASSERT_FATAL(sl_alloc_zbud.create(NULL, &pool) == 0);
	CU_ASSERT(sl_alloc_zbud.malloc(pool, 2000, &a) == 0);
	CU_ASSERT(sl_alloc_zbud.malloc(pool, 1984, &b) == 0);
	CU_ASSERT(sl_alloc_zbud.total_pages(pool) == 1);
	/* first buddy after the 64-byte header, last ends the page */
	CU_ASSERT((a & 4095) == 64);
	CU_ASSERT((b & 4095) == 4096 - 31 * 64);
	CU_ASSERT(sl_alloc_zbud.malloc(pool, 1, &c) == 0);
	CU_ASSERT(sl_alloc_zbud.total_pages(pool) == 2);
	sl_alloc_zbud.free(pool, a);
	sl_alloc_zbud.free(pool, b);
	CU_ASSERT(sl_alloc_zbud.total_pages(pool) == 1);
	sl_alloc_zbud.free(pool, c);
	CU_ASSERT(sl_alloc_zbud.total_pages(pool) == 0);
	sl_alloc_zbud.destroy(pool);
}

/*
 * z3fold, 6.1: 64 B chunks, a 128 B header (2 chunks), 62 left.  Three
 * 100 B objects (2 chunks) share a page: 100 -> 34 pages.  1300 B is 21
 * chunks: first + last = 42, 20 left, no middle: 2 pages for 3.  With
 * 16 B chunks the header is 96 B (6 chunks, 250 left) and 3 x 1300 B
 * (82 chunks) fit in one page.  Above 4096 - 128 - 64 = 3904 B a page
 * is headless.
 */
static void test_z3fold_page_counts(void)
{
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 100, 100) == 34);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 3, 1000) == 1);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 3, 1300) == 2);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, "chunk=16", 3, 1300) == 1);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 2, 1984) == 1);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 2, 2000) == 2);
	CU_ASSERT(pages_for(&sl_alloc_z3fold, NULL, 5, 3905) == 5);
	CU_ASSERT(huge_of(&sl_alloc_z3fold, NULL) == 3905);
	CU_ASSERT(huge_of(&sl_alloc_z3fold, "chunk=16") == 4096 - 96 - 16 + 1);
}

static int z3_same(void *pool, unsigned long h, int v)
{
	const unsigned char *p = sl_alloc_z3fold.map(pool, h, SL_MAP_RO);
	int i, ok = 1;

	for (i = 0; i < 1000; i++)
		ok &= p[i] == v;
	sl_alloc_z3fold.unmap(pool, h);
	return ok;
}

/*
 * After a free leaves one object in a page, z3fold moves it into another
 * page with room (compact_single_buddy) and frees the page; an object
 * moved in is never moved again, but slides inside its page.
 */
static void test_z3fold_single_buddy_moves_out(void)
{
	unsigned long x, y, z, u, v;
	void *pool;

	CU_ASSERT_FATAL(sl_alloc_z3fold.create(NULL, &pool) == 0);
	/* 16 chunks each: x first, y last, z middle of page 1 */
	CU_ASSERT(sl_alloc_z3fold.malloc(pool, 1000, &x) == 0);
	CU_ASSERT(sl_alloc_z3fold.malloc(pool, 1000, &y) == 0);
	CU_ASSERT(sl_alloc_z3fold.malloc(pool, 1000, &z) == 0);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 1);
	/* page 1 is full: u, v open page 2 */
	CU_ASSERT(sl_alloc_z3fold.malloc(pool, 1000, &u) == 0);
	CU_ASSERT(sl_alloc_z3fold.malloc(pool, 1000, &v) == 0);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 2);
	memset(sl_alloc_z3fold.map(pool, u, SL_MAP_WO), 0x55, 1000);
	sl_alloc_z3fold.unmap(pool, u);
	memset(sl_alloc_z3fold.map(pool, y, SL_MAP_WO), 0x77, 1000);
	sl_alloc_z3fold.unmap(pool, y);
	sl_alloc_z3fold.free(pool, z);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 2);
	/* u is alone in page 2: it moves to page 1's middle */
	sl_alloc_z3fold.free(pool, v);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 1);
	CU_ASSERT(sl_alloc_z3fold.check(pool) == 0);
	CU_ASSERT(z3_same(pool, u, 0x55));
	/* x gone: the middle slides towards the last object */
	sl_alloc_z3fold.free(pool, x);
	CU_ASSERT(sl_alloc_z3fold.check(pool) == 0);
	CU_ASSERT(z3_same(pool, u, 0x55) && z3_same(pool, y, 0x77));
	/* y gone: u is foreign, so it stays, moved to the first slot */
	sl_alloc_z3fold.free(pool, y);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 1);
	CU_ASSERT(sl_alloc_z3fold.check(pool) == 0);
	CU_ASSERT(z3_same(pool, u, 0x55));
	sl_alloc_z3fold.free(pool, u);
	CU_ASSERT(sl_alloc_z3fold.total_pages(pool) == 0);
	sl_alloc_z3fold.destroy(pool);
}

/*
 * zblock: header 40 B; slot = round_down((pages * 4096 - 40) / slots, 8).
 * 100 B -> type 1 (32 slots of 120 B in 1 page): 100 -> 4 pages.
 * 2000 B -> {8 slots, 4 pages}: (16384 - 40) / 8 = 2043 -> 2040 B;
 * 100 -> 13 blocks = 52 pages.  The largest slot is {4, 4}: 4080 B.
 */
static void test_zblock_page_counts(void)
{
	struct sl_alloc_class_stats cs;

	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 100, 100) == 4);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 100, 2000) == 52);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 63, 64) == 1);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 64, 64) == 2);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 4, 4080) == 4);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 4, 4081) == 4);
	CU_ASSERT(huge_of(&sl_alloc_zblock, NULL) == 4081);
	CU_ASSERT(class_of(&sl_alloc_zblock, NULL, 100, &cs) == 0);
	CU_ASSERT(cs.index == 1 && cs.size == 120 && cs.objs_per_unit == 32);
	CU_ASSERT(class_of(&sl_alloc_zblock, NULL, 2000, &cs) == 0);
	CU_ASSERT(cs.size == 2040 && cs.pages_per_unit == 4 &&
		  cs.objs_per_unit == 8);
	/* {29, 8 pages}: (32768 - 40) / 29 = 1128.5 -> 1128 */
	CU_ASSERT(class_of(&sl_alloc_zblock, NULL, 1100, &cs) == 0);
	CU_ASSERT(cs.size == 1128 && cs.pages_per_unit == 8 &&
		  cs.objs_per_unit == 29);
}

/*
 * kmalloc: 100 B -> kmalloc-128, 32 per page: 4 pages; 96 B -> 42 per
 * page: 3; 150 B -> kmalloc-192, 21 per page: 5; 1100 B -> kmalloc-2048,
 * 2 per page: 10 objects in 5 pages; 2049 B -> kmalloc-4096.
 */
static void test_kmalloc_page_counts(void)
{
	struct sl_alloc_class_stats cs;

	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 100, 100) == 4);
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 100, 96) == 3);
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 100, 150) == 5);
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 10, 1100) == 5);
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 3, 2049) == 3);
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 512, 1) == 1);
	CU_ASSERT(huge_of(&sl_alloc_kmalloc, NULL) == 2049);
	CU_ASSERT(class_of(&sl_alloc_kmalloc, NULL, 190, &cs) == 0);
	CU_ASSERT(cs.size == 192 && cs.objs_per_unit == 21);
}

/* an empty slab goes back at once */
static void test_kmalloc_frees_empty_slabs(void)
{
	unsigned long h[64];
	void *pool;
	int i;

	CU_ASSERT_FATAL(sl_alloc_kmalloc.create(NULL, &pool) == 0);
	for (i = 0; i < 64; i++)
		CU_ASSERT(sl_alloc_kmalloc.malloc(pool, 128, &h[i]) == 0);
	CU_ASSERT(sl_alloc_kmalloc.total_pages(pool) == 2);
	for (i = 0; i < 32; i++)
		sl_alloc_kmalloc.free(pool, h[i]);
	CU_ASSERT(sl_alloc_kmalloc.total_pages(pool) == 1);
	for (i = 32; i < 64; i++)
		sl_alloc_kmalloc.free(pool, h[i]);
	CU_ASSERT(sl_alloc_kmalloc.total_pages(pool) == 0);
	sl_alloc_kmalloc.destroy(pool);
}

/*
 * xvmalloc: a 4-byte header per block, sizes rounded to 4 B, one 4092 B
 * free block per new page.  100 B objects take 104 B: after 38 the rest
 * is 4092 - 38 * 104 = 140 >= 104, after 39 it is 36: 39 per page, 100
 * in 3 pages.  1000 B: 4 per page (4 * 1004 = 4016), 100 in 25 pages.
 * 2000 B: 2 per page, 50 pages.  Above 3072 B a page alone.
 */
static void test_xvmalloc_page_counts(void)
{
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 39, 100) == 1);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 40, 100) == 2);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 100, 100) == 3);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 100, 1000) == 25);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 100, 2000) == 50);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 3, 3072) == 3);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 3, 3073) == 3);
	CU_ASSERT(huge_of(&sl_alloc_xvmalloc, NULL) == 3073);
}

/* freeing everything in a page merges it back into one block: page gone */
static void test_xvmalloc_merges_and_gives_pages_back(void)
{
	unsigned long h[39];
	void *pool;
	int i;

	CU_ASSERT_FATAL(sl_alloc_xvmalloc.create(NULL, &pool) == 0);
	for (i = 0; i < 39; i++)
		CU_ASSERT(sl_alloc_xvmalloc.malloc(pool, 100, &h[i]) == 0);
	/* odd ones first: no two free neighbours may stay unmerged */
	for (i = 1; i < 39; i += 2)
		sl_alloc_xvmalloc.free(pool, h[i]);
	CU_ASSERT(sl_alloc_xvmalloc.check(pool) == 0);
	/* a 200 B object fits no 100 B hole: a new page */
	CU_ASSERT(sl_alloc_xvmalloc.malloc(pool, 200, &h[1]) == 0);
	CU_ASSERT(sl_alloc_xvmalloc.total_pages(pool) == 2);
	sl_alloc_xvmalloc.free(pool, h[1]);
	for (i = 0; i < 39; i += 2)
		sl_alloc_xvmalloc.free(pool, h[i]);
	CU_ASSERT(sl_alloc_xvmalloc.total_pages(pool) == 0);
	sl_alloc_xvmalloc.destroy(pool);
}

/*
 * TLSF: a 16-byte header, sizes rounded to 16 B, one 4080 B free block
 * per new page.  100 B -> 112 + 16 = 128 B: 32 per page (4080 - 31 * 128
 * = 112, an exact fit), 100 in 4 pages.  1000 B -> 1008 + 16: 4 per page.
 * 2000 B -> 2016 B: 2 per page.  Requests above 4032 round up past the
 * last list a page's block can be on: a page alone.
 */
static void test_tlsf_page_counts(void)
{
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 32, 100) == 1);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 33, 100) == 2);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 100, 100) == 4);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 100, 1000) == 25);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 100, 2000) == 50);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 3, 4032) == 3);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 3, 4033) == 3);
	CU_ASSERT(huge_of(&sl_alloc_tlsf, NULL) == 4033);
}

/*
 * check() has teeth: the block header right before an object's bytes
 * (4 B in xvmalloc, 16 B in TLSF) is pool memory; a stray write there is
 * reported, and the pool is whole again once the byte is put back.
 */
static void corrupt_header(const struct sl_alloc_ops *a, size_t hdr)
{
	unsigned long h[3];
	unsigned char *p, saved;
	void *pool;
	int i;

	CU_ASSERT_FATAL(a->create(NULL, &pool) == 0);
	for (i = 0; i < 3; i++)
		CU_ASSERT_FATAL(a->malloc(pool, 500, &h[i]) == 0);
	CU_ASSERT(a->check(pool) == 0);
	p = (unsigned char *)a->map(pool, h[1], SL_MAP_RW) - hdr;
	saved = p[0];
	p[0] ^= 0x40;		/* the block's size */
	CU_ASSERT(a->check(pool) == -EUCLEAN);
	p[0] = saved;
	a->unmap(pool, h[1]);
	CU_ASSERT(a->check(pool) == 0);
	a->destroy(pool);
}

static void test_check_reports_a_corrupted_block_header(void)
{
	/* xvmalloc: u16 size first; TLSF: u32 prev, then u32 size */
	corrupt_header(&sl_alloc_xvmalloc, 4);
	corrupt_header(&sl_alloc_tlsf, 16 - 4);
}

/*
 * pools past one id-table leaf (512 pages): 100 B objects at 32 a page
 * (kmalloc-128, zblock's 120 B slots, TLSF) or 39 (xvmalloc) fill 3000
 * pages exactly
 */
static void test_large_pools_count_exactly(void)
{
	CU_ASSERT(pages_for(&sl_alloc_kmalloc, NULL, 96000, 100) == 3000);
	CU_ASSERT(pages_for(&sl_alloc_zblock, NULL, 96000, 100) == 3000);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 96000, 100) == 3000);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 117000, 100) == 3000);
	CU_ASSERT(pages_for(&sl_alloc_xvmalloc, NULL, 3000, 4000) == 3000);
	CU_ASSERT(pages_for(&sl_alloc_tlsf, NULL, 3000, 4096) == 3000);
}

/* ideal: bytes rounded up to pages, nothing else */
static void test_ideal_page_counts(void)
{
	unsigned long h[100];
	void *pool;
	int i;

	CU_ASSERT_FATAL(sl_alloc_ideal.create(NULL, &pool) == 0);
	for (i = 0; i < 100; i++)
		CU_ASSERT(sl_alloc_ideal.malloc(pool, 2000, &h[i]) == 0);
	CU_ASSERT(sl_alloc_ideal.total_pages(pool) == 49);	/* 200000 B */
	for (i = 0; i < 100; i++)
		sl_alloc_ideal.free(pool, h[i]);
	CU_ASSERT(sl_alloc_ideal.total_pages(pool) == 0);
	sl_alloc_ideal.destroy(pool);
}

int alloc_facts_ut_register(void);
int alloc_facts_ut_register(void)
{
	CU_pSuite s = CU_add_suite("alloc_facts", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_zsmalloc_61_class_facts);
	UT_ADD(s, test_zsmalloc_61_page_counts);
	UT_ADD(s, test_zsmalloc_chain_facts);
	UT_ADD(s, test_zsmalloc_class_table);
	UT_ADD(s, test_zsmalloc_chain_is_4_to_16);
	UT_ADD(s, test_zsmalloc_compaction_packs_a_class);
	UT_ADD(s, test_zsmalloc_66_compaction_fills_one_destination);
	UT_ADD(s, test_zsmalloc_free_list_order);
	UT_ADD(s, test_zbud_page_counts);
	UT_ADD(s, test_zbud_buddies_fill_a_page);
	UT_ADD(s, test_z3fold_page_counts);
	UT_ADD(s, test_z3fold_single_buddy_moves_out);
	UT_ADD(s, test_zblock_page_counts);
	UT_ADD(s, test_kmalloc_page_counts);
	UT_ADD(s, test_kmalloc_frees_empty_slabs);
	UT_ADD(s, test_xvmalloc_page_counts);
	UT_ADD(s, test_xvmalloc_merges_and_gives_pages_back);
	UT_ADD(s, test_tlsf_page_counts);
	UT_ADD(s, test_check_reports_a_corrupted_block_header);
	UT_ADD(s, test_large_pools_count_exactly);
	UT_ADD(s, test_ideal_page_counts);
	return CU_get_error();
}
