/* SPDX-License-Identifier: GPL-2.0 */
/* bitops.h - see kernel.h of this shim */
#include <linux/kernel.h>
