// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_fault.c - allocation failures on demand, for the fault tests.
 *
 * Debian's kernels build no CONFIG_FAULT_INJECTION, so failslab and
 * fail_page_alloc are not there.  Kbuild links the module with --wrap for
 * the page and slab allocator entry points that the kmalloc() and
 * alloc_page() inlines of core/ and kmod/ end in, so every allocation the
 * module makes comes here first.  With fault_every=N (0, the default: off)
 * one in N of them, on average, fails as a failed allocation does: NULL,
 * nothing allocated.  faults_injected counts them.  Allocations of the
 * rest of the kernel are not touched.
 *
 * Which ones fail is a fixed pseudo-random function of the call count, not
 * every Nth call: a write that makes the same number of allocations each
 * time it is tried (a zspage of N pages) would otherwise fail every time.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/version.h>

static unsigned int fault_every;
module_param(fault_every, uint, 0644);
MODULE_PARM_DESC(fault_every,
		 "Fail one in N allocations of the module (0: never; tests)");

static atomic_long_t faults_injected = ATOMIC_LONG_INIT(0);
static atomic_long_t fault_calls = ATOMIC_LONG_INIT(0);

static int get_faults(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&faults_injected));
}

static const struct kernel_param_ops faults_ops = {
	.get = get_faults,
};
module_param_cb(faults_injected, &faults_ops, NULL, 0444);
MODULE_PARM_DESC(faults_injected, "Allocations failed by fault_every");

/* true: fail this allocation */
static bool sl_fault(void)
{
	unsigned int every = READ_ONCE(fault_every);
	u64 x;

	if (likely(!every))
		return false;
	/* splitmix64 of the call number */
	x = atomic_long_inc_return(&fault_calls) * 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	if ((x ^ (x >> 31)) % every)
		return false;
	atomic_long_inc(&faults_injected);
	return true;
}

/*
 * The prototypes of what --wrap makes of the module's references: each
 * __real_X is X itself.  Kept next to the wrappers, not in a header, as
 * nothing else may call them.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define SL_ALLOC_PAGES		alloc_pages_noprof
#define SL_GET_FREE_PAGES	get_free_pages_noprof
#define SL_KMALLOC		__kmalloc_noprof
#define SL_KMALLOC_CACHE	__kmalloc_cache_noprof
#define SL_KMALLOC_LARGE	__kmalloc_large_noprof
#else
#define SL_ALLOC_PAGES		alloc_pages
#define SL_GET_FREE_PAGES	__get_free_pages
#define SL_KMALLOC		__kmalloc
#define SL_KMALLOC_CACHE	kmalloc_trace
#define SL_KMALLOC_LARGE	kmalloc_large
#endif
#define SL_REAL(f)	__PASTE(__real_, f)
#define SL_WRAP(f)	__PASTE(__wrap_, f)

struct page *SL_REAL(SL_ALLOC_PAGES)(gfp_t gfp, unsigned int order);
struct page *SL_WRAP(SL_ALLOC_PAGES)(gfp_t gfp, unsigned int order);
unsigned long SL_REAL(SL_GET_FREE_PAGES)(gfp_t gfp, unsigned int order);
unsigned long SL_WRAP(SL_GET_FREE_PAGES)(gfp_t gfp, unsigned int order);
void *SL_REAL(SL_KMALLOC)(size_t size, gfp_t flags);
void *SL_WRAP(SL_KMALLOC)(size_t size, gfp_t flags);
void *SL_REAL(SL_KMALLOC_CACHE)(struct kmem_cache *s, gfp_t flags,
				size_t size);
void *SL_WRAP(SL_KMALLOC_CACHE)(struct kmem_cache *s, gfp_t flags,
				size_t size);
void *SL_REAL(SL_KMALLOC_LARGE)(size_t size, gfp_t flags);
void *SL_WRAP(SL_KMALLOC_LARGE)(size_t size, gfp_t flags);

struct page *SL_WRAP(SL_ALLOC_PAGES)(gfp_t gfp, unsigned int order)
{
	return sl_fault() ? NULL : SL_REAL(SL_ALLOC_PAGES)(gfp, order);
}

unsigned long SL_WRAP(SL_GET_FREE_PAGES)(gfp_t gfp, unsigned int order)
{
	return sl_fault() ? 0 : SL_REAL(SL_GET_FREE_PAGES)(gfp, order);
}

void *SL_WRAP(SL_KMALLOC)(size_t size, gfp_t flags)
{
	return sl_fault() ? NULL : SL_REAL(SL_KMALLOC)(size, flags);
}

void *SL_WRAP(SL_KMALLOC_CACHE)(struct kmem_cache *s, gfp_t flags,
				size_t size)
{
	return sl_fault() ? NULL : SL_REAL(SL_KMALLOC_CACHE)(s, flags, size);
}

void *SL_WRAP(SL_KMALLOC_LARGE)(size_t size, gfp_t flags)
{
	return sl_fault() ? NULL : SL_REAL(SL_KMALLOC_LARGE)(size, flags);
}
