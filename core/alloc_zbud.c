// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_zbud.c - a model of the kernel's zbud (mm/zbud.c, removed in 6.9).
 *
 * Why zbud is worth replaying: it was zswap's first allocator because its
 * worst case is simple -- never more than two objects per page, so a page
 * can always be reclaimed by evicting two objects -- and that simplicity
 * caps its density at 2 compressed pages per page frame, whatever the
 * codec achieves.  Replaying a trace shows what that cap costs.
 *
 * The rules, as in 6.1:
 *  - a page is 64 chunks of 64 bytes (NCHUNKS_ORDER 6); the first chunk
 *    holds the header, so 63 are left for the two buddies;
 *  - the first buddy sits right after the header, the last one ends at
 *    the end of the page;
 *  - an object takes DIV_ROUND_UP(size, 64) chunks; allocation takes the
 *    first page of the first non-empty unbuddied list with at least that
 *    many free chunks, else a new page; pages whose buddies are both used
 *    sit on the buddied list;
 *  - objects above PAGE_SIZE - 2 chunks (3968 B) are refused by the kernel
 *    (-ENOSPC, zswap rejects the page); here they get a page alone, the way
 *    the store keeps huge pages raw, and huge_size() is 3969.
 * So two 2000-byte objects (32 chunks each) do not share a page: 64 > 63.
 *
 * The header lives in the page as in the kernel, so a handle is the
 * object's address: page + 64 for the first buddy, page + PAGE_SIZE -
 * last_chunks * 64 for the last.  Pages of one object alone are tracked
 * by a small descriptor whose address, with bit 0 set, is their handle.
 */
#include "sl_alloc.h"

#define NCHUNKS_ORDER		6
#define CHUNK_SHIFT		(PAGE_SHIFT - NCHUNKS_ORDER)
#define CHUNK_SIZE		BIT(CHUNK_SHIFT)
#define ZHDR_SIZE_ALIGNED	CHUNK_SIZE
#define NCHUNKS			((PAGE_SIZE - ZHDR_SIZE_ALIGNED) >> CHUNK_SHIFT)
#define ZBUD_MAX_SIZE		(PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE)
#define HANDLE_ALONE		BIT(0)

/* the in-page header; must fit in ZHDR_SIZE_ALIGNED bytes */
struct zbud_header {
	struct list_head buddy;
	struct list_head lru;
	bool under_reclaim;
	u16 first_chunks;
	u16 last_chunks;
	u16 first_size;		/* bytes asked for, for obj_bytes */
	u16 last_size;
};

/* a page holding one object too big for two buddies */
struct zbud_alone {
	struct list_head list;
	void *page;
	size_t size;
};

struct zbud_pool {
	/* unbuddied[0] is never used for allocation: it is the buddied list */
	struct list_head unbuddied[NCHUNKS];
	struct list_head alone;
	struct list_head lru;	/* pages by last allocation, newest first */
	unsigned long pages;
	u64 alone_pages;
	u64 objs;
	u64 obj_bytes;
};

static int size_to_chunks(size_t size)
{
	return (size + CHUNK_SIZE - 1) >> CHUNK_SHIFT;
}

static int num_free_chunks(struct zbud_header *zhdr)
{
	return NCHUNKS - zhdr->first_chunks - zhdr->last_chunks;
}

static struct zbud_header *handle_to_zhdr(unsigned long handle)
{
	return (struct zbud_header *)(handle & PAGE_MASK);
}

static bool handle_is_first(unsigned long handle)
{
	return !((handle - ZHDR_SIZE_ALIGNED) & ~PAGE_MASK);
}

static int zbud_create(const char *opts, void **out)
{
	struct zbud_pool *pool;
	int i;

	if (opts && *opts)
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (i = 0; i < NCHUNKS; i++)
		INIT_LIST_HEAD(&pool->unbuddied[i]);
	INIT_LIST_HEAD(&pool->alone);
	INIT_LIST_HEAD(&pool->lru);
	*out = pool;
	return 0;
}

static void zbud_destroy(void *p)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr;
	struct zbud_alone *a;
	int i;

	if (!pool)
		return;
	for (i = 0; i < NCHUNKS; i++) {
		while ((zhdr = list_first_entry_or_null(&pool->unbuddied[i],
							struct zbud_header,
							buddy))) {
			list_del_init(&zhdr->buddy);
			sl_page_free(zhdr);
		}
	}
	while ((a = list_first_entry_or_null(&pool->alone, struct zbud_alone,
					     list))) {
		list_del_init(&a->list);
		sl_page_free(a->page);
		kfree(a);
	}
	kfree(pool);
}

