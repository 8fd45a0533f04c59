/*
 * For the AArch64 tests that use one CPU's state (TTBR0, SP_EL0, the
 * FP/SIMD registers): keep the test thread on one CPU meanwhile.
 */
#ifndef AARCH64_TESTS_KTEST_CPU_H
#define AARCH64_TESTS_KTEST_CPU_H

#include <kernel/cpu.h>
#include <kernel/thread.h>

/* Stay on the CPU we run on now; returns the affinity to restore. */
static inline cpumask_t
ktest_pin_here(void)
{
	struct thread *me = thread_current();
	cpumask_t old = me->affinity;
	unsigned long flags = arch_irq_save();
	unsigned int cpu = cpu_id();

	arch_irq_restore(flags);
	thread_set_affinity(me, cpumask_of(cpu));
	return old;
}

static inline void
ktest_unpin(cpumask_t old)
{
	thread_set_affinity(thread_current(), old);
}

/* The highest-numbered online CPU (a secondary one when there is any). */
static inline unsigned int
ktest_last_cpu(void)
{
	cpumask_t online = cpus_online();

	return online ? 8 * sizeof(online) - 1 - (unsigned int)__builtin_clzl(online) : 0;
}

#endif
