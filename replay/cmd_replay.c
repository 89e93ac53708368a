/*
 * cmd_replay.c - `swaplab replay`: every trace x codec x allocator, each
 * run verified, into one results file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "format/trace_hash.h"
#include "engine.h"
#include "format/results.h"
#include "pass_order.h"
#include "replay_opts.h"

/*
 * a repetition must reproduce every size: the store is deterministic; with
 * threads the pool's page count depends on the interleaving, so only the
 * compressed figures must match then
 */
static bool same_sizes(json_t *a, json_t *b, bool threads)
{
	static const char *const keys[] = { "compr_data_size", "same_pages",
		"huge_pages", "mem_used_total", "mem_used_max" };
	size_t i;

	for (i = 0; i < (threads ? 3 : sizeof(keys) / sizeof(keys[0])); i++)
		if (sl_results_num(a, keys[i]) != sl_results_num(b, keys[i]))
			return false;
	return true;
}

static const char replay_usage[] =
"usage: swaplab replay TRACE.swt... [--codec LIST] [--alloc LIST] [-o FILE]\n"
"\n"
"Replay each trace into a compressed store once per codec x allocator,\n"
"verify every load and, at the end, every live slot; write the results.\n"
"\n"
"  --codec LIST          codec specs, comma-separated, or 'all' (every\n"
"                        kernel codec) or 'libs' (default: lz4); a kernel\n"
"                        codec may name its kernel: zstd@6.1,zstd@6.12\n"
"  --alloc LIST          allocator specs, or 'all' (default: zsmalloc)\n"
"  --chunk 4k|16k|32k|64k|folio\n"
"                        compress the pages of an aligned group of slots\n"
"                        (or a recorded folio) as one object, a kernel\n"
"                        codec's large-input entry; docs/large-folios.md\n"
"  --chunk-split         on a free, compress the object's other pages\n"
"                        again at once instead of holding its memory\n"
"  --kernel 6.1|6.12     the kernel modelled: bare kernel codec names and\n"
"                        zsmalloc's rules are its (default: the trace\n"
"                        header's kernel when one of these, else 6.12;\n"
"                        with --target, the running kernel)\n"
"  -o, --output FILE     results JSON (default: results.json); never one\n"
"                        of the inputs, nor a file that is not results\n"
"                        without --force\n"
"  --force               replace -o FILE (or truncate --backing FILE)\n"
"                        even when it is not a file of that kind\n"
"  --max-memory SIZE     stop (exit 2) with what holds the memory once\n"
"                        swaplab uses more (default: 3/4 of RAM)\n"
"  --same-filled on|off  keep same-filled pages in the slot (default on)\n"
"  --huge-threshold auto|BYTES\n"
"                        store pages compressing to this or more raw\n"
"                        (default auto: the allocator's huge class)\n"
"  --memlimit SIZE       fail stores past this pool size, as zram does\n"
"  --compact never|every=N|on-free\n"
"                        compact the pool never, every N ops, or after\n"
"                        each free (default never)\n"
"  --timeline N          sample the stats every N ops (default: 200\n"
"                        samples per run)\n"
"  --repeat N            run each combination N times; the noisy figures\n"
"                        of every repetition go to \"repeats\" for\n"
"                        `swaplab compare` (sizes must not change: checked)\n"
"  --dedup on|off        share one object among equal pages (default off)\n"
"  --backing FILE        a scratch backing file for writeback (created,\n"
"                        and removed after each run); with --memlimit,\n"
"                        stores over the limit go there\n"
"  --writeback huge|idle|huge_idle|incompressible\n"
"                        write those slots back at each maintenance point\n"
"  --writeback-limit N   zram's writeback_limit (enabled): N 4 KiB units\n"
"                        may be written back in all; then writeback stops\n"
"  --idle-after OPS|Nms  idle = not accessed for this many ops (or ms of\n"
"                        trace time); also the maintenance interval\n"
"                        (default: a tenth of the trace's events)\n"
"  --recompress CODEC[,CODEC]\n"
"                        secondary codecs by priority, as zram's\n"
"                        recomp_algorithm; run at each maintenance point\n"
"  --recompress-type huge|idle\n"
"                        which slots to recompress (default: all)\n"
"  --threads N           N streams over one shared store, split by the\n"
"                        trace's cpu field (by slot without one, or with\n"
"                        fewer than N cpus); throughput is then the wall\n"
"                        time of the parallel ops\n"
"  --split cpu|slot      force how --threads splits the events: a slot's\n"
"                        ops keep their trace order, so by cpu a stream\n"
"                        waits for another at a slot both touch; by slot,\n"
"                        threads take groups of 16 slots as they come free\n"
"  --target DEV          replay into /dev/zramN or /dev/swaplabN instead of\n"
"                        the model: the device is reset and configured\n"
"                        (codec, allocator, disksize) through sysfs; STORE\n"
"                        = O_DIRECT write, LOAD = read + verify, FREE =\n"
"                        discard; stats from mm_stat; latency per syscall\n"
"  --target swap         replay into the kernel's real swap path (root,\n"
"                        a swap device on, cgroup v2): one page per slot\n"
"                        in a cgroup of its own; STORE = write +\n"
"                        MADV_PAGEOUT, LOAD = touch + verify, FREE =\n"
"                        MADV_DONTNEED; zswap debugfs, vmstat, zram and\n"
"                        memory.stat counters at every timeline point;\n"
"                        uses the swap and zswap settings it finds\n"
"  --verify hash|bytes   check loads and the end-of-run read-back against\n"
"                        each STORE's XXH3-128 hash, kept per slot (hash,\n"
"                        the default: the trace is decoded once), or the\n"
"                        trace's page fetched again (bytes); the model's\n"
"                        zram runs only, the others verify by bytes\n"
"  --mem-budget SIZE     the model's zram runs of a trace share passes over\n"
"                        it (each event decoded once, applied to every\n"
"                        store of the pass) as many at once as fit SIZE,\n"
"                        counting each store at its most live pages kept\n"
"                        raw (default: half of RAM); past one pass, the\n"
"                        costliest codecs (timed on sample pages) together\n"
"  --jobs N              threads the runs of a pass share, each run on one\n"
"                        (default: every cpu; by hash only)\n"
"  --zswap-sync-shrink on|off  --target swap: after a STORE that queued\n"
"                        zswap's shrink worker, wait until it has run\n"
"                        (seen through tracefs), so that each refused\n"
"                        store is followed by one worker run, as in the\n"
"                        model (default: on when tracefs is available)\n"
"  --quiet               no progress line on stderr\n"
FRONTEND_USAGE
"\n"
"Exit status: 0 all runs verified, 1 a verify failure, 2 trouble.\n";

