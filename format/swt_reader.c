/*
 * swt_reader.c - stream a .swt trace in bounded memory.
 *
 * The reader keeps one decoded events chunk, a small index of where each
 * page chunk lies (40 bytes per 64 pages) and an LRU cache of decoded page
 * chunks bounded by a byte budget.  A page referenced long after it was
 * written is fetched again with pread(), so memory does not grow with the
 * trace.  Every length, count, checksum and reference is checked before
 * it is used; CHECK() turns a failed check into one message and -1.
 *
 * A STORE of a page defined long before (the trace stores each content
 * once: zero pages, duplicates) would decode that page's old chunk again.
 * After a pass that recorded when each page is stored for the last time
 * (swt_reader_plan_reuse()), the reader keeps a copy of each page that a
 * later STORE will ask for again, until that STORE: memory then follows
 * the pages awaiting reuse, not the trace, and each chunk is decoded once.
 * The copies are LZ4-compressed (a zero page takes a few bytes, a page
 * of text a third) and decompressed when asked for.  Past SWT_KEPT_MEM of
 * them, a copy goes to an unlinked file in $TMPDIR (else /var/tmp) and is
 * read back with pread(): a realistic trace of 1,000,000 stores holds
 * 35,000 pages awaiting reuse at once, 50 MiB that the process would
 * otherwise keep, while the kernel can write the file's pages out.  A
 * copy the file cannot take is not kept: its chunk is decoded again.
 */
#define _GNU_SOURCE	/* O_TMPFILE, mkostemp() */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lz4.h>
#include <zstd.h>

#include "sl_xxh.h"
#include "swt_internal.h"

struct page_chunk {
	uint64_t off_first;	/* id of its first page */
	uint64_t off;		/* payload offset in the file */
	uint32_t clen;
	uint32_t count;
	uint64_t xxh;
	uint32_t cached;	/* its cache entry; NOT_CACHED: none */
};

#define NOT_CACHED	UINT32_MAX

/* a page kept for a later STORE of it */
struct kept {
	uint64_t id;
	struct kept *next;	/* in its hash bucket */
	uint32_t len;		/* LZ4 block of the page */
	uint32_t spilled;	/* 1: data[] holds its u64 offset in the file */
	uint8_t data[];
};

struct cache_ent {
	uint64_t chunk;		/* index into chunks[]; UINT64_MAX: empty */
	uint64_t used;		/* LRU clock */
	uint8_t *data;
};

struct swt_reader {
	int fd;
	uint64_t size, pos;	/* file size, offset of the next chunk */
	uint64_t events_off;	/* offset of the first chunk */
	struct swt_header hdr;
	struct page_chunk *chunks;
	size_t nchunks, chunks_cap;
	size_t chunks_seen;	/* most ever indexed: rewind keeps them */
	uint64_t pages;		/* pages defined so far */
	struct cache_ent *cache;
	size_t ncache;
	uint64_t clock;
	uint8_t *ev, *evp, *evend;	/* decoded events chunk */
	size_t evcap;
	uint32_t ev_left;
	uint64_t chunk_no;
	uint64_t last_ts, last_page_id;
	struct swt_totals seen, end;
	bool done;
	bool skip_contents;
	uint8_t *zbuf;
	size_t zcap;
	ZSTD_DCtx *dctx;
	/* by page id: the ordinal (from 1) of the last STORE of it */
	uint32_t *last_use;
	size_t last_cap;
	bool plan_recording, plan_valid;
	struct kept **kb;	/* buckets, a power of two */
	/*
	 * by page id, a bit: a copy is kept.  A STORE asks for a copy of
	 * its page whether there is one or not, and most are not: the bit
	 * (in cache) spares them the hash chain's two cache misses (three
	 * quarters of swt_next()'s time at 1,000,000 stores)
	 */
	uint64_t *kept_bit;
	size_t nkb, nkept, kept_peak;
	size_t kept_bytes;	/* LZ4 bytes of the copies in memory */
	size_t kept_mem;	/* at most: SWT_KEPT_MEM or SWAPLAB_KEPT_MEM */
	int spill_fd;		/* -1: none yet */
	bool spill_failed;	/* no spill file: copies past the cap dropped */
	uint64_t spill_end, nspilled, spilled_total;
	uint64_t spill_live;	/* bytes of the file still to be read */
	uint64_t spill_compactions;
	uint64_t compact_at;	/* a failed compaction: not before this end */
	struct kept *kfree;	/* handed out by the last call: free next */
	uint8_t *kbuf;		/* page_size: a kept page decompressed */
	uint8_t *kzbuf;		/* LZ4_compressBound(page_size) */
	char err[320];
};

#define CHECK(r, cond, ...) \
	do { if (!(cond)) return set_err((r), __VA_ARGS__); } while (0)

/* the process-wide memory guard: see swt_memory_limit() */
static struct {
	uint64_t limit;		/* bytes of RSS; 0: none */
	const char *(*explain)(void *arg);
	void *arg;
} mem;

