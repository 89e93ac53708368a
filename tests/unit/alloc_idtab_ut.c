/*
 * alloc_idtab_ut.c - the id table behind kmalloc, zblock, xvmalloc and
 * TLSF handles: ids are dense and reused, free ids read as NULL, growth
 * crosses leaves and the directory, and a failed growth leaves the table
 * as it was.
 */
#include <stdlib.h>
#include <CUnit/CUnit.h>

#include "core/sl_alloc.h"
#include "core/user/sl_fault.h"
#include "ut_util.h"

#define N	10000	/* 20 leaves of 512: the directory grows twice */

static void *entry(u32 i)
{
	return (void *)(((unsigned long)i + 1) << 3);
}

static void test_ids_are_dense_and_reused(void)
{
	struct sl_idtab t = { 0 };
	long objs0 = sl_compat_live_objs();
	u32 i, id;
	int ok = 1;

	for (i = 0; i < N; i++) {
		ok &= sl_idtab_get(&t, entry(i), &id) == 0 && id == i;
	}
	CU_ASSERT(ok);
	CU_ASSERT(t.used == N && t.nr_ids >= N);
	for (i = 0; i < N; i++)
		ok &= sl_idtab_at(&t, i) == entry(i);
	CU_ASSERT(ok);
	/* last freed, first reused */
	sl_idtab_put(&t, 17);
	sl_idtab_put(&t, 4000);
	CU_ASSERT(sl_idtab_at(&t, 17) == NULL && sl_idtab_at(&t, 4000) == NULL);
	CU_ASSERT(t.used == N - 2);
	CU_ASSERT(sl_idtab_get(&t, entry(1), &id) == 0 && id == 4000);
	CU_ASSERT(sl_idtab_get(&t, entry(2), &id) == 0 && id == 17);
	CU_ASSERT(sl_idtab_get(&t, entry(3), &id) == 0 && id == N);
	CU_ASSERT(sl_idtab_at(&t, 17) == entry(2));
	sl_idtab_destroy(&t);
	CU_ASSERT(t.nr_ids == 0 && t.dir == NULL);
	CU_ASSERT(sl_compat_live_objs() == objs0);
}

static void test_failed_growth_changes_nothing(void)
{
	struct sl_idtab t = { 0 };
	long objs0 = sl_compat_live_objs();
	u32 i, id;
	int n;

	for (i = 0; i < 512 * 8; i++)
		CU_ASSERT_FATAL(sl_idtab_get(&t, entry(i), &id) == 0);
	/* the next id needs a leaf and a bigger directory: fail each */
	for (n = 1; n <= 2; n++) {
		sl_fault_set_nth(n);
		CU_ASSERT(sl_idtab_get(&t, entry(0), &id) == -ENOMEM);
		sl_fault_off();
		CU_ASSERT(t.used == 512 * 8 && t.free_id == t.nr_ids);
	}
	CU_ASSERT(sl_idtab_get(&t, entry(7), &id) == 0 && id == 512 * 8);
	for (i = 0; i <= 512 * 8; i++)
		CU_ASSERT(sl_idtab_at(&t, i) != NULL);
	sl_idtab_destroy(&t);
	CU_ASSERT(sl_compat_live_objs() == objs0);
}

int alloc_idtab_ut_register(void);
int alloc_idtab_ut_register(void)
{
	CU_pSuite s = CU_add_suite("alloc_idtab", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_ids_are_dense_and_reused);
	UT_ADD(s, test_failed_growth_changes_nothing);
	return CU_get_error();
}
