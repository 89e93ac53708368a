// SPDX-License-Identifier: GPL-2.0
/*
 * zswap.c - see sl_zswap.h.  The rules are 6.1's and 6.12's mm/zswap.c;
 * the comments name the kernel function each step follows.
 */
#include "sl_store.h"
#include "sl_zswap.h"

/* zbud_zpool_shrink() asks zbud_reclaim_page() for up to 8 pages */
#define ZBUD_RECLAIM_RETRIES	8
/* struct zswap_header: the swp_entry_t in front of an evictable object */
#define ZSWAP_HDR_LEN		sizeof(u64)
/* zbud_alloc(): larger objects are refused with -ENOSPC */
#define ZBUD_MAX_OBJ		(PAGE_SIZE - 2 * (PAGE_SIZE >> 6))

/*
 * Entries live in leaves allocated on a leaf's first store, so a trace
 * that uses a few slots at high offsets costs a few leaves, not an entry
 * per offset below the highest.
 */
#define ZLEAF_SHIFT		12
#define ZLEAF_SLOTS		BIT(ZLEAF_SHIFT)

/* 6.12: shrink_worker() gives up after this many failed tries */
#define MAX_RECLAIM_RETRIES	16

/*
 * E_ZERO and E_INMEM are 6.12's: a zero-filled page marked in the swap
 * core's zeromap, and a slot whose entry an exclusive load took (the page
 * is in memory until it is stored again or freed).  Neither is a zswap
 * entry.
 */
enum { E_NONE, E_SAME, E_POOL, E_ZERO, E_INMEM };

struct zswap_entry {
	unsigned long handle;	/* E_POOL */
	unsigned long value;	/* E_SAME */
	u32 length;		/* compressed bytes, header excluded */
	u32 lru_prev, lru_next;	/* 6.12's entry LRU: index + 1, 0 ends */
	u8 state;
	bool in_swapcache;	/* 6.1: loaded, not stored or freed since */
	bool slot_held;		/* 6.1 slot_cache: a swap slot is allocated */
	bool wb_cached;		/* ... written back: the page in swap cache */
	bool referenced;	/* 6.12: second chance in shrink_memcg_cb() */
};

struct sl_zswap {
	struct sl_zswap_cfg cfg;
	void *pool;
	struct zswap_entry **leaves;	/* ZLEAF_SLOTS entries, on first store */
	u64 nleaves;
	bool evictable;		/* zpool_evictable(): objects carry a header */
	size_t max_obj;		/* larger: refused by the allocator */
	int too_big_err;	/* ... with this error */
	bool reached_full;	/* zswap_pool_reached_full */
	bool k612;
	u64 max_pages, accept_pages;
	u32 lru_head, lru_tail;	/* 6.12: index + 1, 0 when empty */
	/* 6.12: shrink_worker()'s memcg cursor: the walk's end, the root, us */
	enum { CUR_NULL, CUR_ROOT, CUR_OURS } cursor;
	/*
	 * 6.1 slot_cache: the freed slots not yet returned, oldest first;
	 * an entry's copy (state E_NONE: a slot without one, on the device)
	 */
	struct zswap_entry *slots_ret;
	unsigned int n_ret;
	struct sl_zswap_stats st;
};

u64 sl_zswap_max_pages(const struct sl_zswap_cfg *cfg)
{
	return cfg->totalram_pages * cfg->max_pool_percent / 100;
}

u64 sl_zswap_accept_pages(const struct sl_zswap_cfg *cfg)
{
	/* 6.12's zswap_accept_thr_pages() scales the rounded limit */
	if (cfg->kernel == SL_ZSWAP_K612)
		return sl_zswap_max_pages(cfg) * cfg->accept_thr_percent / 100;
	return cfg->totalram_pages * cfg->accept_thr_percent / 100 *
	       cfg->max_pool_percent / 100;
}

struct sl_zswap *sl_zswap_create(const struct sl_zswap_cfg *cfg)
{
	struct sl_zswap *z;
	const char *name;
	int ret;

