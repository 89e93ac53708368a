/*
 * cmd_compare.c - `swaplab compare BASE.json NEW.json`: is NEW worse?
 *
 * Two kinds of figures come out of a replay.  Sizes, ratios and counts are
 * a pure function of the trace, codec, allocator and settings: the same
 * inputs give the same bytes, so any change is real and they are compared
 * exactly.  Throughput and latency percentiles change from one repetition
 * to the next on the same machine, so they are compared as samples, one
 * value per `replay --repeat` repetition, with Welch's t-test (stats.h):
 * a change counts only when the confidence interval of the difference of
 * means excludes zero, as ministat decides it.
 *
 * Runs are matched by (trace, codec, alloc, settings); every metric gets
 * one line with a marker in the first column, as mmtests marks the
 * significant ones, and noisy metrics get ministat's N/min/max/median/
 * mean/stddev underneath unless --brief.  --max-regress names the gates;
 * the exit code is the verdict (0 none crossed, 1 one crossed, 2 bad
 * input).  The keys are documented in docs/ci.md.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/fmt.h"
#include "analyze/stats.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"

static const char compare_usage[] =
"usage: swaplab compare BASE.json NEW.json [--confidence PCT]\n"
"                       [--max-regress KEY=PCT[,KEY=PCT...]] [--only KEYS]\n"
"                       [--brief] [--allow-unmatched] [--ignore-settings KEYS]\n"
"                       [--across-kernels]\n"
"\n"
"Match the runs of two results files by trace, codec, allocator and\n"
"settings.  Sizes, ratios and counts are compared exactly; throughput and\n"
"latency percentiles (one sample per `replay --repeat` repetition) with\n"
"Welch's t-test at --confidence (default 95).\n"
"BASE or NEW may be several files, comma-separated, of the same runs: their\n"
"repetitions are pooled (sizes must agree).  ci-compare alternates base and\n"
"new replays this way, so that both sides see the machine's same spells.\n"
"\n"
"Markers:  =  identical    +  better    -  worse    ~  changed (neutral)\n"
"          (blank) no difference proven    ?  too few samples (N < 2)\n"
"          !  worse beyond its --max-regress threshold\n"
"\n"
"--max-regress keys (PCT is the largest tolerated worsening, relative;\n"
"'off' removes a gate).  Gated by default: ratio_at_peak=0,mem_used_max=0\n"
"(sizes are deterministic: any worsening crosses); the keys given change\n"
"those and add others; the gate list is printed first.\n"
"  at peak memory: ratio_at_peak eff_ratio_at_peak frag_at_peak\n"
"  mem_used_at_peak orig_at_peak\n"
"  over the run: ratio_cumulative failed_stores writeback_pages\n"
"  at the end: ratio effective_ratio fragmentation compr_data_size mem_used_total\n"
"  mem_used_max huge_pages same_pages pages_stored orig_data_size\n"
"  pages_compacted ops_per_sec store_pages_per_sec\n"
"  OP.STAT with OP compress|decompress|store|load, STAT p50|p90|p99|p999|mean\n"
"  STAT alone (every OP), OP alone (every STAT), 'latency' (all of them)\n"
"  zswap runs: swap_writes stored_pages pool_total_size written_back_pages\n"
"  pool_limit_hit reject_compress_poor reject_reclaim_fail reject_alloc_fail\n"
"  zswpout zswpin; and verify_failures\n"
"  aliases: eff frag mem mem_max compr huge throughput peak_ratio peak_mem,\n"
"  and report's names (comp_p50, bd_writes, ...): see report --list-fields\n"
"A noisy metric crosses only when its change is significant and the mean\n"
"is worse by more than PCT.  More verify failures in NEW always cross.\n"
"--only takes the same keys and limits the lines printed and gated.\n"
"--ignore-settings KEYS|all leaves settings out of run matching, e.g.\n"
"huge_threshold, which an allocator change moves (ci-compare does).\n"
"Runs model one kernel each (\"kernel\"): runs of two kernels pair only\n"
"with --across-kernels, which then matches zstd@6.1 with zstd@6.12 and\n"
"each kernel's default zsmalloc with the other's.\n"
"\n"
"Exit: 0 no threshold crossed, 1 one was, 2 bad input or unmatched runs.\n";

/*
 * The metrics, their paths, units and directions are format/metrics.c's
 * table (docs/results-format.md): compare shows those marked
 * SL_SHOW_COMPARE, in the table's order.  The store-state figures
 * without a suffix are the end state's (the results file's top level);
 * the _at_peak ones are the state at peak memory, what a memory budget is
 * sized for.
 */
