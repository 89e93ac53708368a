/*
 * cmd_sweep.c - `swaplab sweep PLAN`: a plan's jobs listed, run here in N
 * processes, or handed to Slurm (an sbatch --array script) or GNU
 * parallel (a job list), each job one results file named by its
 * configuration hash, so that a sweep resumes where it stopped.
 *
 * Every engine runs a job the same way: `swaplab sweep PLAN -o DIR --job
 * HASH` (or --task I for a group of jobs) forks one `replay` per job,
 * writes DIR/HASH.json and logs to DIR/logs/HASH.log.
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/results.h"
#include "format/sweep_manifest.h"
#include "sweep_plan.h"

static const char sweep_usage[] =
"usage: swaplab sweep PLAN.json [-o DIR] ACTION [options]\n"
"\n"
"The plan (docs/sweep.md) names traces and axes (codec, alloc, ...); every\n"
"combination not excluded is one job, writing DIR/HASH.json, HASH being a\n"
"hash of the job's configuration.  A job whose results are there, with the\n"
"same configuration hash and the same trace content hash, is done and is\n"
"skipped: a sweep resumes after a crash, a pre-empted node or a new axis\n"
"value.\n"
"\n"
"Actions (one):\n"
"  --list                print every job: HASH done|todo LABEL\n"
"  --run                 run the jobs still to do here\n"
"  --emit slurm          print an sbatch --array script for them\n"
"  --emit parallel       print a job list for GNU parallel (one command a\n"
"                        line: parallel --sshlogin ... < LIST)\n"
"  --submit slurm        write DIR/sweep.sbatch and sbatch it\n"
"  --job HASH            run that one job (what parallel's lines do)\n"
"  --task I              run job group I (what each array task does)\n"
"\n"
"Options:\n"
"  -o, --output DIR      results directory (default: the plan's \"output\")\n"
"  --jobs N              --run: N jobs at a time (default 1)\n"
"  --group-size G        jobs per array task (default 1)\n"
"  --throttle K          at most K array tasks at once (--array=...%K)\n"
"  --wait                --submit: wait for the array to finish, then\n"
"                        report failed jobs\n"
"  --swaplab PATH        the swaplab the emitted commands run (default:\n"
"                        this one)\n"
"  --quiet               no progress lines\n"
"\n"
"Exit status: 0 every job done and verified; 1 a verify failure; 2 a bad\n"
"plan (nothing run or submitted) or a failed job (named, with its log).\n";

enum action { A_NONE, A_LIST, A_RUN, A_EMIT_SLURM, A_EMIT_PARALLEL,
	      A_SUBMIT, A_JOB, A_TASK };

struct sweep {
	struct sweep_plan p;
	const char *dir;	/* absolute once created */
	char *plan_path;	/* absolute */
	const char *swaplab;	/* absolute */
	unsigned int jobs, group, throttle;
	bool quiet, wait;
	bool *done;
};

static char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *pathf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* results of job @j present, of this configuration and this trace? */
static bool job_done(const struct sweep *s, size_t j)
{
	const char *hash = s->p.hash[j];
	const char *th = s->p.trace_hash[sweep_job(&s->p, j)[0]];
	char *path = pathf("%s/%s.json", s->dir, hash);
	json_t *doc = path ? json_load_file(path, 0, NULL) : NULL;
	json_t *runs = json_object_get(doc, "runs"), *run;
	bool ok = json_array_size(runs) > 0;
	size_t i;

	json_array_foreach(runs, i, run) {
		const json_t *sw = json_object_get(run, "sweep");

		if (strcmp(sl_results_str(sw, "config_hash"), hash) ||
		    strcmp(sl_results_str(run, "trace_hash"), th))
			ok = false;
	}
	json_decref(doc);
	free(path);
	return ok;
}

