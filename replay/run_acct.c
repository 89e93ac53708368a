/*
 * run_acct.c - see run_acct.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli/util.h"
#include "core/user/sl_codecs.h"
#include "format/trace_hash.h"
#include "run_acct.h"

static const char *const hist_names[H_NR] = {
	"compress", "decompress", "store", "load"
};

void stream_stats_init(struct stream_stats *ss)
{
	int i;

	memset(ss, 0, sizeof(*ss));
	for (i = 0; i < H_NR; i++)
		sl_hist_init(&ss->hist[i]);
}

void stream_stats_merge(struct stream_stats *d, const struct stream_stats *s)
{
	int i;

	for (i = 0; i < H_NR; i++)
		sl_hist_merge(&d->hist[i], &s->hist[i]);
	for (i = 0; i < SIZE_BINS; i++)
		d->size_bins[i] += s->size_bins[i];
	d->stores += s->stores;
	d->loads += s->loads;
	d->frees += s->frees;
	d->loads_empty += s->loads_empty;
	d->verify_failures += s->verify_failures;
	d->failed_stores += s->failed_stores;
	d->dedup_hits += s->dedup_hits;
	d->wb_stores += s->wb_stores;
	d->wb_loads += s->wb_loads;
	d->cum_orig += s->cum_orig;
	d->cum_compr += s->cum_compr;
}

void note_store(const struct replay_cfg *cfg, struct stream_stats *ss,
		int ret, const struct sl_op_info *info, uint64_t t0,
		uint64_t t1)
{
	ss->stores++;
	if (ret) {
		ss->failed_stores++;
		return;
	}
	sl_hist_add(&ss->hist[H_STORE], t1 - t0);
	ss->cum_orig += 4096;
	if (!(info->flags & (SL_OP_SAME | SL_OP_DEDUP | SL_OP_WB)))
		ss->cum_compr += info->comp_len;
	if (info->flags & SL_OP_DEDUP)
		ss->dedup_hits++;
	if (info->flags & SL_OP_WB)
		ss->wb_stores++;
	if (info->flags & (SL_OP_SAME | SL_OP_DEDUP | SL_OP_WB))
		return;
	sl_hist_add(&ss->hist[H_COMPRESS], info->codec_ns);
	ss->size_bins[info->comp_len / 64]++;
}

void note_load(struct stream_stats *ss, int ret,
	       const struct sl_op_info *info, uint64_t t0, uint64_t t1,
	       bool want, bool same)
{
	ss->loads++;
	sl_hist_add(&ss->hist[H_LOAD], t1 - t0);
	if (ret == 0 && !(info->flags & (SL_OP_SAME | SL_OP_HUGE | SL_OP_WB)))
		sl_hist_add(&ss->hist[H_DECOMPRESS], info->codec_ns);
	if (ret == 0 && (info->flags & SL_OP_WB))
		ss->wb_loads++;
	if (!want) {
		if (ret == 1)
			ss->loads_empty++;
		else
			ss->verify_failures++;
		return;
	}
	if (ret < 0 || !same)
		ss->verify_failures++;
}

json_t *hist_json(const struct sl_hist *h)
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

json_t *hist_cdf(const struct sl_hist *h)
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

static void set_int(json_t *o, const char *k, uint64_t v)
{
	json_object_set_new(o, k, json_integer((json_int_t)v));
}

json_t *moment_json(const struct sl_store_stats *st, uint64_t op,
		    uint64_t ops, double t_s)
{
	double mem = st->mem_used_total, compr = st->compr_data_size;

	return json_pack("{s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f}",
		"op", (json_int_t)op,
		"ops", (json_int_t)ops,
		"t_s", t_s,
		"pages_stored", (json_int_t)st->pages_stored,
		"orig_data_size", (json_int_t)st->orig_data_size,
		"compr_data_size", (json_int_t)st->compr_data_size,
		"mem_used_total", (json_int_t)st->mem_used_total,
		"same_pages", (json_int_t)st->same_pages,
		"huge_pages", (json_int_t)st->huge_pages,
		"ratio", compr ? st->orig_data_size / compr : 0.0,
		"effective_ratio", mem ? st->orig_data_size / mem : 0.0,
		"fragmentation", mem ? 1.0 - compr / mem : 0.0);
}

/*
 * what a run was made from, so that merge can refuse to mix runs of
 * different traces or builds: the trace's content hash (null when the
 * file cannot be read again), the version and the host
 */
