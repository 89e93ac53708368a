/*
 * replay_opts.c - see replay_opts.h.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/util.h"
#include "core/sl_store.h"
#include "core/user/sl_codecs.h"
#include "format/swt.h"
#include "chunk.h"
#include "replay_opts.h"

static int add(char **list, int *n, const char *s)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(list[i], s))
			return 0;	/* a repeat adds nothing */
	if (*n == MAX_LIST)
		return -1;
	list[*n] = strdup(s);
	if (!list[*n])
		return -1;
	(*n)++;
	return 0;
}

int replay_codec_canon(const char *spec, char *buf, size_t len)
{
	const struct sl_codec_ops *ops;
	size_t n = strcspn(spec, ":");
	char name[64];

	if (n >= sizeof(name))
		return -EINVAL;
	memcpy(name, spec, n);
	name[n] = '\0';
	ops = sl_codec_find(name);
	if (ops && ops->kernel && !strchr(name, '@'))
		n = snprintf(buf, len, "%s%s", ops->name, spec + n);
	else
		n = snprintf(buf, len, "%s", spec);
	return n < len ? 0 : -E2BIG;
}

/* bare kernel codec names become the run kernel's: "zstd" -> "zstd@6.1" */
static int add_codec(const char *spec, void *arg)
{
	struct replay_opts *o = arg;
	char full[4096];

	if (replay_codec_canon(spec, full, sizeof(full)))
		return -E2BIG;
	return add(o->codecs, &o->ncodecs, full) ? -E2BIG : 0;
}

/* every spec is parsed before any is added: a typo fails at once */
static int expand_codecs(struct replay_opts *o, const char *arg)
{
	char msg[256];
	int ret = sl_codec_expand(arg, add_codec, o, msg, sizeof(msg));

	if (ret == -E2BIG)
		return sl_usage_err("too many codecs");
	if (ret)
		return sl_usage_err("%s", msg);
	return 0;
}

/* "name:" and "name:k=1:k=2" are mistakes the allocators would take */
static bool alloc_opts_ok(const char *opts)
{
	char keys[16][32], key[32], val[32];
	const char *p = opts;
	int n = 0, i;

	if (!opts)
		return true;
	if (!*opts)
		return false;
	while ((p = sl_opt_next(p, key, val, sizeof(key)))) {
		if (IS_ERR(p) || n == 16)
			return false;
		for (i = 0; i < n; i++)
			if (!strcmp(keys[i], key))
				return false;
		strcpy(keys[n++], key);
	}
	return true;
}

int replay_alloc_canon(const char *spec, const char *kernel, char *buf,
		       size_t len)
{
	char key[32], val[32], chain[32] = "", kern[32] = "";
	const char *opts = strchr(spec, ':'), *p;
	size_t n;

	if (strncmp(spec, "zsmalloc", 8) || (spec[8] && spec[8] != ':')) {
		n = snprintf(buf, len, "%s", spec);
		return n < len ? 0 : -E2BIG;
	}
	for (p = opts ? opts + 1 : NULL; p && (p = sl_opt_next(p, key, val,
							sizeof(key)));) {
		if (IS_ERR(p))
			return -EINVAL;
		if (!strcmp(key, "chain"))
			strcpy(chain, val);
		else if (!strcmp(key, "kernel"))
			strcpy(kern, val);
	}
	if (!*kern)
		snprintf(kern, sizeof(kern), "%s", kernel);
	if (!*chain)	/* ZS_MAX_ZSPAGE_ORDER 2 in 6.1, CHAIN_SIZE 8 after */
		strcpy(chain, strcmp(kern, "6.1") ? "8" : "4");
	n = snprintf(buf, len, "zsmalloc:kernel=%s:chain=%s", kern, chain);
	return n < len ? 0 : -E2BIG;
}

static int unknown_alloc(const char *spec);

/* the spec, zsmalloc's fully expanded for the run kernel */
static int add_alloc(struct replay_opts *o, const char *spec)
{
	char full[256];

	if (replay_alloc_canon(spec, sl_codec_kernel(), full, sizeof(full)))
		return -1;
	return add(o->allocs, &o->nallocs, full);
}

