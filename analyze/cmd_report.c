/*
 * cmd_report.c - `swaplab report`: results files as tables, grouped by
 * trace.  The text format fits 80 columns so it can be pasted into a patch
 * cover letter as it is; csv, markdown and json are for programs and
 * wikis, and each parses back: csv has one header line and quotes any
 * field holding a comma or quote (RFC 4180), json is a results file.
 *
 * Two views: runs (one row per run, --fields picks the columns) and alloc
 * (one row per allocator, one column per codec: peak memory over the
 * ideal allocator's on the same trace and codec - the figure allocator
 * studies quote as "x% over ideal").
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/fmt.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"
#include "format/trace_hash.h"

#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))

static const char report_usage[] =
"usage: swaplab report RESULTS.json...\n"
"                      [--format text|csv|markdown|json|cover-letter]\n"
"                      [--fields LIST] [--view runs|alloc|chunk]\n"
"                      [--at peak|end|cumulative]\n"
"       swaplab report --list-fields [--format csv] [RESULTS.json...]\n"
"\n"
"--view runs (default): one row per run, grouped by trace.\n"
"--view alloc: one row per allocator, one column per codec: peak memory\n"
"  (mem_used_max) over the 'ideal' allocator's on the same trace and codec\n"
"  (replay with --alloc ...,ideal); csv and json give one record per cell.\n"
"--view chunk: runs of replay --chunk, per trace and codec one row per\n"
"  unit size: ratio and effective ratio at peak, the cumulative ratio,\n"
"  decompression time per page read, read amplification, stranded pages.\n"
"--format cover-letter: plain text in 72 columns to paste into a patch's\n"
"  cover letter: one unit per column, a legend, long names as [n], and\n"
"  the provenance (version, trace hash, kernels, codec sources, allocator,\n"
"  host CPU, the command that reproduces the runs).\n"
"--format json: without --fields, the runs themselves (a results file);\n"
"  with --fields, {\"runs\": [...]} holding trace, codec, alloc and the\n"
"  fields as raw numbers.\n"
"--fields picks columns from:\n"
"  codec alloc ratio effective_ratio fragmentation mem_used_total\n"
"  mem_used_max compr_data_size orig_data_size same_pages huge_pages\n"
"  pages_compacted comp_p50 comp_p99 decomp_p50 decomp_p99 store_p50\n"
"  store_p99 load_p50 load_p99 ops_per_sec verify_failures over_ideal\n"
"  peak_op failed_stores bd_writes\n"
"  frontend swap_writes and, for zswap runs, its debugfs and vmstat\n"
"  names: stored_pages pool_total_size same_filled_pages\n"
"  written_back_pages pool_limit_hit reject_compress_poor\n"
"  reject_reclaim_fail reject_alloc_fail reject_uncounted zswpout\n"
"  zswpin zswpwb (default with a zswap run: frontend codec alloc ratio\n"
"  mem_used_max mem_used_total swap_writes written_back_pages\n"
"  pool_limit_hit reject_compress_poor verify_failures)\n"
"Without --fields, failed_stores (stores refused: mem_limit or a full\n"
"pool) and bd_writes (pages written back) are shown when a run has any,\n"
"and where two runs of a trace share codec and allocator a 'run' column\n"
"names the settings (and results file) that tell them apart.\n"
"\n"
"--at picks the moment of the store-state figures (ratio effective_ratio\n"
"  fragmentation mem_used_total compr_data_size orig_data_size same_pages\n"
"  huge_pages); every table says which:\n"
"  peak (default): just after the op that raised mem_used_total to its\n"
"    maximum, each run its own; the moment a memory budget is sized for\n"
"  end: after the last op, when the workload may have freed most pages\n"
"  cumulative: ratio over every page stored in the run, frees ignored\n"
"    (ratio_cumulative); the other state figures have no value (\"-\")\n"
"  csv and json --fields name each such column <field>_at_<moment>.\n"
"\n"
"--list-fields: every figure of the results schema (docs/results-format.md):\n"
"  name, unit, which way is better, meaning, the backends that write it\n"
"  and its other names (--format csv: with paths, for programs).  With\n"
"  RESULTS.json: check that each run has every figure its backend writes\n"
"  (exit 1 and one line per missing figure if not).\n";

/*
 * A column is a figure of format/metrics.c's table marked SL_SHOW_REPORT
 * (docs/results-format.md): its head, width, unit, path and whether --at
 * moves it all come from there.
 */
#define NR_FIELDS	SL_METRICS_MAX

static const char *const moment_names[] = {
	[SL_AT_PEAK] = "peak", [SL_AT_END] = "end",
	[SL_AT_CUMULATIVE] = "cumulative",
};

static const char *const default_fields[] = {
	"codec", "alloc", "ratio", "effective_ratio", "fragmentation",
	"mem_used_total", "comp_p50", "decomp_p50", "verify_failures",
};

/* with a zswap run among them: memory, disk and refusals side by side */
static const char *const frontend_fields[] = {
	"frontend", "codec", "alloc", "ratio", "mem_used_max",
	"mem_used_total", "swap_writes", "written_back_pages",
	"pool_limit_hit", "reject_compress_poor", "verify_failures",
};

static bool any_zswap(json_t *runs)
{
	json_t *run;
	size_t i;

	json_array_foreach(runs, i, run)
		if (!strcmp(sl_results_str(run, "frontend"), "zswap"))
			return true;
	return false;
}

enum fmt { F_TEXT, F_CSV, F_MD, F_JSON, F_COVER };

/* a column by its name, report key or alias; NULL: none of report's */
static const struct sl_metric *find_field(const char *name)
{
	const struct sl_metric *f = sl_metric_find(name);

	return f && (f->shown & SL_SHOW_REPORT) ? f : NULL;
}

/* peak memory over the ideal allocator's on the same trace and codec */
static double over_ideal(json_t *runs, json_t *run)
{
	const char *trace = sl_results_str(run, "trace");
	const char *codec = sl_results_str(run, "codec");
	json_t *o;
	size_t i;

	json_array_foreach(runs, i, o) {
		if (!strcmp(sl_results_str(o, "alloc"), "ideal") &&
		    !strcmp(sl_results_str(o, "trace"), trace) &&
		    !strcmp(sl_results_str(o, "codec"), codec)) {
			double ideal = sl_metric_value(o, "mem_used_max");

			if (ideal > 0)
				return sl_metric_value(run, "mem_used_max") /
				       ideal - 1;
		}
	}
	return NAN;
}

static enum sl_moment report_at = SL_AT_PEAK;