static void add_provenance(json_t *run, const struct replay_cfg *cfg)
{
	char hash[SL_TRACE_HASH_LEN];
	struct utsname u;

	json_object_set_new(run, "trace_hash",
			    sl_trace_hash(cfg->trace_path, hash) ? json_null() :
			    json_string(hash));
	json_object_set_new(run, "swaplab_version",
			    json_string(SWAPLAB_VERSION));
	json_object_set_new(run, "host", json_string(uname(&u) ? "" :
						     u.nodename));
}

/* the kernel tree the run's codec came from, or "library" */
const char *codec_source(const char *spec)
{
	const struct sl_codec_ops *ops;
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(spec, ":"), spec);
	ops = sl_codec_find(name);
	if (!ops || !ops->kernel)
		return "library";
	return sl_codec_tree_source(ops->kernel);
}

/* read back every live slot: a corrupted object can hide from the loads */
int expect_verify_live(const struct replay_cfg *cfg, struct swt_reader *r,
		       const struct expect *x,
		       int (*read)(void *priv, uint64_t slot, void *page),
		       void *priv, void *page, uint64_t *checked,
		       uint64_t *failures, char *err, size_t errlen)
{
	uint64_t i;
	int ret, same;

	for (i = expect_next(x, 0); i < cfg->nr_slots;
	     i = expect_next(x, i + 1)) {
		if (!expect_has(x, i))
			continue;
		ret = read(priv, i, page);
		if (ret > 0)
			continue;
		(*checked)++;
		same = expect_check(x, r, i, page);
		if (same < 0) {
			snprintf(err, errlen, "%s", swt_reader_error(r));
			return -1;
		}
		if (ret < 0 || !same)
			(*failures)++;
	}
	return 0;
}

/* the engines that keep page ids in a slotmap of their own verify by bytes */
int verify_live(const struct replay_cfg *cfg, struct swt_reader *r,
		const struct slotmap *expected,
		int (*read)(void *priv, uint64_t slot, void *page),
		void *priv, void *page, uint64_t *checked,
		uint64_t *failures, char *err, size_t errlen)
{
	struct expect x = { .m = *expected, .by_hash = false };

	return expect_verify_live(cfg, r, &x, read, priv, page, checked,
				  failures, err, errlen);
}

json_t *stream_latency_json(const struct stream_stats *ss)
{
	json_t *lat = json_object();
	unsigned int i;

	for (i = 0; lat && i < H_NR; i++)
		json_object_set_new(lat, hist_names[i],
				    hist_json(&ss->hist[i]));
	return lat;
}

/* @v under @k, stolen; a NULL @v sets nothing */
static void put(json_t *run, const char *k, json_t *v)
{
	if (v)
		json_object_set_new(run, k, v);
}