	if (!cfg->codec || !cfg->alloc || !cfg->nr_slots ||
	    cfg->nr_slots > (1ULL << 32) ||
	    !cfg->totalram_pages || !cfg->max_pool_percent ||
	    cfg->max_pool_percent > 100 || cfg->accept_thr_percent > 100)
		return ERR_PTR(-EINVAL);
	if (cfg->kernel != SL_ZSWAP_K61 && cfg->kernel != SL_ZSWAP_K612)
		return ERR_PTR(-EOPNOTSUPP);
	/* 6.12 drops an entry in free_swap_slot(), before the cache */
	if (cfg->kernel == SL_ZSWAP_K612 &&
	    (cfg->slot_cache || cfg->sync_swapin))
		return ERR_PTR(-EINVAL);
	if (cfg->slot_cache > 4096)
		return ERR_PTR(-EINVAL);
	/* 6.12 has one pool and a shrinker of its own entry LRU */
	if (cfg->kernel == SL_ZSWAP_K612 && cfg->older_pool_pinned)
		return ERR_PTR(-EINVAL);
	name = cfg->alloc->name;
	if (strcmp(name, "zbud") && strcmp(name, "z3fold") &&
	    strcmp(name, "zsmalloc"))
		return ERR_PTR(-EINVAL);
	z = kzalloc(sizeof(*z), GFP_KERNEL);
	if (!z)
		return ERR_PTR(-ENOMEM);
	z->cfg = *cfg;
	z->cfg.alloc_opts = NULL;	/* the caller's string: not kept */
	z->max_pages = sl_zswap_max_pages(cfg);
	z->accept_pages = sl_zswap_accept_pages(cfg);
	z->k612 = cfg->kernel == SL_ZSWAP_K612;
	/*
	 * 6.1: zbud_zpool_driver and z3fold's have .shrink, zsmalloc has not.
	 * 6.12: no pool evicts; zswap writes back from its own entry LRU and
	 * keeps the swap entry in struct zswap_entry, so objects carry no
	 * header.
	 */
	z->evictable = !z->k612 && strcmp(name, "zsmalloc") != 0;
	if (!strcmp(name, "zbud")) {
		z->max_obj = ZBUD_MAX_OBJ;
		z->too_big_err = -ENOSPC;
	} else if (!strcmp(name, "z3fold")) {
		z->max_obj = PAGE_SIZE;
		z->too_big_err = -ENOSPC;
	} else {
		/* ZS_MAX_ALLOC_SIZE: zs_malloc() says -EINVAL, 6.12 -ENOSPC */
		z->max_obj = PAGE_SIZE;
		z->too_big_err = z->k612 ? -ENOSPC : -EINVAL;
	}
	z->nleaves = ((u64)cfg->nr_slots + ZLEAF_SLOTS - 1) >> ZLEAF_SHIFT;
	z->leaves = kvcalloc(z->nleaves, sizeof(*z->leaves), GFP_KERNEL);
	if (!z->leaves) {
		kfree(z);
		return ERR_PTR(-ENOMEM);
	}
	if (cfg->slot_cache) {
		z->slots_ret = kvcalloc(cfg->slot_cache, sizeof(*z->slots_ret),
					GFP_KERNEL);
		if (!z->slots_ret) {
			kvfree(z->leaves);
			kfree(z);
			return ERR_PTR(-ENOMEM);
		}
	}
	ret = cfg->alloc->create(cfg->alloc_opts, &z->pool);
	if (ret) {
		kvfree(z->slots_ret);
		kvfree(z->leaves);
		kfree(z);
		return ERR_PTR(ret);
	}
	return z;
}

void sl_zswap_destroy(struct sl_zswap *z)
{
	u64 l;
	u32 i;

	if (!z)
		return;
	for (l = 0; l < z->nleaves; l++) {
		if (!z->leaves[l])
			continue;
		for (i = 0; i < ZLEAF_SLOTS; i++)
			if (z->leaves[l][i].state == E_POOL)
				z->cfg.alloc->free(z->pool,
						   z->leaves[l][i].handle);
		kvfree(z->leaves[l]);
	}
	for (i = 0; i < z->n_ret; i++)
		if (z->slots_ret[i].state == E_POOL)
			z->cfg.alloc->free(z->pool, z->slots_ret[i].handle);
	kvfree(z->slots_ret);
	z->cfg.alloc->destroy(z->pool);
	kvfree(z->leaves);
	kfree(z);
}

int sl_zswap_ctx_create(struct sl_zswap *z, struct sl_zswap_ctx *ctx)
{
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->buf = kmalloc(SL_CODEC_DST_SIZE, GFP_KERNEL);
	if (!ctx->buf)
		return -ENOMEM;
	ret = z->cfg.codec->create_ctx(&z->cfg.codec_params, &ctx->codec_ctx);
	if (ret) {
		kfree(ctx->buf);
		ctx->buf = NULL;
	}
	return ret;
}

