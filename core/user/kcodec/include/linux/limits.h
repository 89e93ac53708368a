/* SPDX-License-Identifier: GPL-2.0 */
/*
 * limits.h - libc reaches <linux/limits.h> through its own headers, so pass
 * on to the system one before the shim.
 */
#include_next <linux/limits.h>
#include <linux/kernel.h>
