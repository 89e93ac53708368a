/*
 * engine_jobs.c - the runs of one pass side by side on several threads.
 *
 * The calling thread decodes the trace into batches of events (each
 * STORE's page copied and hashed once) while the workers replay the
 * batch before: each worker takes the next run of the pass not yet
 * taken for this batch and applies every event of the batch to it, so
 * a store is touched by one thread at a time (the batches are ordered by
 * the lock) and a slow codec keeps one worker while the others share the
 * rest.  Two batches alternate, so decoding overlaps the replay.
 *
 * With one job the calling thread replays each batch itself, one run
 * after the other: a run's ops then follow each other as they do alone,
 * not interleaved with the other runs' (whose codecs would take the
 * caches between them: p50s moved 2-6% event by event).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* events a batch: 1 MiB of pages at most, two batches in flight */
#define JOB_BATCH	256

struct job_ev {
	uint8_t op;
	uint32_t index;
	uint64_t page_id, ts_ns, n;
	struct expect_hash h;
};

struct job_batch {
	struct job_ev ev[JOB_BATCH];
	uint8_t *pages;		/* JOB_BATCH pages, by the STOREs in order */
	unsigned int nev;
};

struct jobs;

struct job_worker {
	pthread_t th;
	struct jobs *j;
	unsigned int id;
	int failed;
	char err[512];
};

struct jobs {
	const struct replay_cfg *cfg;
	struct swt_reader *r;
	struct run_state **s;
	unsigned int nr, nw;
	struct job_batch b[2];
	pthread_mutex_t lock;
	pthread_cond_t cv;
	uint64_t posted;	/* batches handed out so far */
	unsigned int next_run;	/* the next run a worker takes */
	unsigned int done;	/* workers done with the last one posted */
	bool quit;
	struct job_worker *w;
};

static void run_batch(struct job_worker *w, const struct job_batch *b)
{
	struct jobs *j = w->j;
	struct swt_event ev;
	unsigned int i, k, pg;

	memset(&ev, 0, offsetof(struct swt_event, mark));
	ev.cpu = -1;
	ev.pid = -1;
	while (!w->failed && (k = __atomic_fetch_add(&j->next_run, 1,
						      __ATOMIC_RELAXED)) < j->nr)
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
					e->op == SWT_STORE ? &e->h : NULL,
					w->err, sizeof(w->err))) {
				w->failed = 1;
				break;
			}
		}
}

static void *worker_main(void *arg)
{
	struct job_worker *w = arg;
	struct jobs *j = w->j;
	uint64_t seen = 0;

	for (;;) {
		pthread_mutex_lock(&j->lock);
		while (j->posted == seen && !j->quit)
			pthread_cond_wait(&j->cv, &j->lock);
		if (j->posted == seen) {
			pthread_mutex_unlock(&j->lock);
			return NULL;
		}
		seen = j->posted;
		pthread_mutex_unlock(&j->lock);
		run_batch(w, &j->b[(seen - 1) & 1]);
		pthread_mutex_lock(&j->lock);
		j->done++;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->lock);
	}
}

/* wait for the workers to finish the batch posted last */
static void wait_done(struct jobs *j)
{
	pthread_mutex_lock(&j->lock);
	while (j->posted && j->done < j->nw)
		pthread_cond_wait(&j->cv, &j->lock);
	pthread_mutex_unlock(&j->lock);
}

static void post(struct jobs *j)
{
	pthread_mutex_lock(&j->lock);
	j->done = 0;
	j->next_run = 0;
	j->posted++;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->lock);
}

static bool any_failed(struct jobs *j)
{
	unsigned int i;

	for (i = 0; i < (j->nw ? j->nw : 1); i++)
		if (j->w[i].failed)
			return true;
	return false;
}

int replay_events_jobs(const struct replay_cfg *cfg, struct swt_reader *r,
		       struct run_state **s, unsigned int nr, char *err,
		       size_t errlen)
{
	struct jobs j = { .cfg = cfg, .r = r, .s = s, .nr = nr };
	unsigned int i, started = 0, cur = 0, npg = 0;
	struct swt_event ev;
	struct job_batch *b;
	uint64_t n = 0;
	int ret = -1, rd = 1;

	j.nw = cfg[0].jobs < nr ? cfg[0].jobs : nr;
	/* one job: no thread, the caller is the worker */
	j.w = calloc(j.nw ? j.nw : 1, sizeof(*j.w));
	j.b[0].pages = aligned_alloc(4096, (size_t)JOB_BATCH * 4096);
	j.b[1].pages = aligned_alloc(4096, (size_t)JOB_BATCH * 4096);
	if (!j.w || !j.b[0].pages || !j.b[1].pages) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.cv, NULL);
	j.w[0].j = &j;
	if (j.nw <= 1)
		j.nw = 0;
	for (i = 0; i < j.nw; i++) {
		j.w[i].j = &j;
		j.w[i].id = i;
		if (pthread_create(&j.w[i].th, NULL, worker_main, &j.w[i])) {
			snprintf(err, errlen, "cannot start thread %u", i);
			goto stop;
		}
		started++;
	}
	while (rd == 1) {
		b = &j.b[cur];
		b->nev = 0;
		npg = 0;
		while (b->nev < JOB_BATCH && (rd = swt_next(r, &ev)) == 1) {
			struct job_ev *e = &b->ev[b->nev++];

			n++;
			e->op = ev.op;
			e->index = ev.index;
			e->page_id = ev.page_id;
			e->ts_ns = ev.ts_ns;
			e->n = n;
			if (ev.op == SWT_STORE) {
				memcpy(b->pages + (size_t)npg++ * 4096, ev.page,
				       4096);
				e->h = expect_page_hash(ev.page);
			}
		}
		if (!j.nw) {
			j.next_run = 0;
			run_batch(&j.w[0], b);
			if (j.w[0].failed)
				break;
			continue;
		}
		/* the other batch must be done before this one goes */
		wait_done(&j);
		if (any_failed(&j))
			break;
		if (b->nev)
			post(&j);
		cur ^= 1;
	}
	wait_done(&j);
	if (rd < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
	} else if (any_failed(&j)) {
		for (i = 0; i < (j.nw ? j.nw : 1); i++)
			if (j.w[i].failed) {
				snprintf(err, errlen, "%s", j.w[i].err);
				break;
			}
	} else {
		for (i = 0; i < nr; i++)
			last_point(&cfg[i], s[i], n, ev.ts_ns);
		ret = 0;
	}
stop:
	pthread_mutex_lock(&j.lock);
	j.quit = true;
	pthread_cond_broadcast(&j.cv);
	pthread_mutex_unlock(&j.lock);
	for (i = 0; i < started; i++)
		pthread_join(j.w[i].th, NULL);
	pthread_mutex_destroy(&j.lock);
	pthread_cond_destroy(&j.cv);
out:
	free(j.w);
	free(j.b[0].pages);
	free(j.b[1].pages);
	return ret;
}
