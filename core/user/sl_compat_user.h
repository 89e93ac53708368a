/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_compat_user.h - the userspace side of sl_compat.h.
 *
 * Maps the kernel names core/ uses onto libc and C11 atomics.  Page and
 * object allocations go through sl_compat.c so that tests can count them,
 * inject failures and check for leaks; nothing here prints.
 */
#ifndef SL_COMPAT_USER_H
#define SL_COMPAT_USER_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xxhash.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define BITS_PER_LONG	64

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __always_unused	__attribute__((unused))
#define __maybe_unused	__attribute__((unused))
/* relaxed atomics rather than volatile, so that TSan sees them as such */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

/* allocation flags are accepted for source compatibility and ignored */
typedef unsigned int gfp_t;
#define GFP_KERNEL	0u
#define GFP_NOIO	0u
#define __GFP_NOWARN	0u

void *sl_kmalloc(size_t size, bool zero);
void sl_kfree(const void *p);
#define kmalloc(size, gfp)	sl_kmalloc((size), false)
#define kzalloc(size, gfp)	sl_kmalloc((size), true)
#define kcalloc(n, size, gfp)	sl_kcalloc((n), (size))
#define kvzalloc(size, gfp)	sl_kmalloc((size), true)
#define kvmalloc(size, gfp)	sl_kmalloc((size), false)
#define kvcalloc(n, size, gfp)	sl_kcalloc((n), (size))
#define kfree(p)		sl_kfree(p)
#define kvfree(p)		sl_kfree(p)
static inline void *sl_kcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return sl_kmalloc(n * size, true);
}

/*
 * sl_page_alloc() - one PAGE_SIZE-aligned page of memory, as alloc_page()
 * plus page_address().  Allocators count their memory in these pages.
 * Return: the page, or NULL when out of memory (or a fault is injected).
 */
void *sl_page_alloc(void);
void sl_page_free(void *page);

/*
 * sl_page_reserve() - make sure at least @n pages (capped at the free
 * list's limit) are ready for sl_page_alloc() without a page fault.
 * Call it outside timed regions; a no-op in sanitizer builds.
 * Return: 0, or -ENOMEM when the memory could not be mapped.
 */
int sl_page_reserve(long n);
/* pages one store can take at most (a 16-page zspage), with room to spare */
#define SL_PAGE_LOW	64

/* monotonic time in ns: the clock every latency figure is taken with */
u64 sl_now_ns(void);

/*
 * Sleeping under a lock, checked: every spinlock and bit lock a thread
 * holds counts in sl_atomic_depth, and might_sleep() -- at each point of
 * core/ that may sleep in the kernel (allocation that may reclaim, backing
 * I/O) -- counts a violation when it is not 0, as the kernel's
 * CONFIG_DEBUG_ATOMIC_SLEEP would warn.  Tests read the count
 * (sl_compat_sleep_violations(), sl_fault.h).
 */
extern __thread int sl_atomic_depth;
void sl_might_sleep(void);
#define might_sleep()	sl_might_sleep()

/* slots per leaf of the store's slot table: 4096 (96 KiB leaves) */
#define SL_SLOT_LEAF_SHIFT	12

/* spinlocks: short critical sections, never held across a sleep */
typedef struct {
	int v;
} spinlock_t;
#define spin_lock_init(l)	((l)->v = 0)
static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
	sl_atomic_depth++;
}

