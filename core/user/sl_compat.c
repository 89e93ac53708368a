// SPDX-License-Identifier: GPL-2.0
/*
 * sl_compat.c - userspace implementations behind sl_compat_user.h.
 *
 * Every page and object core/ allocates passes through here, so tests can
 * count live allocations (leaks show as a non-zero balance) and make the
 * Nth allocation, or a seeded random share of them, fail.
 */
#define _GNU_SOURCE	/* mremap() */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../sl_compat.h"
#include "sl_fault.h"

static long live_pages, live_objs;
static long sleep_violations;
__thread int sl_atomic_depth;

void sl_might_sleep(void)
{
	if (sl_atomic_depth)
		__atomic_add_fetch(&sleep_violations, 1, __ATOMIC_RELAXED);
}

long sl_compat_sleep_violations(void)
{
	return __atomic_load_n(&sleep_violations, __ATOMIC_RELAXED);
}
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

/*
 * The store's own records (slot table, zspage descriptors, handles) are
 * small objects spread over tens of MiB.  On 4 KiB pages nearly every
 * cold record is a TLB miss too, and under a hypervisor a TLB miss walks
 * two sets of page tables: zs_malloc() took 580 cycles on average, 280
 * with the heap on huge pages.  The kernel's slab objects sit in its
 * direct map, which huge pages map, so zram does not pay that either.
 * So the C heap grows in big steps, and sl_page_reserve() (outside timed
 * regions, before each op) marks each step MADV_HUGEPAGE and faults it in,
 * as glibc's glibc.malloc.hugetlb=1 tunable would mark it; large blocks,
 * which glibc maps on their own, are marked when allocated.
 * Not in sanitizer builds: their allocators are their own.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEAP_THP	0
#else
#define HEAP_THP	1
#endif
#define THP_SIZE	(2UL << 20)
#define THP_BIG		(32UL << 20)	/* glibc's largest mmap threshold */
#define HEAP_PAD	THP_SIZE

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

static struct {
	spinlock_t lock;
	uintptr_t done;		/* the heap is marked up to here */
	uintptr_t faulted;	/* and faulted in up to here */
} heap;

