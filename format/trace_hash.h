/*
 * trace_hash.h - the identity of a trace's content, recorded in every
 * results file so that runs of different traces are never taken for runs
 * of the same one (sweep resume, merge).
 *
 * The hash is XXH3-128 over the trace file's bytes, as stored: cheap
 * (memory bandwidth), and any change to the file -- re-recording,
 * re-encoding with another chunk size, truncation -- changes it.  Two
 * encodings of the same pages therefore hash differently; that errs on
 * the side of refusing to mix, never of mixing.
 */
#ifndef SL_TRACE_HASH_H
#define SL_TRACE_HASH_H

#include <stddef.h>

/* "xxh3-128:" + 32 hex digits + NUL */
#define SL_TRACE_HASH_LEN	(9 + 32 + 1)

/**
 * sl_trace_hash() - the content hash of the file at @path, as
 * "xxh3-128:<32 hex>" in @out.  The last result is cached by (device,
 * inode, size, mtime), so per-run callers hash a trace once.
 * Return: 0, or -1 with errno set (@out is then "").
 */
int sl_trace_hash(const char *path, char out[SL_TRACE_HASH_LEN]);

/**
 * sl_trace_hash_start() - hash the file at @path on a thread of its own,
 * into the cache of sl_trace_hash(), which waits for it: a replay asks
 * for the hash when it writes its results, and reading a gigabyte trace
 * again then would add its time to the wall clock.  One at a time: a
 * call while one runs does nothing.  Errors are left for sl_trace_hash().
 */
void sl_trace_hash_start(const char *path);

#endif /* SL_TRACE_HASH_H */