void sl_zswap_ctx_destroy(struct sl_zswap *z, struct sl_zswap_ctx *ctx)
{
	if (ctx->codec_ctx)
		z->cfg.codec->destroy_ctx(ctx->codec_ctx);
	kfree(ctx->buf);
	memset(ctx, 0, sizeof(*ctx));
}

/* zswap_update_total_size() */
static void update_total_size(struct sl_zswap *z)
{
	z->st.pool_total_size = (u64)z->cfg.alloc->total_pages(z->pool) *
				PAGE_SIZE;
	if (z->st.pool_total_size > z->st.pool_max_size)
		z->st.pool_max_size = z->st.pool_total_size;
}

static u64 pool_pages(struct sl_zswap *z)
{
	return DIV_ROUND_UP(z->st.pool_total_size, PAGE_SIZE);
}

/* the entry at @index; NULL when its leaf was never stored into */
static struct zswap_entry *ent(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *leaf = z->leaves[index >> ZLEAF_SHIFT];

	return leaf ? &leaf[index & (ZLEAF_SLOTS - 1)] : NULL;
}

/* ... its leaf allocated if need be; NULL: out of memory */
static struct zswap_entry *ent_get(struct sl_zswap *z, u32 index)
{
	struct zswap_entry **leaf = &z->leaves[index >> ZLEAF_SHIFT];

	if (!*leaf)
		*leaf = kvcalloc(ZLEAF_SLOTS, sizeof(**leaf), GFP_KERNEL);
	return *leaf ? &(*leaf)[index & (ZLEAF_SLOTS - 1)] : NULL;
}

/* 6.12's zswap_lru_add(): new entries go to the tail */
static void lru_add(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *e = ent(z, index);

	e->lru_prev = z->lru_tail;
	e->lru_next = 0;
	if (z->lru_tail)
		ent(z, z->lru_tail - 1)->lru_next = index + 1;
	else
		z->lru_head = index + 1;
	z->lru_tail = index + 1;
}

static void lru_del(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *e = ent(z, index);

	if (e->lru_prev)
		ent(z, e->lru_prev - 1)->lru_next = e->lru_next;
	else
		z->lru_head = e->lru_next;
	if (e->lru_next)
		ent(z, e->lru_next - 1)->lru_prev = e->lru_prev;
	else
		z->lru_tail = e->lru_prev;
	e->lru_prev = 0;
	e->lru_next = 0;
}

/* zswap_entry_free() of @e, which no slot's table holds (6.1) */
static void drop_entry(struct sl_zswap *z, struct zswap_entry *e)
{
	if (e->state == E_SAME) {
		z->st.same_filled_pages--;
	} else if (e->state == E_POOL) {
		z->cfg.alloc->free(z->pool, e->handle);
		z->st.compr_data_size -= e->length;
	} else {
		return;
	}
	z->st.stored_pages--;
	update_total_size(z);
}

/* zswap_entry_free(); a 6.12 zeromap or in-memory slot just clears */
static void free_entry(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *e = ent(z, index);
	bool held = e->slot_held;

	if (e->state == E_ZERO || e->state == E_INMEM) {
		memset(e, 0, sizeof(*e));
		return;
	}
	if (e->state == E_POOL && z->k612)
		lru_del(z, index);
	drop_entry(z, e);
	memset(e, 0, sizeof(*e));
	e->slot_held = held;
}

/*
 * 6.1's free_swap_slot() with the slot cache: the slot of @index (and its
 * entry, if any) waits; the free that finds the cache full first returns
 * every slot in it (swapcache_free_entries(), in the order freed, one
 * swap device: no sort), which invalidates their entries.  The slot's own
 * table entry is empty from now on: its offset is not the trace slot's
 * any more.
 */
static void slot_free(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *e = ent(z, index);
	unsigned int i;

	if (!e->slot_held)
		return;
	if (!z->cfg.slot_cache) {
		free_entry(z, index);
		e->slot_held = false;
		return;
	}
	if (z->n_ret == z->cfg.slot_cache) {
		for (i = 0; i < z->n_ret; i++)
			drop_entry(z, &z->slots_ret[i]);
		z->n_ret = 0;
	}
	z->slots_ret[z->n_ret] = *e;
	if (e->state != E_SAME && e->state != E_POOL)
		z->slots_ret[z->n_ret].state = E_NONE;
	z->n_ret++;
	memset(e, 0, sizeof(*e));
}

