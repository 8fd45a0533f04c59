/*
 * The usable-memory list ports build while they read the firmware's
 * description (device tree, multiboot map, board table).  Bad entries are
 * refused here with a message, the same way on every port.
 */
#define pr_fmt(fmt) "memory: " fmt

#include <arch/boot.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

void
boot_mem_add(struct boot_info *bi, uint64_t base, uint64_t size)
{
	if (size == 0)
		return;
	if (base + size < base) {
		pr_warn("range at %#llx wraps around, ignored\n", (unsigned long long)base);
		return;
	}
	if (bi->nr_mem == BOOT_MAX_MEM_REGIONS) {
		pr_warn("more than %d ranges, %#llx ignored\n", BOOT_MAX_MEM_REGIONS,
			(unsigned long long)base);
		return;
	}
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->nr_mem++;
}

void
boot_mem_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *what)
{
	if (size == 0)
		return;
	if (base + size < base)
		size = ~0ULL - base;	/* up to the end of the address space */
	/* Handing out a range someone owns would corrupt it: stop instead. */
	if (bi->nr_reserved == BOOT_MAX_RESERVED)
		panic("more than %d reserved memory ranges: cannot reserve %#llx (%s)",
		      BOOT_MAX_RESERVED, (unsigned long long)base, what);
	bi->reserved[bi->nr_reserved].base = base;
	bi->reserved[bi->nr_reserved].size = size;
	bi->reserved[bi->nr_reserved].what = what;
	bi->nr_reserved++;
}
