/*
 * run_acct.h - a run's accounting and its results object, for every
 * backend (backend.h): what one stream of ops counts, latency histograms,
 * the read-back of live slots at the end, and the one writer of a run's
 * results object (run_result_json()), so that every backend's runs carry
 * the same fields under the same names (docs/results-format.md).
 */
#ifndef SL_RUN_ACCT_H
#define SL_RUN_ACCT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/sl_store.h"
#include "engine.h"
#include "expect.h"
#include "hist.h"
#include "slotmap.h"

enum { H_COMPRESS, H_DECOMPRESS, H_STORE, H_LOAD, H_NR };

/* compressed-size histogram in 64-byte bins, for plots */
#define SIZE_BINS	(4096 / 64 + 1)

/* figures one stream (thread) collects; merged at the end */
struct stream_stats {
	struct sl_hist hist[H_NR];
	uint64_t size_bins[SIZE_BINS];
	uint64_t stores, loads, frees, loads_empty, verify_failures;
	uint64_t failed_stores, dedup_hits, wb_stores, wb_loads;
	uint64_t cum_orig, cum_compr;	/* over every store, frees ignored */
};

void stream_stats_init(struct stream_stats *ss);
void stream_stats_merge(struct stream_stats *dst,
			const struct stream_stats *src);

/* account a STORE's outcome (@ret, @info) timed t0..t1 */
void note_store(const struct replay_cfg *cfg, struct stream_stats *ss,
		int ret, const struct sl_op_info *info, uint64_t t0,
		uint64_t t1);
/*
 * account a LOAD that returned @ret: @want, the slot should hold a page
 * (else be empty); @same, what was read matches it
 */
void note_load(struct stream_stats *ss, int ret,
	       const struct sl_op_info *info, uint64_t t0, uint64_t t1,
	       bool want, bool same);

/* count, mean, min, p50..p999, max of @h */
json_t *hist_json(const struct sl_hist *h);
/* the CDF as [[upper bound ns, cumulative fraction], ...] for plots */
json_t *hist_cdf(const struct sl_hist *h);
/* "latency_ns" of @ss: each op's hist_json() under its name */
json_t *stream_latency_json(const struct stream_stats *ss);

/* a moment's state: the store's figures and the ratios derived from them */
json_t *moment_json(const struct sl_store_stats *st, uint64_t op,
		    uint64_t ops, double t_s);

/* the kernel tree the run's codec came from, or "library" */
const char *codec_source(const char *spec);

/*
 * verify_live() - read back every slot that @expected (u64 page id + 1)
 * holds a page for, as each engine does at the end of a run: @read fills
 * @page and says 0 (compare it with the trace's page), 1 (nothing to
 * check there) or < 0 (a failure); @checked and @failures count.
 * Return: 0, or -1 with @err filled when the trace cannot give a page.
 */
int verify_live(const struct replay_cfg *cfg, struct swt_reader *r,
		const struct slotmap *expected,
		int (*read)(void *priv, uint64_t slot, void *page),
		void *priv, void *page, uint64_t *checked,
		uint64_t *failures, char *err, size_t errlen);
/* verify_live() against @x, by hash or by bytes as @x was made */
int expect_verify_live(const struct replay_cfg *cfg, struct swt_reader *r,
		       const struct expect *x,
		       int (*read)(void *priv, uint64_t slot, void *page),
		       void *priv, void *page, uint64_t *checked,
		       uint64_t *failures, char *err, size_t errlen);

/* which of zram's counters a run's end state has (struct run_result) */
enum run_counters {
	RC_STATE,	/* the store's state: pages, sizes, same, huge */
	RC_ZRAM,	/* and the rest of mm_stat and io_stat */
	RC_ZRAM_BD,	/* and bd_stat: a model with a backing file */
};

/*
 * struct run_result - what a backend says of a run; run_result_json()
 * writes it.  Strings are borrowed; json_t pointers are stolen (NULL:
 * the run has none), except @timeline (borrowed).
 */
struct run_result {
	/* what ran: NULL takes cfg's codec and allocator */
	const char *codec, *alloc;
	/*
	 * the kernel the figures are true to: a model's ("kernel"; NULL: the
	 * codecs'), or with @target the running one ("kernel_release", and
	 * no "kernel": such a run pairs with a model run of any kernel)
	 */
	const char *kernel;
	const char *codec_source;	/* NULL: codec_source(codec) */
	const char *frontend;		/* zram, zswap, zram-chunk, kernel; NULL */
	const char *target;		/* NULL: a model; /dev/..., swap */
	const char *verify;		/* how loads were checked: hash, bytes */
	int zram_offers_codec;		/* 0/1, or -1: not said */
	json_t *settings;
	/* the state at the end; NULL: the backend reads none (swap) */
	const struct sl_store_stats *end;
	enum run_counters counters;
	bool no_fragmentation;		/* a store without one pool */
	double ratio_cumulative;	/* < 0: not known */
	json_t *at_peak, *at_end;
	uint64_t verify_failures;
	json_t *ops;
	json_t *throughput, *latency_ns, *latency_cdf, *size_hist;
	json_t *timeline;
	/* the backend's own fields, added after the common ones */
	json_t *extra;
};

/**
 * run_result_json() - the results object of a run of @cfg over the trace
 * of @hdr, from @rr: identity and provenance (trace_hash, version, host),
 * the end state and its ratios, the moments, verify_failures, ops,
 * timings, @rr->extra's fields and last the timeline, in that order.
 * Every json_t of @rr is consumed, also on failure.
 * Return: the object, or NULL when out of memory.
 */
json_t *run_result_json(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct run_result *rr);

#endif /* SL_RUN_ACCT_H */