#define NR_METRICS	SL_METRICS_MAX

static bool compared(size_t i)
{
	return i < sl_metrics_nr() &&
	       (sl_metrics[i].shown & SL_SHOW_COMPARE);
}

/*
 * Gated unless --max-regress says otherwise: the sizes a patch author must
 * not make worse, exactly (they are deterministic).  Latency is noisy and
 * machine-bound: its gates are opt-in.
 */
static const struct {
	const char *name;
	double pct;
} default_gates[] = {
	{ "ratio_at_peak", 0 }, { "mem_used_max", 0 },
};

struct cmp {
	double confidence;
	double thresh[NR_METRICS];	/* percent; NAN: no gate */
	bool shown[NR_METRICS];
	bool brief;
	int worse, better, crossed, unproven, few;
	char crossed_list[8][160];
};

/*
 * Which metrics @key names: 1 for an exact name or alias, 2 for a group
 * (a STAT, an OP or "latency"), 0 for none.  @hit[] is set for each.
 */
static int key_match(const char *key, bool *hit)
{
	const struct sl_metric *exact = sl_metric_find(key);
	size_t i, klen = strlen(key);
	int kind = 0;

	for (i = 0; i < NR_METRICS; i++) {
		const char *m, *dot;

		hit[i] = false;
		if (!compared(i))
			continue;
		m = sl_metrics[i].name;
		dot = strchr(m, '.');
		if (exact == &sl_metrics[i]) {
			hit[i] = true;
			kind = 1;
		} else if (dot && (!strcmp(key, "latency") ||
				   !strcmp(dot + 1, key) ||
				   ((size_t)(dot - m) == klen &&
				    !strncmp(m, key, klen)))) {
			hit[i] = true;
			if (!kind)
				kind = 2;
		}
	}
	return kind;
}

static bool parse_pct(const char *s, double *v)
{
	char *end;

	if (!strcmp(s, "off")) {
		*v = NAN;
		return true;
	}
	*v = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%")) || !(*v >= 0) ||
	    isinf(*v))
		return false;
	return true;
}

/* --max-regress: group keys first, so that exact names override them */
static int parse_gates(struct cmp *c, const char *list)
{
	char *items[64], *eq;
	bool hit[NR_METRICS];
	int n, i, pass, kind;
	size_t k;
	double v;

	n = sl_split_list(list, items, 64);
	if (n <= 0)
		return sl_usage_err("bad --max-regress list '%s'", list);
	for (pass = 2; pass >= 1; pass--) {
		for (i = 0; i < n; i++) {
			eq = strchr(items[i], '=');
			if (!eq || !parse_pct(eq + 1, &v)) {
				sl_usage_err("bad --max-regress item '%s' (want KEY=PCT)",
					     items[i]);
				sl_free_list(items, n);
				return EXIT_TROUBLE;
			}
			*eq = 0;
			kind = key_match(items[i], hit);
			*eq = '=';
			if (!kind) {
				sl_usage_err("unknown --max-regress key in '%s'",
					     items[i]);
				sl_free_list(items, n);
				return EXIT_TROUBLE;
			}
			if (kind != pass)
				continue;
			for (k = 0; k < NR_METRICS; k++)
				if (hit[k])
					c->thresh[k] = v;
		}
	}
	sl_free_list(items, n);
	return 0;
}

