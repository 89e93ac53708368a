/*
 * cmd_record.c - `swaplab record`: a swap-out stream from a running
 * process, by sampling its anonymous memory.
 *
 * Reclaim swaps out pages that have not been touched for a while; the
 * sampler approximates that from outside.  Every interval it reads the
 * present pages of the process's private anonymous mappings
 * (/proc/PID/maps, /proc/PID/pagemap, process_vm_readv) and hashes them.
 * A page unchanged for K intervals is "cold": it is stored (STORE to a
 * free slot).  A stored page that changes was "swapped in and written":
 * LOAD and FREE its slot; it is stored again once cold again.  A stored
 * page whose mapping goes away is freed (FREE).  This is an
 * approximation of reclaim, not a record of it: it sees neither the LRU
 * nor memory pressure, and it cannot see accesses that do not change a
 * page.  Kernel recording (through the module's tracepoints) records the
 * real thing.  Only the traced process's own rights are needed (ptrace
 * access: a child, or the same user with ptrace_scope permitting).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/sl_xxh.h"
#include "format/swt.h"
#include "record/kernel_rec.h"
#include "record/rec_common.h"

#define PG		4096
#define READ_PAGES	256	/* pages per process_vm_readv */

static const char record_usage[] =
"usage: swaplab record --pid PID [options] -o FILE.swt\n"
"       swaplab record [options] -o FILE.swt -- CMD [ARGS...]\n"
"\n"
"Sample a process's anonymous memory and write the swap-out stream that\n"
"reclaim would roughly produce: a page unchanged for K intervals is\n"
"stored, a stored page that changes is loaded and freed, an unmapped one\n"
"is freed.  An approximation of reclaim (see docs/recording.md).\n"
"\n"
"  --pid PID        sample a running process (until it exits)\n"
"  --interval MS    time between snapshots (default 100)\n"
"  --cold K         intervals a page must stay unchanged (default 3)\n"
"  --duration S     stop after S seconds (default: when the process ends)\n"
"  --folio-order K  group pages as large folios of 2^K pages (1..4) by\n"
"                   virtual address: the pages of an aligned 2^K-page range\n"
"                   that turn cold in one snapshot go out together, to\n"
"                   2^K aligned slots, marked as one folio (format v2)\n"
"  -o FILE          output trace (written atomically)\n"
"  --force          replace an existing file at -o (never an input)\n"
"\n"
"       swaplab record --kernel [--device swaplabN] ... -o FILE.swt\n"
"       swaplab record --kprobes ... -o FILE.swt\n"
"Record the real swap stream from the kernel: the swaplab module's\n"
"tracepoints and page contents, or a stock kernel's swap functions\n"
"(no contents).  See `swaplab record --kernel --help`.\n";

struct pstate {
	uint64_t vpn;		/* virtual page number + 1; 0: empty */
	uint64_t hash;
	uint32_t slot;
	uint32_t epoch;
	uint16_t unchanged;
	uint8_t stored;
};

struct sampler {
	pid_t pid;
	int pagemap;
	unsigned int cold;
	struct pstate *tab;
	size_t tab_size, tab_used;
	uint32_t epoch;
	uint32_t *free_slots;
	size_t nfree, free_cap;
	uint32_t next_slot;
	struct swt_writer *w;
	uint8_t *buf;
	uint64_t snapshots, pages_read, sample_ns;
	uint64_t stores, loads, frees;
	/* --folio-order: the folio being gathered, by virtual address */
	unsigned int order, fn;
	uint64_t fvpn[16];
	uint8_t *fbuf;		/* 16 pages */
	uint64_t folios;
};

static struct pstate *lookup(struct sampler *s, uint64_t vpn, bool add)
{
	size_t mask = s->tab_size - 1, i;

