/*
 * engine_mt.c - replay with N threads over one shared store.
 *
 * The kernel swaps out on every CPU at once, so the store must be measured
 * that way too.  Events are split into streams by the trace's cpu field
 * (by slot when the trace has none) and replayed in batches: the main
 * thread decodes a batch, copying each stored page and each expected page
 * into the batch, then all workers replay their share of it concurrently.
 * A batch ends early when a slot would be touched by two streams, so each
 * slot's operations keep their trace order and every load can still be
 * verified; it also ends at every timeline sample, compaction and
 * maintenance point, which run between batches.  Throughput is the wall
 * time of the parallel phases, decoding excluded.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define BATCH_OPS	4096
#define NO_PAGE		UINT32_MAX

struct mt_op {
	uint8_t op;
	uint32_t index;
	uint32_t page;		/* STORE: content; LOAD: expected */
};

struct worker {
	pthread_t th;
	struct mt *mt;
	struct sl_store_ctx ctx;
	struct stream_stats ss;
	uint8_t *out;
	struct mt_op *ops;
	unsigned int nops;
};

struct mt {
	const struct replay_cfg *cfg;
	struct run_state *s;
	pthread_barrier_t start, end;
	pthread_mutex_t gate_lock;	/* workers wait here until all exist */
	pthread_cond_t gate;
	bool ready;
	bool quit;
	uint8_t *pages;		/* BATCH_OPS pages */
	unsigned int npages;
	struct worker *w;
	unsigned int nw;
};

