/*
 * engine_zswap.c - one replay run through the zswap front end: a trace
 * into sl_zswap (core/zswap.c), every page zswap gives back verified, the
 * kernel's debugfs and vmstat counters at every timeline point.
 *
 * A trace slot is a swap offset.  What zswap refuses or writes back goes
 * to the (unmodelled) swap device: those pages are counted, and their
 * loads are served by the device, so only pages zswap returns can be
 * verified -- at their loads, and at the end for every entry still held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"
#include "backend.h"
#include "engine_int.h"
#include "hist.h"
#include "slotmap.h"

struct zrun {
	struct sl_zswap_cfg zc;
	struct sl_zswap *z;
	struct sl_zswap_ctx ctx;
	struct slotmap expected; /* u64 page id + 1; 0: nothing stored */
	uint8_t *page;
	struct sl_hist h_store, h_load;
	uint64_t stores, loads, frees, refused, loads_from_swap;
	uint64_t loads_empty, verify_failures, final_checked;
	uint64_t zero_stores, loads_in_memory;	/* 6.12 */
	uint64_t peak_op;
	/* trace time (ns) of the peak and the last op; start_ns: the header's */
	uint64_t peak_ts, end_ts, start_ns;
	struct sl_zswap_stats peak;
	const char *codec_name;	/* what compresses: the codec's full name */
	json_t *timeline;
};

/* debugfs zswap/ as the kernel has it: 6.12 dropped same_filled_pages */
static json_t *zswap_json(const struct sl_zswap_stats *st, bool k612)
{
	json_t *o;

	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"stored_pages", (json_int_t)st->stored_pages,
		"pool_total_size", (json_int_t)st->pool_total_size,
		"written_back_pages", (json_int_t)st->written_back_pages,
		"pool_limit_hit", (json_int_t)st->pool_limit_hit,
		"reject_reclaim_fail", (json_int_t)st->reject_reclaim_fail,
		"reject_alloc_fail", (json_int_t)st->reject_alloc_fail,
		"reject_kmemcache_fail", (json_int_t)st->reject_kmemcache_fail,
		"reject_compress_poor", (json_int_t)st->reject_compress_poor,
		"duplicate_entry", (json_int_t)st->duplicate_entry);
	if (!o)
		return NULL;
	if (k612)
		json_object_set_new(o, "reject_compress_fail", json_integer(
				    (json_int_t)st->reject_compress_fail));
	else
		json_object_set_new(o, "same_filled_pages", json_integer(
				    (json_int_t)st->same_filled_pages));
	return o;
}

/* /proc/vmstat: 6.1 has no zswpwb, 6.12 counts zero pages apart */
static json_t *vmstat_json(const struct sl_zswap_stats *st, bool k612)
{
	if (!k612)
		return json_pack("{s:I, s:I}",
			"zswpout", (json_int_t)st->zswpout,
			"zswpin", (json_int_t)st->zswpin);
	return json_pack("{s:I, s:I, s:I, s:I, s:I}",
		"zswpout", (json_int_t)st->zswpout,
		"zswpin", (json_int_t)st->zswpin,
		"zswpwb", (json_int_t)st->zswpwb,
		"swpout_zero", (json_int_t)st->swpout_zero,
		"swpin_zero", (json_int_t)st->swpin_zero);
}

/*
 * zswap's state under zram's names, so one table holds both front ends:
 * the pool is mem_used_total, same-filled entries hold no compressed
 * bytes, and zswap keeps no page raw (huge_pages 0)
 */
static struct sl_store_stats zram_names(const struct sl_zswap_stats *st)
{
	return (struct sl_store_stats) {
		.pages_stored = st->stored_pages,
		.orig_data_size = (st->stored_pages - st->same_filled_pages) *
				  4096,
		.compr_data_size = st->compr_data_size,
		.mem_used_total = st->pool_total_size,
		.mem_used_max = st->pool_max_size,
		.same_pages = st->same_filled_pages,
	};
}

/*
 * a timeline point: debugfs and vmstat names, and the zram names and
 * trace time the zram runs' points have (plot frag-timeline reads them)
 */
