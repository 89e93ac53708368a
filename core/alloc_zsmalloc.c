// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_zsmalloc.c - a model of the kernel's zsmalloc (mm/zsmalloc.c).
 *
 * Why a model and not a wrapper: zram's mem_used_total is zsmalloc's page
 * count, and that count is decided by a handful of rules, not by the code
 * that moves bytes.  This file reproduces those rules so that a replay
 * uses the same number of pages as zram on the same stream:
 *  - objects grow by an 8-byte handle header (ZS_HANDLE_SIZE) before the
 *    class lookup; classes are 32 B + k * 16 B up to PAGE_SIZE (255 of
 *    them on 4 KiB pages);
 *  - a zspage chains 1..chain pages, the count that wastes least of the
 *    chain's tail; classes with equal (pages, objects) per zspage merge
 *    into the larger one;
 *  - huge_class_size is the largest multi-object class minus 7 bytes:
 *    zram keeps pages compressing to that or more raw;
 *  - zspages sit in fullness groups; allocation takes the first zspage of
 *    the fullest non-full group, an empty zspage is freed at once, and
 *    compaction moves objects from the emptiest zspages into the fullest.
 * Two kernels differ in the details, so both are modelled ("kernel=6.1":
 * chains of up to 4 pages chosen for the highest whole-percent use,
 * groups empty/almost-empty/almost-full/full with the 3/4 threshold,
 * inserts that keep the fuller zspage first, and a compaction that takes
 * a new destination for every source; "kernel=6.6", the default:
 * CONFIG_ZSMALLOC_CHAIN_SIZE, 8 by default, chosen for the fewest wasted
 * bytes with power-of-two classes on one page, groups 0/10/.../90/99/100
 * %, and a compaction that fills one destination before taking the next,
 * as calculate_zspage_chain_size() and __zs_compact() do since 6.3/6.4).
 *
 * Object bytes live in pages from sl_page_alloc(), at the offsets the
 * kernel uses; an object that straddles two pages is mapped through a
 * bounce buffer, copied in unless mapped write-only and back on unmap
 * unless mapped read-only, as zs_map_object() does.  Free list links and
 * object owners live in the zspage's descriptor, not in the objects as in
 * the kernel: the pool's page count is the same either way, and a stray
 * write into pool pages cannot corrupt the model's own structures.
 */
#include "sl_alloc.h"

#define ZS_MIN_ALLOC_SIZE	32
#define ZS_MAX_ALLOC_SIZE	PAGE_SIZE
#define ZS_SIZE_CLASS_DELTA	(PAGE_SIZE >> 8)
#define ZS_SIZE_CLASSES	\
	(DIV_ROUND_UP(ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE, \
		      ZS_SIZE_CLASS_DELTA) + 1)
#define ZS_HANDLE_SIZE		8
#define ZS_MAX_CHAIN		16
#define ZS_MIN_CHAIN		4	/* CONFIG_ZSMALLOC_CHAIN_SIZE range 4..16 */
#define ZS_MAX_GROUPS		12

/* an object's owner and free list link side by side: one cache line */
struct zs_obj {
	struct zs_cell *owner;	/* NULL when free */
	int next;		/* next free object, -1: none */
};

/*
 * per-object record; the handle given out points at it so objects can
 * move.  @addr is where the object's bytes start: reading or writing an
 * object that lies within one page then needs no look at its zspage, one
 * cache miss less on every load (the kernel gets there from the handle
 * through the page; the model need not pay for that walk).
 */
struct zs_cell {
	struct zspage *zspage;
	u8 *addr;
	u16 idx;
	u16 size;
};

/*
 * The kernel's init_zspage() links every object into the free list up
 * front: 0, 1, ... n-1.  Objects are taken from the head and freed to the
 * head, so that list is always the freed objects, newest first, followed
 * by the never-used tail in order.  The model keeps the two parts apart
 * (@freeobj, and @fresh: the first never-used object) and so need not
 * touch a new zspage's records at all: same order, no set-up cost.
 */