/*
 * zswap_writeback_entry(): the object's header names the swap offset; an
 * entry whose page is in the swap cache is left (-EEXIST); otherwise the
 * page goes to the backing device and the entry is freed.
 */
static int evict_one(void *arg, unsigned long handle)
{
	struct sl_zswap *z = arg;
	struct zswap_entry *e;
	const u8 *obj;
	u64 index;

	obj = z->cfg.alloc->map(z->pool, handle, SL_MAP_RO);
	memcpy(&index, obj, sizeof(index));
	z->cfg.alloc->unmap(z->pool, handle);
	if (index >= z->cfg.nr_slots)
		return -EINVAL;
	e = ent(z, index);
	if (!e || e->state != E_POOL || e->handle != handle)
		return -EINVAL;
	if (e->in_swapcache)
		return -EEXIST;
	z->st.written_back_pages++;
	z->st.swap_writes++;
	free_entry(z, index);
	/*
	 * zswap_writeback_entry() leaves the page it wrote in the swap
	 * cache; with no memory pressure it stays there, and a fault on the
	 * slot maps it without a read (nor, for a read fault, a slot free)
	 */
	if (z->cfg.sync_swapin)
		e->wb_cached = true;
	return 0;
}

/*
 * shrink_worker(): zpool_shrink(pool, 1) of the pool that
 * zswap_pool_last_get() found.  With an older pool pinned, that pool is
 * the empty one: zbud's and z3fold's reclaim find an empty LRU (-EINVAL)
 * and zsmalloc has no .shrink; either way it fails.
 */
static void shrink(struct sl_zswap *z)
{
	if (z->cfg.older_pool_pinned || !z->evictable ||
	    !z->cfg.alloc->reclaim ||
	    z->cfg.alloc->reclaim(z->pool, ZBUD_RECLAIM_RETRIES, evict_one, z))
		z->st.reject_reclaim_fail++;
	/*
	 * zbud frees the page under reclaim after its last eviction, and
	 * zswap does not look again (zswap_update_total_size() runs in
	 * zswap_free_entry() and the store only): the next store still sees
	 * that page in zswap_pool_total_size, and may find the pool full.
	 */
}

/*
 * 6.12's shrink_worker(), run at once where the kernel queues it: write
 * back from the head of the entry LRU until the pool is at the accept
 * threshold.  The worker walks the memory cgroups round-robin from a
 * cursor it keeps between runs (zswap_next_shrink): the root (no entries
 * of ours: -ENOENT, no attempt), the one cgroup whose entries the model
 * holds, then the end of the walk, which counts a failure if the pass
 * made no attempt -- so a run that starts with the cursor on our cgroup
 * (where the last one stopped) gets 15 tries, not 16.  Each try at our
 * cgroup is one entry (nr_to_walk 1): a referenced entry loses its bit
 * and goes to the tail (shrink_memcg() -EAGAIN, a failure), any other is
 * written back.  MAX_RECLAIM_RETRIES failures end the work.  The pool
 * size is checked after every step.  Loads are exclusive, so no entry in
 * the LRU has its page in the swap cache and writeback cannot meet
 * -EEXIST.
 */
static void shrink_612(struct sl_zswap *z)
{
	struct zswap_entry *e;
	u32 index;
	int failures = 0, attempts = 0;

	do {
		if (z->cursor == CUR_NULL) {
			z->cursor = CUR_ROOT;		/* the root: -ENOENT */
			continue;
		}
		if (z->cursor == CUR_OURS) {
			z->cursor = CUR_NULL;		/* end of a pass */
			if (!attempts && ++failures == MAX_RECLAIM_RETRIES)
				break;
			attempts = 0;
			continue;
		}
		z->cursor = CUR_OURS;
		if (!z->lru_head)
			continue;			/* -ENOENT */
		attempts++;
		index = z->lru_head - 1;
		e = ent(z, index);
		if (e->referenced) {
			e->referenced = false;
			lru_del(z, index);
			lru_add(z, index);
			if (++failures == MAX_RECLAIM_RETRIES)
				break;
			continue;
		}
		z->st.written_back_pages++;
		z->st.zswpwb++;
		z->st.swap_writes++;
		free_entry(z, index);
	} while (pool_pages(z) > z->accept_pages);
}

