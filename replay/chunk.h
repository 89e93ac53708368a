/*
 * chunk.h - `replay --chunk`: a what-if store that compresses several
 * pages of contiguous slots as one object, as the large-folio proposals
 * for zram would (docs/large-folios.md has the rules and their sources).
 *
 * The grouping rule: a unit is an aligned group of N slots (slot / N).
 * STOREs of slots b, b+1, ..., b+N-1 (b a multiple of N), one after the
 * other with no STORE of another slot between them, form one unit and
 * are compressed together once the last one arrives.  Anything else is
 * stored page by page, exactly as zram stores it: a STORE that breaks the
 * run, or a LOAD or FREE of a slot of the unit being gathered, first
 * stores the pages gathered so far one by one.  --chunk folio groups by
 * the folio the trace recorded instead (format v2): a folio of 2^order
 * pages is a unit if its pages are stored as above.
 *
 * Inside a unit each page is checked for a same fill on its own; such
 * pages keep their value in the slot and the other pages are compressed
 * as one buffer with the kernel's codec (its lib/ code, called with the
 * larger input, as the proposals call it).  A unit that compresses to
 * pages x huge threshold or more is kept raw.  An object of L bytes
 * takes L / PAGE_SIZE whole pages plus a tail of L % PAGE_SIZE bytes in
 * the allocator: the simple model of zsmalloc's multi-page objects.
 *
 * A LOAD decompresses the whole object (read amplification: pages
 * decompressed per page read).  A FREE drops its page from the object;
 * the object's memory goes back only when its last page is freed, or,
 * with --chunk-split, the object's other pages are compressed again as
 * a smaller object at once.
 *
 * Not thread-safe; one store per run.
 */
#ifndef SL_CHUNK_H
#define SL_CHUNK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sl_alloc.h"
#include "core/user/kcodec/kcodec.h"
#include "engine.h"
#include "format/swt.h"

#define CHUNK_MAX_PAGES	16	/* 64 KiB of 4 KiB pages */
#define CHUNK_FOLIO	0	/* --chunk folio: units from the trace */

/*
 * chunk_parse() - "4k", "16k", "32k", "64k" -> pages (1, 4, 8, 16);
 * "folio" -> CHUNK_FOLIO.  Return: 0, or -1 for anything else.
 */
int chunk_parse(const char *s, unsigned int *pages);
/* the --chunk spelling of @pages ("16k", "folio") */
const char *chunk_name(unsigned int pages);

struct chunk_cfg {
	unsigned int pages;		/* 1..CHUNK_MAX_PAGES, a power of 2 */
	bool pages_fixed;		/* false: units from the trace's folios */
	const struct sl_kc_ops *kc;	/* the kernel codec's own entry */
	int level;			/* for kc->create() */
	const struct sl_alloc_ops *alloc;
	const char *alloc_opts;
	uint32_t huge_threshold;	/* per page; 0: the allocator's */
	bool same_filled;
	bool split;			/* --chunk-split */
	uint64_t nr_slots;
};

struct chunk_stats {
	uint64_t orig_data_size, compr_data_size, mem_used_total;
	uint64_t mem_used_max;		/* highest, inside an op too */
	uint64_t pages_stored, same_pages, huge_pages;
	uint64_t head_pages;		/* whole pages of multi-page objects */
	uint64_t objects, chunk_objects;	/* live; of > 1 page */
	uint64_t pages_in_chunks;	/* live pages in objects of > 1 page */
	uint64_t stranded_pages;	/* freed, but their object is not */
};

/* what one read did */
struct chunk_read_info {
	unsigned int pages_decompressed;	/* 0: same-filled or empty */
	uint64_t codec_ns;
	bool huge;
};

struct chunk_store;

/**
 * chunk_codec() - the kernel codec entry for a codec spec ("zstd@6.1",
 * "lz4:2"); library codecs have no large-input entry of the kernel's.
 * Return: 0 with *@kc and *@level set; -1 with @err filled.
 */
int chunk_codec(const char *spec, const struct sl_kc_ops **kc, int *level,
		char *err, size_t errlen);

/* Return: the store, or NULL with @err filled */
struct chunk_store *chunk_store_create(const struct chunk_cfg *cfg,
				       char *err, size_t errlen);
void chunk_store_destroy(struct chunk_store *cs);

/**
 * chunk_store_write() - a STORE of @page at slot @index.  @unit_pages and
 * @unit_first name the unit the page belongs to when the caller knows it
 * (--chunk folio): @unit_pages pages from slot @unit_first; 0 means the
 * aligned group of cfg->pages.
 * Return: 0; -ENOMEM; -EINVAL for a codec failure or a bad slot.
 */
int chunk_store_write(struct chunk_store *cs, uint32_t index,
		      const void *page, unsigned int unit_pages,
		      uint32_t unit_first);
/**
 * chunk_store_read() - the page of slot @index into @page.
 * Return: 0; 1 for an empty slot; -EINVAL when the object does not
 * decompress to its pages.  @ri may be NULL.
 */
int chunk_store_read(struct chunk_store *cs, uint32_t index, void *page,
		     struct chunk_read_info *ri);
/* chunk_store_free() - the slot is empty; no-op if it was */
void chunk_store_free(struct chunk_store *cs, uint32_t index);
/* chunk_store_flush() - store what is being gathered, page by page */
int chunk_store_flush(struct chunk_store *cs);
void chunk_store_stats(struct chunk_store *cs, struct chunk_stats *st);
/* --chunk-split: recompressions, their time (decompress + compress) and
 * the pages compressed again
 */
void chunk_store_split_stats(struct chunk_store *cs, uint64_t *splits,
			     uint64_t *ns, uint64_t *pages);
/* tests: flip a byte of the object holding @index; false if none does */
bool chunk_store_corrupt(struct chunk_store *cs, uint32_t index);
/* compress calls, their summed time, input pages and stored bytes */
void chunk_store_codec_stats(struct chunk_store *cs, uint64_t *calls,
			     uint64_t *ns, uint64_t *pages, uint64_t *bytes);

/**
 * sl_replay_chunk() - sl_replay_run() for cfg->chunk: every load and,
 * at the end, every live slot verified against the trace.
 * Return: 0 with *@run set; -1 with @err filled.
 */
int sl_replay_chunk(const struct replay_cfg *cfg, struct swt_reader *r,
		    json_t **run, char *err, size_t errlen);

#endif /* SL_CHUNK_H */
