/*
 * frontend.h - `replay --frontend zram|zswap[:kernel=K]`: which front end
 * the pages of a trace go through, and the zswap settings.
 *
 * zram (the default) is the store of sl_store.h: the swap device itself.
 * zswap is the cache of sl_zswap.h in front of a swap device; its pool
 * limit is a percent of a RAM size (--ram, default this host's MemTotal,
 * which is totalram_pages() * PAGE_SIZE).  The kernel whose rules apply
 * is an option of the front end until a global --kernel exists.
 */
#ifndef SL_FRONTEND_H
#define SL_FRONTEND_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sl_zswap.h"

enum sl_frontend { FE_ZRAM, FE_ZSWAP };

struct zswap_opts {
	enum sl_zswap_kernel kernel;
	const char *kernel_name;	/* "6.1", "6.12" */
	bool kernel_given;		/* zswap:kernel=... */
	uint64_t ram;			/* bytes */
	bool ram_from_host;
	unsigned int max_pool_percent;
	unsigned int accept_thr_percent;
	const char *pool;		/* allocator spec */
	bool same_filled;		/* 6.1 only */
	bool same_given;		/* --zswap-same-filled */
	unsigned int slot_cache;	/* 6.1: --zswap-slot-cache */
	bool sync_swapin;		/* 6.1: --zswap-sync-swapin */
	bool older_pinned;		/* 6.1: --zswap-older-pool pinned */
	bool older_given;		/* --zswap-older-pool */
};

struct frontend_opts {
	enum sl_frontend fe[2];
	int nfe;
	struct zswap_opts zs;
	bool zswap_opt_given;		/* a --zswap-* or --ram option */
};

/* the long options frontend_opt() handles; values above 1000 */
enum {
	O_FRONTEND = 1001, O_RAM, O_ZS_MAX_POOL, O_ZS_ACCEPT, O_ZS_POOL,
	O_ZS_SAME, O_ZS_SLOT_CACHE, O_ZS_SYNC_SWAPIN, O_ZS_OLDER_POOL,
};

#define FRONTEND_LONG_OPTS						\
	{ "frontend", required_argument, NULL, O_FRONTEND },		\
	{ "ram", required_argument, NULL, O_RAM },			\
	{ "zswap-max-pool-percent", required_argument, NULL, O_ZS_MAX_POOL }, \
	{ "zswap-accept-threshold", required_argument, NULL, O_ZS_ACCEPT }, \
	{ "zswap-pool", required_argument, NULL, O_ZS_POOL },		\
	{ "zswap-same-filled", required_argument, NULL, O_ZS_SAME },	\
	{ "zswap-slot-cache", required_argument, NULL, O_ZS_SLOT_CACHE }, \
	{ "zswap-sync-swapin", required_argument, NULL, O_ZS_SYNC_SWAPIN }, \
	{ "zswap-older-pool", required_argument, NULL, O_ZS_OLDER_POOL }

#define FRONTEND_USAGE							\
"  --frontend LIST       zram (default), zswap[:kernel=6.1|6.12], or both,\n" \
"                        comma-separated: one run each per codec; zswap\n" \
"                        has the rules of the run's kernel (--kernel)\n" \
"  --ram SIZE            zswap: the RAM its pool limit is a percent of\n" \
"                        (default: this host's MemTotal)\n"		\
"  --zswap-max-pool-percent N  1..100 (default 20, the kernel's)\n"	\
"  --zswap-accept-threshold N  0..100 (default 90, the kernel's)\n"	\
"  --zswap-pool zbud|z3fold|zsmalloc  (default: Debian's for the kernel:\n" \
"                        zbud on 6.1, zsmalloc on 6.12)\n"		\
"  --zswap-same-filled on|off  6.1 only (default on)\n"			\
"  --zswap-slot-cache N  6.1 only: freed slots wait in a cache of N (the\n" \
"                        kernel's is 64 per CPU) before zswap drops their\n" \
"                        entries (default 0: at once)\n"			\
"  --zswap-sync-swapin on|off  6.1 only: the swap device is synchronous\n" \
"                        (zram): a swap-in frees its slot (default off)\n" \
"  --zswap-older-pool pinned|none  6.1 only: an empty pool of an earlier\n" \
"                        compressor/zpool, pinned by a leaked reference,\n" \
"                        is the oldest on the list; 6.1 shrinks that one,\n" \
"                        so every shrink fails (default none)\n"

void frontend_defaults(struct frontend_opts *f);
/* Return: 0, or an exit code after a usage error (-1: not ours) */
int frontend_opt(struct frontend_opts *f, int c, const char *arg);
/* after parsing: fill in the defaults that need the host; Return: 0/2 */
int frontend_finish(struct frontend_opts *f);

/*
 * frontend_set_kernel() - the zswap rules follow the run's kernel.
 * Return: 0; EXIT_TROUBLE (after one error line) when a zswap front end
 * is asked of a kernel whose zswap is not modelled, or a 6.1-only
 * setting of 6.12.
 */
int frontend_set_kernel(struct frontend_opts *f, const char *kernel);

#endif /* SL_FRONTEND_H */
