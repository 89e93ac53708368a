/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_codecs.h - the userspace codec registry and the codec spec syntax
 * "name[:level][:key=value...]" (see docs/codecs.md).
 */
#ifndef SL_CODECS_H
#define SL_CODECS_H

#include "../sl_codec.h"

extern const struct sl_codec_ops sl_codec_lz4;
extern const struct sl_codec_ops sl_codec_liblz4;
extern const struct sl_codec_ops sl_codec_none;

/* NULL-terminated, in the order `swaplab --help` lists them */
extern const struct sl_codec_ops *const sl_codecs[];

const struct sl_codec_ops *sl_codec_find(const char *name);

/**
 * sl_codec_parse() - turn a codec spec into ops and parameters.
 * @err: on failure, a message of at most @errlen bytes naming the problem.
 * Return: 0; -EINVAL for an unknown name, a level out of range or an
 * unknown key.  @params->level is the codec's default when not given.
 */
int sl_codec_parse(const char *spec, const struct sl_codec_ops **ops,
		   struct sl_codec_params *params, char *err, size_t errlen);

#endif /* SL_CODECS_H */
