/*
 * ut_util.c - see ut_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/user/sl_codecs.h"
#include "ut_util.h"

const char *ut_lz4(void)
{
	return sl_codec_find("lz4") ? "lz4" : "liblz4";
}

uint64_t ut_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

void ut_page_fill(void *page, const char *kind, uint64_t seed)
{
	static const char *words[] = { "the ", "page ", "swap ", "zram ",
		"kernel ", "memory ", "of ", "and ", "compress ", "slot " };
	uint64_t s = seed * 2654435761u + 1;
	uint8_t *p = page;
	size_t i = 0;

	if (!strcmp(kind, "zero")) {
		memset(p, 0, UT_PAGE);
	} else if (!strcmp(kind, "random")) {
		for (i = 0; i < UT_PAGE; i += 8) {
			uint64_t r = ut_rand(&s);

			memcpy(p + i, &r, 8);
		}
	} else if (!strcmp(kind, "text")) {
		while (i < UT_PAGE) {
			const char *w = words[ut_rand(&s) % 10];
			size_t n = strlen(w);

			if (n > UT_PAGE - i)
				n = UT_PAGE - i;
			memcpy(p + i, w, n);
			i += n;
		}
	} else {		/* mixed: text, then small integers, then noise */
		ut_page_fill(p, "text", seed);
		for (i = 1024; i < 3072; i += 4) {
			uint32_t v = ut_rand(&s) % 300;

			memcpy(p + i, &v, 4);
		}
		for (i = 3072; i < 3584; i++)
			p[i] = ut_rand(&s);
	}
}

static char tmpdir[256];

const char *ut_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/swaplab-ut-XXXXXX",
		 base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = 0;
		return "/tmp";
	}
	return tmpdir;
}

void ut_tmpdir_cleanup(void)
{
	char cmd[300];

	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	tmpdir[0] = 0;
}