static int parse_only(struct cmp *c, const char *list)
{
	char *items[64];
	bool hit[NR_METRICS];
	int n, i;
	size_t k;

	n = sl_split_list(list, items, 64);
	if (n <= 0)
		return sl_usage_err("bad --only list '%s'", list);
	for (k = 0; k < NR_METRICS; k++)
		c->shown[k] = false;
	for (i = 0; i < n; i++) {
		if (!key_match(items[i], hit)) {
			sl_usage_err("unknown --only key '%s'", items[i]);
			sl_free_list(items, n);
			return EXIT_TROUBLE;
		}
		for (k = 0; k < NR_METRICS; k++)
			c->shown[k] |= hit[k];
	}
	sl_free_list(items, n);
	return 0;
}

/* settings left out of matching: "repeat", and --ignore-settings */
static char *ignored[32];
static int nignored;
static bool ignore_all;

static bool ignored_key(const char *k)
{
	int i;

	if (ignore_all || !strcmp(k, "repeat"))
		return true;
	for (i = 0; i < nignored; i++)
		if (!strcmp(ignored[i], k))
			return true;
	return false;
}

static bool has_setting(json_t *runs, const char *key)
{
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r)
		if (json_object_get(json_object_get(r, "settings"), key))
			return true;
	return false;
}

static bool same_settings(json_t *a, json_t *b)
{
	json_t *v;
	const char *k;

	json_object_foreach(a, k, v)
		if (!ignored_key(k) && !json_equal(v, json_object_get(b, k)))
			return false;
	json_object_foreach(b, k, v)
		if (!ignored_key(k) && !json_object_get(a, k))
			return false;
	return true;
}

/* --across-kernels: pair "zstd@6.1" with "zstd@6.12", and so on */
static bool across_kernels;

/* @run's @key ("codec", "alloc") without what its kernel says */
static const char *short_name(json_t *run, const char *key)
{
	static char bufs[4][256];
	static unsigned int next;
	char *buf = bufs[next++ % 4];

	snprintf(buf, sizeof(bufs[0]), "%s", sl_results_str(run, key));
	sl_fmt_short_name(buf, sl_results_str(run, "kernel"));
	return buf;
}

/*
 * Runs of two kernels model two machines: they pair only when asked.
 * A run without "kernel" (an older swaplab's) pairs with any.
 */
static bool same_kernel(json_t *a, json_t *b)
{
	const char *ka = sl_results_str(a, "kernel");
	const char *kb = sl_results_str(b, "kernel");

	return across_kernels || !*ka || !*kb || !strcmp(ka, kb);
}

static bool same_run(json_t *a, json_t *b)
{
	return !strcmp(sl_results_str(a, "trace"), sl_results_str(b, "trace")) &&
	       same_kernel(a, b) &&
	       !strcmp(short_name(a, "codec"), short_name(b, "codec")) &&
	       !strcmp(short_name(a, "alloc"), short_name(b, "alloc")) &&
	       same_settings(json_object_get(a, "settings"),
			     json_object_get(b, "settings"));
}

/* @run's "repeats", made from its own figures when it has none */
static json_t *repeats_of(json_t *run)
{
	json_t *reps = json_object_get(run, "repeats"), *e;

	if (json_is_array(reps) && json_array_size(reps))
		return reps;
	reps = json_array();
	e = sl_results_repeat_entry(run);
	if (!reps || !e || json_array_append_new(reps, e) ||
	    json_object_set_new(run, "repeats", reps)) {
		json_decref(reps);
		return NULL;
	}
	return reps;
}

/*
 * pool the repetitions of @more (the same runs, replayed by another
 * process) into @doc's runs; Return: 0, or -1 with @err filled
 */
