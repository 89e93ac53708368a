/*
 * cmd_record_kprobes.c - `swaplab record --kprobes`: the swap access
 * pattern of a stock kernel (no module), without page contents.
 *
 * On 6.1 swap to zram emits no block events and there are no swap
 * tracepoints, but kprobe events work (VM recipe).  We probe:
 *   swap_out   swap_writepage   entry=+40(%di):u64  (page->private: the
 *   swap_in    swap_readpage    entry=+40(%di):u64   swap entry, x86-64)
 *              swap_out also flags=+0(%di):u64 order=+81(%di):u8: a THP
 *              is written whole, 2^order slots from entry, when the
 *              page is a head (PG_head, bit 16; order in page[1], 6.1)
 *   swap_free  swap_range_free  offset=%si:u64 nr=%dx:u32
 *   zram_rw    zram_rw_page     sector=%si:u64 op=%cx:u32   (zram loaded)
 *   zram_free  zram_slot_free_notify  index=%si:u64         (zram loaded)
 * each only if the kernel has it (static functions may be inlined away).
 * From 6.12 (read in linux-source-6.12, measured on Debian's 6.12.118):
 *   swap_out   __swap_writepage(folio): swap_writepage() now returns
 *              early for zero-filled folios (kept in swap's zeromap,
 *              never written: 133 more calls than device writes in
 *              t_record), so the probe sits where the write happens.
 *              PG_head is bit 6 (head=...:b1@6/64) and a large folio's
 *              order the low byte of page[1].flags (+64); 6.1's offsets
 *              there read garbage orders (181079 stores counted for
 *              57497 device writes)
 *   swap_free  swap_range_free is inlined; swap_entry_range_free(si,
 *              entry, nr) frees every slot (THPs whole), entry=%si
 *   swap_in    swap_read_folio, as 6.10 renamed it; it reads a large
 *              folio whole (mTHP swap-in of a synchronous device: 2,120
 *              16-page reads in t_folio), so it fetches head and order
 *              as __swap_writepage does: one call, 2^order loads
 * A large folio's swap-out is written as one folio of 2^order pages
 * from its first slot (format v2, every trace of this recorder).
 * The trace is SWT_F_NO_CONTENT: replay refuses it, info works.  Events
 * are collected and ordered by time at the end (record/pattern.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "cli/util.h"
#include "format/swt.h"
#include "record/kernel_rec.h"
#include "record/pattern.h"
#include "record/rec_common.h"

static const char kprobes_usage[] =
"usage: swaplab record --kprobes [options] -o FILE.swt [-- CMD [ARGS...]]\n"
"\n"
"Record the swap access pattern of any kernel with kprobe events (root,\n"
"tracefs): swap-outs, swap-ins and slot frees, with time, CPU and task,\n"
"and no page contents (the trace says so; replay refuses it).\n"
"\n"
"  --swap-type N    the swap area to keep (default: the first one seen)\n"
"  --duration S     stop after S seconds (default: when CMD ends, or ^C)\n"
"  --buffer-mb N    per-CPU trace buffer (default 64)\n"
"  -o FILE          output trace (written atomically)\n"
"  --force          replace an existing file at -o (never an input)\n";

/*
 * @alt: the function's name in later kernels (6.10 swap_read_folio);
 * @func612, @fmt612: what 6.12 and later need instead, when it differs
 */
static const struct {
	const char *name, *func, *fmt, *alt, *func612, *fmt612;
} probes[] = {
	{ "swap_out", "swap_writepage",
	  "entry=+40(%di):u64 flags=+0(%di):u64 order=+81(%di):u8", NULL,
	  "__swap_writepage",
	  "entry=+40(%di):u64 head=+0(%di):b1@6/64 order=+64(%di):u8" },
	/* a folio's swap entry is its first page's private: same offset */
	{ "swap_in", "swap_readpage", "entry=+40(%di):u64",
	  "swap_read_folio", NULL,
	  "entry=+40(%di):u64 head=+0(%di):b1@6/64 order=+64(%di):u8" },
	{ "swap_free", "swap_range_free", "offset=%si:u64 nr=%dx:u32", NULL,
	  "swap_entry_range_free", "entry=%si:u64 nr=%dx:u32" },
	/* zram_rw_page: up to 6.3 only; optional like the next */
	{ "zram_rw", "zram_rw_page", "sector=%si:u64 op=%cx:u32", NULL,
	  NULL, NULL },
	{ "zram_free", "zram_slot_free_notify", "index=%si:u64", NULL, NULL,
	  NULL },
};
#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

/* whether the running kernel is 6.12 or later (its folio layout) */
static bool kernel_612(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return false;
	return maj > 6 || (maj == 6 && min >= 12);
}

/* probe @i on @func with @fmt, enabled in @t; NULL if the kernel would not */
static struct tracefs_dynevent *put_probe(struct krec_trace *t, size_t i,
					  const char *func, const char *fmt)
{
	struct tracefs_dynevent *d;

	d = tracefs_kprobe_alloc(PAT_KP_SYSTEM, probes[i].name, func, fmt);
	if (d && tracefs_dynevent_create(d) >= 0 &&
	    !krec_trace_enable(t, PAT_KP_SYSTEM, probes[i].name))
		return d;
	if (d) {
		tracefs_dynevent_destroy(d, true);
		tracefs_dynevent_free(d);
	}
	return NULL;
}

