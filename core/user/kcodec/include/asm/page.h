/* SPDX-License-Identifier: GPL-2.0 */
/* page.h - see <linux/kernel.h> of this shim */
#include <linux/kernel.h>
