/*
 * swt_writer.c - write a .swt trace: deduplicate page contents by a
 * 128-bit hash, batch pages and events into zstd-compressed chunks, and
 * publish the file atomically.
 *
 * A page's content is written once, the first time it is stored; later
 * stores of the same bytes refer to its id.  A 128-bit XXH3 makes an
 * accidental collision far less likely than a memory error, so contents
 * are not compared byte for byte (that would mean keeping them all).
 * Pages are always flushed before the events that refer to them, so a
 * reader never meets a forward reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "fsync_dir.h"
#include "sl_xxh.h"
#include "swt_internal.h"
#include "tmpfile.h"

#define ZSTD_LEVEL	3

struct dedup_ent {
	XXH128_hash_t h;
	uint64_t id_plus1;	/* 0: empty */
};

struct swt_writer {
	FILE *f;
	char *path, *tmp;
	struct swt_header hdr;
	uint8_t *pages;		/* pending page contents */
	unsigned int npages;
	uint64_t first_pending_id;
	uint8_t *ev;		/* pending encoded events */
	size_t evlen;
	uint32_t nev;
	uint64_t first_pending_ev;
	uint64_t last_ts;
	uint64_t last_page_id;
	uint8_t *zbuf;
	size_t zcap;
	ZSTD_CCtx *cctx;
	struct dedup_ent *tab;
	size_t tab_size, tab_used;
	struct swt_totals tot;
	int err;		/* sticky errno */
};

static int fail(struct swt_writer *w, int e)
{
	if (!w->err)
		w->err = e ? e : EIO;
	errno = w->err;
	return -1;
}

static int write_all(struct swt_writer *w, const void *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, w->f) != len)
		return fail(w, errno);
	return 0;
}

static int write_chunk(struct swt_writer *w, enum swt_chunk_type type,
		       uint32_t count, uint64_t first, const void *raw,
		       size_t rawlen)
{
	uint8_t h[SWT_CHUNK_HDR] = { 0 };
	size_t clen;

	if (type == SWT_CHUNK_END) {
		clen = rawlen;
	} else {
		clen = ZSTD_compressCCtx(w->cctx, w->zbuf, w->zcap, raw,
					 rawlen, ZSTD_LEVEL);
		if (ZSTD_isError(clen))
			return fail(w, EIO);
	}
	h[0] = type;
	put_le32(h + 4, count);
	put_le32(h + 8, rawlen);
	put_le32(h + 12, clen);
	put_le64(h + 16, first);
	put_le64(h + 24, sl_xxh3_64(raw, rawlen));
	if (write_all(w, h, sizeof(h)))
		return -1;
	return write_all(w, type == SWT_CHUNK_END ? raw : w->zbuf, clen);
}

static int flush_pages(struct swt_writer *w)
{
	int ret;

	if (!w->npages)
		return 0;
	ret = write_chunk(w, SWT_CHUNK_PAGES, w->npages, w->first_pending_id,
			  w->pages, (size_t)w->npages * w->hdr.page_size);
	w->first_pending_id += w->npages;
	w->npages = 0;
	return ret;
}

static int flush_events(struct swt_writer *w)
{
	int ret;

	if (!w->nev)
		return 0;
	if (flush_pages(w))
		return -1;
	ret = write_chunk(w, SWT_CHUNK_EVENTS, w->nev, w->first_pending_ev,
			  w->ev, w->evlen);
	w->first_pending_ev += w->nev;
	w->nev = 0;
	w->evlen = 0;
	return ret;
}

static size_t put_str(uint8_t *p, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strnlen(val, SWT_STR_MAX - 1);

	put_le16(p, kl);
	memcpy(p + 2, key, kl);
	put_le16(p + 2 + kl, vl);
	memcpy(p + 4 + kl, val, vl);
	return 4 + kl + vl;
}

static int write_header(struct swt_writer *w)
{
	const struct swt_header *h = &w->hdr;
	uint8_t buf[SWT_FIXED_HDR + 4 * (SWT_STR_MAX + 32) + 8];
	size_t n = SWT_FIXED_HDR;

	memcpy(buf, SWT_MAGIC, 8);
	/* v1 unless the trace has what only v2 can say: old readers read it */
	put_le16(buf + 8, h->flags & SWT_F_HAS_FOLIO ? 2 : 1);
	put_le32(buf + 12, h->page_size);
	put_le32(buf + 16, h->flags);
	put_le32(buf + 20, h->clock);
	put_le64(buf + 24, h->start_ns);
	put_le16(buf + 32, 4);
	put_le16(buf + 34, 0);
	n += put_str(buf + n, "source", h->source);
	n += put_str(buf + n, "host", h->host);
	n += put_str(buf + n, "kernel", h->kernel);
	n += put_str(buf + n, "description", h->description);
	put_le16(buf + 10, n + 8);
	put_le64(buf + n, XXH3_64bits(buf, n));
	return write_all(w, buf, n + 8);
}

