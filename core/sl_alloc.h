/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_alloc.h - the allocator interface: one const ops table per allocator,
 * one file each (alloc_<name>.c), a NULL-terminated registry in alloc.c.
 *
 * Every allocator counts its memory in whole pages taken from
 * sl_page_alloc(), exactly as the kernel reports zsmalloc's pool size in
 * zram's mem_used_total.  Allocators are not thread-safe by themselves:
 * the store serialises calls on one pool (see store.c).
 *
 * Context, in general: create(), destroy() and huge_size() run with no
 * lock held and may sleep.  Every other op on a live store runs under the
 * store's pool spinlock -- map()/read()/unmap() and most free() calls
 * also under a slot's bit lock -- so it must not sleep: pages come from
 * sl_page_alloc(), whose module side asks for GFP_ATOMIC memory when it
 * may not sleep (sl_gfp()), and no op may take a mutex, wait for I/O or
 * call anything that does.  Userspace
 * checks this: might_sleep() under a core/ lock is counted and
 * tests/unit/context_ut.c fails on it.
 */
#ifndef SL_ALLOC_H
#define SL_ALLOC_H

#include "sl_compat.h"

struct sl_alloc_stats {
	u64 pages;		/* pages held from the page provider */
	u64 objs;		/* live objects */
	u64 obj_bytes;		/* bytes requested by live objects */
	u64 pages_compacted;	/* pages freed by compact(), cumulative */
	u64 max_size;		/* largest object size accepted */
};

/*
 * One size class (zsmalloc class, kmalloc cache, zblock block type), in
 * the columns of zsmalloc's debugfs "classes" file.  A "unit" is what the
 * class takes pages in: a zspage, a slab, a block.  Added after the first
 * release: allocators without classes leave class_stats NULL.
 */
#define SL_ALLOC_MAX_GROUPS	12
struct sl_alloc_class_stats {
	u32 index;		/* class number, as debugfs prints it */
	u32 size;		/* slot size in bytes */
	u32 objs_per_unit;
	u32 pages_per_unit;
	u64 obj_allocated;	/* slots in all units of the class */
	u64 obj_used;		/* slots holding an object */
	u64 pages_used;
	u64 freeable;		/* pages compact() could free (zs_can_compact) */
	u32 nr_groups;		/* fullness groups in use, 0: none */
	/* units per fullness group, emptiest first; zsmalloc 6.1: empty,
	 * almost_empty, almost_full, full; 6.6: 0, 10, ..., 90, 99, 100 %
	 */
	u64 groups[SL_ALLOC_MAX_GROUPS];
};

/* how an object is mapped: the kernel's enum zs_mapmode */
enum sl_map_mode {
	SL_MAP_RW,
	SL_MAP_RO,	/* read only: nothing to copy back */
	SL_MAP_WO,	/* write only: every byte will be written */
};