	if (add && s->tab_used * 2 >= s->tab_size) {
		struct pstate *old = s->tab;
		size_t n = s->tab_size, j;

		s->tab = calloc(n * 2, sizeof(*s->tab));
		if (!s->tab) {
			s->tab = old;
			return NULL;
		}
		s->tab_size = n * 2;
		mask = s->tab_size - 1;
		for (j = 0; j < n; j++) {
			if (!old[j].vpn)
				continue;
			for (i = (old[j].vpn * 0x9e3779b97f4a7c15ULL) & mask;
			     s->tab[i].vpn; i = (i + 1) & mask)
				;
			s->tab[i] = old[j];
		}
		free(old);
	}
	for (i = ((vpn + 1) * 0x9e3779b97f4a7c15ULL) & mask; s->tab[i].vpn;
	     i = (i + 1) & mask)
		if (s->tab[i].vpn == vpn + 1)
			return &s->tab[i];
	if (!add)
		return NULL;
	memset(&s->tab[i], 0, sizeof(s->tab[i]));
	s->tab[i].vpn = vpn + 1;
	s->tab_used++;
	return &s->tab[i];
}

/* linear probing: re-insert the run after a removed entry */
static void remove_at(struct sampler *s, struct pstate *p)
{
	size_t mask = s->tab_size - 1, i = p - s->tab, j;

	p->vpn = 0;
	s->tab_used--;
	for (j = (i + 1) & mask; s->tab[j].vpn; j = (j + 1) & mask) {
		struct pstate e = s->tab[j];
		size_t k;

		s->tab[j].vpn = 0;
		for (k = (e.vpn * 0x9e3779b97f4a7c15ULL) & mask; s->tab[k].vpn;
		     k = (k + 1) & mask)
			;
		s->tab[k] = e;
	}
}

static int slot_get(struct sampler *s, uint32_t *slot)
{
	if (s->nfree) {
		*slot = s->free_slots[--s->nfree];
		return 0;
	}
	if (s->next_slot == UINT32_MAX)
		return -1;
	*slot = s->next_slot++;
	return 0;
}

static int slot_put(struct sampler *s, uint32_t slot)
{
	if (s->nfree == s->free_cap) {
		size_t n = s->free_cap ? s->free_cap * 2 : 1024;
		uint32_t *p = realloc(s->free_slots, n * sizeof(*p));

		if (!p)
			return -1;
		s->free_slots = p;
		s->free_cap = n;
	}
	s->free_slots[s->nfree++] = slot;
	return 0;
}

static int release(struct sampler *s, struct pstate *p, uint64_t ts,
		   bool load)
{
	if (!p->stored)
		return 0;
	if (load && swt_write_op(s->w, SWT_LOAD, ts, p->slot, -1, s->pid))
		return -1;
	s->loads += load;
	if (swt_write_op(s->w, SWT_FREE, ts, p->slot, -1, s->pid))
		return -1;
	s->frees++;
	p->stored = 0;
	return slot_put(s, p->slot);
}

static int store_one(struct sampler *s, struct pstate *p, const void *page,
		     uint64_t ts)
{
	if (slot_get(s, &p->slot) ||
	    swt_write_store(s->w, ts, p->slot, page, -1, s->pid))
		return -1;
	p->stored = 1;
	s->stores++;
	return 0;
}

/*
 * the pages gathered: a whole folio goes to 2^order fresh aligned slots
 * (as the swap allocator gives a large folio a cluster of its order),
 * marked as one; fewer pages go out one by one
 */
static int folio_flush(struct sampler *s, uint64_t ts)
{
	unsigned int i, n = s->fn, whole = n == 1u << s->order;
	uint32_t first = 0;
	struct pstate *p;

	s->fn = 0;
	if (whole) {
		uint64_t f = ((uint64_t)s->next_slot + n - 1) / n * n;

		if (f + n > UINT32_MAX)
			return -1;
		first = f;
		s->next_slot = f + n;
		s->folios++;
	}
	for (i = 0; i < n; i++) {
		p = lookup(s, s->fvpn[i], false);
		if (!p)
			return -1;
		if (!whole) {
			if (store_one(s, p, s->fbuf + (size_t)i * PG, ts))
				return -1;
			continue;
		}
		p->slot = first + i;
		if (swt_write_store_folio(s->w, ts, p->slot,
					  s->fbuf + (size_t)i * PG, -1, s->pid,
					  s->order, i > 0))
			return -1;
		p->stored = 1;
		s->stores++;
	}
	return 0;
}