static int pool_into(json_t *doc, json_t *more, const char *name,
		     char *err, size_t errlen)
{
	static const char *const sizes[] = { "compr_data_size", "same_pages",
					     "huge_pages" };
	json_t *runs = json_object_get(doc, "runs"), *run, *to, *reps;
	size_t i, j, k;

	json_array_foreach(json_object_get(more, "runs"), i, run) {
		to = NULL;
		json_array_foreach(runs, j, to)
			if (same_run(to, run))
				break;
		if (j == json_array_size(runs)) {
			snprintf(err, errlen, "%s: run %zu (%s/%s) is not in the first file of its side",
				 name, i, sl_results_str(run, "codec"),
				 sl_results_str(run, "alloc"));
			return -1;
		}
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			if (sl_results_num(to, sizes[k]) !=
			    sl_results_num(run, sizes[k])) {
				snprintf(err, errlen, "%s: run %zu (%s/%s) has another %s than the first file's: not the same build or trace",
					 name, i, sl_results_str(run, "codec"),
					 sl_results_str(run, "alloc"),
					 sizes[k]);
				return -1;
			}
		}
		reps = repeats_of(to);
		if (!reps || !repeats_of(run) ||
		    json_array_extend(reps, json_object_get(run, "repeats"))) {
			snprintf(err, errlen, "%s: run %zu: no throughput or latency to pool",
				 name, i);
			return -1;
		}
	}
	return 0;
}

/*
 * one side of the comparison: a results file, or several comma-separated
 * (a name that exists as a file is taken whole), pooled into the first
 */
static json_t *load_side(const char *arg, char *err, size_t errlen)
{
	char *list, *name, *save = NULL;
	json_t *doc = NULL, *more;

	if (!strchr(arg, ',') || !access(arg, F_OK))
		return sl_results_load(arg, err, errlen);
	list = strdup(arg);
	if (!list) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		more = sl_results_load(name, err, errlen);
		if (!more || (doc && pool_into(doc, more, name, err, errlen))) {
			json_decref(more);
			json_decref(doc);
			doc = NULL;
			break;
		}
		if (!doc)
			doc = more;
		else
			json_decref(more);
	}
	free(list);
	if (!doc && !err[0])
		snprintf(err, errlen, "'%s': no results file named", arg);
	return doc;
}

/* more digits than report's: the changes compare shows can be small */
static const struct sl_fig_style compare_style = {
	.ratio_digits = 4,
	.pct_digits = 2,
	.rate_unit = true,
};

static void note_crossed(struct cmp *c, json_t *run, const struct sl_metric *m,
			 double pct, double limit)
{
	if (c->crossed < 8)
		snprintf(c->crossed_list[c->crossed], sizeof(c->crossed_list[0]),
			 "%s/%s %s: %+.2f%% (limit %g%%)",
			 sl_results_str(run, "codec"),
			 sl_results_str(run, "alloc"), m->name, pct, limit);
	c->crossed++;
}

static void exact_line(struct cmp *c, json_t *run, const struct sl_metric *m,
		       double b, double n)
{
	size_t i = m - sl_metrics;
	char bb[32], nb[32], ch[64];
	double pct;
	int mark = '=', dir;

	sl_fmt_fig(bb, sizeof(bb), m->kind, b, &compare_style);
	sl_fmt_fig(nb, sizeof(nb), m->kind, n, &compare_style);
	ch[0] = 0;
	if (isnan(b) || isnan(n)) {
		mark = '?';
		snprintf(ch, sizeof(ch), "missing in %s", isnan(b) ? "base" : "new");
	} else if (b != n) {
		pct = b ? 100 * (n - b) / fabs(b) : copysign(INFINITY, n - b);
		dir = m->better * (n > b ? 1 : -1);
		mark = dir > 0 ? '+' : dir < 0 ? '-' : '~';
		if (m->kind == SL_K_RATIO || m->kind == SL_K_PCT)
			snprintf(ch, sizeof(ch), "%+.2f%%", pct);
		else
			snprintf(ch, sizeof(ch), "%+.2f%% (%+.0f)", pct, n - b);
		if (mark == '-')
			c->worse++;
		if (mark == '+')
			c->better++;
		if ((dir < 0 || (!m->better && dir == 0)) &&
		    ((!isnan(c->thresh[i]) && fabs(pct) > c->thresh[i]) ||
		     !strcmp(m->name, "verify_failures"))) {
			mark = '!';
			note_crossed(c, run, m, pct,
				     isnan(c->thresh[i]) ? 0 : c->thresh[i]);
		}
	}
	printf("%c %-19s %12s %12s%s%s\n", mark, m->name, bb, nb,
	       ch[0] ? "  " : "", ch);
}

