/*
 * kernel_rec.c - tracefs plumbing of the kernel recorders: a private
 * instance with big per-CPU buffers, read raw and parsed by libtraceevent.
 *
 * Why raw per-CPU reading and not the text trace: under qemu TCG the text
 * trace of a swap storm takes ten times longer to format than the storm
 * took, and a 16 MiB buffer per CPU already lost events (VM recipe: 64 MiB
 * lost none).  trace_pipe_raw, read without blocking, hands over binary
 * sub-buffers, partial ones too, consuming them; kbuffer walks the events
 * in a sub-buffer and says how many were lost before it.  A private
 * instance leaves the top-level trace (and anyone using it) alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <tracefs.h>

#include "record/kernel_rec.h"

struct krec_trace {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	int ncpu;
	int *fd;		/* per CPU trace_pipe_raw, -1 if none */
	void *page;
	size_t page_size;
	uint64_t lost;
};

/* an instance left by a recorder that was killed: its buffers hold memory */
static int remove_stale(const char *name, void *ctx)
{
	struct tracefs_instance *inst;
	unsigned long pid;
	char *end;

	if (strncmp(name, "swaplab_record_", 15))
		return 0;
	pid = strtoul(name + 15, &end, 10);
	if (*end || !pid || pid == (unsigned long)getpid() ||
	    kill(pid, 0) == 0 || errno != ESRCH)
		return 0;
	inst = tracefs_instance_alloc(NULL, name);
	if (inst) {
		tracefs_event_disable(inst, NULL, NULL);
		tracefs_instance_destroy(inst);
		tracefs_instance_free(inst);
	}
	return 0;
}

struct krec_trace *krec_trace_create(size_t buf_kb, char *err, size_t errlen)
{
	struct krec_trace *t = calloc(1, sizeof(*t));
	char name[64], kb[32];

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->page_size = sysconf(_SC_PAGESIZE);
	snprintf(name, sizeof(name), "swaplab_record_%d", (int)getpid());
	if (!tracefs_tracing_dir()) {
		snprintf(err, errlen, "no tracefs (mount -t tracefs tracefs /sys/kernel/tracing)");
		goto fail;
	}
	tracefs_instances_walk(remove_stale, NULL);
	t->inst = tracefs_instance_create(name);
	if (!t->inst) {
		snprintf(err, errlen, "cannot create tracefs instance %s: %s",
			 name, strerror(errno));
		goto fail;
	}
	snprintf(kb, sizeof(kb), "%zu", buf_kb);
	if (tracefs_instance_file_write(t->inst, "buffer_size_kb", kb) < 0) {
		snprintf(err, errlen, "cannot set %s KiB per-CPU trace buffers", kb);
		goto fail;
	}
	if (tracefs_instance_file_write(t->inst, "trace_clock", "mono") < 0) {
		snprintf(err, errlen, "cannot set trace_clock mono");
		goto fail;
	}
	tracefs_trace_off(t->inst);
	return t;
fail:
	krec_trace_destroy(t);
	return NULL;
}

int krec_trace_enable(struct krec_trace *t, const char *system,
		      const char *event)
{
	return tracefs_event_enable(t->inst, system, event) < 0 ? -1 : 0;
}

int krec_trace_start(struct krec_trace *t, const char *const *systems,
		     char *err, size_t errlen)
{
	char *dir, path[512];
	int cpu;

	t->tep = tracefs_local_events_system(NULL, systems);
	if (!t->tep) {
		snprintf(err, errlen, "cannot read the %s event formats", systems[0]);
		return -1;
	}
	t->kbuf = tep_kbuffer(t->tep);
	t->page = malloc(t->page_size);
	t->ncpu = sysconf(_SC_NPROCESSORS_CONF);
	t->fd = malloc(sizeof(*t->fd) * (t->ncpu > 0 ? t->ncpu : 1));
	if (!t->kbuf || !t->page || !t->fd || t->ncpu < 1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	dir = tracefs_instance_get_dir(t->inst);
	for (cpu = 0; cpu < t->ncpu; cpu++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw",
			 dir ? dir : "", cpu);
		t->fd[cpu] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	}
	tracefs_put_tracing_file(dir);
	if (t->fd[0] < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (tracefs_trace_on(t->inst) < 0) {
		snprintf(err, errlen, "cannot switch tracing on");
		return -1;
	}
	return 0;
}

void krec_trace_stop(struct krec_trace *t)
{
	if (t && t->inst)
		tracefs_trace_off(t->inst);
}

struct tep_handle *krec_trace_tep(struct krec_trace *t)
{
	return t->tep;
}

uint64_t krec_trace_lost(const struct krec_trace *t)
{
	return t->lost;
}

/* one sub-buffer: every event in it, in order */
static int parse_page(struct krec_trace *t, int cpu, krec_event_fn fn,
		      void *ctx, long *n)
{
	unsigned long long ts;
	struct tep_record rec;
	void *data;
	int missed;

	if (kbuffer_load_subbuffer(t->kbuf, t->page) < 0)
		return -1;
	missed = kbuffer_missed_events(t->kbuf);
	if (missed)
		t->lost += missed > 0 ? missed : 1;
	for (data = kbuffer_read_event(t->kbuf, &ts); data;
	     data = kbuffer_next_event(t->kbuf, &ts)) {
		memset(&rec, 0, sizeof(rec));
		rec.ts = ts;
		rec.cpu = cpu;
		rec.data = data;
		rec.size = kbuffer_event_size(t->kbuf);
		if (fn(ctx, t->tep, &rec, cpu) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

long krec_trace_drain(struct krec_trace *t, krec_event_fn fn, void *ctx)
{
	long n = 0;
	ssize_t r;
	int cpu;

	for (cpu = 0; cpu < t->ncpu; cpu++) {
		if (t->fd[cpu] < 0)
			continue;
		for (;;) {
			r = read(t->fd[cpu], t->page, t->page_size);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			if (r < (ssize_t)t->page_size)
				memset((char *)t->page + r, 0, t->page_size - r);
			if (parse_page(t, cpu, fn, ctx, &n) < 0)
				return -1;
		}
	}
	return n;
}

uint64_t krec_field(struct tep_event *ev, const char *name,
		    struct tep_record *rec)
{
	struct tep_format_field *f = tep_find_field(ev, name);
	unsigned long long v = 0;

	if (!f || tep_read_number_field(f, rec->data, &v) < 0)
		return 0;
	return v;
}

void krec_trace_destroy(struct krec_trace *t)
{
	int cpu;

	if (!t)
		return;
	if (t->fd)
		for (cpu = 0; cpu < t->ncpu; cpu++)
			if (t->fd[cpu] >= 0)
				close(t->fd[cpu]);
	free(t->fd);
	if (t->inst) {
		tracefs_trace_off(t->inst);
		tracefs_event_disable(t->inst, NULL, NULL);
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	if (t->kbuf)
		kbuffer_free(t->kbuf);
	tep_free(t->tep);
	free(t->page);
	free(t);
}