struct swt_writer *swt_writer_create(const char *path,
				     const struct swt_header *hdr)
{
	struct swt_writer *w;
	int fd, e;

	if (hdr->page_size < 512 || hdr->page_size > 65536 ||
	    (hdr->page_size & (hdr->page_size - 1)) ||
	    (hdr->flags & ~SWT_F_KNOWN)) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->hdr = *hdr;
	w->path = strdup(path);
	w->tmp = sl_tmp_name(path);
	w->pages = malloc((size_t)SWT_PAGES_PER_CHUNK * hdr->page_size);
	w->ev = malloc(SWT_EVENT_RAW_MAX + 512);
	w->zcap = ZSTD_compressBound((size_t)SWT_PAGES_PER_CHUNK *
				     hdr->page_size + SWT_EVENT_RAW_MAX);
	w->zbuf = malloc(w->zcap);
	w->cctx = ZSTD_createCCtx();
	w->tab_size = 1024;
	w->tab = calloc(w->tab_size, sizeof(*w->tab));
	if (!w->path || !w->tmp || !w->pages || !w->ev || !w->zbuf ||
	    !w->cctx || !w->tab)
		goto err;
	fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		goto err;
	sl_tmp_track(w->tmp);
	w->f = fdopen(fd, "wb");
	if (!w->f) {
		close(fd);
		unlink(w->tmp);
		goto err;
	}
	setvbuf(w->f, NULL, _IOFBF, 1 << 20);
	if (write_header(w)) {
		e = errno;
		swt_writer_abort(w);
		errno = e;
		return NULL;
	}
	return w;
err:
	e = errno ? errno : ENOMEM;
	swt_writer_abort(w);	/* no file yet: frees what was allocated */
	errno = e;
	return NULL;
}

static int tab_grow(struct swt_writer *w)
{
	size_t i, n = w->tab_size * 2;
	struct dedup_ent *t = calloc(n, sizeof(*t));

	if (!t)
		return -1;
	for (i = 0; i < w->tab_size; i++) {
		size_t j;

		if (!w->tab[i].id_plus1)
			continue;
		for (j = w->tab[i].h.low64 & (n - 1); t[j].id_plus1;
		     j = (j + 1) & (n - 1))
			;
		t[j] = w->tab[i];
	}
	free(w->tab);
	w->tab = t;
	w->tab_size = n;
	return 0;
}

/* id of @page's content, adding it to the pending pages if new */
static int page_id(struct swt_writer *w, const void *page, uint64_t *id)
{
	XXH128_hash_t h = sl_xxh3_128(page, w->hdr.page_size);
	size_t j;

	if (w->tab_used * 2 >= w->tab_size && tab_grow(w))
		return fail(w, ENOMEM);
	for (j = h.low64 & (w->tab_size - 1); w->tab[j].id_plus1;
	     j = (j + 1) & (w->tab_size - 1)) {
		if (XXH128_isEqual(w->tab[j].h, h)) {
			*id = w->tab[j].id_plus1 - 1;
			return 0;
		}
	}
	*id = w->tot.pages++;
	w->tab[j].h = h;
	w->tab[j].id_plus1 = *id + 1;
	w->tab_used++;
	memcpy(w->pages + (size_t)w->npages * w->hdr.page_size, page,
	       w->hdr.page_size);
	if (++w->npages == SWT_PAGES_PER_CHUNK)
		return flush_pages(w);
	return 0;
}

static int add_event(struct swt_writer *w, enum swt_op op, uint64_t ts,
		     uint32_t index, bool has_page, uint64_t id, int32_t cpu,
		     int32_t pid, const char *mark, unsigned int folio)
{
	uint8_t *p = w->ev + w->evlen, b = op;
	size_t n = 1;

	if (w->err) {
		errno = w->err;
		return -1;
	}
	if (ts < w->last_ts || (w->nev == 0 && w->tot.events == 0 &&
				ts < w->hdr.start_ns))
		return fail(w, EINVAL);
	if (cpu >= 0 && (w->hdr.flags & SWT_F_HAS_CPU))
		b |= SWT_EV_CPU;
	if (pid >= 0 && (w->hdr.flags & SWT_F_HAS_PID))
		b |= SWT_EV_PID;
	if (folio)
		b |= SWT_EV_FOLIO;
	p[0] = b;
	n += put_varint(p + n, ts - (w->tot.events ? w->last_ts :
				      w->hdr.start_ns));
	if (op == SWT_MARK) {
		size_t len = strnlen(mark, 255);

		n += put_varint(p + n, len);
		memcpy(p + n, mark, len);
		n += len;
	} else {
		n += put_varint(p + n, index);
	}
	if (has_page) {
		n += put_varint(p + n, zigzag((int64_t)(id - w->last_page_id)));
		w->last_page_id = id;
	}
	if (b & SWT_EV_FOLIO)
		n += put_varint(p + n, folio);
	if (b & SWT_EV_CPU)
		n += put_varint(p + n, (uint32_t)cpu);
	if (b & SWT_EV_PID)
		n += put_varint(p + n, (uint32_t)pid);
	w->evlen += n;
	w->nev++;
	w->last_ts = ts;
	w->tot.events++;
	if (w->evlen >= SWT_EVENT_RAW_MAX)
		return flush_events(w);
	return 0;
}

