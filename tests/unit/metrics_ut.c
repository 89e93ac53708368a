/*
 * metrics_ut.c - format/metrics.c's table: every name, report key and
 * alias finds one figure and none is taken twice; the moment rule finds
 * the paths docs/results-format.md states; backends and missing figures
 * on hand-made runs; and every figure of the table, with its other
 * names, is documented in docs/results-format.md.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/metrics.h"
#include "format/results.h"
#include "ut_util.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define EPS	0.000000001

/* every name a figure answers to */
static size_t names_of(const struct sl_metric *m, const char **out)
{
	const char *alias, *name;
	size_t i, n = 0;

	out[n++] = m->name;
	if (m->report)
		out[n++] = m->report;
	for (i = 0; sl_metric_alias(i, &alias, &name); i++)
		if (!strcmp(name, m->name))
			out[n++] = alias;
	return n;
}

static void test_every_name_finds_its_figure_once(void)
{
	const char *names[16], *seen[4 * SL_METRICS_MAX];
	size_t i, j, k, n, nseen = 0;

	CU_ASSERT(sl_metrics_nr() > 40);
	CU_ASSERT(sl_metrics_nr() <= SL_METRICS_MAX);
	for (i = 0; i < sl_metrics_nr(); i++) {
		n = names_of(&sl_metrics[i], names);
		for (j = 0; j < n; j++) {
			CU_ASSERT_PTR_EQUAL(sl_metric_find(names[j]),
					    &sl_metrics[i]);
			for (k = 0; k < nseen; k++)
				if (!strcmp(seen[k], names[j]))
					CU_FAIL("a name is taken twice");
			seen[nseen++] = names[j];
		}
	}
	/* every alias names a figure of the table */
	for (i = 0; sl_metric_alias(i, &names[0], &names[1]); i++)
		CU_ASSERT_PTR_NOT_NULL(sl_metric_find(names[1]));
	CU_ASSERT_PTR_NULL(sl_metric_find("no_such_figure"));
	CU_ASSERT_PTR_NULL(sl_metric_find(""));
}

