// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab_sysfs.c - /sys/block/swaplabN/: zram's interface, field for
 * field where zram has one, so scripts written for zram work here.
 *
 * Settings (comp_algorithm, allocator, same_filled, dedup, recomp_algorithm)
 * are fixed once disksize has initialised the device: writing them then
 * gives -EBUSY, as zram does for its algorithm.  mem_limit, as zram's, may
 * change at any time.  Bad values give -EINVAL.
 *
 * Recompression as zram 6.1's: recomp_algorithm takes "algo=NAME
 * [priority=1..3]", idle takes "all" (every slot not accessed since is
 * idle) or N (not accessed in N seconds), recompress takes
 * "[type=huge|idle|huge_idle]" and runs it.  From 6.12, algorithm_params
 * takes a codec's level and dictionary as zram's.
 * Writeback as zram's: backing_dev (a block device path, or "none"; set
 * before disksize, released by reset), writeback ("huge", "idle",
 * "huge_idle", "incompressible"), bd_stat (bd_count bd_reads bd_writes,
 * in pages).
 *
 * mm_stat: zram's nine fields, then pages_stored (slots holding data),
 * huge_threshold (bytes; compressed lengths from it up are kept raw),
 * dedup_pages (slots sharing another slot's object), dedup_saved_bytes,
 * pages_recompressed and recompress_saved_bytes.
 * io_stat: zram's four fields, then num_reads and num_writes (pages).
 * max_comp_streams and debug_stat: kept as zram keeps them, for old scripts.
 */
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/kernel_read_file.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include "swaplab.h"

static struct swaplab_dev *to_sdev(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

/* settings may change only while uninitialised; caller holds init_lock */
static int settable(struct swaplab_dev *dev)
{
	return dev->store ? -EBUSY : 0;
}

static ssize_t disksize_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);

	return sysfs_emit(buf, "%llu\n", READ_ONCE(dev->disksize));
}

/* memparse() with the whole string consumed: "4096", "64M\n" */
static int parse_size(const char *buf, u64 *val)
{
	char *end;

	*val = memparse(buf, &end);
	if (end == buf)
		return -EINVAL;
	if (*end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

static ssize_t disksize_store(struct device *d, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	u64 size;
	int ret;

	ret = parse_size(buf, &size);
	if (ret)
		return ret;
	size = PAGE_ALIGN(size);
	/* the slot table must fit: at most 64 x RAM, and a u32 slot index */
	if (!size || size >> PAGE_SHIFT > U32_MAX ||
	    size >> PAGE_SHIFT > 64 * (u64)totalram_pages())
		return -EINVAL;
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret)
		ret = swaplab_dev_setup(dev, size);
	up_write(&dev->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(disksize);

static ssize_t initstate_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	bool init;

	down_read(&dev->init_lock);
	init = dev->store;
	up_read(&dev->init_lock);
	return sysfs_emit(buf, "%d\n", init);
}
static DEVICE_ATTR_RO(initstate);

static ssize_t comp_algorithm_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	const struct sl_codec_ops *const *c;
	ssize_t n = 0;

	down_read(&dev->init_lock);
	for (c = sl_codecs; *c; c++) {
		if (*c == dev->codec)
			n += sysfs_emit_at(buf, n, "[%s] ", (*c)->name);
		else if (sl_codec_available(*c))
			n += sysfs_emit_at(buf, n, "%s ", (*c)->name);
	}
	up_read(&dev->init_lock);
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}

static ssize_t comp_algorithm_store(struct device *d,
				    struct device_attribute *attr,
				    const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	const struct sl_codec_ops *codec = sl_codec_find(buf);
	int ret;

	if (!codec || !sl_codec_available(codec))
		return -EINVAL;
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret)
		dev->codec = codec;
	up_write(&dev->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(comp_algorithm);

static ssize_t allocator_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	const struct sl_alloc_ops *const *a;
	const struct sl_alloc_ops *cur;
	const char *opts;
	ssize_t n = 0;

	down_read(&dev->init_lock);
	cur = sl_alloc_find(dev->alloc_spec, &opts);
	for (a = sl_allocators; *a; a++) {
		if (*a == cur)
			n += sysfs_emit_at(buf, n, "[%s] ", dev->alloc_spec);
		else
			n += sysfs_emit_at(buf, n, "%s ", (*a)->name);
	}
	up_read(&dev->init_lock);
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}

/* "name[:opts]": the name must be known and the options must make a pool */
static ssize_t allocator_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	char spec[SWAPLAB_SPEC_LEN];
	const struct sl_alloc_ops *a;
	const char *opts;
	void *pool;
	int ret;

	if (strscpy(spec, buf, sizeof(spec)) < 0)
		return -EINVAL;
	strim(spec);
	a = sl_alloc_find(spec, &opts);
	if (!a || (opts && !*opts))
		return -EINVAL;
	ret = a->create(opts, &pool);
	if (ret)
		return ret == -ENOMEM ? ret : -EINVAL;
	a->destroy(pool);
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret)
		strscpy(dev->alloc_spec, spec, sizeof(dev->alloc_spec));
	up_write(&dev->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(allocator);

static ssize_t mem_limit_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_sdev(d)->mem_limit));
}

