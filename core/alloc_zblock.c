// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_zblock.c - a model of zblock, the allocator proposed for zswap and
 * zram in 2025 (Vitaly Wool, "mm: add zblock allocator", v1-v2 for 4 KiB
 * pages; never merged).
 *
 * Why it is here: zblock trades zsmalloc's 255 classes and object moves
 * for a short table of block types -- each a block of 1, 2, 4 or 8 pages
 * cut into a fixed number of equal slots -- so alloc and free touch one
 * block and one bitmap.  Whether the coarser slots cost memory on a real
 * page stream is the question a replay answers.
 *
 * The rules:
 *  - a block starts with a 40-byte header (list head, 128-bit slot
 *    bitmap, free count, rounded to 8); its slots follow, each
 *    round_down((block bytes - 40) / slots, 8) bytes;
 *  - an object goes to the type with the smallest slot that holds it
 *    (the table is sorted by slot size); the first block on the type's
 *    active list gives its first free slot, a new block is made when no
 *    block has one, and a block is freed as soon as its last slot is;
 *  - the largest slot is 4080 B; bigger objects (zswap would reject them)
 *    get a page alone here, so huge_size() is 4081.
 * Blocks are contiguous in the kernel; pages from sl_page_alloc() are
 * not, so a slot that straddles two pages is mapped through a bounce
 * buffer.  A block's descriptor (page list, bitmap) is kept beside it,
 * and a handle is (descriptor id + 1) << 12 | type << 7 | slot.
 */
#include "sl_alloc.h"

#define ZB_HEADER_SIZE	40	/* round_up(sizeof(struct zblock_block), 8) */
#define ZB_SLOT_BITS	7	/* up to 128 slots per block */
#define ZB_TYPE_BITS	5
#define ZB_ID_SHIFT	(ZB_SLOT_BITS + ZB_TYPE_BITS)
#define ZB_MAX_PAGES	8

struct zb_desc {
	u16 slots;
	u16 pages;
};

/* { slots per block, pages per block }, smallest slot first */
static const struct zb_desc zb_types[] = {
	{ 63, 1 }, { 32, 1 }, { 21, 1 }, { 15, 1 }, { 12, 1 }, { 10, 1 },
	{ 9, 1 }, { 8, 1 }, { 29, 4 }, { 13, 2 }, { 6, 1 }, { 11, 2 },
	{ 5, 1 }, { 9, 2 }, { 8, 2 }, { 29, 8 }, { 13, 4 }, { 12, 4 },
	{ 11, 4 }, { 10, 4 }, { 9, 4 }, { 17, 8 }, { 8, 4 }, { 15, 8 },
	{ 14, 8 }, { 13, 8 }, { 6, 4 }, { 11, 8 }, { 10, 8 }, { 9, 8 },
	{ 4, 4 },
	{ 1, 1 },	/* not in zblock: one object of up to PAGE_SIZE alone */
};

#define ZB_NR_TYPES	ARRAY_SIZE(zb_types)
#define ZB_ALONE	(ZB_NR_TYPES - 1)

struct zb_block {
	struct list_head link;
	u64 slot_info[2];	/* bit set: slot in use */
	u32 id;
	u16 type;
	u16 free_slots;
	u16 *sizes;		/* bytes asked for per slot, 0: free */
	void *pages[];
};

struct zb_list {
	struct list_head active;	/* blocks with a free slot */
	struct list_head full;
	u64 blocks;
	u64 objs;
};

struct zb_pool {
	struct zb_list lists[ZB_NR_TYPES];
	u32 slot_size[ZB_NR_TYPES];
	struct sl_idtab ids;		/* blocks by id */
	unsigned long pages;
	u64 objs;
	u64 obj_bytes;
	unsigned long mapped;		/* handle bounced, 0: none */
	u8 bounce[PAGE_SIZE];
};

static u32 slot_size(unsigned int type)
{
	const struct zb_desc *d = &zb_types[type];

	if (type == ZB_ALONE)
		return PAGE_SIZE;
	return ((d->pages * PAGE_SIZE - ZB_HEADER_SIZE) / d->slots) & ~7UL;
}

static int zb_create(const char *opts, void **out)
{
	struct zb_pool *pool;
	unsigned int t;

	if (opts && *opts)
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	for (t = 0; t < ZB_NR_TYPES; t++) {
		INIT_LIST_HEAD(&pool->lists[t].active);
		INIT_LIST_HEAD(&pool->lists[t].full);
		pool->slot_size[t] = slot_size(t);
	}
	*out = pool;
	return 0;
}

static void free_block(struct zb_block *b)
{
	int i;

	for (i = 0; i < zb_types[b->type].pages; i++)
		sl_page_free(b->pages[i]);
	kfree(b->sizes);
	kfree(b);
}

static void zb_destroy(void *p)
{
	struct zb_pool *pool = p;
	u32 id;

	if (!pool)
		return;
	for (id = 0; id < pool->ids.nr_ids; id++) {
		struct zb_block *b = sl_idtab_at(&pool->ids, id);

		if (b)
			free_block(b);
	}
	sl_idtab_destroy(&pool->ids);
	kfree(pool);
}

