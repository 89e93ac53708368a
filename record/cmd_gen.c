/*
 * cmd_gen.c - `swaplab gen`: deterministic synthetic traces.
 *
 * The op stream imitates swap: pages go out to free slots (allocated
 * round-robin, as the swap allocator walks its clusters), some come back
 * in (LOAD, usually followed by FREE as the swap cache drops the slot),
 * some are freed unread (the process exited) and a few slots are
 * rewritten in place.  Content is drawn per profile; in "realistic" the
 * mix follows published swap-out figures (about 11% zero pages, a few
 * percent other same-filled pages, 10-15% duplicates).  Traces are for
 * tests and demos and say "synthetic" in their header.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/swt.h"
#include "pagegen.h"

#define GEN_PAGE	4096

static const char gen_usage[] =
"usage: swaplab gen --profile PROFILE --pages N [--seed S] -o FILE.swt\n"
"\n"
"Write a deterministic synthetic trace of N page stores with loads,\n"
"frees and overwrites in between.\n"
"\n"
"  --profile P   zero | text | random | mixed | realistic\n"
"  --pages N     number of STORE events (1..100000000)\n"
"  --seed S      generator seed (default 1)\n"
"  --slots N     size of the slot space (default: pages / 2, at least 64)\n"
"  --cpus N      events spread at random over N cpus (default 2)\n"
"  --folio-order K\n"
"                swap out large folios of 2^K pages (1..9): each new\n"
"                allocation takes 2^K free slots of an aligned group, stored\n"
"                one after the other and marked as one folio (a format v2\n"
"                trace); where no such group is free, a single page\n"
"  -o FILE       output trace (written atomically)\n"
"  --force       replace an existing file at -o\n";

enum profile { P_ZERO, P_TEXT, P_RANDOM, P_MIXED, P_REALISTIC };

struct gen {
	enum profile profile;
	uint64_t seed, rng;
	uint64_t *hist_seed;	/* content seed of every page generated */
	uint8_t *hist_kind;
	uint64_t nhist;
};

/* choose the content of the next stored page */
static void next_content(struct gen *g, uint8_t *page)
{
	uint64_t r = pg_rand(&g->rng) % 1000, cs = pg_rand(&g->rng);
	enum pg_kind k;

	switch (g->profile) {
	case P_ZERO:
		k = PG_ZERO;
		break;
	case P_TEXT:
		k = PG_TEXT;
		break;
	case P_RANDOM:
		k = PG_RANDOM;
		break;
	case P_MIXED:
		k = (enum pg_kind)(r % PG_NR_KINDS);
		break;
	default:
		if (r < 120 && g->nhist) {	/* duplicate an earlier page */
			uint64_t i = pg_rand(&g->rng) % g->nhist;

			pg_fill(page, GEN_PAGE, g->hist_kind[i],
				g->hist_seed[i]);
			return;
		}
		k = r < 230 ? PG_ZERO : r < 260 ? PG_SAME : r < 310 ?
		    PG_RANDOM : r < 610 ? PG_HEAP : r < 820 ? PG_TEXT :
		    PG_SPARSE;
		break;
	}
	pg_fill(page, GEN_PAGE, k, cs);
	g->hist_seed[g->nhist] = cs;
	g->hist_kind[g->nhist] = k;
	g->nhist++;
}

static int parse_profile(const char *s, enum profile *p)
{
	static const char *const names[] = { "zero", "text", "random",
					     "mixed", "realistic" };
	int i;

	for (i = 0; i < 5; i++) {
		if (!strcmp(s, names[i])) {
			*p = i;
			return 0;
		}
	}
	return -1;
}

/* the live slots are kept dense in @live; @pos maps slot -> position */
static void live_remove(uint32_t *live, uint32_t *nlive, uint32_t *pos,
			uint32_t slot)
{
	uint32_t i = pos[slot];

	live[i] = live[--*nlive];
	pos[live[i]] = i;
	pos[slot] = UINT32_MAX;
}

/*
 * the first slot of an aligned group of @n free slots from @cursor on
 * (wrapping once), as the swap allocator gives a large folio a cluster
 * of its order; UINT32_MAX when there is none or @room < @n stores remain
 */