static void sample(struct zrun *s, uint64_t op, uint64_t ts)
{
	struct sl_zswap_stats st;
	struct sl_store_stats z;
	json_t *p, *vm;

	sl_zswap_stats(s->z, &st);
	z = zram_names(&st);
	p = zswap_json(&st, s->zc.kernel == SL_ZSWAP_K612);
	vm = vmstat_json(&st, s->zc.kernel == SL_ZSWAP_K612);
	if (!p || !vm) {
		json_decref(p);
		json_decref(vm);
		return;
	}
	json_object_set_new(p, "op", json_integer((json_int_t)op));
	json_object_set_new(p, "t_s", json_real(ts >= s->start_ns ?
			    (ts - s->start_ns) / 1e9 : 0));
	json_object_set_new(p, "orig_data_size",
			    json_integer((json_int_t)z.orig_data_size));
	json_object_set_new(p, "compr_data_size",
			    json_integer((json_int_t)z.compr_data_size));
	json_object_set_new(p, "mem_used_total",
			    json_integer((json_int_t)z.mem_used_total));
	json_object_update_missing(p, vm);
	json_decref(vm);
	json_array_append_new(s->timeline, p);
}

/* the peak is the op where the pool is largest (the first such op) */
static void note_peak(struct zrun *s, uint64_t op, uint64_t ts)
{
	struct sl_zswap_stats st;

	sl_zswap_stats(s->z, &st);
	if (st.pool_total_size > s->peak.pool_total_size ||
	    (!s->peak_op && st.stored_pages)) {
		s->peak = st;
		s->peak_op = op;
		s->peak_ts = ts;
	}
	if (ts > s->end_ts)
		s->end_ts = ts;
}

/*
 * zswap compresses through the crypto API in every kernel: its zstd is
 * crypto/zstd.c's (level 3, no dictionary), which from 6.12 is not
 * zram's.  A kernel zstd becomes that tree's crypto-zstd.
 */
static int crypto_codec(struct zrun *s, char *err, size_t errlen)
{
	const struct sl_codec_ops *c = s->zc.codec;
	char name[64];

	s->codec_name = c->name;
	if (!c->kernel || strncmp(c->name, "zstd@", 5))
		return 0;
	snprintf(name, sizeof(name), "crypto-zstd@%s", c->kernel);
	c = sl_codec_find(name);
	if (!c)
		return 0;	/* a build from before crypto-zstd */
	/* the crypto API's level is fixed at zstd's default */
	if ((s->zc.codec_params.level != SL_LEVEL_DEFAULT &&
	     s->zc.codec_params.level != s->zc.codec->default_level) ||
	    s->zc.codec_params.dict_len) {
		snprintf(err, errlen, "zswap's zstd (%s) takes no level or dictionary",
			 name);
		return -1;
	}
	s->zc.codec = c;
	s->codec_name = c->name;
	return 0;
}

static int build(const struct replay_cfg *cfg, struct zrun *s, char *err,
		 size_t errlen)
{
	const struct zswap_opts *zo = cfg->zswap;
	char msg[256];
	long ret;

	if (sl_codec_parse(cfg->codec_spec, &s->zc.codec, &s->zc.codec_params,
			   msg, sizeof(msg))) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	if (crypto_codec(s, err, errlen))
		return -1;
	s->zc.alloc = sl_alloc_find(cfg->alloc_spec, &s->zc.alloc_opts);
	if (!s->zc.alloc) {
		snprintf(err, errlen, "unknown allocator '%s'", cfg->alloc_spec);
		return -1;
	}
	s->zc.kernel = zo->kernel;
	s->zc.nr_slots = cfg->nr_slots;
	s->zc.totalram_pages = zo->ram / 4096;
	s->zc.max_pool_percent = zo->max_pool_percent;
	s->zc.accept_thr_percent = zo->accept_thr_percent;
	s->zc.same_filled = zo->same_filled;
	s->zc.slot_cache = zo->slot_cache;
	s->zc.sync_swapin = zo->sync_swapin;
	s->zc.older_pool_pinned = zo->older_pinned;
	s->z = sl_zswap_create(&s->zc);
	if (IS_ERR(s->z)) {
		ret = PTR_ERR(s->z);
		s->z = NULL;
		snprintf(err, errlen, "cannot set up zswap with pool '%s': %s",
			 cfg->alloc_spec, strerror((int)-ret));
		return -1;
	}
	ret = sl_zswap_ctx_create(s->z, &s->ctx);
	if (ret) {
		snprintf(err, errlen, "codec '%s': cannot create context: %s",
			 cfg->codec_spec, strerror((int)-ret));
		return -1;
	}
	return 0;
}

/* the page id + 1 last stored at @index; 0: none */
static uint64_t expected(struct zrun *s, uint32_t index)
{
	const uint64_t *e = slotmap_find(&s->expected, index);

	return e ? *e : 0;
}

static int verify(struct zrun *s, struct swt_reader *r, uint32_t index,
		  char *err, size_t errlen)
{
	const void *want = swt_page(r, expected(s, index) - 1);

	if (!want) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	if (memcmp(want, s->page, 4096))
		s->verify_failures++;
	return 0;
}

