/*
 * expect.c - see expect.h.
 */
#include <string.h>

#include "expect.h"

int expect_init(struct expect *x, uint64_t nr_slots, bool by_hash)
{
	x->by_hash = by_hash;
	return slotmap_init(&x->m, nr_slots, by_hash ?
			    sizeof(struct expect_hash) : sizeof(uint64_t), 0);
}

void expect_free(struct expect *x)
{
	slotmap_free(&x->m);
}

struct expect_hash expect_page_hash(const void *page)
{
	XXH128_hash_t h = sl_xxh3_128(page, 4096);
	struct expect_hash e = { h.low64, h.high64 };

	if (!e.lo && !e.hi)
		e.lo = 1;
	return e;
}

int expect_set(struct expect *x, uint64_t slot, uint64_t page_id,
	       const void *page)
{
	void *e = slotmap_get(&x->m, slot);

	if (!e)
		return -1;
	if (x->by_hash)
		*(struct expect_hash *)e = expect_page_hash(page);
	else
		*(uint64_t *)e = page_id + 1;
	return 0;
}

int expect_set_hash(struct expect *x, uint64_t slot,
		    const struct expect_hash *h)
{
	struct expect_hash *e = slotmap_get(&x->m, slot);

	if (!e)
		return -1;
	*e = *h;
	return 0;
}

void expect_clear(struct expect *x, uint64_t slot)
{
	void *e = slotmap_find(&x->m, slot);

	if (e)
		memset(e, 0, x->m.esize);
}

bool expect_has(const struct expect *x, uint64_t slot)
{
	const void *e = slotmap_find(&x->m, slot);

	if (!e)
		return false;
	if (x->by_hash)
		return ((const struct expect_hash *)e)->lo ||
		       ((const struct expect_hash *)e)->hi;
	return *(const uint64_t *)e != 0;
}

struct expect_hash expect_hash_of(const struct expect *x, uint64_t slot)
{
	const struct expect_hash *e = slotmap_find(&x->m, slot);

	return e ? *e : (struct expect_hash){ 0, 0 };
}

int expect_check(const struct expect *x, struct swt_reader *r,
		 uint64_t slot, const void *got)
{
	const void *want;
	struct expect_hash h;
	const uint64_t *id;

	if (!expect_has(x, slot))
		return 0;
	if (x->by_hash) {
		h = expect_page_hash(got);
		return !memcmp(&h, slotmap_find(&x->m, slot), sizeof(h));
	}
	id = slotmap_find(&x->m, slot);
	want = swt_page(r, *id - 1);
	if (!want)
		return -1;
	return !memcmp(want, got, 4096);
}
