// SPDX-License-Identifier: GPL-2.0
/*
 * zswap.c - see sl_zswap.h.  The rules are 6.1's mm/zswap.c; the comments
 * name the kernel function each step follows.
 */
#include "sl_store.h"
#include "sl_zswap.h"

/* zbud_zpool_shrink() asks zbud_reclaim_page() for up to 8 pages */
#define ZBUD_RECLAIM_RETRIES	8
/* struct zswap_header: the swp_entry_t in front of an evictable object */
#define ZSWAP_HDR_LEN		sizeof(u64)
/* zbud_alloc(): larger objects are refused with -ENOSPC */
#define ZBUD_MAX_OBJ		(PAGE_SIZE - 2 * (PAGE_SIZE >> 6))

enum { E_NONE, E_SAME, E_POOL };

struct zswap_entry {
	unsigned long handle;	/* E_POOL */
	unsigned long value;	/* E_SAME */
	u32 length;		/* compressed bytes, header excluded */
	u8 state;
	bool in_swapcache;	/* loaded, not stored or freed since */
};

struct sl_zswap {
	struct sl_zswap_cfg cfg;
	void *pool;
	struct zswap_entry *entries;
	bool evictable;		/* zpool_evictable(): objects carry a header */
	size_t max_obj;		/* larger: refused by the allocator */
	int too_big_err;	/* ... with this error */
	bool reached_full;	/* zswap_pool_reached_full */
	u64 max_pages, accept_pages;
	struct sl_zswap_stats st;
};

u64 sl_zswap_max_pages(const struct sl_zswap_cfg *cfg)
{
	return cfg->totalram_pages * cfg->max_pool_percent / 100;
}

u64 sl_zswap_accept_pages(const struct sl_zswap_cfg *cfg)
{
	return cfg->totalram_pages * cfg->accept_thr_percent / 100 *
	       cfg->max_pool_percent / 100;
}

struct sl_zswap *sl_zswap_create(const struct sl_zswap_cfg *cfg)
{
	struct sl_zswap *z;
	const char *name;
	int ret;

	if (!cfg->codec || !cfg->alloc || !cfg->nr_slots ||
	    !cfg->totalram_pages || !cfg->max_pool_percent ||
	    cfg->max_pool_percent > 100 || cfg->accept_thr_percent > 100)
		return ERR_PTR(-EINVAL);
	if (cfg->kernel != SL_ZSWAP_K61)
		return ERR_PTR(-EOPNOTSUPP);
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
	/* zbud_zpool_driver and z3fold's have .shrink; zsmalloc 6.1 has not */
	z->evictable = strcmp(name, "zsmalloc") != 0;
	if (!strcmp(name, "zbud")) {
		z->max_obj = ZBUD_MAX_OBJ;
		z->too_big_err = -ENOSPC;
	} else if (!strcmp(name, "z3fold")) {
		z->max_obj = PAGE_SIZE;
		z->too_big_err = -ENOSPC;
	} else {
		z->max_obj = PAGE_SIZE;		/* ZS_MAX_ALLOC_SIZE */
		z->too_big_err = -EINVAL;
	}
	z->entries = kvcalloc(cfg->nr_slots, sizeof(*z->entries), GFP_KERNEL);
	if (!z->entries) {
		kfree(z);
		return ERR_PTR(-ENOMEM);
	}
	ret = cfg->alloc->create(cfg->alloc_opts, &z->pool);
	if (ret) {
		kvfree(z->entries);
		kfree(z);
		return ERR_PTR(ret);
	}
	return z;
}

void sl_zswap_destroy(struct sl_zswap *z)
{
	u32 i;

	if (!z)
		return;
	for (i = 0; i < z->cfg.nr_slots; i++)
		if (z->entries[i].state == E_POOL)
			z->cfg.alloc->free(z->pool, z->entries[i].handle);
	z->cfg.alloc->destroy(z->pool);
	kvfree(z->entries);
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

/* zswap_free_entry() */
static void free_entry(struct sl_zswap *z, struct zswap_entry *e)
{
	if (e->state == E_SAME) {
		z->st.same_filled_pages--;
	} else {
		z->cfg.alloc->free(z->pool, e->handle);
		z->st.compr_data_size -= e->length;
	}
	z->st.stored_pages--;
	memset(e, 0, sizeof(*e));
	update_total_size(z);
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
	e = &z->entries[index];
	if (e->state != E_POOL || e->handle != handle)
		return -EINVAL;
	if (e->in_swapcache)
		return -EEXIST;
	z->st.written_back_pages++;
	z->st.swap_writes++;
	free_entry(z, e);
	return 0;
}

/* shrink_worker(): zpool_shrink(pool, 1) */
static void shrink(struct sl_zswap *z)
{
	if (!z->evictable || !z->cfg.alloc->reclaim ||
	    z->cfg.alloc->reclaim(z->pool, ZBUD_RECLAIM_RETRIES, evict_one, z))
		z->st.reject_reclaim_fail++;
	/* the page under reclaim is freed after its last eviction */
	update_total_size(z);
}

static int refuse(struct sl_zswap *z)
{
	z->st.swap_writes++;
	return SL_ZSWAP_REFUSED;
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
	e = &z->entries[index];
	/* __frontswap_store(): a dup is invalidated before the new store */
	if (e->state != E_NONE)
		free_entry(z, e);
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
	ret = z->cfg.codec->compress(ctx->codec_ctx, page, ctx->buf,
				     SL_CODEC_DST_SIZE, &dlen);
	if (ret) {
		/* crypto_acomp_compress() failed: -EINVAL, no counter */
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
	e = &z->entries[index];
	if (e->state == E_NONE) {
		z->st.swap_reads++;
		return 1;
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
	/* zswap_frontswap_load() keeps the entry: the page is in swapcache */
	e->in_swapcache = true;
	z->st.zswpin++;
	return ret;
}

int sl_zswap_invalidate(struct sl_zswap *z, u32 index)
{
	if (index >= z->cfg.nr_slots)
		return -EINVAL;
	if (z->entries[index].state == E_NONE)
		return 1;
	free_entry(z, &z->entries[index]);
	return 0;
}

void sl_zswap_stats(struct sl_zswap *z, struct sl_zswap_stats *st)
{
	*st = z->st;
}

void *sl_zswap_pool(struct sl_zswap *z)
{
	return z->pool;
}
