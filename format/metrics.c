/*
 * metrics.c - the table of a run's figures (see metrics.h and
 * docs/results-format.md, which documents each entry).
 *
 * The entries that compare shows come first, in the order of its lines;
 * report's columns and plot's figures follow or share them.  Which
 * backends fill a figure is read from each backend's make_run() in
 * replay/: a figure marked for a backend must be in every run it writes
 * (report --list-fields RESULTS.json checks that on real runs).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format/metrics.h"
#include "format/results.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BE_MODEL	(SL_BE_ZRAM | SL_BE_ZSWAP)
#define BE_STATE	(SL_BE_ZRAM | SL_BE_ZSWAP | SL_BE_DEVICE | SL_BE_CHUNK)
#define BE_ZSWAP_STAT	(SL_BE_ZSWAP | SL_BE_SWAP)
#define BE_TIMED	(SL_BE_ZRAM | SL_BE_ZSWAP | SL_BE_DEVICE)

#define LAT(op, st, rep, hd, be, show) {				\
	.name = op "." st, .report = rep,				\
	.path = "latency_ns." op "." st,				\
	.rpath = "latency_ns." op "." st,				\
	.kind = SL_K_NS, .better = -1, .backends = (be),		\
	.shown = SL_SHOW_COMPARE | (show), .head = hd, .width = 8,	\
	.meaning = st " of the " op " times of a page",			\
}

const struct sl_metric sl_metrics[] = {
	/* the store's state at peak memory: what a memory budget is for */
	{ .name = "ratio_at_peak", .path = "at_peak.ratio",
	  .kind = SL_K_RATIO, .better = 1, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE | SL_SHOW_PLOT | SL_SHOW_CHUNK,
	  .meaning = "orig_data_size / compr_data_size at peak memory" },
	{ .name = "eff_ratio_at_peak", .path = "at_peak.effective_ratio",
	  .kind = SL_K_RATIO, .better = 1, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE | SL_SHOW_CHUNK,
	  .meaning = "orig_data_size / mem_used_total at peak memory" },
	{ .name = "frag_at_peak", .path = "at_peak.fragmentation",
	  .kind = SL_K_PCT, .better = -1, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE,
	  .meaning = "pool memory holding no object, at peak memory" },
	{ .name = "mem_used_at_peak", .path = "at_peak.mem_used_total",
	  .kind = SL_K_BYTES, .better = -1, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .meaning = "pool memory at peak (mem_used_max, but for a refused store's page)" },
	{ .name = "orig_at_peak", .path = "at_peak.orig_data_size",
	  .kind = SL_K_BYTES, .better = 0, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE,
	  .meaning = "bytes of the pages stored at peak memory" },
	{ .name = "ratio_cumulative", .path = "ratio_cumulative",
	  .kind = SL_K_RATIO, .better = 1,
	  .backends = SL_BE_ZRAM | SL_BE_CHUNK,
	  .shown = SL_SHOW_COMPARE | SL_SHOW_CHUNK,
	  .meaning = "orig / compressed bytes over every page stored, frees ignored" },
	{ .name = "failed_stores", .path = "ops.failed_stores",
	  .kind = SL_K_INT, .better = -1,
	  .backends = SL_BE_ZRAM | SL_BE_DEVICE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "failed", .width = 7,
	  .meaning = "stores refused (mem_limit or a full pool): the page was not stored" },
	{ .name = "writeback_pages", .report = "bd_writes",
	  .path = "bd_writes", .kind = SL_K_INT, .better = 0,
	  .backends = SL_BE_ZRAM,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "wb", .width = 7,
	  .meaning = "pages written back to the backing device (zram bd_stat)" },
	/* the store's state at the end (--at picks the moment in report) */
	{ .name = "pages_stored", .path = "pages_stored", .kind = SL_K_INT,
	  .better = 0, .moment = true, .backends = BE_STATE,
	  .shown = SL_SHOW_COMPARE | SL_SHOW_CHUNK,
	  .meaning = "slots holding a page" },
	{ .name = "orig_data_size", .path = "orig_data_size",
	  .kind = SL_K_BYTES, .better = 0, .moment = true,
	  .backends = BE_STATE, .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "orig", .width = 10,
	  .meaning = "bytes of the pages stored (zram mm_stat 1)" },
	{ .name = "compr_data_size", .path = "compr_data_size",
	  .kind = SL_K_BYTES, .better = -1, .moment = true,
	  .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .head = "compr", .width = 10,
	  .meaning = "bytes of compressed objects (mm_stat 2)" },
	{ .name = "mem_used_total", .path = "mem_used_total",
	  .kind = SL_K_BYTES, .better = -1, .moment = true,
	  .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .head = "mem_used", .width = 9,
	  .meaning = "bytes of pool pages (mm_stat 3)" },
	{ .name = "mem_used_max", .path = "mem_used_max",
	  .kind = SL_K_BYTES, .better = -1, .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .head = "mem_max", .width = 10,
	  .meaning = "the pool's high-water mark over the run (mm_stat 5)" },
	{ .name = "same_pages", .path = "same_pages", .kind = SL_K_INT,
	  .better = 0, .moment = true, .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "same", .width = 8,
	  .meaning = "same-filled slots: no pool memory (mm_stat 6)" },
	{ .name = "huge_pages", .path = "huge_pages", .kind = SL_K_INT,
	  .better = -1, .moment = true, .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "huge", .width = 8,
	  .meaning = "slots kept raw: the page did not compress enough (mm_stat 8)" },
	{ .name = "pages_compacted", .path = "pages_compacted",
	  .kind = SL_K_INT, .better = 0,
	  .backends = SL_BE_ZRAM | SL_BE_DEVICE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .head = "compacted", .width = 9,
	  .meaning = "pool pages freed by compaction (mm_stat 7)" },
	{ .name = "ratio", .path = "ratio", .cumulative = "ratio_cumulative",
	  .kind = SL_K_RATIO, .better = 1, .moment = true,
	  .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_PLOT,
	  .head = "ratio", .width = 6,
	  .meaning = "orig_data_size / compr_data_size (0 when empty)" },
	{ .name = "effective_ratio", .path = "effective_ratio",
	  .kind = SL_K_RATIO, .better = 1, .moment = true,
	  .backends = BE_STATE, .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "eff", .width = 5,
	  .meaning = "orig_data_size / mem_used_total: what the memory bought" },
	{ .name = "fragmentation", .path = "fragmentation",
	  .kind = SL_K_PCT, .better = -1, .moment = true,
	  .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "frag", .width = 6,
	  .meaning = "1 - compr_data_size / mem_used_total: pool bytes holding no object" },
	{ .name = "verify_failures", .path = "verify_failures",
	  .kind = SL_K_INT, .better = -1, .backends = SL_BE_ALL,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE | SL_SHOW_CHUNK,
	  .head = "verify", .width = 6,
	  .meaning = "pages read back other than stored (any is a bug)" },
	/* noisy: one sample per --repeat repetition */
	{ .name = "ops_per_sec", .path = "throughput.ops_per_sec",
	  .rpath = "ops_per_sec", .kind = SL_K_RATE, .better = 1,
	  .backends = SL_BE_ZRAM, .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "ops/s", .width = 8,
	  .meaning = "stores and loads per second of the timed core calls" },
	{ .name = "store_pages_per_sec",
	  .path = "throughput.store_pages_per_sec",
	  .rpath = "store_pages_per_sec", .kind = SL_K_RATE, .better = 1,
	  .backends = SL_BE_ZRAM, .shown = SL_SHOW_COMPARE,
	  .meaning = "stores per second of the timed core calls" },
	/* report shows p50 and p99 of each op, under its own short names */
	LAT("compress", "p50", "comp_p50", "comp p50",
	    SL_BE_ZRAM, SL_SHOW_REPORT | SL_SHOW_PLOT),
	LAT("compress", "p90", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("compress", "p99", "comp_p99", "comp p99",
	    SL_BE_ZRAM, SL_SHOW_REPORT),
	LAT("compress", "p999", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("compress", "mean", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("decompress", "p50", "decomp_p50", "dec p50",
	    SL_BE_ZRAM, SL_SHOW_REPORT),
	LAT("decompress", "p90", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("decompress", "p99", "decomp_p99", "dec p99",
	    SL_BE_ZRAM, SL_SHOW_REPORT),
	LAT("decompress", "p999", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("decompress", "mean", NULL, NULL, SL_BE_ZRAM, 0),
	LAT("store", "p50", "store_p50", "st p50",
	    BE_TIMED, SL_SHOW_REPORT),
	LAT("store", "p90", NULL, NULL, BE_TIMED, 0),
	LAT("store", "p99", "store_p99", "st p99",
	    BE_TIMED, SL_SHOW_REPORT),
	LAT("store", "p999", NULL, NULL, BE_TIMED, 0),
	LAT("store", "mean", NULL, NULL, BE_TIMED, 0),
	LAT("load", "p50", "load_p50", "ld p50",
	    BE_TIMED, SL_SHOW_REPORT),
	LAT("load", "p90", NULL, NULL, BE_TIMED, 0),
	LAT("load", "p99", "load_p99", "ld p99",
	    BE_TIMED, SL_SHOW_REPORT),
	LAT("load", "p999", NULL, NULL, BE_TIMED, 0),
	LAT("load", "mean", NULL, NULL, BE_TIMED, 0),
	/* front ends: what each sends to the disk and refuses */
	{ .name = "swap_writes", .path = "swap_writes", .kind = SL_K_INT,
	  .better = -1, .backends = BE_MODEL,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "to disk", .width = 8,
	  .meaning = "pages that went to the disk (zram bd_writes, zswap writeback and rejects)" },
	/* zswap runs: debugfs and vmstat names */
	{ .name = "stored_pages", .path = "zswap.stored_pages",
	  .kind = SL_K_INT, .better = 0, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "stored", .width = 8,
	  .meaning = "zswap debugfs stored_pages" },
	{ .name = "pool_total_size", .path = "zswap.pool_total_size",
	  .kind = SL_K_BYTES, .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "pool", .width = 9,
	  .meaning = "zswap debugfs pool_total_size: bytes of pool pages" },
	{ .name = "written_back_pages", .path = "zswap.written_back_pages",
	  .kind = SL_K_INT, .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "wrback", .width = 7,
	  .meaning = "zswap debugfs written_back_pages: evicted to swap" },
	{ .name = "pool_limit_hit", .path = "zswap.pool_limit_hit",
	  .kind = SL_K_INT, .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "limhit", .width = 7,
	  .meaning = "zswap debugfs pool_limit_hit: stores that found the pool full" },
	{ .name = "reject_compress_poor",
	  .path = "zswap.reject_compress_poor", .kind = SL_K_INT,
	  .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "rj_poor", .width = 7,
	  .meaning = "zswap debugfs reject_compress_poor: too big compressed" },
	{ .name = "reject_reclaim_fail", .path = "zswap.reject_reclaim_fail",
	  .kind = SL_K_INT, .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "rj_recl", .width = 7,
	  .meaning = "zswap debugfs reject_reclaim_fail: the pool could not shrink" },
	{ .name = "reject_alloc_fail", .path = "zswap.reject_alloc_fail",
	  .kind = SL_K_INT, .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "rj_alloc", .width = 8,
	  .meaning = "zswap debugfs reject_alloc_fail: the pool allocation failed" },
	{ .name = "zswpout", .path = "vmstat.zswpout", .kind = SL_K_INT,
	  .better = 0, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "zswpout", .width = 8,
	  .meaning = "/proc/vmstat zswpout: pages stored in zswap" },
	{ .name = "zswpin", .path = "vmstat.zswpin", .kind = SL_K_INT,
	  .better = 0, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT | SL_SHOW_COMPARE,
	  .head = "zswpin", .width = 8,
	  .meaning = "/proc/vmstat zswpin: pages loaded from zswap" },
	/* report's alone */
	{ .name = "codec", .path = "codec", .kind = SL_K_STR,
	  .backends = SL_BE_ALL, .shown = SL_SHOW_REPORT,
	  .head = "codec", .width = 12,
	  .meaning = "codec spec (lz4, zstd@6.1, zstd:level=3, ...)" },
	{ .name = "alloc", .path = "alloc", .kind = SL_K_STR,
	  .backends = SL_BE_ALL, .shown = SL_SHOW_REPORT,
	  .head = "alloc", .width = 12,
	  .meaning = "allocator spec (zsmalloc, zbud, ideal, ...; zswap: its zpool)" },
	{ .name = "frontend", .path = "frontend", .kind = SL_K_STR,
	  .backends = SL_BE_ZRAM | SL_BE_ZSWAP | SL_BE_SWAP | SL_BE_CHUNK,
	  .shown = SL_SHOW_REPORT, .head = "front", .width = 6,
	  .meaning = "zram, zswap, zram-chunk or kernel (--target swap)" },
	{ .name = "run", .path = "_label", .kind = SL_K_STR,
	  .shown = SL_SHOW_REPORT, .head = "run", .width = 3,
	  .meaning = "report's own: what tells apart runs of one codec and allocator" },
	{ .name = "over_ideal", .kind = SL_K_PCT, .better = -1,
	  .shown = SL_SHOW_REPORT | SL_SHOW_PLOT,
	  .head = "+ideal", .width = 7,
	  .meaning = "mem_used_max over the ideal allocator's on its trace and codec" },
	{ .name = "peak_op", .path = "at_peak.op", .kind = SL_K_INT,
	  .better = 0, .backends = BE_STATE,
	  .shown = SL_SHOW_REPORT | SL_SHOW_PLOT | SL_SHOW_CHUNK,
	  .head = "peak op", .width = 8,
	  .meaning = "the op (1-based event index) after which the peak state was taken" },
	{ .name = "same_filled_pages", .path = "zswap.same_filled_pages",
	  .kind = SL_K_INT, .better = 0, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT, .head = "same", .width = 7,
	  .meaning = "zswap debugfs same_filled_pages (6.1; 6.12 has no such file)" },
	{ .name = "reject_uncounted", .path = "reject_uncounted",
	  .kind = SL_K_INT, .better = -1, .backends = SL_BE_ZSWAP,
	  .shown = SL_SHOW_REPORT, .head = "rj_thr", .width = 7,
	  .meaning = "stores zswap refused without a debugfs counter (accept threshold)" },
	{ .name = "zswpwb", .path = "vmstat.zswpwb", .kind = SL_K_INT,
	  .better = -1, .backends = BE_ZSWAP_STAT,
	  .shown = SL_SHOW_REPORT, .head = "zswpwb", .width = 8,
	  .meaning = "/proc/vmstat zswpwb: pages written back (6.8+; not in 6.1)" },
	/* plot's and report --view chunk's */
	{ .name = "peak_t_s", .path = "at_peak.t_s", .kind = SL_K_SEC,
	  .better = 0, .backends = SL_BE_ZRAM | SL_BE_ZSWAP | SL_BE_CHUNK,
	  .shown = SL_SHOW_PLOT,
	  .meaning = "the peak op's trace time, after the trace header's start" },
	{ .name = "pages_in_chunks_at_peak", .path = "at_peak.pages_in_chunks",
	  .kind = SL_K_INT, .better = 0, .backends = SL_BE_CHUNK,
	  .shown = SL_SHOW_CHUNK,
	  .meaning = "pages held in multi-page objects at peak memory" },
	{ .name = "stranded_pages_at_peak", .path = "at_peak.stranded_pages",
	  .kind = SL_K_INT, .better = -1, .backends = SL_BE_CHUNK,
	  .shown = SL_SHOW_CHUNK,
	  .meaning = "freed pages whose object a live page still holds, at peak memory" },
	{ .name = "read_amplification", .path = "chunk.read_amplification",
	  .kind = SL_K_RATIO, .better = -1, .backends = SL_BE_CHUNK,
	  .shown = SL_SHOW_CHUNK,
	  .meaning = "pages decompressed per page read" },
	{ .name = "decompress_ns_per_page_read",
	  .path = "chunk.decompress_ns_per_page_read", .kind = SL_K_NS,
	  .better = -1, .backends = SL_BE_CHUNK, .shown = SL_SHOW_CHUNK,
	  .meaning = "decompression time per page read" },
};

_Static_assert(ARRAY_SIZE(sl_metrics) <= SL_METRICS_MAX,
	       "SL_METRICS_MAX is too small for the table");

size_t sl_metrics_nr(void)
{
	return ARRAY_SIZE(sl_metrics);
}

/* compare's shorthands; a figure's report key is an alias as well */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "eff", "effective_ratio" }, { "frag", "fragmentation" },
	{ "mem", "mem_used_total" }, { "mem_max", "mem_used_max" },
	{ "compr", "compr_data_size" }, { "huge", "huge_pages" },
	{ "throughput", "ops_per_sec" }, { "peak_ratio", "ratio_at_peak" },
	{ "peak_mem", "mem_used_at_peak" },
};

const char *sl_metric_alias_of(const char *alias)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(alias, aliases[i].alias))
			return aliases[i].name;
	return NULL;
}

