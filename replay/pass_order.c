/*
 * pass_order.c - see pass_order.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "pass_order.h"

/* the ns @ops takes on @pages, or 0 when it cannot be set up */
static double codec_cost(const struct sl_codec_ops *ops,
			 const struct sl_codec_params *params,
			 const uint8_t *pages, unsigned int npages,
			 uint8_t *dst, uint8_t *back)
{
	void *ctx = NULL;
	unsigned int i;
	uint64_t t0;
	size_t len;
	double ns = 0;

	if (ops->create_ctx(params, &ctx))
		return 0;
	/* the first call of a codec warms its tables: not counted */
	if (!ops->compress(ctx, pages, dst, SL_CODEC_DST_SIZE, &len))
		ops->decompress(ctx, dst, len, back);
	for (i = 0; i < npages; i++) {
		t0 = sl_now_ns();
		if (!ops->compress(ctx, pages + (size_t)i * 4096, dst,
				   SL_CODEC_DST_SIZE, &len))
			ops->decompress(ctx, dst, len, back);
		ns += sl_now_ns() - t0;
	}
	ops->destroy_ctx(ctx);
	return ns;
}

void pass_costs(const struct replay_cfg *cfgs, unsigned int n,
		const uint8_t *pages, unsigned int npages, double *cost)
{
	struct sl_codec_params params;
	const struct sl_codec_ops *ops;
	uint8_t *dst = malloc(SL_CODEC_DST_SIZE + 4096);
	unsigned int i, j;
	char err[256];

	for (i = 0; i < n; i++)
		cost[i] = 0;
	if (!dst || !npages) {
		free(dst);
		return;
	}
	for (i = 0; i < n; i++) {
		/* the same codec twice (other allocators) costs the same */
		for (j = 0; j < i; j++)
			if (!strcmp(cfgs[j].codec_spec, cfgs[i].codec_spec))
				break;
		if (j < i) {
			cost[i] = cost[j];
			continue;
		}
		if (sl_codec_parse(cfgs[i].codec_spec, &ops, &params, err,
				   sizeof(err)))
			continue;
		cost[i] = codec_cost(ops, &params, pages, npages, dst,
				     dst + SL_CODEC_DST_SIZE);
		sl_codec_params_free(&params);
	}
	free(dst);
}

unsigned int pass_order(const double *cost, unsigned int n,
			unsigned int per_pass, unsigned int *order,
			unsigned int *sizes)
{
	unsigned int i, j, k, np;

	if (!n || !per_pass)
		return 0;
	/* insertion sort, costliest first: stable, and n is small */
	for (i = 0; i < n; i++) {
		k = i;
		for (j = i; j > 0 && cost[order[j - 1]] < cost[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	np = (n + per_pass - 1) / per_pass;
	for (i = 0; i < np; i++)
		sizes[i] = n / np + (i < n % np);
	return np;
}