/*
 * the reader's page cache: by hash the model's zram runs fetch a page only
 * for its STORE, and after the scan's plan (swt_reader_plan_reuse()) a
 * page stored again comes from the reader's kept copies, so the cache
 * only ever serves chunks in file order: four do.  By bytes, or when a
 * run fetches pages to verify, the default (an eighth of RAM).
 */
#define HASH_READER_CACHE	(1ull << 20)

static size_t replay_reader_cache(const struct replay_opts *o)
{
	int fi;

	if (o->verify_bytes || o->chunk || o->target)
		return 0;
	for (fi = 0; fi < o->fe.nfe; fi++)
		if (o->fe.fe[fi] == FE_ZSWAP)
			return 0;
	return HASH_READER_CACHE;
}

/* one combination, o->repeat times; Return: 0 or an exit code */
/*
 * With fewer cpus in the trace than threads, a split by cpu would leave
 * threads idle (a trace recorded on one CPU replays as one stream): split
 * by slot instead, unless --split was given, and say so once.
 */
static void split_default(const struct replay_opts *o, struct replay_cfg *cfg,
			  const struct trace_scan *scan, const char *trace)
{
	static bool said;

	if (cfg->threads < 2 || o->split_given || !scan->cpus ||
	    scan->cpus >= cfg->threads)
		return;
	cfg->split_by_slot = true;
	if (!o->quiet && !said)
		fprintf(stderr, "swaplab replay: note: %s has events from %u cpu%s only: split by slot (--split cpu keeps one stream per cpu)\n",
			trace, scan->cpus, scan->cpus == 1 ? "" : "s");
	said = true;
}