int swt_write_store_folio(struct swt_writer *w, uint64_t ts_ns,
			  uint32_t index, const void *page, int32_t cpu,
			  int32_t pid, unsigned int order, bool cont)
{
	uint64_t id;

	if (w->err) {
		errno = w->err;
		return -1;
	}
	if ((w->hdr.flags & SWT_F_NO_CONTENT) ||
	    order > SWT_FOLIO_ORDER_MAX ||
	    (order && !(w->hdr.flags & SWT_F_HAS_FOLIO)))
		return fail(w, EINVAL);
	if (page_id(w, page, &id))
		return -1;
	w->tot.stores++;
	return add_event(w, SWT_STORE, ts_ns, index, true, id, cpu, pid,
			 NULL, order ? order << 1 | cont : 0);
}

int swt_write_store(struct swt_writer *w, uint64_t ts_ns, uint32_t index,
		    const void *page, int32_t cpu, int32_t pid)
{
	return swt_write_store_folio(w, ts_ns, index, page, cpu, pid, 0,
				     false);
}

int swt_write_store_nocontent_folio(struct swt_writer *w, uint64_t ts_ns,
				    uint32_t index, int32_t cpu, int32_t pid,
				    unsigned int order, bool cont)
{
	if (!(w->hdr.flags & SWT_F_NO_CONTENT) ||
	    order > SWT_FOLIO_ORDER_MAX ||
	    (order && !(w->hdr.flags & SWT_F_HAS_FOLIO)))
		return fail(w, EINVAL);
	w->tot.stores++;
	return add_event(w, SWT_STORE, ts_ns, index, false, 0, cpu, pid,
			 NULL, order ? order << 1 | cont : 0);
}

int swt_write_store_nocontent(struct swt_writer *w, uint64_t ts_ns,
			      uint32_t index, int32_t cpu, int32_t pid)
{
	return swt_write_store_nocontent_folio(w, ts_ns, index, cpu, pid, 0,
					       false);
}

int swt_write_op(struct swt_writer *w, enum swt_op op, uint64_t ts_ns,
		 uint32_t index, int32_t cpu, int32_t pid)
{
	if (op == SWT_LOAD)
		w->tot.loads++;
	else if (op == SWT_FREE)
		w->tot.frees++;
	else
		return fail(w, EINVAL);
	return add_event(w, op, ts_ns, index, false, 0, cpu, pid, NULL, 0);
}

int swt_write_mark(struct swt_writer *w, uint64_t ts_ns, const char *text)
{
	w->tot.marks++;
	return add_event(w, SWT_MARK, ts_ns, 0, false, 0, -1, -1, text, 0);
}

void swt_writer_abort(struct swt_writer *w)
{
	if (!w)
		return;
	if (w->f) {
		fclose(w->f);
		unlink(w->tmp);
	}
	free(w->path);
	sl_tmp_untrack(w->tmp);
	free(w->tmp);
	free(w->pages);
	free(w->ev);
	free(w->zbuf);
	ZSTD_freeCCtx(w->cctx);
	free(w->tab);
	free(w);
}

int swt_writer_commit(struct swt_writer *w, struct swt_totals *totals)
{
	uint8_t end[SWT_END_RAW];
	int e;

	if (w->err || flush_events(w) || flush_pages(w))
		goto err;
	put_le64(end, w->tot.events);
	put_le64(end + 8, w->tot.pages);
	put_le64(end + 16, w->tot.stores);
	put_le64(end + 24, w->tot.loads);
	put_le64(end + 32, w->tot.frees);
	put_le64(end + 40, w->tot.marks);
	if (write_chunk(w, SWT_CHUNK_END, 0, 0, end, sizeof(end)))
		goto err;
	if (fflush(w->f) || fsync(fileno(w->f))) {
		fail(w, errno);
		goto err;
	}
	e = fclose(w->f);
	w->f = NULL;
	if (e) {
		e = errno;
		unlink(w->tmp);
		fail(w, e);
		goto err;
	}
	if (sl_tmp_commit(w->tmp, w->path)) {
		fail(w, errno);
		goto err;
	}
	if (totals)
		*totals = w->tot;
	swt_writer_abort(w);
	return 0;
err:
	e = w->err ? w->err : EIO;
	swt_writer_abort(w);
	errno = e;
	return -1;
}

const char *swt_op_name(enum swt_op op)
{
	switch (op) {
	case SWT_STORE:
		return "store";
	case SWT_LOAD:
		return "load";
	case SWT_FREE:
		return "free";
	case SWT_MARK:
		return "mark";
	}
	return "?";
}
