/*
 * util.c - see util.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format/fsync_dir.h"
#include "format/swt.h"
#include "format/tmpfile.h"
#include "util.h"

const char *sl_cmd_name = "";

static void vmsg(const char *fmt, va_list ap, const char *tail)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (*sl_cmd_name)
		fprintf(stderr, "swaplab %s: %s%s%s\n", sl_cmd_name, buf,
			tail ? ": " : "", tail ? tail : "");
	else
		fprintf(stderr, "swaplab: %s%s%s\n", buf, tail ? ": " : "",
			tail ? tail : "");
}

int sl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, NULL);
	va_end(ap);
	return EXIT_TROUBLE;
}

int sl_err_errno(const char *fmt, ...)
{
	const char *e = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	return EXIT_TROUBLE;
}

void sl_warn(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "swaplab %s: warning: %s\n", sl_cmd_name, buf);
}

int sl_usage_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "swaplab %s: %s (see 'swaplab %s --help')\n",
		sl_cmd_name, buf, sl_cmd_name);
	return EXIT_TROUBLE;
}

/* Return: whether @c was noted in @seen before this call, which notes it */
static bool noted_before(struct sl_seen *seen, int c)
{
	unsigned int i = (unsigned int)c % (sizeof(seen->bits) * 8);
	unsigned char bit = 1u << (i % 8);
	bool was = seen->bits[i / 8] & bit;

	seen->bits[i / 8] |= bit;
	return was;
}

int sl_opt_once(struct sl_seen *seen, int c, const struct option *opts)
{
	if (c == '?' || c == ':' || c == 'h')
		return 0;	/* reported, or help, by the caller */
	if (!noted_before(seen, c))
		return 0;
	for (; opts && opts->name; opts++)
		if (opts->val == c)
			return sl_usage_err("option '--%s' given twice",
					    opts->name);
	return sl_usage_err("option '-%c' given twice", c);
}

int sl_bad_option(char *const argv[], const char *shortopts)
{
	const char *arg = argv[optind - 1], *eq, *p;

	/*
	 * getopt_long() returns '?' alike for all three; optopt is the
	 * option's code when it was a known one, 0 for an unknown long one
	 */
	if (arg[0] == '-' && arg[1] == '-') {
		eq = strchr(arg, '=');
		if (!optopt)
			return sl_usage_err("bad option '%s'", arg);
		if (eq)
			return sl_usage_err("option '%.*s' takes no value",
					    (int)(eq - arg), arg);
		return sl_usage_err("option '%s' needs a value", arg);
	}
	p = optopt ? strchr(shortopts, optopt) : NULL;
	if (p && p[1] == ':')
		return sl_usage_err("option '-%c' needs a value", optopt);
	return sl_usage_err("bad option '%s'", arg);
}

bool sl_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long l;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	l = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = l;
	return true;
}

bool sl_parse_size(const char *s, uint64_t *bytes)
{
	static const struct {
		const char *sfx;
		unsigned int shift;
	} units[] = {
		/* the kernel's memparse() spellings, and the IEC ones */
		{ "", 0 }, { "K", 10 }, { "KiB", 10 }, { "k", 10 },
		{ "M", 20 }, { "MiB", 20 }, { "m", 20 },
		{ "G", 30 }, { "GiB", 30 }, { "g", 30 },
		{ "T", 40 }, { "TiB", 40 }, { "t", 40 },
		{ "P", 50 }, { "PiB", 50 }, { "p", 50 },
		{ "E", 60 }, { "EiB", 60 }, { "e", 60 },
	};
	char *end;
	unsigned long long l;
	size_t i;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	l = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].sfx))
			continue;
		if (units[i].shift && l > (UINT64_MAX >> units[i].shift))
			return false;
		*bytes = (uint64_t)l << units[i].shift;
		return true;
	}
	return false;
}

bool sl_parse_bool(const char *s, bool *v)
{
	if (!strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "yes")) {
		*v = true;
		return true;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0") || !strcmp(s, "no")) {
		*v = false;
		return true;
	}
	return false;
}

int sl_split_list(const char *s, char **items, int max)
{
	const char *p = s;
	int n = 0;

	while (*p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (!len || n == max) {
			sl_free_list(items, n);
			return -1;
		}
		items[n] = strndup(p, len);
		if (!items[n]) {
			sl_free_list(items, n);
			return -1;
		}
		n++;
		p += len + (c ? 1 : 0);
		if (c && !*p) {
			sl_free_list(items, n);
			return -1;
		}
	}
	return n;
}

void sl_free_list(char **items, int n)
{
	while (n-- > 0)
		free(items[n]);
}