static int alloc_alone(struct zbud_pool *pool, size_t size,
		       unsigned long *handle)
{
	struct zbud_alone *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	a->page = sl_page_alloc();
	if (!a->page) {
		kfree(a);
		return -ENOMEM;
	}
	a->size = size;
	list_add(&a->list, &pool->alone);
	pool->pages++;
	pool->alone_pages++;
	pool->objs++;
	pool->obj_bytes += size;
	*handle = (unsigned long)a | HANDLE_ALONE;
	return 0;
}

static void put_on_list(struct zbud_pool *pool, struct zbud_header *zhdr)
{
	if (zhdr->first_chunks == 0 || zhdr->last_chunks == 0)
		list_add(&zhdr->buddy, &pool->unbuddied[num_free_chunks(zhdr)]);
	else
		list_add(&zhdr->buddy, &pool->unbuddied[0]);
}

static int zbud_malloc(void *p, size_t size, unsigned long *handle)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr = NULL;
	int chunks, i;
	bool first;

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	if (size > ZBUD_MAX_SIZE)
		return alloc_alone(pool, size, handle);
	chunks = size_to_chunks(size);
	for (i = chunks; i < NCHUNKS; i++) {
		zhdr = list_first_entry_or_null(&pool->unbuddied[i],
						struct zbud_header, buddy);
		if (zhdr) {
			list_del_init(&zhdr->buddy);
			break;
		}
	}
	if (!zhdr) {
		zhdr = sl_page_alloc();
		if (!zhdr)
			return -ENOMEM;
		memset(zhdr, 0, sizeof(*zhdr));
		INIT_LIST_HEAD(&zhdr->buddy);
		INIT_LIST_HEAD(&zhdr->lru);
		pool->pages++;
	}
	first = zhdr->first_chunks == 0;
	if (first) {
		zhdr->first_chunks = chunks;
		zhdr->first_size = size;
		*handle = (unsigned long)zhdr + ZHDR_SIZE_ALIGNED;
	} else {
		zhdr->last_chunks = chunks;
		zhdr->last_size = size;
		*handle = (unsigned long)zhdr + PAGE_SIZE -
			  (chunks << CHUNK_SHIFT);
	}
	put_on_list(pool, zhdr);
	/* as zbud_alloc(): the page moves to the head of the LRU */
	list_del_init(&zhdr->lru);
	list_add(&zhdr->lru, &pool->lru);
	pool->objs++;
	pool->obj_bytes += size;
	return 0;
}

static void zbud_free(void *p, unsigned long handle)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr;

	if (handle & HANDLE_ALONE) {
		struct zbud_alone *a = (void *)(handle & ~HANDLE_ALONE);

		list_del_init(&a->list);
		sl_page_free(a->page);
		pool->pages--;
		pool->alone_pages--;
		pool->objs--;
		pool->obj_bytes -= a->size;
		kfree(a);
		return;
	}
	zhdr = handle_to_zhdr(handle);
	pool->objs--;
	if (handle_is_first(handle)) {
		pool->obj_bytes -= zhdr->first_size;
		zhdr->first_chunks = 0;
		zhdr->first_size = 0;
	} else {
		pool->obj_bytes -= zhdr->last_size;
		zhdr->last_chunks = 0;
		zhdr->last_size = 0;
	}
	list_del_init(&zhdr->buddy);
	/* a page under reclaim is off every list: reclaim decides its fate */
	if (zhdr->under_reclaim)
		return;
	if (zhdr->first_chunks == 0 && zhdr->last_chunks == 0) {
		list_del_init(&zhdr->lru);
		sl_page_free(zhdr);
		pool->pages--;
		return;
	}
	put_on_list(pool, zhdr);
}

/*
 * zbud_reclaim() - zbud_reclaim_page() of 6.1: take the page at the tail
 * of the LRU, evict its first then its last buddy; when @evict fails for
 * one, the page goes back to the head of the LRU and the next tail page is
 * tried, up to @retries pages.
 */