struct zspage {
	struct list_head list;
	struct size_class *class;
	int inuse;
	int group;
	int freeobj;		/* last freed object, -1: none */
	int fresh;		/* objects below it have been used */
	struct zs_obj *objs;	/* per object, after pages[] */
	void *pages[];
};

struct size_class {
	struct list_head lists[ZS_MAX_GROUPS];
	u64 group_count[ZS_MAX_GROUPS];
	int index;
	int size;
	int objs_per_zspage;
	int pages_per_zspage;
	bool huge;
	struct zspage *spare;	/* freed descriptors, linked by ->objs */
	int nr_spare;
	u64 obj_allocated;
	u64 obj_used;
};

/*
 * Cells come a page of them at a time, as a kmem_cache's slab holds many
 * objects: a malloc per cell took 32 bytes of heap for 24 of cell.  Like
 * the free list of cells before them, the blocks stay with the pool until
 * it is destroyed (a device keeps its peak count of cells until reset):
 * no allocation on the store path once the pool has grown.
 */
struct cell_block {
	struct cell_block *next;
	struct zs_cell cells[];
};

#define CELLS_PER_BLOCK	((PAGE_SIZE - sizeof(struct cell_block)) / \
			 sizeof(struct zs_cell))

struct zs_pool {
	struct size_class *classes[ZS_SIZE_CLASSES];
	int chain;
	int kernel;		/* 61 or 66 */
	int nr_groups;
	size_t huge_class_size;
	unsigned long pages_allocated;
	u64 pages_compacted;
	u64 objs;
	u64 obj_bytes;
	u8 bounce[PAGE_SIZE];
	u8 copybuf[PAGE_SIZE];		/* compaction: kernel stacks are small */
	const struct zs_cell *mapped;	/* object bounced, if any */
	struct zs_cell *free_cells;	/* linked through ->zspage */
	struct cell_block *cell_blocks;
};

/*
 * get_pages_per_zspage() - the chain length (1..@chain pages) that leaves
 * the smallest share of its tail unused; ties go to the shorter chain.
 */
static int get_pages_per_zspage(int class_size, int chain)
{
	int i, max_usedpc = 0, best = 1;

	for (i = 1; i <= chain; i++) {
		int zspage_size = i * PAGE_SIZE;
		int waste = zspage_size % class_size;
		int usedpc = (zspage_size - waste) * 100 / zspage_size;

		if (usedpc > max_usedpc) {
			max_usedpc = usedpc;
			best = i;
		}
	}
	return best;
}

/*
 * chain_min_waste() - the chain length (1..@chain pages) that leaves the
 * fewest bytes unused, the first one on a tie; one page for a power of
 * two, which wastes nothing there (calculate_zspage_chain_size(), 6.3+).
 */
static int chain_min_waste(int class_size, int chain)
{
	int i, min_waste = PAGE_SIZE, best = 1;

	if (!(class_size & (class_size - 1)))
		return 1;
	for (i = 1; i <= chain; i++) {
		int waste = (i * PAGE_SIZE) % class_size;

		if (waste < min_waste) {
			min_waste = waste;
			best = i;
		}
	}
	return best;
}

static int size_class_index(size_t size)
{
	int idx = 0;

	if (size > ZS_MIN_ALLOC_SIZE)
		idx = DIV_ROUND_UP(size - ZS_MIN_ALLOC_SIZE,
				   ZS_SIZE_CLASS_DELTA);
	return min_t(int, ZS_SIZE_CLASSES - 1, idx);
}

static int fullness_group(struct zs_pool *pool, struct size_class *class,
			  int inuse)
{
	int objs = class->objs_per_zspage;

	if (inuse == 0)
		return 0;
	if (pool->kernel == 61) {
		if (inuse == objs)
			return 3;
		return inuse <= 3 * objs / 4 ? 1 : 2;
	}
	if (inuse == objs)
		return 11;
	return 100 * inuse / objs / 10 + 1;
}

static int full_group(struct zs_pool *pool)
{
	return pool->nr_groups - 1;
}

static void insert_zspage(struct zs_pool *pool, struct size_class *class,
			  struct zspage *zspage, int group)
{
	struct list_head *head = &class->lists[group];
	struct zspage *first;

