// SPDX-License-Identifier: GPL-2.0
/*
 * slfault.c - a write-heavy workload that survives failed writes, for the
 * fault test (t_fault.sh): the device may fail any write with EIO, and
 * every page whose last write succeeded must still read back as written.
 *
 *   slfault DEV PAGES OPS SEED
 *
 * PAGES pages (0: the whole device) are written once, then OPS random
 * operations: 80% overwrite, 20% read and check.  A write that fails with
 * EIO is counted and leaves its page unknown (the device may hold the old
 * or no content: zram keeps the old one); a read of an unknown page must
 * still succeed.  At the end every page is read; known ones are compared.
 * Pages: a third zero, a third text-like, a third half random, so that
 * same-filled, compressed and huge slots all occur.  O_DIRECT: every
 * write() is one write to the device, so failed= is what the device saw.
 * Output: one line "slfault: writes= failed= reads= read_errors=
 * mismatches= unknown=".  Exit: 0 no mismatch and no read error, 1 one
 * did, 2 could not run (other errors than EIO on write, too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define PG 4096

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* the content of page @idx at generation @gen (gen 0: never written) */
static void gen_page(uint8_t *p, uint64_t seed, uint64_t idx, uint32_t gen)
{
	uint64_t s = mix64(seed ^ mix64(idx * 0x10001 + gen));
	size_t i;

	memset(p, 0, PG);
	if (!gen || s % 3 == 0)
		return;
	for (i = 0; i < PG; i += 8) {
		s = mix64(s);
		if (s % 3 == 0 && i < PG / 2)
			memcpy(p + i, &s, 8);
		else
			memcpy(p + i, "pg text ", 8);
	}
	memcpy(p, &idx, 8);
	memcpy(p + 8, &gen, 4);
}

int main(int argc, char **argv)
{
	long writes = 0, failed = 0, reads = 0, rerr = 0, bad = 0, unknown = 0;
	uint64_t pages, ops, seed, bytes, i, r, idx;
	uint8_t *buf, *want;
	uint32_t *gen;
	uint8_t *known;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: slfault DEV PAGES OPS SEED\n");
		return 2;
	}
	pages = strtoull(argv[2], NULL, 0);
	ops = strtoull(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes)) {
		fprintf(stderr, "slfault: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (!pages || pages > bytes / PG)
		pages = bytes / PG;
	if (!pages) {
		/* a device reset before we opened it: nothing to work on */
		fprintf(stderr, "slfault: %s: no pages (disksize 0)\n", argv[1]);
		return 2;
	}
	gen = calloc(pages, sizeof(*gen));
	known = calloc(pages, 1);
	if (!gen || !known || posix_memalign((void **)&buf, PG, PG) ||
	    posix_memalign((void **)&want, PG, PG))
		return 2;
	r = seed;
	for (i = 0; i < pages + ops; i++) {
		r = mix64(r);
		idx = i < pages ? i : r % pages;
		if (i >= pages && (r >> 32) % 100 >= 80) {
			if (pread(fd, buf, PG, idx * PG) != PG) {
				rerr++;
				continue;
			}
			reads++;
			gen_page(want, seed, idx, gen[idx]);
			bad += known[idx] && memcmp(buf, want, PG);
			continue;
		}
		gen_page(buf, seed, idx, gen[idx] + 1);
		writes++;
		if (pwrite(fd, buf, PG, idx * PG) == PG) {
			gen[idx]++;
			known[idx] = 1;
		} else if (errno == EIO) {
			failed++;
			gen[idx]++;	/* the next write is a new content */
			known[idx] = 0;
		} else {
			fprintf(stderr, "slfault: write page %llu: %s\n",
				(unsigned long long)idx, strerror(errno));
			return 2;
		}
	}
	for (idx = 0; idx < pages; idx++) {
		if (pread(fd, buf, PG, idx * PG) != PG) {
			rerr++;
			continue;
		}
		reads++;
		if (!known[idx]) {
			unknown++;
			continue;
		}
		gen_page(want, seed, idx, gen[idx]);
		bad += !!memcmp(buf, want, PG);
	}
	printf("slfault: writes=%ld failed=%ld reads=%ld read_errors=%ld mismatches=%ld unknown=%ld\n",
	       writes, failed, reads, rerr, bad, unknown);
	return bad || rerr ? 1 : 0;
}