static ssize_t mem_limit_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	u64 limit;
	int ret;

	ret = parse_size(buf, &limit);
	if (ret)
		return ret;
	down_write(&dev->init_lock);
	dev->mem_limit = PAGE_ALIGN(limit);
	if (dev->store)
		sl_store_set_mem_limit(dev->store, dev->mem_limit);
	up_write(&dev->init_lock);
	return len;
}
static DEVICE_ATTR_RW(mem_limit);

/* zram takes "0" only: the peak starts again from the pool's pages now */
static ssize_t mem_used_max_store(struct device *d,
				  struct device_attribute *attr,
				  const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	unsigned long val;

	if (kstrtoul(buf, 10, &val) || val)
		return -EINVAL;
	down_read(&dev->init_lock);
	if (dev->store)
		sl_store_reset_mem_used_max(dev->store);
	up_read(&dev->init_lock);
	return len;
}
static DEVICE_ATTR_WO(mem_used_max);

/*
 * same_filled and dedup are bool settings under the same rules, kept in
 * one place: kstrtobool() input; -EINVAL for a bad value, checked before
 * the lock, so even on an initialised device; then -EBUSY once
 * initialised.
 */
static ssize_t bool_setting_store(struct swaplab_dev *dev, bool *field,
				  const char *buf, size_t len)
{
	bool val;
	int ret;

	if (kstrtobool(buf, &val))
		return -EINVAL;
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret)
		*field = val;
	up_write(&dev->init_lock);
	return ret ? ret : len;
}

static ssize_t same_filled_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_sdev(d)->same_filled));
}

static ssize_t same_filled_store(struct device *d,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	return bool_setting_store(to_sdev(d), &to_sdev(d)->same_filled, buf,
				  len);
}
static DEVICE_ATTR_RW(same_filled);

static ssize_t dedup_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_sdev(d)->dedup));
}

static ssize_t dedup_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	return bool_setting_store(to_sdev(d), &to_sdev(d)->dedup, buf, len);
}
static DEVICE_ATTR_RW(dedup);

static ssize_t recomp_algorithm_show(struct device *d,
				     struct device_attribute *attr, char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	const struct sl_codec_ops *const *c;
	ssize_t n = 0;
	int p;

	down_read(&dev->init_lock);
	for (p = 0; p < SL_MAX_RECOMP; p++) {
		if (!dev->recomp[p])
			continue;
		n += sysfs_emit_at(buf, n, "#%d: ", p + 1);
		for (c = sl_codecs; *c; c++) {
			if (*c == dev->recomp[p])
				n += sysfs_emit_at(buf, n, "[%s] ", (*c)->name);
			else if (sl_codec_available(*c))
				n += sysfs_emit_at(buf, n, "%s ", (*c)->name);
		}
		n += sysfs_emit_at(buf, n, "\n");
	}
	up_read(&dev->init_lock);
	return n;
}

