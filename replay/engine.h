/*
 * engine.h - one replay run: a trace through one store (codec x allocator
 * x settings), every load verified, latency histograms, a timeline, and
 * the run's results object.  Shared by `replay` and `bench`.
 */
#ifndef SL_ENGINE_H
#define SL_ENGINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "format/swt.h"

enum compact_mode { COMPACT_NEVER, COMPACT_EVERY, COMPACT_ON_FREE };

#define MAX_RECOMP_SPECS	3

struct zswap_opts;

struct replay_cfg {
	const char *trace_path;
	const char *codec_spec;
	const char *alloc_spec;
	uint64_t nr_slots;		/* from the scan: highest index + 1 */
	uint64_t nr_events;		/* from the scan, for progress/timeline */
	bool same_filled;
	uint32_t huge_threshold;	/* 0: auto */
	uint64_t mem_limit;
	enum compact_mode compact;
	uint64_t compact_every;
	uint64_t timeline_every;	/* ops between samples; 0: auto */
	bool progress;
	unsigned int run_no, nr_runs;	/* progress: run n of N, from 1 */
	unsigned int pass_first;	/* progress: a pass's first run_no */
	double progress_t0;		/* progress: sl_now_s() at the start */
	uint64_t corrupt_after;		/* tests: corrupt the slot of STORE #n */
	bool dedup;
	const char *backing_path;	/* NULL: no writeback */
	unsigned int writeback;		/* SL_SEL_* or 0 */
	int64_t wb_limit;		/* writeback_limit, 4 KiB units; -1 off */
	uint64_t idle_after;		/* ops, or ns with idle_in_ns */
	bool idle_in_ns;
	const char *recomp_specs[MAX_RECOMP_SPECS];
	unsigned int recompress;	/* SL_SEL_* or 0: every slot */
	unsigned int threads;		/* 0: the single-stream engine */
	bool split_by_slot;		/* threads: by slot even with cpus */
	const char *target;		/* /dev/zramN or /dev/swaplabN */
	/*
	 * --target swap: wait for zswap's shrink worker after a STORE that
	 * queued it (target_swap.c); 1 on, 0 off, -1 on when tracefs is there
	 */
	int sync_shrink;
	/* non-NULL: through the zswap front end (alloc_spec is its pool) */
	const struct zswap_opts *zswap;
	/* --chunk: "16k", "folio" (replay/chunk.h); NULL: page by page */
	const char *chunk;
	bool chunk_split;	/* --chunk-split */
	/* --verify bytes: compare with the trace's page, not its hash */
	bool verify_bytes;
	/* sl_replay_multi(): threads the runs of a pass share (0, 1: one) */
	unsigned int jobs;
	/*
	 * bench: called with every stored page, outside the timed region,
	 * alternately just before and just after the page's store (so that
	 * neither side always finds the page in cache); one stream only
	 */
	void (*beside_store)(void *arg, const void *page);
	void *beside_arg;
};

/* what a scan of the trace finds out before the runs */
struct trace_scan {
	uint64_t events, stores;
	uint32_t max_index;
	uint32_t cpus;		/* distinct cpu fields (0: none recorded) */
	uint64_t max_live;	/* most slots holding a page at once */
	bool has_content;
};

/* Return: 0, or -1 with @err filled */
int sl_trace_scan(struct swt_reader *r, struct trace_scan *scan, char *err,
		  size_t errlen);

/**
 * sl_replay_run() - replay the trace of @r (rewound first) per @cfg.
 * Return: 0 with *@run set to the results object; -1 with @err filled
 * (bad codec/allocator spec, corrupt trace, out of memory).  A verify
 * failure is not an error: it is counted in the run's verify_failures.
 */
int sl_replay_run(const struct replay_cfg *cfg, struct swt_reader *r,
		  json_t **run, char *err, size_t errlen);

/* can the run of @cfg share a pass with others (sl_replay_multi())? */
bool sl_replay_multi_ok(const struct replay_cfg *cfg);

/**
 * sl_replay_multi() - replay the trace of @r once into @nr stores, one per
 * configuration of @cfgs (each sl_replay_multi_ok(), all verifying the
 * same way): each event is decoded once and applied to every store in
 * turn, each core call timed on its own, so each run's results are what
 * sl_replay_run() gives it alone.  Memory: the @nr stores at once.
 * Return: 0 with @runs[0..@nr-1] set; -1 with @err filled (and none set).
 */
int sl_replay_multi(const struct replay_cfg *cfgs, unsigned int nr,
		    struct swt_reader *r, json_t **runs, char *err,
		    size_t errlen);

/*
 * sl_swap_target_check() - can --target swap run here: root, a swap
 * device on, cgroup v2, zswap's pool limit sane (and zswap built in and
 * enabled if @want_zswap).  Return: 0, or 2 after one error line.
 */
int sl_swap_target_check(bool want_zswap);

#endif /* SL_ENGINE_H */
