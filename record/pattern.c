/*
 * pattern.c - access-pattern events to a no-content trace (pattern.h).
 *
 * Why collect and sort: per-CPU buffers are read one CPU at a time, and
 * kprobe events carry no sequence number, so events are ordered by time
 * after the fact (stable, so one CPU's order is kept on equal stamps).
 * An event is 40 bytes: a million swap operations cost 40 MB here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "cli/util.h"
#include "record/fgroup.h"
#include "record/kernel_rec.h"
#include "record/pattern.h"

static int push(struct pev_list *l, const struct pev *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		struct pev *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = *e;
	l->v[l->n].ord = l->n;
	l->n++;
	return 0;
}

static bool is(struct tep_event *ev, const char *name)
{
	return !strcmp(ev->name, name) &&
	       (!strcmp(ev->system, PAT_KP_SYSTEM) ||
		!strcmp(ev->system, "kprobes"));
}

static uint64_t field_or(struct tep_event *ev, const char *name,
			 struct tep_record *rec, bool *ok)
{
	struct tep_format_field *f = tep_find_field(ev, name);
	unsigned long long v = 0;

	if (!f || tep_read_number_field(f, rec->data, &v) < 0)
		*ok = false;
	return v;
}

int pat_classify(struct pev_list *l, struct tep_handle *tep,
		 struct tep_record *rec, int cpu)
{
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	struct pev e = { .ts = rec->ts, .cpu = cpu, .nr = 1 };
	uint64_t v;
	bool ok = true;

	if (!ev) {
		l->ignored++;
		return 0;
	}
	e.pid = tep_data_pid(tep, rec);
	if (!strcmp(ev->system, "swaplab")) {
		if (!strcmp(ev->name, "swaplab_store"))
			e.op = SWT_STORE;
		else if (!strcmp(ev->name, "swaplab_load"))
			e.op = SWT_LOAD;
		else if (!strcmp(ev->name, "swaplab_free"))
			e.op = SWT_FREE;
		else if (!strcmp(ev->name, "swaplab_bio") &&
			 krec_field(ev, "write", rec))
			e.op = PAT_BIO;
		if (e.op == PAT_BIO)
			e.nr = krec_field(ev, "pages", rec);
		e.src = PAT_SRC_SWAPLAB;
		e.dev = field_or(ev, "dev", rec, &ok);
		e.index = field_or(ev, "index", rec, &ok);
		e.seq = krec_field(ev, "seq", rec);
	} else if (is(ev, "swap_out") || is(ev, "swap_in")) {
		e.op = is(ev, "swap_out") ? SWT_STORE : SWT_LOAD;
		e.src = PAT_SRC_SWAP;
		v = field_or(ev, "entry", rec, &ok);
		e.dev = v >> PAT_SWP_TYPE_SHIFT;
		e.index = v & ((1ull << PAT_SWP_TYPE_SHIFT) - 1);
		/*
		 * a THP goes out whole: one call, 2^order slots; "head" is
		 * PG_head fetched as a bit (6.12 moved it), "flags" all of
		 * 6.1's page flags; 6.12 reads a large folio in whole too
		 */
		if ((e.op == SWT_STORE || tep_find_field(ev, "head")) &&
		    (tep_find_field(ev, "head") ?
		     field_or(ev, "head", rec, &ok) & 1 :
		     tep_find_field(ev, "flags") &&
		     field_or(ev, "flags", rec, &ok) >> PAT_PG_HEAD & 1)) {
			v = field_or(ev, "order", rec, &ok);
			e.nr = v <= 9 ? 1u << v : 1;
		}
	} else if (is(ev, "swap_free")) {
		e.op = SWT_FREE;
		e.src = PAT_SRC_SWAP;
		if (tep_find_field(ev, "entry")) {	/* 6.12 */
			v = field_or(ev, "entry", rec, &ok);
			e.dev = v >> PAT_SWP_TYPE_SHIFT;
			e.index = v & ((1ull << PAT_SWP_TYPE_SHIFT) - 1);
		} else {
			e.dev = -1;	/* 6.1's probe sees an offset only */
			e.index = field_or(ev, "offset", rec, &ok);
		}
		v = field_or(ev, "nr", rec, &ok);
		e.nr = v && v < 1u << 20 ? v : 1;
	} else if (is(ev, "zram_rw")) {
		e.src = PAT_SRC_ZRAM;
		e.dev = -1;
		e.index = field_or(ev, "sector", rec, &ok) >> 3;
		e.op = field_or(ev, "op", rec, &ok) & 1 ? SWT_STORE : SWT_LOAD;
	} else if (is(ev, "zram_free")) {
		e.src = PAT_SRC_ZRAM;
		e.dev = -1;
		e.op = SWT_FREE;
		e.index = field_or(ev, "index", rec, &ok);
	}
	if (!e.op || !ok) {
		l->ignored++;
		return 0;
	}
	return push(l, &e);
}

