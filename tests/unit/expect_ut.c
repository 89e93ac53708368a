/*
 * expect_ut.c - the replay's verify table (replay/expect.c): sparse over
 * 2^32 slots, one leaf per 4096 slots used, slots that share a leaf or
 * its offset kept apart; by hash and by bytes.  And the reader's reuse
 * plan and sl_replay_multi(): a pass of several runs gives each run what
 * it gets alone.
 */
#include <stdio.h>
#include <string.h>

#include "replay/engine.h"
#include "replay/expect.h"
#include "format/results.h"
#include "ut_util.h"

#define TOP	0xffffffffull	/* the highest slot index */

static void test_sparse_to_2_32(void)
{
	struct expect x;
	uint8_t page[UT_PAGE];

	ut_page_fill(page, "text", 1);
	CU_ASSERT_FATAL(expect_init(&x, 1ull << 32, true) == 0);
	CU_ASSERT_EQUAL(x.m.nleaves, 1u << 20);
	CU_ASSERT_FALSE(expect_has(&x, TOP));
	CU_ASSERT_EQUAL(expect_next(&x, 0), UINT64_MAX);
	CU_ASSERT_EQUAL(expect_set(&x, TOP, 7, page), 0);
	CU_ASSERT_EQUAL(expect_set(&x, 0, 8, page), 0);
	/* two slots used: two leaves, nothing between */
	CU_ASSERT_EQUAL(x.m.nallocated, 2);
	CU_ASSERT_TRUE(expect_has(&x, TOP));
	CU_ASSERT_TRUE(expect_has(&x, 0));
	CU_ASSERT_FALSE(expect_has(&x, TOP - 1));	/* same leaf, unset */
	CU_ASSERT_FALSE(expect_has(&x, 1ull << 31));
	CU_ASSERT_EQUAL(expect_next(&x, 1), 1);	/* leaf 0 exists */
	CU_ASSERT_EQUAL(expect_next(&x, 4096), TOP - 4095);
	CU_ASSERT_EQUAL(expect_check(&x, NULL, TOP, page), 1);
	expect_free(&x);
}

static void test_leaves_do_not_collide(void)
{
	static const uint64_t slots[] = { 5, 6, 5 + 4096, 5 + (1ull << 31),
					  4095, 4096 };
	struct expect x;
	uint8_t page[6][UT_PAGE];
	unsigned int i, j;

	CU_ASSERT_FATAL(expect_init(&x, 1ull << 32, true) == 0);
	for (i = 0; i < 6; i++) {
		ut_page_fill(page[i], "mixed", 100 + i);
		CU_ASSERT_EQUAL(expect_set(&x, slots[i], i, page[i]), 0);
	}
	/* leaves 0, 1 and 2^19: 3 for 6 slots */
	CU_ASSERT_EQUAL(x.m.nallocated, 3);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 6; j++)
			CU_ASSERT_EQUAL(expect_check(&x, NULL, slots[i],
						     page[j]), i == j);
	expect_clear(&x, 6);
	CU_ASSERT_FALSE(expect_has(&x, 6));
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 6, page[1]), 0);
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 5, page[0]), 1);
	expect_free(&x);
}

static void test_hash_sees_one_bit(void)
{
	struct expect x;
	uint8_t page[UT_PAGE], other[UT_PAGE];
	struct expect_hash h;

	CU_ASSERT_FATAL(expect_init(&x, 100, true) == 0);
	memset(page, 0, sizeof(page));
	CU_ASSERT_EQUAL(expect_set(&x, 3, 0, page), 0);
	memcpy(other, page, sizeof(page));
	other[4095] ^= 0x80;
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 3, page), 1);
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 3, other), 0);
	/* out of range: no leaf, nothing stored */
	CU_ASSERT_EQUAL(expect_set(&x, 4096, 0, page), -1);
	h = expect_page_hash(other);
	CU_ASSERT_EQUAL(expect_set_hash(&x, 3, &h), 0);
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 3, other), 1);
	CU_ASSERT_EQUAL(expect_check(&x, NULL, 3, page), 0);
	expect_free(&x);
}

static char *trace_path(const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", ut_tmpdir(), name);
	return buf;
}

