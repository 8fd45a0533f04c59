/*
 * The CPU table: every processor's struct cpu, which CPUs are online and
 * how many the firmware described.  The boot CPU is cpus[0]; its per-CPU
 * register is set by the port's entry code before any C runs.
 */
#include <kernel/cpu.h>
#include <kernel/thread.h>
#include "sched_internal.h"

/*
 * The thread the boot CPU starts in, current from its first instruction
 * (so on one CPU thread_current() is never NULL); sched_init() makes it
 * a full thread, "main".  Zeroed (.bss) until then.
 */
struct thread boot_thread;

struct cpu cpus[NR_CPUS] = {
	[0] = { .self = &cpus[0], .current = &boot_thread, .id = 0, .online = true },
};

/* Bits only ever set, each by its CPU as it comes up (atomic OR). */
volatile cpumask_t cpu_online_mask = 1;
unsigned int nr_cpus_described = 1;

#if defined(CONFIG_SMP) && !defined(ARCH_HAS_IN_HANDLER)
bool
in_irq(void)
{
	unsigned long flags = arch_irq_save();	/* no migration between the loads */
	bool irq = this_cpu()->irq_depth > 0;

	arch_irq_restore(flags);
	return irq;
}
#endif

_Static_assert(__builtin_offsetof(struct cpu, self) == CPU_OFFSET_SELF, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, current) == CPU_OFFSET_CURRENT, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, id) == CPU_OFFSET_ID, "entry code");
#if __SIZEOF_POINTER__ == 8 && defined(CONFIG_PROCESSES)
_Static_assert(__builtin_offsetof(struct cpu, entry_scratch) == CPU_OFFSET_ENTRY_SCRATCH, "entry code");
_Static_assert(__builtin_offsetof(struct cpu, entry_stack) == CPU_OFFSET_ENTRY_STACK, "entry code");
#endif