/* the spellings report and compare used before the table still work */
static void test_old_spellings_are_aliases(void)
{
	static const char *const same[][2] = {
		{ "comp_p50", "compress.p50" }, { "comp_p99", "compress.p99" },
		{ "decomp_p50", "decompress.p50" },
		{ "decomp_p99", "decompress.p99" },
		{ "store_p50", "store.p50" }, { "load_p99", "load.p99" },
		{ "bd_writes", "writeback_pages" },
		{ "eff", "effective_ratio" }, { "frag", "fragmentation" },
		{ "mem", "mem_used_total" }, { "mem_max", "mem_used_max" },
		{ "compr", "compr_data_size" }, { "huge", "huge_pages" },
		{ "throughput", "ops_per_sec" },
		{ "peak_ratio", "ratio_at_peak" },
		{ "peak_mem", "mem_used_at_peak" },
	};
	const struct sl_metric *m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(same); i++) {
		m = sl_metric_find(same[i][0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_STRING_EQUAL(m->name, same[i][1]);
	}
	m = sl_metric_find("compress.p50");
	CU_ASSERT_STRING_EQUAL(sl_metric_report_name(m), "comp_p50");
	CU_ASSERT_STRING_EQUAL(m->path, "latency_ns.compress.p50");
	CU_ASSERT_STRING_EQUAL(m->rpath, "latency_ns.compress.p50");
	CU_ASSERT_EQUAL(m->better, -1);
	CU_ASSERT_EQUAL(m->kind, SL_K_NS);
	m = sl_metric_find("ratio");
	CU_ASSERT_STRING_EQUAL(sl_metric_report_name(m), "ratio");
	CU_ASSERT_EQUAL(m->better, 1);
	CU_ASSERT_EQUAL(sl_metric_find("orig_data_size")->better, 0);
}

/* what each analyzer needs of the figures it shows */
static void test_shown_figures_have_what_their_analyzer_needs(void)
{
	const struct sl_metric *m;
	size_t i;

	for (i = 0; i < sl_metrics_nr(); i++) {
		m = &sl_metrics[i];
		CU_ASSERT_PTR_NOT_NULL(m->meaning);
		CU_ASSERT(m->shown != 0);
		CU_ASSERT(m->better >= -1 && m->better <= 1);
		if (m->shown & SL_SHOW_REPORT) {
			CU_ASSERT_PTR_NOT_NULL(m->head);
			CU_ASSERT(m->width > 0);
		}
		if (m->shown & SL_SHOW_COMPARE) {
			CU_ASSERT_PTR_NOT_NULL(m->path);
			CU_ASSERT(m->kind != SL_K_STR);
		}
		/* only a noisy figure has a repeats path, and a dear one */
		if (m->rpath)
			CU_ASSERT(m->kind == SL_K_NS || m->kind == SL_K_RATE);
		if (m->kind == SL_K_STR)
			CU_ASSERT_EQUAL(m->better, 0);
		if (m->cumulative)
			CU_ASSERT(m->moment);
	}
}

static void test_moment_paths(void)
{
	const struct sl_metric *ratio = sl_metric_find("ratio");
	const struct sl_metric *mem = sl_metric_find("mem_used_total");
	const struct sl_metric *max = sl_metric_find("mem_used_max");
	char buf[96];

	CU_ASSERT_STRING_EQUAL(sl_metric_path(ratio, SL_AT_PEAK, buf,
					      sizeof(buf)), "at_peak.ratio");
	CU_ASSERT_STRING_EQUAL(sl_metric_path(ratio, SL_AT_END, buf,
					      sizeof(buf)), "ratio");
	CU_ASSERT_STRING_EQUAL(sl_metric_path(ratio, SL_AT_CUMULATIVE, buf,
					      sizeof(buf)),
			       "ratio_cumulative");
	CU_ASSERT_STRING_EQUAL(sl_metric_path(mem, SL_AT_PEAK, buf,
					      sizeof(buf)),
			       "at_peak.mem_used_total");
	CU_ASSERT_PTR_NULL(sl_metric_path(mem, SL_AT_CUMULATIVE, buf,
					  sizeof(buf)));
	/* not a state figure: one value whatever the moment */
	CU_ASSERT_STRING_EQUAL(sl_metric_path(max, SL_AT_PEAK, buf,
					      sizeof(buf)), "mem_used_max");
	CU_ASSERT_STRING_EQUAL(sl_metric_path(max, SL_AT_CUMULATIVE, buf,
					      sizeof(buf)), "mem_used_max");
	/* derived: no path */
	CU_ASSERT_PTR_NULL(sl_metric_path(sl_metric_find("over_ideal"),
					  SL_AT_END, buf, sizeof(buf)));
}

/* a zram run of 3 pages: 12288 B in 3000 B of objects, 8192 B of pool */
static json_t *zram_run(void)
{
	static const char fmt[] =
		"{s:s, s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:{s:f, s:I}, s:{s:{s:I}}}";

	return json_pack(fmt,
			 "trace", "t.swt", "codec", "lz4", "alloc", "zsmalloc",
			 "frontend", "zram",
			 "orig_data_size", (json_int_t)12288,
			 "mem_used_total", (json_int_t)8192,
			 "ratio", 12288 / 3000.0,
			 "ratio_cumulative", 2.5,
			 "at_peak", "ratio", 3.0, "mem_used_total",
			 (json_int_t)16384,
			 "latency_ns", "compress", "p50", (json_int_t)1500);
}

static void test_values_of_a_run(void)
{
	json_t *run = zram_run();
	const struct sl_metric *ratio = sl_metric_find("ratio");

	CU_ASSERT_DOUBLE_EQUAL(sl_metric_num(ratio, run, SL_AT_END), 4.096,
			       EPS);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_num(ratio, run, SL_AT_PEAK), 3.0,
			       EPS);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_num(ratio, run, SL_AT_CUMULATIVE),
			       2.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_value(run, "mem_used_at_peak"),
			       16384, 0);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_value(run, "mem"), 8192, 0);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_value(run, "comp_p50"), 1500, 0);
	CU_ASSERT(isnan(sl_metric_value(run, "huge_pages")));
	CU_ASSERT(isnan(sl_metric_value(run, "no_such_figure")));
	/* text is the caller's to print */
	CU_ASSERT(isnan(sl_metric_value(run, "codec")));
	json_decref(run);
}

