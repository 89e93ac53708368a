// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_tlsf.c - classic TLSF (Masmano et al., "TLSF: a new dynamic
 * memory allocator for real-time systems", 2004; the 2.4 code) over pages
 * taken one at a time and given back when empty, as compcache's TLSF port
 * did before xvmalloc replaced it.
 *
 * Why: TLSF is the general-purpose O(1) allocator compcache measured
 * xvmalloc and kmalloc against.  It rounds each request up to the next
 * list boundary ("good fit") so that the head of a list always fits --
 * quick, but a page's last 63 bytes or more can never be handed out and
 * blocks carry a 16-byte header.  Replaying shows what that costs next
 * to xvmalloc's 4-byte headers and 8-byte lists.
 *
 * The rules (TLSF 2.4, 64-bit):
 *  - blocks have a 16-byte header (BHDR_OVERHEAD) and are rounded up to
 *    16 B (BLOCK_ALIGN), at least 16 B (MIN_BLOCK_SIZE);
 *  - free lists: sizes below 128 B (SMALL_BLOCK) in 32 lists 4 B apart,
 *    above that 32 lists (MAX_LOG2_SLI 5) per power of two; a two-level
 *    bitmap finds the first non-empty list at or above the request,
 *    rounded up to its list's start (MAPPING_SEARCH);
 *  - a block is split when the rest holds a header and a minimum block;
 *    free merges both neighbours; a page that is one free block again is
 *    given back;
 *  - requests that round past the largest list a page's block can be on
 *    (above 4032 B) get a page alone, so huge_size() is 4033.
 * Links of free blocks live in their payload; the header keeps offsets
 * in the page instead of TLSF's prev_hdr pointer, plus the size asked
 * for (for obj_bytes) in its place.  A handle is (page id + 1) << 12 |
 * payload offset; page ids index a table kept beside the pages.
 */
#include "sl_fit.h"

#define BLOCK_ALIGN	16
#define MIN_BLOCK_SIZE	16
#define BHDR_OVERHEAD	16
#define MAX_LOG2_SLI	5
#define MAX_SLI		BIT(MAX_LOG2_SLI)
#define FLI_OFFSET	6
#define SMALL_BLOCK	128
#define REAL_FLI	(PAGE_SHIFT - FLI_OFFSET)	/* 6 on 4 KiB pages */
#define NR_LISTS	(REAL_FLI * MAX_SLI)
#define PAGE_BLOCK	(PAGE_SIZE - BHDR_OVERHEAD)

#define FREE_BLOCK	1
#define PREV_FREE	2
#define FLAGS_MASK	3

/* then, in a free block, the struct sl_fit_link */
struct bhdr {
	u32 prev;	/* offset of the previous block in the page */
	u32 size;	/* payload bytes | FREE_BLOCK | PREV_FREE */
	u32 req;	/* bytes asked for; 0 when free */
	u32 pad;
};

static int ms_bit(u32 x)
{
	return 31 - __builtin_clz(x);
}

static struct bhdr *block_at(struct sl_fit *fp, u32 page, u32 off)
{
	return (struct bhdr *)(sl_fit_page(fp, page) + off);
}

static u32 bsize(struct bhdr *b)
{
	return b->size & ~FLAGS_MASK;
}

/*
 * MAPPING_INSERT: the list a free block of @r bytes sits on, numbered
 * fl * MAX_SLI + sl so that TLSF's two-level search is sl_fit_find()
 */
static u32 mapping_insert(u32 r)
{
	int fl;

	if (r < SMALL_BLOCK)
		return r / (SMALL_BLOCK / MAX_SLI);
	fl = ms_bit(r);
	return (fl - FLI_OFFSET) * MAX_SLI + (r >> (fl - MAX_LOG2_SLI)) -
	       MAX_SLI;
}

/* MAPPING_SEARCH: the first list all of whose blocks hold @r bytes */
static u32 mapping_search(u32 r)
{
	if (r >= SMALL_BLOCK)
		r += (1 << (ms_bit(r) - MAX_LOG2_SLI)) - 1;
	return mapping_insert(r);
}