/* what the first @n bytes of a file say it is, in words, for the error */
static const char *what_is(const unsigned char *b, size_t n)
{
	if (n >= 8 && !memcmp(b, "SWAPLABT", 8))
		return "a swaplab trace";
	if (n >= 4 && !memcmp(b, "\x7f" "ELF", 4))
		return "an ELF file";
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "a PNG picture";
	if (n >= 4 && !memcmp(b, "\x37\xa4\x30\xec", 4))
		return "a zstd dictionary";
	if (n >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return "a zstd file";
	if (memmem(b, n, "\"swaplab_version\"", 17))
		return "a swaplab results file";
	return "a file swaplab did not write";
}

static bool is_kind(enum sl_out_kind kind, const unsigned char *b, size_t n)
{
	switch (kind) {
	case SL_KIND_RESULTS:
		/* what sl_results_write() makes: the version key first */
		return n && b[0] == '{' &&
		       memmem(b, n, "\"swaplab_version\"", 17);
	case SL_KIND_TRACE:
		return false;
	case SL_KIND_DICT:
		return n >= 4 && !memcmp(b, "\x37\xa4\x30\xec", 4);
	case SL_KIND_PLOT_TEXT:
		/* a comment first, or over-ideal's column header */
		return ((n >= 2 && b[0] == '#' && b[1] == ' ') ||
			(n >= 6 && !memcmp(b, "alloc ", 6))) &&
		       !memchr(b, 0, n);
	case SL_KIND_PLOT_IMAGE:
		return (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8)) ||
		       (memmem(b, n, "<svg", 4) && !memchr(b, 0, n));
	case SL_KIND_SCRATCH:
		return false;
	}
	return false;
}

int sl_out_check(const char *path, enum sl_out_kind kind,
		 const char *const *inputs, int ninputs, bool force)
{
	unsigned char head[512];
	struct stat out, in;
	ssize_t n;
	int i, fd;

	/* nothing there yet, or nothing stat can see: the open will tell */
	if (stat(path, &out))
		return 0;
	for (i = 0; i < ninputs; i++)
		if (inputs[i] && !stat(inputs[i], &in) &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return sl_err("output '%s' is the input '%s': writing it would destroy what is read; choose another output",
				      path, inputs[i]);
	/*
	 * the output is renamed into place: over /dev/null or a FIFO that
	 * would replace the node itself, over a directory it fails late
	 */
	if (!S_ISREG(out.st_mode))
		return sl_err("'%s' is not a regular file: outputs are written to a temporary file renamed over it; choose a file",
			      path);
	if (force || !out.st_size)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* unreadable: the write will fail or succeed */
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		n = 0;
	if (is_kind(kind, head, n))
		return 0;
	return sl_err("'%s' exists and is %s: not replaced without --force (remove it or choose another output)",
		      path, what_is(head, n));
}

int sl_max_memory(const char *arg)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t b;

	if (arg) {
		if (!sl_parse_size(arg, &b) || b < (16 << 20))
			return sl_usage_err("--max-memory wants a size of 16M or more, not '%s'",
					    arg);
	} else {
		b = pages > 0 && psz > 0 ? (uint64_t)pages * psz / 4 * 3 : 0;
	}
	swt_memory_limit(b);
	return 0;
}

const char *sl_fmt_bytes(char *buf, size_t len, double b)
{
	static const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (b >= 1024 && i < 4) {
		b /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f B", b);
	else
		snprintf(buf, len, "%.1f %s", b, u[i]);
	return buf;
}

const char *sl_fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
	return buf;
}

bool sl_progress_enabled(void)
{
	return isatty(STDERR_FILENO);
}

double sl_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sl_progress(unsigned int run, unsigned int runs, const char *codec,
		 const char *alloc, double frac, double t0)
{
	sl_progress_runs(run, run, runs, codec, alloc, frac, t0);
}

void sl_progress_runs(unsigned int first, unsigned int run, unsigned int runs,
		      const char *codec, const char *alloc, double frac,
		      double t0)
{
	double all = runs ? (first - 1 + frac * (run - first + 1)) / runs :
		     frac;
	double left = all > 0.005 ? (sl_now_s() - t0) * (1 - all) / all : -1;
	char eta[32];

	if (left < 0)
		snprintf(eta, sizeof(eta), "-:--");
	else if (left >= 3600)
		snprintf(eta, sizeof(eta), "%d:%02d:%02d", (int)left / 3600,
			 (int)left / 60 % 60, (int)left % 60);
	else
		snprintf(eta, sizeof(eta), "%d:%02d", (int)left / 60,
			 (int)left % 60);
	fprintf(stderr, "\r\033[Krun %u/%u %s \u00d7 %s, %.0f%%, ETA %s", run,
		runs, codec, alloc, 100 * frac, eta);
	fflush(stderr);
}

void sl_progress_end(void)
{
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
}
