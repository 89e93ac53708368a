/*
 * compare_ut.c - `swaplab compare` on hand-made results files whose
 * outcome is known: equal, clearly better, clearly worse, too few
 * samples, unmatched runs, and the exact gates on deterministic figures.
 * The command runs in-process with its stdout caught in a temp file.
 */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "ut_util.h"

/* five repetitions with a 1% spread */
static const double noise[] = { 1.0, 1.01, 0.99, 1.005, 0.995 };
#define NR_NOISE (sizeof(noise) / sizeof(noise[0]))

struct runspec {
	const char *codec;
	double ratio;
	double lat_scale;	/* latencies x this; throughput / this */
	int nrep;
	int verify_failures;
	const char *compact;
};

static json_t *mk_run(const struct runspec *s)
{
	static const char *const ops[] = { "compress", "decompress", "store",
					   "load" };
	static const char *const st[] = { "p50", "p90", "p99", "p999",
					   "mean" };
	json_t *reps = json_array(), *run, *lat;
	double mem = 1 << 20;
	size_t i, o, k;

	for (i = 0; i < (size_t)s->nrep; i++) {
		double f = noise[i % NR_NOISE] * s->lat_scale;

		lat = json_object();
		for (o = 0; o < 4; o++) {
			json_t *op = json_object();

			for (k = 0; k < 5; k++)
				json_object_set_new(op, st[k],
						    json_real(1000 * (k + 1) * f));
			json_object_set_new(lat, ops[o], op);
		}
		json_array_append_new(reps, json_pack("{s:f, s:f, s:o}",
			"ops_per_sec", 1e6 / f, "store_pages_per_sec", 5e5 / f,
			"latency_ns", lat));
	}
	run = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:b}, s:i, s:f, s:f,"
			" s:f, s:f, s:i, s:i, s:i, s:f, s:f, s:f, s:i,"
			" s:{s:f}, s:o}",
		"trace", "t.swt", "trace_source", "gen:test",
		"codec", s->codec, "alloc", "zsmalloc",
		"settings", "compact", s->compact ? s->compact : "never",
		"same_filled", 1,
		"pages_stored", 100, "orig_data_size", 409600.0,
		"compr_data_size", 409600 / s->ratio, "mem_used_total", mem,
		"mem_used_max", mem, "same_pages", 3, "huge_pages", 2,
		"pages_compacted", 0, "ratio", s->ratio,
		"effective_ratio", 409600 / mem, "fragmentation", 0.1,
		"verify_failures", s->verify_failures,
		"throughput", "ops_per_sec", 1e6 / s->lat_scale,
		"repeats", reps);
	CU_ASSERT_FATAL(run != NULL);
	return run;
}

/* write a results file of @n runs; Return: its path (static per slot) */
static const char *mk_file(const char *name, const struct runspec *s, int n)
{
	static char paths[4][512];
	static int slot;
	json_t *doc = json_pack("{s:s, s:[]}", "swaplab_version", "test",
				"runs");
	char *p = paths[slot++ % 4];
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(json_object_get(doc, "runs"),
				      mk_run(&s[i]));
	snprintf(p, 512, "%s/%s", ut_tmpdir(), name);
	CU_ASSERT_FATAL(json_dump_file(doc, p, JSON_INDENT(1)) == 0);
	json_decref(doc);
	return p;
}

static char out[1 << 16];