static int events(const struct replay_cfg *cfg, struct swt_reader *r,
		  struct zrun *s, char *err, size_t errlen)
{
	struct swt_event ev;
	uint64_t n = 0, t0, t1, *e;
	int ret;

	while ((ret = swt_next(r, &ev)) == 1) {
		n++;
		switch (ev.op) {
		case SWT_STORE:
			t0 = sl_now_ns();
			ret = sl_zswap_store(s->z, &s->ctx, ev.index, ev.page,
					     NULL);
			t1 = sl_now_ns();
			if (ret < 0) {
				snprintf(err, errlen, "store of slot %u failed: %s",
					 ev.index, strerror(-ret));
				return -1;
			}
			s->stores++;
			s->refused += ret == SL_ZSWAP_REFUSED;
			s->zero_stores += ret == SL_ZSWAP_ZEROMAP;
			sl_hist_add(&s->h_store, t1 - t0);
			/* refused: on the swap device, the same content */
			e = slotmap_get(&s->expected, ev.index);
			if (!e) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			*e = ev.page_id + 1;
			break;
		case SWT_LOAD:
			s->loads++;
			t0 = sl_now_ns();
			ret = sl_zswap_load(s->z, &s->ctx, ev.index, s->page);
			t1 = sl_now_ns();
			sl_hist_add(&s->h_load, t1 - t0);
			if (ret == 1) {
				if (expected(s, ev.index))
					s->loads_from_swap++;
				else
					s->loads_empty++;
			} else if (ret == 3) {
				/* verified when an earlier load brought it in */
				s->loads_in_memory++;
			} else if (ret < 0 || !expected(s, ev.index)) {
				s->verify_failures++;
			} else if (verify(s, r, ev.index, err, errlen)) {
				return -1;
			}
			break;
		case SWT_FREE:
			sl_zswap_invalidate(s->z, ev.index);
			e = slotmap_find(&s->expected, ev.index);
			if (e)
				*e = 0;
			s->frees++;
			break;
		case SWT_MARK:
			break;
		}
		note_peak(s, n, ev.ts_ns);
		if (n % cfg->timeline_every == 0)
			sample(s, n, ev.ts_ns);
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	if (n % cfg->timeline_every)
		sample(s, n, s->end_ts);
	return 0;
}

/* read back every entry zswap still holds (after the stats are taken) */
/* on the swap device (1) or in memory (3): nothing zswap can check */
static int zswap_read_back(void *priv, uint64_t slot, void *page)
{
	struct zrun *s = priv;
	int ret = sl_zswap_load(s->z, &s->ctx, slot, page);

	return ret == 1 || ret == 3 ? 1 : ret < 0 ? -1 : 0;
}

static int final_verify(const struct replay_cfg *cfg, struct swt_reader *r,
			struct zrun *s, char *err, size_t errlen)
{
	return verify_live(cfg, r, &s->expected, zswap_read_back, s, s->page,
			   &s->final_checked, &s->verify_failures, err,
			   errlen);
}

/* a moment's state under the zram names (at_peak, at_end) */
static json_t *moment(const struct zrun *s, const struct sl_zswap_stats *st,
		      uint64_t op, uint64_t ops, uint64_t ts)
{
	struct sl_store_stats z = zram_names(st);

	return moment_json(&z, op, ops, ts >= s->start_ns ?
			   (ts - s->start_ns) / 1e9 : 0);
}

static json_t *make_run(const struct replay_cfg *cfg,
			const struct swt_header *hdr, struct zrun *s,
			const struct sl_zswap_stats *st)
{
	const struct zswap_opts *zo = cfg->zswap;
	bool k612 = s->zc.kernel == SL_ZSWAP_K612;
	struct run_result rr = { .zram_offers_codec = -1 };
	/* the zram-named figures, so one table holds both front ends */
	struct sl_store_stats end = zram_names(st);
	uint64_t ops;
	json_t *set, *peak, *extra;

	set = json_pack(
		"{s:I, s:b, s:I, s:i, s:i, s:I, s:I, s:s, s:b, s:I, s:I}",
		"ram", (json_int_t)zo->ram,
		"ram_from_host", zo->ram_from_host,
		"totalram_pages", (json_int_t)s->zc.totalram_pages,
		"max_pool_percent", (int)zo->max_pool_percent,
		"accept_threshold_percent", (int)zo->accept_thr_percent,
		"max_pool_pages", (json_int_t)sl_zswap_max_pages(&s->zc),
		"accept_pages", (json_int_t)sl_zswap_accept_pages(&s->zc),
		"zpool", cfg->alloc_spec,
		"same_filled_pages_enabled", zo->same_filled,
		"timeline_every", (json_int_t)cfg->timeline_every,
		"nr_slots", (json_int_t)cfg->nr_slots);
	if (set && k612) {	/* no such parameter in 6.12 */
		json_object_del(set, "same_filled_pages_enabled");
	} else if (set && (zo->slot_cache || zo->sync_swapin)) {
		json_object_set_new(set, "slot_cache",
				    json_integer(zo->slot_cache));
		json_object_set_new(set, "sync_swapin",
				    json_boolean(zo->sync_swapin));
	}
	if (set && !k612 && zo->older_given)
		json_object_set_new(set, "older_pool",
				    json_string(zo->older_pinned ?
						"pinned" : "none"));
	peak = zswap_json(&s->peak, k612);
	if (peak)
		json_object_set_new(peak, "op",
				    json_integer((json_int_t)s->peak_op));
	extra = json_pack("{s:o*, s:o*, s:I, s:I, s:I, s:I, s:o*}",
			  "zswap", zswap_json(st, k612),
			  "vmstat", vmstat_json(st, k612),
			  "swap_writes", (json_int_t)st->swap_writes,
			  "swap_reads", (json_int_t)st->swap_reads,
			  "pool_max_size", (json_int_t)st->pool_max_size,
			  "reject_uncounted", (json_int_t)st->reject_uncounted,
			  "peak", peak);
	ops = s->stores + s->loads + s->frees;

	rr.codec = s->codec_name;
	rr.kernel = zo->kernel_name;
	rr.codec_source = sl_codec_source();
	rr.frontend = "zswap";
	rr.verify = "bytes";
	rr.settings = set;
	rr.end = &end;
	rr.counters = RC_STATE;
	rr.ratio_cumulative = -1;
	rr.at_peak = moment(s, &s->peak, s->peak_op, ops, s->peak_ts);
	rr.at_end = moment(s, st, ops, ops, s->end_ts);
	rr.verify_failures = s->verify_failures;
	rr.ops = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"stores", (json_int_t)s->stores,
		"loads", (json_int_t)s->loads,
		"frees", (json_int_t)s->frees,
		"stores_refused", (json_int_t)s->refused,
		"loads_from_swap", (json_int_t)s->loads_from_swap,
		"loads_of_empty_slots", (json_int_t)s->loads_empty,
		"stores_zero_filled", (json_int_t)s->zero_stores,
		"loads_in_memory", (json_int_t)s->loads_in_memory,
		"verified_at_end", (json_int_t)s->final_checked);
	rr.latency_ns = json_pack("{s:o, s:o}",
		"store", hist_json(&s->h_store),
		"load", hist_json(&s->h_load));
	rr.timeline = s->timeline;
	rr.extra = extra;
	return run_result_json(cfg, hdr, &rr);
}

