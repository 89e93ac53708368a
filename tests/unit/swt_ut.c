/*
 * swt_ut.c - the .swt format: round trip of every event field, content
 * deduplication, a trace truncated at every byte offset and with every
 * byte flipped is rejected cleanly, writes are atomic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "format/swt.h"
#include "core/sl_compat.h"
#include "ut_util.h"

static char *path_in(const char *name)
{
	static char buf[4][512];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 512, "%s/%s", ut_tmpdir(), name);
	return p;
}

static void hdr_init(struct swt_header *h)
{
	memset(h, 0, sizeof(*h));
	h->page_size = 4096;
	h->flags = SWT_F_HAS_CPU | SWT_F_HAS_PID;
	h->clock = SWT_CLOCK_MONOTONIC;
	h->start_ns = 1000;
	strcpy(h->source, "test");
	strcpy(h->host, "unit");
	strcpy(h->kernel, "none");
	strcpy(h->description, "swt_ut");
}

/* 40 events over 12 distinct contents; returns the file's path */
static const char *write_small(const char *name, int nstores)
{
	struct swt_header h;
	struct swt_writer *w;
	struct swt_totals tot;
	const char *p = path_in(name);
	u8 page[4096];
	int i;

	hdr_init(&h);
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	for (i = 0; i < nstores; i++) {
		ut_page_fill(page, i % 3 ? "text" : "mixed", i % 12);
		CU_ASSERT_FATAL(swt_write_store(w, 2000 + i * 10, i % 7, page,
						i % 2, 100 + i) == 0);
		if (i % 4 == 0)
			CU_ASSERT_FATAL(swt_write_op(w, SWT_LOAD, 2005 + i * 10,
						     i % 7, 1, -1) == 0);
		if (i % 5 == 0)
			CU_ASSERT_FATAL(swt_write_op(w, SWT_FREE, 2006 + i * 10,
						     i % 7, -1, 7) == 0);
	}
	CU_ASSERT_FATAL(swt_write_mark(w, 5000 + nstores * 10, "end") == 0);
	CU_ASSERT_FATAL(swt_writer_commit(w, &tot) == 0);
	CU_ASSERT_EQUAL(tot.stores, nstores);
	return p;
}

static void test_round_trip_keeps_every_field(void)
{
	const char *p = write_small("rt.swt", 40);
	struct swt_reader *r;
	struct swt_event ev;
	char err[512];
	u8 page[4096];
	int i = 0, n = 0, ret;

	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_STRING_EQUAL(swt_reader_header(r)->description, "swt_ut");
	CU_ASSERT_EQUAL(swt_reader_header(r)->start_ns, 1000);
	while ((ret = swt_next(r, &ev)) == 1) {
		n++;
		if (ev.op != SWT_STORE)
			continue;
		ut_page_fill(page, i % 3 ? "text" : "mixed", i % 12);
		CU_ASSERT_EQUAL(ev.index, i % 7);
		CU_ASSERT_EQUAL(ev.ts_ns, 2000 + i * 10);
		CU_ASSERT_EQUAL(ev.cpu, i % 2);
		CU_ASSERT_EQUAL(ev.pid, 100 + i);
		CU_ASSERT_EQUAL(memcmp(ev.page, page, 4096), 0);
		i++;
	}
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT_EQUAL(i, 40);
	CU_ASSERT_EQUAL(n, 40 + 10 + 8 + 1);
	CU_ASSERT_EQUAL(swt_reader_totals(r)->pages, 12);	/* deduped */
	CU_ASSERT_EQUAL(swt_reader_totals(r)->marks, 1);
	/* rewind gives the same stream again */
	CU_ASSERT_EQUAL(swt_reader_rewind(r), 0);
	n = 0;
	while (swt_next(r, &ev) == 1)
		n++;
	CU_ASSERT_EQUAL(n, 59);
	swt_reader_close(r);
}