/* run `swaplab compare ARGS...` with stdout in @out; Return: exit code */
static int compare(const char *a, const char *b, const char *opt1,
		   const char *opt2)
{
	char *argv[8], path[512];
	int argc = 0, fd, efd, saved, esaved, ret;
	ssize_t n;

	argv[argc++] = "compare";
	argv[argc++] = (char *)a;
	argv[argc++] = (char *)b;
	if (opt1)
		argv[argc++] = (char *)opt1;
	if (opt2)
		argv[argc++] = (char *)opt2;
	argv[argc] = NULL;
	snprintf(path, sizeof(path), "%s/stdout", ut_tmpdir());
	fflush(stdout);
	saved = dup(1);
	esaved = dup(2);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	efd = open("/dev/null", O_WRONLY);
	CU_ASSERT_FATAL(saved >= 0 && esaved >= 0 && fd >= 0 && efd >= 0);
	dup2(fd, 1);
	dup2(efd, 2);
	sl_cmd_name = "compare";
	ret = cmd_compare(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	dup2(esaved, 2);
	close(saved);
	close(esaved);
	close(efd);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = 0;
	close(fd);
	return ret;
}

/* the line of metric @name in @out, from its marker on */
static const char *line_of(const char *name)
{
	static char line[256];
	char pat[64];
	const char *p;
	size_t n;

	/* a metric's line: its marker, a space, the name (not the gate list) */
	snprintf(pat, sizeof(pat), " %s ", name);
	for (p = out; (p = strstr(p, pat)); p++)
		if (p > out && (p - 1 == out || p[-2] == '\n'))
			break;
	if (!p)
		return "";
	p--;
	n = strcspn(p, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = 0;
	return line;
}

static const struct runspec base = { "lz4", 3.0, 1.0, 5, 0, NULL };

static void test_equal_results_cross_nothing(void)
{
	const char *a = mk_file("a.json", &base, 1);
	const char *b = mk_file("b.json", &base, 1);

	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "ratio=0%,p99=0%"), 0);
	CU_ASSERT_EQUAL(line_of("ratio")[0], '=');
	CU_ASSERT_EQUAL(line_of("mem_used_total")[0], '=');
	CU_ASSERT_PTR_NOT_NULL(strstr(line_of("compress.p99"),
				      "no difference proven"));
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], ' ');
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 thresholds crossed"));
}

static void test_clearly_better_is_marked_and_passes(void)
{
	struct runspec s = base;
	const char *a, *b;

	s.lat_scale = 0.7;
	s.ratio = 3.3;
	a = mk_file("a.json", &base, 1);
	b = mk_file("b.json", &s, 1);
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "ratio=0,p99=1%"), 0);
	CU_ASSERT_EQUAL(line_of("ratio")[0], '+');
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], '+');
	CU_ASSERT_EQUAL(line_of("ops_per_sec")[0], '+');
	CU_ASSERT_PTR_NOT_NULL(strstr(line_of("compress.p99"), "-30.00% +/- "));
}

static void test_clearly_worse_crosses_its_gate(void)
{
	struct runspec s = base;
	const char *a, *b;

	s.lat_scale = 1.3;
	a = mk_file("a.json", &base, 1);
	b = mk_file("b.json", &s, 1);
	/* worse, but no gate: marked, exit 0 */
	CU_ASSERT_EQUAL(compare(a, b, NULL, NULL), 0);
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], '-');
	CU_ASSERT_EQUAL(line_of("ops_per_sec")[0], '-');
	/* +30% is beyond 10% */
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "p99=10%"), 1);
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], '!');
	CU_ASSERT_EQUAL(line_of("load.p99")[0], '!');
	CU_ASSERT_EQUAL(line_of("compress.p50")[0], '-');
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "4 thresholds crossed"));
	/* an exact key overrides its group */
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress",
				"p99=10%,compress.p99=50%"), 1);
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], '-');
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "3 thresholds crossed"));
	/* but not beyond 40% */
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "latency=40%"), 0);
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "throughput=20%"), 1);
}

static void test_too_few_samples_are_said_and_not_gated(void)
{
	struct runspec s = base;
	const char *a, *b;

	s.lat_scale = 2;
	s.nrep = 1;
	a = mk_file("a.json", &base, 1);
	b = mk_file("b.json", &s, 1);
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "latency=1%"), 0);
	CU_ASSERT_EQUAL(line_of("compress.p99")[0], '?');
	CU_ASSERT_PTR_NOT_NULL(strstr(line_of("compress.p99"),
				      "too few samples (N 5/1)"));
	/* no "repeats" at all counts as one sample */
	s.nrep = 0;
	b = mk_file("b.json", &s, 1);
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "latency=1%"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(line_of("ops_per_sec"),
				      "too few samples (N 5/1)"));
}

