/*
 * target_swap.c - `replay --target swap`: the kernel's real swap path,
 * driven from a trace.  The only way to replay into zswap, and a second
 * path into zram next to --target /dev/zramN.
 *
 * One anonymous page per trace slot, in a child memory cgroup of our
 * own.  STORE writes the page's content and pushes that one page out
 * with MADV_PAGEOUT, then checks with mincore() that it left memory
 * (retried twice; those that stay are counted).  LOAD touches the page
 * (a swap-in) and verifies its bytes.  FREE drops it with MADV_DONTNEED,
 * which frees its swap slot.  The zswap debugfs files, zram's mm_stat of
 * every zram swap device, /proc/vmstat and the cgroup's memory.stat are
 * read at every timeline point.  debugfs levels (stored_pages,
 * pool_total_size, same_filled_pages) are given as read, the counters
 * since boot (written_back_pages, pool_limit_hit, reject_*, ...) and the
 * vmstat ones as what this run added.
 *
 * zswap refuses a store when its pool is full and queues its shrink
 * worker, which writes entries back later, on a kworker; stores that come
 * before it has run are refused too, as many as the timing of the
 * moment allows.  A trace carries no timing of that kind, so the model
 * runs the worker at once.  With sync_shrink the player makes the kernel
 * do the same: it follows the workqueue_queue_work (on "zswap-shrink")
 * and workqueue_execute_end trace events in a tracefs instance of its
 * own, and after a STORE that queued the worker it waits until the
 * worker has returned before the next event.  Both kernels' workers
 * run on that workqueue (6.1: pool->shrink_work, 6.12:
 * zswap_shrink_work), and queue_work() traces only a work it really
 * queued, so "queued and not yet ended" is exact, where counters (6.12's
 * rotations of referenced entries count nowhere) are not.
 * pool_limit_hit less the works queued is the limit hits that found the
 * work still pending (hits_not_queued): on 6.1 each of those leaks the
 * pool reference zswap_pool_last_get() took for it, which pins that pool
 * (sl_zswap.h, older_pool_pinned).
 *
 * The player sets up no swap: it uses the swap devices and zswap settings
 * it finds and records them.  It removes its cgroup when it ends, also on
 * SIGINT and SIGTERM (the signal ends the replay at the next event).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/util.h"
#include "backend.h"
#include "engine_int.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP2_MAGIC	0x63677270
#define ZSWAP_PARAMS	"/sys/module/zswap/parameters"
#define ZSWAP_DEBUGFS	"/sys/kernel/debug/zswap"
#define PAGEOUT_TRIES	3
#define SHRINK_WQ	"zswap-shrink"
/* a worker that has not run after this long is given up on (counted) */
#define SHRINK_WAIT_MAX_S	10.0

static const char *const debugfs_names[] = {
	"stored_pages", "pool_total_size", "same_filled_pages",
	"written_back_pages", "pool_limit_hit", "reject_reclaim_fail",
	"reject_alloc_fail", "reject_kmemcache_fail", "reject_compress_poor",
	"reject_compress_fail", "duplicate_entry",
};
#define NR_DEBUGFS (sizeof(debugfs_names) / sizeof(debugfs_names[0]))
/* the first three are levels; the rest count since boot: we give deltas */
#define NR_DEBUGFS_LEVELS 3

static const char *const vmstat_names[] = {
	"zswpout", "zswpin", "zswpwb", "pswpout", "pswpin",
};
#define NR_VMSTAT (sizeof(vmstat_names) / sizeof(vmstat_names[0]))

/*
 * pgscan/pgsteal count only the kernel's own reclaim of our pages (kswapd,
 * direct reclaim), not MADV_PAGEOUT's (reclaim_pages() counts neither):
 * a page they took is a swap-out the trace does not hold.
 */
static const char *const memstat_names[] = {
	"anon", "zswap", "zswapped", "zswpout", "zswpin", "zswpwb",
	"pswpout", "pswpin", "pgscan", "pgsteal",
};
#define NR_MEMSTAT (sizeof(memstat_names) / sizeof(memstat_names[0]))

