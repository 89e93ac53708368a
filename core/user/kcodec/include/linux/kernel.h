/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel.h - the kernel-compat shim under which swaplab compiles the
 * kernel's own codec sources (lib/lz4, lib/lzo, lib/zstd, lib/842,
 * lib/zlib_deflate, lib/zlib_inflate) into userspace.
 *
 * Why: per-page compressed lengths must be the kernel's, and the libraries
 * are different code.  The kernel files are a build input (see
 * mk/kcodecs.mk); only this shim is ours.  Every other <linux/...> and
 * <asm/...> header of this folder includes this one, so the kernel facts
 * below hold for every file, whatever it includes first.
 *
 * Need: libc's <string.h>, <stdint.h>, <limits.h>, <stddef.h>, <stdbool.h>;
 * sl_kmalloc()/sl_kfree() of core/user/sl_compat.c.
 */
#ifndef SL_KC_KERNEL_H
#define SL_KC_KERNEL_H

/*
 * The kernel facts of x86_64 Debian 6.1.  Without them lz4 takes its 32-bit
 * paths, lzo its byte-wise match loop, and their output differs from zram's.
 */
#ifndef CONFIG_64BIT
#define CONFIG_64BIT 1
#endif
#ifndef CONFIG_X86_64
#define CONFIG_X86_64 1
#endif
#ifndef CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the kernel codec shim describes a little-endian x86_64 kernel"
#endif
#ifndef __LITTLE_ENDIAN
#define __LITTLE_ENDIAN 1234
#endif
#undef __BIG_ENDIAN

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef unsigned int gfp_t;
typedef unsigned short umode_t;
typedef struct {
	int counter;
} atomic_t;

#define BITS_PER_LONG		64
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)

#undef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#define noinline		__attribute__((noinline))
#define __force
#define __bitwise
#define __init
#define __exit
#define __initdata
#define __must_check
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)

/* the kernel warns and goes on; so do we, silently */
#define WARN_ON(c)		({ int __w = !!(c); unlikely(__w); })
#define WARN(c, ...)		WARN_ON(c)
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define BUG_ON(c)		do { if (c) __builtin_trap(); } while (0)
#define no_printk(...)		({ 0; })
#define pr_debug(...)		no_printk(__VA_ARGS__)
#define pr_err(...)		no_printk(__VA_ARGS__)
#define pr_warn(...)		no_printk(__VA_ARGS__)
#define pr_info(...)		no_printk(__VA_ARGS__)

#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_AUTHOR(s)
#define MODULE_ALIAS_CRYPTO(s)
#define module_init(f)
#define module_exit(f)
#define module_param_named(n, v, t, p)
#define MODULE_PARM_DESC(n, d)

#define GFP_KERNEL		0u
void *sl_kmalloc(size_t size, bool zero);
void sl_kfree(const void *p);
#define kmalloc(size, gfp)	sl_kmalloc((size), false)
#define kzalloc(size, gfp)	sl_kmalloc((size), true)
#define kfree(p)		sl_kfree(p)
#define vmalloc(size)		sl_kmalloc((size), false)
#define vzalloc(size)		sl_kmalloc((size), true)
#define vfree(p)		sl_kfree(p)

#define atomic_inc(a)		((void)__atomic_fetch_add(&(a)->counter, 1, \
						  __ATOMIC_RELAXED))

/* byte order: the host is little-endian (checked above) */
#define cpu_to_be16(x)		((u16)__builtin_bswap16(x))
#define cpu_to_be32(x)		((u32)__builtin_bswap32(x))
#define cpu_to_be64(x)		((u64)__builtin_bswap64(x))
#define be16_to_cpu(x)		((u16)__builtin_bswap16(x))
#define be32_to_cpu(x)		((u32)__builtin_bswap32(x))
#define be64_to_cpu(x)		((u64)__builtin_bswap64(x))
#define cpu_to_le16(x)		((u16)(x))
#define cpu_to_le32(x)		((u32)(x))
#define cpu_to_le64(x)		((u64)(x))
#define le16_to_cpu(x)		((u16)(x))
#define le32_to_cpu(x)		((u32)(x))
#define le64_to_cpu(x)		((u64)(x))
#define swab16(x)		((u16)__builtin_bswap16(x))
#define swab32(x)		((u32)__builtin_bswap32(x))
#define swab64(x)		((u64)__builtin_bswap64(x))

/* bit search, as <asm/bitops.h>: undefined for 0, like the kernel's */
static inline unsigned long __ffs(unsigned long w)
{
	return __builtin_ctzl(w);
}

static inline unsigned long __fls(unsigned long w)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(w);
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* IS_ENABLED(CONFIG_FOO): 1 when CONFIG_FOO is defined as 1 above */
#define __sl_kc_one_1			0,
#define __sl_kc_second(ignored, val, ...) val
#define __sl_kc_is_one(junk)		__sl_kc_second(junk 1, 0, 0)
#define __sl_kc_defined(val)		__sl_kc_is_one(__sl_kc_one_##val)
#define IS_ENABLED(option)		__sl_kc_defined(option)

#define GENMASK_ULL(h, l) \
	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
/* power-of-two @y only, as in the kernel */
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))

static inline u32 bitrev32(u32 x)
{
	u32 r = 0;
	int i;

	for (i = 0; i < 32; i++, x >>= 1)
		r = (r << 1) | (x & 1);
	return r;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

/* crc32_be() of <linux/crc32.h>: MSB-first, polynomial 0x04c11db7 */
u32 sl_kc_crc32_be(u32 crc, const void *p, size_t len);
#define crc32_be(crc, p, len)	sl_kc_crc32_be((crc), (p), (len))

#endif /* SL_KC_KERNEL_H */
