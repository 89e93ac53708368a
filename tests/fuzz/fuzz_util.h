/*
 * fuzz_util.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Every target defines LLVMFuzzerTestOneInput(); it is linked either with
 * libFuzzer (clang -fsanitize=fuzzer, `make fuzz`) or with regress.c, which
 * replays the seed corpora without libFuzzer (`make fuzz-regress`, any cc).
 *
 * Decoders get their input at the very end of a guard-paged buffer and
 * write into a page followed by an inaccessible page, as libdeflate's
 * alloc_guarded_buffer() arranges, so a one-byte overrun faults even in a
 * build without ASan.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * bulk loops of the harness itself: no coverage, no comparison tracing;
 * never inlined, or the loop would be traced in its (covered) caller
 */
#ifdef __clang__
#define FUZZ_NOCOV __attribute__((no_sanitize("coverage"), noinline))
#else
#define FUZZ_NOCOV
#endif

/* abort with a message: a finding, not an expected error */
#define FUZZ_ASSERT(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, \
		__LINE__, #cond); abort(); } } while (0)

struct guarded {
	uint8_t *map;		/* start of the mapping */
	size_t map_len;
	size_t cap;		/* usable bytes before the rear guard */
};

/*
 * guarded_alloc() - @cap usable bytes between two PROT_NONE pages; the
 * usable region ends exactly at the rear guard page.
 */
static inline void guarded_alloc(struct guarded *g, size_t cap)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (cap + pg - 1) / pg * pg;

	g->map_len = body + 2 * pg;
	g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FUZZ_ASSERT(g->map != MAP_FAILED);
	FUZZ_ASSERT(!mprotect(g->map, pg, PROT_NONE));
	FUZZ_ASSERT(!mprotect(g->map + pg + body, pg, PROT_NONE));
	g->cap = body;
}

/* pointer to @n bytes ending at the rear guard page */
static inline uint8_t *guarded_tail(struct guarded *g, size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	FUZZ_ASSERT(n <= g->cap);
	return g->map + pg + g->cap - n;
}

static inline void guarded_free(struct guarded *g)
{
	munmap(g->map, g->map_len);
	g->map = NULL;
}

/*
 * fuzz_file() - a path naming a regular file that holds @data: a memfd
 * (no disk I/O, no leftovers), seen through /proc/self/fd.  The same fd is
 * reused by every run of the process.
 */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz", MFD_CLOEXEC);
		FUZZ_ASSERT(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FUZZ_ASSERT(!ftruncate(fd, 0));
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, done);

		FUZZ_ASSERT(n > 0);
		done += n;
	}
	return path;
}

#endif /* FUZZ_UTIL_H */