/* the child's whole life: replay into a part file, stamp, rename */
static int job_child(struct sweep *s, size_t j)
{
	char *argv[SWEEP_MAX_ARGS], *log, *part, *final, errbuf[512];
	const char *hash = s->p.hash[j];
	json_t *doc, *run;
	int argc, fd, ret, i;
	size_t k;

	log = pathf("%s/logs/%s.log", s->dir, hash);
	part = pathf("%s/.%s.part", s->dir, hash);
	final = pathf("%s/%s.json", s->dir, hash);
	if (!log || !part || !final)
		return EXIT_TROUBLE;
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return sl_err_errno("cannot write '%s'", log);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	argc = sweep_job_argv(&s->p, j, part, argv);
	printf("# job %s:", hash);
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	putchar('\n');
	fflush(stdout);
	sl_cmd_name = "replay";
	ret = cmd_replay(argc, argv);
	sl_cmd_name = "sweep";
	if (ret != EXIT_YES && ret != EXIT_NO)
		return ret;
	doc = sl_results_load(part, errbuf, sizeof(errbuf));
	if (!doc)
		return sl_err("%s", errbuf);
	json_array_foreach(json_object_get(doc, "runs"), k, run)
		json_object_set_new(run, "sweep", json_pack("{s:s, s:s, s:o}",
				    "plan", s->p.name, "config_hash", hash,
				    "config", sweep_job_config(&s->p, j)));
	if (sl_results_write(doc, final)) {
		json_decref(doc);
		return sl_err_errno("cannot write '%s'", final);
	}
	json_decref(doc);
	unlink(part);
	printf("# job %s: exit %d, results in %s\n", hash, ret, final);
	return ret;
}

/* the last line of a job's log, for the failure line */
static void last_log_line(const struct sweep *s, size_t j, char *buf,
			  size_t len)
{
	char *path = pathf("%s/logs/%s.log", s->dir, s->p.hash[j]);
	char line[1024];
	FILE *f = path ? fopen(path, "r") : NULL;

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (line[0] != '#' && line[0] != '\n')
			snprintf(buf, len, "%s", line);
	if (f)
		fclose(f);
	free(path);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = 0;
}

static void report_failed(const struct sweep *s, size_t j, int status)
{
	char label[1024], last[1024];

	sweep_job_label(&s->p, j, label, sizeof(label));
	last_log_line(s, j, last, sizeof(last));
	if (WIFSIGNALED(status))
		sl_err("job %s (%s) killed by signal %d; log: %s/logs/%s.log%s%s",
		       s->p.hash[j], label, WTERMSIG(status), s->dir,
		       s->p.hash[j], last[0] ? ": " : "", last);
	else
		sl_err("job %s (%s) failed (exit %d); log: %s/logs/%s.log%s%s",
		       s->p.hash[j], label, WEXITSTATUS(status), s->dir,
		       s->p.hash[j], last[0] ? ": " : "", last);
}

struct tally {
	size_t ran, failed, verify;
};

/* run @list's @n jobs, @par at a time; a failure does not stop the rest */
static void run_jobs(struct sweep *s, const size_t *list, size_t n,
		     unsigned int par, struct tally *t)
{
	pid_t *pid = calloc(par, sizeof(*pid));
	size_t *which = calloc(par, sizeof(*which)), next = 0, running = 0;
	unsigned int i;
	pid_t w;
	int st;

	if (!pid || !which) {
		sl_err("out of memory");
		t->failed += n;
		goto out;
	}
	while (next < n || running) {
		while (next < n && running < par) {
			for (i = 0; pid[i]; i++)
				;
			fflush(stdout);
			fflush(stderr);
			pid[i] = fork();
			if (pid[i] < 0) {
				pid[i] = 0;
				sl_err_errno("fork");
				t->failed += n - next;
				next = n;
				break;
			}
			if (!pid[i]) {
				/* the sweep stopped: so do its jobs */
				prctl(PR_SET_PDEATHSIG, SIGTERM);
				if (getppid() == 1)
					_exit(EXIT_TROUBLE);
				st = job_child(s, list[next]);
				fflush(stdout);
				fflush(stderr);
				_exit(st);
			}
			which[i] = list[next++];
			running++;
		}
		if (!running)
			break;
		w = waitpid(-1, &st, 0);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < par && pid[i] != w; i++)
			;
		if (i == par)
			continue;
		pid[i] = 0;
		running--;
		t->ran++;
		if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_NO)
			t->verify++;
		if (WIFEXITED(st) && WEXITSTATUS(st) <= EXIT_NO) {
			if (!s->quiet) {
				char label[1024];

				sweep_job_label(&s->p, which[i], label,
						sizeof(label));
				fprintf(stderr, "[%zu/%zu] %s %s%s\n",
					t->ran, n, s->p.hash[which[i]], label,
					WEXITSTATUS(st) ? " VERIFY FAILURE" :
					"");
			}
		} else {
			t->failed++;
			report_failed(s, which[i], st);
		}
	}
