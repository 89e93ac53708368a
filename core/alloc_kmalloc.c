// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_kmalloc.c - compressed pages in the kernel's kmalloc size classes.
 *
 * Why: before xvmalloc, compcache kept compressed pages with kmalloc(),
 * and its allocator study found that ~43% more memory than TLSF.  The
 * loss is the rounding up to the next cache: a 1100-byte page takes a
 * 2048-byte object.  This models it with the generic caches of x86_64
 * (kmalloc-8 ... kmalloc-4096, including 96 and 192), each on one-page
 * slabs holding PAGE_SIZE / size objects; a slab goes back to the page
 * provider as soon as it is empty, as SLUB discards empty slabs beyond
 * its min_partial.  Anything above 2048 B lands in kmalloc-4096, one per
 * page, so huge_size() is 2049.  Real SLUB uses bigger slabs for the big
 * caches (order 3 for kmalloc-1024 and up); that changes nothing in the
 * page count of 4096 and 2048, and little for 1024.
 *
 * Slab descriptors live outside the pages, like struct slab; a handle is
 * (descriptor id + 1) << 12 | object index, so it is never 0.
 */
#include "sl_alloc.h"

#define KM_NR_CACHES	12
#define KM_IDX_BITS	PAGE_SHIFT
#define KM_IDX_MASK	((1UL << KM_IDX_BITS) - 1)

static const u16 km_sizes[KM_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096
};

struct km_slab {
	struct list_head list;
	void *page;
	u32 id;
	u16 cache;
	u16 inuse;
	u16 freeobj;		/* first free object; objs: none */
	u16 next[];		/* free list links, then requested sizes */
};

struct km_cache {
	struct list_head partial;	/* slabs with a free object */
	struct list_head full;
	u32 size;
	u32 objs_per_slab;
	u64 slabs;
	u64 objs;
};

struct km_pool {
	struct km_cache caches[KM_NR_CACHES];
	struct sl_idtab ids;	/* slab descriptors by id */
	unsigned long pages;
	u64 objs;
	u64 obj_bytes;
};

static u16 *slab_sizes(struct km_slab *s, u32 objs)
{
	return s->next + objs;
}

static int km_cache_index(size_t size)
{
	int i;

	for (i = 0; i < KM_NR_CACHES - 1; i++)
		if (size <= km_sizes[i])
			break;
	return i;
}

static int km_create(const char *opts, void **out)
{
	struct km_pool *pool;
	int i;

	if (opts && *opts)
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < KM_NR_CACHES; i++) {
		INIT_LIST_HEAD(&pool->caches[i].partial);
		INIT_LIST_HEAD(&pool->caches[i].full);
		pool->caches[i].size = km_sizes[i];
		pool->caches[i].objs_per_slab = PAGE_SIZE / km_sizes[i];
	}
	*out = pool;
	return 0;
}

static void km_destroy(void *p)
{
	struct km_pool *pool = p;
	u32 id;

	if (!pool)
		return;
	for (id = 0; id < pool->ids.nr_ids; id++) {
		struct km_slab *s = sl_idtab_at(&pool->ids, id);

		if (!s)
			continue;
		sl_page_free(s->page);
		kfree(s);
	}
	sl_idtab_destroy(&pool->ids);
	kfree(pool);
}

static struct km_slab *new_slab(struct km_pool *pool, int ci)
{
	struct km_cache *c = &pool->caches[ci];
	struct km_slab *s;
	u32 i;

	s = kzalloc(sizeof(*s) + 2 * c->objs_per_slab * sizeof(u16),
		    GFP_KERNEL);
	if (!s)
		return NULL;
	s->page = sl_page_alloc();
	if (!s->page || sl_idtab_get(&pool->ids, s, &s->id)) {
		sl_page_free(s->page);
		kfree(s);
		return NULL;
	}
	s->cache = ci;
	for (i = 0; i < c->objs_per_slab; i++)
		s->next[i] = i + 1;
	list_add(&s->list, &c->partial);
	c->slabs++;
	pool->pages++;
	return s;
}

static int km_malloc(void *p, size_t size, unsigned long *handle)
{
	struct km_pool *pool = p;
	struct km_cache *c;
	struct km_slab *s;
	int ci;
	u16 idx;

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	ci = km_cache_index(size);
	c = &pool->caches[ci];
	s = list_first_entry_or_null(&c->partial, struct km_slab, list);
	if (!s) {
		s = new_slab(pool, ci);
		if (!s)
			return -ENOMEM;
	}
	idx = s->freeobj;
	s->freeobj = s->next[idx];
	slab_sizes(s, c->objs_per_slab)[idx] = size;
	if (++s->inuse == c->objs_per_slab) {
		list_del_init(&s->list);
		list_add(&s->list, &c->full);
	}
	c->objs++;
	pool->objs++;
	pool->obj_bytes += size;
	*handle = ((unsigned long)(s->id + 1) << KM_IDX_BITS) | idx;
	return 0;
}

static struct km_slab *handle_slab(struct km_pool *pool, unsigned long h)
{
	return sl_idtab_at(&pool->ids, (h >> KM_IDX_BITS) - 1);
}

