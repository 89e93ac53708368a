/*
 * engine.c - see engine.h.
 *
 * Only the core call is timed: the trace is decoded, the expected page
 * fetched and compared outside the timed region, so the latencies are the
 * store's own.  The expected content of each slot is remembered as the
 * hash of the page last stored there (16 bytes per slot, expect.h), or
 * with --verify bytes as its id, fetched from the trace when a load has to
 * be checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "cli/util.h"
#include "core/user/sl_codecs.h"
#include "format/trace_hash.h"
#include "backend.h"
#include "engine_int.h"
#include "chunk.h"

#define TIMELINE_POINTS	200

/* cpus past this count as one */
#define SCAN_CPUS	4096

int sl_trace_scan(struct swt_reader *r, struct trace_scan *scan, char *err,
		  size_t errlen)
{
	static uint8_t seen[SCAN_CPUS / 8];
	struct slotmap live;
	struct swt_event ev;
	uint64_t nlive = 0;
	uint8_t *l;
	int ret;

	memset(seen, 0, sizeof(seen));
	memset(scan, 0, sizeof(*scan));
	/* a byte per slot used: does it hold a page */
	if (slotmap_init(&live, 1ull << 32, 1, 0)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	scan->has_content = !(swt_reader_header(r)->flags & SWT_F_NO_CONTENT);
	swt_reader_rewind(r);
	/* the replays that follow decode each page chunk once */
	swt_reader_plan_reuse(r);
	swt_reader_skip_contents(r, true);
	while ((ret = swt_next(r, &ev)) == 1) {
		scan->events++;
		if (ev.op == SWT_STORE)
			scan->stores++;
		if (ev.op != SWT_MARK && ev.index > scan->max_index)
			scan->max_index = ev.index;
		if (ev.op == SWT_STORE || ev.op == SWT_FREE) {
			l = slotmap_get(&live, ev.index);
			if (!l) {
				ret = -2;
				break;
			}
			nlive += (ev.op == SWT_STORE) - *l;
			*l = ev.op == SWT_STORE;
			scan->max_live = max_t(uint64_t, scan->max_live,
					       nlive);
		}
		if (ev.cpu >= 0) {
			uint32_t c = min_t(uint32_t, ev.cpu, SCAN_CPUS - 1);

			if (!(seen[c / 8] & 1 << c % 8))
				scan->cpus++;
			seen[c / 8] |= 1 << c % 8;
		}
	}
	swt_reader_skip_contents(r, false);
	slotmap_free(&live);
	if (ret < 0) {
		snprintf(err, errlen, "%s", ret == -2 ? "out of memory" :
			 swt_reader_error(r));
		return -1;
	}
	return 0;
}

/* seconds into the trace of the trace time @ts */
static double trace_s(const struct run_state *s, uint64_t ts)
{
	return ts >= s->start_ns ? (ts - s->start_ns) / 1e9 : 0;
}

static json_t *timeline_point(uint64_t op, double t_s,
			      const struct sl_store_stats *st)
{
	return json_pack("{s:I, s:f, s:I, s:I, s:I, s:I, s:I}",
			 "op", (json_int_t)op,
			 "t_s", t_s,
			 "orig_data_size", (json_int_t)st->orig_data_size,
			 "compr_data_size", (json_int_t)st->compr_data_size,
			 "mem_used_total", (json_int_t)st->mem_used_total,
			 "pages_compacted", (json_int_t)st->pages_compacted,
			 "bd_count", (json_int_t)st->bd_count);
}

static const char *compact_name(enum compact_mode m)
{
	return m == COMPACT_EVERY ? "every" : m == COMPACT_ON_FREE ?
	       "on-free" : "never";
}

static const char *select_name(unsigned int sel)
{
	switch (sel) {
	case SL_SEL_HUGE:
		return "huge";
	case SL_SEL_IDLE:
		return "idle";
	case SL_SEL_HUGE_IDLE:
		return "huge_idle";
	case SL_SEL_INCOMPRESSIBLE:
		return "incompressible";
	case 0:
		return "all";
	}
	return "?";
}

static json_t *settings_json(const struct replay_cfg *cfg,
			     const struct swt_header *hdr, struct run_state *s)
{
	const char *split = "none";
	json_t *rec = json_array();
	int i;

	for (i = 0; i < MAX_RECOMP_SPECS && cfg->recomp_specs[i]; i++)
		json_array_append_new(rec, json_string(cfg->recomp_specs[i]));
	if (cfg->threads)
		split = !cfg->split_by_slot && hdr->flags & SWT_F_HAS_CPU ?
			"cpu" : "slot";
	return json_pack("{s:b, s:I, s:I, s:s, s:I, s:I, s:I, s:b, s:s?,"
			 " s:s, s:o, s:I, s:s, s:o, s:s, s:i, s:s}",
		"same_filled", cfg->same_filled,
		"huge_threshold", (json_int_t)sl_store_huge_threshold(s->store),
		"mem_limit", (json_int_t)cfg->mem_limit,
		"compact", compact_name(cfg->compact),
		"compact_every", (json_int_t)cfg->compact_every,
		"timeline_every", (json_int_t)cfg->timeline_every,
		"nr_slots", (json_int_t)cfg->nr_slots,
		"dedup", cfg->dedup,
		"backing", cfg->backing_path,
		"writeback", cfg->backing_path ? select_name(cfg->writeback) :
		"none",
		"writeback_limit", cfg->wb_limit >= 0 ?
		json_integer(cfg->wb_limit) : json_null(),
		"idle_after", (json_int_t)cfg->idle_after,
		"idle_unit", cfg->idle_in_ns ? "ns" : "ops",
		"recompress", rec,
		"recompress_type", select_name(cfg->recompress),
		"threads", (int)cfg->threads,
		"split", split);
}

static json_t *make_run(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct run_state *s)
{
	const struct stream_stats *ss = &s->ss;
	struct run_result rr = { .zram_offers_codec = -1 };
	struct sl_store_stats st;
	json_t *sizes, *extra;
	double core_ns;
	unsigned int i;

	sl_store_stats(s->store, &st);
	/* one stream: the sum of the op times; threads: the wall time */
	core_ns = s->threads_used ? (double)s->wall_ns :
		  (double)ss->hist[H_STORE].sum + ss->hist[H_LOAD].sum;
	sizes = json_array();
	for (i = 0; i < SIZE_BINS; i++)
		json_array_append_new(sizes, json_integer(ss->size_bins[i]));
	extra = json_object();
	if (cfg->wb_limit >= 0)
		json_object_set_new(extra, "writeback_limit_left", json_integer(
			(json_int_t)sl_store_wb_limit(s->store, NULL)));
	/* what went to a disk: the column zswap runs fill too */
	json_object_set_new(extra, "swap_writes", json_integer(st.bd_writes));
	json_object_set_new(extra, "dedup_pages", json_integer(st.dedup_pages));
	json_object_set_new(extra, "dedup_saved_bytes",
			    json_integer(st.dedup_saved_bytes));
	json_object_set_new(extra, "pages_recompressed",
			    json_integer(st.pages_recompressed));
	json_object_set_new(extra, "recompress_saved_bytes",
			    json_integer(st.recompress_saved_bytes));
	json_object_set_new(extra, "incompressible_pages",
			    json_integer(st.incompressible_pages));

	rr.zram_offers_codec = sl_codec_zram_offers(sl_codec_kernel(),
						    cfg->codec_spec);
	rr.frontend = "zram";
	rr.verify = expect_mode_name(&s->expected);
	rr.settings = settings_json(cfg, hdr, s);
	rr.end = &st;
	rr.counters = RC_ZRAM_BD;
	rr.ratio_cumulative = ss->cum_compr ?
			      (double)ss->cum_orig / ss->cum_compr : 0;
	rr.at_peak = moment_json(&s->peak, s->peak_op, s->ops_done,
				 trace_s(s, s->peak_ts));
	rr.at_end = moment_json(&st, s->ops_done, s->ops_done,
				trace_s(s, s->end_ts));
	rr.verify_failures = ss->verify_failures;
	rr.ops = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"stores", (json_int_t)ss->stores,
		"loads", (json_int_t)ss->loads,
		"frees", (json_int_t)ss->frees,
		"loads_of_empty_slots", (json_int_t)ss->loads_empty,
		"failed_stores", (json_int_t)ss->failed_stores,
		"dedup_hits", (json_int_t)ss->dedup_hits,
		"verified_at_end", (json_int_t)s->final_checked,
		"compactions", (json_int_t)s->compactions,
		"maintenance_runs", (json_int_t)s->maintenance_runs);
	rr.throughput = json_pack("{s:f, s:f, s:f, s:s}",
		"core_seconds", core_ns / 1e9,
		"ops_per_sec", core_ns > 0 ? (ss->stores + ss->loads) /
		(core_ns / 1e9) : 0.0,
		"store_pages_per_sec", core_ns > 0 ? ss->stores /
		(core_ns / 1e9) : 0.0,
		"timed", s->threads_used ?
		"wall time of the parallel phases" :
		"sum of the core calls");
	rr.latency_ns = stream_latency_json(ss);
	rr.latency_cdf = json_pack("{s:o, s:o}",
		"compress", hist_cdf(&ss->hist[H_COMPRESS]),
		"decompress", hist_cdf(&ss->hist[H_DECOMPRESS]));
	rr.size_hist = sizes;
	rr.timeline = s->timeline;
	rr.extra = extra;
	return run_result_json(cfg, hdr, &rr);
}

