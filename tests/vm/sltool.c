// SPDX-License-Identifier: GPL-2.0
/*
 * sltool.c - the guest-side helper of the VM tests: writes and verifies
 * checksummed 4 KiB pages on a block device or in anonymous memory, times
 * random 4 KiB I/O, and reports the errno of sysfs writes.  Built static
 * so it runs in a busybox initramfs.
 *
 *   sltool integrity DEV PAGES OPS SEED   random writes, overwrites,
 *                                         discards, zero-outs; verify all
 *   sltool fill DEV PAGES SEED            write PAGES pages of the mix
 *   sltool verify DEV PAGES SEED          check what fill wrote
 *   sltool hog MB SEED                    fill memory, verify twice
 *   sltool bench DEV PAGES OPS SEED       random 4 KiB write, then read
 *   sltool pair DEVA DEVB PAGES OPS SEED  the same, A and B interleaved in
 *                                         chunks of 256 ops: B/A ratios
 *   sltool put DEV INDEX zero|same|text|random
 *   sltool get DEV INDEX
 *   sltool discard DEV INDEX COUNT        BLKDISCARD whole pages
 *   sltool syswrite FILE VALUE            write VALUE\\n, print ok or errno
 *
 * integrity works on pages [SLTOOL_BASE, SLTOOL_BASE + PAGES) when that is
 * set, so that several instances can share one device.  With SLTOOL_DUP=N,
 * integrity and hog give pages whose numbers are equal modulo N equal data.
 *
 * Every page is a pure function of (seed, index, generation), so a reader
 * regenerates what it expects; pages that are not same-filled end with a
 * 64-bit FNV-1a checksum of the rest.  Exit: 0 pass, 1 mismatch, 2 error.
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PG 4096

enum kind { K_ZERO, K_SAME, K_TEXT, K_RANDOM, K_HALF, K_MAX };

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* a realistic-ish mix: zero, same-filled, text, incompressible, half */
static enum kind pick_kind(uint64_t h)
{
	unsigned int r = h % 100;

	if (r < 10)
		return K_ZERO;
	if (r < 15)
		return K_SAME;
	if (r < 75)
		return K_TEXT;
	if (r < 85)
		return K_RANDOM;
	return K_HALF;
}

static const char *const words[] = {
	"swap ", "page ", "zram ", "kernel ", "memory ", "0x7f3a ",
	"compress ", "slot ", "alloc ", "\n", "ffffffff ", "00000000 ",
};