static int run_combination(const struct replay_opts *o,
			   const struct replay_cfg *cfg, struct swt_reader *r,
			   json_t **out, uint64_t *failures)
{
	json_t *first = NULL, *run, *reps = json_array();
	char err[512];
	unsigned int i;

	for (i = 0; i < o->repeat; i++) {
		struct replay_cfg c = *cfg;

		c.run_no = cfg->run_no + i;
		if (sl_replay_run(&c, r, &run, err, sizeof(err))) {
			json_decref(first);
			json_decref(reps);
			return sl_err("%s: %s x %s: %s", cfg->trace_path,
				      cfg->codec_spec, cfg->alloc_spec, err);
		}
		*failures += sl_results_num(run, "verify_failures");
		json_array_append_new(reps, sl_results_repeat_entry(run));
		if (!first) {
			first = run;
			continue;
		}
		if (!same_sizes(first, run, cfg->threads > 1)) {
			json_decref(first);
			json_decref(run);
			json_decref(reps);
			return sl_err("%s: %s x %s: repetition %u gave other sizes than the first",
				      cfg->trace_path, cfg->codec_spec,
				      cfg->alloc_spec, i + 1);
		}
		json_decref(run);
	}
	json_object_set_new(first, "repeats", reps);
	*out = first;
	return 0;
}

/* @argv as a shell would need it typed again: "swaplab replay ..." */
static json_t *command_line(int argc, char **argv)
{
	size_t len = strlen("swaplab"), n;
	char *buf, *p;
	const char *a;
	json_t *out;
	int i;

	for (i = 0; i < argc; i++)
		len += 3 + 4 * strlen(argv[i]);
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	p = buf + sprintf(buf, "swaplab");
	for (i = 0; i < argc; i++) {
		*p++ = ' ';
		n = strspn(argv[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./,:=@%+-");
		if (argv[i][0] && !argv[i][n]) {
			p += sprintf(p, "%s", argv[i]);
			continue;
		}
		*p++ = '\'';
		for (a = argv[i]; *a; a++) {
			if (*a == '\'')
				p += sprintf(p, "'\\''");
			else
				*p++ = *a;
		}
		*p++ = '\'';
	}
	*p = 0;
	out = json_string(buf);
	free(buf);
	return out;
}

/* the host's CPU, as /proc/cpuinfo names it ("" when it does not) */
static json_t *host_cpu(void)
{
	char line[512], *v;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		v = strchr(line, ':');
		if (strncmp(line, "model name", 10) || !v)
			continue;
		fclose(f);
		v += strspn(v + 1, " \t") + 1;
		v[strcspn(v, "\n")] = 0;
		return json_string(v);
	}
	if (f)
		fclose(f);
	return json_string("");
}

/*
 * what a cover letter cites (report --format cover-letter): the command
 * that reproduces the run, the host's CPU, the kernel the trace came from
 * and the allocator's description
 */
static void add_origin(json_t *run, json_t *cmd, json_t *cpu,
		       const struct swt_header *hdr, const char *alloc_spec)
{
	const char *opts;
	const struct sl_alloc_ops *a = sl_alloc_find(alloc_spec, &opts);

	json_object_set(run, "command_line", cmd);
	json_object_set(run, "host_cpu", cpu);
	json_object_set_new(run, "trace_kernel", json_string(hdr->kernel));
	json_object_set_new(run, "alloc_desc", json_string(a && a->desc ?
							   a->desc : ""));
}

/* half of RAM, the default --mem-budget */
static uint64_t default_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	return pages > 0 && psz > 0 ? (uint64_t)pages * psz / 2 : 1ull << 30;
}

