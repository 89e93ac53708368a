/*
 * cmd_record_kernel.c - `swaplab record --kernel`: the real swap-out
 * stream of a swaplab device, with page contents, from the module's
 * tracepoints and its record channel.
 *
 * Two streams, one key.  The tracepoints (swaplab:swaplab_store, _load,
 * _free) say what happened, when, on which CPU for which task; the record
 * channel /dev/sl_record carries the 4 KiB contents of every store.
 * Every event carries a sequence number from one counter in the module,
 * and the channel tags each page with its store's number.  So:
 *  - events are put in seq order (per-CPU buffers are read one after the
 *    other, and a task may be preempted between taking its number and
 *    emitting its event, so a reorder heap holds them until two drain
 *    rounds have passed: anything numbered before that is in, or lost);
 *  - a gap in the numbers is a lost event, counted;
 *  - a store's page is the channel record of the same number; the module
 *    writes the page before it emits the event, so once the channel has
 *    been seen empty after the event was read, a missing page was
 *    dropped (the ring was full), counted.
 * A thread reads the channel into a queue all the time, so the module's
 * ring only has to absorb the main thread's pauses, not its work.
 *
 * Every event of every swaplab device consumes a number; only the
 * chosen device's events are written.
 *
 * Folios.  Swap writes a large folio (mTHP, THP) as one bio to the
 * aligned run of slots the swap allocator gave it; the module says so
 * with swaplab:swaplab_bio before the bio's stores, numbered after the
 * last number handed out (it takes none).  Sorted after that number, it
 * opens a group (record/fgroup.h) whose stores are written as one folio
 * (format v2).  A module without the event gives a version 1 trace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/swt.h"
#include "record/fgroup.h"
#include "record/kernel_rec.h"
#include "record/rec_common.h"

#define PG		4096
#define REC_HDR		16	/* struct swaplab_rec_hdr: u64 seq, u32 dev, u32 index */
#define REC_SIZE	(REC_HDR + PG)
#define BLOCK_RECS	64	/* records per channel read */
#define ROUND_MS	20
#define REC_DEV		"/dev/sl_record"

/* the module's ioctl (kmod/swaplab_record.h) */
struct rec_stats {
	uint64_t records, dropped, capacity, seq, hiwater;
};
#define REC_IOC_STATS	_IOR('S', 1, struct rec_stats)

static const char kernel_usage[] =
"usage: swaplab record --kernel [--device swaplabN] [options] -o FILE.swt\n"
"       swaplab record --kernel [options] -o FILE.swt -- CMD [ARGS...]\n"
"\n"
"Record the real swap-out stream of a swaplab device (module swaplab.ko\n"
"loaded, tracefs mounted, root): every store with its page contents,\n"
"every load and free, in order, with time, CPU and task.\n"
"\n"
"  --device NAME    the device (default swaplab0)\n"
"  --duration S     stop after S seconds (default: when CMD ends, or ^C)\n"
"  --buffer-mb N    per-CPU trace buffer (default 64)\n"
"  --queue-mb N     page queue between the channel and the writer\n"
"                   (default 128; the module's ring: rec_buf_mb)\n"
"  --nice N         the recorder's nice level, -20..0 (default -10;\n"
"                   CMD runs at 0)\n"
"  -o FILE          output trace (written atomically)\n"
"  --force          replace an existing file at -o (never an input)\n"
"Prints events, pages, lost events and dropped pages; exit 1 if any were\n"
"lost or dropped.\n";

enum { K_STORE = 1, K_LOAD, K_FREE, K_BIO };

struct kev {
	uint64_t seq, ts;
	uint32_t index, dev;
	uint32_t nr;		/* K_BIO: pages in the bio */
	int32_t cpu, pid;
	uint8_t op;
};

/* the channel: blocks of records, filled by the reader thread */
struct cblock {
	struct cblock *next;
	int n, pos;
	unsigned char data[BLOCK_RECS * REC_SIZE];
};

