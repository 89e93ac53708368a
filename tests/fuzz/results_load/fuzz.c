/*
 * results_load: the results JSON reader, and `swaplab report` on whatever
 * it accepts.  Results files come from other machines (compare, report,
 * plot); a hostile one must end in one error, never a crash.
 *
 * sl_results_load() takes a path, so the input goes to a memfd.  When the
 * file loads, every field the report can print is read back and the report
 * itself is rendered (to /dev/null) in one of its four formats.
 */
#include "../fuzz_util.h"
#include <fcntl.h>
#include <math.h>

#include "cli/commands.h"
#include "format/results.h"

static const char *const paths[] = {
	"ratio", "effective_ratio", "fragmentation", "mem_used_total",
	"mem_used_max", "compr_data_size", "orig_data_size", "same_pages",
	"huge_pages", "pages_compacted", "verify_failures",
	"latency_ns.compress.p50", "latency_ns.decompress.p99",
	"latency_ns.store.p999", "throughput.ops_per_sec",
	"a.b.c.d.e.f.g.h", "", ".", "..", "latency_ns.",
};

static const char *const formats[] = { "text", "csv", "markdown", "json" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet = -1;
	const char *path = fuzz_file(data, size);
	char err[512] = "";
	json_t *doc, *run;
	size_t i, k;

	if (quiet < 0) {
		/* the report's tables go nowhere */
		quiet = open("/dev/null", O_WRONLY);
		FUZZ_ASSERT(quiet >= 0 && dup2(quiet, 1) == 1);
	}
	doc = sl_results_load(path, err, sizeof(err));
	if (!doc) {
		FUZZ_ASSERT(err[0]);
		return 0;
	}
	json_array_foreach(json_object_get(doc, "runs"), i, run) {
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
			(void)sl_results_num(run, paths[k]);
		FUZZ_ASSERT(sl_results_str(run, "codec") != NULL);
		FUZZ_ASSERT(sl_results_str(run, "nosuch") != NULL);
	}
	json_decref(doc);
	{
		char *argv[] = { "report", (char *)path, "--format",
				 (char *)formats[size % 4], NULL };

		FUZZ_ASSERT(cmd_report(4, argv) == 0);
	}
	return 0;
}
