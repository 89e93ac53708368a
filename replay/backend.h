/*
 * backend.h - where a replay run goes.  Each backend is one file and one
 * ops table, as core/ has one per allocator: it replays the trace into
 * its store or device and fills a struct run_result (run_acct.h), which
 * one writer turns into the run's results object.  A backend calls
 * nothing of the engine or of another backend: the per-run accounting,
 * the read-back of live slots and the writer are run_acct.c's.
 */
#ifndef SL_BACKEND_H
#define SL_BACKEND_H

#include <jansson.h>
#include <stdbool.h>

#include "engine.h"

struct replay_backend {
	const char *name;
	/* does @cfg ask for this backend (the first in the list that does) */
	bool (*claims)(const struct replay_cfg *cfg);
	/*
	 * replay @r (rewound first) per @cfg; Return: 0 with *@run set, or
	 * -1 with @err filled (a verify failure is counted, not an error)
	 */
	int (*run)(const struct replay_cfg *cfg, struct swt_reader *r,
		   json_t **run, char *err, size_t errlen);
	/* can the run of @cfg share a decoded pass (NULL: never) */
	bool (*can_share)(const struct replay_cfg *cfg);
};

extern const struct replay_backend sl_backend_chunk;	/* chunk.c */
extern const struct replay_backend sl_backend_zswap;	/* engine_zswap.c */
extern const struct replay_backend sl_backend_swap;	/* target_swap.c */
extern const struct replay_backend sl_backend_device;	/* target.c */
/* engine.c: one stream, passes shared on --jobs (engine_jobs.c), --threads (engine_mt.c) */
extern const struct replay_backend sl_backend_model;

/* the backend that runs @cfg: never NULL (the model takes the rest) */
const struct replay_backend *sl_backend_for(const struct replay_cfg *cfg);

#endif /* SL_BACKEND_H */