/* @f's figure of @run at the moment --at picked; NaN: none */
static double field_num(const struct sl_metric *f, json_t *runs, json_t *run)
{
	if (!f->path)
		return over_ideal(runs, run);
	return sl_metric_num(f, run, report_at);
}

/* a column's name in csv and json: a state figure says its moment */
static const char *field_col(const struct sl_metric *f, char *buf, size_t len)
{
	if (!f->moment)
		return sl_metric_report_name(f);
	snprintf(buf, len, report_at == SL_AT_CUMULATIVE ? "%s_cumulative" :
		 "%s_at_%s", sl_metric_report_name(f), moment_names[report_at]);
	return buf;
}

/* "at peak (op N of M)": the moment of @trace's runs, for table headers */
static void moment_line(json_t *runs, const char *trace, char *buf,
			size_t len)
{
	double lo = NAN, hi = NAN, ops = NAN, every = NAN, v;
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r) {
		if (strcmp(sl_results_str(r, "trace"), trace))
			continue;
		v = sl_results_num(r, "at_peak.sampled_every");
		if (!isnan(v))
			every = v;
		v = sl_metric_value(r, "peak_op");
		ops = sl_results_num(r, "at_peak.ops");
		if (isnan(v))
			continue;
		lo = isnan(lo) || v < lo ? v : lo;
		hi = isnan(hi) || v > hi ? v : hi;
	}
	if (report_at == SL_AT_CUMULATIVE)
		snprintf(buf, len, "ratio cumulative over every store of the run (frees ignored); no state figures");
	else if (report_at == SL_AT_END && isnan(ops))
		snprintf(buf, len, "at end (after the last op)");
	else if (report_at == SL_AT_END)
		snprintf(buf, len, "at end (op %.0f of %.0f)", ops, ops);
	else if (isnan(lo))
		snprintf(buf, len, "at peak: not recorded in these results (older swaplab; try --at end)");
	else if (lo == hi)
		snprintf(buf, len, "at peak (op %.0f of %.0f)", lo, ops);
	else
		snprintf(buf, len, "at peak, each run its own (op %.0f..%.0f of %.0f)",
			 lo, hi, ops);
	/* a device's peak is the best of its timeline samples */
	if (report_at == SL_AT_PEAK && !isnan(every) && strlen(buf) + 32 < len)
		snprintf(buf + strlen(buf), len - strlen(buf),
			 ", sampled every %.0f ops", every);
}

/* @run's value of @key: a setting, or "_file" */
static json_t *label_val(json_t *run, const char *key)
{
	if (!strcmp(key, "_file"))
		return json_object_get(run, "_file");
	return json_object_get(json_object_get(run, "settings"), key);
}

static void mark_differing(json_t *a, json_t *b, json_t *keys)
{
	json_t *v;
	const char *k;

	json_object_foreach(json_object_get(a, "settings"), k, v)
		if (!json_equal(v, label_val(b, k)))
			json_object_set_new(keys, k, json_true());
	json_object_foreach(json_object_get(b, "settings"), k, v)
		if (!label_val(a, k))
			json_object_set_new(keys, k, json_true());
	if (!json_equal(label_val(a, "_file"), label_val(b, "_file")))
		json_object_set_new(keys, "_file", json_true());
}

/*
 * Rows say what they are: where two runs of a trace share codec and
 * allocator, each run of the trace gets a "_label" of the settings (and
 * results file) that tell those runs apart.  Return: whether any has one.
 */
static bool label_runs(json_t *runs)
{
	json_t *a, *b, *keys, *v;
	const char *k, *ta;
	char lab[256], row[320], *txt;
	size_t i, j, len;
	bool any = false;

	json_array_foreach(runs, i, a) {
		ta = sl_results_str(a, "trace");
		keys = json_object();
		json_array_foreach(runs, j, b)
			if (j != i && !strcmp(ta, sl_results_str(b, "trace")) &&
			    !strcmp(sl_results_str(a, "codec"),
				    sl_results_str(b, "codec")) &&
			    !strcmp(sl_results_str(a, "alloc"),
				    sl_results_str(b, "alloc")) &&
			    /* the front end is a column; its settings differ */
			    !strcmp(sl_results_str(a, "frontend"),
				    sl_results_str(b, "frontend")))
				mark_differing(a, b, keys);
		json_object_set_new(a, "_keys", keys);
	}
	/* every run of a trace names the same keys */
	json_array_foreach(runs, i, a) {
		ta = sl_results_str(a, "trace");
		keys = json_object();
		json_array_foreach(runs, j, b)
			if (!strcmp(ta, sl_results_str(b, "trace")))
				json_object_update(keys, json_object_get(b, "_keys"));
		lab[0] = 0;
		len = 0;
		json_object_foreach(keys, k, v) {
			(void)v;
			txt = json_dumps(label_val(a, k) ?: json_null(),
					 JSON_ENCODE_ANY | JSON_COMPACT);
			if (txt && txt[0] == '"') {
				txt[strlen(txt) - 1] = 0;
				memmove(txt, txt + 1, strlen(txt));
			}
			len += snprintf(lab + len, len < sizeof(lab) ?
					sizeof(lab) - len : 0, "%s%s=%s",
					len ? " " : "", strcmp(k, "_file") ?
					k : "file", txt ? txt : "?");
			free(txt);
		}
		json_decref(keys);
		any |= len > 0;
		json_object_set_new(a, "_label", json_string(lab));
		snprintf(row, sizeof(row), len ? "%s [%s]" : "%s",
			 sl_results_str(a, "alloc"), lab);
		json_object_set_new(a, "_row", json_string(row));
	}
	json_array_foreach(runs, i, a)
		json_object_del(a, "_keys");
	return any;
}

/* the bookkeeping above, off runs printed as a results file */
static void unlabel_runs(json_t *runs)
{
	json_t *a;
	size_t i;

	json_array_foreach(runs, i, a) {
		json_object_del(a, "_label");
		json_object_del(a, "_row");
		json_object_del(a, "_swaplab_version");
		json_object_del(a, "_file");
	}
}

/* text cells fit 80 columns; csv prints the figures raw instead */
static const struct sl_fig_style report_style = {
	.ratio_digits = 2,
	.pct_digits = 1,
	.rate_unit = false,
};