static void insert_block(struct sl_fit *fp, u32 page, u32 off,
			 struct bhdr *b)
{
	sl_fit_push(fp, mapping_insert(bsize(b)), page, off, b);
}

static void extract_block(struct sl_fit *fp, struct bhdr *b)
{
	sl_fit_unlink(fp, mapping_insert(bsize(b)), b);
}

static int tlsf_create(const char *opts, void **out)
{
	return sl_fit_create(opts, NR_LISTS, BHDR_OVERHEAD, out);
}

/*
 * add_page() - a page to the pool as one free block, or, for @alone
 * bytes, a page for one object.  Return: its page number, or 0.
 */
static u32 add_page(struct sl_fit *fp, u32 alone)
{
	struct sl_fit_alone *a = NULL;
	void *addr = sl_page_alloc();
	struct bhdr *b = addr;
	u32 page;

	if (alone) {
		a = kmalloc(sizeof(*a), GFP_KERNEL);
		if (!a)
			goto err;
		a->page = addr;
		a->size = alone;
	}
	if (!addr)
		goto err;
	page = sl_fit_add(fp, addr, a);
	if (!page)
		goto err;
	if (alone)
		return page;
	b->prev = 0;
	b->size = PAGE_BLOCK | FREE_BLOCK;
	b->req = 0;
	insert_block(fp, page, 0, b);
	return page;
err:
	sl_page_free(addr);
	kfree(a);
	return 0;
}

static int tlsf_malloc(void *p, size_t req, unsigned long *handle)
{
	struct sl_fit *fp = p;
	struct bhdr *b, *b2;
	u32 size, want, page, off, rest;
	int i;

	if (!req || req > PAGE_SIZE)
		return -EINVAL;
	size = req < MIN_BLOCK_SIZE ? MIN_BLOCK_SIZE : ALIGN(req, BLOCK_ALIGN);
	want = mapping_search(size);
	if (want >= NR_LISTS) {
		page = add_page(fp, req);
		if (!page)
			return -ENOMEM;
		*handle = (unsigned long)page << PAGE_SHIFT;
		goto out;
	}
	i = sl_fit_find(fp, want);
	if (i < 0) {
		if (!add_page(fp, 0))
			return -ENOMEM;
		i = sl_fit_find(fp, want);
	}
	page = fp->head[i].page;
	off = fp->head[i].off;
	b = block_at(fp, page, off);
	sl_fit_unlink(fp, i, b);

	rest = bsize(b) - size;
	if (rest >= BHDR_OVERHEAD + MIN_BLOCK_SIZE) {
		u32 off2 = off + BHDR_OVERHEAD + size;

		b2 = block_at(fp, page, off2);
		b2->prev = off;
		b2->size = (rest - BHDR_OVERHEAD) | FREE_BLOCK;
		b2->req = 0;
		if (off2 + BHDR_OVERHEAD + bsize(b2) < PAGE_SIZE)
			block_at(fp, page, off2 + BHDR_OVERHEAD +
				 bsize(b2))->prev = off2;
		insert_block(fp, page, off2, b2);
		b->size = size | (b->size & PREV_FREE);
	} else {
		u32 next = off + BHDR_OVERHEAD + bsize(b);

		if (next < PAGE_SIZE)
			block_at(fp, page, next)->size &= ~PREV_FREE;
		b->size &= ~FREE_BLOCK;
	}
	b->req = req;
	*handle = ((unsigned long)page << PAGE_SHIFT) | (off + BHDR_OVERHEAD);
out:
	fp->objs++;
	fp->obj_bytes += req;
	return 0;
}

