/*
 * cmd_info.c - `swaplab info`: what a trace holds, read in one pass.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/swt.h"

static const char info_usage[] =
"usage: swaplab info TRACE.swt [--json]\n"
"\n"
"Print the trace header, events by type, unique and same-filled pages,\n"
"the slot range and the file's size per stored page.\n";

struct info {
	uint64_t ev[5];
	uint64_t same_stores, zero_stores, max_index, slots_used;
	uint64_t first_ts, last_ts;
	uint8_t *seen;		/* bitmap of slots touched */
	uint64_t seen_bits;
};

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

static int mark_slot(struct info *in, uint32_t index)
{
	if (index >= in->seen_bits) {
		uint64_t n = in->seen_bits ? in->seen_bits : 1024;
		uint8_t *p;

		while (n <= index)
			n *= 2;
		p = realloc(in->seen, n / 8);
		if (!p)
			return -1;
		memset(p + in->seen_bits / 8, 0, (n - in->seen_bits) / 8);
		in->seen = p;
		in->seen_bits = n;
	}
	if (!(in->seen[index / 8] & (1u << (index % 8)))) {
		in->seen[index / 8] |= 1u << (index % 8);
		in->slots_used++;
	}
	if (index > in->max_index)
		in->max_index = index;
	return 0;
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info in = { 0 };
	const struct swt_header *h;
	struct swt_reader *r;
	struct swt_event ev;
	bool json = false, zero;
	char err[512], b1[32];
	uint64_t unique, fsize;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(info_usage, stdout);
			return EXIT_YES;
		default:
			return sl_usage_err("bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return sl_usage_err("one trace file expected");
	r = swt_reader_open(argv[optind], 0, err, sizeof(err));
	if (!r)
		return sl_err("%s", err);
	h = swt_reader_header(r);
	while ((ret = swt_next(r, &ev)) == 1) {
		if (!in.ev[0]++)
			in.first_ts = ev.ts_ns;
		in.last_ts = ev.ts_ns;
		in.ev[ev.op]++;
		if (ev.op != SWT_MARK && mark_slot(&in, ev.index)) {
			swt_reader_close(r);
			free(in.seen);
			return sl_err("out of memory");
		}
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
	printf("slots:        %llu used, highest index %llu\n",
	       (unsigned long long)in.slots_used,
	       (unsigned long long)in.max_index);
	printf("duration:     %.3f s\n", (in.last_ts - in.first_ts) / 1e9);
	printf("file size:    %s, %.0f bytes per stored page\n",
	       sl_fmt_bytes(b1, sizeof(b1), fsize), in.ev[SWT_STORE] ?
	       (double)fsize / in.ev[SWT_STORE] : 0.0);
	ret = EXIT_YES;
out:
	swt_reader_close(r);
	free(in.seen);
	return ret;
}
