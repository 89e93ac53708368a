/*
 * fmt.c - a figure of a results file as a table cell (see fmt.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/util.h"
#include "fmt.h"

const char *sl_fmt_fig(char *buf, size_t len, enum sl_kind kind, double v,
		       const struct sl_fig_style *style)
{
	if (kind != SL_K_STR && isnan(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	switch (kind) {
	case SL_K_STR:
		snprintf(buf, len, "%s", "");
		break;
	case SL_K_INT:
		snprintf(buf, len, "%.0f", v);
		break;
	case SL_K_BYTES:
		sl_fmt_bytes(buf, len, v);
		break;
	case SL_K_RATIO:
		snprintf(buf, len, "%.*f", style->ratio_digits, v);
		break;
	case SL_K_PCT:
		snprintf(buf, len, "%.*f%%", style->pct_digits, 100 * v);
		break;
	case SL_K_NS:
		sl_fmt_ns(buf, len, v);
		break;
	case SL_K_RATE:
		snprintf(buf, len, style->rate_unit ? "%.0f/s" : "%.0f", v);
		break;
	case SL_K_SEC:
		snprintf(buf, len, "%.2f s", v);
		break;
	}
	return buf;
}

void sl_fmt_short_name(char *name, const char *kernel)
{
	char at[48], zs[96], tail[256];
	size_t n = strcspn(name, " ");

	if (!*kernel)
		return;
	/* a row label ("alloc [settings]") keeps what follows the name */
	snprintf(tail, sizeof(tail), "%s", name + n);
	name[n] = '\0';
	snprintf(at, sizeof(at), "@%s", kernel);
	if (n > strlen(at) && !strcmp(name + n - strlen(at), at))
		name[n - strlen(at)] = '\0';
	/* zsmalloc's chain defaults: ZS_MAX_ZSPAGE_ORDER 2 in 6.1, 8 after */
	snprintf(zs, sizeof(zs), "zsmalloc:kernel=%s:chain=%s", kernel,
		 strcmp(kernel, "6.1") ? "8" : "4");
	if (!strcmp(name, zs))
		strcpy(name, "zsmalloc");
	strcat(name, tail);
}