out:
	free(pid);
	free(which);
}

static int write_manifest(const struct sweep *s)
{
	json_t *m = json_pack("{s:s, s:s, s:[]}", "plan", s->plan_path,
			      "name", s->p.name, "jobs");
	char *path = pathf("%s/%s", s->dir, SWEEP_MANIFEST);
	char label[1024];
	size_t j;
	int ret;

	for (j = 0; m && j < s->p.njobs; j++) {
		sweep_job_label(&s->p, j, label, sizeof(label));
		json_array_append_new(json_object_get(m, "jobs"),
				      json_pack("{s:s, s:s}", "hash",
						s->p.hash[j], "label", label));
	}
	ret = !m || !path || sl_results_write(m, path);
	if (ret)
		sl_err_errno("cannot write '%s/%s'", s->dir, SWEEP_MANIFEST);
	json_decref(m);
	free(path);
	return ret ? -1 : 0;
}

/* 'single quoted' for sh */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

static void put_cmd(FILE *f, const struct sweep *s)
{
	put_quoted(f, s->swaplab);
	fputs(" sweep ", f);
	put_quoted(f, s->plan_path);
	fputs(" -o ", f);
	put_quoted(f, s->dir);
}

static size_t ngroups(const struct sweep *s)
{
	return (s->p.njobs + s->group - 1) / s->group;
}

static bool group_todo(const struct sweep *s, size_t g)
{
	size_t j;

	for (j = g * s->group; j < (g + 1) * s->group && j < s->p.njobs; j++)
		if (!s->done[j])
			return true;
	return false;
}

/* "0-3,5,7-9" of the groups with work left; Return: task count */
static size_t array_spec(const struct sweep *s, FILE *f)
{
	size_t g, n = ngroups(s), first, count = 0;
	bool comma = false;

	for (g = 0; g < n; g++) {
		if (!group_todo(s, g))
			continue;
		first = g;
		while (g + 1 < n && group_todo(s, g + 1))
			g++;
		count += g - first + 1;
		fprintf(f, comma ? ",%zu" : "%zu", first);
		if (g > first)
			fprintf(f, "-%zu", g);
		comma = true;
	}
	return count;
}

static void emit_slurm(const struct sweep *s, FILE *f)
{
	size_t todo = 0, j;

	for (j = 0; j < s->p.njobs; j++)
		todo += !s->done[j];
	fprintf(f, "#!/bin/sh\n# swaplab sweep %s: %zu jobs, %zu to do, %u per array task\n",
		s->p.name, s->p.njobs, todo, s->group);
	fprintf(f, "# resubmitting it (or `swaplab sweep --submit slurm`) runs only what is missing\n");
	fprintf(f, "#SBATCH --job-name=swaplab-%s\n", s->p.name);
	fputs("#SBATCH --array=", f);
	array_spec(s, f);
	if (s->throttle)
		fprintf(f, "%%%u", s->throttle);
	fprintf(f, "\n#SBATCH --output=%s/logs/slurm-%%A_%%a.log\n", s->dir);
	fputs("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n", f);
	fputs("exec ", f);
	put_cmd(f, s);
	fprintf(f, " --group-size %u --task \"$SLURM_ARRAY_TASK_ID\"\n",
		s->group);
}

