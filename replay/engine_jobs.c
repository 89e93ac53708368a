/*
 * engine_jobs.c - the runs of one pass side by side on several threads.
 *
 * The calling thread decodes the trace into batches of events (each
 * STORE's page copied and hashed once) and posts them into a ring of
 * JOB_RING batches; the workers apply them.  A run takes the batches in
 * order, on one thread at a time: a worker picks the run that is most
 * behind among those not held by another worker and with a batch posted,
 * applies that batch to it, and picks again.  So a slow codec keeps one
 * worker while the others share the rest, and the decoder may run up to
 * JOB_RING - 1 batches ahead of the slowest run: a chunk that is slow to
 * decode, or a batch that is slow to compress, does not leave the other
 * side idle as a strict hand-over of one batch at a time does (measured
 * at 500,000 stores: each thread waited for the other a quarter of the
 * time).
 *
 * With --jobs 1 the calling thread replays each batch itself, one run
 * after the other: a run's ops then follow each other as they do alone,
 * not interleaved with the other runs' (whose codecs would take the
 * caches between them: p50s moved 2-6% event by event).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* events a batch, and STOREs: 512 KiB of pages at most */
#define JOB_BATCH	256
#define JOB_PAGES	128
/* batches in the ring */
#define JOB_RING	8
/*
 * --jobs 1: one batch of as many pages as the ring holds (4 MiB).  Each
 * run of a pass takes the whole batch before the next, and with batches
 * of 128 pages a run's codec found its tables evicted by the six others
 * every 128 pages: in the quiet rounds of a 20,000-store test (pass and
 * alone run back to back), the p50s of lzo-rle, lz4, lz4hc and zstd in a
 * pass were 1-7% above their p50 alone, and -1% to +2% with 1,024 pages
 * a batch (16 pages: 6-14% above).
 */
#define ALONE_BATCH	(JOB_RING * JOB_BATCH)
#define ALONE_PAGES	(JOB_RING * JOB_PAGES)

struct job_ev {
	uint8_t op;
	uint32_t index;
	uint64_t page_id, ts_ns, n;
	struct expect_hash h;
};

struct job_batch {
	struct job_ev *ev;	/* max_ev of them */
	uint8_t *pages;		/* max_pages pages, by the STOREs in order */
	unsigned int nev;
};

struct jobs;

struct job_worker {
	pthread_t th;
	struct jobs *j;
	char err[512];
};

struct jobs {
	const struct replay_cfg *cfg;
	struct swt_reader *r;
	struct run_state **s;
	unsigned int nr, nw;
	unsigned int max_ev, max_pages;	/* a batch's */
	struct job_batch b[JOB_RING];	/* batch number i is b[i % JOB_RING] */
	pthread_mutex_t lock;
	pthread_cond_t work;	/* a batch was posted or a run let go */
	pthread_cond_t room;	/* a run finished a batch */
	uint64_t posted;	/* batches posted so far */
	uint64_t *next;		/* by run: the next batch it applies */
	bool *held;		/* by run: a worker applies a batch to it */
	unsigned int idle;	/* workers waiting for work */
	bool decoder_waits;
	bool quit;
	/* the pager: faults in the stores' next pages on idle time */
	pthread_t pager;
	bool pager_on;
	long pager_want;	/* pages to have in reserve; 0: asked for none */
	pthread_cond_t pager_cv;
	int failed;		/* 1 + the worker whose run failed, or 0 */
	struct job_worker *w;
};

/* apply batch @b to run @k; 0, or -1 with w->err filled */
static int run_batch(struct job_worker *w, unsigned int k,
		     const struct job_batch *b)
{
	struct jobs *j = w->j;
	struct swt_event ev;
	unsigned int i, pg;

	memset(&ev, 0, offsetof(struct swt_event, mark));
	ev.cpu = -1;
	ev.pid = -1;
	for (i = 0, pg = 0; i < b->nev; i++) {
		const struct job_ev *e = &b->ev[i];

		ev.op = e->op;
		ev.index = e->index;
		ev.page_id = e->page_id;
		ev.ts_ns = e->ts_ns;
		ev.page = NULL;
		if (e->op == SWT_STORE)
			ev.page = b->pages + (size_t)pg++ * 4096;
		if (apply_event(&j->cfg[k], j->r, j->s[k], &ev, e->n,
				e->op == SWT_STORE ? &e->h : NULL, w->err,
				sizeof(w->err)))
			return -1;
	}
	return 0;
}

/*
 * run @last again while it has a batch posted, else the run most behind
 * among those free with a batch posted, or -1; called with the lock held.
 * Keeping to one run spares its codec the caches the others would take:
 * switching at every batch of 128 pages put the fast codecs' p50s in a
 * pass 4-6% above their p50 alone (see ALONE_PAGES).
 */
static int pick_run(const struct jobs *j, int last)
{
	unsigned int k;
	int best = -1;

	if (last >= 0 && !j->held[last] && j->next[last] < j->posted)
		return last;

	for (k = 0; k < j->nr; k++)
		if (!j->held[k] && j->next[k] < j->posted &&
		    (best < 0 || j->next[k] < j->next[best]))
			best = k;
	return best;
}

