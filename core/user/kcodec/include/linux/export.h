/* SPDX-License-Identifier: GPL-2.0 */
/* export.h - see kernel.h of this shim */
#include <linux/kernel.h>
