/*
 * store_threads.c - threads hammering one store, for ThreadSanitizer
 * (`make tsan-test`).  sl_store.h promises that any number of threads may
 * store, load and free at once, each with its own context, and compaction
 * may run meanwhile; this test holds it to that on every allocator.
 *
 * THREADS workers write, read and free random slots of a small table, so
 * they collide on slots all the time; one more thread compacts and reads
 * statistics.  Pages describe themselves (slot, writer, sequence number,
 * and a body generated from them), so a reader can tell a whole page from
 * a torn or misplaced one without knowing which write won; a few shared
 * contents may sit in any slot, so dedup has pages to share.  Each
 * allocator runs three times: a plain store; one with dedup; and one with
 * recompression and writeback to a memory backing device, the side thread
 * writing back and recompressing idle slots as well (dedup-shared slots
 * are never written back, so not with dedup).  An allocator that compacts
 * then compacts a pool it was made to fragment under reading threads, and
 * must give pages back.  Exit status 0 when every read was whole, every
 * context could be created, compaction and (with features) writeback or
 * recompression moved something, and TSan stayed quiet (TSan itself exits
 * 66).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"

#define THREADS		4
#define SLOTS		48
#define OPS		3000
#define MAGIC		0x5357415054534e31ull	/* "SWAPTSN1" */
#define SHARED		0x5357415054534e32ull	/* any slot may hold it */
#define BLOCKS		4096
#define SAME_TAG	0x51ull

static struct sl_store *store;
static const struct sl_codec_ops *codec;
enum { PLAIN, DEDUP, FEATURES, NR_SETUPS };
static const char *const setup_name[] = { "plain", "dedup", "features" };
static int stop, bad, setup;
static long moved;	/* pages written back or recompressed */
static long compacted;	/* pages compaction gave back */

static u8 (*bd)[PAGE_SIZE];

static int bd_write(void *priv, u64 blk, const void *page)
{
	if (blk >= BLOCKS)
		return -EINVAL;
	memcpy(bd[blk], page, PAGE_SIZE);
	return 0;
}

static int bd_read(void *priv, u64 blk, void *page)
{
	if (blk >= BLOCKS)
		return -EINVAL;
	memcpy(page, bd[blk], PAGE_SIZE);
	return 0;
}

static const struct sl_backing_ops bd_ops = { bd_write, bd_read };

static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* the body of the page (slot, writer, seq): one of four kinds */
static void body(u8 *pg, u32 slot, u32 writer, u32 seq)
{
	u64 s = ((u64)slot << 40 | (u64)writer << 32 | seq) * 2654435761u + 1;
	size_t i;

	switch (seq % 4) {
	case 0:		/* compressible text */
		for (i = 16; i < PAGE_SIZE; i++)
			pg[i] = "swap me, slot "[(i + slot + seq) % 14];
		break;
	case 1:		/* incompressible: kept huge */
		for (i = 16; i < PAGE_SIZE; i++)
			pg[i] = rnd(&s);
		break;
	case 3:		/* 1.5 KiB of noise, then text: a mid-size object */
		for (i = 16; i < PAGE_SIZE; i++)
			pg[i] = i < 1536 ? (u8)rnd(&s) :
				"swap me, slot "[(i + slot) % 14];
		break;
	default:	/* half zero, half noise */
		for (i = 16; i < PAGE_SIZE; i++)
			pg[i] = i & 1 ? 0 : (u8)rnd(&s);
		break;
	}
}

static void make_page(u8 *pg, u32 slot, u32 writer, u32 seq)
{
	u64 h[2] = { MAGIC, (u64)slot << 48 | (u64)writer << 32 | seq };
	size_t i;

	if (seq % 8 == 5) {	/* one of four contents shared by all */
		h[0] = SHARED;
		h[1] = seq / 8 % 4;
		memcpy(pg, h, 16);
		body(pg, 0xffff, 0, h[1] * 4);
		return;
	}
	if (seq % 8 == 3) {	/* same-filled: the value names the slot */
		u64 v = SAME_TAG << 56 | (u64)slot << 8 | writer;

		for (i = 0; i < PAGE_SIZE; i += 8)
			memcpy(pg + i, &v, 8);
		return;
	}
	memcpy(pg, h, 16);
	body(pg, slot, writer, seq);
}