/* ---- a backing file: one 4 KiB block per slot, removed after the run */

static int bd_file_write(void *priv, u64 blk, const void *page)
{
	int fd = (int)(long)priv;

	return pwrite(fd, page, 4096, blk * 4096) == 4096 ? 0 : -EIO;
}

static int bd_file_read(void *priv, u64 blk, void *page)
{
	int fd = (int)(long)priv;

	return pread(fd, page, 4096, blk * 4096) == 4096 ? 0 : -EIO;
}

static const struct sl_backing_ops bd_file_ops = {
	.write = bd_file_write,
	.read = bd_file_read,
};

static int build_store(const struct replay_cfg *cfg, struct run_state *s,
		       char *err, size_t errlen)
{
	struct sl_store_cfg *sc = &s->sc;
	char msg[256];
	int i, ret;

	if (sl_codec_parse(cfg->codec_spec, &sc->codec, &sc->codec_params, msg,
			   sizeof(msg))) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	for (i = 0; i < MAX_RECOMP_SPECS && cfg->recomp_specs[i]; i++) {
		if (sl_codec_parse(cfg->recomp_specs[i], &sc->recomp[i],
				   &sc->recomp_params[i], msg, sizeof(msg))) {
			snprintf(err, errlen, "%s", msg);
			return -1;
		}
	}
	sc->alloc = sl_alloc_find(cfg->alloc_spec, &sc->alloc_opts);
	if (!sc->alloc) {
		snprintf(err, errlen, "unknown allocator '%s'", cfg->alloc_spec);
		return -1;
	}
	sc->nr_slots = cfg->nr_slots;
	sc->no_same_filled = !cfg->same_filled;
	sc->huge_threshold = cfg->huge_threshold;
	sc->mem_limit = cfg->mem_limit;
	sc->dedup = cfg->dedup;
	if (cfg->backing_path) {
		s->backing_fd = open(cfg->backing_path, O_RDWR | O_CREAT |
				     O_TRUNC | O_CLOEXEC, 0600);
		if (s->backing_fd < 0) {
			snprintf(err, errlen, "cannot open backing file '%s': %s",
				 cfg->backing_path, strerror(errno));
			return -1;
		}
		sc->backing = &bd_file_ops;
		sc->backing_priv = (void *)(long)s->backing_fd;
		sc->backing_blocks = cfg->nr_slots;
		sc->limit_to_backing = true;
	}
	s->store = sl_store_create(sc);
	if (IS_ERR(s->store)) {
		ret = PTR_ERR(s->store);
		s->store = NULL;
		snprintf(err, errlen, ret == -EINVAL ?
			 "allocator '%s': bad option" :
			 "cannot create the store for '%s': out of memory",
			 cfg->alloc_spec);
		return -1;
	}
	/* zram's writeback_limit_enable + writeback_limit */
	if (cfg->wb_limit >= 0)
		sl_store_set_wb_limit(s->store, true, cfg->wb_limit);
	ret = sl_store_ctx_create(s->store, &s->ctx);
	if (ret) {
		snprintf(err, errlen, "codec '%s': cannot create context: %s",
			 cfg->codec_spec, strerror(-ret));
		return -1;
	}
	return 0;
}

