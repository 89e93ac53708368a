/*
 * cmd_bench.c - `swaplab bench`: figures, not tests.
 *
 * For each codec x allocator it walks the trace's stored pages once and,
 * page by page, times (a) the bare codec: compress then decompress, and
 * (b) the store: sl_store_write() then sl_store_read() of the same page.
 * Interleaving the two in one pass means both see the same caches and the
 * same machine noise, so their ratio (a)/(b), "store efficiency", is
 * meaningful on a noisy machine even when absolute rates are not.
 * Same-filled pages are left out of both: the store does not compress
 * them, so counting them would flatter the store.
 *
 * A second pass gives the figure as issue 2 words it: the replay's pages/s
 * (a real replay run: the trace's own stores, loads and frees, as
 * `swaplab replay` reports store_pages_per_sec) over the pages/s of a plain
 * compress+decompress loop over the same stored pages, run beside each
 * store in the same pass.  It counts what a replay does: same-filled pages
 * and fewer reads than writes, which flatter it, and reads of objects
 * written long ago, whose cache misses do not; on the bench trace it reads
 * higher than the per-page figure (0.93 against 0.87 on these machines).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/fmt.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "engine.h"
#include "format/swt.h"
#include "hist.h"
#include "replay_opts.h"
#include "slotmap.h"

static const char bench_usage[] =
"usage: swaplab bench TRACE.swt [--codec LIST] [--alloc LIST] [--json]\n"
"\n"
"Per codec x allocator, over every stored page of the trace that is not\n"
"same-filled: compression ratio, compress and decompress MB/s and ns per\n"
"page (p50, p99) of the bare codec, and the store's efficiency: bare\n"
"codec time / store time for the same pages, interleaved in one pass\n"
"(1.00 = the store adds nothing); and the replay's: a replay run's\n"
"stored pages/s over a plain compress+decompress loop's pages/s over\n"
"the same pages, run beside each store.\n"
"\n"
"  --codec LIST   as for replay (default lz4); 'all', 'libs'\n"
"  --alloc LIST   as for replay (default zsmalloc)\n"
"  --kernel K     as for replay: 6.1 or 6.12\n"
"  --json         print JSON instead of a table\n"
"\n"
"With more than one allocator, a second table replays the trace's\n"
"compressed sizes (under the first codec) as malloc/free calls on each\n"
"allocator: ns per malloc and per free (p50, p99) and peak memory, as a\n"
"share over 'ideal' when ideal is in the list.\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

struct bench_res {
	uint64_t pages, orig, comp;
	struct sl_hist c, d, st, ld;
	uint64_t mismatches;
};

/* the bare codec: compress, and decompress unless the store keeps it raw */
static int bench_bare(const struct sl_codec_ops *codec, void *cctx,
		      const struct swt_event *ev, uint8_t *cbuf, uint8_t *out,
		      size_t huge, struct bench_res *b)
{
	uint64_t t0, t1, t2;
	size_t clen;
	int e;

	t0 = sl_now_ns();
	e = codec->compress(cctx, ev->page, cbuf, SL_CODEC_DST_SIZE, &clen);
	t1 = sl_now_ns();
	sl_hist_add(&b->c, t1 - t0);
	if (e == -ENOSPC || (!e && clen >= huge)) {
		b->comp += 4096;	/* kept raw, as the store does */
		return 0;
	}
	if (e)
		return -1;
	b->comp += clen;
	t1 = sl_now_ns();
	e = codec->decompress(cctx, cbuf, clen, out);
	t2 = sl_now_ns();
	sl_hist_add(&b->d, t2 - t1);
	if (e || memcmp(out, ev->page, 4096))
		b->mismatches++;
	return 0;
}

/* the store: write the page to its slot and read it back */
static int bench_store(struct sl_store *store, struct sl_store_ctx *sctx,
		       const struct swt_event *ev, uint8_t *out,
		       struct bench_res *b)
{
	uint64_t t0, t1, t2;
	int e;

