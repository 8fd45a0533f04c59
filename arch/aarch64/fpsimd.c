/*
 * FP/SIMD ownership (<arch/thread.h>): eager switching for the threads
 * that own FP state, and the brackets around kernel code that uses the
 * registers (Debian's libfdt.a).  The live registers are only ever the
 * state of the running thread, if it owns any: the switch saves an
 * owner's registers whenever it leaves the CPU, so code running for a
 * thread that owns none may clobber them freely.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/thread.h>
#include <kernel/cpu.h>
#include <kernel/thread.h>

/*
 * How deep this CPU is in arch_fp_kernel_begin(): the contract forbids
 * nesting, but a nested pair costs nothing this way.  Each CPU touches
 * only its own entry, with preemption disabled.
 */
static unsigned int kernel_fp_depth[NR_CPUS];

void
arch_thread_fp_own(struct arch_thread *t)
{
	unsigned long flags = arch_irq_save();
	struct thread *me = thread_current();

	memset(&t->fp, 0, sizeof(t->fp));	/* reset values: all zero */
	if (me && t == &me->arch)
		aarch64_fpsimd_load(&t->fp);	/* running: the registers too */
	t->fp_owned = 1;
	arch_irq_restore(flags);
}

void
arch_fp_kernel_begin(void)
{
	struct thread *me;

	preempt_disable();
	if (kernel_fp_depth[cpu_id()]++)
		return;
	me = thread_current();
	if (me && me->arch.fp_owned)
		aarch64_fpsimd_save(&me->arch.fp);
}

void
arch_fp_kernel_end(void)
{
	struct thread *me;

	if (--kernel_fp_depth[cpu_id()] == 0) {
		me = thread_current();
		if (me && me->arch.fp_owned)
			aarch64_fpsimd_load(&me->arch.fp);
	}
	preempt_enable();
}