static volatile sig_atomic_t stop_signal;
static char cg_path[128];		/* "" when we made none */
static char trace_inst[320];		/* our tracefs instance; "" none */

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* read a whole small file; Return: bytes read, -1 if it cannot be opened */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return n;
}

static int put_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static bool param(const char *name, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", ZSWAP_PARAMS, name);
	return slurp(path, buf, len) >= 0;
}

/* "key value" files (/proc/vmstat, memory.stat): value of @key, -1 if absent */
static long long keyed(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return atoll(p + kl + 1);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* the swap devices in use, one name each, and whether there is one */
static int swaps(char names[][64], int max)
{
	char buf[4096], *line, *save = NULL;
	int n = 0;

	if (slurp("/proc/swaps", buf, sizeof(buf)) < 0)
		return -1;
	line = strtok_r(buf, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save)) && n < max)
		if (sscanf(line, "%63s", names[n]) == 1)
			n++;
	return n;
}

int sl_swap_target_check(bool want_zswap)
{
	char names[8][64], buf[64];
	struct statfs sfs;
	unsigned long pct;

	if (geteuid() != 0)
		return sl_usage_err("--target swap needs root: it makes a memory cgroup and reads debugfs");
	if (swaps(names, 8) <= 0)
		return sl_usage_err("--target swap: no swap is enabled (swapon a device first; the player sets up none)");
	if (statfs(CGROUP_ROOT, &sfs) || sfs.f_type != CGROUP2_MAGIC)
		return sl_usage_err("--target swap needs cgroup v2 mounted at %s",
				    CGROUP_ROOT);
	if (!param("enabled", buf, sizeof(buf))) {
		if (want_zswap)
			return sl_usage_err("--target swap --frontend zswap: this kernel has no zswap");
		return 0;
	}
	if (want_zswap && buf[0] != 'Y')
		return sl_usage_err("--target swap --frontend zswap: zswap is not enabled (/sys/module/zswap/parameters/enabled)");
	if (param("max_pool_percent", buf, sizeof(buf))) {
		pct = strtoul(buf, NULL, 10);
		if (!pct || pct > 100)
			return sl_usage_err("--target swap: zswap max_pool_percent is %lu: want 1..100",
					    pct);
	}
	return 0;
}

static void cgroup_remove(void)
{
	char buf[32];

	if (!cg_path[0])
		return;
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	put_file(CGROUP_ROOT "/cgroup.procs", buf);
	rmdir(cg_path);
	cg_path[0] = 0;
}

static int cgroup_make(char *err, size_t errlen)
{
	char path[192], buf[512];

	/* the child's memory.stat needs the controller enabled at the root */
	if (slurp(CGROUP_ROOT "/cgroup.subtree_control", buf, sizeof(buf)) <
	    0 || !strstr(buf, "memory"))
		put_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	snprintf(cg_path, sizeof(cg_path), CGROUP_ROOT "/swaplab-%d",
		 (int)getpid());
	if (mkdir(cg_path, 0755)) {
		snprintf(err, errlen, "cannot make cgroup %s: %s", cg_path,
			 strerror(errno));
		cg_path[0] = 0;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_path);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	if (put_file(path, buf)) {
		snprintf(err, errlen, "cannot join cgroup %s: %s", cg_path,
			 strerror(errno));
		rmdir(cg_path);
		cg_path[0] = 0;
		return -1;
	}
	return 0;
}

/*
 * The shrink worker, followed through tracefs.  @works holds the (hashed)
 * addresses of the work items queued on zswap's workqueue, as the trace
 * prints them; an execute_end of one of those ends a run.
 */
struct shrink_sync {
	int fd;			/* trace_pipe, non-blocking; -1: off */
	char works[4][40];
	int nworks;
	uint64_t queued, ran, waits, timeouts;
	double wait_s;
	char part[1024];	/* a line read in part */
	size_t partlen;
};

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
};

