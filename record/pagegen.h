/*
 * pagegen.h - deterministic synthetic page contents for `swaplab gen`.
 * The same (kind, seed) always gives the same bytes on every machine.
 */
#ifndef SL_PAGEGEN_H
#define SL_PAGEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pg_kind {
	PG_ZERO,
	PG_SAME,	/* one non-zero machine word repeated */
	PG_TEXT,	/* words, numbers and punctuation */
	PG_HEAP,	/* records of pointers, counters, padding */
	PG_SPARSE,	/* mostly zero with a few live cache lines */
	PG_RANDOM,	/* incompressible */
	PG_NR_KINDS
};

/* splitmix64 step: a full-period generator that is trivial to seed */
uint64_t pg_rand(uint64_t *state);

/* fill @page (@size bytes) with content of @kind from @seed */
void pg_fill(void *page, size_t size, enum pg_kind kind, uint64_t seed);

const char *pg_kind_name(enum pg_kind kind);

#endif /* SL_PAGEGEN_H */