/* a synthetic trace of 4 KiB pages at @p, to write events into */
static struct swt_writer *test_writer(const char *p)
{
	struct swt_header h;
	struct swt_writer *w;

	memset(&h, 0, sizeof(h));
	h.page_size = 4096;
	h.clock = SWT_CLOCK_SYNTHETIC;
	strcpy(h.source, "test");
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	return w;
}

/*
 * 3000 stores over 200 slots: every 7th stores content 5 (a page stored
 * again long after it was first written), loads and frees between
 */
static void write_trace(const char *p)
{
	struct swt_writer *w = test_writer(p);
	struct swt_totals tot;
	uint8_t page[UT_PAGE];
	uint64_t ts = 1000;
	int i;

	for (i = 0; i < 3000; i++) {
		ut_page_fill(page, i % 3 ? "text" : "mixed",
			     i % 7 ? (uint64_t)i : 5);
		CU_ASSERT_FATAL(swt_write_store(w, ts++, i * 37 % 200, page,
						-1, -1) == 0);
		if (i % 3 == 0)
			CU_ASSERT_FATAL(swt_write_op(w, SWT_LOAD, ts++,
						     i * 11 % 200, -1,
						     -1) == 0);
		if (i % 10 == 0)
			CU_ASSERT_FATAL(swt_write_op(w, SWT_FREE, ts++,
						     i * 13 % 200, -1,
						     -1) == 0);
	}
	CU_ASSERT_FATAL(swt_writer_commit(w, &tot) == 0);
}

static void test_bytes_fetches_the_page(void)
{
	char err[256];
	const char *p = trace_path("bytes.swt");
	struct swt_reader *r;
	struct swt_event ev;
	struct expect x;
	uint8_t got[UT_PAGE];

	write_trace(p);
	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_FATAL(expect_init(&x, 200, false) == 0);
	CU_ASSERT_FATAL(swt_next(r, &ev) == 1);
	CU_ASSERT_EQUAL(ev.op, SWT_STORE);
	memcpy(got, ev.page, UT_PAGE);
	CU_ASSERT_EQUAL(expect_set(&x, 9, ev.page_id, ev.page), 0);
	CU_ASSERT_EQUAL(expect_check(&x, r, 9, got), 1);
	got[100] ^= 1;
	CU_ASSERT_EQUAL(expect_check(&x, r, 9, got), 0);
	expect_free(&x);
	swt_reader_close(r);
}

/*
 * the reuse plan hands out the same contents as a plain pass, its copies
 * in memory (@kept_mem NULL: the default), all in the spill file ("0"),
 * or, when no spill file can be made, none (its chunk is decoded again)
 */
static void reuse_plan_same_pages(const char *kept_mem, const char *tmpdir,
				  bool spills)
{
	char err[256];
	const char *p = trace_path("plan.swt");
	struct swt_reader *a, *b;
	struct swt_event ea, eb;
	int ra, rb, stores = 0;

	write_trace(p);
	if (kept_mem)
		setenv("SWAPLAB_KEPT_MEM", kept_mem, 1);
	else	/* the default, whatever the caller's environment says */
		unsetenv("SWAPLAB_KEPT_MEM");
	if (tmpdir)
		setenv("TMPDIR", tmpdir, 1);
	a = swt_reader_open(p, 0, err, sizeof(err));
	/* the smallest cache: two chunks */
	b = swt_reader_open(p, 1, err, sizeof(err));
	CU_ASSERT_FATAL(a && b);
	swt_reader_plan_reuse(b);
	swt_reader_skip_contents(b, true);
	while (swt_next(b, &eb) == 1)
		;
	swt_reader_skip_contents(b, false);
	swt_reader_rewind(b);
	/* the rewind after a complete pass keeps the plan */
	while ((ra = swt_next(a, &ea)) == 1) {
		rb = swt_next(b, &eb);
		CU_ASSERT_FATAL(rb == 1);
		CU_ASSERT_EQUAL(ea.page_id, eb.page_id);
		if (ea.op == SWT_STORE) {
			stores++;
			CU_ASSERT(!memcmp(ea.page, eb.page, UT_PAGE));
		}
	}
	CU_ASSERT_EQUAL(ra, 0);
	CU_ASSERT_EQUAL(swt_next(b, &eb), 0);
	CU_ASSERT_EQUAL(stores, 3000);
	/* content 5 waits for its next STORE, and nothing else much */
	CU_ASSERT(swt_reader_kept_peak(b) <= 64);
	/* with no spill file none is kept */
	CU_ASSERT_EQUAL(swt_reader_kept_peak(b) >= 1, spills || !kept_mem);
	CU_ASSERT_EQUAL(swt_reader_kept_spilled(b) >= 1, spills);
	swt_reader_close(a);
	swt_reader_close(b);
	unsetenv("SWAPLAB_KEPT_MEM");
	if (tmpdir)
		unsetenv("TMPDIR");
}

