/*
 * fgroup.h - the folios of `swaplab record --kernel`: which stores of a
 * swaplab device went out together in one multi-page write bio (the
 * module's swaplab:swaplab_bio event), as trace format v2 folios.
 *
 * Swap writes a large folio (mTHP, THP) as one bio to the aligned run of
 * slots it was given.  fgroup_bio() opens a group for a bio; the stores
 * of its slots that follow, in slot order with no other store between
 * them, are one folio: fgroup_store() says so for each store written.
 * A group that another store cuts, a page out of slot order or a dropped
 * page goes on as single pages and is counted broken.
 */
#ifndef SL_FGROUP_H
#define SL_FGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "format/swt.h"

#define FGROUP_MAX	32	/* bios in flight at once: a few per CPU */

struct fgroup {
	uint32_t first, nr, next;	/* slots first..first+nr-1; next due */
	uint8_t order;			/* 0: nr is no power of two */
	bool broken;
};

struct fgroups {
	struct fgroup g[FGROUP_MAX];
	int n;
	bool last_in_grp;		/* the last store was a folio's page */
	uint32_t last_first;		/* ... of the group from this slot */
	/* groups ended: whole folios by order, their pages, broken ones */
	uint64_t folios[SWT_FOLIO_ORDER_MAX + 1], pages, broken;
	uint64_t overflow;		/* bios not tracked: FGROUP_MAX open */
};

/*
 * fgroup_bio() - a write bio of @nr pages from slot @first: a group
 * opens (@nr < 2: nothing).  It replaces an open group whose slots it
 * overlaps (that one's stores were lost).
 */
void fgroup_bio(struct fgroups *f, uint32_t first, uint32_t nr);

/*
 * fgroup_store() - a store to slot @index is written next (@ok: with its
 * page; a dropped page breaks its group).  *@order: its folio's order, 0
 * for a single page; *@cont: it goes on the folio of the store written
 * before it.  Call it for every store, in the order written.
 */
void fgroup_store(struct fgroups *f, uint32_t index, bool ok,
		  unsigned int *order, bool *cont);

#endif /* SL_FGROUP_H */
