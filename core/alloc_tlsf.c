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
#include "sl_alloc.h"

#define BLOCK_ALIGN	16
#define MIN_BLOCK_SIZE	16
#define BHDR_OVERHEAD	16
#define MAX_LOG2_SLI	5
#define MAX_SLI		BIT(MAX_LOG2_SLI)
#define FLI_OFFSET	6
#define SMALL_BLOCK	128
#define REAL_FLI	(PAGE_SHIFT - FLI_OFFSET)	/* 6 on 4 KiB pages */
#define PAGE_BLOCK	(PAGE_SIZE - BHDR_OVERHEAD)

#define FREE_BLOCK	1
#define PREV_FREE	2
#define FLAGS_MASK	3

struct bhdr {
	u32 prev;	/* offset of the previous block in the page */
	u32 size;	/* payload bytes | FREE_BLOCK | PREV_FREE */
	u32 req;	/* bytes asked for; 0 when free */
	u32 pad;
};

struct free_ptr {
	u32 prev_page;	/* page id + 1, 0: none */
	u32 next_page;
	u16 prev_off;
	u16 next_off;
};

/* a page holding one object; its id table entry is this | ENTRY_ALONE */
struct tlsf_alone {
	void *page;
	u32 size;
};

#define ENTRY_ALONE	2UL

struct tlsf_head {
	u32 page;
	u16 off;
};

struct tlsf_pool {
	u32 fl_bitmap;
	u32 sl_bitmap[REAL_FLI];
	struct tlsf_head matrix[REAL_FLI][MAX_SLI];
	struct sl_idtab ids;	/* pages by id: address or page alone */
	unsigned long total_pages;
	u64 alone_pages;
	u64 objs;
	u64 obj_bytes;
};

static int ms_bit(u32 x)
{
	return 31 - __builtin_clz(x);
}

static int ls_bit(u32 x)
{
	return __builtin_ctz(x);
}

static struct tlsf_alone *alone_of(void *entry)
{
	if (!((unsigned long)entry & ENTRY_ALONE))
		return NULL;
	return (void *)((unsigned long)entry & ~ENTRY_ALONE);
}

/* the address of page @page (an id + 1) */
static u8 *page_at(struct tlsf_pool *pool, u32 page)
{
	void *e = sl_idtab_at(&pool->ids, page - 1);
	struct tlsf_alone *a = alone_of(e);

	return a ? a->page : e;
}

static struct bhdr *block_at(struct tlsf_pool *pool, u32 page, u32 off)
{
	return (struct bhdr *)(page_at(pool, page) + off);
}

static struct free_ptr *fptr(struct bhdr *b)
{
	return (struct free_ptr *)(b + 1);
}

static u32 bsize(struct bhdr *b)
{
	return b->size & ~FLAGS_MASK;
}

/* MAPPING_INSERT: the list a free block of @r bytes sits on */
static void mapping_insert(u32 r, int *fl, int *sl)
{
	if (r < SMALL_BLOCK) {
		*fl = 0;
		*sl = r / (SMALL_BLOCK / MAX_SLI);
	} else {
		*fl = ms_bit(r);
		*sl = (r >> (*fl - MAX_LOG2_SLI)) - MAX_SLI;
		*fl -= FLI_OFFSET;
	}
}

/* MAPPING_SEARCH: the first list all of whose blocks hold @r bytes */
static void mapping_search(u32 r, int *fl, int *sl)
{
	if (r >= SMALL_BLOCK)
		r += (1 << (ms_bit(r) - MAX_LOG2_SLI)) - 1;
	mapping_insert(r, fl, sl);
}

static void insert_block(struct tlsf_pool *pool, u32 page, u32 off,
			 struct bhdr *b)
{
	struct tlsf_head *h;
	struct free_ptr *f = fptr(b);
	int fl, sl;

	mapping_insert(bsize(b), &fl, &sl);
	h = &pool->matrix[fl][sl];
	f->prev_page = 0;
	f->prev_off = 0;
	f->next_page = h->page;
	f->next_off = h->off;
	if (h->page) {
		struct free_ptr *n = fptr(block_at(pool, h->page, h->off));

		n->prev_page = page;
		n->prev_off = off;
	}
	h->page = page;
	h->off = off;
	pool->sl_bitmap[fl] |= 1u << sl;
	pool->fl_bitmap |= 1u << fl;
}