/* the values of a noisy metric: one per repetition, else the run's own */
static size_t samples(json_t *run, const struct sl_metric *m, double *out,
		      size_t max)
{
	json_t *reps = json_object_get(run, "repeats"), *r;
	size_t i, n = 0;

	if (!json_is_array(reps) || !json_array_size(reps)) {
		out[0] = sl_results_num(run, m->path);
		return 1;
	}
	json_array_foreach(reps, i, r)
		if (n < max)
			out[n++] = sl_results_num(r, m->rpath);
	return n;
}

static void ministat_line(const char *who, const struct sl_summary *s)
{
	printf("      %-5s %3zu %10.1f %10.1f %10.1f %10.1f %10.1f\n", who,
	       s->n, s->min, s->max, s->median, s->mean, s->stddev);
}

static int noisy_line(struct cmp *c, json_t *brun, json_t *nrun,
		      const struct sl_metric *m)
{
	size_t i = m - sl_metrics, nb, nn;
	struct sl_summary sb, sn;
	struct sl_welch w;
	double *vb, *vn;
	char bb[32], nbuf[32], ch[96];
	int mark = ' ', dir;

	nb = json_array_size(json_object_get(brun, "repeats"));
	nn = json_array_size(json_object_get(nrun, "repeats"));
	vb = malloc((nb + 1) * sizeof(*vb));
	vn = malloc((nn + 1) * sizeof(*vn));
	if (!vb || !vn || sl_stats_summarize(vb, samples(brun, m, vb, nb + 1),
					     &sb) ||
	    sl_stats_summarize(vn, samples(nrun, m, vn, nn + 1), &sn)) {
		free(vb);
		free(vn);
		return -1;
	}
	free(vb);
	free(vn);
	if (!sb.n && !sn.n)
		return 0;	/* not measured in either: nothing to say */
	sl_fmt_fig(bb, sizeof(bb), m->kind, sb.mean, &compare_style);
	sl_fmt_fig(nbuf, sizeof(nbuf), m->kind, sn.mean, &compare_style);
	if (sl_stats_welch(&sb, &sn, c->confidence, &w)) {
		mark = '?';
		snprintf(ch, sizeof(ch), "too few samples (N %zu/%zu)", sb.n,
			 sn.n);
		c->few++;
	} else if (!w.significant) {
		snprintf(ch, sizeof(ch), "no difference proven");
		c->unproven++;
	} else {
		dir = m->better * (w.diff > 0 ? 1 : -1);
		mark = dir > 0 ? '+' : '-';
		snprintf(ch, sizeof(ch), "%+.2f%% +/- %.2f%%", w.pct,
			 w.pct_halfwidth);
		if (dir > 0) {
			c->better++;
		} else {
			c->worse++;
			if (!isnan(c->thresh[i]) &&
			    fabs(w.pct) > c->thresh[i]) {
				mark = '!';
				note_crossed(c, nrun, m, w.pct, c->thresh[i]);
			}
		}
	}
	printf("%c %-19s %12s %12s  %s\n", mark, m->name, bb, nbuf, ch);
	if (!c->brief && (sb.n > 1 || sn.n > 1)) {
		ministat_line("base", &sb);
		ministat_line("new", &sn);
		if (mark == '?')
			;
		else if (w.significant)
			printf("      difference at %g%% confidence: %+.1f +/- %.1f (%+.2f%% +/- %.2f%%)\n",
			       c->confidence, w.diff, w.halfwidth, w.pct,
			       w.pct_halfwidth);
		else
			printf("      no difference proven at %g%% confidence (t = %.2f, df = %.1f)\n",
			       c->confidence, w.t, w.df);
	}
	return 0;
}