bool sl_metric_alias(size_t i, const char **alias, const char **name)
{
	if (i >= ARRAY_SIZE(aliases))
		return false;
	*alias = aliases[i].alias;
	*name = aliases[i].name;
	return true;
}

const struct sl_metric *sl_metric_find(const char *name)
{
	const char *canon = sl_metric_alias_of(name);
	size_t i;

	if (canon)
		name = canon;
	for (i = 0; i < sl_metrics_nr(); i++)
		if (!strcmp(sl_metrics[i].name, name))
			return &sl_metrics[i];
	for (i = 0; i < sl_metrics_nr(); i++)
		if (sl_metrics[i].report && !strcmp(sl_metrics[i].report, name))
			return &sl_metrics[i];
	return NULL;
}

const char *sl_metric_path(const struct sl_metric *m, enum sl_moment at,
			   char *buf, size_t len)
{
	if (!m->path)
		return NULL;
	if (!m->moment || at == SL_AT_END) {
		snprintf(buf, len, "%s", m->path);
	} else if (at == SL_AT_CUMULATIVE) {
		if (!m->cumulative)
			return NULL;
		snprintf(buf, len, "%s", m->cumulative);
	} else {
		snprintf(buf, len, "at_peak.%s", m->path);
	}
	return buf;
}

