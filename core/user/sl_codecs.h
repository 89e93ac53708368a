/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_codecs.h - the userspace codec registry and the codec spec syntax
 * "name[:level][:key=value...]" (see docs/codecs.md).
 *
 * Two families share the registry.  The zram names ("lzo", "lzo-rle",
 * "lz4", "lz4hc", "zstd", "deflate", "842") are the kernel's own lib/ code
 * built from a kernel source tree (core/user/kcodec/, mk/kcodecs.mk); they
 * exist only in builds that had a tree.  The library codecs ("liblz4",
 * "liblz4hc", "libzstd", "liblzo2", "libdeflate", "zlib") and "none" are
 * always there.
 *
 * Context: everything here may sleep (it allocates, and sl_codec_parse()
 * reads dictionary files); the registry is read-only, so any thread may
 * call these at the same time.
 */
#ifndef SL_CODECS_H
#define SL_CODECS_H

#include "../sl_codec.h"

/* kernel code, core/user/kcodec/codec_kernel.c (only with a kernel tree) */
extern const struct sl_codec_ops sl_codec_lzo;
extern const struct sl_codec_ops sl_codec_lzo_rle;
extern const struct sl_codec_ops sl_codec_lz4;
extern const struct sl_codec_ops sl_codec_lz4hc;
extern const struct sl_codec_ops sl_codec_zstd;
extern const struct sl_codec_ops sl_codec_deflate;
extern const struct sl_codec_ops sl_codec_842;
/* libraries, core/user/codec_<name>.c */
extern const struct sl_codec_ops sl_codec_liblz4;
extern const struct sl_codec_ops sl_codec_liblz4hc;
extern const struct sl_codec_ops sl_codec_libzstd;
extern const struct sl_codec_ops sl_codec_liblzo2;
extern const struct sl_codec_ops sl_codec_libdeflate;
extern const struct sl_codec_ops sl_codec_zlib;
extern const struct sl_codec_ops sl_codec_none;

/* NULL-terminated, in the order `swaplab --help` lists them */
extern const struct sl_codec_ops *const sl_codecs[];

/* sl_codec_find() - the codec called @name exactly; NULL if none */
const struct sl_codec_ops *sl_codec_find(const char *name);

/**
 * sl_codec_source() - where the kernel codecs of this build came from.
 *
 * Return: a static string such as "linux-source-6.1 (6.1.192)" or
 * "/path/to/linux (6.12.0)", for --version and results files; "none" when
 * the build had no kernel tree (then only library codecs exist).
 */
const char *sl_codec_source(void);

/**
 * sl_codec_parse() - turn a codec spec into ops and parameters.
 * @spec: "name[:level][:key=value...]"; the level may be negative
 *	(libzstd, zstd).  Keys: "dict=FILE" (liblz4, libzstd), which loads
 *	FILE into @params->dict.
 * @err: on failure, a message of at most @errlen bytes naming the problem.
 *
 * On success the caller owns @params->dict and must release it with
 * sl_codec_params_free() once every context made from @params is gone.
 * Return: 0; -EINVAL for an unknown name, a level out of range, an unknown
 * or repeated key, a key the codec does not take; -ENOENT, -EIO, -EFBIG or
 * -ENOMEM when the dictionary cannot be loaded.  Nothing to free on error.
 */
int sl_codec_parse(const char *spec, const struct sl_codec_ops **ops,
		   struct sl_codec_params *params, char *err, size_t errlen);

/* sl_codec_params_free() - free what sl_codec_parse() loaded; idempotent */
void sl_codec_params_free(struct sl_codec_params *params);

/**
 * sl_codec_group() - the specs a group name stands for.
 * @name: "all" (every kernel codec at its zram default; in a build without
 *	kernel codecs, the library codecs) or "libs" (every library codec at
 *	its default level).
 *
 * Return: a static NULL-terminated array of specs; NULL if @name is not a
 * group.
 */
const char *const *sl_codec_group(const char *name);

/**
 * sl_codec_expand() - walk a comma-separated codec list, groups expanded.
 * @list: e.g. "all", "libs", "lz4,zstd:1,libs".
 * @fn: called once per spec, in order, after the spec parsed cleanly;
 *	a non-zero return stops the walk and is returned.
 * @err: as in sl_codec_parse().
 *
 * Every spec is checked (sl_codec_parse()) before the first @fn call, so a
 * typo late in the list costs no work.
 * Return: 0; -EINVAL for an empty list or element and any sl_codec_parse()
 * error; or what @fn returned.
 */
int sl_codec_expand(const char *list, int (*fn)(const char *spec, void *arg),
		    void *arg, char *err, size_t errlen);

#endif /* SL_CODECS_H */
