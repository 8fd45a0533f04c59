/*
 * kernel/cmdline.c: word splitting, keys, values, numbers with suffixes;
 * built twice, with CONFIG_MMU (the line is copied) and without (kept).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "host_test.h"

void cmdline_init(const char *);
const char *cmdline_get(void);
int cmdline_find(const char *, const char *, char *, size_t);
int cmdline_u64(const char *, uint64_t *);
int cmdline_value(const char *, char *, size_t);
bool cmdline_has(const char *);

HOST_TEST(find_values)
{
	char buf[16];
	const char *line = " console=ttyS0  quiet root=/dev/vda1 quiet2=x root=/dev/vdb ";

	CHECK(cmdline_find(line, "console", buf, sizeof(buf)) == 5);
	CHECK_STREQ(buf, "ttyS0");
	CHECK(cmdline_find(line, "quiet", buf, sizeof(buf)) == 0);	/* bare key */
	CHECK(cmdline_find(line, "root", buf, sizeof(buf)) == 8);	/* last wins */
	CHECK_STREQ(buf, "/dev/vdb");
	CHECK(cmdline_find(line, "roo", buf, sizeof(buf)) < 0);	/* no prefixes */
	CHECK(cmdline_find(line, "missing", buf, sizeof(buf)) < 0);
	CHECK(cmdline_find(line, "console", buf, 3) == 5);		/* truncated */
	CHECK_STREQ(buf, "tt");
	CHECK(cmdline_find("", "a", buf, sizeof(buf)) < 0);
}

HOST_TEST(numbers)
{
	uint64_t v = 0;

	cmdline_init("a=128M b=0x10 c=1G d=12x e= f=4k g");
	CHECK(cmdline_u64("a", &v) == 0 && v == 128ull << 20);
	CHECK(cmdline_u64("b", &v) == 0 && v == 16);
	CHECK(cmdline_u64("c", &v) == 0 && v == 1ull << 30);
	CHECK(cmdline_u64("d", &v) < 0);
	CHECK(cmdline_u64("e", &v) < 0);
	CHECK(cmdline_u64("f", &v) == 0 && v == 4096);
	CHECK(cmdline_u64("g", &v) < 0);
	CHECK(cmdline_u64("h", &v) < 0);
}

HOST_TEST(default_when_empty)
{
	cmdline_init("");
	CHECK_STREQ(cmdline_get(), "default=1");
	cmdline_init(NULL);
	CHECK_STREQ(cmdline_get(), "default=1");
}

HOST_TEST(copied_with_an_mmu_kept_without)
{
	static char line[600];

	memset(line, 'x', sizeof(line) - 1);
	memcpy(line, "k=1 ", 4);
	cmdline_init(line);
#ifdef CONFIG_MMU
	/* The loader's memory goes back to the allocator: a copy, cut at 511. */
	CHECK(cmdline_get() != line);
	CHECK(strlen(cmdline_get()) == 511);
	line[0] = 'j';
	CHECK(cmdline_has("k"));
#else
	/* In flash, or reserved for good: no copy in static RAM. */
	CHECK(cmdline_get() == line);
	CHECK(cmdline_has("k"));
#endif
}
