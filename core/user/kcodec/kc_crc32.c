// SPDX-License-Identifier: GPL-2.0
/*
 * kc_crc32.c - crc32_be() for lib/842, which checks every stream with it.
 *
 * Bitwise and table-free: 842 is not a codec anyone picks for speed in
 * userspace, and the kernel's lib/crc32.c is not one of our build inputs.
 * Same function as the kernel's: polynomial 0x04c11db7, MSB first, no
 * pre- or post-inversion.
 */
#include <linux/kernel.h>

#define CRC32_POLY_BE	0x04c11db7

u32 sl_kc_crc32_be(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;
	int i;

	while (len--) {
		crc ^= (u32)*b++ << 24;
		for (i = 0; i < 8; i++)
			crc = (crc << 1) ^ (crc & 0x80000000 ? CRC32_POLY_BE : 0);
	}
	return crc;
}
