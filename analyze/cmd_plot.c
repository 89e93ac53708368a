/*
 * cmd_plot.c - `swaplab plot RESULTS.json... -o DIR`: pictures through
 * gnuplot.
 *
 * For each trace in the results, five kinds of plot, each a data file and
 * a gnuplot script in DIR (kept, so a picture can be restyled by editing
 * the script and running `gnuplot NAME.gp` in DIR) and the picture:
 *   size-hist      compressed-size histogram, one line per codec
 *   ratio-latency  ratio against compress latency, Pareto frontier marked
 *   frag-timeline  mem_used_total and compr_data_size over the trace, one
 *                  colour per allocator, compactions marked
 *   latency-cdf    compress and decompress latency CDFs, one line per codec
 *   over-ideal     peak memory over the ideal allocator's, per allocator
 * The script is piped to gnuplot, run in DIR; gnuplot draws into a temp
 * file that is renamed into place only when gnuplot succeeded, so a
 * picture under its final name is always whole.  Titles carry the trace,
 * its source and the settings all its runs share.  Figures are read by
 * their names in format/metrics.c's table (a timeline sample holds its
 * state figures under the same paths as the run's end state).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze/fmt.h"
#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"
#include "format/tmpfile.h"

static const char plot_usage[] =
"usage: swaplab plot RESULTS.json... -o DIR [--format png|svg]\n"
"                    [--kinds LIST] [--codec NAME] [--x op|time]\n"
"                    [--force]\n"
"\n"
"Draw, for each trace in the results, with gnuplot:\n"
"  size-hist      compressed-size histogram per codec\n"
"  ratio-latency  ratio at peak memory vs compress latency, Pareto\n"
"                 frontier marked\n"
"  frag-timeline  mem_used_total and compr_data_size over the trace, one\n"
"                 line per allocator, compactions and each run's peak\n"
"                 (max mem_used_total) marked (--codec picks the codec;\n"
"                 default the first one in the results); --x time puts\n"
"                 the trace's seconds on the x axis instead of its ops\n"
"  latency-cdf    compress and decompress latency CDFs per codec\n"
"  over-ideal     peak memory over the ideal allocator's, per allocator\n"
"--kinds picks some (default all).  DIR gets KIND[-N].png|svg with its\n"
"data (.dat) and gnuplot script (.gp); -N numbers the groups (one trace\n"
"of one results file) when there is more than one.  Needs gnuplot\n"
"(Debian: gnuplot-nox).  A file in DIR under one of those names that\n"
"plot did not write is replaced only with --force.\n";

enum { P_HIST, P_PARETO, P_TIMELINE, P_CDF, P_IDEAL, NR_KINDS };
static const struct kind {
	const char *name;
	int width, height;		/* of the picture, in pixels */
} kinds[NR_KINDS] = {
	[P_HIST]	= { "size-hist", 1000, 600 },
	[P_PARETO]	= { "ratio-latency", 1000, 650 },
	[P_TIMELINE]	= { "frag-timeline", 1100, 650 },
	[P_CDF]		= { "latency-cdf", 1300, 600 },
	[P_IDEAL]	= { "over-ideal", 1100, 600 },
};

struct plot {
	const char *dir, *fmt, *codec_opt;
	const char *const *inputs;	/* the results files read */
	int ninputs;
	bool force;
	bool x_time;			/* timeline x: seconds, not ops */
	json_t *runs;			/* of one trace */
	char suffix[16];
	char title[2048];		/* escaped for a gnuplot "string" */
	int made;
};

/* append @s to @out as the inside of a gnuplot double-quoted string */
static void gp_escape(char *out, size_t len, const char *s)
{
	size_t n = strlen(out);

	for (; *s && n + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = (unsigned char)*s < ' ' ? ' ' : *s;
	}
	out[n] = 0;
}

/* @s as the inside of a gnuplot single-quoted string (' doubled) */
static const char *sq(const char *s)
{
	static char buf[4][256];
	static int k;
	char *b = buf[k++ % 4];
	size_t n = 0;

	for (; *s && n + 3 < sizeof(buf[0]); s++) {
		if (*s == '\'')
			b[n++] = '\'';
		b[n++] = *s;
	}
	b[n] = 0;
	return b;
}

/* the distinct values of string field @key over @runs, in order */
static int distinct(json_t *runs, const char *key, const char **out, int max)
{
	json_t *r;
	size_t i;
	int n = 0, k;

	json_array_foreach(runs, i, r) {
		const char *v = sl_results_str(r, key);

		for (k = 0; k < n; k++)
			if (!strcmp(out[k], v))
				break;
		if (k == n && n < max)
			out[n++] = v;
	}
	return n;
}

