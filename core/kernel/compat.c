// SPDX-License-Identifier: GPL-2.0
/*
 * compat.c - the little state behind sl_compat_kernel.h: a count of the
 * pages core/ pools hold, so that swaplab.ko can report a leak at unload.
 */
#include "../sl_compat.h"

atomic_long_t sl_live_pages = ATOMIC_LONG_INIT(0);