static int expand_allocs(struct replay_opts *o, const char *arg)
{
	char *items[MAX_LIST];
	const char *opts;
	int n, i, ret = 0;
	size_t k;

	n = sl_split_list(arg, items, MAX_LIST);
	if (n <= 0)
		return sl_usage_err("bad allocator list '%s'", arg);
	for (i = 0; i < n && !ret; i++) {
		if (!strcmp(items[i], "all")) {
			for (k = 0; sl_allocators[k]; k++)
				if (add_alloc(o, sl_allocators[k]->name))
					ret = sl_usage_err("too many allocators");
		} else if (!sl_alloc_find(items[i], &opts)) {
			ret = unknown_alloc(items[i]);
		} else {
			void *pool;
			const struct sl_alloc_ops *a = sl_alloc_find(items[i],
								     &opts);

			/* try the options now rather than mid-run */
			if (!alloc_opts_ok(opts) || a->create(opts, &pool))
				ret = sl_usage_err("allocator '%s': bad option",
						   items[i]);
			else
				a->destroy(pool);
			if (!ret && add_alloc(o, items[i]))
				ret = sl_usage_err("too many allocators");
		}
	}
	sl_free_list(items, n);
	return ret;
}

int replay_pick_kernel(const char *arg, const char *trace)
{
	const char *const *k = sl_kernels();
	char have[64] = "", want[32], err[256];
	struct swt_reader *r;
	int maj, min, i;
	size_t n = 0;

	for (i = 0; k[i]; i++)
		n += snprintf(have + n, sizeof(have) - n, "%s%s", i ? ", " : "",
			      k[i]);
	if (arg) {
		if (sl_codec_set_kernel(arg))
			return sl_usage_err("unknown kernel '%s'; kernels: %s",
					    arg, have);
		return -1;
	}
	/* the kernel the trace was recorded on, when swaplab models it */
	r = trace ? swt_reader_open(trace, SWT_CACHE_MIN, err,
				    sizeof(err)) : NULL;
	if (r && sscanf(swt_reader_header(r)->kernel, "Linux %d.%d", &maj,
			&min) == 2) {
		snprintf(want, sizeof(want), "%d.%d", maj, min);
		sl_codec_set_kernel(want);	/* else: the newest */
	}
	swt_reader_close(r);
	return -1;
}

/* one line: the nearest allocator name and those that exist */
static int unknown_alloc(const char *spec)
{
	const char *names[64], *near;
	char have[512] = "";
	size_t n = 0, len = strcspn(spec, ":");
	char name[64];
	int i;

	for (i = 0; sl_allocators[i] && i < 63; i++) {
		names[i] = sl_allocators[i]->name;
		n += snprintf(have + n, sizeof(have) - n, "%s%s",
			      i ? ", " : "", names[i]);
	}
	names[i] = NULL;
	snprintf(name, sizeof(name), "%.*s", (int)len, spec);
	near = sl_nearest(name, names);
	return sl_usage_err("unknown allocator '%s'%s%s%s; allocators: %s",
			    spec, near ? " (did you mean '" : "",
			    near ? near : "", near ? "'?)" : "", have);
}

enum {
	O_CODEC = 256, O_ALLOC, O_SAME, O_HUGE, O_MEMLIMIT, O_COMPACT,
	O_TIMELINE, O_QUIET, O_CORRUPT, O_VERIFY, O_MEMBUDGET, O_JOBS, O_REPEAT, O_DEDUP, O_BACKING,
	O_WRITEBACK, O_WB_LIMIT, O_IDLE, O_RECOMP, O_RECOMP_TYPE, O_THREADS, O_TARGET,
	O_SPLIT, O_KERNEL, O_CHUNK, O_CHUNK_SPLIT,
	O_FORCE, O_MAXMEM, O_SYNC_SHRINK,
};

