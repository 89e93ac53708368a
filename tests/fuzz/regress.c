/*
 * regress.c - run a fuzz target over files without libFuzzer, as zstd's
 * tests/fuzz/regression_driver.c does: CI builds every target with the
 * normal compiler under ASan+UBSan and feeds it its seed corpus (and any
 * crash reproducers kept there), so a fixed bug stays fixed.
 *
 * usage: regress-TARGET FILE_OR_DIR...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long nrun;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "regress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fclose(f);
				return -1;
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	/* an exact-size copy, so ASan sees reads past the end */
	{
		uint8_t *exact = malloc(len ? len : 1);

		memcpy(exact, buf, len);
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	nrun++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	int ret = 0;
	DIR *d;

	if (stat(path, &st)) {
		fprintf(stderr, "regress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (asprintf(&names[n], "%s/%s", path, de->d_name) < 0)
			return -1;
		n++;
	}
	closedir(d);
	/* in name order, so a run is the same everywhere */
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		if (run_path(names[i]))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]))
			ret = 2;
	fprintf(stderr, "%s: %ld inputs\n", argv[0], nrun);
	return ret;
}
