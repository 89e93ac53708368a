// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_idtab.c - page and block ids for the allocators whose handles
 * carry a number instead of an address (kmalloc, zblock, xvmalloc, TLSF).
 *
 * Why not one array grown by doubling: a pool of a million pages would
 * need an 8 MB array, and in the module the allocators run under the
 * store's spinlock, where only GFP_ATOMIC is allowed and a large
 * contiguous allocation fails.  Here ids live in one-page leaves named by
 * a small directory, so no allocation is ever bigger than a page until
 * the directory itself passes 512 leaves (256K ids).  Free ids are
 * chained through their own entries as (next << 1) | 1.
 */
#include "sl_alloc.h"

#define LEAF_IDS	SL_IDTAB_LEAF

static void *free_entry(u32 next)
{
	return (void *)(((unsigned long)next << 1) | 1);
}

static void **slot_of(const struct sl_idtab *t, u32 id)
{
	return &t->dir[id / LEAF_IDS][id % LEAF_IDS];
}

/* one more leaf, and a bigger directory when it is full */
static int grow(struct sl_idtab *t)
{
	u32 leaf = t->nr_ids / LEAF_IDS, i;
	void **l;

	if (leaf == t->nr_dir) {
		u32 n = max_t(u32, 8, t->nr_dir * 2);
		void ***d = kcalloc(n, sizeof(*d), GFP_KERNEL);

		if (!d)
			return -ENOMEM;
		if (t->nr_dir)
			memcpy(d, t->dir, t->nr_dir * sizeof(*d));
		kfree(t->dir);
		t->dir = d;
		t->nr_dir = n;
	}
	l = kmalloc(LEAF_IDS * sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	for (i = 0; i < LEAF_IDS; i++)
		l[i] = free_entry(t->nr_ids + i + 1);
	t->dir[leaf] = l;
	t->nr_ids += LEAF_IDS;
	return 0;
}

int sl_idtab_get(struct sl_idtab *t, void *entry, u32 *id)
{
	void **slot;

	if (t->free_id == t->nr_ids && grow(t))
		return -ENOMEM;
	*id = t->free_id;
	slot = slot_of(t, *id);
	t->free_id = (unsigned long)*slot >> 1;
	*slot = entry;
	t->used++;
	return 0;
}

void sl_idtab_put(struct sl_idtab *t, u32 id)
{
	*slot_of(t, id) = free_entry(t->free_id);
	t->free_id = id;
	t->used--;
}

void sl_idtab_destroy(struct sl_idtab *t)
{
	u32 i;

	for (i = 0; i < t->nr_ids / LEAF_IDS; i++)
		kfree(t->dir[i]);
	kfree(t->dir);
	memset(t, 0, sizeof(*t));
}
