/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_zswap.h - a model of zswap: a compressed cache in front of a real
 * swap device, with the rules of one kernel's mm/zswap.c.
 *
 * Where the zram-like store (sl_store.h) is the swap device itself, zswap
 * may refuse a page (it then goes to the backing swap device), and when
 * its pool passes max_pool_percent of RAM it writes its oldest entries
 * back to that device.  The model keeps the pages it holds in a pool of
 * one allocator and counts, under the kernel's debugfs and vmstat names,
 * what it stored, refused and wrote back.  The backing device itself is
 * not modelled: what goes there is counted (swap_writes, swap_reads).
 *
 * Kernel rules implemented (read in Debian's linux-source-6.1, mm/zswap.c,
 * mm/frontswap.c, mm/zbud.c):
 *  - full: totalram * max_pool_percent / 100 < DIV_ROUND_UP(pool, PAGE_SIZE)
 *    checked before each store; a store that finds the pool full counts
 *    pool_limit_hit, is refused, and starts one shrink (zpool_shrink of
 *    one page, zbud: up to 8 LRU pages tried) -- a work item in the
 *    kernel, run at once here;
 *  - after a limit hit, stores are refused (no counter) until the pool
 *    is below accept_threshold_percent of the limit;
 *  - same-filled pages take an entry and no pool memory;
 *  - zbud and z3fold objects carry an 8-byte header (the swap entry) and
 *    are evictable; zsmalloc is not (6.1): a shrink counts
 *    reject_reclaim_fail;
 *  - zbud refuses objects over 3968 B (reject_compress_poor), z3fold over
 *    PAGE_SIZE, zsmalloc over PAGE_SIZE with -EINVAL (reject_alloc_fail);
 *  - a store over a slot that holds an entry drops the old one first
 *    (frontswap), so duplicate_entry stays 0;
 *  - a load keeps the entry (6.1 has no exclusive loads); the page then
 *    sits in the swap cache, and writeback of its entry fails (-EEXIST)
 *    until the slot is stored again or freed;
 *  - optionally (cfg slot_cache, sync_swapin) the swap-slot cache of one
 *    CPU and a SWP_SYNCHRONOUS_IO swap device: see struct sl_zswap_cfg;
 *    an entry whose slot waits in the cache cannot be written back;
 *  - the shrink works on zswap_pool_last_get(), the oldest pool on the
 *    list, not the current one; optionally (cfg older_pool_pinned) that
 *    is an empty pool of an earlier compressor or zpool, and every
 *    shrink fails (reject_reclaim_fail).  The kernel leaks the reference
 *    zswap_pool_last_get() took when queue_work() finds the shrink work
 *    still pending; the model runs the work at once, so it never has one
 *    pending and leaks nothing (the player reports the kernel's as
 *    limit hits that queued no work).
 *
 * 6.12's rules (linux-source-6.12: mm/zswap.c, mm/page_io.c, mm/zbud.c,
 * mm/zsmalloc.c), where they differ:
 *  - a zero-filled page never reaches zswap: swap_writepage() marks it in
 *    the swap device's zeromap (vmstat swpout_zero, swpin_zero); no entry,
 *    no zswpout.  Other same-filled pages are compressed like any page
 *    (same_filled_pages is gone);
 *  - no object carries a header; zbud refuses objects over 3968 B and
 *    zsmalloc over PAGE_SIZE, both with -ENOSPC (reject_compress_poor);
 *  - zswap_check_limits(): the pool is full at >= max pages (6.1: >),
 *    counted on every store while full, and accepts again at <= the
 *    accept level, which is max pages * accept_threshold_percent / 100;
 *  - a refused store while full runs shrink_worker(): write back from
 *    the head of an entry LRU (new entries at the tail, referenced; a
 *    referenced entry gets a second chance) down to the accept level,
 *    giving up after 16 failed tries -- a work item in the kernel, run at
 *    once here.  Its memcg cursor is kept between runs, with one cgroup
 *    holding entries (and the root none): a run that starts on that
 *    cgroup first ends a pass with no try, one failure.  The memcg-aware
 *    dynamic shrinker (shrinker_enabled, off by default in Debian's
 *    build) is not modelled;
 *  - a load is exclusive: the entry is dropped and the page is in memory
 *    until the slot is stored again or freed.
 *
 * Locking: none; the caller serialises every call on one zswap.
 */
#ifndef SL_ZSWAP_H
#define SL_ZSWAP_H

#include "sl_alloc.h"
#include "sl_codec.h"

enum sl_zswap_kernel {
	SL_ZSWAP_K61,
	SL_ZSWAP_K612,
};

