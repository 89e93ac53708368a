/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_alloc.h - the allocator interface: one const ops table per allocator,
 * one file each (alloc_<name>.c), a NULL-terminated registry in alloc.c.
 *
 * Every allocator counts its memory in whole pages taken from
 * sl_page_alloc(), exactly as the kernel reports zsmalloc's pool size in
 * zram's mem_used_total.  Allocators are not thread-safe by themselves:
 * the store serialises calls on one pool (see store.c).
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

struct sl_alloc_ops {
	const char *name;
	const char *desc;
	/**
	 * create() - make a pool.  @opts: "key=value[:key=value...]" or NULL.
	 * Return: 0 and *@pool set; -EINVAL for an unknown key or bad value;
	 * -ENOMEM.
	 */
	int (*create)(const char *opts, void **pool);
	void (*destroy)(void *pool);	/* frees every page; NULL: no-op */
	/**
	 * malloc() - room for @size bytes (1..max_size).
	 * Return: 0 and *@handle set (never 0); -ENOMEM when no page could be
	 * had; -EINVAL for a size out of range.
	 */
	int (*malloc)(void *pool, size_t size, unsigned long *handle);
	void (*free)(void *pool, unsigned long handle);
	/* map() - pointer to the object's @size bytes, valid until unmap() */
	void *(*map)(void *pool, unsigned long handle);
	void (*unmap)(void *pool, unsigned long handle);
	/* compact() - move objects to free pages; Return: pages freed */
	unsigned long (*compact)(void *pool);	/* NULL: no compaction */
	unsigned long (*total_pages)(void *pool);
	void (*stats)(void *pool, struct sl_alloc_stats *st);
	/**
	 * huge_size() - objects of this size or more gain nothing from the
	 * allocator, as zsmalloc's zs_huge_class_size(); the store keeps pages
	 * that compress to this or more raw.  PAGE_SIZE: no such size.
	 */
	size_t (*huge_size)(void *pool);
	/**
	 * check() - walk every internal structure and verify its invariants.
	 * Return: 0, or -EUCLEAN naming nothing (tests call it after each op).
	 */
	int (*check)(void *pool);
};

extern const struct sl_alloc_ops sl_alloc_zsmalloc;
extern const struct sl_alloc_ops sl_alloc_ideal;

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

#endif /* SL_ALLOC_H */
