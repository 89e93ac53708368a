/*
 * engine_int.h - what the single- and multi-threaded replay loops share:
 * the state of one run and the steps around the core calls.
 */
#ifndef SL_ENGINE_INT_H
#define SL_ENGINE_INT_H

#include <jansson.h>

#include "core/sl_store.h"
#include "engine.h"
#include "slotmap.h"
#include "expect.h"
#include "frontend.h"
#include "hist.h"

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

struct run_state {
	struct sl_store_cfg sc;	/* owns the codec parameters */
	struct sl_store *store;
	struct sl_store_ctx ctx;
	struct expect expected;	/* what each slot should read back as */
	uint8_t *page;
	struct stream_stats ss;
	uint64_t final_checked, compactions, maintenance_runs;
	uint64_t wall_ns;	/* multi-threaded: wall time of the ops */
	/*
	 * --jobs: the pool and pages stored after the run's last batch, for
	 * the --max-memory error on the decoding thread (atomic)
	 */
	uint64_t snap_pool, snap_pages;
	unsigned int threads_used;
	json_t *timeline;
	int backing_fd;
	uint64_t now;		/* the store's access clock */
	uint64_t next_maint;
	/* the state just after the op that last raised mem_used_max */
	struct sl_store_stats peak;
	uint64_t peak_op, peak_seen, ops_done;
	/* trace time (ns) of the peak and the last op; start_ns: the header's */
	uint64_t peak_ts, end_ts, start_ns;
};

/* a moment's state: the store's figures and the ratios derived from them */
json_t *moment_json(const struct sl_store_stats *st, uint64_t op,
		    uint64_t ops, double t_s);

/*
 * what a run was made from, so that merge can refuse to mix runs of
 * different traces or builds: the trace's content hash (null when the
 * file cannot be read again), the version and the host
 */
void add_provenance(json_t *run, const struct replay_cfg *cfg);

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

/* after op @n: timeline sample, compaction, writeback and recompression */
void between_ops(const struct replay_cfg *cfg, struct run_state *s,
		 uint64_t n, uint64_t ts, bool freed);

json_t *hist_json(const struct sl_hist *h);

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

/* the kernel tree the run's codec came from, or "library" */
const char *codec_source(const char *spec);

/* Return: 0 or -1 with @err filled */
int sl_replay_target(const struct replay_cfg *cfg, struct swt_reader *r,
		     json_t **run, char *err, size_t errlen);

/* --target swap (target_swap.c): the kernel's swap path; Return: 0/-1 */
int sl_replay_swap(const struct replay_cfg *cfg, struct swt_reader *r,
		   json_t **run, char *err, size_t errlen);

/* the zswap front end (engine_zswap.c); Return: 0 or -1, @err filled */
int sl_replay_zswap(const struct replay_cfg *cfg, struct swt_reader *r,
		    json_t **run, char *err, size_t errlen);

/*
 * apply event @ev, op @n of the trace, to run @s; @h: by hash, the
 * STORE's content hash if already computed (else NULL); @r is used only
 * by bytes.  Return: 0, or -1 with @err filled
 */
int apply_event(const struct replay_cfg *cfg, struct swt_reader *r,
		struct run_state *s, const struct swt_event *ev, uint64_t n,
		const struct expect_hash *h, char *err, size_t errlen);
/* after the last event @n (at @ts): the timeline's last point */
void last_point(const struct replay_cfg *cfg, struct run_state *s,
		uint64_t n, uint64_t ts);

/*
 * engine_jobs.c: the @nr runs of @s (by hash) on @cfg[0].jobs threads,
 * the events decoded once by the calling thread (which replays them
 * itself with one job).  Return: 0 or -1
 */
/* what the runs of a pass hold, for swt_memory_explain() under --jobs */
struct pass_explain {
	struct run_state **s;
	unsigned int nr;
};
const char *explain_pass(void *arg);

int replay_events_jobs(const struct replay_cfg *cfg, struct swt_reader *r,
		       struct run_state **s, unsigned int nr, char *err,
		       size_t errlen);

/* Return: 0 or -1 with @err filled */
int replay_events_mt(const struct replay_cfg *cfg, struct swt_reader *r,
		     struct run_state *s, char *err, size_t errlen);

#endif /* SL_ENGINE_INT_H */