static void test_backend_of_a_run(void)
{
	json_t *run = zram_run();

	CU_ASSERT_EQUAL(sl_metric_backend(run), SL_BE_ZRAM);
	json_object_set_new(run, "frontend", json_string("zswap"));
	CU_ASSERT_EQUAL(sl_metric_backend(run), SL_BE_ZSWAP);
	json_object_set_new(run, "frontend", json_string("zram-chunk"));
	CU_ASSERT_EQUAL(sl_metric_backend(run), SL_BE_CHUNK);
	json_object_set_new(run, "frontend", json_string("kernel"));
	json_object_set_new(run, "target", json_string("swap"));
	CU_ASSERT_EQUAL(sl_metric_backend(run), SL_BE_SWAP);
	json_object_del(run, "frontend");
	json_object_set_new(run, "target", json_string("/dev/zram0"));
	CU_ASSERT_EQUAL(sl_metric_backend(run), SL_BE_DEVICE);
	json_object_del(run, "target");
	CU_ASSERT_EQUAL(sl_metric_backend(run), 0);
	CU_ASSERT_STRING_EQUAL(sl_metric_backend_name(SL_BE_CHUNK), "chunk");
	json_decref(run);
}

static void test_missing_figures(void)
{
	json_t *run = zram_run();
	const struct sl_metric *huge = sl_metric_find("huge_pages");
	const struct sl_metric *sfp = sl_metric_find("same_filled_pages");
	const struct sl_metric *wb = sl_metric_find("zswpwb");

	/* zram writes huge_pages: this run lacks it */
	CU_ASSERT(sl_metric_missing(huge, run));
	json_object_set_new(run, "huge_pages", json_integer(0));
	CU_ASSERT(!sl_metric_missing(huge, run));
	/* zram never writes zswap's counters, and the derived are never due */
	CU_ASSERT(!sl_metric_missing(sfp, run));
	CU_ASSERT(!sl_metric_missing(sl_metric_find("over_ideal"), run));
	CU_ASSERT(!sl_metric_missing(sl_metric_find("codec"), run));
	json_object_del(run, "codec");
	CU_ASSERT(sl_metric_missing(sl_metric_find("codec"), run));
	/* each zswap kernel its own counters */
	json_object_set_new(run, "frontend", json_string("zswap"));
	json_object_set_new(run, "kernel", json_string("6.12"));
	CU_ASSERT(!sl_metric_missing(sfp, run));
	CU_ASSERT(sl_metric_missing(wb, run));
	json_object_set_new(run, "kernel", json_string("6.1"));
	CU_ASSERT(sl_metric_missing(sfp, run));
	CU_ASSERT(!sl_metric_missing(wb, run));
	json_decref(run);
}

/*
 * the writer of "repeats" entries and the table agree: every noisy
 * figure's repeats path holds what its run path holds
 */