double sl_metric_num(const struct sl_metric *m, const json_t *run,
		     enum sl_moment at)
{
	char path[96];

	if (m->kind == SL_K_STR || !sl_metric_path(m, at, path, sizeof(path)))
		return NAN;
	return sl_results_num(run, path);
}

double sl_metric_value(const json_t *run, const char *name)
{
	const struct sl_metric *m = sl_metric_find(name);

	return m ? sl_metric_num(m, run, SL_AT_END) : NAN;
}

unsigned int sl_metric_backend(const json_t *run)
{
	const char *fe = sl_results_str(run, "frontend");

	if (!strcmp(sl_results_str(run, "target"), "swap"))
		return SL_BE_SWAP;
	if (*sl_results_str(run, "target"))
		return SL_BE_DEVICE;
	if (!strcmp(fe, "zram"))
		return SL_BE_ZRAM;
	if (!strcmp(fe, "zswap"))
		return SL_BE_ZSWAP;
	if (!strcmp(fe, "zram-chunk"))
		return SL_BE_CHUNK;
	return 0;
}

const char *sl_metric_backend_name(unsigned int be)
{
	switch (be) {
	case SL_BE_ZRAM:
		return "zram";
	case SL_BE_ZSWAP:
		return "zswap";
	case SL_BE_DEVICE:
		return "device";
	case SL_BE_SWAP:
		return "swap";
	case SL_BE_CHUNK:
		return "chunk";
	}
	return "?";
}