struct sl_alloc_ops {
	const char *name;
	const char *desc;
	/**
	 * create() - make a pool.  @opts: "key=value[:key=value...]" or NULL.
	 * Return: 0 and *@pool set; -EINVAL for an unknown key or bad value;
	 * -ENOMEM.
	 * Context: no lock held; may sleep.
	 */
	int (*create)(const char *opts, void **pool);
	/*
	 * destroy() - free every page; NULL: no-op.
	 * Context: no lock held, no other op running; may sleep.
	 */
	void (*destroy)(void *pool);
	/**
	 * malloc() - room for @size bytes (1..max_size).  Every allocator
	 * takes up to PAGE_SIZE, since the store keeps huge pages raw in the
	 * pool as zram does; sizes past an allocator's own design limit get
	 * a page to themselves, as compcache kept incompressible pages.
	 * Return: 0 and *@handle set (never 0); -ENOMEM when no page could be
	 * had; -EINVAL for a size out of range.
	 * Context: pool lock held (no slot lock yet: the slot takes the
	 * handle afterwards); must not sleep.
	 */
	int (*malloc)(void *pool, size_t size, unsigned long *handle);
	/* free() - Context: pool lock held, maybe a slot lock; no sleep */
	void (*free)(void *pool, unsigned long handle);
	/*
	 * map() - pointer to the object's @size bytes, valid until unmap().
	 * One object mapped at a time per pool: zsmalloc and zblock copy an
	 * object that straddles two pages through one per-pool buffer, and,
	 * as zs_map_object(), skip the copy in for SL_MAP_WO (the caller
	 * writes every byte) and the copy back for SL_MAP_RO.
	 * Context (map and unmap): pool lock held from map() to unmap(),
	 * and the bit lock of the slot the object belongs to; no sleep.
	 */
	void *(*map)(void *pool, unsigned long handle, enum sl_map_mode mm);
	void (*unmap)(void *pool, unsigned long handle);
	/*
	 * read(), write() - copy the whole object out of or into the pool,
	 * as map() + memcpy() + unmap() would, an object that straddles two
	 * pages in two parts.  The kernel maps through per-CPU areas; one
	 * pool-wide bounce buffer would be 4 KiB every thread writes, and a
	 * second copy.  NULL: the store uses map().
	 * Context: pool lock held; read() also the slot's bit lock, write()
	 * no slot lock (the object is not a slot's yet); must not sleep.
	 */
	void (*read)(void *pool, unsigned long handle, void *dst);
	void (*write)(void *pool, unsigned long handle, const void *src);
	/*
	 * peek() - the object's bytes in place, when they lie in one page
	 * (NULL: they do not, use read()), so the store can decompress
	 * them without a copy, as zram does from zs_map_object().  The
	 * pointer stays valid until the object is freed or compact() runs
	 * (only compaction moves an object), with no pool lock held.
	 * NULL op: no such pointer.  Context: the slot's bit lock or a
	 * reference that keeps the object from being freed, and the store's
	 * compaction lock for reading; no pool lock needed; no sleep.
	 */
	const void *(*peek)(void *pool, unsigned long handle);
	/*
	 * compact() - move objects to free pages; Return: pages freed.
	 * NULL: no compaction.  Context: pool lock held (no slot lock:
	 * handles stay valid while objects move); must not sleep.
	 */
	unsigned long (*compact)(void *pool);
	/* total_pages(), stats() - Context: pool lock held; no sleep */
	unsigned long (*total_pages)(void *pool);
	void (*stats)(void *pool, struct sl_alloc_stats *st);
	/**
	 * huge_size() - objects of this size or more gain nothing from the
	 * allocator, as zsmalloc's zs_huge_class_size(); the store keeps pages
	 * that compress to this or more raw.  PAGE_SIZE: no such size.
	 * Context: no lock held (at store creation, and by bench); no sleep.
	 */
	size_t (*huge_size)(void *pool);
	/**
	 * check() - walk every internal structure and verify its invariants.
	 * Return: 0, or -EUCLEAN naming nothing (tests call it after each op).
	 * Context: no other op running on the pool (tests, quiet stores); may
	 * take its time, must not sleep.
	 */
	int (*check)(void *pool);
	/**
	 * class_stats() - fill @cs for the @n-th class that is not merged
	 * into another (0, 1, ...), for a per-class table.  May be NULL.
	 * Return: 0; -ENOENT when @n is past the last class.
	 * Context: no other op running on the pool (after a replay, or
	 * under the caller's pool lock); must not sleep.
	 */
	int (*class_stats)(void *pool, unsigned int n,
			   struct sl_alloc_class_stats *cs);
	/**
	 * reclaim() - zpool_shrink() of one page, for zswap's writeback:
	 * take the least recently allocated-into page and call @evict for
	 * each of its objects; @evict must free the object (0) or leave it
	 * (-errno: the page goes back to the head of the LRU, and the next
	 * one is tried, up to @retries pages).  Only evictable pools have it
	 * (zbud; zsmalloc and the rest: NULL, as zpool_evictable() says).
	 * Return: 0 when a page was freed; -EAGAIN after @retries pages;
	 * -EINVAL for an empty pool.
	 * Context: no other op running on the pool and no pool lock held:
	 * @evict is called from inside and calls free() on this pool (zswap's
	 * writeback path, single-threaded in the model); no sleep.
	 */
	int (*reclaim)(void *pool, unsigned int retries,
		       int (*evict)(void *arg, unsigned long handle),
		       void *arg);
};