static void test_reuse_plan_same_pages(void)
{
	reuse_plan_same_pages(NULL, NULL, false);
}

static void test_reuse_plan_spilled(void)
{
	reuse_plan_same_pages("0", NULL, true);
}

static void test_reuse_plan_no_spill_file(void)
{
	reuse_plan_same_pages("0", "/nonexistent/swaplab-ut", false);
}

/*
 * 4000 stores of incompressible pages: store 2c stores content c and
 * store 2c + 201 stores it again, so about 100 copies await reuse at
 * every moment (never none, which would empty the file) and 1900 pages,
 * 7.8 MB, go through the spill file: it has to be compacted
 */
static void write_reuse_trace(const char *p)
{
	struct swt_writer *w = test_writer(p);
	struct swt_totals tot;
	uint8_t page[UT_PAGE];
	uint64_t ts = 1000;
	int i;

	for (i = 0; i < 4000; i++) {
		ut_page_fill(page, "random", i % 2 == 0 ? (uint64_t)i / 2 :
			     i >= 201 ? (uint64_t)(i - 201) / 2 :
			     100000 + (uint64_t)i);
		CU_ASSERT_FATAL(swt_write_store(w, ts++, i % 300, page,
						-1, -1) == 0);
	}
	CU_ASSERT_FATAL(swt_writer_commit(w, &tot) == 0);
}

static void test_spill_file_compacted(void)
{
	char err[256];
	const char *p = trace_path("reuse.swt");
	struct swt_reader *a, *b;
	struct swt_event ea, eb;
	int ra, stores = 0;

	write_reuse_trace(p);
	setenv("SWAPLAB_KEPT_MEM", "0", 1);
	a = swt_reader_open(p, 0, err, sizeof(err));
	b = swt_reader_open(p, 1, err, sizeof(err));
	unsetenv("SWAPLAB_KEPT_MEM");
	CU_ASSERT_FATAL(a && b);
	swt_reader_plan_reuse(b);
	swt_reader_skip_contents(b, true);
	while (swt_next(b, &eb) == 1)
		;
	swt_reader_skip_contents(b, false);
	swt_reader_rewind(b);
	while ((ra = swt_next(a, &ea)) == 1) {
		CU_ASSERT_FATAL(swt_next(b, &eb) == 1);
		CU_ASSERT_EQUAL(ea.page_id, eb.page_id);
		stores++;
		CU_ASSERT(!memcmp(ea.page, eb.page, UT_PAGE));
	}
	CU_ASSERT_EQUAL(ra, 0);
	CU_ASSERT_EQUAL(stores, 4000);
	CU_ASSERT_EQUAL(swt_reader_kept_peak(b), 101);
	CU_ASSERT_EQUAL(swt_reader_kept_spilled(b), 1900);
	CU_ASSERT(swt_reader_spill_compactions(b) >= 5);
	swt_reader_close(a);
	swt_reader_close(b);
}