static int on_event(void *ctx, struct tep_handle *tep, struct tep_record *rec,
		    int cpu)
{
	return pat_classify(ctx, tep, rec, cpu);
}

int cmd_record_kprobes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kprobes", no_argument, NULL, 'K' },
		{ "swap-type", required_argument, NULL, 'T' },
		{ "duration", required_argument, NULL, 'd' },
		{ "buffer-mb", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const systems[] = { PAT_KP_SYSTEM, NULL };
	struct rec_opts ro = {
		.usage = kprobes_usage, .shortopts = "+o:h", .longopts = opts,
		.need_output = true, .buffer_mb = 64,
	};
	struct tracefs_dynevent *dyn[NPROBES] = { NULL };
	struct pev_list l = { 0 };
	struct krec_trace *t = NULL;
	struct swt_header hdr = { 0 };
	struct swt_totals tot = { 0 };
	const char *out = NULL;
	uint64_t v;
	int c, type = -1, ret = EXIT_TROUBLE, nprobes = 0;
	char err[512], names[256] = "";
	const char *func, *fmt;
	bool k612 = kernel_612();
	struct rec_run run = { 0 };
	size_t i;

	while ((c = rec_getopt(&ro, argc, argv)) != -1) {
		switch (c) {
		case 'T':
			if (!sl_parse_u64(optarg, &v) || v > 31)
				return sl_usage_err("--swap-type wants 0..31");
			type = v;
			break;
		}
	}
	if (ro.ret >= 0)
		return ro.ret;
	out = ro.out;
	if (rec_check_out(&ro, NULL))
		return EXIT_TROUBLE;
	t = krec_trace_create(ro.buffer_mb * 1024, err, sizeof(err));
	if (!t)
		return sl_err("%s", err);
	for (i = 0; i < NPROBES; i++) {
		/*
		 * Left by a killed recorder (its instance is gone by now):
		 * one --kprobes recorder at a time.  Written directly:
		 * tracefs_dynevent_get() + _free() crashed on such a probe.
		 */
		snprintf(err, sizeof(err), "-:%s/%s", PAT_KP_SYSTEM,
			 probes[i].name);
		tracefs_instance_file_append(NULL, "kprobe_events", err);
		func = probes[i].func;
		fmt = probes[i].fmt;
		if (k612 && probes[i].func612)
			func = probes[i].func612;
		if (k612 && probes[i].fmt612)
			fmt = probes[i].fmt612;
		dyn[i] = put_probe(t, i, func, fmt);
		if (!dyn[i] && probes[i].alt) {
			func = probes[i].alt;
			dyn[i] = put_probe(t, i, func, fmt);
		}
		if (!dyn[i])
			continue;
		nprobes++;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", strlen(names) ? " " : "", func);
	}
	if (!dyn[0] || !dyn[1]) {
		ret = sl_err("cannot put kprobes on swap_writepage/swap_readpage (root? CONFIG_KPROBE_EVENTS?)");
		goto out;
	}
	rec_header_live(&hdr, 0, true);
	/* swap_out reads a large folio's order: its slots are one folio */
	hdr.flags |= SWT_F_HAS_FOLIO;
	snprintf(hdr.source, sizeof(hdr.source), "kprobes:%s", names);
	snprintf(hdr.description, sizeof(hdr.description),
		 "swaplab record --kprobes%s%s", optind < argc ? " -- " : "",
		 optind < argc ? argv[optind] : "");
	if (krec_trace_start(t, systems, err, sizeof(err))) {
		ret = sl_err("%s", err);
		goto out;
	}
	if (rec_run_start(&run, argv + optind, NULL, ro.duration_s))
		goto out;
	while (rec_run_more(&run)) {
		if (krec_trace_drain(t, on_event, &l) < 0) {
			ret = sl_err_errno("reading the trace buffers");
			goto out;
		}
		if (!run.exited)
			usleep(50000);
	}
	krec_trace_stop(t);
	if (krec_trace_drain(t, on_event, &l) < 0) {
		ret = sl_err_errno("reading the trace buffers");
		goto out;
	}
	ret = pat_write(&l, out, &hdr, type, &tot);
	if (ret)
		goto out;
	printf("recorded %s: %llu events (%llu stores, %llu loads, %llu frees), no contents; %d kprobes (%s); lost %llu\n",
	       out, (unsigned long long)tot.events,
	       (unsigned long long)tot.stores, (unsigned long long)tot.loads,
	       (unsigned long long)tot.frees, nprobes, names,
	       (unsigned long long)krec_trace_lost(t));
	ret = krec_trace_lost(t) ? EXIT_NO : EXIT_YES;
out:
	rec_run_end(&run);
	krec_trace_destroy(t);
	for (i = 0; i < NPROBES; i++)
		if (dyn[i]) {
			tracefs_dynevent_destroy(dyn[i], true);
			tracefs_dynevent_free(dyn[i]);
		}
	pat_free(&l);
	return ret;
}