const char *sl_metric_unit(enum sl_kind kind)
{
	switch (kind) {
	case SL_K_STR:
		return "text";
	case SL_K_INT:
		return "count";
	case SL_K_BYTES:
		return "bytes";
	case SL_K_RATIO:
		return "ratio";
	case SL_K_PCT:
		return "fraction";
	case SL_K_NS:
		return "ns";
	case SL_K_RATE:
		return "per s";
	case SL_K_SEC:
		return "s";
	}
	return "?";
}

/* a figure one kernel's zswap has and the other's has not */
static bool kernel_lacks(const struct sl_metric *m, const json_t *run)
{
	const char *k = sl_results_str(run, "kernel");

	if (!strcmp(m->name, "same_filled_pages"))
		return strcmp(k, "6.1") != 0;
	if (!strcmp(m->name, "zswpwb"))	/* 6.8+; a kernel we cannot tell */
		return !strcmp(k, "6.1") || !*k;
	return false;
}

bool sl_metric_missing(const struct sl_metric *m, const json_t *run)
{
	if (!m->path || !(m->backends & sl_metric_backend(run)) ||
	    kernel_lacks(m, run))
		return false;
	if (m->kind == SL_K_STR)
		return !json_is_string(json_object_get(run, m->path));
	return isnan(sl_results_num(run, m->path));
}