static void test_kept_mem_env_refused(void)
{
	static const char *const bad[] = { "4M", "-1", "", "2000000000000" };
	char err[256];
	struct swt_reader *r;
	unsigned int i;

	write_trace(trace_path("plan.swt"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("SWAPLAB_KEPT_MEM", bad[i], 1);
		r = swt_reader_open(trace_path("plan.swt"), 0, err,
				    sizeof(err));
		unsetenv("SWAPLAB_KEPT_MEM");
		CU_ASSERT(r == NULL);
		CU_ASSERT(strstr(err, "SWAPLAB_KEPT_MEM") != NULL);
		swt_reader_close(r);
	}
}

static json_t *strip(json_t *run)
{
	static const char *const noisy[] = { "throughput", "latency_ns",
		"latency_cdf", "provenance" };
	json_t *c = json_deep_copy(run);
	size_t i;

	for (i = 0; i < sizeof(noisy) / sizeof(noisy[0]); i++)
		json_object_del(c, noisy[i]);
	return c;
}

static void multi_equals_single(unsigned int jobs)
{
	static const char *const allocs[] = { "zsmalloc", "zbud", "zsmalloc" };
	char err[256];
	const char *p = trace_path("multi.swt");
	struct replay_cfg cfg[3];
	struct trace_scan scan;
	struct swt_reader *r;
	json_t *alone[3], *together[3], *a, *b;
	int i;

	write_trace(p);
	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_FATAL(sl_trace_scan(r, &scan, err, sizeof(err)) == 0);
	CU_ASSERT_EQUAL(scan.stores, 3000);
	/* stepping the slots (37i and 13i mod 200) by hand: 189 at once */
	CU_ASSERT_EQUAL(scan.max_live, 189);
	for (i = 0; i < 3; i++) {
		memset(&cfg[i], 0, sizeof(cfg[i]));
		cfg[i].trace_path = p;
		cfg[i].codec_spec = i == 2 ? "none" : ut_lz4();
		cfg[i].alloc_spec = allocs[i];
		cfg[i].nr_slots = scan.max_index + 1;
		cfg[i].nr_events = scan.events;
		cfg[i].same_filled = true;
		cfg[i].jobs = jobs;
		/*
		 * run 1 has the object of STORE 2900 (slot 63, neither loaded
		 * nor freed after) corrupted: the read-back at the end fails
		 * there, and in no other run
		 */
		cfg[i].corrupt_after = i == 1 ? 2900 : 0;
		CU_ASSERT_FATAL(sl_replay_run(&cfg[i], r, &alone[i], err,
					      sizeof(err)) == 0);
	}
	CU_ASSERT_FATAL(sl_replay_multi(cfg, 3, r, together, err,
					sizeof(err)) == 0);
	for (i = 0; i < 3; i++) {
		a = strip(alone[i]);
		b = strip(together[i]);
		CU_ASSERT(json_equal(a, b));
		CU_ASSERT_EQUAL(sl_results_num(together[i], "verify_failures"),
				i == 1 ? 1 : 0);
		CU_ASSERT(sl_results_num(together[i], "ops.stores") == 3000);
		json_decref(a);
		json_decref(b);
		json_decref(alone[i]);
		json_decref(together[i]);
	}
	/* runs that verify differently cannot share a pass */
	cfg[1].verify_bytes = true;
	CU_ASSERT_EQUAL(sl_replay_multi(cfg, 3, r, together, err,
					sizeof(err)), -1);
	CU_ASSERT_PTR_NULL(together[0]);
	swt_reader_close(r);
}

static void test_multi_equals_single(void)
{
	multi_equals_single(1);
}

static void test_multi_jobs_equals_single(void)
{
	multi_equals_single(2);
}

int expect_ut_register(void)
{
	CU_pSuite s = CU_add_suite("expect", NULL, NULL);

	if (!s)
		return CU_get_error();
	if (UT_ADD(s, test_sparse_to_2_32) ||
	    UT_ADD(s, test_leaves_do_not_collide) ||
	    UT_ADD(s, test_hash_sees_one_bit) ||
	    UT_ADD(s, test_bytes_fetches_the_page) ||
	    UT_ADD(s, test_reuse_plan_same_pages) ||
	    UT_ADD(s, test_reuse_plan_spilled) ||
	    UT_ADD(s, test_reuse_plan_no_spill_file) ||
	    UT_ADD(s, test_kept_mem_env_refused) ||
	    UT_ADD(s, test_spill_file_compacted) ||
	    UT_ADD(s, test_multi_equals_single) ||
	    UT_ADD(s, test_multi_jobs_equals_single))
		return CU_get_error();
	return CUE_SUCCESS;
}
