/*
 * sl_xxh.h - XXH3 from libxxhash, on the widest vector unit the cpu has.
 *
 * Debian builds libxxhash for baseline x86-64 (SSE2).  Its shared library
 * also exports the entry points of xxh_x86dispatch.h, which pick AVX2 or
 * AVX-512 at run time and return the same hashes; its static archive does
 * not, so they are weak here and the static build (the VM's) keeps the
 * plain ones.  A replay hashes every page of the trace twice (the chunk's
 * checksum as it is decoded, the STORE's verify hash) and every page read
 * back once more: on these hosts (AMD EPYC, AVX2) XXH3-128 of a 4 KiB page
 * went from 11 to 24 GB/s, the 64-bit checksum of a 256 KiB chunk from 5
 * to 25 GB/s.
 */
#ifndef SL_XXH_H
#define SL_XXH_H

#include <stddef.h>
#include <xxhash.h>

#if defined(__x86_64__) || defined(__i386__)
#define SL_XXH_DISPATCH 1
XXH64_hash_t XXH3_64bits_dispatch(const void *input, size_t len)
	__attribute__((weak));
XXH128_hash_t XXH3_128bits_dispatch(const void *input, size_t len)
	__attribute__((weak));
XXH_errorcode XXH3_128bits_update_dispatch(XXH3_state_t *state,
					   const void *input, size_t len)
	__attribute__((weak));
#else
#define SL_XXH_DISPATCH 0
#endif

/* XXH3_64bits(@p, @len): the same value, by the fastest code at hand */
static inline XXH64_hash_t sl_xxh3_64(const void *p, size_t len)
{
#if SL_XXH_DISPATCH
	if (XXH3_64bits_dispatch)
		return XXH3_64bits_dispatch(p, len);
#endif
	return XXH3_64bits(p, len);
}

/* XXH3_128bits(@p, @len), likewise */
static inline XXH128_hash_t sl_xxh3_128(const void *p, size_t len)
{
#if SL_XXH_DISPATCH
	if (XXH3_128bits_dispatch)
		return XXH3_128bits_dispatch(p, len);
#endif
	return XXH3_128bits(p, len);
}

/* XXH3_128bits_update(@s, @p, @len), likewise */
static inline XXH_errorcode sl_xxh3_128_update(XXH3_state_t *s,
					       const void *p, size_t len)
{
#if SL_XXH_DISPATCH
	if (XXH3_128bits_update_dispatch)
		return XXH3_128bits_update_dispatch(s, p, len);
#endif
	return XXH3_128bits_update(s, p, len);
}

#endif /* SL_XXH_H */
