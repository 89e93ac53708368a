/*
 * sweep_manifest.h - the job list a sweep leaves in its output directory
 * (DIR/sweep.manifest, JSON, not *.json so that it is never read as a
 * results file): {"plan": PATH, "name": NAME, "jobs": [{"hash": H,
 * "label": "trace x codec x ..."}, ...]}.  merge reads it to name the
 * jobs that have no results.
 */
#ifndef SL_SWEEP_MANIFEST_H
#define SL_SWEEP_MANIFEST_H

#include <jansson.h>

#define SWEEP_MANIFEST	"sweep.manifest"

/* @dir's manifest, or NULL when there is none (or it is unreadable) */
json_t *sweep_manifest_load(const char *dir);

#endif /* SL_SWEEP_MANIFEST_H */