void swt_memory_limit(uint64_t bytes)
{
	mem.limit = bytes;
}

void swt_memory_explain(const char *(*explain)(void *arg), void *arg)
{
	mem.explain = explain;
	mem.arg = arg;
}

static uint64_t rss_bytes(void)
{
	unsigned long long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (uint64_t)sysconf(_SC_PAGESIZE);
}

static const char *mib(char *buf, size_t len, uint64_t b)
{
	snprintf(buf, len, "%.1f MiB", b / 1048576.0);
	return buf;
}

/*
 * past the limit: the error names the memory in use and, from the
 * command's explain callback, what holds it
 * Return: 0, or -1 with the error set
 */
static int mem_check(struct swt_reader *r)
{
	char a[32], b[32], c[32];
	uint64_t rss;
	size_t i, n = 0;

	if (!mem.limit)
		return 0;
	rss = rss_bytes();
	if (rss <= mem.limit)
		return 0;
	for (i = 0; i < r->ncache; i++)
		n += r->cache[i].data != NULL;
	snprintf(r->err, sizeof(r->err),
		 "%s in use at event %llu, past --max-memory %s: %s; the trace's decoded pages hold %s",
		 mib(a, sizeof(a), rss), (unsigned long long)r->seen.events,
		 mib(b, sizeof(b), mem.limit),
		 mem.explain ? mem.explain(mem.arg) :
		 "the work on the trace",
		 mib(c, sizeof(c), (uint64_t)n * SWT_PAGES_PER_CHUNK *
		     r->hdr.page_size));
	return -1;
}

static int set_err(struct swt_reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "chunk %llu at offset %llu: %s",
		 (unsigned long long)r->chunk_no, (unsigned long long)r->pos,
		 msg);
	return -1;
}

static int read_at(struct swt_reader *r, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(r->fd, (uint8_t *)buf + done, len - done,
				  off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return set_err(r, "read error: %s", strerror(errno));
		if (n == 0)
			return set_err(r, "truncated: file ends %llu bytes early",
				       (unsigned long long)(len - done));
		done += n;
	}
	return 0;
}

static int get_str(struct swt_reader *r, const uint8_t **p,
		   const uint8_t *end, char *key, size_t ksz, char *val)
{
	size_t kl, vl;

	CHECK(r, end - *p >= 2, "header string truncated");
	kl = get_le16(*p);
	CHECK(r, kl < ksz && end - *p >= (ptrdiff_t)(4 + kl),
	      "header string key too long");
	memcpy(key, *p + 2, kl);
	key[kl] = 0;
	vl = get_le16(*p + 2 + kl);
	CHECK(r, vl < SWT_STR_MAX && end - *p >= (ptrdiff_t)(4 + kl + vl),
	      "header string '%s' too long", key);
	memcpy(val, *p + 4 + kl, vl);
	val[vl] = 0;
	*p += 4 + kl + vl;
	return 0;
}

static int read_header(struct swt_reader *r)
{
	uint8_t fixed[SWT_FIXED_HDR], *buf;
	const uint8_t *p, *end;
	char key[64], val[SWT_STR_MAX];
	unsigned int i, nstr, len;
	int ret = -1;

	if (read_at(r, 0, fixed, sizeof(fixed)))
		return set_err(r, "not a swaplab trace: too short");
	CHECK(r, !memcmp(fixed, SWT_MAGIC, 8),
	      "not a swaplab trace (bad magic)");
	r->hdr.version = get_le16(fixed + 8);
	CHECK(r, r->hdr.version >= SWT_VERSION_MIN &&
	      r->hdr.version <= SWT_VERSION,
	      "unsupported trace version %u (this swaplab reads %u to %u)",
	      r->hdr.version, SWT_VERSION_MIN, SWT_VERSION);
	len = get_le16(fixed + 10);
	CHECK(r, len >= SWT_FIXED_HDR + 8, "header length %u too small", len);
	r->hdr.page_size = get_le32(fixed + 12);
	CHECK(r, r->hdr.page_size >= 512 && r->hdr.page_size <= 65536 &&
	      !(r->hdr.page_size & (r->hdr.page_size - 1)),
	      "bad page size %u", r->hdr.page_size);
	r->hdr.flags = get_le32(fixed + 16);
	CHECK(r, !(r->hdr.flags & ~SWT_F_KNOWN), "unknown flags 0x%x",
	      r->hdr.flags);
	/* v1 traces have no folios: they replay as single pages */
	CHECK(r, r->hdr.version >= 2 || !(r->hdr.flags & SWT_F_HAS_FOLIO),
	      "version 1 trace with the folio flag (a version 2 flag)");
	r->hdr.clock = get_le32(fixed + 20);
	r->hdr.start_ns = get_le64(fixed + 24);
	nstr = get_le16(fixed + 32);
	buf = malloc(len);
	if (!buf)
		return set_err(r, "out of memory");
	if (read_at(r, 0, buf, len))
		goto out;
	if (get_le64(buf + len - 8) != XXH3_64bits(buf, len - 8)) {
		set_err(r, "header checksum mismatch");
		goto out;
	}
	p = buf + SWT_FIXED_HDR;
	end = buf + len - 8;
	for (i = 0; i < nstr; i++) {
		if (get_str(r, &p, end, key, sizeof(key), val))
			goto out;
		if (!strcmp(key, "source"))
			strcpy(r->hdr.source, val);
		else if (!strcmp(key, "host"))
			strcpy(r->hdr.host, val);
		else if (!strcmp(key, "kernel"))
			strcpy(r->hdr.kernel, val);
		else if (!strcmp(key, "description"))
			strcpy(r->hdr.description, val);
		/* unknown keys: newer writers may add some; skip */
	}
	r->events_off = len;
	r->pos = len;
	ret = 0;
out:
	free(buf);
	return ret;
}