/* "  settings: k=v k=v ...", wrapped to fit 80 columns */
static void print_settings(json_t *run)
{
	json_t *s = json_object_get(run, "settings"), *v;
	const char *k;
	char item[256], *txt;
	int col = 0, len;

	json_object_foreach(s, k, v) {
		if (!strcmp(k, "repeat"))
			continue;
		txt = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		len = snprintf(item, sizeof(item), "%s=%s", k, txt ? txt : "?");
		free(txt);
		if (!col) {
			col = printf("  settings:");
		} else if (col + 1 + len > 79) {
			printf("\n");
			col = printf("           ");
		}
		col += printf(" %s", item);
	}
	if (col)
		printf("\n");
}

/* "gates: ratio_at_peak 0%, ..." wrapped to 80 columns */
static void print_gates(const struct cmp *c)
{
	char item[64];
	int col, len;
	size_t i;

	col = printf("gates (worst tolerated change):");
	for (i = 0; i < NR_METRICS; i++) {
		if (isnan(c->thresh[i]))
			continue;
		len = snprintf(item, sizeof(item), " %s %g%%,", sl_metrics[i].name,
			       c->thresh[i]);
		if (col + len > 79) {
			printf("\n");
			col = printf("      ");
		}
		col += printf("%s", item);
	}
	if (col + 29 > 79) {
		printf("\n");
		col = printf("      ");
	}
	printf(" verify_failures any increase\n");
}

static int compare_run(struct cmp *c, json_t *b, json_t *n)
{
	size_t i;

	printf("\n%s / %s on %s\n", sl_results_str(n, "codec"),
	       sl_results_str(n, "alloc"), sl_results_str(n, "trace"));
	print_settings(n);
	printf("  %-19s %12s %12s  %s\n", "metric", "base", "new", "change");
	if (!c->brief)
		printf("      %-5s %3s %10s %10s %10s %10s %10s\n", "", "N",
		       "min", "max", "median", "mean", "stddev");
	for (i = 0; i < NR_METRICS; i++) {
		if (!c->shown[i])
			continue;
		if (!sl_metrics[i].rpath) {
			double vb = sl_results_num(b, sl_metrics[i].path);
			double vn = sl_results_num(n, sl_metrics[i].path);

			if (!isnan(vb) || !isnan(vn))
				exact_line(c, n, &sl_metrics[i], vb, vn);
		} else if (noisy_line(c, b, n, &sl_metrics[i])) {
			return sl_err("out of memory");
		}
	}
	return 0;
}

/* for a run without a match: the settings that differ from its namesake */
static void why_unmatched(json_t *runs, json_t *run)
{
	json_t *o, *mine = json_object_get(run, "settings"), *theirs, *v;
	const char *k;
	size_t i;

	json_array_foreach(runs, i, o) {
		if (strcmp(sl_results_str(o, "trace"), sl_results_str(run, "trace")) ||
		    strcmp(sl_results_str(o, "codec"), sl_results_str(run, "codec")) ||
		    strcmp(sl_results_str(o, "alloc"), sl_results_str(run, "alloc")))
			continue;
		theirs = json_object_get(o, "settings");
		printf("  settings differ from base's:");
		json_object_foreach(mine, k, v)
			if (!ignored_key(k) &&
			    !json_equal(v, json_object_get(theirs, k)))
				printf(" %s", k);
		json_object_foreach(theirs, k, v)
			if (!ignored_key(k) && !json_object_get(mine, k))
				printf(" %s", k);
		printf(" (see --ignore-settings)\n");
		return;
	}
}