/* a page turned cold: gather it into its folio, or store it alone */
static int folio_add(struct sampler *s, uint64_t vpn, const void *page,
		     uint64_t ts)
{
	uint64_t n = 1u << s->order;

	if (s->fn && vpn != s->fvpn[0] + s->fn && folio_flush(s, ts))
		return -1;
	if (!s->fn && vpn % n)
		return store_one(s, lookup(s, vpn, false), page, ts);
	s->fvpn[s->fn] = vpn;
	memcpy(s->fbuf + (size_t)s->fn * PG, page, PG);
	if (++s->fn == n)
		return folio_flush(s, ts);
	return 0;
}

/* one page seen present with content @page */
static int visit(struct sampler *s, uint64_t vpn, const uint8_t *page,
		 uint64_t ts)
{
	uint64_t h = sl_xxh3_64(page, PG);
	struct pstate *p = lookup(s, vpn, true);

	if (!p)
		return -1;
	p->epoch = s->epoch;
	if (p->hash != h || !p->unchanged) {
		bool changed = p->unchanged && p->hash != h;

		p->hash = h;
		p->unchanged = 1;
		if (changed && release(s, p, ts, true))
			return -1;
		return 0;
	}
	if (p->unchanged < UINT16_MAX)
		p->unchanged++;
	if (p->stored || p->unchanged <= s->cold)
		return 0;
	if (s->order)
		return folio_add(s, vpn, page, ts);
	return store_one(s, p, page, ts);
}

/* read @n present pages at @vpns and visit them */
static int read_run(struct sampler *s, const uint64_t *vpns, size_t n,
		    uint64_t ts)
{
	struct iovec local, remote[READ_PAGES];
	size_t i;
	ssize_t got;

	for (i = 0; i < n; i++) {
		remote[i].iov_base = (void *)(uintptr_t)(vpns[i] * PG);
		remote[i].iov_len = PG;
	}
	local.iov_base = s->buf;
	local.iov_len = n * PG;
	got = process_vm_readv(s->pid, &local, 1, remote, n, 0);
	if (got < 0 && errno == ESRCH)
		return 1;
	if (got < 0 && errno != EFAULT)
		return -1;
	if (got < 0)
		got = 0;
	/* a page unmapped meanwhile ends the read short: visit what came */
	for (i = 0; i < (size_t)got / PG; i++)
		if (visit(s, vpns[i], s->buf + i * PG, ts))
			return -1;
	s->pages_read += got / PG;
	/* then go on page by page past the one that failed */
	for (i = got / PG + 1; i < n; i++) {
		local.iov_len = PG;
		if (process_vm_readv(s->pid, &local, 1, &remote[i], 1, 0) !=
		    PG)
			continue;
		if (visit(s, vpns[i], s->buf, ts))
			return -1;
		s->pages_read++;
	}
	return 0;
}

static int scan_region(struct sampler *s, uint64_t start, uint64_t end,
		       uint64_t ts)
{
	uint64_t pm[READ_PAGES], vpns[READ_PAGES], v = start / PG;
	size_t n = 0, i, want;
	ssize_t got;
	int ret;

	while (v < end / PG) {
		want = end / PG - v < READ_PAGES ? end / PG - v : READ_PAGES;
		got = pread(s->pagemap, pm, want * 8, v * 8);
		/* nothing: the mapping went away while exec() or exit() ran */
		if (got == 0)
			return 0;
		if (got < 0)
			return errno == ESRCH ? 1 : -1;
		for (i = 0; i < (size_t)got / 8; i++) {
			if (pm[i] >> 63) {
				vpns[n++] = v + i;
				if (n == READ_PAGES) {
					ret = read_run(s, vpns, n, ts);
					if (ret)
						return ret;
					n = 0;
				}
			} else {
				/* mapped, not present (maybe swapped): keep */
				struct pstate *p = lookup(s, v + i, false);

				if (p)
					p->epoch = s->epoch;
			}
		}
		v += got / 8;
	}
	return n ? read_run(s, vpns, n, ts) : 0;
}

