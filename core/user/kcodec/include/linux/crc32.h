/* SPDX-License-Identifier: GPL-2.0 */
/* crc32.h - see kernel.h of this shim */
#include <linux/kernel.h>
