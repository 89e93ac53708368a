/*
 * pagegen.c - synthetic page contents.  They imitate what anonymous
 * memory holds (text, heap records with pointers, sparse pages, noise) so
 * that demos and tests see a plausible mix of compressed sizes; they are
 * not a substitute for a recorded trace, and `gen` labels its traces
 * synthetic for that reason.
 */
#include <stdio.h>
#include <string.h>

#include "pagegen.h"

uint64_t pg_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *const words[] = {
	"the", "of", "and", "memory", "page", "swap", "kernel", "process",
	"value", "error", "return", "struct", "static", "buffer", "request",
	"user", "time", "data", "index", "node", "cache", "free", "list",
	"http", "json", "name", "id", "status", "count", "total", "server",
	"client", "file", "path", "config", "debug", "info", "warning",
};
#define NR_WORDS (sizeof(words) / sizeof(words[0]))

static void fill_text(uint8_t *p, size_t size, uint64_t *s)
{
	size_t i = 0;

	while (i < size) {
		uint64_t r = pg_rand(s);
		char tmp[32];
		size_t n;

		if (r % 7 == 0)
			n = snprintf(tmp, sizeof(tmp) - 1, "%u",
				     (unsigned int)((r >> 8) % 100000));
		else
			n = snprintf(tmp, sizeof(tmp) - 1, "%s",
				     words[(r >> 8) % NR_WORDS]);
		tmp[n++] = (r >> 40) % 11 == 0 ? '\n' :
			   (r >> 40) % 13 == 0 ? ',' : ' ';
		if (n > size - i)
			n = size - i;
		memcpy(p + i, tmp, n);
		i += n;
	}
}

/*
 * Heap pages: arrays of one record type, the way allocators pack objects
 * of one size: a pointer into a shared arena, a small counter, flags, a
 * hash-like field (incompressible) and zero padding.
 */
static void fill_heap(uint8_t *p, size_t size, uint64_t *s)
{
	static const unsigned int rec_sizes[] = { 32, 48, 64, 96, 128 };
	unsigned int rec = rec_sizes[pg_rand(s) % 5];
	uint64_t arena = 0x00005555a0000000ULL + ((pg_rand(s) % 4096) << 16);
	bool hashes = pg_rand(s) % 3 == 0;
	size_t off;

	memset(p, 0, size);
	for (off = 0; off + rec <= size; off += rec) {
		uint64_t r = pg_rand(s);
		uint64_t ptr = arena + ((r % 512) << 4);
		uint32_t cnt = (r >> 20) % 64;
		uint32_t flags = 0x1 | ((r >> 30) & 0x6);

		memcpy(p + off, &ptr, 8);
		memcpy(p + off + 8, &cnt, 4);
		memcpy(p + off + 12, &flags, 4);
		if (hashes) {
			uint64_t h = pg_rand(s);

			memcpy(p + off + 16, &h, 8);
		}
		if (rec >= 64 && (r >> 50) % 2) {
			uint64_t ptr2 = ptr + 64;

			memcpy(p + off + 24, &ptr2, 8);
		}
	}
}

static void fill_sparse(uint8_t *p, size_t size, uint64_t *s)
{
	unsigned int lines = 1 + pg_rand(s) % 8, i;

	memset(p, 0, size);
	for (i = 0; i < lines; i++) {
		size_t at = (pg_rand(s) % (size / 64)) * 64;
		size_t j;

		for (j = 0; j < 64; j += 8) {
			uint64_t v = pg_rand(s) % 3 ? pg_rand(s) % 1000 :
				     pg_rand(s);

			memcpy(p + at + j, &v, 8);
		}
	}
}

void pg_fill(void *page, size_t size, enum pg_kind kind, uint64_t seed)
{
	uint64_t s = seed ^ ((uint64_t)kind << 56);
	uint8_t *p = page;
	size_t i;

	switch (kind) {
	case PG_ZERO:
		memset(p, 0, size);
		break;
	case PG_SAME: {
		static const uint64_t vals[] = { ~0ULL, 0x0101010101010101ULL,
						 0xdeadbeefdeadbeefULL,
						 0x00000000ffffffffULL };
		uint64_t v = vals[pg_rand(&s) % 4];

		for (i = 0; i + 8 <= size; i += 8)
			memcpy(p + i, &v, 8);
		break;
	}
	case PG_TEXT:
		fill_text(p, size, &s);
		break;
	case PG_HEAP:
		fill_heap(p, size, &s);
		break;
	case PG_SPARSE:
		fill_sparse(p, size, &s);
		break;
	default:
		for (i = 0; i + 8 <= size; i += 8) {
			uint64_t r = pg_rand(&s);

			memcpy(p + i, &r, 8);
		}
		break;
	}
}

const char *pg_kind_name(enum pg_kind kind)
{
	static const char *const names[] = { "zero", "same", "text", "heap",
					     "sparse", "random" };

	return kind < PG_NR_KINDS ? names[kind] : "?";
}
