/* The suite runner and build facts every test program shares, without the
 * graph helpers of testutil.h (suites of the util layer link nothing
 * else). */
#ifndef HS_TEST_RUN_H
#define HS_TEST_RUN_H

#include <check.h>

/* Allocation-failure injection replaces the C library's allocator, which
 * AddressSanitizer intercepts itself: under ASan the tests that need it
 * skip, as they do under valgrind. */
#if defined(__SANITIZE_ADDRESS__)
#define HS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HS_TEST_ASAN 1
#endif
#endif
#ifndef HS_TEST_ASAN
#define HS_TEST_ASAN 0
#endif

/* Runs a suite (the whole main() of a test program): exit status. */
int tu_run(Suite *s);

#endif