extern const struct sl_alloc_ops sl_alloc_zsmalloc;
extern const struct sl_alloc_ops sl_alloc_ideal;
extern const struct sl_alloc_ops sl_alloc_zbud;
extern const struct sl_alloc_ops sl_alloc_z3fold;
extern const struct sl_alloc_ops sl_alloc_zblock;
extern const struct sl_alloc_ops sl_alloc_xvmalloc;
extern const struct sl_alloc_ops sl_alloc_tlsf;
extern const struct sl_alloc_ops sl_alloc_kmalloc;

/* NULL-terminated list of every allocator compiled in */
extern const struct sl_alloc_ops *const sl_allocators[];

/**
 * sl_alloc_find() - look up "name" in "name[:opts]".
 * @spec: allocator spec; *@opts is set to the text after the first ':' or
 * NULL.  Return: the ops, or NULL for an unknown name.
 */
const struct sl_alloc_ops *sl_alloc_find(const char *spec, const char **opts);

/**
 * sl_opt_next() - split "k=v:k=v" options, in place of strsep/strtok which
 * core/ cannot use.  Copies the next key and value into @key/@val (each
 * @size bytes).  Return: pointer past the consumed option, or NULL at the
 * end; ERR_PTR(-EINVAL) for a malformed or too long option.
 */
const char *sl_opt_next(const char *s, char *key, char *val, size_t size);

/*
 * struct sl_idtab - small integer ids for an allocator's pages or blocks,
 * so a handle can name one by number as the kernel's name a pfn.  Two
 * levels of one-page arrays: growing never asks for more than a page at
 * once, which matters in the module, where allocators run under the
 * store's spinlock with GFP_ATOMIC.  Entries are pointers with bit 0
 * clear (bits 1 and 2 are the caller's).  Zero-initialise; not
 * thread-safe (core/alloc_idtab.c).
 */
struct sl_idtab {
	void ***dir;
	u32 nr_dir;
	u32 nr_ids;		/* ids backed by a leaf */
	u32 free_id;		/* first free id; nr_ids: none */
	u32 used;
};

/* sl_idtab_get() - a free id for @entry. Return: 0 or -ENOMEM */
int sl_idtab_get(struct sl_idtab *t, void *entry, u32 *id);
void sl_idtab_put(struct sl_idtab *t, u32 id);
#define SL_IDTAB_LEAF	(PAGE_SIZE / sizeof(void *))	/* ids per leaf */

/* sl_idtab_at() - the entry of @id (< nr_ids), NULL for a free id */
static inline void *sl_idtab_at(const struct sl_idtab *t, u32 id)
{
	void *e = t->dir[id / SL_IDTAB_LEAF][id % SL_IDTAB_LEAF];

	return (unsigned long)e & 1 ? NULL : e;
}

/* sl_idtab_destroy() - free the table itself, not what entries point to */
void sl_idtab_destroy(struct sl_idtab *t);

/**
 * sl_obj_copy() - copy the @size bytes of an object that starts at @off in
 * @pages[0] and runs on into @pages[1] when it does not fit: into the
 * pages from @buf when @to_pool, else out of them into @buf.
 */
static inline void sl_obj_copy(void *const *pages, size_t off, size_t size,
			       void *buf, bool to_pool)
{
	size_t first = min_t(size_t, size, PAGE_SIZE - off);
	u8 *p = (u8 *)pages[0] + off, *b = buf;

	if (to_pool)
		memcpy(p, b, first);
	else
		memcpy(b, p, first);
	if (first == size)
		return;
	if (to_pool)
		memcpy(pages[1], b + first, size - first);
	else
		memcpy(b + first, pages[1], size - first);
}

#endif /* SL_ALLOC_H */
