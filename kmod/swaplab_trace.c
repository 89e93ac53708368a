// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_trace.c - instantiates the tracepoints of swaplab_trace.h, once.
 */
#include <linux/module.h>

#define CREATE_TRACE_POINTS
#include "swaplab_trace.h"
