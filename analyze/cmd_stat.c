/*
 * cmd_stat.c - `swaplab stat`: the live counters of /dev/zramN and
 * /dev/swaplabN, decoded as zramctl and rzscontrol --stats show them: each
 * mm_stat, io_stat and bd_stat field by name and unit, and the ratio,
 * effective ratio and fragmentation they imply; with --interval, one line
 * per device and interval with the changes since the last.
 *
 * The sysfs root is /sys, or $SWAPLAB_SYSFS (tests give a directory of
 * canned files laid out as block/NAME/mm_stat ...).
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/devstat.h"
#include "cli/commands.h"
#include "cli/util.h"

static const char stat_usage[] =
"usage: swaplab stat [DEV...] [--interval S] [--count N] [--json]\n"
"\n"
"The counters of zram and swaplab devices (default: every initialised\n"
"/dev/zramN and /dev/swaplabN), decoded: mm_stat, io_stat and bd_stat by\n"
"name, sizes in bytes, and\n"
"  ratio      orig_data_size / compr_data_size\n"
"  eff        orig_data_size / mem_used_total (effective ratio)\n"
"  frag       1 - compr_data_size / mem_used_total\n"
"\n"
"  --interval S  sample every S seconds (decimals allowed), one line per\n"
"                device with the change since the last sample\n"
"  --count N     stop after N samples (default 1; with --interval, until\n"
"                interrupted)\n"
"  --json        one JSON object per device and sample, one per line\n"
"\n"
"Environment: SWAPLAB_SYSFS, the sysfs root (default /sys).\n"
"Exit: 0 shown, 2 a device that is not zram/swaplab, absent or not\n"
"initialised.\n";

const char *const sl_ds_files[DS_NR_FILES] = { "mm_stat", "io_stat",
					       "bd_stat" };

const char *const sl_ds_names[DS_NR_FILES][DS_MAX_FIELDS] = {
	[DS_MM] = { "orig_data_size", "compr_data_size", "mem_used_total",
		    "mem_limit", "mem_used_max", "same_pages",
		    "pages_compacted", "huge_pages", "huge_pages_since",
		    "pages_stored", "huge_threshold", "dedup_pages",
		    "dedup_saved_bytes", "pages_recompressed",
		    "recompress_saved_bytes" },
	[DS_IO] = { "failed_reads", "failed_writes", "invalid_io",
		    "notify_free", "num_reads", "num_writes" },
	/* zram counts these in 4 KiB blocks */
	[DS_BD] = { "bd_count", "bd_reads", "bd_writes" },
};

int sl_ds_parse(const char *text, uint64_t *v, bool *has)
{
	const char *p = text;
	char *end;
	int n = 0;

	memset(has, 0, DS_MAX_FIELDS * sizeof(*has));
	for (;;) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			break;
		if (*p < '0' || *p > '9' || n == DS_MAX_FIELDS)
			return -1;
		errno = 0;
		v[n] = strtoull(p, &end, 10);
		if (errno || (*end && *end != ' ' && *end != '\t' &&
			      *end != '\n'))
			return -1;
		has[n++] = true;
		p = end;
	}
	p += strspn(p, "\n");
	return n && !*p ? n : -1;
}

/* @root/block/@name/@file into @buf; Return: 0, or -1 with errno */
static int read_attr(const char *root, const char *name, const char *file,
		     char *buf, size_t len)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/block/%s/%s", root, name, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	if (ferror(f)) {
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	return 0;
}

