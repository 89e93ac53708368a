/*
 * results_merge.c - see results_merge.h.
 */
#define _GNU_SOURCE	/* asprintf */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "results_merge.h"

/* fields that name what a run measured; the sizes follow from them */
static const char *const config_keys[] = { "trace", "codec", "alloc",
	"settings", "frontend", "kernel", "target" };

/* the figures that must agree between two runs of one configuration */
static const char *const size_keys[] = { "pages_stored", "orig_data_size",
	"compr_data_size", "same_pages", "huge_pages", "mem_used_total",
	"mem_used_max" };

static char *config_key(const json_t *run)
{
	const char *sweep = json_string_value(json_object_get(
			json_object_get(run, "sweep"), "config_hash"));
	json_t *k;
	char *s;
	size_t i;

	/* a sweep's job names its whole configuration */
	if (sweep)
		return asprintf(&s, "sweep:%s", sweep) < 0 ? NULL : s;
	k = json_object();
	if (!k)
		return NULL;
	for (i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		json_t *v = json_object_get(run, config_keys[i]);

		if (!v)
			continue;
		/* what follows from the trace rather than the options */
		if (json_is_object(v)) {
			v = json_deep_copy(v);
			json_object_del(v, "nr_slots");
			json_object_del(v, "idle_after");
			json_object_del(v, "timeline_every");
			json_object_set_new(k, config_keys[i], v);
		} else {
			json_object_set(k, config_keys[i], v);
		}
	}
	s = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(k);
	return s;
}

static const char *describe(const json_t *run, char *buf, size_t len)
{
	snprintf(buf, len, "%s x %s x %s", sl_results_str(run, "trace"),
		 sl_results_str(run, "codec"), sl_results_str(run, "alloc"));
	return buf;
}

int sl_merge_init(struct sl_merge *m, const char *version)
{
	memset(m, 0, sizeof(*m));
	m->doc = sl_results_new(version);
	m->index = json_object();
	m->origin = json_object();
	if (!m->doc || !m->index || !m->origin) {
		sl_merge_free(m);
		return -1;
	}
	return 0;
}

void sl_merge_free(struct sl_merge *m)
{
	json_decref(m->doc);
	json_decref(m->index);
	json_decref(m->origin);
	m->doc = m->index = m->origin = NULL;
}

/* with threads the pool's page count depends on the interleaving */
static const char *size_mismatch(const json_t *a, const json_t *b)
{
	bool threads = sl_results_num(a, "settings.threads") > 0;
	size_t i, n = sizeof(size_keys) / sizeof(size_keys[0]);

	for (i = 0; i < (threads ? n - 2 : n); i++) {
		double x = sl_results_num(a, size_keys[i]);
		double y = sl_results_num(b, size_keys[i]);

		if (x != y && !(x != x && y != y))
			return size_keys[i];
	}
	return NULL;
}

int sl_merge_add(struct sl_merge *m, const json_t *doc, const char *name,
		 char *err, size_t errlen)
{
	json_t *runs = json_object_get(m->doc, "runs"), *run, *old;
	char what[512];
	const char *bad;
	size_t i;

	json_array_foreach(json_object_get(doc, "runs"), i, run) {
		char *key = config_key(run);

		if (!key) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		old = json_object_get(m->index, key);
		if (!old) {
			json_object_set(m->index, key, run);
			json_object_set_new(m->origin, key, json_string(name));
			json_array_append(runs, run);
			free(key);
			continue;
		}
		describe(run, what, sizeof(what));
		if (!json_equal(json_object_get(old, "trace_hash"),
				json_object_get(run, "trace_hash")))
			bad = "trace content (trace_hash)";
		else
			bad = size_mismatch(old, run);
		if (bad) {
			snprintf(err, errlen, "%s and %s disagree on %s for %s: refusing to merge",
				 json_string_value(json_object_get(m->origin,
								   key)),
				 name, bad, what);
			free(key);
			return -1;
		}
		m->dropped++;
		free(key);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sl_free_files(char **files, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int sl_results_dir_files(const char *dir, char ***files, char *err,
			 size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL, **nv;
	int n = 0, cap = 0;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len < 6 ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		if (asprintf(&v[n], "%s/%s", dir, e->d_name) < 0)
			goto nomem;
		n++;
	}
	closedir(d);
	if (!n) {
		free(v);
		snprintf(err, errlen, "%s: no results files (*.json) in this directory",
			 dir);
		return -1;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*files = v;
	return n;
nomem:
	closedir(d);
	sl_free_files(v, n);
	snprintf(err, errlen, "out of memory");
	return -1;
}
