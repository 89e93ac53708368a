/*
 * chunk.c - see chunk.h.
 *
 * The store keeps, per slot, what the slot holds (nothing, a fill value,
 * a page of an object, a page being gathered) and, per object, its
 * compressed bytes: the whole pages in memory of our own, the tail in
 * the allocator under test, so that the pool's page count is the
 * allocator's own and the head pages are added to it.
 *
 * The slots are a slotmap (slotmap.h), as the page-by-page replay's: a
 * leaf of slots is allocated when one of them is first written, so memory
 * follows the slots used, not the highest index.  A slot in no leaf is
 * empty; every slot that holds or gathers a page is in one (SLOT()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/util.h"
#include "core/sl_codec.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "chunk.h"
#include "backend.h"
#include "run_acct.h"
#include "slotmap.h"

#include "kc_config.h"


enum { S_EMPTY, S_SAME, S_OBJ, S_PENDING };

struct cobj {
	uint32_t len;		/* compressed bytes (pages x 4096 if huge) */
	uint8_t npages;		/* pages compressed in it */
	uint8_t live;		/* of those, not freed or overwritten */
	bool huge;
	uint16_t live_mask;	/* by place in the object */
	uint32_t slot[CHUNK_MAX_PAGES];	/* the slot of each place */
	uint8_t *head;		/* len / PAGE_SIZE whole pages, or NULL */
	unsigned long tail;	/* allocator handle, 0: no tail */
};

struct cslot {
	struct cobj *obj;	/* S_OBJ */
	unsigned long value;	/* S_SAME */
	uint8_t state;
	uint8_t pos;		/* S_OBJ: the page's place in the object */
};

struct chunk_store {
	struct chunk_cfg cfg;
	void *pool, *ctx;
	uint32_t huge_thr;
	struct slotmap slots;	/* struct cslot; zero: S_EMPTY */
	/* the unit being gathered: pages from slot first, next expected */
	uint32_t pend_first;
	unsigned int pend_n, pend_want;
	uint8_t *pend;		/* pend_want pages */
	uint8_t *src, *dst, *out;	/* CHUNK_MAX_PAGES pages each (dst 2x) */
	struct chunk_stats st;
	uint64_t c_calls, c_ns, c_pages, c_bytes;
	uint64_t mem_max;	/* pages, as zram's mem_used_max */
	/* --chunk-split: what recompressing the rest of objects cost */
	uint8_t *split;		/* CHUNK_MAX_PAGES pages */
	bool splitting;
	uint64_t splits, split_ns, split_pages;
};

static const struct {
	const char *name;
	unsigned int pages;
} chunk_sizes[] = {
	{ "4k", 1 }, { "16k", 4 }, { "32k", 8 }, { "64k", 16 },
	{ "folio", CHUNK_FOLIO },
};

int chunk_parse(const char *s, unsigned int *pages)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(chunk_sizes); i++) {
		if (!strcmp(s, chunk_sizes[i].name)) {
			*pages = chunk_sizes[i].pages;
			return 0;
		}
	}
	return -1;
}

const char *chunk_name(unsigned int pages)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(chunk_sizes); i++)
		if (chunk_sizes[i].pages == pages)
			return chunk_sizes[i].name;
	return "?";
}

int chunk_codec(const char *spec, const struct sl_kc_ops **kc, int *level,
		char *err, size_t errlen)
{
	const struct sl_kc_ops *k;
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	char msg[256];
	bool dict;

	if (sl_codec_parse(spec, &ops, &p, msg, sizeof(msg))) {
		snprintf(err, errlen, "%s", msg);
		return -1;
	}
	dict = p.dict_len > 0;
	sl_codec_params_free(&p);
	if (!ops->kernel) {
		snprintf(err, errlen, "--chunk needs a kernel codec (lzo, lzo-rle, lz4, lz4hc, zstd, deflate, 842), not '%s'",
			 spec);
		return -1;
	}
	if (dict) {
		snprintf(err, errlen, "--chunk: codec '%s': a chunk with a dictionary is not modelled",
			 spec);
		return -1;
	}
	k = sl_kcodec_of(ops);
	if (!k) {
		snprintf(err, errlen, "codec '%s': no kernel entry for --chunk",
			 spec);
		return -1;
	}
	*kc = k;
	*level = k->default_level;
	if (p.level != SL_LEVEL_DEFAULT && k->min_level != k->max_level)
		*level = p.level;
	return 0;
}

