/*
 * pattern.h - access-pattern events (no page contents) from the module's
 * tracepoints or the stock-kernel kprobes, for `record --kprobes` and
 * `import trace-dat`: classify an event, then write them all, sorted, as
 * a SWT_F_NO_CONTENT trace.
 */
#ifndef SL_PATTERN_H
#define SL_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/swt.h"

struct tep_handle;
struct tep_record;

/* the kprobes `record --kprobes` makes, in the "swaplab_kp" system */
#define PAT_KP_SYSTEM	"swaplab_kp"

/* 6.1 x86-64: swp_entry_t = type << 58 | offset; page->private at +40 */
#define PAT_SWP_TYPE_SHIFT	58
#define PAT_PG_HEAD		16	/* enum pageflags, 6.1 */

struct pev {
	uint64_t ts, seq;	/* seq 0: none (kprobes) */
	uint64_t ord;		/* arrival order: ties keep it */
	uint32_t index, nr;	/* @nr slots from @index (a folio, a range) */
	int32_t dev;		/* swaplab dev, swap type, or -1 */
	int32_t cpu, pid;
	uint8_t op;		/* SWT_STORE, SWT_LOAD, SWT_FREE, PAT_BIO */
	uint8_t src;		/* PAT_SRC_* */
};

enum { PAT_SRC_SWAPLAB = 1, PAT_SRC_SWAP, PAT_SRC_ZRAM };
/* swaplab:swaplab_bio, a write of @nr pages: its stores are one folio */
#define PAT_BIO	5

struct pev_list {
	struct pev *v;
	size_t n, cap;
	uint64_t ignored;	/* events of other kinds */
	uint64_t lost;		/* pat_write: gaps in seq, when there is one */
};

/**
 * pat_classify() - add @rec to @l if it is a swaplab:swaplab_* event or
 * one of our kprobes (swaplab_kp:* or kprobes:* with the same names).
 * Return: 0 (added or ignored), -1 out of memory.
 */
int pat_classify(struct pev_list *l, struct tep_handle *tep,
		 struct tep_record *rec, int cpu);

/**
 * pat_write() - the events of device @dev (swaplab dev id or swap type;
 * -1: the only one present) in order (seq when every event has one,
 * else time) as a no-content trace at @out, header from @hdr.  Swap
 * events are preferred over zram ones when both are present.  With
 * SWT_F_HAS_FOLIO in @hdr, a swap-out of 2^order slots (a large folio,
 * written by one call) is written as one folio (format v2); the module's
 * events are grouped by its swaplab_bio events (record/fgroup.h), and
 * their presence sets the flag.
 * Return: 0, or EXIT_TROUBLE after printing the error.
 */
int pat_write(struct pev_list *l, const char *out, struct swt_header *hdr,
	      int dev, struct swt_totals *tot);

void pat_free(struct pev_list *l);

#endif /* SL_PATTERN_H */
