/*
 * replay_opts.h - the options `replay` and `bench` share: traces, codec
 * and allocator lists (with 'all'/'libs' expanded), store settings.
 */
#ifndef SL_REPLAY_OPTS_H
#define SL_REPLAY_OPTS_H

#include "engine.h"
#include "frontend.h"

#define MAX_LIST	64

struct replay_opts {
	char *traces[MAX_LIST];
	int ntraces;
	char *codecs[MAX_LIST];
	int ncodecs;
	char *allocs[MAX_LIST];
	int nallocs;
	const char *output;
	bool quiet;
	bool same_filled;
	uint32_t huge_threshold;
	uint64_t mem_limit;
	enum compact_mode compact;
	uint64_t compact_every;
	uint64_t timeline_every;
	uint64_t corrupt_after;
	unsigned int repeat;		/* runs per combination, >= 1 */
	bool dedup;
	const char *backing;
	unsigned int writeback;
	uint64_t idle_after;
	bool idle_in_ns;
	char *recomp[MAX_RECOMP_SPECS];
	int nrecomp;
	unsigned int recompress_type;
	unsigned int threads;
	bool split_by_slot;
	bool split_given;
	const char *target;
	struct frontend_opts fe;
};

/**
 * replay_opts_parse() - parse argv and validate every codec and allocator
 * spec up front, so a typo fails before hours of replay.
 * Return: -1 to go on; otherwise the exit code to return (help printed,
 * or a usage error reported).
 */
int replay_opts_parse(struct replay_opts *o, int argc, char **argv,
		      const char *usage);
void replay_opts_cfg(const struct replay_opts *o, struct replay_cfg *cfg);
void replay_opts_free(struct replay_opts *o);

/*
 * replay_kernel_alloc() - the zsmalloc spec that models the running
 * kernel: its rules changed in 6.3 (chains) and 6.6 (fullness groups).
 */
const char *replay_kernel_alloc(void);

#endif /* SL_REPLAY_OPTS_H */