static void emit_parallel(const struct sweep *s, FILE *f)
{
	size_t j;

	for (j = 0; j < s->p.njobs; j++) {
		if (s->done[j])
			continue;
		put_cmd(f, s);
		fprintf(f, " --job %s\n", s->p.hash[j]);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* after a Slurm array: which jobs have no results */
static int check_after(struct sweep *s)
{
	size_t j, missing = 0;

	for (j = 0; j < s->p.njobs; j++) {
		char label[1024], last[1024];

		if (job_done(s, j))
			continue;
		missing++;
		sweep_job_label(&s->p, j, label, sizeof(label));
		last_log_line(s, j, last, sizeof(last));
		sl_err("job %s (%s) has no results; log: %s/logs/%s.log%s%s",
		       s->p.hash[j], label, s->dir, s->p.hash[j],
		       last[0] ? ": " : "", last);
	}
	if (!s->quiet)
		fprintf(stderr, "%zu of %zu jobs done, %zu missing\n",
			s->p.njobs - missing, s->p.njobs, missing);
	return missing ? EXIT_TROUBLE : EXIT_YES;
}

static int submit_slurm(struct sweep *s)
{
	char *script = pathf("%s/sweep.sbatch", s->dir);
	struct sl_out o;
	char *argv[5];
	int argc = 0, st;
	pid_t pid;

	if (!script)
		return sl_err("out of memory");
	if (sl_out_open(&o, script)) {
		free(script);
		return sl_err_errno("cannot write '%s/sweep.sbatch'", s->dir);
	}
	emit_slurm(s, o.f);
	if (sl_out_commit(&o)) {
		free(script);
		return sl_err_errno("cannot write '%s/sweep.sbatch'", s->dir);
	}
	argv[argc++] = "sbatch";
	argv[argc++] = "--parsable";
	if (s->wait)
		argv[argc++] = "--wait";
	argv[argc++] = script;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "swaplab sweep: cannot run sbatch: %s\n",
			strerror(errno));
		_exit(127);
	}
	free(script);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return sl_err_errno("sbatch");
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127)
		return EXIT_TROUBLE;
	if (!s->wait) {
		if (WEXITSTATUS(st))
			return sl_err("sbatch failed (exit %d)",
				      WEXITSTATUS(st));
		return EXIT_YES;
	}
	/* sbatch --wait exits non-zero when a task failed: say which */
	return check_after(s);
}

static int run_here(struct sweep *s, enum action act, const char *arg)
{
	size_t *list = malloc(s->p.njobs * sizeof(*list)), n = 0, skipped = 0;
	size_t j, lo = 0, hi = s->p.njobs;
	struct tally t = { 0 };
	double t0 = now_s();
	uint64_t v;

	if (!list)
		return sl_err("out of memory");
	if (act == A_TASK) {
		if (!sl_parse_u64(arg, &v) || v >= ngroups(s)) {
			free(list);
			return sl_err("task '%s': the plan has groups 0..%zu",
				      arg, ngroups(s) - 1);
		}
		lo = v * s->group;
		hi = lo + s->group < s->p.njobs ? lo + s->group : s->p.njobs;
	}
	for (j = lo; j < hi; j++) {
		if (act == A_JOB && strcmp(s->p.hash[j], arg))
			continue;
		if (s->done[j])
			skipped++;
		else
			list[n++] = j;
	}
	if (act == A_JOB && !n && !skipped) {
		free(list);
		return sl_err("no job %s in this plan", arg);
	}
	run_jobs(s, list, n, act == A_RUN ? s->jobs : 1, &t);
	free(list);
	if (!s->quiet)
		fprintf(stderr, "%zu job%s: %zu run, %zu skipped (already done), %zu failed; %.1f s\n",
			n + skipped, n + skipped == 1 ? "" : "s", t.ran - t.failed,
			skipped, t.failed, now_s() - t0);
	if (t.failed)
		return EXIT_TROUBLE;
	return t.verify ? EXIT_NO : EXIT_YES;
}