/*
 * an eighth of RAM, 32 MiB to 1 GiB: a replay verifies each load against
 * the page last stored in that slot, and a chunk that has left the cache
 * is decoded again for it (256 KiB of zstd output that also flushes the
 * CPU caches the timed calls run in).  Buffers are allocated on first
 * use, so a small trace costs no more than it needs.
 */
static size_t default_cache_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t b = pages > 0 && psz > 0 ? (uint64_t)pages * psz / 8 : 0;

	if (b < SWT_CACHE_MIN)
		b = SWT_CACHE_MIN;
	if (b > SWT_CACHE_MAX)
		b = SWT_CACHE_MAX;
	return b;
}

struct swt_reader *swt_reader_open(const char *path, size_t cache_bytes,
				   char *err, size_t errlen)
{
	struct swt_reader *r = calloc(1, sizeof(*r));
	unsigned long long v;
	const char *env;
	struct stat st;
	char *end;
	size_t i;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->spill_fd = -1;
	r->kept_mem = SWT_KEPT_MEM;
	env = getenv("SWAPLAB_KEPT_MEM");
	if (env) {
		errno = 0;
		v = strtoull(env, &end, 10);
		/* a cap of up to 1 TiB: 64 of them still fit 64 bits */
		if (errno || end == env || *end || *env < '0' ||
		    *env > '9' || v > (1ull << 40)) {
			snprintf(err, errlen,
				 "SWAPLAB_KEPT_MEM='%s' is not a count of bytes up to 2^40",
				 env);
			free(r);
			return NULL;
		}
		r->kept_mem = v;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
			 strerror(errno));
		free(r);
		return NULL;
	}
	if (fstat(r->fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		goto err;
	}
	r->size = st.st_size;
	if (read_header(r)) {
		snprintf(err, errlen, "%s: %s", path, r->err);
		goto err;
	}
	if (!cache_bytes)
		cache_bytes = default_cache_bytes();
	/* under a memory guard, the cache takes no more than a quarter */
	if (mem.limit && cache_bytes > mem.limit / 4)
		cache_bytes = mem.limit / 4;
	/*
	 * a small file does not get to hold a big cache: chunks that decode
	 * to thousands of times their size (a decompression bomb) stay
	 * bounded, and an honest trace (2 to 5 times) never reaches it
	 */
	if (cache_bytes > SWT_CACHE_FLOOR &&
	    cache_bytes / SWT_CACHE_PER_BYTE > (uint64_t)r->size)
		cache_bytes = (uint64_t)r->size * SWT_CACHE_PER_BYTE >
			      SWT_CACHE_FLOOR ?
			      (uint64_t)r->size * SWT_CACHE_PER_BYTE :
			      SWT_CACHE_FLOOR;
	r->ncache = cache_bytes / ((size_t)SWT_PAGES_PER_CHUNK *
				   r->hdr.page_size);
	if (r->ncache < 2)
		r->ncache = 2;
	r->cache = calloc(r->ncache, sizeof(*r->cache));
	r->dctx = ZSTD_createDCtx();
	if (!r->cache || !r->dctx) {
		snprintf(err, errlen, "out of memory");
		goto err;
	}
	for (i = 0; i < r->ncache; i++)
		r->cache[i].chunk = UINT64_MAX;
	return r;
err:
	swt_reader_close(r);
	return NULL;
}

/* no spilled copy is live: the file's space is used again from 0 */
static void spill_reset(struct swt_reader *r)
{
	r->nspilled = 0;
	r->spill_live = 0;
	if (r->spill_fd >= 0 && r->spill_end &&
	    ftruncate(r->spill_fd, 0) == 0) {
		r->spill_end = 0;
		r->compact_at = 0;
		/* a full disk had the space back: try the file again */
		r->spill_failed = false;
	}
}