static void put_state(json_t *run, const struct sl_store_stats *st,
		      enum run_counters c)
{
	set_int(run, "pages_stored", st->pages_stored);
	set_int(run, "orig_data_size", st->orig_data_size);
	set_int(run, "compr_data_size", st->compr_data_size);
	set_int(run, "mem_used_total", st->mem_used_total);
	if (c >= RC_ZRAM)
		set_int(run, "mem_limit", st->mem_limit);
	set_int(run, "mem_used_max", st->mem_used_max);
	set_int(run, "same_pages", st->same_pages);
	if (c >= RC_ZRAM)
		set_int(run, "pages_compacted", st->pages_compacted);
	set_int(run, "huge_pages", st->huge_pages);
	if (c < RC_ZRAM)
		return;
	set_int(run, "huge_pages_since", st->huge_pages_since);
	set_int(run, "failed_reads", st->failed_reads);
	set_int(run, "failed_writes", st->failed_writes);
	set_int(run, "invalid_io", st->invalid_io);
	set_int(run, "notify_free", st->notify_free);
	if (c < RC_ZRAM_BD)
		return;
	set_int(run, "bd_count", st->bd_count);
	set_int(run, "bd_reads", st->bd_reads);
	set_int(run, "bd_writes", st->bd_writes);
}

json_t *run_result_json(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct run_result *rr)
{
	const char *codec = rr->codec ? rr->codec : cfg->codec_spec;
	const struct sl_store_stats *st = rr->end;
	json_t *run;

	run = json_pack("{s:s, s:s, s:s*, s:s, s:s, s:b, s:s}",
			"trace", cfg->trace_path,
			"trace_source", hdr->source,
			"kernel", rr->target ? NULL : rr->kernel ? rr->kernel :
			sl_codec_kernel(),
			"codec", codec,
			"alloc", rr->alloc ? rr->alloc : cfg->alloc_spec,
			"trace_synthetic", !!(hdr->flags & SWT_F_SYNTHETIC),
			"codec_source", rr->codec_source ? rr->codec_source :
			codec_source(codec));
	if (run) {
		add_provenance(run, cfg);
		/* the model runs what the kernel's zram may not: say so */
		if (rr->zram_offers_codec >= 0)
			put(run, "zram_offers_codec",
			    json_boolean(rr->zram_offers_codec));
		if (rr->frontend)
			put(run, "frontend", json_string(rr->frontend));
		if (rr->target) {
			put(run, "target", json_string(rr->target));
			put(run, "kernel_release", json_string(rr->kernel));
		}
		put(run, "verify", json_string(rr->verify));
	}
	if (run && st) {
		double orig = st->orig_data_size, compr = st->compr_data_size;
		double mem = st->mem_used_total;

		put(run, "settings", rr->settings);
		rr->settings = NULL;
		put_state(run, st, rr->counters);
		put(run, "ratio", json_real(compr ? orig / compr : 0));
		/* every page stored over the run, whatever was freed since */
		if (rr->ratio_cumulative >= 0)
			put(run, "ratio_cumulative",
			    json_real(rr->ratio_cumulative));
		put(run, "effective_ratio", json_real(mem ? orig / mem : 0));
		if (!rr->no_fragmentation)
			put(run, "fragmentation",
			    json_real(mem ? 1.0 - compr / mem : 0));
	}
	if (run) {
		put(run, "settings", rr->settings);
		put(run, "at_peak", rr->at_peak);
		put(run, "at_end", rr->at_end);
		set_int(run, "verify_failures", rr->verify_failures);
		put(run, "ops", rr->ops);
		put(run, "throughput", rr->throughput);
		put(run, "latency_ns", rr->latency_ns);
		put(run, "latency_cdf", rr->latency_cdf);
		put(run, "compressed_size_hist_64b", rr->size_hist);
		if (rr->extra)
			json_object_update(run, rr->extra);
		/*
		 * last, as it always was: the guest tests read a run's end
		 * figures as the first of a name before "timeline"
		 */
		if (rr->timeline)
			put(run, "timeline", json_incref(rr->timeline));
	} else {
		json_decref(rr->settings);
		json_decref(rr->at_peak);
		json_decref(rr->at_end);
		json_decref(rr->ops);
		json_decref(rr->throughput);
		json_decref(rr->latency_ns);
		json_decref(rr->latency_cdf);
		json_decref(rr->size_hist);
	}
	json_decref(rr->extra);
	memset(rr, 0, sizeof(*rr));
	return run;
}