int sl_ds_read(const char *root, const char *dev, struct sl_devstat *st,
	       char *err, size_t errlen)
{
	const char *name = strncmp(dev, "/dev/", 5) ? dev : dev + 5;
	char buf[1024], *b, *e;
	int i;

	memset(st, 0, sizeof(*st));
	if ((strncmp(name, "zram", 4) || strspn(name + 4, "0123456789") !=
	     strlen(name + 4) || !name[4]) &&
	    (strncmp(name, "swaplab", 7) || strspn(name + 7, "0123456789") !=
	     strlen(name + 7) || !name[7])) {
		snprintf(err, errlen, "'%s' is not a zram or swaplab device (/dev/zramN, /dev/swaplabN)",
			 dev);
		return -1;
	}
	snprintf(st->name, sizeof(st->name), "%s", name);
	if (read_attr(root, name, "disksize", buf, sizeof(buf))) {
		snprintf(err, errlen, "%s: no such device (%s/block/%s: %s)",
			 dev, root, name, strerror(errno));
		return -1;
	}
	st->disksize = strtoull(buf, NULL, 10);
	if (!st->disksize) {
		snprintf(err, errlen, "%s: not initialised (disksize is 0)",
			 dev);
		return -1;
	}
	for (i = 0; i < DS_NR_FILES; i++) {
		if (read_attr(root, name, sl_ds_files[i], buf, sizeof(buf))) {
			/* bd_stat exists only with writeback built in */
			if (i == DS_BD && errno == ENOENT)
				continue;
			snprintf(err, errlen, "%s: cannot read %s: %s", dev,
				 sl_ds_files[i], strerror(errno));
			return -1;
		}
		if (sl_ds_parse(buf, st->v[i], st->has[i]) < 0) {
			snprintf(err, errlen, "%s: %s is not a line of counters",
				 dev, sl_ds_files[i]);
			return -1;
		}
	}
	/* "lzo [lzo-rle] lz4": the one in brackets */
	if (!read_attr(root, name, "comp_algorithm", buf, sizeof(buf))) {
		b = strchr(buf, '[');
		e = b ? strchr(b, ']') : NULL;
		if (b && e) {
			*e = 0;
			snprintf(st->comp, sizeof(st->comp), "%.63s", b + 1);
		} else {
			buf[strcspn(buf, " \n")] = 0;
			snprintf(st->comp, sizeof(st->comp), "%.63s", buf);
		}
	}
	return 0;
}

/* NaN when the device does not show the field */
static double fv(const struct sl_devstat *st, enum ds_file f, int i)
{
	return st->has[f][i] ? (double)st->v[f][i] : NAN;
}

static void derived(const struct sl_devstat *st, double *ratio, double *eff,
		    double *frag)
{
	double orig = fv(st, DS_MM, MM_ORIG), compr = fv(st, DS_MM, MM_COMPR);
	double mem = fv(st, DS_MM, MM_USED);

	*ratio = compr > 0 ? orig / compr : 0;
	*eff = mem > 0 ? orig / mem : 0;
	*frag = mem > 0 ? 1 - compr / mem : 0;
}

static const char *bytes(char *buf, size_t len, double v)
{
	if (isnan(v))
		return snprintf(buf, len, "-"), buf;
	return sl_fmt_bytes(buf, len, v);
}

static void print_full(const struct sl_devstat *st)
{
	char a[32], b[32], c[32], d[32];
	double ratio, eff, frag, lim = fv(st, DS_MM, MM_LIMIT);

	derived(st, &ratio, &eff, &frag);
	printf("%s: %s, disksize %s\n", st->name, *st->comp ? st->comp :
	       "codec unknown", bytes(a, sizeof(a), st->disksize));
	printf("  stored      %s (same-filled %.0f pages, huge %.0f)\n",
	       bytes(a, sizeof(a), fv(st, DS_MM, MM_ORIG)),
	       fv(st, DS_MM, MM_SAME), fv(st, DS_MM, MM_HUGE));
	printf("  compressed  %s in a pool of %s (max %s, limit %s)\n",
	       bytes(a, sizeof(a), fv(st, DS_MM, MM_COMPR)),
	       bytes(b, sizeof(b), fv(st, DS_MM, MM_USED)),
	       bytes(c, sizeof(c), fv(st, DS_MM, MM_MAX)),
	       lim > 0 ? bytes(d, sizeof(d), lim) : "none");
	printf("  ratio %.2f, effective ratio %.2f, fragmentation %.1f%%\n",
	       ratio, eff, 100 * frag);
	printf("  compacted   %.0f pages; huge since reset %.0f\n",
	       fv(st, DS_MM, MM_COMPACTED), fv(st, DS_MM, MM_HUGE_SINCE));
	printf("  io          failed reads %.0f, failed writes %.0f, invalid %.0f, freed %.0f\n",
	       fv(st, DS_IO, IO_FAILED_READS), fv(st, DS_IO, IO_FAILED_WRITES),
	       fv(st, DS_IO, IO_INVALID), fv(st, DS_IO, IO_NOTIFY_FREE));
	if (st->has[DS_BD][BD_COUNT])
		printf("  writeback   %.0f pages on the backing device (%.0f read, %.0f written)\n",
		       fv(st, DS_BD, BD_COUNT), fv(st, DS_BD, BD_READS),
		       fv(st, DS_BD, BD_WRITES));
	if (st->has[DS_MM][MM_DEDUP_PAGES])
		printf("  swaplab     dedup %.0f pages (%s saved), recompressed %.0f (%s saved)\n",
		       fv(st, DS_MM, MM_DEDUP_PAGES),
		       bytes(a, sizeof(a), fv(st, DS_MM, MM_DEDUP_SAVED)),
		       fv(st, DS_MM, MM_RECOMPRESSED),
		       bytes(b, sizeof(b), fv(st, DS_MM, MM_RECOMP_SAVED)));
}