/* one snapshot; Return: 0, 1 when the process is gone, -1 on error */
static int snapshot(struct sampler *s)
{
	char path[64], line[512];
	uint64_t t0 = rec_now_ns(), start, end, off;
	unsigned long inode;
	char perms[8];
	FILE *maps;
	size_t i;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)s->pid);
	maps = fopen(path, "r");
	if (!maps)
		return errno == ENOENT || errno == ESRCH ? 1 : -1;
	/* per snapshot: an fd opened before exec() reads the old mm */
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)s->pid);
	s->pagemap = open(path, O_RDONLY | O_CLOEXEC);
	if (s->pagemap < 0) {
		fclose(maps);
		return errno == ENOENT || errno == ESRCH ? 1 : -1;
	}
	s->epoch++;
	while (!ret && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s %lx %*s %lu", &start, &end,
			   perms, &off, &inode) != 5)
			continue;
		/* private writable anonymous memory: what swap holds */
		if (perms[0] != 'r' || perms[1] != 'w' || perms[3] != 'p' ||
		    inode != 0 || strstr(line, "[vsyscall]") ||
		    strstr(line, "[vvar]"))
			continue;
		ret = scan_region(s, start, end, t0);
	}
	fclose(maps);
	close(s->pagemap);
	s->pagemap = -1;
	if (!ret && s->fn && folio_flush(s, t0))
		ret = -1;
	if (ret)
		return ret;
	/* pages no longer mapped: their slots are freed */
	for (i = 0; i < s->tab_size; i++) {
		struct pstate *p = &s->tab[i];

		if (!p->vpn || p->epoch == s->epoch)
			continue;
		if (release(s, p, t0, false))
			return -1;
		remove_at(s, p);
		i--;	/* the run shifted into this place */
	}
	s->snapshots++;
	s->sample_ns += rec_now_ns() - t0;
	return 0;
}

/* is @cmd something execvp() would find and run? */
static bool runnable(const char *cmd)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[4096];

	if (strchr(cmd, '/'))
		return !access(cmd, X_OK);
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)	/* an empty element is the current directory */
			snprintf(buf, sizeof(buf), "./%s", cmd);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p),
				 p, cmd);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

