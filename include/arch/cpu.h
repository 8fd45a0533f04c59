/*
 * HAL contract, CPU: what every port provides about the processor.
 *
 * The port's <asm/cpu.h> defines, inline:
 *   unsigned long arch_irq_save(void)       mask interrupts, return old state
 *   void arch_irq_restore(unsigned long)    restore a state from arch_irq_save
 *   void arch_irq_enable(void), arch_irq_disable(void)
 *   bool arch_irqs_enabled(void)
 *   void arch_wait_for_irq(void)           sleep until an interrupt is pending
 *                                          (called with interrupts enabled)
 *   uint64_t arch_cycles(void)             a free-running counter for
 *                                          benchmarks (cycles or timer ticks)
 *   void arch_cpu_relax(void)              a hint inside spin-wait loops
 *                                          (YIELD, PAUSE)
 *   mb(), rmb(), wmb()                     full, read and write barriers
 *                                          (also ordering device accesses)
 *   smp_mb(), smp_rmb(), smp_wmb()         barriers between CPUs only
 *
 * With CONFIG_SMP, also:
 *   struct cpu *arch_this_cpu(void)        this CPU's struct cpu, from the
 *                                          per-CPU register (<kernel/cpu.h>)
 *   ARCH_HAS_PERCPU_LOAD and
 *   uintptr_t arch_percpu_load_ptr(off)    where one instruction can load
 *                                          the word at offset off of this
 *                                          CPU's struct cpu (x86 segment
 *                                          bases): no interrupt splits it
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <asm/cpu.h>

/* Stop this CPU for good, interrupts masked. */
__noreturn void arch_halt(void);

/*
 * Leave the machine: QEMU exits (PSCI SYSTEM_OFF, isa-debug-exit,
 * semihosting).  failure selects the exit status where the port can
 * express one.  Falls back to arch_halt() on hardware that cannot.
 */
__noreturn void arch_poweroff(bool failure);

/*
 * Execute an undefined instruction.  The instruction has an exception-table
 * entry, so a trap handler that accepts it (see trap_expect()) resumes
 * right after it; otherwise the report is fatal.  Used by the tests that
 * prove exceptions are caught and decoded.
 */
void arch_trigger_undefined(void);

struct seqbuf;

/*
 * /proc/cpuinfo's entry for the online CPU cpu, in Linux's format for
 * the architecture, with the blank line that ends it (MMU ports, for
 * CONFIG_PROCFS).  Called from a thread; may run code on that CPU.
 */
void arch_cpuinfo_show(struct seqbuf *out, unsigned int cpu);

#endif
