/* SPDX-License-Identifier: GPL-2.0 */
/* slab.h - see kernel.h of this shim */
#include <linux/kernel.h>