static void progress(const struct replay_cfg *cfg, uint64_t done)
{
	unsigned int run = cfg->run_no ? cfg->run_no : 1;

	sl_progress_runs(cfg->pass_first ? cfg->pass_first : run, run,
			 cfg->nr_runs ? cfg->nr_runs : 1, cfg->codec_spec,
			 cfg->alloc_spec, cfg->nr_events ?
			 (double)done / cfg->nr_events : 1, cfg->progress_t0);
}

void between_ops(const struct replay_cfg *cfg, struct run_state *s,
		 uint64_t n, uint64_t ts, bool freed)
{
	struct sl_store_stats st;
	uint64_t clock = cfg->idle_in_ns ? ts : n;

	/* before compaction and maintenance: the state the op left */
	if (sl_store_mem_used_max(s->store) > s->peak_seen) {
		s->peak_seen = sl_store_mem_used_max(s->store);
		sl_store_stats(s->store, &s->peak);
		s->peak_op = n;
		s->peak_ts = ts;
	}
	s->end_ts = max_t(uint64_t, s->end_ts, ts);
	if ((cfg->compact == COMPACT_ON_FREE && freed) ||
	    (cfg->compact == COMPACT_EVERY && n % cfg->compact_every == 0)) {
		sl_store_compact(s->store);
		s->compactions++;
	}
	s->now = clock;
	sl_store_set_now(s->store, clock);
	if ((cfg->backing_path || cfg->recomp_specs[0]) &&
	    clock >= s->next_maint) {
		uint64_t cut = clock > cfg->idle_after ?
			       clock - cfg->idle_after : 0;

		/* zram's order: shrink what can be shrunk, then write back */
		if (cfg->recomp_specs[0])
			sl_store_recompress(s->store, &s->ctx, cfg->recompress,
					    cut);
		if (cfg->backing_path && cfg->writeback)
			sl_store_writeback(s->store, &s->ctx, cfg->writeback,
					   cut);
		s->maintenance_runs++;
		s->next_maint = clock + cfg->idle_after;
	}
	if (n % cfg->timeline_every == 0) {
		sl_store_stats(s->store, &st);
		json_array_append_new(s->timeline, timeline_point(n,
				      trace_s(s, ts), &st));
	}
	/* about every 1% of the run */
	if (cfg->progress &&
	    n % max_t(uint64_t, cfg->nr_events / 100, 256) == 0)
		progress(cfg, n);
}