struct chunk_store *chunk_store_create(const struct chunk_cfg *cfg,
				       char *err, size_t errlen)
{
	struct chunk_store *cs = calloc(1, sizeof(*cs));
	size_t big = (size_t)CHUNK_MAX_PAGES * PAGE_SIZE;
	size_t huge;

	if (!cs)
		goto nomem;
	cs->cfg = *cfg;
	if (!cfg->pages || cfg->pages > CHUNK_MAX_PAGES ||
	    (cfg->pages & (cfg->pages - 1))) {
		snprintf(err, errlen, "chunk of %u pages: 1, 2, 4, 8 or 16",
			 cfg->pages);
		free(cs);
		return NULL;
	}
	if (slotmap_init(&cs->slots, cfg->nr_slots ? cfg->nr_slots : 1,
			 sizeof(struct cslot), 0))
		goto nomem;
	cs->pend = malloc(big);
	cs->src = malloc(big);
	cs->out = malloc(big);
	cs->dst = malloc(2 * big);
	cs->split = malloc(big);
	if (!cs->pend || !cs->src || !cs->out || !cs->dst ||
	    !cs->split)
		goto nomem;
	if (cfg->alloc->create(cfg->alloc_opts, &cs->pool)) {
		cs->pool = NULL;
		snprintf(err, errlen, "allocator '%s': cannot create the pool",
			 cfg->alloc->name);
		chunk_store_destroy(cs);
		return NULL;
	}
	if (cfg->kc->create(cfg->level, NULL, 0, &cs->ctx)) {
		cs->ctx = NULL;
		snprintf(err, errlen, "codec '%s': cannot create a context",
			 cfg->kc->name);
		chunk_store_destroy(cs);
		return NULL;
	}
	/* zram's rule per page, scaled by the pages of the object */
	huge = cfg->alloc->huge_size(cs->pool);
	cs->huge_thr = cfg->huge_threshold ? cfg->huge_threshold :
		       (uint32_t)min_t(size_t, huge, PAGE_SIZE);
	return cs;
nomem:
	snprintf(err, errlen, "out of memory for the chunk store");
	chunk_store_destroy(cs);
	return NULL;
}

static void obj_release(struct chunk_store *cs, struct cobj *o)
{
	cs->st.compr_data_size -= o->len;
	cs->st.head_pages -= o->len / PAGE_SIZE;
	cs->st.objects--;
	if (o->npages > 1)
		cs->st.chunk_objects--;
	if (o->huge)
		cs->st.huge_pages -= o->npages;
	if (o->tail)
		cs->cfg.alloc->free(cs->pool, o->tail);
	free(o->head);
	free(o);
}

static void split_obj(struct chunk_store *cs, struct cobj *o);

/* a slot that holds or gathers a page: its leaf exists */
#define SLOT(cs, i)	((struct cslot *)slotmap_find(&(cs)->slots, (i)))

/* the slot loses its page (FREE, or a STORE over it) */
static void slot_drop(struct chunk_store *cs, struct cslot *s)
{
	struct cobj *o = s->obj, *split = NULL;

	switch (s->state) {
	case S_SAME:
		cs->st.same_pages--;
		break;
	case S_OBJ:
		if (o->npages > 1)
			cs->st.pages_in_chunks--;
		o->live_mask &= ~(1u << s->pos);
		if (--o->live) {
			cs->st.stranded_pages++;
			if (cs->cfg.split)
				split = o;
		} else {
			cs->st.stranded_pages -= o->npages - 1;
			obj_release(cs, o);
		}
		break;
	default:
		return;
	}
	cs->st.pages_stored--;
	s->state = S_EMPTY;
	s->obj = NULL;
	if (split)
		split_obj(cs, split);
}

static void tail_write(struct chunk_store *cs, unsigned long h,
		       const void *src, size_t len)
{
	const struct sl_alloc_ops *a = cs->cfg.alloc;
	void *p;

	if (a->write) {
		a->write(cs->pool, h, src);
		return;
	}
	p = a->map(cs->pool, h, SL_MAP_WO);
	memcpy(p, src, len);
	a->unmap(cs->pool, h);
}

static void tail_read(struct chunk_store *cs, unsigned long h, void *dst,
		      size_t len)
{
	const struct sl_alloc_ops *a = cs->cfg.alloc;
	void *p;

	if (a->read) {
		a->read(cs->pool, h, dst);
		return;
	}
	p = a->map(cs->pool, h, SL_MAP_RO);
	memcpy(dst, p, len);
	a->unmap(cs->pool, h);
}

