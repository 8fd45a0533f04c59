/* The boot command line as the kernel parsed it. */
#include <string.h>
#include <arch/boot.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>

KTEST(cmdline, parse_words)
{
	char buf[16];

	KEXPECT_EQ(cmdline_find("a=1 bb=22 c", "bb", buf, sizeof(buf)), 2);
	KEXPECT_STREQ(buf, "22");
	KEXPECT_EQ(cmdline_find("a=1 bb=22 c", "c", buf, sizeof(buf)), 0);
	KEXPECT_EQ(cmdline_find("a=1 bb=22 c", "b", buf, sizeof(buf)), -ENOENT);
}

KTEST(cmdline, boot_arguments_arrived)
{
	uint64_t mem;

	if (!boot_info->cmdline)
		KTEST_SKIP("this board's boot loader passes no command line");
	/* The test runner passes ktest.mem=<size of -m> wherever it can. */
	KEXPECT_STREQ(cmdline_get(), boot_info->cmdline);
	KEXPECT_EQ(cmdline_u64("ktest.mem", &mem), 0);
	KEXPECT(mem >= 16 * 1024);
}
