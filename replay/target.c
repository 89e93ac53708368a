/*
 * target.c - replay into a kernel block device: /dev/zramN or
 * /dev/swaplabN, so the kernel itself is the store.
 *
 * STORE is a 4 KiB O_DIRECT write at the slot's offset, LOAD a read that
 * is verified, FREE a discard (zram and swaplab free the slot, as on swap
 * free).  The device is reset and configured through sysfs first (codec,
 * allocator for swaplab, disksize); its mm_stat and io_stat are read at
 * every timeline point and at the end into the same results schema as a
 * model run, with "target" set.  Latency here is per syscall, so it
 * includes the block layer: compare it only with other target runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/user/sl_codecs.h"
#include "backend.h"
#include "engine_int.h"

enum { MM_ORIG, MM_COMPR, MM_USED, MM_LIMIT, MM_MAX, MM_SAME, MM_COMPACTED,
       MM_HUGE, MM_HUGE_SINCE, MM_NR };
enum { IO_FAILED_READS, IO_FAILED_WRITES, IO_INVALID, IO_NOTIFY_FREE,
       IO_NR };

struct target {
	char sys[128];		/* /sys/block/NAME */
	bool swaplab;
	int fd;
};

static int sys_write(const struct target *t, const char *attr,
		     const char *val, char *err, size_t errlen)
{
	char path[192];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", t->sys, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return -1;
	}
	n = write(fd, val, strlen(val));
	close(fd);
	if (n != (ssize_t)strlen(val)) {
		snprintf(err, errlen, "writing '%s' to %s: %s", val, path,
			 n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

/* read up to @n numbers from sysfs file @attr */
static int sys_nums(const struct target *t, const char *attr, uint64_t *v,
		    int n)
{
	char path[192], buf[512], *p, *end;
	ssize_t len;
	int fd, i;

	snprintf(path, sizeof(path), "%s/%s", t->sys, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	for (i = 0, p = buf; i < n; i++, p = end) {
		v[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
	}
	return 0;
}

static json_t *point(const struct target *t, uint64_t op)
{
	uint64_t mm[MM_NR] = { 0 };

	sys_nums(t, "mm_stat", mm, MM_NR);
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "op", (json_int_t)op,
			 "orig_data_size", (json_int_t)mm[MM_ORIG],
			 "compr_data_size", (json_int_t)mm[MM_COMPR],
			 "mem_used_total", (json_int_t)mm[MM_USED],
			 "pages_compacted", (json_int_t)mm[MM_COMPACTED]);
}

/*
 * A device's mm_stat is read through sysfs, too dear for every op: its
 * peak is the timeline sample with the most mem_used_total (the first
 * of equals), and says so in "sampled_every".
 */
static json_t *sampled_peak(json_t *timeline, uint64_t ops, uint64_t every)
{
	json_t *e, *best = NULL;
	double orig, compr, mem;
	size_t i;

	json_array_foreach(timeline, i, e)
		if (!best || json_integer_value(json_object_get(e,
				"mem_used_total")) > json_integer_value(
				json_object_get(best, "mem_used_total")))
			best = e;
	if (!best)
		return json_null();
	orig = json_integer_value(json_object_get(best, "orig_data_size"));
	compr = json_integer_value(json_object_get(best, "compr_data_size"));
	mem = json_integer_value(json_object_get(best, "mem_used_total"));
	return json_pack("{s:O, s:I, s:I, s:O, s:O, s:O, s:f, s:f, s:f}",
		"op", json_object_get(best, "op"), "ops", (json_int_t)ops,
		"sampled_every", (json_int_t)every,
		"orig_data_size", json_object_get(best, "orig_data_size"),
		"compr_data_size", json_object_get(best, "compr_data_size"),
		"mem_used_total", json_object_get(best, "mem_used_total"),
		"ratio", compr ? orig / compr : 0.0,
		"effective_ratio", mem ? orig / mem : 0.0,
		"fragmentation", mem ? 1 - compr / mem : 0.0);
}

/*
 * The device's name for codec @spec: the kernel a codec name carries
 * ("lz4@6.12") is the one running.  swaplab0 takes "name:level"; zram
 * takes the name, and from 6.12 a level and a dictionary through
 * algorithm_params.
 */
static int device_codec(const char *spec, bool swaplab, char *name,
			size_t len, char *params, size_t plen)
{
	size_t n = strcspn(spec, "@:");
	const char *rest = spec + n;

	if (*rest == '@')
		rest += strcspn(rest, ":");
	snprintf(name, len, "%.*s%s", (int)n, spec, swaplab ? rest : "");
	params[0] = '\0';
	return swaplab ? 0 : sl_codec_zram_params(spec, params, plen);
}

static int setup(const struct replay_cfg *cfg, struct target *t, char *err,
		 size_t errlen)
{
	const char *name = strrchr(cfg->target, '/');
	char size[32], limit[32], codec[256], params[PATH_MAX + 64];
	int ret;

	name = name ? name + 1 : cfg->target;
	if (strncmp(name, "zram", 4) && strncmp(name, "swaplab", 7)) {
		snprintf(err, errlen, "target '%s' is neither /dev/zramN nor /dev/swaplabN",
			 cfg->target);
		return -1;
	}
	t->swaplab = !strncmp(name, "swaplab", 7);
	snprintf(t->sys, sizeof(t->sys), "/sys/block/%s", name);
	snprintf(size, sizeof(size), "%llu",
		 (unsigned long long)cfg->nr_slots * 4096);
	snprintf(limit, sizeof(limit), "%llu",
		 (unsigned long long)cfg->mem_limit);
	ret = device_codec(cfg->codec_spec, t->swaplab, codec, sizeof(codec),
			   params, sizeof(params));
	if (ret) {
		snprintf(err, errlen, "%s: %s", cfg->codec_spec,
			 strerror(-ret));
		return -1;
	}
	if (sys_write(t, "reset", "1", err, errlen) ||
	    sys_write(t, "comp_algorithm", codec, err, errlen) ||
	    (*params && sys_write(t, "algorithm_params", params, err,
				  errlen)) ||
	    (t->swaplab && sys_write(t, "allocator", cfg->alloc_spec, err,
				     errlen)) ||
	    (cfg->mem_limit && sys_write(t, "mem_limit", limit, err,
					 errlen)) ||
	    sys_write(t, "disksize", size, err, errlen))
		return -1;
	t->fd = open(cfg->target, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", cfg->target,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int sl_replay_target(const struct replay_cfg *cfg, struct swt_reader *r,
		     json_t **run, char *err, size_t errlen)
{
	const struct swt_header *hdr = swt_reader_header(r);
	struct target t = { .fd = -1 };
	struct stream_stats ss;
	uint64_t mm[MM_NR] = { 0 }, io[IO_NR] = { 0 }, *x, n = 0, i;
	struct slotmap expected = { 0 };
	uint64_t t0, t1, range[2], last_ts = 0;
	uint8_t *buf = NULL, *wbuf = NULL;
	json_t *timeline = json_array();
	struct run_result rr = { .zram_offers_codec = -1 };
	struct sl_store_stats end;
	struct utsname u;
	struct swt_event ev;
	const void *want;
	int ret = -1, e;

	stream_stats_init(&ss);
	if (posix_memalign((void **)&buf, 4096, 4096) ||
	    posix_memalign((void **)&wbuf, 4096, 4096) ||
	    slotmap_init(&expected, cfg->nr_slots, sizeof(uint64_t), 0) ||
	    !timeline) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (hdr->flags & SWT_F_NO_CONTENT) {
		snprintf(err, errlen, "trace has no page contents");
		goto out;
	}
	if (setup(cfg, &t, err, errlen))
		goto out;
	swt_reader_rewind(r);
	while ((e = swt_next(r, &ev)) == 1) {
		n++;
		last_ts = ev.ts_ns;
		if (ev.op == SWT_STORE) {
			memcpy(wbuf, ev.page, 4096);
			t0 = sl_now_ns();
			e = pwrite(t.fd, wbuf, 4096, (off_t)ev.index * 4096);
			t1 = sl_now_ns();
			ss.stores++;
			if (e == 4096) {
				sl_hist_add(&ss.hist[H_STORE], t1 - t0);
				x = slotmap_get(&expected, ev.index);
				if (!x) {
					snprintf(err, errlen, "out of memory");
					goto out;
				}
				*x = ev.page_id + 1;
			} else {
				ss.failed_stores++;
			}
		} else if (ev.op == SWT_LOAD) {
			t0 = sl_now_ns();
			e = pread(t.fd, buf, 4096, (off_t)ev.index * 4096);
			t1 = sl_now_ns();
			x = slotmap_find(&expected, ev.index);
			want = x && *x ? swt_page(r, *x - 1) : NULL;
			if (x && *x && !want) {
				snprintf(err, errlen, "%s", swt_reader_error(r));
				goto out;
			}
			ss.loads++;
			sl_hist_add(&ss.hist[H_LOAD], t1 - t0);
			/* an unwritten or discarded block reads as zeroes */
			if (!want)
				memset(wbuf, 0, 4096);
			if (e != 4096 || memcmp(want ? want : wbuf, buf, 4096))
				ss.verify_failures++;
		} else if (ev.op == SWT_FREE) {
			range[0] = (uint64_t)ev.index * 4096;
			range[1] = 4096;
			if (ioctl(t.fd, BLKDISCARD, range)) {
				snprintf(err, errlen, "discard of slot %u: %s",
					 ev.index, strerror(errno));
				goto out;
			}
			x = slotmap_find(&expected, ev.index);
			if (x)
				*x = 0;
			ss.frees++;
		}
		if (n % cfg->timeline_every == 0)
			json_array_append_new(timeline, point(&t, n));
	}
	if (e < 0) {
		snprintf(err, errlen, "%s", swt_reader_error(r));
		goto out;
	}
	json_array_append_new(timeline, point(&t, n));
	if (sys_nums(&t, "mm_stat", mm, MM_NR) ||
	    sys_nums(&t, "io_stat", io, IO_NR)) {
		snprintf(err, errlen, "cannot read %s/mm_stat", t.sys);
		goto out;
	}
	/* every live slot, read back */
	for (i = slotmap_next(&expected, 0); i < cfg->nr_slots;
	     i = slotmap_next(&expected, i + 1)) {
		x = slotmap_find(&expected, i);
		if (!*x)
			continue;
		want = swt_page(r, *x - 1);
		if (!want || pread(t.fd, buf, 4096, (off_t)i * 4096) != 4096 ||
		    memcmp(want, buf, 4096))
			ss.verify_failures++;
	}
	end = (struct sl_store_stats) {
		.pages_stored = mm[MM_ORIG] / 4096,
		.orig_data_size = mm[MM_ORIG],
		.compr_data_size = mm[MM_COMPR],
		.mem_used_total = mm[MM_USED],
		.mem_limit = mm[MM_LIMIT],
		.mem_used_max = mm[MM_MAX],
		.same_pages = mm[MM_SAME],
		.pages_compacted = mm[MM_COMPACTED],
		.huge_pages = mm[MM_HUGE],
		.huge_pages_since = mm[MM_HUGE_SINCE],
		.failed_reads = io[IO_FAILED_READS],
		.failed_writes = io[IO_FAILED_WRITES],
		.invalid_io = io[IO_INVALID],
		.notify_free = io[IO_NOTIFY_FREE],
	};
	rr.alloc = t.swaplab ? cfg->alloc_spec : "zsmalloc (kernel)";
	rr.kernel = uname(&u) ? "" : u.release;
	rr.codec_source = "the running kernel";
	rr.target = cfg->target;
	rr.verify = "bytes";
	rr.settings = json_pack("{s:I, s:s}", "nr_slots",
				(json_int_t)cfg->nr_slots, "latency",
				"per syscall (pwrite/pread, O_DIRECT)");
	rr.end = &end;
	rr.counters = RC_ZRAM;
	rr.ratio_cumulative = -1;
	rr.at_peak = sampled_peak(timeline, n, cfg->timeline_every);
	rr.at_end = moment_json(&end, n, n, last_ts > hdr->start_ns ?
				(last_ts - hdr->start_ns) / 1e9 : 0);
	rr.verify_failures = ss.verify_failures;
	rr.ops = json_pack("{s:I, s:I, s:I, s:I}",
		"stores", (json_int_t)ss.stores,
		"loads", (json_int_t)ss.loads, "frees", (json_int_t)ss.frees,
		"failed_stores", (json_int_t)ss.failed_stores);
	/* per syscall (pwrite/pread, O_DIRECT): no codec time of its own */
	rr.latency_ns = json_pack("{s:o, s:o}",
		"store", hist_json(&ss.hist[H_STORE]),
		"load", hist_json(&ss.hist[H_LOAD]));
	rr.timeline = timeline;
	rr.extra = json_pack("{s:s}", "latency_timed", "per syscall");
	*run = run_result_json(cfg, hdr, &rr);
	if (!*run) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	if (t.fd >= 0)
		close(t.fd);
	json_decref(timeline);
	slotmap_free(&expected);
	free(buf);
	free(wbuf);
	return ret;
}

static bool device_claims(const struct replay_cfg *cfg)
{
	return cfg->target && strcmp(cfg->target, "swap");
}

const struct replay_backend sl_backend_device = {
	.name = "block device",
	.claims = device_claims,
	.run = sl_replay_target,
};