/* "algo=NAME [priority=N]", as zram 6.1 */
static ssize_t recomp_algorithm_store(struct device *d,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	const struct sl_codec_ops *codec = NULL;
	char *args, *arg, *key, *val;
	unsigned int prio = 1;
	int ret = -EINVAL;

	args = kstrndup(buf, len, GFP_KERNEL);
	if (!args)
		return -ENOMEM;
	arg = args;
	while ((key = strsep(&arg, "\n "))) {
		if (!*key)
			continue;
		val = strchr(key, '=');
		if (!val)
			goto out;
		*val++ = '\0';
		if (!strcmp(key, "algo")) {
			codec = sl_codec_find(val);
			if (!codec || !sl_codec_available(codec))
				goto out;
		} else if (!strcmp(key, "priority")) {
			if (kstrtouint(val, 10, &prio) || !prio ||
			    prio > SL_MAX_RECOMP)
				goto out;
		} else {
			goto out;
		}
	}
	if (!codec)
		goto out;
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret)
		dev->recomp[prio - 1] = codec;
	up_write(&dev->init_lock);
out:
	kfree(args);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(recomp_algorithm);

void swaplab_params_reset(struct swaplab_dev *dev)
{
	int i;

	for (i = 0; i <= SL_MAX_RECOMP; i++) {
		vfree(dev->params[i].dict);
		dev->params[i].dict = NULL;
		dev->params[i].dict_len = 0;
		dev->params[i].level = SL_LEVEL_DEFAULT;
	}
}

#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE

/*
 * "[priority=N | algo=NAME] [level=L] [dict=PATH]", as 6.12's zram: the
 * parameters of one codec, by priority (0, the primary, by default) or
 * by the name it was given; both replace what that priority had (no
 * level: the codec's default).  Unknown keys are skipped, as zram skips
 * them.  They take effect at the next disksize; unlike zram, which lets
 * the dictionary be replaced under a running codec, not while
 * initialised (-EBUSY).
 */
