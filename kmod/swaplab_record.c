// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_record.c - the record channel /dev/sl_record (see
 * swaplab_record.h for the contract).
 *
 * Why a ring of whole records under one spinlock: the producer is the
 * swap-out path, which must never sleep or wait for userspace, and the
 * recorder needs the pages in the order of their sequence numbers.  The
 * sequence number is taken under the lock, so the ring is in seq order;
 * the copy of one page under the lock costs about what compressing it
 * does not (a memcpy), and there is one lock for a few thousand stores a
 * second.  A full ring drops the page and counts the drop: the recorder
 * sees a store event whose content is missing and says so.
 *
 * The one reader copies records out without the lock: the producer only
 * writes at head, never into [tail, head), and tail moves only after the
 * copy.  Opening the channel allocates the ring (rec_buf_mb MiB) and
 * switches recording on; closing switches it off and frees it.
 *
 * Lock order: open_lock (open/release, one reader), then rec.lock.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "swaplab_record.h"

#define REC_SIZE	(sizeof(struct swaplab_rec_hdr) + PAGE_SIZE)

static unsigned int rec_buf_mb = 32;
module_param(rec_buf_mb, uint, 0644);
MODULE_PARM_DESC(rec_buf_mb, "Record channel ring size in MiB (1..4096)");

static struct {
	spinlock_t lock;	/* head, tail, on, counters; ring writes */
	void *buf;
	u64 nr;			/* records the ring holds */
	u64 head, tail;		/* records put, records read */
	u64 records, dropped, hiwater;
	bool on;
} rec = { .lock = __SPIN_LOCK_UNLOCKED(rec.lock) };

static atomic64_t rec_seq = ATOMIC64_INIT(0);
static DEFINE_MUTEX(open_lock);
static bool opened;		/* under open_lock */
static DEFINE_MUTEX(read_lock);	/* one read() at a time */

u64 swaplab_rec_seq(void)
{
	return atomic64_inc_return(&rec_seq);
}

u64 swaplab_rec_seq_last(void)
{
	return atomic64_read(&rec_seq);
}

u64 swaplab_rec_store(int dev, u32 index, const void *page, bool traced)
{
	struct swaplab_rec_hdr *h;
	unsigned long flags;
	u64 seq;

	if (!READ_ONCE(rec.on))
		return traced ? atomic64_inc_return(&rec_seq) : 0;
	spin_lock_irqsave(&rec.lock, flags);
	seq = atomic64_inc_return(&rec_seq);
	if (!rec.on)
		goto out;
	if (rec.head - rec.tail >= rec.nr) {
		rec.dropped++;
		goto out;
	}
	h = rec.buf + (size_t)(rec.head % rec.nr) * REC_SIZE;
	h->seq = seq;
	h->dev = dev;
	h->index = index;
	memcpy(h + 1, page, PAGE_SIZE);
	rec.head++;
	rec.records++;
	if (rec.head - rec.tail > rec.hiwater)
		rec.hiwater = rec.head - rec.tail;
out:
	spin_unlock_irqrestore(&rec.lock, flags);
	return seq;
}

static int rec_open(struct inode *inode, struct file *file)
{
	unsigned int mb = READ_ONCE(rec_buf_mb);
	void *buf;
	int ret = 0;

	if (mb < 1 || mb > 4096)
		return -EINVAL;
	mutex_lock(&open_lock);
	if (opened) {
		ret = -EBUSY;
		goto out;
	}
	buf = vmalloc((size_t)mb << 20);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	spin_lock_irq(&rec.lock);
	rec.buf = buf;
	rec.nr = ((size_t)mb << 20) / REC_SIZE;
	rec.head = 0;
	rec.tail = 0;
	rec.records = 0;
	rec.dropped = 0;
	rec.hiwater = 0;
	rec.on = true;
	spin_unlock_irq(&rec.lock);
	opened = true;
out:
	mutex_unlock(&open_lock);
	return ret ? ret : nonseekable_open(inode, file);
}

static int rec_release(struct inode *inode, struct file *file)
{
	void *buf;

	mutex_lock(&open_lock);
	spin_lock_irq(&rec.lock);
	rec.on = false;
	buf = rec.buf;
	rec.buf = NULL;
	spin_unlock_irq(&rec.lock);
	vfree(buf);
	opened = false;
	mutex_unlock(&open_lock);
	return 0;
}

static ssize_t rec_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	u64 tail, avail, n, i;
	ssize_t done = 0;

	if (len < REC_SIZE)
		return -EINVAL;
	mutex_lock(&read_lock);
	spin_lock_irq(&rec.lock);
	tail = rec.tail;
	avail = rec.head - tail;
	spin_unlock_irq(&rec.lock);
	n = min_t(u64, avail, len / REC_SIZE);
	for (i = 0; i < n; i++) {
		void *src = rec.buf + (size_t)((tail + i) % rec.nr) * REC_SIZE;

		if (copy_to_user(ubuf + done, src, REC_SIZE)) {
			if (!done)
				done = -EFAULT;
			break;
		}
		done += REC_SIZE;
	}
	if (done > 0) {
		spin_lock_irq(&rec.lock);
		rec.tail = tail + done / REC_SIZE;
		spin_unlock_irq(&rec.lock);
	}
	mutex_unlock(&read_lock);
	return done ? done : -EAGAIN;
}

static long rec_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct swaplab_rec_stats st;

	if (cmd != SWAPLAB_REC_IOC_STATS)
		return -ENOTTY;
	spin_lock_irq(&rec.lock);
	st.records = rec.records;
	st.dropped = rec.dropped;
	st.capacity = rec.nr;
	st.hiwater = rec.hiwater;
	spin_unlock_irq(&rec.lock);
	st.seq = atomic64_read(&rec_seq);
	if (copy_to_user((void __user *)arg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static const struct file_operations rec_fops = {
	.owner = THIS_MODULE,
	.open = rec_open,
	.release = rec_release,
	.read = rec_read,
	.unlocked_ioctl = rec_ioctl,
#if KERNEL_VERSION(6, 12, 0) > LINUX_VERSION_CODE
	.llseek = no_llseek,	/* 6.12: no ->llseek is no seeking */
#endif
};

static struct miscdevice rec_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sl_record",
	.fops = &rec_fops,
	.mode = 0600,
};

int swaplab_rec_init(void)
{
	return misc_register(&rec_misc);
}

void swaplab_rec_exit(void)
{
	misc_deregister(&rec_misc);
}
