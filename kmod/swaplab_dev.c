// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_dev.c - the block side of /dev/swaplabN: bios, rw_page for swap,
 * swap-free notify, and the store's lifetime.
 *
 * The device has 4 KiB logical blocks, so every request is whole pages and
 * each page maps to one store slot; partial pages are still handled (read,
 * modify, write through a bounce page) because a bio_vec may in principle
 * cover part of a page.  Discard and write-zeroes free slots: a free slot
 * reads as zeroes, as an unwritten zram sector does.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "swaplab.h"
#include "swaplab_record.h"
#include "swaplab_trace.h"

#define SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)

static u32 trace_flags(const struct sl_op_info *info)
{
	return (info->flags & SL_OP_SAME ? SWAPLAB_TF_SAME : 0) |
	       (info->flags & SL_OP_HUGE ? SWAPLAB_TF_HUGE : 0) |
	       (info->flags & SL_OP_DEDUP ? SWAPLAB_TF_DEDUP : 0);
}

/*
 * The access clock, as zram's ac_time (both Debian kernels' zram read the
 * clock on every read and write: CONFIG_ZRAM_MEMORY_TRACKING, 6.12's
 * CONFIG_ZRAM_TRACK_ENTRY_ACTIME).  A coarse read, no rdtsc; the store's
 * clock is written once a tick, not by every op.
 */
static void stamp(struct swaplab_dev *dev)
{
	u64 t = ktime_get_coarse_boottime_ns();

	if (likely(t <= READ_ONCE(dev->now)))
		return;
	spin_lock(&dev->now_lock);
	if (t > dev->now) {
		WRITE_ONCE(dev->now, t);
		sl_store_set_now(dev->store, t);
	}
	spin_unlock(&dev->now_lock);
}

/*
 * Store or load one whole page at @buf through this CPU's context.  The
 * clock is read, here and around the codec in the store (which it does
 * only when given @info), only while the event is on: under qemu TCG each
 * read is an emulated rdtsc, and zram, the baseline, reads none.
 */
static int page_op(struct swaplab_dev *dev, u32 index, void *buf, bool write)
{
	bool traced = write ? trace_swaplab_store_enabled() :
			      trace_swaplab_load_enabled();
	struct sl_op_info info = { 0 };
	struct swaplab_pcpu *pc;
	u64 t0 = traced ? sl_now_ns() : 0;
	u64 seq = 0;
	int ret;

	stamp(dev);
	local_lock(&dev->pcpu->lock);
	pc = this_cpu_ptr(dev->pcpu);
	if (write)
		ret = sl_store_write(dev->store, &pc->ctx, index, buf,
				     traced ? &info : NULL);
	else
		ret = sl_store_read(dev->store, &pc->ctx, index, buf,
				    traced ? &info : NULL);
	local_unlock(&dev->pcpu->lock);
	if (ret == -EAGAIN) {
		/* written back: the read may sleep, so not per-CPU */
		mutex_lock(&dev->slow_lock);
		ret = sl_store_read(dev->store, &dev->slow_ctx, index, buf,
				    traced ? &info : NULL);
		mutex_unlock(&dev->slow_lock);
	}
	if (ret < 0)
		return ret;
	if (write)
		atomic64_inc(&dev->num_writes);
	else
		atomic64_inc(&dev->num_reads);
	/* the record channel copies the page while a recorder has it open */
	if (write)
		seq = swaplab_rec_store(dev->id, index, buf, traced);
	else if (traced)
		seq = swaplab_rec_seq();
	if (!traced)
		return 0;
	if (write)
		trace_swaplab_store(dev->id, index, info.comp_len,
				    trace_flags(&info), sl_now_ns() - t0,
				    info.codec_ns, seq);
	else
		trace_swaplab_load(dev->id, index, info.comp_len,
				   trace_flags(&info) |
				   (ret == 1 ? SWAPLAB_TF_EMPTY : 0),
				   sl_now_ns() - t0, info.codec_ns, seq);
	return 0;
}

static void slot_free(struct swaplab_dev *dev, u32 index)
{
	bool traced = trace_swaplab_free_enabled();
	u64 t0 = traced ? sl_now_ns() : 0;
	struct sl_op_info info;
	int ret = sl_store_free(dev->store, index, traced ? &info : NULL);

	if (traced && ret >= 0)
		trace_swaplab_free(dev->id, index, info.comp_len,
				   trace_flags(&info) |
				   (ret == 1 ? SWAPLAB_TF_EMPTY : 0),
				   sl_now_ns() - t0, 0, swaplab_rec_seq());
}