/* the batch every run is done with comes before this one; lock held */
static uint64_t min_next(const struct jobs *j)
{
	uint64_t m = UINT64_MAX;
	unsigned int k;

	for (k = 0; k < j->nr; k++)
		m = j->next[k] < m ? j->next[k] : m;
	return m;
}

/* what run @s holds now, for the decoding thread's --max-memory error */
static void publish(struct run_state *s)
{
	struct sl_store_stats st;

	sl_store_stats(s->store, &st);
	__atomic_store_n(&s->snap_pool, st.mem_used_total, __ATOMIC_RELAXED);
	__atomic_store_n(&s->snap_pages, st.pages_stored, __ATOMIC_RELAXED);
}

static void *worker_main(void *arg)
{
	struct job_worker *w = arg;
	struct jobs *j = w->j;
	uint64_t seq;
	int k = -1, rc;

	pthread_mutex_lock(&j->lock);
	while (!j->failed) {
		k = pick_run(j, k);
		if (k < 0) {
			if (j->quit)
				break;
			j->idle++;
			pthread_cond_wait(&j->work, &j->lock);
			j->idle--;
			continue;
		}
		j->held[k] = true;
		seq = j->next[k];
		pthread_mutex_unlock(&j->lock);
		rc = run_batch(w, k, &j->b[seq % JOB_RING]);
		publish(j->s[k]);
		pthread_mutex_lock(&j->lock);
		j->held[k] = false;
		j->next[k]++;
		if (rc && !j->failed)
			j->failed = 1 + (int)(w - j->w);
		/* another worker may take this run on; the decoder a slot */
		if (j->idle && (rc || j->next[k] < j->posted))
			pthread_cond_broadcast(&j->work);
		if (j->decoder_waits)
			pthread_cond_signal(&j->room);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/*
 * The stores' memory is faulted in ahead of their timed calls
 * (sl_page_reserve()), and on these hosts, which take free huge pages
 * back, a fresh 2 MiB block costs ~6 ms: 1.9 s of cpu over a 1M-store lz4
 * replay, most of it while the stores grow, when the decoder alone could
 * not keep up.  A worker that faulted whenever it found nothing to apply
 * shared that work, but a block once begun held it for those 6 ms while
 * batches waited (11% of its time went there).  The pager runs at
 * SCHED_IDLE instead: on either cpu when it would be idle, and any other
 * thread that wakes takes the cpu back within a 4 KiB page's clearing.
 * The decoder still makes sure of what the next batch may take, should
 * the pager find no idle time.
 */
static void *pager_main(void *arg)
{
	struct sched_param sp = { 0 };
	struct jobs *j = arg;
	long want;

	/* only a hint: at worst the decoder faults as without a pager */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp);
	pthread_mutex_lock(&j->lock);
	while (!j->quit && !j->failed) {
		want = j->pager_want;
		if (!want) {
			pthread_cond_wait(&j->pager_cv, &j->lock);
			continue;
		}
		j->pager_want = 0;
		pthread_mutex_unlock(&j->lock);
		sl_page_reserve(want);
		pthread_mutex_lock(&j->lock);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* decode the next batch of @j into @b; 1: more to come, 0: the end, -1 */
static int decode_batch(struct jobs *j, struct job_batch *b, uint64_t *n,
			uint64_t *last_ts, unsigned int *npg)
{
	struct swt_event ev;
	int rd = 1;

	b->nev = 0;
	*npg = 0;
	while (b->nev < j->max_ev && *npg < j->max_pages &&
	       (rd = swt_next(j->r, &ev)) == 1) {
		struct job_ev *e = &b->ev[b->nev++];

		e->op = ev.op;
		e->index = ev.index;
		e->page_id = ev.page_id;
		e->ts_ns = ev.ts_ns;
		e->n = ++*n;
		*last_ts = ev.ts_ns;
		if (ev.op == SWT_STORE) {
			memcpy(b->pages + (size_t)(*npg)++ * 4096, ev.page,
			       4096);
			e->h = expect_page_hash(ev.page);
		}
	}
	return rd;
}

/* the calling thread is the only worker: each batch to each run in turn */
static int replay_alone(struct jobs *j, uint64_t *n, uint64_t *last_ts)
{
	struct job_batch *b = &j->b[0];
	unsigned int k, npg;
	int rd;

	do {
		rd = decode_batch(j, b, n, last_ts, &npg);
		for (k = 0; k < j->nr && rd >= 0; k++)
			if (run_batch(&j->w[0], k, b)) {
				j->failed = 1;
				return 0;
			}
	} while (rd == 1);
	return rd;
}

/* decode into the ring for the workers; Return: 0 or -1 (the reader's) */
static int replay_ring(struct jobs *j, uint64_t *n, uint64_t *last_ts)
{
	unsigned int npg;
	uint64_t seq;
	int rd = 1;

	for (seq = 0; rd == 1; seq++) {
		struct job_batch *b = &j->b[seq % JOB_RING];
		bool failed;

		/* batch seq - JOB_RING, in this slot, done by every run */
		pthread_mutex_lock(&j->lock);
		while (!j->failed && min_next(j) + JOB_RING <= seq) {
			j->decoder_waits = true;
			pthread_cond_wait(&j->room, &j->lock);
		}
		j->decoder_waits = false;
		failed = j->failed;
		pthread_mutex_unlock(&j->lock);
		if (failed)
			break;
		rd = decode_batch(j, b, n, last_ts, &npg);
		/*
		 * the pages these stores may take, faulted in here rather
		 * than on a worker: clearing fresh memory costs as much as
		 * lz4 compressing it
		 */
		sl_page_reserve(SL_PAGE_LOW + (long)npg * j->nr);
		if (!b->nev)
			break;
		pthread_mutex_lock(&j->lock);
		j->posted++;
		if (j->idle)
			pthread_cond_broadcast(&j->work);
		/* and twice that ahead, on idle time */
		if (j->pager_on && !j->pager_want) {
			j->pager_want = SL_PAGE_LOW + 2L * j->max_pages * j->nr;
			pthread_cond_signal(&j->pager_cv);
		}
		pthread_mutex_unlock(&j->lock);
	}
	return rd < 0 ? -1 : 0;
}

int replay_events_jobs(const struct replay_cfg *cfg, struct swt_reader *r,
		       struct run_state **s, unsigned int nr, char *err,
		       size_t errlen)
{
	struct jobs j = { .cfg = cfg, .r = r, .s = s, .nr = nr };
	unsigned int i, nb, started = 0;
	uint64_t n = 0, last_ts = 0;
	int ret = -1, rd = 0;

	/*
	 * --jobs 1: no thread, the caller is the worker.  Otherwise at least
	 * one worker, even for a single run, so that decoding overlaps the
	 * replay.
	 */
	j.nw = cfg[0].jobs < nr ? cfg[0].jobs : nr;
	if (cfg[0].jobs < 2)
		j.nw = 0;
	j.w = calloc(j.nw ? j.nw : 1, sizeof(*j.w));
	j.next = calloc(nr, sizeof(*j.next));
	j.held = calloc(nr, sizeof(*j.held));
	/* alone, the calling thread uses one batch, as large as the ring */
	nb = j.nw ? JOB_RING : 1;
	j.max_ev = j.nw ? JOB_BATCH : ALONE_BATCH;
	j.max_pages = j.nw ? JOB_PAGES : ALONE_PAGES;
	for (i = 0; i < nb; i++) {
		j.b[i].ev = calloc(j.max_ev, sizeof(*j.b[i].ev));
		j.b[i].pages = aligned_alloc(4096, (size_t)j.max_pages * 4096);
	}
	for (i = 0; i < nb; i++)
		if (!j.b[i].ev || !j.b[i].pages)
			break;
	if (!j.w || !j.next || !j.held || i < nb) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.work, NULL);
	pthread_cond_init(&j.room, NULL);
	pthread_cond_init(&j.pager_cv, NULL);
	/* without a pager the decoder faults in all: slower, not wrong */
	if (j.nw && !pthread_create(&j.pager, NULL, pager_main, &j)) {
		pthread_setname_np(j.pager, "swaplab-pager");
		j.pager_on = true;
	}
	j.w[0].j = &j;
	for (i = 0; i < j.nw; i++) {
		j.w[i].j = &j;
		if (pthread_create(&j.w[i].th, NULL, worker_main, &j.w[i])) {
			snprintf(err, errlen, "cannot start thread %u", i);
			goto stop;
		}
		/* in top and perf, apart from the decoding thread */
		pthread_setname_np(j.w[i].th, "swaplab-run");
		started++;
	}
	rd = j.nw ? replay_ring(&j, &n, &last_ts) :
		    replay_alone(&j, &n, &last_ts);
stop:
	pthread_mutex_lock(&j.lock);
	j.quit = true;
	pthread_cond_broadcast(&j.work);
	pthread_cond_signal(&j.pager_cv);
	pthread_mutex_unlock(&j.lock);
	for (i = 0; i < started; i++)
		pthread_join(j.w[i].th, NULL);
	if (j.pager_on)
		pthread_join(j.pager, NULL);
	if (started < j.nw) {
		/* the error is set */
	} else if (j.failed) {
		snprintf(err, errlen, "%s", j.w[j.failed - 1].err);
	} else if (rd < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
	} else {
		for (i = 0; i < nr; i++)
			last_point(&cfg[i], s[i], n, last_ts);
		ret = 0;
	}
	pthread_mutex_destroy(&j.lock);
	pthread_cond_destroy(&j.work);
	pthread_cond_destroy(&j.room);
	pthread_cond_destroy(&j.pager_cv);
out:
	free(j.w);
	free(j.next);
	free(j.held);
	for (i = 0; i < JOB_RING; i++) {
		free(j.b[i].ev);
		free(j.b[i].pages);
	}
	return ret;
}
