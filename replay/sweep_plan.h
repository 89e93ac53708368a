/*
 * sweep_plan.h - a sweep plan (JSON, docs/sweep.md) and its job list: the
 * cartesian product of traces x axis values, minus exclusions.
 *
 * Guarantees:
 *  - a loaded plan is valid: every trace exists, every axis is one
 *    `swaplab replay` has a flag for, every value and fixed option is
 *    accepted by replay's own option parser, and there are 1 to
 *    SWEEP_MAX_JOBS jobs;
 *  - the job order and each job's hash depend only on the plan's content
 *    (traces as written, relative to the plan's directory; axes in a fixed
 *    order), not on the plan's path nor on the JSON key order, so a job
 *    keeps its name across runs, machines and added axis values.
 */
#ifndef SL_SWEEP_PLAN_H
#define SL_SWEEP_PLAN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "format/trace_hash.h"

#define SWEEP_MAX_JOBS	1000000
#define SWEEP_MAX_AXES	16
#define SWEEP_HASH_LEN	17		/* 16 hex digits + NUL */
/* the most replay arguments a job can need */
#define SWEEP_MAX_ARGS	(8 + 2 * SWEEP_MAX_AXES + 2 * 32)

struct sweep_axis {
	const char *name;		/* "codec" */
	const char *flag;		/* "--codec" */
	char **vals;
	int nvals;
};

struct sweep_plan {
	char *name;			/* "name", else the file's base name */
	char *output;			/* "output" or NULL */
	char *dir;			/* the plan's directory, absolute */
	int ntraces;
	char **traces;			/* relative to @dir as written */
	char **trace_paths;		/* absolute */
	char (*trace_hash)[SL_TRACE_HASH_LEN];	/* sweep_hash_traces() */
	int naxes;
	struct sweep_axis axes[SWEEP_MAX_AXES];
	int nopts;
	char **opt_keys, **opt_flags, **opt_vals;	/* sorted by key */
	json_t *exclude;
	size_t njobs;
	uint32_t *jobs;			/* per job: trace, then a value per axis */
	char (*hash)[SWEEP_HASH_LEN];
};

/**
 * sweep_plan_load() - read, validate and expand the plan at @path.
 * Return: 0, or -1 with one line naming the problem in @err.
 */
int sweep_plan_load(struct sweep_plan *p, const char *path, char *err,
		    size_t errlen);
void sweep_plan_free(struct sweep_plan *p);

/* fill p->trace_hash; Return: 0, or -1 with @err filled */
int sweep_hash_traces(struct sweep_plan *p, char *err, size_t errlen);

/* job @j's row: [0] trace index, [1 + a] value index of axis a */
static inline const uint32_t *sweep_job(const struct sweep_plan *p, size_t j)
{
	return p->jobs + j * (1 + p->naxes);
}

/* "trace x codec x alloc x ..." */
void sweep_job_label(const struct sweep_plan *p, size_t j, char *buf,
		     size_t len);

/* {"trace": ..., axis: value, ...}, options included */
json_t *sweep_job_config(const struct sweep_plan *p, size_t j);

/**
 * sweep_job_argv() - the `swaplab replay` argv of job @j writing @output;
 * the strings belong to @p (and @output).
 * Return: argc
 */
int sweep_job_argv(const struct sweep_plan *p, size_t j, const char *output,
		   char *argv[SWEEP_MAX_ARGS]);

#endif /* SL_SWEEP_PLAN_H */
