/*
 * engine.c - see engine.h.
 *
 * Only the core call is timed: the trace is decoded, the expected page
 * fetched and compared outside the timed region, so the latencies are the
 * store's own.  The expected content of each slot is remembered as the id
 * of the page last stored there (8 bytes per slot), and fetched from the
 * trace when a load has to be checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "engine.h"
#include "hist.h"

#define TIMELINE_POINTS	200

enum { H_COMPRESS, H_DECOMPRESS, H_STORE, H_LOAD, H_NR };
static const char *const hist_names[H_NR] = {
	"compress", "decompress", "store", "load"
};

int sl_trace_scan(struct swt_reader *r, struct trace_scan *scan, char *err,
		  size_t errlen)
{
	struct swt_event ev;
	int ret;

	memset(scan, 0, sizeof(*scan));
	scan->has_content = !(swt_reader_header(r)->flags & SWT_F_NO_CONTENT);
	swt_reader_rewind(r);
	swt_reader_skip_contents(r, true);
	while ((ret = swt_next(r, &ev)) == 1) {
		scan->events++;
		if (ev.op == SWT_STORE)
			scan->stores++;
		if (ev.op != SWT_MARK && ev.index > scan->max_index)
			scan->max_index = ev.index;
	}
	swt_reader_skip_contents(r, false);
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	return 0;
}

static json_t *hist_json(const struct sl_hist *h)
{
	return json_pack("{s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "count", (json_int_t)h->count,
			 "mean", sl_hist_mean(h),
			 "min", (json_int_t)(h->count ? h->min : 0),
			 "p50", (json_int_t)sl_hist_quantile(h, 0.50),
			 "p90", (json_int_t)sl_hist_quantile(h, 0.90),
			 "p99", (json_int_t)sl_hist_quantile(h, 0.99),
			 "p999", (json_int_t)sl_hist_quantile(h, 0.999),
			 "max", (json_int_t)h->max);
}

/* the CDF as [[upper bound ns, cumulative fraction], ...] for plots */
static json_t *hist_cdf(const struct sl_hist *h)
{
	json_t *a = json_array();
	uint64_t seen = 0, lo, hi;
	unsigned int i;

	for (i = 0; a && i < HIST_BUCKETS && h->count; i++) {
		if (!h->b[i])
			continue;
		seen += h->b[i];
		sl_hist_bucket_range(i, &lo, &hi);
		json_array_append_new(a, json_pack("[I, f]", (json_int_t)hi,
					 (double)seen / h->count));
	}
	return a;
}

static json_t *timeline_point(uint64_t op, const struct sl_store_stats *st)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}",
			 "op", (json_int_t)op,
			 "orig_data_size", (json_int_t)st->orig_data_size,
			 "compr_data_size", (json_int_t)st->compr_data_size,
			 "mem_used_total", (json_int_t)st->mem_used_total,
			 "pages_compacted", (json_int_t)st->pages_compacted);
}

/* compressed-size histogram in 64-byte bins, for plots */
#define SIZE_BINS	(4096 / 64 + 1)

struct run_state {
	struct sl_store *store;
	struct sl_store_ctx ctx;
	uint64_t *expected;	/* page id + 1; 0: nothing stored */
	uint8_t *page;
	struct sl_hist hist[H_NR];
	uint64_t size_bins[SIZE_BINS];
	uint64_t stores, loads, frees, loads_empty, verify_failures;
	uint64_t failed_stores, final_checked, compactions;
	json_t *timeline;
};

static const char *compact_name(enum compact_mode m)
{
	return m == COMPACT_EVERY ? "every" : m == COMPACT_ON_FREE ?
	       "on-free" : "never";
}

