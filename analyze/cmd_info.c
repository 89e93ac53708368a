/*
 * cmd_info.c - `swaplab info`: what a trace holds, read in one pass.
 *
 * Besides the counts, it says what kind of pages the trace stores (zero,
 * same-filled, duplicates of an earlier page, incompressible under lz4,
 * the rest), how their byte entropy is spread, and how the slots are
 * reused: the working set (live slots at the peak) and, for every load,
 * its reuse distance - the number of distinct slots touched since that
 * slot was last stored or loaded, i.e. the LRU stack distance, which says
 * how big a cache in front of swap would have had to be to hit.
 *
 * Page kinds and entropy are worked out once per distinct content (the
 * trace numbers contents densely, so a byte per id caches them), and
 * reuse distances with a Fenwick tree over access times: O(log n) per
 * access, in memory linear in the events.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/user/sl_codecs.h"
#include "format/swt.h"
#include "replay/slotmap.h"

static const char info_usage[] =
"usage: swaplab info TRACE.swt [--json]\n"
"\n"
"Print the trace header, events by type, unique and same-filled pages,\n"
"the slot range and the file's size per stored page; then the stores by\n"
"page kind (zero, same-filled, duplicate of an earlier page,\n"
"incompressible under lz4 - it would be stored raw by zram 6.1 - and the\n"
"rest), a histogram of byte entropy (bits per byte) of the stored pages,\n"
"the working set (peak live slots) and reuse distances of loads\n"
"(distinct slots touched since the slot's previous store or load).\n"
"\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

/* zram 6.1 + zsmalloc keep pages that compress to this or more raw */
#define RAW_AT_4K	3257

/* per distinct content: what it is, worked out once */
enum {
	PK_KNOWN = 0x80,
	PK_ZERO = 0x40,
	PK_SAME = 0x20,
	PK_RAW = 0x10,		/* incompressible under lz4 */
	PK_ENTROPY = 0x0f,	/* entropy bin 0..7 (bits per byte) */
};

enum { KIND_ZERO, KIND_SAME, KIND_DUP, KIND_RAW, KIND_OTHER, NR_KINDS };
static const char *const kind_names[NR_KINDS] = {
	"zero", "same_filled", "duplicate", "incompressible_lz4", "other",
};

/*
 * what is known of one slot; kept in a slotmap, so memory follows the
 * slots the trace touches, not its highest index
 */
struct slot_info {
	uint64_t last;		/* last access time + 1, 0 = none */
	uint8_t seen, live;
};

/* access times of slots, for LRU stack distances */
struct reuse {
	uint32_t *bit;		/* Fenwick tree over times 1..cap */
	uint8_t *mark;		/* the same marks, plain, to rebuild it */
	uint64_t cap, now;
	uint32_t *dist;		/* reuse distance of each warm load */
	uint64_t ndist, dist_cap, cold;
};

struct kinds {
	uint8_t *page;		/* PK_* per content id */
	uint64_t npage;
	uint64_t count[NR_KINDS];
	uint64_t entropy[8];
	const struct sl_codec_ops *lz4;
	struct sl_codec_params params;
	void *ctx;
	uint8_t *dst;
	const char *lz4_name;
	uint64_t live, peak_live;
};


#define INFO_CPUS	256	/* cpus past this are counted together */

struct info {
	uint64_t ev[5];
	uint64_t cpu_events[INFO_CPUS + 1];	/* last: INFO_CPUS and up */
	uint64_t same_stores, zero_stores, max_index, slots_used;
	uint64_t first_ts, last_ts;
	/* v2: folios by order whose pages all came, in slot order */
	uint64_t folios[SWT_FOLIO_ORDER_MAX + 1], folio_pages, folio_cut;
	uint32_t f_next, f_left;	/* the open folio: next slot, pages due */
	unsigned int f_order;
	struct slotmap slots;	/* struct slot_info per slot touched */
	struct kinds k;
	struct reuse r;
};

/*
 * A folio counts when its first page and the 2^order - 1 after it come
 * one after the other, in slot order; one cut short counts in folio_cut.
 */