/*
 * apply event @ev, op @n of the trace, to run @s; @h: by hash, the STORE's
 * content hash (computed once for every run of a pass)
 * Return: 0, or -1 with @err filled
 */
int apply_event(const struct replay_cfg *cfg, struct swt_reader *r,
		struct run_state *s, const struct swt_event *ev, uint64_t n,
		const struct expect_hash *h, char *err, size_t errlen)
{
	struct sl_op_info info;
	uint64_t t0, t1;
	bool want;
	int ret, same;

	switch (ev->op) {
	case SWT_STORE:
		if (cfg->beside_store && (n & 1))
			cfg->beside_store(cfg->beside_arg, ev->page);
		sl_page_reserve(SL_PAGE_LOW);
		t0 = sl_now_ns();
		ret = sl_store_write(s->store, &s->ctx, ev->index, ev->page,
				     &info);
		t1 = sl_now_ns();
		if (cfg->beside_store && !(n & 1))
			cfg->beside_store(cfg->beside_arg, ev->page);
		if (ret && ret != -ENOMEM) {
			snprintf(err, errlen, "store of slot %u failed: %s",
				 ev->index, strerror(-ret));
			return -1;
		}
		note_store(cfg, &s->ss, ret, &info, t0, t1);
		if (!ret && (h ? expect_set_hash(&s->expected, ev->index, h) :
			     expect_set(&s->expected, ev->index, ev->page_id,
					ev->page))) {
			snprintf(err, errlen, "out of memory for the expected page of slot %u",
				 ev->index);
			return -1;
		}
		if (cfg->corrupt_after && s->ss.stores == cfg->corrupt_after)
			sl_store_corrupt(s->store, ev->index);
		break;
	case SWT_LOAD:
		t0 = sl_now_ns();
		ret = sl_store_read(s->store, &s->ctx, ev->index, s->page,
				    &info);
		t1 = sl_now_ns();
		want = expect_has(&s->expected, ev->index);
		same = want ? expect_check(&s->expected, r, ev->index,
					   s->page) : 0;
		if (same < 0) {
			snprintf(err, errlen, "%s", swt_reader_error(r));
			return -1;
		}
		note_load(&s->ss, ret, &info, t0, t1, want, same);
		break;
	case SWT_FREE:
		sl_store_free(s->store, ev->index, NULL);
		expect_clear(&s->expected, ev->index);
		s->ss.frees++;
		break;
	case SWT_MARK:
		break;
	}
	between_ops(cfg, s, n, ev->ts_ns, ev->op == SWT_FREE);
	return 0;
}

