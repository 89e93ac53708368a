/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaplab.h - one /dev/swaplabN: a compressed RAM block device over the
 * core/ page store, shared by the block, sysfs and control-class files.
 *
 * Concurrency: the store path runs on a per-CPU struct sl_store_ctx under a
 * local lock, so any number of CPUs do I/O at once, each with its own codec
 * transform, while slots are protected by the store's per-slot bit locks.
 * Preemption is off while a context is held; the compat header makes every
 * core/ allocation there atomic (see core/kernel/sl_compat_kernel.h).
 *
 * Lock order: disk->open_mutex, then init_lock (settings and the store's
 * lifetime; I/O does not take it: a device is only torn down with no
 * opener, after setting @claim under open_mutex so new opens fail), then
 * the per-CPU local lock, then the store's own slot and pool locks.
 */
#ifndef SWAPLAB_H
#define SWAPLAB_H

#include <linux/blkdev.h>
#include <linux/local_lock.h>
#include <linux/percpu.h>
#include <linux/rwsem.h>

#include "sl_store.h"
#include "sl_codecs_kernel.h"

#define SWAPLAB_SPEC_LEN	64	/* allocator "name[:opts]" */

struct swaplab_pcpu {
	local_lock_t lock;
	struct sl_store_ctx ctx;
};

struct swaplab_dev {
	int id;
	struct gendisk *disk;
	struct rw_semaphore init_lock;
	struct sl_store *store;			/* NULL: not initialised */
	struct swaplab_pcpu __percpu *pcpu;
	u64 disksize;
	/* settings, fixed while the store exists */
	const struct sl_codec_ops *codec;
	char alloc_spec[SWAPLAB_SPEC_LEN];
	u64 mem_limit;
	bool same_filled;
	bool dedup;
	/* recompression codecs by priority (recomp_algorithm), or NULL */
	const struct sl_codec_ops *recomp[SL_MAX_RECOMP];
	/*
	 * algorithm_params (6.12+): level and dictionary by priority, 0 the
	 * primary codec; kept until reset, as zram's params[]
	 */
	struct sl_codec_params params[1 + SL_MAX_RECOMP];
	/*
	 * idle, as zram's ac_time and ZRAM_IDLE: the store stamps every slot
	 * it reads or writes with @now (boottime ns, advanced once a tick
	 * under @now_lock, so it never goes back), and slots stamped before
	 * @idle_before are idle (idle_store() sets it)
	 */
	spinlock_t now_lock;
	u64 now;
	u64 idle_before;
	/* writeback: the backing device (backing_dev), NULL: none */
	struct block_device *bdev;
	struct file *bdev_file;	/* 6.9+: what holds @bdev open */
	char *backing_path;
	/*
	 * writeback_limit_enable and writeback_limit: kept here across
	 * reset, as zram keeps them; the store holds the live values
	 */
	bool wb_limit_enable;
	u64 wb_limit;
	/* reads of written-back slots, which may sleep, and writeback */
	struct mutex slow_lock;
	struct sl_store_ctx slow_ctx;
	bool claim;		/* reset or removal under way: open fails */
	atomic64_t num_reads, num_writes;
};

extern const struct block_device_operations swaplab_fops;
/* the running kernel's zram default algorithm (swaplab_main.c) */
extern const char *const swaplab_default_codec;
extern const struct attribute_group *swaplab_disk_groups[];

/**
 * swaplab_dev_setup() - create the store with the device's settings and
 * give the disk its capacity.  Caller holds init_lock for writing.
 * Return: 0; -EINVAL for settings the store rejects; -ENOMEM.
 * Context: may sleep.
 */
int swaplab_dev_setup(struct swaplab_dev *dev, u64 disksize);

/*
 * swaplab_dev_teardown() - back to uninitialised, the backing device
 * released and mem_limit 0 (as zram's reset); from 6.12 also the default
 * algorithm again, as 6.12's reset (6.1's keeps the chosen one).  Caller
 * holds init_lock.
 */
void swaplab_dev_teardown(struct swaplab_dev *dev);

/*
 * swaplab_params_reset() - every codec back to its default level and no
 * dictionary (freed), as zram's reset does to algorithm_params.  Caller
 * holds init_lock for writing, or owns @dev (creation, removal).
 */
void swaplab_params_reset(struct swaplab_dev *dev);

/**
 * swaplab_dev_set_backing() - open block device @path as the backing
 * device (releasing any before), or just release with NULL.  Caller holds
 * init_lock for writing, the device uninitialised.
 * Return: 0, or the error of opening it.
 */
int swaplab_dev_set_backing(struct swaplab_dev *dev, const char *path);

/**
 * swaplab_dev_reset() - tear down an unused device, as zram's reset file.
 * Return: 0, or -EBUSY while the device is open or already being reset.
 * Context: may sleep.
 */
int swaplab_dev_reset(struct swaplab_dev *dev);

#endif /* SWAPLAB_H */