static ssize_t algorithm_params_store(struct device *d,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	char *copy, *args, *key, *val, *algo = NULL, *path = NULL;
	int prio = 0, level = SL_LEVEL_DEFAULT, p, ret = -EINVAL;
	const struct sl_codec_ops *named;
	void *dict = NULL;
	ssize_t sz = 0;

	copy = kstrndup(buf, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	args = skip_spaces(copy);
	while (*args) {
		args = next_arg(args, &key, &val);
		if (!val || !*val)
			goto out;
		if (!strcmp(key, "priority")) {
			if (kstrtoint(val, 10, &prio))
				goto out;
		} else if (!strcmp(key, "level")) {
			if (kstrtoint(val, 10, &level))
				goto out;
		} else if (!strcmp(key, "algo")) {
			algo = val;
		} else if (!strcmp(key, "dict")) {
			path = val;
		}
	}
	down_write(&dev->init_lock);
	if (algo) {
		/* the priority that has this codec */
		named = sl_codec_find(algo);
		prio = -1;
		for (p = 0; named && p <= SL_MAX_RECOMP; p++)
			if ((p ? dev->recomp[p - 1] : dev->codec) == named) {
				prio = p;
				break;
			}
	}
	if (prio < 0 || prio > SL_MAX_RECOMP)
		goto unlock;
	ret = settable(dev);
	if (ret)
		goto unlock;
	/* as zram's comp_params_store(): cleared first, even if @path fails */
	vfree(dev->params[prio].dict);
	dev->params[prio].dict = NULL;
	dev->params[prio].dict_len = 0;
	dev->params[prio].level = SL_LEVEL_DEFAULT;
	if (path) {
		sz = kernel_read_file_from_path(path, 0, &dict, INT_MAX, NULL,
						READING_POLICY);
		if (sz < 0) {
			ret = -EINVAL;
			goto unlock;
		}
	}
	dev->params[prio].dict = dict;
	dev->params[prio].dict_len = sz;
	/* zram's "no level" is each codec's default */
	dev->params[prio].level = level;
unlock:
	up_write(&dev->init_lock);
out:
	kfree(copy);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(algorithm_params);
#endif

/*
 * "all": every slot is idle until it is read or written again; N: those
 * not accessed in the last N seconds, as zram with its access times.
 * 6.12's mark_idle() also clears the mark of slots accessed since the
 * cutoff; 6.1's only sets marks, so an earlier "all" stays.
 */
static ssize_t idle_store(struct device *d, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	bool all = sysfs_streq(buf, "all");
	u64 age = 0, t, cutoff;
	int ret = 0;

	if (!all && kstrtoull(buf, 0, &age))
		return -EINVAL;
	down_write(&dev->init_lock);
	if (!dev->store) {
		ret = -EINVAL;
		goto out;
	}
	spin_lock(&dev->now_lock);
	t = ktime_get_coarse_boottime_ns();
	if (all) {
		/* later accesses are stamped after the cutoff, even this tick */
		cutoff = max(t, dev->now) + 1;
		WRITE_ONCE(dev->now, cutoff);
		sl_store_set_now(dev->store, cutoff);
	} else {
		/* zram's ktime_sub(): before boot, nothing qualifies */
		cutoff = age <= t / NSEC_PER_SEC ? t - age * NSEC_PER_SEC : 0;
	}
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	dev->idle_before = cutoff;
#else
	dev->idle_before = max(dev->idle_before, cutoff);
#endif
	spin_unlock(&dev->now_lock);
out:
	up_write(&dev->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(idle);

/* zram's slot types: "huge", "idle", "huge_idle" and, if @wb, "incompressible" */
static int parse_select(const char *buf, bool wb, unsigned int *select)
{
	if (sysfs_streq(buf, "huge"))
		*select = SL_SEL_HUGE;
	else if (sysfs_streq(buf, "idle"))
		*select = SL_SEL_IDLE;
	else if (sysfs_streq(buf, "huge_idle"))
		*select = SL_SEL_HUGE_IDLE;
	else if (wb && sysfs_streq(buf, "incompressible"))
		*select = SL_SEL_INCOMPRESSIBLE;
	else
		return -EINVAL;
	return 0;
}

typedef long (*slot_pass_fn)(struct sl_store *store, struct sl_store_ctx *ctx,
			     unsigned int select, u64 idle_before);

/*
 * run a recompression or writeback pass over the @select slots, with a
 * context of its own: it may take long, and may sleep
 */
static ssize_t slot_pass(struct swaplab_dev *dev, slot_pass_fn fn,
			 unsigned int select, bool need_bdev, size_t len)
{
	struct sl_store_ctx ctx = { 0 };
	long ret;

	down_read(&dev->init_lock);
	ret = -EINVAL;
	if (!dev->store)
		goto out;
	ret = -ENODEV;
	if (need_bdev && !dev->bdev)
		goto out;
	ret = sl_store_ctx_create(dev->store, &ctx);
	if (ret)
		goto out;
	ret = fn(dev->store, &ctx, select, dev->idle_before);
	sl_store_ctx_destroy(dev->store, &ctx);
out:
	up_read(&dev->init_lock);
	return ret < 0 ? ret : len;
}

/* "[type=huge|idle|huge_idle]": recompress those slots (all without) */
static ssize_t recompress_store(struct device *d,
				struct device_attribute *attr,
				const char *buf, size_t len)
{
	unsigned int select = 0;

	if (!sysfs_streq(buf, "") && !sysfs_streq(buf, "type=all") &&
	    (strncmp(buf, "type=", 5) || parse_select(buf + 5, false, &select)))
		return -EINVAL;
	return slot_pass(to_sdev(d), sl_store_recompress, select, false, len);
}
static DEVICE_ATTR_WO(recompress);

static ssize_t backing_dev_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	ssize_t n;

	down_read(&dev->init_lock);
	n = sysfs_emit(buf, "%s\n", dev->backing_path ?: "none");
	up_read(&dev->init_lock);
	return n;
}

static ssize_t backing_dev_store(struct device *d,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	char *path;
	int ret;

	path = kstrndup(buf, len, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	strim(path);
	down_write(&dev->init_lock);
	ret = settable(dev);
	if (!ret && !*path)
		ret = -EINVAL;
	if (!ret)
		ret = swaplab_dev_set_backing(dev, strcmp(path, "none") ?
					      path : NULL);
	up_write(&dev->init_lock);
	kfree(path);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(backing_dev);

static ssize_t writeback_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	unsigned int select;

	if (parse_select(buf, true, &select))
		return -EINVAL;
	return slot_pass(to_sdev(d), sl_store_writeback, select, true, len);
}
static DEVICE_ATTR_WO(writeback);

/*
 * writeback_limit_enable and writeback_limit as zram has them: any
 * kstrtoull() number, taken on an initialised device or not, kept across
 * reset; writeback stops with -EIO once an enabled limit is used up
 */
static ssize_t wb_limit_set(struct device *d, const char *buf, size_t len,
			    bool is_enable)
{
	struct swaplab_dev *dev = to_sdev(d);
	u64 val;

	if (kstrtoull(buf, 10, &val))
		return -EINVAL;
	down_write(&dev->init_lock);
	if (dev->store)
		dev->wb_limit = sl_store_wb_limit(dev->store,
						  &dev->wb_limit_enable);
	if (is_enable)
		dev->wb_limit_enable = val;
	else
		dev->wb_limit = val;
	if (dev->store)
		sl_store_set_wb_limit(dev->store, dev->wb_limit_enable,
				      dev->wb_limit);
	up_write(&dev->init_lock);
	return len;
}

static u64 wb_limit_get(struct swaplab_dev *dev, bool *enable)
{
	u64 v;

	down_read(&dev->init_lock);
	*enable = dev->wb_limit_enable;
	v = dev->wb_limit;
	if (dev->store)
		v = sl_store_wb_limit(dev->store, enable);
	up_read(&dev->init_lock);
	return v;
}

static ssize_t writeback_limit_enable_show(struct device *d,
					   struct device_attribute *attr,
					   char *buf)
{
	bool on;

	wb_limit_get(to_sdev(d), &on);
	return sysfs_emit(buf, "%d\n", on);
}

static ssize_t writeback_limit_enable_store(struct device *d,
					    struct device_attribute *attr,
					    const char *buf, size_t len)
{
	return wb_limit_set(d, buf, len, true);
}
static DEVICE_ATTR_RW(writeback_limit_enable);

static ssize_t writeback_limit_show(struct device *d,
				    struct device_attribute *attr, char *buf)
{
	bool on;

	return sysfs_emit(buf, "%llu\n", wb_limit_get(to_sdev(d), &on));
}

static ssize_t writeback_limit_store(struct device *d,
				     struct device_attribute *attr,
				     const char *buf, size_t len)
{
	return wb_limit_set(d, buf, len, false);
}
static DEVICE_ATTR_RW(writeback_limit);

/* the store's counters into @st, left as it is (zero) while uninitialised */
static void read_stats(struct swaplab_dev *dev, struct sl_store_stats *st)
{
	down_read(&dev->init_lock);
	if (dev->store)
		sl_store_stats(dev->store, st);
	up_read(&dev->init_lock);
}

static ssize_t bd_stat_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct sl_store_stats st = { 0 };

	read_stats(to_sdev(d), &st);
	return sysfs_emit(buf, "%8llu %8llu %8llu\n", st.bd_count,
			  st.bd_reads, st.bd_writes);
}
static DEVICE_ATTR_RO(bd_stat);

static ssize_t compact_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct swaplab_dev *dev = to_sdev(d);
	int ret = 0;

	down_read(&dev->init_lock);
	if (dev->store)
		sl_store_compact(dev->store);
	else
		ret = -EINVAL;
	up_read(&dev->init_lock);
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(compact);

static ssize_t reset_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	bool val;
	int ret;

	if (kstrtobool(buf, &val) || !val)
		return -EINVAL;
	ret = swaplab_dev_reset(to_sdev(d));
	return ret ? ret : len;
}
static DEVICE_ATTR_WO(reset);

static ssize_t mm_stat_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	struct sl_store_stats st = { 0 };
	u32 huge = 0;

	down_read(&dev->init_lock);
	if (dev->store) {
		sl_store_stats(dev->store, &st);
		huge = sl_store_huge_threshold(dev->store);
	}
	st.mem_limit = dev->mem_limit;
	up_read(&dev->init_lock);
	return sysfs_emit(buf,
			  "%8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8u %8llu %8llu %8llu %8llu\n",
			  st.orig_data_size, st.compr_data_size,
			  st.mem_used_total, st.mem_limit, st.mem_used_max,
			  st.same_pages, st.pages_compacted, st.huge_pages,
			  st.huge_pages_since, st.pages_stored, huge,
			  st.dedup_pages, st.dedup_saved_bytes,
			  st.pages_recompressed, st.recompress_saved_bytes);
}
static DEVICE_ATTR_RO(mm_stat);

static ssize_t io_stat_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct swaplab_dev *dev = to_sdev(d);
	struct sl_store_stats st = { 0 };

	read_stats(dev, &st);
	return sysfs_emit(buf, "%8llu %8llu %8llu %8llu %8llu %8llu\n",
			  st.failed_reads, st.failed_writes, st.invalid_io,
			  st.notify_free,
			  (u64)atomic64_read(&dev->num_reads),
			  (u64)atomic64_read(&dev->num_writes));
}
static DEVICE_ATTR_RO(io_stat);