/* @want names @run's @key in full ("lz4@6.1") or as a table shows it */
static bool names(json_t *run, const char *key, const char *want)
{
	char buf[256];

	if (!want || !strcmp(sl_results_str(run, key), want))
		return true;
	snprintf(buf, sizeof(buf), "%s", sl_results_str(run, key));
	sl_fmt_short_name(buf, sl_results_str(run, "kernel"));
	return !strcmp(buf, want);
}

static json_t *find_run(json_t *runs, const char *codec, const char *alloc)
{
	json_t *r;
	size_t i;

	json_array_foreach(runs, i, r)
		if (names(r, "codec", codec) && names(r, "alloc", alloc))
			return r;
	return NULL;
}

/*
 * @text on lines of at most TITLE_COLS characters, broken at spaces, each
 * after a "\\n": the narrowest picture (1000 pixels) holds about 130
 * characters of gnuplot's default title font
 */
#define TITLE_COLS	110

static void title_lines(struct plot *p, const char *text)
{
	char piece[TITLE_COLS + 1];
	size_t n, cut;

	while (*text) {
		n = strlen(text);
		cut = n;
		if (n > TITLE_COLS) {
			for (cut = TITLE_COLS; cut > 0 && text[cut] != ' '; cut--)
				;
			if (!cut)
				cut = TITLE_COLS;
		}
		memcpy(piece, text, cut);
		piece[cut] = 0;
		strncat(p->title, "\\n", sizeof(p->title) - strlen(p->title) - 1);
		gp_escape(p->title, sizeof(p->title), piece);
		text += cut;
		text += strspn(text, " ");
	}
}

/* "trace: T (source)" and, on the lines after, the settings all runs share */
static void make_title(struct plot *p, const char *trace)
{
	json_t *first = json_array_get(p->runs, 0), *v, *r;
	json_t *set = json_object_get(first, "settings");
	char line[1024] = "", varies[256] = "", *txt;
	const char *k;
	size_t i, n = 0, nv = 0;
	bool same;

	json_object_foreach(set, k, v) {
		same = true;
		json_array_foreach(p->runs, i, r)
			if (!json_equal(v, json_object_get(
					json_object_get(r, "settings"), k)))
				same = false;
		if (!same) {
			nv += snprintf(varies + nv, nv < sizeof(varies) ?
				       sizeof(varies) - nv : 0, "%s%s",
				       nv ? "," : "", k);
			continue;
		}
		txt = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0,
			      "%s%s=%s", n ? " " : "", k, txt ? txt : "?");
		free(txt);
	}
	snprintf(p->title, sizeof(p->title), "trace: ");
	gp_escape(p->title, sizeof(p->title), trace);
	gp_escape(p->title, sizeof(p->title), " (");
	gp_escape(p->title, sizeof(p->title), sl_results_str(first,
							     "trace_source"));
	gp_escape(p->title, sizeof(p->title), ")");
	if (varies[0])
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0,
			      "%s(per run: %s)", n ? " " : "", varies);
	title_lines(p, line);
}

/* an atomically written file in DIR; Return: 0 or EXIT_TROUBLE */
static int write_file(struct plot *p, const char *name, const char *text,
		      size_t len)
{
	char path[4096];
	struct sl_out o;

	snprintf(path, sizeof(path), "%s/%s", p->dir, name);
	if (sl_out_check(path, SL_KIND_PLOT_TEXT, p->inputs, p->ninputs,
			 p->force))
		return EXIT_TROUBLE;
	if (sl_out_open(&o, path))
		return sl_err_errno("cannot create '%s'", path);
	if (fwrite(text, 1, len, o.f) != len) {
		sl_out_abort(&o);
		return sl_err_errno("cannot write '%s'", path);
	}
	if (sl_out_commit(&o))
		return sl_err_errno("cannot write '%s'", path);
	return 0;
}