struct krec {
	/* channel */
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct cblock *head, *tail;
	struct cblock *spent;		/* emptied, its last record in use */
	size_t queued, max_queued;	/* blocks */
	uint64_t empties;		/* times the ring was seen empty */
	bool stop, thread_err;
	int thread_errno;
	/* events */
	struct tep_event *ev_store, *ev_load, *ev_free, *ev_bio;
	struct fgroups fg;		/* folio groups (ev_bio) */
	uint64_t bio_reads;
	struct kev *heap;
	size_t nheap, cap;
	uint64_t max_seq;
	uint64_t next_seq;		/* 0: none emitted yet */
	/* output */
	struct swt_writer *w;
	uint32_t dev;
	uint64_t start_ns, last_ts;
	uint64_t n_store, n_load, n_free, n_other, lost, dropped, late,
		 orphans;
};

/* ---- the channel reader thread ---- */

static void *channel_thread(void *arg)
{
	struct krec *k = arg;
	struct cblock *b = NULL;
	ssize_t r;

	for (;;) {
		/* once told to stop, read until the ring is empty, then end */
		pthread_mutex_lock(&k->lock);
		while (!k->stop && k->queued >= k->max_queued)
			pthread_cond_wait(&k->cond, &k->lock);
		pthread_mutex_unlock(&k->lock);
		if (!b) {
			b = malloc(sizeof(*b));
			if (!b) {
				k->thread_errno = ENOMEM;
				goto err;
			}
		}
		r = read(k->fd, b->data, sizeof(b->data));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			pthread_mutex_lock(&k->lock);
			k->empties++;
			pthread_cond_broadcast(&k->cond);
			if (k->stop) {
				pthread_mutex_unlock(&k->lock);
				break;
			}
			pthread_mutex_unlock(&k->lock);
			usleep(2000);
			continue;
		}
		if (r <= 0 || r % REC_SIZE) {
			k->thread_errno = r < 0 ? errno : EPROTO;
			goto err;
		}
		b->n = r / REC_SIZE;
		b->pos = 0;
		b->next = NULL;
		pthread_mutex_lock(&k->lock);
		if (k->tail)
			k->tail->next = b;
		else
			k->head = b;
		k->tail = b;
		k->queued++;
		pthread_cond_broadcast(&k->cond);
		pthread_mutex_unlock(&k->lock);
		b = NULL;
	}
	free(b);
	return NULL;
err:
	free(b);
	pthread_mutex_lock(&k->lock);
	k->thread_err = true;
	pthread_cond_broadcast(&k->cond);
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

static inline uint64_t rec_seq(const unsigned char *r)
{
	uint64_t v;

	memcpy(&v, r, 8);
	return v;
}

/*
 * The page of store @seq: NULL with *@missing false when it is not known
 * yet (try again later), NULL with *@missing true when it was dropped.
 * Records before @seq belong to stores whose events were lost: skipped.
 * Called with k->lock held; @empties_then is k->empties when the event
 * was read.  The returned record stays valid until the next call.
 */
static const unsigned char *channel_find(struct krec *k, uint64_t seq,
					 uint64_t empties_then, bool *missing)
{
	*missing = false;
	for (;;) {
		struct cblock *b = k->head;
		const unsigned char *r;

		if (!b) {
			/* seen empty after the event was read: it never came */
			if (k->empties >= empties_then + 2 || k->thread_err) {
				*missing = true;
				return NULL;
			}
			return NULL;
		}
		r = b->data + (size_t)b->pos * REC_SIZE;
		if (rec_seq(r) > seq) {
			*missing = true;
			return NULL;
		}
		b->pos++;
		if (b->pos == b->n) {
			/* keep the block alive until the caller used @r */
			k->head = b->next;
			if (!k->head)
				k->tail = NULL;
			k->queued--;
			pthread_cond_broadcast(&k->cond);
			b->next = NULL;
			if (rec_seq(r) == seq) {
				free(k->spent);
				k->spent = b;
				return r;
			}
			free(b);
			k->orphans++;
			continue;
		}
		if (rec_seq(r) == seq)
			return r;
		k->orphans++;
	}
}

