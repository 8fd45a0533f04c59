/*
 * x86 boot, after {32,64}/head.S: descriptor tables first (so a fault
 * is reported rather than a triple fault), then the machine description
 * from the multiboot information and what must never be handed out (the
 * image, the loader's data, the BIOS's low memory, the SMP trampoline),
 * then the rest of the boot page tables and the firmware's tables of
 * CPUs and interrupts, then the core.
 */
#define pr_fmt(fmt) "boot: " fmt

#include <arch/boot.h>
#include <arch/mmu.h>
#include <asm/desc.h>
#include <kernel/printk.h>
#include "internal.h"

#define BDA_EBDA_SEGMENT	0x40e	/* BIOS data area: the EBDA's segment */
#define LOW_MEMORY_END		0xa0000	/* VGA memory and ROMs from here to 1 MiB */

extern char __image_start[], _end[];

static struct boot_info info;

/*
 * Page 0 holds the real-mode interrupt vectors and the BIOS data area,
 * and physical address 0 is what pt_page_alloc() returns for "none".
 * The extended BIOS data area and everything from the VGA memory to
 * 1 MiB belong to the firmware, whatever a loader reports.  The rest of
 * the low 640 KiB is ordinary RAM (docs/x86.md).
 */
uint64_t
x86_ebda_base(void)
{
	uint16_t seg = *(const volatile uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT);
	uint64_t ebda = (uint64_t)seg << 4;

	return ebda < 0x80000 || ebda >= LOW_MEMORY_END ? 0 : ebda;	/* none, or not believable */
}

static void
reserve_low_memory(struct boot_info *bi)
{
	uint64_t ebda = x86_ebda_base();

	boot_mem_reserve(bi, 0, PAGE_SIZE, "real-mode IVT and BIOS data area");
	if (!ebda)
		ebda = LOW_MEMORY_END;
	boot_mem_reserve(bi, ebda, 0x100000 - ebda, "EBDA, VGA memory and BIOS ROMs");
}

__noreturn void
x86_boot(uint32_t magic, uintptr_t mbi)
{
	x86_desc_init();
	x86_cpu_identify();
	x86_cpu_setup();
#ifdef CONFIG_THREADS
	x86_fp_init();
#endif
	info.machine = x86_board_name();
	if (multiboot_parse(magic, mbi, &info) && *multiboot_image_name())
		pr_info("image %s\n", multiboot_image_name());
	if (info.initrd_size)
		pr_info("initrd at %#llx, %llu bytes\n", (unsigned long long)info.initrd_base,
			(unsigned long long)info.initrd_size);
	boot_mem_reserve(&info, virt_to_phys(__image_start),
			 (uint64_t)(_end - __image_start), "kernel image");
	reserve_low_memory(&info);
#ifdef CONFIG_SMP
	x86_trampoline_reserve(&info);		/* before anything else takes low memory */
#endif
	x86_mmu_early(&info);
	x86_firmware_scan(&info);		/* the boot linear map still covers the tables */
	kernel_main(&info);
}