static void kept_clear(struct swt_reader *r)
{
	struct kept *k, *n;
	size_t i;

	for (i = 0; i < r->nkb; i++)
		for (k = r->kb[i]; k; k = n) {
			n = k->next;
			free(k);
		}
	free(r->kb);
	r->kb = NULL;
	r->nkb = 0;
	free(r->kept_bit);
	r->kept_bit = NULL;
	r->nkept = 0;
	r->kept_bytes = 0;
	spill_reset(r);
	free(r->kfree);
	r->kfree = NULL;
}

void swt_reader_close(struct swt_reader *r)
{
	size_t i;

	if (!r)
		return;
	kept_clear(r);
	if (r->spill_fd >= 0)
		close(r->spill_fd);
	if (r->last_use)
		munmap(r->last_use, r->last_cap * sizeof(*r->last_use));
	free(r->kbuf);
	free(r->kzbuf);
	if (r->fd >= 0)
		close(r->fd);
	for (i = 0; r->cache && i < r->ncache; i++)
		free(r->cache[i].data);
	free(r->cache);
	free(r->chunks);
	free(r->zbuf);
	free(r->ev);
	ZSTD_freeDCtx(r->dctx);
	free(r);
}

const struct swt_header *swt_reader_header(const struct swt_reader *r)
{
	return &r->hdr;
}

const struct swt_totals *swt_reader_totals(const struct swt_reader *r)
{
	return &r->end;
}

uint64_t swt_reader_pages_seen(const struct swt_reader *r)
{
	return r->pages;
}

uint64_t swt_reader_file_size(const struct swt_reader *r)
{
	return r->size;
}

const char *swt_reader_error(const struct swt_reader *r)
{
	return r->err;
}

/*
 * make *@buf hold at least @need bytes.  Buffers grow to the largest chunk
 * met rather than to SWT_RAW_LIMIT up front: swaplab's own chunks are 256
 * KiB, and a command may open many traces.
 */
static int reserve(struct swt_reader *r, uint8_t **buf, size_t *cap,
		   size_t need)
{
	uint8_t *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return set_err(r, "out of memory");
	*buf = p;
	*cap = need;
	return 0;
}

/* read and decompress a payload into @out (@rawlen bytes) */
static int load_payload(struct swt_reader *r, uint64_t off, uint32_t clen,
			uint32_t rawlen, uint64_t xxh, uint8_t *out)
{
	size_t n;

	CHECK(r, clen <= ZSTD_compressBound(SWT_RAW_LIMIT),
	      "compressed length %u too large", clen);
	if (reserve(r, &r->zbuf, &r->zcap, clen) ||
	    read_at(r, off, r->zbuf, clen))
		return -1;
	n = ZSTD_decompressDCtx(r->dctx, out, rawlen, r->zbuf, clen);
	CHECK(r, !ZSTD_isError(n), "corrupt payload: %s",
	      ZSTD_getErrorName(n));
	CHECK(r, n == rawlen, "payload is %zu bytes, header says %u", n,
	      rawlen);
	CHECK(r, sl_xxh3_64(out, rawlen) == xxh, "checksum mismatch");
	return 0;
}

static int add_page_chunk(struct swt_reader *r, const struct page_chunk *c)
{
	if (r->nchunks == r->chunks_cap) {
		size_t n = r->chunks_cap ? r->chunks_cap * 2 : 64;
		struct page_chunk *p = realloc(r->chunks, n * sizeof(*p));

		if (!p)
			return set_err(r, "out of memory");
		r->chunks = p;
		r->chunks_cap = n;
	}
	/* a chunk indexed before a rewind keeps its cache entry */
	if (r->nchunks < r->chunks_seen) {
		r->nchunks++;
		return 0;
	}
	r->chunks[r->nchunks++] = *c;
	r->chunks_seen = r->nchunks;
	return 0;
}