/* @bv lies within one page of memory and within device page @index */
static int bvec_op(struct swaplab_dev *dev, struct bio_vec *bv, u32 index,
		   unsigned int off, bool write)
{
	void *mem, *bounce;
	int ret;

	if (bv->bv_len == PAGE_SIZE) {
		mem = bvec_kmap_local(bv);
		ret = page_op(dev, index, mem, write);
		kunmap_local(mem);
		if (!write)
			flush_dcache_page(bv->bv_page);
		return ret;
	}
	bounce = (void *)__get_free_page(GFP_NOIO);
	if (!bounce)
		return -ENOMEM;
	ret = page_op(dev, index, bounce, false);
	if (ret)
		goto out;
	mem = bvec_kmap_local(bv);
	if (write)
		memcpy(bounce + off, mem, bv->bv_len);
	else
		memcpy(mem, bounce + off, bv->bv_len);
	kunmap_local(mem);
	if (write)
		ret = page_op(dev, index, bounce, true);
	else
		flush_dcache_page(bv->bv_page);
out:
	free_page((unsigned long)bounce);
	return ret;
}

/* discard and write-zeroes: free whole pages, zero partial ones */
static int discard(struct swaplab_dev *dev, struct bio *bio)
{
	u64 start = (u64)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	u64 end = start + bio->bi_iter.bi_size;
	struct bio_vec bv;
	u64 pos;
	int ret;

	for (pos = start; pos < end; pos = (pos & PAGE_MASK) + PAGE_SIZE) {
		unsigned int off = pos & ~PAGE_MASK;
		u64 len = min_t(u64, PAGE_SIZE - off, end - pos);

		if (len == PAGE_SIZE) {
			slot_free(dev, pos >> PAGE_SHIFT);
			continue;
		}
		if (bio_op(bio) != REQ_OP_WRITE_ZEROES)
			continue;
		bv.bv_page = ZERO_PAGE(0);
		bv.bv_offset = 0;
		bv.bv_len = len;
		ret = bvec_op(dev, &bv, pos >> PAGE_SHIFT, off, true);
		if (ret)
			return ret;
	}
	return 0;
}

static void swaplab_submit_bio(struct bio *bio)
{
	struct swaplab_dev *dev = bio->bi_bdev->bd_disk->private_data;
	sector_t sector = bio->bi_iter.bi_sector;
	u32 index = sector / SECTORS_PER_PAGE;
	unsigned int off = (sector % SECTORS_PER_PAGE) << SECTOR_SHIFT;
	bool write = op_is_write(bio_op(bio));
	unsigned long start;
	struct bvec_iter iter;
	struct bio_vec bv;

	if (unlikely(!dev->store)) {
		bio_io_error(bio);
		return;
	}
	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		if (discard(dev, bio))
			bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
		return;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}

	start = bio_start_io_acct(bio);
	/* a large folio goes out as one bio: the recorder groups its pages */
	if (bio->bi_iter.bi_size > PAGE_SIZE && !off)
		trace_swaplab_bio(dev->id, index, bio->bi_iter.bi_size >> PAGE_SHIFT,
				  write, swaplab_rec_seq_last());
	bio_for_each_segment(bv, bio, iter) {
		unsigned int left = bv.bv_len;

		while (left) {
			bv.bv_len = min_t(unsigned int, PAGE_SIZE - off, left);
			if (bvec_op(dev, &bv, index, off, write)) {
				bio->bi_status = BLK_STS_IOERR;
				goto done;
			}
			bv.bv_offset += bv.bv_len;
			left -= bv.bv_len;
			off += bv.bv_len;
			if (off == PAGE_SIZE) {
				off = 0;
				index++;
			}
		}
	}
done:
	bio_end_io_acct(bio, start);
	bio_endio(bio);
}

#if KERNEL_VERSION(6, 4, 0) > LINUX_VERSION_CODE
/*
 * Up to 6.3, swap reads and writes whole pages through here without a
 * bio, as it does for zram (6.4 removed ->rw_page: bios only).  An
 * error makes the caller retry with a bio, which then reports it
 * properly, so errors return without page_endio().
 */
static int swaplab_rw_page(struct block_device *bdev, sector_t sector,
			   struct page *page, enum req_op op)
{
	struct swaplab_dev *dev = bdev->bd_disk->private_data;
	unsigned long start;
	void *mem;
	int ret;

	if (PageTransHuge(page))
		return -EOPNOTSUPP;
	if (!dev->store || sector % SECTORS_PER_PAGE ||
	    sector + SECTORS_PER_PAGE > get_capacity(bdev->bd_disk))
		return -EINVAL;
	start = bdev_start_io_acct(bdev->bd_disk->part0, SECTORS_PER_PAGE,
				   op, jiffies);
	mem = kmap_local_page(page);
	ret = page_op(dev, sector / SECTORS_PER_PAGE, mem, op_is_write(op));
	kunmap_local(mem);
	bdev_end_io_acct(bdev->bd_disk->part0, op, start);
	if (ret)
		return ret;
	page_endio(page, op_is_write(op), 0);
	return 0;
}
#endif