/* the last timeline point, when the trace did not end on one */
void last_point(const struct replay_cfg *cfg, struct run_state *s,
		uint64_t n, uint64_t ts)
{
	struct sl_store_stats st;

	if (n % cfg->timeline_every) {
		sl_store_stats(s->store, &st);
		json_array_append_new(s->timeline, timeline_point(n,
				      trace_s(s, ts), &st));
	}
}

/*
 * replay the trace into the @n runs of @s (configurations @cfg) in one
 * pass: each event is decoded (and hashed) once and applied to each run
 * in turn, whose figures are what it would get alone
 */
static int replay_events(const struct replay_cfg *cfg, struct swt_reader *r,
			 struct run_state **s, unsigned int nr, char *err,
			 size_t errlen)
{
	struct expect_hash h;
	struct swt_event ev;
	uint64_t n = 0;
	unsigned int i;
	int ret;

	while ((ret = swt_next(r, &ev)) == 1) {
		n++;
		/* one run: expect_set() hashes, as it needs to */
		if (ev.op == SWT_STORE && nr > 1 && s[0]->expected.by_hash)
			h = expect_page_hash(ev.page);
		for (i = 0; i < nr; i++)
			if (apply_event(&cfg[i], r, s[i], &ev, n,
					ev.op == SWT_STORE && nr > 1 &&
					s[0]->expected.by_hash ? &h : NULL,
					err, errlen))
				return -1;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	for (i = 0; i < nr; i++)
		last_point(&cfg[i], s[i], n, ev.ts_ns);
	return 0;
}

static int store_read_back(void *priv, uint64_t slot, void *page)
{
	struct run_state *s = priv;

	return sl_store_read(s->store, &s->ctx, slot, page, NULL) < 0 ? -1 : 0;
}

/* one thread's share of a parallel read-back: slots by blocks of 1024 */
struct fv_part {
	const struct replay_cfg *cfg;
	struct run_state *s;
	struct sl_store_ctx ctx;
	void *page;
	unsigned int part, nparts;
	uint64_t checked, failures;
	int ret;
	char err[256];
	pthread_t th;
};

static int part_read_back(void *priv, uint64_t slot, void *page)
{
	struct fv_part *p = priv;

	if ((slot >> 10) % p->nparts != p->part)
		return 1;
	return sl_store_read(p->s->store, &p->ctx, slot, page, NULL) < 0 ?
	       -1 : 0;
}

static void *part_main(void *arg)
{
	struct fv_part *p = arg;

	p->ret = expect_verify_live(p->cfg, NULL, &p->s->expected,
				    part_read_back, p, p->page, &p->checked,
				    &p->failures, p->err, sizeof(p->err));
	return NULL;
}

/*
 * By hash, with cpus to use, the read-back is shared: each store read has
 * its own context, and checking a page against its hash needs no reader
 * (at 500,000 stores it is a tenth of lz4's wall time on one thread).
 * Return: 1 when done here, 0 when one thread should do it, -1
 */
static int final_verify_parallel(const struct replay_cfg *cfg,
				 struct run_state *s, char *err,
				 size_t errlen)
{
	unsigned int i, np = min_t(unsigned int, cfg->jobs, 8), started = 0;
	struct fv_part p[8];
	int ret = 0;

	if (np < 2 || !s->expected.by_hash || cfg->nr_slots < 4096)
		return 0;
	memset(p, 0, sizeof(p));
	for (i = 0; i < np; i++) {
		p[i].cfg = cfg;
		p[i].s = s;
		p[i].part = i;
		p[i].page = aligned_alloc(4096, 4096);
		if (!p[i].page || sl_store_ctx_create(s->store, &p[i].ctx)) {
			free(p[i].page);
			p[i].page = NULL;
			break;
		}
	}
	/* short of memory: the parts that could be set up share every slot */
	np = i;
	for (i = 0; i < np; i++)
		p[i].nparts = np;
	for (i = 1; i < np; i++) {
		if (pthread_create(&p[i].th, NULL, part_main, &p[i]))
			break;
		started++;
	}
	/* the parts that have no thread are read back here */
	for (i = started + 1; i < np; i++)
		part_main(&p[i]);
	part_main(&p[0]);
	for (i = 1; i <= started; i++)
		pthread_join(p[i].th, NULL);
	for (i = 0; i < np; i++) {
		s->final_checked += p[i].checked;
		s->ss.verify_failures += p[i].failures;
		if (p[i].ret && !ret) {
			snprintf(err, errlen, "%s", p[i].err);
			ret = -1;
		}
		sl_store_ctx_destroy(s->store, &p[i].ctx);
		free(p[i].page);
	}
	if (!np) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return ret ? -1 : 1;
}

static int final_verify(const struct replay_cfg *cfg, struct swt_reader *r,
			struct run_state *s, char *err, size_t errlen)
{
	int ret = final_verify_parallel(cfg, s, err, errlen);

	if (ret)
		return ret < 0 ? -1 : 0;
	return expect_verify_live(cfg, r, &s->expected, store_read_back, s,
				  s->page, &s->final_checked,
				  &s->ss.verify_failures, err, errlen);
}

/* what a run holds, for the --max-memory error (swt_memory_explain()) */
static const char *explain_run(void *arg)
{
	static char buf[200];
	struct run_state *s = arg;
	struct sl_store_stats st;

	sl_store_stats(s->store, &st);
	snprintf(buf, sizeof(buf),
		 "the store holds %.1f MiB of pool for %llu pages, the bookkeeping %llu slot leaves of %zu KiB",
		 st.mem_used_total / 1048576.0,
		 (unsigned long long)st.pages_stored,
		 (unsigned long long)s->expected.m.nallocated,
		 SLOTMAP_LEAF * s->expected.m.esize / 1024);
	return buf;
}

/*
 * the same for a pass whose stores other threads are changing: from what
 * each run's worker left after its last batch
 */
const char *explain_pass(void *arg)
{
	static char buf[200];
	const struct pass_explain *pe = arg;
	uint64_t pool = 0, pages = 0;
	unsigned int i;

	for (i = 0; i < pe->nr; i++) {
		pool += __atomic_load_n(&pe->s[i]->snap_pool, __ATOMIC_RELAXED);
		pages += __atomic_load_n(&pe->s[i]->snap_pages,
					 __ATOMIC_RELAXED);
	}
	if (pe->nr == 1)
		snprintf(buf, sizeof(buf),
			 "the store holds %.1f MiB of pool for %llu pages",
			 pool / 1048576.0, (unsigned long long)pages);
	else
		snprintf(buf, sizeof(buf),
			 "the %u stores of this pass hold %.1f MiB of pool for %llu pages",
			 pe->nr, pool / 1048576.0, (unsigned long long)pages);
	return buf;
}

/* the effective settings of @in, from the trace's scan */
static void cfg_defaults(struct replay_cfg *cfg, const struct replay_cfg *in)
{
	*cfg = *in;
	if (!cfg->timeline_every)
		cfg->timeline_every = cfg->nr_events / TIMELINE_POINTS ?
				      cfg->nr_events / TIMELINE_POINTS : 1;
	/* by default, maintenance (writeback, recompression) runs 10 times */
	if (!cfg->idle_after)
		cfg->idle_after = cfg->nr_events >= 10 ? cfg->nr_events / 10 :
				  1;
}

static int trace_check(const struct swt_header *hdr, char *err,
		       size_t errlen)
{
	if (hdr->page_size != PAGE_SIZE) {
		snprintf(err, errlen, "trace has %u-byte pages; this build stores %lu-byte pages",
			 hdr->page_size, PAGE_SIZE);
		return -1;
	}
	if (hdr->flags & SWT_F_NO_CONTENT) {
		snprintf(err, errlen, "trace has no page contents (access pattern only): it cannot be replayed into a codec");
		return -1;
	}
	return 0;
}

static void run_state_free(const struct replay_cfg *cfg, struct run_state *s)
{
	int i;

	if (!s)
		return;
	if (s->store) {
		sl_store_ctx_destroy(s->store, &s->ctx);
		sl_store_destroy(s->store);
	}
	/* dictionaries live as long as the store that uses them */
	sl_codec_params_free(&s->sc.codec_params);
	for (i = 0; i < SL_MAX_RECOMP; i++)
		sl_codec_params_free(&s->sc.recomp_params[i]);
	if (s->backing_fd >= 0) {
		close(s->backing_fd);
		unlink(cfg->backing_path);
	}
	json_decref(s->timeline);
	expect_free(&s->expected);
	free(s->page);
	free(s);
}

/* a run's state and store; Return: it, or NULL with @err filled */
static struct run_state *run_state_new(const struct replay_cfg *cfg,
				       const struct swt_header *hdr,
				       char *err, size_t errlen)
{
	struct run_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->backing_fd = -1;
	s->next_maint = cfg->idle_after;
	s->start_ns = hdr->start_ns;
	stream_stats_init(&s->ss);
	s->page = aligned_alloc(4096, 4096);
	s->timeline = json_array();
	if (expect_init(&s->expected, cfg->nr_slots, !cfg->verify_bytes) ||
	    !s->page || !s->timeline) {
		snprintf(err, errlen, "out of memory for %llu slots",
			 (unsigned long long)cfg->nr_slots);
		run_state_free(cfg, s);
		return NULL;
	}
	if (build_store(cfg, s, err, errlen)) {
		run_state_free(cfg, s);
		return NULL;
	}
	return s;
}

/* after the events: read back, and the results object */
static int run_finish(const struct replay_cfg *cfg, struct swt_reader *r,
		      const struct swt_header *hdr, struct run_state *s,
		      json_t **run, char *err, size_t errlen)
{
	if (final_verify(cfg, r, s, err, errlen))
		return -1;
	/* threads: the last check may be past the end, at a timeline step */
	s->ops_done = cfg->nr_events;
	s->peak_op = min_t(uint64_t, s->peak_op, cfg->nr_events);
	*run = make_run(cfg, hdr, s);
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

bool sl_replay_multi_ok(const struct replay_cfg *cfg)
{
	const struct replay_backend *b = sl_backend_for(cfg);

	return b->can_share && b->can_share(cfg);
}

int sl_replay_multi(const struct replay_cfg *cfgs, unsigned int nr,
		    struct swt_reader *r, json_t **runs, char *err,
		    size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct replay_cfg *cfg = calloc(nr, sizeof(*cfg));
	struct run_state **s = calloc(nr, sizeof(*s));
	struct pass_explain pe;
	unsigned int i;
	bool jobs;
	int ret = -1;

	for (i = 0; i < nr; i++)
		runs[i] = NULL;
	if (!cfg || !s) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (trace_check(hdr, err, errlen))
		goto out;
	for (i = 0; i < nr; i++) {
		cfg_defaults(&cfg[i], &cfgs[i]);
		/* one pass: the progress line follows its last run */
		cfg[i].progress = cfgs[i].progress && i == nr - 1;
		cfg[i].pass_first = nr > 1 ? cfgs[0].run_no : 0;
		if ((nr > 1 && !sl_replay_multi_ok(&cfg[i])) ||
		    cfg[i].verify_bytes != cfg[0].verify_bytes ||
		    cfg[i].jobs != cfg[0].jobs) {
			snprintf(err, errlen, "this run cannot share a pass");
			goto out;
		}
		s[i] = run_state_new(&cfg[i], hdr, err, errlen);
		if (!s[i])
			goto out;
	}
	swt_reader_rewind(r);
	/*
	 * with a cpu to spare, decoding runs ahead even of a single run;
	 * without, several runs still take the batches in turn
	 */
	jobs = (cfg[0].jobs > 1 || nr > 1) && !cfg[0].verify_bytes &&
	       !cfg[0].beside_store;
	/*
	 * the explanation reads a store: not from the decoding thread while
	 * workers change it
	 */
	pe.s = s;
	pe.nr = nr;
	swt_memory_explain(jobs && cfg[0].jobs > 1 ? explain_pass : explain_run,
			   jobs && cfg[0].jobs > 1 ? (void *)&pe : s[0]);
	if (jobs ? replay_events_jobs(cfg, r, s, nr, err, errlen) :
	    replay_events(cfg, r, s, nr, err, errlen))
		goto out;
	if (cfg[nr - 1].progress)
		sl_progress_end();
	for (i = 0; i < nr; i++)
		if (run_finish(&cfg[i], r, hdr, s[i], &runs[i], err, errlen))
			goto out;
	ret = 0;
out:
	swt_memory_explain(NULL, NULL);
	for (i = 0; s && i < nr; i++) {
		run_state_free(&cfg[i], s[i]);
		if (ret) {
			json_decref(runs[i]);
			runs[i] = NULL;
		}
	}
	free(s);
	free(cfg);
	return ret;
}

/* the model backend: one stream, or --threads */
static int model_run(const struct replay_cfg *cfg, struct swt_reader *r,
		     json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct run_state *s;
	int ret = -1;

	if (!cfg->threads)
		return sl_replay_multi(cfg, 1, r, run, err, errlen);
	s = run_state_new(cfg, hdr, err, errlen);
	if (!s)
		return -1;
	swt_reader_rewind(r);
	swt_memory_explain(explain_run, s);
	if (replay_events_mt(cfg, r, s, err, errlen))
		goto out;
	if (cfg->progress)
		sl_progress_end();
	if (run_finish(cfg, r, hdr, s, run, err, errlen))
		goto out;
	ret = 0;
out:
	swt_memory_explain(NULL, NULL);
	run_state_free(cfg, s);
	return ret;
}

static bool model_claims(const struct replay_cfg *cfg)
{
	return true;
}

static bool model_can_share(const struct replay_cfg *cfg)
{
	return !cfg->threads && !cfg->beside_store;
}

const struct replay_backend sl_backend_model = {
	.name = "model",
	.claims = model_claims,
	.run = model_run,
	.can_share = model_can_share,
};

int sl_replay_run(const struct replay_cfg *cfg_in, struct swt_reader *r,
		  json_t **run, char *err, size_t errlen)
{
	struct replay_cfg cfg;

	if (trace_check(swt_reader_header(r), err, errlen))
		return -1;
	cfg_defaults(&cfg, cfg_in);
	return sl_backend_for(&cfg)->run(&cfg, r, run, err, errlen);
}