	class->group_count[group]++;
	zspage->group = group;
	first = list_first_entry_or_null(head, struct zspage, list);
	/* 6.1 keeps the zspage with more objects in use at the head */
	if (pool->kernel == 61 && first && zspage->inuse < first->inuse)
		list_add(&zspage->list, &first->list);
	else
		list_add(&zspage->list, head);
}

static void remove_zspage(struct size_class *class, struct zspage *zspage)
{
	list_del_init(&zspage->list);
	class->group_count[zspage->group]--;
}

static void fix_fullness(struct zs_pool *pool, struct size_class *class,
			 struct zspage *zspage)
{
	int g = fullness_group(pool, class, zspage->inuse);

	if (g == zspage->group)
		return;
	remove_zspage(class, zspage);
	insert_zspage(pool, class, zspage, g);
}

/* descriptors a class keeps for reuse, as zspage_cachep's slabs would */
#define ZS_SPARE_MAX	16

static void free_zspage(struct zs_pool *pool, struct zspage *zspage)
{
	struct size_class *class = zspage->class;
	int i;

	for (i = 0; i < class->pages_per_zspage; i++)
		if (zspage->pages[i])
			sl_page_free(zspage->pages[i]);
	if (class->nr_spare == ZS_SPARE_MAX) {
		kfree(zspage);
		return;
	}
	zspage->objs = (struct zs_obj *)class->spare;
	class->spare = zspage;
	class->nr_spare++;
}

static void drop_spares(struct size_class *class)
{
	struct zspage *zspage;

	while ((zspage = class->spare)) {
		class->spare = (struct zspage *)zspage->objs;
		kfree(zspage);
	}
	class->nr_spare = 0;
}

static struct zspage *alloc_zspage(struct size_class *class)
{
	struct zspage *zspage = class->spare;
	int i, n = class->pages_per_zspage;

	if (zspage) {
		class->spare = (struct zspage *)zspage->objs;
		class->nr_spare--;
	} else {
		/* one allocation: the descriptor, its pages, its objects */
		zspage = kmalloc(sizeof(*zspage) + n * sizeof(void *) +
				 class->objs_per_zspage *
				 sizeof(struct zs_obj), GFP_KERNEL);
		if (!zspage)
			return NULL;
	}
	zspage->class = class;
	INIT_LIST_HEAD(&zspage->list);
	zspage->inuse = 0;
	zspage->group = 0;
	zspage->freeobj = -1;
	zspage->fresh = 0;
	zspage->objs = (struct zs_obj *)&zspage->pages[n];
	for (i = 0; i < n; i++) {
		zspage->pages[i] = sl_page_alloc();
		if (!zspage->pages[i])
			goto err;
	}
	return zspage;
err:
	while (i--)
		sl_page_free(zspage->pages[i]);
	kfree(zspage);
	return NULL;
}

/* the kernel's free list head: the last freed object, else the tail */
static int obj_take(struct zspage *zspage, struct zs_cell *cell)
{
	int idx = zspage->freeobj;

	if (idx >= 0)
		zspage->freeobj = zspage->objs[idx].next;
	else
		idx = zspage->fresh++;
	zspage->objs[idx].owner = cell;
	zspage->inuse++;
	return idx;
}

/* where object @idx's bytes start: page and offset, header skipped */
static void obj_location(struct zspage *zspage, int idx, int *page, int *off)
{
	size_t o = (size_t)idx * zspage->class->size;

	if (!zspage->class->huge)
		o += ZS_HANDLE_SIZE;
	*page = o >> PAGE_SHIFT;
	*off = o & ~PAGE_MASK;
}

/* @cell now owns object @idx of @zspage */
static void cell_place(struct zs_cell *cell, struct zspage *zspage, int idx)
{
	int page, off;

	cell->zspage = zspage;
	cell->idx = idx;
	obj_location(zspage, idx, &page, &off);
	cell->addr = (u8 *)zspage->pages[page] + off;
}

