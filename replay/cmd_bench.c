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
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "engine.h"
#include "format/swt.h"
#include "hist.h"
#include "replay_opts.h"

static const char bench_usage[] =
"usage: swaplab bench TRACE.swt [--codec LIST] [--alloc LIST] [--json]\n"
"\n"
"Per codec x allocator, over every stored page of the trace that is not\n"
"same-filled: compression ratio, compress and decompress MB/s and ns per\n"
"page (p50, p99) of the bare codec, and the store's efficiency: bare\n"
"codec time / store time for the same pages, interleaved in one pass\n"
"(1.00 = the store adds nothing).\n"
"\n"
"  --codec LIST   as for replay (default lz4); 'all', 'libs'\n"
"  --alloc LIST   as for replay (default zsmalloc)\n"
"  --json         print JSON instead of a table\n";

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

static int bench_one(struct swt_reader *r, const char *codec,
		     const char *alloc, uint32_t nslots, struct bench_res *b,
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
	bool json = false;
	json_t *arr = NULL;
	char err[512];
	int i, ci, ai, ret, n = 0;

	/* --json is ours; the rest are replay's options */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
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
	if (o.ntraces != 1) {
		replay_opts_free(&o);
		return sl_usage_err("one trace expected");
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
		printf("%-14s %-12s %6s %8s %8s %8s %8s %8s %8s %6s\n",
		       "codec", "alloc", "ratio", "comp", "decomp", "comp",
		       "comp", "dec", "dec", "store");
	if (!json)
		printf("%-14s %-12s %6s %8s %8s %8s %8s %8s %8s %6s\n", "",
		       "", "", "MB/s", "MB/s", "p50 ns", "p99 ns", "p50 ns",
		       "p99 ns", "eff");
	for (ci = 0; ci < o.ncodecs; ci++) {
		for (ai = 0; ai < o.nallocs; ai++) {
			double eff, bare, store, mean_eff;

			if (bench_one(r, o.codecs[ci], o.allocs[ai],
				      scan.max_index + 1, &b, err,
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
			eff = store ? bare / store : 0;
			mean_eff = b.st.sum + b.ld.sum ? ((double)b.c.sum +
				   b.d.sum) / ((double)b.st.sum + b.ld.sum) : 0;
			n++;
			json_array_append_new(arr, json_pack(
				"{s:s, s:s, s:I, s:f, s:f, s:f, s:I, s:I,"
				" s:I, s:I, s:f, s:f, s:I, s:I, s:I}",
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
				"mismatches", (json_int_t)b.mismatches));
			if (json)
				continue;
			printf("%-14s %-12s %6.2f %8.0f %8.0f %8llu %8llu %8llu %8llu %6.3f\n",
			       o.codecs[ci], o.allocs[ai],
			       b.comp ? (double)b.orig / b.comp : 0.0,
			       mbps(b.c.count, b.c.sum),
			       mbps(b.d.count, b.d.sum),
			       (unsigned long long)sl_hist_quantile(&b.c, 0.5),
			       (unsigned long long)sl_hist_quantile(&b.c, 0.99),
			       (unsigned long long)sl_hist_quantile(&b.d, 0.5),
			       (unsigned long long)sl_hist_quantile(&b.d, 0.99),
			       eff);
			if (b.mismatches)
				printf("  %llu MISMATCHES\n",
				       (unsigned long long)b.mismatches);
		}
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(1));
		putchar('\n');
	} else {
		printf("(%d run%s over %llu pages; store eff = bare codec p50 / store p50,\n"
		       " compress+decompress vs write+read of the same pages, interleaved in one pass)\n",
		       n, n == 1 ? "" : "s", (unsigned long long)b.pages);
	}
	ret = EXIT_YES;
out:
	json_decref(arr);
	swt_reader_close(r);
	replay_opts_free(&o);
	return ret;
}
