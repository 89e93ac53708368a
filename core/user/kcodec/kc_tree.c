// SPDX-License-Identifier: GPL-2.0
/*
 * kc_tree.c - the table that names one tree's codecs to the rest of
 * swaplab; kc_tree.h (mk/kcodecs.mk) gives this tree's symbol and version.
 */
#include "kcodec.h"
#include "kc_tree.h"

#define KC_LINUX(a, b)	((a) * 65536 + (b) * 256)

static const char *const kc_zram[] = {
#if SL_KC_LINUX >= KC_LINUX(6, 12)
	"lz4", "lz4hc", "zstd", "deflate",
#else
	"lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate", "842",
#endif
	NULL,
};

extern const struct sl_kc_tree SL_KC_TREE;
const struct sl_kc_tree SL_KC_TREE = {
	.kernel = SL_KC_KERNEL,
	.source = SL_KC_SOURCE,
	.zram = kc_zram,
	.lzo = &sl_kc_lzo,
	.lzo_rle = &sl_kc_lzo_rle,
	.lz4 = &sl_kc_lz4,
	.lz4hc = &sl_kc_lz4hc,
	.zstd = &sl_kc_zstd,
	.zstd_crypto = &sl_kc_zstd_crypto,
	.deflate = &sl_kc_deflate,
	.sw842 = &sl_kc_842,
};