static int free_all(struct sampler *s)
{
	uint64_t ts = rec_now_ns();
	size_t i;

	for (i = 0; i < s->tab_size; i++)
		if (s->tab[i].vpn && release(s, &s->tab[i], ts, false))
			return -1;
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "cold", required_argument, NULL, 'k' },
		{ "duration", required_argument, NULL, 'd' },
		{ "folio-order", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rec_opts ro = {
		.usage = record_usage, .shortopts = "+o:h", .longopts = opts,
		.need_output = true,
	};
	struct sampler s = { .cold = 3, .pagemap = -1 };
	struct swt_header hdr = { 0 };
	uint64_t v, interval_ms = 100, t_start, t_end;
	const char *out = NULL;
	char path[64];
	pid_t child = 0;
	int c, ret = EXIT_TROUBLE, status = 0, st;
	bool exited = false;

	for (c = 1; c < argc && strcmp(argv[c], "--"); c++) {
		/* "record kernel": a word where an option was meant */
		if ((!strcmp(argv[c], "kernel") || !strcmp(argv[c], "kprobes") ||
		     !strcmp(argv[c], "pid")) &&
		    (argv[c - 1][0] != '-' || strchr(argv[c - 1], '=') ||
		     !strcmp(argv[c - 1], "-h") || !strcmp(argv[c - 1], "--help")))
			return sl_usage_err("'%s' is not a command to run: did you mean --%s? (a command goes after --)",
					    argv[c], argv[c]);
		if (!strcmp(argv[c], "--kernel"))
			return cmd_record_kernel(argc, argv);
		if (!strcmp(argv[c], "--kprobes"))
			return cmd_record_kprobes(argc, argv);
	}
	while ((c = rec_getopt(&ro, argc, argv)) != -1) {
		switch (c) {
		case 'p':
			if (!sl_parse_u64(optarg, &v) || !v || v > INT32_MAX)
				return sl_usage_err("bad --pid '%s'", optarg);
			s.pid = v;
			break;
		case 'i':
			if (!sl_parse_u64(optarg, &interval_ms) || !interval_ms ||
			    interval_ms > 3600000)
				return sl_usage_err("--interval wants 1..3600000 ms");
			break;
		case 'k':
			if (!sl_parse_u64(optarg, &v) || !v || v > 1000)
				return sl_usage_err("--cold wants 1..1000");
			s.cold = v;
			break;
		case 'f':
			if (!sl_parse_u64(optarg, &v) || !v || v > 4)
				return sl_usage_err("--folio-order wants 1..4");
			s.order = v;
			break;
		}
	}
	if (ro.ret >= 0)
		return ro.ret;
	out = ro.out;
	if (!s.pid == (optind == argc))
		return sl_usage_err("give either --pid PID or -- CMD");
	if (rec_check_out(&ro, NULL))
		return EXIT_TROUBLE;

	s.tab_size = 4096;
	s.tab = calloc(s.tab_size, sizeof(*s.tab));
	s.buf = malloc((size_t)READ_PAGES * PG);
	s.fbuf = malloc(16 * PG);
	if (!s.tab || !s.buf || !s.fbuf) {
		ret = sl_err("out of memory");
		goto out;
	}
	if (!s.pid && !runnable(argv[optind])) {
		ret = sl_err("cannot run '%s': no such command", argv[optind]);
		goto out;
	}
	if (!s.pid) {
		child = fork();
		if (child < 0) {
			ret = sl_err_errno("cannot fork");
			goto out;
		}
		if (child == 0) {
			execvp(argv[optind], argv + optind);
			_exit(127);	/* the parent says so, once */
		}
		s.pid = child;
	}
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)s.pid);
	if (access(path, R_OK)) {
		ret = sl_err_errno("cannot read %s", path);
		goto out;
	}
	rec_header_live(&hdr, SWT_F_HAS_PID |
			(s.order ? SWT_F_HAS_FOLIO : 0), false);
	snprintf(hdr.source, sizeof(hdr.source), "sampler:pid %d",
		 (int)s.pid);
	snprintf(hdr.description, sizeof(hdr.description),
		 "swaplab record --interval %llu --cold %u%s%.*s%s%s",
		 (unsigned long long)interval_ms, s.cold,
		 s.order ? " --folio-order " : "", s.order ? 1 : 0,
		 &"01234"[s.order], child ? " -- " : "",
		 child ? argv[optind] : "");
	s.w = swt_writer_create(out, &hdr);
	if (!s.w) {
		ret = sl_err_errno("cannot create '%s'", out);
		goto out;
	}
	rec_catch_stop();
	t_start = rec_now_ns();
	t_end = rec_deadline(ro.duration_s);
	while (!rec_stopping() && rec_now_ns() < t_end) {
		st = snapshot(&s);
		if (st < 0) {
			ret = sl_err_errno("cannot sample pid %d", (int)s.pid);
			goto out;
		}
		if (st > 0)
			break;
		if (child && waitpid(child, &status, WNOHANG) == child) {
			exited = true;
			break;
		}
		usleep(interval_ms * 1000);
	}
	if (child && !exited) {
		if (rec_stopping() || rec_now_ns() >= t_end)
			kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	if (child && WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
	    !s.stores) {
		ret = sl_err("cannot run '%s'", argv[optind]);
		goto out;
	}
	/*
	 * the process is gone or no longer recorded: its slots are freed; a
	 * mark first, so the state before the exit can be found
	 */
	if (swt_write_mark(s.w, rec_now_ns(), exited ? "exit" : "end") ||
	    free_all(&s) || swt_writer_commit(s.w, NULL)) {
		s.w = NULL;
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	s.w = NULL;
	printf("%s: %llu snapshots, %llu pages read, %llu stores, %llu loads, %llu frees\n",
	       out, (unsigned long long)s.snapshots,
	       (unsigned long long)s.pages_read, (unsigned long long)s.stores,
	       (unsigned long long)s.loads, (unsigned long long)s.frees);
	if (s.order)
		printf("%llu folios of %u pages stored whole\n",
		       (unsigned long long)s.folios, 1u << s.order);
	printf("sampling took %.3f s of %.3f s (%.1f%%)\n", s.sample_ns / 1e9,
	       (rec_now_ns() - t_start) / 1e9,
	       100.0 * s.sample_ns / (rec_now_ns() - t_start));
	ret = EXIT_YES;
out:
	swt_writer_abort(s.w);

	free(s.tab);
	free(s.buf);
	free(s.fbuf);
	free(s.free_slots);
	return ret;
}