struct sl_zswap_cfg {
	enum sl_zswap_kernel kernel;
	const struct sl_codec_ops *codec;
	struct sl_codec_params codec_params;
	const struct sl_alloc_ops *alloc;	/* zbud, z3fold or zsmalloc */
	const char *alloc_opts;			/* may be NULL */
	u64 nr_slots;			/* swap offsets 0..nr_slots - 1, <= 2^32 */
	u64 totalram_pages;		/* totalram_pages() */
	unsigned int max_pool_percent;	/* 1..100; kernel default 20 */
	unsigned int accept_thr_percent; /* 0..100; kernel default 90 */
	bool same_filled;		/* same_filled_pages_enabled */
	/*
	 * 6.1 only, both 0 by default.  @slot_cache: a freed swap slot
	 * waits in the per-CPU cache of freed slots (SWAP_SLOTS_CACHE_SIZE,
	 * 64) and zswap drops its entry only when the free that finds the
	 * cache full returns them all (free_swap_slot()); one CPU's cache is
	 * modelled, so the kernel side must free from one CPU.  @sync_swapin:
	 * the swap device is SWP_SYNCHRONOUS_IO (zram): a load of a page
	 * with one user reads it past the swap cache and frees its slot, and
	 * a store over a held slot is such a load (zswpin) first.  A page
	 * written back stays in the swap cache: a load maps it and keeps its
	 * slot, which a store to it (do_wp_page()) or its free
	 * (free_swap_cache()) then frees.
	 */
	unsigned int slot_cache;
	bool sync_swapin;
	/*
	 * 6.1 only, false by default: an older pool sits behind the current
	 * one on zswap_pools, empty and pinned by a reference that an earlier
	 * limit hit leaked, so every shrink fails (see shrink() in zswap.c).
	 */
	bool older_pool_pinned;
};

struct sl_zswap;

/* debugfs (zswap/) and vmstat names; then our own */
struct sl_zswap_stats {
	u64 stored_pages;
	u64 pool_total_size;		/* bytes: pool pages * PAGE_SIZE */
	u64 same_filled_pages;
	u64 written_back_pages;
	u64 pool_limit_hit;
	u64 reject_reclaim_fail;
	u64 reject_alloc_fail;
	u64 reject_kmemcache_fail;
	u64 reject_compress_poor;
	u64 duplicate_entry;
	u64 zswpout;
	u64 zswpin;
	u64 zswpwb;			/* 6.1 has no such vmstat: 0 there */
	u64 reject_compress_fail;	/* 6.12's; 6.1 counts no such */
	u64 swpout_zero;		/* 6.12: zero pages to the zeromap */
	u64 swpin_zero;			/* 6.12: ... and read back from it */
	/* our own */
	u64 pool_max_size;		/* highest pool_total_size */
	u64 compr_data_size;		/* bytes asked of the pool, live */
	u64 reject_uncounted;		/* refused with no kernel counter */
	u64 swap_writes;		/* pages written to the backing swap */
	u64 swap_reads;			/* loads served by the backing swap */
};

/* per-thread scratch: the codec context and a 2-page buffer */
struct sl_zswap_ctx {
	void *codec_ctx;
	u8 *buf;			/* SL_CODEC_DST_SIZE bytes */
};

/**
 * sl_zswap_create() - make a zswap with an empty pool.
 * Return: the zswap; ERR_PTR(-EINVAL) for a bad config (no codec or
 * allocator, 0 slots or RAM pages, a percentage out of range, an
 * allocator zswap cannot use); ERR_PTR(-EOPNOTSUPP) for a kernel whose
 * rules are not modelled; ERR_PTR(-ENOMEM).
 */
struct sl_zswap *sl_zswap_create(const struct sl_zswap_cfg *cfg);
void sl_zswap_destroy(struct sl_zswap *z);	/* NULL: no-op */

/* Return: 0; -ENOMEM; -EINVAL if the codec rejects its parameters */
int sl_zswap_ctx_create(struct sl_zswap *z, struct sl_zswap_ctx *ctx);
void sl_zswap_ctx_destroy(struct sl_zswap *z, struct sl_zswap_ctx *ctx);

/* what one store did */
enum sl_zswap_result {
	SL_ZSWAP_STORED,	/* in the pool, or a same-filled entry */
	SL_ZSWAP_REFUSED,	/* went to the backing swap device */
	SL_ZSWAP_ZEROMAP,	/* 6.12: zero-filled, in the swap zeromap */
};

/**
 * sl_zswap_store() - swap-out of @page (PAGE_SIZE bytes) to offset @index.
 * @comp_len: optional; the compressed length (0 for same-filled or when
 * it was not compressed).
 * Return: an enum sl_zswap_result; -EINVAL for an index out of range;
 * -ENOMEM when the model itself ran out of memory.
 */
int sl_zswap_store(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 index,
		   const void *page, u32 *comp_len);

/**
 * sl_zswap_load() - swap-in of offset @index into @page.
 * Return: 0 when zswap had it (@page filled, zswpin counted); 1 when it
 * did not (the backing swap serves it: swap_reads counted, @page
 * untouched); 6.12 only: 2 when the zeromap had it (@page zeroed,
 * swpin_zero counted), 3 when an earlier load already brought the page
 * in (nothing read, @page untouched); -EINVAL for an index out of range;
 * -EIO if the codec rejects the stored object.
 */
int sl_zswap_load(struct sl_zswap *z, struct sl_zswap_ctx *ctx, u32 index,
		  void *page);

/**
 * sl_zswap_invalidate() - the swap slot @index was freed.
 * Return: 0; 1 if zswap held nothing there; -EINVAL out of range.
 */
int sl_zswap_invalidate(struct sl_zswap *z, u32 index);

void sl_zswap_stats(struct sl_zswap *z, struct sl_zswap_stats *st);

/* the pool, for allocator statistics and tests; owned by @z */
void *sl_zswap_pool(struct sl_zswap *z);

/* the limit in pages and the accept level in pages, as the kernel rounds */
u64 sl_zswap_max_pages(const struct sl_zswap_cfg *cfg);
u64 sl_zswap_accept_pages(const struct sl_zswap_cfg *cfg);

#endif /* SL_ZSWAP_H */