static void extract_block(struct tlsf_pool *pool, u32 page, u32 off,
			  struct bhdr *b)
{
	struct free_ptr *f = fptr(b);
	struct tlsf_head *h;
	int fl, sl;

	mapping_insert(bsize(b), &fl, &sl);
	h = &pool->matrix[fl][sl];
	if (f->next_page) {
		struct free_ptr *n = fptr(block_at(pool, f->next_page,
						   f->next_off));

		n->prev_page = f->prev_page;
		n->prev_off = f->prev_off;
	}
	if (f->prev_page) {
		struct free_ptr *p = fptr(block_at(pool, f->prev_page,
						   f->prev_off));

		p->next_page = f->next_page;
		p->next_off = f->next_off;
		return;
	}
	h->page = f->next_page;
	h->off = f->next_off;
	if (h->page)
		return;
	pool->sl_bitmap[fl] &= ~(1u << sl);
	if (!pool->sl_bitmap[fl])
		pool->fl_bitmap &= ~(1u << fl);
}

/* FIND_SUITABLE_BLOCK; Return: false if no list at or above has one */
static bool find_suitable(struct tlsf_pool *pool, int *fl, int *sl)
{
	u32 tmp = pool->sl_bitmap[*fl] & (~0u << *sl);

	if (tmp) {
		*sl = ls_bit(tmp);
		return true;
	}
	if (*fl + 1 >= REAL_FLI)
		return false;
	tmp = pool->fl_bitmap & (~0u << (*fl + 1));
	if (!tmp)
		return false;
	*fl = ls_bit(tmp);
	*sl = ls_bit(pool->sl_bitmap[*fl]);
	return true;
}

static int tlsf_create(const char *opts, void **out)
{
	struct tlsf_pool *pool;

	if (opts && *opts)
		return -EINVAL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	*out = pool;
	return 0;
}

static void tlsf_destroy(void *p)
{
	struct tlsf_pool *pool = p;
	u32 id;

	if (!pool)
		return;
	for (id = 0; id < pool->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&pool->ids, id);
		struct tlsf_alone *a = alone_of(e);

		sl_page_free(a ? a->page : e);
		kfree(a);
	}
	sl_idtab_destroy(&pool->ids);
	kfree(pool);
}

/*
 * add_page() - a page to the pool as one free block, or, for @alone
 * bytes, a page for one object.  Return: its id, or -ENOMEM.
 */
static int add_page(struct tlsf_pool *pool, u32 alone)
{
	struct tlsf_alone *a = NULL;
	void *addr = sl_page_alloc();
	void *entry = addr;
	struct bhdr *b = addr;
	u32 id;

	if (alone) {
		a = kmalloc(sizeof(*a), GFP_KERNEL);
		if (!a)
			goto err;
		a->page = addr;
		a->size = alone;
		entry = (void *)((unsigned long)a | ENTRY_ALONE);
	}
	if (!addr || sl_idtab_get(&pool->ids, entry, &id))
		goto err;
	pool->total_pages++;
	if (alone) {
		pool->alone_pages++;
		return id;
	}
	b->prev = 0;
	b->size = PAGE_BLOCK | FREE_BLOCK;
	b->req = 0;
	insert_block(pool, id + 1, 0, b);
	return id;
err:
	sl_page_free(addr);
	kfree(a);
	return -ENOMEM;
}

