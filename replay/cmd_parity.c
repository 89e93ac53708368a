/*
 * cmd_parity.c - `swaplab parity`: per-page compressed lengths against the
 * kernel's zram, page by page.
 *
 * Each page is written alone to its own block of /dev/zramN; the change in
 * mm_stat's compr_data_size is the length the kernel stored (a same-filled
 * page moves same_pages instead, a huge one huge_pages).  That length is
 * compared with our codec's for the same page and, for reference, with a
 * library codec's.  fidelity compares totals; this compares every page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "format/swt.h"
#include "replay_opts.h"

static const char parity_usage[] =
"usage: swaplab parity TRACE.swt --codec CODEC [--lib SPEC] [--zram DEV]\n"
"                      [--pages N] [--kernel K]\n"
"\n"
"Write each unique page of the trace alone to DEV (default /dev/zram0,\n"
"reset and set to CODEC) and read the kernel's compressed length from the\n"
"change in mm_stat; compare it with swaplab's CODEC and with a library\n"
"codec (--lib, e.g. liblz4).  A level or dict=FILE in CODEC goes to\n"
"6.12's zram as algorithm_params (\"zstd:8:dict=FILE\" is\n"
"\"algo=zstd level=8 dict=FILE\"); 6.1's zram takes neither.  Exit 0 when every non-huge page has the\n"
"kernel's length, 1 otherwise.\n"
"\n"
"  --pages N   at most N pages (default 2000)\n"
"  --kernel K  the kernel modelled (6.1, 6.12): CODEC's tree and the huge\n"
"              size of its zsmalloc; default and only choice the running\n"
"              one, whose zram DEV is\n"
"  --max-memory SIZE  stop (exit 2) once swaplab uses more (default: 3/4\n"
"                     of RAM)\n";

static int sysw(const char *sys, const char *attr, const char *val)
{
	char path[192];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", sys, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

static int mm(const char *sys, uint64_t *v)
{
	char path[192], buf[512], *p = buf, *end;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/mm_stat", sys);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (i = 0; i < 9; i++, p = end) {
		v[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
	}
	return 0;
}

struct codec {
	const struct sl_codec_ops *ops;
	struct sl_codec_params p;
	void *ctx;
};

static int codec_open(struct codec *c, const char *spec)
{
	char msg[256];

	if (sl_codec_parse(spec, &c->ops, &c->p, msg, sizeof(msg)))
		return sl_usage_err("%s", msg);
	if (c->ops->create_ctx(&c->p, &c->ctx)) {
		sl_codec_params_free(&c->p);
		return sl_err("cannot set up codec %s", spec);
	}
	return 0;
}

static void codec_close(struct codec *c)
{
	if (!c->ops)
		return;
	c->ops->destroy_ctx(c->ctx);
	sl_codec_params_free(&c->p);
}

/* the length zram would account: PAGE_SIZE at or over @huge */
static size_t clen(struct codec *c, const void *page, uint8_t *buf,
		   size_t huge)
{
	size_t len;

	if (c->ops->compress(c->ctx, page, buf, SL_CODEC_DST_SIZE, &len) ||
	    len >= huge)
		return 4096;
	return len;
}

/* the run kernel's huge_class_size, from the zsmalloc model */
static size_t kernel_huge_size(void)
{
	const char *opts;
	char spec[64];
	const struct sl_alloc_ops *a;

	snprintf(spec, sizeof(spec), "zsmalloc:kernel=%s", sl_codec_kernel());
	a = sl_alloc_find(spec, &opts);
	size_t huge = PAGE_SIZE;
	void *pool;

	if (a && !a->create(opts, &pool)) {
		huge = a->huge_size(pool);
		a->destroy(pool);
	}
	return huge;
}

