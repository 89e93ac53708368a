/*
 * slotmap.c - see slotmap.h.
 */
#include <stdlib.h>
#include <string.h>

#include "slotmap.h"

int slotmap_init(struct slotmap *m, uint64_t n, size_t esize, int fill)
{
	memset(m, 0, sizeof(*m));
	m->nleaves = (n + SLOTMAP_LEAF - 1) >> SLOTMAP_SHIFT;
	if (!m->nleaves)
		m->nleaves = 1;
	m->esize = esize;
	m->fill = fill;
	/* calloc: the untouched part of a big directory stays unmapped */
	m->leaves = calloc(m->nleaves, sizeof(*m->leaves));
	return m->leaves ? 0 : -1;
}

void slotmap_free(struct slotmap *m)
{
	uint64_t l;

	for (l = 0; m->leaves && l < m->nleaves; l++)
		free(m->leaves[l]);
	free(m->leaves);
	m->leaves = NULL;
	m->nleaves = 0;
}

void *slotmap_get_slow(struct slotmap *m, uint64_t i)
{
	unsigned char *leaf;

	if ((i >> SLOTMAP_SHIFT) >= m->nleaves)
		return NULL;
	leaf = malloc(SLOTMAP_LEAF * m->esize);
	if (!leaf)
		return NULL;
	memset(leaf, m->fill, SLOTMAP_LEAF * m->esize);
	m->leaves[i >> SLOTMAP_SHIFT] = leaf;
	m->nallocated++;
	return slotmap_find(m, i);
}

uint64_t slotmap_next(const struct slotmap *m, uint64_t i)
{
	uint64_t l = i >> SLOTMAP_SHIFT;

	if (l >= m->nleaves)
		return UINT64_MAX;
	if (m->leaves[l])
		return i;
	while (++l < m->nleaves)
		if (m->leaves[l])
			return l << SLOTMAP_SHIFT;
	return UINT64_MAX;
}
