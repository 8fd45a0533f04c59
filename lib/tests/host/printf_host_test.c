/* lib/printf.c against the host's snprintf for every supported feature. */
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "host_test.h"

int k_snprintf(char *, size_t, const char *, ...);

#define SAME(...) do {							\
	char a_[128], b_[128];						\
	int na_ = k_snprintf(a_, sizeof(a_), __VA_ARGS__);		\
	int nb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);		\
	CHECK_STREQ(a_, b_);						\
	CHECK(na_ == nb_);						\
} while (0)

HOST_TEST(integers)
{
	int v[] = { 0, 1, -1, 42, -42, INT_MAX, INT_MIN, 255 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		SAME("%d|%i|%u|%x|%X|%o", v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("%5d|%-5d|%05d|%+d|% d|%.3d|%8.3d|%-8.3d|", v[i], v[i], v[i], v[i], v[i],
		     v[i], v[i], v[i]);
		SAME("%#x|%#o|%#X|%#08x|%.0d|%.0x", v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("%hhd|%hd|%hhu|%hx", v[i], v[i], v[i], v[i]);
	}
}

HOST_TEST(long_and_size)
{
	SAME("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
	SAME("%lld %llu %llx %llX", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL,
	     0xfedcba9876543210ULL);
	SAME("%zu %zd %td %jd", (size_t)-1, (ssize_t)-5, (ptrdiff_t)-7, (intmax_t)-9);
	SAME("%#018llx|%-20llu|", 0x1234ULL, 77ULL);
}

HOST_TEST(strings_and_chars)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%10.2s] [%c] [%3c] [%-3c]", "abc", "abc", "abc",
	     "abc", "abc", 'x', 'y', 'z');
	SAME("%% literal %%");
	SAME("%*d|%-*d|%.*s|%*s", 6, 12, 6, 12, 2, "abcdef", -6, "ab");
}

HOST_TEST(pointers)
{
	char a[64];

	k_snprintf(a, sizeof(a), "%p", (void *)0x1234);
	CHECK_STREQ(a, sizeof(void *) == 8 ? "0x0000000000001234" : "0x00001234");
}

HOST_TEST(truncation)
{
	char a[8];
	int n = k_snprintf(a, sizeof(a), "%s-%d", "abcdef", 12345);

	CHECK(n == 12);
	CHECK_STREQ(a, "abcdef-");
	n = k_snprintf(a, 1, "xyz");
	CHECK(n == 3);
	CHECK(a[0] == '\0');
	n = k_snprintf(NULL, 0, "%d", 1000);
	CHECK(n == 4);
}
