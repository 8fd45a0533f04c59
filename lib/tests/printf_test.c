/* In-kernel tests of the formatter behind printk. */
#include <string.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>

#define EXPECT_FMT(want, ...) do {					\
	char buf_[96];							\
	int n_ = snprintf(buf_, sizeof(buf_), __VA_ARGS__);		\
	KEXPECT_STREQ(buf_, want);					\
	KEXPECT_EQ(n_, (int)strlen(want));				\
} while (0)

KTEST(printf, integers)
{
	EXPECT_FMT("0 -1 42 4294967295", "%d %d %i %u", 0, -1, 42, 4294967295u);
	EXPECT_FMT("ff FF 0xff 377 0377", "%x %X %#x %o %#o", 255, 255, 255, 255, 255);
	EXPECT_FMT("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	EXPECT_FMT("18446744073709551615", "%llu", ~0ULL);
	EXPECT_FMT("ffffffffffffffff", "%llx", ~0ULL);
	EXPECT_FMT("-32768 200", "%hd %hhu", (short)-32768, (unsigned char)200);
}

KTEST(printf, width_and_flags)
{
	EXPECT_FMT("[   42][42   ][00042][+42][ 42]", "[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
	EXPECT_FMT("[  007][-007][0x002a]", "[%5.3d][%04d][%#06x]", 7, -7, 42);
	EXPECT_FMT("[    ab][ab    ][a]", "[%6s][%-6s][%.1s]", "ab", "ab", "abc");
	EXPECT_FMT("[   12][xy]", "[%*d][%.*s]", 5, 12, 2, "xyz");
	EXPECT_FMT("100%", "%d%%", 100);
}

KTEST(printf, pointers_and_null)
{
	char want[24];
	const char *volatile null_str = NULL;	/* hidden from the format checker */

	EXPECT_FMT("(null)", "%s", null_str);
	if (sizeof(void *) == 8)
		strlcpy(want, "0x00000000deadbee0", sizeof(want));
	else
		strlcpy(want, "0xdeadbee0", sizeof(want));
	EXPECT_FMT(want, "%p", (void *)(uintptr_t)0xdeadbee0u);
}

KTEST(printf, truncation)
{
	char buf[6];
	int n = snprintf(buf, sizeof(buf), "%s", "kernel");

	KEXPECT_EQ(n, 6);
	KEXPECT_STREQ(buf, "kerne");
	KEXPECT_EQ(snprintf(NULL, 0, "%d", 12345), 5);
}
