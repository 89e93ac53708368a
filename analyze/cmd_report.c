/*
 * cmd_report.c - `swaplab report`: results files as tables, grouped by
 * trace.  The text format fits 80 columns so it can be pasted into a patch
 * cover letter as it is.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"

static const char report_usage[] =
"usage: swaplab report RESULTS.json... [--format text|csv|markdown|json]\n"
"                      [--fields LIST]\n"
"\n"
"One row per run, grouped by trace.  --fields picks columns from:\n"
"  codec alloc ratio effective_ratio fragmentation mem_used_total\n"
"  mem_used_max compr_data_size orig_data_size same_pages huge_pages\n"
"  pages_compacted comp_p50 comp_p99 decomp_p50 decomp_p99 store_p50\n"
"  store_p99 load_p50 load_p99 ops_per_sec verify_failures over_ideal\n";

enum kind { K_STR, K_INT, K_BYTES, K_RATIO, K_PCT, K_NS, K_RATE };

struct field {
	const char *name, *head;
	const char *path;
	enum kind kind;
	int width;
};

static const struct field fields[] = {
	{ "codec", "codec", "codec", K_STR, 12 },
	{ "alloc", "alloc", "alloc", K_STR, 12 },
	{ "ratio", "ratio", "ratio", K_RATIO, 6 },
	{ "effective_ratio", "eff", "effective_ratio", K_RATIO, 5 },
	{ "fragmentation", "frag", "fragmentation", K_PCT, 6 },
	{ "mem_used_total", "mem_used", "mem_used_total", K_BYTES, 9 },
	{ "mem_used_max", "mem_max", "mem_used_max", K_BYTES, 10 },
	{ "compr_data_size", "compr", "compr_data_size", K_BYTES, 10 },
	{ "orig_data_size", "orig", "orig_data_size", K_BYTES, 10 },
	{ "same_pages", "same", "same_pages", K_INT, 8 },
	{ "huge_pages", "huge", "huge_pages", K_INT, 8 },
	{ "pages_compacted", "compacted", "pages_compacted", K_INT, 9 },
	{ "comp_p50", "comp p50", "latency_ns.compress.p50", K_NS, 8 },
	{ "comp_p99", "comp p99", "latency_ns.compress.p99", K_NS, 8 },
	{ "decomp_p50", "dec p50", "latency_ns.decompress.p50", K_NS, 8 },
	{ "decomp_p99", "dec p99", "latency_ns.decompress.p99", K_NS, 8 },
	{ "store_p50", "st p50", "latency_ns.store.p50", K_NS, 8 },
	{ "store_p99", "st p99", "latency_ns.store.p99", K_NS, 8 },
	{ "load_p50", "ld p50", "latency_ns.load.p50", K_NS, 8 },
	{ "load_p99", "ld p99", "latency_ns.load.p99", K_NS, 8 },
	{ "ops_per_sec", "ops/s", "throughput.ops_per_sec", K_RATE, 8 },
	{ "verify_failures", "verify", "verify_failures", K_INT, 6 },
	{ "over_ideal", "+ideal", NULL, K_PCT, 7 },
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const default_fields[] = {
	"codec", "alloc", "ratio", "effective_ratio", "fragmentation",
	"mem_used_total", "comp_p50", "decomp_p50", "verify_failures",
};

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

static void cell(char *buf, size_t len, const struct field *f, json_t *runs,
		 json_t *run, enum fmt fmt)
{
	double v = f->path ? sl_results_num(run, f->path) :
		   over_ideal(runs, run);

	if (f->kind == K_STR) {
		snprintf(buf, len, "%s", sl_results_str(run, f->path));
		return;
	}
	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (fmt == F_CSV) {
		snprintf(buf, len, f->kind == K_RATIO || f->kind == K_PCT ?
			 "%.6f" : "%.0f", v);
		return;
	}
	switch (f->kind) {
	case K_INT:
	case K_RATE:
		snprintf(buf, len, "%.0f", v);
		break;
	case K_BYTES:
		sl_fmt_bytes(buf, len, v);
		break;
	case K_RATIO:
		snprintf(buf, len, "%.2f", v);
		break;
	case K_PCT:
		snprintf(buf, len, "%.1f%%", 100 * v);
		break;
	case K_NS:
		sl_fmt_ns(buf, len, v);
		break;
	default:
		break;
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
				printf("%s%s%s (%s)\n", trace ? "\n" : "",
				       fmt == F_MD ? "### " : "trace: ", t,
				       sl_results_str(run, "trace_source"));
				if (fmt == F_MD)
					printf("\n|");
				for (k = 0; k < nf; k++)
					if (fmt == F_MD)
						printf(" %s |", fl[k]->head);
					else if (fl[k]->kind == K_STR)
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
						printf(fl[k]->kind == K_STR ?
						       "---|" : "---:|");
					printf("\n");
				}
			}
			trace = t;
		}
		if (fmt == F_CSV)
			printf("%s", t);
		else if (fmt == F_MD)
			printf("|");
		for (k = 0; k < nf; k++) {
			cell(buf, sizeof(buf), fl[k], runs, run, fmt);
			if (fmt == F_CSV)
				printf(",%s", buf);
			else if (fmt == F_MD)
				printf(" %s |", buf);
			else if (fl[k]->kind == K_STR)
				printf(k ? " %-*s" : "%-*s", fl[k]->width, buf);
			else
				printf(" %*s", fl[k]->width, buf);
		}
		printf("\n");
	}
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct field *fl[NR_FIELDS * 2];
	char *items[64], err[512];
	json_t *all = NULL, *doc;
	enum fmt fmt = F_TEXT;
	int c, i, nf = 0, n, ret = EXIT_TROUBLE;
	size_t k;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
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
			break;
		case 'h':
			fputs(report_usage, stdout);
			return EXIT_YES;
		default:
			return sl_usage_err("bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return sl_usage_err("no results file given");
	if (!nf)
		for (k = 0; k < sizeof(default_fields) /
		     sizeof(default_fields[0]); k++)
			fl[nf++] = find_field(default_fields[k]);
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
	if (fmt == F_JSON) {
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
