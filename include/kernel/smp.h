/*
 * Cross-CPU services: bring-up of the other CPUs, inter-processor
 * interrupts, and running a function on other CPUs.
 *
 * IPIs are sent through the root interrupt controller's send_ipi (GIC
 * SGIs, local APIC fixed interrupts); the controller's handler calls
 * smp_ipi_received() on the target CPU.  In a uniprocessor build (no
 * CONFIG_SMP) the cross calls run the function here and IPIs do nothing.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/cpu.h>
#include <kernel/types.h>

enum ipi {
	IPI_RESCHEDULE,		/* a thread was made ready for this CPU */
	IPI_CALL,		/* run the functions queued for this CPU */
	IPI_STOP,		/* panic elsewhere: stop for good */
	NR_IPIS,
};

typedef void (*smp_call_fn)(void *arg);

#ifdef CONFIG_SMP
/* Start the CPUs the firmware describes; prints "smp: N of M CPUs online". */
void smp_init(void);

/* Send ipi to every CPU in mask (never to the sender: it is dropped). */
void smp_send_ipi(cpumask_t mask, enum ipi ipi);

/* The interrupt controller's handler, on the CPU the IPI reached. */
void smp_ipi_received(enum ipi ipi);

/*
 * Run fn(arg) on every online CPU in mask, in interrupt context there
 * (and directly here, if this CPU is in mask).  With wait, return after
 * every one finished.  May be called with interrupts masked (the wait
 * serves calls aimed at this CPU meanwhile), but not while holding a
 * spinlock another CPU may wait for with interrupts masked.
 */
void smp_call_mask(cpumask_t mask, smp_call_fn fn, void *arg, bool wait);
/* The same on one CPU; -EINVAL when it is not online. */
int smp_call_on(unsigned int cpu, smp_call_fn fn, void *arg, bool wait);

/* panic(): stop every other CPU (bounded wait); returns how many stopped. */
unsigned int smp_stop_others(void);

/* How many IPIs of a kind this CPU received (tests and benchmarks). */
unsigned long smp_ipi_count(unsigned int cpu, enum ipi ipi);
#else
static inline void smp_init(void) { }
static inline void smp_send_ipi(cpumask_t mask, enum ipi ipi) { }
static inline void
smp_call_mask(cpumask_t mask, smp_call_fn fn, void *arg, bool wait)
{
	if (mask & 1) {
		unsigned long flags = arch_irq_save();

		fn(arg);
		arch_irq_restore(flags);
	}
}
static inline int
smp_call_on(unsigned int cpu, smp_call_fn fn, void *arg, bool wait)
{
	if (cpu != 0)
		return -22;		/* -EINVAL */
	smp_call_mask(1, fn, arg, wait);
	return 0;
}
static inline unsigned int smp_stop_others(void) { return 0; }
#endif

/* Every online CPU but this one (call with preemption disabled). */
static inline cpumask_t
cpus_others(void)
{
	return cpus_online() & ~cpumask_of(cpu_id());
}

#endif