static bool parse_select(const char *s, bool with_incompressible,
			 unsigned int *sel)
{
	if (!strcmp(s, "huge"))
		*sel = SL_SEL_HUGE;
	else if (!strcmp(s, "idle"))
		*sel = SL_SEL_IDLE;
	else if (!strcmp(s, "huge_idle"))
		*sel = SL_SEL_HUGE_IDLE;
	else if (with_incompressible && !strcmp(s, "incompressible"))
		*sel = SL_SEL_INCOMPRESSIBLE;
	else
		return false;
	return true;
}

/* "5000" ops, or "250ms" of trace time */
static bool parse_idle(const char *s, uint64_t *v, bool *ns)
{
	size_t n = strlen(s);
	char buf[32];

	if (n > 2 && n < sizeof(buf) && !strcmp(s + n - 2, "ms")) {
		memcpy(buf, s, n - 2);
		buf[n - 2] = 0;
		if (!sl_parse_u64(buf, v) || !*v || *v > UINT64_MAX / 1000000)
			return false;
		*v *= 1000000;
		*ns = true;
		return true;
	}
	*ns = false;
	return sl_parse_u64(s, v) && *v;
}

int replay_opts_parse(struct replay_opts *o, int argc, char **argv,
		      const char *usage)
{
	static const struct option opts[] = {
		{ "codec", required_argument, NULL, O_CODEC },
		{ "alloc", required_argument, NULL, O_ALLOC },
		{ "output", required_argument, NULL, 'o' },
		{ "same-filled", required_argument, NULL, O_SAME },
		{ "huge-threshold", required_argument, NULL, O_HUGE },
		{ "memlimit", required_argument, NULL, O_MEMLIMIT },
		{ "compact", required_argument, NULL, O_COMPACT },
		{ "timeline", required_argument, NULL, O_TIMELINE },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "dedup", required_argument, NULL, O_DEDUP },
		{ "backing", required_argument, NULL, O_BACKING },
		{ "writeback", required_argument, NULL, O_WRITEBACK },
		{ "writeback-limit", required_argument, NULL, O_WB_LIMIT },
		{ "idle-after", required_argument, NULL, O_IDLE },
		{ "recompress", required_argument, NULL, O_RECOMP },
		{ "recompress-type", required_argument, NULL, O_RECOMP_TYPE },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "target", required_argument, NULL, O_TARGET },
		{ "split", required_argument, NULL, O_SPLIT },
		{ "force", no_argument, NULL, O_FORCE },
		{ "max-memory", required_argument, NULL, O_MAXMEM },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "chunk", required_argument, NULL, O_CHUNK },
		{ "chunk-split", no_argument, NULL, O_CHUNK_SPLIT },
		{ "zswap-sync-shrink", required_argument, NULL, O_SYNC_SHRINK },
		FRONTEND_LONG_OPTS,
		/* tests: prove that verification catches a bad object */
		{ "debug-corrupt-store", required_argument, NULL, O_CORRUPT },
		{ "verify", required_argument, NULL, O_VERIFY },
		{ "mem-budget", required_argument, NULL, O_MEMBUDGET },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *codec_arg = NULL, *alloc_arg = NULL, *recomp_arg = NULL;
	const char *mem_arg = NULL;
	const char *kernel_arg = NULL;
	unsigned int chunk_pages;
	uint64_t v;
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->same_filled = true;
	o->output = "results.json";
	o->repeat = 1;
	o->sync_shrink = -1;
	frontend_defaults(&o->fe);
	struct sl_seen seen = { 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case O_CODEC:
			codec_arg = optarg;
			break;
		case O_ALLOC:
			alloc_arg = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case O_SAME:
			if (!sl_parse_bool(optarg, &o->same_filled))
				return sl_usage_err("--same-filled wants on or off");
			break;
		case O_HUGE:
			if (!strcmp(optarg, "auto")) {
				o->huge_threshold = 0;
			} else if (!sl_parse_u64(optarg, &v) || v < 1 ||
				   v > PAGE_SIZE) {
				return sl_usage_err("--huge-threshold wants auto or 1..%lu",
						    PAGE_SIZE);
			} else {
				o->huge_threshold = v;
			}
			break;
		case O_MEMLIMIT:
			if (!sl_parse_size(optarg, &o->mem_limit) ||
			    !o->mem_limit)
				return sl_usage_err("bad --memlimit '%s'", optarg);
			break;
		case O_SYNC_SHRINK: {
			bool on;

			if (!sl_parse_bool(optarg, &on))
				return sl_usage_err("--zswap-sync-shrink wants on or off");
			o->sync_shrink = on;
			break;
		}
		case O_COMPACT:
			if (!strcmp(optarg, "never")) {
				o->compact = COMPACT_NEVER;
			} else if (!strcmp(optarg, "on-free")) {
				o->compact = COMPACT_ON_FREE;
			} else if (!strncmp(optarg, "every=", 6) &&
				   sl_parse_u64(optarg + 6, &v) && v) {
				o->compact = COMPACT_EVERY;
				o->compact_every = v;
			} else {
				return sl_usage_err("--compact wants never, every=N or on-free");
			}
			break;
		case O_TIMELINE:
			if (!sl_parse_u64(optarg, &o->timeline_every) ||
			    !o->timeline_every)
				return sl_usage_err("bad --timeline '%s'", optarg);
			break;
		case O_QUIET:
			o->quiet = true;
			break;
		case O_DEDUP:
			if (!sl_parse_bool(optarg, &o->dedup))
				return sl_usage_err("--dedup wants on or off");
			break;
		case O_BACKING:
			o->backing = optarg;
			break;
		case O_WRITEBACK:
			if (!parse_select(optarg, true, &o->writeback))
				return sl_usage_err("--writeback wants huge, idle, huge_idle or incompressible");
			break;
		case O_WB_LIMIT:
			if (!sl_parse_u64(optarg, &o->wb_limit))
				return sl_usage_err("--writeback-limit wants a number of 4 KiB units, not '%s'",
						    optarg);
			o->wb_limit_set = true;
			break;
		case O_IDLE:
			if (!parse_idle(optarg, &o->idle_after, &o->idle_in_ns))
				return sl_usage_err("--idle-after wants OPS or Nms");
			break;
		case O_RECOMP:
			recomp_arg = optarg;
			break;
		case O_RECOMP_TYPE:
			if (!parse_select(optarg, false, &o->recompress_type) ||
			    o->recompress_type == SL_SEL_HUGE_IDLE)
				return sl_usage_err("--recompress-type wants huge or idle");
			break;
		case O_THREADS:
			if (!sl_parse_u64(optarg, &v) || v < 1 || v > 64)
				return sl_usage_err("--threads wants 1..64");
			o->threads = v;
			break;
		case O_SPLIT:
			o->split_given = true;
			if (!strcmp(optarg, "slot"))
				o->split_by_slot = true;
			else if (strcmp(optarg, "cpu"))
				return sl_usage_err("--split wants cpu or slot");
			break;
		case O_FORCE:
			o->force = true;
			break;
		case O_MAXMEM:
			mem_arg = optarg;
			break;
		case O_TARGET:
			o->target = optarg;
			break;
		case O_KERNEL:
			kernel_arg = optarg;
			break;
		case O_CHUNK:
			if (chunk_parse(optarg, &chunk_pages))
				return sl_usage_err("--chunk wants 4k, 16k, 32k, 64k or folio, not '%s'",
						    optarg);
			o->chunk = optarg;
			break;
		case O_CHUNK_SPLIT:
			o->chunk_split = true;
			break;
		case O_REPEAT:
			if (!sl_parse_u64(optarg, &v) || v < 1 || v > 1000)
				return sl_usage_err("--repeat wants 1..1000");
			o->repeat = v;
			break;
		case O_CORRUPT:
			if (!sl_parse_u64(optarg, &o->corrupt_after) ||
			    !o->corrupt_after)
				return sl_usage_err("bad --debug-corrupt-store");
			break;
		case O_JOBS:
			if (!sl_parse_u64(optarg, &v) || v < 1 || v > 1024)
				return sl_usage_err("--jobs wants 1..1024");
			o->jobs = v;
			break;
		case O_MEMBUDGET:
			if (!sl_parse_size(optarg, &o->mem_budget) ||
			    !o->mem_budget)
				return sl_usage_err("bad --mem-budget '%s'",
						    optarg);
			break;
		case O_VERIFY:
			if (strcmp(optarg, "hash") && strcmp(optarg, "bytes"))
				return sl_usage_err("--verify wants hash or bytes, not '%s'",
						    optarg);
			o->verify_bytes = !strcmp(optarg, "bytes");
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_YES;
		default:
			ret = frontend_opt(&o->fe, c, optarg);
			if (ret > 0)
				return ret;
			if (ret < 0)
				return sl_bad_option(argv, "o:h");
			break;
		}
	}
	if (optind == argc)
		return sl_usage_err("no trace given");
	if (sl_max_memory(mem_arg))
		return EXIT_TROUBLE;
	/* a device is the running kernel's */
	if (o->target && !kernel_arg)
		kernel_arg = replay_running_kernel();
	/* zswap:kernel=K names the run's kernel, as --kernel does */
	if (o->fe.zs.kernel_given) {
		if (!kernel_arg)
			kernel_arg = o->fe.zs.kernel_name;
		else if (strcmp(kernel_arg, o->fe.zs.kernel_name))
			return sl_usage_err("--frontend zswap:kernel=%s and --kernel %s disagree",
					    o->fe.zs.kernel_name, kernel_arg);
	}
	ret = replay_pick_kernel(kernel_arg, argv[optind]);
	if (ret >= 0)
		return ret;
	ret = frontend_set_kernel(&o->fe, sl_codec_kernel());
	if (ret)
		return ret;
	/* checks that allocate nothing first: the errors below must free */
	if (o->target && (o->threads || o->dedup || o->backing || recomp_arg))
		return sl_usage_err("--target runs the device's own store: no --threads, --dedup, --backing or --recompress");
	if (o->writeback && !o->backing)
		return sl_usage_err("--writeback needs --backing FILE");
	if (o->wb_limit_set && !o->writeback)
		return sl_usage_err("--writeback-limit needs --writeback");
	if (o->chunk_split && !o->chunk)
		return sl_usage_err("--chunk-split needs --chunk");
	if (o->chunk && (o->target || o->threads || o->dedup || o->backing ||
			 recomp_arg || o->mem_limit || o->fe.nfe > 1 ||
			 o->fe.fe[0] == FE_ZSWAP || o->compact))
		return sl_usage_err("--chunk replays the chunked zram model only: no --target, --threads, --dedup, --backing, --recompress, --memlimit, --compact or --frontend zswap");
	ret = frontend_finish(&o->fe);
	if (ret)
		return ret;
	if (o->sync_shrink >= 0 && !(o->target && !strcmp(o->target, "swap")))
		return sl_usage_err("--zswap-sync-shrink is an option of --target swap");
	if (o->target && !strcmp(o->target, "swap")) {
		bool zswap = o->fe.nfe > 1 || o->fe.fe[0] == FE_ZSWAP;

		if (codec_arg || alloc_arg || o->threads || o->dedup ||
		    o->backing || recomp_arg || o->mem_limit ||
		    o->fe.nfe > 1 || o->repeat > 1)
			return sl_usage_err("--target swap replays into the kernel's own swap and zswap settings: no --codec, --alloc, --threads, --dedup, --backing, --recompress, --memlimit, --repeat or second front end");
		/* the model's settings: the kernel's own are read, not set */
		if (o->fe.zswap_opt_given)
			return sl_usage_err("--target swap replays into the kernel's own zswap settings: no --ram or --zswap-* model option (--zswap-sync-shrink excepted)");
		ret = sl_swap_target_check(zswap);
		if (ret)
			return ret;
		/* one run; the front end given only said zswap must be on */
		o->fe.fe[0] = FE_ZRAM;
	}
	if ((o->fe.nfe > 1 || o->fe.fe[0] == FE_ZSWAP) &&
	    (o->threads || o->dedup || o->backing ||
	     recomp_arg || o->mem_limit))
		return sl_usage_err("--frontend zswap runs the zswap model: no --target, --threads, --dedup, --backing, --recompress or --memlimit");
	for (; optind < argc; optind++)
		if (add(o->traces, &o->ntraces, argv[optind])) {
			replay_opts_free(o);
			return sl_usage_err("too many traces");
		}
	for (c = 0; o->chunk && !strcmp(o->chunk, "folio") && c < o->ntraces;
	     c++) {
		char msg[256];
		struct swt_reader *r = swt_reader_open(o->traces[c],
						       SWT_CACHE_MIN, msg,
						       sizeof(msg));
		bool none = r && !(swt_reader_header(r)->flags &
				   SWT_F_HAS_FOLIO);

		swt_reader_close(r);
		if (none) {
			ret = sl_usage_err("--chunk folio: %s has no folio data (format v1, or recorded without folios); use --chunk 16k, 32k or 64k",
					   o->traces[c]);
			replay_opts_free(o);
			return ret;
		}
	}
	if (recomp_arg) {
		char msg[256];
		const struct sl_codec_ops *ops;
		struct sl_codec_params p;
		int i;

		o->nrecomp = sl_split_list(recomp_arg, o->recomp,
					   MAX_RECOMP_SPECS);
		if (o->nrecomp <= 0) {
			o->nrecomp = 0;
			replay_opts_free(o);
			return sl_usage_err("--recompress wants 1 to %d codecs",
					    MAX_RECOMP_SPECS);
		}
		for (i = 0; i < o->nrecomp; i++) {
			if (sl_codec_parse(o->recomp[i], &ops, &p, msg,
					   sizeof(msg))) {
				replay_opts_free(o);
				return sl_usage_err("--recompress: %s", msg);
			}
			sl_codec_params_free(&p);
		}
	}
	/* lz4 is zram's; a build without kernel codecs has liblz4 only */
	ret = expand_codecs(o, codec_arg ? codec_arg :
			    sl_codec_find("lz4") ? "lz4" : "liblz4");
	if (!ret)
		ret = expand_allocs(o, alloc_arg ? alloc_arg : "zsmalloc");
	if (ret) {
		replay_opts_free(o);
		return ret;
	}
	if (o->ncodecs == 0) {
		replay_opts_free(o);
		return sl_usage_err("no codec selected");
	}
	for (c = 0; o->chunk && c < o->ncodecs; c++) {
		const struct sl_kc_ops *kc;
		char msg[256];
		int level;

		if (chunk_codec(o->codecs[c], &kc, &level, msg, sizeof(msg))) {
			replay_opts_free(o);
			return sl_usage_err("%s", msg);
		}
	}
	/* --backing is truncated, then removed: never a trace */
	if (o->backing &&
	    replay_opts_check_out(o, o->backing, SL_KIND_SCRATCH)) {
		replay_opts_free(o);
		return EXIT_TROUBLE;
	}
	for (c = 0; o->target && c < o->ncodecs; c++) {
		ret = replay_zram_check(o->target, o->codecs[c]);
		if (ret >= 0) {
			replay_opts_free(o);
			return ret;
		}
	}
	return -1;
}

