/* AArch64 CPU control: halting, and power off through PSCI SYSTEM_OFF. */
#include <arch/cpu.h>
#include "psci.h"

__noreturn void
arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("msr daifset, #0xf; wfi" ::: "memory");
}

__noreturn void
arch_poweroff(bool failure)
{
	(void)failure;		/* PSCI SYSTEM_OFF has no status */
	psci_system_off();
	arch_halt();
}
