/*
 * expect.h - what each slot should read back as, for the replay's verify.
 *
 * By hash (the default): each STORE's content is hashed once (XXH3-128)
 * as it is decoded, and the hash kept per slot; a load or the end-of-run
 * read-back hashes what the store returned and compares.  Nothing of the
 * trace needs to be decoded again, so the reader holds no page cache for
 * verification, and the cost is 16 bytes per slot used.
 *
 * By bytes: the id of the page last stored in the slot (8 bytes), fetched
 * again from the trace's reader (swt_page()) and compared byte for byte.
 *
 * The table follows the slots used (replay/slotmap.h): leaves are
 * allocated on their first store, indexes go up to 2^32 - 1.  Not
 * thread-safe for expect_set(); expect_check() may run in other threads
 * once the expect_set() it depends on is ordered before it.
 */
#ifndef SL_EXPECT_H
#define SL_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "format/sl_xxh.h"
#include "format/swt.h"
#include "slotmap.h"

struct expect {
	struct slotmap m;	/* by hash: struct expect_hash; by bytes: u64 */
	bool by_hash;
};

/* a slot's hash; lo == hi == 0: nothing stored there */
struct expect_hash {
	uint64_t lo, hi;
};

/**
 * expect_init() - room for slots 0..@nr_slots-1 (@nr_slots <= 2^32).
 * Return: 0, or -1 when out of memory.
 */
int expect_init(struct expect *x, uint64_t nr_slots, bool by_hash);
void expect_free(struct expect *x);

/*
 * the hash of a 4 KiB page as the table keeps it: XXH3-128, with the one
 * value that means "empty" moved to another (a false match between those
 * two is a 2^-128 chance)
 */
struct expect_hash expect_page_hash(const void *page);

/**
 * expect_set() - @slot now holds page @page_id of content @page.
 * Return: 0, or -1 when out of memory for the slot's leaf.
 */
int expect_set(struct expect *x, uint64_t slot, uint64_t page_id,
	       const void *page);
/* by hash: @slot now holds a page of hash @h (expect_page_hash()) */
int expect_set_hash(struct expect *x, uint64_t slot,
		    const struct expect_hash *h);
/* @slot was freed: nothing to expect there */
void expect_clear(struct expect *x, uint64_t slot);
/* does @slot hold a page? */
bool expect_has(const struct expect *x, uint64_t slot);
/* by hash: the hash @slot should read back as; {0, 0} when empty */
struct expect_hash expect_hash_of(const struct expect *x, uint64_t slot);

/**
 * expect_check() - does @got (4 KiB) match what @slot should hold?
 * By bytes the page is fetched from @r (unused by hash).
 * Return: 1 it matches, 0 it does not (or the slot is empty), -1 the
 * trace could not give the page (swt_reader_error(@r) says why).
 */
int expect_check(const struct expect *x, struct swt_reader *r,
		 uint64_t slot, const void *got);

/* the first slot >= @i that may hold a page (slotmap_next()) */
static inline uint64_t expect_next(const struct expect *x, uint64_t i)
{
	return slotmap_next(&x->m, i);
}

static inline const char *expect_mode_name(const struct expect *x)
{
	return x->by_hash ? "hash" : "bytes";
}

#endif /* SL_EXPECT_H */