static void test_deterministic_figures_are_exact(void)
{
	struct runspec s = base;
	const char *a, *b;

	s.ratio = 2.9999;
	a = mk_file("a.json", &base, 1);
	b = mk_file("b.json", &s, 1);
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "ratio=0%"), 1);
	CU_ASSERT_EQUAL(line_of("ratio")[0], '!');
	CU_ASSERT_EQUAL(line_of("compr_data_size")[0], '-');
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "ratio=0.01%"), 0);
	CU_ASSERT_EQUAL(line_of("ratio")[0], '-');
}

static void test_more_verify_failures_always_cross(void)
{
	struct runspec s = base;
	const char *a, *b;

	s.verify_failures = 1;
	a = mk_file("a.json", &base, 1);
	b = mk_file("b.json", &s, 1);
	CU_ASSERT_EQUAL(compare(a, b, NULL, NULL), 1);
	CU_ASSERT_EQUAL(line_of("verify_failures")[0], '!');
	CU_ASSERT_EQUAL(compare(b, a, NULL, NULL), 0);
}

static void test_runs_match_by_codec_and_settings(void)
{
	struct runspec two[2] = { base, base }, swapped[2];
	const char *a, *b;

	two[1].codec = "zstd";
	two[1].lat_scale = 3;
	swapped[0] = two[1];
	swapped[1] = two[0];
	a = mk_file("a.json", two, 2);
	b = mk_file("b.json", swapped, 2);
	/* order does not matter */
	CU_ASSERT_EQUAL(compare(a, b, "--max-regress", "latency=0"), 0);
	/* a run only in one file is bad input, unless allowed */
	b = mk_file("b.json", two, 1);
	CU_ASSERT_EQUAL(compare(a, b, NULL, NULL), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unmatched: zstd / zsmalloc"));
	CU_ASSERT_EQUAL(compare(a, b, "--allow-unmatched", NULL), 0);
	/* other settings are another run */
	swapped[0] = base;
	swapped[0].compact = "every";
	b = mk_file("b.json", swapped, 1);
	a = mk_file("a.json", &base, 1);
	CU_ASSERT_EQUAL(compare(a, b, NULL, NULL), 2);
	/* unless that setting is left out of the matching */
	CU_ASSERT_EQUAL(compare(a, b, "--ignore-settings", "compact"), 0);
	CU_ASSERT_EQUAL(compare(a, b, "--ignore-settings", "all"), 0);
	CU_ASSERT_EQUAL(compare(a, b, "--ignore-settings", "same_filled"), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "settings differ from base's: compact"));
	/* the same run twice in one file is bad input */
	two[1] = base;
	b = mk_file("b.json", two, 2);
	CU_ASSERT_EQUAL(compare(a, b, NULL, NULL), 2);
}

static void test_bad_arguments_are_usage_errors(void)
{
	const char *a = mk_file("a.json", &base, 1);
	char missing[512];

	snprintf(missing, sizeof(missing), "%s/missing.json", ut_tmpdir());
	CU_ASSERT_EQUAL(compare(a, a, "--max-regress", "nosuch=1%"), 2);
	CU_ASSERT_EQUAL(compare(a, a, "--max-regress", "ratio"), 2);
	CU_ASSERT_EQUAL(compare(a, a, "--max-regress", "ratio=-1%"), 2);
	CU_ASSERT_EQUAL(compare(a, a, "--confidence", "100"), 2);
	CU_ASSERT_EQUAL(compare(a, a, "--only", "nosuch"), 2);
	CU_ASSERT_EQUAL(compare(a, missing, NULL, NULL), 2);
	CU_ASSERT_EQUAL(compare(a, a, "--confidence", "99"), 0);
}

int compare_ut_register(void)
{
	CU_pSuite s = CU_add_suite("compare", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_equal_results_cross_nothing);
	UT_ADD(s, test_clearly_better_is_marked_and_passes);
	UT_ADD(s, test_clearly_worse_crosses_its_gate);
	UT_ADD(s, test_too_few_samples_are_said_and_not_gated);
	UT_ADD(s, test_deterministic_figures_are_exact);
	UT_ADD(s, test_more_verify_failures_always_cross);
	UT_ADD(s, test_runs_match_by_codec_and_settings);
	UT_ADD(s, test_bad_arguments_are_usage_errors);
	return CU_get_error();
}
