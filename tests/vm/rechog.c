/*
 * rechog.c - the kernel recorder's test workload and its checker (guest).
 *
 *   rechog hog MB SEED        fill MB of anonymous memory with pages that
 *                             say what they are, read all back, rewrite
 *                             every other page, read all back again
 *   rechog check TRACE SEED   every STORE in TRACE is a page the hog wrote,
 *                             byte for byte, each page's generations appear
 *                             in the order it wrote them, and every LOAD
 *                             reads a slot that holds a page (stores of
 *                             other pages of the hog - stack, data - are
 *                             counted as foreign; more than 256 fail),
 *                             and the pages of every folio (format v2)
 *                             are consecutive pages of the hog, the first
 *                             aligned (or all foreign: its malloc heap)
 *
 * A hog page starts with a header {magic, seed, page number, generation,
 * kind} and is otherwise a pure function of it: text-like, random or half
 * random, so stores go every way through the codec (no same-filled pages:
 * those could not say who wrote them).  Exit: 0 pass, 1 mismatch, 2 error.
 * Built statically with format/swt_reader.c (tests/vm/guest-record.sh).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "swt.h"

#define PG		4096
#define MAGIC		0x474f48434552534cull	/* "LSRECHOG" */
#define MAX_SLOTS	(1u << 22)