/* called by swap with its swap_info lock held: must not sleep */
static void swaplab_slot_free_notify(struct block_device *bdev,
				     unsigned long index)
{
	struct swaplab_dev *dev = bdev->bd_disk->private_data;

	if (dev->store && index <= U32_MAX)
		slot_free(dev, index);
}

#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
static int swaplab_open(struct gendisk *disk, blk_mode_t mode)
{
	struct swaplab_dev *dev = disk->private_data;

	return dev->claim ? -EBUSY : 0;
}
#else
static int swaplab_open(struct block_device *bdev, fmode_t mode)
{
	struct swaplab_dev *dev = bdev->bd_disk->private_data;

	return dev->claim ? -EBUSY : 0;
}
#endif

const struct block_device_operations swaplab_fops = {
	.owner = THIS_MODULE,
	.open = swaplab_open,
	.submit_bio = swaplab_submit_bio,
#if KERNEL_VERSION(6, 4, 0) > LINUX_VERSION_CODE
	.rw_page = swaplab_rw_page,
#endif
	.swap_slot_free_notify = swaplab_slot_free_notify,
};

static void destroy_pcpu(struct swaplab_dev *dev, struct sl_store *store,
			 struct swaplab_pcpu __percpu *pcpu)
{
	int cpu;

	if (!pcpu)
		return;
	for_each_possible_cpu(cpu)
		sl_store_ctx_destroy(store, &per_cpu_ptr(pcpu, cpu)->ctx);
	free_percpu(pcpu);
}

/* ---- the backing device ---- */

struct bd_io {
	struct work_struct work;
	struct block_device *bdev;
	u64 blk;
	struct page *page;
	enum req_op op;
	int ret;
};

static void bd_io_work(struct work_struct *work)
{
	struct bd_io *io = container_of(work, struct bd_io, work);
	struct bio *bio = bio_alloc(io->bdev, 1, io->op, GFP_NOIO);

	bio->bi_iter.bi_sector = io->blk << (PAGE_SHIFT - SECTOR_SHIFT);
	if (bio_add_page(bio, io->page, PAGE_SIZE, 0) != PAGE_SIZE)
		io->ret = -EIO;
	else
		io->ret = submit_bio_wait(bio);
	bio_put(bio);
}

/*
 * One page of backing I/O, waited for.  It runs on a worker: a bio
 * submitted from within our own submit_bio() would wait on
 * current->bio_list until that returns, which is a deadlock (zram's
 * read_from_bdev_sync() does the same).  A bounce page keeps any address
 * @buf may have out of the bio.
 */
static int bd_io(struct swaplab_dev *dev, u64 blk, void *buf, enum req_op op)
{
	struct bd_io io = { .bdev = dev->bdev, .blk = blk, .op = op };

	io.page = alloc_page(GFP_NOIO);
	if (!io.page)
		return -ENOMEM;
	if (op == REQ_OP_WRITE)
		memcpy(page_address(io.page), buf, PAGE_SIZE);
	INIT_WORK_ONSTACK(&io.work, bd_io_work);
	queue_work(system_unbound_wq, &io.work);
	flush_work(&io.work);
	destroy_work_on_stack(&io.work);
	if (!io.ret && op == REQ_OP_READ)
		memcpy(buf, page_address(io.page), PAGE_SIZE);
	__free_page(io.page);
	return io.ret;
}

static int bd_write(void *priv, u64 blk, const void *page)
{
	return bd_io(priv, blk, (void *)page, REQ_OP_WRITE);
}

static int bd_read(void *priv, u64 blk, void *page)
{
	return bd_io(priv, blk, page, REQ_OP_READ);
}

static const struct sl_backing_ops swaplab_backing_ops = {
	.write = bd_write,
	.read = bd_read,
};

