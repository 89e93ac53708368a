/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_fit.h - the pool behind TLSF and xvmalloc: pages numbered through an
 * id table, a page of its own for an object too large to share one, and
 * segregated lists of free blocks found through a two-level bitmap.
 *
 * Why one place: xvmalloc is compcache's pared-down TLSF, and the two
 * differ only in their block header, in how a size maps to a list and
 * in how blocks are split and merged, which each allocator keeps.
 *
 * A page number is its id + 1, so 0 can mean "none" in a link; a handle
 * is page << PAGE_SHIFT | payload offset, offset 0 for a page alone.
 * Lists are numbered 0..nr_lists-1, smallest blocks first: a list's bit
 * is set iff it is not empty, and bit w of the top word iff word w of
 * the bitmap is not zero, so nr_lists is at most BITS_PER_LONG squared.
 */
#ifndef SL_FIT_H
#define SL_FIT_H

#include "sl_alloc.h"

/* a page holding one object; its id table entry is this | SL_FIT_ALONE */
struct sl_fit_alone {
	void *page;
	u32 size;
};

#define SL_FIT_ALONE	2UL

/* in the payload of a listed free block, right after its header */
struct sl_fit_link {
	u32 prev_page;		/* 0: the head of its list */
	u32 next_page;		/* 0: the tail */
	u16 prev_off;
	u16 next_off;
};

struct sl_fit_head {
	u32 page;		/* 0: empty list */
	u16 off;
};

struct sl_fit {
	struct sl_idtab ids;	/* pages by id: address or page alone */
	unsigned long total_pages;
	u64 alone_pages;
	u64 objs;		/* live objects */
	u64 obj_bytes;		/* bytes they asked for */
	struct sl_fit_head *head;	/* [nr_lists], after bits */
	u32 nr_lists;
	u32 hdr;		/* block header bytes, before the link */
	unsigned long top;
	unsigned long bits[];
};

/* sl_fit_alone_of() - the descriptor behind @entry, NULL if not alone */
static inline struct sl_fit_alone *sl_fit_alone_of(void *entry)
{
	if (!((unsigned long)entry & SL_FIT_ALONE))
		return NULL;
	return (void *)((unsigned long)entry & ~SL_FIT_ALONE);
}

/* sl_fit_page() - the address of page @page (an id + 1) */
static inline u8 *sl_fit_page(struct sl_fit *fp, u32 page)
{
	void *e = sl_idtab_at(&fp->ids, page - 1);
	struct sl_fit_alone *a = sl_fit_alone_of(e);

	return a ? a->page : e;
}

static inline struct sl_fit_link *sl_fit_link_of(struct sl_fit *fp,
						 void *block)
{
	return (struct sl_fit_link *)((u8 *)block + fp->hdr);
}

static inline struct sl_fit_link *sl_fit_link_at(struct sl_fit *fp,
						 u32 page, u32 off)
{
	return sl_fit_link_of(fp, sl_fit_page(fp, page) + off);
}

/*
 * sl_fit_push() - put the free block @block, at @off in page @page, at
 * the head of list @i: the most recently freed block is used first.
 */
static inline void sl_fit_push(struct sl_fit *fp, u32 i, u32 page, u32 off,
			       void *block)
{
	struct sl_fit_head *h = &fp->head[i];
	struct sl_fit_link *l = sl_fit_link_of(fp, block);

	l->prev_page = 0;
	l->prev_off = 0;
	l->next_page = h->page;
	l->next_off = h->off;
	if (h->page) {
		struct sl_fit_link *n = sl_fit_link_at(fp, h->page, h->off);

		n->prev_page = page;
		n->prev_off = off;
	}
	h->page = page;
	h->off = off;
	fp->bits[i / BITS_PER_LONG] |= BIT(i % BITS_PER_LONG);
	fp->top |= BIT(i / BITS_PER_LONG);
}