/* read chunks up to the next events chunk; Return: 1 events, 0 end, -1 */
static int next_chunk(struct swt_reader *r)
{
	uint8_t h[SWT_CHUNK_HDR];
	uint32_t type, count, rawlen, clen;
	uint64_t first, xxh;

	for (;;) {
		CHECK(r, r->pos < r->size,
		      "truncated: the trace ends without its END chunk");
		if (read_at(r, r->pos, h, sizeof(h)))
			return -1;
		type = h[0];
		count = get_le32(h + 4);
		rawlen = get_le32(h + 8);
		clen = get_le32(h + 12);
		first = get_le64(h + 16);
		xxh = get_le64(h + 24);
		CHECK(r, h[1] == 0 && get_le16(h + 2) == 0,
		      "reserved chunk bytes set");
		CHECK(r, rawlen <= SWT_RAW_LIMIT, "chunk too large (%u bytes)",
		      rawlen);
		CHECK(r, r->size - r->pos - SWT_CHUNK_HDR >= clen,
		      "truncated: payload of %u bytes runs past the end",
		      clen);
		switch (type) {
		case SWT_CHUNK_PAGES: {
			struct page_chunk c = { first, r->pos + SWT_CHUNK_HDR,
						clen, count, xxh, NOT_CACHED };

			CHECK(r, !(r->hdr.flags & SWT_F_NO_CONTENT),
			      "page chunk in a trace without contents");
			CHECK(r, count >= 1 && count <= SWT_PAGES_PER_CHUNK &&
			      rawlen == count * r->hdr.page_size,
			      "bad page chunk: %u pages in %u bytes", count,
			      rawlen);
			CHECK(r, first == r->pages,
			      "page chunk starts at id %llu, expected %llu",
			      (unsigned long long)first,
			      (unsigned long long)r->pages);
			if (add_page_chunk(r, &c))
				return -1;
			r->pages += count;
			break;
		}
		case SWT_CHUNK_EVENTS:
			CHECK(r, count >= 1 && rawlen >= count,
			      "bad events chunk: %u events in %u bytes", count,
			      rawlen);
			CHECK(r, first == r->seen.events,
			      "events chunk starts at %llu, expected %llu",
			      (unsigned long long)first,
			      (unsigned long long)r->seen.events);
			if (reserve(r, &r->ev, &r->evcap, rawlen) ||
			    load_payload(r, r->pos + SWT_CHUNK_HDR, clen, rawlen,
					 xxh, r->ev))
				return -1;
			r->evp = r->ev;
			r->evend = r->ev + rawlen;
			r->ev_left = count;
			r->pos += SWT_CHUNK_HDR + clen;
			r->chunk_no++;
			return mem_check(r) ? -1 : 1;
		case SWT_CHUNK_END: {
			uint8_t e[SWT_END_RAW];

			CHECK(r, rawlen == SWT_END_RAW && clen == SWT_END_RAW &&
			      count == 0 && first == 0, "bad END chunk");
			if (read_at(r, r->pos + SWT_CHUNK_HDR, e, sizeof(e)))
				return -1;
			CHECK(r, XXH3_64bits(e, sizeof(e)) == xxh,
			      "END chunk checksum mismatch");
			r->end.events = get_le64(e);
			r->end.pages = get_le64(e + 8);
			r->end.stores = get_le64(e + 16);
			r->end.loads = get_le64(e + 24);
			r->end.frees = get_le64(e + 32);
			r->end.marks = get_le64(e + 40);
			CHECK(r, r->end.events == r->seen.events &&
			      r->end.pages == r->pages &&
			      r->end.stores == r->seen.stores &&
			      r->end.loads == r->seen.loads &&
			      r->end.frees == r->seen.frees &&
			      r->end.marks == r->seen.marks,
			      "END totals do not match the events read");
			CHECK(r, r->pos + SWT_CHUNK_HDR + clen == r->size,
			      "%llu stray bytes after the END chunk",
			      (unsigned long long)(r->size - r->pos -
						   SWT_CHUNK_HDR - clen));
			r->done = true;
			return 0;
		}
		default:
			return set_err(r, "unknown chunk type %u", type);
		}
		r->pos += SWT_CHUNK_HDR + clen;
		r->chunk_no++;
	}
}

#define EV_GET(r, v, what) \
	do { size_t _n = get_varint((r)->evp, (r)->evend, &(v)); \
	     CHECK(r, _n, "corrupt event %llu: bad %s", \
		   (unsigned long long)(r)->seen.events, what); \
	     (r)->evp += _n; } while (0)

static struct kept **kept_slot(struct swt_reader *r, uint64_t id)
{
	struct kept **k = &r->kb[(id * 0x9e3779b97f4a7c15ull) >> 32 &
				 (r->nkb - 1)];

	while (*k && (*k)->id != id)
		k = &(*k)->next;
	return k;
}