static void cell(char *buf, size_t len, const struct sl_metric *f, json_t *runs,
		 json_t *run, enum fmt fmt)
{
	double v = f->kind == SL_K_STR ? NAN : field_num(f, runs, run);

	if (f->kind == SL_K_STR) {
		snprintf(buf, len, "%s", sl_results_str(run, f->path));
		/* the trace line names the kernel (csv: not there) */
		sl_fmt_short_name(buf, sl_results_str(run, "kernel"));
		return;
	}
	if (fmt == F_CSV && !isnan(v)) {
		snprintf(buf, len, f->kind == SL_K_RATIO || f->kind == SL_K_PCT ?
			 "%.6f" : "%.0f", v);
		return;
	}
	sl_fmt_fig(buf, len, f->kind, v, &report_style);
}

/* a csv field, quoted when it must be (RFC 4180) */
static void csv_str(const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* a markdown table cell: a '|' would end it */
static void md_str(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s);
	}
}

static void print_table(json_t *runs, const struct sl_metric **fl, int nf,
			enum fmt fmt)
{
	const char *trace = NULL;
	char buf[64], when[128], name[256];
	int w[NR_FIELDS * 2];
	json_t *run;
	size_t i;
	int k;

	/* names as wide as the longest, so that added columns fit 80 */
	for (k = 0; k < nf; k++) {
		w[k] = fl[k]->width;
		if (fl[k]->kind != SL_K_STR)
			continue;
		w[k] = strlen(fl[k]->head);
		/* as cell() shows them: without the kernel every run shares */
		json_array_foreach(runs, i, run) {
			snprintf(name, sizeof(name), "%s",
				 sl_results_str(run, fl[k]->path));
			sl_fmt_short_name(name, sl_results_str(run, "kernel"));
			w[k] = max_t(int, w[k], strlen(name));
		}
	}

	json_array_foreach(runs, i, run) {
		const char *t = sl_results_str(run, "trace");

		if (!trace || strcmp(trace, t)) {
			if (fmt == F_CSV) {
				if (!trace) {
					printf("trace");
					for (k = 0; k < nf; k++)
						printf(",%s", field_col(fl[k], buf,
							sizeof(buf)));
					printf("\n");
				}
			} else {
				printf("%s%s", trace ? "\n" : "",
				       fmt == F_MD ? "### " : "trace: ");
				if (fmt == F_MD)
					md_str(t);
				else
					fputs(t, stdout);
				printf(" (%s)", sl_results_str(run,
								"trace_source"));
				if (*sl_results_str(run, "kernel"))
					printf(", kernel %s",
					       sl_results_str(run, "kernel"));
				printf("\n");
				moment_line(runs, t, when, sizeof(when));
				printf(fmt == F_MD ? "\nStore state %s.\n" :
				       "%s\n", when);
				if (fmt == F_MD)
					printf("\n|");
				for (k = 0; k < nf; k++)
					if (fmt == F_MD)
						printf(" %s |", fl[k]->head);
					else if (fl[k]->kind == SL_K_STR)
						printf(k ? " %-*s" : "%-*s",
						       k == nf - 1 ? 0 : w[k],
						       fl[k]->head);
					else
						printf(" %*s", w[k],
						       fl[k]->head);
				printf("\n");
				if (fmt == F_MD) {
					printf("|");
					for (k = 0; k < nf; k++)
						printf(fl[k]->kind == SL_K_STR ?
						       "---|" : "---:|");
					printf("\n");
				}
			}
			trace = t;
		}
		if (fmt == F_CSV)
			csv_str(t);
		else if (fmt == F_MD)
			printf("|");
		for (k = 0; k < nf; k++) {
			cell(buf, sizeof(buf), fl[k], runs, run, fmt);
			if (fmt == F_CSV) {
				putchar(',');
				csv_str(buf);
			} else if (fmt == F_MD) {
				putchar(' ');
				md_str(buf);
				printf(" |");
			} else if (fl[k]->kind == SL_K_STR) {
				printf(k ? " %-*s" : "%-*s", k == nf - 1 ? 0 :
				       w[k], buf);
			} else {
				printf(" %*s", w[k], buf);
			}
		}
		printf("\n");
	}
}

/* @runs regrouped: every trace's runs together, traces in first-seen order */
static json_t *group_by_trace(json_t *runs)
{
	json_t *out = json_array(), *r, *o;
	size_t i, j;
	bool seen;

	json_array_foreach(runs, i, r) {
		const char *t = sl_results_str(r, "trace");

		seen = false;
		for (j = 0; j < i && !seen; j++)
			seen = !strcmp(sl_results_str(json_array_get(runs, j),
						      "trace"), t);
		if (seen)
			continue;
		json_array_foreach(runs, j, o)
			if (j >= i && !strcmp(sl_results_str(o, "trace"), t))
				json_array_append(out, o);
	}
	return out;
}

/* the distinct values of @key over the runs of @trace, in order */
static int distinct(json_t *runs, const char *trace, const char *key,
		    const char **out, int max)
{
	json_t *r;
	size_t i;
	int n = 0, k;

	json_array_foreach(runs, i, r) {
		const char *v = sl_results_str(r, key);

		if (trace && strcmp(sl_results_str(r, "trace"), trace))
			continue;
		for (k = 0; k < n && strcmp(out[k], v); k++)
			;
		if (k == n && n < max)
			out[n++] = v;
	}
	return n;
}

/* @label NULL: any */
static json_t *find_run(json_t *runs, const char *trace, const char *codec,
			const char *alloc, const char *label)
{
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r)
		if (!strcmp(sl_results_str(r, "trace"), trace) &&
		    !strcmp(sl_results_str(r, "codec"), codec) &&
		    !strcmp(sl_results_str(r, "alloc"), alloc) &&
		    (!label || !strcmp(sl_results_str(r, "_label"), label)))
			return r;
	return NULL;
}

#define MAX_COLS 64

/*
 * --view alloc: per trace, allocators down, codecs across, each cell the
 * run's peak memory over the ideal allocator's.  Text tables are split
 * into as many 80-column blocks of codecs as it takes.
 */
/* @name as a table shows it: its kernel is the trace's (first run's) */
static const char *shown(const char *name, json_t *runs, const char *trace)
{
	static char bufs[4][256];
	static unsigned int next;
	char *buf = bufs[next++ % 4];
	json_t *run;
	size_t i;

	snprintf(buf, sizeof(bufs[0]), "%s", name);
	json_array_foreach(runs, i, run)
		if (!strcmp(sl_results_str(run, "trace"), trace)) {
			sl_fmt_short_name(buf, sl_results_str(run, "kernel"));
			break;
		}
	return buf;
}