/* 6.12's zswap_check_limits(): true when the store must be refused */
static bool check_limits_612(struct sl_zswap *z)
{
	u64 cur = pool_pages(z);

	if (cur >= z->max_pages) {
		z->st.pool_limit_hit++;
		z->reached_full = true;
	} else if (z->reached_full && cur <= z->accept_pages) {
		z->reached_full = false;
	}
	return z->reached_full;
}

static int refuse(struct sl_zswap *z)
{
	/* 6.12's zswap_store() reject path queues the shrink worker */
	if (z->k612 && z->reached_full)
		shrink_612(z);
	z->st.swap_writes++;
	return SL_ZSWAP_REFUSED;
}

static bool page_zero(const void *page)
{
	unsigned long value;

	return sl_page_same_filled(page, &value) && !value;
}

int sl_zswap_store(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 index,
		   const void *page, u32 *comp_len)
{
	struct zswap_entry *e;
	unsigned long value, handle;
	size_t dlen, hlen;
	u64 hdr = index;
	u8 *obj;
	int ret;

	if (comp_len)
		*comp_len = 0;
	if (index >= z->cfg.nr_slots)
		return -EINVAL;
	e = ent_get(z, index);
	if (!e)
		return -ENOMEM;
	/*
	 * __frontswap_store() (6.1) invalidates a dup before the new store.
	 * In 6.12 the old entry goes after the new one is in, but a STORE
	 * over a live slot is a page swapped in since (exclusively), so its
	 * entry is gone by then too.
	 */
	if (!z->k612 && e->state == E_INMEM && e->slot_held) {
		/*
		 * A written-back page a load mapped (read-only, still in the
		 * swap cache with its slot): the write faults, and
		 * do_wp_page() frees its swap slot (try_to_free_swap()) to
		 * reuse the page; the slot goes to the slot cache.
		 */
		slot_free(z, index);
		e->slot_held = false;
	}
	if (z->cfg.slot_cache && e->slot_held && !e->in_swapcache &&
	    e->state != E_INMEM) {
		/*
		 * The write to a page that is swapped out faults it in first
		 * (zswap_frontswap_load()), and the write fault frees its slot
		 * (SWP_SYNCHRONOUS_IO: swap_free() after the read; else
		 * should_try_to_free_swap()); the page goes out to a new one.
		 */
		if (e->state == E_SAME || e->state == E_POOL)
			z->st.zswpin++;
		slot_free(z, index);
	} else if (e->state != E_NONE) {
		free_entry(z, index);
	}
	e->slot_held = true;
	if (z->k612) {
		/* swap_writepage(): a zero-filled page never reaches zswap */
		if (page_zero(page)) {
			e->state = E_ZERO;
			z->st.swpout_zero++;
			return SL_ZSWAP_ZEROMAP;
		}
		if (check_limits_612(z))
			return refuse(z);
		goto compress;
	}
	/* zswap_is_full() */
	if (z->max_pages < pool_pages(z)) {
		z->st.pool_limit_hit++;
		z->reached_full = true;
		shrink(z);
		return refuse(z);
	}
	if (z->reached_full) {
		/* zswap_can_accept() */
		if (!(z->accept_pages > pool_pages(z))) {
			z->st.reject_uncounted++;
			return refuse(z);
		}
		z->reached_full = false;
	}
	if (z->cfg.same_filled && sl_page_same_filled(page, &value)) {
		e->state = E_SAME;
		e->value = value;
		z->st.same_filled_pages++;
		goto insert;
	}
compress:
	ret = z->cfg.codec->compress(ctx->codec_ctx, page, ctx->buf,
				     SL_CODEC_DST_SIZE, &dlen);
	if (ret) {
		/* crypto_acomp_compress() failed; 6.1 counts it nowhere */
		if (z->k612)
			z->st.reject_compress_fail++;
		else
			z->st.reject_uncounted++;
		return refuse(z);
	}
	if (comp_len)
		*comp_len = dlen;
	hlen = z->evictable ? ZSWAP_HDR_LEN : 0;
	if (hlen + dlen > z->max_obj) {
		if (z->too_big_err == -ENOSPC)
			z->st.reject_compress_poor++;
		else
			z->st.reject_alloc_fail++;
		return refuse(z);
	}
	ret = z->cfg.alloc->malloc(z->pool, hlen + dlen, &handle);
	if (ret) {
		if (ret != -ENOMEM)
			return ret;
		z->st.reject_alloc_fail++;
		return refuse(z);
	}
	obj = z->cfg.alloc->map(z->pool, handle, SL_MAP_WO);
	memcpy(obj, &hdr, hlen);
	memcpy(obj + hlen, ctx->buf, dlen);
	z->cfg.alloc->unmap(z->pool, handle);
	e->state = E_POOL;
	e->handle = handle;
	e->length = dlen;
	z->st.compr_data_size += dlen;
	if (z->k612) {
		e->referenced = true;
		lru_add(z, index);
	}
insert:
	e->in_swapcache = false;
	z->st.stored_pages++;
	z->st.zswpout++;
	update_total_size(z);
	return SL_ZSWAP_STORED;
}