/* an unlinked file in $TMPDIR or /var/tmp; Return: its fd, or -1 */
static int tmp_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = "/var/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 &&
	    snprintf(path, sizeof(path), "%s/swaplab-kept.XXXXXX", dir) <
	    (int)sizeof(path)) {
		/* a file system without O_TMPFILE: unlinked at once */
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

/*
 * the spill file, opened on first use; Return: 0, or -1 when there is
 * none (then copies past the cap are not kept)
 */
static int spill_open(struct swt_reader *r)
{
	if (r->spill_fd >= 0)
		return 0;
	if (r->spill_failed)
		return -1;
	r->spill_fd = tmp_open();
	if (r->spill_fd < 0)
		r->spill_failed = true;
	return r->spill_fd < 0 ? -1 : 0;
}

/*
 * The file is appended to and a copy's bytes are dead once read: when it
 * holds more than twice the live bytes (and 64 MiB), the live copies move
 * to a new file, so its size follows the pages awaiting reuse, not the
 * trace.  A failure keeps the old file.
 */
static void spill_compact(struct swt_reader *r)
{
	uint64_t end = 0, off;
	struct kept *k;
	uint8_t *buf;
	size_t i;
	int fd;

	if (r->spill_end < (uint64_t)r->kept_mem * SPILL_COMPACT_CAPS ||
	    r->spill_end < (64u << 10) || r->spill_end <= 2 * r->spill_live ||
	    r->spill_end < r->compact_at)
		return;
	/* should this one fail, the next try waits for the file to double */
	r->compact_at = 2 * r->spill_end;
	/* not kzbuf: it holds the copy being added */
	buf = malloc(LZ4_compressBound(r->hdr.page_size));
	fd = buf ? tmp_open() : -1;
	if (fd < 0) {
		free(buf);
		return;
	}
	for (i = 0; i < r->nkb; i++)
		for (k = r->kb[i]; k; k = k->next) {
			if (!k->spilled)
				continue;
			memcpy(&off, k->data, sizeof(off));
			if (pread(r->spill_fd, buf, k->len, off) !=
			    (ssize_t)k->len ||
			    pwrite(fd, buf, k->len, end) != (ssize_t)k->len) {
				close(fd);
				free(buf);
				return;
			}
			end += k->len;
		}
	/* every copy made it: now point them at the new file */
	end = 0;
	for (i = 0; i < r->nkb; i++)
		for (k = r->kb[i]; k; k = k->next) {
			if (!k->spilled)
				continue;
			memcpy(k->data, &end, sizeof(end));
			end += k->len;
		}
	free(buf);
	close(r->spill_fd);
	r->spill_fd = fd;
	r->spill_end = end;
	r->compact_at = 0;
	r->spill_compactions++;
}

/*
 * a copy of page @id at @p for a later STORE; Return: 0 (kept, or left
 * to be decoded again) or -1 (out of memory)
 */
static int kept_add(struct swt_reader *r, uint64_t id, const void *p)
{
	struct kept *k, **nb, *n, **slot;
	bool spill;
	size_t i, nn;

	if (r->nkept >= r->nkb) {
		nn = r->nkb ? r->nkb * 2 : 1024;
		nb = calloc(nn, sizeof(*nb));
		if (!nb)
			return -1;
		for (i = 0; i < r->nkb; i++)
			for (k = r->kb[i]; k; k = n) {
				n = k->next;
				k->next = nb[(k->id * 0x9e3779b97f4a7c15ull) >>
					     32 & (nn - 1)];
				nb[(k->id * 0x9e3779b97f4a7c15ull) >> 32 &
				   (nn - 1)] = k;
			}
		free(r->kb);
		r->kb = nb;
		r->nkb = nn;
	}
	if (!r->kzbuf) {
		r->kzbuf = malloc(LZ4_compressBound(r->hdr.page_size));
		r->kbuf = malloc(r->hdr.page_size);
		if (!r->kzbuf || !r->kbuf)
			return -1;
	}
	/* the plan is made: no id from here on reaches last_cap */
	if (!r->kept_bit) {
		r->kept_bit = calloc(r->last_cap / 64 + 1, sizeof(uint64_t));
		if (!r->kept_bit)
			return -1;
	}
	n = NULL;
	nn = LZ4_compress_default(p, (char *)r->kzbuf, r->hdr.page_size,
				  LZ4_compressBound(r->hdr.page_size));
	if (!nn)
		return -1;
	spill = r->kept_bytes + nn > r->kept_mem;
	if (spill && (r->spill_failed || spill_open(r)))
		return 0;	/* not kept: its chunk is decoded again */
	k = malloc(sizeof(*k) + (spill ? sizeof(uint64_t) : nn));
	if (!k)
		return -1;
	k->id = id;
	k->len = nn;
	k->spilled = spill;
	if (spill) {
		spill_compact(r);
		if (pwrite(r->spill_fd, r->kzbuf, nn, r->spill_end) !=
		    (ssize_t)nn) {
			/* a full disk: keep no more copies there */
			free(k);
			r->spill_failed = true;
			return 0;
		}
		memcpy(k->data, &r->spill_end, sizeof(uint64_t));
		r->spill_end += nn;
		r->spill_live += nn;
		r->nspilled++;
		r->spilled_total++;
	} else {
		memcpy(k->data, r->kzbuf, nn);
		r->kept_bytes += nn;
	}
	slot = kept_slot(r, id);
	k->next = NULL;
	*slot = k;
	r->kept_bit[id / 64] |= 1ull << (id % 64);
	r->nkept++;
	if (r->nkept > r->kept_peak)
		r->kept_peak = r->nkept;
	return 0;
}

/* the content of the STORE being decoded, of page @id */
static const void *store_page(struct swt_reader *r, uint64_t id)
{
	uint64_t ord = r->seen.stores + 1, last;
	struct kept **slot = NULL, *k = NULL;
	const void *p;

	if (!r->plan_valid)
		return swt_page(r, id);
	last = id < r->last_cap ? r->last_use[id] : 0;
	if (r->kept_bit && id < r->last_cap &&
	    r->kept_bit[id / 64] & 1ull << (id % 64)) {
		slot = kept_slot(r, id);
		k = *slot;
	}
	if (k) {
		const void *z = k->data;
		uint64_t off;

		p = r->kbuf;
		if (k->spilled) {
			memcpy(&off, k->data, sizeof(off));
			errno = 0;
			if (pread(r->spill_fd, r->kzbuf, k->len, off) !=
			    (ssize_t)k->len) {
				set_err(r, "page %llu kept for reuse cannot be read back: %s",
					(unsigned long long)id,
					strerror(errno ? errno : EIO));
				return NULL;
			}
			z = r->kzbuf;
		}
		if (LZ4_decompress_safe(z, (char *)r->kbuf,
					k->len, r->hdr.page_size) !=
		    (int)r->hdr.page_size) {
			set_err(r, "page %llu kept for reuse does not decompress",
				(unsigned long long)id);
			return NULL;
		}
	} else {
		p = swt_page(r, id);
	}
	if (!p)
		return NULL;
	if (k && last <= ord) {
		/* its last STORE: unlinked now, freed at the next call */
		*slot = k->next;
		r->kept_bit[id / 64] &= ~(1ull << (id % 64));
		r->nkept--;
		if (!k->spilled) {
			r->kept_bytes -= k->len;
		} else {
			r->spill_live -= k->len;
			if (!--r->nspilled)
				spill_reset(r);
		}
		r->kfree = k;
	} else if (!k && last > ord && kept_add(r, id, p)) {
		set_err(r, "out of memory for a page stored again later");
		return NULL;
	}
	return p;
}

/* while recording: page @id is stored by STORE number @ord */
static int plan_note(struct swt_reader *r, uint64_t id, uint64_t ord)
{
	uint32_t *p;
	size_t n;

	CHECK(r, ord <= UINT32_MAX, "more than 2^32 stores");
	if (id >= r->last_cap) {
		n = r->last_cap ? r->last_cap : 4096;
		while (n <= id)
			n *= 2;
		/*
		 * mapped, not from the heap: a heap block grown by doubling
		 * leaves each old copy behind as a hole the replay's RSS
		 * keeps; mremap() moves pages, and new ones read as zero
		 */
		p = r->last_use ?
		    mremap(r->last_use, r->last_cap * sizeof(*p),
			   n * sizeof(*p), MREMAP_MAYMOVE) :
		    mmap(NULL, n * sizeof(*p), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return set_err(r, "out of memory");
		r->last_use = p;
		r->last_cap = n;
	}
	r->last_use[id] = ord;
	return 0;
}

void swt_reader_plan_reuse(struct swt_reader *r)
{
	r->plan_recording = true;
	r->plan_valid = false;
	kept_clear(r);
}

size_t swt_reader_kept_peak(const struct swt_reader *r)
{
	return r->kept_peak;
}

uint64_t swt_reader_kept_spilled(const struct swt_reader *r)
{
	return r->spilled_total;
}

uint64_t swt_reader_spill_compactions(const struct swt_reader *r)
{
	return r->spill_compactions;
}

int swt_next(struct swt_reader *r, struct swt_event *ev)
{
	uint64_t v, dt, base;
	uint8_t b;
	int ret;

	free(r->kfree);
	r->kfree = NULL;
	if (r->done)
		return 0;
	if (!r->ev_left) {
		CHECK(r, r->evp == r->evend, "trailing bytes in events chunk");
		ret = next_chunk(r);
		if (ret == 0 && r->plan_recording) {
			r->plan_recording = false;
			r->plan_valid = true;
		}
		if (ret <= 0)
			return ret;
	}
	CHECK(r, r->evp < r->evend, "events chunk shorter than its count");
	b = *r->evp++;
	memset(ev, 0, offsetof(struct swt_event, mark));
	ev->mark[0] = 0;
	ev->cpu = -1;
	ev->pid = -1;
	ev->op = b & SWT_EV_OP_MASK;
	CHECK(r, ev->op >= SWT_STORE && ev->op <= SWT_MARK &&
	      !(b & ~(SWT_EV_OP_MASK | SWT_EV_CPU | SWT_EV_PID |
		      SWT_EV_FOLIO)) &&
	      (!(b & SWT_EV_FOLIO) || (ev->op == SWT_STORE &&
	       (r->hdr.flags & SWT_F_HAS_FOLIO))),
	      "corrupt event %llu: bad type byte 0x%02x",
	      (unsigned long long)r->seen.events, b);
	EV_GET(r, dt, "time");
	base = r->seen.events ? r->last_ts : r->hdr.start_ns;
	CHECK(r, dt <= UINT64_MAX - base, "time overflow");
	ev->ts_ns = base + dt;
	if (ev->op == SWT_MARK) {
		EV_GET(r, v, "mark length");
		CHECK(r, v < sizeof(ev->mark) && v <= (uint64_t)(r->evend -
							   r->evp),
		      "corrupt mark length");
		memcpy(ev->mark, r->evp, v);
		ev->mark[v] = 0;
		r->evp += v;
	} else {
		EV_GET(r, v, "index");
		CHECK(r, v <= UINT32_MAX, "slot index %llu out of range",
		      (unsigned long long)v);
		ev->index = v;
	}
	if (ev->op == SWT_STORE && !(r->hdr.flags & SWT_F_NO_CONTENT)) {
		EV_GET(r, v, "page id");
		ev->page_id = r->last_page_id + unzigzag(v);
		CHECK(r, ev->page_id < r->pages,
		      "event %llu refers to page %llu, only %llu defined",
		      (unsigned long long)r->seen.events,
		      (unsigned long long)ev->page_id,
		      (unsigned long long)r->pages);
		r->last_page_id = ev->page_id;
		if (r->plan_recording &&
		    plan_note(r, ev->page_id, r->seen.stores + 1))
			return -1;
		if (!r->skip_contents) {
			ev->page = store_page(r, ev->page_id);
			if (!ev->page)
				return -1;
		}
	}
	if (b & SWT_EV_FOLIO) {
		EV_GET(r, v, "folio");
		CHECK(r, v >> 1 >= 1 && v >> 1 <= SWT_FOLIO_ORDER_MAX,
		      "corrupt event %llu: folio order %llu (1..%d)",
		      (unsigned long long)r->seen.events,
		      (unsigned long long)(v >> 1), SWT_FOLIO_ORDER_MAX);
		ev->folio_order = v >> 1;
		ev->folio_cont = v & 1;
	}
	if (b & SWT_EV_CPU) {
		EV_GET(r, v, "cpu");
		CHECK(r, v <= INT32_MAX, "bad cpu");
		ev->cpu = v;
	}
	if (b & SWT_EV_PID) {
		EV_GET(r, v, "pid");
		CHECK(r, v <= INT32_MAX, "bad pid");
		ev->pid = v;
	}
	r->last_ts = ev->ts_ns;
	r->ev_left--;
	r->seen.events++;
	switch (ev->op) {
	case SWT_STORE:
		r->seen.stores++;
		break;
	case SWT_LOAD:
		r->seen.loads++;
		break;
	case SWT_FREE:
		r->seen.frees++;
		break;
	case SWT_MARK:
		r->seen.marks++;
		break;
	}
	return 1;
}

const void *swt_page(struct swt_reader *r, uint64_t id)
{
	size_t lo = 0, hi = r->nchunks, i, victim = 0;
	struct page_chunk *c;
	uint64_t first;

	if (id >= r->pages) {
		set_err(r, "page %llu not defined", (unsigned long long)id);
		return NULL;
	}
	/* chunks hold consecutive ids: binary search by first id */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (id >= r->chunks[mid].off_first)
			lo = mid;
		else
			hi = mid;
	}
	c = &r->chunks[lo];
	first = c->off_first;
	if (c->cached != NOT_CACHED) {
		r->cache[c->cached].used = ++r->clock;
		return r->cache[c->cached].data +
		       (id - first) * r->hdr.page_size;
	}
	/* a miss costs a chunk's decoding: the LRU scan is cheap beside it */
	for (i = 1; i < r->ncache; i++)
		if (r->cache[i].used < r->cache[victim].used)
			victim = i;
	if (!r->cache[victim].data) {
		r->cache[victim].data = malloc((size_t)SWT_PAGES_PER_CHUNK *
					       r->hdr.page_size);
		if (!r->cache[victim].data) {
			set_err(r, "out of memory");
			return NULL;
		}
	}
	if (r->cache[victim].chunk != UINT64_MAX)
		r->chunks[r->cache[victim].chunk].cached = NOT_CACHED;
	r->cache[victim].chunk = UINT64_MAX;
	if (load_payload(r, c->off, c->clen, c->count * r->hdr.page_size,
			 c->xxh, r->cache[victim].data))
		return NULL;
	r->cache[victim].chunk = lo;
	r->cache[victim].used = ++r->clock;
	c->cached = victim;
	if (mem_check(r))
		return NULL;
	return r->cache[victim].data + (id - first) * r->hdr.page_size;
}

void swt_reader_skip_contents(struct swt_reader *r, bool skip)
{
	r->skip_contents = skip;
}

int swt_reader_rewind(struct swt_reader *r)
{
	r->pos = r->events_off;
	r->chunk_no = 0;
	r->ev_left = 0;
	r->evp = r->evend = r->ev;
	r->last_ts = 0;
	r->last_page_id = 0;
	r->done = false;
	memset(&r->seen, 0, sizeof(r->seen));
	/* a pass cut short records no plan; a new pass keeps none */
	r->plan_recording = false;
	kept_clear(r);
	/* page chunks already indexed stay valid; re-reading re-adds none */
	r->nchunks = 0;
	r->pages = 0;
	return 0;
}
