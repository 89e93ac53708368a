// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_xvmalloc.c - a model of compcache's xvmalloc (drivers/staging/
 * zram/xvmalloc.c until 3.x, replaced by zsmalloc).
 *
 * Why: compcache picked xvmalloc over TLSF and kmalloc by replaying swap
 * traces -- 5-10% over ideal where kmalloc wasted ~43% -- and zsmalloc
 * later replaced it because, on a fragmented pool, its whole-page blocks
 * could not be freed and its 0-order pages had to hold every object
 * whole.  Replaying the same stream through both shows that trade.
 *
 * The rules (xvmalloc_int.h, 4 KiB pages):
 *  - each page is a run of blocks: a 4-byte header (u16 size, u16 offset
 *    of the previous block, its low bits the BLOCK_FREE and PREV_FREE
 *    flags) then the payload; a new page is one free block of 4092 B;
 *  - sizes are rounded up to 4 B (XV_ALIGN); free blocks of 32 B or more
 *    (XV_MIN_ALLOC_SIZE) sit on 508 free lists 8 B apart (FL_DELTA),
 *    found through a two-level bitmap as in TLSF; smaller free blocks
 *    stay off the lists until a neighbour is freed;
 *  - malloc takes the head of the list for the size rounded up to 8 B,
 *    else the head of the next non-empty list, else a new page, and
 *    splits the block; free merges with free neighbours and gives the
 *    page back once it is one free block again;
 *  - compcache stored pages compressing above 3/4 PAGE_SIZE uncompressed
 *    in a page of their own: objects above 3072 B get a page alone here
 *    and huge_size() is 3073.
 * Free-list links live in the free blocks, as in the kernel; page
 * references are ids into a table kept beside the pages (like struct
 * page), and a handle is (page id + 1) << 12 | payload offset.
 */
#include "sl_alloc.h"

#define XV_ALIGN		4
#define XV_MIN_ALLOC_SIZE	32
#define XV_MAX_ALLOC_SIZE	(PAGE_SIZE - XV_ALIGN)
#define XV_MAX_OBJ		(PAGE_SIZE / 4 * 3)	/* compcache */
#define FL_DELTA_SHIFT		3
#define FL_DELTA		BIT(FL_DELTA_SHIFT)
#define NUM_FREE_LISTS		((XV_MAX_ALLOC_SIZE - XV_MIN_ALLOC_SIZE) / \
				 FL_DELTA + 1)
#define MAX_FLI			DIV_ROUND_UP(NUM_FREE_LISTS, BITS_PER_LONG)

#define BLOCK_FREE		1
#define PREV_FREE		2
#define FLAGS_MASK		(XV_ALIGN - 1)

struct block_header {
	u16 size;
	u16 prev;		/* offset of the previous block | flags */
};

/* in the payload of a listed free block; page 0 means none */
struct link_free {
	u32 prev_page;
	u32 next_page;
	u16 prev_offset;
	u16 next_offset;
};

struct freelist_entry {
	u32 page;		/* page id + 1, 0: empty */
	u16 offset;
};

/* a page holding one object; its id table entry is this | ENTRY_ALONE */
struct xv_alone {
	void *page;
	u32 size;
};

#define ENTRY_ALONE	2UL

struct xv_pool {
	unsigned long flbitmap;
	unsigned long slbitmap[MAX_FLI];
	struct freelist_entry freelist[NUM_FREE_LISTS];
	struct sl_idtab ids;	/* pages by id: address or page alone */
	unsigned long total_pages;
	u64 alone_pages;
	u64 objs;
	u64 obj_bytes;
};

static struct xv_alone *alone_of(void *entry)
{
	if (!((unsigned long)entry & ENTRY_ALONE))
		return NULL;
	return (void *)((unsigned long)entry & ~ENTRY_ALONE);
}

/* the address of page @page (an id + 1) */
static u8 *page_at(struct xv_pool *pool, u32 page)
{
	void *e = sl_idtab_at(&pool->ids, page - 1);
	struct xv_alone *a = alone_of(e);

	return a ? a->page : e;
}