/* take the first free object of @zspage for @cell */
static void obj_malloc(struct zspage *zspage, struct zs_cell *cell)
{
	cell_place(cell, zspage, obj_take(zspage, cell));
}

/* freed objects go to the head of the free list, as in the kernel */
static void obj_free(struct zspage *zspage, int idx)
{
	zspage->objs[idx].owner = NULL;
	zspage->objs[idx].next = zspage->freeobj;
	zspage->freeobj = idx;
	zspage->inuse--;
}

static int zs_parse(struct zs_pool *pool, const char *opts)
{
	char key[32], val[32];
	unsigned int v;
	const char *p = opts;
	bool chain_set = false;

	pool->kernel = 66;
	pool->chain = 8;
	while ((p = sl_opt_next(p, key, val, sizeof(key)))) {
		if (IS_ERR(p))
			return -EINVAL;
		if (!strcmp(key, "chain")) {
			if (kstrtouint(val, 10, &v) || v < ZS_MIN_CHAIN ||
			    v > ZS_MAX_CHAIN)
				return -EINVAL;
			pool->chain = v;
			chain_set = true;
		} else if (!strcmp(key, "kernel")) {
			if (!strcmp(val, "6.1"))
				pool->kernel = 61;
			else if (!strcmp(val, "6.6") || !strcmp(val, "6.12"))
				pool->kernel = 66;	/* same rules */
			else
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (!chain_set && pool->kernel == 61)
		pool->chain = 4;	/* ZS_MAX_ZSPAGE_ORDER 2 in 6.1 */
	pool->nr_groups = pool->kernel == 61 ? 4 : 12;
	return 0;
}

static struct zspage *first_zspage(struct list_head *head)
{
	return list_first_entry_or_null(head, struct zspage, list);
}

static void zs_destroy(void *p)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	struct zspage *zspage;
	int i, g;

	if (!pool)
		return;
	/* upwards: a merged entry points at a class above it, still there */
	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		class = pool->classes[i];
		if (!class || class->index != i)
			continue;
		for (g = 0; g < ZS_MAX_GROUPS; g++) {
			while ((zspage = first_zspage(&class->lists[g]))) {
				remove_zspage(class, zspage);
				free_zspage(pool, zspage);
			}
		}
		drop_spares(class);
		kfree(class);
	}
	while (pool->cell_blocks) {
		struct cell_block *b = pool->cell_blocks;

		pool->cell_blocks = b->next;
		kfree(b);
	}
	kfree(pool);
}

/*
 * handles come from a free list of the pool's own, as the kernel's come
 * from a kmem_cache (zs_handle): a general-purpose malloc per object cost
 * more than the rest of zs_malloc()
 */
static struct zs_cell *cell_alloc(struct zs_pool *pool)
{
	struct zs_cell *cell = pool->free_cells;
	struct cell_block *b;
	size_t i;

	if (!cell) {
		b = kmalloc(sizeof(*b) + CELLS_PER_BLOCK * sizeof(*cell),
			    GFP_KERNEL);
		if (!b)
			return NULL;
		b->next = pool->cell_blocks;
		pool->cell_blocks = b;
		for (i = CELLS_PER_BLOCK - 1; i > 0; i--) {
			b->cells[i].zspage = (struct zspage *)pool->free_cells;
			pool->free_cells = &b->cells[i];
		}
		return &b->cells[0];
	}
	pool->free_cells = (struct zs_cell *)cell->zspage;
	return cell;
}

static void cell_free(struct zs_pool *pool, struct zs_cell *cell)
{
	cell->zspage = (struct zspage *)pool->free_cells;
	pool->free_cells = cell;
}