static void fill_page(void *page, unsigned long value)
{
	unsigned long *w = page;
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		w[i] = value;
}

int sl_zswap_load(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 index,
		  void *page)
{
	struct zswap_entry *e;
	const u8 *obj;
	size_t hlen;
	int ret = 0;

	if (index >= z->cfg.nr_slots)
		return -EINVAL;
	e = ent(z, index);
	if (e && e->state == E_INMEM)
		return 3;
	if (e && e->state == E_NONE && e->wb_cached) {
		/* a read fault maps the written-back page; the slot stays */
		e->state = E_INMEM;
		return 3;
	}
	if (!e || e->state == E_NONE) {
		z->st.swap_reads++;
		/* 6.1 sync_swapin: read from the device, its slot freed */
		if (e && e->slot_held && z->cfg.sync_swapin) {
			slot_free(z, index);
			e->state = E_INMEM;
		}
		return 1;
	}
	if (e->state == E_ZERO) {
		/* swap_read_folio_zeromap() */
		memset(page, 0, PAGE_SIZE);
		z->st.swpin_zero++;
		e->state = E_INMEM;
		return 2;
	}
	if (e->state == E_SAME) {
		fill_page(page, e->value);
	} else {
		hlen = z->evictable ? ZSWAP_HDR_LEN : 0;
		obj = z->cfg.alloc->map(z->pool, e->handle, SL_MAP_RO);
		memcpy(ctx->buf, obj + hlen, e->length);
		z->cfg.alloc->unmap(z->pool, e->handle);
		if (z->cfg.codec->decompress(ctx->codec_ctx, ctx->buf,
					     e->length, page))
			ret = -EIO;
	}
	z->st.zswpin++;
	if (z->k612) {
		/*
		 * zswap_load() into the swap cache erases the entry; a swap-in
		 * that skips the cache (SWP_SYNCHRONOUS_IO) frees the slot
		 * right after, which drops it too.
		 */
		free_entry(z, index);
		e->state = E_INMEM;
		return ret;
	}
	/* zswap_frontswap_load() keeps the entry ... */
	if (z->cfg.sync_swapin) {
		/* ... and do_swap_page() frees the slot past the swap cache */
		slot_free(z, index);
		e->state = E_INMEM;
		return ret;
	}
	/* ... the page is in the swap cache */
	e->in_swapcache = true;
	return ret;
}

int sl_zswap_invalidate(struct sl_zswap *z, u32 index)
{
	struct zswap_entry *e;
	int ret;

	if (index >= z->cfg.nr_slots)
		return -EINVAL;
	e = ent(z, index);
	if (e && e->slot_held && e->state == E_INMEM) {
		/*
		 * A written-back page a load mapped: the zap unmaps it and
		 * free_pages_and_swap_cache() -> free_swap_cache() frees its
		 * swap slot (folio_free_swap(): no pte holds the slot any
		 * more), into the slot cache like any other.
		 */
		slot_free(z, index);
		return 1;
	}
	if (e && e->slot_held && z->cfg.slot_cache) {
		ret = e->state == E_NONE;
		slot_free(z, index);
		return ret;
	}
	if (!e || e->state == E_NONE) {
		if (e)
			e->slot_held = false;
		return 1;
	}
	ret = e->state == E_ZERO || e->state == E_INMEM;
	free_entry(z, index);
	e->slot_held = false;
	return ret;
}

void sl_zswap_stats(struct sl_zswap *z, struct sl_zswap_stats *st)
{
	*st = z->st;
}

void *sl_zswap_pool(struct sl_zswap *z)
{
	return z->pool;
}
