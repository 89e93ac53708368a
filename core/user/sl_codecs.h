/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_codecs.h - the userspace codec registry and the codec spec syntax
 * "name[:level][:key=value...]" (see docs/codecs.md).
 *
 * Two families share the registry.  The zram names ("lzo", "lzo-rle",
 * "lz4", "lz4hc", "zstd", "deflate", "842") are the kernel's own lib/ code
 * built from kernel source trees (core/user/kcodec/, mk/kcodecs.mk); they
 * exist only in builds that had a tree, once per tree, named with their
 * kernel: "zstd@6.1", "zstd@6.12".  A bare "zstd" is that of the current
 * kernel (sl_codec_set_kernel(); by default the newest tree's).  The library codecs ("liblz4",
 * "liblz4hc", "libzstd", "liblzo2", "libdeflate", "zlib") and "none" are
 * always there.
 *
 * Context: everything here may sleep (it allocates, and sl_codec_parse()
 * reads dictionary files); the registry is read-only once
 * sl_codec_set_kernel() has run (before any thread starts), so any thread
 * may call the rest at the same time.
 */
#ifndef SL_CODECS_H
#define SL_CODECS_H

#include "../sl_codec.h"

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

/*
 * sl_codec_find() - the codec called @name: exactly ("zstd@6.1", "liblz4"),
 * or a bare kernel codec name ("zstd") as that of sl_codec_kernel().
 * NULL if none (also when this build has no tree of that kernel).
 */
const struct sl_codec_ops *sl_codec_find(const char *name);

/* sl_kernels() - the kernels swaplab models, oldest first: "6.1", "6.12" */
const char *const *sl_kernels(void);

/* sl_codec_trees() - the kernels whose codecs this build holds, oldest first */
const char *const *sl_codec_trees(void);

/*
 * sl_codec_set_kernel() - what bare kernel codec names mean from now on.
 * Return: 0; -EINVAL if @kernel is not one of sl_kernels().  A kernel
 * without a tree in this build is accepted (its zsmalloc rules exist);
 * its bare codec names then find nothing.
 */
int sl_codec_set_kernel(const char *kernel);

/* sl_codec_kernel() - the current kernel: as set, else the newest tree's */
const char *sl_codec_kernel(void);

/**
 * sl_codec_tree_source() - where the kernel codecs of @kernel came from.
 *
 * Return: a static string such as "linux-source-6.1 (6.1.192)" or
 * "/path/to/linux (6.12.0)"; NULL when this build has no tree of @kernel.
 */
const char *sl_codec_tree_source(const char *kernel);

/* sl_codec_source() - that of sl_codec_kernel()'s tree; "none" if none */
const char *sl_codec_source(void);

/*
 * sl_codec_zram_offers() - whether Debian's build of @kernel's zram takes
 * codec @name ("zstd", "zstd@6.12", "zstd:8"; the @kernel part and the
 * options are ignored): 6.1
 * takes every kernel codec through the crypto API, 6.12 has backends of
 * its own and Debian builds only lz4, lz4hc, zstd and deflate.
 */
bool sl_codec_zram_offers(const char *kernel, const char *name);

/*
 * sl_nearest() - the name of NULL-terminated @names closest to @name
 * (edit distance), for "did you mean"; NULL when none is close.
 */
const char *sl_nearest(const char *name, const char *const *names);

/**
 * sl_codec_parse() - turn a codec spec into ops and parameters.
 * @spec: "name[:level][:key=value...]"; the level may be negative
 *	(libzstd, zstd).  Keys: "level=N", the same as a bare level;
 *	"dict=FILE" (liblz4, libzstd, and the kernel codecs whose zram
 *	backend takes one: 6.12's zstd, lz4, lz4hc, as its algorithm_params
 *	dict=), which loads FILE into @params->dict.
 * @err: on failure, a message of at most @errlen bytes naming the problem.
 *
 * On success the caller owns @params->dict and must release it with
 * sl_codec_params_free() once every context made from @params is gone.
 * Return: 0; -EINVAL for an unknown name, a level out of range, an unknown
 * or repeated key, a key the codec does not take, a dictionary of a size
 * the codec's zram backend fails every write with (6.12's lz4 and lz4hc:
 * over 64 KiB); -ENOENT, -EIO, -EFBIG or
 * -ENOMEM when the dictionary cannot be loaded.  Nothing to free on error.
 */
int sl_codec_parse(const char *spec, const struct sl_codec_ops **ops,
		   struct sl_codec_params *params, char *err, size_t errlen);

/**
 * sl_codec_zram_params() - the line 6.12's zram takes in algorithm_params
 * for @spec: "zstd@6.12:8:dict=d.bin" -> "algo=zstd level=8
 * dict=/abs/d.bin" (the dictionary's path made absolute: the kernel opens
 * it), into @buf.  @spec must have parsed with sl_codec_parse().
 * Return: 0, with @buf "" when @spec sets neither a level nor a
 * dictionary (zram's defaults are the codec's); -EINVAL for a spec that
 * does not parse; -errno when the dictionary's path cannot be resolved;
 * -E2BIG when @len is too small.
 */
int sl_codec_zram_params(const char *spec, char *buf, size_t len);

/* sl_codec_params_free() - free what sl_codec_parse() loaded; idempotent */
void sl_codec_params_free(struct sl_codec_params *params);

/**
 * sl_codec_group() - the specs a group name stands for.
 * @name: "all" (every kernel codec of the current kernel at its zram
 *	default, as bare names; in a build without kernel codecs, the
 *	library codecs) or "libs" (every library codec at
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