static int zs_create(const char *opts, void **out)
{
	struct size_class *class, *prev = NULL;
	struct zs_pool *pool;
	int i, g, ret;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	ret = zs_parse(pool, opts);
	if (ret) {
		kfree(pool);
		return ret;
	}
	/* from the top down, so a class can merge into the larger one */
	for (i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		int size = min_t(int, ZS_MIN_ALLOC_SIZE +
				 i * ZS_SIZE_CLASS_DELTA, ZS_MAX_ALLOC_SIZE);
		int pages = pool->kernel == 61 ?
			    get_pages_per_zspage(size, pool->chain) :
			    chain_min_waste(size, pool->chain);
		int objs = pages * PAGE_SIZE / size;

		/* the header is added before the class lookup: minus 7 */
		if (pages != 1 && objs != 1 && !pool->huge_class_size)
			pool->huge_class_size = size - (ZS_HANDLE_SIZE - 1);
		if (prev && prev->pages_per_zspage == pages &&
		    prev->objs_per_zspage == objs) {
			pool->classes[i] = prev;
			continue;
		}
		class = kzalloc(sizeof(*class), GFP_KERNEL);
		if (!class) {
			zs_destroy(pool);
			return -ENOMEM;
		}
		class->index = i;
		class->size = size;
		class->pages_per_zspage = pages;
		class->objs_per_zspage = objs;
		class->huge = pages == 1 && objs == 1;
		for (g = 0; g < ZS_MAX_GROUPS; g++)
			INIT_LIST_HEAD(&class->lists[g]);
		pool->classes[i] = class;
		prev = class;
	}
	*out = pool;
	return 0;
}

static struct zspage *find_get_zspage(struct zs_pool *pool,
				      struct size_class *class)
{
	int g;

	for (g = full_group(pool) - 1; g > 0; g--)
		if (!list_empty(&class->lists[g]))
			return list_first_entry_or_null(&class->lists[g],
							struct zspage, list);
	return NULL;
}

static int zs_malloc(void *p, size_t size, unsigned long *handle)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	struct zspage *zspage;
	struct zs_cell *cell;

	if (!size || size > ZS_MAX_ALLOC_SIZE)
		return -EINVAL;
	cell = cell_alloc(pool);
	if (!cell)
		return -ENOMEM;
	class = pool->classes[size_class_index(size + ZS_HANDLE_SIZE)];
	zspage = find_get_zspage(pool, class);
	if (zspage) {
		obj_malloc(zspage, cell);
		fix_fullness(pool, class, zspage);
	} else {
		zspage = alloc_zspage(class);
		if (!zspage) {
			cell_free(pool, cell);
			return -ENOMEM;
		}
		obj_malloc(zspage, cell);
		insert_zspage(pool, class, zspage,
			      fullness_group(pool, class, zspage->inuse));
		pool->pages_allocated += class->pages_per_zspage;
		class->obj_allocated += class->objs_per_zspage;
	}
	class->obj_used++;
	cell->size = size;
	pool->objs++;
	pool->obj_bytes += size;
	*handle = (unsigned long)cell;
	return 0;
}

static void release_if_empty(struct zs_pool *pool, struct zspage *zspage)
{
	struct size_class *class = zspage->class;

	if (zspage->inuse)
		return;
	remove_zspage(class, zspage);
	class->obj_allocated -= class->objs_per_zspage;
	pool->pages_allocated -= class->pages_per_zspage;
	free_zspage(pool, zspage);
}

static void zs_free(void *p, unsigned long handle)
{
	struct zs_pool *pool = p;
	struct zs_cell *cell = (struct zs_cell *)handle;
	struct zspage *zspage = cell->zspage;
	struct size_class *class = zspage->class;

	obj_free(zspage, cell->idx);
	class->obj_used--;
	pool->objs--;
	pool->obj_bytes -= cell->size;
	cell_free(pool, cell);
	fix_fullness(pool, class, zspage);
	release_if_empty(pool, zspage);
}

static void *zs_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct zs_pool *pool = p;
	struct zs_cell *cell = (struct zs_cell *)handle;
	int page, off;

	obj_location(cell->zspage, cell->idx, &page, &off);
	if (off + cell->size <= PAGE_SIZE)
		return (u8 *)cell->zspage->pages[page] + off;
	if (mm != SL_MAP_WO)
		sl_obj_copy(&cell->zspage->pages[page], off, cell->size,
			    pool->bounce, false);
	pool->mapped = mm == SL_MAP_RO ? NULL : cell;	/* copy back? */
	return pool->bounce;
}

