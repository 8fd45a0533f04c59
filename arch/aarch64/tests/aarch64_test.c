/* AArch64 boot facts: device tree values match what QEMU was given. */
#include <string.h>
#include <libfdt.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/thread.h>
#include <kernel/cmdline.h>
#include <kernel/device.h>
#include <kernel/irq.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/trap.h>

unsigned int aarch64_entry_el(void);

KTEST(dt, header_valid)
{
	char model[64];
	int err;

	KASSERT(boot_info->fdt != NULL);
	arch_fp_kernel_begin();		/* libfdt */
	err = fdt_check_header(boot_info->fdt);
	arch_fp_kernel_end();
	KEXPECT_EQ(err, 0);
	/* QEMU's own tree, unless the test passes its own (ktest.model=). */
	if (cmdline_value("ktest.model", model, sizeof(model)) < 0)
		strlcpy(model, "linux,dummy-virt", sizeof(model));
	KEXPECT_STREQ(boot_info->machine, model);
}

KTEST(dt, memory_matches_qemu)
{
	uint64_t want, total = 0;

	KASSERT(cmdline_u64("ktest.mem", &want) == 0);
	for (unsigned int i = 0; i < boot_info->nr_mem; i++)
		total += boot_info->mem[i].size;
	KEXPECT_EQ(total, want);
	KEXPECT_EQ(boot_info->mem[0].base, 0x40000000);
}

KTEST(dt, bootargs_passed)
{
	/* QEMU puts -append into /chosen/bootargs. */
	KASSERT(boot_info->cmdline != NULL);
	KEXPECT(strstr(boot_info->cmdline, "ktest.mem=") != NULL);
	KEXPECT_STREQ(cmdline_get(), boot_info->cmdline);
}

KTEST(dt, devices_from_tree)
{
	const struct device *uart = device_find("arm,pl011");
	const struct device *timer = device_find("arm,armv8-timer");

	KASSERT(uart != NULL);
	KEXPECT_EQ(uart->reg[0].start, 0x09000000);
	KEXPECT_EQ(uart->state, DEVICE_BOUND);
	KEXPECT(device_is_console(uart));
	KASSERT(timer != NULL);
	KEXPECT_EQ(timer->state, DEVICE_BOUND);
	/* The virtual timer is PPI 11: INTID 27 on the root GIC. */
	KEXPECT_EQ(device_irq(timer, 2), 27);
}

KTEST(aarch64, exception_level)
{
	uint64_t el = 1;

	KEXPECT_EQ(read_sysreg(CurrentEL) >> 2, 1);
	cmdline_u64("ktest.el", &el);
	KEXPECT_EQ(aarch64_entry_el(), el);
}

KTEST(aarch64, gic_version_from_dt)
{
	const struct irq_chip *root = irq_root_chip();
	bool v3;

	arch_fp_kernel_begin();		/* libfdt */
	v3 = fdt_node_offset_by_compatible(boot_info->fdt, -1, "arm,gic-v3") >= 0;
	arch_fp_kernel_end();

	KASSERT(root != NULL);
	KEXPECT_STREQ(root->ops->name, v3 ? "gic-v3" : "gic-v2");
}

uint64_t aarch64_test_load(uintptr_t addr);

KTEST(aarch64, data_abort_decoded)
{
	/* In neither half of the 48-bit address space: no table translates it. */
	const uintptr_t bad = 0x0001000000000000UL;
	struct trap_report r;

	trap_expect(TRAP_DATA_ABORT);
	aarch64_test_load(bad);
	KASSERT(trap_expect_end(&r));
	KEXPECT(r.addr_valid);
	KEXPECT_EQ(r.addr, bad);
	KEXPECT_EQ(r.code >> 26, 0x25);		/* EC: data abort, current EL */
	KEXPECT(strstr(r.detail, "translation fault, level 0") != NULL);
	KEXPECT(strstr(r.detail, "read") != NULL);
}

/* The image, the DTB and the page structures are kept from the allocator. */
KTEST(dt, image_and_dtb_reserved)
{
	extern char _start[], _end[];
	uint64_t image = virt_to_phys(_start), dtb = virt_to_phys(boot_info->fdt);
	bool image_seen = false, dtb_seen = false;

	for (unsigned int i = 0; i < boot_info->nr_reserved; i++) {
		const struct mem_region *r = &boot_info->reserved[i];

		if (r->base <= image && r->base + r->size >= image + (uint64_t)(_end - _start))
			image_seen = true;
		if (r->base <= dtb && r->base + r->size >= dtb + fdt_totalsize(boot_info->fdt))
			dtb_seen = true;
	}
	KEXPECT(image_seen);
	KEXPECT(dtb_seen);
	/* And the allocator agrees: their frames are not free. */
	KEXPECT(pfn_to_page(image >> PAGE_SHIFT) != NULL);
	KEXPECT(!(pfn_to_page(image >> PAGE_SHIFT)->flags & PG_BUDDY));
}
