// SPDX-License-Identifier: GPL-2.0
/*
 * sl_compat.c - userspace implementations behind sl_compat_user.h.
 *
 * Every page and object core/ allocates passes through here, so tests can
 * count live allocations (leaks show as a non-zero balance) and make the
 * Nth allocation, or a seeded random share of them, fail.
 */
#include <stdlib.h>
#include <time.h>

#include "../sl_compat.h"
#include "sl_fault.h"

static long live_pages, live_objs;
static struct {
	long countdown;		/* fail when it reaches 0; <0: off */
	u32 permille;		/* fail this share of calls; 0: off */
	u64 rng;
	long injected;
} fault = { .countdown = -1 };

void sl_fault_set_nth(long n)
{
	__atomic_store_n(&fault.countdown, n > 0 ? n : -1, __ATOMIC_RELAXED);
}

void sl_fault_set_random(u32 permille, u64 seed)
{
	fault.permille = permille;
	fault.rng = seed | 1;
}

void sl_fault_off(void)
{
	fault.countdown = -1;
	fault.permille = 0;
}

long sl_fault_injected(void)
{
	return __atomic_load_n(&fault.injected, __ATOMIC_RELAXED);
}

long sl_compat_live_pages(void)
{
	return __atomic_load_n(&live_pages, __ATOMIC_RELAXED);
}

long sl_compat_live_objs(void)
{
	return __atomic_load_n(&live_objs, __ATOMIC_RELAXED);
}

static bool should_fail(void)
{
	if (__atomic_load_n(&fault.countdown, __ATOMIC_RELAXED) > 0 &&
	    __atomic_sub_fetch(&fault.countdown, 1, __ATOMIC_RELAXED) == 0) {
		__atomic_add_fetch(&fault.injected, 1, __ATOMIC_RELAXED);
		return true;
	}
	if (fault.permille) {
		/* xorshift64: reproducible from the seed */
		fault.rng ^= fault.rng << 13;
		fault.rng ^= fault.rng >> 7;
		fault.rng ^= fault.rng << 17;
		if (fault.rng % 1000 < fault.permille) {
			__atomic_add_fetch(&fault.injected, 1,
					   __ATOMIC_RELAXED);
			return true;
		}
	}
	return false;
}

void *sl_kmalloc(size_t size, bool zero)
{
	void *p;

	if (should_fail())
		return NULL;
	p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		__atomic_add_fetch(&live_objs, 1, __ATOMIC_RELAXED);
	return p;
}

void sl_kfree(const void *p)
{
	if (!p)
		return;
	__atomic_sub_fetch(&live_objs, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

/*
 * Freed pages are kept on a free list, as the kernel's page allocator
 * keeps them, instead of going back to libc: libc trims its heap and the
 * next allocation then pays a page fault and a page clear, about a tenth
 * of a replay's time, which the kernel's alloc_page() does not pay.
 * Sanitizer builds skip the cache so that use-after-free stays visible.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PAGE_CACHE_MAX	0
#else
#define PAGE_CACHE_MAX	(1L << 18)	/* 1 GiB of 4 KiB pages */
#endif

static struct {
	spinlock_t lock;
	void *head;
	long count;
} page_cache;

void *sl_page_alloc(void)
{
	void *p = NULL;

	if (should_fail())
		return NULL;
	if (PAGE_CACHE_MAX && READ_ONCE(page_cache.count)) {
		spin_lock(&page_cache.lock);
		p = page_cache.head;
		if (p) {
			page_cache.head = *(void **)p;
			page_cache.count--;
		}
		spin_unlock(&page_cache.lock);
	}
	if (!p)
		p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (p)
		__atomic_add_fetch(&live_pages, 1, __ATOMIC_RELAXED);
	return p;
}

void sl_page_free(void *page)
{
	if (!page)
		return;
	__atomic_sub_fetch(&live_pages, 1, __ATOMIC_RELAXED);
	if (PAGE_CACHE_MAX && READ_ONCE(page_cache.count) < PAGE_CACHE_MAX) {
		spin_lock(&page_cache.lock);
		*(void **)page = page_cache.head;
		page_cache.head = page;
		page_cache.count++;
		spin_unlock(&page_cache.lock);
		return;
	}
	free(page);
}

u64 sl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	const char *p = s;

	if (base == 0 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (base == 0) {
		base = 10;
	}
	if (!*p)
		return -EINVAL;
	for (; *p && *p != '\n'; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (p[0] == '\n' && p[1])
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}
