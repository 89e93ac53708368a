/*
 * cmd_dict.c - `swaplab dict train`: a compression dictionary from the
 * pages of a trace, for libzstd:LEVEL:dict=FILE and liblz4:dict=FILE and
 * for the kernel codecs whose zram takes one (6.12's algorithm_params
 * dict=, modelled as zstd@6.12:dict=FILE).
 *
 * Pages are sampled evenly over the trace's unique contents, same-filled
 * pages left out (they never reach a codec), up to 100 times the
 * dictionary size: zstd's rule of thumb for training data.  The file is
 * zstd's trained-dictionary format, which 6.12's zram reads as it is
 * (backend_zstd.c digests it "auto": a zstd dictionary by its magic;
 * backend_lz4.c uses its last 64 KiB as history).  --kernel says whether
 * that kernel's zram can use it and what it saves there, measured on the
 * samples with the kernel's own codecs.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_dict.h"
#include "core/user/sl_codecs.h"
#include "format/swt.h"
#include "replay_opts.h"

static const char dict_usage[] =
"usage: swaplab dict train TRACE.swt [--size BYTES] [--kernel K] -o DICT\n"
"\n"
"Train a zstd dictionary on pages of the trace (evenly sampled unique\n"
"contents, same-filled pages left out) and write it to DICT, for\n"
"--codec libzstd:LEVEL:dict=DICT or liblz4:dict=DICT, and for 6.12's\n"
"zram as it is (echo \"algo=zstd dict=DICT\" > algorithm_params), modelled\n"
"as zstd@6.12:dict=DICT (also lz4, lz4hc: at most 64K).\n"
"\n"
"  --size BYTES   dictionary size (default 64K; 256..1M)\n"
"  --kernel K     the kernel whose zram is to load DICT (6.1, 6.12;\n"
"                 default: the trace's when swaplab models it, else the\n"
"                 newest): says whether it can, and the bytes its kernel\n"
"                 zstd stores for the sampled pages without and with DICT\n"
"  -o FILE        output (written atomically)\n"
"  --force        replace a file at -o that is not a dictionary\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

/*
 * The bytes @name (a kernel codec of the current kernel) stores for the
 * @n pages of @samples, with the dictionary or without (@dict NULL): as
 * zram, a page that compresses to PAGE_SIZE or more counts PAGE_SIZE.
 * Return: 0; -ENOENT when this build has no such codec; -errno else.
 */
static int store_bytes(const char *name, const void *dict, size_t len,
		       const uint8_t *samples, size_t n, uint64_t *total)
{
	struct sl_codec_params p = { .dict = dict, .dict_len = len };
	const struct sl_codec_ops *ops = sl_codec_find(name);
	uint8_t *buf;
	size_t i, clen;
	void *ctx;
	int ret;

	if (!ops || !ops->kernel)
		return -ENOENT;
	p.level = ops->default_level;
	buf = malloc(SL_CODEC_DST_SIZE);
	if (!buf)
		return -ENOMEM;
	ret = ops->create_ctx(&p, &ctx);
	if (ret) {
		free(buf);
		return ret;
	}
	*total = 0;
	for (i = 0; i < n; i++) {
		if (ops->compress(ctx, samples + i * 4096, buf,
				  SL_CODEC_DST_SIZE, &clen) || clen > 4096)
			clen = 4096;
		*total += clen;
	}
	ops->destroy_ctx(ctx);
	free(buf);
	return 0;
}

/* what the current kernel's zram makes of the dictionary at @out */
static void kernel_note(const char *out, const void *dict, size_t len,
			const uint8_t *samples, size_t n)
{
	const char *k = sl_codec_kernel();
	uint64_t plain, with;
	char zstd[32], path[PATH_MAX];

	snprintf(zstd, sizeof(zstd), "zstd@%s", k);
	if (!strcmp(k, "6.1")) {
		printf("  6.1's zram takes no dictionary (algorithm_params is 6.12's): for libzstd and liblz4 only\n");
		return;
	}
	if (store_bytes(zstd, NULL, 0, samples, n, &plain) ||
	    store_bytes(zstd, dict, len, samples, n, &with)) {
		printf("  %s: this build has no kernel zstd of %s to measure it with\n",
		       out, k);
		return;
	}
	printf("  %s on the %zu sampled pages: %llu bytes, %llu with the dictionary (%+.1f%%)\n",
	       zstd, n, (unsigned long long)plain, (unsigned long long)with,
	       plain ? 100.0 * ((double)with - plain) / plain : 0.0);
	printf("  %s's zram: echo \"algo=zstd dict=%s\" > /sys/block/zramN/algorithm_params (before disksize)\n",
	       k, realpath(out, path) ? path : out);
	if (len > 64 * 1024)
		printf("  over 64K: %s's lz4 and lz4hc backends fail every write with it (zstd only)\n",
		       k);
}

int cmd_dict(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 64 << 10, unique, step, want, id;
	const char *out = NULL, *kernel = NULL;
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
		case 'k':
			kernel = optarg;
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
	c = replay_pick_kernel(kernel, argv[optind + 1]);
	if (c >= 0)
		return c;
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
	kernel_note(out, dict, len, samples, n);
	ret = EXIT_YES;
out:
	swt_reader_close(r);
	free(samples);
	free(sizes);
	free(dict);
	return ret;
}
