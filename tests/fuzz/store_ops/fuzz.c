/*
 * store_ops: sequences of store calls driven by the input over every
 * allocator variant (pool_variants.h) and two kernel codecs, checked
 * against a shadow copy of every slot, with the allocator's ->check()
 * after every call.
 *
 * Header bytes: [0] allocator variant, [1] codec and settings (bit 0:
 * lz4/lzo-rle, bit 1: no_same_filled, bit 2: huge threshold 2048, bits 3-5:
 * mem_limit in pages, 0: none; bit 6: dedup; bit 7: a secondary codec for
 * recompression and an 8-block backing device for writeback).  Then ops
 * of one byte plus arguments:
 *  0 write(slot, kind, seed)  1 read(slot) and compare   2 free(slot)
 *  3 compact                  4 stats agree with the shadow
 *  5 write with the Nth allocation from now failing (N: 1..4)
 *  6 out-of-range index       7 read every slot
 *  8 writeback(select, idle cutoff), the backing failing some writes
 *  9 recompress(select, idle cutoff), maybe with an allocation failing
 * A write that fails (mem_limit, injected fault) must return -ENOMEM,
 * count failed_writes and keep the slot's old content; writeback and
 * recompression may do less, never lose or change a page.
 */
#include "../fuzz_util.h"
#include "../pool_variants.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "core/user/sl_fault.h"

#define SLOTS	16
#define BLOCKS	8

/* the backing device: memory, failing writes while bd_fail is set */
static u8 bd[BLOCKS][PAGE_SIZE];
static int bd_fail;

static int bd_write(void *priv, u64 blk, const void *page)
{
	FUZZ_ASSERT(blk < BLOCKS);
	if (bd_fail)
		return -EIO;
	memcpy(bd[blk], page, PAGE_SIZE);
	return 0;
}

static int bd_read(void *priv, u64 blk, void *page)
{
	FUZZ_ASSERT(blk < BLOCKS);
	memcpy(page, bd[blk], PAGE_SIZE);
	return 0;
}

static const struct sl_backing_ops bd_ops = { bd_write, bd_read };

static u8 shadow[SLOTS][PAGE_SIZE];
static u8 state[SLOTS];		/* 0 empty, 1 same-filled, 2 stored */

