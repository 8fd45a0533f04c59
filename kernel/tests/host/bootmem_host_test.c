/*
 * kernel/bootmem.c: what firmware memory maps look like after the core
 * cleaned them: sorted, trimmed to pages, overlaps merged, bad entries
 * (zero-sized, wrapping, too many) refused.
 */
#include <stdint.h>
#include <string.h>
#include "host_test.h"

#include <arch/boot.h>

HOST_TEST(normalize_sorts_trims_merges)
{
	struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	boot_mem_add(&bi, 0x80000000, 0x10000000);
	boot_mem_add(&bi, 0x40000100, 0x1000000);		/* unaligned start */
	boot_mem_add(&bi, 0x40800000, 0x1000000);		/* overlaps the one above */
	boot_mem_add(&bi, 0x90000000, 0x1000);			/* touches the first */
	boot_mem_add(&bi, 0x10000000, 0);			/* zero: refused */
	boot_mem_add(&bi, ~0ULL - 0xfff, 0x2000);		/* wraps: refused */
	boot_mem_add(&bi, 0x20000000, 0x800);			/* less than a page */
	CHECK(bi.nr_mem == 5);
	boot_mem_normalize(&bi, 0x1000);
	CHECK(bi.nr_mem == 2);
	CHECK(bi.mem[0].base == 0x40001000);
	CHECK(bi.mem[0].base + bi.mem[0].size == 0x41800000);
	CHECK(bi.mem[1].base == 0x80000000);
	CHECK(bi.mem[1].size == 0x10001000);
}

HOST_TEST(reserve_sorted_and_clamped)
{
	struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	boot_mem_reserve(&bi, 0x5000, 0x100, "b");
	boot_mem_reserve(&bi, 0x1000, 0x100, "a");
	boot_mem_reserve(&bi, ~0ULL - 0x10, 0x100, "wraps");	/* clamped */
	boot_mem_reserve(&bi, 0x9000, 0, "empty");		/* ignored */
	boot_mem_normalize(&bi, 0x1000);
	CHECK(bi.nr_reserved == 3);
	CHECK(bi.reserved[0].base == 0x1000 && strcmp(bi.reserved[0].what, "a") == 0);
	CHECK(bi.reserved[1].base == 0x5000);
	CHECK(bi.reserved[2].base + bi.reserved[2].size == ~0ULL);
}

HOST_TEST(too_many_ranges)
{
	struct boot_info bi;

	memset(&bi, 0, sizeof(bi));
	for (unsigned int i = 0; i < BOOT_MAX_MEM_REGIONS + 5; i++)
		boot_mem_add(&bi, (uint64_t)i << 24, 0x1000);
	CHECK(bi.nr_mem == BOOT_MAX_MEM_REGIONS);		/* the rest refused, logged */
	memset(&bi, 0, sizeof(bi));
	for (unsigned int i = 0; i < BOOT_MAX_RESERVED; i++)
		boot_mem_reserve(&bi, (uint64_t)i << 24, 0x1000, "r");
	/* One more reservation cannot be honoured: that must stop the boot. */
	CHECK(HOST_EXPECT_PANIC(boot_mem_reserve(&bi, 1ULL << 40, 0x1000, "one too many")));
}
