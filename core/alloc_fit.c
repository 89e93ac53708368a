// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_fit.c - the parts of sl_fit.h's pool that are not on the hot
 * path: set-up, tear-down, the ops TLSF and xvmalloc share as they are,
 * and the consistency check.
 */
#include "sl_fit.h"

int sl_fit_create(const char *opts, u32 nr_lists, u32 hdr, void **out)
{
	size_t words = DIV_ROUND_UP(nr_lists, BITS_PER_LONG);
	struct sl_fit *fp;

	if (opts && *opts)
		return -EINVAL;
	fp = kzalloc(sizeof(*fp) + words * sizeof(fp->bits[0]) +
		     nr_lists * sizeof(*fp->head), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	fp->head = (struct sl_fit_head *)&fp->bits[words];
	fp->nr_lists = nr_lists;
	fp->hdr = hdr;
	*out = fp;
	return 0;
}

void sl_fit_destroy(void *p)
{
	struct sl_fit *fp = p;
	u32 id;

	if (!fp)
		return;
	for (id = 0; id < fp->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&fp->ids, id);
		struct sl_fit_alone *a = sl_fit_alone_of(e);

		sl_page_free(a ? a->page : e);
		kfree(a);
	}
	sl_idtab_destroy(&fp->ids);
	kfree(fp);
}

void *sl_fit_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	return sl_fit_page(p, handle >> PAGE_SHIFT) + (handle & ~PAGE_MASK);
}

void sl_fit_unmap(void *p, unsigned long handle)
{
}

unsigned long sl_fit_total_pages(void *p)
{
	return ((struct sl_fit *)p)->total_pages;
}

void sl_fit_stats(void *p, struct sl_alloc_stats *st)
{
	const struct sl_fit *fp = p;

	*st = (struct sl_alloc_stats){ .pages = fp->total_pages, .objs = fp->objs,
					.obj_bytes = fp->obj_bytes,
					.max_size = PAGE_SIZE };
}

/*
 * check_lists() - every list holds exactly the @listed free blocks, each
 * on the list @on_list() says it belongs on, back links agreeing, and the
 * bitmaps say which lists are empty.
 * Return: 0 or -EUCLEAN.
 */
static int check_lists(struct sl_fit *fp, u64 listed,
		       bool (*on_list)(const void *block, u32 i))
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < fp->nr_lists; i++) {
		bool bit = fp->bits[i / BITS_PER_LONG] &
			   BIT(i % BITS_PER_LONG);
		u32 page = fp->head[i].page, off = fp->head[i].off;
		u32 pp = 0, po = 0;

		if (bit != !!page)
			return -EUCLEAN;
		while (page) {
			struct sl_fit_link *l;
			u8 *b;

			if (page > fp->ids.nr_ids ||
			    !sl_idtab_at(&fp->ids, page - 1) ||
			    sl_fit_alone_of(sl_idtab_at(&fp->ids, page - 1)))
				return -EUCLEAN;
			b = sl_fit_page(fp, page) + off;
			if (!on_list(b, i))
				return -EUCLEAN;
			l = sl_fit_link_of(fp, b);
			if (!(l->prev_page == pp && l->prev_off == po))
				return -EUCLEAN;
			if (++n > listed)
				return -EUCLEAN;
			pp = page;
			po = off;
			page = l->next_page;
			off = l->next_off;
		}
	}
	for (i = 0; i < DIV_ROUND_UP(fp->nr_lists, BITS_PER_LONG); i++)
		if (!!fp->bits[i] != !!(fp->top & BIT(i)))
			return -EUCLEAN;
	if (n != listed)
		return -EUCLEAN;
	return 0;
}

int sl_fit_check(struct sl_fit *fp, u32 min_alone,
		 int (*check_page)(struct sl_fit *fp, u32 page,
				   struct sl_fit_tally *t),
		 bool (*on_list)(const void *block, u32 i))
{
	struct sl_fit_tally t = { 0 };
	u64 pages = 0, alone = 0;
	u32 id;
	int ret;

	for (id = 0; id < fp->ids.nr_ids; id++) {
		void *e = sl_idtab_at(&fp->ids, id);
		struct sl_fit_alone *a = sl_fit_alone_of(e);

		if (!e)
			continue;
		pages++;
		if (a) {
			if (a->size < min_alone || a->size > PAGE_SIZE)
				return -EUCLEAN;
			alone++;
			t.objs++;
			t.bytes += a->size;
			continue;
		}
		ret = check_page(fp, id + 1, &t);
		if (ret)
			return ret;
	}
	ret = check_lists(fp, t.listed, on_list);
	if (ret)
		return ret;
	if (!(pages == fp->total_pages && alone == fp->alone_pages))
		return -EUCLEAN;
	if (pages != fp->ids.used)
		return -EUCLEAN;
	if (!(t.objs == fp->objs && t.bytes == fp->obj_bytes))
		return -EUCLEAN;
	return 0;
}