	sl_page_reserve(SL_PAGE_LOW);
	t0 = sl_now_ns();
	e = sl_store_write(store, sctx, ev->index, ev->page, NULL);
	t1 = sl_now_ns();
	e = e ? e : sl_store_read(store, sctx, ev->index, out, NULL);
	t2 = sl_now_ns();
	if (e || memcmp(out, ev->page, 4096))
		b->mismatches++;
	sl_hist_add(&b->st, t1 - t0);
	sl_hist_add(&b->ld, t2 - t1);
	return 0;
}

/* the plain loop beside a replay: compress and decompress every page */
struct plain {
	const struct sl_codec_ops *codec;
	void *ctx;
	u8 *cbuf, *out;
	u64 pages, ns;
	int failed;
};

static void plain_page(void *arg, const void *page)
{
	struct plain *p = arg;
	u64 t0, t1;
	size_t clen;

	t0 = sl_now_ns();
	if (p->codec->compress(p->ctx, page, p->cbuf, SL_CODEC_DST_SIZE,
			       &clen) ||
	    p->codec->decompress(p->ctx, p->cbuf, clen, p->out))
		p->failed++;
	t1 = sl_now_ns();
	p->ns += t1 - t0;
	p->pages++;
}

/*
 * a replay run of @codec x @alloc with the plain loop beside it: its
 * stored pages/s in *@replay, the loop's in *@plain; 0 or -1 with @err
 */
static int bench_replay(struct swt_reader *r, const struct replay_opts *o,
			const struct trace_scan *scan, const char *codec,
			const char *alloc, double *replay, double *plain,
			char *err, size_t errlen)
{
	struct sl_codec_params cp;
	struct replay_cfg cfg;
	struct plain p = { 0 };
	json_t *run = NULL;
	int ret = -1;

	if (sl_codec_parse(codec, &p.codec, &cp, err, errlen))
		return -1;
	p.cbuf = malloc(SL_CODEC_DST_SIZE);
	p.out = aligned_alloc(4096, 4096);
	if (!p.cbuf || !p.out || p.codec->create_ctx(&cp, &p.ctx)) {
		snprintf(err, errlen, "cannot set up codec %s", codec);
		p.ctx = NULL;
		goto out;
	}
	replay_opts_cfg(o, &cfg);
	cfg.trace_path = o->traces[0];
	cfg.codec_spec = codec;
	cfg.alloc_spec = alloc;
	cfg.nr_slots = (uint64_t)scan->max_index + 1;
	cfg.nr_events = scan->events;
	cfg.progress = false;
	cfg.threads = 0;
	cfg.timeline_every = scan->events + 1;
	cfg.beside_store = plain_page;
	cfg.beside_arg = &p;
	if (sl_replay_run(&cfg, r, &run, err, errlen))
		goto out;
	if (p.failed || json_integer_value(json_object_get(run,
						"verify_failures"))) {
		snprintf(err, errlen, "%s x %s: replay or plain loop failed",
			 codec, alloc);
		goto out;
	}
	*replay = json_real_value(json_object_get(json_object_get(run,
					"throughput"), "store_pages_per_sec"));
	*plain = p.ns ? p.pages / (p.ns / 1e9) : 0;
	ret = 0;
out:
	json_decref(run);
	if (p.ctx)
		p.codec->destroy_ctx(p.ctx);
	sl_codec_params_free(&cp);
	free(p.cbuf);
	free(p.out);
	return ret;
}

