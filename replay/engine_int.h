/*
 * engine_int.h - what the model backend's loops share (engine.c: one
 * stream and passes shared by runs; engine_jobs.c: those passes on
 * threads; engine_mt.c: --threads): the state of one run and the steps
 * around the core calls.
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
#include "run_acct.h"

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

/* after op @n: timeline sample, compaction, writeback and recompression */
void between_ops(const struct replay_cfg *cfg, struct run_state *s,
		 uint64_t n, uint64_t ts, bool freed);


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
