/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_compat.h - everything core/ may use, one implementation per side.
 *
 * core/ is compiled unchanged into the swaplab binary and into swaplab.ko,
 * so it sees the world only through this header.  Need: u8..u64, s32, s64,
 * bool, size_t, PAGE_SIZE/PAGE_SHIFT, kmalloc/kzalloc/kvzalloc/kfree/kvfree,
 * sl_page_alloc/sl_page_free, spinlock_t, rwlock_t,
 * atomic_long_t/atomic64_t, sl_bit_lock/unlock (the lock bit guards the
 * rest of its word), prefetchw, READ_ONCE/WRITE_ONCE,
 * smp_load_acquire/smp_store_release, might_sleep, ERR_PTR/IS_ERR/PTR_ERR,
 * errno constants, mem*, str*, kstrtouint/kstrtoull, min/max/DIV_ROUND_UP,
 * likely/unlikely, sl_now_ns().
 */
#ifndef SL_COMPAT_H
#define SL_COMPAT_H

#ifdef __KERNEL__
#include "kernel/sl_compat_kernel.h"
#else
#include "user/sl_compat_user.h"
#endif

#endif /* SL_COMPAT_H */
