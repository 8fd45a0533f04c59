/*
 * HAL contract, SMP (ports that select ARCH_HAS_SMP, in CONFIG_SMP
 * builds): finding the CPUs the firmware describes and starting them.
 * Interrupts between CPUs go through the interrupt controller's driver
 * (struct irq_chip's send_ipi, <kernel/irq.h>); the per-CPU register is
 * <arch/cpu.h>'s arch_this_cpu().
 *
 * Bring-up, as kernel/smp.c drives it on the boot CPU:
 *   1. arch_smp_enumerate() lists the CPUs' hardware IDs, the boot CPU
 *      first.
 *   2. For each other CPU the core sets up cpus[n] (id, hwid, self) and
 *      an idle thread, then calls arch_cpu_start(n, stack_top).
 *   3. The port wakes the CPU (PSCI CPU_ON, spin-table release, INIT-SIPI-
 *      SIPI), takes it to the kernel's page tables at EL1 / in the
 *      kernel's long or protected mode, installs the exception vectors
 *      and its per-CPU exception stacks and descriptor tables, points the
 *      per-CPU register at &cpus[n], sets the stack pointer to stack_top
 *      (the idle thread's stack) with interrupts masked, and calls
 *      smp_secondary_main(), which never returns.
 *   4. The core waits (bounded) for the CPU to mark itself online; a CPU
 *      that does not is reported and skipped, and if it arrives later it
 *      parks itself (smp_secondary_main() checks).
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <kernel/types.h>

/*
 * Fill hwids[0..max-1] with the hardware IDs of the CPUs the firmware
 * describes (MPIDR affinity fields on AArch64, local APIC IDs on x86),
 * the boot CPU's at index 0, and return how many CPUs were described
 * (which may exceed max; only max are stored).  0 means the firmware said
 * nothing: the core then runs on the boot CPU alone.
 */
unsigned int arch_smp_enumerate(uint64_t *hwids, unsigned int max);

/* The hardware ID of the CPU running this (what arch_smp_enumerate() lists). */
uint64_t arch_cpu_hwid(void);

/*
 * Start logical CPU cpu (cpus[cpu].hwid) on stack_top, as above.  Returns
 * once the CPU was told to start: 0, or -errno when the firmware refused
 * (a reason the core prints).
 */
int arch_cpu_start(unsigned int cpu, void *stack_top);

/* Entered by each secondary CPU (kernel/smp.c). */
__attribute__((noreturn)) void smp_secondary_main(void);

#endif
