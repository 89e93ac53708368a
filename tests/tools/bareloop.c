/*
 * bareloop.c - the codec work of a replay and nothing else, for `make
 * bench-scale`: per codec, compress every STORE's page and decompress
 * every LOAD's slot (its last compressed page), in trace order.  Only the
 * codec calls are timed, so the figure is what a loop over pages already
 * in memory would take; the trace's decoding is left out.  Then, timed
 * apart, what a replay's end-of-run read-back adds to that codec work:
 * decompressing every slot still stored.
 *
 * Usage: bareloop TRACE.swt CODEC...
 * prints "CODEC SECONDS READBACK_SECONDS" per codec
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/user/sl_codecs.h"
#include "format/swt.h"
#include "replay/slotmap.h"

struct blob {
	uint32_t len;
	uint8_t data[];
};

static int one(const char *trace, const char *spec)
{
	const struct sl_codec_ops *ops;
	struct sl_codec_params params = { 0 };
	struct swt_reader *r;
	struct swt_event ev;
	struct slotmap slots;
	struct blob **b;
	char err[512];
	uint8_t *dst, *out;
	uint64_t ns = 0, rb_ns = 0, t0, i;
	size_t len;
	void *ctx;
	int ret;

	if (sl_codec_parse(spec, &ops, &params, err, sizeof(err)) ||
	    ops->create_ctx(&params, &ctx)) {
		fprintf(stderr, "bareloop: %s: %s\n", spec, err);
		return 2;
	}
	r = swt_reader_open(trace, 8 << 20, err, sizeof(err));
	if (!r || slotmap_init(&slots, 1ull << 32, sizeof(*b), 0)) {
		fprintf(stderr, "bareloop: %s\n", err);
		return 2;
	}
	dst = malloc(2 * 4096);
	out = malloc(4096);
	/* a plan pass: the timed pass decodes each chunk once, as replay */
	swt_reader_plan_reuse(r);
	swt_reader_skip_contents(r, true);
	while (swt_next(r, &ev) == 1)
		;
	swt_reader_skip_contents(r, false);
	swt_reader_rewind(r);
	while ((ret = swt_next(r, &ev)) == 1) {
		if (ev.op == SWT_STORE) {
			t0 = sl_now_ns();
			if (ops->compress(ctx, ev.page, dst, 2 * 4096, &len))
				len = 4096;
			ns += sl_now_ns() - t0;
			b = slotmap_get(&slots, ev.index);
			free(*b);
			*b = malloc(sizeof(**b) + len);
			(*b)->len = len;
			memcpy((*b)->data, len < 4096 ? dst : ev.page, len);
		} else if (ev.op == SWT_LOAD) {
			b = slotmap_find(&slots, ev.index);
			if (!b || !*b)
				continue;
			t0 = sl_now_ns();
			if ((*b)->len < 4096)
				ops->decompress(ctx, (*b)->data, (*b)->len,
						out);
			else
				memcpy(out, (*b)->data, 4096);
			ns += sl_now_ns() - t0;
		} else if (ev.op == SWT_FREE) {
			b = slotmap_find(&slots, ev.index);
			if (b) {
				free(*b);
				*b = NULL;
			}
		}
	}
	if (ret < 0) {
		fprintf(stderr, "bareloop: %s\n", swt_reader_error(r));
		return 2;
	}
	for (i = slotmap_next(&slots, 0); i < (1ull << 32);
	     i = slotmap_next(&slots, i + 1)) {
		b = slotmap_find(&slots, i);
		if (*b && (*b)->len < 4096) {
			t0 = sl_now_ns();
			ops->decompress(ctx, (*b)->data, (*b)->len, out);
			rb_ns += sl_now_ns() - t0;
		}
		free(*b);
	}
	printf("%s %.3f %.3f\n", spec, ns / 1e9, rb_ns / 1e9);
	slotmap_free(&slots);
	ops->destroy_ctx(ctx);
	sl_codec_params_free(&params);
	swt_reader_close(r);
	free(dst);
	free(out);
	return 0;
}

int main(int argc, char **argv)
{
	int i, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: bareloop TRACE.swt CODEC...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		ret = one(argv[1], argv[i]);
		if (ret)
			return ret;
	}
	return 0;
}
