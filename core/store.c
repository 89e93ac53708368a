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
 * Beyond zram 6.1 the store can share objects between slots holding equal
 * pages (dedup: an xxh64 of the page finds candidates, a full compare
 * decides), write slots back to a caller-provided backing device, and
 * recompress selected slots with secondary codecs, as zram's multi-codec
 * recompression does.  Each is off unless configured.
 *
 * The slot table is two-level: a directory of SLOT_LEAF_SLOTS-slot leaves,
 * each allocated by the first write into its range, so memory follows the
 * slots written, not the highest index (in userspace, 4096-slot leaves: a
 * swap area of 2^32 pages costs an 8 MiB directory until it is used; in
 * the module, 128-slot leaves of 3 KiB, since a leaf may have to be
 * allocated atomically under the per-CPU lock).  Leaves are freed only with the
 * store: an index read or freed before any write finds no leaf and is an
 * empty slot.
 *
 * Lock order: slot bit lock, then dedup lock, then move lock, then pool
 * lock, then block lock.  No lock is held across the codec's compress() or across backing
 * I/O, so threads contend only for an allocator call and one memcpy.
 */
#include "sl_store.h"

#define SLOT_SIZE_MASK	0xffffUL	/* object length, <= PAGE_SIZE */
#define SLOT_SAME	BIT(16)		/* handle holds the fill value */
#define SLOT_HUGE	BIT(17)		/* object is the raw page */
#define SLOT_USED	BIT(18)		/* handle holds an allocation */
#define SLOT_DEDUP	BIT(19)		/* handle points at a dedup entry */
#define SLOT_WB		BIT(20)		/* handle is a backing block */
#define SLOT_INCOMP	BIT(21)		/* recompression could not shrink */
#define SLOT_PRIO_SHIFT	22		/* codec: 0 primary, 1.. secondary */
#define SLOT_PRIO_MASK	(3UL << SLOT_PRIO_SHIFT)
#define SLOT_LOCK_BIT	24
#define SLOT_LOCK	BIT(SLOT_LOCK_BIT)
#define SLOT_HELD	(SLOT_SAME | SLOT_USED | SLOT_DEDUP | SLOT_WB)

struct slot {
	unsigned long flags;
	unsigned long handle;
	u64 access;		/* store->now at the last write or read */
};

/* SL_SLOT_LEAF_SHIFT: each side's leaf size (sl_compat_*.h) */
#define SLOT_LEAF_SHIFT	SL_SLOT_LEAF_SHIFT
#define SLOT_LEAF_SLOTS	BIT(SLOT_LEAF_SHIFT)
#define SLOT_LEAF_MASK	(SLOT_LEAF_SLOTS - 1)

/* an object shared by every slot whose page has the same bytes */
struct dedup_ent {
	struct dedup_ent *next;
	u64 hash;
	unsigned long handle;
	u32 len;
	u32 refs;
};

struct sl_store {
	struct sl_store_cfg cfg;
	void *pool;
	spinlock_t pool_lock;		/* serialises every call on @pool */
	rwlock_t move_lock;		/* write: compact(); read: a peek() */
	u32 huge_threshold;
	int nr_codecs;			/* primary + secondary */
	struct slot **leaves;		/* set once, under leaf_lock */
	u64 nr_leaves;
	spinlock_t leaf_lock;		/* installs a leaf */
	u64 now;
	/* dedup */
	spinlock_t dedup_lock;		/* the table and every refcount */
	struct dedup_ent **buckets;
	u32 nr_buckets;			/* a power of two */
	/* backing blocks */
	spinlock_t bd_lock;		/* the block bitmap */
	unsigned long *bd_map;
	u64 bd_hint;
	/* zram's writeback_limit_enable and writeback_limit (bd_wb_limit) */
	spinlock_t wb_limit_lock;
	bool wb_limit_enable;
	u64 wb_limit;			/* 4 KiB units */
	struct {
		atomic64_t compr_data_size, mem_used_max, same_pages;
		atomic64_t huge_pages, huge_pages_since, pages_stored;
		atomic64_t failed_reads, failed_writes, invalid_io;
		atomic64_t notify_free, pages_compacted;
		atomic64_t bd_count, bd_reads, bd_writes;
		atomic64_t dedup_pages, dedup_saved_bytes;
		atomic64_t pages_recompressed, recompress_saved_bytes;
		atomic64_t incompressible_pages;
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

/*
 * flags are also touched atomically by lockers spinning on the lock bit:
 * every access, even under the lock, goes through READ_ONCE/WRITE_ONCE
 */
static void slot_set(struct slot *s, unsigned long flags)
{
	WRITE_ONCE(s->flags, flags | SLOT_LOCK);
}

static unsigned long slot_flags(struct slot *s)
{
	return READ_ONCE(s->flags);
}

static unsigned int slot_prio(unsigned long f)
{
	return (f & SLOT_PRIO_MASK) >> SLOT_PRIO_SHIFT;
}

/* the slot at @index, or NULL if nothing was ever written near it */
static struct slot *slot_find(struct sl_store *store, u32 index)
{
	struct slot *leaf;

