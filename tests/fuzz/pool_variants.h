/*
 * pool_variants.h - every allocator of sl_allocators[] with the option
 * sets worth telling apart, for the op-sequence targets: an input's first
 * byte picks one, so each registered allocator is fuzzed without a new
 * line here; the options below add the kernel variants of those that have
 * them (docs/allocators.md).
 */
#ifndef POOL_VARIANTS_H
#define POOL_VARIANTS_H

#include <string.h>
#include "core/sl_alloc.h"

static const struct { const char *alloc, *opts; } pool_opts[] = {
	{ "zsmalloc", "chain=4" },
	{ "zsmalloc", "chain=16" },
	{ "zsmalloc", "kernel=6.1" },
	{ "z3fold", "chunk=16" },
};

/* the @n-th variant: each registered allocator with no options, then
 * pool_opts[] (modulo the total) */
static inline const struct sl_alloc_ops *pool_variant(unsigned int n,
						      const char **opts)
{
	unsigned int na = 0, k;

	while (sl_allocators[na])
		na++;
	n %= na + sizeof(pool_opts) / sizeof(pool_opts[0]);
	if (n < na) {
		*opts = NULL;
		return sl_allocators[n];
	}
	k = n - na;
	*opts = pool_opts[k].opts;
	for (n = 0; n < na; n++)
		if (!strcmp(sl_allocators[n]->name, pool_opts[k].alloc))
			return sl_allocators[n];
	return sl_allocators[0];
}

#endif /* POOL_VARIANTS_H */
