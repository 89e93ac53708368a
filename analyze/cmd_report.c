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

static const char report_usage[] =
"usage: swaplab report RESULTS.json... [--format text|csv|markdown|json]\n"
"                      [--fields LIST] [--view runs|alloc]\n"
"\n"
"--view runs (default): one row per run, grouped by trace.\n"
"--view alloc: one row per allocator, one column per codec: peak memory\n"
"  (mem_used_max) over the 'ideal' allocator's on the same trace and codec\n"
"  (replay with --alloc ...,ideal); csv and json give one record per cell.\n"
"--format json: without --fields, the runs themselves (a results file);\n"
"  with --fields, {\"runs\": [...]} holding trace, codec, alloc and the\n"
"  fields as raw numbers.\n"
"--fields picks columns from:\n"
"  codec alloc ratio effective_ratio fragmentation mem_used_total\n"
"  mem_used_max compr_data_size orig_data_size same_pages huge_pages\n"
"  pages_compacted comp_p50 comp_p99 decomp_p50 decomp_p99 store_p50\n"
"  store_p99 load_p50 load_p99 ops_per_sec verify_failures over_ideal\n"
"  frontend swap_writes and, for zswap runs, its debugfs and vmstat\n"
"  names: stored_pages pool_total_size same_filled_pages\n"
"  written_back_pages pool_limit_hit reject_compress_poor\n"
"  reject_reclaim_fail reject_alloc_fail reject_uncounted zswpout\n"
"  zswpin zswpwb (default with a zswap run: frontend codec alloc ratio\n"
"  mem_used_max mem_used_total swap_writes written_back_pages\n"
"  pool_limit_hit reject_compress_poor verify_failures)\n";

struct field {
	const char *name, *head;
	const char *path;
	enum sl_kind kind;
	int width;
};

static const struct field fields[] = {
	{ "codec", "codec", "codec", SL_K_STR, 12 },
	{ "alloc", "alloc", "alloc", SL_K_STR, 12 },
	{ "ratio", "ratio", "ratio", SL_K_RATIO, 6 },
	{ "effective_ratio", "eff", "effective_ratio", SL_K_RATIO, 5 },
	{ "fragmentation", "frag", "fragmentation", SL_K_PCT, 6 },
	{ "mem_used_total", "mem_used", "mem_used_total", SL_K_BYTES, 9 },
	{ "mem_used_max", "mem_max", "mem_used_max", SL_K_BYTES, 10 },
	{ "compr_data_size", "compr", "compr_data_size", SL_K_BYTES, 10 },
	{ "orig_data_size", "orig", "orig_data_size", SL_K_BYTES, 10 },
	{ "same_pages", "same", "same_pages", SL_K_INT, 8 },
	{ "huge_pages", "huge", "huge_pages", SL_K_INT, 8 },
	{ "pages_compacted", "compacted", "pages_compacted", SL_K_INT, 9 },
	{ "comp_p50", "comp p50", "latency_ns.compress.p50", SL_K_NS, 8 },
	{ "comp_p99", "comp p99", "latency_ns.compress.p99", SL_K_NS, 8 },
	{ "decomp_p50", "dec p50", "latency_ns.decompress.p50", SL_K_NS, 8 },
	{ "decomp_p99", "dec p99", "latency_ns.decompress.p99", SL_K_NS, 8 },
	{ "store_p50", "st p50", "latency_ns.store.p50", SL_K_NS, 8 },
	{ "store_p99", "st p99", "latency_ns.store.p99", SL_K_NS, 8 },
	{ "load_p50", "ld p50", "latency_ns.load.p50", SL_K_NS, 8 },
	{ "load_p99", "ld p99", "latency_ns.load.p99", SL_K_NS, 8 },
	{ "ops_per_sec", "ops/s", "throughput.ops_per_sec", SL_K_RATE, 8 },
	{ "verify_failures", "verify", "verify_failures", SL_K_INT, 6 },
	{ "over_ideal", "+ideal", NULL, SL_K_PCT, 7 },
	/* front ends: what each holds, sends to the disk and refuses */
	{ "frontend", "front", "frontend", SL_K_STR, 6 },
	{ "swap_writes", "to disk", "swap_writes", SL_K_INT, 8 },
	{ "stored_pages", "stored", "zswap.stored_pages", SL_K_INT, 8 },
	{ "pool_total_size", "pool", "zswap.pool_total_size", SL_K_BYTES, 9 },
	{ "same_filled_pages", "same", "zswap.same_filled_pages", SL_K_INT, 7 },
	{ "written_back_pages", "wrback", "zswap.written_back_pages",
	  SL_K_INT, 7 },
	{ "pool_limit_hit", "limhit", "zswap.pool_limit_hit", SL_K_INT, 7 },
	{ "reject_compress_poor", "rj_poor", "zswap.reject_compress_poor",
	  SL_K_INT, 7 },
	{ "reject_reclaim_fail", "rj_recl", "zswap.reject_reclaim_fail",
	  SL_K_INT, 7 },
	{ "reject_alloc_fail", "rj_alloc", "zswap.reject_alloc_fail",
	  SL_K_INT, 8 },
	{ "reject_uncounted", "rj_thr", "reject_uncounted", SL_K_INT, 7 },
	{ "zswpout", "zswpout", "vmstat.zswpout", SL_K_INT, 8 },
	{ "zswpin", "zswpin", "vmstat.zswpin", SL_K_INT, 8 },
	{ "zswpwb", "zswpwb", "vmstat.zswpwb", SL_K_INT, 8 },
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

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

enum fmt { F_TEXT, F_CSV, F_MD, F_JSON };

static const struct field *find_field(const char *name)
{
	size_t i;

	for (i = 0; i < NR_FIELDS; i++)
		if (!strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
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
			double ideal = sl_results_num(o, "mem_used_max");

			if (ideal > 0)
				return sl_results_num(run, "mem_used_max") /
				       ideal - 1;
		}
	}
	return NAN;
}