static int zbud_reclaim(void *p, unsigned int retries,
			int (*evict)(void *arg, unsigned long handle),
			void *arg)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr;
	unsigned long first, last;
	unsigned int i;

	if (list_empty(&pool->lru) || !retries)
		return -EINVAL;
	for (i = 0; i < retries; i++) {
		zhdr = list_entry(pool->lru.prev, struct zbud_header, lru);
		list_del_init(&zhdr->lru);
		list_del_init(&zhdr->buddy);
		zhdr->under_reclaim = true;
		first = zhdr->first_chunks ?
			(unsigned long)zhdr + ZHDR_SIZE_ALIGNED : 0;
		last = zhdr->last_chunks ? (unsigned long)zhdr + PAGE_SIZE -
			(zhdr->last_chunks << CHUNK_SHIFT) : 0;
		if (!(first && evict(arg, first)) && last)
			evict(arg, last);
		zhdr->under_reclaim = false;
		if (zhdr->first_chunks == 0 && zhdr->last_chunks == 0) {
			sl_page_free(zhdr);
			pool->pages--;
			return 0;
		}
		put_on_list(pool, zhdr);
		list_add(&zhdr->lru, &pool->lru);
	}
	return -EAGAIN;
}

static void *zbud_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	if (handle & HANDLE_ALONE)
		return ((struct zbud_alone *)(handle & ~HANDLE_ALONE))->page;
	return (void *)handle;
}

static void zbud_unmap(void *p, unsigned long handle)
{
}

static unsigned long zbud_total_pages(void *p)
{
	return ((struct zbud_pool *)p)->pages;
}

static void zbud_stats(void *p, struct sl_alloc_stats *st)
{
	const struct zbud_pool *pool = p;

	*st = (struct sl_alloc_stats){ .pages = pool->pages, .objs = pool->objs,
					.obj_bytes = pool->obj_bytes,
					.max_size = PAGE_SIZE };
}

static size_t zbud_huge_size(void *p)
{
	return ZBUD_MAX_SIZE + 1;
}

static int check_page(struct zbud_header *zhdr, int list, u64 *objs,
		      u64 *bytes)
{
	int f = zhdr->first_chunks, l = zhdr->last_chunks;

	if (!(f || l))
		return -EUCLEAN;
	if (f + l > NCHUNKS)
		return -EUCLEAN;
	if (!(!f == !zhdr->first_size && !l == !zhdr->last_size))
		return -EUCLEAN;
	if (!(!f || size_to_chunks(zhdr->first_size) == f))
		return -EUCLEAN;
	if (!(!l || size_to_chunks(zhdr->last_size) == l))
		return -EUCLEAN;
	if (!(list == (f && l ? 0 : num_free_chunks(zhdr))))
		return -EUCLEAN;
	*objs += !!f + !!l;
	*bytes += zhdr->first_size + zhdr->last_size;
	return 0;
}

static int zbud_check(void *p)
{
	struct zbud_pool *pool = p;
	struct zbud_header *zhdr;
	struct zbud_alone *a;
	u64 pages = 0, objs = 0, bytes = 0, alone = 0, lru = 0;
	int i, ret;

	for (i = 0; i < NCHUNKS; i++) {
		list_for_each_entry(zhdr, &pool->unbuddied[i], buddy) {
			if ((unsigned long)zhdr & ~PAGE_MASK)
				return -EUCLEAN;
			ret = check_page(zhdr, i, &objs, &bytes);
			if (ret)
				return ret;
			pages++;
		}
	}
	list_for_each_entry(a, &pool->alone, list) {
		if (!(a->size > ZBUD_MAX_SIZE && a->size <= PAGE_SIZE))
			return -EUCLEAN;
		alone++;
		bytes += a->size;
	}
	if (alone != pool->alone_pages)
		return -EUCLEAN;
	list_for_each_entry(zhdr, &pool->lru, lru)
		lru++;
	if (lru != pages)
		return -EUCLEAN;
	if (pages + alone != pool->pages)
		return -EUCLEAN;
	if (objs + alone != pool->objs)
		return -EUCLEAN;
	if (bytes != pool->obj_bytes)
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_zbud = {
	.name = "zbud",
	.desc = "model of the kernel's zbud: two buddies per page, 64 B chunks",
	.create = zbud_create,
	.destroy = zbud_destroy,
	.malloc = zbud_malloc,
	.free = zbud_free,
	.map = zbud_map,
	.unmap = zbud_unmap,
	.total_pages = zbud_total_pages,
	.stats = zbud_stats,
	.huge_size = zbud_huge_size,
	.check = zbud_check,
	.reclaim = zbud_reclaim,
};