/*
 * The attributes zram keeps for old scripts, as 6.1 and 6.12 keep them:
 * max_comp_streams shows the online CPU count and accepts any write (both
 * kernels have a stream per CPU; so do we: one context per CPU), and
 * debug_stat has zram's version 1 layout, writestall and miss_free, both
 * 0 here: a write never waits for a stream and a swap-free notify never
 * skips its slot.
 */
static ssize_t max_comp_streams_show(struct device *d,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", num_online_cpus());
}

static ssize_t max_comp_streams_store(struct device *d,
				      struct device_attribute *attr,
				      const char *buf, size_t len)
{
	return len;
}
static DEVICE_ATTR_RW(max_comp_streams);

static ssize_t debug_stat_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "version: %d\n%8llu %8llu\n", 1, 0ULL, 0ULL);
}
static DEVICE_ATTR_RO(debug_stat);

static struct attribute *swaplab_disk_attrs[] = {
	&dev_attr_disksize.attr,
	&dev_attr_initstate.attr,
	&dev_attr_comp_algorithm.attr,
	&dev_attr_allocator.attr,
	&dev_attr_mem_limit.attr,
	&dev_attr_same_filled.attr,
	&dev_attr_dedup.attr,
	&dev_attr_compact.attr,
	&dev_attr_recomp_algorithm.attr,
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	&dev_attr_algorithm_params.attr,
#endif
	&dev_attr_idle.attr,
	&dev_attr_recompress.attr,
	&dev_attr_backing_dev.attr,
	&dev_attr_writeback.attr,
	&dev_attr_writeback_limit_enable.attr,
	&dev_attr_writeback_limit.attr,
	&dev_attr_mem_used_max.attr,
	&dev_attr_bd_stat.attr,
	&dev_attr_reset.attr,
	&dev_attr_mm_stat.attr,
	&dev_attr_io_stat.attr,
	&dev_attr_max_comp_streams.attr,
	&dev_attr_debug_stat.attr,
	NULL,
};

static const struct attribute_group swaplab_disk_group = {
	.attrs = swaplab_disk_attrs,
};

const struct attribute_group *swaplab_disk_groups[] = {
	&swaplab_disk_group,
	NULL,
};
