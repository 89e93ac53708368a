// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_main.c - module lifetime, the device list and the
 * swaplab-control class (hot_add, hot_remove), modelled on zram-control.
 *
 * swaplab.ko runs the same core/ page store and allocators that the
 * swaplab replay tool runs in userspace, so that a replay's figures can be
 * checked against a real kernel device under real swap.
 */
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/version.h>

#include "swaplab.h"
#include "swaplab_record.h"

static DEFINE_IDR(swaplab_idr);
static DEFINE_MUTEX(swaplab_idr_lock);	/* the idr and device add/remove */
static int swaplab_major;

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of swaplab devices created at load");

/*
 * Out of the box a device stores what the running kernel's zram0 does:
 * its default algorithm (6.1: lzo-rle; Debian's 6.12: CONFIG_ZRAM_DEF_COMP
 * "lz4") and that kernel's zsmalloc rules.
 */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
const char *const swaplab_default_codec = "lz4";
static const char *const default_alloc = "zsmalloc:kernel=6.12";
#elif KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
const char *const swaplab_default_codec = "lzo-rle";
static const char *const default_alloc = "zsmalloc";
#else
const char *const swaplab_default_codec = "lzo-rle";
static const char *const default_alloc = "zsmalloc:kernel=6.1";
#endif

static int swaplab_add(void)
{
	struct swaplab_dev *dev;
#if KERNEL_VERSION(6, 9, 0) > LINUX_VERSION_CODE
	struct request_queue *q;
#endif
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	ret = idr_alloc(&swaplab_idr, dev, 0, 0, GFP_KERNEL);
	if (ret < 0)
		goto err_free;
	dev->id = ret;
	init_rwsem(&dev->init_lock);
	mutex_init(&dev->slow_lock);
	spin_lock_init(&dev->now_lock);
	dev->codec = sl_codec_find(swaplab_default_codec);
	strscpy(dev->alloc_spec, default_alloc, sizeof(dev->alloc_spec));
	dev->same_filled = true;
	swaplab_params_reset(dev);

#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
	{
		/* from 6.9 the limits and features come with the disk */
		struct queue_limits lim = {
			/* one logical block per page: whole slots */
			.logical_block_size = PAGE_SIZE,
			.physical_block_size = PAGE_SIZE,
			.io_min = PAGE_SIZE,
			.io_opt = PAGE_SIZE,
			.discard_granularity = PAGE_SIZE,
			.max_hw_discard_sectors = UINT_MAX,
			.max_write_zeroes_sectors = UINT_MAX,
			/*
			 * not rotational and no entropy: not set.  Swap
			 * I/O is synchronous, as zram 6.12 says: swap-in
			 * then skips the swap cache and frees the slot
			 * at once, as it does for zram.
			 */
			.features = BLK_FEAT_STABLE_WRITES |
				    BLK_FEAT_SYNCHRONOUS,
		};

		dev->disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
		if (IS_ERR(dev->disk)) {
			ret = PTR_ERR(dev->disk);
			goto err_idr;
		}
	}
#else
	dev->disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!dev->disk) {
		ret = -ENOMEM;
		goto err_idr;
	}
#endif
	dev->disk->major = swaplab_major;
	dev->disk->first_minor = dev->id;
	dev->disk->minors = 1;
	dev->disk->flags |= GENHD_FL_NO_PART;
	dev->disk->fops = &swaplab_fops;
	dev->disk->private_data = dev;
	snprintf(dev->disk->disk_name, sizeof(dev->disk->disk_name),
		 "swaplab%d", dev->id);
	set_capacity(dev->disk, 0);

#if KERNEL_VERSION(6, 9, 0) > LINUX_VERSION_CODE
	q = dev->disk->queue;
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	/* one logical block per page: every request is whole slots */
	blk_queue_logical_block_size(q, PAGE_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_io_min(q, PAGE_SIZE);
	blk_queue_io_opt(q, PAGE_SIZE);
	q->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_discard_sectors(q, UINT_MAX);
	blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
#endif

	ret = device_add_disk(NULL, dev->disk, swaplab_disk_groups);
	if (ret)
		goto err_disk;
	return dev->id;

err_disk:
	put_disk(dev->disk);
err_idr:
	idr_remove(&swaplab_idr, dev->id);
err_free:
	kfree(dev);
	return ret;
}