/* the fields that change in a running system, for --interval lines */
static void print_line(const struct sl_devstat *st,
		       const struct sl_devstat *prev, double t)
{
	char a[32], b[32], c[40], d[32], e[32];
	double ratio, eff, frag;

	derived(st, &ratio, &eff, &frag);
	if (!prev) {
		printf("%7.1f %-10s %10s %10s %10s %5.2f %5.2f %5.1f%% %10s %7s %8s\n",
		       t, st->name, bytes(a, sizeof(a), fv(st, DS_MM, MM_ORIG)),
		       bytes(b, sizeof(b), fv(st, DS_MM, MM_COMPR)),
		       bytes(c, sizeof(c), fv(st, DS_MM, MM_USED)), ratio, eff,
		       100 * frag, "-", "-", "-");
		return;
	}
	snprintf(d, sizeof(d), "%+.0f", fv(st, DS_IO, IO_NOTIFY_FREE) -
		 fv(prev, DS_IO, IO_NOTIFY_FREE));
	snprintf(e, sizeof(e), "%+.0f", fv(st, DS_IO, IO_FAILED_WRITES) -
		 fv(prev, DS_IO, IO_FAILED_WRITES));
	printf("%7.1f %-10s %10s %10s %10s %5.2f %5.2f %5.1f%% ", t, st->name,
	       bytes(a, sizeof(a), fv(st, DS_MM, MM_ORIG)),
	       bytes(b, sizeof(b), fv(st, DS_MM, MM_COMPR)),
	       bytes(c, sizeof(c), fv(st, DS_MM, MM_USED)), ratio, eff,
	       100 * frag);
	snprintf(c, sizeof(c), "%s%s",
		 fv(st, DS_MM, MM_ORIG) >= fv(prev, DS_MM, MM_ORIG) ? "+" : "-",
		 bytes(a, sizeof(a), fabs(fv(st, DS_MM, MM_ORIG) -
					  fv(prev, DS_MM, MM_ORIG))));
	printf("%10s %7s %8s\n", c, d, e);
}

static json_t *sample_json(const struct sl_devstat *st,
			   const struct sl_devstat *prev, double t)
{
	json_t *o, *f;
	double ratio, eff, frag;
	int i, k;

	derived(st, &ratio, &eff, &frag);
	o = json_pack("{s:s, s:s, s:I, s:f, s:f, s:f, s:f}",
		      "device", st->name, "comp_algorithm", st->comp,
		      "disksize", (json_int_t)st->disksize, "time_s", t,
		      "ratio", ratio, "effective_ratio", eff,
		      "fragmentation", frag);
	for (i = 0; o && i < DS_NR_FILES; i++) {
		f = json_object();
		for (k = 0; k < DS_MAX_FIELDS; k++)
			if (st->has[i][k] && sl_ds_names[i][k])
				json_object_set_new(f, sl_ds_names[i][k],
					json_integer((json_int_t)st->v[i][k]));
		json_object_set_new(o, sl_ds_files[i], f);
	}
	if (o && prev) {
		f = json_object();
		for (i = 0; i < DS_NR_FILES; i++)
			for (k = 0; k < DS_MAX_FIELDS; k++)
				if (st->has[i][k] && prev->has[i][k] &&
				    sl_ds_names[i][k])
					json_object_set_new(f, sl_ds_names[i][k],
						json_integer((json_int_t)
						(st->v[i][k] - prev->v[i][k])));
		json_object_set_new(o, "delta", f);
	}
	return o;
}

