/*
 * results_merge.h - many results files into one, refusing to mix runs
 * that claim the same configuration but disagree.
 *
 * A run's configuration is its sweep job's configuration hash when it
 * has one; otherwise its trace path, codec, allocator, settings object
 * (less what the replay derives from the trace: nr_slots, and the
 * idle_after and timeline_every defaults) and front end/kernel/target
 * fields when present.  Two runs of one configuration are
 *  - the same run when their trace content hashes and sizes agree: the
 *    second is dropped (a results file merged twice, a resumed job);
 *  - refused otherwise: different trace content under one path, or sizes
 *    that differ, are never averaged nor silently kept side by side.
 * Every kept run keeps its provenance fields (trace_hash,
 * swaplab_version, codec_source, host, sweep) untouched.
 */
#ifndef SL_RESULTS_MERGE_H
#define SL_RESULTS_MERGE_H

#include <jansson.h>
#include <stddef.h>

struct sl_merge {
	json_t *doc;		/* the merged results document */
	json_t *index;		/* configuration key -> run */
	json_t *origin;		/* configuration key -> file name */
	size_t dropped;		/* duplicates of a kept run */
};

/* Return: 0, or -1 on ENOMEM */
int sl_merge_init(struct sl_merge *m, const char *version);
void sl_merge_free(struct sl_merge *m);

/**
 * sl_merge_add() - add every run of @doc, read from @name.
 * Return: 0; -1 with @err naming both files and the configuration when a
 * run disagrees with one of the same configuration already added.
 */
int sl_merge_add(struct sl_merge *m, const json_t *doc, const char *name,
		 char *err, size_t errlen);

/**
 * sl_results_dir_files() - the results files of directory @dir: its
 * "*.json" entries not starting with '.', sorted by name.
 * Return: their count (paths in *@files, free with sl_free_files()), or
 * -1 with @err filled.
 */
int sl_results_dir_files(const char *dir, char ***files, char *err,
			 size_t errlen);
void sl_free_files(char **files, int n);

#endif /* SL_RESULTS_MERGE_H */