static void run_ops(struct worker *w)
{
	struct sl_store *store = w->mt->s->store;
	struct sl_op_info info;
	uint64_t t0, t1;
	unsigned int i;
	int ret;

	for (i = 0; i < w->nops; i++) {
		const struct mt_op *o = &w->ops[i];
		const uint8_t *pg = o->page == NO_PAGE ? NULL :
				    w->mt->pages + (size_t)o->page * 4096;

		switch (o->op) {
		case SWT_STORE:
			sl_page_reserve(SL_PAGE_LOW);
			t0 = sl_now_ns();
			ret = sl_store_write(store, &w->ctx, o->index, pg,
					     &info);
			t1 = sl_now_ns();
			note_store(w->mt->cfg, &w->ss, ret, &info, t0, t1);
			break;
		case SWT_LOAD:
			t0 = sl_now_ns();
			ret = sl_store_read(store, &w->ctx, o->index, w->out,
					    &info);
			t1 = sl_now_ns();
			note_load(&w->ss, ret, &info, t0, t1, w->out, pg);
			break;
		case SWT_FREE:
			sl_store_free(store, o->index);
			w->ss.frees++;
			break;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->mt->gate_lock);
	while (!w->mt->ready)
		pthread_cond_wait(&w->mt->gate, &w->mt->gate_lock);
	pthread_mutex_unlock(&w->mt->gate_lock);
	if (w->mt->quit)
		return NULL;
	for (;;) {
		pthread_barrier_wait(&w->mt->start);
		if (w->mt->quit)
			break;
		run_ops(w);
		pthread_barrier_wait(&w->mt->end);
	}
	return NULL;
}

/* replay the batch built so far on every worker at once */
static void flush(struct mt *mt)
{
	uint64_t t0 = sl_now_ns();
	unsigned int i;

	pthread_barrier_wait(&mt->start);
	pthread_barrier_wait(&mt->end);
	mt->s->wall_ns += sl_now_ns() - t0;
	for (i = 0; i < mt->nw; i++)
		mt->w[i].nops = 0;
	mt->npages = 0;
}

/* does op @n (at trace time @ts) need the store to itself afterwards? */
static bool boundary(const struct replay_cfg *cfg, struct run_state *s,
		     uint64_t n, uint64_t ts, int op)
{
	uint64_t clock = cfg->idle_in_ns ? ts : n;

	return n % cfg->timeline_every == 0 ||
	       (cfg->compact == COMPACT_EVERY && n % cfg->compact_every == 0) ||
	       (cfg->compact == COMPACT_ON_FREE && op == SWT_FREE) ||
	       ((cfg->backing_path || cfg->recomp_specs[0]) &&
		clock >= s->next_maint);
}

static int run_batches(struct mt *mt, struct swt_reader *r, char *err,
		       size_t errlen)
{
	const struct replay_cfg *cfg = mt->cfg;
	struct run_state *s = mt->s;
	bool by_cpu = (swt_reader_header(r)->flags & SWT_F_HAS_CPU) &&
		      !cfg->split_by_slot;
	uint32_t *stamp = calloc(cfg->nr_slots, sizeof(*stamp));
	uint8_t *owner = calloc(cfg->nr_slots, 1);
	uint32_t batch = 1;
	struct swt_event ev;
	uint64_t n = 0;
	int ret = -1;

	if (!stamp || !owner) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while ((ret = swt_next(r, &ev)) == 1) {
		struct worker *w;
		struct mt_op *o;
		unsigned int t;
		const void *want;

		n++;
		if (ev.op == SWT_MARK)
			goto between;
		/*
		 * by slot: runs of 64 slots per stream, so that two streams
		 * do not write the same cache lines of the slot table
		 */
		t = (by_cpu && ev.cpu >= 0 ? (uint32_t)ev.cpu :
		     ev.index / 64) % mt->nw;
		if (stamp[ev.index] == batch && owner[ev.index] != t) {
			flush(mt);
			batch++;
		}
		/* room for one more page and one more op in this stream */
		if (mt->npages == BATCH_OPS || mt->w[t].nops == BATCH_OPS) {
			flush(mt);
			batch++;
		}
		stamp[ev.index] = batch;
		owner[ev.index] = t;
		w = &mt->w[t];
		o = &w->ops[w->nops++];
		o->op = ev.op;
		o->index = ev.index;
		o->page = NO_PAGE;
		if (ev.op == SWT_STORE) {
			o->page = mt->npages++;
			memcpy(mt->pages + (size_t)o->page * 4096, ev.page,
			       4096);
			s->expected[ev.index] = ev.page_id + 1;
		} else if (ev.op == SWT_LOAD && s->expected[ev.index]) {
			want = swt_page(r, s->expected[ev.index] - 1);
			if (!want) {
				snprintf(err, errlen, "%s", swt_reader_error(r));
				ret = -1;
				goto out;
			}
			o->page = mt->npages++;
			memcpy(mt->pages + (size_t)o->page * 4096, want, 4096);
		} else if (ev.op == SWT_FREE) {
			s->expected[ev.index] = 0;
		}
between:
		if (boundary(cfg, s, n, ev.ts_ns, ev.op)) {
			flush(mt);
			batch++;
			between_ops(cfg, s, n, ev.ts_ns, ev.op == SWT_FREE);
		}
	}
	flush(mt);
	if (ret < 0)
		snprintf(err, errlen, "%s", swt_reader_error(r));
	if (ret == 0 && n % cfg->timeline_every)
		between_ops(cfg, s, cfg->timeline_every *
			    (n / cfg->timeline_every + 1), ev.ts_ns, false);
out:
	free(stamp);
	free(owner);
	return ret < 0 ? -1 : 0;
}

int replay_events_mt(const struct replay_cfg *cfg, struct swt_reader *r,
		     struct run_state *s, char *err, size_t errlen)
{
	struct mt mt = { .cfg = cfg, .s = s, .nw = cfg->threads };
	unsigned int i, started = 0;
	int ret = -1;

	mt.w = calloc(mt.nw, sizeof(*mt.w));
	mt.pages = aligned_alloc(4096, (size_t)BATCH_OPS * 4096);
	if (!mt.w || !mt.pages) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < mt.nw; i++) {
		mt.w[i].mt = &mt;
		stream_stats_init(&mt.w[i].ss);
		mt.w[i].ops = calloc(BATCH_OPS, sizeof(struct mt_op));
		mt.w[i].out = aligned_alloc(4096, 4096);
		if (!mt.w[i].ops || !mt.w[i].out ||
		    sl_store_ctx_create(s->store, &mt.w[i].ctx)) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	pthread_barrier_init(&mt.start, NULL, mt.nw + 1);
	pthread_barrier_init(&mt.end, NULL, mt.nw + 1);
	pthread_mutex_init(&mt.gate_lock, NULL);
	pthread_cond_init(&mt.gate, NULL);
	for (i = 0; i < mt.nw; i++) {
		ret = pthread_create(&mt.w[i].th, NULL, worker_main, &mt.w[i]);
		if (ret) {
			snprintf(err, errlen, "cannot start thread %u: %s", i,
				 strerror(ret));
			break;
		}
		started++;
	}
	/* open the gate; without every thread, tell those there to quit */
	pthread_mutex_lock(&mt.gate_lock);
	mt.quit = started < mt.nw;
	mt.ready = true;
	pthread_cond_broadcast(&mt.gate);
	pthread_mutex_unlock(&mt.gate_lock);
	ret = -1;
	if (!mt.quit) {
		ret = run_batches(&mt, r, err, errlen);
		mt.quit = true;
		pthread_barrier_wait(&mt.start);
	}
	for (i = 0; i < started; i++)
		pthread_join(mt.w[i].th, NULL);
	pthread_barrier_destroy(&mt.start);
	pthread_barrier_destroy(&mt.end);
	pthread_mutex_destroy(&mt.gate_lock);
	pthread_cond_destroy(&mt.gate);
	for (i = 0; i < mt.nw; i++)
		stream_stats_merge(&s->ss, &mt.w[i].ss);
	s->threads_used = mt.nw;
out:
	for (i = 0; mt.w && i < mt.nw; i++) {
		if (mt.w[i].ctx.buf)
			sl_store_ctx_destroy(s->store, &mt.w[i].ctx);
		free(mt.w[i].ops);
		free(mt.w[i].out);
	}
	free(mt.w);
	free(mt.pages);
	return ret;
}