static int tlsf_malloc(void *p, size_t req, unsigned long *handle)
{
	struct tlsf_pool *pool = p;
	struct bhdr *b, *b2;
	u32 size, page, off, rest;
	int fl, sl, id;

	if (!req || req > PAGE_SIZE)
		return -EINVAL;
	size = req < MIN_BLOCK_SIZE ? MIN_BLOCK_SIZE : ALIGN(req, BLOCK_ALIGN);
	mapping_search(size, &fl, &sl);
	if (fl >= REAL_FLI) {
		id = add_page(pool, req);
		if (id < 0)
			return id;
		*handle = (unsigned long)(id + 1) << PAGE_SHIFT;
		goto out;
	}
	if (!find_suitable(pool, &fl, &sl)) {
		id = add_page(pool, 0);
		if (id < 0)
			return id;
		mapping_search(size, &fl, &sl);
		find_suitable(pool, &fl, &sl);
	}
	page = pool->matrix[fl][sl].page;
	off = pool->matrix[fl][sl].off;
	b = block_at(pool, page, off);
	extract_block(pool, page, off, b);

	rest = bsize(b) - size;
	if (rest >= BHDR_OVERHEAD + MIN_BLOCK_SIZE) {
		u32 off2 = off + BHDR_OVERHEAD + size;

		b2 = block_at(pool, page, off2);
		b2->prev = off;
		b2->size = (rest - BHDR_OVERHEAD) | FREE_BLOCK;
		b2->req = 0;
		if (off2 + BHDR_OVERHEAD + bsize(b2) < PAGE_SIZE)
			block_at(pool, page, off2 + BHDR_OVERHEAD +
				 bsize(b2))->prev = off2;
		insert_block(pool, page, off2, b2);
		b->size = size | (b->size & PREV_FREE);
	} else {
		u32 next = off + BHDR_OVERHEAD + bsize(b);

		if (next < PAGE_SIZE)
			block_at(pool, page, next)->size &= ~PREV_FREE;
		b->size &= ~FREE_BLOCK;
	}
	b->req = req;
	*handle = ((unsigned long)page << PAGE_SHIFT) | (off + BHDR_OVERHEAD);
out:
	pool->objs++;
	pool->obj_bytes += req;
	return 0;
}

/* give page @page (an id + 1) back, and its descriptor if alone */
static void free_page_id(struct tlsf_pool *pool, u32 page)
{
	struct tlsf_alone *a = alone_of(sl_idtab_at(&pool->ids, page - 1));

	sl_page_free(page_at(pool, page));
	kfree(a);
	sl_idtab_put(&pool->ids, page - 1);
	pool->total_pages--;
}

static void tlsf_free(void *p, unsigned long handle)
{
	struct tlsf_pool *pool = p;
	u32 page = handle >> PAGE_SHIFT;
	u32 off = (handle & ~PAGE_MASK);
	struct bhdr *b, *n;
	u32 next;

	pool->objs--;
	if (!off) {
		pool->obj_bytes -=
			alone_of(sl_idtab_at(&pool->ids, page - 1))->size;
		pool->alone_pages--;
		free_page_id(pool, page);
		return;
	}
	off -= BHDR_OVERHEAD;
	b = block_at(pool, page, off);
	pool->obj_bytes -= b->req;
	b->req = 0;
	b->size |= FREE_BLOCK;
	next = off + BHDR_OVERHEAD + bsize(b);
	if (next < PAGE_SIZE) {
		n = block_at(pool, page, next);
		if (n->size & FREE_BLOCK) {
			extract_block(pool, page, next, n);
			b->size += bsize(n) + BHDR_OVERHEAD;
		}
	}
	if (b->size & PREV_FREE) {
		u32 poff = b->prev;
		struct bhdr *pb = block_at(pool, page, poff);

		extract_block(pool, page, poff, pb);
		pb->size += bsize(b) + BHDR_OVERHEAD;
		b = pb;
		off = poff;
	}
	if (bsize(b) == PAGE_BLOCK) {
		free_page_id(pool, page);
		return;
	}
	insert_block(pool, page, off, b);
	next = off + BHDR_OVERHEAD + bsize(b);
	if (next < PAGE_SIZE) {
		n = block_at(pool, page, next);
		n->size |= PREV_FREE;
		n->prev = off;
	}
}

static void *tlsf_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct tlsf_pool *pool = p;

	return page_at(pool, handle >> PAGE_SHIFT) +
	       (handle & ~PAGE_MASK);
}

static void tlsf_unmap(void *p, unsigned long handle)
{
}

