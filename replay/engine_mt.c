/*
 * engine_mt.c - replay with N threads over one shared store.
 *
 * The kernel swaps out on every CPU at once, so the store must be measured
 * that way too.  Events are replayed in batches: the main thread decodes a
 * batch, copying each stored page and each expected page into it, then
 * all workers replay it concurrently.  Each slot's operations keep their
 * trace order, so every load can still be verified:
 *  - split by cpu (the trace's cpu field): one stream per worker; an op
 *    on a slot whose last op in the batch is another stream's waits for
 *    that stream to get past it.  Such waits point back in the trace, so
 *    the earliest unfinished op never waits: no deadlock.  Where streams
 *    share slots often this overlaps them where a cut at each shared slot
 *    left them nearly serial (2 streams over 2048 slots: 1.5-2x); on the
 *    recorded traces waits are rare and the split is only as even as the
 *    trace's cpus are (python-json: 75% of events on cpu0);
 *  - split by slot (the default without cpu fields): the batch's ops are
 *    chained per group of 16 slots (whole cache lines of the slot table)
 *    and workers take groups as they finish the last, so none waits for
 *    another with a larger share: swap allocates slots in runs, and a
 *    fixed split would hand whole runs to one worker.
 * A batch also ends at every timeline sample, compaction and maintenance
 * point, which run between batches; it is small enough (4 MiB of pages)
 * to stay in cache between the main thread and the workers.  Throughput
 * is the wall time of the parallel phases, decoding and waking the
 * workers excluded.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"

#define BATCH_OPS	1024
#define NO_PAGE		UINT32_MAX
#define NO_OP		UINT32_MAX
#define GROUP_SHIFT	4		/* 16 slots a group */

struct mt_op {
	uint8_t op;
	uint16_t wait_w;	/* by cpu: run once worker wait_w has */
	uint32_t wait_n;	/* done wait_n ops of the batch (0: at once) */
	uint32_t index;
	uint32_t page;		/* STORE: content; LOAD: expected */
	uint32_t next;		/* by slot: the group's next op, NO_OP */
};

/* by slot: a group's ops in this batch; head NO_OP: none */
struct chain {
	uint32_t head, tail;
};

/* by cpu: a slot's last op so far: its batch, its place in stream @w */
struct slot_last {
	uint32_t batch;		/* 0: none yet */
	uint32_t pos;
	uint32_t w;
};

/* by cpu: ops each worker has done in this batch, a cache line apiece */
struct done_count {
	unsigned int n;
} __attribute__((aligned(64)));

struct worker {
	pthread_t th;
	struct mt *mt;
	struct sl_store_ctx ctx;
	struct stream_stats ss;
	uint8_t *out;
	struct mt_op *ops;
	unsigned int nops;
	uint64_t t_start, t_end;	/* this batch's run_ops() */
};

struct mt {
	const struct replay_cfg *cfg;
	struct run_state *s;
	unsigned int gen;	/* bumped to start a batch, or to quit */
	unsigned int running;	/* helpers still in the batch */
	pthread_mutex_t lock;	/* helpers that stopped spinning sleep */
	pthread_cond_t wake;
	unsigned int sleepers;
	bool spin;		/* helpers spin before they sleep */
	bool quit;
	uint8_t *pages;		/* BATCH_OPS pages */
	/* by hash: what a LOAD's page should hash to, in place of a page */
	struct expect_hash *want;
	unsigned int npages;
	struct worker *w;
	struct done_count *done;
	unsigned int nw;
	/* split by slot: the batch's ops, chained per group */
	struct mt_op *ops;
	unsigned int nops;
	struct slotmap chains;	/* per group: struct chain */
	uint32_t *groups;	/* groups touched, in trace order */
	unsigned int ngroups;
	unsigned int next_group;	/* the next one a worker takes */
};

static struct chain *chain_of(struct mt *mt, uint32_t g)
{
	return slotmap_find(&mt->chains, g);
}

