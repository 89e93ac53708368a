// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_z3fold.c - a model of the kernel's z3fold (mm/z3fold.c of 6.1,
 * deprecated in 6.12 and removed in 6.13).
 *
 * Why: z3fold was zbud with a third object in the middle of the page,
 * raising the cap from 2 to 3 compressed pages per page frame while
 * keeping per-page reclaim simple.  The price is the work it does after a
 * free to keep the middle object out of the way.  Replaying shows how
 * much of the extra density survives frees.
 *
 * The rules, as in 6.1 (x86_64):
 *  - a page is 64 chunks of 64 B (NCHUNKS_ORDER 6); the header (88 B,
 *    struct z3fold_header) is rounded up to 2 chunks, leaving 62;
 *  - the first object follows the header, the last ends at the end of
 *    the page, the middle one starts after the first (when placed);
 *  - allocation takes the first page of the first unbuddied list with at
 *    least as many free chunks as the object needs; a page is on list n
 *    when one of its buddies is free and its largest free run is n
 *    chunks; a page with all three buddies used is on no list;
 *  - objects above PAGE_SIZE - header - 1 chunk (3904 B) get a headless
 *    page of their own, as in the kernel, so huge_size() is 3905;
 *  - after a free, a page left with one object moves that object into
 *    another page that has room (compact_single_buddy), unless the page
 *    holds an object moved in from elsewhere; otherwise the middle object
 *    slides to the first slot or next to its neighbour when that frees 3
 *    chunks or more (z3fold_compact_page).  The kernel does this from a
 *    workqueue soon after the free; here it is done at once.
 * "chunk=16" models 16-byte chunks (NCHUNKS_ORDER 8) for comparison;
 * 6.1 uses 64.
 *
 * The header lives in the page; handles are per-object cells (the
 * kernel's z3fold_buddy_slots) so that an object can move between pages.
 */
#include "sl_alloc.h"

#define Z3_KERNEL_HDR	88	/* sizeof(struct z3fold_header), 6.1 x86_64 */
#define BIG_CHUNK_GAP	3
#define Z3_NO_LIST	0xffff

enum buddy { HEADLESS = 0, FIRST, MIDDLE, LAST };

struct z3_cell {
	struct list_head alone;	/* headless pages only */
	void *page;
	u16 size;
	u8 bud;
	u8 foreign;		/* moved in from another page */
};

/* the in-page header; fits in Z3_KERNEL_HDR bytes */
struct z3_header {
	struct list_head buddy;		/* unbuddied list */
	struct list_head lru;		/* every page with a header */
	struct z3_cell *cell[3];	/* FIRST, MIDDLE, LAST */
	u16 first_chunks;
	u16 middle_chunks;
	u16 last_chunks;
	u16 start_middle;
	u16 foreign_handles;
	u16 list;			/* unbuddied list index, for check() */
};

struct z3_pool {
	int chunk_shift;
	int zhdr_chunks;
	int total_chunks;
	int nchunks;
	struct list_head *unbuddied;	/* nchunks lists */
	struct list_head pages;
	struct list_head alone;
	unsigned long nr_pages;
	u64 alone_pages;
	u64 objs;
	u64 obj_bytes;
};

static int size_to_chunks(struct z3_pool *pool, size_t size)
{
	return (size + BIT(pool->chunk_shift) - 1) >> pool->chunk_shift;
}

static size_t max_size(struct z3_pool *pool)
{
	return PAGE_SIZE - ((pool->zhdr_chunks + 1) << pool->chunk_shift);
}

static int num_free_chunks(struct z3_pool *pool, struct z3_header *zhdr)
{
	if (zhdr->middle_chunks) {
		int before = zhdr->first_chunks ? 0 :
			     zhdr->start_middle - pool->zhdr_chunks;
		int after = zhdr->last_chunks ? 0 : pool->total_chunks -
			    (zhdr->start_middle + zhdr->middle_chunks);

		return max(before, after);
	}
	return pool->nchunks - zhdr->first_chunks - zhdr->last_chunks;
}

static void add_to_unbuddied(struct z3_pool *pool, struct z3_header *zhdr)
{
	int n;

	if (zhdr->first_chunks && zhdr->middle_chunks && zhdr->last_chunks)
		return;
	n = num_free_chunks(pool, zhdr);
	list_add(&zhdr->buddy, &pool->unbuddied[n]);
	zhdr->list = n;
}

static void del_from_unbuddied(struct z3_header *zhdr)
{
	list_del_init(&zhdr->buddy);
	zhdr->list = Z3_NO_LIST;
}

static enum buddy get_free_buddy(struct z3_pool *pool,
				 struct z3_header *zhdr, int chunks)
{
	if (zhdr->middle_chunks) {
		if (!zhdr->first_chunks &&
		    chunks <= zhdr->start_middle - pool->zhdr_chunks)
			return FIRST;
		if (!zhdr->last_chunks)
			return LAST;
		return HEADLESS;
	}
	if (!zhdr->first_chunks)
		return FIRST;
	if (!zhdr->last_chunks)
		return LAST;
	return MIDDLE;
}

static u16 *bud_chunks(struct z3_header *zhdr, enum buddy bud)
{
	if (bud == FIRST)
		return &zhdr->first_chunks;
	if (bud == MIDDLE)
		return &zhdr->middle_chunks;
	return &zhdr->last_chunks;
}

static u8 *bud_addr(struct z3_pool *pool, struct z3_header *zhdr,
		    enum buddy bud)
{
	u8 *p = (u8 *)zhdr;

	if (bud == FIRST)
		return p + (pool->zhdr_chunks << pool->chunk_shift);
	if (bud == MIDDLE)
		return p + (zhdr->start_middle << pool->chunk_shift);
	return p + PAGE_SIZE - (zhdr->last_chunks << pool->chunk_shift);
}

/* put @cell as buddy @bud of @zhdr, @chunks long */
static void place(struct z3_pool *pool, struct z3_header *zhdr,
		  enum buddy bud, int chunks, struct z3_cell *cell)
{
	*bud_chunks(zhdr, bud) = chunks;
	if (bud == MIDDLE)
		zhdr->start_middle = zhdr->first_chunks + pool->zhdr_chunks;
	zhdr->cell[bud - 1] = cell;
	cell->page = zhdr;
	cell->bud = bud;
}

/* the first page with room for @chunks, taken off its list; or NULL */
static struct z3_header *find_unbuddied(struct z3_pool *pool, int chunks)
{
	struct z3_header *zhdr;
	int i;

	for (i = chunks; i < pool->nchunks; i++) {
		zhdr = list_first_entry_or_null(&pool->unbuddied[i],
						struct z3_header, buddy);
		if (zhdr) {
			del_from_unbuddied(zhdr);
			return zhdr;
		}
	}
	return NULL;
}

static int z3_parse(struct z3_pool *pool, const char *opts)
{
	char key[16], val[16];
	const char *p = opts;
	int hdr;

	pool->chunk_shift = PAGE_SHIFT - 6;
	while ((p = sl_opt_next(p, key, val, sizeof(key)))) {
		if (IS_ERR(p))
			return -EINVAL;
		if (strcmp(key, "chunk"))
			return -EINVAL;
		if (!strcmp(val, "64"))
			pool->chunk_shift = 6;
		else if (!strcmp(val, "16"))
			pool->chunk_shift = 4;
		else
			return -EINVAL;
	}
	hdr = ALIGN(Z3_KERNEL_HDR, 1 << pool->chunk_shift);
	pool->zhdr_chunks = hdr >> pool->chunk_shift;
	pool->total_chunks = PAGE_SIZE >> pool->chunk_shift;
	pool->nchunks = pool->total_chunks - pool->zhdr_chunks;
	return 0;
}

static void z3_destroy(void *p)
{
	struct z3_pool *pool = p;
	struct z3_header *zhdr;
	struct z3_cell *cell;
	int b;

	if (!pool)
		return;
	while ((zhdr = list_first_entry_or_null(&pool->pages,
						struct z3_header, lru))) {
		list_del_init(&zhdr->lru);
		for (b = 0; b < 3; b++)
			kfree(zhdr->cell[b]);
		sl_page_free(zhdr);
	}
	while ((cell = list_first_entry_or_null(&pool->alone, struct z3_cell,
						alone))) {
		list_del_init(&cell->alone);
		sl_page_free(cell->page);
		kfree(cell);
	}
	kfree(pool->unbuddied);
	kfree(pool);
}

static int z3_create(const char *opts, void **out)
{
	struct z3_pool *pool;
	int i, ret;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	INIT_LIST_HEAD(&pool->pages);
	INIT_LIST_HEAD(&pool->alone);
	ret = z3_parse(pool, opts);
	if (ret) {
		kfree(pool);
		return ret;
	}
	pool->unbuddied = kcalloc(pool->nchunks, sizeof(*pool->unbuddied),
				  GFP_KERNEL);
	if (!pool->unbuddied) {
		kfree(pool);
		return -ENOMEM;
	}
	for (i = 0; i < pool->nchunks; i++)
		INIT_LIST_HEAD(&pool->unbuddied[i]);
	*out = pool;
	return 0;
}

static int alloc_headless(struct z3_pool *pool, struct z3_cell *cell)
{
	cell->page = sl_page_alloc();
	if (!cell->page)
		return -ENOMEM;
	cell->bud = HEADLESS;
	list_add(&cell->alone, &pool->alone);
	pool->alone_pages++;
	pool->nr_pages++;
	return 0;
}

static int z3_malloc(void *p, size_t size, unsigned long *handle)
{
	struct z3_pool *pool = p;
	struct z3_header *zhdr;
	struct z3_cell *cell;
	enum buddy bud = HEADLESS;
	int chunks = size_to_chunks(pool, size);

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return -ENOMEM;
	INIT_LIST_HEAD(&cell->alone);
	cell->size = size;
	if (size > max_size(pool)) {
		if (alloc_headless(pool, cell)) {
			kfree(cell);
			return -ENOMEM;
		}
		goto out;
	}
	zhdr = find_unbuddied(pool, chunks);
	if (zhdr) {
		bud = get_free_buddy(pool, zhdr, chunks);
		if (bud == HEADLESS)	/* a list holds a page it should not */
			add_to_unbuddied(pool, zhdr);
	}
	if (bud == HEADLESS) {
		zhdr = sl_page_alloc();
		if (!zhdr) {
			kfree(cell);
			return -ENOMEM;
		}
		memset(zhdr, 0, sizeof(*zhdr));
		INIT_LIST_HEAD(&zhdr->buddy);
		zhdr->list = Z3_NO_LIST;
		list_add(&zhdr->lru, &pool->pages);
		pool->nr_pages++;
		bud = FIRST;
	}
	place(pool, zhdr, bud, chunks, cell);
	add_to_unbuddied(pool, zhdr);
out:
	pool->objs++;
	pool->obj_bytes += size;
	*handle = (unsigned long)cell;
	return 0;
}

static bool buddy_single(struct z3_header *zhdr)
{
	return !!zhdr->first_chunks + !!zhdr->middle_chunks +
	       !!zhdr->last_chunks == 1;
}

/*
 * compact_single_buddy() - move the one object left in @zhdr to another
 * page with room, as the kernel does before sliding it inside the page.
 * Return: true if it moved (@zhdr is then empty).
 */
static bool compact_single_buddy(struct z3_pool *pool,
				 struct z3_header *zhdr)
{
	struct z3_header *dst;
	struct z3_cell *cell;
	enum buddy bud, new_bud;
	int chunks;

	for (bud = FIRST; bud <= LAST; bud++)
		if (*bud_chunks(zhdr, bud))
			break;
	chunks = *bud_chunks(zhdr, bud);
	cell = zhdr->cell[bud - 1];
	dst = find_unbuddied(pool, chunks);
	if (!dst)
		return false;
	new_bud = get_free_buddy(pool, dst, chunks);
	if (new_bud == HEADLESS) {
		add_to_unbuddied(pool, dst);
		return false;
	}
	place(pool, dst, new_bud, chunks, cell);
	memcpy(bud_addr(pool, dst, new_bud), bud_addr(pool, zhdr, bud),
	       chunks << pool->chunk_shift);
	cell->foreign = 1;
	dst->foreign_handles++;
	add_to_unbuddied(pool, dst);
	*bud_chunks(zhdr, bud) = 0;
	zhdr->cell[bud - 1] = NULL;
	return true;
}

static void move_middle(struct z3_pool *pool, struct z3_header *zhdr,
			int dst_chunk)
{
	memmove((u8 *)zhdr + (dst_chunk << pool->chunk_shift),
		(u8 *)zhdr + (zhdr->start_middle << pool->chunk_shift),
		zhdr->middle_chunks << pool->chunk_shift);
}

/* z3fold_compact_page(): slide the middle object where it frees most */
static void compact_page(struct z3_pool *pool, struct z3_header *zhdr)
{
	int end;

	if (!zhdr->middle_chunks)
		return;
	if (!zhdr->first_chunks && !zhdr->last_chunks) {
		move_middle(pool, zhdr, pool->zhdr_chunks);
		zhdr->first_chunks = zhdr->middle_chunks;
		zhdr->middle_chunks = 0;
		zhdr->start_middle = 0;
		zhdr->cell[FIRST - 1] = zhdr->cell[MIDDLE - 1];
		zhdr->cell[MIDDLE - 1] = NULL;
		zhdr->cell[FIRST - 1]->bud = FIRST;
		return;
	}
	if (zhdr->first_chunks && !zhdr->last_chunks &&
	    zhdr->start_middle - (zhdr->first_chunks + pool->zhdr_chunks) >=
	    BIG_CHUNK_GAP) {
		move_middle(pool, zhdr, zhdr->first_chunks + pool->zhdr_chunks);
		zhdr->start_middle = zhdr->first_chunks + pool->zhdr_chunks;
		return;
	}
	end = zhdr->start_middle + zhdr->middle_chunks;
	if (zhdr->last_chunks && !zhdr->first_chunks &&
	    pool->total_chunks - (zhdr->last_chunks + end) >= BIG_CHUNK_GAP) {
		int new_start = pool->total_chunks - zhdr->last_chunks -
				zhdr->middle_chunks;

		move_middle(pool, zhdr, new_start);
		zhdr->start_middle = new_start;
	}
}

static void free_page_of(struct z3_pool *pool, struct z3_header *zhdr)
{
	del_from_unbuddied(zhdr);
	list_del_init(&zhdr->lru);
	sl_page_free(zhdr);
	pool->nr_pages--;
}

static void z3_free(void *p, unsigned long handle)
{
	struct z3_pool *pool = p;
	struct z3_cell *cell = (struct z3_cell *)handle;
	struct z3_header *zhdr = cell->page;

	pool->objs--;
	pool->obj_bytes -= cell->size;
	if (cell->bud == HEADLESS) {
		list_del_init(&cell->alone);
		sl_page_free(cell->page);
		pool->alone_pages--;
		pool->nr_pages--;
		kfree(cell);
		return;
	}
	*bud_chunks(zhdr, cell->bud) = 0;
	zhdr->cell[cell->bud - 1] = NULL;
	if (cell->foreign)
		zhdr->foreign_handles--;
	kfree(cell);
	if (!zhdr->first_chunks && !zhdr->middle_chunks &&
	    !zhdr->last_chunks) {
		free_page_of(pool, zhdr);
		return;
	}
	/* do_compact_page() */
	del_from_unbuddied(zhdr);
	if (!zhdr->foreign_handles && buddy_single(zhdr) &&
	    compact_single_buddy(pool, zhdr)) {
		free_page_of(pool, zhdr);
		return;
	}
	compact_page(pool, zhdr);
	add_to_unbuddied(pool, zhdr);
}

static void *z3_map(void *p, unsigned long handle, enum sl_map_mode mm)
{
	struct z3_cell *cell = (struct z3_cell *)handle;

	if (cell->bud == HEADLESS)
		return cell->page;
	return bud_addr(p, cell->page, cell->bud);
}

static void z3_unmap(void *p, unsigned long handle)
{
}

static unsigned long z3_total_pages(void *p)
{
	return ((struct z3_pool *)p)->nr_pages;
}

static void z3_stats(void *p, struct sl_alloc_stats *st)
{
	const struct z3_pool *pool = p;

	*st = (struct sl_alloc_stats){ .pages = pool->nr_pages, .objs = pool->objs,
					.obj_bytes = pool->obj_bytes,
					.max_size = PAGE_SIZE };
}

static size_t z3_huge_size(void *p)
{
	return max_size(p) + 1;
}

static int check_page(struct z3_pool *pool, struct z3_header *zhdr,
		      u64 *objs, u64 *bytes)
{
	int f = zhdr->first_chunks, m = zhdr->middle_chunks;
	int l = zhdr->last_chunks, b, foreign = 0;

	if ((unsigned long)zhdr & ~PAGE_MASK)
		return -EUCLEAN;
	if (!(f || m || l))
		return -EUCLEAN;
	/* first | middle | last, in that order, none overlapping */
	if (pool->zhdr_chunks + f + m + l > pool->total_chunks)
		return -EUCLEAN;
	if (m) {
		if (zhdr->start_middle < pool->zhdr_chunks + f)
			return -EUCLEAN;
		if (zhdr->start_middle + m > pool->total_chunks - l)
			return -EUCLEAN;
	}
	for (b = FIRST; b <= LAST; b++) {
		struct z3_cell *cell = zhdr->cell[b - 1];
		int chunks = *bud_chunks(zhdr, b);

		if (!cell != !chunks)
			return -EUCLEAN;
		if (!cell)
			continue;
		if (!(cell->page == zhdr && cell->bud == b))
			return -EUCLEAN;
		if (size_to_chunks(pool, cell->size) != chunks)
			return -EUCLEAN;
		foreign += cell->foreign;
		++*objs;
		*bytes += cell->size;
	}
	if (foreign != zhdr->foreign_handles)
		return -EUCLEAN;
	/* on the list of its largest free run, or on none when full */
	if (!(list_empty(&zhdr->buddy) == (f && m && l)))
		return -EUCLEAN;
	if (!(zhdr->list == (f && m && l ? Z3_NO_LIST :
			     num_free_chunks(pool, zhdr))))
		return -EUCLEAN;
	return 0;
}

static int z3_check(void *p)
{
	struct z3_pool *pool = p;
	struct z3_header *zhdr;
	struct z3_cell *cell;
	u64 pages = 0, listed = 0, alone = 0, objs = 0, bytes = 0;
	int i, ret;

	if (sizeof(struct z3_header) > Z3_KERNEL_HDR)
		return -EUCLEAN;
	list_for_each_entry(zhdr, &pool->pages, lru) {
		ret = check_page(pool, zhdr, &objs, &bytes);
		if (ret)
			return ret;
		pages++;
	}
	for (i = 0; i < pool->nchunks; i++)
		list_for_each_entry(zhdr, &pool->unbuddied[i], buddy) {
			if (zhdr->list != i)
				return -EUCLEAN;
			listed++;
		}
	if (listed > pages)
		return -EUCLEAN;
	list_for_each_entry(cell, &pool->alone, alone) {
		if (!(cell->bud == HEADLESS && cell->size > max_size(pool)))
			return -EUCLEAN;
		alone++;
		objs++;
		bytes += cell->size;
	}
	if (alone != pool->alone_pages)
		return -EUCLEAN;
	if (pages + alone != pool->nr_pages)
		return -EUCLEAN;
	if (!(objs == pool->objs && bytes == pool->obj_bytes))
		return -EUCLEAN;
	return 0;
}

const struct sl_alloc_ops sl_alloc_z3fold = {
	.name = "z3fold",
	.desc = "model of the kernel's z3fold: three buddies per page (chunk=64|16)",
	.create = z3_create,
	.destroy = z3_destroy,
	.malloc = z3_malloc,
	.free = z3_free,
	.map = z3_map,
	.unmap = z3_unmap,
	.total_pages = z3_total_pages,
	.stats = z3_stats,
	.huge_size = z3_huge_size,
	.check = z3_check,
};
