// SPDX-License-Identifier: GPL-2.0
/*
 * dict.c - dictionary training over sampled pages (zstd's ZDICT trainer).
 *
 * A zstd dictionary's content section is raw bytes, so the same file also
 * serves liblz4, which uses the last 64 KiB of it as history.
 */
#include <zdict.h>

#include "sl_dict.h"

#define DICT_MIN_SIZE	256

int sl_dict_train(const void *samples, const size_t *sizes, unsigned int n,
		  void *dict, size_t cap, size_t *len)
{
	size_t ret;

	if (!samples || !sizes || !n || !dict || cap < DICT_MIN_SIZE)
		return -EINVAL;
	ret = ZDICT_trainFromBuffer(dict, cap, samples, sizes, n);
	if (ZDICT_isError(ret))
		return -ENODATA;
	*len = ret;
	return 0;
}
