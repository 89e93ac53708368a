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
#include "sl_fit.h"

#define XV_ALIGN		4
#define XV_MIN_ALLOC_SIZE	32
#define XV_MAX_ALLOC_SIZE	(PAGE_SIZE - XV_ALIGN)
#define XV_MAX_OBJ		(PAGE_SIZE / 4 * 3)	/* compcache */
#define FL_DELTA_SHIFT		3
#define FL_DELTA		BIT(FL_DELTA_SHIFT)
#define NUM_FREE_LISTS		((XV_MAX_ALLOC_SIZE - XV_MIN_ALLOC_SIZE) / \
				 FL_DELTA + 1)

#define BLOCK_FREE		1
#define PREV_FREE		2
#define FLAGS_MASK		(XV_ALIGN - 1)

/* then, in a listed free block, the struct sl_fit_link */
struct block_header {
	u16 size;
	u16 prev;		/* offset of the previous block | flags */
};

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

static void insert_block(struct sl_fit *fp, u32 page, u32 offset,
			 struct block_header *block)
{
	sl_fit_push(fp, get_index_for_insert(block->size), page, offset,
		    block);
}

static void remove_block(struct sl_fit *fp, struct block_header *block)
{
	sl_fit_unlink(fp, get_index_for_insert(block->size), block);
}

static int grow_pool(struct sl_fit *fp)
{
	struct block_header *b;
	void *addr = sl_page_alloc();
	u32 page;

	if (!addr)
		return -ENOMEM;
	page = sl_fit_add(fp, addr, NULL);
	if (!page) {
		sl_page_free(addr);
		return -ENOMEM;
	}
	b = addr;
	b->size = PAGE_SIZE - XV_ALIGN;
	b->prev = BLOCK_FREE;
	insert_block(fp, page, 0, b);
	return 0;
}

static int xv_create(const char *opts, void **out)
{
	return sl_fit_create(opts, NUM_FREE_LISTS, XV_ALIGN, out);
}

static int alloc_alone(struct sl_fit *fp, size_t size, unsigned long *handle)
{
	struct sl_fit_alone *a = kmalloc(sizeof(*a), GFP_KERNEL);
	u32 page = 0;

	if (!a)
		return -ENOMEM;
	a->size = size;
	a->page = sl_page_alloc();
	if (a->page)
		page = sl_fit_add(fp, a->page, a);
	if (!page) {
		sl_page_free(a->page);
		kfree(a);
		return -ENOMEM;
	}
	*handle = (unsigned long)page << PAGE_SHIFT;
	return 0;
}

static int xv_malloc(void *p, size_t origsize, unsigned long *handle)
{
	struct sl_fit *fp = p;
	struct block_header *block, *tmp;
	u32 page, offset, tmpoffset, tmpsize, size;
	int index, ret;

	if (!origsize || origsize > PAGE_SIZE)
		return -EINVAL;
	if (origsize > XV_MAX_OBJ) {
		ret = alloc_alone(fp, origsize, handle);
		goto out;
	}
	size = ALIGN(origsize, XV_ALIGN);
	index = sl_fit_find(fp, get_index(size));
	if (index < 0) {
		ret = grow_pool(fp);
		if (ret)
			return ret;
		index = sl_fit_find(fp, get_index(size));
	}
	page = fp->head[index].page;
	offset = fp->head[index].off;
	block = (struct block_header *)(sl_fit_page(fp, page) + offset);
	sl_fit_unlink(fp, index, block);

	/* split off the rest as a free block */
	tmpoffset = offset + size + XV_ALIGN;
	tmpsize = block->size - size;
	tmp = (struct block_header *)((u8 *)block + size + XV_ALIGN);
	if (tmpsize) {
		tmp->size = tmpsize - XV_ALIGN;
		tmp->prev = offset | BLOCK_FREE;
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			insert_block(fp, page, tmpoffset, tmp);
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
		fp->objs++;
		fp->obj_bytes += origsize;
	}
	return ret;
}

static void xv_free(void *p, unsigned long handle)
{
	struct sl_fit *fp = p;
	u32 page = handle >> PAGE_SHIFT;
	u32 offset = handle & ~PAGE_MASK;
	struct block_header *block, *tmp;
	u8 *start;

	fp->objs--;
	if (!offset) {
		sl_fit_free_alone(fp, page);
		return;
	}
	offset -= XV_ALIGN;
	start = sl_fit_page(fp, page);
	block = (struct block_header *)(start + offset);
	fp->obj_bytes -= block->size;
	block->size = ALIGN(block->size, XV_ALIGN);

	tmp = block_next(block);
	if (offset + block->size + XV_ALIGN == PAGE_SIZE)
		tmp = NULL;
	if (tmp && (tmp->prev & BLOCK_FREE)) {
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			remove_block(fp, tmp);
		block->size += tmp->size + XV_ALIGN;
	}
	if (block->prev & PREV_FREE) {
		tmp = (struct block_header *)(start + get_blockprev(block));
		offset = offset - tmp->size - XV_ALIGN;
		if (tmp->size >= XV_MIN_ALLOC_SIZE)
			remove_block(fp, tmp);
		tmp->size += block->size + XV_ALIGN;
		block = tmp;
	}
	if (block->size == PAGE_SIZE - XV_ALIGN) {
		sl_fit_put(fp, page);
		return;
	}
	block->prev |= BLOCK_FREE;
	if (block->size >= XV_MIN_ALLOC_SIZE)
		insert_block(fp, page, offset, block);
	if (offset + block->size + XV_ALIGN != PAGE_SIZE) {
		tmp = block_next(block);
		tmp->prev |= PREV_FREE;
		set_blockprev(tmp, offset);
	}
}

static size_t xv_huge_size(void *p)
{
	return XV_MAX_OBJ + 1;
}

/* walk one page's blocks: they tile it, flags and back links agree */
static int check_page(struct sl_fit *fp, u32 page, struct sl_fit_tally *t)
{
	u8 *start = sl_fit_page(fp, page);
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
			t->listed += b->size >= XV_MIN_ALLOC_SIZE;
		} else {
			t->objs++;
			t->bytes += b->size;
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

static bool on_list(const void *block, u32 i)
{
	const struct block_header *b = block;

	return (b->prev & BLOCK_FREE) && get_index_for_insert(b->size) == i;
}

static int xv_check(void *p)
{
	return sl_fit_check(p, xv_huge_size(p), check_page, on_list);
}

const struct sl_alloc_ops sl_alloc_xvmalloc = {
	.name = "xvmalloc",
	.desc = "model of compcache's xvmalloc: TLSF-like lists in 0-order pages",
	.create = xv_create,
	.destroy = sl_fit_destroy,
	.malloc = xv_malloc,
	.free = xv_free,
	.map = sl_fit_map,
	.unmap = sl_fit_unmap,
	.total_pages = sl_fit_total_pages,
	.stats = sl_fit_stats,
	.huge_size = xv_huge_size,
	.check = xv_check,
};
