/*
 * mktrace.c - crafted traces at the format's bounds, for tests/cli/bounds.sh.
 *
 *   mktrace slot N OUT   one STORE of a random-ish page at slot N, one
 *                        LOAD of it (N up to 2^32 - 1)
 *   mktrace bomb PS OUT  PS-byte pages (4096..65536): 400 chunks of 64
 *                        pages, each a few hundred bytes on disk and up
 *                        to 4 MiB decoded (the format's bound), stored to
 *                        slots 0.. and loaded back
 *
 * Written through the library's own writer, so each trace is valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/swt.h"

static int slot(unsigned long long n, const char *out)
{
	struct swt_header hdr = { .page_size = 4096 };
	static unsigned char page[4096];
	struct swt_writer *w;
	unsigned int i;

	for (i = 0; i < sizeof(page); i++)
		page[i] = (unsigned char)(i * 7 + (i >> 5));
	snprintf(hdr.source, sizeof(hdr.source), "mktrace:slot");
	w = swt_writer_create(out, &hdr);
	if (!w || swt_write_store(w, 1, (uint32_t)n, page, -1, -1) ||
	    swt_write_op(w, SWT_LOAD, 2, (uint32_t)n, -1, -1) ||
	    swt_writer_commit(w, NULL)) {
		perror(out);
		return 1;
	}
	return 0;
}

/* pages that differ in one word: each chunk compresses away */
static int bomb(unsigned int ps, const char *out)
{
	struct swt_header hdr = { .page_size = ps };
	static unsigned char page[65536];
	struct swt_writer *w;
	uint32_t i, n = 64 * 400;	/* 400 chunks of 4 MiB decoded */

	snprintf(hdr.source, sizeof(hdr.source), "mktrace:bomb");
	w = swt_writer_create(out, &hdr);
	if (!w)
		goto err;
	for (i = 0; i < n; i++) {
		memcpy(page, &i, sizeof(i));
		if (swt_write_store(w, 1 + i, i, page, -1, -1))
			goto err;
	}
	for (i = 0; i < n; i += 64)
		if (swt_write_op(w, SWT_LOAD, 1 + n + i, i, -1, -1))
			goto err;
	if (swt_writer_commit(w, NULL))
		goto err;
	return 0;
err:
	perror(out);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "slot")) {
		unsigned long long n = strtoull(argv[2], NULL, 0);

		if (n > UINT32_MAX) {
			fprintf(stderr, "mktrace: slot %llu past 2^32 - 1\n", n);
			return 2;
		}
		return slot(n, argv[3]);
	}
	if (argc == 4 && !strcmp(argv[1], "bomb"))
		return bomb(strtoul(argv[2], NULL, 0), argv[3]);
	fprintf(stderr, "usage: mktrace slot N OUT | mktrace bomb PS OUT\n");
	return 2;
}
