/*
 * The "host port" half of <arch/cpu.h>, for host unit tests of core code:
 * one CPU, interrupts modelled by a flag the tests can inspect.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <stdbool.h>
#include <stdint.h>

extern bool host_irqs_on;
/* Where the idle thread waits, the scheduler tests deliver a tick (host_port.c). */
void host_wait_for_irq(void);

static inline unsigned long arch_irq_save(void)
{
	unsigned long old = host_irqs_on;

	host_irqs_on = false;
	return old;
}
static inline void arch_irq_restore(unsigned long f) { host_irqs_on = f; }
static inline void arch_irq_enable(void) { host_irqs_on = true; }
static inline void arch_irq_disable(void) { host_irqs_on = false; }
static inline bool arch_irqs_enabled(void) { return host_irqs_on; }
static inline void arch_wait_for_irq(void) { host_wait_for_irq(); }
static inline uint64_t arch_cycles(void) { return 0; }
static inline void arch_cpu_relax(void) { }
#define mb()	__sync_synchronize()
#define rmb()	__sync_synchronize()
#define wmb()	__sync_synchronize()
#define smp_mb()	__sync_synchronize()
#define smp_rmb()	__sync_synchronize()
#define smp_wmb()	__sync_synchronize()

#endif
