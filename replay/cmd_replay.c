/*
 * cmd_replay.c - `swaplab replay`: every trace x codec x allocator, each
 * run verified, into one results file.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "engine.h"
#include "format/results.h"
#include "replay_opts.h"

static const char replay_usage[] =
"usage: swaplab replay TRACE.swt... [--codec LIST] [--alloc LIST] [-o FILE]\n"
"\n"
"Replay each trace into a compressed store once per codec x allocator,\n"
"verify every load and, at the end, every live slot; write the results.\n"
"\n"
"  --codec LIST          codec specs, comma-separated, or 'all' (every\n"
"                        kernel codec) or 'libs' (default: lz4)\n"
"  --alloc LIST          allocator specs, or 'all' (default: zsmalloc)\n"
"  -o, --output FILE     results JSON (default: results.json)\n"
"  --same-filled on|off  keep same-filled pages in the slot (default on)\n"
"  --huge-threshold auto|BYTES\n"
"                        store pages compressing to this or more raw\n"
"                        (default auto: the allocator's huge class)\n"
"  --memlimit SIZE       fail stores past this pool size, as zram does\n"
"  --compact never|every=N|on-free\n"
"                        compact the pool never, every N ops, or after\n"
"                        each free (default never)\n"
"  --timeline N          sample the stats every N ops (default: 200\n"
"                        samples per run)\n"
"  --quiet               no progress line on stderr\n"
"\n"
"Exit status: 0 all runs verified, 1 a verify failure, 2 trouble.\n";

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct replay_cfg cfg = { 0 };
	char err[512];
	json_t *doc = NULL, *run;
	uint64_t failures = 0;
	int t, ci, ai, ret;

	ret = replay_opts_parse(&o, argc, argv, replay_usage);
	if (ret >= 0)
		return ret;
	doc = sl_results_new(SWAPLAB_VERSION);
	if (!doc) {
		ret = sl_err("out of memory");
		goto out;
	}
	for (t = 0; t < o.ntraces; t++) {
		struct swt_reader *r;
		struct trace_scan scan;

		r = swt_reader_open(o.traces[t], 0, err, sizeof(err));
		if (!r) {
			ret = sl_err("%s", err);
			goto out;
		}
		if (sl_trace_scan(r, &scan, err, sizeof(err))) {
			ret = sl_err("%s: %s", o.traces[t], err);
			swt_reader_close(r);
			goto out;
		}
		for (ci = 0; ci < o.ncodecs; ci++) {
			for (ai = 0; ai < o.nallocs; ai++) {
				replay_opts_cfg(&o, &cfg);
				cfg.trace_path = o.traces[t];
				cfg.codec_spec = o.codecs[ci];
				cfg.alloc_spec = o.allocs[ai];
				cfg.nr_slots = scan.max_index + 1;
				cfg.nr_events = scan.events;
				if (sl_replay_run(&cfg, r, &run, err,
						  sizeof(err))) {
					ret = sl_err("%s: %s x %s: %s",
						     o.traces[t], o.codecs[ci],
						     o.allocs[ai], err);
					swt_reader_close(r);
					goto out;
				}
				failures += sl_results_num(run, "verify_failures");
				sl_results_add(doc, run);
			}
		}
		swt_reader_close(r);
	}
	if (sl_results_write(doc, o.output)) {
		ret = sl_err_errno("cannot write '%s'", o.output);
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, "%d run%s written to %s%s\n",
			(int)json_array_size(json_object_get(doc, "runs")),
			json_array_size(json_object_get(doc, "runs")) == 1 ?
			"" : "s", o.output,
			failures ? " -- VERIFY FAILURES" : ", all verified");
	ret = failures ? EXIT_NO : EXIT_YES;
out:
	json_decref(doc);
	replay_opts_free(&o);
	return ret;
}