int cmd_parity(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "codec", required_argument, NULL, 'c' },
		{ "lib", required_argument, NULL, 'l' },
		{ "zram", required_argument, NULL, 'z' },
		{ "pages", required_argument, NULL, 'n' },
		{ "max-memory", required_argument, NULL, 'M' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *codec = NULL, *lib = NULL, *dev = "/dev/zram0", *name;
	const char *kernel = NULL;
	char zname[64], zparams[PATH_MAX + 64];
	struct codec ours = { 0 }, libc = { 0 };
	struct sl_seen seen = { 0 };
	const char *mem_arg = NULL;
	uint64_t maxp = 2000, unique, id, step, n = 0, nonhuge = 0;
	uint64_t same_ok = 0, lib_same = 0, huge_agree = 0, hugek = 0;
	uint64_t a[9], b[9];
	struct swt_reader *r = NULL;
	struct swt_event ev;
	struct utsname u;
	uint8_t *buf = NULL, *page = NULL;
	char sys[128], err[512], size[32];
	size_t huge;
	unsigned long v;
	int c, fd = -1, ret = EXIT_TROUBLE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'c':
			codec = optarg;
			break;
		case 'l':
			lib = optarg;
			break;
		case 'z':
			dev = optarg;
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'n':
			if (!sl_parse_u64(optarg, &maxp) || !maxp ||
			    maxp > 1000000)
				return sl_usage_err("--pages wants 1..1000000");
			break;
		case 'M':
			mem_arg = optarg;
			break;
		case 'h':
			fputs(parity_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "h");
		}
	}
	if (argc - optind != 1 || !codec)
		return sl_usage_err("want TRACE and --codec");
	if (sl_max_memory(mem_arg))
		return EXIT_TROUBLE;
	name = strrchr(dev, '/');
	name = name ? name + 1 : dev;
	if (strncmp(name, "zram", 4))
		return sl_usage_err("--zram wants /dev/zramN");
	snprintf(sys, sizeof(sys), "/sys/block/%s", name);
	/* the zram under test is the running kernel's */
	c = replay_pick_kernel(kernel ? kernel : replay_running_kernel(),
			       argv[optind]);
	if (c >= 0)
		return c;
	c = replay_zram_check(dev, codec);
	if (c >= 0)
		return c;
	snprintf(zname, sizeof(zname), "%.*s", (int)strcspn(codec, "@:"),
		 codec);
	if (codec_open(&ours, codec))
		return EXIT_TROUBLE;
	c = sl_codec_zram_params(codec, zparams, sizeof(zparams));
	if (c) {
		ret = sl_err("%s: %s", codec, strerror(-c));
		goto out;
	}
	if (zparams[0] && !strcmp(sl_codec_kernel(), "6.1")) {
		ret = sl_usage_err("%s: 6.1's zram takes no level or dictionary (algorithm_params is 6.12's)",
				   codec);
		goto out;
	}
	if (lib && codec_open(&libc, lib))
		goto out;
	/* zram keeps pages raw at its zsmalloc's huge class size */
	huge = kernel_huge_size();
	uname(&u);
	r = swt_reader_open(argv[optind], 0, err, sizeof(err));
	if (!r) {
		ret = sl_err("%s", err);
		goto out;
	}
	swt_reader_skip_contents(r, true);
	while ((c = swt_next(r, &ev)) == 1)
		;
	if (c < 0) {
		ret = sl_err("%s", swt_reader_error(r));
		goto out;
	}
	unique = swt_reader_pages_seen(r);
	step = unique > maxp ? unique / maxp : 1;
	snprintf(size, sizeof(size), "%llu", (unsigned long long)(maxp + 1) *
		 4096);
	if (sysw(sys, "reset", "1") || sysw(sys, "comp_algorithm", zname) ||
	    (zparams[0] && sysw(sys, "algorithm_params", zparams)) ||
	    sysw(sys, "disksize", size)) {
		ret = sl_err_errno("cannot set up %s with %s", dev, codec);
		goto out;
	}
	fd = open(dev, O_WRONLY | O_DIRECT | O_CLOEXEC);
	buf = malloc(SL_CODEC_DST_SIZE);
	if (fd < 0 || !buf || posix_memalign((void **)&page, 4096, 4096)) {
		ret = sl_err_errno("cannot open %s", dev);
		goto out;
	}
	for (id = 0; id < unique && n < maxp; id += step) {
		const void *pg = swt_page(r, id);
		size_t mine, klen, llen;

		if (!pg) {
			ret = sl_err("%s", swt_reader_error(r));
			goto out;
		}
		if (sl_page_same_filled(pg, &v))
			continue;
		memcpy(page, pg, 4096);
		if (mm(sys, a) || pwrite(fd, page, 4096, (off_t)n * 4096) != 4096 ||
		    mm(sys, b)) {
			ret = sl_err_errno("write to %s", dev);
			goto out;
		}
		n++;
		klen = b[1] - a[1];
		mine = clen(&ours, page, buf, huge);
		if (b[7] > a[7]) {	/* zram kept it raw */
			hugek++;
			huge_agree += mine == 4096;
			continue;
		}
		nonhuge++;
		same_ok += mine == klen;
		if (lib) {
			llen = clen(&libc, page, buf, huge);
			lib_same += llen == klen;
		}
	}
	printf("parity: %s, %s on %s (%s): %llu pages, %llu kept raw by zram\n",
	       argv[optind], ours.ops->name, dev, u.release, (unsigned long long)n,
	       (unsigned long long)hugek);
	if (zparams[0])
		printf("  algorithm_params: %s\n", zparams);
	printf("  swaplab %-14s identical length: %llu of %llu non-huge pages (%.2f%%); huge agreed %llu of %llu\n",
	       ours.ops->name, (unsigned long long)same_ok,
	       (unsigned long long)nonhuge,
	       nonhuge ? 100.0 * same_ok / nonhuge : 100.0,
	       (unsigned long long)huge_agree, (unsigned long long)hugek);
	if (lib)
		printf("  library %-14s identical length: %llu of %llu (%.2f%%)\n",
		       lib, (unsigned long long)lib_same,
		       (unsigned long long)nonhuge,
		       nonhuge ? 100.0 * lib_same / nonhuge : 100.0);
	ret = same_ok == nonhuge && huge_agree == hugek ? EXIT_YES : EXIT_NO;
out:
	if (fd >= 0) {
		close(fd);
		sysw(sys, "reset", "1");
	}
	swt_reader_close(r);
	codec_close(&ours);
	codec_close(&libc);
	free(buf);
	free(page);
	return ret;
}