static int print_alloc_view(json_t *runs, enum fmt fmt, bool labelled)
{
	const char *traces[MAX_COLS], *codecs[MAX_COLS], *allocs[MAX_COLS];
	int nt, nc, na, t, c, a, c0, c1, w, aw;
	json_t *rows = json_array(), *run, *ideal, *first;
	const char *alloc, *label;
	size_t ri;
	double v, iv, sum;
	int cnt, cells = 0;
	char buf[32];

	nt = distinct(runs, NULL, "trace", traces, MAX_COLS);
	if (fmt == F_CSV)
		printf("trace,alloc,codec,mem_used_max,ideal_mem_used_max,over_ideal%s\n",
		       labelled ? ",run" : "");
	for (t = 0; t < nt; t++) {
		nc = distinct(runs, traces[t], "codec", codecs, MAX_COLS);
		/* a row per allocator and label: one run per cell */
		na = distinct(runs, traces[t], "_row", allocs, MAX_COLS);
		for (a = 0, aw = 12; a < na; a++)
			aw = max_t(int, aw, strlen(shown(allocs[a], runs,
							     traces[t])));
		for (c0 = 0; c0 < nc; c0 = c1) {
			/* as many codec columns as fit in 80 with "mean" */
			for (c1 = c0, w = aw + 8; c1 < nc; c1++) {
				int cw = strlen(shown(codecs[c1], runs,
						      traces[t])) + 1;

				w += cw > 8 ? cw : 8;
				if (fmt == F_TEXT && w > 80 && c1 > c0)
					break;
			}
			if (fmt == F_TEXT || fmt == F_MD) {
				printf("%s%s", t || c0 ? "\n" : "",
				       fmt == F_MD ? "### " : "trace: ");
				if (fmt == F_MD)
					md_str(traces[t]);
				else
					fputs(traces[t], stdout);
				printf(": peak memory over ideal (mem_used_max)\n");
				if (fmt == F_MD)
					printf("\n| alloc |");
				else
					printf("%-*s", aw, "alloc");
				for (c = c0; c < c1; c++)
					printf(fmt == F_MD ? " %s |" : " %7s",
					       shown(codecs[c], runs,
						     traces[t]));
				printf(fmt == F_MD ? " mean |\n|---|" : " %7s\n",
				       "mean");
				if (fmt == F_MD) {
					for (c = c0; c <= c1; c++)
						printf("---:|");
					printf("\n");
				}
			}
			for (a = 0; a < na; a++) {
				first = NULL;
				json_array_foreach(runs, ri, first)
					if (!strcmp(sl_results_str(first, "_row"),
						    allocs[a]))
						break;
				alloc = sl_results_str(first, "alloc");
				label = sl_results_str(first, "_label");
				if (!strcmp(alloc, "ideal"))
					continue;
				if (fmt == F_TEXT)
					printf("%-*s", aw, shown(allocs[a], runs,
								  traces[t]));
				else if (fmt == F_MD)
					printf("| %s |", shown(allocs[a], runs,
							       traces[t]));
				sum = 0;
				cnt = 0;
				for (c = c0; c < c1; c++) {
					run = find_run(runs, traces[t], codecs[c],
						       alloc, label);
					ideal = find_run(runs, traces[t], codecs[c],
							 "ideal", label);
					if (!ideal)
						ideal = find_run(runs, traces[t],
								 codecs[c],
								 "ideal", NULL);
					v = sl_metric_value(run, "mem_used_max");
					iv = sl_metric_value(ideal, "mem_used_max");
					if (run && ideal && iv > 0 && !isnan(v)) {
						v = v / iv - 1;
						sum += v;
						cnt++;
						cells++;
						snprintf(buf, sizeof(buf), "%.1f%%",
							 100 * v);
					} else {
						v = NAN;
						snprintf(buf, sizeof(buf), "-");
					}
					if (fmt == F_TEXT)
						printf(" %7s", buf);
					else if (fmt == F_MD)
						printf(" %s |", buf);
					if (isnan(v) || (fmt != F_CSV &&
							 fmt != F_JSON))
						continue;
					if (fmt == F_CSV) {
						csv_str(traces[t]);
						putchar(',');
						csv_str(shown(alloc, runs, traces[t]));
						putchar(',');
						csv_str(shown(codecs[c], runs,
							      traces[t]));
						printf(",%.0f,%.0f,%.6f",
						       sl_metric_value(run, "mem_used_max"),
						       iv, v);
						if (labelled) {
							putchar(',');
							csv_str(label);
						}
						putchar('\n');
					} else {
						json_array_append_new(rows, json_pack(
							"{s:s, s:s, s:s, s:f, s:f, s:f, s:s}",
							"trace", traces[t],
							"run", label,
							"alloc", alloc,
							"codec", codecs[c],
							"mem_used_max",
							sl_metric_value(run, "mem_used_max"),
							"ideal_mem_used_max", iv,
							"over_ideal", v));
					}
				}
				snprintf(buf, sizeof(buf), cnt ? "%.1f%%" : "-",
					 cnt ? 100 * sum / cnt : 0);
				if (fmt == F_TEXT)
					printf(" %7s\n", buf);
				else if (fmt == F_MD)
					printf(" %s |\n", buf);
			}
			if (fmt != F_TEXT)
				c1 = nc;
		}
	}
	if (fmt == F_JSON) {
		json_t *o = json_pack("{s:s, s:o}", "view", "alloc", "rows", rows);

		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(o);
	} else {
		json_decref(rows);
	}
	if (!cells)
		return sl_err("no run has an 'ideal' run beside it on the same trace and codec (replay with --alloc ...,ideal)");
	return EXIT_YES;
}

/* @name's figure of @run at its peak (a state figure of the table) */
static double pk(json_t *run, const char *name)
{
	return sl_metric_num(sl_metric_find(name), run, SL_AT_PEAK);
}

/*
 * --view chunk: runs of `replay --chunk`, per trace and codec one row per
 * unit size, so that 4k (zram as it is) heads each group and the what-if
 * sizes read against it.
 */
static const char *const chunk_units[] = { "4k", "16k", "16k+split",
	"32k", "32k+split", "64k", "64k+split", "folio", "folio+split" };

static json_t *find_chunk_run(json_t *runs, const char *trace,
			      const char *codec, const char *alloc,
			      const char *unit)
{
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r)
		if (!strcmp(sl_results_str(r, "trace"), trace) &&
		    !strcmp(sl_results_str(r, "codec"), codec) &&
		    !strcmp(sl_results_str(r, "alloc"), alloc) &&
		    !strcmp(sl_results_str(json_object_get(r, "chunk"),
					   "unit"), unit))
			return r;
	return NULL;
}

