/* SPDX-License-Identifier: GPL-2.0 */
/* stddef.h - see kernel.h of this shim */
#include <linux/kernel.h>
