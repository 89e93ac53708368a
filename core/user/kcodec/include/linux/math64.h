/* SPDX-License-Identifier: GPL-2.0 */
/* math64.h - see kernel.h of this shim */
#include <linux/kernel.h>