/* a page of one of 8 kinds, from 2 bytes of input */
FUZZ_NOCOV static void make_page(u8 *pg, u8 kind, u8 seed)
{
	u64 x = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	switch (kind % 8) {
	case 0:		/* zero */
		memset(pg, 0, PAGE_SIZE);
		break;
	case 1:		/* one word repeated */
		for (i = 0; i < PAGE_SIZE; i += 8)
			memcpy(pg + i, &x, 8);
		break;
	case 2:		/* same-filled but the last word */
		memset(pg, seed, PAGE_SIZE);
		pg[PAGE_SIZE - 1] ^= 1;
		break;
	case 3:		/* text-like: period 20, then doubled */
		for (i = 0; i < 20; i++)
			pg[i] = "the quick brown fox "[(i * (seed | 1)) % 20];
		for (i = 20; i < PAGE_SIZE; i *= 2)
			memcpy(pg + i, pg, min_t(size_t, i, PAGE_SIZE - i));
		break;
	case 4:		/* random: huge; eight bytes a step */
	case 5:
		for (i = 0; i < PAGE_SIZE; i += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(pg + i, &x, 8);
		}
		break;
	case 6:		/* half random: lands near the huge threshold */
		for (i = 0; i < PAGE_SIZE; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			pg[i] = i % (2 + seed % 7) ? (u8)x : 0;
		}
		break;
	default:	/* short runs */
		for (i = 0; i < PAGE_SIZE; i++)
			pg[i] = (i / (1 + seed % 64)) & 0xff;
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 pg[PAGE_SIZE], out[PAGE_SIZE];
	const uint8_t *p = data + 2, *end = data + size;
	long pages0 = sl_compat_live_pages(), objs0 = sl_compat_live_objs();
	struct sl_store_cfg cfg = { 0 };
	struct sl_store_stats st;
	struct sl_store_ctx ctx;
	struct sl_store *s;
	u64 failed = 0, stored, same, now = 0;
	long n;
	unsigned long v;
	unsigned int i;
	int ret;

	if (size < 2)
		return 0;
	cfg.alloc = pool_variant(data[0], &cfg.alloc_opts);
	cfg.codec = sl_codec_find(data[1] & 1 ? "lzo-rle" : "lz4");
	if (!cfg.codec)
		cfg.codec = sl_codec_find("liblz4");
	cfg.codec_params.level = SL_LEVEL_DEFAULT;
	cfg.nr_slots = SLOTS;
	cfg.no_same_filled = data[1] & 2;
	cfg.huge_threshold = data[1] & 4 ? 2048 : 0;
	cfg.mem_limit = (u64)((data[1] >> 3) & 7) << PAGE_SHIFT;
	cfg.dedup = data[1] & 0x40;
	if (data[1] & 0x80) {
		/* lz4hc, zram's usual second codec: a zstd context per run
		 * would cost more than the run */
		cfg.recomp[0] = sl_codec_find("lz4hc");
		if (!cfg.recomp[0])
			cfg.recomp[0] = sl_codec_find("liblz4hc");
		cfg.recomp_params[0].level = SL_LEVEL_DEFAULT;
		cfg.backing = &bd_ops;
		cfg.backing_blocks = BLOCKS;
	}
	bd_fail = 0;
	s = sl_store_create(&cfg);
	FUZZ_ASSERT(!IS_ERR(s));
	FUZZ_ASSERT(sl_store_ctx_create(s, &ctx) == 0);
	memset(state, 0, sizeof(state));

	while (p < end) {
		u8 op = *p++ % 10, a0 = p < end ? p[0] : 0;
		u8 a1 = p + 1 < end ? p[1] : 0, a2 = p + 2 < end ? p[2] : 0;
		unsigned int slot = a0 % SLOTS;

		sl_store_set_now(s, ++now);
		switch (op) {
		case 0:
		case 5:
			p += 3;
			make_page(pg, a1, a2);
			if (op == 5)
				sl_fault_set_nth(1 + a0 / SLOTS % 4);
			ret = sl_store_write(s, &ctx, slot, pg, NULL);
			sl_fault_off();
			if (ret) {
				FUZZ_ASSERT(ret == -ENOMEM);
				FUZZ_ASSERT(op == 5 || cfg.mem_limit);
				failed++;
				break;
			}
			memcpy(shadow[slot], pg, PAGE_SIZE);
			state[slot] = !cfg.no_same_filled &&
				      sl_page_same_filled(pg, &v) ? 1 : 2;
			break;
		case 1:
			p++;
			ret = sl_store_read(s, &ctx, slot, out, NULL);
			FUZZ_ASSERT(ret == !state[slot]);
			if (state[slot])
				FUZZ_ASSERT(!memcmp(out, shadow[slot],
						    PAGE_SIZE));
			else
				FUZZ_ASSERT(sl_page_same_filled(out, &v) &&
					    v == 0);
			break;
		case 2:
			p++;
			FUZZ_ASSERT(sl_store_free(s, slot, NULL) == !state[slot]);
			state[slot] = 0;
			break;
		case 3:
			(void)sl_store_compact(s);
			break;
		case 4:
			sl_store_stats(s, &st);
			for (i = 0, stored = 0, same = 0; i < SLOTS; i++) {
				stored += !!state[i];
				same += state[i] == 1;
			}
			FUZZ_ASSERT(st.pages_stored == stored);
			FUZZ_ASSERT(st.orig_data_size == stored * PAGE_SIZE);
			FUZZ_ASSERT(st.same_pages == same);
			FUZZ_ASSERT(st.failed_writes == failed);
			FUZZ_ASSERT(st.failed_reads == 0);
			FUZZ_ASSERT(st.mem_used_max >= st.mem_used_total);
			FUZZ_ASSERT(st.huge_pages <= stored - same);
			if (cfg.mem_limit)
				FUZZ_ASSERT(st.mem_used_total <= cfg.mem_limit);
			break;
		case 6:
			FUZZ_ASSERT(sl_store_write(s, &ctx, SLOTS + a0, pg,
						   NULL) == -EINVAL);
			FUZZ_ASSERT(sl_store_read(s, &ctx, SLOTS + a0, out,
						  NULL) == -EINVAL);
			FUZZ_ASSERT(sl_store_free(s, SLOTS + a0, NULL) == -EINVAL);
			break;
		case 7:
			for (i = 0; i < SLOTS; i++) {
				ret = sl_store_read(s, &ctx, i, out, NULL);
				FUZZ_ASSERT(ret == !state[i]);
				if (state[i])
					FUZZ_ASSERT(!memcmp(out, shadow[i],
							    PAGE_SIZE));
			}
			break;
		case 8:
			p += 2;
			bd_fail = a1 & 0x80;
			n = sl_store_writeback(s, &ctx, a0 % 8,
					       now - a1 % 16);
			bd_fail = 0;
			if (!cfg.backing)
				FUZZ_ASSERT(n == -ENODEV);
			else
				FUZZ_ASSERT(n >= 0 || n == -ENOSPC ||
					    n == -EIO || n == -ENOMEM ||
					    n == -EINVAL);
			break;
		case 9:
			p += 2;
			if (a1 & 0x80)
				sl_fault_set_nth(1 + a1 % 4);
			n = sl_store_recompress(s, &ctx, a0 % 8,
						now - a1 % 16);
			sl_fault_off();
			if (!cfg.recomp[0])
				FUZZ_ASSERT(n == -EINVAL);
			else
				FUZZ_ASSERT(n >= 0 || n == -ENOMEM ||
					    n == -EINVAL);
			break;
		}
		FUZZ_ASSERT(cfg.alloc->check(sl_store_pool(s)) == 0);
	}
	for (i = 0; i < SLOTS; i++) {
		ret = sl_store_read(s, &ctx, i, out, NULL);
		FUZZ_ASSERT(ret == !state[i]);
		if (state[i])
			FUZZ_ASSERT(!memcmp(out, shadow[i], PAGE_SIZE));
	}
	sl_store_ctx_destroy(s, &ctx);
	sl_store_destroy(s);
	FUZZ_ASSERT(sl_compat_live_pages() == pages0);
	FUZZ_ASSERT(sl_compat_live_objs() == objs0);
	return 0;
}
