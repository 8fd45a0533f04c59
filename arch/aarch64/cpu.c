/*
 * AArch64 CPU control: halting, and power off and reset through PSCI
 * SYSTEM_OFF and SYSTEM_RESET.
 */
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

void
arch_machine_power_off(void)
{
	psci_system_off();
}

void
arch_machine_restart(void)
{
	psci_system_reset();
}

bool aarch64_has_rng;

void
arch_random_probe(struct arch_random_caps *caps)
{
	/* ID_AA64ISAR0_EL1.RNDR, bits [63:60]: 1 = RNDR and RNDRRS exist. */
	aarch64_has_rng = (read_sysreg(id_aa64isar0_el1) >> 60) >= 1;
	caps->seed = aarch64_has_rng ? "rndrrs" : NULL;
	caps->rand = aarch64_has_rng ? "rndr" : NULL;
}
