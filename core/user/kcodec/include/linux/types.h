/* SPDX-License-Identifier: GPL-2.0 */
/* types.h - see kernel.h of this shim */
#include <linux/kernel.h>
