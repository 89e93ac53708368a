/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_codecs_kernel.h - the kernel codec registry: one sl_codec_ops per
 * compression algorithm of the crypto API that zram can use.
 *
 * The table lists every name zram 6.1 knows; which of them work depends on
 * the running kernel's config and modules, so callers ask
 * sl_codec_available() before offering or using one.
 */
#ifndef SL_CODECS_KERNEL_H
#define SL_CODECS_KERNEL_H

#include "../sl_codec.h"

/* NULL-terminated, in zram's order of its comp_algorithm listing */
extern const struct sl_codec_ops *const sl_codecs[];

/**
 * sl_codec_find() - the ops named @name ("lz4", ...), or NULL.
 * A trailing newline in @name is ignored, so sysfs input can be passed.
 */
const struct sl_codec_ops *sl_codec_find(const char *name);

/**
 * sl_codec_available() - true if the running kernel has the algorithm.
 * Context: may sleep (the crypto API may load its module).
 */
bool sl_codec_available(const struct sl_codec_ops *ops);

#endif /* SL_CODECS_KERNEL_H */