/*
 * what one store of @scan may hold at most: its most live pages, each
 * kept raw (zram stores a page that does not compress as it is), and the
 * slot table's entries (sparse, as the store's own); an upper bound, for
 * grouping runs into passes
 */
static uint64_t store_need(const struct trace_scan *scan)
{
	/* a trace without stores: its runs still cost something */
	return max_t(uint64_t, scan->max_live, 1) * (4096 + 64);
}

static void add_run(json_t *doc, json_t *run, json_t *cmd, json_t *cpu,
		    struct swt_reader *r, const struct replay_cfg *cfg,
		    uint64_t *failures)
{
	*failures += sl_results_num(run, "verify_failures");
	json_object_set_new(run, "repeats", json_pack("[o]",
			    sl_results_repeat_entry(run)));
	add_origin(run, cmd, cpu, swt_reader_header(r), cfg->alloc_spec);
	sl_results_add(doc, run);
}

/*
 * @n sample pages of @r, spread evenly over its page ids, into @buf;
 * Return: how many (0 for a trace without contents or when a page
 * cannot be read: the runs then keep their order)
 */
static unsigned int sample_pages(struct swt_reader *r, uint8_t *buf,
				 unsigned int n)
{
	uint64_t pages = swt_reader_pages_seen(r);
	const void *p;
	unsigned int i;

	if (swt_reader_header(r)->flags & SWT_F_NO_CONTENT)
		return 0;
	n = pages < n ? pages : n;
	for (i = 0; i < n; i++) {
		p = swt_page(r, pages * i / n);
		if (!p)
			return 0;
		memcpy(buf + (size_t)i * 4096, p, 4096);
	}
	return n;
}

/* why the runs take longer than one pass, and how they were cut */
static void say_cut(const struct replay_cfg *cfgs, unsigned int n,
		    unsigned int per_pass, const unsigned int *order,
		    const unsigned int *sizes, unsigned int np)
{
	bool allocs = false;	/* name the allocator too: they differ */
	unsigned int p, i, k = 0;

	for (i = 1; i < n; i++)
		allocs |= strcmp(cfgs[i].alloc_spec, cfgs[0].alloc_spec) != 0;
	fprintf(stderr, "swaplab replay: note: --mem-budget holds %u store%s at a time: %u runs in %u passes, costliest codecs together:",
		per_pass, per_pass == 1 ? "" : "s", n, np);
	for (p = 0; p < np; p++)
		for (i = 0; i < sizes[p]; i++, k++)
			fprintf(stderr, "%s%s%s%s", !i ? (p ? " | " : " ") :
				", ", cfgs[order[k]].codec_spec,
				allocs ? " x " : "",
				allocs ? cfgs[order[k]].alloc_spec : "");
	fprintf(stderr, "\n");
}

/*
 * the runs cfgs[0..n) in passes of at most @per_pass, cut as
 * pass_order.h says; each run's results into runs[], in the order of
 * @cfgs.  Return: 0, or -1 with @err filled (@runs then holds nothing)
 */
static int run_passes(struct replay_cfg *cfgs, unsigned int n,
		      unsigned int per_pass, bool say, struct swt_reader *r,
		      json_t **runs, char *err, size_t errlen)
{
	unsigned int *order = calloc(n, sizeof(*order));
	unsigned int *sizes = calloc(n, sizeof(*sizes));
	struct replay_cfg *pass = calloc(n, sizeof(*pass));
	json_t **got = calloc(n, sizeof(*got));
	double *cost = calloc(n, sizeof(*cost));
	uint8_t *sample = malloc((size_t)PASS_SAMPLE_PAGES * 4096);
	unsigned int np, p, k, done = 0;
	int ret = -1;

	if (!order || !sizes || !pass || !got || !cost || !sample) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	pass_costs(cfgs, n, sample, sample_pages(r, sample,
						 PASS_SAMPLE_PAGES), cost);
	np = pass_order(cost, n, per_pass, order, sizes);
	if (say)
		say_cut(cfgs, n, per_pass, order, sizes, np);
	for (p = 0; p < np; done += sizes[p++]) {
		for (k = 0; k < sizes[p]; k++) {
			pass[k] = cfgs[order[done + k]];
			/* progress counts runs in the order they are done */
			pass[k].run_no = cfgs[0].run_no + done + k;
		}
		if (sl_replay_multi(pass, sizes[p], r, got, err, errlen)) {
			char why[512];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "%.64s x %.64s: %.360s",
				 pass[0].codec_spec, pass[0].alloc_spec, why);
			goto out;
		}
		for (k = 0; k < sizes[p]; k++)
			runs[order[done + k]] = got[k];
	}
	ret = 0;