/*
 * Store @n pages of @pages (slots @slot[0..n-1]) as one object, same-
 * filled pages apart.  Return: 0, -ENOMEM or -EINVAL.
 */
static int store_unit(struct chunk_store *cs, const uint8_t *pages,
		      const uint32_t *slot, unsigned int n)
{
	unsigned int i, m = 0;
	uint8_t pos[CHUNK_MAX_PAGES];
	unsigned long value;
	const uint8_t *body;
	struct cobj *o;
	size_t len, tail;
	uint64_t t0;
	int ret;

	for (i = 0; i < n; i++) {
		struct cslot *s = SLOT(cs, slot[i]);
		const uint8_t *pg = pages + (size_t)i * PAGE_SIZE;

		if (cs->cfg.same_filled && sl_page_same_filled(pg, &value)) {
			s->state = S_SAME;
			s->value = value;
			cs->st.same_pages++;
			cs->st.pages_stored++;
			continue;
		}
		memcpy(cs->src + (size_t)m * PAGE_SIZE, pg, PAGE_SIZE);
		pos[i] = m++;
	}
	if (!m)
		return 0;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->npages = m;
	t0 = sl_now_ns();
	ret = cs->cfg.kc->compress(cs->ctx, cs->src, (size_t)m * PAGE_SIZE,
				   cs->dst, (size_t)2 * m * PAGE_SIZE, &len);
	/* a split's recompression is its own cost, not a page stored */
	if (!cs->splitting) {
		cs->c_ns += sl_now_ns() - t0;
		cs->c_calls++;
		cs->c_pages += m;
	}
	if (ret && ret != -ENOSPC) {
		free(o);
		return -EINVAL;
	}
	body = cs->dst;
	if (ret == -ENOSPC || len >= (size_t)m * cs->huge_thr) {
		o->huge = true;
		len = (size_t)m * PAGE_SIZE;
		body = cs->src;
	}
	o->len = len;
	if (!cs->splitting)
		cs->c_bytes += len;
	tail = len % PAGE_SIZE;
	if (len >= PAGE_SIZE) {
		o->head = malloc(len - tail);
		if (!o->head) {
			free(o);
			return -ENOMEM;
		}
		memcpy(o->head, body, len - tail);
	}
	if (tail) {
		ret = cs->cfg.alloc->malloc(cs->pool, tail, &o->tail);
		if (ret) {
			free(o->head);
			free(o);
			return ret;
		}
		tail_write(cs, o->tail, body + len - tail, tail);
	}
	cs->st.compr_data_size += len;
	cs->st.head_pages += len / PAGE_SIZE;
	/* zram's order: the new object exists before the old one goes */
	cs->mem_max = max_t(uint64_t, cs->mem_max,
			    cs->cfg.alloc->total_pages(cs->pool) +
			    cs->st.head_pages);
	cs->st.objects++;
	if (m > 1) {
		cs->st.chunk_objects++;
		cs->st.pages_in_chunks += m;
	}
	if (o->huge)
		cs->st.huge_pages += m;
	cs->st.pages_stored += m;
	for (i = 0; i < n; i++) {
		struct cslot *s = SLOT(cs, slot[i]);

		if (s->state == S_SAME)
			continue;
		s->state = S_OBJ;
		s->obj = o;
		s->pos = pos[i];
		o->slot[pos[i]] = slot[i];
		o->live_mask |= 1u << pos[i];
		o->live++;
	}
	return 0;
}

int chunk_store_flush(struct chunk_store *cs)
{
	unsigned int i, n = cs->pend_n;
	uint32_t slot;
	int ret;

	cs->pend_n = 0;
	for (i = 0; i < n; i++) {
		slot = cs->pend_first + i;
		SLOT(cs, slot)->state = S_EMPTY;
		ret = store_unit(cs, cs->pend + (size_t)i * PAGE_SIZE, &slot,
				 1);
		if (ret)
			return ret;
	}
	return 0;
}

static bool in_pending(const struct chunk_store *cs, uint32_t index)
{
	return cs->pend_n && index >= cs->pend_first &&
	       index < cs->pend_first + cs->pend_want;
}