/* the FILE of every ":dict=FILE" in @spec, copied into @buf */
static void add_dicts(const char *spec, const char **in, int *n, int max,
		      char (*buf)[4096], int *nbuf)
{
	const char *p = spec, *e;

	while (p && (p = strstr(p, "dict=")) && *n < max) {
		p += 5;
		e = strchr(p, ':');
		snprintf(buf[*nbuf], sizeof(buf[0]), "%.*s",
			 (int)(e ? e - p : (long)strlen(p)), p);
		in[(*n)++] = buf[(*nbuf)++];
		p = e;
	}
}

int replay_opts_check_out(const struct replay_opts *o, const char *path,
			  enum sl_out_kind kind)
{
	enum { MAX_IN = MAX_LIST * 2 + MAX_RECOMP_SPECS + 1 };
	static char dicts[MAX_IN][4096];
	const char *in[MAX_IN];
	int i, n = 0, nd = 0;

	for (i = 0; i < o->ntraces; i++)
		in[n++] = o->traces[i];
	for (i = 0; i < o->ncodecs; i++)
		add_dicts(o->codecs[i], in, &n, MAX_IN, dicts, &nd);
	for (i = 0; i < o->nrecomp; i++)
		add_dicts(o->recomp[i], in, &n, MAX_IN, dicts, &nd);
	if (o->backing && o->backing != path)
		in[n++] = o->backing;
	return sl_out_check(path, kind, in, n, o->force);
}

