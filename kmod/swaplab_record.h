/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaplab_record.h - the record channel /dev/sl_record: the contents of
 * every page a swaplab device stores, for `swaplab record --kernel`.
 *
 * Its name is outside "swaplab*" on purpose: zram-style scripts find
 * devices with `ls /dev/swaplab*`, and every node that glob matches must be
 * a disk (see kmod/README.md).
 *
 * The tracepoints tell the recorder what happened; they cannot carry a
 * 4 KiB page.  While the channel is open, every store also copies its page
 * into a bounded ring, tagged with the same sequence number as the event
 * (the seq field of swaplab:swaplab_store), so the recorder pairs them.
 *
 * Userspace reads whole records:
 *	struct { __u64 seq; __u32 dev; __u32 index; } then PAGE_SIZE bytes
 * in seq order.  read() never blocks: it returns -EAGAIN when the ring is
 * empty.  A full ring drops the page and counts it
 * (SWAPLAB_REC_IOC_STATS); the swap-out path never waits for the reader.
 */
#ifndef SWAPLAB_RECORD_H
#define SWAPLAB_RECORD_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct swaplab_rec_hdr {
	__u64 seq;
	__u32 dev;
	__u32 index;
};

struct swaplab_rec_stats {
	__u64 records;		/* pages put into the ring since open */
	__u64 dropped;		/* pages dropped: the ring was full */
	__u64 capacity;		/* records the ring holds */
	__u64 seq;		/* the last sequence number handed out */
	__u64 hiwater;		/* most records the ring held at once */
};

#define SWAPLAB_REC_IOC_STATS	_IOR('S', 1, struct swaplab_rec_stats)

#ifdef __KERNEL__
int swaplab_rec_init(void);
void swaplab_rec_exit(void);

/**
 * swaplab_rec_store() - the next sequence number for a store of @page to
 * slot @index of device @dev, and a copy of @page into the ring when the
 * channel is open and has room.  With the channel closed and @traced
 * false nobody sees the number, so none is taken (one shared atomic less
 * on every write).
 *
 * Context: any; takes a spinlock with interrupts off, never sleeps.
 * Return: the store's sequence number (> 0), or 0 when none was taken.
 */
u64 swaplab_rec_store(int dev, u32 index, const void *page, bool traced);

/* swaplab_rec_seq() - the next sequence number, for a load or free event */
u64 swaplab_rec_seq(void);
/* swaplab_rec_seq_last() - the last number handed out (none is taken) */
u64 swaplab_rec_seq_last(void);
#endif

#endif /* SWAPLAB_RECORD_H */