static void km_free(void *p, unsigned long handle)
{
	struct km_pool *pool = p;
	struct km_slab *s = handle_slab(pool, handle);
	struct km_cache *c = &pool->caches[s->cache];
	u16 idx = handle & KM_IDX_MASK;
	u16 *sizes = slab_sizes(s, c->objs_per_slab);

	pool->obj_bytes -= sizes[idx];
	sizes[idx] = 0;
	pool->objs--;
	c->objs--;
	if (s->inuse-- == c->objs_per_slab) {
		list_del_init(&s->list);
		list_add(&s->list, &c->partial);
	}
	s->next[idx] = s->freeobj;
	s->freeobj = idx;
	if (s->inuse)
		return;
	list_del_init(&s->list);
	sl_idtab_put(&pool->ids, s->id);
	sl_page_free(s->page);
	kfree(s);
	c->slabs--;
	pool->pages--;
}

static void *km_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct km_pool *pool = p;
	struct km_slab *s = handle_slab(pool, handle);

	return (u8 *)s->page + (handle & KM_IDX_MASK) *
	       pool->caches[s->cache].size;
}

static void km_unmap(void *p, unsigned long handle)
{
}

static unsigned long km_total_pages(void *p)
{
	return ((struct km_pool *)p)->pages;
}

static void km_stats(void *p, struct sl_alloc_stats *st)
{
	const struct km_pool *pool = p;

	*st = (struct sl_alloc_stats){ .pages = pool->pages, .objs = pool->objs,
					.obj_bytes = pool->obj_bytes,
					.max_size = PAGE_SIZE };
}

static size_t km_huge_size(void *p)
{
	return km_sizes[KM_NR_CACHES - 2] + 1;
}

/* one line per cache, as /proc/slabinfo: slabs and objects */
static int km_class_stats(void *p, unsigned int n,
			  struct sl_alloc_class_stats *cs)
{
	struct km_pool *pool = p;
	struct km_cache *c;

	if (n >= KM_NR_CACHES)
		return -ENOENT;
	c = &pool->caches[n];
	memset(cs, 0, sizeof(*cs));
	cs->index = n;
	cs->size = c->size;
	cs->objs_per_unit = c->objs_per_slab;
	cs->pages_per_unit = 1;
	cs->obj_allocated = c->slabs * c->objs_per_slab;
	cs->obj_used = c->objs;
	cs->pages_used = c->slabs;
	return 0;
}

static int check_slab(struct km_pool *pool, struct km_slab *s, int ci,
		      bool full, u64 *bytes)
{
	struct km_cache *c = &pool->caches[ci];
	u16 *sizes = slab_sizes(s, c->objs_per_slab);
	bool is_full = s->inuse == c->objs_per_slab;
	u32 i, used = 0, nfree = 0;
	u16 o;

	if (!(s->cache == ci && s->id < pool->ids.nr_ids))
		return -EUCLEAN;
	if (sl_idtab_at(&pool->ids, s->id) != s)
		return -EUCLEAN;
	if (!(s->inuse > 0 && s->inuse <= c->objs_per_slab))
		return -EUCLEAN;
	if (full != is_full)
		return -EUCLEAN;
	for (i = 0; i < c->objs_per_slab; i++) {
		if (!sizes[i])
			continue;
		if (sizes[i] > c->size)
			return -EUCLEAN;
		if (!(ci == 0 || sizes[i] > km_sizes[ci - 1]))
			return -EUCLEAN;
		used++;
		*bytes += sizes[i];
	}
	if (used != s->inuse)
		return -EUCLEAN;
	for (o = s->freeobj; o < c->objs_per_slab; o = s->next[o]) {
		if (sizes[o])
			return -EUCLEAN;
		if (++nfree > c->objs_per_slab)
			return -EUCLEAN;
	}
	if (nfree + used != c->objs_per_slab)
		return -EUCLEAN;
	return 0;
}

static int km_check(void *p)
{
	struct km_pool *pool = p;
	struct km_slab *s;
	u64 slabs_all = 0, objs = 0, bytes = 0, ids = 0;
	int ci, ret;
	u32 id;

	for (ci = 0; ci < KM_NR_CACHES; ci++) {
		struct km_cache *c = &pool->caches[ci];
		u64 slabs = 0, used = 0;

		list_for_each_entry(s, &c->partial, list) {
			ret = check_slab(pool, s, ci, false, &bytes);
			if (ret)
				return ret;
			slabs++;
			used += s->inuse;
		}
		list_for_each_entry(s, &c->full, list) {
			ret = check_slab(pool, s, ci, true, &bytes);
			if (ret)
				return ret;
			slabs++;
			used += s->inuse;
		}
		if (!(slabs == c->slabs && used == c->objs))
			return -EUCLEAN;
		slabs_all += slabs;
		objs += used;
	}
	for (id = 0; id < pool->ids.nr_ids; id++)
		ids += !!sl_idtab_at(&pool->ids, id);
	if (ids != pool->ids.used)
		return -EUCLEAN;
	if (!(ids == slabs_all && slabs_all == pool->pages))
		return -EUCLEAN;
	if (!(objs == pool->objs && bytes == pool->obj_bytes))
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_kmalloc = {
	.name = "kmalloc",
	.desc = "kernel kmalloc size classes 8..4096 on one-page slabs",
	.create = km_create,
	.destroy = km_destroy,
	.malloc = km_malloc,
	.free = km_free,
	.map = km_map,
	.unmap = km_unmap,
	.total_pages = km_total_pages,
	.stats = km_stats,
	.huge_size = km_huge_size,
	.check = km_check,
	.class_stats = km_class_stats,
};
