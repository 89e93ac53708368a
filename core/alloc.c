// SPDX-License-Identifier: GPL-2.0
/*
 * alloc.c - the allocator registry and the option parser every allocator
 * shares, so that "name:key=value" means the same from the command line and
 * from the module's sysfs allocator file.
 */
#include "sl_alloc.h"

const struct sl_alloc_ops *const sl_allocators[] = {
	&sl_alloc_zsmalloc,
	&sl_alloc_zbud,
	&sl_alloc_z3fold,
	&sl_alloc_zblock,
	&sl_alloc_xvmalloc,
	&sl_alloc_tlsf,
	&sl_alloc_kmalloc,
	&sl_alloc_ideal,
	NULL,
};

const struct sl_alloc_ops *sl_alloc_find(const char *spec, const char **opts)
{
	const struct sl_alloc_ops *const *a;
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	*opts = colon ? colon + 1 : NULL;
	for (a = sl_allocators; *a; a++)
		if (strlen((*a)->name) == len && !strncmp((*a)->name, spec, len))
			return *a;
	return NULL;
}

const char *sl_opt_next(const char *s, char *key, char *val, size_t size)
{
	const char *end, *eq;
	size_t klen, vlen;

	if (!s || !*s)
		return NULL;
	end = strchr(s, ':');
	if (!end)
		end = s + strlen(s);
	eq = memchr(s, '=', end - s);
	if (!eq || eq == s || eq + 1 == end)
		return ERR_PTR(-EINVAL);
	klen = eq - s;
	vlen = end - eq - 1;
	if (klen >= size || vlen >= size)
		return ERR_PTR(-EINVAL);
	memcpy(key, s, klen);
	key[klen] = '\0';
	memcpy(val, eq + 1, vlen);
	val[vlen] = '\0';
	return *end ? end + 1 : end;
}
