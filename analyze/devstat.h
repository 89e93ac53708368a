/*
 * devstat.h - a zram or swaplab block device's counters, as its sysfs
 * directory shows them (mm_stat, io_stat, bd_stat), decoded by name.
 *
 * zram's files are lines of space-separated decimal counters whose
 * number grew over the kernel versions (mm_stat: 8 fields before 4.x's
 * huge_pages, 9 since 5.15's huge_pages_since); swaplab's repeat zram's
 * fields in zram's order and add their own after them.  A field the
 * device does not show is absent (has[] false), never 0.
 */
#ifndef SL_DEVSTAT_H
#define SL_DEVSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DS_MAX_FIELDS	16

enum ds_file { DS_MM, DS_IO, DS_BD, DS_NR_FILES };

/* zram's mm_stat order; swaplab adds the rest */
enum ds_mm {
	MM_ORIG, MM_COMPR, MM_USED, MM_LIMIT, MM_MAX, MM_SAME, MM_COMPACTED,
	MM_HUGE, MM_HUGE_SINCE,
	MM_STORED, MM_HUGE_THRESHOLD, MM_DEDUP_PAGES, MM_DEDUP_SAVED,
	MM_RECOMPRESSED, MM_RECOMP_SAVED,
};

enum ds_io {
	IO_FAILED_READS, IO_FAILED_WRITES, IO_INVALID, IO_NOTIFY_FREE,
	IO_READS, IO_WRITES,
};

enum ds_bd { BD_COUNT, BD_READS, BD_WRITES };

struct sl_devstat {
	char name[64];		/* zram0, swaplab0 */
	char comp[64];		/* the selected codec, "" if unknown */
	uint64_t disksize;
	uint64_t v[DS_NR_FILES][DS_MAX_FIELDS];
	bool has[DS_NR_FILES][DS_MAX_FIELDS];
};

/* the field names of @file, DS_MAX_FIELDS of them, NULL past the known */
extern const char *const sl_ds_names[DS_NR_FILES][DS_MAX_FIELDS];
extern const char *const sl_ds_files[DS_NR_FILES];

/**
 * sl_ds_parse() - the counters of one line of sysfs text into @v, @has.
 * Return: how many fields, or -1 when @text is not a line of decimal
 * counters (an empty file included).
 */
int sl_ds_parse(const char *text, uint64_t *v, bool *has);

/**
 * sl_ds_read() - read device @dev ("zram0", "/dev/zram0", "swaplab1")
 * under the sysfs root @root ("/sys"; tests point it at a copy).
 * Return: 0; -1 with @err filled: not a zram or swaplab device, no such
 * device, not initialised (disksize 0), or an unreadable counter file.
 */
int sl_ds_read(const char *root, const char *dev, struct sl_devstat *st,
	       char *err, size_t errlen);

#endif /* SL_DEVSTAT_H */
