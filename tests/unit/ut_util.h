/*
 * ut_util.h - helpers shared by the CUnit suites: deterministic page
 * generators and a temp directory.
 */
#ifndef UT_UTIL_H
#define UT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>

#define UT_PAGE 4096

/* xorshift64*: the same sequence on every machine for a seed */
uint64_t ut_rand(uint64_t *state);

/* fill @page with the named kind: "zero", "text", "random", "mixed" */
void ut_page_fill(void *page, const char *kind, uint64_t seed);

/* "lz4" (the kernel's), or "liblz4" in a build without kernel codecs */
const char *ut_lz4(void);

/* a fresh directory under $TMPDIR, removed by ut_tmpdir_cleanup() */
const char *ut_tmpdir(void);
void ut_tmpdir_cleanup(void);

/* add @fn as test @name to @suite; returns the CUnit error code */
#define UT_ADD(suite, fn) \
	(CU_add_test((suite), #fn, (fn)) ? CUE_SUCCESS : CU_get_error())

#endif /* UT_UTIL_H */