void replay_opts_cfg(const struct replay_opts *o, struct replay_cfg *cfg)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->same_filled = o->same_filled;
	cfg->huge_threshold = o->huge_threshold;
	cfg->mem_limit = o->mem_limit;
	cfg->compact = o->compact;
	cfg->compact_every = o->compact_every;
	cfg->timeline_every = o->timeline_every;
	cfg->progress = !o->quiet && sl_progress_enabled();
	cfg->corrupt_after = o->corrupt_after;
	cfg->dedup = o->dedup;
	cfg->backing_path = o->backing;
	cfg->writeback = o->writeback;
	cfg->wb_limit = o->wb_limit_set ? (int64_t)o->wb_limit : -1;
	cfg->idle_after = o->idle_after;
	cfg->idle_in_ns = o->idle_in_ns;
	cfg->recompress = o->recompress_type;
	cfg->threads = o->threads;
	cfg->target = o->target;
	cfg->sync_shrink = o->sync_shrink;
	cfg->split_by_slot = o->split_by_slot;
	cfg->chunk = o->chunk;
	cfg->chunk_split = o->chunk_split;
	cfg->verify_bytes = o->verify_bytes;
	cfg->jobs = o->jobs ? o->jobs : (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	for (i = 0; i < o->nrecomp; i++)
		cfg->recomp_specs[i] = o->recomp[i];
}