static void zs_unmap(void *p, unsigned long handle)
{
	struct zs_pool *pool = p;
	struct zs_cell *cell = (struct zs_cell *)handle;
	int page, off;

	if (pool->mapped != cell)
		return;
	obj_location(cell->zspage, cell->idx, &page, &off);
	sl_obj_copy(&cell->zspage->pages[page], off, cell->size, pool->bounce,
		    true);
	pool->mapped = NULL;
}

static void zs_copy(unsigned long handle, void *buf, bool to_pool)
{
	struct zs_cell *cell = (struct zs_cell *)handle;
	int page, off;

	obj_location(cell->zspage, cell->idx, &page, &off);
	sl_obj_copy(&cell->zspage->pages[page], off, cell->size, buf, to_pool);
}

/* pool pages are page aligned: @addr's offset tells whether it straddles */
static bool in_one_page(const struct zs_cell *cell)
{
	return ((unsigned long)cell->addr & ~PAGE_MASK) + cell->size <=
	       PAGE_SIZE;
}

static void zs_read(void *p, unsigned long handle, void *dst)
{
	struct zs_cell *cell = (struct zs_cell *)handle;

	if (in_one_page(cell))
		memcpy(dst, cell->addr, cell->size);
	else
		zs_copy(handle, dst, false);
}

/* cell->addr and ->size change only when compaction moves the object */
static const void *zs_peek(void *p, unsigned long handle)
{
	const struct zs_cell *cell = (const struct zs_cell *)handle;

	return in_one_page(cell) ? cell->addr : NULL;
}

static void zs_write(void *p, unsigned long handle, const void *src)
{
	struct zs_cell *cell = (struct zs_cell *)handle;

	if (in_one_page(cell))
		memcpy(cell->addr, src, cell->size);
	else
		zs_copy(handle, (void *)src, true);
}

static void obj_copy(struct zs_pool *pool, struct zs_cell *cell,
		     struct zspage *to, int to_idx)
{
	struct zs_cell tmp = { .zspage = to, .idx = to_idx, .size = cell->size };
	void *src = zs_map(pool, (unsigned long)cell, SL_MAP_RO);

	memcpy(pool->copybuf, src, cell->size);
	zs_unmap(pool, (unsigned long)cell);
	memcpy(zs_map(pool, (unsigned long)&tmp, SL_MAP_WO), pool->copybuf,
	       cell->size);
	zs_unmap(pool, (unsigned long)&tmp);
}

/* compaction source: the emptiest zspage; destination: the fullest */
static struct zspage *isolate(struct zs_pool *pool, struct size_class *class,
			      bool source)
{
	int g, full = full_group(pool);
	struct zspage *zspage;

	for (g = source ? 1 : full - 1; g > 0 && g < full;
	     g += source ? 1 : -1) {
		zspage = list_first_entry_or_null(&class->lists[g],
						  struct zspage, list);
		if (zspage) {
			remove_zspage(class, zspage);
			return zspage;
		}
	}
	return NULL;
}

static void putback(struct zs_pool *pool, struct zspage *zspage)
{
	struct size_class *class = zspage->class;

	insert_zspage(pool, class, zspage,
		      fullness_group(pool, class, zspage->inuse));
}

/* move objects of @src into @dst; Return: true if @dst filled up first */
static bool migrate(struct zs_pool *pool, struct zspage *src,
		    struct zspage *dst, int *pos)
{
	struct size_class *class = src->class;
	struct zs_cell *cell;
	int to;

	for (; *pos < src->fresh; (*pos)++) {
		cell = src->objs[*pos].owner;
		if (!cell)
			continue;
		if (dst->inuse == class->objs_per_zspage)
			return true;
		to = obj_take(dst, cell);
		obj_copy(pool, cell, dst, to);
		obj_free(src, *pos);
		cell_place(cell, dst, to);
	}
	return false;
}

static bool can_compact(struct size_class *class)
{
	u64 wasted = class->obj_allocated - class->obj_used;

	return wasted / class->objs_per_zspage > 0;
}

