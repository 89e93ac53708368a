/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_dict.h - train a compression dictionary from sample pages, for
 * "libzstd:LEVEL:dict=FILE" and "liblz4:dict=FILE".
 */
#ifndef SL_DICT_H
#define SL_DICT_H

#include "../sl_compat.h"

/**
 * sl_dict_train() - zstd's dictionary trainer (ZDICT_trainFromBuffer) over
 * @n samples laid end to end in @samples, sample i being @sizes[i] bytes.
 * @dict: caller-owned output buffer of @cap bytes; @cap is the dictionary
 *	size asked for (zstd's default is 110 KiB; 100x smaller than the
 *	samples is its rule of thumb).
 * @len: the dictionary's actual length on success.
 *
 * Context: may take seconds on large inputs; thread-safe (no shared state).
 * Return: 0; -EINVAL for no samples or @cap too small (under 256 bytes);
 * -ENODATA when the samples are too few or too alike to train from
 * (zstd wants about 10 or more, and distinct).
 */
int sl_dict_train(const void *samples, const size_t *sizes, unsigned int n,
		  void *dict, size_t cap, size_t *len);

#endif /* SL_DICT_H */
