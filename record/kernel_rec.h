/*
 * kernel_rec.h - the kernel recorders: `swaplab record --kernel` (the
 * module's tracepoints plus its record channel) and `--kprobes` (a stock
 * kernel's swap functions, no contents), and the tracefs plumbing both use.
 */
#ifndef SL_KERNEL_REC_H
#define SL_KERNEL_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tep_event;
struct tep_record;

/* record --kernel / --kprobes; @argv is the whole record command line */
int cmd_record_kernel(int argc, char **argv);
int cmd_record_kprobes(int argc, char **argv);
/* import trace-dat FILE; @argv is the whole import command line */
int cmd_import_tracedat(int argc, char **argv);

/*
 * A private tracefs instance ("swaplab_record_PID") with large per-CPU
 * buffers, read per CPU from trace_pipe_raw without blocking and parsed
 * with libtraceevent's kbuffer.  One thread uses a krec_trace.
 */
struct krec_trace;

/* called for every event read; @cpu is the buffer it came from */
typedef int (*krec_event_fn)(void *ctx, struct tep_handle *tep,
			     struct tep_record *rec, int cpu);

/**
 * krec_trace_create() - make the instance, @buf_kb KiB per CPU, clock
 * "mono" (CLOCK_MONOTONIC timestamps).
 * Return: the trace, or NULL with a message in @err.
 */
struct krec_trace *krec_trace_create(size_t buf_kb, char *err, size_t errlen);
/* enable @system/@event (@event NULL: the whole system); Return: 0 or -1 */
int krec_trace_enable(struct krec_trace *t, const char *system,
		      const char *event);
/**
 * krec_trace_start() - load the event formats of @systems (NULL-ended),
 * open the per-CPU buffers and switch tracing on.
 * Return: 0, or -1 with a message in @err.
 */
int krec_trace_start(struct krec_trace *t, const char *const *systems,
		     char *err, size_t errlen);
void krec_trace_stop(struct krec_trace *t);	/* tracing off */
struct tep_handle *krec_trace_tep(struct krec_trace *t);
/**
 * krec_trace_drain() - read every CPU buffer until it is empty, calling
 * @fn for each event in per-CPU order.
 * Return: events read, or -1 (read error, or @fn returned < 0).
 */
long krec_trace_drain(struct krec_trace *t, krec_event_fn fn, void *ctx);
/* events the kernel reported lost (buffer full), so far */
uint64_t krec_trace_lost(const struct krec_trace *t);
/* tracing off, instance removed, everything freed; NULL: no-op */
void krec_trace_destroy(struct krec_trace *t);

/* a tep_event's numeric field, 0 if absent; cache the field yourself */
uint64_t krec_field(struct tep_event *ev, const char *name,
		    struct tep_record *rec);

#endif /* SL_KERNEL_REC_H */