static void thp_range(uintptr_t start, uintptr_t end)
{
	start = (start + THP_SIZE - 1) & ~(THP_SIZE - 1);
	end &= ~(THP_SIZE - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/*
 * mark what the heap grew by since the last call and fault it in (a huge
 * page fault clears 2 MiB: not in a timed region); cheap when it did not
 */
static void heap_thp(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);

	if (!HEAP_THP || brk == (uintptr_t)-1 ||
	    brk <= READ_ONCE(heap.faulted))
		return;
	spin_lock(&heap.lock);
	if (brk >= heap.done + THP_SIZE) {
		thp_range(heap.done, brk);
		heap.done = brk & ~(THP_SIZE - 1);
	}
	if (brk > heap.faulted) {
		uintptr_t from = heap.faulted & ~(PAGE_SIZE - 1);

		/* keeps the bytes: safe over blocks in use */
		madvise((void *)from, brk - from, MADV_POPULATE_WRITE);
		heap.faulted = brk;
	}
	spin_unlock(&heap.lock);
}

__attribute__((constructor)) static void heap_thp_init(void)
{
	if (!HEAP_THP)
		return;
	/*
	 * Blocks up to THP_BIG from the heap; grow it HEAP_PAD past each
	 * need (so the next records land in marked memory) and never trim
	 * it.  The pad is faulted in with the rest: RSS the stores do not
	 * use, so it is one huge page, not THP_BIG (32 MiB cost 0.1 s of
	 * faults and 32 MiB of RSS to a replay of 100,000 stores; 8 MiB
	 * left 6 MiB of a 1,000,000-store replay's RSS unused).
	 */
	mallopt(M_MMAP_THRESHOLD, THP_BIG);
	mallopt(M_TOP_PAD, HEAP_PAD);
	mallopt(M_TRIM_THRESHOLD, 4 * THP_BIG);
	heap.done = (uintptr_t)sbrk(0) & ~(PAGE_SIZE - 1);
	heap.faulted = heap.done;
}

void *sl_kmalloc(size_t size, bool zero)
{
	void *p;

	if (should_fail())
		return NULL;
	p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (!p)
		return NULL;
	__atomic_add_fetch(&live_objs, 1, __ATOMIC_RELAXED);
	if (HEAP_THP && size >= THP_SIZE)
		thp_range((uintptr_t)p, (uintptr_t)p + size);
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
 * Pages come from a free list, as the kernel's alloc_page() takes them
 * from its free lists: memory that is already mapped.  Fresh memory from
 * libc would page-fault and be cleared on first touch, 2-3 us a page on
 * these machines, inside the timed store; and giving it back would make
 * the next allocation pay again, and costs every other thread a TLB
 * shootdown.  So the list is refilled with whole pre-faulted chunks,
 * ahead of need when the caller asks (sl_page_reserve(), outside its
 * timed region, as kswapd keeps the kernel's watermarks), and pages on it
 * go back to the system only above PAGE_CACHE_MAX.
 * Sanitizer builds skip all this so that use-after-free stays visible.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PAGE_CACHE_MAX	0
#else
#define PAGE_CACHE_MAX	(1L << 18)	/* 1 GiB of 4 KiB pages */
#endif
#define CHUNK_PAGES	512		/* 2 MiB: one huge page */

/*
 * The free list is a stack of pointers, not links inside the pages: a
 * free page is cold, and reading or writing it would cost a cache miss
 * per page that the kernel's buddy allocator (links in struct page) does
 * not pay either.
 */
static struct {
	spinlock_t lock;
	void **stack;
	long count, cap;
} page_cache;

/* room for @n more entries; called with the lock held; false: no memory */
static bool stack_room(long n)
{
	long cap = page_cache.cap ? page_cache.cap : 4096;
	void **st;

	if (page_cache.count + n <= page_cache.cap)
		return true;
	while (cap < page_cache.count + n)
		cap *= 2;
	/* mapped: a heap block grown by doubling leaves holes in the heap */
	st = page_cache.stack ?
	     mremap(page_cache.stack, page_cache.cap * sizeof(*st),
		    cap * sizeof(*st), MREMAP_MAYMOVE) :
	     mmap(NULL, cap * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		return false;
	page_cache.stack = st;
	page_cache.cap = cap;
	return true;
}

/* map, fault in and stack @n pages (a multiple of CHUNK_PAGES); 0 or -ENOMEM */
static int page_cache_grow(long n)
{
	size_t bytes = (size_t)n << PAGE_SHIFT;
	size_t align = CHUNK_PAGES * PAGE_SIZE;
	uintptr_t head;
	char *p;
	long i;

	/* over-map by a chunk to start on a huge page boundary */
	p = mmap(NULL, bytes + align, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	head = -(uintptr_t)p & (align - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + bytes, align - head);
	p += head;
	/* huge pages fault 512 pages at once; a hint, so errors are fine */
	madvise(p, bytes, MADV_HUGEPAGE);
	for (i = 0; i < n; i++)
		p[i << PAGE_SHIFT] = 0;		/* fault it in now */
	spin_lock(&page_cache.lock);
	if (!stack_room(n)) {
		spin_unlock(&page_cache.lock);
		munmap(p, bytes);
		return -ENOMEM;
	}
	for (i = n - 1; i >= 0; i--)
		page_cache.stack[page_cache.count++] = p + (i << PAGE_SHIFT);
	spin_unlock(&page_cache.lock);
	return 0;
}

/*
 * One thread grows the list at a time, and each checks again once it has
 * the lock: two that found it short (the replay's decoder and its pager,
 * say) would otherwise both add a chunk, 2 MiB of RSS that no store uses.
 * A mutex, not the spinlock: faulting a chunk in takes milliseconds, and
 * a thread that waits should leave its cpu to the one faulting.
 */
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;

/* grow the list to @n pages (a chunk at least) unless it has them */
static int page_cache_fill(long n)
{
	long have;
	int ret = 0;

	pthread_mutex_lock(&grow_lock);
	have = READ_ONCE(page_cache.count);
	n = min(n, PAGE_CACHE_MAX) - have;
	if (n > 0)
		ret = page_cache_grow((n + CHUNK_PAGES - 1) / CHUNK_PAGES *
				      CHUNK_PAGES);
	pthread_mutex_unlock(&grow_lock);
	return ret;
}

int sl_page_reserve(long n)
{
	heap_thp();
	if (!PAGE_CACHE_MAX || READ_ONCE(page_cache.count) >= n)
		return 0;
	return page_cache_fill(n);
}

void *sl_page_alloc(void)
{
	void *p = NULL;

	if (should_fail())
		return NULL;
	if (!PAGE_CACHE_MAX) {
		p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
		goto out;
	}
	for (;;) {
		spin_lock(&page_cache.lock);
		if (page_cache.count)
			p = page_cache.stack[--page_cache.count];
		spin_unlock(&page_cache.lock);
		if (p || page_cache_fill(1))
			break;
	}
out:
	if (p)
		__atomic_add_fetch(&live_pages, 1, __ATOMIC_RELAXED);
	return p;
}

void sl_page_free(void *page)
{
	bool kept = false;

	if (!page)
		return;
	__atomic_sub_fetch(&live_pages, 1, __ATOMIC_RELAXED);
	if (!PAGE_CACHE_MAX) {
		free(page);
		return;
	}
	spin_lock(&page_cache.lock);
	if (page_cache.count < PAGE_CACHE_MAX && stack_room(1)) {
		page_cache.stack[page_cache.count++] = page;
		kept = true;
	}
	spin_unlock(&page_cache.lock);
	/* past a GiB of free pages (splits a huge page), or no stack room */
	if (!kept)
		munmap(page, PAGE_SIZE);
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