/* block header at @offset of page @page (an id + 1) */
static struct block_header *block_at(struct xv_pool *pool, u32 page,
				     u32 offset)
{
	return (struct block_header *)(page_at(pool, page) + offset);
}

static struct link_free *link_of(struct block_header *b)
{
	return (struct link_free *)(b + 1);
}

static struct block_header *block_next(struct block_header *b)
{
	return (struct block_header *)((u8 *)b + XV_ALIGN +
				       ALIGN(b->size, XV_ALIGN));
}

static u32 get_blockprev(struct block_header *b)
{
	return b->prev & ~FLAGS_MASK;
}

static void set_blockprev(struct block_header *b, u32 offset)
{
	b->prev = offset | (b->prev & FLAGS_MASK);
}

/* the list a free block of @size goes on: rounded down */
static u32 get_index_for_insert(u32 size)
{
	if (size > XV_MAX_ALLOC_SIZE)
		size = XV_MAX_ALLOC_SIZE;
	size &= ~(FL_DELTA - 1);
	return (size - XV_MIN_ALLOC_SIZE) >> FL_DELTA_SHIFT;
}

/* the first list whose every block holds @size: rounded up */
static u32 get_index(u32 size)
{
	if (size < XV_MIN_ALLOC_SIZE)
		size = XV_MIN_ALLOC_SIZE;
	size = ALIGN(size, FL_DELTA);
	return (size - XV_MIN_ALLOC_SIZE) >> FL_DELTA_SHIFT;
}

static void insert_block(struct xv_pool *pool, u32 page, u32 offset,
			 struct block_header *block)
{
	u32 slindex = get_index_for_insert(block->size);
	u32 flindex = slindex / BITS_PER_LONG;
	struct freelist_entry *fl = &pool->freelist[slindex];
	struct link_free *link = link_of(block);

	link->prev_page = 0;
	link->prev_offset = 0;
	link->next_page = fl->page;
	link->next_offset = fl->offset;
	fl->page = page;
	fl->offset = offset;
	if (link->next_page) {
		struct block_header *next = block_at(pool, link->next_page,
						     link->next_offset);

		link_of(next)->prev_page = page;
		link_of(next)->prev_offset = offset;
		return;
	}
	pool->slbitmap[flindex] |= BIT(slindex % BITS_PER_LONG);
	pool->flbitmap |= BIT(flindex);
}

static void remove_block(struct xv_pool *pool, u32 page, u32 offset,
			 struct block_header *block, u32 slindex)
{
	struct freelist_entry *fl = &pool->freelist[slindex];
	struct link_free *link = link_of(block);
	u32 flindex = slindex / BITS_PER_LONG;

	if (link->prev_page) {
		struct block_header *prev = block_at(pool, link->prev_page,
						     link->prev_offset);

		link_of(prev)->next_page = link->next_page;
		link_of(prev)->next_offset = link->next_offset;
	}
	if (link->next_page) {
		struct block_header *next = block_at(pool, link->next_page,
						     link->next_offset);

		link_of(next)->prev_page = link->prev_page;
		link_of(next)->prev_offset = link->prev_offset;
	}
	if (fl->page != page || fl->offset != offset)
		return;
	/* it was the head */
	fl->page = link->next_page;
	fl->offset = link->next_offset;
	if (fl->page)
		return;
	pool->slbitmap[flindex] &= ~BIT(slindex % BITS_PER_LONG);
	if (!pool->slbitmap[flindex])
		pool->flbitmap &= ~BIT(flindex);
}

