/*
 * cmd_dict.c - `swaplab dict train`: a compression dictionary from the
 * pages of a trace, for libzstd:LEVEL:dict=FILE and liblz4:dict=FILE.
 *
 * Pages are sampled evenly over the trace's unique contents, same-filled
 * pages left out (they never reach a codec), up to 100 times the
 * dictionary size: zstd's rule of thumb for training data.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_dict.h"
#include "format/swt.h"

static const char dict_usage[] =
"usage: swaplab dict train TRACE.swt [--size BYTES] -o DICT\n"
"\n"
"Train a zstd dictionary on pages of the trace (evenly sampled unique\n"
"contents, same-filled pages left out) and write it to DICT, for\n"
"--codec libzstd:LEVEL:dict=DICT or liblz4:dict=DICT.\n"
"\n"
"  --size BYTES   dictionary size (default 64K; 256..1M)\n"
"  -o FILE        output (written atomically)\n"
"  --force        replace a file at -o that is not a dictionary\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

int cmd_dict(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 64 << 10, unique, step, want, id;
	const char *out = NULL;
	struct swt_reader *r = NULL;
	struct swt_event ev;
	struct sl_out o;
	uint8_t *samples = NULL, *dict = NULL;
	size_t *sizes = NULL, len, n = 0;
	unsigned long v;
	char err[512];
	int c, ret = EXIT_TROUBLE;
	bool force = false;

	struct sl_seen seen = { 0 };
	const char *mem_arg = NULL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 's':
			if (!sl_parse_size(optarg, &size) || size < 256 ||
			    size > (1 << 20))
				return sl_usage_err("--size wants 256..1M");
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
		case 'h':
			fputs(dict_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "train") || !out)
		return sl_usage_err("want: dict train TRACE -o DICT");
	if (sl_max_memory(mem_arg))
		return EXIT_TROUBLE;
	if (sl_out_check(out, SL_KIND_DICT,
			 (const char *const *)&argv[optind + 1], 1, force))
		return EXIT_TROUBLE;
	r = swt_reader_open(argv[optind + 1], 0, err, sizeof(err));
	if (!r)
		return sl_err("%s", err);
	/* a first pass learns how many unique pages there are */
	swt_reader_skip_contents(r, true);
	while ((c = swt_next(r, &ev)) == 1)
		;
	if (c < 0) {
		ret = sl_err("%s: %s", argv[optind + 1], swt_reader_error(r));
		goto out;
	}
	unique = swt_reader_pages_seen(r);
	want = size * 100 / 4096 + 1;
	step = unique > want ? unique / want : 1;
	samples = malloc((unique / step + 1) * 4096);
	sizes = malloc((unique / step + 1) * sizeof(*sizes));
	dict = malloc(size);
	if (!samples || !sizes || !dict) {
		ret = sl_err("out of memory");
		goto out;
	}
	for (id = 0; id < unique; id += step) {
		const void *pg = swt_page(r, id);

		if (!pg) {
			ret = sl_err("%s: %s", argv[optind + 1],
				     swt_reader_error(r));
			goto out;
		}
		if (sl_page_same_filled(pg, &v))
			continue;
		memcpy(samples + n * 4096, pg, 4096);
		sizes[n++] = 4096;
	}
	c = sl_dict_train(samples, sizes, n, dict, size, &len);
	if (c) {
		ret = sl_err("cannot train on %zu pages: %s", n,
			     c == -ENODATA ? "too few or too alike" :
			     strerror(-c));
		goto out;
	}
	if (sl_out_open(&o, out)) {
		ret = sl_err_errno("cannot create '%s'", out);
		goto out;
	}
	if (fwrite(dict, 1, len, o.f) != len) {
		sl_out_abort(&o);
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	if (sl_out_commit(&o)) {
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	printf("%s: %zu-byte dictionary from %zu of %llu unique pages\n", out,
	       len, n, (unsigned long long)unique);
	ret = EXIT_YES;
out:
	swt_reader_close(r);
	free(samples);
	free(sizes);
	free(dict);
	return ret;
}