static void sync_remove(struct shrink_sync *s)
{
	char path[400];

	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (!trace_inst[0])
		return;
	snprintf(path, sizeof(path), "%s/events/workqueue/enable", trace_inst);
	put_file(path, "0");
	rmdir(trace_inst);
	trace_inst[0] = 0;
}

/* Return: 0, or -1 with @err filled (no tracefs, no workqueue events) */
static int sync_setup(struct shrink_sync *s, char *err, size_t errlen)
{
	static const char *const ev[] = {
		"workqueue_queue_work", "workqueue_execute_end",
	};
	char path[400], dir[256];
	struct stat st;
	size_t i;

	s->fd = -1;
	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/instances", tracefs_roots[i]);
		if (!stat(dir, &st) && S_ISDIR(st.st_mode))
			break;
	}
	if (i == sizeof(tracefs_roots) / sizeof(tracefs_roots[0])) {
		snprintf(err, errlen, "--zswap-sync-shrink: no tracefs (mount it at /sys/kernel/tracing)");
		return -1;
	}
	snprintf(trace_inst, sizeof(trace_inst), "%s/swaplab-%d", dir,
		 (int)getpid());
	if (mkdir(trace_inst, 0755)) {
		snprintf(err, errlen, "--zswap-sync-shrink: cannot make %.200s: %s",
			 trace_inst, strerror(errno));
		trace_inst[0] = 0;
		return -1;
	}
	/* only zswap's queueing; the line is checked again when read */
	snprintf(path, sizeof(path),
		 "%s/events/workqueue/workqueue_queue_work/filter", trace_inst);
	put_file(path, "workqueue == \"" SHRINK_WQ "\"");
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/workqueue/%s/enable",
			 trace_inst, ev[i]);
		if (put_file(path, "1")) {
			snprintf(err, errlen, "--zswap-sync-shrink: cannot enable %s: %s",
				 ev[i], strerror(errno));
			sync_remove(s);
			return -1;
		}
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", trace_inst);
	s->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		snprintf(err, errlen, "--zswap-sync-shrink: cannot open %.200s: %s",
			 path, strerror(errno));
		sync_remove(s);
		return -1;
	}
	return 0;
}

/* the token after @key in @line, up to a space or ':', into @out */
static bool token_after(const char *line, const char *key, char *out,
			size_t len)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	if (!p)
		return false;
	p += strlen(key);
	while (p[n] && p[n] != ' ' && p[n] != ':' && n + 1 < len) {
		out[n] = p[n];
		n++;
	}
	out[n] = 0;
	return n > 0;
}

static void sync_line(struct shrink_sync *s, const char *line)
{
	char work[40];
	int i;

	if (strstr(line, "workqueue_queue_work:")) {
		if (!strstr(line, "workqueue=" SHRINK_WQ " ") ||
		    !token_after(line, "work struct=", work, sizeof(work)))
			return;
		s->queued++;
		for (i = 0; i < s->nworks; i++)
			if (!strcmp(s->works[i], work))
				return;
		/* 6.1 has one work per pool: a few at most */
		i = s->nworks < 4 ? s->nworks++ : 3;
		snprintf(s->works[i], sizeof(s->works[i]), "%s", work);
	} else if (strstr(line, "workqueue_execute_end:") &&
		   token_after(line, "work struct ", work, sizeof(work))) {
		/*
		 * before the pointer hash key is ready every %p prints the
		 * same placeholder: then the function's name must say it
		 */
		if (work[0] == '(' && !strstr(line, " shrink_worker"))
			return;
		for (i = 0; i < s->nworks; i++)
			if (!strcmp(s->works[i], work)) {
				s->ran++;
				return;
			}
	}
}