static uint32_t folio_slots(const uint32_t *pos, uint64_t slots,
			    uint32_t cursor, uint32_t n, uint64_t room)
{
	uint64_t tries, b = (cursor + n - 1) / n * n, i;

	if (room < n || slots < n)
		return UINT32_MAX;
	for (tries = 0; tries <= slots / n; tries++, b += n) {
		if (b + n > slots)
			b = 0;
		for (i = 0; i < n && pos[b + i] == UINT32_MAX; i++)
			;
		if (i == n)
			return b;
	}
	return UINT32_MAX;
}

/* a folio of 2^@order pages from slot @first, stored one after the other */
static int gen_folio(struct swt_writer *w, struct gen *g, uint8_t *page,
		     uint32_t first, unsigned int order, int32_t cpu,
		     uint64_t *ts, uint32_t *live, uint32_t *nlive,
		     uint32_t *pos)
{
	uint32_t i, slot;

	for (i = 0; i < 1u << order; i++) {
		slot = first + i;
		pos[slot] = *nlive;
		live[(*nlive)++] = slot;
		next_content(g, page);
		if (swt_write_store_folio(w, *ts, slot, page, cpu, -1, order,
					  i > 0))
			return -1;
		*ts += 50;
	}
	return 0;
}

int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "pages", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "slots", required_argument, NULL, 'S' },
		{ "cpus", required_argument, NULL, 'C' },
		{ "folio-order", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g = { .profile = P_REALISTIC, .seed = 1 };
	const char *out = NULL, *pname = NULL;
	uint64_t pages = 0, slots = 0, stores = 0, ncpus = 2, ts;
	char cpus_arg[32] = "", folio_arg[32] = "";
	uint64_t order = 0;
	uint32_t *live = NULL, *pos = NULL, nlive = 0, cursor = 0;
	uint8_t *page = NULL;
	struct swt_header hdr = { 0 };
	struct swt_writer *w = NULL;
	struct swt_totals tot;
	int c, ret = EXIT_TROUBLE;
	bool force = false;

	struct sl_seen seen = { 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'p':
			pname = optarg;
			if (parse_profile(optarg, &g.profile))
				return sl_usage_err("unknown profile '%s'",
						    optarg);
			break;
		case 'n':
			if (!sl_parse_u64(optarg, &pages) || !pages ||
			    pages > 100000000)
				return sl_usage_err("--pages wants 1..100000000, not '%s'",
						    optarg);
			break;
		case 's':
			if (!sl_parse_u64(optarg, &g.seed))
				return sl_usage_err("bad --seed '%s'", optarg);
			break;
		case 'S':
			if (!sl_parse_u64(optarg, &slots) || !slots ||
			    slots > UINT32_MAX)
				return sl_usage_err("bad --slots '%s'", optarg);
			break;
		case 'C':
			if (!sl_parse_u64(optarg, &ncpus) || !ncpus ||
			    ncpus > 4096)
				return sl_usage_err("--cpus wants 1..4096, not '%s'",
						    optarg);
			snprintf(cpus_arg, sizeof(cpus_arg), " --cpus %llu",
				 (unsigned long long)ncpus);
			break;
		case 'O':
			if (!sl_parse_u64(optarg, &order) || !order ||
			    order > SWT_FOLIO_ORDER_MAX)
				return sl_usage_err("--folio-order wants 1..%d, not '%s'",
						    SWT_FOLIO_ORDER_MAX, optarg);
			snprintf(folio_arg, sizeof(folio_arg),
				 " --folio-order %llu",
				 (unsigned long long)order);
			break;
		case 'o':
			out = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'h':
			fputs(gen_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
	}
	if (optind < argc)
		return sl_usage_err("unexpected argument '%s'", argv[optind]);
	if (!pname || !pages || !out)
		return sl_usage_err("--profile, --pages and -o are required");
	if (sl_out_check(out, SL_KIND_TRACE, NULL, 0, force))
		return EXIT_TROUBLE;
	if (!slots)
		slots = pages / 2 > 64 ? pages / 2 : 64;

	g.rng = g.seed * 0x9e3779b97f4a7c15ULL + 7;
	g.hist_seed = malloc(pages * sizeof(*g.hist_seed));
	g.hist_kind = malloc(pages);
	live = malloc(slots * sizeof(*live));
	pos = malloc(slots * sizeof(*pos));
	page = malloc(GEN_PAGE);
	if (!g.hist_seed || !g.hist_kind || !live || !pos || !page) {
		ret = sl_err("out of memory for %llu pages",
			     (unsigned long long)pages);
		goto out;
	}
	memset(pos, 0xff, slots * sizeof(*pos));

	hdr.page_size = GEN_PAGE;
	hdr.flags = SWT_F_SYNTHETIC | SWT_F_HAS_CPU |
		    (order ? SWT_F_HAS_FOLIO : 0);
	hdr.clock = SWT_CLOCK_SYNTHETIC;
	snprintf(hdr.source, sizeof(hdr.source), "gen:%s", pname);
	snprintf(hdr.host, sizeof(hdr.host), "synthetic");
	snprintf(hdr.kernel, sizeof(hdr.kernel), "none");
	snprintf(hdr.description, sizeof(hdr.description),
		 "swaplab gen --profile %s --pages %llu --seed %llu --slots %llu%s%s",
		 pname, (unsigned long long)pages,
		 (unsigned long long)g.seed, (unsigned long long)slots,
		 ncpus == 2 ? "" : cpus_arg, folio_arg);
	w = swt_writer_create(out, &hdr);
	if (!w) {
		ret = sl_err_errno("cannot create '%s'", out);
		goto out;
	}

	ts = 0;
	while (stores < pages) {
		uint64_t r = pg_rand(&g.rng) % 100;
		int32_t cpu = pg_rand(&g.rng) % ncpus;
		uint32_t slot, first;
		int e = 0;

		ts += 1000 + pg_rand(&g.rng) % 4000;
		if (nlive && (r < 22 || nlive == slots)) {
			/* swap-in; the swap cache usually drops the slot */
			slot = live[pg_rand(&g.rng) % nlive];
			e = swt_write_op(w, SWT_LOAD, ts, slot, cpu, -1);
			if (!e && pg_rand(&g.rng) % 10 < 7) {
				live_remove(live, &nlive, pos, slot);
				ts += 200;
				e = swt_write_op(w, SWT_FREE, ts, slot, cpu,
						 -1);
			}
		} else if (nlive && r < 30) {
			slot = live[pg_rand(&g.rng) % nlive];
			live_remove(live, &nlive, pos, slot);
			e = swt_write_op(w, SWT_FREE, ts, slot, cpu, -1);
		} else if (nlive && r < 34) {
			slot = live[pg_rand(&g.rng) % nlive];
			next_content(&g, page);
			e = swt_write_store(w, ts, slot, page, cpu, -1);
			stores++;
		} else {
			first = order ? folio_slots(pos, slots, cursor,
						    1u << order,
						    pages - stores) :
				UINT32_MAX;
			if (first != UINT32_MAX) {
				e = gen_folio(w, &g, page, first, order, cpu,
					      &ts, live, &nlive, pos);
				stores += 1u << order;
				cursor = (first + (1u << order)) % slots;
			} else {
				while (pos[cursor] != UINT32_MAX)
					cursor = (cursor + 1) % slots;
				slot = cursor;
				cursor = (cursor + 1) % slots;
				pos[slot] = nlive;
				live[nlive++] = slot;
				next_content(&g, page);
				e = swt_write_store(w, ts, slot, page, cpu,
						    -1);
				stores++;
			}
		}
		if (e) {
			ret = sl_err_errno("cannot write '%s'", out);
			goto out;
		}
	}
	if (swt_writer_commit(w, &tot)) {
		w = NULL;
		ret = sl_err_errno("cannot write '%s'", out);
		goto out;
	}
	w = NULL;
	printf("%s: %llu events (%llu stores, %llu loads, %llu frees), %llu unique pages\n",
	       out, (unsigned long long)tot.events,
	       (unsigned long long)tot.stores, (unsigned long long)tot.loads,
	       (unsigned long long)tot.frees, (unsigned long long)tot.pages);
	ret = EXIT_YES;
out:
	swt_writer_abort(w);
	free(g.hist_seed);
	free(g.hist_kind);
	free(live);
	free(pos);
	free(page);
	return ret;
}