/* Return: 0, or -EBUSY while the device is open; caller holds idr lock */
static int swaplab_remove(struct swaplab_dev *dev)
{
	bool claimed;

	mutex_lock(&dev->disk->open_mutex);
	if (disk_openers(dev->disk)) {
		mutex_unlock(&dev->disk->open_mutex);
		return -EBUSY;
	}
	claimed = dev->claim;
	dev->claim = true;
	mutex_unlock(&dev->disk->open_mutex);

	if (!claimed)
		sync_blockdev(dev->disk->part0);
	/* del_gendisk() waits for a reset running from sysfs to finish */
	del_gendisk(dev->disk);
	down_write(&dev->init_lock);
	swaplab_dev_teardown(dev);
	up_write(&dev->init_lock);
	put_disk(dev->disk);
	idr_remove(&swaplab_idr, dev->id);
	kfree(dev);
	return 0;
}

/* class attributes are const from 6.4 */
#if KERNEL_VERSION(6, 4, 0) <= LINUX_VERSION_CODE
#define SL_CLASS_CONST const
#else
#define SL_CLASS_CONST
#endif

/* reading hot_add makes a device and returns its number, as zram's */
static ssize_t hot_add_show(SL_CLASS_CONST struct class *class,
			    SL_CLASS_CONST struct class_attribute *attr,
			    char *buf)
{
	int ret;

	mutex_lock(&swaplab_idr_lock);
	ret = swaplab_add();
	mutex_unlock(&swaplab_idr_lock);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%d\n", ret);
}

static struct class_attribute class_attr_hot_add =
	__ATTR(hot_add, 0400, hot_add_show, NULL);

static ssize_t hot_remove_store(SL_CLASS_CONST struct class *class,
				SL_CLASS_CONST struct class_attribute *attr,
				const char *buf, size_t len)
{
	struct swaplab_dev *dev;
	int ret, id;

	if (kstrtoint(buf, 10, &id) || id < 0)
		return -EINVAL;
	mutex_lock(&swaplab_idr_lock);
	dev = idr_find(&swaplab_idr, id);
	ret = dev ? swaplab_remove(dev) : -ENODEV;
	mutex_unlock(&swaplab_idr_lock);
	return ret ? ret : len;
}
static CLASS_ATTR_WO(hot_remove);

static struct attribute *swaplab_control_class_attrs[] = {
	&class_attr_hot_add.attr,
	&class_attr_hot_remove.attr,
	NULL,
};
ATTRIBUTE_GROUPS(swaplab_control_class);

static struct class swaplab_control_class = {
	.name = "swaplab-control",
#if KERNEL_VERSION(6, 4, 0) > LINUX_VERSION_CODE
	.owner = THIS_MODULE,
#endif
	.class_groups = swaplab_control_class_groups,
};

static int remove_cb(int id, void *ptr, void *data)
{
	WARN_ON_ONCE(swaplab_remove(ptr));
	return 0;
}

static void destroy_devices(void)
{
	class_unregister(&swaplab_control_class);
	mutex_lock(&swaplab_idr_lock);
	idr_for_each(&swaplab_idr, remove_cb, NULL);
	mutex_unlock(&swaplab_idr_lock);
	idr_destroy(&swaplab_idr);
	unregister_blkdev(swaplab_major, "swaplab");
}

static int __init swaplab_init(void)
{
	unsigned int i;
	int ret;

	ret = class_register(&swaplab_control_class);
	if (ret)
		return ret;
	swaplab_major = register_blkdev(0, "swaplab");
	if (swaplab_major <= 0) {
		class_unregister(&swaplab_control_class);
		return -EBUSY;
	}
	for (i = 0; i < num_devices; i++) {
		mutex_lock(&swaplab_idr_lock);
		ret = swaplab_add();
		mutex_unlock(&swaplab_idr_lock);
		if (ret < 0) {
			destroy_devices();
			return ret;
		}
	}
	ret = swaplab_rec_init();
	if (ret)
		destroy_devices();
	return ret;
}

static void __exit swaplab_exit(void)
{
	long pages;

	swaplab_rec_exit();
	destroy_devices();
	pages = atomic_long_read(&sl_live_pages);
	if (pages)
		pr_err("swaplab: leak: %ld pages still held by core pools\n",
		       pages);
}

module_init(swaplab_init);
module_exit(swaplab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("swaplab: compressed RAM block device on the swaplab core");
