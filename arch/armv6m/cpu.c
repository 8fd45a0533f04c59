/*
 * ARMv6-M CPU control: halting, leaving QEMU through semihosting, reset
 * through the System Control Block, and the hook through which the
 * SysTick driver supplies the cycle counter.
 */
#include <arch/cpu.h>
#include <kernel/printk.h>
#include "armv6m.h"

#define ADP_STOPPED_APPLICATION_EXIT	0x20026
#define SCB_AIRCR			0xe000ed0cu
#define AIRCR_VECTKEY			(0x05fau << 16)	/* without it the write is ignored */
#define AIRCR_SYSRESETREQ		(1u << 2)

static uint64_t (*cycle_counter)(void);

void
armv6m_set_cycle_counter(uint64_t (*read)(void))
{
	cycle_counter = read;
}

uint64_t
armv6m_cycles(void)
{
	return cycle_counter ? cycle_counter() : 0;
}

__noreturn void
arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cpsid i; dsb; wfi" ::: "memory");
}

/*
 * SYS_EXIT_EXTENDED makes QEMU exit with the given status.  Without a
 * semihosting host the call fails (see armv6m_hardfault()) and we halt.
 */
__noreturn void
arch_poweroff(bool failure)
{
	const uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, failure ? 1 : 0 };

	pr_info("armv6m: stack high-water: main %u of %u bytes, handlers %u of %u\n",
		(unsigned int)armv6m_stack_used(__stack_bottom, __stack_top),
		(unsigned int)(__stack_top - __stack_bottom),
		(unsigned int)armv6m_stack_used(__irq_stack_bottom, __irq_stack_top),
		(unsigned int)(__irq_stack_top - __irq_stack_bottom));
#ifdef CONFIG_ARMV6M_MPU_STACK_GUARD
	armv6m_mpu_guard_off();
#endif
	armv6m_semihost(SYS_EXIT_EXTENDED, block);
	arch_halt();
}

/* No power switch: arch_poweroff() (semihosting, else halt) is all there is. */
void
arch_machine_power_off(void)
{
}

void
arch_machine_restart(void)
{
	__asm__ __volatile__("dsb" ::: "memory");
	*(volatile uint32_t *)SCB_AIRCR = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
	__asm__ __volatile__("dsb" ::: "memory");
	for (int i = 0; i < 1000000; i++)	/* the reset takes a moment */
		__asm__ __volatile__("nop");
}