int chunk_store_write(struct chunk_store *cs, uint32_t index,
		      const void *page, unsigned int unit_pages,
		      uint32_t unit_first)
{
	uint32_t slot[CHUNK_MAX_PAGES];
	struct cslot *s;
	unsigned int i;
	int ret;

	if (index >= cs->cfg.nr_slots)
		return -EINVAL;
	s = slotmap_get(&cs->slots, index);
	if (!s)
		return -ENOMEM;
	if (!unit_pages) {
		unit_pages = cs->cfg.pages;
		unit_first = index - index % unit_pages;
	}
	if (unit_pages > CHUNK_MAX_PAGES ||
	    (uint64_t)unit_first + unit_pages > cs->cfg.nr_slots)
		unit_pages = 1;
	/* the next page of the unit being gathered? */
	if (cs->pend_n && index == cs->pend_first + cs->pend_n &&
	    unit_first == cs->pend_first && unit_pages == cs->pend_want) {
		slot_drop(cs, s);
	} else {
		ret = chunk_store_flush(cs);
		if (ret)
			return ret;
		if (unit_pages == 1 || index != unit_first) {
			struct cslot was = *s;

			/* as zram: store the new page, then free the old */
			s->state = S_EMPTY;
			slot[0] = index;
			ret = store_unit(cs, page, slot, 1);
			slot_drop(cs, &was);
			return ret;
		}
		slot_drop(cs, s);
		cs->pend_first = index;
		cs->pend_want = unit_pages;
	}
	memcpy(cs->pend + (size_t)cs->pend_n * PAGE_SIZE, page, PAGE_SIZE);
	s->state = S_PENDING;
	if (++cs->pend_n < cs->pend_want)
		return 0;
	for (i = 0; i < cs->pend_n; i++) {
		slot[i] = cs->pend_first + i;
		SLOT(cs, slot[i])->state = S_EMPTY;
	}
	cs->pend_n = 0;
	return store_unit(cs, cs->pend, slot, cs->pend_want);
}

/* the object's pages into cs->out; Return: 0 or -EINVAL */
static int obj_unpack(struct chunk_store *cs, struct cobj *o, uint64_t *ns)
{
	size_t tail = o->len % PAGE_SIZE;
	uint64_t t0;
	int ret;

	*ns = 0;
	if (o->head)
		memcpy(cs->src, o->head, o->len - tail);
	if (o->tail)
		tail_read(cs, o->tail, cs->src + o->len - tail, tail);
	if (o->huge) {
		memcpy(cs->out, cs->src, o->len);
		return 0;
	}
	t0 = sl_now_ns();
	ret = cs->cfg.kc->decompress(cs->ctx, cs->src, o->len, cs->out,
				     (size_t)o->npages * PAGE_SIZE);
	*ns = sl_now_ns() - t0;
	return ret ? -EINVAL : 0;
}

/*
 * --chunk-split: the object lost a page; its live pages are compressed
 * again as a smaller object (one page: zram's own object) so that the
 * freed page's share goes back now.  Left as it is when that fails.
 */
static void split_obj(struct chunk_store *cs, struct cobj *o)
{
	uint32_t slot[CHUNK_MAX_PAGES];
	unsigned int i, k = 0;
	uint64_t t0 = sl_now_ns(), ns;

	if (obj_unpack(cs, o, &ns))
		return;
	for (i = 0; i < o->npages; i++) {
		if (!(o->live_mask & 1u << i))
			continue;
		memcpy(cs->split + (size_t)k * PAGE_SIZE,
		       cs->out + (size_t)i * PAGE_SIZE, PAGE_SIZE);
		slot[k] = o->slot[i];
		SLOT(cs, slot[k])->state = S_EMPTY;
		SLOT(cs, slot[k])->obj = NULL;
		k++;
	}
	cs->st.pages_stored -= k;
	if (o->npages > 1)
		cs->st.pages_in_chunks -= k;
	cs->st.stranded_pages -= o->npages - k;
	obj_release(cs, o);
	cs->splitting = true;
	store_unit(cs, cs->split, slot, k);
	cs->splitting = false;
	cs->splits++;
	cs->split_pages += k;
	cs->split_ns += sl_now_ns() - t0;
}

int chunk_store_read(struct chunk_store *cs, uint32_t index, void *page,
		     struct chunk_read_info *ri)
{
	struct chunk_read_info dummy;
	struct cslot *s;
	struct cobj *o;
	int ret;

	if (!ri)
		ri = &dummy;
	memset(ri, 0, sizeof(*ri));
	if (index >= cs->cfg.nr_slots)
		return -EINVAL;
	if (in_pending(cs, index)) {
		ret = chunk_store_flush(cs);
		if (ret)
			return ret;
	}
	s = SLOT(cs, index);
	if (!s || s->state == S_EMPTY)
		return 1;
	if (s->state == S_SAME) {
		unsigned long *p = page;
		size_t i;

		for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
			p[i] = s->value;
		return 0;
	}
	o = s->obj;
	ri->pages_decompressed = o->npages;
	ri->huge = o->huge;
	ret = obj_unpack(cs, o, &ri->codec_ns);
	if (ret)
		return ret;
	memcpy(page, cs->out + (size_t)s->pos * PAGE_SIZE, PAGE_SIZE);
	return 0;
}