struct hdr {
	uint64_t magic, seed;
	uint32_t vpn, gen;
	uint32_t kind, pad;
};

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void gen_page(uint8_t *p, uint64_t seed, uint32_t vpn, uint32_t gen)
{
	static const char *words[] = { "swap ", "page ", "zram ", "store ",
		"slot ", "the ", "memory ", "kernel ", "cold ", "lru " };
	uint64_t r = mix64(seed ^ ((uint64_t)vpn << 20) ^ gen);
	struct hdr h = { MAGIC, seed, vpn, gen, r % 4, 0 };
	size_t i = sizeof(h);

	memcpy(p, &h, sizeof(h));
	while (i < PG) {
		r = mix64(r);
		if (h.kind == 3 || (h.kind == 2 && i >= PG / 2)) {
			size_t n = PG - i < 8 ? PG - i : 8;

			memcpy(p + i, &r, n);
			i += n;
		} else {
			const char *w = words[r % 10];
			size_t n = strlen(w);

			if (n > PG - i)
				n = PG - i;
			memcpy(p + i, w, n);
			i += n;
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int hog(uint64_t mb, uint64_t seed)
{
	uint64_t pages = mb * 256, i;
	uint8_t *mem, want[PG];
	long bad = 0;
	double t = now();

	mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	for (i = 0; i < pages; i++)
		gen_page(mem + i * PG, seed, i, 1);
	for (i = 0; i < pages; i++) {
		gen_page(want, seed, i, 1);
		bad += memcmp(mem + i * PG, want, PG) != 0;
		if (i & 1)
			gen_page(mem + i * PG, seed, i, 2);
	}
	for (i = 0; i < pages; i++) {
		gen_page(want, seed, i, 1 + (i & 1));
		bad += memcmp(mem + i * PG, want, PG) != 0;
	}
	printf("rechog hog: mb=%llu pages=%llu mismatches=%ld seconds=%.1f\n",
	       (unsigned long long)mb, (unsigned long long)pages, bad,
	       now() - t);
	return bad ? 1 : 0;
}

static int check(const char *path, uint64_t seed)
{
	static uint32_t slot_gen[MAX_SLOTS];	/* 0: empty, else vpn gen */
	uint32_t *last_gen = calloc(1u << 24, sizeof(uint32_t));
	uint64_t stores = 0, loads = 0, frees = 0, foreign = 0, wrong = 0,
		 reorder = 0, bad_load = 0, overwrite = 0, maxvpn = 0, vpns = 0;
	/*
	 * the open folio: its first page's vpn, pages seen, and what it is
	 * so far: the hog's consecutive pages, all foreign, or neither
	 */
	uint64_t folios = 0, folio_bad = 0, folio_unaligned = 0,
		 folio_foreign = 0;
	uint32_t f_vpn = 0, f_seen = 0, f_pages = 0;
	enum { F_HOG, F_FOREIGN, F_BAD } f_kind = F_HOG;
	bool hogpage;
	uint8_t want[PG];
	struct swt_reader *r;
	struct swt_event ev;
	char err[512];
	int ret;

	r = swt_reader_open(path, 0, err, sizeof(err));
	if (!r || !last_gen) {
		fprintf(stderr, "rechog check: %s\n", r ? "out of memory" : err);
		return 2;
	}
	while ((ret = swt_next(r, &ev)) == 1) {
		struct hdr h;

		if (ev.index >= MAX_SLOTS && ev.op != SWT_MARK) {
			fprintf(stderr, "rechog check: slot %u too big\n", ev.index);
			return 2;
		}
		switch (ev.op) {
		case SWT_STORE:
			stores++;
			memcpy(&h, ev.page, sizeof(h));
			hogpage = h.magic == MAGIC && h.seed == seed;
			if (f_seen && f_seen < f_pages && !ev.folio_cont) {
				folio_bad++;	/* cut short */
				f_seen = 0;
			}
			if (ev.folio_order && !ev.folio_cont) {
				f_pages = 1u << ev.folio_order;
				f_seen = 1;
				f_vpn = h.vpn;
				f_kind = hogpage ? F_HOG : F_FOREIGN;
				folio_unaligned += hogpage && f_vpn % f_pages;
			} else if (ev.folio_cont && f_seen) {
				if (f_kind == F_HOG &&
				    (!hogpage || h.vpn != f_vpn + f_seen))
					f_kind = F_BAD;
				if (f_kind == F_FOREIGN && hogpage)
					f_kind = F_BAD;
				if (++f_seen == f_pages) {
					folios++;
					folio_bad += f_kind == F_BAD;
					folio_foreign += f_kind == F_FOREIGN;
					f_seen = 0;
				}
			}
			/* the hog's stack and data pages, swapped out too */
			if (h.magic != MAGIC || h.seed != seed || h.vpn >= 1u << 24) {
				foreign++;
				slot_gen[ev.index] = UINT32_MAX;
				break;
			}
			gen_page(want, seed, h.vpn, h.gen);
			if (memcmp(want, ev.page, PG)) {
				if (wrong++ < 5)
					fprintf(stderr, "store %llu: page %u gen %u differs\n",
						(unsigned long long)stores, h.vpn, h.gen);
				slot_gen[ev.index] = UINT32_MAX;
				break;
			}
			if (h.gen < last_gen[h.vpn]) {
				if (reorder++ < 5)
					fprintf(stderr, "store %llu: page %u gen %u after gen %u\n",
						(unsigned long long)stores, h.vpn, h.gen,
						last_gen[h.vpn]);
			}
			if (!last_gen[h.vpn])
				vpns++;
			last_gen[h.vpn] = h.gen;
			if (h.vpn > maxvpn)
				maxvpn = h.vpn;
			if (slot_gen[ev.index])
				overwrite++;
			slot_gen[ev.index] = h.gen;
			break;
		case SWT_LOAD:
			loads++;
			if (!slot_gen[ev.index] && bad_load++ < 5)
				fprintf(stderr, "load %llu: slot %u is empty\n",
					(unsigned long long)loads, ev.index);
			break;
		case SWT_FREE:
			frees++;
			slot_gen[ev.index] = 0;
			break;
		default:
			break;
		}
	}
	if (ret < 0) {
		fprintf(stderr, "rechog check: %s\n", swt_reader_error(r));
		return 2;
	}
	swt_reader_close(r);
	printf("rechog check: folios=%llu folio_bad=%llu folio_unaligned=%llu folio_foreign=%llu\n",
	       (unsigned long long)folios, (unsigned long long)folio_bad,
	       (unsigned long long)folio_unaligned,
	       (unsigned long long)folio_foreign);
	printf("rechog check: stores=%llu loads=%llu frees=%llu hog_pages=%llu foreign=%llu wrong=%llu reordered=%llu empty_loads=%llu overwrites=%llu\n",
	       (unsigned long long)stores, (unsigned long long)loads,
	       (unsigned long long)frees, (unsigned long long)vpns,
	       (unsigned long long)foreign, (unsigned long long)wrong,
	       (unsigned long long)reorder, (unsigned long long)bad_load,
	       (unsigned long long)overwrite);
	free(last_gen);
	/* a handful of non-heap pages; more means contents went astray */
	return foreign > 256 || wrong || reorder || bad_load || folio_bad ?
	       1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hog"))
		return hog(strtoull(argv[2], NULL, 0), strtoull(argv[3], 0, 0));
	if (argc == 4 && !strcmp(argv[1], "check"))
		return check(argv[2], strtoull(argv[3], NULL, 0));
	fprintf(stderr, "usage: rechog hog MB SEED | rechog check TRACE SEED\n");
	return 2;
}