/* find_block(): exact list, then the rest of its word, then the next */
static int find_block(struct xv_pool *pool, u32 size, u32 *page,
		      u32 *offset)
{
	unsigned long slbitmap, flbitmap;
	u32 slindex, flindex, slbitstart;

	if (!pool->flbitmap)
		return -1;
	slindex = get_index(size);
	slbitmap = pool->slbitmap[slindex / BITS_PER_LONG];
	slbitstart = slindex % BITS_PER_LONG;
	if (slbitmap & BIT(slbitstart))
		goto found;
	slbitstart++;
	if (slbitstart != BITS_PER_LONG && (slbitmap >> slbitstart)) {
		slindex += __builtin_ctzl(slbitmap >> slbitstart) + 1;
		goto found;
	}
	flindex = slindex / BITS_PER_LONG;
	if (flindex + 1 >= BITS_PER_LONG)
		return -1;
	flbitmap = pool->flbitmap >> (flindex + 1);
	if (!flbitmap)
		return -1;
	flindex += __builtin_ctzl(flbitmap) + 1;
	slindex = flindex * BITS_PER_LONG +
		  __builtin_ctzl(pool->slbitmap[flindex]);
found:
	*page = pool->freelist[slindex].page;
	*offset = pool->freelist[slindex].offset;
	return slindex;
}

static int grow_pool(struct xv_pool *pool)
{
	struct block_header *b;
	void *addr = sl_page_alloc();
	u32 id;

	if (!addr)
		return -ENOMEM;
	if (sl_idtab_get(&pool->ids, addr, &id)) {
		sl_page_free(addr);
		return -ENOMEM;
	}
	b = addr;
	b->size = PAGE_SIZE - XV_ALIGN;
	b->prev = BLOCK_FREE;
	insert_block(pool, id + 1, 0, b);
	pool->total_pages++;
	return 0;
}

static int xv_create(const char *opts, void **out)
{
	struct xv_pool *pool;

	if (opts && *opts)
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	*out = pool;
	return 0;
}

static void xv_destroy(void *p)
{
	struct xv_pool *pool = p;
	u32 id;

	if (!pool)
		return;
	for (id = 0; id < pool->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&pool->ids, id);
		struct xv_alone *a = alone_of(e);

		sl_page_free(a ? a->page : e);
		kfree(a);
	}
	sl_idtab_destroy(&pool->ids);
	kfree(pool);
}

static int alloc_alone(struct xv_pool *pool, size_t size,
		       unsigned long *handle)
{
	struct xv_alone *a = kmalloc(sizeof(*a), GFP_KERNEL);
	u32 id;

	if (!a)
		return -ENOMEM;
	a->size = size;
	a->page = sl_page_alloc();
	if (!a->page ||
	    sl_idtab_get(&pool->ids, (void *)((unsigned long)a | ENTRY_ALONE),
			 &id)) {
		sl_page_free(a->page);
		kfree(a);
		return -ENOMEM;
	}
	pool->total_pages++;
	pool->alone_pages++;
	*handle = (unsigned long)(id + 1) << PAGE_SHIFT;
	return 0;
}

static int xv_malloc(void *p, size_t origsize, unsigned long *handle)
{
	struct xv_pool *pool = p;
	struct block_header *block, *tmp;
	u32 page, offset, tmpoffset, tmpsize, size;
	int index, ret;

	if (!origsize || origsize > PAGE_SIZE)
		return -EINVAL;
	if (origsize > XV_MAX_OBJ) {
		ret = alloc_alone(pool, origsize, handle);
		goto out;
	}
	size = ALIGN(origsize, XV_ALIGN);
	index = find_block(pool, size, &page, &offset);
	if (index < 0) {
		ret = grow_pool(pool);
		if (ret)
			return ret;
		index = find_block(pool, size, &page, &offset);
	}
	block = block_at(pool, page, offset);
	remove_block(pool, page, offset, block, index);

	/* split off the rest as a free block */
	tmpoffset = offset + size + XV_ALIGN;
	tmpsize = block->size - size;
	tmp = (struct block_header *)((u8 *)block + size + XV_ALIGN);
	if (tmpsize) {
		tmp->size = tmpsize - XV_ALIGN;
		tmp->prev = offset | BLOCK_FREE;
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			insert_block(pool, page, tmpoffset, tmp);
		if (tmpoffset + XV_ALIGN + tmp->size != PAGE_SIZE)
			set_blockprev(block_next(tmp), tmpoffset);
	} else if (tmpoffset != PAGE_SIZE) {
		tmp->prev &= ~PREV_FREE;
	}
	block->size = origsize;
	block->prev &= ~BLOCK_FREE;
	*handle = ((unsigned long)page << PAGE_SHIFT) | (offset + XV_ALIGN);
	ret = 0;
out:
	if (!ret) {
		pool->objs++;
		pool->obj_bytes += origsize;
	}
	return ret;
}

