// SPDX-License-Identifier: GPL-2.0
/*
 * codecs.c - userspace codec registry and spec parser.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sl_codecs.h"

const struct sl_codec_ops *const sl_codecs[] = {
	&sl_codec_lz4,
	&sl_codec_liblz4,
	&sl_codec_none,
	NULL,
};

const struct sl_codec_ops *sl_codec_find(const char *name)
{
	const struct sl_codec_ops *const *c;

	for (c = sl_codecs; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static bool parse_int(const char *s, int *v)
{
	char *end;
	long l;

	errno = 0;
	l = strtol(s, &end, 10);
	if (errno || end == s || *end || l < INT_MIN + 1 || l > INT_MAX)
		return false;
	*v = (int)l;
	return true;
}

int sl_codec_parse(const char *spec, const struct sl_codec_ops **ops,
		   struct sl_codec_params *params, char *err, size_t errlen)
{
	char buf[256], *tok, *save = NULL;
	const struct sl_codec_ops *c;
	bool first = true;
	int level;

	memset(params, 0, sizeof(*params));
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "codec spec too long");
		return -EINVAL;
	}
	strcpy(buf, spec);
	tok = strtok_r(buf, ":", &save);
	c = tok ? sl_codec_find(tok) : NULL;
	if (!c) {
		snprintf(err, errlen, "unknown codec '%s'", tok ? tok : "");
		return -EINVAL;
	}
	params->level = c->default_level;
	while ((tok = strtok_r(NULL, ":", &save))) {
		if (first && parse_int(tok, &level)) {
			if (c->min_level == c->max_level ||
			    level < c->min_level || level > c->max_level) {
				snprintf(err, errlen,
					 "codec %s: level %d out of range %d..%d",
					 c->name, level, c->min_level,
					 c->max_level);
				return -EINVAL;
			}
			params->level = level;
		} else {
			snprintf(err, errlen, "codec %s: unknown option '%s'",
				 c->name, tok);
			return -EINVAL;
		}
		first = false;
	}
	*ops = c;
	return 0;
}