static int bench_one(struct swt_reader *r, const char *codec,
		     const char *alloc, uint64_t nslots, struct bench_res *b,
		     char *err, size_t errlen)
{
	struct sl_store_cfg sc = { 0 };
	struct sl_store *store;
	struct sl_store_ctx sctx = { 0 };
	void *cctx = NULL;
	uint8_t *cbuf = NULL, *out = NULL;
	struct swt_event ev;
	unsigned long v;
	size_t huge;
	int ret = -1, e;

	memset(b, 0, sizeof(*b));
	sl_hist_init(&b->c);
	sl_hist_init(&b->d);
	sl_hist_init(&b->st);
	sl_hist_init(&b->ld);
	if (sl_codec_parse(codec, &sc.codec, &sc.codec_params, err, errlen))
		return -1;
	sc.alloc = sl_alloc_find(alloc, &sc.alloc_opts);
	sc.nr_slots = nslots;
	store = sc.alloc ? sl_store_create(&sc) : ERR_PTR(-EINVAL);
	if (IS_ERR(store)) {
		sl_codec_params_free(&sc.codec_params);
		snprintf(err, errlen, "cannot create store %s", alloc);
		return -1;
	}
	huge = sl_store_huge_threshold(store);
	out = aligned_alloc(4096, 4096);
	if (!out || sl_store_ctx_create(store, &sctx)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/*
	 * The bare codec runs on the store's own context and buffer, so both
	 * sides touch the same codec memory and differ only by the store.
	 */
	cctx = sctx.codec_ctx;
	cbuf = sctx.buf;
	swt_reader_rewind(r);
	while ((e = swt_next(r, &ev)) == 1) {
		/*
		 * The trace's frees are applied, untimed, as replay does:
		 * else every reuse of a slot would make the timed store
		 * free the old object too, which zram's store seldom does
		 * (swap frees a slot before it is used again).
		 */
		if (ev.op == SWT_FREE)
			sl_store_free(store, ev.index, NULL);
		if (ev.op != SWT_STORE || sl_page_same_filled(ev.page, &v))
			continue;
		b->pages++;
		b->orig += 4096;
		/*
		 * Whoever goes second finds the page in cache: alternate
		 * the order so neither side gets that advantage.
		 */
		if (b->pages & 1) {
			if (bench_store(store, &sctx, &ev, out, b) ||
			    bench_bare(sc.codec, cctx, &ev, cbuf, out, huge, b))
				goto fail;
		} else {
			if (bench_bare(sc.codec, cctx, &ev, cbuf, out, huge, b) ||
			    bench_store(store, &sctx, &ev, out, b))
				goto fail;
		}
	}
	if (e < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		goto out;
	}
	ret = 0;
	goto out;
fail:
	snprintf(err, errlen, "%s: compress failed", codec);
out:
	sl_store_ctx_destroy(store, &sctx);
	sl_store_destroy(store);
	sl_codec_params_free(&sc.codec_params);
	free(out);
	return ret;
}

/*
 * The allocator contest: the trace's compressed sizes (under the first
 * codec) replayed as malloc/free calls straight on each allocator, timed
 * per call, with the peak of its pages.  Sizes at or over the allocator's
 * huge size become PAGE_SIZE, as the store makes them.
 */
struct alloc_res {
	struct sl_hist m, f;
	uint64_t peak_pages;
};

static int sizes_of(struct swt_reader *r, const char *codec, uint64_t nslots,
		    uint16_t **lens, uint64_t *n, char *err, size_t errlen)
{
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	struct swt_event ev;
	uint8_t *buf = malloc(SL_CODEC_DST_SIZE);
	uint64_t cap = 1024, k = 0;
	void *ctx = NULL;
	unsigned long v;
	size_t len;
	int e;

	*lens = malloc(cap * sizeof(**lens));
	if (!buf || !*lens ||
	    sl_codec_parse(codec, &ops, &p, err, errlen) ||
	    ops->create_ctx(&p, &ctx)) {
		free(buf);
		snprintf(err, errlen, "cannot set up codec %s", codec);
		return -1;
	}
	swt_reader_rewind(r);
	while ((e = swt_next(r, &ev)) == 1) {
		if (ev.op != SWT_STORE)
			continue;
		if (k == cap) {
			uint16_t *nl = realloc(*lens, 2 * cap * sizeof(*nl));

			if (!nl) {
				e = -1;
				break;
			}
			*lens = nl;
			cap *= 2;
		}
		if (sl_page_same_filled(ev.page, &v))
			len = 0;
		else if (ops->compress(ctx, ev.page, buf, SL_CODEC_DST_SIZE,
				       &len) || len > 4096)
			len = 4096;
		(*lens)[k++] = len;
	}
	ops->destroy_ctx(ctx);
	sl_codec_params_free(&p);
	free(buf);
	*n = k;
	if (e < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	return 0;
}

static int bench_alloc(struct swt_reader *r, const char *spec,
		       const uint16_t *lens, uint64_t nslots,
		       struct alloc_res *res, char *err, size_t errlen)
{
	const char *opts;
	const struct sl_alloc_ops *a = sl_alloc_find(spec, &opts);
	struct slotmap h;	/* unsigned long handle per slot */
	unsigned long *hp;
	struct swt_event ev;
	uint64_t k = 0, t0, t1, pages;
	size_t huge, len;
	void *pool;
	int e;

	sl_hist_init(&res->m);
	sl_hist_init(&res->f);
	res->peak_pages = 0;
	if (slotmap_init(&h, nslots, sizeof(*hp), 0)) {
		snprintf(err, errlen, "out of memory for %llu slots",
			 (unsigned long long)nslots);
		return -1;
	}
	if (!a || a->create(opts, &pool)) {
		slotmap_free(&h);
		snprintf(err, errlen, "cannot create allocator %s", spec);
		return -1;
	}
	huge = a->huge_size(pool);
	swt_reader_rewind(r);
	swt_reader_skip_contents(r, true);
	while ((e = swt_next(r, &ev)) == 1) {
		if (ev.op == SWT_LOAD || ev.op == SWT_MARK)
			continue;
		hp = slotmap_get(&h, ev.index);
		if (!hp) {
			snprintf(err, errlen, "out of memory for slot %u",
				 ev.index);
			e = -1;
			break;
		}
		if (*hp) {
			t0 = sl_now_ns();
			a->free(pool, *hp);
			t1 = sl_now_ns();
			sl_hist_add(&res->f, t1 - t0);
			*hp = 0;
		}
		if (ev.op != SWT_STORE)
			continue;
		len = lens[k++];
		if (!len)
			continue;
		if (len >= huge)
			len = 4096;
		sl_page_reserve(SL_PAGE_LOW);
		t0 = sl_now_ns();
		e = a->malloc(pool, len, hp);
		t1 = sl_now_ns();
		if (e) {
			snprintf(err, errlen, "%s: malloc(%zu) failed", spec, len);
			break;
		}
		sl_hist_add(&res->m, t1 - t0);
		pages = a->total_pages(pool);
		if (pages > res->peak_pages)
			res->peak_pages = pages;
	}
	swt_reader_skip_contents(r, false);
	if (e < 0 && !*err)
		snprintf(err, errlen, "%s", swt_reader_error(r));
	a->destroy(pool);
	slotmap_free(&h);
	return e ? -1 : 0;
}

static int bench_allocs(struct swt_reader *r, const struct replay_opts *o,
			uint64_t nslots, bool json, json_t *arr)
{
	struct alloc_res *res = calloc(o->nallocs, sizeof(*res));
	uint64_t ideal = 0, n;
	uint16_t *lens = NULL;
	char err[512] = "", b[32];
	int i, ret = -1;

	if (!res || sizes_of(r, o->codecs[0], nslots, &lens, &n, err,
			     sizeof(err)))
		goto out;
	for (i = 0; i < o->nallocs; i++) {
		if (bench_alloc(r, o->allocs[i], lens, nslots, &res[i], err,
				sizeof(err)))
			goto out;
		if (!strcmp(o->allocs[i], "ideal"))
			ideal = res[i].peak_pages;
	}
	if (!json)
		printf("\nallocators, %s sizes: ns per call, peak memory\n"
		       "%-20s %8s %8s %8s %8s %10s %7s\n", o->codecs[0],
		       "alloc", "mal p50", "mal p99", "free p50", "free p99",
		       "peak", "+ideal");
	for (i = 0; i < o->nallocs; i++) {
		double over = ideal ? (double)res[i].peak_pages / ideal - 1 : 0;

		json_array_append_new(arr, json_pack(
			"{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f}",
			"alloc", o->allocs[i], "sizes_from", o->codecs[0],
			"malloc_p50_ns",
			(json_int_t)sl_hist_quantile(&res[i].m, 0.5),
			"malloc_p99_ns",
			(json_int_t)sl_hist_quantile(&res[i].m, 0.99),
			"free_p50_ns",
			(json_int_t)sl_hist_quantile(&res[i].f, 0.5),
			"free_p99_ns",
			(json_int_t)sl_hist_quantile(&res[i].f, 0.99),
			"peak_bytes", (json_int_t)(res[i].peak_pages * 4096),
			"over_ideal", over));
		if (json)
			continue;
		printf("%-20s %8llu %8llu %8llu %8llu %10s", o->allocs[i],
		       (unsigned long long)sl_hist_quantile(&res[i].m, 0.5),
		       (unsigned long long)sl_hist_quantile(&res[i].m, 0.99),
		       (unsigned long long)sl_hist_quantile(&res[i].f, 0.5),
		       (unsigned long long)sl_hist_quantile(&res[i].f, 0.99),
		       sl_fmt_bytes(b, sizeof(b), res[i].peak_pages * 4096.0));
		if (ideal)
			printf(" %6.1f%%\n", 100 * over);
		else
			printf(" %7s\n", "-");
	}
	ret = 0;
out:
	if (ret)
		sl_err("%s", err[0] ? err : "out of memory");
	free(lens);
	free(res);
	return ret;
}

static double mbps(uint64_t pages, uint64_t ns)
{
	return ns ? pages * 4096.0 / (ns / 1e9) / 1e6 : 0;
}

int cmd_bench(int argc, char **argv)
{
	struct replay_opts o;
	struct trace_scan scan;
	struct swt_reader *r;
	struct bench_res b;
	bool json = false, progress;
	double t0;
	json_t *arr = NULL;
	char err[512];
	int i, ci, ai, ret, n = 0;

	/* --json is ours; the rest are replay's options */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			if (json)
				return sl_usage_err("option '--json' given twice");
			json = true;
			memmove(&argv[i], &argv[i + 1],
				(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	ret = replay_opts_parse(&o, argc, argv, bench_usage);
	if (ret >= 0)
		return ret;
	/* a line on a terminal while each codec x allocator runs */
	progress = !o.quiet && sl_progress_enabled();
	t0 = sl_now_s();
	if (o.ntraces != 1) {
		replay_opts_free(&o);
		return sl_usage_err("one trace expected");
	}
	if (o.fe.nfe != 1 || o.fe.fe[0] != FE_ZRAM) {
		replay_opts_free(&o);
		return sl_usage_err("bench measures the zram store: no --frontend zswap");
	}
	r = swt_reader_open(o.traces[0], 0, err, sizeof(err));
	if (!r) {
		replay_opts_free(&o);
		return sl_err("%s", err);
	}
	if (sl_trace_scan(r, &scan, err, sizeof(err))) {
		ret = sl_err("%s: %s", o.traces[0], err);
		goto out;
	}
	if (!scan.has_content) {
		ret = sl_err("%s: trace has no page contents", o.traces[0]);
		goto out;
	}
	arr = json_array();
	if (!json)
		printf("kernel %s\n", sl_codec_kernel());
	if (!json)
		printf("%-14s %-12s %6s %8s %8s %8s %8s %8s %8s %6s %6s %6s\n",
		       "codec", "alloc", "ratio", "comp", "decomp", "comp",
		       "comp", "dec", "dec", "cdc/st", "cdc/st", "replay");
	if (!json)
		printf("%-14s %-12s %6s %8s %8s %8s %8s %8s %8s %6s %6s %6s\n",
		       "", "", "", "MB/s", "MB/s", "p50 ns", "p99 ns", "p50 ns",
		       "p99 ns", "p50", "mean", "/plain");
	for (ci = 0; ci < o.ncodecs; ci++) {
		for (ai = 0; ai < o.nallocs; ai++) {
			double eff, bare, store, mean_eff, rps, pps;
			char cname[256], aname[256];

			if (progress)
				sl_progress(n + 1, o.ncodecs * o.nallocs,
					    o.codecs[ci], o.allocs[ai], 0, t0);
			if (bench_one(r, o.codecs[ci], o.allocs[ai],
				      (uint64_t)scan.max_index + 1, &b, err,
				      sizeof(err)) ||
			    bench_replay(r, &o, &scan, o.codecs[ci],
					 o.allocs[ai], &rps, &pps, err,
					 sizeof(err))) {
				ret = sl_err("%s", err);
				goto out;
			}
			/*
			 * Medians: on a shared machine a few preempted calls
			 * move a mean by more than the store costs.
			 */
			bare = (double)sl_hist_quantile(&b.c, 0.5) +
			       sl_hist_quantile(&b.d, 0.5);
			store = (double)sl_hist_quantile(&b.st, 0.5) +
				sl_hist_quantile(&b.ld, 0.5);
			if (progress)
				sl_progress_end();
			eff = store ? bare / store : 0;
			mean_eff = b.st.sum + b.ld.sum ? ((double)b.c.sum +
				   b.d.sum) / ((double)b.st.sum + b.ld.sum) : 0;
			n++;
			json_array_append_new(arr, json_pack(
				"{s:s, s:s, s:I, s:f, s:f, s:f, s:I, s:I,"
				" s:I, s:I, s:f, s:f, s:I, s:I, s:I, s:f, s:f,"
				" s:f}",
				"codec", o.codecs[ci], "alloc", o.allocs[ai],
				"pages", (json_int_t)b.pages,
				"ratio", b.comp ? (double)b.orig / b.comp : 0.0,
				"compress_mbps", mbps(b.c.count, b.c.sum),
				"decompress_mbps", mbps(b.d.count, b.d.sum),
				"compress_p50_ns",
				(json_int_t)sl_hist_quantile(&b.c, 0.5),
				"compress_p99_ns",
				(json_int_t)sl_hist_quantile(&b.c, 0.99),
				"decompress_p50_ns",
				(json_int_t)sl_hist_quantile(&b.d, 0.5),
				"decompress_p99_ns",
				(json_int_t)sl_hist_quantile(&b.d, 0.99),
				"store_efficiency", eff,
				"store_efficiency_mean", mean_eff,
				"store_p50_ns",
				(json_int_t)sl_hist_quantile(&b.st, 0.5),
				"load_p50_ns",
				(json_int_t)sl_hist_quantile(&b.ld, 0.5),
				"mismatches", (json_int_t)b.mismatches,
				"replay_pages_per_sec", rps,
				"plain_pages_per_sec", pps,
				"replay_efficiency", pps ? rps / pps : 0.0));
			if (json)
				continue;
			/* the kernel line says what the names would */
			snprintf(cname, sizeof(cname), "%s", o.codecs[ci]);
			snprintf(aname, sizeof(aname), "%s", o.allocs[ai]);
			sl_fmt_short_name(cname, sl_codec_kernel());
			sl_fmt_short_name(aname, sl_codec_kernel());
			printf("%-14s %-12s %6.2f %8.0f %8.0f %8llu %8llu %8llu %8llu %6.3f %6.3f %6.3f\n",
			       cname, aname,
			       b.comp ? (double)b.orig / b.comp : 0.0,
			       mbps(b.c.count, b.c.sum),
			       mbps(b.d.count, b.d.sum),
			       (unsigned long long)sl_hist_quantile(&b.c, 0.5),
			       (unsigned long long)sl_hist_quantile(&b.c, 0.99),
			       (unsigned long long)sl_hist_quantile(&b.d, 0.5),
			       (unsigned long long)sl_hist_quantile(&b.d, 0.99),
			       eff, mean_eff, pps ? rps / pps : 0.0);
			if (b.mismatches)
				printf("  %llu MISMATCHES\n",
				       (unsigned long long)b.mismatches);
		}
	}
	if (o.nallocs > 1 && bench_allocs(r, &o, (uint64_t)scan.max_index + 1,
					  json, arr)) {
		ret = EXIT_TROUBLE;	/* the error line is printed */
		goto out;
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(1));
		putchar('\n');
	} else {
		printf("(%d run%s over %llu pages; cdc/st: the bare codec's compress+decompress\n"
		       " time over the store's write+read time for the same pages, interleaved in\n"
		       " one pass; p50: of the medians; mean: of the totals, i.e. the pages/s ratio;\n"
		       " replay/plain: a replay run's stored pages/s over a plain compress+decompress\n"
		       " loop's pages/s on the same pages, beside each store: same-filled pages\n"
		       " included, and the trace's loads only)\n",
		       n, n == 1 ? "" : "s", (unsigned long long)b.pages);
	}
	ret = EXIT_YES;
out:
	json_decref(arr);
	swt_reader_close(r);
	replay_opts_free(&o);
	return ret;
}