/* give page @page (an id + 1) back, and its descriptor if alone */
static void free_page_id(struct xv_pool *pool, u32 page)
{
	struct xv_alone *a = alone_of(sl_idtab_at(&pool->ids, page - 1));

	sl_page_free(page_at(pool, page));
	kfree(a);
	sl_idtab_put(&pool->ids, page - 1);
	pool->total_pages--;
}

static void xv_free(void *p, unsigned long handle)
{
	struct xv_pool *pool = p;
	u32 page = handle >> PAGE_SHIFT;
	u32 offset = handle & ~PAGE_MASK;
	struct block_header *block, *tmp;
	u8 *start;

	pool->objs--;
	if (!offset) {
		pool->obj_bytes -=
			alone_of(sl_idtab_at(&pool->ids, page - 1))->size;
		pool->alone_pages--;
		free_page_id(pool, page);
		return;
	}
	offset -= XV_ALIGN;
	start = page_at(pool, page);
	block = (struct block_header *)(start + offset);
	pool->obj_bytes -= block->size;
	block->size = ALIGN(block->size, XV_ALIGN);

	tmp = block_next(block);
	if (offset + block->size + XV_ALIGN == PAGE_SIZE)
		tmp = NULL;
	if (tmp && (tmp->prev & BLOCK_FREE)) {
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			remove_block(pool, page, offset + block->size +
				     XV_ALIGN, tmp,
				     get_index_for_insert(tmp->size));
		block->size += tmp->size + XV_ALIGN;
	}
	if (block->prev & PREV_FREE) {
		tmp = (struct block_header *)(start + get_blockprev(block));
		offset = offset - tmp->size - XV_ALIGN;
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			remove_block(pool, page, offset, tmp,
				     get_index_for_insert(tmp->size));
		tmp->size += block->size + XV_ALIGN;
		block = tmp;
	}
	if (block->size == PAGE_SIZE - XV_ALIGN) {
		free_page_id(pool, page);
		return;
	}
	block->prev |= BLOCK_FREE;
	if (block->size >= XV_MIN_ALLOC_SIZE)
		insert_block(pool, page, offset, block);
	if (offset + block->size + XV_ALIGN != PAGE_SIZE) {
		tmp = block_next(block);
		tmp->prev |= PREV_FREE;
		set_blockprev(tmp, offset);
	}
}

static void *xv_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct xv_pool *pool = p;

	return page_at(pool, handle >> PAGE_SHIFT) +
	       (handle & ~PAGE_MASK);
}

static void xv_unmap(void *p, unsigned long handle)
{
}

static unsigned long xv_total_pages(void *p)
{
	return ((struct xv_pool *)p)->total_pages;
}

static void xv_stats(void *p, struct sl_alloc_stats *st)
{
	struct xv_pool *pool = p;

	memset(st, 0, sizeof(*st));
	st->pages = pool->total_pages;
	st->objs = pool->objs;
	st->obj_bytes = pool->obj_bytes;
	st->max_size = PAGE_SIZE;
}

static size_t xv_huge_size(void *p)
{
	return XV_MAX_OBJ + 1;
}

