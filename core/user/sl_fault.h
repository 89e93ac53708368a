/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_fault.h - allocation accounting and fault injection of the userspace
 * compat layer (tests and `swaplab replay --fail-*` only).
 */
#ifndef SL_FAULT_H
#define SL_FAULT_H

#include "../sl_compat.h"

/* make the @n-th allocation from now fail (pages and objects); 0: off */
void sl_fault_set_nth(long n);
/* make @permille / 1000 of allocations fail, reproducibly from @seed */
void sl_fault_set_random(u32 permille, u64 seed);
void sl_fault_off(void);
long sl_fault_injected(void);

/* allocations core/ holds right now: a leak shows as a non-zero balance */
long sl_compat_live_pages(void);
long sl_compat_live_objs(void);
/* might_sleep() calls made while this thread held a core/ spinlock */
long sl_compat_sleep_violations(void);

#endif /* SL_FAULT_H */
