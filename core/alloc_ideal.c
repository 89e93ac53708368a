// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_ideal.c - the lower bound: every byte asked for and not one more.
 *
 * Its "pages" are the live bytes rounded up to whole pages, the memory a
 * perfect allocator with no per-object overhead and no fragmentation would
 * need.  Other allocators are reported as a percentage over it.
 */
#include "sl_alloc.h"

struct ideal_obj {
	size_t size;
	u8 data[];
};

struct ideal_pool {
	u64 bytes;
	u64 objs;
};

static int ideal_create(const char *opts, void **pool)
{
	struct ideal_pool *p;

	if (opts && *opts)
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	*pool = p;
	return 0;
}

static void ideal_destroy(void *pool)
{
	/* objects are owned by their slots; the store frees them first */
	kfree(pool);
}

static int ideal_malloc(void *pool, size_t size, unsigned long *handle)
{
	struct ideal_pool *p = pool;
	struct ideal_obj *o;

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	o = kmalloc(sizeof(*o) + size, GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->size = size;
	p->bytes += size;
	p->objs++;
	*handle = (unsigned long)o;
	return 0;
}

static void ideal_free(void *pool, unsigned long handle)
{
	struct ideal_pool *p = pool;
	struct ideal_obj *o = (struct ideal_obj *)handle;

	p->bytes -= o->size;
	p->objs--;
	kfree(o);
}

static void *ideal_map(void *pool, unsigned long handle)
{
	return ((struct ideal_obj *)handle)->data;
}

static void ideal_unmap(void *pool, unsigned long handle)
{
}

static unsigned long ideal_total_pages(void *pool)
{
	struct ideal_pool *p = pool;

	return DIV_ROUND_UP(p->bytes, PAGE_SIZE);
}

static void ideal_stats(void *pool, struct sl_alloc_stats *st)
{
	struct ideal_pool *p = pool;

	memset(st, 0, sizeof(*st));
	st->pages = ideal_total_pages(pool);
	st->objs = p->objs;
	st->obj_bytes = p->bytes;
	st->max_size = PAGE_SIZE;
}

static size_t ideal_huge_size(void *pool)
{
	return PAGE_SIZE;
}

static int ideal_check(void *pool)
{
	struct ideal_pool *p = pool;

	if (p->bytes > p->objs * PAGE_SIZE || (p->objs && !p->bytes))
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_ideal = {
	.name = "ideal",
	.desc = "exact bytes, no overhead: the lower bound",
	.create = ideal_create,
	.destroy = ideal_destroy,
	.malloc = ideal_malloc,
	.free = ideal_free,
	.map = ideal_map,
	.unmap = ideal_unmap,
	.total_pages = ideal_total_pages,
	.stats = ideal_stats,
	.huge_size = ideal_huge_size,
	.check = ideal_check,
};