void chunk_store_free(struct chunk_store *cs, uint32_t index)
{
	if (index >= cs->cfg.nr_slots)
		return;
	if (in_pending(cs, index))
		chunk_store_flush(cs);
	if (SLOT(cs, index))
		slot_drop(cs, SLOT(cs, index));
}

bool chunk_store_corrupt(struct chunk_store *cs, uint32_t index)
{
	struct cslot *s = index < cs->cfg.nr_slots ? SLOT(cs, index) : NULL;
	struct cobj *o = s && s->state == S_OBJ ? s->obj : NULL;
	uint8_t *p;

	if (!o)
		return false;
	if (o->head) {
		o->head[o->len / 3 % PAGE_SIZE] ^= 0x5a;
		return true;
	}
	p = cs->cfg.alloc->map(cs->pool, o->tail, SL_MAP_RW);
	p[o->len / 3] ^= 0x5a;
	cs->cfg.alloc->unmap(cs->pool, o->tail);
	return true;
}

void chunk_store_stats(struct chunk_store *cs, struct chunk_stats *st)
{
	*st = cs->st;
	st->orig_data_size = st->pages_stored * PAGE_SIZE;
	st->mem_used_total = ((uint64_t)cs->cfg.alloc->total_pages(cs->pool) +
			      st->head_pages) * PAGE_SIZE;
	st->mem_used_max = cs->mem_max * PAGE_SIZE;
}

void chunk_store_split_stats(struct chunk_store *cs, uint64_t *splits,
			     uint64_t *ns, uint64_t *pages)
{
	*splits = cs->splits;
	*ns = cs->split_ns;
	*pages = cs->split_pages;
}

void chunk_store_codec_stats(struct chunk_store *cs, uint64_t *calls,
			     uint64_t *ns, uint64_t *pages, uint64_t *bytes)
{
	*calls = cs->c_calls;
	*ns = cs->c_ns;
	*pages = cs->c_pages;
	*bytes = cs->c_bytes;
}

void chunk_store_destroy(struct chunk_store *cs)
{
	struct cslot *s;
	uint64_t i;

	if (!cs)
		return;
	cs->cfg.split = false;	/* nothing to keep */
	for (i = cs->slots.leaves ? slotmap_next(&cs->slots, 0) : UINT64_MAX;
	     i < cs->cfg.nr_slots; i = slotmap_next(&cs->slots, i + 1)) {
		s = SLOT(cs, i);
		if (s->state == S_OBJ)
			slot_drop(cs, s);
	}
	if (cs->pool)
		cs->cfg.alloc->destroy(cs->pool);
	if (cs->ctx && cs->cfg.kc->destroy)
		cs->cfg.kc->destroy(cs->ctx);
	slotmap_free(&cs->slots);
	free(cs->pend);
	free(cs->src);
	free(cs->out);
	free(cs->dst);
	free(cs->split);
	free(cs);
}

/* ---- the replay ---- */

struct chunk_run {
	struct chunk_store *cs;
	struct slotmap expected;	/* page id + 1; 0: nothing stored */
	uint8_t *page;
	struct chunk_stats peak;
	uint64_t peak_op, peak_ts, ops, end_ts;
	uint64_t stores, loads, frees, loads_empty, verify_failures;
	uint64_t loads_obj, loads_dec, pages_dec, dec_ns, final_checked;
	json_t *timeline;	/* every cfg->timeline_every ops, and the last */
};

/*
 * A point of the timeline: engine.c's fields (nothing is compacted or
 * written back here: 0), and the pages in multi-page objects and the
 * freed pages they still hold.
 */
static int chunk_point(struct chunk_run *cr, const struct chunk_stats *st,
		       double t_s)
{
	json_t *p = json_pack("{s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "op", (json_int_t)cr->ops,
			      "t_s", t_s,
			      "orig_data_size", (json_int_t)st->orig_data_size,
			      "compr_data_size", (json_int_t)st->compr_data_size,
			      "mem_used_total", (json_int_t)st->mem_used_total,
			      "pages_compacted", (json_int_t)0,
			      "bd_count", (json_int_t)0,
			      "pages_in_chunks", (json_int_t)st->pages_in_chunks,
			      "stranded_pages", (json_int_t)st->stranded_pages);

	return p ? json_array_append_new(cr->timeline, p) : -1;
}

