/*
 * frontend.c - see frontend.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/util.h"
#include "frontend.h"

void frontend_defaults(struct frontend_opts *f)
{
	memset(f, 0, sizeof(*f));
	f->fe[0] = FE_ZRAM;
	f->nfe = 1;
	f->zs.kernel = SL_ZSWAP_K61;
	f->zs.kernel_name = "6.1";
	f->zs.max_pool_percent = 20;
	f->zs.accept_thr_percent = 90;
	f->zs.same_filled = true;
}

/* "zswap", "zswap:kernel=6.1", "zswap:kernel=6.12" */
static int parse_zswap(struct frontend_opts *f, const char *item)
{
	const char *opt = item + strlen("zswap");

	if (!*opt)
		return 0;
	if (!strcmp(opt, ":kernel=6.1") || !strcmp(opt, ":kernel=6.12")) {
		f->zs.kernel_name = strcmp(opt, ":kernel=6.1") ? "6.12" : "6.1";
		f->zs.kernel_given = true;
		return 0;
	}
	if (!strncmp(opt, ":kernel=", 8))
		return sl_usage_err("--frontend zswap: unknown kernel '%s' (known: 6.1, 6.12)",
				    opt + 8);
	return sl_usage_err("--frontend: bad zswap option '%s' (zswap:kernel=6.1 or 6.12)",
			    opt + 1);
}

int frontend_set_kernel(struct frontend_opts *f, const char *kernel)
{
	bool zswap = f->fe[0] == FE_ZSWAP || (f->nfe > 1 &&
					      f->fe[1] == FE_ZSWAP);

	if (!strcmp(kernel, "6.1")) {
		f->zs.kernel = SL_ZSWAP_K61;
		f->zs.kernel_name = "6.1";
	} else if (!strcmp(kernel, "6.12")) {
		f->zs.kernel = SL_ZSWAP_K612;
		f->zs.kernel_name = "6.12";
	} else if (zswap) {
		return sl_usage_err("--frontend zswap models 6.1's and 6.12's zswap, not %s's",
				    kernel);
	}
	if (zswap && f->zs.kernel == SL_ZSWAP_K612 &&
	    (f->zs.slot_cache || f->zs.sync_swapin))
		return sl_usage_err("--zswap-slot-cache and --zswap-sync-swapin are 6.1's: 6.12 drops an entry when its slot is freed");
	if (zswap && f->zs.kernel == SL_ZSWAP_K612 && f->zs.older_given)
		return sl_usage_err("--zswap-older-pool is 6.1's: 6.12 shrinks its own entry LRU, not the oldest pool");
	if (zswap && f->zs.kernel == SL_ZSWAP_K612 && f->zs.same_given)
		return sl_usage_err("--zswap-same-filled: 6.12's zswap has no such setting (zero pages go to the swap zeromap)");
	return 0;
}

static int parse_list(struct frontend_opts *f, const char *arg)
{
	char *items[8];
	int n, i, ret = 0;
	bool zram = false, zswap = false;

	n = sl_split_list(arg, items, 8);
	if (n <= 0)
		return sl_usage_err("bad --frontend '%s'", arg);
	for (i = 0; i < n && !ret; i++) {
		if (!strcmp(items[i], "zram")) {
			zram = true;
		} else if (!strncmp(items[i], "zswap", 5) &&
			   (!items[i][5] || items[i][5] == ':')) {
			ret = parse_zswap(f, items[i]);
			zswap = true;
		} else {
			ret = sl_usage_err("unknown front end '%s' (zram, zswap)",
					   items[i]);
		}
	}
	sl_free_list(items, n);
	if (ret)
		return ret;
	f->nfe = 0;
	/* in the order given: the first is the first column of the report */
	if (!strncmp(arg, "zswap", 5)) {
		f->fe[f->nfe++] = FE_ZSWAP;
		if (zram)
			f->fe[f->nfe++] = FE_ZRAM;
	} else {
		f->fe[f->nfe++] = FE_ZRAM;
		if (zswap)
			f->fe[f->nfe++] = FE_ZSWAP;
	}
	return 0;
}

