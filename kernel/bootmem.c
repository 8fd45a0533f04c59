/*
 * The usable-memory list ports build while they read the firmware's
 * description (device tree, multiboot map, board table).  Bad entries are
 * refused here with a message, the same way on every port.
 */
#define pr_fmt(fmt) "memory: " fmt

#include <arch/boot.h>
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