static void folio_store(struct info *in, const struct swt_event *ev)
{
	if (in->f_left && (!ev->folio_cont || ev->index != in->f_next)) {
		in->folio_cut++;
		in->f_left = 0;
	}
	if (ev->folio_order && !ev->folio_cont) {
		in->f_order = ev->folio_order;
		in->f_left = (1u << ev->folio_order) - 1;
		in->f_next = ev->index + 1;
		return;
	}
	if (!in->f_left)
		return;
	in->f_next++;
	if (--in->f_left)
		return;
	in->folios[in->f_order]++;
	in->folio_pages += 1u << in->f_order;
}

static bool same_filled(const void *page, size_t size, bool *zero)
{
	const uint64_t *w = page;
	size_t i;

	for (i = 1; i < size / 8; i++)
		if (w[i] != w[0])
			return false;
	*zero = w[0] == 0;
	return true;
}

/* the slot_info of @index, counted as used; Return: NULL: out of memory */
static struct slot_info *mark_slot(struct info *in, uint32_t index)
{
	struct slot_info *e = slotmap_get(&in->slots, index);

	if (!e)
		return NULL;
	if (!e->seen) {
		e->seen = 1;
		in->slots_used++;
	}
	if (index > in->max_index)
		in->max_index = index;
	return e;
}

static double entropy_bits(const uint8_t *p, size_t n)
{
	uint32_t h[256] = { 0 };
	double e = 0, q;
	size_t i;

	for (i = 0; i < n; i++)
		h[p[i]]++;
	for (i = 0; i < 256; i++) {
		if (!h[i])
			continue;
		q = (double)h[i] / n;
		e -= q * log2(q);
	}
	return e;
}

/* lz4 from the codec registry: the kernel's if built, else liblz4 */
static int kinds_init(struct kinds *k, uint32_t page_size)
{
	static const char *const names[] = { "lz4", "liblz4" };
	char err[256];
	size_t i;

	if (page_size != PAGE_SIZE)
		return 0;	/* codecs work on PAGE_SIZE pages only */
	for (i = 0; i < 2 && !k->lz4; i++) {
		if (sl_codec_parse(names[i], &k->lz4, &k->params, err,
				   sizeof(err)))
			continue;
		if (k->lz4->create_ctx(&k->params, &k->ctx)) {
			sl_codec_params_free(&k->params);
			k->lz4 = NULL;
			continue;
		}
		k->lz4_name = names[i];
	}
	if (k->lz4) {
		k->dst = malloc(SL_CODEC_DST_SIZE);
		if (!k->dst)
			return -1;
	}
	return 0;
}

static void kinds_free(struct kinds *k)
{
	if (k->lz4) {
		k->lz4->destroy_ctx(k->ctx);
		sl_codec_params_free(&k->params);
	}
	free(k->dst);
	free(k->page);
}

static int kinds_store(struct kinds *k, const struct swt_event *ev,
		       uint32_t page_size)
{
	uint8_t f;
	size_t len;
	bool zero, dup;
	int e;

	if (ev->page_id >= k->npage) {
		uint64_t n = k->npage ? k->npage : 4096;
		uint8_t *p;

		while (n <= ev->page_id)
			n *= 2;
		p = realloc(k->page, n);
		if (!p)
			return -1;
		memset(p + k->npage, 0, n - k->npage);
		k->page = p;
		k->npage = n;
	}
	f = k->page[ev->page_id];
	dup = f & PK_KNOWN;
	if (!dup) {
		f = PK_KNOWN;
		if (same_filled(ev->page, page_size, &zero))
			f |= zero ? PK_ZERO : PK_SAME;
		e = (int)entropy_bits(ev->page, page_size);
		f |= e > 7 ? 7 : e;
		if (k->lz4 && !(f & (PK_ZERO | PK_SAME))) {
			e = k->lz4->compress(k->ctx, ev->page, k->dst,
					     SL_CODEC_DST_SIZE, &len);
			if (e == -ENOSPC || (!e && len >= (uint64_t)RAW_AT_4K *
					     page_size / 4096))
				f |= PK_RAW;
		}
		k->page[ev->page_id] = f;
	}
	k->entropy[f & PK_ENTROPY]++;
	if (f & PK_ZERO)
		k->count[KIND_ZERO]++;
	else if (f & PK_SAME)
		k->count[KIND_SAME]++;
	else if (dup)
		k->count[KIND_DUP]++;
	else if (f & PK_RAW)
		k->count[KIND_RAW]++;
	else
		k->count[KIND_OTHER]++;
	return 0;
}

