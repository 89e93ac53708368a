/*
 * fgroup_ut.c - the kernel recorder's folio groups (record/fgroup.c):
 * which stores after a multi-page write bio become one folio, worked by
 * hand for a whole folio, one cut by another store, pages out of order,
 * a dropped page, a bio of no power of two, a bio whose stores were lost
 * and too many bios at once.
 */
#include <string.h>

#include "record/fgroup.h"
#include "ut_util.h"

/* store @index (@ok: its page came); its order and cont in one number */
static int st(struct fgroups *f, uint32_t index, bool ok)
{
	unsigned int order;
	bool cont;

	fgroup_store(f, index, ok, &order, &cont);
	return order * 10 + cont;
}

static void test_whole_folio(void)
{
	struct fgroups f = { 0 };
	uint32_t i;

	fgroup_bio(&f, 32, 16);
	CU_ASSERT_EQUAL(st(&f, 32, true), 40);
	for (i = 33; i < 48; i++)
		CU_ASSERT_EQUAL(st(&f, i, true), 41);
	CU_ASSERT_EQUAL(f.folios[4], 1);
	CU_ASSERT_EQUAL(f.pages, 16);
	CU_ASSERT_EQUAL(f.broken, 0);
	CU_ASSERT_EQUAL(f.n, 0);
	/* the same slots again without a bio: single pages */
	CU_ASSERT_EQUAL(st(&f, 32, true), 0);
	/* two bios in flight, their stores one bio after the other */
	fgroup_bio(&f, 200, 2);
	fgroup_bio(&f, 300, 2);
	CU_ASSERT_EQUAL(st(&f, 200, true), 10);
	CU_ASSERT_EQUAL(st(&f, 201, true), 11);
	CU_ASSERT_EQUAL(st(&f, 300, true), 10);
	CU_ASSERT_EQUAL(st(&f, 301, true), 11);
	CU_ASSERT_EQUAL(f.folios[1], 2);
	CU_ASSERT_EQUAL(f.pages, 20);
	/* a bio of one page is no group */
	fgroup_bio(&f, 400, 1);
	CU_ASSERT_EQUAL(f.n, 0);
}

static void test_broken_groups(void)
{
	struct fgroups f = { 0 };

	/* another store between the first page and the second */
	fgroup_bio(&f, 64, 4);
	CU_ASSERT_EQUAL(st(&f, 64, true), 20);
	CU_ASSERT_EQUAL(st(&f, 7, true), 0);
	CU_ASSERT_EQUAL(st(&f, 65, true), 0);
	CU_ASSERT_EQUAL(st(&f, 66, true), 0);
	CU_ASSERT_EQUAL(st(&f, 67, true), 0);
	CU_ASSERT_EQUAL(f.broken, 1);
	CU_ASSERT_EQUAL(f.folios[2], 0);
	CU_ASSERT_EQUAL(f.n, 0);
	/* out of slot order: from there on single pages */
	fgroup_bio(&f, 0, 4);
	CU_ASSERT_EQUAL(st(&f, 1, true), 0);
	CU_ASSERT_EQUAL(st(&f, 2, true), 0);
	CU_ASSERT_EQUAL(st(&f, 3, true), 0);
	CU_ASSERT_EQUAL(f.broken, 2);
	/* the second page dropped: the first stays the folio's head */
	fgroup_bio(&f, 8, 2);
	CU_ASSERT_EQUAL(st(&f, 8, true), 10);
	CU_ASSERT_EQUAL(st(&f, 9, false), 0);
	CU_ASSERT_EQUAL(f.broken, 3);
	/* three pages are no folio */
	fgroup_bio(&f, 16, 3);
	CU_ASSERT_EQUAL(st(&f, 16, true), 0);
	CU_ASSERT_EQUAL(st(&f, 17, true), 0);
	CU_ASSERT_EQUAL(st(&f, 18, true), 0);
	CU_ASSERT_EQUAL(f.broken, 4);
	CU_ASSERT_EQUAL(f.pages, 0);
	CU_ASSERT_EQUAL(f.n, 0);
}

static void test_lost_and_overflow(void)
{
	struct fgroups f = { 0 };
	uint32_t i;

	/* the first bio's stores were lost: the next one takes its slots */
	fgroup_bio(&f, 100, 16);
	CU_ASSERT_EQUAL(st(&f, 100, true), 40);
	fgroup_bio(&f, 96, 8);
	CU_ASSERT_EQUAL(f.n, 1);
	for (i = 96; i < 104; i++)
		CU_ASSERT_EQUAL(st(&f, i, true), i == 96 ? 30 : 31);
	CU_ASSERT_EQUAL(f.folios[3], 1);
	CU_ASSERT_EQUAL(f.folios[4], 0);
	/* 2 MiB: order 9 */
	fgroup_bio(&f, 512, 512);
	CU_ASSERT_EQUAL(st(&f, 512, true), 90);
	for (i = 513; i < 1024; i++)
		fgroup_store(&f, i, true, &(unsigned int){ 0 }, &(bool){ 0 });
	CU_ASSERT_EQUAL(f.folios[9], 1);
	/* more bios in flight than tracked: the rest are counted */
	for (i = 0; i < FGROUP_MAX + 2; i++)
		fgroup_bio(&f, 4096 + 16 * i, 16);
	CU_ASSERT_EQUAL(f.n, FGROUP_MAX);
	CU_ASSERT_EQUAL(f.overflow, 2);
	CU_ASSERT_EQUAL(st(&f, 4096 + 16 * (FGROUP_MAX + 1), true), 0);
	CU_ASSERT_EQUAL(st(&f, 4096, true), 40);
}

int fgroup_ut_register(void)
{
	CU_pSuite s = CU_add_suite("fgroup", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_whole_folio);
	UT_ADD(s, test_broken_groups);
	UT_ADD(s, test_lost_and_overflow);
	return CU_get_error();
}