out:
	for (k = 0; ret && k < done; k++) {
		json_decref(runs[order[k]]);
		runs[order[k]] = NULL;
	}
	free(order);
	free(sizes);
	free(pass);
	free(got);
	free(cost);
	free(sample);
	return ret;
}

/*
 * every run of one trace, in order: the model's zram runs in passes of
 * as many as the budget holds, the others one by one
 * Return: 0 or an exit code
 */
static int run_trace(const struct replay_opts *o, struct replay_cfg *cfgs,
		     int ncfg, const struct trace_scan *scan,
		     struct swt_reader *r, json_t *cmd, json_t *cpu,
		     json_t *doc, uint64_t *failures)
{
	uint64_t budget = o->mem_budget ? o->mem_budget : default_budget();
	uint64_t need = store_need(scan);
	json_t **runs = calloc(ncfg, sizeof(*runs)), *run = NULL;
	char err[512];
	uint64_t per_pass;
	int i, j, k, ret = 0;

	if (!runs)
		return sl_err("out of memory");

	for (i = 0; i < ncfg;) {
		if (o->repeat > 1 || !sl_replay_multi_ok(&cfgs[i])) {
			ret = run_combination(o, &cfgs[i], r, &run, failures);
			if (ret)
				break;
			add_origin(run, cmd, cpu, swt_reader_header(r),
				   cfgs[i].alloc_spec);
			sl_results_add(doc, run);
			i++;
			continue;
		}
		if (need > budget) {
			ret = sl_err("%s: --mem-budget %.1f MiB is less than one store may need: %.1f MiB (%llu live pages at most)",
				      cfgs[i].trace_path, budget / 1048576.0,
				      need / 1048576.0,
				      (unsigned long long)scan->max_live);
			break;
		}
		per_pass = budget / need;
		for (j = i; j < ncfg && sl_replay_multi_ok(&cfgs[j]); j++)
			;
		if ((uint64_t)(j - i) > per_pass) {
			if (run_passes(&cfgs[i], j - i, per_pass, !o->quiet,
				       r, runs, err, sizeof(err))) {
				ret = sl_err("%s: %s", cfgs[i].trace_path,
					     err);
				break;
			}
		} else if (sl_replay_multi(&cfgs[i], j - i, r, runs, err,
					   sizeof(err))) {
			ret = sl_err("%s: %s x %s: %s", cfgs[i].trace_path,
				     cfgs[i].codec_spec, cfgs[i].alloc_spec,
				     err);
			break;
		}
		for (k = i; k < j; k++)
			add_run(doc, runs[k - i], cmd, cpu, r, &cfgs[k],
				failures);
		i = j;
	}
	free(runs);
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct replay_cfg *cfgs = NULL, *cfg;
	char err[512];
	json_t *doc = NULL, *cmd = NULL, *cpu = NULL;
	uint64_t failures = 0;
	int t, fi, ci, ai, ret, ncfg;
	unsigned int run_no = 1, nr_runs = 0;
	double t0 = sl_now_s();

	/* before getopt permutes argv */
	cmd = command_line(argc, argv);
	ret = replay_opts_parse(&o, argc, argv, replay_usage);
	if (ret >= 0) {
		json_decref(cmd);
		return ret;
	}
	/* before the replay: a refusal must not cost hours */
	if (replay_opts_check_out(&o, o.output, SL_KIND_RESULTS)) {
		json_decref(cmd);
		replay_opts_free(&o);
		return EXIT_TROUBLE;
	}
	/* zswap runs its one pool, zram every --alloc */
	for (fi = 0; fi < o.fe.nfe; fi++)
		nr_runs += (o.fe.fe[fi] == FE_ZSWAP ? 1 : o.nallocs) * o.ncodecs *
			   o.ntraces * o.repeat;
	doc = sl_results_new(SWAPLAB_VERSION);
	cpu = host_cpu();
	cfgs = calloc((size_t)o.fe.nfe * o.ncodecs * o.nallocs, sizeof(*cfgs));
	if (!doc || !cmd || !cpu || !cfgs) {
		ret = sl_err("out of memory");
		goto out;
	}
	for (t = 0; t < o.ntraces; t++) {
		struct swt_reader *r;
		struct trace_scan scan;

		r = swt_reader_open(o.traces[t], replay_reader_cache(&o), err,
				    sizeof(err));
		if (!r) {
			ret = sl_err("%s", err);
			goto out;
		}
		/* for the results' provenance, while the replay runs */
		sl_trace_hash_start(o.traces[t]);
		if (sl_trace_scan(r, &scan, err, sizeof(err))) {
			ret = sl_err("%s: %s", o.traces[t], err);
			swt_reader_close(r);
			goto out;
		}
		ncfg = 0;
		for (fi = 0; fi < o.fe.nfe; fi++)
		for (ci = 0; ci < o.ncodecs; ci++) {
			bool zswap = o.fe.fe[fi] == FE_ZSWAP;

			/* zswap has one pool, not the --alloc list */
			for (ai = 0; ai < (zswap ? 1 : o.nallocs); ai++) {
				cfg = &cfgs[ncfg++];
				replay_opts_cfg(&o, cfg);
				cfg->trace_path = o.traces[t];
				cfg->codec_spec = o.codecs[ci];
				cfg->alloc_spec = zswap ? o.fe.zs.pool :
						  o.allocs[ai];
				cfg->zswap = zswap ? &o.fe.zs : NULL;
				cfg->nr_slots = (uint64_t)scan.max_index + 1;
				cfg->nr_events = scan.events;
				cfg->run_no = run_no;
				cfg->nr_runs = nr_runs;
				cfg->progress_t0 = t0;
				run_no += o.repeat;
				split_default(&o, cfg, &scan, o.traces[t]);
			}
		}
		ret = run_trace(&o, cfgs, ncfg, &scan, r, cmd, cpu, doc,
				&failures);
		if (ret) {
			swt_reader_close(r);
			goto out;
		}
		swt_reader_close(r);
	}
	if (sl_results_write(doc, o.output)) {
		ret = sl_err_errno("cannot write '%s'", o.output);
		goto out;
	}
	if (!o.quiet) {
		json_t *runs = json_object_get(doc, "runs"), *r;
		double refused = 0, nref = 0, v;
		size_t i;

		/* a run that refused stores measured less than the trace */
		json_array_foreach(runs, i, r) {
			v = sl_results_num(r, "ops.failed_stores");
			refused += v > 0 ? v : 0;
			nref += v > 0;
		}
		fprintf(stderr, "%d run%s written to %s%s",
			(int)json_array_size(runs),
			json_array_size(runs) == 1 ? "" : "s", o.output,
			failures ? " -- VERIFY FAILURES" : ", all verified");
		if (refused)
			fprintf(stderr, " -- %.0f STORES FAILED in %.0f run%s (memlimit or a full pool: those pages were not stored)",
				refused, nref, nref == 1 ? "" : "s");
		fputc('\n', stderr);
	}
	ret = failures ? EXIT_NO : EXIT_YES;
out:
	json_decref(doc);
	json_decref(cmd);
	json_decref(cpu);
	free(cfgs);
	replay_opts_free(&o);
	return ret;
}