/* run gnuplot in DIR with @script on its stdin; Return: 0 or EXIT_TROUBLE */
static int run_gnuplot(struct plot *p, const char *script, size_t len)
{
	char logpath[4096], msg[512] = "";
	int in[2], log, status;
	ssize_t got;
	pid_t pid;
	void (*old)(int);

	snprintf(logpath, sizeof(logpath), "%s/.gnuplot.log.%ld", p->dir,
		 (long)getpid());
	log = open(logpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log < 0)
		return sl_err_errno("cannot create '%s'", logpath);
	if (pipe(in)) {
		close(log);
		unlink(logpath);
		return sl_err_errno("pipe");
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		close(log);
		unlink(logpath);
		return sl_err_errno("fork");
	}
	if (!pid) {
		dup2(in[0], 0);
		dup2(log, 1);
		dup2(log, 2);
		close(in[1]);
		if (chdir(p->dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	old = signal(SIGPIPE, SIG_IGN);
	while (len) {
		got = write(in[1], script, len);
		if (got <= 0)
			break;
		script += got;
		len -= got;
	}
	close(in[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	got = pread(log, msg, sizeof(msg) - 1, 0);
	msg[got > 0 ? got : 0] = 0;
	msg[strcspn(msg, "\n")] = 0;
	close(log);
	unlink(logpath);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return sl_err("cannot run gnuplot (install gnuplot-nox)");
	if (WEXITSTATUS(status))
		return sl_err("gnuplot failed: %s", msg[0] ? msg : "no message");
	return 0;
}

/* text gathered in memory, to be written out whole */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static int mem_open(struct mem *m)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f ? 0 : sl_err_errno("out of memory");
}

/*
 * Return: 0 with the text in m->buf for the caller to free, or
 * EXIT_TROUBLE with it freed.
 */
static int mem_close(struct mem *m)
{
	int bad = fclose(m->f);

	m->f = NULL;
	if (!bad)
		return 0;
	free(m->buf);
	m->buf = NULL;
	return sl_err_errno("out of memory");
}

/*
 * Render @body (the plot commands) as picture @name: the terminal, the
 * temp output and the title go before it; the temp file is renamed into
 * place once gnuplot has exited cleanly and left a non-empty file.
 */
static int render(struct plot *p, const char *name, const char *body,
		  int width, int height)
{
	char file[256], path[4096], gp[300], *tpath;
	const char *tmp;
	struct mem script, full;
	struct stat st;
	int ret;

	snprintf(file, sizeof(file), "%s%s.%s", name, p->suffix, p->fmt);
	snprintf(path, sizeof(path), "%s/%s", p->dir, file);
	if (sl_out_check(path, SL_KIND_PLOT_IMAGE, p->inputs, p->ninputs,
			 p->force))
		return EXIT_TROUBLE;
	/* gnuplot draws into PATH.tmp.PID, as every output is written */
	tpath = sl_tmp_name(path);
	if (!tpath)
		return sl_err_errno("out of memory");
	tmp = strrchr(tpath, '/') ? strrchr(tpath, '/') + 1 : tpath;
	ret = mem_open(&script);
	if (ret)
		goto out;
	fprintf(script.f, "# %s: made by swaplab plot; run `gnuplot %s%s.gp` here\n",
		file, name, p->suffix);
	if (!strcmp(p->fmt, "svg"))
		fprintf(script.f, "set terminal svg size %d,%d dynamic noenhanced font 'DejaVu Sans,11' background '#ffffff'\n",
			width, height);
	else
		fprintf(script.f, "set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,10'\n",
			width, height);
	fprintf(script.f, "if (!exists(\"out\")) out = '%s'\nset output out\n"
		"set encoding utf8\nset grid lc rgb '#dddddd'\n"
		"set key outside right top\n%s", file, body);
	ret = mem_close(&script);
	if (ret)
		goto out;
	snprintf(gp, sizeof(gp), "%s%s.gp", name, p->suffix);
	ret = write_file(p, gp, script.buf, script.len);
	if (!ret)
		ret = mem_open(&full);
	if (ret) {
		free(script.buf);
		goto out;
	}
	/* the kept script draws under the final name, this run the temp one */
	fprintf(full.f, "out = '%s'\n%s", tmp, script.buf);
	free(script.buf);
	ret = mem_close(&full);
	if (ret)
		goto out;
	sl_tmp_track(tpath);
	ret = run_gnuplot(p, full.buf, full.len);
	free(full.buf);
	if (!ret && (stat(tpath, &st) || !st.st_size))
		ret = sl_err("gnuplot made no picture for '%s'", path);
	if (ret)
		unlink(tpath);
	else if (sl_tmp_commit(tpath, path))
		ret = sl_err_errno("cannot rename to '%s'", path);
	sl_tmp_untrack(tpath);
	if (!ret) {
		printf("wrote %s\n", path);
		p->made++;
	}
out:
	free(tpath);
	return ret;
}

/*
 * One picture in the making: its data file and its plot commands, kept
 * in memory until the kind knows whether it has anything to draw.
 */
struct fig {
	const struct kind *kind;
	char dat[256];		/* the data file's name, for the commands */
	struct mem data, cmds;
};

static int fig_open(struct plot *p, struct fig *g, int kind)
{
	int ret;

	g->kind = &kinds[kind];
	snprintf(g->dat, sizeof(g->dat), "%s%s.dat", g->kind->name,
		 p->suffix);
	ret = mem_open(&g->data);
	if (ret)
		return ret;
	ret = mem_open(&g->cmds);
	if (ret) {
		fclose(g->data.f);
		free(g->data.buf);
	}
	return ret;
}

static int fig_write_data(struct plot *p, struct fig *g)
{
	int ret = mem_close(&g->data);

	if (!ret)
		ret = write_file(p, g->dat, g->data.buf, g->data.len);
	free(g->data.buf);
	return ret;
}

static void fig_drop_cmds(struct fig *g)
{
	if (g->cmds.f)
		fclose(g->cmds.f);
	free(g->cmds.buf);
}

/* write the data file, then draw the picture; @g is gone after */
static int fig_draw(struct plot *p, struct fig *g)
{
	int ret = fig_write_data(p, g);

	if (!ret)
		ret = mem_close(&g->cmds);
	if (!ret)
		ret = render(p, g->kind->name, g->cmds.buf, g->kind->width,
			     g->kind->height);
	fig_drop_cmds(g);
	return ret;
}

/*
 * Nothing to draw: say @why.  The data file goes out all the same, even
 * empty, to show what was looked for.  @g is gone after.
 */
static int fig_skip(struct plot *p, struct fig *g, const char *why)
{
	int ret = fig_write_data(p, g);

	fig_drop_cmds(g);
	if (!ret)
		sl_warn("%s", why);
	return ret;
}

#define MAX_SERIES 64
#define MAX_GROUPS 256

/*
 * The header line naming a data file's columns, @lead then one per codec:
 * over-ideal's key takes its titles from it through columnheader().
 */
static void codec_columns(FILE *f, const char *lead, const char **codecs,
			  int nc)
{
	int c;

	fprintf(f, "%s", lead);
	for (c = 0; c < nc; c++)
		fprintf(f, " %s", codecs[c]);
	fprintf(f, "\n");
}

static int plot_hist(struct plot *p)
{
	const char *codecs[MAX_SERIES];
	int nc = distinct(p->runs, "codec", codecs, MAX_SERIES), c, k, used = 0;
	double tot[MAX_SERIES];
	json_t *h[MAX_SERIES];
	struct fig g;
	int ret;

	for (c = 0; c < nc; c++) {
		h[c] = json_object_get(find_run(p->runs, codecs[c], NULL),
				       "compressed_size_hist_64b");
		tot[c] = 0;
		for (k = 0; k < (int)json_array_size(h[c]); k++)
			tot[c] += json_number_value(json_array_get(h[c], k));
		used += tot[c] > 0;
	}
	if (!used) {
		sl_warn("no compressed-size histogram in the results: size-hist skipped");
		return 0;
	}
	ret = fig_open(p, &g, P_HIST);
	if (ret)
		return ret;
	fprintf(g.data.f, "# bin_bytes_lo bin_bytes_mid then per codec: %% of its compressed stores\n");
	codec_columns(g.data.f, "# lo mid", codecs, nc);
	for (k = 0; k < 65; k++) {
		fprintf(g.data.f, "%d %d", k * 64, k * 64 + 32);
		for (c = 0; c < nc; c++)
			fprintf(g.data.f, " %.6f", tot[c] > 0 ? 100 *
				json_number_value(json_array_get(h[c], k)) /
				tot[c] : NAN);
		fprintf(g.data.f, "\n");
	}
	fprintf(g.cmds.f, "set title \"compressed page sizes per codec\\n%s\"\n"
		"set xlabel 'compressed size (bytes, 64-byte bins; last bin: stored raw)'\n"
		"set ylabel 'pages (%% of the codec''s compressed stores)'\n"
		"set xrange [0:%d]\nset xtics 512\nset yrange [0:*]\n"
		"plot ", p->title, 65 * 64);
	for (c = 0, k = 0; c < nc; c++) {
		if (tot[c] <= 0)
			continue;
		fprintf(g.cmds.f, "%s'%s' using 2:%d with histeps lw 2 title '%s'",
			k++ ? ", \\\n     " : "", g.dat, c + 3, sq(codecs[c]));
	}
	fprintf(g.cmds.f, "\n");
	return fig_draw(p, &g);
}

static int plot_pareto(struct plot *p)
{
	const char *codecs[MAX_SERIES];
	int nc = distinct(p->runs, "codec", codecs, MAX_SERIES), c, k, n = 0;
	double x[MAX_SERIES], y[MAX_SERIES], sum, best;
	int order[MAX_SERIES], below[MAX_SERIES], cnt, t;
	double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = -INFINITY;
	struct fig g;
	json_t *r;
	size_t i;
	int ret;

	for (c = 0; c < nc; c++) {
		sum = 0;
		cnt = 0;
		json_array_foreach(p->runs, i, r) {
			double v = sl_metric_value(r, "compress.p50");

			if (strcmp(sl_results_str(r, "codec"), codecs[c]) ||
			    isnan(v))
				continue;
			sum += v;
			cnt++;
		}
		x[c] = cnt ? sum / cnt / 1000 : NAN;
		/* at peak memory: at the end a workload may have freed all */
		r = find_run(p->runs, codecs[c], NULL);
		y[c] = sl_metric_value(r, "ratio_at_peak");
		if (isnan(y[c]))
			y[c] = sl_metric_value(r, "ratio");
		if (!isnan(x[c]) && !isnan(y[c])) {
			order[n++] = c;
			xmin = fmin(xmin, x[c]);
			xmax = fmax(xmax, x[c]);
			ymin = fmin(ymin, y[c]);
			ymax = fmax(ymax, y[c]);
		}
	}
	if (!n) {
		sl_warn("no ratio and compress latency in the results: ratio-latency skipped");
		return 0;
	}
	/* by latency, then ratio (highest first) */
	for (c = 1; c < n; c++)
		for (k = c; k > 0 && (x[order[k]] < x[order[k - 1]] ||
				      (x[order[k]] == x[order[k - 1]] &&
				       y[order[k]] > y[order[k - 1]])); k--) {
			t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	ret = fig_open(p, &g, P_PARETO);
	if (ret)
		return ret;
	fprintf(g.data.f, "# compress_p50_us ratio codec on_frontier\n");
	/* a label close to an upper label on its left goes below its point */
	for (c = 0; c < n; c++) {
		below[c] = 0;
		for (k = 0; k < c; k++)
			if (!below[k] && x[order[c]] < 1.3 * x[order[k]] &&
			    fabs(y[order[c]] - y[order[k]]) <
			    0.06 * (ymax - ymin))
				below[c] = 1;
		fprintf(g.data.f, "%.4f %.6f \"%s\" %d\n", x[order[c]],
			y[order[c]], codecs[order[c]], below[c]);
	}
	/* a point is on the frontier if no faster codec compresses as well */
	fprintf(g.data.f, "\n\n# Pareto frontier: compress_p50_us ratio codec\n");
	best = -INFINITY;
	for (c = 0; c < n; c++)
		if (y[order[c]] > best) {
			best = y[order[c]];
			fprintf(g.data.f, "%.4f %.6f \"%s\"\n", x[order[c]],
				y[order[c]], codecs[order[c]]);
		}
	fprintf(g.cmds.f, "set title \"compression ratio vs compress latency (p50, mean over allocators)\\n%s\"\n"
		"set xlabel 'compress latency p50 (µs per 4 KiB page)'\n"
		"set ylabel 'compression ratio at peak memory (orig / compr)'\n",
		p->title);
	if (xmax > 8 * xmin)
		fprintf(g.cmds.f, "set logscale x\n");
	fprintf(g.cmds.f, "set offsets graph 0.08, graph 0.12, graph 0.1, graph 0.1\n"
		"plot '%s' index 1 using 1:2 with steps lw 2 dt 2 lc rgb '#d62728' title 'Pareto frontier', \\\n"
		"     '%s' index 0 using 1:2 with points pt 7 ps 1.5 lc rgb '#1f77b4' title 'codec', \\\n"
		"     '%s' index 1 using 1:2 with points pt 6 ps 2.6 lw 2 lc rgb '#d62728' notitle, \\\n"
		"     '%s' index 0 using 1:($4 == 0 ? $2 : NaN):3 with labels offset 1.2,0.8 left notitle, \\\n"
		"     '%s' index 0 using 1:($4 != 0 ? $2 : NaN):3 with labels offset 1.2,-0.9 left notitle\n",
		g.dat, g.dat, g.dat, g.dat, g.dat);
	return fig_draw(p, &g);
}

/* series colours: distinct, none of them the black of the key samples */
static const char *const colors[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define COLOR(i) colors[(i) % (sizeof(colors) / sizeof(colors[0]))]

/* whether two runs' timelines have the same compr_data_size all along */
static bool same_compr(json_t *runs, const char *codec, const char *a,
		       const char *b)
{
	json_t *ta = json_object_get(find_run(runs, codec, a), "timeline");
	json_t *tb = json_object_get(find_run(runs, codec, b), "timeline");
	size_t i;

	if (json_array_size(ta) != json_array_size(tb))
		return false;
	for (i = 0; i < json_array_size(ta); i++)
		if (sl_metric_value(json_array_get(ta, i), "compr_data_size") !=
		    sl_metric_value(json_array_get(tb, i), "compr_data_size"))
			return false;
	return true;
}

static int plot_timeline(struct plot *p)
{
	const char *allocs[MAX_SERIES], *codec = p->codec_opt;
	int na, a, k, nplot = 0, blk = 0, comp_blk[MAX_SERIES];
	int data_blk[MAX_SERIES], peak_blk[MAX_SERIES], first;
	bool any_comp = false, any_peak = false;
	const char *xkey = p->x_time ? "t_s" : "op";
	char qcodec[256] = "";
	double prev, cur;
	json_t *r, *tl, *e;
	struct fig g;
	size_t i;
	int ret;

	if (!codec)
		codec = sl_results_str(json_array_get(p->runs, 0), "codec");
	if (!find_run(p->runs, codec, NULL)) {
		sl_warn("no run with codec '%s' on this trace: frag-timeline skipped",
			codec);
		return 0;
	}
	na = distinct(p->runs, "alloc", allocs, MAX_SERIES);
	ret = fig_open(p, &g, P_TIMELINE);
	if (ret)
		return ret;
	for (a = 0; a < na; a++) {
		r = find_run(p->runs, codec, allocs[a]);
		tl = json_object_get(r, "timeline");
		data_blk[a] = comp_blk[a] = peak_blk[a] = -1;
		if (!r || !json_array_size(tl))
			continue;
		if (p->x_time && isnan(sl_results_num(json_array_get(tl, 0),
						      "t_s"))) {
			fig_drop_cmds(&g);
			return sl_err("%s x %s: the timeline has no times (results of an older swaplab or of --target): use --x op",
				      codec, allocs[a]);
		}
		fprintf(g.data.f, "# %s: %s mem_used_total_MiB compr_data_size_MiB pages_compacted\n",
			allocs[a], xkey);
		json_array_foreach(tl, i, e)
			fprintf(g.data.f, "%.6f %.6f %.6f %.0f\n",
				sl_results_num(e, xkey),
				sl_metric_value(e, "mem_used_total") / 1048576,
				sl_metric_value(e, "compr_data_size") / 1048576,
				sl_metric_value(e, "pages_compacted"));
		fprintf(g.data.f, "\n\n");
		data_blk[a] = blk++;
		/* compaction events: samples where pages_compacted grew */
		k = 0;
		prev = 0;
		json_array_foreach(tl, i, e) {
			cur = sl_metric_value(e, "pages_compacted");
			if (cur > prev) {
				if (!k++)
					fprintf(g.data.f, "# %s compactions: op mem_used_total_MiB pages\n",
						allocs[a]);
				fprintf(g.data.f, "%.6f %.6f %.0f\n",
					sl_results_num(e, xkey),
					sl_metric_value(e, "mem_used_total") /
					1048576, cur - prev);
			}
			if (!isnan(cur))
				prev = cur;
		}
		if (k) {
			fprintf(g.data.f, "\n\n");
			comp_blk[a] = blk++;
			any_comp = true;
		}
		/* the run's peak: the exact moment, not the nearest sample */
		if (!isnan(sl_metric_value(r, "mem_used_at_peak"))) {
			fprintf(g.data.f, "# %s peak: %s mem_used_total_MiB\n%.6f %.6f\n\n\n",
				allocs[a], xkey,
				sl_metric_value(r, p->x_time ? "peak_t_s" :
						"peak_op"),
				sl_metric_value(r, "mem_used_at_peak") /
				1048576);
			peak_blk[a] = blk++;
			any_peak = true;
		}
		nplot++;
	}
	if (!nplot)
		return fig_skip(p, &g, "no timeline in the results: frag-timeline skipped");
	gp_escape(qcodec, sizeof(qcodec), codec);
	fprintf(g.cmds.f, "set title \"memory over the trace, codec %s: mem_used_total (solid) vs compr_data_size (dashed)\\n%s\"\n"
		"set xlabel '%s'\n"
		"set ylabel 'MiB'\nset yrange [0:*]\n"
		"set key outside right top\n"
		"plot NaN with lines lw 2 lc rgb '#000000' title 'mem_used_total', \\\n"
		"     NaN with lines dt 2 lw 1.5 lc rgb '#000000' title 'compr_data_size (dashed)'",
		qcodec, p->title, p->x_time ?
		"seconds into the trace (trace time)" :
		"trace operation (events replayed)");
	if (any_comp)
		fprintf(g.cmds.f, ", \\\n     NaN with points pt 9 ps 1.5 lc rgb '#000000' title 'compaction'");
	if (any_peak)
		fprintf(g.cmds.f, ", \\\n     NaN with points pt 4 ps 2.2 lw 2 lc rgb '#000000' title 'peak (max mem_used)'");
	for (first = 0; first < na && data_blk[first] < 0; first++)
		;
	for (a = 0; a < na; a++) {
		if (data_blk[a] < 0)
			continue;
		fprintf(g.cmds.f, ", \\\n     '%s' index %d using 1:2 with lines lw 2 lc rgb '%s' title '%s'",
			g.dat, data_blk[a], COLOR(a), sq(allocs[a]));
		if (comp_blk[a] >= 0)
			fprintf(g.cmds.f, ", \\\n     '%s' index %d using 1:2 with points pt 9 ps 1.5 lc rgb '%s' notitle",
				g.dat, comp_blk[a], COLOR(a));
		if (peak_blk[a] >= 0)
			fprintf(g.cmds.f, ", \\\n     '%s' index %d using 1:2 with points pt 4 ps 2.2 lw 2 lc rgb '%s' notitle",
				g.dat, peak_blk[a], COLOR(a));
	}
	/*
	 * dashed on top; one per distinct compr_data_size series, black for
	 * the first, the allocator's colour where another differs
	 */
	for (a = 0; a < na; a++) {
		if (data_blk[a] < 0 || (a != first &&
		    same_compr(p->runs, codec, allocs[first], allocs[a])))
			continue;
		fprintf(g.cmds.f, ", \\\n     '%s' index %d using 1:3 with lines dt 2 lw 1.5 lc rgb '%s' notitle",
			g.dat, data_blk[a], a == first ? "#000000" : COLOR(a));
	}
	fprintf(g.cmds.f, "\n");
	return fig_draw(p, &g);
}

static int plot_cdf(struct plot *p)
{
	static const char *const ops[] = { "compress", "decompress" };
	const char *codecs[MAX_SERIES];
	int nc = distinct(p->runs, "codec", codecs, MAX_SERIES), c, o, n = 0;
	int blk[MAX_SERIES][2];
	json_t *cdf, *pt;
	struct fig g;
	size_t i;
	int ret;

	ret = fig_open(p, &g, P_CDF);
	if (ret)
		return ret;
	for (c = 0; c < nc; c++) {
		for (o = 0; o < 2; o++) {
			cdf = json_object_get(json_object_get(
				find_run(p->runs, codecs[c], NULL),
				"latency_cdf"), ops[o]);
			blk[c][o] = -1;
			if (!json_array_size(cdf))
				continue;
			fprintf(g.data.f, "# %s %s: latency_us fraction\n",
				codecs[c], ops[o]);
			json_array_foreach(cdf, i, pt)
				fprintf(g.data.f, "%.4f %.6f\n",
					json_number_value(json_array_get(pt, 0)) / 1000,
					json_number_value(json_array_get(pt, 1)));
			fprintf(g.data.f, "\n\n");
			blk[c][o] = n++;
		}
	}
	if (!n)
		return fig_skip(p, &g, "no latency CDF in the results: latency-cdf skipped");
	fprintf(g.cmds.f, "set multiplot layout 1,2 title \"latency CDFs per codec\\n%s\"\n"
		"set logscale x\nset yrange [0:1]\nset ytics 0.1\n"
		"set ylabel 'fraction of pages at or below'\nset key bottom right\n",
		p->title);
	for (o = 0; o < 2; o++) {
		int k = 0;

		fprintf(g.cmds.f, "set title '%s'\nset xlabel '%s latency (µs per page, log scale)'\n",
			ops[o], ops[o]);
		for (c = 0; c < nc; c++) {
			if (blk[c][o] < 0)
				continue;
			fprintf(g.cmds.f, "%s'%s' index %d using 1:2 with steps lw 2 lc %d title '%s'",
				k++ ? ", \\\n     " : "plot ", g.dat,
				blk[c][o], c + 1, sq(codecs[c]));
		}
		if (!k)
			fprintf(g.cmds.f, "plot NaN title 'no %s samples'", ops[o]);
		fprintf(g.cmds.f, "\n");
	}
	fprintf(g.cmds.f, "unset multiplot\n");
	return fig_draw(p, &g);
}

static int plot_ideal(struct plot *p)
{
	const char *codecs[MAX_SERIES], *allocs[MAX_SERIES];
	int nc = distinct(p->runs, "codec", codecs, MAX_SERIES);
	int na = distinct(p->runs, "alloc", allocs, MAX_SERIES), a, c, rows = 0;
	double ideal, v;
	struct fig g;
	int ret;

	ret = fig_open(p, &g, P_IDEAL);
	if (ret)
		return ret;
	codec_columns(g.data.f, "alloc", codecs, nc);
	for (a = 0; a < na; a++) {
		if (!strcmp(allocs[a], "ideal"))
			continue;
		fprintf(g.data.f, "%s", allocs[a]);
		for (c = 0; c < nc; c++) {
			ideal = sl_metric_value(find_run(p->runs, codecs[c],
							 "ideal"), "mem_used_max");
			v = sl_metric_value(find_run(p->runs, codecs[c],
						     allocs[a]), "mem_used_max");
			if (ideal > 0 && !isnan(v)) {
				fprintf(g.data.f, " %.3f", 100 * (v / ideal - 1));
				rows++;
			} else {
				fprintf(g.data.f, " -");
			}
		}
		fprintf(g.data.f, "\n");
	}
	if (!rows)
		return fig_skip(p, &g, "no 'ideal' allocator run beside another allocator: over-ideal skipped (replay with --alloc ...,ideal)");
	fprintf(g.cmds.f, "set title \"peak memory over the ideal allocator (mem_used_max / ideal's - 1)\\n%s\"\n"
		"set datafile missing '-'\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		"set xlabel 'allocator'\nset ylabel 'peak memory over ideal (%%)'\n"
		"set yrange [0:*]\nset xtics nomirror\n"
		"plot for [i=2:%d] '%s' using i:xtic(1) title columnheader(i)\n",
		p->title, nc + 1, g.dat);
	return fig_draw(p, &g);
}

static int (*const plotters[NR_KINDS])(struct plot *) = {
	plot_hist, plot_pareto, plot_timeline, plot_cdf, plot_ideal,
};

/* whether any run of any document in @docs has codec @codec */
static bool has_codec(json_t *docs, const char *codec)
{
	json_t *doc, *r;
	size_t i, j;

	json_array_foreach(docs, i, doc)
		json_array_foreach(json_object_get(doc, "runs"), j, r)
			if (names(r, "codec", codec))
				return true;
	return false;
}

static int parse_kinds(const char *list, bool *want)
{
	char *items[NR_KINDS * 2];
	int n, i, k;

	n = sl_split_list(list, items, NR_KINDS * 2);
	if (n <= 0)
		return sl_usage_err("bad --kinds list '%s'", list);
	for (k = 0; k < NR_KINDS; k++)
		want[k] = false;
	for (i = 0; i < n; i++) {
		for (k = 0; k < NR_KINDS; k++)
			if (!strcmp(items[i], kinds[k].name))
				break;
		if (k == NR_KINDS) {
			sl_usage_err("unknown plot kind '%s'", items[i]);
			sl_free_list(items, n);
			return EXIT_TROUBLE;
		}
		want[k] = true;
	}
	sl_free_list(items, n);
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "codec", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'F' },
		{ "x", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct plot p = { .fmt = "png" };
	bool want[NR_KINDS];
	const char *traces[MAX_GROUPS], *gtrace[MAX_GROUPS];
	json_t *all, *doc, *r, *gdoc[MAX_GROUPS];
	char err[512];
	struct sl_seen seen = { 0 };
	struct stat st;
	int c, i, k, nt, ng = 0, ret = EXIT_TROUBLE;
	size_t j;

	for (k = 0; k < NR_KINDS; k++)
		want[k] = true;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'o':
			p.dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "png") && strcmp(optarg, "svg"))
				return sl_usage_err("unknown format '%s' (png or svg)",
						    optarg);
			p.fmt = optarg;
			break;
		case 'k':
			if (parse_kinds(optarg, want))
				return EXIT_TROUBLE;
			break;
		case 'c':
			p.codec_opt = optarg;
			break;
		case 'F':
			p.force = true;
			break;
		case 'x':
			if (strcmp(optarg, "op") && strcmp(optarg, "time"))
				return sl_usage_err("unknown --x '%s' (op or time)",
						    optarg);
			p.x_time = !strcmp(optarg, "time");
			break;
		case 'h':
			fputs(plot_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "ho:");
		}
	}
	if (optind == argc)
		return sl_usage_err("no results file given");
	if (!p.dir)
		return sl_usage_err("no output directory (-o DIR)");
	p.inputs = (const char *const *)argv + optind;
	p.ninputs = argc - optind;
	if (!stat(p.dir, &st) && !S_ISDIR(st.st_mode))
		return sl_err("'%s' is not a directory", p.dir);
	/* a group is one trace of one file: one replay's settings */
	all = json_array();
	if (!all)
		return sl_err("out of memory");
	for (i = optind; i < argc; i++) {
		doc = sl_results_load(argv[i], err, sizeof(err));
		if (!doc) {
			ret = sl_err("%s", err);
			goto out;
		}
		json_array_append_new(all, doc);
		nt = distinct(json_object_get(doc, "runs"), "trace", traces,
			      MAX_GROUPS);
		for (k = 0; k < nt && ng < MAX_GROUPS; k++) {
			gdoc[ng] = doc;
			gtrace[ng++] = traces[k];
		}
	}
	if (!ng) {
		ret = sl_err("no runs in the results");
		goto out;
	}
	if (p.codec_opt && want[P_TIMELINE] && !has_codec(all, p.codec_opt)) {
		ret = sl_usage_err("no run with codec '%s' in the results",
				   p.codec_opt);
		goto out;
	}
	/* only now: bad input leaves no directory behind */
	if (mkdir(p.dir, 0755) && errno != EEXIST) {
		ret = sl_err_errno("cannot create directory '%s'", p.dir);
		goto out;
	}
	if (stat(p.dir, &st) || !S_ISDIR(st.st_mode)) {
		ret = sl_err("'%s' is not a directory", p.dir);
		goto out;
	}
	for (i = 0; i < ng; i++) {
		p.runs = json_array();
		json_array_foreach(json_object_get(gdoc[i], "runs"), j, r)
			if (!strcmp(sl_results_str(r, "trace"), gtrace[i]))
				json_array_append(p.runs, r);
		if (ng > 1) {
			snprintf(p.suffix, sizeof(p.suffix), "-%d", i + 1);
			printf("group %d: %s\n", i + 1, gtrace[i]);
		}
		make_title(&p, gtrace[i]);
		for (k = 0; k < NR_KINDS; k++) {
			if (want[k] && plotters[k](&p)) {
				json_decref(p.runs);
				goto out;
			}
		}
		json_decref(p.runs);
	}
	ret = p.made ? EXIT_YES : sl_err("nothing to plot in these results");
out:
	json_decref(all);
	return ret;
}