int sl_replay_zswap(const struct replay_cfg *cfg, struct swt_reader *r,
		    json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct sl_zswap_stats st;
	struct zrun *s;
	int ret = -1;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sl_hist_init(&s->h_store);
	sl_hist_init(&s->h_load);
	ret = slotmap_init(&s->expected, cfg->nr_slots, sizeof(uint64_t), 0);
	s->page = aligned_alloc(4096, 4096);
	s->timeline = json_array();
	if (ret || !s->page || !s->timeline) {
		ret = -1;
		snprintf(err, errlen, "out of memory for %llu slots",
			 (unsigned long long)cfg->nr_slots);
		goto out;
	}
	ret = -1;
	s->start_ns = hdr->start_ns;
	if (build(cfg, s, err, errlen))
		goto out;
	swt_reader_rewind(r);
	if (events(cfg, r, s, err, errlen))
		goto out;
	sl_zswap_stats(s->z, &st);
	if (final_verify(cfg, r, s, err, errlen))
		goto out;
	*run = make_run(cfg, hdr, s, &st);
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	if (s->z) {
		sl_zswap_ctx_destroy(s->z, &s->ctx);
		sl_zswap_destroy(s->z);
	}
	sl_codec_params_free(&s->zc.codec_params);
	json_decref(s->timeline);
	slotmap_free(&s->expected);
	free(s->page);
	free(s);
	return ret;
}

static bool zswap_claims(const struct replay_cfg *cfg)
{
	return cfg->zswap;
}

const struct replay_backend sl_backend_zswap = {
	.name = "zswap model",
	.claims = zswap_claims,
	.run = sl_replay_zswap,
};