/* the index of the first run of @runs matching @runs[@upto], if before it */
static int dup_of(json_t *runs, size_t upto)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (same_run(json_array_get(runs, i), json_array_get(runs, upto)))
			return i;
	return -1;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "confidence", required_argument, NULL, 'c' },
		{ "max-regress", required_argument, NULL, 'm' },
		{ "only", required_argument, NULL, 'o' },
		{ "brief", no_argument, NULL, 'b' },
		{ "allow-unmatched", no_argument, NULL, 'u' },
		{ "across-kernels", no_argument, NULL, 'K' },
		{ "ignore-settings", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmp *c;
	json_t *base = NULL, *new = NULL, *br, *nr, *run;
	bool allow_unmatched = false, *used = NULL;
	size_t i, j, unmatched = 0, matched = 0;
	char err[512], *end;
	struct sl_seen seen = { 0 };
	int opt, ret = EXIT_TROUBLE;

	c = calloc(1, sizeof(*c));
	if (!c)
		return sl_err("out of memory");
	c->confidence = 95;
	sl_free_list(ignored, nignored);
	nignored = 0;
	ignore_all = false;
	for (i = 0; i < NR_METRICS; i++) {
		c->thresh[i] = NAN;
		c->shown[i] = compared(i);
	}
	optind = 1;
	opterr = 0;
	for (i = 0; i < sizeof(default_gates) / sizeof(default_gates[0]); i++)
		for (j = 0; j < NR_METRICS; j++)
			if (compared(j) &&
			    !strcmp(sl_metrics[j].name, default_gates[i].name))
				c->thresh[j] = default_gates[i].pct;
	while ((opt = getopt_long(argc, argv, "hc:", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, opt, opts))
			goto out;
		switch (opt) {
		case 'c':
			c->confidence = strtod(optarg, &end);
			if (end == optarg || *end || !(c->confidence >= 50 &&
						       c->confidence < 100)) {
				ret = sl_usage_err("bad --confidence '%s' (want 50..99.99)",
						   optarg);
				goto out;
			}
			break;
		case 'm':
			if (parse_gates(c, optarg))
				goto out;
			break;
		case 'o':
			if (parse_only(c, optarg))
				goto out;
			break;
		case 'b':
			c->brief = true;
			break;
		case 'u':
			allow_unmatched = true;
			break;
		case 'K':
			across_kernels = true;
			break;
		case 'i':
			sl_free_list(ignored, nignored);
			nignored = sl_split_list(optarg, ignored, 32);
			if (nignored <= 0) {
				nignored = 0;
				ret = sl_usage_err("bad --ignore-settings list '%s'",
						   optarg);
				goto out;
			}
			ignore_all = nignored == 1 && !strcmp(ignored[0], "all");
			break;
		case 'h':
			fputs(compare_usage, stdout);
			ret = EXIT_YES;
			goto out;
		default:
			ret = sl_bad_option(argv, "hc:");
			goto out;
		}
	}
	if (argc - optind != 2) {
		ret = sl_usage_err("two results files expected: BASE.json NEW.json");
		goto out;
	}
	err[0] = 0;
	base = load_side(argv[optind], err, sizeof(err));
	if (!base) {
		ret = sl_err("%s", err);
		goto out;
	}
	err[0] = 0;
	new = load_side(argv[optind + 1], err, sizeof(err));
	if (!new) {
		ret = sl_err("%s", err);
		goto out;
	}
	br = json_object_get(base, "runs");
	nr = json_object_get(new, "runs");
	for (i = 0; i < (size_t)nignored && !ignore_all; i++) {
		if (!has_setting(br, ignored[i]) && !has_setting(nr, ignored[i])) {
			ret = sl_usage_err("--ignore-settings: no run has a setting '%s'",
					   ignored[i]);
			goto out;
		}
	}
	for (i = 0; i < json_array_size(br) + json_array_size(nr); i++) {
		json_t *runs = i < json_array_size(br) ? br : nr;
		size_t k = runs == br ? i : i - json_array_size(br);

		if (dup_of(runs, k) >= 0) {
			run = json_array_get(runs, k);
			ret = sl_err("%s: run %zu (%s/%s) repeats an earlier run's trace, codec, alloc and settings",
				     argv[optind + (runs == nr)], k,
				     sl_results_str(run, "codec"),
				     sl_results_str(run, "alloc"));
			goto out;
		}
	}
	used = calloc(json_array_size(br) + 1, sizeof(*used));
	if (!used) {
		ret = sl_err("out of memory");
		goto out;
	}
	printf("compare: base %s, new %s\n"
	       "noisy figures: base and new means; change = difference at %g%% confidence\n"
	       "(Welch's t-test), as %% of base +/- half the interval\n",
	       argv[optind], argv[optind + 1], c->confidence);
	print_gates(c);
	json_array_foreach(nr, i, run) {
		for (j = 0; j < json_array_size(br); j++)
			if (!used[j] && same_run(json_array_get(br, j), run))
				break;
		if (j == json_array_size(br)) {
			printf("\nunmatched: %s / %s on %s: only in new\n",
			       short_name(run, "codec"),
			       short_name(run, "alloc"),
			       sl_results_str(run, "trace"));
			why_unmatched(br, run);
			unmatched++;
			continue;
		}
		used[j] = true;
		matched++;
		/* one trace name, two contents: the figures are not comparable */
		if (*sl_results_str(run, "trace_hash") &&
		    *sl_results_str(json_array_get(br, j), "trace_hash") &&
		    strcmp(sl_results_str(run, "trace_hash"),
			   sl_results_str(json_array_get(br, j), "trace_hash"))) {
			ret = sl_err("%s: base and new replayed different contents (trace_hash differs): refusing to compare",
				     sl_results_str(run, "trace"));
			goto out;
		}
		if (compare_run(c, json_array_get(br, j), run))
			goto out;
	}
	json_array_foreach(br, j, run) {
		if (used[j])
			continue;
		printf("\nunmatched: %s / %s on %s: only in base\n",
		       short_name(run, "codec"), short_name(run, "alloc"),
		       sl_results_str(run, "trace"));
		unmatched++;
	}
	printf("\nsummary: %zu runs compared, %zu unmatched; %d worse, %d better,\n"
	       "         %d not proven, %d too few samples; %d threshold%s crossed\n",
	       matched, unmatched, c->worse, c->better, c->unproven, c->few,
	       c->crossed, c->crossed == 1 ? "" : "s");
	for (i = 0; i < (size_t)c->crossed && i < 8; i++)
		printf("crossed: %s\n", c->crossed_list[i]);
	if (!matched && !across_kernels && json_array_size(br) &&
	    json_array_size(nr) &&
	    !same_kernel(json_array_get(br, 0), json_array_get(nr, 0))) {
		ret = sl_err("%s models kernel %s, %s kernel %s: runs of two kernels pair only with --across-kernels",
			     argv[optind], sl_results_str(json_array_get(br, 0),
							  "kernel"),
			     argv[optind + 1],
			     sl_results_str(json_array_get(nr, 0), "kernel"));
	} else if (!matched) {
		ret = sl_err("no run of %s matches a run of %s",
			     argv[optind + 1], argv[optind]);
	} else if (unmatched && !allow_unmatched) {
		ret = sl_err("%zu run%s unmatched (trace, codec, alloc and settings must agree; see --allow-unmatched)",
			     unmatched, unmatched == 1 ? "" : "s");
	} else {
		ret = c->crossed ? EXIT_NO : EXIT_YES;
	}
out:
	sl_free_list(ignored, nignored);
	nignored = 0;
	ignore_all = false;
	across_kernels = false;
	free(used);
	json_decref(base);
	json_decref(new);
	free(c);
	return ret;
}
