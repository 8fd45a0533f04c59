/*
 * Frame-pointer backtraces (include/kernel/backtrace.h), for the watchdog's
 * reports and for fatal exceptions.  Every MMU port's frame record is the
 * caller's frame pointer, then the return address.
 */
#include <arch/trap.h>
#include <kernel/backtrace.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

void
backtrace_print(const char *prefix, uintptr_t pc, uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
	const int width = (int)(2 * sizeof(long));

	printk(KERN_EMERG "%sCall trace (addr2line -e kernel.elf):\n", prefix);
	printk(KERN_EMERG "%s #0 [<%0*lx>]\n", prefix, width, (unsigned long)pc);
	/* No stack range known: the pc alone. */
	if (hi <= lo || hi - lo < 2 * sizeof(uintptr_t))
		return;
	for (int depth = 1; depth <= 16; depth++) {
		const uintptr_t *frame = (const uintptr_t *)fp;

		if (fp < lo || fp > hi - 2 * sizeof(uintptr_t) || (fp & (sizeof(uintptr_t) - 1)))
			break;
		if (!frame[1])
			break;
		printk(KERN_EMERG "%s #%d [<%0*lx>]\n", prefix, depth, width,
		       (unsigned long)frame[1]);
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
}

void
backtrace_regs(const char *prefix, const struct arch_regs *regs)
{
	struct thread *t = thread_current();
	uintptr_t hi = t ? (uintptr_t)thread_stack_top(t) : 0;
	uintptr_t lo = t ? hi - thread_stack_size(t) : 0;

	backtrace_print(prefix, arch_regs_pc(regs), arch_regs_fp(regs), lo, hi);
}
