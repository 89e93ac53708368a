/*
 * cmd_merge.c - `swaplab merge`: one results file from many (a sweep's
 * output directory, or files), refusing runs of one configuration that
 * disagree, and naming the jobs of a sweep that have no results.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"
#include "format/results_merge.h"
#include "format/sweep_manifest.h"

static const char merge_usage[] =
"usage: swaplab merge DIR|FILE... -o ALL.json\n"
"\n"
"Merge results files into one.  A directory stands for its *.json files\n"
"(a `swaplab sweep` output directory).  Runs of one configuration (trace,\n"
"codec, allocator, settings) must agree: the same trace content\n"
"(trace_hash) and the same sizes; a duplicate is kept once, a\n"
"disagreement is refused.  Every run keeps its provenance (trace_hash,\n"
"swaplab_version, codec_source, host, sweep).  In a sweep directory, the\n"
"jobs of its " SWEEP_MANIFEST " that have no results are listed.\n"
"\n"
"  -o, --output FILE     the merged results file (required)\n"
"  --quiet               no summary line\n"
"\n"
"Exit status: 0 merged, every sweep job present; 1 merged, but jobs are\n"
"missing; 2 trouble (nothing written).\n";

/* the jobs of @dir's manifest with no run in @runs; Return: missing */
static size_t report_missing(const char *dir, const json_t *runs,
			     size_t *total)
{
	json_t *man = sweep_manifest_load(dir), *job, *run, *have;
	size_t i, missing = 0;

	if (!man)
		return 0;
	have = json_object();
	json_array_foreach(runs, i, run) {
		const char *h = json_string_value(json_object_get(
				json_object_get(run, "sweep"), "config_hash"));

		if (h)
			json_object_set_new(have, h, json_true());
	}
	json_array_foreach(json_object_get(man, "jobs"), i, job) {
		const char *h = sl_results_str(job, "hash");

		(*total)++;
		if (json_object_get(have, h))
			continue;
		if (!missing++)
			fprintf(stderr, "swaplab merge: %s: jobs without results:\n",
				dir);
		fprintf(stderr, "  %s %s\n", h, sl_results_str(job, "label"));
	}
	json_decref(have);
	json_decref(man);
	return missing;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sl_seen seen = { 0 };
	struct sl_merge m;
	const char *out = NULL;
	bool quiet = false;
	size_t missing = 0, jobs = 0, nruns;
	char err[1024];
	json_t *doc, *from;
	struct stat st;
	int c, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(merge_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
	}
	if (optind == argc)
		return sl_usage_err("no results file or directory given");
	if (!out)
		return sl_usage_err("no output file (-o ALL.json)");
	if (sl_merge_init(&m, SWAPLAB_VERSION))
		return sl_err("out of memory");
	from = json_array();
	for (i = optind; i < argc; i++) {
		doc = sl_results_load(argv[i], err, sizeof(err));
		if (!doc || sl_merge_add(&m, doc, argv[i], err, sizeof(err))) {
			json_decref(doc);
			json_decref(from);
			sl_merge_free(&m);
			return sl_err("%s", err);
		}
		json_decref(doc);
		json_array_append_new(from, json_string(argv[i]));
	}
	for (i = optind; i < argc; i++)
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			missing += report_missing(argv[i],
					json_object_get(m.doc, "runs"), &jobs);
	json_object_set_new(m.doc, "merged_from", from);
	nruns = json_array_size(json_object_get(m.doc, "runs"));
	if (sl_results_write(m.doc, out)) {
		sl_merge_free(&m);
		return sl_err_errno("cannot write '%s'", out);
	}
	if (!quiet) {
		fprintf(stderr, "%zu run%s merged into %s", nruns,
			nruns == 1 ? "" : "s", out);
		if (m.dropped)
			fprintf(stderr, " (%zu duplicate%s kept once)",
				m.dropped, m.dropped == 1 ? "" : "s");
		if (jobs)
			fprintf(stderr, "; %zu of %zu sweep jobs missing",
				missing, jobs);
		fputc('\n', stderr);
	}
	sl_merge_free(&m);
	return missing ? EXIT_NO : EXIT_YES;
}