/* the chunk store's state as the page store's, for the one writer */
static struct sl_store_stats store_stats_of(const struct chunk_stats *st)
{
	return (struct sl_store_stats) {
		.pages_stored = st->pages_stored,
		.orig_data_size = st->orig_data_size,
		.compr_data_size = st->compr_data_size,
		.mem_used_total = st->mem_used_total,
		.mem_used_max = st->mem_used_max,
		.same_pages = st->same_pages,
		.huge_pages = st->huge_pages,
	};
}

/* the page store's moment, and what only a chunked run has */
static json_t *chunk_moment(const struct chunk_stats *st, uint64_t op,
			    uint64_t ops, double t_s)
{
	struct sl_store_stats z = store_stats_of(st);
	double compr = st->compr_data_size;
	json_t *m = moment_json(&z, op, ops, t_s);

	if (!m)
		return NULL;
	json_object_set_new(m, "pages_in_chunks",
			    json_integer((json_int_t)st->pages_in_chunks));
	json_object_set_new(m, "stranded_pages",
			    json_integer((json_int_t)st->stranded_pages));
	json_object_set_new(m, "head_pages",
			    json_integer((json_int_t)st->head_pages));
	/* the objects' pages, freed ones too, per compressed byte */
	json_object_set_new(m, "ratio_objects", json_real(compr ?
			    (st->orig_data_size - st->same_pages * PAGE_SIZE +
			     st->stranded_pages * PAGE_SIZE) / compr : 0.0));
	return m;
}

static json_t *chunk_make_run(const struct replay_cfg *cfg,
			      const struct swt_header *hdr,
			      struct chunk_run *cr, unsigned int pages)
{
	uint64_t splits, split_ns, split_pages;
	char unit[32];
	struct chunk_stats st;
	struct sl_store_stats end;
	struct run_result rr = { .zram_offers_codec = -1 };
	uint64_t calls, cns, cpages, cbytes;
	double t0 = hdr->start_ns;
	json_t *extra, *chunk;

	chunk_store_stats(cr->cs, &st);
	chunk_store_codec_stats(cr->cs, &calls, &cns, &cpages, &cbytes);
	chunk_store_split_stats(cr->cs, &splits, &split_ns, &split_pages);
	snprintf(unit, sizeof(unit), "%s%s", cfg->chunk,
		 cfg->chunk_split ? "+split" : "");
	end = store_stats_of(&st);
	chunk = json_pack(
		"{s:s, s:i, s:s, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:I, s:I, s:f}",
		"unit", unit,
		"pages", (int)pages,
		"codec_entry", cr->cs->cfg.kc->name,
		"loads_decompressed", (json_int_t)cr->loads_dec,
		"pages_decompressed", (json_int_t)cr->pages_dec,
		"compress_calls", (json_int_t)calls,
		/* pages decompressed per page read from an object */
		"read_amplification", cr->loads_obj ?
		(double)cr->pages_dec / cr->loads_obj : 0.0,
		"decompress_ns_per_page_read", cr->loads_dec ?
		(double)cr->dec_ns / cr->loads_dec : 0.0,
		"decompress_ns_per_page", cr->pages_dec ?
		(double)cr->dec_ns / cr->pages_dec : 0.0,
		"compress_ns_per_page", cpages ? (double)cns / cpages : 0.0,
		/* --chunk-split: objects compressed again after a free */
		"splits", (json_int_t)splits,
		"split_pages", (json_int_t)split_pages,
		"split_ns_per_free", cr->frees ?
		(double)split_ns / cr->frees : 0.0);
	extra = json_pack("{s:I, s:o*}",
			  "timeline_every", (json_int_t)cfg->timeline_every,
			  "chunk", chunk);