static json_t *make_run(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct run_state *s)
{
	struct sl_store_stats st;
	json_t *run, *lat, *sizes;
	double core_ns, ratio, eff, frag;
	unsigned int i;

	sl_store_stats(s->store, &st);
	ratio = st.compr_data_size ? (double)st.orig_data_size /
				     st.compr_data_size : 0;
	eff = st.mem_used_total ? (double)st.orig_data_size /
				  st.mem_used_total : 0;
	frag = st.mem_used_total ? 1.0 - (double)st.compr_data_size /
				   st.mem_used_total : 0;
	core_ns = (double)s->hist[H_STORE].sum + s->hist[H_LOAD].sum;
	lat = json_object();
	for (i = 0; i < H_NR; i++)
		json_object_set_new(lat, hist_names[i], hist_json(&s->hist[i]));
	sizes = json_array();
	for (i = 0; i < SIZE_BINS; i++)
		json_array_append_new(sizes, json_integer(s->size_bins[i]));

	run = json_pack("{s:s, s:s, s:s, s:s, s:b, s:{s:b, s:I, s:I, s:s,"
			" s:I, s:I, s:I}}",
			"trace", cfg->trace_path,
			"trace_source", hdr->source,
			"codec", cfg->codec_spec,
			"alloc", cfg->alloc_spec,
			"trace_synthetic", !!(hdr->flags & SWT_F_SYNTHETIC),
			"settings",
			"same_filled", cfg->same_filled,
			"huge_threshold",
			(json_int_t)sl_store_huge_threshold(s->store),
			"mem_limit", (json_int_t)cfg->mem_limit,
			"compact", compact_name(cfg->compact),
			"compact_every", (json_int_t)cfg->compact_every,
			"timeline_every", (json_int_t)cfg->timeline_every,
			"nr_slots", (json_int_t)cfg->nr_slots);
	if (!run)
		return NULL;
	json_object_set_new(run, "pages_stored", json_integer(st.pages_stored));
	json_object_set_new(run, "orig_data_size",
			    json_integer(st.orig_data_size));
	json_object_set_new(run, "compr_data_size",
			    json_integer(st.compr_data_size));
	json_object_set_new(run, "mem_used_total",
			    json_integer(st.mem_used_total));
	json_object_set_new(run, "mem_limit", json_integer(st.mem_limit));
	json_object_set_new(run, "mem_used_max", json_integer(st.mem_used_max));
	json_object_set_new(run, "same_pages", json_integer(st.same_pages));
	json_object_set_new(run, "huge_pages", json_integer(st.huge_pages));
	json_object_set_new(run, "huge_pages_since",
			    json_integer(st.huge_pages_since));
	json_object_set_new(run, "pages_compacted",
			    json_integer(st.pages_compacted));
	json_object_set_new(run, "failed_reads", json_integer(st.failed_reads));
	json_object_set_new(run, "failed_writes",
			    json_integer(st.failed_writes));
	json_object_set_new(run, "invalid_io", json_integer(st.invalid_io));
	json_object_set_new(run, "notify_free", json_integer(st.notify_free));
	json_object_set_new(run, "ratio", json_real(ratio));
	json_object_set_new(run, "effective_ratio", json_real(eff));
	json_object_set_new(run, "fragmentation", json_real(frag));
	json_object_set_new(run, "verify_failures",
			    json_integer(s->verify_failures));
	json_object_set_new(run, "ops", json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"stores", (json_int_t)s->stores,
		"loads", (json_int_t)s->loads,
		"frees", (json_int_t)s->frees,
		"loads_of_empty_slots", (json_int_t)s->loads_empty,
		"failed_stores", (json_int_t)s->failed_stores,
		"verified_at_end", (json_int_t)s->final_checked,
		"compactions", (json_int_t)s->compactions));
	json_object_set_new(run, "throughput", json_pack(
		"{s:f, s:f, s:f}",
		"core_seconds", core_ns / 1e9,
		"ops_per_sec", core_ns > 0 ? (s->stores + s->loads) /
		(core_ns / 1e9) : 0.0,
		"store_pages_per_sec", s->hist[H_STORE].sum ? s->stores /
		(s->hist[H_STORE].sum / 1e9) : 0.0));
	json_object_set_new(run, "latency_ns", lat);
	json_object_set_new(run, "latency_cdf", json_pack("{s:o, s:o}",
		"compress", hist_cdf(&s->hist[H_COMPRESS]),
		"decompress", hist_cdf(&s->hist[H_DECOMPRESS])));
	json_object_set_new(run, "compressed_size_hist_64b", sizes);
	json_object_set_new(run, "timeline", json_incref(s->timeline));
	return run;
}