/* Return: 1 if @pg is a whole page written to @slot, or empty */
static int whole(const u8 *pg, u32 slot)
{
	static __thread u8 want[PAGE_SIZE];
	unsigned long v;
	u64 h[2];

	if (sl_page_same_filled(pg, &v))
		return v == 0 || (v >> 56 == SAME_TAG &&
				  ((v >> 8) & 0xffff) == slot);
	memcpy(h, pg, 16);
	memcpy(want, pg, 16);
	if (h[0] == SHARED && h[1] < 4)
		body(want, 0xffff, 0, h[1] * 4);
	else if (h[0] == MAGIC && h[1] >> 48 == slot)
		body(want, slot, (h[1] >> 32) & 0xffff, (u32)h[1]);
	else
		return 0;
	return !memcmp(want + 16, pg + 16, PAGE_SIZE - 16);
}

static void *worker(void *arg)
{
	u32 me = (u32)(unsigned long)arg, seq = 0;
	u64 s = 0x9e3779b97f4a7c15ull * (me + 1);
	struct sl_store_ctx ctx;
	static __thread u8 pg[PAGE_SIZE];
	int i, ret;

	if (sl_store_ctx_create(store, &ctx)) {
		__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	for (i = 0; i < OPS; i++) {
		u64 r = rnd(&s);
		u32 slot = (r >> 8) % SLOTS;

		switch (r % 8) {
		case 0: case 1: case 2: case 3:
			make_page(pg, slot, me, seq++);
			ret = sl_store_write(store, &ctx, slot, pg, NULL);
			break;
		case 4: case 5: case 6:
			ret = sl_store_read(store, &ctx, slot, pg, NULL);
			if (ret < 0 || !whole(pg, slot)) {
				fprintf(stderr, "thread %u: slot %u read %d, %s\n",
					me, slot, ret, ret < 0 ? "error" :
					"torn or misplaced page");
				ret = -1;
			} else {
				ret = 0;
			}
			break;
		default:
			ret = sl_store_free(store, slot, NULL) < 0 ? -1 : 0;
			break;
		}
		if (ret)
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
	}
	sl_store_ctx_destroy(store, &ctx);
	return NULL;
}

static void *compactor(void *arg)
{
	struct sl_store_stats st;
	struct sl_store_ctx ctx;
	long wb, rc;
	u64 t = 0;

	if (setup == FEATURES && sl_store_ctx_create(store, &ctx)) {
		__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		compacted += sl_store_compact(store);
		sl_store_stats(store, &st);
		if (setup != FEATURES)
			continue;
		sl_store_set_now(store, ++t);
		wb = sl_store_writeback(store, &ctx, SL_SEL_IDLE, t - 1);
		rc = sl_store_recompress(store, &ctx, SL_SEL_IDLE, t - 1);
		/* a full backing device is no error */
		if ((wb < 0 && wb != -ENOSPC) || rc < 0)
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		moved += (wb > 0 ? wb : 0) + (rc > 0 ? rc : 0);
	}
	if (setup == FEATURES)
		sl_store_ctx_destroy(store, &ctx);
	return NULL;
}

/* reads every slot, checking each page, until told to stop */
static void *reader(void *arg)
{
	struct sl_store_ctx ctx;
	static __thread u8 pg[PAGE_SIZE];
	u32 slot;

	if (sl_store_ctx_create(store, &ctx)) {
		__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
		for (slot = 0; slot < SLOTS; slot++)
			if (sl_store_read(store, &ctx, slot, pg, NULL) < 0 ||
			    !whole(pg, slot)) {
				fprintf(stderr, "reader: slot %u torn while compacting\n",
					slot);
				__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
			}
	sl_store_ctx_destroy(store, &ctx);
	return NULL;
}

/*
 * Compaction that has something to move, while readers read: every slot
 * gets a mid-size page, two in three are freed, and the pool is
 * compacted under THREADS readers.  The racing phase above rarely leaves
 * an allocator anything to compact, so this is where its moves are
 * checked: it must give back pages.
 * Return: pages given back, or -1 when the phase could not run
 */
static long compact_phase(void)
{
	struct sl_store_ctx ctx;
	static u8 pg[PAGE_SIZE];
	pthread_t th[THREADS];
	long freed = 0;
	u32 slot;
	int i, k;

	if (sl_store_ctx_create(store, &ctx))
		return -1;
	for (slot = 0; slot < SLOTS; slot++) {
		/* seq 7 mod 8: a mid-size object, a few to a zspage */
		make_page(pg, slot, THREADS, 8 * slot + 7);
		if (sl_store_write(store, &ctx, slot, pg, NULL))
			bad++;
	}
	for (slot = 0; slot < SLOTS; slot++)
		if (slot % 3)
			sl_store_free(store, slot, NULL);
	sl_store_ctx_destroy(store, &ctx);
	stop = 0;
	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, reader, NULL);
	for (k = 0; k < 100; k++)
		freed += sl_store_compact(store);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	return freed;
}

static int one(const struct sl_alloc_ops *a)
{
	struct sl_store_cfg cfg = { 0 };
	pthread_t th[THREADS], comp;
	struct sl_store_ctx ctx;
	static u8 pg[PAGE_SIZE];
	unsigned long i;
	int before = bad;

	cfg.codec = codec;
	cfg.codec_params.level = SL_LEVEL_DEFAULT;
	cfg.alloc = a;
	cfg.nr_slots = SLOTS;
	cfg.dedup = setup == DEDUP;
	if (setup == FEATURES) {
		cfg.recomp[0] = &sl_codec_libzstd;
		cfg.recomp_params[0].level = SL_LEVEL_DEFAULT;
		cfg.backing = &bd_ops;
		cfg.backing_blocks = BLOCKS;
	}
	store = sl_store_create(&cfg);
	if (IS_ERR(store)) {
		fprintf(stderr, "%s: cannot create a store\n", a->name);
		return 1;
	}
	stop = 0;
	moved = 0;
	compacted = 0;
	pthread_create(&comp, NULL, compactor, NULL);
	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(comp, NULL);

	/* quiet again: the rest goes to the backing device or is
	 * recompressed, then every slot must still be whole */
	if (setup == FEATURES && sl_store_ctx_create(store, &ctx)) {
		fprintf(stderr, "%s: cannot create a context\n", a->name);
		bad++;
	} else if (setup == FEATURES) {
		long wb, rc;

		sl_store_set_now(store, UINT64_MAX / 2);
		rc = sl_store_recompress(store, &ctx, SL_SEL_IDLE,
					 UINT64_MAX / 2);
		wb = sl_store_writeback(store, &ctx, SL_SEL_IDLE,
					UINT64_MAX / 2);
		if (rc < 0 || (wb < 0 && wb != -ENOSPC))
			bad++;
		moved += (wb > 0 ? wb : 0) + (rc > 0 ? rc : 0);
		sl_store_ctx_destroy(store, &ctx);
	}
	if (a->compact && setup == PLAIN) {
		long freed = compact_phase();

		printf("tsan: %-10s compaction under readers gave back %ld pages\n",
		       a->name, freed);
		if (freed <= 0) {
			fprintf(stderr, "%s: compaction %s\n", a->name,
				freed < 0 ? "phase: cannot create a context" :
				"moved nothing: its path went untested");
			bad++;
		}
	}
	/* every slot whole, the pool consistent */
	if (a->check(sl_store_pool(store))) {
		fprintf(stderr, "%s: allocator check failed\n", a->name);
		bad++;
	}
	if (sl_store_ctx_create(store, &ctx)) {
		fprintf(stderr, "%s: cannot create a context\n", a->name);
		bad++;
	} else {
		for (i = 0; i < SLOTS; i++)
			if (sl_store_read(store, &ctx, i, pg, NULL) < 0 ||
			    !whole(pg, i)) {
				fprintf(stderr, "%s: slot %lu not whole\n",
					a->name, i);
				bad++;
			}
		sl_store_ctx_destroy(store, &ctx);
	}
	sl_store_destroy(store);
	if (sl_compat_live_pages() || sl_compat_live_objs()) {
		fprintf(stderr, "%s: leak: %ld pages, %ld objects\n", a->name,
			sl_compat_live_pages(), sl_compat_live_objs());
		bad++;
	}
	printf("tsan: %-10s %-8s %d threads x %d ops + compaction%s: %s\n",
	       a->name, setup_name[setup], THREADS, OPS,
	       setup == FEATURES ? ", writeback, recompression" : "",
	       bad == before ? "ok" : "FAILED");
	if (setup == FEATURES) {
		printf("tsan: %ld pages written back or recompressed\n", moved);
		if (moved <= 0) {
			fprintf(stderr, "%s: nothing written back or recompressed\n",
				a->name);
			bad++;
		}
	}
	printf("tsan: compaction gave back %ld pages\n", compacted);
	return bad != before;
}

int main(void)
{
	const struct sl_alloc_ops *const *a;
	int failed = 0, n = 0;

	/* a library codec: the kernel ones need the kernel tree */
	codec = &sl_codec_liblz4;
	bd = calloc(BLOCKS, PAGE_SIZE);
	if (!bd)
		return 2;
	for (a = sl_allocators; *a; a++)
		for (setup = 0; setup < NR_SETUPS; setup++, n++)
			failed += one(*a);
	free(bd);
	printf("tsan: %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
