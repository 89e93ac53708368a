/*
 * devstat_ut.c - swaplab stat's sysfs decoding on canned text: zram's
 * mm_stat of two kernel generations, swaplab's longer one, bad text, and
 * devices that are absent, not initialised or not zram at all.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze/devstat.h"
#include "ut_util.h"

static char root[64];

static void put(const char *dev, const char *file, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/block", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/block/%s", root, dev);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/block/%s/%s", root, dev, file);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void test_parse_lines(void)
{
	uint64_t v[DS_MAX_FIELDS];
	bool has[DS_MAX_FIELDS];

	/* 6.1: nine fields, right-aligned in 8 columns */
	CU_ASSERT_EQUAL(sl_ds_parse(" 2138112   501234   622592        0   622592       12        0        3        5\n",
				    v, has), 9);
	CU_ASSERT_EQUAL(v[0], 2138112);
	CU_ASSERT_EQUAL(v[MM_USED], 622592);
	CU_ASSERT_EQUAL(v[MM_HUGE_SINCE], 5);
	CU_ASSERT(has[8] && !has[9]);
	/* before huge_pages_since: eight */
	CU_ASSERT_EQUAL(sl_ds_parse("1 2 3 4 5 6 7 8\n", v, has), 8);
	CU_ASSERT(!has[MM_HUGE_SINCE]);
	CU_ASSERT_EQUAL(sl_ds_parse("18446744073709551615\n", v, has), 1);
	CU_ASSERT_EQUAL(v[0], UINT64_MAX);
	CU_ASSERT_EQUAL(sl_ds_parse("", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("\n", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("1 2 x\n", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("1 -2\n", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("1 2\n3\n", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("18446744073709551616\n", v, has), -1);
	CU_ASSERT_EQUAL(sl_ds_parse("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",
				    v, has), -1);
}

static void test_read_devices(void)
{
	struct sl_devstat st;
	char err[600];

	snprintf(root, sizeof(root), "/tmp/devstat_ut.XXXXXX");
	CU_ASSERT_FATAL(mkdtemp(root) != NULL);
	put("zram0", "disksize", "4294967296\n");
	put("zram0", "mm_stat", "  2138112   501234   622592        0   622592       12        0        3        5\n");
	put("zram0", "io_stat", "       0        1        0      100\n");
	put("zram0", "comp_algorithm", "lzo [lzo-rle] lz4 zstd\n");
	put("swaplab0", "disksize", "1073741824\n");
	put("swaplab0", "mm_stat", "4096000 1024000 1228800 0 1300000 10 2 1 1 1000 3072 4 8192 0 0\n");
	put("swaplab0", "io_stat", "0 5 0 7 1200 1100\n");
	put("swaplab0", "bd_stat", "  2 1 3\n");
	put("swaplab0", "comp_algorithm", "[zstd]\n");
	put("zram1", "disksize", "0\n");
	put("zram2", "disksize", "4096\n");
	put("zram2", "mm_stat", "garbage\n");
	put("zram2", "io_stat", "0 0 0 0\n");

	CU_ASSERT_EQUAL(sl_ds_read(root, "/dev/zram0", &st, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(st.name, "zram0");
	CU_ASSERT_STRING_EQUAL(st.comp, "lzo-rle");
	CU_ASSERT_EQUAL(st.disksize, 4294967296ULL);
	CU_ASSERT_EQUAL(st.v[DS_MM][MM_COMPR], 501234);
	CU_ASSERT_EQUAL(st.v[DS_IO][IO_FAILED_WRITES], 1);
	CU_ASSERT(!st.has[DS_BD][BD_COUNT]);	/* no bd_stat: absent */
	CU_ASSERT(!st.has[DS_MM][MM_STORED]);

	CU_ASSERT_EQUAL(sl_ds_read(root, "swaplab0", &st, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(st.comp, "zstd");
	CU_ASSERT_EQUAL(st.v[DS_MM][MM_STORED], 1000);
	CU_ASSERT_EQUAL(st.v[DS_MM][MM_DEDUP_SAVED], 8192);
	CU_ASSERT_EQUAL(st.v[DS_IO][IO_WRITES], 1100);
	CU_ASSERT_EQUAL(st.v[DS_BD][BD_WRITES], 3);
	CU_ASSERT_STRING_EQUAL(sl_ds_names[DS_MM][MM_DEDUP_SAVED],
			       "dedup_saved_bytes");

	CU_ASSERT_EQUAL(sl_ds_read(root, "zram1", &st, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not initialised"));
	CU_ASSERT_EQUAL(sl_ds_read(root, "zram2", &st, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a line of counters"));
	CU_ASSERT_EQUAL(sl_ds_read(root, "zram9", &st, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no such device"));
	CU_ASSERT_EQUAL(sl_ds_read(root, "/dev/sda", &st, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a zram or swaplab device"));
	CU_ASSERT_EQUAL(sl_ds_read(root, "zramx", &st, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_ds_read(root, "zram", &st, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(sl_ds_read(root, "zram0/../zram1", &st, err,
				   sizeof(err)), -1);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
}

int devstat_ut_register(void)
{
	CU_pSuite s = CU_add_suite("devstat", NULL, NULL);

	if (!s)
		return CU_get_error();
	UT_ADD(s, test_parse_lines);
	UT_ADD(s, test_read_devices);
	return CU_get_error();
}
