/*
 * tmpfile.c - temporary output names; see tmpfile.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsync_dir.h"
#include "tmpfile.h"

#define MAX_TRACKED	8

/* read by the signal handler: each entry is one atomic pointer */
static const char *tracked[MAX_TRACKED];
static int handlers_set;

static void on_fatal_signal(int sig)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++) {
		const char *t = __atomic_load_n(&tracked[i], __ATOMIC_RELAXED);

		if (t)
			unlink(t);	/* async-signal-safe */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction old, sa;
	size_t i;

	if (handlers_set)
		return;
	handlers_set = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!sigaction(sigs[i], NULL, &old) &&
		    old.sa_handler == SIG_DFL && !(old.sa_flags & SA_SIGINFO))
			sigaction(sigs[i], &sa, NULL);
}

void sl_tmp_track(const char *tmp)
{
	int i;

	set_handlers();
	for (i = 0; i < MAX_TRACKED; i++) {
		const char *none = NULL;

		if (__atomic_compare_exchange_n(&tracked[i], &none, tmp, false,
						__ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			return;
	}
}

void sl_tmp_untrack(const char *tmp)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++)
		if (__atomic_load_n(&tracked[i], __ATOMIC_RELAXED) == tmp)
			__atomic_store_n(&tracked[i], NULL, __ATOMIC_RELEASE);
}

/* remove @dir/@base.tmp.N files of processes that no longer exist */
static void reap_stale(const char *dir, const char *base)
{
	size_t blen = strlen(base);
	char full[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *p = de->d_name;
		char *end;
		long pid;

		if (strncmp(p, base, blen) || strncmp(p + blen, ".tmp.", 5))
			continue;
		p += blen + 5;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || end == p || *end || pid <= 0 || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* alive, or not ours to judge */
		if (snprintf(full, sizeof(full), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(full))
			continue;
		if (lstat(full, &st) || !S_ISREG(st.st_mode) ||
		    now - st.st_mtime < SL_TMP_STALE_SECONDS)
			continue;
		unlink(full);
	}
	closedir(d);
}

char *sl_tmp_name(const char *path)
{
	char *tmp = malloc(strlen(path) + 32), dir[PATH_MAX];
	const char *base;

	if (!tmp) {
		errno = ENOMEM;
		return NULL;
	}
	base = sl_dir_of(path, dir, sizeof(dir));
	if (base && *base)
		reap_stale(dir, base);
	sprintf(tmp, "%s.tmp.%ld", path, (long)getpid());
	return tmp;
}

int sl_out_open(struct sl_out *o, const char *path)
{
	int fd;

	o->f = NULL;
	o->path = strdup(path);
	o->tmp = sl_tmp_name(path);
	if (!o->path || !o->tmp) {
		free(o->path);
		free(o->tmp);
		errno = ENOMEM;
		return -1;
	}
	fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	sl_tmp_track(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->path);
		sl_tmp_untrack(o->tmp);
		free(o->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

void sl_out_abort(struct sl_out *o)
{
	if (o->f) {
		fclose(o->f);
		unlink(o->tmp);
	}
	o->f = NULL;
	free(o->path);
	sl_tmp_untrack(o->tmp);
	free(o->tmp);
	o->path = o->tmp = NULL;
}

int sl_out_commit(struct sl_out *o)
{
	int e = 0;

	if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
		e = errno ? errno : EIO;
	if (fclose(o->f) && !e)
		e = errno;
	o->f = NULL;
	if (e)
		unlink(o->tmp);
	else if (sl_tmp_commit(o->tmp, o->path))
		e = errno;
	free(o->path);
	sl_tmp_untrack(o->tmp);
	free(o->tmp);
	o->path = o->tmp = NULL;
	errno = e;
	return e ? -1 : 0;
}

int sl_tmp_commit(const char *tmp, const char *path)
{
	int e = 0;

	if (rename(tmp, path))
		e = errno;
	if (!e)
		sl_fsync_dir(path);	/* best effort: the file is synced */
	else
		unlink(tmp);
	errno = e;
	return e ? -1 : 0;
}