static int print_chunk_view(json_t *runs, enum fmt fmt)
{
	static const char *const cols[] = { "codec", "unit", "chunked",
		"ratio", "eff", "cum", "dec/read", "amp", "stranded" };
	const char *traces[MAX_COLS], *codecs[MAX_COLS], *allocs[MAX_COLS];
	json_t *rows = json_array(), *run;
	int nt, nc, na, t, c, a, rows_n = 0;
	double stored, chunked, stranded, dec;
	size_t u, k;

	nt = distinct(runs, NULL, "trace", traces, MAX_COLS);
	if (fmt == F_CSV)
		printf("trace,codec,alloc,unit,pages_in_chunks,pages_stored,ratio,effective_ratio,ratio_cumulative,decompress_ns_per_page_read,read_amplification,stranded_pages,peak_op,verify_failures\n");
	for (t = 0; t < nt; t++) {
		nc = distinct(runs, traces[t], "codec", codecs, MAX_COLS);
		na = distinct(runs, traces[t], "alloc", allocs, MAX_COLS);
		for (a = 0; a < na; a++) {
			bool head = false;

			for (c = 0; c < nc; c++) {
				for (u = 0; u < sizeof(chunk_units) /
				     sizeof(chunk_units[0]); u++) {
					run = find_chunk_run(runs, traces[t],
							     codecs[c],
							     allocs[a],
							     chunk_units[u]);
					if (!run)
						continue;
					if (!head && (fmt == F_TEXT ||
						      fmt == F_MD)) {
						printf("%s%s", rows_n ? "\n" : "",
						       fmt == F_MD ? "### " :
						       "trace: ");
						printf("%s, %s: at peak; cum: every page compressed\n",
						       traces[t],
						       shown(allocs[a], runs,
							     traces[t]));
						if (fmt == F_MD) {
							printf("\n|");
							for (k = 0; k < 9; k++)
								printf(" %s |",
								       cols[k]);
							printf("\n|---|---|");
							for (k = 2; k < 9; k++)
								printf("---:|");
							printf("\n");
						} else {
							printf("%-10s %-9s %7s %6s %6s %6s %9s %5s %8s\n",
							       cols[0], cols[1],
							       cols[2], cols[3],
							       cols[4], cols[5],
							       cols[6], cols[7],
							       cols[8]);
						}
					}
					head = true;
					rows_n++;
					stored = pk(run, "pages_stored");
					chunked = sl_metric_value(run, "pages_in_chunks_at_peak");
					stranded = sl_metric_value(run, "stranded_pages_at_peak");
					dec = sl_metric_value(run, "decompress_ns_per_page_read");
					if (fmt == F_TEXT || fmt == F_MD)
						printf(fmt == F_MD ?
						       "| %s | %s | %.1f%% | %.3f | %.3f | %.3f | %.0f ns | %.2f | %.1f%% |\n" :
						       "%-10s %-9s %6.1f%% %6.3f %6.3f %6.3f %6.0f ns %5.2f %7.1f%%\n",
						       shown(codecs[c], runs, traces[t]),
						       chunk_units[u],
						       stored > 0 ? 100 * chunked / stored : 0,
						       sl_metric_value(run, "ratio_at_peak"),
						       sl_metric_value(run, "eff_ratio_at_peak"),
						       sl_metric_value(run, "ratio_cumulative"),
						       dec,
						       sl_metric_value(run, "read_amplification"),
						       stored > 0 ? 100 * stranded / stored : 0);
					if (fmt == F_CSV) {
						csv_str(traces[t]);
						putchar(',');
						csv_str(codecs[c]);
						putchar(',');
						csv_str(allocs[a]);
						printf(",%s,%.0f,%.0f,%.6f,%.6f,%.6f,%.1f,%.6f,%.0f,%.0f,%.0f\n",
						       chunk_units[u], chunked,
						       stored,
						       sl_metric_value(run, "ratio_at_peak"),
						       sl_metric_value(run, "eff_ratio_at_peak"),
						       sl_metric_value(run, "ratio_cumulative"),
						       dec,
						       sl_metric_value(run, "read_amplification"),
						       stranded,
						       sl_metric_value(run, "peak_op"),
						       sl_metric_value(run, "verify_failures"));
					}
					if (fmt == F_JSON)
						json_array_append_new(rows, json_pack(
							"{s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
							"trace", traces[t],
							"codec", codecs[c],
							"alloc", allocs[a],
							"unit", chunk_units[u],
							"pages_in_chunks", chunked,
							"pages_stored", stored,
							"ratio", sl_metric_value(run, "ratio_at_peak"),
							"effective_ratio", sl_metric_value(run, "eff_ratio_at_peak"),
							"ratio_cumulative", sl_metric_value(run, "ratio_cumulative"),
							"decompress_ns_per_page_read", dec,
							"read_amplification", sl_metric_value(run, "read_amplification"),
							"stranded_pages", stranded));
				}
			}
		}
	}
	if (fmt == F_JSON) {
		json_t *o = json_pack("{s:s, s:o}", "view", "chunk", "rows", rows);

		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(o);
	} else {
		json_decref(rows);
	}
	if (!rows_n)
		return sl_err("no run was replayed with --chunk (swaplab replay --chunk 16k ...)");
	if (fmt == F_TEXT)
		printf("\nchunked: pages stored in multi-page objects; eff: orig / mem_used_total;\n"
		       "dec/read: decompression per page read; amp: pages decompressed per page\n"
		       "read; stranded: freed pages whose object is still held, per live page\n");
	return EXIT_YES;
}

/* ---- --format cover-letter: 72 columns, one unit a column, provenance */

#define CL_COLS		72
#define CL_NAME		10	/* codec and alloc columns; longer: [n] */

/* @text after @lead, wrapped to CL_COLS at spaces, continued under @ind */
static void cl_wrapped(const char *lead, const char *text, int ind)
{
	int col = printf("%-*s", ind, lead), n;

	while (*text) {
		n = strcspn(text, " ");
		if (col > ind && col + 1 + n > CL_COLS) {
			col = printf("\n%*s", ind, "") - 1;
		} else if (col > ind) {
			putchar(' ');
			col++;
		}
		col += printf("%.*s", n, text);
		text += n;
		text += strspn(text, " ");
	}
	putchar('\n');
}

