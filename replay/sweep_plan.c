/*
 * sweep_plan.c - see sweep_plan.h.
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_alloc.h"
#include "core/user/sl_codecs.h"
#include "replay_opts.h"
#include "sweep_plan.h"

/* the axes, in the order that fixes job order and hashes */
static const struct {
	const char *name, *flag;
} axis_table[] = {
	{ "codec", "--codec" },
	{ "alloc", "--alloc" },
	{ "frontend", "--frontend" },
	{ "kernel", "--kernel" },
	{ "same_filled", "--same-filled" },
	{ "dedup", "--dedup" },
	{ "huge_threshold", "--huge-threshold" },
	{ "compact", "--compact" },
	{ "memlimit", "--memlimit" },
	{ "threads", "--threads" },
	{ "split", "--split" },
	{ "recompress", "--recompress" },
	{ "recompress_type", "--recompress-type" },
};
#define NR_AXES (sizeof(axis_table) / sizeof(axis_table[0]))

/* fixed options a plan may not set: the sweep owns them */
static const char *const owned_opts[] = { "output", "quiet", "help",
	"codec", "alloc", "o" };

static char *flag_of(const char *key)
{
	char *f, *q;

	if (asprintf(&f, "--%s", key) < 0)
		return NULL;
	for (q = f + 2; *q; q++)
		if (*q == '_')
			*q = '-';
	return f;
}

/*
 * run @fn with stdout and stderr going to a temp file, so that replay's
 * own messages can be turned into one line about the plan
 */
static int captured(int (*fn)(int, char **), int argc, char **argv,
		    char *buf, size_t len)
{
	FILE *t = tmpfile();
	int out, errfd, ret;
	size_t n = 0;

	buf[0] = 0;
	if (!t)
		return fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	errfd = dup(2);
	dup2(fileno(t), 1);
	dup2(fileno(t), 2);
	ret = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(errfd, 2);
	close(out);
	close(errfd);
	rewind(t);
	n = fread(buf, 1, len - 1, t);
	buf[n] = 0;
	fclose(t);
	return ret;
}

static int parse_only(int argc, char **argv)
{
	struct replay_opts o;
	int ret = replay_opts_parse(&o, argc, argv, "");

	if (ret < 0) {
		replay_opts_free(&o);
		return 0;
	}
	return ret;
}

/* replay's first message line, without "swaplab replay: " and the hint */
static const char *replay_msg(char *buf)
{
	char *p = buf, *q;

	if (!strncmp(p, "swaplab replay: ", 16))
		p += 16;
	q = strchr(p, '\n');
	if (q)
		*q = 0;
	q = strstr(p, " (see 'swaplab replay --help')");
	if (q)
		*q = 0;
	return p;
}

/* does `swaplab replay` have option @flag in this build? */
static bool replay_has(const char *flag)
{
	static char usage[16384];
	static bool have_usage;
	char *argv[] = { "replay", "--help", NULL };
	const char *hit;
	size_t n = strlen(flag);

	if (!have_usage) {
		const char *saved = sl_cmd_name;

		sl_cmd_name = "replay";
		captured(cmd_replay, 2, argv, usage, sizeof(usage));
		sl_cmd_name = saved;
		have_usage = true;
	}
	for (hit = usage; (hit = strstr(hit, flag)); hit += n)
		if (hit[n] == ' ' || hit[n] == '\n' || hit[n] == ',' ||
		    hit[n] == '=')
			return true;
	return false;
}

/* let replay's parser judge "flag value"; Return: 0 or -1 with @err */
static int check_value(const char *what, const char *flag, const char *val,
		       char *err, size_t errlen)
{
	char *argv[] = { "replay", (char *)flag, (char *)val, "plan.swt",
			 NULL };
	const char *saved = sl_cmd_name;
	char msg[4096];
	int ret;

	sl_cmd_name = "replay";
	ret = captured(parse_only, 4, argv, msg, sizeof(msg));
	sl_cmd_name = saved;
	if (!ret)
		return 0;
	snprintf(err, errlen, "%s '%s': %s", what, val, replay_msg(msg));
	return -1;
}

