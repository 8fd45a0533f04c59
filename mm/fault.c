/*
 * Kernel-mode page faults, after the port has decoded them.  A fault in a
 * user-copy routine (it has an exception-table entry) is resolved as the
 * user's own access would be (mm_fault(), mm/user_fault.c: demand paging,
 * copy-on-write, stack growth); any other is named in kernel terms (NULL
 * pointer, stack overflow and whose stack, write to read-only kernel
 * data ...) and reported, fatal unless a test expects it.  Faults from
 * user mode go to user_fault() (kernel/entry.c).
 */
#include <kernel/cpu.h>
#include <kernel/printk.h>
#include <kernel/trap.h>
#include <kernel/vm.h>
#ifdef CONFIG_PROCESSES
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/mman.h>
#include <kernel/thread.h>
#endif

/* The report's text, one per CPU: faults on two CPUs must not share it. */
static char fault_detail[NR_CPUS][192];

static bool
within(vaddr_t a, const char *start, const char *end)
{
	return a >= (vaddr_t)start && a < (vaddr_t)end;
}

static const char *
kernel_cause(const struct page_fault *pf, const struct kstack **stack)
{
	*stack = kstack_guard_hit(pf->addr);
	if (*stack)
		return "kernel stack overflow";
	if (pf->addr < PAGE_SIZE)
		return "NULL pointer dereference";
	if (pf->write && within(pf->addr, __text_start, __text_end))
		return "write to kernel text (read-only)";
	if (pf->write && within(pf->addr, __rodata_start, __rodata_end))
		return "write to kernel read-only data";
	if (pf->exec && !within(pf->addr, __text_start, __text_end))
		return "execution of non-executable memory";
	if (pf->pan)
		return "kernel access to user memory outside the user-copy routines (PAN/SMAP)";
	if (pf->addr >= USER_TOP && !pf->protection)
		return "access to unmapped kernel address";
	if (pf->addr < USER_TOP)
		return "kernel access to user address";
	return "protection violation";
}

#ifdef CONFIG_PROCESSES
/*
 * The kernel touched user memory in a user-copy routine (it has an
 * exception-table entry): page it in as the user's own access would.
 * True when resolved; otherwise the fixup makes the copy stop short.
 */
static bool
user_copy_fault(const struct page_fault *pf, const struct trap_report *r, struct arch_regs *regs)
{
	struct thread *t = thread_current();
	bool irqs = arch_regs_irqs_enabled(regs);
	int si_code, err;

	if (pf->pan || pf->addr >= USER_TOP || !t || !t->mm || !extable_fixup(r->pc))
		return false;
	if (t->pagefault_disabled)
		return false;		/* the caller holds a spinlock: the copy fails, it retries */
	/* The copy ran with interrupts on: so does the fault (it may sleep and read files). */
	if (irqs)
		arch_irq_enable();
	err = mm_fault(t->mm, pf->addr, pf->write, false, &si_code);
	if (irqs)
		arch_irq_disable();
	return err == 0;
}
#endif

void
mm_page_fault(const struct page_fault *pf, struct trap_report *r, struct arch_regs *regs)
{
	const struct kstack *stack = NULL;
	char *detail;
	const size_t size = sizeof(fault_detail[0]);
	const char *cause;

#ifdef CONFIG_PROCESSES
	if (!pf->user && user_copy_fault(pf, r, regs))
		return;
#endif
	detail = fault_detail[cpu_id()];	/* interrupts are masked */

	if (pf->user)
		cause = "user page fault (no processes yet)";
	else
		cause = kernel_cause(pf, &stack);
	if (stack) {
		r->kind = TRAP_STACK_OVERFLOW;
		snprintf(detail, size, "%s: stack of %s [%#lx-%#lx]; %s", cause,
			 stack->owner, (unsigned long)stack->base,
			 (unsigned long)(stack->base + stack->size - 1), r->detail ? r->detail : "");
	} else {
		snprintf(detail, size, "%s (%s %s); %s", cause,
			 pf->exec ? "execute" : pf->write ? "write" : "read",
			 pf->protection ? "denied" : "not mapped", r->detail ? r->detail : "");
	}
	r->detail = detail;
	r->addr = pf->addr;
	r->addr_valid = true;
	trap_fatal(r, regs);
}
