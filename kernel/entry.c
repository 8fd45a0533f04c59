/*
 * The core's side of user-mode entries (<arch/user.h>): system calls,
 * faults and other exceptions from user mode, and the work done on every
 * return to user mode (rescheduling, signals, system-call restarts).
 */
#define pr_fmt(fmt) "entry: " fmt

#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/syscall_table.h>
#include <kernel/watchdog.h>
#include "process_internal.h"

static __always_inline bool
is_restart(long ret)
{
	/* One compare on the way out of every call: the four are -512 to -516. */
	_Static_assert(ERESTARTSYS == 512 && ERESTARTNOINTR == 513 && ERESTARTNOHAND == 514 &&
		       ERESTART_RESTARTBLOCK == 516, "restart codes");
	return unlikely((unsigned long)(ret + 516) <= 4) && ret != -515;
}

void
syscall_entry(struct arch_regs *regs)
{
	struct thread *me = thread_current();
	unsigned long args[SYSCALL_NARGS];
	long nr = (long)arch_syscall_nr(regs), ret;

	arch_syscall_args(regs, args);
	me->syscall_nr = nr;
	me->syscall_arg0 = args[0];
	me->restart = 0;
	ret = syscall_dispatch((unsigned long)nr, args);
	if (me->syscall_nr >= 0 && is_restart(ret)) {
		/* A signal will decide: until then the caller would see -EINTR. */
		me->restart = (int)-ret;
		ret = -EINTR;
	}
	arch_syscall_set_return(regs, ret);
}

void
user_fault(struct arch_regs *regs, uintptr_t addr, bool write, bool exec)
{
	struct thread *me = thread_current();
	int si_code = 0, err;

	(void)regs;
	me->syscall_nr = -1;
	err = me->mm ? mm_fault(me->mm, addr, write, exec, &si_code) : -EFAULT;
	if (!err) {
		me->min_flt++;		/* getrusage: no fault here waits for a disk */
		return;
	}
	if (err == -ENOMEM) {
		/* The OOM killer chose this process, or found nobody else (mm_fault()): it dies. */
		force_sig_fault(SIGKILL, 0x80, addr);
		return;
	}
	force_sig_fault(err == -EIO ? SIGBUS : SIGSEGV, si_code ? si_code : SEGV_MAPERR, addr);
}

void
user_trap(struct arch_regs *regs, int sig, int code, uintptr_t addr)
{
	(void)regs;
	thread_current()->syscall_nr = -1;
	force_sig_fault(sig, code, addr);
}

void
exit_to_user(struct arch_regs *regs)
{
	struct thread *me = thread_current();

	watchdog_touch_irqs_off();	/* this CPU gets back to user mode: progress */
	for (;;) {
		bool resched = need_resched(me);
		bool sig = thread_signal_pending(me) || me->restart || me->sig_restore_mask ||
			   me->proc->cont_notify;

		if (!resched && !sig)
			break;
		arch_irq_enable();
		if (resched)
			preempt_point();
		else
			do_signal(regs);
		arch_irq_disable();
	}
}