void replay_opts_free(struct replay_opts *o)
{
	sl_free_list(o->traces, o->ntraces);
	sl_free_list(o->codecs, o->ncodecs);
	sl_free_list(o->allocs, o->nallocs);
	sl_free_list(o->recomp, o->nrecomp);
	o->ntraces = o->ncodecs = o->nallocs = o->nrecomp = 0;
}

const char *replay_kernel_alloc(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (!uname(&u))
		sscanf(u.release, "%d.%d", &maj, &min);
	if (maj == 6 && min == 12)
		return "zsmalloc:kernel=6.12";
	return maj < 6 || (maj == 6 && min < 3) ? "zsmalloc:kernel=6.1" :
	       "zsmalloc";
}

const char *replay_running_kernel(void)
{
	static char k[32];
	const char *const *m;
	struct utsname u;
	int maj, min;

	if (uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return NULL;
	snprintf(k, sizeof(k), "%d.%d", maj, min);
	for (m = sl_kernels(); *m; m++)
		if (!strcmp(*m, k))
			return *m;
	return NULL;
}

int replay_zram_check(const char *dev, const char *codec)
{
	const char *name = strrchr(dev, '/'), *run = replay_running_kernel();
	const char *k = sl_codec_kernel(), *at = strchr(codec, '@');

	name = name ? name + 1 : dev;
	if (strncmp(name, "zram", 4))
		return -1;	/* swaplabN runs the model's own code */
	if (run && strcmp(run, k))
		return sl_usage_err("%s is %s's zram, the run models %s (--kernel %s)",
				    dev, run, k, run);
	if (at && strncmp(at + 1, k, strcspn(at + 1, ":")))
		return sl_usage_err("%s is %s's zram: codec %s is another kernel's",
				    dev, k, codec);
	if (!sl_codec_zram_offers(k, codec))
		return sl_usage_err("%.*s: %s's zram has no such algorithm (Debian %s builds %s)",
				    (int)strcspn(codec, "@:"), codec, k, k,
				    strcmp(k, "6.1") ?
				    "lz4, lz4hc, zstd and deflate" :
				    "lzo, lzo-rle, lz4, lz4hc, zstd, deflate and 842");
	return -1;
}
