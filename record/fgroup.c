/*
 * fgroup.c - folio groups of the kernel recorder (fgroup.h).
 */
#include <string.h>

#include "record/fgroup.h"

void fgroup_bio(struct fgroups *f, uint32_t first, uint32_t nr)
{
	struct fgroup *g = NULL;
	unsigned int o = 0;
	int i;

	if (nr < 2)
		return;
	for (i = 0; i < f->n && !g; i++)
		if (first < f->g[i].first + f->g[i].nr &&
		    f->g[i].first < first + nr)
			g = &f->g[i];
	if (!g && f->n == FGROUP_MAX) {
		f->overflow++;
		return;
	}
	if (!g)
		g = &f->g[f->n++];
	while (o < SWT_FOLIO_ORDER_MAX && (2u << o) <= nr)
		o++;
	g->first = first;
	g->nr = nr;
	g->next = first;
	g->order = nr == 1u << o ? o : 0;
	g->broken = !g->order;
}

void fgroup_store(struct fgroups *f, uint32_t index, bool ok,
		  unsigned int *order, bool *cont)
{
	struct fgroup *g = NULL;
	int i;

	*order = 0;
	*cont = false;
	for (i = 0; i < f->n && !g; i++)
		if (index >= f->g[i].first && index - f->g[i].first < f->g[i].nr)
			g = &f->g[i];
	if (!g) {
		f->last_in_grp = false;
		return;
	}
	/* out of slot order, or another store came between: not a folio */
	if (!ok || index != g->next ||
	    (index != g->first &&
	     !(f->last_in_grp && f->last_first == g->first)))
		g->broken = true;
	g->next = index;
	if (!g->broken) {
		*order = g->order;
		*cont = index != g->first;
	}
	f->last_in_grp = !g->broken;
	f->last_first = g->first;
	if (++g->next < g->first + g->nr)
		return;
	if (g->broken) {
		f->broken++;
	} else {
		f->folios[g->order]++;
		f->pages += g->nr;
	}
	*g = f->g[--f->n];
}