static void run_op(struct worker *w, const struct mt_op *o)
{
	struct sl_store *store = w->mt->s->store;
	const uint8_t *pg = o->page == NO_PAGE ? NULL :
			    w->mt->pages + (size_t)o->page * 4096;
	struct sl_op_info info;
	struct expect_hash h;
	uint64_t t0, t1;
	bool same = false;
	int ret;

	switch (o->op) {
	case SWT_STORE:
		sl_page_reserve(SL_PAGE_LOW);
		t0 = sl_now_ns();
		ret = sl_store_write(store, &w->ctx, o->index, pg, &info);
		t1 = sl_now_ns();
		note_store(w->mt->cfg, &w->ss, ret, &info, t0, t1);
		break;
	case SWT_LOAD:
		t0 = sl_now_ns();
		ret = sl_store_read(store, &w->ctx, o->index, w->out, &info);
		t1 = sl_now_ns();
		if (pg && w->mt->want) {
			h = expect_page_hash(w->out);
			same = !memcmp(&h, &w->mt->want[o->page], sizeof(h));
		} else if (pg) {
			same = !memcmp(pg, w->out, 4096);
		}
		note_load(&w->ss, ret, &info, t0, t1, !!pg, same);
		break;
	case SWT_FREE:
		sl_store_free(store, o->index, NULL);
		w->ss.frees++;
		break;
	}
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* by cpu: wait until worker @wi has done @n ops of this batch */
static void wait_done(struct mt *mt, unsigned int wi, unsigned int n)
{
	while (__atomic_load_n(&mt->done[wi].n, __ATOMIC_ACQUIRE) < n) {
		cpu_relax();
		/* more threads than CPUs: the one waited for may need ours */
		if (!mt->spin)
			sched_yield();
	}
}

static void run_ops(struct worker *w)
{
	struct mt *mt = w->mt;
	unsigned int i, g, me = w - mt->w;
	uint32_t k;

	if (!mt->ops) {
		for (i = 0; i < w->nops; i++) {
			if (w->ops[i].wait_n)
				wait_done(mt, w->ops[i].wait_w,
					  w->ops[i].wait_n);
			run_op(w, &w->ops[i]);
			__atomic_store_n(&mt->done[me].n, i + 1,
					 __ATOMIC_RELEASE);
		}
		return;
	}
	while ((g = __atomic_fetch_add(&mt->next_group, 1,
				       __ATOMIC_RELAXED)) < mt->ngroups)
		for (k = chain_of(mt, mt->groups[g])->head; k != NO_OP;
		     k = mt->ops[k].next)
			run_op(w, &mt->ops[k]);
}

/*
 * The main thread is worker 0 and helper threads are the others.  Between
 * batches the helpers spin for a while before they sleep: a sleeping
 * thread's vCPU may halt, and waking it again took milliseconds on these
 * virtual machines, each batch, while one worker ran alone.  With more
 * threads than CPUs they sleep at once: a spinner would take the CPU the
 * main thread needs to decode the next batch.
 */
#define SPIN_NS		(20 * 1000 * 1000)

/* wait until mt->gen moves past @seen; return its new value */
static unsigned int wait_gen(struct mt *mt, unsigned int seen)
{
	uint64_t t0 = sl_now_ns();
	unsigned int g, spins = 0;

	while ((g = __atomic_load_n(&mt->gen, __ATOMIC_ACQUIRE)) == seen) {
		cpu_relax();
		if (mt->spin && (++spins % 1024 || sl_now_ns() - t0 < SPIN_NS))
			continue;
		pthread_mutex_lock(&mt->lock);
		mt->sleepers++;
		while (__atomic_load_n(&mt->gen, __ATOMIC_ACQUIRE) == seen)
			pthread_cond_wait(&mt->wake, &mt->lock);
		mt->sleepers--;
		pthread_mutex_unlock(&mt->lock);
	}
	return g;
}

/* start the helpers on the batch built so far, or tell them to quit */
static void kick(struct mt *mt)
{
	__atomic_store_n(&mt->running, mt->nw - 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&mt->lock);
	__atomic_add_fetch(&mt->gen, 1, __ATOMIC_RELEASE);
	if (mt->sleepers)
		pthread_cond_broadcast(&mt->wake);
	pthread_mutex_unlock(&mt->lock);
}

static void run_timed(struct worker *w)
{
	w->t_start = sl_now_ns();
	run_ops(w);
	w->t_end = sl_now_ns();
}

static void *helper_main(void *arg)
{
	struct worker *w = arg;
	struct mt *mt = w->mt;
	unsigned int seen = 0;

	for (;;) {
		seen = wait_gen(mt, seen);
		if (READ_ONCE(mt->quit))
			break;
		run_timed(w);
		__atomic_sub_fetch(&mt->running, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * replay the batch built so far on every worker at once; its time runs
 * from the first worker starting to the last one finishing
 */
static void flush(struct mt *mt)
{
	uint64_t first = UINT64_MAX, last = 0;
	unsigned int i;

	kick(mt);
	run_timed(&mt->w[0]);
	while (__atomic_load_n(&mt->running, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (i = 0; i < mt->nw; i++) {
		first = min(first, mt->w[i].t_start);
		last = max(last, mt->w[i].t_end);
	}
	mt->s->wall_ns += last - first;
	for (i = 0; i < mt->nw; i++) {
		mt->w[i].nops = 0;
		mt->done[i].n = 0;
	}
	mt->npages = 0;
	mt->nops = 0;
	for (i = 0; i < mt->ngroups; i++)
		chain_of(mt, mt->groups[i])->head = NO_OP;
	mt->ngroups = 0;
	mt->next_group = 0;
}

/* the op slot for @ev: in its stream (by cpu) or its group's chain */
static struct mt_op *new_op(struct mt *mt, unsigned int t,
			    const struct swt_event *ev)
{
	struct mt_op *o;
	uint32_t g = ev->index >> GROUP_SHIFT, k;
	struct chain *c;

	if (!mt->ops) {
		o = &mt->w[t].ops[mt->w[t].nops++];
	} else {
		c = slotmap_get(&mt->chains, g);
		if (!c)
			return NULL;
		k = mt->nops++;
		o = &mt->ops[k];
		if (c->head == NO_OP) {
			mt->groups[mt->ngroups++] = g;
			c->head = k;
		} else {
			mt->ops[c->tail].next = k;
		}
		c->tail = k;
	}
	o->op = ev->op;
	o->wait_w = 0;
	o->wait_n = 0;
	o->index = ev->index;
	o->page = NO_PAGE;
	o->next = NO_OP;
	return o;
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
	struct slotmap last = { 0 };
	uint32_t batch = 1;
	struct swt_event ev;
	uint64_t n = 0;
	int ret = -1;

	if (!mt->ops && slotmap_init(&last, cfg->nr_slots,
				     sizeof(struct slot_last), 0)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while ((ret = swt_next(r, &ev)) == 1) {
		struct mt_op *o;
		unsigned int t;
		const void *want;

		n++;
		if (ev.op == SWT_MARK)
			goto between;
		t = !mt->ops && ev.cpu >= 0 ? (uint32_t)ev.cpu % mt->nw : 0;
		/* room for one more page and one more op */
		if (mt->npages == BATCH_OPS ||
		    (mt->ops ? mt->nops : mt->w[t].nops) == BATCH_OPS) {
			flush(mt);
			batch++;
		}
		o = new_op(mt, t, &ev);
		if (!o) {
			snprintf(err, errlen, "out of memory for the ops of slot %u",
				 ev.index);
			ret = -1;
			goto out;
		}
		if (!mt->ops) {
			struct slot_last *l = slotmap_get(&last, ev.index);

			if (!l) {
				snprintf(err, errlen, "out of memory for the ops of slot %u",
					 ev.index);
				ret = -1;
				goto out;
			}

			/* by cpu: after the slot's last op in another stream */
			if (l->batch == batch && l->w != t) {
				o->wait_w = l->w;
				o->wait_n = l->pos + 1;
			}
			*l = (struct slot_last){ batch, mt->w[t].nops - 1, t };
		}
		if (ev.op == SWT_STORE) {
			o->page = mt->npages++;
			memcpy(mt->pages + (size_t)o->page * 4096, ev.page,
			       4096);
			if (expect_set(&s->expected, ev.index, ev.page_id,
				       ev.page)) {
				snprintf(err, errlen, "out of memory for the expected page of slot %u",
					 ev.index);
				ret = -1;
				goto out;
			}
		} else if (ev.op == SWT_LOAD &&
			   expect_has(&s->expected, ev.index)) {
			o->page = mt->npages++;
			if (mt->want) {
				mt->want[o->page] = expect_hash_of(&s->expected,
								   ev.index);
				goto between;
			}
			want = swt_page(r, *(uint64_t *)slotmap_find(
					&s->expected.m, ev.index) - 1);
			if (!want) {
				snprintf(err, errlen, "%s", swt_reader_error(r));
				ret = -1;
				goto out;
			}
			memcpy(mt->pages + (size_t)o->page * 4096, want, 4096);
		} else if (ev.op == SWT_FREE) {
			expect_clear(&s->expected, ev.index);
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
	slotmap_free(&last);
	return ret < 0 ? -1 : 0;
}

int replay_events_mt(const struct replay_cfg *cfg, struct swt_reader *r,
		     struct run_state *s, char *err, size_t errlen)
{
	struct mt mt = { .cfg = cfg, .s = s, .nw = cfg->threads };
	unsigned int i, started = 0;
	int ret = -1;

	bool by_cpu = (swt_reader_header(r)->flags & SWT_F_HAS_CPU) &&
		      !cfg->split_by_slot;
	uint64_t ngroups = (cfg->nr_slots >> GROUP_SHIFT) + 1;

	mt.w = calloc(mt.nw, sizeof(*mt.w));
	mt.done = aligned_alloc(64, mt.nw * sizeof(*mt.done));
	mt.pages = aligned_alloc(4096, (size_t)BATCH_OPS * 4096);
	if (s->expected.by_hash)
		mt.want = calloc(BATCH_OPS, sizeof(*mt.want));
	if (!by_cpu) {
		mt.ops = calloc(BATCH_OPS, sizeof(*mt.ops));
		mt.groups = calloc(BATCH_OPS, sizeof(*mt.groups));
		/* 0xff: every head NO_OP */
		if (slotmap_init(&mt.chains, ngroups, sizeof(struct chain),
				 0xff)) {
			free(mt.groups);
			mt.groups = NULL;	/* reported below */
		}
	}
	if (mt.done)
		memset(mt.done, 0, mt.nw * sizeof(*mt.done));
	if (!mt.w || !mt.done || !mt.pages ||
	    (s->expected.by_hash && !mt.want) ||
	    (!by_cpu && (!mt.ops || !mt.groups))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < mt.nw; i++) {
		mt.w[i].mt = &mt;
		stream_stats_init(&mt.w[i].ss);
		/* by cpu, each stream's ops; by slot, mt.ops has them all */
		if (by_cpu)
			mt.w[i].ops = calloc(BATCH_OPS, sizeof(struct mt_op));
		mt.w[i].out = aligned_alloc(4096, 4096);
		if ((by_cpu && !mt.w[i].ops) || !mt.w[i].out ||
		    sl_store_ctx_create(s->store, &mt.w[i].ctx)) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	mt.spin = mt.nw <= sysconf(_SC_NPROCESSORS_ONLN);
	pthread_mutex_init(&mt.lock, NULL);
	pthread_cond_init(&mt.wake, NULL);
	for (i = 1; i < mt.nw; i++) {
		ret = pthread_create(&mt.w[i].th, NULL, helper_main, &mt.w[i]);
		if (ret) {
			snprintf(err, errlen, "cannot start thread %u: %s", i,
				 strerror(ret));
			break;
		}
		started++;
	}
	ret = -1;
	if (started == mt.nw - 1)
		ret = run_batches(&mt, r, err, errlen);
	WRITE_ONCE(mt.quit, true);
	kick(&mt);
	for (i = 1; i <= started; i++)
		pthread_join(mt.w[i].th, NULL);
	pthread_mutex_destroy(&mt.lock);
	pthread_cond_destroy(&mt.wake);
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
	free(mt.done);
	free(mt.pages);
	free(mt.want);
	free(mt.ops);
	slotmap_free(&mt.chains);
	free(mt.groups);
	return ret;
}
