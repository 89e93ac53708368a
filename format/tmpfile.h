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

#endif /* SL_TMPFILE_H */