	/* pairs with the release in slot_get(): the leaf's zeroes first */
	leaf = smp_load_acquire(&store->leaves[index >> SLOT_LEAF_SHIFT]);
	return leaf ? &leaf[index & SLOT_LEAF_MASK] : NULL;
}

/*
 * the slot at @index, its leaf allocated if need be (no lock of the store
 * held: the allocation is made before the leaf lock is taken)
 * Return: the slot, or NULL when out of memory
 */
static struct slot *slot_get(struct sl_store *store, u32 index)
{
	struct slot **pp = &store->leaves[index >> SLOT_LEAF_SHIFT];
	struct slot *s = slot_find(store, index), *leaf;

	if (likely(s))
		return s;
	/* GFP_NOIO: atomic under the module's per-CPU lock (sl_gfp()) */
	leaf = kvcalloc(SLOT_LEAF_SLOTS, sizeof(*leaf), GFP_NOIO);
	if (!leaf)
		return NULL;
	spin_lock(&store->leaf_lock);
	if (!*pp) {
		/* the zeroed leaf is seen before its pointer: slot_find() */
		smp_store_release(pp, leaf);
		leaf = NULL;
	}
	spin_unlock(&store->leaf_lock);
	kvfree(leaf);	/* another writer installed one first */
	return slot_find(store, index);
}

/*
 * for a walk over every slot of every leaf: `for (i = 0; (s =
 * slot_next(store, &i)); i++)`; a missing leaf moves @i to the next one
 * Return: the slot at *@i, or NULL past the last leaf
 */
static struct slot *slot_next(struct sl_store *store, u64 *i)
{
	u64 l = *i >> SLOT_LEAF_SHIFT;
	struct slot *leaf;

	for (; l < store->nr_leaves; l++, *i = l << SLOT_LEAF_SHIFT) {
		/* as in slot_find(): a leaf's zeroes before its pointer */
		leaf = smp_load_acquire(&store->leaves[l]);
		if (leaf)
			return &leaf[*i & SLOT_LEAF_MASK];
	}
	return NULL;
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

static void obj_free(struct sl_store *store, unsigned long handle)
{
	spin_lock(&store->pool_lock);
	store->cfg.alloc->free(store->pool, handle);
	spin_unlock(&store->pool_lock);
}

/* ---- backing blocks ---- */

static int bd_alloc(struct sl_store *store, u64 *blk)
{
	u64 i, n = store->cfg.backing_blocks;
	int ret = -ENOSPC;

	spin_lock(&store->bd_lock);
	for (i = 0; i < n; i++) {
		u64 b = (store->bd_hint + i) % n;
		unsigned long bit = 1UL << (b % BITS_PER_LONG);

		if (!(store->bd_map[b / BITS_PER_LONG] & bit)) {
			store->bd_map[b / BITS_PER_LONG] |= bit;
			store->bd_hint = b + 1;
			*blk = b;
			ret = 0;
			break;
		}
	}
	spin_unlock(&store->bd_lock);
	if (!ret)
		atomic64_inc(&store->st.bd_count);
	return ret;
}

static void bd_free(struct sl_store *store, u64 blk)
{
	spin_lock(&store->bd_lock);
	store->bd_map[blk / BITS_PER_LONG] &= ~(1UL << (blk % BITS_PER_LONG));
	spin_unlock(&store->bd_lock);
	atomic64_dec(&store->st.bd_count);
}

/* ---- dedup entries ---- */

static struct dedup_ent **bucket(struct sl_store *store, u64 hash)
{
	return &store->buckets[hash & (store->nr_buckets - 1)];
}

/* drop one reference; the last one frees the object */
static void ent_put(struct sl_store *store, struct dedup_ent *ent)
{
	struct dedup_ent **pp;
	bool last;

	spin_lock(&store->dedup_lock);
	last = --ent->refs == 0;
	if (last) {
		for (pp = bucket(store, ent->hash); *pp != ent;
		     pp = &(*pp)->next)
			;
		*pp = ent->next;
	} else {
		atomic64_dec(&store->st.dedup_pages);
		atomic64_sub(ent->len, &store->st.dedup_saved_bytes);
	}
	spin_unlock(&store->dedup_lock);
	if (!last)
		return;
	obj_free(store, ent->handle);
	atomic64_sub(ent->len, &store->st.compr_data_size);
	kfree(ent);
}

/* release what @s holds; caller holds the slot lock */
static void slot_release(struct sl_store *store, struct slot *s)
{
	unsigned long f = slot_flags(s);

	if (!(f & SLOT_HELD))
		return;
	if (f & SLOT_SAME) {
		atomic64_dec(&store->st.same_pages);
	} else if (f & SLOT_WB) {
		bd_free(store, s->handle);
	} else if (f & SLOT_DEDUP) {
		ent_put(store, (struct dedup_ent *)s->handle);
	} else {
		obj_free(store, s->handle);
		atomic64_sub(f & SLOT_SIZE_MASK, &store->st.compr_data_size);
	}
	if (f & SLOT_HUGE)
		atomic64_dec(&store->st.huge_pages);
	if (f & SLOT_INCOMP)
		atomic64_dec(&store->st.incompressible_pages);
	atomic64_dec(&store->st.pages_stored);
	s->handle = 0;
	slot_set(s, 0);
}

struct sl_store *sl_store_create(const struct sl_store_cfg *cfg)
{
	struct sl_store *store;
	size_t huge;
	int ret, i;