	rr.frontend = "zram-chunk";
	rr.verify = "bytes";
	rr.settings = json_pack("{s:s, s:b, s:i, s:b, s:I, s:I}",
		"chunk", cfg->chunk,
		"chunk_split", cfg->chunk_split,
		"chunk_pages", (int)pages,
		"same_filled", cfg->same_filled,
		"huge_threshold", (json_int_t)cr->cs->huge_thr,
		"nr_slots", (json_int_t)cfg->nr_slots);
	rr.end = &end;
	rr.counters = RC_STATE;
	/* every page compressed over the run: the codec's gain alone */
	rr.ratio_cumulative = cbytes ? (double)cpages * PAGE_SIZE / cbytes : 0;
	rr.at_peak = chunk_moment(&cr->peak, cr->peak_op, cr->ops,
				  cr->peak_ts > t0 ?
				  (cr->peak_ts - t0) / 1e9 : 0);
	rr.at_end = chunk_moment(&st, cr->ops, cr->ops, cr->end_ts > t0 ?
				 (cr->end_ts - t0) / 1e9 : 0);
	rr.verify_failures = cr->verify_failures;
	rr.ops = json_pack("{s:I, s:I, s:I, s:I, s:I}",
		"stores", (json_int_t)cr->stores,
		"loads", (json_int_t)cr->loads,
		"frees", (json_int_t)cr->frees,
		"loads_of_empty_slots", (json_int_t)cr->loads_empty,
		"verified_at_end", (json_int_t)cr->final_checked);
	rr.timeline = cr->timeline;
	rr.extra = extra;
	return run_result_json(cfg, hdr, &rr);
}

/*
 * --chunk folio: the unit of a STORE from the folio the trace recorded.
 * A folio of more than CHUNK_MAX_PAGES pages is cut into units of that
 * many, as the RFC cuts a 128 KiB folio into two 64 KiB multi-pages; a
 * page outside its folio's slot range is stored alone.
 * Return: pages of the unit (1: alone), *@first its first slot.
 */
static unsigned int folio_unit(const struct swt_event *ev,
			       uint64_t *fol_first, uint32_t *first)
{
	uint64_t n, u, off;

	if (!ev->folio_order) {
		*fol_first = UINT64_MAX;
		return 1;
	}
	if (!ev->folio_cont)
		*fol_first = ev->index;
	n = 1ull << ev->folio_order;
	u = min_t(uint64_t, n, CHUNK_MAX_PAGES);
	if (*fol_first == UINT64_MAX || ev->index < *fol_first ||
	    ev->index - *fol_first >= n)
		return 1;
	off = ev->index - *fol_first;
	*first = *fol_first + off / u * u;
	return u;
}

/* seconds into the trace of the trace time @ts */
static double trace_s(struct swt_reader *r, uint64_t ts)
{
	uint64_t t0 = swt_reader_header(r)->start_ns;

	return ts > t0 ? (ts - t0) / 1e9 : 0;
}

static int chunk_events(const struct replay_cfg *cfg, struct swt_reader *r,
			struct chunk_run *cr, char *err, size_t errlen)
{
	bool folio = !cr->cs->cfg.pages_fixed;
	uint64_t fol_first = UINT64_MAX;
	struct chunk_read_info ri;
	struct chunk_stats st;
	struct swt_event ev;
	uint64_t seen = 0, *e;
	unsigned int unit;
	uint32_t first;
	int64_t corrupt = -1;
	const void *want;
	int ret;

