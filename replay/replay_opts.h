/*
 * replay_opts.h - the options `replay` and `bench` share: traces, codec
 * and allocator lists (with 'all'/'libs' expanded), store settings.
 */
#ifndef SL_REPLAY_OPTS_H
#define SL_REPLAY_OPTS_H

#include "cli/util.h"
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
	uint64_t wb_limit;		/* --writeback-limit, 4 KiB units */
	bool wb_limit_set;
	uint64_t idle_after;
	bool idle_in_ns;
	char *recomp[MAX_RECOMP_SPECS];
	int nrecomp;
	unsigned int recompress_type;
	unsigned int threads;
	bool split_by_slot;
	bool split_given;
	const char *target;
	int sync_shrink;		/* --zswap-sync-shrink: -1 not given */
	bool force;			/* --force: replace what is not ours */
	const char *chunk;		/* --chunk, checked */
	bool chunk_split;
	bool verify_bytes;		/* --verify bytes */
	uint64_t mem_budget;		/* --mem-budget; 0: half of RAM */
	unsigned int jobs;		/* --jobs; 0: every online cpu */
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
/**
 * replay_opts_check_out() - sl_out_check() of @path as a @kind output
 * against every file these options read: the traces, dict=FILE of the
 * codec and recompress specs, and the --backing file (unless it is @path).
 * Return: 0, or EXIT_TROUBLE after one error line.
 */
int replay_opts_check_out(const struct replay_opts *o, const char *path,
			  enum sl_out_kind kind);
void replay_opts_cfg(const struct replay_opts *o, struct replay_cfg *cfg);
void replay_opts_free(struct replay_opts *o);

/*
 * replay_kernel_alloc() - the zsmalloc spec that models the running
 * kernel: its rules changed in 6.3 (chains) and 6.6 (fullness groups).
 */
const char *replay_kernel_alloc(void);

/* replay_running_kernel() - uname's "6.12" when swaplab models it; NULL */
const char *replay_running_kernel(void);

/**
 * replay_zram_check() - whether @dev can replay @codec for the run kernel:
 * a zram of the running kernel, which must be the run's, offering that
 * codec (Debian's 6.12 builds no lzo, lzo-rle or 842 backend).
 * Return: -1 to go on (also for /dev/swaplabN); EXIT_TROUBLE after one
 * error line.
 */
int replay_zram_check(const char *dev, const char *codec);

/**
 * replay_pick_kernel() - the kernel a run models (sl_codec_set_kernel()).
 * @arg: --kernel's value, or NULL: then the kernel in @trace's header when
 *	swaplab models it ("Linux 6.1.0-56-amd64 ..." -> 6.1), else the
 *	newest.  @trace may be NULL or unreadable (the replay says why later).
 * Return: -1 to go on; EXIT_TROUBLE after one error line naming the
 * kernels that exist.
 */
int replay_pick_kernel(const char *arg, const char *trace);

/*
 * replay_codec_canon() - @spec with a bare kernel codec name made the
 * current kernel's ("zstd:3" -> "zstd@6.12:3"), into @buf.
 * Return: 0; -EINVAL for a name too long; -E2BIG when @len is too small.
 */
int replay_codec_canon(const char *spec, char *buf, size_t len);

/*
 * replay_alloc_canon() - @spec fully expanded, into @buf: zsmalloc names
 * its kernel (@kernel unless given) and chain ("zsmalloc" ->
 * "zsmalloc:kernel=6.12:chain=8"); other allocators as they are.
 * Return: 0; -EINVAL for bad options; -E2BIG when @len is too small.
 */
int replay_alloc_canon(const char *spec, const char *kernel, char *buf,
		       size_t len);

#endif /* SL_REPLAY_OPTS_H */
