/*
 * ARMv6-M boot: there is no boot loader and no device tree (an RP2040's
 * boot2 only maps its flash).  The board's early hook sets up what its
 * SoC needs (clocks, resets, pins); then the machine is what the board
 * file and the linker script say: the model name, one RAM region (the
 * image's stack, .data and .bss in it reserved: the heap gets the rest),
 * and the devices in board_devices[].  The command line comes through
 * semihosting when a host answers (QEMU passes -append); otherwise
 * CONFIG_CMDLINE applies.
 */
#define pr_fmt(fmt) "armv6m: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include "armv6m.h"

static struct boot_info info;
bool armv6m_core_is_v7m;

static const char *
part_name(uint32_t cpuid)
{
	switch ((cpuid >> 4) & 0xfff) {
	case 0xc20: return "Cortex-M0";
	case 0xc60: return "Cortex-M0+";
	case 0xd20: return "Cortex-M23";
	case 0xc21: return "Cortex-M1";
	case 0xc23: return "Cortex-M3 (ARMv7-M)";
	case 0xc24: return "Cortex-M4 (ARMv7E-M)";
	default: return "unknown M-profile core";
	}
}

size_t
armv6m_stack_used(const char *bottom, const char *stack_top)
{
	const uint32_t *p = (const uint32_t *)(uintptr_t)bottom;
	const uint32_t *top = (const uint32_t *)(uintptr_t)stack_top;

	while (p < top && *p == ARMV6M_STACK_PAINT)
		p++;
	return (size_t)((const char *)top - (const char *)p);
}

/*
 * The command line, from the semihosting host (QEMU passes its -kernel
 * path and -append text; a debugger whatever it was told).  The first word
 * is the image, as argv[0], dropped.  NULL without a host: the call just
 * fails.  The host writes into the first free RAM, the heap's to be, and
 * the bytes the line takes are reserved there for good: a board without
 * a host (most firmware) spends no RAM on a command line.
 */
#define SEMIHOST_CMDLINE_MAX	256

static const char *
semihost_cmdline(void)
{
	char *buf = __bss_end, *args;
	struct {
		char *buf;
		uint32_t len;
	} block = { buf, SEMIHOST_CMDLINE_MAX - 1 };
	size_t len;

	if ((size_t)(__ram_end - __bss_end) < SEMIHOST_CMDLINE_MAX ||
	    armv6m_semihost(SYS_GET_CMDLINE, &block) != 0 || block.len >= SEMIHOST_CMDLINE_MAX)
		return NULL;
	buf[block.len] = '\0';
	args = strchr(buf, ' ');
	if (!args)
		return NULL;
	len = strlen(args + 1) + 1;
	memmove(buf, args + 1, len);
	boot_mem_reserve(&info, (uintptr_t)buf, len, "command line");
	return buf;
}

/* Most boards come out of reset ready to run; an RP2040 board is not. */
__weak void
board_early_init(void)
{
}

__noreturn void
armv6m_boot(void)
{
	uint32_t cpuid, shpr3;

	/* Clocks first: SysTick and the console UART count on them. */
	board_early_init();
	cpuid = mmio_read32(SCB_CPUID);
	shpr3 = mmio_read32(SCB_SHPR3);

	/*
	 * PendSV resets to the highest configurable priority; the context
	 * switch needs it below every interrupt (the NVIC driver keeps this
	 * byte when it sets SysTick's).
	 */
	mmio_write32(SCB_SHPR3, (shpr3 & ~0x00ff0000u) | PRIO_PENDSV << 16);
	/*
	 * An ARMv7-M core (CPUID's architecture field 0xf, ARMv6-M's is 0xc)
	 * runs this port as it is, but would do unaligned word and halfword
	 * accesses that an ARMv6-M core faults on: trap them too, so a board
	 * like the MPS2 catches what would crash a Cortex-M0.
	 */
	armv6m_core_is_v7m = ((cpuid >> 16) & 0xf) == 0xf;
	if (armv6m_core_is_v7m)
		mmio_write32(SCB_CCR, mmio_read32(SCB_CCR) | CCR_UNALIGN_TRP);
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	armv6m_mpu_init();
#endif

	pr_info("%s r%lup%lu, flash %lu bytes used, RAM %lu bytes static + %lu boot stack"
		" + %lu handler stack\n",
		part_name(cpuid), (unsigned long)(cpuid >> 20) & 0xf,
		(unsigned long)cpuid & 0xf,
		(unsigned long)(__image_end - __flash_start),
		(unsigned long)(__bss_end - __data_start),
		(unsigned long)(__stack_top - __stack_bottom),
		(unsigned long)(__irq_stack_top - __irq_stack_bottom));

	info.machine = board_model;
	info.cmdline = semihost_cmdline();
	boot_mem_add(&info, (uintptr_t)__ram_start, (uint64_t)(__ram_end - __ram_start));
	/* mm/heap.c takes what is left: from the end of .bss to the top of RAM. */
	boot_mem_reserve(&info, (uintptr_t)__ram_start, (uint64_t)(__bss_end - __ram_start),
			 "kernel stacks, data and bss");
	kernel_main(&info);
}
