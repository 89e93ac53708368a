/* SPDX-License-Identifier: GPL-2.0 */
/* unaligned.h - where 6.12+ moved <asm/unaligned.h>; same helpers */
#include <asm/unaligned.h>