/* read what the trace holds now */
static void sync_drain(struct shrink_sync *s)
{
	char buf[8192], *p, *nl;
	ssize_t n;

	while ((n = read(s->fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
			*nl = 0;
			if (s->partlen) {
				snprintf(s->part + s->partlen,
					 sizeof(s->part) - s->partlen, "%s", p);
				sync_line(s, s->part);
				s->partlen = 0;
			} else {
				sync_line(s, p);
			}
		}
		snprintf(s->part + s->partlen, sizeof(s->part) - s->partlen,
			 "%s", p);
		s->partlen = strlen(s->part);
	}
}

/* after a STORE: until every worker run queued so far has ended */
static void sync_wait(struct shrink_sync *s)
{
	double t0;

	if (s->fd < 0)
		return;
	sync_drain(s);
	if (s->ran >= s->queued)
		return;
	s->waits++;
	t0 = sl_now_s();
	while (s->ran < s->queued && !stop_signal) {
		if (sl_now_s() - t0 > SHRINK_WAIT_MAX_S) {
			s->timeouts++;
			s->ran = s->queued;
			break;
		}
		usleep(100);
		sync_drain(s);
	}
	s->wait_s += sl_now_s() - t0;
}

/*
 * The pages of the slots in use, in leaves of LEAF_SLOTS slots mapped on
 * a leaf's first event: a trace that touches slot 2^32 - 1 costs one
 * leaf, not a mapping and an array as large as its highest slot.
 */
#define LEAF_SHIFT	12
#define LEAF_SLOTS	(1u << LEAF_SHIFT)

struct leaf {
	uint8_t *map;		/* LEAF_SLOTS pages */
	uint64_t expected[LEAF_SLOTS];	/* page id + 1; 0: nothing stored */
};

struct player {
	struct leaf **leaves;
	uint64_t nleaves, leaves_used;
	uint64_t stores, loads, frees, not_paged_out, pageout_retries;
	uint64_t loads_resident, verify_failures;
	long long vm0[NR_VMSTAT];
	long long dbg0[NR_DEBUGFS];	/* -1: no such file */
	json_t *timeline;
	char zram[8][64];	/* zram swap devices: "zram0" */
	int nzram;
	struct shrink_sync sync;
	int cpu;		/* the one we run on; -1: not pinned */
};

static void read_vmstat(long long *v)
{
	static char buf[65536];
	size_t i;

	if (slurp("/proc/vmstat", buf, sizeof(buf)) < 0)
		buf[0] = 0;
	for (i = 0; i < NR_VMSTAT; i++)
		v[i] = keyed(buf, vmstat_names[i]);
}

static void read_debugfs(long long *v)
{
	char path[192], buf[64];
	size_t i;

	for (i = 0; i < NR_DEBUGFS; i++) {
		snprintf(path, sizeof(path), "%s/%s", ZSWAP_DEBUGFS,
			 debugfs_names[i]);
		v[i] = slurp(path, buf, sizeof(buf)) >= 0 ? atoll(buf) : -1;
	}
}

static json_t *counters(struct player *p, uint64_t op)
{
	char path[192], buf[8192];
	long long vm[NR_VMSTAT], dbg[NR_DEBUGFS];
	json_t *pt = json_object(), *o;
	size_t i;
	int z;

	json_object_set_new(pt, "op", json_integer((json_int_t)op));
	o = json_object();
	read_debugfs(dbg);
	for (i = 0; i < NR_DEBUGFS; i++)
		if (dbg[i] >= 0)
			json_object_set_new(o, debugfs_names[i], json_integer(
				dbg[i] - (i < NR_DEBUGFS_LEVELS ? 0 :
					  p->dbg0[i])));
	json_object_set_new(pt, "zswap", o);
	/* vmstat: what this run added */
	read_vmstat(vm);
	o = json_object();
	for (i = 0; i < NR_VMSTAT; i++)
		if (vm[i] >= 0)
			json_object_set_new(o, vmstat_names[i],
					    json_integer(vm[i] - p->vm0[i]));
	json_object_set_new(pt, "vmstat", o);
	snprintf(path, sizeof(path), "%s/memory.stat", cg_path);
	o = json_object();
	if (slurp(path, buf, sizeof(buf)) >= 0)
		for (i = 0; i < NR_MEMSTAT; i++)
			if (keyed(buf, memstat_names[i]) >= 0)
				json_object_set_new(o, memstat_names[i],
					json_integer(keyed(buf, memstat_names[i])));
	json_object_set_new(pt, "memory_stat", o);
	o = json_object();
	for (z = 0; z < p->nzram; z++) {
		snprintf(path, sizeof(path), "/sys/block/%s/mm_stat",
			 p->zram[z]);
		if (slurp(path, buf, sizeof(buf)) >= 0)
			json_object_set_new(o, p->zram[z], json_string(buf));
	}
	json_object_set_new(pt, "zram_mm_stat", o);
	return pt;
}

static json_t *settings(struct player *p, const struct replay_cfg *cfg)
{
	static const char *const zp[] = {
		"enabled", "compressor", "zpool", "max_pool_percent",
		"accept_threshold_percent", "same_filled_pages_enabled",
		"non_same_filled_pages_enabled", "exclusive_loads",
		"shrinker_enabled",
	};
	char names[8][64], buf[256];
	json_t *s = json_object(), *o = json_object(), *a = json_array();
	struct utsname u;
	size_t i;
	int n, k;

	for (i = 0; i < sizeof(zp) / sizeof(zp[0]); i++)
		if (param(zp[i], buf, sizeof(buf)))
			json_object_set_new(o, zp[i], json_string(buf));
	json_object_set_new(s, "zswap", o);
	n = swaps(names, 8);
	for (k = 0; k < n; k++) {
		json_array_append_new(a, json_string(names[k]));
		if (!strncmp(names[k], "/dev/zram", 9) && p->nzram < 8)
			snprintf(p->zram[p->nzram++], 64, "%s", names[k] + 5);
	}
	json_object_set_new(s, "swaps", a);
	if (slurp("/proc/sys/vm/page-cluster", buf, sizeof(buf)) >= 0)
		json_object_set_new(s, "page_cluster", json_integer(atoi(buf)));
	if (slurp("/proc/meminfo", buf, sizeof(buf)) >= 0) {
		long long kb = 0;

		sscanf(buf, "MemTotal: %lld", &kb);
		json_object_set_new(s, "ram", json_integer(kb * 1024));
	}
	if (!uname(&u))
		json_object_set_new(s, "kernel_release",
				    json_string(u.release));
	json_object_set_new(s, "cgroup", json_string(cg_path));
	json_object_set_new(s, "cpu", json_integer(p->cpu));
	json_object_set_new(s, "zswap_sync_shrink",
			    json_boolean(p->sync.fd >= 0));
	json_object_set_new(s, "timeline_every",
			    json_integer((json_int_t)cfg->timeline_every));
	json_object_set_new(s, "nr_slots",
			    json_integer((json_int_t)cfg->nr_slots));
	json_object_set_new(s, "slots_per_leaf", json_integer(LEAF_SLOTS));
	return s;
}

static bool resident(void *addr)
{
	unsigned char v = 0;

	return !mincore(addr, 4096, &v) && (v & 1);
}

/* the leaf of @index, mapped if need be; NULL: out of memory */
static struct leaf *leaf_get(struct player *p, uint32_t index)
{
	struct leaf **l = &p->leaves[index >> LEAF_SHIFT];
	size_t len = (size_t)LEAF_SLOTS * 4096;

	if (*l)
		return *l;
	*l = calloc(1, sizeof(**l));
	if (!*l)
		return NULL;
	(*l)->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if ((*l)->map == MAP_FAILED) {
		free(*l);
		*l = NULL;
		return NULL;
	}
	/* no THP: one page is what one swap slot holds */
	madvise((*l)->map, len, MADV_NOHUGEPAGE);
	p->leaves_used++;
	return *l;
}

/* unmap every leaf (which frees their swap slots) */
static void leaves_free(struct player *p)
{
	uint64_t i;

	for (i = 0; p->leaves && i < p->nleaves; i++) {
		if (!p->leaves[i])
			continue;
		munmap(p->leaves[i]->map, (size_t)LEAF_SLOTS * 4096);
		free(p->leaves[i]);
	}
	free(p->leaves);
	p->leaves = NULL;
}

static int play(const struct replay_cfg *cfg, struct swt_reader *r,
		struct player *p, char *err, size_t errlen)
{
	struct swt_event ev;
	const void *want;
	struct leaf *l;
	uint64_t *expected;
	uint8_t *pg;
	uint64_t n = 0;
	int ret, i;

	while (!stop_signal && (ret = swt_next(r, &ev)) == 1) {
		n++;
		if (ev.op == SWT_MARK)
			goto sample;
		if ((uint64_t)ev.index >= cfg->nr_slots) {
			snprintf(err, errlen, "slot %u past the %llu the scan found",
				 ev.index, (unsigned long long)cfg->nr_slots);
			return -1;
		}
		l = leaf_get(p, ev.index);
		if (!l) {
			snprintf(err, errlen, "out of memory for slot %u",
				 ev.index);
			return -1;
		}
		pg = l->map + (size_t)(ev.index & (LEAF_SLOTS - 1)) * 4096;
		expected = &l->expected[ev.index & (LEAF_SLOTS - 1)];
		switch (ev.op) {
		case SWT_STORE:
			memcpy(pg, ev.page, 4096);
			*expected = ev.page_id + 1;
			p->stores++;
			for (i = 0; i < PAGEOUT_TRIES; i++) {
				if (madvise(pg, 4096, MADV_PAGEOUT)) {
					snprintf(err, errlen, "MADV_PAGEOUT: %s",
						 strerror(errno));
					return -1;
				}
				if (!resident(pg))
					break;
				p->pageout_retries++;
			}
			if (i == PAGEOUT_TRIES)
				p->not_paged_out++;
			sync_wait(&p->sync);
			break;
		case SWT_LOAD:
			p->loads++;
			p->loads_resident += resident(pg);
			if (!*expected) {
				/* never stored here: a fresh zero page */
				if (pg[0] || memcmp(pg, pg + 1, 4095))
					p->verify_failures++;
				break;
			}
			want = swt_page(r, *expected - 1);
			if (!want) {
				snprintf(err, errlen, "%s", swt_reader_error(r));
				return -1;
			}
			if (memcmp(pg, want, 4096))
				p->verify_failures++;
			break;
		case SWT_FREE:
			madvise(pg, 4096, MADV_DONTNEED);
			*expected = 0;
			p->frees++;
			break;
		case SWT_MARK:
			break;
		}
sample:
		if (n % cfg->timeline_every == 0)
			json_array_append_new(p->timeline, counters(p, n));
	}
	if (stop_signal) {
		snprintf(err, errlen, "stopped by signal %d", (int)stop_signal);
		return -1;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	if (n % cfg->timeline_every)
		json_array_append_new(p->timeline, counters(p, n));
	return 0;
}

static json_t *make_run(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct player *p,
			json_t *set)
{
	json_t *zs = json_object_get(set, "zswap");
	json_t *last = json_array_get(p->timeline,
				      json_array_size(p->timeline) - 1);
	const char *codec = json_string_value(json_object_get(zs, "compressor"));
	const char *pool = json_string_value(json_object_get(zs, "zpool"));
	const char *rel = json_string_value(json_object_get(set,
							    "kernel_release"));
	struct run_result rr = { .zram_offers_codec = -1 };
	json_t *extra;

	extra = json_pack("{s:O*, s:O*, s:O*}",
			  "zswap", json_object_get(last, "zswap"),
			  "vmstat", json_object_get(last, "vmstat"),
			  "memory_stat", json_object_get(last, "memory_stat"));
	if (extra && p->sync.fd >= 0) {
		json_int_t hits = json_integer_value(json_object_get(
			json_object_get(last, "zswap"), "pool_limit_hit"));

		json_object_set_new(extra, "shrink_sync", json_pack(
			"{s:I, s:I, s:I, s:I, s:f, s:I}",
			"worker_queued", (json_int_t)p->sync.queued,
			"worker_ran", (json_int_t)p->sync.ran,
			"waits", (json_int_t)p->sync.waits,
			"timeouts", (json_int_t)p->sync.timeouts,
			"wait_s", p->sync.wait_s,
			"hits_not_queued", hits > (json_int_t)p->sync.queued ?
			hits - (json_int_t)p->sync.queued : 0));
	}
	rr.codec = codec ? codec : "-";
	rr.alloc = pool ? pool : "-";
	rr.kernel = rel ? rel : "";
	rr.codec_source = "the running kernel";
	rr.frontend = "kernel";
	rr.target = "swap";
	rr.verify = "bytes";
	rr.settings = set;
	rr.verify_failures = p->verify_failures;
	rr.ops = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I}",
		"stores", (json_int_t)p->stores,
		"loads", (json_int_t)p->loads,
		"frees", (json_int_t)p->frees,
		"not_paged_out", (json_int_t)p->not_paged_out,
		"pageout_retries", (json_int_t)p->pageout_retries,
		"loads_resident", (json_int_t)p->loads_resident,
		"paged_out_fraction", p->stores ? 1.0 -
		(double)p->not_paged_out / p->stores : 1.0,
		"slot_leaves", (json_int_t)p->leaves_used);
	rr.timeline = p->timeline;
	rr.extra = extra;
	return run_result_json(cfg, hdr, &rr);
}