static struct zb_block *new_block(struct zb_pool *pool, unsigned int type)
{
	const struct zb_desc *d = &zb_types[type];
	struct zb_block *b;
	int i;

	b = kzalloc(sizeof(*b) + d->pages * sizeof(void *), GFP_KERNEL);
	if (!b)
		return NULL;
	b->type = type;
	b->sizes = kcalloc(d->slots, sizeof(u16), GFP_KERNEL);
	if (!b->sizes)
		goto err;
	for (i = 0; i < d->pages; i++) {
		b->pages[i] = sl_page_alloc();
		if (!b->pages[i])
			goto err;
	}
	if (sl_idtab_get(&pool->ids, b, &b->id))
		goto err;
	b->free_slots = d->slots;
	list_add(&b->link, &pool->lists[type].active);
	pool->lists[type].blocks++;
	pool->pages += d->pages;
	return b;
err:
	free_block(b);
	return NULL;
}

static unsigned int size_to_type(struct zb_pool *pool, size_t size)
{
	unsigned int lo = 0, hi = ZB_NR_TYPES - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (pool->slot_size[mid] >= size)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int zb_malloc(void *p, size_t size, unsigned long *handle)
{
	struct zb_pool *pool = p;
	struct zb_list *l;
	struct zb_block *b;
	unsigned int type, slot;

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	type = size_to_type(pool, size);
	l = &pool->lists[type];
	b = list_first_entry_or_null(&l->active, struct zb_block, link);
	if (!b) {
		b = new_block(pool, type);
		if (!b)
			return -ENOMEM;
	}
	for (slot = 0; slot < zb_types[type].slots; slot++)
		if (!(b->slot_info[slot / 64] & BIT(slot % 64)))
			break;
	b->slot_info[slot / 64] |= BIT(slot % 64);
	b->sizes[slot] = size;
	if (--b->free_slots == 0) {
		list_del_init(&b->link);
		list_add(&b->link, &l->full);
	}
	l->objs++;
	pool->objs++;
	pool->obj_bytes += size;
	*handle = ((unsigned long)(b->id + 1) << ZB_ID_SHIFT) |
		  (type << ZB_SLOT_BITS) | slot;
	return 0;
}

static struct zb_block *handle_block(struct zb_pool *pool,
				     unsigned long handle)
{
	return sl_idtab_at(&pool->ids, (handle >> ZB_ID_SHIFT) - 1);
}

static unsigned int handle_slot(unsigned long handle)
{
	return handle & (BIT(ZB_SLOT_BITS) - 1);
}

static void zb_free(void *p, unsigned long handle)
{
	struct zb_pool *pool = p;
	struct zb_block *b = handle_block(pool, handle);
	struct zb_list *l = &pool->lists[b->type];
	unsigned int slot = handle_slot(handle);

	b->slot_info[slot / 64] &= ~BIT(slot % 64);
	pool->obj_bytes -= b->sizes[slot];
	b->sizes[slot] = 0;
	pool->objs--;
	l->objs--;
	if (b->free_slots++ == 0) {
		list_del_init(&b->link);
		list_add(&b->link, &l->active);
	}
	if (b->free_slots < zb_types[b->type].slots)
		return;
	list_del_init(&b->link);
	sl_idtab_put(&pool->ids, b->id);
	l->blocks--;
	pool->pages -= zb_types[b->type].pages;
	free_block(b);
}

/* where slot @slot of @b starts: page index and offset */
static void slot_location(struct zb_pool *pool, struct zb_block *b,
			  unsigned int slot, int *page, u32 *off)
{
	u32 o = slot * pool->slot_size[b->type];

	if (b->type != ZB_ALONE)
		o += ZB_HEADER_SIZE;
	*page = o >> PAGE_SHIFT;
	*off = o & ~PAGE_MASK;
}

/* copy slot @handle's bytes to or from @buf: straight, or through two pages */
static void zb_copy(struct zb_pool *pool, unsigned long handle, void *buf,
		    bool to_pool)
{
	struct zb_block *b = handle_block(pool, handle);
	unsigned int slot = handle_slot(handle);
	u32 off;
	int page;

	slot_location(pool, b, slot, &page, &off);
	sl_obj_copy(&b->pages[page], off, b->sizes[slot], buf, to_pool);
}

static void *zb_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct zb_pool *pool = p;
	struct zb_block *b = handle_block(pool, handle);
	unsigned int slot = handle_slot(handle);
	u32 off;
	int page;

	slot_location(pool, b, slot, &page, &off);
	if (off + b->sizes[slot] <= PAGE_SIZE)
		return (u8 *)b->pages[page] + off;
	if (mm != SL_MAP_WO)
		zb_copy(pool, handle, pool->bounce, false);
	pool->mapped = mm == SL_MAP_RO ? 0 : handle;	/* copy back? */
	return pool->bounce;
}

