/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaplab_trace.h - tracepoints swaplab:swaplab_store, swaplab_load and
 * swaplab_free: one event per page the device stores, loads or frees,
 * with what the recorder needs to rebuild a .swt stream's timing.
 *
 * comp_len is the number of bytes the allocator holds for the page
 * (PAGE_SIZE when huge, 0 when same-filled); a free reports what the
 * slot held, so that the bytes it gave back can be summed; flags are the
 * SWAPLAB_TF_* bits; ns is the whole call, codec_ns the codec's share.
 * seq numbers every store, load and free of all devices in one series
 * (swaplab_record.h): the recorder orders events by it, finds lost ones
 * by its gaps and pairs a store with its page from /dev/sl_record.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swaplab

#if !defined(SWAPLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SWAPLAB_TRACE_H

#include <linux/tracepoint.h>

#define SWAPLAB_TF_SAME		0x1	/* same-filled: no allocation */
#define SWAPLAB_TF_HUGE		0x2	/* kept raw */
#define SWAPLAB_TF_DEDUP	0x4	/* shared with another slot */
#define SWAPLAB_TF_EMPTY	0x8	/* free of a slot that held nothing */

DECLARE_EVENT_CLASS(swaplab_page,
		    TP_PROTO(int dev, u32 index, u32 comp_len, u32 flags, u64 ns, u64 codec_ns,
			     u64 seq),
		    TP_ARGS(dev, index, comp_len, flags, ns, codec_ns, seq),
		    TP_STRUCT__entry(__field(int, dev)
				     __field(u32, index)
				     __field(u32, comp_len)
				     __field(u32, flags)
				     __field(u64, ns)
				     __field(u64, codec_ns)
				     __field(u64, seq)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->index = index;
				   __entry->comp_len = comp_len;
				   __entry->flags = flags;
				   __entry->ns = ns;
				   __entry->codec_ns = codec_ns;
				   __entry->seq = seq;),
		    TP_printk("dev=%d index=%u comp_len=%u flags=%s seq=%llu ns=%llu codec_ns=%llu",
			      __entry->dev, __entry->index, __entry->comp_len,
			      __print_flags(__entry->flags, "|",
					    { SWAPLAB_TF_SAME, "same" },
					    { SWAPLAB_TF_HUGE, "huge" },
					    { SWAPLAB_TF_DEDUP, "dedup" },
					    { SWAPLAB_TF_EMPTY, "empty" }),
			      __entry->seq, __entry->ns, __entry->codec_ns)
);

DEFINE_EVENT(swaplab_page, swaplab_store,
	     TP_PROTO(int dev, u32 index, u32 comp_len, u32 flags, u64 ns, u64 codec_ns,
		      u64 seq),
	     TP_ARGS(dev, index, comp_len, flags, ns, codec_ns, seq));

DEFINE_EVENT(swaplab_page, swaplab_load,
	     TP_PROTO(int dev, u32 index, u32 comp_len, u32 flags, u64 ns, u64 codec_ns,
		      u64 seq),
	     TP_ARGS(dev, index, comp_len, flags, ns, codec_ns, seq));

DEFINE_EVENT(swaplab_page, swaplab_free,
	     TP_PROTO(int dev, u32 index, u32 comp_len, u32 flags, u64 ns, u64 codec_ns,
		      u64 seq),
	     TP_ARGS(dev, index, comp_len, flags, ns, codec_ns, seq));

/*
 * swaplab_bio: a read or write bio of more than one page, before its
 * pages' store or load events.  Swap writes a large folio (mTHP, THP) as
 * one bio to the aligned run of slots it was given, so the recorder
 * groups the stores of slots @index..@index + @pages - 1 that follow into
 * one folio.  It takes no sequence number (a recorder that does not know
 * this event sees no gap): @seq is the last number handed out before it,
 * so the bio's own pages are numbered after @seq.
 */
TRACE_EVENT(swaplab_bio,
	    TP_PROTO(int dev, u32 index, u32 pages, bool write, u64 seq),
	    TP_ARGS(dev, index, pages, write, seq),
	    TP_STRUCT__entry(__field(int, dev)
			     __field(u32, index)
			     __field(u32, pages)
			     __field(u32, write)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->index = index;
			   __entry->pages = pages;
			   __entry->write = write;
			   __entry->seq = seq;),
	    TP_printk("dev=%d index=%u pages=%u %s seq=%llu", __entry->dev,
		      __entry->index, __entry->pages,
		      __entry->write ? "write" : "read", __entry->seq)
);

#endif /* SWAPLAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE swaplab_trace
#include <trace/define_trace.h>