/* walk one page's blocks: they tile it, flags and back links agree */
static int check_page(struct xv_pool *pool, u32 page, u64 *objs,
		      u64 *bytes, u64 *listed)
{
	u8 *start = page_at(pool, page);
	u32 off = 0, prev = 0;
	bool prev_free = false, first = true;

	while (off < PAGE_SIZE) {
		struct block_header *b = (struct block_header *)(start + off);
		bool is_free = b->prev & BLOCK_FREE;

		if (!(off + XV_ALIGN + ALIGN(b->size, XV_ALIGN) <=
		      PAGE_SIZE))
			return -EUCLEAN;
		if (!(first || get_blockprev(b) == prev))
			return -EUCLEAN;
		if (!(first || !!(b->prev & PREV_FREE) == prev_free))
			return -EUCLEAN;
		/* neighbouring free blocks are always merged */
		if (prev_free && is_free)
			return -EUCLEAN;
		if (is_free) {
			if (b->size & FLAGS_MASK)
				return -EUCLEAN;
			*listed += b->size >= XV_MIN_ALLOC_SIZE;
		} else {
			++*objs;
			*bytes += b->size;
			if (!(b->size && b->size <= XV_MAX_OBJ))
				return -EUCLEAN;
		}
		prev = off;
		prev_free = is_free;
		first = false;
		off += XV_ALIGN + ALIGN(b->size, XV_ALIGN);
	}
	if (off != PAGE_SIZE)
		return -EUCLEAN;
	/* an all-free page would have been given back */
	if (prev == 0 && prev_free)
		return -EUCLEAN;
	return 0;
}

static int check_lists(struct xv_pool *pool, u64 *listed)
{
	u32 i, n = 0;

	for (i = 0; i < NUM_FREE_LISTS; i++) {
		struct freelist_entry *fl = &pool->freelist[i];
		bool bit = pool->slbitmap[i / BITS_PER_LONG] &
			   BIT(i % BITS_PER_LONG);
		u32 page = fl->page, off = fl->offset, pp = 0, po = 0;

		if (!(bit == !!page))
			return -EUCLEAN;
		while (page) {
			struct block_header *b;
			struct link_free *l;

			if (page > pool->ids.nr_ids ||
			    !sl_idtab_at(&pool->ids, page - 1) ||
			    alone_of(sl_idtab_at(&pool->ids, page - 1)))
				return -EUCLEAN;
			b = block_at(pool, page, off);
			l = link_of(b);
			if (!(b->prev & BLOCK_FREE))
				return -EUCLEAN;
			if (get_index_for_insert(b->size) != i)
				return -EUCLEAN;
			if (!(l->prev_page == pp && l->prev_offset == po))
				return -EUCLEAN;
			if (++n > *listed)
				return -EUCLEAN;
			pp = page;
			po = off;
			page = l->next_page;
			off = l->next_offset;
		}
	}
	for (i = 0; i < MAX_FLI; i++)
		if (!(!!pool->slbitmap[i] == !!(pool->flbitmap & BIT(i))))
			return -EUCLEAN;
	if (n != *listed)
		return -EUCLEAN;
	return 0;
}

static int xv_check(void *p)
{
	struct xv_pool *pool = p;
	u64 pages = 0, alone = 0, objs = 0, bytes = 0, listed = 0;
	u32 id;
	int ret;

	for (id = 0; id < pool->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&pool->ids, id);
		struct xv_alone *a = alone_of(e);

		if (!e)
			continue;
		pages++;
		if (a) {
			if (a->size <= XV_MAX_OBJ || a->size > PAGE_SIZE)
				return -EUCLEAN;
			alone++;
			objs++;
			bytes += a->size;
			continue;
		}
		ret = check_page(pool, id + 1, &objs, &bytes, &listed);
		if (ret)
			return ret;
	}
	ret = check_lists(pool, &listed);
	if (ret)
		return ret;
	if (!(pages == pool->total_pages && alone == pool->alone_pages))
		return -EUCLEAN;
	if (pages != pool->ids.used)
		return -EUCLEAN;
	if (!(objs == pool->objs && bytes == pool->obj_bytes))
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_xvmalloc = {
	.name = "xvmalloc",
	.desc = "model of compcache's xvmalloc: TLSF-like lists in 0-order pages",
	.create = xv_create,
	.destroy = xv_destroy,
	.malloc = xv_malloc,
	.free = xv_free,
	.map = xv_map,
	.unmap = xv_unmap,
	.total_pages = xv_total_pages,
	.stats = xv_stats,
	.huge_size = xv_huge_size,
	.check = xv_check,
};
