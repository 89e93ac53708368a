/*
 * tmpfile.h - the temporary names outputs are written under until their
 * rename, and their removal when the process is stopped part way.
 *
 * Every output goes to PATH.tmp.PID first and is renamed into place when
 * complete, so PATH is never half written.  What is left to clean up is
 * the temporary file of a process that did not get that far: stopped by
 * SIGINT, SIGTERM, SIGHUP or SIGPIPE it removes its own; killed by SIGKILL
 * it cannot, so the next process to write PATH removes it.
 */
#ifndef SL_TMPFILE_H
#define SL_TMPFILE_H

#include <stdio.h>

/* a PATH.tmp.N older than this whose process N is gone is removed */
#define SL_TMP_STALE_SECONDS	60

/**
 * sl_tmp_name() - the temporary name for @path, "PATH.tmp.PID", in a new
 * string (free() it).  First removes what killed processes left for @path:
 * PATH.tmp.N where no process N exists and the file is older than
 * SL_TMP_STALE_SECONDS (a live writer in another PID namespace keeps its
 * file fresh by writing to it).
 * Return: the name, or NULL with errno ENOMEM.
 */
char *sl_tmp_name(const char *path);

/**
 * sl_tmp_track() - remove @tmp if a signal whose default action ends the
 * process (SIGINT, SIGTERM, SIGHUP, SIGPIPE) ends it before
 * sl_tmp_untrack(@tmp).  The handlers are installed only for signals
 * still at their default disposition, so a command's own handler (the
 * recorders stop cleanly on SIGINT) is left alone.  @tmp must stay valid
 * until it is untracked.  At most 8 names at once; more are not tracked.
 */
void sl_tmp_track(const char *tmp);
void sl_tmp_untrack(const char *tmp);

/*
 * Atomic output, the one way the tool writes a file: sl_out_open()
 * creates @path's temp file (sl_tmp_name(), tracked); sl_out_commit()
 * flushes, fsyncs and renames it into place, then syncs the directory;
 * on any failure, or with sl_out_abort(), the temp file is removed and
 * nothing appears under @path.  Return: 0, or -1 with errno set.
 */
struct sl_out {
	FILE *f;
	char *path, *tmp;
};
int sl_out_open(struct sl_out *o, const char *path);
int sl_out_commit(struct sl_out *o);
void sl_out_abort(struct sl_out *o);

/**
 * sl_tmp_commit() - for a temp file another program wrote (gnuplot's
 * picture): rename @tmp to @path and sync the directory; @tmp is removed
 * when that fails.  Return: 0, or -1 with errno set.
 */
int sl_tmp_commit(const char *tmp, const char *path);

#endif /* SL_TMPFILE_H */