static void tlsf_free(void *p, unsigned long handle)
{
	struct sl_fit *fp = p;
	u32 page = handle >> PAGE_SHIFT;
	u32 off = (handle & ~PAGE_MASK);
	struct bhdr *b, *n;
	u32 next;

	fp->objs--;
	if (!off) {
		sl_fit_free_alone(fp, page);
		return;
	}
	off -= BHDR_OVERHEAD;
	b = block_at(fp, page, off);
	fp->obj_bytes -= b->req;
	b->req = 0;
	b->size |= FREE_BLOCK;
	next = off + BHDR_OVERHEAD + bsize(b);
	if (next < PAGE_SIZE) {
		n = block_at(fp, page, next);
		if (n->size & FREE_BLOCK) {
			extract_block(fp, n);
			b->size += bsize(n) + BHDR_OVERHEAD;
		}
	}
	if (b->size & PREV_FREE) {
		u32 poff = b->prev;
		struct bhdr *pb = block_at(fp, page, poff);

		extract_block(fp, pb);
		pb->size += bsize(b) + BHDR_OVERHEAD;
		b = pb;
		off = poff;
	}
	if (bsize(b) == PAGE_BLOCK) {
		sl_fit_put(fp, page);
		return;
	}
	insert_block(fp, page, off, b);
	next = off + BHDR_OVERHEAD + bsize(b);
	if (next < PAGE_SIZE) {
		n = block_at(fp, page, next);
		n->size |= PREV_FREE;
		n->prev = off;
	}
}

/* the first size whose search list is past the last one: 4033 */
static size_t tlsf_huge_size(void *p)
{
	u32 size;

	for (size = PAGE_BLOCK & ~(BLOCK_ALIGN - 1); size; size -= BLOCK_ALIGN)
		if (mapping_search(size) < NR_LISTS)
			return size + 1;
	return PAGE_SIZE;
}

static int check_page(struct sl_fit *fp, u32 page, struct sl_fit_tally *t)
{
	u32 off = 0, prev = 0;
	bool prev_free = false, first = true;

	while (off < PAGE_SIZE) {
		struct bhdr *b = block_at(fp, page, off);
		bool is_free = b->size & FREE_BLOCK;
		u32 size = bsize(b);

		if (!(size >= MIN_BLOCK_SIZE && !(size % BLOCK_ALIGN)))
			return -EUCLEAN;
		if (off + BHDR_OVERHEAD + size > PAGE_SIZE)
			return -EUCLEAN;
		if (!(!!(b->size & PREV_FREE) == prev_free))
			return -EUCLEAN;
		if (!(first || b->prev == prev))
			return -EUCLEAN;
		if (prev_free && is_free)
			return -EUCLEAN;
		if (is_free) {
			if (b->req)
				return -EUCLEAN;
			t->listed++;
		} else {
			if (!(b->req && b->req <= size &&
			      ALIGN(b->req, BLOCK_ALIGN) >= size - 16))
				return -EUCLEAN;
			t->objs++;
			t->bytes += b->req;
		}
		prev = off;
		prev_free = is_free;
		first = false;
		off += BHDR_OVERHEAD + size;
	}
	if (off != PAGE_SIZE)
		return -EUCLEAN;
	if (prev == 0 && prev_free)
		return -EUCLEAN;
	return 0;
}

static bool on_list(const void *block, u32 i)
{
	const struct bhdr *b = block;

	return (b->size & FREE_BLOCK) &&
	       mapping_insert(b->size & ~FLAGS_MASK) == i;
}

static int tlsf_check(void *p)
{
	return sl_fit_check(p, tlsf_huge_size(p), check_page, on_list);
}

const struct sl_alloc_ops sl_alloc_tlsf = {
	.name = "tlsf",
	.desc = "TLSF 2.4 two-level segregated fit over pages taken on demand",
	.create = tlsf_create,
	.destroy = sl_fit_destroy,
	.malloc = tlsf_malloc,
	.free = tlsf_free,
	.map = sl_fit_map,
	.unmap = sl_fit_unmap,
	.total_pages = sl_fit_total_pages,
	.stats = sl_fit_stats,
	.huge_size = tlsf_huge_size,
	.check = tlsf_check,
};
