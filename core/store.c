// SPDX-License-Identifier: GPL-2.0
/*
 * store.c - the zram-like slot table over one codec and one allocator.
 *
 * The write path follows zram's __zram_bvec_write() of Linux 6.1 step by
 * step, because mem_used_max and the order of allocations depend on it:
 * same-filled check, compress, keep raw when the length reaches the huge
 * threshold, allocate the new object, check mem_limit against the pool's
 * pages *after* the allocation (and give it back if over), copy, and only
 * then free the slot's old object under the slot lock.
 *
 * Lock order: slot bit lock, then pool lock.  The pool lock is never held
 * while compressing or decompressing, so threads only contend on it for
 * the allocator call and one memcpy.
 */
#include "sl_store.h"

#define SLOT_SIZE_MASK	0xffffUL	/* object length, <= PAGE_SIZE */
#define SLOT_SAME	BIT(16)		/* handle holds the fill value */
#define SLOT_HUGE	BIT(17)		/* object is the raw page */
#define SLOT_USED	BIT(18)		/* handle holds an allocation */
#define SLOT_LOCK_BIT	24

struct slot {
	unsigned long flags;
	unsigned long handle;
};

struct sl_store {
	struct sl_store_cfg cfg;
	void *pool;
	spinlock_t pool_lock;		/* serialises every call on @pool */
	u32 huge_threshold;
	struct slot *slots;
	struct {
		atomic64_t compr_data_size, mem_used_max, same_pages;
		atomic64_t huge_pages, huge_pages_since, pages_stored;
		atomic64_t failed_reads, failed_writes, invalid_io;
		atomic64_t notify_free, pages_compacted;
	} st;
};

bool sl_page_same_filled(const void *page, unsigned long *value)
{
	const unsigned long *w = page;
	unsigned long v = w[0];
	size_t i, n = PAGE_SIZE / sizeof(*w);

	/* zram looks at the last word first: most pages differ there */
	if (v != w[n - 1])
		return false;
	for (i = 1; i < n - 1; i++)
		if (w[i] != v)
			return false;
	*value = v;
	return true;
}

static void fill_page(void *page, unsigned long value)
{
	unsigned long *w = page;
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		w[i] = value;
}

static void slot_lock(struct slot *s)
{
	sl_bit_lock(SLOT_LOCK_BIT, &s->flags);
}

static void slot_unlock(struct slot *s)
{
	sl_bit_unlock(SLOT_LOCK_BIT, &s->flags);
}

static void update_used_max(struct sl_store *store, u64 pages)
{
	s64 cur = atomic64_read(&store->st.mem_used_max);

	while ((u64)cur < pages) {
		s64 old = atomic64_cmpxchg(&store->st.mem_used_max, cur, pages);

		if (old == cur)
			break;
		cur = old;
	}
}

/* release what @s holds; caller holds the slot lock */
static void slot_release(struct sl_store *store, struct slot *s)
{
	unsigned long f = s->flags;

	if (f & SLOT_SAME) {
		atomic64_dec(&store->st.same_pages);
	} else if (f & SLOT_USED) {
		spin_lock(&store->pool_lock);
		store->cfg.alloc->free(store->pool, s->handle);
		spin_unlock(&store->pool_lock);
		atomic64_sub(f & SLOT_SIZE_MASK, &store->st.compr_data_size);
		if (f & SLOT_HUGE)
			atomic64_dec(&store->st.huge_pages);
	} else {
		return;
	}
	atomic64_dec(&store->st.pages_stored);
	s->handle = 0;
	s->flags = f & BIT(SLOT_LOCK_BIT);
}

struct sl_store *sl_store_create(const struct sl_store_cfg *cfg)
{
	struct sl_store *store;
	size_t huge;
	int ret;