	while ((ret = swt_next(r, &ev)) == 1) {
		cr->ops++;
		switch (ev.op) {
		case SWT_STORE:
			cr->stores++;
			unit = 0;
			first = 0;
			if (folio)
				unit = folio_unit(&ev, &fol_first, &first);
			ret = chunk_store_write(cr->cs, ev.index, ev.page, unit,
						first);
			if (ret) {
				snprintf(err, errlen, "store of slot %u failed: %s",
					 ev.index, strerror(-ret));
				return -1;
			}
			e = slotmap_get(&cr->expected, ev.index);
			if (!e) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			*e = ev.page_id + 1;
			if (cfg->corrupt_after &&
			    cr->stores == cfg->corrupt_after)
				corrupt = ev.index;
			break;
		case SWT_LOAD:
			cr->loads++;
			ret = chunk_store_read(cr->cs, ev.index, cr->page, &ri);
			e = slotmap_find(&cr->expected, ev.index);
			want = NULL;
			if (e && *e) {
				want = swt_page(r, *e - 1);
				if (!want) {
					snprintf(err, errlen, "%s",
						 swt_reader_error(r));
					return -1;
				}
			}
			if (ri.pages_decompressed) {
				cr->loads_obj++;
				cr->pages_dec += ri.pages_decompressed;
			}
			if (ri.pages_decompressed && !ri.huge) {
				cr->loads_dec++;
				cr->dec_ns += ri.codec_ns;
			}
			if (!want)
				cr->loads_empty += ret == 1;
			if (want ? ret || memcmp(want, cr->page, PAGE_SIZE) :
			    ret != 1)
				cr->verify_failures++;
			break;
		case SWT_FREE:
			cr->frees++;
			chunk_store_free(cr->cs, ev.index);
			e = slotmap_find(&cr->expected, ev.index);
			if (e)
				*e = 0;
			break;
		case SWT_MARK:
			break;
		}
		/* once the page is in an object (gathered pages are not) */
		if (corrupt >= 0 && chunk_store_corrupt(cr->cs, corrupt))
			corrupt = -1;
		chunk_store_stats(cr->cs, &st);
		/* as engine.c: the state after the op that raised the max */
		if (st.mem_used_max > seen) {
			seen = st.mem_used_max;
			cr->peak = st;
			cr->peak_op = cr->ops;
			cr->peak_ts = ev.ts_ns;
		}
		cr->end_ts = max_t(uint64_t, cr->end_ts, ev.ts_ns);
		if (cr->ops % cfg->timeline_every == 0 &&
		    chunk_point(cr, &st, trace_s(r, ev.ts_ns))) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		return -1;
	}
	/* the last op, as engine.c: gathered pages are not in yet */
	if (cr->ops % cfg->timeline_every) {
		chunk_store_stats(cr->cs, &st);
		if (chunk_point(cr, &st, trace_s(r, cr->end_ts))) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return chunk_store_flush(cr->cs) ? snprintf(err, errlen,
		"out of memory"), -1 : 0;
}

static int chunk_read_back(void *priv, uint64_t slot, void *page)
{
	struct chunk_run *cr = priv;

	return chunk_store_read(cr->cs, slot, page, NULL) ? -1 : 0;
}

static int chunk_verify(const struct replay_cfg *cfg, struct swt_reader *r,
			struct chunk_run *cr, char *err, size_t errlen)
{
	return verify_live(cfg, r, &cr->expected, chunk_read_back, cr,
			   cr->page, &cr->final_checked, &cr->verify_failures,
			   err, errlen);
}

int sl_replay_chunk(const struct replay_cfg *cfg, struct swt_reader *r,
		    json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct chunk_cfg cc = { 0 };
	struct chunk_run cr = { 0 };
	int ret = -1;

	if (cfg->beside_store) {
		snprintf(err, errlen, "bench does not take --chunk: run replay --chunk, then report --view chunk");
		return -1;
	}
	if (chunk_parse(cfg->chunk, &cc.pages)) {
		snprintf(err, errlen, "--chunk wants 4k, 16k, 32k, 64k or folio, not '%s'",
			 cfg->chunk);
		return -1;
	}
	if (cc.pages == CHUNK_FOLIO) {
		if (!(hdr->flags & SWT_F_HAS_FOLIO)) {
			snprintf(err, errlen, "--chunk folio: the trace has no folio data (format v1, or recorded without folios); use --chunk 16k, 32k or 64k");
			return -1;
		}
		cc.pages = CHUNK_MAX_PAGES;
	} else {
		cc.pages_fixed = true;
	}
	if (chunk_codec(cfg->codec_spec, &cc.kc, &cc.level, err, errlen))
		return -1;
	cc.alloc = sl_alloc_find(cfg->alloc_spec, &cc.alloc_opts);
	if (!cc.alloc) {
		snprintf(err, errlen, "unknown allocator '%s'", cfg->alloc_spec);
		return -1;
	}
	cc.huge_threshold = cfg->huge_threshold;
	cc.same_filled = cfg->same_filled;
	cc.split = cfg->chunk_split;
	cc.nr_slots = cfg->nr_slots;
	cr.cs = chunk_store_create(&cc, err, errlen);
	if (!cr.cs)
		return -1;
	cr.page = malloc(PAGE_SIZE);
	cr.timeline = json_array();
	if (!cr.page || !cr.timeline || slotmap_init(&cr.expected, cfg->nr_slots,
				     sizeof(uint64_t), 0)) {
		snprintf(err, errlen, "out of memory for %llu slots",
			 (unsigned long long)cfg->nr_slots);
		goto out;
	}
	swt_reader_rewind(r);
	if (chunk_events(cfg, r, &cr, err, errlen) ||
	    chunk_verify(cfg, r, &cr, err, errlen))
		goto out;
	*run = chunk_make_run(cfg, hdr, &cr, cc.pages_fixed ? cc.pages : 0);
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	chunk_store_destroy(cr.cs);
	slotmap_free(&cr.expected);
	json_decref(cr.timeline);
	free(cr.page);
	return ret;
}

static bool chunk_claims(const struct replay_cfg *cfg)
{
	return cfg->chunk;
}

const struct replay_backend sl_backend_chunk = {
	.name = "chunk",
	.claims = chunk_claims,
	.run = sl_replay_chunk,
};