static int check_load(struct swt_reader *r, struct run_state *s,
		      uint32_t index, int ret)
{
	const void *want;

	if (!s->expected[index]) {
		if (ret == 1)
			s->loads_empty++;
		else
			s->verify_failures++;
		return 0;
	}
	if (ret < 0) {
		s->verify_failures++;
		return 0;
	}
	want = swt_page(r, s->expected[index] - 1);
	if (!want)
		return -1;
	if (memcmp(want, s->page, 4096))
		s->verify_failures++;
	return 0;
}

static int build_store(const struct replay_cfg *cfg, struct run_state *s,
		       char *err, size_t errlen)
{
	struct sl_store_cfg sc = { 0 };
	char msg[256];
	int ret;

	if (sl_codec_parse(cfg->codec_spec, &sc.codec, &sc.codec_params, msg,
			   sizeof(msg))) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	sc.alloc = sl_alloc_find(cfg->alloc_spec, &sc.alloc_opts);
	if (!sc.alloc) {
		snprintf(err, errlen, "unknown allocator '%s'", cfg->alloc_spec);
		return -1;
	}
	sc.nr_slots = cfg->nr_slots;
	sc.no_same_filled = !cfg->same_filled;
	sc.huge_threshold = cfg->huge_threshold;
	sc.mem_limit = cfg->mem_limit;
	s->store = sl_store_create(&sc);
	if (IS_ERR(s->store)) {
		ret = PTR_ERR(s->store);
		s->store = NULL;
		snprintf(err, errlen, ret == -EINVAL ?
			 "allocator '%s': bad option" :
			 "cannot create the store for '%s': out of memory",
			 cfg->alloc_spec);
		return -1;
	}
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
	fprintf(stderr, "\r%-14s %-16s %5.1f%%", cfg->codec_spec,
		cfg->alloc_spec, cfg->nr_events ? 100.0 * done /
		cfg->nr_events : 100.0);
	fflush(stderr);
}