static void test_repeats_paths_match_the_writer(void)
{
	static const char *const ops[] = { "compress", "decompress", "store",
					   "load" };
	static const char *const stats[] = { "mean", "p50", "p90", "p99",
					     "p999" };
	json_t *run = zram_run(), *lat = json_object(), *h, *rep;
	const struct sl_metric *m;
	size_t i, j, noisy = 0;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		h = json_object();
		/* 1000 x op + 10 x stat: every figure its own value */
		for (j = 0; j < ARRAY_SIZE(stats); j++) {
			json_int_t v = 1000 * (i + 1) + 10 * (j + 1);

			json_object_set_new(h, stats[j], json_integer(v));
		}
		json_object_set_new(lat, ops[i], h);
	}
	json_object_set_new(run, "latency_ns", lat);
	h = json_pack("{s:f, s:f}", "ops_per_sec", 2500.0,
		      "store_pages_per_sec", 1250.0);
	json_object_set_new(run, "throughput", h);
	rep = sl_results_repeat_entry(run);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rep);
	for (i = 0; i < sl_metrics_nr(); i++) {
		m = &sl_metrics[i];
		if (!m->rpath)
			continue;
		noisy++;
		CU_ASSERT(!isnan(sl_results_num(run, m->path)));
		CU_ASSERT_DOUBLE_EQUAL(sl_results_num(rep, m->rpath),
				       sl_results_num(run, m->path), 0);
	}
	/* 4 ops x 5 statistics, and the two rates */
	CU_ASSERT_EQUAL(noisy, 22);
	CU_ASSERT_DOUBLE_EQUAL(sl_metric_value(run, "load.p999"), 4050, 0);
	CU_ASSERT_DOUBLE_EQUAL(sl_results_num(rep, "latency_ns.load.p999"),
			       4050, 0);
	json_decref(rep);
	json_decref(run);
}

/* docs/results-format.md, whether run from the top or from elsewhere */
static char *read_doc(void)
{
	static const char rel[] = "docs/results-format.md";
	char path[4096], *buf = NULL;
	const char *slash;
	size_t len;
	FILE *f;

	f = fopen(rel, "r");
	if (!f) {
		/* __FILE__ is this file's path under the top */
		slash = strstr(__FILE__, "tests/unit/");
		snprintf(path, sizeof(path), "%.*s%s",
			 slash ? (int)(slash - __FILE__) : 0, __FILE__, rel);
		f = fopen(path, "r");
	}
	if (!f)
		return NULL;
	len = fseek(f, 0, SEEK_END) ? 0 : ftell(f);
	if (len > 0 && len != (size_t)-1 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(len + 1);
		if (buf && fread(buf, 1, len, f) == len) {
			buf[len] = 0;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static void test_every_figure_is_documented(void)
{
	const char *names[16];
	char *doc = read_doc(), want[128];
	size_t i, j, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	for (i = 0; i < sl_metrics_nr(); i++) {
		n = names_of(&sl_metrics[i], names);
		/* its row of the metric table: "| `name` | `alias`, ..." */
		snprintf(want, sizeof(want), "| `%s` |", names[0]);
		if (!strstr(doc, want)) {
			fprintf(stderr, "\n  results-format.md has no row for %s\n",
				names[0]);
			CU_FAIL("a metric is missing from docs/results-format.md");
		}
		for (j = 1; j < n; j++) {
			snprintf(want, sizeof(want), "`%s`", names[j]);
			if (!strstr(doc, want)) {
				fprintf(stderr, "\n  results-format.md does not name %s\n",
					names[j]);
				CU_FAIL("an alias is missing from docs/results-format.md");
			}
		}
		if (sl_metrics[i].path) {
			snprintf(want, sizeof(want), "`%s`", sl_metrics[i].path);
			CU_ASSERT_PTR_NOT_NULL(strstr(doc, want));
		}
	}
	free(doc);
}

int metrics_ut_register(void)
{
	CU_pSuite s = CU_add_suite("metrics", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_every_name_finds_its_figure_once);
	UT_ADD(s, test_old_spellings_are_aliases);
	UT_ADD(s, test_shown_figures_have_what_their_analyzer_needs);
	UT_ADD(s, test_moment_paths);
	UT_ADD(s, test_values_of_a_run);
	UT_ADD(s, test_backend_of_a_run);
	UT_ADD(s, test_missing_figures);
	UT_ADD(s, test_repeats_paths_match_the_writer);
	UT_ADD(s, test_every_figure_is_documented);
	return CU_get_error();
}