static inline void spin_unlock(spinlock_t *l)
{
	sl_atomic_depth--;
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/*
 * rwlock_t: many readers or one writer, as the kernel's.  A waiting
 * writer keeps new readers out (the kernel's qrwlock does the same), so a
 * steady stream of readers cannot starve compaction.
 */
#define SL_RW_WRITER	0x80000000u
#define SL_RW_WAITING	0x40000000u
typedef struct {
	unsigned int v;
} rwlock_t;
#define rwlock_init(l)	((l)->v = 0)
static inline void read_lock(rwlock_t *l)
{
	unsigned int v;

	for (;;) {
		v = __atomic_load_n(&l->v, __ATOMIC_RELAXED);
		if (!(v & (SL_RW_WRITER | SL_RW_WAITING)) &&
		    __atomic_compare_exchange_n(&l->v, &v, v + 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		__builtin_ia32_pause();
	}
	sl_atomic_depth++;
}

static inline void read_unlock(rwlock_t *l)
{
	sl_atomic_depth--;
	__atomic_fetch_sub(&l->v, 1, __ATOMIC_RELEASE);
}

static inline void write_lock(rwlock_t *l)
{
	unsigned int v;

	for (;;) {
		v = __atomic_load_n(&l->v, __ATOMIC_RELAXED);
		if ((v == 0 || v == SL_RW_WAITING) &&
		    __atomic_compare_exchange_n(&l->v, &v, SL_RW_WRITER, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		/* another writer may have cleared it on taking the lock */
		if (!(v & SL_RW_WAITING))
			__atomic_fetch_or(&l->v, SL_RW_WAITING,
					  __ATOMIC_RELAXED);
		__builtin_ia32_pause();
	}
	sl_atomic_depth++;
}

static inline void write_unlock(rwlock_t *l)
{
	sl_atomic_depth--;
	/* keeps a waiting writer's bit: readers stay out until it runs */
	__atomic_fetch_and(&l->v, SL_RW_WAITING, __ATOMIC_RELEASE);
}

/* per-slot lock in one bit of a word, as the kernel's bit_spin_lock() */
static inline void sl_bit_lock(int nr, unsigned long *word)
{
	unsigned long bit = 1UL << nr;

	while (__atomic_fetch_or(word, bit, __ATOMIC_ACQUIRE) & bit)
		while (__atomic_load_n(word, __ATOMIC_RELAXED) & bit)
			__builtin_ia32_pause();
	sl_atomic_depth++;
}

/*
 * as the kernel's __bit_spin_unlock(): a plain release store, for words
 * whose other bits change only under the lock (a waiter's fetch_or writes
 * the bit that is already set, so no update can be lost)
 */
static inline void sl_bit_unlock(int nr, unsigned long *word)
{
	sl_atomic_depth--;
	__atomic_store_n(word, __atomic_load_n(word, __ATOMIC_RELAXED) &
			 ~(1UL << nr), __ATOMIC_RELEASE);
}

/* a hint: the caller will soon write the line at @p */
#define prefetchw(p)	__builtin_prefetch((p), 1)

typedef struct {
	long counter;
} atomic_long_t;
typedef struct {
	s64 counter;
} atomic64_t;
#define atomic_long_read(a)	__atomic_load_n(&(a)->counter, __ATOMIC_RELAXED)
#define atomic_long_set(a, v)	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELAXED)
#define atomic_long_add(v, a)	((void)__atomic_fetch_add(&(a)->counter, (v), __ATOMIC_RELAXED))
#define atomic_long_sub(v, a)	((void)__atomic_fetch_sub(&(a)->counter, (v), __ATOMIC_RELAXED))
#define atomic64_read(a)	__atomic_load_n(&(a)->counter, __ATOMIC_RELAXED)
#define atomic64_set(a, v)	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELAXED)
#define atomic64_add(v, a)	((void)__atomic_fetch_add(&(a)->counter, (v), __ATOMIC_RELAXED))
#define atomic64_sub(v, a)	((void)__atomic_fetch_sub(&(a)->counter, (v), __ATOMIC_RELAXED))
#define atomic64_inc(a)		atomic64_add(1, a)
#define atomic64_dec(a)		atomic64_sub(1, a)
#define atomic64_cmpxchg(a, o, n) sl_atomic64_cmpxchg((a), (o), (n))
static inline s64 sl_atomic64_cmpxchg(atomic64_t *a, s64 old, s64 new)
{
	__atomic_compare_exchange_n(&a->counter, &old, new, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return old;
}

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* the subset of <linux/list.h> that core/ uses */
struct list_head {
	struct list_head *next, *prev;
};

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry_or_null(h, type, member) \
	(list_empty(h) ? NULL : list_entry((h)->next, type, member))
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

#define U64_MAX		UINT64_MAX

/* xxh64 with seed 0: the same function as the kernel's xxh64() */
static inline u64 sl_hash64(const void *p, size_t len)
{
	return XXH64(p, len, 0);
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

#endif /* SL_COMPAT_USER_H */