int sl_replay_swap(const struct replay_cfg *cfg, struct swt_reader *r,
		   json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct player p = { 0 };
	json_t *set = NULL;
	int ret = -1;

	p.nleaves = (cfg->nr_slots + LEAF_SLOTS - 1) >> LEAF_SHIFT;
	p.leaves = calloc(p.nleaves ? p.nleaves : 1, sizeof(*p.leaves));
	p.timeline = json_array();
	if (!p.leaves || !p.timeline) {
		snprintf(err, errlen, "out of memory for %llu slots",
			 (unsigned long long)cfg->nr_slots);
		goto out;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	p.sync.fd = -1;
	/*
	 * One CPU: a freed swap slot waits in that CPU's slot cache (6.1
	 * drops the zswap entry only when the cache returns it), so frees
	 * from one CPU make the kernel's timing of them the model's.
	 */
	p.cpu = sched_getcpu();
	if (p.cpu >= 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(p.cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			p.cpu = -1;
	}
	if (cgroup_make(err, errlen))
		goto restore;
	/* by default wherever zswap is on and tracefs is there */
	if (cfg->sync_shrink) {
		char zs[8] = "";
		char serr[256];

		param("enabled", zs, sizeof(zs));
		if ((cfg->sync_shrink > 0 || zs[0] == 'Y') &&
		    sync_setup(&p.sync, serr, sizeof(serr)) &&
		    cfg->sync_shrink > 0) {
			snprintf(err, errlen, "%s", serr);
			goto restore;
		}
	}
	set = settings(&p, cfg);
	read_vmstat(p.vm0);
	read_debugfs(p.dbg0);
	swt_reader_rewind(r);
	if (play(cfg, r, &p, err, errlen))
		goto restore;
	*run = make_run(cfg, hdr, &p, set);
	set = NULL;
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		goto restore;
	}
	ret = 0;
restore:
	/* the pages go (and their swap slots) while we are in the cgroup */
	leaves_free(&p);
	sync_remove(&p.sync);
	cgroup_remove();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	json_decref(set);
	leaves_free(&p);
	json_decref(p.timeline);
	return ret;
}

static bool swap_claims(const struct replay_cfg *cfg)
{
	return cfg->target && !strcmp(cfg->target, "swap");
}

const struct replay_backend sl_backend_swap = {
	.name = "kernel swap path",
	.claims = swap_claims,
	.run = sl_replay_swap,
};