static unsigned long tlsf_total_pages(void *p)
{
	return ((struct tlsf_pool *)p)->total_pages;
}

static void tlsf_stats(void *p, struct sl_alloc_stats *st)
{
	struct tlsf_pool *pool = p;

	memset(st, 0, sizeof(*st));
	st->pages = pool->total_pages;
	st->objs = pool->objs;
	st->obj_bytes = pool->obj_bytes;
	st->max_size = PAGE_SIZE;
}

/* the first size whose search list is past the last one: 4033 */
static size_t tlsf_huge_size(void *p)
{
	u32 size;
	int fl, sl;

	for (size = PAGE_BLOCK & ~(BLOCK_ALIGN - 1); size; size -= BLOCK_ALIGN) {
		mapping_search(size, &fl, &sl);
		if (fl < REAL_FLI)
			return size + 1;
	}
	return PAGE_SIZE;
}

static int check_page(struct tlsf_pool *pool, u32 page, u64 *objs,
		      u64 *bytes, u64 *listed)
{
	u32 off = 0, prev = 0;
	bool prev_free = false, first = true;

	while (off < PAGE_SIZE) {
		struct bhdr *b = block_at(pool, page, off);
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
			++*listed;
		} else {
			if (!(b->req && b->req <= size &&
			      ALIGN(b->req, BLOCK_ALIGN) >= size - 16))
				return -EUCLEAN;
			++*objs;
			*bytes += b->req;
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

static int check_lists(struct tlsf_pool *pool, u64 listed)
{
	u64 n = 0;
	int fl, sl;

	for (fl = 0; fl < REAL_FLI; fl++) {
		if (!(!!pool->sl_bitmap[fl] ==
		      !!(pool->fl_bitmap & (1u << fl))))
			return -EUCLEAN;
		for (sl = 0; sl < MAX_SLI; sl++) {
			struct tlsf_head *h = &pool->matrix[fl][sl];
			u32 page = h->page, off = h->off, pp = 0, po = 0;

			if (!(!!(pool->sl_bitmap[fl] & (1u << sl)) ==
			      !!page))
				return -EUCLEAN;
			while (page) {
				struct bhdr *b;
				int f, s;

				if (page > pool->ids.nr_ids ||
				    !sl_idtab_at(&pool->ids, page - 1) ||
				    alone_of(sl_idtab_at(&pool->ids, page - 1)))
					return -EUCLEAN;
				b = block_at(pool, page, off);
				if (!(b->size & FREE_BLOCK))
					return -EUCLEAN;
				mapping_insert(bsize(b), &f, &s);
				if (!(f == fl && s == sl))
					return -EUCLEAN;
				if (!(fptr(b)->prev_page == pp &&
				      fptr(b)->prev_off == po))
					return -EUCLEAN;
				if (++n > listed)
					return -EUCLEAN;
				pp = page;
				po = off;
				off = fptr(b)->next_off;
				page = fptr(b)->next_page;
			}
		}
	}
	if (n != listed)
		return -EUCLEAN;
	return 0;
}

static int tlsf_check(void *p)
{
	struct tlsf_pool *pool = p;
	u64 pages = 0, alone = 0, objs = 0, bytes = 0, listed = 0;
	u32 id;
	int ret;

	for (id = 0; id < pool->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&pool->ids, id);
		struct tlsf_alone *a = alone_of(e);

		if (!e)
			continue;
		pages++;
		if (a) {
			if (a->size < tlsf_huge_size(p) || a->size > PAGE_SIZE)
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
	ret = check_lists(pool, listed);
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

const struct sl_alloc_ops sl_alloc_tlsf = {
	.name = "tlsf",
	.desc = "TLSF 2.4 two-level segregated fit over pages taken on demand",
	.create = tlsf_create,
	.destroy = tlsf_destroy,
	.malloc = tlsf_malloc,
	.free = tlsf_free,
	.map = tlsf_map,
	.unmap = tlsf_unmap,
	.total_pages = tlsf_total_pages,
	.stats = tlsf_stats,
	.huge_size = tlsf_huge_size,
	.check = tlsf_check,
};