/* ---- events ---- */

/* a bio sorts after the event that took its number: its pages follow */
static bool heap_less(const struct kev *a, const struct kev *b)
{
	if (a->seq != b->seq)
		return a->seq < b->seq;
	return a->op != K_BIO && b->op == K_BIO;
}

static int heap_push(struct krec *k, const struct kev *e)
{
	size_t i;

	if (k->nheap == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 65536;
		struct kev *h = realloc(k->heap, cap * sizeof(*h));

		if (!h)
			return -1;
		k->heap = h;
		k->cap = cap;
	}
	i = k->nheap++;
	while (i && heap_less(e, &k->heap[(i - 1) / 2])) {
		k->heap[i] = k->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	k->heap[i] = *e;
	return 0;
}

static void heap_pop(struct krec *k)
{
	struct kev last = k->heap[--k->nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < k->nheap) {
		if (c + 1 < k->nheap && heap_less(&k->heap[c + 1], &k->heap[c]))
			c++;
		if (!heap_less(&k->heap[c], &last))
			break;
		k->heap[i] = k->heap[c];
		i = c;
	}
	if (k->nheap)
		k->heap[i] = last;
}

static int on_event(void *ctx, struct tep_handle *tep, struct tep_record *rec,
		    int cpu)
{
	struct krec *k = ctx;
	int type = tep_data_type(tep, rec);
	struct tep_event *ev;
	struct kev e;

	if (k->ev_store && type == k->ev_store->id) {
		e.op = K_STORE;
		ev = k->ev_store;
	} else if (k->ev_load && type == k->ev_load->id) {
		e.op = K_LOAD;
		ev = k->ev_load;
	} else if (k->ev_free && type == k->ev_free->id) {
		e.op = K_FREE;
		ev = k->ev_free;
	} else if (k->ev_bio && type == k->ev_bio->id) {
		if (!krec_field(k->ev_bio, "write", rec)) {
			k->bio_reads++;
			return 0;
		}
		e.op = K_BIO;
		ev = k->ev_bio;
		e.nr = krec_field(ev, "pages", rec);
	} else {
		k->n_other++;
		return 0;
	}
	e.seq = krec_field(ev, "seq", rec);
	e.dev = krec_field(ev, "dev", rec);
	e.index = krec_field(ev, "index", rec);
	e.ts = rec->ts;
	e.cpu = cpu;
	e.pid = tep_data_pid(tep, rec);
	if (e.seq > k->max_seq)
		k->max_seq = e.seq;
	return heap_push(k, &e);
}

static int write_event(struct krec *k, const struct kev *e,
		       const unsigned char *page)
{
	uint64_t ts = e->ts < k->last_ts ? k->last_ts : e->ts;
	unsigned int order;
	bool cont;

	k->last_ts = ts;
	switch (e->op) {
	case K_STORE:
		fgroup_store(&k->fg, e->index, page != NULL, &order, &cont);
		if (!page) {
			/* the slot's old content is gone all the same */
			k->dropped++;
			return swt_write_op(k->w, SWT_FREE, ts, e->index,
					    e->cpu, e->pid);
		}
		k->n_store++;
		return swt_write_store_folio(k->w, ts, e->index, page, e->cpu,
					     e->pid, order, cont);
	case K_LOAD:
		k->n_load++;
		return swt_write_op(k->w, SWT_LOAD, ts, e->index, e->cpu,
				    e->pid);
	default:
		k->n_free++;
		return swt_write_op(k->w, SWT_FREE, ts, e->index, e->cpu,
				    e->pid);
	}
}

/*
 * Write the events numbered up to @horizon (all of them if @all), in seq
 * order, as far as their pages are known.  Return: 0 or -1 (errno).
 */
static int emit(struct krec *k, uint64_t horizon, uint64_t empties_then,
		bool all)
{
	while (k->nheap && (all || k->heap[0].seq <= horizon)) {
		struct kev e = k->heap[0];
		const unsigned char *page = NULL;
		bool missing = false;

		if (e.op == K_STORE) {
			pthread_mutex_lock(&k->lock);
			for (;;) {
				page = channel_find(k, e.seq, empties_then,
						    &missing);
				if (page || missing || !all)
					break;
				pthread_cond_wait(&k->cond, &k->lock);
			}
			pthread_mutex_unlock(&k->lock);
			if (!page && !missing)
				return 0;	/* not read yet: next round */
		}
		heap_pop(k);
		if (e.op == K_BIO) {
			if (e.dev == k->dev)
				fgroup_bio(&k->fg, e.index, e.nr);
			continue;
		}
		if (k->next_seq && e.seq < k->next_seq)
			k->late++;
		else if (k->next_seq && e.seq > k->next_seq)
			k->lost += e.seq - k->next_seq;
		if (!k->next_seq || e.seq >= k->next_seq)
			k->next_seq = e.seq + 1;
		if (e.dev != k->dev)
			continue;
		if (e.ts < k->start_ns)
			e.ts = k->start_ns;
		if (write_event(k, &e, page ? page + REC_HDR : NULL) < 0)
			return -1;
	}
	return 0;
}

static uint64_t empties_now(struct krec *k)
{
	uint64_t v;

	pthread_mutex_lock(&k->lock);
	v = k->empties;
	pthread_mutex_unlock(&k->lock);
	return v;
}

static int parse_device(const char *name, uint32_t *id)
{
	uint64_t v;
	char path[300];
	struct stat st;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	if (strncmp(name, "swaplab", 7) || !sl_parse_u64(name + 7, &v) ||
	    v > 1000000)
		return sl_usage_err("--device wants swaplabN, not '%s'", name);
	snprintf(path, sizeof(path), "/sys/block/%s", name);
	if (stat(path, &st))
		return sl_err_errno("no device %s (is swaplab.ko loaded?)", path);
	*id = v;
	return 0;
}

/* the workload gets back what the recorder took for itself (below) */
static void workload_setup(void)
{
	munlockall();
	setpriority(PRIO_PROCESS, 0, 0);
}

int cmd_record_kernel(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", no_argument, NULL, 'K' },
		{ "device", required_argument, NULL, 'D' },
		{ "duration", required_argument, NULL, 'd' },
		{ "buffer-mb", required_argument, NULL, 'b' },
		{ "queue-mb", required_argument, NULL, 'q' },
		{ "nice", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const systems[] = { "swaplab", NULL };
	struct rec_opts ro = {
		.usage = kernel_usage, .shortopts = "+o:h", .longopts = opts,
		.need_output = true, .buffer_mb = 64,
	};
	struct krec k = { .fd = -1, .max_queued = 256 };
	struct krec_trace *t = NULL;
	struct swt_header hdr = { 0 };
	struct swt_totals tot;
	struct rec_stats st = { 0 };
	const char *out = NULL, *devname = "swaplab0";
	uint64_t queue_mb = 128, events = 0;
	uint64_t nv;
	int nice_level = -10;
	uint64_t horizon[2] = { 0, 0 }, emp[2] = { 0, 0 };
	char err[512];
	struct rec_run run = { 0 };
	bool thread = false;
	int c, i, ret = EXIT_TROUBLE;
	long n;

	while ((c = rec_getopt(&ro, argc, argv)) != -1) {
		switch (c) {
		case 'D':
			devname = optarg;
			break;
		case 'q':
			if (!sl_parse_u64(optarg, &queue_mb) || !queue_mb ||
			    queue_mb > 65536)
				return sl_usage_err("--queue-mb wants 1..65536");
			break;
		case 'n':
			if (!strcmp(optarg, "0"))
				nice_level = 0;
			else if (optarg[0] == '-' &&
				 sl_parse_u64(optarg + 1, &nv) && nv <= 20)
				nice_level = -(int)nv;
			else
				return sl_usage_err("--nice wants -20..0");
			break;
		}
	}
	if (ro.ret >= 0)
		return ro.ret;
	out = ro.out;
	if (rec_check_out(&ro, NULL))
		return EXIT_TROUBLE;
	if (parse_device(devname, &k.dev))
		return EXIT_TROUBLE;
	k.max_queued = queue_mb * 1024 * 1024 / sizeof(struct cblock);
	if (!k.max_queued)
		k.max_queued = 1;
	pthread_mutex_init(&k.lock, NULL);
	pthread_cond_init(&k.cond, NULL);

	/*
	 * The recorder must not be swapped out onto what it records, and
	 * it must keep up: where CPU is scarce (qemu TCG) it goes before
	 * the workload (which gets nice 0 back), so the workload slows
	 * down instead of the channel dropping pages.  Both need root.
	 */
	mlockall(MCL_CURRENT | MCL_FUTURE);
	if (nice_level)
		setpriority(PRIO_PROCESS, 0, nice_level);
	k.fd = open(REC_DEV, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k.fd < 0) {
		ret = sl_err_errno("cannot open the record channel " REC_DEV);
		goto out;
	}
	t = krec_trace_create(ro.buffer_mb * 1024, err, sizeof(err));
	if (!t) {
		ret = sl_err("%s", err);
		goto out;
	}
	if (krec_trace_enable(t, "swaplab", NULL)) {
		ret = sl_err("cannot enable the swaplab events (module too old?)");
		goto out;
	}
	rec_header_live(&hdr, SWT_F_HAS_CPU | SWT_F_HAS_PID, true);
	k.start_ns = hdr.start_ns;
	snprintf(hdr.source, sizeof(hdr.source), "kernel:swaplab%u", k.dev);
	c = snprintf(hdr.description, sizeof(hdr.description),
		     "swaplab record --kernel --device swaplab%u%s", k.dev,
		     optind < argc ? " --" : "");
	for (i = optind; i < argc && c < (int)sizeof(hdr.description); i++)
		c += snprintf(hdr.description + c, sizeof(hdr.description) - c,
			      " %s", argv[i]);
	/* a module that reports its bios: folio groups (version 2) */
	if (tracefs_event_file_exists(NULL, "swaplab", "swaplab_bio",
				      "format"))
		hdr.flags |= SWT_F_HAS_FOLIO;
	k.w = swt_writer_create(out, &hdr);
	if (!k.w) {
		ret = sl_err_errno("cannot create '%s'", out);
		goto out;
	}
	if (pthread_create(&k.thread, NULL, channel_thread, &k)) {
		ret = sl_err("cannot start the channel thread");
		goto out;
	}
	thread = true;
	if (krec_trace_start(t, systems, err, sizeof(err))) {
		ret = sl_err("%s", err);
		goto out;
	}
	k.ev_store = tep_find_event_by_name(krec_trace_tep(t), "swaplab",
					    "swaplab_store");
	k.ev_load = tep_find_event_by_name(krec_trace_tep(t), "swaplab",
					   "swaplab_load");
	k.ev_free = tep_find_event_by_name(krec_trace_tep(t), "swaplab",
					   "swaplab_free");
	if (hdr.flags & SWT_F_HAS_FOLIO)
		k.ev_bio = tep_find_event_by_name(krec_trace_tep(t), "swaplab",
						  "swaplab_bio");
	if (!k.ev_store || !tep_find_field(k.ev_store, "seq")) {
		ret = sl_err("swaplab_store has no seq field: rebuild swaplab.ko");
		goto out;
	}
	if (rec_run_start(&run, argv + optind, workload_setup, ro.duration_s))
		goto out;
	while (rec_run_more(&run)) {
		n = krec_trace_drain(t, on_event, &k);
		if (n < 0) {
			ret = sl_err_errno("reading the trace buffers");
			goto out;
		}
		events += n;
		/* events numbered before the round before last are all in */
		if (emit(&k, horizon[0], emp[0], false) < 0) {
			ret = sl_err_errno("cannot write '%s'", out);
			goto out;
		}
		horizon[0] = horizon[1];
		emp[0] = emp[1];
		horizon[1] = k.max_seq;
		emp[1] = empties_now(&k);
		if (k.thread_err) {
			errno = k.thread_errno;
			ret = sl_err_errno("reading " REC_DEV);
			goto out;
		}
		if (!run.exited)
			usleep(ROUND_MS * 1000);
	}
	krec_trace_stop(t);
	n = krec_trace_drain(t, on_event, &k);
	if (n < 0) {
		ret = sl_err_errno("reading the trace buffers");
		goto out;
	}
	events += n;
	if (ioctl(k.fd, REC_IOC_STATS, &st))
		memset(&st, 0, sizeof(st));
	pthread_mutex_lock(&k.lock);
	k.stop = true;
	pthread_cond_broadcast(&k.cond);
	pthread_mutex_unlock(&k.lock);
	/* the thread drains the ring once more, then ends */
	pthread_join(k.thread, NULL);
	thread = false;
	k.empties += 2;		/* everything the ring held is queued now */
	if (emit(&k, UINT64_MAX, 0, true) < 0) {
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	if (swt_writer_commit(k.w, &tot)) {
		k.w = NULL;
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	k.w = NULL;
	printf("recorded %s: %llu events of swaplab%u (%llu stores, %llu loads, %llu frees), %llu unique pages\n",
	       out, (unsigned long long)tot.events, k.dev,
	       (unsigned long long)k.n_store, (unsigned long long)k.n_load,
	       (unsigned long long)k.n_free, (unsigned long long)tot.pages);
	printf("events read %llu, lost %llu (trace buffer reported %llu), late %llu; pages dropped %llu (module: %llu of %llu, ring %llu pages, peak %llu), orphan pages %llu\n",
	       (unsigned long long)events, (unsigned long long)k.lost,
	       (unsigned long long)krec_trace_lost(t),
	       (unsigned long long)k.late, (unsigned long long)k.dropped,
	       (unsigned long long)st.dropped,
	       (unsigned long long)(st.records + st.dropped),
	       (unsigned long long)st.capacity,
	       (unsigned long long)st.hiwater,
	       (unsigned long long)k.orphans);
	if (hdr.flags & SWT_F_HAS_FOLIO) {
		uint64_t nf = 0;

		printf("folios:");
		for (i = 1; i <= SWT_FOLIO_ORDER_MAX; i++) {
			nf += k.fg.folios[i];
			if (k.fg.folios[i])
				printf(" %llu of order %d,",
				       (unsigned long long)k.fg.folios[i], i);
		}
		printf(" %llu in all (%llu pages); %llu broken, %llu untracked; %llu multi-page reads\n",
		       (unsigned long long)nf,
		       (unsigned long long)k.fg.pages,
		       (unsigned long long)k.fg.broken,
		       (unsigned long long)k.fg.overflow,
		       (unsigned long long)k.bio_reads);
	}
	if (run.child && WIFEXITED(run.status) && WEXITSTATUS(run.status))
		sl_warn("'%s' exited with status %d", argv[optind],
			WEXITSTATUS(run.status));
	ret = (k.lost || k.dropped || krec_trace_lost(t) || st.dropped) ?
	      EXIT_NO : EXIT_YES;
out:
	if (thread) {
		pthread_mutex_lock(&k.lock);
		k.stop = true;
		pthread_cond_broadcast(&k.cond);
		pthread_mutex_unlock(&k.lock);
		pthread_join(k.thread, NULL);
	}
	rec_run_end(&run);
	swt_writer_abort(k.w);
	krec_trace_destroy(t);
	if (k.fd >= 0)
		close(k.fd);
	while (k.head) {
		struct cblock *b = k.head;

		k.head = b->next;
		free(b);
	}
	free(k.spent);
	free(k.heap);
	return ret;
}