static int percent(const char *opt, const char *arg, unsigned int lo,
		   unsigned int *out)
{
	uint64_t v;

	if (!sl_parse_u64(arg, &v) || v < lo || v > 100)
		return sl_usage_err("%s wants %u..100, not '%s'", opt, lo, arg);
	*out = v;
	return 0;
}

int frontend_opt(struct frontend_opts *f, int c, const char *arg)
{
	switch (c) {
	case O_FRONTEND:
		return parse_list(f, arg);
	case O_RAM:
		f->zswap_opt_given = true;
		if (!sl_parse_size(arg, &f->zs.ram) || f->zs.ram < 4096)
			return sl_usage_err("bad --ram '%s'", arg);
		return 0;
	case O_ZS_MAX_POOL:
		f->zswap_opt_given = true;
		return percent("--zswap-max-pool-percent", arg, 1,
			       &f->zs.max_pool_percent);
	case O_ZS_ACCEPT:
		f->zswap_opt_given = true;
		return percent("--zswap-accept-threshold", arg, 0,
			       &f->zs.accept_thr_percent);
	case O_ZS_POOL:
		f->zswap_opt_given = true;
		if (strcmp(arg, "zbud") && strcmp(arg, "z3fold") &&
		    strcmp(arg, "zsmalloc"))
			return sl_usage_err("--zswap-pool wants zbud, z3fold or zsmalloc");
		f->zs.pool = arg;
		return 0;
	case O_ZS_SAME:
		f->zswap_opt_given = true;
		if (!sl_parse_bool(arg, &f->zs.same_filled))
			return sl_usage_err("--zswap-same-filled wants on or off");
		f->zs.same_given = true;
		return 0;
	case O_ZS_SLOT_CACHE: {
		uint64_t v;

		f->zswap_opt_given = true;
		if (!sl_parse_u64(arg, &v) || v > 4096)
			return sl_usage_err("--zswap-slot-cache wants 0..4096, not '%s'",
					    arg);
		f->zs.slot_cache = v;
		return 0;
	}
	case O_ZS_SYNC_SWAPIN:
		f->zswap_opt_given = true;
		if (!sl_parse_bool(arg, &f->zs.sync_swapin))
			return sl_usage_err("--zswap-sync-swapin wants on or off");
		return 0;
	case O_ZS_OLDER_POOL:
		f->zswap_opt_given = true;
		f->zs.older_given = true;
		if (!strcmp(arg, "pinned"))
			f->zs.older_pinned = true;
		else if (!strcmp(arg, "none"))
			f->zs.older_pinned = false;
		else
			return sl_usage_err("--zswap-older-pool wants pinned or none, not '%s'",
					    arg);
		return 0;
	}
	return -1;
}

/* MemTotal: totalram_pages() in kB */
static uint64_t host_ram(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

int frontend_finish(struct frontend_opts *f)
{
	bool zswap = f->fe[0] == FE_ZSWAP || (f->nfe > 1 &&
					      f->fe[1] == FE_ZSWAP);

	if (f->zswap_opt_given && !zswap)
		return sl_usage_err("--ram and --zswap-* need --frontend zswap");
	/* CONFIG_ZSWAP_ZPOOL_DEFAULT of Debian's 6.1 and 6.12 */
	if (!f->zs.pool)
		f->zs.pool = f->zs.kernel == SL_ZSWAP_K612 ? "zsmalloc" :
							     "zbud";
	/* the run kernel's zsmalloc, as --alloc zsmalloc expands */
	if (!strcmp(f->zs.pool, "zsmalloc"))
		f->zs.pool = f->zs.kernel == SL_ZSWAP_K612 ?
			     "zsmalloc:kernel=6.12:chain=8" :
			     "zsmalloc:kernel=6.1:chain=4";
	if (zswap && !f->zs.ram) {
		f->zs.ram = host_ram();
		f->zs.ram_from_host = true;
		if (!f->zs.ram)
			return sl_usage_err("cannot read MemTotal from /proc/meminfo: give --ram SIZE");
	}
	return 0;
}
