/* SPDX-License-Identifier: GPL-2.0 */
/*
 * errno.h - libc reaches <linux/errno.h> through its own headers, so pass
 * on to the system one before the shim.
 */
#include_next <linux/errno.h>
#include <linux/kernel.h>