/* the command line, wrapped as a shell continues it: " \" */
static void cl_command(const char *cmd)
{
	int col = printf("  "), n;

	while (*cmd) {
		n = strcspn(cmd, " ");
		/* keep a quoted argument whole */
		if (cmd[0] == '\'') {
			const char *q = strchr(cmd + 1, '\'');

			n = q ? (int)(q - cmd + 1 + strcspn(q + 1, " ")) :
			    (int)strlen(cmd);
		}
		if (col > 2 && col + 1 + n > CL_COLS - 2) {
			printf(" \\\n");
			col = printf("      ");
		} else if (col > 2) {
			putchar(' ');
			col++;
		}
		col += printf("%.*s", n, cmd);
		cmd += n;
		cmd += strspn(cmd, " ");
	}
	putchar('\n');
}

/* a name that fits CL_NAME, or "[n]" with @n its legend entry */
static const char *cl_name(const char *name, const char **legend, int *nl,
			   char *buf, size_t len)
{
	int i;

	if (strlen(name) <= CL_NAME)
		return name;
	for (i = 0; i < *nl && strcmp(legend[i], name); i++)
		;
	if (i == *nl && *nl < MAX_COLS)
		legend[(*nl)++] = name;
	snprintf(buf, len, "[%d]", i + 1);
	return buf;
}

/* the trace's content hash: the run's, else the file's, else "n/a" */
static void cl_trace_hash(json_t *run, char *buf, size_t len)
{
	const char *h = sl_results_str(run, "trace_hash");
	char now[SL_TRACE_HASH_LEN];

	if (*h)
		snprintf(buf, len, "%s", h);
	else if (!sl_trace_hash(sl_results_str(run, "trace"), now))
		snprintf(buf, len, "%s (of the file now)", now);
	else
		snprintf(buf, len, "n/a (not in the results; the file is not readable here)");
}

/* @key's distinct values over @trace's runs, each once, after @lead */
static void cl_distinct(json_t *runs, const char *trace, const char *lead,
			const char *key, const char *none)
{
	const char *vals[MAX_COLS];
	int n, i;

	n = distinct(runs, trace, key, vals, MAX_COLS);
	for (i = 0; i < n; i++)
		cl_wrapped(i ? "" : lead, *vals[i] ? vals[i] : none, 16);
}

static void print_cover_letter(json_t *runs)
{
	static const char *const moment_text[] = {
		[SL_AT_PEAK] = "at peak: just after the op that raised the pool's memory to its maximum, each run its own",
		[SL_AT_END] = "at the end of the trace, after its last op",
		[SL_AT_CUMULATIVE] = "ratio over every page stored in the run, frees ignored (no state figures)",
	};
	const struct sl_metric *f_ratio = find_field("ratio"),
		*f_eff = find_field("effective_ratio"),
		*f_frag = find_field("fragmentation"),
		*f_mem = find_field("mem_used_total"),
		*f_comp = find_field("comp_p50"), *f_dec = find_field("decomp_p50"),
		*f_fail = find_field("failed_stores");
	const char *traces[MAX_COLS], *legend[MAX_COLS], *allocs[MAX_COLS];
	char when[128], cb[16], ab[16], hash[128], item[512];
	double mem_max, unit;
	bool fails, labelled;
	int nt, t, nl, i, na;
	json_t *run, *first;
	size_t k;

	nt = distinct(runs, NULL, "trace", traces, MAX_COLS);
	for (t = 0; t < nt; t++) {
		nl = 0;
		mem_max = 0;
		fails = labelled = false;
		first = NULL;
		json_array_foreach(runs, k, run) {
			if (strcmp(sl_results_str(run, "trace"), traces[t]))
				continue;
			first = first ? first : run;
			mem_max = fmax(mem_max, field_num(f_mem, runs, run));
			fails |= sl_results_num(run, f_fail->path) > 0;
			labelled |= *sl_results_str(run, "_label") != 0;
		}
		unit = mem_max >= 1 << 20 ? 1 << 20 : 1 << 10;
		moment_line(runs, traces[t], when, sizeof(when));
		printf("%s", t ? "\n" : "");
		snprintf(item, sizeof(item), "%s (%s), %s", traces[t],
			 sl_results_str(first, "trace_source"), when);
		cl_wrapped("Trace:", item, 7);
		printf("\n%-*s %-*s %6s %5s %5s %6s %6s %6s%s%s\n", CL_NAME,
		       "codec", CL_NAME, "alloc", "ratio", "eff", "frag",
		       "mem", "comp", "dec", fails ? " failed" : "",
		       labelled ? "  run" : "");
		printf("%-*s %-*s %6s %5s %5s %6s %6s %6s%s%s\n", CL_NAME, "",
		       CL_NAME, "", "x", "x", "%", unit > 1024 ? "MiB" : "KiB",
		       "us", "us", fails ? "  pages" : "", "");
		json_array_foreach(runs, k, run) {
			double v[6];

			if (strcmp(sl_results_str(run, "trace"), traces[t]))
				continue;
			v[0] = field_num(f_ratio, runs, run);
			v[1] = field_num(f_eff, runs, run);
			v[2] = 100 * field_num(f_frag, runs, run);
			v[3] = field_num(f_mem, runs, run) / unit;
			v[4] = field_num(f_comp, runs, run) / 1000;
			v[5] = field_num(f_dec, runs, run) / 1000;
			printf("%-*s %-*s", CL_NAME,
			       cl_name(sl_results_str(run, "codec"), legend,
				       &nl, cb, sizeof(cb)), CL_NAME,
			       cl_name(sl_results_str(run, "alloc"), legend,
				       &nl, ab, sizeof(ab)));
			for (i = 0; i < 6; i++) {
				static const int wd[] = { 6, 5, 5, 6, 6, 6 };
				static const int dg[] = { 2, 2, 1, 2, 1, 1 };

				if (isnan(v[i]))
					printf(" %*s", wd[i], "-");
				else
					printf(" %*.*f", wd[i], dg[i], v[i]);
			}
			if (fails)
				printf(" %6.0f", sl_results_num(run,
							       f_fail->path));
			if (labelled)
				printf("  %s", cl_name(sl_results_str(run,
						"_label"), legend, &nl, cb,
						sizeof(cb)));
			printf("\n");
		}
		printf("\n");
		cl_wrapped("Legend:", "ratio = original / compressed bytes; "
			   "eff = original bytes / pool memory (effective ratio); "
			   "frag = pool memory not holding compressed bytes; "
			   "mem = pool memory (mem_used_total).", 8);
		snprintf(item, sizeof(item), "Sizes and ratios %s. comp, dec = median time a page spends in the codec.%s",
			 moment_text[report_at], fails ?
			 " failed = stores refused (memlimit or a full pool)." : "");
		cl_wrapped("", item, 8);
		for (i = 0; i < nl; i++) {
			snprintf(cb, sizeof(cb), "[%d]", i + 1);
			cl_wrapped(cb, legend[i], 8);
		}
		printf("\nProvenance:\n");
		cl_distinct(runs, traces[t], "  swaplab", "_swaplab_version",
			    "n/a");
		cl_trace_hash(first, hash, sizeof(hash));
		cl_wrapped("  trace hash", hash, 16);
		cl_distinct(runs, traces[t], "  trace from", "trace_kernel",
			    "n/a (not in these results)");
		cl_distinct(runs, traces[t], "  codecs", "codec_source",
			    "n/a");
		na = distinct(runs, traces[t], "alloc", allocs, MAX_COLS);
		for (i = 0; i < na; i++) {
			run = NULL;
			json_array_foreach(runs, k, run)
				if (!strcmp(sl_results_str(run, "alloc"),
					    allocs[i]))
					break;
			snprintf(item, sizeof(item), "%s = %s; huge_threshold %.0f",
				 allocs[i], *sl_results_str(run, "alloc_desc") ?
				 sl_results_str(run, "alloc_desc") :
				 "(description not in these results)",
				 sl_results_num(run, "settings.huge_threshold"));
			cl_wrapped(i ? "" : "  allocator", item, 16);
		}
		cl_distinct(runs, traces[t], "  host CPU", "host_cpu",
			    "n/a (not in these results)");
		{
			const char *cmds[MAX_COLS];
			int nc = distinct(runs, traces[t], "command_line",
					  cmds, MAX_COLS);

			printf("  reproduce with:\n");
			for (i = 0; i < nc; i++)
				if (*cmds[i])
					cl_command(cmds[i]);
				else
					printf("  n/a (results older than the command line record)\n");
		}
	}
}