static unsigned long compact_class(struct zs_pool *pool,
				   struct size_class *class)
{
	struct zspage *src, *dst = NULL;
	unsigned long freed = 0;
	int pos;

	while ((src = isolate(pool, class, true))) {
		if (!can_compact(class))
			break;
		pos = 0;
		while ((dst = isolate(pool, class, false))) {
			if (!migrate(pool, src, dst, &pos))
				break;
			putback(pool, dst);
			dst = NULL;
		}
		if (!dst)
			break;
		putback(pool, dst);
		if (!src->inuse) {
			class->obj_allocated -= class->objs_per_zspage;
			pool->pages_allocated -= class->pages_per_zspage;
			free_zspage(pool, src);
			freed += class->pages_per_zspage;
		} else {
			putback(pool, src);
		}
		src = NULL;
	}
	if (src)
		putback(pool, src);
	return freed;
}

/*
 * compact_class_66() - 6.4+ __zs_compact(): keep one destination, the
 * fullest zspage, until it is full, and empty the emptiest into it.
 */
static unsigned long compact_class_66(struct zs_pool *pool,
				      struct size_class *class)
{
	struct zspage *src, *dst = NULL;
	unsigned long freed = 0;
	int pos;

	while (can_compact(class)) {
		if (!dst) {
			dst = isolate(pool, class, false);
			if (!dst)
				break;
		}
		src = isolate(pool, class, true);
		if (!src)
			break;
		pos = 0;
		migrate(pool, src, dst, &pos);
		if (!src->inuse) {
			class->obj_allocated -= class->objs_per_zspage;
			pool->pages_allocated -= class->pages_per_zspage;
			free_zspage(pool, src);
			freed += class->pages_per_zspage;
		} else {
			putback(pool, src);
		}
		if (dst->inuse == class->objs_per_zspage) {
			putback(pool, dst);
			dst = NULL;
		}
	}
	if (dst)
		putback(pool, dst);
	return freed;
}

static unsigned long zs_compact(void *p)
{
	struct zs_pool *pool = p;
	unsigned long freed = 0;
	int i;

	for (i = ZS_SIZE_CLASSES - 1; i >= 0; i--)
		if (pool->classes[i]->index == i)
			freed += pool->kernel == 61 ?
				 compact_class(pool, pool->classes[i]) :
				 compact_class_66(pool, pool->classes[i]);
	pool->pages_compacted += freed;
	return freed;
}

static unsigned long zs_total_pages(void *p)
{
	return ((struct zs_pool *)p)->pages_allocated;
}

static void zs_stats(void *p, struct sl_alloc_stats *st)
{
	struct zs_pool *pool = p;

	memset(st, 0, sizeof(*st));
	st->pages = pool->pages_allocated;
	st->objs = pool->objs;
	st->obj_bytes = pool->obj_bytes;
	st->pages_compacted = pool->pages_compacted;
	st->max_size = ZS_MAX_ALLOC_SIZE;
}

static size_t zs_huge_size(void *p)
{
	return ((struct zs_pool *)p)->huge_class_size;
}

static int check_zspage(struct zs_pool *pool, struct size_class *class,
			struct zspage *zspage, int g)
{
	int i, n = 0, free = 0, o, page, off;

	if (!(zspage->class == class && zspage->group == g))
		return -EUCLEAN;
	if (fullness_group(pool, class, zspage->inuse) != g)
		return -EUCLEAN;
	if (!(zspage->fresh >= 0 && zspage->fresh <= class->objs_per_zspage))
		return -EUCLEAN;
	for (i = 0; i < zspage->fresh; i++) {
		if (!zspage->objs[i].owner)
			continue;
		n++;
		if (zspage->objs[i].owner->zspage != zspage)
			return -EUCLEAN;
		if (zspage->objs[i].owner->idx != i)
			return -EUCLEAN;
		obj_location(zspage, i, &page, &off);
		if (zspage->objs[i].owner->addr !=
		    (u8 *)zspage->pages[page] + off)
			return -EUCLEAN;
		if (!(zspage->objs[i].owner->size + (class->huge ? 0 :
		      ZS_HANDLE_SIZE) <= class->size))
			return -EUCLEAN;
	}
	if (n != zspage->inuse)
		return -EUCLEAN;
	for (o = zspage->freeobj; o >= 0; o = zspage->objs[o].next) {
		if (!(o < zspage->fresh && !zspage->objs[o].owner))
			return -EUCLEAN;
		if (++free > zspage->fresh)
			return -EUCLEAN;
	}
	if (free + n != zspage->fresh)
		return -EUCLEAN;
	return 0;
}