static void zb_unmap(void *p, unsigned long handle)
{
	struct zb_pool *pool = p;

	if (pool->mapped != handle)
		return;
	zb_copy(pool, handle, pool->bounce, true);
	pool->mapped = 0;
}

static void zb_read(void *p, unsigned long handle, void *dst)
{
	zb_copy(p, handle, dst, false);
}

static void zb_write(void *p, unsigned long handle, const void *src)
{
	zb_copy(p, handle, (void *)src, true);
}

static unsigned long zb_total_pages(void *p)
{
	return ((struct zb_pool *)p)->pages;
}

static void zb_stats(void *p, struct sl_alloc_stats *st)
{
	const struct zb_pool *pool = p;

	*st = (struct sl_alloc_stats){ .pages = pool->pages, .objs = pool->objs,
					.obj_bytes = pool->obj_bytes,
					.max_size = PAGE_SIZE };
}

static size_t zb_huge_size(void *p)
{
	return slot_size(ZB_ALONE - 1) + 1;
}

static int zb_class_stats(void *p, unsigned int n,
			  struct sl_alloc_class_stats *cs)
{
	struct zb_pool *pool = p;
	struct zb_list *l;

	if (n >= ZB_NR_TYPES)
		return -ENOENT;
	l = &pool->lists[n];
	memset(cs, 0, sizeof(*cs));
	cs->index = n;
	cs->size = pool->slot_size[n];
	cs->objs_per_unit = zb_types[n].slots;
	cs->pages_per_unit = zb_types[n].pages;
	cs->obj_allocated = l->blocks * zb_types[n].slots;
	cs->obj_used = l->objs;
	cs->pages_used = l->blocks * zb_types[n].pages;
	return 0;
}

static int check_block(struct zb_pool *pool, struct zb_block *b,
		       unsigned int type, bool full, u64 *bytes)
{
	const struct zb_desc *d = &zb_types[type];
	unsigned int s, used = 0;

	if (!(b->type == type && b->id < pool->ids.nr_ids))
		return -EUCLEAN;
	if (sl_idtab_at(&pool->ids, b->id) != b)
		return -EUCLEAN;
	if (full != !b->free_slots)
		return -EUCLEAN;
	if (b->free_slots >= d->slots)
		return -EUCLEAN;
	for (s = 0; s < 128; s++) {
		bool in_use = b->slot_info[s / 64] & BIT(s % 64);

		if (!(s < d->slots || !in_use))
			return -EUCLEAN;
		if (s >= d->slots)
			continue;
		if (!(in_use == !!b->sizes[s]))
			return -EUCLEAN;
		if (!in_use)
			continue;
		if (b->sizes[s] > pool->slot_size[type])
			return -EUCLEAN;
		if (!(!type || b->sizes[s] > pool->slot_size[type - 1]))
			return -EUCLEAN;
		used++;
		*bytes += b->sizes[s];
	}
	if (used + b->free_slots != d->slots)
		return -EUCLEAN;
	return used;
}

static int zb_check(void *p)
{
	struct zb_pool *pool = p;
	struct zb_block *b;
	u64 blocks = 0, pages = 0, objs = 0, bytes = 0, ids = 0;
	unsigned int t;
	u32 id;
	int ret;

	for (t = 0; t < ZB_NR_TYPES; t++) {
		struct zb_list *l = &pool->lists[t];
		u64 nb = 0, used = 0;

		if (zb_types[t].slots > BIT(ZB_SLOT_BITS))
			return -EUCLEAN;
		if (!(!t || pool->slot_size[t] > pool->slot_size[t - 1]))
			return -EUCLEAN;
		list_for_each_entry(b, &l->active, link) {
			ret = check_block(pool, b, t, false, &bytes);
			if (ret < 0)
				return ret;
			used += ret;
			nb++;
		}
		list_for_each_entry(b, &l->full, link) {
			ret = check_block(pool, b, t, true, &bytes);
			if (ret < 0)
				return ret;
			used += ret;
			nb++;
		}
		if (!(nb == l->blocks && used == l->objs))
			return -EUCLEAN;
		blocks += nb;
		pages += nb * zb_types[t].pages;
		objs += used;
	}
	for (id = 0; id < pool->ids.nr_ids; id++)
		ids += !!sl_idtab_at(&pool->ids, id);
	if (ids != pool->ids.used)
		return -EUCLEAN;
	if (!(ids == blocks && pages == pool->pages))
		return -EUCLEAN;
	if (!(objs == pool->objs && bytes == pool->obj_bytes))
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_zblock = {
	.name = "zblock",
	.desc = "model of zblock (2025): blocks of 1/2/4/8 pages of equal slots",
	.create = zb_create,
	.destroy = zb_destroy,
	.malloc = zb_malloc,
	.free = zb_free,
	.map = zb_map,
	.unmap = zb_unmap,
	.read = zb_read,
	.write = zb_write,
	.total_pages = zb_total_pages,
	.stats = zb_stats,
	.huge_size = zb_huge_size,
	.check = zb_check,
	.class_stats = zb_class_stats,
};