/* --format json --fields: trace, codec, alloc and the fields, raw */
static void print_json_fields(json_t *runs, const struct sl_metric **fl, int nf)
{
	json_t *out = json_array(), *run, *o;
	char col[64];
	size_t i;
	double v;
	int k;

	json_array_foreach(runs, i, run) {
		o = json_pack("{s:s, s:s, s:s, s:s}",
			      "trace", sl_results_str(run, "trace"),
			      "kernel", sl_results_str(run, "kernel"),
			      "codec", sl_results_str(run, "codec"),
			      "alloc", sl_results_str(run, "alloc"));
		for (k = 0; k < nf; k++) {
			if (fl[k]->kind == SL_K_STR) {
				json_object_set_new(o, sl_metric_report_name(fl[k]), json_string(
					sl_results_str(run, fl[k]->path)));
				continue;
			}
			v = field_num(fl[k], runs, run);
			json_object_set_new(o, field_col(fl[k], col,
					    sizeof(col)), isnan(v) ?
					    json_null() : json_real(v));
		}
		json_array_append_new(out, o);
	}
	o = json_pack("{s:o}", "runs", out);
	json_dumpf(o, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(o);
}

/* @m's other names: its report key and the table's aliases of it */
static void other_names(const struct sl_metric *m, char *buf, size_t len)
{
	const char *alias, *name;
	size_t i, n = 0;

	buf[0] = 0;
	if (m->report)
		n += snprintf(buf, len, "%s", m->report);
	for (i = 0; sl_metric_alias(i, &alias, &name); i++)
		if (!strcmp(name, m->name) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      alias);
}

static void backend_names(unsigned int be, char *buf, size_t len)
{
	unsigned int b;
	size_t n = 0;

	buf[0] = 0;
	for (b = 1; b & SL_BE_ALL; b <<= 1)
		if ((be & b) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      sl_metric_backend_name(b));
}

static const char *better_name(const struct sl_metric *m)
{
	return m->better > 0 ? "higher" : m->better < 0 ? "lower" : "-";
}

/* --list-fields: the table, as text or csv */
static void list_fields(enum fmt fmt)
{
	static const char *const show_names[] = {
		"report", "compare", "plot", "chunk-view",
	};
	char also[128], be[64], sh[64];
	const struct sl_metric *m;
	size_t i, k, n;

	if (fmt == F_CSV)
		printf("name,aliases,unit,better,moment,backends,shown_by,path,repeats_path,meaning\n");
	else
		printf("%-27s %-8s %-6s %s\n", "metric", "unit", "better",
		       "meaning");
	for (i = 0; i < sl_metrics_nr(); i++) {
		m = &sl_metrics[i];
		other_names(m, also, sizeof(also));
		backend_names(m->backends, be, sizeof(be));
		if (fmt != F_CSV) {
			printf("%-27s %-8s %-6s %s%s\n", m->name,
			       sl_metric_unit(m->kind), better_name(m),
			       m->meaning, m->moment ? " (--at)" : "");
			printf("%27s in: %s%s%s\n", "", *be ? be :
			       "no results file (report's own)",
			       *also ? "; also: " : "", also);
			continue;
		}
		for (k = n = 0; k < sizeof(show_names) / sizeof(show_names[0]);
		     k++)
			if (m->shown & (1u << k))
				n += snprintf(sh + n, sizeof(sh) - n, "%s%s",
					      n ? " " : "", show_names[k]);
		sh[n] = 0;
		printf("%s,%s,%s,%s,%s,%s,%s,%s,%s,", m->name, also,
		       sl_metric_unit(m->kind), better_name(m),
		       m->moment ? "yes" : "no", be, sh,
		       m->path ? m->path : "", m->rpath ? m->rpath : "");
		csv_str(m->meaning);
		putchar('\n');
	}
}

/*
 * --list-fields RESULTS.json...: every figure the table says a run's
 * backend writes must be in the run.  Return: an exit code.
 */
static int check_fields(json_t *runs)
{
	const struct sl_metric *m;
	unsigned int be;
	size_t i, k, missing = 0, checked = 0;
	json_t *run;

	json_array_foreach(runs, i, run) {
		be = sl_metric_backend(run);
		if (!be) {
			printf("run %zu (%s/%s): no backend known to the table: not checked\n",
			       i, sl_results_str(run, "codec"),
			       sl_results_str(run, "alloc"));
			continue;
		}
		checked++;
		for (k = 0; k < sl_metrics_nr(); k++) {
			m = &sl_metrics[k];
			if (!sl_metric_missing(m, run))
				continue;
			printf("run %zu (%s, %s/%s): no %s (%s)\n", i,
			       sl_metric_backend_name(be),
			       sl_results_str(run, "codec"),
			       sl_results_str(run, "alloc"), m->name, m->path);
			missing++;
		}
	}
	printf("%zu run%s checked against the metric table: %zu figure%s missing\n",
	       checked, checked == 1 ? "" : "s", missing,
	       missing == 1 ? "" : "s");
	return missing ? EXIT_NO : EXIT_YES;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "view", required_argument, NULL, 'v' },
		{ "at", required_argument, NULL, 'a' },
		{ "list-fields", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sl_metric *fl[NR_FIELDS * 2];
	char *items[64], err[512];
	struct sl_seen seen = { 0 };
	json_t *all = NULL, *doc, *grouped;
	enum fmt fmt = F_TEXT;
	bool alloc_view = false, explicit_fields = false, labelled;
	bool chunk_view = false, list = false;
	int c, i, nf = 0, n, ret = EXIT_TROUBLE;
	size_t k;

	optind = 1;
	opterr = 0;
	report_at = SL_AT_PEAK;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = F_TEXT;
			else if (!strcmp(optarg, "csv"))
				fmt = F_CSV;
			else if (!strcmp(optarg, "markdown"))
				fmt = F_MD;
			else if (!strcmp(optarg, "json"))
				fmt = F_JSON;
			else if (!strcmp(optarg, "cover-letter"))
				fmt = F_COVER;
			else
				return sl_usage_err("unknown format '%s'", optarg);
			break;
		case 'F':
			n = sl_split_list(optarg, items, 64);
			if (n <= 0)
				return sl_usage_err("bad --fields list");
			nf = 0;
			for (i = 0; i < n; i++) {
				fl[nf] = find_field(items[i]);
				if (!fl[nf] || nf == (int)NR_FIELDS * 2 - 1) {
					sl_usage_err("unknown field '%s'", items[i]);
					sl_free_list(items, n);
					return EXIT_TROUBLE;
				}
				nf++;
			}
			sl_free_list(items, n);
			explicit_fields = true;
			break;
		case 'v':
			if (!strcmp(optarg, "runs"))
				alloc_view = false;
			else if (!strcmp(optarg, "alloc"))
				alloc_view = true;
			else if (!strcmp(optarg, "chunk"))
				chunk_view = true;
			else
				return sl_usage_err("unknown view '%s' (runs, alloc or chunk)",
						    optarg);
			break;
		case 'a':
			for (k = 0; k < sizeof(moment_names) / sizeof(moment_names[0]) &&
			     strcmp(optarg, moment_names[k]); k++)
				;
			if (k == sizeof(moment_names) / sizeof(moment_names[0]))
				return sl_usage_err("unknown moment '%s' for --at (peak, end or cumulative)",
						    optarg);
			report_at = k;
			break;
		case 'L':
			list = true;
			break;
		case 'h':
			fputs(report_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "h");
		}
	}
	if (list && fmt != F_TEXT && fmt != F_CSV)
		return sl_usage_err("--list-fields prints text or csv");
	if (list && optind == argc) {
		list_fields(fmt);
		return EXIT_YES;
	}
	if (optind == argc)
		return sl_usage_err("no results file given");
	all = json_array();
	for (i = optind; i < argc; i++) {
		doc = sl_results_load(argv[i], err, sizeof(err));
		if (!doc) {
			ret = sl_err("%s", err);
			goto out;
		}
		if (argc - optind > 1) {
			const char *base = strrchr(argv[i], '/');
			char name[256];
			json_t *r;
			size_t j;
			int o;

			/* the file's name; its position if two share it */
			base = base ? base + 1 : argv[i];
			snprintf(name, sizeof(name), "%s", base);
			for (o = optind; o < argc; o++) {
				const char *ob = strrchr(argv[o], '/');

				if (o != i && !strcmp(ob ? ob + 1 : argv[o],
						      base))
					snprintf(name, sizeof(name), "%d:%s",
						 i - optind + 1, base);
			}
			json_array_foreach(json_object_get(doc, "runs"), j, r)
				json_object_set_new(r, "_file",
						    json_string(name));
		}
		{
			/* the run's own version (merged files), else the file's */
			const char *ver = sl_results_str(doc, "swaplab_version");
			json_t *r;
			size_t j;

			json_array_foreach(json_object_get(doc, "runs"), j, r)
				json_object_set_new(r, "_swaplab_version",
					json_string(*sl_results_str(r,
					"swaplab_version") ? sl_results_str(r,
					"swaplab_version") : ver));
		}
		json_array_extend(all, json_object_get(doc, "runs"));
		json_decref(doc);
	}
	if (list) {
		ret = check_fields(all);
		goto out;
	}
	if (!nf && any_zswap(all))
		for (k = 0; k < sizeof(frontend_fields) /
		     sizeof(frontend_fields[0]); k++)
			fl[nf++] = find_field(frontend_fields[k]);
	if (!nf)
		for (k = 0; k < sizeof(default_fields) /
		     sizeof(default_fields[0]); k++)
			fl[nf++] = find_field(default_fields[k]);
	grouped = group_by_trace(all);
	json_decref(all);
	all = grouped;
	labelled = label_runs(all);
	if (labelled && !explicit_fields && !alloc_view)
		fl[nf++] = find_field("run");
	/* work refused or moved away is shown when there is any */
	if (!explicit_fields) {
		static const char *const extra[] = { "failed_stores",
						     "bd_writes" };
		const struct sl_metric *f;
		size_t j;
		json_t *r;

		for (k = 0; k < sizeof(extra) / sizeof(extra[0]); k++) {
			f = find_field(extra[k]);
			json_array_foreach(all, j, r)
				if (sl_results_num(r, f->path) > 0)
					break;
			if (j < json_array_size(all))
				fl[nf++] = f;
		}
	}
	/* csv and json rows carry the op of each run's peak */
	if (report_at == SL_AT_PEAK && (fmt == F_CSV || fmt == F_JSON)) {
		const struct sl_metric *op = find_field("peak_op");

		for (i = 0; i < nf && fl[i] != op; i++)
			;
		if (i == nf)
			fl[nf++] = op;
	}
	if (alloc_view) {
		ret = print_alloc_view(all, fmt, labelled);
		goto out;
	}
	if (chunk_view) {
		ret = print_chunk_view(all, fmt);
		goto out;
	}
	if (fmt == F_COVER) {
		print_cover_letter(all);
	} else if (fmt == F_JSON && explicit_fields) {
		print_json_fields(all, fl, nf);
	} else if (fmt == F_JSON) {
		json_t *o;

		unlabel_runs(all);
		o = json_pack("{s:O}", "runs", all);

		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(o);
	} else {
		print_table(all, fl, nf, fmt);
	}
	ret = EXIT_YES;
out:
	json_decref(all);
	return ret;
}
