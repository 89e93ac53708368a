/*
 * sweep_manifest.c - see sweep_manifest.h.
 */
#include <stdio.h>

#include "sweep_manifest.h"

json_t *sweep_manifest_load(const char *dir)
{
	char path[4096];
	json_t *m;

	if (snprintf(path, sizeof(path), "%s/%s", dir, SWEEP_MANIFEST) >=
	    (int)sizeof(path))
		return NULL;
	m = json_load_file(path, 0, NULL);
	if (m && !json_is_array(json_object_get(m, "jobs"))) {
		json_decref(m);
		return NULL;
	}
	return m;
}
