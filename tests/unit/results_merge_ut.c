/*
 * results_merge_ut.c - the trace content hash (XXH3-128 of the file's
 * bytes, refreshed when the file changes behind the cache) and the merge
 * rules: a duplicate is kept once, other trace content or other sizes
 * under one configuration are refused, derived settings do not split a
 * configuration, a sweep job's hash is its configuration.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "format/results_merge.h"
#include "format/trace_hash.h"
#include "ut_util.h"

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(buf, 1, len, f) == len);
	fclose(f);
}

static void test_trace_hash_is_xxh3_128_of_the_bytes(void)
{
	static char buf[3 << 20];	/* over the 1 MiB read size */
	char path[512], h[SL_TRACE_HASH_LEN], want[SL_TRACE_HASH_LEN];
	uint64_t st = 7;
	XXH128_hash_t x;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = ut_rand(&st);
	snprintf(path, sizeof(path), "%s/t.swt", ut_tmpdir());
	write_file(path, buf, sizeof(buf));
	x = XXH3_128bits(buf, sizeof(buf));
	snprintf(want, sizeof(want), "xxh3-128:%016llx%016llx",
		 (unsigned long long)x.high64, (unsigned long long)x.low64);
	CU_ASSERT_EQUAL(sl_trace_hash(path, h), 0);
	CU_ASSERT_STRING_EQUAL(h, want);
	/* same size, new bytes: the cache must not answer */
	buf[12345] ^= 1;
	unlink(path);
	write_file(path, buf, sizeof(buf));
	CU_ASSERT_EQUAL(sl_trace_hash(path, h), 0);
	CU_ASSERT_STRING_NOT_EQUAL(h, want);
	CU_ASSERT_EQUAL(sl_trace_hash("/nonexistent/x.swt", h), -1);
	CU_ASSERT_STRING_EQUAL(h, "");
}

static json_t *run(const char *codec, const char *th, int compr,
		   int nr_slots)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i,"
			 " s:{s:b, s:i, s:i}}",
			 "trace", "/t/a.swt", "codec", codec,
			 "alloc", "zsmalloc", "trace_hash", th,
			 "compr_data_size", compr, "mem_used_total", 2 * compr,
			 "settings", "same_filled", 1, "nr_slots", nr_slots,
			 "threads", 0);
}

static json_t *doc1(json_t *r)
{
	return json_pack("{s:s, s:[o]}", "swaplab_version", "t", "runs", r);
}

static void test_merge_keeps_duplicates_once_and_refuses_disagreement(void)
{
	struct sl_merge m;
	char err[512];
	json_t *d;

	CU_ASSERT_FATAL(sl_merge_init(&m, "t") == 0);
	d = doc1(run("lz4", "xxh3-128:aa", 100, 10));
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "one.json", err, sizeof(err)), 0);
	json_decref(d);
	/* the same run again; nr_slots follows the trace, not the config */
	d = doc1(run("lz4", "xxh3-128:aa", 100, 10));
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "two.json", err, sizeof(err)), 0);
	json_decref(d);
	CU_ASSERT_EQUAL(m.dropped, 1);
	d = doc1(run("zstd", "xxh3-128:aa", 80, 10));
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "three.json", err, sizeof(err)),
			0);
	json_decref(d);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(m.doc, "runs")), 2);
	/* other trace content under one configuration */
	d = doc1(run("lz4", "xxh3-128:bb", 100, 12));
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "four.json", err, sizeof(err)),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "one.json and four.json disagree on trace content"));
	json_decref(d);
	/* same content, other sizes */
	d = doc1(run("lz4", "xxh3-128:aa", 101, 10));
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "five.json", err, sizeof(err)),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "disagree on compr_data_size"));
	json_decref(d);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(m.doc, "runs")), 2);
	sl_merge_free(&m);
}

static void test_a_sweep_hash_is_the_configuration(void)
{
	struct sl_merge m;
	char err[512];
	json_t *a = run("lz4", "xxh3-128:aa", 100, 10);
	json_t *b = run("lz4", "xxh3-128:aa", 100, 10);
	json_t *d;

	/* equal runs of two sweep jobs (say, other options) are both kept */
	json_object_set_new(a, "sweep", json_pack("{s:s}", "config_hash",
						  "0000000000000001"));
	json_object_set_new(b, "sweep", json_pack("{s:s}", "config_hash",
						  "0000000000000002"));
	CU_ASSERT_FATAL(sl_merge_init(&m, "t") == 0);
	d = doc1(a);
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "a", err, sizeof(err)), 0);
	json_decref(d);
	d = doc1(b);
	CU_ASSERT_EQUAL(sl_merge_add(&m, d, "b", err, sizeof(err)), 0);
	json_decref(d);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(m.doc, "runs")), 2);
	CU_ASSERT_EQUAL(m.dropped, 0);
	sl_merge_free(&m);
}

int results_merge_ut_register(void)
{
	CU_pSuite s = CU_add_suite("results_merge", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_trace_hash_is_xxh3_128_of_the_bytes);
	UT_ADD(s, test_merge_keeps_duplicates_once_and_refuses_disagreement);
	UT_ADD(s, test_a_sweep_hash_is_the_configuration);
	return CU_get_error();
}