static void bit_add(struct reuse *r, uint64_t i, int v)
{
	for (; i <= r->cap; i += i & -i)
		r->bit[i] += v;
}

static uint64_t bit_sum(const struct reuse *r, uint64_t i)
{
	uint64_t s = 0;

	for (; i; i -= i & -i)
		s += r->bit[i];
	return s;
}

/* make room for time @t: double the tree and rebuild it from the marks */
static int reuse_grow(struct reuse *r, uint64_t t)
{
	uint64_t n = r->cap ? r->cap : 65536, i;
	uint32_t *bit;
	uint8_t *mark;

	while (n < t)
		n *= 2;
	bit = calloc(n + 1, sizeof(*bit));
	mark = realloc(r->mark, n + 1);
	if (!bit || !mark) {
		free(bit);
		if (mark)
			r->mark = mark;
		return -1;
	}
	memset(mark + (r->cap ? r->cap + 1 : 0), 0,
	       n + 1 - (r->cap ? r->cap + 1 : 0));
	free(r->bit);
	r->bit = bit;
	r->mark = mark;
	r->cap = n;
	for (i = 1; i <= n; i++)
		if (mark[i])
			bit_add(r, i, 1);
	return 0;
}

/*
 * One access to @slot at the next time step.  A load's distance is the
 * number of slots whose latest access falls after this slot's latest one.
 * @free: the slot's page is gone; its next load would be cold.
 */