/* a scalar as the string replay takes: on/off for booleans */
static char *scalar(const json_t *v)
{
	char *s = NULL;

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v) &&
	    asprintf(&s, "%lld", (long long)json_integer_value(v)) < 0)
		return NULL;
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "on" : "off");
	return s;
}

static const char *sl_str_or(const json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "";
}

static int push(char ***v, int *n, char *s)
{
	char **nv;

	if (!s)
		return -1;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(s);
		return -1;
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

/* a codec entry: "spec", or {"name": "zstd", "levels": [1, 3]} */
static int codec_values(struct sweep_axis *a, const json_t *e, char *err,
			size_t errlen)
{
	const json_t *name = json_object_get(e, "name"), *lv, *l;
	size_t i;
	char *s;

	if (!json_is_object(e)) {
		const char *const *grp;

		if (!json_is_string(e)) {
			snprintf(err, errlen, "axis codec: a value is not a codec spec string nor {\"name\", \"levels\"}");
			return -1;
		}
		/* a group is its codecs, one job each */
		grp = sl_codec_group(json_string_value(e));
		for (; grp && *grp; grp++)
			if (push(&a->vals, &a->nvals, strdup(*grp)))
				return -1;
		if (sl_codec_group(json_string_value(e)))
			return 0;
		return push(&a->vals, &a->nvals, scalar(e));
	}
	lv = json_object_get(e, "levels");
	if (!json_is_string(name) || (lv && !json_is_array(lv)) ||
	    json_object_size(e) != 1 + !!lv) {
		snprintf(err, errlen, "axis codec: an object wants \"name\" and optionally \"levels\" only");
		return -1;
	}
	if (!lv || !json_array_size(lv))
		return push(&a->vals, &a->nvals,
			    strdup(json_string_value(name)));
	json_array_foreach(lv, i, l) {
		if (!json_is_integer(l)) {
			snprintf(err, errlen, "axis codec: %s: levels must be integers",
				 json_string_value(name));
			return -1;
		}
		if (asprintf(&s, "%s:%lld", json_string_value(name),
			     (long long)json_integer_value(l)) < 0 ||
		    push(&a->vals, &a->nvals, s))
			return -1;
	}
	return 0;
}

static int load_axes(struct sweep_plan *p, const json_t *axes, char *err,
		     size_t errlen)
{
	const char *key;
	const json_t *vals, *e;
	size_t t, i, k;

	if (!json_is_object(axes)) {
		snprintf(err, errlen, "\"axes\" must be an object of axis: [values]");
		return -1;
	}
	json_object_foreach((json_t *)axes, key, vals) {
		for (t = 0; t < NR_AXES; t++)
			if (!strcmp(key, axis_table[t].name))
				break;
		if (t == NR_AXES) {
			snprintf(err, errlen, "unknown axis '%s' (known: codec, alloc, frontend, kernel, same_filled, dedup, huge_threshold, compact, memlimit, threads, split, recompress, recompress_type)",
				 key);
			return -1;
		}
		if (!json_is_array(vals)) {
			snprintf(err, errlen, "axis %s: want an array of values",
				 key);
			return -1;
		}
	}
	/* in table order, whatever the file's key order */
	for (t = 0; t < NR_AXES; t++) {
		struct sweep_axis *a = &p->axes[p->naxes];

		vals = json_object_get(axes, axis_table[t].name);
		if (!vals)
			continue;
		if (!replay_has(axis_table[t].flag)) {
			snprintf(err, errlen, "axis %s: this swaplab's replay has no %s option",
				 axis_table[t].name, axis_table[t].flag);
			return -1;
		}
		a->name = axis_table[t].name;
		a->flag = axis_table[t].flag;
		p->naxes++;
		json_array_foreach(vals, i, e) {
			if (t == 0) {
				if (codec_values(a, e, err, errlen))
					return -1;
				continue;
			}
			if (t == 1 && !strcmp(sl_str_or(e), "all")) {
				for (k = 0; sl_allocators[k]; k++)
					if (push(&a->vals, &a->nvals,
						 strdup(sl_allocators[k]->name)))
						return -1;
				continue;
			}
			if (json_is_array(e) || json_is_object(e) ||
			    push(&a->vals, &a->nvals, scalar(e))) {
				snprintf(err, errlen, "axis %s: value %zu is not a string, number or boolean",
					 a->name, i + 1);
				return -1;
			}
		}
		for (i = 0; i < (size_t)a->nvals; i++) {
			char what[64];

			for (k = 0; k < i; k++)
				if (!strcmp(a->vals[k], a->vals[i])) {
					snprintf(err, errlen, "axis %s: value '%s' given twice",
						 a->name, a->vals[i]);
					return -1;
				}
			/* one job, one run: a list would hide in one hash */
			if (t < 2 && strchr(a->vals[i], ',')) {
				snprintf(err, errlen, "axis %s: value '%s': one spec per value, not a list",
					 a->name, a->vals[i]);
				return -1;
			}
			snprintf(what, sizeof(what), "axis %s: value", a->name);
			if (check_value(what, a->flag, a->vals[i], err, errlen))
				return -1;
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_options(struct sweep_plan *p, const json_t *opts,
			char *err, size_t errlen)
{
	const char *key;
	const json_t *v;
	char *keys[32];
	int n = 0, i, nk, nf;
	size_t k;

	if (!opts)
		return 0;
	if (!json_is_object(opts) || json_object_size(opts) > 32) {
		snprintf(err, errlen, "\"options\" must be an object of up to 32 replay options");
		return -1;
	}
	json_object_foreach((json_t *)opts, key, v)
		keys[n++] = (char *)key;
	qsort(keys, n, sizeof(keys[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char *flag = flag_of(keys[i]), *val, what[128];

		v = json_object_get(opts, keys[i]);
		for (k = 0; k < sizeof(owned_opts) / sizeof(owned_opts[0]);
		     k++)
			if (!strcmp(keys[i], owned_opts[k]) ||
			    (flag && !strcmp(flag + 2, owned_opts[k])))
				break;
		if (k < sizeof(owned_opts) / sizeof(owned_opts[0])) {
			snprintf(err, errlen, "option '%s' is the sweep's own (codec and alloc are axes)",
				 keys[i]);
			free(flag);
			return -1;
		}
		if (!flag || !replay_has(flag)) {
			snprintf(err, errlen, "option '%s': this swaplab's replay has no %s option",
				 keys[i], flag ? flag : "such");
			free(flag);
			return -1;
		}
		val = scalar(v);
		if (!val) {
			snprintf(err, errlen, "option '%s': value is not a string, number or boolean",
				 keys[i]);
			free(flag);
			return -1;
		}
		nk = nf = p->nopts;
		if (push(&p->opt_keys, &nk, strdup(keys[i])) ||
		    push(&p->opt_flags, &nf, flag) ||
		    push(&p->opt_vals, &p->nopts, val)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		snprintf(what, sizeof(what), "option %s", keys[i]);
		if (check_value(what, flag, val, err, errlen))
			return -1;
	}
	return 0;
}

static int load_traces(struct sweep_plan *p, const json_t *tr, char *err,
		       size_t errlen)
{
	const json_t *e;
	size_t i, k, dl = strlen(p->dir);

	if (!json_is_array(tr) || !json_array_size(tr)) {
		snprintf(err, errlen, "\"traces\" must be a non-empty array of files or globs");
		return -1;
	}
	json_array_foreach(tr, i, e) {
		const char *pat = json_string_value(e);
		char *full;
		glob_t g;
		int r;

		if (!pat || !*pat) {
			snprintf(err, errlen, "traces: entry %zu is not a file name",
				 i + 1);
			return -1;
		}
		if (asprintf(&full, "%s%s%s", pat[0] == '/' ? "" : p->dir,
			     pat[0] == '/' ? "" : "/", pat) < 0)
			return -1;
		r = glob(full, 0, NULL, &g);
		if (r == GLOB_NOMATCH || (!r && !g.gl_pathc)) {
			snprintf(err, errlen, "trace '%s': %s", pat,
				 strpbrk(pat, "*?[") ? "matches no file" :
				 "no such file");
			free(full);
			globfree(&g);
			return -1;
		}
		free(full);
		if (r) {
			snprintf(err, errlen, "trace '%s': cannot read its directory",
				 pat);
			globfree(&g);
			return -1;
		}
		for (k = 0; k < g.gl_pathc; k++) {
			const char *path = g.gl_pathv[k];
			const char *rel = path;
			int d;

			if (!strncmp(path, p->dir, dl) && path[dl] == '/')
				rel = path + dl + 1;
			if (access(path, R_OK)) {
				snprintf(err, errlen, "trace '%s': %s", rel,
					 strerror(errno));
				globfree(&g);
				return -1;
			}
			for (d = 0; d < p->ntraces; d++)
				if (!strcmp(p->traces[d], rel))
					break;
			if (d < p->ntraces)
				continue;	/* two patterns, one file */
			d = p->ntraces;
			if (push(&p->traces, &d, strdup(rel)) ||
			    push(&p->trace_paths, &p->ntraces, strdup(path))) {
				snprintf(err, errlen, "out of memory");
				globfree(&g);
				return -1;
			}
		}
		globfree(&g);
	}
	return 0;
}

static bool value_matches(const json_t *want, const char *have,
			  bool is_trace)
{
	const json_t *w;
	size_t i;
	char *s;
	bool hit;

	if (json_is_array(want)) {
		json_array_foreach(want, i, w)
			if (value_matches(w, have, is_trace))
				return true;
		return false;
	}
	s = scalar(want);
	if (!s)
		return false;
	if (is_trace) {
		const char *base = strrchr(have, '/');

		hit = !fnmatch(s, have, 0) ||
		      !fnmatch(s, base ? base + 1 : have, 0);
	} else {
		hit = !strcmp(s, have);
	}
	free(s);
	return hit;
}

static bool excluded(const struct sweep_plan *p, const uint32_t *row)
{
	const json_t *ex, *want;
	const char *key;
	size_t i;
	int a;

	json_array_foreach(p->exclude, i, ex) {
		bool all = true;

		json_object_foreach((json_t *)ex, key, want) {
			if (!strcmp(key, "trace")) {
				all = value_matches(want, p->traces[row[0]],
						    true);
			} else {
				for (a = 0; a < p->naxes; a++)
					if (!strcmp(key, p->axes[a].name))
						break;
				all = a < p->naxes &&
				      value_matches(want,
					p->axes[a].vals[row[1 + a]], false);
			}
			if (!all)
				break;
		}
		if (all)
			return true;
	}
	return false;
}

static int check_exclude(struct sweep_plan *p, char *err, size_t errlen)
{
	const json_t *ex, *v;
	const char *key;
	size_t i;
	int a;

	if (!p->exclude)
		return 0;
	if (!json_is_array(p->exclude)) {
		snprintf(err, errlen, "\"exclude\" must be an array of {axis: value(s)} objects");
		return -1;
	}
	json_array_foreach(p->exclude, i, ex) {
		if (!json_is_object(ex) || !json_object_size(ex)) {
			snprintf(err, errlen, "exclude: entry %zu is not a non-empty object",
				 i + 1);
			return -1;
		}
		json_object_foreach((json_t *)ex, key, v) {
			for (a = 0; a < p->naxes; a++)
				if (!strcmp(key, p->axes[a].name))
					break;
			if (a == p->naxes && strcmp(key, "trace")) {
				snprintf(err, errlen, "exclude: entry %zu names '%s', not an axis of this plan",
					 i + 1, key);
				return -1;
			}
		}
	}
	return 0;
}

static void job_hash(const struct sweep_plan *p, const uint32_t *row,
		     char out[SWEEP_HASH_LEN])
{
	XXH3_state_t *s = XXH3_createState();
	int a;

	XXH3_64bits_reset(s);
#define FEED(str) XXH3_64bits_update(s, (str), strlen(str) + 1)
	FEED("trace");
	FEED(p->traces[row[0]]);
	for (a = 0; a < p->naxes; a++) {
		FEED(p->axes[a].name);
		FEED(p->axes[a].vals[row[1 + a]]);
	}
	for (a = 0; a < p->nopts; a++) {
		FEED("option");
		FEED(p->opt_keys[a]);
		FEED(p->opt_vals[a]);
	}
#undef FEED
	snprintf(out, SWEEP_HASH_LEN, "%016llx",
		 (unsigned long long)XXH3_64bits_digest(s));
	XXH3_freeState(s);
}

static int expand(struct sweep_plan *p, char *err, size_t errlen)
{
	uint32_t row[1 + SWEEP_MAX_AXES] = { 0 };
	size_t total = p->ntraces, stride = 1 + p->naxes;
	int a;

	for (a = 0; a < p->naxes; a++) {
		if (!p->axes[a].nvals) {
			snprintf(err, errlen, "axis %s has no values: the product is empty",
				 p->axes[a].name);
			return -1;
		}
		if (total > SWEEP_MAX_JOBS / p->axes[a].nvals) {
			snprintf(err, errlen, "the plan makes over %d jobs (traces x axes, before exclusions)",
				 SWEEP_MAX_JOBS);
			return -1;
		}
		total *= p->axes[a].nvals;
	}
	p->jobs = malloc(total * stride * sizeof(*p->jobs));
	p->hash = malloc(total * sizeof(*p->hash));
	if (!p->jobs || !p->hash) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		if (!excluded(p, row)) {
			memcpy(p->jobs + p->njobs * stride, row,
			       stride * sizeof(*row));
			job_hash(p, row, p->hash[p->njobs]);
			p->njobs++;
		}
		/* odometer: the last axis turns fastest, the trace slowest */
		for (a = p->naxes; a >= 0; a--) {
			uint32_t lim = a ? p->axes[a - 1].nvals : p->ntraces;

			if (++row[a] < lim)
				break;
			row[a] = 0;
		}
		if (a < 0)
			break;
	}
	if (!p->njobs) {
		snprintf(err, errlen, "the exclusions leave no job: the product is empty");
		return -1;
	}
	return 0;
}

int sweep_plan_load(struct sweep_plan *p, const char *path, char *err,
		    size_t errlen)
{
	static const char *const top[] = { "name", "output", "traces",
		"axes", "exclude", "options", "comment" };
	json_error_t je;
	json_t *doc;
	const char *key, *s;
	const json_t *v;
	char *copy, real[PATH_MAX];
	size_t k;
	int ret = -1;

	memset(p, 0, sizeof(*p));
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		if (je.line < 0)
			snprintf(err, errlen, "%s: %s", path, je.text);
		else
			snprintf(err, errlen, "%s:%d: not valid JSON: %s",
				 path, je.line, je.text);
		return -1;
	}
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "%s: a plan is a JSON object", path);
		goto out;
	}
	json_object_foreach(doc, key, v) {
		for (k = 0; k < sizeof(top) / sizeof(top[0]); k++)
			if (!strcmp(key, top[k]))
				break;
		if (k == sizeof(top) / sizeof(top[0])) {
			snprintf(err, errlen, "%s: unknown key '%s' (name, output, traces, axes, exclude, options)",
				 path, key);
			goto out;
		}
	}
	copy = strdup(path);
	if (!copy || !realpath(dirname(copy), real)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(copy);
		goto out;
	}
	free(copy);
	p->dir = strdup(real);
	s = json_string_value(json_object_get(doc, "name"));
	if (s) {
		p->name = strdup(s);
	} else {
		copy = strdup(path);
		p->name = copy ? strdup(basename(copy)) : NULL;
		free(copy);
		if (p->name && strchr(p->name, '.'))
			*strrchr(p->name, '.') = 0;
	}
	s = json_string_value(json_object_get(doc, "output"));
	if (s && asprintf(&p->output, "%s%s%s", s[0] == '/' ? "" : p->dir,
			  s[0] == '/' ? "" : "/", s) < 0)
		p->output = NULL;
	p->exclude = json_incref(json_object_get(doc, "exclude"));
	if (!p->dir || !p->name) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!json_object_get(doc, "axes")) {
		snprintf(err, errlen, "%s: no \"axes\"", path);
		goto out;
	}
	if (load_traces(p, json_object_get(doc, "traces"), err, errlen) ||
	    load_axes(p, json_object_get(doc, "axes"), err, errlen) ||
	    load_options(p, json_object_get(doc, "options"), err, errlen) ||
	    check_exclude(p, err, errlen) || expand(p, err, errlen)) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s: %s", path, msg);
		goto out;
	}
	ret = 0;
out:
	json_decref(doc);
	if (ret)
		sweep_plan_free(p);
	return ret;
}

void sweep_plan_free(struct sweep_plan *p)
{
	int a;

	free(p->name);
	free(p->output);
	free(p->dir);
	sl_free_list(p->traces, p->ntraces);
	sl_free_list(p->trace_paths, p->ntraces);
	free(p->traces);
	free(p->trace_paths);
	free(p->trace_hash);
	for (a = 0; a < p->naxes; a++) {
		sl_free_list(p->axes[a].vals, p->axes[a].nvals);
		free(p->axes[a].vals);
	}
	sl_free_list(p->opt_keys, p->nopts);
	sl_free_list(p->opt_flags, p->nopts);
	sl_free_list(p->opt_vals, p->nopts);
	free(p->opt_keys);
	free(p->opt_flags);
	free(p->opt_vals);
	json_decref(p->exclude);
	free(p->jobs);
	free(p->hash);
	memset(p, 0, sizeof(*p));
}

int sweep_hash_traces(struct sweep_plan *p, char *err, size_t errlen)
{
	int t;

	if (p->trace_hash)
		return 0;
	p->trace_hash = calloc(p->ntraces, sizeof(*p->trace_hash));
	if (!p->trace_hash) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (t = 0; t < p->ntraces; t++)
		if (sl_trace_hash(p->trace_paths[t], p->trace_hash[t])) {
			snprintf(err, errlen, "%s: %s", p->trace_paths[t],
				 strerror(errno));
			return -1;
		}
	return 0;
}

void sweep_job_label(const struct sweep_plan *p, size_t j, char *buf,
		     size_t len)
{
	const uint32_t *row = sweep_job(p, j);
	size_t n;
	int a;

	n = snprintf(buf, len, "%s", p->traces[row[0]]);
	for (a = 0; a < p->naxes && n < len; a++)
		n += snprintf(buf + n, len - n, " x %s%s%s",
			      a < 2 ? "" : p->axes[a].name, a < 2 ? "" : "=",
			      p->axes[a].vals[row[1 + a]]);
}

json_t *sweep_job_config(const struct sweep_plan *p, size_t j)
{
	const uint32_t *row = sweep_job(p, j);
	json_t *c = json_pack("{s:s}", "trace", p->traces[row[0]]);
	int a;

	for (a = 0; c && a < p->naxes; a++)
		json_object_set_new(c, p->axes[a].name,
				    json_string(p->axes[a].vals[row[1 + a]]));
	for (a = 0; c && a < p->nopts; a++)
		json_object_set_new(c, p->opt_keys[a],
				    json_string(p->opt_vals[a]));
	return c;
}

int sweep_job_argv(const struct sweep_plan *p, size_t j, const char *output,
		   char *argv[SWEEP_MAX_ARGS])
{
	const uint32_t *row = sweep_job(p, j);
	int n = 0, a;

	argv[n++] = "replay";
	argv[n++] = p->trace_paths[row[0]];
	for (a = 0; a < p->naxes; a++) {
		argv[n++] = (char *)p->axes[a].flag;
		argv[n++] = p->axes[a].vals[row[1 + a]];
	}
	for (a = 0; a < p->nopts; a++) {
		argv[n++] = p->opt_flags[a];
		argv[n++] = p->opt_vals[a];
	}
	argv[n++] = "--quiet";
	argv[n++] = "-o";
	argv[n++] = (char *)output;
	argv[n] = NULL;
	return n;
}
