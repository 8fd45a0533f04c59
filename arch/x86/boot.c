/*
 * x86 boot, after {32,64}/head.S: descriptor tables first (so a fault
 * is reported rather than a triple fault), then the machine description
 * from the multiboot information, then the core.
 */
#define pr_fmt(fmt) "boot: " fmt

#include <arch/boot.h>
#include <asm/desc.h>
#include <kernel/printk.h>
#include "internal.h"

static struct boot_info info;

__noreturn void
x86_boot(uint32_t magic, uintptr_t mbi)
{
	x86_desc_init();
	x86_cpu_identify();
	info.machine = x86_board_name();
	if (multiboot_parse(magic, mbi, &info) && *multiboot_image_name())
		pr_info("image %s\n", multiboot_image_name());
	if (info.initrd_size)
		pr_info("initrd at %#llx, %llu bytes\n", (unsigned long long)info.initrd_base,
			(unsigned long long)info.initrd_size);
	kernel_main(&info);
}