static int zs_check(void *p)
{
	struct zs_pool *pool = p;
	unsigned long pages = 0;
	u64 objs = 0;
	int i, g, ret;

	for (i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		struct size_class *class = pool->classes[i];
		struct zspage *zspage;
		u64 used = 0, zspages = 0;

		if (!(class && class->index >= i))
			return -EUCLEAN;
		if (class->index != i)
			continue;
		if (!(class->size >= ZS_MIN_ALLOC_SIZE + i *
		      (int)ZS_SIZE_CLASS_DELTA || i == ZS_SIZE_CLASSES - 1))
			return -EUCLEAN;
		if (!(list_empty(&class->lists[0])))
			return -EUCLEAN;
		for (g = 1; g < pool->nr_groups; g++) {
			u64 cnt = 0;

			list_for_each_entry(zspage, &class->lists[g], list) {
				ret = check_zspage(pool, class, zspage, g);
				if (ret)
					return ret;
				used += zspage->inuse;
				cnt++;
			}
			if (cnt != class->group_count[g])
				return -EUCLEAN;
			zspages += cnt;
		}
		if (used != class->obj_used)
			return -EUCLEAN;
		if (!(zspages * class->objs_per_zspage ==
		      class->obj_allocated))
			return -EUCLEAN;
		pages += zspages * class->pages_per_zspage;
		objs += used;
	}
	if (pages != pool->pages_allocated)
		return -EUCLEAN;
	if (objs != pool->objs)
		return -EUCLEAN;
	return 0;
}

static unsigned long class_freeable(struct size_class *class)
{
	if (class->obj_allocated <= class->obj_used)
		return 0;
	return (class->obj_allocated - class->obj_used) /
		class->objs_per_zspage * class->pages_per_zspage;
}

/* the @n-th line of the kernel's debugfs zsmalloc/<pool>/classes file */
static int zs_class_stats(void *p, unsigned int n,
			  struct sl_alloc_class_stats *cs)
{
	struct zs_pool *pool = p;
	struct size_class *class;
	int i, g;

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		class = pool->classes[i];
		if (class->index != i || n--)
			continue;
		memset(cs, 0, sizeof(*cs));
		cs->index = i;
		cs->size = class->size;
		cs->objs_per_unit = class->objs_per_zspage;
		cs->pages_per_unit = class->pages_per_zspage;
		cs->obj_allocated = class->obj_allocated;
		cs->obj_used = class->obj_used;
		cs->pages_used = class->obj_allocated /
				 class->objs_per_zspage *
				 class->pages_per_zspage;
		cs->freeable = class_freeable(class);
		cs->nr_groups = pool->nr_groups;
		for (g = 0; g < pool->nr_groups; g++)
			cs->groups[g] = class->group_count[g];
		return 0;
	}
	return -ENOENT;
}

const struct sl_alloc_ops sl_alloc_zsmalloc = {
	.name = "zsmalloc",
	.desc = "model of the kernel's zsmalloc (chain=4..16, kernel=6.1|6.6|6.12)",
	.create = zs_create,
	.destroy = zs_destroy,
	.malloc = zs_malloc,
	.free = zs_free,
	.map = zs_map,
	.unmap = zs_unmap,
	.read = zs_read,
	.write = zs_write,
	.peek = zs_peek,
	.compact = zs_compact,
	.total_pages = zs_total_pages,
	.stats = zs_stats,
	.huge_size = zs_huge_size,
	.check = zs_check,
	.class_stats = zs_class_stats,
};