#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
/* from 6.9 an opened block device is a file, exclusive by its holder */
int swaplab_dev_set_backing(struct swaplab_dev *dev, const char *path)
{
	struct file *file = NULL;
	char *copy = NULL;

	if (path) {
		copy = kstrdup(path, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		file = bdev_file_open_by_path(path, BLK_OPEN_READ |
					      BLK_OPEN_WRITE, dev, NULL);
		if (IS_ERR(file)) {
			kfree(copy);
			return PTR_ERR(file);
		}
	}
	if (dev->bdev_file)
		fput(dev->bdev_file);
	kfree(dev->backing_path);
	dev->bdev_file = file;
	dev->bdev = file ? file_bdev(file) : NULL;
	dev->backing_path = copy;
	return 0;
}
#else
#define BD_MODE	(FMODE_READ | FMODE_WRITE | FMODE_EXCL)

int swaplab_dev_set_backing(struct swaplab_dev *dev, const char *path)
{
	struct block_device *bdev = NULL;
	char *copy = NULL;

	if (path) {
		copy = kstrdup(path, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		bdev = blkdev_get_by_path(path, BD_MODE, dev);
		if (IS_ERR(bdev)) {
			kfree(copy);
			return PTR_ERR(bdev);
		}
	}
	if (dev->bdev)
		blkdev_put(dev->bdev, BD_MODE);
	kfree(dev->backing_path);
	dev->bdev = bdev;
	dev->backing_path = copy;
	return 0;
}
#endif

int swaplab_dev_setup(struct swaplab_dev *dev, u64 disksize)
{
	struct swaplab_pcpu __percpu *pcpu = NULL;
	struct sl_store_cfg cfg = { 0 };
	struct sl_store *store;
	int cpu, ret;

	cfg.codec = dev->codec;
	cfg.codec_params = dev->params[0];
	memcpy(cfg.recomp_params, &dev->params[1], sizeof(cfg.recomp_params));
	cfg.alloc = sl_alloc_find(dev->alloc_spec, &cfg.alloc_opts);
	cfg.nr_slots = disksize >> PAGE_SHIFT;
	cfg.no_same_filled = !dev->same_filled;
	cfg.mem_limit = dev->mem_limit;
	cfg.dedup = dev->dedup;
	memcpy(cfg.recomp, dev->recomp, sizeof(cfg.recomp));
	if (dev->bdev) {
		cfg.backing = &swaplab_backing_ops;
		cfg.backing_priv = dev;
		cfg.backing_blocks = bdev_nr_bytes(dev->bdev) >> PAGE_SHIFT;
	}
	store = sl_store_create(&cfg);
	if (IS_ERR(store))
		return PTR_ERR(store);
	ret = sl_store_ctx_create(store, &dev->slow_ctx);
	if (ret) {
		sl_store_destroy(store);
		return ret;
	}
	pcpu = alloc_percpu(struct swaplab_pcpu);
	if (!pcpu) {
		ret = -ENOMEM;
		goto err;
	}
	for_each_possible_cpu(cpu) {
		struct swaplab_pcpu *pc = per_cpu_ptr(pcpu, cpu);

		local_lock_init(&pc->lock);
		ret = sl_store_ctx_create(store, &pc->ctx);
		if (ret)
			goto err;
		pc->ctx.nosleep = true;	/* used under the local lock */
	}
	sl_store_set_wb_limit(store, dev->wb_limit_enable, dev->wb_limit);
	dev->store = store;
	dev->pcpu = pcpu;
	dev->disksize = disksize;
	set_capacity_and_notify(dev->disk, disksize >> SECTOR_SHIFT);
	return 0;
err:
	destroy_pcpu(dev, store, pcpu);
	sl_store_ctx_destroy(store, &dev->slow_ctx);
	sl_store_destroy(store);
	return ret;
}

void swaplab_dev_teardown(struct swaplab_dev *dev)
{
	if (dev->store) {
		dev->wb_limit = sl_store_wb_limit(dev->store,
						  &dev->wb_limit_enable);
		set_capacity_and_notify(dev->disk, 0);
		destroy_pcpu(dev, dev->store, dev->pcpu);
		sl_store_ctx_destroy(dev->store, &dev->slow_ctx);
		sl_store_destroy(dev->store);
		dev->store = NULL;
		dev->pcpu = NULL;
		dev->disksize = 0;
		dev->idle_before = 0;
		dev->now = 0;
		atomic64_set(&dev->num_reads, 0);
		atomic64_set(&dev->num_writes, 0);
	}
	dev->mem_limit = 0;
	swaplab_params_reset(dev);
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	dev->codec = sl_codec_find(swaplab_default_codec);
#endif
	swaplab_dev_set_backing(dev, NULL);
}

int swaplab_dev_reset(struct swaplab_dev *dev)
{
	struct gendisk *disk = dev->disk;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk) || dev->claim) {
		mutex_unlock(&disk->open_mutex);
		return -EBUSY;
	}
	dev->claim = true;
	mutex_unlock(&disk->open_mutex);

	sync_blockdev(disk->part0);
	down_write(&dev->init_lock);
	swaplab_dev_teardown(dev);
	up_write(&dev->init_lock);

	mutex_lock(&disk->open_mutex);
	dev->claim = false;
	mutex_unlock(&disk->open_mutex);
	return 0;
}
