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
 *
 * With ARCH_HAS_WAIT_MASKED (Kconfig), also:
 *   void arch_wait_for_irq_masked(void)    called with interrupts masked:
 *                                          sleep until one is pending and
 *                                          return without taking it (WFI)
 *
 * Where the CPU itself says whether it runs an exception handler (ARMv6-M's
 * IPSR), ARCH_HAS_IN_HANDLER and:
 *   bool arch_in_handler(void)             true in any handler, interrupt or
 *                                          fault: the core then keeps no
 *                                          nesting count (in_irq()); only
 *                                          with ARCH_CONTEXT_SWITCH_DEFERRED,
 *                                          whose exception waits for the
 *                                          outermost handler by itself
 *
 * With CONFIG_IRQ_VECTORED (one vector per line of the root interrupt
 * controller, each entering irq_handle_line() directly):
 *   unsigned int arch_irq_vector_line(void)
 *                                          in that handler: the root
 *                                          chip's line it was entered for
 *
 * Where the CPU may have random-number instructions, ARCH_HAS_RANDOM and:
 *   bool arch_get_random_seed_long(unsigned long *v)
 *                                          a word from the hardware entropy
 *                                          source, conditioned but not
 *                                          stretched (RDSEED, RNDRRS)
 *   bool arch_get_random_long(unsigned long *v)
 *                                          a word of the hardware's DRBG
 *                                          output (RDRAND, RNDR)
 * Both retry as the vendor recommends, then return false (also before
 * arch_random_probe() and on CPUs without the instructions).  Without
 * ARCH_HAS_RANDOM this header supplies versions that always fail.
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
 * The machine's own ways to turn itself off and to reset, for reboot(2)
 * (kernel/reboot.c calls them with interrupts masked and the other CPUs
 * stopped): PSCI SYSTEM_OFF and SYSTEM_RESET, ACPI S5 and the ACPI
 * reset register, and so on.  Each returns only when nothing worked; the
 * core then falls back to arch_poweroff() or arch_halt().  Unlike
 * arch_poweroff(), these carry no status for test runners.
 */
void arch_machine_power_off(void);
void arch_machine_restart(void);

/*
 * Execute an undefined instruction.  The instruction has an exception-table
 * entry, so a trap handler that accepts it (see trap_expect()) resumes
 * right after it; otherwise the report is fatal.  Used by the tests that
 * prove exceptions are caught and decoded.
 */
void arch_trigger_undefined(void);

/* The random-number instructions found, by name (NULL: none). */
struct arch_random_caps {
	const char *seed;		/* behind arch_get_random_seed_long() */
	const char *rand;		/* behind arch_get_random_long() */
};

#ifdef ARCH_HAS_RANDOM
/*
 * Look for the instructions on this CPU (the boot CPU, once; the others
 * are assumed to match it) and enable the calls above.
 */
void arch_random_probe(struct arch_random_caps *caps);
#else
static inline bool
arch_get_random_seed_long(unsigned long *v)
{
	(void)v;
	return false;
}

static inline bool
arch_get_random_long(unsigned long *v)
{
	(void)v;
	return false;
}

static inline void
arch_random_probe(struct arch_random_caps *caps)
{
	caps->seed = caps->rand = NULL;
}
#endif

struct seqbuf;

/*
 * /proc/cpuinfo's entry for the online CPU cpu, in Linux's format for
 * the architecture, with the blank line that ends it (MMU ports, for
 * CONFIG_PROCFS).  Called from a thread; may run code on that CPU.
 */
void arch_cpuinfo_show(struct seqbuf *out, unsigned int cpu);

#endif
