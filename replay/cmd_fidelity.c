/*
 * cmd_fidelity.c - `swaplab fidelity`: the model, our module and the
 * kernel's zram on the same trace, side by side.
 *
 * The kernel is the oracle.  With kernel-exact codecs the model's
 * compr_data_size must equal zram's exactly; its mem_used_total must stay
 * within 1% of zram's at the end and at every timeline point; and
 * swaplab0, which runs the model's own code in the kernel, must equal the
 * model exactly.  Exit status 0 when every goal holds, 1 when one misses.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "engine.h"
#include "core/user/sl_codecs.h"
#include "format/results.h"
#include "replay_opts.h"

static const char fidelity_usage[] =
"usage: swaplab fidelity TRACE.swt --codec CODEC [--alloc SPEC]\n"
"                        [--zram DEV] [--swaplab DEV] [-o FILE] [--kernel K]\n"
"\n"
"Replay the trace into the model, into /dev/swaplab0 and into /dev/zram0\n"
"with the same codec, and print orig_data_size, compr_data_size,\n"
"mem_used_total, same_pages, huge_pages and pages_compacted of each, with\n"
"differences.  Goals: model compr_data_size = zram's; model mem_used_total\n"
"within 1% of zram's at the end and at every timeline point; swaplab0 =\n"
"model.  A device that does not exist is left out.\n"
"\n"
"  --codec CODEC   a codec zram offers (6.1: lzo, lzo-rle, lz4, lz4hc,\n"
"                  zstd, deflate; Debian's 6.12: lz4, lz4hc, zstd, deflate)\n"
"  --alloc SPEC    the model's and swaplab0's allocator (default:\n"
"                  zsmalloc with the kernel's rules)\n"
"  --kernel K      the kernel modelled (6.1, 6.12; default: the running\n"
"                  one, whose zram is compared)\n"
"  --zram DEV      default /dev/zram0\n"
"  --swaplab DEV   default /dev/swaplab0\n"
"  --timeline N    compare every N ops (default: 50 points)\n"
"  -o FILE         also write the three runs as results JSON\n"
"  --force         replace a file at -o that is not results\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

static const char *const figures[] = {
	"orig_data_size", "compr_data_size", "mem_used_total", "same_pages",
	"huge_pages", "pages_compacted",
};
#define NR_FIG (sizeof(figures) / sizeof(figures[0]))

static double pct(double a, double b)
{
	return b ? 100.0 * (a - b) / b : (a ? INFINITY : 0);
}

/* worst |difference| in % of mem_used_total over the timeline points */
static double worst_point(json_t *a, json_t *b, size_t *points)
{
	json_t *ta = json_object_get(a, "timeline");
	json_t *tb = json_object_get(b, "timeline");
	size_t i, n = json_array_size(ta);
	double worst = 0;

	if (json_array_size(tb) < n)
		n = json_array_size(tb);
	for (i = 0; i < n; i++) {
		double d = fabs(pct(sl_results_num(json_array_get(ta, i),
						   "mem_used_total"),
				    sl_results_num(json_array_get(tb, i),
						   "mem_used_total")));

		if (d > worst)
			worst = d;
	}
	*points = n;
	return worst;
}

