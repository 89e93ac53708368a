/*
 * backend.c - see backend.h.
 */
#include "backend.h"

/* the specific ones first: a --chunk or zswap run never reaches the model */
static const struct replay_backend *const backends[] = {
	&sl_backend_chunk,
	&sl_backend_zswap,
	&sl_backend_swap,
	&sl_backend_device,
	&sl_backend_model,
};

const struct replay_backend *sl_backend_for(const struct replay_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]) - 1; i++)
		if (backends[i]->claims(cfg))
			return backends[i];
	return &sl_backend_model;
}