/* text cells fit 80 columns; csv prints the figures raw instead */
static const struct sl_fig_style report_style = {
	.ratio_digits = 2,
	.pct_digits = 1,
	.rate_unit = false,
};

static void cell(char *buf, size_t len, const struct field *f, json_t *runs,
		 json_t *run, enum fmt fmt)
{
	double v = f->path ? sl_results_num(run, f->path) :
		   over_ideal(runs, run);

	if (f->kind == SL_K_STR) {
		snprintf(buf, len, "%s", sl_results_str(run, f->path));
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

static void print_table(json_t *runs, const struct field **fl, int nf,
			enum fmt fmt)
{
	const char *trace = NULL;
	char buf[64];
	json_t *run;
	size_t i;
	int k;

	json_array_foreach(runs, i, run) {
		const char *t = sl_results_str(run, "trace");

		if (!trace || strcmp(trace, t)) {
			if (fmt == F_CSV) {
				if (!trace) {
					printf("trace");
					for (k = 0; k < nf; k++)
						printf(",%s", fl[k]->name);
					printf("\n");
				}
			} else {
				printf("%s%s", trace ? "\n" : "",
				       fmt == F_MD ? "### " : "trace: ");
				if (fmt == F_MD)
					md_str(t);
				else
					fputs(t, stdout);
				printf(" (%s)\n", sl_results_str(run,
								  "trace_source"));
				if (fmt == F_MD)
					printf("\n|");
				for (k = 0; k < nf; k++)
					if (fmt == F_MD)
						printf(" %s |", fl[k]->head);
					else if (fl[k]->kind == SL_K_STR)
						printf(k ? " %-*s" : "%-*s",
						       fl[k]->width,
						       fl[k]->head);
					else
						printf(" %*s", fl[k]->width,
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
				printf(k ? " %-*s" : "%-*s", fl[k]->width, buf);
			} else {
				printf(" %*s", fl[k]->width, buf);
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

static json_t *find_run(json_t *runs, const char *trace, const char *codec,
			const char *alloc)
{
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r)
		if (!strcmp(sl_results_str(r, "trace"), trace) &&
		    !strcmp(sl_results_str(r, "codec"), codec) &&
		    !strcmp(sl_results_str(r, "alloc"), alloc))
			return r;
	return NULL;
}

#define MAX_COLS 64

/*
 * --view alloc: per trace, allocators down, codecs across, each cell the
 * run's peak memory over the ideal allocator's.  Text tables are split
 * into as many 80-column blocks of codecs as it takes.
 */
static int print_alloc_view(json_t *runs, enum fmt fmt)
{
	const char *traces[MAX_COLS], *codecs[MAX_COLS], *allocs[MAX_COLS];
	int nt, nc, na, t, c, a, c0, c1, w;
	json_t *rows = json_array(), *run, *ideal;
	double v, iv, sum;
	int cnt, cells = 0;
	char buf[32];

	nt = distinct(runs, NULL, "trace", traces, MAX_COLS);
	if (fmt == F_CSV)
		printf("trace,alloc,codec,mem_used_max,ideal_mem_used_max,over_ideal\n");
	for (t = 0; t < nt; t++) {
		nc = distinct(runs, traces[t], "codec", codecs, MAX_COLS);
		na = distinct(runs, traces[t], "alloc", allocs, MAX_COLS);
		for (c0 = 0; c0 < nc; c0 = c1) {
			/* as many codec columns as fit in 80 with "mean" */
			for (c1 = c0, w = 12 + 8; c1 < nc; c1++) {
				int cw = strlen(codecs[c1]) + 1;

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
					printf("%-12s", "alloc");
				for (c = c0; c < c1; c++)
					printf(fmt == F_MD ? " %s |" : " %7s",
					       codecs[c]);
				printf(fmt == F_MD ? " mean |\n|---|" : " %7s\n",
				       "mean");
				if (fmt == F_MD) {
					for (c = c0; c <= c1; c++)
						printf("---:|");
					printf("\n");
				}
			}
			for (a = 0; a < na; a++) {
				if (!strcmp(allocs[a], "ideal"))
					continue;
				if (fmt == F_TEXT)
					printf("%-12s", allocs[a]);
				else if (fmt == F_MD)
					printf("| %s |", allocs[a]);
				sum = 0;
				cnt = 0;
				for (c = c0; c < c1; c++) {
					run = find_run(runs, traces[t], codecs[c],
						       allocs[a]);
					ideal = find_run(runs, traces[t], codecs[c],
							 "ideal");
					v = sl_results_num(run, "mem_used_max");
					iv = sl_results_num(ideal, "mem_used_max");
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
						csv_str(allocs[a]);
						putchar(',');
						csv_str(codecs[c]);
						printf(",%.0f,%.0f,%.6f\n",
						       sl_results_num(run, "mem_used_max"),
						       iv, v);
					} else {
						json_array_append_new(rows, json_pack(
							"{s:s, s:s, s:s, s:f, s:f, s:f}",
							"trace", traces[t],
							"alloc", allocs[a],
							"codec", codecs[c],
							"mem_used_max",
							sl_results_num(run, "mem_used_max"),
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

/* --format json --fields: trace, codec, alloc and the fields, raw */
static void print_json_fields(json_t *runs, const struct field **fl, int nf)
{
	json_t *out = json_array(), *run, *o;
	size_t i;
	double v;
	int k;

	json_array_foreach(runs, i, run) {
		o = json_pack("{s:s, s:s, s:s}",
			      "trace", sl_results_str(run, "trace"),
			      "codec", sl_results_str(run, "codec"),
			      "alloc", sl_results_str(run, "alloc"));
		for (k = 0; k < nf; k++) {
			if (fl[k]->kind == SL_K_STR) {
				json_object_set_new(o, fl[k]->name, json_string(
					sl_results_str(run, fl[k]->path)));
				continue;
			}
			v = fl[k]->path ? sl_results_num(run, fl[k]->path) :
			    over_ideal(runs, run);
			json_object_set_new(o, fl[k]->name, isnan(v) ?
					    json_null() : json_real(v));
		}
		json_array_append_new(out, o);
	}
	o = json_pack("{s:o}", "runs", out);
	json_dumpf(o, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(o);
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "view", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct field *fl[NR_FIELDS * 2];
	char *items[64], err[512];
	struct sl_seen seen = { 0 };
	json_t *all = NULL, *doc, *grouped;
	enum fmt fmt = F_TEXT;
	bool alloc_view = false, explicit_fields = false;
	int c, i, nf = 0, n, ret = EXIT_TROUBLE;
	size_t k;

	optind = 1;
	opterr = 0;
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
			else
				return sl_usage_err("unknown view '%s' (runs or alloc)",
						    optarg);
			break;
		case 'h':
			fputs(report_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "h");
		}
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
		json_array_extend(all, json_object_get(doc, "runs"));
		json_decref(doc);
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
	if (alloc_view) {
		ret = print_alloc_view(all, fmt);
		goto out;
	}
	if (fmt == F_JSON && explicit_fields) {
		print_json_fields(all, fl, nf);
	} else if (fmt == F_JSON) {
		json_t *o = json_pack("{s:O}", "runs", all);

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