static int set_action(enum action *act, enum action a)
{
	if (*act != A_NONE)
		return sl_usage_err("one action only (--list, --run, --emit, --submit, --job, --task)");
	*act = a;
	return 0;
}

static int mkdir_p(const char *dir)
{
	char *d = strdup(dir), *q;
	int ret = 0;

	if (!d)
		return -1;
	for (q = d + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = 0;
		if (mkdir(d, 0755) && errno != EEXIST)
			ret = -1;
		*q = '/';
	}
	if (mkdir(d, 0755) && errno != EEXIST)
		ret = -1;
	free(d);
	return ret;
}

int cmd_sweep(int argc, char **argv)
{
	enum { O_LIST = 256, O_RUN, O_EMIT, O_SUBMIT, O_JOB, O_TASK, O_JOBS,
	       O_GROUP, O_THROTTLE, O_WAIT, O_SWAPLAB, O_QUIET };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, O_LIST },
		{ "run", no_argument, NULL, O_RUN },
		{ "emit", required_argument, NULL, O_EMIT },
		{ "submit", required_argument, NULL, O_SUBMIT },
		{ "job", required_argument, NULL, O_JOB },
		{ "task", required_argument, NULL, O_TASK },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "group-size", required_argument, NULL, O_GROUP },
		{ "throttle", required_argument, NULL, O_THROTTLE },
		{ "wait", no_argument, NULL, O_WAIT },
		{ "swaplab", required_argument, NULL, O_SWAPLAB },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sweep s = { .jobs = 1, .group = 1 };
	struct sl_seen seen = { 0 };
	enum action act = A_NONE;
	const char *dir = NULL, *arg = NULL, *swaplab = NULL, *plan;
	char err[1024], real[PATH_MAX], *dir_abs = NULL, *exe = NULL, *logs;
	size_t j, ndone = 0;
	uint64_t v;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		ret = 0;
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case O_LIST:
			ret = set_action(&act, A_LIST);
			break;
		case O_RUN:
			ret = set_action(&act, A_RUN);
			break;
		case O_EMIT:
			if (!strcmp(optarg, "slurm"))
				ret = set_action(&act, A_EMIT_SLURM);
			else if (!strcmp(optarg, "parallel"))
				ret = set_action(&act, A_EMIT_PARALLEL);
			else
				return sl_usage_err("--emit wants slurm or parallel");
			break;
		case O_SUBMIT:
			if (strcmp(optarg, "slurm"))
				return sl_usage_err("--submit wants slurm (for parallel: --emit parallel | parallel ...)");
			ret = set_action(&act, A_SUBMIT);
			break;
		case O_JOB:
			ret = set_action(&act, A_JOB);
			arg = optarg;
			break;
		case O_TASK:
			ret = set_action(&act, A_TASK);
			arg = optarg;
			break;
		case O_JOBS:
			if (!sl_parse_u64(optarg, &v) || !v || v > 1024)
				return sl_usage_err("--jobs wants 1..1024");
			s.jobs = v;
			break;
		case O_GROUP:
			if (!sl_parse_u64(optarg, &v) || !v ||
			    v > SWEEP_MAX_JOBS)
				return sl_usage_err("--group-size wants 1..%d",
						    SWEEP_MAX_JOBS);
			s.group = v;
			break;
		case O_THROTTLE:
			if (!sl_parse_u64(optarg, &v) || !v || v > 100000)
				return sl_usage_err("--throttle wants 1..100000");
			s.throttle = v;
			break;
		case O_WAIT:
			s.wait = true;
			break;
		case O_SWAPLAB:
			swaplab = optarg;
			break;
		case O_QUIET:
			s.quiet = true;
			break;
		case 'h':
			fputs(sweep_usage, stdout);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
		if (ret)
			return ret;
	}
	if (argc - optind != 1)
		return sl_usage_err(optind == argc ? "no plan given" :
				    "one plan at a time");
	if (act == A_NONE)
		return sl_usage_err("no action (--list, --run, --emit, --submit, --job or --task)");
	if (s.wait && act != A_SUBMIT)
		return sl_usage_err("--wait goes with --submit slurm");
	/* replay's parser, run to check the plan, moves optind */
	plan = argv[optind];
	if (sweep_plan_load(&s.p, plan, err, sizeof(err)))
		return sl_err("%s", err);
	ret = EXIT_TROUBLE;
	if (!dir)
		dir = s.p.output;
	if (!dir) {
		sl_usage_err("no output directory (-o DIR, or \"output\" in the plan)");
		goto out;
	}
	if (!realpath(plan, real)) {
		sl_err_errno("%s", plan);
		goto out;
	}
	s.plan_path = strdup(real);
	if (sweep_hash_traces(&s.p, err, sizeof(err))) {
		sl_err("%s", err);
		goto out;
	}
	if (act != A_LIST && mkdir_p(dir)) {
		sl_err_errno("cannot create '%s'", dir);
		goto out;
	}
	if (act != A_LIST) {
		dir_abs = realpath(dir, NULL);
		if (!dir_abs) {
			sl_err_errno("%s", dir);
			goto out;
		}
		s.dir = dir_abs;
		logs = pathf("%s/logs", s.dir);
		if (!logs || (mkdir(logs, 0755) && errno != EEXIST)) {
			sl_err_errno("cannot create '%s/logs'", s.dir);
			free(logs);
			goto out;
		}
		free(logs);
	} else {
		s.dir = dir;
	}
	exe = swaplab ? strdup(swaplab) : realpath("/proc/self/exe", NULL);
	s.swaplab = exe ? exe : "swaplab";
	s.done = calloc(s.p.njobs, sizeof(*s.done));
	if (!s.done || !s.plan_path) {
		sl_err("out of memory");
		goto out;
	}
	for (j = 0; j < s.p.njobs; j++)
		ndone += s.done[j] = job_done(&s, j);
	if (act == A_RUN || act == A_SUBMIT || act == A_EMIT_SLURM ||
	    act == A_EMIT_PARALLEL) {
		if (write_manifest(&s))
			goto out;
	}
	switch (act) {
	case A_LIST:
		for (j = 0; j < s.p.njobs; j++) {
			sweep_job_label(&s.p, j, err, sizeof(err));
			printf("%s %s %s\n", s.p.hash[j],
			       s.done[j] ? "done" : "todo", err);
		}
		if (!s.quiet)
			fprintf(stderr, "%zu jobs: %zu done, %zu to do\n",
				s.p.njobs, ndone, s.p.njobs - ndone);
		ret = EXIT_YES;
		break;
	case A_EMIT_SLURM:
	case A_SUBMIT:
	case A_EMIT_PARALLEL:
		if (ndone == s.p.njobs) {
			if (!s.quiet)
				fprintf(stderr, "all %zu jobs done: nothing to %s\n",
					s.p.njobs, act == A_SUBMIT ? "submit" :
					"emit");
			ret = EXIT_YES;
			break;
		}
		if (act == A_EMIT_PARALLEL) {
			emit_parallel(&s, stdout);
		} else if (act == A_EMIT_SLURM) {
			emit_slurm(&s, stdout);
		} else {
			ret = submit_slurm(&s);
			break;
		}
		if (!s.quiet)
			fprintf(stderr, "%zu jobs: %zu done (skipped), %zu to do\n",
				s.p.njobs, ndone, s.p.njobs - ndone);
		ret = fflush(stdout) ? sl_err_errno("stdout") : EXIT_YES;
		break;
	default:
		ret = run_here(&s, act, arg);
		break;
	}
out:
	free(s.done);
	free(s.plan_path);
	free(dir_abs);
	free(exe);
	sweep_plan_free(&s.p);
	return ret;
}
