/*
 * results.c - see results.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fsync_dir.h"
#include "results.h"
#include "results_merge.h"
#include "tmpfile.h"

json_t *sl_results_new(const char *version)
{
	return json_pack("{s:s, s:[]}", "swaplab_version", version, "runs");
}

int sl_results_add(json_t *doc, json_t *run)
{
	return json_array_append_new(json_object_get(doc, "runs"), run);
}

int sl_results_write(const json_t *doc, const char *path)
{
	struct sl_out o;
	int e = 0;

	if (sl_out_open(&o, path))
		return -1;
	if (json_dumpf(doc, o.f, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) ||
	    fputc('\n', o.f) == EOF) {
		e = errno ? errno : EIO;
		sl_out_abort(&o);
		errno = e;
		return -1;
	}
	return sl_out_commit(&o);
}

/* a directory: every results file in it, merged (results_merge.h) */
static json_t *load_dir(const char *path, char *err, size_t errlen)
{
	struct sl_merge m;
	char **files;
	json_t *doc = NULL, *one;
	int n, i;

	n = sl_results_dir_files(path, &files, err, errlen);
	if (n < 0)
		return NULL;
	if (sl_merge_init(&m, SWAPLAB_VERSION)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		one = sl_results_load(files[i], err, errlen);
		if (!one || sl_merge_add(&m, one, files[i], err, errlen)) {
			json_decref(one);
			goto out;
		}
		json_decref(one);
	}
	doc = json_incref(m.doc);
out:
	sl_merge_free(&m);
	sl_free_files(files, n);
	return doc;
}

json_t *sl_results_load(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc, *runs, *run;
	struct stat st;
	size_t i;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return load_dir(path, err, errlen);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		if (je.line < 0)
			snprintf(err, errlen, "%s: %s", path, je.text);
		else
			snprintf(err, errlen, "%s:%d: not valid JSON: %s", path,
				 je.line, je.text);
		return NULL;
	}
	runs = json_object_get(doc, "runs");
	if (!json_is_object(doc) || !json_is_array(runs)) {
		snprintf(err, errlen, "%s: not a swaplab results file (no \"runs\" array)",
			 path);
		json_decref(doc);
		return NULL;
	}
	json_array_foreach(runs, i, run) {
		if (!json_is_object(run) ||
		    !json_is_string(json_object_get(run, "trace")) ||
		    !json_is_string(json_object_get(run, "codec")) ||
		    !json_is_string(json_object_get(run, "alloc"))) {
			snprintf(err, errlen, "%s: run %zu lacks trace/codec/alloc",
				 path, i);
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}

double sl_results_num(const json_t *run, const char *path)
{
	char key[128];
	const char *p = path, *dot;
	const json_t *v = run;

	while (v && (dot = strchr(p, '.'))) {
		size_t n = dot - p;

		if (n >= sizeof(key))
			return NAN;
		memcpy(key, p, n);
		key[n] = 0;
		v = json_object_get(v, key);
		p = dot + 1;
	}
	v = v ? json_object_get(v, p) : NULL;
	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *sl_results_str(const json_t *run, const char *key)
{
	const char *s = json_string_value(json_object_get(run, key));

	return s ? s : "";
}

json_t *sl_results_repeat_entry(const json_t *run)
{
	static const char *const ops[] = { "compress", "decompress", "store",
					   "load" };
	json_t *lat = json_object();
	const json_t *lr = json_object_get(run, "latency_ns");
	size_t i;

	for (i = 0; i < 4; i++) {
		json_t *h = json_object_get(lr, ops[i]);

		json_object_set_new(lat, ops[i], json_pack(
			"{s:O, s:O, s:O, s:O, s:O}",
			"mean", json_object_get(h, "mean"),
			"p50", json_object_get(h, "p50"),
			"p90", json_object_get(h, "p90"),
			"p99", json_object_get(h, "p99"),
			"p999", json_object_get(h, "p999")));
	}
	return json_pack("{s:O, s:O, s:o}",
			 "ops_per_sec", json_object_get(json_object_get(run,
					"throughput"), "ops_per_sec"),
			 "store_pages_per_sec", json_object_get(
				 json_object_get(run, "throughput"),
				 "store_pages_per_sec"),
			 "latency_ns", lat);
}
