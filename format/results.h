/*
 * results.h - the results file (JSON): one object per run under "runs".
 * Field names are fixed by DESIGN.md and issue 2; later versions add
 * fields and never rename one.  Files are written atomically.
 */
#ifndef SL_RESULTS_H
#define SL_RESULTS_H

#include <jansson.h>

/* a new document {"swaplab_version": ..., "runs": []}; NULL on ENOMEM */
json_t *sl_results_new(const char *version);

/* append @run (reference stolen); Return: 0 or -1 */
int sl_results_add(json_t *doc, json_t *run);

/**
 * sl_results_write() - write @doc to @path through a temp file + rename.
 * Return: 0, or -1 with errno set; nothing is left under @path on error.
 */
int sl_results_write(const json_t *doc, const char *path);

/**
 * sl_results_load() - read and validate a results file: an object with a
 * "runs" array of objects, each with string "trace", "codec", "alloc".
 * A directory reads as its results files merged: sl_merge_add() rules,
 * so runs of one configuration that disagree make it fail.
 * Return: the document, or NULL with @err filled.
 */
json_t *sl_results_load(const char *path, char *err, size_t errlen);

/**
 * sl_results_repeat_entry() - the noisy figures of @run (throughput and
 * latency percentiles), as one entry of a run's "repeats" array.
 * Return: a new object, or NULL on ENOMEM.
 */
json_t *sl_results_repeat_entry(const json_t *run);

/* number field of @run at "a.b.c"-style @path; NaN when absent */
double sl_results_num(const json_t *run, const char *path);
/* string field; "" when absent */
const char *sl_results_str(const json_t *run, const char *key);

#endif /* SL_RESULTS_H */