static void test_many_pages_with_tiny_cache(void)
{
	struct swt_header h;
	struct swt_writer *w;
	struct swt_reader *r;
	struct swt_event ev;
	const char *p = path_in("big.swt");
	char err[512];
	u8 page[4096];
	int i;

	hdr_init(&h);
	h.flags = 0;
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	for (i = 0; i < 1000; i++) {
		ut_page_fill(page, "random", i);
		CU_ASSERT_FATAL(swt_write_store(w, 2000 + i, i, page, -1,
						-1) == 0);
	}
	CU_ASSERT_FATAL(swt_writer_commit(w, NULL) == 0);
	/* 2 chunks of cache for 16 chunks of pages: random access works */
	r = swt_reader_open(p, 1, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	for (i = 0; i < 1000; i++) {
		CU_ASSERT_FATAL(swt_next(r, &ev) == 1);
		CU_ASSERT_EQUAL(ev.cpu, -1);
	}
	CU_ASSERT_EQUAL(swt_next(r, &ev), 0);
	for (i = 999; i >= 0; i -= 37) {
		const void *pg = swt_page(r, i);

		ut_page_fill(page, "random", i);
		CU_ASSERT_FATAL(pg && !memcmp(pg, page, 4096));
	}
	CU_ASSERT_PTR_NULL(swt_page(r, 1000));
	/* chunks cached before a rewind are found again after it */
	CU_ASSERT_EQUAL(swt_reader_rewind(r), 0);
	for (i = 0; i < 1000; i++) {
		CU_ASSERT_FATAL(swt_next(r, &ev) == 1);
		ut_page_fill(page, "random", i);
		CU_ASSERT_FATAL(!memcmp(ev.page, page, 4096));
		if (i % 100 == 99) {
			const void *pg = swt_page(r, i - 99);

			ut_page_fill(page, "random", i - 99);
			CU_ASSERT_FATAL(pg && !memcmp(pg, page, 4096));
		}
	}
	swt_reader_close(r);
}

static u8 *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	u8 *buf;

	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = malloc(*len);
	CU_ASSERT_FATAL(fread(buf, 1, *len, f) == *len);
	fclose(f);
	return buf;
}

static u64 digest;

static void mix(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		digest = (digest ^ *b++) * 0x100000001b3ULL;
}

/*
 * Return: 0 if the whole file reads fine, -1 if rejected; @digest then
 * covers everything decoded, so a test can tell "accepted" from "accepted
 * and identical".
 */
static int read_all(const char *p, const u8 *buf, size_t len)
{
	struct swt_reader *r;
	struct swt_event ev;
	char err[512];
	FILE *f = fopen(p, "wb");
	int ret;

	CU_ASSERT_FATAL(f && fwrite(buf, 1, len, f) == len);
	fclose(f);
	digest = 0xcbf29ce484222325ULL;
	r = swt_reader_open(p, 0, err, sizeof(err));
	if (!r)
		return -1;
	mix(swt_reader_header(r), sizeof(struct swt_header));
	while ((ret = swt_next(r, &ev)) == 1) {
		mix(&ev.op, sizeof(ev.op));
		mix(&ev.ts_ns, sizeof(ev.ts_ns));
		mix(&ev.index, sizeof(ev.index));
		mix(&ev.cpu, sizeof(ev.cpu));
		mix(&ev.pid, sizeof(ev.pid));
		mix(ev.mark, strlen(ev.mark));
		if (ev.page)
			mix(ev.page, 4096);
	}
	CU_ASSERT(ret == 0 || swt_reader_error(r)[0]);
	swt_reader_close(r);
	return ret;
}

static void test_truncation_at_every_offset_is_an_error(void)
{
	const char *p = write_small("trunc.swt", 20);
	const char *q = path_in("cut.swt");
	size_t len, i;
	u8 *buf = slurp(p, &len);
	int accepted = 0;

	CU_ASSERT_EQUAL(read_all(q, buf, len), 0);
	for (i = 0; i < len; i++)
		if (read_all(q, buf, i) == 0)
			accepted++;
	CU_ASSERT_EQUAL(accepted, 0);
	free(buf);
}