/* sl_fit_unlink() - take @block, wherever it stands, off its list @i */
static inline void sl_fit_unlink(struct sl_fit *fp, u32 i, void *block)
{
	struct sl_fit_link *l = sl_fit_link_of(fp, block);
	struct sl_fit_head *h = &fp->head[i];
	u32 w = i / BITS_PER_LONG;

	if (l->next_page) {
		struct sl_fit_link *n = sl_fit_link_at(fp, l->next_page,
						       l->next_off);

		n->prev_page = l->prev_page;
		n->prev_off = l->prev_off;
	}
	if (l->prev_page) {
		struct sl_fit_link *p = sl_fit_link_at(fp, l->prev_page,
						       l->prev_off);

		p->next_page = l->next_page;
		p->next_off = l->next_off;
		return;
	}
	h->page = l->next_page;
	h->off = l->next_off;
	if (h->page)
		return;
	fp->bits[w] &= ~BIT(i % BITS_PER_LONG);
	if (!fp->bits[w])
		fp->top &= ~BIT(w);
}

/*
 * sl_fit_find() - the first non-empty list numbered @i (< nr_lists) or
 * more, in two bitmap lookups whatever the number of lists.
 * Return: its number, or -1 if there is none.
 */
static inline int sl_fit_find(const struct sl_fit *fp, u32 i)
{
	u32 w = i / BITS_PER_LONG;
	unsigned long b = fp->bits[w] & (~0UL << (i % BITS_PER_LONG));

	if (b)
		return w * BITS_PER_LONG + __builtin_ctzl(b);
	if (w + 1 >= BITS_PER_LONG)
		return -1;
	b = fp->top & (~0UL << (w + 1));
	if (!b)
		return -1;
	w = __builtin_ctzl(b);
	return w * BITS_PER_LONG + __builtin_ctzl(fp->bits[w]);
}

/*
 * sl_fit_add() - number the page @addr: one to cut blocks from, or, with
 * @a, the page of one object alone.
 * Return: its page number, or 0 if the id table could not grow; @addr
 * and @a are then still the caller's to free.
 */
static inline u32 sl_fit_add(struct sl_fit *fp, void *addr,
			     struct sl_fit_alone *a)
{
	void *entry = a ? (void *)((unsigned long)a | SL_FIT_ALONE) : addr;
	u32 id;

	if (sl_idtab_get(&fp->ids, entry, &id))
		return 0;
	fp->total_pages++;
	if (a)
		fp->alone_pages++;
	return id + 1;
}

/* sl_fit_put() - give page @page back, and its descriptor if alone */
static inline void sl_fit_put(struct sl_fit *fp, u32 page)
{
	struct sl_fit_alone *a;

	a = sl_fit_alone_of(sl_idtab_at(&fp->ids, page - 1));
	sl_page_free(sl_fit_page(fp, page));
	kfree(a);
	sl_idtab_put(&fp->ids, page - 1);
	fp->total_pages--;
}

/* sl_fit_free_alone() - free the object alone on page @page, and it */
static inline void sl_fit_free_alone(struct sl_fit *fp, u32 page)
{
	fp->obj_bytes -=
		sl_fit_alone_of(sl_idtab_at(&fp->ids, page - 1))->size;
	fp->alone_pages--;
	sl_fit_put(fp, page);
}

/*
 * sl_fit_create() - an empty pool of @nr_lists free lists, for blocks
 * whose links follow a header of @hdr bytes, in one allocation.
 * Return: 0 and *@out set; -EINVAL for any option; -ENOMEM.
 */
int sl_fit_create(const char *opts, u32 nr_lists, u32 hdr, void **out);

/* the sl_alloc_ops both allocators share, their pool a struct sl_fit */
void sl_fit_destroy(void *p);
void *sl_fit_map(void *p, unsigned long handle, enum sl_map_mode mm);
void sl_fit_unmap(void *p, unsigned long handle);
unsigned long sl_fit_total_pages(void *p);
void sl_fit_stats(void *p, struct sl_alloc_stats *st);

/* what sl_fit_check() adds up over the pages; check_page() adds to it */
struct sl_fit_tally {
	u64 objs;
	u64 bytes;
	u64 listed;		/* free blocks that belong on a list */
};

/*
 * sl_fit_check() - the pool's invariants: pages alone hold @min_alone to
 * PAGE_SIZE bytes, @check_page() passes every other page, the lists (each
 * block on the list @on_list() says it belongs on, back links agreeing,
 * bitmaps right) hold exactly the free blocks the pages have, and the
 * counters agree with what was found.
 * Return: 0 or -EUCLEAN.
 */
int sl_fit_check(struct sl_fit *fp, u32 min_alone,
		 int (*check_page)(struct sl_fit *fp, u32 page,
				   struct sl_fit_tally *t),
		 bool (*on_list)(const void *block, u32 i));

#endif /* SL_FIT_H */
