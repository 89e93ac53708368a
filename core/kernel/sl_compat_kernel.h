/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_compat_kernel.h - the kernel side of sl_compat.h.
 *
 * Need (the same names core/user/sl_compat_user.h gives userspace): u8..u64,
 * s32, s64, bool, size_t, U64_MAX, PAGE_SIZE/PAGE_SHIFT, kmalloc/kzalloc/
 * kcalloc/kvzalloc/kvmalloc/kvcalloc/kfree/kvfree, sl_page_alloc/
 * sl_page_free, spinlock_t, rwlock_t, atomic_long_t/atomic64_t,
 * sl_bit_lock/unlock,
 * list_head, ERR_PTR/IS_ERR/PTR_ERR, errno constants, mem*, str*,
 * kstrtouint/kstrtoull, min/max/DIV_ROUND_UP, likely/unlikely, sl_now_ns(),
 * sl_hash64() (xxh64).  Almost all of it is
 * the kernel headers; this file only adds what core/ needs that the kernel
 * spells differently, and one rule about allocation context.
 *
 * Why the allocation wrappers: core/ is written for a caller that may
 * sleep, and passes GFP_KERNEL, but its store calls the allocator with its
 * pool spinlock held and swaplab.ko runs the whole store path with
 * preemption disabled (a per-CPU context under a local lock, as zram does
 * with its streams).  Sleeping there is a bug, so every core/ allocation
 * made where the caller cannot sleep is turned into GFP_ATOMIC | NOWARN
 * (the memory is needed to make progress on swap-out; failure is reported
 * to the block layer as an I/O error, never a warning splat).  Allocations
 * made where sleeping is allowed (device init, sysfs) keep their flags.
 * This relies on CONFIG_PREEMPT_COUNT, which Debian's kernels have.
 */
#ifndef SL_COMPAT_KERNEL_H
#define SL_COMPAT_KERNEL_H

#include <linux/atomic.h>
#include <linux/processor.h>	/* cpu_relax(), for bit_spinlock.h of 6.12 */
#include <linux/bit_spinlock.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/prefetch.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/xxhash.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/version.h>

#ifndef CONFIG_PREEMPT_COUNT
#error "swaplab.ko needs CONFIG_PREEMPT_COUNT to pick allocation flags"
#endif

/* the flags core/'s @gfp may keep here; see the file comment */
static inline gfp_t sl_gfp(gfp_t gfp)
{
	if (preemptible())
		return gfp;
	return GFP_ATOMIC | __GFP_NOWARN | (gfp & __GFP_ZERO);
}

/*
 * slots per leaf of the store's slot table: 128, a 3 KiB leaf, because
 * the first write into a range allocates it under the per-CPU lock, with
 * GFP_ATOMIC: small allocations are the ones that succeed there
 */
#define SL_SLOT_LEAF_SHIFT	7

/*
 * Function-like macros named after the functions they wrap: the kernel's
 * own definitions above are already parsed, and a macro does not expand
 * itself, so these only add the context rule.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
/*
 * From 6.10 (allocation profiling) these are themselves macros over
 * alloc_hooks(*_noprof()), some over each other: wrap the bottom ones.
 */
#undef kmalloc
#undef kzalloc
#undef kcalloc
#undef kvmalloc
#undef kvzalloc
#undef kvcalloc
#define kmalloc(size, gfp)	alloc_hooks(kmalloc_noprof((size), sl_gfp(gfp)))
#define kzalloc(size, gfp)	alloc_hooks(kzalloc_noprof((size), sl_gfp(gfp)))
#define kcalloc(n, size, gfp)	\
	alloc_hooks(kmalloc_array_noprof((n), (size), sl_gfp(gfp) | __GFP_ZERO))
#define kvmalloc(size, gfp)	\
	alloc_hooks(kvmalloc_node_noprof((size), sl_gfp(gfp), NUMA_NO_NODE))
#define kvzalloc(size, gfp)	\
	alloc_hooks(kvmalloc_node_noprof((size), sl_gfp(gfp) | __GFP_ZERO, \
					 NUMA_NO_NODE))
#define kvcalloc(n, size, gfp)	\
	alloc_hooks(kvmalloc_array_noprof((n), (size), \
					  sl_gfp(gfp) | __GFP_ZERO))
#else
#define kmalloc(size, gfp)	kmalloc((size), sl_gfp(gfp))
#define kzalloc(size, gfp)	kzalloc((size), sl_gfp(gfp))
#define kcalloc(n, size, gfp)	kcalloc((n), (size), sl_gfp(gfp))
#define kvmalloc(size, gfp)	kvmalloc((size), sl_gfp(gfp))
#define kvzalloc(size, gfp)	kvzalloc((size), sl_gfp(gfp))
#define kvcalloc(n, size, gfp)	kvcalloc((n), (size), sl_gfp(gfp))
#endif

/* pages held by every core/ pool in the module; reported at unload */
extern atomic_long_t sl_live_pages;

/**
 * sl_page_alloc() - one page for an allocator, as alloc_page() plus
 * page_address().  x86_64 has no highmem, so every page has an address.
 * Context: any; does not sleep when the caller cannot.
 * Return: the page's address, or NULL when no page could be had.
 */
static inline void *sl_page_alloc(void)
{
	struct page *page = alloc_page(sl_gfp(GFP_KERNEL));

	if (!page)
		return NULL;
	atomic_long_inc(&sl_live_pages);
	return page_address(page);
}

/* sl_page_free() - give back a page from sl_page_alloc(); NULL: no-op */
static inline void sl_page_free(void *page)
{
	if (!page)
		return;
	atomic_long_dec(&sl_live_pages);
	__free_page(virt_to_page(page));
}

/* monotonic time in ns: the clock every latency figure is taken with */
static inline u64 sl_now_ns(void)
{
	return ktime_get_ns();
}

/* per-slot lock in one bit of a word; disables preemption while held */
static inline void sl_bit_lock(int nr, unsigned long *word)
{
	bit_spin_lock(nr, word);
}

/* the lock bit guards the rest of the word: no atomic op needed */
static inline void sl_bit_unlock(int nr, unsigned long *word)
{
	__bit_spin_unlock(nr, word);
}

/* xxh64 with seed 0: userspace uses libxxhash's XXH64, the same function */
static inline u64 sl_hash64(const void *p, size_t len)
{
	return xxh64(p, len, 0);
}

#endif /* SL_COMPAT_KERNEL_H */
