/*
 * alloc_ops: sequences of allocator calls driven by the input, on every
 * allocator of sl_allocators[] (the first byte picks allocator and
 * options), with ->check() after every call.
 *
 * Each live object is filled (through map() or write()) with a pattern of
 * its own; map() or read() must give it back intact after any sequence of
 * mallocs, frees and compactions (an allocator that hands out overlapping
 * room, or moves an object without its bytes, fails here).  stats() must agree with what is live, sizes
 * out of range must be refused, an injected allocation failure must give
 * -ENOMEM and leave the pool consistent, and after destroy() every page
 * and object must be back (sl_compat_live_*).
 *
 * Ops, one byte each plus arguments:
 *  0 malloc(size: 2 bytes)   1 free(obj)   2 verify(obj): map or read
 *  3 compact, verify all     4 stats       5 class_stats walk
 *  6 out-of-range sizes      7 malloc with the next allocation failing
 */
#include "../fuzz_util.h"
#include "../pool_variants.h"
#include "core/user/sl_fault.h"

#define MAX_OBJS	1024

struct obj {
	unsigned long handle;
	u32 size;
	u32 seed;
};

FUZZ_NOCOV static void fill(u8 *p, u32 size, u32 seed)
{
	u32 i;

	for (i = 0; i < size; i++)
		p[i] = (u8)(seed + i * 7 + (i >> 8));
}

FUZZ_NOCOV static int same(const u8 *p, u32 size, u32 seed)
{
	u32 i;

	for (i = 0; i < size; i++)
		if (p[i] != (u8)(seed + i * 7 + (i >> 8)))
			return 0;
	return 1;
}

struct run {
	const struct sl_alloc_ops *a;
	void *pool;
	struct obj objs[MAX_OBJS];
	unsigned int n;
	u64 bytes;
	u32 seed;
};

/* through read() for odd seeds where the allocator has it, else map() */
static void verify(struct run *r, unsigned int i)
{
	static u8 buf[PAGE_SIZE + 1];
	u8 *p;

	if (r->a->read && (r->objs[i].seed & 1)) {
		buf[r->objs[i].size] = 0xa5;
		r->a->read(r->pool, r->objs[i].handle, buf);
		FUZZ_ASSERT(same(buf, r->objs[i].size, r->objs[i].seed));
		FUZZ_ASSERT(buf[r->objs[i].size] == 0xa5);
		return;
	}
	p = r->a->map(r->pool, r->objs[i].handle, SL_MAP_RO);
	FUZZ_ASSERT(p);
	FUZZ_ASSERT(same(p, r->objs[i].size, r->objs[i].seed));
	r->a->unmap(r->pool, r->objs[i].handle);
}

static void do_malloc(struct run *r, u32 size, int fail)
{
	unsigned long h = 0;
	int ret;
	u8 *p;

	if (r->n == MAX_OBJS)
		return;
	if (fail)
		sl_fault_set_nth(1);
	ret = r->a->malloc(r->pool, size, &h);
	sl_fault_off();
	if (ret) {
		/* the only way to fail with a size in range is no memory */
		FUZZ_ASSERT(ret == -ENOMEM);
		FUZZ_ASSERT(fail);
		return;
	}
	FUZZ_ASSERT(h != 0);
	/* written through write() for even seeds where there is one */
	if (r->a->write && !(++r->seed & 1)) {
		static u8 buf[PAGE_SIZE];

		fill(buf, size, r->seed);
		r->a->write(r->pool, h, buf);
	} else {
		p = r->a->map(r->pool, h, SL_MAP_WO);
		FUZZ_ASSERT(p);
		fill(p, size, r->seed);
		r->a->unmap(r->pool, h);
	}
	r->objs[r->n].handle = h;
	r->objs[r->n].size = size;
	r->objs[r->n].seed = r->seed;
	r->n++;
	r->bytes += size;
}

static void do_free(struct run *r, unsigned int i)
{
	verify(r, i);
	r->a->free(r->pool, r->objs[i].handle);
	r->bytes -= r->objs[i].size;
	r->objs[i] = r->objs[--r->n];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run r;
	struct sl_alloc_stats st;
	const uint8_t *p = data, *end = data + size;
	long pages0 = sl_compat_live_pages(), objs0 = sl_compat_live_objs();
	const char *opts;
	u64 max;
	unsigned int i;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof(r));
	r.a = pool_variant(*p++, &opts);
	FUZZ_ASSERT(r.a->create(opts, &r.pool) == 0);
	r.a->stats(r.pool, &st);
	max = st.max_size;
	FUZZ_ASSERT(max >= 1 && max <= PAGE_SIZE);
	while (p < end) {
		u8 op = *p++ % 8;
		u32 arg = 0;

		if (p + 2 <= end) {
			arg = p[0] | p[1] << 8;
			if (op == 0 || op == 7)
				p += 2;
		}
		switch (op) {
		case 0:
		case 7:
			/* small sizes are the common case: fold the top bit */
			if (arg & 0x8000)
				arg = (arg & 0x7fff) % 256;
			do_malloc(&r, arg % max + 1, op == 7);
			break;
		case 1:
			if (r.n && p < end)
				do_free(&r, *p++ % r.n);
			break;
		case 2:
			if (r.n && p < end)
				verify(&r, *p++ % r.n);
			break;
		case 3:
			if (r.a->compact)
				(void)r.a->compact(r.pool);
			for (i = 0; i < r.n; i++)
				verify(&r, i);
			break;
		case 4:
			r.a->stats(r.pool, &st);
			FUZZ_ASSERT(st.objs == r.n);
			FUZZ_ASSERT(st.obj_bytes == r.bytes);
			FUZZ_ASSERT(st.pages == r.a->total_pages(r.pool));
			FUZZ_ASSERT(st.max_size == max);
			break;
		case 5:
			if (r.a->class_stats) {
				struct sl_alloc_class_stats cs;
				u64 used = 0;
				unsigned int k;

				for (k = 0; !r.a->class_stats(r.pool, k, &cs);
				     k++) {
					FUZZ_ASSERT(cs.obj_used <=
						    cs.obj_allocated);
					used += cs.obj_used;
				}
				FUZZ_ASSERT(k > 0);
				(void)used;
			}
			break;
		case 6: {
			unsigned long h = 0;

			FUZZ_ASSERT(r.a->malloc(r.pool, 0, &h) == -EINVAL);
			FUZZ_ASSERT(r.a->malloc(r.pool, max + 1, &h) ==
				    -EINVAL);
			break;
		}
		}
		FUZZ_ASSERT(r.a->check(r.pool) == 0);
	}
	while (r.n)
		do_free(&r, 0);
	FUZZ_ASSERT(r.a->check(r.pool) == 0);
	r.a->stats(r.pool, &st);
	FUZZ_ASSERT(st.objs == 0 && st.obj_bytes == 0);
	r.a->destroy(r.pool);
	FUZZ_ASSERT(sl_compat_live_pages() == pages0);
	FUZZ_ASSERT(sl_compat_live_objs() == objs0);
	return 0;
}