static int replay_events(const struct replay_cfg *cfg, struct swt_reader *r,
			 struct run_state *s, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct sl_store_stats st;
	struct sl_op_info info;
	struct swt_event ev;
	uint64_t n = 0, t0, t1;
	int ret;

	while ((ret = swt_next(r, &ev)) == 1) {
		n++;
		switch (ev.op) {
		case SWT_STORE:
			t0 = sl_now_ns();
			ret = sl_store_write(s->store, &s->ctx, ev.index,
					     ev.page, &info);
			t1 = sl_now_ns();
			s->stores++;
			if (ret == -ENOMEM) {
				s->failed_stores++;
				break;
			}
			if (ret) {
				snprintf(err, errlen, "store of slot %u failed: %s",
					 ev.index, strerror(-ret));
				return -1;
			}
			s->expected[ev.index] = ev.page_id + 1;
			sl_hist_add(&s->hist[H_STORE], t1 - t0);
			if (!(info.flags & SL_OP_SAME)) {
				sl_hist_add(&s->hist[H_COMPRESS], info.codec_ns);
				s->size_bins[info.comp_len / 64]++;
			}
			if (cfg->corrupt_after && s->stores == cfg->corrupt_after)
				sl_store_corrupt(s->store, ev.index);
			break;
		case SWT_LOAD:
			t0 = sl_now_ns();
			ret = sl_store_read(s->store, &s->ctx, ev.index,
					    s->page, &info);
			t1 = sl_now_ns();
			s->loads++;
			sl_hist_add(&s->hist[H_LOAD], t1 - t0);
			if (ret == 0 && !(info.flags & (SL_OP_SAME | SL_OP_HUGE)))
				sl_hist_add(&s->hist[H_DECOMPRESS],
					    info.codec_ns);
			if (check_load(r, s, ev.index, ret)) {
				snprintf(err, errlen, "%s", swt_reader_error(r));
				return -1;
			}
			break;
		case SWT_FREE:
			sl_store_free(s->store, ev.index);
			s->expected[ev.index] = 0;
			s->frees++;
			if (cfg->compact == COMPACT_ON_FREE) {
				sl_store_compact(s->store);
				s->compactions++;
			}
			break;
		case SWT_MARK:
			break;
		}
		if (cfg->compact == COMPACT_EVERY && n % cfg->compact_every == 0) {
			sl_store_compact(s->store);
			s->compactions++;
		}
		if (n % cfg->timeline_every == 0) {
			sl_store_stats(s->store, &st);
			json_array_append_new(s->timeline,
					      timeline_point(n, &st));
		}
		if (cfg->progress && n % 65536 == 0)
			progress(cfg, n);
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	sl_store_stats(s->store, &st);
	json_array_append_new(s->timeline, timeline_point(n, &st));
	(void)hdr;
	return 0;
}

/* read back every live slot: a corrupted object can hide from the loads */
static int final_verify(const struct replay_cfg *cfg, struct swt_reader *r,
			struct run_state *s, char *err, size_t errlen)
{
	uint32_t i;
	int ret;

	for (i = 0; i < cfg->nr_slots; i++) {
		if (!s->expected[i])
			continue;
		ret = sl_store_read(s->store, &s->ctx, i, s->page, NULL);
		s->final_checked++;
		if (check_load(r, s, i, ret)) {
			snprintf(err, errlen, "%s", swt_reader_error(r));
			return -1;
		}
	}
	return 0;
}

int sl_replay_run(const struct replay_cfg *cfg_in, struct swt_reader *r,
		  json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct replay_cfg cfg = *cfg_in;
	struct run_state *s;
	int i, ret = -1;

	if (hdr->page_size != PAGE_SIZE) {
		snprintf(err, errlen, "trace has %u-byte pages; this build stores %lu-byte pages",
			 hdr->page_size, PAGE_SIZE);
		return -1;
	}
	if (hdr->flags & SWT_F_NO_CONTENT) {
		snprintf(err, errlen, "trace has no page contents (access pattern only): it cannot be replayed into a codec");
		return -1;
	}
	if (!cfg.timeline_every)
		cfg.timeline_every = cfg.nr_events / TIMELINE_POINTS ?
				     cfg.nr_events / TIMELINE_POINTS : 1;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < H_NR; i++)
		sl_hist_init(&s->hist[i]);
	s->expected = calloc(cfg.nr_slots, sizeof(*s->expected));
	s->page = aligned_alloc(4096, 4096);
	s->timeline = json_array();
	if (!s->expected || !s->page || !s->timeline) {
		snprintf(err, errlen, "out of memory for %u slots", cfg.nr_slots);
		goto out;
	}
	if (build_store(&cfg, s, err, errlen))
		goto out;
	swt_reader_rewind(r);
	if (replay_events(&cfg, r, s, err, errlen) ||
	    final_verify(&cfg, r, s, err, errlen))
		goto out;
	if (cfg.progress)
		fprintf(stderr, "\r%*s\r", 40, "");
	*run = make_run(&cfg, hdr, s);
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	if (s->store) {
		sl_store_ctx_destroy(s->store, &s->ctx);
		sl_store_destroy(s->store);
	}
	json_decref(s->timeline);
	free(s->expected);
	free(s->page);
	free(s);
	return ret;
}