int cmd_fidelity(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "codec", required_argument, NULL, 'c' },
		{ "alloc", required_argument, NULL, 'a' },
		{ "zram", required_argument, NULL, 'z' },
		{ "swaplab", required_argument, NULL, 's' },
		{ "timeline", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *codec = NULL, *alloc = NULL, *out = NULL, *kernel = NULL;
	char codec_full[256], alloc_full[64];
	const char *zram = "/dev/zram0", *sdev = "/dev/swaplab0";
	const char *targets[3], *names[3] = { "model", "swaplab", "zram" };
	json_t *runs[3] = { NULL, NULL, NULL }, *doc = NULL;
	struct replay_cfg cfg = { 0 };
	struct trace_scan scan;
	struct swt_reader *r;
	uint64_t tl = 0;
	char err[512];
	struct stat st;
	bool ok = true, force = false;
	size_t f, pts;
	int c, i, ret = EXIT_TROUBLE;

	struct sl_seen seen = { 0 };
	const char *mem_arg = NULL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'c':
			codec = optarg;
			break;
		case 'a':
			alloc = optarg;
			break;
		case 'z':
			zram = optarg;
			break;
		case 's':
			sdev = optarg;
			break;
		case 't':
			if (!sl_parse_u64(optarg, &tl) || !tl)
				return sl_usage_err("bad --timeline");
			break;
		case 'o':
			out = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'M':
			mem_arg = optarg;
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'h':
			fputs(fidelity_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
	}
	if (argc - optind != 1 || !codec)
		return sl_usage_err("want TRACE and --codec");
	if (sl_max_memory(mem_arg))
		return EXIT_TROUBLE;
	if (out) {
		const char *in[] = { argv[optind], zram, sdev,
				     strstr(codec, "dict=") ?
				     strstr(codec, "dict=") + 5 : NULL };

		if (sl_out_check(out, SL_KIND_RESULTS, in, 4, force))
			return EXIT_TROUBLE;
	}
	i = replay_pick_kernel(kernel ? kernel : replay_running_kernel(),
			       argv[optind]);
	if (i >= 0)
		return i;
	if (!stat(zram, &st)) {
		i = replay_zram_check(zram, codec);
		if (i >= 0)
			return i;
	} else if (!sl_codec_zram_offers(sl_codec_kernel(), codec)) {
		return sl_usage_err("%s: %s's zram has no such algorithm",
				    codec, sl_codec_kernel());
	}
	if (replay_codec_canon(codec, codec_full, sizeof(codec_full)))
		return sl_usage_err("codec spec too long");
	codec = codec_full;
	if (!alloc) {
		snprintf(alloc_full, sizeof(alloc_full), "zsmalloc:kernel=%s",
			 sl_codec_kernel());
		alloc = alloc_full;
	}
	r = swt_reader_open(argv[optind], 0, err, sizeof(err));
	if (!r)
		return sl_err("%s", err);
	if (sl_trace_scan(r, &scan, err, sizeof(err))) {
		ret = sl_err("%s: %s", argv[optind], err);
		goto out;
	}
	targets[0] = NULL;
	targets[1] = stat(sdev, &st) ? NULL : sdev;
	targets[2] = stat(zram, &st) ? NULL : zram;
	for (i = 0; i < 3; i++) {
		if (i && !targets[i])
			continue;
		memset(&cfg, 0, sizeof(cfg));
		cfg.trace_path = argv[optind];
		cfg.codec_spec = codec;
		cfg.alloc_spec = alloc;
		cfg.nr_slots = (uint64_t)scan.max_index + 1;
		cfg.nr_events = scan.events;
		cfg.same_filled = true;
		cfg.timeline_every = tl ? tl : scan.events / 50 ?
				     scan.events / 50 : 1;
		cfg.target = targets[i];
		if (sl_replay_run(&cfg, r, &runs[i], err, sizeof(err))) {
			ret = sl_err("%s: %s", targets[i] ? targets[i] :
				     "model", err);
			goto out;
		}
	}
	printf("fidelity: %s, codec %s, allocator %s\n", argv[optind], codec,
	       alloc);
	printf("%-16s %12s %12s %12s %9s %9s\n", "figure", "model",
	       runs[1] ? "swaplab" : "(swaplab)", runs[2] ? "zram" : "(zram)",
	       "mod-zram", "sl-mod");
	for (f = 0; f < NR_FIG; f++) {
		double v[3];

		for (i = 0; i < 3; i++)
			v[i] = runs[i] ? sl_results_num(runs[i], figures[f]) :
			       NAN;
		printf("%-16s %12.0f", figures[f], v[0]);
		for (i = 1; i < 3; i++) {
			if (runs[i])
				printf(" %12.0f", v[i]);
			else
				printf(" %12s", "-");
		}
		if (runs[2])
			printf(" %+8.2f%%", pct(v[0], v[2]));
		else
			printf(" %9s", "-");
		if (runs[1])
			printf(" %+8.2f%%\n", pct(v[1], v[0]));
		else
			printf(" %9s\n", "-");
		if (runs[1] && v[1] != v[0])
			ok = false;
	}
	if (runs[2]) {
		double ce = sl_results_num(runs[0], "compr_data_size") -
			    sl_results_num(runs[2], "compr_data_size");
		double end = fabs(pct(sl_results_num(runs[0], "mem_used_total"),
				      sl_results_num(runs[2], "mem_used_total")));
		double worst = worst_point(runs[0], runs[2], &pts);

		printf("goal compr_data_size model = zram:   %s (%+.0f bytes)\n",
		       ce == 0 ? "met" : "MISSED", ce);
		printf("goal mem_used_total within 1%% at end: %s (%.2f%%)\n",
		       end <= 1 ? "met" : "MISSED", end);
		printf("goal within 1%% at all %zu points:    %s (worst %.2f%%)\n",
		       pts, worst <= 1 ? "met" : "MISSED", worst);
		ok = ok && ce == 0 && end <= 1 && worst <= 1;
	}
	if (runs[1])
		printf("goal swaplab = model:                %s\n",
		       ok ? "met" : "MISSED");
	for (i = 0; i < 3; i++)
		if (runs[i] && sl_results_num(runs[i], "verify_failures")) {
			printf("%s: VERIFY FAILURES\n", names[i]);
			ok = false;
		}
	if (out) {
		doc = sl_results_new(SWAPLAB_VERSION);
		for (i = 0; i < 3; i++)
			if (runs[i])
				sl_results_add(doc, json_incref(runs[i]));
		if (sl_results_write(doc, out)) {
			ret = sl_err_errno("cannot write '%s'", out);
			goto out;
		}
	}
	ret = ok ? EXIT_YES : EXIT_NO;
out:
	for (i = 0; i < 3; i++)
		json_decref(runs[i]);
	json_decref(doc);
	swt_reader_close(r);
	return ret;
}
