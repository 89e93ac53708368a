/*
 * slotmap.h - per-slot bookkeeping that costs memory by the slots used,
 * not by the highest index: a directory of SLOTMAP_LEAF-entry leaves,
 * each allocated on its first slotmap_get().  A trace of one STORE at slot
 * 2^32 - 1 costs one leaf and an 8 MiB directory (mostly never touched).
 *
 * Not thread-safe for slotmap_get(); slotmap_find() may run in other
 * threads once what allocated the leaf is ordered before them (the
 * replay's batches are).
 */
#ifndef SL_SLOTMAP_H
#define SL_SLOTMAP_H

#include <stddef.h>
#include <stdint.h>

#define SLOTMAP_SHIFT	12
#define SLOTMAP_LEAF	(1u << SLOTMAP_SHIFT)

struct slotmap {
	unsigned char **leaves;
	uint64_t nleaves;
	size_t esize;		/* bytes per entry */
	int fill;		/* every byte of a new entry */
	uint64_t nallocated;	/* leaves allocated so far */
};

/**
 * slotmap_init() - room for indexes 0..@n-1 (@n <= 2^32) of @esize bytes,
 * each byte @fill until set.
 * Return: 0, or -1 when out of memory.
 */
int slotmap_init(struct slotmap *m, uint64_t n, size_t esize, int fill);
void slotmap_free(struct slotmap *m);

/*
 * the entry of @i, or NULL when its leaf was never allocated (all @fill)
 * or @i is past the map
 */
static inline void *slotmap_find(const struct slotmap *m, uint64_t i)
{
	unsigned char *leaf;

	if ((i >> SLOTMAP_SHIFT) >= m->nleaves)
		return NULL;
	leaf = m->leaves[i >> SLOTMAP_SHIFT];
	return leaf ? leaf + (i & (SLOTMAP_LEAF - 1)) * m->esize : NULL;
}

void *slotmap_get_slow(struct slotmap *m, uint64_t i);

/* the entry of @i, its leaf allocated if need be; NULL: out of memory */
static inline void *slotmap_get(struct slotmap *m, uint64_t i)
{
	void *e = slotmap_find(m, i);

	return e ? e : slotmap_get_slow(m, i);
}

/**
 * slotmap_next() - the first index >= @i whose leaf exists, for a walk
 * over what was set: `for (i = slotmap_next(m, 0); i < n;
 * i = slotmap_next(m, i + 1))`.
 * Return: that index, or UINT64_MAX when there is none.
 */
uint64_t slotmap_next(const struct slotmap *m, uint64_t i);

#endif /* SL_SLOTMAP_H */
