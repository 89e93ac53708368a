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
	struct list_head list;
	size_t size;
	u8 data[];
};

struct ideal_pool {
	struct list_head objs_list;	/* for destroy: every live object */
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
	INIT_LIST_HEAD(&p->objs_list);
	*pool = p;
	return 0;
}

static void ideal_destroy(void *pool)
{
	struct ideal_pool *p = pool;
	struct ideal_obj *o;

	if (!p)
		return;
	while ((o = list_first_entry_or_null(&p->objs_list, struct ideal_obj,
					     list))) {
		list_del_init(&o->list);
		kfree(o);
	}
	kfree(p);
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
	list_add(&o->list, &p->objs_list);
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
	list_del_init(&o->list);
	kfree(o);
}

static void *ideal_map(void *pool, unsigned long handle, enum sl_map_mode mm)
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
	struct ideal_obj *o;
	u64 objs = 0, bytes = 0;

	list_for_each_entry(o, &p->objs_list, list) {
		if (!o->size || o->size > PAGE_SIZE)
			return -EUCLEAN;
		objs++;
		bytes += o->size;
	}
	if (objs != p->objs || bytes != p->bytes)
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