	might_sleep();
	if (!cfg->codec || !cfg->alloc || !cfg->nr_slots ||
	    cfg->nr_slots > SL_STORE_MAX_SLOTS)
		return ERR_PTR(-EINVAL);
	if (cfg->huge_threshold > PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	if (cfg->backing && !cfg->backing_blocks)
		return ERR_PTR(-EINVAL);
	store = kzalloc(sizeof(*store), GFP_KERNEL);
	if (!store)
		return ERR_PTR(-ENOMEM);
	store->cfg = *cfg;
	spin_lock_init(&store->pool_lock);
	rwlock_init(&store->move_lock);
	spin_lock_init(&store->dedup_lock);
	spin_lock_init(&store->bd_lock);
	spin_lock_init(&store->wb_limit_lock);
	spin_lock_init(&store->leaf_lock);
	store->nr_codecs = 1;
	for (i = 0; i < SL_MAX_RECOMP && cfg->recomp[i]; i++)
		store->nr_codecs++;
	ret = -ENOMEM;
	store->nr_leaves = (cfg->nr_slots + SLOT_LEAF_MASK) >> SLOT_LEAF_SHIFT;
	store->leaves = kvcalloc(store->nr_leaves, sizeof(*store->leaves),
				 GFP_KERNEL);
	if (!store->leaves)
		goto err;
	if (cfg->dedup) {
		store->nr_buckets = 64;
		while (store->nr_buckets < cfg->nr_slots / 2 &&
		       store->nr_buckets < (1U << 24))
			store->nr_buckets *= 2;
		store->buckets = kvcalloc(store->nr_buckets,
					  sizeof(*store->buckets), GFP_KERNEL);
		if (!store->buckets)
			goto err;
	}
	if (cfg->backing) {
		store->bd_map = kvcalloc(DIV_ROUND_UP(cfg->backing_blocks,
						      BITS_PER_LONG),
					 sizeof(unsigned long), GFP_KERNEL);
		if (!store->bd_map)
			goto err;
	}
	ret = cfg->alloc->create(cfg->alloc_opts, &store->pool);
	if (ret) {
		store->pool = NULL;
		goto err;
	}
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
	struct slot *s;
	u64 i;

	if (!store)
		return;
	if (store->pool && store->leaves) {
		for (i = 0; (s = slot_next(store, &i)); i++)
			slot_release(store, s);
	}
	if (store->pool)
		store->cfg.alloc->destroy(store->pool);
	for (i = 0; store->leaves && i < store->nr_leaves; i++)
		kvfree(store->leaves[i]);
	kvfree(store->bd_map);
	kvfree(store->buckets);
	kvfree(store->leaves);
	kfree(store);
}

static const struct sl_codec_ops *codec_of(struct sl_store *store,
					   unsigned int prio)
{
	return prio ? store->cfg.recomp[prio - 1] : store->cfg.codec;
}

static void *ctx_of(struct sl_store_ctx *ctx, unsigned int prio)
{
	return prio ? ctx->recomp_ctx[prio - 1] : ctx->codec_ctx;
}

void sl_store_ctx_destroy(struct sl_store *store, struct sl_store_ctx *ctx)
{
	int i;

	for (i = 0; i < store->nr_codecs; i++)
		if (ctx_of(ctx, i))
			codec_of(store, i)->destroy_ctx(ctx_of(ctx, i));
	kfree(ctx->buf);
	kfree(ctx->page);
	memset(ctx, 0, sizeof(*ctx));
}

int sl_store_ctx_create(struct sl_store *store, struct sl_store_ctx *ctx)
{
	int i, ret = 0;

	might_sleep();
	memset(ctx, 0, sizeof(*ctx));
	ctx->buf = kmalloc(SL_CODEC_DST_SIZE, GFP_KERNEL);
	ctx->page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!ctx->buf || !ctx->page)
		ret = -ENOMEM;
	for (i = 0; !ret && i < store->nr_codecs; i++) {
		void **slotp = i ? &ctx->recomp_ctx[i - 1] : &ctx->codec_ctx;

		ret = codec_of(store, i)->create_ctx(i ? &store->cfg.recomp_params[i - 1] :
						     &store->cfg.codec_params,
						     slotp);
		if (ret)
			*slotp = NULL;
	}
	if (ret)
		sl_store_ctx_destroy(store, ctx);
	return ret;
}

/*
 * expand the object @handle of length @len (compressed with codec @prio
 * unless @len is PAGE_SIZE) into @page
 *
 * A compressed object that lies in one page is expanded where it is
 * (peek()), as zram decompresses from zs_map_object()'s pointer: a staging
 * copy costs a memcpy of the object on every read, which zram does only
 * for objects that straddle two pages.  The move lock, held for reading
 * meanwhile, keeps compact() from moving the object; no pool lock is held,
 * so no thread waits for another's decompression (zsmalloc's readers
 * hold only their zspage's migrate lock).  Otherwise the object is copied
 * out under the pool lock and expanded after it is dropped.  ctx->buf is
 * the staging copy; @page must not be it.
 */
static int obj_read(struct sl_store *store, struct sl_store_ctx *ctx,
		    unsigned long handle, size_t len, unsigned int prio,
		    void *page, u64 *codec_ns)
{
	const struct sl_alloc_ops *a = store->cfg.alloc;
	void *dst = len == PAGE_SIZE ? page : ctx->buf;
	const void *obj, *src = ctx->buf;
	u64 t0 = 0, t1 = 0;
	int ret = 0;

	if (a->peek && len != PAGE_SIZE) {
		read_lock(&store->move_lock);
		src = a->peek(store->pool, handle);
		if (src)
			goto expand;
		read_unlock(&store->move_lock);
		src = ctx->buf;
	}
	spin_lock(&store->pool_lock);
	if (a->read) {
		a->read(store->pool, handle, dst);
	} else {
		obj = a->map(store->pool, handle, SL_MAP_RO);
		memcpy(dst, obj, len);
		a->unmap(store->pool, handle);
	}
	spin_unlock(&store->pool_lock);
	if (len == PAGE_SIZE)
		goto out;
expand:
	/* the clock costs ~20 ns a call: only when asked for */
	if (codec_ns)
		t0 = sl_now_ns();
	ret = codec_of(store, prio)->decompress(ctx_of(ctx, prio), src, len,
						page);
	if (codec_ns)
		t1 = sl_now_ns();
	if (src != ctx->buf)
		read_unlock(&store->move_lock);
out:
	if (codec_ns)
		*codec_ns = t1 - t0;
	return ret;
}

/*
 * allocate @len bytes, copy @src in; as zram, the limit is checked after
 * the allocation.  Return: 0, -ENOMEM (pool), -E2BIG (over mem_limit).
 */
static int obj_store(struct sl_store *store, const void *src, size_t len,
		     unsigned long *handle)
{
	const struct sl_alloc_ops *a = store->cfg.alloc;
	u64 pages, limit;
	void *dst;
	int ret;

	spin_lock(&store->pool_lock);
	ret = a->malloc(store->pool, len, handle);
	if (ret) {
		spin_unlock(&store->pool_lock);
		return ret;
	}
	pages = a->total_pages(store->pool);
	update_used_max(store, pages);
	limit = READ_ONCE(store->cfg.mem_limit);
	if (limit && pages > limit >> PAGE_SHIFT) {
		a->free(store->pool, *handle);
		spin_unlock(&store->pool_lock);
		return -E2BIG;
	}
	if (a->write) {
		a->write(store->pool, *handle, src);
	} else {
		dst = a->map(store->pool, *handle, SL_MAP_WO);
		memcpy(dst, src, len);
		a->unmap(store->pool, *handle);
	}
	spin_unlock(&store->pool_lock);
	return 0;
}

/*
 * find an object with @page's bytes and take a reference on it.
 * Return: the entry, or NULL.
 */
static struct dedup_ent *dedup_find(struct sl_store *store,
				    struct sl_store_ctx *ctx, u64 hash,
				    const void *page)
{
	struct dedup_ent *ent, *skip = NULL;
	int ret;

	for (;;) {
		spin_lock(&store->dedup_lock);
		for (ent = *bucket(store, hash); ent; ent = ent->next)
			if (ent->hash == hash && ent != skip)
				break;
		if (ent)
			ent->refs++;
		spin_unlock(&store->dedup_lock);
		if (!ent)
			return NULL;
		ret = obj_read(store, ctx, ent->handle, ent->len, 0, ctx->page,
			       NULL);
		if (!ret && !memcmp(ctx->page, page, PAGE_SIZE))
			return ent;
		/* a hash collision: undo the reference, look further */
		spin_lock(&store->dedup_lock);
		ent->refs--;
		spin_unlock(&store->dedup_lock);
		if (skip)
			return NULL;	/* two collisions: give up, store */
		skip = ent;
	}
}

static struct dedup_ent *dedup_add(struct sl_store *store, u64 hash,
				   unsigned long handle, u32 len)
{
	struct dedup_ent *ent = kmalloc(sizeof(*ent), GFP_NOIO);
	struct dedup_ent **b;

	if (!ent)
		return NULL;
	ent->hash = hash;
	ent->handle = handle;
	ent->len = len;
	ent->refs = 1;
	spin_lock(&store->dedup_lock);
	b = bucket(store, hash);
	ent->next = *b;
	*b = ent;
	spin_unlock(&store->dedup_lock);
	return ent;
}

/* write @page raw to a new backing block */
static int wb_write(struct sl_store *store, const void *page, u64 *blk)
{
	int ret;

	might_sleep();
	ret = bd_alloc(store, blk);
	if (ret)
		return ret;
	ret = store->cfg.backing->write(store->cfg.backing_priv, *blk, page);
	if (ret) {
		bd_free(store, *blk);
		return ret;
	}
	atomic64_inc(&store->st.bd_writes);
	return 0;
}

static void install(struct sl_store *store, struct slot *s,
		    unsigned long flags, unsigned long handle)
{
	slot_lock(s);
	slot_release(store, s);
	s->handle = handle;
	s->access = READ_ONCE(store->now);
	slot_set(s, flags);
	slot_unlock(s);
	if (flags & SLOT_SAME)
		atomic64_inc(&store->st.same_pages);
	if (flags & SLOT_HUGE) {
		atomic64_inc(&store->st.huge_pages);
		atomic64_inc(&store->st.huge_pages_since);
	}
	atomic64_inc(&store->st.pages_stored);
}

int sl_store_write(struct sl_store *store, struct sl_store_ctx *ctx,
		   u32 index, const void *page, struct sl_op_info *info)
{
	unsigned long handle = 0, value = 0, flags;
	struct dedup_ent *ent = NULL;
	const void *src = ctx->buf;
	size_t comp_len = 0;
	u64 t0 = 0, t1 = 0, hash = 0, blk;
	struct slot *s;
	int ret;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = slot_get(store, index);
	if (unlikely(!s)) {
		atomic64_inc(&store->st.failed_writes);
		return -ENOMEM;
	}
	/* the slot is written at the end: let it arrive while we compress */
	prefetchw(s);
	if (!store->cfg.no_same_filled && sl_page_same_filled(page, &value)) {
		flags = SLOT_SAME;
		goto out;
	}
	if (store->cfg.dedup) {
		hash = sl_hash64(page, PAGE_SIZE);
		ent = dedup_find(store, ctx, hash, page);
		if (ent) {
			/* no compression, no allocation: a reference */
			comp_len = ent->len;
			flags = SLOT_DEDUP | comp_len |
				(comp_len == PAGE_SIZE ? SLOT_HUGE : 0);
			value = (unsigned long)ent;
			atomic64_inc(&store->st.dedup_pages);
			atomic64_add(comp_len, &store->st.dedup_saved_bytes);
			goto out;
		}
	}

	if (info)
		t0 = sl_now_ns();
	ret = store->cfg.codec->compress(ctx->codec_ctx, page, ctx->buf,
					 SL_CODEC_DST_SIZE, &comp_len);
	if (info)
		t1 = sl_now_ns();
	if (ret == -ENOSPC)
		comp_len = PAGE_SIZE;
	else if (ret)
		goto fail;
	if (comp_len >= store->huge_threshold) {
		comp_len = PAGE_SIZE;
		src = page;
	}

	ret = obj_store(store, src, comp_len, &handle);
	if (ret == -E2BIG && store->cfg.backing &&
	    store->cfg.limit_to_backing) {
		ret = wb_write(store, page, &blk);
		if (ret)
			goto fail;
		flags = SLOT_WB;
		value = blk;
		comp_len = 0;
		goto out;
	}
	if (ret)
		goto fail;
	atomic64_add(comp_len, &store->st.compr_data_size);
	flags = SLOT_USED | comp_len;
	if (comp_len == PAGE_SIZE)
		flags |= SLOT_HUGE;
	value = handle;
	if (store->cfg.dedup) {
		ent = dedup_add(store, hash, handle, comp_len);
		if (!ent) {
			obj_free(store, handle);
			atomic64_sub(comp_len, &store->st.compr_data_size);
			ret = -ENOMEM;
			goto fail;
		}
		flags = (flags & ~SLOT_USED) | SLOT_DEDUP;
		value = (unsigned long)ent;
		ent = NULL;
	}
out:
	install(store, s, flags, value);
	if (info) {
		info->comp_len = comp_len;
		info->flags = (flags & SLOT_SAME ? SL_OP_SAME : 0) |
			      (flags & SLOT_HUGE ? SL_OP_HUGE : 0) |
			      (ent ? SL_OP_DEDUP : 0) |
			      (flags & SLOT_WB ? SL_OP_WB : 0);
		info->codec_ns = t1 - t0;
	}
	return 0;
fail:
	atomic64_inc(&store->st.failed_writes);
	return ret == -E2BIG ? -ENOMEM : ret;
}

/* what a read or free found in a slot of flags @f, @len bytes stored */
static void op_info(struct sl_op_info *info, unsigned long f, size_t len,
		    u64 codec_ns)
{
	info->comp_len = len;
	info->flags = (f & SLOT_SAME ? SL_OP_SAME : 0) |
		      (f & SLOT_HUGE ? SL_OP_HUGE : 0) |
		      (f & SLOT_DEDUP ? SL_OP_DEDUP : 0) |
		      (f & SLOT_WB ? SL_OP_WB : 0);
	info->codec_ns = codec_ns;
}

int sl_store_read(struct sl_store *store, struct sl_store_ctx *ctx,
		  u32 index, void *page, struct sl_op_info *info)
{
	unsigned long f, h;
	u64 ns = 0;
	size_t len = 0;
	struct slot *s;
	int ret = 0;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = slot_find(store, index);
	if (!s) {
		/* never written: an empty slot reads as zeroes */
		memset(page, 0, PAGE_SIZE);
		if (info)
			op_info(info, 0, 0, 0);
		return 1;
	}
again:
	slot_lock(s);
	f = slot_flags(s);
	h = s->handle;
	s->access = READ_ONCE(store->now);
	if (f & SLOT_SAME) {
		fill_page(page, h);
	} else if (f & SLOT_WB) {
		/* backing I/O may sleep: not under the slot lock */
		slot_unlock(s);
		if (ctx->nosleep)
			return -EAGAIN;
		might_sleep();
		ret = store->cfg.backing->read(store->cfg.backing_priv, h, page);
		slot_lock(s);
		if (slot_flags(s) != f || s->handle != h) {
			slot_unlock(s);	/* rewritten meanwhile: read anew */
			goto again;
		}
		atomic64_inc(&store->st.bd_reads);
	} else if (f & SLOT_DEDUP) {
		struct dedup_ent *ent = (struct dedup_ent *)h;

		len = ent->len;
		ret = obj_read(store, ctx, ent->handle, len, 0, page,
			       info ? &ns : NULL);
	} else if (f & SLOT_USED) {
		len = f & SLOT_SIZE_MASK;
		ret = obj_read(store, ctx, h, len, slot_prio(f), page,
			       info ? &ns : NULL);
	} else {
		memset(page, 0, PAGE_SIZE);
		ret = 1;
	}
	slot_unlock(s);
	if (ret < 0) {
		atomic64_inc(&store->st.failed_reads);
		return -EIO;
	}
	if (info)
		op_info(info, f, len, ns);
	return ret;
}

int sl_store_free(struct sl_store *store, u32 index, struct sl_op_info *info)
{
	unsigned long f;
	size_t len = 0;
	struct slot *s;

	if (index >= store->cfg.nr_slots) {
		atomic64_inc(&store->st.invalid_io);
		return -EINVAL;
	}
	s = slot_find(store, index);
	if (!s) {
		atomic64_inc(&store->st.notify_free);
		if (info)
			op_info(info, 0, 0, 0);
		return 1;
	}
	slot_lock(s);
	f = slot_flags(s);
	if (f & SLOT_DEDUP)
		len = ((struct dedup_ent *)s->handle)->len;
	else if (f & SLOT_USED)
		len = f & SLOT_SIZE_MASK;
	slot_release(store, s);
	slot_unlock(s);
	atomic64_inc(&store->st.notify_free);
	if (info)
		op_info(info, f, len, 0);
	return (f & SLOT_HELD) ? 0 : 1;
}

unsigned long sl_store_compact(struct sl_store *store)
{
	unsigned long freed = 0;

	if (!store->cfg.alloc->compact)
		return 0;
	write_lock(&store->move_lock);
	spin_lock(&store->pool_lock);
	freed = store->cfg.alloc->compact(store->pool);
	spin_unlock(&store->pool_lock);
	write_unlock(&store->move_lock);
	atomic64_add(freed, &store->st.pages_compacted);
	return freed;
}

void sl_store_set_now(struct sl_store *store, u64 now)
{
	WRITE_ONCE(store->now, now);
}

/* does slot flags @f with access @access match @select? */
static bool selected(unsigned long f, u64 access, unsigned int select,
		     u64 idle_before, bool dedup_ok)
{
	if (f & SLOT_WB)
		return false;
	if (!(f & SLOT_USED) && !(dedup_ok && (f & SLOT_DEDUP)))
		return false;
	if ((select & SL_SEL_HUGE) && !(f & SLOT_HUGE))
		return false;
	if ((select & SL_SEL_INCOMPRESSIBLE) && !(f & SLOT_INCOMP))
		return false;
	if ((select & SL_SEL_IDLE) && access >= idle_before)
		return false;
	return true;
}

/*
 * copy the content of slot @s into ctx->page if it matches @select; a
 * slot sharing a dedup object qualifies only when @dedup_ok (writeback
 * gives up the slot's reference and leaves the object to the others;
 * recompression would change every sharer's object, so it does not)
 * Return: true with *@f and *@h snapshotting the slot
 */
static bool snapshot(struct sl_store *store, struct sl_store_ctx *ctx,
		     struct slot *s, unsigned int select, u64 idle_before,
		     bool dedup_ok, unsigned long *f, unsigned long *h)
{
	unsigned long oh;
	bool ok = false;

	slot_lock(s);
	*f = slot_flags(s);
	*h = s->handle;
	oh = *f & SLOT_DEDUP ? ((struct dedup_ent *)*h)->handle : *h;
	if (selected(*f, s->access, select, idle_before, dedup_ok))
		ok = !obj_read(store, ctx, oh, *f & SLOT_SIZE_MASK,
			       slot_prio(*f), ctx->page, NULL);
	slot_unlock(s);
	return ok;
}

void sl_store_set_wb_limit(struct sl_store *store, bool enable, u64 limit)
{
	spin_lock(&store->wb_limit_lock);
	store->wb_limit_enable = enable;
	store->wb_limit = limit;
	spin_unlock(&store->wb_limit_lock);
}

u64 sl_store_wb_limit(struct sl_store *store, bool *enable)
{
	u64 v;

	spin_lock(&store->wb_limit_lock);
	v = store->wb_limit;
	if (enable)
		*enable = store->wb_limit_enable;
	spin_unlock(&store->wb_limit_lock);
	return v;
}

static bool wb_limit_reached(struct sl_store *store)
{
	bool stop;

	spin_lock(&store->wb_limit_lock);
	stop = store->wb_limit_enable && !store->wb_limit;
	spin_unlock(&store->wb_limit_lock);
	return stop;
}

/* a page written back costs PAGE_SIZE / 4 KiB units of the limit */
static void wb_limit_charge(struct sl_store *store)
{
	spin_lock(&store->wb_limit_lock);
	if (store->wb_limit_enable && store->wb_limit > 0)
		store->wb_limit -= min_t(u64, store->wb_limit,
					 PAGE_SIZE >> 12);
	spin_unlock(&store->wb_limit_lock);
}

long sl_store_writeback(struct sl_store *store, struct sl_store_ctx *ctx,
			unsigned int select, u64 idle_before)
{
	unsigned long f, h;
	long done = 0;
	struct slot *s;
	u64 blk, i;
	int ret;

	if (!store->cfg.backing)
		return -ENODEV;
	for (i = 0; (s = slot_next(store, &i)); i++) {
		/* writeback_store() asks before each index, written or not */
		if (wb_limit_reached(store))
			return -EIO;
		if (!snapshot(store, ctx, s, select, idle_before, true, &f,
			      &h))
			continue;
		ret = wb_write(store, ctx->page, &blk);
		if (ret == -ENOSPC)
			return done ? done : -ENOSPC;
		if (ret)
			continue;	/* the page stays in memory */
		slot_lock(s);
		if (slot_flags(s) == (f | SLOT_LOCK) && s->handle == h) {
			slot_release(store, s);
			s->handle = blk;
			slot_set(s, SLOT_WB);
			atomic64_inc(&store->st.pages_stored);
			wb_limit_charge(store);
			done++;
			blk = U64_MAX;
		}
		slot_unlock(s);
		if (blk != U64_MAX)
			bd_free(store, blk);	/* rewritten meanwhile */
	}
	return done;
}

long sl_store_recompress(struct sl_store *store, struct sl_store_ctx *ctx,
			 unsigned int select, u64 idle_before)
{
	unsigned long f, h, nh;
	unsigned int p;
	size_t old, len;
	long done = 0;
	struct slot *s;
	u64 i;

	if (store->nr_codecs < 2)
		return -EINVAL;
	for (i = 0; (s = slot_next(store, &i)); i++) {
		bool shrunk = false;

		if (!snapshot(store, ctx, s, select, idle_before, false, &f,
			      &h) || (f & SLOT_INCOMP))
			continue;
		old = f & SLOT_SIZE_MASK;
		for (p = slot_prio(f) + 1; p < store->nr_codecs; p++) {
			if (codec_of(store, p)->compress(ctx_of(ctx, p),
							 ctx->page, ctx->buf,
							 SL_CODEC_DST_SIZE,
							 &len))
				continue;
			/* never grow a page, never make it huge */
			if (len >= old || len >= store->huge_threshold)
				continue;
			if (obj_store(store, ctx->buf, len, &nh))
				break;
			slot_lock(s);
			if (slot_flags(s) == (f | SLOT_LOCK) && s->handle == h) {
				obj_free(store, h);
				if (f & SLOT_HUGE)
					atomic64_dec(&store->st.huge_pages);
				atomic64_sub(old - len,
					     &store->st.compr_data_size);
				atomic64_add(old - len,
					     &store->st.recompress_saved_bytes);
				atomic64_inc(&store->st.pages_recompressed);
				s->handle = nh;
				slot_set(s, SLOT_USED | len |
					 ((unsigned long)p << SLOT_PRIO_SHIFT));
				nh = 0;
				done++;
			}
			slot_unlock(s);
			if (nh)
				obj_free(store, nh);
			shrunk = true;
			break;
		}
		if (shrunk || !(f & SLOT_HUGE))
			continue;
		slot_lock(s);
		if (slot_flags(s) == (f | SLOT_LOCK) && s->handle == h) {
			slot_set(s, f | SLOT_INCOMP);
			atomic64_inc(&store->st.incompressible_pages);
		}
		slot_unlock(s);
	}
	return done;
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
	st->mem_limit = READ_ONCE(store->cfg.mem_limit);
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
	st->bd_count = atomic64_read(&store->st.bd_count);
	st->bd_reads = atomic64_read(&store->st.bd_reads);
	st->bd_writes = atomic64_read(&store->st.bd_writes);
	st->dedup_pages = atomic64_read(&store->st.dedup_pages);
	st->dedup_saved_bytes = atomic64_read(&store->st.dedup_saved_bytes);
	st->pages_recompressed = atomic64_read(&store->st.pages_recompressed);
	st->recompress_saved_bytes =
		atomic64_read(&store->st.recompress_saved_bytes);
	st->incompressible_pages =
		atomic64_read(&store->st.incompressible_pages);
}

u64 sl_store_mem_used_max(struct sl_store *store)
{
	return (u64)atomic64_read(&store->st.mem_used_max) << PAGE_SHIFT;
}

void sl_store_reset_mem_used_max(struct sl_store *store)
{
	spin_lock(&store->pool_lock);
	atomic64_set(&store->st.mem_used_max,
		     store->cfg.alloc->total_pages(store->pool));
	spin_unlock(&store->pool_lock);
}

void sl_store_set_mem_limit(struct sl_store *store, u64 bytes)
{
	WRITE_ONCE(store->cfg.mem_limit, bytes);
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
	unsigned long h;
	size_t len;
	u8 *obj;
	int ret = -ENOENT;

	if (index >= store->cfg.nr_slots)
		return -EINVAL;
	s = slot_find(store, index);
	if (!s)
		return -ENOENT;
	slot_lock(s);
	if (slot_flags(s) & (SLOT_USED | SLOT_DEDUP)) {
		h = s->handle;
		len = slot_flags(s) & SLOT_SIZE_MASK;
		if (slot_flags(s) & SLOT_DEDUP)
			h = ((struct dedup_ent *)h)->handle;
		spin_lock(&store->pool_lock);
		obj = store->cfg.alloc->map(store->pool, h, SL_MAP_RW);
		obj[len / 2] ^= 0x5a;
		store->cfg.alloc->unmap(store->pool, h);
		spin_unlock(&store->pool_lock);
		ret = 0;
	}
	slot_unlock(s);
	return ret;
}