static void gen_page(uint8_t *p, uint64_t seed, uint64_t index, uint32_t gen,
		     int force)
{
	uint64_t h = mix64(seed ^ mix64(index * 0x10001 + gen));
	enum kind k = force >= 0 ? (enum kind)force : pick_kind(h);
	uint64_t s = h, sum;
	size_t i, n;

	switch (k) {
	case K_ZERO:
		memset(p, 0, PG);
		return;
	case K_SAME:
		for (i = 0; i < PG; i += 8)
			memcpy(p + i, &h, 8);
		return;
	case K_TEXT:
		for (i = 0; i < PG - 8; i += n) {
			s = mix64(s);
			n = strlen(words[s % 12]);
			if (n > PG - 8 - i)
				n = PG - 8 - i;
			memcpy(p + i, words[s % 12], n);
		}
		break;
	case K_RANDOM:
		for (i = 0; i < PG - 8; i += 8) {
			s = mix64(s);
			memcpy(p + i, &s, 8);
		}
		break;
	default:
		memset(p, 0, PG);
		for (i = 0; i < PG / 2; i += 8) {
			s = mix64(s);
			memcpy(p + i, &s, 8);
		}
		break;
	}
	memcpy(p, &index, 8);
	memcpy(p + 8, &gen, 4);
	sum = fnv(p, PG - 8);
	memcpy(p + PG - 8, &sum, 8);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *page_buf(void)
{
	void *p;

	if (posix_memalign(&p, PG, PG))
		exit(2);
	return p;
}

static int open_dev(const char *path, uint64_t *pages)
{
	uint64_t bytes;
	int fd = open(path, O_RDWR | O_DIRECT);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes)) {
		fprintf(stderr, "sltool: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (pages && (!*pages || *pages > bytes / PG))
		*pages = bytes / PG;
	return fd;
}

static void xpwrite(int fd, const void *b, uint64_t idx)
{
	if (pwrite(fd, b, PG, idx * PG) != PG) {
		fprintf(stderr, "sltool: write page %llu: %s\n",
			(unsigned long long)idx, strerror(errno));
		exit(2);
	}
}

static void xpread(int fd, void *b, uint64_t idx)
{
	if (pread(fd, b, PG, idx * PG) != PG) {
		fprintf(stderr, "sltool: read page %llu: %s\n",
			(unsigned long long)idx, strerror(errno));
		exit(2);
	}
}

/* compare a read page with what (index, gen) must hold; gen 0 = zeroes */
static int check(const uint8_t *got, uint8_t *want, uint64_t seed,
		 uint64_t idx, uint32_t gen)
{
	static long shown;

	if (gen)
		gen_page(want, seed, idx, gen, -1);
	else
		memset(want, 0, PG);
	if (!memcmp(got, want, PG))
		return 0;
	if (shown++ < 10)
		fprintf(stderr, "mismatch: page %llu gen %u\n",
			(unsigned long long)idx, gen);
	return 1;
}

/* the page number content is made from: see SLTOOL_DUP */
static uint64_t dup_mod;

static uint64_t key(uint64_t idx)
{
	return dup_mod ? idx % dup_mod : idx;
}

static void shuffle(uint64_t *a, uint64_t n, uint64_t seed)
{
	uint64_t i, j, t;

	for (i = 0; i < n; i++)
		a[i] = i;
	for (i = n; i > 1; i--) {
		seed = mix64(seed);
		j = seed % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static int cmd_integrity(char **av)
{
	uint64_t pages = strtoull(av[1], NULL, 0), ops = strtoull(av[2], 0, 0);
	uint64_t seed = strtoull(av[3], NULL, 0), r = seed, i, *order;
	uint64_t base = getenv("SLTOOL_BASE") ?
			strtoull(getenv("SLTOOL_BASE"), NULL, 0) : 0;
	long writes = 0, discards = 0, zeroes = 0, reads = 0, bad = 0;
	uint8_t *buf = page_buf(), *want = page_buf();
	int fd = open_dev(av[0], &pages);
	uint32_t *gen = calloc(pages, sizeof(*gen));

	if (getenv("SLTOOL_DUP"))
		dup_mod = strtoull(getenv("SLTOOL_DUP"), NULL, 0);
	order = calloc(pages, sizeof(*order));
	if (!gen || !order)
		return 2;
	shuffle(order, pages, seed);
	for (i = 0; i < pages; i++) {
		gen[order[i]] = 1;
		gen_page(buf, seed, key(base + order[i]), 1, -1);
		xpwrite(fd, buf, base + order[i]);
		writes++;
	}
	for (i = 0; i < ops; i++) {
		uint64_t idx, n, range[2], j;
		unsigned int what;

		r = mix64(r);
		idx = r % pages;
		what = (r >> 32) % 100;
		if (what < 70) {
			gen_page(buf, seed, key(base + idx), ++gen[idx], -1);
			xpwrite(fd, buf, base + idx);
			writes++;
		} else if (what < 90) {
			n = 1 + (r >> 40) % 8;
			if (idx + n > pages)
				n = pages - idx;
			range[0] = (base + idx) * PG;
			range[1] = n * PG;
			if (ioctl(fd, what < 80 ? BLKDISCARD : BLKZEROOUT,
				  range)) {
				perror("sltool: discard");
				return 2;
			}
			for (j = idx; j < idx + n; j++)
				gen[j] = 0;
			if (what < 80)
				discards++;
			else
				zeroes++;
		} else {
			xpread(fd, buf, base + idx);
			bad += check(buf, want, seed, key(base + idx), gen[idx]);
			reads++;
		}
	}
	/* SLTOOL_COMPACT=file: compact the fragmented pool before the check */
	if (getenv("SLTOOL_COMPACT")) {
		int c = open(getenv("SLTOOL_COMPACT"), O_WRONLY);

		if (c < 0 || write(c, "1", 1) != 1) {
			perror("sltool: compact");
			return 2;
		}
		close(c);
	}
	shuffle(order, pages, seed + 1);
	for (i = 0; i < pages; i++) {
		xpread(fd, buf, base + order[i]);
		bad += check(buf, want, seed, key(base + order[i]),
			     gen[order[i]]);
		reads++;
	}
	printf("integrity: pages=%llu writes=%ld discards=%ld zeroouts=%ld reads=%ld mismatches=%ld\n",
	       (unsigned long long)pages, writes, discards, zeroes, reads,
	       bad);
	close(fd);
	return bad ? 1 : 0;
}

static int cmd_fill(char **av, int verify)
{
	uint64_t pages = strtoull(av[1], NULL, 0), i;
	uint64_t seed = strtoull(av[2], NULL, 0);
	uint8_t *buf = page_buf(), *want = page_buf();
	int fd = open_dev(av[0], &pages);
	long bad = 0;
	double t = now();

	for (i = 0; i < pages; i++) {
		if (verify) {
			xpread(fd, buf, i);
			bad += check(buf, want, seed, i, 1);
		} else {
			gen_page(buf, seed, i, 1, -1);
			xpwrite(fd, buf, i);
		}
	}
	printf("%s: pages=%llu seconds=%.2f mismatches=%ld\n",
	       verify ? "verify" : "fill", (unsigned long long)pages,
	       now() - t, bad);
	close(fd);
	return bad ? 1 : 0;
}

static int cmd_hog(char **av)
{
	uint64_t mb = strtoull(av[0], NULL, 0), seed = strtoull(av[1], 0, 0);
	uint64_t pages = mb * 256, i;
	uint8_t *want = page_buf(), *mem;
	long bad1 = 0, bad2 = 0;
	double t = now();

	if (getenv("SLTOOL_DUP"))
		dup_mod = strtoull(getenv("SLTOOL_DUP"), NULL, 0);
	mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	for (i = 0; i < pages; i++)
		gen_page(mem + i * PG, seed, key(i), 1, -1);
	/* read everything back, rewriting every other page on the way */
	for (i = 0; i < pages; i++) {
		bad1 += check(mem + i * PG, want, seed, key(i), 1);
		if (i & 1)
			gen_page(mem + i * PG, seed, key(i), 2, -1);
	}
	for (i = 0; i < pages; i++)
		bad2 += check(mem + i * PG, want, seed, key(i),
			      1 + (i & 1));
	printf("hog: mb=%llu pages=%llu pass1_mismatches=%ld pass2_mismatches=%ld mismatches=%ld seconds=%.1f\n",
	       (unsigned long long)mb, (unsigned long long)pages, bad1, bad2,
	       bad1 + bad2, now() - t);
	return bad1 + bad2 ? 1 : 0;
}

static int cmd_bench(char **av)
{
	uint64_t pages = strtoull(av[1], NULL, 0), ops = strtoull(av[2], 0, 0);
	uint64_t seed = strtoull(av[3], NULL, 0), r = seed, i;
	uint8_t *buf = page_buf(), *src;
	int fd = open_dev(av[0], &pages);
	double t, tw, tr;

	/* compressible pages only: the codec and allocator are measured */
	if (posix_memalign((void **)&src, PG, 64 * PG))
		return 2;
	for (i = 0; i < 64; i++)
		gen_page(src + i * PG, seed, i, 1, K_TEXT);
	/* SLTOOL_NOFILL: the device already holds pages from an earlier run */
	for (i = 0; !getenv("SLTOOL_NOFILL") && i < pages; i++)
		xpwrite(fd, src + (i % 64) * PG, i);
	t = now();
	for (i = 0; i < ops; i++) {
		r = mix64(r);
		memcpy(buf, src + (r >> 40) % 64 * PG, PG);
		xpwrite(fd, buf, r % pages);
	}
	tw = now() - t;
	t = now();
	for (i = 0; i < ops; i++) {
		r = mix64(r);
		xpread(fd, buf, r % pages);
	}
	tr = now() - t;
	printf("bench: dev=%s ops=%llu write_iops=%.0f read_iops=%.0f write_MBps=%.1f read_MBps=%.1f\n",
	       av[0], (unsigned long long)ops, ops / tw, ops / tr,
	       ops * 4.0 / 1024 / tw, ops * 4.0 / 1024 / tr);
	close(fd);
	return 0;
}

/* time @n random writes or reads of whole pages on @fd */
static double timed_io(int fd, uint8_t *buf, const uint8_t *src,
		       uint64_t pages, uint64_t n, uint64_t *r, int write)
{
	double t = now();
	uint64_t i;

	for (i = 0; i < n; i++) {
		*r = mix64(*r);
		if (write) {
			memcpy(buf, src + (*r >> 40) % 64 * PG, PG);
			xpwrite(fd, buf, *r % pages);
		} else {
			xpread(fd, buf, *r % pages);
		}
	}
	return now() - t;
}

/*
 * The host is shared, so its load changes from second to second: A and B
 * take turns every 256 ops (who goes first alternates), and each sees the
 * same mix of quiet and busy moments.
 */
static int cmd_pair(char **av)
{
	uint64_t pages = strtoull(av[2], NULL, 0), ops = strtoull(av[3], 0, 0);
	uint64_t seed = strtoull(av[4], NULL, 0), ra, rb, i, done;
	uint64_t pa = pages, pb = pages;
	int fa = open_dev(av[0], &pa), fb = open_dev(av[1], &pb), w;
	uint8_t *buf = page_buf(), *src;
	double t[2][2] = { { 0 } };

	if (posix_memalign((void **)&src, PG, 64 * PG))
		return 2;
	pages = pa < pb ? pa : pb;
	for (i = 0; i < 64; i++)
		gen_page(src + i * PG, seed, i, 1, K_TEXT);
	for (i = 0; i < pages; i++) {
		xpwrite(fa, src + (i % 64) * PG, i);
		xpwrite(fb, src + (i % 64) * PG, i);
	}
	for (w = 1; w >= 0; w--) {
		ra = rb = seed + w;
		for (done = 0; done < ops; done += 256) {
			uint64_t n = ops - done < 256 ? ops - done : 256;

			if ((done / 256) & 1) {
				t[w][1] += timed_io(fb, buf, src, pages, n,
						    &rb, w);
				t[w][0] += timed_io(fa, buf, src, pages, n,
						    &ra, w);
			} else {
				t[w][0] += timed_io(fa, buf, src, pages, n,
						    &ra, w);
				t[w][1] += timed_io(fb, buf, src, pages, n,
						    &rb, w);
			}
		}
	}
	printf("pair: a=%s b=%s ops=%llu a_write_iops=%.0f b_write_iops=%.0f a_read_iops=%.0f b_read_iops=%.0f write_ratio=%.3f read_ratio=%.3f\n",
	       av[0], av[1], (unsigned long long)ops, ops / t[1][0],
	       ops / t[1][1], ops / t[0][0], ops / t[0][1],
	       t[1][0] / t[1][1], t[0][0] / t[0][1]);
	return 0;
}

static int cmd_put(char **av, int get)
{
	static const char *const names[K_MAX] = {
		"zero", "same", "text", "random", "half"
	};
	uint64_t idx = strtoull(av[1], NULL, 0);
	uint8_t *buf = page_buf();
	int fd = open_dev(av[0], NULL), k;

	if (get) {
		xpread(fd, buf, idx);
		printf("get: page %llu fnv=%016llx\n", (unsigned long long)idx,
		       (unsigned long long)fnv(buf, PG));
		return 0;
	}
	for (k = 0; k < K_MAX; k++)
		if (!strcmp(av[2], names[k]))
			break;
	if (k == K_MAX)
		return 2;
	/* the same bytes at every index: two puts of a kind are duplicates */
	gen_page(buf, 1, 0, 1, k);
	xpwrite(fd, buf, idx);
	return 0;
}

static int cmd_discard(char **av)
{
	uint64_t range[2] = { strtoull(av[1], NULL, 0) * PG,
			      strtoull(av[2], NULL, 0) * PG };
	int fd = open_dev(av[0], NULL);

	if (ioctl(fd, BLKDISCARD, range)) {
		perror("sltool: discard");
		return 2;
	}
	return 0;
}

static int cmd_syswrite(char **av)
{
	char line[4096];
	int fd = open(av[0], O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 0;
	}
	/* with a newline, as echo writes it */
	snprintf(line, sizeof(line), "%s\n", av[1]);
	n = write(fd, line, strlen(line));
	printf("%s\n", n < 0 ? strerrorname_np(errno) : "ok");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int nargs;
	} cmds[] = {
		{ "integrity", 4 }, { "fill", 3 }, { "verify", 3 },
		{ "hog", 2 }, { "bench", 4 }, { "put", 3 }, { "get", 2 },
		{ "syswrite", 2 }, { "discard", 3 }, { "pair", 5 },
	};
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			break;
	if (argc < 2 || i == sizeof(cmds) / sizeof(cmds[0]) ||
	    argc - 2 < cmds[i].nargs) {
		fprintf(stderr, "usage: see the head of tests/vm/sltool.c\n");
		return 2;
	}
	argv += 2;
	switch (i) {
	case 0: return cmd_integrity(argv);
	case 1: return cmd_fill(argv, 0);
	case 2: return cmd_fill(argv, 1);
	case 3: return cmd_hog(argv);
	case 4: return cmd_bench(argv);
	case 5: return cmd_put(argv, 0);
	case 6: return cmd_put(argv, 1);
	case 7: return cmd_syswrite(argv);
	case 8: return cmd_discard(argv);
	default: return cmd_pair(argv);
	}
}
