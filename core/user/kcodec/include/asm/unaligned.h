/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unaligned.h - get_unaligned()/put_unaligned() through a packed struct, so
 * the compiler emits plain loads (x86 has efficient unaligned access) and
 * UBSan sees no misaligned pointer.
 */
#ifndef SL_KC_ASM_UNALIGNED_H
#define SL_KC_ASM_UNALIGNED_H

#include <linux/kernel.h>

#define __get_unaligned_t(type, ptr) ({					\
	const struct { type x; } __packed * __pptr = (const void *)(ptr); \
	__pptr->x;							\
})

#define __put_unaligned_t(type, val, ptr) do {				\
	struct { type x; } __packed * __pptr = (void *)(ptr);		\
	__pptr->x = (val);						\
} while (0)

#define get_unaligned(ptr)	__get_unaligned_t(__typeof__(*(ptr)), (ptr))
#define put_unaligned(val, ptr)	__put_unaligned_t(__typeof__(*(ptr)), (val), (ptr))

static inline u16 get_unaligned_le16(const void *p)
{
	return __get_unaligned_t(u16, p);
}

static inline u32 get_unaligned_le32(const void *p)
{
	return __get_unaligned_t(u32, p);
}

static inline u64 get_unaligned_le64(const void *p)
{
	return __get_unaligned_t(u64, p);
}

static inline u16 get_unaligned_be16(const void *p)
{
	return be16_to_cpu(__get_unaligned_t(u16, p));
}

static inline u32 get_unaligned_be32(const void *p)
{
	return be32_to_cpu(__get_unaligned_t(u32, p));
}

static inline u64 get_unaligned_be64(const void *p)
{
	return be64_to_cpu(__get_unaligned_t(u64, p));
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	__put_unaligned_t(u16, v, p);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	__put_unaligned_t(u32, v, p);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	__put_unaligned_t(u64, v, p);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	__put_unaligned_t(u16, cpu_to_be16(v), p);
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	__put_unaligned_t(u32, cpu_to_be32(v), p);
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	__put_unaligned_t(u64, cpu_to_be64(v), p);
}

#endif /* SL_KC_ASM_UNALIGNED_H */