/* a bio takes no number: it sorts after the event with its number */
static int by_seq(const void *a, const void *b)
{
	const struct pev *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if ((x->op == PAT_BIO) != (y->op == PAT_BIO))
		return x->op == PAT_BIO ? 1 : -1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int by_ts(const void *a, const void *b)
{
	const struct pev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* log2 of @nr, a power of two of at most 2^SWT_FOLIO_ORDER_MAX (classify) */
static unsigned int order_of(uint32_t nr)
{
	unsigned int o = 0;

	while (nr > 1u << o)
		o++;
	return o;
}

int pat_write(struct pev_list *l, const char *out, struct swt_header *hdr,
	      int dev, struct swt_totals *tot)
{
	bool folio = hdr->flags & SWT_F_HAS_FOLIO;
	struct fgroups fg = { 0 };
	unsigned int order;
	bool cont;
	bool all_seq = l->n > 0, have[4] = { false }, swap_free = false;
	struct swt_writer *w;
	uint64_t last = 0;
	int src = 0;
	size_t i;
	uint32_t j;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].op == PAT_BIO) {
			folio = true;
			continue;
		}
		have[l->v[i].src] = true;
		all_seq &= l->v[i].seq != 0;
		swap_free |= l->v[i].src == PAT_SRC_SWAP &&
			     l->v[i].op == SWT_FREE;
	}
	src = have[PAT_SRC_SWAPLAB] ? PAT_SRC_SWAPLAB :
	      have[PAT_SRC_SWAP] ? PAT_SRC_SWAP :
	      have[PAT_SRC_ZRAM] ? PAT_SRC_ZRAM : 0;
	if (!src)
		return sl_err("no swaplab tracepoint or swap kprobe events found");
	if (dev < 0)
		for (i = 0; i < l->n; i++)
			if (l->v[i].src == src && l->v[i].dev >= 0) {
				dev = l->v[i].dev;
				break;
			}
	qsort(l->v, l->n, sizeof(*l->v), all_seq ? by_seq : by_ts);
	/* every swaplab event of every device takes the next seq (a bio none) */
	for (i = 0, j = 0; all_seq && i < l->n; i++) {
		if (l->v[i].op == PAT_BIO)
			continue;
		if (j && l->v[i].seq > last + 1)
			l->lost += l->v[i].seq - last - 1;
		last = l->v[i].seq;
		j = 1;
	}
	last = 0;
	hdr->flags |= SWT_F_NO_CONTENT | SWT_F_HAS_CPU | SWT_F_HAS_PID;
	if (folio)
		hdr->flags |= SWT_F_HAS_FOLIO;
	if (!hdr->start_ns && l->n)
		hdr->start_ns = l->v[0].ts;
	w = swt_writer_create(out, hdr);
	if (!w)
		return sl_err_errno("cannot create '%s'", out);
	for (i = 0; i < l->n; i++) {
		struct pev *e = &l->v[i];
		uint64_t ts = e->ts < hdr->start_ns ? hdr->start_ns : e->ts;
		int r = 0;

		/* zram's free notify stands in for an inlined swap_range_free */
		if (e->src != src &&
		    !(src == PAT_SRC_SWAP && e->src == PAT_SRC_ZRAM &&
		      e->op == SWT_FREE && !swap_free))
			continue;
		if (e->dev >= 0 && dev >= 0 && e->dev != dev)
			continue;
		if (e->op == PAT_BIO) {
			if (e->dev == dev)
				fgroup_bio(&fg, e->index, e->nr);
			continue;
		}
		if (ts < last)
			ts = last;
		last = ts;
		if (e->op == SWT_STORE && e->src == PAT_SRC_SWAPLAB && folio) {
			fgroup_store(&fg, e->index, true, &order, &cont);
			r = swt_write_store_nocontent_folio(w, ts, e->index,
							    e->cpu, e->pid,
							    order, cont);
		} else if (e->op == SWT_STORE && folio && e->nr > 1)
			/* one call wrote the folio: its pages, in slot order */
			for (j = 0; j < e->nr && !r; j++)
				r = swt_write_store_nocontent_folio(w, ts,
						e->index + j, e->cpu, e->pid,
						order_of(e->nr), j > 0);
		else if (e->op == SWT_STORE)
			for (j = 0; j < e->nr && !r; j++)
				r = swt_write_store_nocontent(w, ts, e->index + j,
							      e->cpu, e->pid);
		else if (e->op == SWT_LOAD)
			for (j = 0; j < e->nr && !r; j++)
				r = swt_write_op(w, SWT_LOAD, ts, e->index + j,
						 e->cpu, e->pid);
		else
			for (j = 0; j < e->nr && !r; j++)
				r = swt_write_op(w, SWT_FREE, ts, e->index + j,
						 e->cpu, e->pid);
		if (r) {
			swt_writer_abort(w);
			return sl_err_errno("cannot write '%s'", out);
		}
	}
	if (swt_writer_commit(w, tot))
		return sl_err_errno("cannot write '%s'", out);
	return 0;
}

void pat_free(struct pev_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
