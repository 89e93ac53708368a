/*
 * pass_order.h - which runs of a trace share a pass when the memory
 * budget does not hold them all in one.
 *
 * The runs of a pass go side by side on --jobs workers, each run on one
 * worker at a time, so a pass lasts about as long as the larger of its
 * costliest run and its total cost over the workers.  Cut in the order
 * the user gave (--codec all: lzo ... deflate, 842), the last pass of
 * seven runs six to a pass was 842 alone, on one core while the other
 * idled: at 1,000,000 stores --jobs 2 was only 1.53 times as fast as
 * --jobs 1.  So the runs are taken costliest first and cut into the
 * fewest passes the budget allows, of sizes as even as can be: costly
 * runs share a pass, and a pass with fewer runs than workers holds the
 * cheapest.  The cost is measured, not assumed: each run's codec on
 * sample pages of the trace.  Which runs share a pass changes no figure
 * of any run, only the wall time; results keep the user's order.
 */
#ifndef SL_PASS_ORDER_H
#define SL_PASS_ORDER_H

#include <stdint.h>

#include "engine.h"

/* sample pages pass_costs() is given at most */
#define PASS_SAMPLE_PAGES	32

/**
 * pass_costs() - what each of @n runs costs a page, measured.
 * @pages: @npages pages (4 KiB each) sampled from the trace.
 * @cost: filled with the ns run @i's codec took to compress and then
 *	decompress each page, summed; 0 for a run whose codec cannot be set
 *	up here (its run then fails with its own error) or with no pages.
 */
void pass_costs(const struct replay_cfg *cfgs, unsigned int n,
		const uint8_t *pages, unsigned int npages, double *cost);

/**
 * pass_order() - cut @n runs into passes of at most @per_pass runs.
 * @cost: each run's cost (pass_costs()).
 * @order: filled with the @n run indices, pass after pass, costliest
 *	first; runs of equal cost keep their order.
 * @sizes: filled with the size of each pass: ceil(@n / @per_pass)
 *	passes, whose sizes differ by at most one, larger ones first.
 * Return: the number of passes (0 when @n or @per_pass is 0).
 */
unsigned int pass_order(const double *cost, unsigned int n,
			unsigned int per_pass, unsigned int *order,
			unsigned int *sizes);

#endif /* SL_PASS_ORDER_H */
