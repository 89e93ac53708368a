/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hashtable.h - the fixed-size hash table of <linux/hashtable.h> that
 * lib/842 uses.  Buckets are hlists with new nodes at the head, as in the
 * kernel, so lookups among equal keys find the same node as there.
 */
#ifndef SL_KC_HASHTABLE_H
#define SL_KC_HASHTABLE_H

#include <linux/kernel.h>

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct hlist_head {
	struct hlist_node *first;
};

#define GOLDEN_RATIO_32		0x61C88647
#define GOLDEN_RATIO_64		0x61C8864680B583EBull

static inline u32 hash_32(u32 val, unsigned int bits)
{
	return (val * GOLDEN_RATIO_32) >> (32 - bits);
}

static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}

#define ilog2(n)		(63 - __builtin_clzll(n))
#define DECLARE_HASHTABLE(name, bits)	struct hlist_head name[1 << (bits)]
#define HASH_SIZE(name)		(ARRAY_SIZE(name))
#define HASH_BITS(name)		ilog2(HASH_SIZE(name))
#define hash_min(val, bits) \
	(sizeof(val) <= 4 ? hash_32((val), (bits)) : hash_64((val), (bits)))

static inline void __hash_init(struct hlist_head *ht, unsigned int sz)
{
	unsigned int i;

	for (i = 0; i < sz; i++)
		ht[i].first = NULL;
}

#define hash_init(ht)		__hash_init((ht), HASH_SIZE(ht))

static inline void INIT_HLIST_NODE(struct hlist_node *n)
{
	n->next = NULL;
	n->pprev = NULL;
}

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (n->next)
		n->next->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

static inline void hash_del(struct hlist_node *n)
{
	if (!n->pprev)
		return;
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	n->next = NULL;
	n->pprev = NULL;
}

#define hash_add(ht, node, key) \
	hlist_add_head((node), &(ht)[hash_min((key), HASH_BITS(ht))])

#define hlist_entry_safe(ptr, type, member) ({			\
	__typeof__(ptr) ____p = (ptr);				\
	____p ? container_of(____p, type, member) : NULL;	\
})

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define hlist_for_each_entry(pos, head, member)				\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))

#define hash_for_each_possible(name, obj, member, key)			\
	hlist_for_each_entry(obj,					\
			     &(name)[hash_min((key), HASH_BITS(name))], member)

#endif /* SL_KC_HASHTABLE_H */
