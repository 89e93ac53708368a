/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sl_store.h - a zram-like compressed page store over one codec and one
 * allocator: a slot table indexed like a swap device.
 *
 * Slot states follow zram: empty, same-filled (the value is kept in the
 * slot and takes no allocation), compressed, huge (kept raw because it
 * compressed to the allocator's huge size or more).  Statistics carry
 * zram's mm_stat and io_stat names so that a replay can be compared with
 * /sys/block/zramN/mm_stat field by field.
 *
 * Locking: each slot has a bit lock in its flags word; pool calls are
 * serialised by one spinlock in the store; statistics are atomics.  Any
 * number of threads may call store/load/free at once, each with its own
 * struct sl_store_ctx.
 */
#ifndef SL_STORE_H
#define SL_STORE_H

#include "sl_alloc.h"
#include "sl_codec.h"

struct sl_store;

/* secondary codecs for recompression, by priority, as zram's algorithm_params */
#define SL_MAX_RECOMP	3
/* slot indexes are u32: 2^32 slots, a 16 TiB disk of 4 KiB pages */
#define SL_STORE_MAX_SLOTS	0x100000000ULL

/*
 * A backing device for writeback, provided by the caller (a file in
 * userspace, a block device in the kernel).  Block numbers run from 0 to
 * the count given in the config; the store allocates them.
 */
struct sl_backing_ops {
	/* Return: 0, or -errno (-EIO) */
	int (*write)(void *priv, u64 blk, const void *page);
	int (*read)(void *priv, u64 blk, void *page);
};

struct sl_store_cfg {
	const struct sl_codec_ops *codec;
	struct sl_codec_params codec_params;
	const struct sl_alloc_ops *alloc;
	const char *alloc_opts;		/* may be NULL */
	u64 nr_slots;			/* disksize / PAGE_SIZE, 1..2^32 */
	bool no_same_filled;		/* compress same-filled pages too */
	u32 huge_threshold;		/* 0: the allocator's huge_size() */
	u64 mem_limit;			/* bytes; 0: none */
	bool dedup;			/* share objects of equal pages */
	/* recompression: secondary codecs, tried in this order */
	const struct sl_codec_ops *recomp[SL_MAX_RECOMP];
	struct sl_codec_params recomp_params[SL_MAX_RECOMP];
	/* writeback: NULL ops = none */
	const struct sl_backing_ops *backing;
	void *backing_priv;
	u64 backing_blocks;
	bool limit_to_backing;		/* over mem_limit: write to backing */
};

/* which slots writeback and recompression act on (zram's type=) */
enum sl_select {
	SL_SEL_HUGE = 1 << 0,		/* stored raw */
	SL_SEL_IDLE = 1 << 1,		/* not accessed since the cutoff */
	SL_SEL_HUGE_IDLE = SL_SEL_HUGE | SL_SEL_IDLE,
	SL_SEL_INCOMPRESSIBLE = 1 << 2,	/* recompression could not shrink */
};

/* mm_stat and io_stat, in zram's order, plus our own after them */
struct sl_store_stats {
	u64 orig_data_size;
	u64 compr_data_size;
	u64 mem_used_total;
	u64 mem_limit;
	u64 mem_used_max;
	u64 same_pages;
	u64 pages_compacted;
	u64 huge_pages;
	u64 huge_pages_since;
	u64 failed_reads;
	u64 failed_writes;
	u64 invalid_io;
	u64 notify_free;
	u64 pages_stored;
	/* bd_stat */
	u64 bd_count;
	u64 bd_reads;
	u64 bd_writes;
	/* our own */
	u64 dedup_pages;	/* slots sharing another slot's object */
	u64 dedup_saved_bytes;	/* compressed bytes those would have used */
	u64 pages_recompressed;
	u64 recompress_saved_bytes;
	u64 incompressible_pages;
};

/* per-thread (kernel: per-CPU) scratch: codec contexts and buffers */
struct sl_store_ctx {
	void *codec_ctx;		/* the primary codec's */
	void *recomp_ctx[SL_MAX_RECOMP];
	u8 *buf;	/* SL_CODEC_DST_SIZE bytes */
	u8 *page;	/* PAGE_SIZE bytes: dedup compare, writeback */
	/*
	 * set by a caller that holds a lock forbidding sleep (the module's
	 * per-CPU one): reading a written-back slot then gives -EAGAIN
	 * instead of backing I/O, which may sleep
	 */
	bool nosleep;
};

/* what one call did, for latency histograms and tracepoints */
enum sl_op_flags {
	SL_OP_SAME = 1 << 0,
	SL_OP_HUGE = 1 << 1,
	SL_OP_DEDUP = 1 << 2,	/* shares an object stored before */
	SL_OP_WB = 1 << 3,	/* went to / came from the backing device */
};

struct sl_op_info {
	u32 comp_len;		/* bytes the allocator was asked for */
	u32 flags;		/* SL_OP_* */
	u64 codec_ns;		/* time inside compress() or decompress() */
};

/*
 * Locks (store.c): a bit lock per slot, then the dedup lock, the pool
 * lock (every allocator call), the backing-block lock and the lock that
 * installs a slot-table leaf.  None is held across a codec's compress()
 * or backing I/O; each entry point below says whether it may sleep.
 * Memory: the slot table is a directory of 4096-slot leaves allocated by
 * the first write into their range, so it follows the slots written.
 */

/**
 * sl_store_create() - make a store.
 * Return: the store, or ERR_PTR(-EINVAL) for a bad config (no codec or
 * allocator, 0 or more than 2^32 slots, huge_threshold over PAGE_SIZE,
 * a backing device with no blocks, or the allocator's create() refusing
 * its options); ERR_PTR(-ENOMEM); any other error of the allocator's
 * create().
 * Context: no lock held; may sleep.
 */
struct sl_store *sl_store_create(const struct sl_store_cfg *cfg);
/*
 * sl_store_destroy() - free every slot and the pool; NULL is a no-op.
 * Context: no other call on @store running or to come; may sleep.
 */
void sl_store_destroy(struct sl_store *store);

/**
 * sl_store_ctx_create() - per-thread scratch for @store's codec.
 * Return: 0; -ENOMEM; -EINVAL if a codec rejects its parameters; any
 * other error of a codec's create_ctx().  On failure @ctx holds nothing.
 * Context: no lock held; may sleep.
 */
int sl_store_ctx_create(struct sl_store *store, struct sl_store_ctx *ctx);
/* sl_store_ctx_destroy() - Context: @ctx no longer in use; may sleep */
void sl_store_ctx_destroy(struct sl_store *store, struct sl_store_ctx *ctx);

/**
 * sl_store_write() - store @page (PAGE_SIZE bytes) at slot @index,
 * replacing and freeing what the slot held.
 * @info: optional; filled on success.  Without it the clock is not read
 * around the codec (it costs ~20 ns a read natively, far more emulated).
 * Return: 0; -EINVAL for an index out of range (invalid_io counted).
 * The rest count failed_writes and leave the slot its old content:
 * -ENOMEM when the slot-table leaf, the pool or a dedup entry cannot be
 * allocated, or mem_limit would be passed (without limit_to_backing);
 * with limit_to_backing, over mem_limit, -ENOSPC when the backing device
 * is full and the backing write()'s error (-EIO); any error of the
 * codec's compress() other than -ENOSPC (which keeps the page raw).
 * Context: may be called concurrently for any slots, each thread with
 * its own @ctx.  Takes the slot, dedup and pool locks, never across the
 * codec; allocates with GFP_NOIO, atomically when the caller may not
 * sleep (the module's per-CPU lock), so it does not sleep itself -- but
 * with limit_to_backing a write over mem_limit does backing I/O, which
 * may: then call it only where sleeping is allowed.
 */
int sl_store_write(struct sl_store *store, struct sl_store_ctx *ctx,
		   u32 index, const void *page, struct sl_op_info *info);

/**
 * sl_store_read() - expand slot @index into @page (PAGE_SIZE bytes).
 * An empty slot reads as zeroes, as an unwritten zram sector does.
 * @info: optional, as for sl_store_write().
 * Return: 0 (1 if the slot was empty); -EINVAL for an index out of range;
 * -EIO if the codec rejects the stored object (failed_reads counted);
 * -EAGAIN if the slot is on the backing device and @ctx->nosleep: call
 * again with a context that may sleep.  (A backing read()'s own error is
 * returned as it is.)
 * Context: concurrent with any call on any slot; the slot's bit lock and
 * the pool lock are taken around the copy and the codec's decompress().
 * Does not sleep unless the slot is on the backing device and
 * !@ctx->nosleep (backing I/O, done without any lock held).
 */
int sl_store_read(struct sl_store *store, struct sl_store_ctx *ctx,
		  u32 index, void *page, struct sl_op_info *info);

/**
 * sl_store_set_mem_limit() - change mem_limit (bytes; 0: none) of a live
 * store, as zram's mem_limit may be written at any time.  Stores from
 * then on are checked against it; what the pool holds stays.
 * Context: may be called concurrently with writes; does not sleep.
 */
void sl_store_set_mem_limit(struct sl_store *store, u64 bytes);

/**
 * sl_store_free() - release slot @index (swap-free notify / discard).
 * @info: optional; what the slot held, as sl_store_read() reports it:
 *	comp_len the object's bytes (shared ones for a dedup reference, 0
 *	for same-filled, written-back or empty) and the SL_OP_* flags.
 * Return: 0; 1 if it was already empty (or never written); -EINVAL for an
 * index out of range (invalid_io counted).
 * Context: concurrent with any call on any slot; takes the slot, dedup,
 * pool and backing-block locks; does not sleep.
 */
int sl_store_free(struct sl_store *store, u32 index, struct sl_op_info *info);

/*
 * sl_store_compact() - compact the pool.  Return: pages freed.
 * Context: concurrent with anything; holds the pool lock for the whole
 * pass (as zs_compact() holds its class locks); does not sleep.
 */
unsigned long sl_store_compact(struct sl_store *store);

/**
 * sl_store_set_now() - the store's access clock: every write and read
 * stamps the slot with it, and idle selection compares against it.  Any
 * monotonic unit (ops, ns); 0 at creation.
 * Context: any; does not sleep.
 */
void sl_store_set_now(struct sl_store *store, u64 now);

/**
 * sl_store_writeback() - move selected slots to the backing device: idle
 * ones are those last accessed before @idle_before.  Same-filled slots
 * stay; a slot sharing a dedup object gives up its reference (the object
 * stays for the other sharers).
 * Return: pages written back; -ENODEV without a backing device; -ENOSPC
 * when it filled up and nothing was written this call (what was written
 * stays written); -EIO when the writeback limit is enabled and used up,
 * as zram's writeback_store() says it (also after writing some pages).
 * A slot whose backing write() fails stays in memory and is skipped: the
 * error is not returned.
 * Context: concurrent with writes, reads and frees; may sleep (backing
 * I/O, done with no lock held): never under a lock that forbids it.
 */
long sl_store_writeback(struct sl_store *store, struct sl_store_ctx *ctx,
			unsigned int select, u64 idle_before);

/**
 * sl_store_set_wb_limit() - zram's writeback_limit_enable and
 * writeback_limit: when enabled, each page written back takes
 * PAGE_SIZE / 4 KiB from @limit (in 4 KiB units), and a writeback that
 * finds it at 0 stops with -EIO.  Disabled, the limit is kept but not
 * charged.  Both zram 6.1 and 6.12 have these rules.
 * Context: any; does not sleep.
 */
void sl_store_set_wb_limit(struct sl_store *store, bool enable, u64 limit);
/* the limit left (4 KiB units); *@enable (may be NULL) whether it is on */
u64 sl_store_wb_limit(struct sl_store *store, bool *enable);

/**
 * sl_store_recompress() - try the secondary codecs, in order, on selected
 * slots; keep a result only if it is smaller than the current object and
 * below the huge threshold (so a page never grows).  Huge pages that no
 * codec shrinks are marked incompressible and not tried again.  Objects
 * shared by dedup are left alone: recompressing one changes every sharer.
 * Return: pages recompressed; -EINVAL without secondary codecs.  A
 * codec error or a failed allocation leaves the slot as it was.
 * Context: concurrent with writes, reads and frees, each slot locked
 * only to snapshot and to swap its object; does not sleep, but runs a
 * codec per selected slot: call it where a long pass is fine.
 */
long sl_store_recompress(struct sl_store *store, struct sl_store_ctx *ctx,
			 unsigned int select, u64 idle_before);

/* sl_store_stats() - Context: any; takes the pool lock; no sleep */
void sl_store_stats(struct sl_store *store, struct sl_store_stats *st);

/*
 * sl_store_mem_used_max() - mem_used_max in bytes, one atomic read: cheap
 * enough to watch after every op for the moment of peak memory
 */
u64 sl_store_mem_used_max(struct sl_store *store);

/*
 * sl_store_reset_mem_used_max() - zram's "echo 0 > mem_used_max": the
 * peak starts again from the pool's pages now.
 * Context: any; takes the pool lock; no sleep.
 */
void sl_store_reset_mem_used_max(struct sl_store *store);

/* the threshold in use: compressed lengths at or above it are kept raw */
u32 sl_store_huge_threshold(struct sl_store *store);

/* the pool, for allocator statistics and tests; owned by the store */
void *sl_store_pool(struct sl_store *store);

/**
 * sl_store_corrupt() - flip one byte of the object in slot @index, for
 * tests that prove verification catches it.  Return: 0; -ENOENT if the
 * slot holds no object; -EINVAL for an index out of range.
 * Context: slot and pool locks taken; does not sleep.
 */
int sl_store_corrupt(struct sl_store *store, u32 index);

/* sl_page_same_filled() - true and *@value set if @page is one word repeated */
bool sl_page_same_filled(const void *page, unsigned long *value);

#endif /* SL_STORE_H */