/*
 * A flipped byte must be rejected or decode to exactly the original: a
 * few bits of a zstd payload (padding in a bit stream) carry no data, and
 * the checksum covers the decoded bytes, which is what must not change.
 */
static void test_every_flipped_byte_is_rejected_or_harmless(void)
{
	const char *p = write_small("flip.swt", 20);
	const char *q = path_in("flipped.swt");
	size_t len, i;
	u8 *buf = slurp(p, &len);
	u64 good;
	int rejected = 0, wrong = 0;

	CU_ASSERT_FATAL(read_all(q, buf, len) == 0);
	good = digest;
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x41;
		if (read_all(q, buf, len))
			rejected++;
		else if (digest != good)
			wrong++;
		buf[i] ^= 0x41;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT(rejected >= (int)len - 8);
	free(buf);
}

static void test_bad_magic_version_and_missing_file(void)
{
	const char *p = write_small("magic.swt", 5);
	const char *q = path_in("bad.swt");
	char err[512];
	size_t len;
	u8 *buf = slurp(p, &len);

	CU_ASSERT_PTR_NULL(swt_reader_open(path_in("nope.swt"), 0, err,
					   sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot open"));
	buf[0] = 'X';
	read_all(q, buf, len);
	CU_ASSERT_PTR_NULL(swt_reader_open(q, 0, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad magic"));
	buf[0] = 'S';
	buf[8] = 9;
	read_all(q, buf, len);
	CU_ASSERT_PTR_NULL(swt_reader_open(q, 0, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unsupported trace version 9"));
	free(buf);
}

static void test_abort_leaves_no_file(void)
{
	struct swt_header h;
	struct swt_writer *w;
	const char *p = path_in("aborted.swt");
	struct stat st;
	u8 page[4096] = { 1 };

	hdr_init(&h);
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	CU_ASSERT_EQUAL(swt_write_store(w, 2000, 1, page, 0, 0), 0);
	/* time going backwards is refused and poisons the writer */
	CU_ASSERT_EQUAL(swt_write_op(w, SWT_LOAD, 1500, 1, 0, 0), -1);
	CU_ASSERT_EQUAL(swt_writer_commit(w, NULL), -1);
	CU_ASSERT_NOT_EQUAL(stat(p, &st), 0);
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	swt_writer_abort(w);
	CU_ASSERT_NOT_EQUAL(stat(p, &st), 0);
}

/* v2: a folio of 4 pages, a single page, a 2 MiB folio's first page */
static void test_v2_folios_round_trip(void)
{
	static const struct { unsigned int order; bool cont; } f[] = {
		{ 2, false }, { 2, true }, { 2, true }, { 2, true },
		{ 0, false }, { 9, false },
	};
	struct swt_header h;
	struct swt_writer *w;
	struct swt_reader *r;
	struct swt_event ev;
	const char *p = path_in("folio.swt"), *q = path_in("folio1.swt");
	char err[512];
	u8 page[4096], *buf;
	size_t i, len, hl;

	hdr_init(&h);
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	/* no folio flag in the header: no folio */
	CU_ASSERT_EQUAL(swt_write_store_folio(w, 2000, 0, page, 0, 0, 2,
					      false), -1);
	swt_writer_abort(w);
	h.flags |= SWT_F_HAS_FOLIO;
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		ut_page_fill(page, "text", i);
		CU_ASSERT_FATAL(swt_write_store_folio(w, 2000 + i, 8 + i, page,
						      0, 0, f[i].order,
						      f[i].cont) == 0);
	}
	CU_ASSERT_FATAL(swt_writer_commit(w, NULL) == 0);
	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(swt_reader_header(r)->version, 2);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		CU_ASSERT_FATAL(swt_next(r, &ev) == 1);
		CU_ASSERT_EQUAL(ev.index, 8 + i);
		CU_ASSERT_EQUAL(ev.folio_order, f[i].order);
		CU_ASSERT_EQUAL(ev.folio_cont, f[i].cont);
	}
	CU_ASSERT_EQUAL(swt_next(r, &ev), 0);
	swt_reader_close(r);
	/* the same bytes called version 1 (checksum made good): refused */
	buf = slurp(p, &len);
	buf[8] = 1;
	hl = buf[10] | buf[11] << 8;
	{
		uint64_t x = XXH3_64bits(buf, hl - 8);
		int k;

		for (k = 0; k < 8; k++)
			buf[hl - 8 + k] = x >> (8 * k);
	}
	read_all(q, buf, len);
	CU_ASSERT_PTR_NULL(swt_reader_open(q, 0, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "version 1 trace with the folio flag"));
	free(buf);
	/* a trace without folios is still version 1, and reads as order 0 */
	p = write_small("v1.swt", 6);
	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(swt_reader_header(r)->version, 1);
	while (swt_next(r, &ev) == 1)
		CU_ASSERT_EQUAL(ev.folio_order, 0);
	swt_reader_close(r);
}

/* v2 without contents (record --kprobes): a folio of 16 pages, a single */
static void test_v2_nocontent_folios(void)
{
	struct swt_header h;
	struct swt_writer *w;
	struct swt_reader *r;
	struct swt_event ev;
	const char *p = path_in("kpfolio.swt");
	char err[512];
	int i;

	hdr_init(&h);
	h.flags |= SWT_F_NO_CONTENT;
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	/* no folio flag: refused, as with contents */
	CU_ASSERT_EQUAL(swt_write_store_nocontent_folio(w, 2000, 0, 0, 0, 4,
							false), -1);
	swt_writer_abort(w);
	h.flags |= SWT_F_HAS_FOLIO;
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	/* an order above 9 is refused before anything is written */
	CU_ASSERT_EQUAL(swt_write_store_nocontent_folio(w, 2000, 0, 0, 0, 10,
							false), -1);
	swt_writer_abort(w);
	w = swt_writer_create(p, &h);
	CU_ASSERT_FATAL(w != NULL);
	for (i = 0; i < 16; i++)
		CU_ASSERT_FATAL(swt_write_store_nocontent_folio(w, 2000, 32 + i,
								0, 0, 4,
								i > 0) == 0);
	CU_ASSERT_FATAL(swt_write_store_nocontent(w, 2001, 7, 0, 0) == 0);
	CU_ASSERT_FATAL(swt_writer_commit(w, NULL) == 0);
	r = swt_reader_open(p, 0, err, sizeof(err));
	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(swt_reader_header(r)->version, 2);
	for (i = 0; i < 17; i++) {
		CU_ASSERT_FATAL(swt_next(r, &ev) == 1);
		CU_ASSERT_EQUAL(ev.op, SWT_STORE);
		CU_ASSERT_EQUAL(ev.index, i < 16 ? 32 + i : 7);
		CU_ASSERT_EQUAL(ev.folio_order, i < 16 ? 4 : 0);
		CU_ASSERT_EQUAL(ev.folio_cont, i > 0 && i < 16);
	}
	CU_ASSERT_EQUAL(swt_next(r, &ev), 0);
	swt_reader_close(r);
}

static int cleanup(void)
{
	ut_tmpdir_cleanup();
	return 0;
}

int swt_ut_register(void)
{
	CU_pSuite s = CU_add_suite("swt", NULL, cleanup);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_round_trip_keeps_every_field);
	UT_ADD(s, test_many_pages_with_tiny_cache);
	UT_ADD(s, test_truncation_at_every_offset_is_an_error);
	UT_ADD(s, test_every_flipped_byte_is_rejected_or_harmless);
	UT_ADD(s, test_bad_magic_version_and_missing_file);
	UT_ADD(s, test_abort_leaves_no_file);
	UT_ADD(s, test_v2_folios_round_trip);
	UT_ADD(s, test_v2_nocontent_folios);
	return CU_get_error();
}