static int reuse_access(struct reuse *r, struct slot_info *slot, bool load,
			bool free)
{
	uint64_t t = ++r->now, prev;

	if (t > r->cap && reuse_grow(r, t))
		return -1;
	prev = slot->last;
	if (load) {
		if (!prev) {
			r->cold++;
		} else {
			if (r->ndist == r->dist_cap) {
				uint64_t n = r->dist_cap ? 2 * r->dist_cap : 4096;
				uint32_t *d = realloc(r->dist, n * sizeof(*d));

				if (!d)
					return -1;
				r->dist = d;
				r->dist_cap = n;
			}
			r->dist[r->ndist++] = bit_sum(r, t) - bit_sum(r, prev);
		}
	}
	if (prev) {
		bit_add(r, prev, -1);
		r->mark[prev] = 0;
	}
	if (free) {
		slot->last = 0;
		return 0;
	}
	bit_add(r, t, 1);
	r->mark[t] = 1;
	slot->last = t;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double pct_u32(const uint32_t *v, uint64_t n, double q)
{
	uint64_t i;

	if (!n)
		return 0;
	i = (uint64_t)ceil(q * n);
	return v[i ? i - 1 : 0];
}

static void reuse_free(struct reuse *r)
{
	free(r->bit);
	free(r->mark);
	free(r->dist);
}

/* slot @index now holds a page (@on) or not; counts the live peak */
static void set_live(struct info *in, struct slot_info *e, bool on)
{
	if (on && !e->live) {
		e->live = 1;
		if (++in->k.live > in->k.peak_live)
			in->k.peak_live = in->k.live;
	} else if (!on && e->live) {
		e->live = 0;
		in->k.live--;
	}
}

/* the page-kind, entropy, working-set and reuse keys of --json */
static json_t *extra_json(const struct info *in, const struct swt_header *h)
{
	json_t *o = json_object(), *kinds = json_object();
	json_t *ent = json_array();
	const struct reuse *r = &in->r;
	double sum = 0;
	uint64_t i;
	int k;

	for (i = 0; i < r->ndist; i++)
		sum += r->dist[i];
	if (!(h->flags & SWT_F_NO_CONTENT)) {
		for (k = 0; k < NR_KINDS; k++)
			json_object_set_new(kinds, kind_names[k],
					    json_integer(in->k.count[k]));
		json_object_set_new(kinds, "lz4_codec", in->k.lz4 ?
				    json_string(in->k.lz4_name) : json_null());
		for (k = 0; k < 8; k++)
			json_array_append_new(ent,
					      json_integer(in->k.entropy[k]));
		json_object_set_new(o, "page_kinds", kinds);
		json_object_set_new(o, "entropy_hist_bits_per_byte", ent);
	} else {
		json_decref(kinds);
		json_decref(ent);
	}
	if (h->flags & SWT_F_HAS_CPU) {
		json_t *cpus = json_object();
		char key[16];

		for (k = 0; k <= INFO_CPUS; k++) {
			if (!in->cpu_events[k])
				continue;
			snprintf(key, sizeof(key), k < INFO_CPUS ? "%d" : "%d+",
				 k);
			json_object_set_new(cpus, key,
					    json_integer(in->cpu_events[k]));
		}
		json_object_set_new(o, "cpu_events", cpus);
	}
	json_object_set_new(o, "working_set", json_pack("{s:I, s:I}",
		"peak_live_slots", (json_int_t)in->k.peak_live,
		"live_slots_at_end", (json_int_t)in->k.live));
	json_object_set_new(o, "reuse_distance", json_pack(
		"{s:I, s:I, s:f, s:f, s:f, s:f, s:f}",
		"warm_loads", (json_int_t)r->ndist,
		"cold_loads", (json_int_t)r->cold,
		"mean", r->ndist ? sum / r->ndist : 0.0,
		"p50", pct_u32(r->dist, r->ndist, 0.5),
		"p90", pct_u32(r->dist, r->ndist, 0.9),
		"p99", pct_u32(r->dist, r->ndist, 0.99),
		"max", r->ndist ? (double)r->dist[r->ndist - 1] : 0.0));
	return o;
}

static void print_extra(const struct info *in, const struct swt_header *h)
{
	static const char *const labels[NR_KINDS] = {
		"zero", "same-filled", "duplicate", "incompressible", "other",
	};
	const struct reuse *r = &in->r;
	uint64_t stores = in->ev[SWT_STORE], max = 0;
	uint64_t ops = in->ev[0] - in->ev[SWT_MARK];
	char b1[32];
	int k, j, w;

	/* --threads splits by these unless there are fewer than threads */
	if (h->flags & SWT_F_HAS_CPU && ops) {
		for (k = 0, j = 0; k <= INFO_CPUS; k++)
			j += !!in->cpu_events[k];
		printf("cpus:         %d:", j);
		for (k = 0, w = 0; k <= INFO_CPUS && w < 8; k++) {
			if (!in->cpu_events[k])
				continue;
			printf("%s cpu%d%s %.1f%%", w++ ? "," : "", k,
			       k == INFO_CPUS ? "+" : "",
			       100.0 * in->cpu_events[k] / ops);
		}
		printf("%s (of events)\n", j > 8 ? ", ..." : "");
	}
	if (!(h->flags & SWT_F_NO_CONTENT) && stores) {
		printf("page kinds:   ");
		for (k = 0; k < NR_KINDS; k++)
			printf("%s%s %.1f%%", !k ? "" : k == 3 ?
			       ",\n              " : ", ", labels[k],
			       100.0 * in->k.count[k] / stores);
		printf("\n              (of stores; duplicate: same content as an earlier store;\n"
		       "              incompressible: %s output >= %u B, kept raw by zram)\n",
		       in->k.lz4 ? in->k.lz4_name : "lz4 (not available)",
		       RAW_AT_4K * h->page_size / 4096);
		printf("entropy:      bits per byte of stored pages\n");
		for (k = 0; k < 8; k++)
			if (in->k.entropy[k] > max)
				max = in->k.entropy[k];
		for (k = 0; k < 8; k++) {
			w = max ? (int)(40.0 * in->k.entropy[k] / max + 0.5) : 0;
			printf("  %d-%d  %5.1f%%  ", k, k + 1,
			       100.0 * in->k.entropy[k] / stores);
			for (j = 0; j < w; j++)
				putchar('#');
			putchar('\n');
		}
	}
	printf("working set:  peak %llu live slots (%s), %llu live at the end\n",
	       (unsigned long long)in->k.peak_live,
	       sl_fmt_bytes(b1, sizeof(b1),
			    (double)in->k.peak_live * h->page_size),
	       (unsigned long long)in->k.live);
	printf("reuse distance of loads (distinct slots since the slot's last access):\n");
	if (r->ndist)
		printf("              p50 %.0f, p90 %.0f, p99 %.0f, max %u; %llu loads, %llu cold\n",
		       pct_u32(r->dist, r->ndist, 0.5),
		       pct_u32(r->dist, r->ndist, 0.9),
		       pct_u32(r->dist, r->ndist, 0.99),
		       r->dist[r->ndist - 1],
		       (unsigned long long)(r->ndist + r->cold),
		       (unsigned long long)r->cold);
	else
		printf("              no warm loads; %llu cold\n",
		       (unsigned long long)r->cold);
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info in = { 0 };
	const struct swt_header *h;
	struct swt_reader *r;
	struct swt_event ev;
	struct slot_info *slot;
	bool json = false, zero;
	char err[512], b1[32];
	struct sl_seen seen = { 0 };
	const char *mem_arg = NULL;
	uint64_t unique, fsize;
	int c, k, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'M':
			mem_arg = optarg;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "h");
		}
	}
	if (argc - optind != 1)
		return sl_usage_err("one trace file expected");
	if (sl_max_memory(mem_arg))
		return EXIT_TROUBLE;
	/* every u32 index: an 8 MiB directory, touched where slots are */
	if (slotmap_init(&in.slots, 1ULL << 32, sizeof(struct slot_info), 0))
		return sl_err("out of memory");
	r = swt_reader_open(argv[optind], 0, err, sizeof(err));
	if (!r) {
		slotmap_free(&in.slots);
		return sl_err("%s", err);
	}
	h = swt_reader_header(r);
	if (!(h->flags & SWT_F_NO_CONTENT) && kinds_init(&in.k, h->page_size)) {
		ret = sl_err("out of memory");
		goto out;
	}
	while ((ret = swt_next(r, &ev)) == 1) {
		if (!in.ev[0]++)
			in.first_ts = ev.ts_ns;
		in.last_ts = ev.ts_ns;
		in.ev[ev.op]++;
		if (ev.op == SWT_MARK)
			continue;
		if (ev.op == SWT_STORE)
			folio_store(&in, &ev);
		if (ev.cpu >= 0)
			in.cpu_events[ev.cpu < INFO_CPUS ? ev.cpu : INFO_CPUS]++;
		slot = mark_slot(&in, ev.index);
		if (!slot ||
		    reuse_access(&in.r, slot, ev.op == SWT_LOAD,
				 ev.op == SWT_FREE) ||
		    (ev.op == SWT_STORE && ev.page &&
		     kinds_store(&in.k, &ev, h->page_size))) {
			ret = sl_err("out of memory");
			goto out;
		}
		if (ev.op != SWT_LOAD)
			set_live(&in, slot, ev.op == SWT_STORE);
		if (ev.op == SWT_STORE && ev.page &&
		    same_filled(ev.page, h->page_size, &zero)) {
			in.same_stores++;
			in.zero_stores += zero;
		}
	}
	if (ret < 0) {
		ret = sl_err("%s: %s", argv[optind], swt_reader_error(r));
		goto out;
	}
	if (in.f_left)
		in.folio_cut++;
	if (in.r.ndist)	/* qsort(NULL, 0) is undefined */
		qsort(in.r.dist, in.r.ndist, sizeof(*in.r.dist), cmp_u32);
	unique = swt_reader_pages_seen(r);
	fsize = swt_reader_file_size(r);
	if (json) {
		json_t *o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:b,"
				      " s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
				      " s:I, s:I, s:I, s:I, s:f}",
			"trace", argv[optind], "version", h->version,
			"page_size", h->page_size, "source", h->source,
			"host", h->host, "kernel", h->kernel,
			"description", h->description,
			"synthetic", !!(h->flags & SWT_F_SYNTHETIC),
			"has_content", !(h->flags & SWT_F_NO_CONTENT),
			"events", (json_int_t)in.ev[0],
			"stores", (json_int_t)in.ev[SWT_STORE],
			"loads", (json_int_t)in.ev[SWT_LOAD],
			"frees", (json_int_t)in.ev[SWT_FREE],
			"marks", (json_int_t)in.ev[SWT_MARK],
			"unique_pages", (json_int_t)unique,
			"same_filled_stores", (json_int_t)in.same_stores,
			"zero_stores", (json_int_t)in.zero_stores,
			"slots_used", (json_int_t)in.slots_used,
			"max_index", (json_int_t)in.max_index,
			"file_size", (json_int_t)fsize,
			"bytes_per_store", in.ev[SWT_STORE] ?
			(double)fsize / in.ev[SWT_STORE] : 0.0);

		if (o && (h->flags & SWT_F_HAS_FOLIO)) {
			json_t *f = json_object();
			char key[8];

			for (k = 1; f && k <= SWT_FOLIO_ORDER_MAX; k++) {
				snprintf(key, sizeof(key), "%d", k);
				if (in.folios[k] &&
				    json_object_set_new(f, key,
					json_integer(in.folios[k])))
					f = (json_decref(f), NULL);
			}
			if (!f || json_object_set_new(o, "folios", f) ||
			    json_object_set_new(o, "folio_pages",
				json_integer(in.folio_pages)) ||
			    json_object_set_new(o, "folios_cut",
				json_integer(in.folio_cut)))
				o = (json_decref(o), NULL);
		}
		if (o && json_object_update_new(o, extra_json(&in, h)))
			o = (json_decref(o), NULL);
		if (!o || json_dumpf(o, stdout, JSON_INDENT(2)) ||
		    putchar('\n') == EOF)
			ret = sl_err("cannot write JSON");
		else
			ret = EXIT_YES;
		json_decref(o);
		goto out;
	}
	printf("trace:        %s (format v%u, %u-byte pages)\n", argv[optind],
	       h->version, h->page_size);
	printf("source:       %s%s\n", h->source,
	       h->flags & SWT_F_SYNTHETIC ? " (synthetic)" : "");
	printf("host:         %s\nkernel:       %s\n", h->host, h->kernel);
	if (h->description[0])
		printf("description:  %s\n", h->description);
	printf("events:       %llu: %llu store, %llu load, %llu free, %llu mark\n",
	       (unsigned long long)in.ev[0],
	       (unsigned long long)in.ev[SWT_STORE],
	       (unsigned long long)in.ev[SWT_LOAD],
	       (unsigned long long)in.ev[SWT_FREE],
	       (unsigned long long)in.ev[SWT_MARK]);
	if (h->flags & SWT_F_NO_CONTENT) {
		printf("contents:     none (access pattern only)\n");
	} else {
		printf("unique pages: %llu (%.1f%% of stores)\n",
		       (unsigned long long)unique, in.ev[SWT_STORE] ?
		       100.0 * unique / in.ev[SWT_STORE] : 0.0);
		printf("same-filled:  %llu stores (%.1f%%), %llu of them zero\n",
		       (unsigned long long)in.same_stores, in.ev[SWT_STORE] ?
		       100.0 * in.same_stores / in.ev[SWT_STORE] : 0.0,
		       (unsigned long long)in.zero_stores);
	}
	if (h->flags & SWT_F_HAS_FOLIO) {
		uint64_t nf = 0;

		printf("folios:      ");
		for (k = 1; k <= SWT_FOLIO_ORDER_MAX; k++)
			if (in.folios[k]) {
				printf("%s %llu of order %d (%u KiB)",
				       nf ? "," : "",
				       (unsigned long long)in.folios[k], k,
				       4u << k);
				nf += in.folios[k];
			}
		printf("%s: %llu pages (%.1f%% of stores); %llu cut short\n",
		       nf ? "" : " none", (unsigned long long)in.folio_pages,
		       in.ev[SWT_STORE] ?
		       100.0 * in.folio_pages / in.ev[SWT_STORE] : 0.0,
		       (unsigned long long)in.folio_cut);
	}
	printf("slots:        %llu used, highest index %llu\n",
	       (unsigned long long)in.slots_used,
	       (unsigned long long)in.max_index);
	printf("duration:     %.3f s\n", (in.last_ts - in.first_ts) / 1e9);
	printf("file size:    %s, %.0f bytes per stored page\n",
	       sl_fmt_bytes(b1, sizeof(b1), fsize), in.ev[SWT_STORE] ?
	       (double)fsize / in.ev[SWT_STORE] : 0.0);
	print_extra(&in, h);
	ret = EXIT_YES;
out:
	swt_reader_close(r);
	slotmap_free(&in.slots);
	kinds_free(&in.k);
	reuse_free(&in.r);
	return ret;
}