/* every initialised zram and swaplab device under @root */
static int find_devices(const char *root, char ***names)
{
	static const char *const pat[] = { "zram", "swaplab" };
	char path[512];
	glob_t g;
	size_t i, k;
	int n = 0;

	*names = NULL;
	for (k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/block/%s[0-9]*", root, pat[k]);
		if (glob(path, 0, NULL, &g))
			continue;
		*names = realloc(*names, (n + g.gl_pathc) * sizeof(**names));
		for (i = 0; *names && i < g.gl_pathc; i++) {
			const char *name = strrchr(g.gl_pathv[i], '/') + 1;
			char buf[64];

			/* an uninitialised device has nothing to show */
			if (read_attr(root, name, "disksize", buf,
				      sizeof(buf)) || !strtoull(buf, NULL, 10))
				continue;
			(*names)[n++] = strdup(name);
		}
		globfree(&g);
		if (!*names)
			return -1;
	}
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_stat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = getenv("SWAPLAB_SYSFS");
	struct sl_devstat *cur = NULL, *prev = NULL, *tmp;
	struct sl_seen seen = { 0 };
	char **names = NULL, err[600], *end;
	double interval = 0, t0, t;
	uint64_t count = 0, s;
	bool json = false, all = false;
	int c, n = 0, i, ret = EXIT_TROUBLE;
	json_t *o;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'i':
			interval = strtod(optarg, &end);
			if (end == optarg || *end || !(interval > 0) ||
			    interval > 86400)
				return sl_usage_err("bad --interval '%s' (seconds, > 0)",
						    optarg);
			break;
		case 'c':
			if (!sl_parse_u64(optarg, &count) || !count)
				return sl_usage_err("bad --count '%s'", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(stat_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "h");
		}
	}
	if (!root || !*root)
		root = "/sys";
	if (!count)
		count = interval ? UINT64_MAX : 1;
	if (optind < argc) {
		n = argc - optind;
		names = argv + optind;
	} else {
		all = true;
		n = find_devices(root, &names);
		if (n < 0)
			return sl_err("out of memory");
		if (!n)
			return sl_err("no zram or swaplab device under %s/block",
				      root);
	}
	cur = calloc(n, sizeof(*cur));
	prev = calloc(n, sizeof(*prev));
	if (!cur || !prev) {
		ret = sl_err("out of memory");
		goto out;
	}
	t0 = now_s();
	for (s = 0; s < count; s++) {
		if (s) {
			struct timespec ts;
			double left = t0 + s * interval - now_s();

			if (left > 0) {
				ts.tv_sec = (time_t)left;
				ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
				nanosleep(&ts, NULL);
			}
		}
		t = now_s() - t0;
		for (i = 0; i < n; i++) {
			if (sl_ds_read(root, names[i], &cur[i], err,
				       sizeof(err))) {
				ret = sl_err("%s", err);
				goto out;
			}
		}
		if (!json && interval && s == 0)
			printf("%7s %-10s %10s %10s %10s %5s %5s %6s %10s %7s %8s\n",
			       "time s", "device", "orig", "compr", "mem_used",
			       "ratio", "eff", "frag", "d_orig", "d_freed",
			       "d_failed");
		for (i = 0; i < n; i++) {
			if (json) {
				o = sample_json(&cur[i], s ? &prev[i] : NULL,
						t);
				json_dumpf(o, stdout, JSON_COMPACT);
				putchar('\n');
				json_decref(o);
			} else if (interval) {
				print_line(&cur[i], s ? &prev[i] : NULL, t);
			} else {
				if (i)
					putchar('\n');
				print_full(&cur[i]);
			}
		}
		fflush(stdout);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	ret = EXIT_YES;
out:
	if (all) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	free(cur);
	free(prev);
	return ret;
}