	if (!cfg->codec || !cfg->alloc || !cfg->nr_slots)
		return ERR_PTR(-EINVAL);
	if (cfg->huge_threshold > PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	store = kzalloc(sizeof(*store), GFP_KERNEL);
	if (!store)
		return ERR_PTR(-ENOMEM);
	store->cfg = *cfg;
	spin_lock_init(&store->pool_lock);
	store->slots = kvcalloc(cfg->nr_slots, sizeof(*store->slots),
				GFP_KERNEL);
	if (!store->slots) {
		ret = -ENOMEM;
		goto err;
	}
	ret = cfg->alloc->create(cfg->alloc_opts, &store->pool);
	if (ret)
		goto err;
	huge = cfg->alloc->huge_size(store->pool);
	store->huge_threshold = cfg->huge_threshold ? cfg->huge_threshold :
				min_t(size_t, huge, PAGE_SIZE);
	return store;
err:
	sl_store_destroy(store);
	return ERR_PTR(ret);
}

void sl_store_destroy(struct sl_store *store)
{
	u32 i;

	if (!store)
		return;
	if (store->pool) {
		for (i = 0; i < store->cfg.nr_slots; i++)
			slot_release(store, &store->slots[i]);
		store->cfg.alloc->destroy(store->pool);
	}
	kvfree(store->slots);
	kfree(store);
}

int sl_store_ctx_create(struct sl_store *store, struct sl_store_ctx *ctx)
{
	int ret;

	ctx->codec_ctx = NULL;
	ctx->buf = kmalloc(SL_CODEC_DST_SIZE, GFP_KERNEL);
	if (!ctx->buf)
		return -ENOMEM;
	ret = store->cfg.codec->create_ctx(&store->cfg.codec_params,
					   &ctx->codec_ctx);
	if (ret) {
		kfree(ctx->buf);
		ctx->buf = NULL;
	}
	return ret;
}

void sl_store_ctx_destroy(struct sl_store *store, struct sl_store_ctx *ctx)
{
	if (ctx->codec_ctx)
		store->cfg.codec->destroy_ctx(ctx->codec_ctx);
	kfree(ctx->buf);
	ctx->codec_ctx = NULL;
	ctx->buf = NULL;
}

int sl_store_write(struct sl_store *store, struct sl_store_ctx *ctx,
		   u32 index, const void *page, struct sl_op_info *info)
{
	const struct sl_alloc_ops *a = store->cfg.alloc;
	unsigned long handle = 0, value = 0, newflags;
	const void *src = ctx->buf;
	size_t comp_len = 0;
	u64 t0, t1, pages;
	struct slot *s;
	void *dst;
	int ret;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = &store->slots[index];
	if (!store->cfg.no_same_filled && sl_page_same_filled(page, &value)) {
		newflags = SLOT_SAME;
		t0 = 0;
		t1 = 0;
		goto install;
	}

	t0 = sl_now_ns();
	ret = store->cfg.codec->compress(ctx->codec_ctx, page, ctx->buf,
					 SL_CODEC_DST_SIZE, &comp_len);
	t1 = sl_now_ns();
	if (ret == -ENOSPC)
		comp_len = PAGE_SIZE;
	else if (ret)
		goto fail;
	if (comp_len >= store->huge_threshold) {
		comp_len = PAGE_SIZE;
		src = page;
	}

	spin_lock(&store->pool_lock);
	ret = a->malloc(store->pool, comp_len, &handle);
	if (ret) {
		spin_unlock(&store->pool_lock);
		goto fail;
	}
	pages = a->total_pages(store->pool);
	update_used_max(store, pages);
	if (store->cfg.mem_limit &&
	    pages > store->cfg.mem_limit >> PAGE_SHIFT) {
		a->free(store->pool, handle);
		spin_unlock(&store->pool_lock);
		ret = -ENOMEM;
		goto fail;
	}
	dst = a->map(store->pool, handle);
	memcpy(dst, src, comp_len);
	a->unmap(store->pool, handle);
	spin_unlock(&store->pool_lock);

	newflags = SLOT_USED | comp_len;
	if (comp_len == PAGE_SIZE)
		newflags |= SLOT_HUGE;
	atomic64_add(comp_len, &store->st.compr_data_size);
	value = handle;
install:
	slot_lock(s);
	slot_release(store, s);
	s->handle = value;
	s->flags |= newflags;
	slot_unlock(s);

	if (newflags & SLOT_SAME) {
		atomic64_inc(&store->st.same_pages);
	} else if (newflags & SLOT_HUGE) {
		atomic64_inc(&store->st.huge_pages);
		atomic64_inc(&store->st.huge_pages_since);
	}
	atomic64_inc(&store->st.pages_stored);
	if (info) {
		info->comp_len = comp_len;
		info->flags = (newflags & SLOT_SAME ? SL_OP_SAME : 0) |
			      (newflags & SLOT_HUGE ? SL_OP_HUGE : 0);
		info->codec_ns = t1 - t0;
	}
	return 0;
fail:
	atomic64_inc(&store->st.failed_writes);
	return ret;
}

int sl_store_read(struct sl_store *store, struct sl_store_ctx *ctx,
		  u32 index, void *page, struct sl_op_info *info)
{
	const struct sl_alloc_ops *a = store->cfg.alloc;
	unsigned long f;
	u64 t0 = 0, t1 = 0;
	size_t len = 0;
	struct slot *s;
	int ret = 0;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = &store->slots[index];
	slot_lock(s);
	f = s->flags;
	if (f & SLOT_SAME) {
		fill_page(page, s->handle);
	} else if (f & SLOT_USED) {
		const void *obj;

		len = f & SLOT_SIZE_MASK;
		/*
		 * The pool lock is held across decompression: a concurrent
		 * compact() may move objects, and the object must stay put
		 * while the codec reads it (zsmalloc pins it the same way).
		 */
		spin_lock(&store->pool_lock);
		obj = a->map(store->pool, s->handle);
		if (f & SLOT_HUGE) {
			memcpy(page, obj, PAGE_SIZE);
		} else {
			t0 = sl_now_ns();
			ret = store->cfg.codec->decompress(ctx->codec_ctx, obj,
							   len, page);
			t1 = sl_now_ns();
		}
		a->unmap(store->pool, s->handle);
		spin_unlock(&store->pool_lock);
	} else {
		memset(page, 0, PAGE_SIZE);
		ret = 1;
	}
	slot_unlock(s);
	if (ret < 0) {
		atomic64_inc(&store->st.failed_reads);
		return -EIO;
	}
	if (info) {
		info->comp_len = len;
		info->flags = (f & SLOT_SAME ? SL_OP_SAME : 0) |
			      (f & SLOT_HUGE ? SL_OP_HUGE : 0);
		info->codec_ns = t1 - t0;
	}
	return ret;
}

int sl_store_free(struct sl_store *store, u32 index)
{
	struct slot *s;
	int ret;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = &store->slots[index];
	slot_lock(s);
	ret = (s->flags & (SLOT_SAME | SLOT_USED)) ? 0 : 1;
	slot_release(store, s);
	slot_unlock(s);
	atomic64_inc(&store->st.notify_free);
	return ret;
}

unsigned long sl_store_compact(struct sl_store *store)
{
	unsigned long freed = 0;

	if (!store->cfg.alloc->compact)
		return 0;
	spin_lock(&store->pool_lock);
	freed = store->cfg.alloc->compact(store->pool);
	spin_unlock(&store->pool_lock);
	atomic64_add(freed, &store->st.pages_compacted);
	return freed;
}

void sl_store_stats(struct sl_store *store, struct sl_store_stats *st)
{
	unsigned long pages;

	spin_lock(&store->pool_lock);
	pages = store->cfg.alloc->total_pages(store->pool);
	spin_unlock(&store->pool_lock);
	st->pages_stored = atomic64_read(&store->st.pages_stored);
	st->orig_data_size = st->pages_stored << PAGE_SHIFT;
	st->compr_data_size = atomic64_read(&store->st.compr_data_size);
	st->mem_used_total = (u64)pages << PAGE_SHIFT;
	st->mem_limit = store->cfg.mem_limit;
	st->mem_used_max = (u64)atomic64_read(&store->st.mem_used_max)
			   << PAGE_SHIFT;
	st->same_pages = atomic64_read(&store->st.same_pages);
	st->pages_compacted = atomic64_read(&store->st.pages_compacted);
	st->huge_pages = atomic64_read(&store->st.huge_pages);
	st->huge_pages_since = atomic64_read(&store->st.huge_pages_since);
	st->failed_reads = atomic64_read(&store->st.failed_reads);
	st->failed_writes = atomic64_read(&store->st.failed_writes);
	st->invalid_io = atomic64_read(&store->st.invalid_io);
	st->notify_free = atomic64_read(&store->st.notify_free);
}

u32 sl_store_huge_threshold(struct sl_store *store)
{
	return store->huge_threshold;
}

void *sl_store_pool(struct sl_store *store)
{
	return store->pool;
}

int sl_store_corrupt(struct sl_store *store, u32 index)
{
	struct slot *s;
	u8 *obj;
	int ret = -ENOENT;

	if (index >= store->cfg.nr_slots)
		return -EINVAL;
	s = &store->slots[index];
	slot_lock(s);
	if (s->flags & SLOT_USED) {
		spin_lock(&store->pool_lock);
		obj = store->cfg.alloc->map(store->pool, s->handle);
		obj[(s->flags & SLOT_SIZE_MASK) / 2] ^= 0x5a;
		store->cfg.alloc->unmap(store->pool, s->handle);
		spin_unlock(&store->pool_lock);
		ret = 0;
	}
	slot_unlock(s);
	return ret;
}
